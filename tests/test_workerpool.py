"""hamrehab's own process pool: answers in order, a dead worker costs only its own tasks, nothing hangs."""
from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import struct
import sys
import threading
import time
from concurrent.futures import BrokenExecutor, CancelledError

import pytest

from hamrehab.workerpool import DEPTH, STOP, WORKER_DIED, WorkerDied, WorkerPool, _serve

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kills worker processes with POSIX signals")
WAIT = 30  # seconds: a hang fails the test instead of stopping the suite


def square(x: int) -> int:
    return x * x


def fail(message: str) -> None:
    raise ValueError(message)


def half_message_then_die() -> None:
    """What the out-of-memory killer can do: the worker dies half-way through sending its answer."""
    results = sys._getframe(1).f_locals["results"]  # the worker's end of its results pipe (in _serve)
    os.write(results.fileno(), struct.pack("!i", 1_000_000) + b"only the start of an answer")
    os.kill(os.getpid(), signal.SIGKILL)


def broken_initializer() -> None:
    raise SystemExit(3)


def test_answers_and_errors_come_back_to_their_own_futures():
    pool = WorkerPool(2)
    try:
        futures = [pool.submit(square, n) for n in range(40)]
        assert [f.result(WAIT) for f in futures] == [n * n for n in range(40)]
        with pytest.raises(ValueError, match="this row"):
            pool.submit(fail, "this row").result(WAIT)
        assert pool.submit(square, 7).result(WAIT) == 49  # an error in a task does not harm the worker
    finally:
        pool.shutdown()


def test_a_worker_killed_mid_task_costs_only_that_task_and_is_replaced():
    pool = WorkerPool(1)
    try:
        first = pool.submit(os.getpid).result(WAIT)
        sleeping = pool.submit(time.sleep, 60)
        time.sleep(0.2)
        os.kill(first, signal.SIGKILL)
        with pytest.raises(WorkerDied, match="stopped unexpectedly"):
            sleeping.result(WAIT)
        assert str(sleeping.exception()) == WORKER_DIED
        second = pool.submit(os.getpid).result(WAIT)  # a fresh worker took its place
        assert second != first
    finally:
        pool.shutdown()


def test_a_worker_dying_half_way_through_its_answer_never_hangs_the_pool():
    """Was (ProcessPoolExecutor): the manager thread waited forever for the rest of the message."""
    pool = WorkerPool(2)
    try:
        dying = pool.submit(half_message_then_die)
        with pytest.raises(WorkerDied):
            dying.result(WAIT)
        assert [pool.submit(square, n).result(WAIT) for n in range(5)] == [0, 1, 4, 9, 16]
    finally:
        pool.shutdown()


def test_a_death_costs_at_most_the_tasks_that_worker_held():
    pool = WorkerPool(1)
    try:
        pid = pool.submit(os.getpid).result(WAIT)
        held = [pool.submit(time.sleep, 60) for _ in range(DEPTH)]
        queued = [pool.submit(square, n) for n in range(3)]  # not yet handed to the worker
        time.sleep(0.2)
        os.kill(pid, signal.SIGKILL)
        for fut in held:
            with pytest.raises(WorkerDied):
                fut.result(WAIT)
        assert [f.result(WAIT) for f in queued] == [0, 1, 4]
    finally:
        pool.shutdown()


def test_workers_that_never_start_break_the_pool_instead_of_restarting_forever():
    pool = WorkerPool(1, initializer=broken_initializer)
    try:
        futures = [pool.submit(square, n) for n in range(6)]
        for fut in futures:
            with pytest.raises(BrokenExecutor):
                fut.result(WAIT)
        with pytest.raises(BrokenExecutor, match="keep stopping"):
            pool.submit(square, 1)
    finally:
        pool.shutdown()


def test_a_task_that_cannot_be_pickled_is_its_own_error_and_answers_stay_matched():
    """Was: a pickling error raised as ValueError was taken for a dead worker, and the worker's later answers
    went to the wrong futures."""
    pool = WorkerPool(1)
    try:
        before = pool.submit(square, 2)
        bad = pool.submit(square, _RefusesPickling())
        after = [pool.submit(square, n) for n in (5, 6, 7)]
        with pytest.raises(ValueError, match="refuses"):
            bad.result(WAIT)
        assert before.result(WAIT) == 4 and [f.result(WAIT) for f in after] == [25, 36, 49]
    finally:
        pool.shutdown()


def test_a_cancelled_task_is_skipped():
    pool = WorkerPool(1)
    try:
        held = [pool.submit(time.sleep, 0.3) for _ in range(DEPTH)]
        queued = pool.submit(square, 3)
        assert queued.cancel()
        last = pool.submit(square, 4)
        assert last.result(WAIT) == 16 and queued.cancelled() and all(f.done() for f in held)
    finally:
        pool.shutdown()


def test_a_broken_pool_fails_every_task_it_held_and_queued():
    pool = WorkerPool(2, initializer=broken_initializer)
    try:
        futures = [pool.submit(square, n) for n in range(12)]
        for fut in futures:
            with pytest.raises(BrokenExecutor):
                fut.result(WAIT)
        assert sum(isinstance(f.exception(), WorkerDied) for f in futures) <= 2 * DEPTH * 2  # the rest: "keep stopping"
    finally:
        pool.shutdown()


def test_shutdown_runs_queued_tasks_unless_told_to_cancel_them():
    pool = WorkerPool(1)
    futures = [pool.submit(square, n) for n in range(10)]
    pool.shutdown(wait=True)
    assert [f.result(0) for f in futures] == [n * n for n in range(10)]
    with pytest.raises(RuntimeError, match="after shutdown"):
        pool.submit(square, 2)

    pool = WorkerPool(1)
    slow = [pool.submit(time.sleep, 0.3) for _ in range(DEPTH + 3)]
    pool.shutdown(wait=True, cancel_futures=True)
    assert all(f.done() for f in slow)
    assert sum(f.cancelled() for f in slow) == 3  # the ones not yet handed to the worker
    with pytest.raises(CancelledError):
        slow[-1].result(0)


def test_no_worker_outlives_shutdown():
    pool = WorkerPool(2)
    pids = {pool.submit(os.getpid).result(WAIT) for _ in range(8)}
    pool.shutdown(wait=True)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_at_least_one_worker():
    with pytest.raises(ValueError, match="at least 1"):
        WorkerPool(0)


class _RefusesPickling:
    def __reduce__(self):
        raise ValueError("this object refuses to be pickled")  # as ctypes pointers do


class _Unpicklable:
    def __reduce__(self):
        raise TypeError("not picklable")


def _unpicklable() -> _Unpicklable:
    return _Unpicklable()


def test_the_worker_loop_answers_in_order_and_stops_when_told():
    """The loop each worker runs (here in a thread, so every branch is seen): answers, errors, a result that
    cannot be sent back, and a stop."""
    task_reader, task_writer = multiprocessing.Pipe(duplex=False)
    result_reader, result_writer = multiprocessing.Pipe(duplex=False)
    started: list[int] = []
    loop = threading.Thread(target=_serve, args=(task_reader, result_writer, started.append, (1,)))
    loop.start()
    for task in ((square, (3,), {}), (fail, ("bad row",), {}), (_unpicklable, (), {})):
        task_writer.send_bytes(pickle.dumps(task))
    task_writer.send_bytes(b"not a pickle")
    task_writer.send_bytes(STOP)
    loop.join(WAIT)
    assert not loop.is_alive() and started == [1]
    assert result_reader.recv() == ("ok", 9)
    status, exc = result_reader.recv()
    assert status == "error" and isinstance(exc, ValueError) and str(exc) == "bad row"
    status, exc = result_reader.recv()
    assert status == "error" and "could not send its result back" in str(exc)
    status, exc = result_reader.recv()
    assert status == "error" and isinstance(exc, pickle.UnpicklingError)  # a damaged task is that task's error


def test_the_worker_loop_ends_when_the_parent_is_gone():
    task_reader, task_writer = multiprocessing.Pipe(duplex=False)
    _, result_writer = multiprocessing.Pipe(duplex=False)
    loop = threading.Thread(target=_serve, args=(task_reader, result_writer, None, ()))
    loop.start()
    task_writer.close()  # the parent's end closed: an end of file, not a hang
    loop.join(WAIT)
    assert not loop.is_alive()
