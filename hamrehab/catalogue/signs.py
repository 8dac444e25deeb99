"""A warning sign is said once, with its own urgency.

Every plan lists its warning signs under "When to seek help", each under its urgency from
rules/red-flags.yaml: the signs of rules/triage.yaml `watch_for`, and those the protocol adds in its own
`watch_for`. A caution that names one of those signs again says it twice, and can say it with another
urgency (numbness in the saddle area "the same day" beside the list's "get help now"). So every id in a
protocol's `watch_for` must be a red flag, and no caution may use a red flag's `terms`: a problem in a
built-in protocol, a notice in a clinician's own (their folder still loads, as it did before this check).
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from ..model import RedFlag, RedFlags
from ..validation import did_you_mean
from .files import Collector, Entry


def sign_patterns(flags: RedFlags) -> tuple[tuple[RedFlag, re.Pattern[str]], ...]:
    """Each red flag that has terms, with a pattern finding any of them as whole words, in any case."""
    return tuple((f, re.compile(r"\b(?:" + "|".join(re.escape(t) for t in f.terms) + r")\b", re.IGNORECASE))
                 for f in flags.flags if f.terms)


def sign_named(text: str, patterns: tuple[tuple[RedFlag, re.Pattern[str]], ...]) -> tuple[RedFlag, str] | None:
    """The first red flag whose sign the text names, and the words that name it."""
    for flag, pattern in patterns:
        if hit := pattern.search(text):
            return flag, hit.group(0)
    return None


def check_warning_signs(protocols: Mapping[str, Entry], flags: Entry | None, out: Collector) -> None:
    """Every protocol's `watch_for` names red flags; no caution names a red flag's sign."""
    if flags is None:
        return
    red: RedFlags = flags.item
    patterns = sign_patterns(red)
    for entry in protocols.values():
        for i, flag_id in enumerate(entry.item.watch_for):
            if flag_id not in red.by_id:
                out.add(entry.doc, ("watch_for", i),
                        f"unknown red flag '{flag_id}'{did_you_mean(flag_id, red.by_id)}; use an id of rules/red-flags.yaml")
        for i, text in enumerate(entry.item.cautions):
            found = sign_named(text, patterns)
            if found is None:
                continue
            flag, words = found
            message = (f"'{words}' names the warning sign '{flag.id}' ({flag.plain}); list '{flag.id}' under watch_for, "
                       f"where every plan prints it once with its urgency, and leave it out of the caution")
            if entry.builtin:
                out.add(entry.doc, ("cautions", i), message)
            else:
                out.notices.append(f"notice: {entry.doc.file}:{entry.doc.line_of(('cautions', i))}: cautions.{i}: {message}")
