import XCTest

@testable import Codecs

final class JSONTests: XCTestCase {

    // MARK: - Helpers

    /// Parses `text` expecting a `CodecError` with `code` whose English
    /// message contains every string in `en`.
    private func expectError(
        _ text: String, code: String = "bad-json", en: [String] = [], zh: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        expectError({ try JSON.parse(text) }, code: code, en: en, zh: zh, file: file, line: line)
    }

    private func expectError(
        bytes: [UInt8], code: String = "bad-json", en: [String] = [], zh: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        expectError({ try JSON.parse(bytes: bytes) }, code: code, en: en, zh: zh, file: file, line: line)
    }

    private func expectError(
        _ parse: () throws -> JSON, code: String, en: [String], zh: [String],
        file: StaticString, line: UInt
    ) {
        assertInputError(parse, code: code, en: en, zh: zh, file: file, line: line)
    }

    private let sample: JSON = [
        "id": .int(Int64(42)),
        "title": "绿茶 \"特级\"\n",
        "price": .number("129.50"),
        "tags": ["茶", "😀", "a\\b/c\t\u{01}"],
        "gift": false,
        "note": nil,
        "empty": [:],
        "none": [],
    ]

    // MARK: - Serializing

    func testCompactSerialization() {
        XCTAssertEqual(
            sample.serialized(pretty: false),
            #"{"id":42,"title":"绿茶 \"特级\"\n","price":129.50,"tags":["茶","😀","a\\b/c\t\u0001"],"#
                + #""gift":false,"note":null,"empty":{},"none":[]}"#)
    }

    func testPrettySerialization() {
        let value: JSON = ["a": 1, "b": [true, ["c": "商品"]], "d": [], "e": [:]]
        XCTAssertEqual(
            value.serialized(pretty: true),
            """
            {
              "a": 1,
              "b": [
                true,
                {
                  "c": "商品"
                }
              ],
              "d": [],
              "e": {}
            }
            """)
        XCTAssertEqual(JSON.string("x").serialized(pretty: true), "\"x\"")
    }

    func testControlCharactersAreEscaped() {
        let text = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        let out = JSON.string(text).serialized(pretty: false)
        XCTAssertEqual(
            out,
            #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
                + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f""#)
        XCTAssertEqual(try JSON.parse(out), .string(text))
    }

    func testDescriptionIsCompact() {
        XCTAssertEqual(JSON.array([1, "a"]).description, #"[1,"a"]"#)
    }

    // MARK: - Round trips

    func testRoundTripCompactAndPretty() throws {
        XCTAssertEqual(try JSON.parse(sample.serialized(pretty: false)), sample)
        XCTAssertEqual(try JSON.parse(sample.serialized(pretty: true)), sample)
    }

    func testKeyOrderIsKept() throws {
        let value = try JSON.parse(#"{"z": 1, "a": 2, "m": {"y": 1, "b": 2}}"#)
        XCTAssertEqual(value.objectValue?.map(\.0), ["z", "a", "m"])
        XCTAssertEqual(value.serialized(pretty: false), #"{"z":1,"a":2,"m":{"y":1,"b":2}}"#)
    }

    func testNumberLexemesArePreserved() throws {
        for lexeme in [
            "129.50", "0", "-0", "0.10", "1e10", "1E+2", "-2.5e-3", "12345678901234567890123456789",
            "0.000000000000000000000001",
        ] {
            let value = try JSON.parse("[\(lexeme)]")
            XCTAssertEqual(value[0]?.numberLexeme, lexeme)
            XCTAssertEqual(value.serialized(pretty: false), "[\(lexeme)]")
        }
        XCTAssertNotEqual(JSON.number("1.0"), JSON.number("1"))
    }

    func testChineseEscapesAndSurrogatePairs() throws {
        let value = try JSON.parse(#"["\u5546\u54c1", "\uD83D\uDE00", "\ud83c\udf75 tea", "\"\\\/\b\f\n\r\t", "商品"]"#)
        XCTAssertEqual(value, ["商品", "😀", "🍵 tea", "\"\\/\u{08}\u{0C}\n\r\t", "商品"])
        // Serialized back, non-ASCII stays as is.
        XCTAssertEqual(value.serialized(pretty: false), #"["商品","😀","🍵 tea","\"\\/\b\f\n\r\t","商品"]"#)
    }

    // MARK: - Accessors

    func testAccessors() throws {
        let value = try JSON.parse(#"{"n": 42, "s": "x", "b": true, "a": [1, 2], "o": {"k": null}, "f": 4.2e1}"#)
        XCTAssertEqual(value["n"]?.int64Value, 42)
        XCTAssertNil(value["f"]?.int64Value)
        XCTAssertEqual(value["f"]?.numberLexeme, "4.2e1")
        XCTAssertEqual(value["s"]?.stringValue, "x")
        XCTAssertNil(value["n"]?.stringValue)
        XCTAssertEqual(value["b"]?.boolValue, true)
        XCTAssertEqual(value["a"]?.arrayValue, [1, 2])
        XCTAssertEqual(value["a"]?[1], 2)
        XCTAssertNil(value["a"]?[2])
        XCTAssertEqual(value["o"]?["k"]?.isNull, true)
        XCTAssertNil(value["missing"])
        XCTAssertNil(JSON.string("x")["k"])
    }

    func testInt64ValueNeedsAnExactInteger() {
        XCTAssertEqual(JSON.number("-7").int64Value, -7)
        XCTAssertEqual(JSON.number("-0").int64Value, 0)
        XCTAssertEqual(JSON.number("9223372036854775807").int64Value, Int64.max)
        XCTAssertEqual(JSON.number("-9223372036854775808").int64Value, Int64.min)
        XCTAssertNil(JSON.number("9223372036854775808").int64Value)
        XCTAssertNil(JSON.number("42.0").int64Value)
        XCTAssertNil(JSON.number("1e2").int64Value)
        XCTAssertNil(JSON.number("+5").int64Value)
        XCTAssertNil(JSON.number("007").int64Value)
        XCTAssertNil(JSON.string("42").int64Value)
        XCTAssertEqual(JSON.int(Int64(-129)), .number("-129"))
    }

    // MARK: - Strictness

    func testWhitespaceAroundValues() throws {
        XCTAssertEqual(try JSON.parse(" \t\r\n{ \"a\" : [ ] } \n"), ["a": []])
        XCTAssertEqual(try JSON.parse("true"), true)
        XCTAssertEqual(try JSON.parse("null"), nil)
    }

    func testRejectsNonStandardJSON() {
        expectError("[1, 2,]", en: ["line 1, column 7", "trailing comma"], zh: ["第 1 行第 7 列", "逗号"])
        expectError(#"{"a": 1,}"#, en: ["column 9", "trailing comma"])
        expectError("[1 // one\n]", en: ["comments"])
        expectError("/* x */ 1", en: ["comments"])
        expectError("[NaN]", en: ["NaN"])
        expectError("[Infinity]", en: ["Infinity"])
        expectError("[-Infinity]", en: ["expected a digit after '-'"])
        expectError("{'a': 1}", en: ["double quotes"])
        expectError("['a']", en: ["double quotes"])
        expectError("[01]", en: ["column 2", "leading zeros"])
        expectError("[1.]", en: ["column 4", "decimal point"])
        expectError("[.5]", en: ["unexpected '.'"])
        expectError("[+1]", en: ["unexpected '+'"])
        expectError("[1e]", en: ["exponent"])
        expectError("[tru]", en: ["true, false or null"])
        expectError("[True]", en: ["unexpected 'T'"])
        expectError("1 2", en: ["column 3", "after the JSON value"])
        expectError("", en: ["empty"])
        expectError("   \n ", en: ["empty"])
        expectError("{\"a\" 1}", en: ["':' after the key"])
        expectError("{\"a\": 1 \"b\": 2}", en: ["',' or '}'"])
        expectError("[1 2]", en: ["',' or ']'"])
        expectError("{1: 2}", en: ["a key in double quotes"])
        expectError("[", en: ["unexpected end of input"])
        expectError("{\"a\":", en: ["unexpected end of input"])
    }

    func testRejectsBadStrings() {
        expectError("[\"a\nb\"]", en: ["control character U+000A"])
        expectError("[\"a\tb\"]", en: ["control character U+0009"])
        expectError(#"["\x"]"#, en: ["invalid escape \\x"])
        expectError(#"["\u12"]"#, en: ["four hexadecimal digits"])
        expectError(#"["\uZZZZ"]"#, en: ["four hexadecimal digits"])
        expectError(#"["abc"#, en: ["column 2", "never closed"])
        expectError(#"["\"#, en: ["never closed"])
    }

    func testRejectsLoneSurrogates() {
        expectError(#"["\uD83D"]"#, en: ["column 3", "\\uD83D", "surrogate"])
        expectError(#"["\uDE00"]"#, en: ["\\uDE00", "surrogate"])
        expectError(#"["\uD83D\u0041"]"#, en: ["\\uD83D"])
        expectError(#"["\uD83Dx"]"#, en: ["\\uD83D"])
    }

    func testRejectsDuplicateKeys() {
        expectError(#"{"a": 1, "b": {"c": 1, "c": 2}}"#, en: ["duplicate key \"c\"", "column 24"], zh: ["“c”"])
    }

    func testRejectsDeepNesting() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        XCTAssertNoThrow(try JSON.parse(ok))
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        expectError(deep, en: ["nested"])
    }

    func testErrorLineAndCharacterColumn() {
        expectError(
            "{\n  \"a\": 1,\n  \"b\": ]\n}", en: ["invalid JSON at line 3, column 8", "unexpected ']'"],
            zh: ["JSON 格式错误（第 3 行第 8 列）"])
        expectError("{\"名称\": x}", en: ["line 1, column 8", "unexpected 'x'"])
        expectError("{\r\n\"a\": @}", en: ["line 2, column 6", "unexpected '@'"])
    }

    // MARK: - Bytes

    func testParseBytesSkipsBOM() throws {
        XCTAssertEqual(try JSON.parse(bytes: TextEncoding.utf8BOM + Array("{\"a\":\"商品\"}".utf8)), ["a": "商品"])
        expectError("\u{FEFF}1", en: ["unexpected"])  // a BOM inside a String is not skipped
    }

    func testParseBytesRejectsNonUTF8() {
        expectError(
            bytes: Array("{\"a\":\"".utf8) + [0xC9, 0xCC, 0xC6, 0xB7] + Array("\"}".utf8),
            code: "not-utf8", en: ["line 1, column 7", "GBK", "FILE.utf8.json"])
        expectError(bytes: [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00], code: "not-utf8", en: ["UTF-16"])
        expectError(bytes: Array("[1,".utf8) + [0] + Array("]".utf8), code: "not-utf8", en: ["NUL"])
    }
}
