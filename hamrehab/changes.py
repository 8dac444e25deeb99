"""A clinician's changes for one patient: drop, add, swap and re-dose exercises, checked like a protocol.

The same four request fields everywhere (flags, request.yaml, roster columns, the API, the web app):
- `without: [ID]`: leave an exercise out of every phase;
- `add: [ID or ID:PHASE]`: add one from the catalogue (the clinician's own folders included) to
  that phase, or to every phase of the plan;
- `swap: [OLD=NEW]`: put NEW wherever OLD would be, on OLD's days;
- `dose: [ID=DOSE]`: the starting dose, e.g. `3x10`, `3x8-10`, `1x5x45s` (holds), `2x30s` or `10min`
  (durations), `1x6x20s` (bouts), with `@N` for N days a week (`2x5@1`); progression goes on from it.
Each change is refused (InputError naming it, with "did you mean") when its exercise is unknown,
contraindicated for the diagnosis in a phase it would reach, needs equipment the runner lacks, or
its dose leaves the exercise's safe limits; every problem is reported at once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

from .catalogue import Catalogue
from .exceptions import InputError
from .model import DoseOverride, Exercise, Phase, PhaseExercise, PlanRequest, dose_problems
from .running import walks_instead
from .validation import did_you_mean, shown
from .wording import dose as dose_words

RUNNING_ROLES = ("walk-jog", "continuous", "strides")
TIME = re.compile(r"(\d{1,4}(?:\.\d)?)\s*(s|sec|min)")
COUNT = re.compile(r"(\d{1,3})(?:\s*-\s*(\d{1,3}))?")


@dataclass(frozen=True)
class Changes:
    """The accepted changes, ready for the planner, and how the cover and the JSON list them."""

    without: frozenset[str] = frozenset()
    add: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (exercise, phase ids; empty = every phase)
    swap: tuple[tuple[str, str], ...] = ()
    dose: tuple[tuple[str, DoseOverride, int | None], ...] = ()  # (exercise, dose, reps_max)
    described: tuple[str, ...] = ()
    # every exercise the clinician left out, an earlier block's change too where it no longer fits this one: never
    # given, stepped up to or suggested on a card, in this block either
    left_out: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.without or self.add or self.swap or self.dose)

    def dose_of(self, exercise: str) -> tuple[DoseOverride, int | None] | None:
        return next(((d, top) for ex, d, top in self.dose if ex == exercise), None)

    def swapped(self, exercise: str) -> str | None:
        return next((new for old, new in self.swap if old == exercise), None)


def parse_dose(text: str, ex: Exercise) -> tuple[DoseOverride, int | None]:
    """A written dose for this exercise's kind of dosage; ValueError saying what is accepted.

    Parts joined by 'x': whole numbers (sets, reps or bouts; reps may be a range '8-10') and at most
    one time ('45s', '10min'), then '@N' for N days a week.
    """
    kind = ex.dosage.kind
    forms = {"reps": "SETSxREPS such as 3x10 or 3x8-10", "hold": "SETSxREPSxHOLD such as 1x5x45s",
             "duration": "SETSxTIME such as 2x30s, or a time such as 10min", "intervals": "SETSxBOUTSxTIME such as 1x6x20s"}
    wrong = ValueError(f"'{shown(text)}' is not a dose for this {kind} exercise; write {forms[kind]} (add @N for N days a week)")
    body, _, days = text.strip().lower().partition("@")
    parts = [p.strip() for p in re.split(r"[x×]", body)]
    numbers: list[tuple[int, int | None]] = []
    seconds: float | None = None
    for i, part in enumerate(parts):
        if m := TIME.fullmatch(part):
            if seconds is not None or i != len(parts) - 1:
                raise wrong
            seconds = float(m.group(1)) * (60 if m.group(2) == "min" else 1)
        elif m := COUNT.fullmatch(part):
            numbers.append((int(m.group(1)), int(m.group(2)) if m.group(2) else None))
        else:
            raise wrong
    want = {"reps": (1, 2, False), "hold": (1, 2, True), "duration": (0, 1, True), "intervals": (1, 2, True)}[kind]
    low, high, timed = want
    if not low <= len(numbers) <= high or (seconds is not None) != timed:
        raise wrong
    if (len(numbers) == high and high > low) or (kind == "duration" and numbers):
        (sets, extra), counts = numbers[0], numbers[1:]
    else:
        sets, extra, counts = 1, None, numbers
    if extra is not None or any(top is not None for _, top in counts[:-1]) or (counts and counts[-1][1] is not None and kind != "reps"):
        raise wrong
    fields: dict[str, object] = {"sets": sets}
    top = None
    if counts:
        reps, top = counts[-1]
        fields["reps"] = reps
        if top is not None and top <= reps:
            raise wrong
    if seconds is not None:
        fields["hold_s" if kind == "hold" else "duration_s"] = seconds if kind == "hold" else round(seconds)
    if days:
        if not days.strip().isdigit():
            raise wrong
        fields["days_per_week"] = int(days.strip())
    try:
        return DoseOverride.model_validate(fields), top
    except ValidationError:
        raise ValueError(f"'{shown(text)}' has a zero or impossible number; {forms[kind]}, with days a week from 1 to 7") from None


def _split(text: str, mark: str) -> tuple[str, str]:
    head, _, tail = text.partition(mark)
    return head.strip(), tail.strip()


class _Checker:
    """Collects every problem of every change, each naming the change and what is accepted."""

    def __init__(self, request: PlanRequest, catalogue: Catalogue, phases: tuple[Phase, ...]):
        self.request, self.catalogue, self.phases = request, catalogue, phases
        self.have = frozenset(request.equipment) | {"none"}
        self.problems: list[str] = []
        self.dropped: list[str] = []
        self.words = catalogue.wording.changes
        self.carried = frozenset(request.follow_up.carried_changes) if request.follow_up is not None else frozenset()
        self.in_plan = {px.exercise for ph in phases for px in ph.exercises}
        for ex_id in list(self.in_plan):
            ex = catalogue.exercises.get(ex_id)
            if ex is not None:
                self.in_plan |= set(ex.substitutes + ex.easier + ex.harder)
        running = catalogue.rules.running
        if walks_instead(request, running, (ph.running for ph in phases)):  # the brisk walks: left out with walking
            self.in_plan.add(running.walk_exercise)

    def fail(self, label: str, message: str) -> None:
        kind, _, text = label.removeprefix("--").partition(" ")
        if f"{kind}:{text}" in self.carried:  # last time's change that no longer fits this block: dropped, and said
            if kind != "without":  # (an exercise left out stays out: Changes.left_out)
                ex_id = _split(text, "=" if kind in ("swap", "dose") else ":")[0]
                ex = self.catalogue.exercises.get(ex_id)
                self.dropped.append(self.words.earlier_dropped.format(exercise=ex.name if ex is not None else ex_id))
        else:
            self.problems.append(f"{label}: {message}")

    def exercise(self, label: str, ex_id: str) -> Exercise | None:
        ex = self.catalogue.exercises.get(ex_id)
        if ex is None:
            self.fail(label, f"no exercise '{ex_id}'{did_you_mean(ex_id, self.catalogue.exercises)}; "
                             "`hamrehab exercises` lists them (add --catalogue for your own)")
        elif self.running(label, ex):
            return None
        return ex

    def running(self, label: str, ex: Exercise) -> bool:
        """A run is the running rules' to plan (its row, its card): no change of the clinician's adds, drops or doses it."""
        if ex.run_role not in RUNNING_ROLES:
            return False
        self.fail(label, f"'{ex.id}' is running: the running row is planned by the running rules, not as an exercise")
        return True

    def usable(self, label: str, ex: Exercise, phases: tuple[Phase, ...]) -> bool:
        ok = True
        for ph in phases:
            ban = ex.contraindicated(self.request.diagnosis, ph.tag)
            if ban is not None:
                self.fail(label, f"'{ex.id}' is contraindicated for {self.request.diagnosis} in phase '{ph.id}': {ban.reason}")
                ok = False
        missing = ex.needs - self.have
        if missing:
            self.fail(label, f"'{ex.id}' needs {', '.join(sorted(missing))}, which is not in this runner's --equipment")
            ok = False
        return ok

    def planned(self, label: str, ex_id: str, extra: set[str]) -> bool:
        if ex_id in self.in_plan or ex_id in extra:
            return True
        known = sorted({px.exercise for ph in self.phases for px in ph.exercises
                        if self.catalogue.exercises[px.exercise].run_role not in RUNNING_ROLES} | extra)
        self.fail(label, f"'{ex_id}' is not in this plan{did_you_mean(ex_id, known)}; its exercises: {', '.join(known)}")
        return False


def check_changes(request: PlanRequest, catalogue: Catalogue, phases: tuple[Phase, ...]) -> Changes:
    """The request's changes, checked against the catalogue and the phases the plan will cover."""
    c = _Checker(request, catalogue, phases)
    ids = [ph.id for ph in phases]
    described: list[str] = []
    added: set[str] = set()
    adds: list[tuple[str, tuple[str, ...]]] = []
    for text in request.add:
        label = f"--add {text}"
        ex_id, phase_id = _split(text, ":")
        ex = c.exercise(label, ex_id)
        chosen = phases
        if phase_id:
            if phase_id not in ids:
                c.fail(label, f"'{phase_id}' is not a phase of this plan{did_you_mean(phase_id, ids)}; its phases: {', '.join(ids)}")
                continue
            chosen = tuple(ph for ph in phases if ph.id == phase_id)
        if ex is not None and c.usable(label, ex, chosen):
            adds.append((ex.id, tuple(ph.id for ph in chosen) if phase_id else ()))
            added.add(ex.id)
            described.append(c.words.added.format(exercise=ex.name, phase=chosen[0].name) if phase_id
                             else c.words.added_everywhere.format(exercise=ex.name))
    swaps: list[tuple[str, str]] = []
    for text in request.swap:
        label = f"--swap {text}"
        old, new = _split(text, "=")
        if not old or not new:
            c.fail(label, "write OLD=NEW, e.g. --swap hip-thrust=glute-bridge")
            continue
        known_old = c.planned(label, old, added)
        ex = c.exercise(label, new)
        if known_old and ex is not None:
            reach = tuple(ph for ph in phases if any(px.exercise == old for px in ph.exercises)) or phases
            if c.usable(label, ex, reach):
                swaps.append((old, ex.id))
                added.add(ex.id)
                old_name = catalogue.exercises[old].name if old in catalogue.exercises else old
                described.append(c.words.swapped.format(new=ex.name, old=old_name))
    without = set()
    for ex_id in request.without:
        label = f"--without {ex_id}"
        ex = catalogue.exercises.get(ex_id)
        if ex is not None and c.running(label, ex):  # ('Left out: Easy run.' beside the week's easy runs)
            continue
        if c.planned(label, ex_id, added):
            without.add(ex_id)
            described.append(c.words.left_out.format(exercise=catalogue.exercises[ex_id].name))
    doses: list[tuple[str, DoseOverride, int | None]] = []
    for text in request.dose:
        label = f"--dose {text}"
        ex_id, spec = _split(text, "=")
        ex = c.exercise(label, ex_id)
        if ex is None or not c.planned(label, ex_id, added):
            continue
        try:
            over, top = parse_dose(spec, ex)
        except ValueError as exc:
            c.fail(label, str(exc))
            continue
        bad = dose_problems(over, ex.dosage.kind, ex.dosage.limits)
        lim = ex.dosage.limits
        if top is not None and lim.reps is not None and not lim.reps[0] <= top <= lim.reps[1]:
            bad.append(("reps", f"reps {top} is outside this exercise's safe limits [{lim.reps[0]}, {lim.reps[1]}]"))
        if bad:
            c.fail(label, "; ".join(m for _, m in bad))
            continue
        doses.append((ex.id, over, top))
        words = dose_words(over.sets or ex.dosage.sets, over.reps, over.hold_s, over.duration_s, top)
        if over.days_per_week == 1:  # "once a week", never "1 days a week"
            described.append(c.words.dosed_once_a_week.format(exercise=ex.name, dose=words))
        elif over.days_per_week:
            described.append(c.words.dosed_days.format(exercise=ex.name, dose=words, days=over.days_per_week))
        else:
            described.append(c.words.dosed.format(exercise=ex.name, dose=words))
    if c.problems:
        raise InputError("\n".join(c.problems), "dose" if request.dose and not (request.add or request.swap or request.without) else "")
    return Changes(frozenset(without), tuple(adds), tuple(swaps), tuple(doses), tuple(described + c.dropped),
                   frozenset(i for i in request.without if i in catalogue.exercises and catalogue.exercises[i].run_role not in RUNNING_ROLES))


def apply(phase: Phase, changes: Changes) -> tuple[PhaseExercise, ...]:
    """The phase's exercises after the clinician's changes: dropped, swapped, added (doses are set by
    the planner, on whichever exercise is chosen: a stand-in for missing equipment included)."""
    out: list[PhaseExercise] = []
    for px in phase.exercises:
        if px.exercise in changes.without:
            continue
        new = changes.swapped(px.exercise)
        if new is not None:
            px = PhaseExercise(exercise=new, dose=DoseOverride(days_per_week=px.dose.days_per_week), progression=px.progression,
                               grades=px.grades, glute=px.glute, core=px.core, note=None)
        out.append(px)
    for ex_id, phase_ids in changes.add:
        if (not phase_ids or phase.id in phase_ids) and all(px.exercise != ex_id for px in out):
            out.append(PhaseExercise(exercise=ex_id))
    return tuple(out)
