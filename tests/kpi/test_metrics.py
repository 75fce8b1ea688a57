"""Pure metric functions: hand-computed values and the zero/unknown-denominator cases."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from smmkit.catalogue import kpi
from smmkit.config import ClientConfig
from smmkit.io import schema
from smmkit.kpi import metrics as m

NAN = float("nan")


def _rate(key):
    """A plain ratio KPI as the engine computes it: its catalogue record, evaluated generically."""

    def rate(*args):
        return m.evaluate(kpi(key), *args)

    rate.__name__ = key
    return rate


# (function, arguments, expected): every rate of metrics.md, then its zero-denominator case.
RATES = [
    (_rate("follower_growth_rate"), (28, 1029), 2.7210884353741496),  # 28/1029 x 100
    (_rate("follower_growth_rate"), (5, 0), NAN),
    (_rate("cost_per_follower"), (1500.0, 84), 17.857142857142858),  # 1500/84
    (_rate("cost_per_follower"), (1500.0, 0), NAN),
    (_rate("reach_per_post"), (1600, 2), 800.0),
    (_rate("reach_per_post"), (0, 0), NAN),
    (m.reach_rate, (1600, 2, 1057), 75.68590350047305),  # 1600/2/1057 x 100
    (m.reach_rate, (1600, 2, 0), NAN),
    (m.reach_rate, (1600, 0, 1057), NAN),
    (_rate("love_rate"), (15, 1057), 1.4191106906338695),  # 15/1057 x 100
    (_rate("love_rate"), (15, 0), NAN),
    (_rate("talk_rate"), (3, 1057), 0.28382213812677387),  # 3/1057 x 100
    (_rate("talk_rate"), (3, NAN), NAN),
    (_rate("amplification_rate"), (1, 2), 50.0),  # 1/2 x 100
    (_rate("amplification_rate"), (1, 0), NAN),
    (_rate("er"), (19, 1057), 1.7975402081362346),  # 19/1057 x 100
    (_rate("er"), (19, 0), NAN),
    (_rate("err"), (19, 1600), 1.1875),  # 19/1600 x 100
    (_rate("err"), (19, 0), NAN),
    (_rate("engagements_per_post"), (19, 2), 9.5),
    (_rate("engagements_per_post"), (0, 0), NAN),
    (m.engagements_per_follower, (19, 2, 1057), 0.008987701040681173),  # 19/2/1057, a fraction
    (m.engagements_per_follower, (19, 2, 0), NAN),
    (_rate("clicks_per_post"), (7, 2), 3.5),
    (_rate("clicks_per_post"), (7, 0), NAN),
    (_rate("ctr"), (7, 1500), 0.4666666666666667),  # 7/1500 x 100
    (_rate("ctr"), (7, 0), NAN),
    (_rate("er_unique"), (50, 1000), 5.0),  # 50/1000 x 100
    (_rate("er_unique"), (NAN, 1000), NAN),  # not exported
    (_rate("response_rate"), (2, 3), 66.66666666666667),
    (_rate("response_rate"), (0, 0), NAN),
    (m.response_time_change, (10.0, 5.0), 100.0),  # (10/5 - 1) x 100: twice as fast
    (m.response_time_change, (4.0, 5.0), -20.0),  # (4/5 - 1) x 100: slower
    (m.response_time_change, (10.0, 0.0), NAN),
    (_rate("social_new_users_pct"), (5, 10), 50.0),
    (_rate("social_new_users_pct"), (5, 0), NAN),
    (m.bounce_rate, (6, 12), 50.0),  # 100 - 6/12 x 100
    (m.bounce_rate, (0, 0), NAN),
    (_rate("social_pages_per_session"), (30, 12), 2.5),
    (_rate("social_pages_per_session"), (30, 0), NAN),
    (_rate("social_avg_session_s"), (600.0, 12), 50.0),
    (_rate("social_avg_session_s"), (600.0, 0), NAN),
    (_rate("conversion_rate"), (1, 12), 8.333333333333334),  # 1/12 x 100
    (_rate("conversion_rate"), (1, 0), NAN),
    (_rate("ad_ctr"), (100, 10000), 1.0),
    (_rate("ad_ctr"), (100, 0), NAN),
    (_rate("cpc"), (1500.0, 107), 14.018691588785046),  # 1500/(7 + 100)
    (_rate("cpc"), (1500.0, 0), NAN),
    (_rate("cpl"), (1500.0, 4), 375.0),
    (_rate("cpl"), (600.0, 0), NAN),
    (m.share_of_voice, (2, 1), 66.66666666666666),  # 2/(2 + 1) x 100
    (m.share_of_voice, (0, 0), NAN),
    (m.er_post, (13, 1031), 1.260911736178468),  # 13/1031 x 100
    (m.er_post, (13, NAN), NAN),
    (m.er_view, (6, 300), 2.0),
    (m.er_view, (1, 0), NAN),
    (m.change, (1500, 400), 275.0),  # (1500/400 - 1) x 100
    (m.change, (5, 0), NAN),
    (m.change, (NAN, 4), NAN),
    (m.net_follower_growth, (84, 56, 1029, 1057), 28.0),  # joins - leaves
    (m.net_follower_growth, (NAN, NAN, 5000, 5300), 300.0),  # end - start where joins/leaves are not exported
    (m.net_follower_growth, (40, NAN, 5000, 5300), 40.0),  # only joins exported: leaves count 0 (sum rule)
    (m.net_follower_growth, (NAN, NAN, NAN, 5300), NAN),
]


@pytest.mark.parametrize(("fn", "args", "expected"), RATES, ids=[f"{r[0].__name__}{r[1]}" for r in RATES])
def test_rate(fn, args, expected):
    got = fn(*args)
    assert isinstance(got, float)
    assert got == pytest.approx(expected, rel=1e-12, nan_ok=True)


def test_posts_per_week():
    assert m.evaluate(kpi("posts_per_week"), 5, 28) == 1.25  # 5/28 x 7
    assert math.isnan(m.evaluate(kpi("posts_per_week"), NAN, 28))


def test_rates_on_series_keep_the_index_and_never_give_inf():
    num = pd.Series([1.0, 2.0, 0.0, NAN], index=list("abcd"))
    den = pd.Series([4.0, 0.0, 0.0, 5.0], index=list("abcd"))
    got = m.pct(num, den)
    assert list(got.index) == list("abcd")
    assert got.iloc[0] == 25.0 and got.iloc[1:].isna().all()
    assert not np.isinf(m.ratio(np.array([1.0, -1.0]), np.array([0.0, -0.0]))).any()


@pytest.mark.parametrize(
    ("terms", "expected"),
    [
        ((1.0, 2.0, 3.0), 6.0),
        ((1.0, NAN, 3.0), 4.0),  # an unknown term counts as 0 while one is known
        ((NAN, NAN), NAN),  # null only when every term is unknown
        ((0.0, NAN), 0.0),
    ],
)
def test_sum_known(terms, expected):
    assert m.sum_known(*terms) == pytest.approx(expected, nan_ok=True)


def test_fixed_cost_is_prorated_by_days_of_each_month():
    # 09-29, 09-30 at 30000/30 = 1000 each (override); 10-01, 10-02 at 31000/31 = 1000 each
    cfg = ClientConfig(slug="c", name="C", monthly_cost=31000, cost_overrides={"2026-09": 30000})
    got = m.fixed_cost(dt.date(2026, 9, 29), dt.date(2026, 10, 2), month_cost=cfg.month_cost)
    assert got == pytest.approx(4000.0)
    # February 2026 has 28 days: 2 days x 2800/28 = 200
    feb = ClientConfig(slug="c", name="C", monthly_cost=2800).month_cost
    assert m.fixed_cost(dt.date(2026, 2, 1), dt.date(2026, 2, 2), month_cost=feb) == pytest.approx(200.0)
    free = ClientConfig(slug="c", name="C").month_cost
    assert m.fixed_cost(dt.date(2026, 2, 1), dt.date(2026, 2, 2), month_cost=free) == 0.0


def test_known_map_is_per_column_and_ignores_rows_without_network():
    frame = pd.DataFrame(
        {
            "network": pd.Series(["vk", "vk", "telegram", None], dtype=object),
            "likes": [1.0, None, None, 5.0],
            "saves": [None, None, 0.0, None],
        }
    )
    got = m.known_map(frame, ["likes", "saves", "absent"])
    assert got == {"likes": frozenset({"vk"}), "saves": frozenset({"telegram"}), "absent": frozenset()}
    assert m.known_networks(frame, "saves") == frozenset({"telegram"})
    assert m.known_map(frame.iloc[:0], ["likes"]) == {"likes": frozenset()}


def _audience(rows):
    return schema.conform(pd.DataFrame(rows, columns=["network", "date", "followers"]), "audience")


def test_followers_on_is_the_last_known_value():
    aud = _audience(
        [
            ("vk", pd.Timestamp("2026-10-01"), 100),
            ("vk", pd.Timestamp("2026-10-05"), 110),
            ("vk", pd.Timestamp("2026-10-03"), None),  # an empty cell does not reset the count
            ("ok", pd.Timestamp("2026-10-03"), 50),
        ]
    )
    days = pd.date_range("2026-09-30", "2026-10-06")
    got = m.followers_on(aud, days)
    assert got["vk"].tolist()[1:] == [100.0, 100.0, 100.0, 100.0, 110.0, 110.0]
    assert math.isnan(got.loc["2026-09-30", "vk"])  # before the first known value
    assert math.isnan(got.loc["2026-10-02", "ok"]) and got.loc["2026-10-06", "ok"] == 50.0


def test_er_day_counts_days_without_posts_as_zero():
    days = pd.date_range("2026-10-01", "2026-10-04")
    eng = pd.DataFrame({"vk": [10.0, 0.0, 0.0, 20.0], "ok": [1.0, 0.0, 0.0, 0.0]}, index=days)
    fol = pd.DataFrame({"vk": [1000.0, 1000.0, 1000.0, 2000.0], "ok": [NAN, 10.0, 10.0, 10.0]}, index=days)
    got = m.er_day(eng, fol)
    assert got["vk"] == pytest.approx((10 / 1000 + 0 + 0 + 20 / 2000) * 100 / 4)  # 0.5
    assert math.isnan(got["ok"])  # followers unknown on 10-01


def test_post_engagements_sum_rule_per_network():
    posts = schema.conform(
        pd.DataFrame(
            {
                "network": ["vk", "vk", "instagram", "ok"],
                "likes": [10, None, 40, None],
                "comments": [2, 1, 5, None],
                "shares": [1, None, None, None],
            }
        ),
        "posts",
    )
    got = m.post_engagements(posts).tolist()
    assert got[:3] == [13.0, 1.0, 45.0]  # vk: 10+2+1; vk: missing likes/shares count 0; ig: no shares column
    assert math.isnan(got[3])  # ok exports none of the three


def test_mention_kind_compares_brands_case_insensitively():
    brands = pd.Series(["Coffee Point", " cp ", "BREW BROS", "Latte Land", None])
    got = m.mention_kind(brands, own=["Coffee Point", "CP"], competitors=["Brew Bros"]).tolist()
    assert got == ["own", "own", "competitor", None, None]


def test_response_hours_are_calendar_hours():
    received = pd.Series(
        pd.to_datetime(["2026-10-02 22:00", "2026-10-03 10:00"]).tz_localize("Europe/Moscow")
    )
    replied = pd.Series([pd.Timestamp("2026-10-03 01:30", tz="Europe/Moscow"), pd.NaT])
    got = m.response_hours(received, replied)
    assert got.iloc[0] == 3.5 and math.isnan(got.iloc[1])


def test_web_in_period_counts_only_rows_inside():
    web = pd.DataFrame(
        {
            "date_start": pd.to_datetime(["2026-10-01", "2026-09-20", "2026-10-05"]),
            "date_end": pd.to_datetime(["2026-10-01", "2026-10-10", "2026-10-05"]),
        }
    )
    rows, null = m.web_in_period(web, start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 7))
    # 09-20..10-10 straddles 10-01..10-07: its totals cannot be split, so the web KPIs are null
    # (data-contract.md, GA4), even beside daily rows.
    assert rows.index.tolist() == [0, 2] and null
    rows, null = m.web_in_period(web.iloc[[1]], start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 7))
    assert rows.empty and null
    rows, null = m.web_in_period(web, start=dt.date(2026, 9, 20), end=dt.date(2026, 10, 10))
    assert rows.index.tolist() == [0, 1, 2] and not null  # the range lies inside: it counts
    rows, null = m.web_in_period(web, start=dt.date(2026, 10, 11), end=dt.date(2026, 10, 17))
    assert rows.empty and not null  # wholly outside: nothing of it belongs to the period


def test_mention_counts_known_per_network():
    mentions = pd.DataFrame(
        {
            "published_at": pd.to_datetime(
                ["2026-10-02 10:00", "2026-10-03 10:00", "2026-09-01 10:00", "2026-10-04 10:00"]
            ).tz_localize("UTC"),
            "brand": ["Cafe", "Rival", "cafe", "Other"],
            "network": ["vk", "VK", "telegram", "ok"],
            "sentiment": ["positive", "negative", None, "positive"],
        }
    )
    got = m.mention_counts(
        mentions,
        start=dt.date(2026, 10, 1),
        end=dt.date(2026, 10, 31),
        own=["Cafe"],
        competitors=["Rival"],
        networks=["vk", "telegram", "ok", "x"],
        tz="UTC",
    )
    # vk: 1 own (positive) + 1 competitor -> 50 %; telegram: a mention in September only -> 0 in October,
    # its sentiment never exported -> unknown; ok: only an ignored brand, x: none -> unknown.
    assert got.loc["vk", ["mentions", "mentions_positive", "share_of_voice"]].tolist() == [1.0, 1.0, 50.0]
    assert got.loc["telegram", "mentions"] == 0.0 and math.isnan(got.loc["telegram", "mentions_positive"])
    assert got.loc[["ok", "x"], "mentions"].isna().all()
    total = got.loc["total", ["mentions", "mentions_positive", "mentions_negative"]]
    assert total.tolist() == [1.0, 1.0, 0.0]  # own mentions of every network, the ignored brand left out
