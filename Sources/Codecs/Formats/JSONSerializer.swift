/// JSON text out of a `JSON` value.
///
///     let value: JSON = ["name": "绿茶\n", "tags": ["a"], "none": [:]]
///     value.serialized(pretty: false)  // {"name":"绿茶\n","tags":["a"],"none":{}}
///     value.serialized(pretty: true)
///     // {
///     //   "name": "绿茶\n",
///     //   "tags": [
///     //     "a"
///     //   ],
///     //   "none": {}
///     // }
///
/// Strings are escaped per RFC 8259: `"` and `\` always, control characters
/// as `\b \f \n \r \t` or `\u00XX`; everything else, Chinese included, is
/// written as UTF-8 as is. Keys keep their order. No newline at the end.
extension JSON {
    public func serialized(pretty: Bool) -> String {
        serialized(pretty: pretty, indent: 0)
    }

    /// The value as it appears `indent` levels deep inside a pretty document (an element of an
    /// array written piece by piece, say); `indent` changes nothing when not `pretty`.
    public func serialized(pretty: Bool, indent: Int) -> String {
        var output = ""
        write(to: &output, pretty: pretty, indent: indent)
        return output
    }

    // MARK: - Writing

    private func write(to output: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let lexeme):
            precondition(JSONNumberGrammar.isValid(lexeme), "not a JSON number: \(lexeme)")
            output += lexeme
        case .string(let text): JSON.writeString(text, to: &output)
        case .array(let elements):
            writeContainer(
                open: "[", close: "]", count: elements.count,
                to: &output, pretty: pretty, indent: indent
            ) { index, output in
                elements[index].write(to: &output, pretty: pretty, indent: indent + 1)
            }
        case .object(let members):
            writeContainer(
                open: "{", close: "}", count: members.count,
                to: &output, pretty: pretty, indent: indent
            ) { index, output in
                JSON.writeString(members[index].0, to: &output)
                output += pretty ? ": " : ":"
                members[index].1.write(to: &output, pretty: pretty, indent: indent + 1)
            }
        }
    }

    private func writeContainer(
        open: String, close: String, count: Int, to output: inout String,
        pretty: Bool, indent: Int, element: (Int, inout String) -> Void
    ) {
        output += open
        guard count > 0 else {
            output += close
            return
        }
        for index in 0..<count {
            if index > 0 { output += "," }
            if pretty { output += "\n" + String(repeating: "  ", count: indent + 1) }
            element(index, &output)
        }
        if pretty { output += "\n" + String(repeating: "  ", count: indent) }
        output += close
    }

    // MARK: - Strings

    public static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16, uppercase: false)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
