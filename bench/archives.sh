#!/usr/bin/env bash
# The archives benchmark (issue 24): reading archives and compressed files, side by side with the
# same content unpacked, and with Recoll when it is installed.
#
#   bench/archives.sh [RUNS]
#
# RUNS (default 3). Each run, with a fresh index, in the same warm page cache:
#   - linux: `lantern index` of a folder holding only /usr/src/linux-source-*.tar.xz (Debian's
#     linux-source: one xz stream, ~78,000 members) vs the same tree unpacked (LINUX_TREE, default
#     /work/corpora/linux);
#   - debian-docs: every `*.gz` under /usr/share/doc and /usr/share/man, copied into one folder
#     (thousands of small compressed files) vs the same files decompressed; and `recollindex`
#     over the compressed copy, when Recoll is installed.
# Figures: wall seconds and peak RSS (GNU time), median [min–max]. The Markdown table goes to
# stdout. Uses target/release/lantern (build it first: cargo build --release). ONLY=linux or
# ONLY=debian-docs runs one part.
set -euo pipefail
export LC_ALL=C

runs=${1:-3}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: RUNS must be a positive number" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
lantern=$repo/target/release/lantern
[ -x "$lantern" ] || { echo "bench: no $lantern; run cargo build --release" >&2; exit 1; }
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | head -1 || true)
tree=${LINUX_TREE:-/work/corpora/linux}
work=$(mktemp -d /tmp/lantern-archives-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
say() { echo "bench: $*" >&2; }

# Runs "$@" RUNS times; prints "median_wall [min–max] s | median_rss MB" of GNU time's figures.
measure() {
    local walls=() rsss=()
    for _ in $(seq "$runs"); do
        rm -rf "$work/index" "$work/recoll/xapiandb"
        /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
            say "failed: $*"; tail -3 "$work/err" >&2; }
        read -r wall rss <"$work/time"
        walls+=("$wall"); rsss+=("$rss")
    done
    python3 - "${walls[*]}" "${rsss[*]}" <<'PY'
import statistics, sys
walls = [float(w) for w in sys.argv[1].split()]
rss = [int(r) / 1024 for r in sys.argv[2].split()]
print(f"{statistics.median(walls):.1f} [{min(walls):.1f}–{max(walls):.1f}] s | {statistics.median(rss):.0f} MB")
PY
}

index=("$lantern" --index "$work/index" index)

echo "| corpus | what | wall | peak RSS |"
echo "|---|---|---|---|"
only=${ONLY:-}
if [ "$only" = debian-docs ]; then
    :
elif [ -n "$tarball" ] && [ -d "$tree" ]; then
    mkdir -p "$work/tarball"
    cp "$tarball" "$work/tarball/"
    say "linux: the tarball ($runs runs)"
    echo "| linux | lantern index, the .tar.xz | $(measure "${index[@]}" "$work/tarball") |"
    tail -1 "$work/out" >&2
    say "linux: the unpacked tree ($runs runs)"
    echo "| linux | lantern index, unpacked | $(measure "${index[@]}" "$tree") |"
    tail -1 "$work/out" >&2
else
    say "linux: skipped (no /usr/src/linux-source-*.tar.xz or no $tree)"
fi

[ "$only" = linux ] && exit 0
say "debian-docs: copying the .gz files"
mkdir -p "$work/gz" "$work/plain"
find /usr/share/doc /usr/share/man -name '*.gz' -type f -print0 |
    while IFS= read -r -d '' file; do
        name=$(echo "${file#/usr/share/}" | tr '/' '_')
        cp "$file" "$work/gz/$name"
        gzip -dc "$file" >"$work/plain/${name%.gz}" 2>/dev/null || true
    done
say "debian-docs: $(ls "$work/gz" | wc -l) files, $(du -sh "$work/gz" | cut -f1) compressed, $(du -sh "$work/plain" | cut -f1) plain"
echo "| debian-docs | lantern index, .gz | $(measure "${index[@]}" "$work/gz") |"
tail -1 "$work/out" >&2
echo "| debian-docs | lantern index, decompressed | $(measure "${index[@]}" "$work/plain") |"
tail -1 "$work/out" >&2
if command -v recollindex >/dev/null; then
    mkdir -p "$work/recoll"
    printf 'topdirs = %s\n' "$work/gz" >"$work/recoll/recoll.conf"
    echo "| debian-docs | recollindex, .gz | $(measure recollindex -c "$work/recoll") |"
else
    say "debian-docs: recollindex not installed, skipped"
fi
