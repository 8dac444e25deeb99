"""The font files and their registration with ReportLab: the body family, then fallbacks by script.

Each font is registered once per process, on first need; `font_for` picks the first fallback meant for
a code point that has it.
"""
from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path

from ...exceptions import HamrehabError

BODY = "Atkinson"
BODY_BOLD = "Atkinson-Bold"
FALLBACK = "NotoSans"


class FontMissing(HamrehabError):
    """A font package is not installed, or no longer has the file hamrehab expects."""


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
    if package.__file__ is None:  # a namespace package of that name, with no files of its own
        raise FontMissing(f"the font package {distribution} is not installed ({module} has no files); install hamrehab's "
                          f"dependencies again (python3 -m pip install -e .)")
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
