import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

func t(_ s: String) -> Instant { try! Instant.parseRFC3339(s) }

/// A store with one shop, one product and one storefront link, driven by order rows.
final class LedgerFixture {
    let dir: URL
    let store: Store
    let shop: Shop
    var token = ""
    var productToken = ""

    init(_ platform: Platform, opened: String = "2026-08-01T10:00:00+08:00", rate: Int = 1000, rules: Rules? = nil) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")
        let openedAt = try Instant.parseRFC3339(opened)
        store = try Store.open(
            path: dir.appendingPathComponent("shop.db").path,
            creation: .init(
                platform: platform, rules: rules ?? Rules.preset(platform), now: openedAt,
                secret: (0..<32).map { _ in UInt8.random(in: 0...255) }))
        shop = Shop(
            shopID: "S000001", memberID: "m1", name: "小美", displayName: "小美", description: "", logo: nil, level: "", openedAt: openedAt,
            openingFee: store.rules.openingFee)
        try store.write {
            try store.shops.insert(shop)
            try store.catalog.upsert(
                Supplier(
                    supplierID: "SP", name: "s", registeredCapital: Money(fen: 100_000_000), generalTaxpayer: true,
                    deposit: Money(fen: 1_000_000), authChainLevels: 1),
                admitted: true)
            try store.catalog.upsert(
                Product(
                    productID: "P1", supplierID: "SP", title: "t", brand: "b", category: "食品保健", price: Money(fen: 10_000),
                    commissionRate: Rate(bp: rate), stock: 9, status: .on))
            token = try store.shares.issue(
                ShareFields(shopID: "S000001", productID: nil, channel: "wechat-group", campaign: nil, createdAt: openedAt),
                secret: store.secret
            ).token
            productToken = try store.shares.issue(
                ShareFields(shopID: "S000001", productID: "P1", channel: "weibo", campaign: nil, createdAt: openedAt), secret: store.secret
            ).token
        }
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Imports rows as one command at `now`.
    @discardableResult
    func run(_ now: String, _ rows: [OrderRow]) throws -> ImportReport {
        let importer = OrderImporter(store: store, now: try Instant.parseRFC3339(now))
        var report = ImportReport()
        try store.write {
            for r in rows {
                do {
                    _ = try importer.apply(r)
                    report.accepted += 1
                } catch let p as RowProblem {
                    report.rejected.append(RowRejection(line: 0, id: r.orderID, code: p.code, message: p.message))
                }
            }
            try importer.finish()
        }
        return report
    }

    func row(
        _ id: String, fen: Int64, paid: String, _ status: OrderStatus = .paid, at: String? = nil, refunded: Int64? = nil, qty: Int64 = 1,
        selfPurchase: Bool = false, token: String? = nil
    ) -> OrderRow {
        OrderRow(
            orderID: id, productID: "P1", quantity: qty, unitPrice: Money(fen: fen), amount: Money(fen: fen * qty), paidAt: t(paid),
            status: status,
            shareToken: token ?? self.token, statusAt: at.map(t), refunded: refunded.map { Money(fen: $0) }, selfPurchase: selfPurchase)
    }

    func summary(_ now: String) throws -> EarningsSummary {
        let ledger = Ledger(store: store)
        return try store.write {
            try ledger.fixMonths(shop: shop, now: t(now))
            return try ledger.summary(shop: shop, now: t(now))
        }
    }

    func recomputed(_ now: String) throws -> EarningsSummary {
        try Ledger(store: store).recomputedSummary(shop: shop, now: t(now))
    }
}

final class LedgerTests: XCTestCase {
    func testReleaseAtMidnightOfDay20InShanghai() throws {
        let f = try LedgerFixture(.taoxiaopu)
        try f.run(
            "2026-10-31T23:30:00+08:00",
            [f.row("A", fen: 10_000, paid: "2026-10-20T10:00:00+08:00", .confirmed, at: "2026-10-31T23:30:00+08:00")])
        // Confirmed on the last evening of October (Shanghai): released 2026-11-20 00:00 Shanghai = 11-19 16:00 UTC.
        XCTAssertEqual(try f.summary("2026-11-19T15:59:59Z").frozen.fen, 1_000)
        XCTAssertEqual(try f.summary("2026-11-19T15:59:59Z").released.fen, 0)
        XCTAssertEqual(try f.summary("2026-11-19T16:00:00Z").released.fen, 1_000)
        XCTAssertEqual(try f.summary("2026-11-19T16:00:00Z").frozen.fen, 0)
        XCTAssertEqual(try f.summary("2026-11-19T16:00:00Z"), try f.recomputed("2026-11-19T16:00:00Z"))
    }

    func testAfterDaysRelease() throws {
        let f = try LedgerFixture(.beidian)
        try f.run(
            "2026-11-01T12:00:00+08:00",
            [f.row("A", fen: 10_000, paid: "2026-10-28T10:00:00+08:00", .confirmed, at: "2026-11-01T12:00:00+08:00")])
        XCTAssertEqual(try f.summary("2026-11-16T11:59:59+08:00").released.fen, 0)
        XCTAssertEqual(try f.summary("2026-11-16T12:00:00+08:00").released.fen, 1_000)
    }

    func testMonthEndLevelChangeGivesTheBonusOfThePaidMonth() throws {
        let f = try LedgerFixture(.taoxiaopu)
        // September GMV ¥5,000.00 exactly → October is 资深掌柜 (+5 %).
        try f.run(
            "2026-10-05T12:00:00+08:00",
            [
                f.row("S1", fen: 300_000, paid: "2026-09-10T10:00:00+08:00", .shipped),
                f.row("S2", fen: 200_000, paid: "2026-09-30T23:59:59+08:00", .shipped),
                f.row("O1", fen: 10_000, paid: "2026-10-01T00:00:00+08:00"),
            ])
        let o1 = try XCTUnwrap(f.store.orders.find("O1"))
        XCTAssertEqual(o1.commission.fen, 1_000)
        XCTAssertEqual(o1.bonus.fen, 50)
        XCTAssertEqual(try XCTUnwrap(f.store.orders.find("S1")).bonus.fen, 0, "September stays at the lowest level")
        let s = try f.summary("2026-10-05T12:00:00+08:00")
        XCTAssertEqual(s.level, "资深掌柜")
        XCTAssertEqual(s.pending.fen, 30_000 + 20_000 + 1_050)
        XCTAssertEqual(s.monthGMV.fen, 10_000)
        XCTAssertEqual(s.nextLevel?.name, "精英掌柜")
        XCTAssertEqual(s.gmvToNextLevel?.fen, 3_000_000 - 10_000)
        XCTAssertTrue(s.levelProvisional)
        // A refund of September after September closed (10-08 00:00) does not change October's
        // fixed level (SPEC §6; one arriving before the close would: MonthCloseTests).
        try f.run(
            "2026-10-08T12:00:00+08:00",
            [f.row("S2", fen: 200_000, paid: "2026-09-30T23:59:59+08:00", .refunded, at: "2026-10-08T12:00:00+08:00")])
        XCTAssertEqual(try f.summary("2026-10-08T12:00:00+08:00").level, "资深掌柜")
        XCTAssertFalse(try f.summary("2026-10-08T12:00:00+08:00").levelProvisional)
        try f.run("2026-10-09T12:00:00+08:00", [f.row("O2", fen: 10_000, paid: "2026-10-09T10:00:00+08:00")])
        XCTAssertEqual(try XCTUnwrap(f.store.orders.find("O2")).bonus.fen, 50)
        XCTAssertEqual(try f.summary("2026-10-09T12:00:00+08:00"), try f.recomputed("2026-10-09T12:00:00+08:00"))
    }

    func testHistoricImportFixesLevelsFromTheWholeFile() throws {
        let f = try LedgerFixture(.taoxiaopu)
        // October's order comes first in the file; September's GMV still decides October's level
        // (imported before September closes: SPEC §6).
        try f.run(
            "2026-10-07T12:00:00+08:00",
            [
                f.row("O1", fen: 10_000, paid: "2026-10-02T10:00:00+08:00", .confirmed, at: "2026-10-05T10:00:00+08:00"),
                f.row("S1", fen: 600_000, paid: "2026-09-10T10:00:00+08:00", .confirmed, at: "2026-09-15T10:00:00+08:00"),
            ])
        XCTAssertEqual(try XCTUnwrap(f.store.orders.find("O1")).bonus.fen, 50)
        let s = try f.summary("2026-11-21T12:00:00+08:00")
        XCTAssertEqual(s.released.fen, 60_000 + 1_050)
        XCTAssertEqual(s, try f.recomputed("2026-11-21T12:00:00+08:00"))
    }

    func testAGuessedBonusIsTakenBackWhenTheMonthBeforeShrinks() throws {
        let f = try LedgerFixture(.taoxiaopu)
        // When O1 is prepared, September's GMV so far (¥6,000) makes October 资深掌柜 (+5 %): O1 is
        // stored with that guess. S1's refund later in the same command leaves September at ¥0, so
        // October is fixed at the lowest level and O1's guessed bonus must go. (Before September
        // closes on 10-08: after it, September's late orders count for nothing: SPEC §6.)
        try f.run(
            "2026-10-07T12:00:00+08:00",
            [
                f.row("S1", fen: 600_000, paid: "2026-09-10T10:00:00+08:00", .shipped),
                f.row("O1", fen: 10_000, paid: "2026-10-02T10:00:00+08:00"),
                f.row("S1", fen: 600_000, paid: "2026-09-10T10:00:00+08:00", .refunded, at: "2026-10-03T10:00:00+08:00"),
            ])
        XCTAssertEqual(try XCTUnwrap(f.store.orders.find("O1")).bonus.fen, 0)
        let s = try f.summary("2026-10-20T12:00:00+08:00")
        XCTAssertEqual(s.level, "新晋掌柜")
        XCTAssertEqual(s.pending.fen, 1_000)
        XCTAssertEqual(s, try f.recomputed("2026-10-20T12:00:00+08:00"))
        XCTAssertTrue(try f.store.check(now: t("2026-10-20T12:00:00+08:00")).allSatisfy(\.ok))
    }

    /// The guess each row is prepared with follows the month before's GMV as the rows arrive,
    /// when rows of the two months alternate too: the preparer reuses the last row's bonus only
    /// for the same shop and month, and a row of the month before replaces it first.
    func testTheGuessFollowsTheMonthBeforeWhenMonthsAlternate() throws {
        let f = try LedgerFixture(.taoxiaopu)
        let preparer = try OrderImporter(store: f.store, now: t("2026-10-07T12:00:00+08:00")).preparer()
        func bonus(_ r: OrderRow) throws -> Int64? {
            guard case .new(let n) = try preparer.prepare(r) else { return nil }
            return n.contribution.bonus.fen
        }
        XCTAssertEqual(try bonus(f.row("O1", fen: 20_000, paid: "2026-10-02T10:00:00+08:00")), 0, "September holds nothing yet")
        XCTAssertEqual(try bonus(f.row("O2", fen: 20_000, paid: "2026-10-02T11:00:00+08:00")), 0)
        XCTAssertEqual(
            try bonus(f.row("S1", fen: 600_000, paid: "2026-09-10T10:00:00+08:00", .confirmed, at: "2026-09-12T10:00:00+08:00")), 0)
        XCTAssertEqual(try bonus(f.row("O3", fen: 20_000, paid: "2026-10-03T10:00:00+08:00")), 100, "September's ¥6,000: 资深掌柜, +5 %")
        XCTAssertEqual(try bonus(f.row("O4", fen: 20_000, paid: "2026-10-03T11:00:00+08:00")), 100)
    }

    func testAGuessedBonusIsKeptWhenRight() throws {
        let f = try LedgerFixture(.taoxiaopu)
        // In payment order, as exports are: October's orders are stored with the bonus of the
        // level September's GMV gives, and fixing the month finds nothing to change (imported
        // before September closes, 10-08: SPEC §6).
        try f.run(
            "2026-10-07T12:00:00+08:00",
            [
                f.row("S1", fen: 600_000, paid: "2026-09-10T10:00:00+08:00", .confirmed, at: "2026-09-12T10:00:00+08:00"),
                f.row("O1", fen: 10_000, paid: "2026-10-02T10:00:00+08:00"),
                f.row("O2", fen: 20_000, paid: "2026-10-03T10:00:00+08:00", .confirmed, at: "2026-10-05T10:00:00+08:00"),
            ])
        XCTAssertEqual(try XCTUnwrap(f.store.orders.find("O1")).bonus.fen, 50)
        XCTAssertEqual(try XCTUnwrap(f.store.orders.find("O2")).bonus.fen, 100)
        XCTAssertEqual(try f.summary("2026-10-20T12:00:00+08:00").level, "资深掌柜")
        XCTAssertEqual(try f.summary("2026-10-20T12:00:00+08:00"), try f.recomputed("2026-10-20T12:00:00+08:00"))
        XCTAssertTrue(try f.store.check(now: t("2026-10-20T12:00:00+08:00")).allSatisfy(\.ok))
    }

    func testRewardIsFixedOnceAndReleasedAtTheClose() throws {
        let f = try LedgerFixture(.beidian)
        try f.run("2026-10-20T12:00:00+08:00", [f.row("A", fen: 1_000_000, paid: "2026-10-10T10:00:00+08:00", .shipped)])
        XCTAssertEqual(try f.summary("2026-10-31T23:59:59+08:00").rewards, .zero)
        XCTAssertEqual(try f.summary("2026-11-07T23:59:59+08:00").rewards, .zero)
        XCTAssertEqual(try f.summary("2026-11-08T00:00:00+08:00").rewards.fen, 20_000)
        // Refunded after the reward was fixed: the reward stays, the commission goes.
        try f.run(
            "2026-11-09T12:00:00+08:00",
            [f.row("A", fen: 1_000_000, paid: "2026-10-10T10:00:00+08:00", .refunded, at: "2026-11-09T12:00:00+08:00")])
        let s = try f.summary("2026-11-09T12:00:00+08:00")
        XCTAssertEqual(s.rewards.fen, 20_000)
        XCTAssertEqual(s.pending, .zero)
        XCTAssertEqual(s.available.fen, 20_000)
    }

    func testClawbackDrivesAvailableNegativeAndBlocksWithdrawal() throws {
        let f = try LedgerFixture(.yunji)
        try f.run(
            "2026-10-01T12:00:00+08:00",
            [f.row("A", fen: 100_000, paid: "2026-09-20T10:00:00+08:00", .confirmed, at: "2026-09-21T10:00:00+08:00")])
        var s = try f.summary("2026-10-01T12:00:00+08:00")
        XCTAssertEqual(s.released.fen, 10_000)
        try f.store.write {
            let ledger = Ledger(store: f.store)
            try ledger.recordWithdrawal(
                shopID: "S000001", try Withdrawal.check(Money(fen: 8_000), available: s.available, rules: f.store.rules),
                at: t("2026-10-01T12:00:00+08:00"))
        }
        // Refunded after release and withdrawal: the commission is clawed back.
        try f.run(
            "2026-10-02T12:00:00+08:00",
            [f.row("A", fen: 100_000, paid: "2026-09-20T10:00:00+08:00", .refunded, at: "2026-10-02T12:00:00+08:00")])
        s = try f.summary("2026-10-02T12:00:00+08:00")
        XCTAssertEqual(s.released, .zero)
        XCTAssertEqual(s.available.fen, -8_000)
        XCTAssertThrowsError(try Withdrawal.check(Money(fen: 1_000), available: s.available, rules: f.store.rules)) { e in
            XCTAssertEqual((e as? ShopError)?.code, "insufficient-balance")
        }
        XCTAssertEqual(s.feesPaid.fen, 39_800)
    }

    func testRateFrozenAtFirstStore() throws {
        let f = try LedgerFixture(.xiangdian)
        try f.run("2026-10-01T12:00:00+08:00", [f.row("A", fen: 10_000, paid: "2026-09-20T10:00:00+08:00")])
        try f.store.write {
            var p = try XCTUnwrap(f.store.catalog.product("P1"))
            p.commissionRate = Rate(bp: 3000)
            try f.store.catalog.upsert(p)
        }
        try f.run(
            "2026-10-02T12:00:00+08:00",
            [f.row("A", fen: 10_000, paid: "2026-09-20T10:00:00+08:00", .confirmed, at: "2026-10-02T12:00:00+08:00", refunded: 5_000)])
        let a = try XCTUnwrap(f.store.orders.find("A"))
        XCTAssertEqual(a.order.rate.bp, 1000)
        XCTAssertEqual(a.commission.fen, 500, "the refund is reversed at the rate that was paid")
    }

    func testAttributionRefusals() throws {
        let f = try LedgerFixture(.taoxiaopu)
        let other = try LedgerFixture(.taoxiaopu)
        var forged = Array(f.token)
        forged[20] = forged[20] == "A" ? "B" : "A"
        let r = try f.run(
            "2026-10-01T12:00:00+08:00",
            [
                f.row("A", fen: 100, paid: "2026-09-20T10:00:00+08:00", token: String(forged)),
                f.row("B", fen: 100, paid: "2026-09-20T10:00:00+08:00", token: other.token),
                OrderRow(
                    orderID: "C", productID: "P9", quantity: 1, unitPrice: Money(fen: 1), amount: Money(fen: 1),
                    paidAt: t("2026-09-20T10:00:00+08:00"),
                    status: .paid, shareToken: f.token, statusAt: nil, refunded: nil, selfPurchase: false),
                OrderRow(
                    orderID: "D", productID: "P9", quantity: 1, unitPrice: Money(fen: 1), amount: Money(fen: 1),
                    paidAt: t("2026-09-20T10:00:00+08:00"),
                    status: .paid, shareToken: f.productToken, statusAt: nil, refunded: nil, selfPurchase: false),
                f.row("E", fen: 100, paid: "2026-09-20T10:00:00+08:00", token: f.productToken),
            ])
        XCTAssertEqual(r.rejected.map(\.code), ["invalid-token", "invalid-token", "unknown-product", "unknown-product"])
        XCTAssertEqual(r.accepted, 1)
    }

    /// For random order histories, the summary from running totals equals a direct
    /// recomputation from the orders, at many moments.
    func testPropertySummaryEqualsRecomputation() throws {
        for platform in Platform.allCases {
            for seed in 1...3 {
                var g = SplitMix(seed: UInt64(seed) * 7919 + UInt64(platform.rawValue.count))
                let f = try LedgerFixture(platform, opened: "2026-06-01T10:00:00+08:00")
                var states: [String: (OrderStatus, Int64, Int64, Instant, Bool)] = [:]  // status, amount, refunded, paid, self
                var clock = t("2026-06-02T00:00:00+08:00")
                for _ in 0..<40 {
                    clock = clock.adding(seconds: Int64(g.next() % (5 * 86_400)))
                    var rows: [OrderRow] = []
                    for _ in 0..<(1 + g.next() % 6) {
                        if states.isEmpty || g.next() % 3 == 0 {
                            let id = "O\(states.count)"
                            let amount = Int64(g.next() % 300_000) + 1
                            let paid = clock.adding(seconds: -Int64(g.next() % 86_400))
                            let sp = g.next() % 10 == 0
                            states[id] = (.paid, amount, 0, paid, sp)
                            rows.append(
                                OrderRow(
                                    orderID: id, productID: "P1", quantity: 1, unitPrice: Money(fen: amount), amount: Money(fen: amount),
                                    paidAt: paid,
                                    status: .paid, shareToken: f.token, statusAt: nil, refunded: nil, selfPurchase: sp))
                        } else {
                            let id = states.keys.sorted()[Int(g.next() % UInt64(states.count))]
                            var (st, amount, refunded, paid, sp) = states[id]!
                            switch g.next() % 4 {
                            case 0 where st == .paid: st = .shipped
                            case 1 where st == .paid || st == .shipped: st = .confirmed
                            case 2 where st != .refunded: refunded = min(amount, refunded + Int64(g.next() % UInt64(amount / 2 + 1)))
                            case 3 where st != .refunded && g.next() % 3 == 0: st = .refunded
                            default: continue
                            }
                            states[id] = (st, amount, refunded, paid, sp)
                            rows.append(
                                OrderRow(
                                    orderID: id, productID: "P1", quantity: 1, unitPrice: Money(fen: amount), amount: Money(fen: amount),
                                    paidAt: paid,
                                    status: st, shareToken: f.token, statusAt: clock, refunded: Money(fen: refunded), selfPurchase: sp))
                        }
                    }
                    let now = clock.rfc3339(in: .shanghai)
                    let report = try f.run(now, rows)
                    XCTAssertEqual(report.rejected.count, 0, "\(report.rejected)")
                    let later = clock.adding(seconds: Int64(g.next() % (40 * 86_400))).rfc3339(in: .shanghai)
                    for when in [now, later] {
                        XCTAssertEqual(try f.summary(when), try f.recomputed(when), "\(platform) seed \(seed) at \(when)")
                    }
                }
                // The daily totals equal a regrouping of the orders.
                let fromDays = try f.store.db.prepare(
                    "SELECT sum(orders), sum(gmv_fen), sum(commission_fen + bonus_fen), sum(refunded_fen) FROM shop_days"
                ).first { [$0.int(0), $0.int(1), $0.int(2), $0.int(3)] }
                let counting = f.store.rules.selfPurchaseCommission ? "1" : "self_purchase = 0"
                let fromOrders = try f.store.db.prepare(
                    "SELECT count(*), sum(CASE WHEN status = 'refunded' THEN 0 ELSE amount_fen - refunded_fen END), sum(commission_fen + bonus_fen), sum(CASE WHEN status = 'refunded' THEN amount_fen ELSE refunded_fen END) FROM orders WHERE \(counting)"
                ).first { [$0.int(0), $0.int(1), $0.int(2), $0.int(3)] }
                XCTAssertEqual(fromDays, fromOrders, "\(platform) seed \(seed)")
                let shares = try f.store.db.prepare("SELECT sum(orders), sum(gmv_fen), sum(commission_fen) FROM shares").first {
                    [$0.int(0), $0.int(1), $0.int(2)]
                }
                XCTAssertEqual(shares, fromOrders.map { Array($0.prefix(3)) }, "\(platform) seed \(seed)")
            }
        }
    }
}
