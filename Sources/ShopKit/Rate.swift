/// A rate in basis points (1% = 100 bp).
///
///     let r = try Rate.parse("12.5%")   // Rate(bp: 1250)
///     r.percentText                      // "12.5%"
public struct Rate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var bp: Int

    public init(bp: Int) { self.bp = bp }

    public static let zero = Rate(bp: 0)

    public static func < (a: Rate, b: Rate) -> Bool { a.bp < b.bp }

    /// Parses percent text: `20`, `20%`, `12.5%`, `0.25` — at most 2 decimals, 0–100.
    public static func parse(_ text: String) throws -> Rate {
        var s = text.trimmingSpaces()
        if s.hasSuffix("%") || s.hasSuffix("％") { s.removeLast() }
        s = s.trimmingSpaces()
        func fail(_ en: String, _ zh: String) -> ShopError {
            ShopError.usage("bad-rate", en: "invalid rate '\(text)': \(en)", zh: "比例 '\(text)' 无效：\(zh)")
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 3,
            whole.allSatisfy(\.isASCIIDigit)
        else { throw fail("expected a percentage like 20 or 12.5%", "应为百分比，如 20 或 12.5%") }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        if parts.count == 2 && fraction.isEmpty { throw fail("expected digits after the decimal point", "小数点后应有数字") }
        guard fraction.allSatisfy(\.isASCIIDigit) else {
            throw fail("expected a percentage like 20 or 12.5%", "应为百分比，如 20 或 12.5%")
        }
        guard fraction.count <= 2 else { throw fail("at most 2 decimals", "最多两位小数") }
        while fraction.count < 2 { fraction += "0" }
        let bp = Int(whole)! * 100 + Int(fraction)!
        guard bp <= 10_000 else { throw fail("must be between 0 and 100%", "必须在 0 到 100% 之间") }
        return Rate(bp: bp)
    }

    /// `20%`, `12.5%`, `0.25%`.
    public var percentText: String {
        let whole = bp / 100
        let frac = bp % 100
        if frac == 0 { return "\(whole)%" }
        if frac % 10 == 0 { return "\(whole).\(frac / 10)%" }
        return "\(whole).\(frac < 10 ? "0" : "")\(frac)%"
    }

    public var description: String { percentText }
}
