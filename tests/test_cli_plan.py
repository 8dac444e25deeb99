"""`hamrehab plan` and `hamrehab protocols` end to end through click's CliRunner."""
from __future__ import annotations

import json

import pytest

from hamrehab.cli import main

BASE = ["plan", "--diagnosis", "hamstring-strain", "--grade", "2", "--start", "2026-03-02"]


def _bad(result, *words):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    text = result.output.strip()
    assert len(text.splitlines()) <= 3, text  # a short message, not a dump
    for w in words:
        assert w in result.output, result.output


@pytest.mark.parametrize("args,words", [
    (["plan", "--diagnosis", "hamstring-strian", "--start", "2026-03-02"], ["--diagnosis", "did you mean 'hamstring-strain'"]),
    (["plan", "--diagnosis", "doms", "--grade", "2", "--start", "2026-03-02"], ["--grade", "hamstring-strain"]),
    (BASE + ["--weeks", "0"], ["--weeks", "1<=x<=52"]),
    (BASE + ["--weeks", "60"], ["--weeks"]),
    (BASE + ["--pain", "11"], ["--pain", "0<=x<=10"]),
    (["plan", "--diagnosis", "doms", "--start", "next tuesday"], ["--start", "YYYY-MM-DD"]),
    (["plan", "--diagnosis", "doms", "--start", "2026-02-30"], ["--start", "not a date"]),
    (BASE + ["--equipment", "chair,dumbell"], ["--equipment", "did you mean 'dumbbell'"]),
    (BASE + ["--red-flag", "fevr"], ["--red-flag", "did you mean 'fever'"]),
    (BASE + ["--stage", "nowhere"], ["--stage", "accepted"]),
    (["plan", "--start", "2026-03-02"], ["diagnosis", "missing"]),
])
def test_bad_input_exits_2_naming_the_flag(runner, args, words):
    _bad(runner.invoke(main, args), *words)


def test_request_file_with_unknown_key(runner, tmp_path):
    path = tmp_path / "request.yaml"
    path.write_text("diagnosis: doms\nstart: 2026-03-02\nwieght: 70\n", encoding="utf-8")
    _bad(runner.invoke(main, ["plan", "--request", str(path)]), f"{path}:3", "unknown field 'wieght'")


def test_request_file_with_wrong_value(runner, tmp_path):
    path = tmp_path / "request.yaml"
    path.write_text("diagnosis: doms\nstart: 2026-03-02\npain: 12\n", encoding="utf-8")
    _bad(runner.invoke(main, ["plan", "--request", str(path), "--format", "json"]), "pain")


def test_every_problem_of_a_request_file_is_its_own_error_line(runner, tmp_path):
    """Was: the first problem began 'error:', the others did not (a script grepping for 'error:' missed them)."""
    path = tmp_path / "r.yaml"
    path.write_text("grade: 1.5\nweeks: -1\nweak_glute_side: 1e309\n", encoding="utf-8")
    result = runner.invoke(main, ["plan", "--request", str(path), "--format", "json", "-o", "-"])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 4, result.stderr  # grade, weeks, weak_glute_side, diagnosis missing
    assert all(line.startswith("error: ") for line in lines), lines
    assert any(f"{path}:2: weeks" in line for line in lines) and any("--diagnosis" in line for line in lines)


def test_flags_override_the_request_file(runner, tmp_path):
    path = tmp_path / "request.yaml"
    path.write_text("diagnosis: doms\nstart: 2026-03-02\nname: From File\n", encoding="utf-8")
    result = runner.invoke(main, ["plan", "--request", str(path), "--name", "From Flag", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["request"]["name"] == "From Flag"


def test_json_has_the_contract_keys(runner):
    result = runner.invoke(main, BASE + ["--side", "left", "--format", "json"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert {"request", "diagnosis", "referral", "phases", "weeks", "cautions", "sources", "schema_version"} <= set(plan)
    assert plan["referral"] is None
    assert {"id", "name", "weeks", "exit_criteria"} <= set(plan["phases"][0])
    week = plan["weeks"][0]
    assert {"number", "phase", "start", "prescriptions", "running"} <= set(week)
    p = week["prescriptions"][0]
    assert {"exercise", "name", "sets", "reps", "hold_s", "duration_s", "per_side", "times_per_day", "days_per_week", "load", "notes"} <= set(p)


def test_red_flag_gives_referral_json(runner):
    result = runner.invoke(main, BASE + ["--red-flag", "saddle-numbness", "--format", "json"])
    assert result.exit_code == 0
    plan = json.loads(result.stdout)
    assert plan["referral"]["urgency"] == "emergency" and plan["weeks"] == []


def test_same_request_twice_same_bytes(runner):
    a = runner.invoke(main, BASE + ["--format", "json"]).stdout_bytes
    b = runner.invoke(main, BASE + ["--format", "json"]).stdout_bytes
    assert a == b and len(a) > 1000


def test_text_format_reads_week_by_week(runner):
    result = runner.invoke(main, BASE + ["--name", "Ann", "--format", "text"])
    assert result.exit_code == 0
    assert "Week 1" in result.stdout and "Checkpoint" in result.stdout and "Ann" in result.stdout


def test_output_file_is_written_atomically(runner, tmp_path):
    out = tmp_path / "plan.json"
    result = runner.invoke(main, BASE + ["-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["diagnosis"]["id"] == "hamstring-strain"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]


def test_output_into_missing_folder_is_bad_input(runner, tmp_path):
    _bad(runner.invoke(main, BASE + ["-o", str(tmp_path / "nope" / "plan.json")]), "-o/--output", "does not exist")


def test_protocols_list_and_show(runner):
    result = runner.invoke(main, ["protocols"])
    assert result.exit_code == 0
    for d in ("hamstring-strain", "prevention", "doms"):
        assert d in result.output
    shown = runner.invoke(main, ["protocols", "show", "hamstring-strain"])
    assert shown.exit_code == 0 and "[ ]" in shown.output
    # the words for a runner without the kit, under the words they replace
    assert "easy cycling or brisk walking at a pace where you can talk freely.\n    without bike: No running yet; brisk walking" in shown.output
    assert "exercise bike is pain-free.\n      without bike: Five minutes on an exercise bike is pain-free (use one at a gym" in shown.output
    # and a box about runs with what a runner who does not run ticks instead
    assert "[ ] Running at full speed is pain-free.\n      not running (home-test): Walking as fast as you can" in shown.output
    _bad(runner.invoke(main, ["protocols", "show", "hamstring"]), "did you mean 'hamstring-strain'")
    # a phase's own entry dose in a runner's words, not as a Python dict
    tendon = runner.invoke(main, ["protocols", "show", "distal-tendinopathy"]).output
    assert "  - Isometric heel press (isometric-heel-press): 1 x 5, hold 45 s, 7 days a week\n" in tendon
    assert "  - Single-leg bridge (single-leg-bridge): 2 x 6\n" in tendon and "{'sets'" not in tendon


def test_python_dash_m_works():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "hamrehab", "--help"], capture_output=True, text=True, check=True)
    assert "plan" in out.stdout and "exercises" in out.stdout
