import Codecs
import Foundation
import XCTest

@testable import ShopKit

/// SPEC §2 "Store identity and safety", end to end: what every command does with a file that is
/// not a store, a missing store, an older and a newer store; atomic creation; modes; the lock file.
/// Every refusal is checked against the folder: the names, modes and SHA-256 of every file.
final class StoreSafetyTests: XCTestCase {
    /// name → "mode sha256" of every file in the sandbox folder (the harness's own files aside).
    func snapshot(_ s: Sandbox) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: s.dir.path)
        where !name.hasPrefix("stdout-") && !name.hasPrefix("stderr-") {
            let p = s.path(name)
            var st = stat()
            guard lstat(p, &st) == 0 else { continue }
            let bytes = FileManager.default.contents(atPath: p).map { Array($0) } ?? []
            out[name] = String(st.st_mode & 0o7777, radix: 8) + " " + SHA256.hash(bytes).map { String(format: "%02x", $0) }.joined()
        }
        return out
    }

    func mode(_ path: String) -> Int {
        var st = stat()
        return lstat(path, &st) == 0 ? Int(st.st_mode & 0o777) : -1
    }

    static let openShop = ["open-shop", "--member", "m1", "--name", "阿花", "--credit-score", "720", "--verified"]
    static let readers: [[String]] = [
        ["rules"], ["catalog", "list"], ["pick-products", "list"], ["pick-products", "suggest"],
        ["share-link", "verify", "AQAAAAAB3q2-7w1Ffj9xYk1Q"], ["share-link", "list"], ["orders", "list"], ["orders", "show", "O1"],
        ["check"], ["backup", "copy.db"], ["earnings", "withdrawals"],
    ]
    /// `shop list` and `shop show` fix a level that is due when they show it (SPEC §6), like `earnings`.
    static let writers: [[String]] = [
        openShop, ["init", "--platform", "yunji"], ["upgrade"], ["earnings"], ["earnings", "report"], ["shop", "list"], ["shop", "show"],
        ["shop", "edit", "--description", "x"],
        ["pick-products", "add", "P1"], ["earnings", "withdraw", "10"], ["earnings", "months"],
        ["earnings", "report", "--html", "report.html"],
    ]

    /// Starts one shopctl per argument list, all before waiting for any, and returns their results.
    func runAtOnce(_ s: Sandbox, _ lines: [[String]]) throws -> [Sandbox.Result] {
        var running: [(Process, URL, URL, DispatchSemaphore)] = []
        for args in lines {
            let p = Process()
            p.executableURL = Sandbox.binary
            p.arguments = args
            p.environment = s.env
            let out = s.dir.appendingPathComponent("stdout-\(UUID().uuidString)")
            let err = s.dir.appendingPathComponent("stderr-\(UUID().uuidString)")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            p.standardOutput = try FileHandle(forWritingTo: out)
            p.standardError = try FileHandle(forWritingTo: err)
            p.standardInput = FileHandle.nullDevice
            let exited = Sandbox.exitSignal(p)
            try p.run()
            running.append((p, out, err, exited))
        }
        return running.map { p, out, err, exited in
            exited.wait()
            defer {
                try? FileManager.default.removeItem(at: out)
                try? FileManager.default.removeItem(at: err)
            }
            return Sandbox.Result(
                status: p.terminationStatus, stdout: String(decoding: (try? Data(contentsOf: out)) ?? Data(), as: UTF8.self),
                stderr: String(decoding: (try? Data(contentsOf: err)) ?? Data(), as: UTF8.self))
        }
    }

    // MARK: - Files that are not stores

    func testFilesThatAreNotStoresAreRefusedUntouched() throws {
        let s = try Sandbox()
        try s.write("text.db", String(repeating: "just a text file\n", count: 10))
        try s.write("truncated.db", bytes: Array("SQLite format 3\u{0}".utf8) + [0x10, 0x00, 0x01, 0x01])
        _ = try s.sqlite("CREATE TABLE t(x); INSERT INTO t VALUES (1); PRAGMA user_version = 3;", db: s.path("v3.db"))
        _ = try s.sqlite("PRAGMA application_id = 42; CREATE TABLE t(x); PRAGMA user_version = 6;", db: s.path("app.db"))
        _ = try s.sqlite("CREATE TABLE meta(key, value); CREATE TABLE shops(x); PRAGMA user_version = 1;", db: s.path("appid0.db"))
        _ = try s.sqlite("PRAGMA journal_mode = WAL; CREATE TABLE t(x);", db: s.path("wal.db"))
        try crashedWriter(s.path("wal.db"), "INSERT INTO t VALUES (1); PRAGMA user_version = 2")
        _ = try s.sqlite("PRAGMA journal_mode = WAL; CREATE TABLE meta(key, value);", db: s.path("walnoshm.db"))
        try crashedWriter(s.path("walnoshm.db"), "INSERT INTO meta VALUES ('platform', 'x')")
        try FileManager.default.removeItem(atPath: s.path("walnoshm.db-shm"))
        let before = try snapshot(s)
        XCTAssertNotNil(before["wal.db-wal"], "the WAL is pending")
        var tried = 0
        for name in ["text.db", "truncated.db", "v3.db", "app.db", "appid0.db", "wal.db", "walnoshm.db"] {
            for args in Self.readers + Self.writers {
                let r = s.run(["--db", s.path(name), "--json"] + args)
                XCTAssertExit(r, 5, "not-a-store")
                XCTAssertTrue(r.errorMessage?.contains("not a shopctl store") ?? false, r.stderr)
                tried += 1
            }
        }
        XCTAssertEqual(tried, 7 * 23)
        XCTAssertEqual(try snapshot(s), before, "not a byte changed, no file made or removed")
    }

    // MARK: - Missing stores

    func testCommandsThatOnlyReadNeverCreateAStore() throws {
        let s = try Sandbox()
        FileManager.default.createFile(atPath: s.path("empty.db"), contents: nil, attributes: [.posixPermissions: 0o644])
        let before = try snapshot(s)
        for db in [s.db, s.path("empty.db"), s.path("no/such/folder/shop.db")] {
            for args in Self.readers + [
                ["earnings"], ["earnings", "report"], ["upgrade"], ["shop", "list"], ["shop", "show"], ["earnings", "months"],
                ["earnings", "report", "--html", "report.html"],
            ] {
                let r = s.run(["--db", db, "--json"] + args)
                XCTAssertExit(r, 5, "no-store")
                let message = r.errorMessage ?? ""
                XCTAssertTrue(message.contains("shopctl init --platform") && message.contains("shopctl open-shop"), message)
            }
        }
        XCTAssertEqual(try snapshot(s), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.path("no")), "no folder made either")
        let zh = s.run("rules", env: ["LANG": "zh_CN.UTF-8"])
        XCTAssertExit(zh, 5)
        XCTAssertTrue(zh.stderr.contains("没有数据库"), zh.stderr)
    }

    // MARK: - Older and newer stores

    func testAnOlderStoreIsUpgradedOnlyByACommandThatWrites() throws {
        let s = try Sandbox()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/stores/v4.db")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: s.db)
        chmod(s.db, 0o644)
        let before = try snapshot(s)
        for args in Self.readers where args[0] != "backup" {
            let r = s.run(["--json"] + args)
            XCTAssertExit(r, 5, "store-outdated")
            XCTAssertTrue(r.errorMessage?.contains("shopctl upgrade") ?? false, r.stderr)
        }
        XCTAssertEqual(try snapshot(s), before, "no reader upgrades it")
        // backup copies the pages of any version shopctl knows.
        XCTAssertExit(s.run("backup", s.path("copy.db")), 0)
        XCTAssertEqual(try s.sqlite("PRAGMA user_version", db: s.path("copy.db")), "4")
        try FileManager.default.removeItem(atPath: s.path("copy.db"))
        XCTAssertEqual(try snapshot(s), before)
        let up = s.run("upgrade", "--json")
        XCTAssertExit(up, 0)
        XCTAssertEqual(up.object["from_version"] as? Int, 4)
        XCTAssertEqual(up.object["upgraded"] as? Bool, true)
        XCTAssertEqual(try s.sqlite("PRAGMA application_id"), "1936221044")
        XCTAssertEqual(mode(s.db), 0o600, "opened for writing: private")
        let again = s.run("upgrade", "--json")
        XCTAssertExit(again, 0)
        XCTAssertEqual(again.object["upgraded"] as? Bool, false)
        XCTAssertTrue(s.run("upgrade").stdout.contains("up to date"))
        XCTAssertEqual(s.run("shop", "list", "--json").array.first?["shop_id"] as? String, "S000001")
    }

    func testANewerStoreWithAPendingWALIsRefusedAndBothFilesStay() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "beidian"), 0)
        try crashedWriter(s.db, "INSERT INTO meta VALUES ('future', 1); PRAGMA user_version = 99")
        let before = try snapshot(s)
        XCTAssertNotNil(before["shop.db-wal"])
        for args in Self.readers + Self.writers {
            XCTAssertExit(s.run(["--json"] + args), 5, "store-newer")
        }
        XCTAssertEqual(try snapshot(s), before, "nothing checkpointed, nothing made")
    }

    // MARK: - Creation

    /// 10 trials of 8 concurrent `init`s, each for another platform, on a new path: exactly one
    /// wins, the others exit 1 `already-initialized`, and the store holds the winner's platform.
    func testConcurrentInitsHaveExactlyOneWinner() throws {
        let platforms = ["taoxiaopu", "yunji", "xiangdian", "beidian", "taoxiaopu", "yunji", "xiangdian", "beidian"]
        for trial in 0..<10 {
            let s = try Sandbox()
            let db = s.path("new/shop.db")
            let all = try runAtOnce(s, platforms.map { ["--db", db, "init", "--platform", $0, "--json"] })
            let winners = all.filter { $0.status == 0 }
            XCTAssertEqual(winners.count, 1, "trial \(trial)")
            for r in all where r.status != 0 { XCTAssertExit(r, 1, "already-initialized") }
            let stored = s.run("--db", db, "rules", "--json").object["display_name"] as? String
            XCTAssertEqual(winners.first?.object["display_name"] as? String, stored, "trial \(trial)")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: s.path("new")).sorted(), ["shop.db", "shop.db-lock"])
            XCTAssertEqual(mode(db), 0o600)
            XCTAssertEqual(mode(s.path("new")), 0o700)
        }
    }

    /// Commands that create on first use: of several at once on a new path, every one succeeds
    /// (the losers open the store the winner made) and the store holds all their shops.
    func testConcurrentFirstUsesShareOneStore() throws {
        let s = try Sandbox()
        let n = 6
        let results = try runAtOnce(
            s, (0..<n).map { ["open-shop", "--member", "m\($0)", "--name", "店\($0)", "--credit-score", "720", "--verified"] }
        )
        for r in results { XCTAssertExit(r, 0) }
        let statuses = results.map(\.status)
        XCTAssertEqual(statuses, Array(repeating: 0, count: n))
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM shops"), "\(n)")
    }

    // MARK: - Modes and the lock file

    func testAStoreMadeInAZeroByteFileIsPrivate() throws {
        let s = try Sandbox()
        FileManager.default.createFile(atPath: s.db, contents: nil, attributes: [.posixPermissions: 0o644])
        XCTAssertExit(s.run(Self.openShop), 0)
        XCTAssertEqual(mode(s.db), 0o600)
        XCTAssertEqual(mode(s.db + "-lock"), 0o600)
        XCTAssertEqual(try s.sqlite("SELECT length(value) FROM meta WHERE key = 'secret'"), "32")
    }

    /// A writer makes the store, its -wal, -shm and -lock 0600 whoever made them (here: 0644 files
    /// kept open by the sqlite3 shell, so that they outlive shopctl's connection).
    func testOpeningForWritingMakesEveryFilePrivate() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run(Self.openShop), 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [s.db]
        let inp = Pipe()
        let out = Pipe()
        p.standardInput = inp
        p.standardOutput = out
        try p.run()
        defer {
            try? inp.fileHandleForWriting.close()
            p.waitUntilExit()
        }
        inp.fileHandleForWriting.write(Data("SELECT count(*) FROM shops;\n".utf8))
        _ = out.fileHandleForReading.availableData
        for suffix in ["", "-wal", "-shm", "-lock"] {
            XCTAssertEqual(chmod(s.db + suffix, 0o644), 0, suffix)
        }
        XCTAssertExit(s.run("rules"), 0)
        XCTAssertEqual(mode(s.db), 0o644, "a reader changes nothing")
        XCTAssertExit(s.run("shop", "edit", "--description", "每日好物"), 0)
        for suffix in ["", "-wal", "-shm", "-lock"] {
            XCTAssertEqual(mode(s.db + suffix), 0o600, "shop.db\(suffix)")
        }
    }

    func testALockFileThatIsASymbolicLinkIsNeverFollowed() throws {
        let s = try Sandbox()
        let target = try s.write("target.txt", "someone else's file\n")
        chmod(target, 0o644)
        // A new store: not created.
        try FileManager.default.createSymbolicLink(atPath: s.db + "-lock", withDestinationPath: target)
        let before = try snapshot(s)
        XCTAssertExit(s.run(Self.openShop + ["--json"]), 5, "store-lock")
        XCTAssertExit(s.run("init", "--platform", "yunji", "--json"), 5, "store-lock")
        XCTAssertEqual(try snapshot(s), before)
        // An existing store: writers refuse, readers (which never use the lock file) read.
        try FileManager.default.removeItem(atPath: s.db + "-lock")
        XCTAssertExit(s.run(Self.openShop), 0)
        try FileManager.default.removeItem(atPath: s.db + "-lock")
        try FileManager.default.createSymbolicLink(atPath: s.db + "-lock", withDestinationPath: target)
        let dump = try s.dump()
        let existing = try snapshot(s)
        let r = s.run("shop", "edit", "--description", "x", "--json")
        XCTAssertExit(r, 5, "store-lock")
        XCTAssertTrue(r.errorMessage?.contains("symbolic link") ?? false, r.stderr)
        XCTAssertExit(s.run("rules"), 0)
        XCTAssertEqual(try s.dump(), dump)
        XCTAssertEqual(try snapshot(s), existing, "the link's target is unchanged, its mode too")
    }
}
