"""`hamrehab triage` driven end to end through a real terminal (a pseudo-terminal, via pexpect)."""
from __future__ import annotations

import os
import re
import sys

import pytest

from hamrehab.triage import QUESTIONS

pexpect = pytest.importorskip("pexpect")

TIMEOUT = 30

# A strain a month ago, answered question by question: no red flag, so every question is asked.
REPLIES = {
    "saddle_numbness_or_bladder": "n",
    "calf_or_thigh_swelling": "n",
    "fever_or_night_pain": "no",
    "numbness_or_weakness": "n",
    "pain_now": "2",
    "onset": "1",
    "days_since_onset": "30",
    "location": "mid-thigh",
    "sensation": "1",
    "pop_heard": "n",
    "bruising": "n",
    "walks_normally": "y",
    "pain_below_knee": "n",
    "both_legs": "n",
    "worse_sitting": "n",
    "eases_when_warm": "n",
    "tender_spot": "y",
    "slr_pain_more_than_bent_knee": "n",
    "resisted_bend_painful": "y",
    "si_pressure_painful": "n",
    "shoe_test_painful": "y",
    "hinge_test_painful": "y",
    "heel_press_painful": "y",
    "hop_painful": "n",
}


def _spawn(tmp_path, *args: str):
    env = dict(os.environ, PYTHONUNBUFFERED="1", TERM="xterm", COLUMNS="200")
    child = pexpect.spawn(sys.executable, ["-m", "hamrehab", "triage", *args], cwd=str(tmp_path), env=env,
                          encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 200))
    child.expect("Type \\? if you do not know")
    return child


def _answer(child, question, reply: str) -> None:
    child.expect(re.escape(question.text[:50]))
    if question.how_to:
        before = child.before
        assert "How to test: " + question.how_to in before.replace("\r\n", "\n").replace("\n", " "), before
    if question.kind == "choice":
        child.expect(re.escape("Your answer [1-"))
    child.expect(re.escape("?] "))
    child.sendline(reply)


def _finish(child) -> str:
    child.expect(pexpect.EOF)
    child.close()
    return child.before


def test_every_question_answered_reaches_the_suggested_command(tmp_path):
    assert set(REPLIES) == {q.key for q in QUESTIONS}
    child = _spawn(tmp_path)
    for question in QUESTIONS:
        _answer(child, question, REPLIES[question.key])
    child.expect("No warning signs in your answers")
    child.expect(re.escape("1. Hamstring strain [hamstring-strain]"))
    child.expect(re.escape("hamrehab plan --diagnosis hamstring-strain --grade 1 --days-since-onset 30 --pain 2 -o plan.pdf"))
    rest = _finish(child)
    assert "See a physiotherapist or doctor if:" in rest
    assert child.exitstatus == 0
    assert not (tmp_path / "plan.pdf").exists()  # without --plan nothing is written


def test_bad_answer_is_asked_again_and_plan_is_written(tmp_path):
    child = _spawn(tmp_path, "--plan", "-o", "plan.pdf")
    first, second = QUESTIONS[0], QUESTIONS[1]
    child.expect(re.escape(first.text[:50]))
    child.expect(re.escape("?] "))
    child.sendline("perhaps")
    child.expect(re.escape("type y (yes), n (no) or ? (don't know)"))
    child.sendline("n")
    for question in QUESTIONS[1:]:
        _answer(child, question, REPLIES[question.key])
    child.expect(re.escape("-o plan.pdf"))
    child.expect("wrote the plan to plan.pdf")
    _finish(child)
    assert child.exitstatus == 0 and second.key == "calf_or_thigh_swelling"
    assert (tmp_path / "plan.pdf").read_bytes().startswith(b"%PDF")


def test_emergency_answer_stops_at_once_with_a_referral(tmp_path):
    child = _spawn(tmp_path, "--plan")
    _answer(child, QUESTIONS[0], "y")
    child.expect("No more questions: what you have described needs emergency care now")
    child.expect(re.escape("SEE A PROFESSIONAL FIRST (emergency)"))
    child.expect("--red-flag saddle-numbness")
    child.expect("wrote the referral handout")
    _finish(child)
    assert child.exitstatus == 0
    assert (tmp_path / "referral.pdf").exists() and not (tmp_path / "plan.pdf").exists()


def test_ctrl_c_stops_cleanly(tmp_path):
    child = _spawn(tmp_path)
    child.expect(re.escape("?] "))
    child.sendintr()
    child.expect("Stopped.")
    _finish(child)
    assert child.exitstatus == 1
