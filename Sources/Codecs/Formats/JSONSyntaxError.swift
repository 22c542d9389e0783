/// A strict-parser failure: what went wrong and at which byte. Turned into
/// `CodecError(.invalidInput, "bad-json", …)` with a line and column.
///
///     JSONSyntaxError(offset: 9, reason: .trailingComma)
///         .codecError(in: bytes, firstLine: 1)
///     // "invalid JSON at line 1, column 10: a trailing comma is not allowed"
struct JSONSyntaxError: Error, Sendable, Equatable {
    let offset: Int
    let reason: Reason

    /// What the parser was looking for.
    enum Expectation: Sendable, Equatable {
        case value, key, keyOrEnd, colon, commaOrBrace, commaOrBracket, valueOrEnd

        var en: String {
            switch self {
            case .value: return "a value (object, array, string, number, true, false or null)"
            case .valueOrEnd: return "a value or ']'"
            case .key: return "a key in double quotes"
            case .keyOrEnd: return "a key in double quotes or '}'"
            case .colon: return "':' after the key"
            case .commaOrBrace: return "',' or '}'"
            case .commaOrBracket: return "',' or ']'"
            }
        }

        var zh: String {
            switch self {
            case .value: return "一个值（对象、数组、字符串、数字、true、false 或 null）"
            case .valueOrEnd: return "一个值或 “]”"
            case .key: return "用双引号括起的键"
            case .keyOrEnd: return "用双引号括起的键或 “}”"
            case .colon: return "键后面的 “:”"
            case .commaOrBrace: return "“,” 或 “}”"
            case .commaOrBracket: return "“,” 或 “]”"
            }
        }
    }

    enum Reason: Sendable, Equatable {
        case emptyInput
        case unexpectedEnd(Expectation)
        case unexpected(String, Expectation)
        case trailingComma
        case comment
        case singleQuote
        case nanOrInfinity
        case invalidLiteral
        case number(JSONNumberGrammar.Problem)
        case unterminatedString
        case controlCharacter(String)
        case invalidEscape(String)
        case invalidUnicodeEscape
        case loneSurrogate(String)
        case duplicateKey(String)
        case trailingContent
        case tooDeep(Int)
    }

    // MARK: - Messages

    func codecError(in bytes: [UInt8], firstLine: Int) -> CodecError {
        let location = JSONSyntaxError.location(of: offset, in: bytes, firstLine: firstLine)
        let text = JSONSyntaxError.text(reason)
        return CodecError(
            .invalidInput, "bad-json",
            en: "invalid JSON at \(location.en): \(text.en)",
            zh: "JSON 格式错误（\(location.zh)）：\(text.zh)")
    }

    /// Line and character column of the byte at `offset` (or of the end).
    static func location(of offset: Int, in bytes: [UInt8], firstLine: Int) -> TextLocation {
        var tracker = PositionTracker()
        for byte in bytes[..<min(offset, bytes.count)] { tracker.advance(byte) }
        return TextLocation(line: firstLine - 1 + tracker.nextLine, column: tracker.nextCharacter)
    }

    private static func text(_ reason: Reason) -> (en: String, zh: String) {
        switch reason {
        case .emptyInput:
            return ("there is no JSON value (the input is empty)", "没有 JSON 值（输入为空）")
        case .unexpectedEnd(let expected):
            return ("unexpected end of input; expected \(expected.en)", "内容意外结束，此处应为\(expected.zh)")
        case .unexpected(let what, let expected):
            return ("unexpected \(what); expected \(expected.en)", "意外的 \(what)，此处应为\(expected.zh)")
        case .trailingComma:
            return ("a trailing comma is not allowed", "不允许末尾多余的逗号")
        case .comment:
            return ("comments are not allowed in JSON", "JSON 中不允许注释")
        case .singleQuote:
            return ("strings must be in double quotes, not single quotes", "字符串必须使用双引号，不能用单引号")
        case .nanOrInfinity:
            return ("NaN and Infinity are not JSON numbers", "NaN 和 Infinity 不是合法的 JSON 数字")
        case .invalidLiteral:
            return ("invalid word; expected true, false or null", "无效的单词，此处应为 true、false 或 null")
        case .number(let problem):
            return numberText(problem)
        case .unterminatedString:
            return ("this string is never closed with a double quote", "此字符串没有以双引号结束")
        case .controlCharacter(let what):
            return (
                "control character \(what) must be escaped inside a string",
                "字符串中的控制字符 \(what) 必须转义"
            )
        case .invalidEscape(let what):
            return ("invalid escape \\\(what) in a string", "字符串中的转义 \\\(what) 无效")
        case .invalidUnicodeEscape:
            return ("\\u must be followed by four hexadecimal digits", "\\u 后面必须是四位十六进制数字")
        case .loneSurrogate(let escape):
            return (
                "\(escape) is half of a UTF-16 surrogate pair without its other half",
                "\(escape) 是不成对的 UTF-16 代理项"
            )
        case .duplicateKey(let key):
            return ("duplicate key \"\(key)\" in an object", "对象中的键 “\(key)” 重复")
        case .trailingContent:
            return ("unexpected text after the JSON value", "JSON 值后面有多余的内容")
        case .tooDeep(let limit):
            return ("arrays and objects are nested more than \(limit) deep", "数组和对象的嵌套超过 \(limit) 层")
        }
    }

    private static func numberText(_ problem: JSONNumberGrammar.Problem) -> (en: String, zh: String) {
        switch problem {
        case .digitAfterMinus:
            return ("invalid number: expected a digit after '-'", "数字无效：“-” 后面应为数字")
        case .leadingZero:
            return ("invalid number: leading zeros are not allowed", "数字无效：不允许以 0 开头的多位整数")
        case .digitAfterPoint:
            return ("invalid number: expected a digit after the decimal point", "数字无效：小数点后面应为数字")
        case .digitInExponent:
            return ("invalid number: expected a digit in the exponent", "数字无效：指数部分应为数字")
        }
    }
}
