"""Load ruralsim runs (.h5) and ensembles (ensemble.json) into numpy/pandas, with validation.

For researchers, the entry points are:

- ``metadata(path)``: the root attributes of a run as a dict;
- ``monthly(path, level=None, indicators=None)``: monthly series, one row per month
  (and per province/prefecture/county at those levels; level None: the whole, "total");
- ``yearly(path, level=None, indicators=None)``: the indicators of the run's model
  description (see :mod:`ruralsim_analysis.indicators`) per year and for the whole period;
- ``catalog(path)``: the :class:`~ruralsim_analysis.indicators.Catalog` of a run's description;
- ``ensemble_yearly(path, level=None)``: the same for every complete replicate of an
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
from . import errors
from .errors import AnalysisError

SUPPORTED_FORMAT_VERSIONS = {"2"}
PACKAGE = "ruralsim_analysis"        # what a description's analysis.package must name
ENSEMBLE_FORMAT = "ruralsim-ensemble"

__all__ = ["AnalysisError", "RunInfo", "Run", "Inputs", "Group", "inspect", "catalog", "read_run", "units",
           "table_index", "evaluate", "load_inputs", "metadata", "monthly", "yearly", "ensemble_yearly"]


def _h5py():
    try:
        import h5py
    except ImportError as e:  # pragma: no cover - setup.sh installs it
        raise AnalysisError("the Python package h5py is missing; run setup.sh (Debian: python3-h5py)",
                            errors.FAILURE) from e
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

    @property
    def description_text(self):
        """The model description (JSON text) the file carries."""
        return str(self.attrs.get("model_description", ""))

    def catalog(self):
        """The Catalog of the file's model description (built once)."""
        cat = self.__dict__.get("_catalog")
        if cat is None:
            cat = self.__dict__["_catalog"] = ind.Catalog.from_json(self.description_text, self.path)
        return cat

    def why_incomplete(self):
        status = self.attrs.get("status", "?")
        return (f"incomplete run (status '{status}', complete={self.attrs.get('complete', '?')}, "
                f"{self.attrs.get('steps_written', '?')} of {self.attrs.get('steps', '?')} steps written)")


def inspect(path):
    """Opens a file and checks that it is a ruralsim output; returns its RunInfo.

    Raises AnalysisError for a file that is missing, not HDF5, not a ruralsim output, of
    another output format, or whose model this package does not analyse. An incomplete
    run is returned (info.complete is False): the caller decides.
    """
    h5py = _h5py()
    path = Path(path)
    if not path.exists():
        raise AnalysisError(f"{path}: no such file", errors.IO)
    if path.is_dir():
        raise AnalysisError(f"{path}: is a folder without ensemble.json")
    try:
        with path.open("rb") as f:
            magic = f.read(8)
    except OSError as e:
        raise AnalysisError(f"{path}: cannot read ({e.strerror})", errors.IO) from e
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
    version = str(attrs["format_version"])
    if version == "1":
        raise AnalysisError(f"{path}: written by an older ruralsim (format 1); re-run it "
                            f"(this analysis reads format {', '.join(sorted(SUPPORTED_FORMAT_VERSIONS))}, "
                            f"whose files describe their model)")
    if version not in SUPPORTED_FORMAT_VERSIONS:
        raise AnalysisError(f"{path}: output format version {version} is not supported "
                            f"(this analysis reads version {', '.join(sorted(SUPPORTED_FORMAT_VERSIONS))})")
    if "model_description" not in attrs:
        raise AnalysisError(f"{path}: no model description (root attribute model_description); written by an "
                            f"older ruralsim? re-run it")
    cat = info.catalog()
    if cat.package != PACKAGE:
        raise AnalysisError(f"{path}: model '{attrs['model']}' names the analysis package '{cat.package}' in its "
                            f"description, not {PACKAGE}")
    if info.complete:
        lacking = [g for g in ("time", cat.level, cat.total, "static") if g not in groups]
        if lacking:
            raise AnalysisError(f"{path}: not a complete ruralsim output (no group /{', /'.join(lacking)})")
    return info


def catalog(path):
    """The Catalog of a run's model description (a path, RunInfo or Run)."""
    if isinstance(path, Run):
        return path.catalog
    info = path if isinstance(path, RunInfo) else inspect(path)
    return info.catalog()


@dataclass
class Run:
    """The monthly data of one complete run that the analysis reads."""
    info: RunInfo
    time: pd.DataFrame                 # step, year, month per row
    county: dict                       # name -> float array [T, counties]
    total: dict                        # name -> float array [T]
    counties: pd.DataFrame             # static table of the analysis level (counties)
    dataset_attrs: dict                # name -> {units, description, yearly, formula}
    catalog: ind.Catalog = None

    @property
    def path(self):
        return self.info.path

    @property
    def year_of_row(self):
        return self.time["year"].to_numpy()

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


def read_run(path_or_info, datasets=None, with_attrs=False, catalog=None, total_datasets=None):
    """Reads a complete run. Raises AnalysisError if it is incomplete or lacks a dataset.

    datasets: the /county datasets to read (default: those the description's indicators
    need); total_datasets: the /total datasets to read (default: with the default
    datasets, those of recorded indicators that are not sums of counties; with datasets
    given, those of the same names that /total has); with_attrs: also read each
    dataset's units, description and yearly rule; catalog: the Catalog to evaluate with
    (default: the file's own).
    """
    h5py = _h5py()
    info = path_or_info if isinstance(path_or_info, RunInfo) else inspect(path_or_info)
    path = info.path
    if not info.complete:
        raise AnalysisError(f"{path}: {info.why_incomplete()}")
    cat = catalog or info.catalog()
    table = cat.table
    if datasets is None:
        names, total_names = cat.needed_datasets()
    else:
        names, total_names = list(datasets), []
    optional_total = [] if datasets is None else list(names)
    if total_datasets is not None:
        total_names, optional_total = list(total_datasets), []
    try:
        return _read_run(h5py, info, path, cat, table, names, total_names, optional_total, with_attrs)
    except OSError as e:   # the file was inspected: what HDF5 cannot read in it is its content
        raise AnalysisError(f"{path}: cannot read its data as HDF5 ({e})") from e


def _read_run(h5py, info, path, cat, table, names, total_names, optional_total, with_attrs):
    with h5py.File(path, "r", locking=False) as f:
        level = cat.level
        if level not in f:
            raise AnalysisError(f"{path}: schema differs from what this analysis reads "
                                f"(model {info.get('model_version')}): no group /{level}")
        missing = [f"/{level}/{n}" for n in names if n not in f[level]]
        missing += [f"/{cat.total}/{n}" for n in total_names if n not in f[cat.total]]
        missing += [f"/time/{n}" for n in ("year", "month", "step") if n not in f["time"]]
        if "static" not in f or table not in f["static"]:
            missing.append(f"/static/{table}")
        if missing:
            shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
            raise AnalysisError(f"{path}: schema differs from what this analysis reads "
                                f"(model {info.get('model_version')}): missing {shown}")
        time = pd.DataFrame({k: f["time"][k][:].astype(np.int64) for k in ("step", "year", "month")})
        t = len(time)
        county, total, attrs = {}, {}, {}
        for n in names:
            d = f[level][n]
            if d.ndim != 2 or d.shape[0] != t:
                raise AnalysisError(f"{path}: /{level}/{n} has shape {d.shape}, expected [{t}, {cat.plural}]")
            county[n] = d[:].astype(np.float64)
            if with_attrs:
                attrs[n] = {k: _py(v) for k, v in d.attrs.items()}
        for n in list(dict.fromkeys(list(total_names) + optional_total)):
            d = f[cat.total].get(n)
            if d is not None and d.ndim == 2 and d.shape[0] == t:
                total[n] = d[:, 0].astype(np.float64)
                if with_attrs:
                    attrs.setdefault(n, {k: _py(v) for k, v in d.attrs.items()})
            elif n in total_names:
                raise AnalysisError(f"{path}: /{cat.total}/{n} has shape {None if d is None else d.shape}, "
                                    f"expected [{t}, 1]")
        static = {}
        for n in f["static"][table]:
            v = f["static"][table][n][:]
            static[n] = _strings(v) if v.dtype.kind in "OS" else v
        counties = pd.DataFrame(static)
    nc = next(iter(county.values())).shape[1] if county else len(counties)
    if len(counties) != nc:
        raise AnalysisError(f"{path}: /static/{table} has {len(counties)} rows but /{level} has {nc} columns")
    for col in ["name"] + cat.groupings + cat.flags:
        if col not in counties:
            raise AnalysisError(f"{path}: /static/{table}/{col} is missing")
    return Run(info, time, county, total, counties, attrs, cat)


# ---------------------------------------------------------------------------
# Levels: which counties make up each unit.

def units(counties, level, catalog):
    """Names of the units of a level and the [counties, units] 0/1 membership matrix.

    The whole is one unit named by level 0's label ("all counties"); a grouping (a fixed
    column of the county table, e.g. province) has one unit per value, nested in the
    groupings before it (a prefecture within its province), ordered by the groupings'
    ``<name>_index`` columns where the table has them, else by first appearance; a value
    that occurs under two parents is named "value (parent)". The analysis level has one
    unit per county.
    """
    n = len(counties)
    kind = catalog.kind(level)
    if kind == "total":
        return [catalog.total_label], np.ones((n, 1))
    if kind == "county":
        return list(counties["name"]), np.eye(n)
    if level in catalog.flags:
        # A flag: the counties with it ("yes") and those without ("no").
        flag = np.asarray(counties[level]).astype(int) != 0
        return ["yes", "no"], np.stack([flag, ~flag], axis=1).astype(float)
    depth = catalog.groupings.index(level) + 1
    chain = catalog.groupings[:depth]
    keys = list(zip(*(counties[g].tolist() for g in chain)))
    order = list(dict.fromkeys(keys))
    ranks = [g + "_index" for g in chain if g + "_index" in counties]
    if ranks:
        rank = {}
        for i, k in enumerate(keys):
            rank.setdefault(k, tuple(counties[r].iloc[i] for r in ranks))
        order.sort(key=lambda k: rank[k])   # stable: first appearance among equals
    values = [k[-1] for k in order]
    names = [k[-1] if values.count(k[-1]) == 1 or depth == 1 else f"{k[-1]} ({k[-2]})" for k in order]
    index = {k: j for j, k in enumerate(order)}
    m = np.zeros((n, len(order)))
    for i, k in enumerate(keys):
        m[i, index[k]] = 1.0
    return names, m


def period_label(years):
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else f"{years[0]}"


def table_index(counties, levels, names, years, catalog):
    """The rows that evaluate() fills, in its order: level, area, indicator, period.

    An indicator appears at the levels where it has a value (Catalog.available)."""
    rows = []
    periods = [str(y) for y in years] + ([period_label(years)] if len(years) > 1 else [])
    for level in levels:
        unit_names, _ = units(counties, level, catalog)
        for name in names:
            if level not in catalog.by_name[name].levels:
                continue
            for u in unit_names:
                for p in periods:
                    rows.append((level, u, name, p))
    return pd.DataFrame(rows, columns=["level", "area", "indicator", "period"])


def evaluate(run, levels, names, years, scale_up=False, catalog=None):
    """The indicator values of a run in the order of table_index(); a float array."""
    cat = catalog or run.catalog
    for y in years:
        if len(run.rows_of_year(y)) != 12:
            raise AnalysisError(f"{run.path}: year {y} is not complete in this run")
    factor = 1.0
    if scale_up:
        scale = scenario_value(run.info, "population.scale")
        factor = 1.0 / float(scale) if scale else 1.0
    out = []
    for level in levels:
        kind = cat.kind(level)
        _, m = units(run.counties, level, cat)
        ev = ind.Evaluator(cat, run, kind, None if kind == "county" else m)
        windows = [ev.window(y) for y in years]
        if len(years) > 1:
            windows.append(ev.window(None, years))
        for name in names:
            spec = cat.by_name[name]
            if level not in spec.levels:
                continue
            f = factor if spec.extensive else 1.0
            per_window = [ev.value(name, w) * f for w in windows]
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
    catalog: ind.Catalog = None   # of the runs' (common) model description

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
        raise AnalysisError(f"{index_path}: cannot read ({e.strerror})", errors.IO) from e
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
        raise AnalysisError("no inputs given", errors.USAGE)
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
                    raise AnalysisError(f"{e} (listed in {p})", e.status) from None
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

    # Every run must come from the same model, model version, output schema and description.
    for key, what in (("format_version", "output format versions"), ("model", "models"),
                      ("model_version", "model versions")):
        values = {}
        for _, _, info, _ in collected:
            values.setdefault(str(info.get(key)), []).append(str(info.path))
        if len(values) > 1:
            parts = "; ".join(f"{v}: {', '.join(files[:3])}{' ...' if len(files) > 3 else ''}"
                              for v, files in values.items())
            raise AnalysisError(f"the inputs come from different {what} ({parts}); "
                                f"compare runs of one version (rerun the older ones)")
    descriptions = {}
    for _, _, info, _ in collected:
        descriptions.setdefault(info.description_text, []).append(str(info.path))
    if len(descriptions) > 1:
        parts = " vs ".join(f"{', '.join(files[:3])}{' ...' if len(files) > 3 else ''}"
                            for files in descriptions.values())
        raise AnalysisError(
            f"the inputs describe their model differently: the root attribute model_description differs ({parts}) "
            f"under the same model version {collected[0][2].get('model_version')}; "
            "compare runs of one build of the model (rerun the older ones)")
    catalog = collected[0][2].catalog()
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
            run = read_run(info, datasets, catalog=catalog)
            if counties is None:
                counties, first = run.counties, run.path
            elif any(list(run.counties[col]) != list(counties[col]) for col in ["name"] + catalog.groupings):
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
    return Inputs(glist, warnings, skipped, common, counties, catalog)


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


def monthly(path, level=None, indicators=None):
    """Monthly series of a run: one row per month (and area), one column per dataset.

    At the total and county levels the recorded datasets are returned as they are
    (all of them unless ``indicators`` names some). At grouping levels (province,
    prefecture) the counties' additive datasets (the description's indicators combined
    by sum) are summed; the others are left out (recompute ratios from their parts).
    """
    if isinstance(path, Run):
        run = path
    else:
        info = inspect(path)
        county_names, total_names = _recorded_datasets(info)
        run = read_run(info, county_names, with_attrs=True, total_datasets=total_names)
    cat = run.catalog
    level = level or cat.total
    kind = cat.kind(level)
    names = list(indicators) if indicators else list(dict.fromkeys(list(run.county) + list(run.total)))
    if kind == "total":
        data = {n: run.total[n] for n in names if n in run.total}
        df = pd.concat([run.time, pd.DataFrame(data)], axis=1)
        df.insert(0, "area", cat.total_label)
        return df
    unit_names, m = units(run.counties, level, cat)
    frames = []
    for n in names:
        if n not in run.county:
            continue
        if kind != "county" and n not in cat.summable:
            continue
        frames.append((n, run.county[n] @ m))
    t = len(run.time)
    out = pd.DataFrame({
        "area": np.tile(unit_names, t),
        "step": np.repeat(run.time["step"].to_numpy(), len(unit_names)),
        "year": np.repeat(run.time["year"].to_numpy(), len(unit_names)),
        "month": np.repeat(run.time["month"].to_numpy(), len(unit_names)),
    })
    if frames:
        out = pd.concat([out, pd.DataFrame({n: values.reshape(-1) for n, values in frames})], axis=1)
    return out


def _recorded_datasets(info):
    """Names of the datasets of the analysis level and of level 0 in a run's file."""
    h5py = _h5py()
    cat = info.catalog()
    with h5py.File(info.path, "r", locking=False) as f:
        county = list(f[cat.level].keys()) if cat.level in f else []
        total = list(f[cat.total].keys()) if cat.total in f else []
    return county, total


def yearly(path, level=None, indicators=None, scale_up=False):
    """Indicators of one run per year and for the whole period: one row per area and period.

    indicators: names, topics, 'key' or 'all' of the run's description (default: every
    indicator with a topic)."""
    run = path if isinstance(path, Run) else read_run(path)
    cat = run.catalog
    names = cat.select(indicators)
    level = level or cat.total
    cat.kind(level)   # an unknown level is an error
    years = run.complete_years()
    if not years:
        raise AnalysisError(f"{run.path}: no complete calendar year")
    idx = table_index(run.counties, [level], names, years, cat)
    idx["value"] = evaluate(run, [level], names, years, scale_up, cat)
    wide = idx.pivot_table(index=["area", "period"], columns="indicator", values="value", sort=False,
                           dropna=False)
    wide = wide[[n for n in names if n in wide.columns]]
    return wide.reset_index()


def ensemble_yearly(path, level=None, indicators=None, scale_up=False):
    """yearly() for every complete replicate of an ensemble, with a replicate column."""
    inputs = load_inputs([path], warn=_warn_stderr)
    frames = []
    for run in inputs.runs():
        df = yearly(run, level, indicators, scale_up)
        df.insert(0, "replicate", run.info.replicate)
        df.insert(0, "scenario", run.info.scenario_name)
        frames.append(df)
    return pd.concat(frames, ignore_index=True)
