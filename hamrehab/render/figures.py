"""Stick-figure drawings of exercise poses, one consistent style for every card.

The pose's points come from `hamrehab.pose`; this module only turns them into
ReportLab vector drawings scaled into a box.
"""
from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Polygon, Rect, String
from reportlab.lib import colors

from ..model import Figure, Pose, Prop
from ..pose import HEAD_R, Skeleton, skeleton

NEAR = colors.Color(0.1, 0.1, 0.12)
FAR = colors.Color(0.62, 0.62, 0.66)
PROP = colors.Color(0.35, 0.35, 0.4)
FLOOR = colors.Color(0.55, 0.55, 0.58)
ARROW = colors.Color(0.0, 0.38, 0.62)

LIMB_CHAINS = (("hip", "knee", "heel", "toe"), ("shoulder", "elbow", "hand"))


def _prop_shapes(prop: Prop, sk: Skeleton, floor_y: float, s: float) -> list:
    """Shapes of one prop, in skeleton units (scaled by the caller's group transform)."""
    if prop.kind == "floor" or prop.at is None:
        return []
    x, y = sk[prop.at]
    w = 0.06
    if prop.kind in ("chair", "bench", "step"):
        half = {"chair": 0.9, "bench": 1.6, "step": 0.8}[prop.kind]
        top = y
        shapes = [Rect(x - half, top - 0.18, 2 * half, 0.18, fillColor=PROP, strokeColor=PROP, strokeWidth=w)]
        if prop.kind == "step":
            shapes = [Rect(x - half, floor_y, 2 * half, max(top - floor_y, 0.2), fillColor=colors.white, strokeColor=PROP, strokeWidth=0.08)]
        else:
            for lx in (x - half + 0.15, x + half - 0.15):
                shapes.append(Line(lx, top - 0.18, lx, floor_y, strokeColor=PROP, strokeWidth=0.1))
            if prop.kind == "chair":
                shapes.append(Line(x + half - 0.15, top, x + half - 0.15, top + 1.6, strokeColor=PROP, strokeWidth=0.1))
        return shapes
    if prop.kind in ("ball", "roller"):
        r = max((y - floor_y) / 2, 0.35) if prop.kind == "ball" else 0.4
        return [Circle(x, y - r, r, fillColor=colors.white, strokeColor=PROP, strokeWidth=0.08)]
    if prop.kind == "wall":
        return [Line(x + 0.05, floor_y, x + 0.05, floor_y + 7.5, strokeColor=PROP, strokeWidth=0.15)]
    if prop.kind in ("dumbbell", "kettlebell", "barbell"):
        r = {"dumbbell": 0.25, "kettlebell": 0.32, "barbell": 0.55}[prop.kind]
        return [Circle(x, y - r * 0.6, r, fillColor=PROP, strokeColor=PROP, strokeWidth=0.05)]
    if prop.kind in ("band", "loop-band", "towel", "wrap", "pack"):
        return [Rect(x - 0.3, y - 0.12, 0.6, 0.24, fillColor=ARROW, strokeColor=ARROW, strokeWidth=0.02)]
    if prop.kind == "bike":
        return [Circle(x, y - 0.2, 0.9, fillColor=None, strokeColor=PROP, strokeWidth=0.08),
                Line(x, y - 1.1, x, floor_y, strokeColor=PROP, strokeWidth=0.12)]
    if prop.kind == "water":
        return [Line(x - 4, y, x + 4, y, strokeColor=ARROW, strokeWidth=0.06, strokeDashArray=[0.3, 0.2])]
    if prop.kind == "partner":
        return [Rect(x - 0.3, y - 0.1, 0.8, 0.3, fillColor=FAR, strokeColor=FAR, strokeWidth=0.02)]
    return []


def _body(sk: Skeleton, side: str, colour, width: float) -> list:
    shapes = []
    for chain in LIMB_CHAINS:
        pts: list[float] = []
        for name in chain:
            key = name if name in ("hip", "shoulder") else f"{side}.{name}"
            pts.extend(sk[key])
        shapes.append(PolyLine(pts, strokeColor=colour, strokeWidth=width, strokeLineCap=1, strokeLineJoin=1))
    return shapes


def pose_group(pose: Pose, arrow_from: tuple[float, float] | None = None, arrow_point: str | None = None) -> tuple[Group, tuple[float, float, float, float]]:
    """The pose as a Group in skeleton units, and its bounds (props included)."""
    sk = skeleton(pose)
    floor_y = 0.0
    g = Group()
    props = [p for p in pose.props]
    for p in props:
        for shape in _prop_shapes(p, sk, floor_y, 1.0):
            g.add(shape)
    bx0, by0, bx1, by1 = sk.bounds()
    g.add(Line(bx0 - 0.8, floor_y, bx1 + 0.8, floor_y, strokeColor=FLOOR, strokeWidth=0.08))
    for shape in _body(sk, "far", FAR, 0.32):
        g.add(shape)
    g.add(Line(*sk["hip"], *sk["shoulder"], strokeColor=NEAR, strokeWidth=0.4, strokeLineCap=1))
    for shape in _body(sk, "near", NEAR, 0.32):
        g.add(shape)
    hx, hy = sk["head"]
    g.add(Circle(hx, hy, HEAD_R, fillColor=colors.white, strokeColor=NEAR, strokeWidth=0.2))
    if arrow_from is not None and arrow_point is not None:
        tx, ty = sk[arrow_point]
        fx, fy = arrow_from
        if abs(tx - fx) + abs(ty - fy) > 0.3:
            g.add(Line(fx, fy, tx, ty, strokeColor=ARROW, strokeWidth=0.12, strokeDashArray=[0.25, 0.15]))
            g.add(Circle(tx, ty, 0.16, fillColor=ARROW, strokeColor=ARROW, strokeWidth=0.01))
    return g, (bx0 - 1.0, min(by0, floor_y) - 0.2, bx1 + 1.0, max(by1, floor_y + 0.5) + 0.2)


def figure_drawing(figure: Figure, width: float, height: float) -> Drawing:
    """Start and end poses side by side, each scaled to fit half the box."""
    d = Drawing(width, height)
    poses = [figure.start] + ([figure.end] if figure.end is not None else [])
    cell_w = width / len(poses)
    start_pt = skeleton(figure.start)[figure.arrow] if figure.arrow else None
    for i, pose in enumerate(poses):
        arrow = (start_pt, figure.arrow) if i == 1 and start_pt else (None, None)
        g, (x0, y0, x1, y1) = pose_group(pose, *arrow)
        label_h = 10
        s = min((cell_w - 8) / (x1 - x0), (height - label_h - 6) / (y1 - y0))
        g.transform = (s, 0, 0, s, i * cell_w + (cell_w - (x1 - x0) * s) / 2 - x0 * s, label_h + 2 - y0 * s)
        d.add(g)
        label = pose.label or ("Start" if i == 0 else "End")
        d.add(String(i * cell_w + cell_w / 2, 1, label[:48], fontSize=6.5, textAnchor="middle", fillColor=NEAR))
    return d
