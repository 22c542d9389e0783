import Foundation
import XCTest

final class MaintenanceEndToEndTests: XCTestCase {
    func demoStore(_ s: Sandbox) -> String {
        let db = s.path("demo.db")
        XCTAssertExit(s.run("demo", "--db", db), 0)
        return db
    }

    func testCheckPassesOnTheDemoAndNamesTheFirstBrokenInvariant() throws {
        let s = try Sandbox()
        let db = demoStore(s)
        let ok = s.run("check", "--db", db, "--json")
        XCTAssertExit(ok, 0)
        XCTAssertEqual(ok.object["ok"] as? Bool, true)
        let names = (ok.object["checks"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        XCTAssertTrue(names.contains("integrity") && names.contains("daily-totals") && names.contains("earnings S000001"))
        // Tamper with one running total: check exits 5 and names it.
        _ = try s.sqlite("UPDATE shop_totals SET confirmed_fen = confirmed_fen + 1", db: db)
        let bad = s.run("check", "--db", db, "--json")
        XCTAssertExit(bad, 5, "check-failed")
        XCTAssertTrue(bad.errorMessage?.contains("earnings S000001") ?? false, bad.stderr)
        _ = try s.sqlite("UPDATE shop_totals SET confirmed_fen = confirmed_fen - 1", db: db)
        _ = try s.sqlite("UPDATE shares SET orders = orders + 1 WHERE id = 1", db: db)
        XCTAssertTrue(s.run("check", "--db", db, "--json").errorMessage?.contains("link-totals") ?? false)
    }

    func testBackupIsAConsistentPrivateCopy() throws {
        let s = try Sandbox()
        let db = demoStore(s)
        let copy = s.path("backup.db")
        let r = s.run("backup", copy, "--db", db, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["integrity"] as? String, "ok")
        let mode = try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy + "-wal"))
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check", db: copy), "ok")
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM orders", db: copy), try s.sqlite("SELECT count(*) FROM orders", db: db))
        XCTAssertEqual(s.run("earnings", "--db", copy, "--json").stdout, s.run("earnings", "--db", db, "--json").stdout)
        XCTAssertExit(s.run("check", "--db", copy), 0)
        XCTAssertExit(s.run("backup", copy, "--db", db, "--json"), 2, "file-exists")
    }

    func testBackupWhileAnotherProcessWrites() throws {
        let o = try OrderShop()
        var rows: [String] = []
        for i in 0..<20_000 { rows.append("W\(i),P00001,1,10,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,") }
        let feed = try o.feed("big.csv", rows)
        let p = Process()
        p.executableURL = Sandbox.binary
        p.arguments = ["orders", "import", feed]
        p.environment = o.s.env.merging(["SHOPCTL_NOW": "2026-11-21T09:30:00+08:00"]) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        var copies: [String] = []
        for i in 0..<3 {
            let copy = o.s.path("copy\(i).db")
            XCTAssertExit(o.s.run("backup", copy), 0)
            copies.append(copy)
        }
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        for c in copies {
            XCTAssertEqual(try o.s.sqlite("PRAGMA integrity_check", db: c), "ok")
            let n = Int(try o.s.sqlite("SELECT count(*) FROM orders", db: c)) ?? -1
            XCTAssertTrue(n == 0 || n == 20_000, "a backup holds all or none of an import, got \(n)")
        }
    }
}
