"""Sensitivity indices of a sweep: Sobol (Saltelli design) or Morris (trajectories).

``ruralsim sensitivity DIR [--indicator NAME ...] [--year YEAR]`` reads the sweep's index
(DIR/sweep.h5, see :mod:`ruralsim_analysis.sweep`), takes each point's response as the
mean of the indicator over the point's complete replicates, and computes

- for a ``sobol`` design (points A, B and AB_i of Saltelli's scheme, recorded in the index
  as blocks with their rows): first-order indices S1 by the estimator of Saltelli et al.
  (2010), ``V_i = mean(f(B) * (f(AB_i) - f(A)))``, and total indices ST by Jansen's
  estimator, ``VT_i = mean((f(A) - f(AB_i))^2) / 2``, both divided by the variance of
  f over A and B (f centred on its mean over A and B first, which keeps the estimators
  unbiased and makes the first-order one far less noisy for outputs far from zero);
- for a ``morris`` design (trajectories of one-at-a-time steps): the elementary effects
  ``(f(x + delta e_i) - f(x)) / delta`` in unit coordinates (the change of the output over
  the whole range of the parameter), their mean ``mu``, mean absolute value ``mu*``
  (Campolongo et al. 2007) and standard deviation ``sigma``;

with percentile bootstrap confidence intervals (resampling the rows of the Saltelli
matrices, or the Morris trajectories), a table (printed and written as CSV) and a plot
(PNG and SVG) per indicator, in DIR/sensitivity/ unless --out says otherwise.

From Python, :func:`sobol_indices` and :func:`morris_indices` take the point layout and
one response per point, so any function can be analysed on a sweep's design.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np
import pandas as pd

from ruralsim_analysis import errors, outfile
from ruralsim_analysis.errors import AnalysisError
from ruralsim_analysis.sweep import load_sweep_checked, point_table, response


def _interval(samples, confidence, axis=0):
    lo = np.nanquantile(samples, (1 - confidence) / 2, axis=axis)
    hi = np.nanquantile(samples, (1 + confidence) / 2, axis=axis)
    return lo, hi


def _saltelli_blocks(points: pd.DataFrame, y, d: int):
    """f(A), f(B) as [N] and f(AB_i) as [d, N], from the layout columns block/sample/factor."""
    pts = pd.DataFrame({"block": np.asarray(points["block"]), "sample": np.asarray(points["sample"], dtype=np.int64),
                        "factor": np.asarray(points["factor"], dtype=np.int64), "y": np.asarray(y, dtype=float)})
    a = pts[pts["block"] == "A"].set_index("sample")["y"]
    b = pts[pts["block"] == "B"].set_index("sample")["y"]
    if a.empty or b.empty:
        raise ValueError("not a Saltelli design: the points have no A and B blocks (use design type sobol)")
    n = int(max(a.index.max(), b.index.max())) + 1
    rows = np.arange(n)
    f_a = a.reindex(rows).to_numpy()
    f_b = b.reindex(rows).to_numpy()
    f_ab = np.vstack([pts[(pts["block"] == "AB") & (pts["factor"] == i)].set_index("sample")["y"].reindex(rows).to_numpy()
                      for i in range(d)])
    return f_a, f_b, f_ab


def _sobol_estimates(f_a, f_b, f_ab):
    """S1 and ST for arrays whose last axis runs over the samples (leading axes: bootstrap).

    The responses are centred on the mean of f(A) and f(B) first: this leaves both
    estimators unbiased but removes the large variance the first-order one has when the
    output's mean is far from zero (as incomes are)."""
    both = np.concatenate([f_a, f_b], axis=-1)
    centre = np.mean(both, axis=-1, keepdims=True)
    f_a, f_b, f_ab = f_a - centre, f_b - centre, f_ab - centre
    variance = np.var(both, axis=-1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        first = np.mean(f_b * (f_ab - f_a), axis=-1) / variance
        total = 0.5 * np.mean((f_a - f_ab) ** 2, axis=-1) / variance
    return first, total, variance


def sobol_indices(points: pd.DataFrame, y, parameters, bootstrap: int = 1000, confidence: float = 0.95,
                  seed: int = 0) -> pd.DataFrame:
    """First-order (S1, Saltelli 2010) and total (ST, Jansen 1999) Sobol indices.

    ``points`` has one row per design point with the layout columns ``block`` (A, B, AB),
    ``sample`` (row of the matrix) and ``factor`` (i of AB_i); ``y`` one response per row.
    Rows j of the matrices with a missing response in A, B or any AB_i are left out.
    Returns one row per parameter: S1, S1_lo, S1_hi, ST, ST_lo, ST_hi (bootstrap
    percentile intervals); attrs: samples (N used), dropped, variance.
    """
    d = len(parameters)
    f_a, f_b, f_ab = _saltelli_blocks(points, y, d)
    ok = np.isfinite(f_a) & np.isfinite(f_b) & np.all(np.isfinite(f_ab), axis=0)
    dropped = int((~ok).sum())
    f_a, f_b, f_ab = f_a[ok], f_b[ok], f_ab[:, ok]
    n = f_a.size
    if n < 2:
        raise ValueError(f"only {n} complete rows of the Saltelli matrices (of {n + dropped}); "
                         "run or collect the sweep's tasks first")
    first, total, variance = _sobol_estimates(f_a, f_b, f_ab)
    result = pd.DataFrame({"parameter": list(parameters), "S1": first, "ST": total})
    if bootstrap > 0:
        rng = np.random.default_rng(seed)
        firsts, totals = [], []
        batch = max(1, min(bootstrap, 2_000_000 // max(1, n * (d + 2))))
        done = 0
        while done < bootstrap:
            k = min(batch, bootstrap - done)
            idx = rng.integers(0, n, size=(k, n))
            s1, st, _ = _sobol_estimates(f_a[idx], f_b[idx], f_ab[:, idx])
            firsts.append(s1)
            totals.append(st)
            done += k
        s1_lo, s1_hi = _interval(np.concatenate(firsts, axis=1), confidence, axis=1)
        st_lo, st_hi = _interval(np.concatenate(totals, axis=1), confidence, axis=1)
    else:
        s1_lo = s1_hi = st_lo = st_hi = np.full(d, np.nan)
    result["S1_lo"], result["S1_hi"], result["ST_lo"], result["ST_hi"] = s1_lo, s1_hi, st_lo, st_hi
    result = result[["parameter", "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi"]]
    result.attrs.update(method="sobol", samples=n, dropped=dropped, variance=float(variance),
                        bootstrap=bootstrap, confidence=confidence)
    return result


def _morris_effects(points: pd.DataFrame, y, d: int):
    pts = pd.DataFrame({"sample": np.asarray(points["sample"], dtype=np.int64),
                        "step": np.asarray(points["step"], dtype=np.int64),
                        "factor": np.asarray(points["factor"], dtype=np.int64),
                        "delta": np.asarray(points["delta"], dtype=float),
                        "y": np.asarray(y, dtype=float)}).sort_values(["sample", "step"])
    effects, dropped = [], 0
    for _, traj in pts.groupby("sample", sort=True):
        if len(traj) != d + 1 or not np.all(np.isfinite(traj["y"].to_numpy())):
            dropped += 1
            continue
        ys = traj["y"].to_numpy()
        ee = np.full(d, np.nan)
        factors = traj["factor"].to_numpy()[1:]
        deltas = traj["delta"].to_numpy()[1:]
        ee[factors] = (ys[1:] - ys[:-1]) / deltas
        effects.append(ee)
    return np.array(effects).reshape(-1, d), dropped


def morris_indices(points: pd.DataFrame, y, parameters, bootstrap: int = 1000, confidence: float = 0.95,
                   seed: int = 0) -> pd.DataFrame:
    """Morris elementary-effect statistics mu, mu* and sigma per parameter.

    ``points`` has the layout columns ``sample`` (trajectory), ``step``, ``factor`` and
    ``delta``; ``y`` one response per row. Trajectories with a missing response are left
    out. Effects are in unit coordinates: the output change per whole range of a parameter.
    """
    d = len(parameters)
    effects, dropped = _morris_effects(points, y, d)
    r = effects.shape[0]
    if r < 2:
        raise ValueError(f"only {r} complete Morris trajectories (of {r + dropped}); run or collect the sweep first")
    mu = effects.mean(axis=0)
    mu_star = np.abs(effects).mean(axis=0)
    sigma = effects.std(axis=0, ddof=1)
    result = pd.DataFrame({"parameter": list(parameters), "mu": mu, "mu_star": mu_star, "sigma": sigma})
    if bootstrap > 0:
        rng = np.random.default_rng(seed)
        idx = rng.integers(0, r, size=(bootstrap, r))
        sampled = effects[idx]  # [B, r, d]
        result["mu_star_lo"], result["mu_star_hi"] = _interval(np.abs(sampled).mean(axis=1), confidence)
        result["sigma_lo"], result["sigma_hi"] = _interval(sampled.std(axis=1, ddof=1), confidence)
    else:
        for c in ("mu_star_lo", "mu_star_hi", "sigma_lo", "sigma_hi"):
            result[c] = np.nan
    result = result[["parameter", "mu", "mu_star", "mu_star_lo", "mu_star_hi", "sigma", "sigma_lo", "sigma_hi"]]
    result.attrs.update(method="morris", trajectories=r, dropped=dropped, bootstrap=bootstrap, confidence=confidence)
    return result


def analyse(df: pd.DataFrame, indicator: str, year=None, bootstrap=1000, confidence=0.95, seed=0) -> pd.DataFrame:
    """Indices of one indicator (whole period, or one year) of a loaded sweep."""
    design = df.attrs["sweep"].get("design")
    column = response(df, indicator, year)
    points = point_table(df, column)
    parameters = df.attrs["parameters"]
    if design == "sobol":
        result = sobol_indices(points, points["y"], parameters, bootstrap, confidence, seed)
    elif design == "morris":
        result = morris_indices(points, points["y"], parameters, bootstrap, confidence, seed)
    else:
        raise ValueError(f"sensitivity indices need a sobol or morris design; this sweep's design is {design}")
    result.attrs.update(indicator=indicator, year=year, unit=df.attrs.get("units", {}).get(indicator, ""),
                        replicates=int(points["replicates"].max()) if len(points) else 0)
    return result


def plot(result: pd.DataFrame, path_prefix: str) -> list[str]:
    """Bar chart of S1 and ST (Sobol), or mu* bars and a mu*-sigma map (Morris), as PNG and SVG."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    a = result.attrs
    what = a.get("indicator", "output") + (f" ({a['year']})" if a.get("year") is not None else " (whole period)")
    labels = list(result["parameter"])
    pos = np.arange(len(labels))
    level = int(round(100 * a.get("confidence", 0.95)))
    if a.get("method") == "sobol":
        fig, ax = plt.subplots(figsize=(7, 0.6 * len(labels) + 1.8))
        h = 0.38
        for offset, col, name in ((-h / 2, "S1", "first order S1"), (h / 2, "ST", "total ST")):
            err = np.vstack([result[col] - result[col + "_lo"], result[col + "_hi"] - result[col]])
            ax.barh(pos + offset, result[col], height=h, label=name,
                    xerr=None if np.all(np.isnan(err)) else np.clip(err, 0, None), capsize=3)
        ax.set_yticks(pos, labels)
        ax.invert_yaxis()
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel(f"Sobol index (bars: {level} % bootstrap intervals)")
        ax.set_title(f"Sobol indices of {what}\nSaltelli design, N = {a.get('samples')}")
        ax.legend(loc="lower right")
    else:
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 0.5 * len(labels) + 2.5))
        err = np.vstack([result["mu_star"] - result["mu_star_lo"], result["mu_star_hi"] - result["mu_star"]])
        left.barh(pos, result["mu_star"], xerr=None if np.all(np.isnan(err)) else np.clip(err, 0, None), capsize=3)
        left.set_yticks(pos, labels)
        left.invert_yaxis()
        unit = a.get("unit") or "output units"
        left.set_xlabel(f"mu* ({unit} per full range; {level} % intervals)")
        left.set_title("Mean absolute elementary effect")
        right.scatter(result["mu_star"], result["sigma"])
        for x, y, name in zip(result["mu_star"], result["sigma"], labels):
            right.annotate(name, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8)
        right.set_xlabel("mu*")
        right.set_ylabel("sigma")
        right.set_title("Interaction or nonlinearity (sigma) against influence (mu*)", fontsize=10)
        right.margins(0.25)
        fig.suptitle(f"Morris screening of {what}, {a.get('trajectories')} trajectories")
    fig.tight_layout()
    paths = []
    try:
        for ext in ("png", "svg"):
            path = f"{path_prefix}.{ext}"
            outfile.save_figure(fig, path, dpi=150)
            paths.append(path)
    finally:
        plt.close(fig)
    return paths


def _print(result: pd.DataFrame):
    a = result.attrs
    what = a["indicator"] + (f" in {a['year']}" if a.get("year") is not None else " over the whole period")
    level = int(round(100 * a["confidence"]))
    if a["method"] == "sobol":
        print(f"\nSobol indices of {what} (N = {a['samples']} rows of the Saltelli matrices"
              + (f", {a['dropped']} left out for missing tasks" if a["dropped"] else "")
              + f", mean of {a['replicates']} replicate(s) per point; {level} % bootstrap intervals)")
        print(f"  {'parameter':<36} {'S1':>8} {'interval':>19} {'ST':>8} {'interval':>19}")
        for _, r in result.iterrows():
            print(f"  {r['parameter']:<36} {r['S1']:8.4f} [{r['S1_lo']:8.4f}, {r['S1_hi']:8.4f}]"
                  f" {r['ST']:8.4f} [{r['ST_lo']:8.4f}, {r['ST_hi']:8.4f}]")
    else:
        print(f"\nMorris elementary effects of {what} ({a['trajectories']} trajectories"
              + (f", {a['dropped']} left out for missing tasks" if a["dropped"] else "")
              + f", mean of {a['replicates']} replicate(s) per point; effects per full range; {level} % intervals)")
        print(f"  {'parameter':<36} {'mu':>11} {'mu*':>11} {'interval':>25} {'sigma':>11}")
        for _, r in result.iterrows():
            print(f"  {r['parameter']:<36} {r['mu']:11.4g} {r['mu_star']:11.4g} [{r['mu_star_lo']:11.4g}, "
                  f"{r['mu_star_hi']:11.4g}] {r['sigma']:11.4g}")


def main(argv) -> int:
    """Sobol or Morris sensitivity indices of a sweep, with bootstrap intervals and a plot."""
    parser = argparse.ArgumentParser(
        prog="ruralsim sensitivity",
        description="Sobol indices (sobol design) or Morris mu*/sigma (morris design) of a sweep's indicators, "
                    "with bootstrap confidence intervals, a CSV table and a PNG/SVG plot per indicator.")
    parser.add_argument("dir", help="sweep folder (with sweep.h5, written by `ruralsim sweep run` or `sweep collect`)")
    parser.add_argument("--indicator", action="append", default=[],
                        help="indicator to analyse (repeatable; default: the sweep file's outputs)")
    parser.add_argument("--year", type=int, help="analyse this year's value (default: the whole-period value)")
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap resamples (default 1000; 0: none)")
    parser.add_argument("--confidence", type=float, default=0.95, help="confidence level of the intervals (default 0.95)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    parser.add_argument("--out", help="folder for tables and plots (default DIR/sensitivity)")
    parser.add_argument("--no-plot", action="store_true", help="tables only")
    args = parser.parse_args(argv)
    if not 0 < args.confidence < 1:
        parser.error("--confidence must lie between 0 and 1")
    return errors.run_command("ruralsim sensitivity", lambda: _run(args))


def _run(args) -> int:
    df = load_sweep_checked(args.dir)
    indicators = args.indicator
    if not indicators:
        if not df.attrs["sweep"].get("outputs_requested"):
            raise AnalysisError("the sweep collected every indicator; choose with --indicator "
                                f"(e.g. {', '.join(df.attrs['indicators'][:4])})", errors.USAGE)
        indicators = df.attrs["indicators"]
    for indicator in indicators:   # an unknown indicator or year: a usage error, before any work
        try:
            response(df, indicator, args.year)
        except KeyError as e:
            raise AnalysisError(str(e.args[0] if e.args else e), errors.USAGE) from None
    out = args.out or os.path.join(df.attrs["directory"], "sensitivity")
    status = df["status"].value_counts().to_dict()
    print(f"sweep {df.attrs['sweep'].get('sweep_file', args.dir)}: {df.attrs['sweep'].get('design')} design, "
          f"{len(df)} tasks (" + ", ".join(f"{v} {k}" for k, v in status.items()) + ")")
    for indicator in indicators:
        try:
            result = analyse(df, indicator, args.year, args.bootstrap, args.confidence, args.seed)
        except (KeyError, ValueError) as e:   # a design without indices, too few complete tasks
            raise AnalysisError(str(e.args[0] if e.args else e), errors.INVALID_INPUT) from None
        _print(result)
        stem = os.path.join(out, indicator + (f"_{args.year}" if args.year is not None else ""))
        with outfile.replacing(stem + ".csv", newline="") as f:
            result.to_csv(f, index=False)
        written = [stem + ".csv"]
        if not args.no_plot:
            written += plot(result, stem)
        print("  wrote " + ", ".join(written))
    return errors.OK

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
