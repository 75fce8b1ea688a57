"""Forecast backtest (`make bench`, issue #12): smmkit.kpi.forecast against the naive last-value forecast.

For each demo client, each forecast KPI (followers_end, reach), each scope
(total and every network) and each window (7 and 28 days), a rolling-origin
backtest over the last 12 period ends (:func:`smmkit.kpi.forecast.backtest`).
The table printed reports the mean absolute error of the method and of naive
and their ratio (relative MAE, < 1 = better than naive); the test asserts the
method beats naive on average for every KPI and window. The 80 % band's
coverage is measured over every origin of many more series by
``benchmarks/forecast.py`` (its section of BENCHMARKS.md): the last 12 periods of
three clients are too few outcomes to judge a band by.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

import smmkit
from smmkit.config import CLIENTS_DIR
from smmkit.kpi import forecast as F
from smmkit.kpi.context import context as _context

DEMOS = sorted(p.parent.name for p in CLIENTS_DIR.glob("*/client.yaml"))
END = dt.date(2026, 10, 31)


def _backtests() -> list[dict]:
    rows = []
    for slug in DEMOS:
        ctx = _context(smmkit.load_client(CLIENTS_DIR / slug))
        series = F.daily_series(ctx.followers, ctx.posts, networks=ctx.networks, end=END)
        for key, kind in F.FORECAST_KEYS.items():
            for scope, s in series[key].items():
                if s is None:
                    continue
                for days in (7, 28):
                    res = F.backtest(s, days=days, kind=kind)
                    if res["n"]:
                        rows.append({"client": slug, "key": key, "scope": scope, "days": days, **res})
    return rows


def test_forecast_backtest_beats_naive(benchmark, capsys):
    rows = benchmark.pedantic(_backtests, rounds=1, iterations=1)
    summary = {}
    for key in F.FORECAST_KEYS:
        for days in (7, 28):
            sel = [r for r in rows if r["key"] == key and r["days"] == days]
            rel = float(np.mean([r["mae"] / r["naive_mae"] for r in sel if r["naive_mae"] > 0]))
            summary[f"{key}/{days}d"] = {
                "series": len(sel),
                "relative_mae": round(rel, 3),
            }
    benchmark.extra_info["forecast_backtest"] = summary
    with capsys.disabled():
        print(
            "\nforecast backtest on the demo clients (relative MAE = method MAE / naive MAE; < 1 beats naive)"
        )
        print(
            f"{'client':14} {'kpi':14} {'scope':10} {'days':>4} {'n':>3} {'mae':>10} {'naive':>10} {'rel':>6}"
        )
        for r in rows:
            print(
                f"{r['client']:14} {r['key']:14} {r['scope']:10} {r['days']:>4} {r['n']:>3} {r['mae']:>10.0f} "
                f"{r['naive_mae']:>10.0f} {r['mae'] / r['naive_mae']:>6.2f}"
            )
        for name, s in summary.items():
            print(f"mean over {s['series']:2} series, {name:18} relative MAE {s['relative_mae']:.3f}")
    assert all(s["relative_mae"] < 1 for s in summary.values()), summary
