#!/usr/bin/env bash
# Runs the service on a fresh machine: installs and starts private PostgreSQL and RabbitMQ (dev profile), applies
# migrations and serves the API on http://127.0.0.1:8012.
#   build/run.sh                 start everything; Ctrl+C stops the API, the services keep running
#   build/run.sh stop            stop the API (when started in the background) and PostgreSQL and RabbitMQ
#   build/run.sh tail [key] [--count N] [--timeout s]   print the events arriving on the webhooks.events exchange
#                                (binding key, default #)
#   build/run.sh status          what is running
# WEBHOOKS_PROFILE (default dev) and WEBHOOKS_PORT_BASE choose another set of services, ASPNETCORE_URLS another
# address: `WEBHOOKS_PROFILE=smoke ASPNETCORE_URLS=http://127.0.0.1:18012 build/run.sh` runs beside a dev instance.
# Works from any working directory; every path below is absolute.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

profile=${WEBHOOKS_PROFILE:-dev}
services_dir=$(build/services.sh "$profile" dir)
api_pid_file="$services_dir/api.pid"
dll="$root/src/Webhooks.Api/bin/Release/net10.0/Webhooks.Api.dll"

stop_api() {
  [ -f "$api_pid_file" ] || return 0
  local pid; pid=$(cat "$api_pid_file")
  # Only the process this script started: the PID file names it, and it must still be our dll.
  if [ -n "$pid" ] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$dll"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    echo "stopped the API (pid $pid)"
  fi
  rm -f "$api_pid_file"
}

case "${1:-}" in
  stop)
    stop_api
    exec build/services.sh "$profile" stop
    ;;
  status)
    if [ -f "$api_pid_file" ] && kill -0 "$(cat "$api_pid_file")" 2>/dev/null; then
      echo "api: running (pid $(cat "$api_pid_file"))"
    else
      echo "api: stopped"
    fi
    exec build/services.sh "$profile" status
    ;;
  tail)
    shift
    eval "$(build/services.sh "$profile" env)"
    dotnet build "$root/build/Webhooks.Tools" -c Release -nologo -v quiet >/dev/null
    exec dotnet "$root/build/Webhooks.Tools/bin/Release/net10.0/Webhooks.Tools.dll" tail "$@"
    ;;
  "") ;;
  *) echo "usage: build/run.sh [stop|status|tail [routing key]]" >&2; exit 2 ;;
esac

build/services.sh "$profile" start
eval "$(build/services.sh "$profile" env)"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

dotnet build "$root/src/Webhooks.Api" -c Release -nologo -v quiet
dotnet "$dll" migrate --contentRoot "$(dirname "$dll")"

url="${ASPNETCORE_URLS:-http://127.0.0.1:8012}"
cat <<INFO

  API         $url/api/v1/webhooks/{source}
  Docs        $url/docs   (OpenAPI: $url/openapi/v1.json)
  Health      $url/api/v1/health   (ready: $url/api/v1/health/ready)
  Metrics     $url/metrics
  Dashboard   $url/admin   (development admin key: see src/Webhooks.Api/appsettings.Development.json)
  RabbitMQ    $WEBHOOKS_RABBITMQ_MANAGEMENT (guest/guest)

  Try it:     build/send-sample.sh shopify   then   build/run.sh tail
  Ctrl+C stops the API; build/run.sh stop stops it and PostgreSQL and RabbitMQ.

INFO
echo $$ > "$api_pid_file"
# The content root is absolute: a relative one is resolved against the application's own folder.
exec dotnet "$dll" --contentRoot "$(dirname "$dll")" --urls "$url"
