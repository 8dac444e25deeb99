"""Uploaded files: written to a private folder, read by the library's own readers, then deleted.

The app's temporary root is created private (mode 0700) at start and removed at shutdown. Each
request that carries files gets its own folder inside it (`Scratch`), removed before the response
leaves; only a roster's batch keeps its folder until its zip is downloaded (or the time limit).
"""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Self

from .security import KB, MB

MAX_JSON = 2 * MB  # last plan's JSON (a 52-week plan is well under 1 MB)
MAX_ROSTER = 2 * MB
MAX_LOGO = 8 * MB
CHUNK = 64 * KB


class FieldError(Exception):
    """A problem with one form field, in words for the page."""

    def __init__(self, field: str, message: str, status: int = 400):
        super().__init__(message)
        self.field, self.message, self.status = field, message, status


def safe_name(filename: str | None, default: str, suffixes: tuple[str, ...]) -> str:
    """A plain file name from what the browser sent: letters, digits, '.', '-' and '_' only, with a known suffix."""
    base = Path(str(filename or "")).name
    stem, suffix = (base.rsplit(".", 1) + [""])[:2] if "." in base else (base, "")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:60] or Path(default).stem
    suffix = "." + suffix.lower() if suffix else ""
    return stem + (suffix if suffix in suffixes else Path(default).suffix)


def is_upload(value: Any) -> bool:
    """A file field that holds a file (an empty file input sends a nameless, empty part)."""
    return hasattr(value, "read") and hasattr(value, "filename") and bool(getattr(value, "filename", ""))


class Scratch:
    """A private folder for one request's files; `close()` deletes it and everything in it."""

    def __init__(self, root: Path, prefix: str = "req-"):
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=root))

    async def save(self, upload: Any, field: str, name: str, limit: int) -> Path:
        """Write an upload into the folder, refusing it (FieldError, 413) past `limit` bytes."""
        target = self.path / name
        size = 0
        with open(target, "wb") as out:  # noqa: ASYNC230 - a local file of a few MB at most
            while chunk := await upload.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise FieldError(field, f"'{name}' is larger than {limit // MB} MB; at most {limit // MB} MB are accepted "
                                            "for this kind of file", 413)
                out.write(chunk)
        return target

    def clean(self, message: str) -> str:
        """A library message with this folder's path taken out: the user sees their file's name only."""
        return message.replace(str(self.path) + "/", "").replace(str(self.path), "")

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_root() -> Path:
    """The app's private temporary root (mode 0700)."""
    return Path(tempfile.mkdtemp(prefix="hamrehab-web-"))
