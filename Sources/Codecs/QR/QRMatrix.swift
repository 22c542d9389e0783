/// The square of modules being built, plus which of them belong to function
/// patterns (and so are neither data nor masked). Row-major, `y * size + x`.
struct QRMatrix: Equatable {
    let size: Int
    var dark: [Bool]
    var reserved: [Bool]

    init(size: Int) {
        self.size = size
        dark = [Bool](repeating: false, count: size * size)
        reserved = [Bool](repeating: false, count: size * size)
    }

    subscript(x: Int, y: Int) -> Bool {
        get { dark[y * size + x] }
        set { dark[y * size + x] = newValue }
    }

    mutating func setFunction(x: Int, y: Int, dark isDark: Bool) {
        dark[y * size + x] = isDark
        reserved[y * size + x] = true
    }

    // MARK: - Codeword placement (ISO/IEC 18004 §7.7.3)

    /// Places `codewords` most significant bit first in two-module-wide columns,
    /// starting at the bottom right and snaking up and down towards the left,
    /// skipping function modules and the vertical timing column. Modules left
    /// over (remainder bits) stay light.
    mutating func placeCodewords(_ codewords: [UInt8]) {
        let bitCount = codewords.count * 8
        var bitIndex = 0
        var upward = true
        var right = size - 1
        while right > 0 {
            if right == 6 { right = 5 }  // column 6 is the vertical timing pattern
            for step in 0..<size {
                let y = upward ? size - 1 - step : step
                for x in [right, right - 1] where !reserved[y * size + x] {
                    if bitIndex < bitCount {
                        let byte = codewords[bitIndex >> 3]
                        self[x, y] = (byte >> UInt8(7 - (bitIndex & 7))) & 1 == 1
                        bitIndex += 1
                    }
                }
            }
            upward.toggle()
            right -= 2
        }
        precondition(bitIndex == bitCount, "codewords must fit the symbol")
    }

    // MARK: - Data masks (ISO/IEC 18004 §7.8.2, Table 10)

    /// Whether mask pattern `mask` (0–7) inverts the module in row `i`, column `j`.
    static func maskInverts(_ mask: Int, i: Int, j: Int) -> Bool {
        switch mask {
        case 0: return (i + j) % 2 == 0
        case 1: return i % 2 == 0
        case 2: return j % 3 == 0
        case 3: return (i + j) % 3 == 0
        case 4: return (i / 2 + j / 3) % 2 == 0
        case 5: return (i * j) % 2 + (i * j) % 3 == 0
        case 6: return ((i * j) % 2 + (i * j) % 3) % 2 == 0
        case 7: return ((i + j) % 2 + (i * j) % 3) % 2 == 0
        default: preconditionFailure("QR mask patterns are 0 to 7")
        }
    }

    /// Inverts every non-function module that mask pattern `mask` selects.
    /// Applying the same mask twice restores the matrix.
    mutating func applyMask(_ mask: Int) {
        for i in 0..<size {
            for j in 0..<size where !reserved[i * size + j] && QRMatrix.maskInverts(mask, i: i, j: j) {
                dark[i * size + j].toggle()
            }
        }
    }
}
