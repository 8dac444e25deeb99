"""Running, week by week: what kind of run, how many minutes of jogging, what extras.

Modelled honestly: a walk-jog session keeps its jog and walk minutes apart, and every cap
counts jog minutes only. The rules (numbers in rules/planning.yaml):
- weekly jog minutes rise by at most `weekly_rise`, and no run is more than `longest_rise`
  longer than the longest so far;
- one change a week: volume (jog minutes, with the next walk-jog rung), the switch to
  continuous running, or one extra (strides, hills, faster running) — never two, and nothing
  else in the first continuous week;
- extras only in the protocol's last phase, only on continuous runs, in `extras_order`;
- more usual running means more runs (up to the runner's training days), never runs longer
  than the phase's `max_run_minutes`; someone who does not run gets brisk walks instead.
Days are chosen later (week.py); this module only decides the sessions.
"""
from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from .model import PlanRequest, RunningGuidance, RunningRules
from .model.handout import RunningWords

WALK_JOG, CONTINUOUS, WALK = "walk-jog", "continuous", "walk"
QUALITY = ("strides", "speed")  # fast running: heavy hamstring work stays 48 h clear of it
FORM_EXERCISE = {WALK_JOG: "walk-jog", CONTINUOUS: "continuous"}  # run_role of the card that explains each form


@dataclass(frozen=True)
class RunPlan:
    """One run before its day is chosen."""

    kind: str
    jog_minutes: int
    walk_minutes: int
    extras: tuple[str, ...]
    pattern: str


@dataclass
class RunState:
    """What the runner did last week: every rule compares against it."""

    base: int  # usual weekly running, minutes (0: does not run)
    jog_week: int = 0  # jog minutes last week (0: no running last week)
    longest: int = 0  # longest single run of the plan so far, jog minutes
    kind: str | None = None
    rung: int = 0  # walk-jog ladder rung
    extras: tuple[str, ...] = ()  # introduced so far, in order
    last_change: str = ""  # "start", "volume", "continuous", an extra, or "" (nothing new)
    runs: int = 0


def weekly_base(request: PlanRequest, rules: RunningRules) -> int:
    """Usual weekly running in minutes, from km a week (0 km: does not run)."""
    if request.runner_km_per_week is None:
        return rules.assumed_weekly_minutes
    return round(request.runner_km_per_week * rules.pace_min_per_km)


def walks_instead(request: PlanRequest, rules: RunningRules, phases: Iterable[RunningGuidance]) -> bool:
    """Whether the running row gives brisk walks (the walking exercise): a runner who does not run, in phases with
    runs; `phases`: the running guidance of each phase the plan covers."""
    return weekly_base(request, rules) == 0 and any(g.has_runs for g in phases)


def _allowed_extras(g: RunningGuidance, last_phase: bool, rules: RunningRules) -> tuple[str, ...]:
    if not last_phase or g.mode == "keep-running":
        return ()
    ok = {"strides": g.speed, "speed": g.speed, "hills": g.hills}
    return tuple(e for e in rules.extras_order if ok[e])


def _step(g: RunningGuidance, allowed: tuple[str, ...], cap: int, st: RunState, rules: RunningRules) -> tuple[str, int, tuple[str, ...], str]:
    """This week's form, jog minutes, extras and the one change made."""
    rise = math.floor(st.jog_week * (1 + rules.weekly_rise))
    extras = tuple(e for e in st.extras if e in allowed)
    if st.kind == WALK_JOG:
        if st.rung < len(rules.walk_jog_ladder) - 1:
            st.rung += 1
            return WALK_JOG, min(rise, cap), (), "volume"
        return CONTINUOUS, min(st.jog_week, cap), (), "continuous"
    pending = [e for e in allowed if e not in st.extras]
    if pending and st.last_change not in ("continuous",) + tuple(rules.extras_order):
        return CONTINUOUS, min(st.jog_week, cap), extras + (pending[0],), pending[0]
    target = min(rise, cap)
    return CONTINUOUS, target, extras, "volume" if target > st.jog_week else ""


def _shape(kind: str, total: int, g: RunningGuidance, max_run: int, st: RunState, request: PlanRequest, rules: RunningRules) -> tuple[int, int]:
    """(number of runs, jog minutes each): the runner's days, the phase's longest run, the 10% rule."""
    most = min(request.days_per_week, rules.max_walk_jog_runs if kind == WALK_JOG else rules.max_runs)
    per_cap = max_run
    if st.longest:
        per_cap = min(per_cap, math.floor(st.longest * (1 + rules.longest_rise)))
    n = min(most, max(math.ceil(total / per_cap), 3))
    n = max(1, min(n, total // rules.min_run_minutes))
    per = min(total // n, per_cap)
    return n, per


def _walk_jog_text(jog: int, each: int, walk_each: int, words: RunningWords) -> tuple[int, str]:
    breaks = max(0, math.ceil(jog / each) - 1)
    walk = breaks * walk_each
    return walk, words.walk_jog.format(jog_each=each, walk_each=walk_each, jog=jog, total=jog + walk)


def _continuous_text(per: int, extras: tuple[str, ...], g: RunningGuidance, rules: RunningRules, words: RunningWords) -> str:
    if g.mode == "keep-running" and (g.volume_share or 1.0) >= 1:
        text = words.usual_run.format(minutes=per)
    else:  # a built-up easy run: on flat ground until hills are added
        text = (words.easy_run if "hills" in extras else words.easy_run_flat).format(minutes=per)
    for extra in sorted(extras, key=lambda e: 0 if e == "hills" else 1):
        text += ", " + rules.extras_words[extra]
    return text


def plan_runs(g: RunningGuidance, tag: str, last_phase: bool, st: RunState,
              request: PlanRequest, rules: RunningRules, may_step: bool = True, *,
              words: RunningWords | None = None) -> tuple[RunPlan, ...]:
    """This week's runs (no days yet); updates `st` to this week. `may_step=False` repeats last week's
    running (a follow-up that repeats a phase). `words`: how a run reads (rules/handout.yaml `running`;
    the built-in file when None)."""
    if words is None:
        from .catalogue import builtin_handout

        words = builtin_handout().running
    if not g.has_runs:
        st.jog_week, st.kind, st.rung, st.extras, st.last_change, st.runs = 0, None, 0, (), "", 0
        return ()
    if st.base == 0:
        n = min(request.days_per_week, rules.max_walk_jog_runs)
        minutes = rules.non_runner_walk_minutes
        st.kind, st.runs = WALK, n
        return tuple(RunPlan(WALK, 0, minutes, (), words.brisk_walk.format(minutes=minutes)) for _ in range(n))
    share = g.volume_share if g.volume_share is not None else 1.0
    cap = max(rules.min_run_minutes, math.floor(share * st.base))
    max_run = g.max_run_minutes or rules.max_run_minutes.get(tag, 30)  # type: ignore[call-overload]
    allowed = _allowed_extras(g, last_phase, rules)
    if st.jog_week == 0:  # the first running week of the plan, or after a break
        first = math.floor(rules.first_week_share * st.base)
        if g.mode == "walk-jog":
            kind, total, change = WALK_JOG, min(cap, first, rules.first_walk_jog_minutes), "start"
            st.rung = 0
        elif g.mode == "keep-running":
            kind, total, change = CONTINUOUS, cap, "start"  # running carried on, at the phase's share
        else:
            kind, total, change = CONTINUOUS, min(cap, first), "start"
        extras: tuple[str, ...] = ()
    elif not may_step:
        kind, total, extras, change = st.kind or CONTINUOUS, min(st.jog_week, cap), tuple(e for e in st.extras if e in allowed), ""
    else:
        kind, total, extras, change = _step(g, allowed, cap, st, rules)
    total = max(total, min(rules.min_run_minutes, cap))
    n, per = _shape(kind, total, g, max_run, st, request, rules)
    runs: list[RunPlan] = []
    if kind == WALK_JOG:
        each, walk_each = rules.walk_jog_ladder[st.rung]
        walk, text = _walk_jog_text(per, each, walk_each, words)
        runs = [RunPlan(WALK_JOG, per, walk, (), text) for _ in range(n)]
    else:
        quality = tuple(e for e in extras if e in QUALITY)[-1:]  # faster running replaces strides
        hills = ("hills",) if "hills" in extras else ()
        plans = [quality + hills if n == 1 else (quality if i == 0 else hills if i == 1 else ()) for i in range(n)]
        if n > 1 and hills and not quality:
            plans = [hills] + [()] * (n - 1)
        runs = [RunPlan(CONTINUOUS, per, 0, ex, _continuous_text(per, ex, g, rules, words)) for ex in plans]
    st.jog_week = per * n
    st.longest = max(st.longest, per)
    st.kind, st.extras, st.runs = kind, extras, n
    st.last_change = change
    return tuple(runs)
