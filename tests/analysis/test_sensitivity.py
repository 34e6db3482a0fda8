"""Sensitivity analysis of sweeps: the estimators on functions with known indices, on
designs made by ``ruralsim sweep plan`` (the same code path as real sweeps: the C++
design, the index it writes, :func:`ruralsim_analysis.sweep.load_sweep`), and the
``ruralsim sensitivity`` command on a small sweep of the model.

The tests need the program: set RURALSIM_BINARY to build/<preset>/ruralsim, then

    RURALSIM_BINARY=build/release/ruralsim /usr/bin/python3 -m unittest tests/analysis/test_sensitivity.py -v

(test_sim_sweep runs this file too).
"""

import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
ANALYSIS = ROOT / "analysis"
if str(ANALYSIS) not in sys.path:
    sys.path.insert(0, str(ANALYSIS))

from ruralsim_analysis.sensitivity import morris_indices, sobol_indices  # noqa: E402
from ruralsim_analysis.sweep import load_sweep, point_table  # noqa: E402

PYTHON = "/usr/bin/python3"

# Ishigami function, a = 7, b = 0.1, inputs uniform on [-pi, pi]: analytic indices.
A, B = 7.0, 0.1
V1 = 0.5 * (1 + B * np.pi ** 4 / 5) ** 2
V2 = A ** 2 / 8
V13 = B ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
V = V1 + V2 + V13
ISHIGAMI_S1 = [V1 / V, V2 / V, 0.0]
ISHIGAMI_ST = [(V1 + V13) / V, V2 / V, V13 / V]


def ishigami(x):
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def binary():
    path = os.environ.get("RURALSIM_BINARY")
    if not path:
        raise unittest.SkipTest("RURALSIM_BINARY is not set (point it at build/<preset>/ruralsim)")
    if not os.access(path, os.X_OK):
        raise unittest.SkipTest(f"RURALSIM_BINARY={path} is not an executable")
    return os.path.abspath(path)


def env():
    e = dict(os.environ)
    e["RURALSIM_ANALYSIS_DIR"] = str(ANALYSIS)
    e["RURALSIM_PYTHON"] = PYTHON
    e["PYTHONPATH"] = str(ANALYSIS)
    return e


def run(args, cwd, check=True):
    r = subprocess.run([binary()] + args, cwd=cwd, env=env(), capture_output=True, text=True)
    if check and r.returncode != 0:
        raise AssertionError(f"ruralsim {' '.join(args)} exited {r.returncode}:\n{r.stdout}\n{r.stderr}")
    return r


def planned(folder, text):
    """Writes a sweep file, lets `ruralsim sweep plan -o` write its index (no task is run)
    and loads it."""
    path = Path(folder) / "sweep.yaml"
    path.write_text(text)
    run(["sweep", "plan", str(path), "-o", str(Path(folder) / "dir"), "--no-trial"], folder)
    return load_sweep(Path(folder) / "dir")


# Three keys whose range includes [0, 1]: the design's unit coordinates drive the function.
UNIT_KEYS = ["labour.migrant_net_share", "population.share_wage", "population.irrigated_share",
             "population.able_share"]


def unit_sweep(design, count=3):
    params = "".join(f"  - {{key: {k}, min: 0, max: 1}}\n" for k in UNIT_KEYS[:count])
    return f"description: design only\nparameters:\n{params}design: {design}\n"


class Sobol(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.df = planned(cls.tmp.name, unit_sweep("{type: sobol, samples: 4096, seed: 11}"))
        names = cls.df.attrs["parameters"]
        cls.x = -np.pi + 2 * np.pi * cls.df[["u_" + n for n in names]].to_numpy()
        cls.result = sobol_indices(cls.df, ishigami(cls.x), names, bootstrap=300, seed=1)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_design_layout_in_the_index(self):
        df = self.df
        self.assertEqual(len(df), 4096 * 5)
        self.assertEqual(df.attrs["sweep"]["design"], "sobol")
        self.assertEqual(sorted(df["block"].unique()), ["A", "AB", "B"])
        self.assertTrue((df["status"] == "pending").all())
        # Each parameter's value is its unit coordinate on [0, 1].
        for n in df.attrs["parameters"]:
            np.testing.assert_allclose(df[n], df["u_" + n], rtol=0, atol=1e-12)

    def test_ishigami_indices_match_the_analytic_values(self):
        r = self.result
        np.testing.assert_allclose(r["S1"], ISHIGAMI_S1, atol=0.02)
        np.testing.assert_allclose(r["ST"], ISHIGAMI_ST, atol=0.02)
        # The known values (Saltelli et al. 2008, p. 179).
        np.testing.assert_allclose(ISHIGAMI_S1, [0.3139, 0.4424, 0.0], atol=1e-4)
        np.testing.assert_allclose(ISHIGAMI_ST, [0.5576, 0.4424, 0.2437], atol=1e-4)

    def test_bootstrap_intervals_cover_the_truth_and_are_narrow(self):
        r = self.result
        for col, truth in (("S1", ISHIGAMI_S1), ("ST", ISHIGAMI_ST)):
            self.assertTrue(np.all(r[col + "_lo"] <= np.array(truth) + 1e-9), r)
            self.assertTrue(np.all(r[col + "_hi"] >= np.array(truth) - 1e-9), r)
            self.assertTrue(np.all(r[col + "_hi"] - r[col + "_lo"] < 0.12), r)

    def test_missing_responses_drop_their_rows(self):
        y = ishigami(self.x)
        y[:10] = np.nan  # rows 0-9 of A
        r = sobol_indices(self.df, y, self.df.attrs["parameters"], bootstrap=0)
        self.assertEqual(r.attrs["dropped"], 10)
        self.assertEqual(r.attrs["samples"], 4086)
        np.testing.assert_allclose(r["S1"], ISHIGAMI_S1, atol=0.03)


class Morris(unittest.TestCase):
    def test_linear_function_has_exact_effects_and_nonlinear_one_has_spread(self):
        with tempfile.TemporaryDirectory() as tmp:
            df = planned(tmp, unit_sweep("{type: morris, trajectories: 20, levels: 4, seed: 3}", count=4))
            names = df.attrs["parameters"]
            self.assertEqual(len(df), 20 * 5)
            u = df[["u_" + n for n in names]].to_numpy()
            coef = np.array([3.0, -2.0, 0.5, 0.0])
            r = morris_indices(df, u @ coef, names, bootstrap=200)
            np.testing.assert_allclose(r["mu"], coef, atol=1e-9)
            np.testing.assert_allclose(r["mu_star"], np.abs(coef), atol=1e-9)
            np.testing.assert_allclose(r["sigma"], 0, atol=1e-9)
            # An interaction gives the interacting factors a spread of effects.
            r2 = morris_indices(df, u @ coef + 4 * u[:, 0] * u[:, 1], names, bootstrap=200)
            self.assertGreater(r2["sigma"][0], 0.5)
            self.assertGreater(r2["sigma"][1], 0.5)
            self.assertLess(r2["sigma"][3], 1e-9)
            self.assertTrue(np.all(r2["mu_star_lo"] <= r2["mu_star"] + 1e-12))


class EndToEnd(unittest.TestCase):
    def test_sensitivity_command_on_a_model_sweep(self):
        with tempfile.TemporaryDirectory() as tmp:
            sweep = Path(tmp) / "s.yaml"
            sweep.write_text(
                "set: {population.scale: 0.002, run.months: 3}\n"
                "parameters:\n"
                "  - {key: labour.migrant_wage, min: 3000, max: 6000}\n"
                "  - {key: behaviour.consumption_share, min: 0.6, max: 0.95, name: consumption}\n"
                "design: {type: sobol, samples: 4, seed: 1}\n"
                "outputs: [income_per_capita, monitored_households]\n")
            out = run(["sweep", "run", str(sweep), "-o", str(Path(tmp) / "dir"), "-q"], tmp)
            self.assertIn("16 of 16 tasks complete", out.stdout)
            df = load_sweep(Path(tmp) / "dir")
            self.assertEqual(df.attrs["parameters"], ["labour.migrant_wage", "consumption"])
            self.assertEqual(df.attrs["indicators"], ["income_per_capita", "monitored_households"])
            self.assertEqual(df.attrs["years"], [2021])
            self.assertTrue(np.all(np.isfinite(df["income_per_capita"])))
            self.assertTrue(np.all((df["labour.migrant_wage"] >= 3000) & (df["labour.migrant_wage"] <= 6000)))
            pts = point_table(df, "income_per_capita_2021")
            self.assertEqual(len(pts), 16)
            self.assertTrue((pts["replicates"] == 1).all())

            # Through the program (`ruralsim sensitivity` runs the Python package).
            r = run(["sensitivity", str(Path(tmp) / "dir"), "--indicator", "income_per_capita", "--bootstrap", "100"], tmp)
            self.assertIn("Sobol indices of income_per_capita over the whole period", r.stdout)
            self.assertIn("labour.migrant_wage", r.stdout)
            for ext in ("csv", "png", "svg"):
                self.assertTrue((Path(tmp) / "dir" / "sensitivity" / f"income_per_capita.{ext}").exists(), ext)
            # The default indicators are the sweep's outputs; a year can be chosen.
            r = subprocess.run([PYTHON, "-m", "ruralsim_analysis", "sensitivity", str(Path(tmp) / "dir"), "--year",
                                "2021", "--bootstrap", "50", "--no-plot"], env=env(), capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("monitored_households in 2021", r.stdout)
            # A grid sweep has no indices; an unknown indicator is named with a suggestion.
            bad = subprocess.run([PYTHON, "-m", "ruralsim_analysis", "sensitivity", str(Path(tmp) / "dir"),
                                  "--indicator", "income_per_capit"], env=env(), capture_output=True, text=True)
            self.assertEqual(bad.returncode, 2)   # an option naming nothing in the input: usage, as in compare
            self.assertIn("did you mean 'income_per_capita'", bad.stderr)


if __name__ == "__main__":
    unittest.main()
