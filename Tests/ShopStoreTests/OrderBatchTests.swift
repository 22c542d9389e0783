import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

extension LedgerFixture {
    /// Imports rows as one command at `now` the way `orders import` does: prepared on a read
    /// connection, new orders stored in batches of `batchSize`. With `deferAfter`, the importer's
    /// index deferral starts from that many new orders (into a store holding fewer): a batch out
    /// of payment order drops the secondary order indexes until the end of the import. `fail`
    /// throws after the last row, before the import finishes (its transaction rolls back).
    @discardableResult
    func runBatched(
        _ now: String, _ rows: [OrderRow], batchSize: Int, deferAfter: Int? = nil, fail: Bool = false
    ) throws -> ImportReport {
        let importer = OrderImporter(store: store, now: try Instant.parseRFC3339(now))
        importer.batchSize = batchSize
        if let deferAfter { importer.deferIndexesAfter = deferAfter }
        let preparer = try importer.preparer()
        var report = ImportReport()
        try store.write {
            for (i, r) in rows.enumerated() {
                let place = ImportLoop.RowPlace(line: i + 2, id: r.orderID)
                do {
                    try importer.apply(try preparer.prepare(r), place: place, report: &report)
                } catch let p as RowProblem {
                    report.rejected.append(ImportLoop.rejection(p, line: place.line, id: place.id))
                }
            }
            try importer.flush(report: &report)
            if fail { throw ShopError.store("store-error", en: "stop", zh: "停止") }
            try importer.finish()
        }
        report.rejected.sort { $0.line < $1.line }
        return report
    }

    /// The orders and every running total, as text, for comparing two stores.
    func dump() throws -> [String] {
        var out: [String] = []
        for sql in [
            "SELECT order_id, status, status_at, amount_fen, refunded_fen, commission_fen, bonus_fen, release_at, rate_bp, self_purchase FROM orders ORDER BY order_id",
            "SELECT o.order_id, e.status, e.at, e.refunded_fen FROM order_events e JOIN orders o ON o.id = e.order_ref ORDER BY o.order_id, e.id",
            "SELECT * FROM shop_days ORDER BY day", "SELECT * FROM shop_release_days ORDER BY day", "SELECT * FROM shop_totals",
            "SELECT shop_id, month, level, bonus_bp, reward_fen FROM shop_months ORDER BY month",
            "SELECT orders, gmv_fen, commission_fen FROM shares ORDER BY id", "SELECT * FROM product_sales",
        ] {
            try store.db.prepare(sql).forEach { r in
                out.append((0..<r.columnCount).map { r.isNull($0) ? "∅" : r.text($0) }.joined(separator: "|"))
            }
        }
        // Every order's history as `orders show` reads it (its first state and its changes).
        try store.db.prepare("SELECT id, order_id FROM orders ORDER BY order_id").forEach { r in
            for e in try store.orders.history(rowID: r.int(0)) {
                out.append("\(r.text(1)) \(e.status.rawValue) \(e.at.seconds) \(e.refunded.fen) \(e.recordedAt.seconds)")
            }
        }
        return out
    }
}

/// The batched import path stores exactly what the one-row-at-a-time path stores: same orders,
/// same history, same totals, same report, whatever the batch size — including a file that
/// repeats an order (new, then its updates) within one batch and rows that cannot be new.
final class OrderBatchTests: XCTestCase {
    func testBatchedImportEqualsOneRowAtATime() throws {
        for platform in [Platform.taoxiaopu, .beidian] {
            for (seed, batchSize) in [(1, 1), (2, 2), (3, 3), (4, 64)] {
                var g = SplitMix(seed: UInt64(seed) * 104_729)
                let one = try LedgerFixture(platform, opened: "2026-06-01T10:00:00+08:00")
                let batched = try LedgerFixture(platform, opened: "2026-06-01T10:00:00+08:00")
                var known: [String: (amount: Int64, paid: Instant)] = [:]
                var clock = t("2026-06-02T00:00:00+08:00")
                for _ in 0..<25 {
                    clock = clock.adding(seconds: Int64(g.next() % (4 * 86_400)))
                    var rows: [(OrderRow, product: Bool)] = []
                    for _ in 0..<(1 + g.next() % 12) {
                        let fresh = known.isEmpty || g.next() % 3 == 0
                        let id = fresh ? "O\(known.count)" : known.keys.sorted()[Int(g.next() % UInt64(known.count))]
                        let amount = known[id]?.amount ?? Int64(g.next() % 200_000) + 1
                        let paid = known[id]?.paid ?? clock.adding(seconds: -Int64(g.next() % 86_400))
                        known[id] = (amount, paid)
                        let statuses: [OrderStatus] = [.paid, .shipped, .confirmed, .refunded]
                        var status = statuses[Int(g.next() % 4)]
                        var statusAt: Instant? = clock
                        switch g.next() % 8 {
                        case 0: statusAt = paid.adding(seconds: -60)  // before payment: refused as new and as change
                        case 1: status = .paid
                        default: break
                        }
                        let refunded: Int64? = g.next() % 3 == 0 ? Int64(g.next() % UInt64(amount + 1)) : nil
                        var row = OrderRow(
                            orderID: id, productID: "P1", quantity: 1, unitPrice: Money(fen: amount), amount: Money(fen: amount),
                            paidAt: paid, status: status, shareToken: "", statusAt: statusAt,
                            refunded: refunded.map { Money(fen: $0) }, selfPurchase: false)
                        if g.next() % 15 == 0 { row.unitPrice = Money(fen: amount + 1) }  // another price: invalid-transition if known
                        rows.append((row, g.next() % 2 == 0))
                    }
                    let now = clock.rfc3339(in: .shanghai)
                    func tokened(_ f: LedgerFixture) -> [OrderRow] {
                        rows.map { r, product in
                            var r = r
                            r.shareToken = product ? f.productToken : f.token
                            return r
                        }
                    }
                    let a = try one.run(now, tokened(one))
                    let b = try batched.runBatched(now, tokened(batched), batchSize: batchSize)
                    XCTAssertEqual(a.accepted, b.accepted, "\(platform) seed \(seed) at \(now)")
                    XCTAssertEqual(a.rejected.map(\.code), b.rejected.map(\.code), "\(platform) seed \(seed) at \(now)")
                    XCTAssertEqual(try one.dump(), try batched.dump(), "\(platform) seed \(seed) at \(now)")
                }
                XCTAssertEqual(try batched.summary("2026-12-01T00:00:00+08:00"), try batched.recomputed("2026-12-01T00:00:00+08:00"))
            }
        }
    }
}
