#!/usr/bin/env python3
"""Word recall of extracted texts against pdftotext's: python3 bench/pdf_text_recall.py REF_DIR OUT_DIR

Recall is the share of the distinct words (letters only, 3 or more, lower-cased) of each
reference text that the extracted text of the same file also holds, summed over all files.
Words in ours and not in pdftotext's are counted too: glued or split words show up there. With
--nfkc both texts are NFKC-normalised first, so that pdftotext's ligature characters (U+FB01 fi)
match the letters Lantern writes."""
import os, re, statistics, sys, unicodedata

WORD = re.compile(r"[^\W\d_]{3,}")
args = [a for a in sys.argv[1:] if a != "--nfkc"]
nfkc = "--nfkc" in sys.argv


def words(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return None
    if nfkc:
        text = unicodedata.normalize("NFKC", text)
    return set(WORD.findall(text.lower()))


ref_dir, out_dir = args
hit = total = extra = ours_total = missing = 0
per = []
for name in sorted(os.listdir(ref_dir)):
    ref = words(os.path.join(ref_dir, name))
    ours = words(os.path.join(out_dir, name))
    if ours is None:
        missing += 1
        ours = set()
    if not ref:
        continue
    common = len(ref & ours)
    hit += common
    total += len(ref)
    extra += len(ours - ref)
    ours_total += len(ours)
    per.append((common / len(ref), name))
per.sort()
print(f"recall {100 * hit / total:.2f}% over {len(per)} files ({missing} without output); "
      f"median {100 * statistics.median(r for r, _ in per):.1f}%; "
      f"files <90%: {sum(r < .9 for r, _ in per)}; "
      f"words not in pdftotext: {100 * extra / max(ours_total, 1):.2f}%")
for r, n in per[:8]:
    print(f"  {100 * r:.1f}% {n}")
