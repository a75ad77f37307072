#!/usr/bin/env bash
# Builds the Debian package and exercises it on this machine (run by .ci/run
# as root): install, run, check the config and the unit, remove, purge.
# Usage: bash assets/debian/check-package.sh   (needs root and dpkg)
#
# RANKWALL_DEB_PROFILE=dev packages the binary `cargo test` already built
# (target/debug/rankwall) instead of building a release one: CI checks the
# packaging (files, unit, user, folders, conffile, purge), not the compiler,
# and a third compile of the whole tree was its slowest step. Unset, the
# package is the release build, as shipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-deb >/dev/null || cargo install cargo-deb --locked --version "^3"
# --no-strip: the release profile already leaves out debug info and keeps the
# symbol table, so a panic's backtrace in the journal names its functions.
case "${RANKWALL_DEB_PROFILE:-release}" in
  release) cargo deb --locked --no-strip ;;
  dev) test -x "target/debug/rankwall" || { echo "no target/debug/rankwall: run cargo test (or cargo build) first" >&2; exit 1; }
       cargo deb --locked --no-build --profile dev --fast ;;
  *) echo "RANKWALL_DEB_PROFILE is release (the default) or dev, not $RANKWALL_DEB_PROFILE" >&2; exit 2 ;;
esac
deb="$(ls -t target/debian/rankwall_*.deb | head -n 1)"
echo "package: $deb ($(stat -c %s "$deb") bytes)"
dpkg-deb --contents "$deb"

dpkg -i "$deb"
rankwall --version
rankwall check --config /etc/rankwall/rankwall.toml
getent passwd rankwall
for dir in /var/cache/rankwall /var/lib/rankwall; do
  test "$(stat -c '%U %a' "$dir")" = "rankwall 700" || { stat "$dir"; exit 1; }
done
unit="$(dpkg -L rankwall | grep '/rankwall.service$')"
echo "unit: $unit"
systemd-analyze verify "$unit"
# Not enabled on install: the operator checks the config first.
test ! -e /etc/systemd/system/multi-user.target.wants/rankwall.service

dpkg -r rankwall
test ! -e /usr/bin/rankwall
test -f /etc/rankwall/rankwall.toml   # a conffile outlives removal
dpkg -P rankwall
test ! -e /etc/rankwall/rankwall.toml
test ! -e /var/cache/rankwall && test ! -e /var/lib/rankwall
echo "package install, check, remove and purge: ok"
