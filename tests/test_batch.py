"""Rosters in, plans out: messy CSV, safe names, parallel runs that match, reports, interruption."""
from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import icalendar
import pytest

from hamrehab.batch import generate_batch, safe_stem
from hamrehab.cli import main

LONG_OK = "Keep the runs easy and flat. " * 100  # ~2900 characters: printed in full
TOO_LONG = "x" * 5000


def _write(path: Path, text: str, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def messy_roster(tmp_path: Path) -> Path:
    rows = [
        "Patient_ID;Name;DIAGNOSIS;Grade;Start;Notes",
        "A1;Ann;hamstring-strain;2;2026-03-02;",
        "",
        "A2;;doms;;2026-03-02;",  # empty name: fine
        "A3;Bob;hamstring;2;2026-03-02;",  # unknown diagnosis (a near miss such as "hamstring-strian" is now read, with a notice)
        "A4;Cy;doms;;02/03/2026;",  # bad date
        "../../x;Dee;prevention;;2026-03-02;",  # path traversal
        "CON;Eve;doms;;2026-03-02;",  # reserved on Windows
        "A1;Ann again;doms;;2026-03-02;",  # duplicate id
        f"A5;Fay;sciatic-referral;;2026-03-02;{LONG_OK}",  # long notes: printed
        f"A6;Gus;doms;;2026-03-02;{TOO_LONG}",  # over-long notes: refused
        "   ;  ;  ;  ;  ;  ",  # blank in all but name
    ]
    return _write(tmp_path / "roster.csv", "\r\n".join(rows) + "\r\n", bom=True)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_messy_roster(tmp_path, runner):
    roster = messy_roster(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--jobs", "2", "--format", "pdf,json"])
    assert result.exit_code == 1, result.output
    assert "6 written, 3 failed, 0 skipped" in result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["A1.pdf", "A1.json", "A2.pdf", "A2.json", "x.pdf", "x.json", "_CON.pdf", "_CON.json",
                            "A1-2.pdf", "A1-2.json", "A5.pdf", "A5.json", "errors.csv", "manifest.csv"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "roster.csv"]  # nothing outside DIR
    errors = _read_csv(out / "errors.csv")
    assert [(e["row"], e["patient_id"], e["field"]) for e in errors] == [("5", "A3", "diagnosis"), ("6", "A4", "start"),
                                                                         ("11", "A6", "notes")]
    assert "did you mean 'hamstring-strain'" in errors[0]["message"]
    manifest = _read_csv(out / "manifest.csv")
    assert len(manifest) == 12
    for entry in manifest:
        assert hashlib.sha256((out / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]


def test_jobs_1_and_2_give_identical_files(tmp_path):
    roster = messy_roster(tmp_path)
    one = generate_batch(roster, tmp_path / "one", formats=["pdf", "json", "ics"], jobs=1)
    two = generate_batch(roster, tmp_path / "two", formats=["pdf", "json", "ics"], jobs=2)
    assert (one.written, one.failed) == (two.written, two.failed) == (6, 3)
    files = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "two").iterdir())
    for name in files:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_ics_parses_as_a_calendar(tmp_path):
    roster = _write(tmp_path / "r.csv", "patient_id,diagnosis,grade,start\nP1,hamstring-strain,2,2026-03-02\n")
    generate_batch(roster, tmp_path / "out", formats=["ics"], jobs=1)
    cal = icalendar.Calendar.from_ical((tmp_path / "out" / "P1.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    assert events and str(events[0]["SUMMARY"]).startswith("Rehab week 1")
    assert events[0]["DTSTART"].dt.isoformat() == "2026-03-02"
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert "Pain: up to" in str(events[0]["DESCRIPTION"])


def test_yaml_roster_and_skip_existing(tmp_path):
    roster = _write(tmp_path / "r.yaml", "- {patient_id: Y1, diagnosis: doms, start: 2026-03-02}\n"
                                         "- {patient_id: Y2, diagnosis: prevention, start: 2026-03-02}\n- just text\n")
    first = generate_batch(roster, tmp_path / "out", jobs=1)
    assert (first.written, first.failed) == (2, 1)
    again = generate_batch(roster, tmp_path / "out", jobs=1, skip_existing=True)
    assert (again.written, again.failed, again.skipped) == (0, 1, 2)


def test_unknown_column_is_ignored_with_one_warning(tmp_path, runner):
    """Was: exit 2 before anything was written (issue 12: a column hamrehab does not use never stops a roster)."""
    roster = _write(tmp_path / "r.csv", "patient_id,diagnosis,wieght\nP1,doms,70\nP2,doms,71\n")
    result = runner.invoke(main, ["batch", str(roster), "--out", str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 0 and "2 written, 0 failed, 0 skipped" in result.output, result.output
    assert result.output.count("ignored column hamrehab does not use: wieght") == 1 and "Traceback" not in result.output


def test_missing_roster_is_bad_input(tmp_path, runner):
    result = runner.invoke(main, ["batch", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and "ROSTER" in result.output


def test_ctrl_c_leaves_no_partial_files_and_says_how_far(tmp_path, runner, monkeypatch):
    import hamrehab.batch_workers as workers

    real = workers.plan_row

    def interrupt_on_third(job, row, raw):
        if raw.get("patient_id") == "P3":
            raise KeyboardInterrupt
        return real(job, row, raw)

    monkeypatch.setattr(workers, "plan_row", interrupt_on_third)
    roster = _write(tmp_path / "r.csv", "patient_id,diagnosis,start\n" + "".join(f"P{i},doms,2026-03-02\n" for i in range(1, 6)))
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 130
    assert "2 written, 0 failed, 0 skipped (interrupted after 2 rows)" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["P1.pdf", "P2.pdf", "errors.csv", "manifest.csv"]
    assert len(_read_csv(out / "manifest.csv")) == 2


@pytest.mark.parametrize("patient_id,stem", [
    ("../../x", "x"), ("CON", "_CON"), ("con.txt", "_con.txt"), ("", "row-7"), ("...", "row-7"),
    ("Zoë Ñúñez", "Zoe_Nunez"), ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"), ("x" * 300, "x" * 80),
])
def test_safe_stem(patient_id, stem):
    assert safe_stem(patient_id, 7) == stem


def test_example_roster_covers_every_diagnosis():
    from hamrehab.vocab import DIAGNOSES

    rows = _read_csv(Path(__file__).resolve().parent.parent / "examples" / "roster.csv")
    assert len(rows) >= 10 and {r["diagnosis"] for r in rows} == set(DIAGNOSES)


def test_an_unexpected_failure_costs_only_its_row(tmp_path, monkeypatch):
    import hamrehab.batch_workers as workers

    real = workers.build

    def flaky(request, catalogue):
        if request.patient_id == "B2":
            raise RuntimeError("boom")
        return real(request, catalogue)

    monkeypatch.setattr(workers, "build", flaky)
    roster = _write(tmp_path / "r.csv", "patient_id,diagnosis,start\nB1,doms,2026-03-02\nB2,doms,2026-03-02\nB3,doms,2026-03-02\n")
    summary = generate_batch(roster, tmp_path / "out", jobs=1)
    assert (summary.written, summary.failed) == (2, 1)
    errors = _read_csv(tmp_path / "out" / "errors.csv")
    assert errors[0]["patient_id"] == "B2" and "internal error" in errors[0]["message"]


# ---------------------------------------------------------------------------------- shared by tests/test_batch_*.py
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "roster.csv"
PLAN_SUFFIXES = (".pdf", ".json", ".txt", ".ics")


def make_roster(path: Path, rows: int, diagnosis: str | None = None) -> Path:
    """A CSV roster of `rows` rows: examples/roster.csv repeated (or one diagnosis), each with its own patient_id."""
    with EXAMPLES.open(encoding="utf-8", newline="") as fh:
        header, *examples = list(csv.reader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        for i in range(rows):
            row = list(examples[i % len(examples)])
            row[0] = f"P{i:05d}"
            if diagnosis:
                row = [row[0], "", diagnosis, "", "", "2026-03-02"] + [""] * (len(header) - 6)
            w.writerow(row)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    return _read_csv(path)


def check_out(out: Path) -> list[dict[str, str]]:
    """--out is consistent: each manifest file is there with its sha256, each plan file there is listed,
    no temporary file and no lock is left. Returns the manifest."""
    manifest = read_csv(out / "manifest.csv")
    for entry in manifest:
        assert hashlib.sha256((out / entry["file"]).read_bytes()).hexdigest() == entry["sha256"], entry["file"]
    listed = {e["file"] for e in manifest}
    on_disk = {p.name for p in out.iterdir() if p.suffix in PLAN_SUFFIXES}
    assert on_disk == listed, (sorted(on_disk - listed)[:5], sorted(listed - on_disk)[:5])
    assert len(listed) == len(manifest), "a file is listed twice"
    assert not [p.name for p in out.iterdir() if p.name.endswith(".part")]
    assert not (out / ".hamrehab.lock").exists()
    return manifest
