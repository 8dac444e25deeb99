"""The stick-figure drawing of an exercise: poses of a side-view skeleton, with props."""
from __future__ import annotations

from pydantic import Field

from ..vocab import BodyPoint, PropKind
from .base import Angle, Frozen, Text

class Limb(Frozen):
    """Segment directions of one side's leg and arm, degrees: 0 = the way the figure faces,
    90 = up, 180 = behind, 270 (or -90) = down."""

    thigh: Angle
    shank: Angle
    foot: Angle
    upper_arm: Angle
    forearm: Angle


class Prop(Frozen):
    """A piece of equipment drawn against a body point (a chair under the heels...)."""

    kind: PropKind
    at: BodyPoint | None = Field(None, description="Body point the prop touches; the floor needs none.")


class Pose(Frozen):
    """One still picture of the side-view stick figure, facing right."""

    label: Text | None = None
    trunk: Angle = Field(description="Direction from hip to shoulder: 90 = upright, 180 = lying on the back with the head to the left.")
    head: Angle | None = Field(None, description="Direction from shoulder to head; defaults to the trunk's.")
    near: Limb
    far: Limb | None = Field(None, description="The limbs further from the viewer; default: hidden behind the near ones.")
    props: tuple[Prop, ...] = ()


class Figure(Frozen):
    """Start and end positions of the movement, for the handout's drawings."""

    start: Pose
    end: Pose | None = None
    arrow: BodyPoint | None = Field(None, description="The point whose path the movement arrow follows.")
