"""Analysis of ruralsim outputs: load runs and ensembles, compare scenarios, plot, report.

Commands run as ``python -m ruralsim_analysis COMMAND ARGS`` (what ``ruralsim
compare`` and ``ruralsim report`` do); from Python, use :mod:`ruralsim_analysis.load`
and :mod:`ruralsim_analysis.compare` directly::

    from ruralsim_analysis import load, compare
    inputs = load.load_inputs(["runs/baseline", "runs/no_tilt"])
    result = compare.compare(inputs, baseline="baseline")
    result.summary      # pandas DataFrame: mean, sd, 95 % t-interval per scenario
"""

__all__ = ["load", "indicators", "stats", "compare", "plots", "report"]
