"""The New plan form: its fields (label, one-line help, default), and from a posted form to request fields.

The field names are the request's own (request.yaml, flags, roster columns), so a posted form goes
straight to `make_request`; its InputError names the field, and the page shows the message beside it.
The form only gathers values: every check is the library's.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..catalogue import Catalogue
from ..model.request import HOME_KIT
from ..vocab import EQUIPMENT

PAGE_SIZES = ("a4", "letter")
HANDOUTS = ("full", "compact", "summary")
FORMATS = {"pdf": ("application/pdf", ".pdf"), "ics": ("text/calendar; charset=utf-8", ".ics"),
           "json": ("application/json", ".json")}

EQUIPMENT_WORDS = {
    "chair": "A sturdy chair", "bench": "A bench or bed edge", "band": "A long resistance band", "loop-band": "A loop band",
    "dumbbell": "Dumbbells", "kettlebell": "A kettlebell", "barbell": "A barbell", "stability-ball": "A gym (stability) ball",
    "foam-roller": "A foam roller", "step": "A step or stair", "bike": "An exercise bike or bicycle",
    "elliptical": "A cross-trainer (elliptical)", "pool": "A swimming pool", "towel": "A towel",
    "anchor-or-partner": "A sofa to hook the heels under, or a helper", "wall": "A wall", "ice-pack": "An ice pack (or frozen peas)",
    "heat-pack": "A heat pack (or hot-water bottle)", "compression-wrap": "A compression wrap",
}


@dataclass(frozen=True)
class Field:
    """One input of the form: its request field name, its label, a line of help, and how to show it."""

    name: str
    label: str
    help: str
    kind: str = "text"  # text, number, date, select, radio, checkbox, textarea
    choices: tuple[tuple[str, str], ...] = ()
    low: float | None = None
    high: float | None = None
    step: str = "1"
    maxlength: int | None = None
    autocomplete: str = "off"


def runner_fields(catalogue: Catalogue) -> tuple[tuple[str, tuple[Field, ...]], ...]:
    """The form's fieldsets, in order: (legend, fields)."""
    diagnoses = tuple((pid, p.name) for pid, p in sorted(catalogue.protocols.items(), key=lambda kv: kv[1].name))
    return (
        ("The runner", (
            Field("name", "Name", "Printed on the plan. Leave empty for a plan without a name.", maxlength=200),
            Field("patient_id", "Patient or record number", "Optional: your own reference, printed small on the cover.", maxlength=100),
            Field("side", "Side of the pain", "The leg that hurts; 'both' if both do.", "radio",
                  (("left", "Left"), ("right", "Right"), ("both", "Both or not sure"))),
        )),
        ("The pain", (
            Field("diagnosis", "Diagnosis", "What the pain is, as a clinician named it. Not sure? Use Triage first.", "select",
                  diagnoses),
            Field("grade", "Strain grade", "Hamstring strain only: 1 mild, 2 moderate, 3 severe (3 needs a clinician's clearance).",
                  "select", (("", "Not known (plan as grade 2)"), ("1", "1: mild"), ("2", "2: moderate"), ("3", "3: severe"))),
            Field("days_since_onset", "Days since the pain began", "For a strain it moves the plan past the first 72 hours. "
                  "Leave empty if you do not know.", "number", low=0, high=3650),
            Field("stage", "Stage to start at", "Leave on 'first stage' unless you, the clinician, have checked a later one.",
                  "select"),
            Field("clinician_cleared", "A clinician has examined the runner and cleared this plan",
                  "Needed for a grade 3 strain, or to start at a later stage than the days since the pain began allow.", "checkbox"),
            Field("pain", "Pain now, 0 to 10", "0 is no pain, 10 the worst. 5 starts gently; 6 or more gives a "
                  "'see a professional' handout instead of exercises.", "number", low=0, high=10),
        )),
        ("Running and training", (
            Field("runner_km_per_week", "Usual running before the pain (km a week)", "0 if you do not run: the plan uses brisk "
                  "walks instead. Leave empty if not known.", "number", low=0, high=300, step="any"),
            Field("days_per_week", "Training days a week", "How many days a week the runner can do the exercises (1 to 7).",
                  "number", low=1, high=7),
            Field("weak_glute_side", "Weaker buttock (glute) side", "If one side is weaker, it gets one extra set there.", "radio",
                  (("", "Neither"), ("left", "Left"), ("right", "Right"))),
        )),
        ("The plan", (
            Field("start", "First day", "The plan's weeks start on this day.", "date"),
            Field("weeks", "Length in weeks", "1 to 52. Leave empty for the usual length of this plan.", "number", low=1, high=52),
            Field("notes", "Your notes for the runner", "Printed on the cover, in your own words (up to 4,000 characters).",
                  "textarea", maxlength=4000),
        )),
    )


def equipment_choices() -> tuple[tuple[str, str], ...]:
    """The kit tick boxes: every piece of equipment the catalogue knows, in plain words."""
    return tuple((e, EQUIPMENT_WORDS.get(e, e.replace("-", " ").capitalize())) for e in EQUIPMENT if e != "none")


HANDOUT_FIELDS = (
    Field("page_size", "Paper size", "A4 in most countries; Letter in the USA and Canada.", "radio",
          (("a4", "A4"), ("letter", "Letter"))),
    Field("handout", "Handout length", "", "radio", (
        ("full", "Full: a page a week, a card per exercise, and a section for you"),
        ("compact", "Compact: a page a phase, cards several to a page"),
        ("summary", "Summary: two pages, the plan at a glance and the first two weeks"))),
    Field("large_print", "Large print (14 pt or more, for low vision)", "", "checkbox"),
)

FOLLOW_UP_FORM = {
    "week_reached": Field("week_reached", "Week reached", "The week of the last plan the runner got to. Leave empty for "
                          "the week the start date falls in (its last week once it is over).",
                          "number", low=1, high=52),
    "checkpoint": Field("checkpoint", "Today's checkpoint", "Passed: every box of the phase's checkpoint is ticked, so the plan "
                        "moves on. Not yet: the same phase again (carried on, if the last plan ended it early).", "radio",
                        (("passed", "Passed"), ("not-yet", "Not yet"))),
    "pain": Field("pain", "Pain now, 0 to 10", "Today's pain. 6 or more gives a 'see a professional' handout instead of exercises.",
                  "number", low=0, high=10),
    "start": Field("start", "First day of the next block", "Leave as today, or the day it should start.", "date"),
    "weeks": Field("weeks", "Length in weeks", "1 to 52. Leave empty for the usual length.", "number", low=1, high=52),
}

CLINIC_FIELDS = (
    Field("clinic_name", "Clinic name", "Needed if you fill in any clinic detail.", maxlength=200, autocomplete="organization"),
    Field("clinic_clinician", "Clinician", "Your name as the runner should see it.", maxlength=200),
    Field("clinic_address", "Address", "Up to 6 lines.", "textarea", maxlength=1400),
    Field("clinic_phone", "Phone", "", maxlength=200, autocomplete="tel"),
    Field("clinic_email", "Email", "", maxlength=200, autocomplete="email"),
    Field("clinic_website", "Website", "", maxlength=200, autocomplete="url"),
)

def labels(catalogue: Catalogue) -> dict[str, str]:
    """Request field → its label on the page, for `make_request(labels=...)`."""
    out = {f.name: f.label for _, group in runner_fields(catalogue) for f in group}
    out.update(equipment="Equipment", red_flags="Warning signs", follow_up="Last plan", checkpoint="Today's checkpoint",
               week_reached="Week reached", without="Left out", swap="Swapped", dose="Dose", add="Added")
    return out


def all_labels(catalogue: Catalogue) -> dict[str, str]:
    """Every field on the pages → its label, for the list of problems at the top."""
    out = labels(catalogue)
    out.update({f.name: f.label for f in HANDOUT_FIELDS + CLINIC_FIELDS})
    out.update(clinic_logo="Logo", roster="Roster file", formats="Files to make", follow_up="Last plan (.json)")
    return out


FOLLOW_UP_PAGE = ("follow_up", "checkpoint", "week_reached", "pain", "start", "weeks")


def page_fields(catalogue: Catalogue, kind: str) -> tuple[str, ...]:
    """The names of the fields a page shows, each with a slot for its message."""
    common = tuple(f.name for f in HANDOUT_FIELDS + CLINIC_FIELDS) + ("clinic_logo",)
    if kind == "follow-up":
        return FOLLOW_UP_PAGE + common
    return tuple(f.name for _, group in runner_fields(catalogue) for f in group) + ("equipment",) + common


def defaults(today: dt.date) -> dict[str, Any]:
    """Safe starting values: a home kit, three days a week, no pain, plain A4 full handout."""
    return {"diagnosis": "hamstring-strain", "side": "both", "start": today.isoformat(), "days_per_week": "3", "pain": "0",
            "equipment": list(HOME_KIT), "page_size": "a4", "handout": "full", "grade": "", "weak_glute_side": ""}


REQUEST_TEXT = ("diagnosis", "grade", "stage", "days_since_onset", "side", "weeks", "start", "name", "patient_id",
                "days_per_week", "pain", "weak_glute_side", "runner_km_per_week", "notes")


@dataclass
class Posted:
    """What a form sent, as the page shows it again and as the request fields the library reads."""

    values: dict[str, Any] = field(default_factory=dict)  # for redisplay: strings, lists for multi-valued fields
    request: dict[str, Any] = field(default_factory=dict)  # for make_request


def read_plan_form(form: Mapping[str, Any], getlist: Any) -> Posted:
    """The request fields of a posted New plan form (empty fields left out, so the library's defaults apply)."""
    posted = Posted()
    for name in REQUEST_TEXT:
        raw = form.get(name)
        text = raw.strip() if isinstance(raw, str) else ""
        posted.values[name] = text
        if text:
            posted.request[name] = text
    kit = [e for e in getlist("equipment") if isinstance(e, str)]
    posted.values["equipment"] = kit
    if form.get("equipment_shown") or kit:  # the tick boxes were on the page: none ticked means no equipment at all
        posted.request["equipment"] = tuple(kit) or ("none",)
    if form.get("clinician_cleared"):
        posted.values["clinician_cleared"] = True
        posted.request["clinician_cleared"] = True
    flags = tuple(f for f in getlist("red_flags") if isinstance(f, str) and f)
    posted.values["red_flags"] = list(flags)
    if flags:
        posted.request["red_flags"] = flags
    for name in ("page_size", "handout"):
        raw = form.get(name)
        posted.values[name] = raw if isinstance(raw, str) else ""
    posted.values["large_print"] = bool(form.get("large_print"))
    for f in CLINIC_FIELDS:
        raw = form.get(f.name)
        posted.values[f.name] = raw.strip() if isinstance(raw, str) else ""
    return posted


def print_options(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """render_pdf's options from the form, or the field's error in the library's words."""
    errors: dict[str, str] = {}
    options: dict[str, Any] = {"large_print": bool(values.get("large_print"))}
    for name, accepted, default in (("page_size", PAGE_SIZES, "a4"), ("handout", HANDOUTS, "full")):
        value = values.get(name) or default
        if value not in accepted:
            errors[name] = f"{name}: got {str(value)[:60]!r}; accepted: {', '.join(accepted)}"
        options[name] = value
    return options, errors


def clinic_document(values: Mapping[str, Any], logo_name: str | None) -> dict[str, Any] | None:
    """The clinic.yaml the form describes (None when no clinic detail was given)."""
    doc: dict[str, Any] = {}
    for key in ("name", "clinician", "phone", "email", "website"):
        if values.get(f"clinic_{key}"):
            doc[key] = values[f"clinic_{key}"]
    address = [line.strip() for line in str(values.get("clinic_address") or "").splitlines() if line.strip()]
    if address:
        doc["address"] = address
    if logo_name:
        doc["logo"] = logo_name
    return doc or None
