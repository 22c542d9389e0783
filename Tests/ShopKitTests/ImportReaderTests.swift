import XCTest

@testable import ShopKit

// MARK: - ImportReader over CSV

final class ImportReaderCSVTests: XCTestCase {

    private func rows(_ text: String, required: [String] = []) throws -> [ImportRow] {
        var reader = try ImportReader(format: .csv, string: text, requiredColumns: required)
        var result: [ImportRow] = []
        while let row = try reader.next() { result.append(row) }
        return result
    }

    func testRowsMapHeaderToFields() throws {
        let result = try rows(
            "sku,name,price,extra\nA1,绿茶,129.50,\nA2,\"红茶, 特级\",35,x\n",
            required: ["sku", "price"])
        XCTAssertEqual(result.count, 2)
        XCTAssertEqual(result[0].line, 2)
        XCTAssertEqual(result[0].values, ["sku": "A1", "name": "绿茶", "price": "129.50", "extra": ""])
        XCTAssertNil(result[0].rowError)
        XCTAssertEqual(result[0].value("extra"), "")
        XCTAssertNil(result[0].nonEmpty("extra"))
        XCTAssertTrue(result[0].has("extra"))
        XCTAssertFalse(result[0].has("stock"))
        XCTAssertEqual(result[1].nonEmpty("name"), "红茶, 特级")
    }

    func testColumnsAreExposed() throws {
        let reader = try ImportReader(format: .csv, string: "\u{FEFF}a,b\n")
        XCTAssertEqual(reader.columns, ["a", "b"])
    }

    func testMissingRequiredColumns() {
        XCTAssertThrowsError(try rows("sku,name\nA1,x\n", required: ["sku", "price", "stock"])) { error in
            let shop = error as? ShopError
            XCTAssertEqual(shop?.kind, .invalidInput)
            XCTAssertEqual(shop?.code, "missing-column")
            XCTAssertTrue(shop?.message.en.contains("\"price\", \"stock\"") ?? false, shop?.message.en ?? "")
            XCTAssertTrue(shop?.message.zh.contains("“price”、“stock”") ?? false, shop?.message.zh ?? "")
        }
    }

    func testDuplicateHeaderNames() {
        XCTAssertThrowsError(try rows("sku,price,sku\n1,2,3\n")) { error in
            XCTAssertEqual((error as? ShopError)?.code, "duplicate-column")
            XCTAssertTrue((error as? ShopError)?.message.en.contains("columns 1 and 3") ?? false)
        }
    }

    func testEmptyHeaderNamesAreIgnored() throws {
        let result = try rows("a,,\n1,2,3\n")
        XCTAssertEqual(result.first?.values, ["a": "1"])
    }

    func testWrongFieldCountIsARowError() throws {
        let result = try rows("a,b\n1\n1,2\n1,2,3\n")
        XCTAssertEqual(result[0].rowError, RowError(line: 2, reason: .fieldCount(expected: 2, found: 1)))
        XCTAssertNil(result[1].rowError)
        XCTAssertEqual(result[2].rowError?.code, "field-count")
        XCTAssertEqual(result[2].rowError?.error.message.en, "line 4: the row has 3 field(s) but the header has 2 column(s)")
    }

    func testEmptyFileIsAnError() {
        XCTAssertThrowsError(try rows("")) { error in
            XCTAssertEqual((error as? ShopError)?.code, "bad-csv")
        }
    }
}

// MARK: - ImportReader over JSON Lines

final class ImportReaderJSONLTests: XCTestCase {

    private func rows(_ text: String, required: [String] = []) throws -> [ImportRow] {
        var reader = try ImportReader(format: .jsonl, string: text, requiredColumns: required)
        XCTAssertNil(reader.columns)
        var result: [ImportRow] = []
        while let row = try reader.next() { result.append(row) }
        return result
    }

    func testScalarValuesBecomeText() throws {
        let result = try rows(#"{"sku":"A1","price":129.50,"stock":-3,"gift":true,"note":null,"big":1e3}"# + "\n")
        let row = try XCTUnwrap(result.first)
        XCTAssertEqual(row.line, 1)
        XCTAssertNil(row.rowError)
        XCTAssertEqual(row.value("sku"), "A1")
        XCTAssertEqual(row.value("price"), "129.50")
        XCTAssertEqual(row.value("stock"), "-3")
        XCTAssertEqual(row.value("gift"), "true")
        XCTAssertEqual(row.value("big"), "1e3")
        XCTAssertTrue(row.has("note"))
        XCTAssertNil(row.value("note"))
        XCTAssertNil(row.nonEmpty("note"))
        XCTAssertFalse(row.has("missing"))
    }

    func testRowLevelProblems() throws {
        let text = """
            {"sku":"A1","price":"1.00"}

            {"sku":"A2"}
            {"sku":"A3","price":1,"tags":["x"]}
            [1]
            {"sku":"A5","price":null,"meta":{}}
            """
        let result = try rows(text, required: ["sku", "price"])
        XCTAssertEqual(result.map(\.line), [1, 3, 4, 5, 6])
        XCTAssertNil(result[0].rowError)
        XCTAssertEqual(result[1].rowError, RowError(line: 3, reason: .missingColumns(["price"])))
        XCTAssertEqual(result[1].rowError?.code, "bad-value")
        XCTAssertEqual(result[1].rowError?.column, "price")
        XCTAssertEqual(result[1].rowError?.message.en, "line 3: missing the required key(s) \"price\"")
        XCTAssertEqual(result[2].rowError, RowError(line: 4, reason: .nestedValue(column: "tags")))
        XCTAssertEqual(result[2].rowError?.error.kind, .invalidInput)
        XCTAssertEqual(result[3].rowError, RowError(line: 5, reason: .notAnObject))
        XCTAssertEqual(result[4].rowError?.column, "meta")  // null counts as present
    }

    func testBadJSONIsAFileError() {
        XCTAssertThrowsError(try rows("{\"a\":1}\n{\"a\":1\n")) { error in
            XCTAssertEqual((error as? ShopError)?.code, "bad-json")
            XCTAssertTrue((error as? ShopError)?.message.en.contains("line 2") ?? false)
        }
    }
}

// MARK: - Import formats

final class ImportFormatTests: XCTestCase {

    func testByExtension() throws {
        XCTAssertEqual(try ImportFormat.from(path: "goods.csv", explicit: nil), .csv)
        XCTAssertEqual(try ImportFormat.from(path: "dir.v2/GOODS.CSV", explicit: nil), .csv)
        XCTAssertEqual(try ImportFormat.from(path: "orders.jsonl", explicit: nil), .jsonl)
        XCTAssertEqual(try ImportFormat.from(path: "orders.ndjson", explicit: nil), .jsonl)
        XCTAssertEqual(try ImportFormat.from(path: "订单.XLSX", explicit: nil), .xlsx)
        XCTAssertEqual(try ImportFormat.from(path: "-", explicit: "xlsx"), .xlsx)
    }

    /// Issue 15: an Excel 97–2003 workbook is invalid input (exit 4) with the way out, not a usage error.
    func testXLSIsRefusedWithAHint() {
        XCTAssertThrowsError(try ImportFormat.from(path: "orders.xls", explicit: nil)) { error in
            XCTAssertEqual((error as? ShopError)?.kind, .invalidInput)
            XCTAssertEqual((error as? ShopError)?.code, "xls-not-supported")
            XCTAssertTrue((error as? ShopError)?.message.en.contains("save it as .xlsx") ?? false)
        }
    }

    func testExplicitWins() throws {
        XCTAssertEqual(try ImportFormat.from(path: "goods.csv", explicit: "jsonl"), .jsonl)
        XCTAssertEqual(try ImportFormat.from(path: "-", explicit: "NDJSON"), .jsonl)
        XCTAssertEqual(try ImportFormat.from(path: "data.txt", explicit: "csv"), .csv)
    }

    func testUsageErrors() {
        for (path, explicit) in [
            ("-", nil), ("goods.txt", nil), ("dir.csv/goods", nil), (".csv", nil),
            ("goods.csv", "xls"),
        ] as [(String, String?)] {
            XCTAssertThrowsError(try ImportFormat.from(path: path, explicit: explicit), path) { error in
                XCTAssertEqual((error as? ShopError)?.kind, .usage)
                XCTAssertEqual((error as? ShopError)?.code, "format")
            }
        }
    }
}
