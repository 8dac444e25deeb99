"""Benchmark: loading and validating the whole shipped catalogue (goal: < 50 ms).

Prints the median and the best of several cold-ish runs (each run re-reads and
re-validates every file; nothing is cached between runs).
"""
from __future__ import annotations

import statistics
import time

from hamrehab.catalogue import load_catalogue


def main(runs: int = 30) -> None:
    load_catalogue()  # warm the imports and the OS file cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        cat = load_catalogue()
        times.append((time.perf_counter() - t0) * 1000)
    print(f"catalogue: {len(cat.exercises)} exercises, {len(cat.protocols)} protocols, {len(cat.references)} sources")
    print(f"load + validate: median {statistics.median(times):.1f} ms, best {min(times):.1f} ms over {runs} runs (goal < 50 ms)")


if __name__ == "__main__":
    main()
