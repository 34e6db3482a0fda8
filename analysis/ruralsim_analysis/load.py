"""Load ruralsim runs (.h5) and ensembles (ensemble.json) into numpy/pandas, with validation.

For researchers, the entry points are:

- ``metadata(path)``: the root attributes of a run as a dict;
- ``monthly(path, level="total", indicators=None)``: monthly series, one row per month
  (and per province/prefecture/county at those levels);
- ``yearly(path, level="total", indicators=None)``: the indicators of
  :mod:`ruralsim_analysis.indicators` per year and for the whole period;
- ``ensemble_yearly(path, level="total")``: the same for every complete replicate of an
  ensemble, with a ``replicate`` column;
- ``load_inputs(specs)``: what ``ruralsim compare`` reads: groups of runs (one per
  scenario), validated against each other.

Every problem with an input raises :class:`AnalysisError` naming the file; problems
that do not stop an analysis (a crashed replicate, a missing file of an ensemble) are
reported through the ``warn`` callback and the file is left out, never averaged in.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from . import indicators as ind

SUPPORTED_FORMAT_VERSIONS = {"1"}
MODEL = "transition"
ENSEMBLE_FORMAT = "ruralsim-ensemble"


class AnalysisError(Exception):
    """An input the analysis cannot use; the message names the file and the problem."""


def _h5py():
    try:
        import h5py
    except ImportError as e:  # pragma: no cover - setup.sh installs it
        raise AnalysisError("the Python package h5py is missing; run setup.sh (Debian: python3-h5py)") from e
    return h5py


def _py(value):
    """An HDF5 attribute as a plain Python value."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return [_py(v) for v in value.tolist()] if value.dtype.kind in "OS" else value.tolist()
    return value


def _strings(values):
    return [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in values]


def _warn_stderr(message):
    sys.stderr.write(f"warning: {message}\n")


@dataclass
class RunInfo:
    """The identity of one output file, read from its root attributes."""
    path: Path
    attrs: dict

    def get(self, key, default=None):
        return self.attrs.get(key, default)

    @property
    def scenario_name(self):
        return str(self.attrs.get("scenario_name", ""))

    @property
    def replicate(self):
        return int(self.attrs.get("replicate", 0))

    @property
    def seed(self):
        return int(self.attrs.get("seed", 0))

    @property
    def complete(self):
        return int(self.attrs.get("complete", 0)) == 1 and str(self.attrs.get("status", "")) == "complete"

    @property
    def scenario_yaml(self):
        return str(self.attrs.get("scenario", ""))

    def why_incomplete(self):
        status = self.attrs.get("status", "?")
        return (f"incomplete run (status '{status}', complete={self.attrs.get('complete', '?')}, "
                f"{self.attrs.get('steps_written', '?')} of {self.attrs.get('steps', '?')} steps written)")


def inspect(path):
    """Opens a file and checks that it is a ruralsim output; returns its RunInfo.

    Raises AnalysisError for a file that is missing, not HDF5, or not a ruralsim output.
    An incomplete run is returned (info.complete is False): the caller decides.
    """
    h5py = _h5py()
    path = Path(path)
    if not path.exists():
        raise AnalysisError(f"{path}: no such file")
    if path.is_dir():
        raise AnalysisError(f"{path}: is a folder without ensemble.json")
    try:
        with path.open("rb") as f:
            magic = f.read(8)
    except OSError as e:
        raise AnalysisError(f"{path}: cannot read ({e.strerror})") from e
    if magic != b"\x89HDF\r\n\x1a\n":
        raise AnalysisError(f"{path}: not a ruralsim output (not an HDF5 file)")
    try:
        with h5py.File(path, "r", locking=False) as f:
            attrs = {k: _py(v) for k, v in f.attrs.items()}
            groups = set(f.keys())
    except OSError as e:
        raise AnalysisError(f"{path}: cannot open as HDF5 ({e})") from e
    missing = [a for a in ("model", "model_version", "format_version", "scenario_name", "replicate", "complete")
               if a not in attrs]
    if missing:
        raise AnalysisError(f"{path}: not a ruralsim output (no root attribute {', '.join(missing)})")
    info = RunInfo(path, attrs)
    if str(attrs["format_version"]) not in SUPPORTED_FORMAT_VERSIONS:
        raise AnalysisError(f"{path}: output format version {attrs['format_version']} is not supported "
                            f"(this analysis reads version {', '.join(sorted(SUPPORTED_FORMAT_VERSIONS))})")
    if attrs["model"] != MODEL:
        raise AnalysisError(f"{path}: model '{attrs['model']}' is not supported (this analysis reads '{MODEL}')")
    if info.complete:
        lacking = [g for g in ("time", "county", "total", "static") if g not in groups]
        if lacking:
            raise AnalysisError(f"{path}: not a complete ruralsim output (no group /{', /'.join(lacking)})")
    return info


@dataclass
class Run:
    """The monthly data of one complete run that the analysis reads."""
    info: RunInfo
    time: pd.DataFrame                 # step, year, month per row
    county: dict                       # name -> float array [T, counties]
    total: dict                        # name -> float array [T]
    counties: pd.DataFrame             # static county table
    dataset_attrs: dict                # name -> {units, description, yearly}

    @property
    def path(self):
        return self.info.path

    def complete_years(self):
        """Calendar years with all twelve months written."""
        t = self.time
        years = []
        for y, months in t.groupby("year")["month"]:
            if sorted(months.tolist()) == list(range(1, 13)):
                years.append(int(y))
        return years

    def rows_of_year(self, year):
        return np.flatnonzero(self.time["year"].to_numpy() == year)


def read_run(path_or_info, datasets=None, with_attrs=False):
    """Reads a complete run. Raises AnalysisError if it is incomplete or lacks a dataset.

    datasets: the /county (and /total) datasets to read (default: those the indicators
    need); with_attrs: also read each dataset's units, description and yearly rule.
    """
    h5py = _h5py()
    info = path_or_info if isinstance(path_or_info, RunInfo) else inspect(path_or_info)
    path = info.path
    if not info.complete:
        raise AnalysisError(f"{path}: {info.why_incomplete()}")
    names = list(datasets or ind.RAW_DATASETS)
    with h5py.File(path, "r", locking=False) as f:
        missing = [f"/county/{n}" for n in names if n not in f["county"]]
        missing += [f"/time/{n}" for n in ("year", "month", "step") if n not in f["time"]]
        if "static" not in f or "county" not in f["static"]:
            missing.append("/static/county")
        if missing:
            shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
            raise AnalysisError(f"{path}: schema differs from what this analysis reads "
                                f"(model {info.get('model_version')}): missing {shown}")
        time = pd.DataFrame({k: f["time"][k][:].astype(np.int64) for k in ("step", "year", "month")})
        t = len(time)
        county, total, attrs = {}, {}, {}
        for n in names:
            d = f["county"][n]
            if d.ndim != 2 or d.shape[0] != t:
                raise AnalysisError(f"{path}: /county/{n} has shape {d.shape}, expected [{t}, counties]")
            county[n] = d[:].astype(np.float64)
            if with_attrs:
                attrs[n] = {k: _py(v) for k, v in d.attrs.items()}
        for n in names + ["gini_between_counties"]:
            d = f["total"].get(n)
            if d is not None and d.ndim == 2 and d.shape[0] == t:
                total[n] = d[:, 0].astype(np.float64)
                if with_attrs:
                    attrs.setdefault(n, {k: _py(v) for k, v in d.attrs.items()})
        static = {}
        for n in f["static"]["county"]:
            v = f["static"]["county"][n][:]
            static[n] = _strings(v) if v.dtype.kind in "OS" else v
        counties = pd.DataFrame(static)
    nc = next(iter(county.values())).shape[1] if county else 0
    if len(counties) != nc:
        raise AnalysisError(f"{path}: /static/county has {len(counties)} rows but /county has {nc} columns")
    for col in ("name", "province", "prefecture"):
        if col not in counties:
            raise AnalysisError(f"{path}: /static/county/{col} is missing")
    return Run(info, time, county, total, counties, attrs)


# ---------------------------------------------------------------------------
# Levels: which counties make up each unit.

def units(counties, level):
    """Names of the units of a level and the [counties, units] 0/1 membership matrix."""
    n = len(counties)
    if level == "total":
        return ["all counties"], np.ones((n, 1))
    if level == "county":
        return list(counties["name"]), np.eye(n)
    if level == "province":
        if "province_index" in counties:
            order = counties.drop_duplicates("province").sort_values("province_index")["province"].tolist()
        else:
            order = list(dict.fromkeys(counties["province"]))
        keys = counties["province"].tolist()
        names = order
    elif level == "prefecture":
        pairs = list(zip(counties["province"], counties["prefecture"]))
        order = list(dict.fromkeys(pairs))
        if "province_index" in counties:
            rank = dict(zip(counties["province"], counties["province_index"]))
            order.sort(key=lambda p: rank[p[0]])  # stable: counties' order within a province
        keys = pairs
        prefectures = [p for _, p in order]
        names = [p if prefectures.count(p) == 1 else f"{p} ({prov})" for prov, p in order]
    else:
        raise ValueError(f"unknown level '{level}' (levels: {', '.join(ind.LEVELS)})")
    index = {k: j for j, k in enumerate(order)}
    m = np.zeros((n, len(order)))
    for i, k in enumerate(keys):
        m[i, index[k]] = 1.0
    return names, m


def period_label(years):
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else f"{years[0]}"


def table_index(counties, levels, names, years):
    """The rows that evaluate() fills, in its order: level, area, indicator, period."""
    rows = []
    periods = [str(y) for y in years] + ([period_label(years)] if len(years) > 1 else [])
    for level in levels:
        unit_names, _ = units(counties, level)
        for name in names:
            if level not in ind.BY_NAME[name].levels:
                continue
            for u in unit_names:
                for p in periods:
                    rows.append((level, u, name, p))
    return pd.DataFrame(rows, columns=["level", "area", "indicator", "period"])


def evaluate(run, levels, names, years, scale_up=False):
    """The indicator values of a run in the order of table_index(); a float array."""
    for y in years:
        if len(run.rows_of_year(y)) != 12:
            raise AnalysisError(f"{run.path}: year {y} is not complete in this run")
    total_gini = run.total.get("gini")
    factor = 1.0
    if scale_up:
        scale = scenario_value(run.info, "population.scale")
        factor = 1.0 / float(scale) if scale else 1.0
    out = []
    for level in levels:
        _, m = units(run.counties, level)
        windows = []
        previous = None
        for y in years:
            w = ind.Window(run.county, run.rows_of_year(y), m, total_gini if level == "total" else None,
                           previous=previous)
            windows.append(w)
            previous = w
        period = None
        if len(years) > 1:
            rows = np.concatenate([run.rows_of_year(y) for y in years])
            period = ind.Window(run.county, rows, m, total_gini if level == "total" else None,
                                first=windows[0], last_year=windows[-1])
            period.years = len(years)
        for name in names:
            spec = ind.BY_NAME[name]
            if level not in spec.levels:
                continue
            f = factor if spec.extensive else 1.0
            per_window = [np.asarray(spec.compute(w, level), dtype=float) * f for w in windows]
            if period is not None:
                if spec.period == "last_year":
                    per_window.append(per_window[-1])
                else:
                    per_window.append(np.asarray(spec.compute(period, level), dtype=float) * f)
            out.append(np.stack(per_window, axis=1).reshape(-1))  # unit-major, then period
    return np.concatenate(out) if out else np.zeros(0)


# ---------------------------------------------------------------------------
# Scenario text

def scenario_settings(info):
    """The resolved scenario of a run as a flat dict of dotted keys (values as text)."""
    text = info.scenario_yaml if isinstance(info, RunInfo) else str(info)
    try:
        import yaml
        tree = yaml.safe_load(text) or {}
    except Exception:
        tree = None
    flat = {}

    def walk(node, prefix):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{prefix}.{k}" if prefix else str(k))
        else:
            if isinstance(node, list):
                node = "[" + ", ".join(_yaml_scalar(v) for v in node) + "]"
            else:
                node = _yaml_scalar(node)
            flat[prefix] = node

    if isinstance(tree, dict):
        walk(tree, "")
        return flat
    # No YAML parser: read "key: value" lines by indentation (the resolved text is simple).
    stack = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        key, _, value = line.strip().partition(":")
        value = value.split(" #")[0].strip()
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = ".".join([k for _, k in stack] + [key])
        if value:
            flat[path] = value.strip('"')
        else:
            stack.append((indent, key))
    return flat


def _yaml_scalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def scenario_value(info, key):
    value = scenario_settings(info).get(key)
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


# ---------------------------------------------------------------------------
# Inputs of a comparison

@dataclass
class Group:
    """The runs of one scenario (one label), sorted by replicate."""
    label: str
    runs: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    ensembles: list = field(default_factory=list)   # ensemble.json paths

    @property
    def replicates(self):
        return [r.info.replicate for r in self.runs]

    @property
    def scenario_name(self):
        return self.runs[0].info.scenario_name if self.runs else ""

    def run_of(self, replicate):
        for r in self.runs:
            if r.info.replicate == replicate:
                return r
        return None


@dataclass
class Inputs:
    groups: list
    warnings: list
    skipped: list        # (path, reason)
    years: list          # complete years common to every run
    counties: pd.DataFrame

    def group(self, label):
        for g in self.groups:
            if g.label == label:
                return g
        return None

    @property
    def labels(self):
        return [g.label for g in self.groups]

    def runs(self):
        for g in self.groups:
            yield from g.runs


def _split_label(spec):
    spec = str(spec)
    if os.path.exists(spec) or "=" not in spec:
        return None, spec
    label, _, path = spec.partition("=")
    if not label or "/" in label:
        return None, spec
    return label, path


def _ensemble_members(index_path, warn, skipped):
    """The usable member files of an ensemble.json, with warnings for the others."""
    try:
        data = json.loads(Path(index_path).read_text())
    except OSError as e:
        raise AnalysisError(f"{index_path}: cannot read ({e.strerror})") from e
    except json.JSONDecodeError as e:
        raise AnalysisError(f"{index_path}: not a ruralsim ensemble index (invalid JSON: {e})") from e
    if not isinstance(data, dict) or data.get("format") != ENSEMBLE_FORMAT:
        raise AnalysisError(f"{index_path}: not a ruralsim ensemble index (format is not '{ENSEMBLE_FORMAT}')")
    members = data.get("members")
    if not isinstance(members, list) or not members:
        raise AnalysisError(f"{index_path}: ensemble index lists no members")
    folder = Path(index_path).parent
    files = []
    for m in members:
        file = folder / str(m.get("file", ""))
        status = m.get("status", "?")
        rep = m.get("replicate", "?")
        if status != "complete":
            why = f"replicate {rep} {status}" + (f": {m['error']}" if m.get("error") else "")
            warn(f"{file}: skipped ({why}; listed in {index_path})")
            skipped.append((str(file), why))
            continue
        if not file.exists():
            partial = Path(str(file) + ".partial")
            why = ("missing; only an unfinished " + partial.name + " exists") if partial.exists() else "missing"
            warn(f"{file}: skipped (replicate {rep} {why}; listed in {index_path})")
            skipped.append((str(file), why))
            continue
        files.append((file, m))
    return data, files


def load_inputs(specs, warn=None, datasets=None):
    """Reads the inputs of a comparison: ensembles (folder or ensemble.json) or .h5 files.

    An input may be written LABEL=PATH to name its group. Returns Inputs; raises
    AnalysisError when the inputs cannot be compared.
    """
    warnings = []

    def _warn(msg):
        warnings.append(msg)
        (warn or _warn_stderr)(msg)

    skipped = []
    collected = []   # (label or None, spec, RunInfo, ensemble index or None)
    if not specs:
        raise AnalysisError("no inputs given")
    for spec in specs:
        label, path = _split_label(spec)
        p = Path(path)
        if p.is_dir():
            if not (p / "ensemble.json").exists():
                h5s = sorted(p.glob("*.h5"))
                hint = f" (it has {len(h5s)} .h5 files: give them as inputs)" if h5s else ""
                raise AnalysisError(f"{p}: a folder without ensemble.json{hint}")
            p = p / "ensemble.json"
        if p.name.endswith(".json"):
            data, files = _ensemble_members(p, _warn, skipped)
            usable = 0
            for file, member in files:
                try:
                    info = inspect(file)
                except AnalysisError as e:
                    raise AnalysisError(f"{e} (listed in {p})") from None
                if not info.complete:
                    _warn(f"{file}: skipped ({info.why_incomplete()}; listed in {p})")
                    skipped.append((str(file), info.why_incomplete()))
                    continue
                if info.scenario_name != data.get("scenario") or info.replicate != member.get("replicate"):
                    raise AnalysisError(
                        f"{file}: holds scenario '{info.scenario_name}' replicate {info.replicate}, but {p} lists it "
                        f"as scenario '{data.get('scenario')}' replicate {member.get('replicate')}")
                collected.append((label, str(spec), info, p))
                usable += 1
            if usable == 0:
                raise AnalysisError(f"{p}: no complete replicate to analyse")
            continue
        if p.name.endswith(".partial"):
            why = "unfinished output (.partial: the run crashed, was interrupted or is still running)"
            try:
                why = f"unfinished output (.partial; {inspect(p).why_incomplete()})"
            except AnalysisError:
                pass
            _warn(f"{p}: skipped ({why})")
            skipped.append((str(p), why))
            continue
        info = inspect(p)
        if not info.complete:
            _warn(f"{p}: skipped ({info.why_incomplete()})")
            skipped.append((str(p), info.why_incomplete()))
            continue
        if Path(str(p) + ".partial").exists():
            _warn(f"{p}: an unfinished {p.name}.partial lies beside it (a rerun crashed or is running); "
                  f"using the complete file")
        collected.append((label, str(spec), info, None))

    if not collected:
        raise AnalysisError("no complete run among the inputs: " + ", ".join(str(s) for s in specs))

    # Every run must come from the same model version and output schema.
    for key, what in (("format_version", "output format versions"), ("model_version", "model versions")):
        values = {}
        for _, _, info, _ in collected:
            values.setdefault(str(info.get(key)), []).append(str(info.path))
        if len(values) > 1:
            parts = "; ".join(f"{v}: {', '.join(files[:3])}{' ...' if len(files) > 3 else ''}"
                              for v, files in values.items())
            raise AnalysisError(f"the inputs come from different {what} ({parts}); "
                                f"compare runs of one version (rerun the older ones)")
    for key, what in (("engine_version", "engine versions"), ("git_commit", "builds (git commits)")):
        values = {str(info.get(key)) for _, _, info, _ in collected}
        if len(values) > 1:
            _warn(f"the inputs come from different {what}: {', '.join(sorted(values))}")

    # Groups: by explicit label, else by scenario name; the same name with different
    # settings makes separate groups.
    groups = {}
    yaml_of = {}
    for label, spec, info, index in collected:
        base = label or info.scenario_name or Path(info.path).stem
        key = base
        n = 1
        while key in yaml_of and yaml_of[key] != info.scenario_yaml:
            n += 1
            key = f"{base} ({n})"
        if key != base and key not in groups:
            _warn(f"{info.path}: scenario '{base}' with other settings than an earlier input of that name; "
                  f"labelled '{key}' (name inputs with LABEL=PATH)")
        yaml_of.setdefault(key, info.scenario_yaml)
        g = groups.setdefault(key, Group(key))
        if spec not in g.sources:
            g.sources.append(spec)
        if index is not None and str(index) not in g.ensembles:
            g.ensembles.append(str(index))
        for other in g.runs:
            if other.replicate == info.replicate:
                raise AnalysisError(f"replicate {info.replicate} of '{key}' is given twice: {other.path} and "
                                    f"{info.path}")
        g.runs.append(info)  # RunInfo for now; read below

    # Read the data.
    counties = None
    for g in groups.values():
        runs = []
        for info in sorted(g.runs, key=lambda i: i.replicate):
            run = read_run(info, datasets)
            if counties is None:
                counties, first = run.counties, run.path
            elif list(run.counties["name"]) != list(counties["name"]) or \
                    list(run.counties["province"]) != list(counties["province"]):
                raise AnalysisError(f"{run.path}: its counties differ from those of {first} "
                                    f"(another county file?); runs must share the counties to be compared")
            runs.append(run)
        g.runs = runs

    # Years every run has complete.
    year_sets = {str(r.path): r.complete_years() for g in groups.values() for r in g.runs}
    common = sorted(set.intersection(*(set(v) for v in year_sets.values())))
    if not common:
        raise AnalysisError("the inputs share no complete calendar year: " +
                            "; ".join(f"{p}: {v[0]}-{v[-1]}" if v else f"{p}: none" for p, v in year_sets.items()))
    longest = max(len(v) for v in year_sets.values())
    if any(len(v) != len(common) for v in year_sets.values()) and longest > len(common):
        _warn(f"the runs cover different years; comparing the years all of them have: {period_label(common)}")

    glist = list(groups.values())
    # Uneven ensembles and settings that break pairing.
    reps = {g.label: g.replicates for g in glist}
    if len({tuple(v) for v in reps.values()}) > 1:
        _warn("uneven ensembles: " + "; ".join(f"'{k}' has replicates {_ranges(v)}" for k, v in reps.items()) +
              " (summaries use each scenario's replicates; differences use the replicates both have)")
    seeds = {g.label: {r.info.seed for r in g.runs} for g in glist}
    if len(set().union(*seeds.values())) > 1:
        _warn("the runs have different seeds (" + "; ".join(f"{k}: {sorted(v)}" for k, v in seeds.items()) +
              "): replicates of the same index do not share random streams, so pairing gains nothing")
    scales = {g.label: scenario_value(g.runs[0].info, "population.scale") for g in glist}
    if len(set(scales.values())) > 1:
        _warn("the scenarios simulate different population scales (" +
              ", ".join(f"{k}: {v}" for k, v in scales.items()) +
              "): counts and yuan totals differ by scale alone; use --scale-up")
    return Inputs(glist, warnings, skipped, common, counties)


def _ranges(values):
    values = sorted(values)
    if not values:
        return "none"
    parts, start, prev = [], values[0], values[0]
    for v in values[1:] + [None]:
        if v is not None and v == prev + 1:
            prev = v
            continue
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        if v is not None:
            start = prev = v
    return ",".join(parts)


# ---------------------------------------------------------------------------
# Convenience readers for researchers

def metadata(path):
    """Root attributes of a run as a dict (scenario text included)."""
    return dict(inspect(path).attrs)


def monthly(path, level="total", indicators=None):
    """Monthly series of a run: one row per month (and area), one column per dataset.

    At the total and county levels the recorded datasets are returned as they are
    (all of them unless ``indicators`` names some). At province and prefecture levels
    the counties' additive datasets are summed; ratios are left out (recompute them
    from their parts).
    """
    run = path if isinstance(path, Run) else read_run(path, _all_county_datasets(path), with_attrs=True)
    names = list(indicators) if indicators else list(run.county)
    frames = []
    if level == "total":
        data = {n: run.total[n] for n in names if n in run.total}
        df = pd.concat([run.time, pd.DataFrame(data)], axis=1)
        df.insert(0, "area", "all counties")
        return df
    unit_names, m = units(run.counties, level)
    for n in names:
        if n not in run.county:
            continue
        kind = run.dataset_attrs.get(n, {}).get("yearly")
        if level != "county" and kind not in ("sum", "last"):
            continue
        frames.append((n, run.county[n] @ m))
    t = len(run.time)
    out = pd.DataFrame({
        "area": np.tile(unit_names, t),
        "step": np.repeat(run.time["step"].to_numpy(), len(unit_names)),
        "year": np.repeat(run.time["year"].to_numpy(), len(unit_names)),
        "month": np.repeat(run.time["month"].to_numpy(), len(unit_names)),
    })
    for n, values in frames:
        out[n] = values.reshape(-1)
    return out


def _all_county_datasets(path):
    h5py = _h5py()
    with h5py.File(path, "r", locking=False) as f:
        return list(f["county"].keys())


def yearly(path, level="total", indicators=None, scale_up=False):
    """Indicators of one run per year and for the whole period: one row per area and period."""
    run = path if isinstance(path, Run) else read_run(path)
    names = ind.select(indicators)
    years = run.complete_years()
    if not years:
        raise AnalysisError(f"{run.path}: no complete calendar year")
    idx = table_index(run.counties, [level], names, years)
    idx["value"] = evaluate(run, [level], names, years, scale_up)
    wide = idx.pivot_table(index=["area", "period"], columns="indicator", values="value", sort=False,
                           dropna=False)
    wide = wide[[n for n in names if n in wide.columns]]
    return wide.reset_index()


def ensemble_yearly(path, level="total", indicators=None, scale_up=False):
    """yearly() for every complete replicate of an ensemble, with a replicate column."""
    inputs = load_inputs([path], warn=_warn_stderr)
    frames = []
    for run in inputs.runs():
        df = yearly(run, level, indicators, scale_up)
        df.insert(0, "replicate", run.info.replicate)
        df.insert(0, "scenario", run.info.scenario_name)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)
