"""Forward kinematics of the side-view stick figure: a Pose's angles become 2-D points.

Pure geometry, no drawing library: the PDF renderer, the figure preview and the
tests that check every exercise's drawing all share these points.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Limb, Pose

# Segment lengths in head-heights; the same for every exercise so all drawings match.
TRUNK = 2.9
NECK = 0.3
HEAD_R = 0.45
UPPER_ARM = 1.35
FOREARM = 1.25
THIGH = 1.9
SHANK = 1.8
FOOT = 0.7


def _step(origin: tuple[float, float], degrees: float, length: float) -> tuple[float, float]:
    rad = math.radians(degrees)
    return (origin[0] + length * math.cos(rad), origin[1] + length * math.sin(rad))


_LIMB_FIELDS = ("thigh", "shank", "foot", "upper_arm", "forearm")


def _angles(pose: Pose) -> tuple[float, ...]:
    """trunk, head, then the near and far limbs' angles, as one flat tuple."""
    far = pose.far or pose.near
    return (pose.trunk, pose.head if pose.head is not None else pose.trunk,
            *(getattr(pose.near, f) for f in _LIMB_FIELDS), *(getattr(far, f) for f in _LIMB_FIELDS))


def _points(a: tuple[float, ...]) -> dict[str, tuple[float, float]]:
    hip = (0.0, 0.0)
    shoulder = _step(hip, a[0], TRUNK)
    pts = {"hip": hip, "shoulder": shoulder, "head": _step(shoulder, a[1], NECK + HEAD_R)}
    for prefix, (thigh, shank, foot, upper_arm, forearm) in (("near", a[2:7]), ("far", a[7:12])):
        knee = _step(hip, thigh, THIGH)
        heel = _step(knee, shank, SHANK)
        elbow = _step(shoulder, upper_arm, UPPER_ARM)
        pts[f"{prefix}.knee"] = knee
        pts[f"{prefix}.heel"] = heel
        pts[f"{prefix}.toe"] = _step(heel, foot, FOOT)
        pts[f"{prefix}.elbow"] = elbow
        pts[f"{prefix}.hand"] = _step(elbow, forearm, FOREARM)
    return pts


def raw_points(pose: Pose) -> dict[str, tuple[float, float]]:
    """The pose's points with the hip at (0, 0), before any floor placement."""
    return _points(_angles(pose))


def _lerp_angle(a: float, b: float, t: float) -> float:
    diff = (b - a + 180.0) % 360.0 - 180.0
    return a + diff * t


def interpolated_points(a: Pose, b: Pose, ts) -> list[dict[str, tuple[float, float]]]:
    """raw_points of the poses fractions ts of the way from a to b, each angle turning the short way round."""
    pairs = tuple(zip(_angles(a), _angles(b)))
    return [_points(tuple(_lerp_angle(x, y, t) for x, y in pairs)) for t in ts]


def interpolate(a: Pose, b: Pose, t: float) -> Pose:
    """The pose a fraction t of the way from a to b (labels and props are not carried over)."""
    ang = tuple(_lerp_angle(x, y, t) % 360.0 for x, y in zip(_angles(a), _angles(b)))
    return Pose(trunk=ang[0], head=ang[1], near=Limb(**dict(zip(_LIMB_FIELDS, ang[2:7]))), far=Limb(**dict(zip(_LIMB_FIELDS, ang[7:12]))))


@dataclass(frozen=True)
class Skeleton:
    """Named points of one pose, floor-relative: the lowest point of the body sits at y = 0."""

    points: dict[str, tuple[float, float]]

    def __getitem__(self, name: str) -> tuple[float, float]:
        return self.points[name]

    def bounds(self) -> tuple[float, float, float, float]:
        """(min x, min y, max x, max y) of the body, head circle included."""
        xs = [p[0] for p in self.points.values()]
        ys = [p[1] for p in self.points.values()]
        hx, hy = self.points["head"]
        return (min(xs + [hx - HEAD_R]), min(ys + [hy - HEAD_R]), max(xs + [hx + HEAD_R]), max(ys + [hy + HEAD_R]))


def skeleton(pose: Pose) -> Skeleton:
    """The pose's points, shifted so the lowest body point (or head edge) touches y = 0."""
    pts = raw_points(pose)
    head = pts["head"]
    low = min(min(p[1] for p in pts.values()), head[1] - HEAD_R)
    return Skeleton({k: (x, y - low) for k, (x, y) in pts.items()})
