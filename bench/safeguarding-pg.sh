#!/usr/bin/env bash
# The front door's triage-screen benchmark on a throwaway PostgreSQL cluster, started here and removed
# on exit (like bench/ledger.sh).
#   bench/safeguarding-pg.sh [referrals] [--requests N]
# Seeding is one ledger append (one transaction) per referral; with PostgreSQL's default durability
# that is one fsync'd commit each, so the cluster runs with synchronous_commit=off (commits are still
# atomic and ordered; only the last few hundred milliseconds could be lost in a crash). The screen's
# own audited appends benefit from it too: say so next to the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${THRESHOLD_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL server binaries not found: apt-get install -y postgresql (or set THRESHOLD_PG_BIN)" >&2
    exit 2
fi

root="$(mktemp -d /tmp/threshold-bench-sg-pg-XXXXXX)"
as_postgres=()
if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$root"
    as_postgres=(runuser -u postgres --)
fi
cleanup() {
    (cd "$root" && "${as_postgres[@]}" "$bin/pg_ctl" -D "$root/data" -m immediate stop >/dev/null 2>&1) || true
    rm -rf "$root"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
    || shuf -i 40000-59999 -n 1)"
(cd "$root" && "${as_postgres[@]}" "$bin/initdb" -D "$root/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null)
(cd "$root" && "${as_postgres[@]}" "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w \
    -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c synchronous_commit=off" start >/dev/null)
"$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres threshold_bench

referrals="${1:-500000}"
shift || true
dotnet run -c Release --project bench/Threshold.Bench.Safeguarding -- "$referrals" "$@" \
    --database "Host=127.0.0.1;Port=$port;Username=postgres;Database=threshold_bench"
