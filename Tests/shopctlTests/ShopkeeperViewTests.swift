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

    /// Every line of a table, without its last (unpadded) cell, has the same display width.
    func assertAligned(_ table: String, lastCells: Int = 1, file: StaticString = #filePath, line: UInt = #line) {
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertGreaterThan(lines.count, 2, table, file: file, line: line)
        let widths = lines.map { l -> Int in
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
}
