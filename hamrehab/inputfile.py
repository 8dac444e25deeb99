"""Reading any file a user hands us: a regular file of bounded size, decoded as UTF-8, or a clear refusal.

Every reader goes through here (requests, rosters, clinic files and logos, triage answers, catalogue
and protocol folders, follow-up plans), so a FIFO, a device such as /dev/zero, a folder, a symlink to
any of those, or a file far too big for what it claims to be is refused before a byte is read: no
hang, no memory blow-up.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .exceptions import Problem

KB = 1024
MB = 1024 * KB
MAX_YAML = 2 * MB  # one exercise, protocol, request, clinic or answers file
MAX_ROSTER = 64 * MB  # ~500,000 rows
MAX_IMAGE = 8 * MB  # a clinic logo
MAX_JSON_PLAN = 16 * MB  # a saved plan (follow-up)


def check_regular(path: Path, name: str, limit: int) -> Problem | None:
    """None when `path` is a regular file of at most `limit` bytes; else the problem, in plain words."""
    try:
        info = os.stat(path)  # follows symlinks: a link to a FIFO or device is judged by what it points at
    except FileNotFoundError:
        return Problem(name, 0, "", "no such file")
    except OSError as exc:
        return Problem(name, 0, "", f"cannot read the file: {exc.strerror}")
    if stat.S_ISDIR(info.st_mode):
        return Problem(name, 0, "", "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        return Problem(name, 0, "", "is not a regular file (a pipe, device or socket); give a saved file")
    if info.st_size > limit:
        return Problem(name, 0, "", f"is {info.st_size:,} bytes; at most {limit:,} are accepted for this kind of file")
    return None


def read_bytes(path: Path, name: str, limit: int) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or the problem; never more than `limit` bytes are read, whatever the file does."""
    problem = check_regular(path, name, limit)
    if problem is not None:
        return None, problem
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        return None, Problem(name, 0, "", f"cannot read the file: {exc.strerror}")
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for something else since the check
            return None, Problem(name, 0, "", "is not a regular file (a pipe, device or socket); give a saved file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(MB, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        return None, Problem(name, 0, "", f"cannot read the file: {exc.strerror}")
    finally:
        os.close(fd)
    if size > limit:
        return None, Problem(name, 0, "", f"grew past {limit:,} bytes while being read; give a saved file")
    return b"".join(chunks), None


def decode_utf8(data: bytes, name: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a BOM dropped), or the line and byte where it stops being UTF-8."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Problem(name, line, "", f"not UTF-8 text (byte {exc.start + 1} of the file); save it as UTF-8")


def read_text(path: Path, name: str, limit: int = MAX_YAML) -> tuple[str | None, Problem | None]:
    """A regular UTF-8 text file of bounded size, or the problem."""
    data, problem = read_bytes(path, name, limit)
    if data is None:
        return None, problem
    return decode_utf8(data, name)


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when inside it."""
    full, here = os.path.abspath(path), os.getcwd()
    return full[len(here) + 1:] if full.startswith(here + os.sep) else str(path)
