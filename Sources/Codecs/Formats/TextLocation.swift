/// Where in an input file something is, worded for error messages.
///
///     TextLocation(line: 7, column: 3, character: 15).en  // "line 7, column 3 (character 15)"
///     TextLocation(line: 2, column: 9).zh                 // "第 2 行第 9 列"
///
/// For CSV, `column` is the 1-based field index and `character` the 1-based
/// character position on the physical line; for JSON, `column` is the
/// character position and `character` is not used.
struct TextLocation: Sendable, Equatable {
    var line: Int
    var column: Int?
    var character: Int?

    init(line: Int, column: Int? = nil, character: Int? = nil) {
        self.line = line
        self.column = column
        self.character = character
    }

    var en: String {
        var text = "line \(line)"
        if let column { text += ", column \(column)" }
        if let character { text += " (character \(character))" }
        return text
    }

    var zh: String {
        var text = "第 \(line) 行"
        if let column { text += "第 \(column) 列" }
        if let character { text += "（第 \(character) 个字符）" }
        return text
    }
}

// MARK: - Position tracking

/// Counts physical lines and characters as bytes go by. A line ends at LF,
/// CRLF or a lone CR; characters are Unicode scalars (UTF-8 lead bytes).
struct PositionTracker: Sendable {
    /// 1-based line of the byte most recently passed to `advance`.
    private(set) var line = 1
    /// 1-based character column of the byte most recently passed to
    /// `advance` (0 before the first character of a line).
    private(set) var character = 0
    private var lastWasCR = false
    private var lineBreakPending = false

    /// Moves past `byte`. Call this before looking at the byte, so that
    /// `line` and `character` describe it.
    mutating func advance(_ byte: UInt8) {
        if lineBreakPending {
            lineBreakPending = false
            if !(lastWasCR && byte == 0x0A) {
                line += 1
                character = 0
            }
        }
        if byte & 0xC0 != 0x80 { character += 1 }
        if byte == 0x0A || byte == 0x0D { lineBreakPending = true }
        lastWasCR = byte == 0x0D
    }

    /// After `advance` of a byte that was not a line break: `n` more single-byte characters.
    @inline(__always)
    mutating func advanceColumns(_ n: Int) {
        if n > 0 {
            character += n
            lastWasCR = false
        }
    }

    /// The character column the next (not yet seen) byte would get if it
    /// starts a character on this line.
    var nextCharacter: Int { lineBreakPending ? 1 : character + 1 }
    /// The line the next byte would be on, unless it completes a CRLF.
    var nextLine: Int { lineBreakPending ? line + 1 : line }
}
