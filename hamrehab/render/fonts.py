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

import importlib
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from xml.sax.saxutils import escape

from ..exceptions import HamrehabError

BODY = "Atkinson"
BODY_BOLD = "Atkinson-Bold"
FALLBACK = "NotoSans"
MISSING = "?"
EMOJI = "[emoji]"
BIND_MAX = 40  # a right-to-left run up to this many characters is kept on one line


class FontMissing(HamrehabError):
    """A font package is not installed, or no longer has the file hamrehab expects."""


@dataclass
class Warnings:
    """Collects what a render could not do perfectly (characters no font has)."""

    messages: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)


@dataclass(frozen=True)
class _Face:
    """One fallback font: where it is, and which code points it is meant for (None: any)."""

    name: str
    distribution: str
    module: str
    file: str
    ranges: tuple[tuple[int, int], ...] | None = None
    subfont: int = 0

    def serves(self, code: int) -> bool:
        return self.ranges is None or any(lo <= code <= hi for lo, hi in self.ranges)


_ARABIC = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_HEBREW = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))
_THAI = ((0x0E00, 0x0E7F),)
_CJK = ((0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x2FF0, 0x33FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F),
        (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))

# Script fonts first (each only for its own blocks), then Noto Sans for everything else.
_FACES = (
    _Face("NotoSansArabic", "fontpkg-noto-sans-arabic", "fontpkg_noto_sans_arabic", "files/NotoSansArabic[wdth,wght].ttf", _ARABIC),
    _Face("Heebo", "fontpkg-heebo", "fontpkg_heebo", "files/Heebo[wght].ttf", _HEBREW),
    _Face("NotoSansThai", "fontpkg-noto-sans-thai", "fontpkg_noto_sans_thai", "files/NotoSansThai[wdth,wght].ttf", _THAI),
    _Face("WenQuanYiMicroHei", "paperang-p2-fonts-cjk", "paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc", _CJK),
    _Face(FALLBACK, "fontpkg-noto-sans", "fontpkg_noto_sans", "files/NotoSans[wdth,wght].ttf"),
)
_BY_NAME = {f.name: f for f in _FACES}
_LOCK = threading.RLock()


def _font_file(distribution: str, module: str, file: str) -> str:
    """The path of a font file inside an installed package, or a clear error if it isn't there."""
    try:
        package = importlib.import_module(module)
    except ImportError:
        raise FontMissing(f"the font package {distribution} is not installed; install hamrehab's dependencies again "
                          f"(python3 -m pip install -e .)") from None
    path = Path(package.__file__).resolve().parent / file
    if not path.is_file():
        try:
            version = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            version = "(unknown version)"
        raise FontMissing(f"the font package {distribution} {version} has no file {file} (looked in {path.parent}): "
                          f"its layout has changed; install the version hamrehab's setup.cfg asks for")
    return str(path)


@lru_cache(maxsize=1)
def register() -> frozenset[int]:
    """Register the body family with ReportLab (once) and return its character set."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    faces = {
        BODY: "AtkinsonHyperlegible-Regular.ttf",
        BODY_BOLD: "AtkinsonHyperlegible-Bold.ttf",
        "Atkinson-Italic": "AtkinsonHyperlegible-Italic.ttf",
        "Atkinson-BoldItalic": "AtkinsonHyperlegible-BoldItalic.ttf",
    }
    with _LOCK:
        fonts = {name: TTFont(name, _font_file("fontpkg-atkinson-hyperlegible", "fontpkg_atkinson_hyperlegible", f"files/{fname}"))
                 for name, fname in faces.items()}
        for font in fonts.values():
            pdfmetrics.registerFont(font)
        for bold, italic, name in ((0, 0, BODY), (1, 0, BODY_BOLD), (0, 1, "Atkinson-Italic"), (1, 1, "Atkinson-BoldItalic")):
            addMapping(BODY, bold, italic, name)
    return frozenset(fonts[BODY].face.charToGlyph)


@cache
def _charset(name: str) -> frozenset[int]:
    """Register one fallback font (once, on first need) and return its character set.

    A fallback has one weight: bold and italic text in it maps to the same face.
    """
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    face = _BY_NAME[name]
    with _LOCK:
        # shapable=False: the same output whether or not uharfbuzz happens to be installed
        font = TTFont(name, _font_file(face.distribution, face.module, face.file), subfontIndex=face.subfont, shapable=False)
        pdfmetrics.registerFont(font)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
    return frozenset(font.face.charToGlyph)


def register_fallback() -> frozenset[int]:
    """Register Noto Sans (once) and return its character set."""
    return _charset(FALLBACK)


def _font_for(code: int) -> str | None:
    """The first fallback font meant for this code point that has it; None if none has."""
    for face in _FACES:
        if face.serves(code) and code in _charset(face.name):
            return face.name
    return None


# ------------------------------------------------------------------ emoji

_EMOJI_BLOCKS = ((0x1F000, 0x1FAFF), (0x2600, 0x27BF), (0x2300, 0x23FF), (0x2B00, 0x2BFF), (0x2194, 0x2199))
_EMOJI_SINGLES = frozenset((0x00A9, 0x00AE, 0x203C, 0x2049, 0x2122, 0x2139, 0x21A9, 0x21AA, 0x24C2, 0x25AA, 0x25AB, 0x25B6,
                            0x25C0, 0x25FB, 0x25FC, 0x25FD, 0x25FE, 0x2934, 0x2935, 0x3030, 0x303D, 0x3297, 0x3299))
_ZWJ, _ZWNJ, _KEYCAP = 0x200D, 0x200C, 0x20E3
_HOLE = "\ufffc"  # stands for an emoji until the line is in visual order: neutral for bidi, as the emoji was


def _pictographic(code: int) -> bool:
    return code in _EMOJI_SINGLES or any(lo <= code <= hi for lo, hi in _EMOJI_BLOCKS)


def _modifier(code: int) -> bool:
    """Marks that only change how an emoji looks: variation selectors, skin tones, keycap, tags."""
    return 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF or code == _KEYCAP or 0xE0020 <= code <= 0xE007F


def _regional(code: int) -> bool:
    return 0x1F1E6 <= code <= 0x1F1FF


def _emoji_cluster(text: str, i: int) -> int:
    """If an emoji sequence starts at text[i], the index just past it; else i.

    A sequence: a pictograph (or a digit, # or * before a keycap) with its modifiers, joined by
    ZWJ to more of the same (a family, a runner with a skin tone), or a pair of regional indicators
    (a flag).
    """
    n = len(text)
    code = ord(text[i])
    if _regional(code):
        return i + 2 if i + 1 < n and _regional(ord(text[i + 1])) else i + 1
    keycap = text[i] in "0123456789#*" and any(ord(c) == _KEYCAP for c in text[i + 1:i + 3])
    if not (_pictographic(code) or (_modifier(code) and not 0xFE00 <= code <= 0xFE0F) or keycap):
        return i
    j = i + 1
    while j < n:
        c = ord(text[j])
        if _modifier(c):
            j += 1
        elif c == _ZWJ and j + 1 < n and _pictographic(ord(text[j + 1])):
            j += 2
        else:
            break
    return j


# ------------------------------------------------------------------ layout

def _clean(text: str) -> str:
    """Tabs, line breaks and line/paragraph separators become spaces; other control and format
    characters go (bidi overrides included: direction is worked out here, not taken from the text),
    but ZWJ and ZWNJ stay until shaping has used them."""
    out = []
    for ch in text:
        if ch in "\t\r\n\u2028\u2029":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\u200c\u200d":
            continue
        else:
            out.append(ch)
    return "".join(out)


def _missing(ch: str) -> str:
    return f"the character '{ch}' (U+{ord(ch):04X}) in the {{where}} is in none of the handout's fonts; it prints as '{MISSING}'"


def _emoji_message(seq: str) -> str:
    codes = " ".join(f"U+{ord(c):04X}" for c in seq)
    return f"the emoji '{seq}' ({codes}) in the {{where}} can't be printed (the handout's fonts have no emoji); it prints as '{EMOJI}'"


def _printable(text: str, problems: list[str]) -> str:
    """Emoji sequences and characters no font has replaced by placeholders (each one noted).

    An emoji becomes _HOLE here and EMOJI once the line is in visual order, so that the letters
    of the placeholder don't split a right-to-left run the emoji sat in.
    """
    body = register()
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        j = _emoji_cluster(text, i)
        if j > i:
            seq = text[i:j]
            bases = [c for c in seq if not _modifier(ord(c)) and ord(c) != _ZWJ]
            if bases and "\u20e3" not in seq and all(ord(c) in body or _font_for(ord(c)) for c in bases):
                out.extend(bases)  # a symbol a font has (a text-style heart, say): printed, its modifiers dropped
            else:
                out.append(_HOLE)
                problems.append(_emoji_message(seq))
            i = j
            continue
        ch = text[i]
        code = ord(ch)
        if ch != _HOLE and (ch == " " or code in body or code in (_ZWJ, _ZWNJ) or _font_for(code)):
            out.append(ch)
        elif 0xFE00 <= code <= 0xFE0F:
            pass  # a stray variation selector: invisible anyway
        else:
            out.append(MISSING)
            problems.append(_missing(ch))
        i += 1
    return "".join(out)


def _rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("R", "AL")


def _bind(text: str) -> str:
    """Spaces inside each short right-to-left run become no-break spaces, so a line break can't
    fall inside it (bidi reordering is done before ReportLab breaks lines)."""
    chars = list(text)
    start = last = None

    def flush() -> None:
        if start is not None and last - start < BIND_MAX:
            for k in range(start, last):
                if chars[k] == " ":
                    chars[k] = "\xa0"

    for i, ch in enumerate(text):
        if _rtl(ch):
            start = i if start is None else start
            last = i
        elif unicodedata.bidirectional(ch) == "L":
            flush()
            start = last = None
    flush()
    return "".join(chars)


@lru_cache(maxsize=1)
def _reshaper():
    import arabic_reshaper

    config = dict(arabic_reshaper.reshaper_config.default_config)  # every key, so no outside config file can change it
    config.update(delete_harakat=True, support_ligatures=True, support_zwj=True)
    return arabic_reshaper.ArabicReshaper(configuration=config)


def _visual(text: str) -> str:
    """Right-to-left text shaped and put in visual (left-to-right drawing) order; other text as is."""
    if any(0x0600 <= ord(c) <= 0x08FF for c in text):
        text = _reshaper().reshape(text)
    text = text.replace("\u200c", "").replace("\u200d", "")  # joiners have done their work
    if not any(_rtl(c) for c in text):
        return text
    return _reorder(_bind(text))


def _levels(text: str) -> list[int]:
    """The resolved bidi level of each character (left-to-right paragraph), from python-bidi.

    python-bidi (the Rust unicode-bidi crate) reorders but leaves out rule L4 (mirrored brackets);
    its debug view carries the levels (one per UTF-8 byte) that L4 needs.
    """
    from bidi import get_display

    info = get_display(text, base_dir="L", debug=True)
    found = re.search(r"\blevels: \[(.*?)\]", info, re.DOTALL)
    per_byte = [int(x) for x in re.findall(r"Level\(\s*(\d+)", found.group(1))] if found else []
    if len(per_byte) != len(text.encode("utf-8")):
        raise ValueError("python-bidi's debug view has changed")
    levels, offset = [], 0
    for ch in text:
        levels.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    return levels


def _reorder(text: str) -> str:
    """Unicode bidi rules L1, L2 and L4 for one line: levels, brackets mirrored at odd levels, runs reversed.

    No L3: a combining mark stays before its base in visual order, where the fonts here want it
    (Heebo's points have no advance and are drawn from the base's origin).
    """
    from bidi import get_display
    from bidi.mirror import MIRRORED

    plain = get_display(text, base_dir="L")
    try:
        levels = _levels(text)
    except (ValueError, AttributeError, IndexError):
        return plain  # the order is still right; only brackets in right-to-left runs stay unmirrored
    end = len(text)
    while end and unicodedata.bidirectional(text[end - 1]) in ("WS", "BN"):  # L1: trailing spaces at base level
        end -= 1
    levels[end:] = [0] * (len(text) - end)
    chars, mirrored = list(text), [MIRRORED.get(c, c) if lv % 2 else c for c, lv in zip(text, levels)]
    odd = [lv for lv in levels if lv % 2]
    for level in range(max(levels), min(odd) - 1, -1) if odd else ():
        i = 0
        while i < len(chars):
            if levels[i] < level:
                i += 1
                continue
            j = i
            while j < len(chars) and levels[j] >= level:
                j += 1
            for seq in (chars, mirrored, levels):
                seq[i:j] = seq[i:j][::-1]
            i = j
    if "".join(chars) != plain:  # our reversal must agree with python-bidi's
        return plain
    return "".join(mirrored)


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
            family = _font_for(code)
            if family is None:  # a shaped form no font has (rare): still never silent
                problems.append(_missing(ch))
                family, ch = BODY, MISSING
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
