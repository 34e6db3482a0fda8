"""Statistics over replicates: means with t-intervals, paired and unpaired differences, ratios.

All functions work row by row on arrays of shape [rows, replicates]; NaN marks a
replicate without a value in that row (for example mean months to exit in a year
without exits) and is left out of that row only.
"""

from __future__ import annotations

import numpy as np

try:  # scipy.special is much quicker to import than scipy.stats
    from scipy import special as _scipy_special
except ImportError:  # pragma: no cover - setup.sh installs python3-scipy
    _scipy_special = None

CONFIDENCE = 0.95

# Two-sided 97.5 % quantiles of Student's t for df 1..30, used without scipy.
_T975 = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010, 2.1788,
         2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687, 2.0639,
         2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423]


def t_quantile(df, confidence=CONFIDENCE):
    """The two-sided critical value of Student's t; NaN for df < 1 (array or scalar)."""
    df = np.asarray(df, dtype=float)
    out = np.full(df.shape, np.nan)
    ok = np.isfinite(df) & (df >= 1)
    if _scipy_special is not None:
        distinct, where = np.unique(df[ok], return_inverse=True)  # usually a handful of replicate counts
        out[ok] = _scipy_special.stdtrit(distinct, 0.5 + confidence / 2)[where] if len(distinct) else []
    else:
        if abs(confidence - 0.95) > 1e-12:
            raise RuntimeError("t quantiles other than 95 % need scipy (python3-scipy)")
        d = df[ok]
        table = np.array(_T975)
        small = np.clip(np.floor(d).astype(int), 1, 30) - 1
        # beyond 30: the normal quantile with two Cornish-Fisher terms (error < 1e-4)
        z = 1.959964
        large = z + (z ** 3 + z) / (4 * d) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * d * d)
        out[ok] = np.where(d <= 30, table[small], large)
    return out if out.shape else float(out)


def summarize(values, confidence=CONFIDENCE):
    """Row-wise n, mean, sd and t-interval of values [rows, replicates].

    Returns a dict of arrays: n, mean, sd, se, half (half-width), low, high. With one
    replicate the mean is given and the spread is NaN.
    """
    v = np.asarray(values, dtype=float)
    if v.ndim == 1:
        v = v[:, None]
    finite = np.isfinite(v)
    n = finite.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(finite, v, 0.0).sum(axis=1)
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
        dev = np.where(finite, v - mean[:, None], 0.0)
        var = np.where(n > 1, (dev ** 2).sum(axis=1) / np.maximum(n - 1, 1), np.nan)
        sd = np.sqrt(var)
        se = sd / np.sqrt(n)
        half = t_quantile(n - 1, confidence) * se
    return {"n": n, "mean": mean, "sd": sd, "se": se, "half": half, "low": mean - half, "high": mean + half}


def paired(a, b, confidence=CONFIDENCE):
    """Row-wise summary of a - b, replicate by replicate (columns already matched)."""
    return summarize(np.asarray(a, dtype=float) - np.asarray(b, dtype=float), confidence)


def welch(a, b, confidence=CONFIDENCE):
    """Row-wise difference of means a - b treating the samples as independent (Welch)."""
    sa, sb = summarize(a, confidence), summarize(b, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        va, vb = sa["se"] ** 2, sb["se"] ** 2
        se = np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va ** 2 / (sa["n"] - 1) + vb ** 2 / (sb["n"] - 1))
        df = np.where((va + vb) == 0, sa["n"] + sb["n"] - 2, df)
        half = t_quantile(df, confidence) * se
    diff = sa["mean"] - sb["mean"]
    return {"mean": diff, "se": se, "df": df, "half": half, "low": diff - half, "high": diff + half}


def paired_p_value(a, b):
    """Two-sided p-value of the paired t-test, row-wise (NaN where undefined)."""
    s = paired(a, b)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = s["mean"] / s["se"]
    p = np.full(t.shape, np.nan)
    ok = np.isfinite(t) & (s["n"] > 1)
    if _scipy_special is not None:
        p[ok] = 2 * _scipy_special.stdtr(s["n"][ok] - 1, -np.abs(t[ok]))
    exact_zero = (s["n"] > 1) & (s["sd"] == 0)
    p[exact_zero & (s["mean"] == 0)] = 1.0
    p[exact_zero & (s["mean"] != 0)] = 0.0
    return p


def fieller(num, den, confidence=CONFIDENCE):
    """Ratio of means mean(num)/mean(den) with Fieller's interval, from paired samples.

    num, den: 1-D arrays over replicates (NaN pairs dropped). Returns dict with ratio,
    low, high and kind: 'bounded' (an interval), 'unbounded' (the denominator's interval
    includes zero: no finite interval exists), or 'undefined' (fewer than two replicates
    or a zero mean denominator).
    """
    a = np.asarray(num, dtype=float)
    b = np.asarray(den, dtype=float)
    keep = np.isfinite(a) & np.isfinite(b)
    a, b = a[keep], b[keep]
    n = len(a)
    out = {"ratio": np.nan, "low": np.nan, "high": np.nan, "kind": "undefined", "n": n}
    if n == 0:
        return out
    ma, mb = a.mean(), b.mean()
    if mb != 0:
        out["ratio"] = ma / mb
    if n < 2 or mb == 0:
        return out
    vaa = a.var(ddof=1) / n
    vbb = b.var(ddof=1) / n
    vab = np.cov(a, b, ddof=1)[0, 1] / n
    t2 = float(t_quantile(n - 1, confidence)) ** 2
    qa = mb * mb - t2 * vbb
    qb = ma * mb - t2 * vab
    qc = ma * ma - t2 * vaa
    if qa <= 0:
        out["kind"] = "unbounded"
        return out
    disc = qb * qb - qa * qc
    root = np.sqrt(max(disc, 0.0))
    out["low"], out["high"] = (qb - root) / qa, (qb + root) / qa
    out["kind"] = "bounded"
    return out
