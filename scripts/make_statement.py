#!/usr/bin/env python3
"""A platform statement made from a store's own orders, for trying `shopctl reconcile`.

    shopctl --json orders list --limit 0 | python3 scripts/make_statement.py > statement.csv
    shopctl --json orders list --limit 0 | python3 scripts/make_statement.py --plant 2 --seed 7 > statement.csv

The statement is in 淘宝联盟 style (headers 订单编号, 订单状态, 预估收入; 订单付款, 订单结算, 订单失效),
its lines shuffled, each order's commission its earnings as the store has them (commission_fen +
bonus_fen). `--plant N` plants N differences, one of each kind in turn: the level bonus left out
(an `amount`), a state (settled here while the store has it pending, or the reverse), an order
left out (a `missing-order` under `--period`), an order the store does not have (`unknown-order`);
what was planted is written to stderr. `--english` writes shopctl's own columns instead
(order_id, commission, status with settled / pending / invalid).
"""
import argparse
import csv
import json
import random
import sys


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--orders", default="-", help="`orders list --json` output (default: stdin)")
    ap.add_argument("--plant", type=int, default=0, help="differences to plant")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--english", action="store_true", help="shopctl's own column names and words")
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    orders = json.load(sys.stdin if a.orders == "-" else open(a.orders, encoding="utf-8"))
    rng = random.Random(a.seed)
    words = {"paid": "订单付款", "shipped": "订单付款", "confirmed": "订单结算", "refunded": "订单失效"}
    if a.english:
        words = {"paid": "pending", "shipped": "pending", "confirmed": "settled", "refunded": "invalid"}
    rows = []
    for o in orders:
        fen = o["commission_fen"] + o["bonus_fen"]
        rows.append([o["order_id"], words[o["status"]], fen, o])
    rng.shuffle(rows)
    kinds = ["bonus", "state", "missing", "unknown"]
    planted = 0
    for i in range(len(rows)):
        if planted >= a.plant:
            break
        kind = kinds[planted % len(kinds)]
        row = rows[i]
        o = row[3]
        if row[0] is None:
            continue
        if kind == "bonus":
            if o["bonus_fen"] <= 0:
                continue
            row[2] = o["commission_fen"]
        elif kind == "state":
            if o["status"] == "refunded":
                continue
            row[1] = words["paid"] if o["status"] == "confirmed" else words["confirmed"]
        elif kind == "missing":
            if o["commission_fen"] + o["bonus_fen"] == 0:
                continue
            row[0] = None
        else:
            rows.append(["X" + o["order_id"], words["paid"], 100 + rng.randrange(10000), None])
        print(f"planted {kind}: {o['order_id']}", file=sys.stderr)
        planted += 1
    out = sys.stdout if a.out == "-" else open(a.out, "w", encoding="utf-8", newline="")
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["order_id", "status", "commission"] if a.english else ["订单编号", "订单状态", "预估收入"])
    for order_id, word, fen, _ in rows:
        if order_id is not None:
            w.writerow([order_id, word, f"{fen // 100}.{fen % 100:02d}"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
