"""Shared fixtures: a minimal valid exercise to break in many ways, and a CLI runner."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

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


@pytest.fixture(scope="session")
def catalogue():
    from hamrehab.catalogue import load_catalogue

    return load_catalogue()
