#!/usr/bin/env python3
"""Turns the raw samples bench/run.sh gathered for one corpus into a Markdown report.

    summarize.py RAW_TSV > results.md

RAW_TSV has one record a line, tab-separated:
    meta    NAME  VALUE   the corpus, machine and settings
    sample  NAME  VALUE   one measurement of NAME (times in microseconds), in run order
    search  -     JSON    the LANTERN_BENCH line of one run of benches/search_latency.rs
Every figure is printed as median [min–max] over the samples; ratios are taken run by run
(between the two commands timed one after the other) before the median, so that a slow moment of
the machine weighs on both sides of the ratio.
"""

import json
import statistics
import sys
from collections import defaultdict


def load(path):
    """Reads the raw file into (meta, samples by name, search reports)."""
    meta, samples, searches = {}, defaultdict(list), []
    with open(path, encoding="utf-8") as raw:
        for line in raw:
            kind, name, value = line.rstrip("\n").split("\t", 2)
            if kind == "meta":
                meta[name] = value
            elif kind == "sample":
                samples[name].append(float(value))
            elif kind == "search":
                searches.append(json.loads(value))
            else:
                raise ValueError(f"{path}: unknown record kind {kind!r}")
    return meta, samples, searches


def spread(values, fmt):
    """`median [min–max]`, or just the value when there is one sample."""
    if not values:
        return "–"
    med = statistics.median(values)
    if len(values) == 1 or min(values) == max(values):
        return fmt(med)
    return f"{fmt(med)} [{fmt(min(values))}–{fmt(max(values))}]"


def seconds(us_values):
    """Microseconds as seconds, or milliseconds below a second."""
    values = [us / 1e6 for us in us_values]
    if values and statistics.median(values) < 1:
        return spread([v * 1e3 for v in values], lambda v: f"{v:.1f}") + " ms"
    return spread(values, lambda v: f"{v:.2f}") + " s"


def ratio(numerators, denominators):
    """Run-by-run ratios of two paired sample lists."""
    return [n / d for n, d in zip(numerators, denominators) if d > 0]


def times(values):
    return spread(values, lambda v: f"{v:.2f}") + "×"


def millis(values):
    return spread(values, lambda v: f"{v:.2f}") + " ms"


def megabytes(byte_values):
    return spread([b / 1e6 for b in byte_values], lambda v: f"{v:.1f}") + " MB"


def report(meta, samples, searches):
    """The Markdown report as a list of lines."""
    corpus_mb = int(meta["bytes"]) / 1e6
    index_us = samples["index_us"]
    out = [
        f"# Lantern benchmark: {meta['corpus']}",
        "",
        f"- Corpus: `{meta['dir']}`, {int(meta['files']):,} files, {corpus_mb:,.1f} MB",
        f"- Machine: {meta['nproc']} CPUs ({meta['cpu']}), "
        f"{int(meta['ram_kb']) / 2**20:.1f} GiB RAM, Linux {meta['kernel']}",
        f"- Commit: {meta['commit']}; date: {meta['date']}",
        f"- Command: `{meta['command']}`"
        + (f" with INDEX_ARGS=`{meta['index_args']}`" if meta["index_args"] else ""),
        f"- {meta['runs']} run(s); figures are median [min–max]; page cache warm",
        "",
        "| Measure | Result |",
        "|---|---|",
        f"| Full index, wall (walk, read, index, commit) | {seconds(index_us)} |",
        f"| Full index, throughput | "
        f"{spread([corpus_mb / (us / 1e6) for us in index_us], lambda v: f'{v:.1f}')} MB/s |",
        f"| Full index, peak RSS | {megabytes([kb * 1e3 for kb in samples['rss_kb']])} |",
        f"| Full index, user CPU | {spread(samples['user_s'], lambda v: f'{v:.1f}')} s |",
        f"| Reference program (tantivy-naive), full index, wall | {seconds(samples['naive_index_us'])} |",
        f"| Reference program, user CPU | {spread(samples['naive_user_s'], lambda v: f'{v:.1f}')} s |",
        f"| Reference program, peak RSS | {megabytes([kb * 1e3 for kb in samples['naive_rss_kb']])} |",
        f"| Lantern ÷ reference, full index wall | {times(ratio(index_us, samples['naive_index_us']))} |",
        f"| Lantern ÷ reference, full index user CPU | {times(ratio(samples['user_s'], samples['naive_user_s']))} |",
        f"| Index size on disk | {megabytes(samples['index_bytes'])} |",
        f"| No-op re-index | {seconds(samples['noop_us'])} |",
        f"| Stat-walk `find -newer` | {seconds(samples['find_us'])} |",
        f"| No-op re-index ÷ stat-walk | {times(ratio(samples['noop_us'], samples['find_us']))} |",
        f"| Re-index after one file changed (`{meta['edited']}`) | {seconds(samples['onefile_us'])} |",
        f"| Read every file (`cat`) | {seconds(samples['cat_us'])} |",
    ]
    if searches:
        first = searches[0]
        label = (
            f"{first['queries']} queries × {first['iterations']}, {first['limit']} hits"
        )
        for key, what in (("highlighted", f"{first['fragments']} fragments each"),
                          ("not_highlighted", "no fragments")):
            for stat in ("p50", "p95", "max"):
                values = [s[key][f"{stat}_ms"] for s in searches]
                out.append(f"| Search {stat}, in-process, {label}, {what} | {millis(values)} |")
        for stat in ("p50", "p95"):
            ours = [s["highlighted"][f"{stat}_ms"] for s in searches]
            for key, queries in (("naive", "its whole file, comment lines as queries, as in issue 12"),
                                 ("naive_same", "the same queries as Lantern")):
                naive = samples[f"{key}_{stat}_ms"]
                out.append(f"| Reference program search {stat} (50 hits, 1 snippet each), {queries} | {millis(naive)} |")
                out.append(f"| Lantern ÷ reference, search {stat}, {queries} | {times(ratio(ours, naive))} |")
        bare = samples["naive_bare_p50_ms"]
        ours = [s["not_highlighted"]["p50_ms"] for s in searches]
        out.append(f"| Reference program, its search alone, median query | {millis(bare)} |")
        out.append(f"| Lantern without fragments ÷ reference's search alone, p50 | {times(ratio(ours, bare))} |")

    words = [name.split(":", 1)[1] for name in samples if name.startswith("lantern_us:")]
    if words:
        reps = meta["cmd_reps"]
        out += [
            "",
            f"Whole commands, warm cache, {reps} interleaved repetition(s) per run: "
            "`lantern search WORD --format json` (start-up and index open included) "
            "vs `rg -l WORD DIR`.",
            "",
            "| Word | lantern search | rg -l | rg ÷ lantern |",
            "|---|---|---|---|",
        ]
        all_ratios = []
        for word in words:
            lantern, rg = samples[f"lantern_us:{word}"], samples[f"rg_us:{word}"]
            ratios = ratio(rg, lantern)
            all_ratios += ratios
            out.append(f"| {word} | {seconds(lantern)} | {seconds(rg)} | {times(ratios)} |")
        out.append(f"| all words | | | {times(all_ratios)} |")

    if searches:
        out += [
            "",
            "In-process search latency per query (medians over the runs of each run's p50/p95).",
            "",
            "| Query | Matches | Hits | p50 | p95 | p50, no fragments |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for at, query in enumerate(searches[0]["per_query"]):
            runs = [s["per_query"][at] for s in searches]

            def med(key, stat, runs=runs):
                return statistics.median(r[key][f"{stat}_ms"] for r in runs)

            text = query["query"].replace("|", "\\|")
            out.append(
                f"| `{text}` | {query['total']} | {query['hits']} | "
                f"{med('highlighted', 'p50'):.2f} ms | {med('highlighted', 'p95'):.2f} ms | "
                f"{med('not_highlighted', 'p50'):.2f} ms |"
            )
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: summarize.py RAW_TSV")
    print("\n".join(report(*load(sys.argv[1]))))


if __name__ == "__main__":
    main()
