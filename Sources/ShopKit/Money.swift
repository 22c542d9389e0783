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
        // One pass over the text's bytes in place (no trimmed copy, no captured cursor): a feed
        // parses a price or two on every row.
        let parsed = text.withUTF8Bytes { u -> Result<Int64, Problem> in
            let field = u.spaceTrimmedBounds()
            var i = field.lowerBound
            let end = field.upperBound
            var negative = false
            if i < end && u[i] == UInt8(ascii: "-") {
                negative = true
                i += 1
            }
            // "¥" is C2 A5, "￥" is EF BF A5.
            if end - i >= 2 && u[i] == 0xC2 && u[i + 1] == 0xA5 {
                i += 2
            } else if end - i >= 3 && u[i] == 0xEF && u[i + 1] == 0xBF && u[i + 2] == 0xA5 {
                i += 3
            }
            if !negative && i < end && u[i] == UInt8(ascii: "-") {
                negative = true
                i += 1
            }
            if negative && !allowNegative { return .failure(.negative) }
            var yuan: Int64 = 0
            var wholeDigits = 0
            var fen: Int64 = 0
            var fractionDigits = 0
            var seenPoint = false
            while i < end {
                let c = u[i]
                i += 1
                if c == UInt8(ascii: ".") {
                    if seenPoint || wholeDigits == 0 { return .failure(.notYuan) }
                    seenPoint = true
                } else if c >= 48 && c <= 57 {
                    let d = Int64(c - 48)
                    if seenPoint {
                        fractionDigits += 1
                        if fractionDigits > 2 { return .failure(.tooManyDecimals) }
                        fen = fen * 10 + d
                    } else {
                        wholeDigits += 1
                        if yuan > 10_000_000_000 { return .failure(.tooBig) }
                        yuan = yuan * 10 + d
                    }
                } else {
                    return .failure(.notYuan)
                }
            }
            if wholeDigits == 0 { return .failure(.notYuan) }
            if seenPoint && fractionDigits == 0 { return .failure(.noDecimals) }
            if fractionDigits == 1 { fen *= 10 }
            let total = yuan * 100 + fen
            guard total <= maxInput.fen else { return .failure(.tooBig) }
            return .success(negative ? -total : total)
        }
        switch parsed {
        case .success(let fen): return Money(fen: fen)
        case .failure(let problem): throw problem.error(text)
        }
    }

    /// Why a text is not an amount (`parse`).
    private enum Problem: Error {
        case negative, notYuan, tooManyDecimals, tooBig, noDecimals

        func error(_ text: String) -> ShopError {
            let (en, zh): (String, String)
            switch self {
            case .negative: (en, zh) = ("must not be negative", "不能为负数")
            case .notYuan: (en, zh) = ("expected yuan like 129 or 129.50", "应为以元计的数字，如 129 或 129.50")
            case .tooManyDecimals: (en, zh) = ("at most 2 decimals (fen)", "最多两位小数（分）")
            case .tooBig: (en, zh) = ("at most 1,000,000,000 yuan", "不能超过 1,000,000,000 元")
            case .noDecimals: (en, zh) = ("expected digits after the decimal point", "小数点后应有数字")
            }
            return ShopError.usage("bad-amount", en: "invalid amount '\(text)': \(en)", zh: "金额 '\(text)' 无效：\(zh)")
        }
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
