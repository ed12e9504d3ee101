#!/usr/bin/env bash
# The test suite, as CI runs it: installs what is missing (scripts/install-deps.sh --all),
# starts a throwaway PostgreSQL server (scripts/postgres.sh), runs `swift test` with its URL
# in REVGRAPH_TEST_POSTGRESQL_URL, and stops the server at the end. Arguments go to
# `swift test` (e.g. --filter RunnerTests). When no server can be started, the PostgreSQL
# tests are skipped and say so; REVGRAPH_TEST_POSTGRESQL_URL set beforehand uses that server.
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
swift test "$@"
