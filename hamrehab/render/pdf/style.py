"""How the handout looks: page sizes, colours, type sizes for normal and large print, paragraph styles.

Kept apart from the sections so a colour or a type size is changed in one place. Colours are
chosen to print legibly in greyscale; meaning never rests on a colour alone.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from ..fonts import BODY, BODY_BOLD

PAGE_SIZES: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}
MARGIN = 18 * mm
INK = colors.Color(0.1, 0.1, 0.12)
MUTED = colors.Color(0.35, 0.35, 0.4)
RULE = colors.Color(0.6, 0.6, 0.64)
ACCENT = colors.Color(0.0, 0.30, 0.52)  # dark blue: prints as dark grey, white text stays legible
PALE = colors.Color(0.92, 0.94, 0.97)
SHADE = colors.Color(0.86, 0.86, 0.88)
GREEN = colors.Color(0.18, 0.49, 0.2)
AMBER = colors.Color(0.98, 0.66, 0.15)
RED = colors.Color(0.78, 0.16, 0.16)


@dataclass(frozen=True)
class Look:
    """Type sizes for normal or large print."""

    body: float
    small: float
    card: float  # exercise-card text: a little smaller in normal print so two cards fit a page
    figure: float  # height of the drawings on a card

    @property
    def leading(self) -> float:
        return self.body * 1.35


NORMAL = Look(body=11, small=9, card=10, figure=92)
LARGE = Look(body=14, small=12.5, card=14, figure=135)
# The short handouts (compact, summary): smaller type and drawings so a phase fits one page.
COMPACT = Look(body=9.5, small=8, card=8.5, figure=46)
COMPACT_LARGE = Look(body=13, small=12, card=12, figure=70)


class _Styles:
    """Every paragraph style of one handout, derived from its Look so large print scales them all."""

    def __init__(self, look: Look):
        b = look.body
        self.look = look
        self.body = ParagraphStyle("body", fontName=BODY, fontSize=b, leading=look.leading, textColor=INK, spaceAfter=b * 0.35)
        self.small = ParagraphStyle("small", parent=self.body, fontSize=look.small, leading=look.small * 1.3, spaceAfter=1, textColor=MUTED)
        self.bold = ParagraphStyle("bold", parent=self.body, fontName=BODY_BOLD)
        # Headings keep with what follows them: no heading alone at the foot of a page.
        self.h1 = ParagraphStyle("h1", parent=self.body, fontName=BODY_BOLD, fontSize=b * 2.0, leading=b * 2.4, spaceAfter=b * 0.6,
                                 textColor=ACCENT, keepWithNext=1)
        self.h2 = ParagraphStyle("h2", parent=self.body, fontName=BODY_BOLD, fontSize=b * 1.4, leading=b * 1.75, spaceBefore=b * 0.8,
                                 spaceAfter=b * 0.35, textColor=ACCENT, keepWithNext=1)
        self.h3 = ParagraphStyle("h3", parent=self.body, fontName=BODY_BOLD, fontSize=b * 1.15, leading=b * 1.45, spaceAfter=2, keepWithNext=1)
        self.banner = ParagraphStyle("banner", parent=self.h3, textColor=colors.white, spaceAfter=0, keepWithNext=0)
        self.banner_small = ParagraphStyle("banner_small", parent=self.body, textColor=colors.white, spaceAfter=0)
        self.cell = ParagraphStyle("cell", parent=self.body, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=BODY_BOLD)
        self.centre = ParagraphStyle("centre", parent=self.cell, alignment=TA_CENTER)
        self.bullet = ParagraphStyle("bullet", parent=self.body, leftIndent=b * 1.2, bulletIndent=b * 0.2, spaceAfter=b * 0.2)
        c = look.card
        self.card = ParagraphStyle("card", parent=self.body, fontSize=c, leading=c * 1.25, spaceAfter=0)
        self.card_bold = ParagraphStyle("card_bold", parent=self.card, fontName=BODY_BOLD, spaceBefore=c * 0.2)
        self.card_bullet = ParagraphStyle("card_bullet", parent=self.card, leftIndent=c * 1.2, bulletIndent=c * 0.1, spaceAfter=c * 0.12)
        self.day = ParagraphStyle("day", parent=self.cell, fontSize=look.small, leading=look.small * 1.15, alignment=TA_CENTER)
