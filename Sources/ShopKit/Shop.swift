import Codecs
import Foundation

/// A shopkeeper's shop.
///
///     let shop = try ShopRules(rules).open(request, id: "S000001", now: now,
///                                          memberShops: [], nameTaken: false)
///     shop.displayName   // "小美好物淘小铺"
public struct Shop: Sendable, Equatable {
    public var shopID: String
    public var memberID: String
    public var name: String
    public var displayName: String
    public var description: String
    public var logo: String?
    /// The level of the current month (the lowest level at opening).
    public var level: String
    public var openedAt: Instant
    public var openingFee: Money

    public init(
        shopID: String, memberID: String, name: String, displayName: String, description: String, logo: String?,
        level: String, openedAt: Instant, openingFee: Money
    ) {
        self.shopID = shopID
        self.memberID = memberID
        self.name = name
        self.displayName = displayName
        self.description = description
        self.logo = logo
        self.level = level
        self.openedAt = openedAt
        self.openingFee = openingFee
    }

    /// The contract's JSON object (SPEC §4 open-shop).
    public func json(zone: Zone) -> JSON {
        .object([
            ("shop_id", .string(shopID)),
            ("member_id", .string(memberID)),
            ("name", .string(name)),
            ("display_name", .string(displayName)),
            ("description", .string(description)),
            ("level", .string(level)),
            ("opened_at", .string(openedAt.rfc3339(in: zone))),
            ("opening_fee_fen", .int(openingFee.fen)),
        ])
    }
}

/// What a member asks for when opening a shop.
public struct OpenShopRequest: Sendable, Equatable {
    public var memberID: String
    public var name: String
    public var description: String
    public var logo: String?
    public var creditScore: Int?
    public var verified: Bool

    public init(
        memberID: String, name: String, description: String = "", logo: String? = nil, creditScore: Int? = nil,
        verified: Bool = false
    ) {
        self.memberID = memberID
        self.name = name
        self.description = description
        self.logo = logo
        self.creditScore = creditScore
        self.verified = verified
    }
}

/// One of the member's existing shops, with the level it holds now.
public struct MemberShop: Sendable, Equatable {
    public var shop: Shop
    public var currentLevel: String
    public init(shop: Shop, currentLevel: String) {
        self.shop = shop
        self.currentLevel = currentLevel
    }
}

/// The shop-opening rules of a platform (SPEC §4 open-shop), as pure functions.
///
///     let r = ShopRules(Rules.preset(.taoxiaopu))
///     try r.checkName("小美好物", nameTaken: false)     // ok
///     try r.checkName("官方旗舰", nameTaken: false)     // throws shop-name
public struct ShopRules: Sendable {
    public let rules: Rules
    public init(_ rules: Rules) { self.rules = rules }

    public static let creditScoreRange = 350...950
    public static let maxDescriptionLength = 500

    /// Opens a shop or throws the first refusal, in this order: usage checks,
    /// `credit-score`, `real-name`, `one-shop-per-member`, `shop-name`.
    public func open(
        _ req: OpenShopRequest, id: String, now: Instant, memberShops: [MemberShop], nameTaken: Bool
    ) throws -> Shop {
        try Self.checkMemberID(req.memberID)
        try Self.checkDescription(req.description)
        if let score = req.creditScore, !Self.creditScoreRange.contains(score) {
            throw ShopError.usage(
                "credit-score-range", en: "credit score \(score) is outside 350–950",
                zh: "信用分 \(score) 不在 350–950 范围内")
        }
        if let min = rules.minCreditScore {
            guard let score = req.creditScore else {
                throw ShopError.rule(
                    "credit-score", en: "\(rules.displayName) requires a credit score of at least \(min) (--credit-score)",
                    zh: "\(rules.displayName)要求信用分不低于 \(min)（请用 --credit-score 提供）")
            }
            if score < min {
                throw ShopError.rule(
                    "credit-score", en: "credit score \(score) is below the minimum \(min) of \(rules.displayName)",
                    zh: "信用分 \(score) 低于\(rules.displayName)要求的 \(min)")
            }
        }
        if rules.realNameRequired && !req.verified {
            throw ShopError.rule(
                "real-name", en: "\(rules.displayName) requires real-name verification (--verified)",
                zh: "\(rules.displayName)要求完成实名认证（--verified）")
        }
        try checkMultiShop(memberShops, now: now)
        let name = try checkName(req.name, nameTaken: nameTaken)
        return Shop(
            shopID: id, memberID: req.memberID, name: name, displayName: displayName(for: name),
            description: req.description, logo: req.logo, level: rules.lowestLevel.name, openedAt: now,
            openingFee: rules.openingFee)
    }

    /// The name followed by the platform's suffix, if any (not doubled when already there,
    /// compared after normalisation).
    public func displayName(for name: String) -> String {
        guard let suffix = rules.shopNameSuffix, !suffix.isEmpty else { return name }
        if name.hasSuffix(suffix) || Self.normalizedName(name).hasSuffix(Self.normalizedName(suffix)) { return name }
        return name + suffix
    }

    /// The key two shops may not share: the normalised display name, so that 好物 and 好物淘小铺
    /// (on a platform whose suffix is 淘小铺), ＡＢＣ and abc, 好 物 and 好物 are one name.
    public func nameKey(for name: String) -> String {
        Self.normalizedName(displayName(for: name.trimmingCharacters(in: .whitespaces)))
    }

    /// A name as the name rules see it (docs/rules.md): compatibility-normalised (NFKC: full-width
    /// letters and digits become ASCII, ideographic spaces spaces, ligatures letters), every
    /// white-space character removed, Latin letters lower-cased.
    public static func normalizedName(_ s: String) -> String {
        var out = ""
        for c in s.precomposedStringWithCompatibilityMapping where !c.isWhitespace { out.append(c) }
        return out.lowercased()
    }

    /// The traditional forms of the characters of the default forbidden words (旗舰 专卖 官方
    /// 直营 授权), mapped to the simplified ones: 旗艦 專賣 直營 授權 and any mix (專卖) are the
    /// forbidden words too. Only these characters: it is not a general conversion.
    public static let traditionalForms: [Character: Character] = ["艦": "舰", "專": "专", "賣": "卖", "營": "营", "權": "权"]

    /// `normalizedName` with the traditional forms of `traditionalForms` made simplified.
    public static func forbiddenWordKey(_ s: String) -> String {
        String(normalizedName(s).map { traditionalForms[$0] ?? $0 })
    }

    /// Checks a shop name and returns it trimmed of surrounding white space.
    /// Length is counted in characters (a Chinese character is one), without the suffix.
    /// The forbidden words are looked for in the normalised name (`forbiddenWordKey`: NFKC,
    /// no white space, lower case, traditional forms simplified): 旗 舰, 旗艦店 and ＡＢＣ's
    /// full-width forms are seen as typed plainly.
    @discardableResult
    public func checkName(_ raw: String, nameTaken: Bool) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        func refuse(_ en: String, _ zh: String) -> ShopError {
            .rule("shop-name", en: "shop name '\(name)' \(en)", zh: "店铺名「\(name)」\(zh)")
        }
        if name.isEmpty { throw ShopError.rule("shop-name", en: "the shop name is empty", zh: "店铺名不能为空") }
        if name.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
                || $0.properties.generalCategory == .lineSeparator || $0.properties.generalCategory == .paragraphSeparator
        }) {
            throw ShopError.rule(
                "shop-name", en: "the shop name contains a control character",
                zh: "店铺名包含控制字符")
        }
        if name.count > rules.shopNameMaxLength {
            throw refuse(
                "is \(name.count) characters long; at most \(rules.shopNameMaxLength) are allowed",
                "共 \(name.count) 个字，最多 \(rules.shopNameMaxLength) 个字")
        }
        let key = Self.forbiddenWordKey(name)
        if let word = rules.forbiddenNameWords.first(where: {
            let w = Self.forbiddenWordKey($0)
            return !w.isEmpty && key.contains(w)
        }) {
            throw refuse(
                "contains the forbidden word '\(word)' (reserved for brand-authorised stores)",
                "含有禁用词「\(word)」（仅限品牌授权店铺使用）")
        }
        if nameTaken { throw refuse("is already taken", "已被占用") }
        return name
    }

    /// `one-shop-per-member`: a member with a shop may open another only when one of
    /// their shops is at `multi_shop.min_level` or above and at least `min_shop_age_days` old.
    public func checkMultiShop(_ memberShops: [MemberShop], now: Instant) throws {
        guard !memberShops.isEmpty else { return }
        guard let rule = rules.multiShop, let minRank = rules.levelRank(rule.minLevel) else {
            throw ShopError.rule(
                "one-shop-per-member", en: "\(rules.displayName) allows one shop per member",
                zh: "\(rules.displayName)每位会员只能开一家店")
        }
        let qualifies = memberShops.contains { ms in
            let rank = rules.levelRank(ms.currentLevel) ?? 0
            let ageDays = (Zone.clamped(now.seconds) - Zone.clamped(ms.shop.openedAt.seconds)) / 86_400
            return rank >= minRank && ageDays >= Int64(rule.minShopAgeDays)
        }
        if !qualifies {
            throw ShopError.rule(
                "one-shop-per-member",
                en:
                    "a second shop needs an existing shop at level \(rule.minLevel) or above and at least \(rule.minShopAgeDays) days old",
                zh: "开第二家店需要已有店铺达到「\(rule.minLevel)」及以上等级且开店满 \(rule.minShopAgeDays) 天")
        }
    }

    public static func checkMemberID(_ id: String) throws {
        if let problem = Identifier.problem(id) {
            let why = Identifier.reason(problem)
            throw ShopError.usage(
                "member-id",
                en: "member id must be 1–64 characters without spaces, control, invisible or format characters: '\(id)' \(why.en)",
                zh: "会员 ID 须为 1–64 个字符，不含空白、控制字符、不可见字符或格式字符：'\(id)' \(why.zh)")
        }
    }

    public static func checkDescription(_ d: String) throws {
        if d.count > maxDescriptionLength {
            throw ShopError.usage(
                "description", en: "the description is longer than \(maxDescriptionLength) characters",
                zh: "店铺简介超过 \(maxDescriptionLength) 个字")
        }
    }
}
