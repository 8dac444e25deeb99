"""The referral handout: when it is not safe to start, this replaces the whole plan (no exercises at all)."""
from __future__ import annotations

from reportlab.platypus import Spacer

from .style import AMBER, MUTED, RED
from .writer import WriterBase, _long_date


class ReferralSection(WriterBase):
    """How urgent, why, what to tell the clinician and what to do until then."""

    def referral(self) -> None:
        plan, s, look = self.plan, self.s, self.look
        words = self.words.referral
        ref = plan.referral
        assert ref is not None
        r = plan.request
        self.flow += self.heading(words.heading, "referral")
        who = r.name or r.patient_id
        self.flow.append(self.p(words.not_safe_named.format(who=who) if who else words.not_safe, s.h3))
        colour = RED if ref.urgency in ("emergency", "same-day") else AMBER
        self.flow.append(self.banner(self.words.urgency_titles.of(ref.urgency), ref.action, colour if ref.urgency != "soon" else MUTED))
        self.flow.append(Spacer(1, look.body * 0.6))
        self.flow.append(self.p(words.why_heading, s.h2))
        self.flow += self.bullets(ref.reasons)
        self.flow.append(self.p(words.tell_heading, s.h2))
        self.flow += self.bullets(ref.tell_clinician)
        details = [("Name", r.name or "-"), ("Patient id", r.patient_id or "-"), ("Date", _long_date(r.start)),
                   ("Thought to be", plan.diagnosis_name + (f", grade {r.grade}" if r.grade else "")), ("Pain now", f"{r.pain}/10")]
        self.flow.append(Spacer(1, look.body * 0.5))
        self.flow.append(self._label_table(details))
        self.flow.append(self.p(words.until_heading, s.h2))
        self.flow += self.bullets(words.until_seen)
        if self.clinic is not None:
            self.flow.append(Spacer(1, look.body))
            self.flow += self.clinic_block()
        if plan.sources:
            self.flow.append(Spacer(1, look.body))
            self.flow.append(self.p("Sources: " + "; ".join(f"[{k}] {c}" for k, c in plan.sources), s.small))
