import Foundation

/// The text encodings an import reads (`--encoding`).
public enum InputEncoding: String, Sendable, CaseIterable {
    /// A BOM decides; else UTF-8 if the first `Transcoder.sniffLimit` bytes are UTF-8; else
    /// GB18030 if they decode cleanly as GB18030; else `not-utf8` naming the first byte that fits none.
    case auto
    case utf8 = "utf-8"
    /// GB18030 (GBK and GB2312 are subsets of it).
    case gb18030
    /// UTF-16: the BOM decides the byte order; without one, little-endian (what Windows writes).
    case utf16 = "utf-16"
}

/// Wraps a byte chunk source in another encoding as a source of UTF-8 chunks, so the CSV and
/// JSON Lines readers see UTF-8 only.
///
///     let utf8 = try Transcoder.source(ByteChunks.fileHandle(handle), encoding: .auto)
///     var reader = try RecordReader(format: .csv, source: utf8)
///
/// UTF-8 input (chosen or detected) is passed through untouched: the readers validate it.
/// GB18030 is cut into chunks where no sequence is split and decoded by Foundation (ICU), after
/// a structural check of every sequence; UTF-16 is decoded here. A byte that does not decode is
/// `CodecError(.invalidInput, "bad-encoding")` naming the byte, its offset, and its line and
/// character counted in the decoded text.
public enum Transcoder {
    /// How many bytes `auto` looks at to choose.
    public static let sniffLimit = 64 * 1024

    /// Foundation's GB18030 (kCFStringEncodingGB_18030_2000).
    static let gb18030Encoding = String.Encoding(rawValue: 0x8000_0632)

    public static func source(
        _ source: @escaping ByteChunkSource, encoding: InputEncoding, fileName: String? = nil
    ) throws -> ByteChunkSource {
        switch encoding {
        case .utf8: return source
        case .gb18030: return Decoder(source: source, kind: .gb18030, prefix: [], ended: false).next
        case .utf16, .auto:
            var prefix: [UInt8] = []
            var ended = false
            let limit = encoding == .auto ? sniffLimit : 2
            while prefix.count < limit {
                guard let chunk = try source(), !chunk.isEmpty else {
                    ended = true
                    break
                }
                prefix += chunk
            }
            let hasPrefix = prefix.count >= 2
            if hasPrefix, prefix[0] == 0xFF, prefix[1] == 0xFE {
                return Decoder(source: source, kind: .utf16LE, prefix: Array(prefix[2...]), ended: ended, start: 2).next
            }
            if hasPrefix, prefix[0] == 0xFE, prefix[1] == 0xFF {
                return Decoder(source: source, kind: .utf16BE, prefix: Array(prefix[2...]), ended: ended, start: 2).next
            }
            if encoding == .utf16 {
                return Decoder(source: source, kind: .utf16LE, prefix: prefix, ended: ended).next
            }
            return try choose(prefix: prefix, ended: ended, source: source)
        }
    }

    /// `auto` without a UTF-16 BOM.
    private static func choose(prefix: [UInt8], ended: Bool, source: @escaping ByteChunkSource) throws
        -> ByteChunkSource
    {
        var validator = UTF8Validator()
        var utf8Failure: Int?
        var sequenceStart = 0
        for (i, byte) in prefix.enumerated() {
            if !validator.isMidSequence { sequenceStart = i }
            if validator.feed(byte) == .invalid {
                utf8Failure = sequenceStart
                break
            }
        }
        // A NUL byte means binary or UTF-16 without a BOM, not text in a legacy encoding: the
        // UTF-8 reader reports it with its hints (binary file, iconv -f UTF-16LE …).
        if utf8Failure == nil || prefix.contains(0) {
            // Valid UTF-8 (a character cut at the end of the sample included; one cut at the
            // end of the file is the UTF-8 reader's to report).
            var pending: [UInt8]? = prefix
            return {
                if let p = pending {
                    pending = nil
                    if !p.isEmpty { return p }
                }
                return try source()
            }
        }
        let structure = GB18030.scan(prefix[...], final: ended)
        if structure.error == nil {
            let complete = Array(prefix[..<structure.complete])
            if GB18030.decode(complete) != nil {
                return Decoder(source: source, kind: .gb18030, prefix: prefix, ended: ended).next
            }
        }
        // Neither: name the first byte both refuse (the later of the two failures), located in
        // the decoding that got further.
        let gbFailure = GB18030.firstFailure(prefix, final: ended) ?? prefix.count
        let utf8Offset = utf8Failure!
        let offset = max(utf8Offset, gbFailure)
        let decoded: String
        if gbFailure >= utf8Offset {
            decoded = GB18030.decode(Array(prefix[..<gbFailure])) ?? ""
        } else {
            decoded = String(decoding: prefix[..<utf8Offset], as: UTF8.self)
        }
        var counter = LineCounter()
        counter.count(Array(decoded.utf8)[...])
        let byte = offset < prefix.count ? prefix[offset] : nil
        let byteText = byte.map(TextEncodingError.hex) ?? "end of input"
        throw CodecError(
            .invalidInput, "not-utf8",
            en: "\(counter.location.en): the file is neither UTF-8 nor GB18030: byte \(byteText) "
                + "at offset \(offset) fits neither. Save it as UTF-8 (in Excel: \"CSV UTF-8\") "
                + "or give --encoding",
            zh: "\(counter.location.zh)：文件既不是 UTF-8 也不是 GB18030 编码：偏移 \(offset) 处的字节 "
                + "\(byteText) 两者都不符合。请另存为 UTF-8 编码（Excel 中选“CSV UTF-8”）或用 --encoding 指定编码")
    }
}

// MARK: - Line counting

/// Counts lines and characters of decoded UTF-8 text, for error locations.
struct LineCounter {
    var line = 1
    var character = 0
    var lastWasCR = false

    mutating func count(_ bytes: ArraySlice<UInt8>) {
        for b in bytes {
            if b == 0x0A {
                if !lastWasCR { line += 1 }
                character = 0
                lastWasCR = false
            } else if b == 0x0D {
                line += 1
                character = 0
                lastWasCR = true
            } else {
                lastWasCR = false
                if b & 0xC0 != 0x80 { character += 1 }
            }
        }
    }

    /// Where the next character is.
    var location: TextLocation { TextLocation(line: line, character: character + 1) }
}

// MARK: - GB18030

enum GB18030 {
    /// Checks the sequences of `bytes` structurally (1 byte 00–7F; 2 bytes 81–FE 40–7E|80–FE;
    /// 4 bytes 81–FE 30–39 81–FE 30–39 within U+0080…U+FFFF or U+10000…U+10FFFF). Returns
    /// how many bytes form complete sequences, and the offset of the first bad sequence.
    /// A sequence cut at the end is incomplete, not bad, unless `final`.
    static func scan(_ bytes: ArraySlice<UInt8>, final: Bool) -> (complete: Int, error: Int?) {
        let base = bytes.startIndex
        var i = base
        let end = bytes.endIndex
        while i < end {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                continue
            }
            guard b >= 0x81, b <= 0xFE else { return (i - base, i - base) }
            guard i + 1 < end else { return (i - base, final ? i - base : nil) }
            let b2 = bytes[i + 1]
            if (b2 >= 0x40 && b2 <= 0x7E) || (b2 >= 0x80 && b2 <= 0xFE) {
                i += 2
                continue
            }
            guard b2 >= 0x30, b2 <= 0x39 else { return (i - base, i - base) }
            guard i + 2 < end else { return (i - base, final ? i - base : nil) }
            let b3 = bytes[i + 2]
            guard b3 >= 0x81, b3 <= 0xFE else { return (i - base, i - base) }
            guard i + 3 < end else { return (i - base, final ? i - base : nil) }
            let b4 = bytes[i + 3]
            guard b4 >= 0x30, b4 <= 0x39 else { return (i - base, i - base) }
            let linear =
                ((Int(b) - 0x81) * 10 + Int(b2) - 0x30) * 1260 + (Int(b3) - 0x81) * 10 + Int(b4) - 0x30
            // 81 30 81 30 … 84 31 A4 39: U+0080…U+FFFF; 90 30 81 30 … E3 32 9A 35: U+10000…U+10FFFF.
            let bmpEnd = ((0x84 - 0x81) * 10 + 1) * 1260 + (0xA4 - 0x81) * 10 + 9
            let supplementaryStart = (0x90 - 0x81) * 10 * 1260
            guard linear <= bmpEnd || (linear >= supplementaryStart && linear < supplementaryStart + 0x100000)
            else { return (i - base, i - base) }
            i += 4
        }
        return (i - base, nil)
    }

    /// Decodes complete, structurally valid sequences; nil if one has no mapping.
    static func decode(_ bytes: [UInt8]) -> String? {
        if bytes.isEmpty { return "" }
        return String(bytes: bytes, encoding: Transcoder.gb18030Encoding)
    }

    /// The offset of the first byte that does not decode (structurally or by mapping), nil if all do.
    static func firstFailure(_ bytes: [UInt8], final: Bool) -> Int? {
        let s = scan(bytes[...], final: final)
        if decode(Array(bytes[..<s.complete])) != nil { return s.error }
        // Find the sequence with no mapping, one at a time (error path only).
        var i = 0
        while i < s.complete {
            let length = sequenceLength(bytes, at: i)
            if decode(Array(bytes[i..<i + length])) == nil { return i }
            i += length
        }
        return s.error
    }

    private static func sequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        if bytes[i] < 0x80 { return 1 }
        return i + 1 < bytes.count && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39 ? 4 : 2
    }
}

// MARK: - The decoding source

private final class Decoder {
    enum Kind { case gb18030, utf16LE, utf16BE }

    let source: ByteChunkSource
    let kind: Kind
    var carry: [UInt8]
    var ended: Bool
    /// Input offset of `carry[0]`.
    var offset: Int
    var counter = LineCounter()
    /// UTF-16: a high surrogate waiting for its low half, and where it began.
    var highSurrogate: UInt16?
    var finished = false

    init(source: @escaping ByteChunkSource, kind: Kind, prefix: [UInt8], ended: Bool, start: Int = 0) {
        self.source = source
        self.kind = kind
        self.carry = prefix
        self.ended = ended
        self.offset = start
    }

    func next() throws -> [UInt8]? {
        while !finished {
            if !ended, carry.count < 4096 {
                if let chunk = try source(), !chunk.isEmpty {
                    if carry.isEmpty { carry = chunk } else { carry += chunk }
                } else {
                    ended = true
                }
            }
            let output = try kind == .gb18030 ? decodeGB18030() : decodeUTF16()
            if ended && carry.isEmpty { finished = true }
            if !output.isEmpty { return output }
            if finished { break }
        }
        return nil
    }

    /// Two-byte codes decoded so far (by Foundation, once each): 0 not yet, `noMapping`, else the scalar.
    private var pairs = [UInt32](repeating: 0, count: 0x10000)
    private static let noMapping: UInt32 = 0xFFFF_FFFF

    private func decodeGB18030() throws -> [UInt8] {
        let s = GB18030.scan(carry[...], final: ended)
        var out: [UInt8] = []
        out.reserveCapacity(s.complete + s.complete / 2)
        // ASCII is copied; a two-byte code is looked up (Foundation decodes each distinct one
        // once); a four-byte code goes to Foundation.
        var i = 0
        let end = s.complete
        var failed: Int?
        carry.withUnsafeBufferPointer { p in
            while i < end {
                let b = p[i]
                if b < 0x80 {
                    var j = i + 1
                    while j < end && p[j] < 0x80 { j += 1 }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                    i = j
                    continue
                }
                let b2 = p[i + 1]
                if b2 >= 0x30 && b2 <= 0x39 {
                    guard let text = GB18030.decode(Array(p[i..<i + 4])) else {
                        failed = i
                        return
                    }
                    out.append(contentsOf: text.utf8)
                    i += 4
                    continue
                }
                let key = Int(b) << 8 | Int(b2)
                var v = pairs[key]
                if v == 0 {
                    v =
                        GB18030.decode([b, b2]).flatMap { $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first!.value : nil }
                        ?? Self.noMapping
                    pairs[key] = v
                }
                guard v != Self.noMapping else {
                    failed = i
                    return
                }
                append(v, to: &out)
                i += 2
            }
        }
        counter.count(out[...])
        if let bad = failed ?? s.error { throw failure(at: bad, decodedBefore: "") }
        carry.removeFirst(s.complete)
        offset += s.complete
        return out
    }

    private func decodeUTF16() throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(carry.count * 3 / 2)
        let units = carry.count / 2
        var i = 0
        let little = kind == .utf16LE
        while i < units {
            let a = UInt16(carry[2 * i])
            let b = UInt16(carry[2 * i + 1])
            let unit = little ? a | b << 8 : a << 8 | b
            if let high = highSurrogate {
                guard unit >= 0xDC00, unit <= 0xDFFF else {
                    counter.count(out[...])
                    throw unpaired(at: 2 * i - 2, unit: high)
                }
                highSurrogate = nil
                let scalar = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(unit - 0xDC00)
                append(scalar, to: &out)
            } else if unit >= 0xD800, unit <= 0xDBFF {
                highSurrogate = unit
            } else if unit >= 0xDC00, unit <= 0xDFFF {
                counter.count(out[...])
                throw unpaired(at: 2 * i, unit: unit)
            } else {
                append(UInt32(unit), to: &out)
            }
            i += 1
        }
        // Keep an odd byte, and a high surrogate's two bytes so an error can point at them.
        var consumed = 2 * units
        if highSurrogate != nil { consumed -= 2 }
        if ended {
            if highSurrogate != nil {
                counter.count(out[...])
                throw unpaired(at: consumed, unit: highSurrogate!)
            }
            if carry.count % 2 == 1 {
                counter.count(out[...])
                throw failure(at: carry.count - 1, decodedBefore: "", odd: true)
            }
        }
        if highSurrogate != nil { highSurrogate = nil }  // re-read from the carried bytes next time
        counter.count(out[...])
        carry.removeFirst(consumed)
        offset += consumed
        return out
    }

    @inline(__always)
    private func append(_ v: UInt32, to out: inout [UInt8]) {
        if v < 0x80 {
            out.append(UInt8(v))
        } else if v < 0x800 {
            out.append(UInt8(0xC0 | v >> 6))
            out.append(UInt8(0x80 | v & 0x3F))
        } else if v < 0x10000 {
            out.append(UInt8(0xE0 | v >> 12))
            out.append(UInt8(0x80 | (v >> 6) & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        } else {
            out.append(UInt8(0xF0 | v >> 18))
            out.append(UInt8(0x80 | (v >> 12) & 0x3F))
            out.append(UInt8(0x80 | (v >> 6) & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        }
    }

    private var name: String {
        switch kind {
        case .gb18030: return "GB18030"
        case .utf16LE: return "UTF-16LE"
        case .utf16BE: return "UTF-16BE"
        }
    }

    private func unpaired(at index: Int, unit: UInt16) -> CodecError {
        let hex = String(unit, radix: 16, uppercase: true)
        let location = counter.location
        return CodecError(
            .invalidInput, "bad-encoding",
            en: "\(location.en): the file is not valid \(name): an unpaired surrogate U+\(hex) "
                + "at offset \(offset + index)",
            zh: "\(location.zh)：文件不是有效的 \(name) 编码：偏移 \(offset + index) 处有不成对的代理项 U+\(hex)")
    }

    private func failure(at index: Int, decodedBefore: String, odd: Bool = false) -> CodecError {
        counter.count(Array(decodedBefore.utf8)[...])
        let location = counter.location
        let at = offset + index
        if odd {
            return CodecError(
                .invalidInput, "bad-encoding",
                en: "\(location.en): the file is not valid \(name): it ends inside a character "
                    + "(an odd number of bytes)",
                zh: "\(location.zh)：文件不是有效的 \(name) 编码：文件在一个字符的中间结束（字节数为奇数）")
        }
        let byte = TextEncodingError.hex(carry[index])
        return CodecError(
            .invalidInput, "bad-encoding",
            en: "\(location.en): the file is not valid \(name): byte \(byte) at offset \(at) "
                + "does not decode",
            zh: "\(location.zh)：文件不是有效的 \(name) 编码：偏移 \(at) 处的字节 \(byte) 无法解码")
    }
}
