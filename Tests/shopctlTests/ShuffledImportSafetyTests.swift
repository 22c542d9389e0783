import Foundation
import XCTest

/// A shuffled orders file into a store holding no orders: the import drops the secondary order
/// indexes and builds them again before it commits (issue 17). Killed at any moment it leaves all
/// or nothing, indexes included; readers meanwhile see the store as it was, never blocked.
enum ShuffledFeed {
    /// `count` orders through the shop's links, paid from August to November, in random order.
    static func make(_ o: OrderShop, count: Int, rng: inout SeededGenerator) throws -> String {
        let s = o.s
        let gen = OrderFeedGenerator(
            links: [.init(token: Array(o.storefront.utf8), product: nil), .init(token: Array(o.p1.utf8), product: "P00001")],
            products: ["P00001", "P00002", "P00003", "P00004", "P00005"],
            paidDays: 0..<(OrderFeedGenerator.day("2026-11-20") + 1), lastStatusDay: OrderFeedGenerator.day("2026-11-20"))
        let text = String(decoding: gen.feed(0..<count, prefix: "S"), as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = lines.removeFirst()
        lines.shuffle(using: &rng)
        return try s.write("shuffled.csv", ([header] + lines).joined(separator: "\n") + "\n")
    }

    /// The order indexes as stored (names and SQL).
    static let indexSQL = """
        SELECT group_concat(name || ':' || sql, ' ; ') FROM (SELECT name, sql FROM sqlite_schema
        WHERE type = 'index' AND tbl_name = 'orders' AND sql IS NOT NULL ORDER BY name)
        """
}

extension CrashSafetyTests {
    /// 30,000 shuffled orders into a store with none (the indexes are deferred); killed 8 times.
    func testShuffledOrdersImportIntoAnEmptyStoreKilledAtRandomMomentsIsAllOrNothing() throws {
        var rng = SeededGenerator(label: "CrashSafetyTests.shuffled")
        let o = try OrderShop()
        let s = o.s
        let file = try ShuffledFeed.make(o, count: 30_000, rng: &rng)
        let indexes = try s.sqlite(ShuffledFeed.indexSQL)
        XCTAssertTrue(indexes.contains("orders_shop_paid:CREATE INDEX"), indexes)
        _ = try s.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        let pristine = s.path("pristine.db")
        try copyStore(from: s.db, to: pristine)
        let c = Case(
            name: "shuffled", s: s, pristine: pristine, args: ["orders", "import", file, "--json"], now: "2026-11-21T09:30:00+08:00",
            fingerprintSQL: """
                SELECT 'orders ' || (SELECT count(*) || '/' || total(commission_fen) || '/' || total(bonus_fen) FROM orders)
                  || ' days ' || (SELECT count(*) || '/' || total(gmv_fen) FROM shop_days)
                  || ' indexes ' || (\(ShuffledFeed.indexSQL))
                """)
        let t = try killTrials(c, trials: 8, rng: &rng) { full, reference in
            XCTAssertEqual(full.object["accepted"] as? Int, 30_000)
            XCTAssertEqual(try s.sqlite(ShuffledFeed.indexSQL, db: reference), indexes, "the indexes are built again, the same")
            XCTAssertEqual(try LedgerRecomputation.mismatches(s, db: reference), "")
        }
        print("shuffled: \(t.killed) killed mid-import, \(t.finished) finished first; \(t.before) left nothing, \(t.after) everything")
        XCTAssertGreaterThanOrEqual(t.killed, 3, "kills land while the import runs")
    }
}

final class ShuffledImportReaderTests: XCTestCase {
    /// While a shuffled import runs (its indexes dropped inside its transaction), `orders list`
    /// and `earnings` answer at once from the store as it was before the import.
    func testReadersAreNeverBlockedByADeferredIndexImport() throws {
        var rng = SeededGenerator(label: "ShuffledImportReaderTests")
        let o = try OrderShop()
        let s = o.s
        let file = try ShuffledFeed.make(o, count: 250_000, rng: &rng)
        let now = ["SHOPCTL_NOW": "2026-11-21T09:30:00+08:00"]
        // The facts due at this time fixed first, so that the reads below only read (a read that
        // finds a level due takes the write lock to fix it, and so waits behind a writer).
        XCTAssertExit(s.run(["earnings"], env: now), 0)
        let p = try Spawned(s, ["orders", "import", file], env: now)
        var readsWhileRunning = 0
        while p.isRunning {
            let t0 = Date()
            let list = s.run(["orders", "list", "--limit", "3", "--json"], env: now)
            let earnings = s.run(["earnings", "--json"], env: now)
            let took = Date().timeIntervalSince(t0)
            guard p.isRunning else { break }
            XCTAssertExit(list, 0)
            XCTAssertExit(earnings, 0)
            // Nothing of the import before it commits; all of it after (the process then still
            // checkpoints the WAL before it exits).
            XCTAssertTrue([0, 3].contains(list.array.count), "\(list.array.count) orders")
            XCTAssertLessThan(took, 5, "readers are not blocked")
            if list.array.count == 0 { readsWhileRunning += 1 }
        }
        XCTAssertExit(p.wait(), 0)
        XCTAssertGreaterThanOrEqual(readsWhileRunning, 1, "reads happened while the import ran, before its commit")
        XCTAssertEqual(s.run(["orders", "list", "--limit", "3", "--json"], env: now).array.count, 3)
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check"), "ok")
        XCTAssertTrue(try s.sqlite(ShuffledFeed.indexSQL).contains("orders_release:CREATE INDEX"))
    }
}
