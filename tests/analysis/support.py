"""Shared helpers of the analysis tests: the ruralsim binary, small ensembles, raw readings.

The tests need the program: set RURALSIM_BINARY to build/<preset>/ruralsim.
Run them with Debian's Python (it has h5py, pandas, matplotlib, scipy):

    RURALSIM_BINARY=build/release/ruralsim /usr/bin/python3 -m unittest discover -s tests/analysis -v
"""

import os
import subprocess
import sys
import unittest
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
ANALYSIS = ROOT / "analysis"
if str(ANALYSIS) not in sys.path:
    sys.path.insert(0, str(ANALYSIS))

PYTHON = "/usr/bin/python3"
FAST = ["--set", "population.scale=0.005"]


def binary():
    """The ruralsim program under test, or SkipTest with the reason."""
    path = os.environ.get("RURALSIM_BINARY")
    if not path:
        raise unittest.SkipTest("RURALSIM_BINARY is not set (point it at build/<preset>/ruralsim)")
    if not os.access(path, os.X_OK):
        raise unittest.SkipTest(f"RURALSIM_BINARY={path} is not an executable")
    return path


def env():
    e = dict(os.environ)
    e["RURALSIM_ANALYSIS_DIR"] = str(ANALYSIS)   # the analysis package of this checkout
    e["RURALSIM_PYTHON"] = PYTHON
    return e


def ruralsim(*args, check=False, timeout=300):
    """Runs `ruralsim ARGS`; returns the CompletedProcess (text)."""
    p = subprocess.run([binary(), *map(str, args)], capture_output=True, text=True, env=env(), timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"ruralsim {' '.join(map(str, args))} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    return p


def run_ensemble(scenario, folder, replicates=None, months=24, replicate_list=None, extra=()):
    """An ensemble of a built-in scenario at scale 0.005 into folder (ensemble.json and .h5 files)."""
    args = ["run", scenario, "-o", folder, "-q", *FAST, "--set", f"run.months={months}", *extra]
    if replicate_list is not None:
        args += ["--replicate-list", *replicate_list]
    else:
        args += ["--replicates", replicates]
    ruralsim(*args, check=True)
    return Path(folder)


def total(path, name):
    """/total/<name> of a run as a 1-D float array (months)."""
    import h5py
    with h5py.File(path, "r") as f:
        return f["total"][name][:, 0].astype(float)


def county(path, name):
    import h5py
    with h5py.File(path, "r") as f:
        return f["county"][name][:].astype(float)


def static(path, name):
    import h5py
    with h5py.File(path, "r") as f:
        v = f["static"]["county"][name][:]
    return np.array([x.decode() if isinstance(x, bytes) else x for x in v])


def years(path):
    import h5py
    with h5py.File(path, "r") as f:
        return f["time"]["year"][:], f["time"]["month"][:]


def t975(df):
    from scipy import stats
    return float(stats.t.ppf(0.975, df))


def mean_ci(values):
    v = np.asarray(values, dtype=float)
    n = len(v)
    m = v.mean()
    half = t975(n - 1) * v.std(ddof=1) / np.sqrt(n)
    return m, m - half, m + half


class Result:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def in_process(command, *args):
    """Runs `python -m ruralsim_analysis COMMAND ARGS` in this process (quicker than a new
    interpreter); returns an object with returncode, stdout and stderr like subprocess."""
    import contextlib
    import importlib
    import io
    module = importlib.import_module("ruralsim_analysis." + command)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = module.main([str(a) for a in args])
        except SystemExit as e:  # argparse
            rc = e.code
    return Result(rc, out.getvalue(), err.getvalue())
