import Foundation
import XCTest

/// The example exports of `examples/exports/` (SPEC §7, made by `scripts/gen_exports.py`): the
/// GBK report holds the same rows as the UTF-8 one and imports to exactly the same orders.
final class ExampleExportTests: XCTestCase {
    static let exports = ReadmeTourTests.repository.appendingPathComponent("examples/exports")
    static let catalog = ReadmeTourTests.repository.appendingPathComponent("examples/catalog")
    static let now = "2026-11-24T21:00:00+08:00"

    /// A store made like the one the examples were made for: its links in the same order (share
    /// ids 1 P000019, 2 the storefront, 3 P000002), so each example token stands for one of them.
    final class TourStore {
        let s: Sandbox
        /// The example's token → this store's token of the same share id.
        var tokens: [String: String] = [:]

        init() throws {
            s = try Sandbox(now: "2026-11-01T09:00:00+08:00")
            XCTAssertExit(s.run("init", "--platform", "yunji"), 0)
            XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "小美好物", "--credit-score", "720", "--verified"), 0)
            XCTAssertExit(
                s.run(
                    "catalog", "import", "--suppliers", ExampleExportTests.catalog.appendingPathComponent("suppliers.csv").path,
                    "--products", ExampleExportTests.catalog.appendingPathComponent("products.csv").path), 0)
            var mine: [String] = []
            for args in [["P000019", "--channel", "wechat-group"], ["--storefront"], ["P000002"]] {
                let r = s.run(["share-link"] + args + ["--json"])
                XCTAssertExit(r, 0)
                mine.append(try XCTUnwrap(r.object["token"] as? String))
            }
            let text = try String(
                contentsOf: ExampleExportTests.exports.appendingPathComponent("taobao-lianmeng-orders.csv"), encoding: .utf8)
            // The share id is the token's first 8 characters (version and id, SPEC share tokens).
            for line in text.split(whereSeparator: \.isNewline).dropFirst(2) {
                guard let token = line.split(separator: ",").last.map({ String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
                else { continue }
                guard let mineToken = mine.first(where: { $0.prefix(8) == token.prefix(8) }) else {
                    XCTFail("no link of share id \(token.prefix(8)) for \(token)")
                    continue
                }
                tokens[token] = mineToken
            }
            XCTAssertEqual(Set(tokens.values).count, 3, "the example uses the three links")
        }

        /// An example file with this store's tokens (ASCII: replaced byte for byte in any encoding).
        func example(_ name: String) throws -> String {
            var bytes = [UInt8](try Data(contentsOf: ExampleExportTests.exports.appendingPathComponent(name)))
            for (theirs, ours) in tokens {
                bytes = HostileInputTests.Runner.replacing(Array(theirs.utf8), with: Array(ours.utf8), in: bytes)
            }
            return try s.write(name, bytes: bytes)
        }

        func run(_ args: String...) -> Sandbox.Result { s.run(args, env: ["SHOPCTL_NOW": ExampleExportTests.now]) }
    }

    func testTheGBKReportIsGBKAndHoldsTheSameRows() throws {
        let gbk = try Data(contentsOf: Self.exports.appendingPathComponent("taobao-lianmeng-orders-gbk.csv"))
        let utf8 = try Data(contentsOf: Self.exports.appendingPathComponent("taobao-lianmeng-orders.csv"))
        XCTAssertNil(String(data: gbk, encoding: .utf8), "not UTF-8")
        let decoded = try XCTUnwrap(String(data: gbk, encoding: String.Encoding(rawValue: 0x8000_0632)))
        let text = try XCTUnwrap(String(data: utf8, encoding: .utf8))
        // GBK has no ¥ (U+00A5): the amounts carry ￥ (U+FFE5).
        XCTAssertEqual(decoded, text.replacingOccurrences(of: "¥", with: "￥"))
        XCTAssertTrue(decoded.contains("创建时间,点击时间,商品信息"))
    }

    func testTheGBKReportImportsExactlyAsTheUTF8One() throws {
        let map = Self.exports.appendingPathComponent("taobao-lianmeng-map.json").path
        var lists: [String] = []
        var shows: [String] = []
        for name in ["taobao-lianmeng-orders.csv", "taobao-lianmeng-orders-gbk.csv"] {
            let store = try TourStore()
            let file = try store.example(name)
            let r = store.run("orders", "import", file, "--map", map, "--json")
            XCTAssertExit(r, 0)
            XCTAssertEqual(r.object["accepted"] as? Int, 8, "\(name): \(r.stdout)\(r.stderr)")
            XCTAssertEqual((r.object["rejected"] as? [Any])?.count, 0, "\(name): \(r.stdout)")
            let list = store.run("orders", "list", "--limit", "0", "--json")
            XCTAssertExit(list, 0)
            XCTAssertEqual(list.array.count, 8)
            lists.append(list.stdout)
            shows.append(
                ChineseExportTests.withoutTokens(
                    store.run("orders", "show", "2783941234567905838", "--json").stdout,
                    Set(store.tokens.values).sorted { $0.prefix(8) < $1.prefix(8) }))
        }
        XCTAssertEqual(lists[0], lists[1])
        XCTAssertEqual(shows[0], shows[1])
        XCTAssertTrue(shows[0].contains("<token 1>"), "the order came through the storefront link: \(shows[0])")
    }

    /// The README tour's step: the GBK report as a shop's own export (`"attribution":"shop"`):
    /// every row through the storefront link, whatever its tokens.
    func testTheGBKReportAsTheShopsOwnExport() throws {
        let s = try Sandbox(now: "2026-11-01T09:00:00+08:00")
        XCTAssertExit(s.run("init", "--platform", "yunji"), 0)
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "小美好物", "--credit-score", "720", "--verified"), 0)
        XCTAssertExit(
            s.run(
                "catalog", "import", "--suppliers", Self.catalog.appendingPathComponent("suppliers.csv").path, "--products",
                Self.catalog.appendingPathComponent("products.csv").path), 0)
        let r = s.run(
            [
                "orders", "import", Self.exports.appendingPathComponent("taobao-lianmeng-orders-gbk.csv").path, "--map",
                Self.exports.appendingPathComponent("taobao-lianmeng-shop-map.json").path, "--json",
            ], env: ["SHOPCTL_NOW": Self.now])
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 8, r.stdout + r.stderr)
        let links = s.run(["share-link", "list", "--json"], env: ["SHOPCTL_NOW": Self.now]).array
        XCTAssertEqual(links.count, 1)
        XCTAssertEqual(links.first?["orders"] as? Int, 8)
    }
    /// The demo's "today's export" is a 淘宝联盟-style report in GBK (Chinese headers, times
    /// without a zone), imported with the map the demo writes beside it, and the printed command
    /// shows the map.
    func testTheDemoImportsTodaysExportAsAGBKReport() throws {
        let s = try Sandbox()
        let db = s.path("demo.db")
        let r = s.run("demo", "--db", db)
        XCTAssertExit(r, 0)
        let folder = try XCTUnwrap(
            try FileManager.default.contentsOfDirectory(atPath: s.dir.path).first { $0.hasPrefix("shopctl-demo-") })
        let report = try Data(contentsOf: URL(fileURLWithPath: s.path(folder + "/orders.csv")))
        XCTAssertNil(String(data: report, encoding: .utf8), "not UTF-8")
        let text = try XCTUnwrap(String(data: report, encoding: String.Encoding(rawValue: 0x8000_0632)))
        XCTAssertTrue(text.hasPrefix("淘宝联盟 订单明细报表"), String(text.prefix(100)))
        XCTAssertTrue(text.contains("\r\n创建时间,商品ID,商品数,商品单价,订单状态,结算时间,退款金额,订单编号,广告位名称,自购\r\n"))
        XCTAssertFalse(text.contains("+08:00"), "times without a zone")
        XCTAssertTrue(text.contains("订单成功") && text.contains("￥"))
        let map = s.path(folder + "/lianmeng-map.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: map))
        let lines = r.stdout.components(separatedBy: "\n")
        let step = try XCTUnwrap(lines.firstIndex(of: "$ shopctl orders import \(s.path(folder + "/orders.csv")) --map \(map)"), r.stdout)
        XCTAssertTrue(lines[step + 1].hasPrefix("accepted ") && lines[step + 1].hasSuffix(", rejected 0"), lines[step + 1])
        // Every order of the report is in the store, with the report's times.
        let count = text.components(separatedBy: "\r\n").count - 3
        XCTAssertEqual(try s.sqlite("SELECT count(*) FROM orders", db: db), String(count))
        XCTAssertEqual(try s.sqlite("PRAGMA integrity_check", db: db), "ok")
    }
}
