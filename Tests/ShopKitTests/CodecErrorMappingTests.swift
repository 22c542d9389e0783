import Codecs
import XCTest

@testable import ShopKit

/// `ShopError(_: CodecError)`: the one place a codec's error becomes the error users see.
final class CodecErrorMappingTests: XCTestCase {

    func testKindsCodesAndMessagesCarryOver() {
        let bad = CodecError(.invalidInput, "bad-csv", en: "line 2: broken", zh: "第 2 行：损坏")
        XCTAssertEqual(ShopError(bad), ShopError(.invalidInput, "bad-csv", en: "line 2: broken", zh: "第 2 行：损坏"))
        let long = CodecError(.usage, "qr-too-long", en: "too long", zh: "太长")
        XCTAssertEqual(ShopError(long), ShopError.usage("qr-too-long", en: "too long", zh: "太长"))
    }

    func testMappingCodecErrorsLetsOtherErrorsThrough() throws {
        XCTAssertThrowsError(try ShopError.mappingCodecErrors { try JSON.parse("[1,]") }) { error in
            XCTAssertEqual((error as? ShopError)?.kind, .invalidInput)
            XCTAssertEqual((error as? ShopError)?.code, "bad-json")
        }
        let rule = ShopError.rule("credit-score", en: "low", zh: "低")
        XCTAssertThrowsError(try ShopError.mappingCodecErrors { throw rule }) { error in
            XCTAssertEqual(error as? ShopError, rule)
        }
        XCTAssertEqual(try ShopError.mappingCodecErrors { 7 }, 7)
    }
}
