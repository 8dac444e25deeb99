"""Cues: marks for what a still picture cannot show.

`press` (an isometric hold: push and keep still): a short solid arrow pointing the way the body
point pushes, its tip just short of the point, and two pairs of pressure marks fanning out from
where it presses. The arrow leans up to 30 degrees off the push direction when that keeps it
clear of the limbs around the point (a heel has the shin on one side and the foot on the other).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ...model.figure import Cue
from ...pose import HEAD_R
from .body import half_width, segments
from .geometry import Point, Points, Prim, add, line, polar, poly, seg_dist
from .style import ARROW_INK, WHITE

ARROW_LEN = 0.95          # units, tail to tip
HEAD_LEN = 0.42
HEAD_HALF = 0.24
SHAFT_W = 0.14
GAP = 0.16                # between the tip and the limb's edge
MARK_LEN = 0.3
MARK_FROM = 0.4          # marks start this far from where the point presses, clear of a hand on it
MARK_W = 0.09
TILTS = (0.0, -15.0, 15.0, -30.0, 30.0)
CLEAR_ENOUGH = 0.12       # units of clearance that keep the arrow on the push direction itself


@dataclass(frozen=True)
class CueGeom:
    """One cue in skeleton units: its shapes, and its arrow and marks for the layout."""

    cue: Cue
    prims: tuple[Prim, ...]
    tail: Point
    tip: Point
    marks: tuple[tuple[Point, Point], ...]


def _clearance(pts: Points, a: Point, b: Point) -> float:
    """Smallest distance from the segment ab to the drawn edge of any limb, the trunk or the head."""
    samples = [(a[0] + (b[0] - a[0]) * i / 8, a[1] + (b[1] - a[1]) * i / 8) for i in range(9)]
    best = min(math.dist(p, pts["head"]) - HEAD_R for p in samples)
    for s0, s1 in segments(pts):
        best = min(best, min(seg_dist(p, pts[s0], pts[s1]) for p in samples) - half_width(s1))
    return best - SHAFT_W / 2


def press(cue: Cue, pts: Points) -> CueGeom:
    p = pts[cue.at]
    r = half_width(cue.at)
    u = polar(cue.direction)
    choices = []
    for tilt in TILTS:
        w = polar(cue.direction + tilt)
        tip = add(p, w, -(r + GAP))
        tail = add(tip, w, -ARROW_LEN)
        choices.append((_clearance(pts, tail, add(tip, w, -HEAD_LEN / 2)), tilt, tail, tip, w))
    straight = choices[0]
    best = straight if straight[0] >= CLEAR_ENOUGH else max(choices, key=lambda c: (round(c[0], 6), -abs(c[1])))
    _, _, tail, tip, w = best
    n = (-w[1], w[0])
    base = add(tip, w, -HEAD_LEN)
    shaft_end = add(tip, w, -HEAD_LEN * 0.8)
    head = [tip, add(base, n, HEAD_HALF), add(base, n, -HEAD_HALF)]
    # pressure marks: either side of where the point presses, fanning back from the push
    contact = add(p, u, r)
    marks = []
    for side in (1.0, -1.0):
        for ang in (50.0, 85.0):
            d = polar(cue.direction + 180.0 + side * ang)
            start = add(contact, d, MARK_FROM)
            mark = (start, add(start, d, MARK_LEN))
            if _clearance(pts, *mark) > 0.0:      # a mark across a limb would read as part of it
                marks.append(mark)
    prims = (
        line([tail, shaft_end], WHITE, SHAFT_W + 0.12, min_pt=2.6),
        line([tail, shaft_end], ARROW_INK, SHAFT_W, min_pt=1.4, cap=0),
        poly(head, stroke=WHITE, fill=ARROW_INK, width=0.04, min_pt=0.5),
        *(line(m, ARROW_INK, MARK_W, min_pt=0.9) for m in marks),
    )
    return CueGeom(cue, prims, tail, tip, tuple(marks))


def build_cues(cues: tuple[Cue, ...], pts: Points) -> list[CueGeom]:
    return [press(c, pts) for c in cues if c.kind == "press"]
