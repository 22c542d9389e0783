import Foundation

/// One CSV record: its fields, exactly as written (quotes removed, `""`
/// turned into `"`, nothing trimmed), and the physical line it starts on.
///
///     var reader = CSVReader(string: "name,price\n\"Tea, green\",129.50\n")
///     let header = try reader.readHeader()   // line 1: ["name", "price"]
///     let row = try reader.next()!           // line 2: ["Tea, green", "129.50"]
///     row.fields.count == header.fields.count  // false → reject the row
public struct CSVRecord: Sendable, Equatable {
    /// 1-based physical line the record starts on (the header is usually 1).
    public let line: Int
    public let fields: [String]

    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }
}

/// A streaming RFC 4180 CSV reader: pulls bytes from a chunk source and
/// returns one record per `next()`, never holding the whole file.
///
///     var reader = CSVReader(fileHandle: handle, fileName: "商品.csv")
///     let header = try reader.readHeader()
///     while let record = try reader.next() {
///         guard record.fields.count == header.fields.count else { /* reject row */ continue }
///     }
///
/// The input is UTF-8, with or without a byte order mark. Lines end with
/// LF, CRLF or a lone CR (all accepted, also inside quoted fields, where
/// they are kept as written). A quoted field may hold commas, line breaks
/// and `""` for a quote. A completely empty physical line between records
/// (or at the end) is skipped, so a one-column file writes an empty value
/// as `""`. Records need not have as many fields as the header: checking
/// that is the caller's job, row by row.
///
/// Errors are `CodecError(.invalidInput, …)` naming the line and the column
/// (1-based field index), plus the character position for quoting errors:
/// - `bad-csv`: a quote that is never closed (pointing where it opened), a
///   quote inside an unquoted field, text after a closing quote, a field
///   over `maxFieldBytes`;
/// - `not-utf8`: bytes that are not UTF-8 (with an `iconv` hint for GBK and
///   UTF-16) or a NUL byte (binary file).
/// After an error every further `next()` throws the same error.
public struct CSVReader {
    /// The default field size limit: 16 MiB.
    public static let defaultMaxFieldBytes = 16 * 1024 * 1024

    /// Fields longer than this many bytes are an error.
    public let maxFieldBytes: Int
    /// The file name used in `iconv` hints (`FILE` when nil).
    public let fileName: String?

    private var stream: ByteStream
    private var position = PositionTracker()
    private var validator = UTF8Validator()
    private var started = false
    private var ended = false
    private var skipLineFeed = false
    private var failure: CodecError?
    private var field: [UInt8] = []
    /// The field's last run of plain text, still in the stream's chunk (not yet copied onto
    /// `field`): its start there and its length (0: none). The field is `field` + this run.
    private var runStart = 0
    private var runCount = 0
    /// Fields in the last record: the next one most likely has as many.
    private var lastFieldCount = 16

    // MARK: - Creating

    /// Reads from `source`, a provider of byte chunks.
    public init(
        source: @escaping ByteChunkSource,
        maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes, fileName: String? = nil
    ) {
        precondition(maxFieldBytes > 0, "maxFieldBytes must be positive")
        self.stream = ByteStream(source)
        self.maxFieldBytes = maxFieldBytes
        self.fileName = fileName
    }

    /// Reads a file (or standard input) `chunkSize` bytes at a time.
    public init(
        fileHandle: FileHandle, chunkSize: Int = ByteChunks.defaultChunkSize,
        maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes, fileName: String? = nil
    ) {
        self.init(
            source: ByteChunks.fileHandle(fileHandle, chunkSize: chunkSize),
            maxFieldBytes: maxFieldBytes, fileName: fileName)
    }

    /// Reads bytes already in memory, handed over `chunkSize` at a time.
    public init(
        bytes: [UInt8], chunkSize: Int = ByteChunks.defaultChunkSize,
        maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes, fileName: String? = nil
    ) {
        self.init(
            source: ByteChunks.bytes(bytes, chunkSize: chunkSize),
            maxFieldBytes: maxFieldBytes, fileName: fileName)
    }

    /// Reads the UTF-8 bytes of `string`.
    public init(
        string: String, chunkSize: Int = ByteChunks.defaultChunkSize,
        maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes, fileName: String? = nil
    ) {
        self.init(
            bytes: Array(string.utf8), chunkSize: chunkSize,
            maxFieldBytes: maxFieldBytes, fileName: fileName)
    }

    // MARK: - Reading

    /// The first record, which is the header. An input with no record at
    /// all (empty, only a byte order mark, only blank lines) is a `bad-csv`
    /// error at line 1, column 1, where the header should be.
    public mutating func readHeader() throws -> CSVRecord {
        guard let header = try next() else {
            let location = TextLocation(line: 1, column: 1)
            if position.character == 0 {
                throw CodecError(
                    .invalidInput, "bad-csv",
                    en: "\(location.en): the file is empty: expected a header line with the column names",
                    zh: "\(location.zh)：文件是空的：第一行应为列名（表头）")
            }
            throw CodecError(
                .invalidInput, "bad-csv",
                en: "\(location.en): the file holds only blank lines: expected a header line with the column names",
                zh: "\(location.zh)：文件中只有空行：第一行应为列名（表头）")
        }
        return header
    }

    /// The next record (the first one is the header), or nil at the end.
    public mutating func next() throws -> CSVRecord? {
        if let failure { throw failure }
        do {
            return try readRecord()
        } catch let error as CodecError {
            failure = error
            throw error
        }
    }

    // MARK: - State machine

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    private mutating func readRecord() throws -> CSVRecord? {
        if ended { return nil }
        if !started {
            started = true
            try stream.skipUTF8BOM()
        }
        var fields: [String] = []
        fields.reserveCapacity(lastFieldCount)
        var state = State.fieldStart
        var recordLine = 0  // 0 until the record's first byte
        var quoteOpened = TextLocation(line: 0)

        while true {
            // The chunk is about to be replaced: the run still in it is copied first.
            if runCount > 0 && stream.atChunkEnd { keepRun() }
            // A field's text from its first byte (after a comma or an opening quote, so no
            // character is half read): a run left in the chunk, made into a `String` from there.
            if runCount == 0 && field.isEmpty && recordLine != 0 && (state == .fieldStart || state == .quoted) {
                let run = stream.skipPlainRun(limit: maxFieldBytes)
                if run.bytes > 0 {
                    position.advanceColumns(run.characters)
                    runStart = run.start
                    runCount = run.bytes
                    if state == .fieldStart { state = .unquoted }
                    continue
                }
            }
            let byteOffset = stream.offset
            guard let byte = try stream.next() else {
                return try endOfInput(
                    fields: &fields, state: state,
                    recordLine: recordLine, quoteOpened: quoteOpened)
            }
            if byte >= 0x80 || byte == 0 || validator.isMidSequence {
                try checkEncoding(byte, offset: byteOffset, column: fields.count + 1)
            }
            position.advance(byte)
            if skipLineFeed {
                skipLineFeed = false
                if byte == .lineFeed { continue }
            }
            if recordLine == 0 {
                if byte == .lineFeed || byte == .carriageReturn {  // a blank line
                    skipLineFeed = byte == .carriageReturn
                    continue
                }
                recordLine = position.line
            }

            switch (state, byte) {
            case (.fieldStart, .quote):
                state = .quoted
                quoteOpened = here(column: fields.count + 1)
            case (.fieldStart, .comma), (.unquoted, .comma), (.quoteInQuoted, .comma):
                finishField(into: &fields)
                state = .fieldStart
            case (.fieldStart, .lineFeed), (.fieldStart, .carriageReturn),
                (.unquoted, .lineFeed), (.unquoted, .carriageReturn),
                (.quoteInQuoted, .lineFeed), (.quoteInQuoted, .carriageReturn):
                finishField(into: &fields)
                skipLineFeed = byte == .carriageReturn
                lastFieldCount = fields.count
                return CSVRecord(line: recordLine, fields: fields)
            case (.unquoted, .quote):
                throw CSVError.strayQuote(at: here(column: fields.count + 1))
            case (.quoted, .quote):
                state = .quoteInQuoted
            case (.quoteInQuoted, .quote):
                try append(byte, recordLine: recordLine, column: fields.count + 1)
                state = .quoted
            case (.quoteInQuoted, _):
                throw CSVError.textAfterClosingQuote(byte, at: here(column: fields.count + 1))
            case (.fieldStart, _), (.unquoted, _), (.quoted, _):
                try append(byte, recordLine: recordLine, column: fields.count + 1)
                if state == .fieldStart { state = .unquoted }
                // The plain text that follows goes in one copy (the byte just read was not a line
                // break and completed no partial character, so the position only moves right).
                if byte != .lineFeed && byte != .carriageReturn && !validator.isMidSequence {
                    let run = stream.skipPlainRun(limit: maxFieldBytes - field.count)
                    position.advanceColumns(run.characters)
                    if run.bytes > 0 {
                        runStart = run.start
                        runCount = run.bytes
                    }
                }
            }
        }
    }

    private mutating func endOfInput(
        fields: inout [String], state: State,
        recordLine: Int, quoteOpened: TextLocation
    ) throws -> CSVRecord? {
        ended = true
        if validator.isMidSequence {
            throw TextEncodingError.make(
                sample: [], fileOffset: -1,
                at: TextLocation(
                    line: position.line, column: fields.count + 1,
                    character: position.character),
                fileName: fileName, formatName: "CSV", fileExtension: "csv")
        }
        if state == .quoted { throw CSVError.unterminatedQuote(openedAt: quoteOpened) }
        guard recordLine != 0 else { return nil }
        finishField(into: &fields)
        return CSVRecord(line: recordLine, fields: fields)
    }

    // MARK: - Fields

    /// Where the byte just read is.
    private func here(column: Int) -> TextLocation {
        TextLocation(line: position.line, column: column, character: position.character)
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8, recordLine: Int, column: Int) throws {
        if runCount > 0 { keepRun() }
        guard field.count < maxFieldBytes else {
            throw CSVError.fieldTooLarge(
                limit: maxFieldBytes,
                at: TextLocation(line: recordLine, column: column))
        }
        field.append(byte)
    }

    /// Copies the run still in the chunk onto `field`.
    private mutating func keepRun() {
        stream.withBytes(at: runStart, count: runCount) { field.append(contentsOf: $0) }
        runCount = 0
    }

    private mutating func finishField(into fields: inout [String]) {
        if field.isEmpty {
            // Most fields are one run of plain text: made straight from the chunk, one copy.
            if runCount > 0 {
                fields.append(stream.withBytes(at: runStart, count: runCount) { String(decoding: $0, as: UTF8.self) })
                runCount = 0
            } else {
                fields.append("")
            }
            return
        }
        if runCount > 0 { keepRun() }
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: field.count <= 64 * 1024)
    }

    // MARK: - Encoding

    /// Throws `not-utf8` for a NUL byte or a byte that breaks UTF-8.
    /// `position` has not yet advanced past `byte`.
    private mutating func checkEncoding(_ byte: UInt8, offset: Int, column: Int) throws {
        if byte != 0, validator.feed(byte) != .invalid { return }
        let pending = validator.pendingSequence  // the broken character's first bytes
        let location =
            pending.isEmpty
            ? TextLocation(line: position.nextLine, column: column, character: position.nextCharacter)
            : TextLocation(line: position.line, column: column, character: position.character)
        let sample = pending + [byte] + stream.sample(limit: 4096)
        throw TextEncodingError.make(
            sample: sample, fileOffset: offset - pending.count, at: location,
            fileName: fileName, formatName: "CSV", fileExtension: "csv")
    }
}

// MARK: - Bytes

fileprivate extension UInt8 {
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
}
