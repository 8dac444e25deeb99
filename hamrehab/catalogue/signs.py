"""A warning sign is said once, with its own urgency.

Every plan lists its warning signs under "When to seek help", each under its urgency from
rules/red-flags.yaml: the signs of rules/triage.yaml `watch_for`, and those the protocol adds in its own
`watch_for`. A caution that names one of those signs again says it twice, and can say it with another
urgency (numbness in the saddle area "the same day" beside the list's "get help now"). So every id in a
protocol's `watch_for` must be a red flag, and no caution may use a red flag's `terms`. Anywhere else in an
exercise or a protocol, a sentence that names a sign and says how soon to act (an urgency's `words`) says
it no less urgently than the sign's red flag (breathlessness "the same day" where the list says "now"), and a
sentence that names a sign and sends the runner to a professional says how soon ("if you cannot walk normally,
use crutches and get the leg checked" left the runner to guess, where the list says "today").
Both are problems in a built-in document and notices in a clinician's own (their folder still loads, as it
did before these checks).
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from ..model import URGENCIES, RedFlag, RedFlags
from ..names import any_of
from ..validation import did_you_mean
from .files import Collector, Entry
from .plainwords import report, sentences

# Sending the runner to a professional: a verb, then (within the sentence) who, or what they will do.
_SEEK = re.compile(r"\b(?:see|get|ask|call|contact|visit)\b[^.;]*?\b(?:doctor|GP|physio\w*|clinician|professional|checked|examined)\b",
                   re.IGNORECASE)
_SEEK_LOW = ("doctor", "gp", "physio", "clinician", "professional", "checked", "examined")  # a quick first look


class Signs:
    """The red flags' words, compiled once: which warning sign a text names (`terms`), and how soon it says to
    act (each urgency's `words`)."""

    def __init__(self, flags: RedFlags):
        self.flags = flags
        self.signs = tuple((f, any_of(tuple(f.terms))) for f in flags.flags if f.terms)
        said: dict[str, tuple[str, ...]] = {u: w.words for u, w in flags.urgencies.items()}
        self.times = tuple((u, any_of(tuple(said[u]))) for u in URGENCIES if said.get(u))
        self.any_time = any_of(tuple(w for u in URGENCIES for w in said.get(u, ())))
        low = [re.escape(w.lower()) for u in URGENCIES for w in said.get(u, ())]
        self._time_low = re.compile("|".join(low) if low else r"(?!)")  # a quick first look, on lower-case words

    def may_give_a_time(self, words: str) -> bool:
        """Whether the words might say how soon to act (a quick look, which a closer one confirms)."""
        return self._time_low.search(words.lower()) is not None

    def named(self, text: str) -> tuple[RedFlag, str] | None:
        """The first red flag whose sign the text names, and the words that name it."""
        for flag, pattern in self.signs:
            if hit := pattern.search(text):
                return flag, hit.group(0)
        return None

    def too_late(self, text: str) -> tuple[RedFlag, str] | None:
        """A sentence that names a warning sign but gives only a less urgent time to act than its red flag's: the
        most urgent flag it names, and the words of the time it gives."""
        if not self.may_give_a_time(text) or not self.any_time.search(text):  # most texts give no time at all
            return None
        for sentence in sentences(text):
            times = [(u, hit.group(0)) for u, pattern in self.times if (hit := pattern.search(sentence))]
            named = [f for f, pattern in self.signs if pattern.search(sentence)] if times else []
            if not named:
                continue
            flag = min(named, key=lambda f: URGENCIES.index(f.urgency))
            if URGENCIES.index(times[0][0]) > URGENCIES.index(flag.urgency):
                return flag, times[0][1]
        return None

    @staticmethod
    def may_send(words: str) -> bool:
        """Whether the words might send the runner to a professional (a quick look, which a closer one confirms)."""
        low = words.lower()
        return any(w in low for w in _SEEK_LOW)

    def untimed_at(self, path: tuple[object, ...], text: str) -> str | None:
        """What is wrong when a sentence names a warning sign and sends the runner to a professional without saying
        how soon, or None (a protocol's cautions are left to check_warning_signs)."""
        if path[:1] == ("cautions",):
            return None
        for sentence in sentences(text):
            seek = _SEEK.search(sentence)
            if seek is None or self.any_time.search(sentence):
                continue
            named = [f for f, pattern in self.signs if pattern.search(sentence)]
            if named:
                flag = min(named, key=lambda f: URGENCIES.index(f.urgency))
                words = self.flags.urgencies[flag.urgency].words[0]
                return (f"'{seek.group(0)}' sends the runner to a professional about the warning sign '{flag.id}' ({flag.plain}) "
                        f"without saying how soon; say '{words}' or sooner (its urgency is {flag.urgency})")
        return None

    def too_late_at(self, path: tuple[object, ...], text: str) -> str | None:
        """What is wrong when a text gives a warning sign a later time to act than its red flag, or None (a protocol's
        cautions are left to check_warning_signs: they may not name a sign at all)."""
        found = None if path[:1] == ("cautions",) else self.too_late(text)
        if found is None:
            return None
        flag, words = found
        return (f"'{words}' is later than the warning sign '{flag.id}' ({flag.plain}) allows: its urgency is "
                f"{flag.urgency} ({self.flags.urgencies[flag.urgency].action})")


def check_warning_signs(protocols: Mapping[str, Entry], flags: Entry | None, out: Collector) -> None:
    """Every protocol's `watch_for` names red flags; no caution names a red flag's sign."""
    if flags is None:
        return
    red: RedFlags = flags.item
    signs = Signs(red)
    for entry in protocols.values():
        for i, flag_id in enumerate(entry.item.watch_for):
            if flag_id not in red.by_id:
                out.add(entry.doc, ("watch_for", i),
                        f"unknown red flag '{flag_id}'{did_you_mean(flag_id, red.by_id)}; use an id of rules/red-flags.yaml")
        for i, text in enumerate(entry.item.cautions):
            found = signs.named(text)
            if found is not None:
                flag, words = found
                report(entry, ("cautions", i), out,
                        f"'{words}' names the warning sign '{flag.id}' ({flag.plain}); list '{flag.id}' under watch_for, "
                        f"where every plan prints it once with its urgency, and leave it out of the caution")
