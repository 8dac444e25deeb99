"""A checkpoint box naming a kit-bound exercise of its phase says what to do without that kit
(hamrehab/catalogue/kitwords.py; the words are printed by rule 0.5's `without`); a note is printed only with its
own exercise, and a stand-in reads the protocol's `stand_in_note` (rule 6.4); a note naming another exercise of its
phase has words for a week without it (rule 6.6)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from hamrehab.catalogue.files import Collector, Entry
from hamrehab.catalogue.kitwords import check_criteria_kit, check_notes_name_no_stand_in, check_notes_naming_exercises, check_stand_in_notes
from hamrehab.cli import main
from hamrehab.model import PhaseExercise, PlanRequest, Protocol
from hamrehab.planner import build
from hamrehab.prescribing import protocol_note
from hamrehab.vocab import EQUIPMENT
from hamrehab.yamlsource import read_yaml

from .conftest import builtin_entry, shipped_catalogue, write

ROOT = Path(__file__).resolve().parents[1]
CLAMSHELLS = "You do the full dose of bridges, band walks and clamshells at 0-2/10, and the leg is no worse the next morning."
WITHOUT = ', without: [{kit: loop-band, text: "You do the full dose of bridges and side bridges at 0-2/10, and the leg is no worse the next morning."}]'


def _sciatic(folder: Path, without: bool) -> Path:
    """The built-in nerve protocol as a clinician's copy, its clamshell box with or without words for no loop band."""
    text = (ROOT / "protocols" / "sciatic-referral.yaml").read_text(encoding="utf-8")
    assert WITHOUT in text
    return write(folder, "sciatic-referral.yaml", text if without else text.replace(WITHOUT, "", 1))


def _line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_a_builtin_box_naming_a_kit_bound_exercise_without_other_words_is_a_problem_at_its_line(tmp_path):
    path = _sciatic(tmp_path, without=False)
    out = Collector()
    check_criteria_kit({"sciatic-referral": builtin_entry(path, Protocol)}, shipped_catalogue().exercises, out)
    assert [(p.line, p.field) for p in out.problems] == [(_line(path, CLAMSHELLS), "phases.1.exit_criteria.2.text")]
    assert "names loop-band-side-walk, which needs loop-band" in out.problems[0].message  # 'band walks', an alias


def test_a_clinicians_box_loads_with_a_notice_and_the_shipped_words_pass(runner, tmp_path):
    path = _sciatic(tmp_path / "mine", without=False)
    result = runner.invoke(main, ["validate", "--protocols", str(path.parent)])
    assert result.exit_code == 0, result.output
    assert f"notice: {path}:{_line(path, CLAMSHELLS)}: phases.1.exit_criteria.2.text: 'band walks' names" in result.output
    clean = runner.invoke(main, ["validate", "--protocols", str(_sciatic(tmp_path / "clean", without=True).parent)])
    assert clean.exit_code == 0 and "exit_criteria" not in clean.output, clean.output


@pytest.mark.parametrize("diagnosis,kit,gone", [("sciatic-referral", ("chair", "step"), "clamshells"),
                                                ("si-joint-referral", ("chair",), "clamshells"),
                                                ("sciatic-referral", ("chair",), "Romanian"),
                                                ("distal-tendinopathy", ("chair",), "assisted Nordic"),
                                                ("prevention", ("none",), "most of the Nordic curl before"),
                                                ("distal-tendinopathy", ("chair",), "ball curls")])
def test_a_runner_without_the_kit_gets_a_box_they_can_tick(diagnosis, kit, gone):
    plan = build(PlanRequest(diagnosis=diagnosis, weeks=16, start=dt.date(2026, 3, 2), runner_km_per_week=20, equipment=kit),
                 shipped_catalogue())
    boxes = " ".join(c.text for ph in plan.phases for c in ph.exit_criteria)
    assert gone not in boxes
    given = {p.name.lower() for w in plan.weeks for p in w.prescriptions}
    assert not any(name in given for name in ("loop-band clamshell", "romanian deadlift", "assisted nordic curl",
                                              "stability-ball hamstring curl"))


def test_a_note_naming_its_exercises_stand_in_is_a_problem_at_its_line(runner, tmp_path):
    # The note is printed only with the exercise itself, so only to a runner who has its kit: "No bench or sofa - floor
    # bridges instead" told that runner about a swap the planner makes for the others.
    text = (ROOT / "protocols" / "proximal-tendinopathy.yaml").read_text(encoding="utf-8")
    old = "        note: Keeps the strength from stage 2.\n"
    assert old in text
    path = write(tmp_path / "mine", "proximal-tendinopathy.yaml",
                 text.replace(old, "        note: Keeps the strength from stage 2. No bench or sofa - floor bridges instead.\n", 1))
    out = Collector()
    check_notes_name_no_stand_in({"proximal-tendinopathy": builtin_entry(path, Protocol)}, shipped_catalogue().exercises, out)
    assert [(p.line, p.field) for p in out.problems] == [(_line(path, "floor bridges instead"), "phases.2.exercises.3.note")]
    assert "'floor bridges' names glute-bridge, which a runner without bench gets in place of hip-thrust" in out.problems[0].message
    result = runner.invoke(main, ["validate", "--protocols", str(path.parent)])  # a clinician's own: a notice, and it loads
    assert result.exit_code == 0 and f"notice: {path}:{_line(path, 'floor bridges instead')}: phases.2.exercises.3.note" in result.output


DIVER = '        stand_in_note: "Start only once the Diver is pain-free, and work only through the range you can control."\n'


def _checked(folder: Path, pid: str, old: str, new: str, check) -> tuple[Path, list]:
    """A built-in protocol with `old` written as `new`, put through one of kitwords' checks as a built-in file."""
    text = (ROOT / "protocols" / f"{pid}.yaml").read_text(encoding="utf-8")
    assert old in text
    path = write(folder, f"{pid}.yaml", text.replace(old, new, 1))
    out = Collector()
    check({pid: builtin_entry(path, Protocol)}, shipped_catalogue().exercises, out)
    return path, out.problems


def _strain_with(folder: Path, old: str, new: str) -> tuple[Path, list]:
    return _checked(folder, "hamstring-strain", old, new, check_stand_in_notes)


@pytest.mark.parametrize("new,said", [
    (DIVER.replace("Start only", "Like the assisted Nordic curl, start only"), "'assisted Nordic curl' names nordic-curl-assisted"),
    (DIVER + "      - exercise: side-bridge\n        stand_in_note: Hold still.\n",
     "side-bridge has no `substitutes` or `easier` forms, so nothing ever stands in for it"),
])
def test_a_stand_in_note_that_names_its_exercise_or_could_never_print_is_a_problem_at_its_line(tmp_path, runner, new, said):
    path, problems = _strain_with(tmp_path / "mine", DIVER, new)
    line = _line(path, new.splitlines()[-1].strip())
    assert [p.line for p in problems] == [line] and said in problems[0].message, problems
    assert problems[0].field.endswith("stand_in_note")
    result = runner.invoke(main, ["validate", "--protocols", str(path.parent)])  # a clinician's own: a notice, and it loads
    assert result.exit_code == 0 and f"notice: {path}:{line}:" in result.output, result.output


def test_the_shipped_stand_in_notes_pass(tmp_path):
    assert _strain_with(tmp_path, DIVER, DIVER)[1] == []


@pytest.mark.parametrize("diagnosis,kit,stand_in,words", [
    ("hamstring-strain", ("none",), "nordic-curl-bed-assisted", "Start only once the Diver is pain-free"),
    ("sciatic-referral", ("none",), "lying-sciatic-nerve-slider", "stop well short of any tingling"),
    ("sciatic-referral", ("chair",), "single-leg-deadlift", "never tingling or pain down the leg"),
    ("distal-tendinopathy", ("chair", "loop-band"), "isometric-heel-press", "for pain relief"),
])
def test_a_stand_in_reads_what_the_protocol_says_for_it_and_never_the_replaced_exercises_note(diagnosis, kit, stand_in, words):
    plan = build(PlanRequest(diagnosis=diagnosis, grade=2 if diagnosis == "hamstring-strain" else None, weeks=16,
                             start=dt.date(2026, 3, 2), runner_km_per_week=20, equipment=kit), shipped_catalogue())
    rows = [p for w in plan.weeks for p in w.prescriptions if p.exercise == stand_in]
    assert rows and any(words in n for p in rows for n in p.notes), [p.notes for p in rows]
    printed = " ".join(n for w in plan.weeks for p in w.prescriptions for n in p.notes)
    assert "No weights" not in printed and "Roll in and out" not in printed


# A note naming another exercise of its phase has words for a week without it (rule 6.6, `without` on the entry).
KNEES = '        note: Before each run, after the leg swings.\n'
KNEES_WITHOUT = KNEES + '        without:\n          - exercise: leg-swings\n            note: "Before each run."\n'


def _prevention_with(folder: Path, new: str) -> tuple[Path, list]:
    """The built-in prevention protocol with its first high-knees entry's note as `new`, checked as a built-in file."""
    return _checked(folder, "prevention", KNEES_WITHOUT, new, check_notes_naming_exercises)


@pytest.mark.parametrize("new,at,said", [
    (KNEES, KNEES, "'leg swings' names leg-swings, which a week may not give"),
    (KNEES_WITHOUT.replace('"Before each run."', '"Before each run, once the leg swings are done."'), "once the leg swings",
     "'leg swings' names leg-swings, the exercise this note is printed without"),
    (KNEES_WITHOUT.replace("exercise: leg-swings", "exercise: marching-drill"), "exercise: marching-drill",
     "marching-drill is not an exercise of this phase that `note` or `stand_in_note` names"),
    (KNEES_WITHOUT + '            stand_in_note: "Before each run."\n', 'stand_in_note: "Before each run."',
     "the entry has no `stand_in_note` for this to stand in for"),
])
def test_a_note_naming_another_exercise_needs_words_for_a_week_without_it(tmp_path, runner, new, at, said):
    path, problems = _prevention_with(tmp_path / "mine", new)
    found = [p for p in problems if p.line == _line(path, at.strip())]  # (a wrong entry leaves the note uncovered too)
    assert len(found) == 1 and said in found[0].message, problems
    result = runner.invoke(main, ["validate", "--protocols", str(path.parent)])  # a clinician's own: a notice, and it loads
    assert result.exit_code == 0 and f"notice: {path}:{_line(path, at.strip())}:" in result.output, result.output


def test_the_shipped_notes_naming_other_exercises_pass():
    catalogue = shipped_catalogue()
    out = Collector()
    for pid in catalogue.protocols:
        path = ROOT / "protocols" / f"{pid}.yaml"
        doc, _ = read_yaml(path)
        assert doc is not None
        check_notes_naming_exercises({pid: Entry(catalogue.protocols[pid], doc, path.parent, True)}, catalogue.exercises, out)
    assert out.problems == []


@pytest.mark.parametrize("diagnosis,without,kit,exercise,gone,words", [
    ("prevention", "leg-swings", ("gym",), "high-knees", "leg swings", "Before each run."),
    ("hamstring-strain", "askling-diver", ("gym",), "nordic-curl-assisted", "Diver", "Lean forward only as far"),
    ("hamstring-strain", "askling-diver", ("none",), "nordic-curl-bed-assisted", "Diver", "work only through the range"),
    ("hamstring-strain", "askling-extender", ("gym",), "askling-diver", "Extender", "Every other day"),
])
def test_a_note_reads_its_words_for_a_week_without_the_exercise_it_names(diagnosis, without, kit, exercise, gone, words):
    equipment = tuple(e for e in EQUIPMENT if e != "none") if kit == ("gym",) else kit
    plan = build(PlanRequest(diagnosis=diagnosis, grade=2 if diagnosis == "hamstring-strain" else None, weeks=16,
                             start=dt.date(2026, 3, 2), runner_km_per_week=20, equipment=equipment, without=(without,)), shipped_catalogue())
    rows = [p for w in plan.weeks for p in w.prescriptions if p.exercise == exercise]
    assert rows and all(any(n.startswith(words) or words in n for n in p.notes) for p in rows), [p.notes for p in rows]
    assert not any(gone in n for p in rows for n in p.notes)
    kept = build(plan.request.model_copy(update={"without": ()}), shipped_catalogue())  # with it, the note names it as written
    assert any(gone in n for w in kept.weeks for p in w.prescriptions if p.exercise == exercise for n in p.notes)


def test_a_note_without_words_for_that_week_stands_as_written():
    # The entry's `without` rewords only the note that names the exercise; its stand-in note, naming nothing, stays.
    px = PhaseExercise.model_validate({"exercise": "high-knees", "note": "Before each run, after the leg swings.",
                                       "stand_in_note": "Keep it easy.", "without": [{"exercise": "leg-swings", "note": "Before each run."}]})
    assert protocol_note(px, False, frozenset()) == "Before each run."
    assert protocol_note(px, False, frozenset({"leg-swings"})) == "Before each run, after the leg swings."
    assert protocol_note(px, True, frozenset()) == "Keep it easy."
