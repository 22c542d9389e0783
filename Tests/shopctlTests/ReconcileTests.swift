import Foundation
import XCTest

/// `shopctl reconcile` end to end (SPEC §8): exit codes, `--json` read back, `--csv`, a GBK
/// statement with Chinese headers, the four kinds planted and found with the exact fen, and a
/// store that is never changed.
final class ReconcileTests: XCTestCase {
    static let now = "2026-11-21T09:30:00+08:00"

    /// A shop whose September (¥5,750) makes October 资深掌柜 (5 % bonus), with October and
    /// November orders: shipped, confirmed, partly refunded, refunded, paid.
    static func shop() throws -> OrderShop {
        let o = try OrderShop()
        let t = o.storefront
        // September's order arrives before September closes (8 October): it fixes October's level.
        let september = try o.feed(
            "september.csv", ["S1,P00001,500,11.50,2026-09-10T20:00:00+08:00,confirmed,\(t),2026-09-15T10:00:00+08:00,,"])
        XCTAssertExit(o.at("2026-09-20T10:00:00+08:00", "orders", "import", september, "--strict"), 0)
        let f = try o.feed(
            "orders.csv",
            [
                "O1,P00001,10,11.50,2026-10-05T20:00:00+08:00,shipped,\(t),2026-10-06T10:00:00+08:00,,",
                "O2,P00002,4,12.50,2026-10-06T20:00:00+08:00,confirmed,\(t),2026-10-10T10:00:00+08:00,,",
                "O3,P00001,20,11.50,2026-10-07T20:00:00+08:00,shipped,\(t),2026-10-08T10:00:00+08:00,50,",
                "O4,P00002,2,12.50,2026-10-08T20:00:00+08:00,refunded,\(t),2026-10-09T10:00:00+08:00,,",
                "O5,P00001,3,11.50,2026-11-02T20:00:00+08:00,paid,\(t),,,",
            ])
        XCTAssertExit(o.at(now, "orders", "import", f, "--strict"), 0)
        return o
    }

    /// The store's own figures as a statement: `order_id,commission,status`.
    static func statement(_ o: OrderShop, drop: Set<String> = [], change: [String: String] = [:], state: [String: String] = [:])
        -> [String]
    {
        var lines = ["order_id,commission,status"]
        for x in o.at(now, "orders", "list", "--limit", "0", "--json").array {
            let id = x["order_id"] as! String
            if drop.contains(id) { continue }
            let fen = (x["commission_fen"] as! Int) + (x["bonus_fen"] as! Int)
            let status = x["status"] as! String
            let word = ["paid": "pending", "shipped": "pending", "confirmed": "settled", "refunded": "invalid"][status]!
            lines.append("\(id),\(change[id] ?? String(format: "%d.%02d", fen / 100, fen % 100)),\(state[id] ?? word)")
        }
        return lines
    }

    func testTheShopsFigures() throws {
        let o = try Self.shop()
        var figures: [String: [Int]] = [:]
        for x in o.at(Self.now, "orders", "list", "--limit", "0", "--json").array {
            figures[x["order_id"] as! String] = [x["commission_fen"] as! Int, x["bonus_fen"] as! Int]
        }
        // O1 11500 × 6 % = 690, bonus 5 % = 35 (34.5 up); O2 5000 × 7 % = 350 + 18; O3 (23000 − 5000) × 6 % = 1080 + 54.
        XCTAssertEqual(figures["O1"], [690, 35])
        XCTAssertEqual(figures["O2"], [350, 18])
        XCTAssertEqual(figures["O3"], [1080, 54])
        XCTAssertEqual(figures["O4"], [0, 0])
        XCTAssertEqual(figures["O5"], [207, 0])
    }

    func testAStatementMadeFromTheStoreMatchesAndChangesNothing() throws {
        let o = try Self.shop()
        let file = try o.s.write("statement.csv", Self.statement(o).joined(separator: "\n") + "\n")
        let before = try o.s.dump()
        let bytes = o.s.bytes()
        let files = try FileManager.default.contentsOfDirectory(atPath: o.s.dir.path).filter { !$0.hasPrefix("std") }.sorted()
        let r = o.at(Self.now, "reconcile", file, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(Set(r.object.keys), ["matched", "ours_fen", "theirs_fen", "differences"])
        XCTAssertEqual(r.object["matched"] as? Int, 6)
        XCTAssertEqual(r.object["ours_fen"] as? Int, r.object["theirs_fen"] as? Int)
        XCTAssertEqual(r.object["ours_fen"] as? Int, 34_500 + 725 + 368 + 1_134 + 0 + 207)  // S1: 575000 × 6 %, no bonus in September
        XCTAssertEqual((r.object["differences"] as? [Any])?.count, 0)
        XCTAssertEqual(r.stderr, "")
        let human = o.at(Self.now, "reconcile", file)
        XCTAssertExit(human, 0)
        XCTAssertTrue(human.stdout.contains("All 6 order(s) match"), human.stdout)
        let zh = o.s.run(["reconcile", file], env: ["SHOPCTL_NOW": Self.now, "SHOPCTL_LANG": "zh_CN"])
        XCTAssertTrue(zh.stdout.contains("全部 6 个订单一致"), zh.stdout)
        XCTAssertExit(o.at(Self.now, "reconcile", file, "--period", "2026-10"), 0)
        XCTAssertExit(o.at(Self.now, "reconcile", file, "--period", "2026"), 0)
        XCTAssertExit(o.at(Self.now, "reconcile", file, "--csv"), 0)
        XCTAssertEqual(o.at(Self.now, "reconcile", file, "--csv").stdout, "")
        // Never a byte of the store changed, no file left beside it.
        XCTAssertEqual(try o.s.dump(), before)
        XCTAssertEqual(o.s.bytes(), bytes)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: o.s.dir.path).filter { !$0.hasPrefix("std") }.sorted(), files)
    }

    func testTheFourKindsPlantedAreFoundWithTheExactFen() throws {
        let o = try Self.shop()
        // O1: the bonus left out (6.90 instead of 7.25); O2: missing; O3: settled on the statement, shipped in
        // the store; ZZ9: an order the store does not have.
        var lines = Self.statement(o, drop: ["O2"], change: ["O1": "6.90"], state: ["O3": "settled"])
        lines.append("ZZ9,3.00,pending")
        let file = try o.s.write("statement.csv", lines.joined(separator: "\n") + "\n")
        let before = try o.s.dump()
        let r = o.at(Self.now, "--json", "reconcile", file, "--period", "2026-10")
        XCTAssertExit(r, 1)
        XCTAssertEqual(r.errorCode, "differences")
        let differences = try XCTUnwrap(r.object["differences"] as? [[String: Any]])
        XCTAssertEqual(differences.count, 4)
        var found: [String: [String: Any]] = [:]
        for d in differences {
            XCTAssertEqual(Set(d.keys), ["order_id", "code", "ours_fen", "theirs_fen", "diff_fen", "message"])
            found[d["order_id"] as! String] = d
        }
        func figures(_ id: String) -> [String] {
            let d = found[id] ?? [:]
            return ["\(d["code"] ?? "")", "\(d["ours_fen"] ?? "")", "\(d["theirs_fen"] ?? "")", "\(d["diff_fen"] ?? "")"]
        }
        XCTAssertEqual(figures("O1"), ["amount", "725", "690", "-35"])
        XCTAssertEqual(figures("O2"), ["missing-order", "368", "0", "-368"])
        XCTAssertEqual(figures("O3"), ["state", "1134", "1134", "0"])
        XCTAssertEqual(figures("ZZ9"), ["unknown-order", "0", "300", "300"])
        XCTAssertTrue((found["O1"]?["message"] as? String ?? "").hasPrefix("level bonus left out"), "\(found["O1"] ?? [:])")
        XCTAssertEqual(differences.map { $0["order_id"] as! String }, ["O1", "O2", "O3", "ZZ9"])
        // Matched: S1, O4, O5 (O4 refunded, invalid on both sides). Totals over what was compared.
        XCTAssertEqual(r.object["matched"] as? Int, 3)
        let ours = r.object["ours_fen"] as! Int
        let theirs = r.object["theirs_fen"] as! Int
        XCTAssertEqual(theirs - ours, -35 - 368 + 300)

        // Without --period nothing is missing.
        let noPeriod = o.at(Self.now, "--json", "reconcile", file)
        XCTAssertExit(noPeriod, 1)
        XCTAssertEqual(
            (noPeriod.object["differences"] as? [[String: Any]])?.map { $0["code"] as! String }, ["amount", "state", "unknown-order"])

        // The human form: the table, the counts, the totals, the verdict; the error on stderr.
        let h = o.at(Self.now, "reconcile", file, "--period", "2026-10")
        XCTAssertExit(h, 1)
        for part in [
            "O1", "missing-order", "unknown-order", "by kind: unknown-order 1, missing-order 1, amount 1, state 1", "-¥1.03",
            "4 difference(s), 3 order(s) match",
        ] {
            XCTAssertTrue(h.stdout.contains(part), "\(part) in \(h.stdout)")
        }
        XCTAssertTrue(h.stderr.contains("[differences]"), h.stderr)

        // --csv: each _fen followed by _yuan, one row per difference, exit 1 still.
        let c = o.at(Self.now, "reconcile", file, "--period", "2026-10", "--csv")
        XCTAssertExit(c, 1)
        let rows = c.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.first, "order_id,code,ours_fen,ours_yuan,theirs_fen,theirs_yuan,diff_fen,diff_yuan,message")
        XCTAssertEqual(rows.count, 5)
        XCTAssertTrue(rows[1].hasPrefix("O1,amount,725,7.25,690,6.90,-35,-0.35,"), rows[1])
        XCTAssertTrue(rows[4].hasPrefix("ZZ9,unknown-order,0,0.00,300,3.00,300,3.00,"), rows[4])
        let excel = o.at(Self.now, "reconcile", file, "--period", "2026-10", "--excel")
        XCTAssertTrue(excel.stdout.hasPrefix("\u{FEFF}order_id,"), excel.stdout)
        XCTAssertTrue(excel.stdout.contains("\r\n\"=\"\"O1\"\"\",amount,"), excel.stdout)
        XCTAssertEqual(try o.s.dump(), before)
    }

    func testExplanationsReachTheMessage() throws {
        let o = try Self.shop()
        // O3 before its ¥50 refund: 23000 × 6 % = 1380 + 69 = 14.49; O2 at 8 %: 400 + 20 = 4.20.
        let file = try o.s.write(
            "s.csv", Self.statement(o, change: ["O3": "14.49", "O2": "4.20", "O5": "2.0700"]).joined(separator: "\n") + "\n")
        let r = o.at(Self.now, "--json", "reconcile", file)
        XCTAssertExit(r, 1)
        let d = (r.object["differences"] as? [[String: Any]]) ?? []
        XCTAssertEqual(d.map { $0["order_id"] as! String }, ["O2", "O3"])
        XCTAssertTrue((d.first?["message"] as? String ?? "").contains("at 8%"), "\(d)")
        XCTAssertTrue((d.last?["message"] as? String ?? "").hasPrefix("refund not reflected"), "\(d)")
        XCTAssertEqual(d.map { $0["diff_fen"] as! Int }, [420 - 368, 1449 - 1134])
    }

    func testAGBKStatementWithChineseHeaders() throws {
        let o = try Self.shop()
        var text = "订单编号,订单状态,预估收入,结算时间\n"
        for x in o.at(Self.now, "orders", "list", "--limit", "0", "--json").array {
            let fen = (x["commission_fen"] as! Int) + (x["bonus_fen"] as! Int)
            let status = ["paid": "订单付款", "shipped": "订单付款", "confirmed": "订单结算", "refunded": "订单失效"][x["status"] as! String]!
            let settled = status == "订单结算" ? "2026-11-20 10:00:00" : ""
            text += "\(x["order_id"] as! String),\(status),￥\(String(format: "%d.%02d", fen / 100, fen % 100)),\(settled)\n"
        }
        let gbk = try o.s.write("淘宝联盟.csv", bytes: try pythonEncoded(text, "gbk"))
        XCTAssertNil(String(data: o.s.bytes(gbk)!, encoding: .utf8), "the file is not UTF-8")
        let r = o.at(Self.now, "--json", "reconcile", gbk)
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["matched"] as? Int, 6)
        XCTAssertExit(o.at(Self.now, "reconcile", gbk, "--encoding", "gb18030"), 0)
        // The same planted: O1 settled on the statement → one state difference.
        let planted = text.replacingOccurrences(of: "O1,订单付款", with: "O1,订单结算")
        let gbk2 = try o.s.write("淘宝联盟2.csv", bytes: try pythonEncoded(planted, "gbk"))
        let r2 = o.at(Self.now, "--json", "reconcile", gbk2)
        XCTAssertExit(r2, 1)
        XCTAssertEqual((r2.object["differences"] as? [[String: Any]])?.map { $0["code"] as! String }, ["state"])
    }

    /// A statement saved by Excel as `.xlsx` (ids as text, the figures as numbers, a second sheet
    /// chosen with `--sheet`) reads as its CSV: the same matches and the same planted difference.
    func testAStatementInAWorkbook() throws {
        let o = try Self.shop()
        let lines = Self.statement(o, change: ["O2": "3.50"])
        let csv = try o.s.write("statement.csv", lines.joined(separator: "\n") + "\n")
        let xlsx = o.s.path("statement.xlsx")
        let script = XLSXImportTests.script
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, "from-csv", csv, xlsx, "--dates", "", "--text", "order_id"]
        do { try p.run() } catch { throw XCTSkip("python3 is not installed") }
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        let fromCSV = o.at(Self.now, "--json", "reconcile", csv)
        let fromWorkbook = o.at(Self.now, "--json", "reconcile", xlsx)
        XCTAssertExit(fromWorkbook, 1)
        XCTAssertEqual(fromWorkbook.stdout, fromCSV.stdout)
        let d = fromWorkbook.object["differences"] as? [[String: Any]]
        XCTAssertEqual(d?.map { $0["order_id"] as! String }, ["O2"])
        XCTAssertEqual(d?.first?["diff_fen"] as? Int, 350 - 368)
        XCTAssertEqual(fromWorkbook.object["matched"] as? Int, 5)
        // --sheet names a sheet the workbook does not have: exit 2, the store untouched.
        let before = try o.s.dump()
        let wrong = o.at(Self.now, "--json", "reconcile", xlsx, "--sheet", "没有这个表")
        XCTAssertExit(wrong, 2)
        XCTAssertEqual(wrong.errorCode, "unknown-sheet")
        XCTAssertEqual(try o.s.dump(), before)
    }

    func testAMapAndJSONLines() throws {
        let o = try Self.shop()
        var jsonl = ""
        for line in Self.statement(o).dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            jsonl += #"{"Order":"\#(f[0])","Net":"\#(f[1])"}"# + "\n"
        }
        let file = try o.s.write("s.jsonl", jsonl)
        let map = try o.s.write("m.json", #"{"columns":{"Order":"order_id","Net":"commission"}}"#)
        // A JSON Lines statement needs its keys as they are named: the map renames only CSV headers.
        XCTAssertExit(o.at(Self.now, "reconcile", file, "--map", map), 4)
        let csv = try o.s.write(
            "s.csv",
            "Order,Net\n"
                + Self.statement(o).dropFirst().map { $0.split(separator: ",").prefix(2).joined(separator: ",") }.joined(separator: "\n")
                + "\n")
        XCTAssertExit(o.at(Self.now, "reconcile", csv, "--map", map), 0)
        let plain = try o.s.write(
            "p.jsonl",
            Self.statement(o).dropFirst().map { l -> String in
                let f = l.split(separator: ",").map(String.init)
                return #"{"order_id":"\#(f[0])","commission":\#(f[1]),"status":"\#(f[2])"}"#
            }.joined(separator: "\n") + "\n")
        XCTAssertExit(o.at(Self.now, "reconcile", plain), 0)
        XCTAssertExit(o.at(Self.now, "reconcile", "-", "--format", "csv"), 4)  // empty stdin: no header
        let bad = try o.s.write("bad.json", #"{"columns":{"Order":"quantity"}}"#)
        XCTAssertExit(o.at(Self.now, "reconcile", csv, "--map", bad), 2)
    }

    func testNoStoreIsExitFiveAndCreatesNothing() throws {
        let s = try Sandbox()
        let file = try s.write("s.csv", "order_id,commission\nA,1.00\n")
        let r = s.run("--json", "reconcile", file)
        XCTAssertExit(r, 5)
        XCTAssertEqual(r.errorCode, "no-store")
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db))
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db + "-lock"))
    }

    func testABadFileIsExitFourWithLineAndColumn() throws {
        let o = try Self.shop()
        let before = try o.s.dump()
        let cases: [(String, String, String)] = [
            ("order_id,commission\nO1,7.25\nO2,3.6.8\n", "bad-value", "line 3"),
            ("order_id,commission\nO1,7.25\nO2,1.2345678\n", "bad-value", "column commission"),
            ("order_id,commission\nO1,7.25\n,3.68\n", "bad-value", "column order_id"),
            ("order_id,commission,status\nO1,7.25,maybe\n", "bad-value", "column status"),
            ("order_id,commission\nO1,7.25,9\n", "field-count", "line 2"),
            ("order_id,amount\nO1,7.25\n", "missing-column", "commission"),
            ("order_id,commission\nO1,\"7.25\n", "bad-csv", "line 2"),
            ("", "bad-csv", "empty"),
        ]
        for i in cases.indices {
            let (text, code, part) = cases[i]
            let file = try o.s.write("bad\(i).csv", text)
            let r = o.at(Self.now, "--json", "reconcile", file)
            XCTAssertExit(r, 4, code)
            XCTAssertTrue((r.errorMessage ?? "").contains(part), "\(text): \(r.errorMessage ?? "")")
            XCTAssertEqual(r.stdout, "", text)
        }
        let binary = try o.s.write("bin.csv", bytes: [0x6F, 0x72, 0x64, 0xFF, 0xFE, 0x00, 0x81, 0x0A])
        XCTAssertExit(o.at(Self.now, "reconcile", binary), 4)
        XCTAssertExit(o.at(Self.now, "reconcile", o.s.path("nope.csv")), 3)
        XCTAssertExit(o.at(Self.now, "reconcile", "statement.txt"), 2)
        XCTAssertExit(o.at(Self.now, "reconcile", try o.s.write("s.csv", "order_id,commission\n"), "--period", "2026-13"), 2)
        XCTAssertEqual(try o.s.dump(), before)
    }

    func testAStoreOfAnotherVersionIsNotTouched() throws {
        let s = try Sandbox()
        let file = try s.write("s.csv", "order_id,commission\nA,1.00\n")
        XCTAssertEqual(try s.sqlite("CREATE TABLE t(x); PRAGMA user_version = 99;"), "")
        let bytes = s.bytes()
        let r = s.run("--json", "reconcile", file)
        XCTAssertExit(r, 5)
        XCTAssertEqual(s.bytes(), bytes)
    }

    /// The demo ends with a reconcile of a statement it wrote (淘宝联盟 headers) with two planted differences.
    func testTheDemoEndsWithAReconcileOfTwoPlantedDifferences() throws {
        let s = try Sandbox()
        let db = s.path("demo.db")
        let r = s.run("demo", "--db", db, "--json")
        XCTAssertExit(r, 0)
        let steps = try XCTUnwrap(r.object["steps"] as? [[String: Any]])
        let last = try XCTUnwrap(steps.last)
        XCTAssertTrue((last["command"] as? String ?? "").hasPrefix("shopctl reconcile "), "\(last["command"] ?? "")")
        let result = try XCTUnwrap(last["result"] as? [String: Any])
        let differences = try XCTUnwrap(result["differences"] as? [[String: Any]])
        XCTAssertEqual(differences.count, 2)
        XCTAssertEqual(Set(differences.map { $0["code"] as! String }).count, 2)
        let folder = try XCTUnwrap(r.object["folder"] as? String)
        let statement = try String(contentsOfFile: folder + "/statement-last-month.csv", encoding: .utf8)
        XCTAssertTrue(statement.hasPrefix("订单编号,订单状态,预估收入\n"), statement)
        // The statement, reconciled again by hand, gives the same two.
        let again = s.run("--db", db, "--json", "reconcile", folder + "/statement-last-month.csv", "--period", "last-month")
        XCTAssertExit(again, 1, "differences")
        XCTAssertEqual((again.object["differences"] as? [[String: Any]])?.count, 2)
        let human = s.run("demo", "--db", s.path("demo2.db"))
        XCTAssertExit(human, 0)
        XCTAssertTrue(human.stdout.contains("Two planted differences"), human.stdout)
    }

    /// Every file of the hostile corpus as a statement — as it is (its own columns: mostly
    /// `missing-column`), and with a map reading its price column as the commission and its
    /// status words — never crashes, exits 0, 1, 2, 3 or 4, and leaves the store as it was.
    func testTheHostileCorpusAsStatements() throws {
        let o = try Self.shop()
        let dir = HostileInputTests.fixtures
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "README.md" }.sorted()
        XCTAssertGreaterThan(files.count, 100)
        let map = try o.s.write(
            "hostile-map.json", #"{"columns":{"unit_price":"commission","price":"commission","product_id":"order_id"}}"#)
        let before = try o.s.dump()
        var tried = 0
        var outcomes: [Int32: Int] = [:]
        for f in files {
            for extra in [[], ["--map", map], ["--period", "2026"]] {
                let r = o.s.run(["--json", "reconcile", dir.appendingPathComponent(f).path] + extra, env: ["SHOPCTL_NOW": Self.now])
                XCTAssertTrue([0, 1, 2, 3, 4].contains(r.status), "\(f) \(extra): \(r.status) \(r.stderr)")
                if r.status != 0 && r.status != 1 { XCTAssertNotNil(r.errorCode, "\(f): \(r.stderr)") }
                if r.status == 0 || r.status == 1 { XCTAssertNotNil(r.object["matched"], f) }
                outcomes[r.status, default: 0] += 1
                tried += 1
            }
        }
        XCTAssertEqual(tried, files.count * 3)
        XCTAssertGreaterThan(outcomes[1] ?? 0, 0, "\(outcomes)")
        XCTAssertGreaterThan(outcomes[4] ?? 0, 0, "\(outcomes)")
        XCTAssertEqual(try o.s.dump(), before)
    }

    /// The spool of differences cannot be written (no temporary folder): exit 5 `write-failed`,
    /// and not half a document on stdout.
    func testASpoolThatCannotBeWrittenPrintsNothing() throws {
        let o = try Self.shop()
        let file = try o.s.write("big.csv", "order_id,commission\n" + (0..<20_000).map { "Z\($0),1.00\n" }.joined())
        let r = o.s.run(["--json", "reconcile", file], env: ["SHOPCTL_NOW": Self.now, "TMPDIR": o.s.path("no-such-folder")])
        XCTAssertExit(r, 5, "write-failed")
        XCTAssertEqual(r.stdout, "")
        let ok = o.s.run(["--json", "reconcile", file], env: ["SHOPCTL_NOW": Self.now])
        XCTAssertExit(ok, 1, "differences")
        XCTAssertEqual((ok.object["differences"] as? [Any])?.count, 20_000)
    }

    /// A store made by an earlier shopctl is refused (`store-outdated`), never upgraded.
    func testAnOlderStoreIsNotUpgraded() throws {
        let s = try Sandbox()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/stores/v7.db")
        try FileManager.default.copyItem(atPath: fixture.path, toPath: s.db)
        let bytes = s.bytes()
        let file = try s.write("s.csv", "order_id,commission\nA,1.00\n")
        let r = s.run("--json", "reconcile", file)
        XCTAssertExit(r, 5, "store-outdated")
        XCTAssertEqual(s.bytes(), bytes)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db + "-wal"))
    }
}
