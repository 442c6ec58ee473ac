#!/usr/bin/env bash
# A local Citus cluster for development, tests and benchmarks (issue 21): a coordinator and two
# workers on loopback ports, data under .data/citus/, run as the postgres OS user beside (never
# instead of) the machine's own PostgreSQL on 5432.
#
#   deploy/citus/cluster.sh start   build + install Citus where missing, start, register workers
#   deploy/citus/cluster.sh stop    stop the three instances (data kept)
#   deploy/citus/cluster.sh status  the nodes and their state
#   deploy/citus/cluster.sh node-stop <port> / node-start <port>   one worker (node-failure tests)
#
# The application then needs only DATABASE_URL=postgresql://postgres@127.0.0.1:9700/karyalay;
# its migration tenants.0008 finishes the set-up of every database it migrates (tenants/citus.py).
set -euo pipefail
cd "$(dirname "$0")/../.."

VERSION=13.2.2
VENDOR="${KARYALAY_VENDOR_DIR:-$(cd .. && pwd)/shared/vendor}"
PGBIN="$(pg_config --bindir)"
ROOT="$(pwd)/.data/citus"
BUILD="$ROOT/build"
COORD_PORT="${CITUS_COORDINATOR_PORT:-9700}"
WORKER_PORTS=("${CITUS_WORKER1_PORT:-9701}" "${CITUS_WORKER2_PORT:-9702}")
DB="${CITUS_DATABASE:-karyalay}"

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

installed() {
  [ -f "$(pg_config --pkglibdir)/citus.so" ] &&
    grep -q "default_version = '13.2" "$(pg_config --sharedir)/extension/citus.control" 2>/dev/null
}

install_citus() {
  installed && return 0
  local deps=(postgresql-server-dev-15 libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev libicu-dev)
  local missing=()
  for dep in "${deps[@]}"; do dpkg -s "$dep" >/dev/null 2>&1 || missing+=("$dep"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "citus: installing build dependencies: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  local src="$BUILD/citus-$VERSION"
  if [ ! -f "$src/src/backend/distributed/citus.so" ]; then
    echo "citus: building $VERSION from $VENDOR (make -j2; a few minutes)"
    rm -rf "$src" && mkdir -p "$BUILD"
    tar xzf "$VENDOR/citus-$VERSION.tar.gz" -C "$BUILD"
    patch -d "$src" -p1 -s <"$VENDOR/citus-$VERSION-pg15.20.patch"
    # No libcurl: it only serves the anonymous usage statistics, which an offline state network
    # must not try to send. No LLVM bitcode: the project runs with jit=off.
    (cd "$src" && ./configure -q --without-libcurl >/dev/null && make -s -j2 with_llvm=no >/dev/null)
  fi
  (cd "$src" && make -s install with_llvm=no >/dev/null)
  installed
}

node_dir() { echo "$ROOT/node$1"; }

node_init() {
  local port=$1 role=$2 dir
  dir="$(node_dir "$port")"
  [ -f "$dir/PG_VERSION" ] && return 0
  mkdir -p "$dir" && chown postgres:postgres "$ROOT" "$dir" 2>/dev/null || true
  as_pg "$PGBIN/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$dir/postgresql.conf" <<EOF
# --- Karyalay local Citus cluster ($role) ---
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
shared_preload_libraries = 'citus'
max_connections = 300
shared_buffers = 128MB
# Logical decoding lets a district move between workers while it takes writes.
wal_level = logical
max_replication_slots = 20
max_wal_senders = 20
# A local test cluster on a shared machine: durability is not its purpose.
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
citus.shard_replication_factor = 1
# Every new schema is a distributed schema: a district is placed whole on one worker.
citus.enable_schema_based_sharding = on
# CREATE/DROP DATABASE stay on the coordinator: Citus's propagation of them is not transactional
# and left half-made databases on the workers when the test runner dropped and made its own
# again. tenants/citus.py makes a database on the workers itself when it prepares one.
citus.enable_create_database_propagation = off
# Audit triggers run on the worker that holds the district (tenants/citus.py explains why safe).
citus.enable_unsafe_triggers = on
# Where tenants.citus finds this cluster's workers when it prepares a new database.
karyalay.citus_workers = '$(IFS=,; echo "${WORKER_PORTS[*]/#/127.0.0.1:}")'
EOF
}

node_start() {
  local port=$1 dir
  dir="$(node_dir "$port")"
  as_pg "$PGBIN/pg_ctl" -D "$dir" status >/dev/null 2>&1 && return 0
  # A shard move opens a connection per table of the district from one backend: the default soft
  # limit of 1,024 files ran out moving a district of 10,000 files (bench/citus.py).
  # (Raised inside the postgres user's shell: runuser applies the default limits again.)
  as_pg sh -c 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" -D "$1" -l "$1/server.log" -w -t 60 start' \
    "$PGBIN/pg_ctl" "$dir" >/dev/null
}

node_stop() {
  local dir
  dir="$(node_dir "$1")"
  [ -f "$dir/PG_VERSION" ] || return 0
  as_pg "$PGBIN/pg_ctl" -D "$dir" status >/dev/null 2>&1 || return 0
  as_pg "$PGBIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null
}

psql_at() { "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -p "$1" -d "$2" -Atc "$3"; }

start() {
  install_citus
  node_init "$COORD_PORT" coordinator
  for port in "${WORKER_PORTS[@]}"; do node_init "$port" worker; done
  for port in "$COORD_PORT" "${WORKER_PORTS[@]}"; do node_start "$port"; done
  # The application's database: created on the coordinator (and so on every worker), then
  # prepared by the same code that prepares the test runner's databases.
  if [ -z "$(psql_at "$COORD_PORT" postgres "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
    psql_at "$COORD_PORT" postgres "CREATE DATABASE $DB"
  fi
  local url="postgresql://postgres@127.0.0.1:$COORD_PORT/$DB"
  if [ -x .venv/bin/python ]; then
    .venv/bin/python -m tenants.citus prepare "$url"
  fi
  echo "citus: coordinator 127.0.0.1:$COORD_PORT, workers ${WORKER_PORTS[*]}; DATABASE_URL=$url"
}

stop() {
  for port in "${WORKER_PORTS[@]}" "$COORD_PORT"; do node_stop "$port"; done
  echo "citus: stopped"
}

status() {
  for port in "$COORD_PORT" "${WORKER_PORTS[@]}"; do
    if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port"; then echo "$port up"; else echo "$port down"; fi
  done
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  node-stop) node_stop "$2" ;;
  node-start) node_start "$2" ;;
  *) echo "usage: $0 start|stop|status|node-stop PORT|node-start PORT" >&2; exit 2 ;;
esac
