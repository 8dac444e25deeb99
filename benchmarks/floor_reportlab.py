"""The floor: a minimal ReportLab script writing the same pages as hamrehab's handout.

Issue 14 asks that `hamrehab plan ... -o plan.pdf` be no slower, as a whole process, than "a minimal
ReportLab script writing the same pages". This is that script. It has two modes:

    python benchmarks/floor_reportlab.py --extract plan.pdf pages.json   # once, not timed (needs pypdf)
    python benchmarks/floor_reportlab.py pages.json floor.pdf            # the floor, timed

`--extract` reads a PDF that hamrehab wrote and records every text run of every page: its text (decoded
through the font's ToUnicode map), where it starts on the page, its font and size, its fill colour and
word spacing, plus each page's size and which TrueType files the fonts come from. pypdf is a bench-only
tool here (`python3 -m pip install pypdf` if it is missing); it is imported only in this mode.

The floor mode imports nothing but the standard library (json, sys, os, importlib.util) and ReportLab. It
registers the same TrueType fonts hamrehab uses (the files in the same font packages, located with
`importlib.util.find_spec`, which finds a package without running it; nothing from hamrehab is imported),
then draws the same strings at the same places, in the same fonts, sizes and colours, on the same number
of pages with `canvas.Canvas(..., invariant=1)` and ReportLab's default compression, and writes the file.
The fonts are embedded as subsets, as in the handout.

What it leaves out, so that it is a floor, leaner than the real thing:
- every vector drawing: the exercise figures, the timeline and charts, table rules and cell shading,
  boxes, tick boxes, lines and the logo;
- all layout work: no Platypus, no paragraph wrapping, no text measurement, no page-break decisions,
  no font fallback per character, no right-to-left shaping; the positions are given, read from the
  finished PDF;
- document structure: outline, links, page labels and most of the metadata;
- everything before drawing: reading and validating the catalogue, building the plan.
Each page is one text object (one BT ... ET) with a Tm per run, which is also leaner than the
paragraph-by-paragraph text objects of the handout.
"""
from __future__ import annotations

import json
import sys

# PostScript name of each face hamrehab embeds -> (font package module, file inside it). These are the
# files hamrehab/render/fonts.py registers (Atkinson Hyperlegible for the text, fallbacks by script).
FONT_FILES = {
    "AtkinsonHyperlegible-Regular": ("fontpkg_atkinson_hyperlegible", "files/AtkinsonHyperlegible-Regular.ttf"),
    "AtkinsonHyperlegible-Bold": ("fontpkg_atkinson_hyperlegible", "files/AtkinsonHyperlegible-Bold.ttf"),
    "AtkinsonHyperlegible-Italic": ("fontpkg_atkinson_hyperlegible", "files/AtkinsonHyperlegible-Italic.ttf"),
    "AtkinsonHyperlegible-BoldItalic": ("fontpkg_atkinson_hyperlegible", "files/AtkinsonHyperlegible-BoldItalic.ttf"),
}
# The fallback faces (fonts.py's _FACES); their PostScript names are read from the files when one appears.
FALLBACK_FILES = (
    ("fontpkg_noto_sans", "files/NotoSans[wdth,wght].ttf", 0),
    ("fontpkg_noto_sans_arabic", "files/NotoSansArabic[wdth,wght].ttf", 0),
    ("fontpkg_heebo", "files/Heebo[wght].ttf", 0),
    ("fontpkg_noto_sans_thai", "files/NotoSansThai[wdth,wght].ttf", 0),
    ("paperang_p2_fonts_cjk", "fonts/wqy-microhei.ttc", 0),
)
STANDARD = {"Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold",
            "Times-Italic", "Times-BoldItalic", "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
            "Symbol", "ZapfDingbats"}


def font_path(module: str, file: str) -> str:
    """The path of a font file inside an installed font package, without importing the package."""
    import importlib.util
    import os

    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"floor: the font package {module} is not installed")
    return os.path.join(next(iter(spec.submodule_search_locations)), file)


# ---------------------------------------------------------------------------------------------- the floor


def register_fonts(doc: dict) -> None:
    """Register the TrueType fonts the pages use (once per process, as hamrehab does)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, (module, file, subfont) in doc["fonts"].items():
        if name not in STANDARD:
            pdfmetrics.registerFont(TTFont(name, font_path(module, file), subfontIndex=subfont))


def draw(doc: dict, out: object) -> None:
    """Every page's text runs, one text object a page, written to `out` (a path or a binary file)."""
    from reportlab.pdfgen import canvas

    pages = doc["pages"]
    c = canvas.Canvas(out, pagesize=tuple(pages[0]["size"]) if pages else (595.2756, 841.8898), invariant=1)
    for page in pages:
        c.setPageSize(tuple(page["size"]))
        text = c.beginText()
        font = colour = None
        space = 0.0
        for x, y, name, size, rgb, word_space, string in page["runs"]:
            if (name, size) != font:
                text.setFont(name, size)
                font = (name, size)
            if rgb != colour:
                text.setFillColorRGB(*rgb)
                colour = rgb
            if word_space != space:
                text.setWordSpace(word_space)
                space = word_space
            text.setTextOrigin(x, y)
            text.textOut(string)
        c.drawText(text)
        c.showPage()
    c.save()


def floor(pages_json: str, out_pdf: str) -> None:
    """The whole floor: read the runs, register the fonts, draw, write."""
    with open(pages_json, encoding="utf-8") as f:
        doc = json.load(f)
    register_fonts(doc)
    draw(doc, out_pdf)


# ------------------------------------------------------------------------------------ extracting the runs

IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _mul(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """m x n in PDF's row-vector convention (apply m, then n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _to_unicode(font: dict) -> dict[int, str] | None:
    """The byte -> text map of a simple font's /ToUnicode CMap (bfchar and bfrange)."""
    import re

    if "/ToUnicode" not in font:
        return None
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    table: dict[int, str] = {}

    def text(hexes: str) -> str:
        return bytes.fromhex(hexes).decode("utf-16-be", "replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            table[int(src, 16)] = text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            lo_i, hi_i = int(lo, 16), int(hi, 16)
            if rest.startswith("["):
                for i, dst in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", rest)):
                    table[lo_i + i] = text(dst)
            else:
                start = int(rest[1:-1], 16)
                for i in range(hi_i - lo_i + 1):
                    table[lo_i + i] = chr(start + i)
    return table


class _Font:
    def __init__(self, font: dict) -> None:
        if font.get("/Subtype") == "/Type0":
            raise SystemExit("floor: composite (Type0) fonts are not handled; hamrehab embeds simple TrueType subsets")
        base = str(font["/BaseFont"])[1:]
        self.name = base.split("+", 1)[1] if "+" in base[:7] else base
        self.unicode = _to_unicode(font)
        first = int(font.get("/FirstChar", 0))
        widths = [float(w) for w in font.get("/Widths", [])]
        self.widths = {first + i: w for i, w in enumerate(widths)}
        self.standard = self.name in STANDARD

    def decode(self, raw: bytes) -> str:
        if self.unicode is None:
            return raw.decode("cp1252", "replace")
        return "".join(self.unicode.get(b, "\ufffd") for b in raw)

    def width(self, raw: bytes, size: float, char_space: float, word_space: float, scale: float) -> float:
        if self.standard and not self.widths:
            from reportlab.pdfbase.pdfmetrics import stringWidth

            spacing = char_space * len(raw) + word_space * raw.count(b" ")
            return (stringWidth(raw.decode("cp1252"), self.name, size) + spacing) * scale
        return sum((self.widths.get(b, 0.0) / 1000 * size + char_space + (word_space if b == 32 else 0.0)) * scale for b in raw)


def _raw(s: object) -> bytes:
    return bytes(s) if isinstance(s, bytes) else s.get_original_bytes()  # type: ignore[attr-defined]


def _walk(contents: object, resources: dict, ctm: tuple[float, ...], reader: object, runs: list, fonts: dict, depth: int = 0) -> None:
    from pypdf.generic import ContentStream

    font_dicts = resources.get("/Font", {}) if resources else {}
    xobjects = resources.get("/XObject", {}) if resources else {}
    stack: list[tuple] = []
    fill = [0.0, 0.0, 0.0]
    tm = tlm = IDENTITY
    font: _Font | None = None
    size = leading = char_space = word_space = 0.0
    scale = 1.0
    for operands, op in ContentStream(contents, reader).operations:
        if op == b"q":
            stack.append((ctm, list(fill), font, size, leading, char_space, word_space, scale))
        elif op == b"Q":
            ctm, fill, font, size, leading, char_space, word_space, scale = stack.pop()
        elif op == b"cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)
        elif op == b"rg":
            fill = [float(v) for v in operands]
        elif op == b"g":
            fill = [float(operands[0])] * 3
        elif op == b"BT":
            tm = tlm = IDENTITY
        elif op == b"Tf":
            key = operands[0]
            if key not in fonts:
                fonts[key] = _Font(font_dicts[key].get_object())
            font, size = fonts[key], float(operands[1])
        elif op == b"TL":
            leading = float(operands[0])
        elif op == b"Tc":
            char_space = float(operands[0])
        elif op == b"Tw":
            word_space = float(operands[0])
        elif op == b"Tz":
            scale = float(operands[0]) / 100
        elif op == b"Tm":
            tm = tlm = tuple(float(v) for v in operands)
        elif op in (b"Td", b"TD"):
            if op == b"TD":
                leading = -float(operands[1])
            tm = tlm = _mul((1.0, 0.0, 0.0, 1.0, float(operands[0]), float(operands[1])), tlm)
        elif op in (b"T*", b"'", b'"'):
            if op == b'"':
                word_space, char_space = float(operands[0]), float(operands[1])
            tm = tlm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -leading), tlm)
        if op in (b"Tj", b"'", b'"', b"TJ"):
            assert font is not None, "text shown before any Tf"
            pieces = operands[0] if op == b"TJ" else [operands[-1]]
            for piece in pieces:
                if not isinstance(piece, (str, bytes)):  # a TJ kerning number
                    tm = _mul((1.0, 0.0, 0.0, 1.0, -float(piece) / 1000 * size * scale, 0.0), tm)
                    continue
                raw = _raw(piece)
                string = font.decode(raw)
                m = _mul(tm, ctm)
                if m[1] or m[2] or abs(m[0] - m[3]) > 1e-9:
                    raise SystemExit("floor: rotated or skewed text is not handled")
                if string:
                    runs.append([round(m[4], 3), round(m[5], 3), font.name, round(size * m[0], 3), fill, word_space, string])
                tm = _mul((1.0, 0.0, 0.0, 1.0, font.width(raw, size, char_space, word_space, scale), 0.0), tm)
        elif op == b"Do":
            xo = xobjects[operands[0]].get_object()
            if xo.get("/Subtype") == "/Form" and depth < 8:
                matrix = tuple(float(v) for v in xo.get("/Matrix", IDENTITY))
                _walk(xo, xo.get("/Resources", resources), _mul(matrix, ctm), reader, runs, fonts, depth + 1)


def _fallback_names() -> dict[str, tuple[str, str, int]]:
    from reportlab.pdfbase.ttfonts import TTFontFile

    found = {}
    for module, file, subfont in FALLBACK_FILES:
        try:
            name = TTFontFile(font_path(module, file), subfontIndex=subfont).name
        except Exception:  # noqa: BLE001 - a package that isn't installed can't be in the PDF either
            continue
        found[name.decode() if isinstance(name, bytes) else name] = (module, file, subfont)
    return found


def extract(pdf: str, pages_json: str) -> dict:
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    fonts: dict = {}
    pages = []
    for page in reader.pages:
        runs: list = []
        _walk(page.get_contents(), page.get("/Resources"), IDENTITY, reader, runs, fonts)
        box = page.mediabox
        pages.append({"size": [float(box.width), float(box.height)], "runs": runs})
    used = sorted({run[2] for page in pages for run in page["runs"]})
    files: dict[str, list] = {}
    fallback = None
    for name in used:
        if name in STANDARD:
            files[name] = ["", "", 0]
        elif name in FONT_FILES:
            files[name] = [*FONT_FILES[name], 0]
        else:
            fallback = fallback if fallback is not None else _fallback_names()
            if name not in fallback:
                raise SystemExit(f"floor: the PDF uses a font this script does not know: {name}")
            files[name] = list(fallback[name])
    doc = {"source": pdf, "fonts": files, "pages": pages}
    with open(pages_json, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False)
    return doc


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[0] == "--extract":
        doc = extract(argv[1], argv[2])
        print(f"{argv[2]}: {len(doc['pages'])} pages, {sum(len(p['runs']) for p in doc['pages'])} text runs, "
              f"fonts {', '.join(doc['fonts'])}")
    elif len(argv) == 2:
        floor(argv[0], argv[1])
    else:
        raise SystemExit(__doc__.split("\n\n")[1] if __doc__ else "usage: floor_reportlab.py [--extract PDF] JSON PDF")


if __name__ == "__main__":
    main(sys.argv[1:])
