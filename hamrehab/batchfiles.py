"""Where each row's files go: a safe name, given in row order; never over a file hamrehab did not write.

- A name comes from the row's `patient_id`, made safe for every file system (no separators, no dot
  first, no reserved Windows names); a repeated id gets -2, -3 ... in row order.
- A file already in `--out` that is not listed in the previous manifest.csv (e.g. someone's notes.txt)
  is never replaced, nor is a symbolic link followed: the row is an error naming the file. (Giving the
  row another name instead would make the names depend on what happens to be in the folder.)
- Every write is atomic (hamrehab.output.write_atomic); a file that cannot be written costs only its row.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from pathlib import Path

from .exceptions import InputError
from .output import write_atomic
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


def write_outputs(out: Path, stem: str, outputs: dict[str, bytes], ours: frozenset[str]) -> tuple[tuple[tuple[str, str], ...], str]:
    """Write one row's files atomically: ((file name, sha256) of each written, the error or "")."""
    files: list[tuple[str, str]] = []
    for fmt, data in outputs.items():
        name = stem + SUFFIXES[fmt]
        try:
            if "/" in name or os.sep in name or name.startswith("."):
                raise InputError(f"refusing to write '{name}' outside {out}")
            reason = foreign(out, name, ours)
            if reason:
                return tuple(files), reason
            write_atomic(out / name, data, what="--out")
        except InputError as exc:  # "--out: cannot write 'out/P1.pdf': the disk is full"
            return tuple(files), str(exc).removeprefix("--out: ")
        except Exception as exc:  # noqa: BLE001 - a bug must cost only this row
            return tuple(files), f"cannot write '{out / name}': internal error ({type(exc).__name__}: {exc})"
        files.append((name, hashlib.sha256(data).hexdigest()))
    return tuple(files), ""
