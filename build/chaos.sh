#!/usr/bin/env bash
# Chaos test: two API instances on one PostgreSQL and one RabbitMQ (services profile "chaos") under a steady mixed
# load — signed Shopify webhooks in, outbound events to loopback receivers — while faults come at random moments: an
# instance killed with SIGKILL and started again, RabbitMQ restarted, PostgreSQL restarted (fast shutdown). Then it
# waits (bounded) for the relay and the deliveries to drain and checks: every 200 has its inbox row; every event of
# those webhooks reached the consumer's queue or the dead letters, by id; every outbound delivery reached its receiver,
# under one message id; both instances alive. Prints a summary, then "chaos: passed" or "chaos: failed …"; the exit
# status says the same. build/test.sh runs the default setting as one of its checks.
#   build/chaos.sh [--minutes M] [--seed N] [--rate N] [--outbound-rate N] [--wait-leases] [--no-build]
#     --minutes        minutes of load (default 2: about 2½–3½ minutes in all); e.g. --minutes 15 for a long run
#     --seed           repeats a run's faults and load (printed at the start); random by default
#     --rate           signed webhooks per second (default 40); --outbound-rate events per second (default 10, each
#                      to 3 subscriptions)
#     --wait-leases    let delivery leases of killed workers lapse by themselves (the subscription timeout plus 60 s) instead of moving them
#     --no-build       use the Release build that is there (build/test.sh has just built the solution)
# WEBHOOKS_CHAOS_PORT_BASE (default 26000) moves every port: PostgreSQL base+432, RabbitMQ base+672, the instances
# base+12 and base+13, the receivers base+100…. Loopback only; all it starts is stopped at the end, also on failure.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

minutes=2; seed=""; rate=40; outbound_rate=10; build=1; wait_leases=false
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=${2:-}; shift 2 ;;
    --seed) seed=${2:-}; shift 2 ;;
    --rate) rate=${2:-}; shift 2 ;;
    --outbound-rate) outbound_rate=${2:-}; shift 2 ;;
    --wait-leases) wait_leases=true; shift ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown option '$1' (see build/chaos.sh --help)" >&2; exit 2 ;;
  esac
done
number() { [[ "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "$1 must be a number, not '$2'" >&2; exit 2; }; }
number --minutes "$minutes"; number --rate "$rate"; number --outbound-rate "$outbound_rate"
[ -z "$seed" ] && seed=$(( (RANDOM << 15 | RANDOM) % 1000000 ))
[[ "$seed" =~ ^[0-9]+$ ]] || { echo "--seed must be a whole number" >&2; exit 2; }
load_seconds=$(awk -v m="$minutes" 'BEGIN { printf "%d", m * 60 }')
[ "$load_seconds" -ge 30 ] || { echo "--minutes must give at least 30 s of load" >&2; exit 2; }
# The drain's bound (longer while the backlog shrinks): a killed relay's claims lapse after its lease (15 s here),
# backoffs are capped at 10 s; with --wait-leases the deliveries a killed worker held need their lease (timeout + 60 s).
drain_seconds=150; [ "$wait_leases" = true ] && drain_seconds=480

base=${WEBHOOKS_CHAOS_PORT_BASE:-26000}
[[ "$base" =~ ^[0-9]+$ ]] && [ "$base" -ge 1024 ] && [ "$base" -le 64000 ] ||
  { echo "WEBHOOKS_CHAOS_PORT_BASE must be a number from 1024 to 64000" >&2; exit 2; }
profile=chaos
services() { WEBHOOKS_PORT_BASE=$base build/services.sh "$profile" "$@"; }
ports=("$((base + 12))" "$((base + 13))")
started_at=$(date +%s)
say() { echo "chaos $(date +%H:%M:%S) $*" >&2; }

services_dir=$(services dir) || exit 2
work="$services_dir/run"
instance_pids=("" "")
chaos_pid=""
cleanup() {
  local pid
  for pid in "${instance_pids[@]}" "$chaos_pid"; do [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null; done
  for pid in "${instance_pids[@]}" "$chaos_pid"; do
    [ -n "$pid" ] || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null
  done
  services stop >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() { echo "chaos: failed: $*"; exit 1; }

say "seed $seed; $load_seconds s of load; ports from $base; run folder $work"
if [ "$build" = 1 ]; then
  say "building (Release)…"
  dotnet build src/Webhooks.Api -c Release -nologo -v quiet >/dev/null || fail "the API did not build"
  dotnet build build/Webhooks.Chaos -c Release -nologo -v quiet >/dev/null || fail "build/Webhooks.Chaos did not build"
fi
rm -rf "$work" && mkdir -p "$work/app"
# The instances run from a copy, so a build in the work tree cannot change them between restarts.
cp -a src/Webhooks.Api/bin/Release/net10.0/. "$work/app/" || fail "no Release build of the API (run without --no-build)"

# A fresh broker and database: no queue or row of an earlier run may count in this one.
services mq-reset >/dev/null 2>&1
services start >/dev/null || fail "could not start PostgreSQL and RabbitMQ (profile $profile, base $base)"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | head -n1)
"$pg_bin/psql" "host=127.0.0.1 port=$((base + 432)) user=postgres dbname=postgres" -qAt -v ON_ERROR_STOP=1 \
  -c "DROP DATABASE IF EXISTS webhooks WITH (FORCE)" -c "CREATE DATABASE webhooks" >/dev/null || fail "could not create the database"
eval "$(services env)"

admin_key=chaos-admin-key-0123456789abcdefghijklmnop
publisher_key=chaos-publisher-key-0123456789abcdefghijkl
secret=chaos-shopify-secret
export ASPNETCORE_ENVIRONMENT=Production
export Webhooks__Admin__ApiKey=$admin_key Webhooks__Delivery__PublisherKeys__0=$publisher_key
export Webhooks__Sources__shopify__Provider=shopify Webhooks__Sources__shopify__Secrets__0=$secret
# Receivers on loopback over plain HTTP, which the SSRF and HTTPS rules refuse by default.
export Webhooks__Delivery__AllowPrivateNetworks=true Webhooks__Delivery__AllowHttp=true
# Retries and lapsed claims within the run: deliveries retried after 1, 2, then every 5 s; relay backoff capped at
# 10 s; a killed relay's claims free after 15 s.
export Webhooks__Delivery__RetrySchedule__0=00:00:01 Webhooks__Delivery__RetrySchedule__1=00:00:02 Webhooks__Delivery__RetrySchedule__2=00:00:05
export Webhooks__Relay__MaxDelay=00:00:10 Webhooks__Relay__ClaimLease=00:00:15

dotnet "$work/app/Webhooks.Api.dll" migrate --contentRoot "$work/app" > "$work/migrate.log" 2>&1 || fail "migrate failed: $(tail -n 5 "$work/migrate.log")"

start_instance() { # index
  dotnet "$work/app/Webhooks.Api.dll" --contentRoot "$work/app" --urls "http://127.0.0.1:${ports[$1]}" >> "$work/instance-$1.log" 2>&1 &
  instance_pids[$1]=$!
  echo "$!" > "$work/instance-$1.pid"
}
# Waits until instance $1 is ready; sets ready_after (seconds) or returns 1 after 90 s or if its process ended.
wait_ready() {
  local t0; t0=$(date +%s%N)
  for _ in $(seq 1 450); do
    if curl -fsS -m 2 -o /dev/null "http://127.0.0.1:${ports[$1]}/api/v1/health/ready" 2>/dev/null; then
      ready_after=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'); return 0
    fi
    kill -0 "${instance_pids[$1]}" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

for i in 0 1; do start_instance "$i"; done
for i in 0 1; do wait_ready "$i" || fail "instance $i did not become ready: $(tail -n 5 "$work/instance-$i.log")"; done
say "instances ready on ${ports[0]} and ${ports[1]} (pids ${instance_pids[*]})"

dotnet build/Webhooks.Chaos/bin/Release/net10.0/Webhooks.Chaos.dll run \
  --api "http://127.0.0.1:${ports[0]},http://127.0.0.1:${ports[1]}" --amqp "$ConnectionStrings__RabbitMq" \
  --pg "$ConnectionStrings__Webhooks" --admin-key "$admin_key" --publisher-key "$publisher_key" --secret "$secret" \
  --work "$work" --seconds "$load_seconds" --rate "$rate" --outbound-rate "$outbound_rate" \
  --receiver-port "$((base + 100))" --receivers 3 --drain-seconds "$drain_seconds" --seed "$seed" --wait-leases "$wait_leases" \
  > >(tee "$work/summary.txt") &
chaos_pid=$!
for _ in $(seq 1 600); do [ -f "$work/load-started" ] && break; kill -0 "$chaos_pid" 2>/dev/null || break; sleep 0.1; done
[ -f "$work/load-started" ] || { wait "$chaos_pid"; chaos_pid=""; fail "the load did not start"; }
load_start=$(date +%s)

# --- faults ---------------------------------------------------------------------------------------------------------
# Bash's generator, seeded: the same seed gives the same faults, in the same order, with the same pauses.
RANDOM=$seed
pick() { picked=$(( $1 + RANDOM % ($2 - $1 + 1) )); }  # an integer in [$1, $2], without a subshell
millis() { date +%s%3N; }
elapsed() { awk -v a="$1" -v b="$(millis)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }
log_fault() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$work/faults.log"; say "fault: $2: $3"; }

kill_instance() { # index
  local i=$1 old=${instance_pids[$1]} t0; t0=$(millis)
  kill -KILL "$old" 2>/dev/null; wait "$old" 2>/dev/null
  pick 0 3; sleep "$picked"
  start_instance "$i"
  if wait_ready "$i"; then
    log_fault "$t0" "kill -9 instance $i (pid $old)" "down ${picked} s; restarted as pid ${instance_pids[$i]}, ready after ${ready_after} s"
  else
    log_fault "$t0" "kill -9 instance $i (pid $old)" "restarted as pid ${instance_pids[$i]}, NOT ready after 90 s"
  fi
}
restart_service() { # mq|pg  name
  local t0 stopped; t0=$(millis)
  services "$1-stop" >/dev/null 2>&1
  stopped=$(elapsed "$t0")
  pick 1 5; sleep "$picked"
  if services "$1-start" >/dev/null 2>&1; then
    log_fault "$t0" "$2 restarted" "stopped in ${stopped} s, down ${picked} s more, up again after $(elapsed "$t0") s"
  else
    log_fault "$t0" "$2 restarted" "stopped in ${stopped} s; did NOT start again"
  fi
}

# Each round injects the three kinds of fault in a shuffled order; pauses of 4–12 s between them; none starts in the
# last 15 s of the load, so the last one has recovered before the drain.
kinds=(kill mq pg)
pick 5 10; sleep "$picked"
while :; do
  for j in 2 1; do pick 0 "$j"; tmp=${kinds[$j]}; kinds[$j]=${kinds[$picked]}; kinds[$picked]=$tmp; done
  for kind in "${kinds[@]}"; do
    [ $(( $(date +%s) - load_start )) -lt $(( load_seconds - 15 )) ] && kill -0 "$chaos_pid" 2>/dev/null || break 2
    case "$kind" in
      kill) pick 0 1; kill_instance "$picked" ;;
      mq) restart_service mq RabbitMQ ;;
      pg) restart_service pg PostgreSQL ;;
    esac
    pick 4 12; sleep "$picked"
  done
done

# Everything up again before the drain: an instance that did not come back is started once more (and reported).
services start >/dev/null 2>&1 || say "could not start the services again"
for i in 0 1; do
  if ! kill -0 "${instance_pids[$i]}" 2>/dev/null; then
    say "instance $i was not running after the faults; starting it again"
    start_instance "$i"
  fi
  wait_ready "$i" || say "instance $i is not ready after the faults"
done
millis > "$work/faults-done"
say "faults stopped; waiting for the drain and the checks"

wait "$chaos_pid"; status=$?
chaos_pid=""
say "took $(( $(date +%s) - started_at )) s in all"
if [ "$status" -ne 0 ]; then
  echo "instance logs: $work/instance-0.log, $work/instance-1.log; summary: $work/summary.txt"
  exit 1
fi
