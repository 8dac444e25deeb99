"""Issue 10, Low: the parent's memory grew ~0.75 KB a row (40 -> 116 MB over 100k rows).

Now nothing is kept per row for the whole run: the reports stream to disk in row order through a small
reorder buffer. Measured as the peak RSS of the batch process itself (the workers are other processes),
for 100 and for 10,000 JSON rows, in fresh interpreters.
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
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
""")


def _peak_kb(rows: int, folder) -> int:
    folder.mkdir()
    done = subprocess.run([sys.executable, "-c", MEASURE, str(rows), str(folder)], capture_output=True, text=True, check=False,
                          timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_low_parent_memory_stays_flat_from_100_to_10000_rows(tmp_path):
    small = _peak_kb(100, tmp_path / "small")
    large = _peak_kb(10_000, tmp_path / "large")
    print(f"peak RSS of the batch process: 100 rows {small / 1024:.1f} MB, 10,000 rows {large / 1024:.1f} MB")
    assert large <= small * 1.10, (small, large)
