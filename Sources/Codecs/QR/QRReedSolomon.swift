// MARK: - GF(256)

/// Arithmetic in GF(2^8) with the QR code's field polynomial
/// x^8 + x^4 + x^3 + x^2 + 1 (0x11D) and generator α = 2 (ISO/IEC 18004 §7.5.2).
enum GF256 {
    /// `exp[i]` is α^i for i in 0..<255 (repeated once more so sums of two
    /// logarithms need no reduction).
    static let exp: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value = 1
        for power in 0..<255 {
            table[power] = UInt8(value)
            table[power + 255] = UInt8(value)
            value <<= 1
            if value & 0x100 != 0 { value ^= 0x11d }
        }
        return table
    }()

    /// `log[x]` is i with α^i = x, for x ≠ 0.
    static let log: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for power in 0..<255 {
            table[Int(exp[power])] = power
        }
        return table
    }()

    static func multiply(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a == 0 || b == 0 { return 0 }
        return exp[log[Int(a)] + log[Int(b)]]
    }
}

// MARK: - Reed–Solomon encoding

/// Computes error-correction codewords: the remainder of data(x) · x^n divided
/// by the generator polynomial g(x) = (x − α^0)(x − α^1)…(x − α^(n−1)).
struct ReedSolomonEncoder {
    /// Coefficients of g(x) below the leading 1, highest power first.
    let generator: [UInt8]

    init(eccCount: Int) {
        precondition(eccCount > 0 && eccCount < 255, "Reed–Solomon needs 1 to 254 check codewords")
        // Start from g(x) = 1 and multiply by (x + α^i) for each i; in GF(2^8)
        // subtraction is addition (XOR). Coefficients stored highest power first.
        var poly: [UInt8] = [1]
        for i in 0..<eccCount {
            let root = GF256.exp[i]
            var next = [UInt8](repeating: 0, count: poly.count + 1)
            for (index, coefficient) in poly.enumerated() {
                next[index] ^= coefficient
                next[index + 1] ^= GF256.multiply(coefficient, root)
            }
            poly = next
        }
        generator = Array(poly.dropFirst())
    }

    /// The `generator.count` check codewords for `data`, by polynomial long division.
    func remainder(of data: [UInt8]) -> [UInt8] {
        var remainder = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for index in 0..<generator.count {
                remainder[index] ^= GF256.multiply(generator[index], factor)
            }
        }
        return remainder
    }
}
