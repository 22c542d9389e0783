import Foundation
import XCTest

@testable import Codecs

/// `CivilDays` against Foundation's Gregorian calendar (ICU) as the outside reference.
final class CivilDaysTests: XCTestCase {
    func testEveryDayFrom1800To2200MatchesTheGregorianCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for day in -62_091...84_006 {  // 1800-01-01 … 2199-12-31
            let c = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86_400))
            let d = CivilDays.date(fromDay: day)
            guard d.year == c.year, d.month == c.month, d.day == c.day else {
                return XCTFail("day \(day): \(d) against \(c)")
            }
            XCTAssertEqual(CivilDays.day(year: d.year, month: d.month, day: d.day), day)
        }
    }

    func testKnownDays() {
        XCTAssertTrue(CivilDays.date(fromDay: 0) == (1970, 1, 1))
        XCTAssertTrue(CivilDays.date(fromDay: -1) == (1969, 12, 31))
        XCTAssertTrue(CivilDays.date(fromDay: 11_016) == (2000, 2, 29))
        XCTAssertEqual(CivilDays.day(year: 2026, month: 11, day: 21), 20_778)
    }
}
