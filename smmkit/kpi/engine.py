"""The KPI engine: one call per period, for notebooks and ``smmkit kpis``.

>>> report = smmkit.kpis(client, start="2026-10-01", end="2026-10-28")  # doctest: +SKIP
>>> report.total["er"], report.networks.loc["vk", "posts"]  # doctest: +SKIP

Every KPI is computed as metrics.md defines it: each network's counts from its
own rows (:mod:`smmkit.kpi.metrics`), its derived values as its catalogue
record says (:func:`smmkit.kpi.metrics.evaluate`: a plain ratio, a sum of terms
or a registered function), and ``total`` by the record's total rule
(:data:`smmkit.catalogue.TOTAL_RULES`, applied by :data:`TOTALS`: counts summed
over the networks where they are known, rates recomputed from those sums,
never averaged). What the
client's whole data decides once is cached per client (:mod:`smmkit.kpi.context`);
what :func:`kpis` returns is a :class:`~smmkit.kpi.result.KPIReport` of its own
frames, which no later call can change, and that changes no later call.
"""

from __future__ import annotations

import datetime as dt
from collections import ChainMap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from smmkit.catalogue import CATALOGUE, DERIVED, INPUTS, KPI_KEYS, LOWER_IS_BETTER, Quantity
from smmkit.errors import UsageError
from smmkit.io.client import Client
from smmkit.io.notes import period_noted_days
from smmkit.kpi import coverage as cov
from smmkit.kpi import findings, forecast
from smmkit.kpi import metrics as m
from smmkit.kpi import signals as sig
from smmkit.kpi.context import SITE, Context, block_networks, context
from smmkit.kpi.periods import Period, in_days, parse_day, period_from_args
from smmkit.kpi.result import KPIReport, KPITables

__all__ = [
    "FUNNEL_COLUMNS",
    "FUNNEL_PATHS",
    "FUNNEL_STAGES",
    "KPIReport",
    "KPITables",
    "block_networks",
    "kpis",
    "period_coverage",
    "period_tables",
    "post_table",
]

#: The funnel's paths (metrics.md, Funnel and the report conventions): path -> its stages, each
#: stage -> the column holding its value. Organic and paid are separate rows, compared like with
#: like; both lead into the shared web stages.
FUNNEL_PATHS: dict[str, dict[str, str]] = {
    "organic": {"impressions": "impressions", "engagements": "engagements", "clicks": "clicks"},
    "paid": {"ad_impressions": "ad_impressions", "ad_clicks": "ad_clicks"},
    "web": {"sessions": "social_sessions", "conversions": "conversions"},
}
#: Every funnel stage (unique over the paths) -> the column holding its value.
FUNNEL_STAGES: dict[str, str] = {
    stage: col for stages in FUNNEL_PATHS.values() for stage, col in stages.items()
}
#: The input of the web path's first stage: the clicks of both paths, post link clicks + ad
#: clicks (the catalogue's sum rule: known when either is).
FUNNEL_WEB_INPUT = "all_clicks"
#: The columns of :attr:`KPIReport.funnel`.
FUNNEL_COLUMNS = ["scope", "path", "stage", "value", "input", "rate_prev", "rate_top", "flagged"]


# --------------------------------------------------------------------------- one period
@dataclass
class _Computed:
    raw: pd.DataFrame  # network x (KPI keys + hidden inputs)
    total: pd.Series  # the same index as raw's columns
    notes: list[str]
    sources: dict[str, frozenset[str]]  # column -> the sources it reads (coverage)
    columns: dict[str, list[str]]  # source -> the columns counted from it


@dataclass
class _Counted:
    """One period's values counted from the tables, before the derived ones."""

    raw: pd.DataFrame  # network x counted values
    posts: pd.DataFrame  # the period's posts
    mentions: pd.Series  # the total row of the mention counts
    site: dict[str, float]  # site_* sums over all web rows
    ads_unknown: bool  # an ad export straddles the period
    notes: list[str]
    columns: dict[str, list[str]]  # source -> the columns counted from it


def _daily_engagements(ctx: Context, period: Period, rows: pd.DataFrame) -> pd.DataFrame:
    """Day x network sums of the engagements of ``rows`` (the period's posts)."""
    table = rows.pivot_table(
        index="day", columns=rows["network"].astype(object), values="engagements", aggfunc="sum"
    )
    table = table.reindex(index=period.dates(), columns=ctx.networks).fillna(0.0)
    unknown = [n for n in ctx.networks if n not in ctx.eng_known]
    table[unknown] = np.nan
    return table


def _compute(ctx: Context, period: Period, only: _Only | None = None) -> _Computed:
    """One period's KPIs, memoised in the client's context (which a change of the client replaces).

    ``only``: the values of some sources only (:func:`_only`), the others unknown; a period
    computed whole serves it too.
    """
    whole = (period.start, period.end, period.is_month)  # a month's previous period is a month
    key = whole if only is None or whole in ctx.computed else (*whole, only.sources)
    if key not in ctx.computed:
        ctx.computed[key] = _compute_period(ctx, period, None if key == whole else only)
    return ctx.computed[key]


@dataclass(frozen=True)
class _Only:
    """Some sources of a period, and every source's columns (those of a whole computation)."""

    sources: frozenset[str]
    columns: Mapping[str, list[str]]

    def skips(self, source: str) -> bool:
        return source not in self.sources


def _only(ctx: Context, period: Period, keys: Sequence[str] | None) -> _Only | None:
    """The sources ``keys`` read, with the posts and the audience every period's means read; None
    (every source) without ``keys``. Which source a KPI reads, and which columns each source
    gives, are the same in every period of a client: read from a whole computation of the
    context (one is made for ``period`` when there is none yet)."""
    if keys is None:
        return None
    # a whole computation's key has 3 items; a partial one's its sources as a fourth (:func:`_compute`)
    whole = next((c for key, c in ctx.computed.items() if len(key) == 3), None) or _compute(ctx, period)
    reads = frozenset({"posts", "audience", *(s for key in keys for s in whole.sources.get(key, ()))})
    return None if reads >= set(whole.columns) else _Only(reads, whole.columns)


def _compute_period(ctx: Context, period: Period, only: _Only | None = None) -> _Computed:
    counted = _counts(ctx, period, only)
    daily_e, daily_f = _add_means(ctx, period, counted)
    _outside_coverage(ctx, period, counted)
    inbox = only is None or not only.skips("inbox")
    previous = _previous_values(ctx, period.previous()) if inbox else _unknown_previous(ctx)
    raw = _derive(counted.raw, period, previous)
    totals = _Totals(ctx, period, raw, counted, daily_e, daily_f, previous, inbox=inbox)
    sources = _sources(counted.columns)
    return _Computed(
        raw=raw, total=totals.series(), notes=counted.notes, sources=sources, columns=counted.columns
    )


#: The per-post means and the daily ER: what they read besides the posts.
_MEANS = {"er_post": ("posts", "audience"), "er_view": ("posts",), "er_day": ("posts", "audience")}


def _outside_coverage(ctx: Context, period: Period, counted: _Counted) -> None:
    """metrics.md's coverage rule: the values a source gives a period wholly outside the days its
    exports cover are null (never 0, never carried forward), network by network."""
    raw = counted.raw
    for net, spans in ctx.coverage.items():
        if net not in raw.index:
            continue
        for source, span in spans.items():
            if cov.status(span, period.start, period.end) != "none":
                continue
            cols = [c for c in counted.columns.get(source, ()) if c in raw.columns]
            cols += [c for c, reads in _MEANS.items() if source in reads]
            raw.loc[net, cols] = np.nan
            if source == "web":
                counted.site.update(dict.fromkeys(counted.site, np.nan))
                raw[list(counted.site)] = np.nan
            if source == "mentions":
                counted.mentions[:] = np.nan


def _sources(columns: Mapping[str, list[str]]) -> dict[str, frozenset[str]]:
    """Each column -> the sources it reads: a counted column its own, a derived value its inputs'."""
    out: dict[str, frozenset[str]] = {}
    for source, cols in columns.items():
        for c in cols:
            out[c] = out.get(c, frozenset()) | {source}
    out.update({c: frozenset(reads) for c, reads in _MEANS.items()})
    for record in DERIVED:
        out[record.key] = frozenset().union(*(out.get(i, frozenset()) for i in record.inputs))
    return out


def _unknown(index: pd.Index, columns: Sequence[str]) -> pd.DataFrame:
    """A source's columns, not computed: unknown for every network (``index``)."""
    return pd.DataFrame(np.nan, index=index, columns=list(columns))


def _counts(ctx: Context, period: Period, only: _Only | None = None) -> _Counted:
    """Each network's counts of the period (:mod:`smmkit.kpi.metrics`), with the notes on nulled
    ones; ``only``: those of its sources, the other sources' columns unknown."""
    nets, s, e, kn = ctx.networks, period.start, period.end, ctx.known
    skips = only.skips if only is not None else (lambda source: False)
    notes: list[str] = []
    # the period's own rows, found by binary search (the metric functions filter them again)
    rows = ctx.rows("posts", s, e)
    posts = m.post_counts(rows, start=s, end=e, networks=nets, known=kn["posts"])
    audience = m.audience_counts(
        ctx.rows("audience", s - dt.timedelta(days=1), e),
        start=s,
        end=e,
        networks=nets,
        followers=ctx.followers,
        known=kn["audience"],
    )
    if skips("ads"):
        ads, straddling = _unknown(posts.index, only.columns["ads"]), []
    else:
        ads = m.ad_counts(ctx.ads, start=s, end=e, networks=nets, known=kn["ads"])
        straddling = m.ads_straddling(ctx.ads, start=s, end=e)
    if straddling:  # as for web analytics: ad totals that cannot be split by day null every ad KPI
        ads[:] = np.nan
        notes.append(
            f"ads: an export without a Day breakdown covers a date range that straddles {period} "
            f"({', '.join(straddling)}), so the ad KPIs of that period are null (not guessed)"
        )
    if ctx.costs_set_aside:  # spend the kit could not add up: costs unknown, never understated
        ads[:] = np.nan
        straddling = [*straddling, *ctx.costs_set_aside]
    notes.extend(ctx.set_aside)  # each set-aside export, what it is and the fix (the overview shows notes)
    if skips("inbox"):
        inbox = _unknown(posts.index, only.columns["inbox"])
    else:
        inbox = m.inbox_counts(ctx.rows("inbox", s, e), start=s, end=e, networks=nets, known=kn["inbox"])
    if skips("web"):
        site = {f"site_{col}": np.nan for col in SITE}
        social = _unknown(posts.index, [c for c in only.columns["web"] if c not in site])
    else:
        social, site = _web_counts(ctx, period, notes)
    if skips("mentions"):
        mentions = _unknown(posts.index.append(pd.Index(["total"])), only.columns["mentions"])
    else:
        mentions = m.mention_counts(
            ctx.mentions, start=s, end=e, own=(), competitors=(), networks=nets
        )  # prepared once in the context
    raw = pd.concat([posts, audience, ads, inbox, social, mentions.drop(index="total")], axis=1)
    for col, value in site.items():
        raw[col] = value
    columns = {
        "posts": list(posts.columns),
        "audience": list(audience.columns),
        "ads": list(ads.columns),
        "inbox": list(inbox.columns),
        "web": [*social.columns, *site],
        "mentions": list(mentions.columns),
    }
    unknown_ads = bool(straddling) or skips("ads")
    return _Counted(raw, rows, mentions.loc["total"].copy(), site, unknown_ads, notes, columns)


def _web_counts(ctx: Context, period: Period, notes: list[str]) -> tuple[pd.DataFrame, dict[str, float]]:
    """The social web sums of each network, and the site sums over all web rows (``site_*``)."""
    web_rows, web_null = m.web_in_period(ctx.web, start=period.start, end=period.end)
    social = m.web_counts(web_rows, networks=ctx.networks, known=ctx.known["web"])
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
    return social, site


def _add_means(ctx: Context, period: Period, counted: _Counted) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add each network's per-post means and daily ER; return the day x network engagements and followers."""
    raw, rows, nets = counted.raw, counted.posts, ctx.networks
    by_net = rows.groupby(rows["network"].astype(object))
    raw["er_post"] = by_net["er_post"].agg(_mean_of_all).reindex(nets).astype("float64")
    raw["er_view"] = by_net["er_view"].mean().reindex(nets).astype("float64")
    daily_e = _daily_engagements(ctx, period, rows)
    daily_f = m.followers_on(ctx.audience, period.dates(), table=ctx.followers).reindex(columns=nets)
    raw["er_day"] = m.er_day(daily_e, daily_f).reindex(nets)
    return daily_e, daily_f


def _previous_values(ctx: Context, period: Period) -> dict[str, tuple[np.ndarray, float]]:
    """What a ``previous_change`` record reads of the previous ``period``: each inbox mean per
    network and pooled (``avg_response_time_h``, ``median_response_time_h``); read from that
    period's computation when the context holds it (the same values)."""
    done = ctx.computed.get((period.start, period.end, period.is_month))
    if done is not None:
        return {k: (done.raw[k].to_numpy(dtype="float64"), float(done.total[k])) for k in _RESPONSE_KEYS}
    per = m.inbox_counts(
        ctx.rows("inbox", period.start, period.end),
        start=period.start,
        end=period.end,
        networks=ctx.networks,
        known=ctx.known["inbox"],
    )
    pooled = _pooled_response(ctx, period)
    return {key: (per[key].to_numpy(dtype="float64"), value) for key, value in pooled.items()}


def _unknown_previous(ctx: Context) -> dict[str, tuple[np.ndarray, float]]:
    """:func:`_previous_values` when the inbox is not computed: unknown."""
    return {key: (np.full(len(ctx.networks), np.nan), np.nan) for key in _RESPONSE_KEYS}


def _period_values(period: Period) -> dict[str, int]:
    """The values of :data:`smmkit.catalogue.PERIOD_VALUES` for ``period`` (a formula may read them)."""
    return {"days": period.days}


def _arguments(record: Quantity, values: Mapping[str, Any], previous: Mapping[str, tuple]) -> list:
    """The values :func:`smmkit.kpi.metrics.evaluate` takes for ``record``: its inputs', and for a
    ``previous_change`` record its input's value in the previous period first."""
    args = [values[c] for c in record.inputs]
    if record.total == "previous_change":
        args.insert(0, previous[record.inputs[0]])
    return args


def _derive(raw: pd.DataFrame, period: Period, previous: dict[str, tuple[np.ndarray, float]]) -> pd.DataFrame:
    """Add every derived value of each network (:data:`smmkit.catalogue.DERIVED`, on plain arrays)."""
    n = len(raw.index)
    cols: dict[str, Any] = {c: raw[c].to_numpy(dtype="float64") for c in raw.columns}
    values = ChainMap(cols, _period_values(period))
    per_network = {key: before for key, (before, _) in previous.items()}
    for record in DERIVED:
        value = m.evaluate(record, *_arguments(record, values, per_network))
        cols[record.key] = np.asarray(value, dtype="float64").reshape(n)
    return pd.DataFrame(cols, index=raw.index)


class _Totals:
    """``total``: each key by its record's rule (:data:`smmkit.catalogue.TOTAL_RULES`, :data:`TOTALS`).

    The counted values first, then the derived ones in :data:`smmkit.catalogue.DERIVED`'s order,
    so a rule that reads other totals (``cost_ratio``, ``per_week``, ``site``) finds them.
    """

    def __init__(
        self,
        ctx: Context,
        period: Period,
        raw: pd.DataFrame,
        counted: _Counted,
        daily_e: pd.DataFrame,
        daily_f: pd.DataFrame,
        previous: dict[str, tuple[np.ndarray, float]],
        *,
        inbox: bool = True,
    ) -> None:
        self.ctx, self.period, self.raw, self.counted, self.inbox = ctx, period, raw, counted, inbox
        self.daily_e, self.daily_f, self.previous = daily_e, daily_f, previous
        self.columns = {c: raw[c].to_numpy(dtype="float64") for c in raw.columns}
        self.values: dict[str, float] = dict.fromkeys(raw.columns, np.nan)
        self.period_values = _period_values(period)
        self._pooled: dict[str, float] | None = None

    def series(self) -> pd.Series:
        """Every total, as a Series indexed like ``raw``'s columns."""
        for record in (*_COUNTED, *DERIVED):
            self.values[record.key] = TOTALS[record.total](self, record)
        return pd.Series(self.values, dtype="float64")

    def of_totals(self, record: Quantity) -> float:
        """The record's formula applied to the totals of its inputs."""
        values = ChainMap(self.values, self.period_values)
        previous = {key: before for key, (_, before) in self.previous.items()}
        return m.evaluate(record, *_arguments(record, values, previous))

    def pooled(self) -> dict[str, float]:
        """The period's pooled response times (``pooled_response``), computed once."""
        if self._pooled is None:
            self._pooled = (
                _pooled_response(self.ctx, self.period)
                if self.inbox
                else dict.fromkeys(_RESPONSE_KEYS, np.nan)
            )
        return self._pooled


#: The counted records (no inputs): their totals come before the derived ones'.
_COUNTED: tuple[Quantity, ...] = tuple(r for r in (*CATALOGUE, *INPUTS.values()) if not r.derived)


def _total_sum(t: _Totals, record: Quantity) -> float:
    values = t.columns[record.key]
    return float(np.nansum(values)) if (~np.isnan(values)).any() else np.nan


def _total_ratio(t: _Totals, record: Quantity) -> float:
    """The formula of the inputs summed over the networks where every input is known."""
    mask = np.logical_and.reduce([~np.isnan(t.columns[c]) for c in record.inputs])
    return m.evaluate(record, *(t.columns[c][mask].sum() for c in record.inputs)) if mask.any() else np.nan


def _total_site(t: _Totals, record: Quantity) -> float:
    """A site sum (a client with web data and no network has it too), or a formula of them."""
    return t.of_totals(record) if record.derived else t.counted.site[record.key]


def _total_cost(t: _Totals, record: Quantity) -> float:
    """All ad spend + the fixed costs (the client's config); unknown while the period's ad spend is,
    and unknown (not 0) for a client with neither ad exports nor fixed costs in its config."""
    if t.counted.ads_unknown:  # a straddling export
        return np.nan
    spend = t.columns[record.inputs[0]]
    if not t.ctx.config.has_fixed_costs and not (~np.isnan(spend)).any():
        return np.nan  # no cost data at all: metrics.md, "a count with no data is null, not 0"
    fixed = m.fixed_cost(t.period.start, t.period.end, month_cost=t.ctx.config.month_cost)
    return float(np.nansum(spend)) + fixed


def _total_post_mean(t: _Totals, record: Quantity) -> float:
    """The mean over every post of the networks where the network's own value is defined."""
    posts, defined = t.counted.posts, t.raw.index[t.raw[record.key].notna()]
    return _mean(posts.loc[posts["network"].astype(object).isin(defined).to_numpy(), record.key])


def _total_day_mean(t: _Totals, record: Quantity) -> float:
    """The mean over days of the summed engagements / summed followers of the networks where defined."""
    nets = [n for n in t.raw.index[t.raw[record.key].notna()] if n in t.daily_e.columns]
    day = m.pct(t.daily_e[nets].sum(axis=1), t.daily_f[nets].sum(axis=1))
    return float(np.mean(day)) if nets and len(day) else np.nan


#: Each total rule of :data:`smmkit.catalogue.TOTAL_RULES` -> the function that applies it to a record.
TOTALS: dict[str, Callable[[_Totals, Quantity], float]] = {
    "sum": _total_sum,
    "ratio": _total_ratio,
    "cost_ratio": _Totals.of_totals,
    "site": _total_site,
    "per_week": _Totals.of_totals,
    "cost": _total_cost,
    "post_mean": _total_post_mean,
    "day_mean": _total_day_mean,
    "pooled_response": lambda t, record: t.pooled()[record.key],
    "previous_change": _Totals.of_totals,
    "mentions": lambda t, record: float(t.counted.mentions[record.key]),
}


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


#: The KPIs of the ``pooled_response`` rule: the mean and the median response hours.
_RESPONSE_KEYS = ("avg_response_time_h", "median_response_time_h")


def _pooled_response(ctx: Context, period: Period) -> dict[str, float]:
    """The mean and median response hours over every answered question of the period, by KPI key."""
    rows = ctx.rows("inbox", period.start, period.end)
    rows = rows.loc[rows["is_question"].fillna(False).to_numpy(bool)]
    rows = rows.loc[rows["network"].astype(object).isin(ctx.networks).to_numpy()]
    hours = m.response_hours(rows["received_at"], rows["first_reply_at"]).dropna()
    if hours.empty:
        return dict.fromkeys(_RESPONSE_KEYS, float("nan"))
    return dict(zip(_RESPONSE_KEYS, (float(hours.mean()), float(hours.median())), strict=True))


def _tables(comp: _Computed) -> KPITables:
    networks = comp.raw.reindex(columns=list(KPI_KEYS)).astype("float64")
    networks.index.name = "network"
    total = comp.total.reindex(list(KPI_KEYS)).astype("float64").rename("total")
    return KPITables(total=total, networks=networks)


# --------------------------------------------------------------------------- funnel, top posts, targets
def _funnel(values: pd.Series, scope: str) -> list[dict[str, Any]]:
    """The funnel rows of one scope: each path's stages with value, input and rates.

    A stage's ``input`` is the value its ``rate_prev`` divides by: the previous stage of its
    path, and for the web path's first stage (sessions) the clicks of both paths
    (:data:`FUNNEL_WEB_INPUT`); none for the first stage of the organic and paid paths.
    ``rate_prev = value / input x 100`` and ``rate_top = value / (its path's first stage) x 100``
    are NaN where the divisor is 0 or unknown (no rate from a zero stage); a ``rate_prev``
    above 100 % is kept as is and ``flagged`` (sessions > clicks: untagged links, shares).
    """
    stages = []
    for path, columns in FUNNEL_PATHS.items():
        top = np.nan
        prev = float(values.get(FUNNEL_WEB_INPUT, np.nan)) if path == "web" else np.nan
        for i, (stage, col) in enumerate(columns.items()):
            value = float(values.get(col, np.nan))
            top = value if i == 0 else top
            rate_prev = m.pct(value, prev)
            stages.append(
                {
                    "scope": scope,
                    "path": path,
                    "stage": stage,
                    "value": value,
                    "input": prev,
                    "rate_prev": rate_prev,
                    "rate_top": m.pct(value, top),
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
    return pd.DataFrame(rows, columns=FUNNEL_COLUMNS)


_TOP_COLUMNS = [
    "network",
    "post_id",
    "published_at",
    "reach",
    "impressions",
    "engagements",
    "er_post",
    "url",
    "text",
    "post_type",
]

#: What the top posts are ranked by, in order of preference (metrics.md, "How the report shows
#: them"): reach when a post of the period has it, else impressions (X, LinkedIn), else engagements.
TOP_BASES = ("reach", "impressions", "engagements")


def top_basis(posts: pd.DataFrame) -> str | None:
    """The metric the top posts of ``posts`` are ranked by: the first of :data:`TOP_BASES` any post
    has; None when no post has any of them."""
    for key in TOP_BASES:
        if key in posts and posts[key].notna().any():
            return key
    return None


def _top_posts(ctx: Context, period: Period, n: int = 5) -> pd.DataFrame:
    rows = ctx.rows("posts", period.start, period.end)
    basis = top_basis(rows)
    if basis is None:
        return rows.head(0).reindex(columns=_TOP_COLUMNS).reset_index(drop=True)
    rows = rows.loc[rows[basis].notna().to_numpy()]
    rows = rows.assign(_eng=rows["engagements"].fillna(-1.0), network=rows["network"].astype(object))
    rows = rows.sort_values([basis, "_eng", "published_at"], ascending=[False, False, True], kind="mergesort")
    return rows.head(n).reindex(columns=_TOP_COLUMNS).reset_index(drop=True)


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
    # complaints per day of the posts they were made on (not in report.spikes: the findings read them)
    rated = ctx.posts.loc[ctx.posts["complaints"].notna().to_numpy()]
    complaints = _all_spikes(rated, "complaints", "network", _coverage(rated["day"]))
    ctx.spikes = {"spikes": pd.concat(frames, ignore_index=True), **per_network, "complaints": complaints}
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


def period_tables(client: Client, period: Period, *, keys: Sequence[str] | None = None) -> KPITables:
    """One period's ``total`` and ``networks``, the very values :func:`kpis` gives, without the
    rest of the report (previous period, change, funnel, findings...): what a trend needs.

    ``keys``: only those KPIs are read. The sources they read are counted and the others are
    not (their KPIs are unknown here): a trend of the networks page skips the inbox, the
    mentions and the web analytics of each of its periods.
    """
    ctx = context(client)
    return _tables(_compute(ctx, period, _only(ctx, period, keys)))


def period_coverage(client: Client, period: Period, keys: Sequence[str]) -> pd.DataFrame:
    """How the sources each KPI of ``keys`` reads cover ``period``, per network and in total.

    Returns
    -------
    DataFrame
        Network (and ``"total"``) x key: ``"full"``, ``"partial"``, ``"none"``
        (:func:`smmkit.kpi.coverage.status` of each source the KPI reads, pooled by
        :func:`smmkit.kpi.coverage.pooled_status`; the total pools its networks), or ``""``
        where the network has none of the sources.
    """
    ctx = context(client)
    reads = _compute(ctx, period, _only(ctx, period, keys)).sources
    rows = {
        net: [
            cov.reads_status(ctx.coverage.get(net, {}), reads.get(k, ()), period.start, period.end)
            for k in keys
        ]
        for net in ctx.networks
    }
    by_key = list(zip(*rows.values(), strict=True)) if rows else [()] * len(keys)
    rows["total"] = [cov.pooled_status(states) for states in by_key]  # the total pools its networks
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(keys), dtype=object)


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
    period = _the_period(period, start=start, end=end, window=window, month=month)
    ctx = context(client)
    prev_period = period.previous()
    prev = _compute(ctx, prev_period)  # first: the current period reads its response times
    cur = _compute(ctx, period)
    current, previous = _tables(cur), _tables(prev)
    change = _change(current, previous)
    uncovered = _uncovered_changes(ctx, prev_period, cur.sources, change)
    report = KPIReport(
        client=client.config.slug,
        currency=client.config.currency,
        period=period,
        previous_period=prev_period,
        total=current.total,
        networks=current.networks,
        previous=previous,
        change=change,
        funnel=_funnel_frame(cur),
        top_posts=_top_posts(ctx, period),
        spikes=_spikes(ctx, period),
        signals=_signals(ctx, period),
        targets=_targets(client.config, current.total),
        notes=list(dict.fromkeys([*cur.notes, *(f"previous period: {n}" for n in prev.notes)])),
        language=client.config.language,
        coverage={
            net: cov.spans_json(ctx.coverage.get(net, {}), period.start, period.end, prev_period)
            for net in current.networks.index
        },
        uncovered=uncovered,
    )
    return _attach_findings(ctx, report)


def _uncovered_changes(
    ctx: Context, previous: Period, sources: Mapping[str, frozenset[str]], change: KPITables
) -> dict[str, list[str]]:
    """metrics.md: a change whose previous period a source it reads covers less than fully is null
    (in the network, and in ``total`` when any network's source does). Returns the keys so
    nulled, by scope (:attr:`KPIReport.uncovered`)."""
    out: dict[str, list[str]] = {}
    anywhere: set[str] = set()
    for net in change.networks.index:
        short = {
            s
            for s, span in ctx.coverage.get(net, {}).items()
            if cov.status(span, previous.start, previous.end) != "full"
        }
        anywhere |= short
        keys = [k for k in change.networks.columns if sources.get(k, frozenset()) & short]
        change.networks.loc[net, keys] = np.nan
        if keys:
            out[str(net)] = keys
    keys = [k for k in change.total.index if sources.get(k, frozenset()) & anywhere]
    change.total[keys] = np.nan
    if keys:
        out["total"] = keys
    return out


def _the_period(period: Period | None, **args: str | dt.date | None) -> Period:
    """The period :func:`kpis` was given, or the one its ``start``/``end``/``window``/``month`` say."""
    start, end, window, month = (args[k] for k in ("start", "end", "window", "month"))
    if period is None:
        return period_from_args(
            start=None if start is None else parse_day(start, name="`start`"),
            end=None if end is None else parse_day(end, name="`end`"),
            window=window,
            month=month,
            _api=True,
        )
    if any(v is not None for v in args.values()):
        raise UsageError("give either `period` or `start`/`end`/`window`/`month`, not both")
    if not isinstance(period, Period):
        raise UsageError(f"`period` must be a smmkit.kpi.periods.Period; got {period!r}")
    return period


def _attach_findings(ctx: Context, report: KPIReport) -> KPIReport:
    """The next period's forecast and the period's findings (facts; their text is the report layer's)."""
    end = report.period.end
    report.forecast = forecast.forecast(
        ctx.followers,
        ctx.posts,
        networks=ctx.networks,
        end=end,
        days=report.period.days,
        series=_forecast_series(ctx, end),
    )
    noted = period_noted_days(ctx.config.path, report.period.start, report.period.end)
    report.findings = findings.find(report, posts=ctx.posts, spikes=_spike_cache(ctx), noted=noted)
    return report


def _forecast_series(ctx: Context, end: dt.date) -> dict:
    """The forecast's daily series, kept on the client's context up to the latest end asked.

    A period ending earlier reads the same series (the forecast stops at its own end), so a
    12-period trend computes the series once, not 12 times.
    """
    if ctx.forecast_series is None or ctx.forecast_series[0] < end:
        series = forecast.daily_series(ctx.followers, ctx.posts, networks=ctx.networks, end=end)
        ctx.forecast_series = (end, series)
    return ctx.forecast_series[1]
