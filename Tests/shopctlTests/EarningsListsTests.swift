import Foundation
import XCTest

/// `earnings withdrawals` and `earnings months` (SPEC §9) in JSON, table and CSV, and
/// `orders list --period last-month` on the store's calendar.
final class EarningsListsTests: XCTestCase {
    static let now = "2026-12-01T10:00:00+08:00"

    /// A 贝店 shop (volume rewards: ¥200 from ¥10,000 a month) opened 2026-08-01, with orders
    /// in September (¥11,500), October, November (¥11,500 and more) and on December 1st, the
    /// ones around midnight in Shanghai placed at 16:30 and 15:30 UTC.
    private func shop() throws -> OrderShop {
        let o = try OrderShop(platform: "beidian")
        // September's order arrives in September: its month closes with it (SPEC §6).
        let sep = try o.feed("sep.csv", ["SEP,P00001,1000,11.50,2026-09-10T20:00:00+08:00,confirmed,\(o.p1),2026-09-12T10:00:00+08:00,,"])
        XCTAssertExit(o.at("2026-09-15T10:00:00+08:00", "orders", "import", sep), 0)
        let f = try o.feed(
            "o.csv",
            [
                "OCT-LAST,P00001,1,11.50,2026-10-31T15:30:00Z,paid,\(o.p1),,,",
                "NOV-FIRST,P00001,1,11.50,2026-10-31T16:30:00Z,paid,\(o.p1),,,",
                "00123,P00002,1,12.50,2026-11-15T12:00:00+08:00,shipped,\(o.storefront),,,",
                "NOV-LAST,P00001,1000,11.50,2026-11-30T15:30:00Z,paid,\(o.p1),,,",
                "DEC-FIRST,P00001,1,11.50,2026-11-30T16:30:00Z,paid,\(o.p1),,,",
            ])
        let r = o.at(Self.now, "orders", "import", f, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 5, r.stdout)
        return o
    }

    func testOrdersListLastMonthIsNovemberInShanghai() throws {
        let o = try shop()
        let ids = { (args: [String]) -> Set<String> in
            Set(
                o.s.run(["orders", "list", "--limit", "0", "--json"] + args, env: ["SHOPCTL_NOW": Self.now]).array.compactMap {
                    $0["order_id"] as? String
                })
        }
        XCTAssertEqual(ids(["--period", "last-month"]), ["NOV-FIRST", "00123", "NOV-LAST"])
        XCTAssertEqual(ids(["--period", "last-month"]), ids(["--period", "2026-11"]))
        XCTAssertEqual(ids(["--period", "this-month"]), ["DEC-FIRST"])
        XCTAssertEqual(ids(["--period", "2026Q4"]), ["OCT-LAST", "NOV-FIRST", "00123", "NOV-LAST", "DEC-FIRST"])
        XCTAssertEqual(ids(["--period", "2026-W49"]), ["NOV-LAST", "DEC-FIRST"])  // Monday 30 November – Sunday 6 December
        XCTAssertEqual(ids(["--period", "2026-W46"]), ["00123"])  // 9–15 November
        XCTAssertEqual(ids(["--period", "last-7-days"]), ["NOV-LAST", "DEC-FIRST"])
        // The same instant is still November 30th in Shanghai at 15:59:59 UTC.
        let before = o.s.run(["orders", "list", "--period", "this-month", "--json"], env: ["SHOPCTL_NOW": "2026-11-30T15:59:59Z"])
        XCTAssertEqual(Set(before.array.compactMap { $0["order_id"] as? String }), ["NOV-FIRST", "00123", "NOV-LAST"])
        let report = o.at(Self.now, "earnings", "report", "--period", "last-month", "--by", "month", "--json").array
        XCTAssertEqual(report.count, 1)
        XCTAssertEqual(report.first?["key"] as? String, "2026-11")
        XCTAssertEqual(report.first?["orders"] as? Int, 3)
        let bad = o.at(Self.now, "orders", "list", "--period", "2025-W53", "--json")
        XCTAssertExit(bad, 2, "bad-argument")
    }

    func testMonthsFromTheFirstWithLevelsBonusesAndRewards() throws {
        let o = try shop()
        let r = o.at(Self.now, "earnings", "months", "--json")
        XCTAssertExit(r, 0)
        let months = r.array
        XCTAssertEqual(months.compactMap { $0["month"] as? String }, ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12"])
        for m in months {
            XCTAssertEqual(
                Set(m.keys), ["month", "orders", "gmv_fen", "level", "level_provisional", "bonus_fen", "reward_fen"])
        }
        let byMonth = Dictionary(uniqueKeysWithValues: months.map { ($0["month"] as! String, $0) })
        // Orders and GMV agree with the report by month.
        for row in o.at(Self.now, "earnings", "report", "--by", "month", "--json").array {
            let m = byMonth[row["key"] as! String]!
            XCTAssertEqual(m["orders"] as? Int, row["orders"] as? Int)
            XCTAssertEqual(m["gmv_fen"] as? Int, row["gmv_fen"] as? Int)
        }
        XCTAssertEqual(byMonth["2026-09"]?["gmv_fen"] as? Int, 1_150_000)
        XCTAssertEqual(byMonth["2026-11"]?["orders"] as? Int, 3)
        // Bonuses agree with the orders' own, by month of payment in Shanghai.
        var bonus: [String: Int] = [:]
        for x in o.at(Self.now, "orders", "list", "--limit", "0", "--json").array {
            bonus[String((x["paid_at"] as! String).prefix(7)), default: 0] += x["bonus_fen"] as! Int
        }
        for (month, m) in byMonth { XCTAssertEqual(m["bonus_fen"] as? Int, bonus[month] ?? 0, month) }
        // September's reward is fixed (its close has passed), November's is what its GMV earns so far.
        XCTAssertEqual(byMonth["2026-09"]?["reward_fen"] as? Int, 20_000)
        XCTAssertEqual(byMonth["2026-10"]?["reward_fen"] as? Int, 0)
        XCTAssertEqual(byMonth["2026-11"]?["reward_fen"] as? Int, 20_000)
        // This month's level is the summary's; it stays provisional until December 8th.
        let summary = o.at(Self.now, "earnings", "--json").object
        XCTAssertEqual(byMonth["2026-12"]?["level"] as? String, summary["level"] as? String)
        XCTAssertEqual(byMonth["2026-12"]?["level_provisional"] as? Bool, true)
        XCTAssertEqual(byMonth["2026-11"]?["level_provisional"] as? Bool, false)
        XCTAssertEqual(summary["rewards_fen"] as? Int, 20_000, "only September's reward is released")
        let table = o.at(Self.now, "earnings", "months")
        XCTAssertExit(table, 0)
        XCTAssertTrue(table.stdout.contains("MONTH"))
        XCTAssertTrue(table.stdout.contains("¥200.00 (provisional)"), table.stdout)
        XCTAssertTrue(table.stdout.contains("¥11,500.00"), table.stdout)
        let zh = o.s.run(["earnings", "months"], env: ["SHOPCTL_NOW": Self.now, "SHOPCTL_LANG": "zh_CN.UTF-8"])
        XCTAssertTrue(zh.stdout.contains("月份") && zh.stdout.contains("（暂定）"), zh.stdout)
        let csv = try CSVCheck.check(o.s, ["earnings", "months"], env: ["SHOPCTL_NOW": Self.now])
        XCTAssertEqual(csv.problems, [])
        XCTAssertEqual(csv.rows, 5)
        XCTAssertEqual(
            csv.header,
            [
                "month", "orders", "gmv_fen", "gmv_yuan", "level", "level_provisional", "bonus_fen", "bonus_yuan", "reward_fen",
                "reward_yuan",
            ])
        XCTAssertTrue(o.at(Self.now, "earnings", "months", "--csv").stdout.contains("\n2026-09,1,1150000,11500.00,"))
    }

    func testWithdrawalsOldestFirstInTheStoresZone() throws {
        let o = try shop()
        XCTAssertEqual(o.at(Self.now, "earnings", "withdrawals", "--json").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "[]")
        XCTAssertTrue(o.at(Self.now, "earnings", "withdrawals").stdout.contains("No withdrawal yet."))
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "earnings", "withdraw", "100"), 0)
        XCTAssertExit(o.at("2026-11-30T16:30:00Z", "earnings", "withdraw", "50.50"), 0)
        let r = o.at(Self.now, "earnings", "withdrawals", "--json")
        XCTAssertExit(r, 0)
        let rows = r.array
        XCTAssertEqual(rows.count, 2)
        for w in rows {
            XCTAssertEqual(Set(w.keys), ["withdrawn_at", "amount_fen", "fee_fen", "payout_fen"])
            XCTAssertEqual(w["payout_fen"] as? Int, (w["amount_fen"] as! Int) - (w["fee_fen"] as! Int))
        }
        XCTAssertEqual(rows.compactMap { $0["withdrawn_at"] as? String }, ["2026-11-21T09:30:00+08:00", "2026-12-01T00:30:00+08:00"])
        XCTAssertEqual(rows.compactMap { $0["amount_fen"] as? Int }, [10_000, 5_050])
        let total = (o.at(Self.now, "earnings", "--json").object["withdrawn_fen"] as? Int) ?? -1
        XCTAssertEqual(total, 15_050)
        let table = o.at(Self.now, "earnings", "withdrawals")
        XCTAssertTrue(table.stdout.contains("WITHDRAWN AT") && table.stdout.contains("¥50.50"), table.stdout)
        XCTAssertTrue(table.stdout.contains("total: 2 withdrawals, ¥150.50"), table.stdout)
        let csv = try CSVCheck.check(o.s, ["earnings", "withdrawals"], env: ["SHOPCTL_NOW": Self.now])
        XCTAssertEqual(csv.problems, [])
        XCTAssertEqual(csv.header, ["withdrawn_at", "amount_fen", "amount_yuan", "fee_fen", "fee_yuan", "payout_fen", "payout_yuan"])
        XCTAssertTrue(o.at(Self.now, "earnings", "withdrawals", "--csv").stdout.contains("\n2026-12-01T00:30:00+08:00,5050,50.50,"))
        let excel = try CSVCheck.check(o.s, ["earnings", "withdrawals"], excel: true, env: ["SHOPCTL_NOW": Self.now])
        XCTAssertEqual(excel.problems, [])
        // Reading commands: a missing store is no-store (exit 5), nothing created.
        let empty = try Sandbox(now: Self.now)
        XCTAssertExit(empty.run("earnings", "withdrawals", "--json"), 5, "no-store")
        XCTAssertExit(empty.run("earnings", "months", "--json"), 5, "no-store")
        XCTAssertNil(empty.bytes())
    }
}
