"""The one place files are written: atomically, so a reader never sees half a plan."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from .exceptions import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and one rename.

    An interrupted or failed write leaves the old file (if any) untouched and no temporary behind.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"-o/--output: the folder '{folder}' does not exist; create it first or choose another path")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a plan should get the usual file mode
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"-o/--output: cannot write '{path}': {exc.strerror}") from None
        raise


def emit(target: str, data: bytes) -> None:
    """Write to a path, or to standard output for '-'."""
    if target == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_atomic(Path(target), data)
