#!/usr/bin/env bash
# Benchmark of the duplicate finder (issue 10): precision and recall on a
# generated, labelled set of posts across teams (paraphrased near-duplicates,
# shared jargon, non-duplicates on the same topic), then with POSTS posts the
# corpus build, candidates for 1,000 new posts (p50/p99) and the full
# cross-team scan. Pure computation on the finder (domain::duplicates), in a
# release build; the posts are generated from fixed seeds.
#
#   bash bench/duplicates/run.sh [POSTS] [LABELLED]
#       POSTS defaults to 1000000 (0: quality only), LABELLED (the quality set)
#       to 20000.
#
# Appends to bench/data/duplicates-results.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
posts=${1:-1000000}
labelled=${2:-20000}
out=bench/data/duplicates-results.txt
mkdir -p bench/data
{
  echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git rev-parse --short HEAD) posts=$posts labelled=$labelled"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
  cargo bench --locked -p domain --bench duplicates -- --labelled "$labelled" --posts "$posts"
} 2>&1 | tee -a "$out"
