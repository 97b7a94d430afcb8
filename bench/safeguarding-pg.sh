#!/usr/bin/env bash
# The front door's triage-screen benchmark on a throwaway PostgreSQL cluster, started here and removed
# on exit.
#   bench/safeguarding-pg.sh [referrals] [--requests N]
# Seeding is one ledger append (one transaction) per referral; with PostgreSQL's default durability
# that is one fsync'd commit each, so the cluster runs with synchronous_commit=off (commits are still
# atomic and ordered; only the last few hundred milliseconds could be lost in a crash). The screen's
# own audited appends benefit from it too: say so next to the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib/throwaway-pg.sh
start_throwaway_pg threshold_bench -c synchronous_commit=off

referrals="${1:-500000}"
shift || true
dotnet run -c Release --project bench/Threshold.Bench.Safeguarding -- "$referrals" "$@" --database "$PG_CONNECTION"
