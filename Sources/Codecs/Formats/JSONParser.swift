/// Strict RFC 8259 parsing.
///
///     let value = try JSON.parse(#"{"title": "绿茶", "price": 129.50}"#)
///     value["price"]?.numberLexeme                     // "129.50"
///     try JSON.parse("[1, 2,]")  // CodecError bad-json: "invalid JSON at line 1, column 7: a trailing comma …"
///
/// Exactly one value, optionally surrounded by whitespace. Rejected: trailing
/// commas, comments, single quotes, NaN/Infinity, numbers outside the
/// grammar (`01`, `1.`, `.5`, `+1`), unescaped control characters in
/// strings, bad escapes, unpaired UTF-16 surrogates in `\u` escapes,
/// duplicate keys in one object, nesting deeper than 512. Errors are
/// `CodecError(.invalidInput, "bad-json", …)` with line and column (a column
/// counts characters, from 1); bytes that are not UTF-8, or a NUL byte, are
/// `not-utf8` instead.
extension JSON {
    /// Parses JSON text.
    public static func parse(_ text: String) throws -> JSON {
        try parseValidated(Array(text.utf8), firstLine: 1)
    }

    /// Parses UTF-8 bytes; a leading UTF-8 byte order mark is ignored.
    public static func parse(bytes: [UInt8]) throws -> JSON {
        let body = bytes.starts(with: TextEncoding.utf8BOM) ? Array(bytes.dropFirst(3)) : bytes
        let check = TextEncoding.validateUTF8(body)
        if let bad = check.ok ? body.firstIndex(of: 0) : Optional(check.offset) {
            throw TextEncodingError.make(
                sample: Array(body[bad..<min(bad + 4096, body.count)]),
                fileOffset: bad + (bytes.count - body.count),
                at: JSONSyntaxError.location(of: bad, in: body, firstLine: 1),
                fileName: nil, formatName: "JSON", fileExtension: "json")
        }
        return try parseValidated(body, firstLine: 1)
    }

    /// Parses bytes known to be UTF-8; line numbers in errors start at
    /// `firstLine` (JSON Lines passes the line's number in the file).
    static func parseValidated(_ bytes: [UInt8], firstLine: Int) throws -> JSON {
        var parser = JSONParser(bytes: bytes)
        do {
            return try parser.parseDocument()
        } catch {
            throw error.codecError(in: bytes, firstLine: firstLine)
        }
    }
}

// MARK: - Parser

/// A recursive-descent parser over UTF-8 bytes.
struct JSONParser {
    static let maxDepth = 512

    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSON {
        skipWhitespace()
        guard index < bytes.count else { throw JSONSyntaxError(offset: index, reason: .emptyInput) }
        let value = try parseValue(expecting: .value)
        skipWhitespace()
        guard index == bytes.count else { throw JSONSyntaxError(offset: index, reason: .trailingContent) }
        return value
    }

    // MARK: - Values

    private mutating func parseValue(expecting expectation: JSONSyntaxError.Expectation) throws(JSONSyntaxError) -> JSON {
        skipWhitespace()
        guard let byte = peek() else { throw fail(.unexpectedEnd(expectation)) }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "N"), UInt8(ascii: "I"): throw fail(.nanOrInfinity)
        case UInt8(ascii: "'"): throw fail(.singleQuote)
        case UInt8(ascii: "/"): throw fail(.comment)
        default: throw fail(.unexpected(describe(index), expectation))
        }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSON {
        try enterContainer()
        var members: [(String, JSON)] = []
        var keys = Set<String>()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object([])
        }
        while true {
            skipWhitespace()
            guard let byte = peek() else { throw fail(.unexpectedEnd(members.isEmpty ? .keyOrEnd : .key)) }
            guard byte == UInt8(ascii: "\"") else {
                if byte == UInt8(ascii: "}") { throw fail(.trailingComma) }
                if byte == UInt8(ascii: "'") { throw fail(.singleQuote) }
                if byte == UInt8(ascii: "/") { throw fail(.comment) }
                throw fail(.unexpected(describe(index), .key))
            }
            let keyOffset = index
            let key = try parseString()
            guard keys.insert(key).inserted else {
                throw JSONSyntaxError(offset: keyOffset, reason: .duplicateKey(key))
            }
            try expect(UInt8(ascii: ":"), .colon)
            members.append((key, try parseValue(expecting: .value)))
            if try endOfSequence(close: UInt8(ascii: "}"), .commaOrBrace) { break }
        }
        depth -= 1
        return .object(members)
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSON {
        try enterContainer()
        var elements: [JSON] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array([])
        }
        while true {
            skipWhitespace()
            if peek() == UInt8(ascii: "]") { throw fail(.trailingComma) }
            elements.append(try parseValue(expecting: elements.isEmpty ? .valueOrEnd : .value))
            if try endOfSequence(close: UInt8(ascii: "]"), .commaOrBracket) { break }
        }
        depth -= 1
        return .array(elements)
    }

    /// After a member or element: true at the closing bracket, false after a comma.
    private mutating func endOfSequence(close: UInt8, _ expectation: JSONSyntaxError.Expectation) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard let byte = peek() else { throw fail(.unexpectedEnd(expectation)) }
        index += 1
        if byte == close { return true }
        if byte == UInt8(ascii: ",") { return false }
        index -= 1
        if byte == UInt8(ascii: "/") { throw fail(.comment) }
        throw fail(.unexpected(describe(index), expectation))
    }

    private mutating func enterContainer() throws(JSONSyntaxError) {
        guard depth < JSONParser.maxDepth else { throw fail(.tooDeep(JSONParser.maxDepth)) }
        depth += 1
        index += 1
    }

    private mutating func parseLiteral(_ word: String, _ value: JSON) throws(JSONSyntaxError) -> JSON {
        let expected = Array(word.utf8)
        guard bytes.count - index >= expected.count,
            Array(bytes[index..<index + expected.count]) == expected
        else { throw fail(.invalidLiteral) }
        index += expected.count
        return value
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSON {
        switch JSONNumberGrammar.scan(bytes, from: index) {
        case .failure(let failure):
            throw JSONSyntaxError(offset: failure.offset, reason: .number(failure.problem))
        case .success(let end):
            defer { index = end }
            return .number(String(decoding: bytes[index..<end], as: UTF8.self))
        }
    }

    // MARK: - Strings

    /// Parses a string starting at its opening quote.
    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let opening = index
        index += 1
        let start = index
        // Fast path: no escapes.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"),
            bytes[index] >= 0x20
        {
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
            index += 1
            return String(decoding: bytes[start..<index - 1], as: UTF8.self)
        }
        var text = Array(bytes[start..<index])
        while true {
            guard index < bytes.count else { throw JSONSyntaxError(offset: opening, reason: .unterminatedString) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &text)
            case 0x00..<0x20:
                throw fail(.controlCharacter(describe(index)))
            default:
                text.append(byte)
                index += 1
            }
        }
    }

    /// Parses one escape at `index` (a backslash) and appends its UTF-8.
    private mutating func parseEscape(into text: inout [UInt8]) throws(JSONSyntaxError) {
        let escapeOffset = index
        guard index + 1 < bytes.count else { throw JSONSyntaxError(offset: index, reason: .unterminatedString) }
        let letter = bytes[index + 1]
        index += 2
        let simple: UInt8?
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): simple = letter
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default:
            throw JSONSyntaxError(
                offset: escapeOffset,
                reason: .invalidEscape(
                    letter < 0x20 ? "<\(describe(escapeOffset + 1))>" : character(at: escapeOffset + 1)))
        }
        if let simple {
            text.append(simple)
            return
        }
        let unit = try hexQuad()
        var scalarValue = UInt32(unit)
        switch unit {
        case 0xD800...0xDBFF:
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw JSONSyntaxError(offset: escapeOffset, reason: .loneSurrogate(JSONParser.escapeText(unit)))
            }
            index += 2
            let low = try hexQuad()
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONSyntaxError(offset: escapeOffset, reason: .loneSurrogate(JSONParser.escapeText(unit)))
            }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        case 0xDC00...0xDFFF:
            throw JSONSyntaxError(offset: escapeOffset, reason: .loneSurrogate(JSONParser.escapeText(unit)))
        default:
            break
        }
        // Surrogates are excluded above, so this scalar always exists.
        guard let scalar = Unicode.Scalar(scalarValue) else { preconditionFailure("bad scalar") }
        UTF8.encode(scalar) { text.append($0) }
    }

    /// Reads four hex digits after `\u`.
    private mutating func hexQuad() throws(JSONSyntaxError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw fail(.invalidUnicodeEscape) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.invalidUnicodeEscape)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private static func escapeText(_ unit: UInt16) -> String {
        let hex = String(unit, radix: 16, uppercase: true)
        return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    // MARK: - Bytes

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ expectation: JSONSyntaxError.Expectation) throws(JSONSyntaxError) {
        skipWhitespace()
        guard let found = peek() else { throw fail(.unexpectedEnd(expectation)) }
        guard found == byte else { throw fail(.unexpected(describe(index), expectation)) }
        index += 1
    }

    private func fail(_ reason: JSONSyntaxError.Reason) -> JSONSyntaxError {
        JSONSyntaxError(offset: index, reason: reason)
    }

    /// The character at `offset` for a message: `'x'`, or `U+000A` for
    /// invisible ones.
    private func describe(_ offset: Int) -> String {
        guard offset < bytes.count else { return "end of input" }
        let lead = bytes[offset]
        if lead < 0x20 || lead == 0x7F {
            let hex = String(lead, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
        }
        return "'\(character(at: offset))'"
    }

    /// The (whole) character whose first byte is at `offset`.
    private func character(at offset: Int) -> String {
        guard offset < bytes.count else { return "" }
        let lead = bytes[offset]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        return String(decoding: bytes[offset..<min(offset + length, bytes.count)], as: UTF8.self)
    }
}
