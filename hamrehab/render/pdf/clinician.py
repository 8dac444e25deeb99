"""For your clinician: the request as given, the changes made, and notes on the evidence (full handout only).

The runner's pages state every figure plainly; what a clinician needs to judge them is kept here.
"""
from __future__ import annotations

from reportlab.platypus import CondPageBreak

from .flowables import Bookmark
from .writer import WriterBase

SHOWN = ("diagnosis", "grade", "stage", "days_since_onset", "side", "weeks", "start", "equipment", "days_per_week", "pain",
         "weak_glute_side", "runner_km_per_week", "clinician_cleared", "without", "add", "swap", "dose")


class ClinicianSection(WriterBase):
    """The last pages of the full handout."""

    def for_clinician(self) -> None:
        plan, s, words = self.plan, self.s, self.words.pages
        self.flow.append(CondPageBreak(self.look.body * 10))
        self.flow.append(Bookmark("clinician", words.clinician_heading, 0))
        self.flow.append(self.p(words.clinician_heading, s.h2))
        req = plan.request
        asked = []
        for name in SHOWN:
            value = getattr(req, name)
            if value in (None, (), "", False) and name not in ("pain",):
                continue
            text = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
            asked.append(f"{name.replace('_', ' ')}: {text}")
        self.flow.append(self.p("The request: " + "; ".join(asked) + ".", s.small))
        if req.follow_up is not None:
            f = req.follow_up
            said = words.follow_up.format(previous_start=f.previous_start.isoformat(), week_reached=f.week_reached,
                                          previous_weeks=f.previous_weeks, phase=f.phase, checkpoint=f.checkpoint)
            self.flow.append(self.p(said, s.small))
        if plan.changes:
            self.flow.append(self.p(words.clinician_changes, s.h3))
            self.flow += self.bullets(plan.changes, s.card_bullet)
        if plan.clinician_notices:
            self.flow.append(self.p(self.words.changes.boxes_heading, s.h3))
            self.flow += self.bullets(plan.clinician_notices, s.card_bullet)
        if plan.evidence_notes:
            self.flow.append(self.p(words.evidence_heading, s.h3))
            self.flow.append(self.p(words.evidence_intro, s.small))
            self.flow += self.bullets(plan.evidence_notes, s.card_bullet)
