#!/usr/bin/env bash
# The whole-job benchmark of Lantern on real corpora, with the brute-force alternatives side by side.
#
#   bench/run.sh CORPUS_DIR [RUNS]
#
# CORPUS_DIR holds linux-docs/ and linux/ as built by ../shared/corpora.sh; RUNS (default 5) is how
# many times each measure is taken. For each corpus, every run does, in this order and in the same
# warm page cache:
#   - a full index into a fresh index folder: wall time, MB/s over the corpus' bytes, user CPU, peak
#     RSS, size; then the same for the straightforward tantivy program of ../shared/anchors
#     (tantivy-naive), and its search of bench/queries.txt with one snippet per hit;
#   - a no-op re-index and a `find DIR -newer REF -type f` stat-walk, one after the other;
#   - a re-index after appending a line to one file (the file is restored afterwards, mtime too);
#   - in-process search latency over bench/queries.txt (benches/search_latency.rs);
#   - whole commands, interleaved: `lantern search WORD --format json` and `rg -l WORD DIR` for each
#     word of bench/words.txt, CMD_REPS times (default 3);
#   - `cat` of every file: the floor for anything that reads the whole tree.
# Figures are median [min–max] over the runs. The Markdown table goes to stdout and to
# bench/results-<corpus>-<date>-<commit>.md, with the machine and the commit.
#
# Environment (all optional):
#   CORPORA="linux-docs linux"   which corpora under CORPUS_DIR, in order
#   INDEX_ARGS="--threads 2"     extra arguments to `lantern index`
#   ITERATIONS=10                timed runs of each query in the in-process search bench
#   CMD_REPS=3                   whole-command repetitions per run and word
#   TMPDIR                       where the index folders go (same disk as the corpus is fairest)
#   NAIVE=/path/to/tantivy-naive the reference program; built from ../shared/anchors when unset
# Installs ripgrep and GNU time with apt-get when missing (needs root); needs cargo and python3.
set -euo pipefail
export LC_ALL=C

usage() {
  echo "usage: $0 CORPUS_DIR [RUNS]" >&2
  exit 2
}
[ $# -ge 1 ] && [ $# -le 2 ] || usage
[ -d "$1" ] || { echo "bench: no corpus folder '$1'; build one with shared/corpora.sh" >&2; exit 1; }
corpus_root=$(cd "$1" && pwd)
runs=${2:-5}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: RUNS must be a positive number, not '$runs'" >&2; exit 2; }
corpora=${CORPORA:-linux-docs linux}
iterations=${ITERATIONS:-10}
cmd_reps=${CMD_REPS:-3}
read -r -a index_args <<<"${INDEX_ARGS:-}"
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

say() { echo "bench: $*" >&2; }

# --- Tools ------------------------------------------------------------------------------------
missing=()
command -v rg >/dev/null || missing+=(ripgrep)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for tool in cargo python3 rg; do
  command -v "$tool" >/dev/null || { say "'$tool' is needed and missing"; exit 1; }
done

# --- Build ------------------------------------------------------------------------------------
say "building (release)"
manifest=$repo/Cargo.toml
cargo build --release --quiet --manifest-path "$manifest"
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$manifest" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
lantern=$target_dir/release/lantern
# The bench's executable, as cargo reports it, so that cargo is not in the way of what is timed.
search_bench=$(cargo bench --no-run --quiet --bench search_latency --manifest-path "$manifest" \
  --message-format json |
  python3 -c '
import json, sys
for line in sys.stdin:
    msg = json.loads(line)
    if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "search_latency" \
            and msg.get("executable"):
        print(msg["executable"])')
[ -x "$lantern" ] && [ -x "$search_bench" ] || { say "build produced no binaries"; exit 1; }
naive=${NAIVE:-}
if [ -z "$naive" ]; then
  anchor=$repo/../shared/anchors/tantivy-naive/Cargo.toml
  [ -f "$anchor" ] || { say "no reference program at $anchor; set NAIVE"; exit 1; }
  say "building the reference program (release)"
  CARGO_TARGET_DIR=${TMPDIR:-/tmp}/lantern-bench-naive cargo build --release --quiet --manifest-path "$anchor"
  naive=${TMPDIR:-/tmp}/lantern-bench-naive/release/tantivy-naive
fi
[ -x "$naive" ] || { say "no reference program at $naive"; exit 1; }

# --- Scratch space and the one file we edit ----------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/lantern-bench.XXXXXX")
edited=""  # the corpus file being edited, while it differs from its backup
cleanup() {
  if [ -n "$edited" ]; then
    cat "$work/edited.orig" >"$edited" && touch -r "$work/edited.orig" "$edited"
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- Measuring --------------------------------------------------------------------------------
# Runs a command with its stdout to $1 and prints its wall time in microseconds. EPOCHREALTIME
# costs no process, and its six decimals make any locale's separator easy to drop.
timed() {
  local out=$1 start end status=0
  shift
  start=$EPOCHREALTIME
  "$@" >"$out" || status=$?
  end=$EPOCHREALTIME
  if [ "$status" -ne 0 ]; then
    say "'$*' failed (exit $status)"
    return 1
  fi
  echo $((${end//[!0-9]/} - ${start//[!0-9]/}))
}

# Reads every file of $1: the floor for anything that reads the whole tree.
cat_all() { find "$1" -type f -print0 | xargs -0 cat; }

# `rg -l` exits 1 when nothing matches, which is a result, not a failure.
rg_files() { rg -l "$1" "$2" || [ $? -eq 1 ]; }

# Fails unless the summary line in $1 says what a run of kind $2 must have done.
expect_summary() {
  grep -q -- "$3" "$1" || { say "$2: expected '$3' in: $(cat "$1")"; exit 1; }
}

mapfile -t words < <(grep -v '^[[:space:]]*\(#\|$\)' "$repo/bench/words.txt")
[ ${#words[@]} -gt 0 ] || { say "bench/words.txt holds no word"; exit 1; }

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
ram_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit (with uncommitted changes)"
fi
date=$(date +%Y-%m-%d)

for corpus in $corpora; do
  dir=$corpus_root/$corpus
  [ -d "$dir" ] || { say "no corpus $dir; build it with shared/corpora.sh $corpus_root"; exit 1; }
  raw=$work/$corpus.tsv
  index=$work/index-$corpus
  files=$(find "$dir" -type f | wc -l)
  bytes=$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  edit_target=$(find "$dir" -type f \( -name '*.c' -o -name '*.rst' -o -name '*.txt' \) |
    sort | awk 'NR == 1')
  [ -n "$edit_target" ] || { say "$dir has no .c, .rst or .txt file to edit"; exit 1; }
  {
    printf 'meta\tcorpus\t%s\n' "$corpus"
    printf 'meta\tdir\t%s\n' "$dir"
    printf 'meta\tfiles\t%s\n' "$files"
    printf 'meta\tbytes\t%s\n' "$bytes"
    printf 'meta\tedited\t%s\n' "${edit_target#"$dir"/}"
    printf 'meta\truns\t%s\n' "$runs"
    printf 'meta\tcmd_reps\t%s\n' "$cmd_reps"
    printf 'meta\titerations\t%s\n' "$iterations"
    printf 'meta\tindex_args\t%s\n' "${INDEX_ARGS:-}"
    printf 'meta\tdate\t%s\n' "$date"
    printf 'meta\tcommit\t%s\n' "$commit"
    printf 'meta\tnproc\t%s\n' "$(nproc)"
    printf 'meta\tcpu\t%s\n' "${cpu:-unknown}"
    printf 'meta\tram_kb\t%s\n' "$ram_kb"
    printf 'meta\tkernel\t%s\n' "$(uname -r)"
    printf 'meta\tcommand\tbench/run.sh %s %s\n' "$corpus_root" "$runs"
  } >"$raw"

  say "$corpus: warming the page cache"
  cat_all "$dir" >/dev/null

  for ((run = 1; run <= runs; run++)); do
    say "$corpus: run $run/$runs: full index"
    rm -rf "$index"
    us=$(timed "$work/out" /usr/bin/time -f '%M %U' -o "$work/rss" \
      "$lantern" --index "$index" index "${index_args[@]}" "$dir")
    expect_summary "$work/out" "full index" " 0 updated, 0 removed, 0 unchanged"
    printf 'sample\tindex_us\t%s\n' "$us" >>"$raw"
    read -r rss user <"$work/rss"
    printf 'sample\trss_kb\t%s\n' "$rss" >>"$raw"
    printf 'sample\tuser_s\t%s\n' "$user" >>"$raw"
    printf 'sample\tindex_bytes\t%s\n' "$(du -sb "$index" | cut -f1)" >>"$raw"

    say "$corpus: run $run/$runs: the reference program: full index and search"
    rm -rf "$work/naive-index"
    us=$(timed "$work/out" /usr/bin/time -f '%M %U' -o "$work/rss" \
      "$naive" index "$dir" "$work/naive-index")
    printf 'sample\tnaive_index_us\t%s\n' "$us" >>"$raw"
    read -r rss user <"$work/rss"
    printf 'sample\tnaive_rss_kb\t%s\n' "$rss" >>"$raw"
    printf 'sample\tnaive_user_s\t%s\n' "$user" >>"$raw"
    # The reference takes every non-blank line of its file as a query, comments included (19
    # OR-queries of many common words, heavy to highlight): the issue's figures were made so, and
    # are kept as `naive_*`. `naive_same_*` give it the queries only, as Lantern gets them.
    grep -v '^#' "$repo/bench/queries.txt" >"$work/naive-queries.txt"
    for set in "naive:$repo/bench/queries.txt" "naive_same:$work/naive-queries.txt"; do
      "$naive" searchmany "$work/naive-index" "${set#*:}" >"$work/naive.out"
      sed -n 's/^queries=.* p50=\([0-9.]*\) ms p95=\([0-9.]*\) ms.*/\1 \2/p' "$work/naive.out" >"$work/naive.p"
      read -r p50 p95 <"$work/naive.p"
      printf 'sample\t%s_p50_ms\t%s\n' "${set%%:*}" "$p50" >>"$raw"
      printf 'sample\t%s_p95_ms\t%s\n' "${set%%:*}" "$p95" >>"$raw"
    done
    # Its search alone (no document read, no snippet) on the same queries: the median of the
    # per-query `search` column.
    bare=$(sed -n 's/.* search *\([0-9.]*\) ms highlight.*/\1/p' "$work/naive.out" | sort -g |
      awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
    printf 'sample\tnaive_bare_p50_ms\t%s\n' "$bare" >>"$raw"
    rm -rf "$work/naive-index"

    say "$corpus: run $run/$runs: no-op re-index and stat-walk"
    touch "$work/ref"
    us=$(timed "$work/out" find "$dir" -newer "$work/ref" -type f)
    printf 'sample\tfind_us\t%s\n' "$us" >>"$raw"
    us=$(timed "$work/out" "$lantern" --index "$index" index "${index_args[@]}" "$dir")
    expect_summary "$work/out" "no-op re-index" "(0 added, 0 updated, 0 removed"
    printf 'sample\tnoop_us\t%s\n' "$us" >>"$raw"

    say "$corpus: run $run/$runs: one-file change"
    cp -p "$edit_target" "$work/edited.orig"
    edited=$edit_target
    printf '\nlantern benchmark edit\n' >>"$edit_target"
    us=$(timed "$work/out" "$lantern" --index "$index" index "${index_args[@]}" "$dir")
    # Writing back through the same inode keeps the hard links of corpora.sh's linux-docs intact.
    cat "$work/edited.orig" >"$edit_target"
    touch -r "$work/edited.orig" "$edit_target"
    edited=""
    expect_summary "$work/out" "one-file re-index" "(0 added, 1 updated, 0 removed"
    printf 'sample\tonefile_us\t%s\n' "$us" >>"$raw"

    say "$corpus: run $run/$runs: in-process search latency"
    "$search_bench" "$index" "$repo/bench/queries.txt" "$iterations" >"$work/search.out"
    grep '^LANTERN_BENCH ' "$work/search.out" | sed 's/^LANTERN_BENCH /search\t-\t/' >>"$raw"

    say "$corpus: run $run/$runs: lantern search vs rg -l"
    for ((rep = 1; rep <= cmd_reps; rep++)); do
      for word in "${words[@]}"; do
        us=$(timed /dev/null "$lantern" --index "$index" search "$word" --format json)
        printf 'sample\tlantern_us:%s\t%s\n' "$word" "$us" >>"$raw"
        us=$(timed /dev/null rg_files "$word" "$dir")
        printf 'sample\trg_us:%s\t%s\n' "$word" "$us" >>"$raw"
      done
    done

    say "$corpus: run $run/$runs: cat of every file"
    us=$(timed /dev/null cat_all "$dir")
    printf 'sample\tcat_us\t%s\n' "$us" >>"$raw"
  done

  results=$repo/bench/results-$corpus-$date-${commit%% *}.md
  python3 "$repo/bench/summarize.py" "$raw" >"$work/results.md"
  mv "$work/results.md" "$results"
  cat "$results"
  say "$corpus: written to $results"
done
