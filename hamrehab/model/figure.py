"""The stick-figure drawing of an exercise: poses of a skeleton seen from the side or the front, with props and cues."""

from typing import Annotated, Literal

from pydantic import Field, Strict

from ..vocab import BodyPoint, PropKind
from .base import Angle, Frozen, Line

View = Literal["side", "front"]
CueKind = Literal["press"]
Air = Annotated[float, Strict(), Field(ge=0, le=2)]


class Limb(Frozen):
    """Segment directions of one side's leg and arm, degrees: 0 = the way the figure faces,
    90 = up, 180 = behind, 270 (or -90) = down."""

    thigh: Angle
    shank: Angle
    foot: Angle
    upper_arm: Angle
    forearm: Angle


class Prop(Frozen):
    """A piece of equipment drawn against a body point (a chair under the heels, a bed over them...)."""

    kind: PropKind
    at: BodyPoint | None = Field(None, description="Body point the prop touches; the floor needs none.")


class Cue(Frozen):
    """A mark for what a still picture cannot show, such as a push held against the floor or a hand."""

    kind: CueKind = Field(description="press: a short solid arrow pushing the point and pressure marks where it presses (an isometric hold).")
    at: BodyPoint
    direction: Angle = Field(270.0, description="The way the point pushes, in the segments' degrees: 270 = down into the floor, 180 = back.")


class Pose(Frozen):
    """One still picture of the stick figure, facing right."""

    label: Line | None = None
    trunk: Angle = Field(description="Direction from hip to shoulder: 90 = upright, 180 = lying on the back with the head to the left.")
    head: Angle | None = Field(None, description="Direction from shoulder to head; defaults to the trunk's.")
    near: Limb
    far: Limb | None = Field(None, description="The other side's limbs (further from the viewer in a side view); default: the near ones' angles.")
    props: Annotated[tuple[Prop, ...], Field(max_length=8)] = ()
    cues: Annotated[tuple[Cue, ...], Field(max_length=4)] = ()
    air: Air = Field(0.0, description="Head-heights between the lowest point of the body and the floor: a hop or a skip in flight.")


class Figure(Frozen):
    """Start and end positions of the movement, for the handout's drawings."""

    view: View = Field("side", description="side: seen from the side, facing right; front: seen from the front, for sideways movement.")
    start: Pose
    end: Pose | None = None
    arrow: BodyPoint | None = Field(None, description="The point whose path the movement arrow follows.")
