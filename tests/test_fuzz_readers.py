"""Fuzzing every reader of user files (issue 10): whatever the bytes, hamrehab answers with its own
error or a result; never another exception, never a hang (a per-input time limit) and never a
memory blow-up (a per-input bound on Python allocations).

Readers: a request file (and the plan it asks for), a previous plan's JSON for a follow-up, a CSV roster and a YAML roster (every row made
into a request), a clinic file (with its logo), triage answers (and their assessment), a catalogue
folder and a protocol folder. Inputs: arbitrary text and bytes, YAML-shaped text, and mutations of
real files (lines dropped, doubled or cut, characters inserted, values swapped for odd ones).
Bounded so the suite spends a few seconds here (50 inputs a reader); HYPOTHESIS_PROFILE=long gives each
reader 150 and `HAMREHAB_FUZZ_EXAMPLES=2000` any number.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import signal
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamrehab.batch import read_roster
from hamrehab.catalogue import load_catalogue
from hamrehab.clinic import load_clinic
from hamrehab.exceptions import HamrehabError
from hamrehab.planner import build
from hamrehab.request import make_request, read_request_file
from hamrehab.triage import assess, load_answers

from .conftest import examples, shipped_catalogue

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = int(os.environ.get("HAMREHAB_FUZZ_EXAMPLES", examples(long=150, short=50)))
SECONDS = 10  # per input: a hang guard with room for a loaded CI machine (tracemalloc slows every allocation)
MEMORY = 150 * 1024 * 1024  # bytes of Python allocations per input
TODAY = dt.date(2026, 3, 2)


@functools.cache
def _previous_plan() -> str:
    from hamrehab.model import PlanRequest
    from hamrehab.render.json import render_json

    plan = build(PlanRequest(diagnosis="hamstring-strain", grade=1, weeks=3, start=TODAY, runner_km_per_week=20), shipped_catalogue())
    return render_json(plan).decode("utf-8")


SEEDS = {
    "follow-up": None,  # a previous plan's JSON, made when first fuzzed (_seed)
    "request": "diagnosis: hamstring-strain\ngrade: 2\nside: left\nweeks: 8\nstart: 2026-03-02\nequipment: [chair, towel]\n"
               "pain: 3\nrunner_km_per_week: 30\nweak_glute_side: right\nred_flags: []\nnotes: Easy does it.\n",
    "roster.csv": (ROOT / "examples" / "roster.csv").read_text(encoding="utf-8"),
    "roster.yaml": "- {diagnosis: doms, patient_id: A1, start: 2026-03-02}\n- diagnosis: prevention\n  patient_id: A2\n  weeks: 4\n",
    "clinic": (ROOT / "examples" / "clinic.yaml").read_text(encoding="utf-8"),
    "answers": "onset: sudden-fast-running\nlocation: mid-thigh\npain_now: 3\ndays_since_onset: 10\nwalks_normally: true\n",
    "exercise": (ROOT / "exercises" / "chair-bridge.yaml").read_text(encoding="utf-8"),
    "protocol": (ROOT / "protocols" / "doms.yaml").read_text(encoding="utf-8"),
}
ODD = ["", "~", "null", "-1", "0", "1e309", "9999999999999999999999", "9999-12-31", "2026-02-30", "[]", "{}", "[[[[[[]]]]]]",
       "!!python/object:os.system ls", "*x", "&a [*a]", "\"\\uD800\"", "yes", "ÿ", "\x00", "\u202e", "<b>x</b>", "=HYPERLINK(1)"]


def _limited(call: Callable[[], object]) -> None:
    """Run one reader call: the project's own error or a result is fine; anything else fails the test."""
    def timeout(signum, frame):
        raise TimeoutError(f"no answer within {SECONDS} s")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    tracemalloc.start()
    try:
        call()
    except HamrehabError:
        pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert peak < MEMORY, f"{peak:,} bytes for one input"


def _request(path: Path) -> None:
    data = read_request_file(path)
    build(make_request(data, today=TODAY), shipped_catalogue())


REQUESTED_ROWS = 100  # rows made into requests; a mutation that doubles rows 50 times over makes thousands, all read


def _roster(path: Path) -> None:
    """Every row read; the first REQUESTED_ROWS made into requests (thousands of them under tracemalloc on a loaded
    machine passed the hang guard without any hang: the request reader is fuzzed on its own)."""
    for row, (_row, raw) in enumerate(read_roster(path)):
        if "__error__" in raw or row >= REQUESTED_ROWS:
            continue
        try:
            make_request(raw, today=TODAY)
        except HamrehabError:
            continue


def _follow_up(path: Path) -> None:
    build(make_request({"follow_up": str(path), "checkpoint": "passed", "start": TODAY.isoformat()}), shipped_catalogue())


def _clinic(path: Path) -> None:
    load_clinic(path)


def _answers(path: Path) -> None:
    assess(load_answers(path), shipped_catalogue())


def _exercise(path: Path) -> None:
    load_catalogue([path.parent], builtin=False)  # the user's folder alone: fast, and the same reader


def _protocol(path: Path) -> None:
    load_catalogue(protocols=[path.parent], builtin=False)


READERS: dict[str, tuple[str, Callable[[Path], None]]] = {
    "request": ("request.yaml", _request),
    "follow-up": ("previous.json", _follow_up),
    "roster.csv": ("roster.csv", _roster),
    "roster.yaml": ("roster.yaml", _roster),
    "clinic": ("clinic.yaml", _clinic),
    "answers": ("answers.yaml", _answers),
    "exercise": ("fuzzed.yaml", _exercise),
    "protocol": ("doms.yaml", _protocol),
}


@st.composite
def mutated(draw, seed: str) -> bytes:
    lines = seed.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["drop", "double", "cut", "insert", "swap", "indent"]))
        if how == "drop":
            del lines[i]
        elif how == "double":
            lines.insert(i, lines[i] * draw(st.integers(2, 50)))
        elif how == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif how == "insert":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.text(min_size=1, max_size=20)) + lines[i][pos:]
        elif how == "swap" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(st.sampled_from(ODD))}\n"
        else:
            lines[i] = " " * draw(st.integers(1, 6)) + lines[i]
    text = "".join(lines)
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and data:  # now and then a stray byte that is not UTF-8
        pos = draw(st.integers(0, len(data)))
        data = data[:pos] + draw(st.binary(min_size=1, max_size=3)) + data[pos:]
    return data


def inputs(kind: str):
    yamlish = st.text(alphabet=st.sampled_from(list("abcdz019:-,[]{}&*!|>#'\" \n\t\\%@`?") + ["\u00e9", "\u202e", "\x00"]), max_size=300)
    return st.one_of(
        mutated(_previous_plan() if kind == "follow-up" else SEEDS[kind]),
        yamlish.map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.binary(max_size=300),
    )


@pytest.mark.parametrize("kind", sorted(READERS))
def test_every_reader_answers_any_bytes_with_its_own_error(kind, tmp_path_factory, catalogue):  # loaded before the limits apply
    name, reader = READERS[kind]
    warm = tmp_path_factory.mktemp("warm") / name  # the seed once, unlimited: first-use costs (imports, model schemas) are not the input's
    warm.write_text(_previous_plan() if kind == "follow-up" else SEEDS[kind], encoding="utf-8")
    with contextlib.suppress(HamrehabError):
        reader(warm)

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(inputs(kind))
    def run(data: bytes) -> None:
        folder = tmp_path_factory.mktemp(kind.replace(".", "-"))
        path = folder / name
        path.write_bytes(data)
        _limited(lambda: reader(path))

    run()


@pytest.mark.parametrize("kind", sorted(READERS))
def test_every_reader_refuses_a_fifo_and_a_device_at_once(kind, tmp_path):
    name, reader = READERS[kind]
    fifo = tmp_path / name
    os.mkfifo(fifo)
    with pytest.raises(HamrehabError, match="not a regular file"):
        _raise_through(lambda: reader(fifo))
    link = tmp_path / "link" / name
    link.parent.mkdir()
    link.symlink_to("/dev/zero")
    with pytest.raises(HamrehabError, match="not a regular file"):
        _raise_through(lambda: reader(link))


def _raise_through(call: Callable[[], object]) -> None:
    def timeout(signum, frame):
        raise TimeoutError("a special file was read instead of refused")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        call()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
