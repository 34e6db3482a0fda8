"""The one exception of the package, and the exit statuses of its commands.

Every command (``python -m ruralsim_analysis COMMAND``, run by ``ruralsim compare``,
``ruralsim report``, ``ruralsim sensitivity``) exits with the engine's statuses
(sim/core/error.hpp):

====  ==============  ==========================================================================
0     OK              done
1     FAILURE         anything not classified below (a bug, a missing Python package)
2     USAGE           bad command-line arguments: unknown option, missing INPUT, an option whose
                      value names nothing in the inputs (--indicators, --level, --baseline, --year)
3     INVALID_INPUT   a file exists but its content is not acceptable: not a ruralsim output or
                      sweep index, another format or model version, runs that cannot be compared
4     IO              a file or folder cannot be read or written (a missing input among them)
5     OUTPUT_EXISTS   refusing to overwrite an output (no command of the package refuses today)
130   INTERRUPTED     stopped by SIGINT or SIGTERM
====  ==============  ==========================================================================
"""

import sys

OK = 0
FAILURE = 1
USAGE = 2
INVALID_INPUT = 3
IO = 4
OUTPUT_EXISTS = 5
INTERRUPTED = 130


class AnalysisError(Exception):
    """An input the analysis cannot use; the message names the file and the problem.

    ``status`` is the command's exit status for it (default INVALID_INPUT).
    """

    def __init__(self, message, status=INVALID_INPUT):
        super().__init__(message)
        self.status = int(status)


def run_command(prog, body):
    """Runs a command's body (a callable returning its status or None) and returns the status.

    AnalysisError: its message on stderr and its status (an output that cannot be written:
    "cannot write PATH: REASON", IO, from outfile); any other OSError: IO; KeyboardInterrupt:
    INTERRUPTED.
    """
    try:
        status = body()
    except AnalysisError as e:
        sys.stderr.write(f"{prog}: error: {e}\n")
        return e.status
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{prog}: interrupted\n")
        return INTERRUPTED
    except BrokenPipeError:   # the reader of the output went away (`| head`): stop quietly
        try:
            import os
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return FAILURE
    except OSError as e:
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        sys.stderr.write(f"{prog}: error: {where}{e.strerror or e}\n")
        return IO
    return int(status or OK)
