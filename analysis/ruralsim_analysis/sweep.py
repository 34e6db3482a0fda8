"""Read a parameter sweep's index (DIR/sweep.h5) as one table: one row per task.

``ruralsim sweep run SWEEP -o DIR`` (or ``ruralsim sweep collect DIR``) writes the
index; :func:`load_sweep` reads it::

    from ruralsim_analysis.sweep import load_sweep
    df = load_sweep("runs/my-sweep")
    df[["land.quota_mu", "replicate", "status", "income_per_capita", "income_per_capita_2025"]]

Columns of the table (docs/sweeps.md):

- ``task``, ``point``, ``replicate``, ``seed``, ``status`` (pending, complete, failed),
  ``error`` (a failed task's message), ``file`` (the task's HDF5 file, relative to DIR);
- one column per parameter, named by the parameter's name (by default its scenario key),
  with the point's value; ``u_<name>``: the point's unit hypercube coordinate;
- the design layout: ``block`` (grid, list, lhs; A, B, AB for a Saltelli design; morris),
  ``sample`` (row of A/B/AB_i, or Morris trajectory), ``factor`` (AB_i: i; Morris: the
  parameter index changed on reaching the point; else -1), ``step`` and ``delta`` (Morris);
- per collected indicator ``X``: ``X`` the whole-period value and ``X_<year>`` the yearly
  values (NaN for tasks that are not complete). The engine's yearly aggregator forms them
  at the total level by the indicator's ``yearly`` rule in the model description: sum of
  the months, last month, mean of the months, or (``derived``) the formula over the
  window, e.g. ``12 * (sum(income) / sum(people))``; the same definitions as
  ``ruralsim compare`` (:mod:`ruralsim_analysis.indicators`), so the values agree with it
  (the whole period of a sweep is the whole run; compare's, its complete calendar years).

``df.attrs`` holds ``sweep`` (the index's attributes: hash, design, seed rule, ...),
``parameters`` (names), ``keys`` (scenario keys), ``indicators``, ``years``, ``units``
and ``directory``.

As a command, ``python -m ruralsim_analysis sweep DIR [--csv FILE]`` prints a summary
(or writes the table as CSV).
"""

from __future__ import annotations

import argparse
import os
import sys

import h5py
import numpy as np
import pandas as pd

from . import errors, outfile
from .errors import AnalysisError

LAYOUT_COLUMNS = ("block", "sample", "factor", "step", "delta")
HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    return value


def _strings(dataset):
    return [str(s) for s in dataset.asstr()[()]]


def index_path(directory):
    """DIR/sweep.h5, or the path itself if it names a file."""
    path = os.fspath(directory)
    if os.path.isdir(path):
        path = os.path.join(path, "sweep.h5")
    if not os.path.exists(path):
        folder = os.path.dirname(path) or "."
        if os.path.exists(os.path.join(folder, "plan.h5")):
            raise FileNotFoundError(f"{path} does not exist yet; build it with `ruralsim sweep collect {folder}`")
        raise FileNotFoundError(f"{path}: not a sweep folder (no sweep.h5); run `ruralsim sweep run SWEEP -o DIR` first")
    return path


def load_sweep(directory) -> pd.DataFrame:
    """The sweep index of folder ``directory`` as a DataFrame with one row per task."""
    path = index_path(directory)
    with open(path, "rb") as f:
        if f.read(8) != HDF5_SIGNATURE:
            raise ValueError(f"{path}: not a ruralsim sweep index (not an HDF5 file)")
    with h5py.File(path, "r") as f:
        attrs = {k: _text(v) for k, v in f.attrs.items()}
        if attrs.get("format") != "ruralsim-sweep":
            raise ValueError(f"{path} is not a ruralsim sweep index")
        names = _strings(f["parameters/name"])
        keys = _strings(f["parameters/key"])
        point = f["tasks/point"][()].astype(np.int64)
        columns = {
            "task": f["tasks/task"][()].astype(np.int64),
            "point": point,
            "replicate": f["tasks/replicate"][()].astype(np.int64),
            "seed": f["tasks/seed"][()].astype(np.uint64),
            "status": _strings(f["tasks/status"]) if "tasks/status" in f else ["pending"] * len(point),
            "error": _strings(f["tasks/error"]) if "tasks/error" in f else [""] * len(point),
            "file": _strings(f["tasks/file"]),
        }
        for name in names:
            ds = f["points/values/" + name]
            values = np.array(_strings(ds), dtype=object) if ds.dtype.kind in "OS" else ds[()]
            columns[name] = values[point] if len(point) else values[:0]
        unit = f["points/unit"][()]
        for j, name in enumerate(names):
            columns["u_" + name] = unit[point, j] if len(point) else np.zeros(0)
        for col in LAYOUT_COLUMNS:
            ds = f["points/" + col]
            values = np.array(_strings(ds), dtype=object) if ds.dtype.kind in "OS" else ds[()]
            columns[col] = values[point] if len(point) else values[:0]
        indicators, years, units = [], [], {}
        if "results" in f:
            indicators = _strings(f["results/indicators"])
            years = [int(y) for y in f["results/years"][()]]
            for ind in indicators:
                g = f["results/" + ind]
                columns[ind] = g["period"][()]
                yearly = g["yearly"][()]
                for k, year in enumerate(years):
                    columns[f"{ind}_{year}"] = yearly[:, k]
                units[ind] = _text(g.attrs.get("units", ""))
    df = pd.DataFrame(columns)
    df.attrs.update(sweep=attrs, parameters=names, keys=keys, indicators=indicators, years=years, units=units,
                    directory=os.path.dirname(os.path.abspath(path)))
    return df


def load_sweep_checked(directory) -> pd.DataFrame:
    """load_sweep for the commands: AnalysisError with the exit status of what went wrong (a
    missing or unreadable index: IO; one whose content is not a sweep index: INVALID_INPUT)."""
    try:
        return load_sweep(directory)
    except (ValueError, KeyError) as e:
        raise AnalysisError(f"{e.args[0] if e.args else e}", errors.INVALID_INPUT) from None
    except OSError as e:
        if isinstance(e, (FileNotFoundError, PermissionError, IsADirectoryError)) or e.errno is not None:
            raise AnalysisError(str(e) if not e.filename else f"{e.filename}: {e.strerror}", errors.IO) from None
        # h5py reports what it cannot read in a file as OSError without an errno: its content
        raise AnalysisError(f"{index_path(directory)}: not a readable sweep index ({e})",
                            errors.INVALID_INPUT) from None


def response(df: pd.DataFrame, indicator: str, year=None) -> str:
    """The column holding ``indicator`` for ``year`` (None: the whole period); KeyError if absent."""
    if indicator not in df.attrs.get("indicators", []):
        import difflib
        known = df.attrs.get("indicators", [])
        close = difflib.get_close_matches(indicator, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else f" (collected: {', '.join(known) or 'none'})"
        raise KeyError(f"indicator '{indicator}' was not collected{hint}; "
                       f"`ruralsim sweep collect DIR --outputs {indicator},...` collects others")
    if year is None:
        return indicator
    column = f"{indicator}_{int(year)}"
    if column not in df.columns:
        raise KeyError(f"year {year} not in the sweep (years: {', '.join(map(str, df.attrs.get('years', [])))})")
    return column


def point_table(df: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per point: its layout and the mean of ``column`` over its complete replicates
    (``y``; NaN if none), with ``replicates`` counting them."""
    done = df[df["status"] == "complete"]
    mean = done.groupby("point")[column].mean()
    count = done.groupby("point")[column].count()
    first = df.drop_duplicates("point").set_index("point").sort_index()
    out = first[list(LAYOUT_COLUMNS) + df.attrs.get("parameters", [])
                + ["u_" + n for n in df.attrs.get("parameters", [])]].copy()
    out["y"] = mean.reindex(out.index)
    out["replicates"] = count.reindex(out.index).fillna(0).astype(int)
    out.attrs = dict(df.attrs)
    return out.reset_index()


def main(argv) -> int:
    """Summarise a sweep folder's index, or export it as CSV."""
    parser = argparse.ArgumentParser(prog="ruralsim_analysis sweep",
                                     description="Summarise a sweep's index (DIR/sweep.h5) or write it as CSV.")
    parser.add_argument("dir", help="sweep folder")
    parser.add_argument("--csv", help="write the table (one row per task) to this CSV file")
    args = parser.parse_args(argv)

    def body():
        df = load_sweep_checked(args.dir)
        if args.csv:
            with outfile.replacing(args.csv, newline="") as f:
                df.to_csv(f, index=False)
            print(f"wrote {args.csv} ({len(df)} tasks, {len(df.columns)} columns)")
            return errors.OK
        s = df.attrs["sweep"]
        print(f"sweep {s.get('sweep_file', '')} ({s.get('sweep_hash', '')[:19]})")
        print(f"design {s.get('design')}: {s.get('points')} points x {s.get('replicates')} replicates = "
              f"{len(df)} tasks")
        print("status: " + ", ".join(f"{k} {v}" for k, v in df["status"].value_counts().items()))
        print("parameters: " + ", ".join(df.attrs["parameters"]))
        print("indicators: " + (", ".join(df.attrs["indicators"]) or "none collected"))
        return errors.OK

    return errors.run_command("ruralsim sweep", body)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
