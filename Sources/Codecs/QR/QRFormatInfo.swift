// MARK: - BCH codes (ISO/IEC 18004 Annex C and Annex D)

enum QRBCH {
    /// The 15-bit format information for a level and mask: 5 data bits, the
    /// remainder modulo x^10 + x^8 + x^5 + x^4 + x^2 + x + 1 (0x537), then
    /// XOR 0x5412 so that it is never all zero.
    static func formatBits(ecc: QRCode.ErrorCorrection, mask: Int) -> Int {
        precondition((0...7).contains(mask), "QR mask patterns are 0 to 7")
        let data = ecc.formatBits << 3 | mask
        return (data << 10 | remainder(data << 10, generator: 0x537)) ^ 0x5412
    }

    /// The 18-bit version information for versions 7 and up: 6 data bits and the
    /// remainder modulo x^12 + x^11 + x^10 + x^9 + x^8 + x^5 + x^2 + 1 (0x1F25).
    static func versionBits(version: Int) -> Int {
        precondition((7...40).contains(version), "version information exists for versions 7 to 40")
        return version << 12 | remainder(version << 12, generator: 0x1f25)
    }

    /// `value` modulo `generator`, as polynomials over GF(2).
    static func remainder(_ value: Int, generator: Int) -> Int {
        let degree = generator.bitWidth - generator.leadingZeroBitCount - 1
        var rest = value
        while rest != 0 && rest.bitWidth - rest.leadingZeroBitCount - 1 >= degree {
            let shift = rest.bitWidth - rest.leadingZeroBitCount - 1 - degree
            rest ^= generator << shift
        }
        return rest
    }
}

// MARK: - Placing format and version information

extension QRMatrix {
    /// Writes both copies of the format information (Figure 25). Bit 14 is the
    /// most significant.
    ///
    /// First copy, around the top-left finder: bits 0–5 down column 8 in rows
    /// 0–5, bit 6 in row 7, bit 7 at (8, 8), bit 8 at column 7, and bits 9–14
    /// along row 8 from column 5 back to column 0.
    /// Second copy: bits 0–7 along row 8 from the right edge leftwards, and
    /// bits 8–14 down column 8 in the bottom seven rows.
    mutating func drawFormatInformation(ecc: QRCode.ErrorCorrection, mask: Int) {
        let bits = QRBCH.formatBits(ecc: ecc, mask: mask)
        func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }

        for index in 0...5 {
            setFunction(x: 8, y: index, dark: bit(index))
        }
        setFunction(x: 8, y: 7, dark: bit(6))
        setFunction(x: 8, y: 8, dark: bit(7))
        setFunction(x: 7, y: 8, dark: bit(8))
        for index in 9...14 {
            setFunction(x: 14 - index, y: 8, dark: bit(index))
        }

        for index in 0...7 {
            setFunction(x: size - 1 - index, y: 8, dark: bit(index))
        }
        for index in 8...14 {
            setFunction(x: 8, y: size - 15 + index, dark: bit(index))
        }
    }

    /// Writes both 6×3 copies of the version information (Figure 27): bit i sits
    /// at row i / 3, column size − 11 + i % 3 above the top-right finder, and
    /// transposed left of the bottom-left finder.
    mutating func drawVersionInformation(version: Int) {
        let bits = QRBCH.versionBits(version: version)
        for index in 0..<18 {
            let isDark = (bits >> index) & 1 == 1
            let near = index / 3
            let far = size - 11 + index % 3
            setFunction(x: far, y: near, dark: isDark)
            setFunction(x: near, y: far, dark: isDark)
        }
    }
}
