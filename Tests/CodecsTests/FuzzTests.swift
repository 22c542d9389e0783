import Foundation
import FuzzSupport
import XCTest

@testable import Codecs

/// Seeded mutation fuzzing of the codecs an import reads with: `CSVReader`, `JSONLReader` and
/// `JSON.parse` (ShopKitTests' `ImportFuzzTests` fuzzes the import rows and the value parsers with
/// the same loop, `FuzzSupport`).
///
/// Every input starts as a valid sample and gets 1–8 random byte mutations (bit flips, random
/// bytes, inserted quotes, commas, CR, LF, NUL, 0xFF, byte order marks, cut or whole multi-byte
/// UTF-8 characters, deleted, duplicated and spliced ranges, truncation). Invariants:
/// - nothing traps; every error is a `CodecError` of kind `.invalidInput` with a message naming a line;
/// - reading the same bytes whole, in random chunks and one byte at a time gives the same
///   records, or the same records and then the same error;
/// - what is read comes back unchanged when written out again (CSV quoted, JSON serialized).
///
/// Budget: about 10 seconds for the fuzz targets of both test targets together, shared among the
/// targets; at most `SHOPCTL_FUZZ_ITERATIONS` inputs per target. `SHOPCTL_FUZZ_SECONDS=300` runs
/// longer. The seed is printed at the start of every target; `SHOPCTL_FUZZ_SEED=N` replays a run
/// input for input (input `i` of a target depends only on the seed, the target and `i`). A failure
/// prints the seed, the input number and the input's bytes.
final class FuzzTests: XCTestCase {

    // MARK: - Readers

    func testCSVReaderSurvivesMutationsAndChunking() {
        var coverage = FuzzCoverage()
        fuzz("csv", share: 0.28, samples: FuzzSamples.csv, edges: FuzzSamples.csvEdges) { input, rng, report in
            let maxField = rng.chance(0.15) ? rng.int(1...48) : CSVReader.defaultMaxFieldBytes
            let whole = Self.readCSV(input, chunkSize: max(1, input.count), maxField: maxField)
            let ones = Self.readCSV(input, chunkSize: 1, maxField: maxField)
            let some = Self.readCSV(input, chunkSize: rng.int(1...17), maxField: maxField)
            if whole != ones { report("1-byte chunks differ:\n  whole: \(whole)\n  1-byte: \(ones)") }
            if whole != some { report("random chunks differ:\n  whole: \(whole)\n  chunked: \(some)") }
            FuzzCheck.checkLines(whole.records.map(\.line), in: input, report)
            if let error = whole.error {
                coverage.errors.insert(error.code)
                Self.checkReaderError(error, codes: ["bad-csv", "not-utf8"], in: input, report)
                var again = CSVReader(bytes: input, maxFieldBytes: maxField, fileName: "fuzz.csv")
                while (try? again.next()) != nil {}
                do {
                    _ = try again.next()
                    report("no error on the second try")
                } catch let second as CodecError {
                    if second != error { report("a later next() throws \(second), not \(error)") }
                } catch {
                    report("a later next() throws \(error)")
                }
            } else {
                coverage.successes += 1
                // Written back with every field quoted, the records read the same.
                let text = whole.records.map { $0.fields.map(FuzzCheck.quoted).joined(separator: ",") }.joined(separator: "\n")
                let back = Self.readCSV(Array(text.utf8), chunkSize: 7, maxField: CSVReader.defaultMaxFieldBytes)
                if back.error != nil || back.records.map(\.fields) != whole.records.map(\.fields) {
                    report("the records written back read differently: \(back)")
                }
            }
        }
        coverage.expect(["bad-csv", "not-utf8"])
    }

    func testJSONLReaderSurvivesMutationsAndChunking() {
        var coverage = FuzzCoverage()
        fuzz("jsonl", share: 0.24, samples: FuzzSamples.jsonl, edges: FuzzSamples.jsonlEdges) { input, rng, report in
            let maxLine = rng.chance(0.1) ? rng.int(1...64) : JSONLReader.defaultMaxLineBytes
            let whole = Self.readJSONL(input, chunkSize: max(1, input.count), maxLine: maxLine)
            let ones = Self.readJSONL(input, chunkSize: 1, maxLine: maxLine)
            let some = Self.readJSONL(input, chunkSize: rng.int(1...17), maxLine: maxLine)
            if whole != ones { report("1-byte chunks differ:\n  whole: \(whole)\n  1-byte: \(ones)") }
            if whole != some { report("random chunks differ:\n  whole: \(whole)\n  chunked: \(some)") }
            FuzzCheck.checkLines(whole.records.map(\.line), in: input, report)
            for record in whole.records {
                Self.checkRoundTrip(record.value, report)
            }
            if let error = whole.error {
                coverage.errors.insert(error.code)
                Self.checkReaderError(error, codes: ["bad-json", "not-utf8"], in: input, report)
            } else {
                coverage.successes += 1
            }
        }
        coverage.expect(["bad-json", "not-utf8"])
    }

    func testJSONParseSurvivesMutations() {
        var coverage = FuzzCoverage()
        fuzz("json", share: 0.12, samples: FuzzSamples.json, edges: FuzzSamples.jsonlEdges) { input, _, report in
            let result: Result<JSON, Error> = Result { try JSON.parse(bytes: input) }
            switch result {
            case .success(let value):
                coverage.successes += 1
                Self.checkRoundTrip(value, report)
            case .failure(let error as CodecError):
                coverage.errors.insert(error.code)
                Self.checkReaderError(error, codes: ["bad-json", "not-utf8"], in: input, report)
                if !error.message.en.contains(", column ") { report("no column in \(error.message.en)") }
            case .failure(let error):
                report("threw \(type(of: error)): \(error)")
            }
            // Text that is already a String (no BOM, no NUL) parses the same way.
            guard TextEncoding.validateUTF8(input).ok, !input.contains(0), !input.starts(with: TextEncoding.utf8BOM) else { return }
            let text = Result { try JSON.parse(String(decoding: input, as: UTF8.self)) }
            switch (result, text) {
            case (.success(let a), .success(let b)) where a == b: break
            case (.failure(let a as CodecError), .failure(let b as CodecError)) where a == b: break
            default: report("parse(bytes:) and parse(String) differ: \(result) / \(text)")
            }
        }
        coverage.expect(["bad-json", "not-utf8"])
    }

    // MARK: - Reading helpers

    struct Outcome<Record: Equatable>: Equatable, CustomStringConvertible {
        var records: [Record] = []
        var error: CodecError?
        var description: String { "\(records.count) record(s)" + (error.map { ", then \($0.code): \($0.message.en)" } ?? "") }
    }

    static func readCSV(_ bytes: [UInt8], chunkSize: Int, maxField: Int) -> Outcome<CSVRecord> {
        var reader = CSVReader(bytes: bytes, chunkSize: chunkSize, maxFieldBytes: maxField, fileName: "fuzz.csv")
        var outcome = Outcome<CSVRecord>()
        do {
            while let record = try reader.next() { outcome.records.append(record) }
        } catch {
            outcome.error = (error as? CodecError) ?? CodecError(.usage, "not-a-codec-error", en: "\(error)", zh: "")
        }
        return outcome
    }

    static func readJSONL(_ bytes: [UInt8], chunkSize: Int, maxLine: Int) -> Outcome<JSONLRecord> {
        var reader = JSONLReader(bytes: bytes, chunkSize: chunkSize, maxLineBytes: maxLine, fileName: "fuzz.jsonl")
        var outcome = Outcome<JSONLRecord>()
        do {
            while let record = try reader.next() { outcome.records.append(record) }
        } catch {
            outcome.error = (error as? CodecError) ?? CodecError(.usage, "not-a-codec-error", en: "\(error)", zh: "")
        }
        return outcome
    }

    // MARK: - Invariants

    static func checkReaderError(_ error: CodecError, codes: Set<String>, in input: [UInt8], _ report: FuzzReport) {
        FuzzCheck.checkReaderError(
            invalidInput: error.kind == .invalidInput, kind: "\(error.kind)", code: error.code, en: error.message.en,
            zh: error.message.zh, codes: codes, in: input, report)
    }

    static func checkRoundTrip(_ value: JSON, _ report: FuzzReport) {
        for pretty in [false, true] {
            let text = value.serialized(pretty: pretty)
            do {
                let back = try JSON.parse(text)
                if back != value { report("serialized and parsed again, \(value) became \(back)") }
            } catch {
                report("serialized \(value) does not parse: \(error)")
            }
        }
    }
}
