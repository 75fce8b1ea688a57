"""The format registry and the column-mapping helper every format uses.

A :class:`Format` recognises an export by its content (``detect``) and maps
it to canonical tables (``load``). Most formats are declared as a mapping
``canonical column -> (header aliases, parser)`` and share :func:`build`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from smmkit.errors import FormatError, InputError
from smmkit.io.cells import parse_bools, parse_days, parse_ids, parse_ints, parse_numbers
from smmkit.io.cells import parse_timestamps as _parse_ts
from smmkit.io.fast import DISTINCT, ColumnTable, in_threads, parse_column
from smmkit.io.fast import distinct as fast_distinct
from smmkit.io.readers import RawFile, RawTable, norm

__all__ = [
    "Format",
    "LoadContext",
    "FORMATS",
    "register",
    "build",
    "Col",
    "declare",
    "detector",
    "one_table",
    "table_with",
    "NotUsed",
]


@dataclass
class LoadContext:
    """What a loader may need beyond the file: the client's timezone and, for
    exports whose dates carry no year (TikTok), the latest day seen elsewhere."""

    tz: str = "UTC"
    anchor_day: dt.date | None = None
    currency: str | None = None  # client.yaml's currency, checked against ad exports
    #: Header names (normalised) each loaded table had, and those a loader read: what is
    #: left is named by ``validate`` as ignored, so nothing is dropped silently.
    headers: dict[tuple, list[str]] = field(default_factory=dict)
    read: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)  # the loader's own, for validate
    notes: list[str] = field(default_factory=list)  # what validate says about the file, not a problem
    #: Set when the loader raised :class:`NotUsed`: "rows", or "costs" when the file held costs.
    set_aside: str | None = None
    fix: str | None = None  # the NotUsed warning: what the file is and how to make it usable
    #: A file read with translated header names: English name -> the name as the file writes it.
    originals: dict[str, str] = field(default_factory=dict)

    def reading(self, table: RawTable, *names: str) -> None:
        """Note that ``table``'s columns ``names`` (aliases; absent ones are skipped) are read."""
        self.headers.setdefault((table.sheet, table.header_line), list(table.header))
        self.read.update(norm(n) for n in names)

    def ignored(self) -> list[str]:
        """Header names of the loaded tables that no loader read (in file order, once)."""
        out: list[str] = []
        for header in self.headers.values():
            for h in header:
                name = h.strip()
                shown = self.originals.get(name, name)  # a translated header: as the file writes it
                if name and norm(name) not in self.read and shown not in out:
                    out.append(shown)
        return out


Loader = Callable[[RawFile, LoadContext], dict[str, pd.DataFrame]]


class NotUsed(Exception):  # noqa: N818 (not an error: the file is recognised and set aside)
    """Raised by a loader: the file is a known format the kit cannot use as it is (an ad export
    in another currency than the client's). The file is then "recognised, not used": it adds no
    row, ``validate`` lists it with ``reason``, ``warning`` (naming the fix) is a warning of the
    file, and the client does not fail. A bad cell of a used format stays an :class:`InputError`.

    ``costs``: the file held costs, so the client's cost KPIs are unknown (null) rather than
    computed without them.
    """

    def __init__(self, reason: str, warning: str, *, costs: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.warning = warning
        self.costs = costs


@dataclass(frozen=True)
class Format:
    """One export format: how to recognise it and how to load it."""

    name: str
    label: str
    detect: Callable[[RawFile], bool]
    load: Loader
    signature: tuple[str, ...] = ()  # header names that identify it (for "closest format")
    network: str | None = None
    yearless: bool = False  # dates without a year: loaded after the others (needs anchor_day)
    #: Recognised but not used: ``load`` returns no table, ``validate`` lists the file with
    #: this reason (why it adds no KPI) and the client does not fail.
    unused: str | None = None
    #: A known export that the kit refuses on purpose: loading it is an error saying why.
    refuse: str | None = None
    #: ``load`` for one table, given a :class:`~smmkit.io.fast.ColumnTable` of a plain CSV (the fast
    #: path for large files) or a :class:`~smmkit.io.readers.RawTable`; None: ``load`` only.
    load_table: Callable[[RawTable | ColumnTable, LoadContext], dict[str, pd.DataFrame]] | None = None
    #: For ``load_table``: the columns pyarrow may convert while reading (position -> kind of
    #: :data:`smmkit.io.fast.TYPED`), given the file's first rows.
    typed: Callable[[RawTable], dict[int, str]] | None = None


FORMATS: list[Format] = []


def register(fmt: Format) -> Format:
    FORMATS.append(fmt)
    return fmt


def _no_tables(raw: RawFile, ctx: LoadContext) -> dict[str, pd.DataFrame]:
    return {}


def recognised(
    name: str,
    label: str,
    detect: Callable[[RawFile], bool],
    reason: str,
    signature: tuple[str, ...] = (),
    network: str | None = None,
) -> Format:
    """Register a format that is recognised but not used: ``reason`` says why it adds no KPI."""
    return register(Format(name, label, detect, _no_tables, signature, network, unused=reason))


@dataclass(frozen=True)
class Col:
    """A canonical column read from the first header matching one of ``names``."""

    names: tuple[str, ...]
    kind: str  # id | ts | day | int | float | str | bool
    required: bool = False
    pick: Callable[[RawTable, list[int]], int] | None = field(default=None, compare=False)
    #: A net change that may be negative by nature (YouTube ``Likes`` over a period, LinkedIn's
    #: daily follower difference): an ``int`` column not checked for negative counts.
    net: bool = False

    @classmethod
    def of(cls, kind: str, *names: str, required: bool = False, pick=None, net: bool = False) -> Col:
        return cls(tuple(names), kind, required, pick, net)


def _positions(table: RawTable, names: tuple[str, ...]) -> list[int]:
    keys = table.keys
    for name in names:
        hits = [i for i, k in enumerate(keys) if k == norm(name)]
        if hits:
            return hits
    return []


def build(table: RawTable, ctx: LoadContext, spec: Mapping[str, Col], *, label: str) -> pd.DataFrame:
    """Map a raw table to canonical columns using ``spec``.

    Parses every mapped column with its parser (errors carry file, line and the
    column's header name); a column absent from the file is left out (it
    becomes all-null, an unknown metric, in :func:`smmkit.io.schema.conform`).
    A required column that is absent is a :class:`FormatError`.
    """
    if not isinstance(table, ColumnTable):  # pyarrow read every row of a ColumnTable at the header's width
        check_widths(table)
    data: dict[str, object] = {}
    headers: dict[str, str] = {}
    found: list[tuple[str, Col, int | None]] = []
    for target, col in spec.items():
        ctx.reading(table, *col.names)
        hits = _positions(table, col.names)
        pos = (col.pick(table, hits) if (col.pick and len(hits) > 1) else hits[0]) if hits else None
        found.append((target, col, pos))
    # Columns parse on threads for a large file (pyarrow and numpy release the GIL); the errors are
    # still raised in the order of the columns, as one after the other would give them.
    parse = functools.partial(_parse_found, table, ctx)
    parsed = in_threads(parse, found, rows=len(table.lines) if isinstance(table, ColumnTable) else 0)
    distinct: dict[int, bool] = {}
    for (target, col, pos), result in zip(found, parsed, strict=True):
        if pos is None:
            if col.required:
                raise FormatError(
                    f"{label}: missing the column {col.names[0]!r} (expected a header named "
                    f"{' or '.join(repr(n) for n in col.names)})",
                    path=table.path,
                    line=table.header_line,
                )
            continue
        header = headers[target] = table.header[pos].strip()
        cells, data[target], all_different = result.get()
        distinct[pos] = (
            distinct.get(pos, False) or all_different
        )  # an ID's position: other columns may share it
        if col.kind == "int" and not col.net:
            check_not_negative(data[target], cells, table=table, column=header)
    return _frame(table, data, headers, [target for target, _, pos in found if distinct.get(pos)])


def _parse_found(table: RawTable | ColumnTable, ctx: LoadContext, item: tuple[str, Col, int | None]):
    """One column of :func:`build`: its cells, their parsed values, and whether an ID column's
    values are all different (:func:`~smmkit.io.merge.unique_posts` asks; found here, on a
    thread); None for a column the file lacks."""
    _, col, pos = item
    if pos is None:
        return None
    header = table.header[pos].strip()
    if isinstance(table, ColumnTable):
        cells = table.cells(pos)
        value = parse_column(cells, col.kind, table=table, column=header, tz=ctx.tz, required=col.required)
        distinct = col.kind == "id" and bool(fast_distinct(pa.chunked_array(pa.array(value))))
        return cells, value, distinct
    cells = [r[pos] if pos < len(r) else "" for r in table.rows]
    value = parse_cells(cells, col.kind, table=table, column=header, ctx=ctx, required=col.required)
    return cells, value, False


def _frame(
    table: RawTable | ColumnTable, data: dict, headers: dict[str, str], known: list[str]
) -> pd.DataFrame:
    """The parsed columns of :func:`build` as a frame with its provenance (``_file``, ``_line``)."""
    n = len(table.lines)
    path = pd.CategoricalDtype(pd.Index([str(table.path)], dtype="string"))  # the canonical dtype
    data["_file"] = pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), dtype=path, validate=False)
    lines = np.array(table.lines, dtype=np.int64)  # a copy of its own: the frame may be written to
    data["_line"] = pd.arrays.IntegerArray(lines, np.zeros(n, dtype=bool))  # canonical Int64 already
    frame = pd.DataFrame(data, index=range(n), copy=False)  # the parsed arrays are the frame's own
    frame.attrs["headers"] = headers  # canonical column -> header as written (for error messages)
    if known:
        frame.attrs[DISTINCT] = known
    return frame


def check_widths(table: RawTable) -> None:
    """A CSV row with fewer fields than its header (a truncated download), or with more
    non-empty fields, is an error at that row: its cells cannot be matched to names."""
    if table.sheet is not None:
        return  # spreadsheet rows have no field count of their own
    width = len(table.header)
    named = width
    while named and not table.header[named - 1].strip():
        named -= 1  # a header ending in "," has unnamed trailing fields that rows may leave out
    for row, line in zip(table.rows, table.lines, strict=True):
        if len(row) < named:
            raise InputError(
                f"this row has {len(row)} field{'s' if len(row) != 1 else ''}, the header has {named}: "
                "a truncated or damaged download; export the file again",
                path=table.path,
                line=line,
                column=table.header[len(row)].strip() or None,
            )
        if len(row) > width and any(c.strip() for c in row[width:]):
            raise InputError(
                f"this row has {len(row)} fields, the header has {width}: a cell holds an unquoted "
                "delimiter or the file is damaged; export the file again",
                path=table.path,
                line=line,
                column=table.header[-1].strip() or None,
            )


def check_not_negative(values: pd.Series, cells, *, table: RawTable | ColumnTable, column: str) -> None:
    """A count below zero is an error at its row: no export counts negative likes or views."""
    array = values.array if isinstance(values, pd.Series) else values
    if isinstance(array, pd.arrays.IntegerArray):
        neg = array.to_numpy(dtype=np.int64, na_value=0) < 0  # no float copy of a million counts
    else:
        neg = pd.array(values, dtype="Float64").to_numpy(dtype="float64", na_value=np.nan) < 0
    if neg.any():
        i = int(neg.nonzero()[0][0])
        cell = cells[i].as_py() if isinstance(cells, pa.ChunkedArray) else cells[i]
        raise InputError(
            f"expected a count of zero or more, got {cell.strip()!r}: a count cannot be negative",
            path=table.path,
            line=int(table.lines[i]),
            column=column,
        )


def parse_cells(cells, kind: str, *, table: RawTable, column: str, ctx: LoadContext, required: bool = False):
    """Parse one column of cells with the parser named by ``kind``."""
    if kind == "id":
        return parse_ids(cells, table=table, column=column, required=required)
    if kind == "ts":
        return _parse_ts(cells, tz=ctx.tz, table=table, column=column, required=required)
    if kind == "day":
        return parse_days(cells, table=table, column=column, required=required)
    if kind == "int":
        return parse_ints(cells, table=table, column=column)
    if kind == "float":
        return parse_numbers(cells, table=table, column=column)
    if kind == "bool":
        return parse_bools(cells, table=table, column=column)
    if kind == "str":
        return pd.array([c if c.strip() else None for c in cells], dtype="string")
    raise ValueError(f"unknown column kind {kind!r}")


def table_with(raw: RawFile, *names: str) -> RawTable | None:
    """The first table (sheet or CSV block) whose header has all ``names``."""
    for t in raw.tables:
        if t.has(*names):
            return t
    return None


def detector(*names: str, unless: tuple[str, ...] = ()) -> Callable[[RawFile], bool]:
    """A ``detect``: some table's header has all ``names`` and none of ``unless``."""

    def detect(raw: RawFile) -> bool:
        t = table_with(raw, *names)
        return t is not None and not any(t.has(u) for u in unless)

    return detect


def one_table(
    name: str, table: RawTable, ctx: LoadContext, spec: Mapping[str, Col], *, label: str, network: str
) -> dict[str, pd.DataFrame]:
    """``{name: frame}``: ``table`` without its total rows, mapped by ``spec`` (:func:`build`, errors
    naming ``label``), every row of ``network``."""
    table = table.without_total_rows()
    return {name: with_network(build(table, ctx, spec, label=label), network)}


def declare(
    name: str,
    label: str,
    network: str,
    signature: tuple[str, ...],
    *,
    table: str,
    spec: Mapping[str, Col],
    reads: str,
    find: tuple[str, ...] | Callable[[RawFile], RawTable | None] | None = None,
    unless: tuple[str, ...] = (),
    note: str | None = None,
) -> Format:
    """Register a format of the common shape: one table of the file, mapped by ``spec`` into the
    canonical ``table`` (``"posts"``, ``"audience"``) of one network.

    The file's table is the first whose header has the names ``find`` (default: ``signature``)
    and none of ``unless``, or what the function ``find`` returns (None: not this format).
    ``reads`` names the table in error messages; ``note`` is what ``validate`` says about every
    such file.
    """
    names = signature if find is None else find
    if callable(names):
        locate, detect = names, (lambda raw: names(raw) is not None)
    else:
        locate, detect = (lambda raw: table_with(raw, *names)), detector(*names, unless=unless)

    def load(raw: RawFile, ctx: LoadContext) -> dict[str, pd.DataFrame]:
        tables = one_table(table, locate(raw), ctx, spec, label=reads, network=network)
        if note:
            ctx.notes.append(note)
        return tables

    return register(Format(name, label, detect, load, signature, network))


def with_network(frame: pd.DataFrame, network: str) -> pd.DataFrame:
    frame = frame.copy()
    frame["network"] = network
    return frame


def drop_description_row(table: RawTable, *, id_header: str) -> RawTable:
    """Facebook's legacy exports put a description of each column in row 2, with the first
    (identifying) cells empty: drop such rows, they are not data."""
    i = table.index(id_header)
    if i is None:
        return table
    keep = [bool((r[i] if i < len(r) else "").strip()) for r in table.rows]
    return table.drop_rows(keep)


def description_row(table: RawTable, *, id_header: str) -> list[str] | None:
    i = table.index(id_header)
    if i is None or not table.rows:
        return None
    first = table.rows[0]
    return first if not (first[i] if i < len(first) else "").strip() else None
