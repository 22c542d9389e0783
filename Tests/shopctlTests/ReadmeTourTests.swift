import Foundation
import XCTest

/// The README's "A short tour" runs as written on a fresh store (issue 18, deliverable 7).
///
/// The test reads the ```sh block under "## A short tour" in README.md, makes a list of its
/// commands (comment-only and blank lines skipped, trailing comments stripped, lines ending in `\`
/// joined) and runs them in order in one `bash -e -o pipefail`, in a new temporary folder holding
/// copies of the repository's `examples/` and `scripts/` (the tour's relative paths), with `HOME`
/// and `SHOPCTL_DB` inside it. The one step a test cannot take — `swift build -c release` — is
/// replaced by the binary already built for the tests: that line is left out, and the folder of
/// the built `shopctl` comes first on `PATH` (the tour's own `export PATH="$PWD/.build/release:$PATH"`
/// then names a folder the temporary one does not have, and changes nothing). Every command must
/// exit 0.
final class ReadmeTourTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The commands of the first ```sh block after `## A short tour`.
    static func tourCommands(_ readme: String) throws -> [String] {
        let lines = readme.components(separatedBy: "\n")
        guard let heading = lines.firstIndex(of: "## A short tour"),
            let open = lines[heading...].firstIndex(of: "```sh"),
            let close = lines[(open + 1)...].firstIndex(of: "```")
        else { throw XCTSkip("README.md has no ```sh block under ## A short tour") }
        var commands: [String] = []
        var pending = ""
        for raw in lines[(open + 1)..<close] {
            let line = stripComment(raw).trimmingCharacters(in: .whitespaces)
            if line.isEmpty && pending.isEmpty { continue }
            if line.hasSuffix("\\") {
                pending += line.dropLast().trimmingCharacters(in: .whitespaces) + " "
                continue
            }
            commands.append(pending + line)
            pending = ""
        }
        if !pending.isEmpty { commands.append(pending) }
        return commands
    }

    /// `line` without a trailing comment: a `#` at the start or after white space, outside quotes.
    static func stripComment(_ line: String) -> String {
        var out = ""
        var quote: Character?
        var previous: Character = " "
        var escaped = false
        for c in line {
            if escaped {
                escaped = false
            } else if c == "\\" && quote != "'" {
                escaped = true
            } else if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "#" && previous.isWhitespace {
                break
            }
            out.append(c)
            previous = c
        }
        return out
    }

    func testTheCommentAndContinuationRules() {
        XCTAssertEqual(Self.stripComment("shopctl rules   # the rules"), "shopctl rules   ")
        XCTAssertEqual(Self.stripComment("echo 'a # b' \"c # d\" e#f # g"), "echo 'a # b' \"c # d\" e#f ")
        XCTAssertEqual(Self.stripComment("   # only a comment"), "   ")
        let readme = "x\n## A short tour\n\n```sh\n# c\na   # x\nb \\\n    c \\\n  d  # y\n\n     # z\ne\n```\n```sh\nf\n```\n"
        XCTAssertEqual(try Self.tourCommands(readme), ["a", "b c d", "e"])
    }

    func testTheTourRunsAsWrittenOnAFreshStore() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        var commands = try Self.tourCommands(readme)
        XCTAssertTrue(commands.contains("swift build -c release"), "the tour builds shopctl")
        XCTAssertTrue(commands.contains { $0.hasPrefix("export PATH=") }, "the tour puts shopctl on the PATH")
        commands.removeAll { $0 == "swift build -c release" }
        XCTAssertGreaterThan(commands.count, 20)

        let fm = FileManager.default
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for tool in ["python3", "rsvg-convert"] where !paths.contains(where: { fm.isExecutableFile(atPath: $0 + "/" + tool) }) {
            throw XCTSkip("\(tool) not installed: the tour needs it (README prerequisites)")
        }

        let s = try Sandbox()
        let home = s.path("home")
        try fm.createDirectory(atPath: home, withIntermediateDirectories: true)
        for folder in ["examples", "scripts"] {
            try fm.copyItem(atPath: Self.repository.appendingPathComponent(folder).path, toPath: s.path(folder))
        }
        // Each command is announced in steps.log before it runs: the last line names a failure.
        var script = "set -e -o pipefail\n"
        for (i, c) in commands.enumerated() { script += "echo \(i) >> steps.log\n\(c)\n" }
        script += "echo done >> steps.log\n"
        let file = try s.write("tour.sh", script)

        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [file]
        p.currentDirectoryURL = s.dir
        var env = s.env
        env.removeValue(forKey: "SHOPCTL_NOW")
        env["HOME"] = home
        env["SHOPCTL_DB"] = home + "/shop.db"
        env["PATH"] = Sandbox.binary.deletingLastPathComponent().path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        p.environment = env
        let outURL = s.dir.appendingPathComponent("tour.out")
        fm.createFile(atPath: outURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        p.standardOutput = out
        p.standardError = out
        p.standardInput = FileHandle.nullDevice
        let exited = Sandbox.exitSignal(p)
        try p.run()
        exited.wait()
        try out.close()

        let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let steps = ((try? String(contentsOfFile: s.path("steps.log"), encoding: .utf8)) ?? "").split(separator: "\n")
        let failed = steps.last.flatMap { Int($0) }.map { commands[$0] } ?? "?"
        XCTAssertEqual(p.terminationStatus, 0, "the tour stopped at: \(failed)\n\(output.suffix(3000))")
        XCTAssertEqual(steps.last, "done", "the tour stopped at: \(failed)")
        // What the tour promises happened.
        XCTAssertTrue(fm.fileExists(atPath: home + "/shop.db"))
        XCTAssertTrue(fm.fileExists(atPath: s.path("report.html")))
        XCTAssertTrue(fm.fileExists(atPath: s.path("poster.png")))
        let withdrawn = try s.sqlite("SELECT count(*) FROM withdrawals", db: home + "/shop.db")
        XCTAssertEqual(withdrawn, "1")
        // The example GBK report, a shop's own export, prints what the README says (SPEC §7).
        XCTAssertTrue(output.contains("accepted 8 row(s), rejected 0"), output)
        // The same report as an .xlsx workbook, as a dry run: the same 8 orders, found unchanged.
        XCTAssertTrue(output.contains("accepted 8 row(s) (8 unchanged), rejected 0\ndry run: nothing was stored"), output)
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM orders WHERE order_id LIKE '278394123456%'", db: home + "/shop.db"), "8")
    }
}
