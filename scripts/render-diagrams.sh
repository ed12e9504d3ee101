#!/usr/bin/env bash
# Redraws the example diagrams in docs/images/ from the example project in docs/examples/shop
# with revgraph itself (SVG needs graphviz: apt-get install graphviz). The DOT file is also
# checked by the tests, so run this after changing how diagrams look.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
swift build --package-path "$root" --product revgraph >/dev/null
revgraph="$(swift build --package-path "$root" --show-bin-path)/revgraph"
project="$root/docs/examples/shop/revgraph.toml"
"$revgraph" graph -c "$project" -o "$root/docs/images/example.dot"
"$revgraph" graph -c "$project" -o "$root/docs/images/example.svg"
"$revgraph" history -c "$project" --graph > "$root/docs/images/example-lanes.txt"
echo "wrote docs/images/example.{dot,svg} and example-lanes.txt"
