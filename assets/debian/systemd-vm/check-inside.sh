#!/bin/sh
# Runs inside the VM at boot (rankwall-vm-check.service): exercises the
# installed rankwall.service under the real systemd and prints one
# RANKWALL-VM line per check to the serial console, then powers off.
set -u
say() { echo "RANKWALL-VM $*" > /dev/ttyS0; echo "RANKWALL-VM $*"; }
prop() { systemctl show -p "$1" --value rankwall; }
now() { date +%s.%N; }
since() { echo "$(now) $1" | awk '{printf "%.1f", $1 - $2}'; }
wait_for() { # SECONDS CONDITION...: polls every 0.2 s; 0 when it held in time
  limit=$1; shift; t=$(now)
  while :; do
    if "$@"; then return 0; fi
    if [ "$(echo "$(now) $t $limit" | awk '{print ($1 - $2 > $3)}')" = 1 ]; then return 1; fi
    sleep 0.2
  done
}
active() { [ "$(prop ActiveState)" = active ]; }
restarted_from() { [ "$(prop NRestarts)" -gt "$1" ] && active && [ "$(prop MainPID)" != 0 ]; }

say "systemd $(systemctl --version | head -1 | cut -d' ' -f2); rankwall $(rankwall --version | cut -d' ' -f2)"
systemd-analyze verify /lib/systemd/system/rankwall.service >/tmp/verify.txt 2>&1 && say "PASS verify: systemd-analyze verify rankwall.service" || say "FAIL verify: $(tr '\n' ' ' </tmp/verify.txt)"

# 1. READY=1 only after the first frame: `systemctl start` of a Type=notify
# unit returns when READY=1 arrives; the frame count must already be >= 1.
t=$(now)
if systemctl start rankwall; then
  took=$(since "$t")
  frames=$(curl -fs http://127.0.0.1:9470/status | sed -n 's/.*"frames_presented": *\([0-9]*\).*/\1/p')
  first=$(journalctl -u rankwall -o cat | grep -m1 -i "first frame" || true)
  if active && [ "${frames:-0}" -ge 1 ]; then
    say "PASS ready: active ${took} s after start, frames_presented=${frames} when start returned (${first})"
  else
    say "FAIL ready: state $(prop ActiveState), frames_presented=${frames:-none}"
  fi
else
  say "FAIL ready: systemctl start failed: $(journalctl -u rankwall -o cat | tail -5 | tr '\n' ' ')"
fi

# 2. The watchdog: the test hook stops the screen thread; systemd must kill
# and restart the service within WatchdogSec (plus RestartSec and a start).
wd=$(prop WatchdogUSec); n=$(prop NRestarts); pid=$(prop MainPID); t=$(now)
kill -USR2 "$pid"
if wait_for 90 restarted_from "$n"; then
  why=$(journalctl -u rankwall -o cat | grep -m1 -i "watchdog timeout" || echo "no watchdog line")
  say "PASS watchdog: frozen pid $pid replaced by $(prop MainPID) after $(since "$t") s (WatchdogSec=$wd, RestartSec=5 s): $why"
else
  say "FAIL watchdog: after 90 s state $(prop ActiveState), NRestarts $(prop NRestarts), pid $(prop MainPID)"
fi

# 3. Restart=always after SIGKILL.
wait_for 60 active
n=$(prop NRestarts); pid=$(prop MainPID); t=$(now)
kill -KILL "$pid"
if wait_for 60 restarted_from "$n"; then
  say "PASS sigkill: killed pid $pid, running again as $(prop MainPID) after $(since "$t") s (NRestarts $(prop NRestarts))"
else
  say "FAIL sigkill: after 60 s state $(prop ActiveState), NRestarts $(prop NRestarts)"
fi

# 4. A clean stop: SIGTERM ends it within TimeoutStopSec, no restart.
t=$(now)
systemctl stop rankwall
say "$( [ "$(prop ActiveState)" = inactive ] && echo PASS || echo FAIL ) stop: $(prop ActiveState) after $(since "$t") s, result $(prop Result)"
say "DONE"
systemctl poweroff
