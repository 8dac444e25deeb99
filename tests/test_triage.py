"""`hamrehab triage`: the assessment, typed answers, the answers file, the JSON and the command.

Vignettes written from the clinical facts are in tests/data/triage_vignettes.yaml
(tests/test_triage_vignettes.py); one test per finding of issue 12 in tests/test_triage_findings.py.
"""
from __future__ import annotations

import datetime as dt
import json
import shlex

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from hamrehab.catalogue import builtin_triage
from hamrehab.cli import main
from hamrehab.planner import build
from hamrehab.request import make_request
from hamrehab.safety import URGENCIES
from hamrehab.triage import (
    BACK,
    Answers,
    assess,
    next_question,
    parse_answer,
    parse_duration,
    questions,
    stop_note,
)

from .conftest import write

TODAY = dt.date(2026, 3, 2)
RULES = builtin_triage()
Q = RULES.question


def test_each_red_flag_rule_alone_refers_with_the_flags_urgency(catalogue):
    """Every rule that raises a flag, with only its own answers: that flag, its urgency, and the handout."""
    for rule in RULES.red_flag_rules:
        answers = {k: (v if not hasattr(v, "bounds") else catalogue.rules.pain.refer_at) for k, v in rule.when.items()}
        for k, v in answers.items():
            if isinstance(v, tuple):
                answers[k] = v[0]
        if rule.when_any:
            answers.update(rule.when_any[0])
        result = assess(Answers(answers), catalogue)
        flag = catalogue.red_flag[rule.flag]
        assert rule.flag in [h.id for h in result.red_flags], rule
        assert result.referral is not None
        assert URGENCIES.index(result.referral.urgency) <= URGENCIES.index(flag.urgency)
        assert f"--red-flag {rule.flag}" in result.suggested_command
        plan = build(make_request(result.request, today=TODAY, flags=True), catalogue)
        assert plan.referral is not None and plan.referral.urgency == result.referral.urgency and plan.weeks == ()


def test_flags_listed_most_urgent_first_and_once(catalogue):
    result = assess(Answers(night_pain=True, calf_or_thigh_swelling=True, breathless=True, chest_pain=True), catalogue)
    assert [h.id for h in result.red_flags] == ["chest-pain-or-breathless", "calf-or-thigh-swelling", "night-pain"]
    assert result.referral.urgency == "emergency"


@pytest.mark.parametrize("days,pain,phase", [(0, 3, "protect"), (10, 2, "early-loading"), (25, 2, "early-loading"),
                                             (200, 1, "early-loading"), (25, 5, "protect")])
def test_stage_follows_the_planner(days, pain, phase, catalogue):
    """Triage never suggests a stage its answers cannot support: only the first 72 hours pass by the clock."""
    answers = Answers(onset="sudden-fast-running", sensation="sharp", tender_spot=True, days_since_onset=days, pain_now=pain)
    result = assess(answers, catalogue)
    assert result.ranking[0].condition == "hamstring-strain"
    assert result.stage.phase == phase and "--stage" not in result.suggested_command
    assert f"--days-since-onset {days}" in result.suggested_command
    plan = build(make_request(result.request, today=TODAY), catalogue)
    assert plan.weeks[0].phase == phase


def test_prevention_only_when_nothing_is_wrong(catalogue):
    for answers in ({"pain_now": 1}, {"onset": "gradual"}, {"pain_now": 0, "location": "sit-bone"}, {"pain_now": 0}):
        assert "prevention" not in [r.condition for r in assess(Answers(**answers), catalogue).ranking]
    result = assess(Answers(pain_now=0, has_symptoms=False), catalogue)
    assert result.ranking[0].condition == "prevention" and result.referral is None


def test_for_and_against_are_plain_words(catalogue):
    result = assess(Answers(onset="sudden-fast-running", tender_spot=True, slr_pain_more_than_bent_knee=True), catalogue)
    strain = next(r for r in result.ranking if r.condition == "hamstring-strain")
    assert "it started suddenly while running fast (+3)" in strain.for_
    assert "the straight-leg lift hurts much more than the bent-knee lift (-2)" in strain.against
    assert strain.score == 3 + 2 - 2


def test_unclear_answers_say_so(catalogue):
    result = assess(Answers(), catalogue)
    assert result.note and "not point clearly" in result.note
    assert result.referral is None


def test_answers_are_checked_against_the_questions():
    with pytest.raises(ValidationError):
        Answers(onset="slowly")
    with pytest.raises(ValidationError):
        Answers(pain_nw=3)
    answers = Answers(onset="gradual", days_since_onset="2 months")
    assert answers["days_since_onset"] == 60 and answers.onset == "gradual" and answers.location is None
    assert list(Answers(pain_now=2, onset="gradual")) == ["pain_now", "onset"]  # the order asked


def _values(key):
    q = Q[key]
    if q.kind == "yes-no":
        return st.booleans()
    if q.kind == "choice":
        return st.sampled_from(q.values)
    if q.kind == "number":
        return st.integers(q.low, q.high)
    if q.kind == "duration":
        return st.integers(0, 400)
    return st.text(alphabet="abc XYZ", max_size=20)


ANSWER = st.fixed_dictionaries({}, optional={q.key: _values(q.key) for q in RULES.questions})


@settings(max_examples=150, deadline=None)
@given(ANSWER)
def test_any_answers_give_a_valid_command_and_flags_always_refer(catalogue, answers):
    result = assess(Answers(answers), catalogue)
    assert (result.referral is not None) >= bool(result.red_flags)
    scores = [r.score for r in result.ranking]
    assert scores == sorted(scores, reverse=True)
    if answers.get("pain_now", 0) > 0:
        assert "prevention" not in [r.condition for r in result.ranking]
    plan = build(make_request(result.request, today=TODAY, flags=True), catalogue)
    assert (plan.referral is not None) == (result.referral is not None)


# ------------------------------------------------------------------ typed answers

@pytest.mark.parametrize("key,text,value", [
    ("pop_heard", "y", True), ("pop_heard", "No", False), ("pop_heard", "?", None), ("pop_heard", "back", BACK),
    ("pain_now", "7", 7), ("pain_now", "3/10", 3), ("onset", "3", "gradual"), ("onset", "after-hard-session", "after-hard-session"),
    ("onset", "gradually, over days or weeks", "gradual"), ("side", "left", "left"), ("side", "R", "right"), ("side", "", None),
    ("side", "3", "both"), ("name", "  Sam Runner ", "Sam Runner"), ("name", "", None), ("days_since_onset", "2 months", 60),
])
def test_parse_answer(key, text, value):
    assert parse_answer(Q[key], text) == value


@pytest.mark.parametrize("key,text,words", [
    ("pop_heard", "maybe", "y (yes)"), ("pain_now", "11", "0 to 10"), ("pain_now", "lots", "whole number"),
    ("onset", "9", "1 to 4"), ("onset", "gradul", "did you mean 'gradual'"), ("onset", "s", "1 to 4"),
    ("days_since_onset", "ages", "2 weeks or 2 months"), ("days_since_onset", "3 fortnights", "not a unit of time"),
    ("days_since_onset", "20 years", "more than ten years"), ("name", "a\x07b", "control characters"),
])
def test_parse_answer_says_what_is_accepted(key, text, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_answer(Q[key], text)


@pytest.mark.parametrize("text,days", [
    ("3 days", 3), ("2 weeks", 14), ("2 months", 60), ("10 d", 10), ("10", 10), ("0", 0), ("today", 0), ("yesterday", 1),
    ("a week", 7), ("1 week and 3 days", 10), ("2w", 14), ("1 year", 365), ("about 3 weeks ago", 21), ("1.5 weeks", 11),
    ("36 hours", 2), ("Six Weeks", 42),
])
def test_durations_in_days_weeks_months(text, days):
    assert parse_duration(text) == days


def test_emergency_stops_the_questions_and_red_flags_skip_home_tests():
    assert next_question({"saddle_numbness": True}, ["saddle_numbness"]) is None
    assert "emergency" in stop_note({"saddle_numbness": True}, ["saddle_numbness"])
    asked = [q.key for q in questions() if q.group != "home-test"]
    assert next_question({"night_pain": True}, asked) is None
    assert "home tests were left out" in stop_note({"night_pain": True}, asked)
    assert next_question({"night_pain": False}, asked).key == "slr_pain_more_than_bent_knee"


def test_no_hopping_on_a_fresh_sudden_injury():
    asked = [q.key for q in questions() if q.key != "hop_painful"]
    assert next_question({"onset": "sudden-fast-running", "days_since_onset": 3}, asked) is None
    assert "do not hop" in stop_note({"onset": "sudden-fast-running", "days_since_onset": 3}, asked)
    assert next_question({"onset": "sudden-fast-running", "days_since_onset": 30}, asked).key == "hop_painful"
    assert next_question({"onset": "gradual"}, asked).key == "hop_painful"


def test_nothing_wrong_skips_the_story():
    asked = [q.key for q in questions() if q.group == "warning"]
    following = next_question({"pain_now": 0}, asked)
    assert following.key == "has_symptoms"
    assert next_question({"pain_now": 0, "has_symptoms": False}, asked + ["has_symptoms"]).key == "name"


def test_dont_know_never_hides_a_question():
    asked = [q.key for q in questions() if q.key not in ("pop_heard", "gap_felt", "bruising", "slr_range", "hop_painful")]
    assert next_question({}, asked).key == "pop_heard"  # onset not known: ask


# ------------------------------------------------------------------ the answers file and the command

def _bad(result, *words):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    for w in words:
        assert w in result.output, result.output


@pytest.mark.parametrize("text,words", [
    ("onset: gradual\npain_nw: 3\n", ["answers.yaml:2:", "unknown answer 'pain_nw'", "did you mean 'pain_now'", "accepted:"]),
    ("onset: gradual\nbruising: maybe\n", ["answers.yaml:2:", "bruising", "true or false"]),
    ("pain_now: three\n", ["answers.yaml:1:", "pain_now", "whole number"]),
    ("onset: gradual\nlocation: sit-bone\npain_now: 11\n", ["answers.yaml:3:", "pain_now", "at most 10"]),
    ("days_since_onset: -2\n", ["answers.yaml:1:", "days_since_onset", "at least 0"]),
    ("days_since_onset: a while\n", ["answers.yaml:1:", "days_since_onset", "2 weeks or 2 months"]),
    ("onset: slowly\n", ["answers.yaml:1:", "onset", "accepted: sudden-fast-running, sudden-other, gradual, after-hard-session"]),
    ("pop_heard: 1\n", ["answers.yaml:1:", "pop_heard", "true or false"]),
    ("side: middle\n", ["answers.yaml:1:", "side", "accepted: left, right, both"]),
    ("fever_or_night_pain: yes\n", ["answers.yaml:1:", "one question per sign", "fever, night_pain"]),
    ("- onset\n", ["answers.yaml:1:", "mapping"]),
])
def test_bad_answers_file_exits_2_naming_file_line_and_field(runner, tmp_path, text, words, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "answers.yaml", text)
    _bad(runner.invoke(main, ["triage", "--answers", "answers.yaml"]), *words)


def test_o_without_plan_is_a_usage_error(runner, tmp_path):
    path = write(tmp_path, "answers.yaml", "pain_now: 2\n")
    _bad(runner.invoke(main, ["triage", "--answers", str(path), "-o", "x.pdf"]), "--plan")


def test_json_keys(runner, tmp_path):
    path = write(tmp_path, "answers.yaml", "onset: gradual\nlocation: sit-bone\nworse_sitting: yes\npain_now: 2\n"
                                           "days_since_onset: 6 weeks\nside: right\n")
    result = runner.invoke(main, ["triage", "--answers", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"red_flags", "referral", "ranking", "set_aside", "stage", "grade", "suggested_command", "disclaimer",
            "see_a_professional_if", "answers"} <= set(data)
    assert data["red_flags"] == [] and data["referral"] is None
    assert set(data["ranking"][0]) >= {"condition", "name", "score", "for", "against", "sources"}
    assert data["ranking"][0]["condition"] == "proximal-tendinopathy"
    assert [r["score"] for r in data["ranking"]] == sorted((r["score"] for r in data["ranking"]), reverse=True)
    assert data["stage"]["phase"] == "isometric-load"
    assert data["answers"]["days_since_onset"] == 42
    assert data["suggested_command"].startswith("hamrehab plan --diagnosis proximal-tendinopathy --days-since-onset 42 --side right")
    assert "not a diagnosis" in data["disclaimer"]
    assert all(set(w) == {"id", "urgency", "plain"} for w in data["see_a_professional_if"])


def test_json_with_a_red_flag(runner, tmp_path):
    path = write(tmp_path, "answers.yaml", "calf_or_thigh_swelling: true\n")
    data = json.loads(runner.invoke(main, ["triage", "--answers", str(path), "--format", "json"]).stdout)
    assert data["red_flags"][0]["id"] == "calf-or-thigh-swelling" and data["red_flags"][0]["urgency"] == "same-day"
    assert data["referral"]["urgency"] == "same-day"
    assert "--red-flag calf-or-thigh-swelling" in data["suggested_command"]


def test_text_output_says_not_a_diagnosis_and_red_flags_first(runner, tmp_path):
    path = write(tmp_path, "answers.yaml", "onset: gradual\nlocation: sit-bone\nworse_sitting: yes\nnight_pain: yes\n")
    out = runner.invoke(main, ["triage", "--answers", str(path)]).output
    assert out.startswith("This is not a diagnosis.")
    assert out.index("SEE A PROFESSIONAL FIRST (within a few days)") < out.index("What your answers point to")
    assert "See a professional if, from now on:" in out


def test_plan_writes_the_plan(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "answers.yaml", "onset: after-hard-session\nside: both\nsensation: ache\npain_now: 2\nname: Sam\n")
    result = runner.invoke(main, ["triage", "--answers", "answers.yaml", "--plan", "-o", "plan.json"])
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "plan.json").read_text())
    assert plan["diagnosis"]["id"] == "doms" and plan["referral"] is None
    assert "wrote the plan to plan.json" in result.stderr


def test_plan_with_a_referral_writes_the_handout(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "answers.yaml", "onset: sudden-fast-running\npop_heard: yes\n")
    result = runner.invoke(main, ["triage", "--answers", "answers.yaml", "--plan"])
    assert result.exit_code == 0, result.output
    assert "referral handout" in result.stderr and "see a professional" in result.stderr
    # the handout written is, byte for byte, the one the suggested command prints
    suggested = json.loads(runner.invoke(main, ["triage", "--answers", "answers.yaml", "--format", "json"]).stdout)["suggested_command"]
    args = shlex.split(suggested)
    assert args[:2] == ["hamrehab", "plan"] and "--red-flag" in args and args[-2:] == ["-o", "referral.pdf"]
    again = runner.invoke(main, [*args[1:-2], "-o", "again.pdf"])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "referral.pdf").read_bytes() == (tmp_path / "again.pdf").read_bytes()


# A strain answered question by question through click (no red flag, so the home tests are asked).
STRAIN_REPLIES = {
    "saddle_numbness": "n", "bladder_or_bowel_change": "n", "calf_or_thigh_swelling": "n", "fever": "n", "night_pain": "n",
    "weight_loss": "n", "numbness": "n", "foot_drop": "n", "walks_normally": "y", "pain_now": "2", "onset": "1",
    "days_since_onset": "3 weeks", "side": "left", "location": "2", "sensation": "sharp", "pop_heard": "n", "gap_felt": "n",
    "bruising": "n", "pain_below_knee": "n", "pain_down_leg_running": "?", "pain_spreading": "n", "symptoms_never_change": "n",
    "improved_in_2_weeks": "y", "worse_sitting": "n", "eases_when_warm": "n", "tender_spot": "y",
    "slr_pain_more_than_bent_knee": "n", "slr_range": "1", "resisted_bend_painful": "n", "si_pressure_painful": "n",
    "shoe_test_painful": "y", "hinge_test_painful": "y", "heel_press_painful": "y", "hop_painful": "n", "name": "Sam Runner",
}


def _replies_in_order(replies: dict[str, str]) -> list[str]:
    given: dict = {}
    order: list[str] = []
    while (q := next_question(given, order)) is not None:
        order.append(q.key)
        value = parse_answer(q, replies[q.key])
        if value is not None:
            given[q.key] = value
    return order


def test_interactive_through_click(runner):
    order = _replies_in_order(STRAIN_REPLIES)
    assert set(order) == set(STRAIN_REPLIES)
    result = runner.invoke(main, ["triage", "--format", "json"], input="".join(STRAIN_REPLIES[k] + "\n" for k in order))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ranking"][0]["condition"] == "hamstring-strain" and data["referral"] is None
    assert data["answers"]["onset"] == "sudden-fast-running" and "pain_down_leg_running" not in data["answers"]
    assert data["grade"] == 1
    assert data["suggested_command"] == ("hamrehab plan --diagnosis hamstring-strain --grade 1 --days-since-onset 21 --side left "
                                         "--name 'Sam Runner' --pain 2 -o plan.pdf")
    assert "How to test:" in result.stderr


def test_interactive_back_forgets_the_last_answer(runner):
    # A mistyped yes to night pain, taken back: no flag, and the question is asked again.
    order = _replies_in_order(STRAIN_REPLIES)
    lines = []
    for key in order:
        if key == "night_pain":
            lines += ["y", "back", "n"]
        else:
            lines.append(STRAIN_REPLIES[key])
    result = runner.invoke(main, ["triage", "--format", "json"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["red_flags"] == [] and data["answers"]["night_pain"] is False
    assert result.stderr.count("Does the pain wake you up at night?") == 2


def test_interactive_re_asks_after_a_bad_answer(runner):
    result = runner.invoke(main, ["triage"], input="perhaps\ny\n")
    assert result.exit_code == 0, result.output
    assert "type y (yes), n (no) or ? (don't know)" in result.stderr
    assert "emergency" in result.stdout and "--red-flag saddle-numbness" in result.stdout
    assert "most likely first" not in result.stdout and " points" not in result.stdout  # an emergency: nothing else to weigh


def test_back_at_the_first_question_says_so(runner):
    result = runner.invoke(main, ["triage"], input="back\ny\n")
    assert result.exit_code == 0, result.output
    assert "nothing to go back to" in result.stderr
