/// Suggestions for a mistyped command or option (SPEC §9), as git gives them.
///
/// The distance is Damerau–Levenshtein in its optimal-string-alignment form (insertions,
/// deletions, substitutions, and a swap of two neighbours each cost 1), over Unicode scalars.
/// A candidate is near when its distance is at most a third of the typed word's length
/// (at least 1); when none is, candidates that the typed word begins (3 characters or more)
/// are offered instead. Options are compared without their leading dashes.
enum DidYouMean {
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }

    /// The largest distance still taken for a typo of `word`.
    static func threshold(_ word: String) -> Int { max(1, word.unicodeScalars.count / 3) }

    /// The nearest of `candidates` to `word` (ties in the candidates' order, at most 3);
    /// empty when none is near. A candidate equal to `word` is never suggested.
    static func nearest(_ word: String, among candidates: [String]) -> [String] {
        // Very long words are not typos of a command: skip the quadratic work.
        guard !word.isEmpty, word.unicodeScalars.count <= 64 else { return [] }
        var seen = Set<String>()
        let unique = candidates.filter { $0 != word && seen.insert($0).inserted }
        let limit = threshold(word)
        let scored = unique.map { ($0, distance(word, $0)) }.filter { $0.1 <= limit }
        if let best = scored.map(\.1).min() {
            return Array(scored.filter { $0.1 == best }.map(\.0).prefix(3))
        }
        if word.unicodeScalars.count >= 3 {
            return Array(unique.filter { $0.hasPrefix(word) }.prefix(3))
        }
        return []
    }

    /// Options near `name` among a command's options and the global ones.
    static func options(_ name: String, among specs: [OptionSpec]) -> [String] {
        let all = (specs + GlobalOptions.specs).map(\.name)
        let bare = String(name.drop { $0 == "-" })
        let near = nearest(bare, among: all.map { String($0.dropFirst(2)) })
        return near.map { "--" + $0 }
    }

    /// Commands near `words`: the first word among the first words, else (the first word
    /// naming a group) the second among its subcommands. Returns whole command names.
    static func commands(_ words: [String]) -> [String] {
        guard let first = words.first else { return [] }
        let firsts = Registry.commands.map { $0.path[0] }
        if firsts.contains(first) {
            guard words.count > 1 else { return [] }
            let subs = Registry.group(first).map { $0.path[1] }
            return nearest(words[1], among: subs).map { first + " " + $0 }
        }
        if first.hasPrefix("-") {
            return nearest(String(first.drop { $0 == "-" }), among: GlobalOptions.specs.map { String($0.name.dropFirst(2)) })
                .map { "--" + $0 }
        }
        return nearest(first, among: firsts)
    }

    /// ` — did you mean 'a' or 'b'?` for the end of a message; empty without suggestions.
    static func hint(_ near: [String], chinese: Bool) -> String {
        guard !near.isEmpty else { return "" }
        if chinese { return "；你是不是想用 " + near.map { "'\($0)'" }.joined(separator: " 或 ") + "？" }
        return "; did you mean " + near.map { "'\($0)'" }.joined(separator: " or ") + "?"
    }
}
