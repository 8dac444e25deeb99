"""What a batch leaves in `--out` besides the plans: manifest.csv, errors.csv and, while it runs, a lock.

- manifest.csv lists every plan file hamrehab wrote there: row, patient id, diagnosis, weeks, file,
  sha256, the row's fingerprint (its request and render options, hashed), then `kind` (plan or referral)
  and `urgency` (empty for a plan; emergency, same-day or soon for a referral handout), so a clinic
  sees whom to phone first. An older manifest without the last two is still read. It is merged, never lost:
  a row that --skip-existing leaves keeps its entries (under its row of this run), and files from an
  earlier run that no row of this run wrote stay listed after this run's rows, with an empty `row`
  (their row was another roster's), as long as they are still there, unchanged.
- errors.csv has one line per problem (row, patient id, field, message): a row with three problems has
  three lines, so a clinic fixes every cell of a row in one round.
- notices.csv (only when there is something to say; an old one is removed) lists values read as
  something else (a near miss such as "dumbell" read as "dumbbell", a header read as a close field), the
  columns ignored, and the checkpoint boxes a row's changes affect (field `changes`, hamrehab/boxes.py):
  the row is still written, the reader can check the reading.
- The reports stream to temporary files in `--out` as rows finish (in row order, through a small
  reorder buffer), and are renamed into place at the end: memory stays flat however long the roster.
- A cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
  return) is written with a leading single quote.
- `.hamrehab.lock` (created with O_EXCL, holding the pid, and flock'ed while the batch runs) keeps two
  batches out of one folder; a lock left by a batch that is gone is taken over.
"""
from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import heapq
import io
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import Any

from .exceptions import InputError
from .inputfile import MAX_ROSTER, read_bytes

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

MANIFEST, ERRORS, NOTICES, LOCK = "manifest.csv", "errors.csv", "notices.csv", ".hamrehab.lock"
MANIFEST_HEADER = ("row", "patient_id", "diagnosis", "weeks", "file", "sha256", "fingerprint", "kind", "urgency")
ERRORS_HEADER = ("row", "patient_id", "field", "message")
NOTICES_HEADER = ERRORS_HEADER
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_MESSAGE = 2000  # characters of one error message in errors.csv
TEMP_PART = re.compile(r"^\..+\.[a-z0-9_]{8}\.part$")  # what write_atomic and the reports leave if killed
_HELD: set[int] = set()  # lock descriptors of this process (closed in forked workers)


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one row: files written (name, sha256), skipped, or the error(s).

    `error_field`/`error` is the first problem, `also` the others ((field, message) each); `notices`
    are values read as something else; `kind` is plan or referral, `urgency` a referral's.
    """

    row: int
    patient_id: str
    diagnosis: str = ""
    weeks: int = 0
    files: tuple[tuple[str, str], ...] = ()
    skipped: bool = False
    error_field: str = ""
    error: str = ""
    fingerprint: str = ""
    kind: str = ""
    urgency: str = ""
    also: tuple[tuple[str, str], ...] = ()
    notices: tuple[tuple[str, str], ...] = ()

    @property
    def problems(self) -> tuple[tuple[str, str], ...]:
        """Every (field, message) of a failed row, the first one first."""
        return (((self.error_field, self.error),) if self.error else ()) + self.also


@dataclass(frozen=True)
class Entry:
    """One line of a manifest.csv already in `--out`."""

    row: str
    patient_id: str
    diagnosis: str
    weeks: str
    file: str
    sha256: str
    fingerprint: str
    kind: str = ""  # "" in a manifest written before these columns
    urgency: str = ""


def neutralise(value: object) -> object:
    """A cell a spreadsheet will show as text: a leading ', when it would otherwise start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def sha256_file(path: Path) -> str | None:
    """The sha256 of a regular file (not a symlink), or None when there is none to read."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        digest = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
        return digest.hexdigest()
    except OSError:
        return None
    finally:
        os.close(fd)


def check_reports(out: Path) -> None:
    """manifest.csv, errors.csv and notices.csv must be regular files (or absent): never a link, a folder or a device."""
    for name in (MANIFEST, ERRORS, NOTICES):
        try:
            info = os.lstat(out / name)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise InputError(f"--out: cannot use '{out / name}': {exc.strerror}") from None
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"--out: '{out / name}' is not a regular file (a link, folder or device); move it away first")


def read_previous(out: Path) -> dict[str, Entry]:
    """The entries of the manifest.csv already in `out`, by file name ({} when there is none or it is unreadable)."""
    path = out / MANIFEST
    if not os.path.lexists(path):
        return {}
    data, _problem = read_bytes(path, MANIFEST, 4 * MAX_ROSTER)
    if data is None:
        return {}
    entries: dict[str, Entry] = {}
    text = data.decode("utf-8", "replace")
    del data
    for record in csv.DictReader(io.StringIO(text, newline="")):
        name = record.get("file") or ""
        if not name or "/" in name or os.sep in name or name.startswith("."):
            continue
        entries[name] = Entry(*(record.get(k) or "" for k in MANIFEST_HEADER))
    return entries


class Reports:
    """manifest.csv, errors.csv and notices.csv, streamed in row order to temporary files and renamed at the end."""

    def __init__(self, out: Path, previous: dict[str, Entry], notices: tuple[tuple[int | str, str, str], ...] = ()):
        self.out = out
        self.previous = previous  # entries not yet claimed by a row of this run
        self._heap: list[tuple[int, int, RowOutcome]] = []
        self._order = count()
        self._files: list[tuple[Path, Any, Any]] = []  # (temporary path, file, csv writer)
        self.notice_lines = 0
        for name, header in ((MANIFEST, MANIFEST_HEADER), (ERRORS, ERRORS_HEADER), (NOTICES, NOTICES_HEADER)):
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=out)
            except OSError as exc:
                self.discard()
                raise InputError(f"--out: cannot write in '{out}': {exc.strerror}") from None
            fh = os.fdopen(fd, "w", encoding="utf-8", newline="")
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(header)
            self._files.append((Path(tmp), fh, writer))
        for row, field, message in notices:  # the roster's own (columns ignored or read as a close field)
            self._files[2][2].writerow([neutralise(v) for v in (row, "", field, _cut(message))])
            self.notice_lines += 1

    @property
    def buffered(self) -> int:
        return len(self._heap)

    def add(self, outcome: RowOutcome) -> None:
        heapq.heappush(self._heap, (outcome.row, next(self._order), outcome))

    def release(self, below: int | None) -> list[RowOutcome]:
        """Write out every buffered outcome of a row before `below` (None: all of them), in row order."""
        done = []
        while self._heap and (below is None or self._heap[0][0] < below):
            outcome = heapq.heappop(self._heap)[2]
            self._write(outcome)
            done.append(outcome)
        return done

    def _write(self, o: RowOutcome) -> None:
        manifest, errors, notices = (f[2] for f in self._files)
        for name, digest in o.files:
            manifest.writerow([neutralise(v) for v in (o.row, o.patient_id, o.diagnosis, o.weeks, name, digest, o.fingerprint,
                                                       o.kind, o.urgency)])
        for field, message in o.problems:  # one line per problem
            errors.writerow([neutralise(v) for v in (o.row, o.patient_id[:200], field, _cut(message))])
        for field, message in o.notices:
            notices.writerow([neutralise(v) for v in (o.row, o.patient_id[:200], field, _cut(message))])
            self.notice_lines += 1

    def claim(self, names: object) -> None:
        """These files now belong to a row of this run: their earlier entries are not carried over."""
        for name in names:  # type: ignore[attr-defined]
            self.previous.pop(name, None)

    def finish(self) -> None:
        """Carry over earlier entries whose files are still there unchanged; rename both reports into place."""
        self.release(None)
        manifest = self._files[0][2]
        for name, entry in sorted(self.previous.items(), key=lambda kv: (_row_key(kv[1].row), kv[0])):
            if sha256_file(self.out / name) == entry.sha256:  # still there, unchanged; its row was another roster's
                manifest.writerow([neutralise(getattr(entry, k)) if k != "row" else "" for k in MANIFEST_HEADER])
        self.previous = {}
        try:
            for _tmp, fh, _ in self._files:
                fh.flush()
                os.fsync(fh.fileno())
                fh.close()
            check_reports(self.out)  # still not a link, folder or device
            for (tmp, _, _), name in zip(self._files, (MANIFEST, ERRORS, NOTICES), strict=True):
                if name == NOTICES and not self.notice_lines:  # nothing to say: no file, and no stale one
                    if os.path.lexists(self.out / name):
                        os.unlink(self.out / name)
                    continue
                os.replace(tmp, self.out / name)
            fsync_folder(self.out)  # the renames last too
        except OSError as exc:
            raise InputError(f"--out: cannot write the reports in '{self.out}': {exc.strerror}") from None
        finally:
            self.discard()

    def discard(self) -> None:
        """Close and remove the temporary files (after finish, only those not renamed)."""
        for tmp, fh, _ in self._files:
            with contextlib.suppress(OSError):
                fh.close()
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._files = []


def fsync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable; a file system that cannot sync a folder is left as it is."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _cut(message: str) -> str:
    return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 1] + "…"


def _row_key(row: str) -> int:
    return int(row) if row.isdigit() else 0


# ---------------------------------------------------------------------------------- the lock
class OutLock:
    """`out/.hamrehab.lock`: created with O_EXCL, holds the pid, flock'ed while held; removed by release()."""

    def __init__(self, out: Path):
        self.path = out / LOCK
        self.fd: int | None = None
        self.took_over = False

    def acquire(self) -> OutLock:
        for _ in range(5):
            flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
            try:
                fd = os.open(self.path, flags | os.O_CREAT | os.O_EXCL, 0o644)
                fresh = True
            except FileExistsError:
                try:
                    fd = os.open(self.path, flags | getattr(os, "O_NONBLOCK", 0))
                except FileNotFoundError:
                    continue  # released meanwhile: try again
                except OSError as exc:
                    raise InputError(f"--out: '{self.path}' is not a lock file hamrehab can use ({exc.strerror}); remove it") from None
                fresh = False
            except OSError as exc:
                raise InputError(f"--out: cannot create the lock file '{self.path}': {exc.strerror}") from None
            try:
                if not self._lock(fd, fresh):
                    continue
            except BaseException:
                os.close(fd)
                raise
            self.fd = fd
            _HELD.add(fd)
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return self
        raise InputError(f"--out: could not take the lock file '{self.path}'; try again")

    def _lock(self, fd: int, fresh: bool) -> bool:
        """True when this process now holds the lock; False to start again; InputError when another batch holds it."""
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"--out: '{self.path}' is not a lock file hamrehab can use; remove it")
        held_by = _read_pid(fd)
        flocked = True
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self._refuse(held_by)
            except OSError as exc:  # no flock on this file system: the pid alone decides
                if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                    raise
                flocked = False
        if not fresh:
            if not flocked and held_by and _alive(held_by):
                self._refuse(held_by)
            try:  # still the file at that path (not unlinked by its holder meanwhile)?
                if os.stat(self.path, follow_symlinks=False).st_ino != info.st_ino:
                    os.close(fd)
                    return False
            except FileNotFoundError:
                os.close(fd)
                return False
            self.took_over = True  # the batch that left it is gone
        return True

    def _refuse(self, pid: int | None) -> None:
        who = f" (pid {pid})" if pid else ""
        raise InputError(f"--out: another hamrehab batch{who} is writing to '{self.path.parent}'; wait for it to finish, "
                         f"or use another --out (if no batch is running, delete '{self.path}')")

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            if os.stat(self.path, follow_symlinks=False).st_ino == os.fstat(self.fd).st_ino:
                os.unlink(self.path)
        except OSError:
            pass
        _HELD.discard(self.fd)
        os.close(self.fd)  # closing drops the flock
        self.fd = None


def _read_pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def close_inherited_locks() -> None:
    """In a forked worker: let go of the parent's lock descriptors, so only the parent holds the lock."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


def remove_stale_parts(out: Path) -> int:
    """Remove the temporary files a killed batch left in `out` (only under the lock); how many."""
    removed = 0
    try:
        names = os.listdir(out)
    except OSError:
        return 0
    for name in names:
        if TEMP_PART.match(name):
            try:
                if stat.S_ISREG(os.lstat(out / name).st_mode):
                    os.unlink(out / name)
                    removed += 1
            except OSError:
                pass
    return removed
