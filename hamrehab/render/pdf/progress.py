"""The progress page: the planned load week by week as a chart, and an empty grid to plot pain on."""
from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.platypus import PageBreak, Spacer

from ...plan import Plan, Week
from ..fonts import BODY
from .style import INK, MUTED, RULE, SHADE, Look
from .writer import WriterBase


def weekly_sets(week: Week) -> int:
    """Planned exercise volume of a week: sets x times a day x days."""
    return sum(p.sets * p.times_per_day * len(p.days) for p in week.prescriptions)


def _volume_chart(plan: Plan, width: float, height: float, look: Look) -> Drawing:
    """Bars of weekly sets (hold weeks shaded), with the running minutes as a line on a second scale."""
    d = Drawing(width, height)
    left, bottom, right, top = look.body * 3.2, look.body * 2.4, look.body * 3.2, look.body * 1.0
    cw, ch = width - left - right, height - bottom - top
    n = len(plan.weeks)
    sets = [weekly_sets(w) for w in plan.weeks]
    mins = [w.jog_minutes or w.running_minutes for w in plan.weeks]
    smax = max(sets + [1])
    mmax = max(mins + [1])
    d.add(Rect(left, bottom, cw, ch, fillColor=None, strokeColor=RULE, strokeWidth=0.6))
    for i in range(1, 5):
        y = bottom + ch * i / 5
        d.add(Line(left, y, left + cw, y, strokeColor=SHADE, strokeWidth=0.4))
        d.add(String(left - 4, y - 3, f"{round(smax * i / 5)}", fontName=BODY, fontSize=look.small * 0.85, fillColor=MUTED, textAnchor="end"))
        if any(mins):
            d.add(String(left + cw + 4, y - 3, f"{round(mmax * i / 5)}", fontName=BODY, fontSize=look.small * 0.85, fillColor=MUTED))
    unit = cw / n
    for i, (sv, w) in enumerate(zip(sets, plan.weeks, strict=True)):
        bh = ch * sv / smax
        d.add(Rect(left + i * unit + unit * 0.18, bottom, unit * 0.64, bh, fillColor=SHADE if w.hold else colors.Color(0.55, 0.65, 0.78),
                   strokeColor=INK, strokeWidth=0.3))
        if n <= 26 or i % 2 == 0:
            d.add(String(left + (i + 0.5) * unit, bottom - look.small * 1.1, str(w.number), fontName=BODY, fontSize=look.small * 0.85,
                         fillColor=INK, textAnchor="middle"))
    if any(mins):
        pts: list[float] = []
        for i, m in enumerate(mins):
            pts += [left + (i + 0.5) * unit, bottom + ch * m / mmax]
        d.add(PolyLine(pts, strokeColor=INK, strokeWidth=1.4))
        for i in range(n):
            d.add(Circle(pts[2 * i], pts[2 * i + 1], 2.2, fillColor=colors.white, strokeColor=INK, strokeWidth=1))
        d.add(String(left + cw + right - 2, bottom + ch + 2, "run min", fontName=BODY, fontSize=look.small * 0.85, fillColor=INK, textAnchor="end"))
    d.add(String(0, bottom + ch + 2, "sets", fontName=BODY, fontSize=look.small * 0.85, fillColor=INK))
    d.add(String(left + cw / 2, 0, "Week", fontName=BODY, fontSize=look.small * 0.9, fillColor=INK, textAnchor="middle"))
    return d


def _pain_grid(n: int, width: float, height: float, look: Look) -> Drawing:
    """An empty 0-10 by week grid for the runner to plot their pain on."""
    d = Drawing(width, height)
    left, bottom = look.body * 3.2, look.body * 2.4
    cw, ch = width - left - look.body, height - bottom - look.body
    unit = cw / n
    for v in range(11):
        y = bottom + ch * v / 10
        d.add(Line(left, y, left + cw, y, strokeColor=RULE if v % 5 else INK, strokeWidth=0.7 if v % 5 == 0 else 0.35))
        d.add(String(left - 5, y - 3, str(v), fontName=BODY, fontSize=look.small * 0.85, fillColor=INK, textAnchor="end"))
    for i in range(n + 1):
        d.add(Line(left + i * unit, bottom, left + i * unit, bottom + ch, strokeColor=RULE, strokeWidth=0.35))
    for i in range(n):
        if n <= 26 or i % 2 == 0:
            d.add(String(left + (i + 0.5) * unit, bottom - look.small * 1.1, str(i + 1), fontName=BODY, fontSize=look.small * 0.85,
                         fillColor=INK, textAnchor="middle"))
    d.add(String(left + cw / 2, 0, "Week", fontName=BODY, fontSize=look.small * 0.9, fillColor=INK, textAnchor="middle"))
    d.add(String(0, bottom + ch + 3, "pain", fontName=BODY, fontSize=look.small * 0.85, fillColor=INK))
    return d


class ProgressSection(WriterBase):
    """One page after the weeks: how the load builds up, and where the runner tracks their pain."""

    def progress(self) -> None:
        plan, look, words = self.plan, self.look, self.words.pages
        self.flow.append(PageBreak())
        self.flow += self.heading(words.progress_heading, "progress")
        self.flow.append(self.p(words.progress_chart))
        self.flow.append(_volume_chart(plan, self.width, look.body * 17, look))
        self.flow.append(Spacer(1, look.body))
        self.flow.append(self.p(words.pain_heading, self.s.h2))
        self.flow.append(self.p(words.pain_grid))
        self.flow.append(_pain_grid(len(plan.weeks), self.width, look.body * 15, look))
