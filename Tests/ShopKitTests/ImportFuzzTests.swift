import Foundation
import FuzzSupport
import XCTest

@testable import ShopKit

/// Seeded mutation fuzzing of what an import makes of the codecs' records, with the loop of
/// `FuzzSupport` (see CodecsTests' `FuzzTests` for the mutations, the budget and how to replay a run):
/// `ImportReader` (rows, row errors, header errors), `Money.parse`, `Rate.parse` and
/// `Instant.parseRFC3339`. Invariants:
/// - nothing traps; every error is a `ShopError`: `.invalidInput` with a message naming a line
///   (`ImportReader`), `.usage` with a non-empty message (the value parsers);
/// - reading the same bytes whole and one byte at a time gives the same rows, or the same rows
///   and then the same error;
/// - `Money.parse` accepts exactly the strings that match `^[¥￥]?[0-9]+(\.[0-9]{1,2})?$` once
///   spaces and tabs are trimmed (with a leading or inner `-` when negative amounts are allowed),
///   within 1,000,000,000 yuan, gives their value, and round-trips through `plainYuan`; `Rate`
///   and `Instant` have oracles of the same kind.
final class ImportFuzzTests: XCTestCase {

    // MARK: - Rows

    func testImportReaderSurvivesMutationsAndChunking() {
        var coverage = FuzzCoverage()
        // The text formats (a workbook is read from a file: XLSXReaderTests fuzz it).
        for format in [ImportFormat.csv, .jsonl] {
            let samples = format == .csv ? FuzzSamples.csv : FuzzSamples.jsonl
            let edges = format == .csv ? FuzzSamples.csvRecordEdges : FuzzSamples.jsonlRecordEdges
            fuzz("record-\(format.rawValue)", share: 0.1, samples: samples, edges: edges) { input, rng, report in
                // Mostly the format the sample was written in; sometimes the other one.
                let read = rng.chance(0.9) ? format : (format == .csv ? .jsonl : .csv)
                let required = ["product_id", "title", "name", "nope"].filter { _ in rng.chance(0.3) } + ["a"]
                let whole = Self.readRows(input, format: read, required: required, chunkSize: max(1, input.count))
                let ones = Self.readRows(input, format: read, required: required, chunkSize: 1)
                if whole != ones { report("1-byte chunks differ (\(read), \(required)):\n  whole: \(whole)\n  1-byte: \(ones)") }
                FuzzCheck.checkLines(whole.records.map(\.line), in: input, report)
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

    // MARK: - Value parsers

    func testMoneyParseAcceptsExactlyTheDocumentedForm() {
        var coverage = FuzzCoverage()
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
        var coverage = FuzzCoverage()
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
        var coverage = FuzzCoverage()
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

    // MARK: - Reading helpers

    struct Outcome<Record: Equatable>: Equatable, CustomStringConvertible {
        var records: [Record] = []
        var error: ShopError?
        var description: String { "\(records.count) record(s)" + (error.map { ", then \($0.code): \($0.message.en)" } ?? "") }
    }

    static func readRows(_ bytes: [UInt8], format: ImportFormat, required: [String], chunkSize: Int) -> Outcome<ImportRow> {
        var outcome = Outcome<ImportRow>()
        do {
            var reader = try ImportReader(
                format: format, bytes: bytes, chunkSize: chunkSize, requiredColumns: required, fileName: "fuzz")
            while let row = try reader.next() { outcome.records.append(row) }
        } catch {
            outcome.error = (error as? ShopError) ?? ShopError(.store, "not-a-shop-error", en: "\(error)", zh: "")
        }
        return outcome
    }

    // MARK: - Invariants

    static func checkReaderError(_ error: ShopError, codes: Set<String>, in input: [UInt8], _ report: FuzzReport) {
        FuzzCheck.checkReaderError(
            invalidInput: error.kind == .invalidInput, kind: "\(error.kind)", code: error.code, en: error.message.en,
            zh: error.message.zh, codes: codes, in: input, report)
    }

    static func checkParserError(_ error: ShopError, code: String, _ report: FuzzReport) {
        if error.kind != .usage || error.code != code { report("error \(error.kind) \(error.code), expected usage \(code)") }
        if error.message.en.isEmpty || error.message.zh.isEmpty { report("empty message: \(error)") }
    }
}

// MARK: - Samples

extension FuzzSamples {
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
