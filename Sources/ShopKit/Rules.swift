import Codecs

/// The effective rules of a store: a platform preset with optional overrides.
///
///     var rules = Rules.preset(.yunji)
///     rules.openingFee                 // ¥398.00
///     rules = try rules.overriding(with: JSON.parse(#"{"max_picks": 500}"#))
///     rules.json                       // every key of SPEC §3, in its order
///
/// Every key of the contract's preset table is a field here; `json` prints them
/// with exactly the contract's names and `overriding(with:)` accepts any subset.
public struct Rules: Sendable, Equatable {
    public var displayName: String
    public var minCreditScore: Int?
    public var realNameRequired: Bool
    public var openingFee: Money
    public var shopNameSuffix: String?
    public var forbiddenNameWords: [String]
    public var shopNameMaxLength: Int
    /// 0 = no limit.
    public var maxPicks: Int
    public var shareRequiresPick: Bool
    public var multiShop: MultiShopRule?
    /// Ordered from the lowest level up.
    public var levels: [Level]
    public var settlement: Settlement
    public var selfPurchaseCommission: Bool
    /// Ordered from the lowest tier up; empty when the platform has none.
    public var volumeRewards: [VolumeReward]
    /// Days after a month ends that its late orders still count (SPEC §6 "Closing a month"): 0–28.
    public var monthCloseDays: Int
    public var withdrawMin: Money
    public var withdrawFee: Rate
    public var promoHours: PromoHours
    public var channels: [String]
    public var categories: [String]
    public var supplierAdmission: SupplierAdmission?
    public var commissionFloorMarket: Bool
    public var priceParity: Bool
    public var distributionDepth: Int
    public var shareBaseURL: String
    public var timeZone: String

    public var zone: Zone { Zone(identifier: timeZone) ?? .shanghai }

    public var lowestLevel: Level { levels[0] }

    /// Index of a level by name (rank: higher is better), nil when unknown.
    public func levelRank(_ name: String) -> Int? { levels.firstIndex { $0.name == name } }
}

public struct Level: Sendable, Equatable {
    public var name: String
    public var minPrevMonthGMV: Money
    public var bonus: Rate
    public init(_ name: String, _ minPrevMonthGMVFen: Int64, _ bonusBP: Int) {
        self.name = name
        self.minPrevMonthGMV = Money(fen: minPrevMonthGMVFen)
        self.bonus = Rate(bp: bonusBP)
    }
}

public struct MultiShopRule: Sendable, Equatable {
    public var minLevel: String
    public var minShopAgeDays: Int
}

public enum Settlement: Sendable, Equatable {
    /// Released at 00:00 on `day` of the month after the month of confirmation.
    case monthly(day: Int)
    /// Released `days` after confirmation.
    case afterDays(Int)
}

public struct VolumeReward: Sendable, Equatable {
    public var minMonthGMV: Money
    public var reward: Money
}

public struct PromoHours: Sendable, Equatable {
    /// First promotion hour (0–23), inclusive.
    public var start: Int
    /// Last promotion hour (0–23), inclusive.
    public var end: Int
    public var hours: [Int] { start <= end ? Array(start...end) : [] }
}

public struct SupplierAdmission: Sendable, Equatable {
    public var minRegisteredCapital: Money
    public var generalTaxpayerRequired: Bool
    public var minDeposit: Money
    public var maxAuthChainLevels: Int
}

// MARK: - Presets

public enum Platform: String, Sendable, CaseIterable {
    case taoxiaopu, yunji, xiangdian, beidian
}

extension Rules {
    public static let defaultForbiddenWords = ["旗舰", "专卖", "官方", "直营", "授权"]
    public static let defaultChannels = [
        "wechat-moments", "wechat-group", "wechat-chat", "weibo", "xiaohongshu", "douyin", "qq", "sms", "other",
    ]
    public static let defaultCategories = ["食品保健", "美妆个护", "母婴玩具", "家居电器", "服饰运动"]

    public static func preset(_ platform: Platform) -> Rules {
        var r = Rules(
            displayName: "", minCreditScore: nil, realNameRequired: true, openingFee: .zero,
            shopNameSuffix: nil, forbiddenNameWords: defaultForbiddenWords, shopNameMaxLength: 20,
            maxPicks: 0, shareRequiresPick: true, multiShop: nil, levels: [Level("店主", 0, 0)],
            settlement: .afterDays(7), selfPurchaseCommission: false, volumeRewards: [], monthCloseDays: 7,
            withdrawMin: Money(fen: 1000), withdrawFee: .zero, promoHours: PromoHours(start: 8, end: 22),
            channels: defaultChannels, categories: defaultCategories, supplierAdmission: nil,
            commissionFloorMarket: false, priceParity: false, distributionDepth: 1,
            shareBaseURL: "https://\(platform.rawValue).example", timeZone: "Asia/Shanghai")
        switch platform {
        case .taoxiaopu:
            r.displayName = "淘小铺"
            r.minCreditScore = 700
            r.shopNameSuffix = "淘小铺"
            r.maxPicks = 1000
            r.multiShop = MultiShopRule(minLevel: "资深掌柜", minShopAgeDays: 90)
            r.levels = [
                Level("新晋掌柜", 0, 0), Level("资深掌柜", 500_000, 500),
                Level("精英掌柜", 3_000_000, 1000), Level("超级掌柜", 10_000_000, 1500),
            ]
            r.settlement = .monthly(day: 20)
            r.supplierAdmission = SupplierAdmission(
                minRegisteredCapital: Money(fen: 100_000_000), generalTaxpayerRequired: true,
                minDeposit: Money(fen: 1_000_000), maxAuthChainLevels: 3)
            r.commissionFloorMarket = true
            r.priceParity = true
        case .yunji:
            r.displayName = "云集"
            r.openingFee = Money(fen: 39_800)
            r.shareRequiresPick = false
            r.selfPurchaseCommission = true
            r.promoHours = PromoHours(start: 7, end: 23)
        case .xiangdian:
            r.displayName = "饷店"
        case .beidian:
            r.displayName = "贝店"
            r.settlement = .afterDays(15)
            r.volumeRewards = [
                VolumeReward(minMonthGMV: Money(fen: 1_000_000), reward: Money(fen: 20_000)),
                VolumeReward(minMonthGMV: Money(fen: 5_000_000), reward: Money(fen: 120_000)),
            ]
        }
        return r
    }
}

// MARK: - JSON form

extension Rules {
    /// Every key of SPEC §3, in the contract's order.
    public static let keys = [
        "display_name", "min_credit_score", "real_name_required", "opening_fee_fen", "shop_name_suffix",
        "forbidden_name_words", "shop_name_max_length", "max_picks", "share_requires_pick", "multi_shop",
        "levels", "settlement", "self_purchase_commission", "volume_rewards", "month_close_days", "withdraw_min_fen",
        "withdraw_fee_bp", "promo_hours", "channels", "categories", "supplier_admission",
        "commission_floor_market", "price_parity", "distribution_depth", "share_base_url", "time_zone",
    ]

    public var json: JSON {
        func strings(_ a: [String]) -> JSON { .array(a.map { .string($0) }) }
        func int(_ v: Int) -> JSON { .int(Int64(v)) }
        let settlementJSON: JSON
        switch settlement {
        case .monthly(let day): settlementJSON = .object([("mode", .string("monthly")), ("day", int(day))])
        case .afterDays(let days): settlementJSON = .object([("mode", .string("after_days")), ("days", int(days))])
        }
        return .object([
            ("display_name", .string(displayName)),
            ("min_credit_score", minCreditScore.map(int) ?? .null),
            ("real_name_required", .bool(realNameRequired)),
            ("opening_fee_fen", .int(openingFee.fen)),
            ("shop_name_suffix", shopNameSuffix.map { .string($0) } ?? .null),
            ("forbidden_name_words", strings(forbiddenNameWords)),
            ("shop_name_max_length", int(shopNameMaxLength)),
            ("max_picks", int(maxPicks)),
            ("share_requires_pick", .bool(shareRequiresPick)),
            (
                "multi_shop",
                multiShop.map {
                    .object([("min_level", .string($0.minLevel)), ("min_shop_age_days", int($0.minShopAgeDays))])
                } ?? .null
            ),
            (
                "levels",
                .array(
                    levels.map {
                        .object([
                            ("name", .string($0.name)), ("min_prev_month_gmv_fen", .int($0.minPrevMonthGMV.fen)),
                            ("bonus_bp", int($0.bonus.bp)),
                        ])
                    })
            ),
            ("settlement", settlementJSON),
            ("self_purchase_commission", .bool(selfPurchaseCommission)),
            (
                "volume_rewards",
                .array(
                    volumeRewards.map {
                        .object([("min_month_gmv_fen", .int($0.minMonthGMV.fen)), ("reward_fen", .int($0.reward.fen))])
                    })
            ),
            ("month_close_days", int(monthCloseDays)),
            ("withdraw_min_fen", .int(withdrawMin.fen)),
            ("withdraw_fee_bp", int(withdrawFee.bp)),
            ("promo_hours", .object([("start", int(promoHours.start)), ("end", int(promoHours.end))])),
            ("channels", strings(channels)),
            ("categories", strings(categories)),
            (
                "supplier_admission",
                supplierAdmission.map {
                    .object([
                        ("min_registered_capital_fen", .int($0.minRegisteredCapital.fen)),
                        ("general_taxpayer_required", .bool($0.generalTaxpayerRequired)),
                        ("min_deposit_fen", .int($0.minDeposit.fen)),
                        ("max_auth_chain_levels", int($0.maxAuthChainLevels)),
                    ])
                } ?? .null
            ),
            ("commission_floor_market", .bool(commissionFloorMarket)),
            ("price_parity", .bool(priceParity)),
            ("distribution_depth", int(distributionDepth)),
            ("share_base_url", .string(shareBaseURL)),
            ("time_zone", .string(timeZone)),
        ])
    }

    /// Applies an override document (any subset of `Rules.keys`).
    /// - Throws: `.usage` (`rules-key`) naming an unknown key or a value of the wrong type;
    ///   `.rule` `distribution-depth` when the depth asked for is not 1.
    public func overriding(with doc: JSON) throws -> Rules {
        guard let entries = doc.objectValue else {
            throw ShopError.usage("rules-file", en: "the rules file must hold one JSON object", zh: "规则文件必须是一个 JSON 对象")
        }
        var r = self
        for (key, value) in entries {
            try r.apply(key: key, value: value)
        }
        try r.validate()
        return r
    }

    /// Rules that can never be overridden, and values that make no sense.
    public func validate() throws {
        if distributionDepth != 1 {
            throw ShopError.rule(
                "distribution-depth",
                en: "distribution depth must be 1: shopkeepers earn on their own links only, never on recruiting",
                zh: "分销层级只能为 1：店主只从自己的链接赚取佣金，不能从发展下线获利")
        }
        func bad(_ key: String, _ en: String, _ zh: String) -> ShopError {
            .usage("rules-value", en: "rules key '\(key)': \(en)", zh: "规则项 '\(key)'：\(zh)")
        }
        if levels.isEmpty { throw bad("levels", "at least one level is needed", "至少需要一个等级") }
        if levels.first!.minPrevMonthGMV != .zero {
            throw bad("levels", "the first level must start at 0", "第一个等级的门槛必须为 0")
        }
        for i in 1..<levels.count where levels[i].minPrevMonthGMV <= levels[i - 1].minPrevMonthGMV {
            throw bad("levels", "thresholds must increase", "等级门槛必须递增")
        }
        if let m = multiShop, levelRank(m.minLevel) == nil {
            throw bad("multi_shop", "unknown level '\(m.minLevel)'", "未知等级 '\(m.minLevel)'")
        }
        for i in volumeRewards.indices.dropFirst() where volumeRewards[i].minMonthGMV <= volumeRewards[i - 1].minMonthGMV {
            throw bad("volume_rewards", "thresholds must increase", "阶梯门槛必须递增")
        }
        if !(0...23).contains(promoHours.start) || !(0...23).contains(promoHours.end) || promoHours.start > promoHours.end {
            throw bad("promo_hours", "hours must be 0–23 with start ≤ end", "小时须在 0–23 之间且 start ≤ end")
        }
        switch settlement {
        case .monthly(let day) where !(1...28).contains(day):
            throw bad("settlement", "day must be 1–28", "结算日须在 1–28 之间")
        case .afterDays(let d) where !(0...Settlement.maxDays).contains(d):
            throw bad("settlement", "days must be 0–\(Settlement.maxDays)", "天数须在 0–\(Settlement.maxDays) 之间")
        default: break
        }
        if Zone(identifier: timeZone) == nil { throw bad("time_zone", "unknown time zone", "未知时区") }
        if channels.isEmpty { throw bad("channels", "at least one channel is needed", "至少需要一个渠道") }
        if shopNameMaxLength < 1 { throw bad("shop_name_max_length", "must be ≥ 1", "须 ≥ 1") }
        if maxPicks < 0 { throw bad("max_picks", "must be ≥ 0", "须 ≥ 0") }
    }

    private mutating func apply(key: String, value v: JSON) throws {
        func wrong(_ expected: String) -> ShopError {
            .usage(
                "rules-key", en: "rules key '\(key)' must be \(expected)",
                zh: "规则项 '\(key)' 的类型应为 \(expected)")
        }
        func int(_ j: JSON, _ what: String = "an integer") throws -> Int {
            guard let i = j.int64Value, let v = Int(exactly: i) else { throw wrong(what) }
            return v
        }
        func fen(_ j: JSON) throws -> Money {
            guard let i = j.int64Value, i >= 0, i <= Money.maxInput.fen else {
                throw wrong("an integer of fen from 0 to 100000000000 (¥1,000,000,000)")
            }
            return Money(fen: i)
        }
        func bool(_ j: JSON) throws -> Bool {
            guard let b = j.boolValue else { throw wrong("true or false") }
            return b
        }
        func string(_ j: JSON) throws -> String {
            guard let s = j.stringValue else { throw wrong("a string") }
            return s
        }
        func strings(_ j: JSON) throws -> [String] {
            guard let a = j.arrayValue else { throw wrong("an array of strings") }
            return try a.map { e in
                guard let s = e.stringValue else { throw wrong("an array of strings") }
                return s
            }
        }
        func object(_ j: JSON, _ keys: [String]) throws -> [String: JSON] {
            guard let o = j.objectValue else { throw wrong("an object with keys \(keys.joined(separator: ", "))") }
            var d: [String: JSON] = [:]
            for (k, val) in o {
                guard keys.contains(k) else {
                    throw ShopError.usage(
                        "rules-key", en: "unknown rules key '\(key).\(k)'", zh: "未知规则项 '\(key).\(k)'")
                }
                d[k] = val
            }
            for k in keys where d[k] == nil {
                throw wrong("an object with keys \(keys.joined(separator: ", "))")
            }
            return d
        }
        switch key {
        case "display_name": displayName = try string(v)
        case "min_credit_score": minCreditScore = v == .null ? nil : try int(v, "an integer or null")
        case "real_name_required": realNameRequired = try bool(v)
        case "opening_fee_fen": openingFee = try fen(v)
        case "shop_name_suffix": shopNameSuffix = v == .null ? nil : try string(v)
        case "forbidden_name_words": forbiddenNameWords = try strings(v)
        case "shop_name_max_length": shopNameMaxLength = try int(v)
        case "max_picks": maxPicks = try int(v)
        case "share_requires_pick": shareRequiresPick = try bool(v)
        case "multi_shop":
            if v == .null {
                multiShop = nil
            } else {
                let o = try object(v, ["min_level", "min_shop_age_days"])
                multiShop = MultiShopRule(
                    minLevel: try string(o["min_level"]!), minShopAgeDays: try int(o["min_shop_age_days"]!))
            }
        case "levels":
            guard let a = v.arrayValue else { throw wrong("an array of levels") }
            levels = try a.map {
                let o = try object($0, ["name", "min_prev_month_gmv_fen", "bonus_bp"])
                let bp = try int(o["bonus_bp"]!)
                guard (0...10_000).contains(bp) else { throw wrong("bonus_bp between 0 and 10000") }
                return Level(try string(o["name"]!), try fen(o["min_prev_month_gmv_fen"]!).fen, bp)
            }
        case "settlement":
            guard let mode = v["mode"]?.stringValue else {
                throw wrong("{\"mode\":\"monthly\",\"day\":N} or {\"mode\":\"after_days\",\"days\":N}")
            }
            if mode == "monthly" {
                settlement = .monthly(day: try int(try object(v, ["mode", "day"])["day"]!))
            } else if mode == "after_days" {
                settlement = .afterDays(try int(try object(v, ["mode", "days"])["days"]!))
            } else {
                throw wrong("{\"mode\":\"monthly\",\"day\":N} or {\"mode\":\"after_days\",\"days\":N}")
            }
        case "self_purchase_commission": selfPurchaseCommission = try bool(v)
        case "volume_rewards":
            if v == .null {
                volumeRewards = []
            } else {
                guard let a = v.arrayValue else { throw wrong("an array of tiers") }
                volumeRewards = try a.map {
                    let o = try object($0, ["min_month_gmv_fen", "reward_fen"])
                    return VolumeReward(minMonthGMV: try fen(o["min_month_gmv_fen"]!), reward: try fen(o["reward_fen"]!))
                }
            }
        case "month_close_days":
            let days = try int(v)
            guard (0...MonthRules.maxCloseDays).contains(days) else { throw wrong("an integer between 0 and \(MonthRules.maxCloseDays)") }
            monthCloseDays = days
        case "withdraw_min_fen": withdrawMin = try fen(v)
        case "withdraw_fee_bp":
            let bp = try int(v)
            guard (0...10_000).contains(bp) else { throw wrong("an integer between 0 and 10000") }
            withdrawFee = Rate(bp: bp)
        case "promo_hours":
            let o = try object(v, ["start", "end"])
            promoHours = PromoHours(start: try int(o["start"]!), end: try int(o["end"]!))
        case "channels": channels = try strings(v)
        case "categories": categories = try strings(v)
        case "supplier_admission":
            if v == .null {
                supplierAdmission = nil
            } else {
                let o = try object(
                    v, ["min_registered_capital_fen", "general_taxpayer_required", "min_deposit_fen", "max_auth_chain_levels"])
                supplierAdmission = SupplierAdmission(
                    minRegisteredCapital: try fen(o["min_registered_capital_fen"]!),
                    generalTaxpayerRequired: try bool(o["general_taxpayer_required"]!),
                    minDeposit: try fen(o["min_deposit_fen"]!),
                    maxAuthChainLevels: try int(o["max_auth_chain_levels"]!))
            }
        case "commission_floor_market": commissionFloorMarket = try bool(v)
        case "price_parity": priceParity = try bool(v)
        case "distribution_depth": distributionDepth = try int(v)
        case "share_base_url": shareBaseURL = try string(v)
        case "time_zone": timeZone = try string(v)
        default:
            throw ShopError.usage("rules-key", en: "unknown rules key '\(key)'", zh: "未知规则项 '\(key)'")
        }
    }
}
