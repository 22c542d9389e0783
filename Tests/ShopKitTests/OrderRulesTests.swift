import XCTest

@testable import ShopKit

func t(_ s: String) -> Instant { try! Instant.parseRFC3339(s) }

func makeOrder(
    _ status: OrderStatus = .paid, amount: Int64 = 10_000, refunded: Int64 = 0, rate: Int = 1000,
    paid: String = "2026-10-10T20:00:00+08:00",
    confirmed: String? = nil, selfPurchase: Bool = false
) -> Order {
    Order(
        orderID: "O1", shopID: "S000001", shareID: 1, productID: "P1", category: "食品保健", channel: "wechat-moments", quantity: 1,
        unitPrice: Money(fen: amount), amount: Money(fen: amount), refunded: Money(fen: refunded), status: status,
        statusAt: confirmed.map(t) ?? t(paid), paidAt: t(paid), confirmedAt: confirmed.map(t), rate: Rate(bp: rate),
        selfPurchase: selfPurchase)
}

final class OrderRulesTests: XCTestCase {
    let now = t("2026-11-21T09:30:00+08:00")

    func testEveryTransition() throws {
        let all = OrderStatus.allCases
        for from in all {
            for to in all {
                let o = makeOrder(from)
                let allowed =
                    from == to
                    || (from != .refunded
                        && (to == .refunded || (from == .paid && (to == .shipped || to == .confirmed))
                            || (from == .shipped && to == .confirmed)))
                let c = refusalCode {
                    _ = try OrderRules.apply(OrderChange(status: to, statusAt: nil, refunded: nil), to: o, now: self.now)
                }
                XCTAssertEqual(c, allowed ? nil : "invalid-transition", "\(from) → \(to)")
            }
        }
    }

    func testSameDataChangesNothing() throws {
        let o = makeOrder(.shipped, refunded: 500)
        XCTAssertNil(try OrderRules.apply(OrderChange(status: .shipped, statusAt: now, refunded: Money(fen: 500)), to: o, now: now))
        XCTAssertNil(try OrderRules.apply(OrderChange(status: .shipped, statusAt: nil, refunded: nil), to: o, now: now))
    }

    func testPartialThenFullRefund() throws {
        var o = makeOrder(.shipped)
        o = try XCTUnwrap(OrderRules.apply(OrderChange(status: .shipped, statusAt: nil, refunded: Money(fen: 3_000)), to: o, now: now))
        XCTAssertEqual(o.net.fen, 7_000)
        o = try XCTUnwrap(OrderRules.apply(OrderChange(status: .confirmed, statusAt: now, refunded: nil), to: o, now: now))
        XCTAssertEqual(o.refunded.fen, 3_000, "a refund is kept when the status moves on")
        XCTAssertEqual(o.confirmedAt, now)
        o = try XCTUnwrap(OrderRules.apply(OrderChange(status: .refunded, statusAt: now, refunded: Money(fen: 10_000)), to: o, now: now))
        XCTAssertEqual(o.net, .zero)
        XCTAssertEqual(
            refusalCode {
                _ = try OrderRules.apply(OrderChange(status: .refunded, statusAt: nil, refunded: Money(fen: 9_000)), to: o, now: self.now)
            }, "invalid-transition")
    }

    func testRefundsOnlyGrowAndNeverPassTheAmount() {
        let o = makeOrder(.shipped, refunded: 2_000)
        XCTAssertEqual(
            refusalCode {
                _ = try OrderRules.apply(OrderChange(status: .shipped, statusAt: nil, refunded: Money(fen: 1_000)), to: o, now: self.now)
            }, "invalid-transition")
        XCTAssertEqual(
            refusalCode {
                _ = try OrderRules.apply(OrderChange(status: .shipped, statusAt: nil, refunded: Money(fen: 10_001)), to: o, now: self.now)
            }, "bad-value")
        XCTAssertNil(
            refusalCode {
                _ = try OrderRules.apply(OrderChange(status: .shipped, statusAt: nil, refunded: Money(fen: 10_000)), to: o, now: self.now)
            })
    }

    func testStatusTimesMustBeBetweenPaymentAndNow() {
        let o = makeOrder(.paid)
        XCTAssertEqual(
            refusalCode {
                _ = try OrderRules.apply(
                    OrderChange(status: .shipped, statusAt: t("2026-10-01T00:00:00+08:00"), refunded: nil), to: o, now: self.now)
            }, "bad-value")
        XCTAssertEqual(
            refusalCode {
                _ = try OrderRules.apply(
                    OrderChange(status: .shipped, statusAt: t("2026-12-01T00:00:00+08:00"), refunded: nil), to: o, now: self.now)
            }, "bad-value")
    }
}

final class ContributionTests: XCTestCase {
    let tao = Rules.preset(.taoxiaopu)

    func testRoundHalfUpOncePerOrder() {
        // 25 fen at 10 % = 2.5 fen → 3; bonus 5 % of 3 fen = 0.15 → 0.
        let c = OrderContribution(makeOrder(amount: 25), bonus: Rate(bp: 500), rules: tao, zone: .shanghai)
        XCTAssertEqual(c.commission.fen, 3)
        XCTAssertEqual(c.bonus.fen, 0)
        // ¥129.50 at 12.5 % = 1618.75 → 1619; bonus 10 % = 161.9 → 162.
        let d = OrderContribution(makeOrder(amount: 12_950, rate: 1250), bonus: Rate(bp: 1000), rules: tao, zone: .shanghai)
        XCTAssertEqual(d.commission.fen, 1619)
        XCTAssertEqual(d.bonus.fen, 162)
        XCTAssertEqual(d.earnings.fen, 1781)
        // Bonus at exactly .5 fen: commission 10 fen × 5 % = 0.5 → 1.
        XCTAssertEqual(OrderContribution(makeOrder(amount: 100), bonus: Rate(bp: 500), rules: tao, zone: .shanghai).bonus.fen, 1)
    }

    func testPartialRefundChangesEveryFigure() {
        let c = OrderContribution(
            makeOrder(.confirmed, amount: 10_000, refunded: 2_500, confirmed: "2026-10-12T10:00:00+08:00"), bonus: .zero, rules: tao,
            zone: .shanghai)
        XCTAssertEqual(c.gmv.fen, 7_500)
        XCTAssertEqual(c.commission.fen, 750)
        XCTAssertEqual(c.refunded.fen, 2_500)
        let r = OrderContribution(makeOrder(.refunded, amount: 10_000, refunded: 2_500), bonus: .zero, rules: tao, zone: .shanghai)
        XCTAssertEqual(r.gmv, .zero)
        XCTAssertEqual(r.commission, .zero)
        XCTAssertEqual(r.refunded.fen, 10_000, "a refunded order's whole amount counts as refunded")
        XCTAssertEqual(r.state, .none)
        XCTAssertEqual(r.units, 0)
    }

    func testSelfPurchaseOnEachPreset() {
        for p in Platform.allCases {
            let rules = Rules.preset(p)
            let c = OrderContribution(makeOrder(selfPurchase: true), bonus: .zero, rules: rules, zone: .shanghai)
            XCTAssertEqual(c.counts, p == .yunji, p.rawValue)
            XCTAssertEqual(c.commission.fen, p == .yunji ? 1_000 : 0, p.rawValue)
            XCTAssertEqual(c.gmv.fen, p == .yunji ? 10_000 : 0, p.rawValue)
        }
    }

    func testReleaseTimes() {
        // after_days: confirmed + 7 × 24 h exactly.
        XCTAssertEqual(
            Rules.preset(.yunji).settlement.releaseTime(confirmedAt: t("2026-10-31T23:30:00+08:00"), zone: .shanghai),
            t("2026-11-07T23:30:00+08:00"))
        XCTAssertEqual(
            Rules.preset(.beidian).settlement.releaseTime(confirmedAt: t("2026-10-31T23:30:00+08:00"), zone: .shanghai),
            t("2026-11-15T23:30:00+08:00"))
        // monthly: 00:00 on day 20 of the next month, in Asia/Shanghai (16:00 UTC the day before).
        XCTAssertEqual(
            tao.settlement.releaseTime(confirmedAt: t("2026-10-31T23:30:00+08:00"), zone: .shanghai), t("2026-11-19T16:00:00Z"))
        // A confirmation on the last evening of October in UTC is already November in Shanghai.
        XCTAssertEqual(
            tao.settlement.releaseTime(confirmedAt: t("2026-10-31T16:30:00Z"), zone: .shanghai), t("2026-12-20T00:00:00+08:00"))
        XCTAssertEqual(
            tao.settlement.releaseTime(confirmedAt: t("2026-10-31T16:30:00Z"), zone: .utc), t("2026-11-20T00:00:00Z"))
        XCTAssertEqual(
            tao.settlement.releaseTime(confirmedAt: t("2026-12-15T12:00:00+08:00"), zone: .shanghai), t("2027-01-20T00:00:00+08:00")
        )
    }
}

final class MonthRulesTests: XCTestCase {
    let tao = Rules.preset(.taoxiaopu)
    let bei = Rules.preset(.beidian)

    func testLevelsAtTheirThresholds() {
        XCTAssertEqual(MonthRules.level(previousGMV: Money(fen: 0), rules: tao).name, "新晋掌柜")
        XCTAssertEqual(MonthRules.level(previousGMV: Money(fen: 499_999), rules: tao).name, "新晋掌柜")
        XCTAssertEqual(MonthRules.level(previousGMV: Money(fen: 500_000), rules: tao).name, "资深掌柜")
        XCTAssertEqual(MonthRules.level(previousGMV: Money(fen: 3_000_000), rules: tao).name, "精英掌柜")
        XCTAssertEqual(MonthRules.level(previousGMV: Money(fen: 99_999_999), rules: tao).name, "超级掌柜")
        XCTAssertEqual(MonthRules.nextLevel(after: "精英掌柜", rules: tao)?.name, "超级掌柜")
        XCTAssertNil(MonthRules.nextLevel(after: "超级掌柜", rules: tao))
        XCTAssertNil(MonthRules.nextLevel(after: "店主", rules: bei))
    }

    func testLevelOfAMonthIsTheLowestUpToTheMonthTheShopOpened() {
        let opened = MonthIndex(CivilDate(year: 2026, month: 9, day: 30)!)
        let rich = Money(fen: 3_000_000)
        var asked = 0
        let gmv = { () -> Money in
            asked += 1
            return rich
        }
        XCTAssertEqual(MonthRules.level(of: opened.previous, opened: opened, rules: tao, previousGMV: gmv).name, "新晋掌柜")
        XCTAssertEqual(MonthRules.level(of: opened, opened: opened, rules: tao, previousGMV: gmv).name, "新晋掌柜")
        XCTAssertEqual(asked, 0, "no GMV is read for the month the shop opened in")
        XCTAssertEqual(MonthRules.level(of: opened.next, opened: opened, rules: tao, previousGMV: gmv).name, "精英掌柜")
        XCTAssertEqual(asked, 1)
    }

    func testVolumeRewardTiers() {
        XCTAssertEqual(MonthRules.reward(gmv: Money(fen: 999_999), rules: bei), .zero)
        XCTAssertEqual(MonthRules.reward(gmv: Money(fen: 1_000_000), rules: bei).fen, 20_000)
        XCTAssertEqual(MonthRules.reward(gmv: Money(fen: 4_999_999), rules: bei).fen, 20_000)
        XCTAssertEqual(MonthRules.reward(gmv: Money(fen: 5_000_000), rules: bei).fen, 120_000)
        XCTAssertEqual(MonthRules.reward(gmv: Money(fen: 9_000_000), rules: tao), .zero)
    }

    func testWithdrawals() throws {
        XCTAssertThrowsError(try Withdrawal.check(Money(fen: 999), available: Money(fen: 5_000), rules: tao)) { e in
            XCTAssertEqual((e as? ShopError)?.code, "below-minimum")
        }
        XCTAssertEqual(try Withdrawal.check(Money(fen: 1_000), available: Money(fen: 1_000), rules: tao).payout.fen, 1_000)
        XCTAssertThrowsError(try Withdrawal.check(Money(fen: 1_001), available: Money(fen: 1_000), rules: tao)) { e in
            XCTAssertEqual((e as? ShopError)?.code, "insufficient-balance")
        }
        XCTAssertThrowsError(try Withdrawal.check(Money(fen: 1_000), available: Money(fen: -500), rules: tao)) { e in
            XCTAssertEqual((e as? ShopError)?.code, "insufficient-balance")
        }
        var feeRules = tao
        feeRules.withdrawFee = Rate(bp: 60)  // 0.6 %
        let w = try Withdrawal.check(Money(fen: 12_345), available: Money(fen: 20_000), rules: feeRules)
        XCTAssertEqual(w.fee.fen, 74)  // 74.07 → 74
        XCTAssertEqual(w.payout.fen, 12_271)
        XCTAssertEqual(try Withdrawal.check(Money(fen: 2_500), available: Money(fen: 20_000), rules: feeRules).fee.fen, 15)  // 15.0
        XCTAssertEqual(try Withdrawal.check(Money(fen: 1_250), available: Money(fen: 20_000), rules: feeRules).fee.fen, 8)  // 7.5 → 8
    }

    func testSummaryArithmetic() {
        let s = EarningsSummary(
            pending: Money(fen: 100), frozen: Money(fen: 200), released: Money(fen: 300), rewards: Money(fen: 20_000),
            withdrawn: Money(fen: 25_000),
            feesPaid: Money(fen: 39_800), level: "新晋掌柜", nextLevel: Rules.preset(.taoxiaopu).levels[1], monthGMV: Money(fen: 123_400))
        XCTAssertEqual(s.available.fen, -4_700, "may go negative after a clawback")
        XCTAssertEqual(s.gmvToNextLevel?.fen, 376_600)
        XCTAssertEqual(
            s.json.objectValue?.map(\.0),
            [
                "pending_fen", "frozen_fen", "released_fen", "rewards_fen", "withdrawn_fen", "available_fen", "fees_paid_fen", "level",
                "level_provisional", "next_level",
                "gmv_to_next_level_fen", "month_gmv_fen", "notes",
            ])
    }

    func testPeriodsAndWeeks() throws {
        let y = try ReportPeriod.parse("2026")
        XCTAssertEqual(y.start.description, "2026-01-01")
        XCTAssertEqual(y.end.description, "2027-01-01")
        let m = try ReportPeriod.parse("2026-02")
        XCTAssertEqual(m.end.description, "2026-03-01")
        let d = try ReportPeriod.parse("2026-11-21")
        XCTAssertEqual(d.end.description, "2026-11-22")
        let r = try ReportPeriod.parse("2026-09..2026-11")
        XCTAssertEqual(r.start.description, "2026-09-01")
        XCTAssertEqual(r.end.description, "2026-12-01")
        XCTAssertEqual(try ReportPeriod.parse("2026-11-01..2026-11-15").end.description, "2026-11-16")
        for bad in ["2026-13", "26-11", "2026-11-31", "2026-11..2026-10", "lastmonth", "", "2026-1"] {
            XCTAssertThrowsError(try ReportPeriod.parse(bad), bad)
        }
        func week(_ s: String) -> String { ReportGrouping.week.key(of: CivilDate.parse(s)!) }
        XCTAssertEqual(week("2026-12-31"), "2026-W53")
        XCTAssertEqual(week("2027-01-01"), "2026-W53")
        XCTAssertEqual(week("2026-01-01"), "2026-W01")
        XCTAssertEqual(week("2025-12-29"), "2026-W01")
        XCTAssertEqual(week("2026-11-21"), "2026-W47")
    }
}
