"""Next-period forecasts (smmkit.kpi.forecast): exact on a line, null on short history, better than naive."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from support.findings_clients import daily_posts, write_client

from smmkit.config import CLIENTS_DIR
from smmkit.io.loading import load_client
from smmkit.kpi import forecast as F
from smmkit.kpi.engine import kpis


def _line_client(root, days: int, *, wobble: float = 3.0):
    first = pd.Timestamp("2026-10-31") - pd.Timedelta(days=days - 1)
    audience = [
        {"network": "vk", "date": str(d.date()), "followers": round(10_000 + 25 * i + wobble * math.sin(i))}
        for i, d in enumerate(pd.date_range(first, periods=days))
    ]
    posts = daily_posts("vk", str(first.date()), "2026-10-31", 1000)
    return load_client(write_client(root, audience=audience, posts=posts))


def test_straight_line_followers_within_1_percent_and_truth_inside_the_interval(tmp_path):
    client = _line_client(tmp_path / "line", 120)
    report = kpis(client, window="7d", end="2026-10-31")
    entry = report.forecast["networks"]["vk"]["followers_end"]
    truth = 10_000 + 25 * (119 + 7)  # the line 7 days after the last day (index 119)
    assert entry["end"] == "2026-11-07"
    assert entry["value"] == pytest.approx(truth, rel=0.01)
    assert entry["low"] <= truth <= entry["high"]
    assert entry["low"] < entry["value"] < entry["high"]  # the wobble gives a real band
    assert report.forecast["total"]["followers_end"]["value"] == pytest.approx(entry["value"])
    # constant daily reach: the forecast is 7 x 1000 exactly, with no spread
    reach = report.forecast["total"]["reach"]
    assert reach["value"] == pytest.approx(7000) and reach["high"] - reach["low"] == pytest.approx(
        0, abs=1e-6
    )


def test_exact_line_gives_a_zero_width_interval_on_the_truth():
    y = 500 + 12.0 * np.arange(56)
    out = F.forecast_level(y, 7)
    assert out["value"] == pytest.approx(500 + 12 * 62)
    assert out["low"] == pytest.approx(out["value"]) and out["high"] == pytest.approx(out["value"])


def test_twenty_days_of_history_give_a_null_forecast(tmp_path):
    client = _line_client(tmp_path / "short", 20)
    report = kpis(client, window="7d", end="2026-10-31")
    assert report.forecast is None  # 20 < 8 x 7 days
    assert report.to_dict()["forecast"] is None


def test_history_is_counted_per_series(tmp_path):
    client = _line_client(tmp_path / "mid", 60)  # 60 >= 56 for 7 days, < 224 for 28 days
    assert kpis(client, window="7d", end="2026-10-31").forecast["total"]["followers_end"] is not None
    assert kpis(client, window="28d", end="2026-10-31").forecast is None
    # the forecast never reads days after the period
    early = kpis(client, start="2026-10-01", end="2026-10-07").forecast
    assert early is None  # only 38 days up to 2026-10-07


def test_t_quantile_matches_tables():
    assert F.t_quantile(5) == pytest.approx(1.476, abs=2e-3)
    assert F.t_quantile(10) == pytest.approx(1.372, abs=1e-3)
    assert F.t_quantile(100) == pytest.approx(1.290, abs=1e-3)


def test_ses_beats_naive_on_a_noisy_flow_and_drift_beats_naive_on_a_trend():
    rng = np.random.default_rng(12)
    days = pd.date_range("2025-01-01", periods=600)
    flow = pd.Series(1000 + rng.normal(0, 300, len(days)).clip(-900), index=days)
    res = F.backtest(flow, days=7, kind="flow", origins=40)
    assert res["n"] == 40 and res["mae"] < res["naive_mae"]
    level = pd.Series(np.cumsum(20 + rng.normal(0, 5, len(days))), index=days)
    res = F.backtest(level, days=28, kind="level", origins=10)
    assert res["n"] == 10 and res["mae"] < 0.5 * res["naive_mae"]
    assert res["coverage"] >= 0.7


def test_demo_forecast_intervals_are_ordered():
    client = load_client(CLIENTS_DIR / "nimbus-crm")
    fc = kpis(client, window="28d", end="2026-10-31").forecast
    entries = [fc["total"][k] for k in F.FORECAST_KEYS] + [
        e for net in fc["networks"].values() for e in net.values() if e is not None
    ]
    assert entries and all(e["low"] <= e["value"] <= e["high"] for e in entries)
    assert all(e["end"] == (dt.date(2026, 10, 31) + dt.timedelta(days=28)).isoformat() for e in entries)
