import Foundation
import XCTest

@testable import ShopKit

/// Column maps (`--map FILE.json`) and the built-in Chinese column names (SPEC §7).
final class ColumnMapTests: XCTestCase {
    func testBuiltInChineseHeadersAreRecognised() throws {
        let csv = "订单编号,商品ID,商品数,商品单价,付款时间,订单状态,推广码,退款金额\n\tO1,P1,2,¥11.50,2026-11-04 12:00:00,已付款,TOK,\n"
        var reader = try ImportReader(format: .csv, string: csv, requiredColumns: OrderFeed.columns)
        XCTAssertEqual(
            reader.columns, ["order_id", "product_id", "quantity", "unit_price", "paid_at", "status", "share_token", "refunded"])
        reader.rules = ImportMap().rules(feed: .orders, zone: .shanghai)
        let row = try XCTUnwrap(try reader.next())
        let now = try Instant.parseRFC3339("2026-11-21T09:30:00+08:00")
        let o = try OrderFeed.parse(row, now: now)
        XCTAssertEqual(o.orderID, "O1")
        XCTAssertEqual(o.unitPrice, Money(fen: 1150))
        XCTAssertEqual(o.paidAt.rfc3339(in: .shanghai), "2026-11-04T12:00:00+08:00")
        XCTAssertEqual(o.status, .paid)
        XCTAssertEqual(o.shareToken, "TOK")
        for alias in [
            ("订单号", "order_id"), ("商品编号", "product_id"), ("数量", "quantity"), ("单价", "unit_price"),
            ("口令", "share_token"), ("分享链接", "share_token"), ("商品名称", "title"), ("品牌", "brand"), ("类目", "category"),
            ("价格", "price"), ("佣金比例", "commission_rate"), ("库存", "stock"), ("状态", "status"),
        ] {
            XCTAssertEqual(ImportMap().rename([alias.0]), [alias.1], alias.0)
        }
    }

    func testOwnNamesWinAndTheFirstChineseNameWins() {
        // A header that already holds order_id keeps 订单号 as written; of two aliases the first wins.
        XCTAssertEqual(ImportMap().rename(["order_id", "订单号"]), ["order_id", "订单号"])
        XCTAssertEqual(ImportMap().rename(["订单号", "订单编号"]), ["order_id", "订单编号"])
        XCTAssertEqual(ImportMap().rename(["其他", "sku"]), ["其他", "sku"])
        XCTAssertFalse(ImportMap().renames(["order_id", "product_id"]))
    }

    func testAMapOverridesTheBuiltInNames() throws {
        let m = try map(
            #"{"columns":{"创建时间":"paid_at","订单状态":"status","广告位名称":"share_token","商品数":"refunded"},"#
                + #""values":{"status":{"订单付款":"paid","订单结算":"confirmed"}},"time_format":"yyyy-MM-dd HH:mm:ss","skip_rows":2}"#)
        XCTAssertEqual(m.rename(["创建时间", "付款时间", "广告位名称", "商品数"]), ["paid_at", "付款时间", "share_token", "refunded"])
        XCTAssertEqual(m.skipRows, 2)
        XCTAssertEqual(m.timeFormat?.pattern, "yyyy-MM-dd HH:mm:ss")
        XCTAssertEqual(m.values["status"]?["订单结算"], "confirmed")
        let catalog = try map(#"{"columns":{"上架状态":"status","售价":"price"},"values":{"status":{"在售":"on"}}}"#, feed: .catalog)
        XCTAssertEqual(catalog.rename(["售价", "上架状态"]), ["price", "status"])
    }

    func testUnknownKeysAndTargetsAreUsageErrorsNamingThem() {
        let cases: [(String, String)] = [
            (#"{"colums":{}}"#, "\"colums\""),
            (#"{"columns":{"订单编号":"order_number"}}"#, "\"order_number\""),
            (#"{"columns":{"订单编号":7}}"#, "\"订单编号\""),
            (#"{"values":{"quantity":{"一":"1"}}}"#, "\"quantity\""),
            (#"{"values":{"status":{"订单付款":"payed"}}}"#, "\"订单付款\""),
            (#"{"time_format":"yyyy-MM-dd"}"#, "\"yyyy-MM-dd\""),
            (#"{"skip_rows":-1}"#, "skip_rows"),
            (#"{"skip_rows":1.5}"#, "skip_rows"),
            (#"{"attribution":"shops"}"#, "\"attribution\" must be \"token\" or \"shop\""),
            (#"[1]"#, "JSON object"),
            (#"{"columns":"#, "not valid JSON"),
        ]
        for (json, named) in cases {
            let e = mapError(json)
            XCTAssertEqual(e?.kind, .usage, json)
            XCTAssertEqual(e?.code, "bad-map", json)
            XCTAssertTrue(e?.message.en.contains(named) ?? false, "\(json): \(String(describing: e?.message.en))")
            XCTAssertTrue(e?.message.en.hasPrefix("map.json: ") ?? false, json)
            XCTAssertFalse(e?.message.zh.isEmpty ?? true)
        }
        // Catalog targets are the catalog's; an order column is unknown there.
        XCTAssertEqual(mapError(#"{"columns":{"订单编号":"order_id"}}"#, feed: .catalog)?.code, "bad-map")
        XCTAssertEqual(mapError(#"{"values":{"status":{"x":"paid"}}}"#, feed: .catalog)?.code, "bad-map")
    }

    func testSkipRowsSkipsRecordsBeforeTheHeaderAndKeepsLineNumbers() throws {
        let csv = "淘宝联盟订单报表\n\"2026-11-01 至\n2026-11-30\",,\norder_id,x\nA,1\n"
        var m = ImportMap()
        m.skipRows = 2
        var reader = try ImportReader(format: .csv, string: csv, requiredColumns: ["order_id"], map: m)
        XCTAssertEqual(reader.columns, ["order_id", "x"])
        let row = try XCTUnwrap(try reader.next())
        XCTAssertEqual(row.line, 5)
        XCTAssertEqual(row.value("order_id"), "A")
        // Without skip_rows the title is the header.
        XCTAssertThrowsError(try ImportReader(format: .csv, string: csv, requiredColumns: ["order_id"])) { e in
            XCTAssertEqual((e as? ShopError)?.code, "missing-column")
        }
        // Skipping past the end: the file has no header.
        m.skipRows = 10
        XCTAssertThrowsError(try ImportReader(format: .csv, string: csv, requiredColumns: ["order_id"], map: m))
    }

    func testTheExampleMapReadsTheExampleReport() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let mapBytes = try Data(contentsOf: root.appendingPathComponent("examples/exports/taobao-lianmeng-map.json"))
        let m = try ImportMap.parse(Array(mapBytes), feed: .orders, file: "taobao-lianmeng-map.json")
        let csv = try Data(contentsOf: root.appendingPathComponent("examples/exports/taobao-lianmeng-orders.csv"))
        var reader = try ImportReader(format: .csv, bytes: Array(csv), requiredColumns: OrderFeed.columns, map: m)
        reader.rules = m.rules(feed: .orders, zone: .shanghai)
        let now = try Instant.parseRFC3339("2026-11-24T21:00:00+08:00")
        var rows = 0
        while let row = try reader.next() {
            XCTAssertNil(row.rowError)
            let o = try OrderFeed.parse(row, now: now)
            XCTAssertEqual(o.orderID.count, 19)
            rows += 1
        }
        XCTAssertEqual(rows, 8)
    }
}

/// A map file's text parsed as `ImportMap.parse` reads `map.json`, for the map tests.
extension XCTestCase {
    func map(_ json: String, feed: ImportMap.Feed = .orders) throws -> ImportMap {
        try ImportMap.parse(Array(json.utf8), feed: feed, file: "map.json")
    }

    /// The error that parsing `json` as a map throws (nil: none).
    func mapError(_ json: String, feed: ImportMap.Feed = .orders) -> ShopError? {
        do {
            _ = try map(json, feed: feed)
            return nil
        } catch { return error as? ShopError }
    }
}
