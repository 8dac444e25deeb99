import datetime as dt

import pytest

from hamrehab.exceptions import InputError
from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.safety import RED_FLAGS, URGENCIES, screen

START = dt.date(2026, 3, 2)


def req(**kw):
    base = dict(diagnosis="hamstring-strain", grade=1, start=START)
    base.update(kw)
    return PlanRequest(**base)


@pytest.mark.parametrize("flag", sorted(RED_FLAGS))
def test_each_red_flag_alone_gives_a_referral_and_no_prescriptions(flag, catalogue):
    plan = build(req(red_flags=(flag,)), catalogue)
    assert plan.referral is not None
    assert plan.referral.urgency == RED_FLAGS[flag].urgency
    assert plan.weeks == () and plan.phases == ()
    assert all(not w.prescriptions for w in plan.weeks)


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


def test_urgency_words_cover_every_level():
    assert {f.urgency for f in RED_FLAGS.values()} <= set(URGENCIES)
    assert all(f.sources for f in RED_FLAGS.values())
