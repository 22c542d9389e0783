import Foundation

/// One value of a JSON Lines file and the physical line it is on.
///
///     JSONLRecord(line: 3, value: ["sku": "A-1", "price": .number("129.50")])
public struct JSONLRecord: Sendable, Equatable {
    /// 1-based physical line.
    public let line: Int
    public let value: JSON

    public init(line: Int, value: JSON) {
        self.line = line
        self.value = value
    }
}

/// A streaming JSON Lines (NDJSON) reader: one JSON value per line, read a
/// chunk at a time, one line in memory.
///
///     var reader = JSONLReader(fileHandle: handle, fileName: "orders.jsonl")
///     while let record = try reader.next() {
///         guard case .object = record.value else { /* reject line record.line */ continue }
///     }
///
/// Lines end with LF or CRLF; a UTF-8 byte order mark at the start is
/// skipped; lines that are empty or only whitespace are skipped (but
/// counted). Any JSON value is returned, objects or not: what a line must
/// hold is the caller's business. A line that is not valid JSON (including
/// a last line cut short) makes the whole file unreadable:
/// `CodecError(.invalidInput, "bad-json", …)` with the line and the
/// character column. Also `bad-json`: a line longer than `maxLineBytes`.
/// Bytes that are not UTF-8, or a NUL byte, are `not-utf8` (with an `iconv`
/// hint for GBK and UTF-16). After an error every further `next()` throws
/// the same error.
public struct JSONLReader {
    /// The default line size limit: 16 MiB.
    public static let defaultMaxLineBytes = 16 * 1024 * 1024

    public let maxLineBytes: Int
    /// The file name used in `iconv` hints (`FILE` when nil).
    public let fileName: String?

    private var stream: ByteStream
    private var validator = UTF8Validator()
    private var linesRead = 0
    private var lineBuffer: [UInt8] = []
    private var started = false
    private var ended = false
    private var failure: CodecError?

    // MARK: - Creating

    /// Reads from `source`, a provider of byte chunks.
    public init(
        source: @escaping ByteChunkSource,
        maxLineBytes: Int = JSONLReader.defaultMaxLineBytes, fileName: String? = nil
    ) {
        precondition(maxLineBytes > 0, "maxLineBytes must be positive")
        self.stream = ByteStream(source)
        self.maxLineBytes = maxLineBytes
        self.fileName = fileName
    }

    /// Reads a file (or standard input) `chunkSize` bytes at a time.
    public init(
        fileHandle: FileHandle, chunkSize: Int = ByteChunks.defaultChunkSize,
        maxLineBytes: Int = JSONLReader.defaultMaxLineBytes, fileName: String? = nil
    ) {
        self.init(
            source: ByteChunks.fileHandle(fileHandle, chunkSize: chunkSize),
            maxLineBytes: maxLineBytes, fileName: fileName)
    }

    /// Reads bytes already in memory, handed over `chunkSize` at a time.
    public init(
        bytes: [UInt8], chunkSize: Int = ByteChunks.defaultChunkSize,
        maxLineBytes: Int = JSONLReader.defaultMaxLineBytes, fileName: String? = nil
    ) {
        self.init(
            source: ByteChunks.bytes(bytes, chunkSize: chunkSize),
            maxLineBytes: maxLineBytes, fileName: fileName)
    }

    /// Reads the UTF-8 bytes of `string`.
    public init(
        string: String, chunkSize: Int = ByteChunks.defaultChunkSize,
        maxLineBytes: Int = JSONLReader.defaultMaxLineBytes, fileName: String? = nil
    ) {
        self.init(
            bytes: Array(string.utf8), chunkSize: chunkSize,
            maxLineBytes: maxLineBytes, fileName: fileName)
    }

    // MARK: - Reading

    /// The value on the next non-blank line, or nil at the end.
    public mutating func next() throws -> JSONLRecord? {
        if let failure { throw failure }
        do {
            return try readRecord()
        } catch let error as CodecError {
            failure = error
            throw error
        }
    }

    private mutating func readRecord() throws -> JSONLRecord? {
        if !started {
            started = true
            try stream.skipUTF8BOM()
        }
        while try readLine() {
            let blank = lineBuffer.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if blank { continue }
            let value = try JSON.parseValidated(lineBuffer, firstLine: linesRead)
            return JSONLRecord(line: linesRead, value: value)
        }
        return nil
    }

    /// Reads the next physical line into `lineBuffer` (without its LF or
    /// CRLF). False at the end of the input.
    private mutating func readLine() throws -> Bool {
        guard !ended else { return false }
        lineBuffer.removeAll(keepingCapacity: lineBuffer.count <= 64 * 1024)
        var sawByte = false
        while true {
            let byteOffset = stream.offset
            guard let byte = try stream.next() else { break }
            sawByte = true
            if byte >= 0x80 || byte == 0 || validator.isMidSequence {
                try checkEncoding(byte, offset: byteOffset)
            }
            if byte == 0x0A { return finishLine() }
            guard lineBuffer.count < maxLineBytes else { throw lineTooLong() }
            lineBuffer.append(byte)
        }
        ended = true
        if validator.isMidSequence { throw encodingError(sample: [], offset: -1, pending: true) }
        return sawByte ? finishLine() : false
    }

    private mutating func finishLine() -> Bool {
        linesRead += 1
        if lineBuffer.last == 0x0D { lineBuffer.removeLast() }
        return true
    }

    // MARK: - Errors

    private mutating func checkEncoding(_ byte: UInt8, offset: Int) throws {
        if byte != 0, validator.feed(byte) != .invalid { return }
        let pending = validator.pendingSequence  // the broken character's first bytes
        let sample = pending + [byte] + stream.sample(limit: 4096)
        throw encodingError(sample: sample, offset: offset - pending.count, pending: !pending.isEmpty)
    }

    /// `pending`: the bad character began in `lineBuffer` already.
    private func encodingError(sample: [UInt8], offset: Int, pending: Bool) -> CodecError {
        let characters = lineBuffer.reduce(0) { $1 & 0xC0 == 0x80 ? $0 : $0 + 1 }
        let location = TextLocation(line: linesRead + 1, column: pending ? characters : characters + 1)
        return TextEncodingError.make(
            sample: sample, fileOffset: offset, at: location,
            fileName: fileName, formatName: "JSON Lines", fileExtension: "jsonl")
    }

    private func lineTooLong() -> CodecError {
        let size = CSVError.sizeText(maxLineBytes)
        return CodecError(
            .invalidInput, "bad-json",
            en: "line \(linesRead + 1) is longer than the limit of \(size.en)",
            zh: "第 \(linesRead + 1) 行超过了 \(size.zh) 的长度上限")
    }
}
