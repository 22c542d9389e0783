import XCTest

@testable import ShopKit

final class ShopRulesTests: XCTestCase {
    let now = Instant(seconds: 1_795_224_600)

    func open(
        _ p: Platform, name: String = "小美好物", score: Int? = 720, verified: Bool = true,
        memberShops: [MemberShop] = [], taken: Bool = false
    ) throws -> Shop {
        try ShopRules(Rules.preset(p)).open(
            OpenShopRequest(memberID: "m1", name: name, creditScore: score, verified: verified), id: "S000001",
            now: now, memberShops: memberShops, nameTaken: taken)
    }

    func assertRefused(_ code: String, _ body: @autoclosure () throws -> Shop, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { e in
            XCTAssertEqual((e as? ShopError)?.code, code, file: file, line: line)
            XCTAssertEqual((e as? ShopError)?.kind, .rule, file: file, line: line)
        }
    }

    func testTaoxiaopuOpensWithSuffixAndLowestLevel() throws {
        let s = try open(.taoxiaopu)
        XCTAssertEqual(s.displayName, "小美好物淘小铺")
        XCTAssertEqual(s.level, "新晋掌柜")
        XCTAssertEqual(s.openingFee, .zero)
        XCTAssertEqual(try open(.taoxiaopu, name: "好物淘小铺").displayName, "好物淘小铺")
    }

    func testCreditScoreOnEveryPreset() throws {
        assertRefused("credit-score", try open(.taoxiaopu, score: 699))
        assertRefused("credit-score", try open(.taoxiaopu, score: nil))
        XCTAssertNoThrow(try open(.taoxiaopu, score: 700))
        for p in [Platform.yunji, .xiangdian, .beidian] {
            XCTAssertNoThrow(try open(p, score: nil), p.rawValue)
            XCTAssertNoThrow(try open(p, score: 350), p.rawValue)
        }
        for p in Platform.allCases {
            for s in [349, 951] {
                XCTAssertThrowsError(try open(p, score: s)) { e in XCTAssertEqual((e as? ShopError)?.kind, .usage) }
            }
        }
    }

    func testRealNameOnEveryPreset() {
        for p in Platform.allCases { assertRefused("real-name", try open(p, verified: false)) }
    }

    func testNameRulesOnEveryPreset() throws {
        for p in Platform.allCases {
            assertRefused("shop-name", try open(p, name: ""))
            assertRefused("shop-name", try open(p, name: "   "))
            assertRefused("shop-name", try open(p, name: "小美旗舰店"))
            for w in ["专卖", "官方", "直营", "授权"] { assertRefused("shop-name", try open(p, name: "小美\(w)")) }
            assertRefused("shop-name", try open(p, name: "小美\u{0007}好物"))
            assertRefused("shop-name", try open(p, name: "小美\n好物"))
            assertRefused("shop-name", try open(p, name: "小美\u{200E}好物"))
            assertRefused("shop-name", try open(p, name: "小美好物", taken: true))
            // 20 characters is the limit, counted in characters, not bytes.
            XCTAssertNoThrow(try open(p, name: String(repeating: "好", count: 20)))
            assertRefused("shop-name", try open(p, name: String(repeating: "好", count: 21)))
            XCTAssertNoThrow(try open(p, name: String(repeating: "a", count: 20)))
            XCTAssertEqual(try open(p, name: "  小美  ").name, "小美")
        }
    }

    func testOneShopPerMemberAndMultiShopQualification() throws {
        let old = try open(.taoxiaopu)
        let young = Shop(
            shopID: "S0", memberID: "m1", name: "x", displayName: "x", description: "", logo: nil, level: "资深掌柜",
            openedAt: now.adding(days: -89), openingFee: .zero)
        var aged = young
        aged.openedAt = now.adding(days: -90)
        // taoxiaopu: 资深掌柜 or above and ≥ 90 days.
        assertRefused("one-shop-per-member", try open(.taoxiaopu, name: "二店", memberShops: [MemberShop(shop: old, currentLevel: "新晋掌柜")]))
        assertRefused("one-shop-per-member", try open(.taoxiaopu, name: "二店", memberShops: [MemberShop(shop: young, currentLevel: "资深掌柜")]))
        assertRefused("one-shop-per-member", try open(.taoxiaopu, name: "二店", memberShops: [MemberShop(shop: aged, currentLevel: "新晋掌柜")]))
        XCTAssertNoThrow(try open(.taoxiaopu, name: "二店", memberShops: [MemberShop(shop: aged, currentLevel: "资深掌柜")]))
        XCTAssertNoThrow(try open(.taoxiaopu, name: "二店", memberShops: [MemberShop(shop: aged, currentLevel: "超级掌柜")]))
        // Others: one shop per member, whatever the level.
        for p in [Platform.yunji, .xiangdian, .beidian] {
            assertRefused("one-shop-per-member", try open(p, name: "二店", memberShops: [MemberShop(shop: aged, currentLevel: "店主")]))
        }
    }

    func testOpeningFee() throws {
        XCTAssertEqual(try open(.yunji).openingFee.fen, 39_800)
        XCTAssertEqual(try open(.yunji).displayName, "小美好物")
        XCTAssertEqual(try open(.beidian).openingFee.fen, 0)
    }

    func testRefusalOrder() {
        // The credit score is judged before the real name and the name.
        assertRefused("credit-score", try open(.taoxiaopu, name: "旗舰", score: 600, verified: false))
        assertRefused("real-name", try open(.taoxiaopu, name: "旗舰", verified: false))
    }

    func testShopJSONHasTheContractKeys() throws {
        let j = try open(.yunji).json(zone: .shanghai)
        XCTAssertEqual(
            j.objectValue!.map(\.0),
            ["shop_id", "member_id", "name", "display_name", "description", "level", "opened_at", "opening_fee_fen"])
        XCTAssertEqual(j["opened_at"], .string("2026-11-21T09:30:00+08:00"))
        XCTAssertEqual(j["opening_fee_fen"], .int(39_800))
    }
}

extension ShopRulesTests {
    func testSameMemberSameNameIsOneShopPerMemberFirst() throws {
        let first = try open(.taoxiaopu)
        assertRefused(
            "one-shop-per-member", try open(.taoxiaopu, memberShops: [MemberShop(shop: first, currentLevel: "新晋掌柜")], taken: true))
    }
}
