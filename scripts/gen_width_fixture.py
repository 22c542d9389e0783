#!/usr/bin/env python3
"""Write Tests/Fixtures/width/strings.tsv: test strings and their display width by Python's wcwidth.

    python3 scripts/gen_width_fixture.py       # needs `wcwidth` (pip/apt python3-wcwidth; 0.2.x or later)

Columns (tab-separated, one header line): label, code points (U+XXXX separated by spaces: the
string itself, so that no editor can change it), wcwidth (wcwidth.wcswidth of the string), text
(the string, for people; the test reads the code points). DisplayWidthTests compares
shopctl's displayWidth with the wcwidth column; where they differ on purpose the test says why.
"""
import os

import wcwidth

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "width", "strings.tsv")

STRINGS = [
    ("ascii", "Hello, shop 123"),
    ("ascii-punctuation", "~!@#$%^&*()_+{}|:<>?"),
    ("cjk", "小美好物淘小铺"),
    ("cjk-mixed", "龙井 Longjing 250g"),
    ("cjk-ext-b", "\U00020000\U0002A6DF"),
    ("ideographic-space", "好\u3000物"),
    ("full-width-letters", "ＡＢＣ１２３"),
    ("full-width-punctuation", "（）！？，"),
    ("sparkles", "✨"),
    ("cart", "🛒"),
    ("check-mark", "✅"),
    ("star", "⭐"),
    ("hot-beverage", "☕"),
    ("rocket", "🚀"),
    ("share-copy", "✨好物推荐🛒"),
    ("emoji-row", "✨🛒✅⭐☕🚀"),
    ("thumbs-up-skin-tone", "👍🏽"),
    ("victory-hand-skin-tone", "\u270c\U0001F3FD"),
    ("letter-skin-tone", "a\U0001F3FD"),
    ("lone-skin-tone", "\U0001F3FD"),
    ("zwj-family", "👨\u200d👩\u200d👧\u200d👦"),
    ("zwj-rainbow-flag", "🏳\ufe0f\u200d🌈"),
    ("flag-cn", "🇨🇳"),
    ("flags-two", "🇨🇳🇯🇵"),
    ("flag-tag-scotland", "🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F"),
    ("keycap-one", "1\ufe0f\u20e3"),
    ("keycap-hash", "#\ufe0f\u20e3"),
    ("text-heart-vs16", "\u2764\ufe0f"),
    ("text-smiley", "\u263a"),
    ("text-smiley-vs16", "\u263a\ufe0f"),
    ("copyright", "\u00a9"),
    ("coffee-vs15", "\u2615\ufe0e"),
    ("combining-acute", "e\u0301"),
    ("combining-two", "a\u0301\u0323"),
    ("precomposed-acute", "\u00e9"),
    ("cafe", "cafe\u0301"),
    ("half-width-katakana", "ｱｲｳｴｵ"),
    ("half-width-katakana-voiced", "ｶﾞ"),
    ("katakana", "アイウ"),
    ("small-form-variants", "".join(chr(c) for c in range(0xFE50, 0xFE6C) if c not in (0xFE53, 0xFE67))),
    ("hangul-syllables", "한국어"),
    ("hangul-jamo", "\u1100\u1161\u11a8"),
    ("greek-ambiguous", "αβγ"),
    ("box-drawing-ambiguous", "─│"),
    ("yen-sign", "¥269.00"),
    ("euro", "€5"),
    ("zero-width-space-inside", "a\u200bb"),
    ("title-with-emoji", "西湖龙井 ✨ 明前特级 🛒"),
]


def main():
    rows = ["label\tcode_points\twcwidth\ttext"]
    for label, s in STRINGS:
        w = wcwidth.wcswidth(s)
        assert w >= 0, label
        cps = " ".join(f"U+{ord(c):04X}" for c in s)
        shown = s.replace("\t", " ")
        rows.append(f"{label}\t{cps}\t{w}\t{shown}")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    print(f"wrote {OUT}: {len(STRINGS)} strings (wcwidth {wcwidth.__version__})")


if __name__ == "__main__":
    main()
