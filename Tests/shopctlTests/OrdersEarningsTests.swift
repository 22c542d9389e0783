import Foundation
import XCTest

/// A 淘小铺 shop opened on 2026-08-01 with product P00001 (¥11.50, 6 %) … and links.
final class OrderShop {
    let s: Sandbox
    var storefront = ""
    var p1 = ""

    init(platform: String = "taoxiaopu") throws {
        s = try Sandbox(now: "2026-08-01T10:00:00+08:00")
        try Feeds.shop(s, products: 5, platform: platform)
        XCTAssertExit(s.run("pick-products", "add", "P00001", "P00002"), 0)
        storefront = s.run("share-link", "--storefront", "--json").object["token"] as! String
        p1 = s.run("share-link", "P00001", "--channel", "wechat-group", "--json").object["token"] as! String
    }

    static let header = "order_id,product_id,quantity,unit_price,paid_at,status,share_token,status_at,refunded,self_purchase\n"

    func feed(_ name: String, _ rows: [String]) throws -> String {
        try s.write(name, OrderShop.header + rows.joined(separator: "\n") + "\n")
    }

    func at(_ now: String, _ args: String...) -> Sandbox.Result { s.run(args, env: ["SHOPCTL_NOW": now]) }
}

final class OrdersEndToEndTests: XCTestCase {
    func testImportAttributesAndRejectsForgeries() throws {
        let o = try OrderShop()
        let other = try OrderShop()
        var forged = Array(o.p1)
        forged[10] = forged[10] == "x" ? "y" : "x"
        let f = try o.feed(
            "o.csv",
            [
                "A,P00001,2,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "B,P00003,1,13.50,2026-09-10T20:00:00+08:00,paid,\(o.storefront),,,",
                "C,P00002,1,12.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "D,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(String(forged)),,,",
                "E,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(other.p1),,,",
                "F,P09999,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.storefront),,,",
                "G,P00001,0,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "H,P00001,1,11.505,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "I,P00001,1,11.50,2026-12-10T20:00:00+08:00,paid,\(o.p1),,,",
                "J,P00001,1,11.50,2026-09-10T20:00:00,paid,\(o.p1),,,",
                "K,P00001,1,11.50,2026-09-10T20:00:00+08:00,shipped,\(o.p1),,12,",
                "L,P00001,1,-11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "M,P00001,9223372036854775807,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
            ])
        let r = o.at("2026-11-21T09:30:00+08:00", "orders", "import", f, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 2)
        var codes: [String: String] = [:]
        for x in (r.object["rejected"] as? [[String: Any]]) ?? [] { codes[x["id"] as! String] = x["code"] as? String }
        XCTAssertEqual(
            codes,
            [
                "C": "product-mismatch", "D": "invalid-token", "E": "invalid-token", "F": "unknown-product", "G": "bad-value",
                "H": "bad-value",
                "I": "bad-value", "J": "bad-value", "K": "bad-value", "L": "bad-value", "M": "bad-value",
            ])
        let list = o.at("2026-11-21T09:30:00+08:00", "orders", "list", "--json").array
        XCTAssertEqual(Set(list.compactMap { $0["order_id"] as? String }), ["A", "B"])
        XCTAssertEqual(
            Set(list[0].keys),
            [
                "order_id", "product_id", "quantity", "amount_fen", "refunded_fen", "status", "commission_fen", "bonus_fen", "channel",
                "paid_at",
            ])
        let a = list.first { $0["order_id"] as? String == "A" }!
        XCTAssertEqual(a["amount_fen"] as? Int, 2_300)
        XCTAssertEqual(a["commission_fen"] as? Int, 138)  // 2300 × 6 %
        XCTAssertEqual(a["channel"] as? String, "wechat-group")
        XCTAssertEqual(a["paid_at"] as? String, "2026-09-10T20:00:00+08:00")
    }

    func testSameFileTwiceChangesNothingAndTransitionsMoveForwardOnly() throws {
        let o = try OrderShop()
        let f = try o.feed("o.csv", ["A,P00001,1,100,2026-09-10T20:00:00+08:00,shipped,\(o.p1),2026-09-11T10:00:00+08:00,,"])
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "orders", "import", f), 0)
        let before = try o.s.dump()
        let again = o.at("2026-11-22T09:30:00+08:00", "orders", "import", f, "--json")
        XCTAssertExit(again, 0)
        XCTAssertEqual(try o.s.dump(), before, "a second import of the same file changes nothing")
        let back = try o.feed("back.csv", ["A,P00001,1,100,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,"])
        let r = o.at("2026-11-22T09:30:00+08:00", "orders", "import", back, "--json")
        XCTAssertEqual((r.object["rejected"] as? [[String: Any]])?.first?["code"] as? String, "invalid-transition")
        let changed = try o.feed("changed.csv", ["A,P00001,2,100,2026-09-10T20:00:00+08:00,shipped,\(o.p1),,,"])
        XCTAssertEqual(
            (o.at("2026-11-22T09:30:00+08:00", "orders", "import", changed, "--json").object["rejected"] as? [[String: Any]])?.first?[
                "code"] as? String, "invalid-transition")
        XCTAssertEqual(try o.s.dump(), before)
        // update: partial refund, confirmation, then a refund that shrinks is refused.
        XCTAssertExit(o.at("2026-11-22T09:30:00+08:00", "orders", "update", "A", "--status", "shipped", "--refunded", "30"), 0)
        let u = o.at(
            "2026-11-22T09:30:00+08:00", "orders", "update", "A", "--status", "confirmed", "--at", "2026-11-21T10:00:00+08:00", "--json")
        XCTAssertExit(u, 0)
        XCTAssertEqual(u.object["commission_fen"] as? Int, 420)  // (10000 − 3000) × 6 %
        XCTAssertExit(
            o.at("2026-11-22T09:30:00+08:00", "orders", "update", "A", "--status", "confirmed", "--refunded", "20", "--json"), 1,
            "invalid-transition")
        XCTAssertExit(o.at("2026-11-22T09:30:00+08:00", "orders", "update", "A", "--status", "shipped", "--json"), 1, "invalid-transition")
        XCTAssertExit(o.at("2026-11-22T09:30:00+08:00", "orders", "update", "NOPE", "--status", "shipped", "--json"), 3, "order-not-found")
        let show = o.at("2026-11-22T09:30:00+08:00", "orders", "show", "A", "--json").object
        XCTAssertEqual((show["history"] as? [[String: Any]])?.map { $0["status"] as? String }, ["shipped", "shipped", "confirmed"])
        XCTAssertEqual(show["share_token"] as? String, o.p1)
        XCTAssertEqual(show["confirmed_at"] as? String, "2026-11-21T10:00:00+08:00")
        XCTAssertEqual(show["release_at"] as? String, "2026-12-20T00:00:00+08:00")
        XCTAssertTrue(o.at("2026-11-22T09:30:00+08:00", "orders", "show", "A").stdout.contains("History"))
    }

    func testMalformedFilesLeaveTheStoreByteIdentical() throws {
        let o = try OrderShop()
        _ = try o.s.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = o.s.bytes()
        let truncated = try o.s.write("t.csv", OrderShop.header + "A,P00001,1,100,\"2026-09-10T20:00:00+08:00,paid")
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "orders", "import", truncated, "--json"), 4, "bad-csv")
        let utf16 = try o.s.write("u.csv", bytes: [0xFF, 0xFE] + Array(OrderShop.header.utf8).flatMap { [$0, 0] })
        // Read as UTF-16 by default now (--encoding auto); the UTF-8 reader still refuses it.
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "orders", "import", utf16, "--encoding", "utf-8", "--json"), 4, "not-utf8")
        let missing = try o.s.write("m.csv", "order_id,product_id,quantity\nA,P00001,1\n")
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "orders", "import", missing, "--json"), 4, "missing-column")
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "orders", "import", o.s.path("nope.csv"), "--json"), 3)
        XCTAssertEqual(o.s.bytes(), before)
    }

    func testStrictAndFilters() throws {
        let o = try OrderShop()
        let f = try o.feed(
            "o.csv",
            [
                "A,P00001,1,100,2026-09-10T20:00:00+08:00,confirmed,\(o.p1),2026-09-12T10:00:00+08:00,,",
                "B,P00002,1,100,2026-10-10T20:00:00+08:00,paid,\(o.storefront),,,",
                "C,P00003,1,100,2026-10-11T20:00:00+08:00,refunded,\(o.storefront),2026-10-12T10:00:00+08:00,,",
                "X,P00001,1,100.001,2026-10-11T20:00:00+08:00,paid,\(o.p1),,,",
            ])
        let before = try o.s.dump()
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "orders", "import", f, "--strict", "--json"), 1, "strict")
        XCTAssertEqual(try o.s.dump(), before)
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "orders", "import", f), 0)
        func ids(_ args: String...) -> [String] {
            o.at("2026-11-21T09:30:00+08:00", "orders", "list", "--json", args[0], args[1]).array.compactMap { $0["order_id"] as? String }
        }
        XCTAssertEqual(ids("--status", "refunded"), ["C"])
        XCTAssertEqual(ids("--period", "2026-10"), ["C", "B"])
        XCTAssertEqual(ids("--period", "2026-09-10"), ["A"])
        XCTAssertEqual(ids("--product", "P00002"), ["B"])
        XCTAssertEqual(ids("--channel", "wechat-group"), ["A"])
        XCTAssertEqual(ids("--limit", "1"), ["C"])
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "orders", "list", "--status", "lost"), 2)
        // The share log counts what each link brought.
        let links = o.at("2026-11-21T09:30:00+08:00", "share-link", "list", "--json").array
        let p1 = links.first { $0["token"] as? String == o.p1 }!
        XCTAssertEqual(p1["orders"] as? Int, 1)
        XCTAssertEqual(p1["gmv_fen"] as? Int, 10_000)
        XCTAssertEqual(p1["commission_fen"] as? Int, 600)
        let sf = links.first { $0["token"] as? String == o.storefront }!
        XCTAssertEqual(sf["orders"] as? Int, 2)
        XCTAssertEqual(sf["gmv_fen"] as? Int, 10_000, "the refunded order adds nothing")
        // Sales feed the catalog's sales sort.
        // One unit each for P00001 and P00002 (ties by commission per unit), none for the refunded P00003.
        XCTAssertEqual(
            o.at("2026-11-21T09:30:00+08:00", "catalog", "list", "--sort", "sales", "--limit", "3", "--json").array.compactMap {
                $0["product_id"] as? String
            },
            ["P00002", "P00001", "P00005"])
    }
}

final class EarningsEndToEndTests: XCTestCase {
    func testSummaryMovesAcrossReleaseTimes() throws {
        let o = try OrderShop()
        let f = try o.feed(
            "o.csv",
            [
                "A,P00001,1,100,2026-10-10T20:00:00+08:00,confirmed,\(o.p1),2026-10-31T23:30:00+08:00,,",
                "B,P00002,1,50,2026-11-10T20:00:00+08:00,shipped,\(o.storefront),2026-11-11T10:00:00+08:00,,",
            ])
        XCTAssertExit(o.at("2026-11-15T09:30:00+08:00", "orders", "import", f), 0)
        var e = o.at("2026-11-19T23:59:59+08:00", "earnings", "--json").object
        XCTAssertEqual(e["frozen_fen"] as? Int, 600)
        XCTAssertEqual(e["released_fen"] as? Int, 0)
        XCTAssertEqual(e["pending_fen"] as? Int, 350)  // ¥50 at 7 %
        XCTAssertEqual(
            Set(e.keys),
            [
                "pending_fen", "frozen_fen", "released_fen", "rewards_fen", "withdrawn_fen", "available_fen", "fees_paid_fen", "level",
                "level_provisional", "next_level",
                "gmv_to_next_level_fen", "month_gmv_fen", "notes",
            ])
        e = o.at("2026-11-20T00:00:00+08:00", "earnings", "--json").object
        XCTAssertEqual(e["frozen_fen"] as? Int, 0)
        XCTAssertEqual(e["released_fen"] as? Int, 600)
        XCTAssertEqual(e["available_fen"] as? Int, 600)
        XCTAssertEqual(e["level"] as? String, "新晋掌柜")
        XCTAssertEqual(e["next_level"] as? String, "资深掌柜")
        XCTAssertEqual(e["month_gmv_fen"] as? Int, 5_000)
        XCTAssertEqual(e["gmv_to_next_level_fen"] as? Int, 495_000)
        // Withdrawals: minimum, balance, fee, and the balance after.
        XCTAssertExit(o.at("2026-11-20T00:00:00+08:00", "earnings", "withdraw", "9.99", "--json"), 1, "below-minimum")
        XCTAssertExit(o.at("2026-11-20T00:00:00+08:00", "earnings", "withdraw", "6.01", "--json"), 1, "below-minimum")
        XCTAssertExit(o.at("2026-11-20T00:00:00+08:00", "earnings", "withdraw", "10.001", "--json"), 2)
        let w = o.at("2026-11-20T00:00:00+08:00", "earnings", "withdraw", "¥5", "--json")
        XCTAssertExit(w, 1, "below-minimum")
        // Refund after release: a clawback.
        XCTAssertExit(o.at("2026-11-21T00:00:00+08:00", "orders", "update", "A", "--status", "refunded"), 0)
        e = o.at("2026-11-21T00:00:00+08:00", "earnings", "--json").object
        XCTAssertEqual(e["released_fen"] as? Int, 0)
        XCTAssertEqual(e["available_fen"] as? Int, 0)
        XCTAssertExit(o.at("2026-11-21T00:00:00+08:00", "earnings", "withdraw", "10", "--json"), 1, "insufficient-balance")
    }

    func testReportGroupsAndCSV() throws {
        let o = try OrderShop()
        let f = try o.feed(
            "o.csv",
            [
                "A,P00001,1,100,2026-09-30T23:30:00+08:00,paid,\(o.p1),,,",
                "B,P00002,2,50,2026-10-01T00:30:00+08:00,paid,\(o.storefront),,,",
                "C,P00003,1,80,2026-10-15T12:00:00+08:00,refunded,\(o.storefront),2026-10-16T12:00:00+08:00,,",
            ])
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "orders", "import", f), 0)
        let months = o.at("2026-11-21T09:30:00+08:00", "earnings", "report", "--by", "month", "--json").array
        XCTAssertEqual(months.compactMap { $0["key"] as? String }, ["2026-09", "2026-10"], "months in Asia/Shanghai")
        XCTAssertEqual(Set(months[0].keys), ["key", "orders", "gmv_fen", "commission_fen", "refunded_fen"])
        XCTAssertEqual(months[1]["orders"] as? Int, 2)
        XCTAssertEqual(months[1]["gmv_fen"] as? Int, 10_000)
        XCTAssertEqual(months[1]["refunded_fen"] as? Int, 8_000)
        let days = o.at("2026-11-21T09:30:00+08:00", "earnings", "report", "--period", "2026-10", "--by", "day", "--json").array
        XCTAssertEqual(days.compactMap { $0["key"] as? String }, ["2026-10-01", "2026-10-15"])
        let byChannel = o.at("2026-11-21T09:30:00+08:00", "earnings", "report", "--by", "channel", "--json").array
        XCTAssertEqual(Set(byChannel.compactMap { $0["key"] as? String }), ["wechat-group", "wechat-moments"])
        let byProduct = o.at("2026-11-21T09:30:00+08:00", "earnings", "report", "--period", "2026-09..2026-10", "--by", "product", "--json")
            .array
        XCTAssertEqual(byProduct.count, 3)
        let csv = o.at("2026-11-21T09:30:00+08:00", "earnings", "report", "--by", "week", "--csv")
        XCTAssertExit(csv, 0)
        let lines = csv.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "key,orders,gmv_fen,gmv_yuan,commission_fen,commission_yuan,refunded_fen,refunded_yuan")
        XCTAssertEqual(lines.dropFirst().map { String($0.split(separator: ",")[0]) }, ["2026-W40", "2026-W42"])
        XCTAssertTrue(o.at("2026-11-21T09:30:00+08:00", "earnings", "report").stdout.contains("█"), "a bar chart for people")
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "earnings", "report", "--period", "2026-13"), 2)
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "earnings", "report", "--by", "year"), 2)
    }

    /// SPEC §4: `earnings report --by campaign` groups by the `--campaign` of the link an order came through.
    func testReportByCampaign() throws {
        let o = try OrderShop()
        let promo = o.s.run("share-link", "P00002", "--campaign", "双11预热", "--json").object["token"] as! String
        let f = try o.feed(
            "o.csv",
            [
                "A,P00001,1,100,2026-09-30T23:30:00+08:00,paid,\(o.p1),,,",
                "B,P00002,2,50,2026-10-01T00:30:00+08:00,paid,\(promo),,,",
                "C,P00002,1,80,2026-10-15T12:00:00+08:00,paid,\(promo),,,",
            ])
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "orders", "import", f), 0)
        let rows = o.at("2026-11-21T09:30:00+08:00", "earnings", "report", "--by", "campaign", "--json").array
        XCTAssertEqual(rows.compactMap { $0["key"] as? String }.sorted(), ["", "双11预热"])
        let promoRow = try XCTUnwrap(rows.first { $0["key"] as? String == "双11预热" })
        XCTAssertEqual(promoRow["orders"] as? Int, 2)
        XCTAssertEqual(promoRow["gmv_fen"] as? Int, 18_000)
        let human = o.at("2026-11-21T09:30:00+08:00", "earnings", "report", "--by", "campaign")
        XCTAssertExit(human, 0)
        XCTAssertTrue(human.stdout.contains("CAMPAIGN") && human.stdout.contains("双11预热"), human.stdout)
    }
}

final class DemoEarningsEndToEndTests: XCTestCase {
    /// The demo's closing summary agrees with a recomputation straight from its orders.
    func testDemoSummaryIsRightToTheFen() throws {
        let s = try Sandbox()
        let db = s.path("demo.db")
        let r = s.run("demo", "--db", db, "--json")
        XCTAssertExit(r, 0)
        let e = s.run("earnings", "--db", db, "--json").object
        // Every order's commission and bonus, recomputed with SQL from the contract's formulas.
        let pending = try s.sqlite(
            "SELECT sum(commission_fen + bonus_fen) FROM orders WHERE status IN ('paid','shipped') AND self_purchase = 0", db: db)
        XCTAssertEqual(String(e["pending_fen"] as! Int), pending)
        let check = try s.sqlite(
            """
            SELECT count(*) FROM orders o JOIN shop_months m ON m.shop_id = o.shop_id
              AND m.month = CAST(strftime('%Y', o.paid_at, 'unixepoch', '+8 hours') AS INTEGER) * 12 + CAST(strftime('%m', o.paid_at, 'unixepoch', '+8 hours') AS INTEGER) - 1
            WHERE o.self_purchase = 0 AND (
              o.commission_fen != ((CASE WHEN o.status = 'refunded' THEN 0 ELSE o.amount_fen - o.refunded_fen END) * o.rate_bp + 5000) / 10000
              OR o.bonus_fen != (o.commission_fen * m.bonus_bp + 5000) / 10000)
            """, db: db)
        XCTAssertEqual(check, "0", "every order's figures follow round_half_up")
        let released = try s.sqlite(
            "SELECT sum(commission_fen + bonus_fen) FROM orders WHERE status = 'confirmed' AND self_purchase = 0 AND release_at <= strftime('%s','now')",
            db: db)
        XCTAssertEqual(String(e["released_fen"] as! Int), released)
        XCTAssertEqual(e["withdrawn_fen"] as? Int, 10_000)
        XCTAssertEqual(e["available_fen"] as? Int, (e["released_fen"] as! Int) - 10_000)
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check", db: db), "ok")
    }
}
