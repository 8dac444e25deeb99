"""Every view of a plan reads the same days: the JSON, the calendar, the text and the week pages."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import icalendar
import pytest

from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.render.ics import render_ics
from hamrehab.render.json import render_json
from hamrehab.render.pdf import render_pdf
from hamrehab.render.text import render_text

from .pdftext import page_texts
from .planner_rules import CHECKERS

START = dt.date(2026, 3, 2)
ROOT = Path(__file__).resolve().parent.parent
REQUESTS = {
    "strain": PlanRequest(diagnosis="hamstring-strain", grade=1, start=START, weeks=10, runner_km_per_week=30),
    "tendon": PlanRequest(diagnosis="proximal-tendinopathy", start=START, weeks=20, runner_km_per_week=50, equipment=("none",)),
    "walker": PlanRequest(diagnosis="sciatic-referral", start=START, weeks=4, runner_km_per_week=0),
}


@pytest.fixture(scope="module", params=sorted(REQUESTS))
def plan(request, catalogue):
    return build(REQUESTS[request.param], catalogue)


def test_json_days_and_running_entries(plan):
    data = json.loads(render_json(plan))
    assert data["schema_version"] == 2
    for week, w in zip(data["weeks"], plan.weeks):
        assert week["hold"] == w.hold and week["days"] == [list(d.ids) for d in w.days]
        assert week["jog_minutes"] == w.jog_minutes
        for run in week["running"]:
            assert set(run) >= {"day", "kind", "jog_minutes", "walk_minutes", "minutes", "extras", "pattern", "effort"}
            assert run["minutes"] == run["jog_minutes"] + run["walk_minutes"]
            assert run["kind"] in ("walk-jog", "continuous", "walk")
            assert run["exercise"] in week["days"][run["day"]]
        ids = {p["exercise"] for p in week["prescriptions"]}
        assert not ids & {"walk-jog-intervals", "easy-run", "strides"}, "running is listed once: in the running entries"


def test_calendar_has_an_event_exactly_on_the_days_with_work(plan):
    cal = icalendar.Calendar.from_ical(render_ics(plan))
    events = {e.decoded("dtstart"): str(e.get("description")) for e in cal.walk("VEVENT")}
    for w in plan.weeks:
        for d in w.days:
            day = w.start + dt.timedelta(days=d.offset)
            assert (day in events) == bool(d.ids), (w.number, d.offset)
            if d.ids:
                for p in w.prescriptions:
                    assert (f"- {p.name}:" in events[day]) == (d.offset in p.days), (w.number, d.offset, p.exercise)
                if d.run is not None:
                    assert d.run.pattern in events[day]


def test_text_names_each_run_with_its_days(plan):
    text = render_text(plan).decode()
    for w in plan.weeks:
        block = text.split(f"Week {w.number} (from ")[1].split("\nWeek ")[0]
        flat = " ".join(block.split())
        for r in w.running:
            assert " ".join(r.pattern.split()) in flat, (w.number, r.pattern)


def test_the_text_and_the_pdf_name_a_phase_of_one_week_as_week_n(plan):
    # (the text said 'weeks 1-1' where the PDF said 'week 1'): one wording, wording.week_span, for every view
    text = render_text(plan).decode()
    about = " ".join(" ".join(t.split()) for t in page_texts(render_pdf(plan))[:4])
    for ph in plan.phases:
        span = f"week {ph.weeks[0]}" if len(ph.weeks) == 1 else f"weeks {ph.weeks[0]}-{ph.weeks[-1]}"
        assert f"== {ph.name} ({span}) ==" in text
        assert f"{ph.name} ({span})" in about
    assert not re.search(r"weeks (\d+)-\1\b", text)


def test_week_pages_show_the_runs_minutes_on_their_days(catalogue):
    plan = build(REQUESTS["strain"], catalogue)
    pages = page_texts(render_pdf(plan))
    for w in plan.weeks:
        page = next(t for t in pages if t.startswith(f"Week {w.number} of {len(plan.weeks)}"))
        for r in w.running:
            assert f"{r.jog_minutes}'" in page, (w.number, r)
        if w.running:
            assert f"{w.jog_minutes} min of running this week" in page


def test_clinical_rules_doc_lists_every_checker_and_real_tests():
    """docs/clinical-rules.md drifts from the tests when a rule is added or renamed: this catches it."""
    doc = (ROOT / "docs" / "clinical-rules.md").read_text(encoding="utf-8")
    for name in CHECKERS:
        assert f"`{name}`" in doc, name
    for path, name in re.findall(r"`?(tests/[\w/]+\.py)::(\w+)", doc):
        assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), (path, name)
    for path, names in re.findall(r"`(tests/[\w/]+\.py)::\w+`,((?: `\w+`,?)+)", doc):
        for name in re.findall(r"`(\w+)`", names):
            assert f"def {name}(" in (ROOT / path).read_text(encoding="utf-8"), (path, name)


def test_a_runner_who_does_not_run_reads_walking_words_never_running_advice(catalogue):
    # Brisk walks stand where a runner would run; the week pages, the text and the calendar gave them the phase's running
    # pace and notes ("start at about a quarter of your full speed", "Run every other day at most").
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=2, start=START, runner_km_per_week=0), catalogue)
    walked = [w for w in plan.weeks if w.running]
    assert walked and {r.kind for w in walked for r in w.running} == {"walk"}
    effort = " ".join(catalogue.wording.running.walk_effort.split())
    advice = [" ".join(t.split())[:60] for ph in plan.phases if ph.running.has_runs for t in (ph.running.effort, *ph.running.notes)]
    assert advice

    def said(text: str) -> str:
        return " ".join(text.split())

    pages = [said(p) for p in page_texts(render_pdf(plan))]
    for w in walked:
        page = next(p for p in pages if p.startswith(f"Week {w.number} of"))
        assert f"Walking: {effort}" in page and not [a for a in advice if a in page], w.number
    text = said(render_text(plan).decode())
    assert f"Walking: {effort}" in text and "of brisk walking this week" in text and not [a for a in advice if a in text]
    calendar = render_ics(plan).decode()
    assert "- Walk: Brisk walk of" in calendar and "- Run:" not in calendar
