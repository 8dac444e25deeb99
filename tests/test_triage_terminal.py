"""`hamrehab triage` driven end to end through a real terminal (a pseudo-terminal, via pexpect)."""
from __future__ import annotations

import os
import re
import shlex
import sys

import pytest
from click.testing import CliRunner

from hamrehab.cli import main
from hamrehab.triage import next_question, parse_answer

pexpect = pytest.importorskip("pexpect")

TIMEOUT = 30

# A strain three weeks ago, answered question by question: no red flag, so the home tests are asked.
REPLIES = {
    "saddle_numbness": "n", "bladder_or_bowel_change": "n", "calf_or_thigh_swelling": "n", "fever": "no", "night_pain": "n",
    "weight_loss": "n", "numbness": "n", "foot_drop": "n", "walks_normally": "y", "pain_now": "2", "onset": "1",
    "days_since_onset": "30", "side": "left", "location": "2", "sensation": "1", "pop_heard": "n", "gap_felt": "n",
    "bruising": "n", "pain_below_knee": "n", "pain_down_leg_running": "n", "pain_spreading": "n", "symptoms_never_change": "n",
    "improved_in_2_weeks": "y", "worse_sitting": "n", "eases_when_warm": "n", "tender_spot": "y",
    "slr_pain_more_than_bent_knee": "n", "slr_range": "2", "resisted_bend_painful": "n", "si_pressure_painful": "n",
    "shoe_test_painful": "y", "hinge_test_painful": "y", "heel_press_painful": "y", "hop_painful": "n", "name": "Sam Runner",
}


def _asked(replies: dict[str, str]):
    """The questions in the order the questionnaire asks them, given these replies."""
    given: dict = {}
    asked: list = []
    while (q := next_question(given, [a.key for a in asked])) is not None:
        asked.append(q)
        value = parse_answer(q, replies[q.key])
        if value is not None:
            given[q.key] = value
    return asked


def _spawn(tmp_path, *args: str, columns: int = 200):
    env = dict(os.environ, PYTHONUNBUFFERED="1", TERM="xterm", COLUMNS=str(columns))
    child = pexpect.spawn(sys.executable, ["-m", "hamrehab", "triage", *args], cwd=str(tmp_path), env=env,
                          encoding="utf-8", timeout=TIMEOUT, dimensions=(50, columns))
    child.delaybeforesend = None  # each reply is sent only after its prompt is read: no need for pexpect's 50 ms pause
    child.expect(r"This is not a\s+diagnosis\.")
    return child


def _answer(child, question, reply: str) -> None:
    child.expect(re.escape(question.text[:40]))
    if question.how_to:
        assert "How to test: " + " ".join(question.how_to.split()) in " ".join(child.before.split()), child.before
    if question.kind == "choice":
        child.expect(re.escape("Your answer [1-"))
    child.expect(r"\] $")
    child.sendline(reply)


def _finish(child) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return child.before


def _expect_command(child, output: str) -> list[str]:
    """Wait for the suggested `hamrehab plan ... -o <output>` (wrapped over lines with a backslash); its arguments."""
    child.expect(r"hamrehab plan ((?:.|\n)+?) -o " + re.escape(output))
    return shlex.split(re.sub(r"\\\s*\n\s*", " ", child.match.group(1).replace("\r", "")))


def _same_as_the_command(written, args: list[str], tmp_path) -> None:
    """The file triage wrote is, byte for byte, what the suggested `hamrehab plan` command writes."""
    again = tmp_path / "again" / written.name
    again.parent.mkdir()
    result = CliRunner().invoke(main, ["plan", *args, "-o", str(again)])
    assert result.exit_code == 0, result.output
    assert written.read_bytes() == again.read_bytes(), f"{written.name} is not what `hamrehab plan {shlex.join(args)}` writes"


def test_every_question_answered_reaches_the_suggested_command(tmp_path):
    asked = _asked(REPLIES)
    assert {q.key for q in asked} == set(REPLIES)
    child = _spawn(tmp_path)
    for question in asked:
        _answer(child, question, REPLIES[question.key])
    child.expect("No warning signs in your answers")
    child.expect(re.escape("1. Hamstring strain: "))
    child.expect(re.escape("hamrehab plan --diagnosis hamstring-strain --grade 1 --days-since-onset 30 --side left "
                           "--name 'Sam Runner' --pain 2 -o plan.pdf"))
    rest = _finish(child)
    assert "See a professional if, from now on:" in rest
    assert child.exitstatus == 0
    assert not (tmp_path / "plan.pdf").exists()  # without --plan nothing is written


def test_bad_answer_is_asked_again_and_plan_is_written(tmp_path):
    asked = _asked(REPLIES)
    child = _spawn(tmp_path, "--plan", "-o", "plan.pdf")
    child.expect(re.escape(asked[0].text[:40]))
    child.expect(r"\] $")
    child.sendline("perhaps")
    child.expect(re.escape("type y (yes), n (no) or ? (don't know)"))
    child.sendline("n")
    for question in asked[1:]:
        _answer(child, question, REPLIES[question.key])
    command = _expect_command(child, "plan.pdf")
    assert command == ["--diagnosis", "hamstring-strain", "--grade", "1", "--days-since-onset", "30", "--side", "left",
                       "--name", "Sam Runner", "--pain", "2"]
    child.expect("wrote the plan to plan.pdf")
    _finish(child)
    assert child.exitstatus == 0
    _same_as_the_command(tmp_path / "plan.pdf", command, tmp_path)


def test_back_returns_to_the_previous_question_and_forgets_its_answer(tmp_path):
    """A mistyped yes to "does the pain wake you at night" taken back: no warning sign, a plan as before."""
    asked = _asked(REPLIES)
    child = _spawn(tmp_path)
    for question in asked:
        if question.key == "weight_loss":
            child.expect(re.escape(question.text[:40]))
            child.expect(r"\] $")
            child.sendline("back")
            _answer(child, next(q for q in asked if q.key == "night_pain"), "n")  # asked again
        if question.key == "night_pain":
            _answer(child, question, "y")  # the slip
            continue
        _answer(child, question, REPLIES[question.key])
    child.expect("No warning signs in your answers")
    child.expect(re.escape("--days-since-onset 30 --side left"))
    _finish(child)
    assert child.exitstatus == 0


def test_a_duration_in_months(tmp_path):
    replies = dict(REPLIES, days_since_onset="2 months")
    asked = _asked(replies)
    child = _spawn(tmp_path)
    for question in asked:
        _answer(child, question, replies[question.key])
    child.expect(re.escape("--days-since-onset 60"))
    _finish(child)
    assert child.exitstatus == 0


def test_skipping_side_and_name_with_enter(tmp_path):
    replies = dict(REPLIES, side="", name="", both_legs="n")
    asked = _asked(replies)
    assert "both_legs" in [q.key for q in asked]  # the side skipped: "both legs?" is asked instead
    child = _spawn(tmp_path)
    for question in asked:
        if question.key in ("side", "name"):
            child.expect(re.escape(question.text[:40]))
            child.expect(re.escape("Enter to skip"))
            child.expect(r"\] $")
            child.sendline("")
            continue
        _answer(child, question, replies[question.key])
    child.expect(re.escape("hamrehab plan --diagnosis hamstring-strain --grade 1 --days-since-onset 30 --pain 2 -o plan.pdf"))
    child.expect(re.escape("(add --side left or --side right and --name to put them on the plan)"))
    _finish(child)
    assert child.exitstatus == 0


def test_questions_wrap_on_word_boundaries_in_a_narrow_terminal(tmp_path):
    child = _spawn(tmp_path, columns=40)
    child.expect(r"\] $")
    screen = child.before
    child.sendintr()
    _finish(child)
    lines = [line for line in screen.replace("\r", "").split("\n") if line.strip()]
    assert lines and all(len(line) <= 39 for line in lines), lines
    assert "between your legs" in " ".join(screen.split())


def test_emergency_answer_stops_at_once_with_a_referral(tmp_path):
    child = _spawn(tmp_path, "--plan")
    _answer(child, _asked(REPLIES)[0], "y")
    child.expect("No more questions: what you have described needs emergency care now")
    child.expect(re.escape("SEE A PROFESSIONAL FIRST (emergency)"))
    command = _expect_command(child, "referral.pdf")
    assert "--red-flag" in command and command[command.index("--red-flag") + 1] == "saddle-numbness"
    child.expect("wrote the referral handout")
    _finish(child)
    assert child.exitstatus == 0
    assert not (tmp_path / "plan.pdf").exists()
    _same_as_the_command(tmp_path / "referral.pdf", command, tmp_path)


def test_ctrl_c_stops_cleanly(tmp_path):
    child = _spawn(tmp_path)
    child.expect(r"\] $")
    child.sendintr()
    child.expect("Stopped.")
    _finish(child)
    assert child.exitstatus == 1
