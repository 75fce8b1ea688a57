"""The KPI engine: one call per period, for notebooks and ``smmkit kpis``.

>>> report = smmkit.kpis(client, start="2026-10-01", end="2026-10-28")  # doctest: +SKIP
>>> report.total["er"], report.networks.loc["vk", "posts"]  # doctest: +SKIP

Every KPI is computed as metrics.md defines it (:mod:`smmkit.kpi.metrics`):
each network's counts from its own rows, ``total``'s counts summed over the
networks where they are known and its rates recomputed from those sums,
never averaged. The JSON output is the object of data-contract.md section 3
and validates against ``kpis.schema.json`` (shipped in the package).

Things the client's whole data decides once (which networks get a block,
which metrics are known for which network, the followers on each day, each
post's engagements and ER) are computed once per :class:`~smmkit.io.client.Client`
and cached, so that calling :func:`kpis` for twelve periods stays cheap.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import weakref
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from smmkit.catalogue import KPI_KEYS, LOWER_IS_BETTER
from smmkit.errors import UsageError
from smmkit.io.client import Client
from smmkit.io.schema import NETWORKS
from smmkit.kpi import metrics as m
from smmkit.kpi import signals as sig
from smmkit.kpi.periods import Period, parse_day, period_from_args

__all__ = [
    "FUNNEL_STAGES",
    "UNITS",
    "KPITables",
    "KPIReport",
    "kpis",
    "post_table",
    "render",
    "load_schema",
    "summary_text",
    "block_networks",
]

#: Funnel stages: stage name -> the column holding its value.
FUNNEL_STAGES: dict[str, str] = {
    "impressions": "impressions",
    "engagements": "engagements",
    "clicks": "all_clicks",  # post link clicks + ad clicks (sum rule)
    "sessions": "social_sessions",
    "conversions": "conversions",
}

_PERCENT = {
    "follower_growth_rate", "reach_rate", "love_rate", "talk_rate", "amplification_rate", "er", "err",
    "er_day", "er_post", "er_view", "ctr", "er_unique", "response_rate", "response_time_change",
    "social_new_users_pct", "social_bounce_rate", "site_new_users_pct", "site_bounce_rate",
    "conversion_rate", "ad_ctr", "share_of_voice",
}  # fmt: skip
_CURRENCY = {"cost_per_follower", "ad_spend", "total_cost", "cpc", "cpl"}
_RATIO = {
    "posts_per_week", "reach_per_post", "engagements_per_post", "engagements_per_follower",
    "clicks_per_post", "social_pages_per_session", "site_pages_per_session",
}  # fmt: skip

#: KPI key -> unit: "%", "h", "s", "currency", "ratio" or "count".
UNITS: dict[str, str] = {
    k: "%"
    if k in _PERCENT
    else "h"
    if k.endswith("_h")
    else "s"
    if k.endswith("_s")
    else "currency"
    if k in _CURRENCY
    else "ratio"
    if k in _RATIO
    else "count"
    for k in KPI_KEYS
}

_POST_COLS = list(m.POST_SUMS)
_COUNT_KEYS = (
    "followers_start", "followers_end", "new_followers", "lost_followers", "net_follower_growth",
    "unique_visitors", "posts", "impressions", "reach", "reach_organic", "reach_paid", "reach_viral",
    "video_views", "likes", "comments", "shares", "saves", "clicks", "engagements", "engaged_users",
    "questions", "answered", "complaints", "social_sessions", "social_users", "social_new_users",
    "social_engaged_sessions", "social_views", "social_engagement_time_s", "conversions", "web_leads",
    "ad_spend", "ad_impressions", "ad_clicks", "ad_leads", "leads", "all_clicks",
)  # fmt: skip
_COST_RATES = ("cost_per_follower", "cpc", "cpl")
_WEB_KEYS = (
    "social_sessions", "social_users", "social_new_users", "social_engaged_sessions", "social_views",
    "social_engagement_time_s", "conversions", "web_leads",
)  # fmt: skip
_SITE = ("users", "new_users", "sessions", "engaged_sessions", "views", "engagement_time_s")


# --------------------------------------------------------------------------- per-client cache
@dataclass
class _Context:
    """What the client's whole data decides once (see the module doc)."""

    client: Client
    tz: str
    networks: list[str]
    posts: pd.DataFrame
    audience: pd.DataFrame
    followers: pd.DataFrame
    ads: pd.DataFrame
    inbox: pd.DataFrame
    mentions: pd.DataFrame
    web: pd.DataFrame
    eng_known: frozenset[str]
    site_known: dict[str, bool]
    new_known: frozenset[str]
    lost_known: frozenset[str]
    known: dict[str, Any]  # table -> column -> networks where known
    spikes: dict[str, Any] | None = None  # every spike of the client, computed on first use


_CACHE: dict[int, tuple[tuple, _Context]] = {}


def _fingerprint(client: Client) -> tuple:
    """What the cached context depends on: the config object and the tables' contents.

    Hashing the contents (a few ms) rather than the tables' identities means an
    analyst who edits a table in place (``client.posts["likes"] = 0``) gets fresh
    numbers, never the cached ones.
    """
    tables = (client.posts, client.audience, client.ads, client.inbox, client.mentions, client.web)
    contents = (int(pd.util.hash_pandas_object(t, index=True).to_numpy().sum()) for t in tables)
    return (id(client.config), *(tuple(t.columns) for t in tables), *contents)


def _context(client: Client) -> _Context:
    key = id(client)
    stamp = _fingerprint(client)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] == stamp and hit[1].client is client:
        return hit[1]
    ctx = _build_context(client)
    if hit is None:
        weakref.finalize(client, _CACHE.pop, key, None)
    _CACHE[key] = (stamp, ctx)
    return ctx


def _str_network(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    net = out["network"].astype("string")
    out["network"] = net.astype(object).where(net.notna(), None)
    return out


def block_networks(client: Client) -> list[str]:
    """The networks that get a block: any row in posts, audience, ads, inbox or (social) web.

    Across the whole loaded data, not only a period; mention-only networks
    get none. Sorted as :data:`smmkit.io.schema.NETWORKS`, ``"other"`` last.
    """
    found: set[str] = set()
    for table in (client.posts, client.audience, client.ads, client.inbox, client.web):
        found |= {str(n) for n in table["network"].dropna().unique()}
    order = {n: i for i, n in enumerate((*NETWORKS, "other"))}
    return sorted(found, key=lambda n: (order.get(n, len(order)), n))


def _build_context(client: Client) -> _Context:
    tz = client.config.timezone
    networks = block_networks(client)

    posts = _str_network(client.posts)
    posts["day"] = m._local_day(posts["published_at"], tz)
    for col in _POST_COLS:
        posts[col] = posts[col].astype("float64")
    known_terms = {c: m.known_networks(posts, c) for c in m.ENGAGEMENT_TERMS}
    posts["engagements"] = m.post_engagements(posts, known=known_terms).to_numpy()
    eng_known = frozenset().union(*known_terms.values())

    audience = _str_network(client.audience)
    for col in ("followers", "new_followers", "lost_followers", "unique_visitors", "page_views"):
        audience[col] = audience[col].astype("float64")
    followers = m.followers_table(audience)
    on_day = np.full(len(posts), np.nan)
    for net in followers.columns:
        mask = (posts["network"] == net).to_numpy()
        if mask.any():
            on_day[mask] = followers[[net]].reindex(pd.DatetimeIndex(posts.loc[mask, "day"]), method="ffill")[
                net
            ]
    posts["followers"] = on_day
    posts["er_post"] = m.er_post(posts["engagements"], posts["followers"]).to_numpy()
    posts["er_view"] = m.er_view(posts["engagements"], posts["impressions"]).to_numpy()

    ads = _str_network(client.ads)
    inbox = _str_network(client.inbox)
    inbox["day"] = m._local_day(inbox["received_at"], tz)
    inbox["hours"] = m.response_hours(inbox["received_at"], inbox["first_reply_at"]).to_numpy()
    inbox["question"] = inbox["is_question"].fillna(False).to_numpy(dtype=bool)
    own = (client.config.name, *client.config.aliases)
    mentions = m.prepare_mentions(client.mentions, own=own, competitors=client.config.competitors, tz=tz)
    web = client.web.copy()
    for col in m.WEB_SUMS:
        web[col] = web[col].astype("float64")
    site_known = {c: bool(web[c].notna().any()) for c in _SITE}
    return _Context(
        client=client,
        tz=tz,
        networks=networks,
        posts=posts,
        audience=audience,
        followers=followers,
        ads=ads,
        inbox=inbox,
        mentions=mentions,
        web=web,
        eng_known=eng_known,
        site_known=site_known,
        new_known=m.known_networks(audience, "new_followers"),
        lost_known=m.known_networks(audience, "lost_followers"),
        known={
            "posts": m._known_map(posts, [*m.POST_SUMS, "network"]),
            "audience": m._known_map(audience, m.AUDIENCE_SUMS),
            "ads": m._known_map(ads, m.AD_SUMS),
            "inbox": m.known_networks(inbox, "is_question"),
            "web": {c: m.known_networks(web, c) for c in m.WEB_SUMS},
        },
    )


# --------------------------------------------------------------------------- one period
@dataclass
class KPITables:
    """``total`` (Series over KPI_KEYS) and ``networks`` (DataFrame, network x KPI_KEYS)."""

    total: pd.Series
    networks: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": _block(self.total),
            "networks": {net: _block(row) for net, row in self.networks.iterrows()},
        }


@dataclass
class _Computed:
    raw: pd.DataFrame  # network x (KPI keys + hidden inputs)
    total: pd.Series  # the same index as raw's columns
    notes: list[str]


def _in(day: pd.Series, period: Period) -> np.ndarray:
    return ((day >= period.start_ts) & (day <= period.end_ts)).to_numpy()


def _daily_engagements(ctx: _Context, period: Period) -> pd.DataFrame:
    rows = ctx.posts.loc[_in(ctx.posts["day"], period)]
    table = rows.pivot_table(index="day", columns="network", values="engagements", aggfunc="sum")
    table = table.reindex(index=period.dates(), columns=ctx.networks).fillna(0.0)
    unknown = [n for n in ctx.networks if n not in ctx.eng_known]
    table[unknown] = np.nan
    return table


def _compute(ctx: _Context, period: Period) -> _Computed:
    nets = ctx.networks
    s, e = period.start, period.end
    notes: list[str] = []
    kn = ctx.known
    raw = m.post_counts(ctx.posts, start=s, end=e, networks=nets, known=kn["posts"])
    audience = m.audience_counts(
        ctx.audience, start=s, end=e, networks=nets, followers=ctx.followers, known=kn["audience"]
    )
    ads = m.ad_counts(ctx.ads, start=s, end=e, networks=nets, known=kn["ads"])
    inbox = m.inbox_counts(ctx.inbox, start=s, end=e, networks=nets, known=kn["inbox"])

    web_rows, web_null = m.web_in_period(ctx.web, start=s, end=e)
    social = m.web_counts(web_rows, networks=nets, known=kn["web"])
    social = social.rename(columns={c: f"social_{c}" for c in m.WEB_SUMS})
    social = social.rename(columns={"social_conversions": "conversions", "social_leads": "web_leads"})
    if web_null:
        social[:] = np.nan
        notes.append(
            f"web analytics: a table without a Date column covers a date range that straddles {period}, "
            "so the web KPIs of that period are null (not guessed)"
        )
    site = {}
    for col in _SITE:
        known = ctx.site_known[col] and not web_null
        site[f"site_{col}"] = float(web_rows[col].astype("float64").sum()) if known else np.nan

    mentions = m.mention_counts(
        ctx.mentions, start=s, end=e, own=(), competitors=(), networks=nets
    )  # prepared once in the context
    parts = [raw, audience, ads, inbox, social, mentions.drop(index="total")]
    raw = pd.concat(parts, axis=1)
    for col, value in site.items():
        raw[col] = value

    # Per-post means and the daily ER.
    rows = ctx.posts.loc[_in(ctx.posts["day"], period)]
    by_net = rows.groupby("network")
    raw["er_post"] = by_net["er_post"].agg(_mean_of_all).reindex(nets).astype("float64")
    raw["er_view"] = by_net["er_view"].mean().reindex(nets).astype("float64")
    daily_e = _daily_engagements(ctx, period)
    daily_f = m.followers_on(ctx.audience, period.dates(), table=ctx.followers).reindex(columns=nets)
    raw["er_day"] = m.er_day(daily_e, daily_f).reindex(nets)

    # Derived counts and the rates of each network (on plain arrays, for speed).
    cols = {c: raw[c].to_numpy(dtype="float64") for c in raw.columns}
    cols["all_clicks"] = m.sum_known(cols["clicks"], cols["ad_clicks"])
    cols["leads"] = m.sum_known(cols["ad_leads"], cols["web_leads"])
    cols["total_cost"] = cols["ad_spend"]
    cols["posts_per_week"] = m.posts_per_week(cols["posts"], days=period.days)
    for key, (inputs, fn) in m.RATES.items():
        cols[key] = np.asarray(fn(*(cols[c] for c in inputs)), dtype="float64").reshape(len(nets))
    raw = pd.DataFrame(cols, index=raw.index)

    total = _total(ctx, period, raw, rows, daily_e, daily_f, mentions.loc["total"])
    return _Computed(raw=raw, total=total, notes=notes)


def _total(
    ctx: _Context,
    period: Period,
    raw: pd.DataFrame,
    posts: pd.DataFrame,
    daily_e: pd.DataFrame,
    daily_f: pd.DataFrame,
    mentions: pd.Series,
) -> pd.Series:
    cfg = ctx.client.config
    columns = {c: raw[c].to_numpy(dtype="float64") for c in raw.columns}
    total = dict.fromkeys(raw.columns, np.nan)
    for col in _COUNT_KEYS:
        values = columns[col]
        total[col] = float(np.nansum(values)) if (~np.isnan(values)).any() else np.nan
    for col in mentions.index:
        total[col] = float(mentions[col])
    for col in _SITE:
        total[f"site_{col}"] = float(columns[f"site_{col}"][0]) if len(raw) else np.nan
    fixed = m.fixed_cost(
        period.start, period.end, monthly_cost=cfg.monthly_cost, cost_overrides=cfg.cost_overrides
    )
    total["total_cost"] = float(np.nansum(columns["ad_spend"])) + fixed
    total["posts_per_week"] = m.posts_per_week(total["posts"], days=period.days)
    for key, (inputs, fn) in m.RATES.items():
        if key in _COST_RATES:
            total[key] = fn(total["total_cost"], total[inputs[1]])
        elif inputs[0].startswith("site_"):
            total[key] = fn(*(total[c] for c in inputs))
        else:
            mask = np.logical_and.reduce([~np.isnan(columns[c]) for c in inputs])
            total[key] = fn(*(columns[c][mask].sum() for c in inputs)) if mask.any() else np.nan
    # Pooled means, over the networks where every input is known (their own er_post/er_day is
    # defined): er_post over all their posts, er_day over days of their summed engagements/followers.
    with_er_post = raw.index[raw["er_post"].notna()]
    total["er_post"] = _mean(posts.loc[posts["network"].isin(with_er_post).to_numpy(), "er_post"])
    total["er_view"] = _mean(posts["er_view"])
    with_er_day = [n for n in raw.index[raw["er_day"].notna()] if n in daily_e.columns]
    if with_er_day:
        day = m.pct(daily_e[with_er_day].sum(axis=1), daily_f[with_er_day].sum(axis=1))
        total["er_day"] = float(np.mean(day)) if len(day) else np.nan
    else:
        total["er_day"] = np.nan
    total["avg_response_time_h"], total["median_response_time_h"] = _pooled_response(ctx, period)
    return pd.Series(total, dtype="float64")


def _mean_of_all(values: pd.Series) -> float:
    """The mean of every value; NaN when one is NaN (an unknown term) or there is none.

    ``er_post`` is a mean over *every* post of the period (metrics.md): a post
    whose followers on its publish day are unknown makes the mean unknown, as
    an unknown day does for ``er_day``.
    """
    return float(values.mean()) if len(values) and not values.isna().any() else float("nan")


def _mean(values: pd.Series) -> float:
    values = values.dropna()
    return float(values.mean()) if len(values) else float("nan")


def _pooled_response(ctx: _Context, period: Period) -> tuple[float, float]:
    rows = ctx.inbox.loc[
        _in(ctx.inbox["day"], period) & ctx.inbox["is_question"].fillna(False).to_numpy(bool)
    ]
    rows = rows.loc[rows["network"].isin(ctx.networks).to_numpy()]
    hours = m.response_hours(rows["received_at"], rows["first_reply_at"]).dropna()
    if hours.empty:
        return float("nan"), float("nan")
    return float(hours.mean()), float(hours.median())


def _avg_response(ctx: _Context, period: Period) -> tuple[pd.Series, float]:
    per = m.inbox_counts(
        ctx.inbox, start=period.start, end=period.end, networks=ctx.networks, known=ctx.known["inbox"]
    )
    return per["avg_response_time_h"], _pooled_response(ctx, period)[0]


def _tables(comp: _Computed, prev_avg: tuple[pd.Series, float]) -> KPITables:
    raw = comp.raw.copy()
    total = comp.total.copy()
    raw["response_time_change"] = m.response_time_change(
        prev_avg[0].reindex(raw.index), raw["avg_response_time_h"]
    )
    total["response_time_change"] = m.response_time_change(prev_avg[1], total["avg_response_time_h"])
    networks = raw.reindex(columns=list(KPI_KEYS)).astype("float64")
    networks.index.name = "network"
    return KPITables(total=total.reindex(list(KPI_KEYS)).astype("float64").rename("total"), networks=networks)


# --------------------------------------------------------------------------- funnel, top posts, targets
def _funnel(values: pd.Series, scope: str) -> list[dict[str, Any]]:
    stages = []
    top = values.get("impressions", np.nan)
    prev = np.nan
    for i, (stage, col) in enumerate(FUNNEL_STAGES.items()):
        value = float(values.get(col, np.nan))
        rate_prev = np.nan if i == 0 else m.pct(value, prev)
        rate_top = m.pct(value, top)
        stages.append(
            {
                "scope": scope,
                "stage": stage,
                "value": value,
                "rate_prev": rate_prev,
                "rate_top": rate_top,
                "flagged": bool(rate_prev > 100.0),
            }
        )
        prev = value
    return stages


def _funnel_frame(comp: _Computed) -> pd.DataFrame:
    rows = []
    for net, values in comp.raw.iterrows():
        rows += _funnel(values, str(net))
    rows += _funnel(comp.total, "total")
    return pd.DataFrame(rows, columns=["scope", "stage", "value", "rate_prev", "rate_top", "flagged"])


_TOP_COLUMNS = [
    "network",
    "post_id",
    "published_at",
    "reach",
    "engagements",
    "er_post",
    "url",
    "text",
    "post_type",
]


def _top_posts(ctx: _Context, period: Period, n: int = 5) -> pd.DataFrame:
    rows = ctx.posts.loc[_in(ctx.posts["day"], period) & ctx.posts["reach"].notna().to_numpy()]
    rows = rows.assign(_eng=rows["engagements"].fillna(-1.0))
    rows = rows.sort_values(
        ["reach", "_eng", "published_at"], ascending=[False, False, True], kind="mergesort"
    )
    return rows.head(n)[_TOP_COLUMNS].reset_index(drop=True)


def _targets(config, total: pd.Series) -> pd.DataFrame:
    rows = []
    for key, target in config.targets.items():
        actual = float(total.get(key, np.nan))
        if key in LOWER_IS_BETTER:
            attainment = m.pct(target, actual)
        else:
            attainment = m.pct(actual, target)
        rows.append({"key": key, "target": float(target), "actual": actual, "attainment": attainment})
    return pd.DataFrame(rows, columns=["key", "target", "actual", "attainment"])


# --------------------------------------------------------------------------- spikes and signals
def _coverage(days: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    days = days.dropna()
    return (days.min(), days.max()) if len(days) else None


def _all_spikes(events: pd.DataFrame, value: str | None, source: str | None, coverage) -> pd.DataFrame:
    """Every spike day of one daily series over the whole data (a day's z needs only its past)."""
    if coverage is None:
        return pd.DataFrame(
            {
                "date": pd.Series(dtype="datetime64[ns]"),
                **{c: pd.Series(dtype="float64") for c in ("value", "median", "z")},
                "top_source": pd.Series(dtype=object),
            }
        )
    days = pd.date_range(coverage[0], coverage[1], freq="D")
    totals, top = sig.daily_series(events, days=days, value=value, source=source, coverage=coverage)
    found = sig.find_spikes(totals)
    found["top_source"] = top.reindex(found["date"]).to_numpy()
    return found


def _spike_cache(ctx: _Context) -> dict[str, Any]:
    """All spikes of the client, computed once: the four series and each network's joins/leaves."""
    if ctx.spikes is not None:
        return ctx.spikes
    mentions = ctx.mentions
    cover = _coverage(mentions["day"])
    own = mentions.loc[mentions["is_own"].to_numpy()]
    negative = own.loc[own["is_negative"].to_numpy()]
    new = ctx.audience.loc[ctx.audience["new_followers"].notna().to_numpy()].rename(columns={"date": "day"})
    frames = []
    for name, events, value, source, coverage in (
        ("mentions", own, None, "author", cover),
        ("mentions_negative", negative, None, "author", cover),
        ("engagements", ctx.posts, "engagements", "network", _coverage(ctx.posts["day"])),
        ("new_followers", new, "new_followers", "network", _coverage(new["day"])),
    ):
        found = _all_spikes(events, value, source, coverage)
        found.insert(0, "signal", name)
        frames.append(found)
    per_network = {}
    for column in ("new_followers", "lost_followers"):
        parts = []
        for net in ctx.networks:
            rows = ctx.audience.loc[
                (ctx.audience["network"] == net).to_numpy() & ctx.audience[column].notna().to_numpy()
            ]
            rows = rows.rename(columns={"date": "day"})
            found = _all_spikes(rows, column, None, _coverage(rows["day"]))
            found.insert(0, "network", net)
            parts.append(found.drop(columns="top_source"))
        per_network[column] = (
            pd.concat(parts, ignore_index=True)
            if parts
            else _all_spikes(ctx.posts, None, None, None).assign(network=pd.Series(dtype=object))
        )
    ctx.spikes = {"spikes": pd.concat(frames, ignore_index=True), **per_network}
    return ctx.spikes


def _between_days(frame: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    if frame.empty:
        return frame
    dates = pd.to_datetime(frame["date"])
    return frame.loc[((dates >= pd.Timestamp(first)) & (dates <= pd.Timestamp(last))).to_numpy()]


def _spikes(ctx: _Context, period: Period) -> pd.DataFrame:
    found = _between_days(_spike_cache(ctx)["spikes"], period.start, period.end)
    out = pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(_SPIKE_COLUMNS, _SPIKE_DTYPES, strict=True)})
    if found.empty:
        return out
    return (
        found[_SPIKE_COLUMNS]
        .reset_index(drop=True)
        .astype(dict(zip(_SPIKE_COLUMNS, _SPIKE_DTYPES, strict=True)))
    )


_SPIKE_COLUMNS = ["signal", "date", "value", "median", "z", "top_source"]
_SPIKE_DTYPES = ["object", "datetime64[ns]", "float64", "float64", "float64", "object"]


def _signals(ctx: _Context, period: Period) -> dict[str, list[dict]]:
    cache = _spike_cache(ctx)
    new_in = _between_days(cache["new_followers"], period.start, period.end)
    early = period.start - dt.timedelta(days=sig.SIGNAL_DAYS)
    new_before = _between_days(cache["new_followers"], early, period.end)
    lost_in = _between_days(cache["lost_followers"], period.start, period.end)
    return {
        "audience_quality": sig.audience_quality(new_in, ctx.posts),
        "contest_unfollows": sig.contest_unfollows(new_before, lost_in),
    }


# --------------------------------------------------------------------------- the report
@dataclass
class KPIReport:
    """The KPIs of one client for one period (see docs/architecture.md, "KPI API").

    Attributes
    ----------
    total, networks
        The period's KPIs: a Series indexed by ``KPI_KEYS`` and a DataFrame
        (network x ``KPI_KEYS``); NaN = null.
    previous, change
        :class:`KPITables` of the previous period and of the change in percent.
    funnel, top_posts, spikes, targets
        DataFrames (columns in docs/architecture.md).
    signals
        ``{"audience_quality": [...], "contest_unfollows": [...]}``.
    notes
        Warnings about the numbers (e.g. web KPIs left null).
    """

    client: str
    currency: str
    period: Period
    previous_period: Period
    total: pd.Series
    networks: pd.DataFrame
    previous: KPITables
    change: KPITables
    funnel: pd.DataFrame
    top_posts: pd.DataFrame
    spikes: pd.DataFrame
    signals: dict[str, list[dict]]
    targets: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    language: str = "en"  # client.yaml: language; rich notebook displays format in it (not in the JSON)

    def __repr__(self) -> str:
        """A short plain-text summary a terminal user can read (:func:`summary_text`)."""
        return summary_text(self)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON object (data-contract.md section 3), NaN as None."""
        funnel: dict[str, Any] = {"total": [], "networks": {}}
        for row in self.funnel.to_dict("records"):
            stage = {k: _num(row[k]) for k in ("value", "rate_prev", "rate_top")}
            stage = {"stage": row["stage"], **stage, "flagged": bool(row["flagged"])}
            if row["scope"] == "total":
                funnel["total"].append(stage)
            else:
                funnel["networks"].setdefault(row["scope"], []).append(stage)
        return {
            "client": self.client,
            "currency": self.currency,
            "period": self.period.to_dict(),
            "previous_period": self.previous_period.to_dict(),
            "total": _block(self.total),
            "networks": {str(net): _block(row) for net, row in self.networks.iterrows()},
            "previous": self.previous.to_dict(),
            "change": self.change.to_dict(),
            "funnel": funnel,
            "top_posts": [_post_dict(r) for r in self.top_posts.to_dict("records")],
            "spikes": [
                {
                    "signal": r["signal"],
                    "date": pd.Timestamp(r["date"]).date().isoformat(),
                    "value": _num(r["value"]),
                    "median": _num(r["median"]),
                    "z": _num(r["z"]),
                    "top_source": _str(r["top_source"]),
                }
                for r in self.spikes.to_dict("records")
            ],
            "signals": {
                k: [{kk: _jsonable(vv) for kk, vv in d.items()} for d in v] for k, v in self.signals.items()
            },
            "targets": [{k: _jsonable(v) for k, v in r.items()} for r in self.targets.to_dict("records")],
            "notes": list(self.notes),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON (``null`` for unknown; never ``NaN`` or ``Infinity``)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)


def _num(value: Any) -> float | int | None:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _str(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return _num(value)
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()
    return _str(value)


def _block(values: pd.Series) -> dict[str, float | int | None]:
    return {key: _num(values.get(key, np.nan)) for key in KPI_KEYS}


def _post_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "network": _str(row["network"]),
        "post_id": _str(row["post_id"]),
        "published_at": row["published_at"].isoformat() if pd.notna(row["published_at"]) else None,
        "reach": _num(row["reach"]),
        "engagements": _num(row["engagements"]),
        "er_post": _num(row["er_post"]),
        "url": _str(row["url"]),
        "text": _str(row["text"]),
        "post_type": _str(row["post_type"]),
    }


def _change(current: KPITables, previous: KPITables) -> KPITables:
    total = pd.Series(
        m.change(current.total.to_numpy(), previous.total.to_numpy()), index=current.total.index
    )
    net = previous.networks.reindex(index=current.networks.index, columns=current.networks.columns)
    values = m.change(current.networks.to_numpy(), net.to_numpy())
    networks = pd.DataFrame(values, index=current.networks.index, columns=current.networks.columns)
    return KPITables(total=total.rename("total"), networks=networks)


def post_table(client: Client) -> pd.DataFrame:
    """Every post of the client as the engine sees it (computed once per client, do not modify).

    The canonical post columns (``network`` as plain strings) plus ``day`` (local
    publish day), ``engagements`` (likes + comments + shares, unknown terms as 0),
    ``followers`` (on the publish day), ``er_post`` and ``er_view`` (percent; NaN
    where the denominator is 0 or unknown).
    """
    return _context(client).posts


def kpis(
    client: Client,
    period: Period | None = None,
    *,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    window: str | None = None,
    month: str | None = None,
) -> KPIReport:
    """Compute a client's KPIs for one period (metrics.md), with the previous period and the change.

    Parameters
    ----------
    client
        A loaded client (:func:`smmkit.load_client`).
    period
        A :class:`~smmkit.kpi.periods.Period`; or give ``start`` + ``end``
        (``date`` or ``'YYYY-MM-DD'``), ``window='7d'|'28d'|'90d'`` + ``end``,
        or ``month='YYYY-MM'``.

    Returns
    -------
    KPIReport

    Raises
    ------
    UsageError
        For a missing, conflicting or malformed period.
    """
    if period is None:
        period = period_from_args(
            start=None if start is None else parse_day(start, name="`start`"),
            end=None if end is None else parse_day(end, name="`end`"),
            window=window,
            month=month,
            _api=True,
        )
    elif any(v is not None for v in (start, end, window, month)):
        raise UsageError("give either `period` or `start`/`end`/`window`/`month`, not both")
    if not isinstance(period, Period):
        raise UsageError(f"`period` must be a smmkit.kpi.periods.Period; got {period!r}")
    ctx = _context(client)
    prev_period = period.previous()
    cur, prev = _compute(ctx, period), _compute(ctx, prev_period)
    current = _tables(cur, (prev.raw["avg_response_time_h"], prev.total["avg_response_time_h"]))
    previous = _tables(prev, _avg_response(ctx, prev_period.previous()))
    return KPIReport(
        client=client.config.slug,
        currency=client.config.currency,
        period=period,
        previous_period=prev_period,
        total=current.total,
        networks=current.networks,
        previous=previous,
        change=_change(current, previous),
        funnel=_funnel_frame(cur),
        top_posts=_top_posts(ctx, period),
        spikes=_spikes(ctx, period),
        signals=_signals(ctx, period),
        targets=_targets(client.config, current.total),
        notes=list(dict.fromkeys([*cur.notes, *(f"previous period: {n}" for n in prev.notes)])),
        language=client.config.language,
    )


# --------------------------------------------------------------------------- output
def load_schema() -> dict[str, Any]:
    """The JSON Schema of ``smmkit kpis --format json`` (``smmkit/kpis.schema.json``)."""
    return json.loads(resources.files("smmkit.kpi").joinpath("kpis.schema.json").read_text(encoding="utf-8"))


def render(report: KPIReport, fmt: str) -> str:
    """Render a report as ``"json"``, ``"csv"`` or ``"table"`` text (the ``smmkit kpis`` output)."""
    if fmt == "json":
        return report.to_json() + "\n"
    if fmt == "csv":
        return _render_csv(report)
    if fmt == "table":
        return _render_table(report)
    raise UsageError(f"format must be one of json, csv, table; got {fmt!r}")


def _render_csv(report: KPIReport) -> str:
    frame = pd.concat([report.networks, report.total.to_frame().T])
    frame.index = [*map(str, report.networks.index), "total"]
    frame.index.name = "scope"
    out = frame.reset_index()
    for key in KPI_KEYS:
        out[key] = [_csv_num(v) for v in out[key]]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _csv_num(value: float) -> str:
    v = _num(value)
    return "" if v is None else repr(v)


def _fmt(key: str, value: float, currency: str) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    unit = UNITS[key]
    if unit == "%":
        return f"{value:,.2f} %"
    if unit == "h":
        return f"{value:,.1f} h"
    if unit == "s":
        return f"{value:,.1f} s"
    if unit == "currency":
        return f"{value:,.2f} {currency}"
    if unit == "ratio":
        return f"{value:,.4f}" if abs(value) < 0.01 else f"{value:,.2f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _render_table(report: KPIReport) -> str:
    cur = report.currency
    header = ["KPI", "total", "change", *map(str, report.networks.index)]
    rows = [header]
    for key in KPI_KEYS:
        ch = report.change.total[key]
        change_txt = "-" if not math.isfinite(ch) else f"{ch:+,.1f} %"
        rows.append(
            [
                key,
                _fmt(key, report.total[key], cur),
                change_txt,
                *(_fmt(key, report.networks.loc[n, key], cur) for n in report.networks.index),
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        f"{report.client}: {report.period} ({report.period.days} days), "
        f"previous {report.previous_period}; reach = total post reach (sum over posts)",
    ]
    for i, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True))]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += [f"note: {n}" for n in report.notes]
    return "\n".join(lines) + "\n"


#: The KPIs of :func:`summary_text` (a KPIReport's plain-text repr).
SUMMARY_KEYS: tuple[str, ...] = (
    "followers_end", "net_follower_growth", "posts", "impressions", "reach", "engagements", "er", "err",
    "social_sessions", "leads", "total_cost", "cpl",
)  # fmt: skip


def summary_text(report: KPIReport, keys: tuple[str, ...] = SUMMARY_KEYS) -> str:
    """A few KPIs of ``report`` as an aligned text table: total, change, each network with data.

    Networks without a known value among ``keys`` and KPIs unknown everywhere are left
    out; ``-`` marks an unknown value. :func:`render` ``"table"`` prints every KPI.
    """
    nets = [str(n) for n in report.networks.index if report.networks.loc[n, list(keys)].notna().any()]
    rows = [["KPI", "total", "change", *nets]]
    for key in keys:
        values = [report.total[key], *(report.networks.loc[n, key] for n in nets)]
        if not any(math.isfinite(v) for v in values):
            continue
        ch = report.change.total[key]
        change_txt = "-" if not math.isfinite(ch) else f"{ch:+,.1f} %"
        rows.append([key, _fmt(key, values[0], report.currency), change_txt,
                     *(_fmt(key, v, report.currency) for v in values[1:])])  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        f"KPIReport {report.client}: {report.period} ({report.period.days} days), "
        f"previous {report.previous_period}"
    ]
    for r in rows:
        cells = [r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True))]
        lines.append("  ".join(cells).rstrip())
    lines.append(
        f"{len(rows) - 1} of {len(KPI_KEYS)} KPIs; every one in .total and .networks (NaN = unknown), "
        ".to_json() for all"
    )
    return "\n".join(lines)
