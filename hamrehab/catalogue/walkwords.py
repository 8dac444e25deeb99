"""A checkpoint box about runs says what to tick for a runner who does not run.

Someone who runs 0 km a week gets brisk walks where a runner would run (rule 2.7). A box asking for "the easy
runs on your week pages" or "running at full speed" is one they could never tick, and an empty box means
"repeat this week", for ever. So every box that speaks of runs, jogs, sprints or strides carries `walking:`,
the same check asked of the brisk walks, and those words never speak of runs themselves. Pain "running down the
leg" is a symptom, not a run.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from ..model import Protocol
from .files import Collector, Entry
from .plainwords import report

ABOUT_RUNS = re.compile(r"\b(?:runs?|running|jog|jogs|jogging|sprint|sprints|sprinting|strides)\b(?! down\b)", re.IGNORECASE)


def check_boxes_about_runs(protocols: Mapping[str, Entry], out: Collector) -> None:
    """Every exit criterion about runs has `walking` words for a runner who does not run, which are not about runs."""
    for entry in protocols.values():
        proto: Protocol = entry.item
        for pi, phase in enumerate(proto.phases):
            for ci, crit in enumerate(phase.exit_criteria):
                where = ("phases", pi, "exit_criteria", ci)
                if crit.walking is not None and (said := ABOUT_RUNS.search(crit.walking.text)):
                    report(entry, (*where, "walking", "text"), out,
                           f"'{said.group(0)}': the box for a runner who does not run asks about their brisk walks, not runs")
                elif crit.walking is None and (said := ABOUT_RUNS.search(crit.text)):
                    report(entry, (*where, "text"), out,
                           f"'{said.group(0)}': a runner who does not run gets brisk walks and could never tick this box; add "
                           "`walking: {text: ..., kind: home-test}` with the same check asked of the walks")
