/// Days since 1970-01-01 and proleptic Gregorian dates, both ways (Howard Hinnant's
/// `days_from_civil` and `civil_from_days`): exact for any `Int` day a calendar date fits in.
/// The one calendar arithmetic of the package — ShopKit's `CivilDate` and the workbook reader's
/// date serials both use it.
public enum CivilDays {
    /// The date of day `z0` since 1970-01-01: (year, month 1–12, day 1–31).
    @inlinable public static func date(fromDay z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Days since 1970-01-01 of a valid date.
    @inlinable public static func day(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
