"""Benchmark: planning a 12-week plan (goal: < 20 ms), catalogue already loaded.

Times `planner.build` alone, for a grade-2 strain and every other diagnosis, and
prints the median and best of many runs.
"""
from __future__ import annotations

import datetime as dt
import statistics
import time

from hamrehab.catalogue import load_catalogue
from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.vocab import DIAGNOSES


def main(runs: int = 200) -> None:
    catalogue = load_catalogue()
    for diagnosis in DIAGNOSES:
        request = PlanRequest(diagnosis=diagnosis, grade=2 if diagnosis == "hamstring-strain" else None, weeks=12,
                              start=dt.date(2026, 3, 2), weak_glute_side="right", runner_km_per_week=40)
        build(request, catalogue)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            build(request, catalogue)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"plan 12 weeks, {diagnosis:<22} median {statistics.median(times):.2f} ms, best {min(times):.2f} ms (goal < 20 ms)")


if __name__ == "__main__":
    main()
