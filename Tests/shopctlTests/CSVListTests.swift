import Foundation
import XCTest

/// Python's `csv` and `json` read back what `--csv` / `--excel` wrote and compare it with the
/// command's `--json`: the header is the JSON keys with `X_yuan` after each `X_fen`, each yuan
/// cell is the fen ÷ 100 (exact, by integer arithmetic), every other cell the JSON value as text
/// (`true`/`false`, null empty). Prints one JSON object: `{"rows": N, "header": [...], "problems": [...]}`.
enum CSVCheck {
    static let script = #"""
        import csv, io, json, sys
        from decimal import Decimal
        csv_path, json_path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
        raw = open(csv_path, 'rb').read()
        problems = []
        if mode == 'excel':
            if not raw.startswith(b'\xef\xbb\xbf'): problems.append('no BOM')
            text = raw[3:].decode('utf-8')
            if text and not text.endswith('\r\n'): problems.append('excel lines do not end with CRLF')
        else:
            if raw.startswith(b'\xef\xbb\xbf'): problems.append('BOM without --excel')
            text = raw.decode('utf-8')
            if '\r\n' in text: problems.append('CRLF in --csv')
        rows = list(csv.reader(io.StringIO(text, newline='')))
        data = json.loads(open(json_path, encoding='utf-8').read(), object_pairs_hook=list)
        def is_id(k): return k.endswith('_id') or k in ('key', 'token', 'month')
        def text_of(v):
            if v is None: return ''
            if v is True: return 'true'
            if v is False: return 'false'
            return str(v)
        def yuan(v):
            if v is None: return ''
            s = '-' if v < 0 else ''
            return '%s%d.%02d' % (s, abs(v) // 100, abs(v) % 100)
        header = rows[0] if rows else []
        body = rows[1:]
        if len(body) != len(data): problems.append('%d rows for %d JSON rows' % (len(body), len(data)))
        for i, (obj, row) in enumerate(zip(data, body)):
            want_header, want = [], []
            for k, v in obj:
                want_header.append(k); want.append(text_of(v))
                if k.endswith('_fen'):
                    want_header.append(k[:-4] + '_yuan'); want.append(yuan(v))
                    if v is not None and Decimal(row[len(want) - 1]) * 100 != v: problems.append('yuan != fen/100 in row %d' % i)
            if want_header != header: problems.append('header %r, want %r' % (header, want_header))
            for j, k in enumerate(want_header):
                got = row[j] if j < len(row) else None
                if mode == 'excel' and is_id(k) and isinstance(got, str) and want[j] != '':
                    if not (got.startswith('="') and got.endswith('"')): problems.append('id %s not protected: %r' % (k, got)); continue
                    got = got[2:-1].replace('""', '"')
                elif mode == 'excel' and isinstance(got, str) and got[:1] == "'" and want[j][:1] in ('=', '+', '-', '@', '\t', '\r'):
                    got = got[1:]
                if got != want[j]: problems.append('row %d %s: %r, want %r' % (i, k, got, want[j]))
            if len(row) != len(want_header): problems.append('row %d has %d cells' % (i, len(row)))
        print(json.dumps({'rows': len(body), 'header': header, 'problems': problems[:20]}))
        """#

    struct Report {
        var rows: Int
        var header: [String]
        var problems: [String]
    }

    /// Runs `args` with `--json` and with `--csv` (or `--excel`) and compares them in Python.
    static func check(_ s: Sandbox, _ args: [String], excel: Bool = false, env: [String: String] = [:]) throws -> Report {
        let json = s.run(args + ["--json"], env: env)
        XCTAssertExit(json, 0)
        let csv = s.run(args + [excel ? "--excel" : "--csv"], env: env)
        XCTAssertExit(csv, 0)
        let name = UUID().uuidString
        let csvPath = try s.write(name + ".csv", csv.stdout)
        let jsonPath = try s.write(name + ".json", json.stdout)
        let scriptPath = try s.write("check.py", script)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", scriptPath, csvPath, jsonPath, excel ? "excel" : "csv"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "python3 check of \(args)")
        let o = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return Report(
            rows: o["rows"] as? Int ?? -1, header: o["header"] as? [String] ?? [], problems: o["problems"] as? [String] ?? ["no report"])
    }
}

final class CSVListTests: XCTestCase {
    static let now = "2026-12-01T10:00:00+08:00"

    /// The demo store: one of every list, with data.
    private func demo() throws -> Sandbox {
        let s = try Sandbox(now: Self.now)
        XCTAssertExit(s.run("demo", "--db", s.db), 0)
        return s
    }

    static let lists: [[String]] = [
        ["shop", "list"], ["catalog", "list", "--limit", "0"], ["pick-products", "list"], ["share-link", "list", "--limit", "0"],
        ["orders", "list", "--limit", "0"], ["earnings", "report"], ["earnings", "report", "--by", "product"],
        ["earnings", "report", "--by", "day", "--period", "last-month"], ["earnings", "withdrawals"], ["earnings", "months"],
    ]

    func testEveryListsCSVParsesBackAsItsJSON() throws {
        let s = try demo()
        for args in Self.lists {
            let r = try CSVCheck.check(s, args)
            XCTAssertEqual(r.problems, [], "\(args)")
            XCTAssertGreaterThan(r.rows, 0, "\(args) lists something in the demo")
            for (i, h) in r.header.enumerated() where h.hasSuffix("_fen") {
                XCTAssertEqual(r.header[i + 1], h.dropLast(4) + "_yuan", "\(args)")
            }
        }
    }

    func testEveryListsExcelHasTheBOMCRLFAndProtectedIds() throws {
        let s = try demo()
        for args in Self.lists {
            let r = try CSVCheck.check(s, args, excel: true)
            XCTAssertEqual(r.problems, [], "\(args)")
            XCTAssertGreaterThan(r.rows, 0, "\(args)")
        }
        let excel = s.run("catalog", "list", "--limit", "0", "--excel")
        XCTAssertEqual(Array(excel.stdout.utf8.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertTrue(excel.stdout.contains("\"=\"\"P000019\"\"\""), "P000019 kept as text for Excel")
        let plain = s.run("catalog", "list", "--limit", "0", "--csv")
        XCTAssertNotEqual(Array(plain.stdout.utf8.prefix(3)), [0xEF, 0xBB, 0xBF])
        XCTAssertTrue(plain.stdout.contains("\nP000019,"), "P000019 as it is in plain CSV")
        XCTAssertFalse(plain.stdout.contains("\r"))
    }

    /// Ids with leading zeros, amounts to the fen, text needing quotes, a `--json` that wins.
    func testLeadingZerosQuotingAndJSONWins() throws {
        let o = try OrderShop()
        let f = try o.feed(
            "o.csv",
            [
                "00123,P00001,3,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "007,P00002,1,12.05,2026-09-11T20:00:00+08:00,shipped,\(o.storefront),,,",
            ])
        XCTAssertExit(o.at(Self.now, "orders", "import", f), 0)
        let env = ["SHOPCTL_NOW": Self.now]
        for excel in [false, true] {
            let r = try CSVCheck.check(o.s, ["orders", "list"], excel: excel, env: env)
            XCTAssertEqual(r.problems, [])
            XCTAssertEqual(r.rows, 2)
        }
        let csv = o.at(Self.now, "orders", "list", "--csv").stdout
        XCTAssertTrue(csv.contains("\n007,P00002,1,1205,12.05,"), csv)
        XCTAssertTrue(csv.contains("\n00123,P00001,3,3450,34.50,"), csv)
        let excel = o.at(Self.now, "orders", "list", "--excel").stdout
        XCTAssertTrue(excel.contains("\r\n\"=\"\"00123\"\"\",\"=\"\"P00001\"\"\",3,3450,34.50,"), excel)
        // --json wins over --csv: one JSON document.
        let both = o.at(Self.now, "orders", "list", "--csv", "--json")
        XCTAssertExit(both, 0)
        XCTAssertEqual(both.array.count, 2)
        // An empty list: no header (its columns come from its rows), the BOM alone for Excel.
        XCTAssertEqual(o.at(Self.now, "orders", "list", "--status", "refunded", "--csv").stdout, "")
        XCTAssertEqual(Array(o.at(Self.now, "orders", "list", "--status", "refunded", "--excel").stdout.utf8), [0xEF, 0xBB, 0xBF])
    }

    func testExcelNeutralisesFormulasInText() throws {
        let s = try demo()
        let product = "P000019"
        XCTAssertExit(s.run("pick-products", "reason", product, "=HYPERLINK(\"http://x\",\"y\")"), 0)
        let r = try CSVCheck.check(s, ["pick-products", "list"], excel: true)
        XCTAssertEqual(r.problems, [])
        let excel = s.run("pick-products", "list", "--excel").stdout
        XCTAssertTrue(excel.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","), excel)
        let csv = s.run("pick-products", "list", "--csv").stdout
        XCTAssertTrue(csv.contains(",\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","), "plain CSV keeps the data as it is")
    }
}
