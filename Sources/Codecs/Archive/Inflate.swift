/// A streaming RFC 1951 (raw deflate) decompressor: pulls compressed chunks from a source and
/// hands out decompressed chunks, never holding more than the 32 KiB window and one chunk.
///
///     let inflater = Inflater(source: ByteChunks.bytes(compressed), limit: 1 << 20)
///     while let chunk = try inflater.next() { consume(chunk) }
///
/// Stored, fixed-Huffman and dynamic-Huffman blocks. Decoding is table driven (one lookup per
/// code) over unsafe buffers. `limit` caps the total output: a stream that would write more is
/// refused (`bad-deflate`), so a zip bomb is never inflated forever. Every malformed stream (a
/// bad block type, a stored length whose complement does not match, an over-subscribed or
/// incomplete code, a distance too far back, an invalid symbol, a stream cut short) is a
/// `CodecError(.invalidInput, "bad-deflate", …)`; after an error every `next()` throws it again.
/// Bytes after the final block are left unread.
public final class Inflater {
    /// The decompressed chunk size handed out: 64 KiB, plus up to 257 bytes (a chunk ends after a
    /// whole match); the last chunk may be shorter.
    public static let chunkSize = 64 * 1024
    private static let windowSize = 32 * 1024
    private static let bufferSize = windowSize + chunkSize + 258 + 64

    public let limit: Int
    /// Bytes handed out so far.
    public private(set) var totalOut = 0
    /// Compressed bytes consumed so far (whole bytes, up to the end of the final block once done).
    public var totalIn: Int { inputBase + inPos - bitCount / 8 }

    private let source: ByteChunkSource
    private var failure: CodecError?

    // Input: the current chunk, copied into a buffer of our own.
    private var input: UnsafeMutablePointer<UInt8>
    private var inCapacity = 0
    private var inLen = 0
    private var inPos = 0
    private var inputBase = 0
    private var inputEnded = false
    private var bitBuffer: UInt64 = 0
    private var bitCount = 0

    // Output: the window (history) followed by the bytes not yet handed out.
    private let window: UnsafeMutablePointer<UInt8>
    private var pos = 0
    private var start = 0

    private enum State { case header, stored(Int), huffman, done }
    private var state = State.header
    private var finalBlock = false

    // Decoding tables: entry = symbol << 4 | code length (0: no such code).
    private let litTable: UnsafeMutablePointer<UInt32>
    private let distTable: UnsafeMutablePointer<UInt32>
    private var litBits = 0
    private var distBits = 0

    public init(source: @escaping ByteChunkSource, limit: Int) {
        precondition(limit >= 0, "limit must not be negative")
        self.source = source
        self.limit = limit
        input = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        window = UnsafeMutablePointer<UInt8>.allocate(capacity: Inflater.bufferSize)
        litTable = UnsafeMutablePointer<UInt32>.allocate(capacity: 1 << 15)
        distTable = UnsafeMutablePointer<UInt32>.allocate(capacity: 1 << 15)
    }

    deinit {
        input.deallocate()
        window.deallocate()
        litTable.deallocate()
        distTable.deallocate()
    }

    /// Inflates `bytes` whole (tests, small entries).
    public static func inflate(_ bytes: [UInt8], limit: Int) throws -> [UInt8] {
        let inflater = Inflater(source: ByteChunks.bytes(bytes), limit: limit)
        var out: [UInt8] = []
        while let chunk = try inflater.next() { out += chunk }
        return out
    }

    /// The next decompressed chunk, or nil after the final block.
    public func next() throws -> [UInt8]? {
        if let failure { throw failure }
        do {
            return try step()
        } catch let e as CodecError {
            failure = e
            throw e
        }
    }

    // MARK: - Driving

    private func step() throws -> [UInt8]? {
        while true {
            if pos - start >= Inflater.chunkSize { return try emit() }
            switch state {
            case .done:
                return pos > start ? try emit() : nil
            case .header:
                if finalBlock {
                    state = .done
                    continue
                }
                try readBlockHeader()
            case .stored(let remaining):
                try copyStored(remaining)
            case .huffman:
                try decodeHuffman()
            }
        }
    }

    private func emit() throws -> [UInt8] {
        let count = pos - start
        guard totalOut + count <= limit else {
            throw Inflater.error(
                en: "the data inflates to more than \(limit) bytes", zh: "数据解压后超过 \(limit) 字节")
        }
        let chunk = Array(UnsafeBufferPointer(start: window + start, count: count))
        totalOut += count
        if pos > Inflater.windowSize {
            window.update(from: window + (pos - Inflater.windowSize), count: Inflater.windowSize)
            pos = Inflater.windowSize
        }
        start = pos
        return chunk
    }

    // MARK: - Bits

    /// Pulls the next input chunk; false at the end of the input.
    private func pull() throws -> Bool {
        if inputEnded { return false }
        while true {
            guard let chunk = try source() else {
                inputEnded = true
                return false
            }
            if chunk.isEmpty {
                inputEnded = true
                return false
            }
            inputBase += inLen
            if chunk.count > inCapacity {
                input.deallocate()
                input = UnsafeMutablePointer<UInt8>.allocate(capacity: chunk.count)
                inCapacity = chunk.count
            }
            chunk.withUnsafeBufferPointer { input.update(from: $0.baseAddress!, count: chunk.count) }
            inLen = chunk.count
            inPos = 0
            return true
        }
    }

    /// Fills the bit buffer to at least 56 bits unless the input ends first.
    @inline(__always)
    private func refill(_ bb: inout UInt64, _ bc: inout Int) throws {
        if inLen - inPos >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(input + inPos).loadUnaligned(as: UInt64.self))
            bb |= word << UInt64(bc)
            inPos += (63 - bc) >> 3
            bc |= 56
            return
        }
        try slowRefill(&bb, &bc)
    }

    private func slowRefill(_ bb: inout UInt64, _ bc: inout Int) throws {
        while bc <= 56 {
            if inPos == inLen {
                guard try pull() else { return }
                continue
            }
            bb |= UInt64(input[inPos]) << UInt64(bc)
            inPos += 1
            bc += 8
        }
    }

    /// `n` (≤ 32) bits from the stream, for the block headers.
    private func bits(_ n: Int) throws -> Int {
        if bitCount < n { try refill(&bitBuffer, &bitCount) }
        guard bitCount >= n else { throw Inflater.truncated() }
        let value = Int(bitBuffer & ((1 << UInt64(n)) - 1))
        bitBuffer >>= UInt64(n)
        bitCount -= n
        return value
    }

    // MARK: - Blocks

    private func readBlockHeader() throws {
        finalBlock = try bits(1) == 1
        switch try bits(2) {
        case 0:
            // To the byte boundary, then LEN and its complement NLEN.
            let drop = bitCount & 7
            bitBuffer >>= UInt64(drop)
            bitCount -= drop
            let length = try bits(16)
            let complement = try bits(16)
            guard length == ~complement & 0xffff else {
                throw Inflater.error(
                    en: "a stored block's length \(length) does not match its complement",
                    zh: "存储块的长度 \(length) 与其补码不符")
            }
            state = .stored(length)
        case 1:
            try useFixedTables()
            state = .huffman
        case 2:
            try readDynamicTables()
            state = .huffman
        default:
            throw Inflater.error(en: "a block of the reserved type 3", zh: "出现了保留的块类型 3")
        }
    }

    private func copyStored(_ remaining: Int) throws {
        var left = remaining
        // Whole bytes still in the bit buffer come first.
        while left > 0 && bitCount >= 8 && pos - start < Inflater.chunkSize {
            window[pos] = UInt8(truncatingIfNeeded: bitBuffer)
            pos += 1
            bitBuffer >>= 8
            bitCount -= 8
            left -= 1
        }
        if bitCount < 8 {
            bitBuffer = 0
            bitCount = 0
        }
        var space = min(left, Inflater.chunkSize - (pos - start))
        while space > 0 {
            if inPos == inLen {
                guard try pull() else { throw Inflater.truncated() }
            }
            let n = min(space, inLen - inPos)
            (window + pos).update(from: input + inPos, count: n)
            pos += n
            inPos += n
            space -= n
            left -= n
        }
        state = left == 0 ? .header : .stored(left)
    }

    // MARK: - Huffman blocks

    private static let lengthBase: [UInt16] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    private static let lengthExtra: [UInt8] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase: [UInt16] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra: [UInt8] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    /// Length symbols 257…285 as one table: base << 8 | extra bits.
    private static let lengthCodes: [UInt32] = (0..<29).map { UInt32(lengthBase[$0]) << 8 | UInt32(lengthExtra[$0]) }
    private static let distanceCodes: [UInt32] = (0..<30).map {
        UInt32(distanceBase[$0]) << 8 | UInt32(distanceExtra[$0])
    }
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private func useFixedTables() throws {
        var lengths = [UInt8](repeating: 8, count: 288)
        for i in 144..<256 { lengths[i] = 9 }
        for i in 256..<280 { lengths[i] = 7 }
        litBits = try Inflater.build(lengths, into: litTable, what: "literal/length")
        distBits = try Inflater.build([UInt8](repeating: 5, count: 32), into: distTable, what: "distance")
    }

    private func readDynamicTables() throws {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw Inflater.error(
                en: "a dynamic block declares \(literalCount) literal/length and \(distanceCount) distance codes",
                zh: "动态块声明了 \(literalCount) 个字面/长度码和 \(distanceCount) 个距离码")
        }
        var codeLengths = [UInt8](repeating: 0, count: 19)
        for i in 0..<codeLengthCount { codeLengths[Inflater.codeLengthOrder[i]] = UInt8(try bits(3)) }
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 1 << 7)
        defer { table.deallocate() }
        let tableBits = try Inflater.build(codeLengths, into: table, what: "code length", complete: true)
        var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
        var i = 0
        while i < lengths.count {
            if bitCount < 16 { try refill(&bitBuffer, &bitCount) }
            let entry = table[Int(bitBuffer & ((1 << UInt64(tableBits)) - 1))]
            let length = Int(entry & 15)
            guard length != 0 else { throw Inflater.error(en: "an invalid code length code", zh: "无效的码长编码") }
            guard length <= bitCount else { throw Inflater.truncated() }
            bitBuffer >>= UInt64(length)
            bitCount -= length
            let symbol = Int(entry >> 4)
            if symbol < 16 {
                lengths[i] = UInt8(symbol)
                i += 1
                continue
            }
            var repeated: UInt8 = 0
            var times: Int
            switch symbol {
            case 16:
                guard i > 0 else {
                    throw Inflater.error(en: "a repeated code length with nothing before it", zh: "重复码长之前没有码长")
                }
                repeated = lengths[i - 1]
                times = 3 + (try bits(2))
            case 17: times = 3 + (try bits(3))
            default: times = 11 + (try bits(7))
            }
            guard i + times <= lengths.count else {
                throw Inflater.error(en: "code lengths repeated past the end of the table", zh: "重复的码长超出了码表")
            }
            for _ in 0..<times {
                lengths[i] = repeated
                i += 1
            }
        }
        guard lengths[256] != 0 else {
            throw Inflater.error(en: "a dynamic block without an end-of-block code", zh: "动态块没有块结束码")
        }
        litBits = try Inflater.build(Array(lengths[0..<literalCount]), into: litTable, what: "literal/length")
        distBits = try Inflater.build(Array(lengths[literalCount...]), into: distTable, what: "distance")
    }

    /// Builds a single-level table of `2^maxLength` entries for the canonical code of `lengths`.
    /// An over-subscribed code is refused, and so is an incomplete one (unless it has a single
    /// code of one bit, which RFC 1951 allows, or is `complete: false` with no code at all: a
    /// block that uses only literals may have no distance code).
    private static func build(
        _ lengths: [UInt8], into table: UnsafeMutablePointer<UInt32>, what: String, complete: Bool = false
    ) throws -> Int {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        counts[0] = 0
        var left = 1
        var maxLength = 0
        for length in 1...15 {
            left <<= 1
            left -= counts[length]
            guard left >= 0 else {
                throw error(en: "an over-subscribed \(what) code", zh: "\(chinese(what))编码超额（over-subscribed）")
            }
            if counts[length] > 0 { maxLength = length }
        }
        if maxLength == 0 {
            guard !complete else { throw error(en: "an empty \(what) code", zh: "\(chinese(what))编码为空") }
            table[0] = 0
            table[1] = 0
            return 1
        }
        if left > 0 && (complete || maxLength != 1) {
            throw error(en: "an incomplete \(what) code", zh: "\(chinese(what))编码不完整")
        }
        let size = 1 << maxLength
        table.update(repeating: 0, count: size)
        var next = [Int](repeating: 0, count: 16)
        var code = 0
        for length in 1...15 {
            next[length] = code
            code = (code + counts[length]) << 1
        }
        for (symbol, length8) in lengths.enumerated() where length8 != 0 {
            let length = Int(length8)
            let c = next[length]
            next[length] += 1
            var reversed = 0
            for b in 0..<length where c & (1 << b) != 0 { reversed |= 1 << (length - 1 - b) }
            let entry = UInt32(symbol << 4 | length)
            var i = reversed
            while i < size {
                table[i] = entry
                i += 1 << length
            }
        }
        return maxLength
    }

    private static func chinese(_ what: String) -> String {
        switch what {
        case "literal/length": return "字面/长度"
        case "distance": return "距离"
        default: return "码长"
        }
    }

    /// Decodes symbols until the end of the block or until a chunk's worth of output is ready.
    private func decodeHuffman() throws {
        var bb = bitBuffer
        var bc = bitCount
        var p = pos
        let out = window
        let stop = start + Inflater.chunkSize
        let litMask = (UInt64(1) << UInt64(litBits)) - 1
        let distMask = (UInt64(1) << UInt64(distBits)) - 1
        let lit = litTable
        let dist = distTable
        defer {
            bitBuffer = bb
            bitCount = bc
            pos = p
        }
        try Inflater.lengthCodes.withUnsafeBufferPointer { lengthCodes in
            try Inflater.distanceCodes.withUnsafeBufferPointer { distanceCodes in
                while p < stop {
                    if bc < 48 { try refill(&bb, &bc) }
                    let entry = lit[Int(bb & litMask)]
                    let length = Int(entry & 15)
                    guard length != 0 else { throw Inflater.error(en: "an invalid literal/length code", zh: "无效的字面/长度码") }
                    guard length <= bc else { throw Inflater.truncated() }
                    bb >>= UInt64(length)
                    bc -= length
                    let symbol = Int(entry >> 4)
                    if symbol < 256 {
                        out[p] = UInt8(truncatingIfNeeded: symbol)
                        p += 1
                        continue
                    }
                    if symbol == 256 {
                        state = .header
                        return
                    }
                    let lengthIndex = symbol - 257
                    guard lengthIndex < 29 else {
                        throw Inflater.error(en: "the invalid length symbol \(symbol)", zh: "无效的长度符号 \(symbol)")
                    }
                    let lc = lengthCodes[lengthIndex]
                    let lextra = Int(lc & 0xff)
                    guard lextra <= bc else { throw Inflater.truncated() }
                    let matchLength = Int(lc >> 8) + Int(bb & ((1 << UInt64(lextra)) - 1))
                    bb >>= UInt64(lextra)
                    bc -= lextra
                    if bc < 28 { try refill(&bb, &bc) }
                    let dentry = dist[Int(bb & distMask)]
                    let dlength = Int(dentry & 15)
                    guard dlength != 0 else { throw Inflater.error(en: "an invalid distance code", zh: "无效的距离码") }
                    guard dlength <= bc else { throw Inflater.truncated() }
                    bb >>= UInt64(dlength)
                    bc -= dlength
                    let dsymbol = Int(dentry >> 4)
                    guard dsymbol < 30 else {
                        throw Inflater.error(en: "the invalid distance symbol \(dsymbol)", zh: "无效的距离符号 \(dsymbol)")
                    }
                    let dc = distanceCodes[dsymbol]
                    let dextra = Int(dc & 0xff)
                    guard dextra <= bc else { throw Inflater.truncated() }
                    let distance = Int(dc >> 8) + Int(bb & ((1 << UInt64(dextra)) - 1))
                    bb >>= UInt64(dextra)
                    bc -= dextra
                    guard distance <= p else {
                        throw Inflater.error(
                            en: "a distance of \(distance) bytes reaches back before the start of the data",
                            zh: "距离 \(distance) 字节超出了已解压数据的开头")
                    }
                    let from = out + (p - distance)
                    let to = out + p
                    if distance >= matchLength {
                        to.update(from: from, count: matchLength)
                    } else {
                        for k in 0..<matchLength { to[k] = from[k] }
                    }
                    p += matchLength
                }
            }
        }
    }

    // MARK: - Errors

    static func error(en: String, zh: String) -> CodecError {
        CodecError(.invalidInput, "bad-deflate", en: "corrupt compressed data: \(en)", zh: "压缩数据已损坏：\(zh)")
    }

    static func truncated() -> CodecError {
        error(en: "the data ends before its last block does", zh: "数据在最后一个块结束之前就结束了")
    }
}
