import Foundation
import XCTest

@testable import Codecs

final class CSVReaderTests: XCTestCase {

    // MARK: - Helpers

    private func records(
        _ bytes: [UInt8], chunkSize: Int = 64 * 1024,
        maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes
    ) throws -> [CSVRecord] {
        var reader = CSVReader(
            bytes: bytes, chunkSize: chunkSize, maxFieldBytes: maxFieldBytes,
            fileName: "goods.csv")
        var result: [CSVRecord] = []
        while let record = try reader.next() { result.append(record) }
        return result
    }

    private func records(_ text: String, chunkSize: Int = 64 * 1024) throws -> [CSVRecord] {
        try records(Array(text.utf8), chunkSize: chunkSize)
    }

    /// Reads `bytes` expecting a refused input with `code` (see `assertInputError`).
    @discardableResult
    private func expectError(
        _ bytes: [UInt8], code: String, en: [String] = [], zh: [String] = [],
        chunkSize: Int = 64 * 1024, maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes,
        file: StaticString = #filePath, line: UInt = #line
    ) -> CodecError? {
        assertInputError(
            { try records(bytes, chunkSize: chunkSize, maxFieldBytes: maxFieldBytes) }, code: code, en: en, zh: zh, file: file,
            line: line)
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private func utf16(_ text: String, bigEndian: Bool) -> [UInt8] { utf16Bytes(text, bigEndian: bigEndian) }

    // MARK: - Well-formed input

    func testHeaderAndRecordsWithLineNumbers() throws {
        let result = try records("name,price\nTea,129.50\nCoffee,35\n")
        XCTAssertEqual(
            result,
            [
                CSVRecord(line: 1, fields: ["name", "price"]),
                CSVRecord(line: 2, fields: ["Tea", "129.50"]),
                CSVRecord(line: 3, fields: ["Coffee", "35"]),
            ])
    }

    func testReadHeaderThenRecords() throws {
        var reader = CSVReader(string: "a,b\n1,2")
        XCTAssertEqual(try reader.readHeader(), CSVRecord(line: 1, fields: ["a", "b"]))
        XCTAssertEqual(try reader.next(), CSVRecord(line: 2, fields: ["1", "2"]))
        XCTAssertNil(try reader.next())
        XCTAssertNil(try reader.next())
    }

    func testEmptyFileHasNoHeader() {
        var reader = CSVReader(bytes: [])
        XCTAssertThrowsError(try reader.readHeader()) { error in
            XCTAssertEqual((error as? CodecError)?.code, "bad-csv")
        }
        var onlyBOM = CSVReader(bytes: TextEncoding.utf8BOM)
        XCTAssertThrowsError(try onlyBOM.readHeader())
    }

    /// Every file-level error names where it is, the empty file included.
    func testEmptyFileErrorNamesLineAndColumn() {
        for (input, what) in [([UInt8](), "empty"), (TextEncoding.utf8BOM, "empty"), (bytes("\n\r\n\r\n"), "only blank lines")] {
            var reader = CSVReader(bytes: input)
            XCTAssertThrowsError(try reader.readHeader()) { error in
                let e = error as? CodecError
                XCTAssertEqual(e?.code, "bad-csv")
                XCTAssertEqual(e?.kind, .invalidInput)
                XCTAssertTrue(e?.message.en.hasPrefix("line 1, column 1: ") ?? false, e?.message.en ?? "")
                XCTAssertTrue(e?.message.en.contains(what) ?? false, e?.message.en ?? "")
                XCTAssertTrue(e?.message.zh.hasPrefix("第 1 行第 1 列：") ?? false, e?.message.zh ?? "")
            }
        }
    }

    func testUTF8BOMIsSkipped() throws {
        let result = try records(TextEncoding.utf8BOM + bytes("名称,价格\n绿茶,129.50\n"))
        XCTAssertEqual(result.first?.fields, ["名称", "价格"])
        XCTAssertEqual(result.last, CSVRecord(line: 2, fields: ["绿茶", "129.50"]))
    }

    func testCRLFLineEnds() throws {
        let result = try records("a,b\r\n1,2\r\n3,4\r\n")
        XCTAssertEqual(
            result,
            [
                CSVRecord(line: 1, fields: ["a", "b"]),
                CSVRecord(line: 2, fields: ["1", "2"]),
                CSVRecord(line: 3, fields: ["3", "4"]),
            ])
    }

    func testLoneCRIsALineEnd() throws {
        let result = try records("a,b\r1,2\r3,4")
        XCTAssertEqual(result.map(\.line), [1, 2, 3])
        XCTAssertEqual(result.last?.fields, ["3", "4"])
    }

    func testQuotedCommas() throws {
        let result = try records("name,qty\n\"Tea, green\",\"1,000\"\n")
        XCTAssertEqual(result.last?.fields, ["Tea, green", "1,000"])
    }

    func testQuotedNewlinesAndLaterLineNumbers() throws {
        let text = "name,note\n\"a\",\"first\nsecond\nthird\"\nb,\"x\r\ny\"\r\nc,plain\n"
        let result = try records(text)
        XCTAssertEqual(
            result,
            [
                CSVRecord(line: 1, fields: ["name", "note"]),
                CSVRecord(line: 2, fields: ["a", "first\nsecond\nthird"]),
                CSVRecord(line: 5, fields: ["b", "x\r\ny"]),
                CSVRecord(line: 7, fields: ["c", "plain"]),
            ])
    }

    func testDoubledQuotes() throws {
        let result = try records("a,b,c\n\"say \"\"hi\"\"\",\"\"\"\",\"\"\n")
        XCTAssertEqual(result.last?.fields, ["say \"hi\"", "\"", ""])
    }

    func testEmptyFieldsAndExactText() throws {
        let result = try records("a,b,c\n,,\n1,,3\n x , y ,\"\"\n")
        XCTAssertEqual(
            result.dropFirst().map(\.fields),
            [
                ["", "", ""],
                ["1", "", "3"],
                [" x ", " y ", ""],
            ])
    }

    func testLastRecordWithoutLineEnd() throws {
        XCTAssertEqual(try records("a,b\n1,2").last, CSVRecord(line: 2, fields: ["1", "2"]))
        XCTAssertEqual(try records("a,b\n1,").last, CSVRecord(line: 2, fields: ["1", ""]))
        XCTAssertEqual(try records("a\n\"\"").last, CSVRecord(line: 2, fields: [""]))
    }

    func testBlankLinesAreSkippedButCounted() throws {
        let result = try records("a,b\n\n1,2\r\n\r\n\n3,4\n\n\n")
        XCTAssertEqual(
            result,
            [
                CSVRecord(line: 1, fields: ["a", "b"]),
                CSVRecord(line: 3, fields: ["1", "2"]),
                CSVRecord(line: 6, fields: ["3", "4"]),
            ])
    }

    func testFieldCountMismatchIsReturnedNotThrown() throws {
        let result = try records("a,b,c\n1,2\n1,2,3,4\n")
        XCTAssertEqual(result.map(\.fields.count), [3, 2, 4])
    }

    func testOneMegabyteField() throws {
        let big = String(repeating: "商品x", count: 150_000)  // 1,050,000 bytes
        XCTAssertGreaterThan(big.utf8.count, 1_000_000)
        let text = "id,blob\n1,\"\(big)\"\n2,\(big)\n"
        let result = try records(text, chunkSize: 4096)
        XCTAssertEqual(result.count, 3)
        XCTAssertEqual(result[1].fields[1], big)
        XCTAssertEqual(result[2].fields[1], big)
        XCTAssertEqual(result[2].line, 3)
    }

    func testFieldOverCustomLimit() {
        let ok = try? records(bytes("a,b\n1,0123456789\n"), maxFieldBytes: 10)
        XCTAssertEqual(ok?.last?.fields, ["1", "0123456789"])
        expectError(
            bytes("a,b\n1,0123456789X\n"), code: "bad-csv",
            en: ["line 2, column 2", "limit of 10 bytes"], zh: ["第 2 行第 2 列"], maxFieldBytes: 10)
        expectError(
            bytes("a,b\n1,\"0123\n456789X\"\n"), code: "bad-csv",
            en: ["line 2, column 2"], maxFieldBytes: 10)
    }

    func testFileHandleSource() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("csvreader-\(UUID().uuidString).csv")
        try Data(bytes("名称,价格\r\n\"绿茶, 特级\",129.50\r\n")).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var reader = CSVReader(fileHandle: handle, chunkSize: 3)
        XCTAssertEqual(try reader.readHeader().fields, ["名称", "价格"])
        XCTAssertEqual(try reader.next(), CSVRecord(line: 2, fields: ["绿茶, 特级", "129.50"]))
        XCTAssertNil(try reader.next())
    }

    // MARK: - Quoting errors

    func testUnterminatedQuotePointsAtItsOpening() {
        expectError(
            bytes("a,b\n1,\"abc\n2,3\n"), code: "bad-csv",
            en: ["line 2, column 2 (character 3)", "never closed"],
            zh: ["第 2 行第 2 列（第 3 个字符）", "没有闭合"])
    }

    func testStrayQuoteInUnquotedField() {
        expectError(
            bytes("a,b\n1,ab\"c\n"), code: "bad-csv",
            en: ["line 2, column 2 (character 5)", "unquoted field"])
        // Character columns count characters, not bytes.
        expectError(
            bytes("名称,价格\n绿茶,12\"9\n"), code: "bad-csv",
            en: ["line 2, column 2 (character 6)"])
    }

    func testTextAfterClosingQuote() {
        expectError(
            bytes("a,b\n\"x\"y,1\n"), code: "bad-csv",
            en: ["line 2, column 1 (character 4)", "'y'", "closing quote"])
        expectError(bytes("a,b\n1,\"x\" \n"), code: "bad-csv", en: ["a space"])
    }

    func testErrorsAreSticky() {
        var reader = CSVReader(string: "a\n\"x\"y\n")
        XCTAssertNoThrow(try reader.next())
        XCTAssertThrowsError(try reader.next())
        XCTAssertThrowsError(try reader.next()) { error in
            XCTAssertEqual((error as? CodecError)?.code, "bad-csv")
        }
    }

    // MARK: - Encoding errors

    func testGBKBytesSuggestIconv() throws {
        // "商品" in GBK is C9 CC C6 B7 (B9 DC is "管").
        let error = expectError(
            bytes("sku,name\nA1,") + [0xC9, 0xCC, 0xC6, 0xB7] + bytes("\n"),
            code: "not-utf8",
            en: [
                "line 2, column 2 (character 4)", "byte 0xC9", "GBK",
                "iconv -f GBK -t UTF-8 goods.csv > goods.utf8.csv",
            ],
            zh: ["GBK", "iconv -f GBK -t UTF-8 goods.csv > goods.utf8.csv"])
        XCTAssertNotNil(error)
    }

    func testGBKWhoseFirstByteLooksLikeUTF8() {
        // "中文" in GBK is D6 D0 CE C4: D6 opens a UTF-8 pair, D0 breaks it.
        expectError(
            [0xD6, 0xD0, 0xCE, 0xC4] + bytes(",b\n"), code: "not-utf8",
            en: ["line 1, column 1 (character 1)", "GBK"])
    }

    func testUTF16WithBOM() {
        let encoded = [0xFF, 0xFE] + utf16("a,b\n1,2\n", bigEndian: false)
        expectError(
            encoded, code: "not-utf8",
            en: ["line 1, column 1", "UTF-16", "iconv -f UTF-16 -t UTF-8 goods.csv > goods.utf8.csv"],
            zh: ["UTF-16"])
        let bigEndian = [0xFE, 0xFF] + utf16("a,b\n", bigEndian: true)
        expectError(bigEndian, code: "not-utf8", en: ["UTF-16"])
    }

    func testUTF16WithoutBOM() {
        let encoded = utf16("name,price\n", bigEndian: false)
        expectError(encoded, code: "not-utf8", en: ["line 1, column 1 (character 2)", "UTF-16LE"])
    }

    func testNULByteMeansBinary() {
        let zip: [UInt8] = [
            0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00,
            0x21, 0x00, 0xA1, 0xB2, 0xC3, 0x77, 0xEE, 0x01, 0x02, 0x03, 0x91, 0x00,
        ]
        expectError(zip, code: "not-utf8", en: ["NUL", "binary"], zh: ["NUL"])
        expectError(
            bytes("a,b\n1,x") + [0] + bytes("y\n"), code: "not-utf8",
            en: ["line 2, column 2 (character 4)", "NUL"])
    }

    func testOtherInvalidUTF8() {
        expectError(
            bytes("a,b\n1,") + [0x80] + bytes("\n"), code: "not-utf8",
            en: ["line 2, column 2 (character 3)", "byte 0x80", "not valid UTF-8"])
        // Overlong encoding of "/" and a surrogate encoded in UTF-8.
        expectError(bytes("a\n") + [0xE0, 0x80, 0xAF], code: "not-utf8")
        expectError(bytes("a\n") + [0xED, 0xA0, 0x80], code: "not-utf8")
        // Cut off inside a character at the end of the file.
        expectError(bytes("a\n") + [0xE5, 0x95], code: "not-utf8", en: ["line 2"])
    }

    // MARK: - Chunk boundaries

    /// Every input gives the same records (or the same error) whatever the
    /// chunk size: boundaries inside multi-byte characters, CRLF, `""`, BOM.
    func testChunkBoundariesDoNotMatter() throws {
        let inputs: [[UInt8]] = [
            TextEncoding.utf8BOM + bytes("名称,价格\r\n\"绿茶, \"\"特级\"\"\",129.50\r\n红茶,\"多\r\n行\"\r\n"),
            bytes("a,b\r\n\r\n\"\"\"\",\"\"\r\n😀🍵,商品\r\nx,y"),
            bytes("a,b\r1,2\r\r3,\"4\r\"\r"),
            bytes("a,b\n\"x\"\"y\n"),  // unterminated
            bytes("名称,价格\n绿茶,12\"9\n"),  // stray quote
            bytes("a,b\n1,") + [0xC9, 0xCC, 0xC6, 0xB7],  // GBK
            [0xFF, 0xFE, 0x61, 0x00, 0x0A, 0x00],  // UTF-16
            bytes("a\n商") + [0xE5, 0x95],  // truncated character
            // Long runs of plain text (copied in one go) broken by every kind of stop.
            bytes("title,brand\n花王乐而雅超薄日用卫生巾 Laurier ZERO 25cm,花王\n\"润百颜,玻尿酸\",x\r\n"),
            bytes("a,b\n商品商品商品abc") + [0xE5, 0x41] + bytes("\n"),  // broken sequence mid-run
            bytes("a,b\nabcdef") + [0xED, 0xA0, 0x80] + bytes(",x\n"),  // surrogate after ASCII
            bytes("a,b\n😀😀😀x,\tcontrol\u{1}\u{7F}\u{85}\n"),  // 4-byte, C0, DEL, C1 (valid UTF-8)
            bytes("a,b\n1,2") + [0],  // NUL after a run
        ]
        for input in inputs {
            let whole = Result { try records(input) }
            for size in [1, 2, 3, 5, 7] {
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

    /// Text copied in runs moves the position exactly as byte-by-byte reading does: errors after
    /// or inside a run of ASCII or Chinese name the right line, column and character.
    func testPositionsAfterRunsOfText() {
        expectError(
            bytes("a,b\n绿茶好物abc,12") + [0x80] + bytes("\n"), code: "not-utf8",
            en: ["line 2, column 2 (character 11)"])
        expectError(
            bytes("a,b\n商品商品商品abc") + [0xE5, 0x41] + bytes(",x\n"), code: "not-utf8",
            en: ["line 2, column 1 (character 10)"])
        expectError(bytes("名称,价格\n绿茶好物,12\"9\n"), code: "bad-csv", en: ["line 2, column 2 (character 8)"])
        expectError(bytes("a,b\n\"好物\"x,1\n"), code: "bad-csv", en: ["line 2, column 1 (character 5)"])
    }

    /// The field size limit holds for text copied in runs, to the byte.
    func testFieldLimitWithRunsOfChineseText() throws {
        let field = String(repeating: "商", count: 10)  // 30 bytes
        let input = bytes("a\n\(field)\n")
        XCTAssertEqual(try records(input, maxFieldBytes: 30).last?.fields, [field])
        expectError(input, code: "bad-csv", en: ["larger than the limit"], maxFieldBytes: 29)
        expectError(bytes("a\n\(String(repeating: "x", count: 31))\n"), code: "bad-csv", en: ["larger than the limit"], maxFieldBytes: 30)
    }

    func testOneByteChunksWithMultiByteCharacters() throws {
        let result = try records("名称,价格\r\n\"绿茶, \"\"特级\"\"\",129.50\r\n", chunkSize: 1)
        XCTAssertEqual(result.last, CSVRecord(line: 2, fields: ["绿茶, \"特级\"", "129.50"]))
    }
}

// MARK: - TextEncoding

final class TextEncodingTests: XCTestCase {

    func testValidateUTF8() {
        XCTAssertTrue(TextEncoding.validateUTF8(Array("商品 ok 😀".utf8)) == (true, 14))
        XCTAssertTrue(TextEncoding.validateUTF8([UInt8]()) == (true, 0))
        XCTAssertTrue(TextEncoding.validateUTF8([0x61, 0xC9, 0xCC]) == (false, 1))  // GBK
        XCTAssertTrue(TextEncoding.validateUTF8([0x61, 0xD6, 0xD0]) == (false, 1))  // lead then a non-continuation
        XCTAssertTrue(TextEncoding.validateUTF8([0x61, 0x62, 0xE5, 0x95]) == (false, 2))  // cut short
        XCTAssertTrue(TextEncoding.validateUTF8([0xC0, 0xAF]) == (false, 0))  // overlong
        XCTAssertTrue(TextEncoding.validateUTF8([0xF4, 0x90, 0x80, 0x80]) == (false, 0))  // above U+10FFFF
        XCTAssertTrue(TextEncoding.validateUTF8([0x00]) == (true, 1))  // NUL is UTF-8
    }

    func testSniff() {
        XCTAssertEqual(TextEncoding.sniff([0xC9, 0xCC, 0xC6, 0xB7, 0x2C, 0x31], fileOffset: 5), .gbk)
        XCTAssertEqual(TextEncoding.sniff([0x81, 0x30, 0x81, 0x30], fileOffset: 5), .gbk)  // GB18030 four-byte
        XCTAssertEqual(TextEncoding.sniff([0xFF, 0xFE, 0x61, 0x00], fileOffset: 0), .utf16LittleEndian)
        XCTAssertEqual(TextEncoding.sniff([0xFE, 0xFF, 0x00, 0x61], fileOffset: 0), .utf16BigEndian)
        XCTAssertEqual(TextEncoding.sniff([0x00, 0x61, 0x00, 0x2C, 0x00, 0x62], fileOffset: 0), .utf16BigEndian)
        XCTAssertEqual(TextEncoding.sniff([0x00, 0x2C, 0x00, 0x62, 0x00, 0x0A], fileOffset: 1), .utf16LittleEndian)
        XCTAssertEqual(TextEncoding.sniff([0x00, 0x01, 0x02], fileOffset: 9), .binary)
        XCTAssertEqual(TextEncoding.sniff([0x80, 0x41], fileOffset: 9), .unknown)
    }

    func testStreamingValidatorAcrossChunks() {
        var validator = UTF8Validator()
        XCTAssertEqual(validator.feed(0xE5), .incomplete)
        XCTAssertEqual(validator.pendingSequence, [0xE5])
        XCTAssertEqual(validator.feed(0x95), .incomplete)
        XCTAssertEqual(validator.feed(0x86), .complete)  // 商
        XCTAssertFalse(validator.isMidSequence)
        XCTAssertEqual(validator.feed(0xE5), .incomplete)
        XCTAssertEqual(validator.feed(0x41), .invalid)
        XCTAssertEqual(validator.pendingSequence, [0xE5])
        validator.reset()
        XCTAssertEqual(validator.feed(0x41), .complete)
    }
}
