"""One card per exercise: drawings, steps, tips, mistakes, easier and harder, kit, the safe dose range."""
from __future__ import annotations

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from ...model import DosageLimits, Exercise
from ...wording import duration
from ..fonts import BODY
from .flowables import Bookmark, _figure, _Rule
from .writer import CARD_COLUMNS_MAX, WriterBase


def _span(lo: float, hi: float, unit: str) -> str:
    return f"{lo:g} {unit}" if lo == hi else f"{lo:g}-{hi:g} {unit}"


def _range_text(lim: DosageLimits) -> str:
    """The safe range in words: '2-4 sets, 8-12 reps'."""
    parts = [_span(*lim.sets, "set" if lim.sets == (1, 1) else "sets")]
    if lim.reps:
        parts.append(_span(*lim.reps, "reps"))
    if lim.hold_s:
        parts.append(f"holds of {duration(lim.hold_s[0])}" + (f" to {duration(lim.hold_s[1])}" if lim.hold_s[1] != lim.hold_s[0] else ""))
    if lim.duration_s:
        parts.append(duration(lim.duration_s[0]) + (f" to {duration(lim.duration_s[1])}" if lim.duration_s[1] != lim.duration_s[0] else ""))
    return ", ".join(parts)


class CardsSection(WriterBase):
    """How to do each exercise; how much of it is on the week pages."""

    def cards(self) -> None:
        self.flow.append(PageBreak())
        self.flow += self.heading(self.words.headings.exercises, "exercises")
        self.flow.append(self.p(self.words.pages.cards_intro))
        names = {ex.id: ex.name for ex in self.plan.exercises}
        for ex in self.plan.exercises:
            self.flow.append(self.card(ex, names))

    def card(self, ex: Exercise, names: dict[str, str]) -> KeepTogether:
        """One exercise kept on one page when it fits; `names` turns easier/harder ids into names."""
        s, look = self.s, self.look
        title_bits = [ex.category.capitalize(), "each side" if ex.per_side else "both legs together"]
        how_much = ("how much: the running row of each week page" if ex.run_role in ("walk-jog", "continuous", "strides")
                    or ex.id == self.plan_walk else "how much: see your week pages")
        head = [self.p(ex.name, s.h3), self.p(" | ".join(title_bits) + f"  |  {how_much}", s.small)]
        qr: list[Flowable] | str = ""
        if ex.video_url:
            from reportlab.graphics.barcode.qr import QrCodeWidget  # costly import: only when a card has a video

            widget = QrCodeWidget(ex.video_url)
            b = widget.getBounds()
            size = look.body * 5
            qd = Drawing(size, size, transform=[size / (b[2] - b[0]), 0, 0, size / (b[3] - b[1]), 0, 0])
            qd.add(widget)
            qr = [qd, self.p("Video", s.small)]
        top = Table([[head, qr]], colWidths=[self.width - look.body * 6, look.body * 6])
        top.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        drawing = _figure(ex.figure, self.width, look.figure, font_name=BODY)
        left = [self.p("How to do it", s.card_bold)] + [
            self.p(step, s.card_bullet, bullet=f"{i}.") for i, step in enumerate(ex.steps, 1)]
        right = ([self.p("Tips", s.card_bold)] + self.bullets(ex.cues, s.card_bullet)
                 + [self.p("Avoid", s.card_bold)] + self.bullets(ex.mistakes, s.card_bullet))
        cols = Table([[left, right]], colWidths=[self.width * 0.56, self.width * 0.44])
        cols.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        facts = []
        if ex.easier:
            facts.append("Too hard? " + ", ".join(names.get(i, i.replace("-", " ")) for i in ex.easier) + ".")
        if ex.harder:
            facts.append("Too easy? " + ", ".join(names.get(i, i.replace("-", " ")) for i in ex.harder) + ".")
        kit = [e.replace("-", " ") for e in ex.equipment if e != "none"]
        facts.append(f"You need: {', '.join(kit) if kit else 'nothing'}.")
        facts.append(f"Safe range: {_range_text(ex.dosage.limits)}.")
        # Two columns cannot break across pages: an exercise with long text gets them one after the other.
        steps: list[Flowable] = [cols] if cols.wrap(self.width, 1e6)[1] < CARD_COLUMNS_MAX * look.body else left + right
        body: list[Flowable] = [Spacer(1, look.body * 0.4), Bookmark(f"ex-{ex.id}", ex.name, 1), top, drawing, *steps]
        body.append(self.p("   ".join(facts), s.small))
        if ex.caution:
            body.append(self.p(f"Take care: {ex.caution}", s.card_bold))
        body.append(_Rule(self.width))
        return KeepTogether(body)
