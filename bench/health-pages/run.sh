#!/usr/bin/env bash
# Benchmark (d) of issue 8: with 10,000,000 events in the embedded SQLite
# store, how fast the community health page and the portfolio page answer
# (p50/p99 under load from wrk), how long a server takes to have its first
# health figures, and how much memory it holds. Loopback only; bounded runs.
#
#   bash bench/health-pages/run.sh [EVENTS]      # default 10000000
#
# Writes bench/data/pages-results.txt. Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."
events=${1:-10000000}
data=bench/data/pages-$events
out=bench/data/pages-results.txt
addr=127.0.0.1:18181
mkdir -p bench/data
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
cargo build --release --locked -p cli
bin=target/release/guildhall

{
  echo "# health pages benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "events asked for: $events"
} | tee "$out"

if [ ! -f "$data/guildhall.db" ]; then
  start=$(date +%s.%N)
  GUILDHALL_LOG=warn "$bin" --data "$data" demo --events "$events" | tee -a "$out"
  echo "load into SQLite: $(echo "$(date +%s.%N) - $start" | bc) s" | tee -a "$out"
fi
echo "database size: $(du -sh "$data" | cut -f1)" | tee -a "$out"
token=$("$bin" --data "$data" admin create-token --email amara.okafor@example.org --name bench)

GUILDHALL_LOG=warn "$bin" --data "$data" serve --addr "$addr" > /dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
start=$(date +%s.%N)
for _ in $(seq 1 1200); do
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://$addr/api/v1/portfolio" || true)
  [ "$code" = 200 ] && break
  sleep 0.5
done
[ "$code" = 200 ] || { echo "the server never had figures"; exit 1; }
echo "first health figures after start: $(echo "$(date +%s.%N) - $start" | bc) s" | tee -a "$out"
echo "server memory (RSS): $(( $(awk '/VmRSS/ {print $2}' /proc/$server/status) / 1024 )) MiB" | tee -a "$out"
echo "events in the store: $(curl -s -H "Authorization: Bearer $token" "http://$addr/api/v1/communities/observability-guild/health" | python3 -c 'import json,sys; r=json.load(sys.stdin)["report"]; print(r["metrics"]["contributions"], "contributions in the window")')" | tee -a "$out"

for path in /communities/observability-guild/health /portfolio; do
  echo "== GET $path (wrk: 2 threads, 8 connections, 30 s)" | tee -a "$out"
  wrk -t2 -c8 -d30s --latency -H "Authorization: Bearer $token" "http://$addr$path" \
    | grep -E 'Latency|50%|75%|90%|99%|Requests/sec|requests in|Non-2xx' | tee -a "$out"
done
