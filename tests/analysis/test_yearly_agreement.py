"""The analysis package reads years as the engine does.

The engine's yearly aggregator (sim/model/yearly.cpp) prints the summary of `ruralsim run`
and fills the results of `ruralsim sweep collect`; `ruralsim compare` (the Python package)
evaluates the same indicators from the model description in the file. This test runs a
one-point sweep, compares its task file with `ruralsim compare`, and checks that

- the yearly values of income_per_capita, returns_to_poverty and gini at the total level
  agree with /results/<name>/yearly in sweep.h5 to 1e-9 relative;
- the values `ruralsim run` prints in its summary table (a run of the same scenario, seed
  and settings) agree with compare's to the printed precision.

    RURALSIM_BINARY=build/release/ruralsim /usr/bin/python3 -m unittest test_yearly_agreement -v
"""

import re
import shutil
import tempfile
import unittest
from pathlib import Path

import numpy as np
import pandas as pd

import support

OUTPUTS = ["income_per_capita", "returns_to_poverty", "gini"]
SETTINGS = {"population.scale": "0.002", "run.months": "24", "labour.migrant_wage": "4432"}
YEARS = [2021, 2022]

SWEEP = """description: yearly values of the engine against the analysis package
base: baseline
set: {population.scale: 0.002, run.months: 24}
parameters:
  - {key: labour.migrant_wage, values: [4432]}
design: {type: list}
outputs: [income_per_capita, returns_to_poverty, gini]
"""


def printed_table(stdout):
    """The yearly table `ruralsim run` prints: {indicator: {year: token}} and the years."""
    lines = stdout.splitlines()
    head = next((k for k, line in enumerate(lines) if line.startswith("yearly values")), None)
    if head is None:
        raise AssertionError("ruralsim run printed no yearly table:\n" + stdout)
    years = [int(t) for t in lines[head].split() if re.fullmatch(r"\d{4}", t)]
    rows = {}
    for line in lines[head + 1:]:
        tokens = line.split()
        if len(tokens) < len(years) + 1:
            break
        rows[tokens[0]] = dict(zip(years, tokens[-len(years):]))
    return years, rows


def half_unit(token):
    """Half of the last printed digit of a number as printed (1234 -> 0.5, 0.357 -> 0.0005)."""
    mantissa, _, exponent = token.lower().replace(",", "").partition("e")
    decimals = len(mantissa.partition(".")[2])
    return 0.5 * 10.0 ** (int(exponent or 0) - decimals)


class YearlyAgreement(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        support.binary()
        cls.tmp = Path(tempfile.mkdtemp(prefix="ruralsim-yearly-"))
        sweep = cls.tmp / "agreement.yaml"
        sweep.write_text(SWEEP)
        cls.sweep_dir = cls.tmp / "sweep"
        support.ruralsim("sweep", "run", sweep, "-o", cls.sweep_dir, "-q", check=True)
        cls.task = cls.sweep_dir / "tasks" / "0.h5"
        # The same simulation by `ruralsim run`, whose summary table is read below.
        sets = [a for k, v in SETTINGS.items() for a in ("--set", f"{k}={v}")]
        cls.run_file = cls.tmp / "run.h5"
        cls.run_proc = support.ruralsim("run", "baseline", "-o", cls.run_file, *sets, check=True)
        cls.years, cls.printed = printed_table(cls.run_proc.stdout)
        cls.out = cls.tmp / "compare"
        names = list(dict.fromkeys(OUTPUTS + list(cls.printed)))
        cls.compare = support.ruralsim("compare", f"task={cls.task}", f"run={cls.run_file}", "--indicators", *names,
                                       "-o", cls.out, "--no-plots", "-q")
        cls.summary = pd.read_csv(cls.out / "summary.csv") if (cls.out / "summary.csv").exists() else None

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def value(self, scenario, name, year):
        s = self.summary
        r = s[(s.level == "total") & (s.scenario == scenario) & (s.indicator == name) &
              (s.period.astype(str) == str(year))]
        self.assertEqual(len(r), 1, f"compare has no single total-level value of {name} in {year} for {scenario}")
        return float(r["mean"].iloc[0])

    def test_compare_ran(self):
        self.assertEqual(self.compare.returncode, 0, self.compare.stderr)
        self.assertIsNotNone(self.summary)
        self.assertEqual(self.years, YEARS)
        for name in OUTPUTS:
            self.assertIn(name, self.printed)

    def test_sweep_results_agree_with_compare(self):
        import h5py
        with h5py.File(self.sweep_dir / "sweep.h5", "r") as f:
            years = [int(y) for y in f["results/years"][()]]
            indicators = [x.decode() if isinstance(x, bytes) else str(x) for x in f["results/indicators"][()]]
            self.assertEqual(years, YEARS)
            self.assertEqual(sorted(indicators), sorted(OUTPUTS))
            for name in OUTPUTS:
                yearly = f[f"results/{name}/yearly"][()]
                self.assertEqual(yearly.shape, (1, len(YEARS)))
                for k, year in enumerate(years):
                    with self.subTest(name=name, year=year):
                        engine = float(yearly[0, k])
                        self.assertTrue(np.isfinite(engine))
                        np.testing.assert_allclose(self.value("task", name, year), engine, rtol=1e-9, atol=0)

    def test_run_and_task_are_the_same_simulation(self):
        # The premise of the next test: the printed run is the sweep's task.
        for name in self.printed:
            for year in YEARS:
                with self.subTest(name=name, year=year):
                    np.testing.assert_allclose(self.value("run", name, year), self.value("task", name, year),
                                               rtol=1e-12, atol=0)

    def test_printed_summary_agrees_with_compare(self):
        self.assertGreaterEqual(len(self.printed), 5)
        for name, by_year in self.printed.items():
            for year, token in by_year.items():
                got = self.value("run", name, year)
                with self.subTest(name=name, year=year, printed=token):
                    if token in ("-", "nan", "NaN"):
                        self.assertTrue(np.isnan(got))
                        continue
                    printed = float(token.replace(",", ""))
                    self.assertLessEqual(abs(got - printed), half_unit(token) * (1 + 1e-9) + 1e-12 * abs(printed))


if __name__ == "__main__":
    unittest.main()
