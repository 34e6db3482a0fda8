"""Write one self-contained HTML page comparing scenarios: plots, tables, settings, run metadata.

``ruralsim report A B [C...] [--baseline A] -o DIR`` writes DIR/index.html; the plots are
embedded as data URIs, so the page can be mailed or archived alone.
"""

from __future__ import annotations

import argparse
import base64
import datetime as _dt
import html
import sys
import tempfile
from pathlib import Path

from . import compare as cmp
from . import indicators as ind
from . import load
from . import outfile
from . import plots
from . import tables
from . import errors

CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,sans-serif;margin:0;
 color:#1d1d1f;background:#fafafa;line-height:1.45}
main{max-width:1280px;margin:0 auto;padding:24px 32px 64px;background:#fff;box-shadow:0 0 12px rgba(0,0,0,.06)}
h1{font-size:26px;margin:8px 0 4px}h2{font-size:20px;margin:36px 0 8px;padding-top:8px;border-top:1px solid #e5e5e5}
h3{font-size:16px;margin:22px 0 6px}p.lead{color:#555;margin-top:0}
nav{background:#f3f5f8;padding:10px 14px;border-radius:6px;font-size:14px}nav a{margin-right:14px;color:#1f5fa8}
table.data{border-collapse:collapse;font-size:13px;margin:8px 0 16px;font-variant-numeric:tabular-nums}
table.data th{background:#f0f2f5;text-align:left;padding:5px 8px;border-bottom:2px solid #ccd;position:sticky;top:0}
table.data td{padding:4px 8px;border-bottom:1px solid #eee;vertical-align:top}
table.data td.num,table.data th.num{text-align:right;white-space:nowrap}
table.data tr.section td{background:#fafbfd;font-weight:600;color:#345;padding-top:9px}
table.data tr:hover td{background:#f7faff}
.scroll{overflow-x:auto}
figure{margin:14px 0 26px}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:13px;color:#555;margin-top:4px}
.warn{background:#fff7e6;border:1px solid #f0c36d;padding:8px 14px;border-radius:6px;font-size:14px}
.warn li{margin:2px 0}code,pre{font-family:"SFMono-Regular",Consolas,"Liberation Mono",monospace;font-size:12px}
pre{background:#f6f8fa;padding:10px;overflow:auto;max-height:420px}details{margin:6px 0}
summary{cursor:pointer;color:#1f5fa8}.small{font-size:12px;color:#666}
"""


def _img(path, alt, caption):
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'
            f'<figcaption>{html.escape(caption)}</figcaption></figure>')


def settings_diff(c):
    """Rows [key, value per scenario] for the resolved-scenario keys that differ between scenarios."""
    per_group = {}
    notes = []
    for g in c.inputs.groups:
        first = load.scenario_settings(g.runs[0].info)
        per_group[g.label] = first
        for r in g.runs[1:]:
            other = load.scenario_settings(r.info)
            if other != first:
                keys = sorted(k for k in set(first) | set(other) if first.get(k) != other.get(k))
                notes.append(f"{r.path}: settings differ from {g.runs[0].path} in {', '.join(keys[:8])}")
    keys = sorted(set().union(*(set(s) for s in per_group.values())))
    rows = []
    for k in keys:
        values = [per_group[label].get(k, "(absent)") for label in c.labels]
        if len(set(values)) > 1:
            rows.append([k] + values)
    return rows, notes


def build_html(c, command_line=None, title=None):
    cat = c.catalog
    title = title or f"ruralsim: {', '.join(c.labels)}"
    area_level = plots.area_level(c)
    by_area = f"By {area_level}" if area_level else "By area"
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body><main>"]
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts.append(f"<h1>{html.escape(title)}</h1>")
    reps = ", ".join(f"{html.escape(g.label)} ({len(g.runs)})" for g in c.inputs.groups)
    parts.append(f"<p class=\"lead\">Scenario comparison of the {html.escape(cat.name)} model "
                 f"{html.escape(cat.version)}, {c.period}, {html.escape(cmp.whole_name(c).lower())}. "
                 f"Baseline: <b>{html.escape(c.baseline)}</b>. Replicates: {reps}. Generated {now}"
                 + (f" by <code>{html.escape(command_line)}</code>" if command_line else "") + ".</p>")
    sections = [("headline", "Headline results"), ("ce", "Cost-effectiveness"), ("trajectories", "Trajectories"),
                ("differences", "Differences"), ("provinces", by_area), ("sources", "Income sources"),
                ("tables", "All tables"), ("settings", "Settings that differ"), ("runs", "Runs")]
    parts.append("<nav>" + "".join(f'<a href="#{k}">{v}</a>' for k, v in sections) + "</nav>")
    warnings = c.inputs.warnings + c.warnings
    if warnings:
        parts.append("<h2>Warnings</h2><div class=\"warn\"><ul>" +
                     "".join(f"<li>{html.escape(w)}</li>" for w in warnings) + "</ul></div>")

    parts.append('<h2 id="headline">Headline results</h2>')
    parts.append(f"<p>Whole period {c.period}, {html.escape(c.total)}. Each value: mean over replicates "
                 f"± half-width of the 95 % t-interval. Δ: difference from <b>{html.escape(c.baseline)}</b>, "
                 f"paired by replicate (common random numbers); * marks an interval that excludes 0. "
                 f"Counts and yuan are "
                 + ("scaled up to the full population." if c.scale_up else
                    "those of the simulated population (population.scale); rates, per-capita values and "
                    "ratios do not depend on it.") + "</p>")
    key = [n for n in c.indicators if cat.by_name[n].key] or c.indicators
    h, r, a = cmp.indicator_table(c, names=key)
    parts.append('<div class="scroll">' + tables.html_table(h, r, a) + "</div>")

    parts.append('<h2 id="ce">Cost-effectiveness</h2>')
    if len(c.cost_effectiveness):
        h, r, a = cmp.ce_table(c)
        parts.append('<div class="scroll">' + tables.html_table(h, r, a) + "</div>")
        parts.append("<p class=\"small\">Per replicate pair over the whole period: " +
                     html.escape("; ".join(cmp.ce_definitions(c))) +
                     ". Ratio = mean Δ cost / mean effect, with Fieller's 95 % interval (unbounded when the "
                     "effect is not distinguishable from zero). A negative ratio means one side gains on both "
                     "counts: read the verdict.</p>")
    else:
        parts.append("<p>Only one scenario: nothing to compare against.</p>")

    with tempfile.TemporaryDirectory(prefix="ruralsim-report-") as tmp:
        tmp = Path(tmp)
        chunks = plots.chunks(plots.plot_names(c))
        parts.append('<h2 id="trajectories">Trajectories</h2>')
        for k, chunk in enumerate(chunks, 1):
            f = plots.trajectories(c, chunk, tmp / f"trajectories-{k}", formats=["png"])[0]
            parts.append(_img(f, plots.describe(c, "trajectories", chunk), "Mean over replicates per year, shaded: 95 % t-interval. "
                                                      "Growth needs the year before, so it starts in the second year."))
        parts.append('<h2 id="differences">Differences from the baseline</h2>')
        if c.others:
            for k, chunk in enumerate(chunks, 1):
                f = plots.differences(c, chunk, tmp / f"differences-{k}", formats=["png"])[0]
                parts.append(_img(f, plots.describe(c, "differences", chunk), f"Scenario minus {c.baseline}, paired by replicate, "
                                                         "with 95 % t-interval."))
        else:
            parts.append("<p>Only one scenario.</p>")
        parts.append(f'<h2 id="provinces">{html.escape(by_area)}</h2>')
        if area_level is not None and area_level in c.levels:
            names = [n for n in cat.area_plots if area_level in cat.by_name[n].levels]
            for name in names:
                out = plots.by_area(c, name, tmp / f"{area_level}-{name}", area_level, formats=["png"])
                if out:
                    parts.append(_img(out[0], plots.describe(c, "by_area", [name], area_level),
                                      f"{cat.by_name[name].label}, {c.period}: means and paired differences "
                                      f"by {area_level}, 95 % intervals."))
            for name in names:
                spec = cat.by_name[name]
                h, r, a = cmp.area_table(c, area_level, name)
                parts.append(f"<h3>{html.escape(spec.label)} ({html.escape(cmp._units(spec, c, c.period))})</h3>"
                             f'<div class="scroll">{tables.html_table(h, r, a)}</div>')
        else:
            parts.append(f"<p>{html.escape(by_area)}: level not requested.</p>")
        parts.append('<h2 id="sources">Income sources</h2>')
        out = plots.income_sources(c, tmp / "income-sources", formats=["png"])
        if out:
            parts.append(_img(out[0], plots.describe(c, "income_sources"), f"{cat.stack_title or 'Stacked parts'}: "
                              + ", ".join(t for t, _ in cat.stack) + "; numbers on top: total."))
        groups = [title.lower() for _, title, _ in ind.income_groups(cat)]
        out = plots.income_sources_by_group(c, tmp / "income-sources-by-group", formats=["png"])
        if out:
            parts.append(_img(out[0], plots.describe(c, "income_sources_by_group"),
                              f"Income per person by category for {', '.join(groups)}, last year compared; "
                              "one bar per scenario."))

    parts.append('<h2 id="tables">All tables</h2>')
    parts.append("<p>Every selected indicator at the total level, by period. Province and prefecture tables "
                 "are in the CSV files that <code>ruralsim compare -o</code> writes.</p>")
    for period in reversed(c.periods()):
        h, r, a = cmp.indicator_table(c, period=period)
        label = f"Whole period {period}" if period == c.period and len(c.years) > 1 else f"Year {period}"
        parts.append(f"<details{' open' if period == c.period else ''}><summary>{label}</summary>"
                     f'<div class="scroll">{tables.html_table(h, r, a)}</div></details>')
    parts.append("<details><summary>Definitions</summary>" + tables.html_table(
        ["indicator", "label", "units", "yearly value", "description"],
        [[n, cat.by_name[n].label, cat.by_name[n].unit, cat.by_name[n].definition, cat.by_name[n].description]
         for n in c.indicators],
        "lllll") + "<p class=\"small\">From the runs' model description. sum(x): x added over the months of the "
        "period (and the area's counties); last(x): x in its last month; growth(x): x over x of the year before "
        "− 1 (the whole period: annualised from the first to the last year); members_mean(e, w), "
        "members_gini(e, w): weighted mean and Gini of e over the area's counties; a / b: none unless b > 0.</p>"
        "</details>")

    parts.append('<h2 id="settings">Scenario settings that differ</h2>')
    rows, notes = settings_diff(c)
    if rows:
        parts.append("<p>Keys of the resolved scenarios (every key with its value, as stored in each run) whose "
                     "values differ between the scenarios.</p>")
        parts.append('<div class="scroll">' + tables.html_table(["key"] + c.labels, rows, "l" * (1 + len(c.labels)))
                     + "</div>")
    else:
        parts.append("<p>The resolved scenarios are identical.</p>")
    for n in notes:
        parts.append(f'<p class="warn">{html.escape(n)}</p>')
    for g in c.inputs.groups:
        parts.append(f"<details><summary>Resolved scenario of {html.escape(g.label)}</summary>"
                     f"<pre>{html.escape(g.runs[0].info.scenario_yaml)}</pre></details>")

    parts.append('<h2 id="runs">Runs</h2>')
    runs = cmp.runs_table(c)
    cols = ["scenario", "replicate", "file", "seed", "model_version", "engine_version", "git_commit", "threads",
            "steps_written", "start", "started_at", "ended_at", "status"]
    rows = [[str(v) for v in row] for row in runs[cols].itertuples(index=False)]
    parts.append('<div class="scroll">' + tables.html_table(cols, rows, "l" * len(cols)) + "</div>")
    commands = sorted(set(runs["command_line"].astype(str)))
    parts.append("<details><summary>Command lines</summary><pre>" +
                 html.escape("\n".join(commands)) + "</pre></details>")
    if c.inputs.skipped:
        parts.append("<h3>Skipped files</h3>" + tables.html_table(
            ["file", "reason"], [[p, why] for p, why in c.inputs.skipped], "ll"))
    parts.append("</main></body></html>")
    return "".join(parts)


def main(argv):
    p = argparse.ArgumentParser(prog="ruralsim report", description=__doc__.strip().splitlines()[0])
    cmp.add_common_arguments(p)
    p.add_argument("-o", "--output", metavar="DIR", default="report",
                   help="folder for index.html (default: report)")
    p.add_argument("--title", help="title of the page")
    args = cmp.finish_arguments(p, p.parse_args(argv))
    warn = (lambda m: None) if args.quiet else (lambda m: sys.stderr.write(f"warning: {m}\n"))

    def body():
        inputs = load.load_inputs(args.inputs, warn=warn)
        cmp.check_selection(args, inputs.catalog)
        levels = cmp.parse_levels(args.level, inputs.catalog)
        if inputs.catalog.groupings and inputs.catalog.groupings[0] not in levels:
            levels.append(inputs.catalog.groupings[0])
        c = cmp.compare(inputs, args.baseline, levels, args.indicators, args.scale_up, warn=warn)
        page = build_html(c, "ruralsim report " + " ".join(argv), args.title)
        out = Path(args.output)
        with outfile.replacing(out / "index.html") as f:
            f.write(page)
        sys.stdout.write(f"wrote {out / 'index.html'} ({len(page) / 1e6:.1f} MB, {page.count('<img ')} plots)\n")
        return errors.OK

    return errors.run_command("ruralsim report", body)
