import Foundation
import XCTest

@testable import shopctl

/// `displayWidth` against Python's wcwidth (Tests/Fixtures/width/strings.tsv, made by
/// scripts/gen_width_fixture.py) and the generated code-point table against the Unicode data files.
final class DisplayWidthTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/width/strings.tsv")

    /// Where shopctl differs from wcwidth on purpose (label → our width, and why).
    static let deliberate: [String: (Int, String)] = [
        "victory-hand-skin-tone": (
            2,
            """
            ✌🏽: an emoji modifier sequence is shown as emoji (UTS #51), two columns, as 👍🏽; wcwidth 0.7 \
            gives the text-default base ✌ its text width, 1, and the modifier none
            """
        )
    ]

    func testEveryFixtureStringHasWcwidthsWidth() throws {
        let text = try String(contentsOf: Self.fixture, encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            XCTAssertGreaterThanOrEqual(f.count, 3, "fixture line: \(line)")
            let label = String(f[0])
            var s = String.UnicodeScalarView()
            for cp in f[1].split(separator: " ") {
                s.append(Unicode.Scalar(UInt32(cp.dropFirst(2), radix: 16)!)!)
            }
            let wcwidth = Int(f[2])!
            if let d = Self.deliberate[label] { XCTAssertNotEqual(d.0, wcwidth, "\(label): no longer a difference") }
            let expected = Self.deliberate[label]?.0 ?? wcwidth
            XCTAssertEqual(displayWidth(String(s)), expected, "\(label): \(String(s))")
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 40)
    }

    func testTheIssuesExamples() {
        XCTAssertEqual(displayWidth("✨"), 2)
        XCTAssertEqual(displayWidth("🛒"), 2)
        XCTAssertEqual(displayWidth("✅⭐☕🚀"), 8)
        XCTAssertEqual(displayWidth("👨‍👩‍👧‍👦"), 2)
        XCTAssertEqual(displayWidth("👍🏽"), 2)
        XCTAssertEqual(displayWidth("\u{FE50}\u{FE6B}"), 4)
        XCTAssertEqual(displayWidth("🇨🇳"), 2)
        XCTAssertEqual(displayWidth("1\u{FE0F}\u{20E3}"), 2)
        XCTAssertEqual(displayWidth("e\u{301}"), 1)
        XCTAssertEqual(displayWidth("ｱ"), 1)
        XCTAssertEqual(displayWidth(""), 0)
    }

    func testTruncateCutsWholeClustersByWidth() {
        XCTAssertEqual(truncate("👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦", toWidth: 5), "👨‍👩‍👧‍👦👨‍👩‍👧‍👦…")
        XCTAssertEqual(displayWidth(truncate("✨好物✨好物", toWidth: 7)), 7)
    }

    /// Every code point's class in the generated table is the one the Unicode data files give
    /// (read here independently of scripts/gen_display_width.py); skipped without the files.
    func testEveryCodePointMatchesTheUnicodeData() throws {
        let ucd = "/usr/share/unicode"
        let fm = FileManager.default
        for f in ["EastAsianWidth.txt", "emoji/emoji-data.txt", "UnicodeData.txt", "PropList.txt", "HangulSyllableType.txt"] {
            guard fm.fileExists(atPath: "\(ucd)/\(f)") else { throw XCTSkip("no \(ucd)/\(f) (apt install unicode-data)") }
        }
        let eawText = try String(contentsOfFile: "\(ucd)/EastAsianWidth.txt", encoding: .utf8)
        guard eawText.hasPrefix("# EastAsianWidth-\(displayWidthUnicodeVersion).txt") else {
            throw XCTSkip("the installed Unicode data is not version \(displayWidthUnicodeVersion)")
        }
        var width = [UInt8](repeating: 1, count: 0x110000)
        func each(_ path: String, _ values: Set<String>, _ body: (Int) -> Void) throws {
            for line in try String(contentsOfFile: "\(ucd)/\(path)", encoding: .utf8).split(separator: "\n") {
                let data = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                let f = data.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                guard f.count >= 2, values.contains(f[1]) else { continue }
                let bounds = f[0].components(separatedBy: "..").map { Int($0, radix: 16)! }
                for cp in bounds[0]...(bounds.last!) { body(cp) }
            }
        }
        try each("EastAsianWidth.txt", ["W", "F"]) { width[$0] = 2 }
        try each("emoji/emoji-data.txt", ["Emoji_Presentation"]) { width[$0] = 2 }
        var first = 0
        for line in try String(contentsOfFile: "\(ucd)/UnicodeData.txt", encoding: .utf8).split(separator: "\n") {
            let f = line.split(separator: ";", omittingEmptySubsequences: false)
            let cp = Int(f[0], radix: 16)!
            let zero = ["Mn", "Me", "Cf", "Cc", "Zl", "Zp"].contains(String(f[2]))
            if f[1].hasSuffix(", First>") {
                first = cp
            } else if f[1].hasSuffix(", Last>") {
                if zero { for c in first...cp { width[c] = 0 } }
            } else if zero {
                width[cp] = 0
            }
        }
        width[0xAD] = 1
        try each("PropList.txt", ["Prepended_Concatenation_Mark"]) { width[$0] = 1 }
        try each("HangulSyllableType.txt", ["V", "T"]) { width[$0] = 0 }
        var wrong: [String] = []
        var wide = 0
        for cp in 0..<0x110000 where !(0xD800...0xDFFF).contains(cp) {
            let ours = codePointWidth(UInt32(cp))
            if ours == 2 { wide += 1 }
            if ours != Int(width[cp]) && wrong.count < 10 {
                wrong.append("U+\(String(cp, radix: 16, uppercase: true)): ours \(ours), data \(width[cp])")
            }
        }
        XCTAssertEqual(wrong, [])
        XCTAssertGreaterThan(wide, 100_000)
    }
}
