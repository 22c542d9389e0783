import XCTest

@testable import Codecs

/// `RecordReader` alone: the header's checks and the records as read, in both formats.
/// (ShopKitTests' `ImportReaderCSVTests` and `ImportReaderJSONLTests` test the rows made of them.)
final class RecordReaderTests: XCTestCase {

    private func records(_ format: RecordFormat, _ text: String, required: [String] = []) throws -> [Record] {
        var reader = try RecordReader(format: format, string: text, requiredColumns: required)
        var result: [Record] = []
        while let record = try reader.next() { result.append(record) }
        return result
    }

    func testCSVRecordsFollowTheHeader() throws {
        var reader = try RecordReader(format: .csv, string: "\u{FEFF}a,b,c\n1,2,3\n4\n", requiredColumns: ["b"])
        XCTAssertEqual(reader.format, .csv)
        XCTAssertEqual(reader.columns, ["a", "b", "c"])
        XCTAssertEqual(try reader.next(), .csv(CSVRecord(line: 2, fields: ["1", "2", "3"])))
        // A record with another field count is returned as read: the caller decides.
        let short = try reader.next()
        XCTAssertEqual(short, .csv(CSVRecord(line: 3, fields: ["4"])))
        XCTAssertEqual(short?.line, 3)
        XCTAssertNil(try reader.next())
    }

    func testJSONLinesRecordsAreAnyValue() throws {
        let result = try records(.jsonl, "{\"a\":1}\n\n[1]\n\"s\"\n", required: ["a"])
        XCTAssertEqual(result.map(\.line), [1, 3, 4])
        XCTAssertEqual(result[0], .jsonl(JSONLRecord(line: 1, value: ["a": .number("1")])))
        XCTAssertEqual(result[1], .jsonl(JSONLRecord(line: 3, value: [.number("1")])))
        XCTAssertEqual(result[2], .jsonl(JSONLRecord(line: 4, value: "s")))
        XCTAssertNil(try RecordReader(format: .jsonl, string: "").columns)
    }

    func testHeaderErrorsAreCodecErrors() {
        assertInputError(
            { try self.records(.csv, "sku,name\nA1,x\n", required: ["sku", "price", "stock"]) }, code: "missing-column",
            en: ["the header (line 1) lacks the required column(s) \"price\", \"stock\"", "its columns are \"sku\", \"name\""],
            zh: ["“price”、“stock”"])
        assertInputError(
            { try self.records(.csv, "sku,price,sku\n1,2,3\n") }, code: "duplicate-column", en: ["columns 1 and 3"],
            zh: ["第 1 列和第 3 列"])
        assertInputError({ try self.records(.csv, "") }, code: "bad-csv")
        // Empty header names may repeat and are never required.
        XCTAssertNoThrow(try records(.csv, "a,,\n1,2,3\n"))
    }

    func testReaderErrorsPassThrough() {
        assertInputError({ try self.records(.jsonl, "{\"a\":1}\n{\"a\":1\n") }, code: "bad-json", en: ["line 2"])
        assertInputError({ try self.records(.csv, "a\n\"x\n") }, code: "bad-csv", en: ["line 2"])
        assertInputError({ try self.records(.csv, "a\n\u{0}\n") }, code: "not-utf8", en: ["line 2"])
    }
}
