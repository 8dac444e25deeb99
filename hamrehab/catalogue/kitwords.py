"""A checkpoint box that names one of its phase's exercises needing kit says what to do without that kit; an
exercise's note in a protocol never names its own stand-in.

A runner who has not listed a loop band gets a side bridge in place of the clamshell; a box that still asks
for "the full dose of clamshells" could never be ticked. So a box that names (by its name or an alias, in
the singular or plural) an exercise of its own phase that needs kit must carry a `without` entry for one of
the kit items that exercise needs: the words printed for a runner without it (rule 0.5's mechanism).

The other way round, a protocol's note on an exercise is printed only with that exercise, so only to a runner who
has its kit: "no band - side bridges instead" there tells that runner about a swap the planner makes for the others.
What the others need to read ("start only once the Diver is pain-free") is the entry's `stand_in_note`, printed
with whatever stands in: it never names the exercise it stands for, and it is refused where nothing could stand in.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..model import Exercise, PhaseExercise, Protocol
from ..names import PLURAL, any_of, named_in, names_of
from .files import Collector, Entry
from .plainwords import report


def check_criteria_kit(protocols: Mapping[str, Entry], exercises: Mapping[str, Exercise], out: Collector) -> None:
    """Every exit criterion naming a kit-bound exercise of its phase has words for a runner without that kit."""
    for entry in protocols.values():
        proto: Protocol = entry.item
        for pi, phase in enumerate(proto.phases):
            listed = [ex for px in phase.exercises if (ex := exercises.get(px.exercise)) is not None]
            kit_bound = [ex for ex in listed if ex.needs]
            for ci, crit in enumerate(phase.exit_criteria):
                if not any(names_of(ex).search(crit.text) for ex in kit_bound):
                    continue  # (most boxes name no kit-bound exercise: the full look below only for those that may)
                covered = {w.kit for w in crit.without}
                found = [(ex, said) for ex, said in named_in(crit.text, listed) if ex.needs and not covered & ex.needs]
                if found:  # one message a box, naming the first exercise it finds
                    ex, said = min(found, key=lambda f: f[1].start())
                    report(entry, ("phases", pi, "exit_criteria", ci, "text"), out,
                           f"'{said.group(0)}' names {ex.id}, which needs {', '.join(sorted(ex.needs))}: a runner without it "
                           f"gets another exercise and could never tick this box; add `without: [{{kit: {sorted(ex.needs)[0]}, "
                           f"text: ...}}]` with the box in words for that runner")


def _phase_exercises(protocols: Mapping[str, Entry], exercises: Mapping[str, Exercise]
                     ) -> Iterator[tuple[Entry, tuple[object, ...], PhaseExercise, Exercise]]:
    """Every exercise entry of every protocol phase with its catalogue exercise, and where the entry stands."""
    for entry in protocols.values():
        proto: Protocol = entry.item
        for pi, phase in enumerate(proto.phases):
            for ei, px in enumerate(phase.exercises):
                if (ex := exercises.get(px.exercise)) is not None:
                    yield entry, ("phases", pi, "exercises", ei), px, ex


def check_notes_name_no_stand_in(protocols: Mapping[str, Entry], exercises: Mapping[str, Exercise], out: Collector) -> None:
    """No protocol note on a kit-bound exercise names one of its stand-ins."""
    for entry, where, px, ex in _phase_exercises(protocols, exercises):
        if not ex.needs or not px.note:
            continue
        stand_ins = [s for i in ex.substitutes if (s := exercises.get(i)) is not None]
        found = named_in(px.note, stand_ins)
        if found:
            stand_in, said = found[0]
            report(entry, (*where, "note"), out,
                   f"'{said.group(0)}' names {stand_in.id}, which a runner without {', '.join(sorted(ex.needs))} gets in "
                   f"place of {ex.id}; this note is printed only with {ex.id} itself, so leave the swap to the planner")


def check_stand_in_notes(protocols: Mapping[str, Entry], exercises: Mapping[str, Exercise], out: Collector) -> None:
    """A `stand_in_note` is on an exercise something can stand in for, and does not name that exercise."""
    for entry, where, px, ex in _phase_exercises(protocols, exercises):
        if not px.stand_in_note:
            continue
        if not ex.substitutes and not ex.easier:
            report(entry, (*where, "stand_in_note"), out, f"{ex.id} has no `substitutes` or `easier` forms, so nothing ever "
                                                          "stands in for it and this note would never be printed; put these words in `note`")
        elif (said := names_of(ex).search(px.stand_in_note)) is not None:
            report(entry, (*where, "stand_in_note"), out, f"'{said.group(0)}' names {ex.id}, but this note is printed only when "
                                                          "another exercise stands in for it; say what holds for the stand-in")


NOTES = ("note", "stand_in_note")


def check_notes_naming_exercises(protocols: Mapping[str, Entry], exercises: Mapping[str, Exercise], out: Collector) -> None:
    """A note naming another exercise of its phase ("after the leg swings") has a `without` entry for it, with the same
    note in words for a week without that exercise (the clinician left it out, or the runner lacks its kit); each such
    entry is for an exercise the note names, gives only notes the entry has, and never names its exercise itself."""
    for entry, where, px, _ in _phase_exercises(protocols, exercises):
        notes = [(field, text) for field in NOTES if (text := getattr(px, field))]
        if not notes and not px.without:
            continue
        phase = entry.item.phases[where[1]]
        listed = [o for p in phase.exercises if (o := exercises.get(p.exercise)) is not None
                  and o.category != "running"]  # a run ("after an easy run") is in the running row, never left out as a row
        anyone = any_of(tuple(sorted({w for o in listed for w in (o.name, *o.aliases)})), PLURAL)  # one search first
        others = [o for o in listed if o.id != px.exercise]
        by_id = {w.exercise: w for w in px.without}
        named: set[str] = set()
        for field, text in notes:
            if anyone.search(text) is None:
                continue
            for other, said in named_in(text, others):
                named.add(other.id)
                if getattr(by_id.get(other.id), field, None) is None:
                    report(entry, (*where, field), out,
                           f"'{said.group(0)}' names {other.id}, which a week may not give (the clinician left it out, or no kit "
                           f"for it); add `without: [{{exercise: {other.id}, {field}: ...}}]` with this note in words for that week")
        for wi, w in enumerate(px.without):
            if w.exercise not in named:
                report(entry, (*where, "without", wi, "exercise"), out,
                       f"{w.exercise} is not an exercise of this phase that `note` or `stand_in_note` names; drop this entry")
                continue
            for field in NOTES:
                text = getattr(w, field)
                if text is None:
                    continue
                if getattr(px, field) is None:
                    report(entry, (*where, "without", wi, field), out, f"the entry has no `{field}` for this to stand in for")
                elif (again := names_of(exercises[w.exercise]).search(text)) is not None:
                    report(entry, (*where, "without", wi, field), out,
                           f"'{again.group(0)}' names {w.exercise}, the exercise this note is printed without")
