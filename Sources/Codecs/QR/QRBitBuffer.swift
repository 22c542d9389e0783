// MARK: - Bit stream

/// Bits appended most significant first, read back as bytes.
struct QRBitBuffer {
    private(set) var bits: [Bool] = []

    var count: Int { bits.count }

    /// Appends the low `length` bits of `value`, most significant first.
    mutating func append(_ value: Int, length: Int) {
        precondition(length >= 0 && length <= 31 && value >> length == 0, "value does not fit in \(length) bits")
        for shift in stride(from: length - 1, through: 0, by: -1) {
            bits.append((value >> shift) & 1 == 1)
        }
    }

    /// The bits packed into bytes; the count must be a multiple of 8.
    var bytes: [UInt8] {
        precondition(bits.count % 8 == 0, "bit stream must end on a byte boundary")
        return stride(from: 0, to: bits.count, by: 8).map { start in
            bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
        }
    }
}

// MARK: - Byte-mode data codewords (ISO/IEC 18004 §7.4)

enum QRDataEncoder {
    /// Mode indicator for 8-bit byte mode.
    static let byteModeIndicator = 0b0100
    /// The pad codewords that fill unused capacity, alternately.
    static let padCodewords: [UInt8] = [0xec, 0x11]

    /// Bits in the character count of a byte-mode segment (Table 3).
    static func characterCountBits(version: Int) -> Int {
        version <= 9 ? 8 : 16
    }

    /// Bits a byte-mode segment of `byteCount` bytes needs, mode and count included.
    static func segmentBits(byteCount: Int, version: Int) -> Int {
        4 + characterCountBits(version: version) + 8 * byteCount
    }

    /// The data codewords: one byte-mode segment, the terminator (up to four
    /// zero bits), zero bits to the byte boundary, then pad codewords.
    static func dataCodewords(_ bytes: [UInt8], version: Int, capacity: Int) -> [UInt8] {
        var buffer = QRBitBuffer()
        buffer.append(byteModeIndicator, length: 4)
        buffer.append(bytes.count, length: characterCountBits(version: version))
        for byte in bytes {
            buffer.append(Int(byte), length: 8)
        }
        let capacityBits = capacity * 8
        precondition(buffer.count <= capacityBits, "data does not fit the chosen version")
        buffer.append(0, length: min(4, capacityBits - buffer.count))
        buffer.append(0, length: (8 - buffer.count % 8) % 8)

        var codewords = buffer.bytes
        var padIndex = 0
        while codewords.count < capacity {
            codewords.append(padCodewords[padIndex % 2])
            padIndex += 1
        }
        return codewords
    }
}
