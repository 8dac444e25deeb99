"""The handout's fixed wording: every sentence the plan tells the runner that is not from a protocol or an exercise.

One reviewed file (rules/handout.yaml) for the traffic light, "how to use this plan", the referral
handout, the urgency titles, the week pages, the plain-text and calendar outputs and the planner's notes
to the runner. A text may leave out a number, but every `{placeholder}` it uses must be one its renderer
fills: each field declares the placeholders it accepts (model/placeholders.py checks them). A group whose
sentences state a clinical fact has `sources:`, a mapping from the text's key to the references it rests on
(cross-checked against exercises/references.yaml, like every other source).
"""

from collections.abc import Collection
from typing import Annotated

from pydantic import Field

from ..validation import did_you_mean
from .base import Frozen, Line, Name, Sentence
from .placeholders import PAIN, Bullets, Heading, Holes, Label, PainText, Sources, Where, Word, Words


class Cited(Frozen):
    """A group with a sentence that states a clinical fact: `sources` names it and its references."""

    sources: Sources


class Headings(Frozen):
    """Section titles of the full handout (and the PDF outline) that say what a section is for."""

    cover: Heading = Field(description="The cover's title; also the compact handout's.")
    about: Heading
    what_to_expect: Heading
    what_to_avoid: Heading
    seek_help: Heading = Field(description="Above the warning signs, by urgency.")
    plan_notes: Heading = Field(description="Above the protocol's cautions and the planner's notes.")
    your_phases: Heading
    missing: Heading = Field(description="The banner over a core treatment the runner's kit cannot cover.")
    changes: Heading = Field(description="Above the clinician's changes for this patient.")
    clinician_notes: Heading = Field(description="Above the clinician's own notes (--notes).")
    exercises: Heading
    sources: Heading


class TrafficLight(Cited):
    """Pain as a traffic light on the 'About your condition' page: three rows, an intro and a footnote.

    Every text may use the pain thresholds of rules/planning.yaml (amber_min is green_max + 1)."""

    heading: Annotated[Name, Holes(*PAIN)]
    intro: PainText
    green_word: Word
    green_scale: Annotated[Line, Holes(*PAIN)]
    green_meaning: PainText
    amber_word: Word
    amber_scale: Annotated[Line, Holes(*PAIN)]
    amber_meaning: PainText
    red_word: Word
    red_scale: Annotated[Line, Holes(*PAIN)]
    red_meaning: PainText
    footnote: PainText


class PainLine(Cited):
    """A phase's pain limit in one line (week pages, compact and summary, the web view): 'Pain during
    exercise: 0-2/10: carry on ...; 3-4/10: ...; 5/10 or more: ...'. The ranges come from the thresholds."""

    line: Annotated[Sentence, Holes("zones")] = Field(description="{zones}: the zones joined by '; ', each 'range: what to do'.")
    green: Label = Field(description="What to do in the green zone.")
    amber: Label = Field(description="What to do in the amber zone (when the phase allows amber at all).")
    red: Label = Field(description="What to do above the phase's limit.")


class ByUrgency(Frozen):
    """One text per urgency of rules/red-flags.yaml, most urgent first."""

    emergency: Label
    same_day: Label = Field(alias="same-day")
    soon: Label

    def of(self, urgency: str) -> str:
        """The text for an urgency id (emergency, same-day, soon)."""
        return {"emergency": self.emergency, "same-day": self.same_day, "soon": self.soon}[urgency]


class HowToUse(Frozen):
    """How to use the plan: on the full handout's cover, and (shorter) on the compact handout's."""

    heading: Heading
    steps: Bullets
    compact_heading: Heading
    compact_steps: Bullets


class About(Frozen):
    """The 'About your condition' pages, beyond the protocol's own words."""

    borrowed: Annotated[Sentence, Holes("borrowed_from")] = Field(
        description="A condition with no protocol of its own; {borrowed_from}: the protocol it adapts.")


class Sides(Frozen):
    """The injured side, as every handout names it."""

    left: Label
    right: Label
    both: Label = Field(description="Both legs, or a side nobody gave (a prevention plan trains both).")

    def of(self, side: str) -> str:
        """The words for a request's side (left, right, both)."""
        return {"left": self.left, "right": self.right, "both": self.both}[side]


class Cover(Frozen):
    """The full handout's cover."""

    disclaimer: Words = Field(description="At the foot of the cover: the plan does not replace an examination, nor dose medicines.")


class ReferralWording(Cited):
    """The referral handout that replaces the plan when it is not safe to start, and the reasons it gives."""

    heading: Heading
    not_safe: Words
    not_safe_named: Annotated[Sentence, Holes("who")] = Field(description="The same, for a runner with a name or id ({who}).")
    why_heading: Heading
    tell_heading: Heading
    tell_clinician: Bullets = Field(description="What to tell the clinician (also in the JSON, under referral).")
    until_heading: Heading
    until_seen: Bullets
    flag_reason: Annotated[Sentence, Holes("plain", "why")] = Field(description="One red flag: {plain} and {why} from rules/red-flags.yaml.")
    pain_reason: Annotated[Sentence, Holes("pain", *PAIN)] = Field(description="Pain now ({pain}) at or above refer_at.")
    grade_3: Words = Field(description="An uncleared grade-3 strain; its sources are the referral's.")


class Compact(Cited):
    """The compact and summary handouts' own wording."""

    warning_signs_heading: Heading
    pain_rules_heading: Heading
    pain_rules: PainText
    phase_limit: Annotated[Sentence, Holes("during_max")] = Field(description=(
        "A phase's own pain limit in its row of the summary's table (the summary has no phase pages): {during_max}/10."))
    more_checks: Annotated[Sentence, Holes("count")] = Field(description=(
        "After the first two boxes of a phase's checkpoint in the summary's table, when it has more: {count} of them."))
    changes: Annotated[Sentence, Holes("changes")] = Field(description="{changes}: the clinician's changes, one after the other.")
    checkpoint: Label
    days_each_week: Label = Field(description=(
        "In a compact phase page's Days column when an exercise's days (or the runs') change from week to week: "
        "each week's cell then gives its own days under the dose."))
    summary_heading: Heading
    first_weeks: Heading
    full_handout: Words


class WeekPages(Frozen):
    """The week pages: the hold week, which side first, the checkpoint and what each kind of criterion is."""

    hold: Label = Field(description="In the banner of a hold week.")
    uninjured_first: Annotated[Sentence, Holes("first", "side")] = Field(description="{first}: the uninjured side, {side}: the injured one.")
    note_below: Label = Field(description="In a grid cell whose notes are too long for it.")
    no_runs: Label = Field(description="The running row of a week without runs in a phase with runs (walking left out).")
    checkpoint_title: Annotated[Line, Holes("phase")]
    checkpoint_rule: Words
    kind_home_test: Label
    kind_clinician: Label
    kind_published: Label


class Pages(Frozen):
    """The introductions of the cards, progress, sources and clinician pages."""

    cards_intro: Words
    progress_heading: Heading
    progress_chart: Words
    pain_heading: Heading
    pain_grid: Words
    sources_intro: Words
    clinician_heading: Heading
    follow_up: Annotated[Sentence, Holes("previous_start", "week_reached", "previous_weeks", "phase", "checkpoint")] = Field(
        description="For the clinician: the plan a follow-up continues.")
    clinician_changes: Heading
    evidence_heading: Heading
    evidence_intro: Words


class PlainText(Frozen):
    """`hamrehab plan --format text`: its own short headings and lines."""

    referral_title: Annotated[Name, Holes("urgency")] = Field(description="{urgency}: the urgency id in capitals.")
    why: Heading
    tell: Heading
    no_exercises: Words
    changes: Heading
    borrowed: Annotated[Sentence, Holes("borrowed_from")]
    phase_pain: Annotated[Sentence, Holes("during_max", "next_morning", "stop_if")]
    warm_up_first: Label
    checkpoint: Label
    warning_signs: Heading
    evidence: Label


class Calendar(Frozen):
    """`hamrehab plan --format ics`: the referral's event and each day's pain limit and checkpoint."""

    referral_summary: Heading
    pain_limit: Annotated[Sentence, Holes("during_max", "stop_if")]
    checkpoint: Label


class PlannerNotes(Cited):
    """The planner's notes to the runner, under a week or on the 'Notes for your plan' list."""

    warm_up_later: Words
    no_fast_running: Words
    repeat_week: Words = Field(description="Each repeated week of a follow-up that has not passed its checkpoint.")
    hold_week: Words
    pain_repeat: Annotated[Sentence, Holes("pain")] = Field(description="Week 2 repeats week 1: pain now ({pain}) at or above first_phase_at.")
    no_grade: Annotated[Sentence, Holes("grade")]
    non_runner: Words
    no_walks: Words = Field(description="Under each week that would have had brisk walks (a runner who does not run) when the "
                                        "clinician left out walking.")
    shorter: Words


class ChangeWords(Frozen):
    """How the clinician's changes are listed for the runner ('Changes your clinician made for you')."""

    added: Annotated[Sentence, Holes("exercise", "phase")] = Field(description="An exercise added to one phase.")
    added_everywhere: Annotated[Sentence, Holes("exercise")] = Field(description="An exercise added to every phase.")
    swapped: Annotated[Sentence, Holes("new", "old")]
    left_out: Annotated[Sentence, Holes("exercise")]
    dosed: Annotated[Sentence, Holes("exercise", "dose")] = Field(description="The clinician's own starting dose.")
    dosed_days: Annotated[Sentence, Holes("exercise", "dose", "days")] = Field(description="The same, with days a week.")
    dosed_once_a_week: Annotated[Sentence, Holes("exercise", "dose")] = Field(description="The same, on one day a week.")
    earlier_dropped: Annotated[Sentence, Holes("exercise")] = Field(description=(
        "A follow-up: the last plan's change to an exercise that this block's stages cannot take (not in them, not "
        "allowed, or needing kit no longer listed). A left-out exercise stays out without a word."))
    boxes_heading: Heading = Field(description="For the clinician: the checkpoint boxes their changes leave out of step.")
    box_names_left_out: Annotated[Sentence, Holes("phase", "exercise", "box")] = Field(description=(
        "For the clinician: a box that names an exercise they left out or swapped away."))
    box_out_of_reach: Annotated[Sentence, Holes("phase", "exercise", "dose", "box")] = Field(description=(
        "For the clinician: a box asking for more sets or repetitions than their own dose grows to in its phase."))


class StartNotes(Frozen):
    """Why the plan starts where it does (first in the notes; on the cover of a follow-up)."""

    pain_first_phase: Annotated[Sentence, Holes("pain")]
    clinician_stage: Annotated[Sentence, Holes("phase")]
    days_since_onset: Annotated[Sentence, Holes("phase", "days", "previous")]
    follow_up_keep: Annotated[Sentence, Holes("previous_start", "week_reached", "phase")]
    follow_up_next: Annotated[Sentence, Holes("previous_start", "week_reached", "phase", "next")]
    follow_up_lower: Annotated[Sentence, Holes("previous_start", "week_reached", "phase", "pain")]
    follow_up_repeat: Annotated[Sentence, Holes("previous_start", "week_reached", "phase")]
    follow_up_carry_on: Annotated[Sentence, Holes("previous_start", "week_reached", "phase")] = Field(description=(
        "Not yet, but the last plan ended before the phase had run its shortest typical stay: it carries on, its doses growing."))


class ExerciseNotes(Cited):
    """Notes on one exercise: stand-ins for missing kit, progressions, first exposures, the weaker glutes."""

    substitute_banned: Annotated[Sentence, Holes("substitute", "exercise", "reason")]
    substitute_kit: Annotated[Sentence, Holes("substitute", "exercise", "kit")]
    left_out_banned: Annotated[Sentence, Holes("exercise", "reason")]
    left_out_kit: Annotated[Sentence, Holes("exercise", "kit")]
    left_out_covered: Annotated[Sentence, Holes("exercise", "kit", "substitute")] = Field(
        description="Its stand-in is already in the phase, at its own dose: the exercise is simply left out.")
    missing_core: Annotated[Sentence, Holes("exercise", "kit")]
    progressed: Annotated[Sentence, Holes("exercise")]
    add_load: Words
    first_exposure: Words
    clinician_dose: Words
    extra_glute_work: Annotated[Sentence, Holes("side")]
    extra_set: Annotated[Sentence, Holes("side")]


class RunningWords(Cited):
    """What one run says (the running row, the text and calendar, and `pattern` in the JSON); the extras
    (strides, hills, faster running) are added after it from rules/planning.yaml `extras_words`."""

    walk_jog: Annotated[Line, Holes("jog_each", "walk_each", "jog", "total")]
    usual_run: Annotated[Line, Holes("minutes")]
    easy_run: Annotated[Line, Holes("minutes")]
    easy_run_flat: Annotated[Line, Holes("minutes")]
    brisk_walk: Annotated[Line, Holes("minutes")]
    walk_effort: Words = Field(description="How brisk a brisk walk is: in place of the phase's running effort and notes, "
                                           "which are about runs.")


class HandoutWording(Frozen):
    """rules/handout.yaml: every fixed sentence of the handouts, grouped by where it appears."""

    headings: Headings
    traffic_light: TrafficLight
    pain_line: PainLine
    urgency_titles: ByUrgency = Field(description="The title of each urgency on the handouts, e.g. 'TODAY: see a doctor today'.")
    urgency_when: ByUrgency = Field(description="How soon, in brackets after a warning sign in the text output.")
    how_to_use: HowToUse
    about: About
    cover: Cover
    sides: Sides = Field(description=(
        "The side, on the full cover, at the top of the short handouts and of the plain text (inside a sentence, with a "
        "small first letter)."))
    referral: ReferralWording
    compact: Compact
    week_pages: WeekPages
    pages: Pages
    plain_text: PlainText
    calendar: Calendar
    planner_notes: PlannerNotes
    changes: ChangeWords
    start: StartNotes
    exercise_notes: ExerciseNotes
    running: RunningWords


def handout_problems(wording: HandoutWording, *, sources: Collection[str]) -> list[tuple[Where, str]]:
    """Cross-checks pydantic cannot do alone, each as (path in rules/handout.yaml, message): every key of a
    group's `sources` is a text of that group, and every source is in references.yaml."""
    found: list[tuple[Where, str]] = []
    for group in type(wording).model_fields:
        part = getattr(wording, group)
        if not isinstance(part, Cited):
            continue
        own = [f for f in type(part).model_fields if f != "sources"]
        for key, refs in part.sources.items():
            where: Where = (group, "sources", key)
            if key not in own:
                found.append((where, f"'{key}' is not a text of {group}{did_you_mean(key, own)}; accepted: {', '.join(own)}"))
            for i, ref in enumerate(refs):
                if ref not in sources:
                    found.append((where + (i,), f"unknown source '{ref}'{did_you_mean(ref, sources)}; "
                                                "add it to references.yaml or use one listed there"))
    return found

