"""Open rendered reports in headless Chromium (Debian's ``chromium``, never a downloaded one).

Each page must load with no console error, no request to anything but the
page's own ``file://`` URL, every image decoded, no code input, and exported
text with markup (``<img src=x onerror=...>``) shown as text, never run.
Skipped when /usr/bin/chromium is missing, unless ``CI=true`` (the ``browser`` and
``demo_reports`` fixtures are in conftest.py, shared with test_look.py).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from smmkit.batch.runner import run_reports
from smmkit.kpi.periods import Period

REPORT_NOTEBOOKS = Path(__file__).resolve().parents[1] / "fixtures" / "notebooks" / "report"
PAYLOAD = '<img src=x onerror="window.__xss=1">'
NAME_PAYLOAD = '<img src=y onerror="window.__xss=3">'

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """Reports of one client whose name and post texts carry markup."""
    root = tmp_path_factory.mktemp("browser")
    client = root / "clients" / "evil-co"
    (client / "exports").mkdir(parents=True)
    (client / "client.yaml").write_text(f"name: '{NAME_PAYLOAD}'\n", encoding="utf-8")
    result = run_reports(
        [client],
        period=Period(dt.date(2026, 10, 1), dt.date(2026, 10, 28)),
        out=root / "out",
        jobs=1,
        notebooks_dir=REPORT_NOTEBOOKS,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert result.exit_code == 0, [c.error for c in result.clients]
    return result.period_dir


def open_page(browser, path: Path):
    """Load ``path``; return the page and what went wrong while loading it."""
    page = browser.new_page()
    problems = {"console": [], "external": [], "failed": [], "errors": []}
    page.on("console", lambda msg: msg.type == "error" and problems["console"].append(msg.text))
    page.on("pageerror", lambda exc: problems["errors"].append(str(exc)))
    page.on("requestfailed", lambda req: problems["failed"].append(req.url))

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            problems["external"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri(), wait_until="load")
    return page, problems


def assert_loads_cleanly(browser, path: Path) -> str:
    """Open ``path`` and check it; return the page's text."""
    assert path.stat().st_size < 3_000_000
    page, problems = open_page(browser, path)
    try:
        assert problems == {"console": [], "external": [], "failed": [], "errors": []}
        assert page.evaluate("window.__xss") is None
        assert page.evaluate("document.scripts.length") == 0
        broken = page.evaluate("[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length")
        assert broken == 0
        assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .jp-OutputPrompt").count() == 0
        return page.inner_text("body")
    finally:
        page.close()


@pytest.mark.parametrize("name", ["evil-co/overview.html", "evil-co/content.html", "index.html"])
def test_page_loads_cleanly(browser, reports, name):
    body = assert_loads_cleanly(browser, reports / name)
    assert NAME_PAYLOAD in body  # the client's name, shown as text
    assert "load_config" not in body  # no code input


@pytest.mark.parametrize("name", ["evil-co/overview.html", "evil-co/content.html"])
def test_report_images_are_embedded_figures(browser, reports, name):
    page, _ = open_page(browser, reports / name)
    try:
        sources = page.evaluate("[...document.querySelectorAll('main img')].map(i => i.src)")
        assert len(sources) == 1  # the notebook's one figure
        assert sources[0].startswith("data:image/png;base64,")
        assert page.evaluate("document.querySelector('main img').naturalWidth") > 0
    finally:
        page.close()


def test_post_text_with_markup_shows_as_text(browser, reports):
    page, _ = open_page(browser, reports / "evil-co" / "content.html")
    try:
        cells = page.locator("main table td").all_inner_texts()
        assert PAYLOAD in cells
        assert "<script>window.__xss = 2</script>" in page.inner_text("main")
        assert page.evaluate("window.__xss") is None
    finally:
        page.close()


def test_navigation_links_the_pages_and_the_index(browser, reports):
    page, _ = open_page(browser, reports / "evil-co" / "overview.html")
    try:
        page.click("nav >> text=Content")
        assert page.url == (reports / "evil-co" / "content.html").as_uri()
        page.click("nav >> text=All clients")
        assert page.url == (reports / "index.html").as_uri()
        page.click("a[href='evil-co/overview.html'] >> nth=0")
        assert page.url == (reports / "evil-co" / "overview.html").as_uri()
    finally:
        page.close()


def test_demo_report_pages_load_cleanly(browser, demo_reports):
    pages = sorted(demo_reports.rglob("*.html"))
    assert len(pages) >= 2  # the index and at least one report page
    for path in pages:
        assert_loads_cleanly(browser, path)
