"""Issue 14, batch: any concurrent.futures.Executor computes the rows, the parent alone writes; the same bytes
whatever computes them (--jobs 1, --jobs 2, a thread pool, the caller's process pool, a Dask cluster);
the catalogue crosses to a worker once; files are committed in groups, with far fewer flushes than files."""
from __future__ import annotations

import os
import pickle
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

import hamrehab.batch_workers as workers
from hamrehab.batch import generate_batch
from tests.test_batch import check_out, make_roster, read_csv

FORMATS = ["pdf", "json"]
ROWS = 6  # examples/roster.csv's first rows: plans and a referral, several diagnoses; kept small for the Dask test


def _bad_row(path: Path) -> Path:
    """The example rows, plus one that fails (unknown diagnosis) and one with a notice (a near miss)."""
    text = path.read_text(encoding="utf-8")
    header = text.splitlines()[0].split(",")
    extra = []
    for pid, diagnosis in (("BAD", "hamstring"), ("NEAR", "hamstring strian")):
        cells = [""] * len(header)
        cells[header.index("patient_id")], cells[header.index("diagnosis")] = pid, diagnosis
        cells[header.index("start")] = "2026-03-02"
        extra.append(",".join(cells))
    path.write_text(text + "\n".join(extra) + "\n", encoding="utf-8")
    return path


def _snapshot(out: Path) -> dict[str, bytes]:
    """Every file in --out, by name (plans and reports alike)."""
    check_out(out)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@pytest.fixture(scope="module")
def roster(tmp_path_factory) -> Path:
    return _bad_row(make_roster(tmp_path_factory.mktemp("roster") / "r.csv", ROWS))


@pytest.fixture(scope="module")
def reference(roster, tmp_path_factory) -> dict[str, bytes]:
    """--jobs 2: hamrehab's own process pool, as the CLI runs it."""
    out = tmp_path_factory.mktemp("jobs2") / "out"
    summary = generate_batch(roster, out, formats=FORMATS, jobs=2)
    assert (summary.written, summary.failed) == (ROWS + 1, 1), summary.line
    return _snapshot(out)


def test_the_reference_has_plans_a_referral_an_error_and_a_notice(reference):
    manifest = {e["file"] for e in read_csv_bytes(reference["manifest.csv"])}
    assert {f"P{i:05d}.pdf" for i in range(ROWS)} <= manifest and "NEAR.json" in manifest
    assert "referral" in reference["manifest.csv"].decode()
    assert b"BAD" in reference["errors.csv"] and b"NEAR" in reference["notices.csv"]


def test_jobs_1_writes_the_same_bytes_as_jobs_2(roster, reference, tmp_path):
    generate_batch(roster, tmp_path / "out", formats=FORMATS, jobs=1)
    assert _snapshot(tmp_path / "out") == reference


@pytest.fixture(scope="module")
def threads(roster, tmp_path_factory) -> dict[str, bytes]:
    """executor=ThreadPoolExecutor(2): the rows computed in this process's threads."""
    out = tmp_path_factory.mktemp("threads") / "out"
    with ThreadPoolExecutor(max_workers=2) as pool:
        generate_batch(roster, out, formats=FORMATS, executor=pool)
        assert pool.submit(lambda: 42).result() == 42  # still the caller's, still open
    return _snapshot(out)


def test_a_thread_pool_writes_the_same_bytes_and_is_not_shut_down(reference, threads):
    assert threads == reference


def test_the_callers_process_pool_writes_the_same_bytes_and_is_not_shut_down(roster, reference, tmp_path):
    with ProcessPoolExecutor(max_workers=2) as pool:  # its workers never saw this batch: each loads the catalogue once
        generate_batch(roster, tmp_path / "out", formats=FORMATS, executor=pool, jobs=3)
        assert pool.submit(abs, -3).result() == 3
    assert _snapshot(tmp_path / "out") == reference


def test_dask_distributed_writes_the_same_files_as_jobs_2(roster, reference, threads, tmp_path):
    """A LocalCluster of two worker processes through Client.get_executor(): the same files as --jobs 2 and threads."""
    distributed = pytest.importorskip("distributed", reason="Dask distributed is not installed (pip install 'hamrehab[dask]')")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        executor = client.get_executor()
        summary = generate_batch(roster, tmp_path / "dask", formats=FORMATS, executor=executor)
        assert executor.submit(abs, -1).result() == 1  # the caller's executor is left open
        pids = set(client.run(os.getpid).values())
    assert (summary.written, summary.failed) == (ROWS + 1, 1), summary.line
    assert os.getpid() not in pids  # the rows were computed in other processes; the files are the parent's
    assert _snapshot(tmp_path / "dask") == reference == threads


# ---------------------------------------------------------------------------------- the catalogue crosses once
def test_hamrehabs_own_workers_are_handed_the_catalogue_and_never_load_it(roster, reference, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a worker loaded the catalogue itself")

    monkeypatch.setattr(workers, "load_catalogue", refuse)  # in the workers (forked from here); the parent's is batch's
    generate_batch(roster, tmp_path / "out", formats=FORMATS, jobs=2)
    assert _snapshot(tmp_path / "out") == reference


def test_a_worker_that_was_not_handed_it_loads_it_once_per_batch(monkeypatch):
    loads = []
    real = workers.load_catalogue
    monkeypatch.setattr(workers, "load_catalogue", lambda *a: loads.append(a) or real(*a))
    import datetime as dt

    job = workers.Job.new((), (), {"page_size": "a4", "large_print": False, "clinic": None, "handout": "full"}, ("json",),
                          dt.date(2026, 3, 1), None)
    raw = {"patient_id": "P1", "diagnosis": "doms", "start": "2026-03-02"}
    try:
        for row in range(1, 4):
            assert workers.plan_row(job, row, raw)[1] == "ok"
        assert len(loads) == 1
        other = workers.Job.new((), (), job.options, ("json",), job.today, None)  # the next batch: loaded afresh
        workers.plan_row(other, 1, raw)
        assert len(loads) == 2
    finally:
        workers.forget(job)
        workers.forget(other)


def test_a_task_carries_a_small_job_never_the_catalogue():
    import datetime as dt

    from hamrehab.catalogue import load_catalogue

    job = workers.Job.new((), (), {"page_size": "a4", "large_print": False, "clinic": None, "handout": "full"}, ("pdf",),
                          dt.date(2026, 3, 1), None)
    assert len(pickle.dumps(job)) < 1000 < len(pickle.dumps(load_catalogue()))


def test_a_workers_warm_caches_give_the_same_bytes_as_cold_ones(tmp_path):
    """Wrapped text and drawings are kept per process across a worker's plans: a plan rendered cold (caches
    emptied) and warm (after other plans) is the same PDF, byte for byte."""
    import datetime as dt

    from hamrehab.catalogue import load_catalogue
    from hamrehab.model import PlanRequest
    from hamrehab.planner import build
    from hamrehab.render.pdf import render_pdf
    from hamrehab.render.pdf.flowables import _figure, wrap_lines

    catalogue = load_catalogue()
    plans = [build(PlanRequest(diagnosis=d, start=dt.date(2026, 3, 2), name="Sam", **extra), catalogue)
             for d, extra in (("hamstring-strain", {"grade": 2}), ("proximal-tendinopathy", {}))]
    cold = []
    for plan in plans:
        for large in (False, True):
            wrap_lines.cache_clear()
            _figure.cache_clear()
            cold.append(render_pdf(plan, large_print=large))
    warm = [render_pdf(plan, large_print=large) for plan in reversed(plans) for large in (True, False)][::-1]
    assert wrap_lines.cache_info().hits > 0 and _figure.cache_info().hits > 0
    assert warm == cold


# ---------------------------------------------------------------------------------- a caller's executor that fails
class _Flaky(Executor):
    """Runs rows in this thread, but fails the task of one patient (as a lost cluster node would) and then refuses work."""

    def __init__(self) -> None:
        self.calls = 0
        self.shut = False

    def submit(self, fn, /, *args, **kwargs):
        self.calls += 1
        if self.calls > 6:
            raise RuntimeError("cannot schedule new futures after shutdown")
        fut: Future = Future()
        if args[2].get("patient_id") == "P00002":
            fut.set_exception(OSError("the node running it was lost"))
        else:
            fut.set_result(fn(*args, **kwargs))
        return fut

    def shutdown(self, wait=True, *, cancel_futures=False):
        self.shut = True


def test_a_row_the_callers_executor_cannot_run_is_that_rows_error(tmp_path):
    roster = make_roster(tmp_path / "r.csv", 8)
    flaky = _Flaky()
    summary = generate_batch(roster, tmp_path / "out", formats=["json"], executor=flaky, jobs=1)
    assert not flaky.shut
    errors = {e["patient_id"]: e["message"] for e in read_csv(tmp_path / "out" / "errors.csv")}
    assert errors["P00002"] == "the executor could not run this row (OSError: the node running it was lost)"
    assert errors["P00006"].startswith("the executor did not take this row (RuntimeError: cannot schedule")
    assert (summary.written, summary.failed) == (5, 3) and set(errors) == {"P00002", "P00006", "P00007"}
    assert len(check_out(tmp_path / "out")) == 5


def test_ctrl_c_with_a_callers_thread_pool_writes_every_row_started(tmp_path):
    roster = make_roster(tmp_path / "r.csv", 300)

    def stop_at_five(done, total):
        if done == 5:
            raise KeyboardInterrupt

    with ThreadPoolExecutor(max_workers=2) as pool:
        summary = generate_batch(roster, tmp_path / "out", formats=["json"], executor=pool, progress=stop_at_five)
    assert summary.interrupted and summary.stopped_by == "SIGINT"
    assert 5 <= summary.written < 300 and summary.failed == 0
    assert len(check_out(tmp_path / "out")) == summary.written  # every row of a committed group is listed


# ---------------------------------------------------------------------------------- fewer flushes per file
def test_files_are_committed_in_groups_with_far_fewer_fsyncs_than_files(tmp_path, monkeypatch):
    import hamrehab.batchfiles as files

    if files._LIBC is None:
        pytest.skip("no syncfs(2) here: one fsync per file")
    calls = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: calls.append(fd) or real(fd))
    syncs = []
    real_syncfs = files._syncfs
    monkeypatch.setattr(files, "_syncfs", lambda folder: syncs.append(folder) or real_syncfs(folder))
    summary = generate_batch(make_roster(tmp_path / "r.csv", 60), tmp_path / "out", formats=["json", "ics"], jobs=1)
    assert summary.written == 60
    assert len(check_out(tmp_path / "out")) == 120
    assert 1 <= len(syncs) <= 120 // 2  # a flush for a group of rows, not one per file
    assert len(calls) <= len(syncs) + 3 + 1  # a folder fsync per group, the three reports, the folder once more


def read_csv_bytes(data: bytes) -> list[dict[str, str]]:
    import csv
    import io

    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
