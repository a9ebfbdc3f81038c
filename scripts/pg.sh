#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL cluster for the tests (never as root: as user postgres).
# usage: scripts/pg.sh start DIR PORT | scripts/pg.sh stop DIR
#        scripts/pg.sh standby DIR PORT PRIMARY_PORT   (a hot standby of the cluster on PRIMARY_PORT:
#        pg_basebackup -R, then streaming replication; read-only; stop it like any other)
set -euo pipefail
cmd="$1"; dir="$2"
bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[[ -x "$bindir/initdb" ]] || { echo "错误：未找到 PostgreSQL（initdb）。/ error: PostgreSQL server binaries not found" >&2; exit 1; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
  start)
    port="$3"
    mkdir -p "$dir"; [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    as_pg "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
    ;;
  standby)
    # Replication connections from 127.0.0.1 are trusted by initdb's default pg_hba.conf (start
    # uses --auth=trust), and wal_level=replica / max_wal_senders=10 are PostgreSQL's defaults.
    # A hot standby needs max_connections at least the primary's (200 above, given with -o, so
    # not in the copied postgresql.conf): it is repeated here.
    port="$3"; primary="$4"
    mkdir -p "$dir"; [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    as_pg "$bindir/pg_basebackup" -h 127.0.0.1 -p "$primary" -U postgres -D "$dir/data" -R -X stream -c fast --no-sync >/dev/null
    as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off -c max_connections=200" start >/dev/null
    ;;
  stop)
    as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
esac
