#!/usr/bin/env bash
# The mail benchmark (issue 24): indexing one mailbox of real attachments, side by side with
# Recoll.
#
#   bench/mail.sh CORPUS_DIR [MESSAGES] [RUNS]
#
# CORPUS_DIR holds documents/ as built by ../shared/corpora.sh (PDF manuals under pdf/, the Python
# manual's HTML pages and their .rst.txt sources under html/). One mbox of MESSAGES messages
# (default 2000) is written from it: a message per PDF with the PDF attached, a message per HTML
# page with the page attached, and plain-text messages (the .rst.txt sources as bodies) for the
# rest; every attachment base64, as mailers send them. RUNS (default 3) times, in the same warm
# page cache, each tool in turn:
#   - `lantern index` of the folder holding the mbox, into a fresh index;
#   - `recollindex` over the same folder, into a fresh configuration whose `topdirs` is it.
# Figures are median [min–max] of wall, user+system CPU and peak RSS; the Markdown table goes to
# stdout and to bench/results-mail-<date>.md. Installs recoll and GNU time when missing.
set -euo pipefail
export LC_ALL=C

[ $# -ge 1 ] && [ $# -le 3 ] || { echo "usage: $0 CORPUS_DIR [MESSAGES] [RUNS]" >&2; exit 2; }
corpus=$(cd "$1" && pwd)/documents
[ -d "$corpus/pdf" ] || { echo "bench: no $corpus/pdf; build it with shared/corpora.sh" >&2; exit 1; }
messages=${2:-2000}
runs=${3:-3}
[[ $messages =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] ||
  { echo "bench: MESSAGES and RUNS must be positive numbers" >&2; exit 2; }
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cores=$(nproc)
say() { echo "bench: $*" >&2; }

missing=()
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

work=$(mktemp -d "${TMPDIR:-/tmp}/lantern-mailbench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT

say "writing a mailbox of $messages messages"
mkdir -p "$work/mail"
python3 - "$corpus" "$work/mail/inbox" "$messages" <<'PY'
import email.message, email.utils, mailbox, pathlib, sys

corpus, out, wanted = pathlib.Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
pdfs = sorted((corpus / "pdf").rglob("*.pdf"))
pages = sorted((corpus / "html").rglob("*.html"))
sources = sorted((corpus / "html").rglob("*.txt"))
box = mailbox.mbox(out, create=True)
people = ["Alice Liddell <alice@example.com>", "Bob Marley <bob@example.org>",
          "Carol Shaw <carol@example.net>", "Dave Cutler <dave@example.com>"]

def message(number, subject, body):
    msg = email.message.EmailMessage()
    msg["From"] = people[number % len(people)]
    msg["To"] = people[(number + 1) % len(people)]
    msg["Subject"] = subject
    msg["Date"] = email.utils.formatdate(1_700_000_000 + number * 3600)
    msg["Message-ID"] = f"<{number}@bench.example>"
    msg.set_content(body)
    return msg

attached = [(path, "application", "pdf") for path in pdfs] + \
           [(path, "text", "html") for path in pages]
for number in range(wanted):
    if number < len(attached):
        path, main, sub = attached[number]
        msg = message(number, f"About {path.stem}", f"Attached: {path.name}.\n")
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    else:
        source = sources[(number - len(attached)) % len(sources)]
        msg = message(number, f"Notes on {source.stem}", source.read_text(errors="replace"))
    box.add(msg)
box.flush()
PY
say "mailbox: $(du -m "$work/mail/inbox" | cut -f1) MB"

# Runs a command under GNU time; prints "wall_s cpu_s rss_mb" and keeps its stdout in $1.
measure() {
  local out=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >"$out" 2>"$work/stderr" ||
    { say "'$*' failed: $(tail -3 "$work/stderr")"; exit 1; }
  awk '{printf "%s %.2f %.0f\n", $1, $2 + $3, $4 / 1024}' "$work/time"
}

declare -A results
# Keeps a run's figures, and says them at once: a run cut short (a full disk) still tells.
record() {
  results[$1]+="$2"$'\n'
  say "$1: $2 (wall s, CPU s, peak RSS MB)"
}

for run in $(seq 1 "$runs"); do
  say "run $run/$runs: lantern"
  rm -rf "$work/index"
  read -r wall cpu rss < <(measure "$work/summary" "$lantern" --index "$work/index" index --threads "$cores" "$work/mail")
  record lantern "$wall $cpu $rss"
  lantern_summary=$(tail -1 "$work/summary")

  say "run $run/$runs: recollindex"
  rm -rf "$work/recoll"
  mkdir -p "$work/recoll"
  printf 'topdirs = %s\nidxflushmb = 50\n' "$work/mail" >"$work/recoll/recoll.conf"
  read -r wall cpu rss < <(measure /dev/null recollindex -c "$work/recoll" -z)
  record recoll "$wall $cpu $rss"
done
# What Recoll made of the mailbox: its documents of each type.
recoll_count() {
  recollq -c "$work/recoll" -n 0-1000000 "mime:$1" 2>/dev/null | sed -n 's/^\([0-9]*\) results.*/\1/p' | head -1
}
recoll_documents="$(recoll_count message/rfc822) messages, $(recoll_count application/pdf) PDF, $(recoll_count text/html) HTML"

# Median [min–max] of column $2 of the lines in $1.
stat() {
  sort -n -k"$2" <<<"$1" | awk -v c="$2" 'NF { v[n++] = $c } END {
    m = (n % 2) ? v[int(n / 2)] : (v[n / 2 - 1] + v[n / 2]) / 2
    printf "%.1f [%.1f–%.1f]", m, v[0], v[n - 1] }'
}
median() { stat "$1" "$2" | cut -d' ' -f1; }

row() {
  local lines=${results[$2]}
  local ratio
  ratio=$(awk -v a="$(median "$lines" 1)" -v b="$(median "${results[recoll]}" 1)" 'BEGIN { printf "%.2f", a / b }')
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$(stat "$lines" 1)" "$(stat "$lines" 2)" \
    "$(median "$lines" 3)" "$ratio"
}

date=$(date -u +%Y-%m-%d)
out=$repo/bench/results-mail-$date.md
{
  echo "# Mail, $date"
  echo
  echo "One mbox of $messages messages ($(du -m "$work/mail/inbox" | cut -f1) MB) written from $corpus;"
  echo "$runs runs, $cores cores, median [min–max]."
  echo
  echo "| what | wall s | CPU s | peak RSS MB | wall ÷ Recoll's |"
  echo "|---|---|---|---|---|"
  row '`lantern index`' lantern
  row '`recollindex`' recoll
  echo
  echo "Lantern's last summary: \`$lantern_summary\`"
  echo
  echo "Recoll's documents: $recoll_documents"
} | tee "$out"
