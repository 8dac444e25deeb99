"""Where everything goes: the floor under each pose, one scale for both, the cells, labels and arrow.

Works in two steps: in skeleton units with the floor at y = 0 (`place`: the body points, lifted
so every support fits under them, and the props), then in the drawing's points (`compose`: both
poses at one common scale, side by side in the box, a label under each).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import pairwise

from reportlab.pdfbase.pdfmetrics import stringWidth

from ...model import Figure, Pose
from ...pose import HEAD_R, interpolated_points, raw_points
from .body import FLOOR_CONTACT, half_width
from .callout import callouts
from .cues import CueGeom, build_cues
from .furniture import water
from .geometry import Box, Outline, Point, Points, Prim, bounds_union
from .parts import PropContext, PropGeom
from .props import FIXED_CONTACTS, build_props, floor_level
from .style import NEAR_W, PAD

LONE_POSE_MAX_H = 6.0  # units: a single pose is drawn no larger than this tall in the box
ARROW_STEPS = 14
Transform = tuple[float, float, float]       # (scale, x offset, y offset): units to points


# ------------------------------------------------------------------ public layout types
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
class CuePlacement:
    """Where one cue of one pose is drawn, in the drawing's coordinates (points)."""

    kind: str
    at: str
    body_point: Point
    tail: Point                   # the cue's arrow, tail to tip
    tip: Point
    marks: tuple[tuple[Point, Point], ...]   # the pressure marks, each a short stroke


@dataclass(frozen=True)
class PoseLayout:
    """One pose as drawn: its half of the box, the floor line, body points, props and cues."""

    cell: Box
    floor_y: float
    points: dict[str, Point]
    props: tuple[PropPlacement, ...]
    label: tuple[str, ...]
    cues: tuple[CuePlacement, ...] = ()


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
@dataclass
class Placed:
    """One pose in skeleton units: its points over the floor, its props and the points that stay put."""

    pose: Pose
    pts: Points                   # floor-relative units
    props: list[PropGeom] = field(default_factory=list)
    contacts: set[str] = field(default_factory=set)
    cues: list[CueGeom] = field(default_factory=list)
    extras: list[Prim] = field(default_factory=list)    # drawn on top of everything: a callout

    def bounds(self) -> Box:
        boxes = [(x - half_width(n), y - half_width(n), x + half_width(n), y + half_width(n)) for n, (x, y) in self.pts.items()]
        for g in self.props:
            boxes.extend(p.bounds() for p in g.back + g.front)
        for c in self.cues:
            boxes.extend(p.bounds() for p in c.prims)
        boxes.extend(p.bounds() for p in self.extras)
        x0, y0, x1, y1 = bounds_union(boxes)
        return (x0, min(y0, 0.0), x1, y1)


def _context(pose: Pose, pts: Points, span: tuple[float, float] | None = None) -> PropContext:
    xs = [p[0] for p in pts.values()]
    ys = [p[1] for p in pts.values()]
    return PropContext(pose, pts, max(ys) + HEAD_R, span or (min(xs) - 1.0, max(xs) + 1.0))


def place(pose: Pose, figure: Figure) -> Placed:
    raw = raw_points(pose, figure.view)
    floor = floor_level(pose, raw)
    pts = {n: (x, y - floor) for n, (x, y) in raw.items()}
    placed = Placed(pose, pts)
    placed.props = build_props(_context(pose, pts))
    placed.cues = build_cues(pose.cues, pts)
    contacts = {n for n, (x, y) in pts.items() if y - half_width(n) < FLOOR_CONTACT and not any(p.kind == "water" for p in pose.props)}
    contacts |= {p.at for p in pose.props if p.at and p.kind in FIXED_CONTACTS}
    placed.contacts = contacts
    return placed


# ------------------------------------------------------------------ the movement arrow
def arrow_path(figure: Figure, start: Placed, end: Placed) -> list[Point] | None:
    """The arrow point's path from its start to its end position, in the end pose's units.

    The start pose is laid over the end pose by the points that stay put in both (resting on
    the floor or a fixed prop); with none, by the hip. The path follows the pose as its
    angles turn evenly from start to end, so a joint swinging round another draws an arc.
    """
    name = figure.arrow
    if name is None or figure.end is None:
        return None
    anchors = sorted((start.contacts & end.contacts) - {name})
    if anchors:
        target = [(sum(end.pts[a][0] for a in anchors) / len(anchors), sum(end.pts[a][1] for a in anchors) / len(anchors))] * 2
    else:
        target = [(end.pts["hip"][0], start.pts["hip"][1]), end.pts["hip"]]
    path = []
    ts = [i / ARROW_STEPS for i in range(ARROW_STEPS + 1)]
    for t, pose_pts in zip(ts, interpolated_points(figure.start, figure.end, ts, figure.view), strict=True):
        goal = (target[0][0] + t * (target[1][0] - target[0][0]), target[0][1] + t * (target[1][1] - target[0][1]))
        names = anchors or ["hip"]
        mx = sum(pose_pts[a][0] for a in names) / len(names)
        my = sum(pose_pts[a][1] for a in names) / len(names)
        x, y = pose_pts[name]
        path.append((x - mx + goal[0], y - my + goal[1]))
    length = sum(math.dist(a, b) for a, b in pairwise(path))
    return path if length > 0.4 else None


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
    return lines if len(lines) <= 2 and all(stringWidth(ln, font, size) <= width for ln in lines) else None


def fit_label(text: str, font: str, size: float, width: float) -> tuple[float, list[str]]:
    """(font size, lines): the label in one or two lines, shrunk down to 5 pt, cut short as a last resort."""
    s = size
    while s >= 5.0:
        lines = _wrap(text, font, s, width)
        if lines is not None:
            return s, lines
        s -= 0.25
    s = 5.0
    text_line = text
    while text_line and stringWidth(text_line + "…", font, s) > width:
        text_line = text_line[:-1]
    return s, [text_line.rstrip() + "…"]


# ------------------------------------------------------------------ putting it together
@dataclass
class Composed:
    """The layout and what the drawing step needs beside it: the poses in units and their transforms."""

    layout: FigureLayout
    placed: list[Placed]
    transforms: list[Transform]
    arrow_units: list[Point] | None


def compose(figure: Figure, width: float, height: float, font_name: str) -> Composed:
    poses = [figure.start] + ([figure.end] if figure.end is not None else [])
    placed = [place(p, figure) for p in poses]
    if len(placed) == 1:   # a lone pose has room for a magnified view of a small prop
        placed[0].extras = callouts(placed[0].props, placed[0].bounds())
    arrow = arrow_path(figure, placed[0], placed[1]) if len(placed) == 2 and figure.arrow else None
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
    font = min(fit_label(t, font_name, font, cell_w - 2 * PAD - 2)[0] for t in texts)   # one size for both labels
    labels = [fit_label(t, font_name, font, cell_w - 2 * PAD - 2)[1] for t in texts]
    lead = font * 1.12
    label_h = max(len(lb) for lb in labels) * lead
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

    transforms: list[Transform] = []
    pose_layouts = []
    for i, (pl, b) in enumerate(zip(placed, boxes, strict=True)):
        cx0 = i * cell_w
        ox = cx0 + (cell_w - scale * (b[2] - b[0])) / 2 - scale * b[0]
        oy = floor_y
        transforms.append((scale, ox, oy))

        def tf(p: Point, ox: float = ox, oy: float = oy) -> Point:
            return (ox + scale * p[0], oy + scale * p[1])

        # water fills the whole picture's width, not just the body's
        span = ((cx0 + PAD + 1 - ox) / scale, (cx0 + cell_w - PAD - 1 - ox) / scale)
        ctx = _context(pl.pose, pl.pts, span)
        pl.props = [water(g.prop, g.prop.at, ctx) if g.prop.kind == "water" and g.prop.at else g for g in pl.props]
        props = []
        for g in pl.props:
            outline = tuple(Outline(o.kind, tuple(tf(q) for q in o.pts), o.r * scale, o.solid) for o in g.outline)
            bx = bounds_union([pr.bounds() for pr in g.back + g.front]) if g.back + g.front else (0.0, 0.0, 0.0, 0.0)
            props.append(PropPlacement(g.prop.kind, g.prop.at, tf(pl.pts[g.prop.at]) if g.prop.at else None, outline,
                                       (*tf(bx[:2]), *tf(bx[2:])), g.supports))
        cues = tuple(CuePlacement(c.cue.kind, c.cue.at, tf(pl.pts[c.cue.at]), tf(c.tail), tf(c.tip),
                                  tuple((tf(a), tf(b)) for a, b in c.marks)) for c in pl.cues)
        pose_layouts.append(PoseLayout((cx0, 0.0, cx0 + cell_w, height), floor_y, {k: tf(v) for k, v in pl.pts.items()}, tuple(props),
                                       tuple(labels[i]), cues))
    arrow_pts = None
    if arrow:
        s, ox, oy = transforms[-1]
        arrow_pts = tuple((ox + s * x, oy + s * y) for x, y in arrow)
    layout = FigureLayout(width, height, scale, NEAR_W * scale, font_name, font, tuple(pose_layouts), arrow_pts)
    return Composed(layout, placed, transforms, arrow)
