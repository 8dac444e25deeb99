"""The short handouts: `compact` (a cover, exercise cards several to a page, one page per phase)
and `summary` (two pages: the plan at a glance, then the first two weeks in detail).

Both read the same plan as the full handout; nothing is decided here. Pages that should stay one
page (a phase, each summary page) are wrapped in KeepInFrame, which shrinks an unusually long
page to fit rather than spilling onto another; in large print nothing is shrunk (a reader who asked
for large type keeps it): a long page flows on to the next.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepInFrame, KeepTogether, PageBreak, Spacer, Table, TableStyle

from ...model.placeholders import pain_values
from ...plan import WEEKDAYS, PlanPhase, Week
from ...safety import URGENCIES
from ...wording import days as day_names
from ...wording import lower_first, pain_line, prescription_dose, running_label, walks_only, week_span
from ..fonts import BODY
from .flowables import Bookmark, TickBox, _figure
from .style import MUTED, PALE, RULE, SHADE
from .writer import WriterBase, _long_date, _short_date

WEEKS_PER_TABLE = 6  # dose columns side by side on a phase page; longer phases get a second table
CARD_COLUMNS = 3


class CompactSections(WriterBase):
    """The pieces of the compact and summary handouts."""

    frame_height: float = 700.0  # set by render_pdf from the page size
    # From the sibling mixins of the composed writer (render_pdf's _Writer): CoverSection.timeline, WeeksSection.grid.
    timeline: Callable[[], Drawing]
    grid: Callable[[Week], Flowable]

    def _one_page(self, flowables: list[Flowable]) -> list[Flowable]:
        """One page, shrunk to fit if need be; in large print as it is, flowing on to the next page if it must."""
        if self.large_print:
            return flowables
        return [KeepInFrame(self.width, self.frame_height - 2, flowables, mode="shrink")]

    # ------------------------------------------------------------------ shared pieces
    def warning_signs(self) -> list[Flowable]:
        out: list[Flowable] = [self.p(self.words.compact.warning_signs_heading, self.s.h3)]
        for urgency in URGENCIES:
            signs = [plain for u, plain in self.plan.warning_signs if u == urgency]
            if signs:
                out.append(self.p(f"{self.words.urgency_titles.of(urgency)}: " + "; ".join(signs) + ".", self.s.small))
        return out

    def pain_rules(self) -> list[Flowable]:
        words = self.words.compact
        return [self.p(words.pain_rules_heading, self.s.h3),
                self.p(words.pain_rules.format(**pain_values(self.plan.pain)), self.s.small)]

    def patient_line(self) -> str:
        plan, r = self.plan, self.plan.request
        side = lower_first(self.words.sides.of(r.side))
        who = " ".join(x for x in (r.name, f"({r.patient_id})" if r.patient_id else "") if x) or "You"
        return (f"{who}: {plan.diagnosis_name}" + (f", grade {plan.grade}" if plan.grade else "") + f", {side}. "
                f"{len(plan.weeks)} week{'s' if len(plan.weeks) != 1 else ''}, {_long_date(plan.request.start)} to {_long_date(plan.end)}.")

    # ------------------------------------------------------------------ compact
    def compact_cover(self) -> None:
        plan, words = self.plan, self.words
        title = words.headings.cover
        body: list[Flowable] = [Bookmark("cover", title, 0), self.p(title, self.s.h1),
                                self.p(plan.plain_name, self.s.h3), self.p(self.patient_line())]
        for missing in plan.missing_core:
            body.append(self.banner(words.headings.missing, missing))
        if plan.changes:
            body.append(self.p(words.compact.changes.format(changes=" ".join(plan.changes)), self.s.small))
        if self.clinic is not None:
            body += self.clinic_block()
        if plan.request.notes:
            body.append(self.p(words.headings.clinician_notes, self.s.h3))
            body.append(self.p(plan.request.notes, self.s.small, where="notes"))
        body += [self.timeline(), Spacer(1, self.look.body * 0.3)]
        body += self.pain_rules() + self.warning_signs()
        body.append(self.p(words.how_to_use.compact_heading, self.s.h3))
        body += self.bullets(words.how_to_use.compact_steps, self.s.card_bullet)
        self.flow += body

    def mini_cards(self) -> None:
        """Every exercise, two to a row, straight after the cover: how to do it at a glance."""
        s, look = self.s, self.look
        self.flow.append(Spacer(1, look.body))
        # a heading that may stay at the foot of the cover: the table of cards follows on at once, row by row
        title = self.words.headings.exercises
        self.flow += [Bookmark("exercises", title, 0), self.p(title, ParagraphStyle("cards_h", parent=s.h2, keepWithNext=0))]
        col = self.width / CARD_COLUMNS
        cells: list[list[Flowable]] = []
        for ex in self.plan.exercises:
            card: list[Flowable] = [Bookmark(f"ex-{ex.id}", ex.name, 1), self.p(ex.name, s.cell_bold),
                                    _figure(ex.figure, col - 8, look.figure, font_name=BODY),
                                    self.p(ex.summary, s.small)]
            card += self.bullets(ex.cues[:2], s.card_bullet)
            cells.append(card)
        rows = [cells[i:i + CARD_COLUMNS] + [[]] * (CARD_COLUMNS - len(cells[i:i + CARD_COLUMNS])) for i in range(0, len(cells), CARD_COLUMNS)]
        t = Table(rows, colWidths=[col] * CARD_COLUMNS)
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                               ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        self.flow.append(t)

    def phase_pages(self) -> None:
        plan = self.plan
        for i, ph in enumerate(plan.phases, 1):
            weeks = [w for w in plan.weeks if w.phase == ph.id]
            self.flow.append(PageBreak())
            self.flow += self._one_page(self.phase_page(i, ph, weeks))

    def phase_page(self, i: int, ph: PlanPhase, weeks: list[Week]) -> list[Flowable]:
        s, plan = self.s, self.plan
        span = week_span(weeks[0].number, weeks[-1].number)
        out: list[Flowable] = [Bookmark(f"phase-{ph.id}", f"{i}. {ph.name}", 0),
                               self.banner(f"Phase {i} of {len(plan.phases)}: {ph.name}",
                                           f"{span}  |  {_short_date(weeks[0].start)} to {_short_date(weeks[-1].start + dt.timedelta(days=6))}"),
                               Spacer(1, 3), self.p(ph.goals[0], s.small),
                               self.p(pain_line(ph.pain_rules.during_max, plan.pain, self.words.pain_line), s.cell_bold),
                               self.p(f"Stop if: {ph.pain_rules.stop_if}", s.small)]
        for start in range(0, len(weeks), WEEKS_PER_TABLE):
            out += [Spacer(1, 4), self.dose_table(weeks[start:start + WEEKS_PER_TABLE])]
        notes = [f"Week {w.number}: {n}" for w in weeks for n in w.notes]
        if walks_only(weeks):
            notes.append("Walking: " + next(w.running[0].effort for w in weeks if w.running))
        elif ph.running.notes and any(w.running for w in weeks):
            notes.append("Running: " + " ".join((ph.running.effort,) + ph.running.notes))
        out += [self.p(n, s.small) for n in dict.fromkeys(notes)]
        out += [Spacer(1, 4), self.tick_grid(weeks), Spacer(1, 4)]
        boxes = Table([[TickBox(self.look.small * 1.1), self.p(c.text, s.small)] for c in ph.exit_criteria],
                      colWidths=[self.look.small * 2, self.width - self.look.small * 2],
                      style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 1),
                                        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        checkpoint = [self.p(self.words.compact.checkpoint, s.cell_bold), boxes]
        return out + ([KeepTogether(checkpoint)] if self.large_print else checkpoint)  # flowing on, the heading keeps its boxes

    def dose_table(self, weeks: list[Week]) -> Table:
        """Exercises down, weeks across: each week's dose, and the days to do it."""
        s = self.s
        ids = list(dict.fromkeys(p.exercise for w in weeks for p in w.prescriptions))
        names = {p.exercise: p for w in weeks for p in w.prescriptions}
        weekday = self.plan.request.start.weekday()
        name_w, days_w = self.width * 0.26, self.width * 0.16
        week_w = (self.width - name_w - days_w) / len(weeks)
        header = [self.p("Exercise", s.cell_bold), self.p("Days", s.cell_bold)]
        header += [self.p(f"Week {w.number}" + (" (hold)" if w.hold else ""), s.cell_bold) for w in weeks]
        rows: list[list[Flowable | str]] = [header]
        vary = self.words.compact.days_each_week

        def days_and_doses(days: list[tuple[int, ...] | None], doses: list[str], after: str = "") -> list[Flowable | list[Flowable]]:
            """The Days cell and a cell a week: one set of days for every week, or each week's days under its dose
            (a published table moves the Nordic curl from one day a week to three)."""
            given = {d for d in days if d is not None}
            if len(given) <= 1:
                names = day_names(next(iter(given)), weekday) if given else "-"
                return [self.p(names + after, s.small)] + [self.p(dose, s.small) for dose in doses]
            return ([self.p(vary + after, s.small)]
                    + [[self.p(dose, s.small), self.p(day_names(d, weekday), s.small)] if d else self.p(dose, s.small)
                       for d, dose in zip(days, doses, strict=True)])

        for ex_id in ids:
            p0 = names[ex_id]
            by_week = [next((p for p in w.prescriptions if p.exercise == ex_id), None) for w in weeks]
            shown = next(p for p in by_week if p is not None)
            rows.append([self.p(p0.name + ("  (your clinician's)" if p0.clinician else ""), s.small)]
                        + days_and_doses([p.days if p else None for p in by_week], [prescription_dose(p) if p else "-" for p in by_week],
                                         f", {shown.sides}"))
        if any(w.running for w in weeks):
            rows.append([self.p("Running", s.small)]
                        + days_and_doses([tuple(r.day for r in w.running) if w.running else None for w in weeks],
                                         [_run_words(w) for w in weeks]))
        t = Table(rows, colWidths=[name_w, days_w] + [week_w] * len(weeks), repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), PALE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("LEFTPADDING", (0, 0), (-1, -1), 3)]))
        return t

    def tick_grid(self, weeks: list[Week]) -> Table:
        """A box for each day with work to do, week by week, and a cell for the week's worst pain."""
        s, look = self.s, self.look
        start = self.plan.request.start.weekday()
        header = [self.p("Done?", s.cell_bold)] + [self.p(WEEKDAYS[(start + d) % 7], s.day) for d in range(7)]
        header.append(self.p("Worst pain", s.day))
        rows: list[list[Flowable | str]] = [header]
        style = [("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), PALE),
                 ("ALIGN", (1, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
        for r, w in enumerate(weeks, 1):
            row: list[Flowable | str] = [self.p(f"Week {w.number}", s.small)]
            for d in w.days:
                if d.ids:
                    run = d.run
                    row.append([TickBox(look.small)] + ([self.p(f"{run.jog_minutes or run.minutes}'", s.day)] if run else []))
                else:
                    row.append("")
                    style.append(("BACKGROUND", (d.offset + 1, r), (d.offset + 1, r), SHADE))
            row.append("")
            rows.append(row)
        day_w = (self.width * 0.7) / 8
        return Table(rows, colWidths=[self.width * 0.3] + [day_w] * 8, style=TableStyle(style), repeatRows=1)  # its days on every page

    # ------------------------------------------------------------------ summary
    def summary_pages(self) -> None:
        plan, s, words = self.plan, self.s, self.words
        title = words.compact.summary_heading
        glance: list[Flowable] = [Bookmark("cover", title, 0), self.p(title, self.s.h1),
                                  self.p(plan.plain_name, s.h3), self.p(self.patient_line())]
        for missing in plan.missing_core:
            glance.append(self.banner(words.headings.missing, missing))
        if plan.changes:
            glance.append(self.p(words.compact.changes.format(changes=" ".join(plan.changes)), s.small))
        if self.clinic is not None:
            glance.append(self.p(" | ".join(x for x in (self.clinic.name, self.clinic.clinician, self.clinic.phone) if x), s.small,
                                 where="clinic details"))
        glance += [self.timeline(), self.phase_table(), Spacer(1, 4)] + self.pain_rules() + self.warning_signs()
        self.flow += self._one_page(glance)
        self.flow.append(PageBreak())
        detail: list[Flowable] = [Bookmark("weeks", words.compact.first_weeks, 0), self.p(words.compact.first_weeks, s.h2)]
        phases = {ph.id: ph for ph in plan.phases}
        for w in plan.weeks[:2]:
            ph = phases[w.phase]
            detail += [self.p(f"Week {w.number}: {ph.name}, from {_short_date(w.start)}", s.h3),
                       self.p(pain_line(ph.pain_rules.during_max, plan.pain, words.pain_line), s.small), self.grid(w), Spacer(1, 6)]
        detail.append(self.p(words.compact.full_handout, s.small))
        self.flow += self._one_page(detail)

    def phase_table(self) -> Table:
        s, plan = self.s, self.plan
        rows: list[list[Flowable]] = [[self.p(h, s.cell_bold) for h in ("Phase", "Weeks", "What you do", "Move on when")]]
        for i, ph in enumerate(plan.phases, 1):
            weeks = [w for w in plan.weeks if w.phase == ph.id]
            names = list(dict.fromkeys(p.name for w in weeks for p in w.prescriptions))
            running = [_run_words(w) for w in weeks if w.running]
            building = f" building to {running[-1]}" if running and running[-1] != running[0] else ""
            run = f" {running_label(weeks)}: {running[0]}{building}." if running else ""
            span = f"{weeks[0].number}" if len(weeks) == 1 else f"{weeks[0].number}-{weeks[-1].number}"
            limit = " " + self.words.compact.phase_limit.format(during_max=ph.pain_rules.during_max)  # no phase page to say it
            rows.append([self.p(f"{i}. {ph.name}", s.small), self.p(span, s.small), self.p(", ".join(names) + "." + run + limit, s.small),
                         self.p(" ".join([c.text for c in ph.exit_criteria[:2]] + self._more(len(ph.exit_criteria) - 2)), s.small)])
        head = s.cell_bold
        weeks_w = max(self.width * 0.08, stringWidth("Weeks", head.fontName, head.fontSize) + 12)  # the heading fits, in any print
        t = Table(rows, colWidths=[self.width * 0.2, weeks_w, self.width * 0.52 - weeks_w, self.width * 0.28], repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), PALE),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("TEXTCOLOR", (0, 0), (-1, -1), MUTED)]))
        return t


    def _more(self, count: int) -> list[str]:
        """The summary's table shows two boxes of a checkpoint: it says how many more there are."""
        return [self.words.compact.more_checks.format(count=count)] if count > 0 else []


def _run_words(w: Week) -> str:
    """A week's running in a few words: '3 x 12 min' (plus walk breaks), or the walks."""
    if not w.running:
        return "-"
    r = w.running[0]
    if r.kind == "walk":
        return f"{len(w.running)} x {r.minutes} min walk"
    text = f"{len(w.running)} x {r.jog_minutes} min" + (" walk-jog" if r.kind == "walk-jog" else "")
    extras = sorted({e for x in w.running for e in x.extras})
    return text + (f" + {', '.join(extras)}" if extras else "")


__all__ = ["CompactSections"]
