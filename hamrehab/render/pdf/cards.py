"""One card per exercise: drawings, steps, tips, mistakes, easier and harder, kit, the safe dose range."""
from __future__ import annotations

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer

from ...model import DosageLimits, Exercise
from ...wording import duration
from ..fonts import BODY
from .cells import Cells, Pad
from .flowables import Bookmark, _figure, _Rule
from .writer import CARD_COLUMNS_MAX, WriterBase

CARD_FIGURE_MIN = 0.85  # a page's drawings may be drawn this much of their height, no smaller, so one more card shares the page
FIGURE_AT = 3  # where a card's drawing sits among its parts (after the space, the bookmark and the title)


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
        intro = [*self.heading(self.words.headings.exercises, "exercises"), self.p(self.words.pages.cards_intro)]
        self.flow += intro
        forms = {ex_id: (easier, harder) for ex_id, easier, harder in self.plan.card_steps}
        cards = [self.card(ex, forms.get(ex.id, ((), ()))) for ex in self.plan.exercises]
        for ex, parts, height in zip(self.plan.exercises, cards, self._figure_heights(intro, cards), strict=True):
            if height != self.look.figure:
                parts[FIGURE_AT] = _figure(ex.figure, self.width, height, font_name=BODY)
            self.flow.append(KeepTogether(parts))

    def _figure_heights(self, intro: list[Flowable], cards: list[list[Flowable]]) -> list[float]:
        """The height of each card's drawing. Cards follow one another, each kept whole on a page; where a card
        would just miss the room left on a page, every drawing on that page is drawn a little smaller (one
        height for them all, at least CARD_FIGURE_MIN of the full one) so that it fits: the handout is
        pages shorter, and no text is made smaller."""
        full = self.look.figure
        room = self.frame_height - 2
        heights = [full] * len(cards)
        page: list[int] = []  # the cards on the page being filled
        used = self.height_of(intro)  # its content, at the heights chosen so far
        for i, parts in enumerate(cards):
            h = self.height_of(parts)
            over = used + h - room
            if over <= 0:
                page.append(i)
                used += h
                continue
            group = [*page, i]
            smaller = full - (sum(full - heights[j] for j in page) + over) / len(group)
            smaller = int(smaller * 2) / 2  # whole half points, rounded down: a little to spare
            if page and smaller >= full * CARD_FIGURE_MIN:
                used += h - sum(heights[j] - smaller for j in page) - (full - smaller)
                for j in group:
                    heights[j] = smaller
                page.append(i)
            else:  # a new page
                page, used = ([i], h) if h <= room else ([], room)
        return heights

    def card(self, ex: Exercise, forms: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())) -> list[Flowable]:
        """One exercise's parts, to be kept together on one page when they fit (the drawing at FIGURE_AT);
        `forms`: the names of the easier and harder forms to suggest (the plan's `card_steps`)."""
        s, look = self.s, self.look
        title_bits = [ex.category.capitalize(), "each side" if ex.per_side else "both legs together"]
        how_much = ("how much: the running row of each week page" if ex.run_role in ("walk-jog", "continuous", "strides")
                    or ex.id == self.plan_walk else "how much: see your week pages")
        head = [self.p(ex.name, s.h3), self.p(" | ".join(title_bits) + f"  |  {how_much}", s.small)]
        qr: list[Flowable] = []
        if ex.video_url:
            from reportlab.graphics.barcode.qr import QrCodeWidget  # costly import: only when a card has a video

            widget = QrCodeWidget(ex.video_url)
            b = widget.getBounds()
            size = look.body * 5
            qd = Drawing(size, size, transform=[size / (b[2] - b[0]), 0, 0, size / (b[3] - b[1]), 0, 0])
            qd.add(widget)
            qr = [qd, self.p("Video", s.small)]
        top = Cells([[head, qr]], [self.width - look.body * 6, look.body * 6], [Pad(left=0)])
        drawing = _figure(ex.figure, self.width, look.figure, font_name=BODY)
        left = [self.p("How to do it", s.card_bold)] + [
            self.p(step, s.card_bullet, bullet=f"{i}.") for i, step in enumerate(ex.steps, 1)]
        right = ([self.p("Tips", s.card_bold)] + self.bullets(ex.cues, s.card_bullet)
                 + [self.p("Avoid", s.card_bold)] + self.bullets(ex.mistakes, s.card_bullet))
        cols = Cells([[left, right]], [self.width * 0.56, self.width * 0.44], [Pad(left=0, top=0, bottom=0)])
        facts = []
        easier, harder = forms
        if easier:
            facts.append("Too hard? " + ", ".join(easier) + ".")
        if harder:
            facts.append("Too easy? " + ", ".join(harder) + ".")
        kit = [e.replace("-", " ") for e in ex.equipment if e != "none"]
        facts.append(f"You need: {', '.join(kit) if kit else 'nothing'}.")
        facts.append(f"Safe range: {_range_text(ex.dosage.limits)}.")
        # Two columns cannot break across pages: an exercise with long text gets them one after the other.
        steps: list[Flowable] = [cols] if cols.wrap(self.width, 1e6)[1] < CARD_COLUMNS_MAX * look.body else left + right
        body: list[Flowable] = [Spacer(1, look.body * 0.4), Bookmark(f"ex-{ex.id}", ex.name, 1), top, drawing, *steps]  # FIGURE_AT: 3
        body.append(self.p("   ".join(facts), s.small))
        if ex.caution:
            body.append(self.p(f"Take care: {ex.caution}", s.card_bold))
        body.append(_Rule(self.width))
        return body
