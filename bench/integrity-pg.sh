#!/usr/bin/env bash
# The referral integrity check's latency benchmark on a throwaway PostgreSQL cluster, started here and
# removed on exit.
#   bench/integrity-pg.sh [persons] [--referrals N]
# Loading is one ledger append (one transaction) per police case; with PostgreSQL's default durability
# that is one fsync'd commit each, so the cluster runs with synchronous_commit=off (commits are still
# atomic and ordered). The timed referrals' appends benefit from it too: say so next to the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/throwaway-pg.sh
start_throwaway_pg threshold_bench -c synchronous_commit=off

persons="${1:-1000000}"
shift || true
dotnet run -c Release --project bench/Threshold.Bench.Integrity -- latency "$persons" "$@" --database "$PG_CONNECTION"
