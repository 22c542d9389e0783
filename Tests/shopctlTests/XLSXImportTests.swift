import Foundation
import XCTest

/// `.xlsx` workbooks through `orders import` and `catalog import` (SPEC §7 "Workbooks"). The
/// workbooks are made from CSV by scripts/gen_xlsx.py (Python's zipfile, laid out as Excel does),
/// so each can be checked against the CSV it came from.
final class XLSXImportTests: XCTestCase {
    static let now = "2026-11-21T09:30:00+08:00"
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let script = root.appendingPathComponent("scripts/gen_xlsx.py").path
    static let hostile = root.appendingPathComponent("Tests/Fixtures/hostile")

    /// Runs gen_xlsx.py with `arguments`.
    private func gen(_ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", Self.script] + arguments
        do { try p.run() } catch { throw XCTSkip("python3 is not installed") }
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "gen_xlsx.py \(arguments)")
    }

    /// The workbook of one CSV file, next to it.
    private func workbook(_ csv: String, dates: [String] = [], text: [String] = []) throws -> String {
        let out = csv.replacingOccurrences(of: ".csv", with: ".xlsx")
        try gen(["from-csv", csv, out, "--dates", dates.joined(separator: ","), "--text", text.joined(separator: ",")])
        return out
    }

    static let lianmengMap = """
        {"columns":{"创建时间":"paid_at","结算时间":"status_at","广告位名称":"share_token"},
         "values":{"status":{"订单付款":"paid","订单成功":"confirmed","订单结算":"confirmed","订单失效":"refunded"}},
         "time_format":"yyyy-MM-dd HH:mm:ss","skip_rows":1}
        """

    /// A 淘宝联盟 report with the shop's tokens, its times as date serials and order numbers as text,
    /// imports exactly as the CSV it was made from: the same report and the same `orders list`.
    func testALianmengWorkbookImportsAsItsCSV() throws {
        let o = try OrderShop()
        let header =
            "创建时间,点击时间,商品信息,商品ID,商品数,商品单价,订单状态,收入比率,付款金额,效果预估,结算金额,预估收入,结算时间,佣金比率,佣金金额,订单编号,来源媒体名称,广告位名称"
        let rows = [
            "2026-11-04 12:00:00,2026-11-04 11:00:00,商品 P00001,P00001,1,¥11.50,订单付款,100.00 %,11.50,0.69,0.00,0.69,,6.00 %,0.69,\t2783941234567890123,我的小店,\(o.p1)",
            "2026/11/5 20:15,2026/11/5 20:00,商品 P00002,P00002,2,12.50,订单结算,100.00 %,25.00,1.38,1.38,1.38,2026/11/15 10:00,6.00 %,1.38,\t2783941234567890124,我的小店,\(o.storefront)",
            "2026-11-06 09:00:00,2026-11-06 08:00:00,商品 P00001,P00001,1,11.50,订单成功,100.00 %,11.50,0.69,0.00,0.69,2026-11-16 09:00:00,6.00 %,0.69,\t2783941234567890125,我的小店,\(o.p1)",
            "2026-11-06 09:30:00,2026-11-06 09:00:00,商品 P00009,P00009,1,11.50,订单付款,100.00 %,11.50,0.69,0.00,0.69,,6.00 %,0.69,\t2783941234567890126,我的小店,\(o.p1)",
        ]
        let csv = try o.s.write(
            "report.csv", "淘宝联盟 订单明细报表,,,,,,,,,,,,,,,,,\r\n" + header + "\r\n" + rows.joined(separator: "\r\n") + "\r\n")
        let xlsx = try workbook(csv, dates: ["创建时间", "点击时间", "结算时间"], text: ["订单编号", "商品ID", "广告位名称"])
        let map = try o.s.write("map.json", Self.lianmengMap)
        let copy = o.s.path("copy.db")
        XCTAssertExit(o.s.run("backup", copy), 0)
        let fromWorkbook = o.at(Self.now, "orders", "import", xlsx, "--map", map, "--json")
        XCTAssertExit(fromWorkbook, 0)
        XCTAssertEqual(fromWorkbook.object["accepted"] as? Int, 3, fromWorkbook.stdout + fromWorkbook.stderr)
        let fromCSV = o.s.run(["orders", "import", csv, "--map", map, "--json", "--db", copy], env: ["SHOPCTL_NOW": Self.now])
        XCTAssertExit(fromCSV, 0)
        XCTAssertEqual(fromWorkbook.stdout, fromCSV.stdout)
        let rejected = fromWorkbook.object["rejected"] as? [[String: Any]]
        XCTAssertEqual(rejected?.first?["line"] as? Int, 6)
        XCTAssertEqual(rejected?.first?["code"] as? String, "unknown-product")
        let listWorkbook = o.at(Self.now, "orders", "list", "--json")
        let listCSV = o.s.run(["orders", "list", "--json", "--db", copy], env: ["SHOPCTL_NOW": Self.now])
        XCTAssertExit(listWorkbook, 0)
        XCTAssertEqual(listWorkbook.array.count, 3)
        XCTAssertEqual(listWorkbook.stdout, listCSV.stdout)
        let show = o.at(Self.now, "orders", "show", "2783941234567890124", "--json")
        XCTAssertEqual(show.object["paid_at"] as? String, "2026-11-05T20:15:00+08:00")
        XCTAssertEqual(show.object["status"] as? String, "confirmed")
    }

    /// The committed example (`examples/exports/taobao-lianmeng-orders.xlsx`, made from the CSV
    /// beside it) reads as that CSV: the same report, row for row.
    func testTheExampleWorkbookReadsAsTheExampleCSV() throws {
        let exports = Self.root.appendingPathComponent("examples/exports")
        let a = try OrderShop()
        let b = try OrderShop()
        var reports: [String] = []
        for (shop, name) in [(a, "taobao-lianmeng-orders.xlsx"), (b, "taobao-lianmeng-orders.csv")] {
            let r = shop.at(
                Self.now, "orders", "import", exports.appendingPathComponent(name).path, "--map",
                exports.appendingPathComponent("taobao-lianmeng-map.json").path, "--json")
            XCTAssertExit(r, 0)
            XCTAssertEqual((r.object["rejected"] as? [Any])?.count, 8, r.stdout)
            reports.append(r.stdout)
        }
        XCTAssertEqual(reports[0], reports[1])
    }

    func testACatalogFromAWorkbook() throws {
        let a = try Sandbox()
        let b = try Sandbox()
        for s in [a, b] {
            XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
            XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "小美好物", "--credit-score", "720", "--verified"), 0)
        }
        let suppliers = try a.write("suppliers.csv", Feeds.supplierHeader + Feeds.goodSupplier)
        let products = try a.write("products.csv", Feeds.products(30) + "Q1,SP1,坏价格,品牌,食品保健,12.345,10,5,on,,,,,,\n")
        let suppliersBook = try workbook(suppliers, text: ["supplier_id"])
        let productsBook = try workbook(products, text: ["product_id", "supplier_id"])
        let r = a.run("catalog", "import", "--suppliers", suppliersBook, "--products", productsBook, "--json")
        XCTAssertExit(r, 0)
        let plain = b.run("catalog", "import", "--suppliers", suppliers, "--products", products, "--json")
        XCTAssertExit(plain, 0)
        XCTAssertEqual(r.stdout, plain.stdout)
        XCTAssertTrue(r.stdout.contains("\"line\" : 32") || r.stdout.contains("\"line\": 32"), r.stdout)
        let listA = a.run("catalog", "list", "--limit", "0", "--json")
        XCTAssertEqual(listA.array.count, 30)
        XCTAssertEqual(listA.stdout, b.run("catalog", "list", "--limit", "0", "--json").stdout)
    }

    func testSheetOption() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "小美好物", "--credit-score", "720", "--verified"), 0)
        let notes = try s.write("notes.csv", "说明,\n本表由后台导出,\n")
        let suppliers = try s.write("suppliers.csv", Feeds.supplierHeader + Feeds.goodSupplier)
        let products = try s.write("products.csv", Feeds.products(3))
        let empty = try s.write("empty.csv", "")
        let book = s.path("book.xlsx")
        try gen(["sheets", book, "说明=\(notes)", "供应商=\(suppliers)", "商品=\(products)", "空=\(empty)"])
        let before = s.bytes()
        // The first sheet is read by default: it lacks the columns.
        let first = s.run("catalog", "import", "--products", book, "--json")
        XCTAssertExit(first, 4, "missing-column")
        XCTAssertEqual(s.bytes(), before)
        let unknown = s.run("catalog", "import", "--products", book, "--sheet", "Products", "--json")
        XCTAssertExit(unknown, 2, "unknown-sheet")
        XCTAssertTrue(unknown.errorMessage?.contains("\"说明\", \"供应商\", \"商品\", \"空\"") ?? false, unknown.stderr)
        let emptySheet = s.run("catalog", "import", "--products", book, "--sheet", "空", "--json")
        XCTAssertExit(emptySheet, 4, "bad-xlsx")
        XCTAssertTrue(emptySheet.errorMessage?.contains("has no header row") ?? false, emptySheet.stderr)
        let zh = s.run(["catalog", "import", "--products", book, "--sheet", "Products"], env: ["SHOPCTL_LANG": "zh_CN.UTF-8"])
        XCTAssertExit(zh, 2)
        XCTAssertTrue(zh.stderr.contains("“说明”、“供应商”、“商品”、“空”"), zh.stderr)
        XCTAssertExit(s.run("catalog", "import", "--products", suppliers, "--sheet", "商品", "--json"), 2, "bad-argument")
        XCTAssertExit(s.run("catalog", "import", "--suppliers", book, "--sheet", "供应商"), 0)
        let r = s.run("catalog", "import", "--products", book, "--sheet", "商品", "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 3, r.stdout)
    }

    /// `--rejects` writes a workbook's rejected rows as CSV, line numbers the sheet's rows, ready to import again.
    func testRejectsOfAWorkbook() throws {
        let o = try OrderShop()
        let csv = try o.feed(
            "o.csv",
            [
                "A,P00001,2,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,", "B,P00009,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "C,P00001,1,11.505,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
            ])
        let xlsx = try workbook(csv, text: ["order_id", "product_id", "share_token"])
        let rejects = o.s.path("rejected.csv")
        let r = o.at(Self.now, "orders", "import", xlsx, "--rejects", rejects, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual((r.object["rejected"] as? [[String: Any]])?.compactMap { $0["line"] as? Int }, [3, 4])
        let written = try String(contentsOfFile: rejects, encoding: .utf8)
        let lines = written.split(whereSeparator: \.isNewline).map(String.init)
        XCTAssertEqual(lines.count, 3, written)
        guard lines.count == 3 else { return }
        XCTAssertTrue(lines[0].hasPrefix("order_id,product_id,quantity,unit_price,paid_at,status,share_token"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("B,P00009,1,11.5,2026-09-10T20:00:00+08:00,paid,\(o.p1),"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("C,P00001,1,11.505,"), lines[2])
    }

    func testStandardInputAndEncoding() throws {
        let o = try OrderShop()
        let csv = try o.feed("o.csv", ["A,P00001,2,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,"])
        let xlsx = try workbook(csv, text: ["order_id"])
        let data = try XCTUnwrap(FileManager.default.contents(atPath: xlsx))
        XCTAssertExit(o.s.run(["orders", "import", "-", "--json"], stdin: data), 2, "format")
        XCTAssertExit(o.s.run(["orders", "import", xlsx, "--encoding", "gb18030", "--json"]), 2, "bad-argument")
        let r = o.s.run(["orders", "import", "-", "--format", "xlsx", "--json"], env: ["SHOPCTL_NOW": Self.now], stdin: data)
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 1, r.stdout + r.stderr)
        // A workbook misnamed .csv is told apart from text.
        let misnamed = try o.s.write("book.csv", bytes: Array(data))
        XCTAssertExit(o.s.run("orders", "import", misnamed, "--json"), 4, "wrong-format")
        XCTAssertExit(o.at(Self.now, "orders", "import", misnamed, "--format", "xlsx", "--json"), 0)
    }

    func testLegacyWorkbooksAreRefusedWithAHint() throws {
        let s = try Sandbox()
        let ole: [UInt8] = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] + [UInt8](repeating: 0, count: 504)
        for name in ["orders.xls", "orders.XLS", "orders.xlsx", "orders.csv"] {
            let path = try s.write(name, bytes: ole)
            let r = s.run("orders", "import", path, "--json")
            XCTAssertExit(r, 4, "xls-not-supported")
            XCTAssertTrue(r.errorMessage?.contains("save it as .xlsx") ?? false, r.stderr)
            XCTAssertEqual(r.stdout, "")
            let zh = s.run(["orders", "import", path], env: ["SHOPCTL_LANG": "zh"])
            XCTAssertTrue(zh.stderr.contains("另存为 .xlsx"), zh.stderr)
        }
        XCTAssertExit(s.run(["orders", "import", "-", "--json"], stdin: Data(ole)), 2, "format")
        XCTAssertExit(s.run(["orders", "import", "-", "--format", "csv", "--json"], stdin: Data(ole)), 4, "xls-not-supported")
    }

    /// The hostile workbooks of the corpus: exit 4, the code, where (the part, the row and the
    /// column), nothing written.
    func testHostileWorkbooks() throws {
        let o = try OrderShop()
        let cases: [(String, String, [String])] = [
            ("orders-zip-bomb.xlsx", "bad-zip", ["xl/worksheets/sheet1.xml", "more than the 2000 bytes it declares"]),
            ("orders-truncated-directory.xlsx", "bad-zip", ["central directory", "byte"]),
            ("orders-bad-crc.xlsx", "bad-zip", ["xl/worksheets/sheet1.xml", "CRC-32"]),
            ("orders-missing-shared-string.xlsx", "bad-xlsx", ["line 2, column 3 (C2)", "shared string 7"]),
            ("orders-too-many-cells.xlsx", "bad-xlsx", ["line 2, column 16385", "XFD"]),
            ("orders-overlong-cell.xlsx", "bad-xlsx", ["line 2, column 1 (A2)", "longer than 131072 bytes"]),
            ("orders-huge-row.xlsx", "bad-xlsx", ["line 2, column 168", "16777216 bytes of text"]),
            ("orders-doctype-entities.xlsx", "bad-xlsx", ["xl/sharedStrings.xml, line 1, column", "DOCTYPE"]),
            ("orders-legacy.xls", "xls-not-supported", [".xlsx"]),
            ("orders-ole-named-xlsx.xlsx", "xls-not-supported", [".xlsx"]),
        ]
        XCTAssertExit(o.s.run("orders", "list"), 0)
        let before = try o.s.dump()
        for (name, code, says) in cases {
            let path = Self.hostile.appendingPathComponent(name).path
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), name)
            let started = Date()
            let r = o.at(Self.now, "orders", "import", path, "--json")
            XCTAssertExit(r, 4, code)
            XCTAssertLessThan(Date().timeIntervalSince(started), 10, name)
            XCTAssertEqual(r.stdout, "", name)
            for part in says { XCTAssertTrue(r.errorMessage?.contains(part) ?? false, "\(name): \(r.stderr) lacks \(part)") }
            let zh = o.s.run(["orders", "import", path], env: ["SHOPCTL_NOW": Self.now, "SHOPCTL_LANG": "zh"])
            XCTAssertExit(zh, 4)
            XCTAssertTrue(zh.stderr.unicodeScalars.contains { $0.value >= 0x4e00 && $0.value <= 0x9fff }, zh.stderr)
        }
        XCTAssertEqual(try o.s.dump(), before)
    }
}
