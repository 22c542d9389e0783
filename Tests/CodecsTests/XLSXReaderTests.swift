import Foundation
import FuzzSupport
import XCTest

@testable import Codecs

/// Workbooks written by scripts/gen_xlsx.py (Python's zipfile, as Excel lays them out) at test time.
final class XLSXReaderTests: XCTestCase {
    static let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID().uuidString)")
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/gen_xlsx.py").path

    override class func setUp() {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, "fixtures", dir.path]
        try? p.run()
        p.waitUntilExit()
        let h = Process()
        h.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        h.arguments = ["python3", script, "hostile", dir.path]
        try? h.run()
        h.waitUntilExit()
    }

    override class func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func book(_ name: String, sheet: String? = nil) throws -> XLSXReader {
        let path = Self.dir.appendingPathComponent(name).path
        guard let source = FileSource(path: path) else { throw XCTSkip("python3 did not write \(name)") }
        return try XLSXReader(source: source, sheet: sheet)
    }

    private func rows(_ name: String, sheet: String? = nil) throws -> [CSVRecord] {
        var b = try book(name, sheet: sheet)
        var out: [CSVRecord] = []
        while let r = try b.next() { out.append(r) }
        return out
    }

    func testCellKinds() throws {
        var b = try book("kinds.xlsx")
        XCTAssertEqual(b.sheetNames, ["订单", "商品", "Empty"])
        XCTAssertEqual(b.sheetName, "订单")
        var out: [CSVRecord] = []
        while let r = try b.next() { out.append(r) }
        XCTAssertEqual(
            out,
            [
                CSVRecord(line: 1, fields: ["order_id", "qty", "price", "paid_at", "flag", "note", "day"]),
                CSVRecord(
                    line: 2,
                    fields: ["A1", "2", "129.5", "2026-11-04 12:00:00", "TRUE", "内联 <文本> & 更多", "2026-11-05 00:00:00"]),
                CSVRecord(line: 3, fields: ["A2", "1", "2.78394123456789E+17", "2026-11-04 23:59:59", "FALSE"]),
                CSVRecord(line: 6, fields: ["A3", "", "0.1", "", "", "#N/A"]),
                CSVRecord(line: 7, fields: ["A4", "-3", "1E-12", "1900-02-29 00:00:00", "", "A1x"]),
                CSVRecord(line: 8, fields: ["A5", "123456789012345", "12.5"]),
            ])
        XCTAssertNil(try b.next())
        XCTAssertEqual(try rows("kinds.xlsx", sheet: "商品").map(\.fields), [["product_id", "title"], ["P1", "茶"], ["P2", "  spaced  "]])
        XCTAssertEqual(try rows("kinds.xlsx", sheet: "Empty"), [])
    }

    func testAnUnknownSheetNamesTheSheets() {
        let e = assertInputErrorKind({ try self.book("kinds.xlsx", sheet: "Orders") }, code: "unknown-sheet")
        XCTAssertEqual(e?.kind, .usage)
        XCTAssertTrue(e?.message.en.contains("\"订单\", \"商品\", \"Empty\"") ?? false, e?.message.en ?? "")
        XCTAssertTrue(e?.message.zh.contains("“订单”、“商品”、“Empty”") ?? false)
    }

    func testDate1904AndXMLForms() throws {
        XCTAssertEqual(try rows("date1904.xlsx").map(\.fields), [["when"], ["1904-01-01 00:00:00"], ["2029-11-04 12:00:00"]])
        XCTAssertEqual(
            try rows("xml-forms.xlsx").map(\.fields),
            [["富文本 ", "second"], ["<a> & \"b\" 'c' 中文", "<raw & text>"]])
    }

    func testGeneral() {
        func g(_ s: String) -> String? { XLSXReader.general(Array(s.utf8)) }
        XCTAssertEqual(g("129.49999999999997"), "129.5")
        XCTAssertEqual(g("0.30000000000000004"), "0.3")
        XCTAssertEqual(g("278394123456789012"), "2.78394123456789E+17")
        XCTAssertEqual(g("2.78394123456789E+17"), "2.78394123456789E+17")
        XCTAssertEqual(g("123456789012345"), "123456789012345")
        XCTAssertEqual(g("1234567890123456"), "1.23456789012346E+15")
        XCTAssertEqual(g("1E-3"), "0.001")
        XCTAssertEqual(g("1.5E+2"), "150")
        XCTAssertEqual(g("-0.5"), "-0.5")
        XCTAssertEqual(g("12.50"), "12.5")
        XCTAssertEqual(g("0"), "0")
        XCTAssertNil(g("abc"))
        XCTAssertNil(g(""))
        XCTAssertNil(g("inf"))
    }

    func testDateFormats() {
        for code in ["yyyy\\-mm\\-dd", "m/d/yy h:mm", "[$-409]d-mmm", "hh:mm:ss", "[Red]yyyy"] {
            XCTAssertTrue(XLSXReader.isDateFormat(code), code)
        }
        for code in ["0.00", "\"¥\"#,##0.00", "General", "[Red]0", "0.00\"d\"", "\\d0", "0;[Red]-0"] {
            XCTAssertFalse(XLSXReader.isDateFormat(code), code)
        }
    }

    /// Random damage to a real workbook: refused with a codec error or read, never a crash or a hang.
    func testRandomDamageNeverCrashes() throws {
        let path = Self.dir.appendingPathComponent("kinds.xlsx").path
        guard let data = FileManager.default.contents(atPath: path) else { throw XCTSkip("no python3") }
        let bytes = Array(data)
        var generator = FuzzRandom.replayable("XLSXReaderTests.testRandomDamageNeverCrashes")
        var refused = 0
        for trial in 0..<300 {
            var mutated = bytes
            for _ in 0..<(1 + trial % 4) {
                mutated[Int.random(in: 0..<mutated.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            }
            do {
                var b = try XLSXReader(source: MemorySource(mutated), sheet: trial % 2 == 0 ? nil : "商品")
                var n = 0
                while try b.next() != nil {
                    n += 1
                    XCTAssertLessThan(n, 100)
                }
            } catch let e as CodecError {
                XCTAssertTrue(["bad-zip", "bad-xlsx", "unknown-sheet"].contains(e.code), e.code)
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 100)
    }

    func testHostileWorkbooks() throws {
        func fails(_ name: String, _ code: String, _ en: [String]) {
            do {
                var b = try book(name)
                while try b.next() != nil {}
                XCTFail("\(name) was read")
            } catch let e as CodecError {
                XCTAssertEqual(e.code, code, "\(name): \(e.message.en)")
                for part in en { XCTAssertTrue(e.message.en.contains(part), "\(name): \(e.message.en) lacks \(part)") }
            } catch { XCTFail("\(name): \(error)") }
        }
        let started = Date()
        fails("orders-zip-bomb.xlsx", "bad-zip", ["xl/worksheets/sheet1.xml", "2000 bytes"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
        fails("orders-truncated-directory.xlsx", "bad-zip", ["central directory"])
        fails("orders-bad-crc.xlsx", "bad-zip", ["CRC-32"])
        fails("orders-missing-shared-string.xlsx", "bad-xlsx", ["line 2, column 3 (C2)", "shared string 7", "has 2"])
        fails("orders-too-many-cells.xlsx", "bad-xlsx", ["line 2, column 16385", "XFD"])
        fails("orders-overlong-cell.xlsx", "bad-xlsx", ["line 2", "131072 bytes"])
        fails("orders-huge-row.xlsx", "bad-xlsx", ["line 2, column 168", "16777216 bytes"])
        fails("orders-doctype-entities.xlsx", "bad-xlsx", ["xl/sharedStrings.xml", "line 1", "DOCTYPE"])
        fails("orders-legacy.xls", "bad-zip", [])
    }
}

/// Like `assertInputError`, for any kind.
@discardableResult
func assertInputErrorKind<T>(_ body: () throws -> T, code: String, file: StaticString = #filePath, line: UInt = #line) -> CodecError? {
    do {
        _ = try body()
        XCTFail("expected \(code)", file: file, line: line)
    } catch let e as CodecError {
        XCTAssertEqual(e.code, code, e.message.en, file: file, line: line)
        return e
    } catch { XCTFail("\(error)", file: file, line: line) }
    return nil
}
