#!/usr/bin/env bash
# Soak: a steady open-loop load (SOAK_RATE webhooks/s, default 200) for SOAK_SECONDS (default 600) against the API
# in Release on private PostgreSQL and RabbitMQ (bench profile), sampling the API's resident memory every 10 s.
# Prints the samples and a verdict; exits non-zero if memory keeps growing (last minute's mean more than 20 % above
# the mean of minutes 2–3, once warmed up), if any event is missing, or if the API dies. Loopback only, bounded.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${SOAK_SECONDS:-600}
rate=${SOAK_RATE:-200}
work="$root/.services/bench/soak"
secret=soak-shopify-secret

source build/bench/common.sh

rm -rf "$work" && mkdir -p "$work"
echo "building (Release)…" >&2
publish_api "$work/app"
dotnet build build/Webhooks.Bench -c Release -nologo -v quiet >/dev/null
psql_db postgres -c "DROP DATABASE IF EXISTS soak WITH (FORCE)" -c "CREATE DATABASE soak"

export ConnectionStrings__Webhooks="Host=127.0.0.1;Port=17432;Username=postgres;Database=soak"
export Webhooks__Sources__shopify__Provider=shopify Webhooks__Sources__shopify__Secrets__0=$secret
export ASPNETCORE_ENVIRONMENT=Production  # the default configuration, as users run it
dotnet "$work/app/Webhooks.Api.dll" --contentRoot "$work/app" --urls http://127.0.0.1:17012 > "$work/api.log" 2>&1 &
api_pid=$!
pids+=($api_pid)
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:17012/api/v1/health/ready >/dev/null && break; sleep 0.5; done
curl -sf http://127.0.0.1:17012/api/v1/health/ready >/dev/null || { echo "API did not become ready" >&2; exit 1; }

( while kill -0 "$api_pid" 2>/dev/null; do
    awk -v t="$(date +%s)" '/VmRSS/ { printf "%d %.1f\n", t, $2 / 1024 }' "/proc/$api_pid/status"; sleep 10
  done ) > "$work/rss.txt" &
pids+=($!)

echo "soak: $rate webhooks/s for $seconds s…" >&2
dotnet build/Webhooks.Bench/bin/Release/net10.0/Webhooks.Bench.dll e2e --api http://127.0.0.1:17012 \
  --amqp "$ConnectionStrings__RabbitMq" --secret "$secret" --sequential 0 --rate "$rate" --seconds "$seconds" > "$work/load.txt"
kill -0 "$api_pid" 2>/dev/null || { echo "the API died during the soak" >&2; exit 1; }

cat "$work/load.txt"
echo "rss samples (MB, every 10 s):"
awk '{ printf "%s ", $2 } END { print "" }' "$work/rss.txt"
python3 - "$work/rss.txt" "$work/load.txt" <<'PY'
import sys
samples = [float(l.split()[1]) for l in open(sys.argv[1]) if l.strip()]
load = dict(l.strip().split("=", 1) for l in open(sys.argv[2]) if "=" in l)
if len(samples) < 12:
    print("too few samples for a verdict"); sys.exit(1)
warm = samples[6:18] or samples[6:]
last = samples[-6:]
base, end = sum(warm) / len(warm), sum(last) / len(last)
growth = (end - base) / base
print(f"rss start {samples[0]:.0f} MB, warmed {base:.0f} MB, end {end:.0f} MB, peak {max(samples):.0f} MB, growth after warm-up {growth:+.1%}")
print(f"sent {load.get('e2e_sent')}, missing events {load.get('e2e_missing')}, e2e p50 {load.get('e2e_p50_ms')} ms, p99 {load.get('e2e_p99_ms')} ms")
ok = growth <= 0.20 and load.get("e2e_missing") == "0"
print("soak: PASS" if ok else "soak: FAIL")
sys.exit(0 if ok else 1)
PY
