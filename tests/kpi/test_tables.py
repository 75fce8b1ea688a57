"""smmkit.kpi.tables: the page data (trends, a period's posts, best time, types, frequency, mentions, voice)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smmkit.errors import UsageError
from smmkit.kpi import tables
from smmkit.kpi.periods import Period

PAYLOAD = "<img src=x onerror=alert(1)>"
PERIOD = Period(dt.date(2026, 10, 4), dt.date(2026, 10, 31))

TZ = "Europe/Moscow"


def _posts():
    ts = pd.to_datetime(
        ["2026-10-05 09:10", "2026-10-05 09:50", "2026-10-09 18:00", "2026-10-13 09:00"]
    ).tz_localize("Europe/Moscow")  # Mon, Mon, Fri, Tue
    return pd.DataFrame(
        {
            "network": ["vk", "vk", "telegram", "vk"],
            "published_at": ts,
            "day": ts.tz_localize(None).normalize(),
            "weekday": ts.day_of_week,
            "hour": ts.hour,
            "post_type": ["photo", "video", "photo", None],
            "reach": [100.0, 300.0, 50.0, 10.0],
            "engagements": [10.0, 30.0, 1.0, 0.0],
            "er_post": [1.0, 3.0, 0.5, np.nan],
        }
    )


def test_best_time_means_er_per_post_by_weekday_and_hour():
    grid = tables.best_time(_posts())
    assert grid.shape == (7, 24)
    assert grid.loc[0, 9] == 2.0  # Monday 9h: (1.0 + 3.0) / 2
    assert grid.loc[4, 18] == 0.5
    assert grid.notna().sum().sum() == 2  # Tuesday's post has no ER


def test_by_post_type():
    out = tables.by_post_type(_posts())
    # photo: posts 2, reach (100 + 50) / 2 = 75, er (1.0 + 0.5) / 2 = 0.75; video first (er 3.0)
    assert list(out.index) == ["video", "photo"]
    assert out.loc["photo"].tolist() == [2.0, 75.0, 5.5, 0.75]


def test_weekly_frequency():
    out = tables.weekly_frequency(_posts()).set_index(["network", "week"])
    # vk week of Mon Oct 5: 2 posts, mean er (1 + 3) / 2 = 2; week of Oct 12: 1 post, er unknown
    assert out.loc[("vk", pd.Timestamp("2026-10-05"))].tolist() == [2.0, 2.0]
    assert out.loc[("vk", pd.Timestamp("2026-10-12")), "posts"] == 1.0
    assert np.isnan(out.loc[("vk", pd.Timestamp("2026-10-12")), "er_post"])


def test_history_spans_the_last_periods():
    span = tables.history(PERIOD, periods=6)  # 6 x 28 = 168 days ending Oct 31
    assert span.end == PERIOD.end and span.days == 168


def test_trend_and_period_posts_follow_the_engine():
    clients = Path(__file__).resolve().parents[2] / "data" / "clients" / "nimbus-crm"
    if not (clients / "client.yaml").is_file():
        pytest.skip("demo client nimbus-crm not generated")
    import smmkit
    from smmkit.kpi.engine import kpis

    client = smmkit.load_client(clients)
    frame = tables.trend(client, end="2026-10-31", days=28, periods=2, keys=["posts", "er"])
    assert list(frame["period_end"].unique()) == [pd.Timestamp("2026-10-03"), pd.Timestamp("2026-10-31")]
    last = kpis(client, start="2026-10-04", end="2026-10-31")
    got = frame.loc[frame["period_end"] == pd.Timestamp("2026-10-31")].set_index("scope")
    assert got.loc["total", "posts"] == last.total["posts"]
    pd.testing.assert_series_equal(got["er"].drop("total"), last.networks["er"], check_names=False)
    posts = tables.period_posts(client, last.period)
    assert len(posts) == last.total["posts"]
    with pytest.raises(UsageError, match="unknown KPI keys \\['erx'\\]"):
        tables.trend(client, end="2026-10-31", keys=["erx"])


def test_a_trend_of_some_keys_counts_only_their_sources_with_the_whole_values(monkeypatch):
    # the networks page's trend reads posts and the audience: each period's inbox, mentions and
    # web analytics are not counted, and its values are those of the periods computed whole
    demo = Path(__file__).resolve().parents[2] / "data" / "clients" / "coffee-point"
    if not (demo / "client.yaml").is_file():
        pytest.skip("demo client coffee-point not generated")
    import smmkit
    from smmkit.kpi import metrics

    keys = ["followers_end", "net_follower_growth", "reach", "impressions", "er", "love_rate"]
    whole = tables.trend(smmkit.load_client(demo), end="2026-10-31", days=28, periods=6)
    counted = []
    inbox_counts = metrics.inbox_counts
    monkeypatch.setattr(metrics, "inbox_counts", lambda *a, **k: counted.append(1) or inbox_counts(*a, **k))
    some = tables.trend(smmkit.load_client(demo), end="2026-10-31", days=28, periods=6, keys=keys)
    columns = ["period_start", "period_end", "scope", *keys, *(tables.coverage_column(k) for k in keys)]
    pd.testing.assert_frame_equal(some, whole[columns])
    # one period (and its previous one's inbox means) is computed whole, to learn which source a
    # KPI reads and which columns each source gives: not the other five
    assert len(counted) <= 2


TWO_WEEKS = Period(dt.date(2026, 10, 5), dt.date(2026, 10, 18))  # Mon Oct 5 .. Sun Oct 18


def _listening_client():
    from smmkit.config import ClientConfig
    from smmkit.io import schema
    from smmkit.io.client import Client

    def msk(text):
        return pd.Timestamp(text, tz=TZ)

    def utc(text):
        return pd.Timestamp(text, tz="UTC")

    rows = [  # (published_at, brand, network, sentiment)
        (msk("2026-10-05 10:00"), "Coffee Point", "vk", "positive"),  # own, Oct 5
        (utc("2026-10-05 21:30"), " cp ", "telegram", "negative"),  # alias; 00:30 MSK on Oct 6
        (msk("2026-10-06 12:00"), "coffee point", "vk", "neutral"),  # own, Oct 6
        (msk("2026-10-07 09:00"), "Brew Bros", "vk", "negative"),  # competitor
        (msk("2026-10-12 09:00"), "BREW BROS", "vk", None),  # competitor (case-insensitive)
        (msk("2026-10-13 09:00"), "Latte Land", "x", "positive"),  # competitor
        (msk("2026-10-13 10:00"), "Someone Else", "vk", "positive"),  # neither: ignored
        (msk("2026-10-14 10:00"), "Coffee Point", "vk", "Positive "),  # own, sentiment normalised
        (msk("2026-10-04 23:00"), "Coffee Point", "vk", "positive"),  # the day before the period
        (utc("2026-10-18 21:30"), "Coffee Point", "vk", "positive"),  # 00:30 MSK on Oct 19: after it
    ]
    mentions = pd.DataFrame(rows, columns=["published_at", "brand", "network", "sentiment"])
    config = ClientConfig(
        slug="coffee",
        name="Coffee Point",
        timezone=TZ,
        aliases=("CP",),
        competitors=("Brew Bros", "Latte Land"),
    )
    empty = {
        n: schema.conform(pd.DataFrame(), n, tz=TZ) for n in ("posts", "audience", "ads", "inbox", "web")
    }
    return Client(config=config, mentions=schema.conform(mentions, "mentions", tz=TZ), **empty)


def test_mentions_daily_counts_own_mentions_per_local_day():
    daily = tables.mentions_daily(_listening_client(), TWO_WEEKS)
    assert len(daily) == 14 and daily.index[0] == pd.Timestamp("2026-10-05")
    # Oct 5: row 1; Oct 6: rows 2 (alias, 00:30 MSK) and 3; Oct 14: row 8; competitors and others not counted
    assert daily[daily > 0].to_dict() == {
        pd.Timestamp("2026-10-05"): 1.0,
        pd.Timestamp("2026-10-06"): 2.0,
        pd.Timestamp("2026-10-14"): 1.0,
    }


def test_sentiment_weekly_counts_own_mentions_per_monday_week():
    weekly = tables.sentiment_weekly(_listening_client(), TWO_WEEKS)
    # week of Oct 5: positive row 1, negative row 2, neutral row 3; week of Oct 12: positive row 8
    assert weekly.to_dict("index") == {
        pd.Timestamp("2026-10-05"): {"positive": 1.0, "neutral": 1.0, "negative": 1.0},
        pd.Timestamp("2026-10-12"): {"positive": 1.0, "neutral": 0.0, "negative": 0.0},
    }


def test_voice_counts_the_client_and_each_competitor():
    voices = tables.voice(_listening_client(), TWO_WEEKS)
    # own: rows 1, 2, 3, 8 = 4; Brew Bros: rows 4, 5 = 2; Latte Land: row 6 = 1
    assert voices.to_dict() == {"Coffee Point": 4.0, "Brew Bros": 2.0, "Latte Land": 1.0}


def test_voice_gives_the_share_of_voice_the_kpi_reports():
    import smmkit

    client = smmkit.load_client(Path(__file__).resolve().parents[2] / "data" / "clients" / "atelier-nord")
    report = smmkit.kpis(client, window="28d", end="2026-10-31")
    counts = tables.voice(client, report.period)
    assert counts.iloc[0] / counts.sum() * 100 == pytest.approx(report.total["share_of_voice"], rel=1e-12)


def test_a_calendar_month_trend_steps_by_calendar_months():
    clients = Path(__file__).resolve().parents[2] / "data" / "clients" / "nimbus-crm"
    if not (clients / "client.yaml").is_file():
        pytest.skip("demo client nimbus-crm not generated")
    import smmkit
    from smmkit.kpi.engine import kpis

    client = smmkit.load_client(clients)
    frame = tables.trend(client, end="2026-10-31", days=31, periods=3, keys=["posts"])
    starts = [str(d.date()) for d in frame["period_start"].unique()]
    ends = [str(d.date()) for d in frame["period_end"].unique()]
    assert starts == ["2026-08-01", "2026-09-01", "2026-10-01"]
    assert ends == ["2026-08-31", "2026-09-30", "2026-10-31"]
    september = frame.loc[frame["period_end"] == pd.Timestamp("2026-09-30")].set_index("scope")
    assert september.loc["total", "posts"] == kpis(client, month="2026-09").total["posts"]


def test_each_trend_point_knows_how_its_period_is_covered(make_client):
    """Exports from 16 Sep: August is not covered (null), September half (partial), October fully."""
    from support.trend_clients import vk_client

    import smmkit

    client = smmkit.load_client(vk_client(make_client, "2026-09-16"), cache=False)
    frame = tables.trend(client, end="2026-10-31", days=31, periods=3, keys=["posts", "followers_end", "er"])
    got = frame.set_index(["period_end", "scope"])
    aug, sep, oct_ = (pd.Timestamp(d) for d in ("2026-08-31", "2026-09-30", "2026-10-31"))
    for key in ("posts", "followers_end", "er"):
        column = tables.coverage_column(key)
        assert column == f"coverage:{key}"
        assert [got.loc[(d, "vk"), column] for d in (aug, sep, oct_)] == ["none", "partial", "full"]
        assert [got.loc[(d, "total"), column] for d in (aug, sep, oct_)] == ["none", "partial", "full"]
        assert np.isnan(got.loc[(aug, "total"), key])  # not covered: null, never 0
    # a partly covered point keeps its value: one post, 1,000 + 2 x 15 followers on 30 Sep
    assert got.loc[(sep, "vk"), "posts"] == 1.0 and got.loc[(sep, "vk"), "followers_end"] == 1030.0
    assert got.loc[(sep, "vk"), "er"] == pytest.approx(10 / 1030 * 100)
    full = smmkit.load_client(vk_client(make_client, "2026-09-01"), cache=False)
    frame = tables.trend(full, end="2026-10-31", days=31, periods=2, keys=["posts", "er"])
    assert set(frame["coverage:posts"]) == {"full"} and set(frame["coverage:er"]) == {"full"}
