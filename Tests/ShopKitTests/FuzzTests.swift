import Foundation
import XCTest

@testable import ShopKit

/// Seeded mutation fuzzing of everything an import reads: `CSVReader`, `JSONLReader`,
/// `RecordReader`, `JSON.parse`, `Money.parse`, `Rate.parse` and `Instant.parseRFC3339`.
///
/// Every input starts as a valid sample and gets 1–8 random byte mutations (bit flips, random
/// bytes, inserted quotes, commas, CR, LF, NUL, 0xFF, byte order marks, cut or whole multi-byte
/// UTF-8 characters, deleted, duplicated and spliced ranges, truncation). Invariants:
/// - nothing traps; every error is a `ShopError`: `.invalidInput` with a message naming a line
///   (readers, `JSON.parse`), `.usage` with a non-empty message (the value parsers);
/// - reading the same bytes whole, in random chunks and one byte at a time gives the same
///   records, or the same records and then the same error;
/// - what is read comes back unchanged when written out again (CSV quoted, JSON serialized);
/// - `Money.parse` accepts exactly the strings that match `^[¥￥]?[0-9]+(\.[0-9]{1,2})?$` once
///   spaces and tabs are trimmed (with a leading or inner `-` when negative amounts are allowed),
///   within 1,000,000,000 yuan, gives their value, and round-trips through `plainYuan`; `Rate`
///   and `Instant` have oracles of the same kind.
///
/// Budget: about 10 seconds for the whole class, shared among the targets; at most
/// `SHOPCTL_FUZZ_ITERATIONS` inputs per target. `SHOPCTL_FUZZ_SECONDS=300` runs longer. The seed
/// is printed at the start of every target; `SHOPCTL_FUZZ_SEED=N` replays a run input for input
/// (input `i` of a target depends only on the seed, the target and `i`). A failure prints the
/// seed, the input number and the input's bytes.
final class FuzzTests: XCTestCase {

    // MARK: - Readers

    func testCSVReaderSurvivesMutationsAndChunking() {
        var coverage = Coverage()
        fuzz("csv", share: 0.28, samples: FuzzSamples.csv, edges: FuzzSamples.csvEdges) { input, rng, report in
            let maxField = rng.chance(0.15) ? rng.int(1...48) : CSVReader.defaultMaxFieldBytes
            let whole = Self.readCSV(input, chunkSize: max(1, input.count), maxField: maxField)
            let ones = Self.readCSV(input, chunkSize: 1, maxField: maxField)
            let some = Self.readCSV(input, chunkSize: rng.int(1...17), maxField: maxField)
            if whole != ones { report("1-byte chunks differ:\n  whole: \(whole)\n  1-byte: \(ones)") }
            if whole != some { report("random chunks differ:\n  whole: \(whole)\n  chunked: \(some)") }
            Self.checkLines(whole.records.map(\.line), in: input, report)
            if let error = whole.error {
                coverage.errors.insert(error.code)
                Self.checkReaderError(error, codes: ["bad-csv", "not-utf8"], in: input, report)
                var again = CSVReader(bytes: input, maxFieldBytes: maxField, fileName: "fuzz.csv")
                while (try? again.next()) != nil {}
                do {
                    _ = try again.next()
                    report("no error on the second try")
                } catch let second as ShopError {
                    if second != error { report("a later next() throws \(second), not \(error)") }
                } catch {
                    report("a later next() throws \(error)")
                }
            } else {
                coverage.successes += 1
                // Written back with every field quoted, the records read the same.
                let text = whole.records.map { $0.fields.map(Self.quoted).joined(separator: ",") }.joined(separator: "\n")
                let back = Self.readCSV(Array(text.utf8), chunkSize: 7, maxField: CSVReader.defaultMaxFieldBytes)
                if back.error != nil || back.records.map(\.fields) != whole.records.map(\.fields) {
                    report("the records written back read differently: \(back)")
                }
            }
        }
        coverage.expect(["bad-csv", "not-utf8"])
    }

    func testJSONLReaderSurvivesMutationsAndChunking() {
        var coverage = Coverage()
        fuzz("jsonl", share: 0.24, samples: FuzzSamples.jsonl, edges: FuzzSamples.jsonlEdges) { input, rng, report in
            let maxLine = rng.chance(0.1) ? rng.int(1...64) : JSONLReader.defaultMaxLineBytes
            let whole = Self.readJSONL(input, chunkSize: max(1, input.count), maxLine: maxLine)
            let ones = Self.readJSONL(input, chunkSize: 1, maxLine: maxLine)
            let some = Self.readJSONL(input, chunkSize: rng.int(1...17), maxLine: maxLine)
            if whole != ones { report("1-byte chunks differ:\n  whole: \(whole)\n  1-byte: \(ones)") }
            if whole != some { report("random chunks differ:\n  whole: \(whole)\n  chunked: \(some)") }
            Self.checkLines(whole.records.map(\.line), in: input, report)
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

    func testRecordReaderSurvivesMutationsAndChunking() {
        var coverage = Coverage()
        for format in ImportFormat.allCases {
            let samples = format == .csv ? FuzzSamples.csv : FuzzSamples.jsonl
            let edges = format == .csv ? FuzzSamples.csvRecordEdges : FuzzSamples.jsonlRecordEdges
            fuzz("record-\(format.rawValue)", share: 0.1, samples: samples, edges: edges) { input, rng, report in
                // Mostly the format the sample was written in; sometimes the other one.
                let read = rng.chance(0.9) ? format : (format == .csv ? .jsonl : .csv)
                let required = ["product_id", "title", "name", "nope"].filter { _ in rng.chance(0.3) } + ["a"]
                let whole = Self.readRows(input, format: read, required: required, chunkSize: max(1, input.count))
                let ones = Self.readRows(input, format: read, required: required, chunkSize: 1)
                if whole != ones { report("1-byte chunks differ (\(read), \(required)):\n  whole: \(whole)\n  1-byte: \(ones)") }
                Self.checkLines(whole.records.map(\.line), in: input, report)
                for row in whole.records {
                    guard let problem = row.rowError else { continue }
                    coverage.rowErrors += 1
                    if problem.line != row.line { report("row error of line \(problem.line) on row \(row.line)") }
                    if !problem.message.en.hasPrefix("line \(row.line): ") || !problem.message.zh.hasPrefix("第 \(row.line) 行：") {
                        report("row error message does not start with its line: \(problem.message)")
                    }
                    if case .missingColumns(let missing) = problem.reason, missing.contains(where: row.has) {
                        report("row error names present columns missing: \(missing)")
                    }
                }
                if let error = whole.error {
                    coverage.errors.insert(error.code)
                    Self.checkReaderError(
                        error, codes: ["bad-csv", "not-utf8", "bad-json", "missing-column", "duplicate-column"], in: input, report)
                    if error.code == "missing-column", !required.contains(where: { error.message.en.contains("\"\($0)\"") }) {
                        report("missing-column names none of the required columns \(required): \(error.message.en)")
                    }
                } else {
                    coverage.successes += 1
                }
            }
        }
        coverage.expect(["bad-csv", "not-utf8", "bad-json", "missing-column", "duplicate-column"], rowErrors: true)
    }

    func testJSONParseSurvivesMutations() {
        var coverage = Coverage()
        fuzz("json", share: 0.12, samples: FuzzSamples.json, edges: FuzzSamples.jsonlEdges) { input, _, report in
            let result: Result<JSON, Error> = Result { try JSON.parse(bytes: input) }
            switch result {
            case .success(let value):
                coverage.successes += 1
                Self.checkRoundTrip(value, report)
            case .failure(let error as ShopError):
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
            case (.failure(let a as ShopError), .failure(let b as ShopError)) where a == b: break
            default: report("parse(bytes:) and parse(String) differ: \(result) / \(text)")
            }
        }
        coverage.expect(["bad-json", "not-utf8"])
    }

    // MARK: - Value parsers

    func testMoneyParseAcceptsExactlyTheDocumentedForm() {
        var coverage = Coverage()
        fuzz("money", share: 0.06, samples: FuzzSamples.money, alphabet: FuzzSamples.moneyAlphabet) { input, rng, report in
            let text = String(decoding: input, as: UTF8.self)
            let allowNegative = rng.chance(0.25)
            let expected = FuzzOracle.money(text, allowNegative: allowNegative)
            do {
                let m = try Money.parse(text, allowNegative: allowNegative)
                coverage.successes += 1
                if m.fen != expected {
                    report("Money.parse(\(text.debugDescription)) = \(m.fen) fen, the oracle says \(String(describing: expected))")
                }
                if (try? Money.parse(m.plainYuan, allowNegative: allowNegative)) != m { report("\(m.plainYuan) does not round-trip") }
                if !allowNegative, (try? Money.parse(m.plainYuan)) != m { report("\(m.plainYuan) does not round-trip") }
            } catch let e as ShopError {
                coverage.errors.insert(e.code)
                Self.checkParserError(e, code: "bad-amount", report)
                if let expected { report("Money.parse(\(text.debugDescription)) refused \(expected) fen: \(e.message.en)") }
            } catch {
                report("threw \(type(of: error)): \(error)")
            }
        }
        coverage.expect(["bad-amount"])
    }

    func testRateParseAcceptsExactlyPercentages() {
        var coverage = Coverage()
        fuzz("rate", share: 0.05, samples: FuzzSamples.rate, alphabet: FuzzSamples.rateAlphabet) { input, _, report in
            let text = String(decoding: input, as: UTF8.self)
            let expected = FuzzOracle.rate(text)
            do {
                let r = try Rate.parse(text)
                coverage.successes += 1
                if r.bp != expected {
                    report("Rate.parse(\(text.debugDescription)) = \(r.bp) bp, the oracle says \(String(describing: expected))")
                }
                if (try? Rate.parse(r.percentText)) != r { report("\(r.percentText) does not round-trip") }
            } catch let e as ShopError {
                coverage.errors.insert(e.code)
                Self.checkParserError(e, code: "bad-rate", report)
                if let expected { report("Rate.parse(\(text.debugDescription)) refused \(expected) bp: \(e.message.en)") }
            } catch {
                report("threw \(type(of: error)): \(error)")
            }
        }
        coverage.expect(["bad-rate"])
    }

    func testInstantParseAcceptsExactlyRFC3339WithAZone() {
        var coverage = Coverage()
        fuzz("time", share: 0.05, samples: FuzzSamples.time, alphabet: FuzzSamples.timeAlphabet) { input, _, report in
            let text = String(decoding: input, as: UTF8.self)
            let expected = FuzzOracle.time(text)
            do {
                let t = try Instant.parseRFC3339(text)
                coverage.successes += 1
                guard let expected else { return report("Instant.parseRFC3339(\(text.debugDescription)) accepted \(t)") }
                // The local fields come back when the instant is shown at the text's own offset.
                let local = Instant(seconds: t.seconds + Int64(expected.offset)).rfc3339(in: .utc)
                if local != expected.localFields + "Z" { report("\(text.debugDescription) is \(local) at its offset") }
                if (try? Instant.parseRFC3339(t.rfc3339(in: .utc))) != t, (2000...2099).contains(Zone.utc.civilDate(of: t).year) {
                    report("\(t.rfc3339(in: .utc)) does not round-trip")
                }
            } catch let e as ShopError {
                coverage.errors.insert(e.code)
                Self.checkParserError(e, code: "bad-time", report)
                if expected != nil { report("Instant.parseRFC3339(\(text.debugDescription)) refused: \(e.message.en)") }
            } catch {
                report("threw \(type(of: error)): \(error)")
            }
        }
        coverage.expect(["bad-time"])
    }

    // MARK: - The loop

    typealias Report = (String) -> Void

    /// Feeds mutated samples (or, with `alphabet`, half of the time random strings of it) to `body`
    /// until this target's share of the budget or the iteration cap is spent.
    /// `edges` are fed first, as they are: inputs known to reach every branch the coverage asks for.
    private func fuzz(
        _ target: String, share: Double, samples: [[UInt8]], edges: [[UInt8]] = [], alphabet: [String] = [],
        file: StaticString = #filePath, line: UInt = #line,
        _ body: (_ input: [UInt8], _ rng: inout FuzzRandom, _ report: Report) -> Void
    ) {
        let seeds = samples + edges
        let pool = seeds
        let config = FuzzConfig.current
        let seconds = config.seconds * share
        print(
            "FuzzTests[\(target)]: seed \(config.seed), \(String(format: "%.1f", seconds)) s, at most \(config.iterations) inputs "
                + "(replay: SHOPCTL_FUZZ_SEED=\(config.seed))")
        let start = Date()
        let targetSeed = config.seed ^ FuzzRandom.hash(target)
        var failures = 0
        var count = 0
        let minimum = max(seeds.count, FuzzConfig.minimumIterations)
        while count < max(config.iterations, seeds.count), count < minimum || Date().timeIntervalSince(start) < seconds {
            var rng = FuzzRandom(seed: targetSeed &+ UInt64(count) &* 0xD1B5_4A32_D192_ED03)
            let input: [UInt8]
            if count < seeds.count {
                input = seeds[count]
            } else if !alphabet.isEmpty, rng.chance(0.5) {
                input = Array((0..<rng.int(0...14)).map { _ in rng.pick(alphabet) }.joined().utf8)
            } else {
                let sample = rng.pick(pool)
                input = rng.chance(0.05) ? sample : Mutator.mutate(sample, &rng, splice: pool)
            }
            let index = count
            body(input, &rng) { problem in
                failures += 1
                guard failures <= 5 else { return }
                XCTFail(
                    "\(target) input #\(index) (SHOPCTL_FUZZ_SEED=\(config.seed)): \(problem)\n  input: \(FuzzRandom.show(input))",
                    file: file, line: line)
            }
            count += 1
            if failures > 5 { break }
        }
        print(
            "FuzzTests[\(target)]: \(count) inputs in \(String(format: "%.2f", Date().timeIntervalSince(start))) s, \(failures) failure(s)")
        if failures == 0 {
            XCTAssertGreaterThanOrEqual(count, min(config.iterations, minimum), "too few inputs to mean anything", file: file, line: line)
        }
    }

    // MARK: - Reading helpers

    struct Outcome<Record: Equatable>: Equatable, CustomStringConvertible {
        var records: [Record] = []
        var error: ShopError?
        var description: String { "\(records.count) record(s)" + (error.map { ", then \($0.code): \($0.message.en)" } ?? "") }
    }

    static func readCSV(_ bytes: [UInt8], chunkSize: Int, maxField: Int) -> Outcome<CSVRecord> {
        var reader = CSVReader(bytes: bytes, chunkSize: chunkSize, maxFieldBytes: maxField, fileName: "fuzz.csv")
        var outcome = Outcome<CSVRecord>()
        do {
            while let record = try reader.next() { outcome.records.append(record) }
        } catch {
            outcome.error = (error as? ShopError) ?? ShopError(.store, "not-a-shop-error", en: "\(error)", zh: "")
        }
        return outcome
    }

    static func readJSONL(_ bytes: [UInt8], chunkSize: Int, maxLine: Int) -> Outcome<JSONLRecord> {
        var reader = JSONLReader(bytes: bytes, chunkSize: chunkSize, maxLineBytes: maxLine, fileName: "fuzz.jsonl")
        var outcome = Outcome<JSONLRecord>()
        do {
            while let record = try reader.next() { outcome.records.append(record) }
        } catch {
            outcome.error = (error as? ShopError) ?? ShopError(.store, "not-a-shop-error", en: "\(error)", zh: "")
        }
        return outcome
    }

    static func readRows(_ bytes: [UInt8], format: ImportFormat, required: [String], chunkSize: Int) -> Outcome<ImportRow> {
        var outcome = Outcome<ImportRow>()
        do {
            var reader = try RecordReader(
                format: format, bytes: bytes, chunkSize: chunkSize, requiredColumns: required, fileName: "fuzz")
            while let row = try reader.next() { outcome.records.append(row) }
        } catch {
            outcome.error = (error as? ShopError) ?? ShopError(.store, "not-a-shop-error", en: "\(error)", zh: "")
        }
        return outcome
    }

    // MARK: - Invariants

    /// Lines, counted the way the readers count them (LF, CRLF or a lone CR ends a line).
    static func physicalLines(_ bytes: [UInt8]) -> Int {
        var lines = 1
        for (i, b) in bytes.enumerated() where b == 0x0A || (b == 0x0D && (i + 1 == bytes.count || bytes[i + 1] != 0x0A)) {
            lines += 1
        }
        return lines
    }

    static func checkLines(_ lines: [Int], in input: [UInt8], _ report: Report) {
        let last = physicalLines(input)
        if let bad = lines.first(where: { !(1...last).contains($0) }) { report("record on line \(bad) of a \(last)-line input") }
        if zip(lines, lines.dropFirst()).contains(where: { $0 >= $1 }) { report("record lines do not increase: \(lines)") }
    }

    static func checkReaderError(_ error: ShopError, codes: Set<String>, in input: [UInt8], _ report: Report) {
        if error.kind != .invalidInput { report("error of kind \(error.kind): \(error)") }
        if !codes.contains(error.code) { report("unexpected code \(error.code): \(error.message.en)") }
        guard let match = error.message.en.firstMatch(of: #/line ([0-9]+)/#), let line = Int(match.1) else {
            return report("the message names no line: \(error.message.en)")
        }
        if !(1...physicalLines(input)).contains(line) {
            report("line \(line) of a \(physicalLines(input))-line input: \(error.message.en)")
        }
        if !error.message.zh.contains("第 \(line) 行") { report("the Chinese message names no line \(line): \(error.message.zh)") }
    }

    static func checkParserError(_ error: ShopError, code: String, _ report: Report) {
        if error.kind != .usage || error.code != code { report("error \(error.kind) \(error.code), expected usage \(code)") }
        if error.message.en.isEmpty || error.message.zh.isEmpty { report("empty message: \(error)") }
    }

    static func checkRoundTrip(_ value: JSON, _ report: Report) {
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

    static func quoted(_ field: String) -> String { "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Proof that the invariants were exercised, not skipped.
    struct Coverage {
        var successes = 0
        var errors: Set<String> = []
        var rowErrors = 0

        func expect(_ codes: Set<String>, rowErrors wantRowErrors: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertGreaterThan(successes, 0, "no input was accepted", file: file, line: line)
            XCTAssertTrue(
                errors.isSuperset(of: codes), "errors seen: \(errors.sorted()), expected all of \(codes.sorted())", file: file, line: line)
            if wantRowErrors { XCTAssertGreaterThan(rowErrors, 0, "no row error seen", file: file, line: line) }
        }
    }
}

// MARK: - Configuration

struct FuzzConfig {
    let seconds: Double
    let seed: UInt64
    let iterations: Int

    /// Every target runs at least this many inputs, however slow the machine.
    static let minimumIterations = 300

    static let current: FuzzConfig = {
        let env = ProcessInfo.processInfo.environment
        let seconds = env["SHOPCTL_FUZZ_SECONDS"].flatMap(Double.init).map { max(0.01, $0) } ?? 10
        let seed = env["SHOPCTL_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 0...UInt64.max)
        let iterations = env["SHOPCTL_FUZZ_ITERATIONS"].flatMap(Int.init) ?? Int(seconds * 50_000)
        return FuzzConfig(seconds: seconds, seed: seed, iterations: max(1, iterations))
    }()
}

/// SplitMix64: small, fast and the same on every platform.
struct FuzzRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// FNV-1a, so that targets get different streams from one seed.
    static func hash(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    /// Printable ASCII as is, everything else as `\xNN`.
    static func show(_ bytes: [UInt8]) -> String {
        let shown = bytes.prefix(600).map { b -> String in
            switch b {
            case 0x5C: return "\\\\"
            case 0x20...0x7E: return String(UnicodeScalar(b))
            default: return String(format: "\\x%02X", b)
            }
        }
        return "\"" + shown.joined() + "\"" + (bytes.count > 600 ? "… (\(bytes.count) bytes)" : "")
    }
}

enum Mutator {
    /// Bytes that matter to the readers: syntax, line ends, NUL, bytes never in UTF-8, byte order
    /// marks, whole and cut multi-byte characters, GBK, surrogates, overlong forms, JSON words.
    static let fragments: [[UInt8]] = {
        let bytes: [[UInt8]] = [
            [0x22], [0x2C], [0x0D], [0x0A], [0x0D, 0x0A], [0x00], [0xFF], [0xFE], [0xFF, 0xFE], [0xEF, 0xBB, 0xBF], [0x80], [0xC0, 0xAF],
            [0xE5], [0xE5, 0x95], [0xE5, 0x95, 0x86], [0xC2], [0xC2, 0xA5], [0xEF, 0xBF, 0xA5], [0xF0, 0x9F, 0x98],
            [0xF0, 0x9F, 0x98, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC9, 0xCC, 0xC6, 0xB7], [0x09], [0x20],
        ]
        let words: [String] = [
            "{", "}", "[", "]", ":", "\\", "\\u", "\\ud800", "\\udc00", "\\u00", "\"\"", ".", "-", "e", "E", "%", "0", "9", "1e400",
            "null", "true", "NaN", "Infinity", "¥", "￥", "\"a\":", ",\"", "\",",
        ]
        return bytes + words.map { Array($0.utf8) }
    }()

    static func mutate(_ sample: [UInt8], _ rng: inout FuzzRandom, splice: [[UInt8]]) -> [UInt8] {
        var b = sample
        for _ in 0..<rng.int(1...8) {
            let at = rng.int(0...b.count)
            switch rng.int(0...9) {
            case 0 where !b.isEmpty:  // flip a bit
                let i = rng.int(0...(b.count - 1))
                b[i] ^= UInt8(1) << UInt8(rng.int(0...7))
            case 1 where !b.isEmpty:  // a random byte
                b[rng.int(0...(b.count - 1))] = UInt8(truncatingIfNeeded: rng.next())
            case 2:  // insert a random byte
                b.insert(UInt8(truncatingIfNeeded: rng.next()), at: at)
            case 3, 4:  // insert a fragment
                b.insert(contentsOf: rng.pick(fragments), at: at)
            case 5 where !b.isEmpty:  // replace a byte with a fragment
                let i = rng.int(0...(b.count - 1))
                b.replaceSubrange(i...i, with: rng.pick(fragments))
            case 6 where !b.isEmpty:  // delete a range
                let i = rng.int(0...(b.count - 1))
                b.removeSubrange(i..<min(b.count, i + rng.int(1...16)))
            case 7 where !b.isEmpty:  // duplicate a range
                let i = rng.int(0...(b.count - 1))
                let range = Array(b[i..<min(b.count, i + rng.int(1...32))])
                b.insert(contentsOf: range, at: rng.int(0...b.count))
            case 8:  // splice a range of another sample
                let other = rng.pick(splice)
                guard !other.isEmpty else { break }
                let i = rng.int(0...(other.count - 1))
                b.insert(contentsOf: other[i..<min(other.count, i + rng.int(1...24))], at: at)
            case 9:  // truncate
                b.removeSubrange(at...)
            default:
                break
            }
        }
        return b
    }
}

// MARK: - Samples

enum FuzzSamples {
    static let csv: [[UInt8]] = [
        "product_id,supplier_id,title,brand,category,price,commission_rate,stock,status\n"
            + "P1,SP1,\"西湖龙井, 明前\",西湖,食品保健,¥129.50,20%,10,on\n"
            + "P2,SP1,\"5\"\"屏幕\",品牌,数码家电,1999,5,0,off\n"
            + "P3,SP1,\"多行\n标题\",品牌,美妆个护,59.9,12.5%,3,on\n",
        "\u{FEFF}supplier_id,name,registered_capital,general_taxpayer,deposit,auth_chain_levels\r\n"
            + "SP1,杭州西湖茶业有限公司,5000000,true,20000,1\r\nSP2,\"义乌, 小商品\",300000,false,5000,4\r\n",
        "a,b,c\n1,2,3\n\n4,\"5\r\n6\",7\n,,\n\"\",x,\"\"\n",
        "name\rTea\rCoffee\r\r",
        "order_id,product_id,quantity,unit_price,paid_at,status,share_token\n"
            + "O1,P1,2,389.00,2026-11-20T20:15:03+08:00,paid,AQAAAAABKkql3P28R2pxw3Ly\n",
        "x\n",
    ].map { Array($0.utf8) }

    /// Inputs that reach each error of the CSV reader.
    static let csvEdges: [[UInt8]] =
        ["a,\"b\n", "a,b\"c\n", "\"a\"b\n", "a\u{0}b\n"].map { Array($0.utf8) } + [[0x61, 0x0A, 0xFF], [0x61, 0xE5, 0x95]]
    /// Inputs that reach the header errors, field-count rows and the reader errors of `RecordReader` on CSV.
    static let csvRecordEdges: [[UInt8]] = ["a,b,a\n1,2,3\n", "x,y\n1,2\n", "a,b\n1\n1,2,3\n", "", "a\n\"", "a\n\u{0}"].map {
        Array($0.utf8)
    }
    /// Inputs that reach each error of the JSON Lines reader.
    static let jsonlEdges: [[UInt8]] =
        ["{\"a\":1}\n{\"a\":", "{\"a\":1,\"a\":2}", "[1,]", "\u{0}"].map { Array($0.utf8) }
        + [[0x22, 0xFF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22]]
    /// Inputs that reach the row errors and the reader errors of `RecordReader` on JSON Lines.
    static let jsonlRecordEdges: [[UInt8]] = ["[1]\n\"s\"\n{\"b\":1}\n{\"a\":[1]}\n{\"a\":null}\n", "{\"a\":", "\u{0}"].map {
        Array($0.utf8)
    }

    static let jsonl: [[UInt8]] = [
        #"{"product_id":"J1","supplier_id":"SP1","title":"面膜 补水","price":59.9,"stock":10,"tags":["a","b"],"ok":true,"n":null}"#
            + "\n" + #"{"x":"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t","y":-0.5e-3,"z":{"a":[1,2,{"b":[]}]}}"# + "\n",
        "\u{FEFF}" + #"{"supplier_id":"SP1","name":"茶业","registered_capital":5000000,"general_taxpayer":true}"# + "\r\n"
            + #"{"supplier_id":"SP2","name":"义乌","deposit":"20000"}"# + "\r\n",
        "\n  \n[1,2,{\"a\":[]}]\n\"s\"\n42\n\t\n" + #"{"price":1e2,"quantity":9223372036854775808}"# + "\n",
        #"{"order_id":"O1","product_id":"P1","quantity":2,"unit_price":"389.00","paid_at":"2026-11-20T20:15:03+08:00"}"#,
    ].map { Array($0.utf8) }

    static let json: [[UInt8]] =
        jsonl
        + [
            "{\n  \"a\": [\n    1,\n    2.5e+3,\n    -0\n  ],\n  \"b\": {\"c\": \"d\"}\n}\n",
            "\u{FEFF}[true, false, null, \"\\u0041\", 0.1]",
            "   \"just a string\"   ",
        ].map { Array($0.utf8) }

    static let money: [[UInt8]] = [
        "129", "129.5", "129.50", "¥129.50", "￥0.01", " 1000000000 ", "1000000000.00", "1000000000.01", "0", "-0", "-¥12.30", "¥-7",
        "12.345", "1e3", "NaN", "1,000.00", "\t7\t", "00012.30", "999999999.99", "9223372036854775807", ".5", "5.",
    ].map { Array($0.utf8) }
    static let moneyAlphabet = ["0", "1", "5", "9", "0", "7", ".", "¥", "￥", " ", "\t", "-", "e", ",", "１", "٣"]

    static let rate: [[UInt8]] = [
        "20", "20%", "12.5%", "0.25", "100", "100.00％", " 7 % ", "101", "-1", "0001", "12.345", "100.01", "%",
    ].map { Array($0.utf8) }
    static let rateAlphabet = ["0", "1", "5", "9", "0", ".", "%", "％", " ", "\t", "-", "e"]

    static let time: [[UInt8]] = [
        "2026-11-21T09:30:00+08:00", "2026-11-21T01:30:00Z", "2024-02-29t23:59:60z", "2026-11-21 09:30:00.123456-05:30",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2026-02-30T00:00:00Z", "2026-11-21T24:00:00+08:00",
        "2026-11-21T09:30:00", "2026-11-21T09:30:00+0800", "2026-11-21",
    ].map { Array($0.utf8) }
    static let timeAlphabet = [
        "2026-11-21T09:30:00", "2026-02-29T23:59:60", "0000-01-01T00:00:00", "9999-12-31 23:59:59", "Z", "z", "+08:00", "-23:59",
        "+24:00", ".5", ".", "0", "9", "-", ":", "T", " ",
    ]
}

// MARK: - Oracles

/// What the value parsers should do, written independently of them.
enum FuzzOracle {
    /// Spaces and tabs off both ends, scalar by scalar.
    static func trimmed(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars[...]
        while let f = scalars.first, f == " " || f == "\t" { scalars.removeFirst() }
        while let l = scalars.last, l == " " || l == "\t" { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// The fen of a documented amount, nil when it must be refused.
    static func money(_ text: String, allowNegative: Bool) -> Int64? {
        let positive = #/^[¥￥]?([0-9]+)(?:\.([0-9]{1,2}))?$/#.matchingSemantics(.unicodeScalar)
        let signed = #/^(?:-[¥￥]?|[¥￥]?-?)([0-9]+)(?:\.([0-9]{1,2}))?$/#.matchingSemantics(.unicodeScalar)
        let s = trimmed(text)
        let whole: Substring
        let fraction: Substring?
        if let m = s.wholeMatch(of: positive) {
            (whole, fraction) = (m.1, m.2)
        } else if allowNegative, let m = s.wholeMatch(of: signed) {
            (whole, fraction) = (m.1, m.2)
        } else {
            return nil
        }
        let digits = whole.drop { $0 == "0" }
        guard digits.count <= 10, let yuan = Int64(digits.isEmpty ? "0" : String(digits)), yuan <= 1_000_000_000 else { return nil }
        let fen = yuan * 100 + Int64(((fraction.map(String.init) ?? "") + "00").prefix(2))!
        guard fen <= 100_000_000_000 else { return nil }
        return s.unicodeScalars.contains("-") ? -fen : fen
    }

    /// The basis points of a documented percentage, nil when it must be refused.
    static func rate(_ text: String) -> Int? {
        var s = trimmed(text)
        if let last = s.unicodeScalars.last, last == "%" || last == "％" {
            s = trimmed(String(String.UnicodeScalarView(s.unicodeScalars.dropLast())))
        }
        guard let m = s.wholeMatch(of: #/([0-9]{1,3})(?:\.([0-9]{1,2}))?/#.matchingSemantics(.unicodeScalar)) else { return nil }
        let bp = Int(m.1)! * 100 + Int(((m.2.map(String.init) ?? "") + "00").prefix(2))!
        return bp <= 10_000 ? bp : nil
    }

    struct Time: Equatable {
        /// `YYYY-MM-DDTHH:MM:SS` as written.
        let localFields: String
        let offset: Int
        let year: Int
    }

    /// RFC 3339 with a zone: the fields as written and the offset, nil when it must be refused.
    static func time(_ text: String) -> Time? {
        let pattern =
            #/([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))/#
        guard let m = text.wholeMatch(of: pattern.matchingSemantics(.unicodeScalar)) else { return nil }
        let (y, mo, d, h, mi, s) = (Int(m.1)!, Int(m.2)!, Int(m.3)!, Int(m.4)!, Int(m.5)!, Int(m.6)!)
        let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (2000...2099).contains(y), (1...12).contains(mo), d >= 1, d <= days[mo - 1], h < 24, mi < 60, s < 60 else { return nil }
        var offset = 0
        if let sign = m.7, let oh = m.8.flatMap({ Int($0) }), let om = m.9.flatMap({ Int($0) }) {
            guard oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (sign == "-" ? -1 : 1)
        }
        func pad(_ v: Int, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(v).count)) + String(v) }
        let fields = "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))"
        return Time(localFields: fields, offset: offset, year: y)
    }
}
