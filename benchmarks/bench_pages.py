"""Page counts of a 12-week handout: each length (full, compact, summary) x each diagnosis x A4/letter x
normal/large print, printed as a table beside the goals (compact <= 8 pages, summary = 2 pages, both in
normal print; tests/test_handouts.py holds the same bounds)."""
from __future__ import annotations

import datetime as dt
import io

import pypdf

from hamrehab.catalogue import load_catalogue
from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.render.pdf import render_pdf
from hamrehab.vocab import DIAGNOSES

GOALS = {"full": "-", "compact": "<= 8 (normal print)", "summary": "= 2 (normal print)"}


def main() -> None:
    catalogue = load_catalogue()
    columns = [(size, large) for size in ("a4", "letter") for large in (False, True)]
    head = " | ".join(f"{size}{' large' if large else ''}" for size, large in columns)
    print(f"| handout | diagnosis | {head} | goal |")
    print("|---|---|" + "---|" * len(columns) + "---|")
    for mode in ("full", "compact", "summary"):
        for diagnosis in DIAGNOSES:
            grade = 2 if diagnosis == "hamstring-strain" else None
            plan = build(PlanRequest(diagnosis=diagnosis, grade=grade, weeks=12, start=dt.date(2026, 3, 2), runner_km_per_week=30), catalogue)
            counts = [len(pypdf.PdfReader(io.BytesIO(render_pdf(plan, handout=mode, page_size=size, large_print=large))).pages)
                      for size, large in columns]
            print(f"| {mode} | {diagnosis} | " + " | ".join(map(str, counts)) + f" | {GOALS[mode]} |")


if __name__ == "__main__":
    main()
