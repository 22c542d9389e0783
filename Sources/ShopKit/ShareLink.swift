/// The token inside whatever form of a share link is handed back (SPEC §4 share-link): the bare
/// token, the link, the 口令, or copy pasted from a chat holding the link or the 口令.
///
///     let links = ShareLinkParser(shareBaseURL: "https://taoxiaopu.example")
///     links.token(in: "AQAAAAABc1xgbm0cmXd_rR9l")                                    // the token
///     links.token(in: "https://taoxiaopu.example/s/AQAAAAABc1xgbm0cmXd_rR9l?from=singlemessage")  // the token
///     links.token(in: "【西湖龙井】¥129.50 👉 https://taoxiaopu.example/s/AQAAAAABc1xgbm0cmXd_rR9l")  // the token
///     links.token(in: "复制这条 ¥AQAAAAABc1xgbm0cmXd_rR9l¥ 打开淘小铺")                   // the token
///     links.token(in: "https://evil.example/s/AQAAAAABc1xgbm0cmXd_rR9l")              // nil
///
/// It only finds a token: whether the token verifies is `ShareToken`'s and the share log's
/// business. The rules (docs/share-links.md, "Accepted forms"):
/// - White space (ASCII, no-break and ideographic spaces, line and paragraph separators, a
///   zero-width space or byte order mark) around the whole input is ignored.
/// - **Bare token**: exactly 24 characters of `A–Z a–z 0–9 - _` (`ShareToken.length`). Only as
///   the whole input — inside other text a token must be in a link or a 口令.
/// - **Link**: `ShareRules.url(token:)` exactly — `share_base_url` (trailing `/` removed) +
///   `/s/` + the token. The scheme and authority (host, and port if the base has one) compare
///   ASCII-case-insensitively, everything else byte for byte: another scheme (`http` for an
///   `https` base), another host, a host that only starts with ours
///   (`taoxiaopu.example.evil.example`), a user-info (`taoxiaopu.example@evil.example`), a port,
///   a trailing dot, a percent-encoded character, `/S/` or a `/` after the token is not our link.
///   After the token may come a query (`?from=singlemessage`) and a fragment, which are ignored,
///   and the link ends at white space, a control character, a non-ASCII character or one of
///   `"`, `'`, `<`, `>` and the backtick.
/// - **口令**: `ShareCopy.code(token:)` — the token between two yen signs, each `￥` (U+FFE5) or
///   `¥` (U+00A5), anywhere in the input.
/// - In pasted copy every link and 口令 is found. All that are found must hold the same token;
///   two different tokens are ambiguous (nil). A link of another origin that carries something
///   shaped like a token (a run of exactly 24 token characters) makes the whole input nil, so that
///   copy holding a forged link is never reported as valid because a real 口令 sits beside it.
///   Links without a token-shaped run (a shop's Weibo page in its description) are ignored.
/// - Inputs over `maxInputBytes` are nil without being read; otherwise one pass over the bytes,
///   with no backtracking (each byte is looked at a bounded number of times).
public struct ShareLinkParser: Sendable {
    /// Longer inputs are not looked at (a share's copy is a few kilobytes at most).
    public static let maxInputBytes = 64 * 1024

    /// `ShareRules.url(token: "")`: the link up to its token.
    let prefix: [UInt8]
    /// The first bytes of `prefix` that compare case-insensitively: `scheme://authority`
    /// (0 when the base has no `://`, in which case no link is ever ours).
    let foldedCount: Int

    public init(shareBaseURL: String) {
        prefix = Array(ShareRules.urlPrefix(shareBaseURL).utf8)
        var folded = 0
        if let sep = Self.find([0x3A, 0x2F, 0x2F], in: prefix) {
            folded = prefix.count
            for i in (sep + 3)..<prefix.count where prefix[i] == 0x2F || prefix[i] == 0x3F || prefix[i] == 0x23 {
                folded = i
                break
            }
        }
        foldedCount = folded
    }

    public init(_ rules: Rules) { self.init(shareBaseURL: rules.shareBaseURL) }

    /// The token `text` holds in one of the accepted forms, or nil.
    public func token(in text: String) -> String? {
        // The import's usual case, at the cost of a 24-byte check and no copy.
        if Self.isBareToken(text) { return text }
        guard text.utf8.count <= Self.maxInputBytes else { return nil }
        return text.withUTF8Bytes { b -> String? in
            var lo = 0
            var hi = b.count
            Self.trim(b, &lo, &hi)
            guard lo < hi else { return nil }
            if hi - lo == ShareToken.length && Self.isTokenRun(b, lo, hi) {
                return String(decoding: UnsafeBufferPointer(rebasing: b[lo..<hi]), as: UTF8.self)
            }
            return scan(b, lo, hi)
        }
    }

    /// Whether `text` is exactly 24 token characters.
    @inline(__always)
    public static func isBareToken(_ text: String) -> Bool {
        let u = text.utf8
        guard u.count == ShareToken.length else { return false }
        if let r = u.withContiguousStorageIfAvailable({ isTokenRun($0, 0, $0.count) }) { return r }
        return u.allSatisfy(isTokenByte)
    }

    // MARK: - The scan

    private func scan(_ b: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> String? {
        let L = ShareToken.length
        var found: Int?
        var ambiguous = false
        var forged = false
        func record(_ at: Int) {
            guard let f = found else {
                found = at
                return
            }
            if f != at && !Self.equal(b, f, at, L) { ambiguous = true }
        }
        var i = lo
        // Start of the run of scheme characters ending at i (nil when it does not start with a letter).
        var schemeStart: Int?
        var inRun = false
        while i < hi {
            let c = b[i]
            if c >= 0x80 {
                inRun = false
                schemeStart = nil
                let yen = Self.yenLength(b, i, hi)
                if yen > 0 {
                    let s = i + yen
                    if s + L <= hi, Self.isTokenRun(b, s, s + L), Self.yenLength(b, s + L, hi) > 0 {
                        record(s)
                        i = s + L  // the closing sign may open the next 口令
                        continue
                    }
                    i = s
                    continue
                }
                i += 1
                continue
            }
            if c == 0x3A, let start = schemeStart, i + 2 < hi, b[i + 1] == 0x2F, b[i + 2] == 0x2F {
                if let t = ours(b, start, hi) {
                    record(t)
                    i = Self.linkEnd(b, t + L, hi)
                } else {
                    let end = Self.linkEnd(b, i + 3, hi)
                    if Self.holdsTokenShape(b, i + 3, end) { forged = true }
                    i = end
                }
                inRun = false
                schemeStart = nil
                continue
            }
            if Self.isSchemeByte(c) {
                if !inRun { schemeStart = Self.isLetter(c) ? i : nil }
                inRun = true
            } else {
                inRun = false
                schemeStart = nil
            }
            i += 1
        }
        guard !forged, !ambiguous, let f = found else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: b[f..<(f + L)]), as: UTF8.self)
    }

    /// Where the token of our link starting at `start` begins, or nil when the bytes there are
    /// not our prefix, 24 token characters, then the end, a query, a fragment or a link's end.
    private func ours(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ hi: Int) -> Int? {
        let p = prefix.count
        guard foldedCount > 0, start + p + ShareToken.length <= hi else { return nil }
        for k in 0..<p {
            let x = b[start + k]
            let y = prefix[k]
            if k < foldedCount ? Self.fold(x) != Self.fold(y) : x != y { return nil }
        }
        let t = start + p
        guard Self.isTokenRun(b, t, t + ShareToken.length) else { return nil }
        let after = t + ShareToken.length
        if after == hi { return t }
        let c = b[after]
        return c == 0x3F || c == 0x23 || Self.endsLink(c) ? t : nil
    }

    // MARK: - Bytes

    @inline(__always)
    static func isTokenByte(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x5F
    }

    @inline(__always)
    static func isTokenRun(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var i = from
        while i < to {
            if !isTokenByte(b[i]) { return false }
            i += 1
        }
        return true
    }

    static func isLetter(_ c: UInt8) -> Bool { (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) }

    /// RFC 3986 scheme characters: letters, digits, `+ - .`.
    static func isSchemeByte(_ c: UInt8) -> Bool {
        isLetter(c) || (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2D || c == 0x2E
    }

    static func fold(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c + 0x20 : c }

    /// White space, controls, non-ASCII and `" ' < > \`` end a link in pasted text.
    static func endsLink(_ c: UInt8) -> Bool {
        c <= 0x20 || c >= 0x7F || c == 0x22 || c == 0x27 || c == 0x3C || c == 0x3E || c == 0x60
    }

    static func linkEnd(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ hi: Int) -> Int {
        var i = from
        while i < hi && !endsLink(b[i]) { i += 1 }
        return i
    }

    /// Whether `b[from..<to]` has a maximal run of exactly 24 token characters.
    static func holdsTokenShape(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var run = 0
        for i in from..<to {
            if isTokenByte(b[i]) {
                run += 1
            } else {
                if run == ShareToken.length { return true }
                run = 0
            }
        }
        return run == ShareToken.length
    }

    /// 3 for `￥` (EF BF A5), 2 for `¥` (C2 A5), else 0.
    static func yenLength(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ hi: Int) -> Int {
        if i + 1 < hi && b[i] == 0xC2 && b[i + 1] == 0xA5 { return 2 }
        if i + 2 < hi && b[i] == 0xEF && b[i + 1] == 0xBF && b[i + 2] == 0xA5 { return 3 }
        return 0
    }

    static func equal(_ b: UnsafeBufferPointer<UInt8>, _ x: Int, _ y: Int, _ n: Int) -> Bool {
        for k in 0..<n where b[x + k] != b[y + k] { return false }
        return true
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }

    /// White space that may surround a pasted link: ASCII, U+00A0, U+2028, U+2029, U+200B,
    /// U+3000 and U+FEFF.
    static let spaces: [[UInt8]] = [
        [0xC2, 0xA0], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9], [0xE2, 0x80, 0x8B], [0xE3, 0x80, 0x80], [0xEF, 0xBB, 0xBF],
    ]

    static func trim(_ b: UnsafeBufferPointer<UInt8>, _ lo: inout Int, _ hi: inout Int) {
        func ascii(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
        outer: while lo < hi {
            if ascii(b[lo]) {
                lo += 1
                continue
            }
            for s in spaces where lo + s.count <= hi && equalBytes(b, lo, s) {
                lo += s.count
                continue outer
            }
            break
        }
        outer: while lo < hi {
            if ascii(b[hi - 1]) {
                hi -= 1
                continue
            }
            for s in spaces where hi - s.count >= lo && equalBytes(b, hi - s.count, s) {
                hi -= s.count
                continue outer
            }
            break
        }
    }

    static func equalBytes(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ s: [UInt8]) -> Bool {
        for k in s.indices where b[at + k] != s[k] { return false }
        return true
    }
}

extension ShareLinkParser {
    /// `invalid-token` for a value that holds no token in an accepted form.
    public static func notALink(_ rules: Rules) -> RowProblem {
        let link = ShareRules.urlPrefix(rules.shareBaseURL) + "…"
        return RowProblem(
            "invalid-token",
            en:
                "the share token is not a token, a link \(link), a ￥口令￥ or copy holding one of them (or it holds two, or a link of another site)",
            zh: "分享口令不是口令、链接 \(link)、￥口令￥ 或含其一的文案（或含两个不同口令、或含其他网站的链接）")
    }
}
