"""docs/triage.md, generated from rules/triage.yaml and rules/red-flags.yaml so a clinician reviews
exactly what the program does. Regenerate with:

    python3 -m hamrehab.triage.docs > docs/triage.md

tests/test_triage_data.py fails when the file and the data drift apart.
"""
from __future__ import annotations

import sys

from ..catalogue import builtin_red_flags, builtin_rules, builtin_triage
from ..model import URGENCIES, PainThresholds, RedFlags, TriageRules
from .answers import accepted
from .conditions import describe, describe_rule

INTRO = """\
# `hamrehab triage`

<!-- Generated from rules/triage.yaml and rules/red-flags.yaml by `python3 -m hamrehab.triage.docs > docs/triage.md`.
     Edit the YAML, not this file: a test fails when they differ. -->

Triage sorts a runner's answers into warning signs, a ranked list of possible causes, a grade, a stage
and a `hamrehab plan` command. **It is not a diagnosis.** It never replaces an examination; the hip
joint or a bone can cause the same pain, and only a clinician can rule that out.

Everything a clinician would review is data, checked by `hamrehab validate` (every problem with its
file and line; every flag a rule raises must exist, every condition is a diagnosis, every source is in
`exercises/references.yaml`, every answer a condition tests is a question):

- `rules/triage.yaml`: the questions, which answers raise which red flag, the scoring rules, the
  conditions outside their usual course, the grade, the no-pain programme;
- `rules/red-flags.yaml`: the red flags themselves (urgency, the runner's words, why it matters,
  sources), the same file `hamrehab plan --red-flag` and the handouts read;
- `rules/planning.yaml`: the pain thresholds (triage and the planner read the same ones).

The code is `hamrehab/triage/` (no click): `answers.py` (typed answers, durations, answers files),
`conditions.py`, `questions.py` (the flow), `flags.py`, `scoring.py`, `assessment.py`, `report.py`.

## Answering

Type `y`, `n`, a number, a choice's number, or `?` for "don't know" (it scores nothing). Durations
take days, weeks, months or years: `3 days`, `2 weeks`, `2 months`, `10 d`, `a week`; a plain number is
days and a month counts 30 days. Side and name can be skipped with Enter. `back` at any prompt returns
to the previous question and forgets its answer. Text is wrapped on word boundaries to the terminal.

Warning signs come first. An emergency answer ends the questions at once. After any other warning sign
the home tests are left out: a leg that needs examining should not be tested at home. A question whose
condition the answers so far rule out is skipped (a "don't know" never hides a question).
"""

GROUPS = {"warning": "warning sign", "story": "the story", "home-test": "home test", "about-you": "about you"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _answers_table(rules: TriageRules) -> list[str]:
    lines = ["## The answers file", "",
             "YAML (or JSON): `hamrehab triage --answers answers.yaml`. Every key is optional: a missing key means",
             "\"not asked\" and scores nothing. Unknown keys, wrong types and values out of range stop with exit 2 and",
             "a message naming the file, line and key.", "", "| key | accepted |", "|---|---|"]
    lines += [f"| `{q.key}` | {_cell(accepted(q))} |" for q in rules.questions]
    return lines + ["", "```yaml", "onset: gradual", "location: sit-bone", "worse_sitting: yes", "eases_when_warm: yes",
                    "days_since_onset: 6 weeks", "pain_now: 3", "side: right", "```", ""]


def _questions(rules: TriageRules) -> list[str]:
    lines = ["## The questions, in the order asked", "", "| # | key | kind | question | asked when |", "|---|---|---|---|---|"]
    for i, q in enumerate(rules.questions, 1):
        when = []
        if q.ask_when:
            when.append(describe(q.ask_when))
        if q.skip_when:
            when.append(f"not when {describe(q.skip_when)}")
        if q.group == "home-test":
            when.append("no red flag so far")
        text = q.text + (" (Enter skips)" if q.skippable else "")
        if q.choices:
            text += " " + "; ".join(f"{n}. {c.label}" for n, c in enumerate(q.choices, 1))
        lines.append(f"| {i} | `{q.key}` | {GROUPS[q.group]}, {q.kind} | {_cell(text)} | {_cell('; '.join(when) or 'always')} |")
    lines += ["", "How each home test is explained, just before its question:", ""]
    for q in rules.questions:
        if q.how_to:
            sources = f" [{', '.join(q.sources)}]" if q.sources else ""
            lines.append(f"- `{q.key}`: {_cell(q.how_to)}{sources}")
    notes = [f"- `{q.key}`: {q.skip_note}" for q in rules.questions if q.skip_note]
    if notes:
        lines += ["", "Said when a question is left out:", ""] + notes
    return lines + [""]


def _red_flags(flags: RedFlags, rules: TriageRules) -> list[str]:
    lines = ["## Red flags (they always win)", "",
             "Any red flag replaces the exercise plan with a \"see a professional\" handout; the most urgent sets how",
             "soon. The referral comes from `safety.screen()`, so it is exactly what `hamrehab plan --red-flag ...` gives.",
             "", "| urgency | what the runner is told |", "|---|---|"]
    lines += [f"| {u} ({flags.urgencies[u].label}) | {_cell(flags.urgencies[u].action)} |" for u in URGENCIES]  # type: ignore[index]
    lines += ["", "| id | urgency | what the runner noticed | this can mean | sources |", "|---|---|---|---|---|"]
    for f in sorted(flags.flags, key=lambda f: URGENCIES.index(f.urgency)):
        lines.append(f"| `{f.id}` | {f.urgency} | {_cell(f.plain)} | {_cell(f.why)} | {', '.join(f.sources)} |")
    lines += ["", "### Which answers raise which flag", "", "| answers | red flag | shown as |", "|---|---|---|"]
    lines += [f"| {_cell(describe_rule(r))} | `{r.flag}` | {_cell(r.because)} |" for r in rules.red_flag_rules]
    return lines + [""]


def _scoring(rules: TriageRules, names: dict[str, str]) -> list[str]:
    lines = ["## The score", "",
             "Each condition starts at 0. Every answer that fits its typical picture adds points; every answer that",
             "fits it badly takes points away (clinical-facts.md section 2). The result lists both, in plain words.", ""]
    for condition in rules.conditions:
        lines += [f"### {names.get(condition, condition)} (`{condition}`)", "", "| answers | finding | points | sources |",
                  "|---|---|---|---|"]
        for r in rules.scoring:
            if r.condition == condition:
                lines.append(f"| {_cell(describe_rule(r))} | {_cell(rules.finding(r))} | {r.points:+d} | {', '.join(r.sources)} |")
        lines.append("")
    p = rules.prevention
    lines += [f"### {names.get(p.condition, p.condition)} (`{p.condition}`)", "",
              f"Listed only when {describe_rule(p)}: {p.plain}, {p.points:+d} points [{', '.join(p.sources)}].", "",
              "### When the answers do not point clearly to one cause", "",
              (f"When the top score is below {rules.unclear.min_score}, or leads the second by less than "
              f"{rules.unclear.min_lead}, the result says: \"{rules.unclear.note}\""), ""]
    return lines


def _courses(rules: TriageRules, names: dict[str, str]) -> list[str]:
    lines = ["## Outside the usual course", "",
             "When the best fit's answers are outside its usual course, its red flag is raised (see a professional);",
             "a condition marked \"set aside\" is no longer ranked at all.", "",
             "| condition | when | usual course | red flag | set aside | sources |", "|---|---|---|---|---|---|"]
    for c in rules.courses:
        lines.append(f"| {names.get(c.condition, c.condition)} | {_cell(describe_rule(c))} | {_cell(c.usual)} | `{c.flag}` | "
                     f"{'yes' if c.drop else 'no'} | {', '.join(c.sources)} |")
    return lines + [""]


def _grade_and_stage(rules: TriageRules, pain: PainThresholds) -> list[str]:
    g = rules.grading
    lines = ["## Grade and stage", "",
             f"For `{g.condition}`, the first rule that holds gives the grade [{', '.join(g.sources)}]:", "",
             "| grade | when | because |", "|---|---|---|"]
    lines += [f"| {r.grade} | {_cell(describe_rule(r))} | {_cell(r.because)} |" for r in g.rules]
    lines += ["", f"Otherwise: \"{g.unsure}\". The plan command then leaves `--grade` out (the plan follows a grade 2",
              "strain's timeline) and a grade 3 always refers.", "",
              "The stage is the phase `hamrehab plan` itself would choose from the days since onset",
              f"(`timeline.start_index`); pain now of {pain.first_phase_at}/10 or more (`first_phase_at`) starts at the first",
              f"phase, and {pain.refer_at}/10 or more (`refer_at`) refers, the same day from {pain.refer_same_day_at}/10",
              "(`refer_same_day_at`), as in the planner (rules/planning.yaml).", ""]
    watch = ", ".join(f"`{w}`" for w in rules.watch_for)
    return lines + ["## After every result", "",
                    f"\"See a professional if, from now on\" lists these red flags, by urgency: {watch}.", ""]


def render(rules: TriageRules | None = None, flags: RedFlags | None = None, pain: PainThresholds | None = None,
           names: dict[str, str] | None = None) -> str:
    """docs/triage.md as text (the built-in files when no arguments)."""
    rules = rules or builtin_triage()
    flags = flags or builtin_red_flags()
    pain = pain or builtin_rules().pain
    if names is None:
        from ..catalogue import load_catalogue

        names = {pid: p.name for pid, p in load_catalogue().protocols.items()}
    lines = [INTRO] + _answers_table(rules) + _questions(rules) + _red_flags(flags, rules) + _scoring(rules, names)
    lines += _courses(rules, names) + _grade_and_stage(rules, pain)
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(render())
