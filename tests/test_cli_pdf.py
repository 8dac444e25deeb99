"""`hamrehab plan` writing PDFs: default path, paper, large print, clinic file errors, warnings."""
from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader

from hamrehab.cli import main

from .pdftext import page_texts

BASE = ["plan", "--diagnosis", "doms", "--start", "2026-03-02", "--name", "Ann"]


def test_pdf_is_the_default_and_goes_to_output(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, BASE)
    assert result.exit_code == 0, result.output
    assert "output/plan-doms-2026-03-02.pdf" in result.output
    # the same handout as asking for a PDF by name
    named = runner.invoke(main, BASE + ["--format", "pdf", "-o", "named.pdf"])
    assert named.exit_code == 0, named.output
    assert (tmp_path / "output" / "plan-doms-2026-03-02.pdf").read_bytes() == (tmp_path / "named.pdf").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["named.pdf", "output"]


def test_letter_and_large_print(runner, tmp_path):
    out = tmp_path / "p.pdf"
    result = runner.invoke(main, BASE + ["--page-size", "letter", "--large-print", "-o", str(out)])
    assert result.exit_code == 0, result.output
    box = PdfReader(io.BytesIO(out.read_bytes())).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_format_follows_the_extension(runner, tmp_path):
    out = tmp_path / "p.txt"
    assert runner.invoke(main, BASE + ["-o", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("hamrehab plan for Ann")
    printed = runner.invoke(main, BASE + ["--format", "text", "-o", "-"])
    assert printed.exit_code == 0 and out.read_bytes() == printed.stdout_bytes


def test_missing_clinic_file(runner, tmp_path):
    result = runner.invoke(main, BASE + ["--clinic", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2 and "--clinic" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "p.pdf").exists()


def test_clinic_file_with_unknown_field_names_the_line(runner, tmp_path):
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text("name: Riverside\nphnoe: 123\n", encoding="utf-8")
    result = runner.invoke(main, BASE + ["--clinic", str(clinic), "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2
    assert f"{clinic}:2" in result.output and "did you mean 'phone'" in result.output


def test_clinic_logo_that_is_not_an_image(runner, tmp_path):
    (tmp_path / "logo.png").write_text("not a png", encoding="utf-8")
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text("name: Riverside\nlogo: logo.png\n", encoding="utf-8")
    result = runner.invoke(main, BASE + ["--clinic", str(clinic), "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2 and "logo" in result.output and "Traceback" not in result.output


def test_clinic_with_logo_renders(runner, tmp_path):
    Image.new("RGB", (60, 30), (10, 80, 140)).save(tmp_path / "logo.png")
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text("name: Riverside Physio\nclinician: Dr Jane Smith\nlogo: logo.png\n", encoding="utf-8")
    out = tmp_path / "p.pdf"
    result = runner.invoke(main, BASE + ["--clinic", str(clinic), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Riverside Physio" in page_texts(out.read_bytes())[0]


def test_unprintable_character_warns(runner, tmp_path):
    result = runner.invoke(main, ["plan", "--diagnosis", "doms", "--start", "2026-03-02", "--name", "\U0001D11E Ann", "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 0
    assert "warning:" in result.output and "U+1D11E" in result.output


def test_failed_write_keeps_the_old_file(runner, tmp_path, monkeypatch):
    out = tmp_path / "p.pdf"
    out.write_bytes(b"old plan")
    import hamrehab.output as output

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", boom)
    result = runner.invoke(main, BASE + ["-o", str(out)])
    assert result.exit_code == 2 and "the disk is full" in result.output
    assert out.read_bytes() == b"old plan"
    assert [p.name for p in tmp_path.iterdir()] == ["p.pdf"]
