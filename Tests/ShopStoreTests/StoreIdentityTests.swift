import Codecs
import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// SPEC §2 "Store identity and safety", at the store layer: what a file is, what each access
/// does to it, and creation (atomic, 0600, nothing left after a failure).
final class StoreIdentityTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("identity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDown() {
        Store.beforePublish = nil
        try? FileManager.default.removeItem(at: dir)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func creation(_ p: Platform = .taoxiaopu) -> Store.Creation {
        Store.Creation(platform: p, rules: Rules.preset(p), now: Instant(seconds: 1_795_224_600), secret: Array(repeating: 7, count: 32))
    }

    /// Every file in the folder with its mode and bytes.
    func snapshot() throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            let p = path(name)
            let mode = (try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? NSNumber)?.intValue ?? -1
            let bytes = FileManager.default.contents(atPath: p) ?? Data()
            out[name] = String(mode, radix: 8) + " " + SHA256.hash(Array(bytes)).map { String(format: "%02x", $0) }.joined()
        }
        return out
    }

    func sqlite(_ db: String, _ sql: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") else { throw XCTSkip("no sqlite3 shell") }
        p.arguments = [db, sql]
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, sql)
    }

    func code(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? ShopError)?.code ?? "\(error)"
        }
    }

    // MARK: - Identity

    func testNewStoresCarryTheApplicationIDAndAreIdentifiedByTheHeader() throws {
        let p = path("shop.db")
        XCTAssertEqual(try StoreFile.identify(p), .none)
        let store = try Store.open(path: p, creation: creation())
        XCTAssertEqual(try store.db.pragmaInt("application_id"), Int64(StoreFile.applicationID))
        XCTAssertEqual(StoreFile.applicationID, 0x7368_6374)
        XCTAssertTrue(store.created)
        XCTAssertEqual(try StoreFile.identify(p), .store(version: Store.schemaVersion, marked: true))
    }

    func testForeignFilesAreRefusedWithoutAByteChanged() throws {
        try "just text, long enough to fill a header of one hundred bytes or so, really, it is long enough now.\n"
            .write(toFile: path("text.db"), atomically: true, encoding: .utf8)
        try Data("SQLite format 3\u{0}abc".utf8).write(to: dir.appendingPathComponent("truncated.db"))
        try sqlite(path("v3.db"), "CREATE TABLE t(x); INSERT INTO t VALUES (1); PRAGMA user_version = 3;")
        try sqlite(path("app.db"), "PRAGMA application_id = 42; CREATE TABLE t(x);")
        try sqlite(path("wal.db"), "PRAGMA journal_mode = WAL; CREATE TABLE t(x); PRAGMA user_version = 5;")
        try sqlite(
            path("meta.db"),
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB); INSERT INTO meta VALUES ('platform', 'x'), ('secret', 'y'); PRAGMA user_version = 1;"
        )
        try sqlite(path("empty.db"), "PRAGMA page_size = 4096; VACUUM;")
        // Our tables, plus one that is not ours: not a store of any version.
        try FileManager.default.copyItem(atPath: MigrationTests.fixtures.appendingPathComponent("v1.db").path, toPath: path("extra.db"))
        try sqlite(path("extra.db"), "CREATE TABLE notes(x);")
        let before = try snapshot()
        for name in ["text.db", "truncated.db", "v3.db", "app.db", "wal.db", "meta.db", "empty.db", "extra.db"] {
            XCTAssertEqual(code { try StoreFile.identify(self.path(name)) }, "not-a-store", name)
            for access in [Store.Access.read, .readAnyVersion, .existing, .write] {
                XCTAssertEqual(
                    code { try Store.open(path: self.path(name), access: access, creation: self.creation()) }, "not-a-store", name)
            }
            XCTAssertEqual(code { try Store.open(path: self.path(name), creation: self.creation(), mustCreate: true) }, "not-a-store", name)
        }
        XCTAssertEqual(try snapshot(), before, "not a byte changed, nothing made beside them")
    }

    func testOldStoresAreRecognisedByTheirTablesAndMarkedWhenWritten() throws {
        for v in 1..<StoreFile.firstMarkedVersion {
            let p = path("v\(v).db")
            try FileManager.default.copyItem(atPath: MigrationTests.fixtures.appendingPathComponent("v\(v).db").path, toPath: p)
            XCTAssertEqual(try StoreFile.identify(p), .store(version: v, marked: false), "v\(v)")
            let before = FileManager.default.contents(atPath: p)
            XCTAssertEqual(code { try Store.open(path: p, access: .read) }, "store-outdated", "v\(v)")
            XCTAssertEqual(FileManager.default.contents(atPath: p), before, "a reader never upgrades v\(v)")
            let copy = try Store.open(path: p, access: .readAnyVersion)
            XCTAssertEqual(copy.openedVersion, v)
            XCTAssertEqual(copy.platform, "taoxiaopu")
            let store = try Store.open(path: p, access: .existing)
            XCTAssertEqual(store.openedVersion, v)
            XCTAssertEqual(try store.db.pragmaInt("application_id"), Int64(StoreFile.applicationID), "v\(v) adopted")
            XCTAssertEqual(try store.db.pragmaInt("user_version"), Int64(Store.schemaVersion))
        }
    }

    /// A newer store whose WAL holds the newer header: refused from the WAL's header, and
    /// neither file changes (nothing checkpoints it), nor is anything left beside them.
    func testNewerStoreWithAPendingWALKeepsBothFiles() throws {
        let p = path("shop.db")
        _ = try Store.open(path: p, creation: creation())
        try makePendingWAL(p, "PRAGMA user_version = \(Store.schemaVersion + 3)")
        let before = try snapshot()
        XCTAssertNotNil(before["shop.db-wal"])
        XCTAssertEqual(code { try StoreFile.identify(p) }, "store-newer")
        for access in [Store.Access.read, .readAnyVersion, .existing, .write] {
            XCTAssertEqual(code { try Store.open(path: p, access: access, creation: self.creation()) }, "store-newer")
        }
        XCTAssertEqual(code { try Store.open(path: p, creation: self.creation(), mustCreate: true) }, "store-newer")
        XCTAssertEqual(try snapshot(), before)
    }

    /// A foreign WAL-mode database with application_id 0 and its WAL pending (no -shm): read
    /// through a read-only connection, which must not leave the -shm it had to make.
    func testForeignDatabaseWithAPendingWALIsLeftAsItWas() throws {
        let p = path("other.db")
        try sqlite(p, "PRAGMA journal_mode = WAL; CREATE TABLE meta(key, value);")
        try makePendingWAL(p, "INSERT INTO meta VALUES ('platform', 'x'); PRAGMA user_version = 2")
        let before = try snapshot()
        XCTAssertNil(before["other.db-shm"])
        XCTAssertEqual(code { try StoreFile.identify(p) }, "not-a-store")
        XCTAssertEqual(code { try Store.open(path: p, creation: self.creation()) }, "not-a-store")
        XCTAssertEqual(try snapshot(), before)
    }

    /// Writes `sql` into the WAL of `p` and leaves it there: the connection is killed before it
    /// can checkpoint (a copy of the files taken while it is open), and the -shm is removed.
    func makePendingWAL(_ p: String, _ sql: String) throws {
        let tmp = p + ".copy"
        do {
            let db = try Database(path: p, create: false)
            try db.execute("PRAGMA wal_autocheckpoint = 0")
            try db.execute("BEGIN IMMEDIATE; \(sql); COMMIT")
            try FileManager.default.copyItem(atPath: p, toPath: tmp)
            try FileManager.default.copyItem(atPath: p + "-wal", toPath: tmp + "-wal")
        }
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: p + s) }
        try FileManager.default.moveItem(atPath: tmp, toPath: p)
        try FileManager.default.moveItem(atPath: tmp + "-wal", toPath: p + "-wal")
    }

    // MARK: - Access

    func testReadersNeverCreateAndLeaveNothingBeside() throws {
        let missing = path("missing.db")
        for access in [Store.Access.read, .readAnyVersion, .existing] {
            XCTAssertEqual(code { try Store.open(path: missing, access: access) }, "no-store")
        }
        FileManager.default.createFile(atPath: path("zero.db"), contents: nil)
        XCTAssertEqual(code { try Store.open(path: self.path("zero.db"), access: .read) }, "no-store")
        XCTAssertEqual(try snapshot().keys.sorted(), ["zero.db"])
        let p = path("shop.db")
        do { _ = try Store.open(path: p, creation: creation(.yunji)) }
        let before = try snapshot()
        do {
            let r = try Store.open(path: p, access: .read)
            XCTAssertEqual(r.platform, "yunji")
            XCTAssertEqual(try r.shops.count(), 0)
        }
        XCTAssertEqual(try snapshot(), before, "the -wal and -shm a reader made are gone again")
    }

    func testWritingMakesTheStoreAndItsFilesPrivate() throws {
        let p = path("shop.db")
        do { _ = try Store.open(path: p, creation: creation()) }
        chmod(p, 0o644)
        for s in ["-wal", "-shm", "-lock"] {
            FileManager.default.createFile(atPath: p + s, contents: nil, attributes: [.posixPermissions: 0o644])
        }
        let store = try Store.open(path: p, access: .existing)
        try store.write { try store.db.execute("INSERT INTO meta(key, value) VALUES ('x', 'y')") }
        for s in ["", "-wal", "-shm", "-lock"] {
            let mode = (try FileManager.default.attributesOfItem(atPath: p + s)[.posixPermissions] as? NSNumber)?.intValue
            XCTAssertEqual(mode, 0o600, "shop.db\(s)")
        }
    }

    func testALockFileThatIsASymbolicLinkIsNeverFollowed() throws {
        let p = path("shop.db")
        let target = path("target")
        try "do not touch".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: p + "-lock", withDestinationPath: target)
        XCTAssertEqual(code { try Store.open(path: p, creation: self.creation()) }, "store-lock", "creation")
        XCTAssertFalse(FileManager.default.fileExists(atPath: p))
        try FileManager.default.removeItem(atPath: p + "-lock")
        do { _ = try Store.open(path: p, creation: creation()) }
        try FileManager.default.removeItem(atPath: p + "-lock")
        try FileManager.default.createSymbolicLink(atPath: p + "-lock", withDestinationPath: target)
        XCTAssertEqual(code { try Store.open(path: p, access: .existing) }, "store-lock", "a writer")
        XCTAssertNoThrow(try Store.open(path: p, access: .read), "readers never use the lock file")
        XCTAssertNil(WriteQueue(storePath: p), "the queue never opens it")
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "do not touch")
    }

    // MARK: - Creation

    func testAZeroByteFileBecomesAPrivateStore() throws {
        let p = path("shop.db")
        FileManager.default.createFile(atPath: p, contents: nil, attributes: [.posixPermissions: 0o644])
        let store = try Store.open(path: p, creation: creation(.xiangdian))
        XCTAssertEqual(store.platform, "xiangdian")
        let mode = (try FileManager.default.attributesOfItem(atPath: p)[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(mode, 0o600)
    }

    func testAFailedCreationLeavesNoStoreAndNoTemporaryFile() throws {
        let p = path("shop.db")
        var temporary: String?
        Store.beforePublish = { tmp in
            temporary = tmp
            throw ShopError.store("injected", en: "injected", zh: "注入")
        }
        XCTAssertEqual(code { try Store.open(path: p, creation: self.creation(), mustCreate: true) }, "injected")
        Store.beforePublish = nil
        XCTAssertNotNil(temporary)
        XCTAssertEqual(try snapshot().keys.sorted(), ["shop.db-lock"], "only the lock file stays")
        // Nothing half-made is refused as already-initialized afterwards.
        XCTAssertEqual(try Store.open(path: p, creation: creation(.beidian), mustCreate: true).platform, "beidian")
    }

    /// A full disk (a 64 KiB tmpfs; needs root): the failed init leaves no store and no
    /// temporary file, and the next init is not refused as already-initialized.
    func testAFullDiskLeavesNothingBehind() throws {
        let mnt = path("small")
        try FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mnt]
        mount.standardError = FileHandle.nullDevice
        guard (try? mount.run()) != nil else { throw XCTSkip("cannot run mount") }
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else { throw XCTSkip("cannot mount a tmpfs here (not root?)") }
        defer {
            let u = Process()
            u.executableURL = URL(fileURLWithPath: "/bin/umount")
            u.arguments = [mnt]
            try? u.run()
            u.waitUntilExit()
        }
        let p = mnt + "/shop.db"
        for _ in 0..<2 {
            XCTAssertEqual(code { try Store.open(path: p, creation: self.creation(), mustCreate: true) }, "store-error")
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: mnt), ["shop.db-lock"])
        }
    }
}
