import Foundation
import XCTest

/// `earnings report --html FILE` (SPEC §9): one self-contained page, written like every file of
/// ours, every text escaped, rendered by headless Chromium into a screenshot that is not blank.
final class HTMLReportTests: XCTestCase {
    /// The demo's store, with the shop renamed and one product titled as an attacker would, with an order.
    func demoStore() throws -> Sandbox {
        let s = try Sandbox()
        XCTAssertExit(s.run("demo", "--db", s.db, "--json"), 0)
        XCTAssertExit(s.run("shop", "edit", "--name", "<b>小美</b>&amp;"), 0)
        let supplier = try s.sqlite("SELECT supplier_id, category FROM products WHERE status = 'on' LIMIT 1").split(separator: "|")
        XCTAssertEqual(supplier.count, 2)
        let products = try s.write(
            "evil.csv",
            "product_id,supplier_id,title,brand,category,price,commission_rate,stock,status\n"
                + "PEVIL1,\(supplier[0]),\"\u{202E}<script>alert(1)</script>\",<i>b</i>,\(supplier[1]),99,20,10,on\n"
        )
        XCTAssertExit(s.run("catalog", "import", "--products", products), 0)
        XCTAssertExit(s.run("pick-products", "add", "PEVIL1"), 0)
        let link = s.run("--json", "share-link", "PEVIL1")
        XCTAssertExit(link, 0)
        let token = try XCTUnwrap(link.object["token"] as? String)
        let orders = try s.write(
            "evil-orders.csv",
            "order_id,product_id,quantity,unit_price,paid_at,status,share_token\nEVIL-1,PEVIL1,1,99,2026-11-21T09:30:00+08:00,paid,\(token)\n"
        )
        let imported = s.run("--json", "orders", "import", orders)
        XCTAssertExit(imported, 0)
        XCTAssertEqual(imported.object["accepted"] as? Int, 1, imported.stdout)
        return s
    }

    func yuan(_ fen: Int) -> String {
        var digits = String(abs(fen) / 100)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return (fen < 0 ? "-" : "") + "¥" + digits + grouped + "." + (abs(fen) % 100 < 10 ? "0" : "") + String(abs(fen) % 100)
    }

    func testPageIsSelfContainedEscapedAndHoldsTheLedgersFigures() throws {
        let s = try demoStore()
        let out = s.path("report.html")
        let r = s.run("earnings", "report", "--html", out)
        XCTAssertExit(r, 0)
        XCTAssertTrue(r.stdout.contains(out), "human output says where it wrote: \(r.stdout)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        let attrs = try FileManager.default.attributesOfItem(atPath: out)
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)

        // Self-contained: no script, nothing that loads a resource, no link out. Every `<` of
        // the page starts real markup (text has them escaped), so its tags are checked one by one.
        let lower = page.lowercased()
        XCTAssertFalse(lower.contains("<script"))
        let tags = try NSRegularExpression(pattern: "<[^>]*>").matches(in: lower, range: NSRange(lower.startIndex..., in: lower))
            .map { String(lower[Range($0.range, in: lower)!]) }
        XCTAssertGreaterThan(tags.count, 100)
        let handler = try NSRegularExpression(pattern: "\\son[a-z]+\\s*=")
        for tag in tags {
            for bad in [
                "src=", "href=", "<link", "<iframe", "<img", "<object", "<embed", "<image", "<use", "<foreignobject", "<base",
                "<meta http-equiv",
            ] {
                XCTAssertFalse(tag.contains(bad), "\(bad) in \(tag)")
            }
            XCTAssertNil(handler.firstMatch(in: tag, range: NSRange(tag.startIndex..., in: tag)), "an event handler: \(tag)")
        }
        let css = try XCTUnwrap(lower.components(separatedBy: "<style>").dropFirst().first?.components(separatedBy: "</style>").first)
        XCTAssertFalse(css.contains("url(") || css.contains("@import") || css.contains("@font-face"), "the CSS loads nothing")
        // The only http is the SVG namespace name (an identifier, never fetched).
        XCTAssertEqual(
            lower.components(separatedBy: "http").count - 1, lower.components(separatedBy: "xmlns=\"http://www.w3.org/2000/svg\"").count - 1
        )
        XCTAssertTrue(page.contains("<meta name=\"viewport\" content=\"width=device-width\">"))
        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))

        // Escaped: the hostile title, brand and shop name appear as text only.
        XCTAssertTrue(page.contains("PEVIL1  &lt;U+202E&gt;&lt;script&gt;alert(1)&lt;/script&gt;"), "title escaped")
        XCTAssertTrue(page.contains("&lt;b&gt;小美&lt;/b&gt;&amp;amp;"), "shop name escaped")
        XCTAssertFalse(page.contains("\u{202E}"), "a bidirectional control is written out, not kept")

        // The summary's figures are the ledger's, formatted as ¥1,234.50.
        let e = s.run("--json", "earnings")
        XCTAssertExit(e, 0)
        for key in ["pending_fen", "frozen_fen", "released_fen", "rewards_fen", "withdrawn_fen", "available_fen"] {
            let fen = try XCTUnwrap(e.object[key] as? Int)
            XCTAssertTrue(page.contains(">\(yuan(fen))</dd>"), "\(key) \(yuan(fen)) on the page")
        }
        XCTAssertTrue(page.contains(try XCTUnwrap(e.object["level"] as? String)))
        // One chart per grouping; each group's commission as the report computes it.
        XCTAssertEqual(page.components(separatedBy: "<svg ").count - 1, 6)
        for by in ["week", "month", "product", "category", "channel"] {
            let rows = s.run("--json", "earnings", "report", "--by", by)
            XCTAssertExit(rows, 0)
            XCTAssertFalse(rows.array.isEmpty)
            for row in rows.array {
                let fen = try XCTUnwrap(row["commission_fen"] as? Int)
                XCTAssertTrue(page.contains("commission \(yuan(fen)) · \(row["orders"] as? Int ?? -1) orders"), "\(by) \(row["key"] ?? "")")
            }
        }

        // Written like every file of ours: refused when it exists, replaced with --force.
        let before = s.bytes(out)
        XCTAssertExit(s.run("--json", "earnings", "report", "--html", out), 2, "file-exists")
        XCTAssertEqual(s.bytes(out), before)
        XCTAssertExit(s.run("--json", "earnings", "report", "--html", s.db, "--force"), 2)
        let zh = s.run("--json", "earnings", "report", "--html", out, "--force", "--period", "2026-11", env: ["SHOPCTL_LANG": "zh_CN"])
        XCTAssertExit(zh, 0)
        XCTAssertEqual(zh.object["file"] as? String, out)
        let zhPage = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(zhPage.contains("<html lang=\"zh-CN\">"))
        XCTAssertTrue(zhPage.contains("可提现") && zhPage.contains("2026-11-01 – 2026-11-30"))
        XCTAssertFalse(zhPage.contains("2026-10-"), "the period limits the charts")
    }

    func testAnEmptyShopStillGivesAPage() throws {
        let s = try Sandbox()
        XCTAssertExit(s.run("open-shop", "--member", "m1", "--name", "小美", "--credit-score", "720", "--verified"), 0)
        XCTAssertExit(s.run("earnings", "report", "--html", s.path("r.html")), 0)
        let page = try String(contentsOfFile: s.path("r.html"), encoding: .utf8)
        XCTAssertEqual(page.components(separatedBy: "No orders in this period.").count - 1, 6)
        XCTAssertExit(s.run("--json", "earnings", "report", "--html", s.path("missing/r.html")), 2, "bad-argument")
    }

    // MARK: - Headless Chromium

    static func chromium() -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let p = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: p) { return p }
            }
        }
        return nil
    }

    /// Runs `exe args` (at most `timeout` seconds), returns its exit status and output.
    static func run(_ exe: String, _ args: [String], env: [String: String]? = nil, timeout: Int = 120) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = [String(timeout), exe] + args
        if let env { p.environment = env }
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        let exited = Sandbox.exitSignal(p)
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        exited.wait()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A screenshot of `page` 390 px wide (a phone), as `scripts/screenshot-report.sh` takes it.
    static func screenshot(_ chromium: String, _ page: String, _ png: String, in dir: String) throws {
        let profile = dir + "/chromium-profile"
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true)
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = profile
        let (status, output) = try run(
            chromium,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--screenshot=" + png, "--window-size=390,2000", URL(fileURLWithPath: page).absoluteString,
            ], env: env)
        XCTAssertEqual(status, 0, output)
    }

    /// Distinct colours of a PNG and the pixels of `hex`, by scripts/png_colours.py.
    static func colours(_ png: String, _ hex: String) throws -> (colours: Int, matching: Int) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/png_colours.py").path
        let (status, out) = try run("/usr/bin/env", ["python3", script, png, hex])
        XCTAssertEqual(status, 0, out)
        var figures: [String: Int] = [:]
        for line in out.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 2 { figures[String(f[0])] = Int(f[1]) }
        }
        return (figures["colours"] ?? 0, figures[hex] ?? 0)
    }

    func testTheDemosReportRendersInHeadlessChromiumAndIsNotBlank() throws {
        guard let chromium = Self.chromium() else { throw XCTSkip("chromium not installed (apt-get install chromium)") }
        let s = try demoStore()
        let page = s.path("report.html")
        XCTAssertExit(s.run("earnings", "report", "--html", page), 0)
        let shot = s.path("report.png")
        try Self.screenshot(chromium, page, shot, in: s.dir.path)
        // The same screenshot of a blank page: one colour. The check can fail.
        let blank = try s.write("blank.html", "<!DOCTYPE html><meta name=\"viewport\" content=\"width=device-width\"><title>x</title>")
        let blankShot = s.path("blank.png")
        try Self.screenshot(chromium, blank, blankShot, in: s.dir.path)
        let empty = try Self.colours(blankShot, "e4572e")
        XCTAssertLessThanOrEqual(empty.colours, 2)
        XCTAssertEqual(empty.matching, 0)
        // The report: text (anti-aliased: many colours) and its bars (the bar colour, e4572e).
        let full = try Self.colours(shot, "e4572e")
        XCTAssertGreaterThan(full.colours, 100, "text drawn")
        XCTAssertGreaterThan(full.matching, 5_000, "bars drawn")
    }
}
