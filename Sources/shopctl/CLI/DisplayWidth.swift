/// Terminal display width of text, from the Unicode data (general-purpose: no shop in it).
///
/// The per-code-point classes are the generated tables of `DisplayWidthTable.swift`
/// (`scripts/gen_display_width.py`); this file adds the grapheme-cluster rule. A Swift
/// `Character` is one extended grapheme cluster, and a terminal draws one cluster in one cell
/// of one or two columns:
///
/// - 2 when the cluster is an emoji presentation sequence: an emoji followed by VS16 (U+FE0F,
///   which covers the keycaps 1️⃣ #️⃣), a ZWJ sequence (👨‍👩‍👧‍👦), an emoji with a skin-tone modifier
///   (👍🏽) or a pair of regional indicators (a flag 🇨🇳);
/// - otherwise the width of its first code point (the marks after it add nothing, but for the
///   half-width sound marks ﾞ ﾟ, one column each, and a skin tone after a letter, drawn apart
///   as a swatch of two): 2 for East
///   Asian wide or full-width and default-emoji characters (✨ 🛒 ✅ ⭐ ☕ 🚀 汉 Ａ ﹐ 한),
///   0 for a cluster that starts with a mark or format character, else 1 (ambiguous-width
///   characters included).
///
///     displayWidth("好物✨")      // 6
///     displayWidth("👨‍👩‍👧‍👦")       // 2
func displayWidth(_ s: String) -> Int {
    var ascii = true
    var n = 0
    for b in s.utf8 {
        if b >= 0x80 {
            ascii = false
            break
        }
        if b >= 0x20 && b != 0x7F { n += 1 }
    }
    if ascii { return n }
    var w = 0
    for c in s { w += displayWidth(c) }
    return w
}

/// The columns one grapheme cluster takes (see `displayWidth(_:)` for a string).
func displayWidth(_ c: Character) -> Int {
    let scalars = c.unicodeScalars
    guard let first = scalars.first else { return 0 }
    if scalars.count == 1 { return codePointWidth(first.value) }
    var previous = first.value
    var regional = isRegionalIndicator(first.value) ? 1 : 0
    var extra = 0
    for u in scalars.dropFirst() {
        let v = u.value
        // The half-width (semi-)voiced sound marks ﾞ ﾟ extend the cluster (ｶﾞ) but are not
        // combining marks: a terminal draws them in a column of their own, as wcwidth counts.
        if v == 0xFF9E || v == 0xFF9F { extra += 1 }
        if v == 0xFE0F && inTable(emojiCodePoints, previous) { return 2 }
        if v == 0x200D && inTable(pictographicCodePoints, previous) { return 2 }
        if inTable(emojiModifierCodePoints, v) {
            if inTable(emojiCodePoints, previous) { return 2 }
            // After a letter a skin tone joins its cluster but is drawn apart, as a swatch.
            extra += 2
        }
        if isRegionalIndicator(v) {
            regional += 1
            if regional == 2 { return 2 }
        }
        previous = v
    }
    return codePointWidth(first.value) + extra
}

/// The width class of one code point: 0, 1 or 2 columns (the generated tables).
func codePointWidth(_ v: UInt32) -> Int {
    if v < 0x7F { return v >= 0x20 ? 1 : 0 }
    if v < 0xA0 { return 0 }
    if v < 0x300 { return 1 }  // the tables hold nothing else below U+0300 (U+00AD shows: one column)
    if inTable(zeroWidthCodePoints, v) { return 0 }
    if v >= 0x1100 && inTable(wideCodePoints, v) { return 2 }
    return 1
}

private func isRegionalIndicator(_ v: UInt32) -> Bool { v >= 0x1F1E6 && inTable(regionalIndicatorCodePoints, v) }

/// Whether `v` lies in one of the ranges of `table` (sorted pairs: first, last).
func inTable(_ table: [UInt32], _ v: UInt32) -> Bool {
    var lo = 0
    var hi = table.count / 2
    while lo < hi {
        let mid = (lo + hi) / 2
        if v < table[2 * mid] {
            hi = mid
        } else if v > table[2 * mid + 1] {
            lo = mid + 1
        } else {
            return true
        }
    }
    return false
}
