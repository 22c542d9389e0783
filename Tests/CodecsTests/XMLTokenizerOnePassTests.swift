import XCTest

@testable import Codecs

/// A tag wholly in the buffer is read in one pass (`quickScanTag`); a tag cut by a chunk's end,
/// or anything unusual, by the careful path. Both must read every document alike: the same
/// events, names, attributes and errors (with their positions), whatever the chunk size.
final class XMLTokenizerOnePassTests: XCTestCase {
    private static let documents = [
        #"<?xml version="1.0"?><worksheet xmlns="http://x" xmlns:r="http://r"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>46257.395891203705</v></c></row></sheetData></worksheet>"#,
        #"<x:c x:r="A1"  t = 's' ><x:v>1</x:v></x:c><c r="B1"/><c r='C1' />"#,
        #"<c r="a>b" t="x'y"><v>&lt;&amp;</v></c>"#,
        #"<a"b c="x">y">z</a>"#,
        #"<a b'c="x">text</a>"#,
        "<a\tb=\"1\"\n c=\"2\"\r\n/><b></b >",
        #"<a b="1" c>"#,
        #"<a b=1>"#,
        #"<a b="1>"#,
        #"</a b="1">"#,
        #"</a/>"#,
        #"<a/ >"#,
        #"<a b/>"#,
        #"<a ="1">"#,
        #"< a>"#,
        #"<>"#,
        #"<a b="1" "#,
        "<a>\n<b c=\"1\">\n<d e=\"2\"/></b></a>",
        #"<c r="A1"><is><t>a</t><rPh><t>b</t></rPh></is></c>"#,
    ]

    private func trace(_ text: String, chunk: Int) -> [String] {
        var t = XMLTokenizer(source: ByteChunks.bytes(Array(text.utf8), chunkSize: chunk), part: "p.xml")
        var out: [String] = []
        do {
            while let event = try t.next() {
                switch event {
                case .start:
                    let attributes = try [
                        t.attributeText("r"), t.attributeText("t"), t.attributeText("s"), t.attributeText("b"),
                        t.attributeText("c"), t.attributeText("e"),
                    ].map { $0 ?? "-" }
                    out.append("start \(t.name) \(t.selfClosing) \(attributes)")
                case .end: out.append("end \(t.name)")
                case .text: out.append("text \(t.textString)")
                }
            }
        } catch let e as CodecError {
            out.append("error \(e.code) \(e.message.en)")
        } catch {
            out.append("error \(error)")
        }
        return out
    }

    func testEveryChunkSizeReadsAlike() {
        for document in Self.documents {
            let whole = trace(document, chunk: 1 << 16)
            for chunk in 1...(document.utf8.count + 1) {
                XCTAssertEqual(trace(document, chunk: chunk), whole, "chunk \(chunk): \(document)")
            }
        }
    }

    func testTheWellFormedCellsAreReadInOnePassAsBefore() {
        XCTAssertEqual(
            trace(Self.documents[1], chunk: 1 << 16),
            [
                "start c false [\"A1\", \"s\", \"-\", \"-\", \"-\", \"-\"]", "start v false [\"-\", \"-\", \"-\", \"-\", \"-\", \"-\"]",
                "text 1", "end v", "end c", "start c true [\"B1\", \"-\", \"-\", \"-\", \"-\", \"-\"]",
                "start c true [\"C1\", \"-\", \"-\", \"-\", \"-\", \"-\"]",
            ])
    }
}
