import Codecs
import XCTest

@testable import ShopKit

final class RulesTests: XCTestCase {
    func testEveryPresetHasEveryKeyInOrder() {
        for p in Platform.allCases {
            let keys = Rules.preset(p).json.objectValue!.map(\.0)
            XCTAssertEqual(keys, Rules.keys, p.rawValue)
        }
        XCTAssertEqual(Rules.keys.count, 26)
    }

    func testPresetValuesMatchTheContract() {
        let t = Rules.preset(.taoxiaopu)
        XCTAssertEqual(t.displayName, "淘小铺")
        XCTAssertEqual(t.minCreditScore, 700)
        XCTAssertEqual(t.shopNameSuffix, "淘小铺")
        XCTAssertEqual(t.maxPicks, 1000)
        XCTAssertEqual(t.multiShop, MultiShopRule(minLevel: "资深掌柜", minShopAgeDays: 90))
        XCTAssertEqual(t.levels.map(\.name), ["新晋掌柜", "资深掌柜", "精英掌柜", "超级掌柜"])
        XCTAssertEqual(t.levels.map(\.minPrevMonthGMV.fen), [0, 500_000, 3_000_000, 10_000_000])
        XCTAssertEqual(t.levels.map(\.bonus.bp), [0, 500, 1000, 1500])
        XCTAssertEqual(t.settlement, .monthly(day: 20))
        XCTAssertEqual(t.supplierAdmission?.minRegisteredCapital.fen, 100_000_000)
        XCTAssertEqual(t.supplierAdmission?.maxAuthChainLevels, 3)
        XCTAssertTrue(t.commissionFloorMarket && t.priceParity && t.shareRequiresPick)
        XCTAssertFalse(t.selfPurchaseCommission)

        let y = Rules.preset(.yunji)
        XCTAssertEqual(y.openingFee.fen, 39_800)
        XCTAssertNil(y.minCreditScore)
        XCTAssertFalse(y.shareRequiresPick)
        XCTAssertTrue(y.selfPurchaseCommission)
        XCTAssertEqual(y.promoHours, PromoHours(start: 7, end: 23))
        XCTAssertEqual(y.settlement, .afterDays(7))
        XCTAssertEqual(y.maxPicks, 0)

        let x = Rules.preset(.xiangdian)
        XCTAssertEqual(x.displayName, "饷店")
        XCTAssertEqual(x.settlement, .afterDays(7))
        XCTAssertEqual(x.levels, [Level("店主", 0, 0)])

        let b = Rules.preset(.beidian)
        XCTAssertEqual(b.settlement, .afterDays(15))
        XCTAssertEqual(b.volumeRewards.map(\.minMonthGMV.fen), [1_000_000, 5_000_000])
        XCTAssertEqual(b.volumeRewards.map(\.reward.fen), [20_000, 120_000])
        for p in Platform.allCases {
            let r = Rules.preset(p)
            XCTAssertEqual(r.forbiddenNameWords, ["旗舰", "专卖", "官方", "直营", "授权"])
            XCTAssertEqual(r.channels.count, 9)
            XCTAssertEqual(r.categories, ["食品保健", "美妆个护", "母婴玩具", "家居电器", "服饰运动"])
            XCTAssertEqual(r.distributionDepth, 1)
            XCTAssertEqual(r.withdrawMin.fen, 1000)
            XCTAssertEqual(r.shareBaseURL, "https://\(p.rawValue).example")
            XCTAssertEqual(r.timeZone, "Asia/Shanghai")
            XCTAssertTrue(r.realNameRequired)
        }
    }

    func testJSONSpellingOfNestedKeys() throws {
        let j = Rules.preset(.taoxiaopu).json
        XCTAssertEqual(j["settlement"]?.serialized(pretty: false), #"{"mode":"monthly","day":20}"#)
        XCTAssertEqual(
            j["multi_shop"]?.serialized(pretty: false), #"{"min_level":"资深掌柜","min_shop_age_days":90}"#)
        XCTAssertEqual(j["promo_hours"]?.serialized(pretty: false), #"{"start":8,"end":22}"#)
        XCTAssertEqual(Rules.preset(.yunji).json["min_credit_score"], .null)
        XCTAssertEqual(Rules.preset(.yunji).json["volume_rewards"], .array([]))
        XCTAssertEqual(Rules.preset(.beidian).json["settlement"]?.serialized(pretty: false), #"{"mode":"after_days","days":15}"#)
    }

    func testOverridesRoundTripAndApplySubsets() throws {
        for p in Platform.allCases {
            let r = Rules.preset(p)
            XCTAssertEqual(try Rules.preset(.taoxiaopu).overriding(with: r.json), r, p.rawValue)
        }
        let r = try Rules.preset(.taoxiaopu).overriding(
            with: JSON.parse(#"{"max_picks": 5, "min_credit_score": null, "settlement": {"mode":"after_days","days":3}}"#))
        XCTAssertEqual(r.maxPicks, 5)
        XCTAssertNil(r.minCreditScore)
        XCTAssertEqual(r.settlement, .afterDays(3))
        XCTAssertEqual(r.displayName, "淘小铺")
    }

    func testUnknownKeyAndWrongTypeAreUsageErrorsNamingTheKey() {
        let cases = [
            #"{"max_pick": 5}"#: "max_pick",
            #"{"max_picks": "5"}"#: "max_picks",
            #"{"max_picks": 5.5}"#: "max_picks",
            #"{"real_name_required": 1}"#: "real_name_required",
            #"{"channels": ["a", 1]}"#: "channels",
            #"{"settlement": {"mode":"weekly"}}"#: "settlement",
            #"{"multi_shop": {"min_level":"资深掌柜","extra":1,"min_shop_age_days":9}}"#: "multi_shop.extra",
            #"{"opening_fee_fen": -1}"#: "opening_fee_fen",
        ]
        for (doc, key) in cases {
            XCTAssertThrowsError(try Rules.preset(.taoxiaopu).overriding(with: JSON.parse(doc)), doc) { e in
                let e = e as! ShopError
                XCTAssertEqual(e.kind, .usage, doc)
                XCTAssertTrue(e.message.en.contains("'\(key)'"), "\(doc): \(e.message.en)")
            }
        }
        XCTAssertThrowsError(try Rules.preset(.taoxiaopu).overriding(with: JSON.parse("[1]")))
    }

    func testDistributionDepthCanOnlyBeOne() throws {
        for depth in ["2", "0", "3"] {
            XCTAssertThrowsError(
                try Rules.preset(.yunji).overriding(with: JSON.parse(#"{"distribution_depth": \#(depth)}"#))
            ) { e in
                XCTAssertEqual(
                    e as? ShopError,
                    ShopError.rule("distribution-depth", en: (e as! ShopError).message.en, zh: (e as! ShopError).message.zh))
                XCTAssertEqual((e as? ShopError)?.kind, .rule)
            }
        }
        XCTAssertEqual(try Rules.preset(.yunji).overriding(with: JSON.parse(#"{"distribution_depth": 1}"#)).distributionDepth, 1)
    }

    func testInconsistentValuesAreRefused() {
        for doc in [
            #"{"levels": []}"#, #"{"levels": [{"name":"a","min_prev_month_gmv_fen":5,"bonus_bp":0}]}"#,
            #"{"promo_hours": {"start": 22, "end": 8}}"#, #"{"settlement": {"mode":"monthly","day":31}}"#,
            #"{"time_zone": "Mars/Olympus"}"#, #"{"multi_shop": {"min_level":"不存在","min_shop_age_days":9}}"#,
        ] {
            XCTAssertThrowsError(try Rules.preset(.taoxiaopu).overriding(with: JSON.parse(doc)), doc) { e in
                XCTAssertEqual((e as? ShopError)?.kind, .usage, doc)
            }
        }
    }
}
