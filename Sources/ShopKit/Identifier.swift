/// The one rule for identifiers (SPEC §2): order, product, supplier, member, shop and campaign
/// ids are 1–64 printable characters with no white space and no invisible or format character.
///
///     Identifier.problem("P000190")          // nil: a valid id
///     Identifier.problem("P00\u{200B}1")     // .forbidden(U+200B)
///     Identifier.problem("")                 // .empty
///
/// Refused, scalar by scalar: every Unicode `White_Space` character (space, tab, NBSP,
/// ideographic space, line and paragraph separators …), controls (Cc), format characters (Cf:
/// zero-width spaces and joiners, BOM U+FEFF, soft hyphen, bidirectional controls U+200E/F,
/// U+202A–U+202E, U+2066–U+2069, word joiner and invisible operators U+2060–U+2064 …), other
/// default-ignorable code points (variation selectors, Hangul fillers, the combining grapheme
/// joiner), private-use, surrogate, unassigned and noncharacter code points. Plain ASCII ids
/// (`!`–`~`) are checked byte by byte without looking at scalars. Length counts characters
/// (grapheme clusters), and an id holds at most 1,024 UTF-8 bytes whatever its characters.
public enum Identifier {
    public static let maxLength = 64
    /// A bound on the bytes of an id, so that counting characters stays cheap.
    public static let maxBytes = 1024

    public enum Problem: Sendable, Equatable {
        case empty
        case tooLong
        case forbidden(Unicode.Scalar)
    }

    /// Why `v` is not an id, or nil when it is one.
    public static func problem(_ v: String) -> Problem? {
        var plain = true
        var bad: UInt8?
        let bytes = v.withUTF8Bytes { u -> Int in
            for b in u {
                if b >= 0x80 {
                    plain = false
                    break
                }
                if b <= 0x20 || b == 0x7F {
                    bad = b
                    break
                }
            }
            return u.count
        }
        if bytes == 0 { return .empty }
        if let b = bad { return .forbidden(Unicode.Scalar(b)) }
        if plain { return bytes <= maxLength ? nil : .tooLong }
        if bytes > maxBytes { return .tooLong }
        if let u = v.unicodeScalars.first(where: isForbidden) { return .forbidden(u) }
        return bytes <= maxLength || v.count <= maxLength ? nil : .tooLong
    }

    public static func isValid(_ v: String) -> Bool { problem(v) == nil }

    /// Whether a scalar may never appear in an id.
    public static func isForbidden(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return u.value <= 0x20 || u.value == 0x7F }
        let p = u.properties
        if p.isWhitespace || p.isDefaultIgnorableCodePoint || p.isNoncharacterCodePoint { return true }
        switch p.generalCategory {
        case .control, .format, .privateUse, .surrogate, .unassigned, .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return true
        default:
            return false
        }
    }

    /// `U+200B`.
    public static func codePoint(_ u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The reason in words: "is not an id (1–64 characters without spaces): it holds U+200B, an
    /// invisible or format character".
    public static func reason(_ problem: Problem) -> Message {
        let lead = Message(en: "is not an id (1–64 characters without spaces)", zh: "不是有效 ID（1–64 个字符，不含空白）")
        switch problem {
        case .empty:
            return Message(en: lead.en + ": it is empty", zh: lead.zh + "：为空")
        case .tooLong:
            return Message(en: lead.en + ": it is longer than 64 characters", zh: lead.zh + "：超过 64 个字符")
        case .forbidden(let u):
            let c = codePoint(u)
            if u.properties.isWhitespace {
                return Message(en: lead.en + ": it holds \(c), a white space", zh: lead.zh + "：含空白字符 \(c)")
            }
            if u.properties.generalCategory == .control {
                return Message(en: lead.en + ": it holds \(c), a control character", zh: lead.zh + "：含控制字符 \(c)")
            }
            return Message(
                en: lead.en + ": it holds \(c), an invisible or format character", zh: lead.zh + "：含不可见字符或格式字符 \(c)")
        }
    }
}
