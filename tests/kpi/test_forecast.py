"""Next-period forecasts (smmkit.kpi.forecast): exact on a line, null on short history, better than naive;
the 80 % band sized on the series' own out-of-sample errors (hand-computed), from no day after its origin."""

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


def test_exact_line_gives_a_zero_width_band_once_13_periods_of_history_size_it():
    # 13 x 7 - 1 = 90 days: 56 behind the point forecast, then 28 origins + 7 days whose truths are known
    y = 500 + 12.0 * np.arange(90)
    out = F.forecast_level(y, 7)
    assert out["value"] == pytest.approx(500 + 12 * 96)  # the line 7 days after index 89
    assert out["low"] == pytest.approx(out["value"]) and out["high"] == pytest.approx(out["value"])
    assert out["errors"] == 28
    short = F.forecast_level(y[:89], 7)  # 27 errors: fewer than 4 periods' worth
    assert short["value"] == pytest.approx(500 + 12 * 95)
    assert short["low"] is None and short["high"] is None and short["errors"] == 27
    with pytest.raises(ValueError, match="needs 8 x 7 = 56 known daily values; got 55"):
        F.forecast_level(y[:55], 7)


# A one-day horizon by hand (L = 1, H = 8): every window's daily changes are 0 or 1, so every scale is
# floored to 1 and the scores are the absolute errors. From origin i: value = y_i + (y_i - y_{i-7}) / 7.
STEPS = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2]


def test_band_by_hand_with_four_errors_is_their_largest():
    # origins 7..10, truths known by day 11: errors 1 - 0 = 1, 1 - 8/7, 1 - 8/7, 2 - 8/7 -> |e| max 1;
    # m = 4, p = 0.8 x 5 / 4 = 1: the largest score
    out = F.forecast_level(np.array(STEPS[:12], dtype=float), 1)
    assert out["value"] == pytest.approx(2 + 2 / 7)
    assert out["low"] == pytest.approx(2 + 2 / 7 - 1) and out["high"] == pytest.approx(2 + 2 / 7 + 1)
    assert out["errors"] == 4
    three = F.forecast_level(np.array(STEPS[:11], dtype=float), 1)
    assert three["value"] == pytest.approx(1 + 1 / 7) and three["low"] is None and three["errors"] == 3


def test_band_by_hand_with_five_errors_interpolates_the_corrected_quantile():
    # a fifth error from origin 11: 2 - 16/7 = -2/7. |e| sorted: 1/7, 1/7, 2/7, 6/7, 1;
    # m = 5, p = 0.8 x 6 / 5 = 0.96 -> position 0.96 x 4 = 3.84: 6/7 + 0.84 x (1 - 6/7) = 6.84 / 7
    out = F.forecast_level(np.array(STEPS, dtype=float), 1)
    half = 6.84 / 7
    assert out["value"] == pytest.approx(2 + 2 / 7)
    assert (out["low"], out["high"]) == pytest.approx((2 + 2 / 7 - half, 2 + 2 / 7 + half))
    assert out["errors"] == 5


def test_a_lump_of_followers_barely_moves_the_drift():
    # a line of +12 a day with one day of +1,512 (bought followers) 20 days before the end: the
    # changes' median is 12 and their MAD 0, so s = 1 and the lump is clipped to 12 + 3 x 1 = 15
    y = 500 + 12.0 * np.arange(90)
    y[70:] += 1_500
    out = F.forecast_level(y, 7)
    assert out["value"] == pytest.approx(y[-1] + 7 * (12 + 3 / 55))  # 55 changes in the 56-day window
    # the band: the lump's own errors (origins 63..69 have it in their truth, 7 of 28) are among the 28 scores
    assert out["errors"] == 28 and out["high"] - out["value"] > 1_000


def _oracle_flow(y: np.ndarray, L: int) -> dict:
    """The docstring's method written out loop by loop (an independent reading of it)."""

    def point_and_scale(upto: np.ndarray) -> tuple[float, float]:
        window = upto[-8 * L :]
        sums = [window[k * L : (k + 1) * L].sum() for k in range(8)]
        best = None
        for alpha in [round(0.05 * k, 2) for k in range(1, 21)]:
            level, sse = sums[0], 0.0
            for x in sums[1:]:
                sse += (x - level) ** 2
                level += alpha * (x - level)
            if best is None or sse < best[0] - 1e-9:
                best = (sse, level)
        return best[1], max(float(np.std(np.diff(sums), ddof=1)), 1.0)

    scores = []
    for i in range(8 * L - 1, len(y) - L):  # origins whose truth (the next L days) is known
        value, scale = point_and_scale(y[: i + 1])
        scores.append(abs(y[i + 1 : i + 1 + L].sum() - value) / scale)
    value, scale = point_and_scale(y)
    m = len(scores) / L
    half = float(np.quantile(scores, 0.8 * (m + 1) / m)) * scale
    return {"value": value, "low": max(0.0, value - half), "high": value + half, "errors": len(scores)}


def test_flow_band_matches_the_method_written_out():
    rng = np.random.default_rng(5)
    y = rng.gamma(2.0, 400.0, 150).round() * (1 + 0.004 * np.arange(150))
    out = F.forecast_flow(y, 7)
    expected = _oracle_flow(y, 7)
    assert out["errors"] == expected["errors"] == 150 - 56 - 7 + 1
    assert out == pytest.approx(expected)


def test_the_band_reads_no_day_after_its_origin():
    rng = np.random.default_rng(3)
    days = pd.date_range("2026-01-01", periods=200)
    base = pd.Series(np.cumsum(rng.normal(20, 15, 200)) + 5_000, index=days)
    end = days[149].date()
    changed = base.copy()
    changed.iloc[150:] = changed.iloc[150:] * 3 + 1e5  # the future is wildly different
    for kind in ("level", "flow"):
        a = F._entry(kind, base, end, 7)
        b = F._entry(kind, changed, end, 7)
        assert a == b and a["low"] is not None
        assert a == {"end": "2026-06-06", **F._forecast(kind, base.iloc[:150].to_numpy(), 7)}
    # the backtest's forecast at each origin is the one made from the data up to it
    res = F.backtest(base, days=7, kind="level", origins=3)
    origins = (192, 185, 178)  # the last known day is index 199: 199 - 7, - 14, - 21
    truths = [base.iloc[i + 7] for i in origins]
    entries = [F.forecast_level(base.iloc[: i + 1].to_numpy(), 7) for i in origins]
    assert res["n"] == res["banded"] == 3
    pairs = list(zip(entries, truths, strict=True))
    assert res["mae"] == pytest.approx(np.mean([abs(e["value"] - t) for e, t in pairs]))
    assert res["inside"] == sum(e["low"] <= t <= e["high"] for e, t in pairs)


def test_twenty_days_of_history_give_a_null_forecast(tmp_path):
    client = _line_client(tmp_path / "short", 20)
    report = kpis(client, window="7d", end="2026-10-31")
    assert report.forecast is None  # 20 < 8 x 7 days
    assert report.to_dict()["forecast"] is None


def test_history_is_counted_per_series(tmp_path):
    client = _line_client(tmp_path / "mid", 60)  # 60 >= 56 for 7 days, < 224 for 28 days
    entry = kpis(client, window="7d", end="2026-10-31").forecast["total"]["followers_end"]
    assert entry["value"] is not None  # a point forecast, but 60 < 13 x 7 - 1 days: no band
    assert (
        entry["low"] is None and entry["high"] is None and entry["errors"] == 0
    )  # no origin has a known truth yet
    assert kpis(client, window="28d", end="2026-10-31").forecast is None
    # the forecast never reads days after the period
    early = kpis(client, start="2026-10-01", end="2026-10-07").forecast
    assert early is None  # only 38 days up to 2026-10-07


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


def test_the_bench_backtest_on_a_small_set_covers_about_80_percent():
    """``benchmarks/forecast.py`` (``make bench``) on one demo client and its scenario under 3 other seeds."""
    from benchmarks import forecast as bench

    rows, names = bench.run(seeds=1, windows=[7], big_posts=0, demos=["nimbus-crm"])
    assert names == ["nimbus-crm", "coffee-point-s1", "nimbus-crm-s1", "atelier-nord-s1"]
    counts = bench.summarise(rows, ("key",))
    assert {k[0] for k in counts} == {"followers_end", "reach"}
    # 488 days (index 0..487), origins 480, 473, ...: a point forecast from index 55 (8 x 7 - 1) on,
    # 61 of them; a band from index 89 (13 x 7 - 2: 56 days, then 28 origins + 7 days of truth), 56
    assert {(r["n"], r["banded"]) for r in rows} == {(61, 56)}
    assert counts[("followers_end",)][0] == counts[("reach",)][0] == 56 * len(rows) // 2 >= 800
    cov = bench.coverage(rows)
    assert all(0.7 <= c <= 0.9 for c in cov.values()), cov
    text = bench.report(rows, took=1.0, names=names, windows=[7])
    assert f"| **followers (level)** | {counts[('followers_end',)][0]:,} |" in text
    assert text.startswith(bench.BEGIN) and text.endswith(bench.END)
