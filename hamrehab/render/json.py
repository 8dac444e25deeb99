"""A Plan as JSON: the stable keys other tools rely on (design.md), sorted and indented."""
from __future__ import annotations

from typing import Any

import orjson

from ..arguments import require
from ..plan import DOSE_FIELDS, Dose, Plan, Prescription, RunSession, Week


def _dose(d: Dose) -> dict[str, Any]:
    """Every field of the shared dose type, under its own name (a list for reps per set)."""
    return {name: list(value) if isinstance(value, tuple) else value for name in DOSE_FIELDS for value in (getattr(d, name),)}


def _prescription(p: Prescription) -> dict[str, Any]:
    return {
        **_dose(p), "exercise": p.exercise, "name": p.name, "category": p.category, "per_side": p.per_side,
        "sides": p.sides, "days": list(p.days), "notes": list(p.notes), "extra_set_side": p.extra_set_side,
        "session": p.session, "clinician": p.clinician,
    }


def _run(r: RunSession) -> dict[str, Any]:
    return {"day": r.day, "kind": r.kind, "jog_minutes": r.jog_minutes, "walk_minutes": r.walk_minutes, "minutes": r.minutes,
            "extras": list(r.extras), "pattern": r.pattern, "effort": r.effort, "exercise": r.exercise}


def _week(w: Week) -> dict[str, Any]:
    return {
        "number": w.number, "phase": w.phase, "start": w.start.isoformat(), "checkpoint": w.checkpoint, "hold": w.hold,
        "prescriptions": [_prescription(p) for p in w.prescriptions], "running": [_run(r) for r in w.running],
        "running_minutes": w.running_minutes, "jog_minutes": w.jog_minutes, "notes": list(w.notes),
        "days": [list(d.ids) for d in w.days],
        "running_state": {"jog_week": w.running_state.jog_week, "longest": w.running_state.longest, "kind": w.running_state.kind,
                          "rung": w.running_state.rung, "extras": list(w.running_state.extras),
                          "last_change": w.running_state.last_change},
        "sessions": [{s: list(ids) for s, ids in d.sessions} for d in w.days],
    }


def plan_dict(plan: Plan) -> dict[str, Any]:
    """The plan as plain JSON-ready data."""
    ref = plan.referral
    return {
        "schema_version": plan.schema_version,
        "request": plan.request.model_dump(mode="json"),
        "diagnosis": {"id": plan.diagnosis, "name": plan.diagnosis_name, "plain_name": plan.plain_name,
                      "grade": plan.grade, "borrowed_from": plan.borrowed_from},
        "referral": None if ref is None else {"urgency": ref.urgency, "reasons": list(ref.reasons), "action": ref.action,
                                              "tell_clinician": list(ref.tell_clinician)},
        "phases": [{
            "id": ph.id, "name": ph.name, "tag": ph.tag, "weeks": list(ph.weeks), "goals": list(ph.goals), "avoid": list(ph.avoid),
            "pain_rules": ph.pain_rules.model_dump(mode="json"), "running": ph.running.model_dump(mode="json", exclude={"effort_without"}),
            "exit_criteria": [c.model_dump(mode="json", exclude={"without", "walking"}) for c in ph.exit_criteria],  # words settled
        } for ph in plan.phases],
        "weeks": [_week(w) for w in plan.weeks],
        "cautions": list(plan.cautions) + list(plan.notes),
        "missing_core": list(plan.missing_core),
        "warning_signs": [{"urgency": u, "plain": t} for u, t in plan.warning_signs],
        "changes": list(plan.changes),
        "clinician_notices": list(plan.clinician_notices),
        "block": plan.block or None,
        "evidence_notes": list(plan.evidence_notes),
        "pain": plan.pain.model_dump(mode="json", exclude={"sources"}),
        "avoid": list(plan.avoid),
        "sources": [{"key": k, "citation": c} for k, c in plan.sources],
    }


_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE


def render_json(plan: Plan) -> bytes:
    """UTF-8 JSON bytes; identical for identical plans.

    The bytes are those of `json.dumps(..., indent=2, ensure_ascii=False, sort_keys=True)` plus a newline
    (the format other tools read since version 1), written by orjson: Python's own encoder runs in pure
    Python when it indents, ~7 ms a plan, most of a batch's JSON time; orjson takes ~0.2 ms.
    tests/test_render_json.py holds the two to the same bytes over the request space.
    """
    require(plan, Plan, "render_json: plan", "a Plan from build_plan()")
    return orjson.dumps(plan_dict(plan), option=_OPTIONS)  # dates as YYYY-MM-DD, as date.isoformat() writes them
