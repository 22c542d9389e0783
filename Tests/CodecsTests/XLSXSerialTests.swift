import XCTest

@testable import Codecs

/// `XLSXReader.double` reads a cell's bytes as `Double(String)` does, with or without its fast path.
final class XLSXSerialTests: XCTestCase {
    func testReadsAsDoubleOfStringDoes() {
        let texts = [
            "46257.395891203705", "46266.964375", "0", "60", "61", "2958465.9999999", "00012.5000", "5.", ".5", ".", "",
            "1.2.3", "1e5", "1E-3", "-1", "+1", " 1", "1 ", "nan", "inf", "0x10", "12345678901234567890123456789",
            String(repeating: "9", count: 70), "1" + String(repeating: "0", count: 62) + ".5",
        ]
        for text in texts {
            let got = XLSXReader.double(Array(text.utf8))
            let want = Double(text)
            XCTAssertEqual(got?.bitPattern, want?.bitPattern, "\(text)")
            XCTAssertEqual(got == nil, want == nil, "\(text)")
        }
    }
}
