#!/usr/bin/env bash
# Benchmarks of shopctl. Every figure is a ratio to a baseline run in the same invocation:
# these machines are shared and noisy, so absolute times mean little.
#
#   scripts/bench.sh startup     first command on an empty store vs `shopctl --version`
#   scripts/bench.sh catalog     import of 100,000 products vs the sqlite3 shell's .import; search latency
#   scripts/bench.sh orders      import of 1,000,000 orders vs the sqlite3 shell's .import; memory; re-import; listing
#   scripts/bench.sh earnings    `earnings` and `earnings report --by month` on that store vs `shopctl --version`
#   scripts/bench.sh scale       import time and store size at 10k, 100k and 1M orders
#   scripts/bench.sh rejects     import of 1,000,000 rows that are all rejected (human, --json, --rejects) vs valid ones; memory
#   scripts/bench.sh shapes      orders in payment order, shuffled, and all rejected, each vs sqlite3 .import of that file
#   scripts/bench.sh gb18030     import of 1,000,000 orders in GB18030 vs the same orders in UTF-8; memory of each
#   scripts/bench.sh reconcile   statements of 100,000 and 1,000,000 lines made from a store of ORDERS orders vs sqlite3 .import
#   scripts/bench.sh xlsx        import of 1,000,000 orders as UTF-8 CSV and as .xlsx (scripts/gen_xlsx.py): time ratio, memory
#   scripts/bench.sh catalog-shapes  100,000 products in id order and shuffled, each vs sqlite3 .import of that file
#   scripts/bench.sh all         all of them, then rewrites the generated part of docs/performance.md
#
# Environment: ORDERS (default 1000000), CATALOG_PRODUCTS (100000), RUNS (5), BENCH_DIR (a temp folder),
# BENCH_NOW (the store's clock, default 2026-11-21T09:30:00+08:00).
# Needs: hyperfine and sqlite3 and jq (apt-get install hyperfine sqlite3 jq), python3, GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
work="${BENCH_DIR:-$(mktemp -d /tmp/shopctl-bench-XXXXXX)}"
mkdir -p "$work"
for tool in hyperfine sqlite3 jq python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
done
swift build -c release >/dev/null
BIN="$(swift build -c release --show-bin-path)/shopctl"
RESULTS="$work/results.md"
: > "$RESULTS"

mean() { jq -r ".results[$2].mean" "$1"; }
# Mean user and system CPU of a hyperfine result, as "user 1.23 s + sys 0.04 s".
cpu() { jq -r ".results[$2] | \"user \\(.user * 100 | round / 100) s + sys \\(.system * 100 | round / 100) s\"" "$1"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }
ms() { python3 -c "import sys; print(f'{float(sys.argv[1])*1000:,.1f} ms')" "$1"; }
# Peak resident memory of a command, in MiB (GNU time).
peak_mib() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'; }
row() { echo "| $1 | $2 | $3 | $4 |" >> "$RESULTS"; echo "$1: $2 ($3; $4)"; }

# hyperfine on two commands in alternation: round r runs the first command once and then the
# second (each after --prepare), so a machine that gets busier or quieter during the benchmark
# weighs on both alike (hyperfine alone runs every run of the first command, then the second's).
# Writes one hyperfine-like JSON (results[i]: mean, user, system, times) for mean and cpu, and
# results[1].ratios: the second's time over the first's in each round.
paired() {  # $1 = runs, $2 = json out, $3 = prepare, $4 = first command, $5 = second command
  local runs="$1" out="$2" prepare="$3" r
  for r in $(seq 1 "$runs"); do
    hyperfine -N --runs 1 --export-json "$out.$r" --prepare "$prepare" "$4" "$5" >/dev/null
  done
  python3 - "$out" "$runs" <<'PY'
import json, sys
out, runs = sys.argv[1], int(sys.argv[2])
rounds = [json.load(open(f"{out}.{r}"))["results"] for r in range(1, runs + 1)]
results = []
for i in range(2):
    times = [rd[i]["mean"] for rd in rounds]
    results.append({"command": rounds[0][i]["command"], "times": times, "mean": sum(times) / runs,
                    "user": sum(rd[i]["user"] for rd in rounds) / runs,
                    "system": sum(rd[i]["system"] for rd in rounds) / runs})
results[1]["ratios"] = [rd[1]["mean"] / rd[0]["mean"] for rd in rounds]
json.dump({"results": results}, open(out, "w"), indent=1)
PY
  rm -f "$out".[0-9]*
}
# The round ratios of a paired result: lowest–highest and median, as "rounds 1.21–1.48×, median 1.30×".
spread() {
  jq -r '.results[1].ratios | sort | (if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end) as $m
    | "rounds \(min * 100 | round / 100)–\(max * 100 | round / 100)×, median \($m * 100 | round / 100)×"' "$1"
}

bench_startup() {  # shop list only reads (no-store on a missing store): init is the first command that creates
  hyperfine -N --warmup 5 --runs 40 --export-json "$work/startup.json" --prepare "rm -rf $work/empty" \
    "$BIN --version" "$BIN --db $work/empty/shop.db init --platform taoxiaopu" >/dev/null
  hyperfine -N --warmup 5 --runs 40 --export-json "$work/startup2.json" \
    "$BIN --version" "$BIN --db $work/empty/shop.db shop list" >/dev/null
  local v c e
  v=$(mean "$work/startup.json" 0); c=$(mean "$work/startup.json" 1); e=$(mean "$work/startup2.json" 1)
  row "first command, creating the store (\`init\`)" "$(ms "$c")" "$(ratio "$c" "$v")× \`--version\` ($(ms "$v"))" "target < 3×"
  row "a command on an existing empty store (\`shop list\`)" "$(ms "$e")" "$(ratio "$e" "$(mean "$work/startup2.json" 0)")× \`--version\`" "target < 3×"
}

bench_catalog() {
  local n="${CATALOG_PRODUCTS:-100000}" dir="$work/catalog"
  mkdir -p "$dir"
  python3 scripts/gen_catalog.py --products "$n" --out "$dir" --no-bad-rows 2>/dev/null
  local cols="product_id TEXT PRIMARY KEY,supplier_id,title,brand,category,price,commission_rate,stock,status,market_commission_rate,other_platform_price,tags,sale_start,sale_end,description"
  hyperfine -N --runs "${RUNS:-5}" --export-json "$work/catalog.json" \
    --prepare "sh -c 'rm -f $dir/plain.db* $dir/shop.db*'" \
    "sqlite3 $dir/plain.db 'CREATE TABLE products($cols)' '.import --csv --skip 1 $dir/products.csv products'" \
    "$BIN --db $dir/shop.db catalog import --suppliers $dir/suppliers.csv --products $dir/products.csv" >/dev/null
  local base cmd
  base=$(mean "$work/catalog.json" 0); cmd=$(mean "$work/catalog.json" 1)
  rm -f "$dir"/shop.db*
  local mem; mem=$(peak_mib "$BIN" --db "$dir/shop.db" catalog import --suppliers "$dir/suppliers.csv" --products "$dir/products.csv")
  hyperfine -N --runs "${RUNS:-5}" --export-json "$work/catalog-re.json" \
    "$BIN --db $dir/shop.db catalog import --suppliers $dir/suppliers.csv --products $dir/products.csv" >/dev/null
  local re; re=$(mean "$work/catalog-re.json" 0)
  row "\`catalog import\` of $n products" "$(ms "$cmd")" "$(ratio "$cmd" "$base")× \`sqlite3 .import\` ($(ms "$base")); peak ${mem} MiB" "target ≤ 2.0×, < 100 MiB"
  row "the same catalog again (unchanged)" "$(ms "$re")" "$(ratio "$re" "$base")× \`sqlite3 .import\`" ""
  hyperfine -N --warmup 3 --runs 30 --export-json "$work/search.json" \
    "$BIN --version" "$BIN --db $dir/shop.db catalog list --search 面膜" "$BIN --db $dir/shop.db catalog list --search 补水面膜" \
    "$BIN --db $dir/shop.db catalog list" "$BIN --db $dir/shop.db catalog list --category 美妆个护" >/dev/null
  local v s1 s2 l1 l2
  v=$(mean "$work/search.json" 0); s1=$(mean "$work/search.json" 1); s2=$(mean "$work/search.json" 2)
  l1=$(mean "$work/search.json" 3); l2=$(mean "$work/search.json" 4)
  row "\`catalog list --search 面膜\` on $n products" "$(ms "$s1")" "$(ratio "$s1" "$v")× \`--version\`" "target < 50 ms"
  row "\`catalog list --search 补水面膜\`" "$(ms "$s2")" "$(ratio "$s2" "$v")× \`--version\`" "target < 50 ms"
  row "\`catalog list\` (best commission first, 50 rows)" "$(ms "$l1")" "$(ratio "$l1" "$v")× \`--version\`" "the best of each category (migration 9)"
  row "\`catalog list --category 美妆个护\`" "$(ms "$l2")" "$(ratio "$l2" "$v")× \`--version\`" ""
}

# A store with the example catalog, one shop, 60 picks and their links, opened 100 days
# before BENCH_NOW; then an order feed of N orders through those links.
NOW="${BENCH_NOW:-2026-11-21T09:30:00+08:00}"
OPENED="${BENCH_OPENED:-2026-08-13T09:30:00+08:00}"
make_order_store() {  # $1 = folder, $2 = number of orders
  local dir="$1" n="$2"
  mkdir -p "$dir"
  rm -f "$dir"/base.db*
  SHOPCTL_NOW="$OPENED" "$BIN" --db "$dir/base.db" open-shop --member m1 --name 小美好物 --credit-score 720 --verified >/dev/null
  SHOPCTL_NOW="$OPENED" "$BIN" --db "$dir/base.db" catalog import --suppliers examples/catalog/suppliers.csv \
    --products examples/catalog/products.csv >/dev/null
  local ids; ids=$(SHOPCTL_NOW="$OPENED" "$BIN" --db "$dir/base.db" pick-products suggest --limit 60 --json | jq -r '.[].product_id')
  # shellcheck disable=SC2086
  SHOPCTL_NOW="$OPENED" "$BIN" --db "$dir/base.db" pick-products add $ids >/dev/null
  for id in $ids; do SHOPCTL_NOW="$OPENED" "$BIN" --db "$dir/base.db" share-link "$id" --channel wechat-group >/dev/null; done
  SHOPCTL_NOW="$OPENED" "$BIN" --db "$dir/base.db" share-link --storefront >/dev/null
  "$BIN" --db "$dir/base.db" share-link list --limit 0 --json > "$dir/links.json"
  SHOPCTL_NOW="$OPENED" "$BIN" --db "$dir/base.db" catalog list --limit 0 --json > "$dir/catalog.json"
  python3 scripts/gen_orders.py --links "$dir/links.json" --catalog "$dir/catalog.json" --orders "$n" --now "$NOW" \
    --out "$dir/orders.csv" 2>/dev/null
}

# The peak memory of importing the orders file $2 into a fresh copy of $1/base.db.
peak_import() {  # $1 = dir, $2 = file
  sh -c "rm -f $1/shop.db*; cp $1/base.db $1/shop.db"
  SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$1/shop.db" orders import "$2"
}

# The same orders in two files, each imported into a fresh copy of $1/base.db, in alternation
# (paired): sets A_TIME and B_TIME (mean seconds) and A_PEAK and B_PEAK (MiB).
two_files() {  # $1 = dir, $2 = json out, $3 = runs, $4 = first file, $5 = second file
  paired "$3" "$2" "sh -c 'rm -f $1/shop.db*; cp $1/base.db $1/shop.db'" \
    "env SHOPCTL_NOW=$NOW $BIN --db $1/shop.db orders import $4" "env SHOPCTL_NOW=$NOW $BIN --db $1/shop.db orders import $5"
  A_TIME=$(mean "$2" 0); B_TIME=$(mean "$2" 1)
  A_PEAK=$(peak_import "$1" "$4"); B_PEAK=$(peak_import "$1" "$5")
}

bench_gb18030() {  # the same orders in UTF-8 and in GB18030 (read by --encoding auto), in one hyperfine run
  local n="${ORDERS:-1000000}" dir="$work/gb18030"
  make_order_store "$dir" "$n"
  # Chinese in every row (订单 before each order id), so that the two files differ: gen_orders.py writes ASCII only.
  python3 -c 'import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(True)
text = lines[0] + "".join("订单" + l for l in lines[1:])
open(sys.argv[2], "w", encoding="utf-8").write(text)
open(sys.argv[3], "wb").write(text.encode("gb18030"))' "$dir/orders.csv" "$dir/orders-utf8.csv" "$dir/orders-gb18030.csv"
  two_files "$dir" "$work/gb18030.json" "${RUNS:-5}" "$dir/orders-utf8.csv" "$dir/orders-gb18030.csv"
  row "\`orders import\` of $n orders in GB18030 ($(du -m "$dir/orders-gb18030.csv" | cut -f1) MB, \`--encoding auto\`)" "$(ms "$B_TIME")" \
    "$(ratio "$B_TIME" "$A_TIME")× the same orders in UTF-8 ($(ms "$A_TIME"), $(du -m "$dir/orders-utf8.csv" | cut -f1) MB), $(spread "$work/gb18030.json"); peak ${B_PEAK} MiB (UTF-8: ${A_PEAK} MiB)" \
    "target ≈ 1.0×, < 100 MiB"
}

bench_xlsx() {  # the same orders as UTF-8 CSV and as an .xlsx workbook made from it by scripts/gen_xlsx.py
  local n="${ORDERS:-1000000}" dir="$work/xlsx"
  make_order_store "$dir" "$n"
  # As Excel holds such a report: times as date serials (their +08:00 wall-clock time, read back in the store's zone), ids as text.
  python3 scripts/gen_xlsx.py from-csv "$dir/orders.csv" "$dir/orders.xlsx" --dates paid_at,status_at \
    --text order_id,product_id,share_token
  two_files "$dir" "$work/xlsx.json" "${RUNS:-3}" "$dir/orders.csv" "$dir/orders.xlsx"
  row "\`orders import\` of $n orders, UTF-8 CSV ($(du -m "$dir/orders.csv" | cut -f1) MB)" "$(ms "$A_TIME")" "peak ${A_PEAK} MiB" ""
  row "\`orders import\` of $n orders, .xlsx ($(du -m "$dir/orders.xlsx" | cut -f1) MB)" "$(ms "$B_TIME")" \
    "$(ratio "$B_TIME" "$A_TIME")× the CSV, $(spread "$work/xlsx.json"); peak ${B_PEAK} MiB" "target ≤ 2.5×, ≤ 100 MiB"
}

# Shuffles the data rows of a CSV file (records, not lines: a quoted field may hold a line break).
shuffle_csv() {  # $1 = in, $2 = out
  python3 -c 'import csv, random, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
body = rows[1:]; random.Random(17).shuffle(body)
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows[:1] + body)' "$1" "$2"
}

# One row of a shape: shopctl against the sqlite3 shell on the same file, wall time, CPU and peak of both.
shape_row() {  # $1 = what, $2 = hyperfine json, $3 = shopctl peak MiB, $4 = baseline peak MiB
  local b c
  b=$(mean "$2" 0); c=$(mean "$2" 1)
  row "$1" "$(ms "$c")" "$(ratio "$c" "$b")× \`sqlite3 .import\` ($(ms "$b")), $(spread "$2"); peak $3 MiB" \
    "CPU $(cpu "$2" 1) (sqlite3: $(cpu "$2" 0), peak $4 MiB)"
}

bench_shapes() {  # one orders file in three shapes, each against the sqlite3 shell importing the same file
  local n="${ORDERS:-1000000}" dir="$work/shapes"
  make_order_store "$dir" "$n"
  shuffle_csv "$dir/orders.csv" "$dir/shuffled.csv"
  python3 scripts/gen_orders.py --links "$dir/links.json" --catalog "$dir/catalog.json" --orders "$n" --now "$NOW" \
    --reject-all --out "$dir/rejected.csv" 2>/dev/null
  local f
  for f in orders shuffled rejected; do
    local fresh="sh -c 'rm -f $dir/shop.db* $dir/plain.db; cp $dir/base.db $dir/shop.db'"
    local baseline="sqlite3 $dir/plain.db 'CREATE TABLE orders($order_baseline_cols)' '.import --csv --skip 1 $dir/$f.csv orders'"
    paired "${RUNS:-3}" "$work/shape-$f.json" "$fresh" \
      "$baseline" "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders import $dir/$f.csv"
    local mem bmem
    sh -c "rm -f $dir/shop.db* $dir/plain.db; cp $dir/base.db $dir/shop.db"
    mem=$(SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$dir/shop.db" orders import "$dir/$f.csv")
    bmem=$(peak_mib sqlite3 "$dir/plain.db" "CREATE TABLE orders($order_baseline_cols)" ".import --csv --skip 1 $dir/$f.csv orders")
    local what="payment order"
    case $f in shuffled) what="shuffled" ;; rejected) what="all rejected (tokens of another store)" ;; esac
    shape_row "\`orders import\` of $n orders, $what" "$work/shape-$f.json" "$mem" "$bmem"
  done
}

bench_catalog_shapes() {  # one products file in id order and shuffled, each against the sqlite3 shell importing it
  local n="${CATALOG_PRODUCTS:-100000}" dir="$work/catalog-shapes"
  mkdir -p "$dir"
  python3 scripts/gen_catalog.py --products "$n" --out "$dir" --no-bad-rows 2>/dev/null
  shuffle_csv "$dir/products.csv" "$dir/shuffled.csv"
  # The suppliers are stored first, so that both sides import the products file alone.
  rm -f "$dir"/base.db*
  "$BIN" --db "$dir/base.db" catalog import --suppliers "$dir/suppliers.csv" >/dev/null
  local cols="product_id TEXT PRIMARY KEY,supplier_id,title,brand,category,price,commission_rate,stock,status,market_commission_rate,other_platform_price,tags,sale_start,sale_end,description"
  local f
  for f in products shuffled; do
    local fresh="sh -c 'rm -f $dir/shop.db* $dir/plain.db; cp $dir/base.db $dir/shop.db'"
    paired "${RUNS:-5}" "$work/catalog-shape-$f.json" "$fresh" \
      "sqlite3 $dir/plain.db 'CREATE TABLE products($cols)' '.import --csv --skip 1 $dir/$f.csv products'" \
      "$BIN --db $dir/shop.db catalog import --products $dir/$f.csv"
    local mem bmem
    sh -c "rm -f $dir/shop.db* $dir/plain.db; cp $dir/base.db $dir/shop.db"
    mem=$(peak_mib "$BIN" --db "$dir/shop.db" catalog import --products "$dir/$f.csv")
    bmem=$(peak_mib sqlite3 "$dir/plain.db" "CREATE TABLE products($cols)" ".import --csv --skip 1 $dir/$f.csv products")
    shape_row "\`catalog import --products\` of $n products, $([ $f = products ] && echo "in id order" || echo shuffled)" \
      "$work/catalog-shape-$f.json" "$mem" "$bmem"
  done
}

bench_rejects() {
  local n="${ORDERS:-1000000}" dir="$work/rejects"
  make_order_store "$dir" "$n"
  python3 scripts/gen_orders.py --links "$dir/links.json" --catalog "$dir/catalog.json" --orders "$n" --now "$NOW" \
    --reject-all --out "$dir/rejected.csv" 2>/dev/null
  local fresh="sh -c 'rm -f $dir/shop.db* $dir/rejects.csv; cp $dir/base.db $dir/shop.db'"
  hyperfine -N --runs "${RUNS:-5}" --export-json "$work/rejects.json" --prepare "$fresh" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders import $dir/orders.csv" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders import $dir/rejected.csv" \
    "sh -c 'SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db --json orders import $dir/rejected.csv >/dev/null'" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders import $dir/rejected.csv --rejects $dir/rejects.csv" >/dev/null
  local valid; valid=$(mean "$work/rejects.json" 0)
  local i what mem t
  for i in 0 1 2 3; do
    sh -c "rm -f $dir/shop.db* $dir/rejects.csv; cp $dir/base.db $dir/shop.db"
    case $i in
      0) what="\`orders import\` of $n valid orders (for comparison)"
         mem=$(SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$dir/shop.db" orders import "$dir/orders.csv") ;;
      1) what="\`orders import\` of $n rejected rows (human form)"
         mem=$(SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$dir/shop.db" orders import "$dir/rejected.csv") ;;
      2) what="the same with \`--json\` (stdout to /dev/null)"
         mem=$(SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$dir/shop.db" --json orders import "$dir/rejected.csv") ;;
      3) what="the same with \`--rejects FILE\`"
         mem=$(SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$dir/shop.db" orders import "$dir/rejected.csv" --rejects "$dir/rejects.csv") ;;
    esac
    t=$(mean "$work/rejects.json" "$i")
    row "$what" "$(ms "$t")" "$(ratio "$t" "$valid")× the valid import; peak ${mem} MiB" "target ≤ 100 MiB"
  done
}

order_baseline_cols="order_id TEXT PRIMARY KEY,product_id,quantity,unit_price,paid_at,status,share_token,status_at,refunded,self_purchase,buyer_id"

bench_orders() {
  local n="${ORDERS:-1000000}" dir="$work/orders"
  make_order_store "$dir" "$n"
  hyperfine -N --runs "${RUNS:-5}" --export-json "$work/orders.json" \
    --prepare "sh -c 'rm -f $dir/plain.db* $dir/shop.db*; cp $dir/base.db $dir/shop.db'" \
    "sqlite3 $dir/plain.db 'CREATE TABLE orders($order_baseline_cols)' '.import --csv --skip 1 $dir/orders.csv orders'" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders import $dir/orders.csv" >/dev/null
  local base cmd
  base=$(mean "$work/orders.json" 0); cmd=$(mean "$work/orders.json" 1)
  rm -f "$dir"/shop.db*; cp "$dir/base.db" "$dir/shop.db"
  local mem; mem=$(SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$dir/shop.db" orders import "$dir/orders.csv")
  hyperfine -N --runs "${RUNS:-5}" --export-json "$work/orders-re.json" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders import $dir/orders.csv" >/dev/null
  local re; re=$(mean "$work/orders-re.json" 0)
  local remem; remem=$(SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$dir/shop.db" orders import "$dir/orders.csv")
  row "\`orders import\` of $n orders ($(du -m "$dir/orders.csv" | cut -f1) MB CSV)" "$(ms "$cmd")" \
    "$(ratio "$cmd" "$base")× \`sqlite3 .import\` ($(ms "$base")); peak ${mem} MiB" "target ≤ 2.0×, < 100 MiB"
  row "the same $n orders again (all unchanged)" "$(ms "$re")" "$(ratio "$re" "$cmd")× the first import; peak ${remem} MiB" "target ≤ 1.0×"
  hyperfine -N --warmup 3 --runs 20 --export-json "$work/list.json" \
    "$BIN --version" "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders list --limit 50" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders list --status refunded --limit 50" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders list --product $(jq -r '.[0].product_id' "$dir/links.json") --limit 50" >/dev/null
  local v; v=$(mean "$work/list.json" 0)
  row "\`orders list --limit 50\` on $n orders" "$(ms "$(mean "$work/list.json" 1)")" "$(ratio "$(mean "$work/list.json" 1)" "$v")× \`--version\`" "instant"
  row "\`orders list --status refunded --limit 50\`" "$(ms "$(mean "$work/list.json" 2)")" "$(ratio "$(mean "$work/list.json" 2)" "$v")× \`--version\`" ""
  row "\`orders list --product P --limit 50\`" "$(ms "$(mean "$work/list.json" 3)")" "$(ratio "$(mean "$work/list.json" 3)" "$v")× \`--version\`" ""
}

bench_earnings() {
  local dir="$work/orders"
  [ -f "$dir/shop.db" ] || bench_orders >/dev/null
  hyperfine -N --warmup 3 --runs 30 --export-json "$work/earnings.json" \
    "$BIN --version" "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db earnings" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db earnings report --by month" >/dev/null
  local v e r n
  v=$(mean "$work/earnings.json" 0); e=$(mean "$work/earnings.json" 1); r=$(mean "$work/earnings.json" 2)
  n=$(sqlite3 "$dir/shop.db" 'SELECT count(*) FROM orders')
  row "\`earnings\` on $n orders" "$(ms "$e")" "$(ratio "$e" "$v")× \`--version\` ($(ms "$v"))" "target < 5×"
  row "\`earnings report --by month\` on $n orders" "$(ms "$r")" "$(ratio "$r" "$v")× \`--version\`" "target < 5×"
}

bench_scale() {
  local dir="$work/scale"
  make_order_store "$dir" 1000000
  for n in 10000 100000 1000000; do
    head -n $((n + 1)) "$dir/orders.csv" > "$dir/o$n.csv"
    hyperfine -N --runs 1 --export-json "$work/scale$n.json" \
      --prepare "sh -c 'rm -f $dir/plain.db* $dir/shop.db*; cp $dir/base.db $dir/shop.db'" \
      "sqlite3 $dir/plain.db 'CREATE TABLE orders($order_baseline_cols)' '.import --csv --skip 1 $dir/o$n.csv orders'" \
      "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders import $dir/o$n.csv" >/dev/null
    local b c size
    b=$(mean "$work/scale$n.json" 0); c=$(mean "$work/scale$n.json" 1)
    size=$(du -m "$dir/shop.db" | cut -f1)
    rm -f "$dir"/plain.db*
    sqlite3 "$dir/plain.db" "CREATE TABLE orders($order_baseline_cols)" ".import --csv --skip 1 $dir/o$n.csv orders"
    row "scale: $n orders" "$(ms "$c")" "$(ratio "$c" "$b")× \`sqlite3 .import\`; store ${size} MB (baseline table $(du -m "$dir/plain.db" | cut -f1) MB)" \
      "$(python3 -c "print(f'{float($c)*1e6/$n:.1f}')") µs/order"
  done
}

write_doc() {
  local doc=docs/performance.md tmp
  tmp=$(mktemp)
  {
    echo "<!-- bench:begin (generated by scripts/bench.sh all; do not edit by hand) -->"
    echo
    echo "Run of $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(. /etc/os-release; echo "$PRETTY_NAME"), $(swift --version 2>&1 | head -1 | sed 's/ (.*//'), SQLite $(sqlite3 --version | cut -d' ' -f1), release build."
    echo "Command: \`scripts/bench.sh all\` (ORDERS=${ORDERS:-1000000}, CATALOG_PRODUCTS=${CATALOG_PRODUCTS:-100000}, RUNS=${RUNS:-5});"
    echo "every ratio is against a baseline measured in the same run (hyperfine means; the row-order rows alternate the two commands round by round, with the rounds' spread and median; memory: GNU time maximum resident set)."
    echo
    echo "| what | time | ratio | target / note |"
    echo "|---|---|---|---|"
    cat "$RESULTS"
    echo
    echo "<!-- bench:end -->"
  } > "$tmp"
  python3 - "$doc" "$tmp" <<'PY'
import sys, re
doc, new = sys.argv[1], open(sys.argv[2]).read()
text = open(doc).read()
pattern = re.compile(r"<!-- bench:begin.*?<!-- bench:end -->\n?", re.S)
text = pattern.sub(lambda m: new, text) if pattern.search(text) else text.replace("\n## ", "\n" + new + "\n## ", 1)
open(doc, "w").write(text)
PY
  rm -f "$tmp"
  echo "wrote $doc"
}

bench_reconcile() {  # statements made from the store (sqlite3 → CSV, shuffled), reconciled against it; peak memory
  local n="${ORDERS:-1000000}" dir="$work/reconcile"
  make_order_store "$dir" "$n"
  rm -f "$dir"/shop.db*; cp "$dir/base.db" "$dir/shop.db"
  SHOPCTL_NOW="$NOW" "$BIN" --db "$dir/shop.db" orders import "$dir/orders.csv" >/dev/null
  local lines sizes="${STATEMENT_LINES:-100000 1000000}"
  for lines in $sizes; do
    [ "$lines" -le "$n" ] || lines="$n"
    sqlite3 -readonly -csv -header "$dir/shop.db" \
      "SELECT order_id, printf('%d.%02d', (commission_fen + bonus_fen) / 100, (commission_fen + bonus_fen) % 100) AS commission,
              CASE status WHEN 'confirmed' THEN 'settled' WHEN 'refunded' THEN 'invalid' ELSE 'pending' END AS status
       FROM orders ORDER BY random() LIMIT $lines" > "$dir/statement-$lines.csv"
    hyperfine -N --runs "${RUNS:-5}" --export-json "$work/reconcile-$lines.json" \
      "sqlite3 :memory: 'CREATE TABLE s(order_id TEXT, commission TEXT, status TEXT)' '.import --csv --skip 1 $dir/statement-$lines.csv s'" \
      "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db reconcile $dir/statement-$lines.csv" >/dev/null
    local b c mem
    b=$(mean "$work/reconcile-$lines.json" 0); c=$(mean "$work/reconcile-$lines.json" 1)
    mem=$(SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$dir/shop.db" reconcile "$dir/statement-$lines.csv")
    row "\`reconcile\` of $lines statement lines, store of $n orders" "$(ms "$c")" \
      "$(ratio "$c" "$b")× \`sqlite3 .import\` of the same CSV ($(ms "$b")); peak ${mem} MiB" ""
    # Every line a difference: the rendering is streamed from a spool, memory stays flat.
    python3 -c 'import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines(True)
out = [lines[0]] + [l.replace(",", "9,", 1) if i % 2 else l.split(",")[0] + ",0.01,pending\n" for i, l in enumerate(lines[1:])]
open(sys.argv[2], "w", encoding="utf-8").writelines(out)' "$dir/statement-$lines.csv" "$dir/differing-$lines.csv"
    mem=$( (SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$dir/shop.db" --json reconcile "$dir/differing-$lines.csv") || true)
    row "the same, every line a difference (\`--json\`, stdout to /dev/null)" "" "peak ${mem} MiB" ""
  done
}

case "$what" in
  startup) bench_startup ;;
  catalog) bench_catalog ;;
  orders) bench_orders ;;
  earnings) bench_earnings ;;
  scale) bench_scale ;;
  rejects) bench_rejects ;;
  shapes) bench_shapes ;;
  catalog-shapes) bench_catalog_shapes ;;
  gb18030) bench_gb18030 ;;
  reconcile) bench_reconcile ;;
  xlsx) bench_xlsx ;;
  all) bench_startup; bench_catalog; bench_catalog_shapes; bench_orders; bench_earnings; bench_shapes; bench_scale; bench_rejects
    bench_gb18030; bench_xlsx; bench_reconcile; write_doc ;;
  *) echo "usage: scripts/bench.sh [startup|catalog|catalog-shapes|orders|earnings|scale|rejects|shapes|gb18030|xlsx|reconcile|all]" >&2; exit 2 ;;
esac
