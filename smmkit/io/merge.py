"""Merging the canonical tables of a client's exports: concatenate, de-duplicate (the later
export wins), sort, and warn where exports overlap.

:func:`merge_tables` is step 4 of docs/architecture.md ("From an export file to an HTML page"),
called by :func:`smmkit.io.loading.load_client`; :func:`unique_posts` checks one file's posts
as it is loaded. The sorting works on NumPy keys (category codes, int64 instants, file ranks)
with stable argsorts, and reorders only the columns that are not one value throughout.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smmkit.errors import InputError
from smmkit.io import fast
from smmkit.io.client import FileInfo, Issue
from smmkit.io.schema import TABLES, conform

__all__ = ["DAY_COLUMN", "KEYS", "UNIQUE", "merge_tables", "overlap_warnings", "sort_rows", "unique_posts"]

KEYS: dict[str, tuple[str, ...]] = {
    "posts": ("network", "post_id"),
    "audience": ("network", "date"),
    "ads": ("date", "date_end", "network", "campaign"),
    "inbox": ("network", "message_id"),
    "mentions": ("published_at", "brand", "network", "author", "url", "text"),
    "web": ("date_start", "date_end", "source", "medium", "channel_group"),
}
#: The column whose local day orders a table's rows (after ``network``) and dates a file.
DAY_COLUMN: dict[str, str] = {
    "posts": "published_at",
    "audience": "date",
    "ads": "date",
    "inbox": "received_at",
    "mentions": "published_at",
    "web": "date_end",
}


_POST_VALUES = ("published_at", "impressions", "reach", "likes", "comments", "shares", "saves", "clicks",
                "video_views")  # fmt: skip


#: ``attrs`` flag of a file's posts table: no (network, post_id) repeats (set by :func:`unique_posts`,
#: kept by the cache), so merging a table of one file needs no duplicate check of its own.
UNIQUE = "unique_keys"


def unique_posts(posts: pd.DataFrame, *, label: str, ids_distinct: bool = False) -> bool:
    """One row per post in a per-post export: the same post ID twice with different values is an
    error at the second row. It is what a per-day table looks like (YouTube ``Chart data``, a
    by-date content export): summing its rows as lifetime totals would count each post once per
    day. Exact repeats of a row carry no new number and are dropped by the caller's dedupe.

    Returns True when no (network, post_id) repeats at all (the merge's keys: :data:`KEYS`).
    ``ids_distinct``: no post ID repeats, as found while the file was read."""
    if posts.empty:
        return True
    if "post_id" not in posts:
        return False
    keys = [k for k in ("network", "post_id") if k in posts]
    if keys != list(KEYS["posts"]):
        return False
    if ids_distinct or _all_distinct(posts["post_id"]):
        return True  # no post ID twice, so no (network, post ID) twice
    dup = posts.duplicated(keys, keep=False)
    if not dup.any():
        return True
    values = [c for c in _POST_VALUES if c in posts]
    for _, group in posts[dup].groupby(keys, sort=False, dropna=False):
        first = group.iloc[0]
        for _, row in group.iloc[1:].iterrows():
            differ = [c for c in values if not _same(first[c], row[c])]
            if differ:
                headers = posts.attrs.get("headers", {})
                raise InputError(
                    f"post ID {row['post_id']!r} again (first at line {int(first['_line'])}) with other values "
                    f"({', '.join(headers.get(c, c) for c in differ[:3])}): a {label} file has one row per "
                    "post with its lifetime totals; rows repeating a post (one per day) are a per-day table, "
                    "which the kit does not sum as per-post totals. Export the per-post (lifetime) table",
                    path=row["_file"],
                    line=int(row["_line"]),
                    column=headers.get("post_id", "post_id"),
                )
    return False


def _all_distinct(col: pd.Series) -> bool:
    """Whether no value of ``col`` repeats (missing values count as one value, as in
    ``duplicated``) for a pyarrow-backed column (:func:`smmkit.io.fast.distinct`, else pyarrow's
    hashing), else False (not known)."""
    if not isinstance(col.dtype, pd.StringDtype) or col.dtype.storage != "pyarrow":
        return False
    values = pa.chunked_array(pa.array(col.array))
    return bool(fast.distinct(values)) or len(pc.unique(values)) == len(col)  # a null: one value of unique's


def _same(a, b) -> bool:
    return (pd.isna(a) and pd.isna(b)) or (not pd.isna(a) and not pd.isna(b) and a == b)


def _ranks(files: pd.Series, order: dict[str, int]) -> np.ndarray:
    """``files.map(order)`` as floats (NaN for a file not in ``order``), looked up in C."""
    if isinstance(files.dtype, pd.CategoricalDtype):  # each path once: the codes pick its rank
        ranks = np.array([order.get(str(f), np.nan) for f in files.cat.categories] + [np.nan])
        return ranks[files.cat.codes.to_numpy()]  # code -1 (no path): the NaN after them
    values = pa.array(files.array) if isinstance(files.dtype, pd.StringDtype) else None
    if values is None or not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        return files.map(order).to_numpy(dtype=np.float64, na_value=np.nan)
    names = list(order)
    at = pc.index_in(values, value_set=pa.array(names, type=values.type)).to_numpy(zero_copy_only=False)
    ranks = np.append(np.asarray([order[n] for n in names], dtype=np.float64), np.nan)
    return ranks[np.where(np.isnan(at), len(names), at).astype(np.int64)]


def _dedupe(
    table: str,
    frame: pd.DataFrame,
    files_order: dict[str, int],
    *,
    unique: bool = False,
    one_file: bool = False,
) -> tuple[pd.DataFrame, bool, list[Issue]]:
    """Merge rows that several exports hold for the same post/day/message.

    For each column, the value of the latest export that has one wins (exports are
    ordered by the last day they cover, then by path). Exports that complement each
    other (LinkedIn followers and visitors for the same day) merge silently; where two
    exports both carry a value for the same row and column, ``validate`` warns that
    the exports overlap and that the later one is used.

    Returns the frame, whether rows were merged (then its dtypes need conforming again) and the
    overlap warnings. ``unique`` says that the keys are already known not to repeat
    (:func:`unique_posts`), and ``one_file`` that every row comes from one export (its rank is
    the same for all rows).
    """
    if frame.empty:
        return frame, False, []
    keys = [k for k in KEYS[table] if k in frame.columns]
    frame = _in_export_order(frame, files_order, one_file=one_file)
    if unique:
        return frame.reset_index(drop=True), False, []
    dup = frame.duplicated(keys, keep=False)
    if not dup.any():
        return frame.reset_index(drop=True), False, []
    dups = frame[dup]
    issues = _overlapping_values(table, dups, keys)
    merged = dups.groupby(keys, observed=True, sort=False, dropna=False).last().reset_index()
    out = pd.concat([frame[~dup], merged], ignore_index=True)
    return out.reset_index(drop=True), True, issues


def _in_export_order(frame: pd.DataFrame, files_order: dict[str, int], *, one_file: bool) -> pd.DataFrame:
    """The rows ordered by their export's rank in ``files_order``, then by line (stable)."""
    lines = frame["_line"]
    if one_file:
        if not (lines.notna().all() and lines.is_monotonic_increasing):
            frame = frame.sort_values("_line", kind="stable")
    else:
        rank = _ranks(frame["_file"], files_order)
        at = np.lexsort((lines.to_numpy(dtype=np.float64, na_value=np.inf), np.nan_to_num(rank, nan=np.inf)))
        if (np.diff(at) < 0).any():
            frame = frame.take(at)
    return frame


def _overlapping_values(table: str, dups: pd.DataFrame, keys: list[str]) -> list[Issue]:
    """Where two exports carry a value for the same row and column, the later one wins:
    a warning per pair of files saying which file lost to which (``dups``: the repeated rows,
    in export order)."""
    values = [c for c in dups.columns if c not in keys and not c.startswith("_")]
    pairs: dict[tuple[str, str], list[int]] = {}
    for col in values:
        sub = dups[dups[col].notna()]
        if sub.empty:
            continue
        g = sub.groupby(keys, observed=True, sort=False, dropna=False)
        winner = g["_file"].transform("last")
        lost = (g[col].transform("size") > 1) & (sub["_file"] != winner)
        for old, new, line in zip(sub.loc[lost, "_file"], winner[lost], sub.loc[lost, "_line"], strict=True):
            pairs.setdefault((old, new), []).append(int(line))
    issues = []
    for (old, new), lines in sorted(pairs.items()):
        rows = len(set(lines))
        issues.append(
            Issue(
                "warning",
                f"overlapping exports: {rows} {table} row{'s' if rows != 1 else ''} (e.g. line {min(lines)}) "
                f"also in {new}, the later export, whose values are used",
                path=str(old),
            )
        )
    return issues


def _sort_keys(col: pd.Series) -> list[np.ndarray] | None:
    """``np.lexsort`` keys (least significant first) that order ``col`` as ``sort_values`` does
    (ascending, missing values last); None for a column of another kind."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy()
        if not col.cat.categories.is_monotonic_increasing and not col.cat.ordered:
            return None  # sort_values orders an unordered categorical by its categories' order
        small = np.int16 if len(col.cat.categories) < 2**15 - 1 else np.int64  # argsort: radix for 16 bits
        return [np.where(codes < 0, len(col.cat.categories), codes).astype(small)]
    if col.dtype.kind == "M":
        values = np.asarray(col.array.asi8)  # the instant (UTC) for a tz-aware column, as sort_values
        na = col.isna().to_numpy()
        return [values, na] if na.any() else [values]
    if col.dtype.kind in "iu":
        return [col.to_numpy()]
    if isinstance(col.dtype, pd.Int64Dtype):
        na = col.isna().to_numpy()
        return [col.to_numpy(dtype=np.int64, na_value=0), na]
    return None


def sort_rows(
    frame: pd.DataFrame, by: list[str], files: list[str], *, one_file: bool = False
) -> pd.DataFrame:
    """``frame.sort_values(by, kind="stable").reset_index(drop=True)``, with stable argsorts on
    category codes, int64 timestamps and the rank of ``_file`` among ``files`` (all the paths).
    ``one_file``: the rows come from one export, so ``_file`` needs no rank if it has one value."""
    keys: list[np.ndarray] = []
    same: set[str] = set()  # columns of one value: any order of rows leaves them as they are
    for name in reversed(by):
        col = frame[name]
        if name == "_file" and one_file and fast.one_value(col) is not None:
            same.add(name)
            continue
        if name == "_file":
            order = {f: n for n, f in enumerate(sorted(set(files)))}
            rank = _ranks(col, order)
            if np.isnan(rank).any():
                return frame.sort_values(by, kind="stable").reset_index(drop=True)
            got = [rank]
        else:
            got = _sort_keys(col)
            if got is None:
                return frame.sort_values(by, kind="stable").reset_index(drop=True)
        keys.extend(got)
    if not keys or len(frame) < 2 or _in_order(keys):
        return frame.reset_index(drop=True)
    return _take(frame, _lexsort(keys), same=same)


def _lexsort(keys: list[np.ndarray]) -> np.ndarray:
    """``np.lexsort(keys)`` as one stable argsort per key, least significant first (the order is
    the same: lexsort is stable too). Leading keys already in order need no sort (often ``_line``
    and the path), timsort is fast on the nearly sorted times, and radix sort on 16-bit codes."""
    order = None
    for key in keys:
        if order is None:
            if not (key[1:] < key[:-1]).any():
                continue  # already non-decreasing: a stable sort of it keeps the rows where they are
            order = np.argsort(key, kind="stable")
        else:
            order = order[np.argsort(key[order], kind="stable")]
    return order if order is not None else np.arange(len(keys[0]))


def _in_order(keys: list[np.ndarray]) -> bool:
    """Whether the rows are already in the order ``np.lexsort(keys)`` gives (keys least significant
    first): each row's keys are not after the next row's. Rows with equal keys keep their order."""
    tied = np.ones(len(keys[0]) - 1, dtype=bool)  # pairs whose more significant keys are equal
    for key in reversed(keys):
        now, after = key[:-1], key[1:]
        if (tied & (after < now)).any():
            return False
        tied &= now == after
        if not tied.any():
            break
    return True


#: pandas' masked (nullable) arrays: Int64, Float64, boolean.
_MASKED = (pd.arrays.IntegerArray, pd.arrays.FloatingArray, pd.arrays.BooleanArray)


def _all_missing(array) -> bool:
    """Whether a nullable or pyarrow-backed array holds no value (False for other arrays: not looked at)."""
    if isinstance(array, _MASKED):
        return bool(array.isna().all())
    values = fast.arrow_values(array)  # pyarrow-backed (string[pyarrow])
    return values is not None and values.null_count == len(values)


def _take(frame: pd.DataFrame, at: np.ndarray, *, same: set[str]) -> pd.DataFrame:
    """``frame.take(at).reset_index(drop=True)`` column by column, where a column of one value (one
    export's path in ``same``; a metric the exports do not have, all missing) is not reordered: it is
    the same column in any order. Most of a canonical posts table's Int64 columns are such."""

    def take(name: str):
        array = frame[name].array
        if name in same or _all_missing(array):
            return array
        if isinstance(array, pd.arrays.IntegerArray) and not array.isna().any():
            values = array.to_numpy(dtype=array.dtype.numpy_dtype)  # no missing value: no copy
            return pd.arrays.IntegerArray(values.take(at), np.zeros(len(at), dtype=bool))
        return array.take(at)  # the array's own take: a Series' checks the indices again

    names = list(frame.columns)
    out = {
        name: done.get() for name, done in zip(names, fast.in_threads(take, names, rows=len(at)), strict=True)
    }
    taken = pd.DataFrame(out, index=range(len(frame)), copy=False)
    taken.attrs = frame.attrs
    return taken


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat`` of conformed tables whose categorical columns stay categorical: each takes the
    sorted union of the parts' categories first (concatenating categoricals whose categories differ
    gives strings, which conform would turn back into a categorical value by value)."""
    parts = list(parts)
    for name, dtype in parts[0].dtypes.items():
        if not isinstance(dtype, pd.CategoricalDtype):
            continue
        cats = [p[name].cat.categories for p in parts]
        union = pd.Index(sorted(set().union(*cats)), dtype=cats[0].dtype)
        parts = [p.assign(**{name: p[name].cat.set_categories(union)}) for p in parts]
    return pd.concat(parts, ignore_index=True)


def _range_overlaps(
    frame: pd.DataFrame, start: str, end: str, keys: tuple[str, ...], table: str
) -> list[Issue]:
    """Rows covering a date range (a GA4 table without Date, an ad export without Day) that
    overlap another file's rows of the same source or campaign: both are summed, so the same
    sessions or spend may count twice. Said as a warning: which file to keep is the user's call."""
    ranged = frame[frame[end] > frame[start]]
    if ranged.empty:
        return []
    cols = [*keys, start, end, "_file", "_line"]
    pairs = ranged[cols].merge(frame[cols], on=list(keys), suffixes=("", "_o"))
    hit = pairs[
        (pairs["_file"] != pairs["_file_o"])
        & (pairs[f"{start}_o"] <= pairs[end])
        & (pairs[f"{end}_o"] >= pairs[start])
    ]
    out, seen = [], set()
    for (file, other), part in hit.groupby(["_file", "_file_o"], sort=True):
        if frozenset((file, other)) in seen:
            continue
        seen.add(frozenset((file, other)))
        first = part.iloc[0]
        out.append(
            Issue(
                "warning",
                f"{table} rows covering {first[start].date()}..{first[end].date()} overlap rows of {other} for "
                f"the same {' / '.join(keys)}: both files are summed, so the same "
                f"{'sessions' if table == 'web' else 'spend'} may count twice; keep one of them "
                "(or move it to exports/ignore/)",
                path=str(file),
                line=int(first["_line"]),
            )
        )
    return out


def merge_tables(
    loaded: list[dict[str, pd.DataFrame]], files: list[FileInfo], *, tz: str
) -> tuple[dict[str, pd.DataFrame], list[Issue]]:
    """The six canonical tables of a client from each export's tables (in load order).

    Each table is conformed, concatenated, de-duplicated (later exports win: files are ranked
    by the last day they cover, then by path) and sorted by network, day, file and line (web:
    by its date range, file and line). ``files``: every export, sorted by path. Returns the
    tables and the warnings about exports that overlap.
    """
    order = sorted(
        (i for i in files if i.format),
        key=lambda i: (i.last_day if i.last_day is not None else pd.Timestamp.min, str(i.path)),
    )
    rank = {str(i.path): n for n, i in enumerate(order)}
    paths = [str(i.path) for i in files]
    frames: dict[str, pd.DataFrame] = {}
    issues: list[Issue] = []
    for table in TABLES:
        raw = [t[table] for t in loaded if table in t and len(t[table])]
        unique = len(raw) == 1 and bool(raw[0].attrs.get(UNIQUE))
        parts = [conform(t, table, tz=tz) for t in raw]
        frame = (
            _concat(parts) if len(parts) > 1 else parts[0] if parts else conform(pd.DataFrame(), table, tz=tz)
        )
        frame, merged, found = _dedupe(table, frame, rank, unique=unique, one_file=len(parts) == 1)
        issues.extend(found)
        if merged or len(parts) > 1:
            frame = conform(frame, table, tz=tz)
        by = [c for c in ("network", DAY_COLUMN[table], "_file", "_line") if c in frame.columns]
        if table == "web":
            by = ["date_start", "date_end", "_file", "_line"]
        frames[table] = sort_rows(frame, by, paths, one_file=len(parts) == 1)
    return frames, issues


def overlap_warnings(frames: dict[str, pd.DataFrame]) -> list[Issue]:
    """Web rows and ad rows covering a date range that overlap another export's (see
    :func:`_range_overlaps`)."""
    return [
        *_range_overlaps(frames["web"], "date_start", "date_end", ("source", "medium"), "web"),
        *_range_overlaps(frames["ads"], "date", "date_end", ("network", "campaign"), "ads"),
    ]
