import Foundation
import XCTest

/// Rejected rows of an import: every one in `--json`, the first 20 and the counts by code for
/// people, and `--rejects FILE` as CSV ready to be fixed and imported again (SPEC §2 "Memory",
/// "Files shopctl writes").
final class RejectsTests: XCTestCase {
    static let now = "2026-11-21T09:30:00+08:00"

    /// One RFC 4180 field as the rejects file writes it.
    static func field(_ s: String) -> String {
        s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func record(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\r\n" }

    static func forged(_ token: String) -> String {
        var t = Array(token)
        t[10] = t[10] == "x" ? "y" : "x"
        return String(t)
    }

    func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    func leftovers(_ s: Sandbox) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: s.dir.path)) ?? []).filter { $0.contains(".shopctl-") }
    }

    // MARK: - The report

    func testJSONListsEveryRejectedRowAndPeopleSeeTheFirst20AndTheCounts() throws {
        let o = try OrderShop()
        let bad = RejectsTests.forged(o.p1)
        var rows = ["OK1,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,"]
        for i in 0..<5_000 {
            rows.append(
                i % 500 == 7
                    ? "Q\(i),P00001,0,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,"
                    : "X\(i),P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(bad),,,")
        }
        rows.append("OK2,P00001,1,11.50,2026-09-10T21:00:00+08:00,paid,\(o.p1),,,")
        let f = try o.feed("o.csv", rows)
        let before = try o.s.dump()
        let r = o.at(RejectsTests.now, "--json", "orders", "import", f)
        XCTAssertExit(r, 0)
        XCTAssertEqual(Set(r.object.keys), ["accepted", "rejected"])
        XCTAssertEqual(r.object["accepted"] as? Int, 2)
        let rejected = (r.object["rejected"] as? [[String: Any]]) ?? []
        XCTAssertEqual(rejected.count, 5_000)
        XCTAssertEqual(rejected.map { $0["line"] as? Int }, (3..<5_003).map { $0 })
        XCTAssertEqual(rejected.compactMap { $0["id"] as? String }, (0..<5_000).map { $0 % 500 == 7 ? "Q\($0)" : "X\($0)" })
        XCTAssertEqual(rejected.filter { $0["code"] as? String == "bad-value" }.count, 10)
        XCTAssertEqual(rejected.filter { $0["code"] as? String == "invalid-token" }.count, 4_990)
        XCTAssertEqual(Set(rejected.flatMap { $0.keys }), ["line", "id", "code", "message"])
        XCTAssertEqual(rejected[0]["message"] as? String, "line 3: " + ((rejected[0]["message"] as? String) ?? "").dropFirst(8))
        XCTAssertNotEqual(try o.s.dump(), before)

        // The same file again, for people: the first 20, how many more, the counts by code.
        let p = try OrderShop()
        let g = try p.feed("o.csv", rows.map { $0.replacingOccurrences(of: o.p1, with: p.p1) })
        let h = p.at(RejectsTests.now, "orders", "import", g)
        XCTAssertExit(h, 0)
        let lines = h.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines.first, "accepted 2 row(s), rejected 5000")
        let tableRows = lines.filter { $0.range(of: #"^\s*\d+\s+[XQ]\d+\s"#, options: .regularExpression) != nil }
        XCTAssertEqual(tableRows.count, 20, h.stdout)
        XCTAssertTrue(tableRows[0].hasPrefix("   3  X0 "), tableRows[0])
        XCTAssertTrue(h.stdout.contains("… and 4980 more (all of them with --json or --rejects FILE)"), h.stdout)
        XCTAssertTrue(h.stdout.contains("rejected by code: invalid-token 4990, bad-value 10"), h.stdout)
        let zh = p.at(RejectsTests.now, "orders", "import", g, "--strict")
        XCTAssertExit(zh, 1)
        let zhh = p.s.run(["orders", "import", g], env: ["SHOPCTL_NOW": RejectsTests.now, "SHOPCTL_LANG": "zh_CN.UTF-8"])
        XCTAssertTrue(zhh.stdout.contains("按代码统计拒绝行数：invalid-token 4990，bad-value 10"), zhh.stdout)
        XCTAssertTrue(zhh.stdout.contains("……另有 4980 行"), zhh.stdout)
    }

    /// A row reported when its batch is stored (a repeated order id) comes in line order all the same.
    func testRowsRejectedWhenTheirBatchIsStoredKeepTheirPlace() throws {
        let o = try OrderShop()
        let bad = RejectsTests.forged(o.p1)
        let f = try o.feed(
            "o.csv",
            [
                "A,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "A,P00001,2,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "B,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(bad),,,",
                "C,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
            ])
        let out = o.s.path("r.csv")
        let r = o.at(RejectsTests.now, "--json", "orders", "import", f, "--rejects", out)
        XCTAssertExit(r, 0)
        let rejected = (r.object["rejected"] as? [[String: Any]]) ?? []
        XCTAssertEqual(rejected.map { $0["line"] as? Int }, [3, 4])
        XCTAssertEqual(rejected.map { $0["code"] as? String }, ["invalid-transition", "invalid-token"])
        let text = try String(contentsOfFile: out, encoding: .utf8)
        let records = text.components(separatedBy: "\r\n")
        XCTAssertEqual(records.count, 4, text)
        XCTAssertTrue(records[1].hasPrefix("A,P00001,2,11.50,"), text)
        XCTAssertTrue(records[2].hasPrefix("B,P00001,1,11.50,"), text)
    }

    // MARK: - --rejects FILE

    func testRejectsFileHoldsTheRowsAsReadAndImportsAgainOnceFixed() throws {
        let o = try OrderShop()
        let bad = RejectsTests.forged(o.p1)
        let header = ["order_id", "note", "product_id", "quantity", "unit_price", "paid_at", "status", "share_token", "refunded"]
        let notes = ["plain", "a, comma", "say \"hi\"", "two\nlines", "中文备注，含逗号", "\"", "", "crlf\r\nend"]
        var text = RejectsTests.record(header).replacingOccurrences(of: "\r\n", with: "\n")
        var expected = RejectsTests.record(header + ["line", "code", "message"])
        var line = 2
        for (i, note) in notes.enumerated() {
            let good = i % 3 == 0
            let fields = ["N\(i)", note, "P00001", "1", "11.50", "2026-09-10T20:00:00+08:00", "paid", good ? o.p1 : bad, ""]
            text += String(RejectsTests.record(fields).dropLast()) + "\n"  // "\r\n" is one Character
            if !good {
                expected += RejectsTests.record(
                    fields + [
                        String(line), "invalid-token",
                        "the share token does not verify for this store (forged, altered or from another store)",
                    ])
            }
            line += 1 + note.filter { $0 == "\n" || $0 == "\r\n" }.count
        }
        // A row of the wrong width is kept as read: on import it is refused again until fixed.
        text += "W1,short,P00001\n"
        expected += "W1,short"
        let f = try o.s.write("o.csv", text)
        let out = o.s.path("rejects.csv")
        let r = o.at(RejectsTests.now, "--json", "orders", "import", f, "--rejects", out)
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 3)
        XCTAssertEqual((r.object["rejected"] as? [[String: Any]])?.count, 6)
        XCTAssertEqual(mode(out), 0o600)
        let got = try String(contentsOfFile: out, encoding: .utf8)
        // The message of the wrong-width row is checked apart (it names the field counts).
        let cut = got.range(of: "W1,short")!.lowerBound
        XCTAssertEqual(String(got[..<cut]), String(expected[..<expected.range(of: "W1,short")!.lowerBound]))
        XCTAssertTrue(got.hasSuffix("\r\n"))
        XCTAssertTrue(String(got[cut...]).hasPrefix("W1,short,P00001,\(line),bad-value,"), String(got[cut...]))
        XCTAssertTrue(leftovers(o.s).isEmpty)

        // Fixed (the tokens replaced), the rejects file imports as it is: line, code and message are ignored.
        try o.s.write("fixed.csv", got.replacingOccurrences(of: bad, with: o.p1))
        let again = o.at(RejectsTests.now, "--json", "orders", "import", o.s.path("fixed.csv"), "--rejects", o.s.path("r2.csv"))
        XCTAssertExit(again, 0)
        XCTAssertEqual(again.object["accepted"] as? Int, 5)
        XCTAssertEqual((again.object["rejected"] as? [[String: Any]])?.compactMap { $0["code"] as? String }, ["bad-value"])
        let stored = o.at(RejectsTests.now, "orders", "list", "--limit", "0", "--json").array.compactMap { $0["order_id"] as? String }
        XCTAssertEqual(Set(stored), Set((0..<8).map { "N\($0)" }))
        // The rejects file of a rejects file has the same columns, once each.
        let second = try String(contentsOfFile: o.s.path("r2.csv"), encoding: .utf8)
        XCTAssertTrue(second.hasPrefix(RejectsTests.record(header + ["line", "code", "message"])), second)
    }

    func testRejectsFileIsRefusedWhenItExistsIsTheStoreOrTheInputAndReplacedWithForce() throws {
        let o = try OrderShop()
        let bad = RejectsTests.forged(o.p1)
        let f = try o.feed("o.csv", ["X,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(bad),,,"])
        let input = o.s.bytes(f)
        let out = try o.s.write("r.csv", "keep me")
        let before = try o.s.dump()
        XCTAssertExit(o.at(RejectsTests.now, "--json", "orders", "import", f, "--rejects", out), 2, "file-exists")
        XCTAssertEqual(try String(contentsOfFile: out, encoding: .utf8), "keep me")
        for target in [o.s.db, o.s.db + "-wal", f, o.s.dir.path + "/./o.csv"] {
            for force in [false, true] {
                let r = o.at(RejectsTests.now, "--json", "orders", "import", f, "--rejects", target, force ? "--force" : "--strict")
                XCTAssertExit(r, 2, "file-exists")
            }
        }
        let link = o.s.path("link.csv")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: f)
        XCTAssertExit(o.at(RejectsTests.now, "--json", "orders", "import", f, "--rejects", link, "--force"), 2, "file-exists")
        XCTAssertEqual(o.s.bytes(f), input)
        XCTAssertEqual(try o.s.dump(), before)
        XCTAssertTrue(leftovers(o.s).isEmpty)

        let r = o.at(RejectsTests.now, "--json", "orders", "import", f, "--rejects", out, "--force")
        XCTAssertExit(r, 0)
        XCTAssertTrue(try String(contentsOfFile: out, encoding: .utf8).hasPrefix(OrderShop.header.dropLast() + ",line,code,message\r\n"))
        XCTAssertEqual(mode(out), 0o600)
        XCTAssertExit(o.at(RejectsTests.now, "--json", "orders", "import", f, "--rejects", ""), 2)
        XCTAssertExit(o.at(RejectsTests.now, "--json", "orders", "import", f, "--rejects", "-"), 2, "bad-argument")
        XCTAssertFalse(FileManager.default.fileExists(atPath: o.s.dir.path + "/-"))
    }

    func testNoRejectsFileAfterAFailedImportAndOneWithStrict() throws {
        let o = try OrderShop()
        let bad = RejectsTests.forged(o.p1)
        var rows = (0..<50).map { "X\($0),P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(bad),,," }
        rows.append("Y,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\"unterminated")
        let broken = try o.feed("broken.csv", rows)
        let out = o.s.path("r.csv")
        let before = try o.s.dump()
        XCTAssertExit(o.at(RejectsTests.now, "--json", "orders", "import", broken, "--rejects", out), 4, "bad-csv")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertTrue(leftovers(o.s).isEmpty)
        XCTAssertEqual(try o.s.dump(), before)

        // --strict: exit 1, nothing stored, and the rejects file written all the same.
        let f = try o.feed(
            "o.csv",
            [
                "A,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "X,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(bad),,,",
            ])
        let r = o.at(RejectsTests.now, "--json", "orders", "import", f, "--rejects", out, "--strict")
        XCTAssertExit(r, 1, "strict")
        XCTAssertEqual(r.object["accepted"] as? Int, 0)
        XCTAssertEqual((r.object["rejected"] as? [[String: Any]])?.count, 1)
        XCTAssertEqual(try o.s.dump(), before)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertEqual(text.components(separatedBy: "\r\n").count, 3, text)
        XCTAssertTrue(text.contains("\r\nX,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(bad),,,,3,invalid-token,"), text)
        XCTAssertEqual(mode(out), 0o600)
    }

    /// The spool is made in $TMPDIR when a row needs it: there it must be writable, elsewhere it is never touched.
    func testAnUnusableTemporaryFolderFailsOnlyTheImportsThatNeedIt() throws {
        let o = try OrderShop()
        let good = try o.feed("g.csv", ["A,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,"])
        let bad = try o.feed("b.csv", ["X,P00001,0,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,"])
        let env = ["SHOPCTL_NOW": RejectsTests.now, "TMPDIR": o.s.path("no-such-folder")]
        let before = try o.s.dump()
        XCTAssertExit(o.s.run(["--json", "orders", "import", bad], env: env), 5, "write-failed")
        XCTAssertExit(o.s.run(["--json", "orders", "import", bad, "--rejects", o.s.path("r.csv")], env: env), 5, "write-failed")
        XCTAssertFalse(FileManager.default.fileExists(atPath: o.s.path("r.csv")))
        XCTAssertEqual(try o.s.dump(), before)
        XCTAssertTrue(leftovers(o.s).isEmpty)
        XCTAssertExit(o.s.run(["orders", "import", bad], env: env), 0)  // people see the counts: nothing to spool
        XCTAssertExit(o.s.run(["--json", "orders", "import", good], env: env), 0)
    }

    func testMessagesInTheRunsLanguage() throws {
        let o = try OrderShop()
        let f = try o.feed("o.csv", ["X,P00001,0,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,"])
        let out = o.s.path("r.csv")
        let r = o.s.run(["orders", "import", f, "--rejects", out], env: ["SHOPCTL_NOW": RejectsTests.now, "SHOPCTL_LANG": "zh"])
        XCTAssertExit(r, 0)
        XCTAssertTrue(r.stdout.contains("被拒绝的行已写入 \(out)"), r.stdout)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(text.contains(",2,bad-value,列 quantity："), text)
        XCTAssertFalse(text.contains("第 2 行"), text)
    }

    func testJSONLinesOrdersTakeTheFeedsColumnsAndImportAgainAsCSV() throws {
        let o = try OrderShop()
        let bad = RejectsTests.forged(o.p1)
        let f = try o.s.write(
            "o.jsonl",
            """
            {"order_id":"J1","product_id":"P00001","quantity":1,"unit_price":"11.50","paid_at":"2026-09-10T20:00:00+08:00","status":"paid","share_token":"\(bad)","refunded":null,"note":"x, \\"y\\""}
            {"order_id":"J2","product_id":"P00001","quantity":2,"unit_price":11.5,"paid_at":"2026-09-10T20:00:00+08:00","status":"paid","share_token":"\(o.p1)"}
            [1,2]

            """)
        let out = o.s.path("r.csv")
        let r = o.at(RejectsTests.now, "--json", "orders", "import", f, "--rejects", out)
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 1)
        let cols = [
            "order_id", "product_id", "quantity", "unit_price", "paid_at", "status", "share_token", "status_at", "refunded",
            "self_purchase", "commission_rate",
        ]
        let text = try String(contentsOfFile: out, encoding: .utf8)
        let records = text.components(separatedBy: "\r\n")
        XCTAssertEqual(records[0] + "\r\n", RejectsTests.record(cols + ["line", "code", "message"]))
        XCTAssertTrue(records[1].hasPrefix("J1,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(bad),,,,,1,invalid-token,"), text)
        XCTAssertTrue(records[2].hasPrefix(",,,,,,,,,,,3,bad-value,"), text)
        try o.s.write("fixed.csv", text.replacingOccurrences(of: bad, with: o.p1))
        let again = o.at(RejectsTests.now, "--json", "orders", "import", o.s.path("fixed.csv"))
        XCTAssertExit(again, 0)
        XCTAssertEqual(again.object["accepted"] as? Int, 1)
        XCTAssertNotNil(o.at(RejectsTests.now, "--json", "orders", "show", "J1").object["order_id"])
    }

    // MARK: - catalog import

    func testCatalogRejectsFilesPerFeed() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        let sp = try s.write(
            "s.csv", Feeds.supplierHeader + Feeds.goodSupplier + "SP2,小作坊,999999.99,true,20000,1\nSP3,\"坏, \"\"值\"\"\",abc,true,1,1\n")
        let pp = try s.write(
            "p.csv",
            Feeds.productHeader + "P1,SP1,西湖龙井,西湖,食品保健,129.50,20%,100,on,,,,,,\"香, 醇\"\n"
                + "P2,SP2,山寨茶,某某,食品保健,10,10,5,on,,,,,,\n"
                + "P3,SP1,\"多行\n标题\",某某,食品保健,19.999,12,5,on,,,,,,\"说 \"\"好\"\"\"\n")
        let both = s.run("--json", "catalog", "import", "--suppliers", sp, "--products", pp, "--rejects", s.path("r.csv"))
        XCTAssertExit(both, 2, "bad-argument")
        XCTAssertExit(
            s.run("--json", "catalog", "import", "--products", pp, "--supplier-rejects", s.path("r.csv")), 2, "bad-argument")
        XCTAssertExit(
            s.run(
                "--json", "catalog", "import", "--suppliers", sp, "--products", pp, "--supplier-rejects", s.path("r.csv"),
                "--product-rejects", s.dir.path + "/./r.csv"), 2, "bad-argument")
        XCTAssertExit(s.run("--json", "catalog", "import", "--suppliers", sp, "--products", pp, "--product-rejects", sp), 2, "file-exists")
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.path("r.csv")))

        let r = s.run(
            "--json", "catalog", "import", "--suppliers", sp, "--products", pp, "--supplier-rejects", s.path("sr.csv"),
            "--product-rejects", s.path("pr.csv"))
        XCTAssertExit(r, 0)
        XCTAssertEqual(
            ((r.object["rejected"] as? [[String: Any]]) ?? []).map { "\($0["id"] ?? "-"):\($0["line"] ?? 0)" },
            ["SP2:3", "SP3:4", "P2:3", "P3:4"])
        let sr = try String(contentsOfFile: s.path("sr.csv"), encoding: .utf8)
        XCTAssertTrue(sr.hasPrefix(Feeds.supplierHeader.dropLast() + ",line,code,message\r\n"), sr)
        XCTAssertTrue(sr.contains("\r\nSP2,小作坊,999999.99,true,20000,1,3,supplier-admission,"), sr)
        XCTAssertTrue(sr.contains("\r\nSP3,\"坏, \"\"值\"\"\",abc,true,1,1,4,bad-value,"), sr)
        let pr = try String(contentsOfFile: s.path("pr.csv"), encoding: .utf8)
        XCTAssertTrue(pr.hasPrefix(Feeds.productHeader.dropLast() + ",line,code,message\r\n"), pr)
        XCTAssertTrue(pr.contains("\r\nP2,SP2,山寨茶,某某,食品保健,10,10,5,on,,,,,,,3,supplier-admission,"), pr)
        XCTAssertTrue(pr.contains("\r\nP3,SP1,\"多行\n标题\",某某,食品保健,19.999,12,5,on,,,,,,\"说 \"\"好\"\"\",4,bad-value,"), pr)
        XCTAssertEqual(mode(s.path("sr.csv")), 0o600)
        XCTAssertEqual(mode(s.path("pr.csv")), 0o600)

        // One feed: --rejects. Fixed, the product rejects import.
        try s.write("fixed.csv", pr.replacingOccurrences(of: "19.999", with: "19.99").replacingOccurrences(of: ",SP2,", with: ",SP1,"))
        let again = s.run("--json", "catalog", "import", "--products", s.path("fixed.csv"), "--rejects", s.path("r3.csv"))
        XCTAssertExit(again, 0)
        XCTAssertEqual(again.object["accepted"] as? Int, 2)
        XCTAssertEqual(
            try String(contentsOfFile: s.path("r3.csv"), encoding: .utf8),
            RejectsTests.record(
                Feeds.productHeader.dropLast().components(separatedBy: ",") + ["line", "code", "message"]))
        XCTAssertExit(
            s.run("--json", "catalog", "import", "--products", s.path("fixed.csv"), "--rejects", s.path("r3.csv")), 2, "file-exists")
    }

    func testCatalogJSONLinesProductsTakeTheFeedsColumns() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 1)
        let pp = try s.write(
            "p.jsonl",
            #"{"product_id":"PJ","supplier_id":"SP1","title":"标题, \"引\"","brand":"b","category":"食品保健","price":"1.999","commission_rate":5,"stock":1,"status":"on","extra":1}"#
                + "\n")
        let out = s.path("r.csv")
        XCTAssertExit(s.run("--json", "catalog", "import", "--products", pp, "--rejects", out), 0)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertEqual(
            text.components(separatedBy: "\r\n")[0],
            "product_id,supplier_id,title,brand,category,price,commission_rate,stock,status,market_commission_rate,"
                + "other_platform_price,tags,sale_start,sale_end,description,image,line,code,message")
        XCTAssertTrue(text.contains("\r\nPJ,SP1,\"标题, \"\"引\"\"\",b,食品保健,1.999,5,1,on,,,,,,,,1,bad-value,"), text)
    }
}
