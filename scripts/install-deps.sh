#!/usr/bin/env bash
# Installs the Debian packages revgraph needs and that are missing: libsqlite3-dev and
# libpq-dev (the runner links the system libsqlite3 and PostgreSQL's libpq), and with --all
# also graphviz (diagrams), sqlite3 (the shell the offline-SQL tests feed scripts to) and
# postgresql-15 (the server the PostgreSQL tests start, and psql). Uses sudo when not root.
set -euo pipefail
need=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
dpkg -s libpq-dev >/dev/null 2>&1 || need+=(libpq-dev)
if [ "${1:-}" = "--all" ]; then
  command -v dot >/dev/null 2>&1 || need+=(graphviz)
  command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql-15)
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing: ${need[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
