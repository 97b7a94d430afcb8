#!/usr/bin/env bash
# Runs Threshold's whole test suite: domain, storage on SQLite and on a throwaway PostgreSQL cluster,
# HTTP tests on a real Kestrel server, and browser tests in Debian's Chromium.
# It needs PostgreSQL's server binaries and Chromium; run as root it installs them when missing.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  else
    echo "test.sh: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Threshold.slnx -c Release
log=$(mktemp)
set +e
dotnet test Threshold.slnx -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One summed plain line for CI ("N passed, N failed, N skipped"), keeping dotnet test's exit code.
awk '/(Passed|Failed)!  - Failed:/ {
       for (i = 1; i <= NF; i++) {
         if ($i == "Failed:")  { f += $(i+1) }
         if ($i == "Passed:")  { p += $(i+1) }
         if ($i == "Skipped:") { s += $(i+1) }
       }
     }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
