#!/usr/bin/env bash
# Import benchmark: a generated Stack Exchange dump of N posts (default
# 100000) into a fresh SQLite store (and PostgreSQL when DATABASE_URL is
# set), timing the import and measuring the peak resident memory with GNU
# time. Figures go to docs/benchmarks.md by hand.
#
#   bench/import/run.sh [POSTS]
#   DATABASE_URL=postgres://... bench/import/run.sh 100000
set -euo pipefail
posts=${1:-100000}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${GUILDHALL_BIN:-$root/target/release/guildhall}
[ -x "$bin" ] || (cd "$root" && cargo build --release -p cli)
python3 "$root/bench/import/gen_stackexchange.py" "$posts" "$work/dump"
du -sh "$work/dump"
export GUILDHALL_LOG=warn
run() {
  "$bin" "$@" admin create-user --email bench@example.org --name Bench --admin >/dev/null
  /usr/bin/time -f "wall %e s, peak RSS %M KiB" "$bin" "$@" import stackexchange "$work/dump" --community bench --quiet
}
echo "== SQLite"
run --data "$work/data"
if [ -n "${DATABASE_URL:-}" ]; then
  echo "== PostgreSQL"
  run --database "$DATABASE_URL"
fi
