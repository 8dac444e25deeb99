"""Every prop kind in one table: how it is drawn, whether its point stays put, how low the floor must go.

To add a prop: add its word to `PropKind` in hamrehab/vocab.py, write a builder (furniture.py for
things standing on the floor, carried.py for things held or worn) and add a row here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ...model import Pose
from . import carried, furniture
from .body import contact_half_width, half_width, pedal
from .geometry import Points
from .parts import Builder, PropContext, PropGeom

# How far below the raw (hip at 0) points the floor must go for a prop: (prop's body point or
# None, the points, the lowest body edge) -> a floor height, or None for no demand.
FloorRule = Callable[[str | None, Points, float], float | None]


@dataclass(frozen=True)
class PropSpec:
    build: Builder
    fixed: bool = False               # its contact point stays put during the movement (aligns start with end)
    floor: FloorRule | None = None    # lowers the floor so the prop fits under the body


def _min_height(h: float) -> FloorRule:
    """A support at least h high under its point: a body point lower than that lifts the body."""
    def rule(at: str | None, raw: Points, body_low: float) -> float | None:
        return None if at is None else raw[at][1] - contact_half_width(at) - h
    return rule


def _bike_floor(at: str | None, raw: Points, body_low: float) -> float | None:
    if at is None:
        return None
    low_pedal = min(pedal(raw, "near")[1], pedal(raw, "far")[1])
    centre = (pedal(raw, "near")[1] + pedal(raw, "far")[1]) / 2
    return min(low_pedal - 0.55, centre - 1.45)


def _elliptical_floor(at: str | None, raw: Points, body_low: float) -> float | None:
    """The pedals lift the feet off the floor by about a third of a shin."""
    feet = [f"{side}.{end}" for side in ("near", "far") for end in ("heel", "toe")]
    return min(raw[f][1] - contact_half_width(f) for f in feet) - 0.7


def _pool_floor(at: str | None, raw: Points, body_low: float) -> float | None:
    return body_low - 0.9     # afloat: the pool's floor is below the feet


PROPS: dict[str, PropSpec] = {
    "chair": PropSpec(furniture.chair, fixed=True, floor=_min_height(1.2)),
    "bench": PropSpec(furniture.bench, fixed=True, floor=_min_height(1.0)),
    "step": PropSpec(furniture.step, fixed=True, floor=_min_height(0.55)),
    "ball": PropSpec(furniture.ball, floor=_min_height(1.8)),
    "roller": PropSpec(furniture.roller, floor=_min_height(0.55)),
    "bike": PropSpec(furniture.bike, fixed=True, floor=_bike_floor),
    "elliptical": PropSpec(furniture.elliptical, floor=_elliptical_floor),
    "bed": PropSpec(furniture.bed, fixed=True),
    "wall": PropSpec(furniture.wall, fixed=True),
    "water": PropSpec(furniture.water, floor=_pool_floor),
    "dumbbell": PropSpec(carried.weight),
    "kettlebell": PropSpec(carried.weight),
    "barbell": PropSpec(carried.weight),
    "towel": PropSpec(carried.strap_or),
    "band": PropSpec(carried.strap_or),
    "loop-band": PropSpec(carried.loop),
    "pack": PropSpec(carried.cloth),
    "wrap": PropSpec(carried.cloth),
    "ice-pack": PropSpec(carried.temperature_pack),
    "heat-pack": PropSpec(carried.temperature_pack),
    "partner": PropSpec(carried.partner, fixed=True),
}
# Props whose contact point stays put during the movement (used to align start with end).
FIXED_CONTACTS = frozenset(kind for kind, spec in PROPS.items() if spec.fixed)


def floor_level(pose: Pose, raw: Points) -> float:
    """The floor's y in raw units: under the lowest body edge, or lower so every support fits."""
    body_low = min(y - half_width(n) for n, (x, y) in raw.items())
    floor = body_low
    for prop in pose.props:
        spec = PROPS.get(prop.kind)
        if spec is None or spec.floor is None:
            continue
        need = spec.floor(prop.at, raw, body_low)
        if need is not None:
            floor = min(floor, need)
    return floor - pose.air


def build_props(ctx: PropContext) -> list[PropGeom]:
    """Each prop of the pose that touches a body point, in the pose's order (the floor is drawn apart)."""
    out: list[PropGeom] = []
    for prop in ctx.pose.props:
        if prop.kind == "floor" or prop.at is None:
            continue
        out.append(PROPS[prop.kind].build(prop, prop.at, ctx))
    return out
