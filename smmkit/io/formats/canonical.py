"""The kit-defined CSV files (data-contract.md section 2, "Kit-defined").

Each is recognised by its header: every column is a canonical name of one
table, and the identifying columns are there. Metric columns may be left
out (they are then unknown). ``network`` must be one of the contract's
networks (any value in ``mentions``), and ``sentiment`` one of positive,
neutral, negative.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smmkit.errors import FormatError, InputError
from smmkit.io.fast import TYPED, ColumnTable
from smmkit.io.formats.base import Col, Format, LoadContext, build, register
from smmkit.io.readers import RawFile, RawTable, norm, shown
from smmkit.io.schema import CANONICAL_HEADERS, CAT, COLUMNS, NETWORKS
from smmkit.io.sources import social_network

C = Col.of

IDENTIFYING: dict[str, tuple[str, ...]] = {
    "posts": ("network", "post_id", "published_at"),
    "audience": ("network", "date"),
    "ads": ("date", "network"),
    "inbox": ("network", "message_id", "received_at"),
    "mentions": ("published_at", "brand"),
    "web": ("date", "source"),
}
KINDS: dict[str, str] = {
    "post_id": "id", "message_id": "id", "published_at": "ts", "received_at": "ts", "first_reply_at": "ts",
    "date": "day", "is_question": "bool", "spend": "float", "engagement_time_s": "float",
    "conversions": "float", "leads": "float", "revenue": "float",
    "network": "str", "post_type": "str", "text": "str", "url": "str", "campaign": "str",
    "brand": "str", "sentiment": "str", "author": "str", "source": "str", "medium": "str",
}  # fmt: skip
SENTIMENTS = ("positive", "neutral", "negative")


def _spec(table: str) -> dict[str, Col]:
    ident = IDENTIFYING[table]
    spec = {}
    for name in CANONICAL_HEADERS[table]:
        kind = KINDS.get(name, "int")
        if table == "ads" and name == "leads":
            kind = "int"
        spec[name] = C(kind, name, required=name in ident)
    return spec


def _which(t: RawTable) -> str | None:
    keys = [k for k in t.keys if k]
    for table, header in CANONICAL_HEADERS.items():
        names = set(header)
        if set(IDENTIFYING[table]) <= set(keys) and sum(k in names for k in keys) >= len(keys) - 2:
            # At most two unknown columns are tolerated for recognition; they are then
            # reported by name (a typo), never silently ignored.
            metric = [k for k in keys if k in names and k not in IDENTIFYING[table]]
            if metric or table in ("inbox", "mentions"):
                return table
    return None


def _check_values(frame: pd.DataFrame, t, column: str, allowed: tuple[str, ...]) -> pd.Series:
    """The column stripped and case-folded, as a categorical (its few distinct values are cleaned
    once, not once per row); a value outside ``allowed`` is an error at its first row."""
    col = frame[column]
    if isinstance(col.dtype, pd.CategoricalDtype):  # read as a dictionary: its codes are the factorization
        codes, uniques = col.cat.codes.to_numpy(), col.cat.categories  # int8 codes, not widened
    else:
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
    clean = pd.Index(uniques, dtype="string").str.strip().str.casefold()
    bad_unique = ~clean.isin(allowed)
    missing_bad = column == "network" and bool((codes < 0).any())
    # Rows are looked at only when a value is bad (a dictionary may hold one no row uses: a total row's).
    bad = np.zeros(0, dtype=bool)
    if bad_unique.any() or missing_bad:
        bad = bad_unique[codes] & (codes >= 0) if len(clean) else np.zeros(len(codes), dtype=bool)
        if column == "network":
            bad |= codes < 0
    if bad.any():
        i = int(bad.nonzero()[0][0])
        got = frame[column].iloc[i]
        raise InputError(
            f"expected one of {', '.join(allowed)}; got {shown(got)}"
            if not pd.isna(got)
            else "expected a network, got an empty cell",
            path=t.path,
            line=int(t.lines[i]),
            column=t.header_name(column),
        )
    categories, inverse = (
        np.unique(np.asarray(clean, dtype=object), return_inverse=True) if len(clean) else ([], [])
    )
    dtype = pd.CategoricalDtype(pd.Index(list(categories), dtype="string"))
    inverse = np.asarray(inverse, dtype=np.int64)
    if not np.array_equal(inverse, np.arange(len(inverse))):  # else each value keeps its code
        remap = np.append(inverse, -1)  # code -1 (a missing value) stays missing
        codes = remap[codes]
    return pd.Series(
        pd.Categorical.from_codes(codes, dtype=dtype, validate=False), index=frame.index, name=column
    )


def _make(table: str):
    label = f"smmkit canonical {table}"

    def detect(raw: RawFile) -> bool:
        return raw.kind == "csv" and raw.first is not None and _which(raw.first) == table

    def load(raw: RawFile, ctx: LoadContext):
        return load_table(raw.first, ctx)

    def load_table(t: RawTable | ColumnTable, ctx: LoadContext):
        t = t.without_total_rows()
        known = set(CANONICAL_HEADERS[table])
        for name in t.header:
            if norm(name) and norm(name) not in known:
                raise FormatError(
                    f"unknown column {shown(name.strip())} in a {label} file; expected only: {', '.join(CANONICAL_HEADERS[table])}",
                    path=t.path,
                    line=t.header_line,
                    column=name.strip(),
                )
        frame = build(t, ctx, _spec(table), label=label)
        if "network" in frame and table != "mentions":
            frame["network"] = _check_values(frame, t, "network", NETWORKS)
        elif "network" in frame:
            frame["network"] = frame["network"].str.strip().str.casefold()
        if table == "mentions" and "sentiment" in frame:
            frame["sentiment"] = _check_values(frame, t, "sentiment", SENTIMENTS)
        if table == "ads":
            frame["date_end"] = frame["date"]
        if table == "web":
            frame["date_start"] = frame["date_end"] = frame.pop("date")
            codes, sources = pd.factorize(frame["source"], use_na_sentinel=True)
            networks = np.array([*(social_network(s) for s in sources), None], dtype=object)
            frame["network"] = networks[codes]  # code -1 (no source): the appended None
        return {table: frame}

    def typed(t: RawTable) -> dict[int, str]:
        spec = _spec(table)
        out = {i: spec[k].kind for i, k in enumerate(t.keys) if k in spec and spec[k].kind in TYPED}
        for i, k in enumerate(t.keys):  # few distinct values, a categorical in the end: read as a dictionary
            if k in spec and spec[k].kind == "str" and COLUMNS[table].get(k) == CAT:
                out[i] = "cat"
        return out

    return Format(
        f"canonical_{table}",
        label,
        detect,
        load,
        tuple(CANONICAL_HEADERS[table]),
        load_table=load_table,
        typed=typed,
    )


for _table in CANONICAL_HEADERS:
    register(_make(_table))

__all__ = ["IDENTIFYING", "SENTIMENTS"]
