"""``python -m ruralsim_analysis COMMAND ARGS...``: runs ``ruralsim_analysis.COMMAND.main(ARGS)``.

Any module of the package that defines ``main(argv) -> int`` is a command, so
new commands need no change here. The exit statuses are those of
:mod:`ruralsim_analysis.errors` (the engine's): SIGINT and SIGTERM exit 130.
"""

import importlib
import pkgutil
import signal
import sys

import ruralsim_analysis
from ruralsim_analysis import errors


def commands():
    """Names of the package's modules that define main(argv)."""
    names = []
    for info in pkgutil.iter_modules(ruralsim_analysis.__path__):
        if info.name.startswith("_"):
            continue
        try:
            module = importlib.import_module("ruralsim_analysis." + info.name)
        except Exception:  # a broken module is not listed; running it shows the error
            continue
        if callable(getattr(module, "main", None)):
            names.append(info.name)
    return sorted(names)


def usage(out):
    out.write("usage: python -m ruralsim_analysis COMMAND [ARGS...]\n\ncommands:\n")
    for name in commands():
        module = importlib.import_module("ruralsim_analysis." + name)
        doc = (module.__doc__ or "").strip().splitlines()
        out.write(f"  {name:<12} {doc[0] if doc else ''}\n")


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        usage(sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    name = argv[0]
    if not name.isidentifier() or name.startswith("_"):
        sys.stderr.write(f"ruralsim_analysis: '{name}' is not a command\n")
        usage(sys.stderr)
        return 2
    try:
        module = importlib.import_module("ruralsim_analysis." + name)
    except ModuleNotFoundError as e:
        if e.name != "ruralsim_analysis." + name:
            raise
        sys.stderr.write(f"ruralsim_analysis: unknown command '{name}'\n")
        usage(sys.stderr)
        return 2
    entry = getattr(module, "main", None)
    if not callable(entry):
        sys.stderr.write(f"ruralsim_analysis: module '{name}' is not a command (it has no main)\n")
        return 2
    try:
        result = entry(argv[1:])
    except KeyboardInterrupt:
        sys.stderr.write(f"\nruralsim {name}: interrupted\n")
        return errors.INTERRUPTED
    return int(result or 0)


def _terminate(signum, frame):
    raise KeyboardInterrupt   # SIGTERM as SIGINT: the command stops the same way, status 130


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    try:
        sys.exit(main())
    except KeyboardInterrupt:   # while importing the command
        sys.exit(errors.INTERRUPTED)
