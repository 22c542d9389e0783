import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

final class StoreTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("shopstore-\(UUID().uuidString)")
    }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func creation(_ p: Platform = .taoxiaopu) -> Store.Creation {
        Store.Creation(platform: p, rules: Rules.preset(p), now: Instant(seconds: 1_795_224_600), secret: Array(repeating: 7, count: 32))
    }

    func testCreatesFoldersFileModeWALAndMigrations() throws {
        let path = dir.appendingPathComponent("a/b/shop.db").path
        let store = try Store.open(path: path, creation: creation(.beidian))
        XCTAssertEqual(try store.db.pragmaInt("user_version"), Int64(Store.schemaVersion))
        XCTAssertEqual(try store.db.prepare("PRAGMA journal_mode").scalarText(), "wal")
        XCTAssertEqual(try store.db.pragmaInt("foreign_keys"), 1)
        XCTAssertEqual(try store.db.pragmaInt("page_size"), Int64(Store.pageSize))
        XCTAssertEqual(store.platform, "beidian")
        XCTAssertEqual(store.rules, Rules.preset(.beidian))
        XCTAssertEqual(store.secret, Array(repeating: 7, count: 32))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        XCTAssertEqual(mode?.intValue, 0o600)
        // Reopening keeps what was created, whatever the creation argument says.
        let again = try Store.open(path: path, creation: creation(.yunji))
        XCTAssertEqual(again.platform, "beidian")
    }

    /// Imports switch foreign-key enforcement off (the importers check references) and keep the
    /// page cache bounded; other commands keep enforcement on.
    func testBulkWriteSwitchesForeignKeysOffForThatConnectionOnly() throws {
        let path = dir.appendingPathComponent("shop.db").path
        let store = try Store.open(path: path, creation: creation())
        try store.prepareForBulkWrite()
        XCTAssertEqual(try store.db.pragmaInt("foreign_keys"), 0)
        XCTAssertEqual(try store.db.pragmaInt("mmap_size"), 0)
        XCTAssertEqual(try Store.open(path: path, creation: creation()).db.pragmaInt("foreign_keys"), 1)
    }

    func testMustCreateRefusesAnExistingStore() throws {
        let path = dir.appendingPathComponent("shop.db").path
        _ = try Store.open(path: path, creation: creation())
        XCTAssertThrowsError(try Store.open(path: path, creation: creation(), mustCreate: true)) { e in
            XCTAssertEqual((e as? ShopError)?.code, "already-initialized")
        }
    }

    func testNewerSchemaIsRefusedWithoutWriting() throws {
        let path = dir.appendingPathComponent("shop.db").path
        do {
            let s = try Store.open(path: path, creation: creation())
            try s.db.execute("PRAGMA user_version = \(Store.schemaVersion + 1)")
            try s.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let before = FileManager.default.contents(atPath: path)
        XCTAssertThrowsError(try Store.open(path: path, creation: creation())) { e in
            XCTAssertEqual((e as? ShopError)?.code, "store-newer")
            XCTAssertEqual((e as? ShopError)?.kind, .store)
        }
        XCTAssertEqual(FileManager.default.contents(atPath: path), before)
    }

    func testWriteRollsBackOnError() throws {
        let path = dir.appendingPathComponent("shop.db").path
        let store = try Store.open(path: path, creation: creation())
        let shop = Shop(
            shopID: "S000001", memberID: "m1", name: "小美", displayName: "小美淘小铺", description: "", logo: nil,
            level: "新晋掌柜", openedAt: Instant(seconds: 0), openingFee: .zero)
        XCTAssertThrowsError(
            try store.write {
                try store.shops.insert(shop)
                throw ShopError.rule("x", en: "x", zh: "x")
            })
        XCTAssertEqual(try store.shops.count(), 0)
        try store.write { try store.shops.insert(shop) }
        XCTAssertEqual(try store.shops.count(), 1)
        XCTAssertEqual(try store.shops.nextID(), "S000002")
        XCTAssertTrue(try store.shops.nameTaken("小美", rules: store.rules))
        XCTAssertFalse(try store.shops.nameTaken("小美", rules: store.rules, excluding: "S000001"))
        XCTAssertEqual(try store.shops.find("S000001", rules: store.rules)?.displayName, "小美淘小铺")
        XCTAssertEqual(try store.integrityCheck(), "ok")
    }

    func testForeignDatabaseIsRefused() throws {
        let path = dir.appendingPathComponent("other.db").path
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let db = try Database(path: path)
        try db.execute("CREATE TABLE t(x)")
        XCTAssertThrowsError(try Store.open(path: path, creation: creation())) { e in
            XCTAssertEqual((e as? ShopError)?.kind, .store)
        }
    }

    func testMigrationsAreNumberedInOrder() {
        XCTAssertEqual(Migrations.all.map(\.version), Array(1...Migrations.all.count))
    }
}
