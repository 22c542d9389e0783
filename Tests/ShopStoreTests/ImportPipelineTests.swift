import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

/// The pipelined import loop (rows read and parsed on a second thread) gives the same report
/// as the plain loop, in file order, and stops cleanly on a broken file or a failing store.
final class ImportPipelineTests: XCTestCase {
    struct Parsed: Sendable {
        let id: String
        let n: Int64
    }

    static func parse(_ row: ImportRow) throws(RowProblem) -> Parsed {
        let f = RowFields(row)
        return Parsed(id: try f.id("id"), n: try f.int("n", min: 0, max: 1_000_000))
    }

    func csv(rows: Int, tail: String = "") -> String {
        var text = "id,n\n"
        for i in 1...rows {
            switch i % 7 {
            case 3: text += "R\(i),-5\n"  // rejected by parse (bad-value)
            case 5: text += "R\(i),\(i),extra\n"  // rejected by the reader (a field too many)
            default: text += "R\(i),\(i)\n"
            }
        }
        return text + tail
    }

    /// `apply` rejects multiples of 11 and calls multiples of 13 unchanged.
    func apply(_ p: Parsed, seen: inout [String]) throws -> RowOutcome {
        seen.append(p.id)
        if p.n % 11 == 0 { throw RowProblem("odd", en: "multiple of 11", zh: "11 的倍数") }
        return p.n % 13 == 0 ? .unchanged : .accepted
    }

    /// A row's place gives the id a report gives (Excel's text marker and spaces dropped, cut
    /// to 64 characters), worked out from the id column's text only when it is asked for.
    func testAPlaceGivesTheIdOfItsRowWhenAsked() {
        let texts: [String?] = [
            "O1", "  O2\t", "'O3", "' O4 ", "'", "", "   ", String(repeating: "A", count: 70), String(repeating: "订", count: 70), nil,
        ]
        for text in texts {
            let row = ImportRow(line: 9, values: ["order_id": text, "other": "x"])
            let place = ImportLoop.RowPlace(row, idColumn: "order_id", kept: nil)
            XCTAssertEqual(place.line, 9)
            XCTAssertEqual(place.id, CatalogFeed.rowID(row, "order_id"), "\(String(describing: text))")
        }
        XCTAssertEqual(ImportLoop.RowPlace(ImportRow(line: 2, values: ["order_id": "' O4 "]), idColumn: "order_id", kept: nil).id, "O4")
        XCTAssertEqual(
            ImportLoop.RowPlace(
                ImportRow(line: 2, values: ["order_id": String(repeating: "订", count: 70)]), idColumn: "order_id", kept: nil
            ).id,
            String(repeating: "订", count: 64))
        XCTAssertNil(ImportLoop.RowPlace(ImportRow(line: 2, values: ["other": "x"]), idColumn: "order_id", kept: nil).id)
        XCTAssertEqual(ImportLoop.RowPlace(line: 3, id: " kept as given ").id, " kept as given ")
    }

    func testSameReportAsThePlainLoopInFileOrder() throws {
        let text = csv(rows: 20_000)
        var plain = ImportReport()
        var plainSeen: [String] = []
        var r1 = try ImportReader(format: .csv, string: text)
        try ImportLoop.run(&r1, idColumn: "id", report: &plain, progress: nil) { row in
            try self.apply(try Self.parse(row), seen: &plainSeen)
        }
        var piped = ImportReport()
        var pipedSeen: [String] = []
        var progressed: [Int] = []
        var r2 = try ImportReader(format: .csv, string: text)
        try ImportLoop.runPipelined(
            &r2, idColumn: "id", report: &piped, rowsBefore: 5, progress: { progressed.append($0) }, parse: Self.parse,
            apply: { p, _, report in report.count(try self.apply(p, seen: &pipedSeen)) }, flush: { _ in })
        XCTAssertEqual(piped, plain)
        XCTAssertEqual(pipedSeen, plainSeen)
        XCTAssertEqual(piped.rejected.map(\.line), piped.rejected.map(\.line).sorted())
        XCTAssertEqual(Set(piped.rejected.map(\.code)), ["bad-value", "odd"])  // a field-count row is bad-value (docs/formats.md)
        XCTAssertEqual(progressed, Array(stride(from: 1000, through: 20_005, by: 1000)))
        XCTAssertNil(try r2.next())
    }

    /// A file broken after thousands of rows (the reading thread far ahead): the error reaches
    /// the caller, after the rows before it and never before.
    func testABrokenFileThrowsAfterTheRowsBeforeIt() throws {
        let text = csv(rows: 9_000, tail: "R9001,\"unterminated\n")
        var seen: [String] = []
        var report = ImportReport()
        var reader = try ImportReader(format: .csv, string: text)
        XCTAssertThrowsError(
            try ImportLoop.runPipelined(
                &reader, idColumn: "id", report: &report, progress: nil, parse: Self.parse,
                apply: { p, _, report in report.count(try self.apply(p, seen: &seen)) }, flush: { _ in })
        ) { error in
            XCTAssertEqual((error as? ShopError)?.code, "bad-csv")
        }
        // R9000 (line 9001) has a field too many: rejected, the last row before the broken one.
        XCTAssertEqual(seen.last, "R8999")
        XCTAssertEqual(report.rejected.last?.line, 9001)
    }

    /// A store error in `apply` stops the reading thread and is rethrown at once.
    func testAFailingApplyStopsTheReader() throws {
        struct StoreDown: Error {}
        let text = csv(rows: 50_000)
        var calls = 0
        var report = ImportReport()
        var reader = try ImportReader(format: .csv, string: text)
        XCTAssertThrowsError(
            try ImportLoop.runPipelined(
                &reader, idColumn: "id", report: &report, progress: nil, parse: Self.parse,
                apply: { _, _, report in
                    calls += 1
                    if calls == 100 { throw StoreDown() }
                    report.count(.accepted)
                }, flush: { _ in })
        ) { error in
            XCTAssertTrue(error is StoreDown)
        }
        XCTAssertEqual(calls, 100)
    }
}
