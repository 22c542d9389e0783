import XCTest

@testable import Codecs

final class JSONLReaderTests: XCTestCase {

    // MARK: - Helpers

    private func records(
        _ bytes: [UInt8], chunkSize: Int = 64 * 1024,
        maxLineBytes: Int = JSONLReader.defaultMaxLineBytes
    ) throws -> [JSONLRecord] {
        var reader = JSONLReader(
            bytes: bytes, chunkSize: chunkSize, maxLineBytes: maxLineBytes,
            fileName: "orders.jsonl")
        var result: [JSONLRecord] = []
        while let record = try reader.next() { result.append(record) }
        return result
    }

    private func records(_ text: String, chunkSize: Int = 64 * 1024) throws -> [JSONLRecord] {
        try records(Array(text.utf8), chunkSize: chunkSize)
    }

    private func expectError(
        _ bytes: [UInt8], code: String, en: [String] = [], zh: [String] = [],
        maxLineBytes: Int = JSONLReader.defaultMaxLineBytes,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        assertInputError({ try records(bytes, maxLineBytes: maxLineBytes) }, code: code, en: en, zh: zh, file: file, line: line)
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func utf16(_ text: String, bigEndian: Bool) -> [UInt8] { utf16Bytes(text, bigEndian: bigEndian) }

    // MARK: - Lines

    func testOneValuePerLine() throws {
        let result = try records("{\"sku\":\"A1\",\"price\":129.50}\n{\"sku\":\"A2\"}\n")
        XCTAssertEqual(
            result,
            [
                JSONLRecord(line: 1, value: ["sku": "A1", "price": .number("129.50")]),
                JSONLRecord(line: 2, value: ["sku": "A2"]),
            ])
    }

    func testBlankLinesAreSkippedButCounted() throws {
        let result = try records("\n{\"a\":1}\n\n   \n\t\r\n{\"a\":2}\n\n")
        XCTAssertEqual(result.map(\.line), [2, 6])
    }

    func testCRLFAndBOM() throws {
        let result = try records(TextEncoding.utf8BOM + bytes("{\"名称\":\"绿茶\"}\r\n{\"名称\":\"红茶\"}\r\n"))
        XCTAssertEqual(
            result,
            [
                JSONLRecord(line: 1, value: ["名称": "绿茶"]),
                JSONLRecord(line: 2, value: ["名称": "红茶"]),
            ])
    }

    func testLastLineWithoutNewline() throws {
        XCTAssertEqual(try records("{\"a\":1}\n{\"a\":2}").last, JSONLRecord(line: 2, value: ["a": 2]))
    }

    func testNonObjectLinesAreReturned() throws {
        let result = try records("[1,2]\n\"x\"\n42\nnull\n")
        XCTAssertEqual(result.map(\.value), [[1, 2], "x", 42, nil])
    }

    func testEmptyInput() throws {
        XCTAssertEqual(try records([]), [])
        XCTAssertEqual(try records(TextEncoding.utf8BOM), [])
        XCTAssertEqual(try records("\n\r\n"), [])
    }

    // MARK: - File-level errors

    func testTruncatedLastLine() {
        expectError(
            bytes("{\"a\":1}\n{\"a\":2,\"b\":\"x"), code: "bad-json",
            en: ["line 2, column 12", "never closed"], zh: ["第 2 行第 12 列"])
        expectError(bytes("{\"a\":1}\n{\"a\":"), code: "bad-json", en: ["line 2", "unexpected end of input"])
    }

    func testInvalidLineStopsTheFile() {
        expectError(
            bytes("{\"a\":1}\n\n{\"a\":1,}\n{\"a\":3}\n"), code: "bad-json",
            en: ["invalid JSON at line 3, column 8", "trailing comma"])
        expectError(bytes("{\"a\":1}\r\n{'a':1}\r\n"), code: "bad-json", en: ["line 2, column 2"])
        expectError(bytes("{\"a\":1} {\"a\":2}\n"), code: "bad-json", en: ["line 1, column 9"])
        expectError(bytes("{\"a\":1,\"a\":2}\n"), code: "bad-json", en: ["duplicate key"])
    }

    func testErrorsAreSticky() {
        var reader = JSONLReader(string: "{}\n{\n{}\n")
        XCTAssertNoThrow(try reader.next())
        XCTAssertThrowsError(try reader.next())
        XCTAssertThrowsError(try reader.next())
    }

    func testLineTooLong() {
        XCTAssertEqual(try? records(bytes("{\"a\":\"12\"}\n"), maxLineBytes: 10).count, 1)
        expectError(
            bytes("{}\n{\"a\":\"123\"}\n"), code: "bad-json",
            en: ["line 2 is longer than the limit of 10 bytes"], maxLineBytes: 10)
    }

    func testEncodingErrors() {
        expectError(
            bytes("{\"a\":1}\n{\"名\":\"") + [0xC9, 0xCC, 0xC6, 0xB7] + bytes("\"}\n"), code: "not-utf8",
            en: ["line 2, column 7", "GBK", "iconv -f GBK -t UTF-8 orders.jsonl > orders.utf8.jsonl"])
        let encoded = [0xFF, 0xFE] + utf16("{\"a\":1}\n", bigEndian: false)
        expectError(encoded, code: "not-utf8", en: ["line 1, column 1", "UTF-16", "iconv -f UTF-16 -t UTF-8"])
        let noBOM = utf16("{\"a\":1}\n", bigEndian: false)
        expectError(noBOM, code: "not-utf8", en: ["line 1, column 2", "UTF-16LE"])
        expectError(bytes("{\"a\":\"x") + [0] + bytes("\"}\n"), code: "not-utf8", en: ["line 1, column 8", "NUL"])
        expectError(bytes("{\"a\":\"") + [0xE5, 0x95], code: "not-utf8", en: ["line 1, column 7"])
    }

    // MARK: - Chunk boundaries

    func testChunkBoundariesDoNotMatter() throws {
        let inputs: [[UInt8]] = [
            TextEncoding.utf8BOM + bytes("{\"名称\":\"绿茶 😀\",\"价\":129.50}\r\n\r\n{\"b\":[1,{\"c\":null}]}\r\n"),
            bytes("\n\n{\"a\":\"\\uD83D\\uDE00\"}\n{\"a\":"),
            bytes("{\"a\":\"商") + [0xC9, 0xCC] + bytes("\"}\n"),
        ]
        for input in inputs {
            let whole = Result { try records(input) }
            for size in [1, 2, 3, 5] {
                let chunked = Result { try records(input, chunkSize: size) }
                switch (whole, chunked) {
                case let (.success(a), .success(b)):
                    XCTAssertEqual(a, b, "chunk size \(size)")
                case let (.failure(a), .failure(b)):
                    XCTAssertEqual(a as? CodecError, b as? CodecError, "chunk size \(size)")
                default:
                    XCTFail("chunk size \(size): \(whole) vs \(chunked)")
                }
            }
        }
    }
}
