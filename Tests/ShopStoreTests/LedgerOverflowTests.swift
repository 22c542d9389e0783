import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// The ledger's additions are checked: totals past `Int64` (a damaged store, or more than
/// 46 million orders of the largest amount) refuse with `totals-overflow`, never trap nor wrap.
final class LedgerOverflowTests: XCTestCase {
    func testCheckedAdditions() {
        var total: Int64 = .max - 1
        XCTAssertTrue(checkedAdd(&total, 1))
        XCTAssertEqual(total, .max)
        XCTAssertFalse(checkedAdd(&total, 1))
        XCTAssertEqual(total, .max, "unchanged on overflow")
        XCTAssertThrowsError(try Ledger.sum(.max, 1)) { XCTAssertEqual(($0 as? ShopError)?.code, "totals-overflow") }
        XCTAssertThrowsError(try Ledger.sum(0, 0, minus: .min))
        XCTAssertEqual(try Ledger.sum(5, 6, minus: 1), 10)
        let s = EarningsSummary(
            pending: .zero, frozen: .zero, released: Money(fen: .max), rewards: Money(fen: 1), withdrawn: .zero, feesPaid: .zero,
            level: "x", nextLevel: nil, monthGMV: .zero)
        XCTAssertEqual(s.available.fen, .max, "saturates")
    }

    /// A store whose running totals were pushed to the edge: the summary and the reports refuse,
    /// the next import refuses and stores nothing.
    func testTotalsAtTheEdgeRefuseInsteadOfTrapping() throws {
        let f = try LedgerFixture(.yunji)
        let now = try Instant.parseRFC3339("2026-09-20T12:00:00+08:00")
        try f.run("2026-09-20T12:00:00+08:00", [order("A1", f.token)])
        let ledger = Ledger(store: f.store)
        try f.store.db.execute("UPDATE shop_days SET gmv_fen = 9223372036854775000")
        try f.store.db.execute(
            "INSERT INTO shop_days(shop_id, day, orders, gmv_fen) VALUES ('S000001', 20707, 1, 9223372036854775000)")
        XCTAssertThrowsError(try ledger.report(shopID: "S000001", period: nil, by: .month)) {
            XCTAssertEqual(($0 as? ShopError)?.code, "totals-overflow")
        }
        // SQLite's sum() raises rather than wraps: a store error, not a trap.
        try f.store.db.execute(
            "INSERT INTO shop_release_days(shop_id, day, earnings_fen) VALUES ('S000001', 1, 9223372036854775000), ('S000001', 2, 9000)")
        XCTAssertThrowsError(try ledger.summary(shop: f.shop, now: now)) { XCTAssertEqual(($0 as? ShopError)?.kind, .store) }
    }

    func order(_ id: String, _ token: String) -> OrderRow {
        OrderRow(
            orderID: id, productID: "P1", quantity: 1, unitPrice: Money(fen: 10_000), amount: Money(fen: 10_000),
            paidAt: try! Instant.parseRFC3339("2026-09-10T12:00:00+08:00"), status: .paid, shareToken: token, statusAt: nil, refunded: nil,
            selfPurchase: false)
    }
}
