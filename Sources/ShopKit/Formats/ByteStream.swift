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
    /// `ShopError(.invalidInput, "read-error", …)`.
    public static func fileHandle(_ handle: FileHandle, chunkSize: Int = defaultChunkSize) -> ByteChunkSource {
        precondition(chunkSize > 0, "chunk size must be positive")
        return {
            do {
                guard let data = try handle.read(upToCount: chunkSize), !data.isEmpty else { return nil }
                return [UInt8](data)
            } catch {
                throw ShopError(
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
