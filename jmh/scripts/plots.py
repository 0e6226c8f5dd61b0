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
only. Self-test: python3 -m unittest discover -s jmh/scripts -p 'test_*.py'
"""

import argparse
import csv
import glob
import json
import math
import os
import sys
from collections import OrderedDict
from xml.sax.saxutils import escape, quoteattr

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "images", "benchmarks")
LOG_DECADES = 2  # auto scale: log when max / min > 10^LOG_DECADES
FONT = "Helvetica, Arial, sans-serif"
CHAR_WIDTH = 6.6  # approximate advance of one character at 12 px, for layout only

BACKEND_COLOURS = OrderedDict([
    ("tidemarkOffheap", "#1b7837"), ("tidemarkOffheapBoxed", "#7fbf7b"), ("tidemarkHeap", "#35978f"),
    ("tidemarkChronicle", "#80cdc1"), ("flinkHeap", "#d6604d"), ("flinkRocksdb", "#f4a582"),
    ("chronicleMap", "#4393c3"), ("agrona", "#8073ac"),
])
OTHER_COLOURS = ["#542788", "#b35806", "#01665e", "#c51b7d", "#4d4d4d", "#a6761d"]
PERCENTILES = OrderedDict([  # label: (colour, dash)
    ("p50", ("#2166ac", None)), ("p90", ("#5aae61", None)), ("p99", ("#e08214", None)),
    ("p99.9", ("#b2182b", None)), ("max", ("#636363", "4 3")),
])


# ---------------------------------------------------------------------------------------------------- numbers

def num(value):
    """A coordinate or length: one decimal, no trailing zeros, never '-0'."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def short(value):
    """Up to three significant digits, no exponent."""
    if value == 0:
        return "0"
    digits = max(0, 2 - int(math.floor(math.log10(abs(value)))))
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def si(value):
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= factor:
            return short(value / factor) + suffix
    return short(value)


def micros(value):
    for factor, unit in ((1e6, "s"), (1e3, "ms")):
        if abs(value) >= factor:
            return f"{short(value / factor)} {unit}"
    return f"{short(value)} µs"


# ---------------------------------------------------------------------------------------------------- scales

def spans_decades(values, decades=LOG_DECADES):
    positive = [v for v in values if v > 0]
    return bool(positive) and max(positive) / min(positive) > 10 ** decades


class Scale:
    """Maps a value to a fraction of the axis, 0 at the low end; log or linear, with its ticks."""

    def __init__(self, values, mode="auto", from_zero=True):
        values = [v for v in values if v is not None and math.isfinite(v)]
        if not values:
            raise ValueError("no values to scale")
        self.log = mode == "log" or (mode == "auto" and spans_decades(values))
        if self.log:
            positive = [v for v in values if v > 0]
            if not positive:
                raise ValueError("log scale without a positive value")
            self.lo = 10.0 ** math.floor(math.log10(min(positive)))
            self.hi = 10.0 ** math.ceil(math.log10(max(positive)))
            if self.hi <= self.lo:
                self.hi = self.lo * 10
        else:
            lo, hi = min(values), max(values)
            lo = min(lo, 0.0) if from_zero else lo
            self.step = nice_step((hi - lo) or abs(hi) or 1.0)
            self.lo = math.floor(lo / self.step) * self.step
            self.hi = math.ceil(hi / self.step) * self.step
            if self.hi <= self.lo:
                self.hi = self.lo + self.step

    @property
    def kind(self):
        return "log" if self.log else "linear"

    def fraction(self, value):
        if self.log:
            value = max(value, self.lo)
            return (math.log10(value) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        return (value - self.lo) / (self.hi - self.lo)

    def ticks(self):
        """(value, labelled) pairs: decades, plus 2 and 5 times them when the axis spans three decades or less."""
        if not self.log:
            count = int(round((self.hi - self.lo) / self.step))
            return [(self.lo + i * self.step, True) for i in range(count + 1)]
        first, last = int(round(math.log10(self.lo))), int(round(math.log10(self.hi)))
        ticks = []
        for exponent in range(first, last + 1):
            ticks.append((10.0 ** exponent, True))
            if exponent < last:
                ticks.extend((m * 10.0 ** exponent, last - first <= 3 and m in (2, 5)) for m in range(2, 10))
        return ticks


def nice_step(span, target=5):
    raw = span / target
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


# ---------------------------------------------------------------------------------------------------- SVG

class Svg:
    def __init__(self, width, height, title):
        self.width, self.height = width, height
        self.parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{num(width)}" height="{num(height)}" '
            f'viewBox="0 0 {num(width)} {num(height)}" font-family="{FONT}" font-size="12">',
            f"<title>{escape(title)}</title>",
            f'<rect x="0" y="0" width="{num(width)}" height="{num(height)}" fill="#ffffff"/>',
        ]

    def add(self, tag, text=None, **attrs):
        rendered = "".join(f" {name.rstrip('_').replace('_', '-')}={quoteattr(str(value))}"
                           for name, value in attrs.items() if value is not None)
        if text is None:
            self.parts.append(f"<{tag}{rendered}/>")
        else:
            self.parts.append(f"<{tag}{rendered}>{escape(text)}</{tag}>")

    def open(self, tag, **attrs):
        rendered = "".join(f" {name.rstrip('_').replace('_', '-')}={quoteattr(str(value))}"
                           for name, value in attrs.items() if value is not None)
        self.parts.append(f"<{tag}{rendered}>")

    def close(self, tag):
        self.parts.append(f"</{tag}>")

    def text(self, x, y, content, size=None, anchor=None, weight=None, fill=None, transform=None):
        self.add("text", content, x=num(x), y=num(y), font_size=size, text_anchor=anchor, font_weight=weight,
                 fill=fill, transform=transform)

    def line(self, x1, y1, x2, y2, stroke="#000000", width=1, dash=None):
        self.add("line", x1=num(x1), y1=num(y1), x2=num(x2), y2=num(y2), stroke=stroke, stroke_width=num(width),
                 stroke_dasharray=dash)

    def render(self):
        return "\n".join(self.parts + ["</svg>"]) + "\n"


def text_width(content, size=12):
    return len(content) * CHAR_WIDTH * size / 12


def header(svg, title, subtitles, left):
    svg.text(left, 22, title, size=15, weight="bold")
    for i, line in enumerate(subtitles):
        svg.text(left, 40 + 15 * i, line, size=11, fill="#555555")
    return 40 + 15 * len(subtitles) - 8


def legend_rows(entries, width, left):
    """Lay out (label, ...) entries in rows of at most width; returns [(x, row, entry)] and the row count."""
    placed, x, row = [], left, 0
    for entry in entries:
        advance = 22 + text_width(entry[0], 11) + 16
        if x > left and x + advance > width - 10:
            x, row = left, row + 1
        placed.append((x, row, entry))
        x += advance
    return placed, (row + 1 if entries else 0)


def draw_legend(svg, placed, top):
    svg.open("g", class_="legend")
    for x, row, (label, colour, dash, shape) in placed:
        y = top + 16 * row
        if shape == "bar":
            svg.add("rect", x=num(x), y=num(y - 9), width="14", height="10", fill=colour)
        else:
            svg.line(x, y - 4, x + 16, y - 4, stroke=colour, width=2, dash=dash)
            svg.add("circle", cx=num(x + 8), cy=num(y - 4), r="3", fill=colour)
        svg.text(x + 20, y, label, size=11)
    svg.close("g")


def y_axis(svg, scale, left, top, width, height, label, fmt, caption_x=14):
    svg.open("g", class_="axis y", data_scale=scale.kind)
    for value, labelled in scale.ticks():
        y = top + height - scale.fraction(value) * height
        if labelled:
            svg.line(left, y, left + width, y, stroke="#dddddd")
            svg.line(left - 4, y, left, y, stroke="#333333")
            svg.text(left - 6, y + 4, fmt(value), size=11, anchor="end")
        elif scale.log:
            svg.line(left, y, left + width, y, stroke="#f2f2f2")
            svg.line(left - 2, y, left, y, stroke="#333333")
    svg.line(left, top, left, top + height, stroke="#333333")
    svg.line(left, top + height, left + width, top + height, stroke="#333333")
    caption = label + (", log scale" if scale.log else "")
    svg.text(caption_x, top + height / 2, caption, size=11, anchor="middle",
             transform=f"rotate(-90 {num(caption_x)} {num(top + height / 2)})")
    svg.close("g")


def colour_for(name, known, others):
    if name in known:
        return known[name]
    return others.setdefault(name, OTHER_COLOURS[len(others) % len(OTHER_COLOURS)])


# ---------------------------------------------------------------------------------------------------- throughput

def load_jmh(paths):
    results = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            results.extend((os.path.basename(path), r) for r in json.load(handle))
    return results


def finite(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


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


def group_label(key):
    method, params = key[0], key[1]
    return " · ".join([method, *params, *key[2:]])


BAR_GAP = 18  # pixels between two groups of bars


def bar_subtitles(chart):
    groups, unit = chart["groups"], chart["unit"]
    better = "higher is better" if unit.endswith("/s") else "lower is better"
    grouped = " · ".join(["benchmark", *chart["varying"], *(["file"] if chart["with_source"] else [])])
    whiskers = any(error is not None for bars in groups.values() for _, error in bars.values())
    return [f"{chart['mode']} mode, {unit} ({better})" + (", JMH 99.9% error as whiskers" if whiskers else "")
            + "; " + (", ".join(chart["constant"]) or "no fixed parameter"),
            f"bars grouped by {grouped}; from " + ", ".join(chart["sources"])]


def draw_bars(klass, chart, yscale="auto"):
    groups, backends, unit = chart["groups"], chart["backends"], chart["unit"]
    bar = 14 if len(backends) <= 4 else 11
    labels = [group_label(k) for k in groups]
    subtitles = bar_subtitles(chart)
    left, plot_height = 74, 300
    width = left + 20 + max(420, len(groups) * (len(backends) * bar + BAR_GAP),
                            max(text_width(line, 11) for line in subtitles))
    plot_width = width - left - 20
    others = OrderedDict()
    legend = [(b, colour_for(b, BACKEND_COLOURS, others), None, "bar") for b in backends]
    placed, rows = legend_rows(legend, width, left)
    top_of_legend = 40 + 15 * len(subtitles) + 4
    top = top_of_legend + 16 * rows + 8
    base = top + plot_height
    height = base + 28 + max(text_width(label, 11) for label in labels) * math.sin(math.radians(35))
    values = [v for bars in groups.values() for score, error in bars.values()
              for v in (score, score + error if error is not None else None) if v is not None]
    scale = Scale(values, yscale)
    svg = Svg(width, height, f"{klass}: {unit}")
    header(svg, f"{klass}: {'throughput' if unit.endswith('/s') else 'time'}, {unit}", subtitles, left)
    draw_legend(svg, placed, top_of_legend + 10)
    y_axis(svg, scale, left, top, plot_width, plot_height, unit, si if unit == "ops/s" else short)
    group_width = plot_width / len(groups)
    bar = min(28.0, max(bar, (group_width - BAR_GAP) / len(backends)))
    for index, bars in enumerate(groups.values()):
        x0 = left + index * group_width + (group_width - len(backends) * bar) / 2
        for position, backend in enumerate(backends):
            if backend in bars:
                svg.open("g", class_="series", data_series=backend)
                draw_bar(svg, scale, x0 + position * bar, bar - 1, base, plot_height, bars[backend],
                         colour_for(backend, BACKEND_COLOURS, others), f"{backend}, {labels[index]}", unit)
                svg.close("g")
        cx = x0 + (len(backends) * bar) / 2 + 4
        svg.text(cx, base + 14, labels[index], size=11, anchor="end", transform=f"rotate(-35 {num(cx)} "
                 f"{num(base + 14)})")
    return svg.render()


def draw_bar(svg, scale, x, width, base, height, measured, colour, name, unit):
    """One bar from the axis to the score, a <title> with the figures, whiskers at score ± error."""
    score, error = measured
    fmt = si if unit == "ops/s" else short

    def y_of(value):
        return base - scale.fraction(max(value, scale.lo)) * height

    y = y_of(score)
    svg.open("rect", x=num(x), y=num(y), width=num(width), height=num(base - y), fill=colour)
    svg.add("title", f"{name}: {fmt(score)} {unit}" + (f" ± {fmt(error)}" if error is not None else ""))
    svg.close("rect")
    if error is not None and error > 0:
        middle, high, low = x + width / 2, y_of(score + error), y_of(score - error)
        svg.line(middle, high, middle, low, stroke="#222222")
        svg.line(middle - 3, high, middle + 3, high, stroke="#222222")
        svg.line(middle - 3, low, middle + 3, low, stroke="#222222")


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
    formats = {"backend": "{}", "valueSize": "{} B values", "overlap": "overlap {}", "state": "state {}", "workers": "{} workers",
               "idle": "idle {}", "checkpointMs": "checkpoints {} ms", "parallelism": "parallelism {}",
               "sources": "{} sources", "keyCount": "{} keys", "keysOrSymbols": "{} keys"}
    if field == "workers" and value == "1":
        return "1 worker"
    return formats.get(field, field + " {}").format(value) if field != "source" else value


def draw_panels(title, subtitles, panels, titles, x_label, x_fmt, y_label, y_fmt, options, note=None):
    """Panels side by side (two or three a row) sharing both axes; options carry xscale, yscale and references."""
    count = len(panels)
    columns = count if count <= 3 else 2
    rows_of_panels = (count + columns - 1) // columns
    panel_width, panel_height, gutter, left = 300, 210, 90, 74
    width = left + columns * panel_width + (columns - 1) * gutter + 24
    used = [label for label in PERCENTILES if any(lines.get(label) for lines in panels.values())]
    legend = [(label, *PERCENTILES[label], "line") for label in used]
    if note:
        subtitles = subtitles + [note]
    width = max(width, left + max(text_width(line, 11) for line in subtitles) + 20)
    placed, legend_lines = legend_rows(legend, width, left)
    top_of_legend = 40 + 15 * len(subtitles) + 4
    top = top_of_legend + 16 * legend_lines + 30
    height = top + rows_of_panels * (panel_height + 76) - 20
    xs = [p[0] for lines in panels.values() for points in lines.values() for p in points]
    ys = [p[1] for lines in panels.values() for points in lines.values() for p in points]
    if not xs:
        raise ValueError("nothing to plot: no row has both the x value and a percentile")
    x_scale = Scale(xs, options.xscale)
    y_scale = Scale(ys + [value for value, _ in options.references], options.yscale)
    svg = Svg(width, height, title)
    header(svg, title, subtitles, left)
    draw_legend(svg, placed, top_of_legend + 10)
    for index, (key, lines) in enumerate(panels.items()):
        px = left + (index % columns) * (panel_width + gutter)
        py = top + (index // columns) * (panel_height + 76)
        svg.open("g", class_="panel", data_panel=titles[key])
        svg.text(px, py - 8, titles[key], size=12, weight="bold")
        y_axis(svg, y_scale, px, py, panel_width, panel_height, y_label, y_fmt, caption_x=px - 60)
        x_axis(svg, x_scale, px, py + panel_height, panel_width, x_label, x_fmt)
        for value, label in options.references:
            y = py + panel_height - y_scale.fraction(value) * panel_height
            svg.open("g", class_="reference", data_reference=label)
            svg.line(px, y, px + panel_width, y, stroke="#000000", width=1, dash="6 3")
            svg.text(px + panel_width - 2, y - 4, label, size=10, anchor="end")
            svg.close("g")
        for label, points in lines.items():
            if points:
                draw_line(svg, label, sorted(points), x_scale, y_scale, px, py, panel_width, panel_height)
        svg.close("g")
    return svg.render()


PAD = 14  # pixels between the ends of an x axis and the first and last possible point


def x_position(scale, value, left, width):
    return left + PAD + scale.fraction(value) * (width - 2 * PAD)


def x_axis(svg, scale, left, base, width, label, fmt):
    svg.open("g", class_="axis x", data_scale=scale.kind)
    for value, labelled in scale.ticks():
        x = x_position(scale, value, left, width)
        if labelled:
            svg.line(x, base, x, base + 4, stroke="#333333")
            svg.text(x, base + 16, fmt(value), size=11, anchor="middle")
        elif scale.log:
            svg.line(x, base, x, base + 2, stroke="#333333")
    svg.text(left + width / 2, base + 34, label + (", log scale" if scale.log else ""), size=11, anchor="middle")
    svg.close("g")


def draw_line(svg, label, points, x_scale, y_scale, left, top, width, height):
    colour, dash = PERCENTILES[label]
    coords = [(x_position(x_scale, x, left, width), top + height - y_scale.fraction(y) * height, hollow, x, y)
              for x, y, hollow in points]
    svg.open("g", class_="series", data_series=label)
    if len(coords) > 1:
        svg.add("polyline", points=" ".join(f"{num(x)},{num(y)}" for x, y, *_ in coords), fill="none",
                stroke=colour, stroke_width="2", stroke_dasharray=dash)
    for x, y, hollow, vx, vy in coords:
        svg.open("circle", cx=num(x), cy=num(y), r="3.5", fill="#ffffff" if hollow else colour, stroke=colour,
                 stroke_width="1.5")
        svg.add("title", f"{label}: {micros(vy)} at {si(vx)}" + (" (not sustained)" if hollow else ""))
        svg.close("circle")
    svg.close("g")


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
