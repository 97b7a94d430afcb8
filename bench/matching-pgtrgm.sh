#!/usr/bin/env bash
# The matching benchmarks with their PostgreSQL pg_trgm baseline, in one run:
#   bench/matching-pgtrgm.sh [all|index|stream|pairs|dice] [--persons N] [--left-rows N] [--right-rows N]
# Starts a throwaway PostgreSQL cluster with pg_trgm, builds the threshold executable (for the
# streaming run) and the benchmark in Release, runs the benchmark against the cluster, and removes
# the cluster on exit. Figures: docs/matching.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/throwaway-pg.sh
# The baseline gets a fair chance: shared buffers large enough to hold the table and its index,
# and no JIT compilation (which adds tens of milliseconds to expensive short queries).
start_throwaway_pg threshold_bench -c shared_buffers=1GB -c jit=off
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d threshold_bench -qc "CREATE EXTENSION pg_trgm"

what="${1:-all}"
[ $# -gt 0 ] && shift
dotnet build -c Release src/Threshold -v quiet -nologo >/dev/null
dotnet run -c Release --project bench/Threshold.Bench.Matching -- "$what" "$@" --pgtrgm "$PG_CONNECTION"
