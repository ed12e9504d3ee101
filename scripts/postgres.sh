#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: `scripts/postgres.sh start DIR` makes a cluster
# in DIR (initdb, trust authentication, loopback only, a free port), starts it and prints its
# URL; `scripts/postgres.sh stop DIR` stops it and removes DIR. Run as root, the server runs as
# the `postgres` user (it refuses to run as root); run as another user, it runs as that user.
# Exits 3, saying why on standard error, when no server can be started here.
set -euo pipefail
command_name=${1:-}
dir=${2:-}
[ -n "$command_name" ] && [ -n "$dir" ] || { echo "usage: scripts/postgres.sh start|restart|stop DIR" >&2; exit 2; }

bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && bin=$candidate
done
if [ -z "$bin" ] && command -v initdb >/dev/null 2>&1; then bin=$(dirname "$(command -v initdb)"); fi

# The server is a daemon that outlives this script: it must not keep any descriptor this script
# inherited beyond standard input, output and error. A caller that waits for the script by
# watching a descriptor (Foundation's Process on Linux watches a socket its child inherits)
# would otherwise wait for as long as the server runs.
close_inherited_descriptors() {
  local fd
  for fd in $(ls "/proc/$BASHPID/fd" 2>/dev/null); do
    if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command_name" in
  start)
    [ -n "$bin" ] || { echo "postgres.sh: no initdb found (apt-get install postgresql-15)" >&2; exit 3; }
    if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
      echo "postgres.sh: running as root, but there is no 'postgres' user to run the server as" >&2
      exit 3
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_server "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || as_server "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >"$dir/initdb.log" 2>&1 \
      || { echo "postgres.sh: initdb failed:" >&2; tail -5 "$dir/initdb.log" >&2; exit 3; }
    close_inherited_descriptors
    port=""
    for candidate in $(seq 54320 54999); do
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
    done
    [ -n "$port" ] || { echo "postgres.sh: no free port in 54320-54999" >&2; exit 3; }
    if ! as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
      echo "postgres.sh: the server did not start:" >&2
      tail -5 "$dir/data/server.log" >&2 || true
      exit 3
    fi
    echo "$port" >"$dir/port"
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  restart)
    [ -n "$bin" ] && [ -d "$dir/data" ] || { echo "postgres.sh: no server in $dir to restart" >&2; exit 3; }
    close_inherited_descriptors
    as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -m fast -w -t 60 restart >/dev/null
    ;;
  stop)
    if [ -d "$dir/data" ] && [ -n "$bin" ]; then
      as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|restart|stop DIR" >&2
    exit 2
    ;;
esac
