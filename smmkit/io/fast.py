"""Plain CSV at scale: pyarrow reads the file, columns parse vectorised, the exact readers locate.

The exact readers of :mod:`smmkit.io.readers` walk every cell in Python, which is what makes
their ``PATH:LINE:COLUMN`` errors exact, and what makes a million-row export take half a minute.
This module is the fast path for *plain* CSV files (UTF-8, ``,``-separated, the header on line 1,
no preamble, one record per line): pyarrow's multithreaded CSV reader turns the file into string
columns, and each column is parsed with vectorised kernels when every cell has the plain shape the
kernel handles (``1234``, ``2026-10-03 14:30:00``, ``p123``). A column with any other cell (a
``1,234``, a ``n/a``, a bad date) goes through the exact reader of its kind, which gives the same
value, or raises the same error at the same line, as on the slow path. Anything the fast path is
unsure about (a quoted line break, a ``#`` line, blank lines, another encoding, a row of the wrong
width) sends the whole file to the exact readers: ``plain_table`` returns None.

A :class:`ColumnTable` stands in for a :class:`~smmkit.io.readers.RawTable` in the formats that
know it (``Format.load_table``): header, 1-based line of every row, and string columns.
"""

from __future__ import annotations

import functools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from smmkit.io.cells import (
    FIRST_DAY,
    LAST_DAY,
    MAX_NUMBER,
    localize,
    parse_bools,
    parse_days,
    parse_ids,
    parse_ints,
    parse_numbers,
    parse_timestamps,
)
from smmkit.io.readers import TOTAL_TOKENS, RawFile, RawTable, csv_tables, norm

__all__ = [
    "ColumnTable",
    "DISTINCT",
    "NotPlain",
    "TYPED",
    "distinct",
    "in_threads",
    "one_value",
    "plain_head",
    "plain_table",
    "parse_column",
    "string_views",
]

HEAD_BYTES = 64 * 1024
#: pyarrow's CSV block (its threads take a block each): at 4 MiB rather than its 1 MiB default, the
#: 1M-post export reads in 178 ms instead of 231 (fewer blocks, each with its own dictionaries).
BLOCK_BYTES = 4 << 20

#: At most 12 digits before the point: below :data:`~smmkit.io.cells.MAX_NUMBER` (larger: the exact
#: reader refuses the cell where it is).
_INT = r"^-?[0-9]{1,12}$"
_DEC = r"^-?[0-9]{1,12}(\.[0-9]{1,15})?$"
#: A plain ID starts and ends with one of these bytes (anything between): ``p123``, ``123_456``.
_ID_EDGE = np.zeros(256, dtype=bool)
_ID_EDGE[list(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-")] = True
_ID_SUSPECT = r"^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+|\.0)$"  # 1.2E+17 or 123.0: the exact reader decides
_TS = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?$"
_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
#: What makes the exact reader split or skip lines differently from pyarrow, as RE2 patterns over
#: bytes (pyarrow matches a binary value byte by byte, as Latin-1): NUL and the other line breaks of
#: ``str.splitlines`` (VT, FF, FS, GS, RS, NEL, LS, PS); and :data:`_LONE_CR`. Each starts with a
#: literal byte, so RE2 finds it with memchr.
_SPLITS = (
    r"\x00",
    r"\x0b",
    r"\x0c",
    r"\x1c",
    r"\x1d",
    r"\x1e",
    r"\xc2\x85",
    r"\xe2\x80\xa8",
    r"\xe2\x80\xa9",
)
_LONE_CR = r"\r(?:[^\n]|\z)"  # a CR that does not end a line as CRLF
_COMMENT = r"^[ \t]*#"  # a first cell like this may be a '#' line, preamble to the exact reader


@dataclass
class ColumnTable:
    """A plain CSV table as string columns (pyarrow), with the 1-based line of every row."""

    path: Path
    header: list[str]
    columns: list[pa.ChunkedArray]
    lines: np.ndarray
    header_line: int = 1
    sheet: str | None = None
    preamble: list[str] = field(default_factory=list)
    delimiter: str = ","
    encoding: str = "utf-8"

    def __len__(self) -> int:
        return len(self.lines)

    keys = RawTable.keys
    decimal_comma = RawTable.decimal_comma
    has = RawTable.has
    index = RawTable.index
    header_name = RawTable.header_name

    def cells(self, pos: int) -> pa.ChunkedArray:
        return self.columns[pos]

    def take(self, keep: np.ndarray) -> ColumnTable:
        mask = pa.array(keep)
        return ColumnTable(
            self.path, self.header, [c.filter(mask) for c in self.columns], self.lines[keep],
            self.header_line, self.sheet, self.preamble, self.delimiter, self.encoding,
        )  # fmt: skip

    def without_total_rows(self) -> ColumnTable:
        """:meth:`RawTable.without_total_rows`: rows that may hold a total token are found
        vectorised, then judged by the exact rule."""
        if not len(self) or not self.columns:
            return self
        # The token is the first non-empty cell: the first column's, unless that one is blank.
        first = self.columns[0]
        maybe = _blank(first)
        if _is_text(first.type):
            maybe |= _may_total(first)
        if not maybe.any():
            return self
        keep = np.ones(len(self), dtype=bool)
        for i in np.flatnonzero(maybe):
            row = [_text(c[int(i)]) for c in self.columns]
            filled = [c for c in row if c.strip()]
            first, last = (filled[0], filled[-1]) if filled else ("", "")
            keep[i] = not (norm(first) in TOTAL_TOKENS or (not row[0].strip() and norm(last) in TOTAL_TOKENS))
        return self.take(keep)


def read(path: Path) -> pa.Buffer:
    """A file's bytes in Arrow's memory, where pyarrow reads them and :func:`_found` searches them.
    A Python ``bytes`` of a large export would be a fresh allocation touched page by page: on a
    67 MB export that took 50-65 ms against ~20 ms for this read."""
    try:
        with pa.OSFile(str(path)) as f:
            return f.read_buffer()
    except OSError:
        return pa.py_buffer(path.read_bytes())  # raises with the operating system's own words


def _blob(body: pa.Buffer) -> pa.Array:
    """``body`` as one binary value (no copy), for pyarrow's searches."""
    offsets = pa.py_buffer(np.array([0, body.size], dtype=np.int64))
    return pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, body])


def _found(blob: pa.Array, pattern: str) -> bool:
    """Whether the RE2 ``pattern`` matches anywhere in ``blob`` (:func:`_blob`). A pattern that starts
    with a literal byte is a memchr scan: ~5 ms for 67 MB."""
    return bool(pc.match_substring_regex(blob, pattern)[0].as_py())


def _splits(blob: pa.Array) -> bool:
    """Whether the bytes hold one of :data:`_SPLITS`."""
    return any(_found(blob, pattern) for pattern in _SPLITS)


def _unplain(blob: pa.Array) -> bool:
    """Whether the bytes hold one of :data:`_SPLITS` or a lone CR."""
    return _found(blob, _LONE_CR) or _splits(blob)


def _splits_cells(columns: list[pa.ChunkedArray]) -> bool:
    """Whether a text cell holds one of :data:`_SPLITS`. Only the bytes of text columns (strings and
    the values of dictionaries) are searched: a byte of the file that is not a comma, a quote or a line
    end is in some cell, and pyarrow's number and date parsers take none of these (tested)."""
    for col in columns:
        for chunk in col.chunks:
            values = chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
            if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
                continue
            offsets, _ = string_views(values)
            if offsets[-1] == offsets[0]:
                continue  # no cell with a byte
            run = _blob(values.buffers()[2][offsets[0] : offsets[-1]])  # the cells' bytes are one run
            if _splits(run):
                return True
    return False


def _hexadecimal(blob: pa.Array) -> bool:
    """Whether ``0x`` or ``0X`` is in the file (pyarrow reads ``0x10`` as 16; the exact reader calls it
    no number)."""
    return _found(blob, "(?i)0x")


def _lines(body: pa.Buffer) -> int:
    """The lines of ``body`` as the exact reader counts them: its line feeds, and one more for a last
    line without one. Counted with numpy a block at a time (no array the size of the file)."""
    codes = np.frombuffer(body, dtype=np.uint8)
    block = 1 << 20
    hit = np.empty(min(block, len(codes)), dtype=bool)
    feeds = 0
    for start in range(0, len(codes), block):
        part = codes[start : start + block]
        np.equal(part, ord("\n"), out=hit[: len(part)])
        feeds += int(np.count_nonzero(hit[: len(part)]))
    return feeds + (0 if len(codes) and codes[-1] == ord("\n") else 1)


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_dictionary(t)


def _per_value(col: pa.ChunkedArray, judge) -> np.ndarray:
    """``judge`` (a string column -> one bool per cell) of every cell of ``col``; for a dictionary
    column (:data:`TYPED` ``"cat"``), its distinct values are judged once."""
    if not pa.types.is_dictionary(col.type):
        return judge(col)
    if not col.num_chunks:
        return np.zeros(0, dtype=bool)
    col = _unified(col)
    verdict = judge(pa.chunked_array([col.chunk(0).dictionary], pa.string()))
    if not verdict.any():  # the usual answer (no blank network, no total): no row to look up
        return np.zeros(len(col), dtype=bool)
    return verdict[np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in col.chunks])]


def _unified(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """A dictionary column whose chunks share one dictionary (pyarrow gives each block its own)."""
    first = col.chunk(0).dictionary if col.num_chunks else None
    if all(c.dictionary is first or c.dictionary.equals(first) for c in col.chunks[1:]):
        return col
    return col.unify_dictionaries()


def _blank(col: pa.ChunkedArray) -> np.ndarray:
    """Cells that are empty or only whitespace (``not cell.strip()``): ``utf8_is_space`` holds for
    exactly the characters ``str.isspace`` does (every code point compared in tests/io/test_scale.py)."""
    if pa.types.is_dictionary(col.type):
        return _per_value(col, _blank)
    if not pa.types.is_string(col.type):
        return pc.is_null(col).to_numpy(zero_copy_only=False)  # a typed column: blank cells are nulls
    empty = pc.equal(col, "").to_numpy(zero_copy_only=False)
    return empty | pc.utf8_is_space(col).to_numpy(zero_copy_only=False)


def _may_comment(col: pa.ChunkedArray) -> bool:
    """Whether a first cell may start a ``#`` line (:data:`_COMMENT`): only a cell whose first byte is
    ``#``, a space or a tab can, and only those are matched."""
    chunks = _chunks(col)
    if chunks is None:
        return bool(
            _per_value(
                col, lambda v: pc.match_substring_regex(v, _COMMENT).to_numpy(zero_copy_only=False)
            ).any()
        )
    rows, first = [], 0
    for offsets, data in chunks:
        filled = np.flatnonzero(offsets[1:] > offsets[:-1])  # an empty cell has no first byte
        lead = data[offsets[filled]]
        rows.append(first + filled[(lead == ord("#")) | (lead == ord(" ")) | (lead == ord("\t"))])
        first += len(offsets) - 1
    rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    return bool(len(rows)) and bool(
        pc.any(pc.match_substring_regex(col.take(pa.array(rows)), _COMMENT)).as_py()
    )


def _may_total(col: pa.ChunkedArray) -> np.ndarray:
    """Cells that may be a total token (:data:`TOTAL_TOKENS`): those holding ``total`` in any ASCII
    case, and every cell with a non-ASCII character (``итого``, ``всего``, or a letter whose case
    folding is ASCII). A superset: the exact rule judges each."""
    if pa.types.is_dictionary(col.type):
        return _per_value(col, _may_total)
    total = pc.match_substring(pc.ascii_lower(col), "total").to_numpy(zero_copy_only=False)
    return total | ~pc.string_is_ascii(col).to_numpy(zero_copy_only=False)


def _text(cell: pa.Scalar) -> str:
    value = cell.as_py()
    return "" if value is None else str(value)


def _all(col: pa.ChunkedArray, pattern: str, *, skip: np.ndarray | None = None) -> bool:
    ok = pc.match_substring_regex(col, pattern).to_numpy(zero_copy_only=False)
    if skip is not None:
        ok |= skip
    return bool(ok.all())


class NotPlain(Exception):
    """A typed read (:func:`plain_table` with ``types``) met a value it cannot judge exactly (a
    negative count, a date out of range): read the file again as strings."""


def plain_head(path: Path, data: bytes | pa.Buffer) -> RawFile | None:
    """The first rows of a plain CSV as a :class:`RawFile` (for recognition by the formats), or
    None when only the exact reader will do. ``data``: the file's bytes (:func:`read`)."""
    got = _head(data, path)
    return None if got is None else RawFile(path, "csv", [got[0]], got[1])


def _head(data: bytes | pa.Buffer, path: Path) -> tuple[RawTable, str, pa.Buffer] | None:
    data = pa.py_buffer(data)  # no copy (of bytes or of a Buffer)
    lead = data[:3].to_pybytes()
    if lead.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    encoding, body = ("utf-8-sig", data[3:]) if lead == b"\xef\xbb\xbf" else ("utf-8", data)
    head = body[:HEAD_BYTES].to_pybytes()
    if len(head) < body.size:
        head = head[: head.rfind(b"\n") + 1]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text.strip():
        return None
    tables = csv_tables(text, path, encoding)
    if len(tables) != 1:
        return None
    first = tables[0]
    if first.header_line != 1 or first.preamble or first.delimiter != "," or not first.header:
        return None
    if first.lines and first.lines[0] != 2:
        return None  # a header record over several lines
    return first, encoding, body


#: Canonical column kinds pyarrow may convert while reading (its int64 and timestamp parsers
#: accept a subset of what the exact readers accept, with the same values; hex is excluded below).
#: ``"cat"``: text of a few distinct values (network, post type), read as a dictionary, so each check
#: runs once per distinct value; parsed as ``"str"``, to a categorical.
TYPED = {
    "int": pa.int64(),
    "ts": pa.timestamp("s"),
    "day": pa.date32(),
    "cat": pa.dictionary(pa.int32(), pa.string()),
}


def plain_table(
    path: Path, data: bytes | pa.Buffer, types: dict[int, str] | None = None, *, head: RawFile | None = None
) -> ColumnTable | None:
    """The file as a :class:`ColumnTable` when it is a plain CSV; None when only the exact reader
    will do. ``types`` (column position -> kind of :data:`TYPED`) lets pyarrow convert those columns
    while it reads; a cell it cannot convert makes this return None (read again without types)."""
    if head is not None:  # from plain_head: already judged plain
        first, encoding = head.first, head.encoding
        body = pa.py_buffer(data)[3:] if encoding == "utf-8-sig" else pa.py_buffer(data)
    else:
        got = _head(data, path)
        if got is None:
            return None
        first, encoding, body = got
    read = functools.partial(_read_csv, body, len(first.header))

    # pyarrow splits the file into blocks for its threads at line ends; a value with a line break
    # in it needs ``newlines_in_values``, which halves the speed. Without a quote there is none; with
    # one, a break inside a value read without the option is an error or a row short (checked below).
    # The read runs while this thread scans the bytes (pyarrow releases the GIL).
    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(read, types, False)
        blob = _blob(body)
        unplain = _found(blob, _LONE_CR) or _splits(_blob(body[:HEAD_BYTES]))  # the header line's too
        hexadecimal = bool(types) and _hexadecimal(blob)
        quoted = _found(blob, '"')
        lines_in_file = _lines(body) if quoted else 0
        table = reading.result()
    if unplain:
        return None
    if hexadecimal:  # pyarrow reads 0x10 as 16; the exact reader calls it no number
        types = None
        table = read(None, False)
    if table is None and quoted:
        table = read(types, True)
    if table is None:
        return None
    if quoted and table.num_rows + 1 != lines_in_file:
        return None  # a record over several lines (or a break inside a value): the exact reader numbers them
    columns = [  # a dictionary column as one chunk over one dictionary: its indices are one array
        pa.chunked_array([_unified(c).combine_chunks()])
        if pa.types.is_dictionary(c.type) and c.num_chunks
        else c
        for c in table.columns
    ]
    if _splits_cells(columns):
        return None
    if table.num_rows and _is_text(columns[0].type) and _may_comment(columns[0]):
        return None
    lines = np.arange(2, table.num_rows + 2, dtype=np.int64)
    return _without_blank_rows(ColumnTable(path, first.header, columns, lines, encoding=encoding))


def _read_csv(body: pa.Buffer, width: int, types: dict[int, str] | None, newlines: bool) -> pa.Table | None:
    """pyarrow's read of a plain CSV's rows after the header (``width`` columns ``c0``, ``c1``...,
    strings unless ``types`` says otherwise); None when it refuses the bytes."""
    names = [f"c{i}" for i in range(width)]
    column_types = dict.fromkeys(names, pa.string())
    for pos, kind in (types or {}).items():
        column_types[names[pos]] = TYPED[kind]
    try:
        return pacsv.read_csv(
            body,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(newlines_in_values=newlines, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                column_types=column_types,
                null_values=[""],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # a row of another width, invalid UTF-8, a cell not of its type: read exactly


def _without_blank_rows(out: ColumnTable) -> ColumnTable:
    """Rows of empty cells (",,,") are skipped, as the exact reader skips them."""
    columns = out.columns
    blank = _blank(columns[0])
    if blank.any():
        rows = np.flatnonzero(blank)
        at = pa.array(rows)
        for col in columns[1:]:
            blank[rows] &= _blank(col.take(at))
        if blank.any():
            out = out.take(~blank)
    return out


def arrow_values(array) -> pa.Array | pa.ChunkedArray | None:
    """The Arrow data of a pyarrow-backed pandas array (``string[pyarrow]``, ``str``,
    ``int64[pyarrow]``...) through the Arrow protocol, without a copy; None for another array."""
    return pa.array(array) if isinstance(array, pd.arrays.ArrowExtensionArray) else None


def one_value(col: pd.Series) -> str | None:
    """The value of a string or categorical column that holds one value in every row (no missing
    one), else None (one export's path in ``_file``: the merge needs no rank of it)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy()
        if not len(codes) or codes.min() < 0 or codes.min() != codes.max():
            return None
        return str(col.cat.categories[codes[0]])
    values = arrow_values(col.array)
    if values is None or not len(values) or values.null_count:
        return None
    low, high = pc.min_max(values).values()
    return low.as_py() if low.as_py() == high.as_py() else None


# --------------------------------------------------------------------------- threads

#: Rows from which a table's columns are worked on in threads (:func:`in_threads`).
THREADS_FROM = 100_000


class _Done:
    """One item's result, or the exception it raised, given (or raised) by :meth:`get`."""

    def __init__(self, fn, item, *, now: bool):
        self.fn, self.item, self.done, self.value, self.error = fn, item, False, None, None
        if now:
            self.run()

    def run(self) -> _Done:
        try:
            self.value = self.fn(self.item)
        except Exception as exc:  # raised again, in the items' order, by get()
            self.error = exc
        self.done = True
        return self

    def get(self):
        if not self.done:
            self.run()
        if self.error is not None:
            raise self.error
        return self.value


def in_threads(fn, items: list, *, rows: int) -> list[_Done]:
    """``fn`` of each item, as results to :meth:`~_Done.get` in order. For a table of at least
    :data:`THREADS_FROM` rows the items run on up to two threads (pyarrow's kernels and numpy's
    take release the GIL), each exception kept to be raised by its own ``get``; below that, each
    runs when its ``get`` asks, so nothing after the first error runs (as a plain loop)."""
    if rows < THREADS_FROM or len(items) < 2 or (os.cpu_count() or 1) < 2:
        return [_Done(fn, item, now=False) for item in items]
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda item: _Done(fn, item, now=True), items))


# --------------------------------------------------------------------------- columns


def _numbers(col: pa.ChunkedArray, pattern: str) -> pa.ChunkedArray | None:
    if not _all(col, pattern, skip=pc.equal(col, "").to_numpy(zero_copy_only=False)):
        return None
    empty = pc.equal(col, "")
    try:
        return pc.cast(pc.if_else(empty, pa.scalar(None, pa.string()), col), pa.float64())
    except pa.ArrowInvalid:
        return None


def _ints(col: pa.ChunkedArray, table, column: str) -> pd.api.extensions.ExtensionArray:
    if pa.types.is_integer(col.type):  # converted by pyarrow while reading
        values = (pc.fill_null(col, 0) if col.null_count else col).to_numpy(zero_copy_only=False)
        if len(values) and (values.min() < 0 or values.max() >= MAX_NUMBER):
            raise NotPlain(column)  # the exact reader words the error with the cell as written
        mask = (
            pc.is_null(col).to_numpy(zero_copy_only=False)
            if col.null_count
            else np.zeros(len(values), dtype=bool)
        )
        values = values.astype(np.int64, copy=not values.flags.writeable)  # one chunk: a read-only view
        return pd.arrays.IntegerArray(values, mask)
    nums = _numbers(col, _INT)
    if nums is None:
        return parse_ints(col.to_pylist(), table=table, column=column)
    mask = pc.is_null(nums).to_numpy(zero_copy_only=False)
    values = pc.fill_null(nums, 0.0).to_numpy(zero_copy_only=False).astype(np.int64)
    return pd.arrays.IntegerArray(values, mask)


def _floats(col: pa.ChunkedArray, table, column: str) -> np.ndarray:
    nums = _numbers(col, _DEC)
    if nums is None:
        return parse_numbers(col.to_pylist(), table=table, column=column)
    return nums.to_numpy(zero_copy_only=False).astype(np.float64)


def string_views(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string array's offsets (one more than its values; into its buffer) and the bytes of its
    buffer, as numpy views (no copy)."""
    wide = pa.types.is_large_string(chunk.type)  # pandas' string[pyarrow]
    _, offsets, data = chunk.buffers()
    if offsets is None:  # no values
        return np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    offsets = np.frombuffer(offsets, dtype=np.int64 if wide else np.int32)
    data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)
    return offsets[chunk.offset : chunk.offset + len(chunk) + 1], data


def _chunks(col: pa.ChunkedArray) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """:func:`string_views` of each chunk of a string column without nulls; None for another column. A
    chunk at a time, the work arrays stay small (no copy of the whole column into fresh memory)."""
    if not (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)) or col.null_count:
        return None
    return [string_views(chunk) for chunk in col.chunks if len(chunk)]


def _plain_ids(col: pa.ChunkedArray) -> bool:
    """Whether every cell has the plain ID shape: starts and ends with a byte of :data:`_ID_EDGE`,
    and none reads as a number in a spreadsheet's shape (:data:`_ID_SUSPECT`; only cells holding a
    ``.``, ``e`` or ``E`` can)."""
    chunks = _chunks(col)
    if chunks is None:
        return False
    rows, first = [], 0
    for offsets, data in chunks:
        starts, ends = offsets[:-1], offsets[1:]
        if (ends <= starts).any() or not (_ID_EDGE[data[starts]] & _ID_EDGE[data[ends - 1]]).all():
            return False
        body = data[offsets[0] : offsets[-1]]
        marks = body == ord(".")
        marks |= (body | 0x20) == ord("e")  # e or E
        at = np.flatnonzero(marks) + offsets[0]
        rows.append(first + np.unique(np.searchsorted(offsets, at, side="right") - 1))
        first += len(starts)
    rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    return (
        not len(rows) or not pc.any(pc.match_substring_regex(col.take(pa.array(rows)), _ID_SUSPECT)).as_py()
    )


#: ``attrs`` key of a built table: the columns whose values are known to be all different.
DISTINCT = "distinct_columns"

_LOW_BYTES = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)  # k low bytes of a word


def distinct(col: pa.ChunkedArray) -> bool | None:
    """True when no value of a string column repeats; None when not known this way (nulls, values
    over 64 bytes, or two values that may be equal): then ``pc.unique`` decides.

    Each value's bytes, zero-padded to whole 8-byte words, are folded into one 64-bit number with its
    length. Equal values give equal numbers, so all numbers distinct means all values distinct;
    numbers are sorted (no hashing of a million strings, which is ~4x slower in pyarrow)."""
    chunks = _chunks(col)
    if chunks is None:
        return None
    out = np.empty(len(col), dtype=np.uint64)
    done = 0
    for offsets, data in chunks:
        lengths = np.diff(offsets)
        width = int(lengths.max())
        if width > 64:
            return None
        # The chunk's bytes and 8 zeros (a word read at a value's end stays in the array); every 8
        # bytes from each position, as one little-endian number (an unaligned view, no copy).
        padded = np.zeros(offsets[-1] - offsets[0] + 8, dtype=np.uint8)
        padded[:-8] = data[offsets[0] : offsets[-1]]
        eights = np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded, strides=(1,))
        starts = offsets[:-1] - offsets[0]
        folded = out[done : done + len(lengths)]
        np.multiply(lengths.astype(np.uint64), np.uint64(0x9E3779B97F4A7C15), out=folded)
        for w in range(0, max(width, 1), 8):
            kept = np.clip(lengths - w, 0, 8)  # bytes of this word that belong to the value
            word = eights[np.minimum(starts + w, len(eights) - 1)]
            word &= _LOW_BYTES[kept]
            folded ^= word
            folded *= np.uint64(0x100000001B3)  # FNV's prime: odd, so a bijection of folded ^ word
        done += len(lengths)
    out.sort()
    return True if not (out[1:] == out[:-1]).any() else None


def _ids(col: pa.ChunkedArray, table, column: str, required: bool):
    if not _plain_ids(col):
        return parse_ids(col.to_pylist(), table=table, column=column, required=required)
    return pd.array(col, dtype="string")


def _strings(col: pa.ChunkedArray):
    if pa.types.is_dictionary(col.type):
        return _categories(col)
    blank = _blank(col)
    if blank.all():  # a column left empty (url, say): all missing, nothing to copy
        return pd.array(pa.nulls(len(col), pa.large_string()), dtype="string")
    return pd.array(pc.if_else(pa.array(blank), pa.scalar(None, pa.string()), col), dtype="string")


def _categories(col: pa.ChunkedArray) -> pd.Categorical:
    """A dictionary column as :func:`_strings` would give it, as a categorical: blank cells missing,
    the categories the other values, sorted (what ``astype("category")`` gives)."""
    col = _unified(col) if col.num_chunks else col
    values = col.chunk(0).dictionary if col.num_chunks else pa.array([], pa.string())
    blank = _blank(pa.chunked_array([values], pa.string()))
    names = values.to_pylist()
    categories = sorted(n for n, b in zip(names, blank, strict=True) if not b)
    where = {n: i for i, n in enumerate(categories)}
    remap = np.array(
        [-1 if b else where[n] for n, b in zip(names, blank, strict=True)] + [-1], dtype=np.int64
    )
    codes = (
        np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in col.chunks])
        if col.num_chunks
        else []
    )
    return pd.Categorical.from_codes(
        remap[np.asarray(codes, dtype=np.int64)],
        dtype=pd.CategoricalDtype(pd.Index(categories, dtype="string")),
    )


def _out_of_range(parsed: pa.ChunkedArray) -> bool:
    """Whether a timestamp or date column holds a value outside ``[FIRST_DAY, LAST_DAY)``."""
    low, high = pc.min_max(parsed).values()
    if not low.is_valid:  # every value missing
        return False
    first, last = FIRST_DAY.to_pydatetime(), LAST_DAY.to_pydatetime()
    if pa.types.is_date(parsed.type):
        first, last = first.date(), last.date()
    return low.as_py() < first or high.as_py() >= last


def _naive(col: pa.ChunkedArray, pattern: str, unit: pa.DataType, required: bool) -> pd.Series | None:
    if not pa.types.is_string(col.type):  # converted by pyarrow while reading
        if required and col.null_count:
            raise NotPlain("empty")
        parsed = col
    else:
        empty = pc.equal(col, "")
        if required and pc.any(empty).as_py():
            return None
        if not _all(col, pattern, skip=empty.to_numpy(zero_copy_only=False)):
            return None
        try:
            parsed = pc.cast(pc.if_else(empty, pa.scalar(None, pa.string()), col), unit)
        except pa.ArrowInvalid:
            return None  # 2026-02-30: the exact reader says so
    # The range is checked in the read's own unit (seconds, days): 9999-12-31 or 0206-10-04 has no
    # nanosecond timestamp, so the cast below would fail; the exact reader says where and why.
    if _out_of_range(parsed):
        if not pa.types.is_string(col.type):
            raise NotPlain("range")
        return None
    return pd.Series(
        pc.cast(parsed, pa.timestamp("ns")).to_numpy(zero_copy_only=False), dtype="datetime64[ns]"
    )


def _timestamps(col: pa.ChunkedArray, table, column: str, tz: str, required: bool) -> pd.Series:
    naive = _naive(col, _TS, pa.timestamp("s"), required)
    if naive is None:
        return parse_timestamps(col.to_pylist(), tz=tz, table=table, column=column, required=required)
    return localize(naive, tz).astype(f"datetime64[ns, {tz}]")


def _days(col: pa.ChunkedArray, table, column: str, required: bool) -> pd.Series:
    naive = _naive(col, _DAY, pa.date32(), required)
    if naive is None:
        return parse_days(col.to_pylist(), table=table, column=column, required=required)
    return naive


def parse_column(col: pa.ChunkedArray, kind: str, *, table, column: str, tz: str, required: bool = False):
    """:func:`smmkit.io.formats.base.parse_cells` for a string column of a :class:`ColumnTable`:
    the same values, the same errors."""
    if kind == "int":
        return _ints(col, table, column)
    if kind == "float":
        return _floats(col, table, column)
    if kind == "id":
        return _ids(col, table, column, required)
    if kind == "ts":
        return _timestamps(col, table, column, tz, required)
    if kind == "day":
        return _days(col, table, column, required)
    if kind == "str":
        return _strings(col)
    if kind == "bool":
        return parse_bools(col.to_pylist(), table=table, column=column)
    raise ValueError(f"unknown column kind {kind!r}")
