import Foundation
import XCTest

/// A 淘宝联盟-style order report (UTF-8, Chinese headers, tabbed order numbers, zone-less times)
/// imports through a column map exactly as the same orders in shopctl's own shape (SPEC §7).
final class ChineseExportTests: XCTestCase {
    static let now = "2026-11-21T09:30:00+08:00"
    static let map = """
        {"columns":{"创建时间":"paid_at","广告位名称":"share_token"},
         "values":{"status":{"订单付款":"paid","订单成功":"confirmed","订单结算":"confirmed","订单失效":"refunded"}},
         "skip_rows":1}
        """
    static let header =
        "创建时间,点击时间,商品信息,商品ID,商品数,商品单价,订单状态,收入比率,付款金额,效果预估,结算金额,预估收入,结算时间,佣金比率,佣金金额,订单编号,来源媒体名称,广告位名称\n"

    private func lianmeng(_ o: OrderShop, rows: [(String, String, String, String, String, String, String, String)]) -> String {
        // (created, product, quantity, price, status, settled, order number, token)
        "淘宝联盟 订单明细报表,,,,,,,,,,,,,,,,,\n" + Self.header
            + rows.map { r in
                "\(r.0),\(r.0),商品 \(r.1),\(r.1),\(r.2),\(r.3),\(r.4),100.00 %,\(r.3),0.69,0.00,0.69,\(r.5),\(Self.catalogRate(r.1)) %,0.69,\t\(r.6),我的小店,\(r.7)\n"
            }.joined()
    }

    /// The catalog's rate of a product of `Feeds.products` (P00001 6.00, P00002 7.00, …): the
    /// report's 佣金比率 is the rate frozen for its orders (SPEC §7).
    static func catalogRate(_ productID: String) -> String {
        String(format: "%d.00", 5 + (Int(productID.dropFirst()) ?? 0) % 30)
    }

    func testALianmengReportImportsAsThePlainFeed() throws {
        let a = try OrderShop()
        let b = try OrderShop()
        let chinese = try a.s.write(
            "report.csv",
            lianmeng(
                a,
                rows: [
                    ("2026-11-04 12:00:00", "P00001", "1", "¥11.50", "订单付款", "", "2783941234567890123", a.p1),
                    ("2026/11/5 20:15", "P00002", "2", "12.50", "订单结算", "2026/11/15 10:00", "2783941234567890124", a.storefront),
                    ("2026-11-06 09:00", "P00001", "1", "11.50", "订单成功", "2026-11-16 09:00:00", "2783941234567890125", a.p1),
                ]))
        let mapFile = try a.s.write("lianmeng.json", Self.map)
        let r = a.at(Self.now, "orders", "import", chinese, "--map", mapFile, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 3, r.stdout + r.stderr)
        let plain = try b.feed(
            "plain.csv",
            [
                "2783941234567890123,P00001,1,11.50,2026-11-04T12:00:00+08:00,paid,\(b.p1),,,",
                "2783941234567890124,P00002,2,12.50,2026-11-05T20:15:00+08:00,confirmed,\(b.storefront),2026-11-15T10:00:00+08:00,,",
                "2783941234567890125,P00001,1,11.50,2026-11-06T09:00:00+08:00,confirmed,\(b.p1),2026-11-16T09:00:00+08:00,,",
            ])
        XCTAssertExit(b.at(Self.now, "orders", "import", plain), 0)
        let listA = a.at(Self.now, "orders", "list", "--json")
        let listB = b.at(Self.now, "orders", "list", "--json")
        XCTAssertExit(listA, 0)
        XCTAssertEqual(listA.array.count, 3)
        XCTAssertEqual(
            Self.withoutTokens(listA.stdout, [a.p1, a.storefront]), Self.withoutTokens(listB.stdout, [b.p1, b.storefront]))
        let show = a.at(Self.now, "orders", "show", "2783941234567890123", "--json")
        XCTAssertExit(show, 0)
        XCTAssertEqual(show.object["paid_at"] as? String, "2026-11-04T12:00:00+08:00")
    }

    /// The two shops' tokens differ (each store signs its own); everything else must be equal.
    static func withoutTokens(_ text: String, _ tokens: [String]) -> String {
        var t = text
        for (i, token) in tokens.enumerated() { t = t.replacingOccurrences(of: token, with: "<token \(i)>") }
        return t
    }

    func testBuiltInNamesNeedNoMap() throws {
        let o = try OrderShop()
        let f = try o.s.write(
            "zh.csv",
            "订单号,商品编号,数量,单价,付款时间,订单状态,推广码\n\t9001,P00001,1,¥11.50,2026/11/4 12:00,已付款,\(o.p1)\n"
                + "'9002,P00001,1,\"¥1,011.50\",2026-11-04 12:00:00,交易成功,\(o.p1)\n")
        let r = o.at(Self.now, "orders", "import", f, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 2, r.stdout + r.stderr)
        let show = o.at(Self.now, "orders", "show", "9002", "--json")
        XCTAssertEqual(show.object["paid_at"] as? String, "2026-11-04T12:00:00+08:00")
        XCTAssertEqual(show.object["status"] as? String, "confirmed")
    }

    func testAScientificNotationIDIsABadValueSayingWhatExcelDid() throws {
        let o = try OrderShop()
        let f = try o.s.write(
            "sci.csv",
            "订单编号,商品ID,商品数,商品单价,付款时间,订单状态,推广码\n2.78394E+18,P00001,1,11.50,2026-11-04 12:00:00,已付款,\(o.p1)\n"
                + "'9003,P00001,0,11.50,2026-11-04 12:00:00,已付款,\(o.p1)\n")
        let r = o.at(Self.now, "orders", "import", f, "--json")
        XCTAssertExit(r, 0)
        let rejected = (r.object["rejected"] as? [[String: Any]]) ?? []
        XCTAssertEqual(rejected.count, 2, r.stdout)
        // A rejected row is reported by its id as it would be stored: without Excel's '.
        XCTAssertEqual(rejected.last?["id"] as? String, "9003")
        XCTAssertEqual(rejected.first?["code"] as? String, "bad-value")
        let message = "\(rejected.first?["message"] ?? "")"
        XCTAssertTrue(message.contains("Excel turned this id into a number in scientific notation"), message)
        XCTAssertTrue(message.contains("format the column as text before exporting"), message)
    }

    func testAnUnknownMapKeyExits2NamingItAndTouchesNothing() throws {
        let o = try OrderShop()
        let f = try o.s.write("report.csv", lianmeng(o, rows: [("2026-11-04 12:00:00", "P00001", "1", "11.50", "订单付款", "", "1", o.p1)]))
        let before = o.s.bytes()
        for (json, named) in [
            (#"{"colunms":{}}"#, "colunms"), (#"{"columns":{"订单编号":"order_no"}}"#, "order_no"),
            (#"{"attribution":"shops"}"#, "attribution"), ("not json", "JSON"),
        ] {
            let m = try o.s.write("bad-\(named).json", json)
            let r = o.at(Self.now, "orders", "import", f, "--map", m, "--json")
            XCTAssertExit(r, 2)
            XCTAssertEqual(r.errorCode, "bad-map", json)
            XCTAssertTrue(r.errorMessage?.contains(named) ?? false, "\(json): \(r.stderr)")
        }
        XCTAssertExit(o.at(Self.now, "orders", "import", f, "--map", o.s.path("missing.json")), 3)
        XCTAssertEqual(o.s.bytes(), before)
    }
}
