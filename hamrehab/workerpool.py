"""hamrehab's own process pool: a pipe pair per worker, so a worker that dies costs only its own rows.

Why not `concurrent.futures.ProcessPoolExecutor`: its workers share one result queue behind one lock.
A worker killed while sending a result (as the out-of-memory killer may do) leaves half a message in
that queue and the lock held; the pool's manager thread then waits for the rest of the message forever
(CPython 3.11; 2 hangs in 45 trials of killing a worker of a 300-row batch). Here each worker has a
pipe for its tasks and a pipe for its results, and only that worker holds the writing end of its
results pipe: when it dies, the parent reads an end of file on that pipe alone (never half a message
taken for a whole one), fails the rows the worker held with `WorkerDied`, starts a fresh worker in its
place and goes on. A worker takes at most `DEPTH` tasks at a time, so a death costs at most that many rows.

The pool is a `concurrent.futures.Executor`, so the batch loop treats it like any other executor.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

DEPTH = 2  # tasks handed to a worker at once: one running, one waiting in its pipe (no idle gap between rows)
FRUITLESS = 2  # deaths per worker slot, in a row, of workers that never finished a task: the pool is broken
WORKER_DIED = "the worker process stopped unexpectedly (killed or out of memory)"
STOP = b""  # the message that tells a worker to stop (a task is never empty)


class WorkerDied(BrokenExecutor):
    """The worker running this task stopped (killed, or out of memory); the pool itself goes on."""


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    tasks: Connection  # parent -> worker
    results: Connection  # worker -> parent
    running: deque[Future] = field(default_factory=deque)  # in the order the worker will answer them
    finished: int = 0
    stopping: bool = False  # told to stop (STOP sent)


def _serve(tasks: Connection, results: Connection, initializer: Callable[..., Any] | None, initargs: tuple[Any, ...]) -> None:
    """A worker: run the initializer, then answer tasks in order until told to stop or the parent is gone."""
    if initializer is not None:
        initializer(*initargs)
    while True:
        try:
            message = tasks.recv_bytes()
        except (EOFError, OSError):  # the parent is gone
            return
        if not message:  # told to stop
            return
        try:
            fn, args, kwargs = pickle.loads(message)
            answer: tuple[str, Any] = ("ok", fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - the caller's future carries it
            answer = ("error", exc)
        try:
            results.send(answer)
        except (OSError, EOFError):
            return
        except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled: that task's error
            results.send(("error", RuntimeError(f"the worker could not send its result back ({type(exc).__name__}: {exc})")))


class WorkerPool(Executor):
    """`max_workers` processes, each started with `initializer(*initargs)`; dead ones are replaced."""

    def __init__(self, max_workers: int, initializer: Callable[..., Any] | None = None, initargs: tuple[Any, ...] = ()):
        if max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self._max_workers = max_workers  # the name ProcessPoolExecutor uses: batch.width_of reads it
        self._initializer, self._initargs = initializer, initargs
        self._context = multiprocessing.get_context()
        self._lock = threading.Lock()
        self._queue: deque[tuple[Future, Callable[..., Any], tuple[Any, ...], dict[str, Any]]] = deque()
        self._workers: list[_Worker] = []
        self._wake_reader, self._wake_writer = self._context.Pipe(duplex=False)
        self._shutdown = False
        self._broken = ""
        self._fruitless = 0
        for _ in range(max_workers):
            self._workers.append(self._start())
        self._manager = threading.Thread(target=self._manage, name="hamrehab-pool", daemon=True)
        self._manager.start()

    # ------------------------------------------------------------------ the Executor interface
    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        with self._lock:
            if self._broken:
                raise BrokenExecutor(self._broken)
            if self._shutdown:
                raise RuntimeError("cannot schedule new futures after shutdown")
            fut: Future = Future()
            self._queue.append((fut, fn, args, kwargs))
            self._dispatch()
        return fut

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Tasks already taken finish; queued ones run too, unless `cancel_futures`; then the workers stop."""
        with self._lock:
            self._shutdown = True
            if cancel_futures:
                while self._queue:
                    self._queue.popleft()[0].cancel()
        self._wake()
        if wait:
            self._manager.join()

    # ------------------------------------------------------------------ workers
    def _start(self) -> _Worker:
        task_reader, task_writer = self._context.Pipe(duplex=False)
        result_reader, result_writer = self._context.Pipe(duplex=False)
        process = self._context.Process(target=_serve, args=(task_reader, result_writer, self._initializer, self._initargs),
                                        name="hamrehab-worker", daemon=True)
        process.start()
        task_reader.close()  # the worker alone holds these ends now: its death is an end of file here
        result_writer.close()
        return _Worker(process, task_writer, result_reader)

    def _dispatch(self) -> None:
        """(Under the lock.) Hand queued tasks to the least busy workers, up to DEPTH each."""
        while self._queue:
            idle = [w for w in self._workers if not w.stopping and len(w.running) < DEPTH]
            if not idle:
                return
            worker = min(idle, key=lambda w: len(w.running))
            fut, fn, args, kwargs = self._queue.popleft()
            if not fut.set_running_or_notify_cancel():
                continue
            try:  # pickled here, so a task that cannot be is its own error and the worker never sees it
                task = pickle.dumps((fn, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # noqa: BLE001 - whatever pickling raises, it belongs to this task
                fut.set_exception(exc)
                continue
            with contextlib.suppress(OSError):  # the worker is gone: its death fails this task with the others it held
                worker.tasks.send_bytes(task)
            worker.running.append(fut)  # answers come back in this order

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            self._wake_writer.send_bytes(b"")

    def _manage(self) -> None:
        """The pool's thread: reads results, notices deaths, replaces workers, stops them at shutdown."""
        while True:
            with self._lock:
                if self._shutdown and not self._queue:
                    for worker in self._workers:
                        if not worker.stopping:
                            worker.stopping = True
                            with contextlib.suppress(OSError):
                                worker.tasks.send_bytes(STOP)  # after the tasks it holds
                    if not self._workers:
                        break
                workers = list(self._workers)
            ready = wait([self._wake_reader, *(w.results for w in workers), *(w.process.sentinel for w in workers)])
            while self._wake_reader in ready and self._wake_reader.poll():
                self._wake_reader.recv_bytes()
            for worker in workers:
                if worker.results in ready or worker.process.sentinel in ready:
                    self._read(worker)
        self._wake_reader.close()
        self._wake_writer.close()

    def _read(self, worker: _Worker) -> None:
        """Every whole answer the worker has sent; an end of file (or a half message) is its death."""
        try:
            while worker.results.poll():
                status, value = worker.results.recv()
                with self._lock:
                    fut = worker.running.popleft()
                    worker.finished += 1
                    self._fruitless = 0
                    self._dispatch()
                if status == "ok":
                    fut.set_result(value)
                else:
                    fut.set_exception(value)
        except (EOFError, OSError):
            self._bury(worker)
            return
        if worker.process.exitcode is not None:
            self._bury(worker)

    def _bury(self, worker: _Worker) -> None:
        """A worker ended: fail what it held, and start a fresh one unless the pool is stopping or broken."""
        worker.process.join(timeout=1)
        if worker.process.exitcode is None:
            worker.process.kill()
            worker.process.join()
        with self._lock:
            self._workers.remove(worker)
            worker.tasks.close()
            worker.results.close()
            died, dropped = list(worker.running), []
            worker.running.clear()
            if not worker.stopping and not self._broken:
                self._fruitless += worker.finished == 0
                if self._fruitless >= FRUITLESS * self._max_workers:  # e.g. an initializer that fails: stop trying
                    self._broken = "the worker processes keep stopping before they finish a single row"
                    dropped = [queued[0] for queued in self._queue]
                    self._queue.clear()
                    for other in self._workers:
                        dropped += other.running
                        other.running.clear()
                        other.process.kill()
                elif not self._shutdown or self._queue:
                    self._workers.append(self._start())
                    self._dispatch()
        for fut in died:
            fut.set_exception(WorkerDied(WORKER_DIED))
        for fut in dropped:
            if fut.running() or fut.set_running_or_notify_cancel():
                fut.set_exception(BrokenExecutor(self._broken))
