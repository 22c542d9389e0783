import Foundation
import FuzzSupport
import XCTest

@testable import Codecs

final class ZipTests: XCTestCase {
    /// Python's zipfile writes the archives; some are then damaged on purpose.
    static let generator = """
        import io, struct, sys, zipfile, zlib, os
        out = sys.argv[1]
        def write(name, members, **kw):
            b = io.BytesIO()
            with zipfile.ZipFile(b, 'w', **kw) as z:
                for n, data, method in members:
                    z.writestr(zipfile.ZipInfo(n, (2026, 11, 4, 12, 0, 0)) if method is None else n, data,
                               compress_type=method if method is not None else zipfile.ZIP_DEFLATED)
            open(os.path.join(out, name), 'wb').write(b.getvalue())
            return b.getvalue()
        text = ('订单,order,129.50\\n' * 20000).encode()
        plain = write('plain.zip', [('a.txt', b'hello', zipfile.ZIP_STORED), ('dir/b.csv', text, zipfile.ZIP_DEFLATED),
                                    ('empty', b'', zipfile.ZIP_DEFLATED), ('c.bin', os.urandom(70000), zipfile.ZIP_DEFLATED)])
        b = io.BytesIO()
        with zipfile.ZipFile(b, 'w') as z:
            z.comment = b'x' * 1000
            z.writestr('a.txt', b'hello')
        open(os.path.join(out, 'comment.zip'), 'wb').write(b.getvalue())
        # zip64: the same central directory behind a zip64 end record and locator.
        e = plain.rfind(b'PK\\x05\\x06')
        f = struct.unpack('<4s4H2LH', plain[e:e + 22])
        z64 = struct.pack('<4sQ2H2L4Q', b'PK\\x06\\x06', 44, 45, 45, 0, 0, f[4], f[4], f[5], f[6])
        loc = struct.pack('<4sLQL', b'PK\\x06\\x07', 0, e, 1)
        end = struct.pack('<4s4H2LH', b'PK\\x05\\x06', 0, 0, 0xffff, 0xffff, 0xffffffff, 0xffffffff, 0)
        open(os.path.join(out, 'zip64.zip'), 'wb').write(plain[:e] + z64 + loc + end)
        # A bomb: 50 MB of zeros that declares 1000 bytes, in the central directory and the local header.
        bomb = bytearray(write('bomb-src.zip', [('sheet.xml', b'\\0' * 50000000, zipfile.ZIP_DEFLATED)]))
        c = bomb.rfind(b'PK\\x01\\x02')
        bomb[c + 24:c + 28] = struct.pack('<L', 1000)
        bomb[22:26] = struct.pack('<L', 1000)
        open(os.path.join(out, 'bomb.zip'), 'wb').write(bomb)
        # A bad CRC in the central directory.
        bad = bytearray(plain)
        c = bad.find(b'PK\\x01\\x02', bad.find(b'PK\\x01\\x02') + 4)
        bad[c + 16] ^= 0xff
        open(os.path.join(out, 'bad-crc.zip'), 'wb').write(bad)
        # The central directory cut short: its end record kept, bytes of the directory removed.
        c = plain.find(b'PK\\x01\\x02')
        open(os.path.join(out, 'truncated-directory.zip'), 'wb').write(plain[:c + 60] + plain[e:])
        open(os.path.join(out, 'truncated-end.zip'), 'wb').write(plain[:len(plain) - 10])
        open(os.path.join(out, 'cut-data.zip'), 'wb').write(plain[:c - 300] + plain[c:])
        """

    static let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString)")

    override class func setUp() {
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        _ = try? runPython(generator, [dir.path])
    }

    override class func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func archive(_ name: String, maxEntryBytes: Int = ZipArchive.defaultMaxEntryBytes) throws -> ZipArchive {
        let path = Self.dir.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("python3 did not write \(name)") }
        return try ZipArchive(source: XCTUnwrap(FileSource(path: path)), maxEntryBytes: maxEntryBytes)
    }

    private func text(_ zip: ZipArchive, _ name: String) throws -> [UInt8] {
        try zip.contents(XCTUnwrap(zip.entry(named: name)))
    }

    func testStoredAndDeflatedEntries() throws {
        for name in ["plain.zip", "zip64.zip"] {
            let zip = try archive(name)
            XCTAssertEqual(zip.entries.map(\.name), ["a.txt", "dir/b.csv", "empty", "c.bin"], name)
            XCTAssertEqual(try text(zip, "a.txt"), Array("hello".utf8))
            XCTAssertEqual(try text(zip, "dir/b.csv"), Array(String(repeating: "订单,order,129.50\n", count: 20000).utf8))
            XCTAssertEqual(try text(zip, "empty"), [])
            XCTAssertEqual(try text(zip, "c.bin").count, 70000)
            XCTAssertEqual(zip.entry(named: "dir/b.csv")?.method, 8)
            XCTAssertNil(zip.entry(named: "missing"))
        }
        XCTAssertEqual(try text(try archive("comment.zip"), "a.txt"), Array("hello".utf8))
    }

    func testInMemorySource() throws {
        let path = Self.dir.appendingPathComponent("plain.zip").path
        guard let data = FileManager.default.contents(atPath: path) else { throw XCTSkip("no python3") }
        let zip = try ZipArchive(source: MemorySource(Array(data)))
        XCTAssertEqual(try zip.contents(XCTUnwrap(zip.entry(named: "a.txt"))), Array("hello".utf8))
    }

    func testAZipBombIsRefused() throws {
        let zip = try archive("bomb.zip")
        let started = Date()
        assertInputError({ try self.text(zip, "sheet.xml") }, code: "bad-zip", en: ["sheet.xml", "1000 bytes", "zip bomb"], zh: ["zip 炸弹"])
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        // The honest archive of the same data over a caller's limit: refused before inflating.
        let honest = try archive("bomb-src.zip", maxEntryBytes: 1_000_000)
        assertInputError({ try self.text(honest, "sheet.xml") }, code: "bad-zip", en: ["50000000 bytes", "limit of 1000000"])
    }

    func testDamagedArchivesAreRefused() throws {
        assertInputError({ try self.text(try self.archive("bad-crc.zip"), "dir/b.csv") }, code: "bad-zip", en: ["dir/b.csv", "CRC-32"])
        assertInputError({ try self.archive("truncated-directory.zip") }, code: "bad-zip", en: ["central directory"], zh: ["中央目录"])
        assertInputError({ try self.archive("truncated-end.zip") }, code: "bad-zip", en: ["end of central directory"])
        // Data bytes removed: the directory no longer lies where the end record says.
        assertInputError({ try self.archive("cut-data.zip") }, code: "bad-zip", en: ["truncated or corrupt"])
        assertInputError({ try ZipArchive(source: MemorySource(Array("name,price\n".utf8))) }, code: "bad-zip", en: ["too short"])
        assertInputError({ try ZipArchive(source: MemorySource([UInt8](repeating: 0x41, count: 5000))) }, code: "bad-zip")
    }

    func testRandomDamageNeverCrashes() throws {
        let path = Self.dir.appendingPathComponent("plain.zip").path
        guard let data = FileManager.default.contents(atPath: path) else { throw XCTSkip("no python3") }
        let bytes = Array(data)
        var generator = FuzzRandom.replayable("ZipTests.testRandomDamageNeverCrashes")
        var refused = 0
        for trial in 0..<200 {
            var mutated = bytes
            if trial % 5 == 0 {
                mutated = Array(mutated[0..<Int.random(in: 0..<mutated.count, using: &generator)])
            } else {
                for _ in 0..<(1 + trial % 6) {
                    // Mostly the tail, where the directory is.
                    let low = trial % 2 == 0 ? max(0, mutated.count - 400) : 0
                    mutated[Int.random(in: low..<mutated.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
                }
            }
            do {
                let zip = try ZipArchive(source: MemorySource(mutated), maxEntryBytes: 10_000_000)
                for entry in zip.entries { _ = try zip.contents(entry) }
            } catch let e as CodecError {
                XCTAssertTrue(e.code == "bad-zip" || e.code == "read-error", e.code)
                refused += 1
            }
        }
        XCTAssertGreaterThan(refused, 100)
    }
}
