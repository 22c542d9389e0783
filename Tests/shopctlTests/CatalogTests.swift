import Foundation
import XCTest

/// Builds small catalogs for end-to-end tests.
enum Feeds {
    static let supplierHeader = "supplier_id,name,registered_capital,general_taxpayer,deposit,auth_chain_levels\n"
    static let productHeader =
        "product_id,supplier_id,title,brand,category,price,commission_rate,stock,status,market_commission_rate,other_platform_price,tags,sale_start,sale_end,description\n"
    static let goodSupplier = "SP1,杭州西湖茶业有限公司,5000000,true,20000,1\n"

    static func products(_ n: Int, prefix: String = "P", start: Int = 1) -> String {
        var s = productHeader
        for i in start..<(start + n) {
            s += "\(prefix)\(String(format: "%05d", i)),SP1,商品\(i) 标题,品牌\(i % 7),食品保健,\(10 + i % 90).50,\(5 + i % 30),\(100 + i),on,,,,,,\n"
        }
        return s
    }

    /// A store with one shop and `n` products.
    static func shop(_ s: Sandbox, products n: Int, platform: String = "taoxiaopu") throws {
        XCTAssertExit(s.run("init", "--platform", platform), 0)
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "小美好物", "--credit-score", "720", "--verified"), 0)
        let sp = try s.write("suppliers.csv", supplierHeader + goodSupplier)
        let pp = try s.write("products.csv", products(n))
        XCTAssertExit(s.run("catalog", "import", "--suppliers", sp, "--products", pp), 0)
    }
}

final class CatalogEndToEndTests: XCTestCase {
    func testImportReportsEveryRowCodeAndStoresTheRest() throws {
        let s = try Sandbox()
        let sp = try s.write(
            "s.csv",
            Feeds.supplierHeader + Feeds.goodSupplier
                + "SP2,小作坊,999999.99,true,20000,1\nSP3,边界公司,1000000,true,10000,3\nSP4,授权链过长,5000000,true,20000,4\n")
        let pp = try s.write(
            "p.csv",
            Feeds.productHeader + """
                P1,SP1,西湖龙井 明前特级 250g,西湖,食品保健,129.50,20%,100,on,,,high-margin;low-trial-cost,,,"香, 醇"
                P2,SP2,山寨茶,某某,食品保健,10,10,5,on,,,,,,
                P3,SP9,无主商品,某某,食品保健,10,10,5,on,,,,,,
                P4,SP1,低佣商品,某某,食品保健,10,10,5,on,12,,,,,
                P5,SP1,等佣商品,某某,食品保健,10,12,5,on,12,,,,,
                P6,SP1,贵价商品,某某,食品保健,100,12,5,on,,99.99,,,,
                P7,SP1,平价商品,某某,食品保健,100,12,5,on,,100,,,,
                P8,SP1,数码商品,某某,数码家电,100,12,5,on,,,,,,
                P9,SP1,三位小数,某某,食品保健,19.999,12,5,on,,,,,,
                P10,SP3,边界供应商,某某,美妆个护,19.9,12,5,on,,,,,,
                P11,SP4,长链供应商,某某,美妆个护,19.9,12,5,on,,,,,,
                P12,SP1,无时区,某某,美妆个护,19.9,12,5,on,,,,2026-11-01T00:00:00,,
                P13,SP1,"多行
                标题",某某,美妆个护,19.9,12,5,on,,,,,,
                P14,SP1,坏标签,某某,美妆个护,19.9,12,5,on,,,cheap,,,
                P15,SP1,负价,某某,美妆个护,-1,12,5,on,,,,,,

                """)
        let r = s.run("catalog", "import", "--suppliers", sp, "--products", pp, "--json")
        XCTAssertExit(r, 0)
        let rejected = (r.object["rejected"] as? [[String: Any]]) ?? []
        var codes: [String: String] = [:]
        for x in rejected { codes[x["id"] as! String] = x["code"] as? String }
        XCTAssertEqual(codes["SP2"], "supplier-admission")
        XCTAssertEqual(codes["SP4"], "supplier-admission")
        XCTAssertNil(codes["SP3"], "capital exactly 1,000,000 and 3 levels pass")
        XCTAssertEqual(codes["P2"], "supplier-admission")
        XCTAssertEqual(codes["P3"], "unknown-supplier")
        XCTAssertEqual(codes["P4"], "commission-below-market")
        XCTAssertNil(codes["P5"], "a rate equal to the market rate passes")
        XCTAssertEqual(codes["P6"], "price-parity")
        XCTAssertNil(codes["P7"], "a price equal to the other platform's passes")
        XCTAssertEqual(codes["P8"], "category")
        XCTAssertEqual(codes["P9"], "bad-value")
        XCTAssertNil(codes["P10"])
        XCTAssertEqual(codes["P11"], "supplier-admission")
        XCTAssertEqual(codes["P12"], "bad-value")
        XCTAssertNil(codes["P13"], "a quoted newline is part of the title")
        XCTAssertEqual(codes["P14"], "bad-value")
        XCTAssertEqual(codes["P15"], "bad-value")
        let p9 = rejected.first { $0["id"] as? String == "P9" }!
        XCTAssertEqual(p9["line"] as? Int, 10)
        XCTAssertTrue((p9["message"] as? String)?.contains("price") ?? false)
        // The line after the multi-line title is still counted right.
        XCTAssertEqual(rejected.first { $0["id"] as? String == "P14" }?["line"] as? Int, 16)
        let listed = s.run("catalog", "list", "--limit", "0", "--json").array.compactMap { $0["product_id"] as? String }
        XCTAssertEqual(Set(listed), ["P1", "P5", "P7", "P10", "P13"])
        XCTAssertEqual(r.object["accepted"] as? Int, 7)  // SP1, SP3; P1, P5, P7, P10, P13
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check"), "ok")
    }

    func testStrictStoresNothingAndExitsOne() throws {
        let s = try Sandbox()
        let sp = try s.write("s.csv", Feeds.supplierHeader + Feeds.goodSupplier)
        let pp = try s.write("p.csv", Feeds.products(3) + "PX,SP1,坏,某,食品保健,1.001,1,1,on,,,,,,\n")
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        let before = try s.dump()
        let r = s.run("catalog", "import", "--suppliers", sp, "--products", pp, "--strict", "--json")
        XCTAssertExit(r, 1, "strict")
        XCTAssertEqual(r.object["accepted"] as? Int, 0)
        XCTAssertEqual((r.object["rejected"] as? [[String: Any]])?.first?["id"] as? String, "PX")
        XCTAssertEqual(try s.dump(), before)
        XCTAssertExit(s.run("catalog", "import", "--suppliers", sp, "--products", pp, "--json"), 0)
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM products"), "3")
    }

    func testReimportUpdatesAndNeverDeletes() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 3)
        let pp = try s.write("p2.csv", Feeds.productHeader + "P00001,SP1,新标题,新品牌,美妆个护,99.00,30,0,off,,,,,,\n")
        let r = s.run("catalog", "import", "--products", pp, "--json")
        XCTAssertExit(r, 0)
        let all = s.run("catalog", "list", "--json").array
        XCTAssertEqual(all.count, 3)
        let p1 = all.first { $0["product_id"] as? String == "P00001" }!
        XCTAssertEqual(p1["title"] as? String, "新标题")
        XCTAssertEqual(p1["price_fen"] as? Int, 9900)
        XCTAssertEqual(p1["commission_fen"] as? Int, 2970)
        XCTAssertEqual(p1["available"] as? Bool, false)
        XCTAssertEqual(s.run("catalog", "list", "--search", "新标题", "--json").array.count, 1)
        XCTAssertEqual(s.run("catalog", "list", "--search", "商品1 标题", "--json").array.count, 0, "the old title left the index")
        // Same data again changes nothing.
        let before = try s.dump()
        XCTAssertExit(s.run("catalog", "import", "--products", pp), 0)
        XCTAssertEqual(try s.dump(), before)
    }

    func testMalformedFilesExitFourAndLeaveTheStoreByteIdentical() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 2)
        _ = try s.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = s.bytes()
        let dump = try s.dump()
        let gbk: [UInt8] =
            Array(Feeds.productHeader.utf8) + Array("P9,SP1,".utf8) + [0xC9, 0xCC, 0xC6, 0xB7] + Array(",b,食品保健,1,1,1,on,,,,,,\n".utf8)
        let files: [(String, [UInt8], String)] = [
            ("quote.csv", Array((Feeds.products(2) + "P9,SP1,\"未闭合,b,食品保健,1,1,1,on,,,,,,\n").utf8), "bad-csv"),
            ("missing.csv", Array("product_id,supplier_id,title\nP1,SP1,x\n".utf8), "missing-column"),
            ("bad.jsonl", Array(#"{"product_id":"P1","supplier_id":"SP1"}\#n{"product_id": "#.utf8), "bad-json"),
            ("binary.csv", [0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00], "not-utf8"),
        ]
        for (name, bytes, code) in files {
            let p = try s.write(name, bytes: bytes)
            let r = s.run("catalog", "import", "--products", p, "--json")
            XCTAssertExit(r, 4, code)
            XCTAssertTrue(r.errorMessage?.contains("line") ?? false, "\(name): \(r.stderr)")
        }
        // GBK is read by --encoding auto (EncodingImportTests); forced UTF-8 refuses it with a hint.
        let gp = try s.write("gbk.csv", bytes: gbk)
        XCTAssertExit(s.run("catalog", "import", "--products", gp, "--encoding", "utf-8", "--json"), 4, "not-utf8")
        let g = s.run("catalog", "import", "--products", gp, "--encoding", "utf-8")
        XCTAssertTrue(g.stderr.contains("iconv -f GBK"), g.stderr)
        XCTAssertEqual(s.bytes(), before)
        XCTAssertEqual(try s.dump(), dump)
    }

    /// A feed is data from strangers: what it holds is shown, never sent to the terminal as control sequences.
    func testHumanReportsShowControlCharactersInsteadOfSendingThem() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 1)
        let pp = try s.write(
            "p.csv",
            Feeds.productHeader + "E1,SP1,红色\u{1B}[31m标题\u{1B}]0;owned\u{07},b,食品保健,1,1,1,on,,,,,,\n"
                + "E2\u{1B}[2J,SP1,t,b,食品保健,1,1,1,on,,,,,,\n" + "E3,SP1,\"回车\r覆盖\",C1\u{85}牌,食品保健,1,1,1,on,,,,,,\n")
        let r = s.run("catalog", "import", "--products", pp)
        XCTAssertExit(r, 0)
        let controls = { (text: String) -> [UInt32] in
            text.unicodeScalars.map(\.value).filter { ($0 < 0x20 && $0 != 0x0A) || (0x7F...0x9F).contains($0) }
        }
        XCTAssertEqual(controls(r.stdout), [], r.stdout)
        XCTAssertTrue(r.stdout.contains("红色<U+001B>[31m标题<U+001B>]0;owned<U+0007>"), r.stdout)
        XCTAssertTrue(r.stdout.contains("E2<U+001B>[2J"), r.stdout)
        XCTAssertTrue(r.stdout.contains("回车<U+000D>覆盖"), r.stdout)
        // Three table rows (the last line counts them by code: "bad-value 3").
        XCTAssertEqual(r.stdout.components(separatedBy: "  bad-value  ").count - 1, 3, r.stdout)
        // Column names are shown in file-level errors.
        let header = try s.write("h.csv", "product_id,\u{1B}[2Jtitle\n")
        let h = s.run("catalog", "import", "--products", header)
        XCTAssertExit(h, 4)
        XCTAssertEqual(controls(h.stderr), [], h.stderr)
        XCTAssertTrue(h.stderr.contains("\"<U+001B>[2Jtitle\""), h.stderr)
        // JSON keeps the text as it is, escaped by JSON.
        let j = s.run("catalog", "import", "--products", pp, "--json")
        let rejected = (j.object["rejected"] as? [[String: Any]]) ?? []
        XCTAssertEqual(rejected.compactMap { $0["id"] as? String }, ["E1", "E2\u{1B}[2J", "E3"])
    }

    func testJSONLAndStdin() throws {
        let s = try Sandbox()
        let sp = try s.write(
            "s.jsonl",
            #"{"supplier_id":"SP1","name":"茶业","registered_capital":5000000,"general_taxpayer":true,"deposit":"20000","auth_chain_levels":1}"#
                + "\n")
        let line =
            #"{"product_id":"J1","supplier_id":"SP1","title":"面膜 补水","brand":"自然堂","category":"美妆个护","price":59.9,"commission_rate":"15%","stock":10,"status":"on","tags":"high-repurchase"}"#
        XCTAssertExit(s.run("catalog", "import", "--suppliers", sp), 0)
        let r = s.run(["catalog", "import", "--products", "-", "--format", "jsonl", "--json"], stdin: Data((line + "\n").utf8))
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 1)
        let p = s.run("catalog", "list", "--json").array.first!
        XCTAssertEqual(p["price_fen"] as? Int, 5990)
        XCTAssertEqual(p["commission_fen"] as? Int, 899)  // 5990 × 15% = 898.5 → 899
        XCTAssertExit(s.run("catalog", "import", "--products", "-", "--json"), 2, "format")
    }

    func testListFiltersSortsAndSearchesChinese() throws {
        let s = try Sandbox()
        let sp = try s.write("s.csv", Feeds.supplierHeader + Feeds.goodSupplier)
        let pp = try s.write(
            "p.csv",
            Feeds.productHeader + """
                A,SP1,玻尿酸补水面膜 10片,自然堂,美妆个护,59.90,20,10,on,,,,,,
                B,SP1,婴儿纸尿裤 L码,好奇,母婴玩具,129,10,10,on,,,,,,
                C,SP1,补水喷雾,珀莱雅,美妆个护,39,30,10,on,,,,,,
                D,SP1,限时面膜,自然堂,美妆个护,10,5,10,on,,,,2026-12-01T00:00:00+08:00,,

                """)
        XCTAssertExit(s.run("catalog", "import", "--suppliers", sp, "--products", pp), 0)
        func ids(_ args: String...) -> [String] {
            s.run(["catalog", "list", "--json"] + args).array.compactMap { $0["product_id"] as? String }
        }
        XCTAssertEqual(ids("--search", "面膜"), ["A", "D"])
        XCTAssertEqual(ids("--search", "补水面膜"), ["A"])
        XCTAssertEqual(ids("--search", "自然堂"), ["A", "D"])
        XCTAssertEqual(ids("--search", "补水"), ["A", "C"])
        XCTAssertEqual(ids("--search", "水"), ["A", "C"])
        XCTAssertEqual(ids("--category", "母婴玩具"), ["B"])
        XCTAssertEqual(ids("--sort", "price"), ["D", "C", "A", "B"])
        XCTAssertEqual(ids("--sort", "rate"), ["C", "A", "B", "D"])
        XCTAssertEqual(ids("--sort", "commission"), ["B", "A", "C", "D"])
        XCTAssertEqual(ids("--limit", "2"), ["B", "A"])
        XCTAssertEqual(ids("--search", "\"'%_;DROP"), [])
        let d = s.run("catalog", "list", "--search", "限时", "--json").array.first!
        XCTAssertEqual(d["available"] as? Bool, false, "before its sale window")
        let later = s.run(["catalog", "list", "--search", "限时", "--json"], env: ["SHOPCTL_NOW": "2026-12-01T00:00:00+08:00"])
        XCTAssertEqual(later.array.first?["available"] as? Bool, true)
        XCTAssertExit(s.run("catalog", "list", "--sort", "popularity"), 2)
    }
}

final class PickProductsEndToEndTests: XCTestCase {
    func testThousandthPickSucceedsAndThousandAndFirstIsRefused() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 1003)
        let first = (1...999).map { String(format: "P%05d", $0) }
        XCTAssertExit(s.run(["pick-products", "add"] + first), 0)
        // Two more at 999: refused whole, nothing added.
        let two = s.run("pick-products", "add", "P01000", "P01001", "--json")
        XCTAssertExit(two, 1, "pick-limit")
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM picks"), "999")
        let r1000 = s.run("pick-products", "add", "P01000", "--json")
        XCTAssertExit(r1000, 0)
        XCTAssertEqual(r1000.object["picks"] as? Int, 1000)
        XCTAssertExit(s.run("pick-products", "add", "P01001", "--json"), 1, "pick-limit")
        // Re-adding a picked product at the limit is not an error.
        XCTAssertExit(s.run("pick-products", "add", "P00001", "--json"), 0)
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM picks"), "1000")
        XCTAssertExit(s.run("pick-products", "remove", "P00001"), 0)
        XCTAssertExit(s.run("pick-products", "add", "P01001"), 0)
    }

    func testAddRemoveReasonListAndAvailability() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 5)
        XCTAssertExit(s.run("pick-products", "add", "P00001", "P00002", "--reason", "宝宝爱吃"), 0)
        XCTAssertExit(s.run("pick-products", "add", "P09999", "--json"), 3, "product-not-found")
        XCTAssertExit(s.run("pick-products", "reason", "P00003", "好", "--json"), 1, "not-picked")
        XCTAssertExit(s.run("pick-products", "reason", "P00002", String(repeating: "好", count: 201), "--json"), 2)
        XCTAssertExit(s.run("pick-products", "reason", "P00002", String(repeating: "好", count: 200)), 0)
        var list = s.run("pick-products", "list", "--json").array
        XCTAssertEqual(list.count, 2)
        XCTAssertEqual(
            Set(list[0].keys), ["product_id", "title", "price_fen", "commission_rate_bp", "commission_fen", "reason", "available"])
        XCTAssertEqual(list.first { $0["product_id"] as? String == "P00001" }?["reason"] as? String, "宝宝爱吃")
        // The supplier turns a product off: still picked, shown unavailable.
        let off = try s.write("off.csv", Feeds.productHeader + "P00001,SP1,商品1 标题,品牌1,食品保健,11.50,6,101,off,,,,,,\n")
        XCTAssertExit(s.run("catalog", "import", "--products", off), 0)
        list = s.run("pick-products", "list", "--json").array
        XCTAssertEqual(list.first { $0["product_id"] as? String == "P00001" }?["available"] as? Bool, false)
        XCTAssertEqual(list.first { $0["product_id"] as? String == "P00001" }?["reason"] as? String, "宝宝爱吃", "the reason survives")
        // An unavailable product cannot be added.
        XCTAssertExit(s.run("pick-products", "remove", "P00001"), 0)
        XCTAssertExit(s.run("pick-products", "add", "P00001", "--json"), 1, "product-unavailable")
        XCTAssertEqual(s.run("pick-products", "list", "--json").array.count, 1)
    }

    func testSuggestRanksByTheDocumentedScore() throws {
        let s = try Sandbox()
        let sp = try s.write("s.csv", Feeds.supplierHeader + Feeds.goodSupplier)
        let pp = try s.write(
            "p.csv",
            Feeds.productHeader + """
                T4,SP1,四标签,甲,食品保健,10,10,10,on,,,high-margin;high-repurchase;high-recognition;low-trial-cost,,,
                T1,SP1,一标签高佣,甲,食品保健,1000,20,10,on,,,high-margin,,,
                T0,SP1,无标签,甲,食品保健,100,10,10,on,,,,,,
                OFF,SP1,下架,甲,食品保健,100,90,10,off,,,high-margin,,,

                """)
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "小美好物", "--credit-score", "720", "--verified"), 0)
        XCTAssertExit(s.run("catalog", "import", "--suppliers", sp, "--products", pp), 0)
        let r = s.run("pick-products", "suggest", "--json").array
        // T4: 4×25 + 20 + 1 fen commission → 0 = 120; T1: 25 + min(40, 20000/250) = 65; T0: 1000/250 = 4.
        XCTAssertEqual(r.compactMap { $0["product_id"] as? String }, ["T4", "T1", "T0"])
        XCTAssertEqual(r.compactMap { $0["score"] as? Int }, [120, 65, 4])
        XCTAssertExit(s.run("pick-products", "add", "T4"), 0)
        XCTAssertEqual(s.run("pick-products", "suggest", "--limit", "1", "--json").array.first?["product_id"] as? String, "T1")
    }
}
