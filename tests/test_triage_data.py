"""rules/triage.yaml and rules/red-flags.yaml as validated data: `hamrehab validate` reports every problem
with file and line, docs/triage.md is generated from them, and triage and the planner read the same pain
thresholds and the same red flags."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest

from hamrehab import catalogue as cat
from hamrehab.cli import main
from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.safety import RED_FLAGS, URGENCY_WORDS, check_red_flags, screen
from hamrehab.triage import Answers, assess
from hamrehab.triage.docs import render

ROOT = Path(__file__).resolve().parent.parent
TRIAGE = (ROOT / "rules" / "triage.yaml").read_text(encoding="utf-8")
FLAGS = (ROOT / "rules" / "red-flags.yaml").read_text(encoding="utf-8")
TODAY = dt.date(2026, 3, 2)


def _line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def _validate_with(runner, monkeypatch, tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(cat, "BUILTIN_TRIAGE" if name == "triage.yaml" else "BUILTIN_RED_FLAGS", path)
    return runner.invoke(main, ["validate"]), path


TRIAGE_BREAKS = [
    # (case, old, new, words); the error must name the line of the last place `new` (else the question) stands
    ("a flag no file defines", "{flag: night-pain, when: {night_pain: true}", "{flag: nigth-pain, when: {night_pain: true}",
     ["red_flag_rules.6.flag", "no red flag 'nigth-pain'", "did you mean 'night-pain'"]),
    ("a condition that is no diagnosis", "{condition: doms, when: {onset: after-hard-session}, points: 4",
     "{condition: domms, when: {onset: after-hard-session}, points: 4", ["scoring", "condition", "did you mean 'doms'"]),
    ("an unknown source", "{condition: doms, when: {onset: after-hard-session}, points: 4, sources: [S4]}",
     "{condition: doms, when: {onset: after-hard-session}, points: 4, sources: [S44]}", ["sources.0", "unknown source 'S44'"]),
    ("a rule on a question that does not exist", "{flag: weight-loss, when: {weight_loss: true}",
     "{flag: weight-loss, when: {weigth_loss: true}", ["when.weigth_loss", "no question 'weigth_loss'", "did you mean 'weight_loss'"]),
    ("a question depending on a later answer", "    ask_when: {numbness: true}\n", "    ask_when: {foot_drop: true}\n",
     ["ask_when.foot_drop", "asked later than this question"]),
    ("a choice the question does not have", "{condition: hamstring-strain, when: {onset: sudden-other}",
     "{condition: hamstring-strain, when: {onset: sudden-slow}", ["when.onset", "'sudden-slow' is not a choice of 'onset'"]),
    ("a threshold that does not exist", "{pain_now: {at_least: refer_at}}", "{pain_now: {at_least: refer_now}}",
     ["at_least: 'refer_now' is not a pain threshold", "accepted: green_max"]),
    ("a yes-no answer tested with a number", "{flag: fever, when: {fever: true}", "{flag: fever, when: {fever: 1}",
     ["when.fever", "yes-no question"]),
    ("a question key used twice", "  - key: weight_loss\n", "  - key: night_pain\n", ["questions.7.key", "already asked"]),
    ("a yes-no question without its finding", "    if_yes: the pain wakes you at night\n", "",
     ["questions.6", "if_yes", "in plain words"]),
    ("a home test without its how-to", "    how_to: >-\n      Only if walking is comfortable.",
     "    hint: >-\n      Only if walking is comfortable.", ["unknown field"]),
    ("a warning sign asked late", "  - key: fever\n    group: warning\n", "  - key: fever\n    group: story\n",
     ["questions.6.group", "warning questions come first"]),
    ("zero points", "{condition: doms, when: {sensation: ache}, points: 2", "{condition: doms, when: {sensation: ache}, points: 0",
     ["points", "0 points changes nothing"]),
]


@pytest.mark.parametrize("case,old,new,words", TRIAGE_BREAKS, ids=[b[0] for b in TRIAGE_BREAKS])
def test_validate_reports_a_broken_triage_file_with_file_and_line(runner, monkeypatch, tmp_path, case, old, new, words):
    assert TRIAGE.count(old) == 1, old
    text = TRIAGE.replace(old, new)
    result, path = _validate_with(runner, monkeypatch, tmp_path, "triage.yaml", text)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    at = {"a yes-no question without its finding": "  - key: night_pain", "a warning sign asked late": "  - key: night_pain\n    group"}
    needle = at.get(case, new)
    line = text[: text.rindex(needle)].count("\n") + 1
    if case == "a warning sign asked late":
        line += 1  # the group field of the next warning question
    elif case.startswith("a threshold"):
        line = _line(text, new)
    assert f"{path}:{line}:" in result.output, (line, result.output)
    for w in words:
        assert w in result.output, result.output


def test_every_problem_of_the_triage_file_in_one_run(runner, monkeypatch, tmp_path):
    text = TRIAGE
    breaks = [b for b in TRIAGE_BREAKS if b[0] in ("a flag no file defines", "an unknown source", "a choice the question does not have",
                                                   "a rule on a question that does not exist", "a question depending on a later answer")]
    for _, old, new, _ in breaks:
        text = text.replace(old, new)
    result, path = _validate_with(runner, monkeypatch, tmp_path, "triage.yaml", text)
    assert result.exit_code == 2
    assert result.output.count(f"{path}:") == 5 and "5 problem(s) in 1 file(s)" in result.output, result.output


FLAG_BREAKS = [
    ("an unknown urgency", "  - id: fever\n    urgency: same-day\n", "  - id: fever\n    urgency: today\n",
     ["flags.7.urgency", "accepted: emergency, same-day, soon"]),
    ("an id used twice", "  - id: weight-loss\n", "  - id: night-pain\n", ["flags.16.id", "already defined"]),
    ("an unknown source", "    why: an infection, which needs a doctor\n    terms: [fever]\n    sources: [S2]",
     "    why: an infection, which needs a doctor\n    terms: [fever]\n    sources: [S22]", ["unknown source 'S22'"]),
    ("an urgency without its words", "  soon:\n    label: within a few days\n", "  later:\n    label: within a few days\n",
     ["urgencies"]),
]


@pytest.mark.parametrize("case,old,new,words", FLAG_BREAKS, ids=[b[0] for b in FLAG_BREAKS])
def test_validate_reports_a_broken_red_flag_file_with_file_and_line(runner, monkeypatch, tmp_path, case, old, new, words):
    assert FLAGS.count(old) == 1, old
    result, path = _validate_with(runner, monkeypatch, tmp_path, "red-flags.yaml", FLAGS.replace(old, new))
    assert result.exit_code == 2, result.output
    assert f"{path}:" in result.output and "Traceback" not in result.output
    for w in words:
        assert w in result.output, result.output


def test_a_flag_removed_from_red_flags_yaml_is_caught_in_triage_yaml(runner, monkeypatch, tmp_path):
    old = ("  - id: weight-loss\n    urgency: soon\n    plain: Weight loss you cannot explain\n    why: a cause other than the muscle or tendon\n"
           "    terms: [weight loss]\n    sources: [S2]\n")
    assert old in FLAGS
    monkeypatch.setattr(cat, "BUILTIN_TRIAGE", ROOT / "rules" / "triage.yaml")
    result, _ = _validate_with(runner, monkeypatch, tmp_path, "red-flags.yaml", FLAGS.replace(old, ""))
    assert result.exit_code == 2
    assert f"triage.yaml:{_line(TRIAGE, '{flag: weight-loss')}:" in result.output and "no red flag 'weight-loss'" in result.output


def test_docs_are_generated_from_the_data():
    """docs/triage.md is `python3 -m hamrehab.triage.docs` output: regenerate it when the YAML changes."""
    assert (ROOT / "docs" / "triage.md").read_text(encoding="utf-8") == render(), \
        "docs/triage.md is out of date: python3 -m hamrehab.triage.docs > docs/triage.md"


def test_docs_list_every_question_flag_and_rule():
    text = render()
    rules = cat.builtin_triage()
    assert all(f"`{q.key}`" in text for q in rules.questions)
    assert all(f"`{f}`" in text for f in RED_FLAGS)
    assert "refer_at" in text and "not sure: ask a clinician" in text


# ------------------------------------------------------------------ one set of thresholds, one set of red flags

def test_triage_and_the_planner_read_the_same_pain_thresholds(catalogue):
    assert cat.builtin_rules().pain == catalogue.rules.pain
    refer = catalogue.rules.pain.refer_at
    assert assess(Answers(pain_now=refer - 1), catalogue).referral is None
    assert "severe-rest-pain" in [h.id for h in assess(Answers(pain_now=refer), catalogue).red_flags]
    # A stricter threshold in rules/planning.yaml moves triage and the planner together.
    stricter = catalogue.rules.pain.model_copy(update={"refer_at": 4, "first_phase_at": 3})
    changed = dataclasses.replace(catalogue, rules=catalogue.rules.model_copy(update={"pain": stricter}))
    result = assess(Answers(pain_now=4), changed)
    assert "severe-rest-pain" in [h.id for h in result.red_flags] and result.referral is not None
    assert build(PlanRequest(diagnosis="doms", pain=4, start=TODAY), changed).referral is not None
    assert build(PlanRequest(diagnosis="doms", pain=4, start=TODAY), catalogue).referral is None


def test_triage_and_the_planner_read_the_same_red_flags(catalogue):
    assert dict(RED_FLAGS) == catalogue.red_flag == cat.builtin_red_flags().by_id
    assert {u: URGENCY_WORDS[u] for u in URGENCY_WORDS} == {u: w.action for u, w in catalogue.red_flags.urgencies.items()}
    for flag_id, flag in RED_FLAGS.items():
        ref = screen(PlanRequest(diagnosis="doms", red_flags=(flag_id,), start=TODAY), catalogue.rules.pain, catalogue.red_flags)
        assert ref.urgency == flag.urgency and ref.reasons[0].startswith(flag.plain)
    # Triage's urgency and words come from the same file: change a flag there and triage follows.
    night = catalogue.red_flag["night-pain"].model_copy(update={"urgency": "same-day", "plain": "Night pain (changed)"})
    flags = catalogue.red_flags.model_copy(update={"flags": tuple(night if f.id == "night-pain" else f for f in catalogue.red_flags.flags)})
    flags.__dict__.pop("by_id", None)
    changed = dataclasses.replace(catalogue, red_flags=flags)
    result = assess(Answers(night_pain=True), changed)
    assert result.red_flags[0].urgency == "same-day" and result.red_flags[0].plain == "Night pain (changed)"
    assert result.referral.urgency == "same-day"
    with pytest.raises(Exception, match="not a known red flag"):
        check_red_flags(("night-pains",))


# ------------------------------------------------------------------ the package: one job per module

def test_triage_modules_are_small_with_no_module_level_asserts_or_positional_diagnoses():
    for path in sorted((ROOT / "hamrehab" / "triage").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 400, path
        assert not re.search(r"^assert ", text, re.MULTILINE), path
        assert "DIAGNOSES" not in text, path
    assert not (ROOT / "hamrehab" / "triage.py").exists()
