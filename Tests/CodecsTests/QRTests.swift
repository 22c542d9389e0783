import Foundation
import XCTest

@testable import Codecs

final class QRTests: XCTestCase {
    // MARK: - Reference symbol

    static let referenceInput = "https://taoxiaopu.example/s/AbC123_-xyz"

    /// `referenceInput` at level M: version 3, mask 3. Decoded by zbarimg 0.23.92
    /// to exactly `referenceInput`, and identical to python-qrcode 8.2's matrix
    /// for the same bytes, version, level and mask.
    static let referenceMatrix = [
        "#######.#######.#..##.#######",
        "#.....#.#.#...#.##....#.....#",
        "#.###.#..###.#.....##.#.###.#",
        "#.###.#.####.##..#.#..#.###.#",
        "#.###.#..##.##.#...#..#.###.#",
        "#.....#....#.#....###.#.....#",
        "#######.#.#.#.#.#.#.#.#######",
        "........####...###..#........",
        "#.##.###.##.#.##.###..#..#.##",
        "....##.#.##.#####.#######...#",
        ".#..#.####..###.###.#.##..##.",
        "####...##.####.##.##.##.#...#",
        "##.#.###.##....######..#.##..",
        ".#..#..#####.###...#..#...###",
        "#.#.####......#.#####.###.###",
        "...#.#..#..###......#..#...#.",
        ".####.##..#.....#.#.##.###.#.",
        ".#.###.####.##.##.#.#..#.###.",
        "#..#..#.#.##...####...###.#..",
        "....#..#.........###.###..#..",
        ".#...##..###.#...#..#######..",
        "........##.####..##.#...#####",
        "#######.###.##..#.###.#.##.#.",
        "#.....#.#.#.#..##.###...##.#.",
        "#.###.#..#....##....#####.#..",
        "#.###.#.##..#.#.##.###.###..#",
        "#.###.#.#...#.#.#....#.#..#.#",
        "#.....#..##.##.....###..##.#.",
        "#######.#..#......###....#.#.",
    ]

    private static func picture(_ code: QRCode) -> [String] {
        code.modules.map { row in String(row.map { $0 ? "#" : "." }) }
    }

    /// Always runs, with or without zbarimg.
    func testReferenceMatrix() throws {
        let code = try QRCode(encoding: Self.referenceInput)
        XCTAssertEqual(code.version, 3)
        XCTAssertEqual(code.ecc, .medium)
        XCTAssertEqual(code.mask, 3)
        XCTAssertEqual(code.size, 29)
        XCTAssertEqual(Self.picture(code), Self.referenceMatrix)
    }

    // MARK: - Decoding with zbarimg

    /// Runs zbarimg on the PNG; when zbarimg is missing, checks the reference
    /// matrix instead and then skips, so the test never passes silently.
    private func assertZbarimgDecodes(
        _ bytes: [UInt8], ecc: QRCode.ErrorCorrection = .medium, minimumVersion: Int = 1, mask: Int? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        guard let zbarimg = Zbarimg.locate() else {
            guard try Self.picture(QRCode(encoding: Self.referenceInput)) == Self.referenceMatrix else {
                XCTFail("zbarimg is not installed and the reference matrix changed", file: file, line: line)
                throw ReferenceMismatch()
            }
            throw XCTSkip("zbarimg is not installed (apt-get install zbar-tools); checked the reference matrix only")
        }
        let code = try QRCode(encoding: bytes, ecc: ecc, minimumVersion: minimumVersion, mask: mask)
        let decoded = try zbarimg.decode(png: code.pngData(scale: 4))
        XCTAssertEqual(
            decoded, String(decoding: bytes, as: UTF8.self),
            "version \(code.version), level \(ecc), mask \(code.mask)", file: file, line: line)
    }

    private struct ReferenceMismatch: Error {}

    func testZbarimgDecodesShareURL() throws {
        try assertZbarimgDecodes(Array("https://taoxiaopu.example/s/AbC123_-xyz".utf8))
    }

    func testZbarimgDecodesLongURL() throws {
        let url =
            "https://taoxiaopu.example/s/AbC123_-xyz?channel=wechat-moments&campaign=double-eleven-2026"
            + "&ref=shop-00042&utm_source=shopctl&utm_medium=qr&lang=zh-CN"
        XCTAssertEqual(url.utf8.count, 149)
        try assertZbarimgDecodes(Array(url.utf8))
    }

    func testZbarimgDecodesChineseText() throws {
        let text = "淘小铺｜云南小粒咖啡 ¥39.90，今日推荐！扫码下单：https://taoxiaopu.example/s/AbC123_-xyz"
        try assertZbarimgDecodes(Array(text.utf8))
    }

    /// The largest payload of every version at level M, so every version's
    /// layout, block structure and alignment patterns are read back.
    func testZbarimgDecodesEveryVersionAtLevelM() throws {
        for version in QRCode.versionRange {
            let count = QRCode.byteCapacity(version: version, ecc: .medium)
            try assertZbarimgDecodes(letters(count, seed: version), minimumVersion: version)
        }
    }

    func testZbarimgDecodesEveryLevel() throws {
        for ecc in QRCode.ErrorCorrection.allCases {
            for version in [1, 6, 7, 14, 27, 40] {
                let count = QRCode.byteCapacity(version: version, ecc: ecc)
                try assertZbarimgDecodes(letters(count, seed: version), ecc: ecc, minimumVersion: version)
            }
        }
    }

    func testZbarimgDecodesEveryMask() throws {
        for mask in 0...7 {
            try assertZbarimgDecodes(Array("mask \(mask): \(Self.referenceInput)".utf8), minimumVersion: 7, mask: mask)
        }
    }

    /// Upper-case letters, which zbarimg prints as they are.
    private func letters(_ count: Int, seed: Int) -> [UInt8] {
        var state = UInt32(seed)
        return (0..<count).map { _ in
            state = state &* 1_103_515_245 &+ 12_345
            return UInt8(65 + (state >> 16) % 26)
        }
    }

    // MARK: - Version selection

    /// Byte-mode capacities from ISO/IEC 18004 Table 7, rows L, M, Q, H.
    static let byteCapacities: [[Int]] = [
        [
            17, 32, 53, 78, 106, 134, 154, 192, 230, 271, 321, 367, 425, 458, 520, 586, 644, 718, 792, 858,
            929, 1003, 1091, 1171, 1273, 1367, 1465, 1528, 1628, 1732, 1840, 1952, 2068, 2188, 2303, 2431,
            2563, 2699, 2809, 2953,
        ],
        [
            14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666,
            711, 779, 857, 911, 997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911,
            1989, 2099, 2213, 2331,
        ],
        [
            11, 20, 32, 46, 60, 74, 86, 108, 130, 151, 177, 203, 241, 258, 292, 322, 364, 394, 442, 482,
            509, 565, 611, 661, 715, 751, 805, 868, 908, 982, 1030, 1112, 1168, 1228, 1283, 1351, 1423,
            1499, 1579, 1663,
        ],
        [
            7, 14, 24, 34, 44, 58, 64, 84, 98, 119, 137, 155, 177, 194, 220, 250, 280, 310, 338, 382,
            403, 439, 461, 511, 535, 593, 625, 658, 698, 742, 790, 842, 898, 958, 983, 1051, 1093, 1139,
            1219, 1273,
        ],
    ]

    func testByteCapacityMatchesTheStandard() {
        for ecc in QRCode.ErrorCorrection.allCases {
            let computed = QRCode.versionRange.map { QRCode.byteCapacity(version: $0, ecc: ecc) }
            XCTAssertEqual(computed, Self.byteCapacities[ecc.rawValue], "level \(ecc)")
        }
    }

    func testVersion1MHoldsFourteenBytesAndFifteenNeedVersion2() throws {
        XCTAssertEqual(try QRCode(encoding: [UInt8](repeating: 0x61, count: 14)).version, 1)
        XCTAssertEqual(try QRCode(encoding: [UInt8](repeating: 0x61, count: 15)).version, 2)
        XCTAssertEqual(try QRCode(encoding: []).version, 1)
    }

    func testVersionBoundariesUpToVersion10() throws {
        for version in 1...10 {
            let capacity = QRCode.byteCapacity(version: version, ecc: .medium)
            XCTAssertEqual(try QRCode(encoding: letters(capacity, seed: 1)).version, version)
            XCTAssertEqual(try QRCode(encoding: letters(capacity + 1, seed: 1)).version, version + 1)
        }
    }

    func testSmallestVersionAtEveryBoundary() {
        for ecc in QRCode.ErrorCorrection.allCases {
            for version in QRCode.versionRange {
                let capacity = Self.byteCapacities[ecc.rawValue][version - 1]
                XCTAssertEqual(QRCode.smallestVersion(byteCount: capacity, ecc: ecc, from: 1), version)
                XCTAssertEqual(
                    QRCode.smallestVersion(byteCount: capacity + 1, ecc: ecc, from: 1),
                    version < 40 ? version + 1 : nil)
            }
        }
    }

    func testLargestPayloadsAndTooLong() throws {
        XCTAssertEqual(try QRCode(encoding: letters(2331, seed: 3)).version, 40)
        XCTAssertEqual(try QRCode(encoding: letters(2953, seed: 3), ecc: .low).version, 40)
        XCTAssertThrowsError(try QRCode(encoding: letters(2332, seed: 3))) { error in
            XCTAssertEqual((error as? CodecError)?.code, "qr-too-long")
            XCTAssertEqual((error as? CodecError)?.kind, .usage)
        }
    }

    func testMinimumVersionAndLevel() throws {
        let code = try QRCode(encoding: "A", ecc: .high, minimumVersion: 5)
        XCTAssertEqual(code.version, 5)
        XCTAssertEqual(code.size, 37)
        XCTAssertEqual(code.ecc, .high)
        XCTAssertEqual(try QRCode(encoding: "A", minimumVersion: 40).size, 177)
    }

    // MARK: - Codewords and blocks

    func testCodewordCountsAndRemainderBits() {
        // Total codewords per version (Table 1) and the remainder bits left over.
        let totals = [
            26, 44, 70, 100, 134, 172, 196, 242, 292, 346, 404, 466, 532, 581, 655, 733, 815, 901, 991, 1085,
            1156, 1258, 1364, 1474, 1588, 1706, 1828, 1921, 2051, 2185, 2323, 2465, 2611, 2761, 2876, 3034,
            3196, 3362, 3532, 3706,
        ]
        for version in QRCode.versionRange {
            let modules = QRFunctionPatterns.dataModuleCount(version: version)
            XCTAssertEqual(modules / 8, totals[version - 1], "version \(version)")
            let remainder: Int
            switch version {
            case 1, 7...13, 35...40: remainder = 0
            case 2...6: remainder = 7
            case 14...20, 28...34: remainder = 3
            default: remainder = 4
            }
            XCTAssertEqual(modules % 8, remainder, "version \(version)")
        }
    }

    func testByteModeDataCodewords() {
        // Mode 0100, count 00000010, "A" "B", terminator 0000, then pad codewords.
        let data = QRDataEncoder.dataCodewords(Array("AB".utf8), version: 1, capacity: 16)
        XCTAssertEqual(
            data, [0x40, 0x24, 0x14, 0x20, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11])
    }

    func testReedSolomonMatchesPublishedExamples() {
        let encoder = ReedSolomonEncoder(eccCount: 10)
        // ISO/IEC 18004 Annex I: "01234567" at 1-M.
        let annexI: [UInt8] = [0x10, 0x20, 0x0c, 0x56, 0x61, 0x80, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11]
        XCTAssertEqual(encoder.remainder(of: annexI), [0xa5, 0x24, 0xd4, 0xc1, 0xed, 0x36, 0xc7, 0x87, 0x2c, 0x55])
        // "HELLO WORLD" in alphanumeric mode at 1-M.
        let hello: [UInt8] = [0x20, 0x5b, 0x0b, 0x78, 0xd1, 0x72, 0xdc, 0x4d, 0x43, 0x40, 0xec, 0x11, 0xec, 0x11, 0xec, 0x11]
        XCTAssertEqual(encoder.remainder(of: hello), [0xc4, 0x23, 0x27, 0x77, 0xeb, 0xd7, 0xe7, 0xe2, 0x5d, 0x17])
    }

    func testGeneratorPolynomialOfDegree7() {
        // Annex A: g(x) = x^7 + α^87 x^6 + α^229 x^5 + α^146 x^4 + α^149 x^3 + α^238 x^2 + α^102 x + α^21.
        XCTAssertEqual(ReedSolomonEncoder(eccCount: 7).generator.map { GF256.log[Int($0)] }, [87, 229, 146, 149, 238, 102, 21])
    }

    /// A Reed–Solomon codeword evaluates to zero at every root α^0 … α^(n−1).
    func testCodewordsHaveZeroSyndromes() {
        for eccCount in [7, 10, 18, 30] {
            let encoder = ReedSolomonEncoder(eccCount: eccCount)
            let data = letters(50, seed: eccCount)
            let codeword = data + encoder.remainder(of: data)
            for root in 0..<eccCount {
                let x = GF256.exp[root]
                let value = codeword.reduce(UInt8(0)) { GF256.multiply($0, x) ^ $1 }
                XCTAssertEqual(value, 0, "ecc \(eccCount), root α^\(root)")
            }
        }
    }

    func testGF256Tables() {
        XCTAssertEqual(GF256.exp[8], 0x1d, "α^8 = x^4 + x^3 + x^2 + 1")
        XCTAssertEqual(Set(GF256.exp[0..<255]).count, 255, "α generates every non-zero element")
        for value in 1...255 {
            XCTAssertEqual(Int(GF256.exp[GF256.log[value]]), value)
        }
    }

    func testBlockLayoutAndInterleavingWithUnequalBlocks() {
        // 5-Q: two blocks of 15 data codewords, then two of 16; 18 ECC each.
        let layout = QRBlockLayout(version: 5, ecc: .quartile)
        XCTAssertEqual(layout.blockCount, 4)
        XCTAssertEqual(layout.eccPerBlock, 18)
        XCTAssertEqual(layout.totalCodewords, 134)
        XCTAssertEqual(layout.dataCodewords, 62)
        XCTAssertEqual(layout.shortBlockCount, 2)
        XCTAssertEqual(layout.shortBlockDataCodewords, 15)

        let data = (0..<62).map { UInt8($0) }
        let out = layout.interleave(data)
        XCTAssertEqual(out.count, 134)
        XCTAssertEqual(Array(out.prefix(8)), [0, 15, 30, 46, 1, 16, 31, 47])
        XCTAssertEqual(Array(out[56..<62]), [14, 29, 44, 60, 45, 61])
        let blocks = [0..<15, 15..<30, 30..<46, 46..<62].map { range in
            ReedSolomonEncoder(eccCount: 18).remainder(of: Array(data[range]))
        }
        XCTAssertEqual(Array(out[62..<66]), blocks.map { $0[0] })
        XCTAssertEqual(Array(out.suffix(4)), blocks.map { $0[17] })
    }

    func testBlockTablesAreConsistent() {
        for ecc in QRCode.ErrorCorrection.allCases {
            for version in QRCode.versionRange {
                let layout = QRBlockLayout(version: version, ecc: ecc)
                // At most one codeword difference between blocks, short blocks exist.
                XCTAssertGreaterThan(layout.shortBlockCount, 0)
                XCTAssertGreaterThan(layout.shortBlockDataCodewords, 0)
                XCTAssertEqual(
                    layout.shortBlockCount * layout.shortBlockDataCodewords
                        + (layout.blockCount - layout.shortBlockCount) * (layout.shortBlockDataCodewords + 1),
                    layout.dataCodewords)
            }
        }
    }

    // MARK: - Format and version information

    func testFormatInformationMatchesAnnexC() {
        XCTAssertEqual(QRBCH.formatBits(ecc: .low, mask: 0), 0b111011111000100)
        XCTAssertEqual(QRBCH.formatBits(ecc: .medium, mask: 0), 0b101010000010010)
        XCTAssertEqual(QRBCH.formatBits(ecc: .quartile, mask: 0), 0b011010101011111)
        XCTAssertEqual(QRBCH.formatBits(ecc: .high, mask: 0), 0b001011010001001)
        XCTAssertEqual(QRBCH.formatBits(ecc: .medium, mask: 5), 0b100000011001110)
    }

    func testFormatCodesAreAtLeastSevenBitsApart() {
        let codes = QRCode.ErrorCorrection.allCases.flatMap { ecc in (0...7).map { QRBCH.formatBits(ecc: ecc, mask: $0) } }
        XCTAssertEqual(Set(codes).count, 32)
        for a in codes {
            for b in codes where a != b {
                XCTAssertGreaterThanOrEqual((a ^ b).nonzeroBitCount, 7)
            }
        }
    }

    func testVersionInformationMatchesAnnexD() {
        XCTAssertEqual(QRBCH.versionBits(version: 7), 0x07c94)
        XCTAssertEqual(QRBCH.versionBits(version: 8), 0x085bc)
        XCTAssertEqual(QRBCH.versionBits(version: 40), 0x28c69)
        let codes = (7...40).map { QRBCH.versionBits(version: $0) }
        for a in codes {
            for b in codes where a != b {
                XCTAssertGreaterThanOrEqual((a ^ b).nonzeroBitCount, 8)
            }
        }
    }

    /// Reads both copies of the format information back out of finished symbols.
    func testFormatInformationIsPlacedTwice() throws {
        for (ecc, mask) in [(QRCode.ErrorCorrection.low, 2), (.medium, 5), (.quartile, 0), (.high, 7)] {
            let code = try QRCode(encoding: "format", ecc: ecc, mask: mask)
            let size = code.size
            var first = 0, second = 0
            for index in 0..<15 {
                let (x1, y1): (Int, Int)
                switch index {
                case 0...5: (x1, y1) = (8, index)
                case 6: (x1, y1) = (8, 7)
                case 7: (x1, y1) = (8, 8)
                case 8: (x1, y1) = (7, 8)
                default: (x1, y1) = (14 - index, 8)
                }
                let (x2, y2) = index < 8 ? (size - 1 - index, 8) : (8, size - 15 + index)
                first |= (code.isDark(x: x1, y: y1) ? 1 : 0) << index
                second |= (code.isDark(x: x2, y: y2) ? 1 : 0) << index
            }
            XCTAssertEqual(first, QRBCH.formatBits(ecc: ecc, mask: mask))
            XCTAssertEqual(second, first)
            XCTAssertTrue(code.isDark(x: 8, y: size - 8), "the dark module")
        }
    }

    func testVersionInformationIsPlacedTwiceFromVersion7() throws {
        let version6 = QRMatrix(version: 6)
        XCTAssertFalse(version6.reserved[version6.size - 11], "no version information below version 7")
        for version in [7, 21, 40] {
            let code = try QRCode(encoding: "version", minimumVersion: version)
            var topRight = 0, bottomLeft = 0
            for index in 0..<18 {
                topRight |= (code.isDark(x: code.size - 11 + index % 3, y: index / 3) ? 1 : 0) << index
                bottomLeft |= (code.isDark(x: index / 3, y: code.size - 11 + index % 3) ? 1 : 0) << index
            }
            XCTAssertEqual(topRight, QRBCH.versionBits(version: version))
            XCTAssertEqual(bottomLeft, topRight)
        }
    }

    // MARK: - Function patterns

    func testFinderTimingAndAlignmentPatterns() throws {
        let code = try QRCode(encoding: Self.referenceInput, minimumVersion: 7)
        let size = code.size
        let finder = ["#######", "#.....#", "#.###.#", "#.###.#", "#.###.#", "#.....#", "#######"]
        for (left, top) in [(0, 0), (size - 7, 0), (0, size - 7)] {
            let drawn = (0..<7).map { dy in String((0..<7).map { code.isDark(x: left + $0, y: top + dy) ? "#" : "." }) }
            XCTAssertEqual(drawn, finder)
        }
        for index in 0..<8 {
            XCTAssertFalse(code.isDark(x: index, y: 7), "separator")
            XCTAssertFalse(code.isDark(x: size - 8, y: index), "separator")
            XCTAssertFalse(code.isDark(x: index, y: size - 8), "separator")
        }
        for index in 8..<(size - 8) {
            XCTAssertEqual(code.isDark(x: index, y: 6), index % 2 == 0, "horizontal timing")
            XCTAssertEqual(code.isDark(x: 6, y: index), index % 2 == 0, "vertical timing")
        }
        // Version 7 has alignment centres 6, 22, 38: check the middle one.
        let alignment = (-2...2).map { dy in String((-2...2).map { code.isDark(x: 22 + $0, y: 22 + dy) ? "#" : "." }) }
        XCTAssertEqual(alignment, ["#####", "#...#", "#.#.#", "#...#", "#####"])
    }

    func testAlignmentTableIsEvenlySpaced() {
        XCTAssertEqual(QRFunctionPatterns.alignmentCentres(version: 1), [])
        for version in 2...40 {
            let centres = QRFunctionPatterns.alignmentCentres(version: version)
            let size = QRFunctionPatterns.size(version: version)
            XCTAssertEqual(centres.count, version / 7 + 2, "version \(version)")
            XCTAssertEqual(centres.first, 6)
            XCTAssertEqual(centres.last, size - 7)
            let gaps = zip(centres.dropFirst(), centres).map { $0 - $1 }
            XCTAssertLessThanOrEqual(Set(gaps.dropFirst()).count, 1, "equal spacing after the first, version \(version)")
            XCTAssertTrue(gaps.allSatisfy { $0 % 2 == 0 }, "version \(version)")
            // The first gap absorbs the rounding; version 32 is the one
            // exception in Table E.1, where it is larger (28, then 26s).
            if version != 32 {
                XCTAssertLessThanOrEqual(gaps[0], gaps[gaps.count - 1], "version \(version)")
            }
        }
    }

    // MARK: - Masks

    func testMaskPatternsOnTheFirstModules() {
        // Row i, column j: which of the first 3×3 modules each mask inverts.
        let expected = [
            0: "#.#.#.#.#", 1: "###...###", 2: "#..#..#..", 3: "#....#.#.",
            4: "######...", 5: "####..#..", 6: "########.", 7: "#.#...#..",
        ]
        for (mask, picture) in expected {
            let drawn = String((0..<9).map { QRMatrix.maskInverts(mask, i: $0 / 3, j: $0 % 3) ? "#" : "." })
            XCTAssertEqual(drawn, picture, "mask \(mask)")
        }
    }

    func testMaskLeavesFunctionPatternsAlone() {
        var matrix = QRMatrix(version: 2)
        let original = matrix
        matrix.applyMask(4)
        for index in 0..<matrix.dark.count where original.reserved[index] {
            XCTAssertEqual(matrix.dark[index], original.dark[index])
        }
        XCTAssertNotEqual(matrix.dark, original.dark)
        matrix.applyMask(4)
        XCTAssertEqual(matrix, original)
    }

    func testChosenMaskHasTheLowestPenalty() throws {
        for text in [Self.referenceInput, "https://taoxiaopu.example/", "淘小铺"] {
            let code = try QRCode(encoding: text)
            let penalties = try (0...7).map { mask in
                try QRCode(encoding: text, mask: mask).matrixForTests.penalty
            }
            XCTAssertEqual(code.mask, penalties.firstIndex(of: penalties.min()!), text)
        }
    }

    // MARK: - Penalty rules

    private func matrix(_ rows: [String]) -> QRMatrix {
        var matrix = QRMatrix(size: rows.count)
        for (y, row) in rows.enumerated() {
            precondition(row.count == rows.count)
            for (x, character) in row.enumerated() {
                matrix[x, y] = character == "#"
            }
        }
        return matrix
    }

    func testRunRule() {
        // Five all-light rows and five all-light columns: 3 points each.
        XCTAssertEqual(matrix([".....", ".....", ".....", ".....", "....."]).runPenalty, 30)
        // A run of 7 scores 3 + 2; runs of 4 and shorter score nothing.
        let rows = ["#######", ".#.#.#.", "#.#.#.#", ".#.#.#.", "#.#.#.#", ".#.#.#.", "#.#.#.#"]
        XCTAssertEqual(matrix(rows).runPenalty, 5)
        XCTAssertEqual(matrix(["####.", ".#.#.", "#.#.#", ".#.#.", "#.#.#"]).runPenalty, 0)
    }

    func testBlockRule() {
        XCTAssertEqual(matrix(["...", "...", "..."]).blockPenalty, 12, "four overlapping 2×2 blocks")
        XCTAssertEqual(matrix(["#.#", ".#.", "#.#"]).blockPenalty, 0)
        XCTAssertEqual(matrix(["##.", "##.", "..#"]).blockPenalty, 3)
    }

    func testFinderLikeRule() {
        var rows = [String](repeating: "...............", count: 15)
        rows[7] = "#.###.#........"  // light before it (beyond the edge) and after it
        XCTAssertEqual(matrix(rows).finderLikePenalty, 80)
        rows[7] = "....#.###.#...."  // light on both sides
        XCTAssertEqual(matrix(rows).finderLikePenalty, 80)
        rows[7] = "#..#.###.#..#.."  // only two light modules on each side
        XCTAssertEqual(matrix(rows).finderLikePenalty, 0)
        rows[7] = "..#.###.#......"  // two light in the row plus the quiet zone before it
        XCTAssertEqual(matrix(rows).finderLikePenalty, 80)
        rows[7] = "....#.##..#...."  // not 1:1:3:1:1
        XCTAssertEqual(matrix(rows).finderLikePenalty, 0)
        // The same pattern in a column counts too.
        let column = "#.###.#........".map { String($0) + ".............." }
        XCTAssertEqual(matrix(column).finderLikePenalty, 80)
    }

    func testBalanceRule() {
        func withDark(_ count: Int) -> QRMatrix {
            var matrix = QRMatrix(size: 10)
            for index in 0..<count { matrix.dark[index] = true }
            return matrix
        }
        XCTAssertEqual(withDark(50).balancePenalty, 0)
        XCTAssertEqual(withDark(54).balancePenalty, 0)
        XCTAssertEqual(withDark(55).balancePenalty, 10)
        XCTAssertEqual(withDark(46).balancePenalty, 0)
        XCTAssertEqual(withDark(45).balancePenalty, 10)
        XCTAssertEqual(withDark(30).balancePenalty, 40)
        XCTAssertEqual(withDark(0).balancePenalty, 100)
        XCTAssertEqual(withDark(100).balancePenalty, 100)
    }

    // MARK: - Reading modules

    func testModulesAndIsDarkAgree() throws {
        let code = try QRCode(encoding: Self.referenceInput)
        let modules = code.modules
        XCTAssertEqual(modules.count, code.size)
        for y in 0..<code.size {
            XCTAssertEqual(modules[y].count, code.size)
            for x in 0..<code.size {
                XCTAssertEqual(modules[y][x], code.isDark(x: x, y: y))
            }
        }
        XCTAssertFalse(code.isDark(x: -1, y: 0))
        XCTAssertFalse(code.isDark(x: 0, y: code.size))
    }

    func testTextAndBytesGiveTheSameSymbol() throws {
        let text = "淘小铺 https://taoxiaopu.example"
        XCTAssertEqual(try QRCode(encoding: text), try QRCode(encoding: Array(text.utf8)))
    }

    // MARK: - Terminal rendering

    /// Turns half-block lines back into painted/unpainted module rows.
    private func unpaint(_ lines: [String]) -> [[Bool]] {
        lines.flatMap { line -> [[Bool]] in
            let cells = Array(line)
            return [
                cells.map { $0 == "█" || $0 == "▀" },
                cells.map { $0 == "█" || $0 == "▄" },
            ]
        }
    }

    func testTerminalLinesShowDarkModulesAsGlyphs() throws {
        let code = try QRCode(encoding: Self.referenceInput)
        for quietZone in [0, 1, 2, 4] {
            let lines = code.terminalLines(quietZone: quietZone)
            let side = code.size + 2 * quietZone
            XCTAssertEqual(lines.count, (side + 1) / 2)
            XCTAssertTrue(lines.allSatisfy { $0.count == side })
            XCTAssertTrue(lines.allSatisfy { $0.allSatisfy { " ▀▄█".contains($0) } })
            let painted = unpaint(lines)
            for y in -quietZone..<(code.size + quietZone) {
                for x in -quietZone..<(code.size + quietZone) {
                    XCTAssertEqual(painted[y + quietZone][x + quietZone], code.isDark(x: x, y: y))
                }
            }
        }
        XCTAssertEqual(code.terminalLines(quietZone: 0)[0].first, "█", "top-left finder corner is dark")
        XCTAssertEqual(code.terminalLines(quietZone: 2)[0], String(repeating: " ", count: 33))
    }

    func testInvertedTerminalLinesPaintTheLightModules() throws {
        let code = try QRCode(encoding: Self.referenceInput)
        let lines = code.terminalLines(quietZone: 2, invert: true)
        XCTAssertEqual(lines[0], String(repeating: "█", count: 33), "quiet zone painted")
        let painted = unpaint(lines)
        for y in -2..<(code.size + 2) {
            for x in -2..<(code.size + 2) {
                XCTAssertEqual(painted[y + 2][x + 2], !code.isDark(x: x, y: y))
            }
        }
        // The odd row count leaves the lower half of the last line blank.
        XCTAssertTrue(painted.last!.allSatisfy { !$0 })
    }

    // MARK: - SVG rendering

    func testSVGPathCoversExactlyTheDarkModules() throws {
        let code = try QRCode(encoding: Self.referenceInput)
        let moduleSize = 3, originX = 10, originY = 20
        let path = code.svgPath(moduleSize: moduleSize, originX: originX, originY: originY)
        XCTAssertTrue(path.hasPrefix("<path d=\"M"))
        XCTAssertTrue(path.hasSuffix("\" fill=\"#000\" shape-rendering=\"crispEdges\"/>"))

        let d = path.split(separator: "\"")[1]
        var covered = [[Bool]](repeating: [Bool](repeating: false, count: code.size), count: code.size)
        for rectangle in d.split(separator: "M") {
            // x,yhWvSh-Wz
            let numbers = rectangle.split(whereSeparator: { ",hvz-".contains($0) }).map { Int($0)! }
            XCTAssertEqual(numbers.count, 5)
            let (left, top, width, height) = (numbers[0], numbers[1], numbers[2], numbers[3])
            XCTAssertEqual(height, moduleSize)
            XCTAssertEqual(numbers[4], width)
            XCTAssertEqual((left - originX) % moduleSize, 0)
            let y = (top - originY) / moduleSize
            for x in (left - originX) / moduleSize..<(left - originX + width) / moduleSize {
                XCTAssertFalse(covered[y][x], "modules drawn once")
                covered[y][x] = true
            }
        }
        XCTAssertEqual(covered, code.modules)
    }

    func testSVGGroupAndDocument() throws {
        let code = try QRCode(encoding: Self.referenceInput)
        let group = code.svgGroup(moduleSize: 4, originX: 40, originY: 300)
        XCTAssertTrue(group.hasPrefix("<g><rect x=\"40\" y=\"300\" width=\"148\" height=\"148\" fill=\"#fff\"/>"))
        XCTAssertTrue(group.contains("<path d=\"M56,316h"), "symbol starts after 4 quiet modules")
        XCTAssertTrue(group.hasSuffix("</g>"))

        let document = code.svgDocument(moduleSize: 2, quietZone: 4)
        XCTAssertTrue(document.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"74\" height=\"74\""))
        XCTAssertTrue(document.hasSuffix("</svg>\n"))
        XCTAssertTrue(QRCode.isHexColour("#1a1A1a"))
        XCTAssertFalse(QRCode.isHexColour("red\"/><script"))
    }

    // MARK: - PNG rendering

    func testPNGHasOnePixelBlockPerModule() throws {
        let code = try QRCode(encoding: Self.referenceInput)
        let scale = 3, quietZone = 4
        let image = try TestPNGReader(code.pngData(scale: scale, quietZone: quietZone))
        let side = (code.size + 2 * quietZone) * scale
        XCTAssertEqual(image.width, side)
        XCTAssertEqual(image.height, side)
        XCTAssertEqual(image.bitDepth, 1)
        for py in 0..<side {
            for px in 0..<side {
                let dark = code.isDark(x: px / scale - quietZone, y: py / scale - quietZone)
                XCTAssertEqual(image.samples[py * side + px], dark ? 0 : 1)
            }
        }
    }
}

// MARK: - Test access

extension QRCode {
    /// The finished matrix, rebuilt from the public modules, for penalty checks.
    fileprivate var matrixForTests: QRMatrix {
        var matrix = QRMatrix(size: size)
        for y in 0..<size {
            for x in 0..<size {
                matrix[x, y] = isDark(x: x, y: y)
            }
        }
        return matrix
    }
}

// MARK: - zbarimg

/// The zbar command-line scanner. Set `ZBARIMG` to a path to use another
/// binary, or to `none` to test what happens without one.
struct Zbarimg {
    let url: URL

    static func locate() -> Zbarimg? {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["ZBARIMG"] {
            return FileManager.default.isExecutableFile(atPath: override)
                ? Zbarimg(url: URL(fileURLWithPath: override)) : nil
        }
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin"]
        for directory in directories {
            let path = directory + "/zbarimg"
            if FileManager.default.isExecutableFile(atPath: path) {
                return Zbarimg(url: URL(fileURLWithPath: path))
            }
        }
        return nil
    }

    /// What `zbarimg --raw -q` reads from the PNG, without the newline it adds.
    /// Only the QR reader is enabled: with every symbology on, zbar once also
    /// "found" a GS1 DataBar inside a version 35 symbol.
    func decode(png: [UInt8]) throws -> String {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("shopkit-qr-\(UUID().uuidString).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let process = Process()
        process.executableURL = url
        process.arguments = ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return process.terminationStatus == 0 ? text : "<zbarimg exit \(process.terminationStatus)>"
    }
}
