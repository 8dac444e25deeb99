"""Benchmark: loading and validating catalogues.

    python benchmarks/bench_catalogue.py             # about a minute on 2 cores
    python benchmarks/bench_catalogue.py --profile   # also the top hot spots of validating 2000 files

1. A clinician's folder of exercises (issue 14: 2000 files validated in <= 0.5 s, the cost per file flat as
   the folder grows). Folders of 250, 500, 1000 and 2000 exercises are generated into a temporary folder
   from one valid exercise (the one tests/conftest.py breaks in many ways), each file with its own name
   and id, and validated
   - as a whole process, `hamrehab validate --catalogue DIR` (this interpreter, the pip-installed entry
     point, PYTHONDONTWRITEBYTECODE removed so .pyc files exist, the start-up cache in a temporary folder,
     one warm-up run), and
   - in-process, `hamrehab.catalogue.check([DIR])`, which re-reads and re-validates every file each time
     (a clinician's folders are never cached).
   An empty folder gives the fixed part (start-up, and the built-in documents beside the folder: from the
   start-up cache, which the warm-up run fills, with every cross-check run over the whole); the cost per
   file is the rest divided by the number of files.
2. The built-in catalogue in-process (it was < 50 ms before the start-up cache): re-read and re-validated
   (HAMREHAB_NO_CACHE=1), and read back from a warm start-up cache (HAMREHAB_CACHE_DIR: a temporary
   folder). Whole-process start-up with and without the cache: benchmarks/bench_speed.py.

Every figure is a median of --runs (at least 7) interleaved rounds: all sizes in turn, then again; each row
gives the wall-clock time (what the goal is about) and the CPU time (user + system) of the same runs. The cost
per file counts as flat when, in CPU time and in-process (the whole process adds the noise of its start-up,
so its ratio is shown for reference), the cost per file at 2000 files is within 1.25x of that at 250.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_speed import hamrehab_command, process_env, run  # noqa: E402  (benchmarks/bench_speed.py)

SIZES = (250, 500, 1000, 2000)
GOAL_2000 = 0.5  # seconds, issue 14
FLAT = 1.25  # "flat": the cost per file at 2000 files within 1.25x of the cost per file at 250

# A copy of tests/conftest.py's VALID_EXERCISE (the benchmark doesn't import the tests).
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


def make_folder(root: Path, n: int) -> Path:
    """n exercises, each file its own id (the file name) and name."""
    folder = root / f"exercises-{n}"
    folder.mkdir(parents=True)
    for i in range(n):
        text = VALID_EXERCISE.replace("name: Test bridge", f"name: Bench bridge {i:05d}")
        (folder / f"bench-bridge-{i:05d}.yaml").write_text(text, encoding="utf-8")
    return folder


def median2(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in pairs), statistics.median(c for _, c in pairs)


def in_process(folders: dict[int, Path], runs: int) -> dict[int, tuple[float, float]]:
    """Median (wall, CPU) seconds of check([folder]) for each size."""
    from hamrehab.catalogue import check

    def once(n: int) -> tuple[float, float]:
        c0, t0 = time.process_time(), time.perf_counter()
        catalogue, problems, _ = check([folders[n]])
        elapsed = time.perf_counter() - t0, time.process_time() - c0
        if problems or catalogue is None or len(catalogue.exercises) < n:
            raise SystemExit(f"the generated folder of {n} has problems: {problems[:3]}")
        return elapsed

    for n in folders:
        once(n)  # warm-up: imports, the OS file cache
    times: dict[int, list[tuple[float, float]]] = {n: [] for n in folders}
    for _ in range(runs):
        for n in folders:
            times[n].append(once(n))
    return {n: median2(t) for n, t in times.items()}


def processes(folders: dict[int, Path], work: Path, runs: int) -> dict[int, tuple[float, float]]:
    """Median (wall, CPU) seconds of `hamrehab validate --catalogue DIR` for each size."""
    env = process_env(work / "cache")
    commands = {n: [*hamrehab_command(), "validate", "--catalogue", str(folder)] for n, folder in folders.items()}
    for argv in commands.values():
        run(argv, env, work)
    times: dict[int, list[tuple[float, float]]] = {n: [] for n in folders}
    for _ in range(runs):
        for n, argv in commands.items():
            times[n].append(run(argv, env, work))
    return {n: median2(t) for n, t in times.items()}


def builtin(work: Path, runs: int) -> tuple[tuple[float, float], tuple[float, float], int]:
    """Median (wall, CPU) seconds of the built-in catalogue: validated again (cache off), and from a warm start-up cache."""
    from hamrehab.catalogue import load_catalogue

    saved = {k: os.environ.get(k) for k in ("HAMREHAB_NO_CACHE", "HAMREHAB_CACHE_DIR")}
    os.environ["HAMREHAB_CACHE_DIR"] = str(work / "cache-inprocess")
    try:
        cold, warm = [], []
        load_catalogue()  # fills the cache
        for _ in range(runs):
            os.environ["HAMREHAB_NO_CACHE"] = "1"
            c0, t0 = time.process_time(), time.perf_counter()
            catalogue = load_catalogue()
            cold.append((time.perf_counter() - t0, time.process_time() - c0))
            os.environ.pop("HAMREHAB_NO_CACHE")
            c0, t0 = time.process_time(), time.perf_counter()
            load_catalogue()
            warm.append((time.perf_counter() - t0, time.process_time() - c0))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return median2(cold), median2(warm), len(catalogue.exercises)


def profile(folder: Path, top: int = 15) -> str:
    from hamrehab.catalogue import check

    check([folder])
    prof = cProfile.Profile(time.process_time)  # CPU time: a busy machine's other processes don't land on random functions
    prof.enable()
    check([folder])
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="rounds of each measure (at least 7; default 7)")
    parser.add_argument("--profile", action="store_true", help="print the top 15 functions (by own time) of validating 2000 files")
    args = parser.parse_args()
    runs = max(7, args.runs)
    work = Path(tempfile.mkdtemp(prefix="hamrehab-bench-catalogue-"))
    try:
        folders = {0: make_folder(work, 0), **{n: make_folder(work, n) for n in SIZES}}
        proc = processes(folders, work, runs)
        inproc = in_process(folders, runs)
        cold, warm, n_builtin = builtin(work, runs)
        report(proc, inproc, cold, warm, n_builtin, runs)
        if args.profile:
            print(f"\ncProfile (CPU time) of check([folder of {SIZES[-1]}]) in-process, top 15 by own time:")
            print(profile(folders[SIZES[-1]]))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def report(proc: dict[int, tuple[float, float]], inproc: dict[int, tuple[float, float]], cold: tuple[float, float],
           warm: tuple[float, float], n_builtin: int,
           runs: int) -> None:
    rows: list[tuple[str, str, str, str, str]] = []
    big, small = SIZES[-1], SIZES[0]
    for label, figures in (("whole process: hamrehab validate --catalogue DIR", proc), ("in-process: catalogue.check([DIR])", inproc)):
        rows.append((f"{label}, empty folder", f"{figures[0][0]:.3f} s", f"{figures[0][1]:.3f} s", "fixed part", ""))
        for n in SIZES:
            goal = f"<= {GOAL_2000:.2f} s" if n == big else ""
            ok = ("yes" if figures[n][0] <= GOAL_2000 else "NO") if n == big else ""
            rows.append((f"  {n} exercises", f"{figures[n][0]:.3f} s", f"{figures[n][1]:.3f} s", goal, ok))
        per = {n: ((figures[n][0] - figures[0][0]) / n, (figures[n][1] - figures[0][1]) / n) for n in SIZES}
        for n in SIZES:
            rows.append((f"  cost per file at {n} (beyond the empty folder)", f"{per[n][0] * 1e6:.0f} us", f"{per[n][1] * 1e6:.0f} us",
                         "flat" if n == big else "", ""))
        wall_ratio, cpu_ratio = per[big][0] / per[small][0], per[big][1] / per[small][1]
        judged = figures is inproc  # the steadiest measure of a property of the code; the whole process adds start-up noise
        rows.append((f"  per file at {big} / per file at {small}", f"{wall_ratio:.2f}x", f"{cpu_ratio:.2f}x",
                     f"<= {FLAT:.2f}x (cpu)" if judged else "reference", ("yes" if cpu_ratio <= FLAT else "NO") if judged else ""))
    rows.append((f"built-in catalogue ({n_builtin} exercises), in-process, validated again (HAMREHAB_NO_CACHE=1)",
                 f"{cold[0] * 1000:.1f} ms", f"{cold[1] * 1000:.1f} ms", "< 50 ms", "yes" if cold[0] < 0.05 else "NO"))
    rows.append(("built-in catalogue, in-process, from the warm start-up cache", f"{warm[0] * 1000:.1f} ms", f"{warm[1] * 1000:.1f} ms",
                 "reference", ""))
    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = ""
    print(f"bench_catalogue: {os.cpu_count()} CPUs, {load}; Python {sys.version.split()[0]}; medians of {runs} interleaved rounds")
    print("figure: wall-clock time (what the goals are about); cpu: user + system time (steadier on a busy machine; "
          "flatness is judged on it)")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}} | {'figure':>10} | {'cpu':>10} | {'floor/goal':<16} | ok")
    print(f"{'-' * width}-+-{'-' * 10}-+-{'-' * 10}-+-{'-' * 16}-+---")
    for name, figure, cpu, goal, ok in rows:
        print(f"{name:<{width}} | {figure:>10} | {cpu:>10} | {goal:<16} | {ok}")


if __name__ == "__main__":
    main()
