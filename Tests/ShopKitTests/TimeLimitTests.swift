import Codecs
import XCTest

@testable import ShopKit

/// SPEC §2: times are RFC 3339 with years 2000–2099 (the year as written, in the text's own
/// offset) and seconds 00–59; every accepted time computes — calendar days, months, ISO weeks and
/// both release rules — in Asia/Shanghai and in UTC, at the very edges of the range.
final class TimeLimitTests: XCTestCase {
    func refusal(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            let t = try Instant.parseRFC3339(text)
            XCTFail("\(text) accepted as \(t)", file: file, line: line)
            return nil
        } catch let e as ShopError {
            XCTAssertEqual(e.code, "bad-time", file: file, line: line)
            XCTAssertEqual(e.kind, .usage, file: file, line: line)
            return e.message.en
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return nil
        }
    }

    func testYearsOutside2000Through2099AreRefused() {
        for text in [
            "1999-12-31T23:59:59Z", "1999-12-31T23:59:59-12:00", "2100-01-01T00:00:00Z", "2100-01-01T00:00:00+14:00",
            "0001-01-01T00:00:00+14:00", "0000-01-01T00:00:00Z", "9999-12-01T00:00:00+08:00", "9999-12-31T23:59:59-23:59",
            "1970-01-01T00:00:00Z", "1988-07-01T12:00:00Z",
        ] {
            XCTAssertEqual(refusal(text).map { $0.contains("the year must be from 2000 to 2099") }, true, text)
        }
    }

    func testTheYearIsTheWrittenOne() throws {
        // 2000-01-01T00:00:00+14:00 is 1999-12-31T10:00:00Z: accepted, the text says 2000.
        let first = try Instant.parseRFC3339("2000-01-01T00:00:00+14:00")
        XCTAssertEqual(first.rfc3339(in: .utc), "1999-12-31T10:00:00Z")
        XCTAssertEqual(first.rfc3339(offset: 14 * 3600), "2000-01-01T00:00:00+14:00")
        // 2099-12-31T23:59:59-12:00 is 2100-01-01T11:59:59Z and 19:59:59 in Shanghai.
        let last = try Instant.parseRFC3339("2099-12-31T23:59:59-12:00")
        XCTAssertEqual(last.rfc3339(in: .shanghai), "2100-01-01T19:59:59+08:00")
        XCTAssertEqual(last.rfc3339(offset: -12 * 3600), "2099-12-31T23:59:59-12:00")
        XCTAssertNoThrow(try Instant.parseRFC3339("2000-01-01T00:00:00Z"))
        XCTAssertNoThrow(try Instant.parseRFC3339("2099-12-31T23:59:59Z"))
        XCTAssertNoThrow(try Instant.parseRFC3339("2000-01-01T00:00:00+23:59"))
        XCTAssertNoThrow(try Instant.parseRFC3339("2099-12-31T23:59:59-23:59"))
        XCTAssertTrue(Instant.range.contains(try Instant.parseRFC3339("2000-01-01T00:00:00+23:59")))
        XCTAssertTrue(Instant.range.contains(try Instant.parseRFC3339("2099-12-31T23:59:59-23:59")))
        XCTAssertEqual(Instant.range.lowerBound, try Instant.parseRFC3339("2000-01-01T00:00:00+23:59"))
        XCTAssertEqual(Instant.range.upperBound, try Instant.parseRFC3339("2099-12-31T23:59:59-23:59"))
    }

    func testSecondSixtyAndOtherImpossibleFieldsAreRefused() {
        XCTAssertEqual(refusal("2024-12-31T23:59:60Z").map { $0.contains("seconds must be 00–59") }, true)
        XCTAssertEqual(refusal("2026-06-30T23:59:60+08:00").map { $0.contains("no leap second") }, true)
        for text in [
            "2026-00-10T00:00:00Z", "2026-13-10T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-32T00:00:00Z", "2026-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z", "2026-01-01T00:00:61Z",
            "2026-01-01T00:00:00+24:00", "2026-01-01T00:00:00-00:60", "2026-01-01T00:00:00+99:99",
        ] {
            XCTAssertNotNil(refusal(text), text)
        }
        XCTAssertNoThrow(try Instant.parseRFC3339("2000-02-29T00:00:00Z"))
        XCTAssertNoThrow(try Instant.parseRFC3339("2096-02-29T12:00:00+08:00"))
    }

    /// Every calendar function at the edges of the range, in Shanghai, UTC and far-off zones.
    func testCalendarFunctionsComputeAtTheEdges() throws {
        let edges = [
            "2000-01-01T00:00:00+14:00", "2000-01-01T00:00:00+23:59", "2000-01-01T00:00:00Z", "2099-12-31T23:59:59-12:00",
            "2099-12-31T23:59:59-23:59", "2099-12-31T23:59:59+14:00", "2099-12-31T16:00:00Z", "2099-12-31T15:59:59Z",
        ]
        let zones: [Zone] = [.shanghai, .utc] + ["Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York"].compactMap(Zone.init)
        for text in edges {
            let t = try Instant.parseRFC3339(text)
            for zone in zones {
                let d = zone.civilDate(of: t)
                XCTAssertTrue((1999...2100).contains(d.year), "\(text) in \(zone.identifier): \(d)")
                XCTAssertTrue((0...23).contains(zone.hour(of: t)))
                // Shown in a zone, an edge time may read 1999-12-31 or 2100-01-01 (and then is not
                // accepted back); within the years it parses back to itself.
                let shown = t.rfc3339(in: zone)
                if Instant.years.contains(d.year) { XCTAssertEqual(try Instant.parseRFC3339(shown), t, shown) }
                for g in ReportGrouping.allCases { XCTAssertFalse(g.key(of: d).isEmpty) }
                let m = MonthIndex(d)
                XCTAssertEqual(m.firstDay.day, 1)
                XCTAssertEqual(m.next.firstDay, d.firstOfMonth(adding: 1))
                XCTAssertEqual(m.previous.firstDay, d.firstOfMonth(adding: -1))
                XCTAssertEqual(zone.civilDate(of: zone.instant(of: d, hour: 23)), d)
                for settlement in [Settlement.monthly(day: 28), .monthly(day: 1), .afterDays(Settlement.maxDays), .afterDays(0)] {
                    var rules = Rules.preset(.taoxiaopu)
                    rules.settlement = settlement
                    let r = rules.settlement.releaseTime(confirmedAt: t, zone: zone)
                    XCTAssertGreaterThanOrEqual(r, t)
                    _ = r.rfc3339(in: zone)
                }
            }
        }
        // Monthly settlement of a December 2099 confirmation: day 20 of January 2100.
        var monthly = Rules.preset(.taoxiaopu)
        monthly.settlement = .monthly(day: 20)
        XCTAssertEqual(
            monthly.settlement.releaseTime(confirmedAt: try Instant.parseRFC3339("2099-12-31T23:59:59-12:00"), zone: .shanghai)
                .rfc3339(in: .shanghai), "2100-02-20T00:00:00+08:00")
        XCTAssertEqual(
            monthly.settlement.releaseTime(confirmedAt: try Instant.parseRFC3339("2099-12-15T12:00:00+08:00"), zone: .shanghai)
                .rfc3339(in: .shanghai), "2100-01-20T00:00:00+08:00")
        XCTAssertEqual(ReportGrouping.week.key(of: CivilDate(year: 2100, month: 1, day: 1)!), "2099-W53")
        XCTAssertEqual(ReportGrouping.week.key(of: CivilDate(year: 1999, month: 12, day: 31)!), "1999-W52")
    }

    /// Values outside the calendar (a damaged store) compute without trapping.
    func testCalendarFunctionsNeverTrapOnExtremeInstants() {
        for s: Int64 in [
            Int64.min, Int64.min / 2, -(1 << 50), -62_135_596_800 - 86_400, 253_402_300_800, 1 << 50, Int64.max / 2, Int64.max,
        ] {
            let t = Instant(seconds: s)
            for zone in [Zone.shanghai, .utc] {
                let d = zone.civilDate(of: t)
                _ = d.description
                _ = MonthIndex(d).firstDay
                _ = MonthIndex(d).next.firstDay.description
                _ = d.firstOfMonth(adding: 1).day(20)
                _ = zone.hour(of: t)
                _ = t.rfc3339(in: zone)
                for g in ReportGrouping.allCases { _ = g.key(of: d) }
                _ = Rules.preset(.taoxiaopu).settlement.releaseTime(confirmedAt: t, zone: zone)
                _ = Rules.preset(.beidian).settlement.releaseTime(confirmedAt: t, zone: zone)
            }
            _ = t.adding(days: Int.max)
            _ = t.adding(days: Int.min)
            _ = t.adding(seconds: Int64.max)
        }
        XCTAssertEqual(MonthIndex(-1).firstDay.month, 12)
    }

    func testPeriodsAndDatesAreLimitedTo2000Through2099() throws {
        for bad in [
            "1999", "2100", "0001", "9999", "1999-12", "2100-01", "1999-12-31", "2100-01-01", "1999..2026", "2026..2100", "9999-12",
        ] {
            XCTAssertThrowsError(try ReportPeriod.parse(bad), bad) { e in
                XCTAssertEqual((e as? ShopError)?.code, "bad-argument")
                XCTAssertTrue((e as? ShopError)?.message.en.contains("2000–2099") == true, "\(e)")
            }
        }
        let all = try ReportPeriod.parse("2000..2099")
        XCTAssertEqual(all.start.description, "2000-01-01")
        XCTAssertEqual(all.end.description, "2100-01-01")
        XCTAssertEqual(try ReportPeriod.parse("2099-12").end.description, "2100-01-01")
        XCTAssertEqual(try ReportPeriod.parse("2099-12-31").end.description, "2100-01-01")
        XCTAssertNil(CivilDate.parse("1999-12-31"))
        XCTAssertNil(CivilDate.parse("2100-01-01"))
        XCTAssertNotNil(CivilDate.parse("2000-01-01"))
        XCTAssertNotNil(CivilDate.parse("2099-12-31"))
    }

    /// Rules files cannot hold amounts or day counts whose arithmetic could overflow.
    func testRulesBoundDaysAndAmounts() {
        func refused(_ json: String) -> String? {
            do {
                _ = try Rules.preset(.yunji).overriding(with: try JSON.parse(json))
                return nil
            } catch let e as ShopError { return e.code } catch { return "\(error)" }
        }
        XCTAssertNotNil(refused(#"{"settlement":{"mode":"after_days","days":9223372036854775807}}"#))
        XCTAssertNotNil(refused(#"{"settlement":{"mode":"after_days","days":3651}}"#))
        XCTAssertNil(refused(#"{"settlement":{"mode":"after_days","days":3650}}"#))
        XCTAssertNotNil(refused(#"{"withdraw_min_fen":9223372036854775807}"#))
        XCTAssertNotNil(refused(#"{"volume_rewards":[{"min_month_gmv_fen":1,"reward_fen":100000000001}]}"#))
        XCTAssertNil(refused(#"{"volume_rewards":[{"min_month_gmv_fen":1,"reward_fen":100000000000}]}"#))
    }

    /// The largest order computes: ¥1,000,000,000 at 100 % with a 100 % bonus.
    func testTheLargestAmountsCompute() throws {
        let amount = Money.maxInput
        let commission = try amount.applying(Rate(bp: 10_000))
        XCTAssertEqual(commission, amount)
        XCTAssertEqual(try roundHalfUp(commission.fen, times: 10_000, over: 10_000), amount.fen)
        XCTAssertThrowsError(try Money(fen: Int64.max).adding(Money(fen: 1)))
        XCTAssertThrowsError(try Money(fen: Int64.max).multiplied(by: 2))
        XCTAssertThrowsError(try roundHalfUp(Int64.max, times: 10_000, over: 10_000))
        XCTAssertEqual(OrderFeed.maxQuantity, 1_000_000)
    }
}
