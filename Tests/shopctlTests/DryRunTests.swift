import Codecs
import Foundation
import XCTest

/// `--dry-run` on every import (SPEC §7): it reports exactly what the real import then does —
/// the same `--json` apart from `"dry_run":true`, the same exit code and error — and stores
/// nothing: the store's `sqlite3 .dump` and the bytes of its file are unchanged by it.
final class DryRunTests: XCTestCase {
    static let now = HostileInputTests.now

    /// Copies of one store, each import and its dry run on a fresh one.
    final class Bench {
        let s: Sandbox
        let base: Data
        private var copies = 0

        init(_ s: Sandbox) throws {
            self.s = s
            _ = try s.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
            base = try XCTUnwrap(s.bytes())
        }

        func copy() throws -> String {
            copies += 1
            let db = s.path("dry-\(copies).db")
            try base.write(to: URL(fileURLWithPath: db))
            return db
        }

        func run(_ args: [String], db: String, language: String = "") -> Sandbox.Result {
            s.run(args, env: ["SHOPCTL_DB": db, "SHOPCTL_NOW": DryRunTests.now, "SHOPCTL_LANG": language])
        }

        /// The dry run of `args` on a fresh copy, then the real import on the same copy; every
        /// difference between them (and any change the dry run made) as a problem.
        @discardableResult
        func compare(_ args: [String], json: Bool = true) throws -> (problems: [String], dry: Sandbox.Result, real: Sandbox.Result) {
            let db = try copy()
            let flags = json ? ["--json"] : []
            let bytesBefore = s.bytes(db)
            let dumpBefore = try s.sqlite(".dump", db: db)
            let dry = run(args + flags + ["--dry-run"], db: db)
            var problems: [String] = []
            // The file as the dry run left it (no checkpoint in between), then its contents.
            if s.bytes(db) != bytesBefore { problems.append("the dry run changed the store's file") }
            if try s.sqlite(".dump", db: db) != dumpBefore { problems.append("the dry run changed the store's dump") }
            let real = run(args + flags, db: db)
            if dry.status != real.status { problems.append("exit \(dry.status) for the dry run, \(real.status) for the import") }
            if dry.errorCode != real.errorCode {
                problems.append("error \(dry.errorCode ?? "none") for the dry run, \(real.errorCode ?? "none") for the import")
            }
            if dry.stderr != real.stderr { problems.append("stderr differs: \(dry.stderr) / \(real.stderr)") }
            if json {
                let ran = !real.stdout.isEmpty
                if ran && dry.object["dry_run"] as? Bool != true { problems.append("no \"dry_run\":true in \(dry.stdout.prefix(200))") }
                if real.object["dry_run"] != nil { problems.append("the real import says dry_run") }
                var d = dry.object
                d["dry_run"] = nil
                if ran && NSDictionary(dictionary: d) != NSDictionary(dictionary: real.object) {
                    problems.append("JSON differs:\n\(dry.stdout.prefix(2000))\n---\n\(real.stdout.prefix(2000))")
                }
                // Byte for byte, too, but for that one line.
                if dry.stdout.replacingOccurrences(of: "  \"dry_run\": true,\n", with: "") != real.stdout {
                    problems.append("stdout differs beyond the dry_run line")
                }
            } else {
                let line = "\ndry run: nothing was stored (run the same command without --dry-run to import)"
                if real.status <= 1 && !dry.stdout.contains(line) { problems.append("no dry-run line in \(dry.stdout)") }
                if dry.stdout.replacingOccurrences(of: line, with: "") != real.stdout { problems.append("human output differs") }
            }
            return (problems, dry, real)
        }
    }

    /// Every file of the hostile corpus, through its import, with --json and (when rows are
    /// rejected) --strict: the dry run answers as the import, and stores nothing.
    func testEveryHostileFileDryRunsAsItImports() throws {
        let o = try OrderShop()
        let bench = try Bench(o.s)
        let tokens = try HostileInputTests.tokens(o)
        var checked = 0
        var outcomes: Set<Int32> = []
        for c in HostileInputTests.table {
            guard let feed = c.feed else { continue }
            var bytes = [UInt8](try Data(contentsOf: HostileInputTests.fixtures.appendingPathComponent(c.file)))
            for (placeholder, token) in tokens {
                bytes = HostileInputTests.Runner.replacing(Array(placeholder.utf8), with: Array(token.utf8), in: bytes)
            }
            let path = try o.s.write("input-\(c.file)", bytes: bytes)
            let args = feed.arguments(path) + c.arguments
            let plain = try bench.compare(args)
            for p in plain.problems { XCTFail("\(c.file): \(p)") }
            outcomes.insert(plain.real.status)
            if case .imported(_, let rejected) = c.outcome, !rejected.isEmpty {
                let strict = try bench.compare(args + ["--strict"])
                for p in strict.problems { XCTFail("\(c.file) --strict: \(p)") }
                XCTAssertExit(strict.dry, 1, "strict")
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 100)
        XCTAssertEqual(outcomes, [0, 4], "the corpus has files that import and files that cannot be read")
    }

    /// A catalog import that stores rows, rejects others, updates known products and turns
    /// suppliers down: the dry run reports it exactly, and only the real import stores it.
    func testAMixedCatalogImport() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 5)
        let bench = try Bench(s)
        let sp = try s.write("s.csv", Feeds.supplierHeader + Feeds.goodSupplier + "SP2,小作坊,999999.99,true,20000,1\n")
        let pp = try s.write(
            "p.csv",
            Feeds.productHeader + """
                P00001,SP1,改过的标题,品牌,食品保健,19.90,12,50,on,,,,,,
                P00002,SP1,商品2 标题,品牌2,食品保健,12.50,7,102,on,,,,,,
                P9001,SP1,新商品,新品牌,美妆个护,59.00,30,10,on,,,high-margin,,,
                P9002,SP2,山寨茶,某某,食品保健,10,10,5,on,,,,,,
                P9003,SP1,低佣商品,某某,食品保健,10,10,5,on,12,,,,,
                P9004,SP1,坏价格,某某,食品保健,10.001,10,5,on,,,,,,
                P9005,SP1,坏时间,某某,食品保健,10,10,5,on,,,,2026-11-01 00:00,yesterday,

                """)
        let args = ["catalog", "import", "--suppliers", sp, "--products", pp]
        for extra in [[], ["--strict"]] {
            for json in [true, false] {
                let r = try bench.compare(args + extra, json: json)
                for p in r.problems { XCTFail("\(extra) json \(json): \(p)") }
                XCTAssertExit(r.real, extra.isEmpty ? 0 : 1)
                if json && extra.isEmpty {
                    XCTAssertEqual(r.dry.object["accepted"] as? Int, 4, r.dry.stdout)
                    XCTAssertEqual((r.dry.object["rejected"] as? [[String: Any]])?.count, 5, r.dry.stdout)
                }
            }
        }
        // The same import for real does change the store (so the comparisons above mean something).
        let db = try bench.copy()
        let before = try s.sqlite(".dump", db: db)
        XCTAssertExit(bench.run(args, db: db), 0)
        XCTAssertNotEqual(try s.sqlite(".dump", db: db), before)
    }

    /// An orders import that stores new orders, moves known ones forward, rejects rows, and fixes
    /// the months that closed since the last command (SPEC §6): all of it rolled back by a dry run.
    func testAMixedOrdersImportWithMonthsToFix() throws {
        let o = try OrderShop()
        // September's orders, stored in September: October's level and September's facts are
        // still open, and the import on 21 November fixes them first.
        let september = try o.feed(
            "sep.csv",
            [
                "A,P00001,2,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "B,P00003,1,13.50,2026-09-11T20:00:00+08:00,paid,\(o.storefront),,,",
            ])
        XCTAssertExit(o.at("2026-09-12T10:00:00+08:00", "orders", "import", september), 0)
        let bench = try Bench(o.s)
        let f = try o.feed(
            "mixed.csv",
            [
                "A,P00001,2,11.50,2026-09-10T20:00:00+08:00,confirmed,\(o.p1),2026-09-20T10:00:00+08:00,,",
                "B,P00003,1,13.50,2026-09-11T20:00:00+08:00,paid,\(o.storefront),,,",
                "C,P00002,1,12.50,2026-11-10T20:00:00+08:00,paid,\(o.storefront),,,",
                "D,P00001,1,11.50,2026-11-11T20:00:00+08:00,shipped,\(o.p1),2026-11-12T20:00:00+08:00,,",
                "E,P00002,1,12.50,2026-11-10T20:00:00+08:00,paid,\(o.p1),,,",
                "F,P00001,1,11.50,2026-11-10 20:00,paid,\(o.p1),,,",
                "G,P00001,1,11.50,yesterday,paid,\(o.p1),,,",
                "A,P00001,2,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
            ])
        for extra in [[], ["--strict"]] {
            for json in [true, false] {
                let r = try bench.compare(["orders", "import", f] + extra, json: json)
                for p in r.problems { XCTFail("\(extra) json \(json): \(p)") }
                XCTAssertExit(r.real, extra.isEmpty ? 0 : 1)
            }
        }
        // The months due are fixed by the real import only.
        let db = try bench.copy()
        XCTAssertExit(bench.run(["orders", "import", f, "--dry-run"], db: db), 0)
        let months = "SELECT * FROM shop_months ORDER BY 1, 2"
        XCTAssertEqual(try o.s.sqlite(months, db: db), try o.s.sqlite(months))
        XCTAssertExit(bench.run(["orders", "import", f], db: db), 0)
        XCTAssertNotEqual(try o.s.sqlite(".dump", db: db), try o.s.dump())
    }

    func testFilesThatCannotBeReadExitAsTheImportDoes() throws {
        let o = try OrderShop()
        let bench = try Bench(o.s)
        let missing = try o.s.write("missing.csv", "order_id,product_id,quantity\nA,P00001,1\n")
        let gbkBroken = try o.s.write("broken.csv", bytes: Array("order_id,product_id\n".utf8) + [0x81, 0x20, 0x0A])
        let badMap = try o.s.write("bad-map.json", #"{"colunms":{}}"#)
        for args in [
            ["orders", "import", missing], ["orders", "import", gbkBroken], ["orders", "import", missing, "--map", badMap],
            ["catalog", "import", "--products", missing], ["orders", "import", o.s.path("nowhere.csv")],
        ] {
            let r = try bench.compare(args)
            for p in r.problems { XCTFail("\(args): \(p)") }
            XCTAssertNotEqual(r.real.status, 0, "\(args)")
            XCTAssertEqual(r.real.stdout, "")
        }
    }

    /// A dry run never creates a store (exit 5 `no-store`, no file made) and never upgrades one
    /// (exit 5 `store-outdated`, not a byte changed); the real import does both.
    func testADryRunNeverCreatesOrUpgradesAStore() throws {
        let s = try Sandbox()
        let products = try s.write("p.csv", Feeds.products(2))
        let suppliers = try s.write("s.csv", Feeds.supplierHeader + Feeds.goodSupplier)
        let fresh = s.path("fresh/shop.db")
        try FileManager.default.createDirectory(atPath: s.path("fresh"), withIntermediateDirectories: false)
        let r = s.run(
            ["catalog", "import", "--suppliers", suppliers, "--products", products, "--dry-run", "--json"], env: ["SHOPCTL_DB": fresh])
        XCTAssertExit(r, 5, "no-store")
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: s.path("fresh")), [])
        let orders = try s.write("o.csv", OrderShop.header + "A,P00001,1,10.50,2026-11-01T10:00:00+08:00,paid,x,,,\n")
        XCTAssertExit(s.run(["orders", "import", orders, "--dry-run", "--json"], env: ["SHOPCTL_DB": fresh]), 5, "no-store")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: s.path("fresh")), [])

        let fixtures = HostileInputTests.fixtures.deletingLastPathComponent().appendingPathComponent("stores")
        let old = s.path("v4.db")
        try FileManager.default.copyItem(atPath: fixtures.appendingPathComponent("v4.db").path, toPath: old)
        let before = s.bytes(old)
        let dry = s.run(
            ["catalog", "import", "--suppliers", suppliers, "--products", products, "--dry-run", "--json"], env: ["SHOPCTL_DB": old])
        XCTAssertExit(dry, 5, "store-outdated")
        XCTAssertTrue(dry.errorMessage?.contains("a dry run does not upgrade it: run shopctl upgrade first") ?? false, dry.stderr)
        XCTAssertEqual(s.bytes(old), before)
        XCTAssertExit(s.run(["orders", "import", orders, "--dry-run"], env: ["SHOPCTL_DB": old]), 5)
        XCTAssertEqual(s.bytes(old), before)
        XCTAssertExit(s.run(["catalog", "import", "--suppliers", suppliers, "--products", products], env: ["SHOPCTL_DB": old]), 0)
        XCTAssertNotEqual(s.bytes(old), before)
    }

    /// The rejects file is a report, not the store: a dry run writes it, as the import would.
    func testADryRunWritesTheRejectsFile() throws {
        let o = try OrderShop()
        let bench = try Bench(o.s)
        let f = try o.feed(
            "o.csv",
            ["A,P00001,1,11.50,2026-11-10T20:00:00+08:00,paid,\(o.p1),,,", "B,P00001,0,11.50,2026-11-10T20:00:00+08:00,paid,\(o.p1),,,"])
        let db = try bench.copy()
        let before = try o.s.sqlite(".dump", db: db)
        XCTAssertExit(bench.run(["orders", "import", f, "--dry-run", "--rejects", o.s.path("dry.csv")], db: db), 0)
        XCTAssertEqual(try o.s.sqlite(".dump", db: db), before)
        // An existing rejects file is refused as by the import.
        XCTAssertExit(
            bench.run(["orders", "import", f, "--dry-run", "--rejects", o.s.path("dry.csv"), "--json"], db: db), 2, "file-exists")
        XCTAssertExit(bench.run(["orders", "import", f, "--rejects", o.s.path("real.csv")], db: db), 0)
        let dry = try XCTUnwrap(o.s.bytes(o.s.path("dry.csv")))
        XCTAssertEqual(dry, o.s.bytes(o.s.path("real.csv")))
        XCTAssertTrue(String(decoding: dry, as: UTF8.self).contains("B,P00001,0,"))
        let mode = try FileManager.default.attributesOfItem(atPath: o.s.path("dry.csv"))[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    /// A shop's own export: the storefront link the import would make is rolled back with the rest.
    func testADryRunMakesNoStorefrontLink() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 3)
        let bench = try Bench(s)
        let map = try s.write("shop.json", #"{"attribution":"shop"}"#)
        let f = try s.write(
            "own.csv", "order_id,product_id,quantity,unit_price,paid_at,status\nA,P00001,1,11.50,2026-11-10 20:00,paid\n")
        let r = try bench.compare(["orders", "import", f, "--map", map])
        for p in r.problems { XCTFail(p) }
        XCTAssertEqual(r.dry.object["accepted"] as? Int, 1, r.dry.stdout + r.dry.stderr)
        let db = try bench.copy()
        XCTAssertExit(bench.run(["orders", "import", f, "--map", map, "--dry-run"], db: db), 0)
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM shares", db: db), "0")
    }

    func testHelpNamesTheOption() {
        let s = try! Sandbox()
        for cmd in [["orders", "import"], ["catalog", "import"]] {
            let r = s.run(cmd + ["--help"])
            XCTAssertExit(r, 0)
            XCTAssertTrue(r.stdout.contains("--dry-run"), r.stdout)
        }
    }
    // MARK: - Store identity (SPEC §2), for the dry runs

    /// name → SHA-256 of every file in the sandbox folder (the harness's own files aside).
    private func snapshot(_ s: Sandbox) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: s.dir.path)
        where !name.hasPrefix("stdout-") && !name.hasPrefix("stderr-") {
            let bytes = FileManager.default.contents(atPath: s.path(name)).map { Array($0) } ?? []
            var st = stat()
            _ = lstat(s.path(name), &st)
            out[name] = String(st.st_mode & 0o7777, radix: 8) + " " + SHA256.hash(bytes).map { String(format: "%02x", $0) }.joined()
        }
        return out
    }

    /// Files that are not stores, and a newer store with a pending `-wal`: a dry run refuses
    /// them as the import does, not a byte changed, no file made.
    func testADryRunRefusesWhatTheImportRefusesUntouched() throws {
        let s = try Sandbox()
        let orders = try s.write("o.csv", OrderShop.header + "A,P00001,1,10.50,2026-11-01T10:00:00+08:00,paid,x,,,\n")
        let products = try s.write("p.csv", Feeds.products(2))
        let map = try s.write("shop.json", Self.shopMapJSON)
        try s.write("text.db", String(repeating: "just a text file\n", count: 10))
        _ = try s.sqlite("PRAGMA application_id = 42; CREATE TABLE t(x); PRAGMA user_version = 6;", db: s.path("app.db"))
        _ = try s.sqlite("PRAGMA journal_mode = WAL; CREATE TABLE t(x);", db: s.path("wal.db"))
        try crashedWriter(s.path("wal.db"), "INSERT INTO t VALUES (1); PRAGMA user_version = 2")
        XCTAssertExit(s.run("init", "--platform", "beidian", "--db", s.path("newer.db")), 0)
        try crashedWriter(s.path("newer.db"), "INSERT INTO meta VALUES ('future', 1); PRAGMA user_version = 99")
        let before = try snapshot(s)
        XCTAssertNotNil(before["newer.db-wal"])
        let imports = [
            ["orders", "import", orders, "--dry-run"], ["orders", "import", orders, "--dry-run", "--map", map],
            ["catalog", "import", "--products", products, "--dry-run"],
        ]
        var tried = 0
        for (name, code) in [("text.db", "not-a-store"), ("app.db", "not-a-store"), ("wal.db", "not-a-store"), ("newer.db", "store-newer")]
        {
            for args in imports {
                XCTAssertExit(s.run(["--db", s.path(name), "--json"] + args), 5, code)
                tried += 1
            }
        }
        XCTAssertEqual(tried, 12)
        XCTAssertEqual(try snapshot(s), before, "not a byte changed, no file made or removed")
    }

    /// A store of ours whose last writer crashed before a checkpoint: the dry run reads what it
    /// committed (it reports as the import), and leaves the store's file and its `-wal` as they were.
    func testADryRunOverAPendingWALChangesNeitherFile() throws {
        let o = try OrderShop()
        let f = try o.feed("o.csv", ["A,P00001,1,11.50,2026-11-10T20:00:00+08:00,shipped,\(o.p1),2026-11-11T20:00:00+08:00,,"])
        _ = try o.s.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        // A committed change left in the -wal: product P00001 renamed.
        try crashedWriter(o.s.db, "UPDATE products SET title = '改名了' WHERE product_id = 'P00001'")
        let wal = o.s.db + "-wal"
        let walBefore = try XCTUnwrap(o.s.bytes(wal))
        XCTAssertGreaterThan(walBefore.count, 0)
        let main = o.s.bytes()
        let dry = o.at(Self.now, "orders", "import", f, "--dry-run", "--json")
        XCTAssertExit(dry, 0)
        XCTAssertEqual(dry.object["accepted"] as? Int, 1, dry.stdout + dry.stderr)
        XCTAssertEqual(o.s.bytes(), main, "not checkpointed")
        XCTAssertEqual(o.s.bytes(wal)?.prefix(walBefore.count), walBefore, "the committed frames stay as they were")
        XCTAssertTrue(try o.s.sqlite("SELECT title FROM products WHERE product_id = 'P00001'").contains("改名了"))
        XCTAssertEqual(try o.s.sqlite("SELECT count(*) FROM orders"), "0")
        let real = o.at(Self.now, "orders", "import", f, "--json")
        XCTAssertExit(real, 0)
        XCTAssertEqual(real.stdout, dry.stdout.replacingOccurrences(of: "  \"dry_run\": true,\n", with: ""))
        XCTAssertEqual(try o.s.sqlite("SELECT count(*) FROM orders"), "1")
    }

    static let shopMapJSON = #"{"attribution":"shop"}"#
}
