"""Benchmark: issue 14's "Must show" for speed, side by side in one run.

    python benchmarks/bench_speed.py            # about two minutes on 2 cores
    python benchmarks/bench_speed.py --runs 15  # more rounds, steadier medians

Whole processes (what a clinician waits for at the prompt), run interleaved (A B C ... A B C ...) so a
slow spell of the machine hits every command alike; each figure is the median of --runs rounds (at least
7), after one warm-up run of each command:
- `hamrehab plan ... -o plan.pdf`, the 12-week full handout (goal: <= 0.35 s, and no slower than the floor);
- the floor: benchmarks/floor_reportlab.py, a minimal ReportLab script writing the same text on the same
  pages (see its docstring for what it leaves out), fed with the handout's text runs read back from the PDF;
- `hamrehab plan ... --format json` (goal <= 0.18 s), `hamrehab exercises` and `hamrehab validate`
  (goal <= 0.16 s each);
- reference floors, so a reader sees what the interpreter and the libraries cost alone: `python -c pass`,
  importing pydantic's BaseModel, importing reportlab.platypus, importing hamrehab;
- the start-up cache: `import hamrehab; hamrehab.load_catalogue()` with a warm cache and with the cache
  off (HAMREHAB_NO_CACHE=1), and `plan --format json` with the cache off.

The timed processes run the pip-installed `hamrehab` entry point with this interpreter (not a pyenv shim), or
with `--python PATH` another one, e.g. a clean venv with the wheel installed (what a user's `pip install` gives:
no editable-install import hook),
without PYTHONDONTWRITEBYTECODE (so .pyc files exist, as after `pip install`), and with
HAMREHAB_CACHE_DIR set to a fresh temporary folder (the warm-up run fills it, as a first run would fill
~/.cache/hamrehab). Nothing outside that temporary folder is written.

In-process (a long-running process: `hamrehab serve`, or a script calling the library), interleaved too:
- `hamrehab.render_pdf(plan)` of the same 12-week plan, second and later renders (warm caches);
- the floor's drawing alone, in-process (fonts registered once);
- WeasyPrint on the same content: the plan as HTML (written here from `render_json(plan)` and the
  catalogue's exercise cards, in the same Atkinson Hyperlegible fonts), HTML to PDF, second and later
  renders (goal: hamrehab >= 12x faster). WeasyPrint is a bench-only tool (`pip install weasyprint`;
  it needs Debian's libpango-1.0-0 and libpangoft2-1.0-0).

Each row prints the median wall-clock time (what the goals are about) and the median CPU time (user + system)
of the same runs: on a machine busy with other work the wall-clock figures grow, the CPU figures much less.
The header prints the load average, so a reader can tell.

Measured elsewhere: the web app's warm path (benchmarks/bench_web.py), a clinician's folder of 2000
exercises (benchmarks/bench_catalogue.py), batch throughput (benchmarks/bench_batch.py).
"""
from __future__ import annotations

import argparse
import html
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import floor_reportlab  # noqa: E402  (benchmarks/floor_reportlab.py)

NAME = "Zoë Ñúñez-O'Brien"
PLAN_ARGS = ["--diagnosis", "hamstring-strain", "--grade", "2", "--side", "left", "--weeks", "12", "--start", "2026-03-02",
             "--name", NAME, "--runner-km-per-week", "40"]
REQUEST = {"diagnosis": "hamstring-strain", "grade": 2, "side": "left", "weeks": 12, "start": "2026-03-02", "name": NAME,
           "runner_km_per_week": 40}


PYTHON = [sys.executable]  # the interpreter of the timed processes: --python (a clean venv, as a user installs it)


def hamrehab_command() -> list[str]:
    """The pip-installed console script beside the timed interpreter, run by that interpreter."""
    script = Path(PYTHON[0]).with_name("hamrehab")
    return [PYTHON[0], str(script)] if script.is_file() else [PYTHON[0], "-m", "hamrehab"]


def process_env(cache_dir: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("HAMREHAB_NO_CACHE", None)
    env["HAMREHAB_CACHE_DIR"] = str(cache_dir)
    env.update(extra)
    return env


def run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of one whole process."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        child = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise SystemExit(f"failed ({child.returncode}): {' '.join(argv)}\n{err.read().decode(errors='replace')}")
    return elapsed, usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------------------------- processes


def processes(work: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) seconds of each whole-process command, interleaved, after one warm-up each."""
    py, ham = PYTHON[0], hamrehab_command()
    env = process_env(work / "cache")
    off = process_env(work / "cache", HAMREHAB_NO_CACHE="1")
    commands: list[tuple[str, list[str], dict[str, str]]] = [
        ("pdf", [*ham, "plan", *PLAN_ARGS, "-o", "plan.pdf"], env),
        ("floor", [py, str(HERE / "floor_reportlab.py"), "pages.json", "floor.pdf"], env),
        ("json", [*ham, "plan", *PLAN_ARGS, "--format", "json", "-o", "plan.json"], env),
        ("exercises", [*ham, "exercises"], env),
        ("validate", [*ham, "validate"], env),
        ("pass", [py, "-c", "pass"], env),
        ("pydantic", [py, "-c", "import pydantic; from pydantic import BaseModel"], env),
        ("platypus", [py, "-c", "import reportlab.platypus"], env),
        ("import", [py, "-c", "import hamrehab"], env),
        ("load-warm", [py, "-c", "import hamrehab; hamrehab.load_catalogue()"], env),
        ("load-off", [py, "-c", "import hamrehab; hamrehab.load_catalogue()"], off),
        ("json-off", [*ham, "plan", *PLAN_ARGS, "--format", "json", "-o", "plan-nocache.json"], off),
    ]
    for _, argv, e in commands:  # warm-up: .pyc files written, the start-up cache filled, the OS file cache warm
        run(argv, e, work)
    times: dict[str, list[tuple[float, float]]] = {key: [] for key, _, _ in commands}
    for _ in range(runs):
        for key, argv, e in commands:
            times[key].append(run(argv, e, work))
    return {key: (statistics.median(w for w, _ in t), statistics.median(c for _, c in t)) for key, t in times.items()}


# ------------------------------------------------------------------------------------------------- HTML


def _dose(p: dict) -> str:
    if p.get("reps"):
        amount = f"{p['sets']} x {p['reps']}" + (f"-{p['reps_max']}" if p.get("reps_max") else "")
    elif p.get("hold_s"):
        amount = f"{p['sets']} x {p['hold_s']} s hold"
    elif p.get("duration_s"):
        amount = f"{p['sets']} x {round(p['duration_s'] / 60)} min"
    else:
        amount = "as written"
    rest = f", rest {p['rest_s']} s" if p.get("rest_s") else ""
    times = f", {p['times_per_day']} times a day" if (p.get("times_per_day") or 1) > 1 else ""
    return f"{amount}{rest}{times}; {p.get('load') or ''} ({p.get('sides') or ''})"


def _list(items: list[str], tag: str = "ul") -> str:
    return f"<{tag}>" + "".join(f"<li>{html.escape(str(i))}</li>" for i in items) + f"</{tag}>" if items else ""


def _figure() -> str:
    """A small stick figure, start and end, so WeasyPrint also draws some vectors (far fewer than the handout)."""
    def man(x: int, lean: int) -> str:
        return (f'<circle cx="{x + lean}" cy="20" r="8" fill="none" stroke="#1a1a1f" stroke-width="3"/>'
                f'<line x1="{x + lean}" y1="28" x2="{x}" y2="70" stroke="#1a1a1f" stroke-width="4"/>'
                f'<line x1="{x}" y1="70" x2="{x - 12}" y2="110" stroke="#1a1a1f" stroke-width="4"/>'
                f'<line x1="{x}" y1="70" x2="{x + 14}" y2="110" stroke="#004d85" stroke-width="4"/>'
                f'<line x1="{x + lean}" y1="40" x2="{x + lean + 20}" y2="60" stroke="#1a1a1f" stroke-width="3"/>')
    return f'<svg width="180" height="84" viewBox="0 0 260 120">{man(60, 0)}{man(190, 18)}</svg>'


def plan_html(data: dict, catalogue: object) -> str:
    """The plan as one HTML document: cover, condition, pain, cautions, exercise cards, week pages, progress, sources."""
    e = html.escape
    font_dir = Path(floor_reportlab.font_path("fontpkg_atkinson_hyperlegible", "files"))
    faces = "".join(
        f"@font-face {{ font-family: Atkinson; font-weight: {w}; src: url('{(font_dir / f).as_uri()}'); }}"
        for w, f in ((400, "AtkinsonHyperlegible-Regular.ttf"), (700, "AtkinsonHyperlegible-Bold.ttf")))
    css = faces + """
        @page { size: A4; margin: 18mm;
                @bottom-center { content: 'Page ' counter(page) ' of ' counter(pages); font-family: Atkinson; font-size: 9pt; } }
        body { font-family: Atkinson; font-size: 11pt; color: #1a1a1f; line-height: 1.35; }
        h1 { font-size: 22pt; color: #004d85; } h2 { font-size: 15pt; color: #004d85; } h1, h2, h3 { break-after: avoid; }
        .page { break-before: page; } .week { font-size: 9.5pt; }
        table { border-collapse: collapse; width: 100%; } th { background: #e8eef4; }
        td, th { border: 0.5pt solid #888; padding: 3pt; vertical-align: top; text-align: left; }
        .box { border: 1pt solid #004d85; padding: 6pt; }
        .card { border-top: 1pt solid #004d85; margin-top: 6pt; font-size: 9pt; } .card h3 { margin: 3pt 0; font-size: 9pt; }
        .card p, .card ul, .card ol { margin: 2pt 0; } .cols td { border: none; width: 50%; padding: 0 6pt 0 0; }
    """
    req, diag = data["request"], data["diagnosis"]
    out = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Rehab plan for {e(req['name'])}</title>"
           f"<style>{css}</style></head><body>"]
    out.append(f"<h1>Your rehab plan</h1><p><b>{e(diag['plain_name'])}</b></p><table>")
    for label, value in (("Name", req["name"]), ("Patient id", req["patient_id"] or "-"), ("Condition", diag["name"]),
                         ("Grade", diag["grade"]), ("Side", req["side"]), ("Start", req["start"]), ("Weeks", req["weeks"]),
                         ("Days a week", req["days_per_week"]), ("Running before", f"{req['runner_km_per_week']} km a week")):
        out.append(f"<tr><th>{e(label)}</th><td>{e(str(value))}</td></tr>")
    out.append("</table><h2>Phases</h2><table><tr><th>Phase</th><th>Weeks</th><th>Goals</th></tr>")
    for i, ph in enumerate(data["phases"], 1):
        out.append(f"<tr><td>{i}. {e(ph['name'])}</td><td>{e(', '.join(map(str, ph['weeks'])))}</td><td>{e(ph['goals'][0])}</td></tr>")
    out.append("</table>")
    out.append(f"<div class='page'><h1>About your condition</h1><p>{e(diag['plain_name'])}</p><h2>What to expect</h2>")
    for i, ph in enumerate(data["phases"], 1):
        out.append(f"<p><b>{i}. {e(ph['name'])}</b>: {e(' '.join(ph['goals']))}</p>")
    out.append("</div>")
    pain = data["pain"]
    out.append(f"<div class='page'><h1>Pain: your traffic light</h1><table><tr><th>Score</th><th>What to do</th></tr>"
               f"<tr><td>0-{pain['green_max']}</td><td>Carry on and move up as the plan says.</td></tr>"
               f"<tr><td>{pain['green_max'] + 1}-{pain['amber_max']}</td><td>Stay at this level; do not move up.</td></tr>"
               f"<tr><td>{pain['refer_at']} or more</td><td>Stop and see a clinician.</td></tr></table><h2>Warning signs</h2>"
               + _list([f"{w['plain']} ({w['urgency']})" for w in data["warning_signs"]]) + "</div>")
    out.append(f"<div class='page'><h1>Notes for your plan</h1>{_list(data['cautions'])}<h2>Avoid</h2>{_list(data['avoid'])}</div>")
    seen: list[str] = []
    for week in data["weeks"]:
        for p in week["prescriptions"]:
            if p["exercise"] not in seen:
                seen.append(p["exercise"])
    out.append("<div class='page'><h1>Your exercises</h1><p>One card per exercise. The drawings show where you start and where "
               "you finish; the week pages tell you how much to do.</p>" + _list([catalogue.exercises[x].name for x in seen]) + "</div>")
    for x in seen:
        ex = catalogue.exercises[x]
        out.append(f"<div class='card'><h2>{e(ex.name)}</h2><p>{e(str(ex.category))} | "
                   f"{'each side' if ex.per_side else 'both legs together'} | how much: see your week pages</p>{_figure()}"
                   f"<p>{e(ex.summary)}</p><table class='cols'><tr><td><h3>How to do it</h3>{_list(list(ex.steps), 'ol')}</td>"
                   f"<td><h3>Tips</h3>{_list(list(ex.cues))}<h3>Avoid</h3>{_list(list(ex.mistakes))}</td></tr></table>"
                   + (f"<p class='box'>{e(str(ex.caution))}</p>" if getattr(ex, "caution", None) else "") + "</div>")
    phases = {ph["id"]: (i, ph) for i, ph in enumerate(data["phases"], 1)}
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    for week in data["weeks"]:
        i, ph = phases[week["phase"]]
        out.append(f"<div class='page week'><h1>Week {week['number']} of {len(data['weeks'])}</h1>"
                   f"<p><b>Phase {i} of {len(phases)}: {e(ph['name'])}</b> (from {e(week['start'])})</p>"
                   f"<p class='box'>Pain during exercise: 0-{pain['green_max']}/10: carry on; {pain['green_max'] + 1}/10 or more: "
                   f"stay at this level. Stop if: {e(ph['pain_rules']['stop_if'])}</p>"
                   "<table><tr><th>Exercise</th><th>How much</th><th>Days</th></tr>")
        for p in week["prescriptions"]:
            out.append(f"<tr><td><b>{e(p['name'])}</b><br>{e(' '.join(p['notes']))}</td><td>{e(_dose(p))}</td>"
                       f"<td>{e(' '.join(days[d] for d in p['days']))}</td></tr>")
        out.append("</table><table><tr>" + "".join(f"<th>{d}</th>" for d in days) + "</tr><tr>")
        for day in week["days"]:
            out.append("<td>" + "<br>".join(e(catalogue.exercises[x].name) + " \u2610" for x in day) + "</td>")
        out.append("</tr></table>" + _list([r["pattern"] + ". " + r["effort"] for r in week["running"]]) + _list(week["notes"]))
        if week["checkpoint"]:
            out.append("<h2>Checkpoint</h2>" + _list(["\u2610 " + c["text"] for c in ph["exit_criteria"]]))
        out.append("</div>")
    out.append("<div class='page'><h1>Your progress</h1><table><tr><th>Week</th><th>Phase</th><th>Running minutes</th>"
               "<th>Jog minutes</th><th>Exercises</th></tr>")
    for week in data["weeks"]:
        out.append(f"<tr><td>{week['number']}</td><td>{e(phases[week['phase']][1]['name'])}</td><td>{week['running_minutes']}</td>"
                   f"<td>{week['jog_minutes']}</td><td>{len(week['prescriptions'])}</td></tr>")
    out.append("</table></div><div class='page'><h1>Where this plan comes from</h1>"
               + _list([f"[{s['key']}] {s['citation']}" for s in data["sources"]]) + "<h2>Notes on the evidence</h2>"
               + _list(data["evidence_notes"]) + "</div></body></html>")
    return "".join(out)


# -------------------------------------------------------------------------------------------- in-process


def timed(call: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    c0, t0 = time.process_time(), time.perf_counter()
    call()
    return time.perf_counter() - t0, time.process_time() - c0


def in_process(work: Path, runs: int) -> dict[str, object]:
    os.environ["HAMREHAB_CACHE_DIR"] = str(work / "cache")
    import hamrehab

    catalogue = hamrehab.load_catalogue()
    plan = hamrehab.build_plan(hamrehab.make_request(REQUEST, flags=True), catalogue)
    first = timed(lambda: hamrehab.render_pdf(plan))  # (wall, cpu)
    pdf = hamrehab.render_pdf(plan)
    same = pdf == (work / "plan.pdf").read_bytes()
    doc = json.loads((work / "pages.json").read_text(encoding="utf-8"))
    floor_reportlab.register_fonts(doc)
    floor_reportlab.draw(doc, io.BytesIO())
    result: dict[str, object] = {"first": first, "same_as_cli": same, "pages": len(doc["pages"])}
    try:
        import weasyprint
    except Exception as exc:  # noqa: BLE001 - not installed, or its system libraries are missing
        weasy = None
        result["weasy_missing"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
    else:
        source = plan_html(json.loads(hamrehab.render_json(plan)), catalogue)
        (work / "plan.html").write_text(source, encoding="utf-8")

        def weasy() -> bytes:
            return weasyprint.HTML(string=source, base_url=str(work)).write_pdf()

        weasy()  # warm-up: fonts loaded, caches filled
        result["weasy_pages"] = len(weasyprint.HTML(string=source, base_url=str(work)).render().pages)
    times: dict[str, list[tuple[float, float]]] = {"render": [], "floor": [], "weasy": []}
    for _ in range(runs):
        times["render"].append(timed(lambda: hamrehab.render_pdf(plan)))
        times["floor"].append(timed(lambda: floor_reportlab.draw(doc, io.BytesIO())))
        if weasy is not None:
            times["weasy"].append(timed(weasy))
    result.update({k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in times.items() if v})
    return result


# ------------------------------------------------------------------------------------------------ report


def check_floor(work: Path) -> tuple[bool, int, int]:
    """Does the floor's PDF carry the handout's text runs (text, font, size, place) on as many pages?"""
    mine = floor_reportlab.extract(str(work / "floor.pdf"), str(work / "floor-pages.json"))["pages"]
    theirs = json.loads((work / "pages.json").read_text(encoding="utf-8"))["pages"]
    key = lambda page: [(r[0], r[1], r[2], r[3], r[6]) for r in page["runs"]]  # noqa: E731
    return (len(mine) == len(theirs) and all(key(a) == key(b) for a, b in zip(mine, theirs)), len(theirs),
            sum(len(p["runs"]) for p in theirs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="rounds of each measure (at least 7; default 9)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (plan.pdf, floor.pdf, plan.html, ...)")
    parser.add_argument("--python", help="the interpreter of the whole-process measures, e.g. a clean venv's bin/python with the "
                                         "wheel installed, as a user gets it (default: this one)")
    args = parser.parse_args()
    if args.python:
        PYTHON[0] = args.python
    runs = max(7, args.runs)
    work = Path(tempfile.mkdtemp(prefix="hamrehab-bench-speed-"))
    try:
        run([*hamrehab_command(), "plan", *PLAN_ARGS, "-o", "plan.pdf"], process_env(work / "cache"), work)
        floor_reportlab.extract(str(work / "plan.pdf"), str(work / "pages.json"))
        run([PYTHON[0], str(HERE / "floor_reportlab.py"), "pages.json", "floor.pdf"], process_env(work / "cache"), work)
        floor_ok, pages, text_runs = check_floor(work)
        proc = processes(work, runs)
        inproc = in_process(work, runs)
        report(proc, inproc, runs, floor_ok, pages, text_runs)
        if args.keep:
            print(f"\nfiles kept in {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def report(p: dict[str, tuple[float, float]], ip: dict[str, object], runs: int, floor_ok: bool, pages: int, text_runs: int) -> None:
    rows: list[tuple[str, str, str, str, str]] = []

    def proc(name: str, key: str, goal: float | None, goal_text: str | None = None) -> None:
        wall, cpu = p[key]
        ok = "" if goal is None else ("yes" if wall <= goal else "NO")
        rows.append((name, f"{wall:.3f} s", f"{cpu:.3f} s", goal_text or (f"<= {goal:.2f} s" if goal is not None else "reference"), ok))

    def ms(name: str, key: str, goal_text: str) -> None:
        wall, cpu = ip[key]  # type: ignore[misc]
        rows.append((name, f"{wall * 1000:.1f} ms", f"{cpu * 1000:.1f} ms", goal_text, ""))

    proc("12-week PDF handout (plan -o x.pdf), whole process", "pdf", 0.35)
    proc("  floor: minimal ReportLab script, same text, same pages", "floor", None, "floor")
    rows.append(("  handout / floor", f"{p['pdf'][0] / p['floor'][0]:.2f}x", f"{p['pdf'][1] / p['floor'][1]:.2f}x", "<= 1.00x",
                 "yes" if p["pdf"][0] <= p["floor"][0] else "NO"))
    proc("plan --format json, whole process", "json", 0.18)
    proc("exercises, whole process", "exercises", 0.16)
    proc("validate, whole process", "validate", 0.16)
    proc("reference: python -c pass", "pass", None)
    proc("reference: import pydantic, BaseModel", "pydantic", None)
    proc("reference: import reportlab.platypus", "platypus", None)
    proc("reference: import hamrehab", "import", None)
    proc("start-up cache: import hamrehab + load_catalogue(), warm", "load-warm", None)
    proc("start-up cache: the same, cache off (HAMREHAB_NO_CACHE=1)", "load-off", None)
    proc("start-up cache: plan --format json, cache off", "json-off", None)
    pages_n = int(ip["pages"])  # type: ignore[arg-type]
    render, floor = ip["render"], ip["floor"]
    ms(f"in-process render_pdf, 12 weeks ({pages_n} pages), warm", "render", f"{render[0] / pages_n * 1000:.1f} ms/page")  # type: ignore[index]
    ms("  first render_pdf in a process (ReportLab, fonts, drawings)", "first", "reference")
    ms("  floor's drawing alone, in-process (text only)", "floor", f"{floor[0] / pages_n * 1000:.1f} ms/page")  # type: ignore[index]
    if "weasy" in ip:
        weasy = ip["weasy"]
        ms(f"  WeasyPrint, same content as HTML ({ip['weasy_pages']} pages), warm", "weasy", "reference")
        ratio = weasy[0] / render[0]  # type: ignore[index]
        rows.append(("  WeasyPrint / hamrehab, in-process", f"{ratio:.1f}x", f"{weasy[1] / render[1]:.1f}x", ">= 12x",  # type: ignore[index]
                     "yes" if ratio >= 12 else "NO"))
    else:
        rows.append(("  WeasyPrint, same content", "not measured", "", str(ip.get("weasy_missing", "")), ""))

    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = ""
    print(f"bench_speed: {os.cpu_count()} CPUs, {load}; Python {sys.version.split()[0]}; medians of {runs} interleaved rounds; "
          f"whole processes run by {PYTHON[0]}")
    print("figure: wall-clock time (what the goals are about); cpu: user + system time of the process (steadier on a busy machine)")
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}} | {'figure':>10} | {'cpu':>10} | {'floor/goal':<16} | ok")
    print(f"{'-' * width}-+-{'-' * 10}-+-{'-' * 10}-+-{'-' * 16}-+---")
    for name, figure, cpu, goal, ok in rows:
        print(f"{name:<{width}} | {figure:>10} | {cpu:>10} | {goal:<16} | {ok}")
    print(f"\nfloor check: the floor's PDF has the handout's {text_runs} text runs (text, font, size, place) on {pages} pages: "
          f"{'yes' if floor_ok else 'NO'}")
    print(f"in-process render_pdf gives the same bytes as the `hamrehab plan` process: {'yes' if ip['same_as_cli'] else 'NO'}")
    print("measured elsewhere: the web app's warm path (python benchmarks/bench_web.py), a clinician's folder of 2000 "
          "exercises (python benchmarks/bench_catalogue.py), batch plans/s (python benchmarks/bench_batch.py)")


if __name__ == "__main__":
    main()
