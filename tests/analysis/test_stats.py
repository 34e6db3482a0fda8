"""Unit tests of the statistics, the indicator catalogue and its evaluator (no program needed)."""

import copy
import unittest
from types import SimpleNamespace

import numpy as np

import support  # noqa: F401  (puts analysis/ on sys.path)
from ruralsim_analysis import indicators as ind
from ruralsim_analysis import stats
from ruralsim_analysis.errors import AnalysisError


class Stats(unittest.TestCase):
    def test_summarize_matches_textbook(self):
        x = np.array([[1.0, 2.0, 4.0, 7.0], [3.0, 3.0, 3.0, 3.0], [1.0, np.nan, 3.0, np.nan]])
        s = stats.summarize(x)
        self.assertEqual(list(s["n"]), [4, 4, 2])
        self.assertAlmostEqual(s["mean"][0], 3.5)
        self.assertAlmostEqual(s["sd"][0], np.std(x[0], ddof=1))
        self.assertAlmostEqual(s["half"][0], 3.182446305284263 * np.std(x[0], ddof=1) / 2)
        self.assertEqual(s["half"][1], 0.0)
        self.assertAlmostEqual(s["half"][2], 12.706204736174698 * np.sqrt(2) / np.sqrt(2))
        one = stats.summarize(np.array([[5.0]]))
        self.assertEqual(one["mean"][0], 5.0)
        self.assertTrue(np.isnan(one["half"][0]))

    def test_t_quantile(self):
        self.assertAlmostEqual(float(stats.t_quantile(4)), 2.7764451, places=5)
        self.assertTrue(np.isnan(stats.t_quantile(0)))
        saved = stats._scipy_special
        try:
            stats._scipy_special = None   # the table used where scipy is missing
            self.assertAlmostEqual(float(stats.t_quantile(4)), 2.7764, places=4)
            self.assertAlmostEqual(float(stats.t_quantile(60)), 2.0003, places=3)
        finally:
            stats._scipy_special = saved

    def test_paired_beats_welch_with_common_noise(self):
        rng = np.random.default_rng(1)
        common = rng.normal(0, 10, size=(1, 8))
        a = 100 + common + rng.normal(0, 1, size=(1, 8)) + 2
        b = 100 + common + rng.normal(0, 1, size=(1, 8))
        p, w = stats.paired(a, b), stats.welch(a, b)
        self.assertAlmostEqual(p["mean"][0], w["mean"][0])
        self.assertLess(p["half"][0], w["half"][0] / 3)

    def test_fieller(self):
        cost = np.array([10.0, 12.0, 11.0, 9.0, 10.5])
        effect = np.array([2.0, 2.2, 1.9, 2.1, 2.0])
        r = stats.fieller(cost, effect)
        self.assertEqual(r["kind"], "bounded")
        self.assertAlmostEqual(r["ratio"], cost.mean() / effect.mean())
        self.assertLess(r["low"], r["ratio"])
        self.assertGreater(r["high"], r["ratio"])
        noisy = stats.fieller(cost, np.array([1.0, -1.0, 0.5, -0.7, 0.3]))
        self.assertEqual(noisy["kind"], "unbounded")
        self.assertEqual(stats.fieller(cost, np.zeros(5))["kind"], "undefined")

    def test_weighted_gini(self):
        self.assertAlmostEqual(ind.weighted_gini([1, 1, 1], [1, 2, 3]), 0.0)
        # two people, one with everything: (n-1)/n with the model's formula for equal weights
        self.assertAlmostEqual(ind.weighted_gini([0, 10], [1, 1]), 0.5)
        self.assertAlmostEqual(ind.weighted_gini([1, 2, 3, 4], [1, 1, 1, 1]),
                               ind.weighted_gini([1, 2, 3, 4, 1, 2, 3, 4], [0.5] * 8))

    def test_format(self):
        self.assertEqual(ind.format_value(1896.2, "int", half=71.6), "1,896 ± 72")
        self.assertEqual(ind.format_value(0.0768, "pct", half=0.0031), "7.68% ± 0.31%")
        self.assertEqual(ind.format_value(545.0, "int", signed=True), "+545")
        self.assertEqual(ind.format_value(1.733e9, "int", half=4e5), "1,733.00M ± 0.40M")
        self.assertEqual(ind.format_value(float("nan"), "int"), "-")

    def test_format_rule_for_noise_zero_and_intervals(self):
        """The rule of indicators.format_value: floating-point noise (below 1e-9 of the levels
        compared) is 0; a zero-width interval is not printed; zero has no sign; the half-width
        always shows two significant digits, the value the same decimals."""
        f = ind.format_value
        # a zero-width interval next to a large value: no "± 0M"
        self.assertEqual(f(1.048e9, "int", half=0.0), "1,048M")
        self.assertEqual(f(1.048e9, "int", half=1e-7), "1,048M")          # noise of identical replicates
        self.assertEqual(f(768.0, "int", half=0.0), "768")
        self.assertEqual(f(-9.6e7, "int", signed=True, half=0.0, diff=True, scale=1.06e8), "-96.0M")
        # a small but real half-width keeps two significant digits
        self.assertEqual(f(1.0483e9, "int", half=2.0e4), "1,048.300M ± 0.020M")
        self.assertEqual(f(-1e-6, "ratio", signed=True, half=3e-6, diff=True, scale=0.35), "-0.0000010 ± 0.0000030")
        # differences that are noise against their levels print as 0, without sign or decimals
        self.assertEqual(f(3e-17, "ratio", signed=True, half=1e-16, diff=True, scale=0.36), "0")
        self.assertEqual(f(2e-7, "int", signed=True, half=4e-7, diff=True, scale=4.01e8), "0")
        self.assertEqual(f(-1e-12, "months", signed=True, half=2e-12, diff=True, scale=8.1), "0")
        self.assertEqual(f(0.0, "int", signed=True, half=0.0, diff=True, scale=697), "0")
        # a value that rounds to zero at its decimals has no sign
        self.assertEqual(f(-0.0004, "int", signed=True, half=2.5, diff=True, scale=697), "0 ± 2.5")
        for text in (f(v, fmt, signed=True, half=h, diff=True, scale=s) for v, fmt, h, s in
                     [(1e-9, "ratio", 1e-9, 0.3), (-2e-8, "pct", 3e-8, 0.03), (5e-5, "num", 1e-4, 3e4)]):
            shown = text.split(" ")[0].rstrip("%M").replace(",", "")
            self.assertTrue(shown[:1] not in "+-" or float(shown) != 0, f"a signed zero: {text}")

    def test_differences_of_shares_are_in_percentage_points(self):
        f = ind.format_value
        self.assertEqual(f(0.0283, "pct", half=0.0018), "2.83% ± 0.18%")                    # a level: %
        self.assertEqual(f(0.00192, "pct", signed=True, half=0.00022, diff=True, scale=0.093), "+0.192 ± 0.022 pp")
        self.assertEqual(f(-0.0017, "pct", signed=True, diff=True, scale=0.5), "-0.17 pp")
        self.assertEqual(f(0.0, "pct", signed=True, half=0.0, diff=True, scale=0.17), "0")



def indicator(name, yearly, unit="1", source="set", formula="", combine="sum", set_at="county", topic="", label="",
              fmt="", better=0, key=False, recorded=True, yearly_unit=None, weight=""):
    return {"name": name, "unit": unit, "yearly_unit": yearly_unit or unit, "yearly": yearly, "description": name,
            "source": source, "set_at": set_at if source == "set" else "", "rule": "", "formula": formula,
            "combine": combine, "weight": weight, "year_end_only": False, "hand_tuned": False, "recorded": recorded,
            "label": label, "topic": topic, "format": fmt, "better": better, "key": key, "summary": False}


def description():
    """A small model description in the form `ruralsim describe --format json` prints."""
    return {
        "format": "ruralsim-model-description", "format_version": 1, "name": "toy", "version": "1.0",
        "tables": [{"kind": "district", "plural": "districts", "columns": [], "predicates": []}],
        "levels": [{"name": "total", "table": "", "label": "all districts", "single_precision": False},
                   {"name": "district", "table": "district", "label": "", "single_precision": False}],
        "indicators": [
            indicator("people", "last", "persons", source="reduction", topic="population", label="Residents",
                      fmt="int"),
            indicator("income", "sum", "yuan/month", yearly_unit="yuan/year"),
            indicator("returns", "sum", "households", topic="poverty", label="Returns", fmt="int", better=-1,
                      key=True),
            indicator("price", "mean", combine="weighted_mean", weight="people"),
            indicator("gini", "last", combine="none", topic="inequality", label="Gini", fmt="ratio"),
            indicator("between", "last", combine="none", set_at="total", topic="inequality", label="Between",
                      fmt="ratio", formula="members_gini(12 * (sum(income) / sum(people)), last(people))"),
            indicator("ipc", "derived", "yuan/person/year", source="formula",
                      formula="12 * (sum(income) / sum(people))", topic="income", label="Income per capita",
                      fmt="money", better=1, key=True),
            indicator("income_total", "derived", "yuan/year", source="formula", formula="sum(income)", recorded=False,
                      topic="income", label="Income", fmt="int"),
            indicator("growth_ipc", "derived", "1/year", source="formula", formula="growth(ipc)", recorded=False,
                      topic="income", label="Growth", fmt="pct"),
            indicator("return_rate", "derived", source="formula", formula="sum(returns) / last(people)",
                      recorded=False, topic="poverty", label="Return rate", fmt="pct"),
            indicator("within", "derived", source="formula", formula="members_mean(last(gini), last(people))",
                      recorded=False, topic="inequality", label="Within", fmt="ratio"),
            indicator("mixed", "derived", "persons", source="formula",
                      formula="-last(people) + 2 * last(people) - (3 - 1) * 0.5 * last(people)", recorded=False),
        ],
        "analysis": {"package": "ruralsim_analysis", "level": "district", "groupings": ["region"],
                     "topics": ["poverty", "income"], "cost": "income_total",
                     "cost_effectiveness": [{"name": "per_return", "label": "yuan per return avoided",
                                             "outcome": "returns", "direction": -1, "definition": "returns avoided"}],
                     "area_plots": ["return_rate"], "stack_title": "Income", "stack": [
                         {"label": "All income", "indicators": ["ipc"]}]},
    }


class Catalogue(unittest.TestCase):
    def setUp(self):
        self.cat = ind.Catalog(description(), "toy.h5")

    def test_built_from_the_description(self):
        cat = self.cat
        self.assertEqual(cat.levels, ("total", "region", "district"))
        self.assertEqual(cat.total_label, "all districts")
        self.assertEqual(cat.plural, "districts")
        # topics in the order of analysis.topics, then the others in declaration order
        self.assertEqual(cat.groups, ["poverty", "income", "population", "inequality"])
        self.assertEqual([i.name for i in cat.indicators],
                         ["returns", "return_rate", "ipc", "income_total", "growth_ipc", "people", "gini", "between",
                          "within"])
        self.assertEqual(cat.key, ["returns", "ipc"])
        self.assertIn("mixed", cat.by_name)          # no topic: selectable, not shown by default
        self.assertEqual(cat.by_name["ipc"].label, "Income per capita")
        self.assertEqual(cat.by_name["income"].label, "income")  # no label: the name
        self.assertEqual([(m.name, m.outcome, m.direction) for m in cat.cost_effectiveness],
                         [("per_return", "returns", -1)])
        self.assertEqual(cat.cost, "income_total")
        self.assertEqual(cat.stack, [("All income", ("ipc",))])
        self.assertEqual(cat.area_plots, ["return_rate"])

    def test_units(self):
        u = {n: i.unit for n, i in self.cat.by_name.items()}
        self.assertEqual((u["return_rate"], u["gini"], u["growth_ipc"], u["income"], u["price"]),
                         ("share", "ratio", "per year", "yuan/year", "1"))

    def test_extensive(self):
        ext = {n for n in self.cat.by_name if self.cat.extensive(n)}
        self.assertEqual(ext, {"people", "income", "returns", "income_total", "mixed"})

    def test_levels(self):
        lv = {n: i.levels for n, i in self.cat.by_name.items()}
        every = ("total", "region", "district")
        self.assertEqual(lv["income"], every)
        self.assertEqual(lv["ipc"], every)
        self.assertEqual(lv["growth_ipc"], every)
        self.assertEqual(lv["gini"], ("total", "district"))       # recorded, no formula
        self.assertEqual(lv["price"], ("total", "district"))
        self.assertEqual(lv["between"], ("total", "region"))      # recorded at total; members need members
        self.assertEqual(lv["within"], ("total", "region"))

    def test_select(self):
        cat = self.cat
        self.assertEqual(cat.select(None), [i.name for i in cat.indicators])
        self.assertEqual(cat.select(["income"]), ["ipc", "income_total", "growth_ipc"])   # the topic wins
        self.assertEqual(cat.select(["indicator:income"]), ["income"])
        self.assertEqual(cat.select(["return_rate,gini", "key"]), ["return_rate", "gini", "returns", "ipc"])
        self.assertEqual(cat.select(["mixed"]), ["mixed"])
        with self.assertRaisesRegex(ValueError, "unknown indicator 'retrns'; did you mean returns"):
            cat.select(["retrns"])

    def test_formulas_outside_the_language_are_refused(self):
        bad = {
            "income ** 2": "operators are",
            "sum(income) > 0": "is not part of it",
            "max(sum(income))": "unknown function max()",
            "sum(income) and 1": "is not part of it",
            "income": "'income' must be inside sum(), last() or growth()",
            "sum(ipc)": "needs an indicator with values of its own",
            "sum(nothing)": "names no declared indicator",
            "sum(income, people)": "takes the name of one indicator",
            "sum(x=income)": "takes no keyword arguments",
            "members_mean(members_gini(last(gini), last(people)), last(people))": "members_*() inside members_*()",
            "members_mean(growth(ipc), last(people))": "growth() inside members_*()",
            "__import__('os').system('true')": "unknown function",
            "'text'": "is not a number",
            "sum(income) +": "does not parse",
            "1 if 1 else 2": "is not part of it",
        }
        for formula, why in bad.items():
            d = description()
            d["indicators"].append(indicator("bad", "derived", source="formula", formula=formula, recorded=False,
                                             topic="income", label="Bad"))
            with self.subTest(formula=formula), self.assertRaises(AnalysisError) as e:
                ind.Catalog(d, "toy.h5")
            msg = str(e.exception)
            self.assertIn("toy.h5: model description: indicator 'bad'", msg)
            self.assertIn("outside the formula language", msg)
            self.assertIn(why, msg)

    def test_other_description_errors(self):
        for edit, why in ((lambda d: d["analysis"].update(cost="spending"), "analysis cost 'spending'"),
                          (lambda d: d["analysis"]["stack"][0]["indicators"].append("x"), "analysis stack 'x'"),
                          (lambda d: d["analysis"].update(level="village"), "analysis level 'village'"),
                          (lambda d: d.pop("indicators"), "declares no indicators")):
            d = description()
            edit(d)
            with self.subTest(why=why), self.assertRaisesRegex(AnalysisError, why):
                ind.Catalog(d, "toy.h5")
        with self.assertRaisesRegex(AnalysisError, "toy.h5: model description is not valid JSON"):
            ind.Catalog.from_json("{", "toy.h5")


class Evaluation(unittest.TestCase):
    """The evaluator against values computed here by hand, on three districts in two regions
    over 2021-2022."""

    @classmethod
    def setUpClass(cls):
        cls.cat = ind.Catalog(copy.deepcopy(description()), "toy.h5")
        rng = np.random.default_rng(5)
        t, c = 24, 3
        cls.years = np.repeat([2021, 2022], 12)
        county = {
            "people": rng.integers(50, 100, size=(t, c)).astype(float),
            "income": rng.uniform(100, 200, size=(t, c)),
            "returns": rng.integers(0, 4, size=(t, c)).astype(float),
            "price": rng.uniform(0.9, 1.1, size=(t, c)),
            "gini": rng.uniform(0.2, 0.4, size=(t, c)),
        }
        county["income"][:12, 2] *= 0.5     # district 2 grows fast
        total = {"people": county["people"].sum(axis=1), "income": county["income"].sum(axis=1),
                 "returns": county["returns"].sum(axis=1), "price": rng.uniform(0.9, 1.1, size=t),
                 "gini": rng.uniform(0.2, 0.4, size=t), "between": rng.uniform(0.0, 0.1, size=t)}
        cls.data = SimpleNamespace(county=county, total=total, year_of_row=cls.years)
        cls.m = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])   # districts 0, 1 in region 0; 2 in region 1

    def evaluator(self, kind):
        m = {"total": np.ones((3, 1)), "group": self.m, "county": None}[kind]
        return ind.Evaluator(self.cat, self.data, kind, m)

    def test_rules_and_formulas(self):
        d = self.data.county
        for kind, m in (("total", np.ones((3, 1))), ("group", self.m), ("county", np.eye(3))):
            ev = self.evaluator(kind)
            for year, rows in ((2021, slice(0, 12)), (2022, slice(12, 24)), (None, slice(0, 24))):
                w = ev.window(year) if year else ev.window(None, [2021, 2022])
                last = 11 if year == 2021 else 23
                S = {k: v[rows].sum(axis=0) @ m for k, v in d.items()}
                L = {k: v[last] @ m for k, v in d.items()}
                with self.subTest(kind=kind, year=year):
                    np.testing.assert_allclose(ev.value("people", w), L["people"], rtol=1e-12)
                    np.testing.assert_allclose(ev.value("income", w), S["income"], rtol=1e-12)
                    np.testing.assert_allclose(ev.value("ipc", w), 12 * S["income"] / S["people"], rtol=1e-12)
                    np.testing.assert_allclose(ev.value("return_rate", w), S["returns"] / L["people"], rtol=1e-12)
                    np.testing.assert_allclose(ev.value("mixed", w), 0.0 * L["people"], atol=1e-9)
                    if kind == "county":
                        np.testing.assert_allclose(ev.value("gini", w), d["gini"][last], rtol=1e-12)
                        np.testing.assert_allclose(ev.value("price", w), d["price"][rows].mean(axis=0), rtol=1e-12)
                        self.assertTrue(np.isnan(ev.value("between", w)).all())
                        self.assertTrue(np.isnan(ev.value("within", w)).all())
                    if kind == "total":
                        t = self.data.total
                        np.testing.assert_allclose(ev.value("gini", w), [t["gini"][last]], rtol=1e-12)
                        np.testing.assert_allclose(ev.value("between", w), [t["between"][last]], rtol=1e-12)
                        np.testing.assert_allclose(ev.value("price", w), [t["price"][rows].mean()], rtol=1e-12)
                    if kind == "group":
                        self.assertTrue(np.isnan(ev.value("gini", w)).all())   # no values of its own here
                        g, p = d["gini"][last], d["people"][last]
                        np.testing.assert_allclose(ev.value("within", w),
                                                   [(g[0] * p[0] + g[1] * p[1]) / (p[0] + p[1]), g[2]], rtol=1e-12)
                        ipc = 12 * d["income"][rows].sum(axis=0) / d["people"][rows].sum(axis=0)
                        np.testing.assert_allclose(ev.value("between", w),
                                                   [ind.weighted_gini(ipc[:2], p[:2]), 0.0], rtol=1e-12, atol=0)

    def test_growth(self):
        for kind in ("total", "group", "county"):
            ev = self.evaluator(kind)
            a = ev.value("ipc", ev.window(2021))
            b = ev.value("ipc", ev.window(2022))
            with self.subTest(kind=kind):
                self.assertTrue(np.isnan(ev.value("growth_ipc", ev.window(2021))).all())   # no 2020 in the run
                np.testing.assert_allclose(ev.value("growth_ipc", ev.window(2022)), b / a - 1, rtol=1e-12)
                # the whole period: annualised from the first to the last year (here: one step)
                np.testing.assert_allclose(ev.value("growth_ipc", ev.window(None, [2021, 2022])), b / a - 1,
                                           rtol=1e-12)
        ev = self.evaluator("total")
        self.assertTrue(np.isnan(ev.value("growth_ipc", ev.window(None, [2022]))).all())

    def test_ratio_needs_a_positive_denominator(self):
        np.testing.assert_array_equal(np.isnan(ind.ratio([1.0, 1.0, 1.0, 1.0], [2.0, 0.0, -1.0, np.nan])),
                                      [False, True, True, True])
        data = copy.deepcopy(self.data)
        data.county["people"][:12, 0] = 0.0
        ev = ind.Evaluator(self.cat, data, "county", None)
        v = ev.value("ipc", ev.window(2021))
        self.assertTrue(np.isnan(v[0]))
        self.assertTrue(np.isfinite(v[1:]).all())


if __name__ == "__main__":
    unittest.main()
