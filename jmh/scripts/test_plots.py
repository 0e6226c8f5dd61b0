"""Self-test of plots.py: valid SVG, the expected series, log axes when the data spans decades, same bytes twice.

Run from the repository root (Python 3 standard library only; the Maven build runs no Python):
    python3 -m unittest discover -s jmh/scripts -p 'test_*.py'
"""

import io
import json
import os
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree
from contextlib import redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plots  # noqa: E402  (imported from this directory)
import svgchart  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
PAUSE_HEADER = ["backend", "keyCount", "valueSize", "kind", "overlap", "p50us", "p90us", "p99us", "p999us", "maxUs"]
LATENCY_HEADER = ["label", "job", "offeredPerSec", "checkpointMs", "parallelism", "sources", "workers", "idle",
                  "sustained", "p50us", "p99us", "p999us", "maxUs"]


def jmh_result(method, backend, score, error, distribution="uniform"):
    return {"benchmark": f"io.tidemark.jmh.state.ValueStateBenchmark.{method}", "mode": "thrpt",
            "params": {"backend": backend, "keyCount": "1000000", "keyDistribution": distribution},
            "primaryMetric": {"score": score, "scoreError": error, "scoreUnit": "ops/s"}}


class PlotsTest(unittest.TestCase):

    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)
        self.out = os.path.join(self.directory.name, "out")

    def file(self, name, content):
        path = os.path.join(self.directory.name, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(content)
        return path

    def jmh(self, name, results):
        return self.file(name, json.dumps(results))

    def tsv(self, name, header, rows):
        return self.file(name, "\n".join("\t".join(map(str, line)) for line in [header, *rows]) + "\n")

    def run_plots(self, *args):
        with redirect_stdout(io.StringIO()) as printed:
            plots.main([*args, "--out", self.out])
        return printed.getvalue().split()

    def svg(self, name):
        with open(os.path.join(self.out, name), "rb") as handle:
            content = handle.read()
        return content, ElementTree.fromstring(content)

    def series(self, root):
        return [g.get("data-series") for g in root.iter(SVG + "g") if g.get("class") == "series"]

    def scales(self, root, axis):
        return {g.get("data-scale") for g in root.iter(SVG + "g") if g.get("class") == f"axis {axis}"}

    def test_throughput_bars_per_backend_tidemark_first_with_whiskers(self):
        path = self.jmh("value.json", [
            jmh_result("valueGet", "flinkHeap", 3.1e6, 0.4e6), jmh_result("valueGet", "tidemarkOffheap", 2.8e6, "NaN"),
            jmh_result("valueGet", "agrona", 9.9e6, 1.2e6), jmh_result("valueGet", "flinkHeap", 4.4e6, 0.3e6, "zipf"),
            jmh_result("valueGet", "tidemarkOffheap", 3.9e6, 0.2e6, "zipf"),
            jmh_result("valueGet", "agrona", 10.8e6, 2.0e6, "zipf")])
        self.run_plots("throughput", "--name", "t", path)
        _, root = self.svg("t-ValueStateBenchmark.svg")
        self.assertEqual(root.tag, SVG + "svg")
        self.assertEqual(self.series(root), ["tidemarkOffheap", "flinkHeap", "agrona"] * 2)
        self.assertEqual(self.scales(root, "y"), {"linear"})
        whiskers = [g for g in root.iter(SVG + "g") if g.get("class") == "series"
                    and len(list(g.iter(SVG + "line"))) == 3]
        self.assertEqual(len(whiskers), 5, "every bar with a JMH error has a whisker, the NaN one none")
        self.assertIn("keyCount=1000000", ElementTree.tostring(root, encoding="unicode"))

    def test_throughput_axis_is_log_when_scores_span_more_than_two_decades(self):
        path = self.jmh("wide.json", [jmh_result("valueGet", "flinkRocksdb", 2.0e5, None),
                                      jmh_result("valueGet", "agrona", 7.5e7, None)])
        self.run_plots("throughput", "--name", "w", path)
        self.assertEqual(self.scales(self.svg("w-ValueStateBenchmark.svg")[1], "y"), {"log"})

    def test_pause_panels_have_a_line_per_percentile_against_key_count(self):
        rows = [["tidemarkOffheap", 1000000, 8, "incremental", "forced", 16.1, 47.6, 235.1, 1232.9, 3295.2],
                ["tidemarkOffheap", 10000000, 8, "incremental", "forced", 36.8, 67.4, 112.7, 374.8, 3297.3],
                ["tidemarkOffheap", 1000000, 100, "incremental", "none", 19.6, 64.4, 142.8, 1378.3, 2111.5]]
        path = self.tsv("pause.tsv", PAUSE_HEADER, rows)
        self.run_plots("pause", "--name", "p", "--xscale", "log", path)
        content, root = self.svg("p-pause.svg")
        panels = [g.get("data-panel") for g in root.iter(SVG + "g") if g.get("class") == "panel"]
        self.assertEqual(panels, ["8 B values, overlap forced", "100 B values, overlap none"])
        self.assertEqual(self.series(root), ["p50", "p90", "p99", "p99.9", "max"] * 2)
        self.assertEqual(self.scales(root, "y"), {"log"}, "16 us to 3.3 ms spans more than two decades")
        self.assertEqual(self.scales(root, "x"), {"log"})
        self.assertIn("kind=incremental", content.decode("utf-8"))

    def test_latency_leaves_unpaced_runs_out_and_marks_unsustained_ones(self):
        rows = [["a", "counter", 100000, 1000, 2, 2, 2, "backoff", "yes", 1.1, 2230.3, 4907.0, 9183.2],
                ["a", "counter", 1000000, 1000, 2, 2, 2, "backoff", "no", 0.8, 3952.6, 7446.5, 12083.2],
                ["a", "counter", "max", 1000, 2, 2, 2, "backoff", "-", 9.8, 1023.0, 2060.3, 11927.6],
                ["b", "counter", 1000000, 1000, 1, 1, 1, "yield", "yes", 0.7, 41.1, 1850.4, 3063.8]]
        path = self.tsv("latency.tsv", LATENCY_HEADER, rows)
        self.run_plots("latency", "--name", "l", path)
        content, root = self.svg("l-latency.svg")
        panels = [g.get("data-panel") for g in root.iter(SVG + "g") if g.get("class") == "panel"]
        self.assertEqual(panels, ["2 workers, idle backoff", "1 worker, idle yield"])
        self.assertEqual(self.series(root), ["p50", "p99", "p99.9", "max"] * 2)
        self.assertEqual(len([c for c in root.iter(SVG + "circle") if c.get("fill") == "#ffffff"]), 4)
        self.assertEqual(self.scales(root, "y"), {"log"})
        self.assertEqual(self.scales(root, "x"), {"linear"}, "100k to 1M is one decade: auto stays linear")
        self.assertIn("not sustained", content.decode("utf-8"))

    def test_reference_line_in_every_panel_and_inside_the_axis(self):
        rows = [["tidemarkOffheap", 1000000, 8, "incremental", "forced", 3.4, 4.7, 9.1, 23.4, 45.9],
                ["tidemarkOffheap", 1000000, 100, "incremental", "forced", 4.9, 9.0, 14.7, 49.1, 51.4]]
        path = self.tsv("pause.tsv", PAUSE_HEADER, rows)
        self.run_plots("pause", "--name", "r", "--reference", "500:target p99 500 us", path)
        _, root = self.svg("r-pause.svg")
        references = [g.get("data-reference") for g in root.iter(SVG + "g") if g.get("class") == "reference"]
        self.assertEqual(references, ["target p99 500 us"] * 2)
        self.assertEqual(self.scales(root, "y"), {"log"}, "3.4 to 500 us: the reference widens the axis")

    def test_same_input_same_bytes(self):
        path = self.jmh("value.json", [jmh_result("valueGet", "flinkHeap", 3.1e6, 0.4e6),
                                       jmh_result("valueGet", "tidemarkOffheap", 2.8e6, 0.3e6)])
        pause = self.tsv("pause.tsv", PAUSE_HEADER,
                         [["tidemarkOffheap", 1000000, 8, "incremental", "forced", 16.1, 47.6, 235.1, 1232.9, 3295.2]])
        first = [self.run_plots("throughput", "--name", "d", path), self.run_plots("pause", "--name", "d", pause)]
        before = {name: self.svg(name)[0] for name in os.listdir(self.out)}
        second = [self.run_plots("throughput", "--name", "d", path), self.run_plots("pause", "--name", "d", pause)]
        after = {name: self.svg(name)[0] for name in os.listdir(self.out)}
        self.assertEqual(first, second)
        self.assertEqual(sorted(before), ["d-ValueStateBenchmark.svg", "d-pause.svg"])
        self.assertEqual(before, after)

    def test_scale_rule(self):
        self.assertFalse(svgchart.Scale([1.0, 100.0]).log, "exactly two decades stays linear")
        self.assertTrue(svgchart.Scale([1.0, 100.1]).log)
        self.assertTrue(svgchart.Scale([1.0, 2.0], mode="log").log)
        self.assertFalse(svgchart.Scale([1.0, 1e6], mode="linear").log)


if __name__ == "__main__":
    unittest.main()
