import Codecs
import Foundation

/// A moment in time as whole seconds since 1970-01-01T00:00:00Z.
///
///     let t = try Instant.parseRFC3339("2026-11-21T09:30:00+08:00")
///     t.rfc3339(in: .shanghai)          // "2026-11-21T09:30:00+08:00"
///     Zone.shanghai.civilDate(of: t)    // CivilDate(2026, 11, 21)
///
/// ShopKit never reads the clock: every rule that depends on time takes an
/// `Instant` argument. Sub-second precision is dropped on parsing.
public struct Instant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var seconds: Int64
    public init(seconds: Int64) { self.seconds = seconds }
    public static func < (a: Instant, b: Instant) -> Bool { a.seconds < b.seconds }

    /// Instant arithmetic saturates far outside the calendar (about ±35 million years) instead of
    /// trapping: no value an input can carry comes near it.
    public func adding(seconds s: Int64) -> Instant { Instant(seconds: Zone.clamped(seconds) + Zone.clamped(s)) }
    public func adding(days d: Int) -> Instant {
        Instant(seconds: Zone.clamped(seconds) + Int64(Swift.max(-(1 << 30), Swift.min(d, 1 << 30))) * 86_400)
    }

    public var description: String { rfc3339(in: .utc) }

    /// The years a written time may carry (SPEC §2): the year of the text, in its own offset, so
    /// `2000-01-01T00:00:00+14:00` (1999 in UTC) is accepted and `1999-12-31T23:59:59Z` is not.
    /// Every accepted instant lies within `range`, and every calendar function of ShopKit
    /// computes on it and on the dates around it (a month or a year after, in any zone).
    public static let years = 2000...2099
    /// The instants an accepted text can name: 2000-01-01T00:00:00+23:59 …
    /// 2099-12-31T23:59:59-23:59.
    public static let range = Instant(seconds: 946_684_800 - 86_340)...Instant(seconds: 4_102_444_800 - 1 + 86_340)

    /// Parses RFC 3339: `2026-11-21T09:30:00+08:00`, `…Z`, fractional seconds allowed
    /// (dropped), `t`/`z` and a space for `T` accepted. A time without a zone is refused, and so
    /// is a year outside 2000–2099 (`years`), a second 60 (leap seconds) and an offset beyond
    /// ±23:59.
    public static func parseRFC3339(_ text: String) throws -> Instant {
        try text.withUTF8Bytes { try parseRFC3339($0, text: text) }
    }

    private static func parseRFC3339(_ b: UnsafeBufferPointer<UInt8>, text: String) throws -> Instant {
        func fail(_ en: String, _ zh: String) -> ShopError {
            .usage("bad-time", en: "invalid time '\(text)': \(en)", zh: "时间 '\(text)' 无效：\(zh)")
        }
        @inline(__always) func num(_ from: Int, _ len: Int) -> Int? { digits(b, from, len) }
        guard b.count >= 19, let y = num(0, 4), b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2),
            b[10] == 84 || b[10] == 116 || b[10] == 32, let h = num(11, 2), b[13] == 58, let mi = num(14, 2),
            b[16] == 58, let s = num(17, 2)
        else { throw fail("expected RFC 3339 like 2026-11-21T09:30:00+08:00", "应为 RFC 3339 格式，如 2026-11-21T09:30:00+08:00") }
        guard Instant.years.contains(y) else {
            throw fail("the year must be from 2000 to 2099", "年份必须在 2000 到 2099 之间")
        }
        guard let date = CivilDate(year: y, month: mo, day: d), h < 24, mi < 60 else {
            throw fail("no such date or time", "日期或时间不存在")
        }
        guard s < 60 else {
            throw fail("seconds must be 00–59 (no leap second)", "秒必须在 00–59 之间（不接受闰秒）")
        }
        var i = 19
        if i < b.count && b[i] == 46 {
            i += 1
            let start = i
            while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
            if i == start { throw fail("expected digits after '.'", "'.' 之后应为数字") }
        }
        guard i < b.count else {
            throw fail("a time zone is required (Z or +08:00)", "必须带时区（Z 或 +08:00）")
        }
        var offset = 0
        if b[i] == 90 || b[i] == 122 {
            i += 1
        } else if b[i] == 43 || b[i] == 45 {
            guard let oh = num(i + 1, 2), i + 3 < b.count, b[i + 3] == 58, let om = num(i + 4, 2), oh < 24, om < 60
            else { throw fail("bad zone offset", "时区偏移无效") }
            offset = (oh * 3600 + om * 60) * (b[i] == 45 ? -1 : 1)
            i += 6
        } else {
            throw fail("a time zone is required (Z or +08:00)", "必须带时区（Z 或 +08:00）")
        }
        guard i == b.count else { throw fail("unexpected text after the time", "时间之后有多余内容") }
        let secs = Int64(date.daysSinceEpoch) * 86_400 + Int64(h * 3600 + mi * 60 + s) - Int64(offset)
        return Instant(seconds: secs)
    }

    /// The number written by the `len` ASCII digits at `from`, nil when one is not a digit or the
    /// text ends first (a time parses fourteen of them: inlined, not a call each).
    @inline(__always)
    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ len: Int) -> Int? {
        guard from >= 0, len >= 0, from + len <= b.count, let base = b.baseAddress else { return nil }
        var v = 0
        var i = from
        while i < from + len {
            let d = base[i] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
            i += 1
        }
        return v
    }

    /// `2026-11-21T09:30:00+08:00` in the given zone (`Z` for UTC).
    public func rfc3339(in zone: Zone) -> String {
        rfc3339(offset: zone.offset(at: self), z: zone.identifier == "UTC")
    }

    /// `2026-11-21T09:30:00+08:00` at a fixed offset east of UTC (seconds; `z`: write `Z` for 0).
    public func rfc3339(offset off: Int, z useZ: Bool = false) -> String {
        let local = Zone.clamped(seconds) + Int64(off)
        let days = Int(local.floorDiv(86_400))
        let sod = Int(local - Int64(days) * 86_400)
        let date = CivilDate(daysSinceEpoch: days)
        let time = "\(pad2(sod / 3600)):\(pad2(sod / 60 % 60)):\(pad2(sod % 60))"
        let z: String
        if off == 0 && useZ {
            z = "Z"
        } else {
            let a = abs(off)
            z = (off < 0 ? "-" : "+") + pad2(a / 3600) + ":" + pad2(a / 60 % 60)
        }
        return "\(date)T\(time)\(z)"
    }
}

func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}

/// A calendar date without a zone: `2026-11-21`.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= CivilDate.daysIn(year: year, month: month)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// A date the calendar arithmetic made (always a real date, whatever its year).
    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// `YYYY-MM-DD` with a year of `Instant.years` (2000–2099), as the command line and files
    /// write dates; nil otherwise.
    public static func parse(_ text: String) -> CivilDate? {
        let p = text.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
            p.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), Instant.years.contains(y)
        else { return nil }
        return CivilDate(year: y, month: m, day: d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian; `CivilDays`).
    public var daysSinceEpoch: Int { CivilDays.day(year: year, month: month, day: day) }

    public init(daysSinceEpoch z0: Int) {
        (year, month, day) = CivilDays.date(fromDay: z0)
    }

    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// The first day of the month `months` after this date's month.
    public func firstOfMonth(adding months: Int = 0) -> CivilDate {
        let idx = year * 12 + (month - 1) + months
        let y = idx >= 0 ? idx / 12 : (idx - 11) / 12
        return CivilDate(unchecked: y, idx - y * 12 + 1, 1)
    }

    /// Day `day` of this date's month, or the month's last day when it has fewer days.
    public func day(_ day: Int) -> CivilDate {
        CivilDate(unchecked: year, month, Swift.max(1, Swift.min(day, CivilDate.daysIn(year: year, month: month))))
    }

    /// ISO weekday: Monday = 1 … Sunday = 7.
    public var isoWeekday: Int { ((daysSinceEpoch % 7 + 7) % 7 + 3) % 7 + 1 }

    public var monthKey: String { "\(year)-\(pad2(month))" }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.daysSinceEpoch < b.daysSinceEpoch }

    public var description: String {
        let y = year < 1000 && year >= 0 ? String(repeating: "0", count: 4 - String(year).count) + String(year) : String(year)
        return "\(y)-\(pad2(month))-\(pad2(day))"
    }
}

/// A time zone for calendar rules (months, days, day 20, promotion hours).
public struct Zone: Sendable, Hashable {
    public let identifier: String
    private let fixedOffset: Int?
    private let tz: TimeZone?
    /// From this instant on the zone's offset never changes again (`laterOffset`); computed
    /// once, so that the hot paths of imports (a local day per order) ask the system's time zone
    /// database nothing. `Int64.max` when the zone still has transitions after 2000.
    private let steadyFrom: Int64
    private let laterOffset: Int

    public static let utc = Zone(identifier: "UTC", fixedOffset: 0)
    public static let shanghai = Zone(identifier: "Asia/Shanghai", fixedOffset: nil)

    private init(identifier: String, fixedOffset: Int?) {
        self.identifier = identifier
        self.fixedOffset = fixedOffset
        self.tz = fixedOffset == nil ? TimeZone(identifier: identifier) : nil
        (steadyFrom, laterOffset) = Self.steadyOffset(tz)
    }

    private static let steadyCheckFrom: Int64 = 946_684_800  // 2000-01-01T00:00:00Z

    private static func steadyOffset(_ tz: TimeZone?) -> (Int64, Int) {
        guard let tz else { return (Int64.max, 0) }
        let from = Date(timeIntervalSince1970: TimeInterval(steadyCheckFrom))
        guard tz.nextDaylightSavingTimeTransition(after: from) == nil else { return (Int64.max, 0) }
        return (steadyCheckFrom, tz.secondsFromGMT(for: from))
    }

    public static func == (a: Zone, b: Zone) -> Bool { a.identifier == b.identifier }
    public func hash(into h: inout Hasher) { h.combine(identifier) }

    /// A zone by IANA identifier, or nil when the system does not know it.
    public init?(identifier: String) {
        if identifier == "UTC" || identifier == "Z" {
            self = .utc
            return
        }
        guard let tz = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.fixedOffset = nil
        self.tz = tz
        (steadyFrom, laterOffset) = Self.steadyOffset(tz)
    }

    /// Seconds east of UTC at the instant.
    public func offset(at instant: Instant) -> Int {
        if let f = fixedOffset { return f }
        if instant.seconds >= steadyFrom { return laterOffset }
        guard let tz else { return 0 }
        return tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.seconds)))
    }

    /// Instants are held as `Int64`, but only about ±2^50 seconds (35 million years) around
    /// 1970 are calendar dates: a value read from a damaged store is clamped there, so that no
    /// calendar function traps on it.
    static func clamped(_ seconds: Int64) -> Int64 { Swift.min(Swift.max(seconds, -(1 << 50)), 1 << 50) }

    /// The local calendar day of an instant, as days since 1970-01-01 (`civilDate(of:)`'s
    /// `daysSinceEpoch`, without working out the year, month and day).
    public func localDay(of instant: Instant) -> Int {
        Int((Zone.clamped(instant.seconds) + Int64(offset(at: instant))).floorDiv(86_400))
    }

    public func civilDate(of instant: Instant) -> CivilDate {
        CivilDate(daysSinceEpoch: localDay(of: instant))
    }

    /// Local hour of day (0–23).
    public func hour(of instant: Instant) -> Int {
        let local = Zone.clamped(instant.seconds) + Int64(offset(at: instant))
        return Int((local - local.floorDiv(86_400) * 86_400) / 3600)
    }

    /// The instant of local `hour:00:00` on `date` in this zone.
    public func instant(of date: CivilDate, hour: Int = 0) -> Instant {
        let localSeconds = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour) * 3600
        var guess = Instant(seconds: localSeconds - Int64(offset(at: Instant(seconds: localSeconds))))
        guess = Instant(seconds: localSeconds - Int64(offset(at: guess)))
        return guess
    }
}
