"""smmkit.report.fragments: HTML fragments (escaped), KPI cards and the tables, all built by html_table."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from smmkit.catalogue import KPI_KEYS
from smmkit.kpi.periods import Period
from smmkit.report import fragments as R
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


def _funnel(organic=(12.0, 0.0, 0.0), paid=(20000.0, 400.0), web=(1500.0, 30.0)):
    """KPIReport.funnel's rows, rates by hand: 0 / 12 = 0 %; 0 clicks of 0 engagements: no rate;
    400 / 20,000 = 2 %; sessions 1,500 / (0 link + 400 ad clicks) = 375 % (flagged); 30 / 1,500 = 2 %.
    (An unknown value is flagged as the engine flags it: never; a stage of a path left out is not shown.)"""
    nan = np.nan
    (i, e, c), (ai, ac), (s, v) = organic, paid, web
    rows = [
        ("organic", "impressions", i, nan, nan, 100.0), ("organic", "engagements", e, i, 0.0, 0.0),
        ("organic", "clicks", c, e, nan, 0.0), ("paid", "ad_impressions", ai, nan, nan, 100.0),
        ("paid", "ad_clicks", ac, ai, 2.0, 2.0), ("web", "sessions", s, 400.0, 375.0, 100.0),
        ("web", "conversions", v, s, 2.0, 2.0),
    ]  # fmt: skip
    return pd.DataFrame(
        [{"scope": "total", "path": p, "stage": st, "value": val, "input": inp, "rate_prev": rp, "rate_top": rt,
          "flagged": bool(rp > 100) and val == val} for p, st, val, inp, rp, rt in rows]
    )  # fmt: skip


def test_funnel_table_groups_the_paths_flags_above_100_and_shows_no_rate_from_a_zero():
    L = Labels("en")
    html = _text(R.funnel_table(_funnel(), L))
    body = re.search(r"<tbody>(.*)</tbody>", html).group(1)
    rows = re.findall(r"<tr([^>]*)>(.*?)</tr>", body)
    assert all(len(re.findall(r"<td", cells)) == 4 for _, cells in rows)  # as many cells as headers
    assert html.count("<th>") == 4
    assert re.findall(r'class="smmkit-path" data-path="(\w+)"', html) == ["organic", "paid", "web"]
    names = [re.sub(r"<[^>]+>", "", re.match(r"<td>(.*?)</td>", cells).group(1)) for _, cells in rows]
    assert names == ["Organic posts", "Post impressions", "Engagements", "Link clicks", "Ads", "Ad impressions",
                     "Ad clicks", "Website (sessions from link and ad clicks)", "Social sessions", "Conversions"]  # fmt: skip
    values = re.findall(r'<td data-stage="(\w+)" data-scope="total">([^<]*)</td>', html)
    assert values == [("impressions", "12"), ("engagements", "0"), ("clicks", "0"), ("ad_impressions", "20,000"),
                      ("ad_clicks", "400"), ("sessions", "1,500"), ("conversions", "30")]  # fmt: skip
    rates = [
        re.findall(r"<td[^>]*>(.*?)</td>", cells)[2:] for attrs, cells in rows if "smmkit-path" not in attrs
    ]
    pct = lambda v: L.number(v, kind="percent")  # noqa: E731
    flag = f' <span class="smmkit-flag" title="{L("flagged")}">⚑</span>'
    assert rates == [
        ["", pct(100.0)], [pct(0.0), pct(0.0)], ["—", pct(0.0)],  # 0 clicks of 0 engagements: no rate
        ["", pct(100.0)], [pct(2.0), pct(2.0)],
        [pct(375.0) + flag, pct(100.0)], [pct(2.0), pct(2.0)],
    ]  # fmt: skip
    assert "—: no rate, the stage it is taken from is 0 or not known" in html
    assert html.count("⚑") == 2  # the flagged cell and the footnote
    assert "Not in this client" not in html


def test_funnel_table_leaves_out_a_path_without_data():
    nan = np.nan
    only_ads = _text(R.funnel_table(_funnel(organic=(nan, nan, nan), web=(nan, nan)), "ru"))
    assert re.findall(r'data-stage="(\w+)"', only_ads) == ["ad_impressions", "ad_clicks"]
    assert ("Нет в выгрузках клиента за этот период: Органические публикации, "
            "Сайт (сессии из переходов и кликов по рекламе).") in only_ads  # fmt: skip
    assert "—" not in only_ads and "⚑" not in only_ads
    nothing = _funnel(organic=(nan, nan, nan), paid=(nan, nan), web=(nan, nan))
    assert R.funnel_table(nothing, "en") is None
    with pytest.raises(Exception, match="`scope` 'vk' is not in the funnel"):
        R.funnel_table(nothing, "en", scope="vk")


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


# --------------------------------------------------------------------------- one table helper
def test_html_table_is_the_one_shape_of_a_table():
    out = R.html_table(["<b>a</b>", "b"], [["<td>1</td>", "<td>2</td>"], ["<td>3</td>", "<td>4</td>"]])
    assert out == (
        '<table class="smmkit-table"><thead><tr><th><b>a</b></th><th>b</th></tr></thead>'
        "<tbody><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></tbody></table>"
    )
    forecast = R.html_table(
        ["x"], [["<td>1</td>"]], css_class="smmkit-table smmkit-forecast", row_attrs=['data-k="v"']
    )
    assert forecast == (
        '<table class="smmkit-table smmkit-forecast"><thead><tr><th>x</th></tr></thead>'
        '<tbody><tr data-k="v"><td>1</td></tr></tbody></table>'
    )


def test_every_table_of_the_report_is_built_by_html_table():
    from pathlib import Path

    import smmkit.report

    folder = Path(smmkit.report.__file__).parent
    written = {p.name: p.read_text(encoding="utf-8").count("<table") for p in sorted(folder.glob("*.py"))}
    assert {name: n for name, n in written.items() if n} == {"fragments.py": 1}
    rep = _report()
    for html in (
        R.kpi_table(rep, ["followers_end", "er"], "en").data,
        R.targets_table(rep, "en").data,
        R.spikes_table(rep, "en").data,
        R.posts_table(rep.top_posts, "en").data,
    ):
        assert html.count('<table class="smmkit-table"><thead><tr><th>') == 1


def _one_network(report):
    """``report`` as a client of one network (vk): its network row holds the same numbers as the total."""
    report.networks = report.networks.loc[["vk"]]
    report.networks.loc["vk", ["followers_end", "cpl", "er"]] = report.total[
        ["followers_end", "cpl", "er"]
    ].to_numpy()
    return report


def test_kpi_table_of_one_network_has_one_column_named_after_it():
    html = R.kpi_table(_one_network(_report()), ["followers_end", "er"], "en").data
    head = re.search(r"<thead>(.*?)</thead>", html).group(1)
    assert ">VK<" in head and ">Total<" not in head  # no duplicate Total column
    assert re.findall(r'data-kpi="(\w+)" data-scope="(\w+)" data-value="([^"]*)"', html) == [
        ("followers_end", "total", "50000.0"), ("er", "total", "2.4")
    ]  # fmt: skip
    two = R.kpi_table(_report(), ["followers_end"], "en").data
    assert ">Total<" in two and 'data-scope="vk"' in two  # two networks: each and the total


def test_kpi_cards_known_only_names_the_unknown_in_one_line():
    html = R.kpi_cards(_report(), ["followers_end", "reach", "er", "leads"], "en", known_only=True).data
    assert re.findall(r'class="smmkit-card" data-kpi="(\w+)"', html) == ["followers_end", "er"]
    assert "Not in this client&#x27;s exports for the period: Total post reach, Leads." in html
    assert "n/a" not in html
    every = R.kpi_cards(_report(), ["followers_end", "reach"], "en").data  # the default keeps n/a cards
    assert re.findall(r'class="smmkit-card" data-kpi="(\w+)"', every) == ["followers_end", "reach"]


def test_posts_table_leaves_out_a_column_no_post_has():
    top = _report().top_posts.assign(reach=np.nan)
    html = R.posts_table(top, "en", columns=("reach", "engagements")).data
    assert 'data-kpi="reach"' not in html and "Total post reach" not in html
    assert re.findall(r'data-kpi="(\w+)"', html) == ["engagements", "engagements"]


def test_empty_section_is_one_line_with_the_anchor():
    html = R.empty_section("cm.inbox", "en", "inbox").data
    assert html.count("<p") == 1 and "<h2" not in html and 'id="s-cm-inbox"' in html
    assert "Questions and response" in html and "No inbox data for this client in the period." in html
