#!/usr/bin/env bash
# Building a month (issue 26): `rankwall feed build` of the example city's
# November sheets (13 townships, 70 villages) with HOUSEHOLDS households
# (5,000 by default) on the red and black lists, signed, into a fresh
# history each run, N runs (10 by default). Not a test: a measurement to
# rerun and compare. Usage:
#   cargo build --release && benches/publish.sh [runs] [households]
# Prints every run's wall time and peak RSS (GNU time), then the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-10}"
HOUSEHOLDS="${2:-5000}"
BIN="${RANKWALL_BIN:-target/release/rankwall}"
WORK="$(mktemp -d /tmp/rankwall-publish.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
python3 - "$HOUSEHOLDS" "$WORK/households.csv" <<'PY'
import csv, sys
n, out = int(sys.argv[1]), sys.argv[2]
villages = [r for r in csv.reader(open("assets/publish/2026-11-villages.csv", encoding="utf-8"))][1:]
with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["姓名", "乡镇", "村", "事由", "榜单"])
    for k in range(n):
        v = villages[k % len(villages)]
        red = k % 4 != 0
        w.writerow([f"{'王李张刘陈杨赵黄'[k % 8]}{'建国秀英桂兰志强'[(k // 8) % 8]}{k}", v[1], v[0],
                    "三好一庭院" if red else "柴草乱堆", "红榜" if red else "黑榜"])
PY
"$BIN" feed keygen --out "$WORK/keys" >/dev/null
for i in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN" feed build --scheme assets/publish/assessment.toml \
    --month 2026-11 --history "$WORK/history-$i" --out "$WORK/feed-$i.json" --key "$WORK/keys/feed-signing.key" \
    assets/publish/2026-11-townships.csv assets/publish/2026-11-villages.csv "$WORK/households.csv" >/dev/null
  cat "$WORK/time" >> "$WORK/all"
  read -r secs kib < "$WORK/time"
  echo "run $i: ${secs} s, peak RSS $((kib / 1024)) MiB"
done
sort -n -k1 "$WORK/all" | awk '{t[NR]=$1} END {print "median wall:", t[int((NR+1)/2)], "s"}'
sort -n -k2 "$WORK/all" | awk '{m[NR]=$2} END {printf "median peak RSS: %d MiB\n", m[int((NR+1)/2)]/1024}'
echo "document: $(wc -c < "$WORK/feed-1.json") bytes"
