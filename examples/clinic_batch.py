"""A clinic's nightly script: plans for every patient on the roster, then a single plan by hand.

Run from the project folder:  python3 examples/clinic_batch.py
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from hamrehab import PlanRequest, build_plan, generate_batch, load_catalogue, render_json, render_pdf
from hamrehab.clinic import load_clinic

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "output" / "clinic-batch"


def main() -> None:
    clinic = load_clinic(HERE / "clinic.yaml")
    summary = generate_batch(HERE / "roster.csv", OUT, formats=["pdf", "json"], jobs=2, clinic=clinic, today=dt.date(2026, 3, 2))
    print(summary.line, "->", OUT)

    catalogue = load_catalogue()
    request = PlanRequest(diagnosis="prevention", start=dt.date(2026, 3, 2), name="Club squad", weeks=14)
    plan = build_plan(request, catalogue)
    (OUT / "squad-prevention.pdf").write_bytes(render_pdf(plan, clinic=clinic, page_size="letter"))
    (OUT / "squad-prevention.json").write_bytes(render_json(plan))
    print(f"squad plan: {len(plan.weeks)} weeks, Nordic curls week 1: "
          f"{next(p for p in plan.weeks[0].prescriptions if p.exercise == 'nordic-curl').sets} sets")


if __name__ == "__main__":
    main()
