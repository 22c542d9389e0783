#!/usr/bin/env python3
"""Generate a realistic, deterministic order feed for `shopctl orders import`.

    shopctl share-link list --limit 0 --json > links.json
    python3 scripts/gen_orders.py --links links.json --catalog examples/catalog/products.csv \\
        --orders 2000 --now 2026-11-21T23:00:00+08:00 --out orders.csv
    shopctl share-link list --limit 0 --json | python3 scripts/gen_orders.py --links - \\
        --catalog examples/catalog/products.csv --orders 1000000 --format jsonl > orders.jsonl

Columns (CSV with a header, or JSON Lines with the same keys), in this order:

    order_id,product_id,quantity,unit_price,paid_at,status,share_token,status_at,refunded,self_purchase,buyer_id

`buyer_id` is extra (shopctl ignores it); `B000000` (zeros) is the shopkeeper, used exactly on
self-purchases. Amounts are yuan with 2 decimals; times are RFC 3339 at +08:00, whole seconds;
`refunded` is empty (JSON null) when nothing was refunded.

Shape of the data (everything comes from `--seed`, so the same arguments give byte-identical
output):

* orders are paid in the `--days` days before `--now` (never later than --now), and never before
  the created_at of the link they came through when that link was created before --now;
* more orders on weekends, a lunch peak and a bigger 19:00-23:00 evening peak (local time), a
  growing trend over the window, day-to-day and hour-to-hour noise;
* links are Zipf-popular, with a burst when new; a storefront link (product_id null) sells
  catalog products that are `on` with a valid price, themselves Zipf-popular;
* unit price = catalog price, sometimes a small promo (3-12 % off, per product and day);
* quantity mostly 1, sometimes 2-3, rarely up to 10; ~35 % of orders from a small pool of
  regular buyers, the rest from a large pool (mostly one-off buyers); ~2 % self-purchases;
* status from the order's age: shipping 2 h-5 days after payment, confirmation 3-12 days after
  payment (8 % late, up to 20 days), the latest event not after --now wins; ~4 % fully refunded
  1-10 days after payment (only orders at least a day old); ~3 % partial refunds (10-60 % of
  the amount) on shipped or confirmed orders.

It streams: per-hour order counts are fixed first (largest-remainder apportionment of --orders
over hour buckets), then each hour's timestamps are drawn, sorted and written, so rows come out
in paid_at order and memory does not grow with --orders.

`--reject-all` makes every row one that `orders import` rejects `invalid-token`: each link's token
is written with one character changed (as a token of another store would be), the rest of the
row as without it. For measuring the rejected path (docs/performance.md "Rejected rows").

`--bad-rows` adds a handful of invalid rows (ids `BAD-<code>-<n>`) at scattered positions and
lists them on stderr with the row code `orders import` should report. Bad rows use their own
random stream: the valid rows are the same with or without --bad-rows.

Standard library only. Exit codes: 0 ok, 2 usage or unusable input.
"""

import argparse
import itertools
import json
import math
import os
import re
import sys
import time
from bisect import bisect_right
from datetime import datetime, timedelta, timezone
from random import Random

COLUMNS = [
    "order_id", "product_id", "quantity", "unit_price", "paid_at", "status", "share_token",
    "status_at", "refunded", "self_purchase", "buyer_id",
]
ZONE = timezone(timedelta(hours=8))
OFFSET = 8 * 3600
DAY = 86400
HOUR = 3600
B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
PRICE_RE = re.compile(r"^(?:¥|￥)?(\d+)(?:\.(\d{1,2}))?$")

# Relative order volume per local hour (lunch peak 12-13, evening peak 19-23).
HOUR_PROFILE = [
    0.55, 0.30, 0.15, 0.08, 0.06, 0.08, 0.20, 0.45, 0.70, 0.80, 0.85, 1.00,
    1.45, 1.30, 0.85, 0.80, 0.85, 0.95, 1.20, 1.90, 2.40, 2.50, 2.10, 1.20,
]
# Monday .. Sunday.
WEEKDAY_FACTOR = [0.92, 0.90, 0.92, 0.95, 1.08, 1.40, 1.35]
TREND_END_OVER_START = 2.5      # volume at --now vs volume at the start of the window
P_SELF = 0.02
P_FULL_REFUND = 0.04            # among orders paid at least a day before --now
P_PARTIAL_REFUND = 0.031        # among shipped / confirmed orders
REGULAR_SHARE = 0.35


def die(msg):
    print(f"gen_orders: {msg}", file=sys.stderr)
    sys.exit(2)


# ------------------------------------------------------------------------------------------
# Parsing
# ------------------------------------------------------------------------------------------

def parse_rfc3339(text, what):
    """Unix seconds (int, fractions dropped) of an RFC 3339 time with a zone."""
    s = text.strip()
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})", s)
    if not m:
        die(f"{what}: '{text}' is not an RFC 3339 time with a zone, like 2026-11-21T20:15:03+08:00")
    zone = "+00:00" if m.group(4) in ("Z", "z") else m.group(4)
    try:
        dt = datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}{zone}")
    except ValueError as e:
        die(f"{what}: '{text}': {e}")
    return int(dt.timestamp())


def parse_fen(text):
    """Fen of a yuan amount with at most 2 decimals, or None."""
    if text is None:
        return None
    m = PRICE_RE.match(text.strip())
    if not m:
        return None
    frac = (m.group(2) or "").ljust(2, "0")
    return int(m.group(1)) * 100 + int(frac or 0)


def yuan(fen):
    return f"{fen // 100}.{fen % 100:02d}"


def open_input(path):
    if path == "-":
        return sys.stdin
    try:
        return open(path, encoding="utf-8-sig", newline="")
    except OSError as e:
        die(f"cannot read {path}: {e.strerror}")


def read_links(path):
    f = open_input(path)
    try:
        data = json.load(f)
    except json.JSONDecodeError as e:
        die(f"--links {path}: not JSON ({e})")
    finally:
        if f is not sys.stdin:
            f.close()
    if isinstance(data, dict):          # tolerate {"links": [...]}
        data = data.get("links", data.get("shares"))
    if not isinstance(data, list):
        die(f"--links {path}: expected the JSON array of `shopctl share-link list --limit 0 --json`")
    links = []
    for i, e in enumerate(data):
        if not isinstance(e, dict) or not isinstance(e.get("token"), str) or not e["token"].strip():
            die(f"--links {path}: element {i} has no token")
        pid = e.get("product_id")
        if pid is not None and not isinstance(pid, str):
            die(f"--links {path}: element {i}: product_id must be a string or null")
        created = e.get("created_at")
        created_s = parse_rfc3339(created, f"--links element {i} created_at") if isinstance(created, str) and created.strip() else None
        links.append({"token": e["token"].strip(), "product_id": (pid.strip() or None) if pid else None, "created": created_s})
    return links


def read_catalog(path):
    """(prices {product_id: fen}, buyable [product_id...]) from the products CSV.

    Also accepts the JSON array of `shopctl catalog list --limit 0 --json` (price_fen, available),
    which lists exactly the products the store holds."""
    import csv
    f = open_input(path)
    try:
        first = f.readline()
        prices, buyable = {}, []
        if first.lstrip().startswith("["):
            try:
                data = json.loads(first + f.read())
            except json.JSONDecodeError as e:
                die(f"--catalog {path}: not JSON ({e})")
            for e in data:
                pid, fen = e.get("product_id"), e.get("price_fen")
                if not isinstance(pid, str) or not isinstance(fen, int) or fen <= 0 or pid in prices:
                    continue
                prices[pid] = fen
                if e.get("available", True):
                    buyable.append(pid)
            return prices, buyable, None
        reader = csv.DictReader(itertools.chain([first], f))
        if not reader.fieldnames or "product_id" not in reader.fieldnames or "price" not in reader.fieldnames:
            die(f"--catalog {path}: expected a products CSV with product_id, price and status columns")
        skipped = 0
        for row in reader:
            pid = (row.get("product_id") or "").strip()
            fen = parse_fen(row.get("price"))
            if not pid or fen is None or fen <= 0 or pid in prices:
                skipped += 1
                continue
            prices[pid] = fen
            if (row.get("status") or "").strip().lower() == "on":
                buyable.append(pid)
        return prices, buyable, skipped
    finally:
        if f is not sys.stdin:
            f.close()


def csv_field(s):
    if any(c in s for c in ',"\r\n') or s != s.strip():
        return '"' + s.replace('"', '""') + '"'
    return s


# ------------------------------------------------------------------------------------------
# Time formatting (local +08:00), cached per day
# ------------------------------------------------------------------------------------------

class Clock:
    def __init__(self):
        self.days = {}

    def fmt(self, t, zone="+08:00"):
        local = t + OFFSET
        d, r = divmod(local, DAY)
        p = self.days.get(d)
        if p is None:
            p = datetime.fromtimestamp(d * DAY, timezone.utc).strftime("%Y-%m-%dT")
            self.days[d] = p
        h, r = divmod(r, 3600)
        m, s = divmod(r, 60)
        return f"{p}{h:02d}:{m:02d}:{s:02d}{zone}"


# ------------------------------------------------------------------------------------------
# Generator
# ------------------------------------------------------------------------------------------

def main():
    t0 = time.perf_counter()
    ap = argparse.ArgumentParser(
        prog="gen_orders.py",
        description="Generate a realistic, deterministic order feed for `shopctl orders import` (streams; standard library only).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="columns: " + ",".join(COLUMNS) + "\n(buyer_id is extra; shopctl ignores it)")
    ap.add_argument("--links", required=True, help="JSON array of `shopctl share-link list --limit 0 --json` (- = stdin)")
    ap.add_argument("--catalog", required=True, help="products CSV (or `shopctl catalog list --limit 0 --json` output)")
    ap.add_argument("--orders", type=int, default=1000, help="number of valid orders (default 1000)")
    ap.add_argument("--now", help="RFC 3339 time; no order is paid or changes status later (default: now, +08:00)")
    ap.add_argument("--days", type=int, default=90, help="orders are paid in the D days before --now (default 90)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    ap.add_argument("--format", choices=["csv", "jsonl"], help="default: from --out's extension (.jsonl/.ndjson), else csv")
    ap.add_argument("--out", default="-", help="output file (default stdout)")
    ap.add_argument("--prefix", default="O", help="order id prefix (default O: O0000001; the width grows with --orders)")
    ap.add_argument("--bad-rows", action="store_true", help="also write a handful of invalid rows (listed on stderr)")
    ap.add_argument("--reject-all", action="store_true",
                    help="every row's token has one character changed: all rows are rejected invalid-token")
    a = ap.parse_args()

    if a.orders < 0:
        die("--orders must be 0 or more")
    if a.days < 1:
        die("--days must be at least 1")
    if not a.prefix or any(c.isspace() for c in a.prefix):
        die("--prefix must be non-empty, without spaces")
    if a.links == "-" and a.catalog == "-":
        die("--links and --catalog cannot both be stdin")
    fmt = a.format
    if fmt is None:
        ext = os.path.splitext(a.out)[1].lower() if a.out != "-" else ""
        fmt = "jsonl" if ext in (".jsonl", ".ndjson") else "csv"

    now = parse_rfc3339(a.now, "--now") if a.now else int(time.time())
    start = now - a.days * DAY
    clock = Clock()

    links = read_links(a.links)
    prices, buyable, cat_skipped = read_catalog(a.catalog)
    if not prices:
        die(f"--catalog {a.catalog}: no product with a valid price")

    # Usable links: product links whose product has a price; storefront links when something is buyable.
    usable, dropped = [], []
    for ln in links:
        if ln["product_id"] is None:
            (usable if buyable else dropped).append(ln)
        elif ln["product_id"] in prices:
            usable.append(ln)
        else:
            dropped.append(ln)
    for ln in dropped:
        why = "no buyable product in the catalog" if ln["product_id"] is None else f"product {ln['product_id']} not in the catalog (or no valid price)"
        print(f"gen_orders: skipping link {ln['token']}: {why}", file=sys.stderr)
    if not usable:
        die("no usable link (product links need their product in --catalog; storefront links need a product with status on)")

    rng = Random(a.seed)

    # Effective start per link: its created_at when that is inside the window and before now.
    for ln in usable:
        c = ln["created"]
        ln["start"] = max(start, c) if c is not None and c < now else start
    usable.sort(key=lambda ln: (ln["start"], ln["token"]))
    L = len(usable)
    # Zipf popularity: a seeded rank per link.
    ranks = list(range(L))
    rng.shuffle(ranks)
    for ln, r in zip(usable, ranks):
        ln["base"] = 1.0 / (r + 1) ** 1.1
    win_start = min(ln["start"] for ln in usable)

    # Products: indices, escaped forms, Zipf weights for storefront picks.
    pids = sorted(prices)
    pindex = {p: i for i, p in enumerate(pids)}
    pfen = [prices[p] for p in pids]
    pid_out = [csv_field(p) if fmt == "csv" else json.dumps(p, ensure_ascii=False) for p in pids]
    store_items = sorted(pindex[p] for p in set(buyable))
    rng.shuffle(store_items)
    store_cum = list(itertools.accumulate(1.0 / (r + 1) ** 0.9 for r in range(len(store_items))))
    real_tokens = {ln["token"] for ln in links}
    frng = Random(f"reject-all/{a.seed}")
    for ln in usable:
        ln["pidx"] = pindex[ln["product_id"]] if ln["product_id"] is not None else -1
        tok = ln["token"]
        if a.reject_all:
            forged = tok
            while forged in real_tokens:
                i = frng.randrange(8, len(tok)) if len(tok) > 8 else frng.randrange(len(tok))
                forged = tok[:i] + frng.choice(B64URL.replace(tok[i], "")) + tok[i + 1:]
            tok = forged
        ln["tok_out"] = csv_field(tok) if fmt == "csv" else json.dumps(tok)

    # ---- Hour buckets and their order counts -----------------------------------------------
    buckets = []   # (a, b) inclusive second ranges
    h0 = (win_start + OFFSET) // HOUR * HOUR - OFFSET
    t = h0
    span = max(1, now - win_start)
    weights = []
    day_noise = {}
    g = math.log(TREND_END_OVER_START)
    while t <= now:
        a_ = max(t, win_start)
        b_ = min(t + HOUR - 1, now)
        if a_ <= b_:
            local = t + OFFSET
            d = local // DAY
            if d not in day_noise:
                day_noise[d] = math.exp(rng.gauss(0.0, 0.12))
            wd = (d + 3) % 7                     # 1970-01-01 was a Thursday (3)
            hr = (local % DAY) // HOUR
            x = ((a_ + b_) / 2 - win_start) / span
            w = (HOUR_PROFILE[hr] * WEEKDAY_FACTOR[wd] * math.exp(g * x) * day_noise[d]
                 * math.exp(rng.gauss(0.0, 0.10)) * (b_ - a_ + 1) / HOUR)
            buckets.append((a_, b_))
            weights.append(w)
        t += HOUR
    # Systematic sampling: order k sits at cumulative weight (k + u) * W / N, so every bucket
    # gets floor or ceil of its quota (small buckets get an order with the right probability)
    # and the total is exactly --orders.
    total_w = sum(weights)
    u = rng.random() or 0.5
    counts, prev, acc = [], 0, 0.0
    for w in weights:
        acc += w
        k = min(a.orders, max(0, math.ceil(acc * a.orders / total_w - u)))
        counts.append(k - prev)
        prev = k
    counts[-1] += a.orders - prev
    del weights

    # ---- Bad rows ---------------------------------------------------------------------------
    bad_specs = []
    if a.bad_rows:
        brng = Random(f"bad-rows/{a.seed}")
        real = {ln["token"] for ln in links}
        prod_links = [ln for ln in usable if ln["product_id"] is not None]
        front_links = [ln for ln in usable if ln["product_id"] is None]
        src = brng.choice(usable)
        forged = src["token"]
        while forged in real:
            i = brng.randrange(8, len(forged)) if len(forged) > 8 else brng.randrange(len(forged))
            forged = forged[:i] + brng.choice(B64URL.replace(forged[i], "")) + forged[i + 1:]
        bad_specs.append(("invalid-token", {"link": src, "token": forged}, "a real token with one character changed"))
        rand_tok = "".join(brng.choice(B64URL) for _ in range(24))
        bad_specs.append(("invalid-token", {"link": src, "token": rand_tok}, "24 random base64url characters"))
        if prod_links:
            pl = brng.choice(prod_links)
            others = sorted({ln["product_id"] for ln in prod_links} - {pl["product_id"]})
            note = "another linked product"
            if not others:
                others = [p for p in pids if p != pl["product_id"] and p in set(buyable)] or [p for p in pids if p != pl["product_id"]]
                note = "a catalog product (must be in the store, else unknown-product)"
            if others:
                bad_specs.append(("product-mismatch", {"link": pl, "product": brng.choice(others)},
                                  f"token of {pl['product_id']} used for {note}"))
        if front_links:
            n = 999999
            while f"P{n}" in prices:
                n -= 1
            bad_specs.append(("unknown-product", {"link": brng.choice(front_links), "product": f"P{n}"},
                              f"storefront token, product P{n} not in the catalog"))
        bad_specs.append(("bad-value", {"price3": True}, "unit_price with 3 decimals"))
        bad_specs.append(("bad-value", {"qty0": True}, "quantity 0"))
        bad_specs.append(("bad-value", {"future": True}, "paid_at ~10 years after --now"))
        bad_specs.append(("bad-value", {"nozone": True}, "paid_at without a zone"))
        bad_specs.append(("bad-value", {"overrefund": True}, "refunded above the amount"))
        bad_specs.append(("bad-value", {"status": "lost"}, "status lost"))
        brng.shuffle(bad_specs)
        positions = sorted(brng.sample(range(a.orders + 1), len(bad_specs))) if a.orders + 1 >= len(bad_specs) \
            else sorted(brng.choice(range(a.orders + 1)) for _ in bad_specs)
        seen = {}
        for (code, spec, what), pos in zip(bad_specs, positions):
            seen[code] = seen.get(code, 0) + 1
            spec.update(id=f"BAD-{code}-{seen[code]}", code=code, what=what, pos=pos)
        bad_specs = [s[1] for s in bad_specs]

    # ---- Output -----------------------------------------------------------------------------
    if a.out == "-":
        out = sys.stdout
        try:
            out.reconfigure(encoding="utf-8", newline="")
        except (AttributeError, ValueError):
            pass
    else:
        try:
            out = open(a.out, "w", encoding="utf-8", newline="", buffering=1 << 20)
        except OSError as e:
            die(f"cannot write {a.out}: {e.strerror}")
    write = out.write

    width = max(7, len(str(a.orders)))
    prefix_out = csv_field(a.prefix) if fmt == "csv" else json.dumps(a.prefix, ensure_ascii=False)[:-1]
    n_regular = max(3, a.orders // 25)
    n_casual = max(10, a.orders)
    bwidth = max(6, len(str(n_regular + n_casual)))
    self_buyer = "B" + "0" * bwidth

    if fmt == "csv":
        write(",".join(COLUMNS) + "\n")

    def emit(order_id_out, pidx_out, qty, unit, paid_s, status, tok_out, status_s, refunded_s, self_p, buyer):
        if fmt == "csv":
            write(f"{order_id_out},{pidx_out},{qty},{unit},{paid_s},{status},{tok_out},{status_s},{refunded_s},"
                  f"{'true' if self_p else 'false'},{buyer}\n")
        else:
            write(f'{{"order_id":{order_id_out},"product_id":{pidx_out},"quantity":{qty},"unit_price":"{unit}",'
                  f'"paid_at":"{paid_s}","status":"{status}","share_token":{tok_out},'
                  f'"status_at":{chr(34) + status_s + chr(34) if status_s else "null"},'
                  f'"refunded":{chr(34) + refunded_s + chr(34) if refunded_s else "null"},'
                  f'"self_purchase":{"true" if self_p else "false"},"buyer_id":"{buyer}"}}\n')

    def jstr(s):
        return csv_field(s) if fmt == "csv" else json.dumps(s, ensure_ascii=False)

    last_row = {}
    bad_i = 0
    seed_mix = (a.seed * 2654435761) & 0xFFFFFFFF

    def write_bad(spec):
        base = last_row or None
        if base is None:        # no valid row yet: make a plausible one
            ln = usable[0]
            pidx = ln["pidx"] if ln["pidx"] >= 0 else store_items[0]
            base = {"link": ln, "pidx": pidx, "qty": 1, "unit": pfen[pidx], "paid": max(win_start, now - DAY)}
        ln = spec.get("link", base["link"])
        pidx = base["pidx"]
        if "link" in spec and ln["pidx"] >= 0:
            pidx = ln["pidx"]
        product_out = pid_out[pidx]
        if "product" in spec:
            product_out = jstr(spec["product"])
        tok_out = jstr(spec["token"]) if "token" in spec else ln["tok_out"]
        qty = 0 if spec.get("qty0") else base["qty"]
        unit_fen = base["unit"]
        unit = f"{yuan(unit_fen)}5" if spec.get("price3") else yuan(unit_fen)
        paid = base["paid"]
        paid_s = clock.fmt(paid)
        status, status_s, refunded_s = "paid", paid_s, ""
        if spec.get("future"):
            paid_s = clock.fmt(now + 3650 * DAY)
            status_s = paid_s
        elif spec.get("nozone"):
            paid_s = clock.fmt(paid, zone="")
            status_s = ""
        elif spec.get("overrefund"):
            status = "shipped"
            refunded_s = yuan(unit_fen * qty + 100)
        elif "status" in spec:
            status = spec["status"]
            status_s = ""
        emit(jstr(spec["id"]), product_out, qty, unit, paid_s, status, tok_out, status_s, refunded_s, False,
             "B" + "9" * bwidth)

    # Link weights, recomputed per local day and when a link becomes active.
    cur_day = None
    act_end = -1          # links usable[0:act_end] are active by the end of the current bucket
    cum, cum_links = [], []

    def recompute(day_mid):
        nonlocal cum, cum_links
        ws = []
        for ln in usable[:act_end]:
            age = max(0.0, (day_mid - ln["start"]) / DAY)
            ws.append(ln["base"] * (0.45 + 1.55 * math.exp(-age / 6.0)))
        cum = list(itertools.accumulate(ws))
        cum_links = usable[:act_end]

    stats = {"paid": 0, "shipped": 0, "confirmed": 0, "refunded": 0}
    partial = self_n = 0
    random_ = rng.random
    randint = rng.randint
    oid = 0
    n_store = len(store_items)
    store_total = store_cum[-1] if store_cum else 0.0

    for (ba, bb), c in zip(buckets, counts):
        if c == 0:
            continue
        day = (ba + OFFSET) // DAY
        new_end = act_end
        while new_end < L and usable[new_end]["start"] <= bb:
            new_end += 1
        if new_end < 1:
            new_end = 1
        if day != cur_day or new_end != act_end:
            cur_day = day
            act_end = new_end
            recompute(ba)
        total = cum[-1]
        times = sorted(randint(ba, bb) for _ in range(c))
        for paid in times:
            while bad_i < len(bad_specs) and bad_specs[bad_i]["pos"] <= oid:
                write_bad(bad_specs[bad_i])
                bad_i += 1
            # Link (respecting created_at).
            for _ in range(20):
                ln = cum_links[bisect_right(cum, random_() * total)] if total > 0 else cum_links[0]
                if ln["start"] <= paid:
                    break
            else:
                ln = max((x for x in cum_links if x["start"] <= paid), key=lambda x: x["base"], default=cum_links[0])
            pidx = ln["pidx"]
            if pidx < 0:
                k = bisect_right(store_cum, random_() * store_total)
                pidx = store_items[k if k < n_store else n_store - 1]
            # Price: promo on some product-days.
            unit = pfen[pidx]
            h = ((pidx * 1000003 + day * 7919 + seed_mix) * 2654435761) & 0xFFFFFFFF
            if h % 1000 < 110:
                unit = max(1, unit * (880 + (h >> 10) % 91) // 1000)
            # Quantity.
            r = random_()
            if r < 0.80:
                qty = 1
            elif r < 0.91:
                qty = 2
            elif r < 0.965:
                qty = 3
            else:
                qty = 4 + int(7 * random_() ** 2.2)
            amount = unit * qty
            # Buyer.
            self_p = random_() < P_SELF
            if self_p:
                buyer = self_buyer
                self_n += 1
            elif random_() < REGULAR_SHARE:
                buyer = f"B{1 + int(n_regular * random_() ** 1.5):0{bwidth}d}"
            else:
                buyer = f"B{1 + n_regular + int(n_casual * random_()):0{bwidth}d}"
            # Lifecycle.
            age = now - paid
            refunded_fen = 0
            if age >= DAY and random_() < P_FULL_REFUND:
                status = "refunded"
                at = paid + randint(DAY, min(10 * DAY, age))
                refunded_fen = amount
            else:
                r = random_()
                if r < 0.70:
                    ship = randint(2 * HOUR, DAY)
                elif r < 0.95:
                    ship = randint(DAY, 3 * DAY)
                else:
                    ship = randint(3 * DAY, 5 * DAY)
                if random_() < 0.92:
                    conf = randint(3 * DAY, 12 * DAY)
                else:
                    conf = randint(12 * DAY, 20 * DAY)
                conf = max(conf, ship + randint(HOUR, 2 * DAY))
                if conf <= age:
                    status, at = "confirmed", paid + conf
                elif ship <= age:
                    status, at = "shipped", paid + ship
                else:
                    status, at = "paid", paid
                if status != "paid" and random_() < P_PARTIAL_REFUND:
                    lo, hi = -(-amount // 10), amount * 6 // 10
                    if lo <= hi:
                        refunded_fen = min(hi, max(lo, round(amount * (0.10 + 0.50 * random_()))))
                        partial += 1
            stats[status] += 1
            oid += 1
            paid_s = clock.fmt(paid)
            emit(f"{prefix_out}{oid:0{width}d}" + ('"' if fmt == "jsonl" else ""), pid_out[pidx], qty, yuan(unit),
                 paid_s, status, ln["tok_out"], paid_s if at == paid else clock.fmt(at),
                 yuan(refunded_fen) if refunded_fen else "", self_p, buyer)
            last_row = {"link": ln, "pidx": pidx, "qty": qty, "unit": unit, "paid": paid}
    while bad_i < len(bad_specs):
        write_bad(bad_specs[bad_i])
        bad_i += 1

    if out is not sys.stdout:
        out.close()
    else:
        out.flush()

    for s in bad_specs:
        print(f"gen_orders: bad row {s['id']:<24} expect {s['code']:<17} ({s['what']})", file=sys.stderr)
    if cat_skipped is not None and any(ln["product_id"] is None for ln in usable):
        print("gen_orders: note: storefront orders use every `on` product of the CSV; rows the catalog import rejected "
              "will come back as unknown-product (pass `shopctl catalog list --limit 0 --json` as --catalog for the "
              "store's exact product set)", file=sys.stderr)
    extra = f", catalog rows skipped {cat_skipped}" if cat_skipped else ""
    front = f" ({len(store_items)} products via storefront)" if any(ln["pidx"] < 0 for ln in usable) else ""
    print(f"gen_orders: {oid} orders ({', '.join(f'{k} {v}' for k, v in stats.items())}; partial refunds {partial}; "
          f"self-purchases {self_n}) + {len(bad_specs)} bad rows; {L} link(s){front}{extra}; "
          f"paid {clock.fmt(win_start)} .. {clock.fmt(now)}; seed {a.seed}; {fmt} -> "
          f"{'stdout' if a.out == '-' else a.out} in {time.perf_counter() - t0:.2f}s", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        try:
            sys.stdout = None
        except Exception:
            pass
        os._exit(1)
