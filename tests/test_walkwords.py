"""A checkpoint box about runs has `walking` words for a runner who does not run (hamrehab/catalogue/walkwords.py,
rule 2.10): refused in a built-in file, a notice in a clinician's own; printed for that runner, never for a runner."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from hamrehab.catalogue.files import Collector
from hamrehab.catalogue.walkwords import check_boxes_about_runs
from hamrehab.cli import main
from hamrehab.model import PlanRequest, Protocol
from hamrehab.planner import build
from hamrehab.vocab import DIAGNOSES

from .conftest import builtin_entry, write

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2026, 3, 2)
BOX = "The easy runs on your week pages stay at 3/10 or less and settle by the next morning."
WALKING = ', walking: {text: "The brisk walks on your week pages stay at 3/10 or less and settle by the next morning.", kind: home-test}'


def _sciatic(folder: Path, walking: str | None) -> Path:
    """The built-in nerve protocol as a copy, its 'easy runs' box with its walking words, none, or these."""
    text = (ROOT / "protocols" / "sciatic-referral.yaml").read_text(encoding="utf-8")
    assert text.count(WALKING) == 1
    new = "" if walking is None else f', walking: {{text: "{walking}", kind: home-test}}'
    return write(folder, "sciatic-referral.yaml", text.replace(WALKING, new))


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def _problems(path: Path) -> list[tuple[int, str, str]]:
    out = Collector()
    check_boxes_about_runs({"sciatic-referral": builtin_entry(path, Protocol)}, out)
    return [(p.line, p.field, p.message) for p in out.problems]


def test_a_builtin_box_about_runs_without_walking_words_is_a_problem_at_its_line(tmp_path):
    path = _sciatic(tmp_path, None)
    [(line, field, message)] = _problems(path)
    assert (line, field) == (_line(path, BOX), "phases.1.exit_criteria.4.text")
    assert message.startswith("'runs': a runner who does not run gets brisk walks and could never tick this box")


def test_walking_words_about_runs_are_a_problem_and_pain_running_down_the_leg_is_not_a_run(tmp_path):
    path = _sciatic(tmp_path, "Your easy runs stay mild.")
    [(line, field, message)] = _problems(path)
    assert (line, field) == (_line(path, BOX), "phases.1.exit_criteria.4.walking.text") and "'runs'" in message
    # the shipped file: its nerve boxes speak of pain "running down the leg", a symptom, and need no walking words
    shipped = _sciatic(tmp_path / "shipped", "The brisk walks on your week pages stay at 3/10 or less and settle by the next morning.")
    assert "running down the leg" in shipped.read_text(encoding="utf-8") and _problems(shipped) == []


def test_a_clinicians_box_loads_with_a_notice(runner, tmp_path):
    path = _sciatic(tmp_path / "mine", None)
    result = runner.invoke(main, ["validate", "--protocols", str(path.parent)])
    assert result.exit_code == 0, result.output
    assert f"notice: {path}:{_line(path, BOX)}: phases.1.exit_criteria.4.text: 'runs': a runner who does not run" in result.output


RUNS = re.compile(r"\b(?:run|runs|running|jog|jogging|sprint|sprinting|strides)\b(?! down)", re.IGNORECASE)


@pytest.mark.parametrize("diagnosis", DIAGNOSES)
def test_a_runner_who_does_not_run_ticks_boxes_about_walks_and_a_runner_the_protocols_own(catalogue, diagnosis):
    grade = 2 if diagnosis == "hamstring-strain" else None
    walker = build(PlanRequest(diagnosis=diagnosis, grade=grade, start=START, runner_km_per_week=0), catalogue)
    runner = build(PlanRequest(diagnosis=diagnosis, grade=grade, start=START, runner_km_per_week=30), catalogue)
    walked = [c for ph in walker.phases for c in ph.exit_criteria]
    ran = [c for ph in runner.phases for c in ph.exit_criteria]
    assert not [c.text for c in walked if RUNS.search(c.text)]
    changed = [(r, w) for r, w in zip(ran, walked, strict=True) if r.text != w.text]
    assert changed and all(RUNS.search(r.text) for r, _ in changed)  # only the boxes about runs
    assert all(w.kind == "home-test" for r, w in changed if r.kind == "published")  # adapted: no longer the published test
    assert all(w.kind == "clinician" for r, w in changed if r.kind == "clinician")  # a clinician's measure stays theirs
