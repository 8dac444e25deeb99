"""The PDF handout, read back as a patient's reader would: text, structure, metadata, bookmarks."""
from __future__ import annotations

import datetime as dt
import io
import re

import pikepdf
import pytest
from pypdf import PdfReader

from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.render.fonts import Warnings
from hamrehab.render.pdf import render_pdf
from hamrehab.vocab import DIAGNOSES

from .pdftext import page_texts

START = dt.date(2026, 3, 2)


def _text(data: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page_texts(data)))


def _first_page_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", page_texts(data)[0])


def _plan(catalogue, **kw):
    base = dict(diagnosis="hamstring-strain", grade=2, side="left", start=START, clinician_cleared=True)
    base.update(kw)
    return build(PlanRequest(**base), catalogue)


def _flat(outline) -> list[str]:
    out = []
    for item in outline:
        out += _flat(item) if isinstance(item, list) else [item.title]
    return out


@pytest.mark.parametrize("name", ["Zoë Ñúñez-O'Brien", "Олена Ковальчук", "Ζωή Παπαδοπούλου"])
def test_names_in_any_script_print(catalogue, name):
    warnings = Warnings()
    data = render_pdf(_plan(catalogue, name=name, weeks=2), warnings=warnings)
    assert name in _first_page_text(data)  # the cover
    assert warnings.messages == []


def test_everything_the_runner_needs_is_in_the_text(catalogue):
    plan = _plan(catalogue)
    data = render_pdf(plan)
    text = _text(data)
    for ex in plan.exercises:
        assert ex.name in text, ex.name
    for week in plan.weeks:
        assert f"Week {week.number} of {len(plan.weeks)}" in text
    for phase in plan.phases:
        for criterion in phase.exit_criteria:
            assert re.sub(r"\s+", " ", criterion.text) in text, criterion.text
    assert "GREEN" in text and "AMBER" in text and "RED" in text  # the traffic light has words, not only colours
    assert f"Page 1 of {len(PdfReader(io.BytesIO(data)).pages)}" in text  # the page count alone: no second text read


def test_structure_metadata_and_bookmarks(catalogue):
    data = render_pdf(_plan(catalogue, name="Ann Runner"))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        check = getattr(pdf, "check_pdf_syntax", None) or pdf.check
        assert check() == []  # qpdf's structural check
        assert str(pdf.Root.Lang) == "en"
    reader = PdfReader(io.BytesIO(data))
    meta = reader.metadata
    assert meta.title.startswith("Rehab plan for Ann Runner") and meta.author and meta.subject
    titles = _flat(reader.outline)
    for wanted in ("Your rehab plan", "About your condition", "Your exercises", "Week by week", "Week 1: ", "Your progress", "Where this plan comes from"):
        assert any(t.startswith(wanted) for t in titles), wanted


@pytest.mark.parametrize("name", ["<b>Ann & Bob</b>", 'Zoë "Z" O\'Brien', "a < b > c & d; <font size=40>x</font>"])
def test_user_text_prints_literally(catalogue, name):
    data = render_pdf(_plan(catalogue, name=name, weeks=1))
    assert name in _first_page_text(data)  # the cover


def test_two_builds_are_byte_identical(catalogue):
    plan = _plan(catalogue, name="Same Person", weak_glute_side="right", runner_km_per_week=30)
    assert render_pdf(plan) == render_pdf(plan)


EVERY_HANDOUT = {**{d: dict(diagnosis=d, grade=(2 if d == "hamstring-strain" else None)) for d in DIAGNOSES},
                 "referral": dict(diagnosis="hamstring-strain", grade=2, red_flags=("saddle-numbness",))}


@pytest.mark.parametrize("page_size,dims", [("a4", (595.3, 841.9)), ("letter", (612.0, 792.0))])
@pytest.mark.parametrize("large", [False, True])
@pytest.mark.parametrize("handout", list(EVERY_HANDOUT))
def test_every_diagnosis_and_a_referral_render(catalogue, handout, page_size, dims, large):
    """Each renders whole at each paper and print size, the runner's name on its first page.

    Only page 1's text is extracted (the name is printed there); reading every page's text cost
    three times the rendering."""
    plan = build(PlanRequest(start=START, name="Test Runner", **EVERY_HANDOUT[handout]), catalogue)
    data = render_pdf(plan, page_size=page_size, large_print=large)
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == dims
    assert "Test Runner" in _first_page_text(data)


def test_referral_handout_has_no_exercises(catalogue):
    plan = _plan(catalogue, red_flags=("calf-or-thigh-swelling",), name="Ann")
    text = _text(render_pdf(plan))
    assert "Please see a professional first" in text and "TODAY" in text
    assert "What to tell the clinician" in text
    assert "How to do it" not in text and "Week 1 of" not in text


def _body_size(data: bytes) -> float:
    """The font size most of the text on the 'About' page is set in."""
    reader = PdfReader(io.BytesIO(data))
    sizes: dict[float, int] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            key = round(size * tm[0], 1)
            sizes[key] = sizes.get(key, 0) + len(text)

    reader.pages[1].extract_text(visitor_text=visit)
    return max(sizes, key=sizes.get)


def test_large_print_body_is_at_least_14_pt(catalogue):
    plan = _plan(catalogue, weeks=2)
    assert _body_size(render_pdf(plan)) < 14
    assert _body_size(render_pdf(plan, large_print=True)) >= 14


def test_a_character_no_font_has_is_a_warning_not_a_box(catalogue):
    warnings = Warnings()
    data = render_pdf(_plan(catalogue, name="Ann \U0001D11E", weeks=1), warnings=warnings)
    assert any("U+1D11E" in m for m in warnings.messages)
    assert "Ann ?" in _text(data)


def test_clinic_block_on_cover(catalogue, tmp_path):
    from reportlab.graphics import renderPM  # noqa: F401  (only to prove a PNG can be written below)
    from reportlab.graphics.shapes import Drawing, Rect

    from hamrehab.clinic import load_clinic

    logo = tmp_path / "logo.png"
    d = Drawing(40, 20)
    d.add(Rect(0, 0, 40, 20, fillColor=None))
    _write_png(logo)
    (tmp_path / "clinic.yaml").write_text(
        "name: Riverside Physio & Sport\nclinician: Dr Jane Ω Smith\nphone: 01234 567890\nemail: hello@riverside.example\n"
        "website: https://riverside.example\naddress: [1 River Lane, Townsville]\nlogo: logo.png\n", encoding="utf-8")
    clinic = load_clinic(tmp_path / "clinic.yaml")
    data = render_pdf(_plan(catalogue, weeks=1), clinic=clinic)
    text = _text(data)
    for word in ("Riverside Physio & Sport", "Dr Jane Ω Smith", "01234 567890", "1 River Lane"):
        assert word in text
    assert PdfReader(io.BytesIO(data)).metadata.author == "Dr Jane Ω Smith"


def _write_png(path):
    from PIL import Image

    Image.new("RGB", (80, 40), (0, 80, 140)).save(path)


def test_video_url_gives_a_qr_code(catalogue):
    from reportlab.graphics.barcode.qr import QrCodeWidget

    url = "https://example.org/chair-bridge"
    bridge = catalogue.exercises["chair-bridge"]
    plan = _plan(catalogue, weeks=1)
    with_video = render_pdf(type(plan)(**{**plan.__dict__, "exercises": (bridge.model_copy(update={"video_url": url}),)}))
    without = render_pdf(type(plan)(**{**plan.__dict__, "exercises": (bridge,)}))
    assert "Video" in _text(with_video) and "Video" not in _text(without)
    # the card draws that URL's QR code: one filled rectangle for each run of dark modules
    modules = len(QrCodeWidget(url).draw().contents)
    assert modules > 20 and _rectangles(with_video) - _rectangles(without) == modules


def _rectangles(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return sum(1 for page in pdf.pages for _, op in pikepdf.parse_content_stream(page) if str(op) == "re")


def test_every_week_page_has_its_grid_pain_log_and_notes(catalogue):
    plan = _plan(catalogue, weeks=6, runner_km_per_week=30)
    text = _text(render_pdf(plan))
    weeks = len(plan.weeks)
    assert text.count("Pain log (0-10)") == weeks
    assert text.count("Notes ") >= weeks
    assert text.count("During exercise or running") == weeks
    assert text.count("Checkpoint: end of") == len(plan.phases)
    assert "Your pain, week by week" in text and "Your progress" in text


def test_week_grid_with_fallback_script_and_long_lists(catalogue):
    """Exercise names a clinic wrote in Cyrillic print (Table path); a very long week splits over pages."""
    from dataclasses import replace

    plan = _plan(catalogue, weeks=1)
    week = plan.weeks[0]
    first = replace(week.prescriptions[0], name="Мост на стуле")
    many = tuple(replace(p, name=f"{p.name} {i}") for i in range(6) for p in week.prescriptions)
    plan = replace(plan, weeks=(replace(week, prescriptions=(first,) + many),))
    data = render_pdf(plan)
    text = _text(data)
    assert "Мост на стуле" in text
    assert f"{week.prescriptions[-1].name} 5" in text
    headers = sum(1 for page in page_texts(data) if "How much" in page)
    assert headers >= 2  # the grid went over a page break and repeated its header row


def test_drawn_week_grid_splits_between_rows_and_repeats_its_header(catalogue):
    from dataclasses import replace

    plan = _plan(catalogue, weeks=1)
    week = plan.weeks[0]
    many = tuple(replace(p, name=f"{p.name} {i}") for i in range(8) for p in week.prescriptions)
    plan = replace(plan, weeks=(replace(week, prescriptions=many),))
    data = render_pdf(plan)
    text = _text(data)
    for p in many:
        assert p.name in text
    assert sum(1 for page in page_texts(data) if "How much" in page) >= 2



def test_a_week_that_flows_on_keeps_its_pain_log_on_one_page(catalogue):
    # The pain log's two rows went either side of a page break: "During exercise or running" at the foot of one
    # page, "Next morning" under a repeated header on the next (weeks 3 and 8 of this tendon plan flow on).
    plan = build(PlanRequest(start=START, diagnosis="proximal-tendinopathy", weeks=12, runner_km_per_week=35, side="left",
                             equipment=("chair", "step", "band", "dumbbell")), catalogue)
    pages = page_texts(render_pdf(plan))
    split = [i + 1 for i, page in enumerate(pages)
             if ("During exercise or running" in page.splitlines()) != ("Next morning" in page.splitlines())]
    assert not split, split
    assert sum(page.splitlines().count("Next morning") for page in pages) == len(plan.weeks)


def test_a_week_of_different_runs_spans_them_across_dose_and_side_and_fits_its_page(catalogue):
    # Three different runs (hills on Monday, strides on Wednesday) in the 'How much' column alone made a cell of fourteen
    # narrow lines, and the last week of the distal plan ran onto a second page; across both columns it fits one.
    plan = build(PlanRequest(start=START, diagnosis="distal-tendinopathy"), catalogue)
    last = plan.weeks[-1]
    assert len({r.pattern for r in last.running}) > 1 and last.checkpoint
    page = next(p for p in page_texts(render_pdf(plan)) if f"Week {last.number} of {last.number}" in p)
    assert "Next morning" in page.splitlines() and "Checkpoint: end of" in page


def _line_of(lines: list[str], name: str) -> int:
    """The line a row's name starts on (a long name wraps in its cell)."""
    return next(i for i, line in enumerate(lines) if line == name or (len(name) > 12 and line.startswith(name[:12])))


def test_the_fallback_grid_puts_the_run_after_its_warm_up_as_the_drawn_grid_does(catalogue):
    # A week whose text needs the fallback font is laid out as a Table; its running row came last, below the
    # strength work, where the drawn grid puts it after the warm-up drills.
    from dataclasses import replace

    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=1, start=START), catalogue)
    k, week = next((k, w) for k, w in enumerate(plan.weeks) if w.running and any(p.session == "warm-up" for p in w.prescriptions))
    last_warm_up = [p.name for p in week.prescriptions if p.session == "warm-up"][-1]
    after = next(p.name for p in week.prescriptions if p.session != "warm-up")
    cyrillic = replace(week, prescriptions=(*week.prescriptions[:-1], replace(week.prescriptions[-1], notes=("Колено чуть согнуто.",))))
    for weeks in (plan.weeks, (*plan.weeks[:k], cyrillic, *plan.weeks[k + 1:])):
        page = next(p for p in page_texts(render_pdf(replace(plan, weeks=weeks))) if p.startswith(f"Week {week.number} of"))
        lines = page.splitlines()
        assert _line_of(lines, last_warm_up) < _line_of(lines, "Running") < _line_of(lines, after), lines
