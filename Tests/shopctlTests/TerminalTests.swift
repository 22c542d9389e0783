import Foundation
import XCTest

/// What a person at a terminal sees: colour only on a terminal and never with NO_COLOR, and
/// progress of a long import on stderr, never on stdout. Runs shopctl under `script`, which gives
/// it a pseudo-terminal.
final class TerminalEndToEndTests: XCTestCase {
    /// Runs a shell line under a pseudo-terminal; returns what the terminal showed.
    func underTerminal(_ s: Sandbox, _ line: String, env: [String: String] = [:]) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else {
            throw XCTSkip("script(1) from util-linux is not installed")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let log = s.path("typescript-\(UUID().uuidString)")
        p.arguments = ["-qec", line, log]
        p.environment = s.env.merging(env) { $1 }.merging(["TERM": "xterm"]) { $1 }
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return String(decoding: FileManager.default.contents(atPath: log) ?? Data(), as: UTF8.self)
    }

    func testColourOnlyOnATerminalAndNeverWithNoColor() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "阿花", "--credit-score", "720", "--verified"), 0)
        let bin = Sandbox.binary.path
        let tty = try underTerminal(s, "\(bin) shop list")
        XCTAssertTrue(tty.contains("\u{1B}[1m"), "bold headings on a terminal: \(tty.debugDescription)")
        let noColor = try underTerminal(s, "\(bin) shop list", env: ["NO_COLOR": "1"])
        XCTAssertTrue(noColor.contains("阿花"))
        XCTAssertFalse(noColor.contains("\u{1B}["), "NO_COLOR: \(noColor.debugDescription)")
        XCTAssertFalse(s.run("shop", "list").stdout.contains("\u{1B}["), "no colour into a pipe")
    }

    func testLongImportShowsProgressOnStderrOnly() throws {
        let s = try Sandbox()
        let sp = try s.write("s.csv", Feeds.supplierHeader + Feeds.goodSupplier)
        let pp = try s.write("p.csv", Feeds.products(150_000))
        let out = s.path("out.json")
        let started = Date()
        let tty = try underTerminal(s, "\(Sandbox.binary.path) catalog import --suppliers \(sp) --products \(pp) --json > \(out)")
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
        XCTAssertEqual(json?["accepted"] as? Int, 150_001, "stdout holds exactly the JSON report")
        if Date().timeIntervalSince(started) > 3 {
            XCTAssertTrue(tty.contains("catalog rows imported:"), "progress on the terminal's stderr: \(tty.prefix(300).debugDescription)")
        }
        let piped = s.run("catalog", "import", "--products", pp, "--json")
        XCTAssertFalse(piped.stderr.contains("imported:"), "no progress when stderr is not a terminal")
    }
}
