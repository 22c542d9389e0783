import Foundation
import XCTest

/// `--encoding` on every import: GBK/GB18030, UTF-16 and UTF-8 files import alike.
final class EncodingImportTests: XCTestCase {

    private static let suppliers = Feeds.supplierHeader + Feeds.goodSupplier + "SP2,苏州旗艦丝绸有限公司,8000000,true,20000,2\n"
    private static let products =
        Feeds.productHeader + """
            P1,SP1,西湖龙井 明前特级 250g,西湖,食品保健,129.50,20,100,on,,,,,,"香, 醇；回甘"
            P2,SP2,真丝围巾（旗艦款）,丝路,美妆个护,299,15,8,on,,,,,,好评如潮
            P3,SP2,桑蚕丝枕套,丝路,美妆个护,89.9,12,50,on,,,,,,

            """

    /// A fresh store with the catalog imported from files in `encode`'s bytes.
    private func catalogList(_ encode: (String) throws -> [UInt8], extra: [String] = []) throws -> String {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        let sp = try s.write("s.csv", bytes: try encode(Self.suppliers))
        let pp = try s.write("p.csv", bytes: try encode(Self.products))
        XCTAssertExit(s.run(["catalog", "import", "--suppliers", sp, "--products", pp, "--json"] + extra), 0)
        let list = s.run("catalog", "list", "--json")
        XCTAssertExit(list, 0)
        XCTAssertEqual(list.array.count, 3)
        return list.stdout
    }

    func testCatalogInEveryEncodingImportsLikeItsUTF8Twin() throws {
        let utf8 = try catalogList { Array($0.utf8) }
        XCTAssertTrue(utf8.contains("旗艦"), utf8)
        XCTAssertEqual(try catalogList { try pythonEncoded($0, "gbk") }, utf8, "GBK, auto")
        XCTAssertEqual(try catalogList { try pythonEncoded($0, "gb18030") }, utf8, "GB18030, auto")
        XCTAssertEqual(try catalogList({ try pythonEncoded($0, "gbk") }, extra: ["--encoding", "gb18030"]), utf8, "forced")
        XCTAssertEqual(try catalogList { [0xEF, 0xBB, 0xBF] + Array($0.utf8) }, utf8, "UTF-8 with BOM")
        XCTAssertEqual(try catalogList { try pythonEncoded($0, "utf-16") }, utf8, "UTF-16 with BOM (Python: LE)")
        XCTAssertEqual(try catalogList { [0xFE, 0xFF] + (try pythonEncoded($0, "utf-16-be")) }, utf8, "UTF-16 BE with BOM")
        XCTAssertEqual(
            try catalogList({ try pythonEncoded($0, "utf-16-le") }, extra: ["--encoding", "utf-16"]), utf8, "UTF-16 LE, no BOM, forced")
    }

    func testStdinIsDecodedToo() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        let sp = try s.write("s.csv", Self.suppliers)
        let gbk = Data(try pythonEncoded(Self.products, "gbk"))
        XCTAssertExit(s.run("catalog", "import", "--suppliers", sp, "--products", "-", "--format", "csv", stdin: gbk), 0)
        XCTAssertEqual(s.run("catalog", "list", "--search", "旗艦", "--json").array.count, 1)
    }

    func testOrdersInGBKImportLikeTheirUTF8Twin() throws {
        let o = try OrderShop()
        let rows =
            OrderShop.header
            + "订单-1,P00001,2,11.50,2026-09-10T20:00:00+08:00,paid,￥\(o.p1)￥,,,\n"
            + "订单-2,P00002,1,12.05,2026-09-11T20:00:00+08:00,shipped,\(o.storefront),,,\n"
        let gbk = try o.s.write("o-gbk.csv", bytes: try pythonEncoded(rows, "gbk"))
        let r = o.at("2026-11-21T09:30:00+08:00", "orders", "import", gbk, "--json")
        XCTAssertExit(r, 0)
        let list = o.s.run("orders", "list", "--json")
        XCTAssertTrue(list.stdout.contains("订单-1"), list.stdout)
        XCTAssertEqual(list.array.count, 2)
        // The UTF-8 twin is the same data: importing it changes nothing.
        let before = try o.s.dump()
        let utf8 = try o.s.write("o.csv", rows)
        XCTAssertExit(o.at("2026-11-21T09:30:00+08:00", "orders", "import", utf8, "--strict"), 0)
        XCTAssertEqual(try o.s.dump(), before)
        XCTAssertEqual(o.s.run("orders", "list", "--json").stdout, list.stdout)
    }

    func testAFileThatIsNeitherExitsFourNamingTheByte() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        _ = try s.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = s.bytes()
        // Line 2 in GB18030: "P1,SP1,旗" (旗 = C6 EC) then 0xFF: character 9 of line 2 in decoded text.
        let bytes = Array(Feeds.productHeader.utf8) + Array("P1,SP1,".utf8) + [0xC6, 0xEC, 0xFF] + Array(",b\n".utf8)
        let p = try s.write("p.csv", bytes: bytes)
        let r = s.run("catalog", "import", "--products", p, "--json")
        XCTAssertExit(r, 4, "not-utf8")
        let offset = Feeds.productHeader.utf8.count + 9
        for part in ["byte 0xFF", "offset \(offset)", "line 2 (character 9)", "neither UTF-8 nor GB18030"] {
            XCTAssertTrue(r.errorMessage?.contains(part) ?? false, "\(part): \(r.stderr)")
        }
        let zh = s.run(["catalog", "import", "--products", p], env: ["LANG": "zh_CN.UTF-8"])
        XCTAssertExit(zh, 4)
        XCTAssertTrue(zh.stderr.contains("第 2 行"), zh.stderr)
        // Forced GB18030 names the same byte; forced UTF-8 the first byte that is not UTF-8.
        let forced = s.run("catalog", "import", "--products", p, "--encoding", "gb18030", "--json")
        XCTAssertExit(forced, 4, "bad-encoding")
        XCTAssertTrue(forced.errorMessage?.contains("line 2 (character 9)") ?? false, forced.stderr)
        let utf8 = s.run("catalog", "import", "--products", p, "--encoding", "utf-8", "--json")
        XCTAssertExit(utf8, 4, "not-utf8")
        XCTAssertTrue(utf8.errorMessage?.contains("byte 0xC6") ?? false, utf8.stderr)
        XCTAssertEqual(s.bytes(), before)
    }

    func testForcedUTF8OnAGBKFileSuggestsTheOption() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        let p = try s.write("p.csv", bytes: try pythonEncoded(Self.products, "gbk"))
        let r = s.run("catalog", "import", "--products", p, "--encoding", "utf-8", "--json")
        XCTAssertExit(r, 4, "not-utf8")
        XCTAssertTrue(r.errorMessage?.contains("--encoding gb18030") ?? false, r.stderr)
    }

    func testUnpairedSurrogateAndBadValue() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        var bytes = try pythonEncoded(Feeds.productHeader + "P1,SP1,", "utf-16")
        bytes += [0x00, 0xDC, 0x0A, 0x00]
        let p = try s.write("p.csv", bytes: bytes)
        let r = s.run("orders", "import", p, "--json")
        XCTAssertExit(r, 4, "bad-encoding")
        XCTAssertTrue(r.errorMessage?.contains("U+DC00") ?? false, r.stderr)
        XCTAssertTrue(r.errorMessage?.contains("line 2 (character 8)") ?? false, r.stderr)
        XCTAssertExit(s.run("orders", "import", p, "--encoding", "latin1", "--json"), 2, "bad-argument")
    }
}
