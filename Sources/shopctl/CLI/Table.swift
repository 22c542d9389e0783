import ShopKit

/// `s` with every control character (C0, DEL, C1) written out as `<U+001B>`: text that comes
/// from an input file or the store must never move the cursor, ring the bell, recolour or retitle
/// the terminal it is shown on. Table cells and error messages for people go through it (cells
/// never carry styling: `Style` wraps whole lines); JSON output escapes such characters itself.
/// Invisible and format characters are written out the same way (`visibleInvisibles`).
func visibleControls(_ s: String) -> String { escaped(s, controls: true) }

/// `s` with the characters that hide or reorder text written out as `<U+202E>`: bidirectional
/// controls, zero-width spaces and joiners, BOMs, soft hyphens, line and paragraph separators —
/// every format character (Unicode Cf) and U+2028/U+2029 — so that a title cannot look like
/// another or reverse the line it is shown on. A zero-width joiner between two emoji (👨‍👩‍👧)
/// and the tag characters of an emoji flag are kept; variation selectors are not format
/// characters and are kept. The whole human output goes through it (its line ends and styling
/// are controls, kept); JSON output stays exact.
func visibleInvisibles(_ s: String) -> String { escaped(s, controls: false) }

private func isControl(_ u: Unicode.Scalar) -> Bool { u.value < 0x20 || (0x7F...0x9F).contains(u.value) }

/// Whether a scalar hides or reorders text (format characters and the Unicode line separators).
func isInvisible(_ u: Unicode.Scalar) -> Bool {
    let v = u.value
    if v < 0xAD { return false }
    if v == 0xAD || v == 0x2028 || v == 0x2029 { return true }
    if v < 0x600 { return false }
    return u.properties.generalCategory == .format
}

private func isEmojiBase(_ u: Unicode.Scalar) -> Bool { u.value >= 0xA9 && u.properties.isEmoji }

/// Walks the scalars once, with one scalar of lookahead and no copy of the text, calling `emit`
/// with each scalar and whether it is to be written out; stops early when `emit` says so.
private func walk(_ s: String, controls: Bool, _ emit: (Unicode.Scalar, Bool) -> Bool) {
    var it = s.unicodeScalars.makeIterator()
    var next = it.next()
    var afterEmoji = false  // the last scalar other than a variation selector or modifier was an emoji
    var afterFlag = false  // inside the tag sequence of a black flag 🏴
    while let u = next {
        next = it.next()
        var escape = controls && isControl(u)
        if !escape && isInvisible(u) {
            if u.value == 0x200D {
                escape = !(afterEmoji && next.map(isEmojiBase) == true)
            } else if (0xE0020...0xE007F).contains(u.value) {
                escape = !afterFlag
            } else {
                escape = true
            }
        }
        if !emit(u, escape) { return }
        if (0xE0020...0xE007F).contains(u.value) {
            // stays in (or out of) a flag's tags
        } else {
            afterFlag = u.value == 0x1F3F4
        }
        if !((0xFE00...0xFE0F).contains(u.value) || u.properties.isEmojiModifier) { afterEmoji = isEmojiBase(u) }
    }
}

private func escaped(_ s: String, controls: Bool) -> String {
    let needs = s.utf8.contains { b in b >= 0x80 || (controls && (b < 0x20 || b == 0x7F)) }
    guard needs else { return s }
    var any = false
    walk(s, controls: controls) { _, escape in
        any = escape
        return !escape
    }
    guard any else { return s }
    var out = String.UnicodeScalarView()
    walk(s, controls: controls) { u, escape in
        if escape {
            let hex = String(u.value, radix: 16, uppercase: true)
            out.append(contentsOf: "<U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex)>".unicodeScalars)
        } else {
            out.append(u)
        }
        return true
    }
    return String(out)
}

/// Cuts a string to at most `width` columns, ending in `…` when cut.
func truncate(_ s: String, toWidth width: Int) -> String {
    if displayWidth(s) <= width { return s }
    var out = ""
    var w = 0
    for ch in s {
        let cw = displayWidth(ch)
        if w + cw > width - 1 { break }
        out.append(ch)
        w += cw
    }
    return out + "…"
}

/// A table for people, aligned by display width.
///
///     var t = Table(["ID", "名称"], align: [.left, .left])
///     t.add(["S000001", "小美好物淘小铺"])
///     print(t.render())
struct Table {
    enum Align { case left, right }
    var headers: [String]
    var align: [Align]
    var rows: [[String]] = []
    var maxWidth: [Int?]

    init(_ headers: [String], align: [Align]? = nil, maxWidth: [Int?]? = nil) {
        self.headers = headers
        self.align = align ?? Array(repeating: .left, count: headers.count)
        self.maxWidth = maxWidth ?? Array(repeating: nil, count: headers.count)
    }

    mutating func add(_ row: [String]) {
        precondition(row.count == headers.count, "row width must match the headers")
        rows.append(
            row.enumerated().map { i, text in
                let cell = visibleControls(text)
                return maxWidth[i].map { truncate(cell, toWidth: $0) } ?? cell
            })
    }

    func render(style: Style = Style(enabled: false)) -> String {
        var widths = headers.map(displayWidth)
        for r in rows {
            for (i, c) in r.enumerated() { widths[i] = max(widths[i], displayWidth(c)) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, c) in cells.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - displayWidth(c))
                let last = i == cells.count - 1
                parts.append(align[i] == .right ? pad + c : (last ? c : c + pad))
            }
            return parts.joined(separator: "  ")
        }
        var out = [style.bold(line(headers))]
        out.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        out += rows.map(line)
        return out.joined(separator: "\n")
    }
}

/// `key: value` lines with the keys aligned by display width.
func keyValues(_ pairs: [(String, String)]) -> String {
    let w = pairs.map { displayWidth($0.0) }.max() ?? 0
    return pairs.map { k, v in k + String(repeating: " ", count: w - displayWidth(k)) + "  " + v }
        .joined(separator: "\n")
}
