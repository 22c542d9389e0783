/// Values as Excel and the platforms' back offices leave them (SPEC §7), read only when the
/// plain form fails, so plain files are read exactly as fast.

/// A map's `time_format`: `yyyy`, `MM`/`M`, `dd`/`d`, `HH`/`H`, `mm`, `ss` and literal
/// separators (any other character, 年 月 日 included, stands for itself; other ASCII letters are
/// refused).
///
///     TimeFormat("yyyy/M/d H:mm")!.fields("2026/11/4 9:05")   // (2026, 11, 4, 9, 5, 0)
public struct TimeFormat: Sendable, Equatable {
    enum Part: Sendable, Equatable {
        case year, month(fixed: Bool), day(fixed: Bool), hour(fixed: Bool), minute, second
        case literal(UInt8)
    }
    let parts: [Part]
    public let pattern: String

    public init?(_ pattern: String) {
        let b = Array(pattern.utf8)
        var parts: [Part] = []
        var i = 0
        func run(_ c: UInt8) -> Int {
            var n = 0
            while i + n < b.count && b[i + n] == c { n += 1 }
            return n
        }
        while i < b.count {
            let c = b[i]
            let n = run(c)
            switch (c, n) {
            case (UInt8(ascii: "y"), 4): parts.append(.year)
            case (UInt8(ascii: "M"), 1...2): parts.append(.month(fixed: n == 2))
            case (UInt8(ascii: "d"), 1...2): parts.append(.day(fixed: n == 2))
            case (UInt8(ascii: "H"), 1...2): parts.append(.hour(fixed: n == 2))
            case (UInt8(ascii: "m"), 2): parts.append(.minute)
            case (UInt8(ascii: "s"), 2): parts.append(.second)
            default:
                if (c >= 65 && c <= 90) || (c >= 97 && c <= 122) { return nil }
                parts.append(.literal(c))
                i += 1
                continue
            }
            i += n
        }
        let has = { (p: (Part) -> Bool) in parts.contains(where: p) }
        guard has({ $0 == .year }), has({ if case .month = $0 { true } else { false } }),
            has({ if case .day = $0 { true } else { false } }), has({ if case .hour = $0 { true } else { false } }),
            has({ $0 == .minute })
        else { return nil }
        self.parts = parts
        self.pattern = pattern
    }

    /// The fields of `text`, or nil when it does not fit the pattern.
    func fields(_ text: String) -> (y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int)? {
        text.withUTF8Bytes { fields($0) }
    }

    private func fields(_ b: UnsafeBufferPointer<UInt8>) -> (y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int)? {
        var i = 0
        var v = (y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0)
        func digits(_ minimum: Int, _ maximum: Int) -> Int? {
            var n = 0
            var x = 0
            while n < maximum && i < b.count && b[i] >= 48 && b[i] <= 57 {
                x = x * 10 + Int(b[i] - 48)
                i += 1
                n += 1
            }
            return n >= minimum ? x : nil
        }
        for p in parts {
            switch p {
            case .year: guard let x = digits(4, 4) else { return nil }; v.y = x
            case .month(let fixed): guard let x = digits(fixed ? 2 : 1, 2) else { return nil }; v.mo = x
            case .day(let fixed): guard let x = digits(fixed ? 2 : 1, 2) else { return nil }; v.d = x
            case .hour(let fixed): guard let x = digits(fixed ? 2 : 1, 2) else { return nil }; v.h = x
            case .minute: guard let x = digits(2, 2) else { return nil }; v.mi = x
            case .second: guard let x = digits(2, 2) else { return nil }; v.s = x
            case .literal(let c):
                guard i < b.count, b[i] == c else { return nil }
                i += 1
            }
        }
        return i == b.count ? v : nil
    }

    /// The built-in zone-less layouts, as Excel and the back offices write times: `2026-11-04 12:00:00`,
    /// `2026/11/4 12:00` (`-` or `/`, month, day and hour of one or two digits, a space, seconds
    /// optional). The RFC 3339 form without an offset (`2026-11-04T12:00:00`) is not one of them: a
    /// program wrote it, and it stays refused for its missing zone.
    static let builtin: [TimeFormat] = [
        "yyyy-M-d H:mm:ss", "yyyy-M-d H:mm", "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm",
    ].map { TimeFormat($0)! }
}

extension Instant {
    /// A time written without an offset, read in `zone`: a map's `format` if given, then the
    /// built-in layouts (all year first, so they cannot read a text another way than `format`). The year must be 2000–2099 and the date and time must exist; nil when the
    /// text fits no layout. Errors are `bad-time` like `parseRFC3339`'s.
    public static func parseLocal(_ text: String, zone: Zone, format: TimeFormat? = nil) throws -> Instant? {
        let t = text.trimmingSpaces()
        let formats = format.map { [$0] + TimeFormat.builtin } ?? TimeFormat.builtin
        guard let v = formats.lazy.compactMap({ $0.fields(t) }).first else { return nil }
        func fail(_ en: String, _ zh: String) -> ShopError {
            .usage("bad-time", en: "invalid time '\(text)': \(en)", zh: "时间 '\(text)' 无效：\(zh)")
        }
        guard Instant.years.contains(v.y) else { throw fail("the year must be from 2000 to 2099", "年份必须在 2000 到 2099 之间") }
        guard let date = CivilDate(year: v.y, month: v.mo, day: v.d), v.h < 24, v.mi < 60 else {
            throw fail("no such date or time", "日期或时间不存在")
        }
        guard v.s < 60 else { throw fail("seconds must be 00–59 (no leap second)", "秒必须在 00–59 之间（不接受闰秒）") }
        let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(v.h * 3600 + v.mi * 60 + v.s)
        let guess = Instant(seconds: local - Int64(zone.offset(at: Instant(seconds: local))))
        return Instant(seconds: local - Int64(zone.offset(at: guess)))
    }
}

enum ExcelValues {
    /// `1.23457E+17`, `1.23457e17`, `1E+17`: what Excel makes of a long numeric id.
    static func isScientific(_ v: String) -> Bool {
        v.withUTF8Bytes { u in
            guard let f = u.first, f >= 48 && f <= 57 else { return false }
            var i = 0
            var sawDigit = false
            while i < u.count && u[i] >= 48 && u[i] <= 57 { i += 1; sawDigit = true }
            if i < u.count && u[i] == 46 {
                i += 1
                while i < u.count && u[i] >= 48 && u[i] <= 57 { i += 1 }
            }
            guard sawDigit, i < u.count, u[i] == 69 || u[i] == 101 else { return false }
            i += 1
            if i < u.count && (u[i] == 43 || u[i] == 45) { i += 1 }
            let start = i
            while i < u.count && u[i] >= 48 && u[i] <= 57 { i += 1 }
            return i > start && i == u.count
        }
    }

    /// `¥1,234.50`, `￥1,234.50`, `1,234.50`, `-¥5.00` → `1234.50`, `-5.00`; nil when the text has
    /// neither sign nor separators, or its separators are not in groups of three after the first
    /// group of one to three digits.
    static func plainAmount(_ v: String) -> String? {
        var s = Substring(v.trimmingSpaces())
        var negative = false
        if s.first == "-" {
            negative = true
            s = s.dropFirst()
        }
        var changed = false
        if s.first == "¥" || s.first == "￥" {
            s = s.dropFirst()
            changed = true
        }
        if !negative && s.first == "-" {
            negative = true
            s = s.dropFirst()
        }
        guard let first = s.first, first.isASCIIDigit else { return nil }
        let whole = s.prefix { $0 != "." }
        let rest = s[whole.endIndex...]
        if whole.contains(",") {
            let groups = whole.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }),
                groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) })
            else { return nil }
            changed = true
        }
        guard changed else { return nil }
        return (negative ? "-" : "") + whole.filter { $0 != "," } + rest
    }
}
