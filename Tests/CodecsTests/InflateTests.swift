import Foundation
import FuzzSupport
import XCTest

@testable import Codecs

/// Runs `python3 -c script args…` and returns its standard output (nil when python3 is missing).
func runPython(_ script: String, _ arguments: [String] = []) throws -> Data? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let out = Pipe()
    process.standardOutput = out
    do { try process.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        XCTFail("python3 exited \(process.terminationStatus)")
        return nil
    }
    return data
}

/// LSB-first bit writer for hand-made deflate streams (Huffman codes are given MSB first).
struct BitWriter {
    var bytes: [UInt8] = []
    var count = 0
    mutating func bits(_ value: Int, _ n: Int) {
        for i in 0..<n { bit((value >> i) & 1) }
    }
    mutating func code(_ value: Int, _ n: Int) {
        for i in stride(from: n - 1, through: 0, by: -1) { bit((value >> i) & 1) }
    }
    mutating func bit(_ b: Int) {
        if count % 8 == 0 { bytes.append(0) }
        bytes[bytes.count - 1] |= UInt8(b) << UInt8(count % 8)
        count += 1
    }
}

final class InflateTests: XCTestCase {
    /// Python writes each sample and its raw deflate (wbits -15) at every level and strategy.
    static let generator = """
        import os, random, sys, zlib
        out = sys.argv[1]; root = sys.argv[2]
        rnd = random.Random(15)
        words = [b'tea', b'order', b'\\xe8\\xae\\xa2\\xe5\\x8d\\x95', b'shop', b'129.50', b',', b'\\n', b'2026-11-04']
        samples = {
          'empty': b'',
          'one': b'x',
          'random': bytes(rnd.getrandbits(8) for _ in range(150000)),
          'text': b' '.join(rnd.choice(words) for _ in range(120000)),
          'zeros': b'\\0' * 400000,
          'repeat258': (b'abcdefgh' * 40 + bytes(rnd.getrandbits(8) for _ in range(3))) * 900,
          'period1to300': b''.join(bytes([rnd.getrandbits(8)]) * rnd.randint(1, 300) for _ in range(3000)),
        }
        real = b''
        for d, _, files in sorted(os.walk(root)):
            for f in sorted(files):
                if f.endswith('.swift') or f.endswith('.md'):
                    real += open(os.path.join(d, f), 'rb').read()
        samples['real'] = real[:3000000]
        strategies = {'default': zlib.Z_DEFAULT_STRATEGY, 'fixed': zlib.Z_FIXED, 'huffman': zlib.Z_HUFFMAN_ONLY,
                      'rle': zlib.Z_RLE, 'filtered': zlib.Z_FILTERED}
        for name, data in samples.items():
            open(os.path.join(out, name + '.raw'), 'wb').write(data)
            for level in range(10):
                for sname, s in strategies.items():
                    if sname != 'default' and level not in (1, 6, 9):
                        continue
                    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, s)
                    z = c.compress(data) + c.flush()
                    open(os.path.join(out, '%s.%d.%s.deflate' % (name, level, sname)), 'wb').write(z)
        print(len(samples))
        """

    func testAgainstPythonZlib() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("inflate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources").path
        guard try runPython(Self.generator, [dir.path, root]) != nil else { throw XCTSkip("python3 is not installed") }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".deflate") }.sorted()
        XCTAssertGreaterThan(files.count, 100)
        var raws: [String: [UInt8]] = [:]
        for file in files {
            let name = String(file.split(separator: ".")[0])
            if raws[name] == nil { raws[name] = Array(try Data(contentsOf: dir.appendingPathComponent(name + ".raw"))) }
            let expected = raws[name]!
            let compressed = Array(try Data(contentsOf: dir.appendingPathComponent(file)))
            for chunk in [65536, 4093, 1] where chunk > 1 || compressed.count < 20000 {
                let inflater = Inflater(source: ByteChunks.bytes(compressed, chunkSize: chunk), limit: expected.count)
                var out: [UInt8] = []
                while let part = try inflater.next() {
                    XCTAssertLessThanOrEqual(part.count, Inflater.chunkSize + 257)
                    out += part
                }
                XCTAssertEqual(out.count, expected.count, file)
                XCTAssertTrue(out == expected, "\(file) in chunks of \(chunk)")
                XCTAssertEqual(inflater.totalIn, compressed.count, file)
            }
        }
        XCTAssertNotNil(raws["real"])
        XCTAssertGreaterThan(raws["real"]!.count, 500_000)
    }

    func testEmptyStoredAndFixedBlocks() throws {
        // An empty fixed block (the encoding of no data) and an empty stored block.
        XCTAssertEqual(try Inflater.inflate([0x03, 0x00], limit: 0), [])
        XCTAssertEqual(try Inflater.inflate([0x01, 0x00, 0x00, 0xff, 0xff], limit: 0), [])
        XCTAssertEqual(try Inflater.inflate([0x01, 0x02, 0x00, 0xfd, 0xff, 0x68, 0x69], limit: 2), Array("hi".utf8))
        // Bytes after the final block are left alone.
        XCTAssertEqual(try Inflater.inflate([0x03, 0x00, 0xde, 0xad], limit: 0), [])
    }

    func testTheLimitOnTheOutput() throws {
        let zeros = try XCTUnwrap(
            try runPython(
                "import sys, zlib; c = zlib.compressobj(9, zlib.DEFLATED, -15); "
                    + "sys.stdout.buffer.write(c.compress(b'\\0' * 10000000) + c.flush())"))
        XCTAssertLessThan(zeros.count, 20000)
        assertInputError({ try Inflater.inflate(Array(zeros), limit: 1_000_000) }, code: "bad-deflate", en: ["1000000 bytes"])
        XCTAssertEqual(try Inflater.inflate(Array(zeros), limit: 10_000_000).count, 10_000_000)
    }

    func testCorruptStreamsAreRefused() {
        assertInputError({ try Inflater.inflate([0x07], limit: 100) }, code: "bad-deflate", en: ["reserved type 3"], zh: ["保留"])
        assertInputError(
            { try Inflater.inflate([0x01, 0x05, 0x00, 0x00, 0x00], limit: 100) }, code: "bad-deflate", en: ["complement"])
        assertInputError({ try Inflater.inflate([], limit: 100) }, code: "bad-deflate", en: ["ends before"])
        assertInputError({ try Inflater.inflate([0x01, 0x05, 0x00, 0xfa, 0xff, 0x61], limit: 100) }, code: "bad-deflate")
        // A fixed block whose first symbol copies from 1 byte back: nothing is there yet.
        var w = BitWriter()
        w.bits(1, 1)
        w.bits(1, 2)
        w.code(0b000_0001, 7)  // length 3
        w.code(0, 5)  // distance 1
        w.code(0, 7)
        assertInputError({ try Inflater.inflate(w.bytes, limit: 100) }, code: "bad-deflate", en: ["reaches back"])
        // Distance 2 after a single literal.
        var w2 = BitWriter()
        w2.bits(1, 1)
        w2.bits(1, 2)
        w2.code(0x30 + 0x61, 8)
        w2.code(0b000_0001, 7)
        w2.code(1, 5)
        w2.code(0, 7)
        assertInputError({ try Inflater.inflate(w2.bytes, limit: 100) }, code: "bad-deflate", en: ["distance of 2"])
        // Fixed codes 286/287 and distance codes 30/31 exist in the table but are invalid.
        var w3 = BitWriter()
        w3.bits(1, 1)
        w3.bits(1, 2)
        w3.code(0b1100_0110, 8)  // symbol 286
        assertInputError({ try Inflater.inflate(w3.bytes, limit: 100) }, code: "bad-deflate", en: ["length symbol 286"])
        var w4 = BitWriter()
        w4.bits(1, 1)
        w4.bits(1, 2)
        w4.code(0x30 + 0x61, 8)
        w4.code(0b000_0001, 7)
        w4.code(30, 5)
        assertInputError({ try Inflater.inflate(w4.bytes, limit: 100) }, code: "bad-deflate", en: ["distance symbol 30"])
        // A dynamic block whose 19 code length codes all have one bit: over-subscribed.
        var w5 = BitWriter()
        w5.bits(1, 1)
        w5.bits(2, 2)
        w5.bits(0, 5)
        w5.bits(0, 5)
        w5.bits(15, 4)
        for _ in 0..<19 { w5.bits(1, 3) }
        assertInputError({ try Inflater.inflate(w5.bytes, limit: 100) }, code: "bad-deflate", en: ["over-subscribed"])
        // One code length code of 2 bits only: incomplete.
        var w6 = BitWriter()
        w6.bits(1, 1)
        w6.bits(2, 2)
        w6.bits(0, 5)
        w6.bits(0, 5)
        w6.bits(0, 4)
        w6.bits(2, 3)
        for _ in 0..<3 { w6.bits(0, 3) }
        assertInputError({ try Inflater.inflate(w6.bytes, limit: 100) }, code: "bad-deflate", en: ["incomplete"])
        // Repeat code 16 first.
        var w7 = BitWriter()
        w7.bits(1, 1)
        w7.bits(2, 2)
        w7.bits(0, 5)
        w7.bits(0, 5)
        w7.bits(0, 4)  // 4 code length codes: 16, 17, 18, 0
        w7.bits(1, 3)
        w7.bits(0, 3)
        w7.bits(0, 3)
        w7.bits(1, 3)  // codes: 0 → "0", 16 → "1"
        w7.code(1, 1)
        w7.bits(0, 2)
        assertInputError({ try Inflater.inflate(w7.bytes, limit: 100) }, code: "bad-deflate", en: ["nothing before"])
    }

    func testTruncatedAndMutatedStreamsNeverCrash() throws {
        let compressed = try XCTUnwrap(
            try runPython(
                "import sys, zlib, random; r = random.Random(7); "
                    + "d = b' '.join(r.choice([b'tea', b'shop', b'order', b'2026']) for _ in range(20000)); "
                    + "c = zlib.compressobj(6, zlib.DEFLATED, -15); sys.stdout.buffer.write(c.compress(d) + c.flush())"))
        let bytes = Array(compressed)
        let full = try Inflater.inflate(bytes, limit: 1 << 24)
        // Every cut short of the end is refused (the last byte may hold only padding bits).
        var refusedCuts = 0
        for cut in stride(from: 0, to: bytes.count - 1, by: 97) {
            do {
                _ = try Inflater.inflate(Array(bytes[0..<cut]), limit: 1 << 24)
                XCTFail("a stream cut at \(cut) of \(bytes.count) was accepted")
            } catch let e as CodecError {
                XCTAssertEqual(e.code, "bad-deflate")
                refusedCuts += 1
            }
        }
        XCTAssertGreaterThan(refusedCuts, 10)
        // Random mutations: refused or inflated within the limit, never a crash or a hang.
        var generator = FuzzRandom.replayable("InflateTests.testTruncatedAndMutatedStreamsNeverCrash")
        var refused = 0
        for trial in 0..<400 {
            var mutated = bytes
            for _ in 0..<(1 + trial % 8) {
                let i = Int.random(in: 0..<mutated.count, using: &generator)
                mutated[i] ^= UInt8.random(in: 1...255, using: &generator)
            }
            do {
                let out = try Inflater.inflate(mutated, limit: full.count * 2)
                XCTAssertLessThanOrEqual(out.count, full.count * 2)
            } catch let e as CodecError {
                XCTAssertEqual(e.code, "bad-deflate")
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 20)
        // Pure noise.
        for _ in 0..<400 {
            let noise = (0..<Int.random(in: 0..<600, using: &generator)).map { _ in
                UInt8.random(in: 0...255, using: &generator)
            }
            do { _ = try Inflater.inflate(noise, limit: 1 << 20) } catch let e as CodecError { XCTAssertEqual(e.code, "bad-deflate") }
        }
    }

    func testAnErrorSticks() throws {
        let inflater = Inflater(source: ByteChunks.bytes([0x07]), limit: 10)
        XCTAssertThrowsError(try inflater.next())
        XCTAssertThrowsError(try inflater.next())
    }
}
