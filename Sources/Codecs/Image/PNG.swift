/// A minimal grayscale PNG writer (PNG specification, ISO/IEC 15948) that needs
/// no compression library: the image data is a zlib stream (RFC 1950) of stored,
/// uncompressed deflate blocks (RFC 1951 §3.2.4).
///
///     // A 2×2 checkerboard, 1 bit per pixel: 0 is black, 1 is white.
///     let bytes = PNG.grayscale(width: 2, height: 2, bitDepth: 1, samples: [0, 1, 1, 0])
///     try Data(bytes).write(to: url)
///
/// Files are larger than a compressing encoder's, which is fine for QR codes
/// and other small line art.
public enum PNG: Sendable {
    /// The eight bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

    // MARK: - Images

    /// A complete PNG file of a grayscale image.
    ///
    /// - Parameters:
    ///   - bitDepth: bits per sample: 1, 2, 4 or 8.
    ///   - samples: one value per pixel, row by row from the top left, each in
    ///     `0 ..< 1 << bitDepth` (0 is black, the largest value white).
    public static func grayscale(width: Int, height: Int, bitDepth: Int = 8, samples: [UInt8]) -> [UInt8] {
        precondition(width > 0 && height > 0, "a PNG needs at least one pixel")
        precondition([1, 2, 4, 8].contains(bitDepth), "grayscale bit depth must be 1, 2, 4 or 8")
        precondition(samples.count == width * height, "need exactly width × height samples")
        precondition(samples.allSatisfy { Int($0) < 1 << bitDepth }, "sample out of range for the bit depth")

        let scanlines = packScanlines(width: width, height: height, bitDepth: bitDepth, samples: samples)

        var header: [UInt8] = []
        header.append(contentsOf: bigEndian(UInt32(width)))
        header.append(contentsOf: bigEndian(UInt32(height)))
        header.append(UInt8(bitDepth))
        header.append(0)  // colour type 0: grayscale
        header.append(0)  // compression method 0: deflate
        header.append(0)  // filter method 0
        header.append(0)  // no interlace

        var file = signature
        file.append(contentsOf: chunk(type: "IHDR", data: header))
        file.append(contentsOf: chunk(type: "IDAT", data: Zlib.stored(scanlines)))
        file.append(contentsOf: chunk(type: "IEND", data: []))
        return file
    }

    // MARK: - Chunks

    /// One chunk: length, four-letter type, data, and the CRC-32 of type and data.
    public static func chunk(type: String, data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        precondition(typeBytes.count == 4, "a chunk type has four letters")
        precondition(data.count <= Int(Int32.max), "a chunk holds at most 2^31 - 1 bytes")
        var out = bigEndian(UInt32(data.count))
        out.append(contentsOf: typeBytes)
        out.append(contentsOf: data)
        var crc = CRC32()
        crc.update(typeBytes)
        crc.update(data)
        out.append(contentsOf: bigEndian(crc.value))
        return out
    }

    // MARK: - Scanlines

    /// Each row: filter type 0 (none), then the samples packed most significant bits first.
    private static func packScanlines(width: Int, height: Int, bitDepth: Int, samples: [UInt8]) -> [UInt8] {
        let rowBytes = (width * bitDepth + 7) / 8
        var out: [UInt8] = []
        out.reserveCapacity(height * (rowBytes + 1))
        let perByte = 8 / bitDepth
        for y in 0..<height {
            out.append(0)
            var x = 0
            while x < width {
                var byte: UInt8 = 0
                for slot in 0..<perByte {
                    let sample = x + slot < width ? samples[y * width + x + slot] : 0
                    byte |= sample << UInt8(8 - bitDepth * (slot + 1))
                }
                out.append(byte)
                x += perByte
            }
        }
        return out
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [
            UInt8(truncatingIfNeeded: value >> 24), UInt8(truncatingIfNeeded: value >> 16),
            UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value),
        ]
    }
}

// MARK: - zlib with stored blocks

/// A zlib stream (RFC 1950) whose deflate data (RFC 1951) is stored, not compressed.
///
///     Zlib.stored(Array("hi".utf8))
///     // 78 01 | 01 02 00 fd ff 68 69 | 01 3b 00 d2
///     // header, one final stored block (LEN, NLEN, data), Adler-32 big-endian
public enum Zlib: Sendable {
    /// The largest payload of one stored deflate block.
    public static let maxStoredBlock = 65_535

    /// `data` wrapped as a zlib stream of stored blocks of at most 65,535 bytes.
    public static func stored(_ data: [UInt8]) -> [UInt8] {
        // CMF 0x78: deflate with a 32 KiB window. FLG 0x01: no dictionary,
        // level 0, check bits so that (CMF × 256 + FLG) is a multiple of 31.
        var out: [UInt8] = [0x78, 0x01]
        out.reserveCapacity(data.count + data.count / maxStoredBlock * 5 + 11)
        var start = 0
        repeat {
            let end = min(start + maxStoredBlock, data.count)
            let isFinal = end == data.count
            let length = UInt16(end - start)
            // BFINAL in bit 0, BTYPE 00 (stored) in bits 1–2, rest of the byte unused.
            out.append(isFinal ? 1 : 0)
            out.append(UInt8(truncatingIfNeeded: length))
            out.append(UInt8(truncatingIfNeeded: length >> 8))
            out.append(UInt8(truncatingIfNeeded: ~length))
            out.append(UInt8(truncatingIfNeeded: ~length >> 8))
            out.append(contentsOf: data[start..<end])
            start = end
        } while start < data.count
        out.append(contentsOf: PNG.bigEndian(Adler32.checksum(data)))
        return out
    }
}

// MARK: - CRC-32

/// CRC-32 as used by PNG, zip and gzip (reflected polynomial 0xEDB88320).
///
///     CRC32.checksum(Array("123456789".utf8))   // 0xCBF43926
///
///     var crc = CRC32()
///     crc.update(part1)
///     crc.update(part2)
///     crc.value                                  // checksum of part1 + part2
public struct CRC32: Sendable {
    private var register: UInt32 = 0xffff_ffff

    public init() {}

    /// The CRC-32 of `data`.
    public static func checksum(_ data: [UInt8]) -> UInt32 {
        var crc = CRC32()
        crc.update(data)
        return crc.value
    }

    /// Feeds more bytes (eight at a time: "slicing by 8", the same checksum as byte by byte).
    public mutating func update(_ data: [UInt8]) {
        var c = register
        CRC32.tables.withUnsafeBufferPointer { t in
            data.withUnsafeBufferPointer { b in
                var i = 0
                let n = b.count
                while i + 8 <= n {
                    let lo = c ^ (UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24)
                    let hi = UInt32(b[i + 4]) | UInt32(b[i + 5]) << 8 | UInt32(b[i + 6]) << 16 | UInt32(b[i + 7]) << 24
                    c =
                        t[7 * 256 + Int(lo & 0xff)] ^ t[6 * 256 + Int((lo >> 8) & 0xff)]
                        ^ t[5 * 256 + Int((lo >> 16) & 0xff)] ^ t[4 * 256 + Int(lo >> 24)]
                        ^ t[3 * 256 + Int(hi & 0xff)] ^ t[2 * 256 + Int((hi >> 8) & 0xff)]
                        ^ t[1 * 256 + Int((hi >> 16) & 0xff)] ^ t[Int(hi >> 24)]
                    i += 8
                }
                while i < n {
                    c = t[Int((c ^ UInt32(b[i])) & 0xff)] ^ (c >> 8)
                    i += 1
                }
            }
        }
        register = c
    }

    /// `tables[k * 256 + x]`: the CRC of byte `x` followed by `k` zero bytes.
    private static let tables: [UInt32] = {
        var t = table
        for k in 1..<8 {
            for x in 0..<256 {
                let previous = t[(k - 1) * 256 + x]
                t.append(table[Int(previous & 0xff)] ^ (previous >> 8))
            }
        }
        return t
    }()

    /// The checksum of all bytes fed so far.
    public var value: UInt32 { register ^ 0xffff_ffff }

    /// The CRC of each possible low byte, eight shift-and-reduce steps each.
    private static let table: [UInt32] = (0..<256).map { index in
        var c = UInt32(index)
        for _ in 0..<8 {
            c = c & 1 == 1 ? 0xedb8_8320 ^ (c >> 1) : c >> 1
        }
        return c
    }
}

// MARK: - Adler-32

/// Adler-32 (RFC 1950 §8.2), the checksum at the end of a zlib stream.
///
///     Adler32.checksum(Array("Wikipedia".utf8))   // 0x11E60398
public enum Adler32: Sendable {
    private static let modulus: UInt32 = 65_521
    /// Most bytes that can be summed before `b` could overflow 32 bits.
    private static let bytesBeforeReduce = 5_552

    public static func checksum(_ data: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var start = 0
        while start < data.count {
            let end = min(start + bytesBeforeReduce, data.count)
            for index in start..<end {
                a += UInt32(data[index])
                b += a
            }
            a %= modulus
            b %= modulus
            start = end
        }
        return b << 16 | a
    }
}
