import time

import pytest

from hamrehab.yamlsource import MAX_EXPANDED, parse_yaml, read_yaml


def test_keeps_the_line_of_every_key_and_item():
    doc, problems = parse_yaml("a: 1\nb:\n  - x\n  - {c: 2}\n", "f.yaml")
    assert problems == []
    assert doc.data == {"a": 1, "b": ["x", {"c": 2}]}
    assert doc.line_of(("b", 1, "c")) == 4
    assert doc.line_of(("b", 0)) == 3
    assert doc.line_of(("b", 1, "missing")) == 4  # falls back to the deepest part that exists


def test_duplicate_keys_are_errors_with_both_lines():
    doc, problems = parse_yaml("name: a\nsteps: []\nname: b\n", "f.yaml")
    assert doc is None
    assert len(problems) == 1
    assert problems[0].line == 3 and "line 1" in problems[0].message and problems[0].field == "name"


def test_nested_duplicates_are_found_too():
    _, problems = parse_yaml("dosage:\n  sets: 1\n  sets: 2\n", "f.yaml")
    assert [(p.line, p.field) for p in problems] == [(3, "dosage.sets")]


def test_syntax_error_names_the_line():
    _, problems = parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "f.yaml")
    assert problems and problems[0].line in (2, 3) and "syntax" in problems[0].message


def test_safe_load_semantics_no_python_objects():
    _, problems = parse_yaml("a: !!python/object/apply:os.system ['echo hi']\n", "f.yaml")
    assert problems and "YAML" in problems[0].message


def test_tagged_scalars_read_as_safe_load_reads_them_and_unknown_tags_are_refused():
    doc, problems = parse_yaml("a: !!float 1\nb: !!str 2\n", "f.yaml")
    assert problems == [] and doc.data == {"a": 1.0, "b": "2"}
    for text, tag in (("a: !thing x\n", "'!thing'"), ("a: !!python/name:os.system x\n", "python/name:os.system")):
        doc, problems = parse_yaml(text, "f.yaml")
        assert doc is None and [(p.line, p.field) for p in problems] == [(1, "")]
        assert "could not determine a constructor" in problems[0].message and tag in problems[0].message


def test_empty_file_and_non_utf8(tmp_path):
    (tmp_path / "e.yaml").write_text("", encoding="utf-8")
    (tmp_path / "b.yaml").write_bytes(b"name: \xff\xfe\n")
    assert "empty" in read_yaml(tmp_path / "e.yaml")[1][0].message
    assert "UTF-8" in read_yaml(tmp_path / "b.yaml")[1][0].message


@pytest.mark.parametrize("text,line", [
    ("a: &x [1, *x]\n", 1),                    # a list that contains itself
    ("name: n\nb: &y {c: *y}\n", 2),           # a mapping that contains itself, on the second line
    ("a: &x\n  - 1\n  - [2, *x]\n", 1),        # the loop closed one level down: the line of its anchor
])
def test_alias_loops_are_refused_at_once_naming_the_line(text, line):
    started = time.perf_counter()
    doc, problems = parse_yaml(text, "f.yaml")
    assert time.perf_counter() - started < 5.0  # a guard against the blow-up (minutes), not a speed target
    assert doc is None
    assert [(p.file, p.line) for p in problems] == [("f.yaml", line)]
    assert "aliases (&, *)" in problems[0].message and f"more than {MAX_EXPANDED:,}" in problems[0].message


def test_aliases_that_do_not_loop_are_read_as_safe_load_reads_them():
    doc, problems = parse_yaml("a: &x [1, {b: 2}]\nc: *x\n", "f.yaml")
    assert problems == [] and doc.data == {"a": [1, {"b": 2}], "c": [1, {"b": 2}]}
    assert doc.data["a"] is doc.data["c"]  # one object, as yaml.safe_load gives


# Plain scalars of every implicit type YAML 1.1 knows, and near misses of each.
SCALARS = ["0", "7", "012", "0o14", "0x1F", "-3", "+4", "1_000", "1:30", "190:20:30", "٣", "²", "3.5", "1e3", ".inf", "-.Inf",
           ".nan", "1_0.5", "yes", "No", "on", "OFF", "true", "False", "~", "null", "Null", "", "2026-03-02",
           "2026-03-02 10:00:00", "2026-3-2", "=", "<<x", "sets", "none", "007", "0_1", "1__2", "9" * 30]


@pytest.mark.parametrize("scalar", SCALARS)
def test_every_plain_scalar_reads_as_safe_load_reads_it_whether_its_tag_is_remembered_or_not(scalar):
    import yaml

    from hamrehab import yamlsource

    text = f"a: {scalar}\nb: [{scalar}, x]\nc: '{scalar}'\n"
    yamlsource._Base._plain.clear()
    cold, _ = parse_yaml(text, "f.yaml")
    warm, _ = parse_yaml(text, "f.yaml")  # the tag now comes from the remembered ones
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:  # "=" has a tag safe_load has no constructor for; "[, x]" is not YAML
        assert cold is None and warm is None
        return
    assert cold is not None and warm is not None
    for doc in (cold, warm):
        assert doc.data == expected
        assert [type(v) for v in (doc.data["a"], *doc.data["b"])] == [type(v) for v in (expected["a"], *expected["b"])]
    assert scalar in yamlsource._Base._plain or scalar == ""


def test_remembered_tags_are_bounded(monkeypatch):
    from hamrehab import yamlsource

    monkeypatch.setattr(yamlsource, "MAX_REMEMBERED", 3)
    yamlsource._Base._plain.clear()
    doc, _ = parse_yaml("[" + ", ".join(str(i) for i in range(10, 30)) + "]", "f.yaml")
    assert doc is not None and doc.data == list(range(10, 30))
    assert len(yamlsource._Base._plain) == 3
