"""Draw every exercise's figure onto a contact sheet (PDF), to check poses by eye.

Usage: python scripts/preview_figures.py [EXERCISE_DIR] [OUT.pdf]
Reads YAML files directly so it works while the catalogue is still being written.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hamrehab.model import Figure  # noqa: E402
from hamrehab.render.figures import figure_drawing  # noqa: E402


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "exercises")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "output/figures.pdf")
    c = Canvas(str(out), pagesize=A4, invariant=1)
    w, h = A4
    cell_w, cell_h = (w - 60) / 2, 150
    i = 0
    for path in sorted(src.glob("*.yaml")):
        if path.stem == "references":
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            fig = Figure.model_validate(data["figure"])
        except Exception as exc:  # a preview tool: show the problem and go on
            print(f"{path}: {exc}".splitlines()[0])
            continue
        col, row = i % 2, (i // 2) % 5
        if i and i % 10 == 0:
            c.showPage()
        x, y = 30 + col * cell_w, h - 40 - (row + 1) * cell_h
        c.setFont("Helvetica-Bold", 8)
        c.drawString(x + 4, y + cell_h - 12, f"{path.stem}")
        renderPDF.draw(figure_drawing(fig, cell_w - 10, cell_h - 20), c, x + 5, y + 2)
        c.rect(x, y, cell_w - 4, cell_h - 4)
        i += 1
    c.save()
    print(f"{i} figures -> {out}")


if __name__ == "__main__":
    main()
