"""smmkit.report.blocks: HTML blocks (escaped), KPI cards, tables and the data helpers of the notebooks."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from smmkit.catalogue import KPI_KEYS
from smmkit.kpi.periods import Period
from smmkit.report import blocks as R
from smmkit.report.i18n import NBSP, Labels

PAYLOAD = "<img src=x onerror=alert(1)>"
PERIOD = Period(dt.date(2026, 10, 4), dt.date(2026, 10, 31))


def _report(**total):
    """A minimal stand-in for KPIReport: two networks, hand-set totals, changes and targets."""
    nets = ["vk", "telegram"]
    networks = pd.DataFrame(np.nan, index=pd.Index(nets, name="network"), columns=list(KPI_KEYS))
    networks.loc["vk", ["followers_end", "cpl", "er"]] = [40000.0, 300.0, 2.0]
    networks.loc["telegram", ["followers_end", "er"]] = [10000.0, 4.0]
    tot = pd.Series(np.nan, index=list(KPI_KEYS), dtype="float64")
    tot[["followers_end", "cpl", "er"]] = [50000.0, 412.5, 2.4]
    for k, v in total.items():
        tot[k] = v
    change = pd.Series(np.nan, index=list(KPI_KEYS), dtype="float64")
    change[["followers_end", "cpl", "er"]] = [5.0, -10.0, 0.04]
    targets = pd.DataFrame(
        # er: 2.4 / 3.0 x 100 = 80 %; cpl (lower is better): 400 / 412.5 x 100 = 96.97 %
        [{"key": "er", "target": 3.0, "actual": 2.4, "attainment": 80.0},
         {"key": "cpl", "target": 400.0, "actual": 412.5, "attainment": 400 / 412.5 * 100}]
    )  # fmt: skip
    top = pd.DataFrame(
        {
            "network": ["vk", "telegram"],
            "post_id": ["1", "2"],
            "published_at": pd.to_datetime(["2026-10-05 10:00", "2026-10-06 12:00"]).tz_localize(
                "Europe/Moscow"
            ),
            "reach": [5123.0, 400.0],
            "engagements": [233.0, 10.0],
            "er_post": [1.9, 0.1],
            "url": ["https://vk.com/wall-1_2", "javascript:alert(1)"],
            "text": [PAYLOAD, "plain & simple"],
            "post_type": ["photo", None],
        }
    )
    return SimpleNamespace(
        total=tot,
        networks=networks,
        change=SimpleNamespace(total=change),
        targets=targets,
        top_posts=top,
        notes=[f"web analytics: {PAYLOAD}"],
        spikes=pd.DataFrame(
            {
                "signal": ["mentions"],
                "date": [pd.Timestamp("2026-10-05")],
                "value": [43.0],
                "median": [7.0],
                "z": [12.14],
                "top_source": [PAYLOAD],
            }
        ),  # fmt: skip
        signals={"audience_quality": [], "contest_unfollows": []},
        period=PERIOD,
    )


def _text(html_obj) -> str:
    return html_obj.data if hasattr(html_obj, "data") else str(html_obj)


def test_posts_table_escapes_post_text_and_drops_unsafe_links():
    out = _text(R.posts_table(_report().top_posts, Labels("en")))
    assert PAYLOAD not in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "plain &amp; simple" in out
    assert 'href="https://vk.com/wall-1_2"' in out
    assert "javascript:" not in out  # a non-http(s) URL gets no link at all
    assert "<img" not in out and "<script" not in out


def test_every_untrusted_string_is_escaped():
    rep = _report()
    blocks = [
        R.notes(rep.notes, "en"),
        R.spikes_table(rep, "en"),
        R.no_data("en", PAYLOAD),
        R.note(PAYLOAD),
        R.table(pd.DataFrame({"brand": [PAYLOAD]}, index=pd.Index([PAYLOAD], name=PAYLOAD))),
    ]
    for block in blocks:
        html = _text(block)
        assert PAYLOAD not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_kpi_cards_value_change_colour_and_target():
    html = _text(R.kpi_cards(_report(), ["followers_end", "cpl", "er", "cpl"], Labels("ru", currency="RUB")))
    cards = re.findall(r'<div class="smmkit-card" (.*?)</div></div>', html)
    assert len(cards) == 3  # "cpl" twice: one card
    followers, cpl, er = cards
    assert f">50{NBSP}000<" in followers
    assert 'data-value="50000.0"' in followers
    assert "smmkit-good" in followers and "▲" in followers  # +5 % followers: good
    # cpl fell by 10 %: a fall of a lower-is-better KPI is good, arrow down
    assert "smmkit-good" in cpl and "▼" in cpl and f"-10,0{NBSP}%" in cpl
    assert f"412,50{NBSP}₽" in cpl
    assert f"97,0{NBSP}% от цели 400{NBSP}₽" in cpl  # 400 / 412.5 x 100 = 96.97 %
    assert "smmkit-flat" in er  # +0.04 % rounds to 0.0 %: flat
    assert f"80,0{NBSP}% от цели 3,0{NBSP}%" in er


@pytest.mark.parametrize(
    ("key", "change", "expected"),
    [("er", 3.0, "good"), ("er", -3.0, "bad"), ("cpl", 3.0, "bad"), ("cpl", -3.0, "good"),
     ("lost_followers", -1.0, "good"), ("er", 0.04, "flat"), ("er", float("nan"), ""), ("er", None, "")],
)  # fmt: skip
def test_change_class(key, change, expected):
    assert R.change_class(key, change) == expected


def test_kpi_table_cells_carry_the_unrounded_value_and_drop_unknown_rows():
    html = _text(R.kpi_table(_report(), ["followers_end", "reach", "er"], "en"))
    assert "Total post reach" not in html  # reach is unknown everywhere: row dropped
    assert 'data-kpi="er" data-scope="telegram" data-value="4.0">4.0%<' in html
    assert 'data-kpi="followers_end" data-scope="total" data-value="50000.0">50,000<' in html
    assert "engagements / followers × 100" in html  # the formula beside the figure


def test_targets_table_and_missing_targets():
    html = _text(R.targets_table(_report(), "en"))
    assert "80.0%" in html and "$400" not in html  # no currency given: the code is empty, no "$"
    rep = _report()
    rep.targets = rep.targets.iloc[:0]
    assert R.targets_table(rep, "en") is None


def test_no_data_is_one_line_in_the_language():
    assert _text(R.no_data("ru", "web")).count("<p") == 1
    assert "Нет данных: веб-аналитика" in _text(R.no_data("ru", "web"))
    assert "No inbox data for this client in the period." in _text(R.no_data("en", "inbox"))


def test_section_and_toc_link_by_anchor():
    sec = _text(R.section("ov.top", "en", sources=["posts"], period=PERIOD))
    toc = _text(R.toc(["ov.top"], "en"))
    anchor = re.search(r'<h2 id="([^"]+)">Top 5 posts by reach</h2>', sec).group(1)
    assert f'href="#{anchor}"' in toc
    assert "Oct 4, 2026 – Oct 31, 2026 (28 days)" in sec
    assert "post exports of the networks" in sec


def test_funnel_table_flags_rates_above_100():
    funnel = pd.DataFrame(
        [{"scope": "total", "stage": "clicks", "value": 1000.0, "rate_prev": 2.0, "rate_top": 2.0, "flagged": False},
         {"scope": "total", "stage": "sessions", "value": 1500.0, "rate_prev": 150.0, "rate_top": 3.0, "flagged": True}]
    )  # fmt: skip
    html = _text(R.funnel_table(funnel, "en"))
    assert "150.0%" in html and html.count("⚑") == 2  # the flagged cell and the footnote


# --------------------------------------------------------------------------- listening helpers
TZ = "Europe/Moscow"


def test_spike_days_of_one_signal():
    spikes = pd.DataFrame(
        {
            "signal": ["mentions", "posts", "mentions"],
            "date": pd.to_datetime(["2026-10-07", "2026-10-08", "2026-10-15"]),
            "value": [30.0, 9.0, 25.0],
        }
    )
    rep = SimpleNamespace(spikes=spikes)
    days = R.spike_days(rep, signal="mentions")
    assert isinstance(days, pd.DatetimeIndex)
    assert list(days) == [pd.Timestamp("2026-10-07"), pd.Timestamp("2026-10-15")]  # not the posts spike
    assert list(R.spike_days(rep, signal="posts")) == [pd.Timestamp("2026-10-08")]


def test_voice_colors_mark_the_client_and_grey_the_competitors():
    from smmkit.report import theme

    brands = pd.Index(["Coffee Point", "Brew Bros", "Latte Land"])
    assert R.voice_colors(brands, own="Coffee Point", color="#6b3fa0") == {
        "Coffee Point": "#6b3fa0",
        "Brew Bros": theme.FLAT,
        "Latte Land": theme.FLAT,
    }
    # no brand colour: the theme's first colour (Okabe-Ito blue)
    assert R.voice_colors(brands, own="Coffee Point")["Coffee Point"] == "#0072B2"


@pytest.mark.parametrize("name", ["HEADLINE", "MONTHLY", "AUDIENCE", "REACH", "FEEDBACK", "COST", "INBOX"])
def test_page_key_lists_hold_kpi_keys_once(name):
    keys = getattr(R, name)
    assert [k for k in keys if k not in KPI_KEYS] == []
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize(
    ("value", "missing"),
    [(None, True), (pd.NA, True), (pd.NaT, True), (np.nan, True), (float("inf"), True),
     (0, False), (0.0, False), (np.int64(3), False), (-2.5, False), ("text", False)],
)  # fmt: skip
def test_is_missing_is_the_one_unknown_rule(value, missing):
    from smmkit.report.i18n import is_missing

    assert is_missing(value) is missing
    # the data-value attribute of the report tables follows it: "" when unknown, else the unrounded float
    if not isinstance(value, str):
        assert R._raw(value) == ("" if missing else repr(float(value)))


# --------------------------------------------------------------------------- Page.block
def _captured_page(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    shown: list = []
    monkeypatch.setattr(R, "display", shown.append)
    page = R.open_page("community", "coffee-point", start="2026-10-04", end="2026-10-31")
    return page, shown


def test_block_shows_the_section_then_its_items_drawing_charts_only_with_data(monkeypatch):
    import matplotlib.pyplot as plt

    page, shown = _captured_page(monkeypatch)
    calls = []

    def chart():
        calls.append(1)
        fig, ax = plt.subplots()
        ax.plot([1, 2, 3])
        return ax

    page.block(
        "cm.inbox", page.table(R.INBOX), chart, None, sources=["inbox"], when=["questions"], missing="inbox"
    )
    assert calls == [1]
    assert "<h2" in shown[0].data and "smmkit-table" in shown[1].data
    # the figure as one PNG of its own size (100 dpi: 640 x 480 px), drawn once; None is skipped
    assert shown[2].__class__.__name__ == "Image" and len(shown) == 3
    png = shown[2].data
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (640, 480)
    assert plt.get_fignums() == []  # the block closed the figure it showed

    shown.clear()
    page.block("cm.inbox", chart, sources=["inbox"], when=False, missing="inbox")
    assert calls == [1]  # no data: the chart is never drawn
    assert len(shown) == 2 and shown[1].data == R.no_data(page.labels, "inbox").data


def test_block_says_no_data_when_every_item_is_empty_and_nothing_without_missing(monkeypatch):
    page, shown = _captured_page(monkeypatch)
    page.block("ov.targets", None, sources=["config"], missing="targets")
    assert len(shown) == 2 and shown[1].data == R.no_data(page.labels, "targets").data
    shown.clear()
    page.block("cm.signals", None, when=page.has("questions"))
    assert len(shown) == 1  # the heading only


def test_figure_image_draws_once_and_keeps_a_finished_layout():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(6, 3))
    axes[0].set_ylabel("a long label that needs room " * 2)
    fig.tight_layout(rect=(0, 0.1, 1, 1))  # room kept at the bottom, as trend_grid does
    laid_out = [ax.get_position().bounds for ax in axes]
    draws = []
    fig.canvas.mpl_connect("draw_event", lambda event: draws.append(event))
    image = R.figure_image(fig)
    assert len(draws) == 1  # savefig and the inline backend draw twice
    assert [ax.get_position().bounds for ax in axes] == laid_out  # not laid out again
    assert (int.from_bytes(image.data[16:20], "big"), int.from_bytes(image.data[20:24], "big")) == (600, 300)

    bare, ax = plt.subplots(figsize=(4, 2))
    ax.set_ylabel("label")
    before = ax.get_position().bounds
    R.figure_image(bare)  # never laid out: laid out as tight_layout does, within its size
    assert ax.get_position().bounds != before
    plt.close("all")
