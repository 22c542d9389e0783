import Foundation
import XCTest

/// Runs the built `shopctl` binary as a user would.
///
///     let s = try Sandbox()
///     let r = s.run("open-shop", "--member", "m1", "--name", "小美", "--verified", "--json")
///     XCTAssertEqual(r.status, 0)
///     r.object["shop_id"]
final class Sandbox {
    let dir: URL
    var db: String { dir.appendingPathComponent("shop.db").path }
    var env: [String: String]

    static let binary: URL = {
        let fm = FileManager.default
        var candidates: [URL] = []
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(dir.appendingPathComponent("shopctl"))
            dir = dir.deletingLastPathComponent()
        }
        for b in Bundle.allBundles { candidates.append(b.bundleURL.deletingLastPathComponent().appendingPathComponent("shopctl")) }
        for c in candidates where fm.isExecutableFile(atPath: c.path) { return c }
        fatalError("shopctl binary not found near \(testBinary.path)")
    }()

    init(now: String = "2026-11-21T09:30:00+08:00") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("shopctl-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        env = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": dir.path,
            "SHOPCTL_DB": dir.appendingPathComponent("shop.db").path,
            "SHOPCTL_NOW": now,
            "LANG": "C.UTF-8",
        ]
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let p = path(name)
        try text.write(toFile: p, atomically: true, encoding: .utf8)
        return p
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    func run(_ args: String..., env extra: [String: String] = [:], stdin: Data? = nil) -> Result {
        run(args, env: extra, stdin: stdin)
    }

    func run(_ args: [String], env extra: [String: String] = [:], stdin: Data? = nil) -> Result {
        let p = Process()
        p.executableURL = Sandbox.binary
        p.arguments = args
        p.environment = env.merging(extra) { $1 }.filter { !$0.value.isEmpty }
        let outURL = dir.appendingPathComponent("stdout-\(UUID().uuidString)")
        let errURL = dir.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let outHandle = try! FileHandle(forWritingTo: outURL)
        let errHandle = try! FileHandle(forWritingTo: errURL)
        let inp = Pipe()
        p.standardOutput = outHandle
        p.standardError = errHandle
        p.standardInput = inp
        let exited = Sandbox.exitSignal(p)
        do { try p.run() } catch { fatalError("cannot run shopctl: \(error)") }
        if let stdin { inp.fileHandleForWriting.write(stdin) }
        try? inp.fileHandleForWriting.close()
        exited.wait()
        try? outHandle.close()
        try? errHandle.close()
        let outData = (try? Data(contentsOf: outURL)) ?? Data()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs the `sqlite3` shell on the store (tests that need it fail when it is missing).
    func sqlite(_ sql: String, db: String? = nil) throws -> String {
        let p = Process()
        let candidates = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/bin/sqlite3"]
        guard let exe = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("sqlite3 shell not installed (apt-get install sqlite3)")
        }
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = [db ?? self.db, sql]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        let exited = Sandbox.exitSignal(p)
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        exited.wait()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Signalled when `p` (not yet started) exits. `waitUntilExit` polls its run loop every 50 ms
    /// on Linux, which made every command of an end-to-end test cost at least that long.
    static func exitSignal(_ p: Process) -> DispatchSemaphore {
        let exited = DispatchSemaphore(value: 0)
        p.terminationHandler = { _ in exited.signal() }
        return exited
    }

    /// A fingerprint of the store's contents (every table, every row).
    func dump() throws -> String { try sqlite(".dump") }

    func bytes(_ path: String? = nil) -> Data? { FileManager.default.contents(atPath: path ?? db) }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String

        var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed]) }
        var object: [String: Any] { (json as? [String: Any]) ?? [:] }
        var array: [[String: Any]] { (json as? [[String: Any]]) ?? [] }
        /// `error.code` from a `--json` error on stderr.
        var errorCode: String? {
            guard let o = try? JSONSerialization.jsonObject(with: Data(stderr.utf8)) as? [String: Any],
                let e = o["error"] as? [String: Any]
            else { return nil }
            return e["code"] as? String
        }
        var errorMessage: String? {
            guard let o = try? JSONSerialization.jsonObject(with: Data(stderr.utf8)) as? [String: Any],
                let e = o["error"] as? [String: Any]
            else { return nil }
            return e["message"] as? String
        }
    }
}

func XCTAssertExit(
    _ r: Sandbox.Result, _ status: Int32, _ code: String? = nil, file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(r.status, status, "stdout: \(r.stdout)\nstderr: \(r.stderr)", file: file, line: line)
    if let code {
        XCTAssertEqual(r.errorCode, code, "stderr: \(r.stderr)", file: file, line: line)
    }
}
