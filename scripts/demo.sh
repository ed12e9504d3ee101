#!/usr/bin/env bash
# A guided tour of revgraph on a scratch project with two branches: builds the tool, writes
# a few native SQL revisions, and asks the read-only questions a team asks every day.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
swift build --package-path "$root" -c release --product revgraph >/dev/null
revgraph="$root/.build/release/revgraph"
demo="$(mktemp -d "${TMPDIR:-/tmp}/revgraph-demo.XXXXXX")"
cd "$demo"

say() { printf '\n\033[1m## %s\033[0m\n' "$*"; }
run() { printf '$ revgraph %s\n' "$*"; "$revgraph" "$@" || true; }

mkdir -p migrations/versions
printf 'script_location = "migrations"\n' > revgraph.toml
revision() { # id parents labels message sql
  {
    echo "-- revision: $1"
    [ -n "$2" ] && echo "-- down_revision: $2"
    [ -n "$3" ] && echo "-- branch_labels: $3"
    echo "-- message: $4"
    echo
    echo "-- +upgrade"
    echo "$5"
    echo
    echo "-- +downgrade"
    echo "-- (reverse of the above)"
  } > "migrations/versions/$1.sql"
}
revision 1a2b3c4d5e6f "" "" "create account table" "CREATE TABLE account (id INTEGER PRIMARY KEY, name TEXT NOT NULL);"
revision 2b3c4d5e6f70 1a2b3c4d5e6f "" "add email to account" "ALTER TABLE account ADD COLUMN email TEXT;"
revision 3c4d5e6f7081 2b3c4d5e6f70 "" "create orders table" "CREATE TABLE orders (id INTEGER PRIMARY KEY, account_id INTEGER);"
revision 9f8e7d6c5b4a 2b3c4d5e6f70 shopping_cart "create cart table" "CREATE TABLE cart (id INTEGER PRIMARY KEY);"
revision 8e7d6c5b4a39 9f8e7d6c5b4a "" "add cart items" "CREATE TABLE cart_item (cart_id INTEGER, sku TEXT);"

say "A project in $demo: revgraph.toml and five revisions; two branches grew from 2b3c"
run history
say "Two heads: the main line and the shopping_cart branch"
run heads
run branches
say "Targets use Alembic's grammar: prefixes, labels, label@head, relative steps"
run resolve 3c4d
run resolve shopping_cart@head
run resolve 2b3c+1
run resolve shopping_cart@2b3c+1
say "'head' is ambiguous with two heads — the error says what to do"
run resolve head
say "Plan an upgrade of an empty database to every head, with the version table after each step"
run upgrade heads --plan --from base
say "From the main line's head, what does upgrading the cart branch take?"
run upgrade shopping_cart@head --plan --from 3c4d5e6f7081
say "Downgrade only the cart branch"
run downgrade shopping_cart@base --plan --from 3c4d5e6f7081,8e7d6c5b4a39
say "Every read command speaks JSON"
run heads --format json
say "The CI gate: two heads is exit 9, with the command that fixes it"
run check
say "Did the two branches touch the same tables?"
run conflicts
say "Merge them: the id comes from the heads, so every clone writes the same file"
run merge heads
run check
printf '\nThe demo project stays in %s\n' "$demo"
