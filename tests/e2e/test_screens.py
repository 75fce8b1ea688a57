"""Every screen (issue 24): every page of every demo client, in English and in Russian, at 1280 and 390 px.

On each page (and the index): (a) no element wider than its container unless an ancestor scrolls
horizontally, (b) no text clipped by its box, (c) every chart label at least 9 CSS px and inside its
chart, (d) every link of the page's bar visible. Tables scroll inside their box with a shadow at the
edge where they go on; KPI cards are two per row on a phone; an emoji in a post text paints in colour.
Screenshots of every page at both widths go to ``$SMMKIT_SCREENS`` (default: a tmp folder) for a look.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from support.screens import CHART_TEXT, CLIPPED, NAV_VISIBLE, OVERFLOW

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = (1280, 390)
PAGES = ("overview", "networks", "funnel", "content", "community")
CLIENTS = tuple(
    f"{slug}-{lang}" for slug in ("atelier-nord", "coffee-point", "nimbus-crm") for lang in ("en", "ru")
)
MIN_LABEL_PX = 9.0
#: Tables of the page wider than their box (they scroll), as problems.
WIDE_TABLES = (
    "[...document.querySelectorAll('main table')].filter(t => t.scrollWidth > t.clientWidth + 1)"
    ".map(t => `table \"${t.querySelector('th') ? t.querySelector('th').textContent : ''}\" is "
    "${t.scrollWidth} px in ${t.clientWidth} px`)"
)


@pytest.fixture(scope="module")
def screens_dir(tmp_path_factory) -> Path:
    folder = os.environ.get("SMMKIT_SCREENS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return tmp_path_factory.mktemp("screens")


def _open(browser, path: Path, width: int, shot: Path | None = None):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri(), wait_until="load")
    if shot is not None:
        page.screenshot(path=str(shot), full_page=True)
    return page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("client", CLIENTS)
def test_every_page_fits_the_screen(browser, bilingual_reports, screens_dir, client, width):
    problems: dict[str, list[str]] = {}
    charts = 0
    for name in PAGES:
        page = _open(
            browser,
            bilingual_reports / client / f"{name}.html",
            width,
            screens_dir / f"{client}-{name}-{width}.png",
        )
        try:
            found = page.evaluate(OVERFLOW) + page.evaluate(CLIPPED)
            labels = page.evaluate(CHART_TEXT, MIN_LABEL_PX)
            found += labels["problems"] + page.evaluate(NAV_VISIBLE, ["nav.smmkit-nav a", True])
            charts += labels["charts"]
            if width == 1280:  # on a wide screen every table fits the sheet: nothing to scroll, nothing cut
                found += page.evaluate(WIDE_TABLES)
            assert all(size >= MIN_LABEL_PX for size in labels["sizes"])
            if found:
                problems[name] = found[:10]
        finally:
            page.close()
    assert problems == {}
    assert charts >= 5  # the checks saw charts (at least one per page on these clients)


@pytest.mark.parametrize("width", WIDTHS)
def test_index_fits_the_screen(browser, bilingual_reports, screens_dir, width):
    page = _open(browser, bilingual_reports / "index.html", width, screens_dir / f"index-{width}.png")
    try:
        found = (
            page.evaluate(OVERFLOW)
            + page.evaluate(CLIPPED)
            + page.evaluate(NAV_VISIBLE, ["nav.pages a", False])
        )
        assert found == []
    finally:
        page.close()


def test_charts_on_a_phone_are_shrunk_no_further_than_readable(browser, bilingual_reports):
    """The labels measure what the design says: 9 pt = 12 px at natural size, x 358 / 461 on a phone."""
    sizes = {}
    for width in WIDTHS:
        page = _open(browser, bilingual_reports / "coffee-point-ru" / "networks.html", width)
        try:
            sizes[width] = page.evaluate(CHART_TEXT, MIN_LABEL_PX)["sizes"]
        finally:
            page.close()
    assert len(sizes[1280]) == len(sizes[390]) >= 10  # the trend panels and the forecast's
    assert min(sizes[1280]) == pytest.approx(12.0, abs=0.05)  # not scaled on a wide screen
    assert min(sizes[390]) == pytest.approx(12.0 * 358 / 460.8, abs=0.1)  # 9.3 px on a phone


def test_phone_layout_cards_nav_tables_and_panels(browser, bilingual_reports):
    page = _open(browser, bilingual_reports / "coffee-point-ru" / "overview.html", 390)
    try:
        tops = page.evaluate("[...document.querySelectorAll('.smmkit-cards')][0].children.length")
        assert tops >= 4
        rows = page.evaluate(
            "(() => { const c = [...document.querySelector('.smmkit-cards').children];"
            " return [c[0].getBoundingClientRect().top === c[1].getBoundingClientRect().top,"
            " c[1].getBoundingClientRect().top < c[2].getBoundingClientRect().top]; })()"
        )
        assert rows == [True, True]  # two cards per row
        links = page.locator("nav.smmkit-nav a").all_inner_texts()
        assert links == ["Обзор", "Соцсети", "Воронка", "Контент", "Сообщество", "Все клиенты"]
        # a table wider than the screen scrolls inside its box, with the shadows as the cue
        table = page.evaluate(
            "(() => { const t = [...document.querySelectorAll('main table.smmkit-table')]"
            ".find(t => t.scrollWidth > t.clientWidth + 1); if (!t) return null; const s = getComputedStyle(t);"
            " return [s.overflowX, s.backgroundImage.split('gradient').length - 1, t.getBoundingClientRect().right]; })()"
        )
        assert table is not None and table[0] == "auto" and table[1] == 4 and table[2] <= 390 - 16 + 0.5
        # the two "by network" charts one above the other
        boxes = page.evaluate(
            "[...document.querySelectorAll('.smmkit-panels .smmkit-chart')].map(e => e.getBoundingClientRect().top)"
        )
        assert len(boxes) == 2 and boxes[0] < boxes[1]
    finally:
        page.close()
    page = _open(browser, bilingual_reports / "coffee-point-ru" / "overview.html", 1280)
    try:
        boxes = page.evaluate(
            "[...document.querySelectorAll('.smmkit-panels .smmkit-chart')].map(e => e.getBoundingClientRect().top)"
        )
        assert len(boxes) == 2 and boxes[0] == boxes[1]  # side by side on a wide screen
    finally:
        page.close()


#: The first emoji in a text of the page: its box, and the fonts the page declares for it.
EMOJI = r"""() => {
  const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
  const re = /\p{Extended_Pictographic}\uFE0F?/u;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const m = re.exec(n.textContent);
    if (!m || n.parentElement.closest('svg') || !n.parentElement.getClientRects().length) continue;
    const range = document.createRange();
    range.setStart(n, m.index); range.setEnd(n, m.index + m[0].length);
    n.parentElement.scrollIntoView({block: 'center'});
    const r = range.getBoundingClientRect();
    if (r.width === 0) continue;
    return {emoji: m[0], x: r.left, y: r.top, width: r.width, height: r.height,
            font: getComputedStyle(n.parentElement).fontFamily};
  }
  return null;
}"""


@pytest.mark.parametrize("client", ["atelier-nord-en", "coffee-point-ru"])
def test_an_emoji_in_a_post_text_paints_in_colour(browser, bilingual_reports, tmp_path, client):
    from PIL import Image

    page = _open(browser, bilingual_reports / client / "content.html", 1280)
    try:
        found = page.evaluate(EMOJI)
        assert found is not None, "no emoji in a text of the content page"
        assert found["width"] > 4 and found["height"] > 4
        assert "Noto Color Emoji" in found["font"]
        assert page.evaluate("document.fonts.check('16px \"Noto Color Emoji\"', '\\u2615')")
        shot = tmp_path / "emoji.png"
        clip = {"x": found["x"], "y": found["y"], "width": found["width"], "height": found["height"]}
        page.screenshot(path=str(shot), clip=clip)
    finally:
        page.close()
    pixels = np.asarray(Image.open(shot).convert("RGB"), dtype=int).reshape(-1, 3)
    coloured = int(((pixels.max(axis=1) - pixels.min(axis=1)) > 60).sum())  # an empty box or a glyph is grey
    assert coloured >= 0.1 * len(pixels), (found["emoji"], coloured, len(pixels))
