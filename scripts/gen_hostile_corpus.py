#!/usr/bin/env python3
"""Write the hostile-input corpus: Tests/Fixtures/hostile/*.

    python3 scripts/gen_hostile_corpus.py            # rewrites every fixture (deterministic)

Each file is built here byte by byte, because many of them cannot be typed in an editor (GBK,
UTF-16, NUL bytes, lone CR line ends, cut UTF-8 characters). The expected outcome of every file
is the table in Tests/shopctlTests/HostileInputTests.swift; Tests/Fixtures/hostile/README.md
describes each case. Orders files hold placeholders the test replaces with tokens of its store:
{{P1}} (the link of product P00001), {{STOREFRONT}}, {{FORGED_TAG}} ({{P1}} with its last
character changed), {{FORGED_ID}} (the storefront's share id with the tag of {{P1}}) and
{{OTHER_STORE}} (a link of another store, same share id).
"""
import os
import random

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "hostile")

SUPPLIER_HEADER = "supplier_id,name,registered_capital,general_taxpayer,deposit,auth_chain_levels"
PRODUCT_HEADER = "product_id,supplier_id,title,brand,category,price,commission_rate,stock,status"
PRODUCT_HEADER_FULL = PRODUCT_HEADER + ",market_commission_rate,other_platform_price,tags,sale_start,sale_end,description"
ORDER_HEADER = "order_id,product_id,quantity,unit_price,paid_at,status,share_token,status_at,refunded,self_purchase"
PAID = "2026-09-10T20:00:00+08:00"

BOM = b"\xef\xbb\xbf"


def supplier(sid, name="杭州西湖茶业有限公司", capital="5000000", taxpayer="true", deposit="20000", chain="1"):
    return ",".join([sid, name, capital, taxpayer, deposit, chain])


def product(pid, title="测试商品", brand="品牌", category="食品保健", price="19.90", rate="10", stock="5", status="on",
            supplier_id="SP1"):
    return ",".join([pid, supplier_id, title, brand, category, price, rate, stock, status])


def product_full(pid, sale_start="", sale_end="", description="", title="测试商品", price="19.90"):
    return product(pid, title=title, price=price) + ",,,," + ",".join([sale_start, sale_end, description])


def order(oid, pid="P00001", quantity="1", price="11.50", paid=PAID, status="paid", token="{{P1}}", status_at="",
          refunded="", self_purchase=""):
    return ",".join([oid, pid, quantity, price, paid, status, token, status_at, refunded, self_purchase])


def quoted(field):
    """A CSV field in double quotes, inner quotes doubled."""
    return '"' + field.replace('"', '""') + '"'


def lines(*rows, end="\n"):
    return "".join(r + end for r in rows)


def jsonl_product(pid, **over):
    fields = {"product_id": f'"{pid}"', "supplier_id": '"SP1"', "title": '"测试商品"', "brand": '"品牌"',
              "category": '"食品保健"', "price": "19.90", "commission_rate": '"10%"', "stock": "5", "status": '"on"'}
    fields.update(over)
    return "{" + ",".join(f'"{k}":{v}' for k, v in fields.items()) + "}"


def jsonl_order(oid, **over):
    fields = {"order_id": f'"{oid}"', "product_id": '"P00001"', "quantity": "1", "unit_price": '"11.50"',
              "paid_at": f'"{PAID}"', "status": '"paid"', "share_token": '"{{P1}}"'}
    fields.update(over)
    return "{" + ",".join(f'"{k}":{v}' for k, v in fields.items()) + "}"


CASES = {}


def case(name, data):
    assert name not in CASES, name
    CASES[name] = data if isinstance(data, bytes) else data.encode("utf-8")


# ---------------------------------------------------------------- suppliers

case("suppliers-empty.csv", b"")
case("suppliers-bom-only.csv", BOM)
case("suppliers-header-only.csv", SUPPLIER_HEADER + "\n")
case("suppliers-truncated-mid-row.csv",
     lines(SUPPLIER_HEADER, supplier("SP2")) + "SP3,半截供应商,500")
case("suppliers-truncated-mid-quote.csv",
     lines(SUPPLIER_HEADER, supplier("SP2")) + 'SP3,"半截供应商,5000000,true')
case("suppliers-gbk.csv", lines(SUPPLIER_HEADER, supplier("SP2"), supplier("SP3", name="义乌小商品作坊")).encode("gbk"))
case("suppliers-utf16le-bom.csv", b"\xff\xfe" + lines(SUPPLIER_HEADER, supplier("SP2")).encode("utf-16-le"))
case("suppliers-missing-columns.csv",
     lines("supplier_id,name,registered_capital,general_taxpayer", "SP2,杭州西湖茶业有限公司,5000000,true"))
case("suppliers-duplicate-column.csv",
     lines(SUPPLIER_HEADER + ",name", supplier("SP2") + ",别名"))
case("suppliers-bad-values.csv", lines(
    SUPPLIER_HEADER,
    supplier("SP10", capital="NaN"),
    supplier("SP11", capital="-5000000"),
    supplier("SP12", capital="5e6"),
    supplier("SP13", capital="5000000.001"),
    supplier("SP14", capital=""),
    supplier("SP15", taxpayer="yes"),
    supplier("SP16", chain="-1"),
    supplier("SP17", chain="9223372036854775808"),
    supplier("SP18", deposit="Infinity"),
    supplier("SP19", deposit="-0"),
    supplier("SP20", capital="1000000000.01"),
    supplier("SP21", capital=" ¥5000000 ", taxpayer="TRUE", deposit="￥20000.00"),
))
case("suppliers-bom-crlf.csv", BOM + lines(SUPPLIER_HEADER, supplier("SP2"), supplier("SP3"), end="\r\n").encode())
case("suppliers-values.jsonl", lines(
    '{"supplier_id":"SP30","name":"数字供应商","registered_capital":5000000,"general_taxpayer":true,"deposit":20000.00,'
    '"auth_chain_levels":0}',
    '{"supplier_id":"SP31","name":"指数供应商","registered_capital":5e6,"general_taxpayer":true,"deposit":20000,'
    '"auth_chain_levels":1}',
    '{"supplier_id":"SP32","name":["数组"],"registered_capital":5000000,"general_taxpayer":true,"deposit":20000,'
    '"auth_chain_levels":1}',
    '{"supplier_id":"SP33","name":"字符串布尔","registered_capital":"5000000","general_taxpayer":"yes","deposit":"20000",'
    '"auth_chain_levels":"1"}',
    '{"supplier_id":"SP34","name":"缺少押金","registered_capital":5000000,"general_taxpayer":false,"auth_chain_levels":1}',
))
case("suppliers-sql-injection.csv", lines(
    SUPPLIER_HEADER,
    supplier("SP40", name="'; DROP TABLE suppliers; --"),
    supplier("SP41';--", name="Robert'); DELETE FROM products WHERE ('1'='1"),
))

# ---------------------------------------------------------------- products: truncation and encodings

case("products-empty.csv", b"")
case("products-bom-only.csv", BOM)
case("products-blank-lines-only.csv", b"\n\r\n\n")
case("products-header-only-no-newline.csv", PRODUCT_HEADER)
case("products-truncated-mid-row.csv", lines(PRODUCT_HEADER, product("H1")) + "H2,SP1,半截")
case("products-truncated-mid-quote.csv", lines(PRODUCT_HEADER, product("H1")) + 'H2,SP1,"半截标题,品牌,食品保健,1')
case("products-ends-inside-a-character.csv", (lines(PRODUCT_HEADER, product("H1")) + "H2,SP1,商").encode()[:-1])

rng = random.Random(20261121)
garbage = bytes(rng.randrange(256) for _ in range(4096))
case("products-binary-garbage.csv", b"\x9c" + garbage)
case("products-xlsx.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + garbage[:512])
case("products-png.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + garbage[:256])
case("products-nul-byte.csv", lines(PRODUCT_HEADER, product("H1")).encode() + b"H2,SP1,\xe5\x95\x86\x00\xe5\x93\x81,b,\n")
case("products-gbk.csv", lines(PRODUCT_HEADER, product("H1", title="西湖龙井"), product("H2", title="面膜")).encode("gbk"))
case("products-gbk-header.csv", lines("商品编号,供应商,标题", "H1,SP1,龙井").encode("gbk"))
utf16_text = lines(PRODUCT_HEADER, product("H1", title="西湖龙井"))
case("products-utf16le-bom.csv", b"\xff\xfe" + utf16_text.encode("utf-16-le"))
case("products-utf16be-bom.csv", b"\xfe\xff" + utf16_text.encode("utf-16-be"))
case("products-utf16le-no-bom.csv", utf16_text.encode("utf-16-le"))
case("products-utf16be-no-bom.csv", utf16_text.encode("utf-16-be"))
case("products-latin1.csv", lines(PRODUCT_HEADER, product("H1", title="Café crème", brand="Maison", category="Food")).encode("latin-1"))
case("products-overlong-utf8.csv", lines(PRODUCT_HEADER).encode() + b"H1,SP1,a\xc0\xafb,b,\n")
case("products-surrogate-utf8.csv", lines(PRODUCT_HEADER).encode() + b"H1,SP1,\xed\xa0\x80,b,\n")

# ---------------------------------------------------------------- products: CSV structure

case("products-bom-crlf.csv", BOM + lines(PRODUCT_HEADER, product("H1"), product("H2"), end="\r\n").encode())
case("products-lone-cr.csv", lines(PRODUCT_HEADER, product("H1"), product("H2"), end="\r"))
case("products-mixed-line-ends.csv",
     PRODUCT_HEADER + "\r\n" + product("H1") + "\n" + product("H2", title='"两行\n标题"') + "\r"
     + product("H3") + "\r\n\r\n\n" + product("H4", price="abc") + "\n")
case("products-unbalanced-quote.csv", lines(
    PRODUCT_HEADER, product("H1"), product("H2", title='"未闭合的标题'), product("H3"), product("H4")))
case("products-unbalanced-quote-swallows.csv", lines(
    PRODUCT_HEADER, product("H1"), product("H2", title='"吞掉下一行'), product("H3", title='"引号"标题')))
case("products-quote-in-unquoted.csv", lines(PRODUCT_HEADER, product("H1"), product("H2", title='5"屏幕')))
case("products-garbage-after-quote.csv", lines(PRODUCT_HEADER, product("H1"), product("H2", title='"标题"x')))
case("products-space-after-quote.csv", lines(PRODUCT_HEADER, product("H1"), product("H2", title='"标题" ')))
case("products-missing-columns.csv", lines(
    "product_id,supplier_id,title,brand,category,commission_rate,status", "H1,SP1,t,b,食品保健,10,on"))
case("products-header-case-and-spaces.csv", lines(
    " product_id,supplier_id,title,brand,category,Price,commission_rate,stock,status", product("H1")))
case("products-extra-columns.csv", lines(
    PRODUCT_HEADER + ",color,备注,,weight_kg",
    product("H1") + ",red,好评如潮,,0.5",
    product("H2") + ",,\"有, 逗号\",x,"))
case("products-duplicate-column.csv", lines(PRODUCT_HEADER + ",price", product("H1") + ",29.90"))
case("products-field-count.csv", lines(
    PRODUCT_HEADER,
    product("H1"),
    "H2,SP1,少了字段,品牌,食品保健,19.90,10,5",
    product("H3") + ",多余,字段",
    "",
    ",",
    product("H4")))

# ---------------------------------------------------------------- products: values

case("products-bad-amounts.csv", lines(
    PRODUCT_HEADER,
    product("A01", price="NaN"),
    product("A02", price="Infinity"),
    product("A03", price="-Infinity"),
    product("A04", price="1e3"),
    product("A05", price="-19.90"),
    product("A06", price="19.999"),
    product("A07", price=""),
    product("A08", price="-0"),
    product("A09", price="0"),
    product("A10", price="1000000000.01"),
    product("A11", price='"1,000"'),
    product("A12", price="0x10"),
    product("A13", price="19.90元"),
    product("A14", price="¥ 19.90"),
    product("A15", price="19.90"),
    product("A16", price="  ¥19.9  "),
    product("A17", price="￥19"),
    product("A18", price="1000000000"),
    product("A19", price="１９.90"),
    product("A20", price="19."),
))
case("products-bad-rates.csv", lines(
    PRODUCT_HEADER,
    product("R01", rate="100.01"),
    product("R02", rate="-1"),
    product("R03", rate="12.345%"),
    product("R04", rate="abc"),
    product("R05", rate="1e1"),
    product("R06", rate=""),
    product("R07", rate="101%"),
    product("R08", rate="NaN"),
    product("R09", rate="100%"),
    product("R10", rate="0"),
    product("R11", rate="12.5％"),
))
case("products-stock.csv", lines(
    PRODUCT_HEADER,
    product("Q01", stock="9223372036854775808"),
    product("Q02", stock="18446744073709551616"),
    product("Q03", stock="9223372036854775807"),
    product("Q04", stock="-1"),
    product("Q05", stock="1.5"),
    product("Q06", stock="1000000001"),
    product("Q07", stock="1e3"),
    product("Q08", stock=""),
    product("Q09", stock="1000000000"),
    product("Q10", stock="0"),
))
case("products-dates.csv", lines(
    PRODUCT_HEADER_FULL,
    product_full("D01", sale_start="2026-11-01T00:00:00"),
    product_full("D02", sale_start="2026-02-30T00:00:00+08:00"),
    product_full("D03", sale_start="2026-11-01T24:00:00+08:00"),
    product_full("D04", sale_start="2026-13-01T00:00:00Z"),
    product_full("D05", sale_start="2026-11-01"),
    product_full("D06", sale_start="2026-11-01T00:00:00+25:00"),
    product_full("D07", sale_start="2026-11-02T00:00:00Z", sale_end="2026-11-01T00:00:00Z"),
    product_full("D08", sale_start="2026-11-01T00:00:00Z", sale_end="2026-11-01T00:00:00Z"),
    product_full("D09", sale_start="2024-02-29T00:00:00+08:00", sale_end="2026-12-31T23:59:59.999Z"),
    product_full("D10", sale_start="1970-01-01T00:00:00Z"),
))
case("products-sql-injection.csv", lines(
    PRODUCT_HEADER,
    product("S1", title="'; DROP TABLE orders; --"),
    product("S2';--", title="Robert'); DROP TABLE products;--", brand=quoted('" OR 1=1 --')),
    product("S3", title="%_\\%' ESCAPE '\\"),
))
case("products-shell-metacharacters.csv", lines(
    PRODUCT_HEADER,
    product("X1", title="$(rm -rf /)"),
    product("X2", title="`reboot`", brand="$HOME"),
    product("X3", title='"; rm -rf ~ && echo pwned | sh #"'),
    product("X4", title="a > /etc/passwd"),
))
case("products-control-characters.csv", lines(
    PRODUCT_HEADER,
    product("C1", title="红色\x1b[31m标题"),
    product("C2", title="响铃\x07"),
    product("C3", title="删除\x7f"),
    product("C4", title="C1控制\u0085字符"),
    product("C5", title='"回车\r在引号里"'),
    product("C6", brand="品\x08牌"),
    product("C7", title='"换行\n可以"'),
    product("C8", title="制表\t可以"),
))
case("products-long-ids.csv", lines(
    PRODUCT_HEADER,
    product("L" * 65),
    product("L" * 64),
    product("龙" * 64),
    product("龙" * 65),
    product("L2", supplier_id="S" * 1000),
    product("L\u30003"),
    product("L\u00a04"),
    product("L 5"),
))
case("products-long-text.csv", lines(
    PRODUCT_HEADER_FULL,
    product_full("T1", title="长" * 201),
    product_full("T2", title="长" * 200),
    product("T3", brand="牌" * 65) + ",,,,,,",
    product_full("T4", description="述" * 2001),
    product_full("T5", description="述" * 2000),
))

# ---------------------------------------------------------------- products: JSON Lines

case("products-not-json.jsonl", lines(PRODUCT_HEADER, product("J1")))
case("products-truncated-last-line.jsonl", lines(jsonl_product("J1"), jsonl_product("J2")) + '{"product_id":"J3","title":"半')
case("products-array-line.jsonl", lines(jsonl_product("J1"), '["J2","SP1","测试商品"]', jsonl_product("J3")))
case("products-scalar-lines.jsonl", lines('"J1"', "42", "null", "true", jsonl_product("J5")))
case("products-nested-values.jsonl", lines(
    jsonl_product("J1", title='{"zh":"面膜","en":"mask"}'),
    jsonl_product("J2", tags='["high-margin"]'),
    jsonl_product("J3")))
case("products-duplicate-keys.jsonl", lines(jsonl_product("J1"), jsonl_product("J2", price='19.90,"price":0.01')))
case("products-exponent-numbers.jsonl", lines(
    jsonl_product("J1", price="1e2"),
    jsonl_product("J2", price="5.99E1"),
    jsonl_product("J3", stock="1e1"),
    jsonl_product("J4", price="59.90", stock="10"),
    jsonl_product("J5", price="-0"),
    jsonl_product("J6", stock="1e400"),
    jsonl_product("J7", stock="123456789012345678901234567890"),
))
case("products-bom-crlf.jsonl", BOM + lines(jsonl_product("J1"), "", jsonl_product("J2"), end="\r\n").encode())
case("products-empty.jsonl", b"")
case("products-trailing-comma.jsonl", lines(jsonl_product("J1")[:-1] + ",}"))
case("products-nan-literal.jsonl", lines(jsonl_product("J1", price="NaN")))
case("products-single-quotes.jsonl", lines("{'product_id':'J1'}"))
case("products-comment.jsonl", lines(jsonl_product("J1"), "// 下一行是第二个商品", jsonl_product("J2")))
case("products-deep-nesting.jsonl", lines(jsonl_product("J1", description="[" * 600 + "]" * 600)))
case("products-lone-surrogate.jsonl", lines(jsonl_product("J1", title='"\\ud800面膜"')))
case("products-missing-key.jsonl", lines(
    '{"product_id":"J1","supplier_id":"SP1","title":"缺价格","brand":"b","category":"食品保健","commission_rate":"10%",'
    '"stock":5,"status":"on"}',
    jsonl_product("J2")))
case("products-null-values.jsonl", lines(
    jsonl_product("J1", price="null"),
    jsonl_product("J2", description="null", tags="null")))
case("products-escaped-control.jsonl", lines(
    jsonl_product("J1", title='"a\\u0000b"'),
    jsonl_product("J2", title='"\\u001b[31m红"'),
    jsonl_product("J3", title='"两行\\n标题"')))
case("products-gbk.jsonl", lines(jsonl_product("J1", title='"西湖龙井"')).encode("gbk"))
case("products-utf16le-bom.jsonl", b"\xff\xfe" + lines(jsonl_product("J1")).encode("utf-16-le"))
case("products-nul.jsonl", lines(jsonl_product("J1")).encode() + b'{"product_id":"J2\x00"}\n')
case("products-lone-cr.jsonl", lines(jsonl_product("J1"), jsonl_product("J2"), end="\r"))

# ---------------------------------------------------------------- products: late failure

late = [PRODUCT_HEADER] + [product(f"LATE{i:04d}") for i in range(1, 301)]
case("products-late-nul.csv", lines(*late).encode() + b"LATE0301,SP1,\x00,b,\n")

# ---------------------------------------------------------------- orders

case("orders-bad-amounts.csv", lines(
    ORDER_HEADER,
    order("M01", price="NaN"),
    order("M02", price="Infinity"),
    order("M03", price="1e3"),
    order("M04", price="-11.50"),
    order("M05", price="11.505"),
    order("M06", price=""),
    order("M07", price="-0"),
    order("M08", price="0"),
    order("M09", price="1000000000.01"),
    order("M10", refunded="NaN"),
    order("M11", refunded="-1"),
    order("M12", refunded="1e1"),
    order("M13", refunded="11.501"),
    order("M14", refunded="11.51"),
    order("M15", price="¥11.50"),
    order("M16", status="refunded", status_at="2026-09-11T10:00:00+08:00", refunded="11.50"),
))
case("orders-quantities.csv", lines(
    ORDER_HEADER,
    order("N01", quantity="9223372036854775808"),
    order("N02", quantity="18446744073709551616"),
    order("N03", quantity="9223372036854775807"),
    order("N04", quantity="-0"),
    order("N05", quantity="0"),
    order("N06", quantity="-1"),
    order("N07", quantity="1.0"),
    order("N08", quantity="1e2"),
    order("N09", quantity="1000001"),
    order("N10", quantity="1000000", price="1000000000"),
    order("N11", quantity="1000000", price="1"),
    order("N12", quantity="2"),
))
case("orders-dates.csv", lines(
    ORDER_HEADER,
    order("T01", paid="2026-09-10T20:00:00"),
    order("T02", paid="2026-02-30T20:00:00+08:00"),
    order("T03", paid="2026-09-10T24:00:00+08:00"),
    order("T04", paid="2026-09-10T20:60:00+08:00"),
    order("T05", paid="2026-11-21T09:30:01+08:00"),
    order("T06", paid="2026-09-10"),
    order("T07", paid=""),
    order("T08", status="shipped", status_at="2026-09-10T19:59:59+08:00"),
    order("T09", status="shipped", status_at="2026-09-11T10:00:00"),
    order("T10", paid="2026-09-10T12:00:00Z"),
    order("T11", paid="2026-09-10T20:00:00.123+08:00"),
    order("T12", paid="2026-11-21T09:30:00+08:00"),
))
case("orders-tokens.csv", lines(
    ORDER_HEADER,
    order("K01", token="{{FORGED_TAG}}"),
    order("K02", token="{{FORGED_ID}}"),
    order("K03", token="{{OTHER_STORE}}"),
    order("K04", token=""),
    order("K05", token="not-a-token"),
    order("K06", token="{{P1}}="),
    order("K07", token="https://example.com/s/{{P1}}"),
    order("K08", pid="P00002"),
    order("K09", pid="P09999", token="{{STOREFRONT}}"),
    order("K10", pid="P00003", token="{{STOREFRONT}}"),
    order("K11"),
))
case("orders-sql-and-shell.csv", lines(
    ORDER_HEADER,
    order("';DROP-TABLE-orders;--"),
    order("'; DROP TABLE orders; --"),
    order("Q1", pid="$(rm -rf /)"),
    order("$(reboot)"),
    order("`id`"),
))
case("orders-control-characters.csv", lines(
    ORDER_HEADER,
    order("E1\x1b[2J"),
    order("E2", status="paid\x07"),
    order("E3"),
))
case("orders-excel-values.csv", lines(
    ORDER_HEADER,
    order("\tX01"),                          # the platforms' leading tab: removed
    order("'X02"),                           # Excel's text marker: removed
    order("1.23457E+17"),                    # Excel's scientific notation: bad-value saying so
    order("2.5e18"),
    order("X05", paid="2026-09-10 20:00:00"),  # zone-less: the store's zone
    order("X06", paid="2026/9/10 20:00"),
    order("X07", price=quoted("¥1,011.50")),
    order("X08", price=quoted("1,01.50")),   # a separator out of its group
    order("X09", paid="2026-09-10 20:00:60"),
    order("X10", status="已付款"),
    order("'"),                              # nothing but the marker: empty
))
case("orders-truncated-mid-quote.csv", lines(ORDER_HEADER, order("V1")) + 'V2,P00001,1,"11.50,' + PAID)
case("orders-gbk.csv", lines(ORDER_HEADER, order("V1"), order("订单2")).encode("gbk"))
case("orders-utf16be-no-bom.csv", lines(ORDER_HEADER, order("V1")).encode("utf-16-be"))
case("orders-missing-column.csv", lines(
    "order_id,product_id,quantity,unit_price,paid_at,status", "V1,P00001,1,11.50," + PAID + ",paid"))
case("orders-duplicate-column.csv", lines(ORDER_HEADER + ",status", order("V1") + ",shipped"))
case("orders-bom-crlf.csv", BOM + lines(ORDER_HEADER, order("V1"), order("V2", pid="P00004", token="{{STOREFRONT}}"),
                                        end="\r\n").encode())
case("orders-field-count.csv", lines(ORDER_HEADER, order("V1"), "V2,P00001,1,11.50," + PAID + ",paid", order("V3") + ",extra"))
case("orders-binary.csv", b"\x7fELF\x02\x01\x01\x00" + garbage[:1024])
case("orders-not-json.jsonl", lines("order_id=V1 product_id=P00001"))
case("orders-array-line.jsonl", lines(jsonl_order("V1"), '["V2","P00001",1]'))
case("orders-duplicate-keys.jsonl", lines(jsonl_order("V1", quantity='1,"quantity":100')))
case("orders-exponent-numbers.jsonl", lines(
    jsonl_order("V1", quantity="1e0"),
    jsonl_order("V2", unit_price="1.15e1"),
    jsonl_order("V3", quantity="18446744073709551616"),
    jsonl_order("V4", quantity="2", unit_price="11.5"),
))
case("orders-nested-token.jsonl", lines(jsonl_order("V1", share_token='{"token":"{{P1}}"}'), jsonl_order("V2")))
case("orders-bom-crlf.jsonl", BOM + lines(jsonl_order("V1"), jsonl_order("V2", self_purchase="true"), end="\r\n").encode())
case("orders-truncated-last-line.jsonl", lines(jsonl_order("V1")) + '{"order_id":"V2","quantity":1')

late_orders = [ORDER_HEADER] + [order(f"LATE{i:04d}") for i in range(1, 201)]
case("orders-late-stray-quote.csv", lines(*late_orders, 'LATE0201,P00001,1,11."50,' + PAID + ",paid,{{P1}},,,"))

# ---------------------------------------------------------------- values (issue 12, part C)
# Times outside 2000–2099 (the year as written), leap seconds; ids with invisible, format and
# white-space characters; a title with bidirectional controls (stored exactly, shown escaped).

case("orders-hostile-times.csv", lines(
    ORDER_HEADER,
    order("Y01", paid="0001-01-01T00:00:00+14:00"),
    order("Y02", paid="9999-12-01T00:00:00+08:00"),
    order("Y03", paid="1999-12-31T23:59:59Z"),
    order("Y04", paid="1999-12-31T23:59:59-12:00"),
    order("Y05", paid="2100-01-01T00:00:00+14:00"),
    order("Y06", paid="2024-12-31T23:59:60Z"),
    order("Y07", paid="2026-06-30T23:59:60.5+08:00"),
    order("Y08", status="shipped", status_at="0001-01-01T00:00:00Z"),
    order("Y09", paid="2026-09-10T20:00:00+24:00"),
    order("Y10", paid="2026-09-10T20:00:00-12:00"),
    order("Y11", status="confirmed", status_at="2026-11-21T01:29:59.999999999Z"),
))
case("orders-invisible-ids.csv", lines(
    ORDER_HEADER,
    order("Z01\u200b"),
    order("\ufeffZ02"),
    order("Z03", pid="P00001\u200b"),
    order("Z04\u202e"),
    order("Z\u00a005"),
    order("Z06\u2060"),
    order("Z07"),
))
case("products-invisible-ids.csv", lines(
    PRODUCT_HEADER,
    product("P00001\u200b"),
    product("\ufeffP00002"),
    product("I03\u202e"),
    product("I04\u2066x\u2069"),
    product("I05\u00ad"),
    product("I06\u200d"),
    product("I07\u3000"),
    product("I08", supplier_id="SP1\u200e"),
    product("I09", title="\u202e品商\u202c 试测", brand="\u200b品牌\ufeff"),
    product("I10\U0001F600"),
))
case("products-hostile-dates.csv", lines(
    PRODUCT_HEADER_FULL,
    product_full("H01", sale_start="1999-12-31T23:59:59Z"),
    product_full("H02", sale_start="2100-01-01T00:00:00Z"),
    product_full("H03", sale_end="0001-01-01T00:00:00+14:00"),
    product_full("H04", sale_end="9999-12-31T23:59:59Z"),
    product_full("H05", sale_start="2024-12-31T23:59:60Z"),
    product_full("H06", sale_start="2000-01-01T00:00:00+14:00", sale_end="2099-12-31T23:59:59-12:00"),
))


# Share links (docs/share-links.md): links of another origin carrying a real token, refused
# `invalid-token`; the accepted forms of a real link; `before-link` around the 10-minute limit.
BASE = "https://taoxiaopu.example"
case("orders-evil-links.csv", lines(
    ORDER_HEADER,
    order("L01", token="https://evil.example/s/{{P1}}"),
    order("L02", token="https://evil.example/s/{{P1}}?from=singlemessage"),
    order("L03", token="https://taoxiaopu.example@evil.example/s/{{P1}}"),
    order("L04", token="https://taoxiaopu.example.evil.example/s/{{P1}}"),
    order("L05", token="http://taoxiaopu.example/s/{{P1}}"),
    order("L06", token="https://taoxiaopu.example:443/s/{{P1}}"),
    order("L07", token="https://taoxiaopu.example./s/{{P1}}"),
    order("L08", token=BASE + "/S/{{P1}}"),
    order("L09", token=BASE + "/s/{{P1}}/"),
    order("L10", token=BASE + "/s/{{P1}}%00"),
    order("L11", token="https://evil.example/?next=" + BASE + "/s/{{P1}}"),
    order("L12", token="javascript://taoxiaopu.example/s/{{P1}}"),
    order("L13", token="https://\uff54aoxiaopu.example/s/{{P1}}"),
    order("L14", token="https://taoxiao\u200bpu.example/s/{{P1}}"),
    order("L15", token=quoted(BASE + "/s/{{P1}} https://evil.example/s/{{P1}}")),
    order("L16", token=quoted("\uffe5{{P1}}\uffe5 \uffe5{{STOREFRONT}}\uffe5")),
    order("L17", token="\uffe5\uffe5"),
    order("L18", token=BASE + "/s/{{FORGED_TAG}}?from=singlemessage"),
    order("L19", token="\u00a5{{OTHER_STORE}}\u00a5"),
    order("L20", token="/s/{{P1}}"),
))
case("orders-link-forms.csv", lines(
    ORDER_HEADER,
    order("F01", token=BASE + "/s/{{P1}}"),
    order("F02", token=BASE + "/s/{{P1}}?from=singlemessage&isappinstalled=0"),
    order("F03", token="HTTPS://TAOXIAOPU.EXAMPLE/s/{{P1}}#wechat_redirect"),
    order("F04", token="\uffe5{{P1}}\uffe5"),
    order("F05", token="\u00a5{{P1}}\u00a5"),
    order("F06", token=quoted("\u2728 \u5546\u54c11 \u6807\u9898\n\U0001f4b0 \u5230\u624b\u4ef7 \u00a511.50\n"
                              "\U0001f6d2 \u5c0f\u7f8e\u597d\u7269 \U0001f449 " + BASE + "/s/{{P1}}")),
    order("F07", token=quoted("\u590d\u5236\u8fd9\u6761\u6d88\u606f\uffe5{{P1}}\uffe5\u6253\u5f00, \"\u6dd8\u5c0f\u94fa\"\n"
                              + BASE + "/s/{{P1}}?from=timeline")),
    order("F08", paid="2026-08-01T09:49:59+08:00"),
    order("F09", paid="2026-08-01T09:50:00+08:00"),
    order("F10", paid="2025-08-01T10:00:00+08:00", token=BASE + "/s/{{P1}}"),
))


# A repeated order id whose second row is refused only when its batch is stored, after later rows
# were already rejected: the report still lists the rows in line order.
case("orders-repeated-id-late-rejection.csv", lines(
    ORDER_HEADER,
    order("R1"), order("R1", quantity="2"), order("X1", token="{{FORGED_TAG}}"),
    order("R2"), order("R2", quantity="3"), order("X2", token="{{OTHER_STORE}}"),
))

# Product images (docs/formats.md, `image`): paths that try to leave the feed's folder or name
# something that is not a picture; each is `bad-value`, the row without an image is accepted.
case("products-image-paths.csv", lines(
    PRODUCT_HEADER_FULL + ",image",
    product_full("I01") + ",/etc/passwd",
    product_full("I02") + ",../../../../../../etc/passwd",
    product_full("I03") + ",images/../../../../../../etc/hostname",
    product_full("I04") + ",file:///etc/passwd",
    product_full("I05") + ",~root/.ssh/id_rsa",
    product_full("I06") + ",.",
    product_full("I07") + "," + quoted("images/a.png\tb"),
    product_full("I08") + ",http://example.com/a.png",
    product_full("I09") + ",missing.png",
    product_full("I10") + ",",
))

# The optional orders column commission_rate (佣金比率, SPEC §7): the platform's rate, frozen instead
# of the catalog's; what the 淘宝联盟 report writes (`20.00 %`) is read, anything else is bad-value,
# and a later row for the same order never changes the frozen rate.
case("orders-commission-rates.csv", lines(
    ORDER_HEADER + ",commission_rate",
    order("C01") + ",20.00 %",
    order("C02") + ",20%",
    order("C03") + ",",                      # empty: the catalog's rate
    order("C04") + ",0",
    order("C05") + ",100",
    order("C06") + ",101 %",
    order("C07") + ",-1",
    order("C08") + ",20.001",
    order("C09") + ",NaN",
    order("C10") + ",２０%",                  # full-width digits
    order("C11") + ",1e2",
    order("C12") + "," + quoted("20,5"),
    order("C13") + ",\u200b20",              # a zero-width space before the digits
    order("C01") + ",30%",                   # the same order again: its frozen rate stays
))


# ---------------------------------------------------------------- workbooks (issue 15)
# Made by scripts/gen_xlsx.py (zip bomb, truncated central directory, bad CRC-32, a missing
# shared string, too many cells, an overlong cell, DOCTYPE with entities, .xls and OLE bytes).

def _workbook_cases():
    import importlib.util
    spec = importlib.util.spec_from_file_location("gen_xlsx", os.path.join(os.path.dirname(__file__), "gen_xlsx.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.hostile_cases()


for _name, _data in _workbook_cases().items():
    case(_name, _data)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in os.listdir(OUT):
        if name != "README.md":
            os.remove(os.path.join(OUT, name))
    for name, data in CASES.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    total = sum(len(d) for d in CASES.values())
    print(f"{len(CASES)} fixtures, {total} bytes, largest {max(len(d) for d in CASES.values())} bytes")


if __name__ == "__main__":
    main()
