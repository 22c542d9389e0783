/// Text helpers of the import paths: they read a string's UTF-8 bytes in one buffer, which
/// costs a fraction of a walk over `utf8` or its `Character`s.
extension String {
    /// Trims ASCII spaces and tabs (not newlines in the middle of anything).
    func trimmingSpaces() -> String {
        // The usual field has nothing to trim: its two ends tell (a pass over it cost a few
        // percent of an import's reading thread).
        let trimmed = withUTF8Bytes { u in
            guard let f = u.first, let l = u.last else { return true }
            return !f.isSpaceOrTab && !l.isSpaceOrTab
        }
        if trimmed { return self }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }

    /// Runs `body` over the string's UTF-8 bytes in one buffer (no copy for a native string):
    /// a loop over it costs a fraction of one over `utf8`.
    @inline(__always)
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var s = self
        return try s.withUTF8(body)
    }

    /// `lowercased()`, without its Unicode case mapping when there is nothing to lower (the
    /// usual case for the words a feed spells: `paid`, `on`, `true`).
    var asciiLowercased: String {
        let lower = withUTF8Bytes { u in !u.contains { $0 >= 0x41 && $0 <= 0x5A || $0 >= 0x80 } }
        return lower ? self : lowercased()
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// The bytes left once the ASCII spaces and tabs around them are dropped (`trimmingSpaces`'s
    /// rule, for parsers that read a field's bytes in place).
    @inline(__always)
    func spaceTrimmedBounds() -> Range<Int> {
        var lo = 0
        var hi = count
        while lo < hi && self[lo].isSpaceOrTab { lo += 1 }
        while hi > lo && self[hi - 1].isSpaceOrTab { hi -= 1 }
        return lo..<hi
    }
}

extension UInt8 {
    /// An ASCII space or tab: what `trimmingSpaces` drops around a field.
    @inline(__always)
    var isSpaceOrTab: Bool { self == 0x20 || self == 0x09 }
}
