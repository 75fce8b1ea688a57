"""The tables the report pages draw, beyond one period's KPIs: trends, a period's posts, best time,
post types, weekly frequency, mentions per day and week, voice per brand.

Every number here comes from the KPI engine's own per-post table and classifications
(:func:`smmkit.kpi.engine.post_table`, :func:`smmkit.kpi.metrics.prepare_mentions`), so a chart
and the KPI beside it never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from smmkit.catalogue import KPI_KEYS
from smmkit.errors import UsageError
from smmkit.io.client import Client
from smmkit.kpi.engine import period_coverage, period_tables, post_table
from smmkit.kpi.metrics import prepare_mentions
from smmkit.kpi.periods import Period, parse_day

__all__ = [
    "best_time",
    "by_post_type",
    "coverage_column",
    "history",
    "mentions_daily",
    "period_posts",
    "sentiment_weekly",
    "trend",
    "voice",
    "weekly_frequency",
]


def coverage_column(key: str) -> str:
    """The :func:`trend` column holding the coverage status of KPI ``key``'s points."""
    return f"coverage:{key}"


def trend(
    client: Client,
    *,
    end: str | dt.date,
    days: int = 28,
    periods: int = 6,
    keys: Sequence[str] | None = None,
) -> pd.DataFrame:
    """KPIs over the last ``periods`` consecutive periods of ``days`` days ending on ``end``.

    When those ``days`` ending on ``end`` are one calendar month (``end`` the month's last day,
    ``days`` its length), the trend steps by calendar months (metrics.md: a trend of a
    calendar-month report steps by calendar months), as :meth:`Period.back` does.

    Returns
    -------
    DataFrame
        One row per (period, scope): ``period_start``, ``period_end`` (Timestamps),
        ``scope`` (each network and ``"total"``) and one column per KPI of ``keys``
        (all KPI keys by default), oldest period first. Values are exactly those of
        :func:`smmkit.kpi.engine.kpis` for each period. Then, per KPI, :func:`coverage_column`
        (``"coverage:<key>"``): how the sources the KPI reads cover the point's period
        (:func:`smmkit.kpi.engine.period_coverage`: ``"full"``, ``"partial"``, ``"none"``, or
        ``""`` without such a source); a point not fully covered is drawn hollow, one not
        covered at all is null (metrics.md's coverage rule) and not drawn.
    """
    keys = list(KPI_KEYS if keys is None else keys)
    unknown = [k for k in keys if k not in KPI_KEYS]
    if unknown:
        raise UsageError(
            f"`keys` holds unknown KPI keys {unknown}; expected keys of smmkit.catalogue.KPI_KEYS"
        )
    if days < 1 or periods < 1:
        raise UsageError(f"`days` and `periods` must be at least 1; got days={days!r}, periods={periods!r}")
    last_day = parse_day(end, name="`end`")
    last = Period(last_day - dt.timedelta(days=days - 1), last_day)
    frames = []
    for p in last.back(periods):
        rep = period_tables(client, p, keys=keys)
        scopes = rep.networks.index.append(pd.Index(["total"]))
        # one frame per period from plain arrays: setting 2 x len(keys) columns one by one costs
        # more than the period's KPIs (they are memoised per client)
        values = np.vstack(
            [rep.networks[keys].to_numpy(dtype="float64"), rep.total[keys].to_numpy(dtype="float64")]
        )
        status = period_coverage(client, p, keys).reindex(scopes).fillna("")[keys].to_numpy()
        head = pd.DataFrame(
            {"period_start": pd.Timestamp(p.start), "period_end": pd.Timestamp(p.end), "scope": scopes}
        )
        block = [
            head,
            pd.DataFrame(values, columns=keys),
            pd.DataFrame(status, columns=[coverage_column(k) for k in keys]),
        ]
        frames.append(pd.concat(block, axis=1))
    return pd.concat(frames, ignore_index=True)


def history(period: Period, *, periods: int = 6) -> Period:
    """The span of the last ``periods`` periods of ``period``'s length ending with it (for trend-like charts)."""
    return Period(period.back(periods)[0].start, period.end)


def period_posts(client: Client, period: Period) -> pd.DataFrame:
    """The posts published in ``period`` with their engagements and ER as the KPI engine computes them.

    Columns: the canonical post columns plus ``day`` (local day), ``engagements``
    (likes + comments + shares), ``er_post`` (percent: engagements / followers on
    the publish day x 100), ``er_view``, ``weekday`` (0 = Monday) and ``hour``
    (local time of publishing). Sorted by ``er_post``, highest first.
    """
    posts = post_table(client)
    out = posts.loc[period.mask(posts["day"])].copy()
    local = out["published_at"].dt.tz_convert(client.config.timezone)
    out["weekday"] = local.dt.day_of_week.astype("int64")
    out["hour"] = local.dt.hour.astype("int64")
    return out.sort_values(
        ["er_post", "published_at"], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)


def best_time(posts: pd.DataFrame, *, metric: str = "er_post") -> pd.DataFrame:
    """Mean ``metric`` (``er_post``; ``er_view`` where no follower count is exported) by weekday
    (rows 0-6, Monday first) and local hour (columns 0-23); NaN = no post."""
    grid = posts.dropna(subset=[metric]).pivot_table(
        index="weekday", columns="hour", values=metric, aggfunc="mean"
    )
    return grid.reindex(index=range(7), columns=range(24)).astype("float64")


def by_post_type(posts: pd.DataFrame) -> pd.DataFrame:
    """Per post type: ``posts`` (count) and the means of ``reach``, ``engagements`` and ``er_post``.

    Posts without a type are left out; sorted by mean ``er_post``, highest first.
    """
    rows = posts.loc[posts["post_type"].notna().to_numpy()].copy()
    rows["post_type"] = rows["post_type"].astype(str).str.strip()
    for col in ("reach", "engagements", "er_post"):
        rows[col] = rows[col].astype("float64")
    grouped = rows.groupby("post_type")
    out = pd.DataFrame(
        {
            "posts": grouped.size().astype("float64"),
            "reach": grouped["reach"].mean(),
            "engagements": grouped["engagements"].mean(),
            "er_post": grouped["er_post"].mean(),
        }
    )
    return out.sort_values("er_post", ascending=False)


def weekly_frequency(posts: pd.DataFrame, *, metric: str = "er_post") -> pd.DataFrame:
    """Per network and week (Monday start): ``posts`` that week and their mean ``metric`` (``er_post``;
    ``er_view`` where no follower count is exported)."""
    rows = posts.assign(week=posts["day"] - pd.to_timedelta(posts["day"].dt.day_of_week, unit="D"))
    grouped = rows.groupby(["network", "week"], observed=True)
    out = pd.DataFrame({"posts": grouped.size().astype("float64"), metric: grouped[metric].mean()})
    return out.reset_index()


def _mentions(client: Client, period: Period) -> pd.DataFrame:
    """The period's mention rows as the KPI engine classifies them (:func:`smmkit.kpi.metrics.prepare_mentions`):
    ``day`` (local calendar day of ``published_at``), ``is_own``, ``is_competitor``, ``is_positive``, ..."""
    cfg = client.config
    rows = prepare_mentions(client.mentions, own=cfg.own_brands, competitors=cfg.competitors, tz=cfg.timezone)
    return rows.loc[period.mask(rows["day"])]


def mentions_daily(client: Client, period: Period) -> pd.Series:
    """The client's own brand mentions per day of ``period`` (0 on a day without any; empty without data)."""
    if client.mentions.empty:
        return pd.Series(dtype="float64")
    rows = _mentions(client, period)
    own = rows.loc[rows["is_own"].to_numpy(bool)]
    return own.groupby("day").size().reindex(period.dates(), fill_value=0).astype("float64")


def sentiment_weekly(client: Client, period: Period) -> pd.DataFrame:
    """Own mentions per week (Monday start) x sentiment (``positive``, ``neutral``, ``negative``)."""
    cols = ["positive", "neutral", "negative"]
    if client.mentions.empty:
        return pd.DataFrame(columns=cols, dtype="float64")
    rows = _mentions(client, period)
    own = rows.loc[rows["is_own"].to_numpy(bool)].copy()
    own["sentiment"] = own["sentiment"].astype("string").str.strip().str.lower()
    own = own.loc[own["sentiment"].isin(cols).fillna(False).to_numpy(bool)]
    own["week"] = own["day"] - pd.to_timedelta(own["day"].dt.day_of_week, unit="D")
    out = own.pivot_table(index="week", columns="sentiment", values="is_own", aggfunc="size", fill_value=0)
    return out.reindex(columns=cols, fill_value=0).astype("float64")


def voice(client: Client, period: Period) -> pd.Series:
    """Mentions in ``period`` per brand: the client (by its name, aliases counted in) and each competitor.

    The share of voice of metrics.md is the first value over the sum.
    """
    cfg = client.config
    names = [cfg.name, *cfg.competitors]
    if client.mentions.empty:
        return pd.Series(np.nan, index=names, dtype="float64")
    rows = _mentions(client, period)
    counts = {cfg.name: float(rows["is_own"].sum())}
    competitor = rows["is_competitor"].to_numpy(bool)
    brand = rows["brand"].astype("string").str.strip().str.casefold()
    for comp in cfg.competitors:
        named = (brand == comp.strip().casefold()).fillna(False).to_numpy(bool)
        counts[comp] = float((competitor & named).sum())
    return pd.Series(counts, dtype="float64")
