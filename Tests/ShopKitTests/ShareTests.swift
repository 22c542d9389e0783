import XCTest

@testable import ShopKit

final class ShareTokenTests: XCTestCase {
    let secret = Array(repeating: UInt8(7), count: 32)
    let fields = ShareFields(
        shopID: "S000001", productID: "P1", channel: "wechat-moments", campaign: nil, createdAt: Instant(seconds: 1_795_224_600))
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    func testMintsACompactURLSafeToken() {
        let t = ShareToken.mint(shareID: 42, fields: fields, secret: secret)
        XCTAssertEqual(t.count, 24)
        XCTAssertTrue(t.allSatisfy { alphabet.contains($0) })
        XCTAssertEqual(ShareToken.shareID(of: t), 42)
        XCTAssertTrue(ShareToken.verify(t, shareID: 42, fields: fields, secret: secret))
        // Whatever the length of the product id.
        var long = fields
        long.productID = String(repeating: "长", count: 64)
        XCTAssertEqual(ShareToken.mint(shareID: ShareToken.maxShareID, fields: long, secret: secret).count, 24)
    }

    func testNoSingleCharacterChangeSurvives() {
        let t = Array(ShareToken.mint(shareID: 42, fields: fields, secret: secret))
        for i in t.indices {
            for c in alphabet where c != t[i] {
                var m = t
                m[i] = c
                let s = String(m)
                let ok = ShareToken.shareID(of: s).map { ShareToken.verify(s, shareID: $0, fields: fields, secret: secret) } ?? false
                XCTAssertFalse(ok, "position \(i) → \(c)")
            }
        }
    }

    func testAnotherSecretOrOtherFieldsFail() {
        let t = ShareToken.mint(shareID: 42, fields: fields, secret: secret)
        XCTAssertFalse(ShareToken.verify(t, shareID: 42, fields: fields, secret: Array(repeating: 8, count: 32)))
        var other = fields
        other.shopID = "S000002"
        XCTAssertFalse(ShareToken.verify(t, shareID: 42, fields: other, secret: secret))
        other = fields
        other.channel = "weibo"
        XCTAssertFalse(ShareToken.verify(t, shareID: 42, fields: other, secret: secret))
        XCTAssertFalse(ShareToken.verify(t, shareID: 43, fields: fields, secret: secret))
    }

    func testOnlyTheCanonicalSpellingParses() {
        let t = ShareToken.mint(shareID: 42, fields: fields, secret: secret)
        for bad in [
            t + "=", t + "A", String(t.dropLast()), t.replacingOccurrences(of: "-", with: "+"), " " + t, "", "AAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            if bad == t { continue }
            let id = ShareToken.shareID(of: bad)
            XCTAssertFalse(id.map { ShareToken.verify(bad, shareID: $0, fields: fields, secret: secret) } ?? false, bad)
        }
    }
}

final class ShareCopyTests: XCTestCase {
    func testCopyNeverShowsTheCommissionAndFitsTheChannel() {
        let url = "https://taoxiaopu.example/s/X"
        for ch in Rules.defaultChannels {
            let t = ShareCopy.text(channel: ch, title: "西湖龙井", price: Money(fen: 12_950), reason: "自家喝了三年", shopName: "小美淘小铺", url: url)
            XCTAssertTrue(t.contains("西湖龙井") && t.contains("¥129.50") && t.contains("自家喝了三年") && t.contains(url), ch)
            XCTAssertFalse(t.contains("佣金") || t.contains("commission") || t.contains("¥25.90"), ch)
        }
        let short = ShareCopy.text(channel: "wechat-group", title: "t", price: Money(fen: 100), reason: nil, shopName: "s", url: url)
        let long = ShareCopy.text(channel: "wechat-moments", title: "t", price: Money(fen: 100), reason: nil, shopName: "s", url: url)
        XCTAssertFalse(short.contains("\n"))
        XCTAssertGreaterThan(long.count, short.count)
        XCTAssertEqual(ShareCopy.code(token: "abc"), "￥abc￥")
    }
}

final class DailyPlanTests: XCTestCase {
    func testOneProductPerSlotRestingRecentOnesWhileOthersRemain() {
        let p = DailyPlan.plan(hours: [8, 9, 10], ranked: ["A", "B", "C", "D"], rested: ["A"], existing: [:])
        XCTAssertEqual(p.map(\.productID), ["B", "C", "D"])
        XCTAssertEqual(p.map(\.hour), [8, 9, 10])
        // Rested products come back when nothing else remains, best first.
        let q = DailyPlan.plan(hours: [8, 9, 10], ranked: ["A", "B", "C"], rested: ["A", "B"], existing: [:])
        XCTAssertEqual(q.map(\.productID), ["C", "A", "B"])
        // Fewer products than slots: no product twice.
        let r = DailyPlan.plan(hours: [8, 9, 10], ranked: ["A"], rested: [], existing: [:])
        XCTAssertEqual(r.map(\.productID), ["A"])
        // Existing slots stay, the others are filled without repeating them.
        let s = DailyPlan.plan(hours: [8, 9, 10], ranked: ["A", "B", "C"], rested: [], existing: [8: "B"])
        XCTAssertEqual(s.map(\.productID), ["B", "A", "C"])
        // Deterministic.
        XCTAssertEqual(
            DailyPlan.plan(hours: Array(8...22), ranked: (0..<30).map { "P\($0)" }, rested: ["P1", "P3"], existing: [:]).map(\.productID),
            DailyPlan.plan(hours: Array(8...22), ranked: (0..<30).map { "P\($0)" }, rested: ["P1", "P3"], existing: [:]).map(\.productID))
    }
}

final class ShareRulesTests: XCTestCase {

    func testChannelsNotPickedAndUnavailableOnEveryPreset() {
        for p in Platform.allCases {
            let r = ShareRules(Rules.preset(p))
            for ch in Rules.defaultChannels { XCTAssertNil(refusalCode { try r.checkChannel(ch) }, "\(p) \(ch)") }
            XCTAssertEqual(refusalCode { try r.checkChannel("telegram") }, "channel")
            XCTAssertEqual(refusalCode { try r.checkChannel("") }, "channel")
            // 云集 shares the whole catalog; the others only picked products.
            XCTAssertEqual(
                refusalCode { try r.checkProduct("P1", picked: false, available: true) }, p == .yunji ? nil : "not-picked", p.rawValue)
            XCTAssertNil(refusalCode { try r.checkProduct("P1", picked: true, available: true) })
            XCTAssertEqual(refusalCode { try r.checkProduct("P1", picked: true, available: false) }, "product-unavailable")
            XCTAssertEqual(r.url(token: "T"), "https://\(p.rawValue).example/s/T")
        }
        var slash = Rules.preset(.beidian)
        slash.shareBaseURL = "https://b.example/shop/"
        XCTAssertEqual(ShareRules(slash).url(token: "T"), "https://b.example/shop/s/T")
    }
}
