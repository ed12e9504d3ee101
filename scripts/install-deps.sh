#!/usr/bin/env bash
# Installs the Debian packages revgraph needs and that are missing: libsqlite3-dev (the
# runner links the system libsqlite3), and with --all also graphviz (diagrams) and sqlite3
# (the shell the offline-SQL tests feed scripts to). Uses sudo when not root.
set -euo pipefail
need=()
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
if [ "${1:-}" = "--all" ]; then
  command -v dot >/dev/null 2>&1 || need+=(graphviz)
  command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
fi
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing: ${need[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
