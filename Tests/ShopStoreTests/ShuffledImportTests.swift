import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

extension LedgerFixture {
    /// The order indexes as stored: name, SQL and root page (a rebuilt index has a new root page).
    func orderIndexes() throws -> [String] {
        try store.db.prepare("SELECT name, coalesce(sql, ''), rootpage FROM sqlite_schema WHERE tbl_name = 'orders' ORDER BY name")
            .map { "\($0.text(0))|\($0.text(1))|\($0.int(2))" }
    }

    /// Names and SQL only (what a rebuild keeps).
    func orderIndexSQL() throws -> [String] {
        try orderIndexes().map { $0.split(separator: "|").dropLast().joined(separator: "|") }
    }

    /// `count` orders through `token`, paid over several months (so that a shuffled feed guesses
    /// levels from partial months), some refunded, confirmed or updated later in the feed.
    func feed(_ g: inout SplitMix, count: Int, start: Instant, updates: Int) -> [OrderRow] {
        var rows: [OrderRow] = []
        for i in 0..<count {
            let paid = start.adding(seconds: Int64(i) * 3_600 * 24 * 90 / Int64(count))
            let amount = Int64(g.next() % 400_000) + 100
            let statuses: [OrderStatus] = [.paid, .shipped, .confirmed, .refunded]
            let status = statuses[Int(g.next() % 8) < 5 ? 0 : Int(g.next() % 4)]
            rows.append(
                OrderRow(
                    orderID: "O\(100_000 + i)", productID: "P1", quantity: 1, unitPrice: Money(fen: amount), amount: Money(fen: amount),
                    paidAt: paid, status: status, shareToken: g.next() % 2 == 0 ? token : productToken,
                    statusAt: status == .paid ? nil : paid.adding(seconds: 86_400), refunded: nil, selfPurchase: g.next() % 17 == 0))
        }
        for _ in 0..<updates {
            var r = rows[Int(g.next() % UInt64(count))]
            r.status = .confirmed
            r.statusAt = r.paidAt.adding(seconds: 2 * 86_400)
            rows.append(r)
        }
        return rows
    }
}

/// Imports whatever the order of the rows (issue 17): a feed out of payment order into a store
/// holding fewer orders drops the secondary order indexes and builds them again at its end, in
/// the same transaction; what is stored is exactly what one row at a time stores, and the
/// indexes come back with the same definitions.
final class ShuffledImportTests: XCTestCase {
    func shuffled<T>(_ a: [T], _ g: inout SplitMix) -> [T] {
        var a = a
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, Int(g.next() % UInt64(i + 1))) }
        return a
    }

    func testAShuffledFeedStoresWhatOneRowAtATimeStores() throws {
        for platform in [Platform.taoxiaopu, .beidian] {
            for (seed, batchSize) in [(1, 1), (2, 7), (3, 64), (4, 500)] {
                var g = SplitMix(seed: UInt64(seed) * 7_919)
                let one = try LedgerFixture(platform, opened: "2026-06-01T10:00:00+08:00")
                let batched = try LedgerFixture(platform, opened: "2026-06-01T10:00:00+08:00")
                let indexes = try batched.orderIndexes()
                let start = t("2026-06-02T00:00:00+08:00")
                let ordered = one.feed(&g, count: 1_500, start: start, updates: 200)
                let rows = shuffled(ordered, &g)
                func tokened(_ f: LedgerFixture) -> [OrderRow] {
                    rows.map { r in
                        var r = r
                        r.shareToken = r.shareToken == one.token ? f.token : f.productToken
                        return r
                    }
                }
                let now = "2026-09-15T12:00:00+08:00"
                let a = try one.run(now, tokened(one))
                let b = try batched.runBatched(now, tokened(batched), batchSize: batchSize, deferAfter: 1)
                XCTAssertEqual(a.accepted, b.accepted, "\(platform) seed \(seed)")
                XCTAssertEqual(a.rejected.map(\.code), b.rejected.map(\.code), "\(platform) seed \(seed)")
                XCTAssertEqual(try one.dump(), try batched.dump(), "\(platform) seed \(seed)")
                XCTAssertEqual(try batched.orderIndexSQL(), try one.orderIndexSQL())
                // Out of order from the first batch of more than one row: the indexes were rebuilt.
                if batchSize > 1 { XCTAssertNotEqual(try batched.orderIndexes(), indexes, "\(platform) seed \(seed)") }
                XCTAssertEqual(try batched.store.integrityCheck(), "ok")
                XCTAssertEqual(try batched.summary("2026-10-01T00:00:00+08:00"), try batched.recomputed("2026-10-01T00:00:00+08:00"))
                // The next import (a store now bigger than its file) keeps the indexes it has.
                let kept = try batched.orderIndexes()
                let more = batched.feed(&g, count: 300, start: start, updates: 0).map { r in
                    var r = r
                    r.orderID = "N" + r.orderID
                    return r
                }
                try batched.runBatched(now, shuffled(more, &g), batchSize: batchSize, deferAfter: 1)
                XCTAssertEqual(try batched.orderIndexes(), kept, "\(platform) seed \(seed)")
            }
        }
    }

    /// Into a store that holds orders: deferred once the file has brought a quarter of them.
    func testAShuffledFeedOfAQuarterOfTheStoreDefersToo() throws {
        var g = SplitMix(seed: 37)
        let one = try LedgerFixture(.taoxiaopu, opened: "2026-06-01T10:00:00+08:00")
        let batched = try LedgerFixture(.taoxiaopu, opened: "2026-06-01T10:00:00+08:00")
        let start = t("2026-06-02T00:00:00+08:00")
        let first = one.feed(&g, count: 2_000, start: start, updates: 0)
        let second = shuffled(
            one.feed(&g, count: 600, start: start, updates: 100).map { r in
                var r = r
                r.orderID = "N" + r.orderID
                return r
            }, &g)
        func tokened(_ rows: [OrderRow], _ f: LedgerFixture) -> [OrderRow] {
            rows.map { r in
                var r = r
                r.shareToken = r.shareToken == one.token ? f.token : f.productToken
                return r
            }
        }
        let now = "2026-09-15T12:00:00+08:00"
        try one.run(now, tokened(first, one))
        try batched.runBatched(now, tokened(first, batched), batchSize: 128, deferAfter: 1)
        let indexes = try batched.orderIndexes()
        let a = try one.run(now, tokened(second, one))
        let b = try batched.runBatched(now, tokened(second, batched), batchSize: 128, deferAfter: 1)
        XCTAssertNotEqual(try batched.orderIndexes(), indexes, "600 new orders into a store of 2,000: deferred")
        XCTAssertEqual(a.accepted, b.accepted)
        XCTAssertEqual(a.rejected.map(\.code), b.rejected.map(\.code))
        XCTAssertEqual(try one.dump(), try batched.dump())
        XCTAssertEqual(try batched.orderIndexSQL(), try one.orderIndexSQL())
        XCTAssertEqual(try batched.store.integrityCheck(), "ok")
    }

    func testAFeedInPaymentOrderKeepsItsIndexes() throws {
        var g = SplitMix(seed: 17)
        let f = try LedgerFixture(.taoxiaopu, opened: "2026-06-01T10:00:00+08:00")
        let indexes = try f.orderIndexes()
        try f.runBatched(
            "2026-09-15T12:00:00+08:00", f.feed(&g, count: 2_000, start: t("2026-06-02T00:00:00+08:00"), updates: 0), batchSize: 256,
            deferAfter: 1)
        XCTAssertEqual(try f.orderIndexes(), indexes)
    }

    func testAUniqueIndexIsNeverDeferred() throws {
        var g = SplitMix(seed: 31)
        let f = try LedgerFixture(.taoxiaopu, opened: "2026-06-01T10:00:00+08:00")
        try f.store.db.execute("CREATE UNIQUE INDEX orders_extra_unique ON orders(shop_id, order_id)")
        func kept(_ indexes: [String]) -> [String] {
            indexes.filter { $0.hasPrefix("orders_extra_unique|") || $0.hasPrefix("sqlite_autoindex") }
        }
        let before = try f.orderIndexes()
        let rows = shuffled(f.feed(&g, count: 1_000, start: t("2026-06-02T00:00:00+08:00"), updates: 0), &g)
        try f.runBatched("2026-09-15T12:00:00+08:00", rows, batchSize: 100, deferAfter: 1)
        let after = try f.orderIndexes()
        XCTAssertEqual(kept(after), kept(before))
        XCTAssertEqual(kept(before).count, 2)
        XCTAssertEqual(Set(after).subtracting(before).count, 3, "the three secondary indexes were rebuilt")
        XCTAssertEqual(try f.store.integrityCheck(), "ok")
    }

    func testAFailedImportLeavesTheIndexesAsTheyWere() throws {
        var g = SplitMix(seed: 23)
        let f = try LedgerFixture(.taoxiaopu, opened: "2026-06-01T10:00:00+08:00")
        let indexes = try f.orderIndexes()
        let before = try f.dump()
        let rows = shuffled(f.feed(&g, count: 1_000, start: t("2026-06-02T00:00:00+08:00"), updates: 0), &g)
        XCTAssertThrowsError(try f.runBatched("2026-09-15T12:00:00+08:00", rows, batchSize: 100, deferAfter: 1, fail: true))
        XCTAssertEqual(try f.orderIndexes(), indexes)
        XCTAssertEqual(try f.dump(), before)
        XCTAssertEqual(try f.store.integrityCheck(), "ok")
    }

    /// The pipelined import of a shuffled CSV feed (rows parsed and attributed on the reading
    /// thread, batches of the writing thread, indexes deferred) stores what one row at a time
    /// stores.
    func testAShuffledFileThroughThePipelineStoresWhatOneRowAtATimeStores() throws {
        var g = SplitMix(seed: 29)
        let one = try LedgerFixture(.taoxiaopu, opened: "2026-06-01T10:00:00+08:00")
        let piped = try LedgerFixture(.taoxiaopu, opened: "2026-06-01T10:00:00+08:00")
        let rows = shuffled(one.feed(&g, count: 3_000, start: t("2026-06-02T00:00:00+08:00"), updates: 300), &g)
        let nowText = "2026-09-15T12:00:00+08:00"
        let now = try Instant.parseRFC3339(nowText)
        let expected = try one.run(nowText, rows)
        var csv = "order_id,product_id,quantity,unit_price,paid_at,status,share_token,status_at,self_purchase\n"
        for r in rows {
            let token = r.shareToken == one.token ? piped.token : piped.productToken
            let statusAt = r.statusAt.map { $0.rfc3339(in: .shanghai) } ?? ""
            csv +=
                "\(r.orderID),\(r.productID),\(r.quantity),\(r.unitPrice.fen / 100).\(String(format: "%02d", r.unitPrice.fen % 100)),\(r.paidAt.rfc3339(in: .shanghai)),\(r.status.rawValue),\(token),\(statusAt),\(r.selfPurchase ? "true" : "false")\n"
        }
        let importer = OrderImporter(store: piped.store, now: now)
        importer.batchSize = 128
        importer.deferIndexesAfter = 1
        let indexes = try piped.orderIndexes()
        var report = ImportReport()
        var reader = try ImportReader(format: .csv, string: csv)
        try piped.store.write {
            try importer.begin()
            let preparer = try importer.preparer()
            try ImportLoop.runPipelined(
                &reader, idColumn: "order_id", report: &report, progress: nil,
                parse: { row throws(RowProblem) in try preparer.prepare(try OrderFeed.parse(row, now: now)) }, apply: importer.apply,
                flush: importer.flush)
            try importer.finish()
        }
        XCTAssertEqual(report.accepted, expected.accepted)
        XCTAssertEqual(report.rejected.map(\.code), expected.rejected.map(\.code))
        XCTAssertGreaterThan(report.accepted, 3_000)
        XCTAssertEqual(try one.dump(), try piped.dump())
        XCTAssertNotEqual(try piped.orderIndexes(), indexes)
        XCTAssertEqual(try piped.orderIndexSQL(), try one.orderIndexSQL())
        XCTAssertEqual(try piped.store.integrityCheck(), "ok")
    }
}
