#!/usr/bin/env bash
# How fast the operators' lists stay with a million rows: fills a fresh database (bench profile) with 1,000,000 inbox
# rows and 1,000,000 dead letters spread over 30 days and 10 sources, starts the API in Release, and times the admin
# API and dashboard pages an operator uses (median of 5 requests each), then replays every dead letter in one bulk job
# (its time, rate and the API's peak memory). Loopback only, bounded. Takes about ten minutes.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
rows=${SCALE_ROWS:-1000000}
work="$root/.services/bench/scale"
key=scale-admin-key-0123456789abcdefghijk

source build/bench/common.sh

rm -rf "$work" && mkdir -p "$work"
echo "building (Release)…" >&2
publish_api "$work/app"
psql_db postgres -c "DROP DATABASE IF EXISTS scale WITH (FORCE)" -c "CREATE DATABASE scale"
export ConnectionStrings__Webhooks="Host=127.0.0.1;Port=17432;Username=postgres;Database=scale"
dotnet "$work/app/Webhooks.Api.dll" migrate >/dev/null

echo "filling $rows inbox rows and $rows dead letters…" >&2
started=$(date +%s)
psql_db scale <<SQL
CREATE FUNCTION pg_temp.v7(ts timestamptz, n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS \$\$
  SELECT (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7' || substr(md5(n::text), 1, 3) || '8' || substr(md5(n::text), 4, 15))::uuid
\$\$;
INSERT INTO inbox_messages (id, source, provider, topic, idempotency_key, content_type, headers, body, correlation_id, client_address, received_at, status)
SELECT pg_temp.v7(t, n), 'source-' || (n % 10), 'shopify', CASE WHEN n % 3 = 0 THEN 'orders/create' ELSE 'orders/paid' END, 'key-' || n,
       'application/json', '{"x-shopify-topic": "orders/create"}'::jsonb,
       convert_to('{"id":' || n || ',"order_number":' || n || ',"total_price":"199.00","currency":"USD","line_items":[{"product_id":632910392,"quantity":1}]}', 'UTF8'),
       md5(n::text), '203.0.113.7', t, CASE WHEN n % 50 = 0 THEN 'replayed' ELSE 'processed' END
FROM (SELECT n, now() - (n * interval '30 days' / $rows) AS t FROM generate_series(1, $rows) n) s;
-- A dead letter's event stays in the outbox (status dead) until it is replayed: the replay re-publishes that row.
CREATE TEMP TABLE dead_seed AS
SELECT n, now() - (n * interval '30 days' / $rows) AS t, pg_temp.v7(now() - (n * interval '30 days' / $rows), n + 2 * $rows) AS event_id
FROM generate_series(1, $rows) n;
INSERT INTO outbox_messages (id, source, event_type, envelope, status, attempts, next_attempt_at, created_at)
SELECT event_id, 'source-' || (n % 10), 'evt.webhook.order.created',
       '{"specversion":"1.0","id":"' || event_id || '","type":"evt.webhook.order.created","source":"/webhooks/source-' || (n % 10) || '","data":{"order_id":"' || n || '"}}',
       'dead', 15, t, t
FROM dead_seed;
INSERT INTO dead_letters (id, event_id, source, event_type, envelope, attempts, errors, last_error, status, created_at)
SELECT pg_temp.v7(t, n + $rows), event_id, 'source-' || (n % 10), 'evt.webhook.order.created', '{"specversion":"1.0"}', 15,
       jsonb_build_array(jsonb_build_object('at', t, 'attempt', 15, 'error', 'broker returned the event: NO_ROUTE')),
       CASE WHEN n % 7 = 0 THEN 'publish timed out after 10 s' ELSE 'broker returned the event: NO_ROUTE' END,
       CASE WHEN n % 20 = 0 THEN 'archived' ELSE 'dead' END, t
FROM dead_seed;
ANALYZE;
SQL
echo "filled in $(( $(date +%s) - started )) s; $(psql_db scale -c "SELECT pg_size_pretty(pg_database_size('scale'))") on disk" >&2

export Webhooks__Admin__ApiKey=$key Serilog__MinimumLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production
export Webhooks__Sources__shopify__Provider=shopify Webhooks__Sources__shopify__Secrets__0=scale-secret
dotnet "$work/app/Webhooks.Api.dll" --contentRoot "$work/app" --urls http://127.0.0.1:17012 > "$work/api.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:17012/api/v1/health/ready >/dev/null && break; sleep 0.5; done

base=http://127.0.0.1:17012
median_ms() { # url [curl options]
  local url=$1; shift
  for _ in 1 2 3 4 5; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $key" "$@" "$base$url"
  done | sort -k2 -n | awk 'NR == 3 { if ($1 != 200) { print "HTTP " $1; exit } printf "%.1f ms", $2 * 1000 }'
}
cursor_of() { curl -s -H "Authorization: Bearer $key" "$base$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next_cursor"])'; }
# A cursor deep in the list: walk 20 pages of 500.
deep=""
for _ in $(seq 1 20); do deep=$(cursor_of "/api/v1/admin/inbox?limit=500${deep:+&cursor=$deep}"); done
dead_deep=""
for _ in $(seq 1 20); do dead_deep=$(cursor_of "/api/v1/admin/dead-letters?limit=500${dead_deep:+&cursor=$dead_deep}"); done

printf '\n%-62s %s\n' "request ($rows inbox rows, $rows dead letters)" "median of 5"
row() { printf '%-62s %s\n' "$1" "$(median_ms "${@:2}")"; }
row "inbox, first page (50)" "/api/v1/admin/inbox?limit=50"
row "inbox, page 201 (after 10,000 rows, by cursor)" "/api/v1/admin/inbox?limit=50&cursor=$deep"
row "inbox search: source" "/api/v1/admin/inbox?source=source-3&limit=50"
row "inbox search: source + topic" "/api/v1/admin/inbox?source=source-3&topic=orders/create&limit=50"
row "inbox search: status replayed" "/api/v1/admin/inbox?status=replayed&limit=50"
row "inbox search: time range (one day, 15 days ago)" "/api/v1/admin/inbox?from=$(date -u -d '-15 days' +%FT%TZ)&to=$(date -u -d '-14 days' +%FT%TZ)&limit=50"
row "inbox detail" "/api/v1/admin/inbox/$(curl -s -H "Authorization: Bearer $key" "$base/api/v1/admin/inbox?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')"
row "dead letters, first page (50)" "/api/v1/admin/dead-letters?limit=50"
row "dead letters, page 201 (by cursor)" "/api/v1/admin/dead-letters?limit=50&cursor=$dead_deep"
row "dead letters: source" "/api/v1/admin/dead-letters?source=source-3&limit=50"
row "dead letters: error contains 'timed out'" "/api/v1/admin/dead-letters?error_contains=timed%20out&limit=50"
row "dashboard: overview" "/admin"
row "dashboard: inbox" "/admin/inbox"
row "dashboard: inbox search by source" "/admin/inbox?source=source-3"
row "dashboard: dead letters" "/admin/dead-letters"
row "stats, last 24 h" "/api/v1/admin/stats"
row "stats, 30 days (every row)" "/api/v1/admin/stats?from=$(date -u -d '-31 days' +%FT%TZ)"

# The bulk replay of every dead letter (about 95 % of them are "dead", the rest archived): a Hangfire job that pages
# through them in bounded memory. A queue capped at 1,000 messages (oldest dropped) takes the events, so they route
# (an unroutable publish would be retried) without the broker holding a million of them.
mgmt=http://127.0.0.1:17673/api
curl -sf -u guest:guest -X PUT "$mgmt/queues/%2F/scale-sink" -H 'content-type: application/json' \
  -d '{"durable":false,"auto_delete":false,"arguments":{"x-max-length":1000,"x-overflow":"drop-head"}}' >/dev/null
curl -sf -u guest:guest -X POST "$mgmt/bindings/%2F/e/webhooks.events/q/scale-sink" -H 'content-type: application/json' -d '{"routing_key":"#"}' >/dev/null
api_pid=${pids[-1]}
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$api_pid/status"; }
dead=$(psql_db scale -c "SELECT count(*) FROM dead_letters WHERE status = 'dead'")
rss_before=$(rss_kb); rss_peak=$rss_before
started=$(date +%s.%N)
job=$(curl -sf -X POST -H "Authorization: Bearer $key" -H 'content-type: application/json' -d '{}' "$base/api/v1/admin/dead-letters/replay" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
status=""
for _ in $(seq 1 1800); do
  sleep 1
  rss=$(rss_kb); [ "$rss" -gt "$rss_peak" ] && rss_peak=$rss
  status=$(curl -s -H "Authorization: Bearer $key" "$base/api/v1/admin/jobs/$job" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], j["processed"])')
  case $status in completed*|failed*) break ;; esac
done
replayed_at=$(date +%s.%N)
for _ in $(seq 1 1800); do
  pending=$(psql_db scale -c "SELECT count(*) FROM outbox_messages WHERE status = 'pending'")
  rss=$(rss_kb); [ "$rss" -gt "$rss_peak" ] && rss_peak=$rss
  [ "$pending" -eq 0 ] && break
  sleep 1
done
drained_at=$(date +%s.%N)
python3 - "$dead" "$status" "$started" "$replayed_at" "$drained_at" "$rss_before" "$rss_peak" <<'PY'
import sys
dead, status, started, replayed, drained, before, peak = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:6]), int(sys.argv[6]), int(sys.argv[7])
processed = int(status.split()[1])
print(f"\nbulk replay of every dead letter ({int(dead):,} dead): job {status.split()[0]}, {processed:,} replayed in {replayed - started:.0f} s "
      f"({processed / max(replayed - started, 0.001):,.0f}/s); outbox published {drained - started:.0f} s after the start; "
      f"API RSS {before / 1024:.0f} MB before, peak {peak / 1024:.0f} MB")
PY
