import Foundation
import FuzzSupport
import XCTest

@testable import Codecs

/// The CSV reader against an outside reference: Python's `csv` module reads the same random
/// RFC 4180 documents (quoted and plain fields, doubled quotes, commas and line breaks inside
/// quotes, LF, CRLF and lone CR line ends, Chinese, emoji, empty fields, a byte order mark, no
/// final line end), and every chunk size gives its records.
final class CSVPythonReferenceTests: XCTestCase {
    /// Reads every file named on the command line with `csv.reader` and prints its records
    /// (blank lines left out, as the reader skips them) as one JSON array per file.
    static let reader = """
        import csv, json, sys
        out = []
        for path in sys.argv[1:]:
            with open(path, encoding="utf-8-sig", newline="") as f:
                out.append([row for row in csv.reader(f) if row != []])
        json.dump(out, sys.stdout, ensure_ascii=False)
        """

    /// Random documents from the tests' shared seeded source (`FuzzRandom`).
    struct Generator {
        var random: FuzzRandom
        mutating func int(_ n: Int) -> Int { random.int(0...(n - 1)) }
        mutating func chance(_ percent: Int) -> Bool { random.chance(Double(percent) / 100) }

        static let pieces = ["a", "Z", "7", " ", "\t", "-", "面膜", "补水", "绿茶", "😀", "¥", "é", ",", "\"", "\r", "\n", "\r\n", ";"]

        mutating func field() -> String {
            if chance(15) { return "" }
            var s = ""
            let long = chance(10)
            for _ in 0..<(long ? 40 + int(400) : int(12)) {
                let plain = chance(80)
                s += plain ? Self.pieces[int(12)] : Self.pieces[int(Self.pieces.count)]
            }
            return s
        }

        /// A document and the records it holds.
        mutating func document() -> (text: String, records: [[String]]) {
            var records: [[String]] = []
            var text = chance(20) ? "\u{FEFF}" : ""
            let columns = 1 + int(6)
            for r in 0..<(1 + int(12)) {
                var record: [String] = []
                for _ in 0..<(chance(10) ? 1 + int(8) : columns) { record.append(field()) }
                if r > 0 { text += ["\n", "\r\n", "\r"][int(3)] }
                let written = record.map { f -> String in
                    let needs = f.contains(",") || f.contains("\"") || f.contains("\r") || f.contains("\n")
                    // A record of one empty field is quoted: unquoted, it is a blank line.
                    guard needs || chance(20) || (record.count == 1 && f.isEmpty) else { return f }
                    return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                }
                text += written.joined(separator: ",")
                records.append(record)
            }
            if chance(60) { text += chance(50) ? "\n" : "\r\n" }
            return (text, records)
        }
    }

    func testRandomDocumentsReadAsPythonReadsThem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csv-reference-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var g = Generator(random: FuzzRandom(seed: 20_261_201))
        var documents: [(path: String, bytes: [UInt8], records: [[String]])] = []
        for i in 0..<400 {
            let d = g.document()
            let path = dir.appendingPathComponent("\(i).csv").path
            let bytes = Array(d.text.utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            documents.append((path, bytes, d.records))
        }
        guard let out = try runPython(Self.reader, documents.map(\.path)) else { throw XCTSkip("python3 is not installed") }
        let python = try XCTUnwrap(try JSONSerialization.jsonObject(with: out) as? [[[String]]])
        XCTAssertEqual(python.count, documents.count)
        var longFields = 0
        for (d, expected) in zip(documents, python) {
            // The generator's own records agree with Python's: the documents are what they claim.
            XCTAssertEqual(d.records, expected, "generator vs python: \(d.path)")
            longFields += d.records.joined().filter { $0.utf8.count > 100 }.count
            for chunk in [1, 2, 3, 7, 64, 4096, ByteChunks.defaultChunkSize] {
                var reader = CSVReader(bytes: d.bytes, chunkSize: chunk)
                var records: [[String]] = []
                while let r = try reader.next() { records.append(r.fields) }
                XCTAssertEqual(records, expected, "chunk size \(chunk): \(String(decoding: d.bytes, as: UTF8.self).debugDescription)")
            }
        }
        XCTAssertGreaterThan(longFields, 20, "long fields cross chunk boundaries")
    }
}
