"""What a prop builder is given (the pose's points and surroundings) and what it returns."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ...model import Pose, Prop
from .geometry import Outline, Points, Prim


@dataclass
class PropGeom:
    """One prop of one pose in skeleton units."""

    prop: Prop
    back: list[Prim]             # drawn behind the body
    front: list[Prim]            # drawn in front of the body
    outline: list[Outline]       # the edges its body point touches
    supports: bool = False       # the body rests on it: it stands on the floor


@dataclass
class PropContext:
    """The pose a prop is drawn in: its points (floor at y = 0) and what the props share."""

    pose: Pose
    pts: Points
    body_top: float                              # the top of the head
    span: tuple[float, float]                    # x range a prop filling the picture (water) covers
    loops: set[frozenset[str]] = field(default_factory=set)   # loop bands already drawn round two points


# A builder draws one prop touching the body point `at` (its `prop.at`, never None here).
Builder = Callable[[Prop, str, PropContext], PropGeom]
