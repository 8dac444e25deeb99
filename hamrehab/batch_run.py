"""One batch in progress: rows admitted in order, a bounded number in flight, every outcome recorded.

A module of its own because this loop is where the batch's promises are kept, whatever computes the
rows (hamrehab's own process pool, the caller's executor, or this process):

- Only a bounded number of rows is in flight or waiting to be written (memory stays flat however long
  the roster); the reports are written in row order through a small reorder buffer.
- Workers only compute; files are staged by a few writer threads and committed in groups
  (hamrehab/batchfiles.py); a row reaches manifest.csv only once its files are in place.
- A dead worker of hamrehab's own pool (hamrehab/workerpool.py) costs the rows it held, at most two; a
  fresh worker takes its place. A caller's executor is never replaced nor shut down: a row it cannot run is that row's error.
- A stop (SIGINT, SIGTERM) starts no new row; rows in flight finish and are written.
"""
from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import (
    FIRST_COMPLETED,
    BrokenExecutor,
    CancelledError,
    Executor,
    Future,
    ThreadPoolExecutor,
    wait,
)
from pathlib import Path
from typing import Any

from . import batch_workers as workers
from .batch_workers import Inline, Job
from .batchfiles import Namer, Staged, commit, discard, foreign, stage, strangers
from .batchparts import BatchSummary, Pairs
from .catalogue import Catalogue
from .exceptions import HamrehabError
from .manifest import Reports, RowOutcome, read_previous, sha256_file
from .render import SUFFIXES
from .roster import CHECK, ERROR, FIELD, PROBLEMS, fingerprint
from .stopping import Stop
from .workerpool import WORKER_DIED, WorkerDied, WorkerPool

WRITER_THREADS = 4
MAX_WRITES = 8  # rows whose bytes wait to be staged
GROUP_ROWS = 32  # rows committed together: one flush to disk and one folder fsync for all of them
GROUP_SECONDS = 0.5  # ... or fewer, when the oldest has waited this long (progress and the reports keep moving)
REORDER = 256  # finished rows held back until the rows before them finish (the manifest is in row order)
POLL = 0.2  # seconds between looks at the stop flag while waiting


class Run:
    """One batch in progress: admits rows in order, keeps a bounded number in flight, records outcomes.

    `executor` is the caller's (never shut down here); without it, `width` > 1 makes a process pool
    of that many workers and 1 computes the rows in this process.
    """

    def __init__(self, out: Path, job: Job, catalogue: Catalogue, width: int, executor: Executor | None,
                 skip_existing: bool, stop: Stop, keep: bool, warnings: tuple[str, ...] = ()):
        self.out, self.job, self.catalogue, self.width, self.executor = out, job, catalogue, width, executor
        self.skip_existing, self.stop, self.keep = skip_existing, stop, keep
        clinic = job.options.get("clinic")
        self.identity = {"page_size": job.options["page_size"], "large_print": job.options["large_print"],
                         "handout": job.options["handout"], "clinic": clinic.model_dump_json() if clinic is not None else None}
        if job.date_format is not None:  # the same cells read with another format are another request
            self.identity["date_format"] = job.date_format
        self.summary = BatchSummary(out=out)
        self.namer = Namer()
        previous = read_previous(out)
        self.ours = frozenset(name.lower() for name in previous)  # lower: case-insensitive file systems
        self.strangers = strangers(out, self.ours)
        self.reports = Reports(out, previous, tuple(("", "", w) for w in warnings))
        self.reorder = max(REORDER, 4 * width + 2 * GROUP_ROWS)
        self.inflight: dict[int, tuple[str, str, str]] = {}  # row -> (stem, patient id, fingerprint)
        self.done: dict[int, dict[str, Any]] = {}  # row -> diagnosis, weeks, kind, urgency, notices while its files are written
        self.pending: dict[Future, tuple[str, int, Any]] = {}  # future -> (plan, stage or commit; row; the pool or group)
        self.kinds: Counter[str] = Counter()  # pending futures by kind
        self.staged: list[Staged] = []  # rows whose files wait for the next commit
        self.staged_since = 0.0
        self.pool: Any = None
        self.writer = ThreadPoolExecutor(max_workers=WRITER_THREADS, thread_name_prefix="hamrehab-write")
        self.progress: Callable[[int, int | None], None] | None = None
        self.total: int | None = None
        self.last_row = 0

    # ------------------------------------------------------------------ the loop
    def go(self, source: Any, progress: Callable[[int, int | None], None] | None) -> BatchSummary:
        self.progress, self.total = progress, source.count
        if self.executor is not None or self.width == 1:  # (hamrehab's own workers get it from their initializer)
            workers.remember(self.job, self.catalogue)  # this process (--jobs 1, or a caller's threads) plans with it
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
                    if exhausted and not self.pending and not self.staged:
                        break
                    self._wait(POLL)
            except KeyboardInterrupt:  # e.g. from a progress callback: the same clean stop
                self.stop.request(signal.SIGINT)
            self._drain()
        finally:
            try:
                self._close_pool()
                self._finish_writes()  # writes already begun finish whole: nothing half-written, every file listed
            finally:
                workers.forget(self.job)
                self.reports.finish()
                self.summary.notices = self.reports.notice_lines
        if self.stop.requested:
            self.summary.interrupted = True
            self.summary.stopped_by = signal.Signals(self.stop.signum).name if self.stop.signum else ""
        return self.summary

    def _add(self, fut: Future, kind: str, row: int, extra: Any) -> None:
        self.pending[fut] = (kind, row, extra)
        self.kinds[kind] += 1

    def _room(self) -> bool:
        return (self.kinds["plan"] < self.width * 3 and self.kinds["stage"] < MAX_WRITES
                and self.reports.buffered + len(self.inflight) < self.reorder)

    def _wait(self, timeout: float) -> None:
        if self.pending:
            done = {f for f in self.pending if f.cancelled()}  # a cancelled future may never be "done" for wait()
            if not done:
                done, _ = wait(list(self.pending), timeout=timeout, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=lambda f: self.pending[f][1]):
                self._settle(fut)
        self._commit_when_due()
        self.reports.release(min(self.inflight, default=None))

    def _drain(self) -> None:
        """Stopping or done: rows not yet started are dropped; rows in flight finish and are written."""
        if self.stop.requested:
            for fut, (kind, *_) in list(self.pending.items()):
                if kind == "plan":
                    fut.cancel()
        while self.pending or self.staged:
            self._wait(POLL)

    # ------------------------------------------------------------------ rows
    def _admit(self, row: int, raw: dict[str, Any]) -> None:
        self.last_row = row
        patient_id = str(raw.get("patient_id", "") or "")
        stem = self.namer.assign(patient_id, row)  # every row, in row order, whatever happens to it next
        if ERROR in raw:
            self._record(self._reader_failure(row, patient_id, raw))
            return
        names = [stem + SUFFIXES[f] for f in self.job.formats]
        fp = fingerprint(raw, self.identity)
        if self.skip_existing and self._skipped(row, patient_id, names, fp):
            return
        for name in names:
            reason = foreign(self.out, name, self.ours, self.strangers)
            if reason:
                self._record(RowOutcome(row, patient_id, error=reason, fingerprint=fp))
                return
        self.inflight[row] = (stem, patient_id, fp)
        self._submit(row, raw)

    def _skipped(self, row: int, patient_id: str, names: list[str], fp: str) -> bool:
        """--skip-existing: every file of the row is listed with this fingerprint and still matches its sha256."""
        earlier = [self.reports.previous.get(n) for n in names]
        pairs = list(zip(names, earlier, strict=True))
        if not all(e is not None and e.fingerprint == fp and sha256_file(self.out / n) == e.sha256 for n, e in pairs):
            return False
        self.reports.claim(names)
        first = earlier[0]
        assert first is not None
        weeks = int(first.weeks) if first.weeks.isdigit() else 0
        files = tuple((n, e.sha256) for n, e in pairs if e is not None)
        self._record(RowOutcome(row, patient_id, first.diagnosis, weeks, files, skipped=True, fingerprint=fp, kind=first.kind,
                                urgency=first.urgency))
        return True

    def _reader_failure(self, row: int, patient_id: str, raw: dict[str, Any]) -> RowOutcome:
        """A row the reader found problems in: those, and (when its other cells can be read) theirs too."""
        problems: Pairs = tuple(raw.get(PROBLEMS) or ((raw.get(FIELD, ""), raw[ERROR]),))
        notices: Pairs = ()
        if raw.get(CHECK):
            try:
                _, more, notices = workers.check_row(raw, self.job.today, self.job.date_format)
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
                fut = self.pool.submit(workers.plan_row, self.job, row, raw)
            except BrokenExecutor as exc:  # broke since the last look: this row never got in
                if self.executor is None:
                    self._close_pool()  # a fresh pool takes it
                    continue
                self._record_inflight(row, error=_refused(exc))
                return
            except Exception as exc:  # e.g. a caller's executor already shut down: this row's error
                if self.executor is None:
                    raise
                self._record_inflight(row, error=_refused(exc))
                return
            self._add(fut, "plan", row, self.pool)
            return
        self._record_inflight(row, error=WORKER_DIED)

    def _new_pool(self) -> Any:
        if self.executor is not None:
            return self.executor
        if self.width == 1:
            return Inline(self.stop)
        return WorkerPool(self.width, initializer=workers.init_worker, initargs=(self.job, self.catalogue, os.getpid()))

    def _close_pool(self) -> None:
        """Our own pool is shut down; a caller's executor only loses the rows of ours not yet started."""
        if self.pool is None:
            return
        if self.pool is self.executor:
            for fut, (kind, _, pool) in list(self.pending.items()):
                if kind == "plan" and pool is self.pool and not fut.done():
                    fut.cancel()
        else:
            self.pool.shutdown(wait=True, cancel_futures=self.stop.requested)
        self.pool = None

    def _settle(self, fut: Future) -> None:
        kind, row, extra = self.pending.pop(fut)
        self.kinds[kind] -= 1
        if kind == "stage":
            self._staged(row, fut)
        elif kind == "commit":
            self._committed(extra, fut)
        else:
            self._planned(row, extra, fut)

    def _planned(self, row: int, pool: Any, fut: Future) -> None:
        if fut.cancelled():  # stopping: this row never started
            self.inflight.pop(row, None)
            return
        exc = fut.exception()
        if exc is not None:
            self._failed(row, pool, exc)
            return
        _, status, payload = fut.result()
        if status != "ok":
            field_, message, also, notices = payload
            self._record_inflight(row, error=message, error_field=field_, also=also, notices=notices)
            return
        diagnosis, weeks, outputs, plan_kind, urgency, notices = payload
        self.done[row] = {"diagnosis": diagnosis, "weeks": weeks, "kind": plan_kind, "urgency": urgency, "notices": notices}
        stem = self.inflight[row][0]
        self._add(self.writer.submit(stage, self.out, row, stem, outputs), "stage", row, None)

    def _failed(self, row: int, pool: Any, exc: BaseException) -> None:
        """The executor, not the row, failed (plan_row itself never raises for a row)."""
        if self.executor is None and isinstance(exc, BrokenExecutor):  # a worker died: the rows it held are lost
            if pool is self.pool and not isinstance(exc, WorkerDied):
                self._close_pool()  # the pool gave up (its workers keep dying at start): a fresh one goes on
            if self.stop.requested:  # the signal reached the workers too: those rows were never finished
                self.inflight.pop(row, None)
            else:
                self._record_inflight(row, error=WORKER_DIED)
        elif self.executor is not None:
            if self.stop.requested and isinstance(exc, CancelledError):
                self.inflight.pop(row, None)
            else:
                self._record_inflight(row, error=f"the executor could not run this row ({type(exc).__name__}: {exc})")
        else:
            self._record_inflight(row, error=f"internal error ({type(exc).__name__}: {exc}); please report it")

    def _staged(self, row: int, fut: Future) -> None:
        exc = fut.exception()
        staged = Staged(row, error=f"cannot write the files of this row: internal error ({type(exc).__name__}: {exc})") \
            if exc is not None else fut.result()
        if staged.error:
            self._record_inflight(row, error=staged.error, **self.done.pop(row, {}))
            return
        if not self.staged:
            self.staged_since = time.monotonic()
        self.staged.append(staged)

    def _commit_when_due(self) -> None:
        """Commit the staged rows when there are enough, the oldest has waited, or nothing else is under way."""
        if not self.staged:
            return
        busy = self.kinds["plan"] + self.kinds["stage"] > 0
        if len(self.staged) >= GROUP_ROWS or not busy or time.monotonic() - self.staged_since >= GROUP_SECONDS:
            group, self.staged = self.staged, []
            self._add(self.writer.submit(commit, self.out, group, self.ours), "commit", group[0].row, group)

    def _committed(self, group: list[Staged], fut: Future) -> None:
        exc = fut.exception()
        if exc is not None:  # a bug in commit: its rows fail, their temporary files go
            for s in group:
                discard(s)
            results = [(s.row, (), f"cannot write the files of this row: internal error ({type(exc).__name__}: {exc})")
                       for s in group]
        else:
            results = fut.result()
        for row, files, error in results:
            self._record_inflight(row, files=files, error=error, **self.done.pop(row, {}))

    def _finish_writes(self) -> None:
        """After the loop (or a bug in it): every stage and commit settles, and what is staged is committed."""
        try:
            while any(kind != "plan" for kind, *_ in self.pending.values()):
                for fut in [f for f, (kind, *_) in self.pending.items() if kind != "plan"]:
                    wait([fut])
                    self._settle(fut)
            if self.staged:
                group, self.staged = self.staged, []
                for row, files, error in commit(self.out, group, self.ours):
                    self._record_inflight(row, files=files, error=error, **self.done.pop(row, {}))
        finally:
            self.writer.shutdown(wait=True)

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
            try:
                self.progress(s.rows + s.skipped, self.total)
            except KeyboardInterrupt:  # Ctrl-C inside the caller's callback: the same clean stop, no outcome lost
                self.stop.request(signal.SIGINT)


def _refused(exc: BaseException) -> str:
    return f"the executor did not take this row ({type(exc).__name__}: {exc})"
