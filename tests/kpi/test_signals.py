"""Spikes (robust z-score over a trailing 28-day median/MAD) and the audience signals."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from smmkit.config import ClientConfig
from smmkit.io import schema
from smmkit.io.client import Client
from smmkit.kpi import signals as sig
from smmkit.kpi.engine import kpis


def _series(history, today, start="2026-10-01"):
    days = pd.date_range(end=start, periods=len(history) + 1)
    return pd.Series([*history, today], index=days, dtype="float64")


def test_robust_z_by_hand():
    # history: 10, 12 repeated (28 days): median 11, |x - 11| = 1 everywhere, MAD 1, scale 1.4826
    z = sig.robust_z(_series([10, 12] * 14, 20))
    last = z.iloc[-1]
    assert last["median"] == 11.0 and last["scale"] == pytest.approx(1.4826)
    assert last["z"] == pytest.approx((20 - 11) / 1.4826)  # 6.07 > 3.5: a spike
    assert sig.robust_z(_series([10, 12] * 14, 15)).iloc[-1]["z"] == pytest.approx(4 / 1.4826)  # 2.70


def test_mad_zero_falls_back_to_mean_deviation_then_the_floor():
    # 27 zeros and one 7: median 0, MAD 0; 1.2533 x mean |dev| = 1.2533 x 7/28 = 0.31 -> floor 1
    history = [0] * 27 + [7]
    assert sig.robust_z(_series(history, 4)).iloc[-1]["z"] == pytest.approx(4.0)  # (4 - 0)/1
    # 20 zeros and 8 fours: median 0, MAD 0; scale 1.2533 x (8 x 4)/28 = 1.43234...
    z = sig.robust_z(_series([0] * 20 + [4] * 8, 10)).iloc[-1]
    assert z["scale"] == pytest.approx(1.2533 * 32 / 28)
    assert z["z"] == pytest.approx(10 / (1.2533 * 32 / 28))


def test_too_little_history_gives_no_z():
    assert math.isnan(sig.robust_z(_series([1, 2, 1, 2, 1, 2], 50)).iloc[-1]["z"])  # 6 < 7 known days
    assert sig.robust_z(_series([np.nan] * 20 + [1, 2, 1, 2, 1, 2, 1], 50)).iloc[-1]["z"] > 3.5  # 7 known


def test_find_spikes_only_from_start():
    s = _series([10, 12] * 14, 20)
    found = sig.find_spikes(s, start=dt.date(2026, 10, 1))
    assert found["date"].tolist() == [pd.Timestamp("2026-10-01")]
    assert found["value"].tolist() == [20.0] and found["median"].tolist() == [11.0]
    assert sig.find_spikes(s, start=dt.date(2026, 10, 2)).empty


def test_daily_series_totals_top_source_and_coverage():
    events = pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-10-02", "2026-10-02", "2026-10-02", "2026-10-03", "2026-10-03"]),
            "author": ["bob", "ann", "bob", "zed", "amy"],
        }
    )
    days = pd.date_range("2026-10-01", "2026-10-05")
    cover = (pd.Timestamp("2026-10-02"), pd.Timestamp("2026-10-04"))
    totals, top = sig.daily_series(events, days=days, source="author", coverage=cover)
    assert math.isnan(totals.iloc[0]) and math.isnan(totals.iloc[4])  # outside the data: unknown
    assert totals.iloc[1:4].tolist() == [3.0, 2.0, 0.0]
    assert top.iloc[1] == "bob" and top.iloc[2] == "amy"  # 2 > 1; a 1-1 tie goes alphabetical
    assert top.iloc[3] is None


def test_audience_quality_flags_a_jump_followed_by_lower_er():
    spikes = pd.DataFrame(
        {"network": ["vk", "ok"], "date": pd.to_datetime(["2026-10-10", "2026-10-10"]), "value": [500.0, 400.0],
         "z": [9.0, 8.0]}
    )  # fmt: skip
    posts = pd.DataFrame(
        {
            "network": ["vk", "vk", "vk", "vk", "ok", "ok"],
            "day": pd.to_datetime(
                ["2026-09-27", "2026-10-05", "2026-10-12", "2026-10-25", "2026-10-05", "2026-10-12"]
            ),
            "er_post": [2.0, 4.0, 1.0, 9.0, 1.0, 5.0],  # 10-25 is 15 days after: outside the window
        }
    )
    got = sig.audience_quality(spikes, posts)
    assert got == [
        {"network": "vk", "date": "2026-10-10", "new_followers": 500.0, "z": 9.0,
         "er_post_before": 3.0, "er_post_after": 1.0},  # mean(2, 4) before, 1 after
    ]  # fmt: skip


def test_contest_unfollows_within_14_days():
    new = pd.DataFrame(
        {"network": ["vk"], "date": pd.to_datetime(["2026-10-01"]), "value": [900.0], "z": [12.0]}
    )
    lost = pd.DataFrame(
        {"network": ["vk", "vk", "ok"], "date": pd.to_datetime(["2026-10-10", "2026-10-20", "2026-10-05"]),
         "value": [300.0, 200.0, 50.0], "z": [7.0, 6.0, 5.0]}
    )  # fmt: skip
    got = sig.contest_unfollows(new, lost)
    assert [(g["network"], g["date"], g["days_after"]) for g in got] == [("vk", "2026-10-10", 9)]


def _client(mentions, audience):
    tz = "UTC"
    config = ClientConfig(slug="spiky", name="Acme", timezone=tz)
    return Client(
        config=config,
        posts=schema.empty("posts", tz),
        audience=schema.conform(pd.DataFrame(audience), "audience", tz=tz),
        ads=schema.empty("ads", tz),
        inbox=schema.empty("inbox", tz),
        mentions=schema.conform(pd.DataFrame(mentions), "mentions", tz=tz),
        web=schema.empty("web", tz),
    )


def test_kpis_reports_a_mention_spike_with_its_top_author():
    days = pd.date_range("2026-09-01", "2026-10-28", tz="UTC")
    # one own mention a day (author "fan"), and 9 more on 10-10 by "critic": 10 vs median 1, scale floor 1 -> z 9
    rows = [dict(published_at=d + pd.Timedelta(hours=12), brand="Acme", network="vk", sentiment="neutral",
                 author="fan") for d in days]  # fmt: skip
    rows += [dict(published_at=pd.Timestamp("2026-10-10 15:00", tz="UTC"), brand="acme", network="x",
                  sentiment="negative", author="critic")] * 9  # fmt: skip
    audience = [dict(network="vk", date=d.tz_localize(None), followers=1000 + 10 * i, new_followers=10)
                for i, d in enumerate(days)]  # fmt: skip
    audience[-10]["new_followers"] = 400  # 2026-10-19
    report = kpis(_client(rows, audience), start="2026-10-01", end="2026-10-28")
    spikes = report.spikes.set_index("signal")
    assert spikes.loc["mentions", "date"] == pd.Timestamp("2026-10-10")
    assert spikes.loc["mentions", "value"] == 10.0 and spikes.loc["mentions", "z"] == pytest.approx(9.0)
    assert spikes.loc["mentions", "top_source"] == "critic"
    assert spikes.loc["mentions_negative", "value"] == 9.0  # 9 vs a flat 0: z = 9/1
    assert spikes.loc["new_followers", "date"] == pd.Timestamp("2026-10-19")
    assert spikes.loc["new_followers", "top_source"] == "vk"
    assert report.to_dict()["spikes"][0]["date"] == "2026-10-10"
