"""Throw hostile inputs at the whole CLI and count what happens (issue 10's figures).

Each case runs `python -m hamrehab ...` as its own process with a deadline, in a scratch folder:
bad and hostile files for every reader (requests, clinic files and logos, triage answers,
catalogue and protocol folders, rosters), special files (FIFOs, devices, folders, symlinks),
impossible output targets, odd flag values, and random mutations of real files. It prints:
inputs tried, clean errors (exit 2, every line starting 'error:' or a summary), runs that
worked, tracebacks, hangs, files written outside the output folder, and files damaged by a failed run.

    python3 scripts/hostile_check.py            # about 400 cases, a few minutes
    python3 scripts/hostile_check.py --quick    # a sample, under a minute
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 30
BOMB = "".join(f"{c}: &{c} [{', '.join(['*' + p] * 9) if p else ', '.join(['lol'] * 9)}]\n"
               for p, c in zip([""] + list("abcdefgh"), "abcdefghi"))
ODD = ["", "~", "null", "-1", "0", "1e309", "nan", "inf", "99999999999999999999", "9999-12-31", "0001-01-01", "2026-02-30",
       "[]", "{}", "[[[[]]]]", "!!python/object/apply:os.system [ls]", "*x", "&a [*a]", "yes", "maybe", "\u202eevil",
       "\x1b[2J", "=HYPERLINK(\"http://x\")", "x" * 100_000, "\u00e9\u00e8\u4e2d\u0645", "1.5", "-0"]
REQUEST = ("diagnosis: hamstring-strain\ngrade: 2\nside: left\nweeks: 8\nstart: 2026-03-02\nequipment: [chair, towel]\n"
           "pain: 3\nrunner_km_per_week: 30\nweak_glute_side: right\nnotes: Easy does it.\n")
CLINIC = (ROOT / "examples" / "clinic.yaml").read_text(encoding="utf-8")
ANSWERS = "onset: sudden-fast-running\nlocation: mid-thigh\npain_now: 3\ndays_since_onset: 10\nwalks_normally: true\n"
ROSTER = (ROOT / "examples" / "roster.csv").read_text(encoding="utf-8")
EXERCISE = (ROOT / "exercises" / "chair-bridge.yaml").read_text(encoding="utf-8")


@dataclass
class Case:
    name: str
    args: list[str]
    out: str | None = None  # a folder the command may write into; anything else new is "outside"
    keep: str | None = None  # a file that must be unchanged after a failed run


@dataclass
class Tally:
    tried: int = 0
    clean: int = 0
    worked: int = 0
    tracebacks: int = 0
    hangs: int = 0
    outside: int = 0
    damaged: int = 0
    unclear: int = 0


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _mutate(text: str, rng: random.Random) -> bytes:
    lines = text.splitlines(keepends=True)
    for _ in range(rng.randint(1, 4)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        how = rng.choice(["drop", "double", "cut", "insert", "swap", "byte"])
        if how == "drop":
            del lines[i]
        elif how == "double":
            lines.insert(i, lines[i] * rng.randint(2, 30))
        elif how == "cut":
            lines[i] = lines[i][: rng.randint(0, len(lines[i]))]
        elif how == "insert":
            pos = rng.randint(0, len(lines[i]))
            lines[i] = lines[i][:pos] + rng.choice(ODD)[:50] + lines[i][pos:]
        elif how == "swap" and ":" in lines[i]:
            lines[i] = lines[i].split(":", 1)[0] + ": " + rng.choice(ODD) + "\n"
    data = "".join(lines).encode("utf-8", "surrogatepass")
    if rng.random() < 0.2 and data:
        pos = rng.randrange(len(data))
        data = data[:pos] + bytes([rng.choice([0xff, 0xc3, 0x80, 0x00])]) + data[pos:]
    return data


def cases(scratch: Path, quick: bool) -> list[Case]:
    rng = random.Random(20261130)
    out: list[Case] = []

    def file(name: str, data: bytes | str) -> Path:
        path = scratch / f"{len(out)}-{name}"
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def special(name: str, kind: str) -> Path:
        path = scratch / f"{len(out)}-{name}"
        if kind == "fifo":
            os.mkfifo(path)
        elif kind == "dir":
            path.mkdir()
        elif kind == "zero":
            path.symlink_to("/dev/zero")
        elif kind == "dangling":
            path.symlink_to(scratch / "nowhere")
        return path

    # special files as every input
    for kind in ("fifo", "dir", "zero", "dangling"):
        for flag_name in ("--request", "--clinic"):
            out.append(Case(f"{flag_name} {kind}", ["plan", "--diagnosis", "doms", flag_name, str(special("in.yaml", kind)), "-o", "-"]))
        out.append(Case(f"answers {kind}", ["triage", "--answers", str(special("a.yaml", kind))]))
        out.append(Case(f"roster {kind}", ["batch", str(special("r.csv", kind)), "--out", str(scratch / f"o{len(out)}"), "--jobs", "1"]))
        folder = scratch / f"cat{len(out)}"
        folder.mkdir()
        target = folder / "x.yaml"
        if kind == "fifo":
            os.mkfifo(target)
        elif kind == "zero":
            target.symlink_to("/dev/zero")
        elif kind == "dir":
            target.mkdir()
        else:
            target.symlink_to(scratch / "nowhere")
        out.append(Case(f"catalogue {kind}", ["validate", "--catalogue", str(folder)]))
    out.append(Case("/dev/zero request", ["plan", "--diagnosis", "doms", "--request", "/dev/zero", "-o", "-"]))
    # alias bombs and oversized files for every YAML reader
    for name, text in (("bomb", BOMB), ("huge", "notes: '" + "x" * 3_000_000 + "'\n")):
        out.append(Case(f"request {name}", ["plan", "--request", str(file("r.yaml", text)), "-o", "-"]))
        out.append(Case(f"clinic {name}", ["plan", "--diagnosis", "doms", "--clinic", str(file("c.yaml", text)), "-o", "-"]))
        out.append(Case(f"answers {name}", ["triage", "--answers", str(file("a.yaml", text))]))
        folder = scratch / f"cat{len(out)}"
        folder.mkdir()
        (folder / "x.yaml").write_text(text, encoding="utf-8")
        out.append(Case(f"catalogue {name}", ["validate", "--catalogue", str(folder)]))
        out.append(Case(f"roster {name}", ["batch", str(file("r.yaml", text)), "--out", str(scratch / f"o{len(out)}"), "--jobs", "1"]))
    # output targets that cannot take a plain file, and a file that must survive a failed run
    fifo = special("out.pdf", "fifo")
    out.append(Case("-o fifo", ["plan", "--diagnosis", "doms", "-o", str(fifo)]))
    out.append(Case("-o folder", ["plan", "--diagnosis", "doms", "-o", str(special("outdir.pdf", "dir"))]))
    out.append(Case("-o too long", ["plan", "--diagnosis", "doms", "-o", str(scratch / ("x" * 300 + ".pdf"))]))
    out.append(Case("-o /proc", ["plan", "--diagnosis", "doms", "-o", "/proc/hamrehab/x.pdf"]))
    out.append(Case("-o /dev/full", ["plan", "--diagnosis", "doms", "--format", "json", "-o", "/dev/full"]))
    keep = file("keep.pdf", b"%PDF-1.4 the clinician's earlier plan")
    out.append(Case("-o existing, bad request", ["plan", "--diagnosis", "doms", "--weeks", "99", "-o", str(keep)], keep=str(keep)))
    # odd values for every flag
    for flag_name in ("--grade", "--weeks", "--pain", "--days-since-onset", "--runner-km-per-week", "--days-per-week", "--start",
                      "--side", "--equipment", "--red-flag", "--stage", "--weak-glute-side", "--name", "--notes", "--patient-id"):
        for value in (ODD if not quick else ODD[:6]):
            out.append(Case(f"{flag_name} {value[:20]!r}",
                            ["plan", "--diagnosis", "hamstring-strain", flag_name, value, "--format", "json", "-o", "-"]))
    # rosters
    roster_cases = {
        "huge cell": "diagnosis,patient_id,notes\ndoms,A1,ok\ndoms,A2," + "x" * 140_000 + "\ndoms,A3,ok\n",
        "duplicate column": "diagnosis,diagnosis,patient_id\ndoms,prevention,A1\n",
        "late bad byte": ROSTER + "P9,Late,doms\n",
        "more cells": "diagnosis,patient_id\ndoms,A1,extra,cells\n",
        "formula ids": "diagnosis,patient_id\ndoms,=HYPERLINK(\"x\")\ndoms,+1\ndoms,@SUM(1)\n",
        "traversal ids": "diagnosis,patient_id\ndoms,../../escape\ndoms,/etc/passwd\ndoms,CON\ndoms,.hidden\n",
        "header only": "diagnosis,patient_id\n",
        "empty": "",
    }
    for name, text in roster_cases.items():
        data = text.encode("utf-8")
        if name == "late bad byte":
            data = data + b"P10,\xff\xfe,doms\n"
        path = file("roster.csv", data)
        folder = scratch / f"o{len(out)}"
        out.append(Case(f"roster {name}", ["batch", str(path), "--out", str(folder), "--jobs", "2", "--format", "json"], out=str(folder)))
    # random mutations of real files
    n = 40 if quick else 160
    for i in range(n):
        kind = rng.choice(["request", "clinic", "answers", "exercise", "roster"])
        if kind == "request":
            out.append(Case(f"mutated request {i}", ["plan", "--request", str(file("r.yaml", _mutate(REQUEST, rng))), "--format", "json", "-o", "-"]))
        elif kind == "clinic":
            path = file("c.yaml", _mutate(CLINIC, rng))
            out.append(Case(f"mutated clinic {i}", ["plan", "--diagnosis", "doms", "--clinic", str(path), "--format", "json", "-o", "-"]))
        elif kind == "answers":
            out.append(Case(f"mutated answers {i}", ["triage", "--answers", str(file("a.yaml", _mutate(ANSWERS, rng))), "--format", "json"]))
        elif kind == "exercise":
            folder = scratch / f"cat{len(out)}"
            folder.mkdir()
            (folder / "chair-bridge.yaml").write_bytes(_mutate(EXERCISE, rng))
            out.append(Case(f"mutated exercise {i}", ["validate", "--catalogue", str(folder)]))
        else:
            folder = scratch / f"o{len(out)}"
            path = file("r.csv", _mutate(ROSTER, rng))
            out.append(Case(f"mutated roster {i}", ["batch", str(path), "--out", str(folder), "--jobs", "1", "--format", "json"], out=str(folder)))
    return out


def run(case: Case, scratch: Path, tally: Tally) -> str:
    before = _files(scratch)
    keep = Path(case.keep).read_bytes() if case.keep else None
    tally.tried += 1
    try:
        proc = subprocess.run([sys.executable, "-m", "hamrehab", *case.args], capture_output=True, text=True,
                              timeout=DEADLINE, cwd=scratch, stdin=subprocess.DEVNULL, errors="replace")
    except subprocess.TimeoutExpired:
        tally.hangs += 1
        return "HANG"
    verdict = ""
    if "Traceback" in proc.stderr:
        tally.tracebacks += 1
        verdict = "TRACEBACK"
    elif proc.returncode in (0, 1):
        tally.worked += 1
    elif proc.returncode == 2 and all(line.startswith(("error:", "notice:", "warning:")) or " problem(s) in " in line
                                       for line in proc.stderr.strip().splitlines()):
        tally.clean += 1
    else:
        tally.unclear += 1
        verdict = f"UNCLEAR exit {proc.returncode}"
    new = _files(scratch) - before
    allowed = {n for n in new if case.out and (scratch / n).resolve().is_relative_to(Path(case.out).resolve())}
    if new - allowed - {"output", *(n for n in new if n.startswith("output/"))}:
        tally.outside += 1
        verdict += f" OUTSIDE {sorted(new - allowed)[:3]}"
    if keep is not None and Path(case.keep).read_bytes() != keep:
        tally.damaged += 1
        verdict += " DAMAGED"
    return verdict or "ok"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    opts = parser.parse_args()
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        start = time.perf_counter()
        for case in cases(scratch, opts.quick):
            verdict = run(case, scratch, tally)
            if verdict != "ok":
                print(f"{verdict}: {case.name}")
    print(f"inputs tried {tally.tried}, clean errors {tally.clean}, worked {tally.worked}, tracebacks {tally.tracebacks}, "
          f"hangs {tally.hangs}, unclear {tally.unclear}, files outside the output folder {tally.outside}, "
          f"files damaged {tally.damaged} ({time.perf_counter() - start:.0f} s)")
    return 1 if tally.tracebacks or tally.hangs or tally.outside or tally.damaged or tally.unclear else 0


if __name__ == "__main__":
    sys.exit(main())
