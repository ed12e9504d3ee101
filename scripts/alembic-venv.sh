#!/usr/bin/env bash
# Makes sure a Python venv with Alembic exists and prints the path of its python.
#
#   python="$(bash scripts/alembic-venv.sh [VENV] [VERSION])"
#
# VENV defaults to ${TMPDIR:-/tmp}/revgraph-alembic-venv, VERSION to 1.20.1; when that exact
# version is not installable, the newest Alembic 1.x is installed (with a warning on stderr).
# Used by scripts/alembic-diff/run.sh and Benchmarks/run.sh. Exit status 2 on failure.
set -euo pipefail
venv="${1:-${TMPDIR:-/tmp}/revgraph-alembic-venv}"
want="${2:-1.20.1}"
die() { echo "alembic-venv: $*" >&2; exit 2; }
if [ ! -x "$venv/bin/python" ]; then
  command -v python3 >/dev/null || die "python3 not found"
  python3 -m venv "$venv" || die "could not create the venv $venv"
fi
have="$("$venv/bin/python" -c 'import alembic; print(alembic.__version__)' 2>/dev/null || true)"
if [ "$have" != "$want" ]; then
  if ! "$venv/bin/python" -m pip install -q --disable-pip-version-check "alembic==$want" >&2; then
    echo "alembic-venv: alembic==$want is not installable; falling back to the newest Alembic 1.x" >&2
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade "alembic>=1,<2" >&2 \
      || die "could not install Alembic"
  fi
fi
"$venv/bin/python" -c 'import alembic' 2>/dev/null || die "Alembic does not import in $venv"
echo "$venv/bin/python"
