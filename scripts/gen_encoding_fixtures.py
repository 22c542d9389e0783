#!/usr/bin/env python3
"""Writes the encoding fixtures TranscoderTests compares shopctl's decoders against.

    python3 scripts/gen_encoding_fixtures.py DIR

DIR/all.utf8         every code point U+0000…U+10FFFF but the surrogates, in order, as UTF-8
DIR/all.gb18030      the same text encoded by Python's gb18030 codec
DIR/all.utf16le      … by Python's utf-16-le codec
DIR/all.utf16be      … by Python's utf-16-be codec
DIR/gb18030-pairs.txt  every two-byte sequence 81–FE 00–FF: "XXYY" then the code point Python's
                       gb18030 codec decodes it to ("-" when it refuses it), one a line
"""
import os
import sys


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    text = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for name, codec in [("utf8", "utf-8"), ("gb18030", "gb18030"), ("utf16le", "utf-16-le"), ("utf16be", "utf-16-be")]:
        with open(os.path.join(out, "all." + name), "wb") as f:
            f.write(text.encode(codec))
    lines = []
    for lead in range(0x81, 0xFF):
        for trail in range(0x100):
            try:
                decoded = bytes([lead, trail]).decode("gb18030")
                value = "%04X" % ord(decoded) if len(decoded) == 1 else "-"
            except UnicodeDecodeError:
                value = "-"
            lines.append("%02X%02X %s" % (lead, trail, value))
    with open(os.path.join(out, "gb18030-pairs.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
