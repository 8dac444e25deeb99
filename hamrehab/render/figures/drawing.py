"""The composed figure turned into ReportLab shapes: props, floor, body, labels, then the arrow."""
from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

from reportlab.graphics.shapes import Circle, Drawing, Polygon, PolyLine, Shape, String

from ...model import Figure
from ...pose import HEAD_R
from .body import root
from .geometry import Point, Prim, add, circle, line, unit
from .layout import Placed, compose
from .style import ARROW_INK, FAR_INK, FAR_W, FLOOR_INK, FONT, FRONT_FAR_INK, INK, NEAR_W, PAD, TRUNK_W, WHITE

BACKDROPS = ("water", "wall")   # props drawn behind the floor line


def to_shape(prim: Prim, s: float, ox: float, oy: float) -> Shape:
    """One primitive in the drawing's points, scaled by s and moved by (ox, oy)."""
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


def _limb_chains(pl: Placed, side: str) -> tuple[tuple[str, ...], ...]:
    pts = pl.pts
    return ((root(pts, side, "hip"), f"{side}.knee", f"{side}.heel", f"{side}.toe"),
            (root(pts, side, "shoulder"), f"{side}.elbow", f"{side}.hand"))


def _body_prims(pl: Placed, side: str, front: bool = False) -> list[Prim]:
    if front:   # both sides in view: the far one only a little lighter
        colour, width = (INK, NEAR_W) if side == "near" else (FRONT_FAR_INK, NEAR_W)
    else:
        colour, width = (INK, NEAR_W) if side == "near" else (FAR_INK, FAR_W)
    return [line([pl.pts[n] for n in chain], colour, width) for chain in _limb_chains(pl, side)]


def _trunk_prims(pl: Placed) -> list[Prim]:
    """The trunk; seen from the front also the bars across the hips and the shoulders."""
    pts = pl.pts
    prims = [line([pts["hip"], pts["shoulder"]], INK, TRUNK_W)]
    for joint in ("hip", "shoulder"):
        if f"near.{joint}" in pts:
            prims.append(line([pts[f"far.{joint}"], pts[f"near.{joint}"]], INK, NEAR_W))
    return prims


def trim(path: Sequence[Point], start_cut: float, end_cut: float) -> list[Point]:
    """The path with `start_cut` taken off its start and `end_cut` off its end (same units)."""
    def cut_front(pts: Sequence[Point], d: float) -> list[Point]:
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


def _arrow_shapes(path_units: Sequence[Point], s: float, ox: float, oy: float) -> list[Shape]:
    pts = [(ox + s * x, oy + s * y) for x, y in path_units]
    head_len = max(5.5, 0.5 * s)
    gap = NEAR_W * s * 0.6                       # the tip stops at the joint's edge
    total = sum(math.dist(a, b) for a, b in pairwise(pts))
    if total < head_len + gap + 2.0:
        head_len = max(3.0, total - gap - 2.0)
    tip_path = trim(pts, 0.0, gap)
    tip = tip_path[-1]
    shaft = trim(tip_path, 0.0, head_len * 0.8)
    # the head points along the path's last stretch
    back = trim(tip_path, 0.0, head_len)[-1]
    u = unit(back, tip)
    v = (-u[1], u[0])
    base = add(tip, u, -head_len)
    w = head_len * 0.42
    head = [tip, add(base, v, w), add(base, v, -w)]
    width = max(1.2, 0.1 * s)
    flat = [c for p in shaft for c in p]
    shapes: list[Shape] = []
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
    comp = compose(figure, width, height, font_name)
    lay = comp.layout
    d = Drawing(width, height)
    for i, (pl, (s, ox, oy)) in enumerate(zip(comp.placed, comp.transforms, strict=True)):
        cell = lay.poses[i].cell
        prims: list[Prim] = []
        for g in pl.props:
            if g.prop.kind in BACKDROPS:
                prims.extend(g.back)
        for shape in (to_shape(p, s, ox, oy) for p in prims):
            d.add(shape)
        prims = []
        d.add(PolyLine([cell[0] + PAD + 1, oy, cell[2] - PAD - 1, oy], strokeColor=FLOOR_INK,
                       strokeWidth=max(0.9, 0.1 * s), strokeLineCap=0))
        front = figure.view == "front"
        if pl.pose.far is not None or front:
            prims.extend(_body_prims(pl, "far", front))
        for g in pl.props:
            if g.prop.kind not in BACKDROPS:
                prims.extend(g.back)
        prims.extend(_trunk_prims(pl))
        prims.extend(_body_prims(pl, "near", front))
        prims.append(circle(pl.pts["head"], HEAD_R, stroke=None, fill=INK))
        for g in pl.props:
            prims.extend(g.front)
        for c in pl.cues:
            prims.extend(c.prims)
        prims.extend(pl.extras)
        for shape in (to_shape(p, s, ox, oy) for p in prims):
            d.add(shape)
        for j, text in enumerate(lay.poses[i].label):
            y = PAD + 0.2 * lay.font_size + (len(lay.poses[i].label) - 1 - j) * lay.font_size * 1.12
            d.add(String((cell[0] + cell[2]) / 2, y, text, fontName=lay.font_name, fontSize=lay.font_size, textAnchor="middle", fillColor=INK))
    if comp.arrow_units:
        s, ox, oy = comp.transforms[-1]
        for shape in _arrow_shapes(comp.arrow_units, s, ox, oy):
            d.add(shape)
    return d
