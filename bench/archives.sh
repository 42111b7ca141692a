#!/usr/bin/env bash
# The archives benchmark (issue 24): reading archives and compressed files, side by side with the
# same content unpacked, with ripgrep-all and with Recoll when they are installed.
#
#   bench/archives.sh [RUNS]
#
# RUNS (default 3) rounds; in each round every contender runs once, one after the other
# (interleaved, so a noisy neighbour hits them all alike), each `lantern index` into a fresh index:
#   - linux: `lantern index` of a folder holding only /usr/src/linux-source-*.tar.xz (Debian's
#     linux-source: ~78,000 members) vs the same tree unpacked (LINUX_TREE, default
#     /work/corpora/linux); `xz -dc` of the tarball alone (the inflation no reader avoids); and,
#     when `rga` is on the PATH (RGA=path otherwise), a `lantern index` of the tarball followed by
#     10 `lantern search`es vs 10 `rga --rga-adapters=+tar` searches, rga's cache cleared first
#     (in the first RGA_RUNS rounds only, default all);
#   - debian-docs: every `*.gz` under /usr/share/doc and /usr/share/man copied into one folder
#     (thousands of small compressed files) vs the same files decompressed; and `recollindex`
#     (at nice 0, as Lantern runs; it defaults to 19) vs Lantern on every SAMPLE-th of those
#     files (default 10: Recoll takes about 50 ms of CPU a file, a whole run would take an hour
#     here), when Recoll is installed. DOCS_COPY=DIR keeps the copies there for the next run.
# Figures: wall seconds, CPU seconds (user + system, all threads and children) and peak RSS (GNU
# time), median [min–max] of the rounds; then the median of the per-round ratios. The Markdown
# table goes to stdout. Uses target/release/lantern (build it first: cargo build --release).
# ONLY=linux or ONLY=debian-docs runs one part, ONLY=rga only the rga comparison.
set -euo pipefail
export LC_ALL=C

runs=${1:-3}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: RUNS must be a positive number" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lantern=$repo/target/release/lantern
[ -x "$lantern" ] || { echo "bench: no $lantern; run cargo build --release" >&2; exit 1; }
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | head -1 || true)
tree=${LINUX_TREE:-/work/corpora/linux}
rga=${RGA:-$(command -v rga || true)}
sample=${SAMPLE:-10}
rga_runs=${RGA_RUNS:-$runs}
work=$(mktemp -d /tmp/lantern-archives-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
say() { echo "bench: $*" >&2; }
# Ten words of the kernel sources, from common to rare.
queries=(mutex kmalloc jiffies ioremap spinlock netdev printk interrupt filesystem scheduler)

# Runs "$@" once under GNU time as contender NAME (a fresh index first) and keeps its figures;
# the last lines of its output go to stderr, for the record.
run() {
    local name=$1
    shift
    rm -rf "$work/index"
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
        say "failed: $*"; tail -3 "$work/err" >&2; }
    echo "$(tail -1 "$work/time")" >>"$work/$name.times"
    say "$name: $(tail -1 "$work/time") | $(tail -1 "$work/out" | cut -c1-200)"
}

# Prints the figures of contender NAME: "wall | cpu | rss", each median [min–max].
figures() {
    python3 - "$work/$1.times" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
wall = [float(r[0]) for r in rows]
cpu = [float(r[1]) + float(r[2]) for r in rows]
rss = [int(r[3]) / 1024 for r in rows]
def f(xs, unit, digits=1):
    return f"{statistics.median(xs):.{digits}f} [{min(xs):.{digits}f}–{max(xs):.{digits}f}] {unit}"
print(f"{f(wall, 's')} | {f(cpu, 's')} | {statistics.median(rss):.0f} MB")
PY
}

# Prints the median of the per-round ratios of the wall times of contenders A and B.
ratio() {
    python3 - "$work/$1.times" "$work/$2.times" <<'PY'
import statistics, sys
a, b = ([float(line.split()[0]) for line in open(path)] for path in sys.argv[1:])
ratios = [x / y for x, y in zip(a, b)]
print(f"{statistics.median(ratios):.2f}x [{min(ratios):.2f}–{max(ratios):.2f}]")
PY
}

index=("$lantern" --index "$work/index" index)
only=${ONLY:-}
echo "| corpus | what | wall | CPU (user+sys) | peak RSS |"
echo "|---|---|---|---|---|"

if [ "$only" != debian-docs ]; then
    if [ -n "$tarball" ] && [ -d "$tree" ]; then
        mkdir -p "$work/tarball"
        cp "$tarball" "$work/tarball/"
        searches="${index[*]} $work/tarball >/dev/null"
        for query in "${queries[@]}"; do
            searches+="; $lantern --index $work/index search $query >/dev/null || [ \$? = 1 ]"
        done
        rga_searches=""
        for query in "${queries[@]}"; do
            rga_searches+="$rga --rga-adapters=+tar --rga-cache-path=$work/rga-cache $query $work/tarball >/dev/null || [ \$? = 1 ]; "
        done
        for round in $(seq "$runs"); do
            say "linux: round $round of $runs"
            if [ "$only" != rga ]; then
                run tarball "${index[@]}" "$work/tarball"
                run tree "${index[@]}" "$tree"
                run xz bash -c "xz -dc '$work/tarball/$(basename "$tarball")' >/dev/null"
            fi
            if [ -n "$rga" ] && [ "$round" -le "$rga_runs" ]; then
                run lantern-10 bash -c "$searches"
                rm -rf "$work/rga-cache"
                run rga-10 bash -c "$rga_searches"
            fi
        done
        if [ "$only" != rga ]; then
            echo "| linux | \`lantern index\`, the .tar.xz | $(figures tarball) |"
            echo "| linux | \`lantern index\`, the tree unpacked | $(figures tree) |"
            echo "| linux | \`xz -dc\` of the .tar.xz alone | $(figures xz) |"
        fi
        if [ -n "$rga" ]; then
            echo "| linux | \`lantern index\` of the .tar.xz + 10 \`lantern search\` | $(figures lantern-10) |"
            echo "| linux | 10 \`rga --rga-adapters=+tar\`, cache cleared first | $(figures rga-10) |"
        fi
        echo
        if [ "$only" != rga ]; then
            echo "- tarball / unpacked tree: $(ratio tarball tree) (wall, per round)"
        fi
        if [ -n "$rga" ]; then
            echo "- 10 rga / (lantern index + 10 searches): $(ratio rga-10 lantern-10)"
        fi
    else
        say "linux: skipped (no /usr/src/linux-source-*.tar.xz or no $tree)"
    fi
fi

if [ "$only" = linux ] || [ "$only" = rga ]; then exit 0; fi
docs=${DOCS_COPY:-$work/docs}
if [ ! -e "$docs/copied" ]; then
    say "debian-docs: copying the .gz files into $docs"
    mkdir -p "$docs/gz" "$docs/plain" "$docs/sample"
    n=0
    find /usr/share/doc /usr/share/man -name '*.gz' -type f -print0 | sort -z |
        while IFS= read -r -d '' file; do
            name=$(echo "${file#/usr/share/}" | tr '/' '_')
            cp "$file" "$docs/gz/$name"
            gzip -dc "$file" >"$docs/plain/${name%.gz}" 2>/dev/null || true
            n=$((n + 1))
            if [ $((n % sample)) = 0 ]; then cp "$file" "$docs/sample/$name"; fi
        done
    touch "$docs/copied"
fi
say "debian-docs: $(ls "$docs/gz" | wc -l) files, $(du -sh "$docs/gz" | cut -f1) compressed, $(du -sh "$docs/plain" | cut -f1) plain; $(ls "$docs/sample" | wc -l) in the sample"
recoll=$(command -v recollindex || true)
if [ -n "$recoll" ]; then
    mkdir -p "$work/recoll"
    printf 'topdirs = %s\nidxniceprio = 0\n' "$docs/sample" >"$work/recoll/recoll.conf"
else
    say "debian-docs: recollindex not installed, skipped"
fi
for round in $(seq "$runs"); do
    say "debian-docs: round $round of $runs"
    run gz "${index[@]}" "$docs/gz"
    run plain "${index[@]}" "$docs/plain"
    if [ -n "$recoll" ]; then
        run sample-lantern "${index[@]}" "$docs/sample"
        rm -rf "$work/recoll/xapiandb" "$work/recoll/idxstatus.txt"
        run sample-recoll "$recoll" -c "$work/recoll"
        say "recoll: $(grep -E 'dbtotdocs|fileerrors' "$work/recoll/idxstatus.txt" | tr '\n' ' ')"
    fi
done
echo "| debian-docs | \`lantern index\`, the .gz files | $(figures gz) |"
echo "| debian-docs | \`lantern index\`, the same decompressed | $(figures plain) |"
if [ -n "$recoll" ]; then
    echo "| debian-docs, every ${sample}th | \`lantern index\` | $(figures sample-lantern) |"
    echo "| debian-docs, every ${sample}th | \`recollindex\` | $(figures sample-recoll) |"
fi
echo
echo "- .gz / decompressed: $(ratio gz plain) (wall, per round)"
if [ -n "$recoll" ]; then
    echo "- recollindex / lantern index on the sample: $(ratio sample-recoll sample-lantern)"
fi
