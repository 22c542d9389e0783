import XCTest

@testable import ShopKit

/// `ShareLinkParser`: every accepted form of a share link, every refusal (docs/share-links.md),
/// and the `before-link` rule.
final class ShareLinkParserTests: XCTestCase {
    static let secret = Array(repeating: UInt8(7), count: 32)
    static let fields = ShareFields(
        shopID: "S000001", productID: "P1", channel: "wechat-group", campaign: nil, createdAt: Instant(seconds: 1_795_224_600))
    let token = ShareToken.mint(shareID: 42, fields: fields, secret: secret)
    let other = ShareToken.mint(shareID: 43, fields: fields, secret: secret)
    let links = ShareLinkParser(Rules.preset(.taoxiaopu))
    var url: String { ShareRules(Rules.preset(.taoxiaopu)).url(token: token) }

    func parse(_ s: String) -> String? { links.token(in: s) }

    /// The token, when it verifies as `ShareRecord` lookups would.
    func verified(_ s: String) -> Bool {
        guard let t = parse(s), let id = ShareToken.shareID(of: t) else { return false }
        return ShareToken.verify(t, shareID: id, fields: Self.fields, secret: Self.secret)
    }

    func testTheBareToken() {
        XCTAssertEqual(url, "https://taoxiaopu.example/s/\(token)")
        XCTAssertEqual(parse(token), token)
        XCTAssertEqual(parse("  \(token)\n"), token)
        XCTAssertEqual(parse("\u{3000}\(token)\u{00A0}"), token, "ideographic and no-break spaces")
        XCTAssertEqual(parse("\u{FEFF}\(token)\r\n"), token, "a byte order mark and CRLF")
        XCTAssertTrue(verified(token))
    }

    func testTheLinkWithWhatChatAppsAppend() {
        for s in [
            url, url + "?from=singlemessage", url + "?from=singlemessage&isappinstalled=0", url + "#wechat_redirect",
            url + "?from=timeline#top", url + "?", url + "#", " \(url) \n", "HTTPS://TAOXIAOPU.EXAMPLE/s/\(token)",
            "https://TaoXiaoPu.Example/s/\(token)?from=groupmessage",
        ] {
            XCTAssertEqual(parse(s), token, s)
        }
    }

    func testTheCodeWithEitherYenSign() {
        XCTAssertEqual(ShareCopy.code(token: token), "￥\(token)￥")
        for s in [
            "￥\(token)￥", "¥\(token)¥", "￥\(token)¥", "¥\(token)￥", "  ￥\(token)￥ ",
            "复制这条消息￥\(token)￥打开淘小铺", "【淘小铺】¥\(token)¥ 👉 长按复制",
        ] {
            XCTAssertEqual(parse(s), token, s)
        }
    }

    func testPastedCopy() {
        let p = Rules.preset(.taoxiaopu)
        let short = ShareCopy.text(
            channel: "wechat-group", title: "西湖龙井", price: Money(fen: 12950), reason: "自家喝了三年", shopName: "小美好物", url: url)
        let long = ShareCopy.text(
            channel: "xiaohongshu", title: "西湖龙井 明前特级", price: Money(fen: 12950), reason: "自家喝了三年，¥便宜", shopName: "小美好物",
            url: ShareRules(p).url(token: token))
        XCTAssertTrue(long.contains("\n"))
        for s in [
            short, long, long + "\n" + ShareCopy.code(token: token), ShareCopy.code(token: token) + "\n" + long,
            short.replacingOccurrences(of: url, with: url + "?from=singlemessage"),
            "看看这个 ￥\(token)￥ 😀\n\n🛒 好物", "店铺微博 https://weibo.com/u/123456 " + short,
            // The whole JSON of `share-link --json`, pasted.
            #"{"token":"\#(token)","url":"\#(url)","code":"￥\#(token)￥","text":"✨ 西湖龙井\n🛒 小美好物 👉 \#(url)"}"#,
        ] {
            XCTAssertEqual(parse(s), token, s)
        }
    }

    func testLinksOfAnotherOriginAreRefused() {
        for s in [
            "https://evil.example/s/\(token)", "https://evil.example/s/\(token)?from=singlemessage",
            "https://taoxiaopu.example@evil.example/s/\(token)", "https://taoxiaopu.example:x@evil.example/s/\(token)",
            "https://taoxiaopu.example.evil.example/s/\(token)", "https://eviltaoxiaopu.example/s/\(token)",
            "http://taoxiaopu.example/s/\(token)", "ftp://taoxiaopu.example/s/\(token)", "xhttps://taoxiaopu.example/s/\(token)",
            "https://taoxiaopu.example:443/s/\(token)", "https://taoxiaopu.example:8443/s/\(token)",
            "https://taoxiaopu.example./s/\(token)", "//taoxiaopu.example/s/\(token)", "taoxiaopu.example/s/\(token)",
            "https:/taoxiaopu.example/s/\(token)", "https://evil.example/?u=https://taoxiaopu.example/s/\(token)",
        ] {
            XCTAssertNil(parse(s), s)
        }
    }

    func testWrongPathsAreRefused() {
        for s in [
            "https://taoxiaopu.example/S/\(token)", "https://taoxiaopu.example/s/\(token)/", "https://taoxiaopu.example//s/\(token)",
            "https://taoxiaopu.example/x/s/\(token)", "https://taoxiaopu.example/s/s/\(token)", "https://taoxiaopu.example/\(token)",
            "https://taoxiaopu.example/s/\(token)x", "https://taoxiaopu.example/s/\(token.dropLast())",
            "https://taoxiaopu.example/s/%41" + token.dropFirst(), "https://taoxiaopu.example/s/\(token).", "/s/\(token)",
            "https://taoxiaopu.example/s/\(token);x",
        ] {
            XCTAssertNil(parse(s), s)
        }
    }

    func testAForgedLinkBesideARealOneMakesTheWholeCopyInvalid() {
        XCTAssertNil(parse("https://evil.example/s/\(token) ￥\(token)￥"))
        XCTAssertNil(parse("\(url)\nhttps://taoxiaopu.example@evil.example/s/\(token)"))
        XCTAssertNil(parse("【西湖龙井】👉 https://evil.example/s/\(other) ¥\(token)¥"))
    }

    func testTwoDifferentTokensAreAmbiguous() {
        let otherURL = ShareRules(Rules.preset(.taoxiaopu)).url(token: other)
        XCTAssertNil(parse("￥\(token)￥ ￥\(other)￥"))
        XCTAssertNil(parse("￥\(token)￥\(other)￥"), "the closing sign opens a second 口令")
        XCTAssertNil(parse("\(url) \(otherURL)"))
        XCTAssertNil(parse("\(url) ￥\(other)￥"))
        // The same token twice is one token.
        XCTAssertEqual(parse("\(url) ￥\(token)￥ \(url)?from=timeline"), token)
    }

    func testWhatIsNotAFormIsRefused() {
        for s in [
            "", " ", "\n\t", "￥￥", "¥¥", "￥", "￥ \(token)￥", "￥\(token) ￥", "￥\(token)", "\(token)￥", "￥\(token)x￥",
            "口令 \(token) 打开", "\(token)=", token + "A", String(token.dropLast()), "\(token)?from=singlemessage",
            "not-a-token", String(repeating: "￥", count: 1000),
            // A token with a character full-width, and a whole token of full-width characters.
            "￥\u{FF21}" + token.dropFirst() + "￥",
        ] {
            XCTAssertNil(parse(s), s)
        }
        XCTAssertEqual(parse("￥￥\(token)￥￥"), token, "the inner pair is a 口令")
        XCTAssertEqual(parse("￥¥\(token)¥￥x"), token)
    }

    func testAChangedCharacterParsesButDoesNotVerify() {
        var chars = Array(token)
        chars[10] = chars[10] == "x" ? "y" : "x"
        let forged = String(chars)
        XCTAssertEqual(parse(forged), forged)
        XCTAssertEqual(parse(ShareRules(Rules.preset(.taoxiaopu)).url(token: forged)), forged)
        XCTAssertEqual(parse("￥\(forged)￥"), forged)
        XCTAssertFalse(verified(forged))
        XCTAssertFalse(verified("\(url.dropLast())\(token.last == "A" ? "B" : "A")"))
        XCTAssertTrue(verified(url + "?from=singlemessage"))
    }

    func testOtherBaseURLs() {
        let withPath = ShareLinkParser(shareBaseURL: "https://Shop.Example:8443/m/share/")
        XCTAssertEqual(withPath.token(in: "https://shop.example:8443/m/share/s/\(token)"), token)
        XCTAssertEqual(withPath.token(in: "HTTPS://SHOP.EXAMPLE:8443/m/share/s/\(token)?a=1"), token)
        XCTAssertNil(withPath.token(in: "https://shop.example:8443/M/share/s/\(token)"), "the path is case-sensitive")
        XCTAssertNil(withPath.token(in: "https://shop.example/m/share/s/\(token)"), "the port is part of the origin")
        XCTAssertNil(withPath.token(in: "https://shop.example:8443/s/\(token)"))
        let http = ShareLinkParser(shareBaseURL: "http://shop.example")
        XCTAssertEqual(http.token(in: "http://shop.example/s/\(token)"), token)
        XCTAssertNil(http.token(in: "https://shop.example/s/\(token)"), "not the base's scheme")
        // A base with no scheme: only the token and the 口令.
        let bare = ShareLinkParser(shareBaseURL: "shop")
        XCTAssertNil(bare.token(in: "shop/s/\(token)"))
        XCTAssertEqual(bare.token(in: "￥\(token)￥"), token)
        XCTAssertEqual(ShareLinkParser(shareBaseURL: "").token(in: token), token)
    }

    func testHugeInputsAreRefusedQuickly() {
        let start = Date()
        let huge = String(repeating: "https://taoxiaopu.example/s/", count: 400_000) + token
        XCTAssertGreaterThan(huge.utf8.count, 10_000_000)
        XCTAssertNil(parse(huge))
        XCTAssertNil(parse(String(repeating: "a", count: 10_000_000)))
        // Just under the cap, in the worst shapes: every byte looked at a bounded number of times.
        let cap = ShareLinkParser.maxInputBytes
        let yens = String(repeating: "￥", count: cap / 3 - 10) + "￥\(token)￥"
        XCTAssertLessThanOrEqual(yens.utf8.count, cap)
        XCTAssertEqual(parse(yens), token)
        let schemes = String(repeating: "a", count: cap - 200) + "://x " + url
        XCTAssertEqual(parse(schemes), token)
        let colons = String(repeating: "a:/", count: cap / 3 - 100) + " " + url
        XCTAssertEqual(parse(colons), token)
        let almost = String(repeating: "￥" + token.dropLast(), count: cap / 27)
        XCTAssertNil(parse(almost))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5, "huge inputs must not be slow")
    }

    // MARK: - before-link

    func testPaidAtMostTenMinutesBeforeTheLink() throws {
        let created = Instant(seconds: 1_795_224_600)
        let zone = Rules.preset(.taoxiaopu).zone
        try ShareRules.checkPaidAt(created, linkCreatedAt: created, zone: zone)
        try ShareRules.checkPaidAt(created.adding(seconds: 86_400), linkCreatedAt: created, zone: zone)
        try ShareRules.checkPaidAt(created.adding(seconds: -600), linkCreatedAt: created, zone: zone)
        for before: Int64 in [601, 3600, 86_400 * 365] {
            XCTAssertThrowsError(try ShareRules.checkPaidAt(created.adding(seconds: -before), linkCreatedAt: created, zone: zone)) { e in
                let p = e as? RowProblem
                XCTAssertEqual(p?.code, "before-link")
                XCTAssertTrue(p?.message.en.contains("more than 10 minutes before") ?? false, "\(String(describing: p))")
                XCTAssertTrue(p?.message.zh.contains("超过 10 分钟") ?? false)
            }
        }
    }
}
