import datetime as dt

import pytest

from hamrehab.exceptions import InputError
from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.safety import RED_FLAGS, URGENCIES, URGENCY_WORDS, screen

START = dt.date(2026, 3, 2)


def req(**kw):
    base = {"diagnosis": "hamstring-strain", "grade": 1, "start": START}
    base.update(kw)
    return PlanRequest(**base)


# Every flag id the screen knew before the flags became data (rules/red-flags.yaml), with its urgency:
# `--red-flag ID` must keep working exactly as it did.
EARLIER_FLAGS = {
    "saddle-numbness": "emergency", "bladder-or-bowel-change": "emergency", "chest-pain-or-breathless": "emergency",
    "calf-or-thigh-swelling": "same-day", "foot-drop-or-weakness": "same-day", "palpable-gap": "same-day",
    "cannot-walk-normally": "same-day", "fever": "same-day", "pop-or-snap": "soon", "large-bruising": "soon",
    "pain-sitting-after-injury": "soon", "tingling-below-knee": "soon", "pain-down-leg-when-running": "soon",
    "severe-rest-pain": "soon", "night-pain": "soon", "weight-loss": "soon", "no-improvement-2-weeks": "soon",
    "pain-spreading": "soon", "hop-painful": "soon", "symptoms-never-change": "soon",
}


@pytest.mark.parametrize("flag", sorted(RED_FLAGS))
def test_each_red_flag_alone_gives_a_referral_and_no_prescriptions(flag, catalogue):
    plan = build(req(red_flags=(flag,)), catalogue)
    assert plan.referral is not None
    assert plan.referral.urgency == RED_FLAGS[flag].urgency
    assert plan.referral.action == URGENCY_WORDS[RED_FLAGS[flag].urgency]
    assert plan.referral.reasons == (f"{RED_FLAGS[flag].plain}: this can mean {RED_FLAGS[flag].why}.",)
    assert set(RED_FLAGS[flag].sources) <= set(plan.referral.sources)
    # no prescriptions: no weeks, no phases and no exercise cards
    assert plan.weeks == () and plan.phases == () and plan.exercises == ()


@pytest.mark.parametrize("flag,urgency", sorted(EARLIER_FLAGS.items()))
def test_every_earlier_flag_id_keeps_its_urgency(flag, urgency, catalogue):
    assert RED_FLAGS[flag].urgency == urgency
    assert build(req(red_flags=(flag,)), catalogue).referral.urgency == urgency


def test_red_flags_are_the_data_file(catalogue):
    from pathlib import Path

    import yaml

    data = yaml.safe_load((Path(__file__).resolve().parent.parent / "rules" / "red-flags.yaml").read_text(encoding="utf-8"))
    assert list(RED_FLAGS) == [f["id"] for f in data["flags"]]
    assert {k: (v.urgency, v.plain, v.why, tuple(v.sources)) for k, v in RED_FLAGS.items()} == {
        f["id"]: (f["urgency"], f["plain"], f["why"], tuple(f["sources"])) for f in data["flags"]}
    assert set(catalogue.red_flag) == set(RED_FLAGS)


def test_most_urgent_flag_wins(catalogue):
    ref = screen(req(red_flags=("night-pain", "saddle-numbness", "fever")), catalogue.rules.pain)
    assert ref.urgency == "emergency" and len(ref.reasons) == 3


@pytest.mark.parametrize("pain,urgency", [(5, None), (6, "soon"), (7, "soon"), (8, "same-day"), (10, "same-day")])
def test_pain_now_at_the_rules_thresholds_refers(pain, urgency, catalogue):
    """rules/planning.yaml: refer_at 6 (S2: severe pain at rest), the same day from refer_same_day_at 8."""
    assert catalogue.rules.pain.refer_at == 6 and catalogue.rules.pain.refer_same_day_at == 8
    ref = screen(req(pain=pain), catalogue.rules.pain)
    assert (ref.urgency if ref else None) == urgency


def test_thresholds_come_from_the_rules_not_the_code(catalogue):
    stricter = catalogue.rules.pain.model_copy(update={"refer_at": 5, "first_phase_at": 4})
    assert screen(req(pain=5), stricter) is not None
    assert screen(req(pain=5), catalogue.rules.pain) is None


def test_grade_3_refers_unless_cleared(catalogue):
    assert build(req(grade=3), catalogue).referral is not None
    cleared = build(req(grade=3, clinician_cleared=True), catalogue)
    assert cleared.referral is None and cleared.weeks


def test_unknown_red_flag_is_bad_input_with_suggestion(catalogue):
    with pytest.raises(InputError, match="did you mean 'fever'"):
        screen(req(red_flags=("fevr",)), catalogue.rules.pain)


def test_urgency_words_cover_every_level(catalogue):
    assert {f.urgency for f in RED_FLAGS.values()} <= set(URGENCIES)
    assert all(f.sources and set(f.sources) <= set(catalogue.references) for f in RED_FLAGS.values())
    for urgency in URGENCIES:
        assert screen(req(red_flags=(next(k for k, f in RED_FLAGS.items() if f.urgency == urgency),)),
                      catalogue.rules.pain).action == URGENCY_WORDS[urgency]
    assert URGENCY_WORDS["emergency"].startswith("Call emergency services")
