"""The KPI engine: one call per period, for notebooks and ``smmkit kpis``.

>>> report = smmkit.kpis(client, start="2026-10-01", end="2026-10-28")  # doctest: +SKIP
>>> report.total["er"], report.networks.loc["vk", "posts"]  # doctest: +SKIP

Every KPI is computed as metrics.md defines it: each network's counts from its
own rows (:mod:`smmkit.kpi.metrics`), its rates by the metric function its
catalogue record names, and ``total`` by the record's total rule
(:data:`smmkit.catalogue.TOTAL_RULES`: counts summed over the networks where
they are known, rates recomputed from those sums, never averaged). What the
client's whole data decides once is cached per client (:mod:`smmkit.kpi.context`);
what :func:`kpis` returns is a :class:`~smmkit.kpi.result.KPIReport` of its own
frames, which no later call can change, and that changes no later call.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from smmkit.catalogue import CATALOGUE, INPUTS, KPI_KEYS, LOWER_IS_BETTER
from smmkit.errors import UsageError
from smmkit.io.client import Client
from smmkit.kpi import metrics as m
from smmkit.kpi import signals as sig
from smmkit.kpi.context import SITE, Context, block_networks, context
from smmkit.kpi.periods import Period, in_days, parse_day, period_from_args
from smmkit.kpi.result import KPIReport, KPITables

__all__ = [
    "FUNNEL_STAGES",
    "KPIReport",
    "KPITables",
    "block_networks",
    "kpis",
    "period_tables",
    "post_table",
]

#: Funnel stages: stage name -> the column holding its value.
FUNNEL_STAGES: dict[str, str] = {
    "impressions": "impressions",
    "engagements": "engagements",
    "clicks": "all_clicks",  # post link clicks + ad clicks (sum rule)
    "sessions": "social_sessions",
    "conversions": "conversions",
}

#: Each total rule -> the keys (KPIs and hidden inputs) it computes, in catalogue order.
_RULE_KEYS: dict[str, tuple[str, ...]] = {}
for _key, _rule in [*((k.key, k.total) for k in CATALOGUE), *INPUTS.items()]:
    _RULE_KEYS[_rule] = (*_RULE_KEYS.get(_rule, ()), _key)


# --------------------------------------------------------------------------- one period
@dataclass
class _Computed:
    raw: pd.DataFrame  # network x (KPI keys + hidden inputs)
    total: pd.Series  # the same index as raw's columns
    notes: list[str]


def _daily_engagements(ctx: Context, period: Period, rows: pd.DataFrame) -> pd.DataFrame:
    """Day x network sums of the engagements of ``rows`` (the period's posts)."""
    table = rows.pivot_table(
        index="day", columns=rows["network"].astype(object), values="engagements", aggfunc="sum"
    )
    table = table.reindex(index=period.dates(), columns=ctx.networks).fillna(0.0)
    unknown = [n for n in ctx.networks if n not in ctx.eng_known]
    table[unknown] = np.nan
    return table


def _compute(ctx: Context, period: Period) -> _Computed:
    """One period's KPIs, memoised in the client's context (which a change of the client replaces)."""
    key = (period.start, period.end)
    if key not in ctx.computed:
        ctx.computed[key] = _compute_period(ctx, period)
    return ctx.computed[key]


def _compute_period(ctx: Context, period: Period) -> _Computed:
    nets = ctx.networks
    s, e = period.start, period.end
    notes: list[str] = []
    kn = ctx.known
    # the period's own rows, found by binary search (the metric functions filter them again)
    rows = ctx.rows("posts", s, e)
    raw = m.post_counts(rows, start=s, end=e, networks=nets, known=kn["posts"])
    audience = m.audience_counts(
        ctx.rows("audience", s - dt.timedelta(days=1), e),
        start=s,
        end=e,
        networks=nets,
        followers=ctx.followers,
        known=kn["audience"],
    )
    ads = m.ad_counts(ctx.ads, start=s, end=e, networks=nets, known=kn["ads"])
    straddling = m.ads_straddling(ctx.ads, start=s, end=e)
    if straddling:  # as for web analytics: ad totals that cannot be split by day null every ad KPI
        ads[:] = np.nan
        notes.append(
            f"ads: an export without a Day breakdown covers a date range that straddles {period} "
            f"({', '.join(straddling)}), so the ad KPIs of that period are null (not guessed)"
        )
    inbox = m.inbox_counts(ctx.rows("inbox", s, e), start=s, end=e, networks=nets, known=kn["inbox"])

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
    site = {}  # over all web rows, whatever their source: the same in every block and in total
    for col in SITE:
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
    by_net = rows.groupby(rows["network"].astype(object))
    raw["er_post"] = by_net["er_post"].agg(_mean_of_all).reindex(nets).astype("float64")
    raw["er_view"] = by_net["er_view"].mean().reindex(nets).astype("float64")
    daily_e = _daily_engagements(ctx, period, rows)
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

    total = _total(ctx, period, raw, rows, daily_e, daily_f, mentions.loc["total"], site, bool(straddling))
    return _Computed(raw=raw, total=total, notes=notes)


def _total(
    ctx: Context,
    period: Period,
    raw: pd.DataFrame,
    posts: pd.DataFrame,
    daily_e: pd.DataFrame,
    daily_f: pd.DataFrame,
    mentions: pd.Series,
    site: dict[str, float],
    ads_unknown: bool = False,
) -> pd.Series:
    """``total``: each key by its catalogue record's rule (:data:`smmkit.catalogue.TOTAL_RULES`)."""
    cfg = ctx.config
    columns = {c: raw[c].to_numpy(dtype="float64") for c in raw.columns}
    total = dict.fromkeys(raw.columns, np.nan)
    for col in _RULE_KEYS["sum"]:
        values = columns[col]
        total[col] = float(np.nansum(values)) if (~np.isnan(values)).any() else np.nan
    for col in _RULE_KEYS["mentions"]:
        total[col] = float(mentions[col])
    total.update(site)  # a client with web data and no network has them too
    fixed = m.fixed_cost(
        period.start, period.end, monthly_cost=cfg.monthly_cost, cost_overrides=cfg.cost_overrides
    )
    for col in _RULE_KEYS["cost"]:  # unknown while the period's ad spend is (a straddling export)
        total[col] = np.nan if ads_unknown else float(np.nansum(columns["ad_spend"])) + fixed
    for col in _RULE_KEYS["per_week"]:
        total[col] = m.posts_per_week(total["posts"], days=period.days)
    for key, (inputs, fn) in m.RATES.items():
        if key in _RULE_KEYS["cost_ratio"]:
            total[key] = fn(total["total_cost"], total[inputs[1]])
        elif key in _RULE_KEYS["site"]:
            total[key] = fn(*(total[c] for c in inputs))
        else:
            mask = np.logical_and.reduce([~np.isnan(columns[c]) for c in inputs])
            total[key] = fn(*(columns[c][mask].sum() for c in inputs)) if mask.any() else np.nan
    # Pooled means over the networks where the network's own value is defined: every post of
    # those networks (post_mean), every day of their summed engagements / followers (day_mean).
    for col in _RULE_KEYS["post_mean"]:
        defined = raw.index[raw[col].notna()]
        total[col] = _mean(posts.loc[posts["network"].astype(object).isin(defined).to_numpy(), col])
    for col in _RULE_KEYS["day_mean"]:
        with_er_day = [n for n in raw.index[raw[col].notna()] if n in daily_e.columns]
        day = m.pct(daily_e[with_er_day].sum(axis=1), daily_f[with_er_day].sum(axis=1))
        total[col] = float(np.mean(day)) if with_er_day and len(day) else np.nan
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


def _pooled_response(ctx: Context, period: Period) -> tuple[float, float]:
    rows = ctx.rows("inbox", period.start, period.end)
    rows = rows.loc[rows["is_question"].fillna(False).to_numpy(bool)]
    rows = rows.loc[rows["network"].astype(object).isin(ctx.networks).to_numpy()]
    hours = m.response_hours(rows["received_at"], rows["first_reply_at"]).dropna()
    if hours.empty:
        return float("nan"), float("nan")
    return float(hours.mean()), float(hours.median())


def _avg_response(ctx: Context, period: Period) -> tuple[pd.Series, float]:
    per = m.inbox_counts(
        ctx.rows("inbox", period.start, period.end),
        start=period.start,
        end=period.end,
        networks=ctx.networks,
        known=ctx.known["inbox"],
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


def _top_posts(ctx: Context, period: Period, n: int = 5) -> pd.DataFrame:
    rows = ctx.rows("posts", period.start, period.end)
    rows = rows.loc[rows["reach"].notna().to_numpy()]
    rows = rows.assign(_eng=rows["engagements"].fillna(-1.0), network=rows["network"].astype(object))
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


def _spike_cache(ctx: Context) -> dict[str, Any]:
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
    return frame.loc[in_days(frame["date"], first, last)]


def _spikes(ctx: Context, period: Period) -> pd.DataFrame:
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


def _signals(ctx: Context, period: Period) -> dict[str, list[dict]]:
    cache = _spike_cache(ctx)
    new_in = _between_days(cache["new_followers"], period.start, period.end)
    early = period.start - dt.timedelta(days=sig.SIGNAL_DAYS)
    new_before = _between_days(cache["new_followers"], early, period.end)
    lost_in = _between_days(cache["lost_followers"], period.start, period.end)
    return {
        "audience_quality": sig.audience_quality(new_in, ctx.posts),
        "contest_unfollows": sig.contest_unfollows(new_before, lost_in),
    }


def _change(current: KPITables, previous: KPITables) -> KPITables:
    total = pd.Series(
        m.change(current.total.to_numpy(), previous.total.to_numpy()), index=current.total.index
    )
    net = previous.networks.reindex(index=current.networks.index, columns=current.networks.columns)
    values = m.change(current.networks.to_numpy(), net.to_numpy())
    networks = pd.DataFrame(values, index=current.networks.index, columns=current.networks.columns)
    return KPITables(total=total.rename("total"), networks=networks)


def _current_tables(ctx: Context, period: Period) -> KPITables:
    cur, prev = _compute(ctx, period), _compute(ctx, period.previous())
    return _tables(cur, (prev.raw["avg_response_time_h"], prev.total["avg_response_time_h"]))


def period_tables(client: Client, period: Period) -> KPITables:
    """One period's ``total`` and ``networks``, the very values :func:`kpis` gives, without the
    rest of the report (previous period, change, funnel, findings...): what a trend needs."""
    return _current_tables(context(client), period)


def post_table(client: Client) -> pd.DataFrame:
    """Every post of the client as the engine sees it: a copy of its own, to change at will.

    The canonical post columns (``network`` as plain strings) plus ``day`` (local
    publish day), ``engagements`` (likes + comments + shares, unknown terms as 0),
    ``followers`` (on the publish day), ``er_post`` and ``er_view`` (percent; NaN
    where the denominator is 0 or unknown).
    """
    posts = context(client).posts.copy(deep=True)
    posts["network"] = posts["network"].astype(object)  # the context's is categorical, for speed
    return posts


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
    ctx = context(client)
    prev_period = period.previous()
    cur, prev = _compute(ctx, period), _compute(ctx, prev_period)
    current = _current_tables(ctx, period)
    previous = _tables(prev, _avg_response(ctx, prev_period.previous()))
    report = KPIReport(
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
    return _attach_findings(ctx, report)


def _attach_findings(ctx: Context, report: KPIReport) -> KPIReport:
    """The next period's forecast and the period's findings (facts; their text is the report layer's)."""
    from smmkit.kpi import findings, forecast

    report.forecast = forecast.forecast(
        ctx.followers, ctx.posts, networks=ctx.networks, end=report.period.end, days=report.period.days
    )
    report.findings = findings.find(report, posts=ctx.posts)
    return report
