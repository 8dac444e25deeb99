"""The plan's timeline: the grade, the phase it starts at, how long each phase lasts, which weeks hold.

Stages by criteria, not the calendar:
- the days since onset can only carry a plan past a phase that is bound to the clock
  (`skip_after_days`, e.g. the first 72 hours of a strain); every other phase is left only
  through its checkpoint, so a symptom-led protocol starts at its first phase unless a
  clinician names one;
- a named `--stage` of a time-led protocol (a strain) is refused when the days since onset
  are too few to have passed the earlier phases at their shortest, unless a clinician cleared it;
- pain now at `first_phase_at` or more starts at the first phase whatever was asked.
Extra weeks from `--weeks` go to the later phases, never to the first.
"""
from __future__ import annotations

import math

from .exceptions import InputError
from .model import HoldWeeks, PainThresholds, Phase, PlanRequest, Protocol
from .model.handout import StartNotes
from .validation import did_you_mean

DEFAULT_GRADE = 2
MAX_WEEKS = 52


def grade_for(request: PlanRequest, protocol: Protocol) -> int | None:
    """The strain grade the plan uses (grade 2 when none is given); None where grades do not apply."""
    if request.grade is not None and not protocol.grades:
        raise InputError(f"--grade applies only to strains (hamstring-strain); '{request.diagnosis}' has no grades: leave --grade out", "grade")
    if request.grade is not None and request.grade not in protocol.grades:
        raise InputError(f"--grade {request.grade} is not covered by {protocol.id}; accepted: {', '.join(map(str, protocol.grades))}", "grade")
    if protocol.grades and request.grade is None:
        return DEFAULT_GRADE
    return request.grade


def typical_weeks(phase: Phase, grade: int | None) -> int:
    """A phase's planned length: the middle of its typical range, rounded up."""
    lo, hi = phase.week_range(grade)
    return max(1, math.ceil((lo + hi) / 2))


def earliest_day(protocol: Protocol, index: int, grade: int | None) -> int:
    """The soonest day after onset anyone could reach phase `index`: each earlier phase at its shortest."""
    return sum(p.skip_after_days if p.skip_after_days is not None else 7 * p.week_range(grade)[0]
               for p in protocol.phases[:index])


def _words(words: StartNotes | None) -> StartNotes:
    """The notes' wording (rules/handout.yaml `start`): the catalogue's, else the built-in file's."""
    if words is not None:
        return words
    from .catalogue import builtin_handout

    return builtin_handout().start


def follow_up_start(request: PlanRequest, protocol: Protocol, pain: PainThresholds, *,
                    words: StartNotes | None = None, grade: int | None = None) -> tuple[int, str, str]:
    """A follow-up's phase, why, and how its doses start: 'continue' (checkpoint passed: the next phase,
    doses carried on), 'repeat' (not yet: the same phase at the same doses) or 'lower' (not yet, and
    the pain today is above the phase's limit or at first_phase_at: the phase's starting doses).

    Not yet, after a plan that ended before the phase had run its shortest typical stay (a short block, or a
    runner seen back early), the phase carries on ('continue' in the same phase): the same doses again could
    never reach a checkpoint that asks for more than that plan got to. A repeat block stays a repeat."""
    follow = request.follow_up
    assert follow is not None
    ids = [p.id for p in protocol.phases]
    if request.stage is not None:
        raise InputError("--stage: a follow-up takes its stage from the last plan and today's checkpoint; leave --stage out", "stage")
    if follow.phase not in ids:
        raise InputError(f"--follow-up: the last plan's phase '{follow.phase}' is not a phase of {protocol.id}; "
                         f"accepted: a plan for {protocol.id}", "follow_up")
    i = ids.index(follow.phase)
    phase = protocol.phases[i]
    notes = _words(words)
    when = {"previous_start": follow.previous_start.isoformat(), "week_reached": follow.week_reached, "phase": phase.name}
    high = request.pain >= pain.first_phase_at or request.pain > phase.pain_rules.during_max
    if follow.checkpoint == "passed" and not high:
        if i == len(ids) - 1:
            return i, notes.follow_up_keep.format(**when), "continue"
        return i + 1, notes.follow_up_next.format(**when, next=protocol.phases[i + 1].name), "continue"
    if high:
        return i, notes.follow_up_lower.format(**when, pain=request.pain), "lower"
    if follow.previous_block not in ("repeat", "lower") and follow.phase_weeks < phase.week_range(grade)[0]:
        return i, notes.follow_up_carry_on.format(**when), "continue"
    return i, notes.follow_up_repeat.format(**when), "repeat"


def start_index(request: PlanRequest, protocol: Protocol, grade: int | None, pain: PainThresholds, *,
                words: StartNotes | None = None) -> tuple[int, str]:
    """Where the plan starts, and why (in the runner's words, rules/handout.yaml `start`; empty when it
    starts at the beginning)."""
    ids = [p.id for p in protocol.phases]
    named: int | None = None
    if request.stage is not None:
        if request.stage not in ids:
            raise InputError(f"--stage: '{request.stage}' is not a phase of {protocol.id}{did_you_mean(request.stage, ids)}; "
                             f"accepted: {', '.join(ids)}", "stage")
        named = ids.index(request.stage)
    if request.pain >= pain.first_phase_at:
        return 0, _words(words).pain_first_phase.format(pain=request.pain)
    if named is not None:
        if named > 0 and protocol.stage_by == "time" and not request.clinician_cleared:
            soonest = earliest_day(protocol, named, grade)
            days = request.days_since_onset
            if days is None or days < soonest:
                given = "--days-since-onset is not given" if days is None else f"--days-since-onset is {days}"
                raise InputError(
                    f"--stage: '{request.stage}' is reached no sooner than {soonest} days after the injury (each earlier phase at its "
                    f"shortest), and {given}; start at an earlier stage, or add --clinician-cleared if a clinician has examined "
                    "the leg and agrees", "stage")
        return named, (_words(words).clinician_stage.format(phase=protocol.phases[named].name) if named > 0 else "")
    index = 0
    days = request.days_since_onset
    while (days is not None and index < len(ids) - 1 and protocol.phases[index].skip_after_days is not None
           and days >= earliest_day(protocol, index + 1, grade)):
        index += 1
    if index > 0:
        return index, _words(words).days_since_onset.format(phase=protocol.phases[index].name, days=days,
                                                            previous=protocol.phases[index - 1].name)
    return 0, ""


def lengths(phases: tuple[Phase, ...], grade: int | None, weeks: int | None, done: int = 0) -> list[int]:
    """Weeks per phase. `--weeks` shorter than the protocol cuts it; longer fills the later phases up
    to their longest typical stay (never the first, never a fixed-length table), then the last phase.
    `done`: weeks of the first phase the runner has had already (a follow-up carrying a phase on), which it
    lasts that much less, one week at least."""
    base = [typical_weeks(p, grade) for p in phases]
    if base:
        base[0] = max(1, base[0] - done)
    if weeks is None:
        weeks = min(sum(base), MAX_WEEKS)  # a plan is at most a year, like --weeks
    total = sum(base)
    if weeks <= total:
        out, left = [], weeks
        for n in base:
            out.append(min(n, left))
            left -= out[-1]
        return out
    out = list(base)
    extra = weeks - total
    for j in range(len(phases) - 1, 0, -1):
        room = phases[j].week_range(grade)[1] - out[j]
        add = max(0, min(room, extra))
        out[j] += add
        extra -= add
    out[-1] += extra
    return out


def is_hold(phase: Phase, k: int, plan_weeks: int, grade: int | None, rules: HoldWeeks, table_weeks: int) -> bool:
    """Week k (0-based) of a phase holds when it closes a block of `every` weeks in a plan longer than
    `after_weeks`: never a phase's first week, never inside a week-by-week table or a phase of fixed length
    (a published programme), only in weeks added beyond it."""
    lo, hi = phase.week_range(grade)
    return (plan_weeks > rules.after_weeks and (k + 1) % rules.every == 0 and (lo != hi or k >= hi) and k + 1 > table_weeks)
