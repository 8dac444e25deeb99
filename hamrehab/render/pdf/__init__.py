"""The printable handout: a Plan in, PDF bytes out (ReportLab, byte-identical for the same plan).

Sections: cover (who, what, when, the clinic, a timeline of the phases); about your
condition (what it is, what to expect, what to avoid, pain as a traffic light, when to seek
help); one card per exercise (drawings, steps, tips, mistakes, easier/harder, dose range);
one page per week (doses, a tick grid, running, a pain log, notes, the phase checkpoint);
a progress page; sources. A red flag turns it all into a referral handout instead.

All text from users or YAML goes through `fonts.markup` (escaped, with font fallback).
Meaning never rests on colour alone: every coloured mark also has a word.

Modules: style (colours, type sizes, paragraph styles), flowables and grid (what is drawn by
hand), writer (the shared helpers), one module per section (cover, about, cards, weeks,
progress, sources, referral), canvas (footer, header, metadata); this one puts them together.
"""
from __future__ import annotations

import io

from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from ...arguments import choice, flag, require
from ...clinic import Clinic
from ...plan import Plan
from ..fonts import Warnings, register
from .about import AboutSection
from .canvas import _canvas_maker
from .cards import CardsSection, _range_text, _span
from .clinician import ClinicianSection
from .compact import CompactSections
from .cover import CoverSection, _text_width
from .flowables import Bookmark, TickBox, _figure, _NoteLines, _Rule, _Text
from .grid import _Cell, _Grid
from .progress import ProgressSection, _pain_grid, _volume_chart, weekly_sets
from .referral import ReferralSection
from .sources import SourcesSection
from .style import ACCENT, AMBER, COMPACT, COMPACT_LARGE, GREEN, INK, LARGE, MARGIN, MUTED, NORMAL, PAGE_SIZES, PALE, RED, RULE, SHADE, Look, _Styles
from .weeks import CELL_NOTES_MAX, WeeksSection, _cell_notes, _run_side, _side_words
from .writer import CARD_COLUMNS_MAX, LIGHT_MAX, URGENCY_TITLES, _long_date, _short_date

# Every name hamrehab.render.pdf defined when it was one module, so existing imports keep working.
__all__ = [
    "ACCENT", "AMBER", "CARD_COLUMNS_MAX", "CELL_NOTES_MAX", "GREEN", "HANDOUTS", "INK", "LARGE", "LIGHT_MAX", "MARGIN", "MUTED",
    "NORMAL", "PAGE_SIZES", "PALE", "RED", "RULE", "SHADE", "URGENCY_TITLES",
    "Bookmark", "Look", "TickBox", "Warnings",
    "_Cell", "_Grid", "_NoteLines", "_Rule", "_Styles", "_Text", "_Writer", "_canvas_maker", "_cell_notes", "_figure", "_long_date",
    "_pain_grid", "_range_text", "_run_side", "_short_date", "_side_words", "_span", "_text_width", "_volume_chart",
    "render_pdf", "weekly_sets",
]


HANDOUTS = ("full", "compact", "summary")


class _Writer(CoverSection, AboutSection, CardsSection, WeeksSection, ProgressSection, SourcesSection, ReferralSection,
              ClinicianSection, CompactSections):
    """Builds the flowables of one plan; one instance per render. Each section is a mixin from its own module."""


def render_pdf(plan: Plan, *, page_size: str = "a4", large_print: bool = False, clinic: Clinic | None = None,
               warnings: Warnings | None = None, handout: str = "full") -> bytes:
    """The handout as PDF bytes. `warnings` collects characters no font could print.

    `handout`: full (every week on its own page, every card, progress, sources and a section for the
    clinician), compact (a cover with the pain rules and warning signs, cards several to a page, one
    page per phase) or summary (two pages: the plan at a glance and the first two weeks); in large print
    the short handouts' pages are never shrunk to fit, so a long one flows on to the next page."""
    require(plan, Plan, "render_pdf: plan", "a Plan from build_plan()")
    choice(page_size, PAGE_SIZES, "render_pdf: page_size")
    flag(large_print, "render_pdf: large_print")
    if clinic is not None:
        require(clinic, Clinic, "render_pdf: clinic", "a Clinic from load_clinic(), or None")
    if warnings is not None:
        require(warnings, Warnings, "render_pdf: warnings", "a Warnings collector, or None")
    choice(handout, HANDOUTS, "render_pdf: handout")
    register()
    warnings = warnings if warnings is not None else Warnings()
    short = handout != "full" and plan.referral is None
    look = (COMPACT_LARGE if large_print else COMPACT) if short else (LARGE if large_print else NORMAL)
    size = PAGE_SIZES[page_size]
    width = size[0] - 2 * MARGIN
    writer = _Writer(plan, look, clinic, warnings, width)
    writer.frame_height = size[1] - 2 * MARGIN
    if plan.referral is not None:
        writer.referral()
    elif handout == "compact":
        writer.compact_cover()
        writer.mini_cards()
        writer.phase_pages()
    elif handout == "summary":
        writer.summary_pages()
    else:
        writer.cover()
        writer.about()
        writer.cards()
        writer.weeks()
        writer.progress()
        writer.sources()
        writer.for_clinician()
    r = plan.request
    who = r.name or r.patient_id
    footer = "  |  ".join(x for x in (who, plan.diagnosis_name, f"plan starting {r.start.isoformat()}") if x)
    who = who or "you"
    meta = {
        "title": f"Rehab plan for {who}: {plan.diagnosis_name}" if plan.referral is None else f"Referral for {who}: {plan.diagnosis_name}",
        "author": (clinic.clinician or clinic.name) if clinic else "hamrehab",
        "subject": plan.plain_name,
        "keywords": f"hamstring, rehabilitation, {plan.diagnosis}",
    }
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
                          title=meta["title"], author=meta["author"], subject=meta["subject"], creator="hamrehab",
                          keywords=meta["keywords"], invariant=1, lang="en")
    frame = Frame(MARGIN, MARGIN, width, size[1] - 2 * MARGIN, id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(writer.flow, canvasmaker=_canvas_maker(footer, clinic.name if clinic else "", look, warnings, meta))
    return buf.getvalue()
