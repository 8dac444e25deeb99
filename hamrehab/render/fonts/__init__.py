"""Fonts for the handout: Atkinson Hyperlegible for the text, fallbacks character by character.

Atkinson Hyperlegible was designed for readers with low vision; it covers Latin and Greek.
Each character it lacks falls back, run by run, to the first font below that has it, so a name
in any of these scripts prints instead of black boxes or question marks:

    script                               font                    package (PyPI)
    Cyrillic, Latin/Greek extras, ...    Noto Sans               fontpkg-noto-sans
    Arabic (also Persian, Urdu)          Noto Sans Arabic        fontpkg-noto-sans-arabic
    Hebrew                               Heebo                   fontpkg-heebo
    Thai                                 Noto Sans Thai          fontpkg-noto-sans-thai
    Chinese, Japanese, Korean            WenQuanYi Micro Hei     paperang-p2-fonts-cjk

Every one is a TrueType font embedded as a subset (ReportLab can't embed the CFF outlines of
the OpenType CJK fonts; WenQuanYi Micro Hei is the TrueType one that covers Hanzi, Kana and
Hangul at a regular weight). A script font is only opened when a character of its script
appears, and each font is registered once per process.

Right-to-left text (Arabic, Hebrew) is laid out here, before ReportLab sees it, because
ReportLab draws runs left to right: Arabic letters are shaped into their joined forms
(arabic-reshaper, Unicode presentation forms), then the line is put into visual order by the
Unicode bidi algorithm (python-bidi) with a left-to-right base, as the handout is in English.
A right-to-left run of up to BIND_MAX characters is held on one line (its spaces become
no-break spaces) so that a line break can't split it into a wrong order.

Emoji: the handout has no emoji font (a colour-free one would still need OpenType shaping for
skin tones, families and flags), so each emoji, with its modifiers, prints as EMOJI and is
reported as a warning. Any other character no font has prints as MISSING, also with a warning:
never silently.

Fonts are registered on first use, not at import.
"""
from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape

from ..warnings import Warnings
from .faces import _BY_NAME, _FACES, BODY, BODY_BOLD, FALLBACK, FontMissing, _font_file, _font_for, register, register_fallback
from .script import _HOLE, BIND_MAX, EMOJI, MISSING, _clean, _missing, _printable, _visual

__all__ = [
    "BIND_MAX",
    "BODY",
    "BODY_BOLD",
    "EMOJI",
    "FALLBACK",
    "MISSING",
    "_BY_NAME",
    "_FACES",
    "FontMissing",
    "Warnings",
    "_font_file",
    "body_only",
    "draw_string",
    "markup",
    "register",
    "register_fallback",
    "runs",
]


@lru_cache(maxsize=4096)
def _layout(text: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(font name, substring) runs in drawing order, and the problems found (messages with a {where})."""
    problems: list[str] = []
    visual = _visual(_printable(_clean(text), problems)).replace(_HOLE, EMOJI)
    body = register()
    result: list[tuple[str, str]] = []
    for ch in visual:
        code = ord(ch)
        if code in body or ch in " \xa0":
            family = BODY
        else:
            found = _font_for(code)
            if found is None:  # a shaped form no font has (rare): still never silent
                problems.append(_missing(ch))
                family, ch = BODY, MISSING
            else:
                family = found
        if result and result[-1][0] == family:
            result[-1] = (family, result[-1][1] + ch)
        else:
            result.append((family, ch))
    return tuple(result), tuple(dict.fromkeys(problems))


def _report(problems: tuple[str, ...], warnings: Warnings | None, where: str) -> None:
    if warnings is not None:
        for message in problems:
            warnings.add(message.replace("{where}", where))  # not str.format: the message quotes user text


def runs(text: str, warnings: Warnings | None = None, where: str = "text") -> list[tuple[str, str]]:
    """Split text into (font name, substring) runs, in drawing order: body font where it can, a fallback where not."""
    result, problems = _layout(text)
    _report(problems, warnings, where)
    return list(result)


def markup(text: str, warnings: Warnings | None = None, where: str = "text") -> str:
    """User or catalogue text made safe for a ReportLab Paragraph: escaped, with font fallback runs."""
    result, problems = _markup(text)
    _report(problems, warnings, where)
    return result


@lru_cache(maxsize=4096)
def _markup(text: str) -> tuple[str, tuple[str, ...]]:
    """Cached: the same exercise names and cues recur on every week page and in every plan of a batch."""
    result, problems = _layout(text)
    parts = [escape(chunk) if family == BODY else f'<font face="{family}">{escape(chunk)}</font>' for family, chunk in result]
    return "".join(parts), problems


@lru_cache(maxsize=4096)
def body_only(text: str) -> bool:
    """True when the body font alone can print the text (so a light, pre-wrapped flowable will do)."""
    body = register()
    return all(ord(ch) in body or ch == " " for ch in text)


def draw_string(canvas, x: float, y: float, text: str, size: float, bold: bool = False, align: str = "left",
                warnings: Warnings | None = None) -> None:
    """Draw one line on a canvas with the same fallback and right-to-left layout as Paragraphs (headers, footers)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pieces = [((BODY_BOLD if bold else BODY) if family == BODY else family, chunk) for family, chunk in runs(text, warnings, "footer")]
    width = sum(stringWidth(chunk, font, size) for font, chunk in pieces)
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    for font, chunk in pieces:
        canvas.setFont(font, size)
        canvas.drawString(x, y, chunk)
        x += stringWidth(chunk, font, size)
