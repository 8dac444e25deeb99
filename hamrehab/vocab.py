"""The fixed vocabularies every YAML file is checked against.

Kept in one place so the models, the JSON Schema, the CLI choices and the
"did you mean" hints all agree on the same words.
"""
from __future__ import annotations

from typing import Literal, get_args

DiagnosisId = Literal[
    "hamstring-strain",
    "proximal-tendinopathy",
    "distal-tendinopathy",
    "sciatic-referral",
    "si-joint-referral",
    "doms",
    "prevention",
]

Category = Literal[
    "activation",
    "isometric",
    "eccentric",
    "concentric",
    "mobility",
    "neural",
    "drill",
    "cardio",
    "care",
    "running",
]

EquipmentId = Literal[
    "none",
    "chair",
    "bench",
    "band",
    "loop-band",
    "dumbbell",
    "kettlebell",
    "barbell",
    "stability-ball",
    "foam-roller",
    "step",
    "bike",
    "elliptical",
    "pool",
    "anchor-or-partner",
    "towel",
    "wall",
    "ice-pack",
    "heat-pack",
    "compression-wrap",
]

# Generic phase kinds. Every protocol phase carries one, so an exercise can be
# contraindicated "in the acute phase" whatever the protocol calls that phase.
PhaseTag = Literal[
    "acute",  # first 48-72 h of a strain: protect
    "early",  # pain-led early loading, isometrics
    "strength",  # progressive strength, little lengthening under load
    "lengthening",  # loading into length / hip flexion, eccentric work
    "return-to-run",  # graded running
    "return-to-speed",  # speed, hills, energy storage
    "maintenance",  # keep-it programme after rehab or prevention
]

DosageKind = Literal["reps", "hold", "duration", "intervals"]

Position = Literal[
    "lying-on-back",
    "lying-on-front",
    "lying-on-side",
    "sitting",
    "kneeling",
    "half-kneeling",
    "hands-and-knees",
    "standing",
    "single-leg-standing",
    "moving",
]

Muscle = Literal[
    "hamstrings",
    "biceps-femoris",
    "semitendinosus",
    "semimembranosus",
    "glutes",
    "glute-max",
    "glute-med",
    "hip-flexors",
    "adductors",
    "quadriceps",
    "calves",
    "core",
    "trunk",
    "sciatic-nerve",
    "whole-body",
]

# Points on the stick figure a prop can be placed against.
BodyPoint = Literal[
    "head",
    "shoulder",
    "hip",
    "near.elbow",
    "near.hand",
    "near.knee",
    "near.heel",
    "near.toe",
    "far.elbow",
    "far.hand",
    "far.knee",
    "far.heel",
    "far.toe",
]

PropKind = Literal[
    "floor",
    "chair",
    "bench",
    "step",
    "ball",
    "band",
    "loop-band",
    "dumbbell",
    "kettlebell",
    "barbell",
    "wall",
    "roller",
    "bike",
    "water",
    "towel",
    "pack",
    "wrap",
    "partner",
    "bed",
    "elliptical",
    "ice-pack",
    "heat-pack",
]


def values(literal: object) -> tuple[str, ...]:
    """The allowed words of one of the Literal vocabularies above."""
    return tuple(str(v) for v in get_args(literal))


DIAGNOSES = values(DiagnosisId)
CATEGORIES = values(Category)
EQUIPMENT = values(EquipmentId)
PHASE_TAGS = values(PhaseTag)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # day names in the handouts, Monday first
