"""What a user installs: every package and data folder of the source tree is in the wheel's list, every
runtime dependency is bounded above, the font packages are pinned, and the version is written once.

The wheel itself, installed in a clean venv and used outside the checkout, is scripts/wheel_smoke.py's
job (run by .ci/run after the tests).
"""
from __future__ import annotations

import ast
import configparser
import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement  # pytest's own dependency

import hamrehab

ROOT = Path(__file__).resolve().parent.parent
UPPER = {"<", "<=", "==", "~=", "==="}  # operators that stop at some version
README_TEST_LINE = "python3 -m pip install -e '.[test]' && python3 -m pytest"


def _setup_cfg() -> configparser.ConfigParser:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    return cfg


def _requirements(value: str) -> list[Requirement]:
    return [Requirement(line.strip()) for line in value.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_every_python_package_is_listed_in_setup_cfg():
    listed = {p.strip() for p in _setup_cfg()["options"]["packages"].split() if p.strip()}
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "hamrehab").rglob("__init__.py")}
    assert found <= listed, f"add to setup.cfg [options] packages: {sorted(found - listed)}"
    for folder in ("exercises", "protocols", "rules"):
        assert f"hamrehab.data.{folder}" in listed


def test_every_runtime_dependency_has_an_upper_bound():
    requirements = _requirements(_setup_cfg()["options"]["install_requires"])
    assert len(requirements) >= 10, "install_requires was not read"
    unbounded = [str(r) for r in requirements if not any(s.operator in UPPER for s in r.specifier)]
    assert not unbounded, f"give these an upper bound (below the next major version): {unbounded}"


def test_every_test_tool_has_an_upper_bound():
    requirements = _requirements(_setup_cfg()["options.extras_require"]["test"])
    names = {r.name for r in requirements}
    assert {"ruff", "mypy"} <= names, "the linter and type checker .ci/run calls belong in the test extra"
    unbounded = [str(r) for r in requirements if not any(s.operator in UPPER for s in r.specifier)]
    assert not unbounded, f"give these an upper bound: {unbounded}"


def _font_requirements() -> list[Requirement]:
    requirements = _requirements(_setup_cfg()["options"]["install_requires"])
    return [r for r in requirements if r.name.startswith("fontpkg-") or "fonts" in r.name]


def test_font_packages_are_pinned_to_one_release_line():
    """hamrehab/render/fonts opens files by name inside these packages: another release may rename them."""
    fonts = _font_requirements()
    assert len(fonts) >= 6, "the font packages were not found in install_requires"
    loose = [str(r) for r in fonts if not (len(r.specifier) == 1 and next(iter(r.specifier)).operator == "==")]
    assert not loose, f"pin these with ==X.Y.* (the release line whose file names render/fonts expects): {loose}"


@pytest.mark.parametrize("requirement", _font_requirements(), ids=lambda r: r.name)
def test_the_installed_font_package_is_the_pinned_one(requirement):
    try:
        installed = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        pytest.fail(f"{requirement.name} is not installed: python3 -m pip install -e '.[test]'")
    assert requirement.specifier.contains(installed, prereleases=True), \
        f"{requirement.name} {installed} is installed but setup.cfg pins {requirement.specifier}: reinstall, or move the pin"


def test_the_version_is_written_in_one_place():
    assert _setup_cfg()["metadata"]["version"].strip() == "attr: hamrehab.__version__", \
        "setup.cfg must read the version from hamrehab/__init__.py (version = attr: hamrehab.__version__)"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject.get("project", {}), "pyproject.toml must not give a version too"
    tree = ast.parse((ROOT / "hamrehab" / "__init__.py").read_text(encoding="utf-8"))
    assigned = [node for node in tree.body if isinstance(node, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets)]
    assert len(assigned) == 1 and isinstance(assigned[0].value, ast.Constant), \
        "hamrehab/__init__.py: one `__version__ = \"X.Y.Z\"`, a literal (setuptools reads it without importing)"
    version = assigned[0].value.value
    assert version == hamrehab.__version__
    literal = re.compile(rf"(?<![\w.]){re.escape(version)}(?![\w.])")
    places = [ROOT / "README.md", ROOT / "setup.cfg", ROOT / "pyproject.toml"]
    for folder in ("hamrehab", "docs", "schema", "examples", "scripts", "exercises", "protocols", "rules"):
        places += [p for p in (ROOT / folder).rglob("*") if p.is_file() and p.suffix in {".py", ".md", ".yaml", ".yml",
                                                                                         ".json", ".cfg", ".toml", ".html", ".txt"}]
    copies = sorted(str(p.relative_to(ROOT)) for p in places
                    if p.name != "__init__.py" or p.parent != ROOT / "hamrehab"
                    if literal.search(p.read_text(encoding="utf-8", errors="replace")))
    assert not copies, f"the version {version} is written again in {copies}: read hamrehab.__version__ instead"


def test_the_installed_metadata_and_version_option_show_that_version():
    from click.testing import CliRunner

    from hamrehab.cli import main

    try:
        installed = metadata.version("hamrehab")
    except metadata.PackageNotFoundError:
        pytest.skip("hamrehab is not installed (pip install -e .)")
    assert installed == hamrehab.__version__, "the installed metadata is stale: python3 -m pip install -e '.[test]'"
    shown = CliRunner().invoke(main, ["--version"])
    assert shown.exit_code == 0 and hamrehab.__version__ in shown.output


def test_ci_runs_the_readme_tests_then_the_wheel_smoke_test_lint_and_types():
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert README_TEST_LINE in (ROOT / "README.md").read_text(), "the README's test command changed: update this test"
    assert README_TEST_LINE in lines
    after = lines[lines.index(README_TEST_LINE) + 1:]
    for command in ("python3 scripts/wheel_smoke.py", "python3 -m ruff check hamrehab tests benchmarks scripts",
                    "python3 -m mypy hamrehab"):
        assert any(line.startswith(command) for line in after), f".ci/run must run `{command}` after the tests"
    assert (ROOT / "scripts" / "wheel_smoke.py").is_file()
