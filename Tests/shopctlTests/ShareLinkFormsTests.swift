import Foundation
import XCTest

/// Every accepted form of a share link through `share-link verify` and the `share_token` column
/// of `orders import`, every refusal (`invalid-token`), and `before-link` (SPEC §4 share-link;
/// docs/share-links.md). The store is `OrderShop`'s: links made at 2026-08-01T10:00:00+08:00.
final class ShareLinkFormsTests: XCTestCase {
    static let now = "2026-11-21T09:30:00+08:00"

    /// `OrderShop` plus a link of P00002 with the long (multi-line) copy of wechat-moments.
    func shop() throws -> (o: OrderShop, group: [String: Any], moments: [String: Any]) {
        let o = try OrderShop()
        let group = o.s.run("share-link", "P00001", "--channel", "wechat-group", "--json")
        XCTAssertExit(group, 0)
        let moments = o.s.run("share-link", "P00002", "--json")
        XCTAssertExit(moments, 0)
        XCTAssertTrue((moments.object["text"] as? String)?.contains("\n") ?? false, "the long copy has several lines")
        return (o, group.object, moments.object)
    }

    func testVerifyAcceptsEveryForm() throws {
        let (o, group, moments) = try shop()
        let token = group["token"] as! String
        let url = group["url"] as! String
        XCTAssertEqual(url, "https://taoxiaopu.example/s/\(token)")
        let pastedJSON = String(decoding: try JSONSerialization.data(withJSONObject: moments, options: [.sortedKeys]), as: UTF8.self)
        for (form, expected) in [
            (token, token), (url, token), (url + "?from=singlemessage", token), (url + "?from=singlemessage&isappinstalled=0", token),
            (url + "#wechat_redirect", token), ("HTTPS://TaoXiaoPu.Example/s/\(token)", token), ("  \(url)\n", token),
            ("￥\(token)￥", token), ("¥\(token)¥", token), (group["code"] as! String, token),
            ("复制这条消息 ¥\(token)¥ 打开淘小铺", token), (group["text"] as! String, token),
            (moments["text"] as! String, moments["token"] as! String),
            ((moments["text"] as! String) + "\n" + (moments["code"] as! String), moments["token"] as! String),
            (pastedJSON, moments["token"] as! String),
        ] {
            let r = o.s.run("share-link", "verify", form, "--json")
            XCTAssertExit(r, 0)
            XCTAssertEqual(r.object["valid"] as? Bool, true, form)
            XCTAssertEqual(r.object["product_id"] as? String, expected == token ? "P00001" : "P00002", form)
            XCTAssertEqual(r.object["shop_id"] as? String, "S000001")
        }
    }

    func testVerifyRefusesForgedLinksAndAmbiguousCopy() throws {
        let (o, group, moments) = try shop()
        let token = group["token"] as! String
        let url = group["url"] as! String
        var changed = Array(token)
        changed[12] = changed[12] == "x" ? "y" : "x"
        let before = try o.s.dump()
        for form in [
            "https://evil.example/s/\(token)", "https://evil.example/s/\(token)?from=singlemessage",
            "https://taoxiaopu.example@evil.example/s/\(token)", "https://taoxiaopu.example.evil.example/s/\(token)",
            "http://taoxiaopu.example/s/\(token)", "https://taoxiaopu.example:8443/s/\(token)", "https://taoxiaopu.example/S/\(token)",
            "https://taoxiaopu.example/s/\(token)/", "https://taoxiaopu.example/x/\(token)", "/s/\(token)", "￥￥", "￥\(token)",
            "\(url) ￥\(moments["token"] as! String)￥", "https://evil.example/s/\(token) ￥\(token)￥", String(changed),
            "https://taoxiaopu.example/s/\(String(changed))?from=singlemessage", "￥\(String(changed))￥", " ",
            String(repeating: "￥", count: 40_000) + "￥\(token)￥",
        ] {
            let r = o.s.run("share-link", "verify", form, "--json")
            XCTAssertExit(r, 1, "invalid-token")
            XCTAssertEqual(r.stdout, "", form)
        }
        XCTAssertEqual(try o.s.dump(), before, "verify changes nothing")
    }

    func testImportReadsEveryFormOfTheShareTokenColumn() throws {
        let (o, group, moments) = try shop()
        let token = group["token"] as! String
        let url = group["url"] as! String
        let p2 = moments["token"] as! String
        func quoted(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let paid = "2026-09-10T20:00:00+08:00"
        let f = try o.feed(
            "forms.csv",
            [
                "U01,P00001,1,11.50,\(paid),paid,\(url),,,",
                "U02,P00001,1,11.50,\(paid),paid,\(url)?from=singlemessage,,,",
                "U03,P00001,1,11.50,\(paid),paid,￥\(token)￥,,,",
                "U04,P00001,1,11.50,\(paid),paid,¥\(token)¥,,,",
                "U05,P00002,1,12.50,\(paid),paid,\(quoted(moments["text"] as! String)),,,",
                "U06,P00001,1,11.50,\(paid),paid,\(quoted(group["text"] as! String)),,,",
                "U07,P00002,1,12.50,\(paid),paid,\(quoted("复制整段：\n" + (moments["text"] as! String) + "\n" + (moments["code"] as! String))),,,",
                "U08,P00001,1,11.50,\(paid),paid,https://evil.example/s/\(token),,,",
                "U09,P00001,1,11.50,\(paid),paid,https://taoxiaopu.example@evil.example/s/\(token),,,",
                "U10,P00001,1,11.50,\(paid),paid,http://taoxiaopu.example/s/\(token),,,",
                "U11,P00001,1,11.50,\(paid),paid,\(quoted("\(url) ￥\(p2)￥")),,,",
                // The links were made at 2026-08-01T10:00:00+08:00.
                "U12,P00001,1,11.50,2026-08-01T09:49:59+08:00,paid,\(token),,,",
                "U13,P00001,1,11.50,2026-08-01T09:50:00+08:00,paid,\(token),,,",
                "U14,P00001,1,11.50,2026-07-01T09:50:00+08:00,paid,\(url)?from=singlemessage,,,",
                "U15,P00001,1,11.50,\(paid),paid,\(token),,,",
            ])
        let r = o.at(Self.now, "orders", "import", f, "--json")
        XCTAssertExit(r, 0)
        var codes: [String: String] = [:]
        var messages: [String: String] = [:]
        for x in (r.object["rejected"] as? [[String: Any]]) ?? [] {
            codes[x["id"] as! String] = x["code"] as? String
            messages[x["id"] as! String] = x["message"] as? String
        }
        XCTAssertEqual(
            codes,
            [
                "U08": "invalid-token", "U09": "invalid-token", "U10": "invalid-token", "U11": "invalid-token", "U12": "before-link",
                "U14": "before-link",
            ])
        XCTAssertEqual(r.object["accepted"] as? Int, 9)
        XCTAssertTrue(messages["U08"]?.contains("https://taoxiaopu.example/s/") ?? false, "\(messages)")
        XCTAssertTrue(messages["U12"]?.contains("more than 10 minutes before") ?? false, "\(messages)")
        // Every accepted order is attributed to the link its column holds.
        let listed = o.at(Self.now, "orders", "list", "--limit", "0", "--json").array
        var products: [String: String] = [:]
        for x in listed { products[x["order_id"] as! String] = x["product_id"] as? String }
        XCTAssertEqual(
            products,
            [
                "U01": "P00001", "U02": "P00001", "U03": "P00001", "U04": "P00001", "U05": "P00002", "U06": "P00001", "U07": "P00002",
                "U13": "P00001", "U15": "P00001",
            ])
        XCTAssertEqual(try o.s.sqlite("SELECT count(*) FROM orders WHERE share_id = \(Self.shareID(token))"), "7")
        XCTAssertEqual(try o.s.sqlite("SELECT count(*) FROM orders WHERE share_id = \(Self.shareID(p2))"), "2")
        // Imported again (the bare token now where a link was, and the other way round): unchanged.
        let again = o.at(Self.now, "orders", "import", f, "--json")
        XCTAssertExit(again, 0)
        XCTAssertEqual(((again.object["rejected"] as? [[String: Any]]) ?? []).count, 6)
    }

    func testJSONLinesTokensInEveryForm() throws {
        let (o, group, moments) = try shop()
        let token = group["token"] as! String
        func row(_ id: String, _ product: String, _ share: String) throws -> String {
            let object: [String: Any] = [
                "order_id": id, "product_id": product, "quantity": 1, "unit_price": product == "P00001" ? "11.50" : "12.50",
                "paid_at": "2026-09-10T20:00:00+08:00",
                "status": "paid", "share_token": share,
            ]
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let lines = [
            try row("J1", "P00002", moments["text"] as! String), try row("J2", "P00001", "￥\(token)￥"),
            try row("J3", "P00001", "https://evil.example/s/\(token)"),
        ]
        let f = try o.s.write("forms.jsonl", lines.joined(separator: "\n") + "\n")
        let r = o.at(Self.now, "orders", "import", f, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 2)
        let rejected = (r.object["rejected"] as? [[String: Any]]) ?? []
        XCTAssertEqual(rejected.map { $0["id"] as? String }, ["J3"])
        XCTAssertEqual(rejected.first?["code"] as? String, "invalid-token")
    }

    /// The share id a token names (bytes 1–5 of its base64url).
    static func shareID(_ token: String) -> Int64 {
        var s = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        let bytes = [UInt8](Data(base64Encoded: s)!)
        return bytes[1...5].reduce(Int64(0)) { $0 << 8 | Int64($1) }
    }
}
