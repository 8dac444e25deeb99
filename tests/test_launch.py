"""The console script: a one-shot command runs without the cyclic garbage collector and leaves without the
interpreter's teardown, with the same output and exit code; anything else (batch, serve, triage, --version,
other threads) runs and exits the ordinary way."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from hamrehab.cli import main as real_main
from hamrehab.launch import ONE_SHOT, command_of

PLAN = ["plan", "--diagnosis", "hamstring-strain", "--grade", "2", "--start", "2026-03-02"]
# Runs hamrehab.launch.run() with an atexit handler that says whether Python's ordinary shutdown ran.
PROBE = ("import atexit, sys, threading, time\n"
         "atexit.register(lambda: print('ordinary exit', file=sys.stderr))\n"
         "if sys.argv[1] == 'thread':\n"
         "    sys.argv.pop(1)\n"
         "    threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
         "from hamrehab.launch import run\n"
         "run()\n")


def _probe(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)


def test_the_command_is_the_first_word_that_is_not_an_option():
    assert command_of(["plan", "--diagnosis", "doms"]) == "plan"
    assert command_of(["--version"]) == "" and command_of([]) == ""
    assert command_of(["-h", "exercises"]) == "exercises"
    assert {"plan", "exercises", "validate"} <= ONE_SHOT and not {"batch", "serve", "triage"} & ONE_SHOT


@pytest.mark.parametrize("args,code", [(["exercises", "--format", "json"], 0), (["plan", "--diagnosis", "nope"], 2)])
def test_a_one_shot_command_skips_the_teardown_and_keeps_its_output_and_exit_code(args, code):
    done = _probe(*args)
    assert done.returncode == code, done.stderr
    assert "ordinary exit" not in done.stderr  # left with os._exit, after flushing
    if code == 0:
        assert len(json.loads(done.stdout)) > 40  # the whole listing, flushed
    else:
        assert done.stderr.startswith("error: --diagnosis: 'nope' is not known")


@pytest.mark.parametrize("args", [["--version"], ["thread", "exercises"]], ids=["no command", "another thread running"])
def test_anything_else_exits_the_ordinary_way(args):
    done = _probe(*args)
    assert done.returncode == 0 and "ordinary exit" in done.stderr


def test_a_plan_written_by_the_script_is_whole_and_the_same_as_in_process(tmp_path, runner):
    from hamrehab.cli import main

    out = tmp_path / "plan.json"
    done = subprocess.run([sys.executable, "-m", "hamrehab", *PLAN, "--format", "json", "-o", str(out)],
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == runner.invoke(main, [*PLAN, "--format", "json", "-o", "-"]).stdout_bytes


class _Left(Exception):
    """Raised in place of os._exit, so the quick exit can be watched in this process."""


PLUGINS_DURING: list[str | None] = []  # PYDANTIC_DISABLE_PLUGINS while the command ran
GC_DURING: list[bool] = []  # whether the collector was on while the command ran, by a probe in the command


def _run_in_process(monkeypatch, argv: list[str]) -> tuple[str, int]:
    import gc

    import hamrehab.cli
    import hamrehab.launch as launch

    def quick(code: int) -> None:
        raise _Left(code)

    def main(**kwargs) -> None:
        GC_DURING.append(gc.isenabled())
        PLUGINS_DURING.append(os.environ.get("PYDANTIC_DISABLE_PLUGINS"))
        real_main(**kwargs)

    monkeypatch.setattr(launch.os, "_exit", quick)
    monkeypatch.setattr(hamrehab.cli, "main", main)
    monkeypatch.setattr(launch.threading, "active_count", lambda: 1)  # the test runner's own threads aside
    monkeypatch.setattr(sys, "argv", ["hamrehab", *argv])
    GC_DURING.clear()
    PLUGINS_DURING.clear()
    if "PYDANTIC_DISABLE_PLUGINS" not in os.environ:  # recorded as absent, so whatever launch sets is undone after the test
        monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")
        monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS")
    try:
        launch.run()
    except _Left as left:
        return "quick", left.args[0]
    except SystemExit as exc:
        assert gc.isenabled(), "an ordinary exit turns the collector back on"
        return "ordinary", exc.code if isinstance(exc.code, int) else 0
    finally:
        gc.enable()  # os._exit would have ended the process; this one goes on to other tests
    return "returned", 0


def test_in_process_a_one_shot_command_runs_without_the_collector_and_leaves_quickly_with_its_code(monkeypatch, capsys):
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert _run_in_process(monkeypatch, ["schema", "request"]) == ("quick", 0)
    assert GC_DURING == [False] and PLUGINS_DURING == ["__all__"]  # no search for pydantic plugins either
    assert json.loads(capsys.readouterr().out)["title"]
    assert _run_in_process(monkeypatch, ["plan", "--diagnosis", "nope"]) == ("quick", 2)
    assert GC_DURING == [False]


def test_in_process_anything_else_runs_with_the_collector_and_leaves_the_ordinary_way(monkeypatch, capsys):
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert _run_in_process(monkeypatch, ["--version"]) == ("ordinary", 0)
    assert GC_DURING == [True] and PLUGINS_DURING == [None]  # the user's environment as it was


def test_a_users_own_plugin_setting_is_kept(monkeypatch, capsys):
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "logfire")
    assert _run_in_process(monkeypatch, ["schema", "request"]) == ("quick", 0)
    assert PLUGINS_DURING == ["logfire"]
    assert "hamrehab" in capsys.readouterr().out


def test_a_stream_that_cannot_be_flushed_falls_back_to_the_ordinary_exit(monkeypatch):
    class Broken:
        def write(self, text: str) -> int:
            return len(text)

        def flush(self) -> None:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stderr", Broken())  # `schema` writes nothing there: only the final flush meets it
    assert _run_in_process(monkeypatch, ["schema", "request"]) == ("ordinary", 0)


# Prints the modules a command imported (beyond those the interpreter started with), after running it in a fresh
# process as the console script would.
IMPORTED = ("import contextlib, io, sys\n"
            "before = set(sys.modules)\n"
            "from hamrehab.cli import main\n"
            "with contextlib.redirect_stdout(io.TextIOWrapper(io.BytesIO())):\n"
            "    try:\n"
            "        main(sys.argv[1:], prog_name='hamrehab')\n"
            "    except SystemExit:\n"
            "        pass\n"
            "print(' '.join(sorted(set(sys.modules) - before)))\n")
# Code for writing files, reading and checking YAML, spelling suggestions, the PDF, the browser and triage.
NOT_ON_A_WARM_START = ("tempfile", "difflib", "yaml", "hamrehab.yamlsource", "hamrehab.catalogue.checking",
                       "hamrehab.catalogue.crosscheck", "hamrehab.catalogue.files", "reportlab", "hamrehab.render.pdf",
                       "hamrehab.web", "starlette", "hamrehab.triage")


@pytest.mark.parametrize("args,allowed", [(["exercises"], ()), (["validate"], ()), (["protocols"], ()),
                                          ([*PLAN, "--format", "json", "-o", "-"], ("difflib", "tempfile"))],
                         ids=["exercises", "validate", "protocols", "plan json"])
def test_a_warm_start_loads_only_what_the_command_needs(tmp_path, args, allowed):
    # (click itself imports difflib to parse a short option such as -o: it tries it as a long one first; pydantic's first
    # validation, of the request, imports importlib.metadata to look for plugins, and with it tempfile)
    env = {**os.environ, "HAMREHAB_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("HAMREHAB_NO_CACHE", None)
    cold = subprocess.run([sys.executable, "-c", IMPORTED, *args], capture_output=True, text=True, timeout=60, env=env)
    assert "hamrehab.catalogue.checking" in cold.stdout.split()  # the first run validates the files and fills the cache
    warm = subprocess.run([sys.executable, "-c", IMPORTED, *args], capture_output=True, text=True, timeout=60, env=env)
    loaded = warm.stdout.split()
    assert "hamrehab.catalogue" in loaded
    unneeded = [m for m in loaded if any(m == n or m.startswith(n + ".") for n in NOT_ON_A_WARM_START)]
    assert [m for m in unneeded if m not in allowed] == []
