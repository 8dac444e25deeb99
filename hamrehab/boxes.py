"""What the clinician's changes do to a plan's checkpoint boxes, said to the clinician (never on the runner's pages).

A checkpoint box is the protocol's. After a change it may name an exercise the clinician left out or swapped away
("You warm up with leg swings, high knees and drills before every run"), or ask for "3 slow sets of 10-12" of an
exercise whose dose the clinician set lower, which its phase then never reaches. The plan follows the clinician;
these notices say which boxes no longer fit, so the clinician can change the dose or tell the runner what to tick.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from .catalogue import Catalogue
from .changes import Changes
from .model.handout import ChangeWords
from .names import named_in
from .plan import PlanPhase, Prescription, Week
from .wording import dose as dose_words

SETS_OF = re.compile(r"\b(\d+) (?:slow )?sets of (\d+)(?:-\d+)? ", re.IGNORECASE)  # "3 slow sets of 10-12 bridges"


def _top_reps(p: Prescription) -> int:
    return p.reps_max or (max(p.reps) if isinstance(p.reps, tuple) else p.reps) or 0


def _reaches(p: Prescription, sets: int, reps: int) -> bool:
    return p.sets >= sets and _top_reps(p) >= reps


def box_notices(phases: tuple[PlanPhase, ...], weeks: tuple[Week, ...], changes: Changes, catalogue: Catalogue,
                words: ChangeWords, listed: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    """Each checkpoint box of the plan that the clinician's changes leave naming an exercise the runner no longer
    does, or asking for more sets or repetitions than the clinician's own dose grows to in that phase.
    `listed`: each phase's own exercises in its protocol, before the changes."""
    if not changes and not changes.left_out:  # most plans: nothing of the clinician's to check, and no cost
        return ()
    return tuple(dict.fromkeys(_notices(phases, weeks, changes, catalogue, words, listed)))


def _notices(phases: tuple[PlanPhase, ...], weeks: tuple[Week, ...], changes: Changes, catalogue: Catalogue,
             words: ChangeWords, listed: Mapping[str, frozenset[str]]) -> Iterator[str]:
    gone = sorted(changes.left_out | {old for old, _ in changes.swap})
    for ph in phases:
        given = [p for w in weeks if w.phase == ph.id for p in w.prescriptions]
        doing = [catalogue.exercises[i] for i in dict.fromkeys(p.exercise for p in given) if i in catalogue.exercises]
        # only an exercise the phase itself gives: "from walking to jogging" in a phase without the Walking exercise
        # speaks of walking, not of the exercise the clinician left out of an earlier phase
        missing = [catalogue.exercises[i] for i in gone
                   if i in catalogue.exercises and i in listed.get(ph.id, ()) and i not in {d.id for d in doing}]
        for box in ph.exit_criteria:
            # named among everything, so 'bridges' inside 'single-leg bridges' is the single-leg bridge's, not a left-out bridge's
            for ex, _ in named_in(box.text, doing + missing):
                if ex in missing:
                    yield words.box_names_left_out.format(phase=ph.name, exercise=ex.name, box=box.text)
            for m in SETS_OF.finditer(box.text):
                ids = {ex.id for ex, _ in named_in(box.text[m.end():], doing)}
                named = [p for p in given if p.exercise in ids]
                if named and all(p.clinician for p in named) and not any(_reaches(p, int(m[1]), int(m[2])) for p in named):
                    last = named[-1]  # the phase's last week: as far as the dose gets
                    dose = dose_words(last.sets, last.reps, last.hold_s, last.duration_s, last.reps_max)
                    yield words.box_out_of_reach.format(phase=ph.name, exercise=last.name, dose=dose, box=box.text)
