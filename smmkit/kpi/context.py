"""What a client's whole data decides once, cached per client (weakly: the cache never keeps a client alive).

Which networks get a block, which metrics are known for which network, the followers
on each day, each post's engagements and ER are computed once per
:class:`~smmkit.io.client.Client` and reused by every :func:`~smmkit.kpi.engine.kpis`
call for it, so that twelve periods stay cheap. The cache is keyed by the client
object and the contents of its tables: an analyst who edits a table in place gets
fresh numbers. It holds the client only weakly (a client no longer referenced is
freed, and its entry with it), and it never hands out its own frames: callers get
copies (:func:`smmkit.kpi.engine.post_table`).
"""

from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smmkit.catalogue import INPUTS
from smmkit.config import ClientConfig
from smmkit.io.client import Client
from smmkit.io.schema import NETWORKS, local_day
from smmkit.kpi import metrics as m
from smmkit.kpi.coverage import Span, coverage_of

__all__ = ["Context", "block_networks", "cached_clients", "context", "stamp"]

_POST_COLS = list(m.POST_SUMS)
#: The web columns summed over all web rows (the site_* inputs of the catalogue).
SITE = tuple(k.removeprefix("site_") for k, i in INPUTS.items() if i.total == "site")


@dataclass
class Context:
    """What the client's whole data decides once (see the module doc)."""

    config: ClientConfig
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
    known: dict[str, Any]  # table -> column -> networks where known
    #: Ad exports set aside although they held costs (another currency): every ad KPI is unknown.
    costs_set_aside: tuple[str, ...] = ()
    #: Every known export set aside, as "FILE: why and the fix" (a note of every period).
    set_aside: tuple[str, ...] = ()
    #: network -> source -> the days its exports cover (:mod:`smmkit.kpi.coverage`)
    coverage: dict[str, dict[str, Span]] = field(default_factory=dict)
    spikes: dict[str, Any] | None = None  # every spike of the client, computed on first use
    #: table -> its rows' days in order and the row positions in that order (:meth:`rows`)
    day_index: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: (first day, last day, is a month) -> the engine's computation of that period (its own memo);
    #: with the sources counted as a fourth item, a computation of only those (a trend's keys)
    computed: dict[tuple, Any] = field(default_factory=dict)
    #: the forecast's daily series up to the latest end asked: (end, series) (:mod:`smmkit.kpi.forecast`)
    forecast_series: tuple[Any, dict] | None = None

    def rows(self, table: str, first, last) -> pd.DataFrame:
        """The rows of ``table`` (``posts``, ``inbox``, ``audience``) whose day lies in ``[first, last]``.

        The same rows, in the same order, as ``frame.loc[in_days(frame["day"], first, last)]``,
        found by binary search on the days sorted once per client: a period costs its own
        rows, not the client's whole history.
        """
        frame = getattr(self, table)
        days, order = self.day_index[table]
        bounds = np.array([np.datetime64(first, "ns"), np.datetime64(last, "ns")]).view("int64")
        lo, hi = np.searchsorted(days, bounds[0], "left"), np.searchsorted(days, bounds[1], "right")
        return frame.iloc[np.sort(order[lo:hi])]


@dataclass
class _Entry:
    """One cached client: a weak reference to it, its context and what decides whether it is current."""

    client: weakref.ref
    shape: tuple  # _shape(client) when the context was built
    tokens: tuple  # _tokens(client) then: what identifies each column's data
    context: Context
    references: tuple[pd.DataFrame, ...]  # shallow copies of the tables it was built from
    generation: int  # a number no other context of this process had


#: id(client) -> its entry. The one per-client cache of the KPI layer: whatever else a client's
#: KPIs reuse (periods, spikes, the forecast's series) lives on its :class:`Context`.
_CACHE: dict[int, _Entry] = {}
_GENERATIONS = itertools.count()

_TABLES = ("posts", "audience", "ads", "inbox", "mentions", "web")


def _shape(client: Client) -> tuple:
    """What a table replaced or reshaped changes: the identity of the config and of every table
    and its index, its columns, dtypes and shape."""
    parts: list[Any] = [id(client.config)]
    for name in _TABLES:
        frame = getattr(client, name)
        parts.append((id(frame), id(frame.index), tuple(frame.columns), tuple(frame.dtypes), frame.shape))
    return tuple(parts)


def _token(column: pd.Series) -> Any:
    """What identifies a column's data without reading it, through public pandas only: the
    extension array the table stores (:attr:`pandas.Series.array`: the same object while
    unchanged), or for a NumPy-backed column a view of its memory (``to_numpy``; tz-aware
    timestamps: their UTC values)."""
    if isinstance(column.dtype, np.dtype):
        return column.to_numpy()
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return column.to_numpy(dtype=column.dtype.base)
    return column.array


def _same(now: Any, then: Any) -> bool:
    if not isinstance(then, np.ndarray):
        return now is then
    if then.size == 0:  # an empty column has no memory to share, and nothing to edit
        return now.shape == then.shape
    return np.may_share_memory(now, then)


def _tokens(client: Client) -> tuple:
    return tuple(tuple(_token(col) for _, col in getattr(client, name).items()) for name in _TABLES)


def _unchanged(client: Client, entry: _Entry) -> bool:
    """Whether every table still holds the data it had when the context was built, in O(number of
    columns).

    Exact because of pandas' Copy-on-Write: the entry keeps a shallow copy of every table
    (:func:`_references`), so any in-place edit of a client's table (``client.posts.loc[0,
    "likes"] = 0``, ``client.posts["likes"] = 0``) writes to a copy of that column's data: a new
    extension array, or new memory, which cannot overlap the old while the references keep it.
    """
    return all(
        _same(now, then)
        for table_now, table_then in zip(_tokens(client), entry.tokens, strict=True)
        for now, then in zip(table_now, table_then, strict=True)
    )


def _entry(client: Client) -> _Entry:
    """The client's current cache entry, built (or rebuilt after a change of its tables) on demand."""
    key = id(client)
    shape = _shape(client)
    hit = _CACHE.get(key)
    if hit is not None and hit.client() is client and hit.shape == shape and _unchanged(client, hit):
        return hit
    ctx = _build_context(client)
    if hit is None or hit.client() is not client:
        weakref.finalize(client, _CACHE.pop, key, None)
    references = _references(client)
    entry = _Entry(weakref.ref(client), shape, _tokens(client), ctx, references, next(_GENERATIONS))
    _CACHE[key] = entry
    return entry


def stamp(client: Client) -> tuple:
    """What identifies the client's tables as they are now: equal stamps mean unchanged tables.

    The client and the generation of its current context (a change of its tables builds a new one).
    """
    return (id(client), _entry(client).generation)


def _references(client: Client) -> tuple[pd.DataFrame, ...]:
    """Shallow copies that share the tables' data: while they live, an in-place write copies."""
    return tuple(getattr(client, name).copy(deep=False) for name in _TABLES)


def context(client: Client) -> Context:
    """The client's context, built on first use and rebuilt when its tables change.

    The context is the cache's own: read it, never modify or return its frames.
    """
    return _entry(client).context


def cached_clients() -> int:
    """How many clients the cache holds (for tests and memory checks)."""
    return len(_CACHE)


def _str_network(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose ``network`` is a categorical of plain ``str`` categories (missing: NaN).

    Categorical for speed: comparing a million rows with one network compares small
    integer codes, not strings.
    """
    out = frame.copy(deep=False)  # Copy-on-Write: the client's own table never changes
    net = out["network"]
    if isinstance(net.dtype, pd.CategoricalDtype):  # as loaded: relabel the few categories only
        names = [str(c) for c in net.cat.categories]
        if len(set(names)) == len(names):
            out["network"] = pd.Categorical.from_codes(net.cat.codes.to_numpy(), categories=names)
            return out
    net = net.astype("string")
    values = net.astype(object).where(net.notna(), None)
    out["network"] = pd.Categorical(values, categories=sorted({str(n) for n in values.dropna().unique()}))
    return out


def _day_index(days: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The known days in order (int64 nanoseconds) and the positions of their rows (stable)."""
    values = np.asarray(days, dtype="datetime64[ns]").view("int64")
    known = np.flatnonzero(~np.isnat(np.asarray(days, dtype="datetime64[ns]")))
    order = known[np.argsort(values[known], kind="stable")]
    return values[order], order


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


def _post_table(
    client: Client, followers: pd.DataFrame, until: dict[str, Span]
) -> tuple[pd.DataFrame, dict[str, frozenset[str]]]:
    """The engine's per-post table (local ``day``, float counts, ``engagements``, ``followers`` on the
    publish day, ``er_post``, ``er_view``) and which post columns are known for which network.

    A post published after its network's audience exports end (``until``) has unknown followers:
    metrics.md's coverage rule never carries a count forward past the exports."""
    posts = _str_network(client.posts)
    posts["day"] = local_day(posts["published_at"], client.config.timezone)
    for col in _POST_COLS:
        posts[col] = posts[col].astype("float64")
    known = m.known_map(posts, [*m.POST_SUMS, "network"])
    posts["engagements"] = m.post_engagements(posts, known=known).to_numpy()
    on_day = np.full(len(posts), np.nan)
    for net in followers.columns:
        mask = (posts["network"] == net).to_numpy()
        if mask.any():
            days = pd.DatetimeIndex(posts.loc[mask, "day"])
            values = followers[[net]].reindex(days, method="ffill")[net].to_numpy(dtype="float64", copy=True)
            if net in until:
                values[days > pd.Timestamp(until[net].last)] = np.nan
            on_day[mask] = values
    posts["followers"] = on_day
    posts["er_post"] = m.er_post(posts["engagements"], posts["followers"]).to_numpy()
    posts["er_view"] = m.er_view(posts["engagements"], posts["impressions"]).to_numpy()
    return posts, known


def _build_context(client: Client) -> Context:
    tz = client.config.timezone
    networks = block_networks(client)
    audience = _str_network(client.audience)
    for col in ("followers", "new_followers", "lost_followers", "unique_visitors", "page_views"):
        audience[col] = audience[col].astype("float64")
    followers = m.followers_table(audience)
    aud_cover = coverage_of({"audience": (audience, "date", "date")}, networks=networks, files=client.files)
    posts, known_posts = _post_table(client, followers, {n: c["audience"] for n, c in aud_cover.items() if c})
    eng_known = frozenset().union(*(known_posts[c] for c in m.ENGAGEMENT_TERMS))

    ads = _str_network(client.ads)
    inbox = _str_network(client.inbox)
    inbox["day"] = local_day(inbox["received_at"], tz)
    inbox["hours"] = m.response_hours(inbox["received_at"], inbox["first_reply_at"]).to_numpy()
    inbox["question"] = inbox["is_question"].fillna(False).to_numpy(dtype=bool)
    cfg = client.config
    mentions = m.prepare_mentions(client.mentions, own=cfg.own_brands, competitors=cfg.competitors, tz=tz)
    web = client.web.copy()
    for col in m.WEB_SUMS:
        web[col] = web[col].astype("float64")
    site_known = {c: bool(web[c].notna().any()) for c in SITE}
    known_audience = m.known_map(audience, m.AUDIENCE_SUMS)
    sources = {
        "posts": (posts, "day", "day"),
        "audience": (audience, "date", "date"),
        "ads": (ads, "date", "date_end" if "date_end" in ads.columns else "date"),
        "inbox": (inbox, "day", "day"),
        "web": (web, "date_start", "date_end"),
        "mentions": (mentions, "day", "day"),
    }
    return Context(
        config=client.config,
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
        costs_set_aside=tuple(str(f.path) for f in client.files if f.costs_unknown),
        set_aside=tuple(f"{f.path.name}: {f.set_aside}" for f in client.files if f.set_aside),
        known={
            "posts": known_posts,
            "audience": known_audience,
            "ads": m.known_map(ads, m.AD_SUMS),
            "inbox": m.known_networks(inbox, "is_question"),
            "web": m.known_map(web, m.WEB_SUMS),
        },
        coverage=coverage_of(sources, networks=networks, files=client.files),
        day_index={
            "posts": _day_index(posts["day"]),
            "inbox": _day_index(inbox["day"]),
            "audience": _day_index(audience["date"]),
        },
    )
