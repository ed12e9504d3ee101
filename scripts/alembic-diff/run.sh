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
bash "$ROOT/scripts/alembic-venv.sh" "$VENV" "$WANT" >/dev/null || die "could not set up Alembic in $VENV"
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
  echo "alembic-diff: building revgraph (scripts/build-release.sh)" >&2
  BIN="$(bash "$ROOT/scripts/build-release.sh")" || die "swift build failed"
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
