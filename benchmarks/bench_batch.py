"""Benchmark: batch generation on this machine's cores, every figure of issue 14 beside its goal.

Prints, in one run (each figure the median of `--repeat` interleaved runs of `hamrehab batch`, whole
processes, start-up included):

- PDF plans/s with --jobs 2 on a roster of `--rows` rows (goal >= 20 on 2 cores);
- the speed-up from --jobs 1 to --jobs 2 for those PDFs (goal >= 1.8x);
- JSON plans/s for a 2000-row roster with --jobs 2 (goal >= 500);
- the peak memory of the whole process tree (parent and workers) for 100 and for 1000 rows of 8-week
  PDFs (goal: within 10% of each other);
- with --executors: the same PDF roster through `generate_batch(executor=...)` in this process, with a
  ThreadPoolExecutor and (when `distributed` is installed) a two-process Dask LocalCluster, for
  comparison (no goal: a cluster pays for scheduling and moving bytes, and wins only past one machine).

The figures are honest measurements on whatever else the machine is doing: the load average is printed
with them, so a loaded run is recognisable, and so is the CPU time of each plan (the batch process and
its workers, from the kernel's accounting): a busy machine stretches the wall-clock figures far more
than that one.
"""
from __future__ import annotations

import argparse
import logging
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

DIAGNOSES = [("hamstring-strain", "2"), ("proximal-tendinopathy", ""), ("distal-tendinopathy", ""), ("sciatic-referral", ""),
             ("si-joint-referral", ""), ("doms", ""), ("prevention", ""), ("hamstring-strain", "1")]


def roster(path: Path, rows: int, weeks: int | None) -> Path:
    lines = ["patient_id,name,diagnosis,grade,side,start,weeks,runner_km_per_week"]
    for i in range(rows):
        d, g = DIAGNOSES[i % len(DIAGNOSES)]
        lines.append(f"P{i:05d},Runner {i},{d},{g},left,2026-03-02,{weeks or ''},{20 + i % 40}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
            pid, ppid = int(entry), int(fields["PPid"])
            children.setdefault(ppid, []).append(pid)
            rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
        except (OSError, KeyError, ValueError):
            continue
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run(roster_path: Path, out: Path, jobs: int, fmt: str = "pdf", sample: bool = False) -> tuple[float, int, float]:
    """(seconds, peak tree memory in KB or 0 unless `sample`, CPU seconds of the batch and its workers) of one
    `hamrehab batch` run into a fresh folder."""
    cmd = [sys.executable, "-m", "hamrehab", "batch", str(roster_path), "--out", str(out), "--jobs", str(jobs), "--format", fmt]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=watch)
    if sample:
        sampler.start()
    _, err = proc.communicate()
    elapsed = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the batch, and the workers it waited for
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    stop.set()
    if sample:
        sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch failed with exit {proc.returncode}: {err.decode(errors='replace')[-2000:]}")
    return elapsed, peak, cpu


def _fresh(tmp: Path, name: str) -> Path:
    n = 0
    while (tmp / f"{name}-{n}").exists():
        n += 1
    return tmp / f"{name}-{n}"


def _executor_rates(path: Path, tmp: Path, rows: int) -> list[tuple[str, str, str]]:
    """In this process: the PDF roster through generate_batch(executor=...)."""
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    from hamrehab.batch import generate_batch

    found = []
    with ProcessPoolExecutor(2) as pool:
        t0 = time.perf_counter()
        generate_batch(path, _fresh(tmp, "xp"), executor=pool)
        found.append(("PDF plans/s, executor=ProcessPoolExecutor(2)", f"{rows / (time.perf_counter() - t0):.1f}", "-"))
    with ThreadPoolExecutor(2) as pool:
        t0 = time.perf_counter()
        generate_batch(path, _fresh(tmp, "xt"), executor=pool)
        found.append(("PDF plans/s, executor=ThreadPoolExecutor(2)", f"{rows / (time.perf_counter() - t0):.1f}", "-"))
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        found.append(("PDF plans/s, Dask LocalCluster(2 processes)", "not installed", "-"))
        return found
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
                      silence_logs=logging.CRITICAL) as cluster, Client(cluster) as client:
        t0 = time.perf_counter()
        generate_batch(path, _fresh(tmp, "xd"), executor=client.get_executor())
        found.append(("PDF plans/s, Dask LocalCluster(2 processes), cluster already up",
                      f"{rows / (time.perf_counter() - t0):.1f}", "-"))
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=300, help="rows of the PDF roster (default 300)")
    ap.add_argument("--json-rows", type=int, default=2000, help="rows of the JSON roster (default 2000)")
    ap.add_argument("--repeat", type=int, default=3, help="interleaved runs of each figure; the median is shown (default 3)")
    ap.add_argument("--executors", action="store_true", help="also time executor=ThreadPoolExecutor and a Dask LocalCluster")
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        pdf = roster(tmp_path / "pdf.csv", args.rows, None)
        js = roster(tmp_path / "json.csv", args.json_rows, None)
        times: dict[str, list[float]] = {"pdf1": [], "pdf2": [], "json2": []}
        cpus: dict[str, list[float]] = {"pdf1": [], "pdf2": [], "json2": []}
        for _ in range(args.repeat):  # interleaved, so a busy moment of the machine costs every figure alike
            for key, path, jobs, fmt in (("pdf1", pdf, 1, "pdf"), ("pdf2", pdf, 2, "pdf"), ("json2", js, 2, "json")):
                elapsed, _, cpu = run(path, _fresh(tmp_path, key), jobs, fmt)
                times[key].append(elapsed)
                cpus[key].append(cpu)
        t1, t2, tj = (statistics.median(times[k]) for k in ("pdf1", "pdf2", "json2"))
        c2, cj = statistics.median(cpus["pdf2"]) / args.rows, statistics.median(cpus["json2"]) / args.json_rows
        peaks = {}
        for n in (100, 1000):
            peaks[n] = run(roster(tmp_path / f"m{n}.csv", n, 8), _fresh(tmp_path, f"m{n}"), 2, "pdf", sample=True)[1]
        growth = 100 * (peaks[1000] / peaks[100] - 1)
        rows = [
            (f"PDF plans/s, --jobs 2, {args.rows} rows", f"{args.rows / t2:.1f}", ">= 20", args.rows / t2 >= 20),
            (f"PDF plans/s, --jobs 1, {args.rows} rows", f"{args.rows / t1:.1f}", "-", None),
            ("PDF speed-up --jobs 1 -> 2", f"{t1 / t2:.2f}x", ">= 1.8x", t1 / t2 >= 1.8),
            (f"JSON plans/s, --jobs 2, {args.json_rows} rows", f"{args.json_rows / tj:.0f}", ">= 500", args.json_rows / tj >= 500),
            ("CPU per PDF plan, all processes (--jobs 2)", f"{c2 * 1000:.0f} ms", "-", None),
            ("CPU per JSON plan, all processes (--jobs 2)", f"{cj * 1000:.1f} ms", "-", None),
            ("peak memory, 100 rows (8-week PDFs, --jobs 2)", f"{peaks[100] / 1024:.0f} MB", "-", None),
            ("peak memory, 1000 rows (8-week PDFs, --jobs 2)", f"{peaks[1000] / 1024:.0f} MB", "-", None),
            ("peak memory 1000 vs 100 rows", f"{growth:+.1f}%", "within 10%", abs(growth) <= 10),
        ]
        extra = _executor_rates(pdf, tmp_path, args.rows) if args.executors else []
    print(f"hamrehab batch on {os.cpu_count()} cores, load average {load:.1f} at the start; medians of {args.repeat} interleaved runs")
    width = max(len(r[0]) for r in rows + [(*e, None) for e in extra])
    print(f"{'figure':<{width}}  {'measured':>12}  {'goal':>10}  met")
    for name, value, goal, met in rows:
        print(f"{name:<{width}}  {value:>12}  {goal:>10}  {'' if met is None else ('yes' if met else 'NO')}")
    for name, value, goal in extra:
        print(f"{name:<{width}}  {value:>12}  {goal:>10}")


if __name__ == "__main__":
    main()
