"""Writing an output file whole or not at all: the one way every command of the package writes.

``with outfile.replacing(path) as f: ...`` creates the folder of ``path`` if needed, opens a
new temporary file beside ``path`` (created exclusively, never through a symbolic link) and
hands it to the block; when the block ends normally the file is flushed to disk and renamed
to ``path`` (replacing an existing file, as writing over it did). On any failure, an
interrupt (KeyboardInterrupt) included, the temporary is removed, so neither a 0-byte nor a
partial ``path`` is left; a failure of the system (a full disk, a folder that cannot be
written) becomes ``AnalysisError("cannot write PATH: REASON", errors.IO)``, which the
commands report on one line with exit status 4.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets

from . import errors
from .errors import AnalysisError

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _make_folder(folder):
    try:
        os.makedirs(folder, exist_ok=True)
    except FileExistsError:   # it exists but is not a folder: that is the reason writing in it fails
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), folder) from None


def _create_beside(path):
    """A new file beside path, opened for writing: (fd, its path)."""
    folder, name = os.path.split(path)
    for _ in range(100):
        tmp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, _FLAGS, 0o666), tmp
        except FileExistsError:   # a name taken (or a link planted there): draw another
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", os.path.join(folder, f".{name}.*.tmp"))


@contextlib.contextmanager
def replacing(path, binary=False, encoding="utf-8", newline=None):
    """A file object for writing ``path`` whole (text, or bytes if ``binary``); see the module."""
    path = os.fspath(path)
    fd, tmp, f = -1, None, None
    try:
        _make_folder(os.path.dirname(path) or ".")
        fd, tmp = _create_beside(path)
        f = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding=encoding, newline=newline)
        fd = -1   # f owns it now
        yield f
        f.flush()
        os.fsync(f.fileno())   # a full disk may only show here (delayed allocation, network file systems)
        f.close()
        os.replace(tmp, path)
        tmp = None
    except BaseException as e:
        if f is not None:
            with contextlib.suppress(OSError, ValueError):
                f.close()     # may fail again on the buffered rest: the file goes anyway
        elif fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        if isinstance(e, OSError):
            raise AnalysisError(f"cannot write {path}: {e.strerror or e}", errors.IO) from None
        raise


def save_figure(fig, path, dpi=None):
    """A matplotlib figure into path, in the format its suffix names (png, svg), through replacing."""
    with replacing(path, binary=True) as f:
        fig.savefig(f, format=os.path.splitext(os.fspath(path))[1][1:], dpi=dpi)
