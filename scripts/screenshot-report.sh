#!/usr/bin/env bash
# Makes docs/report-screenshot.png: the demo's `earnings report --html` page as headless Chromium
# shows it 390 px wide (a phone), with a fixed clock so that the picture changes only when the page
# does. Needs a built shopctl (swift build), chromium and python3.
#
#     scripts/screenshot-report.sh            # writes docs/report-screenshot.png (replaces it)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${SHOPCTL_BIN:-.build/debug/shopctl}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export SHOPCTL_NOW=2026-11-21T21:00:00+08:00 SHOPCTL_LANG=zh_CN
"$bin" demo --db "$tmp/shop.db" >/dev/null
"$bin" --db "$tmp/shop.db" earnings report --html "$tmp/report.html"
mkdir -p "$tmp/profile"
HOME="$tmp/profile" chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile" \
  --screenshot="$tmp/report.png" --window-size=390,1600 "file://$tmp/report.html" >/dev/null 2>&1
python3 scripts/png_colours.py "$tmp/report.png" e4572e
cp "$tmp/report.png" docs/report-screenshot.png
echo "wrote docs/report-screenshot.png"
