"""Shared fixtures: a minimal valid exercise to break in many ways, a CLI runner, the shipped catalogue
(validated once per session), and the hypothesis profiles.

Hypothesis profiles (chosen with the HYPOTHESIS_PROFILE environment variable):
  default  what `python3 -m pytest` runs: a property test sized with `examples(long, short)` runs `short`;
  long     every property test at its long count (what the suite ran every time before it was made
           faster), e.g. `HYPOTHESIS_PROFILE=long python3 -m pytest tests/test_planner_rules.py
           tests/test_fuzz_readers.py`; run it after changing the planner or a reader.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
settings.register_profile("long", max_examples=1000)  # also for a @given that names no count of its own
settings.load_profile(PROFILE)


def examples(long: int, short: int) -> int:
    """A property test's number of examples: `long` under HYPOTHESIS_PROFILE=long, else `short`.

    Choose `short` so the property still means something at that size (every strategy value can still
    come up); the long count is what a change to that code should be run against."""
    return long if PROFILE == "long" else short


VALID_EXERCISE = """\
name: Test bridge
category: activation
summary: A bridge used only by the tests.
targets: [glutes]
equipment: [none]
position: lying-on-back
per_side: false
steps:
  - Lie on your back.
  - Lift your hips.
cues: [Squeeze first.]
mistakes: [Arching the back.]
dosage:
  kind: reps
  sets: 2
  reps: 10
  limits:
    sets: [1, 3]
    reps: [5, 12]
contraindications:
  - diagnoses: [doms]
    reason: Not for the tests.
figure:
  start:
    trunk: 180
    near: {thigh: 50, shank: -60, foot: 0, upper_arm: 0, forearm: 0}
  end:
    trunk: 200
    near: {thigh: 20, shank: -60, foot: 0, upper_arm: 0, forearm: 0}
sources: [S1]
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def valid_text() -> str:
    return VALID_EXERCISE


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def builtin_entry(path: Path, model: Any) -> Any:
    """A file as the catalogue holds a built-in document (its id from its file name), read and validated with its
    lines kept: a check given it reports problems at their file and line, not notices."""
    from hamrehab.catalogue.files import Entry
    from hamrehab.yamlsource import read_yaml

    doc, problems = read_yaml(path)
    assert doc is not None, problems
    return Entry(model.model_validate({**doc.data, "id": path.stem}), doc, path.parent, True)


@functools.cache
def shipped_catalogue():
    """The built-in catalogue, validated once per test process (read-only, so tests may share it).

    Tests take it as the `catalogue` fixture; the few places that need it while pytest is collecting
    (hypothesis strategies, parametrized ids) call this."""
    from hamrehab.catalogue import load_catalogue

    return load_catalogue()


@pytest.fixture(scope="session")
def catalogue():
    return shipped_catalogue()


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (`--dist loadgroup`, setup.cfg), the tests of a module that share a module-scoped
    fixture (a server, a browser, a corpus of plans, a reference batch) go to one worker, so the fixture is
    built once rather than once per worker. A test that names its own xdist_group keeps it."""
    for item in items:
        if item.get_closest_marker("xdist_group") is not None:
            continue
        info = getattr(item, "_fixtureinfo", None)
        defs = info.name2fixturedefs.values() if info is not None else ()
        if any(d and d[-1].scope == "module" for d in defs):
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))
