"""Triage: from a runner's answers to red flags, a ranked list of likely causes, a stage and a command.

Pure logic, no click: the questions, the `Answers` model, reading an answers file, and
`assess()`. Every scoring rule is one row of RULES, adds or takes away a few points, and
names the sources it rests on (clinical-facts.md section 2; red flags from section 5 via
safety.RED_FLAGS). The result is a guide for choosing a plan, never a diagnosis.
"""
from __future__ import annotations

import datetime as dt
import json
import shlex
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .exceptions import InputError
from .model import PainThresholds, PlanRequest
from .catalogue import builtin_rules
from .timeline import DEFAULT_GRADE, start_index
from .request import flag
from .safety import RED_FLAGS, URGENCIES, Referral, screen
from .validation import did_you_mean, problems_from
from .vocab import DIAGNOSES
from .yamlsource import read_yaml

Onset = Literal["sudden-fast-running", "sudden-other", "gradual", "after-hard-session"]
Location = Literal["sit-bone", "mid-thigh", "near-knee", "buttock-or-low-back", "whole-back-of-thigh"]
Sensation = Literal["sharp", "ache", "tight", "burning-tingling"]
YesNo = bool | None


class Answers(BaseModel):
    """One runner's answers. Any answer may be missing: unknown means not asked, and scores nothing."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    onset: Onset | None = None
    location: Location | None = None
    sensation: Sensation | None = None
    pop_heard: YesNo = None
    bruising: YesNo = None
    walks_normally: YesNo = None
    worse_sitting: YesNo = None
    eases_when_warm: YesNo = None
    both_legs: YesNo = None
    pain_below_knee: YesNo = None
    numbness_or_weakness: YesNo = None
    saddle_numbness_or_bladder: YesNo = None
    calf_or_thigh_swelling: YesNo = None
    fever_or_night_pain: YesNo = None
    slr_pain_more_than_bent_knee: YesNo = None
    tender_spot: YesNo = None
    resisted_bend_painful: YesNo = None
    si_pressure_painful: YesNo = None
    shoe_test_painful: YesNo = None
    hinge_test_painful: YesNo = None
    heel_press_painful: YesNo = None
    hop_painful: YesNo = None
    days_since_onset: Annotated[int, Field(ge=0, le=3650)] | None = None
    pain_now: Annotated[int, Field(ge=0, le=10)] | None = None


KEYS = tuple(Answers.model_fields)


# ------------------------------------------------------------------ the questions

@dataclass(frozen=True)
class Question:
    """One question: its answer key, the words asked, the kind of answer, and for a home test how to do it."""

    key: str
    text: str
    kind: Literal["yes-no", "choice", "number"]
    choices: tuple[tuple[str, str], ...] = ()  # (value, plain words) for a choice
    low: int = 0
    high: int = 0
    how_to: str = ""  # the home test, explained; shown just before the question
    red_flag: bool = False  # asked early: a yes can mean "see a professional first"
    home_test: bool = False  # skipped when a red flag has already turned up

    @property
    def accepted(self) -> str:
        if self.kind == "yes-no":
            return "true/false or yes/no"
        if self.kind == "number":
            return f"a whole number from {self.low} to {self.high}"
        return ", ".join(v for v, _ in self.choices)


ONSET_CHOICES = (
    ("sudden-fast-running", "Suddenly, while running fast or sprinting"),
    ("sudden-other", "Suddenly, doing something else (a kick, a slip, a stretch, an easy run)"),
    ("gradual", "Gradually, over days or weeks"),
    ("after-hard-session", "As soreness that built up a day or two after a hard or unusual session"),
)
LOCATION_CHOICES = (
    ("sit-bone", "At the sit bone: the bony point you sit on, at the top of the back of the thigh"),
    ("mid-thigh", "In the middle of the back of the thigh"),
    ("near-knee", "Low down, close to the back of the knee"),
    ("buttock-or-low-back", "It starts in the buttock or the low back and reaches into the thigh"),
    ("whole-back-of-thigh", "Spread over the whole back of the thigh"),
)
SENSATION_CHOICES = (
    ("sharp", "Sharp or stabbing"),
    ("ache", "A dull ache"),
    ("tight", "Tight or stiff"),
    ("burning-tingling", "Burning, buzzing, tingling or like an electric shock"),
)

STOP_IF_IT_HURTS = "Go gently, and stop as soon as it hurts: you only need to notice whether it does."

QUESTIONS: tuple[Question, ...] = (
    # Red flags first: a yes to any of these changes what happens next.
    Question("saddle_numbness_or_bladder", "Is there numbness between your legs or around your bottom, or any new trouble "
             "holding or passing urine or stools?", "yes-no", red_flag=True),
    Question("calf_or_thigh_swelling", "Is your calf or thigh swollen, warm or red (especially after a long journey or an operation)?",
             "yes-no", red_flag=True),
    Question("fever_or_night_pain", "Do you have a fever or feel generally unwell, or does the pain wake you at night?",
             "yes-no", red_flag=True),
    Question("numbness_or_weakness", "Is part of the leg or foot numb, does the leg feel weak, or does the foot slap or drag when you walk?",
             "yes-no", red_flag=True),
    Question("pain_now", "How bad is the pain right now, sitting or lying still? 0 means no pain, 10 the worst you can imagine.",
             "number", low=0, high=10, red_flag=True),
    # The story.
    Question("onset", "How did it start?", "choice", choices=ONSET_CHOICES),
    Question("days_since_onset", "How many days ago did it start? (0 if today)", "number", low=0, high=3650),
    Question("location", "Where is the pain mainly?", "choice", choices=LOCATION_CHOICES),
    Question("sensation", "What does it feel like, mostly?", "choice", choices=SENSATION_CHOICES),
    Question("pop_heard", "At the moment it started, did you feel or hear a pop or a snap?", "yes-no", red_flag=True),
    Question("bruising", "Is there a clear bruise (a purple, blue or yellow patch) on the back of the thigh or behind the knee? "
             "It can take 3 to 7 days to show.", "yes-no", red_flag=True),
    Question("walks_normally", "Can you walk normally, without a limp?", "yes-no", red_flag=True),
    Question("pain_below_knee", "Does pain, tingling or numbness spread below the knee, into the calf or foot?", "yes-no", red_flag=True),
    Question("both_legs", "Are both legs sore?", "yes-no"),
    Question("worse_sitting", "Does sitting make it worse, for example in a car or on a hard chair?", "yes-no"),
    Question("eases_when_warm", "Once you have been moving or running for a while, does it ease off?", "yes-no"),
    Question("tender_spot", "Is there one spot that is clearly sorer to press than the rest?", "yes-no",
             how_to="Sit with the leg relaxed. With your fingertips, press firmly along the back of the thigh, from the "
                    "sit bone down to the back of the knee."),
    # Home tests: only when no red flag has turned up so far.
    Question("slr_pain_more_than_bent_knee", "Was the straight-leg lift much more painful (or did it bring on tingling) "
             "than the bent-knee one?", "yes-no", home_test=True,
             how_to="Lie on your back. First, keep the sore leg straight and lift it slowly (a helper lifts it by the heel, "
                    "or you pull on a towel looped round the foot) until you feel it. Then lift the thigh until it points at "
                    "the ceiling with the knee bent, hold the thigh there, and slowly straighten the knee. "
                    + STOP_IF_IT_HURTS),
    Question("resisted_bend_painful", "Did the back of the thigh hurt while you pushed?", "yes-no", home_test=True,
             how_to="Lie on your front with the sore knee bent to a right angle. A helper holds your ankle (or hook the heel "
                    "under a heavy sofa) while you try to bend the knee further, pushing moderately hard for 5 seconds "
                    "without moving. " + STOP_IF_IT_HURTS),
    Question("si_pressure_painful", "Did pressing there hurt, or bring on your usual pain?", "yes-no", home_test=True,
             how_to="Find the two bony bumps either side of the base of the spine, just below the waistband (often under "
                    "two small dimples). Press firmly with your thumb on the bump on the sore side."),
    Question("shoe_test_painful", "Did the back of the thigh hurt as you pulled the foot up and out?", "yes-no", home_test=True,
             how_to="Standing, take off the shoe of the sore leg using only your other foot: hook its toes behind the heel "
                    "of the shoe and draw the sore foot up and out. " + STOP_IF_IT_HURTS),
    Question("hinge_test_painful", "Did it hurt at the back of the thigh, more than the pull of an ordinary stretch?", "yes-no",
             home_test=True,
             how_to="Rest the heel of the sore leg on something about as high as your hip (a table or a railing), knee "
                    "straight. Keeping your back long, lean forward from the hips toward your toes, only as far as feels "
                    "comfortable. " + STOP_IF_IT_HURTS),
    Question("heel_press_painful", "Did the back of the thigh hurt?", "yes-no", home_test=True,
             how_to="Sit on the floor with both legs straight out in front. Press the heel of the sore leg down into the "
                    "floor as hard as is comfortable for 5 seconds, without moving the leg. " + STOP_IF_IT_HURTS),
    Question("hop_painful", "Did hopping hurt?", "yes-no", home_test=True,
             how_to="Only if walking is comfortable. Stand on the sore leg next to a wall or a chair for balance and do "
                    "3 to 5 small hops on the spot."),
)
QUESTION = {q.key: q for q in QUESTIONS}
assert set(QUESTION) == set(KEYS), "every answer key has exactly one question"

YES = ("y", "yes", "true")
NO = ("n", "no", "false")
DONT_KNOW = ("?", "skip", "dont-know", "don't know", "not sure")


def parse_answer(question: Question, text: str) -> Any:
    """A typed answer from what was typed; None for "don't know"; ValueError saying what is accepted."""
    word = text.strip().lower()
    if word in DONT_KNOW:
        return None
    if question.kind == "yes-no":
        if word in YES:
            return True
        if word in NO:
            return False
        raise ValueError(f"'{text.strip()}' is not an answer here; type y (yes), n (no) or ? (don't know)")
    if question.kind == "number":
        try:
            number = int(word)
        except ValueError:
            raise ValueError(f"'{text.strip()}' is not a whole number; type {question.low} to {question.high}, or ? (don't know)") from None
        if not question.low <= number <= question.high:
            raise ValueError(f"{number} is out of range; type {question.low} to {question.high}")
        return number
    values = [v for v, _ in question.choices]
    if word.isdigit() and 1 <= int(word) <= len(values):
        return values[int(word) - 1]
    if word in values:
        return word
    raise ValueError(f"'{text.strip()}' is not one of the choices{did_you_mean(word, values)}; "
                     f"type a number from 1 to {len(values)} or a name: {', '.join(values)}")


# ------------------------------------------------------------------ reading an answers file

def load_answers(path: Path) -> Answers:
    """The answers in a YAML (or JSON) file; InputError with file:line, the field and what is accepted."""
    doc, problems = read_yaml(Path(path))
    if doc is None:
        raise InputError(str(problems[0]))
    if not isinstance(doc.data, dict):
        raise InputError(f"{doc.file}:1: expected a mapping of answers (onset: gradual, pain_now: 3, ...)")
    for key in doc.data:
        if key not in KEYS:
            raise InputError(f"{doc.file}:{doc.line_of((key,))}: unknown answer '{key}'{did_you_mean(key, KEYS)}; "
                             f"accepted: {', '.join(KEYS)}", str(key))
    try:
        return Answers.model_validate(doc.data)
    except ValidationError as exc:
        first = problems_from(exc, doc, doc.file, Answers)[0]
        key = first.field.split(".")[0]
        accepted = f" (accepted: {QUESTION[key].accepted})" if key in QUESTION and "accepted" not in first.message else ""
        raise InputError(f"{first}{accepted}", key) from None


# ------------------------------------------------------------------ red flags

@dataclass(frozen=True)
class FlagRule:
    """Answers that raise a red flag of safety.RED_FLAGS (urgency comes from there)."""

    ids: tuple[str, ...]
    when: Callable[[Answers, PainThresholds], bool]  # the pain thresholds of rules/planning.yaml
    because: str  # the answer, in plain words


SUDDEN = ("sudden-fast-running", "sudden-other")

FLAG_RULES: tuple[FlagRule, ...] = (
    # One question covers two flags; both go to the clinician, who will ask which (S2).
    FlagRule(("saddle-numbness", "bladder-or-bowel-change"), lambda a, p: a.saddle_numbness_or_bladder is True,
             "numbness between the legs, or a change in bladder or bowel control"),
    FlagRule(("calf-or-thigh-swelling",), lambda a, p: a.calf_or_thigh_swelling is True, "a swollen, warm or red calf or thigh"),
    FlagRule(("foot-drop-or-weakness",), lambda a, p: a.numbness_or_weakness is True, "numbness or weakness in the leg or foot"),
    FlagRule(("fever", "night-pain"), lambda a, p: a.fever_or_night_pain is True, "fever or feeling unwell, or pain at night"),
    FlagRule(("cannot-walk-normally",), lambda a, p: a.walks_normally is False, "you cannot walk normally"),
    FlagRule(("pop-or-snap",), lambda a, p: a.pop_heard is True, "a pop or snap when it started"),
    FlagRule(("large-bruising",), lambda a, p: a.bruising is True, "a clear bruise on the back of the thigh"),
    FlagRule(("pain-sitting-after-injury",),
             lambda a, p: a.worse_sitting is True and a.onset in SUDDEN and a.location == "sit-bone",
             "pain at the sit bone when sitting, since a sudden injury"),
    FlagRule(("tingling-below-knee",), lambda a, p: a.pain_below_knee is True, "pain, tingling or numbness below the knee"),
    FlagRule(("severe-rest-pain",), lambda a, p: a.pain_now is not None and a.pain_now >= p.refer_at, "severe pain while resting"),
    FlagRule(("hop-painful",), lambda a, p: a.hop_painful is True, "hopping on the leg hurts"),
)
assert all(i in RED_FLAGS for r in FLAG_RULES for i in r.ids), "flag ids come from safety.RED_FLAGS"


@dataclass(frozen=True)
class FlagHit:
    id: str
    urgency: str
    plain: str
    because: str


def red_flags(answers: Answers, pain: PainThresholds | None = None) -> tuple[FlagHit, ...]:
    """The red flags the answers raise, most urgent first."""
    pain = pain or builtin_rules().pain
    hits = [FlagHit(i, RED_FLAGS[i].urgency, RED_FLAGS[i].plain, r.because) for r in FLAG_RULES if r.when(answers, pain) for i in r.ids]
    return tuple(sorted(hits, key=lambda h: URGENCIES.index(h.urgency)))


# ------------------------------------------------------------------ scoring

@dataclass(frozen=True)
class Rule:
    """If answer `key` is `value` (or `value(answer)` is true), `condition` gets `points` (negative: against)."""

    condition: str
    key: str
    value: Any
    points: int
    sources: tuple[str, ...]

    def fires(self, answers: Answers) -> bool:
        answer = getattr(answers, self.key)
        if answer is None:
            return False
        return bool(self.value(answer)) if callable(self.value) else answer == self.value


PLAIN: dict[tuple[str, Any], str] = {
    ("onset", "sudden-fast-running"): "it started suddenly while running fast",
    ("onset", "sudden-other"): "it started suddenly, but not during fast running",
    ("onset", "gradual"): "it came on gradually",
    ("onset", "after-hard-session"): "it came on a day or two after a hard or unusual session",
    ("location", "sit-bone"): "the pain is at the sit bone",
    ("location", "mid-thigh"): "the pain is in the middle of the back of the thigh",
    ("location", "near-knee"): "the pain is near the back of the knee",
    ("location", "buttock-or-low-back"): "the pain starts in the buttock or low back",
    ("location", "whole-back-of-thigh"): "the whole back of the thigh hurts",
    ("sensation", "sharp"): "it feels sharp",
    ("sensation", "ache"): "it feels like an ache",
    ("sensation", "tight"): "it feels tight",
    ("sensation", "burning-tingling"): "it burns, buzzes or tingles",
    ("pop_heard", True): "you felt or heard a pop",
    ("bruising", True): "there is a bruise",
    ("walks_normally", False): "you cannot walk normally",
    ("worse_sitting", True): "sitting makes it worse",
    ("worse_sitting", False): "sitting does not make it worse",
    ("eases_when_warm", True): "it eases once you are warmed up",
    ("both_legs", True): "both legs are sore",
    ("both_legs", False): "only one leg is sore",
    ("pain_below_knee", True): "pain, tingling or numbness goes below the knee",
    ("numbness_or_weakness", True): "part of the leg or foot is numb or weak",
    ("saddle_numbness_or_bladder", True): "there is numbness between the legs or a change in bladder or bowel control",
    ("slr_pain_more_than_bent_knee", True): "the straight-leg lift hurts much more than the bent-knee lift",
    ("slr_pain_more_than_bent_knee", False): "the straight-leg and bent-knee lifts hurt about the same",
    ("tender_spot", True): "there is one clearly sore spot",
    ("tender_spot", False): "there is no single sore spot",
    ("resisted_bend_painful", True): "bending the knee against resistance hurts",
    ("resisted_bend_painful", False): "bending the knee against resistance does not hurt",
    ("si_pressure_painful", True): "pressing the bony bump beside the base of the spine hurts",
    ("si_pressure_painful", False): "pressing the bony bump beside the base of the spine does not hurt",
    ("shoe_test_painful", True): "the shoe test hurts",
    ("hinge_test_painful", True): "the hip-height hinge hurts more than a stretch",
    ("heel_press_painful", True): "the heel press hurts",
    ("days_since_onset", "over-a-week"): "it started more than a week ago",
    ("days_since_onset", "recent"): "it started in the last three days",
}

STRAIN, PROXIMAL, DISTAL, SCIATIC, SI, DOMS, PREVENTION = DIAGNOSES
OVER_A_WEEK = lambda days: days > 7  # noqa: E731  DOMS is gone within 5-7 days (S4; unconfirmed)
RECENT = lambda days: days <= 3  # noqa: E731  DOMS starts 12-48 h after the session (S4)

# Each row: condition, answer key, answer, points, sources. Positive points: the answer points to
# the condition; negative: it points away. Facts: clinical-facts.md section 2.
RULES: tuple[Rule, ...] = (
    # Hamstring strain: sudden sharp pain in a run, often fast running; a sore spot along the muscle;
    # range lost on both straight- and bent-knee raises; pain on stretch and resisted testing; bruising.
    Rule(STRAIN, "onset", "sudden-fast-running", 3, ("S1", "S4")),
    Rule(STRAIN, "onset", "sudden-other", 2, ("S1",)),
    Rule(STRAIN, "onset", "gradual", -2, ("S1", "S2")),
    Rule(STRAIN, "onset", "after-hard-session", -2, ("S4",)),
    Rule(STRAIN, "sensation", "sharp", 2, ("S1", "S4")),
    Rule(STRAIN, "sensation", "burning-tingling", -2, ("S1", "S2")),
    Rule(STRAIN, "location", "mid-thigh", 1, ("S1", "S4")),
    Rule(STRAIN, "tender_spot", True, 2, ("S1", "S3")),
    Rule(STRAIN, "tender_spot", False, -2, ("S1",)),
    Rule(STRAIN, "resisted_bend_painful", True, 2, ("S1",)),
    Rule(STRAIN, "resisted_bend_painful", False, -2, ("S1",)),
    Rule(STRAIN, "slr_pain_more_than_bent_knee", False, 1, ("S1",)),
    Rule(STRAIN, "slr_pain_more_than_bent_knee", True, -2, ("S1",)),
    Rule(STRAIN, "bruising", True, 2, ("S1", "S3", "S4")),
    Rule(STRAIN, "pop_heard", True, 2, ("S3", "S4")),
    Rule(STRAIN, "walks_normally", False, 1, ("S3",)),
    Rule(STRAIN, "shoe_test_painful", True, 1, ("S3",)),
    Rule(STRAIN, "hinge_test_painful", True, 1, ("S3",)),
    Rule(STRAIN, "heel_press_painful", True, 1, ("S3",)),
    Rule(STRAIN, "both_legs", True, -2, ("S4",)),
    Rule(STRAIN, "eases_when_warm", True, -1, ("S2",)),
    # Proximal tendinopathy: sit bone; worse sitting, bending, uphill; eases once warm; gradual overuse.
    Rule(PROXIMAL, "location", "sit-bone", 3, ("S2", "S3")),
    Rule(PROXIMAL, "location", "near-knee", -2, ("S2",)),
    Rule(PROXIMAL, "worse_sitting", True, 2, ("S2", "S3")),
    Rule(PROXIMAL, "worse_sitting", False, -1, ("S2",)),
    Rule(PROXIMAL, "eases_when_warm", True, 2, ("S2",)),
    Rule(PROXIMAL, "onset", "gradual", 2, ("S2", "S3")),
    Rule(PROXIMAL, "onset", "sudden-fast-running", -2, ("S1", "S2")),
    Rule(PROXIMAL, "onset", "sudden-other", -1, ("S2",)),
    Rule(PROXIMAL, "onset", "after-hard-session", -1, ("S4",)),
    Rule(PROXIMAL, "sensation", "burning-tingling", -2, ("S1", "S2")),
    Rule(PROXIMAL, "tender_spot", True, 1, ("S2",)),
    Rule(PROXIMAL, "hinge_test_painful", True, 1, ("S2", "S3")),
    Rule(PROXIMAL, "heel_press_painful", True, 1, ("S3",)),
    Rule(PROXIMAL, "shoe_test_painful", True, 1, ("S3",)),
    # Distal tendinopathy: the same tendon pattern, near the back of the knee.
    Rule(DISTAL, "location", "near-knee", 4, ("S2",)),
    Rule(DISTAL, "location", "sit-bone", -2, ("S2",)),
    Rule(DISTAL, "onset", "gradual", 2, ("S2",)),
    Rule(DISTAL, "onset", "sudden-fast-running", -2, ("S1", "S2")),
    Rule(DISTAL, "onset", "sudden-other", -1, ("S2",)),
    Rule(DISTAL, "onset", "after-hard-session", -1, ("S4",)),
    Rule(DISTAL, "eases_when_warm", True, 2, ("S2",)),
    Rule(DISTAL, "worse_sitting", True, 1, ("S2",)),
    Rule(DISTAL, "sensation", "burning-tingling", -2, ("S1", "S2")),
    Rule(DISTAL, "tender_spot", True, 1, ("S2",)),
    Rule(DISTAL, "hinge_test_painful", True, 1, ("S2", "S3")),
    Rule(DISTAL, "heel_press_painful", True, 1, ("S3",)),
    Rule(DISTAL, "shoe_test_painful", True, 1, ("S3",)),
    # Sciatic-nerve pain: straight-leg raise much worse than bent-knee; no sore spot; resisted bend
    # painless; burning, buzzing, tingling; may travel down the leg.
    Rule(SCIATIC, "slr_pain_more_than_bent_knee", True, 3, ("S1",)),
    Rule(SCIATIC, "slr_pain_more_than_bent_knee", False, -2, ("S1",)),
    Rule(SCIATIC, "tender_spot", False, 2, ("S1", "S2")),
    Rule(SCIATIC, "tender_spot", True, -2, ("S1",)),
    Rule(SCIATIC, "resisted_bend_painful", False, 2, ("S1", "S2")),
    Rule(SCIATIC, "resisted_bend_painful", True, -2, ("S1",)),
    Rule(SCIATIC, "sensation", "burning-tingling", 3, ("S1", "S2")),
    Rule(SCIATIC, "pain_below_knee", True, 2, ("S2",)),
    Rule(SCIATIC, "numbness_or_weakness", True, 2, ("S2",)),
    Rule(SCIATIC, "saddle_numbness_or_bladder", True, 2, ("S2",)),
    Rule(SCIATIC, "location", "buttock-or-low-back", 1, ("S1", "S2")),
    Rule(SCIATIC, "location", "whole-back-of-thigh", 1, ("S2",)),
    Rule(SCIATIC, "onset", "sudden-fast-running", -1, ("S1",)),
    Rule(SCIATIC, "si_pressure_painful", True, -1, ("S1",)),
    # SI-joint pain: pressing the SI bumps hurts; no sore spot in the thigh; bent-knee testing painless.
    Rule(SI, "si_pressure_painful", True, 4, ("S1",)),
    Rule(SI, "si_pressure_painful", False, -3, ("S1",)),
    Rule(SI, "tender_spot", False, 1, ("S1",)),
    Rule(SI, "tender_spot", True, -2, ("S1",)),
    Rule(SI, "resisted_bend_painful", False, 1, ("S1",)),
    Rule(SI, "resisted_bend_painful", True, -2, ("S1",)),
    Rule(SI, "slr_pain_more_than_bent_knee", True, 1, ("S1",)),
    Rule(SI, "location", "buttock-or-low-back", 2, ("S1",)),
    Rule(SI, "sensation", "burning-tingling", -1, ("S1", "S2")),
    Rule(SI, "onset", "sudden-fast-running", -1, ("S1",)),
    # DOMS: a general ache and stiffness 12-48 h after a hard or new session, often both legs, fading in days.
    Rule(DOMS, "onset", "after-hard-session", 4, ("S4",)),
    Rule(DOMS, "onset", "sudden-fast-running", -3, ("S4",)),
    Rule(DOMS, "onset", "sudden-other", -3, ("S4",)),
    Rule(DOMS, "onset", "gradual", -1, ("S4",)),
    Rule(DOMS, "both_legs", True, 3, ("S4",)),
    Rule(DOMS, "both_legs", False, -1, ("S4",)),
    Rule(DOMS, "sensation", "ache", 2, ("S4",)),
    Rule(DOMS, "sensation", "tight", 2, ("S4",)),
    Rule(DOMS, "sensation", "sharp", -2, ("S4",)),
    Rule(DOMS, "sensation", "burning-tingling", -2, ("S4",)),
    Rule(DOMS, "location", "whole-back-of-thigh", 1, ("S4",)),
    Rule(DOMS, "tender_spot", True, -1, ("S4",)),
    Rule(DOMS, "days_since_onset", RECENT, 1, ("S4",)),
    Rule(DOMS, "days_since_onset", OVER_A_WEEK, -3, ("S4",)),
    Rule(DOMS, "pop_heard", True, -2, ("S4",)),
    Rule(DOMS, "bruising", True, -2, ("S4",)),
)


def _plain(rule: Rule) -> str:
    if rule.key == "days_since_onset":
        return PLAIN[(rule.key, "recent" if rule.value is RECENT else "over-a-week")]
    return PLAIN[(rule.key, rule.value)]


assert all(r.condition in DIAGNOSES and r.condition != PREVENTION for r in RULES)
assert all(_plain(r) for r in RULES) and all(r.sources for r in RULES)


@dataclass(frozen=True)
class Ranked:
    condition: str
    name: str
    score: int
    for_: tuple[str, ...]
    against: tuple[str, ...]
    sources: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"condition": self.condition, "name": self.name, "score": self.score, "for": list(self.for_),
                "against": list(self.against), "sources": list(self.sources)}


PAINLESS_POINTS = 5  # more than "no" answers alone can give any painful condition (at most 4)


def _painless(answers: Answers) -> bool:
    """No pain now and no symptom described: only then may the prevention programme rank."""
    return answers.pain_now == 0 and all(
        getattr(answers, k) in (None, False) for k in KEYS if k not in ("pain_now", "days_since_onset", "walks_normally")
    ) and answers.walks_normally is not False


def rank(answers: Answers, names: Mapping[str, str] | None = None) -> tuple[Ranked, ...]:
    """Every painful condition with its score, highest first (ties in the order of DIAGNOSES)."""
    names = names or {}
    out = []
    for condition in DIAGNOSES:
        if condition == PREVENTION:
            continue
        fired = [r for r in RULES if r.condition == condition and r.fires(answers)]
        out.append(Ranked(
            condition, names.get(condition, condition), sum(r.points for r in fired),
            tuple(f"{_plain(r)} (+{r.points})" for r in fired if r.points > 0),
            tuple(f"{_plain(r)} ({r.points})" for r in fired if r.points < 0),
            tuple(dict.fromkeys(s for r in fired for s in r.sources)),
        ))
    if _painless(answers):  # no pain and no symptom: nothing to treat, so the keep-it programme leads
        out.append(Ranked(PREVENTION, names.get(PREVENTION, PREVENTION), PAINLESS_POINTS,
                          (f"you have no pain now and describe no symptoms (+{PAINLESS_POINTS})",), (), ("S4", "petersen-2011")))
    return tuple(sorted(out, key=lambda r: -r.score))


def suggest_grade(answers: Answers) -> tuple[int, str]:
    """A strain grade from the signs (S1, S3, S4; section 5): severe signs 3, walking normally with mild pain 1, else 2."""
    severe = [PLAIN[(k, v)] for k, v in (("pop_heard", True), ("bruising", True), ("walks_normally", False))
              if getattr(answers, k) is v]
    if severe:
        return 3, f"{' and '.join(severe)}, so a complete tear is possible and a clinician must examine it first"
    if answers.walks_normally is True and answers.pain_now is not None and answers.pain_now <= 3:
        return 1, "you walk normally and the pain is mild, 3/10 or less (a sensible cut-off, unconfirmed)"
    return DEFAULT_GRADE, "the signs are neither clearly mild nor clearly severe (2 is the middle grade)"


# ------------------------------------------------------------------ the result

DISCLAIMER = ("This is not a diagnosis. It sorts your answers to help you pick a plan; only a physiotherapist or doctor "
              "who examines you can say what is wrong. Pain from the hip joint or a bone can feel the same and needs a clinician.")

SEE_A_PROFESSIONAL = (
    "it has not improved after two weeks of sensible care",
    "the pain spreads to new places",
    "you cannot hop on the sore leg without pain",
    "nothing you try changes the symptoms",
    "any of the warning signs asked about here appears: numbness, weakness, swelling, fever, night pain, a pop, "
    "a large bruise, or not being able to walk normally",
)

# PlanRequest needs a start date; neither the safety screen nor the stage logic reads it.
_ANY_DATE = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Stage:
    diagnosis: str
    phase: str
    name: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"diagnosis": self.diagnosis, "phase": self.phase, "name": self.name, "reason": self.reason}


@dataclass(frozen=True)
class Assessment:
    answers: Answers
    red_flags: tuple[FlagHit, ...]
    referral: Referral | None
    ranking: tuple[Ranked, ...]
    stage: Stage | None
    grade: int | None
    grade_reason: str
    request: dict[str, Any]  # the `hamrehab plan` fields
    output: str
    note: str = ""
    disclaimer: str = DISCLAIMER
    see_a_professional_if: tuple[str, ...] = SEE_A_PROFESSIONAL

    @property
    def suggested_command(self) -> str:
        return plan_command(self.request, self.output)

    def as_dict(self) -> dict[str, Any]:
        ref = self.referral
        return {
            "disclaimer": self.disclaimer,
            "red_flags": [{"id": h.id, "urgency": h.urgency, "plain": h.plain, "because": h.because} for h in self.red_flags],
            "referral": None if ref is None else {"urgency": ref.urgency, "action": ref.action, "reasons": list(ref.reasons)},
            "ranking": [r.as_dict() for r in self.ranking],
            "stage": self.stage.as_dict() if self.stage else None,
            "grade": self.grade,
            "grade_reason": self.grade_reason or None,
            "note": self.note or None,
            "suggested_command": self.suggested_command,
            "see_a_professional_if": list(self.see_a_professional_if),
            "answers": self.answers.model_dump(exclude_none=True),
        }


def plan_command(request: Mapping[str, Any], output: str) -> str:
    """The `hamrehab plan` command line for these request fields."""
    args = ["hamrehab", "plan"]
    for name, value in request.items():
        for item in (value if isinstance(value, (tuple, list)) else (value,)):
            args += [flag(name), str(item)]
    return shlex.join(args + ["-o", output])


def assess(answers: Answers, catalogue: Any = None, output: str | None = None) -> Assessment:
    """Red flags (they always win), the ranked conditions, the stage, the grade and the plan command.

    `catalogue` gives the protocols' phases for the stage (the built-in one when None).
    """
    if catalogue is None:
        from .catalogue import load_catalogue

        catalogue = load_catalogue()
    names = {pid: p.name for pid, p in catalogue.protocols.items()}
    flags = red_flags(answers, catalogue.rules.pain)
    ranking = rank(answers, names)
    top = ranking[0]
    grade, grade_reason = suggest_grade(answers) if top.condition == STRAIN else (None, "")
    pain = answers.pain_now if answers.pain_now is not None else 0
    flag_ids = tuple(dict.fromkeys(h.id for h in flags))
    probe = PlanRequest(diagnosis=top.condition, grade=grade, days_since_onset=answers.days_since_onset,
                        pain=pain, red_flags=flag_ids, start=_ANY_DATE)
    referral = screen(probe, catalogue.rules.pain)  # the very referral `hamrehab plan` would give with these flags and pain

    protocol = catalogue.protocol(top.condition)
    # The same start `hamrehab plan` derives from these answers: never further than they support.
    index, why = start_index(probe, protocol, grade if grade is not None or not protocol.grades else DEFAULT_GRADE, catalogue.rules.pain)
    phase = protocol.phases[index]
    if not why:
        why = ("the plan starts at the first stage; each later stage begins only when the one before is passed"
               if protocol.stage_by == "symptoms" or answers.days_since_onset is not None
               else "the day it started is unknown, so the plan starts at the first stage")
    stage = Stage(top.condition, phase.id, phase.name, why.rstrip("."))

    request: dict[str, Any] = {"diagnosis": top.condition}
    if grade is not None:
        request["grade"] = grade
    if referral is None and answers.days_since_onset is not None:
        request["days_since_onset"] = answers.days_since_onset
    if answers.pain_now is not None:
        request["pain"] = answers.pain_now
    if flag_ids:
        request["red_flags"] = flag_ids
    second = ranking[1] if len(ranking) > 1 else None
    note = ""
    if top.score <= 2 or (second is not None and top.score - second.score <= 1):
        note = ("Your answers do not point clearly to one cause. Treat the top of the list as a best guess, and have a "
                "physiotherapist or doctor examine you, especially if the plan does not help within two weeks.")
    return Assessment(answers=answers, red_flags=flags, referral=referral, ranking=ranking, stage=stage, grade=grade,
                      grade_reason=grade_reason, request=request,
                      output=output or ("referral.pdf" if referral else "plan.pdf"), note=note)


# ------------------------------------------------------------------ the questionnaire's flow

FRESH_DAYS = 14  # no hopping on a sudden injury younger than this (a cautious default, unconfirmed)
SKIPPED = {
    "emergency": "No more questions: what you have described needs emergency care now.",
    "red-flag": "The home tests were left out: because of your answers so far, do not test the leg yourself; "
                "let a professional examine it first.",
    "fresh": "The hop test was left out: do not hop on a sudden injury in its first two weeks.",
}


def _skip(question: Question, answers: Answers, flags: tuple[FlagHit, ...]) -> str:
    """Why not to ask this question now ('' to ask it): a SKIPPED key."""
    if any(h.urgency == "emergency" for h in flags):
        return "emergency"
    if question.home_test and flags:
        return "red-flag"
    if question.key == "hop_painful" and answers.onset in SUDDEN and (answers.days_since_onset or 0) < FRESH_DAYS:
        return "fresh"
    return ""


def next_question(answers: Mapping[str, Any], asked: set[str]) -> Question | None:
    """The next question to ask, or None when done. Red-flag questions come first; after an emergency
    it stops at once; after any red flag there are no home tests (they load a leg that needs examining)."""
    so_far = Answers.model_validate(dict(answers))
    flags = red_flags(so_far)
    return next((q for q in QUESTIONS if q.key not in asked and not _skip(q, so_far, flags)), None)


def stop_note(answers: Mapping[str, Any], asked: set[str]) -> str:
    """Why some questions were left out, if any were."""
    so_far = Answers.model_validate(dict(answers))
    flags = red_flags(so_far)
    reasons = dict.fromkeys(_skip(q, so_far, flags) for q in QUESTIONS if q.key not in asked)
    return " ".join(SKIPPED[r] for r in SKIPPED if r in reasons)


# ------------------------------------------------------------------ output

def as_json(result: Assessment) -> str:
    return json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n"


def _wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent if first is None else first, subsequent_indent=indent,
                         break_on_hyphens=False)


WIDTH = 100


def as_text(result: Assessment) -> str:
    """The result for a person: warning signs first, then the ranked causes, the stage and the next step."""
    lines = _wrap(result.disclaimer, "") + [""]
    ref = result.referral
    if ref is not None:
        lines += [f"SEE A PROFESSIONAL FIRST ({ref.urgency})"] + _wrap(ref.action) + ["  Why:"]
        for reason in ref.reasons:
            lines += _wrap(reason, "    ", "  - ")
        lines += _wrap("No exercise plan until you have been examined. The command below prints a handout to take "
                       "with you.") + [""]
    else:
        lines += ["No warning signs in your answers.", ""]
    lines.append("What your answers point to, most likely first (each answer adds or takes away points):")
    for i, r in enumerate(result.ranking, 1):
        lines.append(f"  {i}. {r.name} [{r.condition}]: {r.score} point(s)")
        if r.for_:
            lines += _wrap("for: " + "; ".join(r.for_), "          ", "     ")
        if r.against:
            lines += _wrap("against: " + "; ".join(r.against), "              ", "     ")
    lines.append("")
    if result.note:
        lines += _wrap(result.note, "") + [""]
    if result.stage is not None:
        prefix = "Stage, once a professional has cleared you" if ref else "Stage"
        lines += _wrap(f"{prefix}: {result.stage.name} [{result.stage.phase}], because {result.stage.reason}.", "")
    if result.grade is not None:
        lines += _wrap(f"Suggested strain grade: {result.grade}, because {result.grade_reason}.", "")
    lines += ["", "Next step:" if ref is None else "Next step: print the handout for your appointment:",
              "  " + result.suggested_command]
    if ref is None:
        lines.append("  (add --side left or --side right, and --name, to put them on the plan)")
    lines += ["", "See a physiotherapist or doctor if:"]
    for item in result.see_a_professional_if:
        lines += _wrap(item, "    ", "  - ")
    return "\n".join(lines) + "\n"
