#!/usr/bin/env bash
# Load on `lantern serve`: wrk drives /api/search over the queries of bench/queries.txt (each
# connection cycles through them), all hits highlighted, first on a quiet index, then while
# `lantern index --rebuild` re-indexes the corpus, again and again, into the same index in another
# process.
#
#   bench/serve.sh CORPUS_DIR [SECONDS] [CONNECTIONS]
#
# Defaults: 30 s, 32 connections, 2 wrk threads. Prints wrk's summary (requests/s, latency
# percentiles, errors) for both phases, and on Linux the server's CPU time per request (user +
# system, from /proc), steadier than requests/s on a machine shared with other work. Needs wrk
# (Debian package `wrk`) and cargo. LANTERN=/path/to/lantern measures that binary instead of
# building this checkout's (to compare two versions side by side).
set -euo pipefail
corpus=${1:?usage: bench/serve.sh CORPUS_DIR [SECONDS] [CONNECTIONS]}
seconds=${2:-30}
connections=${3:-32}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
command -v wrk >/dev/null || { echo "bench: wrk is needed (apt-get install wrk)" >&2; exit 1; }
lantern=${LANTERN:-}
if [ -z "$lantern" ]; then
  cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
  lantern=$repo/target/release/lantern
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/lantern-serve-bench.XXXXXX")
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$lantern" --index "$work/index" index "$corpus" >/dev/null
"$lantern" --index "$work/index" serve --bind 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$work/serve.out" && break
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$work/serve.out")
[ -n "$url" ] || { echo "bench: the server did not start: $(cat "$work/serve.err")" >&2; exit 1; }

# The queries, URL-encoded, as a Lua table; each connection takes them in turn.
python3 - "$repo/bench/queries.txt" >"$work/queries.lua" <<'PY'
import sys, urllib.parse
queries = [l.strip() for l in open(sys.argv[1]) if l.strip() and not l.startswith("#")]
print("queries = {" + ",".join('"%s"' % urllib.parse.quote(q, safe="") for q in queries) + "}")
print('''
counter = 0
request = function()
  counter = counter + 1
  local q = queries[(counter % #queries) + 1]
  return wrk.format("GET", "/api/search?limit=50&q=" .. q)
end
done = function(summary, latency, requests)
  io.write(string.format("requests %d, requests/s %.1f, p50 %.1f ms, p99 %.1f ms, errors %d (status %d, timeout %d)\\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1e3,
    latency:percentile(99) / 1e3, summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.status + summary.errors.timeout,
    summary.errors.status, summary.errors.timeout))
end
''')
PY

# One wrk run; its summary line, then the server's CPU milliseconds per request when /proc has them.
load() {
  local before after summary
  before=$(server_ticks)
  summary=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$work/queries.lua" "$url" | tail -n 1)
  after=$(server_ticks)
  echo "$summary"
  if [ -n "$before" ] && [ -n "$after" ]; then
    awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" -v summary="$summary" 'BEGIN {
      split(summary, words, /[ ,]+/)
      if (words[2] > 0) printf "server CPU %.2f ms/request\n", ticks * 1000 / hz / words[2] }'
  fi
}
# The server's CPU time so far (user + system), in clock ticks; empty without /proc.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat" 2>/dev/null || true; }

echo "== quiet index: $connections connections, $seconds s"
load
echo "== while 'lantern index --rebuild' runs again and again in another process"
touch "$work/reindexing"
( while [ -e "$work/reindexing" ]; do
    "$lantern" --index "$work/index" index --rebuild "$corpus" >/dev/null 2>&1 || true
  done ) &
indexer=$!
load
rm -f "$work/reindexing"
wait "$indexer"
