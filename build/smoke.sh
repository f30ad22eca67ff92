#!/usr/bin/env bash
# The README's first command, tried as a new user would (build/test.sh runs this as one of its checks): starts
# `build/run.sh` in the background on the smoke profile, waits until it is ready, sends a signed sample webhook, sees
# its event on RabbitMQ and the webhook in the admin inbox, stops everything with `build/run.sh stop` and checks
# that nothing it started is still running. Prints "smoke: passed" or "smoke: failed: <why>"; exit status likewise.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# WEBHOOKS_SMOKE_PORT_BASE (default 18000) moves it, so two checkouts can run their suites side by side.
base=${WEBHOOKS_SMOKE_PORT_BASE:-18000}
export WEBHOOKS_PROFILE=smoke WEBHOOKS_PORT_BASE=$base
port=$((base + 12))
export ASPNETCORE_URLS="http://127.0.0.1:$port" WEBHOOKS_URL="http://127.0.0.1:$port"
admin_key=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Webhooks"]["Admin"]["ApiKey"])' \
  "$root/src/Webhooks.Api/appsettings.Development.json")
work=$(mktemp -d)
run_pid=""

fail() {
  echo "smoke: failed: $*"
  echo "--- build/run.sh output (last 40 lines)"; tail -n 40 "$work/run.log" 2>/dev/null
  [ -n "$run_pid" ] && kill "$run_pid" 2>/dev/null
  "$root/build/run.sh" stop >/dev/null 2>&1
  rm -rf "$work"
  exit 1
}

# From another working directory, as the README allows.
cd /
"$root/build/run.sh" > "$work/run.log" 2>&1 &
run_pid=$!

ready=""
for _ in $(seq 1 240); do
  if curl -fsS "http://127.0.0.1:$port/api/v1/health/ready" >/dev/null 2>&1; then ready=1; break; fi
  kill -0 "$run_pid" 2>/dev/null || fail "build/run.sh exited before the API was ready"
  sleep 1
done
[ -n "$ready" ] || fail "the API was not ready within 240 s"

"$root/build/run.sh" tail evt.webhook.order.created --count 1 --timeout 60 > "$work/tail.log" 2>&1 &
tail_pid=$!
for _ in $(seq 1 120); do grep -q '^listening' "$work/tail.log" && break; sleep 0.5; done
grep -q '^listening' "$work/tail.log" || fail "build/run.sh tail did not start: $(cat "$work/tail.log")"

"$root/build/send-sample.sh" shopify > "$work/send.log" 2>&1 || fail "send-sample failed: $(cat "$work/send.log")"
grep -q '^HTTP 200$' "$work/send.log" || fail "the sample was not accepted: $(cat "$work/send.log")"
inbox_id=$(grep -o '"id":"[^"]*"' "$work/send.log" | head -n1 | cut -d'"' -f4)
[ -n "$inbox_id" ] || fail "no inbox id in the answer: $(cat "$work/send.log")"

wait "$tail_pid" || fail "no evt.webhook.order.created event on RabbitMQ within 60 s"
grep -q "\"inboxid\": \"$inbox_id\"" "$work/tail.log" || fail "the event on RabbitMQ is not the sample's: $(head -c 2000 "$work/tail.log")"

code=$(curl -sS -o "$work/inbox.json" -w '%{http_code}' -H "Authorization: Bearer $admin_key" \
  "http://127.0.0.1:$port/api/v1/admin/inbox/$inbox_id")
[ "$code" = 200 ] || fail "admin inbox answered $code for $inbox_id"
grep -q '"source":"shopify"' "$work/inbox.json" || fail "admin inbox record is not the sample: $(head -c 500 "$work/inbox.json")"

# A live scrape for the alert-rule checks (build/check-alert-rules.sh), when the caller asks for one.
if [ -n "${WEBHOOKS_SMOKE_METRICS_OUT:-}" ]; then
  curl -fsS -H "Authorization: Bearer $admin_key" "http://127.0.0.1:$port/metrics" > "$WEBHOOKS_SMOKE_METRICS_OUT" || fail "GET /metrics failed"
fi

"$root/build/run.sh" stop > "$work/stop.log" 2>&1 || fail "build/run.sh stop failed: $(cat "$work/stop.log")"
for _ in $(seq 1 100); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$run_pid" 2>/dev/null && fail "the API (pid $run_pid) is still running after build/run.sh stop"
run_pid=""
services_dir=$("$root/build/services.sh" smoke dir)
left=$(ss -ltnH "( sport = :$port or sport = :$((base + 432)) or sport = :$((base + 672)) or sport = :$((base + 673)) or sport = :$((base + 369)) )" 2>/dev/null)
[ -z "$left" ] || fail "still listening after build/run.sh stop: $left"
pgrep -f -- "$services_dir" >/dev/null && fail "processes still use $services_dir: $(pgrep -af -- "$services_dir")"

rm -rf "$work"
echo "smoke: passed"
