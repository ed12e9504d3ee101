#!/usr/bin/env bash
# Differential check of revgraph against the real Alembic (see README.md).
#
#   bash scripts/alembic-diff/run.sh [--graphs N] [--queries M] [--seed S] [other diff.py options]
#
# Environment:
#   REVGRAPH_BIN   use this revgraph binary instead of building one
#   TMPDIR         the venv lives in ${TMPDIR:-/tmp}/revgraph-alembic-venv
#
# Exit status: 0 when every query agreed, 1 when any disagreed, 2 on setup failure.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${TMPDIR:-/tmp}/revgraph-alembic-venv"
WANT="1.20.1"

die() { echo "alembic-diff: $*" >&2; exit 2; }

# --- Python venv with Alembic -------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  command -v python3 >/dev/null || die "python3 not found"
  python3 -m venv "$VENV" || die "could not create the venv $VENV"
fi
have="$("$VENV/bin/python" -c 'import alembic; print(alembic.__version__)' 2>/dev/null || true)"
if [ "$have" != "$WANT" ]; then
  if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check "alembic==$WANT" >&2; then
    echo "alembic-diff: alembic==$WANT is not installable; falling back to the newest Alembic 1.x" >&2
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade "alembic>=1,<2" >&2 \
      || die "could not install Alembic"
  fi
fi
used="$("$VENV/bin/python" -c 'import alembic; print(alembic.__version__)')" || die "Alembic does not import"
if [ "$used" != "$WANT" ]; then
  echo "alembic-diff: WARNING: using Alembic $used (wanted $WANT)"
else
  echo "alembic-diff: using Alembic $used"
fi

# --- revgraph binary ------------------------------------------------------------
if [ -n "${REVGRAPH_BIN:-}" ]; then
  BIN="$REVGRAPH_BIN"
else
  command -v swift >/dev/null || die "swift not found (or set REVGRAPH_BIN)"
  echo "alembic-diff: building revgraph (swift build -c release --product revgraph)" >&2
  (cd "$ROOT" && swift build -c release --product revgraph >&2) || die "swift build failed"
  BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/revgraph"
fi
[ -x "$BIN" ] || die "revgraph binary not found at $BIN"
echo "alembic-diff: revgraph binary $BIN"

# --- run ----------------------------------------------------------------------------
# PYTHONHASHSEED=0: Alembic iterates sets in a few places (see README.md).
set +e
PYTHONHASHSEED=0 "$VENV/bin/python" "$HERE/diff.py" --revgraph "$BIN" "$@"
rc=$?
set -e
exit "$rc"
