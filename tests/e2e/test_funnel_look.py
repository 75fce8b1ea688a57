"""The rendered Funnel page in a browser at 1280 and 390 px, en and ru (issue 24).

Clients with only organic data (X only), only ads, a quiet month (every post stage 0) and both
(two demo clients): the funnel's tables fit their box (or scroll inside it), the chart's labels
are at least 9 CSS px on a phone (the chart is drawn with 11 pt text: 15.3 px at natural size),
and no rate is shown from a zero stage. Only ``3-funnel.ipynb`` is run, through ``smmkit run``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest

from smmkit.config import CLIENTS_DIR, NOTEBOOKS_DIR
from smmkit.kpi.periods import Period

ROOT = Path(__file__).resolve().parents[2]
SPARSE = ROOT / "tests" / "fixtures" / "clients" / "sparse"
#: folder name -> (source client, language)
CLIENTS = {
    **{f"{slug}-{lang}": (SPARSE / slug, lang) for slug in ("x-only", "only-ads", "quiet-month") for lang in ("en", "ru")},
    "nimbus-crm": (CLIENTS_DIR / "nimbus-crm", "en"),
    "coffee-point": (CLIENTS_DIR / "coffee-point", "ru"),
}  # fmt: skip
#: Every funnel table (the tables with a data-stage cell): its content's width, its own width and whether it
#: scrolls sideways (the report's CSS makes a wide table a scrolling block).
TABLES = """[...document.querySelectorAll('table')].filter(t => t.querySelector('[data-stage]')).map(t => ({
  content: t.scrollWidth, box: t.clientWidth, right: t.getBoundingClientRect().right,
  scrolls: ['auto', 'scroll'].includes(getComputedStyle(t).overflowX),
}))"""
#: The chart of the funnel section (an inline SVG after its heading, before the next section's): the
#: smallest text on screen (font size in the SVG's units times its scale) and its right edge; null
#: when the section has none.
CHART = """(() => {
  const head = document.getElementById('s-fn-funnel');
  if (!head) return null;
  const after = (a, b) => a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING;
  const next = [...document.querySelectorAll('h2, .smmkit-nodata')].find(h => h !== head && after(head, h));
  const svg = [...document.querySelectorAll('.smmkit-chart svg')].find(i => after(head, i) && (!next || after(i, next)));
  if (!svg) return null;
  const r = svg.getBoundingClientRect();
  const scale = r.width / svg.viewBox.baseVal.width;
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return {label: Math.min(...sizes), right: r.right, viewport: window.innerWidth};
})()"""


OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def visit(browser, path: Path, width: int) -> tuple[object, list[str]]:
    """Open ``path`` at ``width`` px; return the page and its console errors, page errors, failed requests."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url}"))
    page.goto(path.as_uri(), wait_until="load")
    return page, problems


@pytest.fixture(scope="module")
def funnel_pages(tmp_path_factory) -> Path:
    """The Funnel page of each of :data:`CLIENTS` for 2026-10-04..31; returns the period folder."""
    from smmkit.batch.runner import run_reports

    root = tmp_path_factory.mktemp("funnel-look")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "3-funnel.ipynb", notebooks)
    for name, (source, lang) in CLIENTS.items():
        if not (source / "client.yaml").is_file():
            pytest.skip(f"{source} not generated")
        folder = root / "clients" / name
        shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".smmkit-cache"))
        config = folder / "client.yaml"
        text = re.sub(r"^language: \w+$", f"language: {lang}", config.read_text(encoding="utf-8"), flags=re.M)
        config.write_text(text, encoding="utf-8")
    result = run_reports(clients_dir=root / "clients", period=Period(dt.date(2026, 10, 4), dt.date(2026, 10, 31)),
                         out=root / "reports", notebooks_dir=notebooks, jobs=2, stdout=io.StringIO(),
                         stderr=io.StringIO())  # fmt: skip
    assert result.exit_code == 0, [c.error for c in result.clients]
    return result.period_dir


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_funnel_pages_fit_and_their_chart_is_readable(browser, funnel_pages, width):
    bad = []
    for name in CLIENTS:
        page, problems = visit(browser, funnel_pages / name / "funnel.html", width)
        try:
            bad += [f"{name}: {p}" for p in problems]
            if page.evaluate(OVERFLOW) > 0:
                bad.append(f"{name}: the page is wider than a {width} px screen")
            for t in page.evaluate(TABLES):
                if t["right"] > width or (t["content"] > t["box"] and not t["scrolls"]):
                    bad.append(f"{name}: a funnel table cut: {t}")
                if t["content"] > t["box"] and CLIENTS[name][1] == "en":  # English fits a phone unscrolled
                    bad.append(f"{name}: a funnel table scrolls: {t['content']} px in {t['box']} px")
            chart = page.evaluate(CHART)
            if name.startswith("quiet-month"):  # every post stage 0: a table, no chart
                if chart is not None:
                    bad.append(f"{name}: a chart of a quiet month")
                cells = page.locator("td.smmkit-norate").all_inner_texts()
                if cells != ["—"] * 5:  # impressions' rate from the top, engagements' and clicks' both
                    bad.append(f"{name}: rates from a zero stage {cells}")
                continue
            if chart is None:
                bad.append(f"{name}: no funnel chart")
                continue
            label = chart["label"]
            if label < 9 or chart["right"] > chart["viewport"]:
                bad.append(f"{name}: chart labels {label:.1f} px, chart right edge {chart['right']:.0f} px")
        finally:
            page.close()
    assert bad == []
