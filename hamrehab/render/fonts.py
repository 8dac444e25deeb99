"""Fonts for the handout: Atkinson Hyperlegible for the text, Noto Sans for what it lacks.

Atkinson Hyperlegible was designed for readers with low vision; it covers Latin and Greek.
Each character it lacks (Cyrillic, for instance) falls back to Noto Sans, run by run, so a
name like "Олена" prints instead of black boxes. A character neither font has is replaced
by "?" and reported as a warning, never silently.

Fonts are registered once, on first use, not at import.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from xml.sax.saxutils import escape

import fontpkg_atkinson_hyperlegible as atkinson
import fontpkg_noto_sans as noto
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

BODY = "Atkinson"
BODY_BOLD = "Atkinson-Bold"
FALLBACK = "NotoSans"
MISSING = "?"


@dataclass
class Warnings:
    """Collects what a render could not do perfectly (characters no font has)."""

    messages: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)


@lru_cache(maxsize=1)
def register() -> frozenset[int]:
    """Register the body family with ReportLab (once) and return its character set."""
    files = atkinson.ROOT / "files"
    faces = {
        BODY: "AtkinsonHyperlegible-Regular.ttf",
        BODY_BOLD: "AtkinsonHyperlegible-Bold.ttf",
        "Atkinson-Italic": "AtkinsonHyperlegible-Italic.ttf",
        "Atkinson-BoldItalic": "AtkinsonHyperlegible-BoldItalic.ttf",
    }
    fonts = {name: TTFont(name, str(files / fname)) for name, fname in faces.items()}
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    for bold, italic, name in ((0, 0, BODY), (1, 0, BODY_BOLD), (0, 1, "Atkinson-Italic"), (1, 1, "Atkinson-BoldItalic")):
        addMapping(BODY, bold, italic, name)
    return frozenset(fonts[BODY].face.charToGlyph)


@lru_cache(maxsize=1)
def register_fallback() -> frozenset[int]:
    """Register Noto Sans (once), only when some text needs a character the body font lacks."""
    fallback = TTFont(FALLBACK, str(noto.ROOT / "files" / "NotoSans[wdth,wght].ttf"))
    pdfmetrics.registerFont(fallback)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(FALLBACK, bold, italic, FALLBACK)
    return frozenset(fallback.face.charToGlyph)


def _clean(text: str) -> str:
    """Tabs and line breaks become spaces; other control characters go."""
    out = []
    for ch in text:
        if ch in "\t\r\n":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200d":
            continue
        else:
            out.append(ch)
    return "".join(out)


def runs(text: str, warnings: Warnings | None = None, where: str = "text") -> list[tuple[str, str]]:
    """Split text into (font family, substring) runs: body font where it can, fallback where not."""
    body = register()
    result: list[tuple[str, str]] = []
    for ch in _clean(text):
        code = ord(ch)
        if code in body or ch == " ":
            family = BODY
        elif code in register_fallback():
            family = FALLBACK
        else:
            if warnings is not None:
                warnings.add(f"the character '{ch}' (U+{code:04X}) in the {where} is in none of the handout's fonts; it prints as '{MISSING}'")
            family, ch = BODY, MISSING
        if result and result[-1][0] == family:
            result[-1] = (family, result[-1][1] + ch)
        else:
            result.append((family, ch))
    return result


def markup(text: str, warnings: Warnings | None = None, where: str = "text") -> str:
    """User or catalogue text made safe for a ReportLab Paragraph: escaped, with font fallback runs."""
    result, missing = _markup(text)
    if missing and warnings is not None:
        runs(text, warnings, where)  # rare: redo the slow way so each warning names the character
    return result


@lru_cache(maxsize=4096)
def _markup(text: str) -> tuple[str, bool]:
    """Cached: the same exercise names and cues recur on every week page and in every plan of a batch."""
    found = Warnings()
    parts = []
    for family, chunk in runs(text, found):
        safe = escape(chunk)
        parts.append(safe if family == BODY else f'<font face="{FALLBACK}">{safe}</font>')
    return "".join(parts), bool(found.messages)


@lru_cache(maxsize=4096)
def body_only(text: str) -> bool:
    """True when the body font alone can print the text (so a light, pre-wrapped flowable will do)."""
    body = register()
    return all(ord(ch) in body or ch == " " for ch in text)


def draw_string(canvas, x: float, y: float, text: str, size: float, bold: bool = False, align: str = "left",
                warnings: Warnings | None = None) -> None:
    """Draw one line on a canvas with the same fallback as Paragraphs (for headers and footers)."""
    pieces = [(BODY_BOLD if bold else BODY) if fam == BODY else FALLBACK for fam, _ in runs(text, warnings, "footer")]
    chunks = [c for _, c in runs(text, warnings, "footer")]
    width = sum(pdfmetrics.stringWidth(c, f, size) for f, c in zip(pieces, chunks))
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    for font, chunk in zip(pieces, chunks):
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += pdfmetrics.stringWidth(chunk, font, size)
