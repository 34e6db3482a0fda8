#!/usr/bin/env python3
"""The classroom page of `ruralsim serve` in a real browser (headless Chromium).

Starts the server on a free port, opens the page, runs scenario A (the
defaults) against scenario B (no land quota, weak monitoring) live, and checks
what a teacher relies on: the first month is drawn within a second of Go, the
whole five years within 15 seconds, every chart has A and B, the map changes
colour, B - A is not zero, the downloads work, and the server's error messages
reach the page. Stops the server with SIGINT and checks that it exits 0.

The program: $RURALSIM_BIN (or $RURALSIM_BINARY, or the first argument),
else build/release/ruralsim of this checkout. With RURALSIM_SCREENSHOTS=DIR
the test saves the screenshots of docs/teaching.md there.

    RURALSIM_BIN=build/release/ruralsim /usr/bin/python3 tests/serve/test_classroom_browser.py -v
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

try:
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    SELENIUM = None
except ImportError as e:  # pragma: no cover - depends on the machine
    SELENIUM = f"python3-selenium is missing ({e}); Debian: apt-get install python3-selenium"

# Sanitizer builds run the program several times slower and say by how much (tests/CMakeLists.txt):
# every time limit here is that many times longer.
SLOWER = int(os.environ.get("RURALSIM_TEST_TIME_SCALE", "1"))
FIRST_MONTH_MS = 1000 * SLOWER      # Go -> the first month drawn
WHOLE_RUN_MS = 15000 * SLOWER       # Go -> all 60 months drawn (speed 0)
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def program():
    for var in ("RURALSIM_BIN", "RURALSIM_BINARY"):
        if os.environ.get(var):
            return Path(os.environ[var])
    return ROOT / "build" / "release" / "ruralsim"


def missing():
    """Why the test cannot run here, or None."""
    if SELENIUM:
        return SELENIUM
    for path, pkg in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(path, os.X_OK):
            return f"{path} is missing (Debian: apt-get install {pkg}, or setup.sh --test)"
    return None


class Server:
    """`ruralsim serve --port 0 ...`, its address read from its first line."""

    def __init__(self, *args):
        self.log = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([str(program()), "serve", "--port", "0", *args],
                                     stdout=subprocess.PIPE, stderr=self.log, text=True)
        first = []
        reader = threading.Thread(target=lambda: first.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(60 * SLOWER)
        line = first[0] if first else ""
        found = re.search(r"http://[^ ]+/", line)
        if not found:
            self.proc.kill()
            self.proc.wait()
            self.log.seek(0)
            raise RuntimeError(f"ruralsim serve printed no address: {line!r}\n{self.log.read()[-2000:]}")
        self.first_line = line.strip()
        self.url = found.group(0)
        # The rest of stdout is drained so that the server never blocks on it.
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def stop(self, timeout=10):
        """SIGINT; returns the exit status (None if it did not stop in time)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout * SLOWER)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            return None

    def stderr(self):
        self.log.seek(0)
        return self.log.read()

    def call(self, method, path, body=None, raw=None):
        """(status, parsed JSON or bytes) of one API request."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url.rstrip("/") + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=30 * SLOWER) as res:
                status, content, ctype = res.status, res.read(), res.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, content, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
        if "json" in ctype and content:
            return status, json.loads(content)
        return status, content


def browser():
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                 "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--lang=en-US",
                 "--disable-renderer-backgrounding", "--disable-background-timer-throttling"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    # The page's viewport itself 1400 x 1000, as on a projector's laptop.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
    driver.set_script_timeout(30 * SLOWER)
    return driver


DRIVER = None


def setUpModule():
    global DRIVER
    why = missing()
    if why:
        raise unittest.SkipTest(why)
    # Without the program there is nothing to test: an error, not a skip.
    exe = program()
    if not os.access(exe, os.X_OK):
        raise RuntimeError(f"{exe} is not an executable (build it, or set RURALSIM_BIN)")
    try:
        DRIVER = browser()
    except WebDriverException as e:
        raise unittest.SkipTest(f"headless Chromium did not start: {e.msg}")


def tearDownModule():
    if DRIVER is not None:
        DRIVER.quit()


def state(driver):
    return driver.execute_script("return window.classroom.state()")


def wait_for(what, predicate, timeout, interval=0.05):
    """Polls predicate() until it is truthy; returns its value or fails, saying where the page is."""
    timeout *= SLOWER
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            try:
                s = state(DRIVER)
                where = {r: {k: s["runs"][r][k] for k in ("state", "serverStep", "months")} for r in "AB"}
                log = "\n    ".join(DRIVER.execute_script("return window.classroom.log()")[-40:])
                where = f"; the page: {where}, errors {s['errors']}; its last requests and events:\n    {log}"
            except Exception:  # noqa: BLE001 - only for the message
                where = ""
            raise AssertionError(f"timed out after {timeout} s waiting for {what}{where}")
        time.sleep(interval)


def set_slider(driver, selector, value):
    """Moves a range input as a user does: its value, then input and change events."""
    return driver.execute_script("""
        const e = document.querySelector(arguments[0]);
        if (!e) return null;
        e.value = arguments[1];
        e.dispatchEvent(new Event('input', {bubbles: true}));
        e.dispatchEvent(new Event('change', {bubbles: true}));
        return e.value;""", selector, str(value))


def open_page(test, server):
    DRIVER.get(server.url)
    wait_for("the levers", lambda: DRIVER.execute_script(
        "return window.classroom && window.classroom.state().ready"
        " && document.querySelectorAll('input[data-lever]').length > 0"), 20)
    test.assertEqual(state(DRIVER)["errors"], [])


def screenshot(name, element=None):
    folder = os.environ.get("RURALSIM_SCREENSHOTS")
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    if element is not None:
        element.screenshot(path)
    else:
        DRIVER.save_screenshot(path)
    try:  # a palette PNG is a quarter of the size and looks the same
        from PIL import Image
        with Image.open(path) as im:
            im.convert("RGB").quantize(colors=256, method=Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE) \
                .save(path, optimize=True)
    except ImportError:
        pass


class ClassroomPage(unittest.TestCase):
    """One server, one page: A and B run live, then the page's messages."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        status, cls.model = cls.server.call("GET", "/api/model")
        assert status == 200, (status, cls.model)

    @classmethod
    def tearDownClass(cls):
        if cls.server.proc.poll() is None:
            cls.server.stop()

    def test_1_address_line(self):
        self.assertRegex(self.server.first_line, r"^ruralsim serve: http://127\.0\.0\.1:\d+/ ")
        self.assertNotRegex(self.server.url, r":0/$")

    def test_2_a_and_b_run_live(self):
        d = DRIVER
        open_page(self, self.server)
        model = self.model

        # Every lever has its slider for A and B, its unit, explanation and value.
        for lever in model["levers"]:
            for run in "AB":
                sel = f'input[data-lever="{lever["key"]}"][data-run="{run}"]'
                self.assertEqual(len(d.find_elements(By.CSS_SELECTOR, sel)), 1, sel)
            block = d.find_element(By.CSS_SELECTOR, f'.lever[data-key="{lever["key"]}"]')
            text = block.text
            self.assertIn(lever["label"], text)
            self.assertIn(lever["explanation"][:30], text)
            if lever.get("unit") and lever["unit"] != "1":
                self.assertIn(lever["unit"], text)
        self.assertEqual(len(d.find_elements(By.CSS_SELECTOR, 'input[data-lever="population.scale"]')), 1)
        for button in ("setup", "go", "step", "pause", "reset", "speed", "compare-toggle", "map-indicator"):
            self.assertTrue(d.find_element(By.ID, button).is_displayed(), button)
        self.assertEqual(len(d.find_elements(By.CSS_SELECTOR, "canvas[data-chart]")), len(model["charts"]))
        self.assertEqual(len(d.find_elements(By.CSS_SELECTOR, "#map svg circle[data-county]")),
                         len(model["map"]["areas"]))

        # B: no land quota and weak monitoring; A keeps the defaults.
        d.find_element(By.ID, "b-toggle").click()
        quota = 'input[data-lever="land.quota_mu"][data-run="B"]'
        self.assertTrue(d.find_element(By.CSS_SELECTOR, quota).is_displayed())
        self.assertEqual(set_slider(d, quota, 0), "0")
        visits = next(l for l in model["levers"] if l["key"] == "monitoring.visits")
        low = visits["min"] + visits["step"]
        set_slider(d, 'input[data-lever="monitoring.visits"][data-run="B"]', low)
        set_slider(d, "#speed", 0)
        s = state(d)
        self.assertTrue(s["bOn"])
        self.assertEqual(s["runs"]["B"]["levers"]["land.quota_mu"], 0)
        self.assertAlmostEqual(s["runs"]["B"]["levers"]["monitoring.visits"], low)
        default_quota = next(l for l in model["levers"] if l["key"] == "land.quota_mu")["default"]
        self.assertEqual(s["runs"]["A"]["levers"]["land.quota_mu"], default_quota)

        # Setup builds both populations (month 0), as NetLogo's Setup does.
        started = time.monotonic()
        d.find_element(By.ID, "setup").click()
        wait_for("A and B set up", lambda: all(
            state(d)["runs"][r]["state"] == "ready" for r in "AB"), 60, interval=0.1)
        print(f"\n  Setup of A and B: {time.monotonic() - started:.1f} s", file=sys.stderr)

        # Go: the first month within a second, all 60 within 15 s.
        started = time.monotonic()
        d.find_element(By.ID, "go").click()
        wait_for("the first month of A and B", lambda: all(
            state(d)["runs"][r]["months"] >= 1 for r in "AB"), 10)
        # (done: all 60 months received and drawn, as the page's own clock says)
        final = wait_for("60 months of A and B", lambda: (lambda s: s if all(
            s["runs"][r]["months"] == 60 and s["runs"][r]["state"] == "done" and r in s["timing"]["done"]
            for r in "AB") else None)(state(d)), WHOLE_RUN_MS / 1000 + 20, interval=0.2)
        wall = time.monotonic() - started
        timing = final["timing"]
        self.assertEqual(timing["action"], "go")
        first = max(timing["first"][r] for r in "AB")
        whole = max(timing["done"][r] for r in "AB")
        print(f"  first month drawn {timing['first']['A']:.0f} ms (A), {timing['first']['B']:.0f} ms (B) after Go;"
              f" 60 months {timing['done']['A']:.0f} ms (A), {timing['done']['B']:.0f} ms (B); wall {wall:.1f} s",
              file=sys.stderr)
        self.assertLess(first, FIRST_MONTH_MS, timing)
        self.assertLess(whole, WHOLE_RUN_MS, timing)
        self.assertEqual(final["errors"], [])

        # The status lines say where each run is.
        for r in "AB":
            status = d.find_element(By.ID, f"status-{r}").text
            self.assertIn("done", status)
            self.assertIn("2025-12", status)
            self.assertIn("60 of 60", status)
            self.assertEqual(final["runs"][r]["applied"]["land.quota_mu"], 0 if r == "B" else default_quota)

        # Every chart has points for A and for B, and its axis titles and units.
        for i, chart in enumerate(final["charts"]):
            with self.subTest(chart=chart["title"]):
                for run in "AB":
                    drawn = [ds for ds in chart["datasets"] if ds["run"] == run and not ds["hidden"]]
                    self.assertTrue(drawn, f"no visible {run} line")
                    self.assertTrue(all(ds["points"] > 0 for ds in drawn), drawn)
                axes = d.execute_script(
                    "const c = Chart.getChart(document.querySelector('canvas[data-chart=\"' + arguments[0] + '\"]'));"
                    "return [c.options.plugins.title.text, c.options.scales.x.title.text, c.options.scales.y.title.text,"
                    " c.data.labels.length];", i)
                self.assertEqual(axes[0], model["charts"][i]["title"])
                self.assertEqual(axes[1], "month")
                unit = model["indicators"][model["charts"][i]["indicators"][0]]["unit"]
                self.assertIn("unitless" if unit == "1" else unit, axes[2])
                self.assertEqual(axes[3], 60)
        monthly = [ds for ds in final["charts"][0]["datasets"] if ds["run"] == "A"]
        self.assertEqual(monthly[0]["points"], 60)

        # B - A: no land quota spends nothing on land, so the difference is not zero.
        diffs = {ind: d.execute_script("return window.classroom.difference(arguments[0])", ind)
                 for ind in ("spend_land", "workers_local", "park_jobs")}
        nonzero = {ind: sum(1 for v in vals if v) for ind, vals in diffs.items()}
        self.assertTrue(any(nonzero.values()), diffs)
        self.assertEqual(len(diffs["spend_land"]), 60)

        # The map: 160 counties coloured, and not as they were in the first month.
        m = final["map"]
        self.assertEqual(len(m["fills"]), len(model["map"]["areas"]))
        self.assertIsNotNone(m["firstFills"])
        self.assertNotEqual(m["fills"], m["firstFills"])
        self.assertGreater(len(set(m["fills"])), 10, "a colour scale, not one colour")
        live = [c.get_attribute("fill") for c in d.find_elements(By.CSS_SELECTOR, "#map svg circle[data-county]")]
        self.assertEqual(live, m["fills"])
        self.assertGreaterEqual(len(d.find_elements(By.CSS_SELECTOR, "#map .province-label")), 10)
        screenshot("overview.png")

        # Show B - A: the difference lines replace A and B.
        d.find_element(By.ID, "compare-toggle").click()
        s = state(d)
        for chart in s["charts"]:
            shown = {ds["run"] for ds in chart["datasets"] if not ds["hidden"]}
            self.assertEqual(shown, {"D"}, chart["title"])
            self.assertTrue(all(ds["points"] > 0 for ds in chart["datasets"] if ds["run"] == "D"), chart["title"])

        # The yearly view: five points a line (flows summed over the year, stocks at its end).
        d.execute_script("const v = document.getElementById('view'); v.value = 'yearly';"
                         "v.dispatchEvent(new Event('change', {bubbles: true}));")
        s = state(d)
        self.assertTrue(all(ds["points"] <= 5 for c in s["charts"] for ds in c["datasets"]))
        self.assertTrue(any(ds["points"] == 5 for c in s["charts"] for ds in c["datasets"]))
        # A finished year is the server's (the yearly rules, as `ruralsim run` prints them).
        served = d.execute_script("return window.classroom.yearly('B', arguments[0])", "income_per_capita")
        if any(v is not None for v in served):
            drawn = d.execute_script(
                "const c = Chart.getChart(document.querySelector('canvas[data-chart=\"0\"]'));"
                "return c.data.datasets.find((ds) => ds._run === 'D' && ds._ind === 'income_per_capita').data;")
            served_a = d.execute_script("return window.classroom.yearly('A', arguments[0])", "income_per_capita")
            self.assertEqual(len(drawn), 5)
            for got, want_b, want_a in zip(drawn, served, served_a):
                self.assertAlmostEqual(got, want_b - want_a, delta=1e-6 * abs(want_a))
        d.execute_script("window.scrollTo(0, 0)")
        screenshot("ab-compare.png")
        d.execute_script("const v = document.getElementById('view'); v.value = 'monthly';"
                         "v.dispatchEvent(new Event('change', {bubbles: true}));")
        d.find_element(By.ID, "compare-toggle").click()

        # The map of B - A for another indicator, and a county's tooltip.
        d.execute_script("""
            const s = document.getElementById('map-indicator'); s.value = arguments[0];
            s.dispatchEvent(new Event('change', {bubbles: true}));
            const r = document.getElementById('map-run'); r.value = 'D';
            r.dispatchEvent(new Event('change', {bubbles: true}));""",
                         next((i for i in ("park_jobs", "workers_local") if i in model["map"]["indicators"]),
                              model["map"]["indicators"][0]))
        panel = d.find_element(By.ID, "map-panel")
        d.execute_script("arguments[0].scrollIntoView({block: 'start'})", panel)
        # The easternmost county: its tooltip opens to the left, over empty land.
        east = max(range(len(model["map"]["areas"])), key=lambda i: model["map"]["areas"][i]["lon"] or 0)
        circle = d.find_element(By.CSS_SELECTOR, f'#map svg circle[data-county="{east}"]')
        ActionChains(d).move_to_element(circle).perform()
        tip = wait_for("the tooltip", lambda: (lambda t: t if t.is_displayed() else None)(
            d.find_element(By.ID, "tooltip")), 5)
        area = model["map"]["areas"][east]
        self.assertIn(area["name"], tip.text)
        self.assertIn(area["province"], tip.text)
        self.assertIn("B − A", tip.text)
        self.assertEqual(state(d)["map"]["run"], "D")
        screenshot("map.png", panel)
        ActionChains(d).move_by_offset(0, -400).perform()

        # Downloads: CSV and HDF5 of both runs.
        for r in "AB":
            for kind in ("csv", "h5"):
                link = d.find_element(By.ID, f"download-{r}-{kind}")
                href = link.get_attribute("href")
                self.assertTrue(href and href.startswith(self.server.url), (r, kind, href))
                self.assertIsNotNone(link.get_attribute("download"))
                with urllib.request.urlopen(href, timeout=60 * SLOWER) as res:
                    self.assertEqual(res.status, 200)
                    body = res.read()
                if kind == "h5":
                    self.assertTrue(body.startswith(HDF5_SIGNATURE), body[:16])
                else:
                    self.assertGreater(len(body.decode("utf-8").strip().splitlines()), 60)

        # The lesson: "try it" sets B (A's levers, with the step's change) and keeps B on.
        step = next(i for i, st in enumerate(model["lesson"]) if st["try"])
        d.find_element(By.CSS_SELECTOR, f'button[data-lesson="{step}"]').click()
        s = state(d)
        self.assertTrue(s["bOn"])
        for t in model["lesson"][step]["try"]:
            self.assertAlmostEqual(s["runs"]["B"]["levers"][t["key"]], t["value"])
        self.assertAlmostEqual(s["runs"]["B"]["levers"]["monitoring.visits"], s["runs"]["A"]["levers"]["monitoring.visits"])
        # The runs are done with other levers: the page says when the new ones take effect.
        self.assertTrue(d.find_element(By.ID, "pending").is_displayed())
        d.find_element(By.ID, "b-same").click()
        s = state(d)
        self.assertEqual(s["runs"]["B"]["levers"], s["runs"]["A"]["levers"])
        self.assertEqual(s["errors"], [])

    def test_3_go_pause_step_go(self):
        d = DRIVER
        if not d.current_url.startswith(self.server.url):
            open_page(self, self.server)
            d.find_element(By.ID, "b-toggle").click()
        model = self.model
        # Lesson step "Monitoring": B is A with weak monitoring. Go on finished runs starts
        # them again with the levers on the page (the server sets them up first).
        step = next(i for i, st in enumerate(model["lesson"])
                    if any(t["key"] == "monitoring.visits" for t in st["try"]))
        d.find_element(By.CSS_SELECTOR, f'button[data-lesson="{step}"]').click()
        want = {t["key"]: t["value"] for t in model["lesson"][step]["try"]}
        set_slider(d, "#speed", 300)
        started = time.monotonic()
        d.find_element(By.ID, "go").click()
        wait_for("three months of the new runs", lambda: all(
            3 <= state(d)["runs"][r]["months"] < 60 for r in "AB"), 30)
        s = state(d)
        print(f"\n  Go without Setup: first month {max(s['timing']['first'].values()):.0f} ms after Go"
              f" (the server sets A and B up first)", file=sys.stderr)
        for key, value in want.items():
            self.assertAlmostEqual(s["runs"]["B"]["applied"][key], value)
        self.assertEqual(s["runs"]["B"]["applied"]["land.quota_mu"], s["runs"]["A"]["applied"]["land.quota_mu"])

        # Pause: the months stop coming.
        d.find_element(By.ID, "pause").click()
        wait_for("paused", lambda: all(state(d)["runs"][r]["state"] == "paused" for r in "AB"), 10)
        held = [state(d)["runs"][r]["months"] for r in "AB"]
        time.sleep(0.8)
        self.assertEqual([state(d)["runs"][r]["months"] for r in "AB"], held)
        self.assertLess(max(held), 60)

        # Step: one month more each.
        d.find_element(By.ID, "step").click()
        wait_for("one month more", lambda: all(
            state(d)["runs"][r]["months"] == held[i] + 1 for i, r in enumerate("AB")), 10)
        time.sleep(0.5)
        s = state(d)
        self.assertEqual([s["runs"][r]["months"] for r in "AB"], [h + 1 for h in held])
        self.assertIn(s["runs"]["A"]["lastMonth"], d.find_element(By.ID, "status-A").text)

        # Go again, fast, to the end.
        set_slider(d, "#speed", 0)
        d.find_element(By.ID, "go").click()
        wait_for("the end", lambda: all(state(d)["runs"][r]["state"] == "done" for r in "AB"), 60, interval=0.2)
        s = state(d)
        self.assertEqual([s["runs"][r]["months"] for r in "AB"], [60, 60])
        self.assertEqual(s["errors"], [])
        # Weak monitoring: fewer households under monitoring in B.
        diff = d.execute_script("return window.classroom.difference('monitored_households')")
        self.assertLess(sum(v for v in diff if v is not None), 0)

    def test_3b_go_on_a_fresh_page_starts_at_once(self):
        # A page sets its runs up while the teacher talks (and again when a lever moves),
        # so Go on a fresh page draws its first month within a second.
        d = DRIVER
        open_page(self, self.server)
        set_slider(d, 'input[data-lever="land.quota_mu"][data-run="A"]', 300)
        wait_for("A set up in the background with the new quota", lambda: (lambda a: a["state"] == "ready"
                 and a["applied"].get("land.quota_mu") == 300)(state(d)["runs"]["A"]), 30, interval=0.1)
        set_slider(d, "#speed", 200)
        d.find_element(By.ID, "go").click()
        wait_for("the first month", lambda: state(d)["runs"]["A"]["months"] >= 1, 10)
        first = wait_for("the page's timing", lambda: state(d)["timing"]["first"].get("A"), 5)
        print(f"\n  Go on a fresh page: first month drawn {first:.0f} ms after Go", file=sys.stderr)
        self.assertLess(first, FIRST_MONTH_MS)
        d.find_element(By.ID, "pause").click()
        wait_for("paused", lambda: state(d)["runs"]["A"]["state"] == "paused", 10)

    def test_4_server_errors_reach_the_page(self):
        d = DRIVER
        if not d.current_url.startswith(self.server.url):
            open_page(self, self.server)
        # A bad lever sent as the page sends its requests: the server's message, in the message area.
        result = d.execute_async_script("""
            const done = arguments[arguments.length - 1];
            window.classroom.send('POST', '/api/runs', {levers: {'land.quota_mux': 0}}).then(done);""")
        self.assertEqual(result["status"], 400, result)
        self.assertIn("did you mean", result["error"])
        self.assertIn("land.quota_mu", result["error"])
        messages = wait_for("the message", lambda: d.find_element(By.ID, "messages").text, 5)
        self.assertIn("did you mean", messages)
        self.assertTrue(d.find_element(By.CSS_SELECTOR, "#messages .msg.error").is_displayed())
        self.assertIn(result["error"], state(d)["errors"][-1])

        # Bad JSON, an out-of-range value, a run that does not exist, HDF5 before the end.
        status, body = self.server.call("POST", "/api/runs", raw=b'{"levers": ')
        self.assertEqual(status, 400)
        self.assertTrue(body.get("error"), body)
        quota = next(l for l in self.model["levers"] if l["key"] == "land.quota_mu")
        status, body = self.server.call("POST", "/api/runs", {"levers": {"land.quota_mu": quota["max"] * 10}})
        self.assertEqual(status, 400)
        self.assertRegex(body["error"], r"%g" % quota["max"])
        status, body = self.server.call("GET", "/api/runs/no-such-run")
        self.assertEqual(status, 404)
        self.assertTrue(body.get("error"))
        status, run = self.server.call("POST", "/api/runs", {"label": "probe"})
        self.assertEqual(status, 201, run)
        status, body = self.server.call("GET", f"/api/runs/{run['id']}/download.h5")
        self.assertEqual(status, 409, body)
        self.assertTrue(body.get("error"))
        status, _ = self.server.call("DELETE", f"/api/runs/{run['id']}")
        self.assertEqual(status, 204)

    def test_5_sigint_stops_the_server(self):
        DRIVER.get("about:blank")
        self.assertEqual(self.server.stop(timeout=10), 0, self.server.stderr()[-2000:])


class RunLimit(unittest.TestCase):
    """A server that keeps two runs: a third is refused with the limit, and the page says so."""

    def test_too_many_runs_shown_on_the_page(self):
        server = Server("--max-runs", "2")
        try:
            ids = []
            for label in ("one", "two"):
                status, run = server.call("POST", "/api/runs", {"label": label})
                self.assertEqual(status, 201, run)
                ids.append(run["id"])
            status, body = server.call("POST", "/api/runs", {"label": "three"})
            self.assertEqual(status, 429, body)
            self.assertIn("2", body["error"])

            open_page(self, server)
            DRIVER.find_element(By.ID, "setup").click()
            text = wait_for("the limit's message", lambda: DRIVER.find_element(By.ID, "messages").text, 10)
            self.assertIn(body["error"], text)
            self.assertIn("429", text)

            # A freed slot lets the page's run start.
            self.assertEqual(server.call("DELETE", f"/api/runs/{ids[0]}")[0], 204)
            DRIVER.find_element(By.ID, "setup").click()
            wait_for("run A set up", lambda: state(DRIVER)["runs"]["A"]["state"] == "ready", 20)
            DRIVER.get("about:blank")
        finally:
            rc = server.stop(timeout=10)
        self.assertEqual(rc, 0, server.stderr()[-2000:])


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-") and os.path.isfile(sys.argv[1]):
        os.environ["RURALSIM_BIN"] = sys.argv.pop(1)
    unittest.main()
