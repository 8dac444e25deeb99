"""Stopping a batch cleanly: SIGINT and SIGTERM in the batch process, and workers that never outlive it.

- The first SIGINT or SIGTERM only sets a flag: the batch starts no new row, lets the rows in flight
  finish, writes its reports and returns (the CLI then exits 130, for either signal).
- From that first signal on, both are ignored, so pressing Ctrl-C again (or `timeout` sending SIGTERM
  again) cannot interrupt the clean-up; they stay ignored after the batch returns, so the caller can
  print its summary and exit without a traceback.
- Workers ignore SIGINT (Ctrl-C reaches the whole process group; only the parent decides) and, on
  Linux, are killed by the kernel if the batch process dies, so none is ever orphaned.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
from typing import Any


class Stop:
    """SIGINT/SIGTERM set a flag (the batch stops between rows); from the first one on, both are ignored."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.signum: int | None = None
        self.ignoring = False
        self._old: dict[int, Any] = {}

    @property
    def requested(self) -> bool:
        return self.signum is not None

    def request(self, signum: int) -> None:
        if self.signum is None:
            self.signum = signum

    def _handle(self, signum: int, frame: object) -> None:
        self.request(signum)
        self.ignoring = True
        for sig in self.SIGNALS:
            signal.signal(sig, signal.SIG_IGN)  # nothing may interrupt the clean-up

    def install(self) -> None:
        if threading.current_thread() is threading.main_thread():
            for sig in self.SIGNALS:
                self._old[sig] = signal.signal(sig, self._handle)

    def restore(self) -> None:
        """Put the caller's handlers back, unless a signal came (then both stay ignored until exit)."""
        if not self.ignoring:
            for sig, handler in self._old.items():
                signal.signal(sig, handler)


def die_with_parent(parent: int | None) -> None:
    """Linux: the kernel kills this worker if the batch process dies, so no worker is ever orphaned."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the parent's own checks remain
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if parent is not None and os.getppid() != parent:
        os._exit(1)
