"""rules/handout.yaml as validated data: `hamrehab validate` reports every problem with file, line and
field, docs/handout-wording.md is generated from it, and the planner and every renderer print its words
(a plan made without it falls back to the built-in file, and the JSON never carries it)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pickle
from pathlib import Path

import pytest

from hamrehab import catalogue as cat
from hamrehab.cli import main
from hamrehab.model import HandoutWording, PlanRequest, placeholders_of
from hamrehab.model.placeholders import PAIN, placeholder_problem
from hamrehab.planner import build
from hamrehab.render.ics import render_ics
from hamrehab.render.json import render_json
from hamrehab.render.pdf import render_pdf
from hamrehab.render.text import render_text
from hamrehab.render.wording_doc import render

from .pdftext import page_texts

ROOT = Path(__file__).resolve().parent.parent
HANDOUT = (ROOT / "rules" / "handout.yaml").read_text(encoding="utf-8")
START = dt.date(2026, 3, 2)


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _validate_with(runner, monkeypatch, tmp_path, text: str):
    path = tmp_path / "handout.yaml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(cat, "BUILTIN_HANDOUT", path)
    return runner.invoke(main, ["validate"]), path


BREAKS = [
    # (case, old, new, the line's needle (None: `new`), words the message must hold)
    ("a missing key", "  no_exercises: No exercises are given until a professional has seen you.\n", "", "plain_text:",
     ["plain_text.no_exercises", "this required field is missing"]),
    ("an unknown key", "  note_below: Read the note under this table.\n",
     "  note_below: Read the note under this table.\n  note_belw: Read on.\n", None,
     ["week_pages.note_belw", "unknown field", "did you mean 'note_below'"]),
    ("an unknown placeholder", "{refer_at}/10 or more at rest means", "{refer}/10 or more at rest means", "  footnote:",
     ["traffic_light.footnote", "'{refer}' is not a placeholder 'footnote' can use", "did you mean '{refer_at}'",
      "accepted: {green_max}, {amber_min}, {amber_max}, {first_phase_at}, {refer_at}, {refer_same_day_at}"]),
    ("a placeholder another text fills", "No grade was given, so the plan assumes grade {grade};",
     "No grade was given, so the plan assumes grade {pain};", None,
     ["planner_notes.no_grade", "'{pain}' is not a placeholder 'no_grade' can use", "accepted: {grade}"]),
    ("a placeholder in a list", "    - Take medicines only as a doctor or pharmacist advises.\n",
     "    - Take medicines only as {who} advises.\n", None,
     ["referral.until_seen.2", "'until_seen' takes no placeholders"]),
    ("a warning sign said too late", "If you cannot walk normally, use crutches and see a doctor today.",
     "If you cannot walk normally, use crutches and see a doctor within a few days.", None,
     ["referral.until_seen.1", "'within a few days' is later than the warning sign 'cannot-walk-normally'"]),
    ("a formatted placeholder", "Progressed from {exercise}.", "Progressed from {exercise!r}.", None,
     ["exercise_notes.progressed", "'{exercise!r}'", "without ! or :", "accepted: {exercise}"]),
    ("an unmatched brace", "Brisk walk of {minutes} min", "Brisk walk of {minutes min", None,
     ["running.brisk_walk", "unmatched { or }"]),
    ("a brace in a text without placeholders", "  green_word: GREEN\n", "  green_word: GREEN {x}\n", None,
     ["traffic_light.green_word", "'green_word' takes no placeholders"]),
    ("an unknown source", "    grade_3: [S0, S4]\n", "    grade_3: [S0, S44]\n", None,
     ["referral.sources.grade_3.1", "unknown source 'S44'", "did you mean 'S4'"]),
    ("sources of a text the group does not have", "    hold_week: [S4]\n", "    hold_weeks: [S4]\n", None,
     ["planner_notes.sources.hold_weeks", "'hold_weeks' is not a text of planner_notes", "did you mean 'hold_week'"]),
    ("an urgency title missing", '  same-day: "TODAY: see a doctor today"\n', "", "urgency_titles:",
     ["urgency_titles.same-day", "this required field is missing"]),
]


@pytest.mark.parametrize("case,old,new,needle,words", BREAKS, ids=[b[0] for b in BREAKS])
def test_validate_reports_a_broken_handout_file_with_file_line_and_field(runner, monkeypatch, tmp_path, case, old, new, needle, words):
    assert HANDOUT.count(old) == 1, old
    text = HANDOUT.replace(old, new)
    result, path = _validate_with(runner, monkeypatch, tmp_path, text)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    line = _line(text, needle if needle is not None else new.strip("\n").split("\n")[-1].strip())
    assert f"{path}:{line}:" in result.output, (line, result.output)
    for w in words:
        assert w in result.output, result.output


def test_every_problem_of_the_handout_file_in_one_run(runner, monkeypatch, tmp_path):
    text = HANDOUT
    chosen = ("a missing key", "an unknown key", "an unknown placeholder", "a placeholder in a list", "an unmatched brace")
    for _, old, new, _, _ in (b for b in BREAKS if b[0] in chosen):
        text = text.replace(old, new)
    result, path = _validate_with(runner, monkeypatch, tmp_path, text)
    assert result.exit_code == 2
    assert result.output.count(f"{path}:") == 5 and "5 problem(s) in 1 file(s)" in result.output, result.output


def test_the_shipped_file_validates_and_is_in_the_catalogue(runner):
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    catalogue = cat.load_catalogue()
    assert catalogue.wording == cat.builtin_handout()
    assert pickle.loads(pickle.dumps(catalogue)).wording == catalogue.wording  # the start-up cache keeps it
    assert cat.BUILTIN_HANDOUT in cat._builtin_files()  # ... and its key covers the file


def test_docs_are_generated_from_the_data():
    """docs/handout-wording.md is `python3 -m hamrehab.render.wording_doc` output: regenerate it when the YAML changes."""
    assert (ROOT / "docs" / "handout-wording.md").read_text(encoding="utf-8") == render(), \
        "docs/handout-wording.md is out of date: python3 -m hamrehab.render.wording_doc > docs/handout-wording.md"


def test_docs_list_every_text_its_placeholders_and_sources():
    doc = render()
    wording = cat.builtin_handout()
    for group in HandoutWording.model_fields:
        assert f"## `{group}`" in doc, group
    assert "| `footnote` | pain thresholds |" in doc
    assert "| `no_grade` | `{grade}` | No grade was given, so the plan assumes grade {grade}" in doc
    assert "| S0, S4 |" in doc and "**petersen-2011**: Petersen J" in doc
    for step in wording.how_to_use.steps:
        assert step in doc


@pytest.mark.parametrize("text,accepted,expect", [
    ("Pain of {refer_at}/10", PAIN, None),
    ("A brace {{ itself }}", ("x",), None),
    ("Plain words", (), None),
    ("{}", ("x",), "'{}' is not a placeholder"),
    ("{x.y}", ("x",), "'{x.y}' is not a placeholder"),
    ("{x[0]}", ("x",), "'{x[0]}' is not a placeholder"),
    ("{x:>9}", ("x",), "without ! or :"),
    ("{x", ("x",), "unmatched"),
    ("{{ itself }}", (), "takes no placeholders"),
])
def test_placeholders_are_names_alone(text, accepted, expect):
    problem = placeholder_problem(text, "key", accepted)
    assert (problem is None) if expect is None else (problem is not None and expect in problem), problem


def test_every_text_declares_its_placeholders():
    """Each text's accepted placeholders are in the model (and so in the schema and the docs)."""
    wording = cat.builtin_handout()
    assert placeholders_of(type(wording.referral), "pain_reason") == ("pain",) + PAIN
    assert placeholders_of(type(wording.how_to_use), "steps") == ()
    assert placeholders_of(type(wording.running), "walk_jog") == ("jog_each", "walk_each", "jog", "total")
    schema = json.loads((ROOT / "schema" / "handout.json").read_text(encoding="utf-8"))
    assert schema["$defs"]["RunningWords"]["properties"]["walk_jog"]["placeholders"] == ["jog_each", "walk_each", "jog", "total"]


# ------------------------------------------------------------------ the words reach the outputs

def _changed(catalogue, **groups):
    """The catalogue with some texts of rules/handout.yaml changed, as an edited file would give."""
    wording = catalogue.wording
    update = {g: getattr(wording, g).model_copy(update=texts) for g, texts in groups.items()}
    return dataclasses.replace(catalogue, wording=wording.model_copy(update=update))


def test_the_planner_and_renderers_print_the_files_words():
    catalogue = _changed(cat.load_catalogue(),
                         planner_notes={"no_grade": "Grade {grade} is a guess."},
                         plain_text={"warning_signs": "Get help if:"},
                         calendar={"checkpoint": "Tick the boxes today."},
                         compact={"pain_rules": "Green up to {green_max}, red from {refer_at}."},
                         running={"walk_jog": "Jog {jog_each}, walk {walk_each}: {jog} of running."})
    plan = build(PlanRequest(diagnosis="hamstring-strain", start=START), catalogue)
    assert "Grade 2 is a guess." in plan.notes and plan.wording is catalogue.wording
    assert any(r.pattern.startswith("Jog 1, walk 1: ") for w in plan.weeks for r in w.running)
    text = render_text(plan).decode()
    assert "Get help if:" in text and "Stop and see a professional if:" not in text
    assert "Tick the boxes today." in render_ics(plan).decode().replace("\r\n ", "")
    assert "Green up to 2, red from 6." in " ".join(page_texts(render_pdf(plan, handout="compact"))[0].split())


def test_every_view_names_the_side_in_the_files_words():
    """The cover said 'Both legs / not stated', the short handouts 'both legs or side not stated' and the text left
    it out: three wordings in Python. Each now reads rules/handout.yaml `sides`."""
    catalogue = _changed(cat.load_catalogue(), sides={"both": "Either leg", "left": "The left leg"})
    both = build(PlanRequest(diagnosis="prevention", start=START), catalogue)
    assert "Hamstring injury prevention, either leg" in render_text(both).decode()
    assert "Either leg" in " ".join(page_texts(render_pdf(both))[0].split())
    assert ", either leg." in " ".join(page_texts(render_pdf(both, handout="summary"))[0].split())
    left = build(PlanRequest(diagnosis="hamstring-strain", side="left", start=START), catalogue)
    assert ", the left leg" in render_text(left).decode().splitlines()[1]


def test_the_referral_reads_the_files_words():
    catalogue = _changed(cat.load_catalogue(), referral={"tell_clinician": ("When it started.",), "grade_3": "See someone first.",
                                                         "sources": {"grade_3": ("S2",)}})
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=3, start=START), catalogue)
    assert plan.referral is not None
    assert plan.referral.reasons == ("See someone first.",) and plan.referral.tell_clinician == ("When it started.",)
    assert [k for k, _ in plan.sources] == ["S2"]


def test_a_plan_without_wording_renders_the_same_and_the_json_never_carries_it():
    plan = build(PlanRequest(diagnosis="proximal-tendinopathy", start=START, side="left", weeks=6), cat.load_catalogue())
    bare = dataclasses.replace(plan, wording=None)  # as a plan made by older code
    assert plan.wording is not None and bare.words == plan.words
    for render_one in (render_text, render_ics, render_json):
        assert render_one(bare) == render_one(plan)
    assert render_pdf(bare, handout="summary") == render_pdf(plan, handout="summary")
    assert "wording" not in json.loads(render_json(plan))
    assert "Pain: your traffic light" not in render_json(plan).decode()
