"""The body's points as the props see them: stroke half-widths, limb segments and directions."""
from __future__ import annotations

import math

from ...pose import HEAD_R
from .geometry import Point, Points, sign, unit
from .style import FAR_W, NEAR_W, TRUNK_W

FLOOR_CONTACT = 0.22   # a point this close to the floor (past its stroke) rests on it


def half_width(name: str) -> float:
    """Half the stroke drawn through a body point (the head: its radius)."""
    if name == "head":
        return HEAD_R
    if name in ("hip", "shoulder"):
        return TRUNK_W / 2
    return (NEAR_W if name.startswith("near.") else FAR_W) / 2


def contact_half_width(name: str) -> float:
    """How far below a point a surface it rests on lies (a seat under the hip: the thigh's edge)."""
    return NEAR_W / 2 if name in ("hip", "shoulder") else half_width(name)


def side_of(name: str, default: str = "near") -> str:
    """'near' or 'far' for a limb point, `default` for the trunk's points."""
    return name.split(".")[0] if "." in name else default


def root(pts: Points, side: str, joint: str) -> str:
    """The point a limb hangs from: the hip or shoulder, or that side's own joint in a front view."""
    own = f"{side}.{joint}"
    return own if own in pts else joint


def segments(pts: Points) -> list[tuple[str, str]]:
    """Every body segment as a pair of point names."""
    segs = [("hip", "shoulder")]
    for side in ("near", "far"):
        hip, shoulder = root(pts, side, "hip"), root(pts, side, "shoulder")
        segs += [(hip, f"{side}.knee"), (f"{side}.knee", f"{side}.heel"), (f"{side}.heel", f"{side}.toe"),
                 (shoulder, f"{side}.elbow"), (f"{side}.elbow", f"{side}.hand")]
    return segs


def nearest_segment(pts: Points, at: str) -> tuple[Point, Point, Point]:
    """The body segment nearest the point `at`, not one of the point's own: (start, end, foot of the perpendicular)."""
    p = pts[at]
    side = at.split(".")[0] if "." in at else None
    own = {f"{side}.elbow", f"{side}.hand"} if at.endswith((".hand", ".elbow")) else {at}
    best: tuple[float, Point, Point, Point] | None = None
    for a, b in segments(pts):
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
    assert best is not None, "a pose always has segments other than the point's own"
    return best[1], best[2], best[3]


def towards_body(pts: Points, at: str) -> float:
    """+1 when the rest of the body lies to the right of the point `at` (for the hip: the knees), else -1."""
    if at == "hip":
        return sign(pts["near.knee"][0] - pts["hip"][0])
    return sign(pts["hip"][0] - pts[at][0])


def forearm_dir(pts: Points, at: str) -> Point:
    """The unit vector from the elbow to the hand on the point's side."""
    side = side_of(at)
    return unit(pts[f"{side}.elbow"], pts[f"{side}.hand"], (0.0, -1.0))


def pedal(pts: Points, side: str) -> Point:
    """Where the ball of the foot presses a pedal: 60% of the way from heel to toe."""
    heel, toe = pts[f"{side}.heel"], pts[f"{side}.toe"]
    return (heel[0] + 0.6 * (toe[0] - heel[0]), heel[1] + 0.6 * (toe[1] - heel[1]))
