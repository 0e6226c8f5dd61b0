"""SVG chart drawing for plots.py: number formats, log/linear scales, axes, legends, grouped bars, line panels.

Hand-written SVG, Python 3 standard library only. Deterministic: coordinates rounded to one decimal, elements in the
order they are drawn, no time stamps or random ids. Series are <g class="series" data-series="NAME">, axes
<g class="axis x|y" data-scale="log|linear">, panels <g class="panel" data-panel="TITLE"> (what test_plots.py reads).
"""

import math
from collections import OrderedDict
from xml.sax.saxutils import escape, quoteattr


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


# ---------------------------------------------------------------------------------------------------- values

def finite(value):
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


# ---------------------------------------------------------------------------------------------------- bars

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
