"""Plots of a comparison (matplotlib, PNG and SVG).

- trajectories-N: each indicator year by year, one line per scenario, 95 % band;
- differences-N: paired differences against the baseline with 95 % intervals;
- province-<indicator>: scenario means and differences by province (the first grouping
  of the model description), whole period, for the description's analysis.area_plots;
- income-sources: the description's analysis.stack (income per capita by source),
  stacked, one panel per scenario;
- income-sources-by-group: income per capita by category for each household group.

What is plotted, and the labels, units and formats, come from the runs' model
description (the comparison's catalog); only the colours are chosen here.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402

from . import indicators as ind  # noqa: E402
from . import outfile  # noqa: E402

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
           "#7f7f7f", "#aec7e8", "#ff9896", "#98df8a"]
BASELINE_COLOR = "#222222"
PANELS_PER_FIGURE = 9

# Colours of the parts of a stack (analysis.stack, bottom to top), by order.
STACK_COLORS = ["#4e79a7", "#a0cbe8", "#59a14f", "#f28e2b", "#b07aa1", "#bab0ac", "#e15759", "#76b7b2", "#edc948",
                "#ff9da7", "#9c755f", "#8cd17d"]

# Tick labels as large as the axis labels: the 3 x 3 grids are shrunk to the page's width in
# the report, and their ticks carry the numbers.
STYLE = {
    "font.size": 9.5, "axes.titlesize": 10.5, "axes.titleweight": "bold", "axes.labelsize": 9.5,
    "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.color": "#e3e3e3",
    "grid.linewidth": 0.7, "axes.axisbelow": True, "xtick.labelsize": 9.5, "ytick.labelsize": 9.5,
    "legend.fontsize": 9.5, "figure.dpi": 100,
    "svg.fonttype": "none",
}

# Markers and dashes of the scenarios' lines, by order (the baseline first): a scenario
# whose line lies on another's (the same values) stays visible by its markers.
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "h", "*", "p"]
DASHES = ["-", "--", "-.", ":"]


def colors(c):
    out, k = {}, 0
    for label in c.labels:
        if label == c.baseline:
            out[label] = BASELINE_COLOR
        else:
            out[label] = PALETTE[k % len(PALETTE)]
            k += 1
    return out


def _formatter(spec, diff=False):
    """Tick labels; a difference of shares or rates (format pct) in percentage points (pp)."""
    fmt = spec if isinstance(spec, str) else spec.fmt
    if fmt == "pct":
        if diff:
            return mticker.FuncFormatter(lambda v, _: f"{v * 100:+.3g} pp" if v else "0")
        return mticker.FuncFormatter(lambda v, _: f"{v * 100:.3g}%")
    if fmt == "ratio":
        return mticker.FuncFormatter(lambda v, _: f"{v:+.4g}" if diff and v else f"{v:.4g}")

    def f(v, _):
        a = abs(v)
        sign = "+" if diff and v > 0 else ""
        if a >= 1e9:
            return f"{sign}{v / 1e9:.3g}bn"
        if a >= 1e6:
            return f"{sign}{v / 1e6:.3g}M"
        if a >= 1e3:
            return f"{sign}{v / 1e3:.3g}k"
        return f"{sign}{v:,.4g}"
    return mticker.FuncFormatter(f)


def _units(spec, c, diff=False, whole=False):
    """An axis label: the indicator's unit; a difference of shares or rates in percentage
    points; whole: the whole period's value (a total over it has no "/year")."""
    u = {"per year": "growth per year"}.get(spec.unit, spec.unit)
    if diff and spec.fmt == "pct":
        u = "percentage points" + (" of growth per year" if spec.unit == "per year" else "")
    elif whole and len(c.years) > 1 and spec.unit.endswith("/year") and c.catalog.accumulates(spec.name):
        u = f"{spec.unit[:-len('/year')]} over {len(c.years)} years"
    if spec.extensive and c.scale_up:
        u += ", full scale"
    return ("difference, " + u) if diff else u


def _title(text, width=44):
    return "\n".join(textwrap.wrap(text, width))


def _lookup(table, level, area, key="scenario"):
    df = table[(table["level"] == level) & (table["area"] == area)]
    return {(getattr(r, key), r.indicator, r.period): r for r in df.itertuples(index=False)}


def _save(fig, stem, written, formats=None):
    stem = Path(stem)
    try:
        for ext in formats or ("png", "svg"):
            path = stem.with_suffix("." + ext)
            outfile.save_figure(fig, path, dpi=150 if ext == "png" else None)
            written.append(path)
    finally:
        plt.close(fig)


def _grid(n):
    ncols = 3 if n > 4 else 2 if n > 1 else 1
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(max(4.3 * ncols, 8.0), 3.0 * nrows + 0.8), squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return fig, axes.flat


def _header(fig, title, handles, labels, ncol=6, reserved=0.8):
    """Title and legend above the panels; lays the panels out below.

    The legend takes as many columns (at most ncol) as fit the figure's width, its labels
    wrapped if one column is still too wide; the band above the panels is as high as the
    title and legend measure, and the figure grows by what the band needs beyond reserved
    (inches its size already allows for them). Every legend lies inside its figure."""
    pad, gap = 0.08, 0.06   # inches: above the title, between title and legend
    renderer = fig.canvas.get_renderer()
    width = fig.get_figwidth()
    room = 0.96 * width * fig.dpi   # pixels a legend may span
    suptitle = fig.suptitle(title, y=1.0, va="top", fontsize=11.5)
    if suptitle.get_window_extent(renderer).width > room:
        chars = max(20, int(len(title) * room / suptitle.get_window_extent(renderer).width))
        suptitle.set_text(textwrap.fill(title, chars))
    title_h = suptitle.get_window_extent(renderer).height / fig.dpi
    legend, legend_h = None, 0.0
    if handles:
        labels = [str(x) for x in labels]
        wraps = (None, 40, 28, 20, 12)
        for k, wrap in enumerate(wraps):
            shown = labels if wrap is None else [textwrap.fill(x, wrap) for x in labels]
            n = min(len(shown), ncol) or 1
            while True:
                legend = fig.legend(handles, shown, loc="upper center", ncol=n, frameon=False,
                                    bbox_to_anchor=(0.5, 1.0))
                if legend.get_window_extent(renderer).width <= room or n == 1:
                    break
                legend.remove()
                n -= 1
            if legend.get_window_extent(renderer).width <= room or k == len(wraps) - 1:
                break
            legend.remove()
        legend_h = legend.get_window_extent(renderer).height / fig.dpi
    band = pad + title_h + (gap + legend_h if legend is not None else 0) + 0.05
    height = fig.get_figheight()
    if band > reserved:
        height += band - reserved
        fig.set_figheight(height)
    suptitle.set_y(1 - pad / height)
    if legend is not None:
        legend.set_bbox_to_anchor((0.5, 1 - (pad + title_h + gap) / height), transform=fig.transFigure)
    fig.tight_layout(rect=(0, 0, 1, 1 - band / height), pad=0.5, h_pad=1.2, w_pad=1.0)


def plot_names(c, level=None):
    cat = c.catalog
    level = level or cat.total
    chosen = [n for n in c.indicators if cat.by_name[n].key] or list(c.indicators)
    return [n for n in chosen if level in cat.by_name[n].levels]


def area_level(c):
    """The level of the per-area plots: the description's first grouping (province), or None."""
    groupings = c.catalog.groupings
    return groupings[0] if groupings else None


def _where(c, level, area):
    """A level and area, by default the whole ("total", "all counties")."""
    level = level or c.catalog.total
    return level, area or c.total


def line_style(c, label):
    """Marker, dashes, width and drawing order of a scenario's line (see MARKERS)."""
    if label == c.baseline:
        return {"marker": MARKERS[0], "ms": 6.5, "lw": 3.0, "ls": DASHES[0], "zorder": 2}
    k = c.others.index(label) + 1
    return {"marker": MARKERS[k % len(MARKERS)], "ms": 4.5, "lw": 1.6, "ls": DASHES[k % len(DASHES)],
            "zorder": 2 + k, "markeredgecolor": "white", "markeredgewidth": 0.6}


def marker(c, label):
    return line_style(c, label)["marker"]


def trajectories(c, names, stem, level=None, area=None, written=None, formats=None):
    written = [] if written is None else written
    level, area = _where(c, level, area)
    s = _lookup(c.summary, level, area)
    col = colors(c)
    years = c.years
    with plt.rc_context(STYLE):
        fig, axes = _grid(len(names))
        handles = []
        for ax, name in zip(axes, names):
            spec = c.catalog.by_name[name]
            for label in c.labels:
                rows = [s.get((label, name, str(y))) for y in years]
                mean = np.array([r.mean if r is not None else np.nan for r in rows])
                low = np.array([r.ci_low if r is not None else np.nan for r in rows])
                high = np.array([r.ci_high if r is not None else np.nan for r in rows])
                # The baseline below, wide and solid; each other scenario above it, thinner, with
                # its own marker and dashes: a line on another's stays visible.
                (h,) = ax.plot(years, mean, label=label, color=col[label], **line_style(c, label))
                ok = np.isfinite(low) & np.isfinite(high)
                if ok.any():
                    ax.fill_between(np.array(years)[ok], low[ok], high[ok], color=col[label], alpha=0.16, lw=0)
                if len(handles) < len(c.labels):
                    handles.append(h)
            ax.set_title(_title(spec.label))
            ax.set_ylabel(_units(spec, c))
            ax.yaxis.set_major_formatter(_formatter(spec))
            ax.set_xticks(years)
            ax.set_xlim(years[0] - 0.3, years[-1] + 0.3)
            ax.margins(y=0.12)
        _header(fig, f"{area[:1].upper() + area[1:]}, {c.period}: mean over replicates "
                     f"with 95 % interval", handles, c.labels)
        _save(fig, stem, written, formats)
    return written


def differences(c, names, stem, level=None, area=None, written=None, formats=None):
    written = [] if written is None else written
    level, area = _where(c, level, area)
    if not c.others:
        return written
    d = _lookup(c.differences, level, area)
    col = colors(c)
    years = np.array(c.years, dtype=float)
    m = len(c.others)
    with plt.rc_context(STYLE):
        fig, axes = _grid(len(names))
        handles = []
        for ax, name in zip(axes, names):
            spec = c.catalog.by_name[name]
            ax.axhline(0, color=BASELINE_COLOR, lw=1.0, zorder=1)
            for k, label in enumerate(c.others):
                off = (k - (m - 1) / 2) * min(0.14, 0.6 / m)
                rows = [d.get((label, name, str(int(y)))) for y in years]
                diff = np.array([r.diff if r is not None else np.nan for r in rows])
                low = np.array([r.ci_low if r is not None else np.nan for r in rows])
                high = np.array([r.ci_high if r is not None else np.nan for r in rows])
                err = np.vstack([diff - low, high - diff])
                err = np.where(np.isfinite(err), err, 0)
                h = ax.errorbar(years + off, diff, yerr=err, fmt=marker(c, label), ms=4.6, lw=1.4, capsize=3,
                                color=col[label], label=label, zorder=3)
                ax.plot(years + off, diff, color=col[label], lw=0.8, alpha=0.5, zorder=2)
                if len(handles) < m:
                    handles.append(h)
            ax.set_title(_title(spec.label))
            ax.set_ylabel(_units(spec, c, diff=True))
            ax.yaxis.set_major_formatter(_formatter(spec, diff=True))
            ax.set_xticks(c.years)
            ax.set_xlim(years[0] - 0.45, years[-1] + 0.45)
            ax.margins(y=0.15)
        _header(fig, f"Difference from {c.baseline}, paired by replicate, with 95 % interval "
                     f"({area})", handles, c.others)
        _save(fig, stem, written, formats)
    return written


def by_area(c, name, stem, level=None, written=None, formats=None):
    """Scenario means (left) and differences from the baseline (right) per area of a grouping
    (default: the first, province), whole period."""
    written = [] if written is None else written
    level = level or area_level(c)
    spec = c.catalog.by_name[name]
    if level is None or level not in c.levels or level not in spec.levels:
        return written
    period = c.periods()[-1]
    s = c.summary[(c.summary["level"] == level) & (c.summary["indicator"] == name) & (c.summary["period"] == period)]
    d = c.differences[(c.differences["level"] == level) & (c.differences["indicator"] == name) &
                      (c.differences["period"] == period)]
    areas = list(dict.fromkeys(s["area"]))
    sv = {(r.scenario, r.area): r for r in s.itertuples(index=False)}
    dv = {(r.scenario, r.area): r for r in d.itertuples(index=False)}
    col = colors(c)
    y = np.arange(len(areas), dtype=float)
    panels = 2 if c.others else 1
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, panels, figsize=(5.6 * panels, 0.36 * len(areas) + 1.9), squeeze=False,
                                 sharey=True)
        axes = axes[0]
        for ax in axes:
            for i in range(0, len(areas), 2):
                ax.axhspan(i - 0.5, i + 0.5, color="#f4f4f4", zorder=0, lw=0)
            ax.grid(axis="y", visible=False)
        n = len(c.labels)
        handles = []
        for k, label in enumerate(c.labels):
            off = (k - (n - 1) / 2) * min(0.18, 0.7 / n)
            rows = [sv.get((label, a)) for a in areas]
            mean = np.array([r.mean if r is not None else np.nan for r in rows])
            low = np.array([r.ci_low if r is not None else np.nan for r in rows])
            high = np.array([r.ci_high if r is not None else np.nan for r in rows])
            err = np.where(np.isfinite(low), np.vstack([mean - low, high - mean]), 0)
            h = axes[0].errorbar(mean, y + off, xerr=err, fmt=marker(c, label), ms=4.6, capsize=2.5, lw=1.2,
                                 color=col[label], label=label, zorder=3)
            handles.append(h)
        axes[0].set_title(_title(f"{spec.label}, {period}", 60))
        axes[0].set_xlabel(_units(spec, c, whole=True))
        axes[0].xaxis.set_major_formatter(_formatter(spec))
        if c.others:
            m = len(c.others)
            axes[1].axvline(0, color=BASELINE_COLOR, lw=1.0, zorder=1)
            for k, label in enumerate(c.others):
                off = (k - (m - 1) / 2) * min(0.18, 0.7 / m)
                rows = [dv.get((label, a)) for a in areas]
                diff = np.array([r.diff if r is not None else np.nan for r in rows])
                low = np.array([r.ci_low if r is not None else np.nan for r in rows])
                high = np.array([r.ci_high if r is not None else np.nan for r in rows])
                err = np.where(np.isfinite(low), np.vstack([diff - low, high - diff]), 0)
                axes[1].errorbar(diff, y + off, xerr=err, fmt=marker(c, label), ms=4.6, capsize=2.5, lw=1.2,
                                 color=col[label], zorder=3)
            axes[1].set_title(_title(f"Difference from {c.baseline} (paired)", 60))
            axes[1].set_xlabel(_units(spec, c, diff=True, whole=True))
            axes[1].xaxis.set_major_formatter(_formatter(spec, diff=True))
        axes[0].set_yticks(y)
        axes[0].set_yticklabels(areas)
        axes[0].set_ylim(len(areas) - 0.5, -0.5)
        _header(fig, f"By {level}: mean over replicates with 95 % interval", handles, c.labels, reserved=0.9)
        _save(fig, stem, written, formats)
    return written


def income_sources(c, stem, level=None, area=None, written=None, formats=None):
    """The description's income stack (analysis.stack), one panel per scenario, year by year."""
    written = [] if written is None else written
    cat = c.catalog
    level, area = _where(c, level, area)
    stack = [(title, [n for n in names if level in cat.by_name[n].levels]) for title, names in cat.stack]
    stack = [(title, names) for title, names in stack if names]
    if not stack:
        return written
    s = _lookup(c.summary, level, area)
    years = c.years
    n = len(c.labels)
    ncols = min(n, 3)
    nrows = math.ceil(n / ncols)
    first = cat.by_name[stack[0][1][0]]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(nrows, ncols, figsize=(max(4.4 * ncols, 8.0), 3.2 * nrows + 1.0), squeeze=False,
                                 sharey=True)
        for ax in axes.flat[n:]:
            ax.set_visible(False)
        handles = []
        for ax, label in zip(axes.flat, c.labels):
            bottom = np.zeros(len(years))
            for k, (title, names) in enumerate(stack):
                v = np.zeros(len(years))
                for name in names:
                    rows = [s.get((label, name, str(y))) for y in years]
                    v += np.array([r.mean if r is not None and np.isfinite(r.mean) else 0.0 for r in rows])
                h = ax.bar(years, v, bottom=bottom, color=STACK_COLORS[k % len(STACK_COLORS)], width=0.72,
                           label=title, edgecolor="white", linewidth=0.5)
                bottom += v
                if len(handles) < len(stack):
                    handles.append(h)
            for x, total in zip(years, bottom):
                ax.annotate(f"{total:,.0f}", (x, total), ha="center", va="bottom", fontsize=7, xytext=(0, 2),
                            textcoords="offset points", color="#333333")
            ax.set_title(label)
            ax.set_xticks(years)
            ax.yaxis.set_major_formatter(_formatter(first.fmt))
            ax.grid(axis="x", visible=False)
            ax.margins(y=0.1)
        for r in range(nrows):
            axes[r][0].set_ylabel(first.unit)
        title = cat.stack_title or "Stacked"
        _header(fig, f"{title} ({area}; mean over replicates)", handles,
                [t for t, _ in stack], ncol=4 if ncols > 1 else 2, reserved=1.0)
        _save(fig, stem, written, formats)
    return written


def income_sources_by_group(c, stem, level=None, area=None, written=None, formats=None):
    """Income per capita of each household group (all residents, poverty-alleviated,
    monitored, relocated: see indicators.income_groups) by category, stacked; one panel
    per group, one bar per scenario, for the last year compared."""
    written = [] if written is None else written
    cat = c.catalog
    level, area = _where(c, level, area)
    groups = ind.income_groups(cat)
    if not groups:
        return written
    s = _lookup(c.summary, level, area)
    year = str(c.years[-1])
    categories = list(groups[0][2])
    first = cat.by_name[groups[0][2][categories[0]]]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, len(groups), figsize=(max(3.2 * len(groups), 8.0), 4.4), sharey=True,
                                 squeeze=False)
        handles = {}
        x = np.arange(len(c.labels))
        for ax, (_, title, parts) in zip(axes[0], groups):
            bottom = np.zeros(len(c.labels))
            for k, category in enumerate(categories):
                rows = [s.get((label, parts[category], year)) for label in c.labels]
                v = np.array([r.mean if r is not None and np.isfinite(r.mean) else 0.0 for r in rows])
                handles[category] = ax.bar(x, v, bottom=bottom, color=CATEGORY_COLORS[k % len(CATEGORY_COLORS)],
                                           width=0.7, edgecolor="white", linewidth=0.5)
                bottom += v
            for xi, total in zip(x, bottom):
                ax.annotate(f"{total:,.0f}", (xi, total), ha="center", va="bottom", fontsize=7, xytext=(0, 2),
                            textcoords="offset points", color="#333333")
            ax.set_title(title)
            ax.set_xticks(x)
            ax.set_xticklabels(c.labels, rotation=30, ha="right")
            ax.yaxis.set_major_formatter(_formatter(first.fmt))
            ax.grid(axis="x", visible=False)
            ax.margins(y=0.1)
        axes[0][0].set_ylabel(first.unit)
        _header(fig, f"Income per capita by category and group, {year} (mean over replicates)",
                list(handles.values()), list(handles.keys()), ncol=4)
        _save(fig, stem, written, formats)
    return written


# Colours of the categories of income_sources_by_group, by order.
CATEGORY_COLORS = ["#4e79a7", "#f28e2b", "#b07aa1", "#e15759", "#59a14f", "#76b7b2"]


# ---------------------------------------------------------------------------
# What a figure shows, in words (the report's alt texts)

def _words(items):
    items = [str(x) for x in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _lower(text):
    """Text for the middle of a sentence: its first letter in lower case, unless it starts an
    acronym ("PA workers")."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _scenarios(labels):
    return ("scenario " if len(labels) == 1 else "scenarios ") + _words(labels)


def describe(c, kind, names=None, level=None):
    """A sentence that says what a figure of make_all shows: kind trajectories, differences
    (names: its indicators), by_area (names: the one indicator; level), income_sources,
    income_sources_by_group."""
    cat = c.catalog
    labels = lambda ns: _words([cat.by_name[n].label for n in ns])  # noqa: E731
    if kind == "trajectories":
        return (f"{labels(names)}, {c.total}, {c.period}, year by year, {_scenarios(c.labels)}: "
                f"mean over replicates with 95 % interval")
    if kind == "differences":
        return (f"Difference from {c.baseline} of {_lower(labels(names))}, {c.total}, {c.period}, year by year, "
                f"{_scenarios(c.others)}: paired by replicate, with 95 % interval")
    if kind == "by_area":
        return (f"{labels(names)} by {level}, {c.period}: means of {_scenarios(c.labels)}"
                + (f" and their differences from {c.baseline}" if c.others else "") + ", with 95 % intervals")
    if kind == "income_sources":
        parts = [t for t, _ in cat.stack]
        return (f"{cat.stack_title or 'Stacked values'}, {c.total}, {_scenarios(c.labels)}, {c.period}, "
                f"year by year" + (f": stacked bars of {_lower(_words(parts))}" if parts else ""))
    if kind == "income_sources_by_group":
        groups = ind.income_groups(cat)
        categories = list(groups[0][2]) if groups else []
        return (f"Income per capita by category ({_lower(_words(categories))}) for "
                f"{_words([t.lower() for _, t, _ in groups])}, {c.years[-1]}, {_scenarios(c.labels)}")
    raise ValueError(f"unknown kind of figure '{kind}'")


def chunks(names):
    """Indicators split into figures of at most PANELS_PER_FIGURE panels, balanced
    (19 panels make 7 + 6 + 6, not 9 + 9 + 1)."""
    if not names:
        return []
    figures = math.ceil(len(names) / PANELS_PER_FIGURE)
    size = math.ceil(len(names) / figures)
    return [names[i:i + size] for i in range(0, len(names), size)]


def make_all(c, outdir):
    """Every plot of a comparison into outdir; returns the files (PNG and SVG)."""
    outdir = Path(outdir)
    written = []
    names = plot_names(c)
    chunks_ = chunks(names)
    for k, chunk in enumerate(chunks_, 1):
        trajectories(c, chunk, outdir / f"trajectories-{k}", written=written)
    for k, chunk in enumerate(chunks_, 1):
        differences(c, chunk, outdir / f"differences-{k}", written=written)
    # By area: every grouping or flag tabulated (--by province, --by ethnic_area, ...) with at
    # most 40 areas (a chart per prefecture of all 160 counties would not be read).
    for level in [lv for lv in c.levels if lv != c.catalog.total and c.catalog.kind(lv) == "group"]:
        if len(set(c.summary.loc[c.summary["level"] == level, "area"])) > 40:
            continue
        for name in c.catalog.area_plots:
            if level in c.catalog.by_name[name].levels:
                by_area(c, name, outdir / f"{level}-{name}", level, written=written)
    income_sources(c, outdir / "income-sources", written=written)
    income_sources_by_group(c, outdir / "income-sources-by-group", written=written)
    return written
