"""The preview's changes for one patient: drop, swap and re-dose, as the request's `without`, `swap` and `dose`.

Nothing here decides what is allowed: every offered swap is one that `hamrehab.changes.check_changes`
accepts for this request and these phases, and every dose box is bounded by the exercise's own
`dosage.limits` (the library refuses anything else, in its own words, when the form is posted).
`swap_options` belongs in the library one day (a `changes.safe_swaps`); it lives here for now.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..catalogue import Catalogue
from ..changes import RUNNING_ROLES, check_changes
from ..exceptions import InputError
from ..model import Exercise, Phase, PlanRequest
from ..plan import Plan, Prescription

MAX_OPTIONS = 8  # swaps offered per exercise: the nearest alternatives, not the whole catalogue
MAX_CHANGES = 40  # as the request model allows


@dataclass
class Tailoring:
    """The clinician's changes so far, kept in hidden fields of the form (nothing is kept on the server)."""

    without: list[str] = field(default_factory=list)
    swap: list[str] = field(default_factory=list)
    dose: list[str] = field(default_factory=list)

    @classmethod
    def from_form(cls, getlist: Any) -> Tailoring:
        def clean(name: str) -> list[str]:
            return list(dict.fromkeys(v.strip() for v in getlist(name) if isinstance(v, str) and v.strip()))[:MAX_CHANGES]
        return cls(clean("without"), clean("swap"), clean("dose"))

    def fields(self) -> dict[str, tuple[str, ...]]:
        """The request fields (only those with changes)."""
        return {k: tuple(v) for k, v in (("without", self.without), ("swap", self.swap), ("dose", self.dose)) if v}

    def copy(self) -> Tailoring:
        return Tailoring(list(self.without), list(self.swap), list(self.dose))

    def entries(self) -> list[tuple[str, str]]:
        """(kind, value) of every change, for the list of changes with an Undo button each."""
        return [("without", v) for v in self.without] + [("swap", v) for v in self.swap] + [("dose", v) for v in self.dose]


@dataclass(frozen=True)
class DoseBox:
    """One number box of a dose: bounded by the exercise's safe limits."""

    name: str
    label: str
    value: float | int
    low: float | int
    high: float | int
    step: str = "1"


def first_prescriptions(plan: Plan) -> dict[str, Prescription]:
    first: dict[str, Prescription] = {}
    for week in plan.weeks:
        for p in week.prescriptions:
            first.setdefault(p.exercise, p)
    return first


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def dose_boxes(ex: Exercise, p: Prescription | None) -> list[DoseBox]:
    """The number boxes of an exercise's starting dose, each within its limits; empty if it has none to change."""
    lim, d = ex.dosage.limits, ex.dosage
    sets = p.sets if p else d.sets
    reps_now = p.reps if p else d.reps
    reps = reps_now[0] if isinstance(reps_now, tuple) else reps_now
    boxes = [DoseBox("sets", "Sets", int(_clamp(sets, *lim.sets)), lim.sets[0], lim.sets[1])]
    if d.kind in ("reps", "hold", "intervals") and lim.reps is not None:
        boxes.append(DoseBox("reps", "Bouts" if d.kind == "intervals" else "Reps", int(_clamp(reps or lim.reps[0], *lim.reps)),
                             lim.reps[0], lim.reps[1]))
    if d.kind == "hold" and lim.hold_s is not None:
        hold = (p.hold_s if p else d.hold_s) or lim.hold_s[0]
        boxes.append(DoseBox("hold", "Hold (seconds)", round(_clamp(hold, *lim.hold_s), 1), lim.hold_s[0], lim.hold_s[1], "0.5"))
    if d.kind in ("duration", "intervals") and lim.duration_s is not None:
        secs = (p.duration_s if p else d.duration_s) or lim.duration_s[0]
        boxes.append(DoseBox("time", "Time (seconds)", int(_clamp(secs, *lim.duration_s)), lim.duration_s[0], lim.duration_s[1]))
    return boxes if len(boxes) > 1 or lim.sets[0] != lim.sets[1] else []


def dose_text(kind: str, values: Mapping[str, str]) -> str:
    """The written dose (`3x10`, `1x5x45s`, `2x30s`, `1x6x20s`) from the boxes: the words `--dose` takes."""
    def num(name: str) -> str:
        text = str(values.get(name, "")).strip()
        try:
            number = float(text)
        except ValueError:
            return text or "?"
        return f"{number:g}" if name == "hold" else str(int(number)) if number == int(number) else text
    sets = num("sets")
    if kind == "reps":
        return f"{sets}x{num('reps')}"
    if kind == "hold":
        return f"{sets}x{num('reps')}x{num('hold')}s"
    if kind == "duration":
        return f"{sets}x{num('time')}s"
    return f"{sets}x{num('reps')}x{num('time')}s"


def apply_action(action: str, form: Mapping[str, Any], tailoring: Tailoring,
                 catalogue: Catalogue) -> tuple[Tailoring, str, str, str]:
    """The changes after one button of the preview: (changes, the exercise it concerns, where keyboard focus
    goes next when the pressed button is gone ('' to stay on it), what was done)."""
    verb, _, rest = action.partition(":")
    t = tailoring.copy()
    if verb == "drop" and rest in catalogue.exercises:
        if rest not in t.without:
            t.without.append(rest)
        return t, rest, "changes", f"Left out {catalogue.exercises[rest].name}."
    if verb == "swap" and rest in catalogue.exercises:
        new = form.get(f"swap_to__{rest}")
        if not isinstance(new, str) or new not in catalogue.exercises:
            raise InputError(f"choose an exercise to use instead of {catalogue.exercises[rest].name}", "swap")
        old = next((s.split("=", 1)[0] for s in t.swap if s.split("=", 1)[1:] == [rest]), rest)  # swapped in before: replace
        t.swap = [s for s in t.swap if s.split("=", 1)[0] != old] + [f"{old}={new}"]
        return t, rest, f"card-{new}", f"{catalogue.exercises[new].name} instead of {catalogue.exercises[rest].name}."
    if verb == "dose" and rest in catalogue.exercises:
        ex = catalogue.exercises[rest]
        values = {k: form.get(f"dose_{k}__{rest}", "") for k in ("sets", "reps", "hold", "time")}
        written = f"{rest}={dose_text(ex.dosage.kind, values)}"
        t.dose = [d for d in t.dose if d.split("=", 1)[0] != rest] + [written]
        return t, rest, "", f"{ex.name}: starting dose set."
    if verb == "undo":
        kind, _, value = rest.partition(":")
        if kind in ("without", "swap", "dose"):
            setattr(t, kind, [v for v in getattr(t, kind) if v != value])
            return t, "", "changes", "Change undone."
    raise InputError(f"'{action[:60]}' is not a change this page makes", "action")


def plan_phases(plan: Plan, catalogue: Catalogue) -> tuple[Phase, ...]:
    """The protocol phases the plan covers: what `check_changes` checks a change against."""
    ids = {ph.id for ph in plan.phases}
    return tuple(ph for ph in catalogue.protocol(plan.diagnosis).phases if ph.id in ids)


def changeable(plan: Plan) -> list[str]:
    """Ids of the plan's exercises the clinician may drop, swap or re-dose (runs are planned by the running rules)."""
    return [ex.id for ex in plan.exercises if ex.run_role not in RUNNING_ROLES]


def _candidates(ex: Exercise, catalogue: Catalogue, used: set[str]) -> list[str]:
    near = list(ex.substitutes) + list(ex.easier) + list(ex.harder)
    alike = [o.id for o in catalogue.exercises.values() if o.category == ex.category and set(o.targets) & set(ex.targets)]
    return [c for c in dict.fromkeys(near + alike) if c != ex.id and c not in used and c in catalogue.exercises
            and catalogue.exercises[c].run_role not in RUNNING_ROLES]


def swap_options(request: PlanRequest, plan: Plan, catalogue: Catalogue) -> dict[str, list[tuple[str, str]]]:
    """For each changeable exercise: the alternatives `check_changes` accepts in its place, nearest first."""
    if plan.referral is not None:
        return {}
    phases = plan_phases(plan, catalogue)
    used = {ex.id for ex in plan.exercises}
    out: dict[str, list[tuple[str, str]]] = {}
    for ex_id in changeable(plan):
        ex = catalogue.exercises[ex_id]
        old = next((s.split("=", 1)[0] for s in request.swap if s.split("=", 1)[1:] == [ex_id]), ex_id)
        base = tuple(s for s in request.swap if s.split("=", 1)[0] != old)
        options: list[tuple[str, str]] = []
        for candidate in _candidates(ex, catalogue, used):
            trial = request.model_copy(update={"swap": base + (f"{old}={candidate}",)})
            try:
                check_changes(trial, catalogue, phases)
            except InputError:
                continue
            options.append((candidate, catalogue.exercises[candidate].name))
            if len(options) == MAX_OPTIONS:
                break
        out[ex_id] = options
    return out


def dose_controls(plan: Plan, catalogue: Catalogue) -> dict[str, tuple[str, list[DoseBox]]]:
    """For each changeable exercise: its dosage kind and the boxes of its starting dose."""
    first = first_prescriptions(plan)
    out: dict[str, tuple[str, list[DoseBox]]] = {}
    for ex_id in changeable(plan):
        ex = catalogue.exercises[ex_id]
        boxes = dose_boxes(ex, first.get(ex_id))
        if boxes:
            out[ex_id] = (ex.dosage.kind, boxes)
    return out
