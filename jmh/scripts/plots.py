#!/usr/bin/env python3
"""Draw SVG charts of Tidemark's benchmark results, for docs/benchmarks.md.

Three kinds of chart, one subcommand each; inputs are files or globs (a quoted glob is expanded here, sorted):

  throughput  JMH JSON (-rf json): one chart per benchmark class, grouped bars, a group per benchmark method and
              parameter combination, a bar per backend (Tidemark's first, then the baselines), JMH's 99.9% error as
              whiskers when the run has one. Parameters that are the same for every result go to the subtitle.
  pause       SnapshotPause TSV (`results=...pause.tsv`): pause percentiles against key count, one panel per
              configuration (backend, value size, overlap, state...), a line per percentile.
  latency     PipelineLatency TSV (issue 13, `out=...tsv`): latency percentiles against offered load, one panel per
              configuration (workers, idle strategy...), a line per percentile. Unpaced runs (`max`) have no offered
              load and are left out; a run that was not sustained is drawn with a hollow marker.

Usage (from anywhere; output defaults to docs/images/benchmarks/ of this checkout):
  python3 jmh/scripts/plots.py throughput --name NAME RESULT.json [MORE.json ...]   # NAME-CLASS.svg per class
  python3 jmh/scripts/plots.py pause --name NAME PAUSE.tsv [...]                     # NAME-pause.svg
  python3 jmh/scripts/plots.py latency --name NAME LATENCY.tsv [...]                 # NAME-latency.svg
Options: --out DIR, --xscale/--yscale auto|log|linear (auto: log when the values span more than two decades),
--reference MICROS:LABEL (pause and latency, repeatable: a dashed line across every panel, e.g. a target).

Same input, same bytes: no time stamps, fixed number formatting, series in input order. Python 3 standard library
only; this file reads the results and shapes the charts, svgchart.py beside it draws them. Self-test:
python3 -m unittest discover -s jmh/scripts -p 'test_*.py'
"""
import argparse
import csv
import glob
import json
import os
import sys
from collections import OrderedDict

from svgchart import draw_bars, draw_panels, finite, micros, si

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "images", "benchmarks")


# ---------------------------------------------------------------------------------------------------- throughput

def load_jmh(paths):
    results = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            results.extend((os.path.basename(path), r) for r in json.load(handle))
    return results


def throughput_charts(results):
    """{class: chart dict} with groups (method + parameters) of bars (backend, score, error)."""
    by_class = OrderedDict()
    for source, result in results:
        klass, method = result["benchmark"].rsplit(".", 2)[-2:]
        by_class.setdefault(klass, []).append((source, method, result))
    charts = OrderedDict()
    for klass, entries in by_class.items():
        units = sorted({r["primaryMetric"]["scoreUnit"] for _, _, r in entries})
        if len(units) != 1:
            raise ValueError(f"{klass}: results in different units: units={','.join(units)}")
        names = []
        for _, _, r in entries:
            names.extend(n for n in r.get("params", {}) if n != "backend" and n not in names)
        values = {n: [r.get("params", {}).get(n, "-") for _, _, r in entries] for n in names}
        varying = [n for n in names if len(set(values[n])) > 1]
        constant = [f"{n}={values[n][0]}" for n in names if n not in varying]
        keys = [(m, tuple(r.get("params", {}).get(n, "-") for n in varying)) for _, m, r in entries]
        backends = [r.get("params", {}).get("backend", "-") for _, _, r in entries]
        with_source = len(set(zip(keys, backends))) < len(entries)
        groups = OrderedDict()
        for (source, method, result), key, backend in zip(entries, keys, backends):
            key = key + ((source,) if with_source else ())
            metric = result["primaryMetric"]
            groups.setdefault(key, OrderedDict())[backend] = (metric["score"], finite(metric.get("scoreError")))
        order = [b for b in OrderedDict.fromkeys(backends) if b.startswith("tidemark")]
        order += [b for b in OrderedDict.fromkeys(backends) if not b.startswith("tidemark")]
        sources = sorted({s for s, _, _ in entries})
        charts[klass] = {"unit": units[0], "groups": groups, "backends": order, "constant": constant,
                         "varying": varying, "with_source": with_source, "mode": entries[0][2].get("mode", ""),
                         "sources": sources}
    return charts


# ---------------------------------------------------------------------------------------------------- panels

def read_tsv(paths):
    rows = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                row["source"] = os.path.basename(path)
                rows.append(row)
    return rows


def panels_of(rows, group_fields, x_field, columns, flag=None, quiet=()):
    """Panels {key: {percentile: [(x, y, hollow)]}}, their titles, and the group fields every row shares.

    A panel's title names the group fields that vary across panels, except the quiet ones (fields that follow from
    others, or labels), which are named only when the titles would otherwise not tell two panels apart.
    """
    fields = [f for f in group_fields if any(f in row for row in rows)]
    if len({row["source"] for row in rows}) > 1:
        fields.append("source")
    keys = [tuple(row.get(f, "-") for f in fields) for row in rows]
    varying = [i for i, f in enumerate(fields) if len({k[i] for k in keys}) > 1]
    constant = [f"{fields[i]}={keys[0][i]}" for i in range(len(fields)) if i not in varying]
    shown = [i for i in varying if fields[i] not in quiet]
    if len({tuple(k[i] for i in shown) for k in keys}) < len(set(keys)):
        shown = varying
    panels = OrderedDict()
    for row, key in zip(rows, keys):
        x = finite(row.get(x_field))
        if x is None:
            continue
        lines = panels.setdefault(key, OrderedDict((label, []) for label in columns))
        for label, column in columns.items():
            y = finite(row.get(column))
            if y is not None:
                lines[label].append((x, y, flag(row) if flag else False))
    titles = OrderedDict((key, ", ".join(describe(fields[i], key[i]) for i in shown) or "all runs")
                         for key in panels)
    return panels, titles, constant


def describe(field, value):
    """How a panel title names one group field's value."""
    formats = {"backend": "{}", "source": "{}", "valueSize": "{} B values", "overlap": "overlap {}",
               "state": "state {}", "workers": "{} workers", "idle": "idle {}", "checkpointMs": "checkpoints {} ms",
               "parallelism": "parallelism {}", "sources": "{} sources", "keyCount": "{} keys",
               "keysOrSymbols": "{} keys"}
    if field == "workers" and value == "1":
        return "1 worker"
    return formats.get(field, field + " {}").format(value)


PAUSE_COLUMNS = OrderedDict([("p50", "p50us"), ("p90", "p90us"), ("p99", "p99us"), ("p99.9", "p999us"),
                             ("max", "maxUs")])
PAUSE_GROUPS = ["backend", "kind", "valueSize", "overlap", "state", "mapSize"]
LATENCY_COLUMNS = OrderedDict([("p50", "p50us"), ("p99", "p99us"), ("p99.9", "p999us"), ("max", "maxUs")])
LATENCY_GROUPS = ["job", "backend", "keysOrSymbols", "checkpointMs", "workers", "parallelism", "sources", "idle",
                  "seconds", "warmupSeconds", "label"]


def pause_chart(rows, options):
    panels, titles, constant = panels_of(rows, PAUSE_GROUPS, "keyCount", PAUSE_COLUMNS)
    subtitles = ["synchronous part of snapshot(...), µs; " + (", ".join(constant) or "every configuration"),
                 "from " + ", ".join(sorted({row["source"] for row in rows}))]
    return draw_panels("Snapshot pause percentiles against key count", subtitles, panels, titles, "keys", si,
                       "pause", micros, options)


def latency_chart(rows, options):
    paced = [row for row in rows if finite(row.get("offeredPerSec")) is not None]
    if not paced:
        raise ValueError("no paced run: every row's offeredPerSec is max or missing")
    follow = all(row.get("parallelism") == row.get("workers") == row.get("sources") for row in paced)
    quiet = ("label", "parallelism", "sources") if follow else ("label",)
    panels, titles, constant = panels_of(paced, LATENCY_GROUPS, "offeredPerSec", LATENCY_COLUMNS,
                                         flag=lambda row: row.get("sustained") == "no", quiet=quiet)
    hollow = any(p[2] for lines in panels.values() for points in lines.values() for p in points)
    subtitles = ["latency source → sink per record, intended emission time (coordinated omission corrected); "
                 + ", ".join(c for c in constant if not c.startswith("label=")),
                 "from " + ", ".join(sorted({row["source"] for row in paced})) + " (unpaced runs left out)"]
    return draw_panels("Pipeline latency percentiles against offered load", subtitles, panels, titles,
                       "offered load, records/s", si, "latency", micros, options,
                       note="hollow marker: not sustained (achieved < 99% of offered)" if hollow else None)


# ---------------------------------------------------------------------------------------------------- main

def reference(text):
    value, _, label = text.partition(":")
    if finite(value) is None or float(value) <= 0 or not label:
        raise argparse.ArgumentTypeError(f"reference is MICROS:LABEL with MICROS > 0: reference={text}")
    return float(value), label


def expand(patterns):
    paths = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if any(c in pattern for c in "*?[") else [pattern]
        if not matches:
            raise SystemExit(f"no file matches: pattern={pattern}")
        paths.extend(m for m in matches if m not in paths)
    return paths


def default_name(paths):
    stems = [os.path.splitext(os.path.basename(p))[0] for p in paths]
    prefix = os.path.commonprefix(stems).rstrip("-_.")
    return prefix or stems[0]


def write(out, name, content):
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, name)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(content)
    return path


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["throughput", "pause", "latency"])
    parser.add_argument("inputs", nargs="+", help="result files or globs")
    parser.add_argument("--out", default=DEFAULT_OUT, help="output directory (default docs/images/benchmarks)")
    parser.add_argument("--name", help="file name prefix (default: the inputs' common prefix)")
    parser.add_argument("--xscale", choices=["auto", "log", "linear"], default="auto")
    parser.add_argument("--yscale", choices=["auto", "log", "linear"], default="auto")
    parser.add_argument("--reference", dest="references", metavar="MICROS:LABEL", type=reference, action="append",
                        default=[], help="pause and latency: a dashed horizontal line in every panel, e.g. a target")
    args = parser.parse_args(argv)
    try:
        written = draw(args, expand(args.inputs))
    except ValueError as error:
        raise SystemExit(f"plots.py {args.kind}: {error}")
    for path in written:
        print(os.path.relpath(path))


def draw(args, paths):
    name = args.name or default_name(paths)
    written = []
    if args.kind == "throughput":
        results = load_jmh(paths)
        if not results:
            raise SystemExit("no JMH results in " + ", ".join(paths))
        for klass, chart in throughput_charts(results).items():
            written.append(write(args.out, f"{name}-{klass}.svg", draw_bars(klass, chart, args.yscale)))
    else:
        rows = read_tsv(paths)
        if not rows:
            raise ValueError("no rows below the header in " + ", ".join(paths))
        chart = pause_chart if args.kind == "pause" else latency_chart
        written.append(write(args.out, f"{name}-{args.kind}.svg", chart(rows, args)))
    return written


if __name__ == "__main__":
    main(sys.argv[1:])
