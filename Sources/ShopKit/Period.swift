/// The relative and calendar forms of a period (SPEC §9), resolved against a given day: ShopKit
/// never reads the clock, the caller passes today's date in the store's zone.
///
///     let today = zone.civilDate(of: now)
///     try ReportPeriod.parse("last-month", today: today)   // the month before today's
///     try ReportPeriod.parse("2026-W53", today: today)      // 2026-12-28 ..< 2027-01-04
extension ReportPeriod {
    /// The day `parse(_:)` checks relative forms against when no day is given: any day far from
    /// the years' edges, so that a form's syntax is checked before the store (and its zone) is read.
    static let syntaxDay = CivilDate(year: 2050, month: 6, day: 15)!

    /// One of `this-month`, `last-month`, `this-year`, `last-7-days`, `YYYYQn`, `YYYY-Wnn`;
    /// nil when `s` is none of them (it may still be an absolute form). Throws when it is one of
    /// them but does not exist (`2025-W53`) or falls outside the years 2000–2099.
    static func relative(_ s: String, today: CivilDate, bad: () -> ShopError) throws -> ReportPeriod? {
        func checked(_ p: ReportPeriod) throws -> ReportPeriod {
            // Inside the years 2000–2099, whole days: an ISO week reaching into 2100 is refused as 2100 is.
            guard Instant.years.contains(p.start.year), p.end <= CivilDate(year: Instant.years.upperBound + 1, month: 1, day: 1)!
            else { throw bad() }
            return p
        }
        switch s {
        case "this-month": return try checked(ReportPeriod(start: today.day(1), end: today.firstOfMonth(adding: 1)))
        case "last-month": return try checked(ReportPeriod(start: today.firstOfMonth(adding: -1), end: today.day(1)))
        case "this-year":
            let jan1 = today.firstOfMonth(adding: 1 - today.month)
            return try checked(ReportPeriod(start: jan1, end: jan1.firstOfMonth(adding: 12)))
        case "last-7-days": return try checked(ReportPeriod(start: today.adding(days: -6), end: today.adding(days: 1)))
        default: break
        }
        let u = Array(s.utf8)
        func digits(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= u.count, r.allSatisfy({ (48...57).contains(u[$0]) }) else { return nil }
            return r.reduce(0) { $0 * 10 + Int(u[$1] - 48) }
        }
        // 2026Q3 (also 2026q3)
        if u.count == 6, let y = digits(0..<4), u[4] == UInt8(ascii: "Q") || u[4] == UInt8(ascii: "q"), let q = digits(5..<6) {
            guard Instant.years.contains(y), (1...4).contains(q), let start = CivilDate(year: y, month: 3 * q - 2, day: 1) else {
                throw bad()
            }
            return try checked(ReportPeriod(start: start, end: start.firstOfMonth(adding: 3)))
        }
        // 2026-W47 (also 2026-w47): ISO 8601, Monday to Sunday, week 1 holds the year's first Thursday.
        if u.count == 8, let y = digits(0..<4), u[4] == UInt8(ascii: "-"), u[5] == UInt8(ascii: "W") || u[5] == UInt8(ascii: "w"),
            let w = digits(6..<8)
        {
            guard Instant.years.contains(y), (1...isoWeeks(in: y)).contains(w) else { throw bad() }
            let start = isoWeekOne(of: y).adding(days: 7 * (w - 1))
            return try checked(ReportPeriod(start: start, end: start.adding(days: 7)))
        }
        return nil
    }

    /// The Monday of ISO week 1 of `year`: the week holding January 4th.
    public static func isoWeekOne(of year: Int) -> CivilDate {
        let jan4 = CivilDate(year: year, month: 1, day: 4)!
        return jan4.adding(days: 1 - jan4.isoWeekday)
    }

    /// 53 when the year starts on a Thursday, or on a Wednesday in a leap year; 52 otherwise.
    public static func isoWeeks(in year: Int) -> Int {
        (isoWeekOne(of: year + 1).daysSinceEpoch - isoWeekOne(of: year).daysSinceEpoch) / 7
    }
}
