"""Issue 10, findings 6 and 7 (write failures) and the Low items on reports, the lock and files in --out."""
from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from pathlib import Path

import hamrehab.batchfiles
import hamrehab.output
from hamrehab.batch import generate_batch
from hamrehab.cli import main
from tests.test_batch import check_out, make_roster, read_csv


def _roster(tmp_path: Path, rows: list[tuple[str, str]], name: str = "r.csv") -> Path:
    path = tmp_path / name
    path.write_text("patient_id,name,diagnosis,start\n" + "".join(f"{pid},{who},doms,2026-03-02\n" for pid, who in rows),
                    encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------- finding 6
def test_finding6_skip_existing_keeps_every_manifest_entry(tmp_path, runner):
    """Was: manifest.csv rewritten with only a header (30 plans on disk, none listed)."""
    roster = _roster(tmp_path, [(f"S{i}", "Sam") for i in range(30)])
    out = tmp_path / "out"
    first = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--jobs", "2", "--format", "json,ics"])
    assert first.exit_code == 0, first.output
    before = {(e["file"], e["sha256"]) for e in check_out(out)}
    again = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--jobs", "2", "--format", "json,ics", "--skip-existing"])
    assert again.exit_code == 0 and "0 written, 0 failed, 30 skipped" in again.output
    manifest = check_out(out)
    assert {(e["file"], e["sha256"]) for e in manifest} == before and len(manifest) == 60
    assert [e["row"] for e in manifest][:4] == ["2", "2", "3", "3"]  # in row order, under this run's rows
    # a shorter roster: the rows it lacks are not lost from the manifest either (files still there, unchanged)
    short = _roster(tmp_path, [("S0", "Sam")], name="short.csv")
    runner.invoke(main, ["batch", str(short), "--out", str(out), "--format", "json,ics", "--skip-existing"])
    assert {(e["file"], e["sha256"]) for e in check_out(out)} == before


def test_finding6_skip_existing_checks_the_rows_identity_not_the_file_name(tmp_path):
    """Was: a row skipped because another patient's file of the same name was there."""
    out = tmp_path / "out"
    generate_batch(_roster(tmp_path, [("P1", "Ann"), ("P2", "Bob")], "first.csv"), out, formats=["json"], jobs=1)
    ann = (out / "P1.json").read_bytes()
    (out / "P2.json").write_bytes(b"edited by hand\n")  # same name, not the file hamrehab wrote
    summary = generate_batch(_roster(tmp_path, [("P1", "Zed"), ("P2", "Bob"), ("P3", "Cy")], "second.csv"), out,
                             formats=["json"], jobs=1, skip_existing=True)
    assert (summary.written, summary.skipped, summary.failed) == (3, 0, 0)
    assert (out / "P1.json").read_bytes() != ann and b"Zed" in (out / "P1.json").read_bytes()
    assert b"Bob" in (out / "P2.json").read_bytes()
    fingerprints = {e["file"]: e["fingerprint"] for e in check_out(out)}
    assert len(set(fingerprints.values())) == 3 and all(len(f) == 32 for f in fingerprints.values())
    # the very same request again: skipped
    again = generate_batch(_roster(tmp_path, [("P1", "Zed")], "third.csv"), out, formats=["json"], jobs=1, skip_existing=True)
    assert (again.written, again.skipped) == (0, 1)
    assert len(check_out(out)) == 3


# ---------------------------------------------------------------------------------- finding 7: write failures
def test_finding7_a_row_whose_file_cannot_be_written_costs_only_that_row(tmp_path, runner, monkeypatch):
    """Was: disk full, a folder in the way or a planted symlink aborted the whole batch (exit 2, '-o/--output')."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "B.json").mkdir()  # a folder in the way
    (out / "C.json").symlink_to("/dev/null")  # a planted link to a device
    real_fsync = os.fsync

    def disk_full_for_d(fd: int) -> None:
        if ".D.json." in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(hamrehab.output.os, "fsync", disk_full_for_d)
    monkeypatch.setattr(hamrehab.batchfiles, "_syncfs", lambda folder: False)  # one flush per file, so D's failure is D's
    roster = _roster(tmp_path, [(x, "X") for x in "ABCDE"])
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--jobs", "1", "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "2 written, 3 failed, 0 skipped" in result.output
    errors = {e["patient_id"]: e["message"] for e in read_csv(out / "errors.csv")}
    assert "B.json' is already there and hamrehab did not write it" in errors["B"]
    assert "C.json' is a symbolic link" in errors["C"]
    assert "D.json': the disk is full" in errors["D"]
    assert not any("-o/" in m or "--output" in m for m in errors.values())
    assert os.path.islink(out / "C.json") and Path("/dev/null").is_char_device()
    assert [e["file"] for e in read_csv(out / "manifest.csv")] == ["A.json", "E.json"]
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


# ---------------------------------------------------------------------------------- Low items
def test_low_formula_cells_are_neutralised_in_manifest_and_errors(tmp_path):
    """Was: `=HYPERLINK(...)` ids copied raw into manifest.csv and errors.csv."""
    from hamrehab.manifest import neutralise

    roster = tmp_path / "r.csv"
    roster.write_text('patient_id,diagnosis,start\n"=HYPERLINK(""http://x"",""y"")",doms,2026-03-02\n'
                      "+SUM(1),nope,2026-03-02\n-2+3,doms,2026-03-02\n@cmd,doms,2026-03-02\n",
                      encoding="utf-8")
    generate_batch(roster, tmp_path / "out", formats=["json"], jobs=1)
    manifest = [e["patient_id"] for e in read_csv(tmp_path / "out" / "manifest.csv")]
    errors = [e["patient_id"] for e in read_csv(tmp_path / "out" / "errors.csv")]
    assert manifest == ["'=HYPERLINK(\"http://x\",\"y\")", "'-2+3", "'@cmd"]
    assert errors == ["'+SUM(1)"]
    assert [neutralise(v) for v in ("\tx", "\rx", "x=1", 7, "'=a")] == ["'\tx", "'\rx", "x=1", 7, "'=a"]
    for path in ("manifest.csv", "errors.csv"):
        for record in read_csv(tmp_path / "out" / path):
            assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in record.values())


def test_low_two_batches_cannot_share_one_out_and_a_stale_lock_is_taken_over(tmp_path, runner):
    """Was: no lock; two batches into one --out, the last manifest won."""
    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-m", "hamrehab", "batch", str(make_roster(tmp_path / "big.csv", 300)), "--out",
                              str(out), "--jobs", "2", "--format", "json"], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while not list(out.glob("P*.json")) and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert first.poll() is None, "the first batch ended too soon for this test"
        roster = _roster(tmp_path, [("L1", "Lu")])
        result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--format", "json"])
        assert result.exit_code == 2, result.output
        assert f"another hamrehab batch (pid {first.pid}) is writing to" in result.output
        assert len(result.output.strip().splitlines()) == 1 and not (out / "L1.json").exists()
    finally:
        first.kill()  # as the OOM killer or `kill -9` would: no chance to clean up
        first.wait()
    assert (out / ".hamrehab.lock").read_text().strip() == str(first.pid)  # left behind
    (out / ".L1.json.abcd1234.part").write_bytes(b"half a plan")  # ... with a temporary file
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--format", "json"])
    assert result.exit_code == 0, result.output  # the lock's batch is gone: taken over
    assert not (out / ".hamrehab.lock").exists() and not list(out.glob("*.part"))
    assert [e["file"] for e in read_csv(out / "manifest.csv")] == ["L1.json"]


def test_low_a_file_hamrehab_did_not_write_is_never_overwritten(tmp_path, runner):
    """Was: an unrelated notes.txt in --out overwritten by a row whose id is `notes`."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("my own notes\n")
    roster = _roster(tmp_path, [("notes", "Nia"), ("P1", "Pat")])
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--format", "text"])
    assert result.exit_code == 1 and "1 written, 1 failed, 0 skipped" in result.output
    assert (out / "notes.txt").read_text() == "my own notes\n"
    errors = read_csv(out / "errors.csv")
    assert errors[0]["patient_id"] == "notes" and "notes.txt' is already there and hamrehab did not write it" in errors[0]["message"]
    # a file hamrehab wrote (listed in manifest.csv) is rewritten as before
    (out / "notes.txt").unlink()
    again = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--format", "text"])
    assert again.exit_code == 0 and "2 written" in again.output
    third = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--format", "text"])
    assert third.exit_code == 0 and "2 written" in third.output
    assert {e["file"] for e in check_out(out)} == {"notes.txt", "P1.txt"}
