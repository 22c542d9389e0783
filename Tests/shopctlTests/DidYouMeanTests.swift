import Foundation
import XCTest

@testable import shopctl

/// Suggestions for a mistyped command or option: the distance, the choice, and the message.
final class DidYouMeanTests: XCTestCase {
    func testDistance() {
        XCTAssertEqual(DidYouMean.distance("", ""), 0)
        XCTAssertEqual(DidYouMean.distance("", "abc"), 3)
        XCTAssertEqual(DidYouMean.distance("list", "list"), 0)
        XCTAssertEqual(DidYouMean.distance("lst", "list"), 1)
        XCTAssertEqual(DidYouMean.distance("verfy", "verify"), 1)
        XCTAssertEqual(DidYouMean.distance("stauts", "status"), 1, "a swap of neighbours costs 1")
        XCTAssertEqual(DidYouMean.distance("kitten", "sitting"), 3)
        XCTAssertEqual(DidYouMean.distance("ca", "abc"), 3, "optimal string alignment, not unrestricted Damerau")
        XCTAssertEqual(DidYouMean.distance("店铺", "店舖"), 1, "by Unicode scalar")
    }

    func testSuggestionChoice() {
        XCTAssertEqual(DidYouMean.nearest("verfy", among: ["verify", "daily", "list"]), ["verify"])
        XCTAssertEqual(DidYouMean.nearest("lst", among: ["import", "update", "list", "show"]), ["list"])
        XCTAssertEqual(DidYouMean.nearest("xyz", among: ["list", "show"]), [], "too far")
        XCTAssertEqual(DidYouMean.nearest("ab", among: ["list"]), [])
        XCTAssertEqual(DidYouMean.nearest("list", among: ["list"]), [], "never itself")
        XCTAssertEqual(DidYouMean.nearest("shw", among: ["show", "shew", "share"]), ["show", "shew"], "ties in order")
        XCTAssertEqual(DidYouMean.nearest("pick", among: ["pick-products", "init"]), ["pick-products"], "prefix when none is near")
        XCTAssertEqual(DidYouMean.nearest(String(repeating: "a", count: 10_000), among: ["a"]), [], "no quadratic work on huge words")
        XCTAssertEqual(DidYouMean.options("--stauts", among: OrdersListCommand.options), ["--status"])
        XCTAssertEqual(DidYouMean.options("--josn", among: []), ["--json"])
        XCTAssertEqual(DidYouMean.commands(["share-link", "verfy"]), ["share-link verify"])
        XCTAssertEqual(DidYouMean.commands(["orders", "lst"]), ["orders list"])
        XCTAssertEqual(DidYouMean.commands(["shar-link"]), ["share-link"])
        XCTAssertEqual(DidYouMean.commands(["frobnicate"]), [])
    }

    func testEndToEndOnStderrWithExitTwo() throws {
        let s = try Sandbox()
        let cases: [([String], String, String)] = [
            (["share-link", "verfy", "AQAA"], "unknown-command", "'share-link verify'"),
            (["orders", "lst"], "unknown-command", "'orders list'"),
            (["shar-link"], "unknown-command", "'share-link'"),
            (["help", "shop", "lst"], "unknown-command", "'shop list'"),
            (["earnings", "reprot"], "unknown-command", "'earnings report'"),
            (["orders", "list", "--stauts", "paid"], "unknown-option", "'--status'"),
            (["share-link", "daily", "--chanel", "qq"], "unknown-option", "'--channel'"),
        ]
        for (args, code, hint) in cases {
            let r = s.run(args)
            XCTAssertExit(r, 2)
            XCTAssertEqual(r.stdout, "")
            XCTAssertTrue(r.stderr.contains("did you mean \(hint)?"), "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasSuffix("[\(code)]\n"), r.stderr)
            let json = s.run(args + ["--json"])
            XCTAssertExit(json, 2, code)
            XCTAssertTrue(json.errorMessage?.contains(hint) ?? false)
            let zh = s.run(args, env: ["SHOPCTL_LANG": "zh_CN"])
            XCTAssertExit(zh, 2)
            XCTAssertTrue(zh.stderr.contains("你是不是想用 \(hint)？"), zh.stderr)
        }
        let far = s.run("frobnicate")
        XCTAssertExit(far, 2)
        XCTAssertFalse(far.stderr.contains("did you mean"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.db), "a typo never creates a store")
    }

    func testAnOperandAfterDashDashIsNotATypo() throws {
        let s = try Sandbox()
        try Feeds.shop(s, products: 1)
        // `share-link -- verfy`: a product id, not found (exit 3), not a mistyped subcommand.
        XCTAssertExit(s.run("--json", "share-link", "--", "verfy"), 3, "product-not-found")
    }
}
