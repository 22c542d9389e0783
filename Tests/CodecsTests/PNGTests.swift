import XCTest

@testable import Codecs

final class PNGTests: XCTestCase {
    // MARK: - CRC-32

    func testCRC32CheckValue() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([]), 0)
        XCTAssertEqual(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)), 0x414F_A339)
    }

    func testCRC32Incremental() {
        var crc = CRC32()
        crc.update(Array("12345".utf8))
        crc.update([])
        crc.update(Array("6789".utf8))
        XCTAssertEqual(crc.value, 0xCBF4_3926)
    }

    // MARK: - Adler-32

    func testAdler32Vectors() {
        XCTAssertEqual(Adler32.checksum(Array("Wikipedia".utf8)), 0x11E6_0398)
        XCTAssertEqual(Adler32.checksum([]), 1)
        // Long runs of 0xFF exercise the periodic reduction modulo 65521.
        XCTAssertEqual(Adler32.checksum([UInt8](repeating: 0xff, count: 1_000_000)), 0x3843_E1BE)
    }

    // MARK: - zlib stored blocks

    func testZlibStoredSmallInput() {
        XCTAssertEqual(
            Zlib.stored(Array("hi".utf8)),
            [0x78, 0x01, 0x01, 0x02, 0x00, 0xfd, 0xff, 0x68, 0x69, 0x01, 0x3b, 0x00, 0xd2])
        XCTAssertEqual(
            Zlib.stored([]),
            [0x78, 0x01, 0x01, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01])
    }

    func testZlibHeaderCheckBits() {
        let stream = Zlib.stored([1, 2, 3])
        XCTAssertEqual((Int(stream[0]) * 256 + Int(stream[1])) % 31, 0)
        XCTAssertEqual(stream[0] & 0x0f, 8, "compression method 8: deflate")
        XCTAssertEqual(stream[1] & 0x20, 0, "no preset dictionary")
    }

    func testZlibSplitsIntoBlocksOfAtMost65535Bytes() throws {
        for length in [65_534, 65_535, 65_536, 2 * 65_535 + 1] {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let stream = Zlib.stored(data)
            let blocks = try TestPNGReader.storedBlockLengths(stream)
            XCTAssertEqual(blocks, expectedBlocks(length), "length \(length)")
            XCTAssertEqual(try TestPNGReader.inflateStored(stream), data, "length \(length)")
        }
    }

    private func expectedBlocks(_ length: Int) -> [Int] {
        var blocks = Array(repeating: 65_535, count: length / 65_535)
        if length % 65_535 != 0 { blocks.append(length % 65_535) }
        return blocks
    }

    // MARK: - Chunks

    func testIENDChunkBytes() {
        XCTAssertEqual(
            PNG.chunk(type: "IEND", data: []),
            [0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82])
    }

    // MARK: - Whole images

    func testOneBitImageRoundTrips() throws {
        let samples: [UInt8] = [0, 1, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1]
        let png = PNG.grayscale(width: 11, height: 2, bitDepth: 1, samples: samples)
        let image = try TestPNGReader(png)
        XCTAssertEqual(image.width, 11)
        XCTAssertEqual(image.height, 2)
        XCTAssertEqual(image.bitDepth, 1)
        XCTAssertEqual(image.samples, samples)
        // Two bytes per row plus the filter byte; unused low bits are zero.
        XCTAssertEqual(image.rawScanlines, [0, 0b0110_1111, 0b0010_0000, 0, 0b0101_0110, 0b0010_0000])
    }

    func testEveryBitDepthRoundTrips() throws {
        for depth in [1, 2, 4, 8] {
            let width = 13, height = 5
            let samples = (0..<width * height).map { UInt8(($0 * 37 + 11) % (1 << depth)) }
            let image = try TestPNGReader(PNG.grayscale(width: width, height: height, bitDepth: depth, samples: samples))
            XCTAssertEqual(image.bitDepth, depth)
            XCTAssertEqual(image.samples, samples, "bit depth \(depth)")
        }
    }

    func testFileLayout() throws {
        let png = PNG.grayscale(width: 1, height: 1, samples: [200])
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        XCTAssertEqual(try TestPNGReader.chunkTypes(png), ["IHDR", "IDAT", "IEND"])
        // IHDR: width 1, height 1, depth 8, grayscale, deflate, filter 0, no interlace.
        XCTAssertEqual(Array(png[16..<29]), [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
    }
}

// MARK: - A small PNG reader for tests

/// Reads back what `PNG.grayscale` writes (grayscale, filter 0, stored deflate
/// blocks), checking every CRC, LEN/NLEN pair and the Adler-32 on the way.
struct TestPNGReader {
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    let width: Int
    let height: Int
    let bitDepth: Int
    let rawScanlines: [UInt8]
    let samples: [UInt8]

    init(_ file: [UInt8]) throws {
        guard Array(file.prefix(8)) == PNG.signature else { throw Malformed(description: "signature") }
        var header: [UInt8] = []
        var compressed: [UInt8] = []
        for (type, data) in try TestPNGReader.chunks(file) {
            if type == "IHDR" { header = data }
            if type == "IDAT" { compressed += data }
        }
        guard header.count == 13, header[9] == 0, header[10] == 0, header[11] == 0, header[12] == 0 else {
            throw Malformed(description: "IHDR")
        }
        width = TestPNGReader.uint32(header, 0)
        height = TestPNGReader.uint32(header, 4)
        bitDepth = Int(header[8])
        rawScanlines = try TestPNGReader.inflateStored(compressed)

        let rowBytes = (width * bitDepth + 7) / 8
        guard rawScanlines.count == height * (rowBytes + 1) else { throw Malformed(description: "scanline size") }
        var samples: [UInt8] = []
        for y in 0..<height {
            let row = y * (rowBytes + 1)
            guard rawScanlines[row] == 0 else { throw Malformed(description: "filter type") }
            for x in 0..<width {
                let bit = x * bitDepth
                let byte = rawScanlines[row + 1 + bit / 8]
                let shift = 8 - bitDepth - bit % 8
                samples.append((byte >> UInt8(shift)) & UInt8((1 << bitDepth) - 1))
            }
        }
        self.samples = samples
    }

    static func uint32(_ bytes: [UInt8], _ at: Int) -> Int {
        bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) }
    }

    static func chunks(_ file: [UInt8]) throws -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        var at = 8
        while at < file.count {
            guard at + 12 <= file.count else { throw Malformed(description: "truncated chunk") }
            let length = uint32(file, at)
            let typeAndData = Array(file[at + 4..<at + 8 + length])
            guard CRC32.checksum(typeAndData) == UInt32(uint32(file, at + 8 + length)) else {
                throw Malformed(description: "chunk CRC")
            }
            out.append((String(decoding: typeAndData.prefix(4), as: UTF8.self), Array(typeAndData.dropFirst(4))))
            at += 12 + length
        }
        return out
    }

    static func chunkTypes(_ file: [UInt8]) throws -> [String] {
        try chunks(file).map { $0.0 }
    }

    static func storedBlockLengths(_ stream: [UInt8]) throws -> [Int] {
        try parseStored(stream).lengths
    }

    static func inflateStored(_ stream: [UInt8]) throws -> [UInt8] {
        try parseStored(stream).data
    }

    private static func parseStored(_ stream: [UInt8]) throws -> (data: [UInt8], lengths: [Int]) {
        guard stream.count >= 6, (Int(stream[0]) << 8 | Int(stream[1])) % 31 == 0 else {
            throw Malformed(description: "zlib header")
        }
        var at = 2
        var data: [UInt8] = []
        var lengths: [Int] = []
        var final = false
        while !final {
            guard at + 5 <= stream.count, stream[at] & 0b110 == 0 else { throw Malformed(description: "not stored") }
            final = stream[at] & 1 == 1
            let length = Int(stream[at + 1]) | Int(stream[at + 2]) << 8
            let complement = Int(stream[at + 3]) | Int(stream[at + 4]) << 8
            guard length ^ complement == 0xffff else { throw Malformed(description: "NLEN") }
            data += stream[at + 5..<at + 5 + length]
            lengths.append(length)
            at += 5 + length
        }
        guard at + 4 == stream.count, UInt32(uint32(stream, at)) == Adler32.checksum(data) else {
            throw Malformed(description: "Adler-32")
        }
        return (data, lengths)
    }
}
