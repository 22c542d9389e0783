import Codecs

/// What a share link stands for; the token authenticates exactly these fields.
public struct ShareFields: Sendable, Equatable {
    public var shopID: String
    /// nil for a storefront link (the whole shop).
    public var productID: String?
    public var channel: String
    public var campaign: String?
    public var createdAt: Instant

    public init(shopID: String, productID: String?, channel: String, campaign: String?, createdAt: Instant) {
        self.shopID = shopID
        self.productID = productID
        self.channel = channel
        self.campaign = campaign
        self.createdAt = createdAt
    }
}

/// Signed, URL-safe share tokens.
///
///     let token = ShareToken.mint(shareID: 42, fields: fields, secret: storeSecret)   // 24 characters
///     ShareToken.shareID(of: token)                    // 42 — where to find the fields
///     ShareToken.verify(token, shareID: 42, fields: fields, secret: storeSecret)  // true
///
/// Layout (18 bytes, base64url without padding = exactly 24 characters, no unused bits):
/// `version (1) ‖ share id (5, big-endian) ‖ HMAC-SHA256(secret, domain ‖ version ‖ id ‖ fields)[0..<12]`.
/// The fields (shop, product or storefront, channel, campaign, time) live in the share log
/// under the id; the 96-bit tag binds the token to them and to the store's secret, so a token
/// of another store, a changed character, or an edited log row fails verification.
public enum ShareToken {
    public static let version: UInt8 = 1
    public static let idBytes = 5
    public static let tagBytes = 12
    public static let length = 24
    public static let maxShareID: Int64 = (1 << 40) - 1

    public static func mint(shareID: Int64, fields: ShareFields, secret: [UInt8]) -> String {
        precondition(shareID > 0 && shareID <= maxShareID, "share ids are 40-bit")
        let head = header(shareID)
        return Base64URL.encode(head + tag(head, fields, secret))
    }

    /// The share id a well-formed token names (its tag is not checked here), or nil when the
    /// token is not exactly one canonical spelling of a version-1 token.
    public static func shareID(of token: String) -> Int64? {
        guard token.utf8.count == length, let bytes = Base64URL.decode(token), bytes.count == 1 + idBytes + tagBytes,
            bytes[0] == version
        else { return nil }
        var id: Int64 = 0
        for b in bytes[1...idBytes] { id = id << 8 | Int64(b) }
        return id > 0 ? id : nil
    }

    /// Constant-time check of the token's tag against the fields stored under its id.
    public static func verify(_ token: String, shareID: Int64, fields: ShareFields, secret: [UInt8]) -> Bool {
        guard let bytes = Base64URL.decode(token), bytes.count == 1 + idBytes + tagBytes else { return false }
        let head = header(shareID)
        let expected = tag(head, fields, secret)
        let headOK = constantTimeEquals(Array(bytes[0..<(1 + idBytes)]), head)
        let tagOK = constantTimeEquals(Array(bytes[(1 + idBytes)...]), expected)
        return headOK && tagOK
    }

    static func header(_ id: Int64) -> [UInt8] {
        [version] + (0..<idBytes).reversed().map { UInt8(truncatingIfNeeded: id >> (8 * $0)) }
    }

    static func tag(_ head: [UInt8], _ f: ShareFields, _ secret: [UInt8]) -> [UInt8] {
        var message = Array("shopctl/share/v1".utf8) + [0] + head
        for part in [f.shopID, f.productID ?? "", f.channel, f.campaign ?? "", String(f.createdAt.seconds)] {
            message += [0] + Array(part.utf8)
        }
        return Array(HMACSHA256.mac(key: secret, message: message).prefix(tagBytes))
    }
}

/// Ready-to-post copy for a share: title, price, the shopkeeper's reason — never the commission.
///
///     ShareCopy.text(channel: "wechat-group", title: "西湖龙井", price: Money(fen: 12950),
///                    reason: "自家喝了三年", shopName: "小美好物淘小铺", url: url)
///     // "【西湖龙井】¥129.50｜自家喝了三年 👉 https://…"
public enum ShareCopy {
    /// Short copy for chats and groups; fuller copy for feeds (moments, Weibo, 小红书, 抖音).
    public static func isShort(_ channel: String) -> Bool {
        ["wechat-group", "wechat-chat", "qq", "sms"].contains(channel)
    }

    public static func text(channel: String, title: String, price: Money, reason: String?, shopName: String, url: String) -> String {
        let reasonText = reason.flatMap { $0.isEmpty ? nil : $0 }
        if isShort(channel) {
            return "【\(title)】\(price.formatted)" + (reasonText.map { "｜\($0)" } ?? "") + " 👉 \(url)"
        }
        var lines = ["✨ \(title)", "💰 到手价 \(price.formatted)"]
        if let r = reasonText { lines.append("💬 掌柜推荐：\(r)") }
        lines.append("🛒 \(shopName) 👉 \(url)")
        if channel == "xiaohongshu" || channel == "weibo" || channel == "douyin" { lines.append("#好物分享 #\(shopName)") }
        return lines.joined(separator: "\n")
    }

    public static func storefrontText(channel: String, shopName: String, description: String, url: String) -> String {
        let intro = description.isEmpty ? "每日精选好物，欢迎来逛" : description
        if isShort(channel) { return "【\(shopName)】\(intro) 👉 \(url)" }
        return "🏪 \(shopName)\n💬 \(intro)\n👉 \(url)"
    }

    /// The 口令 to paste into the platform's app: the token between ￥ signs.
    public static func code(token: String) -> String { "￥\(token)￥" }
}

/// The daily share plan (SPEC §4 share-link daily), as a pure function.
///
///     DailyPlan.plan(hours: [8, 9, 10], ranked: ["A", "B", "C", "D"], rested: ["A"], existing: [:])
///     // [8: "B", 9: "C", 10: "D"] — A was planned in the three days before and others remain
public enum DailyPlan {
    /// - Parameters:
    ///   - hours: the slots to fill, in order.
    ///   - ranked: candidate products, best first (no duplicates).
    ///   - rested: products planned in the three days before.
    ///   - existing: slots already planned for this shop, date and channel (kept as they are).
    public static func plan(hours: [Int], ranked: [String], rested: Set<String>, existing: [Int: String]) -> [(
        hour: Int, productID: String
    )] {
        var used = Set(existing.values)
        let fresh = ranked.filter { !rested.contains($0) }
        let tired = ranked.filter { rested.contains($0) }
        var queue = (fresh + tired).filter { !used.contains($0) }[...]
        var out: [(Int, String)] = []
        for h in hours {
            if let p = existing[h] {
                out.append((h, p))
            } else if let p = queue.popFirst() {
                used.insert(p)
                out.append((h, p))
            }
        }
        return out
    }
}

/// The sharing rules of a platform (SPEC §4 share-link), as pure functions.
///
///     let r = ShareRules(Rules.preset(.taoxiaopu))
///     try r.checkChannel("wechat-group")                         // ok; "telegram" is refused `channel`
///     try r.checkProduct("P1", picked: false, available: true)   // refused `not-picked` on 淘小铺
///     r.url(token: "AQAAAAAB…")                                  // https://taoxiaopu.example/s/AQAAAAAB…
public struct ShareRules: Sendable {
    public let rules: Rules
    public init(_ rules: Rules) { self.rules = rules }

    /// `channel`: only the preset's off-platform channels.
    public func checkChannel(_ channel: String) throws {
        guard rules.channels.contains(channel) else {
            throw ShopError.rule(
                "channel", en: "channel '\(channel)' is not one of \(rules.channels.joined(separator: ", "))",
                zh: "渠道 '\(channel)' 不在 \(rules.channels.joined(separator: "、")) 之中")
        }
    }

    /// `not-picked` (when `share_requires_pick`), then `product-unavailable`.
    public func checkProduct(_ productID: String, picked: Bool, available: Bool) throws {
        if rules.shareRequiresPick && !picked {
            throw ShopError.rule(
                "not-picked", en: "\(rules.displayName) shares only picked products; first: shopctl pick-products add \(productID)",
                zh: "\(rules.displayName)只能分享已选商品，请先：shopctl pick-products add \(productID)")
        }
        if !available { throw ShopError.productUnavailable(productID) }
    }

    /// `share_base_url` + `/s/` + the token.
    public func url(token: String) -> String { Self.urlPrefix(rules.shareBaseURL) + token }

    /// A link up to its token: `share_base_url` without trailing `/`, then `/s/`
    /// (`ShareLinkParser` reads links back with it).
    public static func urlPrefix(_ shareBaseURL: String) -> String {
        var base = shareBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + "/s/"
    }

    /// An order may be paid at most this many seconds before its link was made (clocks differ).
    public static let paidBeforeLinkTolerance: Int64 = 600

    /// `before-link`: an order paid more than 10 minutes (600 s) before its link's `created_at`
    /// cannot have come through it. Exactly 600 s before passes; 601 s is refused.
    public static func checkPaidAt(_ paidAt: Instant, linkCreatedAt created: Instant, zone: Zone) throws(RowProblem) {
        guard paidAt.seconds < created.seconds - paidBeforeLinkTolerance else { return }
        throw RowProblem(
            "before-link",
            en:
                "the order was paid at \(paidAt.rfc3339(in: zone)), more than 10 minutes before its share link was made (\(created.rfc3339(in: zone)))",
            zh: "订单付款时间 \(paidAt.rfc3339(in: zone)) 早于其分享链接的生成时间（\(created.rfc3339(in: zone))）超过 10 分钟")
    }
}

extension ShopError {
    /// `product-unavailable`: off, out of stock, or outside its sale window (picks and shares alike).
    public static func productUnavailable(_ productID: String) -> ShopError {
        .rule(
            "product-unavailable", en: "product \(productID) is not available (off, out of stock or outside its sale window)",
            zh: "商品 \(productID) 当前不可售（已下架、无库存或不在售卖时间内）")
    }
}
