import XCTest

@testable import Codecs

/// Runs `body` expecting a refused input: a `CodecError` of kind `.invalidInput` with `code`,
/// whose English and Chinese messages contain every string in `en` and `zh`. Returns the error.
@discardableResult
func assertInputError<T>(
    _ body: () throws -> T, code: String, en: [String] = [], zh: [String] = [],
    file: StaticString = #filePath, line: UInt = #line
) -> CodecError? {
    do {
        let result = try body()
        XCTFail("expected \(code), got \(result)", file: file, line: line)
        return nil
    } catch let error as CodecError {
        XCTAssertEqual(error.kind, .invalidInput, file: file, line: line)
        XCTAssertEqual(error.code, code, error.message.en, file: file, line: line)
        for part in en {
            XCTAssertTrue(error.message.en.contains(part), "\(error.message.en) lacks \(part)", file: file, line: line)
        }
        for part in zh {
            XCTAssertTrue(error.message.zh.contains(part), "\(error.message.zh) lacks \(part)", file: file, line: line)
        }
        return error
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
        return nil
    }
}

/// `text` in UTF-16 without a byte order mark, as Excel and Notepad write it.
func utf16Bytes(_ text: String, bigEndian: Bool) -> [UInt8] {
    var result: [UInt8] = []
    for unit in text.utf16 {
        let (high, low) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
        result += bigEndian ? [high, low] : [low, high]
    }
    return result
}
