"""The small parts of a batch: its summary, and what is said once about the roster.

The summary line keeps the words "N written, M failed, K skipped" that scripts read, then says how
many of the written are referral handouts, by urgency (the clinic phones those first):
"12 written, 1 failed, 0 skipped; 2 of the written are referral handouts (1 same-day, 1 soon)".
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .manifest import RowOutcome
from .model import URGENCIES

Pairs = tuple[tuple[str, str], ...]  # (field, message) each


@dataclass
class BatchSummary:
    """Counts and where the reports are; `line` is the one-line summary the CLI prints."""

    out: Path
    written: int = 0
    failed: int = 0
    skipped: int = 0
    rows: int = 0
    interrupted: bool = False
    stopped_by: str = ""  # "SIGINT" or "SIGTERM" when a signal stopped the batch
    referrals: dict[str, int] = field(default_factory=dict)  # written referral handouts by urgency
    ignored_columns: tuple[str, ...] = ()  # roster columns hamrehab does not use
    notices: int = 0  # lines in notices.csv (values read as something else, columns ignored)
    outcomes: list[RowOutcome] = field(default_factory=list, repr=False)  # only with keep_outcomes=True

    @property
    def line(self) -> str:
        """'12 written, 1 failed, 0 skipped; 2 of the written are referral handouts (1 same-day, 1 soon)'."""
        text = f"{self.written} written, {self.failed} failed, {self.skipped} skipped"
        text += f" (interrupted after {self.rows} rows)" if self.interrupted else ""
        total = sum(self.referrals.values())
        if total:
            counts = ", ".join(f"{self.referrals[u]} {u}" for u in URGENCIES if self.referrals.get(u))
            text += f"; {total} of the written {'is a referral handout' if total == 1 else 'are referral handouts'} ({counts})"
        return text


def roster_warnings(source: Any) -> tuple[str, ...]:
    """What is said once about the roster itself: columns ignored, headers read as a close field."""
    if not source.ignored:
        return tuple(source.notices)
    word = "column" if len(source.ignored) == 1 else "columns"
    return (f"{source.name}: ignored {word} hamrehab does not use: {', '.join(source.ignored)}", *source.notices)
