"""Benchmark: the PDF handout of a 12-week plan.

Prints the whole CLI process time (goal <= 0.8 s on a 2-core machine), the render time
per page (goal <= 10 ms), the file size (goal <= 300 KB) and the time to draw every exercise's figure
once, uncached (goal well under 0.1 s; it was a timed test until the suite stopped timing things).
"""
from __future__ import annotations

import datetime as dt
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from hamrehab.catalogue import load_catalogue
from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.render.figures import figure_drawing
from hamrehab.render.pdf import render_pdf

ARGS = ["plan", "--diagnosis", "hamstring-strain", "--grade", "2", "--side", "left", "--weeks", "12",
        "--start", "2026-03-02", "--name", "Zoë Ñúñez-O'Brien", "--runner-km-per-week", "40"]


def main(runs: int = 7) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "plan.pdf"
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "hamrehab", *ARGS, "-o", str(out)], check=True, capture_output=True)
            times.append(time.perf_counter() - t0)
        size = out.stat().st_size
    print(f"CLI process, 12-week PDF: median {statistics.median(times):.2f} s, best {min(times):.2f} s over {runs} runs (goal <= 0.8 s)")

    catalogue = load_catalogue()
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=2, side="left", weeks=12, start=dt.date(2026, 3, 2),
                             name="Zoë Ñúñez-O'Brien", runner_km_per_week=40), catalogue)
    data = render_pdf(plan)  # warm: fonts registered once per process
    pages = len(PdfReader(io.BytesIO(data)).pages)
    renders = []
    for _ in range(runs):
        t0 = time.perf_counter()
        render_pdf(plan)
        renders.append(time.perf_counter() - t0)
    per_page = statistics.median(renders) / pages * 1000
    print(f"render: {pages} pages in {statistics.median(renders) * 1000:.0f} ms, {per_page:.1f} ms per page (goal <= 10 ms)")
    print(f"file size: {size / 1024:.0f} KB (goal <= 300 KB)")

    figures = [ex.figure for ex in catalogue.exercises.values() if ex.figure is not None]
    figure_drawing(figures[0], 230, 110)  # imports and font metrics
    draws = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for figure in figures:
            figure_drawing(figure, 230, 110)
        draws.append(time.perf_counter() - t0)
    print(f"figures: all {len(figures)} drawn in {statistics.median(draws) * 1000:.0f} ms (goal < 100 ms)")


if __name__ == "__main__":
    main()
