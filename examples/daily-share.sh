#!/usr/bin/env bash
# Post the daily share plan, slot by slot. Ready for cron: run it every hour during the
# promotion hours and it prints (or writes to a folder) the copy and a poster for the slot
# of the current hour, once.
#
#   # crontab -e   (every hour from 07:00 to 23:00, China time)
#   CRON_TZ=Asia/Shanghai
#   0 7-23 * * *  SHOPCTL_DB=$HOME/shop.db /path/to/examples/daily-share.sh --out $HOME/shares >> $HOME/shares/log.txt 2>&1
#
# Options: --out DIR (write DIR/DATE/HH.txt and HH.svg instead of printing), --channel CH,
#          --all (print every slot of the day, not just the current hour).
# Needs: shopctl on PATH (or $SHOPCTL), jq.
set -euo pipefail

shopctl="${SHOPCTL:-shopctl}"
out="" channel="wechat-moments" all=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --channel) channel="$2"; shift 2 ;;
    --all) all=1; shift ;;
    *) echo "usage: daily-share.sh [--out DIR] [--channel CH] [--all]" >&2; exit 2 ;;
  esac
done
command -v jq >/dev/null || { echo "daily-share.sh needs jq (apt-get install jq)" >&2; exit 2; }

today=$(TZ=Asia/Shanghai date +%F)
hour=$(TZ=Asia/Shanghai date +%H)
# The plan is idempotent: every run of the day gets the same slots and links.
posters=()
# --force: the posters of a day are the same at every run, and rewritten whole.
[ -n "$out" ] && posters=(--posters "$out/$today" --force)
plan=$("$shopctl" share-link daily --date "$today" --channel "$channel" "${posters[@]}" --json)

echo "$plan" | jq -c '.[]' | while read -r slot; do
  time=$(echo "$slot" | jq -r .slot)
  slot_hour=${time:11:2}
  [ "$all" = 1 ] || [ "$slot_hour" = "$hour" ] || continue
  product=$(echo "$slot" | jq -r .product_id)
  text=$(echo "$slot" | jq -r .text)
  if [ -n "$out" ]; then
    dir="$out/$today"; mkdir -p "$dir"
    [ -e "$dir/$slot_hour.txt" ] && continue            # already posted this slot
    printf '%s\n' "$text" > "$dir/$slot_hour.txt"
    echo "$time $product → $dir/$slot_hour.txt (poster $dir/$slot_hour.svg)"
  else
    printf '── %s  %s\n%s\n\n' "$time" "$product" "$text"
  fi
done
