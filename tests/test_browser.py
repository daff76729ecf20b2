"""The HTML report as a person sees it: opened in headless Chromium, served from localhost.

Needs Debian's ``chromium`` package (``/usr/bin/chromium``; ``make test``
installs it with apt-get) and the Python package ``playwright`` (in the test
extra; its own browser download is not used). Without them the tests fail:
a report nobody opened is not tested.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from leadlib import report
from leadlib.paths import NOTEBOOKS_DIR

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("LEADLIB_CHROMIUM", "/usr/bin/chromium")
# As root in a container, Chromium needs --no-sandbox; the rest keep it from
# calling home (updates, sync, field trials), which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
]


def _need_browser():
    problems = []
    if not Path(CHROMIUM).exists():
        problems.append(f"{CHROMIUM} not found (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("playwright not installed (pip install playwright)")
    if problems:
        pytest.fail("the browser test cannot run: " + "; ".join(problems) + " (make test installs both)")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A 3-site report served over HTTP on 127.0.0.1, for as long as the tests need it."""
    _need_browser()
    from leadlib.simulate import simulate_study, write_study

    base = tmp_path_factory.mktemp("browser")
    write_study(simulate_study(n_sites=3, seed=21), base / "study", seed=21, overwrite=True)
    notebooks = base / "notebooks"
    notebooks.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "site-report.ipynb", notebooks / "site-report.ipynb")
    out = base / "out"
    report.render_report(base / "study", out, jobs=2, min_n=3, notebooks_dir=notebooks, progress=lambda s: None)

    handler = functools.partial(_QuietHandler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def browser(served):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def visit(browser, url: str, tmp_path: Path) -> dict:
    """Open a page; record every request, where it went, console errors and page errors."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    requests, blocked, errors = [], [], []

    def route(r):
        host = urlparse(r.request.url).hostname
        requests.append(r.request.url)
        if r.request.url.startswith("data:") or host == "127.0.0.1":
            r.continue_()
        else:  # never let it leave the machine; remember that it tried
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}") if r.url not in blocked else None)
    response = page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    images = page.evaluate(
        "Array.from(document.images).map(i => ({src: i.src.slice(0, 30), complete: i.complete, w: i.naturalWidth}))"
    )
    text = page.evaluate("document.body ? document.body.innerText : ''")
    shot = tmp_path / (urlparse(url).path.strip("/").replace("/", "_") or "index")
    page.screenshot(path=f"{shot}.png", full_page=False)
    links = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    context.close()
    return {
        "status": response.status,
        "requests": requests,
        "blocked": blocked,
        "errors": errors,
        "images": images,
        "text": text,
        "links": links,
        "screenshot": f"{shot}.png",
    }


def test_index_opens_offline_and_links_every_page(browser, served, tmp_path):
    seen = visit(browser, f"{served}/index.html", tmp_path)
    assert seen["status"] == 200
    assert seen["blocked"] == [], "the page asked another host for something"
    assert seen["errors"] == []
    assert "SYNTHETIC" in seen["text"] and len(seen["text"]) > 300
    for target in ["checklist.html", "sites/S01.html", "sites/S02.html", "sites/S03.html"]:
        assert target in seen["links"]
    assert all(i["w"] > 0 for i in seen["images"])


def test_site_report_renders_with_its_figures(browser, served, tmp_path):
    seen = visit(browser, f"{served}/sites/S02.html", tmp_path)
    assert seen["status"] == 200
    assert seen["blocked"] == [], "the page asked another host for something"
    assert seen["errors"] == []
    assert len(seen["images"]) >= 2
    assert all(i["complete"] and i["w"] > 0 for i in seen["images"]), seen["images"]
    assert all(i["src"].startswith("data:image/png") for i in seen["images"])
    text = seen["text"]
    for heading in [
        "What this report is and how to read it",
        "three processes",
        "Where your unit stands out",
        "Action planning",
        "Methods and limits",
    ]:
        assert heading in text
    assert "SYNTHETIC" in text
    assert all(urlparse(u).hostname in (None, "127.0.0.1") for u in seen["requests"] if not u.startswith("data:"))
    # the screenshot is not a blank page: more than a handful of distinct colours
    from PIL import Image

    colours = Image.open(seen["screenshot"]).convert("RGB").getcolors(maxcolors=1_000_000)
    assert colours is not None and len(colours) > 20


def test_checklist_page(browser, served, tmp_path):
    seen = visit(browser, f"{served}/checklist.html", tmp_path)
    assert seen["blocked"] == [] and seen["errors"] == []
    assert "COREQ" in seen["text"] and "SRQR" in seen["text"] and "to be written by the authors" in seen["text"]
