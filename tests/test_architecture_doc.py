"""docs/architecture.md cannot drift: it names every module under hamrehab/ and no other, and each
"where to change" answer names exactly one file, which exists.

The module list is read live from the source tree, so adding, moving or deleting a module fails here
until its line in the doc is added, moved or deleted.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
# The questions the doc must answer, each with one file (issue 15): matched at the start of a bullet.
WHERE_TO_CHANGE = ("a pain threshold", "a red flag", "a triage question", "a hold-week rule", "the week page layout",
                   "a drawing's prop")
MODULE = re.compile(r"`(hamrehab/[\w/]+\.py)`")
FILE = re.compile(r"`([\w.-]+(?:/[\w.\[\],-]+)+\.\w+)`")  # a backticked path with a folder and an extension


def _section(title: str) -> str:
    """The text of the `## title` section, up to the next `## `."""
    text = DOC.read_text(encoding="utf-8")
    found = re.search(rf"(?ms)^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", text)
    assert found, f"docs/architecture.md has no '## {title}' section"
    return found.group(1)


def _modules_in_tree() -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in (ROOT / "hamrehab").rglob("*.py") if "__pycache__" not in p.parts}


def _modules_in_doc() -> list[str]:
    """The module of each bullet of the Modules section (the first backticked hamrehab/...py of the line)."""
    named = []
    for line in _section("Modules").splitlines():
        if line.lstrip().startswith("- "):
            found = MODULE.search(line)
            assert found, f"a bullet of the Modules section names no module (`hamrehab/....py`): {line!r}"
            named.append(found.group(1))
    return named


def test_every_module_has_a_line_in_the_doc():
    missing = sorted(_modules_in_tree() - set(_modules_in_doc()))
    assert not missing, f"add a line for each to docs/architecture.md (## Modules), with its job: {missing}"


def test_the_doc_names_no_module_that_does_not_exist():
    named = _modules_in_doc()
    gone = sorted(set(named) - _modules_in_tree())
    assert not gone, f"docs/architecture.md (## Modules) names modules that are gone: remove or rename them: {gone}"
    repeated = sorted({m for m in named if named.count(m) > 1})
    assert not repeated, f"one line per module: listed more than once: {repeated}"
    # Modules named anywhere else in the doc (the data flow, the answers) must exist too.
    elsewhere = set(MODULE.findall(DOC.read_text(encoding="utf-8"))) - _modules_in_tree()
    assert not elsewhere, f"docs/architecture.md names modules that are gone: {sorted(elsewhere)}"


def test_each_module_line_says_its_job():
    for line in _section("Modules").splitlines():
        if line.lstrip().startswith("- "):
            job = MODULE.split(line, maxsplit=1)[-1].strip(" :-—")
            assert len(job.split()) >= 3, f"say what the module does: {line!r}"


def test_each_where_to_change_answer_names_one_file_that_exists():
    bullets = [line.strip()[2:] for line in _section("Where to change").splitlines() if line.strip().startswith("- ")]
    for question in WHERE_TO_CHANGE:
        answers = [b for b in bullets if b.lower().startswith(question)]
        assert len(answers) == 1, f"docs/architecture.md (## Where to change) needs one bullet starting '{question}'"
        files = FILE.findall(answers[0])
        assert len(files) == 1, f"'{question}': name exactly one file (backticked), not {files or 'none'}"
        assert (ROOT / files[0]).is_file(), f"'{question}': {files[0]} does not exist"


def test_the_data_flow_is_described():
    flow = _section("Data flow")
    for step in ("YAML", "model", "planner", "render", "atomic"):
        assert step.lower() in flow.lower(), f"the data flow should mention {step}"
