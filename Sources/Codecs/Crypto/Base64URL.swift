/// Base64 with the URL- and filename-safe alphabet (RFC 4648 §5), without padding.
///
///     Base64URL.encode([0xfb, 0xff])     // "-_8"
///     Base64URL.decode("-_8")            // [0xfb, 0xff]
///     Base64URL.decode("-_9")            // nil: unused trailing bits are not zero
///
/// Decoding is strict: every byte string has exactly one accepted spelling, the
/// one `encode` produces. Padding (`=`), characters outside the alphabet
/// (including `+`, `/`, whitespace and line breaks), a length of 1 mod 4 and
/// non-zero unused trailing bits all make `decode` return nil. That makes a
/// token's text and its bytes interchangeable, which signed tokens rely on.
public enum Base64URL: Sendable {
    // MARK: - Alphabet

    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps an ASCII byte to its 6-bit value, or -1 when it is not in the alphabet.
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = Int8(value)
        }
        return table
    }()

    // MARK: - Encoding

    /// The unpadded base64url spelling of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = UInt32(bytes[index])
            let b1 = remaining > 1 ? UInt32(bytes[index + 1]) : 0
            let b2 = remaining > 2 ? UInt32(bytes[index + 2]) : 0
            let group = b0 << 16 | b1 << 8 | b2
            let characters = min(remaining, 3) + 1
            for position in 0..<characters {
                let sextet = Int((group >> UInt32(18 - 6 * position)) & 0x3f)
                out.append(alphabet[sextet])
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Decoding

    /// The bytes spelled by `text`, or nil unless `text` is exactly what
    /// `encode` would produce for some bytes.
    public static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 4 != 1 else { return nil }
        var sextets: [UInt32] = []
        sextets.reserveCapacity(characters.count)
        for character in characters {
            let value = values[Int(character)]
            guard value >= 0 else { return nil }
            sextets.append(UInt32(value))
        }

        var out: [UInt8] = []
        out.reserveCapacity(characters.count * 3 / 4)
        var index = 0
        while index < sextets.count {
            let count = min(sextets.count - index, 4)
            var group: UInt32 = 0
            for position in 0..<4 {
                group = group << 6 | (position < count ? sextets[index + position] : 0)
            }
            // 4 characters carry 3 bytes, 3 carry 2 and 2 carry 1; the bits
            // left over in a short final group must be zero to be canonical.
            let byteCount = count - 1
            let unusedBits = UInt32(24 - 6 * (4 - count) - 8 * byteCount)
            let leftover = (group >> UInt32(6 * (4 - count))) & ((1 << unusedBits) - 1)
            guard leftover == 0 else { return nil }
            for position in 0..<byteCount {
                out.append(UInt8(truncatingIfNeeded: group >> UInt32(16 - 8 * position)))
            }
            index += 4
        }
        return out
    }
}
