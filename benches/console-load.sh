#!/usr/bin/env bash
# The console under a fleet's reports (docs/performance.md): SCREENS
# simulated screens (examples/console_load/) each posting its /status
# document every INTERVAL seconds for SECONDS, against one `rankwall
# console` on 127.0.0.1; a screenshot is uploaded whenever the console asks
# (the first report of each screen). Not a test: a measurement to rerun.
#
#   cargo build --release --bin rankwall --example console_load && benches/console-load.sh [SCREENS] [INTERVAL] [SECONDS]
#
# Push mode: the same screens also hold the push channel (GET /api/wait);
# once all hold it an emergency is published through the 紧急插播 form, and
# the delay until each screen has fetched the new config is printed.
#
#   benches/console-load.sh push [SCREENS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=reports
if [ "${1:-}" = push ]; then MODE=push; shift; fi
SCREENS="${1:-500}"; INTERVAL="${2:-10}"; SECONDS_="${3:-60}"
if [ "$MODE" = push ]; then SECONDS_="${2:-60}"; fi
# Each simulated screen holds two connections (reports, push channel).
ulimit -n "$(ulimit -Hn)"
BIN=target/release/rankwall; LOAD=target/release/examples/console_load
WORK="$(mktemp -d /tmp/rankwall-console-load.XXXXXX)"
PORT=9589
cleanup() { kill "$CONSOLE" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
"$LOAD" enrol "$WORK/data" "$SCREENS"
"$BIN" console --data "$WORK/data" --addr "127.0.0.1:$PORT" 2>"$WORK/console.log" & CONSOLE=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
echo "console idle RSS: $(awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$CONSOLE/status)"
if [ "$MODE" = push ]; then
  "$LOAD" push "http://127.0.0.1:$PORT" "$SCREENS" "$SECONDS_" "$CONSOLE"
else
  "$LOAD" run "http://127.0.0.1:$PORT/api/report" "$SCREENS" "$INTERVAL" "$SECONDS_" "$CONSOLE"
fi
echo "database: $(du -h "$WORK/data/console.sqlite3" | cut -f1) (+ WAL $(du -h "$WORK/data/console.sqlite3-wal" 2>/dev/null | cut -f1))"
