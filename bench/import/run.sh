#!/usr/bin/env bash
# Import benchmark: a generated Stack Exchange dump of N posts (default
# 100000) imported RUNS times (default 3) into a fresh SQLite store, and
# into PostgreSQL when DATABASE_URL is set (its schema `public` is dropped
# and recreated before each run: give it a database of its own). Each run
# prints its wall time, Posts.xml rows per second, posts and comments
# written per second, peak resident memory (GNU time) and the load average
# before it; then the same dump is imported again (it adds nothing).
# Figures go to docs/benchmarks.md by hand.
#
#   bench/import/run.sh [POSTS] [RUNS]
#   DUMP=/tmp/se-1m bench/import/run.sh 1000000   # reuse a generated dump
#   DATABASE_URL=postgres://guildhall:guildhall@127.0.0.1/guildhall_importbench \
#     bench/import/run.sh 1000000
set -euo pipefail
posts=${1:-100000}
runs=${2:-3}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${GUILDHALL_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/guildhall}
[ -x "$bin" ] || (cd "$root" && cargo build --release -p cli)
dump=${DUMP:-$work/dump}
if [ ! -f "$dump/Posts.xml" ]; then
  python3 "$root/bench/import/gen_stackexchange.py" "$posts" "$dump"
fi
written=$(grep -c '<row ' "$dump/Posts.xml" "$dump/Comments.xml" | awk -F: '{s += $2} END {print s}')
echo "dump: $(du -sh "$dump" | cut -f1), $posts posts, $written posts and comments," \
  "Posts.xml sha256 $(sha256sum "$dump/Posts.xml" | cut -c1-16)"
echo "binary: $bin"
export GUILDHALL_LOG=warn

once() { # label, then the store's flags
  local label=$1
  shift
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -f "%e %M" -o "$work/time" \
    "$bin" "$@" import stackexchange "$dump" --community bench --quiet >"$work/out"
  read -r wall rss <"$work/time"
  awk -v l="$label" -v w="$wall" -v r="$rss" -v p="$posts" -v n="$written" -v load="$load" \
    'BEGIN { printf "%s: %.1f s, %.0f posts/s (%.0f posts and comments/s), peak RSS %.0f MB, load before %s\n",
             l, w, p / w, n / w, r / 1024, load }'
  grep -E "created|already there|dropped" "$work/out" | sed 's/^/    /' || true
}

for run in $(seq 1 "$runs"); do
  rm -rf "$work/data"
  "$bin" --data "$work/data" admin create-user --email bench@example.org --name Bench --admin >/dev/null
  once "SQLite run $run" --data "$work/data"
done
once "SQLite, the same dump again" --data "$work/data"

if [ -n "${DATABASE_URL:-}" ]; then
  for run in $(seq 1 "$runs"); do
    psql -q "$DATABASE_URL" -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;' 2>/dev/null
    "$bin" --database "$DATABASE_URL" admin create-user --email bench@example.org --name Bench --admin >/dev/null
    once "PostgreSQL run $run" --database "$DATABASE_URL"
  done
  once "PostgreSQL, the same dump again" --database "$DATABASE_URL"
fi
