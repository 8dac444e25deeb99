"""The safety screen: red flags, pain now, and grade-3 strains stop a loading plan.

Any red flag gives a Referral and no prescriptions: the runner gets a handout that says
how urgently to be seen and what to tell the clinician, never exercises. Facts from
clinical-facts.md section 5 (S0, S2, S3, theiss-2011) and the pain rules of section 4.
"""
from __future__ import annotations

from dataclasses import dataclass

from .exceptions import InputError
from .model import PainThresholds, PlanRequest
from .validation import did_you_mean

URGENCIES = ("emergency", "same-day", "soon")  # most urgent first

URGENCY_WORDS = {
    "emergency": "Call emergency services or go to an emergency department now.",
    "same-day": "See a doctor today: your GP's same-day service, an urgent care centre or, out of hours, an emergency department.",
    "soon": "Book an appointment with a doctor or physiotherapist within the next few days, and do not start the exercise plan until then.",
}


@dataclass(frozen=True)
class RedFlag:
    """A sign that needs a professional before any loading plan."""

    id: str
    urgency: str
    plain: str  # what the runner noticed, in their words
    why: str  # what it may mean, in plain words
    sources: tuple[str, ...]


RED_FLAGS: dict[str, RedFlag] = {f.id: f for f in (
    RedFlag("saddle-numbness", "emergency", "Numbness between the legs or around the back passage",
            "pressure on the nerves at the base of the spine, which needs treatment within hours", ("S2",)),
    RedFlag("bladder-or-bowel-change", "emergency", "New trouble passing or holding urine or stools",
            "pressure on the nerves at the base of the spine, which needs treatment within hours", ("S2",)),
    RedFlag("chest-pain-or-breathless", "emergency", "Chest pain or sudden breathlessness with a swollen leg",
            "a blood clot that may have travelled to the lungs", ("theiss-2011",)),
    RedFlag("calf-or-thigh-swelling", "same-day", "Swelling, warmth or redness of the calf or thigh, especially after travel or surgery",
            "a blood clot in a deep vein (DVT), which can look like a muscle injury", ("theiss-2011",)),
    RedFlag("foot-drop-or-weakness", "same-day", "The foot slaps or drags, or the leg feels weak",
            "a nerve that is being pressed on and losing its function", ("S2",)),
    RedFlag("palpable-gap", "same-day", "A dent or gap you can feel in the back of the thigh",
            "a complete tear of the muscle or tendon, which may need surgery soon", ("S0", "S4")),
    RedFlag("cannot-walk-normally", "same-day", "You cannot walk normally since the injury",
            "a severe strain or a tendon torn from the sit bone", ("S3", "S0")),
    RedFlag("fever", "same-day", "Fever or feeling unwell with the leg pain",
            "an infection, which needs a doctor", ("S2",)),
    RedFlag("pop-or-snap", "soon", "A pop or snap felt or heard when it happened",
            "a high-grade tear or a tendon pulled off the bone; repair works best within a few weeks", ("S3", "S0")),
    RedFlag("large-bruising", "soon", "Large bruising on the back of the thigh (it often appears 3 to 7 days later)",
            "a high-grade tear or a tendon pulled off the bone", ("S4", "S0")),
    RedFlag("pain-sitting-after-injury", "soon", "Sharp pain at the sit bone when sitting, since a sudden injury",
            "a tendon pulled off the sit bone", ("S0", "S2")),
    RedFlag("tingling-below-knee", "soon", "Pain, tingling or numbness below the knee",
            "irritation of a nerve from the lower back", ("S2",)),
    RedFlag("pain-down-leg-when-running", "soon", "Pain travels down the leg while you run",
            "irritation of a nerve rather than a muscle problem", ("S2",)),
    RedFlag("severe-rest-pain", "soon", "Severe pain at rest, or even after cutting back",
            "something more than an overuse problem", ("S2",)),
    RedFlag("night-pain", "soon", "Pain that wakes you at night", "a cause other than the muscle or tendon", ("S2",)),
    RedFlag("weight-loss", "soon", "Weight loss you cannot explain", "a cause other than the muscle or tendon", ("S2",)),
    RedFlag("no-improvement-2-weeks", "soon", "No improvement after two weeks of sensible care",
            "the wrong diagnosis or the wrong plan", ("S2",)),
    RedFlag("pain-spreading", "soon", "Pain spreading to new areas", "a cause that needs examining", ("S2",)),
    RedFlag("hop-painful", "soon", "You cannot hop on the injured leg without pain", "an injury that needs examining", ("S2",)),
    RedFlag("symptoms-never-change", "soon", "Nothing you try changes the symptoms", "a cause that needs examining", ("S2",)),
)}

TELL_CLINICIAN = (
    "When and how it started, and whether you felt or heard a pop.",
    "Where it hurts, and whether pain, tingling or numbness goes below the knee.",
    "What makes it worse or better: sitting, bending, running, stretching.",
    "Any swelling, bruising, fever, weight loss or change in bladder or bowel.",
    "Recent travel, surgery or illness, and any medicines you take.",
)


@dataclass(frozen=True)
class Referral:
    """The plan's replacement when it is not safe to load: how urgent, and why."""

    urgency: str
    reasons: tuple[str, ...]
    action: str
    tell_clinician: tuple[str, ...] = TELL_CLINICIAN
    sources: tuple[str, ...] = ()


def check_red_flags(ids: tuple[str, ...]) -> None:
    """Unknown red-flag ids are bad input, with a "did you mean"."""
    for flag in ids:
        if flag not in RED_FLAGS:
            raise InputError(f"--red-flag: '{flag}' is not a known red flag{did_you_mean(flag, RED_FLAGS)}; accepted: {', '.join(RED_FLAGS)}")


def screen(request: PlanRequest, pain: PainThresholds) -> Referral | None:
    """A Referral when any red flag, severe pain now, or an uncleared grade-3 strain; else None.

    `pain` is the planning rules' thresholds (rules/planning.yaml), the same ones the traffic
    light, the phases and triage read.
    """
    check_red_flags(request.red_flags)
    found: list[tuple[str, str, tuple[str, ...]]] = []
    for flag_id in request.red_flags:
        flag = RED_FLAGS[flag_id]
        found.append((flag.urgency, f"{flag.plain}: this can mean {flag.why}.", flag.sources))
    if request.pain >= pain.refer_at:
        urgency = "same-day" if request.pain >= pain.refer_same_day_at else "soon"
        found.append((urgency, f"Your pain now is {request.pain}/10. Pain of {pain.refer_at}/10 or more needs to be examined "
                               "before any exercise plan.", tuple(pain.sources)))
    if request.diagnosis == "hamstring-strain" and request.grade == 3 and not request.clinician_cleared:
        found.append(("soon", "A grade 3 strain is a complete or near-complete tear, and may be a tendon pulled off the bone. "
                              "A clinician must examine it first: repair surgery is time-sensitive.", ("S0", "S4")))
    if not found:
        return None
    urgency = min((u for u, _, _ in found), key=URGENCIES.index)
    sources = tuple(dict.fromkeys(s for _, _, srcs in found for s in srcs))
    return Referral(urgency=urgency, reasons=tuple(r for _, r, _ in found), action=URGENCY_WORDS[urgency], sources=sources)
