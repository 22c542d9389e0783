#!/usr/bin/env bash
# Benchmarks of shopctl, each measured against a baseline run in the same invocation
# (the machines are shared and noisy: only ratios are meaningful).
#
#   scripts/bench.sh startup     first command on an empty store vs `shopctl --version`
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

case "$what" in
  startup) bench_startup ;;
  all) bench_startup ;;
  *) echo "usage: scripts/bench.sh [startup|all]" >&2; exit 2 ;;
esac
