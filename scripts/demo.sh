#!/usr/bin/env bash
# A guided tour of revgraph on a scratch project and a real SQLite database: init, three
# revisions, a labelled second branch, upgrade, current, history, downgrade, upgrade a branch.
# docs/tutorial.md walks through the same steps by hand.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/install-deps.sh"
echo "building revgraph (release; the first build takes a few minutes)..." >&2
build_log="$(mktemp)"
# Progress while it builds: SwiftPM's step counter, at most one line every few seconds (the
# whole output is kept for when the build fails).
progress() {
  local last=0 now line
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$build_log"
    now=$(date +%s)
    if [[ "$line" =~ ^\[[0-9]+/[0-9]+\] ]] && ((now - last >= 3)); then
      printf '  %s\n' "${line:0:100}" >&2
      last=$now
    elif [[ "$line" == *"Build complete"* || "$line" == *"Compiling"*"error"* ]]; then
      printf '  %s\n' "$line" >&2
    fi
  done
}
revgraph="$(bash "$root/scripts/build-release.sh" 2> >(progress))" || {
  sleep 1
  cat "$build_log" >&2
  exit 1
}
sleep 0.2 # let the progress reader write its last line
rm -f "$build_log"
demo="$(mktemp -d "${TMPDIR:-/tmp}/revgraph-demo.XXXXXX")"
cd "$demo"

say() { printf '\n\033[1m## %s\033[0m\n' "$*"; }
show() { printf '\033[2m$ revgraph'; printf ' %q' "$@"; printf '\033[0m\n'; }
run() { show "$@"; "$revgraph" "$@" || true; }
# new_revision UPGRADE_SQL DOWNGRADE_SQL revision-args...: writes a revision, fills its sections.
new_revision() {
  local up="$1" down="$2"
  shift 2
  show revision "$@"
  local path
  path="$("$revgraph" revision "$@" | sed -n 's/^Generated //p')"
  echo "Generated ${path#"$demo"/}"
  UP="$up" DOWN="$down" perl -0pi -e 's/-- \+upgrade\n\n/-- +upgrade\n$ENV{UP}\n/; s/-- \+downgrade\n/-- +downgrade\n$ENV{DOWN}\n/' "$path"
  last="$(sed -n 's/^-- revision: //p' "$path")"
}

say "1. A new project in $demo"
run init migrations
cat revgraph.toml | grep -v '^#'

say "2. Three revisions on the main line (revgraph fills in ids and parents; we add the SQL)"
new_revision "CREATE TABLE account (id INTEGER PRIMARY KEY, name TEXT NOT NULL);" "DROP TABLE account;" \
  -m "create account table"
new_revision "ALTER TABLE account ADD COLUMN email TEXT;" "ALTER TABLE account DROP COLUMN email;" \
  -m "add email to account"
email="$last"
new_revision "CREATE TABLE orders (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES account(id));" \
  "DROP TABLE orders;" -m "create orders table"
echo
sed -n '1,20p' migrations/versions/"$last"_*.sql

say "3. A second branch, labelled shopping_cart, growing from 'add email' (--splice: not a head)"
new_revision "CREATE TABLE cart (id INTEGER PRIMARY KEY, account_id INTEGER);" "DROP TABLE cart;" \
  -m "create cart table" --head "$email" --splice --branch-label shopping_cart
new_revision "CREATE TABLE cart_item (cart_id INTEGER, sku TEXT NOT NULL);" "DROP TABLE cart_item;" \
  -m "add cart items" --head shopping_cart@head
run heads
run history

say "4. What would 'upgrade heads' run? (--plan and --sql never touch the database)"
run upgrade heads --plan

say "5. Upgrade app.db to every head: each revision in its own transaction"
run upgrade heads
run current
run history --indicate-current

say "6. 'downgrade -1' with two heads is ambiguous: revgraph says so instead of guessing"
run downgrade -1
say "   ...so name the branch"
run downgrade shopping_cart@-1
run current

say "7. Bring the branch back up"
run upgrade shopping_cart@head
run current --check-heads && echo "(at every head)"

say "8. The log: every step with the SHA-256 of the SQL that ran; verify compares it with the files"
run verify
perl -pi -e 's/sku TEXT NOT NULL/sku TEXT/' migrations/versions/*_add_cart_items.sql
echo "(edited the applied revision 'add cart items')"
run verify
perl -pi -e 's/sku TEXT\)/sku TEXT NOT NULL)/' migrations/versions/*_add_cart_items.sql
echo "(restored it: a change to an applied revision belongs in a new revision)"
run verify

say "9. Draw the history: lanes with applied marks, and a Graphviz diagram (see docs/diagrams.md)"
run history --graph
if command -v dot >/dev/null 2>&1; then
  run graph -o history.svg && echo "wrote $demo/history.svg"
else
  run graph --no-legend
fi

say "10. Team workflow: the CI gate says two heads is exit 9, with the command that fixes it"
run check
say "    Did the two branches touch the same tables? Then merge: the id comes from the heads"
run conflicts
run merge heads
run check

say "11. Autogenerate: declare the schema you want in schema.sql; check finds the missing migration (exit 13)"
cat > schema.sql <<'SQL'
CREATE TABLE account (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT UNIQUE,
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE orders (id INTEGER PRIMARY KEY, account_id INTEGER REFERENCES account(id));
CREATE TABLE cart (id INTEGER PRIMARY KEY, account_id INTEGER);
CREATE TABLE cart_item (cart_id INTEGER, sku TEXT NOT NULL, quantity INTEGER NOT NULL DEFAULT 1);
CREATE INDEX ix_orders_account ON orders (account_id);
SQL
cat schema.sql
run check
say "    revision --autogenerate writes the SQL (ADD COLUMN where SQLite can, a table rebuild where not)"
show revision --autogenerate -m "account details"
generated="$("$revgraph" revision --autogenerate -m "account details" | sed -n 's/^Generated \([^ ]*\).*/\1/p')"
echo "Generated $generated"
sed -n '/-- +upgrade/,$p' "$generated"
run upgrade heads
run check

say "12. Every read command speaks JSON"
run current --format json
printf '\nThe demo project stays in %s\n' "$demo"
