#!/usr/bin/env bash
# The health-engine benchmark: builds the release binaries, generates the
# 10,000,000-event organisation log (fixed seed) and records its sha256, then
# times, in one run on the same file:
#   (a) reading the JSONL: events/s on one core, and on all cores;
#   (b) the full report of the organisation and every community from the
#       events in memory;
#   (c) end to end: `guildhall report --all --format json`, the DuckDB SQL
#       and the pandas script computing the same figures from the same file.
# Results go to bench/data/results.txt; docs/benchmarks.md quotes them.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
data="$root/bench/data"
log="$data/guildhall-10m.jsonl"
at="2026-01-05T00:00:00Z"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
mkdir -p "$data"
results="$data/results.txt"
: > "$results"
say() { echo "$*" | tee -a "$results"; }

python3 -c 'import pandas, duckdb, pyarrow' 2>/dev/null || pip install --quiet pandas duckdb pyarrow

cd "$root"
cargo build --release -p cli
cargo build --release -p health --bench engine
engine="$(ls -t "$CARGO_TARGET_DIR"/release/deps/engine-* | grep -v '\.d$' | head -1)"
guildhall="$CARGO_TARGET_DIR/release/guildhall"

if [ ! -s "$log" ]; then
  "$engine" generate > "$log"
fi
say "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
say "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(date -u +%Y-%m-%dT%H:%M:%SZ))"
say "log: $(wc -l < "$log") lines, $(stat -c %s "$log") bytes, sha256 $(sha256sum "$log" | cut -d' ' -f1)"

# (a) and (b): in memory.
say "engine: $("$engine" measure < "$log")"

# (c) end to end, each on the same file, in the same run.
timing=$( { /usr/bin/time -f '%e %U %S %M' "$guildhall" report --log "$log" --all --format json --at "$at" > "$data/report.json"; } 2>&1 | tail -1)
read -r product user sys rss <<< "$timing"
say "guildhall report end to end: $product s wall, $user s user + $sys s system CPU, peak $((rss / 1024)) MiB ($(stat -c %s "$data/report.json") bytes of JSON)"
duck=$( { /usr/bin/time -f '%e' python3 bench/health/duckdb_figures.py "$log" "$at" | tee -a "$results" >&2; } 2>&1 | tail -1)
say "duckdb end to end: $duck s"
pandas=$( { /usr/bin/time -f '%e' python3 bench/health/pandas_figures.py "$log" "$at" | tee -a "$results" >&2; } 2>&1 | tail -1)
say "pandas end to end: $pandas s"
say "ratios: duckdb/guildhall $(python3 -c "print(round($duck/$product, 2))"), pandas/guildhall $(python3 -c "print(round($pandas/$product, 2))")"
say "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
