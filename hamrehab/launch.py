"""The `hamrehab` console script and `python -m hamrehab`: run one command, then leave at once.

Why not simply return: once a one-shot command (plan, exercises, protocols, validate, schema) has
written its output and closed its files, Python's own shutdown still clears every module and runs a
last garbage collection over the hundreds of thousands of objects pydantic, ReportLab and the catalogue
made: 40-50 ms, a sixth of `hamrehab exercises`, for nothing anyone sees. So after such a command the
standard streams are flushed and the process ends with `os._exit`, with the same exit code.

For the same reason a one-shot command runs with Python's cyclic garbage collector off: in a process
that lives well under a second, the collector's passes over pydantic's and ReportLab's objects (which
are kept to the end anyway) took 10-40 ms and freed nothing that mattered: the peak memory of a
52-week large-print handout is 57 MB either way. Memory is still freed by reference counting as usual.

A one-shot command also tells pydantic not to look for plugins (`PYDANTIC_DISABLE_PLUGINS=__all__`, pydantic's
documented switch, unless the user has set it): on the first validation pydantic otherwise reads the entry
points of every installed package to find plugins, 3-12 ms depending on how many are installed, and
hamrehab's models use none. Long-running commands keep the user's environment as it is.

Commands that keep threads, child processes or a terminal session (batch, serve, triage) end the
ordinary way, as does anything unusual (another thread still running, a stream that cannot be flushed,
an exit status that is not a number). Code that runs commands in-process (the tests, through click's
CliRunner and `cli.main`) never comes here.
"""
from __future__ import annotations

import gc
import os
import sys
import threading

ONE_SHOT = frozenset({"plan", "exercises", "protocols", "validate", "schema"})


def command_of(argv: list[str]) -> str:
    """The subcommand named on the command line ('' when there is none, e.g. --version)."""
    return next((arg for arg in argv if not arg.startswith("-")), "")


def run() -> None:
    """Run the command line's command; a one-shot command runs without the cyclic garbage collector or a
    search for pydantic plugins, and ends without the interpreter's teardown."""
    one_shot = command_of(sys.argv[1:]) in ONE_SHOT
    if one_shot:
        gc.disable()
        os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .cli import main

    code: str | int | None = 0
    try:
        main(prog_name="hamrehab")
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    if isinstance(code, int) and one_shot and threading.active_count() == 1:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed or broken stream: let Python's own exit deal with it
            pass
        else:
            os._exit(code)
    gc.enable()
    sys.exit(code)
