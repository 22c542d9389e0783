import Foundation
import XCTest

/// Closing a month (SPEC §6) through the binary: a level stays provisional until the close
/// (`month_close_days` after the month ends), is fixed the first time a command computes it on or
/// after the close, and every command showing or using it agrees with `earnings`.
final class MonthCloseEndToEndTests: XCTestCase {
    func row(_ o: OrderShop, _ id: String, yuan: String, paid: String, status: String = "paid") -> String {
        "\(id),P00001,1,\(yuan),\(paid),\(status),\(o.p1),,,"
    }

    func testEarningsJSONHasLevelProvisionalAndNotes() throws {
        let o = try OrderShop()
        let e = o.at("2026-09-02T10:00:00+08:00", "earnings", "--json")
        XCTAssertExit(e, 0)
        XCTAssertEqual(e.object["level_provisional"] as? Bool, true)
        XCTAssertEqual((e.object["notes"] as? [Any])?.count, 0)
        // The shop's first month is never provisional.
        XCTAssertEqual(o.at("2026-08-20T10:00:00+08:00", "earnings", "--json").object["level_provisional"] as? Bool, false)
        XCTAssertEqual(o.at("2026-09-08T00:00:00+08:00", "earnings", "--json").object["level_provisional"] as? Bool, false)
    }

    /// The cron job: `earnings` at 00:05 on the 1st, October's export at 08:00.
    func testCronScenarioKeepsOctobersLevelForNovember() throws {
        let o = try OrderShop()
        let cron = o.at("2026-11-01T00:05:00+08:00", "earnings", "--json")
        XCTAssertExit(cron, 0)
        XCTAssertEqual(cron.object["level"] as? String, "新晋掌柜")
        XCTAssertEqual(cron.object["level_provisional"] as? Bool, true)
        let october = try o.feed("oct.csv", [row(o, "A", yuan: "7780", paid: "2026-10-15T20:00:00+08:00")])
        XCTAssertExit(o.at("2026-11-01T08:00:00+08:00", "orders", "import", october), 0)
        let morning = o.at("2026-11-01T09:00:00+08:00", "earnings", "--json").object
        XCTAssertEqual(morning["level"] as? String, "资深掌柜")
        XCTAssertEqual(morning["level_provisional"] as? Bool, true)
        // A November order earns the provisional level's bonus: 6 % of ¥100, +5 %.
        let november = try o.feed("nov.csv", [row(o, "B", yuan: "100", paid: "2026-11-05T20:00:00+08:00")])
        XCTAssertExit(o.at("2026-11-06T08:00:00+08:00", "orders", "import", november), 0)
        let b = o.at("2026-11-06T09:00:00+08:00", "orders", "list", "--json").array.first { $0["order_id"] as? String == "B" }
        XCTAssertEqual(b?["bonus_fen"] as? Int, 30)
        let fixed = o.at("2026-11-08T00:00:00+08:00", "earnings", "--json").object
        XCTAssertEqual(fixed["level"] as? String, "资深掌柜")
        XCTAssertEqual(fixed["level_provisional"] as? Bool, false)
        // October refunded on 11-20: the fixed level stands, and earnings says so.
        XCTAssertExit(o.at("2026-11-20T10:00:00+08:00", "orders", "update", "A", "--status", "refunded"), 0)
        let after = o.at("2026-11-20T11:00:00+08:00", "earnings", "--json").object
        XCTAssertEqual(after["level"] as? String, "资深掌柜")
        XCTAssertEqual(after["level_provisional"] as? Bool, false)
        let notes = after["notes"] as? [String] ?? []
        XCTAssertEqual(notes.count, 1, "\(notes)")
        XCTAssertTrue(notes.first?.hasPrefix("2026-10") == true, "\(notes)")
        // Kept: still there a month later, once.
        XCTAssertEqual((o.at("2026-12-21T11:00:00+08:00", "earnings", "--json").object["notes"] as? [String])?.count, 1)
        let zh = o.s.run(["earnings", "--json"], env: ["SHOPCTL_NOW": "2026-11-20T11:00:00+08:00", "SHOPCTL_LANG": "zh_CN"])
        XCTAssertTrue((zh.object["notes"] as? [String])?.first?.contains("结账") == true, "\(zh.stdout)")
        // shop show and shop list agree.
        XCTAssertEqual(o.at("2026-11-20T11:00:00+08:00", "shop", "show", "--json").object["level"] as? String, "资深掌柜")
        XCTAssertEqual(o.at("2026-11-20T11:00:00+08:00", "shop", "list", "--json").array.first?["level"] as? String, "资深掌柜")
        // The bonus of November's order stands with the fixed level.
        let b2 = o.at("2026-11-20T11:00:00+08:00", "orders", "list", "--json").array.first { $0["order_id"] as? String == "B" }
        XCTAssertEqual(b2?["bonus_fen"] as? Int, 30)
    }

    /// An order of October that arrives after the close no longer counts for November's level.
    func testLateOrderAfterTheCloseDoesNotCount() throws {
        let o = try OrderShop()
        let inside = try o.feed("a.csv", [row(o, "A", yuan: "4000", paid: "2026-10-15T20:00:00+08:00")])
        XCTAssertExit(o.at("2026-11-07T23:59:59+08:00", "orders", "import", inside), 0)
        let late = try o.feed("b.csv", [row(o, "B", yuan: "2000", paid: "2026-10-20T20:00:00+08:00")])
        XCTAssertExit(o.at("2026-11-08T00:00:00+08:00", "orders", "import", late), 0)
        let e = o.at("2026-11-08T01:00:00+08:00", "earnings", "--json").object
        XCTAssertEqual(e["level"] as? String, "新晋掌柜")
        XCTAssertEqual(e["level_provisional"] as? Bool, false)
        XCTAssertEqual((e["notes"] as? [String])?.count, 1)
        XCTAssertEqual(o.at("2026-11-08T01:00:00+08:00", "shop", "show", "--json").object["level"] as? String, "新晋掌柜")
    }

    /// The last second of the window still counts.
    func testOrderInTheLastSecondOfTheWindowCounts() throws {
        let o = try OrderShop()
        let f = try o.feed("a.csv", [row(o, "A", yuan: "6000", paid: "2026-10-15T20:00:00+08:00")])
        XCTAssertExit(o.at("2026-11-07T23:59:59+08:00", "orders", "import", f), 0)
        let e = o.at("2026-11-08T00:00:00+08:00", "earnings", "--json").object
        XCTAssertEqual(e["level"] as? String, "资深掌柜")
        XCTAssertEqual(e["level_provisional"] as? Bool, false)
        XCTAssertEqual((e["notes"] as? [String])?.count, 0)
    }

    /// A refused withdrawal and a refused open-shop fix the facts they computed (committed), and
    /// their level is `earnings`'s.
    func testRefusalsFixWhatTheyComputedAndAgreeWithEarnings() throws {
        let o = try OrderShop()
        let f = try o.feed("a.csv", [row(o, "A", yuan: "6000", paid: "2026-10-15T20:00:00+08:00")])
        XCTAssertExit(o.at("2026-11-02T10:00:00+08:00", "orders", "import", f), 0)
        let monthNov = "\(2026 * 12 + 10)"
        let w = o.at("2026-11-08T00:00:00+08:00", "earnings", "withdraw", "100000", "--json")
        XCTAssertExit(w, 1)
        XCTAssertEqual(
            try o.s.sqlite("SELECT level || ',' || (level_fixed_at IS NOT NULL) FROM shop_months WHERE month = \(monthNov)")
                .trimmingCharacters(in: .whitespacesAndNewlines), "资深掌柜,1")
        // A late October refund: the level stays, for every command.
        XCTAssertExit(o.at("2026-11-09T10:00:00+08:00", "orders", "update", "A", "--status", "refunded"), 0)
        let e = o.at("2026-11-09T11:00:00+08:00", "earnings", "--json").object
        XCTAssertEqual(e["level"] as? String, "资深掌柜")
        XCTAssertEqual(o.at("2026-11-09T11:00:00+08:00", "shop", "show", "--json").object["level"] as? String, "资深掌柜")
        // multi_shop: 资深掌柜 and 90 days old (opened 2026-08-01) — the check sees the fixed level.
        let second = o.at("2026-11-09T11:00:00+08:00", "open-shop", "--member", "m1", "--name", "二店", "--credit-score", "720", "--verified")
        XCTAssertExit(second, 0)
    }

    /// open-shop's refusal keeps the facts its check fixed.
    func testRefusedOpenShopKeepsTheFactsItFixed() throws {
        let o = try OrderShop()
        let f = try o.feed("a.csv", [row(o, "A", yuan: "100", paid: "2026-10-15T20:00:00+08:00")])
        XCTAssertExit(o.at("2026-11-02T10:00:00+08:00", "orders", "import", f), 0)
        let r = o.at(
            "2026-11-08T00:00:00+08:00", "open-shop", "--member", "m1", "--name", "二店", "--credit-score", "720", "--verified", "--json")
        XCTAssertExit(r, 1)
        XCTAssertEqual(
            try o.s.sqlite("SELECT count(*) FROM shop_months WHERE month = \(2026 * 12 + 10) AND level_fixed_at IS NOT NULL")
                .trimmingCharacters(in: .whitespacesAndNewlines), "1")
    }

    /// 贝店: the reward for October is provisional (not released) until the close, then fixed and
    /// released; a later refund leaves it and is noted.
    func testBeidianRewardIsReleasedWhenFixed() throws {
        let o = try OrderShop(platform: "beidian")
        let f = try o.feed("a.csv", [row(o, "A", yuan: "10000", paid: "2026-10-15T20:00:00+08:00")])
        XCTAssertExit(o.at("2026-11-03T10:00:00+08:00", "orders", "import", f), 0)
        XCTAssertEqual(o.at("2026-11-07T23:59:59+08:00", "earnings", "--json").object["rewards_fen"] as? Int, 0)
        let fixed = o.at("2026-11-08T00:00:00+08:00", "earnings", "--json").object
        XCTAssertEqual(fixed["rewards_fen"] as? Int, 20_000)
        XCTAssertExit(o.at("2026-11-10T10:00:00+08:00", "orders", "update", "A", "--status", "refunded"), 0)
        let after = o.at("2026-11-10T11:00:00+08:00", "earnings", "--json").object
        XCTAssertEqual(after["rewards_fen"] as? Int, 20_000)
        let notes = after["notes"] as? [String] ?? []
        XCTAssertEqual(notes.count, 1)
        XCTAssertTrue(notes.first?.contains("reward") == true, "\(notes)")
    }

    func testRulesShowMonthCloseDays() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "beidian"), 0)
        XCTAssertEqual(s.run("rules", "--json").object["month_close_days"] as? Int, 7)
    }
}
