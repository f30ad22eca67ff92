#!/usr/bin/env bash
# Private PostgreSQL and RabbitMQ instances on loopback, one set per profile, under .services/<profile>.
#   build/services.sh <profile> start|stop|status|env|dir|pg-stop|pg-start|mq-stop|mq-start|mq-reset
# WEBHOOKS_RABBITMQ_MAX_MESSAGE_SIZE (bytes) sets the broker's max_message_size when its node starts.
# Profiles dev, test, bench and smoke have fixed port bases (15000, 16000, 17000, 18000); any other name
# ([a-z0-9-]+) needs WEBHOOKS_PORT_BASE, which also overrides the base of the named ones. PostgreSQL listens on
# base+432, RabbitMQ on base+672 (management base+673).
# Installs the Debian packages when missing. Starting reuses instances that are already running.
set -euo pipefail

profile=${1:?usage: services.sh <profile> <command>}
cmd=${2:?usage: services.sh <profile> <command>}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

[[ "$profile" =~ ^[a-z0-9-]+$ ]] || { echo "profile '$profile' must match [a-z0-9-]+" >&2; exit 2; }
case "$profile" in
  dev)   base=15000 ;;
  test)  base=16000 ;;
  bench) base=17000 ;;
  smoke) base=18000 ;;
  *) [ -n "${WEBHOOKS_PORT_BASE:-}" ] || { echo "profile '$profile' needs WEBHOOKS_PORT_BASE (e.g. 19000)" >&2; exit 2; }
     base=$WEBHOOKS_PORT_BASE ;;
esac
base=${WEBHOOKS_PORT_BASE:-$base}
[[ "$base" =~ ^[0-9]+$ ]] && [ "$base" -ge 1024 ] && [ "$base" -le 64000 ] ||
  { echo "WEBHOOKS_PORT_BASE must be a number from 1024 to 64000" >&2; exit 2; }
pg_port=$((base + 432)); amqp_port=$((base + 672)); mgmt_port=$((base + 673))
dist_port=$((base + 674)); epmd_port=$((base + 369))

# PostgreSQL runs as the postgres user, who must be able to walk down to its data folder. A clone under a private
# folder (root's home is mode 700) cannot hold it, so the services then live in a folder of their own under
# /var/tmp, named after the clone's path. WEBHOOKS_SERVICES_DIR chooses the parent folder explicitly.
reachable_by_others() {
  local d=$1
  while [ "$d" != "/" ]; do
    [ -n "$(find "$d" -maxdepth 0 -perm -o+x 2>/dev/null)" ] || return 1
    d=$(dirname "$d")
  done
}
if [ -n "${WEBHOOKS_SERVICES_DIR:-}" ]; then
  services_root=$WEBHOOKS_SERVICES_DIR
elif reachable_by_others "$root"; then
  services_root="$root/.services"
else
  services_root="/var/tmp/webhooks-services-$(printf '%s' "$root" | sha256sum | cut -c1-12)"
fi
dir="$services_root/$profile"
pg_dir="$dir/postgres"; mq_dir="$dir/rabbitmq"
node="webhooks-$profile@localhost"

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && { echo "$d"; return; }; done
  return 1
}

install_packages() {
  local missing=()
  pg_bin >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

pg_running() { [ -f "$pg_dir/data/postmaster.pid" ] && as_postgres "$(pg_bin)/pg_ctl" -D "$pg_dir/data" status >/dev/null 2>&1; }

pg_start() {
  local bin; bin=$(pg_bin)
  mkdir -p "$pg_dir"; chmod 755 "$services_root" "$dir"; chown postgres:postgres "$pg_dir"
  if [ ! -f "$pg_dir/data/PG_VERSION" ]; then
    as_postgres "$bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$pg_dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$pg_dir'
max_connections = 300
shared_buffers = 256MB
fsync = on
synchronous_commit = on
CONF
  fi
  if pg_running; then return; fi
  as_postgres "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/postgres.log" -w -t 60 start >/dev/null
}

pg_stop() { pg_running && as_postgres "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null || true; }

mq_env() {
  export HOME="$mq_dir" RABBITMQ_NODENAME="$node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$amqp_port \
    RABBITMQ_DIST_PORT=$dist_port ERL_EPMD_ADDRESS=127.0.0.1 ERL_EPMD_PORT=$epmd_port \
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
    RABBITMQ_BASE="$mq_dir" RABBITMQ_MNESIA_BASE="$mq_dir/mnesia" RABBITMQ_LOG_BASE="$mq_dir/log" \
    RABBITMQ_PID_FILE="$mq_dir/rabbitmq.pid" RABBITMQ_CONFIG_FILE="$mq_dir/rabbitmq" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$mq_dir/enabled_plugins" RABBITMQ_CONF_ENV_FILE="$mq_dir/rabbitmq-env.conf"
}

ctl() { (mq_env; /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$node" "$@"); }

mq_running() { [ -f "$mq_dir/rabbitmq.pid" ] && ctl status >/dev/null 2>&1; }

mq_start() {
  mkdir -p "$mq_dir/log" "$mq_dir/mnesia"
  cat > "$mq_dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$amqp_port
management.tcp.ip = 127.0.0.1
management.tcp.port = $mgmt_port
loopback_users = none
CONF
  # A node of its own may refuse large messages (node-wide), for the tests of what the relay does then.
  if [ -n "${WEBHOOKS_RABBITMQ_MAX_MESSAGE_SIZE:-}" ]; then
    echo "max_message_size = $WEBHOOKS_RABBITMQ_MAX_MESSAGE_SIZE" >> "$mq_dir/rabbitmq.conf"
  fi
  echo '[rabbitmq_management].' > "$mq_dir/enabled_plugins"
  : > "$mq_dir/rabbitmq-env.conf"
  if mq_running; then return; fi
  (mq_env; setsid nohup /usr/lib/rabbitmq/bin/rabbitmq-server >"$mq_dir/log/console.log" 2>&1 < /dev/null &)
  local i
  for i in $(seq 1 60); do [ -f "$mq_dir/rabbitmq.pid" ] && break; sleep 0.5; done
  ctl wait --timeout 90 "$mq_dir/rabbitmq.pid" >/dev/null
}

mq_stop() {
  if mq_running; then ctl stop "$mq_dir/rabbitmq.pid" >/dev/null 2>&1 || true; fi
  # Erlang leaves its port mapper behind; end ours by the PID listening on our port.
  local pid
  pid=$(ss -ltnpH "sport = :$epmd_port" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true)
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
}

print_env() {
  echo "export ConnectionStrings__Webhooks='Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=webhooks'"
  echo "export ConnectionStrings__RabbitMq='amqp://guest:guest@127.0.0.1:$amqp_port/'"
  echo "export WEBHOOKS_PG_ADMIN='Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres'"
  echo "export WEBHOOKS_RABBITMQ_MANAGEMENT='http://127.0.0.1:$mgmt_port/'"
  echo "export WEBHOOKS_SERVICES_PROFILE='$profile'"
  echo "export WEBHOOKS_PORT_BASE='$base'"
}

case "$cmd" in
  start)
    install_packages
    pg_start
    mq_start
    as_postgres "$(pg_bin)/psql" -h 127.0.0.1 -p $pg_port -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='webhooks'" | grep -q 1 ||
      as_postgres "$(pg_bin)/createdb" -h 127.0.0.1 -p $pg_port -U postgres webhooks
    echo "PostgreSQL  127.0.0.1:$pg_port (data in $pg_dir)"
    echo "RabbitMQ    amqp://127.0.0.1:$amqp_port  management http://127.0.0.1:$mgmt_port (guest/guest)"
    ;;
  stop) mq_stop; pg_stop; echo "stopped $profile services" ;;
  status)
    pg_running && echo "postgres: running on $pg_port" || echo "postgres: stopped"
    mq_running && echo "rabbitmq: running on $amqp_port" || echo "rabbitmq: stopped"
    ;;
  env) print_env ;;
  dir) echo "$dir" ;;
  pg-stop) pg_stop ;;
  pg-start) pg_start ;;
  mq-stop) mq_stop ;;
  mq-start) mq_start ;;
  # An empty broker: every queue, binding and message gone (the measuring scripts start from one).
  mq-reset) mq_stop; rm -rf "$mq_dir/mnesia" ;;
  *) echo "unknown command '$cmd'" >&2; exit 2 ;;
esac
