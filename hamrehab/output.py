"""The one place files are written: atomically, so a reader never sees half a plan.

The target must be a regular file or not exist yet: a rename over a device, a FIFO or a folder
would replace it (`-o /dev/null` as root once turned /dev/null into a plain file), so those are
refused; `-` (standard output) is the way to write to a pipe.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path

from .exceptions import InputError

REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the folder is on a read-only file system",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "a part of the path is not a folder",
}


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    return REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)


def check_target(path: Path, what: str = "-o/--output") -> None:
    """Refuse a target that is not a regular file (or missing), or whose folder does not exist."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InputError(f"{what}: cannot write '{path}': {_reason(exc)}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file (a device, pipe or socket)"
        raise InputError(f"{what}: '{path}' is {kind}; write to a file, or use '-' for standard output")
    if not folder.is_dir():
        raise InputError(f"{what}: the folder '{folder}' does not exist; create it first or choose another path")


def write_atomic(path: Path, data: bytes, what: str = "-o/--output") -> None:
    """Write `data` to `path` via a temporary file in the same folder and one rename.

    An interrupted or failed write leaves the old file (if any) untouched and no temporary behind;
    every failure is an InputError naming `what` (the flag) and the reason in plain words.
    """
    path = Path(path)
    check_target(path, what)
    folder = path.parent if str(path.parent) else Path(".")
    import tempfile  # here, not at the top: a command that only prints (exercises, validate) never needs it

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise InputError(f"{what}: cannot write '{path}': {_reason(exc)}") from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; a plan should get the usual file mode
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"{what}: cannot write '{path}': {_reason(exc)}") from None
        raise


def write_stdout(data: bytes) -> None:
    """Write to standard output; a closed or full pipe is bad input, not a traceback."""
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): nothing more to say, and nothing to flush at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise InputError("-o -: standard output was closed before the plan was written") from None
    except (OSError, ValueError) as exc:
        reason = _reason(exc) if isinstance(exc, OSError) else "it is closed"
        raise InputError(f"-o -: cannot write to standard output: {reason}") from None
