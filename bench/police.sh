#!/usr/bin/env bash
# The police work lists and case page (issue 6) against a running `threshold serve`, on SQLite and on a
# throwaway PostgreSQL cluster (started here, removed on exit).
#   bench/police.sh [cases] [requests]        default 100000 cases, 200 rounds
# For each store: seed the cases through the ledger (bench/Threshold.Bench.Police seed; both stores at
# once), start `threshold serve` on that data (the Release build, as an operator would run it), then
# measure the four work lists, a random case page and /health in the same loop, from the Server-Timing
# header the server sends. PostgreSQL runs with synchronous_commit=off for the seeding (one append per case), as
# bench/safeguarding-pg.sh does; the pages' own audit appends benefit too: say so next to the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${1:-100000}"
requests="${2:-200}"

dotnet build -c Release src/Threshold/Threshold.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/Threshold.Bench.Police/Threshold.Bench.Police.csproj -v q -nologo >/dev/null
bench=(dotnet bench/Threshold.Bench.Police/bin/Release/net10.0/Threshold.Bench.Police.dll)
threshold=(dotnet src/Threshold/bin/Release/net10.0/threshold.dll)
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

server_pid=""
stop_server() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""; fi; }

# measure LABEL DATA_DIR [--database CONN]: serve the seeded store and run the load against it.
measure() {
    local label="$1" data="$2"
    shift 2
    echo "== $label"
    local p
    p="$(port)"
    "${threshold[@]}" serve --data "$data" "$@" --urls "http://127.0.0.1:$p" >"$data/serve.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 120); do
        curl -fs "http://127.0.0.1:$p/health" >/dev/null 2>&1 && break
        sleep 0.5
    done
    "${bench[@]}" load --url "http://127.0.0.1:$p" --cases "$cases" --requests "$requests"
    stop_server
}

sqlite_dir="$(mktemp -d /tmp/threshold-bench-police-XXXXXX)"
pg_dir="$(mktemp -d /tmp/threshold-bench-police-pg-XXXXXX)"
. bench/lib/throwaway-pg.sh
start_throwaway_pg threshold_police -c synchronous_commit=off
trap 'stop_server; rm -rf "$sqlite_dir" "$pg_dir"; _stop_throwaway_pg' EXIT

# The two seedings run side by side (SQLite's is one core; PostgreSQL's waits on the server most of
# the time); the measurements run one after the other on an otherwise idle machine.
"${bench[@]}" seed "$cases" --data "$sqlite_dir" > "$sqlite_dir/seed.log" 2>&1 &
sqlite_seed=$!
"${bench[@]}" seed "$cases" --data "$pg_dir" --database "$PG_CONNECTION" > "$pg_dir/seed.log" 2>&1 &
pg_seed=$!
wait "$sqlite_seed"
wait "$pg_seed"
cat "$sqlite_dir/seed.log" "$pg_dir/seed.log"

measure "SQLite" "$sqlite_dir"
measure "PostgreSQL" "$pg_dir" --database "$PG_CONNECTION"
