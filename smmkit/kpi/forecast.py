"""Next-period forecasts of followers and reach, with an 80 % prediction interval.

The ``forecast`` object of ``smmkit kpis --format json`` (data-contract.md
section 3). Two documented methods, one per kind of series, both plain
closed-form statistics (no model fitting library):

- **Followers** (a level: ``followers_end`` on the last day of the next
  period) use the *random walk with drift* (Hyndman and Athanasopoulos,
  *Forecasting: Principles and Practice*, 3rd ed., section 5.2): over the
  last ``H = 8 x L`` daily values (``L`` = the period's days), the daily
  differences ``d`` have mean ``mu`` and standard deviation ``sigma``;

  .. math:: \\hat y_{T+L} = y_T + L \\mu, \\qquad
            se = \\max(\\sigma \\sqrt{L (1 + L / (H - 1))}, RMSE_L)

  where ``RMSE_L`` is the root mean square of the method's own in-sample
  ``L``-day-ahead errors ``y_{t+L} - (y_t + L mu)`` (daily follower changes
  are autocorrelated: campaigns, contests, so the textbook ``sigma`` alone
  gives too narrow a band). A straight line is forecast exactly (``se = 0``).
- **Reach** (a flow: the sum of post reach over the next period) uses
  *simple exponential smoothing* over the last 8 period sums ``S_1..S_8``
  (``S_8`` = the current period): ``alpha`` in ``0.05..1`` minimises the
  in-sample one-step-ahead squared error (``alpha = 1`` is the naive
  last-value forecast, so the fit is never worse than naive in sample), and
  ``se`` is the root mean square of those one-step errors.

The interval is ``value +- t(0.9, df) x se`` (``df`` = the number of errors
or differences minus one; Student's quantile by the Cornish-Fisher
expansion, exact to 3 decimals for ``df >= 5``); a reach bound below 0 is
clipped to 0. A series needs :data:`MIN_PERIODS` x ``L`` known days ending
on the period's last day, else its forecast is ``None``: never a guess.
``total`` uses the sum of the networks' daily series (followers: on the days
where every network with followers data is known; reach: over the networks
with known reach).

``make bench`` backtests both methods on the demo clients against the naive
last-value forecast (``benchmarks/test_forecast_backtest.py``).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "FORECAST_KEYS",
    "LEVEL",
    "MIN_PERIODS",
    "backtest",
    "daily_series",
    "daily_reach",
    "forecast",
    "forecast_flow",
    "forecast_level",
    "t_quantile",
]

#: Periods' worth of daily history needed before anything is forecast.
MIN_PERIODS = 8
#: The probability of the two-sided interval.
LEVEL = 0.8
#: The KPIs forecast, and the kind of each series.
FORECAST_KEYS: dict[str, str] = {"followers_end": "level", "reach": "flow"}

_Z90 = 1.2815515655446004  # standard normal quantile of 0.9


def t_quantile(df: int, z: float = _Z90) -> float:
    """Student's t quantile for the normal quantile ``z`` (Cornish-Fisher expansion in ``1/df``)."""
    if df < 1:
        return float("nan")
    v = float(df)
    z3, z5, z7 = z**3, z**5, z**7
    return (
        z
        + (z3 + z) / (4 * v)
        + (5 * z5 + 16 * z3 + 3 * z) / (96 * v**2)
        + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v**3)
    )


def _tail(series: pd.Series, end: dt.date, need: int) -> np.ndarray | None:
    """The ``need`` daily values ending on ``end``, or None when any of them is unknown."""
    if series is None or series.empty:
        return None
    days = pd.date_range(end=pd.Timestamp(end), periods=need, freq="D")
    values = series.reindex(days).to_numpy(dtype="float64")
    if np.isnan(values).any():
        return None
    return values


def forecast_level(values: np.ndarray, horizon: int) -> dict[str, float]:
    """Random walk with drift: ``value``, ``low``, ``high`` ``horizon`` days after the last value."""
    y = np.asarray(values, dtype="float64")
    d = np.diff(y)
    n = len(d)
    mu = float(d.mean())
    sigma = float(d.std(ddof=1)) if n > 1 else 0.0
    value = float(y[-1] + horizon * mu)
    se = sigma * math.sqrt(horizon * (1 + horizon / n))
    if len(y) > 2 * horizon:  # the in-sample horizon-step errors: wider when the drift itself wanders
        steps = y[horizon:] - (y[:-horizon] + horizon * mu)
        se = max(se, float(np.sqrt((steps**2).mean())))
    q = t_quantile(n - 1)
    return {"value": value, "low": value - q * se, "high": value + q * se}


def _ses(sums: np.ndarray, alpha: float) -> tuple[float, np.ndarray]:
    level = sums[0]
    errors = []
    for x in sums[1:]:
        errors.append(x - level)
        level = level + alpha * (x - level)
    return float(level), np.asarray(errors)


def forecast_flow(sums: np.ndarray) -> dict[str, float]:
    """Simple exponential smoothing over period sums: the next period's ``value``, ``low``, ``high``."""
    s = np.asarray(sums, dtype="float64")
    best = None
    for alpha in np.round(np.arange(0.05, 1.0001, 0.05), 2):
        level, errors = _ses(s, float(alpha))
        sse = float((errors**2).sum())
        if best is None or sse < best[0] - 1e-9:
            best = (sse, level, errors)
    _, value, errors = best
    se = float(np.sqrt((errors**2).mean()))
    q = t_quantile(len(errors) - 1)
    return {"value": value, "low": max(0.0, value - q * se), "high": value + q * se}


def _entry(kind: str, series: pd.Series | None, end: dt.date, days: int) -> dict[str, Any] | None:
    values = _tail(series, end, MIN_PERIODS * days)
    if values is None:
        return None
    if kind == "level":
        out = forecast_level(values, days)
    else:
        out = forecast_flow(values.reshape(MIN_PERIODS, days).sum(axis=1))
    return {"end": (end + dt.timedelta(days=days)).isoformat(), **out}


def daily_reach(posts: pd.DataFrame, networks: list[str], end: dt.date) -> pd.DataFrame:
    """Day x network sum of post reach by publish day; 0 on days without posts, NaN before a network's first post.

    ``posts`` has ``network``, ``day`` (naive local day) and ``reach``; a network
    whose reach is unknown everywhere has no column.
    """
    rows = posts.loc[posts["reach"].notna().to_numpy() & posts["network"].notna().to_numpy()]
    rows = rows.loc[rows["day"] <= pd.Timestamp(end)]
    if rows.empty:
        return pd.DataFrame(dtype="float64")
    first = rows["day"].min()
    days = pd.date_range(first, pd.Timestamp(end), freq="D")
    table = rows.pivot_table(index="day", columns="network", values="reach", aggfunc="sum")
    table = table.reindex(days).fillna(0.0)
    for net in table.columns:
        table.loc[table.index < rows.loc[rows["network"] == net, "day"].min(), net] = np.nan
    return table[[n for n in networks if n in table.columns]]


def forecast(
    followers: pd.DataFrame,
    posts: pd.DataFrame,
    *,
    networks: list[str],
    end: dt.date,
    days: int,
    series: dict[str, dict[str, pd.Series | None]] | None = None,
) -> dict[str, Any] | None:
    """The ``forecast`` object for the period of ``days`` days ending on ``end``.

    Parameters
    ----------
    followers
        Day x network follower counts, forward-filled (:func:`smmkit.kpi.metrics.followers_table`).
    posts
        The engine's post table (``network``, ``day``, ``reach``).
    networks
        The report's networks.
    series
        :func:`daily_series` of the same data up to ``end`` or later (the engine keeps it on the
        client's KPI context, so a 12-period trend computes it once); computed when not given.

    Returns
    -------
    dict or None
        ``{"total": {KEY: entry or None}, "networks": {net: {KEY: entry or None}}}``
        with ``entry = {"end", "value", "low", "high"}`` (``low <= value <= high``,
        an 80 % interval); ``None`` when no series has enough history.
    """
    end = pd.Timestamp(end).date()
    if series is None:
        series = daily_series(followers, posts, networks=networks, end=end)
    out: dict[str, Any] = {"total": {}, "networks": {net: {} for net in networks}}
    found = False
    for key, kind in FORECAST_KEYS.items():
        for scope in ("total", *networks):
            entry = _entry(kind, series[key].get(scope), end, days)
            found |= entry is not None
            if scope == "total":
                out["total"][key] = entry
            else:
                out["networks"][scope][key] = entry
    return out if found else None


def daily_series(
    followers: pd.DataFrame, posts: pd.DataFrame, *, networks: list[str], end: dt.date
) -> dict[str, dict[str, pd.Series | None]]:
    """The daily series the forecasts read: ``{KEY: {"total" | network: Series}}`` up to ``end``."""
    series: dict[str, dict[str, pd.Series | None]] = {"followers_end": {}, "reach": {}}
    if not followers.empty:
        fol = followers.reindex(columns=[n for n in networks if n in followers.columns])
        fol = fol.reindex(pd.date_range(fol.index.min(), max(fol.index.max(), pd.Timestamp(end)))).ffill()
        for net in fol.columns:
            series["followers_end"][net] = fol[net]
        series["followers_end"]["total"] = (
            fol.sum(axis=1, min_count=len(fol.columns)) if len(fol.columns) else None
        )
    reach = daily_reach(posts, networks, end)
    for net in reach.columns:
        series["reach"][net] = reach[net]
    series["reach"]["total"] = reach.fillna(0.0).sum(axis=1) if len(reach.columns) else None
    if len(reach.columns):
        started = reach.notna().any(axis=1).to_numpy()
        series["reach"]["total"] = series["reach"]["total"].where(started)
    return series


def backtest(series: pd.Series, *, days: int, kind: str, origins: int = 12) -> dict[str, float]:
    """Rolling-origin backtest of the method for ``kind`` against the naive last-value forecast.

    The last ``origins`` period ends that leave a whole next period of truth
    (stepping back one period at a time) each get a forecast from the data up
    to them; the truth is the next period's value (``level``: the value on its
    last day; ``flow``: its sum). Naive: the current value (``level``) or the
    current period's sum (``flow``).

    Returns
    -------
    dict
        ``n`` (origins with enough history), ``mae`` and ``naive_mae`` (mean
        absolute errors, in the series' units) and ``coverage`` (share of
        truths inside the 80 % interval).
    """
    s = series.astype("float64")
    last = s.dropna().index.max()
    errors, naive, inside = [], [], []
    for k in range(1, origins + 1):
        end = (last - pd.Timedelta(days=days * k)).date()
        values = _tail(s, end, MIN_PERIODS * days)
        future = _tail(s, end + dt.timedelta(days=days), days)
        if values is None or future is None:
            continue
        entry = _entry(kind, s, end, days)
        if kind == "level":
            truth, base = future[-1], values[-1]
        else:
            truth, base = future.sum(), values[-days:].sum()
        errors.append(abs(entry["value"] - truth))
        naive.append(abs(base - truth))
        inside.append(entry["low"] <= truth <= entry["high"])
    n = len(errors)
    nan = float("nan")
    return {
        "n": n,
        "mae": float(np.mean(errors)) if n else nan,
        "naive_mae": float(np.mean(naive)) if n else nan,
        "coverage": float(np.mean(inside)) if n else nan,
    }
