"""The six canonical tables every loader produces, with their dtypes.

Loaders map each export format to one or more of these tables; the metric
code reads only these. Column order and dtypes are fixed here and nowhere
else, so ``conform(frame, "posts")`` is the one way to make a table.

Dtypes
------
- ``network``: ``category`` over :data:`NETWORKS` (plus ``"other"`` in ``web``
  for social sessions of an unknown social source, and any string in
  ``mentions``); ``posts.post_type``: ``category`` too (few distinct values).
- IDs and texts: pandas ``string``.
- Timestamps (``published_at``, ``received_at``, ``first_reply_at``):
  tz-aware, converted to the client's timezone.
- Days (``date``, ``date_start``, ``date_end``): ``datetime64[ns]``, naive,
  midnight, meaning a local calendar day of the client.
- Counts: nullable ``Int64``; money, seconds and ratios: ``float64`` (NaN = unknown).

Every table also carries two provenance columns, ``_file`` (path of the
export the row came from; a ``category``, one value per export) and ``_line``
(its 1-based line in that file), used for error messages, warnings and
duplicate resolution.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smmkit.catalogue import post_type_key

__all__ = [
    "used_categories",
    "local_day",
    "NETWORKS",
    "TABLES",
    "CANONICAL_HEADERS",
    "COLUMNS",
    "empty",
    "conform",
]

NETWORKS: tuple[str, ...] = (
    "facebook",
    "instagram",
    "x",
    "vk",
    "ok",
    "telegram",
    "linkedin",
    "youtube",
    "tiktok",
    "pinterest",
)

TS = "timestamp"  # tz-aware timestamp in the client's timezone
DAY = "day"  # naive datetime64[ns] at midnight, a local calendar day
STR = "string"
INT = "Int64"
FLOAT = "float64"
BOOL = "boolean"
CAT = "category"

COLUMNS: dict[str, dict[str, str]] = {
    "posts": {
        "network": CAT,
        "post_id": STR,
        "published_at": TS,
        "post_type": CAT,  # a handful of values (photo, video, ...): one byte per post
        "text": STR,
        "url": STR,
        "impressions": INT,
        "reach": INT,
        "reach_organic": INT,
        "reach_paid": INT,
        "reach_viral": INT,
        "likes": INT,
        "comments": INT,
        "shares": INT,
        "saves": INT,
        "clicks": INT,
        "video_views": INT,
        "engaged_users": INT,
        "complaints": INT,
        # X 2024 "Shares" (share-via, not a repost): kept apart, never in engagements.
        "shares_via": INT,
    },
    "audience": {
        "network": CAT,
        "date": DAY,
        "followers": INT,
        "new_followers": INT,
        "lost_followers": INT,
        "unique_visitors": INT,
        "page_views": INT,
    },
    "ads": {
        # A daily row has date_end == date; a row of an ad export without a Day breakdown
        # covers [date, date_end] (Meta Ads Manager's Reporting starts..Reporting ends).
        "date": DAY,
        "date_end": DAY,
        "network": CAT,
        "campaign": STR,
        "spend": FLOAT,
        "impressions": INT,
        "reach": INT,
        "clicks": INT,
        "leads": INT,
    },
    "inbox": {
        "network": CAT,
        "message_id": STR,
        "received_at": TS,
        "is_question": BOOL,
        "first_reply_at": TS,
    },
    "mentions": {
        "published_at": TS,
        "brand": STR,
        "network": STR,
        "sentiment": STR,
        "author": STR,
        "reach": INT,
        "text": STR,
        "url": STR,
    },
    "web": {
        # A daily row has date_start == date_end; a GA4 table without a Date
        # column gives one row per source for its whole Start..End range.
        "date_start": DAY,
        "date_end": DAY,
        "source": STR,
        "medium": STR,
        "channel_group": STR,
        # Social network from the source mapping of metrics.md; "other" for a
        # social channel group with an unknown source; <NA> when not social.
        "network": STR,
        "users": INT,
        "new_users": INT,
        "sessions": INT,
        "engaged_sessions": INT,
        "engagement_time_s": FLOAT,  # total seconds, not an average
        "views": INT,
        "conversions": FLOAT,
        "leads": FLOAT,
        "revenue": FLOAT,
    },
}

#: ``_file`` is a categorical: a million rows of one export hold its path once, not a million times.
PROVENANCE: dict[str, str] = {"_file": CAT, "_line": INT}

TABLES: tuple[str, ...] = tuple(COLUMNS)

#: The exact headers of the kit-defined CSV files (data-contract.md section 2).
CANONICAL_HEADERS: dict[str, list[str]] = {
    "posts": [
        "network", "post_id", "published_at", "post_type", "text", "url",
        "impressions", "reach", "reach_organic", "reach_paid", "reach_viral",
        "likes", "comments", "shares", "saves", "clicks", "video_views",
        "engaged_users", "complaints",
    ],
    "audience": ["network", "date", "followers", "new_followers", "lost_followers",
                 "unique_visitors", "page_views"],
    "ads": ["date", "network", "campaign", "spend", "impressions", "reach", "clicks", "leads"],
    "inbox": ["network", "message_id", "received_at", "is_question", "first_reply_at"],
    "mentions": ["published_at", "brand", "network", "sentiment", "author", "reach", "text", "url"],
    "web": ["date", "source", "medium", "users", "new_users", "sessions", "engaged_sessions",
            "engagement_time_s", "views", "conversions", "leads", "revenue"],
}  # fmt: skip


#: The dtype of each kind, as objects: ``StringDtype() == "string"`` holds for ``str`` too.
_DTYPES = {k: pd.api.types.pandas_dtype(k) for k in (INT, FLOAT, STR, BOOL)}


def _dtype(kind: str, tz: str):
    return pd.DatetimeTZDtype("ns", tz) if kind == TS else _DTYPES[kind]


def _series(kind: str, n: int, tz: str) -> pd.Series:
    if kind == TS:
        return pd.Series(pd.NaT, index=range(n), dtype=f"datetime64[ns, {tz}]")
    if kind == DAY:
        return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
    if kind == CAT:
        return pd.Series(pd.NA, index=range(n), dtype="string").astype("category")
    if kind == FLOAT:
        return pd.Series(np.nan, index=range(n), dtype=kind)
    if kind == INT:  # built from its arrays: filling a million pd.NA one by one is slow
        return pd.Series(
            pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)),
            index=range(n),
            copy=False,
        )
    return pd.Series(pd.NA, index=range(n), dtype=kind)


def empty(table: str, tz: str = "UTC") -> pd.DataFrame:
    """An empty canonical table with the right columns and dtypes."""
    return conform(pd.DataFrame(), table, tz=tz)


def conform(frame: pd.DataFrame, table: str, *, tz: str = "UTC") -> pd.DataFrame:
    """Return ``frame`` with exactly the canonical columns of ``table``.

    Missing columns are added as all-null (an unknown metric), extra columns
    are dropped, and every column is cast to its canonical dtype. Values must
    already be parsed (numbers as numbers, timestamps as timestamps): this
    only fixes the dtypes, it does not parse strings.
    """
    if table not in COLUMNS:
        raise ValueError(f"`table` must be one of {list(COLUMNS)}; not {table!r}")
    n = len(frame)
    frame = frame.reset_index(drop=True)
    out: dict[str, pd.Series] = {}
    for name, kind in {**COLUMNS[table], **PROVENANCE}.items():
        if name not in frame.columns:
            out[name] = _series(kind, n, tz)
            continue
        col = frame[name]
        if kind in (INT, FLOAT, STR, BOOL, TS) and col.dtype == _dtype(kind, tz):
            out[name] = col  # already canonical: each cast below would give the same values
            continue
        if kind == TS:
            col = pd.to_datetime(col, utc=True).dt.tz_convert(tz).astype(f"datetime64[ns, {tz}]")
        elif kind == DAY:
            col = pd.to_datetime(col).astype("datetime64[ns]").dt.normalize()
        elif kind == CAT:
            col = _category(col)
        elif kind == INT:
            col = pd.to_numeric(col).round().astype("Int64")
        elif kind == FLOAT:
            col = pd.to_numeric(col).astype(kind)
        else:
            col = col.astype(kind)
        out[name] = col
    if table == "posts":
        out["post_type"] = post_types(out["post_type"])
    return pd.DataFrame(out, index=range(n), copy=False)  # copy-on-write: the input stays as it was


def post_types(col: pd.Series) -> pd.Series:
    """A categorical ``post_type`` column with each export's word for a type mapped onto the
    post type catalogue (:func:`smmkit.catalogue.post_type_key`: ``IG reel``, ``Reels`` -> ``reel``).

    Works on the categories (a handful), not on the rows: a million posts cost nothing more.
    """
    cats = col.cat.categories
    keys = [post_type_key(c) for c in cats]
    if keys == list(cats):
        return col  # already the catalogue's keys
    new = sorted({k for k in keys if k is not None})
    where = {k: i for i, k in enumerate(new)}
    lookup = np.array([where[k] if k is not None else -1 for k in keys] + [-1], dtype="int64")
    codes = lookup[col.cat.codes.to_numpy()]  # code -1 (no type) -> the last entry, -1
    categorical = pd.Categorical.from_codes(codes, categories=pd.Index(new, dtype="string"))
    return pd.Series(categorical, index=col.index, name=col.name)


def used_categories(col: pd.Series) -> np.ndarray:
    """Which categories of a categorical column some row holds, from its codes (no unique of the
    values: ``remove_unused_categories`` finds them that way)."""
    codes = col.cat.codes.to_numpy()
    return np.bincount(codes[codes >= 0], minlength=len(col.cat.categories)) > 0


def _category(col: pd.Series) -> pd.Series:
    """``col`` as a categorical of strings whose categories are its values, sorted (what
    ``astype("string").astype("category")`` gives, without a string per row for a categorical)."""
    if not isinstance(col.dtype, pd.CategoricalDtype):
        return col.astype("string").astype("category")
    if not used_categories(col).all():
        col = col.cat.remove_unused_categories()
    cats = pd.Index(col.cat.categories.astype("string"))
    if cats.is_unique and cats.is_monotonic_increasing and not cats.isna().any():
        return col.cat.rename_categories(cats) if cats.dtype != col.cat.categories.dtype else col
    return col.astype("string").astype("category")


def local_day(ts: pd.Series, tz: str | None = None) -> pd.Series:
    """The local calendar day (naive midnight, ``datetime64[ns]``) of each timestamp.

    The one rule for "which day is this" (metrics.md: a post belongs to the day of
    its publish time in the client's timezone). Tz-aware timestamps are converted
    to ``tz`` first when it is given (the canonical tables already hold the
    client's zone); naive values are taken as local already.
    """
    if isinstance(ts.dtype, pd.DatetimeTZDtype):
        if tz is not None:
            ts = ts.dt.tz_convert(tz)
        ts = ts.dt.tz_localize(None)
    return pd.to_datetime(ts).dt.normalize().astype("datetime64[ns]")
