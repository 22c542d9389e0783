extension QRCode {
    /// How much of the symbol may be damaged and still be read (ISO/IEC 18004 §5.5).
    ///
    ///     let code = try QRCode(encoding: bytes, ecc: .quartile)
    ///
    /// Higher levels give larger symbols for the same data. `.medium` suits
    /// screens and print alike.
    public enum ErrorCorrection: Int, Sendable, CaseIterable, Comparable {
        /// About 7 % of codewords can be restored.
        case low
        /// About 15 %.
        case medium
        /// About 25 %.
        case quartile
        /// About 30 %.
        case high

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

        /// The two bits naming the level in the format information (Table 12):
        /// L = 01, M = 00, Q = 11, H = 10.
        var formatBits: Int {
            switch self {
            case .low: return 0b01
            case .medium: return 0b00
            case .quartile: return 0b11
            case .high: return 0b10
            }
        }
    }
}

// MARK: - Block structure (ISO/IEC 18004 Table 9)

/// How the codewords of one version and level are split into Reed–Solomon blocks.
struct QRBlockLayout: Equatable {
    /// Error-correction codewords in every block.
    let eccPerBlock: Int
    /// Number of blocks.
    let blockCount: Int
    /// All codewords of the symbol, data and error correction.
    let totalCodewords: Int

    init(version: Int, ecc: QRCode.ErrorCorrection) {
        precondition(QRCode.versionRange.contains(version), "QR versions are 1 to 40")
        eccPerBlock = QRBlockLayout.eccCodewordsPerBlock[ecc.rawValue][version]
        blockCount = QRBlockLayout.blocks[ecc.rawValue][version]
        totalCodewords = QRFunctionPatterns.dataModuleCount(version: version) / 8
    }

    /// Codewords that carry data (including pad codewords).
    var dataCodewords: Int { totalCodewords - eccPerBlock * blockCount }

    /// Blocks one data codeword shorter than the rest; they come first.
    var shortBlockCount: Int { blockCount - totalCodewords % blockCount }

    /// Data codewords in a short block; long blocks have one more.
    var shortBlockDataCodewords: Int { totalCodewords / blockCount - eccPerBlock }

    // Rows are L, M, Q, H (the order of `ErrorCorrection`); column 0 is unused
    // so that the column index is the version.

    static let eccCodewordsPerBlock: [[Int]] = [
        [
            0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
            28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
            26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        ],
        [
            0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
            28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
        [
            0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
            30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
        ],
    ]

    static let blocks: [[Int]] = [
        [
            0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
            8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
        ],
        [
            0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
            17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
        ],
        [
            0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
            23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
        ],
        [
            0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
            25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
        ],
    ]
}

// MARK: - Splitting into blocks and interleaving (ISO/IEC 18004 §7.6)

extension QRBlockLayout {
    /// Splits `data` (exactly `dataCodewords` long) into blocks, appends each
    /// block's Reed–Solomon codewords, and interleaves them in the final order:
    /// the i-th data codeword of every block in turn, then the i-th error
    /// correction codeword of every block in turn.
    func interleave(_ data: [UInt8]) -> [UInt8] {
        precondition(data.count == dataCodewords, "data must fill the symbol exactly")
        let encoder = ReedSolomonEncoder(eccCount: eccPerBlock)
        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var start = 0
        for block in 0..<blockCount {
            let length = shortBlockDataCodewords + (block < shortBlockCount ? 0 : 1)
            let blockData = Array(data[start..<start + length])
            dataBlocks.append(blockData)
            eccBlocks.append(encoder.remainder(of: blockData))
            start += length
        }

        var out: [UInt8] = []
        out.reserveCapacity(totalCodewords)
        for index in 0...shortBlockDataCodewords {
            for block in dataBlocks where index < block.count {
                out.append(block[index])
            }
        }
        for index in 0..<eccPerBlock {
            for block in eccBlocks {
                out.append(block[index])
            }
        }
        return out
    }
}
