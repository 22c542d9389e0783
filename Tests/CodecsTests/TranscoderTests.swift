import Foundation
import FuzzSupport
import XCTest

@testable import Codecs

/// The decoders behind `--encoding`, against Python's codecs where python3 is present.
final class TranscoderTests: XCTestCase {

    // MARK: - Helpers

    /// Decodes `bytes` handed over `chunkSize` at a time, joining the UTF-8 chunks.
    private func decode(_ bytes: [UInt8], _ encoding: InputEncoding, chunkSize: Int = 4096) throws -> [UInt8] {
        let source = try Transcoder.source(ByteChunks.bytes(bytes, chunkSize: chunkSize), encoding: encoding)
        var out: [UInt8] = []
        while let chunk = try source(), !chunk.isEmpty { out += chunk }
        return out
    }

    private static let chunkSizes = [1, 2, 3, 7, 4096]

    /// The fixtures of scripts/gen_encoding_fixtures.py, made once per run (nil without python3).
    private static let fixtures: URL? = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shopctl-encodings-\(getpid())")
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/gen_encoding_fixtures.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, dir.path]
        do {
            try process.run()
            process.waitUntilExit()
        } catch { return nil }
        return process.terminationStatus == 0 ? dir : nil
    }()

    private func fixture(_ name: String) throws -> [UInt8] {
        guard let dir = Self.fixtures else { throw XCTSkip("python3 is not available") }
        return [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
    }

    /// Where Foundation (ICU, GB18030-2022) and Python's codec (the GB18030-2000 table) differ:
    /// Python's code point → ICU's. Nothing else may differ (docs/formats.md, "Encodings").
    static let gb18030Revisions: [UInt32: UInt32] = [
        0x1E3F: 0xE7C7, 0xE7C7: 0x1E3F, 0xE5E5: 0x3000,
        0xE78D: 0xFE10, 0xE78E: 0xFE12, 0xE78F: 0xFE11, 0xE790: 0xFE13, 0xE791: 0xFE14, 0xE792: 0xFE15,
        0xE793: 0xFE16, 0xE794: 0xFE17, 0xE795: 0xFE18, 0xE796: 0xFE19,
        0xE81E: 0x9FB4, 0xE826: 0x9FB5, 0xE82B: 0x9FB6, 0xE82C: 0x9FB7, 0xE832: 0x9FB8, 0xE843: 0x9FB9,
        0xE854: 0x9FBA, 0xE864: 0x9FBB,
    ]

    /// Python's text with the GB18030-2022 revisions applied.
    private func revised(_ utf8: [UInt8]) -> [UInt8] {
        var out = String.UnicodeScalarView()
        for scalar in String(decoding: utf8, as: UTF8.self).unicodeScalars {
            out.append(Self.gb18030Revisions[scalar.value].flatMap(Unicode.Scalar.init) ?? scalar)
        }
        return Array(String(out).utf8)
    }

    /// Asserts equal UTF-8, naming the first code point that differs.
    private func assertSameText(_ got: [UInt8], _ expected: [UInt8], _ label: String) {
        if got == expected { return }
        let g = Array(String(decoding: got, as: UTF8.self).unicodeScalars)
        let e = Array(String(decoding: expected, as: UTF8.self).unicodeScalars)
        let i = (0..<min(g.count, e.count)).first { g[$0] != e[$0] } ?? min(g.count, e.count)
        let gv = i < g.count ? String(g[i].value, radix: 16) : "end"
        let ev = i < e.count ? String(e[i].value, radix: 16) : "end"
        XCTFail("\(label): scalar \(i) is \(gv), Python says \(ev)")
    }

    // MARK: - Every code point, against Python

    func testGB18030DecodesEveryCodePointLikePython() throws {
        let expected = revised(try fixture("all.utf8"))
        let input = try fixture("all.gb18030")
        for size in Self.chunkSizes {
            assertSameText(try decode(input, .gb18030, chunkSize: size), expected, "gb18030, chunks of \(size)")
        }
        // auto picks GB18030 for it (its first bytes are ASCII, then U+0080 is 81 30 81 30) once the
        // NUL (U+0000, which makes auto leave a file to the UTF-8 reader) is taken off.
        assertSameText(try decode(Array(input.dropFirst()), .auto), Array(expected.dropFirst()), "gb18030 by auto")
        XCTAssertEqual(try decode(input, .auto, chunkSize: 1).prefix(200), input.prefix(200), "with a NUL: passed through")
    }

    func testUTF16DecodesEveryCodePointLikePython() throws {
        let expected = try fixture("all.utf8")
        let little = try fixture("all.utf16le")
        let big = try fixture("all.utf16be")
        for size in [7, 4096] {
            assertSameText(try decode(little, .utf16, chunkSize: size), expected, "utf-16 (LE, no BOM), chunks of \(size)")
            assertSameText(try decode([0xFF, 0xFE] + little, .auto, chunkSize: size), expected, "LE BOM, \(size)")
            assertSameText(try decode([0xFE, 0xFF] + big, .auto, chunkSize: size), expected, "BE BOM, \(size)")
            assertSameText(try decode([0xFE, 0xFF] + big, .utf16, chunkSize: size), expected, "utf-16 BE BOM, \(size)")
        }
        // Every split point in small chunks, on the BMP's end and the supplementary planes' last pairs.
        let bmpEnd = Array(little[(0xF000 - 0x800) * 2..<(0xFFFF - 0x800) * 2])
        let pairs = Array(big.suffix(64_000))
        for size in [1, 2, 3] {
            XCTAssertEqual(try decode(bmpEnd, .utf16, chunkSize: size), Array(String(decoding: bmpEnd.pairsLE, as: UTF16.self).utf8))
            XCTAssertEqual(
                try decode([0xFE, 0xFF] + pairs, .utf16, chunkSize: size), Array(String(decoding: pairs.pairsBE, as: UTF16.self).utf8))
        }
    }

    /// Every two-byte sequence 81–FE 00–FF decodes to what Python's codec says, or is refused where it refuses.
    func testGB18030TwoByteSequencesAgreeWithPython() throws {
        let table = String(decoding: try fixture("gb18030-pairs.txt"), as: UTF8.self)
        var checked = 0
        for line in table.split(separator: "\n") {
            let parts = line.split(separator: " ")
            let lead = UInt8(parts[0].prefix(2), radix: 16)!
            let trail = UInt8(parts[0].suffix(2), radix: 16)!
            // Framed by ASCII so a refused pair cannot join its neighbours.
            let bytes: [UInt8] = [0x41, lead, trail, 0x42]
            if parts[1] == "-" {
                XCTAssertThrowsError(try decode(bytes, .gb18030), "\(parts[0]) must be refused") { error in
                    XCTAssertEqual((error as? CodecError)?.code, "bad-encoding")
                }
            } else {
                let python = UInt32(parts[1], radix: 16)!
                let scalar = Unicode.Scalar(Self.gb18030Revisions[python] ?? python)!
                XCTAssertEqual(
                    try? decode(bytes, .gb18030), Array("A\(Character(scalar))B".utf8), "\(parts[0]) → U+\(parts[1])")
            }
            checked += 1
        }
        XCTAssertEqual(checked, 126 * 256)
    }

    // MARK: - Without Python

    func testGB18030KnownCharacters() throws {
        // 𠮷 = 95 34 B2 35, ¥ = 81 30 84 36, 旗艦 = C6 EC C5 9E, € = A2 E3, ideographic space = A1 A1.
        let bytes: [UInt8] = [0x95, 0x34, 0xB2, 0x35, 0x81, 0x30, 0x84, 0x36, 0xC6, 0xEC, 0xC5, 0x9E, 0xA2, 0xE3, 0xA1, 0xA1]
        for size in Self.chunkSizes {
            XCTAssertEqual(String(decoding: try decode(bytes, .gb18030, chunkSize: size), as: UTF8.self), "𠮷¥旗艦€\u{3000}")
        }
    }

    /// An invalid byte at every position is refused with its offset, and line/character in decoded text.
    func testGB18030InvalidByteAtEveryPosition() throws {
        let text = "id,名称\n1,旗艦𠮷\n2,¥x\n"
        let good = try XCTUnwrap(text.data(using: Transcoder.gb18030Encoding)).map { $0 }
        // Sequence boundaries of `good`, with the decoded line/character of each.
        var boundaries: [(offset: Int, line: Int, character: Int)] = []
        var offset = 0
        var line = 1
        var character = 1
        for scalar in text.unicodeScalars {
            boundaries.append((offset, line, character))
            offset += String(scalar).data(using: Transcoder.gb18030Encoding)!.count
            if scalar == "\n" {
                line += 1
                character = 1
            } else {
                character += 1
            }
        }
        boundaries.append((offset, line, character))
        for bad: [UInt8] in [[0xFF], [0x80], [0x81, 0x20], [0x81, 0x30, 0x20], [0x84, 0x31, 0xA5, 0x30], [0xE3, 0x32, 0x9A, 0x36]] {
            for b in boundaries {
                let bytes = Array(good[..<b.offset]) + bad + Array(good[b.offset...])
                for size in [1, 3, 4096] {
                    let error = assertInputError(
                        { try decode(bytes, .gb18030, chunkSize: size) }, code: "bad-encoding",
                        en: ["offset \(b.offset)", "line \(b.line) (character \(b.character))", TextEncodingError.hex(bad[0])],
                        zh: ["第 \(b.line) 行"])
                    if error == nil { return }
                }
            }
        }
    }

    func testGB18030CutAtTheEnd() {
        assertInputError({ try self.decode([0x41, 0xC6], .gb18030) }, code: "bad-encoding", en: ["offset 1", "0xC6"])
        assertInputError({ try self.decode([0x41, 0x81, 0x30, 0x81], .gb18030) }, code: "bad-encoding", en: ["offset 1"])
    }

    func testUTF16Errors() {
        // Unpaired low surrogate, high surrogate then a letter, high surrogate at the end, odd length.
        assertInputError(
            { try self.decode([0xFF, 0xFE, 0x41, 0x00, 0x0A, 0x00, 0x42, 0x00, 0x00, 0xDC], .auto, chunkSize: 1) },
            code: "bad-encoding", en: ["U+DC00", "offset 8", "line 2 (character 2)"])
        assertInputError(
            { try self.decode([0x41, 0x00, 0x00, 0xD8, 0x42, 0x00], .utf16, chunkSize: 3) }, code: "bad-encoding",
            en: ["U+D800", "offset 2", "line 1 (character 2)"])
        assertInputError(
            { try self.decode([0xFE, 0xFF, 0x00, 0x41, 0xD8, 0x00], .auto) }, code: "bad-encoding", en: ["U+D800", "offset 4"])
        assertInputError({ try self.decode([0x41, 0x00, 0x42], .utf16) }, code: "bad-encoding", en: ["odd number"])
        // A pair split across chunks is one character.
        XCTAssertEqual(try decode([0x3D, 0xD8, 0x00, 0xDE], .utf16, chunkSize: 1), Array("😀".utf8))
    }

    // MARK: - auto

    func testAutoPassesUTF8Through() throws {
        let text = Array("\u{FEFF}id,名称\n1,旗艦\n".utf8)
        for size in Self.chunkSizes { XCTAssertEqual(try decode(text, .auto, chunkSize: size), text) }
        // Invalid UTF-8 past the sniffed prefix is left to the UTF-8 reader (not-utf8 there).
        let late = Array(repeating: UInt8(ascii: "a"), count: Transcoder.sniffLimit) + [0xC6, 0xEC]
        XCTAssertEqual(try decode(late, .auto), late)
        // Forced UTF-8 is not looked at.
        XCTAssertEqual(try decode([0xC6, 0xEC], .utf8), [0xC6, 0xEC])
    }

    func testAutoReadsGBK() throws {
        let gbk: [UInt8] = [0x69, 0x64, 0x2C, 0xC3, 0xFB, 0xB3, 0xC6, 0x0A]  // "id,名称\n"
        XCTAssertEqual(String(decoding: try decode(gbk, .auto, chunkSize: 1), as: UTF8.self), "id,名称\n")
    }

    func testAutoNeitherNamesTheByte() {
        // UTF-8 breaks at the lone 0xC6 (offset 4); GB18030 reads "ab\nc" + C6 41 (2 bytes) and breaks at 0xFF.
        assertInputError(
            { try self.decode([0x61, 0x62, 0x0A, 0x63, 0xC6, 0x41, 0xFF], .auto) }, code: "not-utf8",
            en: ["byte 0xFF", "offset 6", "line 2 (character 3)", "neither UTF-8 nor GB18030"], zh: ["第 2 行"])
        // UTF-8 goes further (a UTF-8 "名" then 0x80 alone): GB18030 breaks at E5 90 8D → 0x8D? it names the later.
        assertInputError({ try self.decode([0xFF], .auto) }, code: "not-utf8", en: ["byte 0xFF", "offset 0"])
    }

    // MARK: - Random input

    /// Random bytes (biased to GB18030's lead, trail and four-byte digits, UTF-16 surrogates):
    /// never a crash, and the same output or the same error whatever the chunk size.
    func testRandomInputIsChunkIndependent() throws {
        var rng = FuzzRandom.replayable("TranscoderTests.testRandomInputIsChunkIndependent")
        let alphabet: [UInt8] = [
            0x0A, 0x41, 0x2C, 0x00, 0x80, 0x81, 0x84, 0x90, 0xA1, 0xE3, 0xFE, 0xFF, 0x30, 0x39, 0x40, 0x7F, 0xD8, 0xDC, 0xEF, 0xBB, 0xBF,
        ]
        func outcome(_ bytes: [UInt8], _ encoding: InputEncoding, _ size: Int) -> String {
            do { return "ok " + (try decode(bytes, encoding, chunkSize: size)).map(String.init).joined(separator: " ") } catch {
                return "error \(error)"
            }
        }
        var trials = 0
        for _ in 0..<3000 {
            let count = Int.random(in: 0...40, using: &rng)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &rng) ? alphabet.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            for encoding in [InputEncoding.auto, .gb18030, .utf16] {
                let whole = outcome(bytes, encoding, 4096)
                for size in [1, 2, 3, 7] {
                    XCTAssertEqual(outcome(bytes, encoding, size), whole, "\(encoding) \(bytes) in chunks of \(size)")
                }
                if encoding == .utf16, whole.hasPrefix("ok"), bytes.count % 2 == 0,
                    !(bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]))
                {
                    let units = bytes.pairsLE
                    XCTAssertEqual(
                        whole, "ok " + Array(String(decoding: units, as: UTF16.self).utf8).map(String.init).joined(separator: " "))
                }
                trials += 1
            }
        }
        XCTAssertEqual(trials, 9000)
    }
}

extension Array where Element == UInt8 {
    fileprivate var pairsLE: [UInt16] { stride(from: 0, to: count - 1, by: 2).map { UInt16(self[$0]) | UInt16(self[$0 + 1]) << 8 } }
    fileprivate var pairsBE: [UInt16] { stride(from: 0, to: count - 1, by: 2).map { UInt16(self[$0]) << 8 | UInt16(self[$0 + 1]) } }
}
