"""The plan's JSON is written by orjson (fast) but must stay, byte for byte, what `json.dumps` wrote:
other tools read this format, and a batch's manifest records each file's SHA-256."""
from __future__ import annotations

import datetime as dt
import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamrehab.exceptions import InputError
from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.render.json import plan_dict, render_json
from hamrehab.vocab import DIAGNOSES

from .conftest import examples, shipped_catalogue
from .test_planner_rules import START, _fields, requests

ODD_TEXT = ["Zoë Ñúñez-O'Brien", "محمد", "שרה", "王小明", "\x1b[2J\x7f", "\u2028\u2029", "\"quoted\" \\ back\tslash\n", "🏃‍♀️", "\ufeff"]


def _default(value: object) -> str:
    assert isinstance(value, (dt.date, dt.datetime)), type(value)
    return value.isoformat()


def reference(plan) -> bytes:
    """The encoder of version 1: Python's json module, indented by 2, keys sorted, UTF-8, a final newline."""
    return (json.dumps(plan_dict(plan), indent=2, ensure_ascii=False, sort_keys=True, default=_default) + "\n").encode("utf-8")


def _build(request: PlanRequest):
    try:
        return build(request, shipped_catalogue())
    except InputError:
        return None


def test_the_same_bytes_as_json_dumps_for_every_diagnosis_and_odd_text():
    for i, diagnosis in enumerate(DIAGNOSES):
        text = ODD_TEXT[i % len(ODD_TEXT)]
        plan = build(PlanRequest(diagnosis=diagnosis, start=dt.date(2026, 3, 2), name=text, notes=text, patient_id="P-1"),
                     shipped_catalogue())
        assert render_json(plan) == reference(plan), diagnosis


def test_the_same_bytes_for_a_referral_and_a_follow_up_block():
    referral = build(PlanRequest(diagnosis="hamstring-strain", start=START, red_flags=("saddle-numbness",)), shipped_catalogue())
    assert referral.referral is not None and render_json(referral) == reference(referral)
    rng = random.Random(7)
    for _ in range(25):
        plan = _build(PlanRequest(start=START, **_fields(lambda _name, choices: rng.choice(choices))))
        if plan is not None:
            assert render_json(plan) == reference(plan)


@settings(max_examples=examples(long=60, short=20), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests(), st.text(max_size=40))
def test_the_same_bytes_over_the_request_space(request, name):
    plan = _build(request.model_copy(update={"name": name}))
    if plan is not None:
        assert render_json(plan) == reference(plan)
