import XCTest

@testable import ShopKit

/// The name rules after normalisation (docs/rules.md "Shop names"): NFKC, no white space,
/// traditional forms of the forbidden words, uniqueness on the normalised display name.
final class ShopNameTests: XCTestCase {
    let taoxiaopu = ShopRules(Rules.preset(.taoxiaopu))
    let yunji = ShopRules(Rules.preset(.yunji))

    func assertForbidden(_ name: String, _ rules: ShopRules, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try rules.checkName(name, nameTaken: false), name, file: file, line: line) { e in
            XCTAssertEqual((e as? ShopError)?.code, "shop-name", file: file, line: line)
            XCTAssertTrue((e as? ShopError)?.message.en.contains("forbidden") ?? false, "\(e)", file: file, line: line)
        }
    }

    func testForbiddenWordsWithSpacesInside() {
        for name in ["旗 舰好物", "好物旗\u{3000}舰", "官 方店", "直 营 店", "专\u{00A0}卖"] { assertForbidden(name, yunji) }
    }

    func testForbiddenWordsInTraditionalAndMixedForms() {
        for name in ["旗艦店", "好物專賣", "專卖店", "专賣店", "直營好物", "授權店", "官方店"] { assertForbidden(name, yunji) }
    }

    func testForbiddenWordsInFullWidthAndCompatibilityForms() {
        var rules = Rules.preset(.yunji)
        rules.forbiddenNameWords = ["official", "旗舰"]
        let r = ShopRules(rules)
        for name in ["ＯＦＦＩＣＩＡＬ Store", "Ｏｆｆｉｃｉａｌ", "o f f i c i a l", "OFFICIAL"] { assertForbidden(name, r) }
        XCTAssertNoThrow(try r.checkName("Offical", nameTaken: false))
    }

    func testPlainNamesStillPass() throws {
        XCTAssertEqual(try yunji.checkName("  小美好物  ", nameTaken: false), "小美好物", "trimmed, as typed")
        XCTAssertEqual(try yunji.checkName("ＡＢＣ好物", nameTaken: false), "ＡＢＣ好物", "stored as typed")
        XCTAssertNoThrow(try yunji.checkName("旗袍舰模", nameTaken: false))
    }

    func testNormalizedName() {
        XCTAssertEqual(ShopRules.normalizedName("ＡＢＣ"), "abc")
        XCTAssertEqual(ShopRules.normalizedName("A B\u{3000}C"), "abc")
        XCTAssertEqual(ShopRules.normalizedName("ﬁ好物"), "fi好物")
        XCTAssertEqual(ShopRules.forbiddenWordKey("旗 艦"), "旗舰")
    }

    func testUniquenessIsOnTheNormalisedDisplayName() {
        XCTAssertEqual(taoxiaopu.nameKey(for: "好物淘小铺"), taoxiaopu.nameKey(for: "好物"))
        XCTAssertEqual(taoxiaopu.nameKey(for: "好物 淘小铺"), taoxiaopu.nameKey(for: "好物"))
        XCTAssertEqual(taoxiaopu.displayName(for: "好物 淘小铺"), "好物 淘小铺", "the suffix is not doubled")
        XCTAssertEqual(yunji.nameKey(for: "ＡＢＣ"), yunji.nameKey(for: "abc"))
        XCTAssertEqual(yunji.nameKey(for: "好 物"), yunji.nameKey(for: "好物"))
        XCTAssertNotEqual(yunji.nameKey(for: "好物"), yunji.nameKey(for: "好物淘小铺"), "no suffix on 云集")
        XCTAssertNotEqual(taoxiaopu.nameKey(for: "好物"), taoxiaopu.nameKey(for: "好物店"))
    }
}
