#!/usr/bin/env bash
# How fast `lantern watch` makes an edit searchable, and what it costs while idle.
#
#   bench/watch.sh CORPUS_DIR [EDITS]
#
# CORPUS_DIR (e.g. /work/corpora/linux-docs) is copied to a temporary folder first, so the
# corpus itself is never touched. The release binary is built (`cargo build --release`), the
# copy indexed, and `lantern watch` started on it with the default settings. Then, EDITS times
# (default 100), one file gets a line with a word found nowhere else appended, and
# `lantern search WORD --format json` is run every 10 ms until it finds the file: the time from
# the write to the first finding search is one latency (it includes the --commit-delay of
# 500 ms of quiet that ends a burst). Latencies are printed as p50 and p95. Finally the watcher's
# CPU time (utime + stime from /proc/PID/stat) is read before and after 30 s with no change.
# With BURST=N, last, N distinct text files (.c .h .rst .txt .md; e.g. 10000 on the Linux tree: a
# checkout-like burst) get a line with one new word appended as fast as Python writes them, and searches every 100 ms
# time how long until all N are found.
#
# Environment (all optional): BURST (default 0: none), WATCH_ARGS (extra arguments to `lantern watch`, e.g.
# "--commit-delay 100ms"), IDLE_SECS (default 30), TMPDIR (where the copy and the index go).
set -euo pipefail
export LC_ALL=C

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 CORPUS_DIR [EDITS]" >&2; exit 2; }
[ -d "$1" ] || { echo "bench: no folder '$1'" >&2; exit 1; }
corpus=$(cd "$1" && pwd)
edits=${2:-100}
idle=${IDLE_SECS:-30}
repo=$(cd "$(dirname "$0")/.." && pwd)

cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
lantern="$repo/target/release/lantern"
work=$(mktemp -d "${TMPDIR:-/tmp}/lantern-watch-bench.XXXXXX")
watcher=
cleanup() {
  [ -n "$watcher" ] && kill "$watcher" 2>/dev/null && wait "$watcher" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cp -r "$corpus" "$work/docs"
"$lantern" --index "$work/index" index "$work/docs" >/dev/null
# shellcheck disable=SC2086
"$lantern" --index "$work/index" watch ${WATCH_ARGS:-} "$work/docs" 2>"$work/watch.log" &
watcher=$!
until grep -q watching "$work/watch.log"; do sleep 0.05; done

python3 - "$lantern" "$work" "$watcher" "$edits" "$idle" "${BURST:-0}" <<'EOF'
import json, os, random, subprocess, sys, time

lantern, work, pid, edits, idle = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
burst = int(sys.argv[6])
docs = os.path.join(work, "docs")
files = sorted(os.path.join(root, name) for root, _, names in os.walk(docs) for name in names
               if not name.startswith("."))
random.seed(7)
# Text files only: a line appended to a binary one would leave it unindexed, never found.
texts = [path for path in files if path.endswith((".c", ".h", ".rst", ".txt", ".md"))] or files

def total(word):
    out = subprocess.run([lantern, "--index", os.path.join(work, "index"), "search", word,
                          "--format", "json", "-n", "1", "--fragments", "0"],
                         capture_output=True, text=True).stdout
    return json.loads(out)["total"]

def found(word):
    return total(word) >= 1

latencies = []
for n in range(edits):
    word = f"zqxwatch{n}q"
    with open(random.choice(texts), "a") as f:
        f.write(f"\n{word}\n")
    start = time.monotonic()
    while not found(word):
        time.sleep(0.01)
    latencies.append(time.monotonic() - start)
    time.sleep(0.05)

def cpu_ticks():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime

time.sleep(2)  # let the last pass finish
before = cpu_ticks()
time.sleep(idle)
after = cpu_ticks()
hz = os.sysconf("SC_CLK_TCK")
latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000
print(f"files: {len(files)}; edits: {edits}")
print(f"write-to-searchable latency: p50 {pct(50):.0f} ms, p95 {pct(95):.0f} ms, max {latencies[-1]*1000:.0f} ms")
print(f"idle CPU over {idle} s: {(after - before) / hz:.3f} s ({100 * (after - before) / hz / idle:.2f}%)")

if burst:
    chosen = random.sample(texts, min(burst, len(texts)))
    start = time.monotonic()
    for path in chosen:
        with open(path, "a") as f:
            f.write("\nzqxburstq\n")
    written = time.monotonic() - start
    deadline = start + 600
    while (seen := total("zqxburstq")) < len(chosen) and time.monotonic() < deadline:
        time.sleep(0.1)
    applied = time.monotonic() - start
    print(f"burst of {len(chosen)} files: written in {written:.1f} s, "
          f"{seen} searchable after {applied:.1f} s")
EOF
