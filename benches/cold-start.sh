#!/usr/bin/env bash
# Cold start of one offscreen frame: `rankwall render --config <one board>
# --at T` at 1920x1080 (or SIZE), run N times (lavapipe here). Not a test: a
# measurement to rerun and compare. Usage:
#   cargo build --release && benches/cold-start.sh [runs] [size]
#   e.g. benches/cold-start.sh 15 3840x2160
# Prints every run's wall time and peak RSS (GNU time), then the median of
# each, and one run's phases (RUST_LOG=rankwall=debug: fonts, page table,
# device, pipelines, frame, PNG).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-15}"
SIZE="${2:-1920x1080}"
BIN="${RANKWALL_BIN:-target/release/rankwall}"
WORK="$(mktemp -d /tmp/rankwall-cold.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export XDG_RUNTIME_DIR="$WORK/xdg"; mkdir -m 0700 "$XDG_RUNTIME_DIR"
cat > "$WORK/board.toml" <<TOML
[screen]
size = "$SIZE"
[status]
addr = "off"
[[playlist]]
select = { level = "township" }
duration = 10
TOML
AT=2026-11-28T10:00:05+08:00
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$BIN" render --config "$WORK/board.toml" --at "$AT" --out "$WORK/out" >/dev/null 2>&1
  cat "$WORK/time" >> "$WORK/all"
done
awk '{ printf "run: %.2f s, %.1f MiB\n", $1, $2/1024 }' "$WORK/all"
sort -n -k1 "$WORK/all" | awk -v n="$RUNS" 'NR == int((n+1)/2) { printf "median wall time: %.3f s\n", $1 }'
sort -n -k2 "$WORK/all" | awk -v n="$RUNS" 'NR == int((n+1)/2) { printf "median peak RSS: %.1f MiB\n", $2/1024 }'
echo "phases of one run:"
RUST_LOG=rankwall=debug "$BIN" render --config "$WORK/board.toml" --at "$AT" --out "$WORK/out" 2>&1 >/dev/null \
  | sed 's/\x1b\[[0-9;]*m//g' | grep -E "DEBUG" | sed -E 's/^[^ ]+ +DEBUG +//'
