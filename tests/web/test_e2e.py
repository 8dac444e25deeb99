"""End to end in real headless Chromium (Debian's `chromium`, driven by Playwright): the app served by uvicorn
on a free port, used as a person would: New plan with a dropped exercise read back from the PDF, triage to
a plan, a follow-up from a saved JSON, a roster to a zip, New plan by keyboard alone, and one walk over every page at
four window sizes: an axe-core scan, no reflow at 200% zoom or 320 px, and a screenshot of each page at desktop
and phone size (output/screenshots/)."""
from __future__ import annotations

import io
import re
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("no chromium binary on this machine (apt-get install -y chromium; .ci/run installs it)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed (pip install -e '.[test]')")

import uvicorn

from hamrehab.web import Settings, create_app

from .support import pdf_text
from .test_routes import SPRINTER

# Under pytest-xdist the module runs as two groups, each on one worker with its own browser and server:
# the people's paths through the app, and the walks over every page (accessibility, screenshots, reflow).
FLOWS = pytest.mark.xdist_group("e2e-flows")
WALKS = pytest.mark.xdist_group("e2e-walks")
ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
SHOTS = ROOT / "output" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SMALL_ROSTER = (b"patient_id,name,diagnosis,grade,side,pain\nP001,Sam Runner,hamstring-strain,2,left,2\n"
                b"P002,Ana Souza,proximal-tendinopathy,,right,3\nP003,Jo Lee,hamstring,,left,1\nP004,Kim Park,doms,,both,12\n")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, catalogue: Any) -> Iterator[str]:
    # The socket is bound here, to a port the system picks, and handed to uvicorn: no window in which another
    # test process (pytest-xdist runs several) could take the port between choosing it and binding it.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = create_app(Settings(tmp_root=tmp_path_factory.mktemp("e2e") / "web"), catalogue=catalogue)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=30)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    expected = re.compile(r"Failed to load resource: the server responded with a status of 4\d\d")  # bad input: a 4xx, by design
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" and not expected.search(m.text) else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    context.close()
    assert errors == [], f"errors in the browser console (a CSP violation?): {errors}"


def _until(pg: Any, expression: str, timeout: float = 30.0, message: Any = None) -> None:
    """Wait until a JavaScript expression is true (Playwright's wait_for_function evaluates strings with eval,
    which the page's CSP rightly forbids; page.evaluate is not subject to it). `message()` adds to a timeout's report."""
    deadline = time.monotonic() + timeout
    while not pg.evaluate(expression):
        assert time.monotonic() < deadline, f"timed out waiting for: {expression}" + (f" ({message()!r})" if message else "")
        time.sleep(0.05)


def _settled(pg: Any) -> None:
    pg.wait_for_load_state("networkidle")
    _until(pg, "!document.documentElement.hasAttribute('data-busy')")  # set by app.js until the swap has settled


def _download(pg: Any, button: Any) -> bytes:
    with pg.expect_download() as info:
        button.click()
    return Path(info.value.path()).read_bytes()


# ------------------------------------------------------------------ New plan

@FLOWS
def test_new_plan_drop_an_exercise_and_read_the_pdf(page: Any, server: str) -> None:
    page.goto(server + "/plan")
    page.get_by_label("Name", exact=True).fill("Sam Runner")
    page.get_by_role("group", name="Side of the pain").get_by_label("Left").check()
    page.get_by_label("Length in weeks").fill("8")
    page.get_by_label("Length in weeks").press("Tab")
    _until(page, "document.querySelector('#preview').textContent.includes('8 weeks')")
    _settled(page)  # no preview update still on its way to replace the card about to be clicked
    assert page.locator("#preview").get_by_text("Sam Runner").count() >= 1
    assert page.locator("#card-chair-bridge").count() == 1
    page.get_by_role("button", name="Leave out Chair bridge").click()
    _until(page, "!document.querySelector('#card-chair-bridge')", message=lambda: page.locator("#preview-status").inner_text())
    _settled(page)
    assert page.evaluate("document.activeElement.id") == "changes"  # focus follows the change
    assert "Left out: Chair bridge" in page.locator("#changes").inner_text()
    text = pdf_text(_download(page, page.get_by_role("button", name="Download the handout (PDF)")))
    assert "Sam Runner" in text and "Left out: Chair bridge." in text
    assert "Chair bridge" not in text.replace("Left out: Chair bridge.", "")


@FLOWS
def test_swap_and_dose_in_the_preview(page: Any, server: str) -> None:
    page.goto(server + "/plan")
    select = page.locator("select[name^='swap_to__']").first
    old = select.get_attribute("name").split("__", 1)[1]
    option = select.locator("option").nth(1)
    new, label = option.get_attribute("value"), option.inner_text()
    select.select_option(new)
    page.locator(f"#swapbtn-{old}").click()
    page.wait_for_selector(f"#card-{new}")
    _settled(page)
    assert page.evaluate("document.activeElement.id") == f"card-{new}"  # the swapped-in card
    assert f"{label} instead of" in page.locator("#changes").inner_text()
    box = page.locator("input[name='dose_sets__chair-bridge']")
    top = box.get_attribute("max")
    box.fill(top)
    page.locator("#dosebtn-chair-bridge").click()
    _until(page, "document.querySelector('#changes').textContent.includes('Starting dose of Chair bridge')")
    _settled(page)
    assert page.evaluate("document.activeElement.id") == "dosebtn-chair-bridge"  # focus stays on the button pressed
    assert page.locator("input[name='dose_sets__chair-bridge']").input_value() == top


@FLOWS
def test_a_bad_value_shows_its_message_beside_the_field(page: Any, server: str) -> None:
    page.goto(server + "/plan")
    page.get_by_label("Pain now, 0 to 10").fill("11")
    page.get_by_label("Pain now, 0 to 10").press("Tab")
    _until(page, "document.querySelector('#err-pain').textContent.includes('out of range')")
    _settled(page)
    assert page.get_by_label("Pain now, 0 to 10").get_attribute("aria-invalid") == "true"
    assert "Pain now" in page.locator("#page-errors").inner_text()
    page.get_by_label("Pain now, 0 to 10").fill("2")
    page.get_by_label("Pain now, 0 to 10").press("Tab")
    _until(page, "document.querySelector('#err-pain').textContent.trim() === ''")


# ------------------------------------------------------------------ triage → plan

@FLOWS
def test_triage_to_a_filled_in_plan(page: Any, server: str, catalogue: Any) -> None:
    page.goto(server + "/triage")
    for _ in range(60):
        key_field = page.locator("input[name='question']")
        if key_field.count() == 0:
            break
        key = key_field.get_attribute("value")
        question = catalogue.triage.question[key]
        answer = SPRINTER.get(key, "?")
        if question.kind in ("yes-no", "choice"):
            page.locator(f"input[name='answer'][value='{answer}']").check()
            page.get_by_role("button", name="Next").click()
        elif answer == "?":
            page.get_by_role("button", name="I don't know").click()
        else:
            page.locator("#answer").fill(answer)
            page.locator("#answer").press("Enter")
        page.wait_for_load_state()
    assert page.get_by_role("heading", name="What your answers point to").count() == 1
    page.get_by_role("button", name="Open New plan, filled in with these answers").click()
    page.wait_for_url(server + "/plan")
    assert page.locator("#f-diagnosis").input_value() == "hamstring-strain"
    assert page.get_by_label("Name", exact=True).input_value() == "Sam"
    assert page.locator("#preview .card").count() > 3


# ------------------------------------------------------------------ follow-up

@FLOWS
def test_follow_up_from_a_saved_json(page: Any, server: str, tmp_path: Path) -> None:
    page.goto(server + "/plan")
    page.get_by_label("Name", exact=True).fill("Ana Souza")
    page.get_by_label("Length in weeks").fill("6")
    page.get_by_label("Length in weeks").press("Tab")
    _until(page, "document.querySelector('#preview').textContent.includes('6 weeks')")
    saved = tmp_path / "ana.json"
    saved.write_bytes(_download(page, page.get_by_role("button", name="Plan file for the follow-up (.json)")))
    page.goto(server + "/follow-up")
    page.get_by_label("Last plan (.json)").set_input_files(str(saved))
    page.get_by_label("Passed").check()
    _until(page, "document.querySelector('#preview').textContent.includes('Ana Souza')")
    _settled(page)
    assert page.locator("#preview .week").count() > 0
    text = pdf_text(_download(page, page.get_by_role("button", name="Download the handout (PDF)")))
    assert "Ana Souza" in text


# ------------------------------------------------------------------ roster

@FLOWS
def test_roster_upload_to_zip(page: Any, server: str) -> None:
    page.goto(server + "/roster")
    page.get_by_label("Roster file").set_input_files(str(ROOT / "examples" / "roster.csv"))
    page.get_by_label("JSON (for follow-up visits)").check()
    page.get_by_role("button", name="Make the plans").click()
    page.get_by_role("button", name="Download the zip").wait_for(timeout=240_000)
    rows = sum(1 for line in (ROOT / "examples" / "roster.csv").read_text().splitlines()[1:] if line.strip())
    data = _download(page, page.get_by_role("button", name="Download the zip"))
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"errors.csv", "manifest.csv", "P001.pdf", "P001.json"} <= names
    assert len([n for n in names if n.endswith(".pdf")]) + (len(zipfile.ZipFile(io.BytesIO(data)).read("errors.csv").splitlines()) - 1) >= rows


# ------------------------------------------------------------------ keyboard alone

def _tab_to(pg: Any, predicate: str, limit: int = 400) -> int:
    """Press Tab until `predicate` (JS, on document.activeElement as `el`) holds; every stop must show a focus ring.

    One evaluate per stop asks both questions (ring, predicate) and brings the element's HTML for the message."""
    probe = ("() => { const el = document.activeElement; const s = getComputedStyle(el);"
             " return [s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,"
             f" Boolean((el => {{ {predicate} }})(el)), el.outerHTML.slice(0, 120)] }}")
    for n in range(1, limit):
        pg.keyboard.press("Tab")
        ring, reached, html = pg.evaluate(probe)
        assert ring, f"no visible focus on {html}"
        if reached:
            return n
    raise AssertionError(f"Tab never reached: {predicate}")


@FLOWS
def test_new_plan_by_keyboard_alone(page: Any, server: str) -> None:
    page.goto(server + "/plan")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    _tab_to(page, "return el.id === 'f-name'")
    page.keyboard.type("Kim Keys")
    _tab_to(page, "return el.id === 'f-weeks'")
    page.keyboard.type("10")
    page.keyboard.press("Tab")  # leaving the field updates the preview
    _until(page, "document.querySelector('#preview').textContent.includes('10 weeks')")
    _settled(page)
    _tab_to(page, "return el.id === 'drop-chair-bridge'")
    page.keyboard.press("Enter")
    page.wait_for_selector("#card-chair-bridge", state="detached")
    _settled(page)
    assert page.evaluate("document.activeElement.id") == "changes"
    page.keyboard.press("Shift+Tab")
    for _ in range(60):  # back up to the download button, above the changes
        if (page.evaluate("document.activeElement.textContent") or "").startswith("Download the handout"):
            break
        page.keyboard.press("Shift+Tab")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    text = pdf_text(Path(info.value.path()).read_bytes())
    assert "Kim Keys" in text and "Left out: Chair bridge." in text


# ------------------------------------------------------------------ accessibility, reflow, screenshots

READY = """() => !document.documentElement.hasAttribute('data-busy') && document.readyState === 'complete'
    && document.fonts.status === 'loaded'
    && [...document.images].every(i => i.complete || (i.loading === 'lazy' && i.getBoundingClientRect().top > innerHeight))"""


def _loaded(pg: Any) -> None:
    """A page just opened is whole: loaded, fonts in, every image in view drawn, no request of htmx's out.

    The walk below opens twelve states four times; waiting for this rather than for 'networkidle' (half a second
    of silence each time) is what the checks need: the pages start no request of their own once loaded."""
    _until(pg, READY)


@pytest.fixture(scope="module")
def roster_done(browser: Any, server: str) -> str:
    """The address of a small roster's finished page, made once for every walk (each walk visits the page; the
    upload itself, as a person does it, is test_roster_upload_to_zip's)."""
    context = browser.new_context(viewport=DESKTOP)
    pg = context.new_page()
    pg.goto(server + "/roster")
    pg.get_by_label("Roster file").set_input_files(files=[{"name": "clinic.csv", "mimeType": "text/csv", "buffer": SMALL_ROSTER}])
    pg.get_by_role("button", name="Make the plans").click()
    pg.get_by_role("button", name="Download the zip").wait_for(timeout=120_000)
    url: str = pg.url
    context.close()
    assert re.fullmatch(re.escape(server) + r"/roster/[\w-]+", url), url
    return url


ANCHORS = {"plan-cards": "#card-chair-bridge"}  # a state further down its page: in view at every window size


def _pages(pg: Any, server: str, roster_done: str) -> Iterator[str]:
    """Visit each page (and the states worth checking); yield a name for each."""
    for path, name in (("/", "home"), ("/plan", "plan"), ("/triage", "triage"), ("/follow-up", "follow-up"),
                       ("/roster", "roster"), ("/exercises", "exercises"), ("/exercises/nordic-curl", "exercise"),
                       ("/no-such-page", "not-found")):
        pg.goto(server + path)
        _loaded(pg)
        yield name
        if name == "plan":
            pg.locator(ANCHORS["plan-cards"]).scroll_into_view_if_needed()
            _loaded(pg)
            yield "plan-cards"
    pg.goto(server + "/plan")
    pg.get_by_label("Pain now, 0 to 10").fill("11")
    pg.get_by_label("Pain now, 0 to 10").press("Tab")
    _until(pg, "document.querySelector('#err-pain').textContent.trim() !== ''")
    _loaded(pg)
    yield "plan-error"
    pg.goto(server + "/triage")
    pg.locator("input[name='answer'][value='y']").check()
    pg.get_by_role("button", name="Next").click()
    pg.wait_for_load_state()
    _loaded(pg)
    yield "triage-result"
    pg.goto(roster_done)
    assert pg.get_by_role("button", name="Download the zip").count() == 1
    _loaded(pg)
    yield "roster-done"


def _axe(pg: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings. Its source is run through page.evaluate, which the page's
    Content-Security-Policy does not govern, so the scan sees the page exactly as a visitor's browser does."""
    pg.evaluate("() => { " + AXE.read_text(encoding="utf-8") + "\n}")
    result = pg.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _screen(pg: Any, name: str, tag: str, viewport: dict[str, int]) -> int | None:
    """Screenshot this state, every image not lazily loaded drawn; its width when wider than the screen, else None."""
    _until(pg, "[...document.images].every(i => i.loading === 'lazy' || (i.complete && i.naturalWidth > 0))")
    pg.screenshot(path=str(SHOTS / f"{name}-{tag}.png"))
    return _width(pg, viewport)


ZOOMED = {"width": 640, "height": 450}  # 200% zoom on a 1280 px window: a 640 px layout at twice the size
NARROWEST = {"width": 320, "height": 640}  # WCAG reflow asks for 320 px


def _width(pg: Any, viewport: dict[str, int]) -> int | None:
    """The page's width when wider than the window, else None."""
    width = pg.evaluate("document.documentElement.scrollWidth")
    return width if width > viewport["width"] + 1 else None


@pytest.fixture(scope="module")
def walk(browser: Any, server: str, roster_done: str) -> dict[str, Any]:
    """Every page (and state worth checking) visited once, at four window sizes in turn: a screenshot and the width
    at desktop and phone size, the width at 200% zoom and at 320 px, then back at desktop size the axe-core scan (last,
    so that it leaves no mark on a screenshot). Resizing the window lays the same page out again, as a visitor's
    browser does; the zoom is the layout of a 640 px window (the scale factor changes only how sharp it is drawn)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=DESKTOP)
    pg = context.new_page()
    wide: dict[str, dict[str, int]] = {"desktop": {}, "phone": {}, "zoom": {}}
    found: dict[str, Any] = {}
    for name in _pages(pg, server, roster_done):
        for tag, viewport, shot in (("desktop", DESKTOP, True), ("phone", PHONE, True), ("zoom", ZOOMED, False),
                                    ("zoom", NARROWEST, False)):
            if tag != "desktop":
                pg.set_viewport_size(viewport)
                if name in ANCHORS:
                    pg.locator(ANCHORS[name]).scroll_into_view_if_needed()
                _loaded(pg)
            if (width := _screen(pg, name, tag, viewport) if shot else _width(pg, viewport)) is not None:
                wide[tag][name if viewport is not NARROWEST else f"{name}@320"] = width
        pg.set_viewport_size(DESKTOP)
        if name in ANCHORS:
            pg.locator(ANCHORS[name]).scroll_into_view_if_needed()
        _loaded(pg)
        bad = _axe(pg)
        if bad:
            found[name] = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in bad]
    context.close()
    return {"axe": found, "wide": wide}


@WALKS
def test_accessibility_scan_of_every_page(walk: dict[str, Any]) -> None:
    assert walk["axe"] == {}


@WALKS
@pytest.mark.parametrize("viewport,tag", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_screenshots_and_no_sideways_scrolling(walk: dict[str, Any], viewport: dict[str, int], tag: str) -> None:
    assert walk["wide"][tag] == {}, f"pages wider than the screen ({viewport['width']} px): {walk['wide'][tag]}"


@WALKS
def test_readable_at_200_percent_zoom(walk: dict[str, Any]) -> None:
    """At 200% zoom (a 640 px layout) and at 320 px, no page scrolls sideways."""
    assert walk["wide"]["zoom"] == {}
