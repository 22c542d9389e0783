/// UTF-8 validation and a best guess at what a non-UTF-8 file really is.
///
///     let check = TextEncoding.validateUTF8(bytes)
///     if !check.ok {
///         let guess = TextEncoding.sniff(Array(bytes[check.offset...]),
///                                        fileOffset: check.offset)
///         // guess == .gbk → suggest `iconv -f GBK -t UTF-8 …`
///     }
///
/// Validation follows RFC 3629: overlong forms, UTF-16 surrogates
/// (ED A0–ED BF) and code points above U+10FFFF are all invalid.
public enum TextEncoding {

    /// What a byte sample that is not UTF-8 text most likely is.
    public enum Guess: Sendable, Equatable {
        /// UTF-16 little-endian (byte order mark FF FE, or NULs at odd offsets).
        case utf16LittleEndian
        /// UTF-16 big-endian (byte order mark FE FF, or NULs at even offsets).
        case utf16BigEndian
        /// GBK / GB18030, as saved by Chinese Excel or WPS.
        case gbk
        /// Contains NUL bytes but is not UTF-16: a binary file.
        case binary
        /// Nothing recognisable.
        case unknown

        /// Whether this guess is one of the UTF-16 byte orders.
        public var isUTF16: Bool { self == .utf16LittleEndian || self == .utf16BigEndian }
    }

    /// The UTF-8 byte order mark, EF BB BF.
    public static let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    // MARK: - Validation

    /// Checks that `bytes` are well-formed UTF-8.
    ///
    /// Returns `ok == true` and `offset == bytes.count` when they are;
    /// otherwise `offset` is the index (from 0) of the first byte of the
    /// first ill-formed sequence (a truncated sequence at the end counts).
    public static func validateUTF8<Bytes: Collection>(_ bytes: Bytes) -> (ok: Bool, offset: Int)
    where Bytes.Element == UInt8 {
        var validator = UTF8Validator()
        var offset = 0
        var sequenceStart = 0
        for byte in bytes {
            if !validator.isMidSequence { sequenceStart = offset }
            if validator.feed(byte) == .invalid {
                // A bad lead byte right after a complete character starts
                // its own sequence; a bad continuation belongs to the lead.
                return (false, sequenceStart)
            }
            offset += 1
        }
        return validator.isMidSequence ? (false, sequenceStart) : (true, offset)
    }

    // MARK: - Sniffing

    /// Guesses the encoding of `sample`, which starts at the first byte that
    /// is not UTF-8 (or at a NUL byte) and lies at `fileOffset` in the file
    /// (0: the very beginning, where a UTF-16 byte order mark may be).
    public static func sniff(_ sample: [UInt8], fileOffset: Int) -> Guess {
        if fileOffset == 0, sample.count >= 2 {
            if sample[0] == 0xFF, sample[1] == 0xFE { return .utf16LittleEndian }
            if sample[0] == 0xFE, sample[1] == 0xFF { return .utf16BigEndian }
        }
        if let utf16 = utf16ByNULPattern(sample, fileOffset: fileOffset) { return utf16 }
        if looksLikeGBK(sample) { return .gbk }
        if sample.contains(0) { return .binary }
        return .unknown
    }

    /// UTF-16 text of mostly ASCII has a NUL in every other byte: many NULs,
    /// nearly all at the same parity. Random binary data has no such pattern.
    /// In big-endian the NUL (high byte of an ASCII character) comes first,
    /// at an even file offset; in little-endian at an odd one.
    private static func utf16ByNULPattern(_ sample: [UInt8], fileOffset: Int) -> Guess? {
        guard sample.count >= 4 else { return nil }
        var evenNULs = 0
        var oddNULs = 0
        for (index, byte) in sample.enumerated() where byte == 0 {
            if (fileOffset + index) % 2 == 0 { evenNULs += 1 } else { oddNULs += 1 }
        }
        let total = evenNULs + oddNULs
        guard total >= 3, total * 8 >= sample.count else { return nil }
        if evenNULs * 10 >= total * 9 { return .utf16BigEndian }
        if oddNULs * 10 >= total * 9 { return .utf16LittleEndian }
        return nil
    }

    /// GBK: ASCII, or a lead byte 81–FE followed by a trail byte 40–FE
    /// (not 7F); GB18030 adds four-byte forms 81–FE 30–39 81–FE 30–39.
    /// The sample looks like GBK when it has at least one double-byte
    /// character and nothing that breaks these rules (a lead byte cut off
    /// at the end of the sample is allowed).
    static func looksLikeGBK(_ sample: [UInt8]) -> Bool {
        var index = 0
        var characters = 0
        while index < sample.count {
            let lead = sample[index]
            if lead < 0x80 {
                if lead == 0 { return false }
                index += 1
                continue
            }
            guard (0x81...0xFE).contains(lead) else { return false }
            guard index + 1 < sample.count else { break }
            let trail = sample[index + 1]
            if (0x40...0xFE).contains(trail), trail != 0x7F {
                index += 2
            } else if (0x30...0x39).contains(trail) {
                guard index + 3 < sample.count else { break }
                guard (0x81...0xFE).contains(sample[index + 2]),
                    (0x30...0x39).contains(sample[index + 3])
                else { return false }
                index += 4
            } else {
                return false
            }
            characters += 1
        }
        return characters > 0
    }
}

// MARK: - Streaming validator

/// A byte-at-a-time UTF-8 checker, for input that arrives in chunks: a
/// character split across two chunks is checked as one.
///
///     var validator = UTF8Validator()
///     for byte in chunk where validator.feed(byte) == .invalid { … }
///     if validator.isMidSequence { /* input ended inside a character */ }
public struct UTF8Validator: Sendable {
    /// What one byte did.
    public enum Step: Sendable, Equatable {
        /// The byte completed a character (every ASCII byte does).
        case complete
        /// The byte started or continued a multi-byte character.
        case incomplete
        /// The byte cannot appear here.
        case invalid
    }

    private var remaining = 0
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF
    private var pendingBytes: UInt32 = 0
    private var pendingCount = 0

    public init() {}

    /// Whether a multi-byte character has begun but not ended.
    public var isMidSequence: Bool { remaining > 0 }

    /// The bytes of the unfinished character so far (empty between characters).
    public var pendingSequence: [UInt8] {
        (0..<pendingCount).map { UInt8(truncatingIfNeeded: pendingBytes >> (8 * UInt32($0))) }
    }

    /// Feeds one byte. After `.invalid`, `pendingSequence` still holds the
    /// start of the broken character (for error messages); call `reset()`
    /// to go on checking.
    public mutating func feed(_ byte: UInt8) -> Step {
        if remaining == 0 {
            if byte < 0x80 { return .complete }
            guard let next = Self.sequence(lead: byte) else { return .invalid }
            begin(byte, remaining: next.remaining, low: next.low, high: next.high)
            return .incomplete
        }
        guard byte >= low, byte <= high else { return .invalid }
        remaining -= 1
        if remaining == 0 {
            reset()
            return .complete
        }
        pendingBytes |= UInt32(byte) << (8 * UInt32(pendingCount))
        pendingCount += 1
        low = 0x80
        high = 0xBF
        return .incomplete
    }

    /// What a lead byte announces (RFC 3629: no overlong forms, no surrogates, nothing above
    /// U+10FFFF): how many continuation bytes follow, and the range of the first of them (the
    /// others are 0x80–0xBF); nil for a byte that cannot start a character.
    @inline(__always)
    static func sequence(lead: UInt8) -> (remaining: Int, low: UInt8, high: UInt8)? {
        switch lead {
        case 0xC2...0xDF: return (1, 0x80, 0xBF)
        case 0xE0: return (2, 0xA0, 0xBF)
        case 0xED: return (2, 0x80, 0x9F)
        case 0xE1...0xEF: return (2, 0x80, 0xBF)
        case 0xF0: return (3, 0x90, 0xBF)
        case 0xF4: return (3, 0x80, 0x8F)
        case 0xF1...0xF3: return (3, 0x80, 0xBF)
        default: return nil
        }
    }

    private mutating func begin(_ lead: UInt8, remaining: Int, low: UInt8, high: UInt8) {
        self.remaining = remaining
        self.low = low
        self.high = high
        pendingBytes = UInt32(lead)
        pendingCount = 1
    }

    /// Forgets any unfinished character.
    public mutating func reset() {
        remaining = 0
        pendingBytes = 0
        pendingCount = 0
    }
}
