"""Issue 10's findings outside batch, one test each (batch's are in tests/test_batch*.py; fonts in
tests/test_fonts.py; layout bounds in tests/test_bounds.py; every reader fuzzed in tests/test_fuzz_readers.py)."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

import hamrehab
from hamrehab.catalogue import load_catalogue
from hamrehab.cli import main
from hamrehab.exceptions import HamrehabError, InputError
from hamrehab.model import PlanRequest

ROOT = Path(__file__).resolve().parent.parent
START = dt.date(2026, 3, 2)
BOMB = "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9) if p else ', '.join(['lol'] * 9)}]\n"
               for p, c in zip([""] + list("abcdefgh"), "abcdefghi"))


def _quick(args, **kw):
    """Run the CLI in a subprocess with a deadline: a hang is a failure, not a stuck CI."""
    return subprocess.run([sys.executable, "-m", "hamrehab", *args], capture_output=True, text=True, timeout=30, **kw)


# ------------------------------------------------------------------ high
@pytest.mark.parametrize("reader", ["--request", "--clinic", "answers", "catalogue", "protocols", "roster"])
def test_yaml_alias_bomb_is_refused_by_every_reader(reader, tmp_path):
    """Finding 1: a 377-byte "billion laughs" grew to 1.2 GB; now a one-line error, in bounded memory."""
    assert len(BOMB.encode()) < 400
    folder = tmp_path / "folder"
    folder.mkdir()
    bomb = folder / ("doms.yaml" if reader == "protocols" else "bomb.yaml")
    bomb.write_text(BOMB, encoding="utf-8")
    args = {
        "--request": ["plan", "--request", str(bomb), "-o", "-"],
        "--clinic": ["plan", "--diagnosis", "doms", "--clinic", str(bomb), "-o", "-"],
        "answers": ["triage", "--answers", str(bomb)],
        "catalogue": ["validate", "--catalogue", str(folder)],
        "protocols": ["validate", "--protocols", str(folder)],
        "roster": ["batch", str(bomb), "--out", str(tmp_path / "out"), "--jobs", "1"],
    }[reader]
    t0 = time.perf_counter()
    result = _quick(args)
    assert time.perf_counter() - t0 < 10
    assert result.returncode == 2, result.stderr
    assert "too many values once its aliases" in result.stderr and "Traceback" not in result.stderr


def test_yaml_aliases_are_built_once_not_copied():
    from hamrehab.yamlsource import parse_yaml

    doc, problems = parse_yaml("a: &a [1, 2]\nb: *a\nc: *a\n", "x.yaml")
    assert not problems and doc.data["b"] is doc.data["a"] is doc.data["c"]


def test_output_onto_a_fifo_or_folder_is_refused_not_replaced(tmp_path, runner):
    """Finding 2: `-o /dev/null` as root replaced the device with a file; a FIFO and a folder stand in for it here."""
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    result = _quick(["plan", "--diagnosis", "doms", "-o", str(fifo)])
    assert result.returncode == 2 and "is not a regular file" in result.stderr
    assert fifo.is_fifo()
    folder = tmp_path / "plan.pdf"
    folder.mkdir()
    result = runner.invoke(main, ["plan", "--diagnosis", "doms", "-o", str(folder)])
    assert result.exit_code == 2 and "is a folder" in result.output and folder.is_dir()


# ------------------------------------------------------------------ medium
@pytest.mark.parametrize("target,reason", [("x" * 300 + ".pdf", "too long"), ("/proc/hamrehab-test/plan.pdf", "does not exist")])
def test_unwritable_output_is_one_line_not_a_traceback(tmp_path, runner, target, reason):
    """Finding 3: a name too long or a path under /proc raised a raw OSError."""
    path = target if target.startswith("/") else str(tmp_path / target)
    result = runner.invoke(main, ["plan", "--diagnosis", "doms", "-o", path])
    assert result.exit_code == 2 and reason in result.output and "Traceback" not in result.output
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
def test_read_only_folder_is_refused(tmp_path, runner):
    tmp_path.chmod(0o500)
    try:
        result = runner.invoke(main, ["plan", "--diagnosis", "doms", "-o", str(tmp_path / "p.pdf")])
    finally:
        tmp_path.chmod(0o700)
    assert result.exit_code == 2 and "permission denied" in result.output


@pytest.mark.parametrize("fmt", ["pdf", "json", "text", "ics"])
def test_start_date_near_the_end_of_time_is_refused(runner, fmt):
    """Finding 4: --start 9999-12-25 overflowed in every format."""
    result = runner.invoke(main, ["plan", "--diagnosis", "doms", "--start", "9999-12-25", "--format", fmt, "-o", "-"])
    assert result.exit_code == 2 and "outside the dates a plan can cover" in result.output
    with pytest.raises(InputError, match="outside the dates"):
        hamrehab.make_request({"diagnosis": "doms", "start": "9999-12-25"})


def test_protocol_with_a_billion_weeks_is_refused_by_validate(tmp_path, runner):
    """Finding 4: `weeks: [1, 1000000000]` passed validate, then planning ran 20 s and overflowed."""
    text = (ROOT / "protocols" / "doms.yaml").read_text(encoding="utf-8").replace("weeks: [1, 1]", "weeks: [1, 1000000000]", 1)
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "doms.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["validate", "--protocols", str(folder)])
    assert result.exit_code == 2 and "weeks" in result.output and "at most 52" in result.output


def _clinic(tmp_path: Path, logo_bytes: bytes) -> Path:
    (tmp_path / "logo.png").write_bytes(logo_bytes)
    (tmp_path / "clinic.yaml").write_text("name: Riverside\nlogo: logo.png\n", encoding="utf-8")
    return tmp_path / "clinic.yaml"


def test_truncated_logo_is_refused_at_load(tmp_path, runner):
    """Finding 8: a truncated PNG passed the header check and crashed every render."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (300, 200), "teal").save(buf, format="PNG")
    clinic = _clinic(tmp_path, buf.getvalue()[: len(buf.getvalue()) // 2])
    result = runner.invoke(main, ["plan", "--diagnosis", "doms", "--clinic", str(clinic), "-o", str(tmp_path / "p.pdf")])
    assert result.exit_code == 2 and "clinic.yaml:2: logo" in result.output and "damaged or cut short" in result.output
    assert not (tmp_path / "p.pdf").exists()


def test_giant_logo_is_refused_before_it_is_decoded(tmp_path, runner):
    """Finding 8: a 12000 x 12000 PNG cost ~1.4 GB and 4 s per PDF."""
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buf, format="PNG")
    clinic = _clinic(tmp_path, buf.getvalue())
    tracemalloc.start()
    result = runner.invoke(main, ["plan", "--diagnosis", "doms", "--clinic", str(clinic), "-o", str(tmp_path / "p.pdf")])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert result.exit_code == 2 and "12000 x 12000 pixels" in result.output
    assert peak < 100 * 1024 * 1024


def test_text_too_long_to_lay_out_is_refused_by_validation(tmp_path, runner):
    """Finding 9: a 5,000-line address and a 60,000-character step validated, then ReportLab failed."""
    (tmp_path / "clinic.yaml").write_text("name: R\naddress:\n" + "".join(f"  - line {i}\n" for i in range(5000)), encoding="utf-8")
    result = runner.invoke(main, ["plan", "--diagnosis", "doms", "--clinic", str(tmp_path / "clinic.yaml"), "-o", "-"])
    assert result.exit_code == 2 and "clinic.yaml:2: address: is too long" in result.output
    ex = yaml.safe_load((ROOT / "exercises" / "chair-bridge.yaml").read_text(encoding="utf-8"))
    ex["steps"][0] = "x" * 60000
    folder = tmp_path / "ex"
    folder.mkdir()
    (folder / "chair-bridge.yaml").write_text(yaml.safe_dump(ex), encoding="utf-8")
    result = runner.invoke(main, ["validate", "--catalogue", str(folder)])
    assert result.exit_code == 2 and "steps.0: is too long" in result.output


@pytest.mark.parametrize("flag", ["--request", "--clinic"])
def test_fifo_or_device_as_input_is_refused_at_once(tmp_path, flag):
    """Finding 10: a FIFO hung; /dev/zero was read until killed for memory."""
    fifo = tmp_path / "in.yaml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        args = ["plan", "--diagnosis", "doms", flag, str(path), "-o", "-"]
        result = _quick(args)
        assert result.returncode == 2 and "not a regular file" in result.stderr


@pytest.mark.parametrize("call,message", [
    (lambda c, p: hamrehab.build_plan(None, c), "build_plan: request: got NoneType"),
    (lambda c, p: hamrehab.build_plan(p.request, "catalogue"), "build_plan: catalogue: got str"),
    (lambda c, p: hamrehab.render_pdf(p, page_size="a3"), "page_size: got 'a3'; accepted: a4, letter"),
    (lambda c, p: hamrehab.render_pdf(p, large_print="yes"), "large_print: got str"),
    (lambda c, p: hamrehab.render_json(None), "render_json: plan: got NoneType"),
    (lambda c, p: hamrehab.render_text("plan"), "render_text: plan: got str"),
    (lambda c, p: hamrehab.render_ics(1), "render_ics: plan: got int"),
    (lambda c, p: hamrehab.load_catalogue(5), "catalogues: got int"),
    (lambda c, p: hamrehab.make_request(["diagnosis"]), "make_request: got list"),
])
def test_python_api_wrong_types_raise_the_projects_own_errors(catalogue, call, message):
    """Finding 11: None, a string for a list or page_size='a3' raised raw TypeError/KeyError."""
    plan = hamrehab.build_plan(PlanRequest(diagnosis="doms", start=START), catalogue)
    with pytest.raises(HamrehabError) as exc:
        call(catalogue, plan)
    assert message in str(exc.value)


def test_python_api_takes_one_folder_as_a_plain_string():
    catalogue = hamrehab.load_catalogue(str(ROOT / "exercises"))
    assert "chair-bridge" in catalogue.exercises


# ------------------------------------------------------------------ low
def test_request_file_errors_name_the_file_and_line(tmp_path, runner):
    path = tmp_path / "request.yaml"
    path.write_text("diagnosis: hamstring-strain\ngrade: 2\npain: 12\n", encoding="utf-8")
    result = runner.invoke(main, ["plan", "--request", str(path), "-o", "-"])
    assert result.exit_code == 2 and f"{path}:3: pain:" in result.output and "--pain" not in result.output


def test_a_megabyte_bad_value_is_not_echoed_whole(runner):
    result = runner.invoke(main, ["plan", "--diagnosis", "x" * 1_000_000, "-o", "-"])
    assert result.exit_code == 2 and len(result.output) < 1000 and "1,000,000 characters" in result.output


def test_terminal_escapes_in_a_name_are_shown_not_run(runner):
    result = runner.invoke(main, ["plan", "--diagnosis", "doms", "--name", "Sam\x1b[2J\x1b[31mRed", "--format", "text", "-o", "-"])
    assert result.exit_code == 0 and "\x1b" not in result.output and "Sam?[2J?[31mRed" in result.output


@pytest.mark.parametrize("value", ["maybe", "perhaps", "2"])
def test_clinician_cleared_must_be_yes_or_no(value):
    with pytest.raises(InputError, match="is not yes or no"):
        hamrehab.make_request({"diagnosis": "hamstring-strain", "grade": 3, "clinician_cleared": value}, today=START)


def test_a_1500_long_harder_chain_validates_without_recursion_error(tmp_path):
    base = yaml.safe_load((ROOT / "exercises" / "glute-bridge.yaml").read_text(encoding="utf-8"))
    base.update(easier=[], substitutes=[], harder=["NEXT"])
    text = yaml.safe_dump(base)  # dumped once: each file differs only in the exercise it leads to
    assert text.count("NEXT") == 1
    for i in range(1500):
        (tmp_path / f"chain-{i}.yaml").write_text(text.replace("NEXT", f"chain-{(i + 1) % 1500}"), encoding="utf-8")
    shutil.copy(ROOT / "exercises" / "references.yaml", tmp_path)  # the sources resolve: the loop is the only problem
    with pytest.raises(HamrehabError, match="goes round in a loop") as caught:
        load_catalogue([tmp_path], builtin=False)
    problem, = [line for line in str(caught.value).splitlines() if line.startswith(str(tmp_path))]  # one in the folder
    assert " -> ".join(f"chain-{i}" for i in (*range(1500), 0)) in problem


def test_closed_standard_output_is_not_a_traceback():
    proc = subprocess.Popen([sys.executable, "-m", "hamrehab", "plan", "--diagnosis", "prevention", "--format", "text", "-o", "-"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader went away before a byte was read
    _, err = proc.communicate(timeout=30)
    assert proc.returncode in (1, 2) and b"Traceback" not in err
    full = subprocess.run([sys.executable, "-m", "hamrehab", "plan", "--diagnosis", "prevention", "-o", "/dev/full", "--format", "json"],
                          capture_output=True, text=True, timeout=30)
    assert full.returncode == 2 and "Traceback" not in full.stderr


@pytest.mark.parametrize("kwargs,message", [
    (dict(formats=5), "--format: got int"),
    (dict(formats=["pdf", "docx"]), "--format: got 'docx'"),
    (dict(jobs=10**6), "--jobs: got 1000000"),
    (dict(jobs="2"), "--jobs: got str"),
    (dict(page_size="a3"), "page_size: got 'a3'"),
    (dict(clinic="clinic.yaml"), "clinic: got str"),
])
def test_generate_batch_checks_its_arguments(tmp_path, kwargs, message):
    """Finding 11: formats='pdf' read letter by letter, jobs=10**6 started a process per job."""
    roster = tmp_path / "r.csv"
    roster.write_text("diagnosis,patient_id\ndoms,A1\n", encoding="utf-8")
    with pytest.raises(HamrehabError) as exc:
        hamrehab.generate_batch(roster, tmp_path / "out", **kwargs)
    assert message in str(exc.value)
    assert not (tmp_path / "out").exists()


def test_generate_batch_reads_a_comma_list_of_formats(tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("diagnosis,patient_id\ndoms,A1\n", encoding="utf-8")
    summary = hamrehab.generate_batch(str(roster), str(tmp_path / "out"), formats="json,ics", jobs=1)
    assert summary.written == 1 and {p.name for p in (tmp_path / "out").iterdir()} >= {"A1.json", "A1.ics"}
