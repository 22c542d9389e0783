import Codecs
import XCTest

@testable import ShopKit

/// SPEC §6 "Closing a month" and the `month_close_days` rules key, as pure rules.
final class MonthCloseRulesTests: XCTestCase {
    func instant(_ s: String) -> Instant { try! Instant.parseRFC3339(s) }
    func month(_ y: Int, _ m: Int) -> MonthIndex { MonthIndex(CivilDate(year: y, month: m, day: 1)!) }
    func rules(_ days: Int) -> Rules {
        var r = Rules.preset(.taoxiaopu)
        r.monthCloseDays = days
        return r
    }

    func testEveryPresetClosesAfterSevenDays() {
        for p in Platform.allCases { XCTAssertEqual(Rules.preset(p).monthCloseDays, 7, p.rawValue) }
    }

    func testCloseTimeInTheStoresZone() {
        XCTAssertEqual(MonthRules.closeTime(of: month(2026, 10), rules: rules(7)), instant("2026-11-08T00:00:00+08:00"))
        XCTAssertEqual(MonthRules.closeTime(of: month(2026, 10), rules: rules(0)), instant("2026-11-01T00:00:00+08:00"))
        XCTAssertEqual(MonthRules.closeTime(of: month(2026, 12), rules: rules(7)), instant("2027-01-08T00:00:00+08:00"))
        // 28 days: January closes on 1 March in a common year, on 29 February in a leap year.
        XCTAssertEqual(MonthRules.closeTime(of: month(2026, 1), rules: rules(28)), instant("2026-03-01T00:00:00+08:00"))
        XCTAssertEqual(MonthRules.closeTime(of: month(2028, 1), rules: rules(28)), instant("2028-02-29T00:00:00+08:00"))
        var utc = rules(7)
        utc.timeZone = "UTC"
        XCTAssertEqual(MonthRules.closeTime(of: month(2026, 10), rules: utc), instant("2026-11-08T00:00:00Z"))
    }

    func testTheLastSecondOfTheWindow() {
        let r = rules(7)
        XCTAssertFalse(MonthRules.isClosed(month(2026, 10), at: instant("2026-11-07T23:59:59+08:00"), rules: r))
        XCTAssertTrue(MonthRules.isClosed(month(2026, 10), at: instant("2026-11-08T00:00:00+08:00"), rules: r))
        XCTAssertFalse(MonthRules.isClosed(month(2028, 1), at: instant("2028-02-28T23:59:59+08:00"), rules: rules(28)))
        XCTAssertTrue(MonthRules.isClosed(month(2028, 1), at: instant("2028-02-29T00:00:00+08:00"), rules: rules(28)))
        XCTAssertFalse(MonthRules.isClosed(month(2026, 1), at: instant("2026-02-28T23:59:59+08:00"), rules: rules(28)))
    }

    func testStates() {
        let r = rules(7)
        let opened = month(2026, 8)
        let before = instant("2026-11-07T23:59:59+08:00")
        let at = instant("2026-11-08T00:00:00+08:00")
        XCTAssertEqual(MonthRules.levelState(of: month(2026, 11), opened: opened, fixed: false, now: before, rules: r), .provisional)
        XCTAssertEqual(MonthRules.levelState(of: month(2026, 11), opened: opened, fixed: false, now: at, rules: r), .due)
        XCTAssertEqual(MonthRules.levelState(of: month(2026, 11), opened: opened, fixed: true, now: before, rules: r), .fixed)
        // A shop's first month is never provisional.
        XCTAssertEqual(
            MonthRules.levelState(of: opened, opened: opened, fixed: false, now: instant("2026-08-02T00:00:00+08:00"), rules: r), .due)
        XCTAssertEqual(MonthRules.rewardState(of: month(2026, 10), fixed: false, now: before, rules: r), .provisional)
        XCTAssertEqual(MonthRules.rewardState(of: month(2026, 10), fixed: false, now: at, rules: r), .due)
        XCTAssertEqual(MonthRules.rewardState(of: month(2026, 10), fixed: true, now: before, rules: r), .fixed)
    }

    func testRulesKey() throws {
        let base = Rules.preset(.beidian)
        XCTAssertEqual(try base.overriding(with: JSON.parse(#"{"month_close_days": 0}"#)).monthCloseDays, 0)
        XCTAssertEqual(try base.overriding(with: JSON.parse(#"{"month_close_days": 28}"#)).monthCloseDays, 28)
        for bad in [
            #"{"month_close_days": 29}"#, #"{"month_close_days": -1}"#, #"{"month_close_days": "7"}"#, #"{"month_close_days": 1.5}"#,
        ] {
            XCTAssertThrowsError(try base.overriding(with: JSON.parse(bad)), bad) { e in
                XCTAssertEqual((e as? ShopError)?.code, "rules-key", bad)
            }
        }
        XCTAssertEqual(base.json.objectValue?.first { $0.0 == "month_close_days" }?.1, .int(7))
        // Rules stored before the key existed get the preset's default.
        var old = base.json.objectValue!
        old.removeAll { $0.0 == "month_close_days" }
        XCTAssertEqual(try Rules.preset(.beidian).overriding(with: .object(old)).monthCloseDays, 7)
    }
}
