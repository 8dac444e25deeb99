"""Red flags: the signs that need a professional before any loading plan (rules/red-flags.yaml).

Each flag has an urgency, the words a runner recognises, what it may mean, and its sources. The
safety screen (`hamrehab plan --red-flag ID`), triage and the handouts all read this one file.
"""

from functools import cached_property
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..vocab import values
from .base import Frozen, Line, Sentence, Slug, SourceKey, rule_error

Urgency = Literal["emergency", "same-day", "soon"]
URGENCIES: tuple[str, ...] = values(Urgency)  # most urgent first


class UrgencyWords(Frozen):
    """What one level of urgency means for the runner."""

    label: Line = Field(description="A short plain label, e.g. 'today' (shown in brackets after 'SEE A PROFESSIONAL FIRST').")
    action: Sentence = Field(description="What to do, in the runner's words: who to see and how soon.")
    words: Annotated[tuple[Annotated[Line, Field(max_length=40)], ...], Field(max_length=12)] = Field((), description=(
        "Phrases that say this urgency inside a sentence (any case, whole words), e.g. 'the same day'. A sentence of an "
        "exercise or a protocol that names a warning sign may not say a less urgent one than its red flag's."))


class RedFlag(Frozen):
    """A sign that needs a professional before any loading plan."""

    id: Slug = Field(description="The id given to `hamrehab plan --red-flag` and written in the JSON.")
    urgency: Urgency = Field(description="emergency (now), same-day (today) or soon (within a few days).")
    plain: Line = Field(description="What the runner noticed, in words they recognise.")
    why: Sentence = Field(description="What it may mean, in plain words (follows 'this can mean').")
    terms: Annotated[tuple[Annotated[Line, Field(max_length=40)], ...], Field(max_length=12)] = Field((), description=(
        "Words that name this sign (any case, whole words). A protocol's caution that uses one would say the sign "
        "again, perhaps with another urgency: `hamrehab validate` asks for the flag in the protocol's `watch_for` instead."))
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]


class RedFlags(Frozen):
    """The whole file: the meaning of each urgency, and every red flag."""

    urgencies: dict[Urgency, UrgencyWords] = Field(description="Every urgency's label and action.")
    flags: Annotated[tuple[RedFlag, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _every_urgency(self) -> "RedFlags":
        missing = [u for u in URGENCIES if u not in self.urgencies]
        if missing:
            raise rule_error("urgencies", f"urgencies lacks {', '.join(missing)}")
        return self

    @cached_property
    def by_id(self) -> dict[str, RedFlag]:
        """The flags by id (worked out once)."""
        return {f.id: f for f in self.flags}


def red_flag_problems(flags: RedFlags) -> list[tuple[tuple[object, ...], str]]:
    """Problems pydantic cannot see alone: an id used twice. Each as (path in the file, message)."""
    found: list[tuple[tuple[object, ...], str]] = []
    first: dict[str, int] = {}
    for i, flag in enumerate(flags.flags):
        if flag.id in first:
            found.append((("flags", i, "id"), f"red flag '{flag.id}' is already defined (flags.{first[flag.id]}); rename one"))
        first.setdefault(flag.id, i)
    return found
