"""Props held, worn or looped on the body: weights, towels, packs, wraps, bands, a helper's hand."""
from __future__ import annotations

import math

from ...model import Prop
from .body import FLOOR_CONTACT, forearm_dir, half_width, nearest_segment, segments, side_of
from .geometry import Outline, Point, Points, Prim, add, circle, ellipse_pts, line, oriented_rect, polar, poly, rect, sign, stadium_pts, unit
from .parts import PropContext, PropGeom
from .style import BAND, HEAT_FILL, HEAT_LINE, ICE_FILL, ICE_LINE, NEAR_W, PARTNER, PARTNER_SLEEVE, PROP_FILL, PROP_LIGHT, PROP_LINE, WEIGHT, WHITE

STRAPS = ("towel", "band")
FOOT = (".heel", ".toe")


def weight(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    """A dumbbell or kettlebell hanging from the hand along the forearm, or a barbell's plate end on."""
    p = ctx.pts[at]
    u = forearm_dir(ctx.pts, at) if at.endswith(".hand") else (0.0, -1.0)
    v = (-u[1], u[0])
    if prop.kind == "dumbbell":
        bar = line([add(p, v, -0.42), add(p, v, 0.42)], WEIGHT, 0.12, min_pt=1.0)
        plates = [oriented_rect(add(p, v, k * 0.42), u, 0.62, 0.22, stroke=WEIGHT, fill=WEIGHT, width=0.04) for k in (-1, 1)]
        outline = [Outline("line", bar.pts, solid=True)] + [Outline("poly", pl.pts, solid=True) for pl in plates]
        return PropGeom(prop, [], [bar] + plates, outline)
    if prop.kind == "kettlebell":
        handle = circle(add(p, u, 0.12), 0.2, stroke=WEIGHT, fill=None, width=0.09, min_pt=0.9)
        bell = circle(add(p, u, 0.62), 0.38, stroke=WEIGHT, fill=WEIGHT, width=0.04)
        return PropGeom(prop, [], [handle, bell], [Outline("circle", handle.pts, 0.2, solid=True), Outline("circle", bell.pts, 0.38, solid=True)])
    # barbell: the near plate seen end on, the hand on the bar at its centre
    plate = circle(p, 0.8, stroke=WEIGHT, fill=PROP_FILL, width=0.1, min_pt=0.9)
    hub = circle(p, 0.14, stroke=WEIGHT, fill=WEIGHT, width=0.04)
    return PropGeom(prop, [plate, hub], [], [Outline("circle", (p,), 0.8, solid=True)])


def cloth(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    """Towel, pack or wrap: a small pad at the point, laid along the nearest part of the body."""
    pts = ctx.pts
    p = pts[at]
    if prop.kind == "towel" and at.endswith(FOOT) and p[1] - half_width(at) < FLOOR_CONTACT:
        side = at.split(".")[0]
        hx, tx = pts[f"{side}.heel"][0], pts[f"{side}.toe"][0]
        pad = rect(min(hx, tx) - 0.35, 0.0, max(hx, tx) + 0.35, 0.16, fill=PROP_FILL, width=0.07)
        return PropGeom(prop, [pad], [], [Outline("poly", pad.pts, solid=True)])
    a, b, q = nearest_segment(pts, at)
    u = unit(a, b)
    gap = math.hypot(p[0] - q[0], p[1] - q[1])
    if prop.kind == "wrap":
        # an elastic bandage round the limb, where the hand holds it
        thick = NEAR_W + 0.22
        centre = q
        band = oriented_rect(centre, u, 1.1, thick, stroke=PROP_LINE, fill=PROP_LIGHT, width=0.06)
        v = (-u[1], u[0])
        stripes = [line([add(add(centre, u, k - 0.12), v, -thick / 2), add(add(centre, u, k + 0.12), v, thick / 2)], PROP_LINE, 0.05, min_pt=0.5)
                   for k in (-0.36, -0.12, 0.12, 0.36)]
        outline = [Outline("poly", band.pts, solid=True)]
        if gap > thick / 2 + 0.05:   # the hand holds the free end of the bandage
            tail = line([add(centre, v, sign((p[0] - q[0]) * v[0] + (p[1] - q[1]) * v[1]) * thick / 2), p], PROP_LINE, 0.1, min_pt=0.8)
            stripes.append(tail)
            outline.append(Outline("line", tail.pts, solid=True))
        return PropGeom(prop, [], [band] + stripes, outline)
    # pack or towel on the body: between the hand and the limb when they are close
    if gap < 0.9:
        centre = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
        thick = max(0.32, gap + 0.12)
    else:
        centre, thick = p, 0.36
    fill = PROP_FILL if prop.kind == "pack" else PROP_LIGHT
    pad = oriented_rect(centre, u, 1.0, thick, stroke=PROP_LINE, fill=fill, width=0.07)
    return PropGeom(prop, [], [pad], [Outline("poly", pad.pts, solid=True)])


def strap(prop: Prop, ctx: PropContext, hand: str, foot: str) -> PropGeom:
    """A towel or band held in the hand and looped round the sole of the foot."""
    pts = ctx.pts
    side = foot.split(".")[0]
    heel, toe = pts[f"{side}.heel"], pts[f"{side}.toe"]
    u = unit(heel, toe)
    n = (u[1], -u[0])                      # the sole side: away from the shin
    knee = pts[f"{side}.knee"]
    if (knee[0] - heel[0]) * n[0] + (knee[1] - heel[1]) * n[1] > 0:
        n = (-n[0], -n[1])
    sole_back = add(add(toe, u, -0.4), n, 0.14)
    sole_front = add(add(toe, u, 0.02), n, 0.14)
    over = add(add(toe, u, 0.14), n, -0.1)
    h = pts[hand]
    width = 0.16 if prop.kind == "towel" else 0.1
    shape = line([h, sole_back, sole_front, over], BAND if prop.kind == "band" else PROP_LINE, width, min_pt=0.9)
    return PropGeom(prop, [], [shape], [Outline("line", shape.pts, solid=True)])


def loop(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    """A loop band round the point, and round the other leg's matching point when it is close."""
    pts = ctx.pts
    p = pts[at]
    other = None
    if "." in at:
        side, joint = at.split(".")
        other = f"{'far' if side == 'near' else 'near'}.{joint}"
    r = NEAR_W / 2 + 0.07
    if other is not None and 0.05 < math.dist(p, pts[other]) < 2.5:
        key = frozenset((at, other))
        ring = poly(stadium_pts(p, pts[other], r), stroke=BAND, fill=None, width=0.11, min_pt=0.9)
        shapes = [] if key in ctx.loops else [ring]
        ctx.loops.add(key)
        return PropGeom(prop, [], shapes, [Outline("poly", ring.pts, solid=True)])
    # round one limb: across the segment that ends at the point
    parent = {"knee": "hip", "heel": "knee", "toe": "heel", "hand": "elbow", "elbow": "shoulder"}
    joint = at.split(".")[-1]
    base: Point
    if "." in at and joint in parent:
        up = parent[joint]
        base = pts[up if up in ("hip", "shoulder") else f"{at.split('.')[0]}.{up}"]
    else:
        base = (p[0], p[1] + 1.0)
    u = unit(p, base, (0.0, 1.0))
    ring = poly(ellipse_pts(add(p, u, 0.12), (-u[1], u[0]), r + 0.06, 0.12), stroke=BAND, fill=None, width=0.11, min_pt=0.9)
    return PropGeom(prop, [], [ring], [Outline("poly", ring.pts, solid=True)])


def strap_or(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    """A towel or band: one strap from a hand to a foot when the pose has both ends, else a towel
    on the body (`cloth`) or a band looped round the point (`loop`)."""
    straps = [p for p in ctx.pose.props if p.kind in STRAPS and p.at]
    hand = next((p.at for p in straps if p.at and p.at.endswith(".hand")), None)
    foot = next((p.at for p in straps if p.at and p.at.endswith(FOOT)), None)
    if at.endswith(FOOT) and hand is not None:
        return strap(prop, ctx, hand, at)
    if at.endswith(".hand") and foot is not None:   # the same strap as the foot's: drawn once, touched by both
        return PropGeom(prop, [], [], strap(prop, ctx, at, foot).outline)
    return cloth(prop, at, ctx) if prop.kind == "towel" else loop(prop, at, ctx)


def partner(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    """A helper's forearm and hand holding the point (the heels in a Nordic curl)."""
    pts = ctx.pts
    p = pts[at]
    side = side_of(at)
    knee = pts.get(f"{side}.knee", pts["hip"])
    if at.endswith(FOOT) and p[1] > knee[1] + 0.8:
        ang = 150.0 if pts["hip"][0] < p[0] else 30.0      # heel up: the hand blocks it from the buttock side
    else:
        ang = 105.0 if pts["hip"][0] > p[0] else 75.0      # pressing down from above, leaning away from the body
    u = (math.cos(math.radians(ang)), math.sin(math.radians(ang)))
    forearm = line([add(p, u, 1.2), add(p, u, 0.3)], PARTNER, 0.4, min_pt=2.0)
    sleeve = oriented_rect(add(p, u, 1.6), u, 0.8, 0.56, stroke=WHITE, fill=PARTNER_SLEEVE, width=0.06, min_pt=0.5)
    hand = poly(ellipse_pts(add(p, u, 0.08), u, 0.34, 0.3), stroke=WHITE, fill=PARTNER, width=0.06, min_pt=0.6)
    shapes: list[Prim] = [forearm, sleeve, hand]
    return PropGeom(prop, [], shapes, [Outline("poly", hand.pts, solid=True)])


def _snowflake(c: Point, u: Point, size: float) -> list[Prim]:
    """Three crossing strokes with small forks: reads as "cold" even in grey."""
    out: list[Prim] = []
    base = math.degrees(math.atan2(u[1], u[0]))
    for k in range(3):
        d = polar(base + 90.0 + 60.0 * k)
        out.append(line([add(c, d, -size), add(c, d, size)], ICE_LINE, 0.07, min_pt=0.7))
        for end in (0.0, 180.0):
            outward = base + 90.0 + 60.0 * k + end
            tip = add(c, polar(outward), size * 0.6)
            for fork in (40.0, -40.0):
                out.append(line([tip, add(tip, polar(outward + fork), size * 0.35)], ICE_LINE, 0.05, min_pt=0.5))
    return out


def heat_waves(c: Point, size: float) -> list[Prim]:
    """Three short wavy strokes rising from c: warmth."""
    out: list[Prim] = []
    for k in (-1.0, 0.0, 1.0):
        start = (c[0] + k * size * 0.45, c[1])
        wave = [(start[0] + 0.1 * size * math.sin(i / 8 * 2 * math.pi), start[1] + size * i / 8) for i in range(9)]
        out.append(line(wave, HEAT_LINE, 0.07, min_pt=0.7))
    return out


def _nearest_leg_or_trunk(pts: Points, at: str) -> tuple[Point, Point, Point]:
    """The thigh, shin or trunk segment nearest the point: (start, end, foot of the perpendicular)."""
    best: tuple[float, Point, Point, Point] | None = None
    for a, b in segments(pts):
        if a.endswith((".elbow", ".hand", "shoulder")) or b.endswith((".elbow", ".hand", ".toe")):
            continue
        pa, pb = pts[a], pts[b]
        dx, dy = pb[0] - pa[0], pb[1] - pa[1]
        n2 = dx * dx + dy * dy
        t = max(0.0, min(1.0, ((pts[at][0] - pa[0]) * dx + (pts[at][1] - pa[1]) * dy) / n2)) if n2 > 1e-9 else 0.0
        q = (pa[0] + t * dx, pa[1] + t * dy)
        d = math.dist(pts[at], q)
        if best is None or d < best[0]:
            best = (d, pa, pb, q)
    assert best is not None
    return best[1], best[2], best[3]


def temperature_pack(prop: Prop, at: str, ctx: PropContext) -> PropGeom:
    """An ice pack (a cold pad with a snowflake, in a towel) or a heat pack (a ribbed hot-water
    bottle) laid along the thigh, shin or trunk nearest the hand, on the hand's side of it."""
    pts = ctx.pts
    p = pts[at]
    a, b, q = _nearest_leg_or_trunk(pts, at)
    u = unit(a, b)
    n = (-u[1], u[0])
    if (p[0] - q[0]) * n[0] + (p[1] - q[1]) * n[1] < 0:
        n = (-n[0], -n[1])                  # the side of the limb the hand is on
    thick, length = 0.5, 1.3
    centre = add(q, n, NEAR_W / 2 + thick / 2)
    low = min(centre[1] - length / 2 * abs(u[1]), centre[1] + length / 2 * abs(u[1])) - thick / 2
    if low < 0.03 and abs(u[1]) > 0.1:      # slide it up along the limb, clear of the floor
        centre = add(centre, u, (0.03 - low) / u[1])
    ends = (add(centre, u, -(length - thick) / 2), add(centre, u, (length - thick) / 2))
    shapes: list[Prim]
    if prop.kind == "ice-pack":
        towel = poly(stadium_pts(*ends, thick / 2 + 0.09), stroke=PROP_LINE, fill=PROP_LIGHT, width=0.04, min_pt=0.5)
        pad = poly(stadium_pts(*ends, thick / 2), stroke=ICE_LINE, fill=ICE_FILL, width=0.07, min_pt=0.7)
        shapes = [towel, pad] + _snowflake(centre, u, thick * 0.4)
    else:
        pad = poly(stadium_pts(*ends, thick / 2), stroke=HEAT_LINE, fill=HEAT_FILL, width=0.07, min_pt=0.7)
        neck_c = add(centre, u, length / 2 + 0.1)
        neck = oriented_rect(neck_c, u, 0.24, thick * 0.45, stroke=HEAT_LINE, fill=HEAT_FILL, width=0.06, min_pt=0.6)
        cap = oriented_rect(add(neck_c, u, 0.2), u, 0.16, thick * 0.62, stroke=HEAT_LINE, fill=HEAT_LINE, width=0.04, min_pt=0.5)
        ribs = [line([add(add(centre, u, k), n, -thick * 0.28), add(add(centre, u, k), n, thick * 0.28)], HEAT_LINE, 0.05, min_pt=0.5)
                for k in (-0.3, -0.1, 0.1, 0.3)]
        shapes = [neck, cap, pad] + ribs
    return PropGeom(prop, [], shapes, [Outline("poly", pad.pts, solid=True)])
