import Foundation
import XCTest

@testable import ShopKit

/// A shop's own export (SPEC §7): the map's `"attribution"` key, the orders column
/// `commission_rate` (佣金比率) and the time messages of an import.
final class ShopExportMapTests: XCTestCase {
    private let now = try! Instant.parseRFC3339("2026-11-21T09:30:00+08:00")

    private func order(_ values: [String: String], tokens: Bool = true) throws(RowProblem) -> OrderRow {
        var v: [String: String?] = [
            "order_id": "O1", "product_id": "P1", "quantity": "2", "unit_price": "10", "paid_at": "2026-11-04 12:00:00",
            "status": "paid", "share_token": "TOK",
        ]
        for (k, x) in values { v[k] = x }
        return try OrderFeed.parse(
            ImportRow(line: 2, values: v, rules: ImportMap().rules(feed: .orders, zone: .shanghai)), now: now, tokens: tokens)
    }

    func testAttributionIsAKeyOfTheMap() throws {
        XCTAssertEqual(try map(#"{"attribution":"shop"}"#).attribution, .shop)
        XCTAssertEqual(try map(#"{"attribution":"token"}"#).attribution, .token)
        XCTAssertEqual(try map(#"{}"#).attribution, .token)
        XCTAssertTrue(ImportMap.keys.contains("attribution"))
        XCTAssertNotEqual(try map(#"{"attribution":"shop"}"#), try map(#"{}"#))
        for bad in [#"{"attribution":"Shop"}"#, #"{"attribution":"store"}"#, #"{"attribution":true}"#, #"{"attribution":null}"#] {
            let e = mapError(bad)
            XCTAssertEqual(e?.code, "bad-map", bad)
            XCTAssertEqual(e?.kind, .usage, bad)
            XCTAssertTrue(
                e?.message.en.contains("\"attribution\" must be \"token\" or \"shop\"") ?? false, "\(bad): \(String(describing: e))")
            XCTAssertTrue(e?.message.zh.contains("“attribution” 必须是") ?? false, bad)
        }
        // A catalog has no orders to attribute.
        let e = mapError(#"{"attribution":"shop"}"#, feed: .catalog)
        XCTAssertEqual(e?.code, "bad-map")
        XCTAssertTrue(e?.message.en.contains("orders map only") ?? false, "\(String(describing: e))")
    }

    func testAShopsOwnExportNeedsNoShareToken() throws {
        XCTAssertEqual(OrderFeed.requiredColumns(.token), OrderFeed.columns)
        XCTAssertEqual(OrderFeed.requiredColumns(.shop), OrderFeed.columns.filter { $0 != "share_token" })
        let r = try order(["share_token": ""], tokens: false)
        XCTAssertEqual(r.shareToken, "")
        // With tokens, an empty one is still refused.
        XCTAssertThrowsError(try order(["share_token": ""])) { XCTAssertEqual(($0 as? RowProblem)?.code, "invalid-token") }
        // The header of a shop's own export reads without share_token.
        let csv = "订单编号,商品ID,商品数,商品单价,付款时间,订单状态,佣金比率\nO1,P1,1,11.50,2026-11-04 12:00:00,已付款,20.00 %\n"
        XCTAssertNoThrow(try ImportReader(format: .csv, string: csv, requiredColumns: OrderFeed.requiredColumns(.shop)))
        XCTAssertThrowsError(try ImportReader(format: .csv, string: csv, requiredColumns: OrderFeed.requiredColumns(.token)))
    }

    func testCommissionRateIsReadAsTheLianmengReportWritesIt() throws {
        XCTAssertEqual(ImportMap().rename(["佣金比率"]), ["commission_rate"])
        XCTAssertTrue(OrderFeed.optionalColumns.contains("commission_rate"))
        for (text, bp) in [("20.00 %", 2000), ("20%", 2000), ("12.5", 1250), ("0", 0), ("100.00 %", 10000), (" 6.00 % ", 600)] {
            XCTAssertEqual(try order(["commission_rate": text]).commissionRate, Rate(bp: bp), text)
        }
        XCTAssertNil(try order([:]).commissionRate)
        XCTAssertNil(try order(["commission_rate": ""]).commissionRate)
        for bad in ["abc", "20.001 %", "101%", "-5%", "1e2", "20 %%", "２０%"] {
            XCTAssertThrowsError(try order(["commission_rate": bad]), bad) { e in
                XCTAssertEqual((e as? RowProblem)?.code, "bad-value", bad)
                XCTAssertTrue((e as? RowProblem)?.message.en.contains("column commission_rate") ?? false, "\(bad): \(e)")
            }
        }
    }

    func testTheRowsRateIsFrozenInsteadOfTheCatalogs() throws {
        let catalog = Rate(bp: 1500)
        let withRate = try order(["commission_rate": "20.00 %"])
        let o = try withRate.newOrder(shopID: "S1", shareID: 1, category: "食品保健", channel: "other", rate: catalog, now: now)
        XCTAssertEqual(o.rate, Rate(bp: 2000))
        let without = try order([:]).newOrder(shopID: "S1", shareID: 1, category: "食品保健", channel: "other", rate: catalog, now: now)
        XCTAssertEqual(without.rate, catalog)
        // A later row's rate is not part of the order's identity: it changes nothing (SPEC §4).
        XCTAssertTrue(try order(["commission_rate": "30%"]).sameOrder(as: o))
    }

    func testTimeMessagesSayWhatAnImportAccepts() throws {
        func message(_ text: String, format: TimeFormat? = nil) -> Message? {
            let f = RowFields(ImportRow(line: 2, values: ["t": text], rules: ReadingRules(zone: .shanghai, timeFormat: format)))
            do {
                _ = try f.instant("t")
                return nil
            } catch { return error.message }
        }
        for text in ["yesterday", "2026-11-04 12:0", "2026-11-04", "2026-11-04T12:00:00"] {
            let m = try XCTUnwrap(message(text), text)
            XCTAssertFalse(m.en.contains("expected RFC 3339"), m.en)
            XCTAssertTrue(m.en.contains("RFC 3339 with a zone (2026-11-21T09:30:00+08:00)"), m.en)
            XCTAssertTrue(m.en.contains("a time without one in the store's zone Asia/Shanghai"), m.en)
            XCTAssertTrue(m.en.contains("yyyy-MM-dd HH:mm:ss, yyyy-MM-dd HH:mm, yyyy/M/d H:mm:ss, yyyy/M/d H:mm"), m.en)
            XCTAssertTrue(m.zh.contains("带时区的 RFC 3339"), m.zh)
            XCTAssertTrue(m.zh.contains("数据库时区 Asia/Shanghai"), m.zh)
        }
        // A specific reason stays in front.
        XCTAssertTrue(message("2026-11-04T12:00:00")?.en.contains("a time zone is required (Z or +08:00); accepted:") ?? false)
        XCTAssertTrue(message("yesterday")?.en.contains("'yesterday' is not a time; accepted:") ?? false)
        // The map's format is named.
        let m = message("04.11.2026", format: TimeFormat("dd.MM.yyyy HH:mm"))
        XCTAssertTrue(m?.en.contains("the map's time_format dd.MM.yyyy HH:mm") ?? false, "\(String(describing: m))")
        XCTAssertTrue(m?.zh.contains("映射文件的 time_format dd.MM.yyyy HH:mm") ?? false, "\(String(describing: m))")
        // Without a zone (not an import row) the RFC 3339 message stands.
        let plain = RowFields(ImportRow(line: 2, values: ["t": "yesterday"]))
        XCTAssertThrowsError(try plain.instant("t")) { XCTAssertTrue(($0 as? RowProblem)?.message.en.contains("RFC 3339") ?? false) }
    }
}
