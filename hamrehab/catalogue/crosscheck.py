"""Checks across documents: links between exercises, sources, protocol doses within limits, rules that agree.

Each check adds problems at the line of the document that is wrong, so `hamrehab validate` can name it.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..model import (
    Exercise,
    PainThresholds,
    PlanningRules,
    Protocol,
    RedFlags,
    Reference,
    dose_problems,
    handout_problems,
    red_flag_problems,
    triage_problems,
)
from ..validation import did_you_mean
from .files import REFERENCES_FILE, Collector, Entry


def check_red_flags(entry: Entry | None, refs: Mapping[str, Reference], out: Collector) -> None:
    if entry is None:
        return
    flags: RedFlags = entry.item
    for path, message in red_flag_problems(flags):
        out.add(entry.doc, path, message)
    for i, red in enumerate(flags.flags):
        check_sources(entry, ("flags", i, "sources"), red.sources, refs, out)


PAIN_THRESHOLDS = tuple(f for f in PainThresholds.model_fields if f != "sources")


def check_triage(entry: Entry | None, flags: Entry | None, refs: Mapping[str, Reference], out: Collector) -> None:
    """Every flag a rule raises is in red-flags.yaml, every condition's answer is a question (asked earlier,
    for a question), every source is in references.yaml, every threshold is a pain threshold."""
    if entry is None:
        return
    flag_ids = None if flags is None else flags.item.by_id
    for path, message in triage_problems(entry.item, flags=flag_ids, sources=refs, thresholds=PAIN_THRESHOLDS):
        out.add(entry.doc, path, message)


def check_handout(entry: Entry | None, refs: Mapping[str, Reference], out: Collector) -> None:
    """Every key of a group's `sources` is a text of that group, and every source is in references.yaml."""
    if entry is None:
        return
    for path, message in handout_problems(entry.item, sources=refs):
        out.add(entry.doc, path, message)


def check_sources(entry: Entry, path: tuple[object, ...], keys: Sequence[str], refs: Mapping[str, Reference], out: Collector) -> None:
    for i, key in enumerate(keys):
        if key not in refs:
            out.add(entry.doc, path + (i,), f"unknown source '{key}'{did_you_mean(key, refs)}; add it to {REFERENCES_FILE} or use one listed there")


def check_exercises(exercises: dict[str, Entry], refs: Mapping[str, Reference], out: Collector) -> None:
    for ex_id, entry in exercises.items():
        ex: Exercise = entry.item
        for link in ("easier", "harder", "substitutes"):
            for i, other in enumerate(getattr(ex, link)):
                if other == ex_id:
                    out.add(entry.doc, (link, i), f"'{other}' names this exercise itself")
                elif other not in exercises:
                    out.add(entry.doc, (link, i), f"no exercise '{other}'{did_you_mean(other, exercises)}")
        check_sources(entry, ("sources",), ex.sources, refs, out)
    check_harder_cycles(exercises, out)


def check_harder_cycles(exercises: dict[str, Entry], out: Collector) -> None:
    """A chain of "harder" links must end: a loop would make progression go round forever."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for start in sorted(exercises):
        if start in state:
            continue
        # depth-first, with an explicit stack: a chain thousands long must not exhaust Python's recursion
        trail: list[str] = [start]
        stack: list[tuple[str, int]] = [(start, 0)]
        state[start] = 1
        while stack:
            node, i = stack[-1]
            harder = exercises[node].item.harder
            if i == len(harder):
                state[node] = 2
                stack.pop()
                trail.pop()
                continue
            stack[-1] = (node, i + 1)
            nxt = harder[i]
            if nxt not in exercises:
                continue
            if state.get(nxt) == 1:
                loop = trail[trail.index(nxt):] + [nxt]
                entry = exercises[node]
                out.add(entry.doc, ("harder", i), f"'harder' goes round in a loop: {' -> '.join(loop)}")
            elif state.get(nxt) is None:
                state[nxt] = 1
                stack.append((nxt, 0))
                trail.append(nxt)


def check_rules(entry: Entry | None, exercises: Mapping[str, Exercise], refs: Mapping[str, Reference], out: Collector) -> None:
    if entry is None:
        return
    rules: PlanningRules = entry.item
    for part in ("pain", "hold", "running", "week"):
        check_sources(entry, (part, "sources"), getattr(rules, part).sources, refs, out)
    walk = rules.running.walk_exercise
    if walk not in exercises:
        out.add(entry.doc, ("running", "walk_exercise"), f"no exercise '{walk}'{did_you_mean(walk, exercises)}")


def check_protocols(protocols: dict[str, Entry], exercises: Mapping[str, Exercise], refs: Mapping[str, Reference],
                     rules: PlanningRules | None, out: Collector) -> None:
    for entry in protocols.values():
        proto: Protocol = entry.item
        check_sources(entry, ("sources",), proto.sources, refs, out)
        seen_ids: set[str] = set()
        for pi, phase in enumerate(proto.phases):
            where = ("phases", pi)
            if phase.id in seen_ids:
                out.add(entry.doc, where + ("id",), f"phase id '{phase.id}' is used twice in this protocol")
            seen_ids.add(phase.id)
            if isinstance(phase.weeks, dict):
                missing = [g for g in (proto.grades or (1, 2, 3)) if g not in phase.weeks]
                if missing:
                    out.add(entry.doc, where + ("weeks",), f"weeks by grade lacks grade {', '.join(map(str, missing))}")
            check_sources(entry, where + ("sources",), phase.sources, refs, out)
            check_sources(entry, where + ("pain_rules", "sources"), phase.pain_rules.sources, refs, out)
            check_sources(entry, where + ("running", "sources"), phase.running.sources, refs, out)
            if rules is not None and phase.pain_rules.during_max > rules.pain.amber_max:
                out.add(entry.doc, where + ("pain_rules", "during_max"),
                        f"during_max {phase.pain_rules.during_max} is above the traffic light's amber top "
                        f"({rules.pain.amber_max}/10, rules/planning.yaml); "
                        f"pain of {rules.pain.refer_at} or more is never acceptable")
            for ci, crit in enumerate(phase.exit_criteria):
                check_sources(entry, where + ("exit_criteria", ci, "sources"), crit.sources, refs, out)
            for ei, px in enumerate(phase.exercises):
                ex_where = where + ("exercises", ei)
                ex = exercises.get(px.exercise)
                if ex is None:
                    out.add(entry.doc, ex_where + ("exercise",), f"no exercise '{px.exercise}'{did_you_mean(px.exercise, exercises)}")
                    continue
                ban = ex.contraindicated(proto.id, phase.tag)
                if ban is not None:
                    out.add(entry.doc, ex_where + ("exercise",),
                            f"'{px.exercise}' is contraindicated for {proto.id} in a {phase.tag} phase: {ban.reason}")
                for fld, msg in dose_problems(px.dose, ex.dosage.kind, ex.dosage.limits):
                    out.add(entry.doc, ex_where + ("dose", fld), msg)
                for si, step in enumerate(px.schedule):
                    for fld, msg in dose_problems(step, ex.dosage.kind, ex.dosage.limits):
                        out.add(entry.doc, ex_where + ("schedule", si, fld), msg)
                    reps_range = ex.dosage.limits.reps
                    if step.reps_max is not None and reps_range is not None and not reps_range[0] <= step.reps_max <= reps_range[1]:
                        out.add(entry.doc, ex_where + ("schedule", si, "reps_max"),
                                f"reps_max {step.reps_max} is outside this exercise's safe limits [{reps_range[0]}, {reps_range[1]}]")
                if px.grades and proto.grades and not set(px.grades) <= set(proto.grades):
                    out.add(entry.doc, ex_where + ("grades",),
                            f"grades {list(px.grades)} are not all among the protocol's grades {list(proto.grades)}")

