"""hamrehab as a user gets it: build the wheel, install it in a clean venv, and use it outside the checkout.

    python3 scripts/wheel_smoke.py [--keep]

1. Builds the wheel (`pip wheel --no-deps`) from a clean copy of the source tree, so a stale `build/`
   folder can't slip an old module in, and leaves it in dist/.
2. Checks the wheel's file list: every file under hamrehab/ (Python, web templates and static files)
   and every exercise, protocol and rules YAML is in it, and no module the source tree doesn't have.
3. Makes a venv in a temporary folder and installs the wheel with its dependencies (from the index).
4. From a folder outside the checkout, with PYTHONPATH cleared: `hamrehab --version` is the source's
   version; `hamrehab plan ... -o x.pdf` writes a PDF (with a name in Arabic, Hebrew, Thai and Chinese,
   so every font package is opened); `--format json` and `text` work; `hamrehab validate` and
   `hamrehab exercises` pass; `hamrehab serve --no-browser --port 0` answers 200 on `/` and on a static
   file, then stops on Ctrl-C (SIGINT).

Exit 0 when all of this works; 1 with the first failure and the command's output otherwise.
Called by .ci/run after the tests. --keep leaves the temporary folder for a look.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_FOLDERS = ("exercises", "protocols", "rules")  # installed as hamrehab.data.<folder> (setup.cfg package_dir)
# What a build never needs: caches, earlier builds, outputs, the tests.
COPY_IGNORE = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", ".venv", "venv", "__pycache__", "*.pyc", ".pytest_cache", ".mypy_cache",
    ".ruff_cache", ".hypothesis", ".benchmarks", "output", "tests", "benchmarks", ".coverage*", "htmlcov",
)
NAME = "Zoë محمد שרה สมชาย 张伟"  # Latin extras, Arabic, Hebrew, Thai, CJK: every font package is opened
SERVE_TIMEOUT = 60.0


class SmokeFailed(Exception):
    pass


@contextmanager
def step(title: str) -> Iterator[None]:
    """Print a step's title, and its time when it is done."""
    start = time.monotonic()
    print(f"wheel smoke: {title} ...", flush=True)
    yield
    print(f"wheel smoke:   ok ({time.monotonic() - start:.1f} s)", flush=True)


def run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None, expect: int = 0) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, timeout=900)
    if result.returncode != expect:
        raise SmokeFailed(f"{' '.join(args)} exited {result.returncode} (expected {expect})\n"
                          f"--- stdout\n{result.stdout.decode(errors='replace')[-4000:]}\n"
                          f"--- stderr\n{result.stderr.decode(errors='replace')[-4000:]}")
    return result


def source_version() -> str:
    """`__version__` as hamrehab/__init__.py writes it (the one place it is written)."""
    tree = ast.parse((ROOT / "hamrehab" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise SmokeFailed("hamrehab/__init__.py has no __version__")


def build_wheel(tmp: Path) -> Path:
    source = tmp / "src"
    shutil.copytree(ROOT, source, ignore=COPY_IGNORE, symlinks=True)
    house = tmp / "wheelhouse"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(house), str(source)], cwd=tmp)
    wheels = sorted(house.glob("hamrehab-*.whl"))
    if len(wheels) != 1:
        raise SmokeFailed(f"expected one hamrehab wheel, found {[w.name for w in wheels]}")
    dist = ROOT / "dist"
    dist.mkdir(exist_ok=True)
    shutil.copy2(wheels[0], dist / wheels[0].name)
    return wheels[0]


def expected_files() -> set[str]:
    """The paths the wheel must hold: everything under hamrehab/ and the built-in YAML."""
    found = {p.relative_to(ROOT).as_posix() for p in (ROOT / "hamrehab").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc" and not p.name.startswith(".")}
    for folder in DATA_FOLDERS:
        found |= {f"hamrehab/data/{folder}/{p.name}" for p in (ROOT / folder).glob("*.yaml")}
    return found


def check_contents(wheel: Path, version: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = {n for n in archive.namelist() if not n.endswith("/")}
        metadata = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        if metadata is None:
            raise SmokeFailed(f"{wheel.name} has no METADATA")
        meta = archive.read(metadata).decode()
    missing = sorted(expected_files() - names)
    if missing:
        raise SmokeFailed(f"{wheel.name} lacks {len(missing)} file(s) of the source tree (setup.cfg packages or "
                          f"package_data?): {missing[:20]}")
    ours = {n for n in names if n.startswith("hamrehab/") and n.endswith(".py")}
    stray = sorted(n for n in ours if not (ROOT / n).is_file())
    if stray:
        raise SmokeFailed(f"{wheel.name} has modules the source tree doesn't: {stray[:20]}")
    for folder in DATA_FOLDERS:
        if not any(n.startswith(f"hamrehab/data/{folder}/") and n.endswith(".yaml") for n in names):
            raise SmokeFailed(f"{wheel.name} has no {folder} YAML")
    if f"\nVersion: {version}\n" not in meta:
        raise SmokeFailed(f"{wheel.name}'s METADATA does not give version {version}")
    unbounded = [line for line in meta.splitlines() if line.startswith("Requires-Dist:") and "extra ==" not in line
                 and "<" not in line and "==" not in line]
    if unbounded:
        raise SmokeFailed(f"runtime dependencies without an upper bound: {unbounded}")


def make_venv(tmp: Path, wheel: Path) -> tuple[Path, dict[str, str]]:
    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv), PYTHONNOUSERSITE="1",
               HAMREHAB_CACHE_DIR=str(tmp / "cache"), PYTHONIOENCODING="utf-8")
    run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", "--no-input", str(wheel)], cwd=tmp, env=env)
    return bin_dir, env


def check_installed(bin_dir: Path, env: dict[str, str], work: Path, version: str) -> None:
    where = run([str(bin_dir / "python"), "-c", "import hamrehab; print(hamrehab.__file__)"], cwd=work, env=env)
    location = Path(where.stdout.decode().strip()).resolve()
    if ROOT in location.parents or not str(location).startswith(str(bin_dir.parent.resolve())):
        raise SmokeFailed(f"hamrehab was imported from {location}, not from the venv")
    shown = run([str(bin_dir / "hamrehab"), "--version"], cwd=work, env=env).stdout.decode()
    if version not in shown:
        raise SmokeFailed(f"hamrehab --version says {shown.strip()!r}, the source says {version}")


def check_plan(hamrehab: str, env: dict[str, str], work: Path) -> None:
    args = [hamrehab, "plan", "--diagnosis", "hamstring-strain", "--grade", "2", "--start", "2026-03-02", "--name", NAME]
    result = run([*args, "-o", "x.pdf"], cwd=work, env=env)
    pdf = (work / "x.pdf").read_bytes()
    if not pdf.startswith(b"%PDF-") or b"%%EOF" not in pdf[-1024:] or len(pdf) < 10_000:
        raise SmokeFailed(f"x.pdf is not a whole PDF ({len(pdf)} bytes, starts {pdf[:8]!r})")
    warned = [line for line in result.stderr.decode(errors="replace").splitlines() if line.startswith("warning:")]
    if warned:  # e.g. a character no installed font has: a font package or file is missing
        raise SmokeFailed("the plan printed warnings:\n" + "\n".join(warned))
    plan = json.loads(run([*args, "--format", "json", "-o", "-"], cwd=work, env=env).stdout)
    if "schema_version" not in plan:
        raise SmokeFailed("the JSON plan has no schema_version")
    text = run([*args, "--format", "text", "-o", "-"], cwd=work, env=env).stdout.decode()
    if NAME.split()[0] not in text:
        raise SmokeFailed("the text plan lacks the runner's name")


def _fetch(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # a loopback http:// URL built here
        return response.status, response.read()


def check_serve(hamrehab: str, env: dict[str, str], work: Path) -> None:
    server = subprocess.Popen([hamrehab, "serve", "--no-browser", "--port", "0"], cwd=work, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines: queue.Queue[str] = queue.Queue()
    said: list[str] = []

    def read() -> None:
        assert server.stderr is not None
        for raw in server.stderr:
            lines.put(raw.decode(errors="replace"))

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + SERVE_TIMEOUT
        url = None
        while url is None:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SmokeFailed(f"hamrehab serve did not say where it runs (exit {server.poll()}):\n{''.join(said)}")
            try:
                said.append(lines.get(timeout=0.2))
            except queue.Empty:
                continue
            found = re.search(r"running at (http://127\.0\.0\.1:\d+/)", said[-1])
            url = found.group(1) if found else None
        status, body = 0, b""
        while status != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SmokeFailed(f"hamrehab serve never answered 200 at {url} (exit {server.poll()}):\n{''.join(said)}")
            try:
                status, body = _fetch(url)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        if b"hamrehab" not in body.lower() or b"/static/app.css" not in body:
            raise SmokeFailed(f"{url} answered 200 but not with hamrehab's home page: {body[:300]!r}")
        status, css = _fetch(url + "static/app.css")
        if status != 200 or not css:
            raise SmokeFailed(f"{url}static/app.css: {status}, {len(css)} bytes")
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)  # Ctrl-C: uvicorn's graceful shutdown
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
                raise SmokeFailed("hamrehab serve did not stop on Ctrl-C within 15 s") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (venv, wheel, outputs)")
    options = parser.parse_args(argv)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="hamrehab-wheel-smoke-")).resolve()
    if ROOT in tmp.parents:
        raise SystemExit(f"the temporary folder {tmp} is inside the checkout: set TMPDIR elsewhere")
    work = tmp / "work"
    work.mkdir()
    try:
        version = source_version()
        with step("build the wheel from a clean copy of the source"):
            wheel = build_wheel(tmp)
        with step(f"check {wheel.name}'s contents"):
            check_contents(wheel, version)
        with step("install it with its dependencies in a clean venv"):
            bin_dir, env = make_venv(tmp, wheel)
        hamrehab = str(bin_dir / "hamrehab")
        with step(f"outside the checkout ({work}): import, --version"):
            check_installed(bin_dir, env, work, version)
        with step("hamrehab plan -o x.pdf, --format json, --format text"):
            check_plan(hamrehab, env, work)
        with step("hamrehab validate, hamrehab exercises"):
            run([hamrehab, "validate"], cwd=work, env=env)
            run([hamrehab, "exercises"], cwd=work, env=env)
        with step("hamrehab serve --no-browser --port 0: GET / and a static file, then Ctrl-C"):
            check_serve(hamrehab, env, work)
    except SmokeFailed as failure:
        print(f"wheel smoke: FAILED: {failure}", file=sys.stderr)
        if not options.keep:
            print("wheel smoke: (rerun with --keep to look in the temporary folder)", file=sys.stderr)
        return 1
    finally:
        if options.keep:
            print(f"wheel smoke: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"wheel smoke: passed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
