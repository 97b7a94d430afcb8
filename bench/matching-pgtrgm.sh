#!/usr/bin/env bash
# The matching benchmarks with their PostgreSQL pg_trgm baseline, in one run:
#   bench/matching-pgtrgm.sh [all|index|stream|pairs|dice] [--persons N] [--left-rows N] [--right-rows N]
# Starts a throwaway PostgreSQL cluster (initdb/pg_ctl as the postgres user when run as root, data
# folder under /tmp, socket in /tmp, a free loopback port, CREATE EXTENSION pg_trgm), builds the
# threshold executable (for the streaming run) and the benchmark in Release, runs the benchmark
# against the cluster, and stops and removes the cluster on exit. Figures: docs/matching.md.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${THRESHOLD_PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$bin/initdb" ]; then
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL server binaries not found: apt-get install -y postgresql (or set THRESHOLD_PG_BIN)" >&2
    exit 2
fi

root="$(mktemp -d /tmp/threshold-pgtrgm-XXXXXX)"
as_postgres=()
if [ "$(id -u)" = 0 ]; then
    # initdb and postgres refuse to run as root: the cluster belongs to the postgres user.
    chown postgres:postgres "$root"
    as_postgres=(runuser -u postgres --)
fi
cleanup() {
    (cd "$root" && "${as_postgres[@]}" "$bin/pg_ctl" -D "$root/data" -m fast stop >/dev/null 2>&1) || true
    rm -rf "$root"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd "$root" && "${as_postgres[@]}" "$bin/initdb" -D "$root/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null)
# The baseline gets a fair chance: shared buffers large enough to hold the table and its index,
# and no JIT compilation (which adds tens of milliseconds to expensive short queries).
(cd "$root" && "${as_postgres[@]}" "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c jit=off" start >/dev/null)
"$bin/psql" -h /tmp -p "$port" -U postgres -d postgres -qc "CREATE DATABASE threshold_bench"
"$bin/psql" -h /tmp -p "$port" -U postgres -d threshold_bench -qc "CREATE EXTENSION pg_trgm"

what="${1:-all}"
[ $# -gt 0 ] && shift
dotnet build -c Release src/Threshold -v quiet -nologo >/dev/null
dotnet run -c Release --project bench/Threshold.Bench.Matching -- "$what" "$@" \
    --pgtrgm "Host=/tmp;Port=$port;Username=postgres;Database=threshold_bench"
