"""The report's number conventions (issue 24; metrics.md, "How the report shows them"), through the one formatter.

Every expected text is worked out by hand from metrics.md's rules:
percent KPIs change in percentage points, counts/currency/hours in relative %, a KPI that is
itself a change has none, colours follow the catalogue's ``better``, 0 -> above 0 is "new".
"""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from smmkit import catalogue
from smmkit.catalogue import CATALOGUE, CHANGE_KPIS, KPI_KEYS
from smmkit.report import fragments
from smmkit.report.findings import phrase
from smmkit.report.i18n import (
    NBSP,
    NO_CHANGE,
    Labels,
    change_class,
    format_difference,
    format_kpi,
    is_change_kpi,
    kpi_change,
)


@pytest.mark.parametrize(
    ("key", "current", "previous", "lang", "text", "trend", "arrow"),
    [
        # the ER: 48.2 % against 36.8 % is +11.4 pp (not +30.9 %)
        ("er", 48.2, 36.8, "en", "+11.4 pp", "good", "▲"),
        ("er", 48.2, 36.8, "ru", f"+11,4{NBSP}п.{NBSP}п.", "good", "▲"),
        ("er_post", 0.65, 1.05, "en", "-0.40 pp", "bad", "▼"),  # below 1 pp: 2 decimals, as the values
        ("er_post", 0.74, 0.65, "ru", f"+0,09{NBSP}п.{NBSP}п.", "good", "▲"),
        ("social_bounce_rate", 40.0, 50.0, "en", "-10.0 pp", "good", "▼"),  # bounce: lower is better
        ("er", 2.0, 2.004, "en", "0.0 pp", "flat", "="),  # -0.004 pp rounds to 0: flat, no sign
        # counts, currency and hours: relative %
        ("reach", 350.0, 200.0, "en", "+75.0%", "good", "▲"),  # 350 / 200 - 1
        ("reach", 350.0, 200.0, "ru", f"+75,0{NBSP}%", "good", "▲"),
        ("cpl", 450.0, 400.0, "en", "+12.5%", "bad", "▲"),  # a cost: lower is better
        ("cpc", 9.0, 10.0, "en", "-10.0%", "good", "▼"),
        ("avg_response_time_h", 3.0, 2.0, "en", "+50.0%", "bad", "▲"),  # slower replies
        ("median_response_time_h", 1.0, 2.0, "en", "-50.0%", "good", "▼"),
        ("complaints", 4.0, 2.0, "en", "+100.0%", "bad", "▲"),
        ("mentions_negative", 20.0, 7.0, "en", "+185.7%", "bad", "▲"),  # 20 / 7 - 1 = 1.857
        ("lost_followers", 5.0, 10.0, "en", "-50.0%", "good", "▼"),
        # from 0: "new", coloured by direction
        ("leads", 4.0, 0.0, "en", "new", "good", "▲"),
        ("leads", 4.0, 0.0, "ru", "впервые", "good", "▲"),
        ("mentions_negative", 3.0, 0.0, "en", "new", "bad", "▲"),
        ("leads", 0.0, 0.0, "en", "0.0%", "flat", "="),
        # a net growth from a negative previous value: the difference in its unit
        ("net_follower_growth", 5.0, -10.0, "en", "+15", "good", "▲"),
        # a KPI that is itself a change: no change of its own, no colour (the issue's +2,125.6 %, green)
        ("response_time_change", -95.5, 2.0, "en", NO_CHANGE, "", ""),
        # unknown
        ("reach", math.nan, 200.0, "en", "n/a", "", ""),
        ("reach", 350.0, None, "ru", "н/д", "", ""),
    ],
)
def test_kpi_change(key, current, previous, lang, text, trend, arrow):
    shown = kpi_change(key, current, previous, lang)
    assert (shown.text, shown.trend, shown.arrow) == (text, trend, arrow)


def test_a_previous_period_the_exports_do_not_cover_is_not_compared():
    assert kpi_change("reach", 350.0, 200.0, "en", comparable=False).text == "n/a"
    assert kpi_change("reach", 350.0, 0.0, "en", comparable=False).text == "n/a"  # not "new"


def test_is_change_is_a_fact_of_the_catalogue():
    assert CHANGE_KPIS == {k.key for k in CATALOGUE if k.is_change} == {"response_time_change"}
    assert is_change_kpi("response_time_change") and not is_change_kpi("response_rate")
    assert change_class("response_time_change", 2125.6) == ""  # no green for a change of a change
    rec = catalogue.kpi("response_time_change")
    assert rec.unit == "percent" and rec.is_change


def test_directions_come_from_the_catalogue():
    for rec in CATALOGUE:
        if rec.is_change:
            continue
        up = kpi_change(rec.key, 110.0, 100.0, "en").trend
        assert up == ("good" if rec.better == "higher" else "bad"), rec.key


def test_differences_and_target_gaps_of_percent_kpis_are_points():
    assert format_difference("er", 0.64, "en") == "0.64 pp"  # "target missed by 0.64 %" is 0.64 pp
    assert format_difference("er_post", 0.64, "ru") == f"0,64{NBSP}п.{NBSP}п."
    assert format_difference("er", 11.44, "en") == "11.4 pp"
    assert format_difference("followers_end", 120.0, "en") == "120"
    assert format_difference("cpl", 12.5, "en", currency="USD") == "$12.50"


@pytest.mark.parametrize(
    ("key", "value", "lang", "text"),
    [
        ("reach_per_post", 1234.56, "en", "1,235"),  # not 1,234.56
        ("reach_per_post", 1234.56, "ru", f"1{NBSP}235"),
        ("engagements_per_post", 45.3, "en", "45"),
        ("clicks_per_post", 2.44, "en", "2.4"),
        ("er_post", 0.654, "en", "0.65%"),  # rates: 1 decimal, 2 below 1 %
        ("er_post", 1.254, "en", "1.3%"),
        ("er", 48.23, "ru", f"48,2{NBSP}%"),
        ("ctr", 0.042, "en", "0.04%"),  # never 0.0 %
        ("reach", 51234.0, "en", "51,234"),
        ("cpc", 0.45, "en", "$0.45"),
        ("cpc", math.nan, "en", "n/a"),  # costs without cost data: n/a, not 0.00
        ("avg_response_time_h", 2.25, "en", "2.2 h"),  # 2.25 is exact: half to even
    ],
)
def test_rounded_as_people_write_them(key, value, lang, text):
    assert format_kpi(key, value, lang, currency="USD") == text


def _report():
    """A stand-in KPIReport with a total, a previous total and the report's `compared`."""
    keys = list(KPI_KEYS)
    total = pd.Series(np.nan, index=keys, dtype="float64")
    previous = pd.Series(np.nan, index=keys, dtype="float64")
    total[["er", "reach", "leads", "response_time_change", "cpl"]] = [48.2, 350.0, 4.0, 2125.6, 450.0]
    previous[["er", "reach", "leads", "response_time_change", "cpl"]] = [36.8, 200.0, 0.0, 10.0, 400.0]
    change = (total / previous - 1) * 100
    change[previous == 0] = np.nan
    networks = pd.DataFrame([total.to_numpy()], index=pd.Index(["vk"], name="network"), columns=keys)

    def compared(key, scope="total"):
        return float(total[key]), float(previous[key]), True

    return SimpleNamespace(
        total=total, networks=networks, previous=SimpleNamespace(total=previous),
        change=SimpleNamespace(total=change), targets=pd.DataFrame(), compared=compared,
    )  # fmt: skip


def test_cards_and_tables_show_changes_by_the_one_rule():
    rep, L = _report(), Labels("en", currency="USD")
    cards = fragments.kpi_cards(rep, ["er", "reach", "leads", "response_time_change", "cpl"], L).data
    assert 'smmkit-card-change smmkit-good">▲ +11.4 pp' in cards
    assert 'smmkit-card-change smmkit-good">▲ +75.0%' in cards
    assert 'smmkit-card-change smmkit-good">▲ new' in cards
    assert 'smmkit-card-change smmkit-bad">▲ +12.5%' in cards  # a dearer lead is bad
    rtc = cards[cards.index('data-kpi="response_time_change"') :]
    rtc = rtc[: rtc.index("smmkit-card-formula")]
    assert "smmkit-card-change" not in rtc and "vs previous" not in rtc  # no change of a change
    table = fragments.kpi_table(rep, ["er", "leads", "response_time_change"], L, formulas=False).data
    rows = re.findall(r"<tr><td>([^<]*)</td>.*?<td( class=\"smmkit-\w+\")?>([^<]*)</td></tr>", table)
    assert [(name, text) for name, _cls, text in rows] == [
        ("ER for the period", "+11.4 pp"),
        ("Leads", "new"),
        ("Response speed change", NO_CHANGE),
    ]
    assert [cls for _name, cls, _text in rows] == [' class="smmkit-good"', ' class="smmkit-good"', ""]


def _finding(**kw):
    from smmkit.kpi.findings import Finding

    return Finding(**{"priority": 40, "size": 1.0, "network": None, **kw})


def test_findings_say_changes_and_gaps_by_the_same_rule():
    L = Labels("en")
    # ER 48.2 % from 36.8 % (relative +30.98 %): the sentence says +11.4 pp (kpi.findings: "points")
    f = _finding(kind="change", rule="change.up", key="er", value=48.2, change=48.2 - 36.8,
                 fields={"kpi": ("kpi_name", "er"), "value": ("kpi:er", 48.2), "change": ("points", 48.2 - 36.8),
                         "previous": ("kpi:er", 36.8)})  # fmt: skip
    assert "+11.4 pp" in phrase(f, L) and "30.9" not in phrase(f, L)
    # a missed target on a percent KPI: the gap in pp (the "missed by 0.64 %")
    f = _finding(kind="target", rule="target.missed", key="er_post", value=4.36, change=-0.64,
                 fields={"kpi": ("kpi_name", "er_post"), "value": ("kpi:er_post", 4.36),
                         "target": ("kpi:er_post", 5.0), "change": ("gap:er_post", 0.64),
                         "attainment": ("percent", 87.2)})  # fmt: skip
    assert phrase(f, L) == "Target missed for ER per post by 0.64 pp: 4.4% against 5.0% (87.2% of target)."


def test_a_change_the_coverage_rule_nulls_is_not_new_nor_compared():
    """KPIReport.compared: the engine's test client has posts from 10 September only, so the previous
    period of 1-28 October (3-30 September) is partly covered: the change of `posts` is null with
    its previous value known, and the report shows n/a, never a change or "new"."""
    from kpi.test_engine import END, START, make_client

    from smmkit.kpi.engine import kpis

    report = kpis(make_client(), start=START, end=END)
    assert "posts" in report.uncovered["total"]
    current, previous, comparable = report.compared("posts")
    assert np.isnan(report.change.total["posts"]) and np.isfinite(previous) and not comparable
    assert Labels("en").kpi_change("posts", current, previous, comparable=comparable).text == "n/a"
    cards = fragments.kpi_cards(report, ["posts"], Labels("en")).data
    assert "smmkit-card-change" not in cards
