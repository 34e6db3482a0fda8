"""`ruralsim report`: one self-contained HTML page, checked in headless Chromium."""

import os
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import support

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Appended to a copy of the page: after every image has loaded (or failed), writes
# what it found into the DOM, which --dump-dom then prints.
CHECK_SCRIPT = """<script>
window.addEventListener("load", function () {
  var imgs = document.images, bad = [];
  for (var i = 0; i < imgs.length; i++)
    if (!(imgs[i].complete && imgs[i].naturalWidth > 0)) bad.push(imgs[i].alt || ("#" + i));
  var d = document.createElement("div");
  d.id = "image-check";
  d.textContent = "IMAGES=" + imgs.length + ";BROKEN=" + bad.length + ";" + bad.join("|") + ";END";
  document.body.appendChild(d);
});
</script>"""


class Report(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        support.binary()
        cls.tmp = Path(tempfile.mkdtemp(prefix="ruralsim-report-"))
        support.run_ensemble("baseline", cls.tmp / "baseline", 2, months=24)
        support.run_ensemble("land_quota_0", cls.tmp / "quota0", 2, months=24)
        cls.out = cls.tmp / "report"
        cls.proc = support.ruralsim("report", cls.tmp / "baseline", cls.tmp / "quota0", "-o", cls.out,
                                    "--indicators", "key")
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

    def test_images_load_in_chromium(self):
        if not os.access(CHROMIUM, os.X_OK):
            self.skipTest(f"{CHROMIUM} is not installed (setup.sh --test installs it); "
                          f"the page was not checked in a browser")
        work = Path(tempfile.mkdtemp(prefix="chromium-", dir=self.tmp))
        page = work / "check.html"
        page.write_text(self.page.replace("</body>", CHECK_SCRIPT + "</body>"), encoding="utf-8")
        profile = work / "profile"
        profile.mkdir()
        cmd = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000",
               "--dump-dom", page.as_uri()]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr[-2000:])
        found = re.search(r"IMAGES=(\d+);BROKEN=(\d+);([^;]*);END", p.stdout)
        self.assertIsNotNone(found, "the check script did not run; chromium printed:\n" + p.stdout[-1000:])
        images, broken, names = int(found.group(1)), int(found.group(2)), found.group(3)
        self.assertGreaterEqual(images, 8)
        self.assertEqual(broken, 0, f"images that did not load: {names}")
        self.assertEqual(images, self.page.count("<img "))


if __name__ == "__main__":
    unittest.main()
