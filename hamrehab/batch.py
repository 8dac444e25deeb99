"""Many plans from one roster: rows in, one file per row and format out, in parallel.

- The roster is read and checked first (hamrehab/roster.py): a roster that cannot be used is refused
  before `--out` is even created.
- Rows stream through a bounded window of worker processes; workers only compute (plan and render),
  the parent writes every file atomically, through a few threads, so a dead worker never leaves half a
  file. Only a bounded number of rows are in memory at any time; the reports stream to disk
  (hamrehab/manifest.py), so memory stays flat however long the roster.
- File names come from `patient_id`, made safe for every file system, assigned in row order to every
  row before any work, whatever then happens to it (so `--jobs 1` and `--jobs 4` give the same files,
  byte for byte, and the first of two rows with one id keeps the plain name even when it fails: fixing
  it later never renames the other); nothing is ever written outside the
  output folder, and a file there that hamrehab did not write (not in manifest.csv) is never replaced:
  its row is an error naming the file.
- A bad row never stops the others: a bad cell, a failed plan, a file that cannot be written, a worker
  killed (e.g. by the out-of-memory killer: a fresh pool takes the remaining rows) each cost only the
  rows concerned, which go to errors.csv, with every problem of the row (one line each).
- Values are read as people write them (hamrehab/matching.py): any case, spaces or hyphens; a near
  miss is read as the only accepted word close to it and listed in notices.csv; dates are ISO unless
  `date_format` gives the clinic's own. Columns hamrehab does not know are ignored, with one warning.
- SIGINT or SIGTERM, once or many times: no new row starts, rows in flight finish and are written,
  the reports are written, and `BatchSummary.interrupted` is set (the CLI exits 130 for both signals).
  Further SIGINT/SIGTERM are ignored from the first one on, so nothing interrupts the clean-up; they
  stay ignored after an interrupted batch returns, so the caller can report and exit.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from .arguments import choice, count, flag, path, require, words
from .batchfiles import Namer, foreign, safe_stem, strangers, write_outputs
from .batchparts import BatchSummary, Inline, Pairs, roster_warnings
from .catalogue import load_catalogue
from .clinic import Clinic
from .exceptions import HamrehabError, InputError
from .manifest import (
    OutLock,
    Reports,
    RowOutcome,
    check_reports,
    close_inherited_locks,
    read_previous,
    remove_stale_parts,
    sha256_file,
)
from .matching import check_date_format
from .planner import build
from .render import FORMATS, SUFFIXES, render
from .request import check_request
from .roster import (
    CHECK,
    ERROR,
    FIELD,
    PROBLEMS,
    count_rows,
    fingerprint,
    open_roster,
    read_roster,
)
from .stopping import Stop, die_with_parent

__all__ = ["BatchSummary", "RowOutcome", "count_rows", "generate_batch", "read_roster", "safe_stem"]

WRITER_THREADS = 4
MAX_WRITES = 8  # rows whose bytes wait to be written
REORDER = 256  # finished rows held back until the rows before them finish (the manifest is in row order)
POLL = 0.2  # seconds between looks at the stop flag while waiting
WORKER_DIED = "the worker process stopped unexpectedly (killed or out of memory)"


# ---------------------------------------------------------------------------------- workers
_WORKER: dict[str, Any] = {}


def _init_worker(catalogues: Sequence[Path], protocols: Sequence[Path], options: dict[str, Any], child: bool = False,
                 parent: int | None = None, date_format: str | None = None) -> None:
    """Once per worker process: load the catalogue, keep the render options.

    Workers ignore Ctrl-C (the parent alone stops the run, and lets rows in flight finish) and die
    with their parent; SIGTERM keeps its default, so a broken pool can still end them.
    """
    if child:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        close_inherited_locks()
        die_with_parent(parent)
    _WORKER["catalogue"] = load_catalogue(catalogues, protocols)
    _WORKER["options"] = options
    _WORKER["date_format"] = date_format


def _check_row(raw: dict[str, Any], today: dt.date, date_format: str | None) -> tuple[Any, Pairs, Pairs]:
    """(the request or None, every problem, every notice) of one row's fields."""
    checked = check_request({k: v for k, v in raw.items() if not k.startswith("__")}, today=today, date_format=date_format,
                            roster=True)
    return (checked.request, tuple((p.field, str(p)) for p in checked.problems),
            tuple((n.field, str(n)) for n in checked.notices))


def _plan_row(row: int, raw: dict[str, Any], formats: tuple[str, ...], today: dt.date) -> tuple[int, str, Any]:
    """Build and render one row: ('ok', (diagnosis, weeks, {format: bytes}, kind, urgency, notices)) or
    ('error', (field, message, the other problems, notices))."""
    notices: Pairs = ()
    try:
        request, problems, notices = _check_row(raw, today, _WORKER.get("date_format"))
        if problems:
            return row, "error", (*problems[0], problems[1:], notices)
        plan = build(request, _WORKER["catalogue"])
        outputs = {fmt: render(plan, fmt, **_WORKER["options"]) for fmt in formats}
        referral = plan.referral
        kind, urgency = ("referral", referral.urgency) if referral is not None else ("plan", "")
        return row, "ok", (plan.diagnosis, len(plan.weeks), outputs, kind, urgency, notices)
    except InputError as exc:
        return row, "error", (exc.field, str(exc), (), notices)
    except HamrehabError as exc:
        return row, "error", ("", str(exc), (), notices)
    except Exception as exc:  # noqa: BLE001 - a bug must not cost a clinic the other rows: report it on this row
        return row, "error", ("", f"internal error ({type(exc).__name__}: {exc}); please report it", (), notices)


# ---------------------------------------------------------------------------------- the batch
MAX_JOBS = 64  # worker processes: more than any one machine here has cores


def generate_batch(roster: Path, out: Path, *, formats: Sequence[str] = ("pdf",), jobs: int | None = None,
                   clinic: Clinic | None = None, skip_existing: bool = False, catalogues: Sequence[Path] = (),
                   protocols: Sequence[Path] = (), page_size: str = "a4", large_print: bool = False, handout: str = "full",
                   today: dt.date | None = None, progress: Callable[[int, int | None], None] | None = None,
                   keep_outcomes: bool = False, date_format: str | None = None,
                   notify: Callable[[str], None] | None = None) -> BatchSummary:
    """Write one file per row and format into `out`, plus manifest.csv, errors.csv (and notices.csv); never
    raises for a bad row.

    Raises InputError only before the first row (roster, formats, catalogue, `--out`, the lock).
    `keep_outcomes` keeps every RowOutcome in the summary (memory grows with the roster).
    `date_format` reads the `start` column with a strptime format (e.g. '%d/%m/%Y'; default ISO).
    `notify` is called once, before the first row, with each warning about the roster itself (the
    columns ignored, a header read as a close field).
    """
    formats = tuple(dict.fromkeys(words(formats, "--format", FORMATS)))
    roster, out = path(roster, "roster"), path(out, "--out")
    jobs = count(jobs, "--jobs", 1, MAX_JOBS) if jobs is not None else max(1, min(os.cpu_count() or 1, MAX_JOBS))
    choice(page_size, ("a4", "letter"), "page_size")
    flag(large_print, "large_print")
    choice(handout, ("full", "compact", "summary"), "--handout")
    flag(skip_existing, "skip_existing")
    date_format = check_date_format(date_format)
    if clinic is not None:
        require(clinic, Clinic, "clinic", "a Clinic from load_clinic(), or None")
    options = {"page_size": page_size, "large_print": large_print, "clinic": clinic, "handout": handout}
    with open_roster(Path(roster)) as source:  # a roster that cannot be read fails here, before --out exists
        load_catalogue(catalogues, protocols)  # bad catalogue folders are bad input: fail before any row
        warnings = roster_warnings(source)
        stop = Stop()
        stop.install()
        try:
            try:
                out.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"--out: cannot create the folder '{out}': {exc.strerror}") from None
            check_reports(out)
            lock = OutLock(out).acquire()
            try:
                if lock.took_over:
                    remove_stale_parts(out)
                for message in warnings:
                    if notify is not None:
                        notify(message)
                run = _Run(out, formats, options, today or dt.date.today(), jobs, skip_existing, stop,
                           (tuple(catalogues), tuple(protocols)), keep_outcomes, date_format, warnings)
                run.summary.ignored_columns = tuple(source.ignored)
                return run.go(source, progress)
            finally:
                lock.release()
        finally:
            stop.restore()


class _Run:
    """One batch in progress: admits rows in order, keeps a bounded number in flight, records outcomes."""

    def __init__(self, out: Path, formats: tuple[str, ...], options: dict[str, Any], today: dt.date, jobs: int,
                 skip_existing: bool, stop: Stop, folders: tuple[tuple[Path, ...], tuple[Path, ...]], keep: bool,
                 date_format: str | None = None, warnings: tuple[str, ...] = ()):
        self.out, self.formats, self.options, self.today, self.jobs = out, formats, options, today, jobs
        self.skip_existing, self.stop, self.folders, self.keep = skip_existing, stop, folders, keep
        self.date_format = date_format
        clinic = options.get("clinic")
        self.identity = {"page_size": options["page_size"], "large_print": options["large_print"], "handout": options["handout"],
                         "clinic": clinic.model_dump_json() if clinic is not None else None}
        if date_format is not None:  # the same cells read with another format are another request
            self.identity["date_format"] = date_format
        self.summary = BatchSummary(out=out)
        self.namer = Namer()
        previous = read_previous(out)
        self.ours = frozenset(name.lower() for name in previous)  # lower: case-insensitive file systems
        self.strangers = strangers(out, self.ours)
        self.reports = Reports(out, previous, tuple(("", "", w) for w in warnings))
        self.inflight: dict[int, tuple[str, str, str]] = {}  # row -> (stem, patient id, fingerprint)
        self.done: dict[int, dict[str, Any]] = {}  # row -> kind, urgency and notices while its files are written
        self.pending: dict[Future, tuple[str, int, str, int, Any]] = {}  # future -> (kind, row, diagnosis, weeks, pool)
        self.pool: Any = None
        self.writer = ThreadPoolExecutor(max_workers=WRITER_THREADS, thread_name_prefix="hamrehab-write")
        self.progress: Callable[[int, int | None], None] | None = None
        self.total: int | None = None
        self.last_row = 0

    # ------------------------------------------------------------------ the loop
    def go(self, source: Any, progress: Callable[[int, int | None], None] | None) -> BatchSummary:
        self.progress, self.total = progress, source.count
        rows = iter(source)
        exhausted = False
        try:
            try:
                while not self.stop.requested:
                    while not exhausted and not self.stop.requested and self._room():
                        try:
                            row, raw = next(rows)
                        except StopIteration:
                            exhausted = True
                        except Exception as exc:  # noqa: BLE001 - the roster became unreadable part-way: keep what was done
                            exhausted = True
                            self._record(RowOutcome(self.last_row + 1, "", error=f"{exc}; the rows after it were not read"))
                        else:
                            self._admit(row, raw)
                    if exhausted and not self.pending:
                        break
                    self._wait(POLL)
            except KeyboardInterrupt:  # e.g. from a progress callback: the same clean stop
                self.stop.request(signal.SIGINT)
            self._drain()
        finally:
            try:
                self._close_pool()
                self.writer.shutdown(wait=True)  # writes already begun finish whole: nothing half-written
                for fut in [f for f, (kind, *_) in self.pending.items() if kind == "write"]:
                    self._settle(fut)  # (after a bug in this loop) every file written is still listed
            finally:
                self.reports.finish()
                self.summary.notices = self.reports.notice_lines
        if self.stop.requested:
            self.summary.interrupted = True
            self.summary.stopped_by = signal.Signals(self.stop.signum).name if self.stop.signum else ""
        return self.summary

    def _room(self) -> bool:
        plans = sum(1 for kind, *_ in self.pending.values() if kind == "plan")
        writes = len(self.pending) - plans
        return plans < self.jobs * 3 and writes < MAX_WRITES and self.reports.buffered + len(self.inflight) < REORDER

    def _wait(self, timeout: float) -> None:
        if self.pending:
            done = {f for f in self.pending if f.cancelled()}  # a cancelled future may never be "done" for wait()
            if not done:
                done, _ = wait(list(self.pending), timeout=timeout, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=lambda f: self.pending[f][1]):
                self._settle(fut)
        self.reports.release(min(self.inflight, default=None))

    def _drain(self) -> None:
        """Stopping or done: rows not yet started are dropped; rows in flight finish and are written."""
        if self.stop.requested:
            for fut, (kind, *_) in list(self.pending.items()):
                if kind == "plan":
                    fut.cancel()
        while self.pending:
            self._wait(POLL)

    # ------------------------------------------------------------------ rows
    def _admit(self, row: int, raw: dict[str, Any]) -> None:
        self.last_row = row
        patient_id = str(raw.get("patient_id", "") or "")
        stem = self.namer.assign(patient_id, row)  # every row, in row order, whatever happens to it next
        if ERROR in raw:
            self._record(self._reader_failure(row, patient_id, raw))
            return
        names = [stem + SUFFIXES[f] for f in self.formats]
        fp = fingerprint(raw, self.identity)
        if self.skip_existing:
            earlier = [self.reports.previous.get(n) for n in names]
            if all(e is not None and e.fingerprint == fp and sha256_file(self.out / n) == e.sha256 for n, e in zip(names, earlier)):
                self.reports.claim(names)
                first = earlier[0]
                weeks = int(first.weeks) if first.weeks.isdigit() else 0
                self._record(RowOutcome(row, patient_id, first.diagnosis, weeks, tuple((n, e.sha256) for n, e in zip(names, earlier)),
                                        skipped=True, fingerprint=fp, kind=first.kind, urgency=first.urgency))
                return
        for name in names:
            reason = foreign(self.out, name, self.ours, self.strangers)
            if reason:
                self._record(RowOutcome(row, patient_id, error=reason, fingerprint=fp))
                return
        self.inflight[row] = (stem, patient_id, fp)
        self._submit(row, raw)

    def _reader_failure(self, row: int, patient_id: str, raw: dict[str, Any]) -> RowOutcome:
        """A row the reader found problems in: those, and (when its other cells can be read) theirs too."""
        problems: Pairs = tuple(raw.get(PROBLEMS) or ((raw.get(FIELD, ""), raw[ERROR]),))
        notices: Pairs = ()
        if raw.get(CHECK):
            try:
                _, more, notices = _check_row(raw, self.today, self.date_format)
            except HamrehabError as exc:
                more = ((getattr(exc, "field", ""), str(exc)),)
            seen = {f for f, _ in problems}
            problems += tuple((f, m) for f, m in more if f not in seen)  # a cell the reader refused is not "missing"
        (field, error), *also = problems
        return RowOutcome(row, patient_id, error_field=field, error=error, also=tuple(also), notices=notices)

    def _submit(self, row: int, raw: dict[str, Any]) -> None:
        for _ in range(2):
            if self.pool is None:
                self.pool = self._new_pool()
            try:
                fut = self.pool.submit(_plan_row, row, raw, self.formats, self.today)
            except BrokenProcessPool:  # broke since the last look: this row never got in; a fresh pool takes it
                self._close_pool()
                continue
            self.pending[fut] = ("plan", row, "", 0, self.pool)
            return
        self._record_inflight(row, error=WORKER_DIED)

    def _new_pool(self) -> Any:
        catalogues, protocols = self.folders
        if self.jobs == 1:
            _init_worker(catalogues, protocols, self.options, date_format=self.date_format)
            return Inline(self.stop)
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=_init_worker,
                                   initargs=(catalogues, protocols, self.options, True, os.getpid(), self.date_format))

    def _close_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=self.stop.requested)
            self.pool = None

    def _settle(self, fut: Future) -> None:
        kind, row, diagnosis, weeks, pool = self.pending.pop(fut)
        if kind == "write":
            files, error = fut.result()
            self._record_inflight(row, diagnosis, weeks, files, error, **self.done.pop(row, {}))
            return
        if fut.cancelled():  # stopping: this row never started
            self.inflight.pop(row, None)
            return
        exc = fut.exception()
        if isinstance(exc, BrokenProcessPool):  # a worker died: its pool's rows are lost, a fresh pool goes on
            if pool is self.pool:
                self._close_pool()
            if self.stop.requested:  # the signal reached the workers too: those rows were never finished
                self.inflight.pop(row, None)
            else:
                self._record_inflight(row, error=WORKER_DIED)
            return
        if exc is not None:
            self._record_inflight(row, error=f"internal error ({type(exc).__name__}: {exc}); please report it")
            return
        _, status, payload = fut.result()
        if status != "ok":
            field_, message, also, notices = payload
            self._record_inflight(row, error=message, error_field=field_, also=also, notices=notices)
            return
        diagnosis, weeks, outputs, plan_kind, urgency, notices = payload
        self.done[row] = {"kind": plan_kind, "urgency": urgency, "notices": notices}
        stem = self.inflight[row][0]
        self.pending[self.writer.submit(write_outputs, self.out, stem, outputs, self.ours)] = ("write", row, diagnosis, weeks, None)

    def _record_inflight(self, row: int, diagnosis: str = "", weeks: int = 0, files: tuple[tuple[str, str], ...] = (),
                         error: str = "", error_field: str = "", also: Pairs = (), notices: Pairs = (), kind: str = "",
                         urgency: str = "") -> None:
        _stem, patient_id, fp = self.inflight.pop(row)
        self.reports.claim(name for name, _ in files)
        self._record(RowOutcome(row, patient_id, diagnosis, weeks, files, error_field=error_field, error=error, fingerprint=fp,
                                kind=kind if files else "", urgency=urgency if files else "", also=also, notices=notices))

    def _record(self, outcome: RowOutcome) -> None:
        s = self.summary
        if outcome.skipped:
            s.skipped += 1
        else:
            s.rows += 1
            if outcome.error:
                s.failed += 1
            else:
                s.written += 1
                if outcome.kind == "referral":
                    s.referrals[outcome.urgency] = s.referrals.get(outcome.urgency, 0) + 1
        self.reports.add(outcome)
        if self.keep:
            s.outcomes.append(outcome)
        if self.progress:
            self.progress(s.rows + s.skipped, self.total)
