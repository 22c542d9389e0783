import Codecs
import Foundation
import XCTest

@testable import ShopKit
@testable import ShopStore

final class RejectSpoolTests: XCTestCase {
    func rejection(_ line: Int, _ code: String = "bad-value", id: String? = nil, en: String? = nil) -> RowRejection {
        RowRejection(
            line: line, id: id ?? "R\(line)", code: code,
            message: Message(en: "line \(line): " + (en ?? "bad \(line)"), zh: "第 \(line) 行：坏值 \(line)"))
    }

    func json(_ spool: RejectSpool, accepted: Int) throws -> String {
        var out: [UInt8] = []
        try spool.writeJSON(accepted: accepted) { out += $0 }
        return String(decoding: out, as: UTF8.self)
    }

    func csv(_ spool: RejectSpool, section: Int) throws -> String {
        var out: [UInt8] = []
        try spool.writeCSV(section: section) { out += $0 }
        return String(decoding: out, as: UTF8.self)
    }

    /// The streamed report is byte for byte the document the in-memory report prints.
    func testStreamedJSONIsTheReportsDocument() throws {
        for chinese in [false, true] {
            let empty = try RejectSpool(chinese: chinese, sections: [nil])
            var memory = ImportReport()
            memory.accepted = 7
            XCTAssertEqual(try json(empty, accepted: 7), memory.json(chinese: chinese).serialized(pretty: true))

            let spool = try RejectSpool(chinese: chinese, sections: [nil])
            var report = ImportReport(sink: spool)
            let lines = [2, 3, 9, 5, 6, 12, 4, 13, 40, 41, 1]  // arrival order: three runs
            for l in lines { report.reject(rejection(l, id: l == 3 ? nil : "R\(l)", en: "quote \" and 中文 \u{1}")) }
            memory.rejected = lines.sorted().map { rejection($0, id: $0 == 3 ? nil : "R\($0)", en: "quote \" and 中文 \u{1}") }
            try spool.finish()
            XCTAssertEqual(try json(spool, accepted: 7), memory.json(chinese: chinese).serialized(pretty: true))
            XCTAssertEqual(report.rejectedCount, lines.count)
            XCTAssertEqual(report.firstRejected.map(\.line), lines.sorted())
        }
    }

    func testARowsElementIsTheSerializersText() {
        for r in [
            rejection(1), rejection(22, id: "", en: "\u{0}\u{1F}\\/\"\n中\u{2028}😀"),
            RowRejection(line: 0, id: nil, code: "x", message: Message(en: "", zh: "")),
        ] {
            for indent in [0, 2, 5] {
                for chinese in [false, true] {
                    XCTAssertEqual(
                        r.prettyJSON(chinese: chinese, indent: indent), r.json(chinese: chinese).serialized(pretty: true, indent: indent))
                }
            }
        }
    }

    func testSectionsComeInOrderAndRowsByLineWithin() throws {
        let spool = try RejectSpool(chinese: false, sections: [nil, nil])
        spool.select(section: 0)
        for l in [5, 3] { spool.add(rejection(l, "supplier-admission"), row: nil) }
        spool.select(section: 1)
        for l in [2, 9, 4] { spool.add(rejection(l), row: nil) }
        var seen: [String] = []
        try spool.forEach { seen.append("\($0.section):\($0.line)") }
        XCTAssertEqual(seen, ["0:3", "0:5", "1:2", "1:4", "1:9"])
        XCTAssertEqual(spool.first.map(\.line), [3, 5, 2, 4, 9])
        XCTAssertEqual(spool.countsByCode.map { "\($0.code)=\($0.count)" }, ["bad-value=3", "supplier-admission=2"])
    }

    /// Memory keeps 20 rows, the counts and nothing else; every row is read back from disk,
    /// records larger than the read buffer included.
    func testManyRowsAndLargeRecordsComeBack() throws {
        let spool = try RejectSpool(chinese: false, sections: [nil])
        let big = String(repeating: "长", count: 40_000)
        var expected: [Int] = []
        for l in stride(from: 30_000, to: 0, by: -1) where l % 3 != 0 {
            spool.add(rejection(l, l % 2 == 0 ? "even" : "odd", en: l % 997 == 0 ? big : nil), row: nil)
            expected.append(l)
        }
        XCTAssertEqual(spool.first.count, 20)
        XCTAssertEqual(spool.first.map(\.line), Array(expected.sorted().prefix(20)))
        var lines: [Int] = []
        var bigSeen = 0
        try spool.forEach { r in
            lines.append(r.line)
            if r.json.count > 100_000 { bigSeen += 1 }
        }
        XCTAssertEqual(lines, expected.sorted())
        XCTAssertEqual(bigSeen, expected.filter { $0 % 997 == 0 }.count)
        XCTAssertEqual(spool.count, expected.count)
    }

    func testCSVRecordsKeepTheRowAsReadQuotedPerRFC4180() throws {
        let header = ["order_id", "note", "", "line", "share_token"]
        var reader = try ImportReader(
            format: .csv,
            string: "order_id,note,,line,share_token\nA,\"a, \"\"b\"\"\nc\",x,99, t1 \nB,中文,,,\n",
            requiredColumns: ["order_id"])
        XCTAssertEqual(reader.columns, header)
        let spool = try RejectSpool(chinese: true, sections: [.csv(header: header)])
        let a = try reader.next()!
        let b = try reader.next()!
        spool.add(rejection(5), row: b)
        spool.add(rejection(2, "invalid-token"), row: a)
        XCTAssertEqual(
            try csv(spool, section: 0),
            "order_id,note,,share_token,line,code,message\r\n" + "A,\"a, \"\"b\"\"\nc\",x, t1 ,2,invalid-token,坏值 2\r\n"
                + "B,中文,,,5,bad-value,坏值 5\r\n")
        XCTAssertEqual(RejectSpool.csvLine(["", "\r", "a\"b", "x y"]), ",\"\r\",\"a\"\"b\",x y\r\n")
    }

    func testJSONLinesRowsTakeTheFeedsColumns() throws {
        var reader = try ImportReader(
            format: .jsonl, string: #"{"order_id":"A","quantity":2,"note":"x","refunded":null,"self_purchase":true}"# + "\n[1]\n")
        let spool = try RejectSpool(chinese: false, sections: [.jsonl(["order_id", "quantity", "refunded", "self_purchase"])])
        spool.add(rejection(1), row: try reader.next())
        spool.add(rejection(2), row: try reader.next())
        XCTAssertEqual(
            try csv(spool, section: 0),
            "order_id,quantity,refunded,self_purchase,line,code,message\r\nA,2,,true,1,bad-value,bad 1\r\n,,,,2,bad-value,bad 2\r\n")
    }

    /// The temporary file is made when the first row is written: a folder that cannot hold it
    /// fails the spool then (and an import that rejects nothing never needs it).
    func testAnUnusableFolderIsAStoreErrorOnceARowIsWritten() throws {
        let spool = try RejectSpool(chinese: false, sections: [nil], directory: "/nonexistent-shopctl-folder")
        XCTAssertNoThrow(try spool.finish())
        XCTAssertEqual(try json(spool, accepted: 1), "{\n  \"accepted\": 1,\n  \"rejected\": []\n}")
        spool.add(rejection(2), row: nil)
        XCTAssertThrowsError(try spool.finish()) { e in XCTAssertEqual((e as? ShopError)?.code, "write-failed") }
        let counting = try RejectSpool(chinese: false, sections: [nil], json: false, directory: "/nonexistent-shopctl-folder")
        counting.add(rejection(2), row: nil)
        XCTAssertNoThrow(try counting.finish())
        XCTAssertEqual(counting.count, 1)
    }
}
