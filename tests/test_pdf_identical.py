"""Every handout byte for byte: a fixed set of plans rendered to PDF and compared by SHA-256.

Any change that alters a single byte of any of these PDFs fails here, naming the plan. When the
change is meant (new wording, a layout fix, a new font version), regenerate the stored hashes and
commit them with the change:

    python3 -m tests.test_pdf_identical --update

(or `HAMREHAB_UPDATE_PDF_HASHES=1 python3 -m pytest tests/test_pdf_identical.py`). The hashes live
in tests/data/pdf_hashes.json. `python3 -m tests.test_pdf_identical` alone prints each plan's hash
and whether it matches, without writing anything.

The PDFs also depend on the catalogue (exercises/, protocols/, rules/), examples/clinic.yaml, the
planner, ReportLab and the font packages: a change to any of them may change the bytes too, and
then the hashes are regenerated the same way. A restructuring of the renderer must leave them all
unchanged.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from hamrehab.catalogue import Catalogue, load_catalogue
from hamrehab.clinic import Clinic, load_clinic
from hamrehab.model import PlanRequest
from hamrehab.planner import build
from hamrehab.render.pdf import render_pdf
from hamrehab.vocab import DIAGNOSES, DiagnosisId

HASHES = Path(__file__).parent / "data" / "pdf_hashes.json"
UPDATE_ENV = "HAMREHAB_UPDATE_PDF_HASHES"
START = dt.date(2026, 3, 2)
CLINIC_YAML = Path(__file__).parent.parent / "examples" / "clinic.yaml"


def _png(width: int, height: int) -> bytes:
    """A small, fixed RGB PNG (a two-colour block), written by hand so its bytes never vary."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    rows = b"".join(b"\x00" + b"".join((b"\x00\x4c\x85" if x < width // 2 else b"\xeb\xf0\xf7") for x in range(width))
                    for _ in range(height))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _plain(diagnosis: DiagnosisId, **fields: Any) -> Callable[[Catalogue], bytes]:
    def render(catalogue: Catalogue) -> bytes:
        return render_pdf(build(PlanRequest(diagnosis=diagnosis, start=START, **fields), catalogue))
    return render


def _options(request: dict[str, Any], **options: Any) -> Callable[[Catalogue], bytes]:
    def render(catalogue: Catalogue) -> bytes:
        return render_pdf(build(PlanRequest(start=START, **request), catalogue), **options)
    return render


def _with_clinic(catalogue: Catalogue) -> bytes:
    """The example clinic, plus a logo: the clinic file and the PNG in a temporary folder."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "logo.png").write_bytes(_png(48, 24))
        (folder / "clinic.yaml").write_text(CLINIC_YAML.read_text(encoding="utf-8") + "logo: logo.png\n", encoding="utf-8")
        clinic = load_clinic(folder / "clinic.yaml")
        plan = build(PlanRequest(diagnosis="hamstring-strain", grade=1, side="right", start=START, name="Ann Runner"), catalogue)
        return render_pdf(plan, clinic=clinic)


def _cover_extras(catalogue: Catalogue) -> bytes:
    """Clinician notes in two scripts, a core exercise the kit cannot cover, a card with a video (QR code).

    No request reaches the last two with today's catalogue, so the plan is edited after planning."""
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=2, start=START, name="Sam Runner",
                             notes="Ходьба без боли. Keep the knee soft on the bridges; ring me if the back of the thigh bruises."), catalogue)
    first, *rest = plan.exercises
    plan = dataclasses.replace(
        plan, missing_core=("Nordic curl is a core part of this treatment, but it needs an anchor or a partner.",),
        exercises=(first.model_copy(update={"video_url": "https://video.example/hamrehab/first"}), *rest))
    return render_pdf(plan)


def _fallback_grid(catalogue: Catalogue) -> bytes:
    """A grid note the body font cannot print (that week's grid becomes a Table), and a note too long for a cell."""
    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=1, start=START), catalogue)
    weeks = list(plan.weeks)
    long_note = "Keep the movement slow and even, " * 8 + "and stop at the first sharp pain."
    weeks[0] = dataclasses.replace(weeks[0], prescriptions=(dataclasses.replace(weeks[0].prescriptions[0], notes=(long_note,)),
                                                            *weeks[0].prescriptions[1:]))
    # the first week without runs, and the first with runs and an exercise not done every day
    for k in (next(i for i, w in enumerate(weeks) if not w.running), next(i for i, w in enumerate(weeks) if w.running)):
        rx = list(weeks[k].prescriptions)
        j = min(range(len(rx)), key=lambda i: len(rx[i].days))
        rx[j] = dataclasses.replace(rx[j], notes=("Колено чуть согнуто.",))
        weeks[k] = dataclasses.replace(weeks[k], prescriptions=tuple(rx))
    return render_pdf(dataclasses.replace(plan, weeks=tuple(weeks)))


def _referral_with_clinic(catalogue: Catalogue) -> bytes:
    """An emergency referral with a clinic whose details are too long for the boxed block."""
    clinic = Clinic(name="Riverside Physio & Sport", clinician="Alex Morgan, physiotherapist", phone="01234 567890",
                    email="hello@riverside-physio.example", website="https://riverside-physio.example",
                    address=tuple(f"Building {i}, {'River Lane and the long road beside the old mill, ' * 3}Townsville TS1 2AB"
                                  for i in range(1, 7)))
    plan = build(PlanRequest(diagnosis="sciatic-referral", red_flags=("saddle-numbness",), start=START, patient_id="P-0042"), catalogue)
    return render_pdf(plan, clinic=clinic)


README_SAMPLE: dict[str, Any] = {"diagnosis": "hamstring-strain", "grade": 2, "side": "left", "weeks": 8, "name": "Sam Runner",
                                 "weak_glute_side": "right", "runner_km_per_week": 30.0}

# name -> how to render it. Add cases freely; then regenerate the hashes (see the top of this file).
CASES: dict[str, Callable[[Catalogue], bytes]] = {
    "readme-sample": _options(README_SAMPLE),
    **{f"default-{d}": _plain(cast(DiagnosisId, d)) for d in DIAGNOSES},
    "large-print-letter": _options(README_SAMPLE, page_size="letter", large_print=True),
    "clinic-with-logo": _with_clinic,
    "referral-pain-7": _plain("hamstring-strain", grade=2, pain=7, name="Sam Runner"),
    "clinician-changes": _plain("proximal-tendinopathy", equipment=("chair",), add=("marching-bridge:slow-strength",),
                                dose=("glute-bridge=3x12",), name="Kim Lee"),
    "non-runner": _plain("hamstring-strain", grade=1, runner_km_per_week=0.0, name="Pat Walker"),
    "non-latin-name": _plain("distal-tendinopathy", name="Анна Петрова", side="right"),
    "cover-extras": _cover_extras,
    "fallback-font-grid": _fallback_grid,
    "referral-emergency-clinic": _referral_with_clinic,
}


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def render_all(catalogue: Catalogue) -> dict[str, str]:
    return {name: digest(render(catalogue)) for name, render in CASES.items()}


def stored() -> dict[str, str]:
    return json.loads(HASHES.read_text(encoding="utf-8")) if HASHES.exists() else {}


def save(hashes: dict[str, str]) -> None:
    HASHES.parent.mkdir(parents=True, exist_ok=True)
    HASHES.write_text(json.dumps(hashes, indent=2, sort_keys=True) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def hashes() -> dict[str, str]:
    return stored()


@pytest.mark.parametrize("name", list(CASES))
def test_pdf_is_byte_identical(name: str, catalogue: Catalogue, hashes: dict[str, str]) -> None:
    got = digest(CASES[name](catalogue))
    if os.environ.get(UPDATE_ENV):
        save({**stored(), name: got})
        return
    assert name in hashes, f"{name}: no stored hash; run `python3 -m tests.test_pdf_identical --update`"
    assert got == hashes[name], (f"{name}: the PDF changed (sha256 {got}, stored {hashes[name]}). If the change is meant, "
                                 f"run `python3 -m tests.test_pdf_identical --update` and commit tests/data/pdf_hashes.json")


def test_no_stale_hashes(hashes: dict[str, str]) -> None:
    if os.environ.get(UPDATE_ENV):
        save({k: v for k, v in stored().items() if k in CASES})
        return
    assert set(hashes) == set(CASES), f"stored hashes without a case: {sorted(set(hashes) - set(CASES))}"


def main(argv: list[str]) -> int:
    update = "--update" in argv
    now = render_all(load_catalogue())
    old = stored()
    for name, value in now.items():
        state = "same" if old.get(name) == value else ("new" if name not in old else "CHANGED")
        print(f"{value}  {state:7}  {name}")
    if update:
        save(now)
        print(f"wrote {HASHES}")
        return 0
    return 0 if now == old else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
