import Foundation
import XCTest

@testable import shopctl

/// What a shopkeeper sees every day (issue 14): aligned tables, one refund figure, names,
/// campaigns, supplier admission, Chinese headings, the day chart, `suggest --limit 0`, `check`.
final class ShopkeeperViewTests: XCTestCase {
    // MARK: - Columns in line

    /// Columns a terminal gives the text of these tests, known independently of `displayWidth`
    /// (the widths wcwidth gives): ASCII 1, CJK ideographs 2, and the clusters listed.
    static let known: [Character: Int] = [
        "✨": 2, "🛒": 2, "👍🏽": 2, "✅": 2, "⭐": 2, "☕": 2, "🚀": 2, "👨‍👩‍👧‍👦": 2, "🇨🇳": 2, "﹐": 2, "─": 1, "¥": 1, "✓": 1, "✗": 1,
        "…": 1, "·": 1, "█": 1, "▏": 1, "（": 2, "）": 2, "：": 2, "，": 2,
    ]

    func columns(_ s: some StringProtocol, file: StaticString = #filePath, line: UInt = #line) -> Int {
        var n = 0
        for c in s {
            if c.isASCII {
                n += 1
            } else if let w = Self.known[c] {
                n += w
            } else if let u = c.unicodeScalars.first, c.unicodeScalars.count == 1, (0x4E00...0x9FFF).contains(u.value) {
                n += 2
            } else {
                XCTFail("no known width for \(c) (U+\(String(c.unicodeScalars.first!.value, radix: 16)))", file: file, line: line)
            }
        }
        return n
    }

    /// Every line of a table, without its last cell (a left-aligned last column is not padded),
    /// has the same display width; `full`: the whole lines (a right-aligned last column).
    func assertAligned(_ table: String, full: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertGreaterThan(lines.count, 2, table, file: file, line: line)
        let widths = lines.map { l -> Int in
            if full { return columns(l, file: file, line: line) }
            var parts = l.components(separatedBy: "  ").filter { !$0.isEmpty }
            let last = parts.removeLast()
            return columns(l, file: file, line: line) - columns(last, file: file, line: line)
        }
        XCTAssertEqual(Set(widths).count, 1, "not aligned (\(widths)):\n\(table)", file: file, line: line)
    }

    func testCatalogListWithEmojiTitlesIsAlignedInBothLanguages() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "小美好物", "--credit-score", "720", "--verified"), 0)
        let sp = try s.write("s.csv", Feeds.supplierHeader + Feeds.goodSupplier)
        let pp = try s.write(
            "p.csv",
            "product_id,supplier_id,title,brand,category,price,commission_rate,stock,status\n"
                + "P1,SP1,✨好物推荐🛒,西湖,食品保健,129.50,20%,100,on\n" + "P2,SP1,👍🏽 点赞 ✅⭐☕🚀,西湖,食品保健,29.50,20%,100,on\n"
                + "P3,SP1,👨‍👩‍👧‍👦 家庭装 🇨🇳,西湖,食品保健,9.50,20%,100,on\n" + "P4,SP1,plain tea﹐ok,west,食品保健,9.50,20%,100,on\n")
        XCTAssertExit(s.run("catalog", "import", "--suppliers", sp, "--products", pp), 0)
        for lang in ["en", "zh"] {
            let r = s.run("catalog", "list", env: ["SHOPCTL_LANG": lang])
            XCTAssertExit(r, 0)
            XCTAssertTrue(r.stdout.contains("👨‍👩‍👧‍👦"), r.stdout)
            assertAligned(r.stdout)
            // the title column: the brand starts at the same column on every product line
            let starts = r.stdout.split(separator: "\n").dropFirst(2).map { l -> Int in
                let cut = l.range(of: l.contains("west") ? "west" : "西湖")!.lowerBound
                return columns(l[..<cut])
            }
            XCTAssertEqual(Set(starts).count, 1, r.stdout)
        }
    }

    // MARK: - One refund figure

    func testARefundedOrderShowsOneRefundedAmountEverywhere() throws {
        let o = try OrderShop()
        let now = "2026-11-21T09:30:00+08:00"
        let f = try o.feed(
            "o.csv",
            [
                "A,P00001,2,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "B,P00001,1,11.50,2026-09-10T20:00:00+08:00,refunded,\(o.p1),2026-09-11T20:00:00+08:00,5,",
            ])
        XCTAssertExit(o.at(now, "orders", "import", f), 0)
        XCTAssertExit(o.at(now, "orders", "update", "A", "--status", "shipped", "--refunded", "5"), 0)
        XCTAssertEqual(o.at(now, "orders", "show", "A", "--json").object["refunded_fen"] as? Int, 500)
        XCTAssertExit(o.at(now, "orders", "update", "A", "--status", "refunded"), 0)
        for (id, amount) in [("A", 2300), ("B", 1150)] {
            let yuan = "¥\(amount / 100).\(String(format: "%02d", amount % 100))"
            XCTAssertEqual(o.at(now, "orders", "show", id, "--json").object["refunded_fen"] as? Int, amount, id)
            let listed = o.at(now, "orders", "list", "--json").array.first { $0["order_id"] as? String == id }
            XCTAssertEqual(listed?["refunded_fen"] as? Int, amount, id)
            let show = o.at(now, "orders", "show", id).stdout
            let line = show.split(separator: "\n").first { $0.hasPrefix("refunded") }
            XCTAssertEqual(line.map { $0.split(separator: " ").last.map(String.init) }, yuan, show)
            let row = o.at(now, "orders", "list").stdout.split(separator: "\n").first { $0.hasPrefix(id + " ") }
            XCTAssertEqual(row?.split(separator: " ").filter { $0.hasPrefix("¥") }.map(String.init)[1], yuan, "\(id): \(row ?? "")")
        }
        let report = o.at(now, "earnings", "report", "--json").array
        XCTAssertEqual(report.map { $0["refunded_fen"] as? Int ?? -1 }.reduce(0, +), 3450)
        // the same row again changes nothing (B says refunded 5 of 11.50: the order is refunded, 11.50 shown)
        let b = try o.feed("b.csv", ["B,P00001,1,11.50,2026-09-10T20:00:00+08:00,refunded,\(o.p1),2026-09-11T20:00:00+08:00,5,"])
        let again = o.at(now, "orders", "import", b, "--json")
        XCTAssertExit(again, 0)
        XCTAssertEqual((again.object["rejected"] as? [Any])?.count, 0, again.stdout)
        XCTAssertEqual(o.at(now, "orders", "show", "B", "--json").object["refunded_fen"] as? Int, 1150)
    }

    // MARK: - Names

    func testShopNamesAreCheckedAfterNormalisationAndUniqueOnTheDisplayName() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        func open(_ member: String, _ name: String) -> Sandbox.Result {
            s.run("open-shop", "--member", member, "--name", name, "--credit-score", "720", "--verified", "--json")
        }
        XCTAssertExit(open("m1", "好物"), 0)
        for (i, name) in ["好物淘小铺", "好 物", "好物 淘小铺", "旗 舰好物", "旗艦店", "專卖好物"].enumerated() {
            let r = open("m\(i + 2)", name)
            XCTAssertExit(r, 1, "shop-name")
            XCTAssertEqual(r.errorCode, "shop-name", name)
        }
        XCTAssertExit(open("m9", "ＡＢＣ"), 0)
        XCTAssertEqual(open("m10", "abc").errorCode, "shop-name")
        XCTAssertEqual(open("m11", "ABC淘小铺").errorCode, "shop-name")
        XCTAssertEqual(s.run("shop", "edit", "--shop", "S000002", "--name", "好物淘小铺", "--json").errorCode, "shop-name")
        XCTAssertExit(s.run("shop", "edit", "--shop", "S000002", "--name", "ａｂｃ", "--json"), 0)
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM shops"), "2")
    }

    // MARK: - The smaller items

    func testCampaignIsShownByShareLinkAndItsList() throws {
        let o = try OrderShop()
        let made = o.s.run("share-link", "P00002", "--campaign", "double11", "--json")
        XCTAssertExit(made, 0)
        XCTAssertNil(made.object["campaign"], "share-link's JSON is the contract's six keys")
        XCTAssertTrue(o.s.run("share-link", "P00002", "--campaign", "double11").stdout.contains("campaign  double11"))
        XCTAssertTrue(o.s.run("share-link", "P00002", "--campaign", "双十一", env: ["SHOPCTL_LANG": "zh"]).stdout.contains("活动  双十一"))
        let list = o.s.run("share-link", "list", "--limit", "0", "--json").array
        XCTAssertEqual(list.filter { $0["campaign"] as? String == "double11" }.count, 2)
        XCTAssertTrue(list.contains { $0["campaign"] is NSNull }, "a link without a campaign: null")
        for lang in ["en", "zh"] {
            let human = o.s.run("share-link", "list", "--limit", "0", env: ["SHOPCTL_LANG": lang]).stdout
            XCTAssertTrue(human.split(separator: "\n")[0].contains(lang == "en" ? "CAMPAIGN" : "活动"), human)
            XCTAssertTrue(human.contains("double11") && human.contains("双十一"), human)
            assertAligned(human, full: true)
        }
    }

    func testASupplierThatLosesAdmissionMakesItsProductsUnavailable() throws {
        let o = try OrderShop()
        let failing = try o.s.write("bad.csv", Feeds.supplierHeader + "SP1,杭州西湖茶业有限公司,999999.99,true,20000,1\n")
        let r = o.s.run("catalog", "import", "--suppliers", failing, "--json")
        XCTAssertEqual((r.object["rejected"] as? [[String: Any]])?.first?["code"] as? String, "supplier-admission", r.stdout)
        XCTAssertEqual(o.s.run("catalog", "list", "--json").array.map { $0["available"] as? Bool }, Array(repeating: false, count: 5))
        XCTAssertEqual(o.s.run("pick-products", "list", "--json").array.map { $0["available"] as? Bool }, [false, false])
        XCTAssertExit(o.s.run("share-link", "P00001", "--json"), 1, "product-unavailable")
        XCTAssertExit(o.s.run("pick-products", "add", "P00003", "--json"), 1, "product-unavailable")
        XCTAssertEqual(o.s.run("pick-products", "suggest", "--json").array.count, 0)
        // admitted again: available again
        let good = try o.s.write("good.csv", Feeds.supplierHeader + Feeds.goodSupplier)
        XCTAssertExit(o.s.run("catalog", "import", "--suppliers", good), 0)
        XCTAssertEqual(o.s.run("catalog", "list", "--json").array.map { $0["available"] as? Bool }, Array(repeating: true, count: 5))
        XCTAssertExit(o.s.run("share-link", "P00001", "--json"), 0)
    }

    func testReportHeadingsAndCheckNamesInChinese() throws {
        let o = try OrderShop()
        let now = "2026-11-21T09:30:00+08:00"
        let f = try o.feed("o.csv", ["A,P00001,2,11.50,2026-10-01T20:00:00+08:00,paid,\(o.p1),,,"])
        XCTAssertExit(o.at(now, "orders", "import", f), 0)
        for (by, en, zh) in [("day", "DAY", "日期"), ("month", "MONTH", "月份"), ("product", "PRODUCT", "商品"), ("channel", "CHANNEL", "渠道")] {
            let zhOut = o.s.run(["earnings", "report", "--by", by], env: ["SHOPCTL_NOW": now, "SHOPCTL_LANG": "zh"]).stdout
            XCTAssertTrue(zhOut.hasPrefix(zh), zhOut)
            XCTAssertFalse(zhOut.contains(en), zhOut)
            XCTAssertTrue(o.s.run(["earnings", "report", "--by", by], env: ["SHOPCTL_NOW": now]).stdout.hasPrefix(en))
        }
        let zhCheck = o.s.run(["check"], env: ["SHOPCTL_NOW": now, "SHOPCTL_LANG": "zh"])
        XCTAssertExit(zhCheck, 0)
        for word in ["数据库完整性", "外键关联", "订单归属", "每日汇总", "链接汇总", "商品销量", "收益 S000001"] {
            XCTAssertTrue(zhCheck.stdout.contains(word), zhCheck.stdout)
        }
        for word in ["integrity", "foreign-keys", "daily-totals", "earnings"] {
            XCTAssertFalse(zhCheck.stdout.contains(word), zhCheck.stdout)
        }
        let json = o.s.run(["check", "--json"], env: ["SHOPCTL_NOW": now, "SHOPCTL_LANG": "zh"]).object
        XCTAssertTrue(((json["checks"] as? [[String: Any]]) ?? []).contains { $0["name"] as? String == "daily-totals" }, "JSON names stay")
    }

    func testTheDayChartShowsDaysWithoutOrders() throws {
        let o = try OrderShop()
        let now = "2026-11-21T09:30:00+08:00"
        let f = try o.feed(
            "o.csv",
            [
                "A,P00001,2,11.50,2026-10-01T20:00:00+08:00,paid,\(o.p1),,,",
                "B,P00001,1,11.50,2026-10-04T20:00:00+08:00,paid,\(o.p1),,,",
            ])
        XCTAssertExit(o.at(now, "orders", "import", f), 0)
        func days(_ args: String...) -> [String] {
            o.s.run(args, env: ["SHOPCTL_NOW": now]).stdout.split(separator: "\n").dropFirst(2).map { String($0.prefix(10)) }.filter {
                $0.hasPrefix("2026-")
            }
        }
        XCTAssertEqual(days("earnings", "report", "--by", "day"), ["2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04"])
        XCTAssertEqual(days("earnings", "report", "--by", "day", "--period", "2026-10").count, 31)
        XCTAssertEqual(days("earnings", "report", "--by", "day", "--period", "2026-11").count, 0, "no orders: no chart")
        XCTAssertEqual(days("earnings", "report", "--by", "day", "--period", "2026-10..2026-11").count, 31 + 21, "up to today")
        let json = o.at(now, "earnings", "report", "--by", "day", "--json").array
        XCTAssertEqual(json.compactMap { $0["key"] as? String }, ["2026-10-01", "2026-10-04"], "JSON: the days with orders")
        // without the bars (the last column, not padded) and the rule under the headings
        let chart = o.at(now, "earnings", "report", "--by", "day").stdout.components(separatedBy: "\ntotal")[0]
        let lines = chart.split(separator: "\n").enumerated().filter { $0.offset != 1 }.map { l in
            String(l.element).replacingOccurrences(of: "[█▏▎▍▌▋▊▉ ]+$", with: "", options: .regularExpression)
        }
        assertAligned(lines.joined(separator: "\n"), full: true)
    }

    func testSuggestLimitZeroMeansAll() throws {
        let o = try OrderShop()
        XCTAssertExit(o.s.run("pick-products", "suggest", "--limit", "0"), 0)
        XCTAssertEqual(o.s.run("pick-products", "suggest", "--limit", "0", "--json").array.count, 3, "the 5 products less the 2 picked")
        XCTAssertEqual(o.s.run("pick-products", "suggest", "--limit", "1", "--json").array.count, 1)
        XCTAssertExit(o.s.run("pick-products", "suggest", "--limit", "-1", "--json"), 2)
    }

    func testCheckFailuresNameTheOrder() throws {
        let o = try OrderShop()
        let now = "2026-11-21T09:30:00+08:00"
        let f = try o.feed(
            "o.csv",
            [
                "A,P00001,2,11.50,2026-10-01T20:00:00+08:00,paid,\(o.p1),,,",
                "B,P00001,1,11.50,2026-10-04T20:00:00+08:00,paid,\(o.p1),,,",
            ])
        XCTAssertExit(o.at(now, "orders", "import", f), 0)
        _ = try o.s.sqlite("UPDATE shop_days SET gmv_fen = gmv_fen + 1 WHERE orders = 1 AND gmv_fen = 1150")
        _ = try o.s.sqlite("UPDATE product_sales SET units = units + 1")
        let r = o.s.run(["check", "--json"], env: ["SHOPCTL_NOW": now])
        XCTAssertExit(r, 5, "check-failed")
        let checks = (r.object["checks"] as? [[String: Any]]) ?? []
        let detail = { (name: String) in checks.first { $0["name"] as? String == name }?["detail"] as? String ?? "" }
        XCTAssertTrue(detail("daily-totals").contains("2026-10-04") && detail("daily-totals").contains("(order B)"), detail("daily-totals"))
        XCTAssertTrue(detail("product-sales").contains("(order A)"), detail("product-sales"))
        let zh = o.s.run(["check"], env: ["SHOPCTL_NOW": now, "SHOPCTL_LANG": "zh"])
        XCTAssertTrue(zh.stdout.contains("每日汇总：1 处不一致") && zh.stdout.contains("（订单 B）"), zh.stdout)
        XCTAssertTrue(zh.stderr.contains("校验未通过：每日汇总"), zh.stderr)
    }
}
