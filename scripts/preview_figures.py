"""Draw exercises' figures onto a contact sheet (PDF), to check poses by eye.

Usage: python scripts/preview_figures.py [EXERCISE_DIR] [OUT.pdf] [--only ID[,ID...]] [--card] [--large]
Two figures a row by default; `--card` draws one a row at the size of an A4 handout's card
(`--large`: its large-print height).
Reads YAML files directly so it works while the catalogue is still being written; a file whose
figure does not validate is reported and skipped. Look at the pages with
`pdftoppm -png -r 100 OUT.pdf PREFIX`.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml
from reportlab.graphics import renderPDF
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from hamrehab.model import Figure
from hamrehab.render.figures import figure_drawing


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Draw every exercise's figure on a contact sheet (PDF).")
    parser.add_argument("folder", nargs="?", default="exercises", type=Path, help="folder of exercise YAML files (default: exercises)")
    parser.add_argument("out", nargs="?", default=Path("output/figures.pdf"), type=Path, help="PDF to write (default: output/figures.pdf)")
    parser.add_argument("--only", action="append", default=[], metavar="ID[,ID...]", help="draw only these exercises (repeatable)")
    parser.add_argument("--card", action="store_true", help="one figure a row, the size of the A4 handout's card")
    parser.add_argument("--large", action="store_true", help="the large-print card's height")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder}: no such folder")
    if args.out.suffix.lower() != ".pdf":
        parser.error(f"{args.out}: the contact sheet is a PDF; give a name ending in .pdf")
    args.only = {i.strip() for chunk in args.only for i in chunk.split(",") if i.strip()}
    return args


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    paths = [p for p in sorted(args.folder.glob("*.yaml")) if p.stem != "references" and (not args.only or p.stem in args.only)]
    missing = args.only - {p.stem for p in paths}
    if missing:
        print(f"not found in {args.folder}: {', '.join(sorted(missing))}", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    c = Canvas(str(args.out), pagesize=A4, invariant=1)
    w, h = A4
    cols = 1 if args.card else 2
    if args.card:   # the handout's frame: A4 less two 18 mm margins; the drawing 92 pt high (135 in large print)
        cell_w, cell_h = w - 2 * 18 * 72 / 25.4 + 10, (135 if args.large else 92) + 20
    else:
        cell_w, cell_h = (w - 60) / 2, (190 if args.large else 150)
    rows = int((h - 60) // cell_h)
    i = 0
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            fig = Figure.model_validate(data["figure"])
        except Exception as exc:  # noqa: BLE001 - a preview tool: show the problem and go on
            print(f"{path}: {exc}".splitlines()[0], file=sys.stderr)
            continue
        col, row = i % cols, (i // cols) % rows
        if i and i % (cols * rows) == 0:
            c.showPage()
        x, y = (w - cols * cell_w) / 2 + col * cell_w, h - 40 - (row + 1) * cell_h
        c.setFont("Helvetica-Bold", 8)
        c.drawString(x + 4, y + cell_h - 12, f"{path.stem}")
        renderPDF.draw(figure_drawing(fig, cell_w - 10, cell_h - 20), c, x + 5, y + 2)
        c.rect(x, y, cell_w - 4, cell_h - 4)
        i += 1
    c.save()
    print(f"{i} figures -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
