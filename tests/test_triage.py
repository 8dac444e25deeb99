"""`hamrehab triage`: vignettes written from clinical-facts.md sections 2 and 5, the answers file, the JSON."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamrehab.cli import main
from hamrehab.planner import build
from hamrehab.request import make_request
from hamrehab.safety import RED_FLAGS, URGENCIES
from hamrehab.triage import (
    FLAG_RULES,
    KEYS,
    QUESTION,
    QUESTIONS,
    RULES,
    Answers,
    assess,
    next_question,
    parse_answer,
    stop_note,
)
from hamrehab.vocab import DIAGNOSES

from .conftest import write

TODAY = dt.date(2026, 3, 2)

# (name, answers, expected top condition). No red flag in any of these: each must give a plan.
CONDITION_VIGNETTES = [
    ("strain: sudden sharp pain while sprinting, sore spot, resisted bend hurts",
     dict(onset="sudden-fast-running", location="mid-thigh", sensation="sharp", tender_spot=True, resisted_bend_painful=True,
          slr_pain_more_than_bent_knee=False, walks_normally=True, pop_heard=False, bruising=False, days_since_onset=3, pain_now=3),
     "hamstring-strain"),
    ("strain: sudden during a kick, home tests all painful",
     dict(onset="sudden-other", sensation="sharp", tender_spot=True, heel_press_painful=True, shoe_test_painful=True,
          walks_normally=True, pain_now=2),
     "hamstring-strain"),
    ("strain: no story, only the examination signs",
     dict(tender_spot=True, resisted_bend_painful=True, slr_pain_more_than_bent_knee=False, hinge_test_painful=True),
     "hamstring-strain"),
    ("strain: one leg, sharp, both raises equally limited, pain 5",
     dict(onset="sudden-fast-running", sensation="sharp", both_legs=False, slr_pain_more_than_bent_knee=False,
          walks_normally=True, pain_now=5, days_since_onset=1),
     "hamstring-strain"),
    ("strain: old injury, two months on, sore spot and painful heel press",
     dict(onset="sudden-fast-running", location="mid-thigh", tender_spot=True, heel_press_painful=True, days_since_onset=60, pain_now=1),
     "hamstring-strain"),
    ("proximal tendinopathy: distance runner, sit bone, worse sitting, eases when warm",
     dict(onset="gradual", location="sit-bone", sensation="ache", worse_sitting=True, eases_when_warm=True, hinge_test_painful=True,
          days_since_onset=60, pain_now=3),
     "proximal-tendinopathy"),
    ("proximal tendinopathy: sit bone, gradual, sore spot and resisted bend hurt",
     dict(onset="gradual", location="sit-bone", worse_sitting=True, tender_spot=True, resisted_bend_painful=True),
     "proximal-tendinopathy"),
    ("proximal tendinopathy: only where and what makes it worse",
     dict(location="sit-bone", worse_sitting=True),
     "proximal-tendinopathy"),
    ("proximal tendinopathy: 'soreness' that never faded, one spot at the sit bone",
     dict(onset="after-hard-session", location="sit-bone", worse_sitting=True, tender_spot=True, days_since_onset=10),
     "proximal-tendinopathy"),
    ("distal tendinopathy: gradual ache near the back of the knee, eases when warm",
     dict(onset="gradual", location="near-knee", sensation="ache", eases_when_warm=True, tender_spot=True, pain_now=2),
     "distal-tendinopathy"),
    ("distal tendinopathy: near the knee, heel press hurts",
     dict(onset="gradual", location="near-knee", heel_press_painful=True, days_since_onset=30),
     "distal-tendinopathy"),
    ("sciatic: burning from the buttock, straight-leg much worse, no sore spot, resisted bend painless",
     dict(onset="gradual", location="buttock-or-low-back", sensation="burning-tingling", slr_pain_more_than_bent_knee=True,
          tender_spot=False, resisted_bend_painful=False, pain_below_knee=False, pain_now=3),
     "sciatic-referral"),
    ("sciatic: whole back of the thigh, ache, nerve pattern on the raises",
     dict(location="whole-back-of-thigh", sensation="ache", slr_pain_more_than_bent_knee=True, tender_spot=False,
          resisted_bend_painful=False),
     "sciatic-referral"),
    ("sciatic: SI bump painless",
     dict(sensation="burning-tingling", slr_pain_more_than_bent_knee=True, si_pressure_painful=False, tender_spot=False),
     "sciatic-referral"),
    ("sciatic: a sudden twinge on an easy run, but it tingles and there is no sore spot",
     dict(onset="sudden-other", sensation="burning-tingling", slr_pain_more_than_bent_knee=True, tender_spot=False),
     "sciatic-referral"),
    ("SI joint: SI bump tender, starts in the buttock, no sore spot, bent-knee testing painless",
     dict(location="buttock-or-low-back", sensation="ache", si_pressure_painful=True, tender_spot=False, resisted_bend_painful=False,
          slr_pain_more_than_bent_knee=False),
     "si-joint-referral"),
    ("SI joint: straight-leg raise limited too, but the SI bump decides",
     dict(location="buttock-or-low-back", si_pressure_painful=True, slr_pain_more_than_bent_knee=True, tender_spot=False,
          resisted_bend_painful=False),
     "si-joint-referral"),
    ("SI joint: only the SI test and no thigh sore spot",
     dict(si_pressure_painful=True, tender_spot=False),
     "si-joint-referral"),
    ("DOMS: both legs ache the day after a new hill session",
     dict(onset="after-hard-session", location="whole-back-of-thigh", sensation="ache", both_legs=True, days_since_onset=1, pain_now=3),
     "doms"),
    ("DOMS: one leg tight two days after intervals",
     dict(onset="after-hard-session", sensation="tight", both_legs=False, days_since_onset=2, pain_now=2),
     "doms"),
    ("DOMS: both legs stiff, no story of an injury",
     dict(both_legs=True, sensation="tight", tender_spot=False, days_since_onset=2),
     "doms"),
    ("prevention: no pain and nothing to report",
     dict(pain_now=0),
     "prevention"),
    ("prevention: no pain, every answer no, walking normally",
     dict(pain_now=0, walks_normally=True, **{k: False for k in KEYS if QUESTION[k].kind == "yes-no" and k != "walks_normally"}),
     "prevention"),
]

# (name, answers, expected red-flag ids, expected referral urgency). Each red flag on its own first.
FLAG_VIGNETTES = [
    ("saddle numbness or bladder change", dict(saddle_numbness_or_bladder=True), {"saddle-numbness", "bladder-or-bowel-change"}, "emergency"),
    ("swollen calf or thigh", dict(calf_or_thigh_swelling=True), {"calf-or-thigh-swelling"}, "same-day"),
    ("numbness or weakness", dict(numbness_or_weakness=True), {"foot-drop-or-weakness"}, "same-day"),
    ("fever or night pain", dict(fever_or_night_pain=True), {"fever", "night-pain"}, "same-day"),
    ("cannot walk normally", dict(walks_normally=False), {"cannot-walk-normally"}, "same-day"),
    ("a pop", dict(pop_heard=True), {"pop-or-snap"}, "soon"),
    ("a bruise", dict(bruising=True), {"large-bruising"}, "soon"),
    ("pain below the knee", dict(pain_below_knee=True), {"tingling-below-knee"}, "soon"),
    ("painful hop", dict(hop_painful=True), {"hop-painful"}, "soon"),
    ("severe pain at rest, 6/10", dict(pain_now=6), {"severe-rest-pain"}, "soon"),
    ("pain 8/10 now", dict(pain_now=8), {"severe-rest-pain"}, "same-day"),
    ("sit-bone pain on sitting since a sudden injury",
     dict(onset="sudden-fast-running", location="sit-bone", worse_sitting=True), {"pain-sitting-after-injury"}, "soon"),
    # Red flags always win, even over a clear pattern; the most urgent sets the urgency.
    ("classic proximal tendinopathy with a swollen calf",
     dict(onset="gradual", location="sit-bone", worse_sitting=True, eases_when_warm=True, calf_or_thigh_swelling=True),
     {"calf-or-thigh-swelling"}, "same-day"),
    ("strain with a pop and saddle numbness", dict(onset="sudden-fast-running", pop_heard=True, saddle_numbness_or_bladder=True),
     {"pop-or-snap", "saddle-numbness", "bladder-or-bowel-change"}, "emergency"),
    ("strain with pop, bruise and a limp: suspected grade 3",
     dict(onset="sudden-fast-running", sensation="sharp", pop_heard=True, bruising=True, walks_normally=False, pain_now=5),
     {"pop-or-snap", "large-bruising", "cannot-walk-normally"}, "same-day"),
]


@pytest.mark.parametrize("name,answers,expected", CONDITION_VIGNETTES, ids=[v[0] for v in CONDITION_VIGNETTES])
def test_vignette_top_condition(name, answers, expected, catalogue):
    result = assess(Answers(**answers), catalogue)
    assert result.red_flags == () and result.referral is None, result.red_flags
    assert result.ranking[0].condition == expected, [(r.condition, r.score) for r in result.ranking]
    assert result.ranking[0].score > result.ranking[1].score, "a vignette must have one clear winner"
    assert f"--diagnosis {expected}" in result.suggested_command
    # The suggested command gives a real plan that starts at the stage shown.
    plan = build(make_request(result.request, today=TODAY, flags=True), catalogue)
    assert plan.referral is None and plan.weeks
    assert plan.phases[0].id == result.stage.phase


@pytest.mark.parametrize("name,answers,ids,urgency", FLAG_VIGNETTES, ids=[v[0] for v in FLAG_VIGNETTES])
def test_vignette_red_flags_refer(name, answers, ids, urgency, catalogue):
    result = assess(Answers(**answers), catalogue)
    assert {h.id for h in result.red_flags} == ids
    assert ids <= set(RED_FLAGS)
    assert result.referral is not None and result.referral.urgency == urgency
    assert [URGENCIES.index(h.urgency) for h in result.red_flags] == sorted(URGENCIES.index(h.urgency) for h in result.red_flags)
    for flag_id in ids:
        assert f"--red-flag {flag_id}" in result.suggested_command
    # The command makes the referral handout, with the same urgency, and no exercises.
    plan = build(make_request(result.request, today=TODAY, flags=True), catalogue)
    assert plan.referral is not None and plan.referral.urgency == urgency
    assert plan.weeks == ()


def test_enough_vignettes_and_every_flag_rule_alone():
    assert len(CONDITION_VIGNETTES) + len(FLAG_VIGNETTES) >= 20
    alone = {frozenset(ids) for _, answers, ids, _ in FLAG_VIGNETTES if len(answers) <= 3}
    for rule in FLAG_RULES:
        assert frozenset(rule.ids) in alone, f"no vignette for {rule.ids} on its own"
    assert {expected for _, _, expected in CONDITION_VIGNETTES} == set(DIAGNOSES)


@pytest.mark.parametrize("answers,grade", [
    (dict(onset="sudden-fast-running", sensation="sharp", walks_normally=True, pain_now=2), 1),
    (dict(onset="sudden-fast-running", sensation="sharp", walks_normally=True, pain_now=4), 2),
    (dict(onset="sudden-fast-running", sensation="sharp", tender_spot=True), 2),
    (dict(onset="sudden-fast-running", sensation="sharp", bruising=True, walks_normally=True, pain_now=2), 3),
    (dict(onset="sudden-fast-running", sensation="sharp", walks_normally=False), 3),
])
def test_strain_grade_from_signs(answers, grade, catalogue):
    result = assess(Answers(**answers), catalogue)
    assert result.ranking[0].condition == "hamstring-strain"
    assert result.grade == grade and f"--grade {grade}" in result.suggested_command
    assert (result.referral is not None) == (grade == 3)


def test_grade_only_for_a_strain(catalogue):
    result = assess(Answers(location="sit-bone", worse_sitting=True, onset="gradual"), catalogue)
    assert result.grade is None and "--grade" not in result.suggested_command


@pytest.mark.parametrize("days,pain,phase", [(0, 3, "protect"), (10, 2, "early-loading"), (25, 2, "early-loading"),
                                             (200, 1, "early-loading"), (25, 5, "protect")])
def test_stage_follows_the_planner(days, pain, phase, catalogue):
    """Triage never suggests a stage its answers cannot support: only the first 72 hours pass by the clock."""
    answers = Answers(onset="sudden-fast-running", sensation="sharp", tender_spot=True, days_since_onset=days, pain_now=pain)
    result = assess(answers, catalogue)
    assert result.grade == 2
    assert result.stage.phase == phase and "--stage" not in result.suggested_command
    assert f"--days-since-onset {days}" in result.suggested_command
    plan = build(make_request(result.request, today=dt.date(2026, 3, 2)), catalogue)
    assert plan.weeks[0].phase == phase


def test_prevention_never_ranks_for_a_painful_runner(catalogue):
    for answers in (dict(pain_now=1), dict(onset="gradual"), dict(pain_now=0, location="sit-bone")):
        assert "prevention" not in [r.condition for r in assess(Answers(**answers), catalogue).ranking]


def test_for_and_against_are_plain_words(catalogue):
    result = assess(Answers(onset="sudden-fast-running", tender_spot=True, slr_pain_more_than_bent_knee=True), catalogue)
    strain = next(r for r in result.ranking if r.condition == "hamstring-strain")
    assert "it started suddenly while running fast (+3)" in strain.for_
    assert "the straight-leg lift hurts much more than the bent-knee lift (-2)" in strain.against
    assert strain.score == 3 + 2 - 2


def test_every_rule_cites_known_sources(catalogue):
    for rule in RULES:
        assert rule.sources and set(rule.sources) <= set(catalogue.references), rule


def test_unclear_answers_say_so(catalogue):
    result = assess(Answers(), catalogue)
    assert result.note and "not point clearly" in result.note
    assert result.referral is None


ANSWER = st.fixed_dictionaries({}, optional={
    **{k: st.booleans() for k in KEYS if QUESTION[k].kind == "yes-no"},
    **{k: st.sampled_from([v for v, _ in QUESTION[k].choices]) for k in KEYS if QUESTION[k].kind == "choice"},
    "days_since_onset": st.integers(0, 400), "pain_now": st.integers(0, 10)})


@settings(max_examples=150, deadline=None)
@given(ANSWER)
def test_any_answers_give_a_valid_command_and_flags_always_refer(catalogue, answers):
    result = assess(Answers(**answers), catalogue)
    assert (result.referral is not None) >= bool(result.red_flags)
    scores = [r.score for r in result.ranking]
    assert scores == sorted(scores, reverse=True)
    if answers.get("pain_now", 0) > 0:
        assert "prevention" not in [r.condition for r in result.ranking]
    plan = build(make_request(result.request, today=TODAY, flags=True), catalogue)
    assert (plan.referral is not None) == (result.referral is not None)


# ------------------------------------------------------------------ questions

def test_every_answer_key_has_one_question_and_tests_are_explained():
    assert sorted(q.key for q in QUESTIONS) == sorted(KEYS)
    for key in ("shoe_test_painful", "hinge_test_painful", "heel_press_painful", "slr_pain_more_than_bent_knee",
                "si_pressure_painful", "resisted_bend_painful", "hop_painful"):
        assert QUESTION[key].home_test and len(QUESTION[key].how_to) > 40
    order = [q.key for q in QUESTIONS]
    assert max(order.index(k) for k in ("saddle_numbness_or_bladder", "calf_or_thigh_swelling", "numbness_or_weakness",
                                        "fever_or_night_pain")) < order.index("onset")


@pytest.mark.parametrize("key,text,value", [
    ("pop_heard", "y", True), ("pop_heard", "No", False), ("pop_heard", "?", None),
    ("pain_now", "7", 7), ("onset", "3", "gradual"), ("onset", "after-hard-session", "after-hard-session"),
])
def test_parse_answer(key, text, value):
    assert parse_answer(QUESTION[key], text) == value


@pytest.mark.parametrize("key,text,words", [
    ("pop_heard", "maybe", "y (yes)"), ("pain_now", "11", "0 to 10"), ("pain_now", "lots", "whole number"),
    ("onset", "9", "1 to 4"), ("onset", "gradul", "did you mean 'gradual'"),
])
def test_parse_answer_says_what_is_accepted(key, text, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_answer(QUESTION[key], text)


def test_emergency_stops_the_questions_and_red_flags_skip_home_tests():
    assert next_question({"saddle_numbness_or_bladder": True}, {"saddle_numbness_or_bladder"}) is None
    assert "emergency" in stop_note({"saddle_numbness_or_bladder": True}, {"saddle_numbness_or_bladder"})
    asked = {q.key for q in QUESTIONS if not q.home_test}
    assert next_question({"pop_heard": True}, asked) is None
    assert next_question({"pop_heard": False}, asked).key == "slr_pain_more_than_bent_knee"


def test_no_hopping_on_a_fresh_sudden_injury():
    asked = {q.key for q in QUESTIONS if q.key != "hop_painful"}
    assert next_question({"onset": "sudden-fast-running", "days_since_onset": 3}, asked) is None
    assert next_question({"onset": "sudden-fast-running", "days_since_onset": 30}, asked).key == "hop_painful"
    assert next_question({"onset": "gradual"}, asked).key == "hop_painful"


# ------------------------------------------------------------------ the command

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
    ("onset: slowly\n", ["answers.yaml:1:", "onset", "accepted: sudden-fast-running, sudden-other, gradual, after-hard-session"]),
    ("pop_heard: 1\n", ["answers.yaml:1:", "pop_heard", "true or false"]),
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
    path = write(tmp_path, "answers.yaml", "onset: gradual\nlocation: sit-bone\nworse_sitting: yes\npain_now: 2\n")
    result = runner.invoke(main, ["triage", "--answers", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"red_flags", "referral", "ranking", "stage", "suggested_command", "disclaimer"} <= set(data)
    assert data["red_flags"] == [] and data["referral"] is None
    assert set(data["ranking"][0]) >= {"condition", "score", "for", "against"}
    assert data["ranking"][0]["condition"] == "proximal-tendinopathy"
    assert [r["condition"] for r in data["ranking"]] == sorted((r["condition"] for r in data["ranking"]),
                                                                key=lambda c: -next(r["score"] for r in data["ranking"] if r["condition"] == c))
    assert data["stage"]["phase"] == "isometric-load"
    assert data["suggested_command"].startswith("hamrehab plan --diagnosis proximal-tendinopathy")
    assert "not a diagnosis" in data["disclaimer"]


def test_json_with_a_red_flag(runner, tmp_path):
    path = write(tmp_path, "answers.yaml", "calf_or_thigh_swelling: true\n")
    data = json.loads(runner.invoke(main, ["triage", "--answers", str(path), "--format", "json"]).stdout)
    assert data["red_flags"][0]["id"] == "calf-or-thigh-swelling" and data["red_flags"][0]["urgency"] == "same-day"
    assert data["referral"]["urgency"] == "same-day"
    assert "--red-flag calf-or-thigh-swelling" in data["suggested_command"]


def test_text_output_says_not_a_diagnosis_and_red_flags_first(runner, tmp_path):
    path = write(tmp_path, "answers.yaml", "onset: gradual\nlocation: sit-bone\nworse_sitting: yes\npop_heard: yes\n")
    out = runner.invoke(main, ["triage", "--answers", str(path)]).output
    assert out.startswith("This is not a diagnosis.")
    assert out.index("SEE A PROFESSIONAL FIRST (soon)") < out.index("What your answers point to")
    assert "See a physiotherapist or doctor if:" in out


def test_plan_writes_the_plan(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "answers.yaml", "onset: after-hard-session\nboth_legs: yes\nsensation: ache\npain_now: 2\n")
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
    assert (tmp_path / "referral.pdf").read_bytes().startswith(b"%PDF")
    assert "referral handout" in result.stderr and "see a professional" in result.stderr


def test_interactive_through_click(runner):
    # Every question in order; no red flag; the strain vignette.
    replies = {"saddle_numbness_or_bladder": "n", "calf_or_thigh_swelling": "n", "fever_or_night_pain": "n",
               "numbness_or_weakness": "n", "pain_now": "3", "onset": "1", "days_since_onset": "20", "location": "2",
               "sensation": "sharp", "pop_heard": "n", "bruising": "n", "walks_normally": "y", "pain_below_knee": "n",
               "both_legs": "n", "worse_sitting": "n", "eases_when_warm": "?", "tender_spot": "y",
               "slr_pain_more_than_bent_knee": "n", "resisted_bend_painful": "y", "si_pressure_painful": "n",
               "shoe_test_painful": "y", "hinge_test_painful": "y", "heel_press_painful": "y", "hop_painful": "n"}
    text = "".join(replies[q.key] + "\n" for q in QUESTIONS)
    result = runner.invoke(main, ["triage", "--format", "json"], input=text)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ranking"][0]["condition"] == "hamstring-strain" and data["referral"] is None
    assert data["answers"]["onset"] == "sudden-fast-running" and "eases_when_warm" not in data["answers"]
    assert data["suggested_command"].startswith("hamrehab plan --diagnosis hamstring-strain --grade 1 --days-since-onset")
    assert "--stage" not in data["suggested_command"]
    assert "How to test:" in result.stderr


def test_interactive_re_asks_after_a_bad_answer(runner):
    result = runner.invoke(main, ["triage"], input="perhaps\ny\n")
    assert result.exit_code == 0, result.output
    assert "type y (yes), n (no) or ? (don't know)" in result.stderr
    assert "emergency" in result.stdout and "--red-flag saddle-numbness" in result.stdout
