/// An amount of money in integer fen (1 yuan = 100 fen).
///
///     let price = try Money.parse("¥129.50")      // Money(fen: 12950)
///     price.formatted                               // "¥129.50"
///     try price.multiplied(by: 3).formatted         // "¥388.50"
///
/// Money is never held in a binary floating type: parsing reads the decimal
/// digits, arithmetic is overflow-checked `Int64`, and rounding is
/// `roundHalfUp` on exact integer fractions.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var fen: Int64

    public init(fen: Int64) { self.fen = fen }

    public static let zero = Money(fen: 0)
    /// The largest amount an input may hold: 1,000,000,000 yuan.
    public static let maxInput = Money(fen: 100_000_000_000)

    public static func < (a: Money, b: Money) -> Bool { a.fen < b.fen }

    // MARK: - Parsing

    /// Parses a yuan amount: `129`, `129.5`, `129.50`, optionally prefixed by `¥` (or `￥`).
    /// At most two decimals, at most 1,000,000,000 yuan, negative only when `allowNegative`.
    /// - Throws: `ShopError` of kind `.usage` with code `bad-amount`; callers that parse
    ///   file rows convert it to a row rejection.
    public static func parse(_ text: String, allowNegative: Bool = false) throws -> Money {
        var s = Substring(text.trimmingSpaces())
        func fail(_ en: String, _ zh: String) -> ShopError {
            ShopError.usage("bad-amount", en: "invalid amount '\(text)': \(en)", zh: "金额 '\(text)' 无效：\(zh)")
        }
        var negative = false
        if s.first == "-" {
            negative = true
            s = s.dropFirst()
        }
        if s.first == "¥" || s.first == "￥" { s = s.dropFirst() }
        if !negative, s.first == "-" {
            negative = true
            s = s.dropFirst()
        }
        if negative && !allowNegative { throw fail("must not be negative", "不能为负数") }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else {
            throw fail("expected yuan like 129 or 129.50", "应为以元计的数字，如 129 或 129.50")
        }
        var fraction = parts.count == 2 ? parts[1] : ""
        if parts.count == 2 && fraction.isEmpty { throw fail("expected digits after the decimal point", "小数点后应有数字") }
        guard fraction.allSatisfy(\.isASCIIDigit) else {
            throw fail("expected yuan like 129 or 129.50", "应为以元计的数字，如 129 或 129.50")
        }
        guard fraction.count <= 2 else { throw fail("at most 2 decimals (fen)", "最多两位小数（分）") }
        while fraction.count < 2 { fraction += "0" }
        let trimmedWhole = whole.drop(while: { $0 == "0" })
        guard trimmedWhole.count <= 10, let yuan = Int64(trimmedWhole.isEmpty ? "0" : String(trimmedWhole)),
            let cents = Int64(fraction)
        else { throw fail("at most 1,000,000,000 yuan", "不能超过 1,000,000,000 元") }
        let fen = yuan * 100 + cents
        guard fen <= maxInput.fen else { throw fail("at most 1,000,000,000 yuan", "不能超过 1,000,000,000 元") }
        return Money(fen: negative ? -fen : fen)
    }

    // MARK: - Arithmetic (overflow-checked)

    public func adding(_ other: Money) throws -> Money {
        let (r, o) = fen.addingReportingOverflow(other.fen)
        if o { throw Money.overflow }
        return Money(fen: r)
    }

    public func subtracting(_ other: Money) throws -> Money {
        let (r, o) = fen.subtractingReportingOverflow(other.fen)
        if o { throw Money.overflow }
        return Money(fen: r)
    }

    public func multiplied(by n: Int64) throws -> Money {
        let (r, o) = fen.multipliedReportingOverflow(by: n)
        if o { throw Money.overflow }
        return Money(fen: r)
    }

    /// `round_half_up(self × rate / 10000)` — the one rounding of the contract.
    public func applying(_ rate: Rate) throws -> Money {
        Money(fen: try roundHalfUp(fen, times: Int64(rate.bp), over: 10_000))
    }

    static let overflow = ShopError.usage(
        "bad-amount", en: "amount out of range", zh: "金额超出范围")

    // MARK: - Formatting

    /// `¥1,234.50`; negative amounts as `-¥12.00`.
    public var formatted: String {
        let negative = fen < 0
        let magnitude = fen.magnitude
        let yuan = magnitude / 100
        let cents = magnitude % 100
        var digits = String(yuan)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        grouped = digits + grouped
        let c = cents < 10 ? "0\(cents)" : "\(cents)"
        return (negative ? "-" : "") + "¥" + grouped + "." + c
    }

    /// Plain yuan with two decimals and no symbol or grouping: `1234.50` (for CSV).
    public var plainYuan: String {
        let negative = fen < 0
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return (negative ? "-" : "") + "\(magnitude / 100)." + (cents < 10 ? "0\(cents)" : "\(cents)")
    }

    public var description: String { formatted }
}

/// `round_half_up(value × numerator / denominator)` computed exactly on integers.
/// Halves round away from zero (…5 → up for positive amounts, the only ones the
/// contract rounds; negative values mirror it).
public func roundHalfUp(_ value: Int64, times numerator: Int64, over denominator: Int64) throws -> Int64 {
    precondition(denominator > 0, "denominator must be positive")
    let (product, overflow) = value.multipliedReportingOverflow(by: numerator)
    if overflow { throw Money.overflow }
    let q = product / denominator
    let r = product % denominator
    if r.magnitude * 2 >= UInt64(denominator) {
        return product >= 0 ? q + 1 : q - 1
    }
    return q
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    /// Trims ASCII spaces and tabs (not newlines in the middle of anything).
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
