"""Many plans from one roster: rows in, one file per row and format out, in parallel.

- A roster is CSV (UTF-8 with or without BOM, comma or semicolon, headers in any case,
  blank lines ignored) or a YAML/JSON list of requests.
- Rows stream through a bounded window of worker processes; only small records of each
  result are kept, so memory stays flat however long the roster.
- File names come from `patient_id`, made safe for every file system, assigned in row
  order (so `--jobs 1` and `--jobs 4` give the same files, byte for byte); nothing is ever
  written outside the output folder, and every write is atomic.
- A bad row never stops the others: it goes to errors.csv. manifest.csv lists what was written.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
import signal
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor, as_completed, wait
from itertools import chain
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalogue import load_catalogue
from .clinic import Clinic
from .exceptions import HamrehabError, InputError
from .output import write_atomic
from .planner import build
from .render import FORMATS, SUFFIXES, render
from .request import FIELDS, make_request
from .validation import did_you_mean
from .yamlsource import read_yaml

ALIASES = {"red_flag": "red_flags", "id": "patient_id", "patient": "name", "weak_glute": "weak_glute_side", "km_per_week": "runner_km_per_week"}
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
MAX_STEM = 80
WRITER_THREADS = 4
MAX_WRITES = 8


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one row: files written (name, sha256), skipped, or the error."""

    row: int
    patient_id: str
    diagnosis: str = ""
    weeks: int = 0
    files: tuple[tuple[str, str], ...] = ()
    skipped: bool = False
    error_field: str = ""
    error: str = ""


@dataclass
class BatchSummary:
    """Counts and where the reports are; `line` is the one-line summary the CLI prints."""

    out: Path
    written: int = 0
    failed: int = 0
    skipped: int = 0
    rows: int = 0
    interrupted: bool = False
    outcomes: list[RowOutcome] = field(default_factory=list, repr=False)

    @property
    def line(self) -> str:
        text = f"{self.written} written, {self.failed} failed, {self.skipped} skipped"
        return text + (f" (interrupted after {self.rows} rows)" if self.interrupted else "")


# ---------------------------------------------------------------------------------- roster
def _column(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", name.strip().lower())
    return ALIASES.get(key, key)


def read_roster(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, fields) for each non-blank row; the number is the file line (CSV) or list position."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"ROSTER: '{path}' is not a file")
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        yield from _read_list(path)
    else:
        yield from _read_csv(path)


def _read_list(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    doc, problems = read_yaml(path)
    if doc is None:
        raise InputError(f"ROSTER: {problems[0]}")
    if not isinstance(doc.data, list):
        raise InputError(f"ROSTER: {doc.file}:1: expected a list of requests (- diagnosis: ...)")
    for i, item in enumerate(doc.data, 1):
        if not isinstance(item, dict):
            yield i, {"__error__": f"expected a mapping of request fields, found {type(item).__name__}"}
        else:
            yield i, {_column(str(k)): v for k, v in item.items()}


def _read_csv(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
        first = handle.readline()
    except UnicodeDecodeError:
        raise InputError(f"ROSTER: {path}: not UTF-8 text; save the roster as UTF-8 CSV") from None
    with handle:
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = next(csv.reader([first], delimiter=delimiter), [])
        columns = [_column(h) for h in header]
        if not any(columns):
            raise InputError(f"ROSTER: {path}:1: the first line must name the columns (diagnosis, start, patient_id, ...)")
        for i, col in enumerate(columns):
            if col and col not in FIELDS:
                raise InputError(f"ROSTER: {path}:1: unknown column '{header[i].strip()}'{did_you_mean(col, FIELDS)}; accepted: {', '.join(FIELDS)}")
        if "diagnosis" not in columns:
            raise InputError(f"ROSTER: {path}:1: a 'diagnosis' column is required")
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for cells in reader:
                line = reader.line_num + 1  # the header line was read by hand
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) > len(columns):
                    yield line, {"__error__": f"{len(cells)} cells but only {len(columns)} columns"}
                    continue
                yield line, {col: cell.strip() for col, cell in zip(columns, cells) if col and cell.strip()}
        except UnicodeDecodeError:
            raise InputError(f"ROSTER: {path}: not UTF-8 text after line {reader.line_num + 1}; save the roster as UTF-8 CSV") from None


def count_rows(path: Path) -> int | None:
    """Roughly how many rows (for the progress bar only); None when cheap counting is not possible."""
    if path.suffix.lower() in (".yaml", ".yml", ".json"):
        return None
    with Path(path).open("rb") as fh:
        return max(0, sum(1 for line in fh if line.strip()) - 1)


# ---------------------------------------------------------------------------------- names
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


class _Namer:
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


# ---------------------------------------------------------------------------------- workers
_WORKER: dict[str, Any] = {}


def _init_worker(catalogues: Sequence[Path], protocols: Sequence[Path], options: dict[str, Any], child: bool = False) -> None:
    """Once per worker process: load the catalogue, keep the render options.

    Workers ignore Ctrl-C: the parent alone stops the run, so no worker dies mid-file.
    """
    if child:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER["catalogue"] = load_catalogue(catalogues, protocols)
    _WORKER["options"] = options


def _plan_row(row: int, raw: dict[str, Any], formats: tuple[str, ...], today: dt.date) -> tuple[int, str, Any]:
    """Build and render one row: ('ok', (diagnosis, weeks, {format: bytes})) or ('error', (field, message))."""
    try:
        if "__error__" in raw:
            raise InputError(raw["__error__"])
        request = make_request(raw, today=today)
        plan = build(request, _WORKER["catalogue"])
        outputs = {fmt: render(plan, fmt, **_WORKER["options"]) for fmt in formats}
        return row, "ok", (plan.diagnosis, len(plan.weeks), outputs)
    except InputError as exc:
        return row, "error", (exc.field, str(exc))
    except HamrehabError as exc:
        return row, "error", ("", str(exc))
    except Exception as exc:  # a bug must not cost a clinic the other rows: report it on this row
        return row, "error", ("", f"internal error ({type(exc).__name__}: {exc}); please report it")


def _inside(folder: Path, name: str) -> Path:
    target = (folder / name).resolve()
    if target.parent != folder.resolve():
        raise InputError(f"refusing to write '{name}' outside {folder}")
    return target


# ---------------------------------------------------------------------------------- the batch
def generate_batch(roster: Path, out: Path, *, formats: Sequence[str] = ("pdf",), jobs: int | None = None,
                   clinic: Clinic | None = None, skip_existing: bool = False, catalogues: Sequence[Path] = (),
                   protocols: Sequence[Path] = (), page_size: str = "a4", large_print: bool = False,
                   today: dt.date | None = None, progress: Callable[[int, int | None], None] | None = None) -> BatchSummary:
    """Write one file per row and format into `out`, plus manifest.csv and errors.csv; never raises for a bad row."""
    formats = tuple(dict.fromkeys(formats))
    for fmt in formats:
        if fmt not in FORMATS:
            raise InputError(f"--format: '{fmt}' is not a format{did_you_mean(fmt, FORMATS)}; accepted: {', '.join(FORMATS)}")
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out: cannot create '{out}': {exc.strerror}") from None
    jobs = max(1, jobs or os.cpu_count() or 1)
    today = today or dt.date.today()
    options = {"page_size": page_size, "large_print": large_print, "clinic": clinic}
    load_catalogue(catalogues, protocols)  # bad catalogue folders are bad input: fail before any row
    summary = BatchSummary(out=out)
    total = count_rows(Path(roster)) if progress else None
    namer = _Namer()
    rows = read_roster(Path(roster))
    first = next(rows, None)  # a roster that cannot be read fails here, before anything is written
    rows = chain([first], rows) if first is not None else iter(())
    stems: dict[int, tuple[str, str]] = {}

    # Files are written by a few threads of this process: the workers keep computing while a write
    # waits on fsync, and at most MAX_WRITES results (their bytes) are held at any time.
    writer = ThreadPoolExecutor(max_workers=WRITER_THREADS)
    writing: deque[tuple[Future, int, str, str, int]] = deque()

    def settle(block_until: int) -> None:
        """Record finished writes, waiting until no more than `block_until` are in flight."""
        while writing and (len(writing) > block_until or writing[0][0].done()):
            fut, row, patient_id, diagnosis, weeks = writing.popleft()
            summary.outcomes.append(RowOutcome(row, patient_id, diagnosis, weeks, fut.result()))
            summary.written += 1
            summary.rows += 1
            if progress:
                progress(summary.rows + summary.skipped, total)

    def finish(row: int, status: str, payload: Any) -> None:
        stem, patient_id = stems.pop(row)
        if status == "ok":
            diagnosis, weeks, outputs = payload
            writing.append((writer.submit(_write_outputs, out, stem, outputs), row, patient_id, diagnosis, weeks))
            settle(MAX_WRITES)
            return
        field_name, message = payload
        summary.outcomes.append(RowOutcome(row, patient_id, error_field=field_name, error=message))
        summary.failed += 1
        summary.rows += 1
        if progress:
            progress(summary.rows + summary.skipped, total)

    def admit(row: int, raw: dict[str, Any]) -> bool:
        """Name the row; False when --skip-existing finds its files already there."""
        patient_id = str(raw.get("patient_id", "") or "")
        stem = namer.assign(patient_id, row)
        if skip_existing and all((out / (stem + SUFFIXES[f])).exists() for f in formats):
            summary.outcomes.append(RowOutcome(row, patient_id, skipped=True))
            summary.skipped += 1
            return False
        stems[row] = (stem, patient_id)
        return True

    try:
        if jobs == 1:
            _init_worker(catalogues, protocols, options)
            for row, raw in rows:
                if admit(row, raw):
                    finish(*_plan_row(row, raw, formats, today))
        else:
            window = jobs * 3
            with ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                     initargs=(tuple(catalogues), tuple(protocols), options, True)) as pool:
                pending: set[Future] = set()
                try:
                    for row, raw in rows:
                        if not admit(row, raw):
                            continue
                        pending.add(pool.submit(_plan_row, row, raw, formats, today))
                        if len(pending) >= window:
                            done, pending = wait(pending, return_when=FIRST_COMPLETED)
                            for fut in sorted(done, key=lambda f: f.result()[0]):
                                finish(*fut.result())
                    for fut in as_completed(pending):
                        finish(*fut.result())
                    pending = set()
                except BaseException:
                    pool.shutdown(wait=True, cancel_futures=True)  # let running rows finish their atomic writes
                    raise
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        writer.shutdown(wait=True)  # writes already begun finish whole: nothing half-written
        settle(0)
        _write_reports(summary)
    return summary


def _write_outputs(out: Path, stem: str, outputs: dict[str, bytes]) -> tuple[tuple[str, str], ...]:
    """Write one row's files atomically; (file name, sha256) of each."""
    files = []
    for fmt, data in outputs.items():
        name = stem + SUFFIXES[fmt]
        write_atomic(_inside(out, name), data)
        files.append((name, hashlib.sha256(data).hexdigest()))
    return tuple(files)


def _write_reports(summary: BatchSummary) -> None:
    """manifest.csv and errors.csv, sorted by row so that every run with the same roster matches."""
    outcomes = sorted(summary.outcomes, key=lambda o: o.row)
    manifest = io.StringIO()
    w = csv.writer(manifest, lineterminator="\n")
    w.writerow(["row", "patient_id", "diagnosis", "weeks", "file", "sha256"])
    for o in outcomes:
        for name, digest in o.files:
            w.writerow([o.row, o.patient_id, o.diagnosis, o.weeks, name, digest])
    errors = io.StringIO()
    e = csv.writer(errors, lineterminator="\n")
    e.writerow(["row", "patient_id", "field", "message"])
    for o in outcomes:
        if o.error:
            e.writerow([o.row, o.patient_id, o.error_field, o.error])
    write_atomic(summary.out / "manifest.csv", manifest.getvalue().encode("utf-8"))
    write_atomic(summary.out / "errors.csv", errors.getvalue().encode("utf-8"))
