"""End to end: two scenarios x 5 replicates, `ruralsim compare`, numbers checked against h5py/numpy."""

import re
import shutil
import tempfile
import unittest
from pathlib import Path

import numpy as np
import pandas as pd

import support

SCENARIOS = ("baseline", "no_tilt")
REPLICATES = 5
MONTHS = 24


class CompareEndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        support.binary()
        cls.tmp = Path(tempfile.mkdtemp(prefix="ruralsim-compare-"))
        for s in SCENARIOS:
            support.run_ensemble(s, cls.tmp / s, REPLICATES, MONTHS)
        cls.out = cls.tmp / "out"
        cls.proc = support.ruralsim("compare", cls.tmp / "baseline", cls.tmp / "no_tilt", "-o", cls.out,
                                    "--no-plots", "--level", "province", "--by", "ethnic_area")
        cls.summary = pd.read_csv(cls.out / "summary.csv") if (cls.out / "summary.csv").exists() else None
        cls.diffs = pd.read_csv(cls.out / "differences.csv") if (cls.out / "differences.csv").exists() else None
        cls.ce = pd.read_csv(cls.out / "cost_effectiveness.csv") if (cls.out / "cost_effectiveness.csv").exists() \
            else None

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def files(self, scenario):
        return [self.tmp / scenario / f"{scenario}-r{k}.h5" for k in range(REPLICATES)]

    def row(self, table, **keys):
        df = table
        for k, v in keys.items():
            df = df[df[k].astype(str) == str(v)]
        self.assertEqual(len(df), 1, f"expected one row for {keys}, got {len(df)}")
        return df.iloc[0]

    # -- independent computations from the raw datasets ------------------------------------------
    def raw_yearly(self, path, name, year):
        y, _ = support.years(path)
        sel = y == year
        T = lambda n: support.total(path, n)[sel]  # noqa: E731
        if name == "returns_to_poverty":
            return T("returns_to_poverty").sum()
        if name == "income_per_capita":
            return 12 * T("income").sum() / T("people").sum()
        if name == "income_per_capita_pa":
            return 12 * T("income_pa").sum() / T("pa_people").sum()
        if name == "return_rate":
            return T("returns_to_poverty").sum() / T("pa_households")[-1]
        if name == "spend_total":
            return T("spend_total").sum()
        if name == "monitoring_entries":
            return T("monitoring_entries").sum()
        if name == "mean_months_to_exit":
            return T("exit_months").sum() / T("monitoring_exits").sum()
        if name == "pa_workers_local":
            return T("pa_workers_local")[-1]
        if name == "gini_between_counties":
            return T("gini_between_counties")[-1]
        raise KeyError(name)

    def raw_period(self, path, name):
        if name in ("returns_to_poverty", "spend_total"):
            return sum(self.raw_yearly(path, name, y) for y in (2021, 2022))
        if name == "income_per_capita":
            return 12 * support.total(path, "income").sum() / support.total(path, "people").sum()
        raise KeyError(name)

    # -- tests --------------------------------------------------------------------------------------
    def test_command_succeeds_and_prints_table(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertIn("Returns to poverty", self.proc.stdout)
        self.assertIn("Δ no_tilt", self.proc.stdout)
        self.assertIn("Cost-effectiveness", self.proc.stdout)
        for f in ("summary.csv", "differences.csv", "cost_effectiveness.csv", "runs.csv", "comparison.md"):
            self.assertTrue((self.out / f).exists(), f)
        md = (self.out / "comparison.md").read_text()
        self.assertIn("| Returns to poverty |", md)
        runs = pd.read_csv(self.out / "runs.csv")
        self.assertEqual(len(runs), 2 * REPLICATES)

    def test_means_and_intervals_match_raw_data(self):
        for name in ("returns_to_poverty", "income_per_capita", "income_per_capita_pa", "return_rate",
                     "spend_total", "monitoring_entries", "mean_months_to_exit", "pa_workers_local",
                     "gini_between_counties"):
            for scenario in SCENARIOS:
                for year in (2021, 2022):
                    raw = [self.raw_yearly(f, name, year) for f in self.files(scenario)]
                    mean, low, high = support.mean_ci(raw)
                    r = self.row(self.summary, level="total", indicator=name, period=year, scenario=scenario)
                    # gini_between_counties at the total level is the recorded dataset (its rule: last).
                    tol = 1e-9
                    with self.subTest(name=name, scenario=scenario, year=year):
                        self.assertEqual(r["n"], REPLICATES)
                        np.testing.assert_allclose(r["mean"], mean, rtol=tol, atol=1e-12)
                        # Spending barely varies between replicates (allocations are
                        # policy), so differences are judged against the mean's size.
                        scale = 1e-9 * max(1.0, abs(mean))
                        np.testing.assert_allclose(r["sd"], np.std(raw, ddof=1), rtol=max(tol, 1e-7) * 100,
                                                   atol=scale)
                        np.testing.assert_allclose([r["ci_low"], r["ci_high"]], [low, high], rtol=max(tol, 1e-7),
                                                   atol=scale)

    def test_whole_period(self):
        for name in ("returns_to_poverty", "spend_total", "income_per_capita"):
            raw = [self.raw_period(f, name) for f in self.files("baseline")]
            r = self.row(self.summary, level="total", indicator=name, period="2021-2022", scenario="baseline")
            np.testing.assert_allclose(r["mean"], np.mean(raw), rtol=1e-9)

    def test_province_level_sums_counties(self):
        files = self.files("no_tilt")
        provinces = support.static(files[0], "province")
        y, _ = support.years(files[0])
        sel = y == 2022
        for province in ("Yunnan", "Ningxia"):
            m = provinces == province
            ret = [support.county(f, "returns_to_poverty")[sel][:, m].sum() for f in files]
            ipc = [12 * support.county(f, "income")[sel][:, m].sum() / support.county(f, "people")[sel][:, m].sum()
                   for f in files]
            for name, raw in (("returns_to_poverty", ret), ("income_per_capita", ipc)):
                r = self.row(self.summary, level="province", area=province, indicator=name, period=2022,
                             scenario="no_tilt")
                mean, low, high = support.mean_ci(raw)
                np.testing.assert_allclose([r["mean"], r["ci_low"], r["ci_high"]], [mean, low, high], rtol=1e-9)
        # prefectures were not asked for; every province is there
        self.assertEqual(set(self.summary.level), {"total", "province", "ethnic_area"})
        self.assertEqual(self.summary[self.summary.level == "province"].area.nunique(), 10)

    def test_flag_level_splits_counties_in_two(self):
        """--by ethnic_area: the counties with the flag ("yes") and without ("no"), from the county table."""
        files = self.files("baseline")
        flag = support.static(files[0], "ethnic_area") != 0
        self.assertEqual(int(flag.sum()), 114)
        y, _ = support.years(files[0])
        sel = y == 2022
        for area, m in (("yes", flag), ("no", ~flag)):
            ret = [support.county(f, "returns_to_poverty")[sel][:, m].sum() for f in files]
            r = self.row(self.summary, level="ethnic_area", area=area, indicator="returns_to_poverty", period=2022,
                         scenario="baseline")
            np.testing.assert_allclose(r["mean"], np.mean(ret), rtol=1e-9)

    def test_paired_differences_match_raw_data(self):
        for name in ("returns_to_poverty", "income_per_capita", "spend_total"):
            a = np.array([self.raw_yearly(f, name, 2022) for f in self.files("no_tilt")])
            b = np.array([self.raw_yearly(f, name, 2022) for f in self.files("baseline")])
            mean, low, high = support.mean_ci(a - b)
            r = self.row(self.diffs, level="total", indicator=name, period=2022, scenario="no_tilt")
            self.assertEqual(r["baseline"], "baseline")
            self.assertEqual(r["n_pairs"], REPLICATES)
            np.testing.assert_allclose([r["diff"], r["ci_low"], r["ci_high"]], [mean, low, high], rtol=1e-7)

    def test_paired_intervals_narrower_than_unpaired(self):
        for name in ("income_per_capita", "income_per_capita_pa", "returns_to_poverty", "monitoring_entries"):
            a = np.array([self.raw_yearly(f, name, 2022) for f in self.files("no_tilt")])
            b = np.array([self.raw_yearly(f, name, 2022) for f in self.files("baseline")])
            # Welch's interval treats the two ensembles as independent samples.
            va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
            df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
            unpaired_half = support.t975(df) * np.sqrt(va + vb)
            r = self.row(self.diffs, level="total", indicator=name, period=2022, scenario="no_tilt")
            paired_half = (r["ci_high"] - r["ci_low"]) / 2
            with self.subTest(name=name):
                self.assertLess(paired_half, unpaired_half)
                np.testing.assert_allclose((r["unpaired_ci_high"] - r["unpaired_ci_low"]) / 2, unpaired_half,
                                           rtol=1e-7)

    def test_interval_narrows_with_more_replicates(self):
        # Through the program: the first three replicates of each scenario.
        three = self.tmp / "out3"
        files = [str(f) for f in self.files("baseline")[:3]] + [str(f) for f in self.files("no_tilt")[:3]]
        p = support.ruralsim("compare", *files, "-o", three, "--no-plots", "-q")
        self.assertEqual(p.returncode, 0, p.stderr)
        s3 = pd.read_csv(three / "summary.csv")
        self.assertTrue((s3["n"] <= 3).all())
        # Which three replicates is luck: average the half-width over all ten 3-subsets of the
        # five, so that one tight or loose subset cannot decide the test.
        import itertools
        from ruralsim_analysis import compare, load, stats
        c = compare.compare(load.load_inputs([self.tmp / "baseline", self.tmp / "no_tilt"], warn=lambda m: None),
                            levels=["total"])
        for label in SCENARIOS:
            v = c.values[label]
            h5 = stats.summarize(v)["half"]
            h3 = np.mean([stats.summarize(v[:, list(sub)])["half"] for sub in itertools.combinations(range(5), 3)],
                         axis=0)
            ok = np.isfinite(h5) & np.isfinite(h3) & (h3 > 0)
            self.assertGreater(ok.sum(), 100)
            ratio = h5[ok] / h3[ok]
            with self.subTest(scenario=label):
                self.assertLess(np.median(ratio), 0.75)
                self.assertGreater((ratio < 1).mean(), 0.9)
                for name in ("income_per_capita", "returns_to_poverty", "monitoring_entries"):
                    row = c.row("total", "all counties", name, "2021-2022")
                    self.assertLess(h5[row], h3[row], name)
            # the program's 3-replicate table is the subset {0, 1, 2} of the same values
            sub = stats.summarize(v[:, :3])
            got = s3[(s3.level == "total") & (s3.scenario == label) & (s3.indicator == "income_per_capita") &
                     (s3.period.astype(str) == "2021-2022")].iloc[0]
            row = c.row("total", "all counties", "income_per_capita", "2021-2022")
            np.testing.assert_allclose([got["mean"], got["ci_high"]], [sub["mean"][row], sub["high"][row]],
                                       rtol=1e-9)

    def test_cost_effectiveness(self):
        a = [self.raw_period(f, "spend_total") for f in self.files("no_tilt")]
        b = [self.raw_period(f, "spend_total") for f in self.files("baseline")]
        ra = [self.raw_period(f, "returns_to_poverty") for f in self.files("no_tilt")]
        rb = [self.raw_period(f, "returns_to_poverty") for f in self.files("baseline")]
        cost = np.array(a) - np.array(b)
        avoided = np.array(rb) - np.array(ra)
        r = self.row(self.ce, level="total", scenario="no_tilt", measure="per_return_avoided")
        np.testing.assert_allclose(r["delta_cost"], cost.mean(), rtol=1e-9)
        np.testing.assert_allclose(r["effect"], avoided.mean(), rtol=1e-9)
        np.testing.assert_allclose(r["ratio"], cost.mean() / avoided.mean(), rtol=1e-9)
        self.assertIn(r["interval"], ("bounded", "unbounded"))
        if r["interval"] == "bounded":
            self.assertLessEqual(r["ratio_low"], r["ratio"])
            self.assertGreaterEqual(r["ratio_high"], r["ratio"])
        for measure in ("per_local_job", "per_income_yuan"):
            self.row(self.ce, level="total", scenario="no_tilt", measure=measure)

    def test_units_come_from_the_description(self):
        units = {n: self.row(self.summary, level="total", indicator=n, period=2022, scenario="baseline")["units"]
                 for n in ("return_rate", "gini_between_counties", "income_growth_pa", "income_per_capita",
                           "returns_to_poverty", "spend_total")}
        self.assertEqual(units, {"return_rate": "share", "gini_between_counties": "ratio",
                                 "income_growth_pa": "per year", "income_per_capita": "yuan/person/year",
                                 "returns_to_poverty": "households", "spend_total": "yuan/year"})
        self.assertIn("%/year", self.proc.stdout)   # growth rates are shown in percent on the terminal

    def table_rows(self, text):
        """The indicator rows of compare's terminal table: {label: [units, cells...]}."""
        lines = text.splitlines()
        start = next(k for k, line in enumerate(lines) if line.startswith("indicator ") and "units" in line)
        rows = {}
        for line in lines[start + 2:]:
            if not line.strip():
                break
            cells = re.split(r"\s{2,}", line.strip())
            if len(cells) > 2:
                rows[cells[0]] = cells[1:]
        return rows

    def test_terminal_table_numbers_and_units(self):
        """Every indicator of the two-scenario table (--all): no float noise (a signed zero, a
        zero-width "± 0M"), differences of shares and rates in percentage points, and a total
        over the whole period is not labelled per year (see indicators.format_value)."""
        p = support.in_process("compare", self.tmp / "baseline", self.tmp / "no_tilt", "--all")
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = self.table_rows(p.stdout)
        self.assertGreater(len(rows), 60)
        signed_zero = re.compile(r"(^|\s)[+-]0(\.0+)?(M|%)?(\s|$)")
        zero_width = re.compile(r"± 0(\.0+)?(M|%| pp)?(\s|$)")
        for label, (units, base, other, diff) in rows.items():
            with self.subTest(indicator=label):
                for cell in (base, other, diff):
                    self.assertNotRegex(cell, signed_zero)
                    self.assertNotRegex(cell, zero_width)
                    self.assertNotRegex(cell, r"\.0{6}")    # "0.000000": noise shown at the last decimal
                if units in ("%", "%/year"):
                    self.assertRegex(diff, r"^(0|-|[+-][\d.]+( ± [\d.]+)? pp( \*)?|0 ± [\d.]+ pp)$")
                    for level in (base, other):
                        self.assertRegex(level, r"%|^0$|^-$")
                else:
                    self.assertNotIn("pp", diff)
        # Totals over the whole period 2021-2022 are not "per year"; rates per year still are.
        self.assertEqual(rows["Spending, all uses"][0], "yuan over 2 years")
        self.assertEqual(rows["Net public cost"][0], "yuan over 2 years")
        self.assertEqual(rows["Income per capita, all residents"][0], "yuan/person/year")
        p = support.in_process("compare", self.tmp / "baseline", self.tmp / "no_tilt", "--all", "--year", "2022")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.table_rows(p.stdout)["Spending, all uses"][0], "yuan/year")

    def test_gini_between_counties_by_its_rules(self):
        """At the total level the recorded dataset by its yearly rule (last: December of the
        window's last year); at province level its formula over the window:
        members_gini(12 * (sum(income) / sum(people)), last(people)) over the province's counties."""
        from ruralsim_analysis import indicators
        files = self.files("baseline")
        provinces = support.static(files[0], "province")
        y, _ = support.years(files[0])
        for period, sel in (("2022", y == 2022), ("2021-2022", np.ones(len(y), dtype=bool))):
            recorded = [support.total(f, "gini_between_counties")[sel][-1] for f in files]
            r = self.row(self.summary, level="total", indicator="gini_between_counties", period=period,
                         scenario="baseline")
            np.testing.assert_allclose(r["mean"], np.mean(recorded), rtol=1e-12)
            for province in ("Yunnan", "Guangxi"):
                m = provinces == province
                raw = []
                for f in files:
                    income = support.county(f, "income")[sel][:, m].sum(axis=0)
                    people = support.county(f, "people")[sel][:, m]
                    raw.append(indicators.weighted_gini(12 * income / people.sum(axis=0), people[-1]))
                r = self.row(self.summary, level="province", area=province, indicator="gini_between_counties",
                             period=period, scenario="baseline")
                with self.subTest(period=period, province=province):
                    np.testing.assert_allclose(r["mean"], np.mean(raw), rtol=1e-9)
        # The whole period is no longer the last year's value at province level.
        whole = self.row(self.summary, level="province", area="Yunnan", indicator="gini_between_counties",
                         period="2021-2022", scenario="baseline")["mean"]
        last = self.row(self.summary, level="province", area="Yunnan", indicator="gini_between_counties",
                        period="2022", scenario="baseline")["mean"]
        self.assertNotAlmostEqual(whole, last, places=9)
        # gini has values of its own at the total and county levels only
        self.assertFalse(((self.summary.indicator == "gini") & (self.summary.level == "province")).any())
        self.assertTrue(((self.summary.indicator == "gini") & (self.summary.level == "total")).any())

    def test_indicator_added_to_the_description_is_compared(self):
        """The catalogue is the file's description: an indicator added to its JSON (here to copies
        of two replicates) is computed and shown with its label, topic and unit."""
        import json
        import h5py
        folder = self.tmp / "described"
        folder.mkdir()
        copies = []
        for k in range(2):
            dst = folder / f"baseline-r{k}.h5"
            shutil.copy(self.files("baseline")[k], dst)
            with h5py.File(dst, "r+") as f:
                d = json.loads(f.attrs["model_description"])
                d["indicators"].append({
                    "name": "income_per_household", "unit": "yuan/household/year",
                    "yearly_unit": "yuan/household/year", "yearly": "derived",
                    "description": "Income per household (added by the test)", "source": "formula", "set_at": "",
                    "rule": "", "formula": "sum(income) / last(households)", "combine": "sum", "weight": "",
                    "year_end_only": False, "hand_tuned": False, "recorded": False,
                    "label": "Income per household (test)", "topic": "test topic", "format": "money", "better": 1,
                    "key": True, "summary": False})
                f.attrs["model_description"] = json.dumps(d)
            copies.append(dst)
        out = self.tmp / "out-described"
        p = support.ruralsim("compare", *copies, "-o", out, "--no-plots", "-q")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("test topic", p.stdout)
        self.assertRegex(p.stdout, r"Income per household \(test\)\s+yuan/household/year\s+[0-9,]+ ± [0-9,.]+")
        s = pd.read_csv(out / "summary.csv")
        for period, years in (("2022", (2022,)), ("2021-2022", (2021, 2022))):
            raw = []
            for f in copies:
                y, _ = support.years(f)
                sel = np.isin(y, years)
                raw.append(support.total(f, "income")[sel].sum() / support.total(f, "households")[sel][-1])
            r = self.row(s, level="total", indicator="income_per_household", period=period, scenario="baseline")
            self.assertEqual(r["label"], "Income per household (test)")
            self.assertEqual(r["group"], "test topic")
            self.assertEqual(r["units"], "yuan/household/year")
            np.testing.assert_allclose(r["mean"], np.mean(raw), rtol=1e-9)
        self.assertEqual(s[(s.indicator == "income_per_household") & (s.level == "province")].area.nunique(), 10)
        # selected by its topic
        p = support.in_process("compare", *copies, "--indicators", "test topic", "-q")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Income per household (test)", p.stdout)
        self.assertNotIn("Returns to poverty", p.stdout)

    def test_python_api(self):
        from ruralsim_analysis import load
        df = load.yearly(self.files("baseline")[0])
        raw = self.raw_yearly(self.files("baseline")[0], "income_per_capita", 2021)
        got = df[df.period == "2021"]["income_per_capita"].iloc[0]
        self.assertAlmostEqual(got / raw, 1.0, places=12)
        m = load.monthly(self.files("baseline")[0], "province", ["income", "people"])
        self.assertEqual(len(m), MONTHS * 10)
        e = load.ensemble_yearly(self.tmp / "no_tilt")
        self.assertEqual(sorted(e.replicate.unique()), list(range(REPLICATES)))


if __name__ == "__main__":
    unittest.main()
