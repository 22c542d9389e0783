import Foundation
import XCTest

final class ShareLinkEndToEndTests: XCTestCase {
    func testTokenVerifiesAndNoSingleCharacterChangeSurvives() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 3)
        XCTAssertExit(s.run("pick-products", "add", "P00001", "--reason", "自家常备"), 0)
        let r = s.run("share-link", "P00001", "--json")
        XCTAssertExit(r, 0)
        let o = r.object
        XCTAssertEqual(Set(o.keys), ["token", "url", "code", "text", "product_id", "channel"])
        let token = o["token"] as! String
        XCTAssertLessThanOrEqual(token.count, 64)
        XCTAssertEqual(o["url"] as? String, "https://taoxiaopu.example/s/\(token)")
        XCTAssertTrue((o["code"] as? String)?.contains(token) ?? false)
        XCTAssertEqual(o["channel"] as? String, "wechat-moments")
        let text = o["text"] as! String
        XCTAssertTrue(text.contains("商品1 标题") && text.contains("¥11.50") && text.contains("自家常备"))
        XCTAssertFalse(text.contains("佣金"))
        let v = s.run("share-link", "verify", token, "--json")
        XCTAssertExit(v, 0)
        XCTAssertEqual(v.object["valid"] as? Bool, true)
        XCTAssertEqual(v.object["shop_id"] as? String, "S000001")
        XCTAssertEqual(v.object["product_id"] as? String, "P00001")
        XCTAssertExit(s.run("share-link", "verify", o["url"] as! String), 0)
        // A sample of single-character changes at every position (the unit tests try all of them).
        let chars = Array(token)
        for i in chars.indices {
            var m = chars
            m[i] = chars[i] == "A" ? "B" : "A"
            XCTAssertExit(s.run("share-link", "verify", String(m), "--json"), 1, "invalid-token")
        }
        XCTAssertExit(s.run("share-link", "verify", token + "A", "--json"), 1, "invalid-token")
    }

    func testATokenOfAnotherStoreIsRefused() throws {
        let a = try Sandbox()
        let b = try Sandbox()
        try Feeds.shop(a, products: 2)
        try Feeds.shop(b, products: 2)
        XCTAssertExit(a.run("pick-products", "add", "P00001"), 0)
        XCTAssertExit(b.run("pick-products", "add", "P00001"), 0)
        let ta = a.run("share-link", "P00001", "--json").object["token"] as! String
        let tb = b.run("share-link", "P00001", "--json").object["token"] as! String
        XCTAssertEqual(ta.prefix(8), tb.prefix(8), "same share id in both stores")
        XCTAssertNotEqual(ta, tb)
        XCTAssertExit(b.run("share-link", "verify", ta, "--json"), 1, "invalid-token")
        XCTAssertExit(a.run("share-link", "verify", tb, "--json"), 1, "invalid-token")
    }

    func testRefusalsRecordNothing() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 3)
        XCTAssertExit(s.run("pick-products", "add", "P00001", "P00002"), 0)
        let off = try s.write("off.csv", Feeds.productHeader + "P00002,SP1,商品2 标题,品牌2,食品保健,12.50,7,102,off,,,,,,\n")
        XCTAssertExit(s.run("catalog", "import", "--products", off), 0)
        let before = try s.dump()
        XCTAssertExit(s.run("share-link", "P00003", "--json"), 1, "not-picked")
        XCTAssertExit(s.run("share-link", "P00002", "--json"), 1, "product-unavailable")
        XCTAssertExit(s.run("share-link", "P00001", "--channel", "telegram", "--json"), 1, "channel")
        XCTAssertExit(s.run("share-link", "P09999", "--json"), 3, "product-not-found")
        XCTAssertExit(s.run("share-link", "--json"), 2)
        XCTAssertEqual(try s.dump(), before)
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM shares"), "0")
    }

    func testYunjiSharesWithoutPickingAndStorefront() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 2, platform: "yunji")
        let r = s.run("share-link", "P00002", "--channel", "wechat-group", "--json")
        XCTAssertExit(r, 0)
        XCTAssertTrue((r.object["url"] as? String)?.hasPrefix("https://yunji.example/s/") ?? false)
        XCTAssertFalse((r.object["text"] as? String)?.contains("\n") ?? true, "short copy for a group chat")
        let f = s.run("share-link", "--storefront", "--json")
        XCTAssertExit(f, 0)
        XCTAssertTrue(f.object["product_id"] is NSNull)
        let v = s.run("share-link", "verify", f.object["token"] as! String, "--json")
        XCTAssertTrue(v.object["product_id"] is NSNull)
    }

    func testQRCodePNGDecodesToTheURLAndPosterIsWritten() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 1)
        XCTAssertExit(s.run("pick-products", "add", "P00001", "--reason", "好用 & <实惠>"), 0)
        let png = s.path("qr.png")
        let svg = s.path("poster.svg")
        let r = s.run("share-link", "P00001", "--qr-png", png, "--poster", svg, "--json")
        XCTAssertExit(r, 0)
        let url = r.object["url"] as! String
        let bytes = try XCTUnwrap(s.bytes(png))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let poster = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(poster.contains("<svg") && poster.contains("商品1 标题") && poster.contains("¥11.50"))
        XCTAssertTrue(poster.contains("好用 &amp; &lt;实惠&gt;"), "text is escaped")
        XCTAssertFalse(poster.contains("佣金"))
        let human = s.run("share-link", "P00001", "--qr")
        XCTAssertTrue(human.stdout.contains("▀") || human.stdout.contains("█"))
        guard let zbar = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw XCTSkip("zbarimg not installed; the QR matrix itself is checked against references in ShopKitTests")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: zbar)
        p.arguments = ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", png]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let decoded = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(decoded.trimmingCharacters(in: .newlines), url)
    }

    func testDailyPlanIsDeterministicAndIdempotent() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 20)
        XCTAssertExit(s.run(["pick-products", "add"] + (1...20).map { String(format: "P%05d", $0) }), 0)
        let first = s.run("share-link", "daily", "--date", "2026-11-21", "--json")
        XCTAssertExit(first, 0)
        let plan = first.array
        XCTAssertEqual(plan.count, 15, "one slot per hour 8–22")
        XCTAssertEqual(plan.first?["slot"] as? String, "2026-11-21T08:00:00+08:00")
        XCTAssertEqual(plan.last?["slot"] as? String, "2026-11-21T22:00:00+08:00")
        XCTAssertEqual(Set(plan.compactMap { $0["product_id"] as? String }).count, 15, "no product twice")
        XCTAssertEqual(Set(plan[0].keys), ["slot", "product_id", "title", "url", "text"])
        let logged = try s.sqlite("SELECT count(*) FROM shares")
        let second = s.run("share-link", "daily", "--date", "2026-11-21", "--json")
        XCTAssertEqual(second.stdout, first.stdout)
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM shares"), logged, "the share log grows only once")
        // The next day rests the 15 products planned the day before while 5 others remain.
        let next = s.run("share-link", "daily", "--date", "2026-11-22", "--count", "5", "--json").array
        let yesterday = Set(plan.compactMap { $0["product_id"] as? String })
        XCTAssertEqual(next.count, 5)
        XCTAssertTrue(next.allSatisfy { !yesterday.contains($0["product_id"] as! String) })
        // Another channel is its own plan.
        XCTAssertExit(s.run("share-link", "daily", "--date", "2026-11-21", "--channel", "weibo", "--count", "2"), 0)
        XCTAssertExit(s.run("share-link", "daily", "--date", "2026-11-21", "--channel", "fax", "--json"), 1, "channel")
        XCTAssertExit(s.run("share-link", "daily", "--date", "21/11/2026"), 2)
        let list = s.run("share-link", "list", "--limit", "0", "--json").array
        XCTAssertEqual(list.count, 15 + 5 + 2)
        XCTAssertEqual(
            Set(list[0].keys), ["token", "product_id", "channel", "campaign", "created_at", "orders", "gmv_fen", "commission_fen"])
        XCTAssertEqual(list[0]["orders"] as? Int, 0)
    }
}
