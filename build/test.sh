#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs and starts private PostgreSQL and RabbitMQ (test profile,
# separate from the run command's), builds, runs every test project, prints "N passed, N failed", stops what it
# started (also on failure) and exits non-zero on any failure.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

started=0
limits_started=0
# A second RabbitMQ node whose max_message_size is 64 KiB (a node-wide setting): the relay's tests of refused messages.
limits_port_base=$(( ${WEBHOOKS_PORT_BASE:-16000} + 100 ))
limits() { WEBHOOKS_PORT_BASE=$limits_port_base WEBHOOKS_RABBITMQ_MAX_MESSAGE_SIZE=65536 build/services.sh "${profile}-limits" "$@"; }
cleanup() {
  if [ "$started" = 1 ]; then build/services.sh "$profile" stop >/dev/null 2>&1 || true; fi
  if [ "$limits_started" = 1 ]; then limits mq-stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

profile=${WEBHOOKS_PROFILE:-test}
if ! build/services.sh "$profile" status 2>/dev/null | grep -q 'postgres: running' || ! build/services.sh "$profile" status 2>/dev/null | grep -q 'rabbitmq: running'; then
  started=1
fi
# The dashboard's browser tests drive Debian's headless Chromium through its chromedriver.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "installing chromium chromium-driver (Debian packages)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null \
    || { echo "0 passed, 1 failed"; echo "could not install chromium and chromium-driver" >&2; exit 1; }
fi

build/services.sh "$profile" start || { echo "0 passed, 1 failed"; echo "could not start the test services" >&2; exit 1; }
eval "$(build/services.sh "$profile" env)"
limits status 2>/dev/null | grep -q 'rabbitmq: running' || limits_started=1
limits mq-start || { echo "0 passed, 1 failed"; echo "could not start the second RabbitMQ node" >&2; exit 1; }
export WEBHOOKS_RABBITMQ_SMALL_MESSAGES="amqp://guest:guest@127.0.0.1:$((limits_port_base + 672))/"

results="$root/TestResults"
rm -rf "$results"
if ! dotnet build Webhooks.sln -c Release -nologo -v quiet; then
  echo "0 passed, 1 failed"
  echo "build failed" >&2
  exit 1
fi

# The README's first command, run as written on a profile of its own (build/smoke.sh); it counts as one test.
# Its live scrape of /metrics then feeds the alert-rule checks (build/check-alert-rules.sh), one test more.
smoke_passed=0; smoke_failed=0
scrape=$(mktemp)
if (unset ConnectionStrings__Webhooks ConnectionStrings__RabbitMq WEBHOOKS_PORT_BASE; WEBHOOKS_SMOKE_METRICS_OUT="$scrape" build/smoke.sh); then
  smoke_passed=1
else
  smoke_failed=1
fi
if build/check-alert-rules.sh "$scrape"; then
  smoke_passed=$((smoke_passed + 1))
else
  smoke_failed=$((smoke_failed + 1))
fi
rm -f "$scrape"
# The container image (build/container.sh smoke): compose.yaml and deploy/kubernetes validated, the Dockerfile built
# with podman, migrated and run read-only against services of its own (ports 20000+); one test more. It takes about
# two minutes when it must first make its base images, under one once they and the image's layers are cached.
if build/container.sh smoke; then
  smoke_passed=$((smoke_passed + 1))
else
  smoke_failed=$((smoke_failed + 1))
fi
# The chaos test (build/chaos.sh, its short setting: about three minutes): two instances under load on services of
# their own (ports 26000+, WEBHOOKS_CHAOS_PORT_BASE moves them) while an instance is killed with SIGKILL and RabbitMQ
# and PostgreSQL are restarted; no answered webhook, event or delivery may be lost. One test more.
if (unset ConnectionStrings__Webhooks ConnectionStrings__RabbitMq WEBHOOKS_PORT_BASE; build/chaos.sh --no-build); then
  smoke_passed=$((smoke_passed + 1))
else
  smoke_failed=$((smoke_failed + 1))
fi

dotnet test Webhooks.sln -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  2>&1 | grep -vE '^\{"Timestamp'
test_exit=${PIPESTATUS[0]}

# dotnet test prints one summary per project; sum the TRX counters into the one line CI reads.
read -r passed failed total < <(python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
passed = failed = total = 0
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find("{*}ResultSummary/{*}Counters")
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    total += int(counters.get("total", 0))
print(passed, failed, total)
PY
)

if [ "${total:-0}" -eq 0 ]; then
  echo "0 passed, 1 failed"
  echo "no test ran" >&2
  exit 1
fi
passed=$((passed + smoke_passed)); failed=$((failed + smoke_failed))
if [ "$test_exit" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the runner failed outside any single test (a crash, a class fixture)
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$test_exit" -eq 0 ]
