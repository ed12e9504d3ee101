#!/usr/bin/env bash
# revgraph benchmarks (see docs/performance.md):
#
#   bash Benchmarks/run.sh                       # everything: 1k, 10k, 100k vs Alembic and cat; 10k online
#                                                # upgrade; 100k and 1M in memory (about 25 minutes)
#   bash Benchmarks/run.sh --quick               # smoke run: 1k only, 2 runs, 10k in memory (< 2 minutes)
#   bash Benchmarks/run.sh --skip-postgresql     # without the online PostgreSQL upgrade (1k and 10k revisions
#                                                # on a throwaway server, scripts/postgres.sh; Alembic via psycopg2)
#   bash Benchmarks/run.sh --quick --skip-alembic
#   bash Benchmarks/run.sh --sizes 1000,10000 --runs 5 --markdown /tmp/perf.md
#
# Every other option goes to Benchmarks/bench.py (python3 Benchmarks/bench.py --help):
#   --sizes LIST  --runs N  --alembic-runs N  --alembic-timeout S  --upgrade-size N (0: skip)
#   --memory-sizes LIST ('' skips)  --memory-runs N  --seed N  --skip-alembic  --markdown FILE
#   --postgresql-sizes LIST ('' skips)  --postgresql-runs N  --postgresql-url URL (a server of your own)
#
# Environment:
#   REVGRAPH_BIN    use this revgraph binary instead of building the root package in release mode
#   BENCH_WORK      scratch directory for the histories (default ${TMPDIR:-/tmp}/revgraph-bench)
#   TMPDIR          Alembic's venv lives in ${TMPDIR:-/tmp}/revgraph-alembic-venv (shared with
#                   scripts/alembic-diff)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
VENV="${TMPDIR:-/tmp}/revgraph-alembic-venv"
WANT="1.20.1"
WORK="${BENCH_WORK:-${TMPDIR:-/tmp}/revgraph-bench}"

die() { echo "bench: $*" >&2; exit 2; }

skip_alembic=0
skip_postgresql=0
quick=0
args=()
for a in "$@"; do
  case "$a" in
    --skip-alembic) skip_alembic=1; args+=("$a") ;;
    --skip-postgresql) skip_postgresql=1 ;;
    --postgresql-url|--postgresql-url=*) skip_postgresql=2; args+=("$a") ;;
    --quick) quick=1 ;;
    *) args+=("$a") ;;
  esac
done
if [ "$quick" = 1 ]; then
  # Later options win in argparse, so explicit ones still override these.
  args=(--sizes 1000 --runs 2 --alembic-runs 1 --upgrade-size 1000 --memory-sizes 10000 --memory-runs 1
    --postgresql-sizes 1000 --postgresql-runs 1 "${args[@]}")
fi

command -v python3 >/dev/null || die "python3 not found"
command -v swift >/dev/null || die "swift not found"

# --- Alembic in a venv (scripts/alembic-venv.sh) ----------------------------------------
alembic_args=()
if [ "$skip_alembic" = 0 ]; then
  bash "$ROOT/scripts/alembic-venv.sh" "$VENV" "$WANT" >/dev/null || die "could not set up Alembic in $VENV"
  [ -x "$VENV/bin/alembic" ] || die "no alembic executable in $VENV"
  alembic_args=(--alembic "$VENV/bin/alembic")
fi

# --- PostgreSQL: a throwaway server (scripts/postgres.sh), psycopg2 for Alembic ----------------
postgresql_args=()
if [ "$skip_postgresql" = 0 ]; then
  server_dir=$(mktemp -d "${TMPDIR:-/tmp}/revgraph-bench-pg.XXXXXX")
  trap 'bash "$ROOT/scripts/postgres.sh" stop "$server_dir"' EXIT
  if url=$(bash "$ROOT/scripts/postgres.sh" start "$server_dir"); then
    postgresql_args=(--postgresql-url "$url")
  else
    echo "bench: NOTICE: no PostgreSQL server could be started; the PostgreSQL benchmark is skipped" >&2
  fi
fi
if [ "$skip_postgresql" != 1 ]; then
  if [ "$skip_alembic" = 0 ]; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check "psycopg2-binary>=2.9,<3" >&2 \
      || die "could not install psycopg2-binary in $VENV (or pass --skip-postgresql)"
  fi
  for candidate in /usr/lib/postgresql/*/bin/psql "$(command -v psql || true)"; do
    [ -x "$candidate" ] && postgresql_args+=(--psql "$candidate")
  done
fi

# --- binaries, all release builds ------------------------------------------------------------
if [ -n "${REVGRAPH_BIN:-}" ]; then
  BIN="$REVGRAPH_BIN"
else
  echo "bench: building revgraph (scripts/build-release.sh)" >&2
  BIN="$(bash "$ROOT/scripts/build-release.sh")" || die "swift build of revgraph failed"
fi
[ -x "$BIN" ] || die "revgraph binary not found at $BIN"
echo "bench: building Benchmarks (swift build -c release --package-path Benchmarks)" >&2
# SwiftPM can keep a stale view of the root package in Benchmarks/.build after the root's
# manifest changes (a new target: "no such module"); a clean build of the nested package fixes it.
if ! swift build -c release --package-path "$HERE" >&2; then
  echo "bench: retrying the Benchmarks build from a clean Benchmarks/.build" >&2
  rm -rf "$HERE/.build"
  swift build -c release --package-path "$HERE" >&2 || die "swift build of Benchmarks failed"
fi
BENCH_BIN="$(swift build -c release --package-path "$HERE" --show-bin-path)"

mkdir -p "$WORK"
python3 "$HERE/bench.py" --revgraph "$BIN" --generator "$BENCH_BIN/history-generator" \
  --graph-bench "$BENCH_BIN/graph-bench" --work "$WORK" "${alembic_args[@]}" "${postgresql_args[@]}" "${args[@]}"
