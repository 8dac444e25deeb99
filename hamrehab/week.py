"""The week as the unit: which day holds a run, strength, activation and care.

One rule set decides the days, and every renderer reads them (week pages, text, calendar, JSON):
- warm-up drills belong to a run: only on run days, before it; a cool-down stretch only straight after it;
- strides and faster running are extras of an easy run, on that run's day (running.py);
- strength days are never two days running, also across the end of a week, and a week
  repeated (a hold week) keeps that true; a tendon's moving (isotonic) loading and any heavy
  hamstring work get at most `isotonic_max_days` of them;
- heavy hamstring work (Nordics, deadlifts) ends at least `heavy_hours_before_speed` before
  fast running, checked across weeks as well;
- isometrics, activation, mobility, nerve glides and care may be daily, as dosed.
Among the layouts that keep every rule, strength goes on run days where it can ("hard days
hard, easy days easy", which gives a tendon whole days off), spread as evenly as possible.
"""
from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .dosing import STRENGTH
from .model import Exercise, WeekRules
from .plan import SESSIONS, Day, RunSession
from .running import QUALITY, RunPlan

# Days spread through the week (offsets from the start date), for work dosed n days a week.
SPREAD = {0: (), 1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 2, 4, 6), 5: (0, 1, 3, 4, 6), 6: (0, 1, 2, 3, 4, 5), 7: (0, 1, 2, 3, 4, 5, 6)}


@dataclass(frozen=True)
class Item:
    """One exercise of the week, waiting for its days."""

    exercise: Exercise
    days_wanted: int  # the dose's days a week
    heavy: bool
    tendon: bool  # moving loading in a tendon protocol


@dataclass(frozen=True)
class Placed:
    """Where last week's strength, heavy and fast days fell, in days from that week's start."""

    strength: frozenset[int] = frozenset()
    heavy: frozenset[int] = frozenset()
    fast: frozenset[int] = frozenset()


def session_of(ex: Exercise) -> str:
    """Which of the day's sessions an exercise belongs to."""
    if ex.run_role in ("warm-up", "cool-down"):
        return ex.run_role
    if ex.category in STRENGTH:
        return "strength"
    if ex.category == "cardio":
        return "move"
    if ex.category == "care":
        return "care"
    return "activation"


def on_strength_days(item: Item) -> bool:
    """Strength work not dosed daily, and any heavy or tendon loading (a bridge filed as activation included),
    goes on strength days."""
    if item.tendon:
        return True
    if session_of(item.exercise) != "strength":
        return False
    return item.heavy or item.days_wanted < 7


def _cyclic_ok(days: tuple[int, ...]) -> bool:
    return all((d + 1) % 7 not in days for d in days)


def _min_gap(days: tuple[int, ...]) -> int:
    if len(days) < 2:
        return 7
    return min((days[(i + 1) % len(days)] - d) % 7 for i, d in enumerate(days))


# Every set of strength days that is never two days running, even when the week repeats.
CANDIDATES = {s: [c for c in itertools.combinations(range(7), s) if _cyclic_ok(c)] for s in range(4)}


def _pick(days: tuple[int, ...], n: int) -> tuple[int, ...]:
    """n of the strength days, as far apart as possible; smaller picks are part of larger ones."""
    order = (days[0], days[-1]) + days[1:-1] if len(days) > 1 else days
    return tuple(sorted(order[:n]))


def _fast_ok(heavy: Sequence[int], fast: Sequence[int], gap: int) -> bool:
    """No heavy day within `gap` days before a fast day (same week, days as absolute offsets)."""
    return all(not 0 <= q - h < gap for h in heavy for q in fast)


def _valid(strength: tuple[int, ...], heavy: tuple[int, ...], fast: tuple[int, ...], prev: Placed, gap: int) -> bool:
    # within the week, and as if the week were repeated (a hold week repeats it exactly)
    for shift in (0, 7, -7):
        if not _fast_ok(heavy, [q + shift for q in fast], gap):
            return False
    # against last week's real days
    if any(s + 7 - p == 1 for p in prev.strength for s in strength):
        return False
    return _fast_ok([h - 7 for h in prev.heavy], fast, gap)


def _run_day_sets(n: int) -> list[tuple[int, ...]]:
    base = SPREAD[n]
    return list(dict.fromkeys(tuple(sorted((d + k) % 7 for d in base)) for k in range(7)))


def choose_days(items: Sequence[Item], runs: Sequence[RunPlan], days_per_week: int, rules: WeekRules,
                prev: Placed) -> tuple[dict[int, tuple[int, ...]], tuple[int, ...], tuple[RunPlan, ...], Placed, bool]:
    """Days for each item (by index), the run days with the run placed on each, last-week data for
    the next call, and False when fast running had to be left out to keep the heavy-work rule."""
    gap = math.ceil(rules.heavy_hours_before_speed / 24)
    cap = min(3, max(1, days_per_week))
    wants: dict[int, int] = {}
    for i, it in enumerate(items):
        if on_strength_days(it):
            limit = rules.isotonic_max_days if (it.heavy or it.tendon) else cap
            wants[i] = max(1, min(it.days_wanted, limit, cap))
    size = max(wants.values(), default=0)
    heavy_n = max((wants[i] for i in wants if items[i].heavy), default=0)
    quality = [k for k, r in enumerate(runs) if set(r.extras) & set(QUALITY)]
    strength, run_days, q = _layout(size, heavy_n, len(runs), bool(quality), prev, gap)
    kept_fast = not quality or q is not None
    placed_runs = _place_runs(runs, run_days, q, quality)
    out: dict[int, tuple[int, ...]] = {}
    for i, it in enumerate(items):
        if i in wants:
            out[i] = _pick(strength, wants[i])
        elif session_of(it.exercise) in ("warm-up", "cool-down"):
            out[i] = run_days
        else:
            out[i] = SPREAD[min(7, max(1, it.days_wanted))]
    heavy_days = frozenset(d for i in wants if items[i].heavy for d in out[i])
    fast_days = frozenset([q]) if q is not None else frozenset()
    return out, run_days, placed_runs, Placed(frozenset(strength), heavy_days, fast_days), kept_fast


@functools.lru_cache(maxsize=4096)
def _layout(size: int, heavy_n: int, n_runs: int, quality: bool, prev: Placed, gap: int) -> tuple[tuple[int, ...], tuple[int, ...], int | None]:
    """The best strength days, run days and fast-run day (None: fast running left out) among every layout
    that keeps the rules. It depends only on these numbers and last week's days, which repeat from plan to
    plan, so it is worked out once per process for each (a batch plans thousands of weeks alike)."""
    best: tuple[tuple[Any, ...], tuple[int, ...], tuple[int, ...], int | None] | None = None
    for keep_fast in (True, False):
        for run_days in _run_day_sets(n_runs):
            fast_choices: list[int | None] = list(run_days) if (quality and keep_fast) else [None]
            for q_rank, q in enumerate(fast_choices):
                fast = (q,) if q is not None else ()
                for s in CANDIDATES[size]:
                    heavy = _pick(s, heavy_n)
                    if not _valid(s, heavy, fast, prev, gap):
                        continue
                    key = (len(set(s) - set(run_days)), -_min_gap(s), run_days != SPREAD[n_runs], q_rank, s)
                    if best is None or key < best[0]:
                        best = (key, s, run_days, q)
            if best is not None:
                break
        if best is not None:
            break
    if best is None:  # unreachable: with fast running left out, the empty layout always keeps every rule
        raise ValueError("no layout of the week keeps the rules")
    return best[1], best[2], best[3]


def _place_runs(runs: Sequence[RunPlan], run_days: tuple[int, ...], q: int | None, quality: list[int]) -> tuple[RunPlan, ...]:
    """The runs in day order: the fast one on its chosen day, a hill run as far from it as possible."""
    if not runs:
        return ()
    if q is None:
        plain = [r if not set(r.extras) & set(QUALITY) else _without_fast(r) for r in runs]
        return tuple(sorted(plain, key=lambda r: (not r.extras,)))
    order: list[RunPlan | None] = [None] * len(run_days)
    order[run_days.index(q)] = runs[quality[0]]
    rest = [r for k, r in enumerate(runs) if k != quality[0]]
    rest.sort(key=lambda r: not r.extras)  # the hill run first, into the slot furthest from q
    slots = sorted((k for k in range(len(run_days)) if order[k] is None), key=lambda k: -min(abs(run_days[k] - q), 7 - abs(run_days[k] - q)))
    for k, r in zip(slots, rest, strict=True):  # one free slot per run besides the fast one
        order[k] = r
    return tuple(r for r in order if r is not None)


def _without_fast(r: RunPlan) -> RunPlan:
    return RunPlan(r.kind, r.jog_minutes, r.walk_minutes, tuple(e for e in r.extras if e not in QUALITY), r.pattern)


def build_days(items: Sequence[Item], days: dict[int, tuple[int, ...]], runs: Sequence[RunSession], strides_id: str | None) -> tuple[Day, ...]:
    """The seven days, each with its sessions in the order they are done."""
    out: list[Day] = []
    placed = [(days[i], session_of(it.exercise), it.exercise.id) for i, it in enumerate(items)]
    for d in range(7):
        run = next((r for r in runs if r.day == d), None)
        groups: dict[str, list[str]] = {s: [] for s in SESSIONS}
        for on, session, ex_id in placed:
            if d in on:
                groups[session].append(ex_id)
        if run is not None:
            groups["run"].append(run.exercise)
            if "strides" in run.extras and strides_id:
                groups["run"].append(strides_id)
        out.append(Day(d, tuple((s, tuple(groups[s])) for s in SESSIONS if groups[s]), run))
    return tuple(out)
