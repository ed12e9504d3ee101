#!/usr/bin/env bash
# The test suite, as CI runs it: installs what is missing (scripts/install-deps.sh --all),
# starts a throwaway PostgreSQL server (scripts/postgres.sh), runs `swift test` with its URL
# in REVGRAPH_TEST_POSTGRESQL_URL, and stops the server at the end. Arguments go to
# `swift test` (e.g. --filter RunnerTests). When no server can be started, the PostgreSQL
# tests are skipped and say so; REVGRAPH_TEST_POSTGRESQL_URL set beforehand uses that server.
# For the tests that drive the real Alembic on PostgreSQL it also makes the Alembic venv
# (scripts/alembic-venv.sh) with psycopg2-binary, and names its python in
# REVGRAPH_TEST_ALEMBIC_PYTHON; when that cannot be installed (no network), they are skipped
# and say so.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --all

if [ -z "${REVGRAPH_TEST_POSTGRESQL_URL:-}" ]; then
  server=$(mktemp -d /tmp/revgraph-pg.XXXXXX)
  trap 'bash scripts/postgres.sh stop "$server"' EXIT
  if url=$(bash scripts/postgres.sh start "$server"); then
    export REVGRAPH_TEST_POSTGRESQL_URL=$url
    export REVGRAPH_TEST_POSTGRESQL_DIR=$server/data
    echo "test.sh: PostgreSQL test server at $url" >&2
  else
    echo "test.sh: NOTICE: no PostgreSQL server could be started; the PostgreSQL tests are skipped" >&2
  fi
fi
if [ -n "${REVGRAPH_TEST_POSTGRESQL_URL:-}" ] && [ -z "${REVGRAPH_TEST_ALEMBIC_PYTHON:-}" ]; then
  if python=$(bash scripts/alembic-venv.sh) \
    && "$python" -m pip install -q --disable-pip-version-check "psycopg2-binary>=2.9,<3" >&2; then
    export REVGRAPH_TEST_ALEMBIC_PYTHON=$python
  else
    echo "test.sh: NOTICE: no Alembic venv with psycopg2; the Alembic-on-PostgreSQL tests are skipped" >&2
  fi
fi
swift test "$@"
