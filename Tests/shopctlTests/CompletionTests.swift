import Foundation
import XCTest

@testable import shopctl

/// `shopctl completions bash|zsh|fish` sourced in each shell and driven as the shell would,
/// `shopctl __complete` (ids from the store, read only, silent), and `help --man` under `man -l`.
final class CompletionTests: XCTestCase {
    static func shell(_ name: String) throws -> String {
        for dir in ["/usr/bin", "/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
            return "\(dir)/\(name)"
        }
        throw XCTSkip("\(name) is not installed (apt-get install \(name))")
    }

    /// Runs `exe args…` with the built binary's folder first on PATH, in the sandbox's folder.
    func run(_ s: Sandbox, _ exe: String, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.currentDirectoryURL = s.dir
        var env = s.env
        env["PATH"] = Sandbox.binary.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        env["XDG_CONFIG_HOME"] = s.path("config")
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    func script(_ s: Sandbox, _ shell: String) throws -> String {
        let r = s.run("completions", shell)
        XCTAssertExit(r, 0)
        return try s.write("completion.\(shell)", r.stdout)
    }

    /// Bash: COMP_WORDS/COMP_CWORD set as bash sets them, `_shopctl` called, COMPREPLY printed.
    func bash(_ s: Sandbox, _ words: [String]) throws -> [String] {
        let sh = try Self.shell("bash")
        let file = try script(s, "bash")
        let r = try run(
            s, sh,
            [
                "-c", "source \"$1\"; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); _shopctl; printf '%s\\n' \"${COMPREPLY[@]}\"",
                "x", file,
            ]
                + words)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.err, "")
        return r.out.split(separator: "\n").map(String.init)
    }

    /// Zsh: the script loaded after compinit, `words`/`CURRENT` set as compsys sets them and
    /// `_shopctl` itself called, with `compadd` (filtering by the word, as compsys does),
    /// `compset` and `_files` replaced by functions that print what they were given.
    func zsh(_ s: Sandbox, _ words: [String]) throws -> [String] {
        let sh = try Self.shell("zsh")
        let file = try script(s, "zsh")
        let stubs = """
            compadd() { local w; while [[ $# -gt 0 && $1 != -- ]]; do shift; done; shift; \
            for w in "$@"; do [[ ${w[1,${#_shopctl_cur}]} == "$_shopctl_cur" ]] && print -r -- "$w"; done; }; \
            compset() { return 0; }; _files() { print -r -- "<files $*>"; }
            """
        let r = try run(
            s, sh,
            [
                "-f", "-c",
                "autoload -U compinit && compinit -u -d \"$HOME/.zcompdump\" && source \"$1\" && shift && "
                    + "[[ ${_comps[shopctl]} == _shopctl ]] && \(stubs); words=(\"$@\"); CURRENT=$#; _shopctl",
                "x", file,
            ] + words)
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.err, "")
        return r.out.split(separator: "\n").map(String.init)
    }

    /// Fish: `complete -C LINE` after sourcing (the candidates, without their descriptions).
    func fish(_ s: Sandbox, _ line: String) throws -> [String] {
        let sh = try Self.shell("fish")
        let file = try script(s, "fish")
        let r = try run(s, sh, ["--no-config", "-c", "source $argv[1]; complete -C $argv[2]", file, line])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertEqual(r.err, "")
        return r.out.split(separator: "\n").map { String($0.split(separator: "\t", maxSplits: 1).first ?? "") }
    }

    /// A store with a shop and products P00001…P00003, and a product whose id would run a
    /// command if a script expanded it.
    func storeWithCatalog(_ s: Sandbox) throws {
        try Feeds.shop(s, products: 3)
        let pp = try s.write("hostile.csv", Feeds.productHeader + "P$(touch${IFS}pwned),SP1,茶,牌,食品保健,10.50,20,100,on,,,,,,\n")
        XCTAssertExit(s.run("catalog", "import", "--products", pp), 0)
    }

    static let channels = ["wechat-moments", "wechat-group", "wechat-chat"]
    static let platforms = ["taoxiaopu", "yunji", "xiangdian", "beidian"]
    static let groupings = ["day", "week", "month", "product", "category", "channel", "campaign"]

    // MARK: bash

    func testBashCompletesCommandsSubcommandsOptionsAndValues() throws {
        let s = try Sandbox()
        XCTAssertEqual(try bash(s, ["shopctl", "share-l"]), ["share-link"])
        XCTAssertEqual(try bash(s, ["shopctl", "share-link", "v"]), ["verify"])
        XCTAssertEqual(try bash(s, ["shopctl", "orders", "l"]), ["list"])
        XCTAssertEqual(try bash(s, ["shopctl", "orders", "list", "--st"]), ["--status"])
        XCTAssertEqual(try bash(s, ["shopctl", "orders", "list", "--channel", "wech"]), Self.channels)
        XCTAssertEqual(try bash(s, ["shopctl", "--db", "x.db", "init", "--platform", ""]), Self.platforms)
        XCTAssertEqual(try bash(s, ["shopctl", "earnings", "report", "--by", ""]), Self.groupings)
        XCTAssertEqual(try bash(s, ["shopctl", "orders", "update", "O1", "--status", "c"]), ["confirmed"])
        // --option=value, split at "=" by bash or not.
        XCTAssertEqual(try bash(s, ["shopctl", "earnings", "report", "--by=cat"]), ["--by=category"])
        XCTAssertEqual(try bash(s, ["shopctl", "earnings", "report", "--by", "=", "cat"]), ["category"])
        XCTAssertEqual(try bash(s, ["shopctl", "share-link", "daily", "--poster-format", "="]), ["=svg", "=png"])
        XCTAssertEqual(try bash(s, ["shopctl", "help", "shop", ""]), ["list", "show", "edit"])
        XCTAssertEqual(try bash(s, ["shopctl", "completions", ""]), ["bash", "zsh", "fish"])
        // Global options anywhere, and a flag does not swallow the next word.
        XCTAssertEqual(try bash(s, ["shopctl", "--json", "share-link", "d"]), ["daily"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db), "completing never creates a store")
    }

    func testBashCompletesIdsFromTheStoreQuoted() throws {
        let s = try Sandbox()
        XCTAssertEqual(try bash(s, ["shopctl", "share-link", "P"]), [], "no store: no ids, no error")
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db))
        try storeWithCatalog(s)
        let before = try s.dump()
        XCTAssertEqual(
            try bash(s, ["shopctl", "pick-products", "add", "P00001", "P"]),
            ["P\\$\\(touch\\$\\{IFS\\}pwned\\)", "P00001", "P00002", "P00003"])
        XCTAssertEqual(try bash(s, ["shopctl", "share-link", ""]).prefix(3), ["verify", "daily", "list"])
        XCTAssertEqual(try bash(s, ["shopctl", "orders", "list", "--product", "P0000"]), ["P00001", "P00002", "P00003"])
        XCTAssertEqual(try bash(s, ["shopctl", "--shop", ""]), ["S000001"])
        // --db on the line is the store asked.
        let other = s.path("other.db")
        XCTAssertExit(s.run("--db", other, "open-shop", "--member", "m9", "--name", "另一家", "--credit-score", "720", "--verified"), 0)
        XCTAssertEqual(try bash(s, ["shopctl", "--db", other, "share-link", "P"]), [])
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.path("pwned")), "an id is never run")
        XCTAssertEqual(try s.dump(), before, "completion only reads")
    }

    func testEveryRegisteredCommandIsCompleted() throws {
        let s = try Sandbox()
        let firsts = Registry.commands.map { $0.path[0] }
        XCTAssertEqual(Set(try bash(s, ["shopctl", ""])), Set(firsts))
        XCTAssertEqual(Set(try zsh(s, ["shopctl", ""])), Set(firsts))
        XCTAssertEqual(Set(try fish(s, "shopctl ")), Set(firsts))
        XCTAssertFalse(firsts.contains("__complete"), "hidden")
        for c in Registry.commands where c.path.count == 2 {
            XCTAssertTrue(try bash(s, ["shopctl", c.path[0], ""]).contains(c.path[1]), c.name)
            XCTAssertTrue(try fish(s, "shopctl \(c.path[0]) ").contains(c.path[1]), c.name)
        }
        for c in Registry.commands {
            for o in c.options {
                XCTAssertTrue(try bash(s, ["shopctl"] + c.path + ["--"]).contains(o.name), "\(c.name) \(o.name)")
            }
        }
        XCTAssertFalse(s.run("help").stdout.contains("__complete"))
    }

    // MARK: zsh

    func testZshScriptParsesAndCompletes() throws {
        let s = try Sandbox()
        let sh = try Self.shell("zsh")
        let file = try script(s, "zsh")
        let syntax = try run(s, sh, ["-n", file])
        XCTAssertEqual(syntax.status, 0, syntax.err)
        XCTAssertTrue(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("#compdef shopctl\n"))
        XCTAssertEqual(try zsh(s, ["shopctl", "share-l"]), ["share-link"])
        XCTAssertEqual(try zsh(s, ["shopctl", "share-link", "v"]), ["verify"])
        XCTAssertEqual(try zsh(s, ["shopctl", "orders", "list", "--st"]), ["--status"])
        XCTAssertEqual(try zsh(s, ["shopctl", "orders", "list", "--channel", "wech"]), Self.channels)
        XCTAssertEqual(try zsh(s, ["shopctl", "init", "--platform", ""]), Self.platforms)
        XCTAssertEqual(try zsh(s, ["shopctl", "earnings", "report", "--by", ""]), Self.groupings)
        XCTAssertEqual(try zsh(s, ["shopctl", "earnings", "report", "--by=cat"]), ["category"], "compset moves --by= aside")
        XCTAssertEqual(try zsh(s, ["shopctl", "backup", ""]), ["<files >"])
        XCTAssertEqual(try zsh(s, ["shopctl", "share-link", "daily", "--posters", ""]), ["<files -/>"])
        try storeWithCatalog(s)
        XCTAssertEqual(try zsh(s, ["shopctl", "pick-products", "remove", "P0"]), ["P00001", "P00002", "P00003"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.path("pwned")))
    }

    // MARK: fish

    func testFishCompletes() throws {
        let s = try Sandbox()
        XCTAssertEqual(try fish(s, "shopctl share-l"), ["share-link"])
        XCTAssertEqual(try fish(s, "shopctl share-link v"), ["verify"])
        XCTAssertEqual(try fish(s, "shopctl orders list --st"), ["--status"])
        XCTAssertEqual(Set(try fish(s, "shopctl orders list --channel wech")), Set(Self.channels))
        XCTAssertEqual(Set(try fish(s, "shopctl init --platform ")), Set(Self.platforms))
        XCTAssertEqual(Set(try fish(s, "shopctl earnings report --by ")), Set(Self.groupings))
        XCTAssertEqual(try fish(s, "shopctl earnings report --by=cat"), ["--by=category"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db))
        try storeWithCatalog(s)
        XCTAssertEqual(Set(try fish(s, "shopctl share-link P0")), ["P00001", "P00002", "P00003"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.path("pwned")))
    }

    // MARK: __complete

    func testHiddenCompleteIsReadOnlyAndSilent() throws {
        let s = try Sandbox()
        for kind in ["shops", "products", "orders", "nonsense"] {
            let r = s.run("__complete", kind)
            XCTAssertExit(r, 0)
            XCTAssertEqual(r.stdout + r.stderr, "", kind)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db), "no store is created")
        XCTAssertExit(s.run("__complete", "products", env: ["SHOPCTL_NOW": "garbage"]), 0)
        let text = try s.write("not-a-store.db", "hello")
        let r = s.run("--db", text, "__complete", "products")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.stdout + r.stderr, "")
        XCTAssertEqual(try String(contentsOfFile: text, encoding: .utf8), "hello")
        try storeWithCatalog(s)
        XCTAssertEqual(s.run("__complete", "products", "P0000").stdout, "P00001\nP00002\nP00003\n")
        XCTAssertEqual(s.run("__complete", "shops").stdout, "S000001\n")
        XCTAssertEqual(s.run("__complete", "products", "Z").stdout, "")
    }

    func testCompletionsRejectsAnUnknownShell() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("completions", "tcsh", "--json"), 2, "bad-argument")
        XCTAssertExit(s.run("completions", "--json"), 2, "missing-argument")
    }

    // MARK: man page

    func testManPageRendersWithEveryCommand() throws {
        let s = try Sandbox()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/man") else { throw XCTSkip("man is not installed") }
        let r = s.run("help", "--man")
        XCTAssertExit(r, 0)
        XCTAssertTrue(r.stdout.hasPrefix(".\\\""))
        for line in r.stdout.split(separator: "\n") where !line.hasPrefix(".") {
            XCTAssertFalse(line.hasPrefix("'"), "a text line starting with ' would be a request: \(line)")
        }
        let file = try s.write("shopctl.1", r.stdout)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/man")
        p.arguments = ["-l", file]
        p.environment = s.env.merging(["MANWIDTH": "100", "MANPAGER": "cat", "PAGER": "cat", "MAN_KEEP_FORMATTING": ""]) { $1 }
            .filter { !$0.value.isEmpty }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let warnings = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, warnings)
        XCTAssertEqual(warnings, "")
        let plain = text.replacingOccurrences(of: "\u{8}", with: "")
        for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "GLOBAL OPTIONS", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "FILES", "SEE ALSO"]
        {
            XCTAssertTrue(plain.contains("\n" + section + "\n"), section)
        }
        for c in Registry.commands {
            XCTAssertTrue(plain.contains("   " + c.name + "\n"), "section of \(c.name)")
            for o in c.options { XCTAssertTrue(plain.contains(o.name), "\(c.name) \(o.name)") }
        }
        XCTAssertTrue(plain.contains("--stauts") == false && plain.contains("shopctl share-link verify TOKEN"))
        XCTAssertTrue(plain.contains("SHOPCTL_DB"))
        let zh = s.run("help", "--man", env: ["SHOPCTL_LANG": "zh_CN.UTF-8"])
        XCTAssertExit(zh, 0)
        XCTAssertTrue(zh.stdout.contains(ManPage.escape("社交电商店主的工具箱")))
        XCTAssertFalse(zh.stdout.unicodeScalars.contains { $0.value > 0x7E }, "ASCII only: no preconv needed")
    }

    func testRoffEscaping() {
        XCTAssertEqual(ManPage.escape("--db"), "\\-\\-db")
        XCTAssertEqual(ManPage.escape(".hidden\n'quote"), "\\&.hidden\n\\&'quote")
        XCTAssertEqual(ManPage.escape("a\\b"), "a\\eb")
        XCTAssertEqual(ManPage.escape("淘小铺 ¥1 😀"), "\\[u6DD8]\\[u5C0F]\\[u94FA] \\[u00A5]1 \\[u1F600]")
    }
}
