# Sourced by the measuring scripts (bench.sh, soak.sh, admin-scale.sh), from the repository root: starts the bench
# profile's PostgreSQL and RabbitMQ, defines psql_db and publish_api, and on exit ends the processes listed in pids
# and stops the services. The broker starts empty: a queue left bound by an earlier run would take a copy of every
# event and skew what is measured.
build/services.sh bench mq-reset
build/services.sh bench start >/dev/null
eval "$(build/services.sh bench env)"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | head -n1)

# psql_db DATABASE [psql options…]: quiet, unaligned, stops at the first error.
psql_db() { local db=$1; shift; "$pg_bin/psql" "host=127.0.0.1 port=17432 user=postgres dbname=$db" -qAt -v ON_ERROR_STOP=1 "$@"; }

# publish_api FOLDER: the API in Release in a folder of its own, so a build in the work tree cannot touch it while it runs.
publish_api() { dotnet publish src/Webhooks.Api -c Release -nologo -v quiet -o "$1" >/dev/null; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  build/services.sh bench stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
