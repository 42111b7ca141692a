#!/usr/bin/env python3
"""Could a cheap signature group near-copies? Measured on Sphinx manuals:

    bench/near_duplicates.py SPHINX_HTML_DIR [SAMPLE]

A Sphinx build ships each page twice: `X.html` and its markup source `_sources/X.rst.txt`
(or `X.txt`). For every page that has both, this compares the two texts' word 3-shingles
(words of letters and digits, lower-cased, as Lantern's tokenizer splits them) by their exact
Jaccard similarity and by a 64-bit SimHash of the shingles (the Hamming distance of the two
signatures), and does the same between each of SAMPLE pages (default 100) and every OTHER source:
a signature that groups near-copies must put every true pair on one side of a threshold and
every other pair on the other. Prints the distributions and, for thresholds, how many true
pairs would be grouped and how many wrong pairs too.

The HTML's text is its <body> without <script> and <style>, roughly what Lantern indexes.
"""

import hashlib
import html.parser
import os
import random
import re
import statistics
import sys

WORD = re.compile(r"[^\W_]+")


class BodyText(html.parser.HTMLParser):
    """The text of an HTML page's body, without scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip, self.in_body = [], 0, False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "body":
            self.in_body = True

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if self.in_body and not self.skip:
            self.parts.append(data)


def html_text(path):
    parser = BodyText()
    with open(path, encoding="utf-8", errors="replace") as f:
        parser.feed(f.read())
    return " ".join(parser.parts)


def shingles(text):
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}


def simhash(items):
    counts = [0] * 64
    for item in items:
        h = int.from_bytes(hashlib.blake2b(item.encode(), digest_size=8).digest(), "little")
        for bit in range(64):
            counts[bit] += 1 if h >> bit & 1 else -1
    return sum(1 << bit for bit in range(64) if counts[bit] > 0)


def jaccard(a, b):
    return len(a & b) / max(len(a | b), 1)


def hamming(a, b):
    return bin(a ^ b).count("1")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    sample = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    pairs = []
    for folder, _, files in os.walk(os.path.join(root, "_sources")):
        for name in files:
            source = os.path.join(folder, name)
            relative = os.path.relpath(source, os.path.join(root, "_sources"))
            stem = relative.removesuffix(".txt").removesuffix(".rst")
            page = os.path.join(root, stem + ".html")
            if os.path.exists(page):
                pairs.append((page, source))
    pairs.sort()
    pages = []
    for page, source in pairs:
        with open(source, encoding="utf-8", errors="replace") as f:
            a, b = shingles(html_text(page)), shingles(f.read())
        pages.append((page, source, a, b, simhash(a), simhash(b)))
    true_j = [jaccard(a, b) for _, _, a, b, _, _ in pages]
    true_h = [hamming(x, y) for *_, x, y in pages]
    random.seed(25)
    chosen = random.sample(pages, min(sample, len(pages)))
    # For each sampled page, its nearest wrong source: what a threshold must stay above.
    wrong_j, wrong_h = [], []
    for page, _, a, _, x, _ in chosen:
        others = [(jaccard(a, b), hamming(x, y)) for p, _, _, b, _, y in pages if p != page]
        wrong_j.append(max(j for j, _ in others))
        wrong_h.append(min(h for _, h in others))

    def spread(values):
        q = statistics.quantiles(values, n=10)
        return f"min {min(values):.3g}, p10 {q[0]:.3g}, median {statistics.median(values):.3g}, p90 {q[-1]:.3g}, max {max(values):.3g}"

    print(f"{len(pages)} pages with their source; {len(chosen)} sampled against every other source\n")
    print(f"Jaccard of 3-shingles, page vs its own source: {spread(true_j)}")
    print(f"Jaccard, page vs its nearest OTHER source:     {spread(wrong_j)}")
    print(f"SimHash distance (bits), page vs own source:   {spread(true_h)}")
    print(f"SimHash distance, page vs nearest other:       {spread(wrong_h)}\n")
    print("| rule | true pairs grouped | sampled pages grouped with a wrong source |")
    print("|---|---|---|")
    for threshold in (0.3, 0.5, 0.7, 0.9):
        grouped = sum(j >= threshold for j in true_j)
        wrong = sum(j >= threshold for j in wrong_j)
        print(f"| Jaccard >= {threshold} | {grouped}/{len(true_j)} | {wrong}/{len(wrong_j)} |")
    for bits in (3, 6, 10, 16):
        grouped = sum(h <= bits for h in true_h)
        wrong = sum(h <= bits for h in wrong_h)
        print(f"| SimHash distance <= {bits} | {grouped}/{len(true_h)} | {wrong}/{len(wrong_h)} |")
    print("\nLeast similar true pairs (Jaccard):")
    for j, (page, source, *_) in sorted(zip(true_j, pages), key=lambda t: t[0])[:5]:
        print(f"  {j:.3f} {os.path.relpath(page, root)}")
    print("Most similar wrong pairs (Jaccard):")
    for j, (page, *_) in sorted(zip(wrong_j, chosen), key=lambda t: -t[0])[:5]:
        print(f"  {j:.3f} {os.path.relpath(page, root)}")


if __name__ == "__main__":
    main()
