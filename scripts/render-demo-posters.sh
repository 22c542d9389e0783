#!/usr/bin/env bash
# Runs `shopctl demo` and renders its posters as PNG into a folder a person can open:
#
#   scripts/render-demo-posters.sh [OUT]     # OUT defaults to a new folder under /tmp
#
# OUT gets demo.db (the demo's store), one poster per picked product (P….png), the storefront
# poster (storefront.png) and today's plan (daily/HH.png), each next to the JSON shopctl answered
# (….json). When zbarimg (zbar-tools) is installed, every poster's QR code is read back and must be
# its link; the script exits 1 otherwise. Needs rsvg-convert and a Chinese font
# (apt-get install librsvg2-bin fonts-noto-cjk). SHOPCTL=path/to/shopctl uses that binary instead
# of building one.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-}"
if [ -z "$out" ]; then
  out="$(mktemp -d "${TMPDIR:-/tmp}/shopctl-demo-posters-XXXXXX")"
elif [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "render-demo-posters: $out exists and is not empty; give a new or empty folder" >&2
  exit 2
fi
mkdir -p "$out"

if [ -n "${SHOPCTL:-}" ]; then
  bin="$SHOPCTL"
else
  swift build -q >&2
  bin="$(swift build --show-bin-path)/shopctl"
fi

export SHOPCTL_DB="$out/demo.db"
"$bin" demo --db "$SHOPCTL_DB" >"$out/demo.txt"

url_of() { sed -n 's/^ *"url": "\(.*\)",\{0,1\}$/\1/p' "$1"; }

posters=()
urls=()
# The picks, as pick-products list --json lists them.
for id in $("$bin" pick-products list --json | sed -n 's/^ *"product_id": "\(.*\)",$/\1/p'); do
  "$bin" share-link "$id" --channel wechat-moments --poster "$out/$id.png" --json >"$out/$id.json"
  posters+=("$out/$id.png")
  urls+=("$(url_of "$out/$id.json")")
done
"$bin" share-link --storefront --poster "$out/storefront.png" --json >"$out/storefront.json"
posters+=("$out/storefront.png")
urls+=("$(url_of "$out/storefront.json")")
# Today's plan (the demo made it; asking again returns the same links) with a poster per slot.
"$bin" share-link daily --count 6 --posters "$out/daily" --poster-format png --json >"$out/daily.json"
hours=$(sed -n 's/^ *"slot": "[0-9-]*T\([0-9][0-9]\):.*$/\1/p' "$out/daily.json")
daily_urls=$(url_of "$out/daily.json")
paste <(echo "$hours") <(echo "$daily_urls") >"$out/daily/slots.txt"
while read -r hour url; do
  posters+=("$out/daily/$hour.png")
  urls+=("$url")
done <"$out/daily/slots.txt"

status=0
if command -v zbarimg >/dev/null 2>&1; then
  for i in "${!posters[@]}"; do
    read_back="$(zbarimg --raw -q -Sdisable -Sqrcode.enable "${posters[$i]}" 2>/dev/null || true)"
    if [ "$read_back" = "${urls[$i]}" ]; then
      echo "ok    ${posters[$i]#"$out"/}  ${urls[$i]}"
    else
      echo "FAIL  ${posters[$i]#"$out"/}  read '${read_back}', expected ${urls[$i]}" >&2
      status=1
    fi
  done
else
  echo "render-demo-posters: zbarimg not installed (apt-get install zbar-tools): QR codes not read back" >&2
fi
echo "${#posters[@]} posters in $out"
exit $status
