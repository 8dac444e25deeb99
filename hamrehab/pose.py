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


def _limb_points(prefix: str, hip: tuple[float, float], shoulder: tuple[float, float], limb: Limb) -> dict[str, tuple[float, float]]:
    knee = _step(hip, limb.thigh, THIGH)
    heel = _step(knee, limb.shank, SHANK)
    toe = _step(heel, limb.foot, FOOT)
    elbow = _step(shoulder, limb.upper_arm, UPPER_ARM)
    hand = _step(elbow, limb.forearm, FOREARM)
    return {f"{prefix}.knee": knee, f"{prefix}.heel": heel, f"{prefix}.toe": toe, f"{prefix}.elbow": elbow, f"{prefix}.hand": hand}


def skeleton(pose: Pose) -> Skeleton:
    """The pose's points, shifted so the lowest body point (or head edge) touches y = 0."""
    hip = (0.0, 0.0)
    shoulder = _step(hip, pose.trunk, TRUNK)
    head = _step(shoulder, pose.head if pose.head is not None else pose.trunk, NECK + HEAD_R)
    pts = {"hip": hip, "shoulder": shoulder, "head": head}
    pts.update(_limb_points("near", hip, shoulder, pose.near))
    pts.update(_limb_points("far", hip, shoulder, pose.far or pose.near))
    low = min(min(p[1] for p in pts.values()), head[1] - HEAD_R)
    return Skeleton({k: (x, y - low) for k, (x, y) in pts.items()})
