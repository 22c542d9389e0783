import Foundation
import XCTest

/// A shop's own export (SPEC §7): with `"attribution":"shop"` in the map every row is the
/// selected shop's, through its storefront link (made if it has none, inside the import's
/// transaction); the optional column `commission_rate` (佣金比率) is frozen instead of the
/// catalog's rate when an order is first stored.
final class ShopExportTests: XCTestCase {
    static let now = "2026-11-21T09:30:00+08:00"
    static let shopMap = #"{"attribution":"shop"}"#
    static let header = "order_id,product_id,quantity,unit_price,paid_at,status\n"

    /// A store with one shop, five products (P00001 at 6 %, P00002 at 7 %, …) and no link.
    private func bareShop() throws -> Sandbox {
        let s = try Sandbox(now: "2026-08-01T10:00:00+08:00")
        try Feeds.shop(s, products: 5)
        return s
    }

    private func run(_ s: Sandbox, _ args: String...) -> Sandbox.Result { s.run(args, env: ["SHOPCTL_NOW": Self.now]) }

    private func links(_ s: Sandbox) -> [[String: Any]] { run(s, "share-link", "list", "--limit", "0", "--json").array }

    func testRowsGoToTheStorefrontLinkMadeOnce() throws {
        let s = try bareShop()
        let map = try s.write("shop.json", Self.shopMap)
        XCTAssertEqual(links(s).count, 0)
        // Paid long before the link exists: the shop's export is not attributed by a link (no before-link).
        let first = try s.write(
            "own-1.csv",
            Self.header + "A,P00001,2,11.50,2026-08-10 20:00:00,paid\nB,P00002,1,12.50,2026/8/11 9:05,已发货\n")
        let r = run(s, "orders", "import", first, "--map", map, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 2, r.stdout + r.stderr)
        var all = links(s)
        XCTAssertEqual(all.count, 1, "\(all)")
        let token = try XCTUnwrap(all.first?["token"] as? String)
        XCTAssertTrue(all.first?["product_id"] is NSNull, "a storefront link: \(all)")
        XCTAssertEqual(all.first?["channel"] as? String, "other")
        XCTAssertEqual(all.first?["orders"] as? Int, 2)
        XCTAssertEqual(all.first?["created_at"] as? String, Self.now)
        XCTAssertExit(run(s, "share-link", "verify", token), 0)
        // A second export finds the link: none is made again.
        let second = try s.write(
            "own-2.csv", Self.header + "C,P00003,1,13.50,2026-11-12 20:00:00,paid\nA,P00001,2,11.50,2026-08-10 20:00:00,confirmed\n")
        let r2 = run(s, "orders", "import", second, "--map", map, "--json")
        XCTAssertExit(r2, 0)
        XCTAssertEqual(r2.object["accepted"] as? Int, 2, r2.stdout)
        all = links(s)
        XCTAssertEqual(all.count, 1, "\(all)")
        XCTAssertEqual(all.first?["orders"] as? Int, 3)
        for id in ["A", "B", "C"] {
            let show = run(s, "orders", "show", id, "--json")
            XCTAssertExit(show, 0)
            XCTAssertEqual(show.object["share_token"] as? String, token, id)
            XCTAssertEqual(show.object["channel"] as? String, "other", id)
        }
        XCTAssertEqual(run(s, "orders", "show", "A", "--json").object["status"] as? String, "confirmed")
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check"), "ok")
    }

    func testAnExistingStorefrontLinkIsUsedAndNoneIsMade() throws {
        let o = try OrderShop()
        let before = links(o.s)
        XCTAssertEqual(before.count, 2)
        let map = try o.s.write("shop.json", Self.shopMap)
        // A share_token column, even a forged one, is not read for a shop's own export.
        let f = try o.s.write(
            "own.csv",
            "order_id,product_id,quantity,unit_price,paid_at,status,share_token\nA,P00004,1,14.50,2026-11-10 20:00,paid,forged\n"
                + "B,P00001,1,11.50,2026-11-10 21:00,paid,\(o.p1)\n")
        let r = run(o.s, "orders", "import", f, "--map", map, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 2, r.stdout + r.stderr)
        let after = links(o.s)
        XCTAssertEqual(after.count, 2, "\(after)")
        for id in ["A", "B"] {
            let show = run(o.s, "orders", "show", id, "--json")
            XCTAssertEqual(show.object["share_token"] as? String, o.storefront, id)
            XCTAssertEqual(show.object["channel"] as? String, "wechat-moments", id)
        }
    }

    func testTheShopIsTheSelectedOne() throws {
        let s = try bareShop()
        XCTAssertExit(s.run("open-shop", "--member", "m2", "--name", "第二家店", "--credit-score", "720", "--verified"), 0)
        let shops = s.run("shop", "list", "--json").array.compactMap { $0["shop_id"] as? String }
        XCTAssertEqual(shops.count, 2)
        let map = try s.write("shop.json", Self.shopMap)
        let f = try s.write("own.csv", Self.header + "A,P00001,1,11.50,2026-11-10 20:00,paid\n")
        _ = try s.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        let bytes = s.bytes()
        let dump = try s.dump()
        let r = run(s, "orders", "import", f, "--map", map, "--json")
        XCTAssertExit(r, 2, "ambiguous-shop")
        XCTAssertEqual(try s.dump(), dump)
        XCTAssertEqual(s.bytes(), bytes)
        let second = shops[1]
        XCTAssertExit(run(s, "--shop", second, "orders", "import", f, "--map", map), 0)
        let show = run(s, "orders", "show", "A", "--json")
        XCTAssertEqual(show.object["shop_id"] as? String, second)
        XCTAssertEqual(links(s).count, 0, "the first shop has no link")
        XCTAssertEqual(run(s, "--shop", second, "share-link", "list", "--json").array.count, 1)
        XCTAssertExit(run(s, "--shop", "nope", "orders", "import", f, "--map", map, "--json"), 3, "shop-not-found")
    }

    func testWithoutTheKeyAFileLackingShareTokenExits4() throws {
        let s = try bareShop()
        let f = try s.write("own.csv", Self.header + "A,P00001,1,11.50,2026-11-10 20:00,paid\n")
        _ = try s.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        let bytes = s.bytes()
        for map in [nil, #"{"attribution":"token"}"#, #"{"skip_rows":0}"#] {
            var args = ["orders", "import", f, "--json"]
            if let map { args += ["--map", try s.write("m.json", map)] }
            let r = s.run(args, env: ["SHOPCTL_NOW": Self.now])
            XCTAssertExit(r, 4)
            XCTAssertTrue(r.errorMessage?.contains("share_token") ?? false, r.stderr)
        }
        XCTAssertEqual(s.bytes(), bytes)
        XCTAssertEqual(links(s).count, 0)
    }

    func testCommissionComesFromTheColumnAndIsFrozen() throws {
        let s = try bareShop()
        let map = try s.write("shop.json", Self.shopMap)
        // P00001's catalog rate is 6 %: the platform's 20.00 % is frozen instead.
        let f = try s.write(
            "lianmeng.csv",
            "订单编号,商品ID,商品数,商品单价,付款时间,订单状态,佣金比率\n\t9001,P00001,2,¥11.50,2026-11-04 12:00:00,已付款,20.00 %\n"
                + "9002,P00001,1,11.50,2026-11-04 13:00:00,已付款,\n9003,P00002,1,12.50,2026-11-04 14:00:00,已付款,abc\n"
                + "9004,P00002,1,12.50,2026-11-04 15:00:00,已付款,101 %\n")
        let r = run(s, "orders", "import", f, "--map", map, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 2, r.stdout + r.stderr)
        let rejected = (r.object["rejected"] as? [[String: Any]]) ?? []
        XCTAssertEqual(rejected.map { $0["id"] as? String }, ["9003", "9004"])
        XCTAssertEqual(rejected.map { $0["code"] as? String }, ["bad-value", "bad-value"])
        XCTAssertTrue(rejected.allSatisfy { "\($0["message"] ?? "")".contains("column commission_rate") }, "\(rejected)")
        let a = run(s, "orders", "show", "9001", "--json").object
        XCTAssertEqual(a["commission_rate_bp"] as? Int, 2000)
        XCTAssertEqual(a["commission_fen"] as? Int, 460)  // 2 × ¥11.50 × 20 %
        let b = run(s, "orders", "show", "9002", "--json").object
        XCTAssertEqual(b["commission_rate_bp"] as? Int, 600, "an empty rate is the catalog's")
        XCTAssertEqual(b["commission_fen"] as? Int, 69)
        // A later row for the same order never changes its frozen rate, nor does a catalog change.
        let later = try s.write(
            "later.csv", "订单编号,商品ID,商品数,商品单价,付款时间,订单状态,佣金比率\n9001,P00001,2,11.50,2026-11-04 12:00:00,交易成功,30.00 %\n")
        XCTAssertExit(run(s, "orders", "import", later, "--map", map), 0)
        let again = run(s, "orders", "show", "9001", "--json").object
        XCTAssertEqual(again["status"] as? String, "confirmed")
        XCTAssertEqual(again["commission_rate_bp"] as? Int, 2000)
        XCTAssertEqual(again["commission_fen"] as? Int, 460)
        let list = run(s, "share-link", "list", "--json").array
        XCTAssertEqual(list.first?["commission_fen"] as? Int, 460 + 69)
    }

    func testTheColumnAbsentMeansTheCatalogsRate() throws {
        let o = try OrderShop()
        // A feed attributed by tokens, with and without the column.
        let with = try o.s.write(
            "with.csv",
            OrderShop.header.dropLast() + ",commission_rate\n" + "A,P00001,1,11.50,2026-11-10T20:00:00+08:00,paid,\(o.p1),,,,12.5\n")
        let without = try o.feed("without.csv", ["B,P00001,1,11.50,2026-11-10T20:00:00+08:00,paid,\(o.p1),,,"])
        XCTAssertExit(o.at(Self.now, "orders", "import", with), 0)
        XCTAssertExit(o.at(Self.now, "orders", "import", without), 0)
        XCTAssertEqual(o.at(Self.now, "orders", "show", "A", "--json").object["commission_rate_bp"] as? Int, 1250)
        XCTAssertEqual(o.at(Self.now, "orders", "show", "A", "--json").object["commission_fen"] as? Int, 144)  // 11.50 × 12.5 % = 1.4375
        XCTAssertEqual(o.at(Self.now, "orders", "show", "B", "--json").object["commission_rate_bp"] as? Int, 600)
        XCTAssertEqual(o.at(Self.now, "orders", "show", "B", "--json").object["commission_fen"] as? Int, 69)
    }

    func testTheAttributionKeyIsCheckedAndNamed() throws {
        let s = try bareShop()
        let f = try s.write("own.csv", Self.header + "A,P00001,1,11.50,2026-11-10 20:00,paid\n")
        for (json, says) in [(#"{"attribution":"store"}"#, "\"attribution\" must be"), (#"{"attribution":1}"#, "\"attribution\" must be")] {
            let r = run(s, "orders", "import", f, "--map", try s.write("m.json", json), "--json")
            XCTAssertExit(r, 2, "bad-map")
            XCTAssertTrue(r.errorMessage?.contains(says) ?? false, r.stderr)
        }
        let products = try s.write("p.csv", Feeds.products(1))
        let r = run(s, "catalog", "import", "--products", products, "--map", try s.write("c.json", Self.shopMap), "--json")
        XCTAssertExit(r, 2, "bad-map")
    }
}
