#!/usr/bin/env bash
# Checks the shipped Prometheus alert rules (deploy/prometheus): promtool check rules, promtool test rules (their unit
# tests), promtool check metrics on a live scrape of /metrics, and that every metric a rule names is in that scrape.
#   build/check-alert-rules.sh <file holding a scrape of /metrics>
# Installs Debian's prometheus package (for promtool) when missing. Prints "alert rules: passed" or the failure.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
scrape=${1:?usage: build/check-alert-rules.sh <metrics scrape file>}
fail() { echo "alert rules: failed: $*"; exit 1; }

if ! command -v promtool >/dev/null; then
  echo "installing prometheus (Debian package, for promtool)"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; } \
    || fail "could not install promtool"
fi

cd "$root/deploy/prometheus"
out=$(promtool check rules alerts.yml 2>&1) || fail "$out"
out=$(promtool test rules alerts.test.yml 2>&1) || fail "$out"
[ -s "$scrape" ] || fail "no scrape of /metrics in $scrape"
out=$(promtool check metrics < "$scrape" 2>&1) || fail "promtool check metrics: $out"

# Every metric a rule's expression names (the webhooks_* identifiers, recording rules aside) is exported.
missing=""
for metric in $(grep -oE 'webhooks_[a-z_]+' alerts.yml | sort -u); do
  grep -qE "^${metric}(\{| )" "$scrape" || grep -qE "^# TYPE ${metric} " "$scrape" || missing="$missing $metric"
done
[ -z "$missing" ] || fail "the rules name metrics the service does not export:$missing"
echo "alert rules: passed"
