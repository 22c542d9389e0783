/// A QR code symbol (ISO/IEC 18004 Model 2) holding bytes in byte mode.
///
///     let code = try QRCode(encoding: "https://taoxiaopu.example/s/AbC123_-xyz")
///     code.version                        // 3: the smallest that fits at level M
///     code.size                           // 29 modules per side
///     code.isDark(x: 0, y: 0)             // true: a finder pattern's corner
///     code.terminalLines().forEach { print($0) }
///     try Data(code.pngData()).write(to: url)
///
/// The encoder picks the smallest version from 1 to 40 that holds the data at
/// the requested error-correction level (medium by default), computes the
/// Reed–Solomon codewords and interleaves the blocks, draws the function
/// patterns with the BCH-coded format and version information, and chooses the
/// data mask with the lowest penalty under the standard's four rules.
///
/// Text is encoded as UTF-8 bytes without an ECI header, which is what phone
/// scanners expect.
public struct QRCode: Sendable, Equatable {
    /// Versions the standard defines.
    public static let versionRange = 1...40

    /// 1 to 40; the symbol has `17 + 4 * version` modules per side.
    public let version: Int
    /// The error-correction level.
    public let ecc: ErrorCorrection
    /// The data mask pattern used, 0 to 7.
    public let mask: Int
    /// Modules per side, without the quiet zone.
    public let size: Int
    /// Row-major, `y * size + x`; true is dark.
    private let darkModules: [Bool]

    // MARK: - Encoding

    /// Encodes `bytes` in byte mode.
    ///
    /// - Parameters:
    ///   - ecc: the error-correction level.
    ///   - minimumVersion: the smallest version to consider (to keep a series
    ///     of codes the same size).
    ///   - mask: forces a mask pattern (0–7) instead of choosing the best; for tests.
    /// - Throws: `CodecError` (`.usage`) with code `qr-too-long` when the data does not fit
    ///   version 40 at this level (2,331 bytes at level M).
    public init(
        encoding bytes: [UInt8], ecc: ErrorCorrection = .medium, minimumVersion: Int = 1, mask: Int? = nil
    ) throws {
        precondition(QRCode.versionRange.contains(minimumVersion), "QR versions are 1 to 40")
        precondition(mask.map { (0...7).contains($0) } ?? true, "QR mask patterns are 0 to 7")
        guard let version = QRCode.smallestVersion(byteCount: bytes.count, ecc: ecc, from: minimumVersion) else {
            let limit = QRCode.byteCapacity(version: 40, ecc: ecc)
            throw CodecError(
                .usage,
                "qr-too-long",
                en: "\(bytes.count) bytes are too many for a QR code; at most \(limit) fit",
                zh: "\(bytes.count) 字节超出二维码容量，最多 \(limit) 字节")
        }

        let layout = QRBlockLayout(version: version, ecc: ecc)
        let data = QRDataEncoder.dataCodewords(bytes, version: version, capacity: layout.dataCodewords)
        var matrix = QRMatrix(version: version)
        matrix.placeCodewords(layout.interleave(data))

        let chosenMask = mask ?? QRCode.bestMask(for: matrix, ecc: ecc)
        matrix.applyMask(chosenMask)
        matrix.drawFormatInformation(ecc: ecc, mask: chosenMask)

        self.version = version
        self.ecc = ecc
        self.mask = chosenMask
        self.size = matrix.size
        self.darkModules = matrix.dark
    }

    /// Encodes the UTF-8 bytes of `text` in byte mode.
    public init(
        encoding text: String, ecc: ErrorCorrection = .medium, minimumVersion: Int = 1, mask: Int? = nil
    ) throws {
        try self.init(encoding: Array(text.utf8), ecc: ecc, minimumVersion: minimumVersion, mask: mask)
    }

    // MARK: - Reading modules

    /// Whether the module in column `x`, row `y` is dark. Coordinates outside
    /// the symbol are the light quiet zone.
    public func isDark(x: Int, y: Int) -> Bool {
        guard x >= 0, x < size, y >= 0, y < size else { return false }
        return darkModules[y * size + x]
    }

    /// All modules, `modules[y][x]`, true is dark.
    public var modules: [[Bool]] {
        (0..<size).map { y in Array(darkModules[y * size..<(y + 1) * size]) }
    }

    // MARK: - Capacity

    /// The most bytes one byte-mode segment can hold in `version` at level `ecc`.
    public static func byteCapacity(version: Int, ecc: ErrorCorrection) -> Int {
        let dataBits = QRBlockLayout(version: version, ecc: ecc).dataCodewords * 8
        let headerBits = QRDataEncoder.segmentBits(byteCount: 0, version: version)
        let countLimit = (1 << QRDataEncoder.characterCountBits(version: version)) - 1
        return min((dataBits - headerBits) / 8, countLimit)
    }

    static func smallestVersion(byteCount: Int, ecc: ErrorCorrection, from minimum: Int) -> Int? {
        (minimum...versionRange.upperBound).first { byteCount <= byteCapacity(version: $0, ecc: ecc) }
    }

    // MARK: - Mask choice

    /// The mask (0–7) whose masked matrix, format information included, has the
    /// lowest penalty; the lowest-numbered one on a tie.
    static func bestMask(for matrix: QRMatrix, ecc: ErrorCorrection) -> Int {
        var best = 0
        var bestPenalty = Int.max
        for mask in 0...7 {
            var candidate = matrix
            candidate.applyMask(mask)
            candidate.drawFormatInformation(ecc: ecc, mask: mask)
            let penalty = candidate.penalty
            if penalty < bestPenalty {
                best = mask
                bestPenalty = penalty
            }
        }
        return best
    }
}
