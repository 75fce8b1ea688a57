"""Load a client folder: config + every export -> :class:`~smmkit.io.client.Client`."""

from __future__ import annotations

import datetime as dt
import hashlib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from smmkit.config import load_config
from smmkit.errors import FormatError, InputError
from smmkit.io import cache as cache_mod
from smmkit.io import fast, formats
from smmkit.io.client import Client, FileInfo, Issue
from smmkit.io.readers import RawFile, norm, read_file, shown
from smmkit.io.schema import TABLES, conform, local_day, used_categories

__all__ = ["export_files", "load_client", "load_export", "recognise", "closest_format"]

#: The columns that identify one row: a later export of the same key replaces an earlier one.
KEYS: dict[str, tuple[str, ...]] = {
    "posts": ("network", "post_id"),
    "audience": ("network", "date"),
    "ads": ("date", "date_end", "network", "campaign"),
    "inbox": ("network", "message_id"),
    "mentions": ("published_at", "brand", "network", "author", "url", "text"),
    "web": ("date_start", "date_end", "source", "medium", "channel_group"),
}
_DAY_COLUMN = {
    "posts": "published_at",
    "audience": "date",
    "ads": "date",
    "inbox": "received_at",
    "mentions": "published_at",
    "web": "date_end",
}


def _entries(client_dir: str | Path) -> list[Path]:
    """Every path under ``exports/``, sorted; hidden ones and ``exports/ignore/`` skipped."""
    root = Path(client_dir) / "exports"
    if not root.is_dir():
        return []
    out = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or (rel.parts and rel.parts[0] == "ignore"):
            continue
        out.append(p)
    return out


def export_files(client_dir: str | Path) -> list[Path]:
    """Every export under ``exports/``, sorted; hidden files and ``exports/ignore/`` skipped."""
    return [p for p in _entries(client_dir) if p.is_file()]


def dangling_links(client_dir: str | Path) -> list[Issue]:
    """A warning for each symbolic link under ``exports/`` whose target does not exist (an export
    moved or deleted): the file it stood for is not read, and ``validate`` says so."""
    return [
        Issue(
            "warning",
            f"a symbolic link to {str(p.readlink())!r}, which does not exist: not read",
            path=str(p),
        )
        for p in _entries(client_dir)
        if p.is_symlink() and not p.exists()
    ]


def closest_format(raw: RawFile) -> tuple[str, list[str]]:
    """The known format sharing the most header names with the file (sheet names count as
    names; a ``#`` preamble counts for the GA4 formats, which have one), and the signature
    names it lacks (for "matches no known format" errors). Ties go to the format whose
    signature is the more complete."""
    keys = {norm(h) for t in raw.tables for h in t.header} | {norm(t.sheet) for t in raw.tables if t.sheet}
    keys |= {norm(c) for t in raw.tables for r in t.rows[:12] for c in r}  # a header below a title block
    hashed = any(p.startswith("#") for t in raw.tables for p in t.preamble)
    best, best_score, missing = "none", (0, 0.0), []
    for fmt in formats.FORMATS:
        sig = [norm(s) for s in fmt.signature]
        if not sig:
            continue
        shared = sum(s in keys for s in sig) + (1 if hashed and fmt.name.startswith("ga4") else 0)
        score = (shared, shared / len(sig))
        if score > best_score:
            best, best_score = fmt.label, score
            missing = [s for s, n in zip(fmt.signature, sig, strict=True) if n not in keys]
    return best, missing


def recognise(raw: RawFile) -> formats.Format:
    """The format of a read export, or a FormatError naming the closest known format."""
    fmt = formats.detect(raw)
    path = raw.path
    if fmt is None:
        closest, missing = closest_format(raw)
        header = raw.first.header if raw.first else []
        hint = f" (it lacks {', '.join(repr(m) for m in missing[:4])})" if missing else ""
        closest = (
            f"the closest is {closest}{hint}" if closest != "none" else "no known format shares a column name"
        )
        raise FormatError(
            f"matches no known export format; {closest}. Header seen: "
            f"{', '.join(shown(h) for h in header[:8] if h)}{' ...' if len(header) > 8 else ''}",
            path=path,
            line=raw.first.header_line if raw.first else 1,
        )
    return fmt


def load_export(
    path: str | Path,
    *,
    tz: str = "UTC",
    anchor_day: dt.date | None = None,
    raw: RawFile | None = None,
    currency: str | None = None,
    ctx: formats.LoadContext | None = None,
) -> tuple[formats.Format, dict[str, pd.DataFrame]]:
    """Read, recognise and load one export into canonical tables (not yet conformed).

    ``anchor_day`` is the latest day of the client's other exports, used to give
    TikTok's year-less dates their year (default: today). ``currency`` is the
    client's (ad exports in another currency are an error). A format that is
    recognised but not used loads as no table at all.
    """
    path = Path(path)
    ctx = ctx or formats.LoadContext(tz=tz, anchor_day=anchor_day, currency=currency)

    def load() -> tuple[formats.Format, dict[str, pd.DataFrame]]:
        nonlocal raw
        raw = raw if raw is not None else read_file(path)
        fmt = recognise(raw)
        if fmt.refuse:
            line = raw.first.header_line if raw.first else 1
            raise FormatError(f"a {fmt.label}: {fmt.refuse}", path=path, line=line)
        return fmt, {} if fmt.unused else fmt.load(raw, ctx)

    return _guarded(path, load, ctx)


def _guarded(path: Path, load, ctx: formats.LoadContext) -> tuple[formats.Format, dict[str, pd.DataFrame]]:
    """Run a loader at the file boundary: one row per post checked, library warnings kept as the
    file's, every error an InputError naming the file."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fmt, tables = load()
            # Columns formats.base.build found all different while reading (attrs the caller never sees).
            known = {name: t.attrs.pop(fast.DISTINCT, ()) for name, t in tables.items()}
            if "posts" in tables:
                distinct = "post_id" in known["posts"]
                tables["posts"].attrs[UNIQUE] = unique_posts(
                    tables["posts"], label=fmt.label, ids_distinct=distinct
                )
    except InputError as exc:
        raise exc.with_location(path=str(path)) from None
    except fast.NotPlain:
        raise
    except Exception as exc:
        raise _unexpected(path, exc) from exc
    ctx.warnings.extend(_library_warnings(caught))
    return fmt, tables


def _load_plain(path: Path, data: pa.Buffer, ctx: formats.LoadContext):
    """The fast path (:mod:`smmkit.io.fast`): a plain CSV of a format that loads from columns.
    None when the file is not one (the exact readers then read it)."""
    head = fast.plain_head(path, data)
    fmt = formats.detect(head) if head is not None else None
    if fmt is None or fmt.load_table is None or fmt.refuse or fmt.unused or fmt.yearless:
        return None
    types = fmt.typed(head.first) if fmt.typed else None
    for attempt in (types, None) if types else (None,):
        table = fast.plain_table(path, data, attempt, head=head)
        if table is None:
            continue
        reading = formats.LoadContext(tz=ctx.tz, anchor_day=ctx.anchor_day, currency=ctx.currency)
        try:
            done = _guarded(path, lambda t=table, c=reading: (fmt, fmt.load_table(t, c)), reading)
        except fast.NotPlain:
            continue  # a value the typed read cannot word an error for: read as strings
        for name in ("headers", "read", "warnings", "notes"):
            setattr(ctx, name, getattr(reading, name))
        return done
    return None


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


def _library_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    """Warnings that libraries raised while reading, as the kit's own words.

    openpyxl and xlrd warn about workbook styles, data validation and extensions they
    drop: they concern formatting, never a cell value, so they are silenced. Any other
    user warning is kept as its message only (no library path, no traceback)."""
    out = []
    for w in caught:
        module = Path(str(w.filename)).parts
        if "openpyxl" in module or "xlrd" in module or not issubclass(w.category, UserWarning):
            continue  # deprecations and numeric runtime warnings are for developers, not about the file
        text = str(w.message).strip().splitlines()[0] if str(w.message).strip() else type(w.message).__name__
        if text not in out:
            out.append(f"while reading this file: {text}")
    return out


def _one_line(exc: InputError) -> InputError:
    """``exc`` as one bounded line, whatever a reader put in it: its column (a header name as written)
    cut and escaped (:func:`~smmkit.io.readers.shown`), its message escaped and cut to 1000 characters."""
    column = None if exc.column is None else shown(exc.column, quote=False)
    message = "".join(c if c.isprintable() else repr(c)[1:-1] for c in exc.message[:1000])
    message += "..." if len(exc.message) > 1000 else ""
    if (column, message) == (exc.column, exc.message):
        return exc
    return type(exc)(message, path=exc.path, line=exc.line, column=column)


def _unexpected(path: Path, exc: Exception) -> InputError:
    """The last line of defence at the file boundary: a parser failure the readers did not
    foresee becomes an InputError naming the file (so no traceback reaches the user)."""
    return InputError(
        f"could not load this file ({type(exc).__name__}: {exc}); this is a bug in smmkit, "
        "please report it with the file",
        path=path,
    )


def _read_bytes(path: Path) -> pa.Buffer:
    """The file's bytes (:func:`smmkit.io.fast.read`: in Arrow's memory, not a Python ``bytes``)."""
    try:
        return fast.read(path)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", path=path) from None


def _read_and_recognise(path: Path, data: pa.Buffer | None = None) -> tuple[RawFile, formats.Format]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # read again, with warnings kept, by load_export
            raw = read_file(path, data=data.to_pybytes() if data is not None else None)
        return raw, recognise(raw)
    except InputError:
        raise
    except Exception as exc:
        raise _unexpected(path, exc) from exc


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
    issues: list[Issue],
    *,
    unique: bool = False,
    one_file: bool = False,
) -> tuple[pd.DataFrame, bool]:
    """Merge rows that several exports hold for the same post/day/message.

    For each column, the value of the latest export that has one wins (exports are
    ordered by the last day they cover, then by path). Exports that complement each
    other (LinkedIn followers and visitors for the same day) merge silently; where two
    exports both carry a value for the same row and column, ``validate`` warns that
    the exports overlap and that the later one is used.

    Returns the frame and whether rows were merged (then its dtypes need conforming again).
    ``unique`` says that the keys are already known not to repeat (:func:`unique_posts`), and
    ``one_file`` that every row comes from one export (its rank is the same for all rows).
    """
    if frame.empty:
        return frame, False
    keys = [k for k in KEYS[table] if k in frame.columns]
    lines = frame["_line"]
    if one_file:
        if not (lines.notna().all() and lines.is_monotonic_increasing):
            frame = frame.sort_values("_line", kind="stable")
    else:
        rank = _ranks(frame["_file"], files_order)
        at = np.lexsort((lines.to_numpy(dtype=np.float64, na_value=np.inf), np.nan_to_num(rank, nan=np.inf)))
        if (np.diff(at) < 0).any():
            frame = frame.take(at)
    if unique:
        return frame.reset_index(drop=True), False
    dup = frame.duplicated(keys, keep=False)
    if not dup.any():
        return frame.reset_index(drop=True), False
    dups = frame[dup]
    values = [c for c in frame.columns if c not in keys and not c.startswith("_")]
    groups = dups.groupby(keys, observed=True, sort=False, dropna=False)
    # Where two exports carry a value for the same row and column, the later one wins:
    # say which file lost to which, column by column.
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
    merged = groups.last().reset_index()
    out = pd.concat([frame[~dup], merged], ignore_index=True)
    return out.reset_index(drop=True), True


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


def _sorted(frame: pd.DataFrame, by: list[str], files: list[str], *, one_file: bool = False) -> pd.DataFrame:
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


def _all_missing(array) -> bool:
    mask = getattr(array, "_mask", None)  # pandas' masked (nullable) arrays
    if mask is not None:
        return bool(mask.all())
    values = getattr(array, "_pa_array", None)  # pyarrow-backed (string[pyarrow])
    return values is not None and values.null_count == len(values)


def _take(frame: pd.DataFrame, at: np.ndarray, *, same: set[str]) -> pd.DataFrame:
    """``frame.take(at).reset_index(drop=True)`` column by column, where a column of one value (one
    export's path in ``same``; a metric the exports do not have, all missing) is not reordered: it is
    the same column in any order. Most of a canonical posts table's Int64 columns are such."""

    def take(name: str):
        array = frame[name].array
        if name in same or _all_missing(array):
            return array
        if isinstance(array, pd.arrays.IntegerArray) and not array._mask.any():
            return pd.arrays.IntegerArray(array._data.take(at), np.zeros(len(at), dtype=bool))
        return array.take(at)  # the array's own take: a Series' checks the indices again

    names = list(frame.columns)
    out = {
        name: done.get() for name, done in zip(names, fast.in_threads(take, names, rows=len(at)), strict=True)
    }
    taken = pd.DataFrame(out, index=range(len(frame)), copy=False)
    taken.attrs = frame.attrs
    return taken


def load_client(path: str | Path, *, strict: bool = True, cache: bool | None = None) -> Client:
    """Load one client folder.

    Parameters
    ----------
    path
        The client folder (``<clients-dir>/<slug>``).
    strict
        If true (the default), the first unusable export raises its
        :class:`~smmkit.errors.InputError`. If false, unusable files are
        recorded in ``Client.issues`` and ``Client.files`` and skipped (what
        ``smmkit validate`` uses to list every problem).
    cache
        Keep the finished tables, and each export's parsed tables, in ``<client>/.smmkit-cache/``
        (Arrow IPC and Parquet, keyed by the raw files' content hashes; :mod:`smmkit.io.cache`) and read them
        back while the raw files are unchanged. Default: on, unless the environment variable
        ``SMMKIT_CACHE`` is ``0``.
    """
    client_dir = Path(path)
    config = load_config(client_dir)
    tz = config.timezone
    issues: list[Issue] = []
    infos: list[FileInfo] = []
    loaded: list[tuple[FileInfo, dict[str, pd.DataFrame]]] = []
    deferred: list[tuple[Path, RawFile]] = []

    def record(p: Path, fmt, tables, ctx: formats.LoadContext | None = None) -> None:
        rows = {k: len(v) for k, v in tables.items()}
        days = []
        nets: set[str] = set()
        for name, frame in tables.items():
            first, last = ("date_start", "date_end") if name == "web" else (_DAY_COLUMN[name],) * 2
            if first in frame and len(frame):
                lo, hi = pd.Series(frame[first]), pd.Series(frame[last])
                # The earliest instant's day is the earliest day: two values to convert, not every one.
                if lo.dtype.kind == "M" and lo.dtype == hi.dtype:
                    lo, hi = pd.Series([lo.min()], dtype=lo.dtype), pd.Series([hi.max()], dtype=hi.dtype)
                days.extend([local_day(lo).min(), local_day(hi).max()])
            if "network" in frame and name != "mentions":
                col = pd.Series(frame["network"])
                if isinstance(col.dtype, pd.CategoricalDtype):
                    nets |= {str(n) for n in col.cat.categories[used_categories(col)]}
                else:
                    nets |= {str(n) for n in col.dropna().unique()}
        days = [d for d in days if not pd.isna(d)]
        if not tables and fmt.network:
            nets = {fmt.network}
        info = FileInfo(
            p, fmt.name, tuple(sorted(nets)), rows, min(days) if days else None, max(days) if days else None,
            unused=fmt.unused, ignored=tuple(ctx.ignored()) if ctx is not None and not fmt.unused else (),
        )  # fmt: skip
        infos.append(info)
        loaded.append((info, tables))
        for text in ctx.warnings if ctx is not None else ():
            issues.append(Issue("warning", text, path=str(p)))
        for text in ctx.notes if ctx is not None else ():
            issues.append(Issue("note", text, path=str(p)))

    def fail(p: Path, exc: InputError) -> None:
        exc = _one_line(exc)
        if strict:
            raise exc
        infos.append(FileInfo(p, None, error=exc.location_message()))
        issues.append(Issue("error", exc.message, exc.path or str(p), exc.line, exc.column))

    use_cache = cache_mod.enabled(cache)
    keys: set[str] = set()
    files = export_files(client_dir)
    digests, whole, hit = (
        cache_mod.lookup_client(client_dir, files, _digests, tz=tz, currency=config.currency)
        if use_cache
        else (None, None, None)
    )
    if hit is not None:
        client = _cached_client(config, *hit)
        client.issues.extend(dangling_links(client_dir))  # not in the entry: links are not exports
        return client
    for n, p in enumerate(files):
        try:
            data = _read_bytes(p)
            if whole is not None and hashlib.sha256(data).digest() != digests[n][1]:
                whole = None  # the file changed while loading: no client entry for what was read
            key = cache_mod.entry_key(p, data, tz=tz, currency=config.currency) if use_cache else None
            hit = cache_mod.read(client_dir, key) if key else None
            if hit is not None:
                keys.add(key)
                name, tables, meta = hit
                ctx = formats.LoadContext(tz=tz, currency=config.currency, warnings=list(meta["warnings"]),
                                          notes=list(meta["notes"]), headers={(None, 0): list(meta["ignored"])})  # fmt: skip
                record(p, formats.by_name(name), tables, ctx)
                continue
            ctx = formats.LoadContext(tz=tz, currency=config.currency)
            done = _load_plain(p, data, ctx)
            if done is None:
                raw, fmt = _read_and_recognise(p, data)
                if fmt.yearless:
                    deferred.append((p, raw))
                    continue
                done = load_export(p, raw=raw, ctx=ctx)
            fmt, tables = done
        except InputError as exc:
            fail(p, exc)
            continue
        if key and cache_mod.write(client_dir, key, fmt.name, tables, warnings=ctx.warnings, notes=ctx.notes,
                                   ignored=() if fmt.unused else ctx.ignored()):  # fmt: skip
            keys.add(key)
        record(p, fmt, tables, ctx)
    today = False
    if deferred:
        last = [i.last_day for i in infos if i.last_day is not None]
        anchor = max(last).date() if last else dt.date.today()
        if not last:
            today = True  # the result depends on the day it is loaded: no client entry
            issues.append(
                Issue(
                    "warning",
                    "exports with days but no year (TikTok) and no other dated export: their latest day is "
                    f"taken to be on or before today ({anchor.isoformat()}); add another export to pin the year",
                    path=str(deferred[0][0]),
                )
            )
        for p, raw in deferred:
            try:
                ctx = formats.LoadContext(tz=tz, anchor_day=anchor, currency=config.currency)
                fmt, tables = load_export(p, raw=raw, ctx=ctx)
            except InputError as exc:
                fail(p, exc)
                continue
            record(p, fmt, tables, ctx)
    infos.sort(key=lambda i: str(i.path))

    # Later exports win: order files by the last day they cover, then by path.
    order = sorted(
        (i for i in infos if i.format),
        key=lambda i: (i.last_day if i.last_day is not None else pd.Timestamp.min, str(i.path)),
    )
    rank = {str(i.path): n for n, i in enumerate(order)}
    paths = [str(i.path) for i in infos]
    frames: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        raw = [t[table] for _, t in loaded if table in t and len(t[table])]
        unique = len(raw) == 1 and bool(raw[0].attrs.get(UNIQUE))
        parts = [conform(t, table, tz=tz) for t in raw]
        frame = _concat(parts) if len(parts) > 1 else parts[0] if parts else None
        if frame is None:
            frame = conform(pd.DataFrame(), table, tz=tz)
        frame, merged = _dedupe(table, frame, rank, issues, unique=unique, one_file=len(parts) == 1)
        if merged or len(parts) > 1:
            frame = conform(frame, table, tz=tz)
        order = [c for c in ("network", _DAY_COLUMN[table], "_file", "_line") if c in frame.columns]
        if table == "web":
            order = ["date_start", "date_end", "_file", "_line"]
        frames[table] = _sorted(frame, order, paths, one_file=len(parts) == 1)
    issues.extend(_range_overlaps(frames["web"], "date_start", "date_end", ("source", "medium"), "web"))
    issues.extend(_range_overlaps(frames["ads"], "date", "date_end", ("network", "campaign"), "ads"))
    if whole is not None and not today and all(i.format for i in infos):  # a result of the raw files alone
        entry = {"files": [_info_json(i) for i in infos], "issues": [_issue_json(i) for i in issues]}
        if cache_mod.write_client(client_dir, whole, frames, **entry):
            keys.add(whole)
    if use_cache:
        cache_mod.prune(client_dir, keys)
    issues.extend(dangling_links(client_dir))  # after the client entry is written: checked on every load
    return Client(config=config, files=infos, issues=issues, **frames)


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


def _digests(files: list[Path]) -> list[tuple[str, bytes]] | None:
    """Each export's path and sha256 (the client entry's key), or None when one cannot be read
    (the load then says so)."""
    out = []
    for p in files:
        try:
            with p.open("rb") as f:
                out.append((str(p), hashlib.file_digest(f, "sha256").digest()))
        except OSError:
            return None
    return out


def _day_json(day: pd.Timestamp | None) -> list | None:
    return None if day is None else [day.isoformat(), day.unit, str(day.tz) if day.tz else None]


def _day(value: list | None) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value[0], tz=value[2]).as_unit(value[1])


def _info_json(i: FileInfo) -> dict:
    return {"path": str(i.path), "format": i.format, "networks": list(i.networks), "rows": i.rows,
            "first_day": _day_json(i.first_day), "last_day": _day_json(i.last_day), "error": i.error,
            "unused": i.unused, "ignored": list(i.ignored)}  # fmt: skip


def _issue_json(i: Issue) -> dict:
    return {"level": i.level, "message": i.message, "path": i.path, "line": i.line, "column": i.column}


def _cached_client(config, tables: dict[str, pd.DataFrame], meta: dict) -> Client:
    """The Client of a client cache entry (:func:`smmkit.io.cache.read_client`)."""
    files = [
        FileInfo(
            Path(f["path"]),
            f["format"],
            tuple(f["networks"]),
            dict(f["rows"]),
            _day(f["first_day"]),
            _day(f["last_day"]),
            f["error"],
            f["unused"],
            tuple(f["ignored"]),
        )  # fmt: skip
        for f in meta["files"]
    ]
    return Client(config=config, files=files, issues=[Issue(**i) for i in meta["issues"]], **tables)


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
