/// A small streaming XML pull tokenizer, enough for the parts of an `.xlsx` workbook.
///
///     var xml = XMLTokenizer(source: chunks, part: "xl/workbook.xml")
///     while let event = try xml.next() {
///         if event == .start, xml.nameIs("sheet") { let name = try xml.attribute("name") }
///     }
///
/// Events: a start tag (`.start`, with `selfClosing` for `<x/>`, which is followed by no end
/// event), an end tag (`.end`), and text (`.text`: character data and CDATA sections, with the
/// five predefined entities and numeric character references decoded, in `text`). Names are
/// local names (a namespace prefix such as `x:` is dropped); attributes are looked up by local
/// name too. The XML declaration, processing instructions and comments are skipped.
///
/// A DOCTYPE (and so any entity declaration: no "billion laughs") is refused, and so are an
/// unknown entity, a tag or a text run over `maxTokenBytes`, text that is not UTF-8, and a
/// document cut short inside a tag. Errors are `CodecError(.invalidInput, "bad-xlsx", …)` naming
/// the part, the line and the column (in bytes) of the part.
public struct XMLTokenizer {
    public enum Event: Sendable, Equatable { case start, end, text }

    public static let defaultMaxTokenBytes = 4 * 1024 * 1024

    public let part: String
    public let maxTokenBytes: Int
    /// For `.start`: whether the tag was `<x … />`.
    public private(set) var selfClosing = false
    /// For `.text`: the decoded bytes (UTF-8).
    public private(set) var text: [UInt8] = []

    private let source: ByteChunkSource
    private var buffer: [UInt8] = []
    private var position = 0
    private var ended = false
    /// Bytes and line breaks of the part dropped from the buffer so far.
    private var droppedBytes = 0
    private var droppedLines = 0
    /// The current tag's local name and attributes, as ranges of `buffer`.
    private var nameStart = 0
    private var nameEnd = 0
    private var attributeBounds: [Int] = []
    /// The offsets of `attributeBounds` in use (4 per attribute).
    private var attributeCount = 0

    public init(source: @escaping ByteChunkSource, part: String, maxTokenBytes: Int = XMLTokenizer.defaultMaxTokenBytes) {
        self.source = source
        self.part = part
        self.maxTokenBytes = maxTokenBytes
    }

    // MARK: - Reading

    /// The next event, or nil at the end of the document.
    public mutating func next() throws -> Event? {
        while true {
            if position == buffer.count {
                guard try refill() else { return nil }
            }
            if buffer[position] != UInt8(ascii: "<") { return try readText() }
            while buffer.count - position < 2 {
                guard try refill() else { throw error(at: position, en: "the part ends inside a tag", zh: "文件在标签中间结束") }
            }
            let b1 = buffer[position + 1]
            if b1 == UInt8(ascii: "?") {
                try skip(past: Array("?>".utf8), from: position + 2, what: "processing instruction")
                continue
            }
            if b1 == UInt8(ascii: "!") {
                if try starts(with: "<!--") {
                    try skip(past: Array("-->".utf8), from: position + 4, what: "comment")
                    continue
                }
                if try starts(with: "<![CDATA[") { return try readCDATA() }
                throw error(
                    at: position,
                    en: "a DOCTYPE or entity declaration (<!…>) is not allowed in a workbook",
                    zh: "工作簿中不允许出现 DOCTYPE 或实体声明（<!…>）")
            }
            return try readTag()
        }
    }

    /// Whether the current tag's local name is `name`.
    public func nameIs(_ name: StaticString) -> Bool {
        let count = nameEnd - nameStart
        guard count == name.utf8CodeUnitCount else { return false }
        return buffer.withUnsafeBufferPointer { b in
            let p = name.utf8Start
            for i in 0..<count where b[nameStart + i] != p[i] { return false }
            return true
        }
    }

    /// The current tag's local name.
    public var name: String { String(decoding: buffer[nameStart..<nameEnd], as: UTF8.self) }

    /// The decoded value of the current tag's attribute `name` (by local name), or nil.
    public func attribute(_ name: StaticString) throws -> [UInt8]? {
        guard let range = attributeRange(name) else { return nil }
        if !buffer[range].contains(UInt8(ascii: "&")) { return Array(buffer[range]) }
        var out: [UInt8] = []
        var i = range.lowerBound
        while i < range.upperBound {
            if buffer[i] == UInt8(ascii: "&") {
                i = try decodeEntity(at: i, end: range.upperBound, into: &out)
            } else {
                out.append(buffer[i])
                i += 1
            }
        }
        return out
    }

    /// The attribute's value as text.
    public func attributeText(_ name: StaticString) throws -> String? {
        guard let bytes = try attribute(name) else { return nil }
        guard let s = String(validating: bytes, as: UTF8.self) else {
            throw error(at: position, en: "an attribute that is not UTF-8", zh: "属性值不是 UTF-8")
        }
        return s
    }

    /// The attribute's raw bytes without copying: `body` sees them (entities not decoded).
    public func withRawAttribute<T>(_ name: StaticString, _ body: (UnsafeBufferPointer<UInt8>?) throws -> T) rethrows -> T {
        guard let range = attributeRange(name) else { return try body(nil) }
        return try buffer.withUnsafeBufferPointer { b in
            try body(UnsafeBufferPointer(rebasing: b[range]))
        }
    }

    /// Swaps `text` with `other`: the text's bytes move out without a copy (the next text event
    /// clears whatever `text` then holds, keeping its capacity).
    public mutating func swapText(with other: inout [UInt8]) { swap(&text, &other) }

    /// The text as a `String` (it was checked to be UTF-8).
    public var textString: String { String(decoding: text, as: UTF8.self) }

    /// Where the tokenizer is, for messages: line and column (bytes) of the part.
    public var location: (line: Int, column: Int) { location(of: position) }

    // MARK: - Errors

    func error(at offset: Int, en: String, zh: String) -> CodecError {
        let (line, column) = location(of: offset)
        return CodecError(
            .invalidInput, "bad-xlsx", en: "\(part), line \(line), column \(column): \(en)",
            zh: "\(part) 第 \(line) 行第 \(column) 列：\(zh)")
    }

    private func location(of offset: Int) -> (line: Int, column: Int) {
        var line = droppedLines + 1
        var lineStart = lastDroppedLineStart
        for i in 0..<min(offset, buffer.count) where buffer[i] == 0x0a {
            line += 1
            lineStart = droppedBytes + i + 1
        }
        return (line, droppedBytes + offset - lineStart + 1)
    }

    private var lastDroppedLineStart = 0
    /// The index of the current tag's `>`.
    private var tagEnd = 0

    // MARK: - Buffer

    @inline(__always)
    private func at(_ i: Int) -> UInt8 { i < buffer.count ? buffer[i] : 0 }

    /// Drops what was read and appends the next chunk; false at the end of the part.
    private mutating func refill() throws -> Bool {
        if ended { return false }
        if position > 0 {
            let upTo = position
            let (lines, lastBreak) = buffer.withUnsafeBufferPointer { b -> (Int, Int) in
                var lines = 0
                var last = -1
                for i in 0..<upTo where b[i] == 0x0a {
                    lines += 1
                    last = i
                }
                return (lines, last)
            }
            droppedLines += lines
            if lastBreak >= 0 { lastDroppedLineStart = droppedBytes + lastBreak + 1 }
            droppedBytes += position
            buffer.removeFirst(position)
            nameStart -= position
            nameEnd -= position
            position = 0
        }
        guard let chunk = try source(), !chunk.isEmpty else {
            ended = true
            return false
        }
        buffer.append(contentsOf: chunk)
        return true
    }

    /// Makes the whole tag starting at `position` (up to its `>` outside quotes) be in the buffer.
    private mutating func ensureTag() throws {
        var i = position + 1
        var quote: UInt8 = 0
        while true {
            let from = i
            let found: Int? = buffer.withUnsafeBufferPointer { b in
                var k = from
                while k < b.count {
                    let c = b[k]
                    if quote != 0 {
                        if c == quote { quote = 0 }
                    } else if c == UInt8(ascii: ">") {
                        return k
                    } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                        quote = c
                    }
                    k += 1
                }
                return nil
            }
            if let found {
                tagEnd = found
                return
            }
            i = buffer.count
            let offset = i - position
            guard offset <= maxTokenBytes else {
                throw error(at: position, en: "a tag longer than \(maxTokenBytes) bytes", zh: "标签长度超过 \(maxTokenBytes) 字节")
            }
            guard try refill() else { throw error(at: position, en: "the part ends inside a tag", zh: "文件在标签中间结束") }
            i = position + offset
        }
    }

    private mutating func starts(with prefix: StaticString) throws -> Bool {
        let bytes = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        while buffer.count - position < bytes.count {
            guard try refill() else { break }
        }
        guard buffer.count - position >= bytes.count else { return false }
        for (k, b) in bytes.enumerated() where buffer[position + k] != b { return false }
        return true
    }

    /// Skips to just past `terminator`, searching from `from`.
    private mutating func skip(past terminator: [UInt8], from: Int, what: String) throws {
        var i = from
        while true {
            while i + terminator.count <= buffer.count {
                if buffer[i] == terminator[0] && Array(buffer[i..<(i + terminator.count)]) == terminator {
                    position = i + terminator.count
                    return
                }
                i += 1
            }
            let offset = i - position
            guard offset <= maxTokenBytes else {
                throw error(at: position, en: "a \(what) longer than \(maxTokenBytes) bytes", zh: "注释或处理指令过长")
            }
            guard try refill() else {
                throw error(at: position, en: "the part ends inside a \(what)", zh: "文件在注释或处理指令中间结束")
            }
            i = position + offset
        }
    }

    // MARK: - Tokens

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09 }

    private mutating func readTag() throws -> Event {
        // The common case: a well-formed tag wholly in the buffer, read in one pass.
        var quickBounds = attributeBounds
        attributeBounds = []
        let at = position
        var quickCount = 0
        let quick = buffer.withUnsafeBufferPointer { b in
            XMLTokenizer.quickScanTag(b, from: at, into: &quickBounds, count: &quickCount)
        }
        attributeBounds = quickBounds
        if let quick {
            attributeCount = quickCount
            nameStart = quick.nameStart
            nameEnd = quick.nameEnd
            selfClosing = quick.selfClosing
            tagEnd = quick.next - 1
            position = quick.next
            return quick.closing ? .end : .start
        }
        // Anything else (a tag cut by the chunk's end, a quote in a name, a malformed tag): find
        // the tag's end first, then read it, reporting what is wrong.
        try ensureTag()
        // The whole tag is in the buffer, up to its '>' at `tagEnd`.
        var bounds = attributeBounds
        attributeBounds = []
        let from = position
        let end = tagEnd
        var count = 0
        let scan = buffer.withUnsafeBufferPointer { b in
            XMLTokenizer.scanTag(b, from: from, end: end, into: &bounds, count: &count)
        }
        attributeBounds = bounds
        attributeCount = count
        if let problem = scan.problem { throw error(at: scan.next, en: problem.en, zh: problem.zh) }
        nameStart = scan.nameStart
        nameEnd = scan.nameEnd
        selfClosing = scan.selfClosing
        position = scan.next
        return scan.closing ? .end : .start
    }

    private struct TagScan {
        var nameStart = 0
        var nameEnd = 0
        var closing = false
        var selfClosing = false
        /// Just past the tag, or where the problem is.
        var next = 0
        var problem: (en: String, zh: String)?
    }

    /// Reads the tag at `from` (its `>` at `end`): the local name, and each attribute as four
    /// offsets in `bounds` (name from, name to, value from, value to); `xmlns` declarations left out.
    private static func scanTag(
        _ b: UnsafeBufferPointer<UInt8>, from: Int, end: Int, into bounds: inout [Int], count: inout Int
    ) -> TagScan {
        var r = TagScan()
        func fail(_ at: Int, _ en: String, _ zh: String) -> TagScan {
            r.next = at
            r.problem = (en, zh)
            return r
        }
        var i = from + 1
        r.closing = b[i] == UInt8(ascii: "/")
        if r.closing { i += 1 }
        var start = i
        while i < end, !isSpace(b[i]), b[i] != UInt8(ascii: "/") {
            if b[i] == UInt8(ascii: ":") { start = i + 1 }
            i += 1
        }
        r.nameStart = start
        r.nameEnd = i
        guard i > start else { return fail(from, "a tag without a name", "标签没有名称") }
        while true {
            while isSpace(b[i]) { i += 1 }
            let c = b[i]
            if c == UInt8(ascii: ">") {
                i += 1
                break
            }
            if c == UInt8(ascii: "/") && b[i + 1] == UInt8(ascii: ">") && !r.closing {
                r.selfClosing = true
                i += 2
                break
            }
            guard !r.closing else { return fail(i, "an end tag with attributes", "结束标签带有属性") }
            let qualifiedFrom = i
            var nameFrom = i
            while i < end, !isSpace(b[i]), b[i] != UInt8(ascii: "="), b[i] != UInt8(ascii: "/") {
                if b[i] == UInt8(ascii: ":") { nameFrom = i + 1 }
                i += 1
            }
            let nameTo = i
            while isSpace(b[i]) { i += 1 }
            guard nameTo > nameFrom, b[i] == UInt8(ascii: "=") else {
                return fail(i, "an attribute without a value", "属性没有值")
            }
            i += 1
            while isSpace(b[i]) { i += 1 }
            let quote = b[i]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                return fail(i, "an attribute value without quotes", "属性值没有加引号")
            }
            let valueFrom = i + 1
            i = valueFrom
            while i < end && b[i] != quote { i += 1 }
            guard i < end else { return fail(valueFrom, "an attribute value without its closing quote", "属性值缺少结尾的引号") }
            i += 1
            guard
                keepAttribute(
                    b, qualifiedFrom: qualifiedFrom, nameFrom: nameFrom, nameTo: nameTo, valueFrom: valueFrom, valueTo: i - 1, in: &bounds,
                    count: &count)
            else {
                return fail(i, "a tag with too many attributes", "标签的属性过多")
            }
        }
        r.next = i
        return r
    }

    /// Records an attribute read by `scanTag` or `quickScanTag` as its four offsets in `bounds`,
    /// unless it is an `xmlns` declaration (`xmlns:x="…"` declares a prefix: not an attribute of
    /// the element); false once a tag has more attributes than a tokenizer keeps (1,024).
    @inline(__always)
    private static func keepAttribute(
        _ b: UnsafeBufferPointer<UInt8>, qualifiedFrom: Int, nameFrom: Int, nameTo: Int, valueFrom: Int, valueTo: Int,
        in bounds: inout [Int], count: inout Int
    ) -> Bool {
        let isNamespace =
            nameFrom - qualifiedFrom == 6 && b[qualifiedFrom] == UInt8(ascii: "x") && b[qualifiedFrom + 1] == UInt8(ascii: "m")
            && b[qualifiedFrom + 2] == UInt8(ascii: "l") && b[qualifiedFrom + 3] == UInt8(ascii: "n")
            && b[qualifiedFrom + 4] == UInt8(ascii: "s")
        if !isNamespace {
            if count + 4 > bounds.count { bounds += [0, 0, 0, 0] }
            bounds[count] = nameFrom
            bounds[count + 1] = nameTo
            bounds[count + 2] = valueFrom
            bounds[count + 3] = valueTo
            count += 4
        }
        return count <= 4 * 1024
    }

    /// What `quickScanTag` read (a plain value: no strings to retain).
    private struct QuickScan {
        var nameStart = 0
        var nameEnd = 0
        var closing = false
        var selfClosing = false
        var next = 0
    }

    /// `scanTag` in one pass for a well-formed tag wholly in `b` with quotes only around
    /// attribute values, where the first `>` outside quotes (`ensureTag`'s) is the one it ends
    /// at; nil for anything else, which `ensureTag` and `scanTag` then read and report.
    private static func quickScanTag(
        _ b: UnsafeBufferPointer<UInt8>, from: Int, into bounds: inout [Int], count: inout Int
    ) -> QuickScan? {
        let n = b.count
        let gt = UInt8(ascii: ">")
        let slash = UInt8(ascii: "/")
        let dq = UInt8(ascii: "\"")
        let sq = UInt8(ascii: "'")
        let colon = UInt8(ascii: ":")
        let equals = UInt8(ascii: "=")
        var r = QuickScan()
        var i = from + 1
        guard i < n else { return nil }
        r.closing = b[i] == slash
        if r.closing { i += 1 }
        var start = i
        while i < n {
            let c = b[i]
            // Every byte that matters here is at most `>` (0x3e); names are mostly letters.
            if c <= gt {
                if isSpace(c) || c == slash || c == gt { break }
                if c == dq || c == sq { return nil }
                if c == colon { start = i + 1 }
            }
            i += 1
        }
        guard i < n, i > start else { return nil }
        r.nameStart = start
        r.nameEnd = i
        while true {
            while i < n && isSpace(b[i]) { i += 1 }
            guard i < n else { return nil }
            let c = b[i]
            if c == gt {
                i += 1
                break
            }
            if c == slash {
                guard i + 1 < n, b[i + 1] == gt, !r.closing else { return nil }
                r.selfClosing = true
                i += 2
                break
            }
            if r.closing { return nil }
            let qualifiedFrom = i
            var nameFrom = i
            while i < n {
                let c = b[i]
                if c <= gt {
                    if isSpace(c) || c == equals || c == slash || c == gt { break }
                    if c == dq || c == sq { return nil }
                    if c == colon { nameFrom = i + 1 }
                }
                i += 1
            }
            let nameTo = i
            while i < n && isSpace(b[i]) { i += 1 }
            guard i < n, nameTo > nameFrom, b[i] == equals else { return nil }
            i += 1
            while i < n && isSpace(b[i]) { i += 1 }
            guard i < n else { return nil }
            let quote = b[i]
            guard quote == dq || quote == sq else { return nil }
            let valueFrom = i + 1
            i = valueFrom
            while i < n && b[i] != quote { i += 1 }
            guard i < n else { return nil }
            i += 1
            guard
                keepAttribute(
                    b, qualifiedFrom: qualifiedFrom, nameFrom: nameFrom, nameTo: nameTo, valueFrom: valueFrom, valueTo: i - 1, in: &bounds,
                    count: &count)
            else {
                return nil
            }
        }
        r.next = i
        return r
    }

    private func attributeRange(_ name: StaticString) -> Range<Int>? {
        let count = name.utf8CodeUnitCount
        let p = name.utf8Start
        return buffer.withUnsafeBufferPointer { b in
            var k = 0
            outer: while k < attributeCount {
                let from = attributeBounds[k]
                defer { k += 4 }
                guard attributeBounds[k + 1] - from == count else { continue }
                for x in 0..<count where b[from + x] != p[x] { continue outer }
                return attributeBounds[k + 2]..<attributeBounds[k + 3]
            }
            return nil
        }
    }

    private mutating func readText() throws -> Event {
        text.removeAll(keepingCapacity: true)
        let begin = position
        while true {
            var i = position
            let count = buffer.count
            let stop: Int = buffer.withUnsafeBufferPointer { b in
                while i < count {
                    let c = b[i]
                    if c == UInt8(ascii: "<") || c == UInt8(ascii: "&") { break }
                    i += 1
                }
                return i
            }
            if stop > position {
                text.append(contentsOf: buffer[position..<stop])
                position = stop
            }
            guard text.count <= maxTokenBytes else {
                throw error(at: begin, en: "a text longer than \(maxTokenBytes) bytes", zh: "文本长度超过 \(maxTokenBytes) 字节")
            }
            if position < buffer.count {
                if buffer[position] == UInt8(ascii: "<") { break }
                // An entity: make sure it is whole (at most 12 bytes) in the buffer.
                while !buffer[position..<min(buffer.count, position + 12)].contains(UInt8(ascii: ";")) {
                    let before = buffer.count - position
                    guard try refill(), buffer.count - position > before else { break }
                }
                position = try decodeEntity(at: position, end: buffer.count, into: &text)
                continue
            }
            guard try refill() else { break }
        }
        guard XMLTokenizer.isUTF8(text) else {
            throw error(at: position, en: "text that is not UTF-8", zh: "文本不是 UTF-8")
        }
        return .text
    }

    /// Whether `bytes` are UTF-8 (ASCII, the common case, is checked without making a string).
    private static func isUTF8(_ bytes: [UInt8]) -> Bool {
        let ascii = bytes.withUnsafeBufferPointer { b in
            var all: UInt8 = 0
            for c in b { all |= c }
            return all < 0x80
        }
        return ascii || String(validating: bytes, as: UTF8.self) != nil
    }

    private mutating func readCDATA() throws -> Event {
        text.removeAll(keepingCapacity: true)
        position += 9
        let terminator = Array("]]>".utf8)
        while true {
            var i = position
            while i + 3 <= buffer.count {
                if buffer[i] == UInt8(ascii: "]") && buffer[i + 1] == UInt8(ascii: "]") && buffer[i + 2] == UInt8(ascii: ">") {
                    text.append(contentsOf: buffer[position..<i])
                    position = i + terminator.count
                    guard XMLTokenizer.isUTF8(text) else {
                        throw error(at: position, en: "text that is not UTF-8", zh: "文本不是 UTF-8")
                    }
                    return .text
                }
                i += 1
            }
            text.append(contentsOf: buffer[position..<i])
            position = i
            guard text.count <= maxTokenBytes else {
                throw error(at: position, en: "a CDATA section longer than \(maxTokenBytes) bytes", zh: "CDATA 段过长")
            }
            guard try refill() else { throw error(at: position, en: "the part ends inside CDATA", zh: "文件在 CDATA 段中间结束") }
        }
    }

    /// Decodes the entity at `i` (`&…;`) onto `out`; returns the index after it.
    private func decodeEntity(at i: Int, end: Int, into out: inout [UInt8]) throws -> Int {
        var j = i + 1
        while j < end && j - i <= 12 && buffer[j] != UInt8(ascii: ";") { j += 1 }
        guard j < end, buffer[j] == UInt8(ascii: ";") else {
            throw error(at: i, en: "an & that does not start an entity", zh: "& 之后不是实体")
        }
        let body = Array(buffer[(i + 1)..<j])
        switch body {
        case Array("lt".utf8): out.append(UInt8(ascii: "<"))
        case Array("gt".utf8): out.append(UInt8(ascii: ">"))
        case Array("amp".utf8): out.append(UInt8(ascii: "&"))
        case Array("quot".utf8): out.append(UInt8(ascii: "\""))
        case Array("apos".utf8): out.append(UInt8(ascii: "'"))
        default:
            var value: UInt32 = 0
            var valid = body.count >= 2 && body[0] == UInt8(ascii: "#")
            if valid {
                let hex = body[1] == UInt8(ascii: "x")
                let digits = body[(hex ? 2 : 1)...]
                valid = !digits.isEmpty && digits.count <= 8
                for d in digits where valid {
                    let v: UInt32
                    switch d {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(d - UInt8(ascii: "0"))
                    case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: v = UInt32(d - UInt8(ascii: "a") + 10)
                    case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: v = UInt32(d - UInt8(ascii: "A") + 10)
                    default:
                        valid = false
                        v = 0
                    }
                    value = value * (hex ? 16 : 10) + v
                }
            }
            guard valid, value != 0, let scalar = Unicode.Scalar(value) else {
                let shown = String(decoding: body, as: UTF8.self)
                throw error(
                    at: i, en: "the unknown entity &\(shown); (only the five predefined ones and &#…; are read)",
                    zh: "未知的实体 &\(shown);（只支持五个预定义实体和 &#…;）")
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        return j + 1
    }
}
