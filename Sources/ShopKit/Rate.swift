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
        func fail(_ en: String, _ zh: String) -> ShopError {
            ShopError.usage("bad-rate", en: "invalid rate '\(text)': \(en)", zh: "比例 '\(text)' 无效：\(zh)")
        }
        var s = text.trimmingSpaces()
        // "%" is 25, "％" is EF BC 85 (compared as bytes: a Character walk costs more than the rest).
        let sign = s.withUTF8Bytes { u in
            u.last == 0x25 ? 1 : u.count >= 3 && u[u.count - 3] == 0xEF && u[u.count - 2] == 0xBC && u[u.count - 1] == 0x85 ? 3 : 0
        }
        if sign > 0 { s = String(decoding: s.utf8.dropLast(sign), as: UTF8.self).trimmingSpaces() }
        var whole = 0
        var wholeDigits = 0
        var fraction = 0
        var fractionDigits = 0
        var seenPoint = false
        for c in s.utf8 {
            if c == UInt8(ascii: ".") {
                if seenPoint || wholeDigits == 0 { throw fail("expected a percentage like 20 or 12.5%", "应为百分比，如 20 或 12.5%") }
                seenPoint = true
            } else if c >= 48 && c <= 57 {
                if seenPoint {
                    fractionDigits += 1
                    if fractionDigits > 2 { throw fail("at most 2 decimals", "最多两位小数") }
                    fraction = fraction * 10 + Int(c - 48)
                } else {
                    wholeDigits += 1
                    if wholeDigits > 3 { throw fail("must be between 0 and 100%", "必须在 0 到 100% 之间") }
                    whole = whole * 10 + Int(c - 48)
                }
            } else {
                throw fail("expected a percentage like 20 or 12.5%", "应为百分比，如 20 或 12.5%")
            }
        }
        if wholeDigits == 0 { throw fail("expected a percentage like 20 or 12.5%", "应为百分比，如 20 或 12.5%") }
        if seenPoint && fractionDigits == 0 { throw fail("expected digits after the decimal point", "小数点后应有数字") }
        if fractionDigits == 1 { fraction *= 10 }
        let bp = whole * 100 + fraction
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
