import Foundation
import XCTest

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Posters a shopkeeper can post (SPEC §4 share-link `--poster FILE.svg|FILE.png`): one
/// 1080-wide layout for SVG and PNG, the product's image and the shop's logo embedded, the QR
/// code centred with one quiet zone and readable by a scanner from the PNG.
final class PosterTests: XCTestCase {
    // MARK: - Fixtures

    /// A small PNG of `width` × `height` (1-bit grayscale, stored zlib blocks), built here so
    /// the test does not depend on the code under test.
    static func png(width: Int = 8, height: Int = 8) -> [UInt8] {
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func crc(_ d: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in d {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            }
            return c ^ 0xFFFF_FFFF
        }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be(UInt32(data.count)) + body + be(crc(body))
        }
        let rowBytes = (width + 7) / 8
        var raw: [UInt8] = []
        for y in 0..<height { raw += [0] + (0..<rowBytes).map { UInt8(($0 + y) % 2 == 0 ? 0xAA : 0x55) } }
        var a: UInt32 = 1
        var b: UInt32 = 0
        for x in raw {
            a = (a + UInt32(x)) % 65521
            b = (b + a) % 65521
        }
        precondition(raw.count < 65_535)
        let n = UInt16(raw.count)
        let zlib: [UInt8] = [0x78, 0x01, 1, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + raw + be(b << 16 | a)
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", be(UInt32(width)) + be(UInt32(height)) + [1, 0, 0, 0, 0])
            + chunk("IDAT", zlib) + chunk("IEND", [])
    }

    /// A store whose shop has a logo and whose product P1 has an image (both PNG files), P1
    /// picked with `reason`; P2 has no image.
    func shop(title: String = "西湖龙井 明前特级 250g", reason: String = "自家常备，回购了好几次") throws -> Sandbox {
        let s = try Sandbox()
        try FileManager.default.createDirectory(atPath: s.path("feed/images"), withIntermediateDirectories: true)
        try s.write("feed/images/tea.png", bytes: Self.png(width: 16, height: 16))
        try s.write("logo.png", bytes: Self.png(width: 12, height: 12))
        XCTAssertExit(s.run("init", "--platform", "taoxiaopu"), 0)
        XCTAssertExit(
            s.run("open-shop", "--member", "m1", "--name", "小美好物", "--credit-score", "720", "--verified", "--logo", s.path("logo.png")), 0)
        let sp = try s.write("feed/suppliers.csv", Feeds.supplierHeader + Feeds.goodSupplier)
        let quoted = "\"" + title.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let pp = try s.write(
            "feed/products.csv",
            Feeds.productHeader.replacingOccurrences(of: "description\n", with: "description,image\n")
                + "P1,SP1,\(quoted),西湖,食品保健,129.50,20,100,on,,,,,,,images/tea.png\n"
                + "P2,SP1,无图商品,西湖,食品保健,19.90,20,100,on,,,,,,,\n")
        XCTAssertExit(s.run("catalog", "import", "--suppliers", sp, "--products", pp), 0)
        XCTAssertExit(s.run("pick-products", "add", "P1", "P2", "--reason", reason), 0)
        return s
    }

    func shares(_ s: Sandbox) throws -> String { try s.sqlite("SELECT count(*) FROM shares") }

    /// Width and height from a PNG's IHDR.
    func pngSize(_ bytes: Data?, file: StaticString = #filePath, line: UInt = #line) -> (Int, Int)? {
        guard let b = bytes.map(Array.init), b.count > 24, Array(b[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            Array(b[12..<16]) == Array("IHDR".utf8)
        else {
            XCTFail("not a PNG", file: file, line: line)
            return nil
        }
        func be(_ i: Int) -> Int { Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3]) }
        return (be(16), be(20))
    }

    static let zbarimg = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// What zbarimg reads from a picture (QR codes only), one line per symbol.
    func scan(_ path: String) throws -> [String] {
        guard let zbar = Self.zbarimg else { throw XCTSkip("zbarimg is not installed (apt-get install zbar-tools)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: zbar)
        p.arguments = ["--raw", "-q", "-Sdisable", "-Sqrcode.enable", path]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func svg(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// An attribute's value on the first element matching `prefix` (e.g. `<svg`).
    func attribute(_ name: String, of prefix: String, in svg: String) -> String? {
        guard let start = svg.range(of: prefix) else { return nil }
        let tag = svg[start.lowerBound...].prefix { $0 != ">" }
        guard let a = tag.range(of: " \(name)=\"") else { return nil }
        return String(tag[a.upperBound...].prefix { $0 != "\"" })
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// A folder holding only the given programs (links to the real ones, or scripts).
    func pathWith(_ s: Sandbox, _ name: String, links: [String: String] = [:], scripts: [String: String] = [:]) throws -> String {
        let dir = s.path(name)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (tool, target) in links { try FileManager.default.createSymbolicLink(atPath: dir + "/" + tool, withDestinationPath: target) }
        for (tool, body) in scripts {
            try s.write(name + "/" + tool, "#!/bin/sh\n" + body + "\n")
            chmod(dir + "/" + tool, 0o755)
        }
        return dir
    }

    func requireRenderer() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert") else {
            throw XCTSkip("rsvg-convert is not installed (apt-get install librsvg2-bin fonts-noto-cjk)")
        }
    }

    // MARK: - PNG

    func testPNGPosterIs1080WideAndItsQRCodeScansToTheShareURL() throws {
        try requireRenderer()
        let s = try shop()
        for (args, file) in [(["P1"], "p1.png"), (["P2"], "p2.PNG"), (["--storefront"], "shop.png")] {
            let r = s.run(["share-link"] + args + ["--poster", s.path(file), "--json"])
            XCTAssertExit(r, 0)
            let url = try XCTUnwrap(r.object["url"] as? String)
            let size = try XCTUnwrap(pngSize(s.bytes(s.path(file))))
            XCTAssertEqual(size.0, 1080, "\(file) is 1080 px wide")
            XCTAssertGreaterThan(size.1, 1080, "\(file) is a portrait poster")
            XCTAssertEqual(try scan(s.path(file)), [url], "a scanner reads exactly the share url from \(file)")
        }
    }

    func testSVGAndPNGComeFromOneLayout() throws {
        try requireRenderer()
        let s = try shop()
        for args in [["P1"], ["P2"], ["--storefront"]] {
            XCTAssertExit(s.run(["share-link"] + args + ["--poster", s.path("a.svg"), "--force"]), 0)
            XCTAssertExit(s.run(["share-link"] + args + ["--poster", s.path("a.png"), "--force"]), 0)
            let text = try svg(s.path("a.svg"))
            let size = try XCTUnwrap(pngSize(s.bytes(s.path("a.png"))))
            XCTAssertEqual(attribute("width", of: "<svg", in: text), "1080")
            XCTAssertEqual(attribute("viewBox", of: "<svg", in: text), "0 0 1080 \(size.1)", "\(args): the SVG's canvas is the PNG's")
            XCTAssertEqual(attribute("height", of: "<svg", in: text), String(size.1))
        }
    }

    // MARK: - Layout

    func testImageAndLogoAreEmbeddedAsDataURIs() throws {
        let s = try shop()
        XCTAssertExit(s.run("share-link", "P1", "--poster", s.path("p1.svg")), 0)
        let text = try svg(s.path("p1.svg"))
        let image = "data:image/png;base64," + Data(try XCTUnwrap(s.bytes(s.path("feed/images/tea.png")))).base64EncodedString()
        let logo = "data:image/png;base64," + Data(try XCTUnwrap(s.bytes(s.path("logo.png")))).base64EncodedString()
        XCTAssertTrue(text.contains("xlink:href=\"\(image)\""), "the product image is embedded")
        XCTAssertTrue(text.contains("xlink:href=\"\(logo)\""), "the logo is embedded")
        XCTAssertFalse(text.contains("file:") || text.contains(s.dir.path), "nothing refers to a file outside the SVG")
        for must in ["西湖龙井 明前特级 250g", "¥129.50", "自家常备，回购了好几次", "小美好物淘小铺"] {
            XCTAssertTrue(text.contains(must), "the poster shows \(must)")
        }
        // P2 has no image: the poster has the logo only, and no empty image slot.
        XCTAssertExit(s.run("share-link", "P2", "--poster", s.path("p2.svg")), 0)
        let p2 = try svg(s.path("p2.svg"))
        XCTAssertEqual(p2.components(separatedBy: "data:image/").count - 1, 1)
        XCTAssertFalse(p2.contains("id=\"product-image\""))
        let h1 = Int(try XCTUnwrap(attribute("height", of: "<svg", in: text)))!
        let h2 = Int(try XCTUnwrap(attribute("height", of: "<svg", in: p2)))!
        XCTAssertLessThan(h2, h1 - 600, "without an image the poster is shorter, not an empty band")
    }

    func testStorefrontPosterShowsTheShopNameOnce() throws {
        let s = try shop()
        XCTAssertExit(s.run("shop", "edit", "--description", "宝妈自用好物分享"), 0)
        XCTAssertExit(s.run("share-link", "--storefront", "--poster", s.path("shop.svg")), 0)
        let text = try svg(s.path("shop.svg"))
        XCTAssertEqual(text.components(separatedBy: "小美好物").count - 1, 1, "the name appears once")
        XCTAssertTrue(text.contains("宝妈自用好物分享"), "and the description")
    }

    /// The QR code's white square is centred and holds exactly one quiet zone of 4 modules; the
    /// caption starts below it; nothing is left empty at the bottom.
    func testQRCodeIsCentredWithOneQuietZoneAndTheCaptionBelowIt() throws {
        let s = try shop()
        for args in [["P1"], ["P2"], ["--storefront"]] {
            XCTAssertExit(s.run(["share-link"] + args + ["--poster", s.path("q.svg"), "--force"]), 0)
            let text = try svg(s.path("q.svg"))
            let module = Int(try XCTUnwrap(attribute("data-module", of: "<g id=\"qr\"", in: text)))!
            let group = try XCTUnwrap(text.range(of: "<g id=\"qr\""))
            let rect = String(text[group.lowerBound...])
            let x = Int(try XCTUnwrap(attribute("x", of: "<rect", in: rect)))!
            let y = Int(try XCTUnwrap(attribute("y", of: "<rect", in: rect)))!
            let side = Int(try XCTUnwrap(attribute("width", of: "<rect", in: rect)))!
            XCTAssertLessThanOrEqual(abs(2 * x + side - 1080), 1, "\(args): centred (x \(x), side \(side))")
            XCTAssertGreaterThanOrEqual(side, 400, "large enough to scan from a phone screen")
            let path = try XCTUnwrap(attribute("d", of: "<path", in: rect))
            let points = path.split(separator: "M").dropFirst().map { $0.prefix { $0 != "h" }.split(separator: ",").map { Int($0)! } }
            XCTAssertEqual(points.map { $0[0] }.min(), x + 4 * module, "\(args): one quiet zone at the left")
            XCTAssertEqual(points.map { $0[1] }.min(), y + 4 * module, "\(args): one quiet zone at the top")
            XCTAssertEqual(side % module, 0)
            XCTAssertEqual((side / module - 8 - 17) % 4, 0, "a QR code's modules (17 + 4 × version), plus 4 + 4 of quiet zone")
            let captionAt = try XCTUnwrap(text.range(of: "<text id=\"caption\""))
            let caption = String(text[captionAt.lowerBound...])
            let baseline = Int(try XCTUnwrap(attribute("y", of: "<text", in: caption)))!
            let size = Int(try XCTUnwrap(attribute("font-size", of: "<text", in: caption)))!
            XCTAssertGreaterThan(baseline - size, y + side + 3 + 8, "\(args): the caption starts below the QR code's frame")
            let height = Int(try XCTUnwrap(attribute("height", of: "<svg", in: text)))!
            XCTAssertLessThanOrEqual(height - baseline, 80, "\(args): no empty band at the bottom")
        }
    }

    func testPosterTextIsEscapedXML() throws {
        let title = "A<b>&\"x\" 'y' 龙井 ]]> &amp;"
        let s = try shop(title: title, reason: "好用 & <实惠> \"真\" '好'")
        XCTAssertExit(s.run("share-link", "P1", "--poster", s.path("x.svg")), 0)
        let text = try svg(s.path("x.svg"))
        XCTAssertTrue(text.contains("A&lt;b&gt;&amp;&quot;x&quot; &apos;y&apos; 龙井 ]]&gt; &amp;amp;"))
        XCTAssertTrue(text.contains("好用 &amp; &lt;实惠&gt; &quot;真&quot; &apos;好&apos;"))
        let parser = XMLParser(data: Data(text.utf8))
        XCTAssertTrue(parser.parse(), "well-formed XML: \(String(describing: parser.parserError))")
        final class Texts: NSObject, XMLParserDelegate {
            var all = ""
            func parser(_ parser: XMLParser, foundCharacters string: String) { all += string }
        }
        let texts = Texts()
        let again = XMLParser(data: Data(text.utf8))
        again.delegate = texts
        XCTAssertTrue(again.parse())
        XCTAssertTrue(texts.all.contains(title), "the title reads back as it was")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/rsvg-convert") {
            XCTAssertExit(s.run("share-link", "P1", "--poster", s.path("x.png")), 0)
        }
    }

    // MARK: - Without a renderer

    func testWithoutRsvgConvertAPNGPosterExits5NamingThePackagesAndTheSVGStillWorks() throws {
        let s = try shop()
        let empty = try pathWith(s, "empty-bin")
        let logged = try shares(s)
        let r = s.run("share-link", "P1", "--poster", s.path("p.png"), "--qr-png", s.path("qr.png"), "--json", env: ["PATH": empty])
        XCTAssertExit(r, 5, "renderer-missing")
        let message = try XCTUnwrap(r.errorMessage)
        XCTAssertTrue(message.contains("librsvg2-bin") && message.contains("fonts-noto-cjk") && message.contains("rsvg-convert"), message)
        XCTAssertFalse(exists(s.path("p.png")))
        XCTAssertFalse(exists(s.path("qr.png")))
        XCTAssertEqual(try shares(s), logged, "no link recorded")
        let daily = s.run(
            "share-link", "daily", "--posters", s.path("plan"), "--poster-format", "png", "--json", env: ["PATH": empty])
        XCTAssertExit(daily, 5, "renderer-missing")
        XCTAssertFalse(exists(s.path("plan")), "no folder made")
        XCTAssertEqual(try shares(s), logged, "no plan recorded")
        XCTAssertExit(s.run("share-link", "P1", "--poster", s.path("p.svg"), env: ["PATH": empty]), 0)
        XCTAssertTrue(try svg(s.path("p.svg")).hasPrefix("<?xml"))
    }

    func testWithoutAChineseFontAPNGPosterExits5() throws {
        try requireRenderer()
        let s = try shop()
        let bin = try pathWith(s, "nofont-bin", links: ["rsvg-convert": "/usr/bin/rsvg-convert"], scripts: ["fc-list": "exit 0"])
        let logged = try shares(s)
        let r = s.run("share-link", "P1", "--poster", s.path("p.png"), "--json", env: ["PATH": bin])
        XCTAssertExit(r, 5, "font-missing")
        XCTAssertTrue(r.errorMessage?.contains("fonts-noto-cjk") ?? false)
        XCTAssertFalse(exists(s.path("p.png")))
        XCTAssertEqual(try shares(s), logged)
    }

    func testARendererThatFailsOrWritesGarbageLeavesNothing() throws {
        let s = try shop()
        let logged = try shares(s)
        for (name, body) in [
            ("fails", "echo 'rsvg: broken' >&2; exit 3"),
            ("garbage", "while [ $# -gt 1 ]; do [ \"$1\" = --output ] && echo junk > \"$2\"; shift; done; exit 0"),
            ("writes-the-wrong-size", "while [ $# -gt 1 ]; do [ \"$1\" = --output ] && cp \(s.path("logo.png")) \"$2\"; shift; done"),
        ] {
            let bin = try pathWith(s, "bin-\(name)", scripts: ["rsvg-convert": body])
            let r = s.run("share-link", "P1", "--poster", s.path("p.png"), "--json", env: ["PATH": bin])
            XCTAssertExit(r, 5, "render-failed")
            XCTAssertFalse(exists(s.path("p.png")), name)
            XCTAssertEqual(try shares(s), logged, name)
        }
    }

    // MARK: - Images

    func testBadImagesAreRowBadValuesAtImport() throws {
        let s = try shop()
        try s.write("outside.png", bytes: Self.png())
        try s.write("feed/images/text.png", "not a picture\n")
        try s.write("feed/images/empty.png", "")
        var huge = Self.png()
        huge.replaceSubrange(16..<20, with: [0, 1, 0x86, 0xA0])  // 100000 px wide
        try s.write("feed/images/huge.png", bytes: huge)
        try s.write("feed/images/big.png", bytes: Self.png() + [UInt8](repeating: 0, count: 4 << 20))
        try FileManager.default.createSymbolicLink(atPath: s.path("feed/images/link.png"), withDestinationPath: s.path("outside.png"))
        try FileManager.default.createDirectory(atPath: s.path("feed/images/dir.png"), withIntermediateDirectories: true)
        let cases = [
            s.path("outside.png"), "../outside.png", "images/../../outside.png", "images/link.png", "images/text.png", "images/empty.png",
            "images/huge.png", "images/big.png", "images/missing.png", "images/dir.png", "~/x.png", "https://example.com/a.png",
        ]
        var csv = Feeds.productHeader.replacingOccurrences(of: "description\n", with: "description,image\n")
        for (i, c) in cases.enumerated() { csv += "B\(i),SP1,坏图\(i),西湖,食品保健,10,20,100,on,,,,,,,\(c)\n" }
        csv += "G1,SP1,好图,西湖,食品保健,10,20,100,on,,,,,,,./images/../images/tea.png\n"
        let pp = try s.write("feed/bad.csv", csv)
        let r = s.run("catalog", "import", "--products", pp, "--json")
        XCTAssertExit(r, 0)
        XCTAssertEqual(r.object["accepted"] as? Int, 1)
        let rejected = (r.object["rejected"] as? [[String: Any]]) ?? []
        XCTAssertEqual(rejected.map { $0["id"] as? String }, cases.indices.map { "B\($0)" })
        for row in rejected {
            XCTAssertEqual(row["code"] as? String, "bad-value")
            XCTAssertTrue((row["message"] as? String)?.contains("column image:") ?? false, "\(row)")
        }
        XCTAssertEqual(
            try s.sqlite("SELECT image FROM products WHERE product_id = 'G1'"),
            s.dir.resolvingSymlinksInPath().path + "/feed/images/tea.png")
    }

    func testAnImageThatChangedAfterImportIsRefusedAtPosterTime() throws {
        let s = try shop()
        try s.write("feed/images/tea.png", "now a text file\n")
        let logged = try shares(s)
        let r = s.run("share-link", "P1", "--poster", s.path("p.svg"), "--json")
        XCTAssertExit(r, 4, "bad-image")
        XCTAssertTrue(r.errorMessage?.contains("P1") ?? false)
        XCTAssertFalse(exists(s.path("p.svg")))
        XCTAssertEqual(try shares(s), logged)
        XCTAssertExit(s.run("share-link", "P1", "--json"), 0)  // a link without a poster does not need the image
        try FileManager.default.removeItem(atPath: s.path("logo.png"))
        XCTAssertExit(s.run("share-link", "P2", "--poster", s.path("p2.svg"), "--json"), 4, "bad-image")
        XCTAssertFalse(exists(s.path("p2.svg")))
    }

    func testALogoMustBeAPNGOrJPEGAndIsKeptAsAnAbsolutePath() throws {
        let s = try shop()
        try s.write("notes.txt", "hello\n")
        XCTAssertExit(s.run("shop", "edit", "--logo", s.path("notes.txt"), "--json"), 2, "bad-argument")
        XCTAssertExit(
            s.run("open-shop", "--member", "m2", "--name", "另一家", "--verified", "--logo", s.path("notes.txt"), "--json"), 2, "bad-argument")
        var jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        jpeg += [0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x20, 0x00, 0x30, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]
        try s.write("logo.jpg", bytes: jpeg)
        let p = Process()
        p.executableURL = Sandbox.binary
        p.arguments = ["shop", "edit", "--logo", "logo.jpg"]
        p.currentDirectoryURL = s.dir
        p.environment = s.env
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertEqual(try s.sqlite("SELECT logo FROM shops"), s.dir.resolvingSymlinksInPath().path + "/logo.jpg")
        XCTAssertExit(s.run("share-link", "P1", "--poster", s.path("j.svg")), 0)
        XCTAssertTrue(try svg(s.path("j.svg")).contains("data:image/jpeg;base64," + Data(jpeg).base64EncodedString()))
    }

    // MARK: - The demo's posters

    /// The demo's own poster shows the example catalog's picture and the demo shop's logo; and
    /// scripts/render-demo-posters.sh renders every demo poster as PNG and reads each QR code back.
    func testEveryDemoPosterHasItsPicturesAndScansToItsLink() throws {
        try requireRenderer()
        guard Self.zbarimg != nil else { throw XCTSkip("zbarimg is not installed (apt-get install zbar-tools)") }
        let s = try Sandbox()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [root.appendingPathComponent("scripts/render-demo-posters.sh").path, s.path("posters")]
        var env = s.env
        env["SHOPCTL"] = Sandbox.binary.path
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, text)
        let lines = text.split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.hasPrefix("ok ") }.count, 12 + 1 + 6, "12 picks, the storefront, 6 slots: \(text)")
        XCTAssertFalse(text.contains("FAIL"))
        let folders = try FileManager.default.contentsOfDirectory(atPath: s.path("posters")).filter { $0.hasPrefix("shopctl-demo-") }
        let poster = try svg(s.path("posters/" + XCTUnwrap(folders.first) + "/poster.svg"))
        XCTAssertTrue(poster.contains("<image id=\"logo\""), "the demo shop has a logo")
        XCTAssertTrue(poster.contains("<image id=\"product-image\""), "the demo's first pick has a picture")
    }

    // MARK: - Daily posters

    func testDailyPostersAsPNGEachScanToTheirSlotsURL() throws {
        try requireRenderer()
        let s = try shop()
        let r = s.run("share-link", "daily", "--count", "2", "--posters", s.path("plan"), "--poster-format", "png", "--json")
        XCTAssertExit(r, 0)
        let slots = r.array
        XCTAssertEqual(slots.count, 2)
        for (slot, hour) in zip(slots, ["08", "09"]) {
            let file = s.path("plan/\(hour).png")
            XCTAssertEqual(try XCTUnwrap(pngSize(s.bytes(file))).0, 1080)
            XCTAssertEqual(try scan(file), [try XCTUnwrap(slot["url"] as? String)])
        }
        XCTAssertFalse(exists(s.path("plan/08.svg")))
        XCTAssertExit(s.run("share-link", "daily", "--poster-format", "gif", "--posters", s.path("x"), "--json"), 2, "bad-argument")
        XCTAssertExit(s.run("share-link", "daily", "--poster-format", "png", "--json"), 2, "bad-argument")
    }
}

/// The hostile corpus file of posters (`Tests/Fixtures/hostile`, README line at the end).
extension HostileInputTests {
    static let images: [Case] = [
        rows(
            "products-image-paths.csv", accepted: 1,
            [
                bad(2, "I01", "column image: '/etc/passwd' must be a file path relative to the feed's folder"),
                bad(3, "I02", "column image: '../../../../../../etc/passwd' leads out of the feed's folder"),
                bad(4, "I03", "column image"), bad(5, "I04", "must be a file path relative to the feed's folder"),
                bad(6, "I05", "must be a file path relative to the feed's folder"), bad(7, "I06", "is not a file in the feed's folder"),
                bad(8, "I07", "contains a control character"), bad(9, "I08", "must be a file path relative to the feed's folder"),
                bad(10, "I09", "column image: 'missing.png' is not a file in the feed's folder"),
            ],
            verify: { p in
                XCTAssertNotNil(p.product("I10"))
                XCTAssertEqual(try p.sqlite("SELECT count(*) FROM products WHERE image IS NOT NULL OR product_id LIKE 'I0%'"), "0")
            })
    ]
}
