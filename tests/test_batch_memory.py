"""Issue 10, Low: the parent's memory grew ~0.75 KB a row (40 -> 116 MB over 100k rows).

Now nothing is kept per row for the whole run: the reports stream to disk in row order through a small
reorder buffer. Measured as the resident memory of the batch process itself when it ends (the workers are
other processes), for 1,000 and for 4,000 JSON rows, in fresh interpreters. What a batch must keep per row
(the patient ids seen, to name duplicates) costs about 0.27 KB a row here; the test allows 0.5 KB, and a
leak of 400 bytes a row (about half the old one) already measures 0.73. The resident memory at the end,
not the peak: the peak is set at start-up, so a leak must first outgrow it before the peak shows it.
(benchmarks/bench_batch.py measures the peak of 100 against 1000 PDF rows, workers included.)
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MEASURE = textwrap.dedent("""
    import resource, sys
    from pathlib import Path
    from hamrehab.batch import generate_batch
    tmp = Path(sys.argv[2])
    roster = tmp / "r.csv"
    roster.write_text("patient_id,diagnosis,start\\n" + "".join(f"P{i:05d},doms,2026-03-02\\n" for i in range(int(sys.argv[1]))))
    summary = generate_batch(roster, tmp / "out", formats=["json"], jobs=2)
    assert summary.written == int(sys.argv[1]), summary.line
    status = Path("/proc/self/status")
    now = [line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmRSS:")] if status.exists() else []
    print(*now or [resource.getrusage(resource.RUSAGE_SELF).ru_maxrss])
""")


def _resident_kb(rows: int, folder) -> int:
    folder.mkdir()
    done = subprocess.run([sys.executable, "-c", MEASURE, str(rows), str(folder)], capture_output=True, text=True, check=False,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_low_parent_memory_stays_flat_from_1000_to_4000_rows(tmp_path):
    small = _resident_kb(1_000, tmp_path / "small")
    large = _resident_kb(4_000, tmp_path / "large")
    print(f"resident memory of the batch process: 1,000 rows {small / 1024:.1f} MB, 4,000 rows {large / 1024:.1f} MB")
    assert (large - small) / (4_000 - 1_000) < 0.5, (small, large)  # KB a row
