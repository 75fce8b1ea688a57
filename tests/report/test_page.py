"""smmkit.report.page: open_page (load, KPIs, theme, header) and Page.block, the sections of a page."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib as mpl  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from smmkit.errors import UsageError  # noqa: E402
from smmkit.report import fragments, page  # noqa: E402
from smmkit.report.sections import INBOX, PAGES, anchor  # noqa: E402


@pytest.fixture
def shown(monkeypatch):
    """What the page displays, in order; matplotlib's settings restored after the test."""
    out: list = []
    monkeypatch.setattr(page, "display", out.append)
    with mpl.rc_context():
        yield out


def _open(shown, name="community", client="coffee-point"):
    opened = page.open_page(name, client, start="2026-10-04", end="2026-10-31")
    header = shown.pop(0)
    assert shown == []
    return opened, header


def test_open_page_applies_the_brand_theme_and_shows_the_header_with_its_sections(shown):
    opened, header = _open(shown, "networks", "coffee-point")
    brand = opened.brand_color
    assert brand is not None and brand.lower() != "#0072b2"  # the demo client has its own colour
    assert mpl.rcParams["axes.prop_cycle"].by_key()["color"][0].lower() == brand.lower()
    assert mpl.rcParams["axes.spines.top"] is False  # the report style, not matplotlib's default
    html = header.data
    assert html.startswith("<style>") and f"--smmkit-accent: {brand}" in html
    assert f"<h1>{opened.labels('page.networks')} · " in html
    links = [f'href="#{anchor(k)}"' for k in PAGES["networks"]]
    assert [html.index(link) for link in links] == sorted(html.index(link) for link in links)
    assert 'href="#s-nw-forecast"' in html  # the forecast is a section of the networks page's TOC


def test_open_page_names_the_pages_it_knows(shown):
    with pytest.raises(UsageError, match=r"`name` must be one of overview, networks, .*; got 'overwiev'"):
        page.open_page("overwiev", "coffee-point", start="2026-10-04", end="2026-10-31")


def test_a_page_shows_only_its_own_sections(shown):
    opened, _ = _open(shown, "community")
    with pytest.raises(UsageError, match=r"section of the community page \(cm.inbox, .*\); got 'ov.targets'"):
        opened.block("ov.targets", None)
    assert shown == []


def test_block_shows_the_section_then_its_items_drawing_charts_only_with_data(shown):
    opened, _ = _open(shown)
    calls = []

    def chart():
        calls.append(1)
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3])
        return ax

    opened.block(
        "cm.inbox", opened.table(INBOX), chart, None, sources=["inbox"], when=["questions"], missing="inbox"
    )
    assert calls == [1]
    assert '<h2 id="s-cm-inbox"' in shown[0].data and "smmkit-table" in shown[1].data
    # the figure as one inline SVG of the size it is shown (the report theme's 4.8 x 3.2 in: 345.6 x 230.4 pt,
    # 461 x 307 CSS px), its text as <text>; None is skipped
    assert shown[2].__class__.__name__ == "HTML" and len(shown) == 3
    svg = shown[2].data
    assert svg.startswith('<div class="smmkit-figure"><div class="smmkit-chart" role="img"')
    assert (
        svg.count("<svg") == 1
        and '<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="345.6pt" height="230.4pt"' in svg
    )
    assert "<text " in svg and "<?xml" not in svg
    assert plt.get_fignums() == []  # the block closed the figure it showed

    shown.clear()
    opened.block("cm.inbox", chart, sources=["inbox"], when=False, missing="inbox")
    assert calls == [1]  # no data: the chart is never drawn
    assert (
        len(shown) == 1 and shown[0].data == fragments.empty_section("cm.inbox", opened.labels, "inbox").data
    )


def test_a_section_with_nothing_is_one_line_and_its_title_alone_without_missing(shown):
    opened, _ = _open(shown)
    opened.block("cm.complaints", None, sources=["posts"], missing="complaints")
    assert len(shown) == 1  # one line: no heading, intro or sources above it
    html = shown[0].data
    assert html.count("<p") == 1 and "<h2" not in html
    assert 'id="s-cm-complaints"' in html  # the contents' link still lands on it
    assert f"<strong>{opened.labels('cm.complaints')}</strong> · " in html
    assert opened.labels("no_data", what=opened.labels("what.complaints")) in html
    shown.clear()
    opened.block("cm.signals", None, when=opened.has("questions"))
    assert len(shown) == 1 and "<h2" not in shown[0].data
    assert shown[0].data.endswith(f"<strong>{opened.labels('cm.signals')}</strong></p></div>")


def test_a_page_without_any_of_its_data_says_so_in_one_line(shown):
    """``needs``: none known in the period -> the header's one line instead of the contents, and no section."""
    probe = page.open_page("community", "coffee-point", start="2026-10-04", end="2026-10-31")
    unknown = [k for k in probe.report.total.index if not np.isfinite(probe.report.total[k])]
    known = [k for k in probe.report.total.index if np.isfinite(probe.report.total[k])]
    assert unknown and known
    shown.clear()
    opened = page.open_page(
        "community", "coffee-point", start="2026-10-04", end="2026-10-31", needs=unknown[:3]
    )
    header = shown.pop(0).data
    assert opened.empty and "<nav" not in header
    what = opened.labels("what.page.community")
    assert header.count('class="smmkit-nodata"') == 1 and opened.labels("empty_page", what=what) in header
    opened.block("cm.inbox", opened.table(INBOX), missing="inbox")
    assert shown == []  # no section of an empty page
    shown.clear()
    full = page.open_page("community", "coffee-point", start="2026-10-04", end="2026-10-31", needs=known[:1])
    assert not full.empty and "<nav" in shown.pop(0).data


def test_the_header_names_what_the_exports_do_not_cover(shown):
    opened, header = _open(shown, "overview")
    opened.report.coverage = {}
    assert "smmkit-coverage" not in opened.header().data  # no coverage data: no line
    src = lambda first, last, status: {"first": first, "last": last, "status": status}  # noqa: E731
    opened.report.coverage = {  # the KPI layer's shape (KPIReport.coverage)
        "vk": {"sources": {"posts": src("2016-01-01", "2016-02-14", "none")}},
        "instagram": {"sources": {"posts": src("2025-01-01", "2026-10-31", "full")}},
    }
    html = opened.header().data
    line = re.search(r'<p class="smmkit-meta smmkit-coverage">([^<]*)</p>', html).group(1)
    assert line == "Не покрыто выгрузками: ВКонтакте: выгрузки заканчиваются 14 февраля 2016."


def test_series_keeps_the_kpis_worth_a_chart(shown):
    opened, _ = _open(shown, "networks")
    trend = pd.DataFrame(
        {"reach": [1.0, 2.0], "reach_paid": [0.0, 0.0], "er": [np.nan, np.nan], "likes": [0.0, 3.0]}
    )
    assert opened.series(trend, ["reach", "reach_paid", "er", "likes", "followers_end"]) == ["reach", "likes"]


# -- the content page's table of every post and its downloads (issue 24) --------------------------


@pytest.fixture
def downloads():
    """The downloads the pages link, emptied after the test (module state of the kernel)."""
    yield page.set_downloads
    page.set_downloads({})


def test_all_posts_lists_every_post_newest_first_capped_with_a_note(shown, downloads):
    from smmkit.kpi.tables import period_posts

    opened, _ = _open(shown, "content", "coffee-point")
    posts = period_posts(opened.client, opened.period)
    assert len(posts) == opened.report.total["posts"] == 101
    html = page.all_posts(opened, posts).data
    rows = re.findall(r"<tr><td>.*?</tr>", html)
    assert len(rows) == 101  # under the cap: every post
    days = [pd.Timestamp(d) for d in posts["published_at"].sort_values(ascending=False)]
    first = opened.labels.date(days[0])
    assert first in rows[0] and opened.labels.date(days[-1]) in rows[-1]
    assert "smmkit-scroll" in html and "@media screen" in html  # scrolls on screen, printed whole
    assert "Excel" not in html and "Таблиц" not in html  # no workbook beside a page run by hand
    downloads({"xlsx": "report.xlsx"})
    capped = page.all_posts(opened, posts, limit=10).data
    assert len(re.findall(r"<tr><td>", capped)) == 10
    assert "Показаны 10 новых из 101 публикаций." in capped  # coffee-point's language is ru
    assert (
        '<a href="report.xlsx" download>Все публикации со всеми показателями — в таблице Excel.</a>' in capped
    )


def test_downloads_link_the_workbook_and_the_pdf_only_when_made(shown, downloads):
    opened, _ = _open(shown, "content", "atelier-nord")
    assert page.downloads(opened) is None  # a notebook run by hand: nothing beside it
    downloads({"xlsx": "report.xlsx", "pdf": ""})
    html = page.downloads(opened).data
    assert 'href="report.xlsx"' in html and "report.pdf" not in html
    downloads({"xlsx": "report.xlsx", "pdf": "report.pdf"})
    html = page.downloads(opened).data
    assert html.index('href="report.xlsx"') < html.index('href="report.pdf"')
    assert ">Excel workbook: KPIs and every post</a>" in html and ">The whole report as PDF</a>" in html
    assert 'class="smmkit-downloads"' in html  # the PDF leaves the line out
    with pytest.raises(UsageError, match="xlsx, pdf"):
        downloads({"csv": "x.csv"})
