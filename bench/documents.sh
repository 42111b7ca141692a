#!/usr/bin/env bash
# The documents benchmark (issue 9): indexing real PDFs and HTML pages, side by side with the tools
# people use for them.
#
#   bench/documents.sh CORPUS_DIR [RUNS]
#
# CORPUS_DIR holds documents/ as built by ../shared/corpora.sh (PDF manuals under pdf/, the Python
# manual's HTML pages under html/); RUNS (default 3). Each run, in the same warm page cache:
#   - `lantern index` of the whole corpus into a fresh index: wall, user+system CPU, peak RSS, MB of
#     text extracted per second, documents extracted and failed (from its summary line);
#   - the same with `--pdf-extractor pdftotext` (poppler, for comparison);
#   - `pdftotext` over every PDF alone: one process at a time, and `xargs -P` on every core;
#   - `recollindex` (Recoll, the desktop engine that runs pdftotext underneath) over the corpus
#     into a fresh configuration whose `topdirs` is the corpus.
# Figures are median [min–max]. The Markdown table goes to stdout and to
# bench/results-documents-<date>.md.
# Installs poppler-utils, recoll and GNU time with apt-get when missing (needs root).
set -euo pipefail
export LC_ALL=C

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 CORPUS_DIR [RUNS]" >&2; exit 2; }
corpus=$(cd "$1" && pwd)/documents
[ -d "$corpus/pdf" ] || { echo "bench: no $corpus/pdf; build it with shared/corpora.sh" >&2; exit 1; }
runs=${2:-3}
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "bench: RUNS must be a positive number" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cores=$(nproc)
say() { echo "bench: $*" >&2; }

missing=()
command -v pdftotext >/dev/null || missing+=(poppler-utils)
command -v recollindex >/dev/null || missing+=(recoll)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

say "building (release)"
cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$repo/Cargo.toml" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
lantern=$target_dir/release/lantern

work=$(mktemp -d "${TMPDIR:-/tmp}/lantern-docbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT

# Runs a command under GNU time; prints "wall_s cpu_s rss_mb" and keeps its stdout in $1.
measure() {
  local out=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$out" 2>"$work/stderr" ||
    { say "'$*' failed: $(tail -3 "$work/stderr")"; exit 1; }
  awk '{printf "%s %.2f %.0f\n", $1, $2 + $3, $4 / 1024}' "$work/time"
}

find "$corpus/pdf" -type f -name '*.pdf' -print0 >"$work/pdfs"
pdf_count=$(tr -cd '\0' <"$work/pdfs" | wc -c)
pdftotext_each() { xargs -0 -n1 -P"$1" sh -c 'pdftotext -q -enc UTF-8 "$0" - >/dev/null || true' <"$work/pdfs"; }

declare -A results
record() { results[$1]+="$2"$'\n'; }

for run in $(seq 1 "$runs"); do
  say "run $run/$runs: lantern"
  rm -rf "$work/index"
  read -r wall cpu rss < <(measure "$work/summary" "$lantern" --index "$work/index" index --threads "$cores" "$corpus")
  summary=$(tail -1 "$work/summary")
  mb=$(sed -n 's/.*; \([0-9.]*\) MB in .*/\1/p' <<<"$summary")
  record lantern "$wall $cpu $rss $mb"
  lantern_summary=$summary

  say "run $run/$runs: lantern --pdf-extractor pdftotext"
  rm -rf "$work/index"
  read -r wall cpu rss < <(measure "$work/summary" "$lantern" --index "$work/index" index --threads "$cores" --pdf-extractor pdftotext "$corpus")
  mb=$(sed -n 's/.*; \([0-9.]*\) MB in .*/\1/p' <<<"$(tail -1 "$work/summary")")
  record lantern_poppler "$wall $cpu $rss $mb"

  say "run $run/$runs: pdftotext"
  read -r wall cpu rss < <(measure /dev/null bash -c "$(declare -f pdftotext_each); work=$work; pdftotext_each 1")
  record pdftotext1 "$wall $cpu $rss"
  read -r wall cpu rss < <(measure /dev/null bash -c "$(declare -f pdftotext_each); work=$work; pdftotext_each $cores")
  record pdftotextN "$wall $cpu $rss"

  say "run $run/$runs: recollindex"
  rm -rf "$work/recoll"
  mkdir -p "$work/recoll"
  printf 'topdirs = %s\nidxflushmb = 50\n' "$corpus" >"$work/recoll/recoll.conf"
  read -r wall cpu rss < <(measure /dev/null recollindex -c "$work/recoll" -z)
  record recoll "$wall $cpu $rss"
done

# Median [min–max] of column $2 of the lines in $1.
stat() {
  sort -n -k"$2" <<<"$1" | awk -v c="$2" 'NF { v[n++] = $c } END {
    m = (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
    printf "%.1f [%.1f–%.1f]", m, v[0], v[n - 1] }'
}
median() { stat "$1" "$2" | cut -d' ' -f1; }

# One table row: name, the key of its results, and whether column 4 holds MB of text.
row() {
  local lines=${results[$2]} rate="–"
  if [ -n "${3:-}" ]; then
    rate=$(awk -v mb="$(median "$lines" 4)" -v s="$(median "$lines" 1)" 'BEGIN { printf "%.1f", mb / s }')
  fi
  local ratio
  ratio=$(awk -v a="$(median "$lines" 1)" -v b="$(median "${results[recoll]}" 1)" 'BEGIN { printf "%.2f", a / b }')
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(stat "$lines" 1)" "$(stat "$lines" 2)" \
    "$(median "$lines" 3)" "$rate" "$ratio"
}

date=$(date -u +%Y-%m-%d)
out=$repo/bench/results-documents-$date.md
{
  echo "# Documents corpus, $date"
  echo
  echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $cores cores," \
    "$(awk '/^MemTotal:/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo); commit" \
    "$(git -C "$repo" rev-parse --short HEAD); $runs runs, median [min–max]."
  echo "Corpus: $(find "$corpus" -type f | wc -l) files, $(du -sm "$corpus" | cut -f1) MB;" \
    "$pdf_count PDFs ($(du -sm "$corpus/pdf" | cut -f1) MB)."
  echo
  echo "| what | wall s | CPU s | peak RSS MB | text MB/s | wall ÷ Recoll's |"
  echo "|---|---|---|---|---|---|"
  row "\`lantern index\` (built-in extractors)" lantern x
  row "\`lantern index --pdf-extractor pdftotext\`" lantern_poppler x
  row "\`pdftotext\` over the PDFs, one at a time" pdftotext1
  row "\`pdftotext\` over the PDFs, \`xargs -P$cores\`" pdftotextN
  row "\`recollindex\` (Recoll)" recoll
  echo
  echo "Lantern's last summary line: \`$lantern_summary\`"
} | tee "$out"
say "written to $out"
