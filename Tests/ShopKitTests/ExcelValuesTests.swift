import XCTest

@testable import ShopKit

/// Values as Excel and the platforms' back offices leave them (SPEC §7).
final class ExcelValuesTests: XCTestCase {
    private func row(_ values: [String: String], zone: Zone? = .shanghai, format: TimeFormat? = nil) -> RowFields {
        RowFields(ImportRow(line: 2, values: values, rules: ReadingRules(zone: zone, timeFormat: format)))
    }

    private func instant(_ text: String, zone: Zone? = .shanghai, format: TimeFormat? = nil) throws -> String {
        try row(["t": text], zone: zone, format: format).instant("t").rfc3339(in: zone ?? .utc)
    }

    func testZonelessLayoutsAreInTheStoresZone() throws {
        XCTAssertEqual(try instant("2026-11-04 12:00:00"), "2026-11-04T12:00:00+08:00")
        XCTAssertEqual(try instant("2026/11/4 12:00"), "2026-11-04T12:00:00+08:00")
        XCTAssertEqual(try instant("2026-11-04 12:00"), "2026-11-04T12:00:00+08:00")
        XCTAssertEqual(try instant("2026/11/04 12:00:00"), "2026-11-04T12:00:00+08:00")
        XCTAssertEqual(try instant("2026/1/4 9:05"), "2026-01-04T09:05:00+08:00")
        XCTAssertEqual(try instant(" 2026-11-04 12:00:00\t"), "2026-11-04T12:00:00+08:00")
        // A time with an offset keeps it.
        XCTAssertEqual(try instant("2026-11-04T12:00:00Z"), "2026-11-04T20:00:00+08:00")
        let ny = try XCTUnwrap(Zone(identifier: "America/New_York"))
        XCTAssertEqual(try instant("2026-07-04 12:00:00", zone: ny), "2026-07-04T12:00:00-04:00")
        XCTAssertEqual(try instant("2026-12-04 12:00:00", zone: ny), "2026-12-04T12:00:00-05:00")
    }

    func testZonelessTimesStillFollowTheRules() {
        for (text, why) in [
            ("1999-12-31 23:59:59", "the year must be from 2000 to 2099"), ("2100-01-01 00:00", "the year must be from 2000 to 2099"),
            ("2026-02-30 12:00", "no such date or time"), ("2026-11-04 24:00", "no such date or time"),
            ("2026-11-04 12:00:60", "seconds must be 00–59"), ("2026-11-04T12:00:00", "a time zone is required"),
            ("2026-11-04 12:0", "is not a time; accepted: RFC 3339 with a zone"),
            ("2026-11-04", "is not a time; accepted: RFC 3339 with a zone"),
        ] {
            XCTAssertThrowsError(try instant(text), text) { e in
                XCTAssertEqual((e as? RowProblem)?.code, "bad-value", text)
                XCTAssertTrue((e as? RowProblem)?.message.en.contains(why) ?? false, "\(text): \(e)")
            }
        }
        // Without a zone (no store), a zone-less time is refused as before.
        XCTAssertThrowsError(try instant("2026-11-04 12:00:00", zone: nil))
    }

    /// The shortcut for zone-less times (read in the store's zone before RFC 3339 is tried) takes
    /// only texts that name no zone; a time with an offset or `Z` is RFC 3339's, whatever a map's
    /// time_format says.
    func testOnlyTextsWithoutAZoneTakeTheLocalPath() throws {
        for text in ["2026-11-04T12:00:00Z", "2026-11-04 12:00:00z", "2026-11-04T12:00:00+08:00", "2026-11-04T12:00:00.5-05:00"] {
            XCTAssertTrue(RowFields.namesAZone(text), text)
        }
        for text in ["2026-11-04 12:00:00", "2026/11/4 12:00", "2026-11-04T12:00:00", "20261104", ""] {
            XCTAssertFalse(RowFields.namesAZone(text), text)
        }
        let format = try XCTUnwrap(TimeFormat("dd.MM.yyyy HH:mm"))
        XCTAssertEqual(try instant("2026-11-04T12:00:00-05:00", format: format), "2026-11-05T01:00:00+08:00")
        XCTAssertEqual(try instant("04.11.2026 12:00", format: format), "2026-11-04T12:00:00+08:00")
        XCTAssertEqual(try instant("2026-11-04 12:00:00Z"), "2026-11-04T20:00:00+08:00")
    }

    func testMapTimeFormat() throws {
        let f = try XCTUnwrap(TimeFormat("dd.MM.yyyy HH:mm"))
        XCTAssertEqual(try instant("04.11.2026 12:00", format: f), "2026-11-04T12:00:00+08:00")
        // The built-in layouts are still read beside the map's.
        XCTAssertEqual(try instant("2026/11/4 12:00", format: f), "2026-11-04T12:00:00+08:00")
        XCTAssertThrowsError(try instant("04.11.26 12:00", format: f))
        XCTAssertThrowsError(try instant("31.11.2026 12:00", format: f))
        let g = try XCTUnwrap(TimeFormat("yyyy年M月d日 H:mm"))
        XCTAssertEqual(try instant("2026年11月4日 9:30", format: g), "2026-11-04T09:30:00+08:00")
        XCTAssertNil(TimeFormat("yyyy-MM-dd"))  // no hour and minute
        XCTAssertNil(TimeFormat("yy-MM-dd HH:mm"))
        XCTAssertNil(TimeFormat("yyyy-MM-dd hh:mm a"))
    }

    func testIDsKeepTheirTextWithoutExcelsMarkers() throws {
        XCTAssertEqual(try row(["id": "\t2783941234567890123"]).id("id"), "2783941234567890123")
        XCTAssertEqual(try row(["id": "'2783941234567890123"]).id("id"), "2783941234567890123")
        XCTAssertEqual(try row(["id": "O1001"]).id("id"), "O1001")
        XCTAssertEqual(try row(["id": "1E5X"]).id("id"), "1E5X")
        XCTAssertThrowsError(try row(["id": "'"]).id("id"))
    }

    func testScientificNotationIDsAreRefusedSayingWhatExcelDid() {
        for text in ["1.23457E+17", "1.23457e17", "2.78394E+18", "1E+17", "\t1.23457E+17", "1.2E-05"] {
            XCTAssertThrowsError(try row(["order_id": text]).id("order_id"), text) { e in
                let p = e as? RowProblem
                XCTAssertEqual(p?.code, "bad-value")
                XCTAssertTrue(p?.message.en.contains("Excel turned this id into a number in scientific notation") ?? false, "\(e)")
                XCTAssertTrue(p?.message.en.contains("format the column as text before exporting") ?? false)
                XCTAssertTrue(p?.message.en.contains("order_id") ?? false)
                XCTAssertTrue(p?.message.zh.contains("科学计数法") ?? false)
            }
        }
    }

    func testAmountsWithYuanSignsAndThousandsSeparators() throws {
        for (text, fen) in [
            ("¥1,234.50", 123_450), ("￥1,234.50", 123_450), ("1,234.50", 123_450), ("¥12", 1200), ("￥0.5", 50),
            ("1,234,567", 123_456_700), ("¥999.00", 99_900), (" ¥1,234.50 ", 123_450),
        ] {
            XCTAssertEqual(try row(["m": text]).money("m"), Money(fen: Int64(fen)), text)
        }
        for text in ["¥1,23.50", "1,2345.00", ",123.00", "¥", "1,234,56", "¥1,234.505", "¥¥1", "12,34"] {
            XCTAssertThrowsError(try row(["m": text]).money("m"), text) { e in
                XCTAssertEqual((e as? RowProblem)?.code, "bad-value", text)
            }
        }
        XCTAssertThrowsError(try row(["m": "¥0.00"]).money("m", allowZero: false))
    }

    func testRatesWithASpaceBeforeThePercentSign() throws {
        XCTAssertEqual(try row(["r": "20.00 %"]).rate("r"), try Rate.parse("20"))
        XCTAssertEqual(try row(["r": "20.00%"]).rate("r"), try Rate.parse("20"))
        XCTAssertEqual(try row(["r": "6 ％"]).rate("r"), try Rate.parse("6"))
    }

    func testStatusWords() throws {
        let rules = ImportMap().rules(feed: .orders, zone: .shanghai)
        func status(_ s: String, _ r: ReadingRules? = nil) -> String {
            RowFields(ImportRow(line: 2, values: ["status": s], rules: r ?? rules)).word(
                "status", builtin: ImportMap.builtinOrderStatusIndex)
        }
        XCTAssertEqual(status("已付款"), "paid")
        XCTAssertEqual(status("待发货"), "paid")
        XCTAssertEqual(status("已发货"), "shipped")
        XCTAssertEqual(status("交易成功"), "confirmed")
        XCTAssertEqual(status("已退款"), "refunded")
        XCTAssertEqual(status("交易关闭"), "refunded")
        XCTAssertEqual(status("Paid"), "paid")
        XCTAssertEqual(status("订单付款"), "订单付款")
        var map = ImportMap()
        map.values["status"] = ["订单付款": "paid", "已付款": "shipped", "Done": "confirmed"]
        XCTAssertEqual(status("订单付款", map.rules(feed: .orders, zone: nil)), "paid")
        XCTAssertEqual(status("已付款", map.rules(feed: .orders, zone: nil)), "shipped")
        // Words of ASCII letters are shopctl's own, whatever the map says.
        XCTAssertEqual(status("Done", map.rules(feed: .orders, zone: nil)), "done")
    }

    /// Random texts from the characters these readers look at: every one is read or refused with a
    /// `RowProblem`, never a crash, and an accepted time is in the accepted range.
    func testRandomTextsAreReadOrRefused() throws {
        let alphabet = Array("0123456789-/: ,.¥￥Ee+'\t年月日TZ%％")
        var rng = SplitMix64(seed: 15)
        let formats = ["yyyy-MM-dd HH:mm:ss", "d/M/yyyy H:mm", "yyyy年M月d日 H:mm"].compactMap(TimeFormat.init)
        for trial in 0..<20_000 {
            let n = Int(rng.next() % 24)
            let text = String((0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            let f = row(["v": text], format: trial % 4 == 0 ? nil : formats[trial % 3])
            if let t = try? f.instant("v") { XCTAssertTrue(Instant.range.contains(t), text) }
            _ = try? f.money("v")
            _ = try? f.rate("v")
            _ = try? f.id("v")
            _ = TimeFormat(text)
        }
    }

    /// Random dates and times in the built-in layouts: accepted exactly when they are real and in
    /// 2000–2099, and then the same instant as the RFC 3339 text at +08:00.
    func testRandomZonelessTimesMatchTheirRFC3339Form() throws {
        var rng = SplitMix64(seed: 1504)
        func pick(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(rng.next() % UInt64(r.count)) }
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        for _ in 0..<20_000 {
            let (y, mo, d, h, mi, sec) = (pick(1995...2105), pick(0...13), pick(0...32), pick(0...24), pick(0...60), pick(0...60))
            let sep = pick(0...1) == 0 ? "-" : "/"
            let short = pick(0...1) == 0
            let withSeconds = pick(0...1) == 0
            let text =
                "\(y)\(sep)\(short ? "\(mo)" : two(mo))\(sep)\(short ? "\(d)" : two(d)) \(short ? "\(h)" : two(h)):\(two(mi))"
                + (withSeconds ? ":\(two(sec))" : "")
            let valid =
                (2000...2099).contains(y) && CivilDate(year: y, month: mo, day: d) != nil && h < 24 && mi < 60
                && (!withSeconds || sec < 60)
            let rfc = "\(y)-\(two(mo))-\(two(d))T\(two(h)):\(two(mi)):\(withSeconds ? two(sec) : "00")+08:00"
            if valid {
                XCTAssertEqual(try row(["t": text]).instant("t"), try Instant.parseRFC3339(rfc), text)
            } else {
                XCTAssertThrowsError(try row(["t": text]).instant("t"), text)
            }
        }
    }
}
