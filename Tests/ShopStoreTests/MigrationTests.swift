import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// Stores written by every earlier schema version (Tests/Fixtures/stores/vN.db) open, upgrade
/// to the current schema and keep everything they held.
///
/// The fixtures are made by the migrations of their version — the code that wrote them — with
/// data seeded through those versions' tables. Regenerate (only when adding a migration) with
///     SHOPCTL_MAKE_FIXTURES=1 swift test --filter MigrationTests
final class MigrationTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/stores")
    static let secret = Array(0..<32).map { UInt8($0 * 7 % 256) }
    static let opened = Instant(seconds: 1_786_000_000)  // 2026-08-06

    /// Writes a store at `version` by applying the first `version` migrations and seeding the
    /// tables they made, as shopctl of that version would have.
    static func makeFixture(version: Int, at path: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        let db = try Database(path: path)
        try db.execute("PRAGMA journal_mode = DELETE")
        for m in Migrations.all.prefix(version) {
            try db.execute("BEGIN IMMEDIATE")
            try db.execute(m.sql)
            try db.execute("PRAGMA user_version = \(m.version)")
            try db.execute("COMMIT")
        }
        let rules = Rules.preset(.taoxiaopu)
        let put = try db.prepare("INSERT INTO meta(key, value) VALUES (?, ?)")
        try put.run("platform", "taoxiaopu")
        try put.run("rules", rules.json.serialized(pretty: false))
        try put.run("secret", SQLValue.blob(secret))
        try put.run("created_at", opened.seconds)
        try db.prepare(
            "INSERT INTO shops(shop_id, member_id, name, name_key, description, logo, opened_at, opening_fee_fen) VALUES (?,?,?,?,?,?,?,?)"
        ).run("S000001", "m1", "小美好物", "小美好物", "宝妈好物", SQLValue.null, opened.seconds, Int64(0))
        if version >= 2 {
            try db.execute(
                """
                INSERT INTO suppliers VALUES ('SP1', '杭州茶业', 500000000, 1, 2000000, 1, 1);
                INSERT INTO products(product_id, supplier_id, title, brand, category, price_fen, commission_rate_bp, commission_fen, stock,
                    status, tags, description) VALUES ('P1', 'SP1', '西湖龙井 250g', '西湖', '食品保健', 12950, 2000, 2590, 100, 'on', 5, '');
                INSERT INTO product_search(id, text) SELECT id, title || char(31) || brand FROM products;
                INSERT INTO picks(shop_id, product_id, reason, picked_at) VALUES ('S000001', 'P1', '自家常备', \(opened.seconds));
                """)
        }
        if version >= 3 {
            let fields = ShareFields(shopID: "S000001", productID: "P1", channel: "wechat-group", campaign: nil, createdAt: opened)
            try db.prepare("INSERT INTO shares(id, token, shop_id, product_id, channel, created_at) VALUES (1, ?, ?, ?, ?, ?)")
                .run(ShareToken.mint(shareID: 1, fields: fields, secret: secret), "S000001", "P1", "wechat-group", opened.seconds)
        }
    }

    func testEveryEarlierVersionUpgradesWithoutLoss() throws {
        if ProcessInfo.processInfo.environment["SHOPCTL_MAKE_FIXTURES"] == "1" {
            try FileManager.default.createDirectory(at: Self.fixtures, withIntermediateDirectories: true)
            for v in 1..<Store.schemaVersion {
                try Self.makeFixture(version: v, at: Self.fixtures.appendingPathComponent("v\(v).db").path)
            }
        }
        let earlier = Array(1..<Store.schemaVersion)
        XCTAssertFalse(earlier.isEmpty)
        for v in earlier {
            let fixture = Self.fixtures.appendingPathComponent("v\(v).db")
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migrate-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let path = dir.appendingPathComponent("shop.db").path
            try FileManager.default.copyItem(atPath: fixture.path, toPath: path)
            XCTAssertEqual(try Database(path: path).pragmaInt("user_version"), Int64(v), "fixture v\(v) is at its version")
            let store = try Store.open(
                path: path,
                creation: .init(platform: .yunji, rules: Rules.preset(.yunji), now: Self.opened, secret: Array(repeating: 0, count: 32)))
            XCTAssertEqual(try store.db.pragmaInt("user_version"), Int64(Store.schemaVersion), "v\(v) upgraded")
            XCTAssertEqual(store.platform, "taoxiaopu", "v\(v) keeps its platform")
            XCTAssertEqual(store.secret, Self.secret, "v\(v) keeps its secret")
            XCTAssertEqual(try store.shops.find("S000001", rules: store.rules)?.displayName, "小美好物淘小铺")
            if v >= 2 {
                XCTAssertEqual(try store.catalog.product("P1")?.price.fen, 12_950)
                XCTAssertEqual(try store.picks.reason(shopID: "S000001", productID: "P1"), "自家常备")
                XCTAssertEqual(try store.catalog.list(CatalogQuery(search: "龙井"), shopID: nil, now: Self.opened).count, 1)
            }
            if v >= 3 {
                let token = try XCTUnwrap(store.shares.record(id: 1)?.token)
                XCTAssertEqual(try store.shares.verify(token, secret: store.secret)?.fields.productID, "P1", "v\(v) links still verify")
            }
            // The upgraded store takes the newest features.
            try store.write {
                try store.db.prepare(
                    "INSERT INTO withdrawals(shop_id, amount_fen, fee_fen, payout_fen, at) VALUES ('S000001', 1000, 0, 1000, 0)"
                ).run()
            }
            XCTAssertEqual(try store.integrityCheck(), "ok")
            XCTAssertTrue(try store.check(now: Self.opened).allSatisfy(\.ok), "v\(v)")
        }
    }

    /// Version 5 rewrites the order status rule without an IN list (SQLite rebuilt a temporary
    /// table for the list on every row written); the rule still holds and stored orders stay.
    func testOrderStatusRuleIsRewrittenInPlace() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migrate5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("shop.db").path
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("v4.db").path, toPath: path)
        func insertOrder(_ id: String, status: String, into db: Database) throws {
            try db.prepare(
                """
                INSERT INTO orders(order_id, shop_id, share_id, product_id, category, channel, quantity, unit_price_fen, amount_fen,
                    refunded_fen, status, status_at, paid_at, rate_bp, self_purchase, commission_fen, bonus_fen, first_status,
                    first_status_at, first_refunded_fen, recorded_at)
                VALUES (?, 'S000001', 1, 'P1', '食品保健', 'wechat-group', 1, 12950, 12950, 0, ?, 0, 0, 2000, 0, 2590, 0, ?, 0, 0, 0)
                """
            ).run(id, status, status)
        }
        try insertOrder("O1", status: "shipped", into: try Database(path: path))
        let store = try Store.open(
            path: path, creation: .init(platform: .yunji, rules: Rules.preset(.yunji), now: Self.opened, secret: Self.secret))
        let sql = try XCTUnwrap(store.db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'orders'").scalarText())
        XCTAssertFalse(sql.contains("status IN"), sql)
        XCTAssertTrue(sql.contains("status = 'refunded'"), sql)
        XCTAssertEqual(try store.orders.find("O1")?.order.status, .shipped)
        XCTAssertEqual(try store.integrityCheck(), "ok")
        // The rule still holds on the upgraded store.
        XCTAssertNoThrow(try store.write { try insertOrder("O2", status: "refunded", into: store.db) })
        XCTAssertThrowsError(try store.write { try insertOrder("O3", status: "lost", into: store.db) })
        XCTAssertNil(try store.orders.find("O3"))
    }
}
