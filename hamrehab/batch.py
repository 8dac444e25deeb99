"""Many plans from one roster: rows in, one file per row and format out, in parallel.

- The roster is read and checked first (hamrehab/roster.py): a roster that cannot be used is refused
  before `--out` is even created.
- Rows stream through a bounded window of workers: hamrehab's own processes (`jobs`), or any
  `concurrent.futures.Executor` the caller passes (`executor=`: a thread pool, a process pool, a Dask
  cluster's `Client.get_executor()`), which the batch uses and never shuts down. Workers only compute
  (plan and render) and return bytes (hamrehab/batch_workers.py); the parent writes every file
  atomically, committed in groups (hamrehab/batchfiles.py), so a dead worker never leaves half a file.
  Only a bounded number of rows are in memory at any time; the reports stream to disk
  (hamrehab/manifest.py), so memory stays flat however long the roster (the loop: hamrehab/batch_run.py).
- File names come from `patient_id`, made safe for every file system, assigned in row order to every
  row before any work, whatever then happens to it (so `--jobs 1`, `--jobs 4` and any executor give the
  same files, byte for byte, and the first of two rows with one id keeps the plain name even when it fails: fixing
  it later never renames the other); nothing is ever written outside the
  output folder, and a file there that hamrehab did not write (not in manifest.csv) is never replaced:
  its row is an error naming the file.
- A bad row never stops the others: a bad cell, a failed plan, a file that cannot be written, a worker
  killed (e.g. by the out-of-memory killer: it costs the one or two rows it held and a fresh worker takes
  its place; a caller's executor is never replaced, so a row it cannot run is that row's error) each cost
  only the rows concerned,
  which go to errors.csv, with every problem of the row (one line each).
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
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path

from .arguments import choice, count, flag, path, require, words
from .batch_run import Run
from .batch_workers import Job, width_of
from .batchfiles import safe_stem
from .batchparts import BatchSummary, roster_warnings
from .catalogue import load_catalogue
from .clinic import Clinic
from .exceptions import InputError
from .manifest import OutLock, RowOutcome, check_reports, remove_stale_parts
from .matching import check_date_format
from .render import FORMATS
from .roster import count_rows, open_roster, read_roster
from .stopping import Stop

__all__ = ["BatchSummary", "RowOutcome", "count_rows", "generate_batch", "read_roster", "safe_stem"]

MAX_JOBS = 64  # hamrehab's own worker processes: more than any one machine here has cores
MAX_IN_FLIGHT = 4096  # with a caller's executor (a cluster may have many workers): rows worked on at once


def generate_batch(roster: Path, out: Path, *, formats: Sequence[str] = ("pdf",), jobs: int | None = None,
                   executor: Executor | None = None, clinic: Clinic | None = None, skip_existing: bool = False,
                   catalogues: Sequence[Path] = (), protocols: Sequence[Path] = (), page_size: str = "a4",
                   large_print: bool = False, handout: str = "full", today: dt.date | None = None,
                   progress: Callable[[int, int | None], None] | None = None, keep_outcomes: bool = False,
                   date_format: str | None = None, notify: Callable[[str], None] | None = None) -> BatchSummary:
    """Write one file per row and format into `out`, plus manifest.csv, errors.csv (and notices.csv); never
    raises for a bad row.

    Raises InputError only before the first row (roster, formats, catalogue, `--out`, the lock).
    `jobs`: hamrehab's own worker processes (default: the CPU count; 1 computes in this process).
    `executor`: any concurrent.futures.Executor to compute the rows instead (threads, processes, a Dask
    cluster's `Client.get_executor()`); it is used, never shut down; `jobs` then says how many rows it
    works on at once (default: its max_workers when it says, else this machine's CPU count). Its workers
    must be able to import this hamrehab and to read the `catalogues`/`protocols` folders (absolute paths).
    `keep_outcomes` keeps every RowOutcome in the summary (memory grows with the roster).
    `date_format` reads the `start` column with a strptime format (e.g. '%d/%m/%Y'; default ISO).
    `notify` is called once, before the first row, with each warning about the roster itself (the
    columns ignored, a header read as a close field).
    """
    formats = tuple(dict.fromkeys(words(formats, "--format", FORMATS)))
    roster, out = path(roster, "roster"), path(out, "--out")
    if executor is not None:
        require(executor, Executor, "executor", "a concurrent.futures.Executor (e.g. a Dask Client.get_executor()), or None")
        width = count(jobs, "--jobs", 1, MAX_IN_FLIGHT) if jobs is not None else (width_of(executor) or os.cpu_count() or 1)
    else:
        width = count(jobs, "--jobs", 1, MAX_JOBS) if jobs is not None else max(1, min(os.cpu_count() or 1, MAX_JOBS))
    choice(page_size, ("a4", "letter"), "page_size")
    flag(large_print, "large_print")
    choice(handout, ("full", "compact", "summary"), "--handout")
    flag(skip_existing, "skip_existing")
    date_format = check_date_format(date_format)
    if clinic is not None:
        require(clinic, Clinic, "clinic", "a Clinic from load_clinic(), or None")
    options = {"page_size": page_size, "large_print": large_print, "clinic": clinic, "handout": handout}
    with open_roster(Path(roster)) as source:  # a roster that cannot be read fails here, before --out exists
        catalogue = load_catalogue(catalogues, protocols)  # bad catalogue folders are bad input: fail before any row
        job = Job.new(catalogues, protocols, options, formats, today or dt.date.today(), date_format)
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
                run = Run(out, job, catalogue, width, executor, skip_existing, stop, keep_outcomes, warnings)
                run.summary.ignored_columns = tuple(source.ignored)
                return run.go(source, progress)
            finally:
                lock.release()
        finally:
            stop.restore()
