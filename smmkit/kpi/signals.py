"""Spikes and the two audience signals of metrics.md.

A *spike* is a day whose count is far from a typical day: the robust z-score

.. math:: z_d = \\frac{x_d - \\tilde{x}}{1.4826 \\cdot MAD}

over the trailing 28 days before ``d`` (``\\tilde{x}`` their median, ``MAD``
the median absolute deviation from it) is above 3.5 (Iglewicz and Hoaglin).

Edge cases (metrics.md is silent; chosen here and documented):

- MAD = 0 (a flat history, e.g. mostly days with 0 mentions): the scale falls
  back to ``1.2533 x`` the mean absolute deviation, and the scale is never
  below :data:`SCALE_FLOOR` = 1 event, so that a day with one mention after a
  month of none is not a spike, while four or more above the median are.
- Days outside the data's coverage (before the first or after the last day of
  the source table) are unknown, not 0; a day needs at least
  :data:`MIN_HISTORY` = 7 known days of history to be tested.

Signals:

- audience quality (where did these followers come from?): a new-follower spike of a
  network after which its posts engage less: mean ``er_post`` of the posts of
  the 14 days after the spike day is lower than of the 14 days before it;
- post-contest unfollow wave: a ``lost_followers`` spike of a network within
  14 days after one of its ``new_followers`` spikes.
"""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "THRESHOLD",
    "HISTORY_DAYS",
    "MAD_SCALE",
    "MIN_HISTORY",
    "SCALE_FLOOR",
    "SIGNAL_DAYS",
    "robust_z",
    "find_spikes",
    "daily_series",
    "audience_quality",
    "contest_unfollows",
]

THRESHOLD = 3.5
HISTORY_DAYS = 28
MAD_SCALE = 1.4826
MEAN_AD_SCALE = 1.2533
MIN_HISTORY = 7
SCALE_FLOOR = 1.0
SIGNAL_DAYS = 14


def robust_z(
    series: pd.Series,
    *,
    window: int = HISTORY_DAYS,
    min_history: int = MIN_HISTORY,
    floor: float = SCALE_FLOOR,
) -> pd.DataFrame:
    """Robust z-score of each day against the ``window`` days before it.

    Parameters
    ----------
    series
        Daily values on consecutive days (NaN = unknown day).
    window
        Days of history (28).
    min_history
        Known history days needed for a z-score (else NaN).
    floor
        Smallest scale used (in the series' units).

    Returns
    -------
    DataFrame
        Same index; columns ``value``, ``median`` (of the history), ``scale``
        (``1.4826 x MAD``, with the fallbacks of the module doc) and ``z``.
    """
    x = series.astype("float64").to_numpy()
    padded = np.concatenate([np.full(window, np.nan), x])
    history = sliding_window_view(padded[:-1], window) if len(x) else np.empty((0, window))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN windows
        median = np.nanmedian(history, axis=1)
        dev = np.abs(history - median[:, None])
        scale = MAD_SCALE * np.nanmedian(dev, axis=1)
        scale = np.where(scale == 0, MEAN_AD_SCALE * np.nanmean(dev, axis=1), scale)
    scale = np.fmax(scale, floor)
    count = (~np.isnan(history)).sum(axis=1)
    z = np.where(count >= min_history, (x - median) / scale, np.nan)
    return pd.DataFrame({"value": x, "median": median, "scale": scale, "z": z}, index=series.index)


def find_spikes(
    series: pd.Series,
    *,
    start: dt.date | None = None,
    threshold: float = THRESHOLD,
    window: int = HISTORY_DAYS,
) -> pd.DataFrame:
    """The days from ``start`` on whose robust z-score is above ``threshold``.

    ``series`` must include the ``window`` days before ``start`` as history.
    Returns columns ``date``, ``value``, ``median``, ``z`` (one row per spike day).
    """
    z = robust_z(series, window=window)
    keep = z["z"] > threshold
    if start is not None:
        keep &= z.index >= pd.Timestamp(start)
    out = z.loc[keep, ["value", "median", "z"]]
    return out.rename_axis("date").reset_index()


def daily_series(
    events: pd.DataFrame,
    *,
    days: pd.DatetimeIndex,
    value: str | None = None,
    source: str | None = None,
    coverage: tuple[pd.Timestamp, pd.Timestamp] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Daily totals of ``events`` (column ``day``) and each day's top source.

    Parameters
    ----------
    events
        Rows with a naive ``day`` column.
    days
        The consecutive days of the series.
    value
        Column to sum (counts rows when None); NaN values count as 0.
    source
        Column naming where an event came from (network, author).
    coverage
        ``(first, last)`` day with data; days outside it are NaN (unknown),
        days inside without events are 0.

    Returns
    -------
    (Series, Series)
        Totals per day, and the source with the largest total that day
        (ties: the first in alphabetical order; None on a day without events).
    """
    frame = pd.DataFrame({"day": events["day"].to_numpy()})
    frame["v"] = 1.0 if value is None else events[value].astype("float64").fillna(0.0).to_numpy()
    totals = frame.groupby("day")["v"].sum().reindex(days).fillna(0.0)
    if coverage is not None:
        totals[(days < coverage[0]) | (days > coverage[1])] = np.nan
    top = np.full(len(days), None, dtype=object)
    if source is not None and len(frame):
        frame["s"], names = _source_codes(events[source])
        per = frame.loc[frame["s"] >= 0].groupby(["day", "s"], as_index=False)["v"].sum()
        per = per.loc[per["v"] > 0].sort_values(["day", "v", "s"], ascending=[True, False, True])
        best = per.drop_duplicates("day").set_index("day")["s"].reindex(days)
        hit = best.notna().to_numpy()
        top[hit] = names[best.to_numpy()[hit].astype("int64")]
    return totals.rename(None), pd.Series(top, index=days, dtype=object)


def _source_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``values`` in the alphabetical order of their text (-1: missing or empty),
    and the texts: a million rows are grouped by small integers, not by strings."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy()
        names = np.asarray(values.cat.categories.astype(str), dtype=object)
    else:
        codes, uniques = pd.factorize(values)
        names = np.asarray([str(u) for u in uniques], dtype=object)
    order = np.argsort(names.astype(str), kind="stable")
    rank = np.empty(len(order), dtype="int64")
    rank[order] = np.arange(len(order))
    names = names[order]
    codes = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1)
    empty = np.flatnonzero(names == "")
    if len(empty):
        codes[codes == empty[0]] = -1
    return codes, names


def _mean_er(posts: pd.DataFrame, network: str, first: pd.Timestamp, last: pd.Timestamp) -> float:
    rows = (posts["network"] == network) & (posts["day"] >= first) & (posts["day"] <= last)
    values = posts["er_post"].loc[rows].dropna()  # the one column: not a copy of every post's row
    return float(values.mean()) if len(values) else float("nan")


def audience_quality(new_spikes: pd.DataFrame, posts: pd.DataFrame, *, days: int = SIGNAL_DAYS) -> list[dict]:
    """New-follower spikes followed by a lower ``er_post``: followers worth checking at their source.

    metrics.md's audience-quality signal. The findings state it (neutrally, never as an accusation)
    only past the catalogue's :data:`~smmkit.catalogue.SIGNAL_THRESHOLDS`.

    Parameters
    ----------
    new_spikes
        Spikes of each network's daily ``new_followers`` (columns ``network``,
        ``date``, ``value``, ``z``), only those to report.
    posts
        Posts with ``network``, ``day`` and per-post ``er_post`` (percent).

    Returns
    -------
    list of dict
        ``network``, ``date``, ``new_followers``, ``z``, ``er_post_before``
        (mean over the posts of the ``days`` days before the spike day) and
        ``er_post_after`` (the ``days`` days after it), for the spikes where
        both are known and ``after < before``.
    """
    out = []
    span = pd.Timedelta(days=days)
    one = pd.Timedelta(days=1)
    for row in new_spikes.itertuples(index=False):
        before = _mean_er(posts, row.network, row.date - span, row.date - one)
        after = _mean_er(posts, row.network, row.date + one, row.date + span)
        if after < before:  # False when either is NaN
            out.append(
                {
                    "network": row.network,
                    "date": row.date.date().isoformat(),
                    "new_followers": float(row.value),
                    "z": float(row.z),
                    "er_post_before": before,
                    "er_post_after": after,
                }
            )
    return out


def contest_unfollows(
    new_spikes: pd.DataFrame, lost_spikes: pd.DataFrame, *, days: int = SIGNAL_DAYS
) -> list[dict]:
    """Unfollow waves after a follower jump (typical after a giveaway contest).

    Each ``lost_followers`` spike of a network that comes 1 to ``days`` days
    after one of the network's ``new_followers`` spikes (the latest one).
    Both frames have columns ``network``, ``date``, ``value``, ``z``.

    Returns
    -------
    list of dict
        ``network``, ``new_followers_date``, ``new_followers``, ``date`` (of
        the unfollow spike), ``lost_followers``, ``z``, ``days_after``.
    """
    out = []
    for lost in lost_spikes.itertuples(index=False):
        gaps = (lost.date - pd.to_datetime(new_spikes["date"])).dt.days
        match = new_spikes.loc[(new_spikes["network"] == lost.network) & (gaps >= 1) & (gaps <= days)]
        if match.empty:
            continue
        new = match.sort_values("date").iloc[-1]
        out.append(
            {
                "network": lost.network,
                "new_followers_date": new["date"].date().isoformat(),
                "new_followers": float(new["value"]),
                "date": lost.date.date().isoformat(),
                "lost_followers": float(lost.value),
                "z": float(lost.z),
                "days_after": int((lost.date - new["date"]).days),
            }
        )
    return out
