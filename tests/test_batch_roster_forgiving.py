"""Issue 12, rosters: a roster meets the administrator where they are.

Each test names the finding it covers and what happened before. Unknown columns are a warning; every
problem of a row is reported at once (errors.csv: one line per problem); values are read in any case,
with spaces or hyphens, and a clear typo is read (notices.csv) but never guessed between two words;
dates are ISO unless --date-format says otherwise; the first of two rows with one id keeps the plain
name whatever happens to it; manifest.csv says which rows are referrals and how urgent.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from hamrehab.batch import generate_batch
from hamrehab.cli import main
from hamrehab.exceptions import InputError
from hamrehab.manifest import MANIFEST_HEADER, read_previous
from hamrehab.request import RequestProblems, check_request, make_request
from tests.test_batch import check_out, read_csv

START = "2026-03-02"
OLD_MANIFEST = ("row", "patient_id", "diagnosis", "weeks", "file", "sha256", "fingerprint")


def _roster(tmp_path: Path, text: str, name: str = "r.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _batch(runner, roster: Path, out: Path, *extra: str):
    return runner.invoke(main, ["batch", str(roster), "--out", str(out), "--format", "json", *extra])


def _plan(out: Path, stem: str) -> dict:
    return json.loads((out / f"{stem}.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------- 1. unknown columns
def test_unknown_columns_are_ignored_with_one_warning_never_a_stop(tmp_path, runner):
    """Was: one unknown column ("Phone") stopped the whole roster with exit 2, nothing written."""
    roster = _roster(tmp_path, "patient_id,diagnosis,start,Phone,Email\n"
                               f"P1,doms,{START},0123,a@b.c\nP2,doms,{START},0456,d@e.f\nP3,doms,{START},,\n")
    out = tmp_path / "out"
    result = _batch(runner, roster, out)
    assert result.exit_code == 0, result.output
    assert "3 written, 0 failed, 0 skipped" in result.output
    assert result.output.count("ignored columns hamrehab does not use: Phone, Email") == 1  # once, not per row
    assert [e["file"] for e in check_out(out)] == ["P1.json", "P2.json", "P3.json"]
    notices = read_csv(out / "notices.csv")
    assert [n["message"].split(": ", 1)[1] for n in notices] == ["ignored columns hamrehab does not use: Phone, Email"]
    # really ignored: the same rows without those columns are the same requests (same fingerprint)
    plain = _roster(tmp_path, f"patient_id,diagnosis,start\nP1,doms,{START}\n", "plain.csv")
    generate_batch(plain, tmp_path / "plain", formats=["json"], jobs=1)
    assert read_csv(tmp_path / "plain" / "manifest.csv")[0]["fingerprint"] == check_out(out)[0]["fingerprint"]


def test_unknown_columns_through_the_api_and_a_yaml_roster(tmp_path):
    told: list[str] = []
    roster = _roster(tmp_path, f"- {{patient_id: Y1, diagnosis: doms, start: {START}, phone: '0123'}}\n"
                               f"- {{patient_id: Y2, diagnosis: doms, start: {START}, ward: 3, phone: '0456'}}\n", "r.yaml")
    summary = generate_batch(roster, tmp_path / "out", formats=["json"], jobs=1, notify=told.append)
    assert (summary.written, summary.failed) == (2, 0)
    assert summary.ignored_columns == ("phone", "ward")
    assert told == [f"{roster}: ignored columns hamrehab does not use: phone, ward"]


def test_a_header_one_typo_off_a_field_is_read_as_it_with_a_notice(tmp_path, runner):
    """A near-miss header is not silently dropped (the equipment of every row would be lost)."""
    roster = _roster(tmp_path, f"patient_id,diagnosis,start,Equipmnet\nP1,doms,{START},\"chair,bike\"\n")
    out = tmp_path / "out"
    result = _batch(runner, roster, out)
    assert result.exit_code == 0, result.output
    assert "column 'Equipmnet' read as 'equipment'" in result.output
    assert _plan(out, "P1")["request"]["equipment"] == ["chair", "bike"]
    assert "column 'Equipmnet' read as 'equipment'" in read_csv(out / "notices.csv")[0]["message"]


# ---------------------------------------------------------------------------------- 2. every problem at once
def test_every_problem_of_a_row_is_in_errors_csv_one_line_each(tmp_path, runner):
    """Was: only the first problem of a row per run (three rounds of fixes for ten rows)."""
    roster = _roster(tmp_path, "patient_id,diagnosis,grade,side,start,pain,equipment\n"
                               "P1,hamstring-strain,5,up,2026-13-40,lots,\"chair,xylophone\"\n"
                               f"P2,doms,,left,{START},2,\n")
    out = tmp_path / "out"
    result = _batch(runner, roster, out)
    assert result.exit_code == 1 and "1 written, 1 failed, 0 skipped" in result.output
    errors = read_csv(out / "errors.csv")
    assert [(e["row"], e["patient_id"], e["field"]) for e in errors] == [
        ("2", "P1", "grade"), ("2", "P1", "side"), ("2", "P1", "start"), ("2", "P1", "pain"), ("2", "P1", "equipment")]
    assert "'xylophone' is not known" in errors[-1]["message"]


def test_a_cell_the_reader_refuses_and_the_other_cells_problems_are_reported_together(tmp_path):
    roster = _roster(tmp_path, "patient_id,diagnosis,start,notes\n" f"P1,doms,not-a-date,{'x' * 70_000}\n")
    summary = generate_batch(roster, tmp_path / "out", formats=["json"], jobs=1)
    assert summary.failed == 1
    errors = read_csv(tmp_path / "out" / "errors.csv")
    assert [e["field"] for e in errors] == ["notes", "start"]  # the long cell is not also "missing"


def test_check_request_collects_every_field_problem_and_make_request_names_them_all():
    data = {"diagnosis": "doms", "grade": "x", "side": "up", "start": "soon", "pain": "11", "clinician_cleared": "maybe"}
    checked = check_request(data)
    assert checked.request is None
    assert [p.field for p in checked.problems] == ["grade", "side", "start", "pain", "clinician_cleared"]
    with pytest.raises(RequestProblems) as raised:
        make_request(data)
    assert raised.value.field == "grade" and len(raised.value.problems) == 5
    assert str(raised.value).splitlines()[2].startswith("start: 'soon' is not a date")
    # one problem: the same single InputError as before
    with pytest.raises(InputError) as one:
        make_request({"diagnosis": "doms", "start": START, "pain": "11"})
    assert type(one.value) is InputError and one.value.field == "pain" and "\n" not in str(one.value)


def test_the_cli_plan_names_every_problem_one_line_each(runner):
    result = runner.invoke(main, ["plan", "--diagnosis", "knee", "--start", "soon", "--equipment", "chair,xylophone"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert [line.split(":")[:2] for line in lines] == [["error", " --diagnosis"], ["error", " --start"], ["error", " --equipment"]]
    assert lines[0].startswith("error: --diagnosis: 'knee' is not known")


# ---------------------------------------------------------------------------------- 3. values as people write them
def test_values_are_read_without_regard_to_case_spaces_hyphens_or_underscores(tmp_path, runner):
    """Was: "Left", "Chair", "Hamstring Strain", "loop band" refused, though hamrehab itself suggests them."""
    roster = _roster(tmp_path, "Patient_ID,Diagnosis,Grade,Side,Start,Equipment,Weak Glute Side,Red Flag,Clinician Cleared\n"
                               f"P1,Hamstring Strain,3,Left,{START},\"Chair, loop band, Foam_Roller\",RIGHT,,Yes\n"
                               f"P2,Proximal Tendinopathy,,  right ,{START},DUMBBELL,,,no\n"
                               f"P3,doms,,both,{START},,,Night Pain,\n")
    out = tmp_path / "out"
    result = _batch(runner, roster, out)
    assert result.exit_code == 0, result.output
    p1, p2, p3 = (_plan(out, p)["request"] for p in ("P1", "P2", "P3"))
    assert (p1["diagnosis"], p1["side"], p1["weak_glute_side"], p1["clinician_cleared"]) == ("hamstring-strain", "left", "right", True)
    assert p1["equipment"] == ["chair", "loop-band", "foam-roller"]
    assert (p2["diagnosis"], p2["side"], p2["equipment"], p2["clinician_cleared"]) == ("proximal-tendinopathy", "right", ["dumbbell"],
                                                                                       False)
    assert p3["red_flags"] == ["night-pain"]
    assert not (out / "notices.csv").exists()  # nothing was guessed: nothing to report


def test_a_near_miss_is_read_as_the_only_close_word_and_listed_in_notices(tmp_path, runner):
    roster = _roster(tmp_path, "patient_id,diagnosis,grade,start,equipment\n"
                               f"P1,hamstring strian,2,{START},\"chair,dumbell\"\n")
    out = tmp_path / "out"
    result = _batch(runner, roster, out)
    assert result.exit_code == 0 and "1 written, 0 failed, 0 skipped" in result.output
    assert _plan(out, "P1")["request"]["equipment"] == ["chair", "dumbbell"]
    notices = read_csv(out / "notices.csv")
    assert [(n["row"], n["patient_id"], n["field"]) for n in notices] == [("2", "P1", "diagnosis"), ("2", "P1", "equipment")]
    assert notices[0]["message"] == "diagnosis: 'hamstring strian' read as 'hamstring-strain' (the only accepted word close to it)"
    assert "notices.csv" in result.output


@pytest.mark.parametrize("value,both", [
    ("tendinopathy", ("distal-tendinopathy", "proximal-tendinopathy")),
    ("si referral", ("sciatic-referral", "si-joint-referral")),
])
def test_a_word_close_to_two_accepted_words_is_never_guessed(tmp_path, value, both):
    roster = _roster(tmp_path, f"patient_id,diagnosis,start\nP1,{value},{START}\n")
    summary = generate_batch(roster, tmp_path / "out", formats=["json"], jobs=1)
    assert (summary.written, summary.failed) == (0, 1)
    message = read_csv(tmp_path / "out" / "errors.csv")[0]["message"]
    assert f"did you mean '{both[0]}' or '{both[1]}'?" in message or f"did you mean '{both[1]}' or '{both[0]}'?" in message
    assert not (tmp_path / "out" / "notices.csv").exists()


def test_make_request_matches_values_and_corrects_near_misses_only_when_it_can_say_so():
    request = make_request({"diagnosis": "Hamstring Strain", "side": "Left", "equipment": "Chair, Loop Band", "start": START,
                            "clinician_cleared": "Yes", "grade": "3", "checkpoint": None})
    assert (request.diagnosis, request.side, request.equipment, request.clinician_cleared) == (
        "hamstring-strain", "left", ("chair", "loop-band"), True)
    with pytest.raises(InputError, match="did you mean 'dumbbell'"):  # no list to report a correction in: refused
        make_request({"diagnosis": "doms", "start": START, "equipment": "dumbell"})
    notices: list = []
    request = make_request({"diagnosis": "doms", "start": START, "equipment": "dumbell"}, notices=notices)
    assert request.equipment == ("dumbbell",) and [n.field for n in notices] == ["equipment"]


# ---------------------------------------------------------------------------------- 4. dates
def test_a_day_first_date_is_refused_naming_the_format_expected(tmp_path, runner):
    """Was: "'02/03/2026' is not a date; write it as YYYY-MM-DD" with no way to say the roster's own format."""
    roster = _roster(tmp_path, "patient_id,diagnosis,start\nP1,doms,02/03/2026\n")
    out = tmp_path / "out"
    result = _batch(runner, roster, out)
    assert result.exit_code == 1
    assert read_csv(out / "errors.csv")[0]["message"] == (
        "start: '02/03/2026' is not a date in the format YYYY-MM-DD, e.g. 2026-03-02; "
        "use --date-format if your roster writes dates another way")


def test_date_format_reads_a_clinics_own_dates(tmp_path, runner):
    roster = _roster(tmp_path, "patient_id,diagnosis,start\nP1,doms,02/03/2026\nP2,doms,9/3/2026\nP3,doms,2026-03-02\n")
    out = tmp_path / "out"
    result = _batch(runner, roster, out, "--date-format", "%d/%m/%Y")
    assert result.exit_code == 1 and "2 written, 1 failed, 0 skipped" in result.output
    assert _plan(out, "P1")["request"]["start"] == "2026-03-02" and _plan(out, "P2")["request"]["start"] == "2026-03-09"
    message = read_csv(out / "errors.csv")[0]["message"]
    assert "'2026-03-02' is not a date in the format DD/MM/YYYY, e.g. 02/03/2026" in message
    # the API says the same; month first is another request, never skipped as the same one
    us = generate_batch(roster, out, formats=["json"], jobs=1, date_format="%m/%d/%Y", skip_existing=True)
    assert (us.written, us.skipped) == (2, 0)
    assert _plan(out, "P1")["request"]["start"] == "2026-02-03"


@pytest.mark.parametrize("fmt", ["%d/%m", "%H:%M", "nonsense", ""])
def test_a_date_format_that_cannot_read_a_whole_date_is_bad_input(tmp_path, runner, fmt):
    roster = _roster(tmp_path, "patient_id,diagnosis,start\nP1,doms,02/03/2026\n")
    result = _batch(runner, roster, tmp_path / "out", "--date-format", fmt)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith("error: --date-format: ") and "%d/%m/%Y" in result.output, result.output
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------- 5. duplicate ids
@pytest.mark.parametrize("first", [
    "A1,doms,2026-03-02,one cell too many",  # refused by the reader
    "A1,nope,2026-03-02",  # refused by the request checks (kept its name before too: a guard)
])
def test_the_first_of_two_rows_with_one_id_keeps_the_plain_name_when_it_fails(tmp_path, first):
    """Was: when the reader refused the first A1 row, the second took A1.json; fixing the first renamed it."""
    roster = _roster(tmp_path, f"patient_id,diagnosis,start\n{first}\nA1,doms,{START}\nA1,doms,{START}\n")
    out = tmp_path / "out"
    summary = generate_batch(roster, out, formats=["json"], jobs=2)
    assert (summary.written, summary.failed) == (2, 1)
    assert [e["file"] for e in check_out(out)] == ["A1-2.json", "A1-3.json"]  # failing rows do not free their names
    assert not (out / "A1.json").exists()
    fixed = _roster(tmp_path, f"patient_id,diagnosis,start\nA1,doms,{START}\nA1,doms,{START}\nA1,doms,{START}\n", "fixed.csv")
    generate_batch(fixed, out, formats=["json"], jobs=1, skip_existing=True)
    assert [(e["row"], e["file"]) for e in check_out(out)] == [("2", "A1.json"), ("3", "A1-2.json"), ("4", "A1-3.json")]


# ---------------------------------------------------------------------------------- 6. kind and urgency
def test_manifest_says_which_rows_are_referrals_and_how_urgent(tmp_path, runner):
    """Was: manifest.csv did not say which rows became referral handouts; the clinic could not see whom to phone."""
    roster = _roster(tmp_path, "patient_id,diagnosis,start,pain,red_flag\n"
                               f"P1,doms,{START},2,\nP2,doms,{START},2,saddle-numbness\nP3,doms,{START},2,fever\n"
                               f"P4,doms,{START},7,\nP5,doms,{START},9,\n")
    out = tmp_path / "out"
    result = _batch(runner, roster, out)
    assert result.exit_code == 0, result.output
    assert "5 written, 0 failed, 0 skipped; 4 of the written are referral handouts (1 emergency, 2 same-day, 1 soon)" in result.output
    with (out / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        assert tuple(next(csv.reader(fh))) == OLD_MANIFEST + ("kind", "urgency") == MANIFEST_HEADER
    assert [(e["patient_id"], e["kind"], e["urgency"]) for e in check_out(out)] == [
        ("P1", "plan", ""), ("P2", "referral", "emergency"), ("P3", "referral", "same-day"), ("P4", "referral", "soon"),
        ("P5", "referral", "same-day")]


def test_a_manifest_from_before_kind_and_urgency_is_still_read(tmp_path):
    roster = _roster(tmp_path, f"patient_id,diagnosis,start,red_flag\nP1,doms,{START},\nP2,doms,{START},fever\n")
    out = tmp_path / "out"
    generate_batch(roster, out, formats=["json"], jobs=1)
    rows = read_csv(out / "manifest.csv")
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:  # as an older hamrehab wrote it
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(OLD_MANIFEST)
        writer.writerows([[r[k] for k in OLD_MANIFEST] for r in rows])
    assert {e.kind for e in read_previous(out).values()} == {""}
    again = generate_batch(roster, out, formats=["json"], jobs=1, skip_existing=True)
    assert (again.written, again.skipped) == (0, 2)  # the fingerprints still match
    assert [(e["file"], e["fingerprint"]) for e in check_out(out)] == [(r["file"], r["fingerprint"]) for r in rows]


# ---------------------------------------------------------------------------------- the messy roster
MESSY = """\
Patient ID,Name,Diagnosis,Grade,Side,Start,Equipment,Pain,Red Flag,Clinician Cleared,Phone
A1,Ann First,hamstring-strain,4,Up,31/02/2026,,,,,0123 456
B1,Bob Case,Hamstring Strain,2,Left,02/03/2026,"Chair, Loop Band",3,,,0123 457
C1,Cy Typo,hamstring strian,1,right,02/03/2026,"chair,dumbell",2,,,
A1,Ann Again,doms,,both,02/03/2026,,,,,
D1,Dee Tendon,Proximal Tendinopathy,,LEFT,9/3/2026,"Chair,Step",2,,,
E1,Eve Flag,hamstring-strain,2,left,02/03/2026,,3,Calf or Thigh Swelling,,
F1,Fay Pain,sciatic-referral,,Right,09/03/2026,,7,,,
G1,Gus Many,SI Joint Referral,,left,02/03/2026,"chair,xylophone",lots,,maybe,
H1,Hal Cleared,hamstring-strain,3,left,02/03/2026,chair,2,,Yes,
I1,Ida Iso,tendinopathy,,left,2026-03-02,,,,,
"""


def test_messy_roster_every_good_row_written_every_problem_reported(tmp_path, runner):
    """Ten rows with every roster finding of issue 12: an unknown column, values in any case, near misses,
    day-first dates with --date-format, a duplicate id whose first row fails, a red flag, pain 7, rows
    with several problems each."""
    roster = _roster(tmp_path, MESSY)
    out = tmp_path / "out"
    result = runner.invoke(main, ["batch", str(roster), "--out", str(out), "--jobs", "2", "--format", "pdf,json",
                                  "--date-format", "%d/%m/%Y"])
    assert result.exit_code == 1, result.output
    assert "7 written, 3 failed, 0 skipped; 2 of the written are referral handouts (1 same-day, 1 soon)" in result.output
    assert result.output.count("ignored column hamrehab does not use: Phone") == 1
    manifest = check_out(out)
    assert sorted({e["file"].rsplit(".", 1)[0] for e in manifest}) == ["A1-2", "B1", "C1", "D1", "E1", "F1", "H1"]
    assert not (out / "A1.pdf").exists()  # kept for the first A1 row, which failed
    kinds = {e["patient_id"]: (e["kind"], e["urgency"]) for e in manifest}
    assert kinds == {"B1": ("plan", ""), "C1": ("plan", ""), "A1": ("plan", ""), "D1": ("plan", ""),
                     "E1": ("referral", "same-day"), "F1": ("referral", "soon"), "H1": ("plan", "")}
    errors = read_csv(out / "errors.csv")
    assert [(e["row"], e["patient_id"], e["field"]) for e in errors] == [
        ("2", "A1", "grade"), ("2", "A1", "side"), ("2", "A1", "start"),
        ("9", "G1", "equipment"), ("9", "G1", "pain"), ("9", "G1", "clinician_cleared"),
        ("11", "I1", "diagnosis"), ("11", "I1", "start")]
    assert "'31/02/2026' is not a date in the format DD/MM/YYYY" in errors[2]["message"]
    assert "did you mean 'distal-tendinopathy' or 'proximal-tendinopathy'?" in errors[6]["message"]
    notices = read_csv(out / "notices.csv")
    assert [(n["row"], n["field"]) for n in notices] == [("", ""), ("4", "diagnosis"), ("4", "equipment")]
    b1, c1, d1, h1 = (_plan(out, p)["request"] for p in ("B1", "C1", "D1", "H1"))
    assert (b1["diagnosis"], b1["side"], b1["equipment"], b1["start"]) == ("hamstring-strain", "left", ["chair", "loop-band"], "2026-03-02")
    assert (c1["diagnosis"], c1["equipment"]) == ("hamstring-strain", ["chair", "dumbbell"])
    assert (d1["diagnosis"], d1["side"], d1["start"]) == ("proximal-tendinopathy", "left", "2026-03-09")
    assert (h1["grade"], h1["clinician_cleared"]) == (3, True)


def test_messy_roster_jobs_1_and_2_give_identical_files_and_reports(tmp_path):
    roster = _roster(tmp_path, MESSY)
    one = generate_batch(roster, tmp_path / "one", formats=["pdf", "json"], jobs=1, date_format="%d/%m/%Y")
    two = generate_batch(roster, tmp_path / "two", formats=["pdf", "json"], jobs=2, date_format="%d/%m/%Y")
    assert one.line == two.line
    names = sorted(p.name for p in (tmp_path / "one").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "two").iterdir()) and "notices.csv" in names
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_a_stale_notices_csv_is_removed_when_a_run_has_nothing_to_say(tmp_path):
    out = tmp_path / "out"
    generate_batch(_roster(tmp_path, f"patient_id,diagnosis,start\nP1,dom,{START}\n"), out, formats=["json"], jobs=1)
    assert (out / "notices.csv").exists()
    generate_batch(_roster(tmp_path, f"patient_id,diagnosis,start\nP1,doms,{START}\n", "fixed.csv"), out, formats=["json"], jobs=1)
    assert not (out / "notices.csv").exists()


def test_a_checkpoint_box_a_rows_change_affects_is_listed_in_notices(tmp_path, runner):
    # The clinician's own lower dose never grows to what the phase's checkpoint asks: the clinic is told, per row.
    roster = _roster(tmp_path, "patient_id,diagnosis,start,equipment,dose\n"
                               f"P1,distal-tendinopathy,{START},\"chair,step,towel\",single-leg-bridge=2x5@1\n"
                               f"P2,distal-tendinopathy,{START},\"chair,step,towel\",\n")
    out = tmp_path / "out"
    result = _batch(runner, roster, out)
    assert result.exit_code == 0 and "2 written, 0 failed, 0 skipped" in result.output
    notices = read_csv(out / "notices.csv")
    assert [(n["row"], n["patient_id"], n["field"]) for n in notices] == [("2", "P1", "changes")]
    assert notices[0]["message"].startswith("Your dose of Single-leg bridge grows to 2 x ")
    assert "checkpoint boxes the changes affect" in result.output
