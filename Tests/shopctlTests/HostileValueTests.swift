import Foundation
import XCTest

/// SPEC §2 "No input crashes shopctl" and "Identifiers", end to end: the exact examples of issue
/// 12 (an order paid at `0001-01-01T00:00:00+14:00`, `SHOPCTL_NOW=9999-12-01T00:00:00+08:00`,
/// ids holding U+200B or a BOM), the edges of the accepted range computing through every
/// command that reads time, identifiers on the command line, and titles with bidirectional
/// controls shown escaped to people and exact in JSON.
final class HostileValueTests: XCTestCase {
    /// No trap, no backtrace: stderr is empty or exactly one JSON error document.
    func assertNoCrash(_ r: Sandbox.Result, json: Bool, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse([132, 133, 134, 139].contains(r.status), "crashed: \(r.stderr)", file: file, line: line)
        for sign in ["Fatal error", "backtrace", "Current stack trace", "SIGILL", "0x0000"] {
            XCTAssertFalse(r.stderr.contains(sign), "stderr: \(r.stderr)", file: file, line: line)
        }
        if json && !r.stderr.isEmpty {
            let doc = try? JSONSerialization.jsonObject(with: Data(r.stderr.utf8)) as? [String: Any]
            XCTAssertNotNil(doc?["error"], "stderr is not one JSON document: \(r.stderr)", file: file, line: line)
        }
    }

    func rejected(_ r: Sandbox.Result) -> [[String: Any]] { r.object["rejected"] as? [[String: Any]] ?? [] }

    // MARK: - Times

    /// Issue 12: one order row paid at 0001-01-01T00:00:00+14:00 crashed `orders import`.
    func testAnOrderPaidInTheYearOneIsABadValueRow() throws {
        let o = try OrderShop()
        let now = "2026-11-21T09:30:00+08:00"
        let f = try o.feed(
            "o.csv",
            [
                "Y1,P00001,1,11.50,0001-01-01T00:00:00+14:00,paid,\(o.p1),,,",
                "Y2,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
            ])
        for json in [true, false] {
            let run = json ? o.at(now, "orders", "import", f, "--json") : o.at(now, "orders", "import", f)
            assertNoCrash(run, json: json)
            XCTAssertExit(run, 0)
            if json {
                XCTAssertEqual(run.stderr, "")
                let rows = rejected(run)
                XCTAssertEqual(rows.count, 1, run.stdout)
                XCTAssertEqual(rows.first?["code"] as? String, "bad-value")
                XCTAssertEqual(rows.first?["id"] as? String, "Y1")
                XCTAssertEqual(rows.first?["line"] as? Int, 2)
                let message = rows.first?["message"] as? String ?? ""
                XCTAssertTrue(message.contains("column paid_at"), message)
                XCTAssertTrue(message.contains("2000 to 2099"), message)
            }
        }
        XCTAssertEqual(o.at(now, "orders", "list", "--json").array.map { $0["order_id"] as? String }, ["Y2"])
        XCTAssertExit(o.at(now, "earnings", "--json"), 0)
    }

    /// Issue 12: SHOPCTL_NOW=9999-12-01T00:00:00+08:00 crashed `earnings`; every time outside the
    /// range is a usage error that says the range.
    func testShopctlNowOutsideTheRangeExits2() throws {
        let o = try OrderShop()
        for now in [
            "9999-12-01T00:00:00+08:00", "0001-01-01T00:00:00+14:00", "1999-12-31T23:59:59Z", "2100-01-01T00:00:00+14:00",
            "2026-06-30T23:59:60Z", "2026-11-21T09:30:00+24:00", "2026-11-21T09:30:00",
        ] {
            for json in [true, false] {
                let r = json ? o.at(now, "earnings", "--json") : o.at(now, "earnings")
                assertNoCrash(r, json: json)
                XCTAssertExit(r, 2, json ? "bad-argument" : nil)
                XCTAssertEqual(r.stdout, "", now)
                XCTAssertTrue(r.stderr.contains("2000") && r.stderr.contains("2099"), r.stderr)
            }
            XCTAssertExit(o.at(now, "earnings", "report", "--json"), 2, "bad-argument")
            XCTAssertExit(o.at(now, "share-link", "daily", "--json"), 2, "bad-argument")
        }
        let zh = o.s.run(["earnings"], env: ["SHOPCTL_NOW": "9999-12-01T00:00:00+08:00", "SHOPCTL_LANG": "zh_CN"])
        XCTAssertExit(zh, 2)
        XCTAssertTrue(zh.stderr.contains("2000–2099"), zh.stderr)
    }

    /// The last instant a text can name (2099-12-31T23:59:59-12:00 is 2100-01-01 19:59:59 in
    /// Shanghai) and the first (2000-01-01T00:00:00+14:00 is 1999-12-31 18:00 in Shanghai): a
    /// shop opened there, orders paid, confirmed and released there, earnings, reports by every
    /// grouping, months, a daily plan and order lists all compute.
    func testTheEdgesOfTheRangeComputeEverywhere() throws {
        for (opened, paid, confirmed, late) in [
            ("2099-12-31T20:00:00-12:00", "2099-12-31T21:00:00-12:00", "2099-12-31T22:00:00-12:00", "2099-12-31T23:59:59-12:00"),
            ("2000-01-01T00:00:00+14:00", "2000-01-01T00:10:00+14:00", "2000-01-01T00:20:00+14:00", "2000-01-31T23:59:59+14:00"),
        ] {
            for platform in ["taoxiaopu", "beidian"] {
                let s = try Sandbox(now: opened)
                try Feeds.shop(s, products: 3, platform: platform)
                XCTAssertExit(s.run("pick-products", "add", "P00001", "P00002"), 0)
                let token = s.run("share-link", "P00001", "--json").object["token"] as? String ?? ""
                XCTAssertFalse(token.isEmpty)
                let f = try s.write(
                    "o.csv",
                    OrderShop.header
                        + [
                            "E1,P00001,100000,9999.50,\(paid),confirmed,\(token),\(confirmed),,",
                            "E2,P00001,3,10.50,\(paid),paid,\(token),,,",
                            "E3,P00001,1,10.50,\(paid),refunded,\(token),\(confirmed),10.50,",
                        ].joined(separator: "\n") + "\n")
                let imported = s.run(["orders", "import", f, "--json"], env: ["SHOPCTL_NOW": late])
                assertNoCrash(imported, json: true)
                XCTAssertExit(imported, 0)
                XCTAssertEqual(imported.object["accepted"] as? Int, 3, imported.stdout)
                for now in [late, "2099-12-31T23:59:59-12:00"] {
                    let env = ["SHOPCTL_NOW": now]
                    var runs: [[String]] = [
                        ["earnings"], ["earnings", "months"], ["share-link", "daily"], ["share-link", "list"], ["orders", "list"],
                        ["orders", "show", "E1"], ["shop", "show"], ["catalog", "list"], ["pick-products", "list"],
                        ["pick-products", "suggest"], ["earnings", "report", "--period", "2000..2099"],
                    ]
                    for by in ["day", "week", "month", "product", "category", "channel"] {
                        runs.append(["earnings", "report", "--by", by])
                    }
                    for args in runs {
                        for json in [true, false] {
                            let r = s.run(args + (json ? ["--json"] : []), env: env)
                            assertNoCrash(r, json: json)
                            // `earnings months` may not exist in every version: a usage error is no crash.
                            XCTAssertTrue(
                                r.status == 0 || (args == ["earnings", "months"] && r.status == 2), "\(args) at \(now): \(r.stderr)")
                        }
                    }
                    let summary = s.run(["earnings", "--json"], env: env).object
                    XCTAssertNotNil(summary["pending_fen"] as? Int, "\(summary)")
                }
                let withdraw = s.run(["earnings", "withdraw", "1", "--json"], env: ["SHOPCTL_NOW": "2099-12-31T23:59:59-12:00"])
                assertNoCrash(withdraw, json: true)
                XCTAssertTrue([0, 1].contains(withdraw.status), withdraw.stderr)
            }
        }
    }

    func testTimeArgumentsOutsideTheRangeExit2() throws {
        let o = try OrderShop()
        let now = "2026-11-21T09:30:00+08:00"
        let f = try o.feed("o.csv", ["U1,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,"])
        XCTAssertExit(o.at(now, "orders", "import", f), 0)
        for at in ["0001-01-01T00:00:00+14:00", "2100-01-01T00:00:00Z", "2026-10-01T23:59:60+08:00"] {
            let r = o.at(now, "orders", "update", "U1", "--status", "shipped", "--at", at, "--json")
            assertNoCrash(r, json: true)
            XCTAssertEqual(r.status, 2, r.stderr)
        }
        for period in ["0001", "9999", "1999-12", "2100-01", "1999-12-31", "2100-01-01", "2026..2100", "1999..2026"] {
            for args in [["earnings", "report", "--period", period], ["orders", "list", "--period", period]] {
                let r = o.s.run(args + ["--json"], env: ["SHOPCTL_NOW": now])
                assertNoCrash(r, json: true)
                XCTAssertExit(r, 2, "bad-argument")
                XCTAssertTrue(r.errorMessage?.contains("2000–2099") == true, r.stderr)
            }
        }
        XCTAssertExit(o.at(now, "earnings", "report", "--period", "2000..2099", "--json"), 0)
        for date in ["1999-12-31", "2100-01-01", "0001-01-01", "9999-12-31"] {
            let r = o.at(now, "share-link", "daily", "--date", date, "--json")
            assertNoCrash(r, json: true)
            XCTAssertExit(r, 2, "bad-argument")
            XCTAssertTrue(r.errorMessage?.contains("2000–2099") == true, r.stderr)
        }
        XCTAssertExit(o.at(now, "share-link", "daily", "--date", "2099-12-31", "--json"), 0)
        XCTAssertExit(o.at(now, "share-link", "daily", "--date", "2000-01-01", "--json"), 0)
    }

    // MARK: - Identifiers

    /// Issue 12: ids holding U+200B or a BOM imported as new products, indistinguishable on screen.
    func testProductIDsWithInvisibleCharactersAreBadValues() throws {
        let s = try Sandbox(now: "2026-11-21T09:30:00+08:00")
        try Feeds.shop(s, products: 2)
        let before = s.run("catalog", "list", "--json").array.count
        let f = try s.write(
            "p.csv",
            Feeds.productHeader + "P00001\u{200B},SP1,假货,品牌,食品保健,1.00,90,5,on,,,,,,\n"
                + "\u{FEFF}P00002,SP1,假货,品牌,食品保健,1.00,90,5,on,,,,,,\n" + "P00003\u{202E},SP1,假货,品牌,食品保健,1.00,90,5,on,,,,,,\n"
                + "P0\u{2060}0004,SP1,假货,品牌,食品保健,1.00,90,5,on,,,,,,\n" + "P00005,SP1\u{200E},假货,品牌,食品保健,1.00,90,5,on,,,,,,\n")
        let r = s.run("catalog", "import", "--products", f, "--json")
        assertNoCrash(r, json: true)
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 0, r.stdout)
        let rows = rejected(r)
        XCTAssertEqual(rows.map { $0["code"] as? String }, Array(repeating: "bad-value", count: 5), r.stdout)
        XCTAssertEqual(rows.map { $0["line"] as? Int }, [2, 3, 4, 5, 6])
        guard rows.count == 5 else { return XCTFail("rejected: \(rows)") }
        XCTAssertTrue((rows[0]["message"] as? String ?? "").contains("U+200B"), "\(rows[0])")
        XCTAssertTrue((rows[1]["message"] as? String ?? "").contains("U+FEFF"), "\(rows[1])")
        XCTAssertTrue((rows[4]["message"] as? String ?? "").contains("column supplier_id"), "\(rows[4])")
        XCTAssertEqual(s.run("catalog", "list", "--json").array.count, before)
        XCTAssertEqual(s.run("catalog", "list", "--json").array.compactMap { $0["title"] as? String }.filter { $0 == "假货" }, [])
        // The human report shows the invisible characters escaped.
        let human = s.run("catalog", "import", "--products", f)
        XCTAssertExit(human, 0)
        XCTAssertTrue(human.stdout.contains("P00001<U+200B>"), human.stdout)
        XCTAssertFalse(human.stdout.unicodeScalars.contains { [0x200B, 0xFEFF, 0x202E, 0x2060, 0x200E].contains($0.value) }, human.stdout)
    }

    func testOrderIDsWithInvisibleCharactersAreBadValues() throws {
        let o = try OrderShop()
        let f = try o.feed(
            "o.csv",
            [
                "W1\u{200B},P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "\u{FEFF}W2,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "W3,P00001\u{200B},1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
                "W4,P00001,1,11.50,2026-09-10T20:00:00+08:00,paid,\(o.p1),,,",
            ])
        let r = o.at("2026-11-21T09:30:00+08:00", "orders", "import", f, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 1)
        XCTAssertEqual(rejected(r).map { $0["code"] as? String }, ["bad-value", "bad-value", "bad-value"])
    }

    func testCommandLineIDsFollowTheRule() throws {
        let s = try Sandbox(now: "2026-11-21T09:30:00+08:00")
        try Feeds.shop(s, products: 2)
        let before = try s.dump()
        for bad in ["P00001\u{200B}", "\u{FEFF}P00001", "P00001\u{202E}", "P 1", "P\u{3000}1", String(repeating: "P", count: 65)] {
            for args in [
                ["pick-products", "add", bad], ["pick-products", "remove", bad], ["pick-products", "reason", bad, "好"],
                ["share-link", bad], ["orders", "show", bad], ["orders", "update", bad, "--status", "shipped"],
                ["orders", "list", "--product", bad], ["share-link", "P00001", "--campaign", bad], ["--shop", bad, "earnings"],
            ] {
                let r = s.run(args + ["--json"])
                assertNoCrash(r, json: true)
                XCTAssertExit(r, 2, "bad-argument")
            }
            XCTAssertExit(s.run(["earnings", "--json"], env: ["SHOPCTL_SHOP": bad]), 2, "bad-argument")
            XCTAssertExit(
                s.run("open-shop", "--member", bad, "--name", "另一家店", "--verified", "--credit-score", "720", "--json"), 2, "member-id")
        }
        XCTAssertEqual(try s.dump(), before, "a refused id changed the store")
        XCTAssertExit(s.run("pick-products", "add", String(repeating: "P", count: 64), "--json"), 3)
        XCTAssertExit(s.run("pick-products", "add", "P00001"), 0)
        XCTAssertExit(s.run("share-link", "P00001", "--campaign", "双11-大促", "--json"), 0)
    }

    // MARK: - Display

    /// A title with U+202E (right-to-left override) is shown escaped in `catalog list`, kept
    /// exactly in JSON; an emoji joined by ZWJ is kept whole.
    func testBidirectionalControlsAreShownEscaped() throws {
        let s = try Sandbox(now: "2026-11-21T09:30:00+08:00")
        try Feeds.shop(s, products: 1)
        let title = "\u{202E}品商\u{202C}👨‍👩‍👧"
        let f = try s.write(
            "p.csv", Feeds.productHeader + "B1,SP1,\(title),\u{FEFF}牌,食品保健,19.90,10,5,on,,,,,,说明\u{202E}反\n")
        XCTAssertExit(s.run("catalog", "import", "--products", f), 0)
        let human = s.run("catalog", "list", "--search", "品商")
        XCTAssertExit(human, 0)
        XCTAssertTrue(human.stdout.contains("<U+202E>品商<U+202C>👨‍👩‍👧"), human.stdout)
        XCTAssertTrue(human.stdout.contains("<U+FEFF>牌"), human.stdout)
        XCTAssertFalse(human.stdout.unicodeScalars.contains { [0x202E, 0x202C, 0xFEFF].contains($0.value) })
        XCTAssertTrue(human.stdout.unicodeScalars.contains { $0.value == 0x200D }, "the emoji ZWJ is kept")
        let json = s.run("catalog", "list", "--search", "品商", "--json").array
        XCTAssertEqual(json.first?["title"] as? String, title)
        XCTAssertTrue(s.run("catalog", "list", "--json").stdout.unicodeScalars.contains { $0.value == 0xFEFF }, "JSON keeps the BOM")
        XCTAssertExit(s.run("pick-products", "add", "B1", "--reason", "理由\u{202E}反\u{200B}转"), 0)
        let picks = s.run("pick-products", "list")
        XCTAssertTrue(picks.stdout.contains("理由<U+202E>反<U+200B>转"), picks.stdout)
        XCTAssertEqual(s.run("pick-products", "list", "--json").array.first?["reason"] as? String, "理由\u{202E}反\u{200B}转")
        let link = s.run("share-link", "B1")
        XCTAssertExit(link, 0)
        XCTAssertFalse(link.stdout.unicodeScalars.contains { [0x202E, 0x202C, 0x200B, 0xFEFF].contains($0.value) }, link.stdout)
        XCTAssertTrue(link.stdout.contains("<U+202E>品商<U+202C>👨‍👩‍👧"), link.stdout)
    }
}

/// The hostile corpus files of this part (`Tests/Fixtures/hostile`, README lines at the end).
extension HostileInputTests {
    /// An id as the test reads it back: Foundation's `JSONSerialization` on Linux drops U+FEFF
    /// from strings (shopctl's JSON holds it: the message still names it).
    static func parsedID(_ id: String) -> String {
        let doc = try? JSONSerialization.jsonObject(with: Data("\"\(id)\"".utf8), options: [.fragmentsAllowed]) as? String
        return doc ?? id
    }

    static let values: [Case] = [
        rows(
            "orders-hostile-times.csv", accepted: 2,
            [
                bad(2, "Y01", "column paid_at: '0001-01-01T00:00:00+14:00' the year must be from 2000 to 2099"),
                bad(3, "Y02", "the year must be from 2000 to 2099"), bad(4, "Y03", "the year must be from 2000 to 2099"),
                bad(5, "Y04", "the year must be from 2000 to 2099"), bad(6, "Y05", "the year must be from 2000 to 2099"),
                bad(7, "Y06", "seconds must be 00–59 (no leap second)"), bad(8, "Y07", "no leap second"),
                bad(9, "Y08", "column status_at: '0001-01-01T00:00:00Z' the year must be from 2000 to 2099"),
                bad(10, "Y09", "bad zone offset"),
            ],
            verify: { p in
                XCTAssertEqual(p.run("orders", "show", "Y10").object["paid_at"] as? String, "2026-09-11T16:00:00+08:00")
                XCTAssertEqual(p.run("orders", "show", "Y11").object["status"] as? String, "confirmed")
            }),
        rows(
            "orders-invisible-ids.csv", accepted: 1,
            [
                bad(2, "Z01\u{200B}", "column order_id: 'Z01\u{200B}' is not an id (1–64 characters without spaces): it holds U+200B"),
                bad(3, HostileInputTests.parsedID("\u{FEFF}Z02"), "U+FEFF, an invisible or format character"),
                bad(4, "Z03", "column product_id: 'P00001\u{200B}' is not an id"), bad(5, "Z04\u{202E}", "U+202E"),
                bad(6, "Z\u{A0}05", "U+00A0, a white space"), bad(7, "Z06\u{2060}", "U+2060"),
            ],
            verify: { p in XCTAssertEqual(p.run("orders", "list", "--limit", "0").array.count, 1) }),
        rows(
            "products-invisible-ids.csv", accepted: 2,
            [
                bad(2, "P00001\u{200B}", "U+200B, an invisible or format character"),
                bad(3, HostileInputTests.parsedID("\u{FEFF}P00002"), "U+FEFF"),
                bad(4, "I03\u{202E}", "U+202E"), bad(5, "I04\u{2066}x\u{2069}", "U+2066"), bad(6, "I05\u{AD}", "U+00AD"),
                bad(7, "I06\u{200D}", "U+200D"), bad(8, "I07\u{3000}", "U+3000, a white space"),
                bad(9, "I08", "column supplier_id: 'SP1\u{200E}' is not an id"),
            ],
            verify: { p in
                XCTAssertEqual(p.product("I09")?["title"] as? String, "\u{202E}品商\u{202C} 试测")
                XCTAssertEqual(p.product("I09")?["brand"] as? String, "\u{200B}品牌\u{FEFF}")
                XCTAssertNotNil(p.product("I10😀"))
            }),
        rows(
            "products-hostile-dates.csv", accepted: 1,
            [
                bad(2, "H01", "column sale_start: '1999-12-31T23:59:59Z' the year must be from 2000 to 2099"),
                bad(3, "H02", "the year must be from 2000 to 2099"),
                bad(4, "H03", "column sale_end: '0001-01-01T00:00:00+14:00' the year must be from 2000 to 2099"),
                bad(5, "H04", "the year must be from 2000 to 2099"), bad(6, "H05", "seconds must be 00–59 (no leap second)"),
            ],
            verify: { p in XCTAssertEqual(p.product("H06")?["available"] as? Bool, true) }),
    ]
}
