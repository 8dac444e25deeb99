"""No citation in the runner's words: sources go in `sources:` (hamrehab/catalogue/plainwords.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hamrehab.catalogue import load_catalogue
from hamrehab.catalogue.files import Collector, Entry
from hamrehab.catalogue.plainwords import _author_year, check_plain_words, citation_in, pain_score, texts_of
from hamrehab.cli import main
from hamrehab.model import Exercise

from .conftest import builtin_entry, shipped_catalogue, write

CITED = ["Tendons adapt slowly (Goom 2016).", "the signal in Goom 2016 to move on", "as van Dyk et al. 2019 found",
         "from petersen-2011", "It can take a year to settle (S2).", "as long as the pain rules hold (S2, S3).",
         "A clot is possible (theiss-2011, S2)."]
PLAIN = ["Pain at the S1 nerve root level (S1 nerve root)", "about 2016 steps (2016 steps)", "each side (left first)",
         "Askling Extender", "In 2016 the season ended.", "Hold 45 s (about 5 breaths).", "Goomba 2016", "(S9)"]


@pytest.mark.parametrize("text", CITED)
def test_a_citation_in_the_runners_words_is_found(text):
    refs = shipped_catalogue().references
    assert citation_in(text, refs, _author_year(refs)) is not None


@pytest.mark.parametrize("text", PLAIN)
def test_plain_words_are_left_alone(text):
    refs = shipped_catalogue().references
    assert citation_in(text, refs, _author_year(refs)) is None


def test_the_shipped_catalogue_has_none():
    """Every built-in exercise, protocol, red flag, triage text and handout sentence (validate runs the check)."""
    catalogue = load_catalogue()
    out = Collector()
    refs = catalogue.references
    entries = {k: Entry(item, None, Path("."), True) for k, item in {**catalogue.exercises, **catalogue.protocols}.items()}
    check_plain_words(entries, refs, out)
    check_plain_words([Entry(catalogue.red_flags, None, Path("."), True), Entry(catalogue.triage, None, Path("."), True),
                       Entry(catalogue.wording, None, Path("."), True)], refs, out)
    assert out.problems == [] and out.notices == []


def _exercise(tmp_path: Path, valid_text: str, step: str) -> Path:
    return write(tmp_path / "mine", "my-bridge.yaml", valid_text.replace("  - Lift your hips.\n", f"  - {step}\n"))


def test_a_builtin_document_with_a_citation_is_a_problem_at_its_line(tmp_path, valid_text):
    path = _exercise(tmp_path, valid_text, "Lift your hips (Goom 2016).")
    out = Collector()
    check_plain_words({"my-bridge": builtin_entry(path, Exercise)}, shipped_catalogue().references, out)
    line = path.read_text(encoding="utf-8").splitlines().index("  - Lift your hips (Goom 2016).") + 1
    assert [(p.line, p.field) for p in out.problems] == [(line, "steps.1")]
    assert "'(Goom 2016)'" not in out.problems[0].message and "'Goom 2016' is a citation" in out.problems[0].message


def _validate_step(runner, tmp_path: Path, valid_text: str, step: str) -> tuple[str, str]:
    """`validate --catalogue` on a clinician's exercise whose second step is `step`: (its output, the step's
    file:line) after checking the folder still loads."""
    path = _exercise(tmp_path, valid_text, step)
    result = runner.invoke(main, ["validate", "--catalogue", str(path.parent)])
    assert result.exit_code == 0, result.output
    return result.output, f"{path}:{path.read_text(encoding='utf-8').splitlines().index(f'  - {step}') + 1}"


def test_a_clinicians_document_with_a_citation_loads_with_a_notice_naming_its_line(runner, tmp_path, valid_text):
    output, where = _validate_step(runner, tmp_path, valid_text, "Lift your hips (S2).")
    assert f"notice: {where}: steps.1: '(S2)' is a citation in the runner's words" in output
    clean = runner.invoke(main, ["validate", "--catalogue", str(_exercise(tmp_path / "b", valid_text, "Lift your hips.").parent)])
    assert clean.exit_code == 0 and "citation" not in clean.output


def test_the_walk_visits_every_field_that_can_hold_words_and_skips_vocabulary_and_numbers():
    from hamrehab.catalogue.plainwords import _fields
    from hamrehab.model.protocol import ExitCriterion, Phase

    fields = _fields(Exercise)
    assert {"name", "summary", "steps", "cues", "mistakes", "caution", "contraindications", "dosage"} <= set(fields)
    assert not {"category", "targets", "equipment", "position", "per_side", "sources", "figure", "id"} & set(fields)
    assert "weeks" not in _fields(Phase) and {"goals", "running", "exit_criteria"} <= set(_fields(Phase))
    assert _fields(ExitCriterion) == ("text", "without", "walking")  # kind is vocabulary, sources are sources


SCORED = ["Stop if pain goes above 3 out of 10.", "This should be pain-free (0-2 out of 10).", "Keep any pain below 2/10.",
          "pain of 10 / 10", "about 3 Out Of 10"]
UNSCORED = ["3 sets of 10", "hold for 10 s, 3 times", "Stop if pain reaches your week page's stop level.",
            "10 reps at 10 kg", "week 3 of 10 weeks"]


@pytest.mark.parametrize("text", SCORED)
def test_a_pain_score_on_an_exercise_is_found(text):
    assert pain_score(("caution",), text) is not None


@pytest.mark.parametrize("text", UNSCORED)
def test_numbers_that_are_not_pain_scores_are_left_alone(text):
    assert pain_score(("caution",), text) is None


def test_a_pain_score_on_a_clinicians_exercise_loads_with_a_notice_and_none_is_shipped(runner, tmp_path, valid_text):
    """A card's "stop above 3 out of 10" beside a week page's own limit: every plan could contradict it."""
    output, where = _validate_step(runner, tmp_path, valid_text, "Lift until the pain is 3 out of 10.")
    assert f"notice: {where}: steps.1: '3 out of 10' is a pain score on an exercise" in output
    shipped = shipped_catalogue()
    assert [(ex.id, t) for ex in shipped.exercises.values() for p, t in texts_of(ex, ()) if pain_score(p, t)] == []
