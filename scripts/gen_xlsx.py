#!/usr/bin/env python3
"""Write .xlsx workbooks the way Excel does (Python's zipfile only, no third-party modules).

    python3 scripts/gen_xlsx.py from-csv IN.csv OUT.xlsx [--dates COL,COL] [--text COL,COL] [--sheet NAME]
    python3 scripts/gen_xlsx.py sheets OUT.xlsx NAME=IN.csv [NAME=IN.csv …]   # one sheet per CSV
    python3 scripts/gen_xlsx.py example             # examples/exports/taobao-lianmeng-orders.xlsx
    python3 scripts/gen_xlsx.py fixtures DIR        # the workbooks XLSXReaderTests reads
    python3 scripts/gen_xlsx.py hostile DIR         # the hostile workbooks (also written by gen_hostile_corpus.py)

A workbook has [Content_Types].xml, _rels/.rels, xl/workbook.xml (+ rels), xl/styles.xml (style 1:
the custom date format yyyy-mm-dd hh:mm:ss, id 164; style 2: the built-in date format 14),
xl/sharedStrings.xml, and one worksheet per sheet. Cells are given as Python values: str → a
shared string, Inline(str) → an inline string, int/float → a number, datetime → a date serial
(1900 system) under style 1, Date14(datetime) → under style 2, bool → a boolean, Raw(xml) → the
cell's XML as is, None → no cell. Output is deterministic (fixed zip timestamps).
"""
import csv
import datetime
import io
import os
import random
import struct
import sys
import zipfile

STAMP = (2026, 11, 24, 21, 0, 0)
EPOCH = datetime.datetime(1899, 12, 30)


class Inline(str):
    pass


class Raw(str):
    pass


class Date14:
    def __init__(self, value):
        self.value = value


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def column_name(n):
    s = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def serial(dt):
    return (dt - EPOCH).total_seconds() / 86400


def number(x):
    if isinstance(x, float):
        r = repr(x)
        return r[:-2] if r.endswith(".0") else r
    return str(x)


class Strings:
    def __init__(self):
        self.index = {}
        self.items = []

    def add(self, s):
        if s not in self.index:
            self.index[s] = len(self.items)
            self.items.append(s)
        return self.index[s]

    def xml(self):
        out = io.StringIO()
        out.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
        out.write('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
                  % (len(self.items), len(self.items)))
        for s in self.items:
            space = ' xml:space="preserve"' if s != s.strip() else ""
            out.write("<si><t%s>%s</t></si>" % (space, esc(s)))
        out.write("</sst>")
        return out.getvalue()


def cell(ref, value, strings):
    if value is None:
        return ""
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, Inline):
        return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, esc(str(value)))
    if isinstance(value, bool):
        return '<c r="%s" t="b"><v>%d</v></c>' % (ref, 1 if value else 0)
    if isinstance(value, str):
        return '<c r="%s" t="s"><v>%d</v></c>' % (ref, strings.add(value))
    if isinstance(value, Date14):
        return '<c r="%s" s="2"><v>%s</v></c>' % (ref, number(serial(value.value)))
    if isinstance(value, datetime.datetime):
        return '<c r="%s" s="1"><v>%s</v></c>' % (ref, number(serial(value)))
    return '<c r="%s"><v>%s</v></c>' % (ref, number(value))


def row_xml(number_, values, strings):
    cells = "".join(cell(column_name(i + 1) + str(number_), v, strings) for i, v in enumerate(values))
    return '<row r="%d">%s</row>' % (number_, cells)


SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>')
SHEET_TAIL = "</sheetData></worksheet>"

STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/>'
          '<numFmt numFmtId="165" formatCode="&quot;¥&quot;#,##0.00"/></numFmts>'
          '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
          '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '</styleSheet>')


def info(name):
    i = zipfile.ZipInfo(name, STAMP)
    i.compress_type = zipfile.ZIP_DEFLATED
    return i


def write_workbook(path_or_file, sheets, date1904=False, strings=None, extra_parts=None, shared=True):
    """sheets: [(name, rows)] where rows is a list (or iterator) of lists of cell values."""
    strings = strings or Strings()
    z = zipfile.ZipFile(path_or_file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    n = len(sheets)
    z.writestr(info("[Content_Types].xml"),
               '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
               '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
               '<Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/xl/workbook.xml" '
               'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
               + "".join('<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' % (i + 1) for i in range(n))
               + "</Types>")
    z.writestr(info("_rels/.rels"),
               '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
               'officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr(info("xl/workbook.xml"),
               '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
               'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
               + ('<workbookPr date1904="1"/>' if date1904 else '<workbookPr defaultThemeVersion="166925"/>')
               + "<sheets>"
               + "".join('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (esc(name), i + 1, i + 1)
                         for i, (name, _) in enumerate(sheets))
               + "</sheets></workbook>")
    rels = "".join('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/worksheet" Target="worksheets/sheet%d.xml"/>' % (i + 1, i + 1) for i in range(n))
    rels += ('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             'styles" Target="styles.xml"/>' % (n + 1))
    if shared:
        rels += ('<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/sharedStrings" Target="sharedStrings.xml"/>' % (n + 2))
    z.writestr(info("xl/_rels/workbook.xml.rels"),
               '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
               + rels + "</Relationships>")
    z.writestr(info("xl/styles.xml"), STYLES)
    for i, (name, rows) in enumerate(sheets):
        with z.open(info("xl/worksheets/sheet%d.xml" % (i + 1)), "w", force_zip64=True) as f:
            f.write(SHEET_HEAD.encode())
            buf = []
            for r, values in enumerate(rows):
                if isinstance(values, Raw):
                    buf.append(str(values))
                elif values is not None:
                    buf.append(row_xml(r + 1, values, strings))
                if len(buf) >= 1000:
                    f.write("".join(buf).encode())
                    buf = []
            f.write(("".join(buf) + SHEET_TAIL).encode())
    if shared:
        z.writestr(info("xl/sharedStrings.xml"), strings.xml())
    for name, data in (extra_parts or {}).items():
        z.writestr(info(name), data)
    z.close()


# ---------------------------------------------------------------- CSV → workbook

def parse_time(text):
    """A time as Excel holds it: its wall-clock time (an RFC 3339 offset is dropped, as Excel shows it)."""
    for fmt in ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            return datetime.datetime.strptime(text, fmt).replace(tzinfo=None)
        except ValueError:
            pass
    return None


def typed(text, is_date, is_text):
    if text == "":
        return None
    if is_text:
        return text.lstrip("\t'")
    if is_date:
        t = parse_time(text)
        if t is not None:
            return t
    try:
        if text.strip() == text and not text.startswith("+") and "e" not in text.lower() and "_" not in text:
            return int(text) if text.lstrip("-").isdigit() and len(text.lstrip("-")) <= 15 else float(text)
    except ValueError:
        pass
    return text


def csv_rows(path, dates, texts):
    """The rows of a CSV file as cell values, read as they are written (a million rows fit)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        head = []
        for r in csv.reader(f):
            head.append(r)
            if len([x for x in r if x]) > 1 or len(head) > 1000:
                break
    header = head[-1] if head else []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for i, r in enumerate(csv.reader(f)):
            if i < len(head):
                yield [x if x else None for x in r]
                continue
            yield [typed(x, header[j] in dates if j < len(header) else False,
                         header[j] in texts if j < len(header) else False) for j, x in enumerate(r)]


def from_csv(src, dst, dates=(), texts=(), sheet="Sheet1"):
    write_workbook(dst, [(sheet, csv_rows(src, set(dates), set(texts)))])


# ---------------------------------------------------------------- test workbooks

def fixtures(out):
    os.makedirs(out, exist_ok=True)
    t = datetime.datetime
    # Several sheets; shared and inline strings, numbers, dates, booleans, errors, gaps.
    write_workbook(os.path.join(out, "kinds.xlsx"), [
        ("订单", [
            ["order_id", "qty", "price", "paid_at", "flag", "note", "day"],
            ["A1", 2, 129.49999999999997, t(2026, 11, 4, 12, 0, 0), True, Inline("内联 <文本> & 更多"), Date14(t(2026, 11, 5))],
            ["A2", 1, 278394123456789012, t(2026, 11, 4, 23, 59, 59), False, None, None],
            None,
            [None, None, None, None, None, None, None],
            ["A3", None, 0.1, None, None, Raw('<c r="F6" t="e"><v>#N/A</v></c>'), None],
            ["A4", -3, 1e-12, Raw('<c r="D7" s="1"><v>60</v></c>'), None, Raw('<c r="F7" t="str"><f>A1&amp;"x"</f><v>A1x</v></c>'), None],
            ["A5", 123456789012345, 12.5, None, None, None, None, None, None, None],
        ]),
        ("商品", [["product_id", "title"], ["P1", "茶"], ["P2", "  spaced  "]]),
        ("Empty", []),
    ])
    write_workbook(os.path.join(out, "date1904.xlsx"), [("S", [
        ["when"], Raw('<row r="2"><c r="A2" s="1"><v>0</v></c></row>'),
        Raw('<row r="3"><c r="A3" s="1"><v>45964.5</v></c></row>')])], date1904=True)
    # Cells without r references, rows without r, rich text runs with a phonetic run, entities,
    # numeric character references, CDATA, a namespace prefix.
    sheet = ('<?xml version="1.0" encoding="UTF-8"?>\n<x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><x:sheetData>'
             '<x:row><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c></x:row>'
             '<x:row><x:c t="inlineStr"><x:is><x:t>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#20013;&#x6587;</x:t>'
             '</x:is></x:c><x:c t="inlineStr"><x:is><x:t><![CDATA[<raw & text>]]></x:t></x:is></x:c></x:row>'
             '</x:sheetData></x:worksheet>')
    strings = ('<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main"><si><r><t>富</t></r><r><rPr><b/></rPr><t xml:space="preserve">文本 </t></r>'
               '<rPh sb="0" eb="1"><t>フ</t></rPh></si><si><t>second</t></si></sst>')
    raw_workbook(os.path.join(out, "xml-forms.xlsx"), sheet, strings)


def raw_workbook(path, sheet_xml, strings_xml=None, styles_xml=STYLES, workbook_xml=None, sheet_name="Sheet1"):
    """A one-sheet workbook whose sheet (and shared strings) XML are given as is."""
    z = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED)
    z.writestr(info("[Content_Types].xml"), '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
               'package/2006/content-types"/>')
    z.writestr(info("_rels/.rels"),
               '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
               'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr(info("xl/workbook.xml"), workbook_xml or (
        '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>' % esc(sheet_name)))
    z.writestr(info("xl/_rels/workbook.xml.rels"),
               '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
               'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
               'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
               '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
               'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    z.writestr(info("xl/styles.xml"), styles_xml)
    z.writestr(info("xl/worksheets/sheet1.xml"), sheet_xml)
    if strings_xml is not None:
        z.writestr(info("xl/sharedStrings.xml"), strings_xml)
    z.close()


# ---------------------------------------------------------------- hostile workbooks

def patch_entry(data, name, crc=None, size=None):
    """Changes an entry's CRC-32 or uncompressed size in the central directory and local header."""
    data = bytearray(data)
    key = name.encode()
    for sig, crc_at, size_at in ((b"PK\x01\x02", 16, 24), (b"PK\x03\x04", 14, 22)):
        i = data.find(sig)
        while i >= 0:
            name_at = i + (46 if sig == b"PK\x01\x02" else 30)
            n = struct.unpack("<H", data[i + 28:i + 30])[0]
            if data[name_at:name_at + n] == key:
                if crc is not None:
                    data[i + crc_at:i + crc_at + 4] = struct.pack("<L", crc(struct.unpack("<L", data[i + crc_at:i + crc_at + 4])[0]))
                if size is not None:
                    data[i + size_at:i + size_at + 4] = struct.pack("<L", size)
            i = data.find(sig, i + 4)
    return bytes(data)


ORDER_HEADER = ["order_id", "product_id", "quantity", "unit_price", "paid_at", "status", "share_token"]


def hostile_cases():
    """name → bytes: the hostile workbooks of the corpus (orders feed, placeholders as in the CSVs)."""
    cases = {}

    def book(rows_or_xml, strings=None):
        b = io.BytesIO()
        if isinstance(rows_or_xml, str):
            raw_workbook(b, rows_or_xml, strings)
        else:
            write_workbook(b, [("订单", rows_or_xml)])
        return b.getvalue()

    good = [ORDER_HEADER, ["XL1", "P00001", 1, 11.5, "2026-09-10T20:00:00+08:00", "paid", "{{P1}}"]]
    # 13 MB of XML that declares 2,000 bytes.
    bomb_rows = good + [Raw("<row>" + "<c/>" * 10 + "</row>")] * 300000
    cases["orders-zip-bomb.xlsx"] = patch_entry(book(bomb_rows), "xl/worksheets/sheet1.xml", size=2000)
    plain = book(good)
    e = plain.rfind(b"PK\x05\x06")
    c = plain.find(b"PK\x01\x02")
    cases["orders-truncated-directory.xlsx"] = plain[:c + (e - c) // 2] + plain[e:]
    cases["orders-bad-crc.xlsx"] = patch_entry(plain, "xl/worksheets/sheet1.xml", crc=lambda v: v ^ 0x5a5a5a5a)
    head = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    header = '<row r="1">' + "".join('<c t="inlineStr"><is><t>%s</t></is></c>' % h for h in ORDER_HEADER) + "</row>"
    strings = '<sst><si><t>P00001</t></si><si><t>paid</t></si></sst>'
    cases["orders-missing-shared-string.xlsx"] = book(
        head + header + '<row r="2"><c r="A2" t="inlineStr"><is><t>XL1</t></is></c><c r="B2" t="s"><v>0</v></c>'
        '<c r="C2" t="s"><v>7</v></c></row></sheetData></worksheet>', strings)
    cases["orders-too-many-cells.xlsx"] = book(
        head + header + '<row r="2">' + "<c><v>1</v></c>" * 16385 + "</row></sheetData></worksheet>", strings)
    cases["orders-overlong-cell.xlsx"] = book(
        head + header + '<row r="2"><c r="A2" t="inlineStr"><is><t>' + "长" * 50000 + "</t></is></c></row>"
        "</sheetData></worksheet>", strings)
    # 200 cells that each show the same 100,000-byte shared string: 20 MB of text in one row.
    cases["orders-huge-row.xlsx"] = book(
        head + header + '<row r="2">' + '<c t="s"><v>0</v></c>' * 200 + "</row></sheetData></worksheet>",
        "<sst><si><t>" + "x" * 100000 + "</t></si></sst>")
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
              '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><sst><si><t>&lol3;</t></si></sst>')
    cases["orders-doctype-entities.xlsx"] = book(
        head + header + '<row r="2"><c r="A2" t="s"><v>0</v></c></row></sheetData></worksheet>', laughs)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    cases["orders-legacy.xls"] = ole
    cases["orders-ole-named-xlsx.xlsx"] = ole
    return cases


def hostile(out):
    os.makedirs(out, exist_ok=True)
    for name, data in hostile_cases().items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    cmd = argv[0]
    if cmd == "from-csv":
        opts = {"--dates": "", "--text": "", "--sheet": "Sheet1"}
        rest = argv[1:]
        files = []
        while rest:
            a = rest.pop(0)
            if a in opts:
                opts[a] = rest.pop(0)
            else:
                files.append(a)
        from_csv(files[0], files[1], [x for x in opts["--dates"].split(",") if x],
                 [x for x in opts["--text"].split(",") if x], opts["--sheet"])
    elif cmd == "sheets":
        sheets = []
        for spec in argv[2:]:
            name, path = spec.split("=", 1)
            sheets.append((name, csv_rows(path, set(), set())))
        write_workbook(argv[1], sheets)
    elif cmd == "example":
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "exports")
        from_csv(os.path.join(root, "taobao-lianmeng-orders.csv"), os.path.join(root, "taobao-lianmeng-orders.xlsx"),
                 ["创建时间", "点击时间", "结算时间"], ["订单编号", "商品ID", "广告位名称"], "订单明细")
    elif cmd == "fixtures":
        fixtures(argv[1])
    elif cmd == "hostile":
        hostile(argv[1])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
