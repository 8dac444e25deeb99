"""A phase's words stop where its week pages do.

Every week page prints the phase's own pain limit as zones ("4/10 or more: stop that exercise or run for
today", from `pain_rules.during_max`). A note of the same phase that stops elsewhere ("stop and walk if the
pain reaches 5/10") contradicts it on the same page. So a sentence of a phase that says when to stop
(its `stop_if`, or any sentence with "stop") and names a score must stop at the week page's level: "passes
3/10" or "above 3 out of 10" and "reaches 4/10" all stop at 4. A problem in a built-in protocol, a notice in
a clinician's own (their folder still loads, as it did before this check).
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from .files import Collector, Entry
from .plainwords import may_name_a_score, report, sentences, texts_of

_STOP = re.compile(r"\bstop", re.IGNORECASE)
# "reaches 4/10" stops at 4; "passes 3/10", "goes above 3 out of 10" stop at the score after it
_STOP_AT = re.compile(r"\b(?:(reach(?:es)?|hits?)|(pass(?:es)?|goes above|above|over|more than))\s+(10|\d)\s*(?:/|out of)\s*10\b",
                      re.IGNORECASE)


def stop_levels(text: str, stop_if: bool = False) -> list[tuple[str, int]]:
    """Each score the text says to stop at: (its words, the first score that stops). `stop_if`: the whole text
    is a stop rule (a phase's `stop_if`), so no sentence needs the word "stop"."""
    found: list[tuple[str, int]] = []
    if not may_name_a_score(text):  # most texts name no score
        return found
    for sentence in sentences(text):
        if stop_if or _STOP.search(sentence):
            found += [(m.group(0), int(m.group(3)) + (1 if m.group(2) else 0)) for m in _STOP_AT.finditer(sentence)]
    return found


def check_stop_levels(protocols: Mapping[str, Entry], out: Collector) -> None:
    """Every phase's words stop at its own week pages' level (during_max + 1)."""
    for entry in protocols.values():
        for i, phase in enumerate(entry.item.phases):
            level = phase.pain_rules.during_max + 1
            for path, text in texts_of(phase, ()):
                for words, said in stop_levels(text, stop_if=path[-1:] == ("stop_if",)):
                    if said != level:
                        report(entry, ("phases", i, *path), out,
                               f"'{words}' stops at {said}/10, but this phase's week pages stop at {level}/10 (its "
                               f"pain_rules.during_max is {phase.pain_rules.during_max}); say the same level")
