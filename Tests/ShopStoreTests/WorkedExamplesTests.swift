import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// The worked examples of docs/earnings.md, figure by figure.
final class WorkedExamplesTests: XCTestCase {
    func testTaoxiaopuMonthEndLevelReleaseAndRefundAfterRelease() throws {
        let f = try LedgerFixture(.taoxiaopu, rate: 1250)
        // September: ¥5,000.00 of GMV (two orders) → October is 资深掌柜, +5 %.
        try f.run(
            "2026-09-30T22:00:00+08:00",
            [
                f.row("S1", fen: 300_000, paid: "2026-09-05T20:00:00+08:00", .confirmed, at: "2026-09-12T10:00:00+08:00"),
                f.row("S2", fen: 200_000, paid: "2026-09-28T21:00:00+08:00", .shipped, at: "2026-09-29T10:00:00+08:00"),
            ])
        // October 8: ¥129.50 × 2 at 12.5 %.
        try f.run("2026-10-08T21:00:00+08:00", [f.row("O1", fen: 12_950, paid: "2026-10-08T20:00:00+08:00", qty: 2)])
        let o1 = try XCTUnwrap(f.store.orders.find("O1"))
        XCTAssertEqual(o1.commission.fen, 3_238)  // 25,900 × 1250 / 10000 = 3,237.5 → 3,238
        XCTAssertEqual(o1.bonus.fen, 162)  // 3,238 × 500 / 10000 = 161.9 → 162
        // Confirmed on the last evening of October; released 2026-11-20 00:00 (Shanghai).
        try f.run(
            "2026-10-31T23:30:00+08:00",
            [f.row("O1", fen: 12_950, paid: "2026-10-08T20:00:00+08:00", .confirmed, at: "2026-10-31T23:30:00+08:00", qty: 2)])
        var s = try f.summary("2026-11-19T23:59:59+08:00")
        XCTAssertEqual(s.frozen.fen, 3_400)
        XCTAssertEqual(s.released.fen, 37_500)  // S1: 300,000 × 12.5 % = 37,500, released 2026-10-20
        XCTAssertEqual(s.pending.fen, 25_000)  // S2: 200,000 × 12.5 %
        s = try f.summary("2026-11-20T00:00:00+08:00")
        XCTAssertEqual(s.released.fen, 40_900)
        XCTAssertEqual(s.level, "新晋掌柜", "October's GMV ¥259.00 < ¥5,000.00")
        // November 25: half refunded after release — a clawback.
        try f.run(
            "2026-11-25T10:00:00+08:00", [f.row("O1", fen: 12_950, paid: "2026-10-08T20:00:00+08:00", .confirmed, refunded: 12_950, qty: 2)]
        )
        let after = try XCTUnwrap(f.store.orders.find("O1"))
        XCTAssertEqual(after.commission.fen, 1_619)  // 12,950 × 12.5 % = 1,618.75 → 1,619
        XCTAssertEqual(after.bonus.fen, 81)  // 1,619 × 5 % = 80.95 → 81
        s = try f.summary("2026-11-25T10:00:00+08:00")
        XCTAssertEqual(s.released.fen, 37_500 + 1_700)
        XCTAssertEqual(s, try f.recomputed("2026-11-25T10:00:00+08:00"))
    }

    func testYunjiSelfPurchaseAfterSevenDaysAndOpeningFee() throws {
        let f = try LedgerFixture(.yunji, rate: 2000)
        try f.run(
            "2026-11-01T12:00:00+08:00",
            [
                f.row("Y1", fen: 10_000, paid: "2026-10-28T09:00:00+08:00", .confirmed, at: "2026-11-01T12:00:00+08:00", selfPurchase: true)
            ])
        XCTAssertEqual(try f.summary("2026-11-08T11:59:59+08:00").frozen.fen, 2_000)
        let s = try f.summary("2026-11-08T12:00:00+08:00")
        XCTAssertEqual(s.released.fen, 2_000)
        XCTAssertEqual(s.feesPaid.fen, 39_800)
        XCTAssertEqual(s.available.fen, 2_000, "the opening fee is shown apart, not taken from earnings")
    }

    func testXiangdianSelfPurchaseEarnsNothing() throws {
        let f = try LedgerFixture(.xiangdian, rate: 2000)
        try f.run(
            "2026-11-01T12:00:00+08:00",
            [
                f.row(
                    "X1", fen: 10_000, paid: "2026-10-28T09:00:00+08:00", .confirmed, at: "2026-11-01T12:00:00+08:00", selfPurchase: true),
                f.row("X2", fen: 10_000, paid: "2026-10-28T09:00:00+08:00", .confirmed, at: "2026-11-01T12:00:00+08:00"),
            ])
        let s = try f.summary("2026-11-08T12:00:00+08:00")
        XCTAssertEqual(s.released.fen, 2_000)
        XCTAssertEqual(try f.store.db.prepare("SELECT sum(gmv_fen) FROM shop_days").scalarInt(), 10_000)
    }

    func testBeidianVolumeRewardFixedBeforeALaterRefund() throws {
        let f = try LedgerFixture(.beidian, rate: 1000)
        try f.run(
            "2026-10-31T20:00:00+08:00",
            [
                f.row("B1", fen: 600_000, paid: "2026-10-05T20:00:00+08:00", .confirmed, at: "2026-10-09T10:00:00+08:00"),
                f.row("B2", fen: 400_000, paid: "2026-10-20T20:00:00+08:00", .shipped, at: "2026-10-21T10:00:00+08:00"),
            ])
        // October GMV ¥10,000.00 → reward ¥200.00, provisional until October closes, fixed and
        // released at the close, 2026-11-08 00:00 (month_close_days 7).
        XCTAssertEqual(try f.summary("2026-11-07T23:59:59+08:00").rewards.fen, 0)
        var s = try f.summary("2026-11-08T00:00:00+08:00")
        XCTAssertEqual(s.rewards.fen, 20_000)
        XCTAssertEqual(s.released.fen, 60_000)  // B1 released 2026-10-24 (15 days)
        XCTAssertEqual(s.notes, [])
        // B2 refunded ¥50 after the close: October GMV falls to ¥9,950.00, the reward stays (noted).
        try f.run("2026-11-10T10:00:00+08:00", [f.row("B2", fen: 400_000, paid: "2026-10-20T20:00:00+08:00", .shipped, refunded: 5_000)])
        s = try f.summary("2026-11-10T10:00:00+08:00")
        XCTAssertEqual(s.notes.count, 1)
        XCTAssertEqual(s.rewards.fen, 20_000)
        XCTAssertEqual(s.pending.fen, 39_500)
        XCTAssertEqual(s.available.fen, 80_000)
        XCTAssertEqual(try f.store.db.prepare("SELECT sum(gmv_fen) FROM shop_days").scalarInt(), 995_000)
    }
}
