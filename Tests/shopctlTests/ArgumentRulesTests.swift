import Foundation
import XCTest

/// SPEC §2 "Arguments": an empty value and a global option given twice are usage errors (exit 2),
/// and neither touches the store — in particular `--db ""` never falls back to the default store.
final class ArgumentRulesTests: XCTestCase {
    func testAnEmptyDbIsRefusedAndTheDefaultStoreIsNotUsed() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("init", "--platform", "yunji", "--json"), 0)
        let before = s.bytes()
        let other = s.path("other.db")
        for args in [["--db", ""], ["--db="]] {
            let r = s.run(args + ["open-shop", "--member", "m1", "--name", "小美", "--verified", "--json"])
            XCTAssertExit(r, 2, "bad-argument")
            XCTAssertTrue(r.errorMessage?.contains("--db") ?? false, r.stderr)
        }
        XCTAssertEqual(s.bytes(), before, "the default store ($SHOPCTL_DB) is untouched")
        XCTAssertFalse(FileManager.default.fileExists(atPath: other))
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM shops"), "0")
    }

    func testEmptyShopAndCommandValuesAreRefused() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "小美", "--credit-score", "720", "--verified", "--json"), 0)
        let dump = try s.dump()
        let cases: [[String]] = [
            ["--shop=", "shop", "show"],
            ["--shop", "", "shop", "show"],
            ["share-link", "--storefront", "--channel", ""],
            ["share-link", "--storefront", "--channel="],
            ["orders", "list", "--status", ""],
            ["shop", "edit", "--name", ""],
        ]
        for args in cases {
            let r = s.run(args + ["--json"])
            XCTAssertExit(r, 2, "bad-argument")
            XCTAssertEqual(r.stdout, "", "\(args): nothing on stdout")
        }
        XCTAssertEqual(try s.dump(), dump, "no refused call wrote anything")
    }

    func testAGlobalOptionGivenTwiceIsRefused() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "小美", "--credit-score", "720", "--verified", "--json"), 0)
        let before = s.bytes()
        let other = s.path("b.db")
        let cases: [[String]] = [
            ["--db", s.db, "--db", other, "rules"],
            ["--db", s.db, "rules", "--db=" + other],
            ["--shop", "S1", "--shop", "S2", "shop", "show"],
            ["--json", "rules", "--json"],
            ["--version", "--version"],
        ]
        for args in cases {
            let r = s.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("twice"), r.stderr)
            XCTAssertTrue(r.stderr.contains("[bad-argument]") || r.errorCode == "bad-argument", r.stderr)
        }
        XCTAssertEqual(s.bytes(), before)
        XCTAssertFalse(FileManager.default.fileExists(atPath: other), "neither --db was opened")
    }
}
