"""Exercise names in a sentence: which exercises a note or a checkpoint box names, by name or alias, singular or plural.

Shared by the catalogue's checks (`hamrehab validate`) and the planner's notices to the clinician, so it imports
nothing of the catalogue's loading: a warm `hamrehab plan` reads no YAML.
"""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Exercise


@functools.lru_cache(maxsize=1024)
def any_of(words: tuple[str, ...], suffix: str = "") -> re.Pattern[str]:
    """Any of the words (tried in the order given), as whole words, in any case, each perhaps followed by `suffix`
    (a regular expression); nothing at all for no words."""
    if not words:
        return re.compile(r"(?!)")
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")" + suffix + r"\b", re.IGNORECASE)


PLURAL = r"(?:e?s)?"


def names_of(ex: Exercise) -> re.Pattern[str]:
    """The exercise's name and aliases as words in a sentence, singular or plural, in any case."""
    return any_of(tuple(sorted({ex.name, *ex.aliases}, key=lambda w: (-len(w), w))), PLURAL)  # the longest first


def named_in(text: str, exercises: list[Exercise]) -> list[tuple[Exercise, re.Match[str]]]:
    """The exercises `text` names, each with where; one named inside a longer name of another ('bridges' inside
    'single-leg bridges') is the longer one's, not its own."""
    found = [(ex, m) for ex in exercises if (m := names_of(ex).search(text)) is not None]
    return [(ex, m) for ex, m in found
            if not any(o is not ex and o_m.start() <= m.start() and m.end() <= o_m.end() and o_m.end() - o_m.start() > m.end() - m.start()
                       for o, o_m in found)]
