#!/usr/bin/env bash
# Where the API's CPU goes on the ingest path: the API at its default configuration (relay running) under the bench's
# provider-shaped load (build/bench/ingest.lua, 32 connections) for 20 s, sampled by perf at 499 Hz with the .NET perf
# map, so JIT-compiled frames have names. Prints the top frames by self time and by inclusive time; the raw report
# stays in .services/bench/profile/. Loopback only, bounded in time. Needs perf (linux-perf); run as a user that may
# profile its own processes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
work="$root/.services/bench/profile"
seconds=${PROFILE_SECONDS:-20}
command -v perf >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
source build/bench/common.sh

rm -rf "$work" && mkdir -p "$work"
echo "building (Release)…" >&2
publish_api "$work/app"
dotnet build build/Webhooks.Bench -c Release -nologo -v quiet >/dev/null
bench="dotnet build/Webhooks.Bench/bin/Release/net10.0/Webhooks.Bench.dll"
psql_db postgres -c "DROP DATABASE IF EXISTS webhooks WITH (FORCE)" -c "CREATE DATABASE webhooks"

export ConnectionStrings__Webhooks="Host=127.0.0.1;Port=17432;Username=postgres;Database=webhooks;Maximum Pool Size=60"
export Webhooks__Admin__ApiKey=bench-admin-key-0123456789abcdefghijkl ASPNETCORE_ENVIRONMENT=Production
export Webhooks__Sources__shopify__Provider=shopify Webhooks__Sources__shopify__Secrets__0=bench-shopify-secret
export Webhooks__Sources__stripe__Provider=stripe Webhooks__Sources__stripe__Secrets__0=whsec_bench_secret
export Webhooks__Sources__github__Provider=github Webhooks__Sources__github__Secrets__0=bench-github-secret
# Names for every frame: the perf map lists JIT-compiled code, and ReadyToRun is off so framework code is compiled
# by the JIT too (precompiled frames would be bare addresses), and W^X is off so JIT code is anonymous memory, where
# perf looks the map up. Only the profile runs so; the benchmark does not.
DOTNET_PerfMapEnabled=1 DOTNET_ReadyToRun=0 DOTNET_EnableWriteXorExecute=0 dotnet "$work/app/Webhooks.Api.dll" --contentRoot "$work/app" --urls http://127.0.0.1:17012 > "$work/api.log" 2>&1 &
api_pid=$!
pids+=($api_pid)
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:17012/api/v1/health/ready >/dev/null && break; sleep 0.5; done

$bench gen-mix --count 60000 --prefix prof --shopify-secret bench-shopify-secret --stripe-secret whsec_bench_secret \
  --github-secret bench-github-secret --out "$work/mix.tsv" > "$work/mix.txt"
echo "warm-up 10 s, then ${seconds} s sampled…" >&2
wrk -t2 -c32 -d10s --timeout 10s -s build/bench/ingest.lua http://127.0.0.1:17012 -- "$work/mix.tsv" 2 > /dev/null 2>&1
$bench gen-mix --count 60000 --prefix prof2 --shopify-secret bench-shopify-secret --stripe-secret whsec_bench_secret \
  --github-secret bench-github-secret --out "$work/mix.tsv" > /dev/null
wrk -t2 -c32 -d"${seconds}s" --timeout 10s -s build/bench/ingest.lua http://127.0.0.1:17012 -- "$work/mix.tsv" 2 > "$work/wrk.txt" 2>&1 &
wrk_pid=$!
perf record -F 499 -g -p "$api_pid" -o "$work/perf.data" -- sleep "$seconds" > /dev/null 2>&1
wait "$wrk_pid" || true
rm -f "$work/mix.tsv"
cat "$work/wrk.txt" | grep -E '^(accepted|rate)='
perf report -i "$work/perf.data" --no-children --sort symbol --stdio -g none 2>/dev/null > "$work/self-full.txt" || true
perf report -i "$work/perf.data" --children --sort symbol --stdio -g none 2>/dev/null > "$work/inclusive-full.txt" || true
# The map perf read the names from goes with the report; /tmp keeps nothing of this run.
mv -f "/tmp/perf-$api_pid.map" "$work/" 2>/dev/null || true
rm -f "/tmp/perfinfo-$api_pid.map"
grep -E '^ +[0-9]' "$work/self-full.txt" | head -n 30 > "$work/self.txt" || true
grep -E '^ +[0-9]' "$work/inclusive-full.txt" | head -n 40 > "$work/inclusive.txt" || true
echo; echo "top frames, self time:"; cat "$work/self.txt"
echo; echo "top frames, inclusive time:"; cat "$work/inclusive.txt"
