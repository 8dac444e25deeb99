"""Benchmark: batch generation on this machine's cores.

Prints, for a 500-row roster: plans per second with --jobs 2 (goal >= 15) and the speed-up
from 1 to 2 jobs (goal >= 1.7x); and the peak memory of the whole process tree (parent and
workers) for 100 and 1000 rows (goal: within 10% of each other, under 300 MB).
"""
from __future__ import annotations

import os
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


def run(roster_path: Path, out: Path, jobs: int, fmt: str = "pdf") -> tuple[float, int]:
    """(seconds, peak tree memory in KB) of one `hamrehab batch` run."""
    cmd = [sys.executable, "-m", "hamrehab", "batch", str(roster_path), "--out", str(out), "--jobs", str(jobs), "--format", fmt]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    proc.wait()
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        raise SystemExit(f"batch failed with exit {proc.returncode}")
    return time.perf_counter() - t0, peak


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        r500 = roster(tmp_path / "r500.csv", 500, None)
        for fmt in ("pdf", "json"):
            t1, _ = run(r500, tmp_path / f"o1-{fmt}", 1, fmt)
            t2, _ = run(r500, tmp_path / f"o2-{fmt}", 2, fmt)
            print(f"500 rows, {fmt}: --jobs 1 {500 / t1:.1f} plans/s, --jobs 2 {500 / t2:.1f} plans/s (goal >= 15), speed-up {t1 / t2:.2f}x (goal >= 1.7x)")
        peaks = {}
        for n in (100, 1000):
            _, peaks[n] = run(roster(tmp_path / f"r{n}.csv", n, 8), tmp_path / f"m{n}", 2, "pdf")
            print(f"{n} rows (8-week PDFs, --jobs 2): peak memory of parent and workers {peaks[n] / 1024:.0f} MB")
        print(f"peak memory 1000 vs 100 rows: {100 * (peaks[1000] / peaks[100] - 1):+.1f}% (goal within 10%, under 300 MB)")


if __name__ == "__main__":
    main()
