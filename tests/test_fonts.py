"""Names in any script print in the handout: CJK, Arabic (shaped, right to left), Hebrew and Thai
fall back character by character to embedded fonts; emoji and unknown characters are warned about."""
from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import unicodedata

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.render import fonts
from hamrehab.render.fonts import (
    EMOJI,
    MISSING,
    FontMissing,
    Warnings,
    draw_string,
    markup,
    runs,
)
from hamrehab.render.pdf import render_pdf

START = dt.date(2026, 3, 2)

# name -> the embedded font its letters must be set in (the PDF's BaseFont, after the subset tag)
NAMES = {
    "王小明": "WenQuanYiMicroHei",      # Chinese
    "山田太郎": "WenQuanYiMicroHei",    # Japanese (Kanji)
    "やまだ カタカナ": "WenQuanYiMicroHei",  # Japanese (Kana)
    "김민준": "WenQuanYiMicroHei",      # Korean
    "محمد علي": "NotoSansArabic",
    "דוד כהן": "Heebo",
    "สมชาย": "NotoSansThai",
}


def _norm(text: str) -> str:
    """Arabic presentation forms back to letters, no-break spaces to spaces."""
    return unicodedata.normalize("NFKC", text)


def _page_fonts(page) -> dict[str, bool]:
    """BaseFont (without the subset tag) -> embedded as a TrueType subset, for one page."""
    out = {}
    for ref in page["/Resources"]["/Font"].values():
        font = ref.get_object()
        base = str(font["/BaseFont"]).lstrip("/")
        descriptor = font.get("/FontDescriptor")
        embedded = descriptor is not None and "/FontFile2" in descriptor.get_object() and "+" in base
        out[base.split("+", 1)[-1]] = embedded
    return out


def _embedded(page, font: str) -> bool:
    """The page uses a font whose name starts with `font`, embedded as a TrueType subset."""
    used = {base: ok for base, ok in _page_fonts(page).items() if base.startswith(font)}
    return bool(used) and all(used.values())


def _drawn_in(page, font: str) -> str:
    return "".join(text for base, text in _text_by_font(page).items() if base.startswith(font))


def _text_by_font(page) -> dict[str, str]:
    """The text drawn in each font of a page, in drawing (visual) order."""
    by_font: dict[str, str] = {}

    def visit(text, cm, tm, font, size):
        if font is not None and text:
            name = str(font["/BaseFont"]).lstrip("/").split("+", 1)[-1]
            by_font[name] = by_font.get(name, "") + text

    page.extract_text(visitor_text=visit)
    return by_font


def _has_words(name: str, text: str) -> bool:
    """Every word of the name is in the text, in logical or visual (reversed) letter order."""
    text = _norm(text)
    return all(w in text or w[::-1] in text for w in _norm(name).split())


def _render(catalogue, name: str, warnings: Warnings | None = None) -> bytes:
    return render_pdf(build(PlanRequest(diagnosis="doms", start=START, name=name), catalogue), warnings=warnings)


@pytest.mark.parametrize("name,font", NAMES.items())
def test_name_in_each_script_prints_in_an_embedded_fallback_font(catalogue, name, font):
    warnings = Warnings()
    data = _render(catalogue, name, warnings)
    assert warnings.messages == []
    reader = PdfReader(io.BytesIO(data))
    cover = reader.pages[0]
    assert _embedded(cover, font), _page_fonts(cover)  # used, embedded, subset
    drawn = _drawn_in(cover, font)
    letters = set(_norm(name).replace(" ", ""))
    assert letters <= set(_norm(drawn)), (name, drawn)  # every letter, in the script's own font
    assert MISSING not in drawn
    text = cover.extract_text()
    assert _has_words(name, text)
    name_line = next(line for line in text.splitlines() if line.startswith("Name "))
    assert MISSING not in name_line and EMOJI not in name_line


@pytest.mark.parametrize("name,font", NAMES.items())
def test_two_renders_are_byte_identical(catalogue, name, font):
    assert _render(catalogue, name) == _render(catalogue, name)


def test_the_same_bytes_in_a_fresh_process_whatever_was_registered_before(catalogue):
    """Fonts register lazily, in whatever order names come; the PDF must not depend on it."""
    for name in NAMES:  # register every fallback here first, in this order
        _render(catalogue, name)
    here = _render(catalogue, "محمد علي")
    script = (
        "import datetime as dt, sys\n"
        "from hamrehab.catalogue import load_catalogue\n"
        "from hamrehab.model import PlanRequest\n"
        "from hamrehab.planner import build\n"
        "from hamrehab.render.pdf import render_pdf\n"
        "plan = build(PlanRequest(diagnosis='doms', start=dt.date(2026, 3, 2), name='محمد علي'), load_catalogue())\n"
        "sys.stdout.buffer.write(render_pdf(plan))\n"
    )
    fresh = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True, timeout=120).stdout
    assert fresh == here


@pytest.mark.parametrize("name,font", NAMES.items())
def test_footer_on_every_page_has_the_name(catalogue, name, font):
    """Page 2 shows the name only in its footer, drawn by draw_string."""
    reader = PdfReader(io.BytesIO(_render(catalogue, name)))
    page = reader.pages[1]
    assert _embedded(page, font), _page_fonts(page)
    assert _has_words(name, page.extract_text())


@pytest.mark.parametrize("name,font", NAMES.items())
def test_draw_string_in_each_script(name, font):
    fonts.register()
    buf = io.BytesIO()
    canvas = Canvas(buf, invariant=1)
    warnings = Warnings()
    draw_string(canvas, 300, 100, f"{name}  |  plan starting 2026-03-02", 10, warnings=warnings)
    draw_string(canvas, 500, 80, name, 10, bold=True, align="right", warnings=warnings)
    draw_string(canvas, 300, 60, name, 10, align="centre", warnings=warnings)
    canvas.showPage()
    canvas.save()
    assert warnings.messages == []
    page = PdfReader(io.BytesIO(buf.getvalue())).pages[0]
    assert _embedded(page, font), _page_fonts(page)
    assert set(_norm(name).replace(" ", "")) <= set(_norm(_drawn_in(page, font)))
    assert _has_words(name, page.extract_text())


def _visual(text: str) -> str:
    return "".join(chunk for _, chunk in runs(text))


def test_arabic_is_shaped_into_joined_forms():
    assert [family for family, _ in runs("محمد")] == ["NotoSansArabic"]
    drawn = _visual("محمد")
    # drawn left to right: final dal ... initial meem (the word's first letter, at the right)
    assert drawn == "\ufeaa\ufee4\ufea4\ufee3"
    assert _norm(drawn) == "دمحم"
    assert _visual("لا") == "\ufefb"  # lam-alef ligature


def test_right_to_left_runs_are_drawn_in_visual_order():
    assert _norm(_visual("محمد علي")) == "يلع دمحم"
    assert _visual("דוד כהן") == "ןהכ\xa0דוד"  # a short RTL run: bound with a no-break space
    # in an English line the Latin stays put and the Arabic run is reversed in place
    assert _norm(_visual("Dr محمد علي, clinic 12")) == "Dr يلع دمحم, clinic 12"
    # numbers inside a right-to-left run keep their own order
    assert _norm(_visual("שלום 123 עולם")) == "םלוע 123 םולש"


def test_brackets_in_right_to_left_text_are_mirrored():
    assert _norm(_visual("שלום (עולם)")) == "(םלוע) םולש"
    assert _norm(_visual("Name: محمد (أبو علي)")) == "Name: (يلع وبأ) دمحم"


def test_a_long_right_to_left_run_may_wrap_between_words():
    long = " ".join(["שלום"] * 20)
    assert "\xa0" not in _visual(long)
    assert "\xa0" in _visual("שלום עולם")


def test_hebrew_points_stay_with_their_letter():
    # each point is drawn just before its letter, from the same origin (Heebo's points have no advance)
    assert _visual("שָׁלוֹם") == "\u05dd\u05b9\u05d5\u05dc\u05c1\u05b8\u05e9"


def test_thai_and_cjk_in_a_paragraph_are_escaped_markup():
    assert markup("สมชาย <b>") == '<font face="NotoSansThai">สมชาย</font> &lt;b&gt;'
    assert markup("王 & 김") == '<font face="WenQuanYiMicroHei">王</font> &amp; <font face="WenQuanYiMicroHei">김</font>'


def test_emoji_print_as_a_placeholder_with_a_warning(catalogue):
    warnings = Warnings()
    data = _render(catalogue, "Sam 🏃🏽‍♀️ 👍 🇫🇷", warnings)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert f"Sam {EMOJI} {EMOJI} {EMOJI}" in text  # one placeholder per emoji, modifiers and all
    assert any("emoji" in m and "U+1F3C3" in m for m in warnings.messages)
    assert any("U+1F1EB U+1F1F7" in m for m in warnings.messages)
    name_line = next(line for line in text.splitlines() if line.startswith("Name "))
    assert name_line == f"Name Sam {EMOJI} {EMOJI} {EMOJI}"  # no stray "?" for a skin tone, ZWJ or selector


def test_an_emoji_inside_right_to_left_text_keeps_the_run_together():
    # the emoji is neutral for bidi; its placeholder's Latin letters must not split the Arabic run
    assert _norm(_visual("محمد 👍 علي")) == f"يلع {EMOJI} دمحم"


def test_a_character_no_font_has_prints_as_missing_with_a_warning(catalogue):
    warnings = Warnings()
    data = _render(catalogue, "Ann \U0001d11e", warnings)  # a musical G clef
    assert any("U+1D11E" in m and "patient details" in m for m in warnings.messages)
    assert any("U+1D11E" in m and "footer" in m for m in warnings.messages)
    assert f"Ann {MISSING}" in PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_bidi_controls_in_the_text_do_not_reorder_it():
    # a right-to-left override would otherwise print "Ann" backwards
    assert _visual("\u202eAnn\u202c Lee") == "Ann Lee"


def test_fallback_fonts_load_only_when_needed():
    script = (
        "import sys\n"
        "import hamrehab.render.fonts as f\n"
        "from reportlab.pdfbase import pdfmetrics\n"
        "assert 'bidi' not in sys.modules and 'arabic_reshaper' not in sys.modules\n"
        "f.markup('Plain text')\n"
        "assert f.FALLBACK not in pdfmetrics.getRegisteredFontNames()\n"
        "f.markup('王小明')\n"
        "names = set(pdfmetrics.getRegisteredFontNames())\n"
        "assert 'WenQuanYiMicroHei' in names and 'NotoSansArabic' not in names and 'Heebo' not in names, names\n"
        "assert 'bidi' not in sys.modules\n"
        "f.markup('דוד')\n"
        "assert 'Heebo' in pdfmetrics.getRegisteredFontNames() and 'bidi' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)


def test_a_font_package_without_its_file_is_a_clear_error():
    with pytest.raises(FontMissing, match=r"fontpkg-heebo .*has no file files/Gone\.ttf"):
        fonts._font_file("fontpkg-heebo", "fontpkg_heebo", "files/Gone.ttf")
    with pytest.raises(FontMissing, match="not installed"):
        fonts._font_file("no-such-font-package", "no_such_font_package", "x.ttf")


def test_every_font_file_named_in_the_code_is_installed():
    for face in fonts._FACES:
        assert fonts._font_file(face.distribution, face.module, face.file).endswith(face.file.split("/")[-1])
