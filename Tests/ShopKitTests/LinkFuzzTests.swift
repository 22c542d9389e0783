import Foundation
import FuzzSupport
import XCTest

@testable import ShopKit

/// Seeded fuzzing of `ShareLinkParser` (docs/share-links.md) around real tokens: the real forms
/// (link, link + query, link + fragment, 口令 with `￥` and `¥`, pasted copy), links of other
/// origins (scheme, host, host suffix, user-info, port, trailing dot, case of the path), and
/// random mutations of both (characters inserted, deleted, replaced and duplicated from a pool of
/// URL syntax, yen signs, white space, CJK, emoji and tokens).
///
/// Properties:
/// - nothing traps;
/// - a result is always 24 token characters that occur in the input, in an accepted form (the
///   whole input trimmed, between yen signs, or after the link prefix);
/// - a link on another scheme, host or with a user-info never yields a token, alone or beside a
///   real 口令;
/// - the real forms, alone or inside pasted copy, always yield their token, and copy holding two
///   different tokens yields none.
///
/// Budget: 10 % of `SHOPCTL_FUZZ_SECONDS` per target (default 10 s, so 3 s for the three), at most
/// `SHOPCTL_FUZZ_ITERATIONS` inputs per target, at least 2,000. The seed is printed;
/// `SHOPCTL_FUZZ_SEED=N` replays a run (input `i` depends only on the seed, the target and `i`).
final class LinkFuzzTests: XCTestCase {
    static let secret = Array(repeating: UInt8(9), count: 32)
    static let fields = ShareFields(
        shopID: "S000001", productID: "P1", channel: "wechat-group", campaign: nil, createdAt: Instant(seconds: 1_795_224_600))
    static let base = "https://taoxiaopu.example"
    static let parser = ShareLinkParser(shareBaseURL: base)
    static let prefix = ShareRules.urlPrefix(base)

    static func token(_ rng: inout FuzzRandom) -> String {
        ShareToken.mint(shareID: Int64(rng.int(1...1_000_000_000)), fields: fields, secret: secret)
    }

    // MARK: - Pieces

    static let yens = ["￥", "¥"]
    /// Copy around a link: CJK, emoji (with joiners and variation selectors), full-width
    /// punctuation, prices, line ends.
    static let copy = [
        "【西湖龙井】", "¥129.50", "｜", "自家喝了三年", " 👉 ", "\n", "\r\n", "✨ ", "💰 到手价 ", "🛒 小美好物", "#好物分享 ", "👨‍👩‍👧", "❤️", "，", "。",
        "复制这条消息", "打开淘小铺", " ", "\u{3000}", "：", "（", "）", "「", "」", "看看", "店铺微博 https://weibo.com/u/1234567 ",
    ]
    /// What chat apps append after a link.
    static let queries = [
        "?from=singlemessage", "?from=groupmessage&isappinstalled=0", "?from=timeline", "#wechat_redirect", "?a=1#b", "?", "#",
        "?u=https%3A%2F%2Fevil.example%2Fs%2F", "?share_source=copy_web&vd_source=0",
    ]
    /// Origins that are not ours.
    static let foreignOrigins = [
        "https://evil.example", "http://taoxiaopu.example", "https://taoxiaopu.example@evil.example",
        "https://taoxiaopu.example:pw@evil.example", "https://taoxiaopu.example.evil.example", "https://taoxiaopu.example.",
        "https://taoxiaopu.example:443", "https://taoxiaopu.example:8080", "https://eviltaoxiaopu.example", "ftp://taoxiaopu.example",
        "xhttps://taoxiaopu.example", "https://taoxiaopu.exampIe", "https://taoxiaopu.examp1e", "https://taoxiaopu.example%2F",
        "https://evil.example/taoxiaopu.example", "https://evil.example?https://taoxiaopu.example", "https://user@taoxiaopu.example",
        "https://[::1]", "https://taoxiaopu.example\\@evil.example", "javascript://taoxiaopu.example",
    ]
    /// Syntax the mutations insert.
    static let fragments = [
        "://", "/", "/s/", "s", "S", "?", "#", "@", ":", ".", "%", "%41", "￥", "¥", "\u{FFE5}\u{FFE5}", " ", "\n", "\t", "\u{200B}",
        "\u{FEFF}", "\u{202E}", "\"", "'", "<", ">", "`", "-", "_", "A", "z", "0", "https", "http", "https://", "taoxiaopu.example",
        "evil.example", "中", "😀", "\u{0}", "\u{7F}", "\u{85}", "=", "&",
    ]

    /// The real forms of `t`, each alone.
    static func realForm(_ t: String, _ rng: inout FuzzRandom) -> String {
        let url = prefix + t
        switch rng.int(0...5) {
        case 0: return url
        case 1: return url + rng.pick(queries)
        case 2: return url + rng.pick(queries) + rng.pick(queries)
        case 3: return rng.pick(yens) + t + rng.pick(yens)
        case 4: return String(url.prefix(26)).uppercased() + url.dropFirst(26)  // scheme and host in capitals
        default: return t
        }
    }

    /// Pasted copy holding `t` once or more, in real forms, with copy around them.
    static func pasted(_ t: String, _ rng: inout FuzzRandom) -> String {
        var s = ""
        for _ in 0..<rng.int(0...4) { s += rng.pick(copy) }
        for _ in 0..<rng.int(1...3) {
            s += rng.pick([" ", "\n", "👉 ", "：", "【"])  // a link starts after a character that is not a scheme's
            var form = realForm(t, &rng)
            if form == t { form = rng.pick(yens) + t + rng.pick(yens) }  // a bare token inside copy is no form
            s += form
            s += rng.pick([" ", "\n", "，", "😀", "」", ""])
            for _ in 0..<rng.int(0...3) { s += rng.pick(copy) }
        }
        return s
    }

    static func foreign(_ t: String, _ rng: inout FuzzRandom) -> String {
        rng.pick(foreignOrigins) + rng.pick(["/s/", "/S/", "/x/s/", "/s/s/", "//s/"]) + t + (rng.chance(0.5) ? rng.pick(queries) : "")
    }

    static func mutate(_ s: String, _ rng: inout FuzzRandom, tokens: [String]) -> String {
        var c = Array(s.unicodeScalars)
        for _ in 0..<rng.int(1...6) {
            let at = rng.int(0...c.count)
            switch rng.int(0...5) {
            case 0 where at < c.count:
                c.remove(at: at)
            case 1:
                c.insert(contentsOf: rng.pick(fragments).unicodeScalars, at: at)
            case 2 where at < c.count:
                c[at] = rng.pick(Array("AZaz09-_/:?#@.%￥¥ \n中😀".unicodeScalars))
            case 3:
                c.insert(contentsOf: rng.pick(tokens).unicodeScalars, at: at)
            case 4 where !c.isEmpty:
                let from = rng.int(0...(c.count - 1))
                let to = min(c.count, from + rng.int(1...30))
                c.insert(contentsOf: Array(c[from..<to]), at: at)
            default:
                c.insert(contentsOf: rng.pick(copy).unicodeScalars, at: at)
            }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: c)
        return String(out)
    }

    // MARK: - Properties

    /// Whether `r` is 24 token characters found in `input` in one of the accepted forms.
    static func inAForm(_ r: String, _ input: String) -> Bool {
        guard r.utf8.count == 24, r.utf8.allSatisfy(ShareLinkParser.isTokenByte), input.contains(r) else { return false }
        if input.trimmingCharacters(in: .whitespacesAndNewlines.union(["\u{200B}", "\u{FEFF}"])) == r { return true }
        for a in yens { for b in yens where input.contains(a + r + b) { return true } }
        return input.lowercased().contains((prefix + r).lowercased())
    }

    func testRealFormsAlwaysYieldTheirToken() {
        loop("real") { rng, report in
            let t = Self.token(&rng)
            let input = rng.chance(0.4) ? Self.realForm(t, &rng) : Self.pasted(t, &rng)
            let r = Self.parser.token(in: input)
            if r != t { report("expected \(t), got \(r ?? "nil")", input) }
            // Copy holding two different tokens is ambiguous.
            let other = Self.token(&rng)
            // (A bare token is a form only as the whole input.)
            guard other != t, input != t, rng.chance(0.3) else { return }
            let two = rng.chance(0.5) ? input + "\n" + Self.pasted(other, &rng) : Self.pasted(other, &rng) + "\n" + input
            if let r = Self.parser.token(in: two) { report("two tokens yielded \(r)", two) }
        }
    }

    func testForeignLinksNeverYieldAToken() {
        loop("foreign") { rng, report in
            let t = Self.token(&rng)
            let evil = Self.foreign(t, &rng)
            let input: String
            switch rng.int(0...2) {
            case 0: input = evil
            case 1: input = Self.pasted(t, &rng) + rng.pick([" ", "\n", "👉 "]) + evil + rng.pick(["", " ", "\n", "😀"])
            default: input = rng.pick(["", "看看 ", "\n"]) + evil + " " + rng.pick(Self.yens) + t + rng.pick(Self.yens)
            }
            if let r = Self.parser.token(in: input) { report("a foreign link yielded \(r)", input) }
        }
    }

    func testMutationsNeverYieldWhatIsNotThere() {
        var yielded = 0
        var refused = 0
        loop("mutated") { rng, report in
            let t = Self.token(&rng)
            let other = Self.token(&rng)
            var input: String
            switch rng.int(0...3) {
            case 0: input = Self.realForm(t, &rng)
            case 1: input = Self.pasted(t, &rng)
            case 2: input = Self.foreign(t, &rng)
            default: input = Self.pasted(t, &rng) + Self.pasted(other, &rng)
            }
            for _ in 0..<rng.int(1...3) { input = Self.mutate(input, &rng, tokens: [t, other]) }
            if rng.chance(0.02) { input = String(repeating: input, count: rng.int(100...3000)) }
            let r = Self.parser.token(in: input)
            if let r {
                yielded += 1
                if !Self.inAForm(r, input) { report("\(r) is not in an accepted form of the input", input) }
                if input.utf8.count > ShareLinkParser.maxInputBytes { report("an input over the cap yielded \(r)", input) }
            } else {
                refused += 1
            }
        }
        XCTAssertGreaterThan(yielded, 0, "no mutated input yielded a token")
        XCTAssertGreaterThan(refused, 0, "every mutated input yielded a token")
    }

    // MARK: - The loop

    typealias Report = (_ problem: String, _ input: String) -> Void

    private func loop(
        _ target: String, file: StaticString = #filePath, line: UInt = #line, _ body: (_ rng: inout FuzzRandom, _ report: Report) -> Void
    ) {
        let config = FuzzConfig.current
        let seconds = config.seconds * 0.1
        let minimum = 2_000
        print(
            "LinkFuzzTests[\(target)]: seed \(config.seed), \(String(format: "%.1f", seconds)) s, at most \(config.iterations) inputs "
                + "(replay: SHOPCTL_FUZZ_SEED=\(config.seed))")
        let start = Date()
        let targetSeed = config.seed ^ FuzzRandom.hash("link-" + target)
        var failures = 0
        var count = 0
        while count < max(config.iterations, minimum), count < minimum || Date().timeIntervalSince(start) < seconds {
            var rng = FuzzRandom(seed: targetSeed &+ UInt64(count) &* 0xD1B5_4A32_D192_ED03)
            let index = count
            body(&rng) { problem, input in
                failures += 1
                guard failures <= 5 else { return }
                XCTFail(
                    "\(target) input #\(index) (SHOPCTL_FUZZ_SEED=\(config.seed)): \(problem)\n  input: \(FuzzRandom.show(Array(input.utf8)))",
                    file: file, line: line)
            }
            count += 1
            if failures > 5 { break }
        }
        print(
            "LinkFuzzTests[\(target)]: \(count) inputs in \(String(format: "%.2f", Date().timeIntervalSince(start))) s, \(failures) failure(s)"
        )
    }
}
