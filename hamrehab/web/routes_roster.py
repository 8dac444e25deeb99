"""Roster: upload a CSV/YAML roster, watch its progress, download one zip (plans, errors.csv, manifest.csv).

The roster is checked by the library's own reader before anything starts (`open_roster`: kind, size,
encoding, header) and run by `generate_batch` in a background thread. Its folder is the only patient
data the server keeps after a response, and only until the zip is downloaded (then deleted), the
job's time limit passes, or the server stops. A job is found only by its random id.
"""
from __future__ import annotations

import asyncio
import csv
import os
import secrets
import shutil
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from ..arguments import words
from ..batch import BatchSummary, generate_batch
from ..exceptions import HamrehabError, InputError
from ..roster import open_roster
from .app import WebApp, log, web
from .forms import CLINIC_FIELDS, HANDOUT_FIELDS, print_options, read_plan_form
from .routes_plan import Outcome, _clinic
from .uploads import MAX_ROSTER, FieldError, Scratch, is_upload, safe_name

ROSTER_SUFFIXES = (".csv", ".yaml", ".yml", ".json")
ROSTER_FORMATS = (("pdf", "PDF handouts"), ("json", "JSON (for follow-up visits)"), ("ics", "Calendars (.ics)"))
MAX_ERRORS_SHOWN = 200
REAP_EVERY_S = 30.0


@dataclass
class Job:
    """One roster being turned into plans, in its own folder."""

    id: str
    folder: Scratch
    roster_name: str
    created: float = field(default_factory=time.monotonic)
    total: int | None = None
    done: int = 0
    finished: bool = False
    summary: BatchSummary | None = None
    error: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    @property
    def out(self) -> Path:
        return self.folder.path / "out"

    def progress(self, done: int, total: int | None) -> None:
        """Called by the batch after each row; also where a shutdown stops it (nothing is written after)."""
        if self.stop.is_set():
            raise KeyboardInterrupt  # the batch's own clean stop, as for Ctrl-C: rows in flight end whole, no more start
        self.done, self.total = done, total if total is not None else self.total


def _run(job: Job, roster: Path, options: dict[str, Any]) -> None:
    try:
        job.summary = generate_batch(roster, job.out, progress=job.progress, **options)
    except HamrehabError as exc:
        job.error = job.folder.clean(str(exc))
    except Exception:  # noqa: BLE001 - shown as a plain message, logged in full
        log.exception("roster job failed")
        job.error = "Something went wrong while making the plans; nothing was kept. Please try again."
    finally:
        job.finished = True


def _form_page(w: WebApp, request: Request, out: Outcome, status: int = 200) -> Response:
    return w.page(request, "roster.html", status=status, values=out.values, errors=out.errors, formats=ROSTER_FORMATS,
                  handout_fields=HANDOUT_FIELDS, clinic_fields=CLINIC_FIELDS, max_rows=w.settings.max_roster_rows)


async def roster_page(request: Request) -> Response:
    w = web(request)
    if request.method == "GET":
        return _form_page(w, request, Outcome(values={"formats": ["pdf"], "page_size": "a4", "handout": "full"}))
    form = await w.form(request)
    posted = read_plan_form(form, form.getlist)
    out = Outcome(values={**posted.values, "formats": [f for f in form.getlist("formats") if isinstance(f, str)]})
    options, problems = print_options(posted.values)
    for key, message in problems.items():
        out.fail(key, message)
    try:
        formats = words(out.values["formats"], "formats", [f for f, _ in ROSTER_FORMATS])
    except InputError as exc:
        out.fail("formats", str(exc))
    upload = form.get("roster")
    if not is_upload(upload):
        out.fail("roster", "choose a roster file: a .csv, .yaml, .yml or .json file")
        return _form_page(w, request, out, 400)
    name = safe_name(upload.filename, "roster.csv", ROSTER_SUFFIXES)  # type: ignore[union-attr]
    if not name.endswith(ROSTER_SUFFIXES) or not str(upload.filename).lower().endswith(ROSTER_SUFFIXES):  # type: ignore[union-attr]
        out.fail("roster", f"'{name}' is not a roster: choose a .csv, .yaml, .yml or .json file")
        return _form_page(w, request, out, 400)
    job = Job(secrets.token_urlsafe(18), Scratch(w.root, "job-"), name)
    try:
        path = await job.folder.save(upload, "roster", name, MAX_ROSTER)
        with open_roster(path) as roster:
            job.total = roster.count
        if job.total is not None and job.total > w.settings.max_roster_rows:
            out.fail("roster", f"'{name}' has {job.total} rows; this page takes at most {w.settings.max_roster_rows}: "
                               "split it into smaller files")
        clinic = await _clinic(w, form, posted.values, job.folder, out)
    except FieldError as exc:
        out.fail(exc.field, exc.message, exc.status)
    except InputError as exc:
        out.fail("roster", job.folder.clean(str(exc)))
    if out.errors:
        job.folder.close()
        return _form_page(w, request, out, out.status)
    w.jobs[job.id] = job
    # Worker processes by default (at least two), so a roster's rendering never shares this process with the pages.
    jobs = w.settings.batch_jobs or max(2, min(os.cpu_count() or 1, 4))
    batch = {"formats": formats, "jobs": jobs, "clinic": clinic, "today": w.settings.today(), **options}
    job.thread = threading.Thread(target=_run, args=(job, path, batch), name=f"hamrehab-roster-{job.id[:6]}", daemon=True)
    job.thread.start()
    return RedirectResponse(f"/roster/{job.id}", status_code=303)


def _errors(job: Job) -> list[dict[str, str]]:
    path = job.out / "errors.csv"
    if not job.finished or not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return [row for _, row in zip(range(MAX_ERRORS_SHOWN), csv.DictReader(fh), strict=False)]


def _job(request: Request) -> Job | None:
    return web(request).jobs.get(request.path_params["job"])


def _gone(w: WebApp, request: Request) -> Response:
    return w.page(request, "error.html", status=404, status_code=404, retry="/roster",
                  message="This roster's plans are no longer here: they were downloaded (and deleted), or the time limit "
                          "passed. Upload the roster again to make them again.")


async def job_page(request: Request) -> Response:
    w, job = web(request), _job(request)
    if job is None:
        return _gone(w, request)
    template = "roster_status.html" if request.url.path.endswith("/status") else "roster_job.html"
    return w.page(request, template, job=job, errors=_errors(job), ttl_min=int(w.settings.job_ttl_s // 60))


def _zip(job: Job) -> Path:
    target = job.folder.path / "plans.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(job.out.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                zf.write(path, path.name)
    return target


async def job_download(request: Request) -> Response:
    w = web(request)
    await w.form(request)
    job = _job(request)
    if job is None:
        return _gone(w, request)
    if not job.finished:
        return w.page(request, "roster_job.html", status=409, job=job, errors=[], ttl_min=int(w.settings.job_ttl_s // 60))
    with job.lock:
        w.jobs.pop(job.id, None)
        if job.error or not job.out.is_dir():
            job.folder.close()
            return _gone(w, request)
        target = await asyncio.to_thread(_zip, job)
    stem = Path(job.roster_name).stem
    return FileResponse(target, media_type="application/zip", filename=f"plans-{stem}.zip",
                        background=BackgroundTask(job.folder.close))


async def job_discard(request: Request) -> Response:
    w = web(request)
    await w.form(request)
    job = w.jobs.pop(request.path_params["job"], None)
    if job is not None and job.finished:
        job.folder.close()
    elif job is not None:  # still running: delete as soon as it ends
        threading.Thread(target=_close_when_done, args=(job,), daemon=True).start()
    return RedirectResponse("/roster", status_code=303)


def _close_when_done(job: Job) -> None:
    while not job.finished:
        time.sleep(0.2)
    job.folder.close()


def reap(w: WebApp, now: float | None = None) -> None:
    """Delete finished jobs older than the time limit (and their files)."""
    now = time.monotonic() if now is None else now
    for job in list(w.jobs.values()):
        if job.finished and now - job.created > w.settings.job_ttl_s:
            w.jobs.pop(job.id, None)
            job.folder.close()


async def reap_forever(w: WebApp) -> None:
    while True:
        await asyncio.sleep(REAP_EVERY_S)
        reap(w)


STOP_WAIT_S = 20.0  # at most this long for running batches to end at shutdown


def stop_all(w: WebApp) -> None:
    """At shutdown: stop every running batch and wait for it to end (so nothing is written after), then
    forget every job; the temp root and all in it are then deleted."""
    jobs = list(w.jobs.values())
    for job in jobs:
        job.stop.set()
    deadline = time.monotonic() + STOP_WAIT_S
    for job in jobs:
        if job.thread is not None:
            job.thread.join(max(0.0, deadline - time.monotonic()))
        w.jobs.pop(job.id, None)
        shutil.rmtree(job.folder.path, ignore_errors=True)


ROUTES = [
    Route("/roster", roster_page, methods=["GET", "POST"]),
    Route("/roster/{job}", job_page),
    Route("/roster/{job}/status", job_page),
    Route("/roster/{job}/download", job_download, methods=["POST"]),
    Route("/roster/{job}/discard", job_discard, methods=["POST"]),
]
