#!/usr/bin/env bash
# Runs the service on a fresh machine: installs and starts private PostgreSQL and RabbitMQ (dev profile), applies
# migrations and serves the API on http://127.0.0.1:8012. Ctrl+C stops the API; the services keep running until
# `build/run.sh stop`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

if [ "${1:-}" = "stop" ]; then
  exec build/services.sh dev stop
fi

build/services.sh dev start
eval "$(build/services.sh dev env)"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

dotnet build src/Webhooks.Api -c Release -nologo -v quiet
dll=src/Webhooks.Api/bin/Release/net10.0/Webhooks.Api.dll
dotnet "$dll" migrate

url="${ASPNETCORE_URLS:-http://127.0.0.1:8012}"
cat <<INFO

  API         $url/api/v1/webhooks/{source}
  Health      $url/api/v1/health   (ready: $url/api/v1/health/ready)
  Metrics     $url/metrics
  Dashboard   $url/admin
  RabbitMQ    $WEBHOOKS_RABBITMQ_MANAGEMENT (guest/guest)

  Ctrl+C stops the API; build/run.sh stop stops PostgreSQL and RabbitMQ.

INFO
exec dotnet "$dll" --contentRoot "$(dirname "$dll")" --urls "$url"
