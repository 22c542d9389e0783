import XCTest

@testable import ShopKit

/// The relative and calendar forms of a period (SPEC §9), on year and week boundaries.
final class PeriodTests: XCTestCase {
    private func day(_ s: String) -> CivilDate { CivilDate.parse(s)! }

    /// `text` resolved against `today`, as `start..<end` (`2026-11-01..<2026-12-01`).
    private func period(_ text: String, _ today: String) throws -> String {
        let p = try ReportPeriod.parse(text, today: day(today))
        return "\(p.start)..<\(p.end)"
    }

    func testLastMonthAcrossAYearEnd() throws {
        XCTAssertEqual(try period("last-month", "2026-12-01"), "2026-11-01..<2026-12-01")
        XCTAssertEqual(try period("last-month", "2026-12-31"), "2026-11-01..<2026-12-01")
        XCTAssertEqual(try period("last-month", "2027-01-01"), "2026-12-01..<2027-01-01")
        XCTAssertEqual(try period("last-month", "2026-03-31"), "2026-02-01..<2026-03-01")
        XCTAssertEqual(try period("last-month", "2000-02-01"), "2000-01-01..<2000-02-01")
        XCTAssertThrowsError(try period("last-month", "2000-01-15"), "December 1999 is outside 2000–2099") { e in
            XCTAssertEqual((e as? ShopError)?.code, "bad-argument")
        }
    }

    func testThisMonthAndThisYear() throws {
        XCTAssertEqual(try period("this-month", "2026-12-01"), "2026-12-01..<2027-01-01")
        XCTAssertEqual(try period("this-month", "2024-02-29"), "2024-02-01..<2024-03-01")
        XCTAssertEqual(try period("this-year", "2026-12-31"), "2026-01-01..<2027-01-01")
        XCTAssertEqual(try period("this-year", "2027-01-01"), "2027-01-01..<2028-01-01")
        XCTAssertEqual(try period("this-year", "2099-06-01"), "2099-01-01..<2100-01-01")
    }

    func testLast7DaysEndToday() throws {
        XCTAssertEqual(try period("last-7-days", "2026-11-21"), "2026-11-15..<2026-11-22")
        // Across a month end and a year end; today included.
        XCTAssertEqual(try period("last-7-days", "2026-12-03"), "2026-11-27..<2026-12-04")
        XCTAssertEqual(try period("last-7-days", "2027-01-02"), "2026-12-27..<2027-01-03")
        XCTAssertEqual(try period("last-7-days", "2024-03-02"), "2024-02-25..<2024-03-03")
        let p = try ReportPeriod.parse("last-7-days", today: day("2027-01-02"))
        XCTAssertEqual(p.end.daysSinceEpoch - p.start.daysSinceEpoch, 7)
    }

    func testQuarters() throws {
        XCTAssertEqual(try period("2026Q1", "2026-12-01"), "2026-01-01..<2026-04-01")
        XCTAssertEqual(try period("2026Q2", "2026-12-01"), "2026-04-01..<2026-07-01")
        XCTAssertEqual(try period("2026Q3", "2026-12-01"), "2026-07-01..<2026-10-01")
        XCTAssertEqual(try period("2026Q4", "2026-12-01"), "2026-10-01..<2027-01-01")
        XCTAssertEqual(try period("2026q4", "2026-12-01"), "2026-10-01..<2027-01-01")
        XCTAssertEqual(try period("2099Q4", "2026-12-01"), "2099-10-01..<2100-01-01")
        XCTAssertEqual(try period("2026Q3..2026Q4", "2026-12-01"), "2026-07-01..<2027-01-01")
        for bad in ["2026Q0", "2026Q5", "2026Q", "1999Q4", "2100Q1", "2026-Q3", "2026Q33", "26Q3"] {
            XCTAssertThrowsError(try ReportPeriod.parse(bad), bad)
        }
    }

    /// ISO 8601 weeks: Monday to Sunday, week 1 holds the year's first Thursday (checked against
    /// Python's `date.fromisocalendar`).
    func testISOWeeks() throws {
        XCTAssertEqual(try period("2026-W47", "2026-12-01"), "2026-11-16..<2026-11-23")
        XCTAssertEqual(try period("2026-W01", "2026-12-01"), "2025-12-29..<2026-01-05")
        // 2026 starts on a Thursday: 53 weeks, the last one ends in 2027.
        XCTAssertEqual(ReportPeriod.isoWeeks(in: 2026), 53)
        XCTAssertEqual(try period("2026-W53", "2026-12-01"), "2026-12-28..<2027-01-04")
        // 2020 is a leap year starting on a Wednesday: 53 weeks.
        XCTAssertEqual(ReportPeriod.isoWeeks(in: 2020), 53)
        XCTAssertEqual(try period("2020-W53", "2026-12-01"), "2020-12-28..<2021-01-04")
        XCTAssertEqual(try period("2021-W01", "2026-12-01"), "2021-01-04..<2021-01-11")
        XCTAssertEqual(try period("2004-W01", "2026-12-01"), "2003-12-29..<2004-01-05")
        XCTAssertEqual(try period("2000-W01", "2026-12-01"), "2000-01-03..<2000-01-10")
        XCTAssertEqual(try period("2026-w47", "2026-12-01"), "2026-11-16..<2026-11-23")
        XCTAssertEqual(ReportPeriod.isoWeeks(in: 2021), 52)
        XCTAssertEqual(ReportPeriod.isoWeeks(in: 2025), 52)
        XCTAssertEqual(ReportPeriod.isoWeeks(in: 2015), 53)
        // Each week agrees with the report's week key of every one of its days.
        for y in 2000...2099 {
            for w in 1...ReportPeriod.isoWeeks(in: y) where !(y == 2099 && w == 53) {
                let p = try ReportPeriod.parse("\(y)-W\(w < 10 ? "0" : "")\(w)")
                XCTAssertEqual(p.start.isoWeekday, 1)
                XCTAssertEqual(ReportGrouping.week.key(of: p.start), "\(y)-W\(w < 10 ? "0" : "")\(w)")
                XCTAssertEqual(ReportGrouping.week.key(of: p.end.adding(days: -1)), ReportGrouping.week.key(of: p.start))
            }
        }
        for bad in ["2025-W53", "2021-W53", "2026-W00", "2026-W54", "2026-W5", "2026W47", "2099-W53", "2026-W047"] {
            XCTAssertThrowsError(try ReportPeriod.parse(bad), bad) { e in XCTAssertEqual((e as? ShopError)?.code, "bad-argument") }
        }
    }

    /// Today is the store's zone's: in Asia/Shanghai the day turns at 16:00 UTC.
    func testShanghaiDayTurnsAt1600UTC() throws {
        let zone = Zone.shanghai
        let before = zone.civilDate(of: try Instant.parseRFC3339("2026-11-30T15:59:59Z"))
        let after = zone.civilDate(of: try Instant.parseRFC3339("2026-11-30T16:00:00Z"))
        XCTAssertEqual(before.description, "2026-11-30")
        XCTAssertEqual(after.description, "2026-12-01")
        XCTAssertEqual(try period("last-month", before.description), "2026-10-01..<2026-11-01")
        XCTAssertEqual(try period("last-month", after.description), "2026-11-01..<2026-12-01")
        let newYear = zone.civilDate(of: try Instant.parseRFC3339("2026-12-31T16:00:00Z"))
        XCTAssertEqual(try period("this-year", newYear.description), "2027-01-01..<2028-01-01")
        XCTAssertEqual(try period("last-month", newYear.description), "2026-12-01..<2027-01-01")
        // November in Shanghai, as instants: 2026-10-31T16:00Z ..< 2026-11-30T16:00Z.
        let nov = try ReportPeriod.parse("last-month", today: after)
        XCTAssertEqual(zone.instant(of: nov.start).rfc3339(in: .utc), "2026-10-31T16:00:00Z")
        XCTAssertEqual(zone.instant(of: nov.end).rfc3339(in: .utc), "2026-11-30T16:00:00Z")
    }

    func testRangesMixForms() throws {
        XCTAssertEqual(try period("2026-09..last-month", "2026-12-01"), "2026-09-01..<2026-12-01")
        XCTAssertEqual(try period("2026-W47..this-month", "2026-12-01"), "2026-11-16..<2027-01-01")
        XCTAssertThrowsError(try ReportPeriod.parse("this-month..2026-01", today: day("2026-12-01")))
        for bad in ["lastmonth", "last-month ", "Last-Month", "last-8-days", "this-week", "next-month"] {
            XCTAssertThrowsError(try ReportPeriod.parse(bad, today: day("2026-12-01")), bad)
        }
    }
}
