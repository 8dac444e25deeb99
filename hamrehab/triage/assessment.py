"""From answers to a result: red flags (they always win), the ranked causes, the grade, the stage and
the exact `hamrehab plan` command, with the referral `hamrehab plan` itself would give."""
from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import PlanRequest
from ..request import flag
from ..safety import Referral, screen
from ..timeline import DEFAULT_GRADE, start_index
from .answers import Answers
from .flags import FlagHit, by_urgency, red_flags
from .questions import context
from .scoring import Ranked, SetAside, rank, suggest_grade, unclear

DISCLAIMER = ("This is not a diagnosis. It sorts your answers to help you pick a plan; only a physiotherapist or doctor "
              "who examines you can say what is wrong. Pain from the hip joint or a bone can feel the same and needs a clinician.")

# PlanRequest needs a start date; neither the safety screen nor the stage logic reads it.
_ANY_DATE = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Stage:
    diagnosis: str
    phase: str
    name: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"diagnosis": self.diagnosis, "phase": self.phase, "name": self.name, "reason": self.reason}


@dataclass(frozen=True)
class Watch:
    """A sign to see a professional for, from now on (rules/triage.yaml `watch_for`)."""

    id: str
    urgency: str
    plain: str


@dataclass(frozen=True)
class Assessment:
    answers: Answers
    red_flags: tuple[FlagHit, ...]
    referral: Referral | None
    ranking: tuple[Ranked, ...]
    stage: Stage | None
    grade: int | None
    grade_reason: str
    request: dict[str, Any]  # the `hamrehab plan` fields
    output: str
    note: str = ""
    set_aside: tuple[SetAside, ...] = ()
    watch_for: tuple[Watch, ...] = ()
    urgency_labels: Mapping[str, str] | None = None
    disclaimer: str = DISCLAIMER

    @property
    def suggested_command(self) -> str:
        return plan_command(self.request, self.output)

    @property
    def emergency(self) -> bool:
        """An emergency: the questions stopped at once, so a result shows the referral and the next step alone
        (nothing else may stand between the runner and getting help; the JSON still holds everything)."""
        return self.referral is not None and self.referral.urgency == "emergency"

    @property
    def see_a_professional_if(self) -> tuple[str, ...]:
        return tuple(w.plain for w in self.watch_for)

    def as_dict(self) -> dict[str, Any]:
        ref = self.referral
        return {
            "disclaimer": self.disclaimer,
            "red_flags": [h.as_dict() for h in self.red_flags],
            "referral": None if ref is None else {"urgency": ref.urgency, "action": ref.action, "reasons": list(ref.reasons)},
            "ranking": [r.as_dict() for r in self.ranking],
            "set_aside": [s.as_dict() for s in self.set_aside],
            "stage": self.stage.as_dict() if self.stage else None,
            "grade": self.grade,
            "grade_reason": self.grade_reason or None,
            "note": self.note or None,
            "suggested_command": self.suggested_command,
            "see_a_professional_if": [{"id": w.id, "urgency": w.urgency, "plain": w.plain} for w in self.watch_for],
            "answers": self.answers.model_dump(exclude_none=True),
        }


def plan_command(request: Mapping[str, Any], output: str) -> str:
    """The `hamrehab plan` command line for these request fields."""
    args = ["hamrehab", "plan"]
    for name, value in request.items():
        for item in (value if isinstance(value, (tuple, list)) else (value,)):
            args += [flag(name), str(item)]
    return shlex.join(args + ["-o", output])


def assess(answers: Mapping[str, Any], catalogue: Any = None, output: str | None = None) -> Assessment:
    """Red flags (they always win), the ranked conditions, the stage, the grade and the plan command.

    `catalogue` gives the protocols, the triage rules, the red flags and the pain thresholds (the
    built-in catalogue when None): the same ones `hamrehab plan` reads.
    """
    if catalogue is None:
        from ..catalogue import load_catalogue

        catalogue = load_catalogue()
    ctx = context(catalogue)
    answers = answers if isinstance(answers, Answers) else Answers(answers, rules=ctx.rules)
    names = {pid: p.name for pid, p in catalogue.protocols.items()}
    ranking = rank(answers, ctx.rules, ctx.flags, ctx.pain, names)
    flags = by_urgency(red_flags(answers, ctx.rules, ctx.flags, ctx.pain) + ranking.flags)
    top = ranking.ranked[0]
    grade, grade_reason = (suggest_grade(answers, ctx.rules.grading, ctx.pain) if top.condition == ctx.rules.grading.condition
                           else (None, ""))
    flag_ids = tuple(h.id for h in flags)
    probe = PlanRequest(diagnosis=top.condition, grade=grade, days_since_onset=answers.get("days_since_onset"),
                        pain=answers.get("pain_now", 0), red_flags=flag_ids, start=_ANY_DATE)
    referral = screen(probe, ctx.pain, ctx.flags)  # the very referral `hamrehab plan` would give with these flags and pain

    protocol = catalogue.protocol(top.condition)
    # The same start `hamrehab plan` derives from these answers: never further than they support.
    index, why = start_index(probe, protocol, grade if grade is not None or not protocol.grades else DEFAULT_GRADE, ctx.pain)
    phase = protocol.phases[index]
    if not why:
        why = ("the plan starts at the first stage; each later stage begins only when the one before is passed"
               if protocol.stage_by == "symptoms" or "days_since_onset" in answers
               else "the day it started is unknown, so the plan starts at the first stage")
    stage = Stage(top.condition, phase.id, phase.name, why.rstrip("."))
    watch = tuple(Watch(f.id, f.urgency, f.plain) for f in (ctx.flags.by_id[i] for i in ctx.rules.watch_for))
    return Assessment(answers=answers, red_flags=flags, referral=referral, ranking=ranking.ranked, stage=stage, grade=grade,
                      grade_reason=grade_reason, request=_request(answers, top.condition, grade, referral, flag_ids),
                      output=output or ("referral.pdf" if referral else "plan.pdf"),
                      note=ctx.rules.unclear.note if unclear(ranking.ranked, ctx.rules) else "",
                      set_aside=ranking.set_aside, watch_for=watch,
                      urgency_labels={u: w.label for u, w in ctx.flags.urgencies.items()})


def _request(answers: Answers, diagnosis: str, grade: int | None, referral: Referral | None, flag_ids: tuple[str, ...]) -> dict[str, Any]:
    """The `hamrehab plan` fields these answers give."""
    request: dict[str, Any] = {"diagnosis": diagnosis}
    if grade is not None:
        request["grade"] = grade
    if referral is None and "days_since_onset" in answers:
        request["days_since_onset"] = answers["days_since_onset"]
    side = answers.get("side") or ("both" if answers.get("both_legs") is True else None)
    if side:
        request["side"] = side
    if answers.get("name"):
        request["name"] = answers["name"]
    if "pain_now" in answers:
        request["pain"] = answers["pain_now"]
    if flag_ids:
        request["red_flags"] = flag_ids
    return request
