import XCTest

@testable import ShopKit

/// One refunded figure (docs/earnings.md "One refunded figure"): what the store records when an
/// order becomes refunded, and the figure every output shows.
final class RefundFigureTests: XCTestCase {
    let now = t("2026-11-21T09:30:00+08:00")

    func testRefundedWithoutAFigureRefundsTheWholeAmount() throws {
        let o = makeOrder(.shipped, refunded: 3_000)
        let next = try XCTUnwrap(OrderRules.apply(OrderChange(status: .refunded, statusAt: now, refunded: nil), to: o, now: now))
        XCTAssertEqual(next.refunded.fen, 10_000)
        XCTAssertEqual(next.effectiveRefund.fen, 10_000)
        XCTAssertEqual(next.net, .zero)
        // the same status again changes nothing; a smaller figure is a shrinking refund
        XCTAssertNil(try OrderRules.apply(OrderChange(status: .refunded, statusAt: nil, refunded: nil), to: next, now: now))
        XCTAssertThrowsError(
            try OrderRules.apply(OrderChange(status: .refunded, statusAt: nil, refunded: Money(fen: 3_000)), to: next, now: now))
    }

    func testRefundedWithAFigureKeepsItButShowsTheWholeAmount() throws {
        let o = makeOrder(.paid)
        let next = try XCTUnwrap(
            OrderRules.apply(OrderChange(status: .refunded, statusAt: now, refunded: Money(fen: 500)), to: o, now: now))
        XCTAssertEqual(next.refunded.fen, 500, "as reported")
        XCTAssertEqual(next.effectiveRefund.fen, 10_000, "a refunded order's net is 0: its whole amount is refunded")
        XCTAssertNil(try OrderRules.apply(OrderChange(status: .refunded, statusAt: nil, refunded: Money(fen: 500)), to: next, now: now))
    }

    func testAPartialRefundIsTheCumulativeFigure() throws {
        let o = makeOrder(.shipped)
        let next = try XCTUnwrap(
            OrderRules.apply(OrderChange(status: .shipped, statusAt: nil, refunded: Money(fen: 2_500)), to: o, now: now))
        XCTAssertEqual(next.effectiveRefund.fen, 2_500)
        XCTAssertEqual(next.net.fen, 7_500)
    }
}
