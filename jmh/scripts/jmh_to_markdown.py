#!/usr/bin/env python3
"""Turn a JMH JSON result file (-rf json) into markdown tables, backends side by side.

One table per benchmark class: a row per benchmark method and parameter combination (all parameters except
`backend`), a column per backend. Throughput cells are millions of operations per second with JMH's 99.9% error;
when the run used `-prof gc`, a second table gives gc.alloc.rate.norm in bytes per operation.

Usage: python3 jmh/scripts/jmh_to_markdown.py [--ratio BACKEND [--against B1,B2,...]] RESULT.json [MORE.json ...]

With --ratio BACKEND the throughput table starts with two columns: "BACKEND / best baseline", BACKEND's score divided
by the best score among the baselines (every backend whose name does not start with "tidemark", Agrona's plain hash
map included) in the same run, and "BACKEND / flinkHeap", the ratio the Flink user compares against. With
--against B1,B2 the lead columns are "BACKEND / B1", "BACKEND / B2", ... instead (issue 15: tidemarkFlink against
flinkHeap and flinkRocksdb).
Python 3 standard library only.
"""

import json
import sys
from collections import OrderedDict

BACKEND = "backend"


def significant(value, digits=3):
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        text = f"{value:.0f}"
    return text


def load(paths):
    results = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            results.extend(json.load(handle))
    return results


def group(results):
    """{class: {row key: {backend: result}}}, keeping the order JMH ran them in."""
    tables = OrderedDict()
    columns = OrderedDict()
    for result in results:
        klass, method = result["benchmark"].rsplit(".", 2)[-2:]
        params = result.get("params", {})
        backend = params.get(BACKEND, "-")
        others = tuple((name, value) for name, value in params.items() if name != BACKEND)
        tables.setdefault(klass, OrderedDict()).setdefault((method, others), {})[backend] = result
        columns.setdefault(klass, OrderedDict())[backend] = None
    return tables, columns


def throughput(result):
    metric = result["primaryMetric"]
    score = metric["score"]
    if metric["scoreUnit"] != "ops/s":
        return f"{significant(score)} {metric['scoreUnit']}"
    cell = significant(score / 1e6)
    samples = [value for fork in metric.get("rawData", []) for value in fork]
    if len(samples) > 1:
        cell += f" ({significant(min(samples) / 1e6, 2)}–{significant(max(samples) / 1e6, 2)})"
    return cell


def allocation(result):
    metric = result.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
    return None if metric is None else significant(metric["score"])


def ratio(by_backend, subject):
    """subject's throughput over the best baseline's, with the baseline named; None when either is missing."""
    mine = by_backend.get(subject)
    baselines = {name: r for name, r in by_backend.items() if not name.startswith("tidemark")}
    if mine is None or not baselines or mine["primaryMetric"]["scoreUnit"] != "ops/s":
        return None
    best_name, best = max(baselines.items(), key=lambda item: item[1]["primaryMetric"]["score"])
    return f"{mine['primaryMetric']['score'] / best['primaryMetric']['score']:.2f}× ({best_name})"


def ratio_to(by_backend, subject, baseline):
    mine, theirs = by_backend.get(subject), by_backend.get(baseline)
    if mine is None or theirs is None:
        return None
    return f"{mine['primaryMetric']['score'] / theirs['primaryMetric']['score']:.2f}×"


def table(klass, rows, backends, cell, title, ratio_of=None, against=None):
    param_names = [name for name, _ in next(iter(rows))[1]]
    if not ratio_of:
        lead = []
    elif against:
        lead = [f"{ratio_of} / {baseline}" for baseline in against]
    else:
        lead = [f"{ratio_of} / best baseline", f"{ratio_of} / flinkHeap"]
    header = [*lead, "benchmark", *param_names, *backends]
    lines = [f"**{klass}: {title}**", "", "| " + " | ".join(header) + " |",
             "|" + "|".join(["---:"] * len(lead) + ["---"] * (1 + len(param_names)) + ["---:"] * len(backends)) + "|"]
    for (method, params), by_backend in rows.items():
        cells = [method, *[value for _, value in params]]
        if ratio_of and against:
            cells[0:0] = [ratio_to(by_backend, ratio_of, baseline) or "n/a" for baseline in against]
        elif ratio_of:
            cells[0:0] = [ratio(by_backend, ratio_of) or "n/a", ratio_to(by_backend, ratio_of, "flinkHeap") or "n/a"]
        for backend in backends:
            result = by_backend.get(backend)
            value = cell(result) if result is not None else None
            cells.append(value if value is not None else "n/a")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(args):
    ratio_of = None
    against = None
    if args and args[0] == "--ratio":
        ratio_of, args = args[1], args[2:]
        if args and args[0] == "--against":
            against, args = args[1].split(","), args[2:]
    paths = args
    results = load(paths)
    if not results:
        sys.exit("no results in " + ", ".join(paths))
    tables, columns = group(results)
    out = []
    for klass, rows in tables.items():
        backends = list(columns[klass])
        out.append(table(klass, rows, backends, throughput, "throughput, million ops/s (lowest–highest iteration)",
                         ratio_of, against))
        if any(allocation(r) is not None for by_backend in rows.values() for r in by_backend.values()):
            out.append(table(klass, rows, backends, allocation, "allocation, gc.alloc.rate.norm B/op"))
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
