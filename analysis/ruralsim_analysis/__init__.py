"""Analysis of ruralsim outputs: load runs and ensembles, compare scenarios, plot, report.

Commands run as ``python -m ruralsim_analysis COMMAND ARGS`` (what ``ruralsim
compare`` and ``ruralsim report`` do); from Python, use :mod:`ruralsim_analysis.load`
and :mod:`ruralsim_analysis.compare` directly::

    from ruralsim_analysis import load, compare
    inputs = load.load_inputs(["runs/baseline", "runs/no_tilt"])
    result = compare.compare(inputs, baseline="baseline")
    result.summary      # pandas DataFrame: mean, sd, 95 % t-interval per scenario

The indicators come from the model description every output file carries
(:class:`ruralsim_analysis.indicators.Catalog`); nothing about the model is written here.
"""

__all__ = ["load", "indicators", "errors", "stats", "compare", "plots", "report"]
