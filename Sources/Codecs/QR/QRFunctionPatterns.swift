/// The fixed parts of a symbol of one version: finder patterns with their
/// separators, timing patterns, alignment patterns, the dark module, and the
/// areas reserved for format and version information (ISO/IEC 18004 §6.3).
enum QRFunctionPatterns {
    // MARK: - Geometry

    /// Modules per side: 21 for version 1, four more per version.
    static func size(version: Int) -> Int { 17 + 4 * version }

    /// Row and column centres of the alignment patterns (Annex E, Table E.1).
    /// Patterns sit at every pair of these, except the three that would
    /// overlap a finder pattern.
    static func alignmentCentres(version: Int) -> [Int] {
        alignmentTable[version]
    }

    private static let alignmentTable: [[Int]] = [
        [], [],
        [6, 18], [6, 22], [6, 26], [6, 30], [6, 34],
        [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50], [6, 30, 54], [6, 32, 58], [6, 34, 62],
        [6, 26, 46, 66], [6, 26, 48, 70], [6, 26, 50, 74], [6, 30, 54, 78], [6, 30, 56, 82],
        [6, 30, 58, 86], [6, 34, 62, 90],
        [6, 28, 50, 72, 94], [6, 26, 50, 74, 98], [6, 30, 54, 78, 102], [6, 28, 54, 80, 106],
        [6, 32, 58, 84, 110], [6, 30, 58, 86, 114], [6, 34, 62, 90, 118],
        [6, 26, 50, 74, 98, 122], [6, 30, 54, 78, 102, 126], [6, 26, 52, 78, 104, 130],
        [6, 30, 56, 82, 108, 134], [6, 34, 60, 86, 112, 138], [6, 30, 58, 86, 114, 142],
        [6, 34, 62, 90, 118, 146],
        [6, 30, 54, 78, 102, 126, 150], [6, 24, 50, 76, 102, 128, 154], [6, 28, 54, 80, 106, 132, 158],
        [6, 32, 58, 84, 110, 136, 162], [6, 26, 54, 82, 110, 138, 166], [6, 30, 58, 86, 114, 142, 170],
    ]

    // MARK: - Capacity

    /// Modules left for codewords and remainder bits once every function
    /// pattern is drawn, counted on the drawn matrix itself.
    static func dataModuleCount(version: Int) -> Int {
        dataModuleCounts[version]
    }

    /// Index 0 is unused so that the index is the version.
    private static let dataModuleCounts: [Int] = (0...40).map { version in
        version == 0 ? 0 : QRMatrix(version: version).reserved.filter { !$0 }.count
    }
}

// MARK: - Drawing function patterns

extension QRMatrix {
    /// A matrix with all function patterns of `version` drawn and the format
    /// area reserved (left light until a mask is chosen).
    init(version: Int) {
        precondition(QRCode.versionRange.contains(version), "QR versions are 1 to 40")
        self.init(size: QRFunctionPatterns.size(version: version))
        drawTimingPatterns()
        drawFinderPattern(centreX: 3, centreY: 3)
        drawFinderPattern(centreX: size - 4, centreY: 3)
        drawFinderPattern(centreX: 3, centreY: size - 4)
        drawAlignmentPatterns(version: version)
        reserveFormatArea()
        if version >= 7 {
            drawVersionInformation(version: version)
        }
    }

    /// Row 6 and column 6 alternate dark and light, dark on even indices.
    /// Drawn first: finder patterns then overwrite both ends.
    private mutating func drawTimingPatterns() {
        for index in 0..<size {
            setFunction(x: index, y: 6, dark: index % 2 == 0)
            setFunction(x: 6, y: index, dark: index % 2 == 0)
        }
    }

    /// 7×7 finder (dark ring, light ring, 3×3 dark centre) with its one-module
    /// light separator, clipped at the symbol's edge.
    private mutating func drawFinderPattern(centreX: Int, centreY: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let x = centreX + dx, y = centreY + dy
                guard x >= 0, x < size, y >= 0, y < size else { continue }
                let ring = max(abs(dx), abs(dy))
                setFunction(x: x, y: y, dark: ring != 2 && ring != 4)
            }
        }
    }

    /// 5×5 alignment patterns: dark ring, light ring, dark centre.
    private mutating func drawAlignmentPatterns(version: Int) {
        let centres = QRFunctionPatterns.alignmentCentres(version: version)
        guard let first = centres.first, let last = centres.last else { return }
        for cy in centres {
            for cx in centres {
                let nearFinder =
                    (cx == first && cy == first) || (cx == first && cy == last)
                    || (cx == last && cy == first)
                if nearFinder { continue }
                for dy in -2...2 {
                    for dx in -2...2 {
                        setFunction(x: cx + dx, y: cy + dy, dark: max(abs(dx), abs(dy)) != 1)
                    }
                }
            }
        }
    }

    /// Row 8 and column 8 beside the finders hold two copies of the format
    /// information; the module above the bottom-left copy is always dark.
    private mutating func reserveFormatArea() {
        for index in 0...8 {
            if index != 6 {
                setFunction(x: index, y: 8, dark: false)
                setFunction(x: 8, y: index, dark: false)
            }
        }
        for index in 0..<8 {
            setFunction(x: size - 1 - index, y: 8, dark: false)
            setFunction(x: 8, y: size - 1 - index, dark: false)
        }
        setFunction(x: 8, y: size - 8, dark: true)
    }
}
