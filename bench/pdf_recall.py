#!/usr/bin/env python3
"""Word recall of Lantern's PDF text against poppler's pdftotext, measured through searches.

    bench/pdf_recall.py LANTERN INDEX PDF_DIR [FILES] [WORDS] [SEED]

For a random sample of FILES PDFs (default 25) under PDF_DIR, already indexed in INDEX: the distinct
words of pdftotext's text (letters only, 3 or more, lower-cased), WORDS of them per file at random
(default 100), each searched as `contents:WORD AND path:"FILE"`. Recall is the share of those
searches that find the file. Prints one line per file and a summary; the last line is
`RECALL {json}` for scripts. Needs pdftotext (poppler-utils).
"""
import json
import random
import re
import subprocess
import sys
from pathlib import Path


def words_of(text):
    return sorted({w for w in re.findall(r"[^\W\d_]{3,}", text.lower())})


def found(lantern, index, word, path):
    query = f'contents:{word} AND path:"{path}"'
    out = subprocess.run(
        [lantern, "--index", index, "search", "--format", "json", "-n", "1", "--fragments", "0", query],
        capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"search failed: {query}: {out.stderr}")
    return json.loads(out.stdout)["total"] > 0


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    lantern, index, pdf_dir = sys.argv[1:4]
    files = int(sys.argv[4]) if len(sys.argv) > 4 else 25
    per_file = int(sys.argv[5]) if len(sys.argv) > 5 else 100
    rng = random.Random(int(sys.argv[6]) if len(sys.argv) > 6 else 1)
    pdfs = sorted(Path(pdf_dir).resolve().rglob("*.pdf"))
    sample = rng.sample(pdfs, min(files, len(pdfs)))
    hits = total = 0
    worst = (1.0, "")
    for pdf in sample:
        text = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", str(pdf), "-"],
                              capture_output=True, text=True, errors="replace").stdout
        words = words_of(text)
        chosen = rng.sample(words, min(per_file, len(words)))
        got = sum(found(lantern, index, w, pdf) for w in chosen)
        hits += got
        total += len(chosen)
        share = got / len(chosen) if chosen else 1.0
        worst = min(worst, (share, pdf.name))
        print(f"{share:7.1%}  {got:4}/{len(chosen):<4} {pdf.relative_to(Path(pdf_dir).resolve())}")
    recall = hits / total if total else 1.0
    print(f"recall {recall:.2%} over {total} words of {len(sample)} PDFs; worst file {worst[1]} at {worst[0]:.1%}")
    print("RECALL " + json.dumps({"recall": recall, "words": total, "files": len(sample),
                                  "worst_file": worst[1], "worst": worst[0]}))


if __name__ == "__main__":
    main()
