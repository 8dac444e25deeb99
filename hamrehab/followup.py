"""Reading the last plan (its JSON is the record) into a follow-up: the next block for the same patient.

The previous JSON carries everything needed: the request (and the clinician's changes), each
week's phase, doses and days, and the running state week by week. Files of another schema
version, or that are not hamrehab plans, are refused with a message saying what to do instead.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .exceptions import InputError
from .inputfile import MAX_JSON_PLAN, display_path, read_text
from .model import FollowUp
from .plan import SCHEMA_VERSION
from .validation import problems_from

# What a follow-up keeps from the last request unless the clinician says otherwise today.
CARRIED = ("diagnosis", "grade", "side", "name", "patient_id", "equipment", "days_per_week", "weak_glute_side",
           "runner_km_per_week", "clinician_cleared", "without", "add", "swap", "dose")
CHECKPOINTS = ("passed", "not-yet")


def read_previous(path: Path) -> tuple[str, dict[str, Any]]:
    """(display name, the previous plan's data), or InputError naming the file and what is wrong."""
    name = display_path(Path(path))
    text, problem = read_text(Path(path), name, MAX_JSON_PLAN)
    if text is None:
        raise InputError(f"--follow-up: {problem}", "follow_up")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        line = getattr(exc, "lineno", 1)
        raise InputError(f"--follow-up: {name}:{line}: not a JSON plan ({getattr(exc, 'msg', 'nested too deeply')}); "
                         "give the .json file `hamrehab plan --format json` wrote last time", "follow_up") from None
    if not isinstance(data, dict) or "schema_version" not in data or "weeks" not in data:
        raise InputError(f"--follow-up: {name}: not a hamrehab plan (no schema_version or weeks); give the .json file "
                         "`hamrehab plan --format json` wrote last time", "follow_up")
    version = data["schema_version"]
    if version != SCHEMA_VERSION:
        older = isinstance(version, int) and version < SCHEMA_VERSION
        raise InputError(f"--follow-up: {name}: a plan of schema_version {version!r}, "
                         + ("written by an older hamrehab that did not record doses and running for a follow-up; make a new "
                            "plan instead, starting at the stage the runner has reached (--stage)" if older else
                            f"which this hamrehab does not know (it reads version {SCHEMA_VERSION}); update hamrehab"), "follow_up")
    if data.get("referral") is not None or not data["weeks"]:
        raise InputError(f"--follow-up: {name}: that was a referral handout, not a plan; once a professional has seen the "
                         "runner, make a new plan", "follow_up")
    return name, data


def _week(weeks: list[Any], reached: int | None, name: str, on: dt.date | None) -> tuple[int, dict[str, Any]]:
    """The week reached and its data. Not given, it is the week of the last plan that holds `on` (the new block's
    first day; its last week once the plan is over): a runner seen back early is not taken to have finished it."""
    n = len(weeks)
    number = n if reached is None else reached
    if reached is None and on is not None and isinstance(weeks[0], dict):
        try:
            first = dt.date.fromisoformat(str(weeks[0]["start"]))
        except (KeyError, ValueError):
            pass
        else:
            number = min(n, max(1, (on - first).days // 7 + 1))
    if not isinstance(number, int) or not 1 <= number <= n:
        raise InputError(f"--week-reached: {number!r} is not a week of {name}; accepted: 1 to {n}", "week_reached")
    week = weeks[number - 1]
    if not isinstance(week, dict):
        raise InputError(f"--follow-up: {name}: week {number} is not a week of a plan", "follow_up")
    return number, week


def follow_up_from(path: Path, checkpoint: Any, week_reached: Any, on: dt.date | None = None) -> tuple[FollowUp, dict[str, Any]]:
    """The follow-up, and the request fields carried over from the last plan; `on` is the new block's start."""
    name, data = read_previous(path)
    if checkpoint not in CHECKPOINTS:
        shown = "missing" if checkpoint is None else f"{checkpoint!r}"
        raise InputError(f"--checkpoint: {shown}; accepted: passed (every box of the phase's checkpoint ticked) or not-yet",
                         "checkpoint")
    weeks = data["weeks"]
    number, week = _week(weeks, week_reached, name, on)
    request = data.get("request")
    previous: dict[str, Any] = request if isinstance(request, dict) else {}
    try:
        exposure: dict[str, int] = {}
        for w in weeks[:number]:
            for p in w["prescriptions"]:
                exposure[p["exercise"]] = exposure.get(p["exercise"], 0) + 1
        running = dict(week.get("running_state") or {})
        running["fast_days"] = sorted({r["day"] for r in week.get("running", []) if set(r.get("extras", ())) & {"strides", "speed"}})
        doses = [{k: p[k] for k in ("exercise", "sets", "reps", "reps_max", "hold_s", "duration_s", "times_per_day", "days")
                  if p.get(k) is not None} for p in week["prescriptions"]]
        for d in doses:
            if isinstance(d.get("reps"), list):
                d["reps"] = tuple(d["reps"])
        strength = sorted({d for p in week["prescriptions"] if p.get("session") == "strength" and len(p.get("days", ())) < 7
                           for d in p["days"]})
        follow = FollowUp.model_validate({
            "previous_start": dt.date.fromisoformat(str(previous.get("start") or weeks[0]["start"])),
            "previous_weeks": len(weeks), "week_reached": number, "phase": week["phase"], "checkpoint": checkpoint,
            "doses": doses, "running": running, "exposure": sorted(exposure.items()), "strength_days": strength,
            "phase_weeks": sum(1 for w in weeks[:number] if w["phase"] == week["phase"]), "previous_block": data.get("block") or "",
        })
    except ValidationError as exc:
        problem = problems_from(exc, None, name, FollowUp)[0]
        raise InputError(f"--follow-up: {name}: week {number}: {problem.field}: {problem.message}", "follow_up") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"--follow-up: {name}: week {number} lacks what a follow-up needs ({type(exc).__name__}: "
                         f"{str(exc)[:80]}); give the .json file `hamrehab plan --format json` wrote", "follow_up") from None
    carried = {k: previous[k] for k in CARRIED if previous.get(k) not in (None, [], "")}
    if isinstance(previous.get("days_since_onset"), int):
        carried["days_since_onset"] = previous["days_since_onset"] + 7 * number
    if isinstance(previous.get("notes"), str) and previous["notes"]:
        carried["notes"] = previous["notes"]
    return follow, carried
