"""Stick-figure drawings of exercise poses, one consistent style for every card.

The pose's points come from `hamrehab.pose`. This module works in two steps:

1. geometry, in skeleton units with the floor at y = 0: where each body point is, where
   each prop stands (a prop the body rests on reaches down to the floor, and the body is
   lifted when needed so the prop fits under it), and the path of the movement arrow;
2. drawing: both poses at one common scale, side by side in the box, with a label under
   each, turned into ReportLab shapes.

`figure_layout` returns the result of step 1 in the drawing's coordinates (points), so the
tests can check where props are and what touches them; `figure_drawing` returns the
`Drawing` the PDF renderer places on each exercise card.

Style: near-side limbs dark and thick, far-side limbs light grey, a solid head, props in
mid grey with a pale fill, a dashed blue arrow with a solid head (the dashes keep it apart
from the limbs when printed in grey).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.graphics.shapes import Circle, Drawing, PolyLine, Polygon, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..model import Figure, Pose, Prop
from ..pose import HEAD_R, interpolated_points, raw_points

Point = tuple[float, float]
Box = tuple[float, float, float, float]

# ------------------------------------------------------------------ style
INK = colors.Color(0.10, 0.10, 0.12)          # trunk, head, near-side limbs
FAR_INK = colors.Color(0.63, 0.63, 0.66)      # far-side limbs
PROP_LINE = colors.Color(0.32, 0.32, 0.35)
PROP_FILL = colors.Color(0.89, 0.89, 0.91)
PROP_LIGHT = colors.Color(0.96, 0.96, 0.97)
WEIGHT = colors.Color(0.28, 0.28, 0.30)
PARTNER = colors.Color(0.50, 0.50, 0.53)         # a helper's hand and forearm
PARTNER_SLEEVE = colors.Color(0.72, 0.72, 0.75)
BAND = colors.Color(0.40, 0.40, 0.43)
FLOOR_INK = colors.Color(0.38, 0.38, 0.40)
ARROW_INK = colors.Color(0.0, 0.40, 0.76)
WATER_FILL = colors.Color(0.88, 0.93, 0.98)
WATER_LINE = colors.Color(0.30, 0.52, 0.76)
WHITE = colors.white

# Widths in skeleton units (scaled with the figure).
NEAR_W = 0.34
FAR_W = 0.30
TRUNK_W = 0.52
PROP_W = 0.08
MIN_PROP_PT = 0.6      # thin prop outlines never go below this many points
FONT = "Helvetica"
PAD = 2.0              # points kept clear inside the box edge

# Props the body rests on: they stand on the floor, which is lowered under them when needed.
SUPPORTS = ("chair", "bench", "step", "ball", "roller", "bike")
# Props whose contact point stays put during the movement (used to align start with end).
FIXED_CONTACTS = ("chair", "bench", "step", "bike", "wall", "partner")
# Smallest height (units) each support may have; a body point lower than this lifts the body.
MIN_SUPPORT_H = {"chair": 1.2, "bench": 1.0, "step": 0.55, "ball": 1.8, "roller": 0.55}
FLOOR_CONTACT = 0.22   # a point this close to the floor (past its stroke) rests on it
LONE_POSE_MAX_H = 6.0  # units: a single pose is drawn no larger than this tall in the box


# ------------------------------------------------------------------ primitives
@dataclass(frozen=True)
class _Prim:
    """One shape in skeleton units; `_to_shape` scales it into the drawing."""

    kind: str                       # "line" (open polyline), "poly" (closed), "circle"
    pts: tuple[Point, ...]
    r: float = 0.0
    stroke: object = None
    fill: object = None
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


def _line(pts, stroke, width, min_pt=0.0, cap=1) -> _Prim:
    return _Prim("line", tuple(pts), stroke=stroke, width=width, min_pt=min_pt, cap=cap)


def _poly(pts, stroke=PROP_LINE, fill=PROP_FILL, width=PROP_W, min_pt=MIN_PROP_PT) -> _Prim:
    return _Prim("poly", tuple(pts), stroke=stroke, fill=fill, width=width, min_pt=min_pt)


def _rect(x0, y0, x1, y1, **kw) -> _Prim:
    return _poly([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], **kw)


def _circle(c, r, stroke=PROP_LINE, fill=PROP_FILL, width=PROP_W, min_pt=MIN_PROP_PT) -> _Prim:
    return _Prim("circle", (c,), r=r, stroke=stroke, fill=fill, width=width, min_pt=min_pt)


def _oriented_rect(c: Point, u: Point, length: float, thick: float, **kw) -> _Prim:
    """A rectangle centred on c, `length` along the unit vector u and `thick` across it."""
    v = (-u[1], u[0])
    hl, ht = length / 2, thick / 2
    pts = [(c[0] + a * hl * u[0] + b * ht * v[0], c[1] + a * hl * u[1] + b * ht * v[1]) for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
    return _poly(pts, **kw)


def _ellipse_pts(c: Point, u: Point, a: float, b: float, n: int = 14) -> list[Point]:
    v = (-u[1], u[0])
    out = []
    for i in range(n):
        t = 2 * math.pi * i / n
        ca, sb = a * math.cos(t), b * math.sin(t)
        out.append((c[0] + ca * u[0] + sb * v[0], c[1] + ca * u[1] + sb * v[1]))
    return out


def _stadium_pts(p: Point, q: Point, r: float, n: int = 8) -> list[Point]:
    """Outline of the set of points within r of segment pq (a band looped round both)."""
    d = (q[0] - p[0], q[1] - p[1])
    base = math.atan2(d[1], d[0]) if d != (0.0, 0.0) else 0.0
    out = []
    for centre, start in ((q, base - math.pi / 2), (p, base + math.pi / 2)):
        for i in range(n + 1):
            t = start + math.pi * i / n
            out.append((centre[0] + r * math.cos(t), centre[1] + r * math.sin(t)))
    return out


def _unit(a: Point, b: Point, default: Point = (1.0, 0.0)) -> Point:
    dx, dy = b[0] - a[0], b[1] - a[1]
    n = math.hypot(dx, dy)
    return (dx / n, dy / n) if n > 1e-9 else default


def _sign(v: float) -> float:
    return -1.0 if v < 0 else 1.0


def _add(p: Point, q: Point, k: float = 1.0) -> Point:
    return (p[0] + k * q[0], p[1] + k * q[1])


def _bounds_union(boxes) -> Box:
    boxes = list(boxes)
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


# ------------------------------------------------------------------ public layout types
@dataclass(frozen=True)
class Outline:
    """Part of a prop's outline in drawing coordinates: a circle, an open line or a closed polygon.

    `solid` outlines (a held weight, a partner's hand, a wrap) count a body point inside them
    as touching; the others (a chair seat, a ball) must be touched at their edge.
    """

    kind: str                     # "circle" | "line" | "poly"
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
        best = min(_seg_dist(p, a, b) for a, b in zip(pts, pts[1:]))
        if self.solid and self.kind == "poly" and _inside(p, self.pts):
            return 0.0
        return best


def _seg_dist(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    n2 = dx * dx + dy * dy
    t = 0.0 if n2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / n2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _inside(p: Point, poly) -> bool:
    inside = False
    n = len(poly)
    for i in range(n):
        (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % n]
        if (y0 > p[1]) != (y1 > p[1]) and p[0] < x0 + (p[1] - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


@dataclass(frozen=True)
class PropPlacement:
    """Where one prop of one pose is drawn, in the drawing's coordinates (points)."""

    kind: str
    at: str | None
    body_point: Point | None      # where the body point it touches is drawn
    outline: tuple[Outline, ...]  # the edges the body point should touch
    bounds: Box
    supports: bool                # the body rests on it: it stands on the floor

    @property
    def gap(self) -> float:
        """Distance from the body point to the prop's outline (0 when there is no body point)."""
        if self.body_point is None or not self.outline:
            return 0.0
        return min(o.distance(self.body_point) for o in self.outline)


@dataclass(frozen=True)
class PoseLayout:
    """One pose as drawn: its half of the box, the floor line, body points and props."""

    cell: Box
    floor_y: float
    points: dict[str, Point]
    props: tuple[PropPlacement, ...]
    label: tuple[str, ...]


@dataclass(frozen=True)
class FigureLayout:
    width: float
    height: float
    scale: float                  # points per skeleton unit, the same for every pose
    limb_width: float             # near-side limb stroke, points
    font_name: str
    font_size: float
    poses: tuple[PoseLayout, ...]
    arrow: tuple[Point, ...] | None   # the arrow's path in the end picture, points


# ------------------------------------------------------------------ one pose in units
def _half_width(name: str) -> float:
    if name == "head":
        return HEAD_R
    if name in ("hip", "shoulder"):
        return TRUNK_W / 2
    return (NEAR_W if name.startswith("near.") else FAR_W) / 2


def _contact_half_width(name: str) -> float:
    """How far below a point a surface it rests on lies (a seat under the hip: the thigh's edge)."""
    return NEAR_W / 2 if name in ("hip", "shoulder") else _half_width(name)


@dataclass
class _PropGeom:
    prop: Prop
    back: list            # prims drawn behind the body
    front: list           # prims drawn in front of the body
    outline: list         # Outline in units
    supports: bool = False


@dataclass
class _Placed:
    pose: Pose
    pts: dict[str, Point]         # floor-relative units
    props: list
    contacts: set

    def bounds(self) -> Box:
        boxes = [(x - _half_width(n), y - _half_width(n), x + _half_width(n), y + _half_width(n)) for n, (x, y) in self.pts.items()]
        for g in self.props:
            boxes.extend(p.bounds() for p in g.back + g.front)
        x0, y0, x1, y1 = _bounds_union(boxes)
        return (x0, min(y0, 0.0), x1, y1)


def _pedal(pts, side: str) -> Point:
    heel, toe = pts[f"{side}.heel"], pts[f"{side}.toe"]
    return (heel[0] + 0.6 * (toe[0] - heel[0]), heel[1] + 0.6 * (toe[1] - heel[1]))


def _floor_level(pose: Pose, raw: dict[str, Point]) -> float:
    """The floor's y in raw units: under the lowest body edge, or lower so every support fits."""
    body_low = min(y - _half_width(n) for n, (x, y) in raw.items())
    floor = body_low
    for prop in pose.props:
        if prop.kind == "water":
            floor = min(floor, body_low - 0.9)     # afloat: the pool's floor is below the feet
        if prop.at is None:
            continue
        y = raw[prop.at][1] - _contact_half_width(prop.at)
        if prop.kind in MIN_SUPPORT_H:
            floor = min(floor, y - MIN_SUPPORT_H[prop.kind])
        elif prop.kind == "bike":
            low_pedal = min(_pedal(raw, "near")[1], _pedal(raw, "far")[1])
            centre = (_pedal(raw, "near")[1] + _pedal(raw, "far")[1]) / 2
            floor = min(floor, low_pedal - 0.55, centre - 1.45)
    return floor


def _place(pose: Pose) -> _Placed:
    raw = raw_points(pose)
    floor = _floor_level(pose, raw)
    pts = {n: (x, y - floor) for n, (x, y) in raw.items()}
    placed = _Placed(pose, pts, [], set())
    placed.props = _props(pose, pts)
    contacts = {n for n, (x, y) in pts.items() if y - _half_width(n) < FLOOR_CONTACT and not any(p.kind == "water" for p in pose.props)}
    contacts |= {p.at for p in pose.props if p.at and p.kind in FIXED_CONTACTS}
    placed.contacts = contacts
    return placed


# ------------------------------------------------------------------ props in units
def _towards_body(pts, at: str) -> float:
    """+1 when the rest of the body lies to the right of the point `at` (for the hip: the knees), else -1."""
    if at == "hip":
        return _sign(pts["near.knee"][0] - pts["hip"][0])
    return _sign(pts["hip"][0] - pts[at][0])


def _chair(prop: Prop, pts) -> _PropGeom:
    x, y = pts[prop.at]
    top = y - _contact_half_width(prop.at)
    d = _towards_body(pts, prop.at)
    front = x + d * (0.95 if prop.at == "hip" else 0.3)
    back = front - d * 1.75
    seat = _rect(min(front, back), top - 0.24, max(front, back), top)
    shapes = [
        _line([(front - d * 0.14, top - 0.2), (front - d * 0.14, 0.0)], PROP_LINE, 0.13, min_pt=0.9, cap=0),
        _line([(back + d * 0.14, top - 0.2), (back + d * 0.14, 0.0)], PROP_LINE, 0.13, min_pt=0.9, cap=0),
        _line([(back + d * 0.1, top), (back - d * 0.08, top + 1.9)], PROP_LINE, 0.15, min_pt=1.0),
        _oriented_rect(_add((back, top + 1.45), (-d * 0.06, 0)), _unit((back + d * 0.1, top), (back - d * 0.08, top + 1.9)), 0.85, 0.3),
        seat,
    ]
    return _PropGeom(prop, shapes, [], [Outline("poly", seat.pts)], supports=True)


def _bench(prop: Prop, pts) -> _PropGeom:
    x, y = pts[prop.at]
    top = y - _contact_half_width(prop.at)
    d = _towards_body(pts, prop.at)
    front = x + d * (0.85 if prop.at == "hip" else 0.3)
    back = front - d * 2.8
    lo, hi = min(front, back), max(front, back)
    pad = _rect(lo, top - 0.32, hi, top)
    legs = [_poly([(lx - 0.07, top - 0.32), (lx + 0.07, top - 0.32), (lx + 0.16, 0.0), (lx - 0.16, 0.0)], fill=PROP_LINE)
            for lx in (lo + 0.45, hi - 0.45)]
    return _PropGeom(prop, legs + [pad], [], [Outline("poly", pad.pts)], supports=True)


def _step(prop: Prop, pts) -> _PropGeom:
    x, y = pts[prop.at]
    top = y - _contact_half_width(prop.at)
    if prop.at.endswith((".heel", ".toe")):
        side = prop.at.split(".")[0]
        hx, tx = pts[f"{side}.heel"][0], pts[f"{side}.toe"][0]
        lo, hi = min(hx, tx, x - 0.7) - 0.25, max(hx, tx, x + 0.7) + 0.25
    else:
        lo, hi = x - 0.75, x + 0.75
    box = _rect(lo, 0.0, hi, top)
    edge = _line([(lo, top), (hi, top)], PROP_LINE, 0.12, min_pt=1.0, cap=0)
    return _PropGeom(prop, [box, edge], [], [Outline("poly", box.pts)], supports=True)


def _ball(prop: Prop, pts) -> _PropGeom:
    x, y = pts[prop.at]
    r = (y - _contact_half_width(prop.at)) / 2
    ball = _circle((x, r), r, fill=PROP_LIGHT, width=0.1, min_pt=0.9)
    shine = [(x + 0.68 * r * math.cos(math.radians(a)), r + 0.68 * r * math.sin(math.radians(a))) for a in range(105, 170, 8)]
    return _PropGeom(prop, [ball, _line(shine, PROP_FILL, 0.12, min_pt=0.8)], [], [Outline("circle", ((x, r),), r)], supports=True)


def _roller(prop: Prop, pts) -> _PropGeom:
    x, y = pts[prop.at]
    r = (y - _contact_half_width(prop.at)) / 2
    return _PropGeom(prop, [_circle((x, r), r, fill=PROP_FILL), _circle((x, r), 0.42 * r, fill=PROP_LIGHT)], [],
                     [Outline("circle", ((x, r),), r)], supports=True)


def _wall(prop: Prop, pts, top: float) -> _PropGeom:
    x, y = pts[prop.at]
    d = -_towards_body(pts, prop.at) if prop.at != "hip" else 1.0
    face = x + d * _contact_half_width(prop.at)
    thick = 0.45
    slab = _rect(min(face, face + d * thick), 0.0, max(face, face + d * thick), top, stroke=None, fill=PROP_FILL)
    edge = _line([(face, 0.0), (face, top)], PROP_LINE, 0.12, min_pt=1.0, cap=0)
    return _PropGeom(prop, [slab, edge], [], [Outline("line", ((face, 0.0), (face, top)))])


def _forearm_dir(pts, at: str) -> Point:
    side = at.split(".")[0] if "." in at else "near"
    return _unit(pts[f"{side}.elbow"], pts[f"{side}.hand"], (0.0, -1.0))


def _weight(prop: Prop, pts) -> _PropGeom:
    p = pts[prop.at]
    u = _forearm_dir(pts, prop.at) if prop.at.endswith(".hand") else (0.0, -1.0)
    v = (-u[1], u[0])
    if prop.kind == "dumbbell":
        bar = _line([_add(p, v, -0.42), _add(p, v, 0.42)], WEIGHT, 0.12, min_pt=1.0)
        plates = [_oriented_rect(_add(p, v, k * 0.42), u, 0.62, 0.22, stroke=WEIGHT, fill=WEIGHT, width=0.04) for k in (-1, 1)]
        shapes = [bar] + plates
        outline = [Outline("line", bar.pts, solid=True)] + [Outline("poly", pl.pts, solid=True) for pl in plates]
        return _PropGeom(prop, [], shapes, outline)
    if prop.kind == "kettlebell":
        handle = _circle(_add(p, u, 0.12), 0.2, stroke=WEIGHT, fill=None, width=0.09, min_pt=0.9)
        bell = _circle(_add(p, u, 0.62), 0.38, stroke=WEIGHT, fill=WEIGHT, width=0.04)
        return _PropGeom(prop, [], [handle, bell], [Outline("circle", handle.pts, 0.2, solid=True), Outline("circle", bell.pts, 0.38, solid=True)])
    # barbell: the near plate seen end on, the hand on the bar at its centre
    plate = _circle(p, 0.8, stroke=WEIGHT, fill=PROP_FILL, width=0.1, min_pt=0.9)
    hub = _circle(p, 0.14, stroke=WEIGHT, fill=WEIGHT, width=0.04)
    return _PropGeom(prop, [plate, hub], [], [Outline("circle", (p,), 0.8, solid=True)])


def _segments(pts) -> list[tuple[str, str]]:
    segs = [("hip", "shoulder")]
    for side in ("near", "far"):
        segs += [("hip", f"{side}.knee"), (f"{side}.knee", f"{side}.heel"), (f"{side}.heel", f"{side}.toe"),
                 ("shoulder", f"{side}.elbow"), (f"{side}.elbow", f"{side}.hand")]
    return segs


def _nearest_segment(pts, at: str) -> tuple[Point, Point, Point]:
    """The body segment nearest the point `at`, not one of the point's own: (start, end, foot of the perpendicular)."""
    p = pts[at]
    side = at.split(".")[0] if "." in at else None
    own = {f"{side}.elbow", f"{side}.hand"} if at.endswith((".hand", ".elbow")) else {at}
    best = None
    for a, b in _segments(pts):
        if a in own or b in own:
            continue
        pa, pb = pts[a], pts[b]
        dx, dy = pb[0] - pa[0], pb[1] - pa[1]
        n2 = dx * dx + dy * dy
        if n2 < 1e-9:
            continue
        t = max(0.1, min(0.9, ((p[0] - pa[0]) * dx + (p[1] - pa[1]) * dy) / n2))
        q = (pa[0] + t * dx, pa[1] + t * dy)
        dist = math.hypot(p[0] - q[0], p[1] - q[1])
        if best is None or dist < best[0]:
            best = (dist, pa, pb, q)
    return best[1], best[2], best[3]


def _cloth(prop: Prop, pts) -> _PropGeom:
    """Towel, pack or wrap: a small pad at the point, laid along the nearest part of the body."""
    p = pts[prop.at]
    if prop.kind == "towel" and prop.at.endswith((".heel", ".toe")) and p[1] - _half_width(prop.at) < FLOOR_CONTACT:
        side = prop.at.split(".")[0]
        hx, tx = pts[f"{side}.heel"][0], pts[f"{side}.toe"][0]
        pad = _rect(min(hx, tx) - 0.35, 0.0, max(hx, tx) + 0.35, 0.16, fill=PROP_FILL, width=0.07)
        return _PropGeom(prop, [pad], [], [Outline("poly", pad.pts, solid=True)])
    a, b, q = _nearest_segment(pts, prop.at)
    u = _unit(a, b)
    gap = math.hypot(p[0] - q[0], p[1] - q[1])
    if prop.kind == "wrap":
        # an elastic bandage round the limb, where the hand holds it
        thick = NEAR_W + 0.22
        centre = q
        band = _oriented_rect(centre, u, 1.1, thick, stroke=PROP_LINE, fill=PROP_LIGHT, width=0.06)
        v = (-u[1], u[0])
        stripes = [_line([_add(_add(centre, u, k - 0.12), v, -thick / 2), _add(_add(centre, u, k + 0.12), v, thick / 2)], PROP_LINE, 0.05, min_pt=0.5)
                   for k in (-0.36, -0.12, 0.12, 0.36)]
        outline = [Outline("poly", band.pts, solid=True)]
        if gap > thick / 2 + 0.05:   # the hand holds the free end of the bandage
            tail = _line([_add(centre, v, _sign((p[0] - q[0]) * v[0] + (p[1] - q[1]) * v[1]) * thick / 2), p], PROP_LINE, 0.1, min_pt=0.8)
            stripes.append(tail)
            outline.append(Outline("line", tail.pts, solid=True))
        return _PropGeom(prop, [], [band] + stripes, outline)
    # pack or towel on the body: between the hand and the limb when they are close
    if gap < 0.9:
        centre = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
        thick = max(0.32, gap + 0.12)
    else:
        centre, thick = p, 0.36
    fill = PROP_FILL if prop.kind == "pack" else PROP_LIGHT
    pad = _oriented_rect(centre, u, 1.0, thick, stroke=PROP_LINE, fill=fill, width=0.07)
    return _PropGeom(prop, [], [pad], [Outline("poly", pad.pts, solid=True)])


def _strap(prop: Prop, pts, hand: str, foot: str) -> _PropGeom:
    """A towel or band held in the hand and looped round the sole of the foot."""
    side = foot.split(".")[0]
    heel, toe = pts[f"{side}.heel"], pts[f"{side}.toe"]
    u = _unit(heel, toe)
    n = (u[1], -u[0])                      # the sole side: away from the shin
    knee = pts[f"{side}.knee"]
    if (knee[0] - heel[0]) * n[0] + (knee[1] - heel[1]) * n[1] > 0:
        n = (-n[0], -n[1])
    sole_back = _add(_add(toe, u, -0.4), n, 0.14)
    sole_front = _add(_add(toe, u, 0.02), n, 0.14)
    over = _add(_add(toe, u, 0.14), n, -0.1)
    h = pts[hand]
    width = 0.16 if prop.kind == "towel" else 0.1
    strap = _line([h, sole_back, sole_front, over], BAND if prop.kind == "band" else PROP_LINE, width, min_pt=0.9)
    return _PropGeom(prop, [], [strap], [Outline("line", strap.pts, solid=True)])


def _loop(prop: Prop, pts, drawn: set) -> _PropGeom:
    """A loop band round the point, and round the other leg's matching point when it is close."""
    at = prop.at
    p = pts[at]
    other = None
    if "." in at:
        side, joint = at.split(".")
        other = f"{'far' if side == 'near' else 'near'}.{joint}"
    r = NEAR_W / 2 + 0.07
    if other is not None and 0.05 < math.dist(p, pts[other]) < 2.5:
        key = frozenset((at, other))
        loop = _poly(_stadium_pts(p, pts[other], r), stroke=BAND, fill=None, width=0.11, min_pt=0.9)
        shapes = [] if key in drawn else [loop]
        drawn.add(key)
        return _PropGeom(prop, [], shapes, [Outline("poly", loop.pts, solid=True)])
    # round one limb: across the segment that ends at the point
    parent = {"knee": "hip", "heel": "knee", "toe": "heel", "hand": "elbow", "elbow": "shoulder"}
    joint = at.split(".")[-1]
    if "." in at and joint in parent:
        up = parent[joint]
        base = pts[up if up in ("hip", "shoulder") else f"{at.split('.')[0]}.{up}"]
    else:
        base = (p[0], p[1] + 1.0)
    u = _unit(p, base, (0.0, 1.0))
    ring = _poly(_ellipse_pts(_add(p, u, 0.12), (-u[1], u[0]), r + 0.06, 0.12), stroke=BAND, fill=None, width=0.11, min_pt=0.9)
    return _PropGeom(prop, [], [ring], [Outline("poly", ring.pts, solid=True)])


def _partner(prop: Prop, pts) -> _PropGeom:
    """A helper's forearm and hand holding the point (the heels in a Nordic curl)."""
    p = pts[prop.at]
    side = prop.at.split(".")[0] if "." in prop.at else "near"
    knee = pts.get(f"{side}.knee", pts["hip"])
    if prop.at.endswith((".heel", ".toe")) and p[1] > knee[1] + 0.8:
        ang = 150.0 if pts["hip"][0] < p[0] else 30.0      # heel up: the hand blocks it from the buttock side
    else:
        ang = 105.0 if pts["hip"][0] > p[0] else 75.0      # pressing down from above, leaning away from the body
    u = (math.cos(math.radians(ang)), math.sin(math.radians(ang)))
    forearm = _line([_add(p, u, 1.2), _add(p, u, 0.3)], PARTNER, 0.4, min_pt=2.0)
    sleeve = _oriented_rect(_add(p, u, 1.6), u, 0.8, 0.56, stroke=WHITE, fill=PARTNER_SLEEVE, width=0.06, min_pt=0.5)
    hand = _poly(_ellipse_pts(_add(p, u, 0.08), u, 0.34, 0.3), stroke=WHITE, fill=PARTNER, width=0.06, min_pt=0.6)
    return _PropGeom(prop, [], [forearm, sleeve, hand], [Outline("poly", hand.pts, solid=True)])


def _bike(prop: Prop, pts) -> _PropGeom:
    hip = pts[prop.at]
    pn, pf = _pedal(pts, "near"), _pedal(pts, "far")
    c = ((pn[0] + pf[0]) / 2, (pn[1] + pf[1]) / 2)
    if math.dist(pn, pf) < 0.4:
        c = (pn[0], pn[1] - 0.6)
    saddle_y = hip[1] - _contact_half_width(prop.at)
    saddle = _line([(hip[0] - 0.5, saddle_y - 0.09), (hip[0] + 0.35, saddle_y - 0.09)], WEIGHT, 0.2, min_pt=1.2)
    post = _line([(hip[0] - 0.05, saddle_y - 0.15), c], PROP_LINE, 0.17, min_pt=1.2)
    hand = pts["near.hand"]
    if hand[0] > c[0] + 0.5 and hand[1] > c[1]:
        head = (hand[0] - 0.35, hand[1] - 0.45)
        bars = [_line([c, head, hand], PROP_LINE, 0.17, min_pt=1.2)]
    else:
        head = (c[0] + 1.4, saddle_y)
        bars = [_line([c, head, (head[0] + 0.35, head[1] + 0.15)], PROP_LINE, 0.17, min_pt=1.2)]
    fly = (c[0] + 1.25, max(c[1] - 0.1, 0.9))
    wheel = _circle(fly, 0.75, fill=PROP_FILL, width=0.1)
    base_y = 0.1
    base = _line([(c[0] - 1.5, base_y), (fly[0] + 1.0, base_y)], PROP_LINE, 0.2, min_pt=1.2, cap=1)
    struts = [_line([c, (c[0] - 1.0, base_y)], PROP_LINE, 0.15, min_pt=1.0), _line([fly, (fly[0] + 0.55, base_y)], PROP_LINE, 0.15, min_pt=1.0)]
    cranks = [_line([c, pf], PROP_LINE, 0.12, min_pt=1.0), _line([c, pn], WEIGHT, 0.12, min_pt=1.0)]
    hub = _circle(c, 0.16, stroke=WEIGHT, fill=PROP_LIGHT, width=0.06)
    pedals = [_line([_add(q, (-0.18, 0)), _add(q, (0.18, 0))], WEIGHT, 0.1, min_pt=1.0) for q in (pf, pn)]
    back = [wheel, base] + struts + [post] + bars + [cranks[0], pedals[0], hub, cranks[1]]
    outline = [Outline("line", saddle.pts), Outline("line", cranks[0].pts, solid=True), Outline("line", cranks[1].pts, solid=True)]
    return _PropGeom(prop, back, [saddle, pedals[1]], outline, supports=True)


def _water(prop: Prop, pts, x0: float, x1: float) -> _PropGeom:
    level = pts[prop.at][1] + 0.1
    fill = _rect(x0, 0.0, x1, level, stroke=None, fill=WATER_FILL)
    wave = []
    n = max(8, int((x1 - x0) / 0.2))
    for i in range(n + 1):
        x = x0 + (x1 - x0) * i / n
        wave.append((x, level + 0.07 * math.sin((x - x0) / 0.8 * 2 * math.pi)))
    return _PropGeom(prop, [fill, _line(wave, WATER_LINE, 0.08, min_pt=0.8)], [], [Outline("line", tuple(wave))])


def _props(pose: Pose, pts) -> list[_PropGeom]:
    xs = [p[0] for p in pts.values()]
    ys = [p[1] for p in pts.values()]
    body_top = max(ys) + HEAD_R
    out: list[_PropGeom] = []
    loops: set = set()
    held = [p for p in pose.props if p.kind in ("towel", "band") and p.at and p.at.endswith(".hand")]
    for prop in pose.props:
        k = prop.kind
        if k == "floor" or prop.at is None:
            continue
        if k == "chair":
            out.append(_chair(prop, pts))
        elif k == "bench":
            out.append(_bench(prop, pts))
        elif k == "step":
            out.append(_step(prop, pts))
        elif k == "ball":
            out.append(_ball(prop, pts))
        elif k == "roller":
            out.append(_roller(prop, pts))
        elif k == "wall":
            out.append(_wall(prop, pts, max(body_top + 0.3, 3.0)))
        elif k in ("dumbbell", "kettlebell", "barbell"):
            out.append(_weight(prop, pts))
        elif k in ("towel", "band") and prop.at.endswith((".heel", ".toe")) and held:
            out.append(_strap(prop, pts, held[0].at, prop.at))
        elif k in ("towel", "band") and prop.at.endswith(".hand"):
            foot = next((p for p in pose.props if p.kind in ("towel", "band") and p.at and p.at.endswith((".heel", ".toe"))), None)
            if foot:   # the same strap as the foot's: drawn once, touched by both
                strap = _strap(prop, pts, prop.at, foot.at)
                out.append(_PropGeom(prop, [], [], strap.outline))
            else:
                out.append(_cloth(prop, pts) if k == "towel" else _loop(prop, pts, loops))
        elif k in ("towel", "pack", "wrap"):
            out.append(_cloth(prop, pts))
        elif k in ("loop-band", "band"):
            out.append(_loop(prop, pts, loops))
        elif k == "partner":
            out.append(_partner(prop, pts))
        elif k == "bike":
            out.append(_bike(prop, pts))
        elif k == "water":
            out.append(_water(prop, pts, min(xs) - 1.0, max(xs) + 1.0))
    return out


# ------------------------------------------------------------------ the movement arrow
ARROW_STEPS = 14


def _arrow_path(figure: Figure, start: _Placed, end: _Placed) -> list[Point] | None:
    """The arrow point's path from its start to its end position, in the end pose's units.

    The start pose is laid over the end pose by the points that stay put in both (resting on
    the floor or a fixed prop); with none, by the hip. The path follows the pose as its
    angles turn evenly from start to end, so a joint swinging round another draws an arc.
    """
    name = figure.arrow
    anchors = sorted((start.contacts & end.contacts) - {name})
    if anchors:
        target = [(sum(end.pts[a][0] for a in anchors) / len(anchors), sum(end.pts[a][1] for a in anchors) / len(anchors))] * 2
    else:
        target = [(end.pts["hip"][0], start.pts["hip"][1]), end.pts["hip"]]
    path = []
    ts = [i / ARROW_STEPS for i in range(ARROW_STEPS + 1)]
    for t, pose_pts in zip(ts, interpolated_points(figure.start, figure.end, ts)):
        goal = (target[0][0] + t * (target[1][0] - target[0][0]), target[0][1] + t * (target[1][1] - target[0][1]))
        names = anchors or ["hip"]
        mx = sum(pose_pts[a][0] for a in names) / len(names)
        my = sum(pose_pts[a][1] for a in names) / len(names)
        x, y = pose_pts[name]
        path.append((x - mx + goal[0], y - my + goal[1]))
    length = sum(math.dist(a, b) for a, b in zip(path, path[1:]))
    return path if length > 0.4 else None


def _trim(path: list[Point], start_cut: float, end_cut: float) -> list[Point]:
    """The path with `start_cut` taken off its start and `end_cut` off its end (same units)."""
    def cut_front(pts, d):
        out = list(pts)
        while len(out) > 1 and d > 0:
            seg = math.dist(out[0], out[1])
            if seg > d:
                k = d / seg
                out[0] = (out[0][0] + k * (out[1][0] - out[0][0]), out[0][1] + k * (out[1][1] - out[0][1]))
                return out
            d -= seg
            out.pop(0)
        return out
    return cut_front(cut_front(path, start_cut)[::-1], end_cut)[::-1]


# ------------------------------------------------------------------ labels
def _wrap(text: str, font: str, size: float, width: float) -> list[str] | None:
    """The text in at most two lines no wider than width, or None."""
    words = text.split()
    lines: list[str] = []
    cur = ""
    for w in words:
        trial = f"{cur} {w}".strip()
        if stringWidth(trial, font, size) <= width:
            cur = trial
        elif not cur:
            return None
        else:
            lines.append(cur)
            cur = w
    lines.append(cur)
    return lines if len(lines) <= 2 and all(stringWidth(l, font, size) <= width for l in lines) else None


def _fit_label(text: str, font: str, size: float, width: float) -> tuple[float, list[str]]:
    """(font size, lines): the label in one or two lines, shrunk down to 5 pt, cut short as a last resort."""
    s = size
    while s >= 5.0:
        lines = _wrap(text, font, s, width)
        if lines is not None:
            return s, lines
        s -= 0.25
    s = 5.0
    line = text
    while line and stringWidth(line + "…", font, s) > width:
        line = line[:-1]
    return s, [line.rstrip() + "…"]


# ------------------------------------------------------------------ putting it together
@dataclass
class _Composed:
    layout: FigureLayout
    placed: list
    transforms: list            # (scale, ox, oy) per pose
    arrow_units: list | None


def _compose(figure: Figure, width: float, height: float, font_name: str) -> _Composed:
    poses = [figure.start] + ([figure.end] if figure.end is not None else [])
    placed = [_place(p) for p in poses]
    arrow = _arrow_path(figure, placed[0], placed[1]) if len(placed) == 2 and figure.arrow else None
    boxes = [p.bounds() for p in placed]
    if arrow:
        ax = [p[0] for p in arrow]
        ay = [p[1] for p in arrow]
        m = 0.45
        b = boxes[-1]
        boxes[-1] = (min(b[0], min(ax) - m), min(b[1], min(ay) - m), max(b[2], max(ax) + m), max(b[3], max(ay) + m))

    n = len(poses)
    cell_w = width / n
    texts = [pose.label or ("Start" if i == 0 else "End") for i, pose in enumerate(poses)]
    font = max(7.0, min(11.0, height * 0.085))  # labels a runner can read: 7.8 pt on a normal card, 11 pt in large print
    font = min(_fit_label(t, font_name, font, cell_w - 2 * PAD - 2)[0] for t in texts)   # one size for both labels
    labels = [_fit_label(t, font_name, font, cell_w - 2 * PAD - 2)[1] for t in texts]
    lead = font * 1.12
    label_h = max(len(l) for l in labels) * lead
    area_y0 = PAD + label_h + max(2.0, font * 0.35)
    area_y1 = height - PAD
    area_h = max(area_y1 - area_y0, 1.0)
    # a lone pose (care items) may use a little more than half the width, not all of it, so its
    # lines stay about as heavy as on the other cards
    inner_w = (width / 2 if n == 2 else width * 0.7) - 2 * PAD - 2.0
    y0 = min(b[1] for b in boxes)
    y1 = max(b[3] for b in boxes)
    scale = min(min(inner_w / (b[2] - b[0]) for b in boxes), area_h / (y1 - y0))
    if n == 1:   # nor may it grow taller than a standing figure would be drawn
        scale = min(scale, area_h / LONE_POSE_MAX_H)
    floor_y = area_y0 - scale * y0

    transforms = []
    pose_layouts = []
    for i, (pl, b) in enumerate(zip(placed, boxes)):
        cx0 = i * cell_w
        ox = cx0 + (cell_w - scale * (b[2] - b[0])) / 2 - scale * b[0]
        oy = floor_y
        transforms.append((scale, ox, oy))

        def tf(p, ox=ox, oy=oy):
            return (ox + scale * p[0], oy + scale * p[1])

        # water fills the whole picture's width, not just the body's
        span = ((cx0 + PAD + 1 - ox) / scale, (cx0 + cell_w - PAD - 1 - ox) / scale)
        pl.props = [_water(g.prop, pl.pts, *span) if g.prop.kind == "water" else g for g in pl.props]
        props = []
        for g in pl.props:
            outline = tuple(Outline(o.kind, tuple(tf(q) for q in o.pts), o.r * scale, o.solid) for o in g.outline)
            bx = _bounds_union([pr.bounds() for pr in g.back + g.front]) if g.back + g.front else (0, 0, 0, 0)
            props.append(PropPlacement(g.prop.kind, g.prop.at, tf(pl.pts[g.prop.at]) if g.prop.at else None, outline,
                                       (*tf(bx[:2]), *tf(bx[2:])), g.supports))
        pose_layouts.append(PoseLayout((cx0, 0.0, cx0 + cell_w, height), floor_y, {k: tf(v) for k, v in pl.pts.items()}, tuple(props), tuple(labels[i])))
    arrow_pts = None
    if arrow:
        s, ox, oy = transforms[-1]
        arrow_pts = tuple((ox + s * x, oy + s * y) for x, y in arrow)
    layout = FigureLayout(width, height, scale, NEAR_W * scale, font_name, font, tuple(pose_layouts), arrow_pts)
    return _Composed(layout, placed, transforms, arrow)


def figure_layout(figure: Figure, width: float, height: float, font_name: str = FONT) -> FigureLayout:
    """Where everything of the figure's drawing goes, in the drawing's points (see module doc)."""
    return _compose(figure, width, height, font_name).layout


def _to_shape(prim: _Prim, s: float, ox: float, oy: float):
    sw = max(prim.width * s, prim.min_pt) if prim.stroke is not None else 0
    if prim.kind == "circle":
        (x, y), = prim.pts
        return Circle(ox + s * x, oy + s * y, prim.r * s, fillColor=prim.fill, strokeColor=prim.stroke, strokeWidth=sw)
    flat: list[float] = []
    for x, y in prim.pts:
        flat.extend((ox + s * x, oy + s * y))
    if prim.kind == "poly":
        return Polygon(flat, fillColor=prim.fill, strokeColor=prim.stroke, strokeWidth=sw, strokeLineJoin=1)
    return PolyLine(flat, strokeColor=prim.stroke, strokeWidth=sw, strokeLineCap=prim.cap, strokeLineJoin=1)


def _limb_chains(side: str) -> tuple[tuple[str, ...], ...]:
    return (("hip", f"{side}.knee", f"{side}.heel", f"{side}.toe"), ("shoulder", f"{side}.elbow", f"{side}.hand"))


def _body_prims(pl: _Placed, side: str) -> list[_Prim]:
    colour, width = (INK, NEAR_W) if side == "near" else (FAR_INK, FAR_W)
    return [_line([pl.pts[n] for n in chain], colour, width) for chain in _limb_chains(side)]


def _arrow_shapes(path_units: list[Point], s: float, ox: float, oy: float) -> list:
    pts = [(ox + s * x, oy + s * y) for x, y in path_units]
    head_len = max(5.5, 0.5 * s)
    gap = NEAR_W * s * 0.6                       # the tip stops at the joint's edge
    total = sum(math.dist(a, b) for a, b in zip(pts, pts[1:]))
    if total < head_len + gap + 2.0:
        head_len = max(3.0, total - gap - 2.0)
    tip_path = _trim(pts, 0.0, gap)
    tip = tip_path[-1]
    shaft = _trim(tip_path, 0.0, head_len * 0.8)
    # the head points along the path's last stretch
    back = _trim(tip_path, 0.0, head_len)[-1]
    u = _unit(back, tip)
    v = (-u[1], u[0])
    base = _add(tip, u, -head_len)
    w = head_len * 0.42
    head = [tip, _add(base, v, w), _add(base, v, -w)]
    width = max(1.2, 0.1 * s)
    flat = [c for p in shaft for c in p]
    shapes = []
    if len(shaft) >= 2:
        shapes.append(PolyLine(flat, strokeColor=WHITE, strokeWidth=width + 1.6, strokeLineCap=1, strokeLineJoin=1))
        shapes.append(PolyLine(flat, strokeColor=ARROW_INK, strokeWidth=width, strokeLineCap=0, strokeLineJoin=1,
                               strokeDashArray=[max(2.2, 0.3 * s), max(1.4, 0.18 * s)]))
    shapes.append(Polygon([c for p in head for c in p], fillColor=ARROW_INK, strokeColor=WHITE, strokeWidth=0.6, strokeLineJoin=1))
    sx, sy = pts[0]
    shapes.append(Circle(sx, sy, max(1.3, 0.1 * s), fillColor=WHITE, strokeColor=ARROW_INK, strokeWidth=max(0.8, 0.06 * s)))
    return shapes


def figure_drawing(figure: Figure, width: float, height: float, font_name: str = FONT) -> Drawing:
    """Start and end poses side by side at one scale, a label under each and the movement arrow in the end picture.

    Deterministic: the same figure and size always give the same shapes. `font_name` is any font
    registered with ReportLab (the handout may pass its body font); the default is Helvetica.
    """
    comp = _compose(figure, width, height, font_name)
    lay = comp.layout
    d = Drawing(width, height)
    for i, (pl, (s, ox, oy)) in enumerate(zip(comp.placed, comp.transforms)):
        cell = lay.poses[i].cell
        prims: list[_Prim] = []
        for g in pl.props:
            if g.prop.kind in ("water", "wall"):
                prims.extend(g.back)
        for shape in (_to_shape(p, s, ox, oy) for p in prims):
            d.add(shape)
        prims = []
        d.add(PolyLine([cell[0] + PAD + 1, oy, cell[2] - PAD - 1, oy], strokeColor=FLOOR_INK,
                       strokeWidth=max(0.9, 0.1 * s), strokeLineCap=0))
        if pl.pose.far is not None:
            prims.extend(_body_prims(pl, "far"))
        for g in pl.props:
            if g.prop.kind not in ("water", "wall"):
                prims.extend(g.back)
        prims.append(_line([pl.pts["hip"], pl.pts["shoulder"]], INK, TRUNK_W))
        prims.extend(_body_prims(pl, "near"))
        prims.append(_circle(pl.pts["head"], HEAD_R, stroke=None, fill=INK))
        for g in pl.props:
            prims.extend(g.front)
        for shape in (_to_shape(p, s, ox, oy) for p in prims):
            d.add(shape)
        for j, text in enumerate(lay.poses[i].label):
            y = PAD + 0.2 * lay.font_size + (len(lay.poses[i].label) - 1 - j) * lay.font_size * 1.12
            d.add(String((cell[0] + cell[2]) / 2, y, text, fontName=lay.font_name, fontSize=lay.font_size, textAnchor="middle", fillColor=INK))
    if comp.arrow_units:
        s, ox, oy = comp.transforms[-1]
        for shape in _arrow_shapes(comp.arrow_units, s, ox, oy):
            d.add(shape)
    return d
