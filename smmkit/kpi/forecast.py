"""Next-period forecasts of followers and reach, with an 80 % band sized on the series' own errors.

The ``forecast`` object of ``smmkit kpis --format json`` (data-contract.md
section 3). A forecast has two parts: a point forecast by a plain closed-form
method per kind of series, and a band calibrated on that method's own
out-of-sample errors (split conformal prediction on rolling origins). The
method, with the coverage ``make bench`` measures, is written up in
docs/forecast.md.

**Point forecasts** (``L`` = the period's days, ``H = 8 x L`` days of history):

- *Followers* (a level: ``followers_end`` on the last day of the next period)
  use the random walk with drift (Hyndman and Athanasopoulos, *Forecasting:
  Principles and Practice*, 3rd ed., section 5.2) over the last ``H`` daily
  values ``y``, with a robust drift: ``mu`` is the mean daily change after
  clipping each change to ``median +- 3 s`` (``s = 1.4826 x MAD`` of the
  changes, at least 1), so that one contest or one lump of bought followers
  does not steer the next month;

  .. math:: \\hat y_{T+L} = y_T + L \\mu.

- *Reach* (a flow: the sum of post reach over the next period) uses simple
  exponential smoothing over the last 8 period sums ``S_1..S_8`` (``S_8`` = the
  current period): ``alpha`` in ``0.05..1`` minimises the in-sample one-step
  squared error (``alpha = 1`` is the naive last value).

**The band.** Every earlier day ``t`` with ``H`` days of history behind it is
a rolling origin: the same method forecasts from the data up to ``t``, and
``e_t = y(t + L) - \\hat y(t + L)`` is its error on the truth ``L`` days later.
Only origins whose truth lies on or before the forecast's own origin ``T``
count (``t + L <= T``): the band of a forecast made at ``T`` reads no day after
``T``. Each error is scaled by the series' volatility at its origin,
``s_t`` (followers: ``s`` above times ``sqrt(L)``, robust to the jumps whose
own errors are among the scores; reach: the standard deviation of the
differences of its 8 period sums, at least 1), so that a quiet spell and a
busy one are judged alike; the scores ``|e_t| / s_t`` give the half-width

.. math:: q = Q_{p}(|e_t| / s_t) \\cdot s_T, \\qquad
          p = 0.8 \\, (m + 1) / m, \\qquad m = n / L,

the interval ``value +- q`` (a reach bound below 0 is clipped to 0). ``Q_p``
is the empirical ``p`` quantile of the ``n`` scores; ``(m + 1) / m`` is split
conformal prediction's finite-sample correction, counted in independent
errors: origins a day apart share ``L - 1`` days of their horizons, so ``n``
daily origins hold about ``m = n / L`` independent errors. The correction
needs ``m >= 4`` (:data:`MIN_ERROR_PERIODS`), so a band needs 8 + 1 + 4 = 13
periods of history; with less, the entry keeps its point forecast and has
``low = high = None`` ("not enough history" on the page), never a band that
cannot be sized. A series needs :data:`MIN_PERIODS` x ``L`` known days ending
on the period's last day for a point forecast, else its entry is ``None``.
``total`` uses the sum of the networks' daily series (followers: on the days
where every network with followers data is known; reach: over the networks
with known reach).

``make bench`` (``benchmarks/forecast.py``) backtests the band on the demo
clients and on clients simulated with other seeds, and reports its coverage
per kind of series (75-85 % of outcomes for an 80 % band).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "FORECAST_KEYS",
    "LEVEL",
    "MIN_ERROR_PERIODS",
    "MIN_PERIODS",
    "backtest",
    "daily_series",
    "daily_reach",
    "forecast",
    "forecast_flow",
    "forecast_level",
]

#: Periods' worth of daily history behind a point forecast.
MIN_PERIODS = 8
#: Periods' worth of rolling origins whose errors size the band (split conformal: ``m >= 4``).
MIN_ERROR_PERIODS = 4
#: The probability of the two-sided interval.
LEVEL = 0.8
#: The KPIs forecast, and the kind of each series.
FORECAST_KEYS: dict[str, str] = {"followers_end": "level", "reach": "flow"}
#: The least volatility a series is given (its unit: one follower, one reach).
_SCALE_FLOOR = 1.0
_ALPHAS = np.round(np.arange(0.05, 1.0001, 0.05), 2)


def _run(series: pd.Series | None, end: dt.date) -> np.ndarray | None:
    """The known daily values of ``series`` up to ``end``, back to the last unknown day (None: ``end`` unknown)."""
    if series is None or series.empty or series.index.min() > pd.Timestamp(end):
        return None
    days = pd.date_range(series.index.min(), pd.Timestamp(end), freq="D")
    values = series.reindex(days).to_numpy(dtype="float64")
    unknown = np.flatnonzero(np.isnan(values))
    if len(unknown):
        values = values[unknown[-1] + 1 :]
    return values if len(values) else None


def _row_median(rows: np.ndarray) -> np.ndarray:
    """The median of each row, as a column (sorting the rows: several times faster than np.median here)."""
    ordered = np.sort(rows, axis=1)
    k = rows.shape[1]
    return (ordered[:, (k - 1) // 2 : (k - 1) // 2 + 1] + ordered[:, k // 2 : k // 2 + 1]) / 2


def _level_path(y: np.ndarray, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Random walk with a robust drift from every origin with a full window: point forecasts and scales."""
    steps = sliding_window_view(np.diff(y), MIN_PERIODS * days - 1)  # row j: the steps up to y[j + H - 1]
    median = _row_median(steps)
    spread = np.maximum(1.4826 * _row_median(np.abs(steps - median)), _SCALE_FLOOR)
    drift = np.clip(steps, median - 3 * spread, median + 3 * spread).mean(axis=1)
    return y[MIN_PERIODS * days - 1 :] + days * drift, spread[:, 0] * np.sqrt(days)


def _flow_path(y: np.ndarray, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Exponential smoothing of the 8 period sums from every origin with a full window: points and scales."""
    cum = np.concatenate([[0.0], np.cumsum(y)])
    ends = np.arange(MIN_PERIODS * days - 1, len(y)) + 1
    sums = np.stack([cum[ends - (MIN_PERIODS - 1 - k) * days] - cum[ends - (MIN_PERIODS - k) * days]
                     for k in range(MIN_PERIODS)], axis=1)  # fmt: skip
    best_sse = np.full(len(ends), np.inf)
    point = np.zeros(len(ends))
    for alpha in _ALPHAS:  # the smallest alpha wins a tie, as a scan from 0.05 up would choose
        level, sse = sums[:, 0].copy(), np.zeros(len(ends))
        for k in range(1, MIN_PERIODS):
            err = sums[:, k] - level
            sse += err * err
            level += alpha * err
        better = sse < best_sse - 1e-9
        best_sse = np.where(better, sse, best_sse)
        point = np.where(better, level, point)
    scale = np.diff(sums, axis=1).std(axis=1, ddof=1)
    return point, scale


def _path(kind: str, y: np.ndarray, days: int) -> dict[str, np.ndarray]:
    """From each origin ``i`` of ``y`` with ``H`` days behind it (index ``i - H + 1`` of the arrays):
    the point forecast, the scale and the truth ``days`` later (NaN past the end of ``y``)."""
    point, scale = (_level_path if kind == "level" else _flow_path)(y, days)
    first = MIN_PERIODS * days - 1
    truth = np.full(len(point), np.nan)
    later = len(y) - days - first  # origins whose truth is known
    if later > 0:
        if kind == "level":
            truth[:later] = y[first + days :]
        else:
            cum = np.concatenate([[0.0], np.cumsum(y)])
            i = np.arange(first, first + later)
            truth[:later] = cum[i + days + 1] - cum[i + 1]
    return {"point": point, "scale": np.maximum(scale, _SCALE_FLOOR), "truth": truth}


def _band(path: dict[str, np.ndarray], j: int, days: int) -> tuple[float | None, int]:
    """The half-width of the band from origin ``j`` (index into the path) and its number of errors.

    The errors are those of the origins whose truth is known at ``j`` (``i + days <= j``); None
    when they are fewer than :data:`MIN_ERROR_PERIODS` x ``days``.
    """
    n = max(j - days + 1, 0)
    if n < MIN_ERROR_PERIODS * days:
        return None, n
    scores = np.abs(path["truth"][:n] - path["point"][:n]) / path["scale"][:n]
    m = n / days
    q = float(np.quantile(scores, min(1.0, LEVEL * (m + 1) / m)))
    return q * float(path["scale"][j]), n


def _at(kind: str, path: dict[str, np.ndarray], j: int, days: int) -> dict[str, Any]:
    value = float(path["point"][j])
    half, n = _band(path, j, days)
    if half is None:
        return {"value": value, "low": None, "high": None, "errors": n}
    low = value - half
    return {
        "value": value,
        "low": max(0.0, low) if kind == "flow" else low,
        "high": value + half,
        "errors": n,
    }


def _forecast(kind: str, values: np.ndarray, horizon: int) -> dict[str, Any]:
    y = np.asarray(values, dtype="float64")
    if len(y) < MIN_PERIODS * horizon or np.isnan(y).any():
        raise ValueError(
            f"a forecast needs {MIN_PERIODS} x {horizon} = {MIN_PERIODS * horizon} known daily values; "
            f"got {len(y)}{' with unknown ones' if np.isnan(y).any() else ''}"
        )
    path = _path(kind, y, horizon)
    return _at(kind, path, len(path["point"]) - 1, horizon)


def forecast_level(values: np.ndarray, horizon: int) -> dict[str, Any]:
    """A level (followers) ``horizon`` days after the last of ``values``, with its calibrated 80 % band.

    Parameters
    ----------
    values
        Consecutive daily values, all known, the last one the forecast's origin; at least
        :data:`MIN_PERIODS` x ``horizon`` of them (the point forecast reads the last that many).
    horizon
        The period's days ``L``.

    Returns
    -------
    dict
        ``value`` (random walk with drift), ``low`` and ``high`` (None when fewer than
        :data:`MIN_ERROR_PERIODS` x ``L`` earlier origins have a known truth) and ``errors``
        (the number of out-of-sample errors the band was sized on).
    """
    return _forecast("level", values, horizon)


def forecast_flow(values: np.ndarray, horizon: int) -> dict[str, Any]:
    """A flow (reach) summed over the ``horizon`` days after the last of ``values``, with its band.

    As :func:`forecast_level`, with simple exponential smoothing over the last 8 sums of
    ``horizon`` days for the point forecast; ``low`` is at least 0.
    """
    return _forecast("flow", values, horizon)


def _entry(kind: str, series: pd.Series | None, end: dt.date, days: int) -> dict[str, Any] | None:
    values = _run(series, end)
    if values is None or len(values) < MIN_PERIODS * days:
        return None
    return {"end": (end + dt.timedelta(days=days)).isoformat(), **_forecast(kind, values, days)}


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


def backtest(series: pd.Series, *, days: int, kind: str, origins: int | None = 12) -> dict[str, Any]:
    """Rolling-origin backtest of the forecast of ``kind`` (its point and its band) against naive.

    The last ``origins`` period ends that leave a whole next period of truth (stepping back one
    period at a time from the last known day; ``None``: every one) each get the forecast the
    kit would make there: the point and the band from the data up to that origin only. The
    truth is the next period's value (``level``: the value on its last day; ``flow``: its sum).
    Naive: the current value (``level``) or the current period's sum (``flow``).

    Returns
    -------
    dict
        ``n`` (origins with a point forecast), ``mae`` and ``naive_mae`` (mean absolute errors,
        in the series' units), ``banded`` (those with a band), ``inside`` (their truths inside
        it) and ``coverage`` (``inside / banded``, NaN without a band).
    """
    values = series.astype("float64").to_numpy()
    runs = np.split(np.arange(len(values)), np.flatnonzero(np.isnan(values)))
    known = series.dropna()
    last = len(values) - 1 if known.empty else series.index.get_loc(known.index[-1])
    wanted = set(range(last - days, -1, -days)[: origins if origins is not None else None])
    errors, naive, inside = [], [], []
    for run in runs:
        run = run[~np.isnan(values[run])]
        if len(run) < MIN_PERIODS * days + days:
            continue
        y = values[run]
        path = _path(kind, y, days)
        for j in range(len(path["point"])):
            i = j + MIN_PERIODS * days - 1  # the origin's index in y
            if run[i] not in wanted or np.isnan(path["truth"][j]):
                continue
            entry, truth = _at(kind, path, j, days), float(path["truth"][j])
            base = y[i] if kind == "level" else y[i - days + 1 : i + 1].sum()
            errors.append(abs(entry["value"] - truth))
            naive.append(abs(base - truth))
            if entry["low"] is not None:
                inside.append(entry["low"] <= truth <= entry["high"])
    n, nan = len(errors), float("nan")
    return {
        "n": n,
        "mae": float(np.mean(errors)) if n else nan,
        "naive_mae": float(np.mean(naive)) if n else nan,
        "banded": len(inside),
        "inside": int(np.sum(inside)),
        "coverage": float(np.mean(inside)) if inside else nan,
    }
