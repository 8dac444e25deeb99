"""Where a batch's rows are computed: hamrehab's own process pool, the caller's executor, or this process.

A module of its own because everything here runs in a worker that knows nothing of the batch: a Dask
worker on another machine gets only what one task carries, so that must be small, picklable and enough.

- Workers only compute: they plan and render a row and return its bytes; the parent alone writes files
  (hamrehab/batchfiles.py), so a worker that dies, or a cluster node that is lost, never leaves half a file.
- The catalogue crosses to each worker process once, never with every row: a task carries a small `Job`
  (a key unique to the batch, the catalogue folders, the render options). A worker process keeps the
  catalogue of the few Jobs it has seen: hamrehab's own pool hands it over in the initializer, this
  process (--jobs 1, a thread pool) is handed the parent's, and any other executor's worker loads it from
  the folders on its first row of that batch and reuses it for every later one. The key is new for every
  batch, so a long-lived cluster never plans with a catalogue edited since.
- Within a worker process the renderer keeps its own caches (drawings, wrapped text), so a worker's later
  plans cost less than its first; they are keyed by everything that shapes the output, so bytes never differ.
  A process plans and renders one row at a time, so threads (a ThreadPoolExecutor, a Dask worker with
  several threads) give the same bytes too.
"""
from __future__ import annotations

import datetime as dt
import signal
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .arguments import paths
from .batchparts import Pairs
from .catalogue import Catalogue, load_catalogue
from .exceptions import HamrehabError, InputError
from .manifest import close_inherited_locks
from .planner import build
from .render import render
from .request import check_request
from .stopping import Stop, die_with_parent

KEEP = 4  # catalogues a worker process keeps (one per batch it has seen lately)


@dataclass(frozen=True)
class Job:
    """What every row of one batch shares, as a task carries it: small, so it is cheap to send with each row."""

    key: str  # new for every batch: a worker's cached catalogue is never one from another batch
    catalogues: tuple[str, ...]  # absolute, so a worker started elsewhere finds the same folders
    protocols: tuple[str, ...]
    options: Mapping[str, Any]  # render options: page_size, large_print, clinic, handout
    formats: tuple[str, ...]
    today: dt.date
    date_format: str | None = None

    @classmethod
    def new(cls, catalogues: Sequence[Path], protocols: Sequence[Path], options: Mapping[str, Any], formats: tuple[str, ...],
            today: dt.date, date_format: str | None) -> Job:
        return cls(uuid.uuid4().hex, tuple(str(p.absolute()) for p in paths(catalogues, "catalogues")),
                   tuple(str(p.absolute()) for p in paths(protocols, "protocols")), dict(options), formats, today, date_format)


_LOADED: OrderedDict[str, Catalogue] = OrderedDict()  # Job.key -> its catalogue, in this process
_LOCK = threading.Lock()
# One row at a time per process: ReportLab is not thread-safe (two threads drawing one cached drawing, or
# building two documents, give an AttributeError or other bytes), and under the GIL threads would not
# render faster anyway. Uncontended in a worker process of its own; it keeps a thread pool's bytes identical.
_RENDERING = threading.Lock()


def remember(job: Job, catalogue: Catalogue) -> None:
    """This process plans `job`'s rows with `catalogue` (already loaded and checked by the parent)."""
    with _LOCK:
        _LOADED[job.key] = catalogue
        _LOADED.move_to_end(job.key)
        while len(_LOADED) > KEEP:
            _LOADED.popitem(last=False)


def forget(job: Job) -> None:
    with _LOCK:
        _LOADED.pop(job.key, None)


def catalogue_for(job: Job) -> Catalogue:
    """The catalogue of `job` in this process: handed over, or loaded once from its folders."""
    with _LOCK:
        found = _LOADED.get(job.key)
    if found is None:
        try:
            found = load_catalogue([Path(p) for p in job.catalogues], [Path(p) for p in job.protocols])
        except HamrehabError as exc:  # e.g. a cluster node that cannot see the clinic's folders
            raise InputError(f"this worker could not load the catalogue: {exc}") from None
        remember(job, found)
    return found


def init_worker(job: Job, catalogue: Catalogue, parent: int | None = None) -> None:
    """Once per process of hamrehab's own pool: keep the catalogue handed over, then stay out of the way.

    Workers ignore Ctrl-C (the parent alone stops the run, and lets rows in flight finish) and die with
    their parent; SIGTERM keeps its default, so a broken pool can still end them.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    close_inherited_locks()
    die_with_parent(parent)
    remember(job, catalogue)


def check_row(raw: Mapping[str, Any], today: dt.date, date_format: str | None) -> tuple[Any, Pairs, Pairs]:
    """(the request or None, every problem, every notice) of one row's fields."""
    checked = check_request({k: v for k, v in raw.items() if not k.startswith("__")}, today=today, date_format=date_format,
                            roster=True)
    return (checked.request, tuple((p.field, str(p)) for p in checked.problems),
            tuple((n.field, str(n)) for n in checked.notices))


def plan_row(job: Job, row: int, raw: Mapping[str, Any]) -> tuple[int, str, Any]:
    """Build and render one row: ('ok', (diagnosis, weeks, {format: bytes}, kind, urgency, notices)) or
    ('error', (field, message, the other problems, notices)). Never raises for a row."""
    notices: Pairs = ()
    try:
        request, problems, notices = check_row(raw, job.today, job.date_format)
        if problems:
            return row, "error", (*problems[0], problems[1:], notices)
        catalogue = catalogue_for(job)
        with _RENDERING:
            plan = build(request, catalogue)
            outputs = {fmt: render(plan, fmt, **job.options) for fmt in job.formats}
        referral = plan.referral
        kind, urgency = ("referral", referral.urgency) if referral is not None else ("plan", "")
        notices += tuple(("changes", notice) for notice in plan.clinician_notices)  # boxes the row's changes affect
        return row, "ok", (plan.diagnosis, len(plan.weeks), outputs, kind, urgency, notices)
    except InputError as exc:
        return row, "error", (exc.field, str(exc), (), notices)
    except HamrehabError as exc:
        return row, "error", ("", str(exc), (), notices)
    except Exception as exc:  # noqa: BLE001 - a bug must not cost a clinic the other rows: report it on this row
        return row, "error", ("", f"internal error ({type(exc).__name__}: {exc}); please report it", (), notices)


class Inline:
    """--jobs 1: rows computed in this process, through the same interface as an executor."""

    def __init__(self, stop: Stop):
        self.stop = stop

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        fut: Future = Future()
        try:
            fut.set_result(fn(*args))
        except KeyboardInterrupt:  # raised inside a row (real signals only set the flag): the same clean stop
            self.stop.request(signal.SIGINT)
            fut.cancel()
            fut.set_running_or_notify_cancel()
        return fut

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def width_of(executor: Any) -> int | None:
    """How many rows an executor works on at once, when it says (WorkerPool, ProcessPool- and ThreadPoolExecutor do)."""
    n = getattr(executor, "_max_workers", None)
    return n if isinstance(n, int) and n > 0 else None
