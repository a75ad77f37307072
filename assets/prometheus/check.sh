#!/usr/bin/env bash
# Checks the Prometheus files with Debian's promtool (run by .ci/run):
# the rules parse, their unit tests pass on recorded series, and the scrape
# config is valid (with a throwaway token file in place of the real one).
set -euo pipefail
cd "$(dirname "$0")"
promtool check rules rankwall.rules.yml
promtool test rules rankwall.rules.test.yml
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "a-throwaway-token-for-the-check" > "$work/rankwall.token"
cp rankwall.rules.yml "$work/"
sed -e "s#/etc/prometheus/rankwall.token#$work/rankwall.token#" \
    -e "s#/etc/prometheus/screens.d#$PWD/screens.d#" prometheus.yml > "$work/prometheus.yml"
promtool check config "$work/prometheus.yml"
