"""Compare scenario ensembles: means with 95 % t-intervals, paired differences, cost-effectiveness.

``ruralsim compare A B [C...] [--baseline A] [-o OUTDIR]`` reads ensembles (a folder with
ensemble.json, or the file) or single .h5 runs, prints the whole-period table of the
total level on the terminal, and writes summary.csv, differences.csv,
cost_effectiveness.csv, runs.csv, comparison.md and plots/ to OUTDIR.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import indicators as ind
from . import load
from . import stats
from . import tables
from .load import AnalysisError

DEFAULT_LEVELS = ("total", "province", "prefecture")

# Cost-effectiveness against the baseline over the whole period, per replicate pair:
# cost = spending(S) - spending(B); effect as below; ratio = mean(cost) / mean(effect).
CE_MEASURES = (
    ("per_return_avoided", "yuan per return to poverty avoided", "returns_to_poverty", -1,
     "returns to poverty avoided: returns_to_poverty(B) - returns_to_poverty(S), summed over the period"),
    ("per_local_job", "yuan per local job created", "local_employment", +1,
     "local jobs created: local_employment(S) - local_employment(B) in the last December"),
    ("per_income_yuan", "yuan per yuan of income gained", "income_total", +1,
     "income gained: income_total(S) - income_total(B), all households' income over the period"),
)


@dataclass
class Comparison:
    inputs: load.Inputs
    baseline: str
    levels: list
    indicators: list            # selected names, in catalogue order
    years: list
    period: str                 # label of the whole period, e.g. "2021-2025"
    index: pd.DataFrame         # level, area, indicator, period for the value rows
    values: dict                # label -> array [rows, replicates]
    replicates: dict            # label -> replicate indices (columns of values)
    summary: pd.DataFrame = None
    differences: pd.DataFrame = None
    cost_effectiveness: pd.DataFrame = None
    warnings: list = field(default_factory=list)
    scale_up: bool = False

    @property
    def labels(self):
        return [g.label for g in self.inputs.groups]

    @property
    def others(self):
        return [x for x in self.labels if x != self.baseline]

    def periods(self):
        return [str(y) for y in self.years] + ([self.period] if len(self.years) > 1 else [])

    def row(self, level, area, indicator, period):
        """The value row of one cell (an int), or None."""
        if not hasattr(self, "_row_of"):
            self._row_of = {k: i for i, k in enumerate(self.index.itertuples(index=False, name=None))}
        return self._row_of.get((level, area, indicator, period))

    def rows(self, level=None, area=None, indicator=None, period=None):
        """Boolean mask of value rows matching the given keys."""
        m = np.ones(len(self.index), dtype=bool)
        for col, v in (("level", level), ("area", area), ("indicator", indicator), ("period", period)):
            if v is not None:
                m &= self.index[col].to_numpy() == v
        return m

    def cell(self, table, **keys):
        """One row of summary/differences as a Series (or None)."""
        df = table
        for k, v in keys.items():
            df = df[df[k] == v]
        return None if df.empty else df.iloc[0]


def resolve_baseline(inputs, baseline):
    labels = inputs.labels
    if baseline is None:
        return labels[0]
    if baseline in labels:
        return baseline
    by_name = [g.label for g in inputs.groups if g.scenario_name == baseline]
    if len(by_name) == 1:
        return by_name[0]
    raise AnalysisError(f"baseline '{baseline}' is not among the inputs (scenarios: {', '.join(labels)}); "
                        f"give it as an input too, or choose one of those with --baseline")


def compare(inputs, baseline=None, levels=DEFAULT_LEVELS, indicators=None, scale_up=False, warn=None):
    """Computes the comparison tables of loaded inputs (see load.load_inputs)."""
    warnings = []

    def _warn(msg):
        warnings.append(msg)
        if warn:
            warn(msg)

    baseline = resolve_baseline(inputs, baseline)
    levels = ["total"] + [lv for lv in dict.fromkeys(levels) if lv != "total"]
    for lv in levels:
        if lv not in ind.LEVELS:
            raise AnalysisError(f"unknown level '{lv}' (levels: {', '.join(ind.LEVELS)})")
    try:
        selected = ind.select(indicators)
    except ValueError as e:
        raise AnalysisError(str(e)) from None
    every = [i.name for i in ind.INDICATORS]  # computed whatever is shown: plots and CE need them
    years = list(inputs.years)
    period = load.period_label(years)
    index = load.table_index(inputs.counties, levels, every, years)
    values, replicates = {}, {}
    for g in inputs.groups:
        values[g.label] = np.stack([load.evaluate(r, levels, every, years, scale_up) for r in g.runs], axis=1)
        replicates[g.label] = g.replicates
    c = Comparison(inputs, baseline, levels, selected, years, period, index, values, replicates,
                   warnings=warnings, scale_up=scale_up)

    meta = pd.DataFrame([{"indicator": i.name, "label": i.label, "group": i.group,
                          "units": i.unit + (" (full scale)" if scale_up and i.extensive else "")}
                         for i in ind.INDICATORS])
    frames = []
    for label in c.labels:
        s = stats.summarize(values[label])
        df = index.copy()
        df["scenario"] = label
        df["n"] = s["n"]
        for k in ("mean", "sd", "low", "high"):
            df[{"low": "ci_low", "high": "ci_high"}.get(k, k)] = s[k]
        frames.append(df)
    summary = pd.concat(frames, ignore_index=True).merge(meta, on="indicator", how="left")
    c.summary = summary[["level", "area", "group", "indicator", "label", "units", "period", "scenario", "n",
                         "mean", "sd", "ci_low", "ci_high"]]

    frames = []
    base_reps = replicates[baseline]
    for label in c.others:
        common = sorted(set(replicates[label]) & set(base_reps))
        if not common:
            raise AnalysisError(
                f"cannot pair '{label}' with the baseline '{baseline}': no replicate in common "
                f"('{label}' has {load._ranges(replicates[label])}, '{baseline}' has {load._ranges(base_reps)})")
        lost = sorted(set(replicates[label]) ^ set(base_reps))
        if lost:
            both = "the replicate both have" if len(common) == 1 else f"the {len(common)} replicates both have"
            _warn(f"differences '{label}' - '{baseline}' use {both} ({load._ranges(common)}); "
                  f"unmatched: {load._ranges(lost)}" + ("; no interval from one pair" if len(common) == 1 else ""))
        a = values[label][:, [replicates[label].index(r) for r in common]]
        b = values[baseline][:, [base_reps.index(r) for r in common]]
        p = stats.paired(a, b)
        u = stats.welch(a, b)
        df = index.copy()
        df["scenario"] = label
        df["baseline"] = baseline
        df["n_pairs"] = p["n"]
        df["diff"] = p["mean"]
        df["sd"] = p["sd"]
        df["ci_low"] = p["low"]
        df["ci_high"] = p["high"]
        df["unpaired_ci_low"] = u["low"]
        df["unpaired_ci_high"] = u["high"]
        df["p_value"] = stats.paired_p_value(a, b)
        base_mean = stats.summarize(b)["mean"]
        with np.errstate(invalid="ignore", divide="ignore"):
            df["relative"] = np.where(np.abs(base_mean) > 0, p["mean"] / np.abs(base_mean), np.nan)
        frames.append(df)
    if frames:
        diffs = pd.concat(frames, ignore_index=True).merge(meta, on="indicator", how="left")
        c.differences = diffs[["level", "area", "group", "indicator", "label", "units", "period", "scenario",
                               "baseline", "n_pairs", "diff", "sd", "ci_low", "ci_high", "unpaired_ci_low",
                               "unpaired_ci_high", "p_value", "relative"]]
    else:
        c.differences = pd.DataFrame(columns=["level", "area", "group", "indicator", "label", "units", "period",
                                              "scenario", "baseline", "n_pairs", "diff", "sd", "ci_low", "ci_high",
                                              "unpaired_ci_low", "unpaired_ci_high", "p_value", "relative"])
    c.cost_effectiveness = _cost_effectiveness(c)
    return c


def _cost_effectiveness(c):
    rows = []
    period = c.periods()[-1]
    base = c.baseline
    for label in c.others:
        common = sorted(set(c.replicates[label]) & set(c.replicates[base]))
        ia = [c.replicates[label].index(r) for r in common]
        ib = [c.replicates[base].index(r) for r in common]
        for level in c.levels:
            areas = c.index.loc[c.rows(level=level, indicator="spend_total", period=period), "area"].tolist()
            for area in areas:
                def pair(name):
                    i = c.row(level, area, name, period)
                    return c.values[label][i, ia], c.values[base][i, ib]
                cs, cb = pair("spend_total")
                cost = cs - cb
                for measure, title, name, direction, _ in CE_MEASURES:
                    es, eb = pair(name)
                    effect = (es - eb) if direction > 0 else (eb - es)
                    r = stats.fieller(cost, effect)
                    sc = stats.summarize(cost[None, :])
                    se = stats.summarize(effect[None, :])
                    rows.append({
                        "level": level, "area": area, "period": period, "scenario": label, "baseline": base,
                        "measure": measure, "description": title, "n_pairs": r["n"],
                        "delta_cost": sc["mean"][0], "delta_cost_low": sc["low"][0], "delta_cost_high": sc["high"][0],
                        "effect": se["mean"][0], "effect_low": se["low"][0], "effect_high": se["high"][0],
                        "ratio": r["ratio"], "ratio_low": r["low"], "ratio_high": r["high"], "interval": r["kind"],
                        "verdict": verdict(sc["mean"][0], se["mean"][0], se["low"][0], se["high"][0]),
                    })
    return pd.DataFrame(rows, columns=["level", "area", "period", "scenario", "baseline", "measure", "description",
                                       "n_pairs", "delta_cost", "delta_cost_low", "delta_cost_high", "effect",
                                       "effect_low", "effect_high", "ratio", "ratio_low", "ratio_high", "interval",
                                       "verdict"])


def verdict(cost, effect, effect_low, effect_high):
    """How to read a cost-effectiveness ratio, from the signs of the mean cost and effect."""
    if not np.isfinite(cost) or not np.isfinite(effect):
        return "undefined"
    if effect == 0:
        return "no difference in effect: ratio undefined"
    if cost <= 0 and effect > 0:
        text = "dominant: costs no more and achieves more"
    elif cost > 0 and effect < 0:
        text = "dominated: costs more and achieves less"
    elif cost > 0:
        text = "costs more, achieves more: ratio = extra yuan per unit"
    else:
        text = "costs less, achieves less: ratio = yuan saved per unit given up"
    if np.isfinite(effect_low) and effect_low <= 0 <= effect_high:
        text += " (effect not significant at 95 %)"
    return text


# ---------------------------------------------------------------------------
# Presentation

def cell_mean(row, fmt):
    if row is None:
        return "-"
    half = (row["ci_high"] - row["ci_low"]) / 2 if row["n"] > 1 else None
    return ind.format_value(row["mean"], fmt, half=half)


def cell_diff(row, fmt):
    if row is None or not np.isfinite(row["diff"]):
        return "-"
    half = (row["ci_high"] - row["ci_low"]) / 2 if row["n_pairs"] > 1 else None
    text = ind.format_value(row["diff"], fmt, signed=True, half=half)
    if half is not None and (row["ci_low"] > 0 or row["ci_high"] < 0):
        text += " *"
    return text


def _lookup(table, keys):
    """A dict from (scenario, indicator) to row of table, for one level/area/period."""
    df = table
    for k, v in keys.items():
        df = df[df[k] == v]
    return {(r.scenario, r.indicator): r for r in df.itertuples(index=False)}


def indicator_table(c, level="total", area="all counties", period=None, names=None, groups=True):
    """Headers and rows of the per-indicator table: each scenario's mean, then differences."""
    period = period or c.periods()[-1]
    names = [n for n in (names or c.indicators) if level in ind.BY_NAME[n].levels]
    s = _lookup(c.summary, {"level": level, "area": area, "period": period})
    d = _lookup(c.differences, {"level": level, "area": area, "period": period})
    headers = ["indicator", "units"] + c.labels + [f"Δ {x}" for x in c.others]
    rows = []
    last_group = None
    for n in names:
        spec = ind.BY_NAME[n]
        if groups and spec.group != last_group:
            rows.append(["## " + spec.group] + [""] * (len(headers) - 1))
            last_group = spec.group
        row = [spec.label, _units(spec, c)]
        for label in c.labels:
            r = s.get((label, n))
            row.append(cell_mean(None if r is None else r._asdict(), spec.fmt))
        for label in c.others:
            r = d.get((label, n))
            row.append(cell_diff(None if r is None else r._asdict(), spec.fmt))
        rows.append(row)
    return headers, rows, "ll" + "r" * (len(headers) - 2)


def _units(spec, c):
    if spec.fmt == "pct":
        return "%" if spec.unit.startswith("share") else "%/year" if spec.unit == "per year" else spec.unit
    if spec.extensive and c.scale_up:
        return spec.unit + " (full scale)"
    return spec.unit


def ce_table(c, level="total", area="all counties"):
    df = c.cost_effectiveness
    df = df[(df["level"] == level) & (df["area"] == area)]
    headers = ["scenario", "measure", "Δ spending (yuan)", "effect", "ratio (yuan per unit)", "95 % interval",
               "reading"]
    rows = []
    for r in df.itertuples(index=False):
        width = (r.ratio_high - r.ratio_low) / 2 if r.interval == "bounded" else None
        if r.interval == "bounded":
            interval = (f"{ind.format_value(r.ratio_low, 'num', like=r.ratio, precision_of=width)} to "
                        f"{ind.format_value(r.ratio_high, 'num', like=r.ratio, precision_of=width)}")
        elif r.interval == "unbounded":
            interval = "unbounded (effect not distinguishable from 0)"
        else:
            interval = "-"
        eff_half = (r.effect_high - r.effect_low) / 2 if np.isfinite(r.effect_high) else None
        cost_half = (r.delta_cost_high - r.delta_cost_low) / 2 if np.isfinite(r.delta_cost_high) else None
        effect = ind.format_value(r.effect, "num", signed=True, half=eff_half)
        cost = ind.format_value(r.delta_cost, "num", signed=True, half=cost_half)
        rows.append([r.scenario, r.description, cost, effect,
                     ind.format_value(r.ratio, "num", precision_of=width), interval, r.verdict])
    return headers, rows, "llrrrll"


def runs_table(c):
    rows = []
    for g in c.inputs.groups:
        for r in g.runs:
            a = r.info.attrs
            rows.append({"scenario": g.label, "replicate": r.info.replicate, "file": str(r.path),
                         "scenario_name": a.get("scenario_name"), "scenario_source": a.get("scenario_source"),
                         "seed": a.get("seed"), "model": a.get("model"), "model_version": a.get("model_version"),
                         "engine_version": a.get("engine_version"), "git_commit": a.get("git_commit"),
                         "format_version": a.get("format_version"), "threads": a.get("threads"),
                         "steps": a.get("steps"), "steps_written": a.get("steps_written"),
                         "start": f"{a.get('start_year')}-{int(a.get('start_month', 1)):02d}",
                         "started_at": a.get("started_at"), "ended_at": a.get("ended_at"),
                         "status": a.get("status"), "complete": a.get("complete"),
                         "command_line": a.get("command_line")})
    return pd.DataFrame(rows)


def print_summary(c, out=None, period=None, names=None):
    out = out or sys.stdout
    period = period or c.periods()[-1]
    names = names or [n for n in c.indicators if ind.BY_NAME[n].key] or c.indicators
    out.write(f"ruralsim compare: {len(c.labels)} scenario(s), baseline '{c.baseline}', "
              f"years {c.period}\n")
    for g in c.inputs.groups:
        out.write(f"  {g.label:<20} {len(g.runs):>3} replicate(s) ({load._ranges(g.replicates)})  "
                  f"{', '.join(g.sources)}\n")
    if c.inputs.skipped:
        out.write(f"  skipped: {len(c.inputs.skipped)} file(s) (see the warnings)\n")
    what = "the whole period" if period == c.period and len(c.years) > 1 else f"{period}"
    out.write(f"\nAll 160 counties, {what}: mean ± half-width of the 95 % t-interval over replicates; "
              f"Δ = paired difference\nagainst '{c.baseline}' (replicates matched by index), "
              f"* = its interval excludes 0.\n\n")
    headers, rows, align = indicator_table(c, period=period, names=names)
    out.write(tables.text(headers, rows, align) + "\n")
    if len(c.cost_effectiveness):
        headers, rows, align = ce_table(c)
        out.write(f"\nCost-effectiveness against '{c.baseline}', {c.period} (see docs/guide.md for definitions):\n\n")
        out.write(tables.text(headers, rows, align) + "\n")


def markdown_report(c):
    parts = ["# Scenario comparison\n",
             f"Baseline: **{c.baseline}**. Years: {c.period}. Values: mean ± half-width of the 95 % t-interval "
             f"over replicates. Δ: paired difference against the baseline, replicates matched by index; "
             f"* marks an interval that excludes 0.\n"]
    parts.append("## Inputs\n")
    rows = [[g.label, str(len(g.runs)), load._ranges(g.replicates), ", ".join(g.sources)] for g in c.inputs.groups]
    parts.append(tables.markdown(["scenario", "replicates", "indices", "inputs"], rows, "lrll") + "\n")
    if c.inputs.warnings or c.warnings:
        parts.append("Warnings:\n\n" + "\n".join(f"- {w}" for w in c.inputs.warnings + c.warnings) + "\n")
    for period in reversed(c.periods()):
        title = f"Whole period {period}" if period == c.period and len(c.years) > 1 else f"Year {period}"
        parts.append(f"## {title}, all counties\n")
        h, r, a = indicator_table(c, period=period)
        parts.append(tables.markdown(h, r, a) + "\n")
    if len(c.cost_effectiveness):
        parts.append(f"## Cost-effectiveness against {c.baseline}, {c.period}\n")
        h, r, a = ce_table(c)
        parts.append(tables.markdown(h, r, a) + "\n")
        parts.append("Definitions (per replicate pair, over the whole period): "
                     "Δ spending = spend_total(scenario) - spend_total(baseline); " +
                     "; ".join(d for *_, d in CE_MEASURES) +
                     ". Ratio = mean Δ spending / mean effect; interval by Fieller's method.\n")
    for level in c.levels[1:]:
        if level == "county":
            continue
        key = [n for n in c.indicators if ind.BY_NAME[n].key and level in ind.BY_NAME[n].levels][:8]
        if not key:
            continue
        parts.append(f"## By {level}, {c.period}\n")
        areas = c.index.loc[c.rows(level=level, indicator=key[0], period=c.period), "area"].tolist()
        for name in key:
            spec = ind.BY_NAME[name]
            parts.append(f"### {spec.label} ({_units(spec, c)})\n")
            h, r, a = area_table(c, level, name, areas)
            parts.append(tables.markdown(h, r, a) + "\n")
    parts.append("Full tables: summary.csv, differences.csv, cost_effectiveness.csv; runs: runs.csv.\n")
    return "\n".join(parts)


def area_table(c, level, name, areas=None, period=None):
    period = period or c.periods()[-1]
    spec = ind.BY_NAME[name]
    s = c.summary[(c.summary["level"] == level) & (c.summary["indicator"] == name) & (c.summary["period"] == period)]
    d = c.differences[(c.differences["level"] == level) & (c.differences["indicator"] == name) &
                      (c.differences["period"] == period)]
    sd = {(r.scenario, r.area): r._asdict() for r in s.itertuples(index=False)}
    dd = {(r.scenario, r.area): r._asdict() for r in d.itertuples(index=False)}
    areas = areas or list(dict.fromkeys(s["area"]))
    headers = [level] + c.labels + [f"Δ {x}" for x in c.others]
    rows = []
    for area in areas:
        rows.append([area] + [cell_mean(sd.get((x, area)), spec.fmt) for x in c.labels] +
                    [cell_diff(dd.get((x, area)), spec.fmt) for x in c.others])
    return headers, rows, "l" + "r" * (len(headers) - 1)


def write_outputs(c, outdir, plots=True):
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    names = set(c.indicators)
    c.summary[c.summary["indicator"].isin(names)].to_csv(outdir / "summary.csv", index=False)
    c.differences[c.differences["indicator"].isin(names)].to_csv(outdir / "differences.csv", index=False)
    c.cost_effectiveness.to_csv(outdir / "cost_effectiveness.csv", index=False)
    runs_table(c).to_csv(outdir / "runs.csv", index=False)
    (outdir / "comparison.md").write_text(markdown_report(c))
    written = ["summary.csv", "differences.csv", "cost_effectiveness.csv", "runs.csv", "comparison.md"]
    if plots:
        from . import plots as plotting
        files = plotting.make_all(c, outdir / "plots")
        written += [str(Path("plots") / Path(f).name) for f in files]
    return [outdir / w for w in written]


# ---------------------------------------------------------------------------
# Command line

def add_common_arguments(p):
    p.add_argument("inputs", nargs="+", metavar="INPUT",
                   help="an ensemble (its folder or ensemble.json) or a run (.h5); LABEL=PATH names it")
    p.add_argument("--baseline", metavar="NAME", help="the scenario the others are compared with (default: the first)")
    p.add_argument("--level", action="append", metavar="LEVEL",
                   help="levels to tabulate besides the total: province, prefecture, county "
                        "(repeatable or comma-separated; default: total,province,prefecture)")
    p.add_argument("--indicators", nargs="+", metavar="NAME",
                   help="indicators or groups to show (default: all; 'key' for the headline ones); "
                        "groups: " + ", ".join(ind.GROUPS))
    p.add_argument("--scale-up", action="store_true",
                   help="divide counts and yuan totals by population.scale (full-scale estimates)")
    p.add_argument("-q", "--quiet", action="store_true", help="no warnings on stderr")


def parse_levels(values):
    if not values:
        return list(DEFAULT_LEVELS)
    levels = []
    for v in values:
        for lv in v.split(","):
            lv = lv.strip()
            if lv and lv not in ind.LEVELS:
                raise AnalysisError(f"unknown level '{lv}' (levels: {', '.join(ind.LEVELS)})")
            if lv:
                levels.append(lv)
    return levels


def main(argv):
    p = argparse.ArgumentParser(prog="ruralsim compare", description=__doc__.strip().splitlines()[0],
                                epilog="Definitions of every indicator and ratio: docs/guide.md.")
    add_common_arguments(p)
    p.add_argument("-o", "--output", metavar="OUTDIR", help="folder for CSV, Markdown and plots")
    p.add_argument("--year", metavar="YEAR", help="the period shown on the terminal (default: the whole period)")
    p.add_argument("--all", action="store_true", help="show every selected indicator on the terminal, not only "
                                                      "the headline ones")
    p.add_argument("--no-plots", action="store_true", help="write no plots to OUTDIR")
    args = p.parse_args(argv)
    warn = (lambda m: None) if args.quiet else (lambda m: sys.stderr.write(f"warning: {m}\n"))
    try:
        levels = parse_levels(args.level)
        inputs = load.load_inputs(args.inputs, warn=warn)
        c = compare(inputs, args.baseline, levels, args.indicators, args.scale_up, warn=warn)
        if args.year and args.year not in c.periods():
            raise AnalysisError(f"--year {args.year}: not among the compared periods ({', '.join(c.periods())})")
        names = c.indicators if (args.all or args.indicators) else None
        print_summary(c, period=args.year, names=names)
        if args.output:
            files = write_outputs(c, args.output, plots=not args.no_plots)
            sys.stdout.write(f"\nwrote {len(files)} files to {args.output}: "
                             f"{', '.join(f.name for f in files[:5])}"
                             f"{f' and {len(files) - 5} plots' if len(files) > 5 else ''}\n")
    except AnalysisError as e:
        sys.stderr.write(f"ruralsim compare: error: {e}\n")
        return 1
    return 0
