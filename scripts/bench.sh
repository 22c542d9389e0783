#!/usr/bin/env bash
# Benchmarks of shopctl, each measured against a baseline run in the same invocation
# (the machines are shared and noisy: only ratios are meaningful).
#
#   scripts/bench.sh startup     first command on an empty store vs `shopctl --version`
#   scripts/bench.sh catalog     import of 100,000 products vs the sqlite3 shell's .import; search latency
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

case "$what" in
  startup) bench_startup ;;
  catalog) bench_catalog ;;
  all) bench_startup; bench_catalog ;;
  *) echo "usage: scripts/bench.sh [startup|catalog|all]" >&2; exit 2 ;;
esac
