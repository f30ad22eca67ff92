#!/usr/bin/env bash
# The slow-body attack against the API at default settings (bench profile, loopback only, bounded): 2,000
# connections from 127.0.0.2 announce 10 MiB bodies and trickle 2 KB/s for SLOW_SECONDS (default 30) while
# 127.0.0.3 sends one signed delivery a second. Prints the API's resident (VmRSS) and committed (VmData) memory
# before and at peak; exits non-zero if either grew by 300 MB or more, or if a signed delivery was not answered 200.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
seconds=${SLOW_SECONDS:-30}
connections=${SLOW_CONNECTIONS:-2000}
work=$(mktemp -d)
secret=slow-shopify-secret

source build/bench/common.sh
pids_cleanup_work() { rm -rf "$work"; }
trap 'cleanup; pids_cleanup_work' EXIT

echo "building (Release)…" >&2
publish_api "$work/app"
dotnet build build/Webhooks.Bench -c Release -nologo -v quiet >/dev/null
psql_db postgres -c "DROP DATABASE IF EXISTS slow WITH (FORCE)" -c "CREATE DATABASE slow"

export ConnectionStrings__Webhooks="Host=127.0.0.1;Port=17432;Username=postgres;Database=slow"
export Webhooks__Sources__shopify__Provider=shopify Webhooks__Sources__shopify__Secrets__0=$secret ASPNETCORE_ENVIRONMENT=Production
dotnet "$work/app/Webhooks.Api.dll" --contentRoot "$work/app" --urls http://127.0.0.1:17012 > "$work/api.log" 2>&1 &
api_pid=$!
pids+=($api_pid)
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:17012/api/v1/health/ready >/dev/null && break; sleep 0.5; done
curl -sf http://127.0.0.1:17012/api/v1/health/ready >/dev/null || { echo "API did not become ready" >&2; exit 1; }

mem() { awk -v k="$1" '$1 == k":" { print int($2 / 1024) }' "/proc/$api_pid/status"; }
rss0=$(mem VmRSS); data0=$(mem VmData)
threads0=$(awk '$1 == "Threads:" { print $2 }' "/proc/$api_pid/status")
( peak_rss=0; peak_data=0; peak_threads=0
  while kill -0 "$api_pid" 2>/dev/null; do
    r=$(mem VmRSS); d=$(mem VmData); t=$(awk '$1 == "Threads:" { print $2 }' "/proc/$api_pid/status")
    [ "$r" -gt "$peak_rss" ] && peak_rss=$r; [ "$d" -gt "$peak_data" ] && peak_data=$d; [ "$t" -gt "$peak_threads" ] && peak_threads=$t
    echo "$peak_rss $peak_data $peak_threads" > "$work/peak"; sleep 0.5
  done ) &
pids+=($!)

echo "slow bodies: $connections connections for $seconds s…" >&2
dotnet build/Webhooks.Bench/bin/Release/net10.0/Webhooks.Bench.dll slow-bodies --api http://127.0.0.1:17012 \
  --secret "$secret" --connections "$connections" --seconds "$seconds" --rate 2048 | tee "$work/result.txt"
sleep 1
read -r rss_peak data_peak threads_peak < "$work/peak"
kill -0 "$api_pid" 2>/dev/null || { echo "the API died" >&2; exit 1; }

printf '%-34s %10s %10s %10s\n' "API memory (MB)" before peak growth
printf '%-34s %10d %10d %10d\n' "resident (VmRSS)" "$rss0" "$rss_peak" $((rss_peak - rss0))
printf '%-34s %10d %10d %10d\n' "committed (VmData)" "$data0" "$data_peak" $((data_peak - data0))
printf '%-34s %10d %10d %10d\n' "threads" "$threads0" "$threads_peak" $((threads_peak - threads0))
ok=$(awk -F= '$1 == "signed_ok" { print $2 }' "$work/result.txt")
bad=$(awk -F= '$1 == "signed_failed" { print $2 }' "$work/result.txt")
verdict=0
[ $((rss_peak - rss0)) -lt 300 ] || { echo "FAIL: resident memory grew by 300 MB or more"; verdict=1; }
[ $((data_peak - data0)) -lt 300 ] || { echo "FAIL: committed memory grew by 300 MB or more"; verdict=1; }
[ "${bad:-1}" = 0 ] && [ "${ok:-0}" -gt 0 ] || { echo "FAIL: $bad signed deliveries were not answered 200"; verdict=1; }
[ "$verdict" = 0 ] && echo "PASS: memory bounded, $ok signed deliveries answered 200 meanwhile"
exit "$verdict"
