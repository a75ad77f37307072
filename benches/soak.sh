#!/usr/bin/env bash
# Accelerated soak of the display client (#15 item 4): `rankwall run --headless`
# at 1280x720 with 1-second pages, fades and slides and a marquee item, fed by
# `rankwall demo-server --change-every 2` over loopback, while
#   - the config file is rewritten every 30 s, every other rewrite invalid (a
#     bad time or an unknown key: the reload must refuse it and keep the old
#     config), and
#   - the feed server is killed every 3 minutes and restarted 20 s later.
# Not a test: a measurement to rerun and compare; it passes or fails nothing.
# Usage:
#   cargo build --release --bin rankwall && benches/soak.sh MINUTES
# Every 10 s it samples the client's resident memory (VmRSS), open
# descriptors, threads, CPU ticks and the time its threads spent runnable but
# waiting for a CPU (schedstat: how busy the machine was) from /proc; frames,
# feed outcome, data age, config hash and play-log health from its GET
# /status; and the HTTP code of /healthz. The samples go to a CSV file that is
# kept: $SOAK_CSV, else /tmp/rankwall-soak-<time>.csv, with the client's and
# the feed server's logs and the proof-of-play log beside it (.client.log,
# .feed.log, .played.jsonl). At the end it prints RSS at minute 2 and at the
# end (growth in %), the range of descriptors and threads, mean CPU, frames,
# the /healthz non-200 samples (during a feed outage or not), the config
# reloads accepted and refused (from the client's log) and whether the client
# was still alive. CPU and frame figures depend on what else the machine runs
# (lavapipe renders on the CPU).
# Ports: $SOAK_FEED_PORT and $SOAK_STATUS_PORT, else free ones.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${1:?usage: benches/soak.sh MINUTES}"
[[ "$MINUTES" =~ ^[0-9]+$ && "$MINUTES" -ge 3 ]] || { echo "MINUTES must be a whole number, at least 3" >&2; exit 2; }
BIN="${RANKWALL_BIN:-target/release/rankwall}"
[[ -x "$BIN" ]] || { echo "no $BIN: cargo build --release --bin rankwall (or set RANKWALL_BIN)" >&2; exit 2; }
for tool in curl jq python3; do
  command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
done
BIN="$(realpath "$BIN")"
CSV="${SOAK_CSV:-/tmp/rankwall-soak-$(date +%Y%m%d-%H%M%S).csv}"
CSV="$(realpath -m "$CSV")"
mkdir -p "$(dirname "$CSV")"
WORK="$(mktemp -d /tmp/rankwall-soak.XXXXXX)"
export XDG_RUNTIME_DIR="$WORK/xdg"; mkdir -m 0700 "$XDG_RUNTIME_DIR"
unset JOURNAL_STREAM             # log to stderr even under systemd
export NO_COLOR=1 RUST_LOG="${RUST_LOG:-rankwall=info,wgpu_hal=off,warn}"
TICKS=$(getconf CLK_TCK)
SAMPLE=10 REWRITE=30 OUTAGE_EVERY=180 OUTAGE=20

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
FEED_PORT="${SOAK_FEED_PORT:-$(free_port)}"
STATUS_PORT="${SOAK_STATUS_PORT:-$(free_port)}"
[[ "$FEED_PORT" != "$STATUS_PORT" ]] || STATUS_PORT=$((FEED_PORT + 1))

CLIENT="" FEED=""
cleanup() {
  local pid
  for pid in $CLIENT $FEED $(jobs -p); do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in $CLIENT $FEED $(jobs -p); do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  cp "$WORK/client.log" "${CSV%.csv}.client.log" 2>/dev/null || true
  cp "$WORK/feed.log" "${CSV%.csv}.feed.log" 2>/dev/null || true
  cp "$WORK/played.jsonl" "${CSV%.csv}.played.jsonl" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The feed server: started, and killed for OUTAGE seconds every OUTAGE_EVERY.
feed_start() {
  echo "--- $(date -u +%FT%TZ) start" >> "$WORK/feed.log"
  "$BIN" demo-server --addr "127.0.0.1:$FEED_PORT" --change-every 2 >> "$WORK/feed.log" 2>&1 &
  FEED=$!
  local i
  for i in $(seq 50); do
    curl -s -o /dev/null -m 1 "http://127.0.0.1:$FEED_PORT/feed.json" && return 0
    sleep 0.1
  done
  echo "warning: the feed server did not answer within 5 s of its start (see ${CSV%.csv}.feed.log)" >&2
}
feed_stop() {
  echo "--- $(date -u +%FT%TZ) kill" >> "$WORK/feed.log"
  kill -TERM "$FEED" 2>/dev/null || true
  wait "$FEED" 2>/dev/null || true
  FEED=""
}

# The config: the same feed, status and play log in every variant (they are
# read at start only); valid variants change the playlist, invalid ones carry
# one error each, alternating a bad time and an unknown key.
write_config() {
  local n="$1" kind="$2" first_kind="fade" second_kind="slide" speed=600 extra="" bad_key=""
  if (( n % 4 == 2 )); then first_kind="slide" second_kind="fade" speed=480; fi
  case "$kind" in
    bad-time) extra='windows = [{ from = "25:61", until = "23:00" }]' ;;
    unknown-key) bad_key='duraton = 1' ;;
  esac
  cat > "$WORK/soak.toml.new" <<TOML
# soak rewrite $n ($kind)
[screen]
id = "soak"
[feed]
url = "http://127.0.0.1:$FEED_PORT/feed.json"
poll_interval = 1
timeout = 5
backoff_max = 5
[status]
addr = "127.0.0.1:$STATUS_PORT"
play_log = "$WORK/played.jsonl"

[[playlist]]
select = { level = "township" }
duration = 1
transition = { kind = "$first_kind", duration = 0.3 }
$extra

[[playlist]]
select = { level = "village" }
duration = 1
transition = { kind = "$second_kind", duration = 0.4 }
$bad_key

[[playlist]]
select = { list = "red" }
duration = 1
transition = { kind = "$first_kind", duration = 0.3 }

[[playlist]]
select = { list = "black" }
scroll = true
scroll_speed = $speed
max_time = 10
transition = { kind = "$second_kind", duration = 0.4 }

[[playlist]]
select = { notices = true }
duration = 1
TOML
  mv "$WORK/soak.toml.new" "$WORK/soak.toml"
  echo "$n,$kind,$(sha256sum "$WORK/soak.toml" | cut -c1-64)" >> "$WORK/rewrites"
}

feed_start
write_config 0 valid
"$BIN" run --headless --size 1280x720 --config "$WORK/soak.toml" --cache-dir "$WORK/cache" \
  > "$WORK/client.log" 2>&1 &
CLIENT=$!
START=$(date +%s)
STATUS="http://127.0.0.1:$STATUS_PORT"
for _ in $(seq 120); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' -m 2 "$STATUS/healthz" || true)" == 200 ]] && break
  kill -0 "$CLIENT" 2>/dev/null || { echo "the client exited at start:" >&2; tail -20 "$WORK/client.log" >&2; exit 1; }
  sleep 0.5
done
echo "soak: $MINUTES min, client pid $CLIENT, feed on :$FEED_PORT, status on :$STATUS_PORT, samples in $CSV"

echo "t_s,utc,feed_up,rss_kb,fds,threads,cpu_ticks,cpu_pct,runq_wait_ms,frames,status_rss_kb,state,item,feed_outcome,feed_failures,data_stale,data_age_s,config_sha12,config_variant,play_log_ok,play_log_lost,healthy,healthz,healthz_reason" > "$CSV"
STATUS_JQ='[ .frames_presented, ((.rss_bytes // 0) / 1024 | floor), .showing.state, (.showing.item // ""),
  (.feed.last_outcome | if . == null then "" elif .code then .kind + ":" + .code else .kind end),
  (.feed.consecutive_failures // ""), .data.stale, (.data.age_secs // ""), (.config.sha256 // "" | .[0:12]),
  (.play_log.ok // ""), (.play_log.lost_entries // ""), .healthy ] | map(tostring | gsub("[,\n]"; ";")) | join(",")'
EMPTY_STATUS=",,,,,,,,,,,"

variant_of() {  # the rewrite whose file has this hash prefix
  awk -F, -v h="$1" 'h != "" && substr($3, 1, 12) == h { v = $1 ":" $2 } END { print v }' "$WORK/rewrites"
}

k=0 rewrites=0 feed_up=1 prev_ticks="" prev_wall="" alive=1
TOTAL=$((MINUTES * 60))
while (( (k + 1) * SAMPLE <= TOTAL )); do
  k=$((k + 1)); t=$((k * SAMPLE))
  now=$(date +%s); (( START + t > now )) && sleep $((START + t - now))
  # Events due at this tick, then the sample.
  if (( t % OUTAGE_EVERY == 0 )); then feed_stop; feed_up=0; fi
  if (( feed_up == 0 && t % OUTAGE_EVERY == OUTAGE )); then feed_start; feed_up=1; fi
  if (( t % REWRITE == 0 )); then
    rewrites=$((rewrites + 1))
    case $((rewrites % 4)) in
      1) write_config "$rewrites" bad-time ;;
      3) write_config "$rewrites" unknown-key ;;
      *) write_config "$rewrites" valid ;;
    esac
  fi
  if ! kill -0 "$CLIENT" 2>/dev/null || [[ ! -r /proc/$CLIENT/status ]]; then alive=0; break; fi
  wall=$(date +%s.%N)
  read -r rss threads < <(awk '/^VmRSS:/ {r = $2} /^Threads:/ {t = $2} END {print r, t}' "/proc/$CLIENT/status")
  ticks=$(awk '{print $14 + $15}' "/proc/$CLIENT/stat")
  fds=$(ls "/proc/$CLIENT/fd" | wc -l)
  waited=$(cat "/proc/$CLIENT"/task/*/schedstat 2>/dev/null | awk '{ w += $2 } END { printf "%.0f", w / 1e6 }')
  cpu=""
  [[ -n "$prev_ticks" ]] && cpu=$(awk -v d="$((ticks - prev_ticks))" -v hz="$TICKS" -v a="$prev_wall" -v b="$wall" 'BEGIN { printf "%.1f", 100 * d / hz / (b - a) }')
  prev_ticks=$ticks prev_wall=$wall
  doc=$(curl -s -m 5 "$STATUS/status" | jq -r "$STATUS_JQ" 2>/dev/null || true)
  [[ -n "$doc" ]] || doc="$EMPTY_STATUS"
  sha=$(cut -d, -f9 <<< "$doc")
  code=$(curl -s -o "$WORK/healthz" -w '%{http_code}' -m 5 "$STATUS/healthz" || true)
  reason=""
  [[ "$code" == 200 ]] || reason=$(tr ',\n' '; ' < "$WORK/healthz" 2>/dev/null | cut -c1-160)
  IFS=, read -r frames srss state item outcome failures stale age _ plok lost healthy <<< "$doc"
  echo "$t,$(date -u +%FT%TZ),$feed_up,$rss,$fds,$threads,$ticks,$cpu,$waited,$frames,$srss,$state,$item,$outcome,$failures,$stale,$age,$sha,$(variant_of "$sha"),$plok,$lost,$healthy,$code,$reason" >> "$CSV"
done
# Give the last rewrite time to be read (two checks a second apart) before counting.
sleep 3
kill -0 "$CLIENT" 2>/dev/null || alive=0

echo
echo "== soak summary: $MINUTES min asked, $(tail -n +2 "$CSV" | wc -l) samples every ${SAMPLE} s, 1280x720 headless, $(nproc) cores =="
awk -F, -v hz="$TICKS" -v alive="$alive" '
  NR == 1 { next }
  { n++; t[n] = $1; rss[n] = $4; fds = $5; th = $6; ticks[n] = $7; waited[n] = $9; frames[n] = $10
    if (n == 1 || fds < fmin) fmin = fds; if (n == 1 || fds > fmax) fmax = fds
    if (n == 1 || th < tmin) tmin = th;   if (n == 1 || th > tmax) tmax = th
    if (rss2 == "" && $1 >= 120) { rss2 = $4; t2 = $1 }
    if ($23 != "200") { if ($3 == "0") bad_down++; else { bad_up++; badlist = badlist sprintf("\n    t=%s s code=%s %s", $1, $23, $24) } }
  }
  END {
    if (n == 0) { print "no samples"; exit }
    if (rss2 == "") { rss2 = rss[1]; t2 = t[1] }
    printf "RSS: %.1f MiB at t=%d s (minute 2), %.1f MiB at the end (t=%d s): %+.2f %%\n", rss2/1024, t2, rss[n]/1024, t[n], 100*(rss[n]-rss2)/rss2
    printf "open descriptors: min %d, max %d; threads: min %d, max %d\n", fmin, fmax, tmin, tmax
    if (n > 1) printf "CPU: mean %.1f %% of one core (t=%d..%d s); frames presented: %s (%.1f/s over that window)\n", 100*(ticks[n]-ticks[1])/hz/(t[n]-t[1]), t[1], t[n], frames[n], (frames[n]-frames[1])/(t[n]-t[1])
    if (n > 1) printf "its threads waited for a CPU (runnable, not running) %.1f %% of one core (all threads; high: the machine was busy, CPU and frame figures are noisy)\n", 100*(waited[n]-waited[1])/1000/(t[n]-t[1])
    printf "/healthz non-200: %d of %d samples; %d while the feed server was down (stale by design), %d while it was up%s\n", bad_down + bad_up, n, bad_down, bad_up, badlist
    printf "client alive at the end: %s\n", alive ? "yes" : "NO"
  }' "$CSV"
LOG="$WORK/client.log"
valid_written=$(grep -c ',valid,' "$WORK/rewrites" || true); valid_written=$((valid_written - 1))
invalid_written=$(grep -vc ',valid,' "$WORK/rewrites" || true)
accepted=$(grep -c 'config reloaded; applies' "$LOG" || true)
# One refusal logs one line per diagnostic: lines less than 5 s apart are one refusal.
refused=$(grep 'config change refused, keeping the old config' "$LOG" \
  | sed -nE 's/^([0-9-]+)T([0-9]+):([0-9]+):([0-9.]+).*/\1 \2 \3 \4/p' \
  | awk '{ split($1, d, "-"); s = d[3] * 86400 + $2 * 3600 + $3 * 60 + $4; if (NR == 1 || s - last > 5) c++; last = s } END { print c + 0 }')
wrong=$(awk -F, 'NR > 1 && $19 != "" && $19 !~ /:valid$/' "$CSV" | wc -l)
echo "config rewrites: $valid_written valid, $invalid_written invalid; client log: $accepted reloads accepted, $refused refused (keeping the old config)"
echo "samples whose config in force was an invalid rewrite: $wrong"
if [[ "$alive" == 1 ]]; then
  echo "client alive: pid $CLIENT after $(( $(date +%s) - START )) s"
else
  echo "client DIED; last lines of its log:"; tail -20 "$LOG"
fi
echo "samples: $CSV (beside it: .client.log, .feed.log, .played.jsonl)"
[[ "$alive" == 1 ]]
