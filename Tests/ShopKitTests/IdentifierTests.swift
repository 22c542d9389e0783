import XCTest

@testable import ShopKit

/// SPEC §2: identifiers are 1–64 printable characters with no white space and no invisible or
/// format characters; anything else is `bad-value` in a file and a usage error on the line.
final class IdentifierTests: XCTestCase {
    /// Every invisible, format, white-space and control character the rule names, and more.
    static let forbidden: [(UInt32, String)] = [
        (0x200B, "zero-width space"), (0x200C, "zero-width non-joiner"), (0x200D, "zero-width joiner"),
        (0x200E, "left-to-right mark"), (0x200F, "right-to-left mark"), (0x202A, "LRE"), (0x202B, "RLE"), (0x202C, "PDF"),
        (0x202D, "LRO"), (0x202E, "RLO"), (0x2066, "LRI"), (0x2067, "RLI"), (0x2068, "FSI"), (0x2069, "PDI"),
        (0x061C, "Arabic letter mark"), (0x2060, "word joiner"), (0x2061, "function application"), (0x2062, "invisible times"),
        (0x2063, "invisible separator"), (0x2064, "invisible plus"), (0xFEFF, "BOM"), (0x00AD, "soft hyphen"),
        (0x180E, "Mongolian vowel separator"), (0x2028, "line separator"), (0x2029, "paragraph separator"), (0x3000, "ideographic space"),
        (0x00A0, "no-break space"), (0x2007, "figure space"), (0x202F, "narrow no-break space"), (0x205F, "math space"),
        (0x1680, "ogham space"), (0x0085, "next line"), (0x0009, "tab"), (0x000A, "line feed"), (0x000D, "carriage return"),
        (0x0000, "NUL"), (0x001B, "ESC"), (0x007F, "DEL"), (0x009B, "CSI"), (0x0020, "space"), (0xFE0F, "variation selector 16"),
        (0x034F, "combining grapheme joiner"), (0x3164, "Hangul filler"), (0xE000, "private use"), (0xE0041, "tag A"),
        (0xFFFE, "noncharacter"), (0xFFFF, "noncharacter"), (0x1D173, "musical begin beam"),
    ]

    func id(_ v: String) -> Result<String, RowProblem> {
        let fields = RowFields(ImportRow(line: 2, values: ["product_id": v]))
        return Result(catching: { () throws(RowProblem) -> String in try fields.id("product_id") })
    }

    func testEachInvisibleOrSpaceCharacterIsABadValue() {
        for (value, name) in Self.forbidden {
            let u = Unicode.Scalar(value)!
            // Spaces and tabs around a field are trimmed (as for every field): inside, they are refused.
            let edges = u == " " || u == "\t" ? [] : ["\(Character(u))P0001X", "P0001X\(Character(u))"]
            for text in ["P\(Character(u))1", "P0001\(Character(u))X"] + edges {
                switch id(text) {
                case .success(let v): XCTFail("\(name) (U+\(String(value, radix: 16))) accepted in \(v.debugDescription)")
                case .failure(let p):
                    XCTAssertEqual(p.code, "bad-value", name)
                    XCTAssertTrue(p.message.en.contains("column product_id"), p.message.en)
                    XCTAssertTrue(p.message.en.contains("is not an id"), p.message.en)
                }
                XCTAssertFalse(RowFields.isIDText(text), name)
            }
        }
    }

    func testTheReasonNamesTheCharacter() {
        guard case .failure(let p) = id("P\u{200B}1") else { return XCTFail("accepted") }
        XCTAssertTrue(p.message.en.contains("U+200B, an invisible or format character"), p.message.en)
        XCTAssertTrue(p.message.zh.contains("U+200B"), p.message.zh)
        guard case .failure(let q) = id("\u{FEFF}P1") else { return XCTFail("accepted") }
        XCTAssertTrue(q.message.en.contains("U+FEFF"), q.message.en)
        guard case .failure(let r) = id("P\u{3000}1") else { return XCTFail("accepted") }
        XCTAssertTrue(r.message.en.contains("U+3000, a white space"), r.message.en)
    }

    func testLengthIsOneToSixtyFourCharacters() {
        XCTAssertEqual(try id(String(repeating: "P", count: 64)).get().count, 64)
        XCTAssertEqual(try id(String(repeating: "商", count: 64)).get().count, 64)
        XCTAssertEqual(try id(String(repeating: "😀", count: 64)).get().count, 64)
        XCTAssertEqual(try id(String(repeating: "é", count: 64)).get().count, 64)
        for long in [String(repeating: "P", count: 65), String(repeating: "商", count: 65), String(repeating: "😀", count: 65)] {
            guard case .failure(let p) = id(long) else { return XCTFail("\(long.count) characters accepted") }
            XCTAssertTrue(p.message.en.contains("is not an id"), p.message.en)
        }
        guard case .failure(let empty) = id("") else { return XCTFail("empty accepted") }
        XCTAssertTrue(empty.message.en.contains("is empty"), empty.message.en)
        // A character of many combining marks is one character, but the bytes are bounded.
        XCTAssertThrowsError(try id("e" + String(repeating: "\u{301}", count: 600)).get())
    }

    func testPrintableIDsAreAccepted() throws {
        for ok in [
            "P000190", "O-2026-11-21_001", "商品1", "😀x", "x'; DROP TABLE orders; --".replacingOccurrences(of: " ", with: ""), "Ä-ß-ç",
            "ｐ１", "!~", "\u{301}a", "👍🏽", "x", "ग्",
        ] {
            XCTAssertEqual(try id(ok).get(), ok, ok.debugDescription)
            XCTAssertTrue(RowFields.isIDText(ok), ok.debugDescription)
        }
        // A leading ' (Excel's mark for text) is dropped (SPEC §7); one inside an id is kept.
        XCTAssertEqual(try id("';DROPTABLEorders;--").get(), ";DROPTABLEorders;--")
        // Spaces and tabs around a field are trimmed first, as for every field.
        XCTAssertEqual(try id("  P1\t").get(), "P1")
    }

    func testMemberIDsFollowTheSameRule() {
        XCTAssertNoThrow(try ShopRules.checkMemberID("m1001"))
        for (value, name) in Self.forbidden {
            XCTAssertThrowsError(try ShopRules.checkMemberID("m\(Character(Unicode.Scalar(value)!))1"), name) { e in
                XCTAssertEqual((e as? ShopError)?.code, "member-id")
            }
        }
        XCTAssertThrowsError(try ShopRules.checkMemberID(String(repeating: "m", count: 65)))
        XCTAssertNoThrow(try ShopRules.checkMemberID(String(repeating: "m", count: 64)))
    }

    /// Random strings over a mixed alphabet: the byte-level fast path agrees with the scalar rule.
    func testFastPathAgreesWithTheScalarRule() {
        var rng = SplitMix64(seed: 12)
        let alphabet: [String] = [
            "a", "Z", "0", "-", "_", " ", "\t", "商", "😀", "\u{200B}", "\u{FEFF}", "\u{202E}", "\u{7F}", "~", "é", "\u{A0}",
        ]
        for _ in 0..<5000 {
            let n = Int(rng.next() % 70)
            let s = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            let expected =
                !s.isEmpty && s.count <= 64
                && !s.unicodeScalars.contains {
                    $0.properties.isWhitespace || $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
                }
            XCTAssertEqual(RowFields.isIDText(s), expected, s.debugDescription)
        }
    }
}
