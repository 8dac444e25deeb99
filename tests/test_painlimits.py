"""A phase's words stop where its week pages do (hamrehab/catalogue/painlimits.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from hamrehab.catalogue.files import Collector
from hamrehab.catalogue.painlimits import check_stop_levels, stop_levels
from hamrehab.cli import main
from hamrehab.model import Protocol

from .conftest import builtin_entry, write

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("text,level", [("Stop and walk if the pain reaches 5/10, or grows.", 5),
                                        ("Stop and walk home if it passes 3/10 or keeps building.", 4),
                                        ("Carry on only while it eases; stop if it goes above 2 out of 10.", 3),
                                        ("Stop if pain hits 4 out of 10.", 4)])
def test_the_score_a_sentence_stops_at(text, level):
    assert [lvl for _, lvl in stop_levels(text)] == [level]


@pytest.mark.parametrize("text", ["Go deeper only while it stays at or below 3/10.", "Your test scores 3/10 or less.",
                                  "Easy runs stay at 3/10 or less. Stop if it spreads down the leg."])
def test_a_score_that_is_not_where_to_stop_is_left_alone(text):
    assert stop_levels(text) == []


def test_a_stop_if_rule_needs_no_word_stop():
    assert [lvl for _, lvl in stop_levels("The pain passes 4/10, keeps climbing as you go.", stop_if=True)] == [5]


def _nerve(folder: Path, note: str) -> Path:
    """The built-in nerve protocol as a clinician's own copy, its first running note changed."""
    text = (ROOT / "protocols" / "sciatic-referral.yaml").read_text(encoding="utf-8")
    old = "        - Stop and walk if the pain passes 3/10, grows the longer you run, or spreads down the leg.\n"
    assert text.count(old) == 1
    return write(folder, "sciatic-referral.yaml", text.replace(old, f"        - {note}\n"))


def test_a_clinicians_phase_that_stops_elsewhere_loads_with_a_notice_at_its_line(runner, tmp_path):
    """The nerve plan's running notes stopped at 5/10 where its week pages (during_max 3) stop at 4/10."""
    path = _nerve(tmp_path / "mine", "Stop and walk if the pain reaches 5/10.")
    line = next(n for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "reaches 5/10" in t)
    result = runner.invoke(main, ["validate", "--protocols", str(path.parent)])
    assert result.exit_code == 0, result.output
    assert (f"notice: {path}:{line}: phases.0.running.notes.1: 'reaches 5/10' stops at 5/10, but this phase's week pages "
            "stop at 4/10") in result.output
    same = runner.invoke(main, ["validate", "--protocols", str(_nerve(tmp_path / "same", "Stop if it reaches 4/10.").parent)])
    assert same.exit_code == 0 and "stops at" not in same.output


def test_a_builtin_phase_that_stops_elsewhere_is_a_problem(tmp_path):
    path = _nerve(tmp_path, "Stop and walk if the pain reaches 5/10.")
    out = Collector()
    check_stop_levels({"sciatic-referral": builtin_entry(path, Protocol)}, out)
    assert [p.field for p in out.problems] == ["phases.0.running.notes.1"]
