import Foundation

/// A source of bytes in chunks: returns the next chunk, or nil (or an empty
/// chunk) at the end of the input.
///
///     var chunks = [[0x61, 0x2C], [0x62, 0x0A]][...]
///     let source: ByteChunkSource = { chunks.popFirst() }
public typealias ByteChunkSource = () throws -> [UInt8]?

/// Chunk sources for the common inputs.
public enum ByteChunks {
    /// The default chunk size for files: 64 KiB.
    public static let defaultChunkSize = 64 * 1024

    /// Reads `handle` `chunkSize` bytes at a time. A read failure becomes a
    /// `CodecError(.invalidInput, "read-error", …)`.
    public static func fileHandle(_ handle: FileHandle, chunkSize: Int = defaultChunkSize) -> ByteChunkSource {
        precondition(chunkSize > 0, "chunk size must be positive")
        return {
            do {
                guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else { return nil }
                return [UInt8](data)
            } catch {
                throw CodecError(
                    .invalidInput, "read-error",
                    en: "cannot read the input: \(error.localizedDescription)",
                    zh: "无法读取输入：\(error.localizedDescription)")
            }
        }
    }

    /// Hands out `bytes` `chunkSize` at a time (tests use 1-byte chunks).
    public static func bytes(_ bytes: [UInt8], chunkSize: Int = defaultChunkSize) -> ByteChunkSource {
        precondition(chunkSize > 0, "chunk size must be positive")
        var position = 0
        return {
            guard position < bytes.count else { return nil }
            let end = min(position + chunkSize, bytes.count)
            defer { position = end }
            return Array(bytes[position..<end])
        }
    }
}

// MARK: - Buffered reading

/// Pulls bytes one at a time out of a chunk source, holding one chunk.
struct ByteStream {
    private let source: ByteChunkSource
    private var buffer: [UInt8] = []
    private var index = 0
    private var ended = false
    /// Offset (from 0) of the next byte `next()` returns.
    private(set) var offset = 0

    init(_ source: @escaping ByteChunkSource) {
        self.source = source
    }

    /// The next byte, or nil at the end of the input.
    @inline(__always)
    mutating func next() throws -> UInt8? {
        if index == buffer.count {
            guard try refill() else { return nil }
        }
        let byte = buffer[index]
        index += 1
        offset += 1
        return byte
    }

    /// Skips the run of plain text from here: ASCII other than NUL, CR, LF, `,` and `"`, and
    /// complete, well-formed UTF-8 sequences (at most `limit` bytes, within the chunk held).
    /// Returns where the run starts in the chunk (`bytes(at:count:)` reads it until the next
    /// refill), its bytes and its characters (scalars). Such text needs no state change, so the
    /// bulk of a CSV field is taken in one go instead of byte by byte; anything else (a broken or
    /// split sequence included) is left to the byte-by-byte path, which reports it.
    @inline(__always)
    mutating func skipPlainRun(limit: Int) -> (start: Int, bytes: Int, characters: Int) {
        let start = index
        let end = min(buffer.count, index + max(0, limit))
        var i = start
        var characters = 0
        buffer.withUnsafeBufferPointer { p in
            while i < end {
                let b = p[i]
                if b < 0x80 {
                    if b == 0 || b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { break }
                    i += 1
                } else {
                    let n = Self.sequenceLength(p, at: i, end: end)
                    if n == 0 { break }
                    i += n
                }
                characters += 1
            }
        }
        if i > start {
            offset += i - start
            index = i
        }
        return (start, i - start, characters)
    }

    /// Whether the next `next()` loads another chunk (positions from `skipPlainRun` then end).
    var atChunkEnd: Bool { index == buffer.count }

    /// `count` bytes of the chunk held, from `start` (a position `skipPlainRun` returned).
    @inline(__always)
    func withBytes<R>(at start: Int, count: Int, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<start + count])) }
    }

    /// The length of the well-formed UTF-8 sequence (`UTF8Validator.sequence`) that starts at
    /// `i` and ends before `end`; 0 if none.
    @inline(__always)
    static func sequenceLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int {
        guard let s = UTF8Validator.sequence(lead: p[i]), i + s.remaining < end else { return 0 }
        guard p[i + 1] >= s.low && p[i + 1] <= s.high else { return 0 }
        for k in stride(from: 2, through: s.remaining, by: 1) where p[i + k] & 0xC0 != 0x80 { return 0 }
        return s.remaining + 1
    }

    /// Skips a UTF-8 byte order mark if the input starts with one.
    /// Call before the first `next()`.
    mutating func skipUTF8BOM() throws {
        precondition(offset == 0, "skipUTF8BOM must come first")
        while buffer.count - index < 3, !ended {
            let rest = Array(buffer[index...])
            let more = try refill()
            buffer = more ? rest + buffer : rest
            index = 0
        }
        if buffer.count - index >= 3, Array(buffer[index..<index + 3]) == TextEncoding.utf8BOM {
            index += 3
            offset += 3
        }
    }

    /// Up to `limit` bytes from here on, for sniffing an encoding problem.
    /// Consumes them; read failures just end the sample.
    mutating func sample(limit: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < limit {
            guard let byte = try? next() else { break }
            bytes.append(byte)
        }
        return bytes
    }

    /// Loads the next non-empty chunk; false at the end of the input.
    private mutating func refill() throws -> Bool {
        guard !ended else { return false }
        guard let chunk = try source(), !chunk.isEmpty else {
            ended = true
            buffer = []
            index = 0
            return false
        }
        buffer = chunk
        index = 0
        return true
    }
}
