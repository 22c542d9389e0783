import FuzzSupport
import XCTest

@testable import Codecs

final class XMLTokenizerTests: XCTestCase {
    /// Every event of `xml` read in chunks of `chunk` bytes, as text: `<name a=v>`, `</name>`, `"text"`.
    private func events(_ xml: String, chunk: Int = 3) throws -> [String] {
        var t = XMLTokenizer(source: ByteChunks.bytes(Array(xml.utf8), chunkSize: chunk), part: "p.xml")
        var out: [String] = []
        while let e = try t.next() {
            switch e {
            case .start:
                var s = "<" + t.name
                if let v = try t.attributeText("r") { s += " r=\(v)" }
                if let v = try t.attributeText("t") { s += " t=\(v)" }
                out.append(s + (t.selfClosing ? "/>" : ">"))
            case .end: out.append("</\(t.name)>")
            case .text: out.append("\"\(t.textString)\"")
            }
        }
        return out
    }

    func testElementsAttributesAndText() throws {
        for chunk in [1, 2, 5, 4096] {
            XCTAssertEqual(
                try events(
                    "<?xml version=\"1.0\"?>\n<!-- a > comment -->"
                        + "<x:c r=\"B2\" t='s' xmlns:x=\"u\"><v>12</v><e/></x:c><c  r = \"a>b\" />", chunk: chunk),
                ["\"\n\"", "<c r=B2 t=s>", "<v>", "\"12\"", "</v>", "<e/>", "</c>", "<c r=a>b/>"], "chunk \(chunk)")
        }
    }

    func testEntitiesAndCharacterReferences() throws {
        XCTAssertEqual(
            try events("<t a=\"&lt;&amp;&quot;\">&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#20013;&#x6587;&#x1F600;</t>"),
            ["<t>", "\"<a> & \"b\" 'c' 中文😀\"", "</t>"])
        var t = XMLTokenizer(source: ByteChunks.bytes(Array("<t r=\"&lt;&amp;\"/>".utf8)), part: "p.xml")
        _ = try t.next()
        XCTAssertEqual(try t.attributeText("r"), "<&")
        XCTAssertEqual(try events("<t><![CDATA[<raw & ]] text>]]></t>", chunk: 2), ["<t>", "\"<raw & ]] text>\"", "</t>"])
    }

    func testRefusals() {
        assertInputError(
            { try self.events("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">]><t>&lol;</t>") },
            code: "bad-xlsx", en: ["p.xml", "line 1", "DOCTYPE"], zh: ["DOCTYPE"])
        assertInputError({ try self.events("<t>&lol;</t>") }, code: "bad-xlsx", en: ["unknown entity &lol;"])
        assertInputError({ try self.events("<t>&#0;</t>") }, code: "bad-xlsx", en: ["&#0;"])
        assertInputError({ try self.events("<t>&#xD800;</t>") }, code: "bad-xlsx")
        assertInputError({ try self.events("<t>a & b</t>") }, code: "bad-xlsx", en: ["&"])
        assertInputError({ try self.events("<t>\n\n  <c r=\"1") }, code: "bad-xlsx", en: ["line 3, column 3", "ends inside a tag"])
        assertInputError({ try self.events("<t a=b/>") }, code: "bad-xlsx", en: ["quotes"])
        assertInputError({ try self.events("<t><![CDATA[abc") }, code: "bad-xlsx", en: ["CDATA"])
        XCTAssertEqual(try events("<t>ÿ</t>"), ["<t>", "\"ÿ\"", "</t>"])
        var t = XMLTokenizer(source: ByteChunks.bytes([0x3c, 0x74, 0x3e, 0xff, 0x3c, 0x2f, 0x74, 0x3e]), part: "p.xml")
        XCTAssertNoThrow(try t.next())
        assertInputError({ try t.next() }, code: "bad-xlsx", en: ["not UTF-8"])
        var long = XMLTokenizer(
            source: ByteChunks.bytes(Array(("<t>" + String(repeating: "x", count: 5000) + "</t>").utf8)), part: "p.xml",
            maxTokenBytes: 1000)
        XCTAssertNoThrow(try long.next())
        assertInputError({ try long.next() }, code: "bad-xlsx", en: ["longer than 1000 bytes"])
    }

    func testNoiseNeverCrashes() {
        var generator = FuzzRandom.replayable("XMLTokenizerTests.testNoiseNeverCrashes")
        let alphabet = Array("<>/=\"'&;#x!-[]?CDATA abc\n".utf8)
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0..<80, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }
            var t = XMLTokenizer(source: ByteChunks.bytes(bytes, chunkSize: Int.random(in: 1...9, using: &generator)), part: "p")
            do {
                var n = 0
                while try t.next() != nil {
                    n += 1
                    XCTAssertLessThan(n, 200)
                }
            } catch let e as CodecError {
                XCTAssertEqual(e.code, "bad-xlsx")
            } catch { XCTFail("\(error)") }
        }
    }
}
