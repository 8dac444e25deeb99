"""The triage questionnaire and its rules (rules/triage.yaml), as a clinician reviews them.

- `questions`: one question per sign, in the order asked, each with its kind, its plain words, the
  how-to of a home test, and when to ask it (conditions on earlier answers);
- `red_flag_rules`: which answers raise which red flag of rules/red-flags.yaml;
- `scoring`: which answer adds or takes away points for which condition, with its sources;
- `courses`: a condition outside its usual course (soreness past a week, a strain not settling);
- `grading`, `prevention`, `unclear` and `watch_for`.

A condition ("when") maps answer keys to what they must be: `true`/`false` for a yes-no question,
a choice or a list of choices, a whole number, a comparison (`{at_least: 14}`, `{more_than: 7}`, or
a pain threshold of rules/planning.yaml by name: `{at_least: refer_at}`), or `null` for "not
answered". All of a mapping must hold; `when_any` needs one of its mappings; `unless` must not hold.
"""

from collections.abc import Collection, Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import Field, Strict, StringConstraints, model_validator

from ..validation import did_you_mean
from ..vocab import DiagnosisId
from .base import Frozen, Line, Sentence, Slug, SourceKey, Text, rule_error

AnswerKey = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
Bound = Annotated[int, Strict()] | Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z][a-z_]*$")]
QuestionKind = Literal["yes-no", "choice", "number", "duration", "text"]
Group = Literal["warning", "story", "home-test", "about-you"]
NUMERIC_KINDS = ("number", "duration")


class Compare(Frozen):
    """A number's test; a bound is a whole number or the name of a pain threshold (rules/planning.yaml)."""

    at_least: Bound | None = None
    at_most: Bound | None = None
    more_than: Bound | None = None
    less_than: Bound | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> "Compare":
        if not self.bounds():
            raise rule_error("at_least", "give at least one of at_least, at_most, more_than, less_than")
        return self

    def bounds(self) -> dict[str, int | str]:
        return {k: v for k, v in (("at_least", self.at_least), ("at_most", self.at_most),
                                  ("more_than", self.more_than), ("less_than", self.less_than)) if v is not None}


Expect = (Annotated[bool, Strict()] | Annotated[int, Strict()] | Annotated[str, Strict()]
          | Annotated[tuple[Annotated[str, Strict()], ...], Field(min_length=1)] | Compare | None)
Condition = dict[AnswerKey, Expect]


class Conditional(Frozen):
    """Applies when every answer of `when` matches, one mapping of `when_any` does, and `unless` does not."""

    when: Condition = Field(default_factory=dict, description="Every answer here must match.")
    when_any: tuple[Condition, ...] = Field((), description="At least one of these mappings must match.")
    unless: Condition = Field(default_factory=dict, description="Does not apply when every answer here matches.")

    def conditions(self) -> list[tuple[tuple[object, ...], Condition]]:
        found: list[tuple[tuple[object, ...], Condition]] = [(("when",), self.when), (("unless",), self.unless)]
        found += [(("when_any", i), c) for i, c in enumerate(self.when_any)]
        return found


class Choice(Frozen):
    value: Slug = Field(description="The id written in answers files and the JSON.")
    label: Line = Field(description="What the runner reads in the list of choices.")
    plain: Line = Field(description="The answer as a finding, e.g. 'it came on gradually'.")


class Question(Frozen):
    """One question: one sign, asked in plain words."""

    key: AnswerKey = Field(description="The answer's key in answers files, rules and the JSON.")
    group: Group = Field(description="warning (asked first), story, home-test (left out after any red flag) or about-you.")
    kind: QuestionKind
    text: Sentence = Field(description="The question, in the runner's words.")
    how_to: Text | None = Field(None, description="For a home test: how to do it, shown just before the question.")
    choices: tuple[Choice, ...] = ()
    low: Annotated[int, Strict()] | None = None
    high: Annotated[int, Strict()] | None = None
    if_yes: Line | None = Field(None, description="A yes, as a finding (e.g. 'there is one clearly sore spot').")
    if_no: Line | None = Field(None, description="A no, as a finding, where a rule scores a no.")
    skippable: Annotated[bool, Strict()] = Field(False, description="Enter alone skips it (side, name).")
    ask_when: Condition = Field(default_factory=dict, description="Asked only when these earlier answers match (or are not known).")
    skip_when: Condition = Field(default_factory=dict, description="Left out when these earlier answers all match.")
    skip_note: Sentence | None = Field(None, description="Said at the end when the question was left out by skip_when.")
    sources: tuple[SourceKey, ...] = ()

    @model_validator(mode="after")
    def _fits_its_kind(self) -> "Question":
        if self.kind == "choice":
            if len(self.choices) < 2:
                raise rule_error("choices", "a choice question needs at least 2 choices")
            values = [c.value for c in self.choices]
            if len(set(values)) != len(values):
                raise rule_error("choices", "each choice's value must differ")
        elif self.choices:
            raise rule_error("choices", f"only a choice question has choices, not a {self.kind} question")
        if self.kind == "number":
            if self.low is None or self.high is None or self.low >= self.high:
                raise rule_error("low", "a number question needs low and high, low below high")
        elif self.low is not None or self.high is not None:
            raise rule_error("low", f"only a number question has low and high, not a {self.kind} question")
        if self.kind == "yes-no" and not self.if_yes:
            raise rule_error("if_yes", "a yes-no question needs if_yes: the yes as a finding, in plain words")
        if self.kind != "yes-no" and (self.if_yes or self.if_no):
            raise rule_error("if_yes", f"only a yes-no question has if_yes and if_no, not a {self.kind} question")
        if self.group == "home-test" and not self.how_to:
            raise rule_error("how_to", "a home test needs how_to: how to do it, step by step")
        return self

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def choice(self, value: str) -> Choice:
        return next(c for c in self.choices if c.value == value)


class FlagRule(Conditional):
    """These answers raise this red flag (its urgency and words come from rules/red-flags.yaml)."""

    flag: Slug
    because: Line = Field(description="The answer, in plain words, shown as the reason.")


class ScoreRule(Conditional):
    """These answers add (or, negative, take away) points for a condition."""

    condition: DiagnosisId
    points: Annotated[int, Strict(), Field(ge=-10, le=10)]
    plain: Line | None = Field(None, description="The finding in plain words; needed unless the rule tests one answer "
                                                 "whose words are known (a yes, a no with if_no, or one choice).")
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _not_zero(self) -> "ScoreRule":
        if self.points == 0:
            raise rule_error("points", "0 points changes nothing; give a positive or negative number")
        return self


class Course(Conditional):
    """A condition outside its usual course: see a professional (when it is the best fit), and maybe drop it."""

    condition: DiagnosisId
    usual: Sentence = Field(description="The usual course, in plain words.")
    because: Line = Field(description="Why these answers are outside it, shown as the reason.")
    flag: Slug = Field(description="The red flag raised when this condition is the best fit.")
    drop: Annotated[bool, Strict()] = Field(False, description="No longer ranked at all (it cannot be this condition).")
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]


class GradeRule(Conditional):
    grade: Annotated[int, Strict(), Field(ge=1, le=3)]
    because: Line


class Grading(Frozen):
    """The grade suggested from the signs that separate grades; the first rule that holds wins."""

    condition: DiagnosisId
    rules: Annotated[tuple[GradeRule, ...], Field(min_length=1)]
    unsure: Line = Field(description="Said when no rule holds: the signs do not separate the grades clearly.")
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]


class Prevention(Conditional):
    """Nothing wrong: the keep-it programme, with enough points to lead."""

    condition: DiagnosisId
    points: Annotated[int, Strict(), Field(ge=1, le=20)]
    plain: Line
    sources: Annotated[tuple[SourceKey, ...], Field(min_length=1)]


class Unclear(Frozen):
    """When the answers do not point clearly to one cause."""

    min_score: Annotated[int, Strict()] = Field(description="A top score below this is unclear.")
    min_lead: Annotated[int, Strict(), Field(ge=0)] = Field(description="A lead over the second below this is unclear.")
    note: Sentence


class TriageRules(Frozen):
    """The whole of rules/triage.yaml."""

    questions: Annotated[tuple[Question, ...], Field(min_length=1)]
    red_flag_rules: Annotated[tuple[FlagRule, ...], Field(min_length=1)]
    scoring: Annotated[tuple[ScoreRule, ...], Field(min_length=1)]
    courses: tuple[Course, ...] = ()
    grading: Grading
    prevention: Prevention
    unclear: Unclear
    watch_for: tuple[Slug, ...] = Field((), description="Red flags listed under 'see a professional if' after every result.")

    @cached_property
    def question(self) -> dict[str, Question]:
        return {q.key: q for q in self.questions}

    @cached_property
    def conditions(self) -> tuple[DiagnosisId, ...]:
        """The conditions ranked, in the order they first appear in `scoring` (ties keep this order)."""
        return tuple(dict.fromkeys(r.condition for r in self.scoring))

    def finding(self, rule: ScoreRule) -> str:
        """A scoring rule's finding in plain words."""
        return rule.plain or plain_answer(self.question, rule.when) or ""


def plain_answer(questions: Mapping[str, Question], cond: Condition) -> str | None:
    """The words of a one-answer condition (a yes, a no, one choice), else None."""
    if len(cond) != 1:
        return None
    (key, expect), = cond.items()
    q = questions.get(key)
    if q is None:
        return None
    if expect is True:
        return q.if_yes
    if expect is False:
        return q.if_no
    if isinstance(expect, str) and q.kind == "choice" and expect in q.values:
        return q.choice(expect).plain
    return None


Where = tuple[object, ...]


def _expect_problem(q: Question, expect: Any, thresholds: Collection[str]) -> str:
    """What is wrong with testing question `q` against `expect` ('' if nothing)."""
    if expect is None:
        return ""
    if q.kind == "yes-no":
        return "" if isinstance(expect, bool) else f"'{q.key}' is a yes-no question: test it with true, false or null"
    if q.kind == "choice":
        wanted = (expect,) if isinstance(expect, str) else expect if isinstance(expect, tuple) else None
        if wanted is None:
            return f"'{q.key}' is a choice question: test it with a choice, a list of choices or null"
        bad = [w for w in wanted if w not in q.values]
        return f"'{bad[0]}' is not a choice of '{q.key}'; accepted: {', '.join(q.values)}" if bad else ""
    if q.kind in NUMERIC_KINDS:
        if isinstance(expect, bool) or not isinstance(expect, (int, Compare)):
            return f"'{q.key}' is a number: test it with a whole number or {{at_least: N}} (at_most, more_than, less_than)"
        if isinstance(expect, Compare):
            for name, bound in expect.bounds().items():
                if isinstance(bound, str) and bound not in thresholds:
                    return f"{name}: '{bound}' is not a pain threshold of rules/planning.yaml; accepted: {', '.join(thresholds)}"
        return ""
    return f"'{q.key}' is a text question: it can only be tested for null (not answered)"


def triage_problems(rules: TriageRules, *, flags: Collection[str] | None, sources: Collection[str],
                    thresholds: Collection[str]) -> list[tuple[Where, str]]:
    """Cross-checks pydantic cannot do alone, each as (path in rules/triage.yaml, message): keys used once,
    warning questions first, every condition's answer a question (asked earlier, for questions) tested as
    its kind allows, every flag in red-flags.yaml (unless `flags` is None: that file failed), every source
    in references.yaml."""
    found: list[tuple[Where, str]] = []
    order = {q.key: i for i, q in reversed(list(enumerate(rules.questions)))}
    seen_other = False
    for i, q in enumerate(rules.questions):
        if order[q.key] != i:
            found.append((("questions", i, "key"), f"question '{q.key}' is already asked (questions.{order[q.key]}); use another key"))
        if q.group != "warning":
            seen_other = True
        elif seen_other:
            found.append((("questions", i, "group"), "warning questions come first: move this one above the first question of another group"))

    def check(where: Where, cond: Condition, before: int | None = None) -> None:
        for key, expect in cond.items():
            path = where + (key,)
            if key not in order:
                found.append((path, f"no question '{key}'{did_you_mean(key, order)}"))
                continue
            if before is not None and order[key] >= before:
                found.append((path, f"'{key}' is asked later than this question; a question can depend only on earlier answers"))
            problem = _expect_problem(rules.questions[order[key]], expect, thresholds)
            if problem:
                found.append((path, problem))

    def check_sources(where: Where, keys: tuple[str, ...]) -> None:
        for i, key in enumerate(keys):
            if key not in sources:
                found.append((where + (i,), f"unknown source '{key}'{did_you_mean(key, sources)}; add it to references.yaml or use one listed there"))

    def check_flag(where: Where, flag: str) -> None:
        if flags is not None and flag not in flags:
            found.append((where, f"no red flag '{flag}'{did_you_mean(flag, flags)} in rules/red-flags.yaml"))

    for i, q in enumerate(rules.questions):
        check(("questions", i, "ask_when"), q.ask_when, i)
        check(("questions", i, "skip_when"), q.skip_when, i)
        check_sources(("questions", i, "sources"), q.sources)
    groups: list[tuple[str, tuple[Conditional, ...]]] = [
        ("red_flag_rules", rules.red_flag_rules), ("scoring", rules.scoring), ("courses", rules.courses)]
    broken: set[Where] = set()  # rules whose conditions are wrong: no need to ask for their words too
    for name, items in groups:
        for i, item in enumerate(items):
            before = len(found)
            for where, cond in item.conditions():
                check((name, i) + where, cond)
            if len(found) > before:
                broken.add((name, i))
            if not item.when and not item.when_any:
                found.append(((name, i, "when"), "give when or when_any: a rule without a condition would always apply"))
    for i, flag_rule in enumerate(rules.red_flag_rules):
        check_flag(("red_flag_rules", i, "flag"), flag_rule.flag)
    for i, rule in enumerate(rules.scoring):
        check_sources(("scoring", i, "sources"), rule.sources)
        if rule.condition == rules.prevention.condition:
            found.append((("scoring", i, "condition"), f"'{rule.condition}' is the no-pain programme: it is scored only by prevention"))
        if not rules.finding(rule) and ("scoring", i) not in broken:
            found.append((("scoring", i, "plain"), "give plain: the finding in plain words (the rule tests more than one known answer)"))
    for i, course in enumerate(rules.courses):
        check_flag(("courses", i, "flag"), course.flag)
        check_sources(("courses", i, "sources"), course.sources)
    for i, grade_rule in enumerate(rules.grading.rules):
        for where, cond in grade_rule.conditions():
            check(("grading", "rules", i) + where, cond)
    check_sources(("grading", "sources"), rules.grading.sources)
    for where, cond in rules.prevention.conditions():
        check(("prevention",) + where, cond)
    check_sources(("prevention", "sources"), rules.prevention.sources)
    for i, flag in enumerate(rules.watch_for):
        check_flag(("watch_for", i), flag)
    return found
