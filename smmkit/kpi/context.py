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

import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from smmkit.config import ClientConfig
from smmkit.io.client import Client
from smmkit.io.schema import NETWORKS, local_day
from smmkit.kpi import metrics as m

__all__ = ["Context", "block_networks", "cached_clients", "context", "stamp"]

_POST_COLS = list(m.POST_SUMS)
SITE = ("users", "new_users", "sessions", "engaged_sessions", "views", "engagement_time_s")


@dataclass
class Context:
    """What the client's whole data decides once (see the module doc)."""

    config: ClientConfig
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
    #: table -> its rows' days in order and the row positions in that order (:meth:`rows`)
    day_index: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: (first day, last day) -> the engine's computation of that period (its own memo)
    computed: dict[tuple, Any] = field(default_factory=dict)

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


#: id(client) -> (a weak reference to the client, the stamp of its tables, its context, and
#: shallow references to the tables it was built from).
_CACHE: dict[int, tuple[weakref.ref, tuple, Context, tuple]] = {}


_TABLES = ("posts", "audience", "ads", "inbox", "mentions", "web")


def _fingerprint(client: Client) -> tuple:
    """What the cached context depends on, in O(number of columns): the identity of every table,
    its axes and its data blocks, and of the config object.

    Exact because of pandas' Copy-on-Write (the default from pandas 3): the cache keeps a shallow
    reference to every table it was built from (:func:`_references`), so any in-place edit of a
    client's table (``client.posts.loc[0, "likes"] = 0``, ``client.posts["likes"] = 0``) gives
    that table a new block, and the next :func:`context` call rebuilds instead of reusing stale
    numbers. (The old blocks stay referenced, so their ids cannot be reused meanwhile.)
    """
    parts: list[Any] = [id(client.config)]
    for name in _TABLES:
        frame = getattr(client, name)
        parts.append((id(frame), id(frame.index), tuple(frame.columns), frame.shape))
        parts.append(tuple(id(block.values) for block in frame._mgr.blocks))
    return tuple(parts)


def stamp(client: Client) -> tuple:
    """What identifies the client's tables as they are now, in O(number of columns) (see
    :func:`_fingerprint`); equal stamps mean unchanged tables while :func:`context` caches the client."""
    context(client)  # holds the shallow references that make the stamp exact
    return _fingerprint(client)


def _references(client: Client) -> tuple[pd.DataFrame, ...]:
    """Shallow copies that share the tables' blocks: while they live, an in-place write copies."""
    return tuple(getattr(client, name).copy(deep=False) for name in _TABLES)


def context(client: Client) -> Context:
    """The client's context, built on first use and rebuilt when its tables change.

    The context is the cache's own: read it, never modify or return its frames.
    """
    key = id(client)
    stamp = _fingerprint(client)
    hit = _CACHE.get(key)
    if hit is not None and hit[0]() is client and hit[1] == stamp:
        return hit[2]
    ctx = _build_context(client)
    if hit is None or hit[0]() is not client:
        weakref.finalize(client, _CACHE.pop, key, None)
    _CACHE[key] = (weakref.ref(client), stamp, ctx, _references(client))
    return ctx


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


def _known(frame: pd.DataFrame, columns) -> dict[str, frozenset[str]]:
    """Column -> the networks with a non-null value of it somewhere in ``frame`` (one groupby)."""
    columns = [c for c in dict.fromkeys(columns) if c in frame.columns]
    out: dict[str, frozenset[str]] = {c: frozenset() for c in columns}
    rows = frame.loc[frame["network"].notna().to_numpy()]
    if rows.empty or not columns:
        return out
    seen = rows[columns].notna().groupby(rows["network"], observed=True).any()
    return {c: frozenset(str(n) for n in seen.index[seen[c].to_numpy()]) for c in columns}


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


def _build_context(client: Client) -> Context:
    tz = client.config.timezone
    networks = block_networks(client)

    posts = _str_network(client.posts)
    posts["day"] = local_day(posts["published_at"], tz)
    for col in _POST_COLS:
        posts[col] = posts[col].astype("float64")
    known_posts = _known(posts, [*m.POST_SUMS, "network"])
    known_terms = {c: known_posts[c] for c in m.ENGAGEMENT_TERMS}
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
    inbox["day"] = local_day(inbox["received_at"], tz)
    inbox["hours"] = m.response_hours(inbox["received_at"], inbox["first_reply_at"]).to_numpy()
    inbox["question"] = inbox["is_question"].fillna(False).to_numpy(dtype=bool)
    own = (client.config.name, *client.config.aliases)
    mentions = m.prepare_mentions(client.mentions, own=own, competitors=client.config.competitors, tz=tz)
    web = client.web.copy()
    for col in m.WEB_SUMS:
        web[col] = web[col].astype("float64")
    site_known = {c: bool(web[c].notna().any()) for c in SITE}
    known_audience = _known(audience, [*m.AUDIENCE_SUMS, "new_followers", "lost_followers"])
    return Context(
        config=client.config,
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
        new_known=known_audience["new_followers"],
        lost_known=known_audience["lost_followers"],
        known={
            "posts": known_posts,
            "audience": {c: known_audience[c] for c in m.AUDIENCE_SUMS},
            "ads": m.known_map(ads, m.AD_SUMS),
            "inbox": m.known_networks(inbox, "is_question"),
            "web": {c: m.known_networks(web, c) for c in m.WEB_SUMS},
        },
        day_index={
            "posts": _day_index(posts["day"]),
            "inbox": _day_index(inbox["day"]),
            "audience": _day_index(audience["date"]),
        },
    )
