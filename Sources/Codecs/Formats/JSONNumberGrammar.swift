/// The RFC 8259 number grammar, checked byte by byte.
///
///     JSONNumberGrammar.isValid("129.50")  // true
///     JSONNumberGrammar.isValid("01")      // false: leading zero
///     JSONNumberGrammar.isValid("1.")      // false: no digit after the point
///
///     number = [ "-" ] int [ frac ] [ exp ]
///     int    = "0" / ( digit1-9 *DIGIT )
///     frac   = "." 1*DIGIT
///     exp    = ( "e" / "E" ) [ "-" / "+" ] 1*DIGIT
enum JSONNumberGrammar {

    /// Why a number does not match the grammar.
    enum Problem: Sendable, Equatable {
        case digitAfterMinus, leadingZero, digitAfterPoint, digitInExponent
    }

    /// Whether `lexeme` is exactly one JSON number.
    static func isValid(_ lexeme: String) -> Bool {
        let bytes = Array(lexeme.utf8)
        guard case .success(let end) = scan(bytes, from: 0) else { return false }
        return end == bytes.count
    }

    /// Scans the longest number starting at `start` (which must be `-` or a
    /// digit). Returns the index after it, or the problem and its offset.
    static func scan(_ bytes: [UInt8], from start: Int) -> Result<Int, Failure> {
        var index = start
        func digit(_ at: Int) -> Bool { at < bytes.count && (0x30...0x39).contains(bytes[at]) }
        func skipDigits() { while digit(index) { index += 1 } }

        if index < bytes.count, bytes[index] == 0x2D { index += 1 }  // -
        guard digit(index) else { return .failure(Failure(problem: .digitAfterMinus, offset: index)) }
        if bytes[index] == 0x30 {  // 0
            index += 1
            if digit(index) { return .failure(Failure(problem: .leadingZero, offset: index - 1)) }
        } else {
            skipDigits()
        }
        if index < bytes.count, bytes[index] == 0x2E {  // .
            index += 1
            guard digit(index) else { return .failure(Failure(problem: .digitAfterPoint, offset: index)) }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == 0x65 || bytes[index] == 0x45 {  // e E
            index += 1
            if index < bytes.count, bytes[index] == 0x2B || bytes[index] == 0x2D { index += 1 }
            guard digit(index) else { return .failure(Failure(problem: .digitInExponent, offset: index)) }
            skipDigits()
        }
        return .success(index)
    }

    struct Failure: Error, Sendable, Equatable {
        let problem: Problem
        let offset: Int
    }
}
