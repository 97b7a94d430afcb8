# Sourced by the benchmark scripts: starts a throwaway PostgreSQL cluster and removes it on exit, like
# the tests' PostgresServer fixture (initdb/pg_ctl as the postgres user when run as root — initdb and
# postgres refuse root —, data folder under /tmp, socket in /tmp, a free loopback port).
#
#   . "$(dirname "$0")/lib/throwaway-pg.sh"
#   start_throwaway_pg DATABASE [postgres -c options…]   # sets PG_BIN, PG_PORT, PG_CONNECTION
#
# PG_CONNECTION is an Npgsql connection string to DATABASE on the cluster.

start_throwaway_pg() {
    local database="$1"
    shift
    PG_BIN="${THRESHOLD_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        echo "PostgreSQL server binaries not found: apt-get install -y postgresql (or set THRESHOLD_PG_BIN)" >&2
        exit 2
    fi
    _pg_root="$(mktemp -d /tmp/threshold-bench-pg-XXXXXX)"
    _pg_as=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$_pg_root"
        _pg_as=(runuser -u postgres --)
    fi
    trap _stop_throwaway_pg EXIT
    PG_PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
        || shuf -i 40000-59999 -n 1)"
    local options="-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1 $*"
    (cd "$_pg_root" && "${_pg_as[@]}" "$PG_BIN/initdb" -D "$_pg_root/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null)
    (cd "$_pg_root" && "${_pg_as[@]}" "$PG_BIN/pg_ctl" -D "$_pg_root/data" -l "$_pg_root/server.log" -w -o "$options" start >/dev/null)
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres "$database"
    PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$database"
}

_stop_throwaway_pg() {
    (cd "$_pg_root" && "${_pg_as[@]}" "$PG_BIN/pg_ctl" -D "$_pg_root/data" -m immediate stop >/dev/null 2>&1) || true
    rm -rf "$_pg_root"
}
