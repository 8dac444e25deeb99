"""Triage against runners as a clinician meets them: tests/data/triage_vignettes.yaml, written from the
clinical facts (not from the scoring rules), every one right, whether the answers come from a file or
are typed through the questionnaire."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from hamrehab.planner import build
from hamrehab.request import make_request
from hamrehab.triage import Answers, assess, next_question
from hamrehab.vocab import DIAGNOSES

DATA = Path(__file__).resolve().parent / "data" / "triage_vignettes.yaml"
VIGNETTES = yaml.safe_load(DATA.read_text(encoding="utf-8"))["vignettes"]  # test data: merge keys allowed
TODAY = dt.date(2026, 3, 2)


def _outcome(result) -> tuple[str, str | None]:
    if result.referral is not None:
        return "referral", result.referral.urgency
    return result.ranking[0].condition, None


def _expected(vignette) -> tuple[str, str | None]:
    return vignette["expect"], vignette.get("urgency")


def test_at_least_40_vignettes_covering_every_condition_and_urgency():
    assert len(VIGNETTES) >= 40
    assert {v["expect"] for v in VIGNETTES} == set(DIAGNOSES) | {"referral"}
    assert {v.get("urgency") for v in VIGNETTES if v["expect"] == "referral"} == {"emergency", "same-day", "soon"}
    assert all(v.get("facts") for v in VIGNETTES), "each vignette names the clinical fact it is written from"
    assert len({v["name"] for v in VIGNETTES}) == len(VIGNETTES)


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["name"] for v in VIGNETTES])
def test_vignette(vignette, catalogue):
    result = assess(Answers(vignette["answers"]), catalogue)
    assert _outcome(result) == _expected(vignette), (
        [(r.condition, r.score) for r in result.ranking], [h.id for h in result.red_flags])
    if vignette["expect"] != "referral":
        assert not result.note, "a vignette written as a clear case must not come out unclear"
    # The suggested command gives exactly that: the plan, or the referral handout at that urgency.
    plan = build(make_request(result.request, today=TODAY, flags=True), catalogue)
    if vignette["expect"] == "referral":
        assert plan.referral is not None and plan.referral.urgency == vignette["urgency"] and plan.weeks == ()
    else:
        assert plan.referral is None and plan.weeks and plan.diagnosis == vignette["expect"]


@pytest.mark.parametrize("vignette", VIGNETTES, ids=[v["name"] for v in VIGNETTES])
def test_vignette_typed_through_the_questionnaire(vignette, catalogue):
    """The same answers, given only when asked: the same outcome, and no answer the case needs goes unasked."""
    full = Answers(vignette["answers"])
    given: dict = {}
    asked: list[str] = []
    while (question := next_question(given, asked, catalogue)) is not None:
        asked.append(question.key)
        if question.key in full:
            given[question.key] = full[question.key]
    assert _outcome(assess(Answers(given), catalogue)) == _expected(vignette)
    if vignette["expect"] != "referral":
        assert {k for k in full if k not in asked} == set(vignette.get("not_asked", ()))
