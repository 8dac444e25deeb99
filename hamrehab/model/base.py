"""Scalar types and the frozen base every model shares.

Pydantic does the structural checking (types, required fields, fixed vocabularies,
positive numbers, unknown fields) and gives the JSON Schema that clinicians' editors
use for completion.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, StringConstraints
from pydantic_core import PydanticCustomError

Text = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=3000)]
# Bounded texts: every length validation accepts is one the handout can lay out (tests/test_bounds.py).
Name = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Line = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Sentence = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]
Slug = Annotated[
    str, Strict(), StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)
]
SourceKey = Annotated[str, Strict(), StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9.-]*$")]
PosInt = Annotated[int, Strict(), Field(gt=0)]
NonNegInt = Annotated[int, Strict(), Field(ge=0)]
PosFloat = Annotated[float, Strict(), Field(gt=0)]
Angle = Annotated[float, Strict(), Field(ge=-360, le=360)]
Url = Annotated[str, Strict(), StringConstraints(pattern=r"^https?://\S+$")]
Reps = PosInt | tuple[PosInt, ...]
Side = Literal["left", "right", "both"]
PainScore = Annotated[int, Strict(), Field(ge=0, le=10)]


class Frozen(BaseModel):
    """Base: unknown fields are errors, instances never change after validation."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def rule_error(field: str, message: str) -> PydanticCustomError:
    """A cross-field error that still names the field, so the loader can find its line."""
    return PydanticCustomError("rule", "{message}", {"message": message, "field": field})
