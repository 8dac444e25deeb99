"""Where each row's files go: a safe name, given in row order; never over a file hamrehab did not write.

- A name comes from the row's `patient_id`, made safe for every file system (no separators, no dot
  first, no reserved Windows names); a repeated id gets -2, -3 ... in row order.
- A file already in `--out` that is not listed in the previous manifest.csv (e.g. someone's notes.txt)
  is never replaced, nor is a symbolic link followed: the row is an error naming the file. (Giving the
  row another name instead would make the names depend on what happens to be in the folder.)
- Every file is written atomically, in two steps so that a whole group of files costs one flush to disk
  instead of one each: a writer thread writes the bytes to a temporary file beside the target
  (`stage`); then `commit`, for up to GROUP_ROWS rows at once, makes their data durable (one syncfs(2)
  of the folder's file system on Linux; elsewhere, or when that fails, an fsync per file, so a disk
  error is still pinned on its row), renames each into place, and fsyncs the folder once so the renames
  last too. A reader never sees half a file; a crash leaves at most `.part` files, which the next batch
  removes (hamrehab.manifest.remove_stale_parts); a row is listed in manifest.csv only once its files
  are renamed. A file that cannot be written costs only its row.
"""
from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .exceptions import InputError
from .manifest import fsync_folder
from .output import _reason, _umask
from .render import SUFFIXES

RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_STEM = 80


def safe_stem(patient_id: str, row: int) -> str:
    """A file name stem safe on Windows, macOS and Linux: no separators, no dots first, no reserved names."""
    text = unicodedata.normalize("NFKD", patient_id)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("._-")
    text = re.sub(r"_+", "_", text)[:MAX_STEM].rstrip("._-")
    if not text:
        return f"row-{row}"
    if text.split(".")[0].lower() in RESERVED:
        text = f"_{text}"
    return text


class Namer:
    """Gives each row a distinct stem, in row order; later duplicates get -2, -3 ..."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def assign(self, patient_id: str, row: int) -> str:
        base = safe_stem(patient_id, row)
        stem, n = base, 1
        while stem.lower() in self.used:  # case-insensitive file systems
            n += 1
            stem = f"{base}-{n}"
        self.used.add(stem.lower())
        return stem


def strangers(out: Path, ours: frozenset[str]) -> frozenset[str]:
    """Lower-cased names in `out` that hamrehab did not write (not in the last manifest), and links: one listing."""
    found = set()
    try:
        with os.scandir(out) as entries:
            for entry in entries:
                low = entry.name.lower()
                if low not in ours or entry.is_symlink():
                    found.add(low)
    except OSError as exc:
        raise InputError(f"--out: cannot read the folder '{out}': {exc.strerror}") from None
    return frozenset(found)


def foreign(out: Path, name: str, ours: frozenset[str], known: frozenset[str] | None = None) -> str:
    """Why `name` must not be written in `out` ("" when it may): a link, or a file hamrehab did not write.

    `ours`: lower-cased names in the previous manifest.csv; `known`: what strangers() found at the start
    (a name not in it needs no look at the disk).
    """
    if known is not None and name.lower() not in known:
        return ""
    path = out / name
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return ""
    except OSError as exc:
        return f"cannot check '{path}': {exc.strerror}"
    if stat.S_ISLNK(info.st_mode):
        return f"'{path}' is a symbolic link; hamrehab does not write through links: move it away"
    if name.lower() not in ours:
        return (f"'{path}' is already there and hamrehab did not write it (it is not in manifest.csv); "
                "move it away, or give this row another patient_id")
    return ""


@dataclass
class Staged:
    """One row's files written to temporary names, waiting for `commit`; `error` when one could not be."""

    row: int
    files: list[tuple[Path, str, str]] = field(default_factory=list)  # (temporary path, final name, sha256)
    error: str = ""


def stage(out: Path, row: int, stem: str, outputs: dict[str, bytes]) -> Staged:
    """Write one row's files to temporary files in `out` (no flush yet); on a failure, none of them is kept."""
    staged = Staged(row)
    for fmt, data in outputs.items():
        name = stem + SUFFIXES[fmt]
        if "/" in name or os.sep in name or name.startswith("."):
            staged.error = f"refusing to write '{name}' outside {out}"
            break
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{name[:40]}.", suffix=".part", dir=out)
        except OSError as exc:
            staged.error = f"cannot write '{out / name}': {_reason(exc)}"
            break
        try:
            os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a plan should get the usual file mode
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            _unlink(Path(tmp))
            staged.error = f"cannot write '{out / name}': {_reason(exc)}"
            break
        staged.files.append((Path(tmp), name, hashlib.sha256(data).hexdigest()))
    if staged.error:
        discard(staged)
    return staged


def commit(out: Path, group: Sequence[Staged], ours: frozenset[str]) -> list[tuple[int, tuple[tuple[str, str], ...], str]]:
    """Make a group of staged rows durable and put their files in place: (row, (name, sha256) each, error) per row.

    A row's error (its data could not be flushed, or a file appeared at its name that hamrehab did not
    write) costs that row alone; its temporary files are removed, the rest of the group goes on.
    """
    done: list[tuple[int, tuple[tuple[str, str], ...], str]] = []
    todo = [s for s in group if s.files and not s.error]
    if todo and not _syncfs(out):
        for s in todo:  # no syncfs here, or it failed: flush file by file, so a failure is pinned on its row
            s.error = _fsync_files(out, s)
    for s in group:
        files: list[tuple[str, str]] = []
        for tmp, name, digest in s.files:
            if s.error:
                break
            reason = foreign(out, name, ours)  # again, just before the rename: nothing may have appeared since
            if reason:
                s.error = reason
                break
            try:
                os.replace(tmp, out / name)
            except OSError as exc:
                s.error = f"cannot write '{out / name}': {_reason(exc)}"
                break
            files.append((name, digest))
        discard(s, keep=len(files))
        done.append((s.row, tuple(files), s.error))
    if any(files for _, files, _ in done):
        fsync_folder(out)  # the renames last too
    return done


def discard(staged: Staged, keep: int = 0) -> None:
    """Remove the temporary files of a staged row (all but the first `keep`, which were renamed into place)."""
    for tmp, _, _ in staged.files[keep:]:
        _unlink(tmp)


def _fsync_files(out: Path, staged: Staged) -> str:
    for tmp, name, _ in staged.files:
        try:
            fd = os.open(tmp, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:  # "cannot write 'out/P1.pdf': the disk is full"
            return f"cannot write '{out / name}': {_reason(exc)}"
    return ""


def _syncfs(folder: Path) -> bool:
    """One syncfs(2) of the file system holding `folder` (Linux): True when every dirty page there is on disk."""
    if _LIBC is None:
        return False
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return False
    try:
        return _LIBC.syncfs(fd) == 0
    finally:
        os.close(fd)


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _libc() -> ctypes.CDLL | None:
    try:
        lib = ctypes.CDLL(None, use_errno=True)
        lib.syncfs.argtypes = [ctypes.c_int]
        return lib
    except (OSError, AttributeError):  # not Linux, or a C library without syncfs
        return None


_LIBC = _libc()
