#!/usr/bin/env python3
"""Make a small 淘宝联盟-style order report (UTF-8 or GBK CSV) for `shopctl orders import --map`.

    shopctl --json share-link list --limit 0 > links.json
    python3 scripts/gen_exports.py --links links.json --catalog examples/catalog/products.csv \\
        --now 2026-11-24T21:00:00+08:00 --out report.csv
    shopctl orders import report.csv --map examples/exports/taobao-lianmeng-map.json

The file looks like the back office's order report: a title line, then the columns 创建时间,
点击时间, 商品信息, 商品ID, 商品数, 商品单价, 订单状态 (订单付款, 订单成功, 订单结算, 订单失效), 收入比率,
付款金额, 效果预估, 结算金额, 预估收入, 结算时间, 佣金比率 ("20.00 %"), 佣金金额, 订单编号, 来源媒体名称,
广告位名称; times without a zone (`2026-11-04 12:00:00`, in the store's zone, +08:00), order
numbers with a leading tab (as the platform writes them so Excel keeps them as text), amounts
like `¥1,234.50`. The share token is in 广告位名称 (the ad slot the order came through), which the
map names `share_token`: tokens come from --links, so the report belongs to that store.

The same report in GBK, as the back office's "导出 Excel/CSV" writes it on a Chinese Windows
(`--encoding gbk`; shopctl reads it with `--encoding auto`, GBK being read as GB18030). GBK has
no ¥ (U+00A5): the amounts carry the full-width ￥ (U+FFE5) instead, which shopctl reads alike.
`--from REPORT.csv` re-encodes a report this script made (the same rows) instead of making one:

    python3 scripts/gen_exports.py --from examples/exports/taobao-lianmeng-orders.csv \
        --encoding gbk --out examples/exports/taobao-lianmeng-orders-gbk.csv

Deterministic: the same arguments give the same bytes. Standard library only. Exit 2 on bad input.
"""

import argparse
import csv
import io
import json
import sys
from datetime import datetime, timedelta, timezone
from random import Random

HEADER = ["创建时间", "点击时间", "商品信息", "商品ID", "商品数", "商品单价", "订单状态", "收入比率", "付款金额", "效果预估",
          "结算金额", "预估收入", "结算时间", "佣金比率", "佣金金额", "订单编号", "来源媒体名称", "广告位名称"]
CST = timezone(timedelta(hours=8))


def die(msg):
    print(f"gen_exports.py: {msg}", file=sys.stderr)
    sys.exit(2)


def read_json(path):
    try:
        with (sys.stdin if path == "-" else open(path, encoding="utf-8")) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        die(f"--links {path}: {e}")


def read_catalog(path):
    try:
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        die(f"--catalog {path}: {e}")
    return {r["product_id"]: r for r in rows if r.get("status") == "on" and r.get("price")}


def fen(text):
    whole, _, frac = text.strip().partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def yuan(f, sign=False):
    s = f"{f // 100:,}.{f % 100:02d}" if sign else f"{f // 100}.{f % 100:02d}"
    return ("¥" + s) if sign else s


def encoded(text, encoding):
    """The report's text as bytes in `encoding` (utf-8 or gbk)."""
    if encoding == "utf-8":
        return text.encode("utf-8")
    try:
        return text.replace("¥", "￥").encode("gbk")
    except UnicodeEncodeError as e:
        die(f"--encoding gbk: {text[e.start:e.end]!r} has no GBK code")


def write(text, encoding, path):
    data = encoded(text, encoding)
    if path == "-":
        sys.stdout.buffer.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--links", help="JSON array of `shopctl share-link list --limit 0 --json` (- = stdin)")
    ap.add_argument("--catalog", help="products CSV (examples/catalog/products.csv)")
    ap.add_argument("--now", help="RFC 3339; every order is created in the 10 days before it")
    ap.add_argument("--orders", type=int, default=8, help="rows (default 8)")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--encoding", choices=["utf-8", "gbk"], default="utf-8", help="of the file written (default utf-8)")
    ap.add_argument("--from", dest="source", help="a report made by this script (UTF-8) to write again in --encoding")
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    if a.source:
        if a.links or a.catalog or a.now:
            die("--from re-encodes a report: it takes no --links, --catalog or --now")
        try:
            with open(a.source, encoding="utf-8", newline="") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as e:
            die(f"--from {a.source}: {e}")
        write(text, a.encoding, a.out)
        return
    if not (a.links and a.catalog and a.now):
        die("--links, --catalog and --now are required (or --from REPORT.csv)")
    try:
        now = datetime.fromisoformat(a.now).astimezone(CST)
    except ValueError:
        die(f"--now {a.now}: not an RFC 3339 time")
    links = read_json(a.links)
    if not isinstance(links, list):
        die("--links: expected a JSON array")
    products = read_catalog(a.catalog)
    usable = [(l["token"], l.get("product_id") or next(iter(sorted(products)), None)) for l in links if isinstance(l, dict) and l.get("token")]
    usable = [(t, p) for t, p in usable if p in products]
    if not usable:
        die("no link whose product is in --catalog")
    rnd = Random(a.seed)
    out = io.StringIO(newline="")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["淘宝联盟 订单明细报表"] + [""] * (len(HEADER) - 1))
    w.writerow(HEADER)
    for i in range(a.orders):
        token, pid = usable[rnd.randrange(len(usable))]
        p = products[pid]
        qty = rnd.choice([1, 1, 1, 2, 3])
        price = fen(p["price"])
        rate = int(float(p["commission_rate"]) * 100)  # basis points
        created = now - timedelta(days=10) + timedelta(seconds=rnd.randrange(9 * 86400))
        created = created.replace(microsecond=0)
        status = rnd.choice(["订单付款", "订单付款", "订单成功", "订单结算", "订单失效"])
        settled = ""
        if status in ("订单成功", "订单结算"):
            t = min(created + timedelta(days=rnd.randint(1, 3), hours=rnd.randint(0, 12)), now)
            settled = t.strftime("%Y/%-m/%-d %H:%M")   # the other layout Excel leaves: / and no seconds
        amount = price * qty
        commission = amount * rate // 10000
        w.writerow([
            created.strftime("%Y-%m-%d %H:%M:%S"), (created - timedelta(minutes=rnd.randint(1, 90))).strftime("%Y-%m-%d %H:%M:%S"),
            p["title"], pid, qty, yuan(price, sign=True), status, "100.00 %", yuan(amount), yuan(commission),
            yuan(commission) if status == "订单结算" else "0.00", yuan(commission), settled, f"{rate / 100:.2f} %",
            yuan(commission), "\t" + str(2783941234567890000 + i * 7919), "我的小店", token,
        ])
    write(out.getvalue(), a.encoding, a.out)


if __name__ == "__main__":
    main()
