"""Pure metric functions: one per KPI of metrics.md, data first, keyword-only options.

Two kinds of functions live here.

*Counts* are sums over the canonical tables of :mod:`smmkit.io.schema`
(:func:`post_counts`, :func:`audience_counts`, :func:`ad_counts`,
:func:`inbox_counts`, :func:`web_counts`, :func:`mention_counts`). Each takes
a table and a period and returns one row per network. A count is NaN for a
network when it is *unknown* (no row of that network, anywhere in the data,
has a value in the source column) and 0 when it is known but nothing happened
in the period (metrics.md, "Known, unknown and totals").

*Derived* values take their inputs as numbers, arrays or aligned Series and
return the same shape: :func:`evaluate` computes every derived record of the
catalogue (:data:`smmkit.catalogue.DERIVED`). A plain ratio KPI is data (its
record's ``ratio=(numerator, denominator), scale=``), so it has no function
here; only the irregular ones (:func:`reach_rate`, :func:`bounce_rate`, ...)
do, registered by name with :func:`kpi_function`. Every division goes through
:func:`ratio`: a zero, negative-zero or unknown denominator gives NaN, never
``inf`` and never 0. A ``total`` applies the same formula to sums of the inputs
taken over the networks where every input is known, never by averaging network
rates (the engine's total rules).

Units: counts are counts; ``*_rate``, ``er*``, ``ctr``, ``*_pct`` and
``share_of_voice`` are percent (``x 100``); ``*_h`` are hours, ``*_s`` seconds;
``cpc``, ``cpl``, ``cost_per_follower``, ``total_cost``, ``ad_spend`` are in the
client's currency.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

import numpy as np
import pandas as pd

from smmkit.catalogue import Quantity
from smmkit.io.schema import local_day
from smmkit.kpi.periods import in_days

__all__ = [
    "FUNCTIONS",
    "evaluate",
    "kpi_function",
    "ratio",
    "pct",
    "sum_known",
    "known_networks",
    "known_map",
    "change",
    "followers_on",
    "followers_table",
    "post_engagements",
    "post_counts",
    "audience_counts",
    "net_follower_growth",
    "ad_counts",
    "ads_straddling",
    "inbox_counts",
    "response_hours",
    "web_counts",
    "web_in_period",
    "mention_counts",
    "prepare_mentions",
    "mention_kind",
    "fixed_cost",
    "er_day",
    "er_post",
    "er_view",
    "reach_rate",
    "engagements_per_follower",
    "total_cost",
    "response_time_change",
    "bounce_rate",
    "share_of_voice",
]

Number = float | int | np.ndarray | pd.Series

#: Post columns summed per network: canonical column -> KPI key.
POST_SUMS: dict[str, str] = {
    "impressions": "impressions",
    "reach": "reach",
    "reach_organic": "reach_organic",
    "reach_paid": "reach_paid",
    "reach_viral": "reach_viral",
    "video_views": "video_views",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saves": "saves",
    "clicks": "clicks",
    "engaged_users": "engaged_users",
    "complaints": "complaints",
}
AUDIENCE_SUMS = {
    "new_followers": "new_followers",
    "lost_followers": "lost_followers",
    "unique_visitors": "unique_visitors",
}
AD_SUMS = {"spend": "ad_spend", "impressions": "ad_impressions", "clicks": "ad_clicks", "leads": "ad_leads"}
WEB_SUMS = (
    "sessions",
    "users",
    "new_users",
    "engaged_sessions",
    "engagement_time_s",
    "views",
    "conversions",
    "leads",
)
ENGAGEMENT_TERMS = ("likes", "comments", "shares")


# --------------------------------------------------------------------------- helpers
def _values(x) -> np.ndarray:
    if isinstance(x, pd.Series | pd.Index):
        return x.astype("float64").to_numpy()
    if x is None or x is pd.NA:
        return np.asarray(np.nan)
    return np.asarray(x, dtype="float64")


def ratio(num: Number, den: Number, *, scale: float = 1.0) -> Number:
    """``num / den x scale``, NaN where ``den`` is 0 or either side is unknown.

    Works on scalars, arrays and Series (a Series keeps its index). Never
    returns ``inf``.
    """
    n, d = _values(num), _values(den)
    with np.errstate(all="ignore"):
        out = np.where(d != 0, n / d * scale, np.nan)
    out = np.where(np.isfinite(out), out, np.nan)
    for x in (num, den):
        if isinstance(x, pd.Series):
            return pd.Series(out, index=x.index, dtype="float64")
    return float(out) if out.ndim == 0 else out


def pct(num: Number, den: Number) -> Number:
    """``num / den x 100`` (percent), NaN on a zero or unknown denominator."""
    return ratio(num, den, scale=100.0)


def sum_known(*terms: Number) -> Number:
    """Sum of several metrics: an unknown term counts as 0 while one term is known.

    NaN only where every term is NaN (metrics.md: ``likes + comments + shares``,
    ``clicks + ad_clicks``, ``ad_leads + leads``).
    """
    arrays = [_values(t) for t in terms]
    stacked = np.stack(np.broadcast_arrays(*arrays))
    known = ~np.isnan(stacked)
    out = np.where(known.any(axis=0), np.nansum(np.where(known, stacked, 0.0), axis=0), np.nan)
    for t in terms:
        if isinstance(t, pd.Series):
            return pd.Series(out, index=t.index, dtype="float64")
    return float(out) if out.ndim == 0 else out


def change(current: Number, previous: Number) -> Number:
    """Change against the previous period, percent.

    .. math:: (current / previous - 1) \\times 100

    NaN where ``previous`` is 0 or unknown or ``current`` is unknown.
    """
    r = ratio(current, previous)
    return r * 100.0 - 100.0


def known_map(frame: pd.DataFrame, columns: Iterable[str]) -> dict[str, frozenset[str]]:
    """Column -> the networks with a non-null value of it anywhere in ``frame`` (one groupby).

    The one rule for "known" (metrics.md, "Known, unknown and totals"); a column ``frame``
    lacks is known for no network.
    """
    columns = list(dict.fromkeys(columns))
    out: dict[str, frozenset[str]] = dict.fromkeys(columns, frozenset())
    present = [c for c in columns if c in frame.columns]
    if "network" not in frame.columns or not present or not len(frame):
        return out
    codes, names = pd.factorize(frame["network"].astype(object))  # a missing network: -1, never known
    with_network = codes >= 0
    for c in present:
        used = np.unique(codes[with_network & frame[c].notna().to_numpy()])
        out[c] = frozenset(str(names[i]) for i in used)
    return out


def known_networks(frame: pd.DataFrame, column: str) -> frozenset[str]:
    """Networks with at least one non-null value of ``column`` anywhere in ``frame`` (:func:`known_map`)."""
    return known_map(frame, [column])[column]


def _sums(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    *,
    networks: Iterable[str],
    known: Mapping[str, frozenset[str]],
) -> pd.DataFrame:
    """Per-network sums of ``columns`` renamed to KPI keys; NaN where unknown, 0 where known."""
    networks = list(networks)
    cols = list(columns)
    out = np.zeros((len(networks), len(cols)))
    if len(frame):
        codes = pd.Index(networks, dtype=object).get_indexer(np.asarray(frame["network"].astype(object)))
        values = np.nan_to_num(frame[cols].to_numpy(dtype="float64", na_value=np.nan))
        hit = codes >= 0
        np.add.at(out, codes[hit], values[hit])
    is_known = np.array([[n in known.get(c, ()) for c in cols] for n in networks], dtype=bool)
    out[~is_known.reshape(out.shape)] = np.nan
    return pd.DataFrame(out, index=pd.Index(networks, name="network"), columns=[columns[c] for c in cols])


# --------------------------------------------------------------------------- audience
def followers_on(
    audience: pd.DataFrame, days: Iterable, *, table: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Followers on each day: the last known ``followers`` value on or before it.

    Parameters
    ----------
    audience
        Canonical audience table (``network``, ``date``, ``followers``).
    days
        Local days (anything ``pd.DatetimeIndex`` accepts).
    table
        A precomputed :func:`followers_table` of ``audience`` (for speed).

    Returns
    -------
    DataFrame
        Index = ``days``, one column per network with follower data; NaN
        before a network's first known value.
    """
    index = pd.DatetimeIndex(pd.to_datetime(list(days))).astype("datetime64[ns]")
    table = followers_table(audience) if table is None else table
    if table.empty:
        return pd.DataFrame(index=index, dtype="float64")
    return table.reindex(index, method="ffill")


def followers_table(audience: pd.DataFrame) -> pd.DataFrame:
    """Day x network table of the known follower counts, forward-filled, sorted by day.

    Where a network has two rows for one day, the later row wins.
    """
    rows = audience.loc[audience["followers"].notna() & audience["network"].notna()]
    if rows.empty:
        return pd.DataFrame(dtype="float64")
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(rows["date"]).astype("datetime64[ns]").to_numpy(),
            "network": rows["network"].astype(str).to_numpy(),
            "followers": rows["followers"].astype("float64").to_numpy(),
        }
    )
    table = frame.pivot_table(index="date", columns="network", values="followers", aggfunc="last")
    table.columns.name = None
    return table.sort_index().ffill()


def audience_counts(
    audience: pd.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    networks: Iterable[str],
    followers: pd.DataFrame | None = None,
    known: Mapping[str, frozenset[str]] | None = None,
) -> pd.DataFrame:
    """Audience counts per network for the period.

    Columns: ``followers_start`` (followers on ``start - 1``), ``followers_end``
    (on ``end``), ``new_followers``, ``lost_followers``, ``unique_visitors``
    (sums of the daily values; a sum of daily uniques, not people) and
    ``net_follower_growth`` (:func:`net_follower_growth`).

    Parameters
    ----------
    followers
        A precomputed :func:`followers_table` of ``audience`` (for speed).
    """
    networks = list(networks)
    known = known_map(audience, AUDIENCE_SUMS) if known is None else known
    rows = audience.loc[in_days(audience["date"], start, end)]
    out = _sums(rows, AUDIENCE_SUMS, networks=networks, known=known)
    edge = [pd.Timestamp(start) - pd.Timedelta(days=1), pd.Timestamp(end)]
    table = followers_on(audience, edge, table=followers).reindex(columns=networks)
    out.insert(0, "followers_start", table.iloc[0].to_numpy())
    out.insert(1, "followers_end", table.iloc[1].to_numpy())
    out["net_follower_growth"] = net_follower_growth(
        out["new_followers"], out["lost_followers"], out["followers_start"], out["followers_end"]
    )
    return out


def net_follower_growth(
    new_followers: Number, lost_followers: Number, followers_start: Number, followers_end: Number
) -> Number:
    """Net follower growth (count).

    .. math:: new - lost  \\quad\\text{(joins/leaves exported)}, \\qquad end - start \\quad\\text{(otherwise)}

    Where only one of joins and leaves is exported the other counts as 0
    (the sum rule of metrics.md). NaN when neither path is known.
    """
    joins = _values(sum_known(new_followers, -_values(lost_followers)))
    totals = _values(followers_end) - _values(followers_start)
    out = np.where(np.isnan(joins), totals, joins)
    for x in (new_followers, followers_start):
        if isinstance(x, pd.Series):
            return pd.Series(out, index=x.index, dtype="float64")
    return float(out) if np.ndim(out) == 0 else out


# --------------------------------------------------------------------------- posts
def post_engagements(posts: pd.DataFrame, *, known: Mapping[str, frozenset[str]] | None = None) -> pd.Series:
    """Engagements of each post: ``likes + comments + shares`` (count).

    A term unknown for the post's network counts as 0 while another is known;
    NaN when none of the three is known for the network. ``known`` maps each
    term to the networks where it is known (computed from ``posts`` if not given).
    """
    known = known_map(posts, ENGAGEMENT_TERMS) if known is None else known
    network = posts["network"]  # isin on the categorical of the engine's context is fast
    terms = []
    for col in ENGAGEMENT_TERMS:
        values = posts[col].astype("float64")
        known_here = network.isin(list(known.get(col, ())))
        terms.append(values.where(~known_here | values.notna(), 0.0).where(known_here))
    return sum_known(*terms).rename("engagements")


def post_counts(
    posts: pd.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    networks: Iterable[str],
    tz: str | None = None,
    known: Mapping[str, frozenset[str]] | None = None,
) -> pd.DataFrame:
    """Post counts per network for the posts published in the period (local day).

    Columns: ``posts`` and the sums of :data:`POST_SUMS` (lifetime totals of
    each post), plus ``engagements`` (``likes + comments + shares``, sum rule).
    ``posts`` is NaN for a network without any posts data.
    """
    networks = list(networks)
    known = known_map(posts, [*POST_SUMS, "network"]) if known is None else known
    day = posts["day"] if "day" in posts.columns else local_day(posts["published_at"], tz)
    mask = in_days(day, start, end)
    rows = posts.loc[mask]
    out = _sums(rows, POST_SUMS, networks=networks, known=known)
    have = known["network"]
    count = rows["network"].astype(str).value_counts().reindex(networks).fillna(0.0).astype("float64")
    out.insert(0, "posts", count.where(count.index.isin(list(have))).to_numpy())
    out["engagements"] = sum_known(*(out[c] for c in ENGAGEMENT_TERMS))
    return out


def er_post(post_engagements: Number, followers_on_publish_day: Number) -> Number:
    """ER of each post by followers, percent: ``post engagements / followers on the publish day x 100``.

    The KPI ``er_post`` is the mean of this over the period's posts; NaN when
    one of them has unknown or 0 followers (NaN here), as ``er_day`` is NaN
    when a day's followers are unknown.
    """
    return pct(post_engagements, followers_on_publish_day)


def er_view(post_engagements: Number, impressions: Number) -> Number:
    """ER of each post by impressions, percent: ``post engagements / post impressions x 100``.

    The KPI ``er_view`` is the mean of this over the posts with impressions > 0
    (NaN here for 0 or unknown impressions). Networks do not count unique views.
    """
    return pct(post_engagements, impressions)


def er_day(engagements_by_day: pd.DataFrame, followers_by_day: pd.DataFrame) -> pd.Series:
    """Daily ER, percent, per column (network).

    .. math:: \\frac{1}{|D|} \\sum_{d \\in D} \\frac{E_d}{F_d} \\times 100

    where ``E_d`` is the engagements of the posts published on day ``d`` (0 on
    a day without posts) and ``F_d`` the followers on ``d``. Both frames are
    indexed by every day of the period. NaN for a column where the followers
    are unknown or 0 on any day of the period, or the engagements unknown.
    """
    e = engagements_by_day.astype("float64")
    f = followers_by_day.reindex(index=e.index, columns=e.columns).astype("float64")
    daily = pd.DataFrame(pct(e.to_numpy(), f.to_numpy()), index=e.index, columns=e.columns)
    return daily.mean(axis=0, skipna=False).astype("float64")


# --------------------------------------------------------------------------- ads, inbox, web, mentions
def ad_counts(
    ads: pd.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    networks: Iterable[str],
    known: Mapping[str, frozenset[str]] | None = None,
) -> pd.DataFrame:
    """Ad-account sums per network: ``ad_spend`` (currency), ``ad_impressions``, ``ad_clicks``, ``ad_leads``.

    A row covers ``[date, date_end]`` (one day, or an export's reporting range without a Day
    breakdown) and counts when that range lies inside the period. A row that straddles the
    period cannot be split by day: the engine then leaves every ad KPI null instead of guessing
    (data-contract.md, Meta Ads Manager: the GA4 undated-table rule; :func:`ads_straddling`).
    """
    known = known_map(ads, AD_SUMS) if known is None else known
    first = ads["date"]
    last = ads["date_end"].fillna(first) if "date_end" in ads.columns else first
    inside = in_days(first, start, end) & in_days(last, start, end)
    return _sums(ads.loc[inside], AD_SUMS, networks=networks, known=known)


def ads_straddling(ads: pd.DataFrame, *, start: dt.date, end: dt.date) -> list[str]:
    """The networks with an ad row whose date range overlaps ``[start, end]`` without lying inside it."""
    if "date_end" not in ads.columns or ads.empty:
        return []
    first, last = ads["date"], ads["date_end"].fillna(ads["date"])
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    overlap = ((first <= e) & (last >= s)).to_numpy(bool)
    inside = in_days(first, start, end) & in_days(last, start, end)
    return sorted({str(n) for n in ads.loc[overlap & ~inside, "network"].dropna()})


def response_hours(received_at: pd.Series, first_reply_at: pd.Series) -> pd.Series:
    """Calendar hours from a question to its first reply (NaN when unanswered)."""
    delta = first_reply_at - received_at
    return (delta.dt.total_seconds() / 3600.0).astype("float64")


def inbox_counts(
    inbox: pd.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    networks: Iterable[str],
    tz: str | None = None,
    known: frozenset[str] | None = None,
) -> pd.DataFrame:
    """Community-management counts per network for questions received in the period.

    Columns: ``questions`` (rows with ``is_question`` true, by local day of
    ``received_at``), ``answered`` (of those, the ones with a first reply,
    whenever it came), ``avg_response_time_h`` and ``median_response_time_h``
    (hours, over answered questions; NaN when none was answered).
    """
    networks = list(networks)
    known = known_networks(inbox, "is_question") if known is None else known
    if "hours" not in inbox.columns:  # prepared once per client by the KPI engine
        inbox = inbox.assign(
            day=local_day(inbox["received_at"], tz),
            hours=response_hours(inbox["received_at"], inbox["first_reply_at"]),
            question=inbox["is_question"].fillna(False).to_numpy(dtype=bool),
        )
    rows = inbox.loc[in_days(inbox["day"], start, end) & inbox["question"].to_numpy()]
    frame = pd.DataFrame(
        {
            "network": rows["network"].astype(str).to_numpy(),
            "answered": rows["first_reply_at"].notna().astype("float64").to_numpy(),
            "hours": rows["hours"].to_numpy(dtype="float64"),
        }
    )
    g = frame.groupby("network")
    out = pd.DataFrame(
        {
            "questions": g.size().astype("float64"),
            "answered": g["answered"].sum(),
            "avg_response_time_h": g["hours"].mean(),
            "median_response_time_h": g["hours"].median(),
        }
    ).reindex(networks)
    out[["questions", "answered"]] = out[["questions", "answered"]].fillna(0.0)
    out.loc[~out.index.isin(list(known)), ["questions", "answered"]] = np.nan
    out.index.name = "network"
    return out.astype("float64")


def web_in_period(web: pd.DataFrame, *, start: dt.date, end: dt.date) -> tuple[pd.DataFrame, bool]:
    """The web rows counted in the period, and whether the web KPIs must be null.

    A row covers ``[date_start, date_end]`` and counts only when that whole
    range lies inside the period (a daily row: its day is in the period).
    When rows overlap the period without lying inside it (a GA4 table without
    a Date column whose range straddles the period), their totals cannot be
    split by day: the second value is ``True`` and the caller leaves the web
    KPIs null instead of guessing (data-contract.md, GA4), whether or not
    other files hold daily rows. Rows whose range lies wholly outside the
    period are simply not counted.
    """
    s, e = pd.Timestamp(start), pd.Timestamp(end)
    inside = (web["date_start"] >= s) & (web["date_end"] <= e)
    overlap = (web["date_start"] <= e) & (web["date_end"] >= s)
    straddle = bool((overlap & ~inside).any())
    return web.loc[inside.to_numpy()], straddle


def web_counts(
    rows: pd.DataFrame,
    *,
    networks: Iterable[str],
    known_in: pd.DataFrame | None = None,
    known: Mapping[str, frozenset[str]] | None = None,
) -> pd.DataFrame:
    """Per-network sums of the social web rows: ``sessions``, ``users``, ``new_users``, ... (``WEB_SUMS``).

    ``rows`` are the period's rows (:func:`web_in_period`); ``known_in`` is the
    whole web table, which decides which sums are known for which network
    (or give ``known``: column -> networks).
    """
    known = known_map(rows if known_in is None else known_in, WEB_SUMS) if known is None else known
    social = rows.loc[rows["network"].notna().to_numpy()]
    return _sums(social, {c: c for c in WEB_SUMS}, networks=networks, known=known)


def mention_kind(brand: pd.Series, *, own: Iterable[str], competitors: Iterable[str]) -> pd.Series:
    """``"own"``, ``"competitor"`` or ``None`` for each mention's ``brand``.

    Brands compare case-insensitively after stripping spaces; a brand that is
    neither the client's name/alias nor a listed competitor is ignored (None).
    """
    own_set = {s.strip().casefold() for s in own}
    comp_set = {s.strip().casefold() for s in competitors} - own_set
    key = brand.astype("string").str.strip().str.casefold()
    is_own = key.isin(own_set).fillna(False).to_numpy(dtype=bool)
    is_comp = key.isin(comp_set).fillna(False).to_numpy(dtype=bool)
    kind = np.where(is_own, "own", np.where(is_comp, "competitor", None)).astype(object)
    return pd.Series(kind, index=brand.index, dtype=object)


def share_of_voice(own_mentions: Number, competitor_mentions: Number) -> Number:
    """Share of voice, percent: ``own / (own + competitors') x 100``; NaN when both are 0."""
    return pct(own_mentions, _values(own_mentions) + _values(competitor_mentions))


def prepare_mentions(
    mentions: pd.DataFrame, *, own: Iterable[str], competitors: Iterable[str], tz: str | None = None
) -> pd.DataFrame:
    """Add the columns :func:`mention_counts` reads, once per client (for speed).

    ``day`` (local day of ``published_at``), ``net`` (network, stripped and
    lower-cased, ``""`` when empty), ``is_own``, ``is_competitor`` (see
    :func:`mention_kind`), ``is_positive``, ``is_negative`` (sentiment).
    """
    out = mentions.copy()
    kind = mention_kind(mentions["brand"], own=own, competitors=competitors)
    sentiment = mentions["sentiment"].astype("string").str.strip().str.lower()
    out["day"] = local_day(mentions["published_at"], tz)
    out["net"] = (
        mentions["network"].astype("string").str.strip().str.lower().fillna("").to_numpy(dtype=object)
    )
    out["is_own"] = (kind == "own").to_numpy(dtype=bool)
    out["is_competitor"] = (kind == "competitor").to_numpy(dtype=bool)
    out["is_positive"] = (sentiment == "positive").fillna(False).to_numpy(dtype=bool)
    out["is_negative"] = (sentiment == "negative").fillna(False).to_numpy(dtype=bool)
    return out


def mention_counts(
    mentions: pd.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    own: Iterable[str],
    competitors: Iterable[str],
    networks: Iterable[str] | None = None,
    tz: str | None = None,
) -> pd.DataFrame:
    """Listening counts for the period, per network and in a ``"total"`` row.

    Columns: ``mentions`` (own mentions), ``mentions_positive``,
    ``mentions_negative`` (own mentions by sentiment), ``competitor_mentions``
    and ``share_of_voice`` (percent). The ``total`` row counts every mention,
    whatever its network. All NaN when the client has no mentions data at all.

    Known and unknown as for every count (metrics.md): a network's counts are
    NaN unless some own or competitor mention of that network exists anywhere
    in the data (then 0 in a period without mentions); its sentiment counts
    are NaN unless one of those mentions carries a sentiment (the ``total``
    row: any own or competitor mention with a sentiment).
    """
    networks = list(networks or [])
    index = pd.Index([*networks, "total"], name="network")
    cols = ["mentions", "mentions_positive", "mentions_negative", "competitor_mentions"]
    if mentions.empty:
        out = pd.DataFrame(np.nan, index=index, columns=cols)
        out["share_of_voice"] = np.nan
        return out
    prepared = (
        mentions
        if "is_own" in mentions.columns
        else prepare_mentions(mentions, own=own, competitors=competitors, tz=tz)
    )
    rows = prepared.loc[in_days(prepared["day"], start, end)]
    frame = pd.DataFrame(
        {
            "network": rows["net"].to_numpy(),
            "mentions": rows["is_own"].to_numpy(),
            "mentions_positive": (rows["is_own"] & rows["is_positive"]).to_numpy(),
            "mentions_negative": (rows["is_own"] & rows["is_negative"]).to_numpy(),
            "competitor_mentions": rows["is_competitor"].to_numpy(),
        }
    )
    per = frame.groupby("network")[cols].sum().astype("float64").reindex(networks)
    counted = prepared.loc[(prepared["is_own"] | prepared["is_competitor"]).to_numpy()]
    has_rows = pd.Index(networks).isin(counted["net"].unique())
    has_sentiment = pd.Index(networks).isin(
        counted.loc[counted["sentiment"].notna().to_numpy(), "net"].unique()
    )
    per.loc[has_rows] = per.loc[has_rows].fillna(0.0)
    per.loc[~has_rows] = np.nan
    per.loc[~has_sentiment, ["mentions_positive", "mentions_negative"]] = np.nan
    per.loc["total"] = frame[cols].sum().astype("float64")
    per.index.name = "network"
    if not counted["sentiment"].notna().any():
        per.loc["total", ["mentions_positive", "mentions_negative"]] = np.nan
    per["share_of_voice"] = share_of_voice(per["mentions"], per["competitor_mentions"])
    return per


def fixed_cost(start: dt.date, end: dt.date, *, month_cost: Callable[[str], float]) -> float:
    """Fixed costs of the period's days (currency).

    .. math:: \\sum_{d=start}^{end} \\frac{cost(month(d))}{days\\ in\\ month(d)}

    Parameters
    ----------
    start, end
        The period's first and last day.
    month_cost
        The fixed cost of a ``YYYY-MM`` month: the client's rule,
        :meth:`smmkit.config.ClientConfig.month_cost` (data-contract.md, ``client.yaml``).

    Returns
    -------
    float
    """
    days = pd.date_range(start, end, freq="D")
    months = days.strftime("%Y-%m")
    amount = np.array([month_cost(m) for m in months], dtype="float64")
    return float(np.sum(amount / days.days_in_month.to_numpy()))


# --------------------------------------------------------------------------- derived KPIs
#: The metric functions of the irregular KPIs (no plain ratio), by the name their catalogue
#: record gives (``function``, default the key): :func:`kpi_function` registers them.
FUNCTIONS: dict[str, Callable[..., Number]] = {}

_F = TypeVar("_F", bound=Callable[..., Number])


def kpi_function(fn: _F) -> _F:
    """Register ``fn`` under its name as the metric function of the records that name it."""
    FUNCTIONS[fn.__name__] = fn
    return fn


def evaluate(record: Quantity, *values: Number) -> Number:
    """The value of a derived catalogue record from its inputs' values, in ``record.inputs`` order.

    One function for every plain ratio (``ratio=(num, den), scale=``: :func:`ratio`) and every
    sum of terms (:func:`sum_known`); an irregular KPI by its registered function
    (:data:`FUNCTIONS`). The same for one network, a Series or array of networks and ``total``.

    Parameters
    ----------
    record
        A record of :data:`smmkit.catalogue.DERIVED`.
    *values
        Numbers, arrays or aligned Series.

    Returns
    -------
    Number
        The shape of the values (a Series keeps its index).
    """
    if record.ratio is not None:
        return ratio(*values, scale=record.scale)
    if record.terms:
        return sum_known(*values)
    return FUNCTIONS[record.function_name](*values)


@kpi_function
def reach_rate(reach: Number, posts: Number, followers_end: Number) -> Number:
    """Share of followers a post reaches, percent: ``reach / posts / followers_end x 100``."""
    return pct(ratio(reach, posts), followers_end)


@kpi_function
def engagements_per_follower(engagements: Number, posts: Number, followers_end: Number) -> Number:
    """Engagements per post per follower, a fraction (not percent): ``engagements / posts / followers_end``."""
    return ratio(ratio(engagements, posts), followers_end)


@kpi_function
def total_cost(ad_spend: Number) -> Number:
    """A network's total cost (currency): its ad spend (the fixed costs are the client's, in ``total`` only)."""
    return ad_spend


@kpi_function
def response_time_change(previous_avg_h: Number, avg_h: Number) -> Number:
    """Response-time change, percent: ``(previous avg / avg - 1) x 100``; positive means faster replies.

    The record's input is ``avg_response_time_h``; the function takes its value in the previous
    period, then in this one (total rule ``previous_change``).
    """
    return ratio(previous_avg_h, avg_h) * 100.0 - 100.0


@kpi_function
def bounce_rate(engaged_sessions: Number, sessions: Number) -> Number:
    """Bounce rate, percent: ``100 - engaged_sessions / sessions x 100`` (GA4 definition)."""
    return 100.0 - pct(engaged_sessions, sessions)
