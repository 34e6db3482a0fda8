"""The classroom server's API, driven over HTTP as the page drives it: runs step on request, stream
their months, match `ruralsim run` bit for bit, and every malformed request is refused with a
message while the server stays up and stops cleanly on Ctrl-C.

    RURALSIM_BINARY=build/release/ruralsim /usr/bin/python3 -m unittest -v test_serve_api   (in tests/serve)
"""

import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("RURALSIM_BINARY", str(ROOT / "build" / "release" / "ruralsim"))
MAX_RUNS = 4
# Sanitizer builds run the program several times slower and say by how much (tests/CMakeLists.txt).
SLOWER = int(os.environ.get("RURALSIM_TEST_TIME_SCALE", "1"))


def start_server(*extra):
    p = subprocess.Popen([BINARY, "serve", "--port", "0", "--max-runs", str(MAX_RUNS), *extra],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = p.stdout.readline()
    m = re.search(r"http://[^ ]+/", first)
    if not m:
        p.kill()
        raise AssertionError("no address on the first line: " + first + p.stdout.read())
    return p, m.group(0), first


class Api:
    def __init__(self, url):
        self.url = url

    def call(self, method, path, body=None, raw=None):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30 * SLOWER) as r:
                payload = r.read()
                return r.status, (json.loads(payload) if r.headers.get_content_type() == "application/json" and payload
                                  else payload)
        except urllib.error.HTTPError as e:
            payload = e.read()
            return e.code, json.loads(payload) if payload else {}

    def create(self, **body):
        status, run = self.call("POST", "api/runs", body)
        assert status == 201, (status, run)
        return run["id"]

    def control(self, rid, action, **kw):
        return self.call("POST", f"api/runs/{rid}/control", dict(action=action, **kw))

    def wait_until(self, rid, what, reached, timeout=60):
        """Polls the run until reached(its state) holds; returns that state."""
        end = time.time() + timeout * SLOWER
        while time.time() < end:
            status, s = self.call("GET", f"api/runs/{rid}")
            if reached(s):
                return s
            time.sleep(0.01)
        raise AssertionError(f"run {rid} did not reach {what}: {s}")

    def wait(self, rid, state):
        return self.wait_until(rid, state, lambda s: s.get("state") == state)

    def wait_for_step(self, rid, step):
        """Until the run has sent `step` months (a month has just come in)."""
        return self.wait_until(rid, f"month {step}", lambda s: s.get("step", 0) >= step)


class ClassroomServer(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.proc, cls.url, cls.banner = start_server()
        cls.api = Api(cls.url)

    @classmethod
    def tearDownClass(cls):
        if cls.proc.poll() is None:
            cls.proc.kill()
            cls.proc.wait()
        cls.tmp.cleanup()

    def tearDown(self):
        if self.proc.poll() is not None:
            return
        # every test leaves the server up, whatever it sent
        status, model = self.api.call("GET", "api/model")
        self.assertEqual(status, 200)
        for rid in list(getattr(self, "runs", [])):
            self.api.call("DELETE", f"api/runs/{rid}")

    def new_run(self, **body):
        rid = self.api.create(**body)
        self.runs = getattr(self, "runs", []) + [rid]
        return rid

    def assertRefused(self, result, status, *fragments):
        code, body = result
        self.assertEqual(code, status, body)
        self.assertIn("error", body)
        for f in fragments:
            self.assertIn(f, body["error"])

    def test_banner_says_loopback(self):
        self.assertIn("127.0.0.1", self.url)
        self.assertIn("loopback only", self.banner)

    def test_model_declares_levers_charts_map_and_lesson(self):
        status, m = self.api.call("GET", "api/model")
        keys = [l["key"] for l in m["levers"]]
        for k in ("funds.key_county_share", "funds.integration_end_year", "land.quota_mu", "spending.posts",
                  "monitoring.visits", "assistance.direct_end_year", "shocks.migrant_demand[1]", "shocks.disaster_year"):
            self.assertIn(k, keys)
        for l in m["levers"]:
            self.assertTrue(l["label"] and l["explanation"])
            self.assertLessEqual(l["min"], l["default"])
            self.assertLessEqual(l["default"], l["max"])
        self.assertEqual(len(m["charts"]), 6)
        for c in m["charts"]:
            for name in c["indicators"]:
                self.assertIn(name, m["indicators"])
        self.assertEqual(len(m["map"]["areas"]), 160)
        located = [a for a in m["map"]["areas"] if a["lat"] is not None]
        self.assertGreater(len(located), 150)
        self.assertGreaterEqual(len(m["lesson"]), 3)
        self.assertEqual(m["limits"]["max_runs"], MAX_RUNS)
        # the page and its files are built in
        for path in ("", "app.js", "style.css", "chart.min.js"):
            code, body = self.api.call("GET", path)
            self.assertEqual(code, 200, path)
            self.assertGreater(len(body), 50, path)

    def test_a_run_streams_every_month_and_matches_ruralsim_run(self):
        rid = self.new_run(label="A")
        events = []
        done = threading.Event()

        def listen():
            with urllib.request.urlopen(self.url + f"api/runs/{rid}/events", timeout=60 * SLOWER) as r:
                kind = None
                for raw in r:
                    line = raw.decode().rstrip("\n")
                    if line.startswith("event: "):
                        kind = line[7:]
                    elif line.startswith("data: "):
                        events.append((kind, json.loads(line[6:])))
                        if kind == "state" and events[-1][1]["state"] == "done":
                            done.set()
                            return

        t = threading.Thread(target=listen, daemon=True)
        t.start()
        time.sleep(0.2)
        t0 = time.monotonic()
        code, s = self.api.control(rid, "go", speed_ms=0)
        self.assertEqual(code, 200, s)
        self.assertTrue(done.wait(60 * SLOWER), f"no 'done' state within {60 * SLOWER} s")
        elapsed = time.monotonic() - t0
        months = [d for k, d in events if k == "month"]
        self.assertEqual([m["step"] for m in months], list(range(60)))
        self.assertEqual((months[0]["year"], months[0]["month"]), (2021, 1))
        self.assertEqual(len(months[-1]["map"]["income_per_capita"]), 160)
        self.assertGreater(months[-1]["total"]["income_per_capita"], months[0]["total"]["income_per_capita"])
        self.assertLess(elapsed, 15 * SLOWER, "a 60-month run at the teaching scale")
        states = [d["state"] for k, d in events if k == "state"]
        self.assertEqual(states[0], "idle")
        self.assertIn("setting_up", states)
        # the run is an ordinary run: the same scenario and seed give the same data as `ruralsim run`
        code, h5 = self.api.call("GET", f"api/runs/{rid}/download.h5")
        self.assertEqual(code, 200)
        served = Path(self.tmp.name) / "served.h5"
        served.write_bytes(h5)
        direct = Path(self.tmp.name) / "direct.h5"
        printed = subprocess.run([BINARY, "run", "--set", "population.scale=0.005", "-o", str(direct), "--force"],
                                 check=True, capture_output=True, text=True).stdout
        # each December's message carries the year's values by the yearly rules: those `run` prints
        row = next(l for l in printed.split("\n") if l.startswith("income_per_capita "))
        run_years = [float(v.replace(",", "")) for v in row.split()[2:]]
        decembers = [m for m in months if m["month"] == 12]
        self.assertEqual([m["yearly"]["year"] for m in decembers], [2021, 2022, 2023, 2024, 2025])
        self.assertNotIn("yearly", months[0])
        for served_year, printed_year in zip(decembers, run_years):
            self.assertAlmostEqual(served_year["yearly"]["total"]["income_per_capita"], printed_year, delta=0.5)
        self.assertEqual(len(decembers[0]["yearly"]["map"]["income_per_capita"]), 160)
        hashes = [subprocess.run([BINARY, "info", "--data-hash", str(p)], check=True, capture_output=True,
                                 text=True).stdout for p in (served, direct)]
        self.assertEqual(hashes[0], hashes[1])
        code, csv = self.api.call("GET", f"api/runs/{rid}/download.csv")
        lines = csv.decode().strip().split("\n")
        self.assertEqual(len(lines), 1 + 161 * 60)
        self.assertTrue(lines[0].startswith("area,step,year,month,"))
        # a finished run refuses more months, and a reset starts it again
        self.assertRefused(self.api.control(rid, "go"), 409, "last month")
        code, s = self.api.control(rid, "reset", levers={"land.quota_mu": 0})
        self.assertEqual(code, 200)
        s = self.api.wait(rid, "idle")
        self.assertEqual(s["step"], 0)
        self.assertEqual(s["levers"]["land.quota_mu"], 0)

    def test_step_pause_and_a_lever_that_moves_the_outcome(self):
        a = self.new_run(label="A")
        b = self.new_run(label="B", levers={"land.quota_mu": 0})
        for rid in (a, b):
            self.api.control(rid, "setup")
        for rid in (a, b):
            self.api.wait(rid, "ready")
            self.api.control(rid, "step")
            self.assertEqual(self.api.wait(rid, "paused")["step"], 1)
        self.assertRefused(self.api.call("GET", f"api/runs/{a}/download.h5"), 409, "last month")
        # Pause between months, at a slow pace (just after a month came in): the run says paused at
        # once and stops stepping
        self.api.control(a, "go", speed_ms=400)
        self.api.wait_for_step(a, 2)
        code, s = self.api.control(a, "pause")
        self.assertEqual(s["state"], "paused")
        stopped = self.api.wait(a, "paused")["step"]
        time.sleep(1.0)
        self.assertEqual(self.api.wait(a, "paused")["step"], stopped)
        # Pause while a month is computed (full speed): the run says paused only once that month
        # is in, and no month follows
        self.api.control(a, "go", speed_ms=0)
        self.api.wait_for_step(a, stopped + 2)
        self.api.control(a, "pause")
        stopped = self.api.wait(a, "paused")["step"]
        time.sleep(1.0)
        self.assertEqual(self.api.wait(a, "paused")["step"], stopped, "a month came in after the run said paused")
        # and Step then adds exactly one
        self.api.control(a, "step")
        self.api.wait_for_step(a, stopped + 1)
        time.sleep(0.5)
        self.assertEqual(self.api.wait(a, "paused")["step"], stopped + 1)
        for rid in (a, b):
            self.api.control(rid, "go", speed_ms=0)
        csv = {}
        for rid in (a, b):
            self.api.wait(rid, "done")
            code, body = self.api.call("GET", f"api/runs/{rid}/download.csv")
            rows = [r.split(",") for r in body.decode().strip().split("\n")]
            col = rows[0].index("spend_land")
            csv[rid] = sum(float(r[col] or 0) for r in rows[1:61])
        self.assertGreater(csv[a], 0)
        self.assertLess(csv[b], 0.2 * csv[a], "without a land quota the counties spend little on land")

    def test_malformed_requests_are_refused_with_messages(self):
        api = self.api
        self.assertRefused(api.call("POST", "api/runs", raw=b'{"levers": '), 400, "not valid JSON")
        self.assertRefused(api.call("POST", "api/runs", raw=b"\x00\xff\xfe garbage"), 400)
        self.assertRefused(api.call("POST", "api/runs", raw=b"[1, 2]"), 400, "JSON object")
        self.assertRefused(api.call("POST", "api/runs", {"lever": {}}), 400, "did you mean 'levers'")
        self.assertRefused(api.call("POST", "api/runs", {"levers": {"land.quota_m": 0}}), 400,
                           "unknown lever 'land.quota_m'", "did you mean 'land.quota_mu'")
        self.assertRefused(api.call("POST", "api/runs", {"levers": {"land.quota_mu": 99999}}), 400,
                           "outside its range 0 to 1500")
        self.assertRefused(api.call("POST", "api/runs", {"levers": {"land.quota_mu": "600"}}), 400,
                           "expected a number")
        self.assertRefused(api.call("POST", "api/runs", {"levers": {"shocks.disaster_year": 2022.5}}), 400,
                           "whole number")
        self.assertRefused(api.call("POST", "api/runs", raw=b'{"levers": {"land.quota_mu": 0, "land.quota_mu": 5}}'),
                           400, "given twice")
        self.assertRefused(api.call("POST", "api/runs", {"scale": 1.0}), 400, "scale", "--max-scale")
        self.assertRefused(api.call("POST", "api/runs", {"scale": 1e308}), 400, "scale")
        self.assertRefused(api.call("POST", "api/runs", raw=b'{"scale": .nan}'), 400, "expected a number")
        self.assertRefused(api.call("POST", "api/runs", raw=b"{" + b'"a": 1, ' * 20000 + b"}"), 413, "too large")
        rid = self.new_run()
        self.assertRefused(api.control(rid, "fly"), 400, "unknown action 'fly'")
        self.assertRefused(api.call("POST", f"api/runs/{rid}/control", {}), 400, "action")
        self.assertRefused(api.control(rid, "go", speed_ms=-5), 400, "speed_ms")
        self.assertRefused(api.control(rid, "go", levers={"land.quota_mu": 0}), 409, "'setup' or 'reset'")
        self.assertRefused(api.control("0123456789abcdef", "go"), 404, "no run")
        self.assertRefused(api.call("GET", "api/nothing"), 404, "no such page")
        self.assertRefused(api.call("GET", f"api/runs/{rid}/events?from=x"), 400, "from")

    def test_runs_are_limited_and_freed(self):
        ids = [self.new_run(label=str(k)) for k in range(MAX_RUNS)]
        self.assertRefused(self.api.call("POST", "api/runs", {}), 429, f"already has {MAX_RUNS} runs", "--max-runs")
        code, _ = self.api.call("DELETE", f"api/runs/{ids[0]}")
        self.assertEqual(code, 204)
        self.runs.remove(ids[0])
        self.new_run()

    def test_zz_ctrl_c_stops_the_server_cleanly(self):
        rid = self.new_run()
        self.api.control(rid, "go", speed_ms=500)   # a run in flight when the class ends
        time.sleep(1)
        self.proc.send_signal(signal.SIGINT)
        out, _ = self.proc.communicate(timeout=15 * SLOWER)
        self.assertEqual(self.proc.returncode, 0, out)
        self.assertIn("stopped", out)
        self.runs = []


if __name__ == "__main__":
    unittest.main()
