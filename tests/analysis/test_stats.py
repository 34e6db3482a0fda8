"""Unit tests of the statistics and the indicator helpers (no program needed)."""

import unittest

import numpy as np

import support  # noqa: F401  (puts analysis/ on sys.path)
from ruralsim_analysis import indicators as ind
from ruralsim_analysis import stats


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

    def test_select(self):
        self.assertIn("income_per_capita", ind.select(["income"]))
        self.assertEqual(ind.select(["return_rate,gini"]), ["return_rate", "gini"])
        with self.assertRaises(ValueError):
            ind.select(["nonsense"])


if __name__ == "__main__":
    unittest.main()
