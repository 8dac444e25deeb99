"""Props that stand on the floor or fill the picture: furniture, machines, a wall, water.

Each builder takes the prop, the body point it touches and the pose's context (skeleton units,
floor at y = 0) and returns its shapes and the outline its point touches.
"""
from __future__ import annotations

import math

from ...model import Prop
from .body import contact_half_width, pedal, towards_body
from .geometry import Outline, Prim, add, circle, ellipse_pts, line, oriented_rect, poly, rect, stadium_pts, unit
from .parts import PropContext, PropGeom
from .style import PROP_FILL, PROP_LIGHT, PROP_LINE, WATER_FILL, WATER_LINE, WEIGHT, WOOD


def chair(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    pts = ctx.pts
    x, y = pts[at]
    top = y - contact_half_width(at)
    d = towards_body(pts, at)
    front = x + d * (0.95 if at == "hip" else 0.3)
    back = front - d * 1.75
    seat = rect(min(front, back), top - 0.24, max(front, back), top)
    shapes = [
        line([(front - d * 0.14, top - 0.2), (front - d * 0.14, 0.0)], PROP_LINE, 0.13, min_pt=0.9, cap=0),
        line([(back + d * 0.14, top - 0.2), (back + d * 0.14, 0.0)], PROP_LINE, 0.13, min_pt=0.9, cap=0),
        line([(back + d * 0.1, top), (back - d * 0.08, top + 1.9)], PROP_LINE, 0.15, min_pt=1.0),
        oriented_rect(add((back, top + 1.45), (-d * 0.06, 0)), unit((back + d * 0.1, top), (back - d * 0.08, top + 1.9)), 0.85, 0.3),
        seat,
    ]
    return PropGeom(prop, shapes, [], [Outline("poly", seat.pts)], supports=True)


def bench(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    pts = ctx.pts
    x, y = pts[at]
    top = y - contact_half_width(at)
    d = towards_body(pts, at)
    front = x + d * (0.85 if at == "hip" else 0.3)
    back = front - d * 2.8
    lo, hi = min(front, back), max(front, back)
    pad = rect(lo, top - 0.32, hi, top)
    legs = [poly([(lx - 0.07, top - 0.32), (lx + 0.07, top - 0.32), (lx + 0.16, 0.0), (lx - 0.16, 0.0)], fill=PROP_LINE)
            for lx in (lo + 0.45, hi - 0.45)]
    return PropGeom(prop, legs + [pad], [], [Outline("poly", pad.pts)], supports=True)


def step(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    pts = ctx.pts
    x, y = pts[at]
    top = y - contact_half_width(at)
    if at.endswith((".heel", ".toe")):
        side = at.split(".")[0]
        hx, tx = pts[f"{side}.heel"][0], pts[f"{side}.toe"][0]
        lo, hi = min(hx, tx, x - 0.7) - 0.25, max(hx, tx, x + 0.7) + 0.25
    else:
        lo, hi = x - 0.75, x + 0.75
    box = rect(lo, 0.0, hi, top)
    edge = line([(lo, top), (hi, top)], PROP_LINE, 0.12, min_pt=1.0, cap=0)
    return PropGeom(prop, [box, edge], [], [Outline("poly", box.pts)], supports=True)


def ball(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    x, y = ctx.pts[at]
    r = (y - contact_half_width(at)) / 2
    shape = circle((x, r), r, fill=PROP_LIGHT, width=0.1, min_pt=0.9)
    shine = [(x + 0.68 * r * math.cos(math.radians(a)), r + 0.68 * r * math.sin(math.radians(a))) for a in range(105, 170, 8)]
    return PropGeom(prop, [shape, line(shine, PROP_FILL, 0.12, min_pt=0.8)], [], [Outline("circle", ((x, r),), r)], supports=True)


def roller(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    x, y = ctx.pts[at]
    r = (y - contact_half_width(at)) / 2
    return PropGeom(prop, [circle((x, r), r, fill=PROP_FILL), circle((x, r), 0.42 * r, fill=PROP_LIGHT)], [],
                    [Outline("circle", ((x, r),), r)], supports=True)


def wall(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    pts = ctx.pts
    top = max(ctx.body_top + 0.3, 3.0)
    x, _ = pts[at]
    d = -towards_body(pts, at) if at != "hip" else 1.0
    face = x + d * contact_half_width(at)
    thick = 0.45
    slab = rect(min(face, face + d * thick), 0.0, max(face, face + d * thick), top, stroke=None, fill=PROP_FILL)
    edge = line([(face, 0.0), (face, top)], PROP_LINE, 0.12, min_pt=1.0, cap=0)
    return PropGeom(prop, [slab, edge], [], [Outline("line", ((face, 0.0), (face, top)))])


def bike(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    pts = ctx.pts
    hip = pts[at]
    pn, pf = pedal(pts, "near"), pedal(pts, "far")
    c = ((pn[0] + pf[0]) / 2, (pn[1] + pf[1]) / 2)
    if math.dist(pn, pf) < 0.4:
        c = (pn[0], pn[1] - 0.6)
    saddle_y = hip[1] - contact_half_width(at)
    saddle = line([(hip[0] - 0.5, saddle_y - 0.09), (hip[0] + 0.35, saddle_y - 0.09)], WEIGHT, 0.2, min_pt=1.2)
    post = line([(hip[0] - 0.05, saddle_y - 0.15), c], PROP_LINE, 0.17, min_pt=1.2)
    hand = pts["near.hand"]
    if hand[0] > c[0] + 0.5 and hand[1] > c[1]:
        head = (hand[0] - 0.35, hand[1] - 0.45)
        bars = [line([c, head, hand], PROP_LINE, 0.17, min_pt=1.2)]
    else:
        head = (c[0] + 1.4, saddle_y)
        bars = [line([c, head, (head[0] + 0.35, head[1] + 0.15)], PROP_LINE, 0.17, min_pt=1.2)]
    fly = (c[0] + 1.25, max(c[1] - 0.1, 0.9))
    wheel = circle(fly, 0.75, fill=PROP_FILL, width=0.1)
    base_y = 0.1
    base = line([(c[0] - 1.5, base_y), (fly[0] + 1.0, base_y)], PROP_LINE, 0.2, min_pt=1.2, cap=1)
    struts = [line([c, (c[0] - 1.0, base_y)], PROP_LINE, 0.15, min_pt=1.0), line([fly, (fly[0] + 0.55, base_y)], PROP_LINE, 0.15, min_pt=1.0)]
    cranks = [line([c, pf], PROP_LINE, 0.12, min_pt=1.0), line([c, pn], WEIGHT, 0.12, min_pt=1.0)]
    hub = circle(c, 0.16, stroke=WEIGHT, fill=PROP_LIGHT, width=0.06)
    pedals = [line([add(q, (-0.18, 0)), add(q, (0.18, 0))], WEIGHT, 0.1, min_pt=1.0) for q in (pf, pn)]
    back: list[Prim] = [wheel, base] + struts + [post] + bars + [cranks[0], pedals[0], hub, cranks[1]]
    outline = [Outline("line", saddle.pts), Outline("line", cranks[0].pts, solid=True), Outline("line", cranks[1].pts, solid=True)]
    return PropGeom(prop, back, [saddle, pedals[1]], outline, supports=True)


def water(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    """Water across the whole picture (`ctx.span`), its surface just above the point."""
    x0, x1 = ctx.span
    level = ctx.pts[at][1] + 0.1
    fill = rect(x0, 0.0, x1, level, stroke=None, fill=WATER_FILL)
    wave = []
    n = max(8, int((x1 - x0) / 0.2))
    for i in range(n + 1):
        x = x0 + (x1 - x0) * i / n
        wave.append((x, level + 0.07 * math.sin((x - x0) / 0.8 * 2 * math.pi)))
    return PropGeom(prop, [fill, line(wave, WATER_LINE, 0.08, min_pt=0.8)], [], [Outline("line", tuple(wave))])


def bed(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    """A bed (or heavy sofa) over the point: its frame's underside rests on the top of the heel,
    which is hooked under it; the bed runs away from the body, headboard at the far end."""
    pts = ctx.pts
    x, y = pts[at]
    under = y + contact_half_width(at)
    d = towards_body(pts, at)
    front = x + d * 0.45
    back = front - d * 3.4
    lo, hi = min(front, back), max(front, back)
    frame_top = under + 0.42
    frame = rect(lo, under, hi, frame_top, stroke=PROP_LINE, fill=WOOD, width=0.06)
    r = 0.36                                             # the mattress's rounded ends
    mattress = poly(stadium_pts((lo + r, frame_top + r), (hi - r, frame_top + r), r), stroke=PROP_LINE, fill=PROP_LIGHT)
    pillow = poly(ellipse_pts((back + d * 0.6, frame_top + 2 * r + 0.1), (1.0, 0.0), 0.45, 0.17), stroke=PROP_LINE, fill=PROP_FILL, width=0.06)
    board = rect(min(back, back - d * 0.24), 0.0, max(back, back - d * 0.24), frame_top + 1.6, stroke=PROP_LINE, fill=WOOD, width=0.06)
    leg_x = front - d * 1.7
    leg = rect(leg_x - 0.1, 0.0, leg_x + 0.1, under, stroke=None, fill=PROP_LINE)   # the near corner's leg is off to the side
    shapes: list[Prim] = [leg, board, frame, mattress, pillow]
    return PropGeom(prop, shapes, [], [Outline("line", ((lo, under), (hi, under)))])


def elliptical(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    """An elliptical trainer: a pedal under each foot on arms running to the flywheel in front, and
    a moving handle up to each hand."""
    pts = ctx.pts
    plates, arms, handles, tops = [], [], [], []
    col_x = max(pts["near.toe"][0], pts["far.toe"][0], pts["near.hand"][0], pts["far.hand"][0]) + 0.55
    hub = (col_x - 0.15, 0.72)
    rear = min(pts["near.heel"][0], pts["far.heel"][0]) - 0.9
    pivot = (col_x - 0.05, pts["hip"][1] - 0.35)
    for side in ("far", "near"):
        ink = WEIGHT if side == "near" else PROP_LINE
        heel, toe = pts[f"{side}.heel"], pts[f"{side}.toe"]
        sole = heel[1] - contact_half_width(f"{side}.heel")
        u = unit(heel, toe)
        a, b = (heel[0] - 0.2 * u[0], sole - 0.09), (toe[0] + 0.15 * u[0], sole - 0.09)
        plates.append(line([a, b], ink, 0.18, min_pt=1.2, cap=0))
        tops.append(Outline("line", ((a[0], sole), (b[0], sole)), solid=True))
        crank = add(hub, (-0.32 if side == "near" else 0.32, 0.0))
        arms.append(line([(rear, 0.32), a, b, crank], ink, 0.13, min_pt=1.0))
        hand = pts[f"{side}.hand"]
        grip = add(hand, unit(pivot, hand), 0.45)
        handles.append(line([pivot, hand, grip], ink, 0.13, min_pt=1.0))
    base = line([(rear - 0.3, 0.1), (col_x + 0.6, 0.1)], PROP_LINE, 0.2, min_pt=1.2)
    roller = circle((rear, 0.32), 0.12, stroke=PROP_LINE, fill=PROP_LIGHT, width=0.05)
    top = (col_x - 0.35, max(pts["near.hand"][1], pts["far.hand"][1]) + 0.55)
    column = line([(col_x + 0.35, 0.1), top], PROP_LINE, 0.22, min_pt=1.4)
    console = oriented_rect(add(top, (-0.05, 0.12)), unit((col_x + 0.35, 0.1), top), 0.5, 0.3, fill=PROP_FILL)
    housing = poly(ellipse_pts(hub, (1.0, 0.0), 0.95, 0.62, n=24), fill=PROP_FILL, width=0.08)   # the flywheel's shroud
    back: list[Prim] = [base, roller, column, console, housing, arms[0], plates[0], handles[0]]
    front: list[Prim] = [arms[1], plates[1], handles[1]]
    outline = tops + [Outline("line", h.pts, solid=True) for h in handles]
    return PropGeom(prop, back, front, outline, supports=True)
