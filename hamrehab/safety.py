"""The safety screen: red flags, pain now, and grade-3 strains stop a loading plan.

Any red flag gives a Referral and no prescriptions: the runner gets a handout that says
how urgently to be seen and what to tell the clinician, never exercises. The red flags, their
urgency and their words are data (rules/red-flags.yaml, clinical-facts.md section 5), the same
file triage reads; the pain thresholds come from rules/planning.yaml.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from .catalogue import builtin_handout, builtin_red_flags
from .exceptions import InputError
from .model import URGENCIES, PainThresholds, PlanRequest, RedFlag, RedFlags
from .model.handout import ReferralWording
from .model.placeholders import pain_values
from .validation import did_you_mean

__all__ = ["RED_FLAGS", "TELL_CLINICIAN", "URGENCIES", "URGENCY_WORDS", "RedFlag", "Referral", "check_red_flags", "screen"]


class _BuiltinFlags(Mapping[str, RedFlag]):
    """The shipped red flags by id, read from rules/red-flags.yaml on first use (not at import)."""

    def _flags(self) -> dict[str, RedFlag]:
        return builtin_red_flags().by_id

    def __getitem__(self, key: str) -> RedFlag:
        return self._flags()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._flags())

    def __len__(self) -> int:
        return len(self._flags())

    def __repr__(self) -> str:
        return f"RED_FLAGS({', '.join(self)})"


class _UrgencyWords(Mapping[str, str]):
    """What each urgency tells the runner to do (rules/red-flags.yaml `urgencies`)."""

    def __getitem__(self, key: str) -> str:
        return builtin_red_flags().urgencies[key].action  # type: ignore[index]

    def __iter__(self) -> Iterator[str]:
        return iter(URGENCIES)

    def __len__(self) -> int:
        return len(URGENCIES)


RED_FLAGS: Mapping[str, RedFlag] = _BuiltinFlags()
URGENCY_WORDS: Mapping[str, str] = _UrgencyWords()


class _TellClinician(Sequence[str]):
    """What to tell the clinician (rules/handout.yaml `referral.tell_clinician`), read on first use."""

    def _lines(self) -> tuple[str, ...]:
        return builtin_handout().referral.tell_clinician

    def __getitem__(self, index):
        return self._lines()[index]

    def __len__(self) -> int:
        return len(self._lines())


TELL_CLINICIAN: Sequence[str] = _TellClinician()


@dataclass(frozen=True)
class Referral:
    """The plan's replacement when it is not safe to load: how urgent, and why."""

    urgency: str
    reasons: tuple[str, ...]
    action: str
    tell_clinician: tuple[str, ...] = ()  # rules/handout.yaml `referral.tell_clinician`, filled in by screen()
    sources: tuple[str, ...] = ()


def _flag_table(flags: RedFlags | None) -> Mapping[str, RedFlag]:
    return RED_FLAGS if flags is None else flags.by_id


def check_red_flags(ids: tuple[str, ...], flags: RedFlags | None = None) -> None:
    """Unknown red-flag ids are bad input, with a "did you mean"."""
    table = _flag_table(flags)
    for flag in ids:
        if flag not in table:
            raise InputError(f"--red-flag: '{flag}' is not a known red flag{did_you_mean(flag, table)}; accepted: {', '.join(table)}")


def screen(request: PlanRequest, pain: PainThresholds, flags: RedFlags | None = None, *,
           words: ReferralWording | None = None) -> Referral | None:
    """A Referral when any red flag, severe pain now, or an uncleared grade-3 strain; else None.

    `pain` is the planning rules' thresholds (rules/planning.yaml) and `flags` the red flags
    (rules/red-flags.yaml; the built-in file when None): the same ones the traffic light, the
    phases and triage read. `words` is the referral's wording (rules/handout.yaml `referral`;
    the built-in file when None).
    """
    check_red_flags(request.red_flags, flags)
    table = _flag_table(flags)
    urgencies = (flags or builtin_red_flags()).urgencies
    said = words if words is not None else builtin_handout().referral
    found: list[tuple[str, str, tuple[str, ...]]] = []
    for flag_id in request.red_flags:
        flag = table[flag_id]
        found.append((flag.urgency, said.flag_reason.format(plain=flag.plain, why=flag.why), flag.sources))
    if request.pain >= pain.refer_at:
        urgency = "same-day" if request.pain >= pain.refer_same_day_at else "soon"
        found.append((urgency, said.pain_reason.format(pain=request.pain, **pain_values(pain)), tuple(pain.sources)))
    if request.diagnosis == "hamstring-strain" and request.grade == 3 and not request.clinician_cleared:
        found.append(("soon", said.grade_3, said.sources.get("grade_3", ())))
    if not found:
        return None
    urgency = min((u for u, _, _ in found), key=URGENCIES.index)
    sources = tuple(dict.fromkeys(s for _, _, srcs in found for s in srcs))
    return Referral(urgency=urgency, reasons=tuple(r for _, r, _ in found), action=urgencies[urgency].action,  # type: ignore[index]
                    tell_clinician=said.tell_clinician, sources=sources)
