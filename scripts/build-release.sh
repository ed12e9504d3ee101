#!/usr/bin/env bash
# Builds the release revgraph binary and prints its path (build output goes to stderr).
#
# Swift's runtime and Foundation are linked in statically (--static-swift-stdlib): the binary
# then needs only the C libraries and libsqlite3, and starts in about half the time (no
# dynamic loading and relocation of a dozen Swift libraries; `revgraph --version` 12 ms ->
# 6 ms on the benchmark machine, docs/performance.md). demo.sh, the Alembic differential check
# and the benchmarks all build through here, with the same flags, so they share one build.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
flags=(--package-path "$ROOT" -c release --static-swift-stdlib)
swift build "${flags[@]}" --product revgraph >&2
echo "$(swift build "${flags[@]}" --show-bin-path)/revgraph"
