#!/usr/bin/env bash
# The caching layer, measured (docs/fleet.md): N simulated screens (real
# pollers, examples/fleet_sim.rs) against nginx (Debian's package, started
# here on 127.0.0.1 with assets/nginx/rankwall-feed.conf) in front of
# `rankwall demo-server`. Not a test: a measurement to rerun and compare.
#
#   cargo build --release --example fleet_sim && benches/fleet-sim.sh steady  [SCREENS] [SECONDS]
#   cargo build --release --example fleet_sim && benches/fleet-sim.sh outage  [SCREENS]
#
# steady: nothing changes; requests/s at nginx, origin requests/min, p99
#         latency, bytes on the wire per screen per day.
# outage: a new document every 120 s; the origin is killed at 180 s and
#         started again at 480 s; origin requests per minute around the
#         recovery, and how long each new document takes to reach 99 %.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE="${1:-steady}"; SCREENS="${2:-2000}"; SECONDS_="${3:-300}"
BIN=target/release/rankwall; SIM=target/release/examples/fleet_sim
WORK="$(mktemp -d /tmp/rankwall-fleet.XXXXXX)"
cleanup() { kill "$ORIGIN" 2>/dev/null || true; nginx -p "$WORK" -c nginx.conf -s stop 2>/dev/null || true; }
trap cleanup EXIT
mkdir -p "$WORK/logs" "$WORK/cache"
sed -e "s#/var/cache/nginx/rankwall-feed#$WORK/cache#" -e "s#/var/log/nginx/rankwall-feed.log#$WORK/logs/feed.log#" \
  assets/nginx/rankwall-feed.conf > "$WORK/rankwall-feed.conf"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log warn;
events { worker_connections 8192; }
http { access_log off; include $WORK/rankwall-feed.conf; }
NGINX
# nginx's workers run as www-data when started by root: let them at the cache.
if [ "$(id -u)" = 0 ]; then chmod 0755 "$WORK"; chown -R www-data "$WORK/cache" "$WORK/logs"; fi
start_origin() { "$BIN" demo-server --addr 127.0.0.1:8080 --change-every "$1" >>"$WORK/logs/origin.log" 2>&1 & ORIGIN=$!; }
nginx -p "$WORK" -c nginx.conf
if [ "$MODE" = steady ]; then
  start_origin 0; sleep 1
  "$SIM" http://127.0.0.1:8081/feed.json "$SCREENS" 60 "$SECONDS_" "$WORK/screens" > "$WORK/sim.txt"
else
  SECONDS_=720; start_origin 120; sleep 1
  "$SIM" http://127.0.0.1:8081/feed.json "$SCREENS" 60 "$SECONDS_" "$WORK/screens" > "$WORK/sim.txt" &
  SIMPID=$!
  sleep 180; kill "$ORIGIN"; echo "origin down at $(date +%s.%N)" > "$WORK/events"
  sleep 300; start_origin 120; echo "origin up at $(date +%s.%N)" >> "$WORK/events"
  wait "$SIMPID"
fi
tail -n 4 "$WORK/sim.txt"
python3 - "$WORK" "$MODE" "$SCREENS" <<'PY'
import sys, collections
work, mode, screens = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [l.split(' ', 7) for l in open(f"{work}/logs/feed.log")]
t0, t1 = float(rows[0][0]), float(rows[-1][0]); span = t1 - t0
import datetime, re
def iso(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
origin = [iso(re.sub(r"\x1b\[[0-9;]*m", "", l).split()[0]) for l in open(f"{work}/logs/origin.log") if "request" in l and "feed.json" in l]
per_s = collections.Counter(int(float(r[0]) - t0) for r in rows)
print(f"nginx: {len(rows)} requests in {span:.0f} s = {len(rows)/span:.1f} req/s; "
      f"origin: {len(origin)} = {len(origin)/span*60:.1f} per minute")
print("nginx requests per minute:", [sum(v for k, v in per_s.items() if m * 60 <= k < (m + 1) * 60) for m in range(int(span // 60))])
print("busiest second of each minute:", [max([v for k, v in per_s.items() if m * 60 <= k < (m + 1) * 60] or [0]) for m in range(int(span // 60))])
steady = [r for r in rows if float(r[0]) >= t0 + 60 and r[1] == "304"]
if steady:
    b = sum(int(r[2]) + int(r[3]) for r in steady)
    print(f"a 304 poll: {b/len(steady):.0f} HTTP bytes; at one poll a minute: {b/len(steady)*1440/1e6:.2f} MB per screen per day")
print("statuses:", dict(collections.Counter(r[1] for r in rows)))
if mode != "steady":
    ev = dict(l.split(" at ") for l in open(f"{work}/events").read().splitlines())
    down, up = float(ev["origin down"]), float(ev["origin up"])
    def per_min(a, b): return sum(1 for t in origin if a <= t < b) / ((b - a) / 60)
    print(f"origin requests/min: steady before the outage {per_min(t0 + 60, down):.1f}; "
          f"first minute after recovery {per_min(up, up + 60):.1f}; second {per_min(up + 60, up + 120):.1f}")
    failed = sum(1 for r in rows if down <= float(r[0]) < up and r[1] not in ('200', '304'))
    print(f"answers other than 200/304 while the origin was down: {failed}")
PY
echo "work folder: $WORK"
trap - EXIT; cleanup
