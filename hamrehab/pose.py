"""Forward kinematics of the stick figure: a Pose's angles become 2-D points.

Pure geometry, no drawing library: the PDF renderer, the figure preview and the
tests that check every exercise's drawing all share these points.

Seen from the side (the default view) both legs hang from one hip point and both arms from one
shoulder point, the far ones hidden behind the near ones when they line up. Seen from the front
the hips and shoulders have a width: each side's limbs hang from its own joint (points
`near.hip`, `far.hip`, `near.shoulder`, `far.shoulder`), the near side a quarter turn clockwise from
the trunk (on the right of the picture when standing, on top when lying with the head to the left),
and a foot, pointing at the viewer, looks short.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

from .model.figure import Pose, View

# Segment lengths in head-heights; the same for every exercise so all drawings match.
TRUNK = 2.9
NECK = 0.3
HEAD_R = 0.45
UPPER_ARM = 1.35
FOREARM = 1.25
THIGH = 1.9
SHANK = 1.8
FOOT = 0.7
# Seen from the front: half the distance between the hip joints and between the shoulders, and
# the foot's length as it points at the viewer.
HIP_HALF = 0.42
SHOULDER_HALF = 0.62
FRONT_FOOT = 0.4

Point = tuple[float, float]
Angles = tuple[float, ...]

_LIMB_FIELDS = ("thigh", "shank", "foot", "upper_arm", "forearm")


def _step(origin: Point, degrees: float, length: float) -> Point:
    rad = math.radians(degrees)
    return (origin[0] + length * math.cos(rad), origin[1] + length * math.sin(rad))


def _angles(pose: Pose) -> Angles:
    """trunk, head, then the near and far limbs' angles, as one flat tuple."""
    far = pose.far or pose.near
    return (pose.trunk, pose.head if pose.head is not None else pose.trunk,
            *(getattr(pose.near, f) for f in _LIMB_FIELDS), *(getattr(far, f) for f in _LIMB_FIELDS))


def _points(a: Angles, view: View = "side") -> dict[str, Point]:
    hip = (0.0, 0.0)
    shoulder = _step(hip, a[0], TRUNK)
    pts = {"hip": hip, "shoulder": shoulder, "head": _step(shoulder, a[1], NECK + HEAD_R)}
    front = view == "front"
    across = a[0] - 90.0                     # from the trunk's middle towards the near side
    for prefix, k, (thigh, shank, foot, upper_arm, forearm) in (("near", 1.0, a[2:7]), ("far", -1.0, a[7:12])):
        hip_joint, shoulder_joint = hip, shoulder
        if front:
            hip_joint = _step(hip, across, k * HIP_HALF)
            shoulder_joint = _step(shoulder, across, k * SHOULDER_HALF)
            pts[f"{prefix}.hip"] = hip_joint
            pts[f"{prefix}.shoulder"] = shoulder_joint
        knee = _step(hip_joint, thigh, THIGH)
        heel = _step(knee, shank, SHANK)
        elbow = _step(shoulder_joint, upper_arm, UPPER_ARM)
        pts[f"{prefix}.knee"] = knee
        pts[f"{prefix}.heel"] = heel
        pts[f"{prefix}.toe"] = _step(heel, foot, FRONT_FOOT if front else FOOT)
        pts[f"{prefix}.elbow"] = elbow
        pts[f"{prefix}.hand"] = _step(elbow, forearm, FOREARM)
    return pts


def raw_points(pose: Pose, view: View = "side") -> dict[str, Point]:
    """The pose's points with the hip at (0, 0), before any floor placement."""
    return _points(_angles(pose), view)


def _lerp_angle(a: float, b: float, t: float) -> float:
    diff = (b - a + 180.0) % 360.0 - 180.0
    return a + diff * t


def interpolated_points(a: Pose, b: Pose, ts: Iterable[float], view: View = "side") -> list[dict[str, Point]]:
    """raw_points of the poses fractions ts of the way from a to b, each angle turning the short way round."""
    pairs = tuple(zip(_angles(a), _angles(b), strict=True))
    return [_points(tuple(_lerp_angle(x, y, t) for x, y in pairs), view) for t in ts]
