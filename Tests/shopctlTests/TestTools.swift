import Foundation
import XCTest

/// Outside programs the end-to-end tests use as references or as adversaries, in one place.

/// Runs the `sqlite3` shell on `db` with `sql`, then kills it (SIGKILL) while it still has the
/// database open: what it committed stays in the `-wal`, never checkpointed (a crashed writer).
func crashedWriter(_ db: String, _ sql: String) throws {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("no sqlite3 shell") }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    p.arguments = [db]
    let inp = Pipe()
    let out = Pipe()
    p.standardInput = inp
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    inp.fileHandleForWriting.write(Data("PRAGMA wal_autocheckpoint = 0;\n\(sql);\n.print done\n".utf8))
    var seen = Data()
    while !String(decoding: seen, as: UTF8.self).contains("done") {
        let chunk = out.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        seen += chunk
    }
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
}

/// `text` encoded by Python's `codec` (the reference encoder; skips the test without python3).
func pythonEncoded(_ text: String, _ codec: String) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "python3", "-c", "import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().decode('utf-8').encode('\(codec)'))",
    ]
    let input = Pipe()
    let output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    do { try process.run() } catch { throw XCTSkip("python3 is not available") }
    input.fileHandleForWriting.write(Data(text.utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw XCTSkip("python3 could not encode \(codec)") }
    return Array(data)
}
