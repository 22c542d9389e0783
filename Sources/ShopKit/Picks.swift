/// The selection rules (SPEC §4 pick-products), as pure functions.
///
///     let new = try PickRules(rules).checkAdd(["P1", "P2"], alreadyPicked: ["P1"], currentCount: 999,
///                                             unavailable: [])
///     // ["P2"] — the 1000th pick; one more would be refused pick-limit
public struct PickRules: Sendable {
    public static let maxReasonLength = 200
    public let rules: Rules
    public init(_ rules: Rules) { self.rules = rules }

    /// A recommendation reason: at most 200 characters, no control characters but newlines.
    public static func checkReason(_ reason: String) throws {
        if reason.count > maxReasonLength {
            throw ShopError.usage(
                "reason-too-long", en: "a recommendation reason has at most \(maxReasonLength) characters (this one has \(reason.count))",
                zh: "推荐理由最多 \(maxReasonLength) 个字（当前 \(reason.count) 个）")
        }
        if reason.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) {
            throw ShopError.usage("bad-argument", en: "the reason contains a control character", zh: "推荐理由包含控制字符")
        }
    }

    /// The products an `add` call really adds, or the refusal; nothing of a refused call is added.
    /// - Parameters:
    ///   - requested: product ids in the order given (duplicates allowed).
    ///   - unavailable: requested, not yet picked products that are not available now.
    public func checkAdd(_ requested: [String], alreadyPicked: Set<String>, currentCount: Int, unavailable: Set<String>)
        throws -> [String]
    {
        var new: [String] = []
        for id in requested where !alreadyPicked.contains(id) && !new.contains(id) { new.append(id) }
        if let bad = new.first(where: { unavailable.contains($0) }) { throw ShopError.productUnavailable(bad) }
        if rules.maxPicks > 0 && currentCount + new.count > rules.maxPicks {
            throw ShopError.rule(
                "pick-limit",
                en: "\(rules.displayName) allows \(rules.maxPicks) picks; the shop has \(currentCount) and this would add \(new.count)",
                zh: "\(rules.displayName)最多选品 \(rules.maxPicks) 个；店铺已有 \(currentCount) 个，本次将新增 \(new.count) 个")
        }
        return new
    }
}
