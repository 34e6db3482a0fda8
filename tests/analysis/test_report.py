"""`ruralsim report`: one self-contained HTML page, checked in headless Chromium."""

import html
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np

import support

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Appended to a copy of the page: after every image has loaded (or failed), writes
# what it found into the DOM, which --dump-dom then prints: images that did not load,
# images wider than the page's column (or than their natural size: no upscaling), a page
# wider than the window, and every image's alt text.
CHECK_SCRIPT = """<script>
window.addEventListener("load", function () {
  var imgs = document.images, bad = [], wide = [], alts = [];
  var main = document.querySelector("main").getBoundingClientRect();
  for (var i = 0; i < imgs.length; i++) {
    var img = imgs[i], r = img.getBoundingClientRect();
    if (!(img.complete && img.naturalWidth > 0)) bad.push(img.alt || ("#" + i));
    else if (r.left < main.left - 1 || r.right > main.right + 1 || r.width > img.naturalWidth + 2)
      wide.push("#" + i + ":" + Math.round(r.width) + "/" + img.naturalWidth);
    alts.push(img.alt.replace(/[|;]/g, ","));
  }
  var d = document.createElement("div");
  d.id = "image-check";
  d.textContent = "IMAGES=" + imgs.length + ";BROKEN=" + bad.length + ";" + bad.join("|") + ";WIDE=" + wide.join("|") +
    ";PAGE=" + document.documentElement.scrollWidth + "/" + window.innerWidth + ";ALTS=" + alts.join("|") + ";END";
  document.body.appendChild(d);
});
</script>"""

# Width of the report's column for images (main: 1280 px less 2 x 32 px padding).
REPORT_COLUMN_PX = 1216


def descriptive_alt(test, alt):
    """An image's alt text says what the figure shows: scenarios, period, not a file name."""
    test.assertGreaterEqual(len(alt), 40, alt)
    test.assertNotRegex(alt, r"^[\w ]+ \d+$")                  # "trajectories 1"
    test.assertIn("land_quota_0", alt)
    test.assertRegex(alt, r"2021-2022|2022")


class Report(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        support.binary()
        cls.tmp = Path(tempfile.mkdtemp(prefix="ruralsim-report-"))
        support.run_ensemble("baseline", cls.tmp / "baseline", 2, months=24)
        support.run_ensemble("land_quota_0", cls.tmp / "quota0", 2, months=24)
        cls.out = cls.tmp / "report"
        # The inputs after --indicators NAMES (which argparse would take for indicators)
        cls.proc = support.ruralsim("report", "-o", cls.out, "--indicators", "key", cls.tmp / "baseline",
                                    cls.tmp / "quota0")
        cls.page = (cls.out / "index.html").read_text() if (cls.out / "index.html").exists() else ""

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_written(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertIn("index.html", self.proc.stdout)
        self.assertEqual(sorted(os.listdir(self.out)), ["index.html"])

    def test_self_contained(self):
        srcs = re.findall(r'<img[^>]*src="([^"]*)"', self.page)
        self.assertGreaterEqual(len(srcs), 8)
        for s in srcs:
            self.assertTrue(s.startswith("data:image/png;base64,"), s[:60])
        # nothing is fetched from elsewhere
        self.assertNotRegex(self.page, r'(src|href)="(https?:|file:|//)')
        self.assertNotIn("<link", self.page)

    def test_contents(self):
        for text in ("Headline results", "Cost-effectiveness", "Trajectories", "By province", "Income sources",
                     "Scenario settings that differ", "land.quota_mu", "Runs", "baseline-r1.h5",
                     "land_quota_0-r0.h5", "Returns to poverty", "Δ land_quota_0"):
            self.assertIn(text, self.page)
        # the settings table shows 600 against 0 for the quota
        row = re.search(r"<td[^>]*>land\.quota_mu</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>", self.page)
        self.assertIsNotNone(row)
        self.assertEqual(row.groups(), ("600", "0"))

    def test_alt_texts_describe_the_figures(self):
        alts = re.findall(r'<img[^>]*alt="([^"]*)"', self.page)
        self.assertEqual(len(alts), self.page.count("<img "))
        for alt in alts:
            with self.subTest(alt=alt):
                descriptive_alt(self, alt)
        self.assertTrue(any(a.startswith("Income per capita by source, all counties, scenarios baseline and "
                                         "land_quota_0, 2021-2022") for a in alts), alts)

    def test_differences_of_rates_in_percentage_points(self):
        row = re.search(r"<td[^>]*>Return-to-poverty rate</td><td[^>]*>([^<]*)</td>(.*?)</tr>", self.page)
        self.assertIsNotNone(row)
        self.assertEqual(row.group(1), "%")
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", row.group(2))
        self.assertRegex(cells[0], r"%$")       # a level
        self.assertRegex(cells[-1], r"^(0|[+-][\d.]+( ± [\d.]+)? pp( \*)?)$")   # the difference

    def test_images_load_in_chromium(self):
        if not os.access(CHROMIUM, os.X_OK):
            self.skipTest(f"{CHROMIUM} is not installed (Debian: apt-get install chromium, or setup.sh --test); "
                          f"the page was not checked in a browser")
        work = Path(tempfile.mkdtemp(prefix="chromium-", dir=self.tmp))
        page = work / "check.html"
        page.write_text(self.page.replace("</body>", CHECK_SCRIPT + "</body>"), encoding="utf-8")
        profile = work / "profile"
        profile.mkdir()
        cmd = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000",
               "--window-size=1400,900", "--dump-dom", page.as_uri()]
        started = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        self.assertLess(time.monotonic() - started, 30)
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        found = re.search(r"IMAGES=(\d+);BROKEN=(\d+);([^;]*);WIDE=([^;]*);PAGE=(\d+)/(\d+);ALTS=([^;]*);END",
                          p.stdout)
        self.assertIsNotNone(found, "the check script did not run; chromium printed:\n" + p.stdout[-1000:])
        images, broken, names = int(found.group(1)), int(found.group(2)), found.group(3)
        self.assertGreaterEqual(images, 8)
        self.assertEqual(broken, 0, f"images that did not load: {names}")
        self.assertEqual(images, self.page.count("<img "))
        self.assertEqual(found.group(4), "", "images wider than the page's column (shown/natural px)")
        self.assertLessEqual(int(found.group(5)), int(found.group(6)), "the page is wider than the window")
        for alt in found.group(7).split("|"):
            with self.subTest(alt=alt):
                descriptive_alt(self, alt)


class Plots(unittest.TestCase):
    """Every figure of a two-scenario comparison, checked as it is saved (PNG and SVG): its
    legends inside it, its tick labels as large as its axis labels and readable at the
    report's width, and a scenario's line on top of the baseline's still visible."""

    @classmethod
    def setUpClass(cls):
        support.binary()
        cls.tmp = Path(tempfile.mkdtemp(prefix="ruralsim-plots-"))
        support.run_ensemble("baseline", cls.tmp / "baseline", 2, months=24)
        support.run_ensemble("land_quota_0", cls.tmp / "quota0", 2, months=24)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def comparison(self, *inputs):
        from ruralsim_analysis import compare, load
        return compare.compare(load.load_inputs([str(x) for x in inputs], warn=lambda m: None))

    def draw(self, make):
        """Runs make() (plots writing into self.tmp) with plots._save checking each figure before
        saving it; returns [(stem, figure facts)]."""
        from unittest import mock

        from ruralsim_analysis import plots
        original = plots._save
        seen = []

        def checked(fig, stem, written, formats=None):
            fig.canvas.draw()
            box = fig.bbox
            name = Path(stem).name
            legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
            texts = legends + ([fig._suptitle] if fig._suptitle is not None else [])
            for item in texts:
                e = item.get_window_extent()
                with self.subTest(figure=name, item=type(item).__name__):
                    self.assertGreaterEqual(e.x0, box.x0 - 0.5)
                    self.assertLessEqual(e.x1, box.x1 + 0.5)
                    self.assertGreaterEqual(e.y0, box.y0 - 0.5)
                    self.assertLessEqual(e.y1, box.y1 + 0.5)
            size = fig.get_size_inches().copy()
            seen.append((name, fig, legends))
            before = len(written)
            original(fig, stem, written, formats)
            for path in written[before:]:
                if str(path).endswith(".svg"):   # the SVG is the whole figure: nothing cut off
                    root = ET.parse(path).getroot()
                    self.assertAlmostEqual(float(root.get("width").rstrip("pt")), size[0] * 72, delta=1)
                    self.assertAlmostEqual(float(root.get("height").rstrip("pt")), size[1] * 72, delta=1)
                    svg = Path(path).read_text()
                    for legend in legends:
                        for t in legend.get_texts():
                            for line in t.get_text().splitlines():
                                self.assertIn(html.escape(line, quote=False), svg)

        with mock.patch.object(plots, "_save", checked):
            make(plots)
        return seen

    def test_every_figure_keeps_its_legend_and_readable_ticks(self):
        c = self.comparison(self.tmp / "baseline", self.tmp / "quota0")
        out = self.tmp / "plots"
        seen = self.draw(lambda plots: plots.make_all(c, out))   # legends inside: checked as each is saved
        names = {n for n, _, _ in seen}
        self.assertTrue({"trajectories-1", "differences-1", "province-return_rate", "income-sources",
                         "income-sources-by-group"} <= names, names)
        self.assertTrue(all(legends for _, _, legends in seen))
        self.assertEqual(len(list(out.glob("*.svg"))), len(seen))
        for name, fig, _ in seen:
            if not name.startswith(("trajectories", "differences")):
                continue
            # shown at most REPORT_COLUMN_PX wide in the report, from a PNG of 150 dpi
            shrink = min(1.0, REPORT_COLUMN_PX / (fig.get_figwidth() * 150))
            for ax in (a for a in fig.axes if a.get_visible()):
                for axis in (ax.xaxis, ax.yaxis):
                    ticks = [t for t in axis.get_ticklabels() if t.get_text()]
                    with self.subTest(figure=name, panel=ax.get_title()):
                        self.assertTrue(ticks)
                        size = ticks[0].get_fontsize()
                        if axis.label.get_text():
                            self.assertGreaterEqual(size, axis.label.get_fontsize())
                        self.assertGreaterEqual(size * 150 / 72 * shrink, 11.5, "tick labels under 11.5 px")

    def test_identical_scenarios_both_visible(self):
        c = self.comparison(self.tmp / "baseline", f"same={self.tmp / 'baseline'}")
        self.assertEqual(c.labels, ["baseline", "same"])
        seen = self.draw(lambda plots: plots.trajectories(c, plots.plot_names(c)[:3], self.tmp / "same" / "t",
                                                          formats=["png"]))
        (_, fig, _), = seen
        for ax in (a for a in fig.axes if a.get_visible()):
            lines = {line.get_label(): line for line in ax.get_lines() if line.get_label() in c.labels}
            base, same = lines["baseline"], lines["same"]
            np.testing.assert_array_equal(base.get_ydata(), same.get_ydata())   # one on the other
            # the top one differs in marker (and dashes) and is narrower than the baseline below it
            self.assertNotEqual(base.get_marker(), same.get_marker())
            self.assertNotEqual(base.get_linestyle(), same.get_linestyle())
            self.assertGreater(same.get_zorder(), base.get_zorder())
            self.assertGreater(base.get_linewidth(), same.get_linewidth())
            self.assertGreater(base.get_markersize(), same.get_markersize())


if __name__ == "__main__":
    unittest.main()
