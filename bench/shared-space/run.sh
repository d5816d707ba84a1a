#!/usr/bin/env bash
# Benchmark of issue 5 (the shared space): with 1,000,000 posts in the store,
# search latency (p50/p99, one client, a mix of common, middling and rare
# words, through the HTTP API), and a thread page of 100 replies under 64
# concurrent connections, its throughput next to /healthz's on the same run.
# Loopback only; bounded runs.
#
#   bash bench/shared-space/run.sh [POSTS] [DATABASE_URL]
#       POSTS defaults to 1000000; without DATABASE_URL the embedded SQLite
#       store under bench/data is used.
#
# Appends to bench/data/shared-space-results.txt. Needs wrk and python3.
set -euo pipefail
cd "$(dirname "$0")/../.."
posts=${1:-1000000}
database=${2:-}
out=bench/data/shared-space-results.txt
addr=${GUILDHALL_BENCH_ADDR:-127.0.0.1:18182}
mkdir -p bench/data
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk"; exit 1; }
cargo build --release --locked -p cli
bin=${CARGO_TARGET_DIR:-target}/release/guildhall
if [ -n "$database" ]; then
  store=(--database "$database"); label="PostgreSQL"
else
  store=(--data "bench/data/shared-space-$posts"); label="SQLite"
fi

{
  echo
  echo "# shared-space benchmark, $label, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$out"

token=$("$bin" "${store[@]}" admin create-token --email amara.okafor@example.org --name bench 2>/dev/null || true)
if [ -z "$token" ]; then
  start=$(date +%s.%N)
  GUILDHALL_LOG=warn "$bin" "${store[@]}" demo --events 0 --posts "$posts" | tail -1 | tee -a "$out"
  echo "generated $posts posts in $(echo "$(date +%s.%N) - $start" | bc) s" | tee -a "$out"
  token=$("$bin" "${store[@]}" admin create-token --email amara.okafor@example.org --name bench)
fi

GUILDHALL_LOG=warn "$bin" "${store[@]}" serve --addr "$addr" > /dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://$addr/healthz" > /dev/null && break
  sleep 0.5
done
api() { curl -sf -H "Authorization: Bearer $token" "http://$addr$1"; }
echo "posts in the store: $(api '/api/v1/search?q=deploy&limit=1' > /dev/null && echo ok)" > /dev/null

# The long thread of the first open community: "long" is in no generated text but its title.
thread=$(api '/api/v1/search?q=long&limit=1' | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["thread_id"])')
replies=$(api "/api/v1/threads/$thread" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["replies"]))')
echo "thread page: /threads/$thread with $replies replies" | tee -a "$out"

# Search: a mix of one to three words over the generator's vocabulary, by rank.
python3 - "$addr" "$token" <<'PY' | tee -a "$out"
import http.client, json, random, statistics, sys, time
addr, token = sys.argv[1], sys.argv[2]
named = ["deploy", "service", "team", "error", "latency", "cluster", "pipeline", "alert",
         "dashboard", "test", "release", "database", "query", "cache", "config", "metric",
         "incident", "review", "design", "api", "token", "schema", "migration", "rollback",
         "kubernetes", "pod", "node", "budget", "trace", "span", "logging", "timeout", "retry"]
def made_up(n):
    onsets, vowels = "bdfgklmnprst", "aeiou"
    out = ""
    for _ in range(3):
        out += onsets[n % 12]; n //= 12
        out += vowels[n % 5]; n //= 5
    return out + (str(n) if n > 0 else "")
rng = random.Random(7)
def query():
    kind = rng.random()
    words = []
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        if kind < 0.4:
            words.append(rng.choice(named))                 # common
        elif kind < 0.8:
            words.append(made_up(rng.randrange(100, 2000)))  # middling
        else:
            words.append(made_up(rng.randrange(2000, 19000)))  # rare
    return "+".join(words)
conn = http.client.HTTPConnection(addr)
def get(q):
    conn.request("GET", f"/api/v1/search?q={q}&limit=20", headers={"Authorization": f"Bearer {token}"})
    r = conn.getresponse(); body = r.read()
    assert r.status == 200, (r.status, body[:200])
    return len(json.loads(body)["items"])
for _ in range(50):
    get(query())   # warm up
times, hits = [], 0
for _ in range(2000):
    q = query(); t = time.perf_counter(); n = get(q); times.append((time.perf_counter() - t) * 1000); hits += n > 0
times.sort()
p = lambda x: times[min(len(times) - 1, int(len(times) * x))]
print(f"search over HTTP, 2000 queries, one client: p50 {p(0.50):.2f} ms, p90 {p(0.90):.2f} ms, p99 {p(0.99):.2f} ms, max {times[-1]:.1f} ms; {hits} with results")
PY

for path in /healthz "/threads/$thread"; do
  echo "== GET $path (wrk: 2 threads, 64 connections, 20 s)" | tee -a "$out"
  wrk -t2 -c64 -d20s --latency -H "Authorization: Bearer $token" "http://$addr$path" \
    | grep -E 'Latency|50%|90%|99%|Requests/sec|requests in|Non-2xx' | tee -a "$out"
done
echo "server memory (RSS): $(( $(awk '/VmRSS/ {print $2}' /proc/$server/status) / 1024 )) MiB" | tee -a "$out"
