/// A JSON value with ordered objects and numbers kept as their exact text.
///
///     let order: JSON = ["id": .int(42), "price": .number("129.50"), "title": "绿茶", "gift": false]
///     order.serialized(pretty: false)   // {"id":42,"price":129.50,"title":"绿茶","gift":false}
///     let back = try JSON.parse(#"{"price": 129.50}"#)
///     back["price"]?.numberLexeme       // "129.50" — never rounded through a binary type
///
/// Objects are arrays of (key, value) pairs in insertion order; the parser
/// rejects duplicate keys, so a parsed object never has two equal keys
/// (keys compare as Swift strings: canonically equivalent spellings are equal).
/// Values compare equal when their structure, keys (in order) and number
/// lexemes are equal: `.number("1.0") != .number("1")`.
public enum JSON: Sendable {
    case null
    case bool(Bool)
    /// A number as written: it matches the RFC 8259 number grammar
    /// (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    case number(String)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    /// A number from an integer, e.g. an amount in fen.
    public static func int(_ value: Int64) -> JSON { .number(String(value)) }

    /// A number from an integer.
    public static func int(_ value: Int) -> JSON { .number(String(value)) }
}

// MARK: - Accessors

extension JSON {
    /// The value for `key` in an object (nil for a missing key or a non-object).
    public subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.0 == key })?.1
    }

    /// The element at `index` in an array (nil when out of range or not an array).
    public subscript(index: Int) -> JSON? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The lexeme of a number, e.g. `"129.50"`.
    public var numberLexeme: String? {
        if case .number(let lexeme) = self { return lexeme }
        return nil
    }

    /// The value of a number written as a plain integer (`42`, `-7`; not
    /// `42.0` nor `4.2e1`) that fits in 64 bits; nil otherwise.
    public var int64Value: Int64? {
        guard case .number(let lexeme) = self else { return nil }
        let digits = lexeme.hasPrefix("-") ? lexeme.dropFirst() : Substring(lexeme)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            digits == "0" || !digits.hasPrefix("0")
        else { return nil }
        return Int64(lexeme)
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var arrayValue: [JSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The members of an object, in order.
    public var objectValue: [(String, JSON)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

// MARK: - Equality

extension JSON: Equatable {
    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.number(a), .number(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

// MARK: - Literals

extension JSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{

    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }

    /// Keeps the literal's order. Repeating a key is a programmer error.
    public init(dictionaryLiteral elements: (String, JSON)...) {
        var seen = Set<String>()
        for (key, _) in elements {
            precondition(seen.insert(key).inserted, "duplicate key \"\(key)\" in a JSON literal")
        }
        self = .object(elements)
    }
}

extension JSON: CustomStringConvertible {
    /// The compact serialization.
    public var description: String { serialized(pretty: false) }
}
