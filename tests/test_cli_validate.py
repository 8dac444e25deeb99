"""`hamrehab validate`: every kind of broken file gives exit 2 and a message with file and line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from hamrehab.cli import main

from .conftest import write

ROOT = Path(__file__).resolve().parent.parent


def _validate(runner, *folders):
    args = ["validate"]
    for f in folders:
        args += ["--catalogue", str(f)]
    return runner.invoke(main, args)


def _assert_bad(result, path, line, *words):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path}:{line}:" in result.output, result.output
    for w in words:
        assert w in result.output, result.output


BROKEN = [
    # (case, old text, new text, line, words in the message)
    ("bad YAML syntax", "targets: [glutes]", "targets: [glutes", 5, ["syntax", "started on line 4"]),
    ("duplicate key", "per_side: false", "per_side: false\nper_side: true", 8, ["duplicate key 'per_side'", "line 7"]),
    ("missing field", "summary: A bridge used only by the tests.\n", "", 1, ["summary", "missing"]),
    ("wrong type", "per_side: false", "per_side: sometimes", 7, ["per_side", "true or false"]),
    ("wrong type in dosage", "  sets: 2\n", "  sets: two\n", 15, ["dosage.sets", "whole number"]),
    ("negative dosage", "  reps: 10\n", "  reps: -4\n", 16, ["dosage.reps", "more than 0"]),
    ("over-limit dosage", "  reps: 10\n", "  reps: 20\n", 16, ["dosage.reps", "outside", "[5, 12]"]),
    ("unknown equipment", "equipment: [none]", "equipment: [dumbell]", 5, ["equipment.0", "did you mean 'dumbbell'"]),
    ("dangling easier id", "per_side: false", "per_side: false\neasier: [glute-brige]", 8, ["easier.0", "no exercise 'glute-brige'"]),
    ("dangling harder id", "per_side: false", "per_side: false\nharder: [no-such-thing]", 8, ["harder.0", "no exercise 'no-such-thing'"]),
    ("unknown diagnosis in a contraindication", "  - diagnoses: [doms]", "  - diagnoses: [hamstring-strian]", 21,
     ["contraindications.0.diagnoses.0", "did you mean 'hamstring-strain'"]),
    ("unknown field", "per_side: false", "per_side: false\nper_sied: true", 8, ["per_sied", "unknown field"]),
    ("unknown source", "sources: [S1]", "sources: [S9]", 30, ["sources.0", "unknown source 'S9'"]),
    ("empty list of steps", "steps:\n  - Lie on your back.\n  - Lift your hips.\n", "steps: []\n", 8, ["steps", "at least 2"]),
]


@pytest.mark.parametrize("case,old,new,line,words", BROKEN, ids=[b[0] for b in BROKEN])
def test_each_broken_file_gives_exit_2_with_file_and_line(runner, tmp_path, valid_text, case, old, new, line, words):
    assert old in valid_text
    path = write(tmp_path / "mine", "my-bridge.yaml", valid_text.replace(old, new, 1))
    _assert_bad(_validate(runner, tmp_path / "mine"), path, line, *words)


def test_the_valid_fixture_is_valid(runner, tmp_path, valid_text, catalogue):
    write(tmp_path / "mine", "my-bridge.yaml", valid_text)
    result = _validate(runner, tmp_path / "mine")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok: {len(catalogue.exercises) + 1} exercises,")  # the shipped ones and this one


def test_same_id_in_two_user_folders(runner, tmp_path, valid_text):
    write(tmp_path / "a", "my-bridge.yaml", valid_text)
    second = write(tmp_path / "b", "my-bridge.yaml", valid_text)
    result = _validate(runner, tmp_path / "a", tmp_path / "b")
    _assert_bad(result, second, 1, "'my-bridge' is also defined in", str(tmp_path / "a" / "my-bridge.yaml"))


def test_overriding_a_builtin_is_announced_not_refused(runner, tmp_path, valid_text):
    write(tmp_path / "mine", "chair-bridge.yaml", valid_text)
    result = _validate(runner, tmp_path / "mine")
    assert result.exit_code == 0, result.output
    assert "replaces the built-in exercise 'chair-bridge'" in result.output


def test_three_broken_files_reported_in_one_run(runner, tmp_path, valid_text):
    folder = tmp_path / "mine"
    a = write(folder, "a-one.yaml", valid_text.replace("targets: [glutes]", "targets: [glutes"))
    b = write(folder, "b-two.yaml", valid_text.replace("  reps: 10\n", "  reps: 99\n"))
    c = write(folder, "c-three.yaml", valid_text.replace("equipment: [none]", "equipment: [rowing-machine]"))
    result = _validate(runner, folder)
    assert result.exit_code == 2
    for path, line in ((a, 5), (b, 16), (c, 5)):
        assert f"{path}:{line}:" in result.output, result.output
    assert "3 problem(s) in 3 file(s)" in result.output


def test_several_problems_in_one_file_all_reported(runner, tmp_path, valid_text):
    text = valid_text.replace("per_side: false", "per_side: maybe").replace("equipment: [none]", "equipment: [rope]")
    path = write(tmp_path / "mine", "my-bridge.yaml", text)
    result = _validate(runner, tmp_path / "mine")
    assert f"{path}:5:" in result.output and f"{path}:7:" in result.output


def test_harder_loop_is_refused(runner, tmp_path, valid_text):
    folder = tmp_path / "mine"
    write(folder, "loop-a.yaml", valid_text.replace("per_side: false", "per_side: false\nharder: [loop-b]"))
    write(folder, "loop-b.yaml", valid_text.replace("per_side: false", "per_side: false\nharder: [loop-a]"))
    result = _validate(runner, folder)
    assert result.exit_code == 2
    assert "loop" in result.output and "loop-a -> loop-b -> loop-a" in result.output


def test_id_field_must_match_the_file_name(runner, tmp_path, valid_text):
    path = write(tmp_path / "mine", "my-bridge.yaml", "id: other-name\n" + valid_text)
    _assert_bad(_validate(runner, tmp_path / "mine"), path, 1, "differs from the file name")


def test_bad_file_name_is_reported(runner, tmp_path, valid_text):
    path = write(tmp_path / "mine", "My Bridge.yaml", valid_text)
    _assert_bad(_validate(runner, tmp_path / "mine"), path, 1, "not a valid id")


def test_a_list_instead_of_a_mapping(runner, tmp_path):
    path = write(tmp_path / "mine", "odd.yaml", "- just\n- a list\n")
    _assert_bad(_validate(runner, tmp_path / "mine"), path, 1, "expected a mapping")


def test_missing_folder_is_bad_input(runner, tmp_path):
    result = _validate(runner, tmp_path / "nope")
    assert result.exit_code == 2 and "not a folder" in result.output


def test_shipped_catalogue_validates(runner, catalogue):
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    # every shipped file was read: the counts are the folders' files (an exercise per file but references.yaml)
    exercises = [p for p in (ROOT / "exercises").glob("*.yaml") if p.name != "references.yaml"]
    assert len(catalogue.exercises) == len(exercises) and len(catalogue.protocols) == len(list((ROOT / "protocols").glob("*.yaml")))
    assert result.output == (f"ok: {len(catalogue.exercises)} exercises, {len(catalogue.protocols)} protocols, "
                             f"{len(catalogue.references)} sources\n")


def test_shipped_catalogue_lists_at_least_40_as_json(runner):
    result = runner.invoke(main, ["exercises", "--format", "json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert len(entries) >= 40
    assert all(e["sources"] and e["steps"] and e["figure"]["start"] for e in entries)


def _user_protocol(tmp_path, old, new):
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "protocols" / "doms.yaml").read_text(encoding="utf-8")
    assert old in text
    folder = tmp_path / "protocols"
    folder.mkdir()
    path = folder / "doms.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder, path


def test_user_protocol_with_a_contraindicated_exercise_is_refused(runner, tmp_path):
    folder, path = _user_protocol(tmp_path, "      - exercise: walking\n", "      - exercise: nordic-curl\n")
    result = runner.invoke(main, ["validate", "--protocols", str(folder)])
    assert result.exit_code == 2
    line = path.read_text(encoding="utf-8").splitlines().index("      - exercise: nordic-curl") + 1
    assert f"{path}:{line}:" in result.output and "contraindicated for doms" in result.output


def test_user_protocol_dose_outside_the_exercise_limits(runner, tmp_path):
    folder, path = _user_protocol(tmp_path, "        dose: {days_per_week: 4}\n", "        dose: {days_per_week: 4, sets: 40}\n")
    result = runner.invoke(main, ["validate", "--protocols", str(folder)])
    assert result.exit_code == 2 and "sets 40 is outside" in result.output and f"{path}:" in result.output


def test_user_protocol_replaces_the_builtin_with_a_notice(runner, tmp_path):
    folder, _ = _user_protocol(tmp_path, "name:", "name:")
    result = runner.invoke(main, ["validate", "--protocols", str(folder)])
    assert result.exit_code == 0 and "replaces the built-in protocol 'doms'" in result.output


def test_user_protocol_pain_limit_above_the_traffic_light_is_refused(runner, tmp_path):
    """A phase may not allow more pain than the rules' amber top (rules/planning.yaml)."""
    folder, path = _user_protocol(tmp_path, "      during_max: 3\n", "      during_max: 6\n")
    result = runner.invoke(main, ["validate", "--protocols", str(folder)])
    line = path.read_text(encoding="utf-8").splitlines().index("      during_max: 6") + 1
    assert result.exit_code == 2 and f"{path}:{line}: phases.0.pain_rules.during_max" in result.output
    assert "amber top (5/10" in result.output
