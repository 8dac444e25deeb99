"""Vector maths and the shapes of a drawing in skeleton units (head-heights, floor at y = 0).

Nothing here knows about exercises: points, unit vectors, the primitive shapes the props and
the body are built from (`Prim`), and the outlines the tests measure contact against (`Outline`).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from .style import MIN_PROP_PT, PROP_FILL, PROP_LINE, PROP_W, Color

Point = tuple[float, float]
Box = tuple[float, float, float, float]        # (min x, min y, max x, max y)
Points = dict[str, Point]                      # named body points of one pose
PrimKind = Literal["line", "poly", "circle"]
OutlineKind = Literal["circle", "line", "poly"]


# ------------------------------------------------------------------ vectors
def unit(a: Point, b: Point, default: Point = (1.0, 0.0)) -> Point:
    """The unit vector from a to b (`default` when they coincide)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy)
    return (dx / n, dy / n) if n > 1e-9 else default


def sign(v: float) -> float:
    return -1.0 if v < 0 else 1.0


def add(p: Point, q: Point, k: float = 1.0) -> Point:
    """p + k q."""
    return (p[0] + k * q[0], p[1] + k * q[1])


def polar(degrees: float) -> Point:
    """The unit vector pointing `degrees` anticlockwise from the +x axis."""
    rad = math.radians(degrees)
    return (math.cos(rad), math.sin(rad))


def bounds_union(boxes: Iterable[Box]) -> Box:
    blist = list(boxes)
    return (min(b[0] for b in blist), min(b[1] for b in blist), max(b[2] for b in blist), max(b[3] for b in blist))


def seg_dist(p: Point, a: Point, b: Point) -> float:
    """Distance from p to the segment ab."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    n2 = dx * dx + dy * dy
    t = 0.0 if n2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / n2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def inside(p: Point, poly: Sequence[Point]) -> bool:
    """Whether p lies inside the closed polygon (even-odd rule)."""
    result = False
    n = len(poly)
    for i in range(n):
        (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % n]
        if (y0 > p[1]) != (y1 > p[1]) and p[0] < x0 + (p[1] - y0) * (x1 - x0) / (y1 - y0):
            result = not result
    return result


def ellipse_pts(c: Point, u: Point, a: float, b: float, n: int = 14) -> list[Point]:
    """n points round the ellipse centred on c with half-axis a along the unit vector u and b across it."""
    v = (-u[1], u[0])
    out = []
    for i in range(n):
        t = 2 * math.pi * i / n
        ca, sb = a * math.cos(t), b * math.sin(t)
        out.append((c[0] + ca * u[0] + sb * v[0], c[1] + ca * u[1] + sb * v[1]))
    return out


def stadium_pts(p: Point, q: Point, r: float, n: int = 8) -> list[Point]:
    """Outline of the set of points within r of segment pq (a band looped round both)."""
    d = (q[0] - p[0], q[1] - p[1])
    base = math.atan2(d[1], d[0]) if d != (0.0, 0.0) else 0.0
    out = []
    for centre, start in ((q, base - math.pi / 2), (p, base + math.pi / 2)):
        for i in range(n + 1):
            t = start + math.pi * i / n
            out.append((centre[0] + r * math.cos(t), centre[1] + r * math.sin(t)))
    return out


# ------------------------------------------------------------------ primitive shapes
@dataclass(frozen=True)
class Prim:
    """One shape in skeleton units; the drawing step scales it into ReportLab shapes."""

    kind: PrimKind                  # "line" (open polyline), "poly" (closed), "circle"
    pts: tuple[Point, ...]
    r: float = 0.0
    stroke: Color | None = None
    fill: Color | None = None
    width: float = 0.0              # units
    min_pt: float = 0.0             # floor on the stroke width, in points
    cap: int = 1

    def bounds(self) -> Box:
        half = self.width / 2 if self.stroke is not None else 0.0
        if self.kind == "circle":
            (x, y), = self.pts
            e = self.r + half
            return (x - e, y - e, x + e, y + e)
        xs = [p[0] for p in self.pts]
        ys = [p[1] for p in self.pts]
        return (min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half)


def line(pts: Iterable[Point], stroke: Color | None, width: float, min_pt: float = 0.0, cap: int = 1) -> Prim:
    return Prim("line", tuple(pts), stroke=stroke, width=width, min_pt=min_pt, cap=cap)


def poly(pts: Iterable[Point], stroke: Color | None = PROP_LINE, fill: Color | None = PROP_FILL,
         width: float = PROP_W, min_pt: float = MIN_PROP_PT) -> Prim:
    return Prim("poly", tuple(pts), stroke=stroke, fill=fill, width=width, min_pt=min_pt)


def rect(x0: float, y0: float, x1: float, y1: float, stroke: Color | None = PROP_LINE, fill: Color | None = PROP_FILL,
         width: float = PROP_W, min_pt: float = MIN_PROP_PT) -> Prim:
    return poly([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], stroke=stroke, fill=fill, width=width, min_pt=min_pt)


def circle(c: Point, r: float, stroke: Color | None = PROP_LINE, fill: Color | None = PROP_FILL,
           width: float = PROP_W, min_pt: float = MIN_PROP_PT) -> Prim:
    return Prim("circle", (c,), r=r, stroke=stroke, fill=fill, width=width, min_pt=min_pt)


def oriented_rect(c: Point, u: Point, length: float, thick: float, stroke: Color | None = PROP_LINE,
                  fill: Color | None = PROP_FILL, width: float = PROP_W, min_pt: float = MIN_PROP_PT) -> Prim:
    """A rectangle centred on c, `length` along the unit vector u and `thick` across it."""
    v = (-u[1], u[0])
    hl, ht = length / 2, thick / 2
    pts = [(c[0] + a * hl * u[0] + b * ht * v[0], c[1] + a * hl * u[1] + b * ht * v[1]) for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
    return poly(pts, stroke=stroke, fill=fill, width=width, min_pt=min_pt)


# ------------------------------------------------------------------ outlines
@dataclass(frozen=True)
class Outline:
    """Part of a prop's outline: a circle, an open line or a closed polygon.

    `solid` outlines (a held weight, a partner's hand, a wrap) count a body point inside them
    as touching; the others (a chair seat, a ball) must be touched at their edge.
    """

    kind: OutlineKind
    pts: tuple[Point, ...]
    r: float = 0.0
    solid: bool = False

    def distance(self, p: Point) -> float:
        """Distance from p to this outline (0 inside a solid one)."""
        if self.kind == "circle":
            (cx, cy), = self.pts
            d = math.hypot(p[0] - cx, p[1] - cy)
            return 0.0 if self.solid and d <= self.r else abs(d - self.r)
        pts = list(self.pts) + ([self.pts[0]] if self.kind == "poly" else [])
        best = min(seg_dist(p, a, b) for a, b in pairwise(pts))
        if self.solid and self.kind == "poly" and inside(p, self.pts):
            return 0.0
        return best
