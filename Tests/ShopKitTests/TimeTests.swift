import XCTest

@testable import ShopKit

final class TimeTests: XCTestCase {
    func testParsesRFC3339WithZones() throws {
        let a = try Instant.parseRFC3339("2026-11-21T09:30:00+08:00")
        let b = try Instant.parseRFC3339("2026-11-21T01:30:00Z")
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.seconds, 1_795_224_600)
        XCTAssertEqual(try Instant.parseRFC3339("2026-11-21t01:30:00.123z"), b)
        XCTAssertEqual(try Instant.parseRFC3339("2026-11-20T20:30:00-05:00"), b)
    }

    func testRefusesTimesWithoutZoneOrImpossible() {
        for bad in [
            "2026-11-21T09:30:00", "2026-11-21", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-11-21T24:00:00Z", "2026-11-21T09:30:00+8:00", "yesterday", "2026-11-21T09:30:00Zjunk",
        ] {
            XCTAssertThrowsError(try Instant.parseRFC3339(bad), bad)
        }
    }

    func testFormatsInShanghai() throws {
        let t = try Instant.parseRFC3339("2026-11-30T16:00:00Z")
        XCTAssertEqual(t.rfc3339(in: .shanghai), "2026-12-01T00:00:00+08:00")
        XCTAssertEqual(t.rfc3339(in: .utc), "2026-11-30T16:00:00Z")
    }

    func testMonthBoundaryInShanghaiIsNotUTC() throws {
        // 23:30 UTC on Nov 30 is already December in Shanghai.
        let t = try Instant.parseRFC3339("2026-11-30T23:30:00Z")
        XCTAssertEqual(Zone.shanghai.civilDate(of: t).monthKey, "2026-12")
        XCTAssertEqual(Zone.utc.civilDate(of: t).monthKey, "2026-11")
        XCTAssertEqual(Zone.shanghai.hour(of: t), 7)
        XCTAssertEqual(Zone.shanghai.instant(of: CivilDate(year: 2026, month: 12, day: 20)!).rfc3339(in: .utc), "2026-12-19T16:00:00Z")
    }

    /// After a zone's last transition the offset is a constant (no time zone lookup per call);
    /// before it, and for zones that still change, every instant is looked up.
    func testOffsetsBeforeAndAfterTheLastTransition() throws {
        let shanghai = Zone.shanghai
        // China observed daylight saving time 1986–1991: +09:00 in the summer of 1988.
        XCTAssertEqual(shanghai.offset(at: Instant(seconds: 583_761_600)), 9 * 3600)  // 1988-07-01T12:00:00Z
        XCTAssertEqual(shanghai.offset(at: Instant(seconds: 596_980_800)), 8 * 3600)  // 1988-12-01T12:00:00Z
        XCTAssertEqual(shanghai.offset(at: try Instant.parseRFC3339("2026-07-01T12:00:00Z")), 8 * 3600)
        XCTAssertEqual(shanghai.offset(at: Instant(seconds: 946_656_000)), 8 * 3600)  // 1999-12-31T16:00:00Z
        let newYork = try XCTUnwrap(Zone(identifier: "America/New_York"))
        XCTAssertEqual(newYork.offset(at: try Instant.parseRFC3339("2026-07-01T12:00:00Z")), -4 * 3600)
        XCTAssertEqual(newYork.offset(at: try Instant.parseRFC3339("2026-12-01T12:00:00Z")), -5 * 3600)
        let kolkata = try XCTUnwrap(Zone(identifier: "Asia/Kolkata"))
        XCTAssertEqual(kolkata.offset(at: try Instant.parseRFC3339("2030-01-01T00:00:00Z")), 19_800)
    }

    func testCivilDates() {
        XCTAssertEqual(CivilDate(year: 1970, month: 1, day: 1)!.daysSinceEpoch, 0)
        XCTAssertEqual(CivilDate(daysSinceEpoch: 20_413).description, "2025-11-21")
        XCTAssertNil(CivilDate(year: 2026, month: 2, day: 29))
        XCTAssertNotNil(CivilDate(year: 2028, month: 2, day: 29))
        XCTAssertEqual(CivilDate(year: 2026, month: 12, day: 31)!.adding(days: 1).description, "2027-01-01")
        XCTAssertEqual(CivilDate(year: 2026, month: 12, day: 15)!.firstOfMonth(adding: 1).description, "2027-01-01")
        XCTAssertEqual(CivilDate(year: 2026, month: 11, day: 21)!.isoWeekday, 6)  // a Saturday
        XCTAssertEqual(CivilDate.parse("2026-11-21")?.day, 21)
        XCTAssertNil(CivilDate.parse("2026-1-21"))
        for d in stride(from: -1000, through: 40_000, by: 37) {
            XCTAssertEqual(CivilDate(daysSinceEpoch: d).daysSinceEpoch, d)
        }
    }
}
