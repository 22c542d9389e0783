import Foundation
import FuzzSupport
import XCTest

@testable import ShopKit

/// Seeded fuzzing of the time parsers (`Instant.parseRFC3339`, `ReportPeriod.parse`,
/// `CivilDate.parse`) and of every calendar function on what they accept, with the
/// configuration of `FuzzTests` (`SHOPCTL_FUZZ_SECONDS`, `SHOPCTL_FUZZ_SEED`,
/// `SHOPCTL_FUZZ_ITERATIONS`; the seed is printed first).
///
/// Inputs: times built field by field around the edges (years 1990–2110 and 0001/9999, months
/// 0–13, days 0–32, hours 0–24, minutes and seconds 0–61, offsets up to ±25:60, fractions, `Z`,
/// `t`, a space), the same mutated byte by byte (`Mutator`), and periods (`YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`, `A..B`) built and mutated the same way. Properties:
/// - nothing traps; a refusal is a `.usage` `ShopError` (`bad-time`, `bad-argument`) with an
///   English and a Chinese message;
/// - `parseRFC3339` accepts exactly what `FuzzOracle.time` accepts; an accepted time's written
///   year is 2000–2099, it lies in `Instant.range`, shown at its own offset it gives back the
///   fields as written, and that text parses to the same instant;
/// - on an accepted instant, local dates, hours, months (`MonthIndex`, `firstOfMonth`, `day`),
///   ISO weeks, `CivilDate` arithmetic, `Zone.instant(of:)` and both release rules compute in
///   Asia/Shanghai, UTC, +14:00 and −12:00, and every year they give is 1999–2100;
/// - an accepted period starts on or after 2000-01-01 and ends by 2100-01-01, after it starts.
final class TimeFuzzTests: XCTestCase {
    static let zones: [Zone] = [.shanghai, .utc] + ["Etc/GMT-14", "Etc/GMT+12", "America/New_York"].compactMap(Zone.init)

    func testTimeParsersAndCalendarNeverTrap() {
        let config = FuzzConfig.current
        let seconds = config.seconds * 0.5
        let seed = config.seed ^ FuzzRandom.hash("time-calendar")
        print(
            "TimeFuzzTests: seed \(config.seed), \(String(format: "%.1f", seconds)) s, at most \(config.iterations) inputs "
                + "(replay: SHOPCTL_FUZZ_SEED=\(config.seed))")
        var failures = 0
        var accepted = 0
        var refused = 0
        var periods = 0
        var count = 0
        let start = Date()
        let minimum = 3000
        while count < max(config.iterations, minimum), count < minimum || Date().timeIntervalSince(start) < seconds {
            var rng = FuzzRandom(seed: seed &+ UInt64(count) &* 0xD1B5_4A32_D192_ED03)
            let index = count
            func report(_ problem: String, _ input: String) {
                failures += 1
                guard failures <= 5 else { return }
                XCTFail("time input #\(index) (SHOPCTL_FUZZ_SEED=\(config.seed)): \(problem)\n  input: \(input.debugDescription)")
            }
            if rng.chance(0.75) {
                var text = Self.time(&rng)
                if rng.chance(0.35) {
                    text = String(decoding: Mutator.mutate(Array(text.utf8), &rng, splice: FuzzSamples.time), as: UTF8.self)
                }
                if Self.checkTime(text, &rng, { report($0, text) }) { accepted += 1 } else { refused += 1 }
            } else {
                var text = Self.period(&rng)
                if rng.chance(0.3) {
                    text = String(decoding: Mutator.mutate(Array(text.utf8), &rng, splice: Self.periodSplices), as: UTF8.self)
                }
                if Self.checkPeriod(text, { report($0, text) }) { periods += 1 }
            }
            count += 1
            if failures > 5 { break }
        }
        print(
            "TimeFuzzTests: \(count) inputs in \(String(format: "%.2f", Date().timeIntervalSince(start))) s: \(accepted) times accepted, "
                + "\(refused) refused, \(periods) periods accepted, \(failures) failure(s)")
        XCTAssertGreaterThan(accepted, 0)
        XCTAssertGreaterThan(refused, 0)
        XCTAssertGreaterThan(periods, 0)
    }

    // MARK: - Inputs

    static func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }

    static func year(_ rng: inout FuzzRandom) -> Int {
        rng.chance(0.6) ? rng.pick([1999, 2000, 2001, 2098, 2099, 2100]) : rng.chance(0.9) ? rng.int(1990...2110) : rng.pick([1, 9999, 0])
    }

    static func time(_ rng: inout FuzzRandom) -> String {
        let y = year(&rng)
        let edgy = rng.chance(0.5)
        let mo = edgy ? rng.pick([1, 12, 2]) : rng.int(0...13)
        let d = edgy ? rng.pick([1, 28, 29, 30, 31]) : rng.int(0...32)
        let h = edgy ? rng.pick([0, 23]) : rng.int(0...24)
        let mi = edgy ? rng.pick([0, 59]) : rng.int(0...60)
        let s = edgy ? rng.pick([0, 59, 60]) : rng.int(0...61)
        let sep = rng.chance(0.9) ? "T" : rng.pick(["t", " "])
        var text = "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))\(sep)\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))"
        if rng.chance(0.2) { text += "." + String(repeating: "9", count: rng.int(1...12)) }
        switch rng.int(0...9) {
        case 0: text += rng.pick(["Z", "z"])
        case 1: break
        default:
            let oh = rng.chance(0.6) ? rng.pick([14, 12, 23, 0, 8]) : rng.int(0...25)
            let om = rng.chance(0.7) ? rng.pick([0, 59, 30]) : rng.int(0...60)
            text += rng.pick(["+", "-"]) + pad(oh, 2) + ":" + pad(om, 2)
        }
        return text
    }

    static let periodSplices = ["2000", "2099-12", "2100-01-01", "..", "1999-12-31", "-", "0"].map { Array($0.utf8) }

    static func period(_ rng: inout FuzzRandom) -> String {
        func one(_ rng: inout FuzzRandom) -> String {
            let y = pad(year(&rng), 4)
            switch rng.int(0...2) {
            case 0: return y
            case 1: return y + "-" + pad(rng.int(0...13), 2)
            default: return y + "-" + pad(rng.int(0...13), 2) + "-" + pad(rng.int(0...32), 2)
            }
        }
        return rng.chance(0.3) ? one(&rng) + ".." + one(&rng) : one(&rng)
    }

    // MARK: - Properties

    /// Whether `text` was accepted; every property of an accepted time is checked.
    static func checkTime(_ text: String, _ rng: inout FuzzRandom, _ report: (String) -> Void) -> Bool {
        let expected = FuzzOracle.time(text)
        let t: Instant
        do {
            t = try Instant.parseRFC3339(text)
        } catch let e as ShopError {
            if e.kind != .usage || e.code != "bad-time" || e.message.en.isEmpty || e.message.zh.isEmpty { report("refused with \(e)") }
            if expected != nil { report("refused: \(e.message.en)") }
            if let y = Int(text.prefix(4)), text.count >= 19, !Instant.years.contains(y), !e.message.en.contains("2000 to 2099"),
                text.utf8.count == text.count, text.prefix(4).allSatisfy(\.isASCIIDigit),
                FuzzOracle.time(
                    text.replacingCharacters(
                        in: text.startIndex..<text.index(text.startIndex, offsetBy: 4), with: "2026")) != nil
            {
                report("a year outside 2000–2099 refused for another reason: \(e.message.en)")
            }
            _ = CivilDate.parse(String(text.prefix(10)))
            return false
        } catch {
            report("threw \(type(of: error)): \(error)")
            return false
        }
        guard let expected else {
            report("accepted as \(t)")
            return true
        }
        if !Instant.years.contains(expected.year) { report("accepted the year \(expected.year)") }
        if !Instant.range.contains(t) { report("\(t) is outside Instant.range") }
        let back = t.rfc3339(offset: expected.offset)
        if !back.hasPrefix(expected.localFields) { report("shown at its offset as \(back), written \(expected.localFields)") }
        if (try? Instant.parseRFC3339(back)) != t { report("\(back) does not parse back to \(t)") }
        checkCalendar(t, &rng, report)
        return true
    }

    static func checkCalendar(_ t: Instant, _ rng: inout FuzzRandom, _ report: (String) -> Void) {
        for zone in zones {
            let d = zone.civilDate(of: t)
            if !(1999...2100).contains(d.year) { report("\(t) is in \(d.year) in \(zone.identifier)") }
            if !(0...23).contains(zone.hour(of: t)) { report("hour \(zone.hour(of: t)) in \(zone.identifier)") }
            let shown = t.rfc3339(in: zone)
            if Instant.years.contains(Int(shown.prefix(4)) ?? 0), (try? Instant.parseRFC3339(shown)) != t {
                report("\(shown) does not parse back")
            }
            if zone.civilDate(of: zone.instant(of: d, hour: rng.int(0...23))) != d { report("instant(of: \(d)) is not on \(d)") }
            let m = MonthIndex(d)
            if m.firstDay != d.firstOfMonth() || m.next.firstDay != d.firstOfMonth(adding: 1)
                || m.previous.firstDay != d.firstOfMonth(adding: -1)
            {
                report("months of \(d) disagree")
            }
            let months = rng.int(-30...30)
            let moved = d.firstOfMonth(adding: months)
            if MonthIndex(moved).value != m.value + months || moved.day != 1 { report("\(d) + \(months) months is \(moved)") }
            let day = rng.int(1...31)
            let dayOf = moved.day(day)
            if dayOf.month != moved.month || dayOf.day > day || CivilDate(year: dayOf.year, month: dayOf.month, day: dayOf.day) == nil {
                report("day \(day) of \(moved) is \(dayOf)")
            }
            let n = rng.int(-800...800)
            if d.adding(days: n).daysSinceEpoch != d.daysSinceEpoch + n || d.adding(days: n).adding(days: -n) != d {
                report("\(d) ± \(n) days")
            }
            for g in ReportGrouping.allCases where g.key(of: d).isEmpty { report("empty \(g) key of \(d)") }
            let week = ReportGrouping.week.key(of: d)
            if let w = Int(week.suffix(2)), !(1...53).contains(w) { report("week key \(week) of \(d)") }
            _ = d.isoWeekday
            var rules = Rules.preset(.taoxiaopu)
            rules.settlement = .monthly(day: rng.int(1...28))
            let monthly = rules.settlement.releaseTime(confirmedAt: t, zone: zone)
            if monthly <= t || zone.civilDate(of: monthly).firstOfMonth() != d.firstOfMonth(adding: 1) {
                report("monthly release of \(t) in \(zone.identifier) is \(monthly)")
            }
            let days = rng.chance(0.3) ? Settlement.maxDays : rng.int(0...Settlement.maxDays)
            rules.settlement = .afterDays(days)
            let after = rules.settlement.releaseTime(confirmedAt: t, zone: zone)
            if after.seconds - t.seconds != Int64(days) * 86_400 { report("release \(days) days after \(t) is \(after)") }
            _ = after.rfc3339(in: zone)
            _ = zone.civilDate(of: after).description
        }
    }

    /// Whether `text` was accepted as a period; its bounds are checked.
    static func checkPeriod(_ text: String, _ report: (String) -> Void) -> Bool {
        do {
            let p = try ReportPeriod.parse(text)
            if !(p.start < p.end) { report("period \(p.start)..<\(p.end)") }
            if !Instant.years.contains(p.start.year) || p.end > CivilDate(year: 2100, month: 1, day: 1)! {
                report("period \(p.start)..<\(p.end) outside 2000–2099")
            }
            for zone in zones {
                _ = zone.instant(of: p.start).rfc3339(in: zone)
                _ = zone.instant(of: p.end).rfc3339(in: zone)
            }
            _ = CivilDate.parse(text).map { $0.firstOfMonth(adding: 1) }
            return true
        } catch let e as ShopError {
            if e.kind != .usage || e.code != "bad-argument" || e.message.en.isEmpty || e.message.zh.isEmpty { report("refused with \(e)") }
            if let d = CivilDate.parse(text) { report("\(d) is a date but not a period") }
            return false
        } catch {
            report("threw \(error)")
            return false
        }
    }
}
