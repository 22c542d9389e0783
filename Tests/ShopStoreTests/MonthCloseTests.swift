import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// Closing a month (SPEC §6) at the store level: a month's late orders count until its close, the
/// level for the month after and its reward are provisional (applied) until then, fixed by the
/// first command on or after it, and later changes are noted, never applied.
final class MonthCloseTests: XCTestCase {
    func rules(closeDays: Int, _ p: Platform = .taoxiaopu) -> Rules {
        var r = Rules.preset(p)
        r.monthCloseDays = closeDays
        return r
    }

    /// The cron job: `earnings` at 00:05 on 11-01, October's export at 08:00.
    func testCronScenario() throws {
        let f = try LedgerFixture(.taoxiaopu)
        var s = try f.summary("2026-11-01T00:05:00+08:00")
        XCTAssertEqual(s.level, "新晋掌柜")
        XCTAssertTrue(s.levelProvisional)
        // ¥7,780.00 of October sales arrive at 08:00.
        try f.run("2026-11-01T08:00:00+08:00", [f.row("A", fen: 778_000, paid: "2026-10-15T20:00:00+08:00", .shipped)])
        s = try f.summary("2026-11-01T09:00:00+08:00")
        XCTAssertEqual(s.level, "资深掌柜")
        XCTAssertTrue(s.levelProvisional)
        // November's orders earn the provisional level's bonus (10 % of ¥100, +5 %).
        try f.run("2026-11-03T08:00:00+08:00", [f.row("N", fen: 10_000, paid: "2026-11-02T20:00:00+08:00")])
        XCTAssertEqual(try XCTUnwrap(f.store.orders.find("N")).bonus.fen, 50)
        s = try f.summary("2026-11-08T00:00:00+08:00")
        XCTAssertEqual(s.level, "资深掌柜")
        XCTAssertFalse(s.levelProvisional)
        XCTAssertEqual(s.notes, [])
        // October refunded on 11-20: the fixed level stands, and is noted.
        try f.run(
            "2026-11-20T10:00:00+08:00",
            [f.row("A", fen: 778_000, paid: "2026-10-15T20:00:00+08:00", .refunded, at: "2026-11-20T10:00:00+08:00")])
        s = try f.summary("2026-11-20T11:00:00+08:00")
        XCTAssertEqual(s.level, "资深掌柜")
        XCTAssertFalse(s.levelProvisional)
        XCTAssertEqual(s.notes.count, 1)
        XCTAssertEqual(
            s.notes[0].en,
            "2026-10: orders or refunds that arrived after the month closed (2026-11-08 00:00) changed its GMV from ¥7,780.00 to ¥0.00; "
                + "the level for 2026-11 (资深掌柜) stays as fixed")
        XCTAssertTrue(s.notes[0].en.hasPrefix("2026-10:"), s.notes[0].en)
        XCTAssertTrue(s.notes[0].en.contains("¥7,780.00 to ¥0.00"), s.notes[0].en)
        XCTAssertTrue(s.notes[0].en.contains("2026-11 (资深掌柜)"), s.notes[0].en)
        XCTAssertTrue(s.notes[0].zh.contains("结账"), s.notes[0].zh)
        XCTAssertEqual(try XCTUnwrap(f.store.orders.find("N")).bonus.fen, 50)
        // Kept, once, whatever comes later.
        try f.run(
            "2026-11-21T10:00:00+08:00",
            [f.row("B", fen: 1_000, paid: "2026-10-16T20:00:00+08:00")])
        XCTAssertEqual(try f.summary("2026-12-25T11:00:00+08:00").notes.count, 1)
        XCTAssertEqual(try f.summary("2026-11-20T11:00:00+08:00"), try f.recomputed("2026-11-20T11:00:00+08:00"))
        XCTAssertTrue(try f.store.check(now: t("2026-11-21T12:00:00+08:00")).allSatisfy(\.ok))
    }

    /// With 7 days, an order arriving at 11-07 23:59:59 counts for November; one at 11-08 00:00:00 does not.
    func testTheLastSecondOfTheWindow() throws {
        let inside = try LedgerFixture(.taoxiaopu)
        try inside.run("2026-11-07T23:59:59+08:00", [inside.row("A", fen: 500_000, paid: "2026-10-31T23:59:59+08:00")])
        XCTAssertEqual(try inside.summary("2026-11-08T00:00:00+08:00").level, "资深掌柜")
        let after = try LedgerFixture(.taoxiaopu)
        try after.run("2026-11-08T00:00:00+08:00", [after.row("A", fen: 500_000, paid: "2026-10-31T23:59:59+08:00")])
        let s = try after.summary("2026-11-08T00:00:00+08:00")
        XCTAssertEqual(s.level, "新晋掌柜")
        XCTAssertFalse(s.levelProvisional)
        XCTAssertEqual(s.notes.count, 1)
    }

    /// With 0 days a month closes as the next begins.
    func testZeroCloseDays() throws {
        let inside = try LedgerFixture(.taoxiaopu, rules: rules(closeDays: 0))
        try inside.run("2026-10-31T23:59:59+08:00", [inside.row("A", fen: 500_000, paid: "2026-10-31T23:00:00+08:00")])
        let s = try inside.summary("2026-11-01T00:00:00+08:00")
        XCTAssertEqual(s.level, "资深掌柜")
        XCTAssertFalse(s.levelProvisional, "fixed at once")
        let after = try LedgerFixture(.taoxiaopu, rules: rules(closeDays: 0))
        try after.run("2026-11-01T00:00:00+08:00", [after.row("A", fen: 500_000, paid: "2026-10-31T23:00:00+08:00")])
        XCTAssertEqual(try after.summary("2026-11-01T00:00:00+08:00").level, "新晋掌柜")
    }

    /// With 28 days January closes on 1 March in a common year, on 29 February in a leap year.
    func testTwentyEightCloseDays() throws {
        for (year, lastSecond, close) in [
            (2026, "2026-02-28T23:59:59+08:00", "2026-03-01T00:00:00+08:00"),
            (2028, "2028-02-28T23:59:59+08:00", "2028-02-29T00:00:00+08:00"),
        ] {
            let opened = "\(year - 1)-12-01T10:00:00+08:00"
            let inside = try LedgerFixture(.taoxiaopu, opened: opened, rules: rules(closeDays: 28))
            try inside.run(lastSecond, [inside.row("A", fen: 500_000, paid: "\(year)-01-20T10:00:00+08:00")])
            var s = try inside.summary(lastSecond)
            XCTAssertEqual(s.level, "资深掌柜", "\(year)")
            XCTAssertTrue(s.levelProvisional, "\(year)")
            // February's level, fixed at the close (in 2026 the close is already in March).
            func february(_ f: LedgerFixture) throws -> String {
                _ = try f.summary(close)
                return try f.store.db.prepare(
                    "SELECT level || ',' || (level_fixed_at IS NOT NULL) FROM shop_months WHERE month = \(year * 12 + 1)"
                ).scalarText() ?? ""
            }
            XCTAssertEqual(try february(inside), "资深掌柜,1", "\(year)")
            let after = try LedgerFixture(.taoxiaopu, opened: opened, rules: rules(closeDays: 28))
            try after.run(close, [after.row("A", fen: 500_000, paid: "\(year)-01-20T10:00:00+08:00")])
            XCTAssertEqual(try february(after), "新晋掌柜,1", "\(year)")
        }
    }

    /// A refund inside the window moves the provisional level and the bonuses of the month it
    /// applies to; one after the window moves nothing but is noted.
    func testRefundInsideAndAfterTheWindow() throws {
        for (refundAt, level, bonus, notes) in [
            ("2026-11-05T10:00:00+08:00", "新晋掌柜", Int64(0), 0), ("2026-11-08T10:00:00+08:00", "资深掌柜", Int64(50), 1),
        ] {
            let f = try LedgerFixture(.taoxiaopu)
            try f.run(
                "2026-11-02T10:00:00+08:00",
                [
                    f.row("A", fen: 600_000, paid: "2026-10-10T10:00:00+08:00", .shipped),
                    f.row("N", fen: 10_000, paid: "2026-11-01T10:00:00+08:00"),
                ])
            XCTAssertEqual(try XCTUnwrap(f.store.orders.find("N")).bonus.fen, 50)
            // ¥1,500 refunded: October falls to ¥4,500, below 资深掌柜's ¥5,000.
            try f.run(refundAt, [f.row("A", fen: 600_000, paid: "2026-10-10T10:00:00+08:00", .shipped, refunded: 150_000)])
            let s = try f.summary("2026-11-10T10:00:00+08:00")
            XCTAssertEqual(s.level, level, refundAt)
            XCTAssertFalse(s.levelProvisional)
            XCTAssertEqual(s.notes.count, notes, refundAt)
            XCTAssertEqual(try XCTUnwrap(f.store.orders.find("N")).bonus.fen, bonus, refundAt)
            XCTAssertEqual(s, try f.recomputed("2026-11-10T10:00:00+08:00"))
            XCTAssertTrue(try f.store.check(now: t("2026-11-10T10:00:00+08:00")).allSatisfy(\.ok))
        }
    }

    /// 贝店: October's reward is provisional (stored, not released) until October closes, follows
    /// refunds inside the window, and is fixed and released at the close.
    func testBeidianRewardProvisionalThenFixedAndReleased() throws {
        let f = try LedgerFixture(.beidian)
        try f.run("2026-10-20T12:00:00+08:00", [f.row("A", fen: 1_000_000, paid: "2026-10-10T10:00:00+08:00", .shipped)])
        func stored() throws -> String {
            try f.store.db.prepare(
                "SELECT reward_fen || ',' || (reward_fixed_at IS NOT NULL) FROM shop_months WHERE month = \(2026 * 12 + 9)"
            ).scalarText() ?? ""
        }
        XCTAssertEqual(try f.summary("2026-11-03T12:00:00+08:00").rewards.fen, 0)
        XCTAssertEqual(try stored(), "20000,0")
        // Refunded ¥50 inside the window: October falls to ¥9,950.00, under the first tier.
        try f.run("2026-11-05T12:00:00+08:00", [f.row("A", fen: 1_000_000, paid: "2026-10-10T10:00:00+08:00", .shipped, refunded: 5_000)])
        XCTAssertEqual(try stored(), "0,0")
        XCTAssertEqual(try f.summary("2026-11-08T00:00:00+08:00").rewards.fen, 0)
        XCTAssertEqual(try stored(), "0,1")

        let g = try LedgerFixture(.beidian)
        try g.run("2026-10-20T12:00:00+08:00", [g.row("A", fen: 1_000_000, paid: "2026-10-10T10:00:00+08:00", .shipped)])
        XCTAssertEqual(try g.summary("2026-11-07T23:59:59+08:00").rewards.fen, 0)
        XCTAssertEqual(try g.summary("2026-11-08T00:00:00+08:00").rewards.fen, 20_000)
        XCTAssertEqual(try g.summary("2026-11-08T00:00:00+08:00").available.fen, 20_000)
    }

    /// A shop's first month is never provisional; the next is until the first closes.
    func testFirstMonthIsNeverProvisional() throws {
        let f = try LedgerFixture(.taoxiaopu)
        XCTAssertFalse(try f.summary("2026-08-15T10:00:00+08:00").levelProvisional)
        XCTAssertTrue(try f.summary("2026-09-07T23:59:59+08:00").levelProvisional)
        XCTAssertFalse(try f.summary("2026-09-08T00:00:00+08:00").levelProvisional)
        // 云集: one level, fixed the same way.
        let y = try LedgerFixture(.yunji)
        XCTAssertTrue(try y.summary("2026-09-03T10:00:00+08:00").levelProvisional)
        XCTAssertEqual(try y.summary("2026-09-03T10:00:00+08:00").level, "店主")
    }

    /// Reading fixes nothing until something is due; then exactly once.
    func testNeedsFixingOnlyWhenDue() throws {
        let f = try LedgerFixture(.taoxiaopu)
        try f.run("2026-10-20T12:00:00+08:00", [f.row("A", fen: 600_000, paid: "2026-10-10T10:00:00+08:00")])
        let ledger = Ledger(store: f.store)
        XCTAssertFalse(try ledger.needsFixing(shop: f.shop, now: t("2026-11-07T23:59:59+08:00")))
        XCTAssertTrue(try ledger.needsFixing(shop: f.shop, now: t("2026-11-08T00:00:00+08:00")))
        _ = try f.summary("2026-11-08T00:00:00+08:00")
        XCTAssertFalse(try ledger.needsFixing(shop: f.shop, now: t("2026-11-30T00:00:00+08:00")))
        XCTAssertEqual(try ledger.currentLevel(of: f.shop, now: t("2026-11-30T00:00:00+08:00")).level.name, "资深掌柜")
    }

    /// A store made before month closes (schema 6, rules without `month_close_days`) keeps the
    /// facts it fixed: November's level, fixed at 11-01 00:05 the old way, stays although October's
    /// GMV now says otherwise.
    func testOldStoreKeepsItsFixedFacts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("close-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("shop.db").path
        try FileManager.default.copyItem(atPath: MigrationTests.fixtures.appendingPathComponent("v6.db").path, toPath: path)
        let old = try Database(path: path)
        XCTAssertEqual(try old.pragmaInt("user_version"), 6)
        XCTAssertFalse(try old.prepare("SELECT value FROM meta WHERE key = 'rules'").scalarText()?.contains("month_close_days") ?? true)
        let october = CivilDate(year: 2026, month: 10, day: 15)!.daysSinceEpoch
        let fixedAt = t("2026-11-01T00:05:00+08:00").seconds
        try old.execute(
            """
            INSERT INTO shop_days(shop_id, day, orders, gmv_fen, commission_fen, bonus_fen, refunded_fen)
                VALUES ('S000001', \(october), 1, 778000, 155600, 0, 0);
            INSERT INTO shop_months(shop_id, month, level, bonus_bp, level_fixed_at) VALUES ('S000001', \(2026 * 12 + 9), '新晋掌柜', 0, \(fixedAt));
            INSERT INTO shop_months(shop_id, month, level, bonus_bp, level_fixed_at) VALUES ('S000001', \(2026 * 12 + 10), '新晋掌柜', 0, \(fixedAt));
            """)
        let store = try Store.open(
            path: path,
            creation: .init(
                platform: .yunji, rules: Rules.preset(.yunji), now: MigrationTests.opened, secret: Array(repeating: 0, count: 32)))
        XCTAssertEqual(try store.db.pragmaInt("user_version"), Int64(Store.schemaVersion))
        XCTAssertEqual(store.rules.monthCloseDays, 7, "the preset's default")
        let shop = try XCTUnwrap(try store.shops.find("S000001", rules: store.rules))
        let ledger = Ledger(store: store)
        let s = try store.write { () throws -> EarningsSummary in
            try ledger.fixMonths(shop: shop, now: t("2026-11-03T10:00:00+08:00"))
            return try ledger.summary(shop: shop, now: t("2026-11-03T10:00:00+08:00"))
        }
        XCTAssertEqual(s.level, "新晋掌柜")
        XCTAssertFalse(s.levelProvisional)
        XCTAssertEqual(
            try store.db.prepare("SELECT level_fixed_at FROM shop_months WHERE month = \(2026 * 12 + 10)").scalarInt(), fixedAt)
        // December's level is new: provisional until November closes.
        let d = try store.write { () throws -> EarningsSummary in
            try ledger.fixMonths(shop: shop, now: t("2026-12-03T10:00:00+08:00"))
            return try ledger.summary(shop: shop, now: t("2026-12-03T10:00:00+08:00"))
        }
        XCTAssertTrue(d.levelProvisional)
    }
}

/// A randomized check of §6 against a model: orders and refunds arrive at a clock that moves
/// forward by 1–60 hours a step, and after every step each fixed level is the one the model gives
/// from what arrived before its month's close, the current level is the model's (provisional until
/// last month closes), once fixed a level never moves, every order carries the bonus of its
/// month's level, and the running totals equal a recomputation.
final class MonthCloseModelTests: XCTestCase {
    struct Event {
        var arrived: Instant
        var month: Int
        var gmv: Int64
    }

    func testRandomArrivalsAgainstTheModel() throws {
        var trials = 0
        for seed in UInt64(1)...4 {
            var g = SplitMix64(seed: seed)
            let closeDays = [0, 7, 3, 28][Int(seed - 1)]
            var rules = Rules.preset(.taoxiaopu)
            rules.monthCloseDays = closeDays
            let f = try LedgerFixture(.taoxiaopu, rules: rules)
            let zone = rules.zone
            var now = t("2026-08-02T10:00:00+08:00")
            var events: [Event] = []
            var orders: [(id: String, fen: Int64, paid: Instant, refunded: Int64, done: Bool)] = []
            var seen: [Int: String] = [:]
            func month(_ i: Instant) -> Int { MonthIndex(zone.civilDate(of: i)).value }
            let opened = month(f.shop.openedAt)
            for step in 0..<150 {
                now = now.adding(seconds: Int64(3600 * (1 + g.below(60))))
                let stamp = now.rfc3339(in: zone)
                switch g.below(4) {
                case 0, 1:
                    // Paid in this month or the one before (not before the shop opened).
                    let earliest = max(f.shop.openedAt.seconds, zone.instant(of: MonthIndex(month(now)).previous.firstDay).seconds)
                    let paid = Instant(seconds: earliest + Int64(g.below(Int(now.seconds - earliest))))
                    let fen = Int64(1_000 + g.below(400_000))
                    let id = "O\(step)-\(seed)"
                    XCTAssertEqual(try f.run(stamp, [f.row(id, fen: fen, paid: paid.rfc3339(in: zone))]).rejected.count, 0)
                    orders.append((id, fen, paid, 0, false))
                    events.append(Event(arrived: now, month: month(paid), gmv: fen))
                case 2:
                    guard
                        let i = orders.indices.filter({ !orders[$0].done && orders[$0].refunded < orders[$0].fen }).randomElement(using: &g)
                    else { continue }
                    let o = orders[i]
                    if g.below(3) == 0 {
                        XCTAssertEqual(
                            try f.run(stamp, [f.row(o.id, fen: o.fen, paid: o.paid.rfc3339(in: zone), .refunded)]).rejected.count, 0)
                        events.append(Event(arrived: now, month: month(o.paid), gmv: -(o.fen - o.refunded)))
                        orders[i].done = true
                    } else {
                        let more = Int64(1 + g.below(Int(o.fen - o.refunded)))
                        XCTAssertEqual(
                            try f.run(stamp, [f.row(o.id, fen: o.fen, paid: o.paid.rfc3339(in: zone), refunded: o.refunded + more)])
                                .rejected.count, 0)
                        events.append(Event(arrived: now, month: month(o.paid), gmv: -more))
                        orders[i].refunded += more
                    }
                default: break
                }
                let s = try f.summary(stamp)
                trials += 1
                // The model: the level for M+1 from M's GMV, counting what arrived before M's close.
                func expected(_ m: Int) -> String {
                    if m <= opened { return rules.lowestLevel.name }
                    let close = MonthRules.closeTime(of: MonthIndex(m - 1), rules: rules)
                    let closed = now >= close
                    let gmv = events.filter { $0.month == m - 1 && (!closed || $0.arrived < close) }.reduce(0) { $0 + $1.gmv }
                    return MonthRules.level(previousGMV: Money(fen: gmv), rules: rules).name
                }
                let current = month(now)
                XCTAssertEqual(s.level, expected(current), "seed \(seed) step \(step) \(stamp)")
                XCTAssertEqual(s.levelProvisional, current > opened && !MonthRules.isClosed(MonthIndex(current - 1), at: now, rules: rules))
                let rows = try Ledger(store: f.store).monthRows(shopID: f.shop.shopID)
                for (m, row) in rows where row.levelFixed {
                    XCTAssertEqual(row.level, expected(m), "seed \(seed) month \(MonthIndex(m))")
                    if let before = seen[m] { XCTAssertEqual(row.level, before, "a fixed level never moves") }
                    seen[m] = row.level
                }
                // Every order carries its month's bonus.
                try f.store.orders.all(shopID: f.shop.shopID) { o in
                    let bp = Int64(rows[month(o.order.paidAt)]?.bonusBP ?? 0)
                    XCTAssertEqual(o.bonus.fen, (o.commission.fen * bp + 5_000) / 10_000, "\(o.order.orderID)")
                }
                if step % 10 == 0 {
                    XCTAssertEqual(s, try f.recomputed(stamp))
                    XCTAssertTrue(try f.store.check(now: now).allSatisfy(\.ok))
                }
            }
        }
        XCTAssertGreaterThanOrEqual(trials, 590)
    }
}
