"""A magnified view of a small prop beside a lone pose (a care item's ice pack or hot-water bottle).

A care card shows one pose drawn small, and a pack held under the thigh is only a few points
long; the callout repeats it larger in a ring beside the body, joined to it by a dotted line,
so the runner sees what to hold. Only poses drawn alone get one: a pair has no room for it.
"""
from __future__ import annotations

import math

from .carried import heat_waves
from .geometry import Box, Point, Prim, add, bounds_union, circle, line, unit
from .parts import PropGeom
from .style import PROP_LINE, WHITE

MAGNIFIED = ("ice-pack", "heat-pack")
ZOOM = 2.4
GAP = 0.9          # units between the body and the ring


def _moved(prim: Prim, centre: Point, to: Point, k: float) -> Prim:
    pts = tuple((to[0] + k * (x - centre[0]), to[1] + k * (y - centre[1])) for x, y in prim.pts)
    return Prim(prim.kind, pts, r=prim.r * k, stroke=prim.stroke, fill=prim.fill, width=prim.width * k,
                min_pt=prim.min_pt, cap=prim.cap)


def callout(geom: PropGeom, body: Box) -> list[Prim]:
    """The prop's shapes magnified in a ring to the right of the body box, with a dotted leader."""
    shapes = geom.back + geom.front
    if not shapes:
        return []
    bx = bounds_union(p.bounds() for p in shapes)
    centre = ((bx[0] + bx[2]) / 2, (bx[1] + bx[3]) / 2)
    radius = ZOOM * math.hypot(bx[2] - bx[0], bx[3] - bx[1]) / 2 + 0.25
    to = (body[2] + GAP + radius, max(radius + 0.15, centre[1]))
    ring = circle(to, radius, stroke=PROP_LINE, fill=WHITE, width=0.06, min_pt=0.7)
    u = unit(centre, to)
    start = add(centre, u, math.hypot(bx[2] - bx[0], bx[3] - bx[1]) / 2 + 0.1)
    end = add(to, u, -radius)
    n = max(2, int(math.dist(start, end) / 0.22))
    dots = [line([add(start, u, i * math.dist(start, end) / n), add(start, u, (i + 0.45) * math.dist(start, end) / n)],
                 PROP_LINE, 0.05, min_pt=0.6) for i in range(n)]
    magnified = [_moved(p, centre, to, ZOOM) for p in shapes]
    if geom.prop.kind == "heat-pack":   # warmth rising off the bottle
        top = max(p.bounds()[3] for p in magnified)
        magnified += heat_waves((to[0], min(top + 0.12, to[1] + radius * 0.45)), radius * 0.42)
    return dots + [ring] + magnified


def callouts(props: list[PropGeom], body: Box) -> list[Prim]:
    out: list[Prim] = []
    for g in props:
        if g.prop.kind in MAGNIFIED:
            out.extend(callout(g, body))
    return out
