#!/usr/bin/env bash
# Benchmarks ingest and relay against this machine's own ceilings, measured in the same run, and prints one table.
# Installs wrk, starts private PostgreSQL (fsync and synchronous_commit on) and RabbitMQ (bench profile), runs the
# API in Release at its default configuration (rate limits on, Information logging) with provider-shaped bodies of
# 1.7–10 KB from three providers and five sources configured. Loopback only; every load is
# bounded in time. Takes about 8 minutes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
work="$root/.services/bench/run"
conns=(32 128)
duration=${BENCH_SECONDS:-30}

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
source build/bench/common.sh
psql_admin() { psql_db postgres "$@"; }

rm -rf "$work" && mkdir -p "$work"
echo "building (Release)…" >&2
publish_api "$work/app"
dotnet build build/Webhooks.Bench -c Release -nologo -v quiet >/dev/null
api_dll="$work/app/Webhooks.Api.dll"
bench="dotnet build/Webhooks.Bench/bin/Release/net10.0/Webhooks.Bench.dll"

for db in webhooks bench_ceiling; do
  psql_admin -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
done
ConnectionStrings__Webhooks="Host=127.0.0.1;Port=17432;Username=postgres;Database=bench_ceiling" dotnet "$api_dll" migrate >/dev/null

kv() { grep -E "^$1=" "$2" | tail -n1 | cut -d= -f2; }

# --- ceilings ----------------------------------------------------------------------------------------------------
echo "ceiling: pgbench, 32 clients, 20 s…" >&2
"$pg_bin/pgbench" -n -M prepared -c 32 -j 2 -T 20 -f build/bench/ceiling.sql \
  "host=127.0.0.1 port=17432 user=postgres dbname=bench_ceiling" > "$work/pgbench.txt" 2>&1
pg_tps=$(grep -E '^tps' "$work/pgbench.txt" | head -n1 | sed -E 's/tps = ([0-9.]+).*/\1/')

echo "ceiling: raw RabbitMQ publisher with confirms, 20 s…" >&2
$bench rabbit-ceiling --amqp "$ConnectionStrings__RabbitMq" --seconds 20 --window 1000 > "$work/rabbit.txt"
mq_rate=$(kv rabbit_ceiling_msgs_per_s "$work/rabbit.txt")
echo "ceiling: the same with a consumer draining the queue, 20 s…" >&2
$bench rabbit-ceiling --amqp "$ConnectionStrings__RabbitMq" --seconds 20 --window 1000 --consume 1 > "$work/rabbit-consumed.txt"
mq_consumed_rate=$(kv rabbit_ceiling_msgs_per_s "$work/rabbit-consumed.txt")

secret=bench-shopify-secret
stripe_secret=whsec_bench_secret
github_secret=bench-github-secret

run_wrk() { # url-base tag conns out
  # Provider-shaped bodies, 1.7–10 KB (Shopify orders, Stripe payment intents and charges, GitHub pushes; see
  # build/Webhooks.Bench/SignedRequests.cs), each used once.
  local mix="$work/mix-$2.tsv"
  $bench gen-mix --count 140000 --prefix "$2" --shopify-secret "$secret" --stripe-secret "$stripe_secret" \
    --github-secret "$github_secret" --out "$mix" > "$work/mix-$2.txt"
  wrk -t2 -c"$3" -d"${duration}s" --timeout 10s -s build/bench/ingest.lua "$1" -- "$mix" 2 > "$4" 2>&1
  rm -f "$mix"
}

echo "ceiling: minimal Kestrel + HMAC under the same wrk load…" >&2
$bench http-ceiling --urls http://127.0.0.1:17080 > /dev/null 2>&1 &
pids+=($!)
sleep 2
for c in "${conns[@]}"; do run_wrk http://127.0.0.1:17080 "ceil$c" "$c" "$work/http-$c.txt"; done
kill "${pids[-1]}"

# --- the API -----------------------------------------------------------------------------------------------------
export ConnectionStrings__Webhooks="Host=127.0.0.1;Port=17432;Username=postgres;Database=webhooks;Maximum Pool Size=60"
# The default configuration, as users run it (rate limits on, Information logging): only connection strings, sources,
# the admin key and the port are set.
admin_key=bench-admin-key-0123456789abcdefghijkl
export Webhooks__Admin__ApiKey=$admin_key
export Webhooks__Sources__shopify__Provider=shopify Webhooks__Sources__shopify__Secrets__0=$secret
export Webhooks__Sources__stripe__Provider=stripe Webhooks__Sources__stripe__Secrets__0=$stripe_secret
export Webhooks__Sources__github__Provider=github Webhooks__Sources__github__Secrets__0=$github_secret
# More sources configured than the load uses, as a gateway in service has.
export Webhooks__Sources__billing__Provider=standard-webhooks Webhooks__Sources__billing__Secrets__0=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw
export Webhooks__Sources__crm__Provider=hmac Webhooks__Sources__crm__Secrets__0=bench-crm-secret-0123456789 Webhooks__Sources__crm__SignatureHeader=X-Signature
export ASPNETCORE_ENVIRONMENT=Production
# The outbound receivers are on loopback over plain HTTP, which the SSRF and HTTPS rules refuse by default.
export Webhooks__Delivery__AllowPrivateNetworks=true Webhooks__Delivery__AllowHttp=true
dotnet "$api_dll" --contentRoot "$work/app" --urls http://127.0.0.1:17012 > "$work/api.log" 2>&1 &
api_pid=$!
pids+=($api_pid)
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:17012/api/v1/health/ready >/dev/null && break; sleep 0.5; done
curl -sf http://127.0.0.1:17012/api/v1/health/ready >/dev/null || { echo "API did not become ready" >&2; tail -20 "$work/api.log" >&2; exit 1; }

ticks=$(getconf CLK_TCK)
proc_cpu() { local sum=0 p; for p in "$@"; do sum=$(awk -v s="$sum" '{ print s + $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo "$sum"); done; echo "$sum"; }
cpu_seconds() { awk -v t="$ticks" -v c="$(proc_cpu "$api_pid")" 'BEGIN { print c / t }'; }
mq_pid=$(cat "$(build/services.sh bench dir)/rabbitmq/rabbitmq.pid")
# Where the two cores go during a run: API, PostgreSQL (all backends), RabbitMQ (the Erlang VM), wrk.
profile_run() { # label out-file -- command…
  local label=$1 out=$2; shift 3
  local pg0 api0 mq0 pg1 api1 mq1 wrk_cpu
  pg0=$(proc_cpu $(pgrep -u postgres postgres)); api0=$(proc_cpu "$api_pid"); mq0=$(proc_cpu "$mq_pid")
  local idle0 idle1; idle0=$(awk '/^cpu / { print $5 }' /proc/stat)
  ( for _ in $(seq 1 $((duration * 2))); do
      psql_db webhooks -c \
        "SELECT coalesce(wait_event_type, 'CPU') || ':' || coalesce(wait_event, 'running') FROM pg_stat_activity WHERE datname = 'webhooks' AND state = 'active' AND pid <> pg_backend_pid()"
      sleep 0.5
    done ) > "$work/waits-$label.txt" 2>/dev/null &
  local sampler=$!
  local t0; t0=$(date +%s.%N)
  "$@"
  wait "$sampler" 2>/dev/null || true
  local t1; t1=$(date +%s.%N)
  pg1=$(proc_cpu $(pgrep -u postgres postgres)); api1=$(proc_cpu "$api_pid"); mq1=$(proc_cpu "$mq_pid")
  idle1=$(awk '/^cpu / { print $5 }' /proc/stat)
  awk -v t="$ticks" -v s="$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" -v a0="$api0" -v a1="$api1" -v p0="$pg0" -v p1="$pg1" -v m0="$mq0" -v m1="$mq1" -v i0="$idle0" -v i1="$idle1" \
    'BEGIN { printf "cores_api=%.2f\ncores_postgres=%.2f\ncores_rabbitmq=%.2f\ncores_idle=%.2f\n", (a1-a0)/t/s, (p1-p0)/t/s, (m1-m0)/t/s, (i1-i0)/t/s }' >> "$out"
  echo "top_waits=$(sort "$work/waits-$label.txt" | uniq -c | sort -rn | head -n 3 | awk '{ printf "%s%s×%s", (NR > 1 ? ", " : ""), $2, $1 }')" >> "$out"
}

echo "ingest: warm-up (10 s, not counted)…" >&2
duration_saved=$duration; duration=10
run_wrk http://127.0.0.1:17012 warmup 32 "$work/warmup.txt"
duration=$duration_saved

accepted_total=0
new_total=0  # 200s less the repeats a thread sent after its file ran out (answered 200 as duplicates)
cpu_before_bursts=$(cpu_seconds)
wal_before=$(psql_db webhooks -c "SELECT pg_current_wal_lsn()")
allocated() { curl -sf -H "Authorization: Bearer $admin_key" http://127.0.0.1:17012/metrics | awk '/^dotnet_gc_allocated_bytes_total / { printf "%.0f", $2 }'; }
allocated_before=$(allocated)
ingest_run() { # label conns
  echo "ingest: wrk, $2 connections, ${duration} s ($1)…" >&2
  local before after accepted
  before=$(cpu_seconds)
  profile_run "$1" "$work/ingest-$1.txt" -- run_wrk http://127.0.0.1:17012 "ingest$1" "$2" "$work/ingest-$1.txt"
  after=$(cpu_seconds)
  accepted=$(kv accepted "$work/ingest-$1.txt")
  accepted_total=$((accepted_total + accepted))
  new_total=$((new_total + accepted - $(kv duplicates "$work/ingest-$1.txt")))
  echo "cpu_per_1000=$(awk -v a="$after" -v b="$before" -v n="$accepted" 'BEGIN { printf "%.3f", (a - b) / (n / 1000) }')" >> "$work/ingest-$1.txt"
}
for c in "${conns[@]}"; do ingest_run "$c" "$c"; done
# A burst absorbed with the relay paused: the ingest path alone (the backlog drains afterwards).
curl -sf -X POST -H "Authorization: Bearer $admin_key" http://127.0.0.1:17012/api/v1/admin/relay/pause >/dev/null
ingest_run paused-128 128
curl -sf -X POST -H "Authorization: Bearer $admin_key" http://127.0.0.1:17012/api/v1/admin/relay/resume >/dev/null
accepted_bursts=$accepted_total
accepted_total=$((accepted_total + $(kv accepted "$work/warmup.txt")))
new_total=$((new_total + $(kv accepted "$work/warmup.txt") - $(kv duplicates "$work/warmup.txt")))
stored=$(psql_db webhooks -c "SELECT count(*) FROM inbox_messages")

# The burst's backlog drains after it; the API's CPU over burst and drain together, per accepted webhook.
drain_start=$(date +%s.%N)
for _ in $(seq 1 600); do
  backlog=$(psql_db webhooks -c "SELECT count(*) FROM outbox_messages WHERE status = 'pending'")
  [ "$backlog" = 0 ] && break; sleep 0.2
done
drain_seconds=$(awk -v a="$drain_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
cpu_after_drain=$(cpu_seconds)
ms_per_webhook=$(awk -v c="$cpu_after_drain" -v b="$cpu_before_bursts" -v n="$accepted_bursts" 'BEGIN { printf "%.3f", (c - b) * 1000 / n }')
body_kb=$(awk -v b="$(kv body_bytes_avg "$work/mix-ingest32.txt")" 'BEGIN { printf "%.2f", b / 1024 }')
us_per_kb=$(awk -v m="$ms_per_webhook" -v k="$body_kb" 'BEGIN { printf "%.1f", m * 1000 / k }')
wal_per_webhook=$(psql_db webhooks -c "SELECT round(pg_wal_lsn_diff(pg_current_wal_lsn(), '$wal_before') / $accepted_bursts)")
alloc_per_webhook=$(awk -v a="$(allocated)" -v b="$allocated_before" -v n="$accepted_bursts" 'BEGIN { printf "%.0f", (a - b) / n }')

echo "relay: drain 100,000 events…" >&2
relay_drain() {
  $bench relay-drain --count 100000 --api http://127.0.0.1:17012 --admin-key "$admin_key" \
    --amqp "$ConnectionStrings__RabbitMq" --pg "$ConnectionStrings__Webhooks" > "$work/relay.txt"
}
profile_run relay "$work/relay-profile.txt" -- relay_drain
relay_rate=$(kv relay_events_per_s "$work/relay.txt")

max_rate=$(awk -v a="$(kv rate "$work/ingest-32.txt")" -v b="$(kv rate "$work/ingest-128.txt")" 'BEGIN { print (a > b ? a : b) }')  # relay running
half=$(awk -v m="$max_rate" 'BEGIN { printf "%.0f", m / 2 }')
echo "end to end: 100 sequential, then ${half}/s for 15 s…" >&2
end_to_end() { $bench e2e --api http://127.0.0.1:17012 --amqp "$ConnectionStrings__RabbitMq" --secret "$secret" --rate "$half" --seconds 15 > "$work/e2e.txt"; }
profile_run e2e "$work/e2e-profile.txt" -- end_to_end
echo "ceiling: RabbitMQ alone at the same event rate, publish → consumer, 10 s…" >&2
events_rate=$((half * 2))  # every webhook of the load yields two events
$bench rabbit-latency --amqp "$ConnectionStrings__RabbitMq" --rate "$events_rate" --seconds 10 > "$work/rabbit-latency.txt"

rss_mb=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$api_pid/status")  # peak over the whole run

echo "outbound: 1,000 events × 10 subscriptions, each on its own receiver…" >&2
$bench outbound --api http://127.0.0.1:17012 --admin-key "$admin_key" --subscriptions 10 --events 1000 > "$work/outbound.txt" || true

echo "fan-out: one event to 1,000 subscriptions, with and without payload filters…" >&2
$bench fanout --api http://127.0.0.1:17012 --admin-key "$admin_key" --subscriptions 1000 --events 30 > "$work/fanout.txt" || true

# --- the table ---------------------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
row() { printf '| %-44s | %16s | %-34s | %12s | %6s | %-12s |\n' "$@"; }
echo
row "measure" "value" "ceiling (same run)" "ceiling" "ratio" "target"
row "--------------------------------------------" "------------" "----------------------------------" "------------" "------" "------------"
for label in "${conns[@]}" paused-128; do
  f="$work/ingest-$label.txt"
  c=${label#paused-}
  title="ingest accepted/s, $c conns"; [ "$label" = paused-128 ] && title="ingest accepted/s, 128 conns, relay paused"
  row "$title" "$(kv rate "$f")" "pgbench 1 txn/webhook, 32 clients" "$pg_tps" "$(ratio "$(kv rate "$f")" "$pg_tps")" ">= 1.0"
  row "  same, against bare Kestrel + HMAC" "$(kv rate "$f")" "HTTP ceiling, $c conns" "$(kv rate "$work/http-$c.txt")" "$(ratio "$(kv rate "$f")" "$(kv rate "$work/http-$c.txt")")" ""
  row "  latency p50 / p99 (ms)" "$(kv p50_ms "$f") / $(kv p99_ms "$f")" "HTTP ceiling p50 / p99" "$(kv p50_ms "$work/http-$c.txt") / $(kv p99_ms "$work/http-$c.txt")" "" ""
  row "  errors (non-200 + socket)" "$(kv errors "$f")" "" "" "" "0"
  row "  API CPU-seconds per 1,000 accepted" "$(kv cpu_per_1000 "$f")" "" "" "" ""
  row "  cores: API / PostgreSQL / RabbitMQ / idle" "$(kv cores_api "$f") / $(kv cores_postgres "$f") / $(kv cores_rabbitmq "$f") / $(kv cores_idle "$f")" "(the rest: wrk, kernel)" "2 cores" "" ""
  row "  PostgreSQL active-backend samples" "$(kv top_waits "$f")" "" "" "" ""
done
row "every 200 has its inbox row (rows >= 200s)" "$stored rows" "200s not duplicates (incl. warm-up)" "$new_total" "$(ratio "$stored" "$new_total")" ">= 1.00"
row "  200s answered as duplicates (file ran out)" "$((accepted_total - new_total))" "" "" "" ""
row "relay drain events/s (100,000)" "$relay_rate" "raw confirm-publish, window 1000" "$mq_rate" "$(ratio "$relay_rate" "$mq_rate")" ">= 0.8"
f="$work/relay-profile.txt"
row "  cores: API / PostgreSQL / RabbitMQ / idle" "$(kv cores_api "$f") / $(kv cores_postgres "$f") / $(kv cores_rabbitmq "$f") / $(kv cores_idle "$f")" "(incl. the fill; rest: consumer)" "2 cores" "" ""
row "  PostgreSQL active-backend samples" "$(kv top_waits "$f")" "" "" "" ""
row "  same, against a consumed ceiling" "$relay_rate" "raw confirm-publish + consumer" "$mq_consumed_rate" "$(ratio "$relay_rate" "$mq_consumed_rate")" ""
row "end to end p50 / p99 at ${half}/s (ms)" "$(kv e2e_p50_ms "$work/e2e.txt") / $(kv e2e_p99_ms "$work/e2e.txt")" "RabbitMQ alone, ${events_rate} events/s" "$(kv rabbit_arrival_p50_ms "$work/rabbit-latency.txt") / $(kv rabbit_arrival_p99_ms "$work/rabbit-latency.txt")" "" "<= 5 / 50"
f="$work/e2e-profile.txt"
row "  cores: API / PostgreSQL / RabbitMQ / idle" "$(kv cores_api "$f") / $(kv cores_postgres "$f") / $(kv cores_rabbitmq "$f") / $(kv cores_idle "$f")" "(rest: load generator, consumer)" "2 cores" "" ""
row "200 → RabbitMQ, 100 sequential: p50 / max" "$(kv seq_p50_ms "$work/e2e.txt") / $(kv seq_max_ms "$work/e2e.txt")" "" "" "" ""
row "outbound deliveries/s (1,000 × 10 subscriptions)" "$(kv outbound_per_s "$work/outbound.txt")" "bare HttpClient, 4 conns/receiver" "$(kv outbound_ceiling_per_s "$work/outbound.txt")" "$(ratio "$(kv outbound_per_s "$work/outbound.txt")" "$(kv outbound_ceiling_per_s "$work/outbound.txt")")" ">= 0.5"
row "  delivered / expected" "$(kv outbound_delivered "$work/outbound.txt")" "" "$(kv outbound_expected "$work/outbound.txt")" "" ""
row "fan-out to 1,000 subscriptions, filtered (ms)" "$(kv fanout_filtered_ms "$work/fanout.txt")" "same, no filters (median)" "$(kv fanout_plain_ms "$work/fanout.txt")" "$(ratio "$(kv fanout_filtered_ms "$work/fanout.txt")" "$(kv fanout_plain_ms "$work/fanout.txt")")" "<= 1.5"
row "outbox drained after the bursts (s)" "$drain_seconds" "" "" "" "<= 30"
row "API CPU ms per accepted webhook (bursts + drain)" "$ms_per_webhook" "" "" "" "<= 0.25"
row "  per KB of body (µs; bodies average $body_kb KB)" "$us_per_kb" "" "" "" ""
row "WAL bytes per accepted webhook (bursts + drain)" "$wal_per_webhook" "body bytes (average)" "$(kv body_bytes_avg "$work/mix-ingest32.txt")" "$(ratio "$wal_per_webhook" "$(kv body_bytes_avg "$work/mix-ingest32.txt")")" ""
row "API bytes allocated per webhook (bursts + drain)" "$alloc_per_webhook" "" "" "" ""
row "API peak RSS over the whole run (MB)" "$rss_mb" "" "" "" "<= 256"
echo
echo "raw outputs: .services/bench/run/"
