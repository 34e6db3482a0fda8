"""Compare scenario ensembles: means with 95 % t-intervals, paired differences, cost-effectiveness.

``ruralsim compare A B [C...] [--baseline A] [-o OUTDIR]`` reads ensembles (a folder with
ensemble.json, or the file) or single .h5 runs, prints the whole-period table of the
total level on the terminal, and writes summary.csv, differences.csv,
cost_effectiveness.csv, runs.csv, comparison.md and plots/ to OUTDIR.

The indicators, their labels, units, topics and formats, the levels, and the
cost-effectiveness measures come from the model description the runs carry
(:class:`ruralsim_analysis.indicators.Catalog`).
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
from . import outfile
from . import stats
from . import tables
from . import errors
from .errors import AnalysisError

# Levels tabulated by default: the whole and the groupings of the description
# (total, province, prefecture); the analysis level (county) on request.
DEFAULT_LEVELS = None

# Cost-effectiveness against the baseline over the whole period, per replicate pair and
# measure of the description's analysis.cost_effectiveness: cost = cost indicator
# (analysis.cost)(S) - (B); effect = outcome(S) - outcome(B) (direction +1) or
# outcome(B) - outcome(S) (direction -1); ratio = mean(cost) / mean(effect).


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
    computed: list = field(default_factory=list)   # every indicator evaluated (plots and CE need more)

    @property
    def catalog(self):
        return self.inputs.catalog

    @property
    def total(self):
        """The area name of the whole (level 0's label, "all counties")."""
        return self.catalog.total_label

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
                        f"give it as an input too, or choose one of those with --baseline", errors.USAGE)


def default_levels(catalog):
    """The whole and the groupings (total, province, prefecture)."""
    return [catalog.total] + list(catalog.groupings)


def _check_levels(catalog, levels):
    for lv in levels:
        if lv not in catalog.levels:
            raise AnalysisError(f"unknown level '{lv}' (levels: {', '.join(catalog.levels)})", errors.USAGE)


def compare(inputs, baseline=None, levels=DEFAULT_LEVELS, indicators=None, scale_up=False, warn=None):
    """Computes the comparison tables of loaded inputs (see load.load_inputs)."""
    warnings = []

    def _warn(msg):
        warnings.append(msg)
        if warn:
            warn(msg)

    cat = inputs.catalog
    baseline = resolve_baseline(inputs, baseline)
    levels = list(levels) if levels is not None else default_levels(cat)
    _check_levels(cat, levels)
    levels = [cat.total] + [lv for lv in dict.fromkeys(levels) if lv != cat.total]
    try:
        selected = cat.select(indicators)
    except ValueError as e:
        raise AnalysisError(str(e), errors.USAGE) from None
    # Computed whatever is shown: plots and cost-effectiveness need more than the selection.
    extra = ([cat.cost] if cat.cost else []) + [m.outcome for m in cat.cost_effectiveness] + cat.area_plots
    extra += [n for _, names in cat.stack for n in names]
    extra += [n for _, _, parts in ind.income_groups(cat) for n in parts.values()]
    every = list(dict.fromkeys([i.name for i in cat.indicators] + selected + extra))
    years = list(inputs.years)
    period = load.period_label(years)
    index = load.table_index(inputs.counties, levels, every, years, cat)
    values, replicates = {}, {}
    for g in inputs.groups:
        values[g.label] = np.stack([load.evaluate(r, levels, every, years, scale_up, cat) for r in g.runs], axis=1)
        replicates[g.label] = g.replicates
    c = Comparison(inputs, baseline, levels, selected, years, period, index, values, replicates,
                   warnings=warnings, scale_up=scale_up, computed=every)

    meta = pd.DataFrame([{"indicator": n, "label": cat.by_name[n].label, "group": cat.by_name[n].group,
                          "units": _csv_units(cat.by_name[n], scale_up)} for n in every],
                        columns=["indicator", "label", "group", "units"])
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
    cat = c.catalog
    cost_name = cat.cost
    measures = [m for m in cat.cost_effectiveness if cost_name]
    for label in c.others:
        common = sorted(set(c.replicates[label]) & set(c.replicates[base]))
        ia = [c.replicates[label].index(r) for r in common]
        ib = [c.replicates[base].index(r) for r in common]
        for level in c.levels:
            if not measures:
                break
            areas = c.index.loc[c.rows(level=level, indicator=cost_name, period=period), "area"].tolist()
            for area in areas:
                def pair(name):
                    i = c.row(level, area, name, period)
                    if i is None:
                        return np.full(len(ia), np.nan), np.full(len(ib), np.nan)
                    return c.values[label][i, ia], c.values[base][i, ib]
                cs, cb = pair(cost_name)
                cost = cs - cb
                for m in measures:
                    if level not in cat.by_name[m.outcome].levels:
                        continue
                    es, eb = pair(m.outcome)
                    effect = (es - eb) if m.direction > 0 else (eb - es)
                    r = stats.fieller(cost, effect)
                    sc = stats.summarize(cost[None, :])
                    se = stats.summarize(effect[None, :])
                    rows.append({
                        "level": level, "area": area, "period": period, "scenario": label, "baseline": base,
                        "measure": m.name, "description": m.label, "n_pairs": r["n"],
                        "delta_cost": sc["mean"][0], "delta_cost_low": sc["low"][0], "delta_cost_high": sc["high"][0],
                        "effect": se["mean"][0], "effect_low": se["low"][0], "effect_high": se["high"][0],
                        "ratio": r["ratio"], "ratio_low": r["low"], "ratio_high": r["high"], "interval": r["kind"],
                        "verdict": verdict(sc["mean"][0], se["mean"][0], se["low"][0], se["high"][0]),
                    })
    return pd.DataFrame(rows, columns=["level", "area", "period", "scenario", "baseline", "measure", "description",
                                       "n_pairs", "delta_cost", "delta_cost_low", "delta_cost_high", "effect",
                                       "effect_low", "effect_high", "ratio", "ratio_low", "ratio_high", "interval",
                                       "verdict"])


def ce_definitions(c):
    """The cost-effectiveness definitions in words, from the description."""
    cat = c.catalog
    parts = [f"Δ cost = {cat.cost}(scenario) - {cat.cost}(baseline)"]
    parts += [m.definition or f"{m.outcome}: {m.label}" for m in cat.cost_effectiveness]
    return parts


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

def cell_mean(row, fmt, like=None):
    """A mean "mean ± half"; like: a value whose magnitude picks the scale (M), so that the
    scenarios of a row share it."""
    if row is None:
        return "-"
    half = (row["ci_high"] - row["ci_low"]) / 2 if row["n"] > 1 else None
    return ind.format_value(row["mean"], fmt, half=half, like=like)


def cell_diff(row, fmt, scale=None):
    """A paired difference: "diff ± half" (a pct indicator's in pp), * when its interval excludes
    0; scale: the magnitude of the levels compared (a difference below 1e-9 of it is noise: "0")."""
    if row is None or not np.isfinite(row["diff"]):
        return "-"
    half = (row["ci_high"] - row["ci_low"]) / 2 if row["n_pairs"] > 1 else None
    text = ind.format_value(row["diff"], fmt, signed=True, half=half, diff=True, scale=scale)
    if half is not None and text != "0" and not ind.is_noise(row["diff"], scale) and \
            (row["ci_low"] > 0 or row["ci_high"] < 0):
        text += " *"
    return text


def _scale(*rows):
    """The magnitude of the levels a difference is taken between (summary rows or None)."""
    means = [abs(r["mean"]) for r in rows if r is not None and np.isfinite(r["mean"])]
    return max(means) if means else None


def _lookup(table, keys):
    """A dict from (scenario, indicator) to row of table, for one level/area/period."""
    df = table
    for k, v in keys.items():
        df = df[df[k] == v]
    return {(r.scenario, r.indicator): r for r in df.itertuples(index=False)}


def indicator_table(c, level=None, area=None, period=None, names=None, groups=True):
    """Headers and rows of the per-indicator table: each scenario's mean, then differences."""
    cat = c.catalog
    level = level or cat.total
    area = area or c.total
    period = period or c.periods()[-1]
    names = [n for n in (names or c.indicators) if level in cat.by_name[n].levels]
    s = _lookup(c.summary, {"level": level, "area": area, "period": period})
    d = _lookup(c.differences, {"level": level, "area": area, "period": period})
    headers = ["indicator", "units"] + c.labels + [f"Δ {x}" for x in c.others]
    rows = []
    last_group = None
    for n in names:
        spec = cat.by_name[n]
        group = spec.group or "other"
        if groups and group != last_group:
            rows.append(["## " + group] + [""] * (len(headers) - 1))
            last_group = group
        row = [spec.label, _units(spec, c, period)]
        means = {label: (None if s.get((label, n)) is None else s.get((label, n))._asdict()) for label in c.labels}
        like = _scale(*means.values())
        for label in c.labels:
            row.append(cell_mean(means[label], spec.fmt, like))
        for label in c.others:
            r = d.get((label, n))
            row.append(cell_diff(None if r is None else r._asdict(), spec.fmt,
                                 _scale(means[label], means[c.baseline])))
        rows.append(row)
    return headers, rows, "ll" + "r" * (len(headers) - 2)


def _csv_units(spec, scale_up):
    """The units column of summary.csv and differences.csv."""
    return spec.unit + (" (full scale)" if scale_up and spec.extensive else "")


def _units(spec, c, period=None):
    """Units as the tables show them: shares and growth rates in percent; in the whole period
    (more than one year), a total over it (see Catalog.accumulates) drops its "/year"."""
    if spec.fmt == "pct":
        return "%" if spec.unit.startswith("share") else "%/year" if spec.unit == "per year" else spec.unit
    unit = _csv_units(spec, c.scale_up)
    if period == c.period and len(c.years) > 1 and spec.unit.endswith("/year") and c.catalog.accumulates(spec.name):
        unit = unit.replace(spec.unit, f"{spec.unit[:-len('/year')]} over {len(c.years)} years", 1)
    return unit


def cat_cost_label(c):
    """The cost indicator's label, lower case (e.g. "net public cost")."""
    spec = c.catalog.by_name.get(c.catalog.cost)
    label = spec.label if spec is not None else c.catalog.cost
    return label[:1].lower() + label[1:]


def _level_scale(c, level, area, indicator, period, scenario):
    """The magnitude of an indicator's means in a scenario and the baseline (for the noise rule)."""
    df = c.summary
    df = df[(df["level"] == level) & (df["area"] == area) & (df["indicator"] == indicator) & (df["period"] == period) &
            df["scenario"].isin([scenario, c.baseline])]
    means = np.abs(df["mean"].to_numpy(dtype=float))
    means = means[np.isfinite(means)]
    return float(means.max()) if means.size else None


def ce_table(c, level=None, area=None):
    level = level or c.catalog.total
    area = area or c.total
    df = c.cost_effectiveness
    df = df[(df["level"] == level) & (df["area"] == area)]
    headers = ["scenario", "measure", f"Δ {cat_cost_label(c)} (yuan)", "effect", "ratio (yuan per unit)", "95 % interval",
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
        outcome = {m.name: m.outcome for m in c.catalog.cost_effectiveness}.get(r.measure)
        effect = ind.format_value(r.effect, "num", signed=True, half=eff_half, diff=True,
                                  scale=_level_scale(c, r.level, r.area, outcome, r.period, r.scenario))
        cost = ind.format_value(r.delta_cost, "num", signed=True, half=cost_half, diff=True,
                                scale=_level_scale(c, r.level, r.area, c.catalog.cost, r.period, r.scenario))
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


def whole_name(c):
    """The whole in words: "All 160 counties"."""
    return f"All {len(c.inputs.counties)} {c.catalog.plural}"


def print_summary(c, out=None, period=None, names=None):
    out = out or sys.stdout
    cat = c.catalog
    period = period or c.periods()[-1]
    names = names or [n for n in c.indicators if cat.by_name[n].key] or c.indicators
    out.write(f"ruralsim compare: {len(c.labels)} scenario(s), baseline '{c.baseline}', "
              f"years {c.period}\n")
    for g in c.inputs.groups:
        out.write(f"  {g.label:<20} {len(g.runs):>3} replicate(s) ({load._ranges(g.replicates)})  "
                  f"{', '.join(g.sources)}\n")
    if c.inputs.skipped:
        out.write(f"  skipped: {len(c.inputs.skipped)} file(s) (see the warnings)\n")
    what = "the whole period" if period == c.period and len(c.years) > 1 else f"{period}"
    out.write(f"\n{whole_name(c)}, {what}: mean ± half-width of the 95 % t-interval over replicates; "
              f"Δ = paired difference\nagainst '{c.baseline}' (replicates matched by index), "
              f"* = its interval excludes 0.\n\n")
    headers, rows, align = indicator_table(c, period=period, names=names)
    out.write(tables.text(headers, rows, align) + "\n")
    if len(c.cost_effectiveness):
        headers, rows, align = ce_table(c)
        out.write(f"\nCost-effectiveness against '{c.baseline}', {c.period} (see docs/guide.md for definitions):\n\n")
        out.write(tables.text(headers, rows, align) + "\n")


def markdown_report(c):
    cat = c.catalog
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
        parts.append(f"## {title}, {c.total}\n")
        h, r, a = indicator_table(c, period=period)
        parts.append(tables.markdown(h, r, a) + "\n")
    if len(c.cost_effectiveness):
        parts.append(f"## Cost-effectiveness against {c.baseline}, {c.period}\n")
        h, r, a = ce_table(c)
        parts.append(tables.markdown(h, r, a) + "\n")
        parts.append("Definitions (per replicate pair, over the whole period): " + "; ".join(ce_definitions(c)) +
                     ". Ratio = mean Δ cost / mean effect; interval by Fieller's method.\n")
    for level in c.levels[1:]:
        if level == cat.level:
            continue
        key = [n for n in c.indicators if cat.by_name[n].key and level in cat.by_name[n].levels][:8]
        if not key:
            continue
        parts.append(f"## By {level}, {c.period}\n")
        areas = c.index.loc[c.rows(level=level, indicator=key[0], period=c.period), "area"].tolist()
        for name in key:
            spec = cat.by_name[name]
            parts.append(f"### {spec.label} ({_units(spec, c, c.period)})\n")
            h, r, a = area_table(c, level, name, areas)
            parts.append(tables.markdown(h, r, a) + "\n")
    parts.append("Full tables: summary.csv, differences.csv, cost_effectiveness.csv; runs: runs.csv.\n")
    return "\n".join(parts)


def area_table(c, level, name, areas=None, period=None):
    period = period or c.periods()[-1]
    spec = c.catalog.by_name[name]
    s = c.summary[(c.summary["level"] == level) & (c.summary["indicator"] == name) & (c.summary["period"] == period)]
    d = c.differences[(c.differences["level"] == level) & (c.differences["indicator"] == name) &
                      (c.differences["period"] == period)]
    sd = {(r.scenario, r.area): r._asdict() for r in s.itertuples(index=False)}
    dd = {(r.scenario, r.area): r._asdict() for r in d.itertuples(index=False)}
    areas = areas or list(dict.fromkeys(s["area"]))
    headers = [level] + c.labels + [f"Δ {x}" for x in c.others]
    rows = []
    for area in areas:
        like = _scale(*(sd.get((x, area)) for x in c.labels))
        rows.append([area] + [cell_mean(sd.get((x, area)), spec.fmt, like) for x in c.labels] +
                    [cell_diff(dd.get((x, area)), spec.fmt, _scale(sd.get((x, area)), sd.get((c.baseline, area))))
                     for x in c.others])
    return headers, rows, "l" + "r" * (len(headers) - 1)


def write_outputs(c, outdir, plots=True):
    """The tables, the Markdown report and the plots into outdir (each file whole or not at all:
    see outfile); returns the files."""
    outdir = Path(outdir)
    names = set(c.indicators)
    tables_ = {"summary.csv": c.summary[c.summary["indicator"].isin(names)],
               "differences.csv": c.differences[c.differences["indicator"].isin(names)],
               "cost_effectiveness.csv": c.cost_effectiveness,
               "runs.csv": runs_table(c)}
    for name, table in tables_.items():
        with outfile.replacing(outdir / name, newline="") as f:
            table.to_csv(f, index=False)
    with outfile.replacing(outdir / "comparison.md") as f:
        f.write(markdown_report(c))
    written = list(tables_) + ["comparison.md"]
    if plots:
        from . import plots as plotting
        files = plotting.make_all(c, outdir / "plots")
        written += [str(Path("plots") / Path(f).name) for f in files]
    return [outdir / w for w in written]


# ---------------------------------------------------------------------------
# Command line

def add_common_arguments(p):
    # nargs="*": the inputs may follow --indicators NAMES..., which takes them too; finish_arguments
    # gives them back (and requires one).
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="an ensemble (its folder or ensemble.json) or a run (.h5); LABEL=PATH names it "
                        "(inputs may also follow --indicators NAMES)")
    p.add_argument("--baseline", metavar="NAME", help="the scenario the others are compared with (default: the first)")
    p.add_argument("--level", "--by", dest="level", action="append", metavar="LEVEL",
                   help="levels to tabulate besides the total: the groupings of the model description "
                        "(province, prefecture), its flags (hazard_prone, ethnic_area, ...: each splits the "
                        "counties into yes and no) and its analysis level (county) (repeatable or comma-separated; "
                        "default: total and the groupings)")
    p.add_argument("--indicators", nargs="+", metavar="NAME",
                   help="indicators or topics to show (default: every indicator with a topic; 'key' for the "
                        "headline ones, 'all' for every one with a topic; a topic wins over an indicator of the same "
                        "name: write indicator:NAME for that one); the names, topics and definitions are "
                        "those of the runs' model description (`ruralsim describe` lists them)")
    p.add_argument("--scale-up", action="store_true",
                   help="divide counts and yuan totals by population.scale (full-scale estimates)")
    p.add_argument("-q", "--quiet", action="store_true", help="no warnings on stderr")


# Words of --indicators that are never inputs.
_SELECTION_WORDS = ("key", "all")


def _names_input(value):
    """Whether a word of --indicators names an input: an existing file or folder, LABEL=PATH of
    one, or a path by its form (a folder separator, .h5 or .json): those are inputs even when
    missing, so that a missing one is reported as missing, not as an unknown indicator."""
    v = str(value)
    if v in _SELECTION_WORDS or v.startswith("indicator:"):
        return False
    label, path = load._split_label(v)
    if Path(path).exists():
        return True
    return "/" in path or path.endswith((".h5", ".json", ".partial")) or (label is not None and "/" in path)


def finish_arguments(parser, args):
    """The inputs of compare and report, wherever they stand on the command line.

    ``--indicators NAMES...`` takes every word up to the next option, so in
    ``compare --indicators income runs/a runs/b`` argparse hands the inputs to it. The
    trailing words of --indicators that name inputs (see _names_input) move to the inputs,
    after any given before the option. Inputs given nowhere: a usage error (exit 2) that
    says what was read as indicators. Sets args.moved to the words moved (checked against
    the inputs' indicators by check_selection).
    """
    args.moved = []
    names = list(args.indicators or [])
    while names and _names_input(names[-1]):
        args.moved.insert(0, names.pop())
    if args.indicators is not None and args.moved:
        args.inputs = list(args.inputs) + args.moved
        args.indicators = names or None
    if not args.inputs:
        if args.indicators:
            words = ", ".join(f"'{w}'" for w in args.indicators)
            parser.error(f"INPUT required: no input given; {words} after --indicators "
                         + ("is read as an indicator: it is not an existing file or folder" if len(args.indicators) == 1
                            else "are read as indicators: none of them is an existing file or folder"))
        parser.error("INPUT required: give one or more ensembles (folder or ensemble.json) or runs (.h5)")
    return args


def check_selection(args, catalog):
    """Every word of --indicators is an indicator, topic, 'key' or 'all' of the inputs' description
    (else a usage error that says so); a word moved to the inputs that is also one is ambiguous."""
    for word in getattr(args, "moved", []):
        if word in catalog.by_name or word in catalog.groups:
            raise AnalysisError(f"'{word}' after --indicators is both an indicator or topic and an existing file "
                                f"or folder; write ./{word} for the input, or give the inputs before --indicators",
                                errors.USAGE)
    for word in args.indicators or []:
        try:
            catalog.select([word])
        except ValueError as e:
            raise AnalysisError(f"--indicators: {e} ('{word}' is not an existing file or folder either)",
                                errors.USAGE) from None


def parse_levels(values, catalog=None):
    """The levels of --level options (None: the default ones); checked against a catalog if given."""
    if not values:
        return None if catalog is None else default_levels(catalog)
    levels = []
    for v in values:
        for lv in v.split(","):
            lv = lv.strip()
            if lv:
                levels.append(lv)
    if catalog is not None:
        _check_levels(catalog, levels)
    return levels


def main(argv):
    p = argparse.ArgumentParser(prog="ruralsim compare", description=__doc__.strip().splitlines()[0],
                                epilog="Definitions of every indicator and ratio: docs/guide.md and "
                                       "`ruralsim describe`.")
    add_common_arguments(p)
    p.add_argument("-o", "--output", metavar="OUTDIR", help="folder for CSV, Markdown and plots")
    p.add_argument("--year", metavar="YEAR", help="the period shown on the terminal (default: the whole period)")
    p.add_argument("--all", action="store_true", help="show every selected indicator on the terminal, not only "
                                                      "the headline ones")
    p.add_argument("--no-plots", action="store_true", help="write no plots to OUTDIR")
    args = finish_arguments(p, p.parse_args(argv))
    warn = (lambda m: None) if args.quiet else (lambda m: sys.stderr.write(f"warning: {m}\n"))

    def body():
        inputs = load.load_inputs(args.inputs, warn=warn)
        check_selection(args, inputs.catalog)
        levels = parse_levels(args.level, inputs.catalog)
        c = compare(inputs, args.baseline, levels, args.indicators, args.scale_up, warn=warn)
        if args.year and args.year not in c.periods():
            raise AnalysisError(f"--year {args.year}: not among the compared periods ({', '.join(c.periods())})",
                                errors.USAGE)
        names = c.indicators if (args.all or args.indicators) else None
        print_summary(c, period=args.year, names=names)
        if args.output:
            files = write_outputs(c, args.output, plots=not args.no_plots)
            sys.stdout.write(f"\nwrote {len(files)} files to {args.output}: "
                             f"{', '.join(f.name for f in files[:5])}"
                             f"{f' and {len(files) - 5} plots' if len(files) > 5 else ''}\n")
        return errors.OK

    return errors.run_command("ruralsim compare", body)
