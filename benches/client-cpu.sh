#!/usr/bin/env bash
# CPU and memory of `rankwall run` under Xvfb at 1920x1080 (lavapipe here).
# Not a test: a measurement to rerun and compare. Usage:
#   cargo build --release && benches/client-cpu.sh [seconds] [static] [marquee] [playlist]
# Prints, for a static slide, a continuous marquee and a playlist of four
# slides (township board, village board, red list, notice; 5 s a page, 0.6 s
# fades): CPU time used over the window (as % of one core, the process and
# its threads), frames presented per second (from the client's /metrics),
# for the playlist the frames per second during its fades, and the peak
# resident memory (VmHWM) with the resident and proportional (PSS: shared
# pages split among the processes that map them) memory at the end.
# PRESENT=gpu or PRESENT=cpu forces the window's presentation ([screen]
# present; default auto: the CPU path on lavapipe).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_MEASURE="${1:-60}"
shift || true
MODES="${*:-static marquee playlist}"
PRESENT="${PRESENT:-auto}"
BIN="${RANKWALL_BIN:-target/release/rankwall}"
WORK="$(mktemp -d /tmp/rankwall-bench.XXXXXX)"
export XDG_RUNTIME_DIR="$WORK/xdg"; mkdir -m 0700 "$XDG_RUNTIME_DIR"
DISPLAY_NUM=${DISPLAY_NUM:-97}
Xvfb ":$DISPLAY_NUM" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
XVFB=$!
trap 'kill $XVFB 2>/dev/null; rm -rf "$WORK"' EXIT
sleep 1
export DISPLAY=":$DISPLAY_NUM"
TICKS=$(getconf CLK_TCK)

cat > "$WORK/static.toml" <<TOML
[screen]
size = "monitor"
present = "$PRESENT"
[status]
addr = "127.0.0.1:9479"
[[playlist]]
select = { level = "township" }
duration = 100000
TOML
cat > "$WORK/marquee.toml" <<TOML
[screen]
size = "monitor"
present = "$PRESENT"
[status]
addr = "127.0.0.1:9479"
[[playlist]]
select = { list = "red" }
scroll = true
scroll_speed = 120
TOML

# Four slides, a page every 5 s with a 0.6 s fade between pages; the longer
# slides show two of their pages a turn (max_time = 10).
cat > "$WORK/playlist.toml" <<TOML
[screen]
size = "monitor"
present = "$PRESENT"
[status]
addr = "127.0.0.1:9479"
[[playlist]]
board = "towns-2026-11"
duration = 5
transition = { kind = "fade", duration = 0.6 }
[[playlist]]
board = "villages-2026-11"
duration = 5
max_time = 10
transition = { kind = "fade", duration = 0.6 }
[[playlist]]
list = "red-2026-11"
duration = 5
max_time = 10
transition = { kind = "fade", duration = 0.6 }
[[playlist]]
notice = "winter-2026"
duration = 5
transition = { kind = "fade", duration = 0.6 }
TOML

frames() {
  curl -s 127.0.0.1:9479/metrics | awk '/^rankwall_frames_presented_total/ {print $2}'
}

measure() {
  local name="$1" config="$2"
  NO_COLOR=1 "$BIN" run --config "$config" 2>"$WORK/$name.log" &
  local pid=$!
  sleep 5   # start-up (instance, shaders, first frames) is not counted
  local t0; t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
  local f0; f0=$(frames)
  sleep "$SECONDS_TO_MEASURE"
  local t1; t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
  local f1; f1=$(frames)
  local hwm; hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  local rss; rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  local pss; pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
  kill -TERM "$pid"; wait "$pid" || true
  local presentation; presentation=$(grep -o 'presentation=[^ ]*' "$WORK/$name.log" | head -1)
  awk -v n="$name" -v d="$((t1 - t0))" -v hz="$TICKS" -v s="$SECONDS_TO_MEASURE" -v m="$hwm" -v r="$rss" -v q="$pss" -v f="$((f1 - f0))" -v p="$presentation" \
    'BEGIN { printf "%-8s CPU %6.2f %% of one core over %d s, %.1f frames/s, peak RSS %.1f MiB, at the end RSS %.1f MiB and PSS %.1f MiB (%s)\n", n, 100*d/hz/s, s, f/s, m/1024, r/1024, q/1024, p }'
  if [ "$name" = playlist ]; then
    # A page every 5 s: that many fades of 0.6 s in the window, and one
    # still frame after each; the other frames are the fades'.
    awk -v f="$((f1 - f0))" -v s="$SECONDS_TO_MEASURE" \
      'BEGIN { t = int(s / 5); printf "         %d fades, %.1f frames/s during them\n", t, (f - t) / (t * 0.6) }'
  fi
}

for mode in $MODES; do
  measure "$mode" "$WORK/$mode.toml"
done
