#!/usr/bin/env bash
# Suggested-answerer benchmark: imports a generated Stack Exchange dump into
# a fresh SQLite store with `guildhall import stackexchange`, then replays
# its history in the order questions were asked
# (crates/web/examples/expertise_replay.rs): for each answered question the
# product's ranking suggests 3 people from the history before it, and the
# share whose actual answerer is among them is printed beside the baseline
# "the 3 most active answerers so far", computed in the same pass.
#
# Two dumps, both deterministic (seeded):
#   topical  bench/expertise/gen_topical.py — people with specialities and
#            activity levels (the model is written at the top of the script);
#   random   bench/import/gen_stackexchange.py — answerers drawn at random:
#            nothing to learn, so both methods should stay near chance.
#
#   bench/expertise/run.sh [POSTS] [EVERY]     # defaults 30000 posts, every 10th question scored
#   GUILDHALL_BIN=... REPLAY_BIN=... bench/expertise/run.sh   # reuse built binaries
set -euo pipefail
posts=${1:-30000}
every=${2:-10}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target=${CARGO_TARGET_DIR:-$root/target}
bin=${GUILDHALL_BIN:-$target/release/guildhall}
replay=${REPLAY_BIN:-$target/release/examples/expertise_replay}
[ -x "$bin" ] || (cd "$root" && cargo build --release -p cli)
[ -x "$replay" ] || (cd "$root" && cargo build --release -p web --example expertise_replay)
echo "binaries: $bin, $replay"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
export GUILDHALL_LOG=warn

run() { # label, generator
  local label=$1 generator=$2
  python3 "$generator" "$posts" "$work/$label" >/dev/null
  echo "== $label: $posts posts, Posts.xml sha256 $(sha256sum "$work/$label/Posts.xml" | cut -c1-16)"
  rm -rf "$work/data"
  "$bin" --data "$work/data" admin create-user --email bench@example.org --name Bench --admin >/dev/null
  "$bin" --data "$work/data" import stackexchange "$work/$label" --community bench --quiet | grep created
  "$replay" "sqlite://$work/data/guildhall.db" bench "$every"
}

run topical "$root/bench/expertise/gen_topical.py"
run random "$root/bench/import/gen_stackexchange.py"
