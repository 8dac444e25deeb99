"""Issue 10, finding 5 and the roster Low items: hostile rosters never abort a batch, drop a row or create --out."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from hamrehab.batch import generate_batch, read_roster
from hamrehab.cli import main
from tests.test_batch import check_out, make_roster, read_csv


def _lines(n: int, start: int = 1) -> str:
    return "".join(f"P{i},doms,2026-03-02,\n" for i in range(start, start + n))


def test_finding5_cell_over_131072_characters_is_an_error_row_and_no_row_is_lost(tmp_path, runner):
    """Was: _csv.Error traceback, the batch aborted, rows in progress silently dropped (50 before it, 47 listed)."""
    roster = tmp_path / "r.csv"
    roster.write_text("patient_id,diagnosis,start,notes\n" + _lines(49) + "BIG,doms,2026-03-02," + "x" * 200_000 + "\n"
                      + _lines(10, start=50), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--jobs", "2", "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert "59 written, 1 failed, 0 skipped" in result.output
    errors = read_csv(out / "errors.csv")
    assert [(e["row"], e["patient_id"], e["field"]) for e in errors] == [("51", "BIG", "notes")]
    assert "200,000 characters" in errors[0]["message"] and "65,536" in errors[0]["message"]
    assert len(errors[0]["message"]) < 300  # the cell is not echoed
    assert len(check_out(out)) == 59


def test_finding5_cell_over_the_cell_limit_in_a_yaml_roster_is_an_error_row(tmp_path):
    roster = tmp_path / "r.yaml"
    roster.write_text(f"- {{patient_id: Y1, diagnosis: doms, start: 2026-03-02, notes: {'y' * 70_000}}}\n"
                      "- {patient_id: Y2, diagnosis: doms, start: 2026-03-02}\n"
                      "- {patient_id: Y3, id: Y3b, diagnosis: doms, start: 2026-03-02}\n", encoding="utf-8")
    summary = generate_batch(roster, tmp_path / "out", formats=["json"], jobs=1)
    assert (summary.written, summary.failed) == (1, 2)
    errors = read_csv(tmp_path / "out" / "errors.csv")
    assert [(e["row"], e["field"]) for e in errors] == [("1", "notes"), ("3", "patient_id")]


@pytest.mark.parametrize("header,positions", [
    ("patient_id,diagnosis,diagnosis", ("column 2", "column 3")),
    ("diagnosis,start,Diagnosis", ("column 1", "column 3")),
    ("id,diagnosis,Patient ID", ("column 1", "column 3")),
])
def test_finding5_duplicated_column_is_refused_naming_both_positions(tmp_path, runner, header, positions):
    """Was: `diagnosis,diagnosis` silently used the last value."""
    roster = tmp_path / "r.csv"
    roster.write_text(header + "\nP1,doms,doms\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--format", "json"])
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert "\n" not in message and "given twice" in message and "r.csv:1" in message
    assert all(p in message for p in positions)
    assert not out.exists()


def test_finding5_late_bad_byte_refuses_the_roster_with_its_line_before_anything_is_written(tmp_path, runner):
    """Was: aborted after 4,466 plans, naming the wrong line. Now: refused whole, right line, nothing written."""
    roster = tmp_path / "r.csv"
    body = "patient_id,diagnosis,start,notes\n" + _lines(4465)
    roster.write_bytes(body.encode() + b"Ren\xe9,doms,2026-03-02,\n" + _lines(3, start=9000).encode())
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--format", "json"])
    assert result.exit_code == 2, result.output
    assert "r.csv:4467: not UTF-8" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_finding5_more_cells_than_columns_is_an_error_row_with_its_line_and_patient(tmp_path, runner):
    roster = tmp_path / "r.csv"
    roster.write_text("patient_id,diagnosis,start\nA1,doms,2026-03-02\n\"A2\",doms,2026-03-02,extra\n"
                      "A3,doms,\"2026-03-02\"\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--jobs", "2", "--format", "json"])
    assert result.exit_code == 1 and "2 written, 1 failed, 0 skipped" in result.output
    errors = read_csv(out / "errors.csv")
    assert [(e["row"], e["patient_id"]) for e in errors] == [("3", "A2")]
    assert "4 cells but only 3 columns" in errors[0]["message"]
    assert [e["file"] for e in check_out(out)] == ["A1.json", "A3.json"]


def test_finding5_a_multi_line_cell_reports_the_line_its_row_starts_on(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text('patient_id,diagnosis,start,notes\nA1,doms,2026-03-02,"one\ntwo\nthree"\nA2,nope,2026-03-02,\n',
                      encoding="utf-8")
    assert [row for row, _ in read_roster(roster)] == [2, 5]


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "fifo.csv"
    os.mkfifo(path)
    return path


def _folder_link(tmp_path: Path) -> Path:
    (tmp_path / "folder").mkdir()
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "folder")
    return link


@pytest.mark.parametrize("make,expected", [
    (lambda tmp: tmp / "missing.csv", "no such file"),
    (lambda tmp: Path("/dev/zero"), "not a regular file"),
    (_fifo, "not a regular file"),
    (lambda tmp: tmp, "is a folder"),
    (_folder_link, "is a folder"),
    (lambda tmp: (tmp / "empty.csv", (tmp / "empty.csv").write_text(""))[0], "must name the columns"),
    (lambda tmp: (tmp / "bad.csv", (tmp / "bad.csv").write_text("name,wieght\n"))[0], "a 'diagnosis' column is required"),
])
def test_low_out_is_not_created_when_the_roster_cannot_be_read(tmp_path, runner, make, expected):
    """Was: --out created (empty) before the roster was found unreadable; a FIFO or /dev/zero hung."""
    roster = make(tmp_path)
    out = tmp_path / "deep" / "out"
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--format", "json"])
    assert result.exit_code == 2, result.output
    assert expected in result.output and "ROSTER" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "deep").exists()


def test_low_a_large_roster_is_counted_and_streamed(tmp_path):
    roster = make_roster(tmp_path / "r.csv", 30, diagnosis="doms")
    seen = []
    summary = generate_batch(roster, tmp_path / "out", formats=["json"], jobs=2, progress=lambda d, t: seen.append((d, t)))
    assert summary.written == 30 and seen[-1] == (30, 30)


def test_finding5_a_roster_changed_while_it_is_read_keeps_the_rows_done_and_says_so(tmp_path, runner, monkeypatch):
    """A bad byte that the up-front check could not see (the file changed after it): the rows already read are
    written and listed, the failure is a line of errors.csv, the exit code is 1; nothing is dropped silently."""
    from hamrehab.roster import Roster

    monkeypatch.setattr(Roster, "_check_utf8", lambda self: None)  # as if the file changed after the check
    roster = tmp_path / "r.csv"
    roster.write_bytes(("patient_id,diagnosis,start,notes\n" + _lines(2000)).encode() + b"Ren\xe9,doms,2026-03-02,\n")
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--jobs", "2", "--format", "json"])
    assert result.exit_code == 1, result.output
    errors = read_csv(out / "errors.csv")
    assert len(errors) == 1 and "not UTF-8 text after line" in errors[0]["message"]
    assert "the rows after it were not read" in errors[0]["message"]
    manifest = check_out(out)
    assert len(manifest) > 1000 and f"{len(manifest)} written, 1 failed" in result.output
    assert int(errors[0]["row"]) > max(int(e["row"]) for e in manifest)
