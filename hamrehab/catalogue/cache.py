"""A per-user cache of the validated built-in catalogue, so a command starts without re-reading ~60 YAML files.

Never stale: the key is the content of every built-in YAML file, the size and time stamp of the
Python files that shape it (models, loading, checks: `_code`), and the versions of hamrehab, Python and pydantic; any edit, upgrade or other
interpreter gives another key, and the catalogue is validated again and the cache rewritten.
Never trusted blindly: the file carries a SHA-256 of its payload (a truncated or corrupt file is
noticed and rebuilt), and it is opened only when it belongs to this user and nobody else can write it
or its folder (unpickling runs code: a file another user could plant is never read). A clinician's own
folders are never cached: they are validated on every run, as before.

`HAMREHAB_CACHE_DIR` moves the cache (default: `$XDG_CACHE_HOME/hamrehab` or `~/.cache/hamrehab`);
`HAMREHAB_NO_CACHE=1` turns it off. The cache is only ever a shortcut: any failure to read or write it
falls back to validating the files, silently.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MAGIC = b"hamrehab-catalogue-cache 1\n"
FILE_NAME = "catalogue.pickle"
PACKAGE = Path(__file__).resolve().parents[1]


def enabled() -> bool:
    """False when HAMREHAB_NO_CACHE is set to anything but '' or '0'."""
    return os.environ.get("HAMREHAB_NO_CACHE", "") in ("", "0")


def folder() -> Path:
    """Where the cache lives for this user."""
    chosen = os.environ.get("HAMREHAB_CACHE_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hamrehab"


def _code() -> list[Path]:
    """The Python files that decide what a validated catalogue holds: the models (whose classes are
    pickled), the loading and cross-checks, the YAML reader and the vocabulary."""
    found = [*PACKAGE.joinpath("model").glob("*.py"), *PACKAGE.joinpath("catalogue").glob("*.py")]
    found += [PACKAGE / name for name in ("vocab.py", "yamlsource.py", "documents.py", "validation.py", "inputfile.py", "__init__.py")]
    return sorted(p for p in found if p.is_file())


def key(yaml_files: Iterable[Path]) -> str:
    """The cache key: built-in YAML by content, hamrehab's code by size and time stamp, and versions."""
    import pydantic

    from .. import __version__

    digest = hashlib.sha256()
    for part in (__version__, sys.version, pydantic.VERSION, sys.implementation.cache_tag or ""):
        digest.update(part.encode() + b"\0")
    for path in sorted(yaml_files):
        digest.update(str(path).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for source in _code():
        info = source.stat()
        digest.update(f"{source.relative_to(PACKAGE)}:{info.st_size}:{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _mine(info: os.stat_result) -> bool:
    """Owned by this user and writable by nobody else (always true where there are no user ids)."""
    uid = getattr(os, "geteuid", None)
    if uid is None:
        return True
    return info.st_uid == uid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


_READ: dict[tuple[Any, ...], Any] = {}  # (key, file, its inode, size and time) -> what it held, read once per process


def load(cache_key: str) -> Any | None:
    """The cached object for this key, or None (missing, another key, corrupt, or not safely ours).

    Within one process a file read once is not read again while it is unchanged (same inode, size and
    time stamp: the cache is only ever replaced whole, by a rename), so the safety screen, the planner
    and a long-running server share one copy instead of unpickling it for each.
    """
    where = folder()
    path = where / FILE_NAME
    try:
        if not _mine(os.stat(where)):
            return None
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or not _mine(info):
            return None
        seen = (cache_key, str(path), info.st_ino, info.st_dev, info.st_size, info.st_mtime_ns)
        if seen in _READ:
            return _READ[seen]
        data = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + 64 + 64
    if len(data) < head or not data.startswith(MAGIC):
        return None
    stored_key = data[len(MAGIC):len(MAGIC) + 64].decode("ascii", "replace")
    stored_sum = data[len(MAGIC) + 64:head].decode("ascii", "replace")
    payload = data[head:]
    if stored_key != cache_key or hashlib.sha256(payload).hexdigest() != stored_sum:
        return None
    try:
        value = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a payload that matches its sum but not this code: rebuild, never fail
        return None
    _READ.clear()
    _READ[seen] = value
    return value


def store(cache_key: str, value: Any) -> None:
    """Write the cache atomically (a reader sees the old file or the new one); give up quietly on any error."""
    where = folder()
    try:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _mine(os.stat(where)):
            return
        import tempfile  # only when the cache is (re)written, not on every start

        handle, temp = tempfile.mkstemp(prefix=".catalogue-", suffix=".part", dir=where)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC + cache_key.encode("ascii") + hashlib.sha256(payload).hexdigest().encode("ascii") + payload)
            os.replace(temp, where / FILE_NAME)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
