#!/usr/bin/env bash
# Benchmarks of shopctl, each measured against a baseline run in the same invocation
# (the machines are shared and noisy: only ratios are meaningful).
#
#   scripts/bench.sh startup     first command on an empty store vs `shopctl --version`
#   scripts/bench.sh catalog     import of 100,000 products vs the sqlite3 shell's .import; search latency
#   scripts/bench.sh orders      import of 1,000,000 orders vs the sqlite3 shell's .import; memory; re-import; listing
#   scripts/bench.sh earnings    earnings and earnings report --by month on that store vs `shopctl --version`
# Environment: ORDERS (default 1000000), CATALOG_PRODUCTS (100000), RUNS (3), BENCH_DIR (a temp folder).
#   scripts/bench.sh all         every benchmark
#
# Needs: hyperfine (apt-get install hyperfine), sqlite3, python3. Builds shopctl in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
work="${BENCH_DIR:-$(mktemp -d /tmp/shopctl-bench-XXXXXX)}"
mkdir -p "$work"
swift build -c release >/dev/null
BIN="$(swift build -c release --show-bin-path)/shopctl"
command -v hyperfine >/dev/null || { echo "bench: hyperfine is needed (apt-get install hyperfine)" >&2; exit 2; }

mean() { jq -r ".results[$2].mean" "$1"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }
ms() { python3 -c "import sys; print(f'{float(sys.argv[1])*1000:.1f} ms')" "$1"; }

bench_startup() {
  hyperfine -N --warmup 5 --runs 40 --export-json "$work/startup.json" \
    --prepare "rm -rf $work/empty" \
    "$BIN --version" "$BIN --db $work/empty/shop.db shop list" >/dev/null
  local base cmd
  base=$(mean "$work/startup.json" 0); cmd=$(mean "$work/startup.json" 1)
  echo "startup: --version $(ms "$base"); first command on an empty store $(ms "$cmd"); ratio $(ratio "$cmd" "$base") (target < 3)"
}

# Peak resident memory of a command, in MiB (GNU time).
peak_mib() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1/1024}'; }

bench_catalog() {
  local n="${CATALOG_PRODUCTS:-100000}" dir="$work/catalog"
  mkdir -p "$dir"
  python3 scripts/gen_catalog.py --products "$n" --out "$dir" --no-bad-rows 2>/dev/null
  local cols="product_id TEXT PRIMARY KEY,supplier_id,title,brand,category,price,commission_rate,stock,status,market_commission_rate,other_platform_price,tags,sale_start,sale_end,description"
  # Baseline: the sqlite3 shell importing the same CSV into a plain table with a primary key.
  hyperfine -N --runs 5 --export-json "$work/catalog.json" \
    --prepare "rm -f $dir/plain.db $dir/plain.db-wal $dir/shop.db $dir/shop.db-wal $dir/shop.db-shm" \
    "sqlite3 $dir/plain.db 'CREATE TABLE products($cols)' '.import --csv --skip 1 $dir/products.csv products'" \
    "$BIN --db $dir/shop.db catalog import --suppliers $dir/suppliers.csv --products $dir/products.csv" >/dev/null
  local base cmd
  base=$(mean "$work/catalog.json" 0); cmd=$(mean "$work/catalog.json" 1)
  rm -f "$dir/shop.db"*
  local mem
  mem=$(peak_mib "$BIN" --db "$dir/shop.db" catalog import --suppliers "$dir/suppliers.csv" --products "$dir/products.csv")
  hyperfine -N --runs 3 --export-json "$work/catalog-re.json" \
    "$BIN --db $dir/shop.db catalog import --suppliers $dir/suppliers.csv --products $dir/products.csv" >/dev/null
  local re; re=$(mean "$work/catalog-re.json" 0)
  echo "catalog import ($n products): sqlite3 .import $(ms "$base"); shopctl $(ms "$cmd"); ratio $(ratio "$cmd" "$base") (target ≤ 2.0); peak memory ${mem} MiB (target < 100); re-import unchanged $(ms "$re")"
  hyperfine -N --warmup 3 --runs 30 --export-json "$work/search.json" \
    "$BIN --version" "$BIN --db $dir/shop.db catalog list --search 面膜" "$BIN --db $dir/shop.db catalog list --search 补水面膜" \
    "$BIN --db $dir/shop.db catalog list --category 美妆个护 --sort rate" >/dev/null
  echo "catalog list ($n products): --version $(ms "$(mean "$work/search.json" 0)"); --search 面膜 $(ms "$(mean "$work/search.json" 1)") ($(ratio "$(mean "$work/search.json" 1)" "$(mean "$work/search.json" 0)")×); --search 补水面膜 $(ms "$(mean "$work/search.json" 2)"); --category --sort rate $(ms "$(mean "$work/search.json" 3)") (target < 50 ms)"
}

# A store with the example catalog, one shop, 60 picks and their links, opened 100 days
# before $BENCH_NOW; then an order feed of N orders through those links.
NOW="${BENCH_NOW:-2026-11-21T09:30:00+08:00}"
OPENED="${BENCH_OPENED:-2026-08-13T09:30:00+08:00}"
make_order_store() {  # $1 = folder, $2 = number of orders
  local dir="$1" n="$2"
  mkdir -p "$dir"
  rm -f "$dir"/base.db*
  SHOPCTL_NOW="$OPENED" "$BIN" --db "$dir/base.db" open-shop --member m1 --name 小美好物 --credit-score 720 --verified >/dev/null
  SHOPCTL_NOW="$OPENED" "$BIN" --db "$dir/base.db" catalog import --suppliers examples/catalog/suppliers.csv --products examples/catalog/products.csv >/dev/null
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

bench_orders() {
  local n="${ORDERS:-1000000}" dir="$work/orders"
  make_order_store "$dir" "$n"
  local cols="order_id TEXT PRIMARY KEY,product_id,quantity,unit_price,paid_at,status,share_token,status_at,refunded,self_purchase,buyer_id"
  hyperfine -N --runs "${RUNS:-3}" --export-json "$work/orders.json" \
    --prepare "sh -c 'rm -f $dir/plain.db* $dir/shop.db*; cp $dir/base.db $dir/shop.db'" \
    "sqlite3 $dir/plain.db 'CREATE TABLE orders($cols)' '.import --csv --skip 1 $dir/orders.csv orders'" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders import $dir/orders.csv" >/dev/null
  local base cmd
  base=$(mean "$work/orders.json" 0); cmd=$(mean "$work/orders.json" 1)
  rm -f "$dir"/shop.db*; cp "$dir/base.db" "$dir/shop.db"
  local mem; mem=$(SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$dir/shop.db" orders import "$dir/orders.csv")
  hyperfine -N --runs "${RUNS:-3}" --export-json "$work/orders-re.json" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders import $dir/orders.csv" >/dev/null
  local re; re=$(mean "$work/orders-re.json" 0)
  local remem; remem=$(SHOPCTL_NOW="$NOW" peak_mib "$BIN" --db "$dir/shop.db" orders import "$dir/orders.csv")
  echo "orders import ($n orders, $(du -m "$dir/orders.csv" | cut -f1) MB): sqlite3 .import $(ms "$base"); shopctl $(ms "$cmd"); ratio $(ratio "$cmd" "$base") (target ≤ 2.0); peak memory ${mem} MiB (target < 100); re-import of the same file $(ms "$re") ($(ratio "$re" "$cmd")× the first; peak ${remem} MiB); store $(du -m "$dir/shop.db" | cut -f1) MB"
  hyperfine -N --warmup 3 --runs 20 --export-json "$work/list.json" \
    "$BIN --version" "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders list --limit 50" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders list --status refunded --limit 50" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db orders list --product $(jq -r '.[0].product_id' "$dir/links.json") --limit 50" >/dev/null
  echo "orders list on $n orders: --version $(ms "$(mean "$work/list.json" 0)"); latest 50 $(ms "$(mean "$work/list.json" 1)") ($(ratio "$(mean "$work/list.json" 1)" "$(mean "$work/list.json" 0)")×); --status refunded $(ms "$(mean "$work/list.json" 2)"); --product $(ms "$(mean "$work/list.json" 3)")"
}

bench_earnings() {
  local dir="$work/orders"
  [ -f "$dir/shop.db" ] || bench_orders >/dev/null
  hyperfine -N --warmup 3 --runs 30 --export-json "$work/earnings.json" \
    "$BIN --version" "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db earnings" \
    "env SHOPCTL_NOW=$NOW $BIN --db $dir/shop.db earnings report --by month" >/dev/null
  local v e r
  v=$(mean "$work/earnings.json" 0); e=$(mean "$work/earnings.json" 1); r=$(mean "$work/earnings.json" 2)
  echo "earnings on $(sqlite3 "$dir/shop.db" 'SELECT count(*) FROM orders') orders: --version $(ms "$v"); earnings $(ms "$e") ($(ratio "$e" "$v")×, target < 5); earnings report --by month $(ms "$r") ($(ratio "$r" "$v")×, target < 5)"
}

case "$what" in
  startup) bench_startup ;;
  catalog) bench_catalog ;;
  orders) bench_orders ;;
  earnings) bench_earnings ;;
  all) bench_startup; bench_catalog; bench_orders; bench_earnings ;;
  *) echo "usage: scripts/bench.sh [startup|catalog|orders|earnings|all]" >&2; exit 2 ;;
esac
