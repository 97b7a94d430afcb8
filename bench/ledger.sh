#!/usr/bin/env bash
# The ledger benchmark on SQLite and on a throwaway PostgreSQL cluster, started here and removed on exit
# (PostgreSQL's default durability: fsync on).
#   bench/ledger.sh [--events N]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/throwaway-pg.sh
start_throwaway_pg threshold_bench

dotnet run -c Release --project bench/Threshold.Bench -- ledger "$@" --postgres "$PG_CONNECTION"
