import Foundation
import XCTest

final class OpenShopEndToEndTests: XCTestCase {
    let open = ["open-shop", "--member", "m1", "--name", "小美好物", "--credit-score", "720", "--verified", "--json"]

    func testOpenShopPrintsTheContractObject() throws {
        let s = try Sandbox()
        let r = s.run(open)
        XCTAssertExit(r, 0)
        let o = r.object
        XCTAssertEqual(o["shop_id"] as? String, "S000001")
        XCTAssertEqual(o["member_id"] as? String, "m1")
        XCTAssertEqual(o["name"] as? String, "小美好物")
        XCTAssertTrue((o["display_name"] as? String)?.hasSuffix("淘小铺") ?? false)
        XCTAssertEqual(o["level"] as? String, "新晋掌柜")
        XCTAssertEqual(o["opened_at"] as? String, "2026-11-21T09:30:00+08:00")
        XCTAssertEqual(o["opening_fee_fen"] as? Int, 0)
        XCTAssertEqual(
            Set(o.keys),
            ["shop_id", "member_id", "name", "display_name", "description", "level", "opened_at", "opening_fee_fen"])
        XCTAssertEqual(r.stderr, "")
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check"), "ok")
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM shops"), "1")
    }

    func testEachRefusalExitsOneAndLeavesTheStoreUnchanged() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run(open), 0)
        // The multi_shop check fixes the member's shop's level when it is due (SPEC §6) and keeps
        // it even when it refuses; `earnings` fixes it first, so a refusal then stores nothing.
        XCTAssertExit(s.run("earnings"), 0)
        let before = try s.dump()
        let cases: [([String], String)] = [
            (open, "one-shop-per-member"),
            (["open-shop", "--member", "m2", "--name", "小美旗舰店", "--credit-score", "720", "--verified", "--json"], "shop-name"),
            (["open-shop", "--member", "m3", "--name", "阿花", "--credit-score", "650", "--verified", "--json"], "credit-score"),
            (["open-shop", "--member", "m3", "--name", "阿花", "--verified", "--json"], "credit-score"),
            (["open-shop", "--member", "m4", "--name", "阿花", "--credit-score", "800", "--json"], "real-name"),
            (["open-shop", "--member", "m5", "--name", "小美好物", "--credit-score", "800", "--verified", "--json"], "shop-name"),
            (
                [
                    "open-shop", "--member", "m5", "--name", String(repeating: "好", count: 21), "--credit-score", "800", "--verified",
                    "--json",
                ], "shop-name"
            ),
        ]
        for (args, code) in cases {
            let r = s.run(args)
            XCTAssertExit(r, 1, code)
            XCTAssertEqual(r.stdout, "", "nothing on stdout for \(code)")
        }
        XCTAssertEqual(try s.dump(), before)
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check"), "ok")
    }

    func testCreditScoreOutsideRangeIsUsage() throws {
        let s = try Sandbox()
        for score in ["349", "951", "abc"] {
            XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "阿花", "--credit-score", score, "--verified", "--json"), 2)
        }
    }

    func testYunjiRecordsTheOpeningFeeAndRulesPrintsEveryKey() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "yunji"), 0)
        let r = s.run("open-shop", "--member", "m1", "--name", "小美好物", "--verified", "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["opening_fee_fen"] as? Int, 39_800)
        XCTAssertEqual(r.object["display_name"] as? String, "小美好物")
        let rules = s.run("rules", "--json").object
        let keys = [
            "display_name", "min_credit_score", "real_name_required", "opening_fee_fen", "shop_name_suffix",
            "forbidden_name_words", "shop_name_max_length", "max_picks", "share_requires_pick", "multi_shop",
            "levels", "settlement", "self_purchase_commission", "volume_rewards", "month_close_days", "withdraw_min_fen",
            "withdraw_fee_bp", "promo_hours", "channels", "categories", "supplier_admission",
            "commission_floor_market", "price_parity", "distribution_depth", "share_base_url", "time_zone",
        ]
        XCTAssertEqual(Set(rules.keys), Set(keys))
        XCTAssertEqual(rules["display_name"] as? String, "云集")
        XCTAssertEqual(rules["opening_fee_fen"] as? Int, 39_800)
        XCTAssertTrue(rules["min_credit_score"] is NSNull)
        XCTAssertEqual(rules["share_requires_pick"] as? Bool, false)
        XCTAssertEqual(rules["self_purchase_commission"] as? Bool, true)
        XCTAssertEqual((rules["promo_hours"] as? [String: Int])?["start"], 7)
        XCTAssertEqual((rules["settlement"] as? [String: Any])?["mode"] as? String, "after_days")
        XCTAssertEqual(rules["share_base_url"] as? String, "https://yunji.example")
        XCTAssertExit(s.run("init", "--platform", "beidian", "--json"), 1, "already-initialized")
    }

    /// Refusals about the files a command is given, each with its exit code and `error.code`;
    /// none of them leaves a store behind.
    func testUnreadableStoreImportAndRulesFilesAreRefused() throws {
        let s = try Sandbox()
        try FileManager.default.createDirectory(atPath: s.path("folder.db"), withIntermediateDirectories: true)
        XCTAssertExit(s.run("--db", s.path("folder.db"), "rules", "--json"), 5, "store-open")
        XCTAssertExit(s.run("orders", "import", s.path("missing.csv"), "--json"), 3, "file-not-found")
        try FileManager.default.createDirectory(atPath: s.path("folder.csv"), withIntermediateDirectories: true)
        XCTAssertExit(s.run("catalog", "import", "--products", s.path("folder.csv"), "--json"), 3, "file-not-found")
        // A workbook is opened by its own reader: the same refusals.
        XCTAssertExit(s.run("orders", "import", s.path("missing.xlsx"), "--json"), 3, "file-not-found")
        try FileManager.default.createDirectory(atPath: s.path("folder.xlsx"), withIntermediateDirectories: true)
        XCTAssertExit(s.run("reconcile", s.path("folder.xlsx"), "--json"), 3, "file-not-found")
        let gbk = try s.write("gbk.json", bytes: [0x7B, 0xC9, 0xCC, 0x7D])
        XCTAssertExit(s.run("init", "--platform", "yunji", "--rules", gbk, "--json"), 2, "rules-file")
        let array = try s.write("array.json", "[1]")
        XCTAssertExit(s.run("init", "--platform", "yunji", "--rules", array, "--json"), 2, "rules-file")
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db), "no refusal creates the store")
    }

    func testRulesOverridesFile() throws {
        let s = try Sandbox()
        let bad = try s.write("bad.json", #"{"max_picks": 10, "max_pickz": 3}"#)
        let r = s.run("init", "--platform", "taoxiaopu", "--rules", bad, "--json")
        XCTAssertExit(r, 2, "rules-key")
        XCTAssertTrue(r.errorMessage?.contains("max_pickz") ?? false)
        let wrong = try s.write("wrong.json", #"{"max_picks": "ten"}"#)
        let w = s.run("init", "--platform", "taoxiaopu", "--rules", wrong)
        XCTAssertExit(w, 2)
        XCTAssertTrue(w.stderr.contains("max_picks"))
        let deep = try s.write("deep.json", #"{"distribution_depth": 2}"#)
        XCTAssertExit(s.run("init", "--platform", "yunji", "--rules", deep, "--json"), 1, "distribution-depth")
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db), "a refused init creates no store")
        let good = try s.write("good.json", #"{"max_picks": 10, "min_credit_score": 600}"#)
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu", "--rules", good), 0)
        let rules = s.run("rules", "--json").object
        XCTAssertEqual(rules["max_picks"] as? Int, 10)
        XCTAssertEqual(rules["min_credit_score"] as? Int, 600)
        XCTAssertEqual(rules["display_name"] as? String, "淘小铺")
    }

    func testShopListShowEditAndSelection() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run(open), 0)
        XCTAssertExit(s.run("open-shop", "--member", "m2", "--name", "宝妈优选", "--credit-score", "800", "--verified"), 0)
        let list = s.run("shop", "list", "--json")
        XCTAssertEqual(list.array.map { $0["shop_id"] as? String }, ["S000001", "S000002"])
        // Two shops and none named: exit 2, listing them.
        let amb = s.run("shop", "show")
        XCTAssertExit(amb, 2)
        XCTAssertTrue(amb.stderr.contains("S000001") && amb.stderr.contains("S000002"))
        XCTAssertExit(s.run("shop", "show", "--shop", "S000009", "--json"), 3, "shop-not-found")
        let shown = s.run("shop", "show", "--json", env: ["SHOPCTL_SHOP": "S000002"])
        XCTAssertEqual(shown.object["name"] as? String, "宝妈优选")
        // Edits follow the name rules.
        XCTAssertExit(s.run("--shop", "S000002", "shop", "edit", "--name", "宝妈官方店", "--json"), 1, "shop-name")
        XCTAssertExit(s.run("--shop", "S000002", "shop", "edit", "--name", "小美好物", "--json"), 1, "shop-name")
        let edited = s.run("shop", "edit", "--shop", "S000002", "--name", "宝妈生活馆", "--description", "每日好物", "--json")
        XCTAssertExit(edited, 0)
        XCTAssertEqual(edited.object["display_name"] as? String, "宝妈生活馆淘小铺")
        XCTAssertEqual(edited.object["description"] as? String, "每日好物")
        XCTAssertExit(s.run("shop", "edit", "--shop", "S000002"), 2)
    }

    func testNoShopYetIsNotFound() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        XCTAssertExit(s.run("shop", "show", "--json"), 3, "shop-not-found")
    }
}

final class CommandLineEndToEndTests: XCTestCase {
    func testUsageErrorsExitTwo() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("frobnicate", "--json"), 2, "unknown-command")
        XCTAssertExit(s.run("open-shop", "--bogus", "--json"), 2, "unknown-option")
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--json"), 2, "missing-argument")
        XCTAssertExit(s.run("init", "--platform", "taobao", "--json"), 2)
        XCTAssertExit(s.run("--json"), 2)
        XCTAssertExit(s.run("rules", "--json", env: ["SHOPCTL_NOW": "2026-11-21 09:30"]), 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db), "usage errors create no store")
    }

    func testGlobalOptionsAnywhere() throws {
        let s = try Sandbox()
        let other = s.path("other.db")
        XCTAssertExit(s.run("--db", other, "--json", "init", "--platform", "beidian"), 0)
        XCTAssertEqual(s.run("rules", "--db", other, "--json").object["display_name"] as? String, "贝店")
        XCTAssertEqual(s.run("rules", "--json", "--db=\(other)").object["display_name"] as? String, "贝店")
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db))
    }

    func testVersionAndHelp() throws {
        let s = try Sandbox()
        let v = s.run("--version")
        XCTAssertExit(v, 0)
        XCTAssertTrue(v.stdout.hasPrefix("shopctl "))
        XCTAssertNotNil(s.run("--version", "--json").object["version"] as? String)
        let h = s.run("--help")
        XCTAssertExit(h, 0)
        for c in ["init", "rules", "open-shop", "shop list", "shop show", "shop edit", "demo"] {
            XCTAssertTrue(h.stdout.contains(c), c)
        }
        for c in [["help", "open-shop"], ["open-shop", "--help"], ["open-shop", "-h"], ["shop", "edit", "--help"], ["help", "shop"]] {
            let r = s.run(c)
            XCTAssertExit(r, 0)
            XCTAssertTrue(r.stdout.contains("shopctl"), c.joined(separator: " "))
        }
        XCTAssertTrue(s.run("help", "open-shop").stdout.contains("--credit-score"))
        XCTAssertTrue(s.run("help", "open-shop").stdout.contains("Examples"))
        XCTAssertEqual(s.run("help", "open-shop", "--json").object["name"] as? String, "open-shop")
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db), "help creates no store")
    }

    func testMessagesFollowTheLanguage() throws {
        let s = try Sandbox()
        let args = ["open-shop", "--member", "m1", "--name", "阿花", "--credit-score", "650", "--verified"]
        let en = s.run(args, env: ["LANG": "en_US.UTF-8"])
        let zh = s.run(args, env: ["LANG": "zh_CN.UTF-8"])
        let lcAll = s.run(args, env: ["LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"])
        let override = s.run(args, env: ["LANG": "zh_CN.UTF-8", "SHOPCTL_LANG": "en"])
        XCTAssertExit(en, 1)
        XCTAssertExit(zh, 1)
        XCTAssertTrue(en.stderr.contains("credit score"), en.stderr)
        XCTAssertTrue(zh.stderr.contains("信用分"), zh.stderr)
        XCTAssertTrue(lcAll.stderr.contains("信用分"), lcAll.stderr)
        XCTAssertTrue(override.stderr.contains("credit score"), override.stderr)
        // JSON codes never change with the language.
        let zj = s.run(args + ["--json"], env: ["LANG": "zh_CN.UTF-8"])
        XCTAssertEqual(zj.errorCode, "credit-score")
        XCTAssertTrue(zj.errorMessage?.contains("信用分") ?? false)
        // Headings too.
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "阿花", "--credit-score", "720", "--verified"), 0)
        XCTAssertTrue(s.run("shop", "list", env: ["LANG": "zh_CN.UTF-8"]).stdout.contains("店名"))
        XCTAssertTrue(s.run("shop", "list").stdout.contains("NAME"))
    }

    func testTablesAlignByDisplayWidth() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "阿花", "--credit-score", "720", "--verified"), 0)
        XCTAssertExit(s.run("open-shop", "--member", "member-long", "--name", "Anna", "--credit-score", "720", "--verified"), 0)
        let lines = s.run("shop", "list").stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4)
        // The MEMBER column starts at the same display column on every row.
        func column(of needle: String, in line: String) -> Int? {
            guard let r = line.range(of: needle) else { return nil }
            return String(line[..<r.lowerBound]).unicodeScalars.reduce(0) { $0 + (($1.value >= 0x2E80) ? 2 : 1) }
        }
        XCTAssertEqual(column(of: "m1", in: lines[2]), column(of: "member-long", in: lines[3]))
        XCTAssertFalse(lines.joined().contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    func testStoreIsCreatedWithMode0600AndPassesIntegrityCheck() throws {
        let s = try Sandbox()
        let nested = s.path("deep/er/shop.db")
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "阿花", "--credit-score", "720", "--verified", "--db", nested), 0)
        let attrs = try FileManager.default.attributesOfItem(atPath: nested)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check", db: nested), "ok")
        XCTAssertEqual(try s.sqlite("PRAGMA journal_mode", db: nested), "wal")
        XCTAssertEqual(try s.sqlite("SELECT length(value) FROM meta WHERE key = 'secret'", db: nested), "32")
        XCTAssertEqual(try s.sqlite("SELECT value FROM meta WHERE key = 'platform'", db: nested), "taoxiaopu")
    }

    func testNewerSchemaIsRefusedAndLeftByteIdentical() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        _ = try s.sqlite("PRAGMA user_version = 999")
        _ = try s.sqlite("PRAGMA wal_checkpoint(TRUNCATE)")
        let before = s.bytes()
        let r = s.run("shop", "list", "--json")
        XCTAssertExit(r, 5, "store-newer")
        XCTAssertEqual(s.bytes(), before)
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "阿花", "--credit-score", "720", "--verified"), 5)
        XCTAssertEqual(s.bytes(), before)
        XCTAssertExit(s.run("init", "--platform", "yunji", "--json"), 5, "store-newer")
        XCTAssertEqual(s.bytes(), before)
    }

    func testNotAStoreIsAStoreError() throws {
        let s = try Sandbox()
        try s.write("shop.db", "this is not sqlite, just text that is long enough to be a header of a file")
        XCTAssertExit(s.run("rules", "--json"), 5, "not-a-store")
        XCTAssertEqual(
            FileManager.default.contents(atPath: s.db).map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("this is not"), true)
    }
}

final class DemoEndToEndTests: XCTestCase {
    func testDemoBuildsAStoreInATemporaryFolder() throws {
        let s = try Sandbox()
        let r = s.run("demo", "--json", env: ["SHOPCTL_DB": ""])
        XCTAssertExit(r, 0)
        guard let db = r.object["db"] as? String else { return XCTFail("no db in \(r.stdout)") }
        defer { try? FileManager.default.removeItem(atPath: (db as NSString).deletingLastPathComponent) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: db))
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check", db: db), "ok")
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM shops", db: db), "1")
        let human = s.run("demo", "--db", s.path("demo.db"))
        XCTAssertExit(human, 0)
        XCTAssertTrue(human.stdout.contains(s.path("demo.db")))
        XCTAssertTrue(human.stdout.contains("小美好物淘小铺"))
    }
}

final class StorePathEndToEndTests: XCTestCase {
    /// SPEC §2: `--db`, else `$SHOPCTL_DB`, else `$XDG_DATA_HOME/shopctl/shop.db`, else `~/.local/share/shopctl/shop.db`.
    func testDefaultStorePaths() throws {
        let s = try Sandbox()
        let xdg = s.path("xdg")
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu", env: ["SHOPCTL_DB": "", "XDG_DATA_HOME": xdg]), 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: xdg + "/shopctl/shop.db"))
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu", env: ["SHOPCTL_DB": "", "XDG_DATA_HOME": ""]), 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.dir.path + "/.local/share/shopctl/shop.db"), "under $HOME")
        let explicit = s.path("explicit.db")
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu", "--db", explicit, env: ["XDG_DATA_HOME": xdg]), 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: explicit))
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db), "SHOPCTL_DB was never used")
    }

    func testDemoRefusesAnExistingStore() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        let before = try s.dump()
        XCTAssertExit(s.run("demo", "--db", s.db, "--json"), 1, "already-initialized")
        XCTAssertEqual(try s.dump(), before)
    }
}

final class UsageRefusalsEndToEndTests: XCTestCase {
    /// Every malformed argument exits 2 with its code, and writes nothing.
    func testMalformedArgumentsExitTwo() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 2)
        XCTAssertExit(s.run("pick-products", "add", "P00001"), 0)
        let before = try s.dump()
        let cases: [([String], String)] = [
            (["open-shop", "--member", "has space", "--name", "x", "--verified"], "member-id"),
            (
                ["open-shop", "--member", "m9", "--name", "x", "--verified", "--description", String(repeating: "长", count: 501)],
                "description"
            ),
            (["open-shop", "--member", "m9", "--name", "x", "--verified", "--logo", s.path("no-such.png")], "bad-argument"),
            (["share-link", "P00001", "--campaign", String(repeating: "c", count: 65)], "bad-argument"),
            (["share-link", "P00001", "P00002"], "bad-argument"),
            (["share-link", "daily", "--count", "25"], "bad-argument"),
            (["catalog", "list", "--limit", "-1"], "bad-argument"),
            (["earnings", "withdraw", "-5"], "bad-amount"),
            (["earnings", "withdraw", "12.345"], "bad-amount"),
            (["orders", "update", "X", "--status", "shipped", "--at", "yesterday"], "bad-time"),
            (["orders", "update", "X", "--status", "gone"], "bad-argument"),
            (["orders", "list", "--period", "2026-13"], "bad-argument"),
            (["shop", "edit"], "missing-argument"),
            (["pick-products", "add"], "missing-argument"),
            (["orders", "import"], "missing-argument"),
            (["catalog", "import", "--products", "-"], "format"),
            (["init", "--platform", "taobao"], "bad-argument"),
            (["rules", "--jsonx"], "unknown-option"),
        ]
        for (args, code) in cases {
            XCTAssertExit(s.run(args + ["--json"]), 2, code)
        }
        XCTAssertEqual(try s.dump(), before, "a usage error writes nothing")
    }
}
