"""One page per week: the banner, the pain rule, the grid of exercises and runs to tick, a pain log, notes, the checkpoint."""
from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepInFrame, KeepTogether, PageBreak, Spacer, Table, TableStyle

from ...plan import WEEKDAYS, PlanPhase, Prescription, Week
from ...wording import pain_line, prescription_dose, running_groups, running_label, running_total, walks_only
from ..fonts import BODY_BOLD, body_only
from .flowables import Bookmark, TickBox, _NoteLines
from .grid import _Cell, _Grid
from .style import INK, MUTED, PALE, RULE, SHADE
from .writer import WriterBase, _short_date

WEEK_SHRINK_MAX = 1.2  # a week page up to 20% too long is shrunk onto one page rather than spilling
CELL_NOTES_MAX = 200  # characters of notes a grid cell holds; longer notes go under the grid


def _cell_notes(p: Prescription, below: str | None = None) -> tuple[str, ...]:
    """The notes a grid cell shows: all of them, or `below` (rules/handout.yaml `week_pages.note_below`) when too long."""
    if sum(len(n) for n in p.notes) <= CELL_NOTES_MAX:
        return p.notes
    if below is None:
        from ...catalogue import builtin_handout

        below = builtin_handout().week_pages.note_below
    return (below,)


def _run_row(week: Week) -> int:
    """Where the running row stands among the week's exercise rows: after its warm-up, before the rest."""
    return sum(1 for p in week.prescriptions if p.session == "warm-up")


def _run_side(week: Week) -> str:
    return "effort: see below" if week.running[0].kind != "walk" else "brisk, see below"


def _side_words(p: Prescription) -> str:
    text = p.sides
    if p.extra_set_side:
        text += f" (+1 set {p.extra_set_side})"
    return text


class WeeksSection(WriterBase):
    """The pages a runner fills in, one a week."""

    def weeks(self) -> None:
        plan = self.plan
        phases = {ph.id: (i, ph) for i, ph in enumerate(plan.phases, 1)}
        first = True
        for week in plan.weeks:
            self.flow.append(PageBreak())
            if first:
                self.flow.append(Bookmark("weeks", "Week by week", 0))
                first = False
            self.week_page(week, *phases[week.phase])

    def week_page(self, week: Week, phase_no: int, phase: PlanPhase) -> None:
        s, look, plan = self.s, self.look, self.plan
        page: list[Flowable] = []
        end = week.start + dt.timedelta(days=6)
        page.append(Bookmark(f"week-{week.number}", f"Week {week.number}: {phase.name}", 1))
        sub = f"Phase {phase_no} of {len(plan.phases)}: {phase.name}  |  {_short_date(week.start)} to {_short_date(end)}"
        if week.hold:
            sub += "  |  " + self.words.week_pages.hold
        page.append(self.banner(f"Week {week.number} of {len(plan.weeks)}", sub))
        page.append(Spacer(1, look.body * 0.4))
        pr = phase.pain_rules
        side = plan.request.side
        first = (" " + self.words.week_pages.uninjured_first.format(first="right" if side == "left" else "left", side=side)
                 if side in ("left", "right") else "")
        page.append(self.p(pain_line(pr.during_max, plan.pain, self.words.pain_line), s.cell_bold))
        page.append(self.p(f"Next morning: {pr.next_morning} Stop if: {pr.stop_if}{first}", s.small))
        page.append(self.grid(week))
        for p in week.prescriptions:
            if _cell_notes(p, self.words.week_pages.note_below) != p.notes:  # too long for a cell: under the grid, where it can break
                page.append(self.p(f"{p.name}: " + " ".join(p.notes), s.small))
        if week.running or (phase.running.notes and not phase.running.has_runs):  # under the grid, where long text can break
            effort = (week.running[0].effort,) if week.running else ()
            notes = () if walks_only((week,)) else phase.running.notes  # (about runs)
            page.append(self.p(f"{running_label((week,))}: " + " ".join(effort + notes), s.small))
        for note in week.notes:
            page.append(self.p(note, s.small))
        page.append(Spacer(1, look.body * 0.5))
        page.append(self.pain_log(week))
        page.append(Spacer(1, look.body * 0.4))
        # a checkpoint week keeps one line, to leave room for the boxes; lines that do not fit are left out
        page.append(_NoteLines(self.width, 1 if week.checkpoint else 2, look.body * 1.3, s.cell_bold))
        self.flow += self._fit_page(page, self.checkpoint(phase) if week.checkpoint else [])

    def _fit_page(self, page: list[Flowable], kept: list[Flowable]) -> list[Flowable]:
        """A week on one page where it fits: a page a little too long is shrunk to fit (at most by
        WEEK_SHRINK_MAX); a much longer one flows on, so its type never gets too small to read. In large
        print nothing is shrunk: a page too long flows on.

        `kept` (the checkpoint) is measured part by part, not as the KeepTogether it becomes."""
        height = self.height_of(page + kept)
        room = self.frame_height - 2
        if height <= room or height > room * WEEK_SHRINK_MAX or self.large_print:
            return page + ([KeepTogether(kept)] if kept else [])
        return [KeepInFrame(self.width, room, page + kept, mode="shrink")]

    def _day_header(self, week: Week) -> list[str]:
        """Plain strings (no Paragraph to parse): our own words and numbers only."""
        start = week.start.weekday()
        return [f"{WEEKDAYS[(start + i) % 7]}\n{(week.start + dt.timedelta(days=i)).day}" for i in range(7)]

    def _day_header_style(self) -> list[tuple[Any, ...]]:
        size = self.look.small
        return [("FONT", (-7, 0), (-1, 0), BODY_BOLD, size, size * 1.2), ("ALIGN", (-7, 0), (-1, 0), "CENTER")]

    def grid(self, week: Week) -> Flowable:
        """The week's exercises, doses, sides and a tick box for each session, day by day."""
        s, look = self.s, self.look
        day_w = look.body * 2.6
        rest = self.width - 7 * day_w
        widths = [rest * 0.42, rest * 0.36, rest * 0.22] + [day_w] * 7
        day_style = ParagraphStyle("grid_day", parent=s.day, fontName=BODY_BOLD)
        header = [_Cell(((h, s.cell_bold),)) for h in ("Exercise", "How much", "Side")]
        header += [_Cell(tuple((line, day_style) for line in label.split("\n")), centre=True) for label in self._day_header(week)]
        rows = [header]
        for p in week.prescriptions:
            texts = ((p.name, s.cell_bold),) + tuple((n, s.small) for n in _cell_notes(p, self.words.week_pages.note_below))
            row = [_Cell(texts), _Cell(((prescription_dose(p), s.cell),)), _Cell(((_side_words(p), s.cell),))]
            row += [_Cell(boxes=min(p.times_per_day, 3)) if d in p.days else _Cell(shade=True) for d in range(7)]
            rows.append(row)
        if week.running:
            minutes = {r.day: r.minutes if r.kind == "walk" else r.jog_minutes for r in week.running}
            what = tuple((f"{when}: {pattern}" if len(week.running) > 1 else pattern, s.cell)
                         for pattern, when in running_groups(week, week.start.weekday()))
            title = running_label((week,))
            # the runs across 'How much' and 'Side': a week of different runs reads in a few wide lines, not a tall column
            row = [_Cell(((title, s.cell_bold), (running_total(week), s.small))), _Cell(what + ((_run_side(week), s.small),), span=2)]
            row += [_Cell(boxes=1, label=f"{minutes[d]}'") if d in minutes else _Cell(shade=True) for d in range(7)]
            rows.insert(_run_row(week) + 1, row)  # (after the header row)
        else:
            rows.append([_Cell((("Running", s.cell_bold),)), _Cell(((self._phase_running(week), s.small),), span=9)])
        strings = [t for row in rows for cell in row for t, _ in cell.texts]
        if not all(body_only(t) for t in strings):
            return self._table_grid(week, widths)
        grid = _Grid(widths, rows, look.body * 0.95)
        grid.label_style = ParagraphStyle("grid_label", parent=s.small, textColor=INK)
        return grid

    def _table_grid(self, week: Week, widths: list[float]) -> Table:
        """The same grid as a Table of Paragraphs, for text that needs the fallback font."""
        s, look = self.s, self.look
        header = [self.p("Exercise", s.cell_bold), self.p("How much", s.cell_bold), self.p("Side", s.cell_bold)]
        data: list[list[Any]] = [header + self._day_header(week)]
        box = look.body * 0.95
        style = self._day_header_style() + [
            ("GRID", (0, 0), (-1, -1), 0.4, RULE), ("BACKGROUND", (0, 0), (-1, 0), PALE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (3, 0), (-1, -1), "CENTER"), ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (3, 0), (-1, -1), 1), ("RIGHTPADDING", (3, 0), (-1, -1), 1)]
        rows: list[tuple[list[Any], int]] = []  # (cells, the last column the second cell spans: 1 for none)
        for p in week.prescriptions:
            name_cell = [self.p(p.name, s.cell_bold)] + [self.p(n, s.small) for n in _cell_notes(p, self.words.week_pages.note_below)]
            cells: list[Any] = [TickBox(box, min(p.times_per_day, 3)) if d in p.days else "" for d in range(7)]
            rows.append(([name_cell, self.p(prescription_dose(p), s.cell), self.p(_side_words(p), s.cell)] + cells, 1))
        if week.running:
            run_cells: list[Any] = [""] * 7
            for r in week.running:
                run_cells[r.day] = [TickBox(box), self.p(f"{r.minutes if r.kind == 'walk' else r.jog_minutes}'", s.centre)]
            what = [self.p(f"{when}: {pattern}" if len(week.running) > 1 else pattern, s.cell)
                    for pattern, when in running_groups(week, week.start.weekday())]
            rows.insert(_run_row(week), ([[self.p(running_label((week,)), s.cell_bold), self.p(running_total(week), s.small)],
                                          what + [self.p(_run_side(week), s.small)], ""] + run_cells, 2))
        else:
            rows.append(([self.p("Running", s.cell_bold), self.p(self._phase_running(week), s.small), ""] + [""] * 7, 9))
        for row, (cells, last) in enumerate(rows, 1):  # the same order as the drawn grid: the run after its warm-up
            data.append(cells)
            if last > 1:
                style.append(("SPAN", (1, row), (last, row)))
            if last < 9:
                style += [("BACKGROUND", (3 + d, row), (3 + d, row), SHADE) for d in range(7) if cells[3 + d] == ""]
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle(style))
        return t

    def _phase_running(self, week: Week) -> str:
        """The running row of a week without runs: the phase's words when it has none; else the week's note says why."""
        ph = next(p for p in self.plan.phases if p.id == week.phase)
        return self.words.week_pages.no_runs if ph.running.has_runs else ph.running.effort

    def pain_log(self, week: Week) -> Flowable:
        """Two rows of empty day cells for the pain score during exercise and the next morning, on one page."""
        s, look = self.s, self.look
        day_w = look.body * 2.6
        day_style = ParagraphStyle("grid_day", parent=s.day, fontName=BODY_BOLD)
        header = [_Cell((("Pain log (0-10)", s.cell_bold),))]
        header += [_Cell(tuple((line, day_style) for line in label.split("\n")), centre=True) for label in self._day_header(week)]
        tall = ParagraphStyle("tall", parent=s.cell, leading=look.body * 1.6)
        rows = [header] + [[_Cell(((label, tall),))] + [_Cell() for _ in range(7)] for label in ("During exercise or running", "Next morning")]
        return _Grid([self.width - 7 * day_w] + [day_w] * 7, rows, look.body * 0.95, whole=True)

    def checkpoint(self, phase: PlanPhase) -> list[Flowable]:
        """The phase's exit criteria as boxes to tick, at the end of its last week (kept together on a page)."""
        s, look = self.s, self.look
        words = self.words.week_pages
        kinds = {"home-test": words.kind_home_test, "clinician": words.kind_clinician, "published": words.kind_published}
        check = ParagraphStyle("check", parent=s.cell, fontSize=look.small, leading=look.small * 1.25)
        rows = [[TickBox(look.small * 1.1), self.p(f"{c.text} ({kinds[c.kind]})", check)] for c in phase.exit_criteria]
        t = Table(rows, colWidths=[look.small * 2, self.width - look.small * 2])
        t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 2),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
        t.hAlign = "LEFT"  # on a page shrunk to fit, the boxes line up with the grid and banners, not centred
        return [
            Spacer(1, look.body * 0.3),
            self.banner(words.checkpoint_title.format(phase=phase.name), words.checkpoint_rule, MUTED),
            Spacer(1, look.body * 0.3), t]
