"""The one exception of the package: an input the analysis cannot use."""


class AnalysisError(Exception):
    """An input the analysis cannot use; the message names the file and the problem."""
