"""From bytes on disk to tables of strings with line numbers (the cells' values: :mod:`smmkit.io.cells`).

Real exports are messy: UTF-16 from Excel, Windows-1251 from Russian tools,
``;`` with decimal commas, ``sep=,`` hints, ``#`` preambles, several tables
in one file, ``1.2K`` and ``12.5%``. This module turns any of them into
:class:`RawTable` objects (header + cells as strings + the 1-based line of
every row); a file it cannot read raises :class:`~smmkit.errors.InputError`
(or :class:`~smmkit.errors.FormatError`) with the file and the line.

Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from smmkit.errors import FormatError, InputError
from smmkit.io import archive

__all__ = [
    "RawTable",
    "RawFile",
    "decode",
    "read_file",
    "csv_tables",
    "norm",
    "TOTAL_TOKENS",
]

TOTAL_TOKENS = frozenset({"total", "grand total", "totals", "итого", "всего"})
_DELIMS = (",", ";", "\t")
_MAX_FIELD = 10_000_000


def _reason(exc: BaseException) -> str:
    """A library's error as prose on one line: openpyxl and xlrd word theirs over several lines
    (the message's length is bounded where every message is: :func:`smmkit.errors.bounded`)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def norm(name: object) -> str:
    """Normalise a header name for matching: stripped, case-folded, single spaces."""
    s = name if type(name) is str else "" if name is None else str(name)
    return _short_norm(s) if len(s) <= 64 else _norm_text(s)


def _norm_text(s: str) -> str:
    # str.split() splits on exactly the characters re's \s matches (str.isspace, the no-break
    # space among them): runs of them become one space, none at either end.
    return " ".join(s.replace("\ufeff", "").split()).casefold()


#: :func:`norm` of a short string, memoised: the same header names and cells are asked again and
#: again (each detector, each row's first cell); long cells (a post's text) are not kept.
_short_norm = functools.lru_cache(maxsize=1 << 14)(_norm_text)


# --------------------------------------------------------------------------- text


def _looks_cyrillic(text: str) -> bool:
    """True when the non-ASCII letters of a cp1251 decoding form words, as Russian does.

    At least 90 % of them Cyrillic, and at least 60 % beside another non-ASCII letter; counted on
    the text's code points at once (a Python loop over every character of an export costs more
    than reading it)."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    high = np.unique(codes[codes > 127])
    letter = np.isin(codes, [c for c in high.tolist() if chr(c).isalpha()])
    letters = int(letter.sum())
    if not letters:
        return False
    cyr = int((letter & (codes >= 0x400) & (codes <= 0x4FF)).sum())
    if cyr / letters < 0.9:
        return False
    beside = np.zeros_like(letter)
    beside[1:] |= letter[:-1]
    beside[:-1] |= letter[1:]
    return int((letter & beside).sum()) / letters >= 0.6


def decode(data: bytes, *, path: str | Path | None = None) -> tuple[str, str]:
    """Decode an export's bytes; return ``(text, encoding)``.

    Order: UTF-16 with BOM, UTF-8 with BOM, UTF-8, Windows-1251 (when the
    result reads as Russian words), Latin-1.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-16 text: {exc.reason}", path=path) from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            line = data[: exc.start + 3].count(b"\n") + 1
            raise InputError(
                "not valid UTF-8 text after a UTF-8 byte-order mark", path=path, line=line
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
        if _looks_cyrillic(text):
            return text, "cp1251"
    except UnicodeDecodeError:
        pass
    return data.decode("latin-1"), "latin-1"


# --------------------------------------------------------------------------- tables


@dataclass
class RawTable:
    """One table of an export: header and cells as strings, with line numbers.

    ``lines[i]`` is the 1-based line (CSV) or row (spreadsheet) of ``rows[i]``
    in the file; ``header_line`` that of the header.
    """

    path: Path
    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    header_line: int
    sheet: str | None = None
    preamble: list[str] = field(default_factory=list)
    delimiter: str = ","
    encoding: str = "utf-8"

    @property
    def keys(self) -> list[str]:
        """Normalised header names (see :func:`norm`)."""
        return [norm(h) for h in self.header]

    @property
    def decimal_comma(self) -> bool:
        return self.delimiter == ";"

    def has(self, *names: str) -> bool:
        keys = set(self.keys)
        return all(norm(n) in keys for n in names)

    def index(self, *names: str) -> int | None:
        """Position of the first header equal to any of ``names`` (aliases), else None."""
        keys = self.keys
        for name in names:
            n = norm(name)
            if n in keys:
                return keys.index(n)
        return None

    def column(self, *names: str) -> list[str] | None:
        """Cells of the first column named like any of ``names``, or None."""
        i = self.index(*names)
        if i is None:
            return None
        return [r[i] if i < len(r) else "" for r in self.rows]

    def header_name(self, *names: str) -> str | None:
        i = self.index(*names)
        return None if i is None else self.header[i].strip()

    def frame(self) -> pd.DataFrame:
        """Cells as a DataFrame of strings, positional columns (names may repeat)."""
        width = len(self.header)
        data = [(r + [""] * width)[:width] for r in self.rows]
        return pd.DataFrame(data, columns=range(width), dtype=object)

    def drop_rows(self, keep: Sequence[bool]) -> RawTable:
        rows = [r for r, k in zip(self.rows, keep, strict=True) if k]
        lines = [n for n, k in zip(self.lines, keep, strict=True) if k]
        return RawTable(
            self.path, self.header, rows, lines, self.header_line, self.sheet, self.preamble,
            self.delimiter, self.encoding,
        )  # fmt: skip

    def without_total_rows(self) -> RawTable:
        """Drop ``Total``/``Grand total`` rows, never summed twice: the first non-empty cell is
        the token, or (GA4 Explorations) the row has no dimension value and its last non-empty
        cell is the token."""
        keep = []
        for r in self.rows:
            first = next((c for c in r if c.strip()), "")
            last = next((c for c in reversed(r) if c.strip()), "")
            total = norm(first) in TOTAL_TOKENS or (
                bool(r) and not r[0].strip() and norm(last) in TOTAL_TOKENS
            )
            keep.append(not total)
        return self.drop_rows(keep)

    def _top_cells(self, within: int) -> set[str]:
        """Normalised cells of the first ``within`` rows (cached: every detector asks)."""
        cache = self.__dict__.setdefault("_top_cache", {})
        if within not in cache:
            cache[within] = {norm(c) for r in self.rows[:within] for c in r if c}
        return cache[within]

    def find_header(self, *names: str, within: int = 12) -> RawTable | None:
        """This table re-read with its header on the first of its first rows holding every
        one of ``names`` (exports that put a title, a date range or a metric name above the
        real header: LinkedIn Campaign Manager, Google Ads, Meta Business Suite), else None.
        The rows above the header become preamble."""
        if self.has(*names):
            return self
        wanted = {norm(n) for n in names}
        if not wanted <= self._top_cells(within):
            return None
        for i, row in enumerate(self.rows[:within]):
            if wanted <= {norm(c) for c in row}:
                header = [c.replace("\ufeff", "").strip() for c in row]
                above = [",".join(self.header)] + [",".join(r) for r in self.rows[:i]]
                return RawTable(
                    self.path, header, self.rows[i + 1 :], self.lines[i + 1 :], self.lines[i], self.sheet,
                    [*self.preamble, *above], self.delimiter, self.encoding,
                )  # fmt: skip
        return None


@dataclass
class RawFile:
    """An export file as tables; ``tables`` holds every table (sheets or CSV blocks)."""

    path: Path
    kind: str  # "csv" | "xlsx" | "xls" | "xml" (Excel 2003 XML)
    tables: list[RawTable]
    encoding: str | None = None
    #: A CSV whose text ends with a line break: its last row is a complete line, so a row with fewer
    #: fields than the header there is one written short (Meta), not a download cut off mid-line.
    ends_with_newline: bool = True

    @property
    def first(self) -> RawTable | None:
        return self.tables[0] if self.tables else None

    def sheet(self, name: str) -> RawTable | None:
        for t in self.tables:
            if t.sheet is not None and norm(t.sheet) == norm(name):
                return t
        return None


def _sniff_delimiter(line: str) -> str:
    counts = {d: 0 for d in _DELIMS}
    quoted = False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _block_delimiter(lines: list[str], i: int) -> str:
    """The delimiter of the table starting at line ``i``: sniffed on that line, or, when it has none
    (a one-cell metric line such as Meta's ``"Follows"`` above a ``;`` or tab header), on the first
    of the next few lines of the block that has one."""
    for line in lines[i : i + 4]:
        if not line.strip() or _is_comment(line.strip()):
            break
        if any(_sniff_count(line, d) for d in _DELIMS):
            return _sniff_delimiter(line)
    return ","


def _sniff_count(line: str, delim: str) -> int:
    quoted, n = False, 0
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == delim:
            n += 1
    return n


def _honoured_sep(declared: str, lines: list[str]) -> str | None:
    """The delimiter of a ``sep=`` line, unless the lines after it never use it and use another one:
    a spreadsheet that re-saved the file with ``;`` or tabs kept the ``sep=,`` line as a cell."""
    used = {d for line in lines if not _is_comment(line.strip()) for d in _DELIMS if _sniff_count(line, d)}
    return None if used and declared not in used else declared


def _unwrap_lines(text: str) -> str:
    """A file re-saved by a spreadsheet that took each line as one cell: every non-blank line is a
    single quoted cell (``"sep=,"`` or a bare ``sep=,`` first, then ``"Date","Primary"`` with its
    quotes doubled) and some hold a delimiter. Return the cells' contents, one per line (line
    numbers unchanged); any other text as it is."""
    head = text[:512].lstrip("\ufeff")
    if not head.startswith(('"', "sep=")):
        return text  # most files: no need to look at every line
    cells: list[str] = []
    holds_delimiter = False
    for n, line in enumerate(io.StringIO(text)):  # lazily: the first plain line ends the look
        s = line.strip()
        if n == 0 and re.match(r"sep=.$", s):  # a sep= line the spreadsheet did not wrap
            cells.append(s)
            continue
        if not s:
            cells.append("")
            continue
        if not (len(s) >= 2 and s[0] == '"' and s[-1] == '"'):
            return text
        try:
            (cell,) = next(csv.reader([s]))
        except (ValueError, csv.Error):  # several cells, or not one quoted cell
            return text
        if "\n" in cell or "\r" in cell:
            return text
        holds_delimiter = holds_delimiter or any(d in cell for d in _DELIMS)
        cells.append(cell)
    if not holds_delimiter or len(cells) < 2:
        return text
    return "\n".join(cells) + "\n"


def _is_comment(line: str) -> bool:
    """A ``#`` preamble line (``# Start date: 20260101``, ``# ----``, ``#``), not a data row whose
    first cell starts with ``#`` (``#NAME?``, ``#hashtag``)."""
    return _COMMENT.match(line) is not None


_COMMENT = re.compile(r"#(\s|-|$)")


def csv_tables(text: str, path: Path, encoding: str) -> list[RawTable]:
    """Split CSV text into tables: ``#`` lines are preamble, blank lines separate tables."""
    lines = _unwrap_lines(text).splitlines(keepends=True)
    start = 0
    delimiter = None
    m = re.match(r'\s*"?sep=(\\t|[^"\r\n])"?\s*$', lines[0]) if lines else None
    if m:
        delimiter = _honoured_sep({"\\t": "\t"}.get(m.group(1), m.group(1)), lines[1:8])
        start = 1
    tables: list[RawTable] = []
    preamble: list[str] = []
    i = start
    n = len(lines)
    while i < n:
        raw = lines[i]
        stripped = raw.strip()
        if not stripped or stripped.strip(",;\t") == "":
            i += 1
            continue
        if _is_comment(stripped):
            preamble.append(stripped)
            i += 1
            continue
        # A table starts here: the header line, then records until a blank or '#' line.
        delim = delimiter or _block_delimiter(lines, i)
        header_line = i + 1
        block, j = _block(lines, i)
        header, rows, row_lines = _records(block, delim, header_line, path)
        tables.append(
            RawTable(path, header or [], rows, row_lines, header_line, None, preamble, delim, encoding)
        )
        preamble = []
        i = j
    return tables


def _block(lines: list[str], i: int) -> tuple[list[str], int]:
    """The lines of the table starting at line ``i`` (0-based): up to a blank or ``#`` line outside
    quotes; and the index of the line after it."""
    j = i
    block: list[str] = []
    quoted = False
    while j < len(lines):
        line = lines[j]
        if not quoted and (not line.strip() or _is_comment(line.strip())) and block:
            break
        block.append(line)
        quoted ^= line.count('"') % 2 == 1
        j += 1
    return block, j


def _records(
    block: list[str], delim: str, header_line: int, path: Path
) -> tuple[list[str] | None, list[list[str]], list[int]]:
    """A table's header and its non-empty records, each with the file line it starts on."""
    reader = csv.reader(io.StringIO("".join(block)), delimiter=delim)
    header: list[str] | None = None
    rows: list[list[str]] = []
    row_lines: list[int] = []
    prev = 0
    try:
        for record in reader:
            first_line = header_line + prev
            prev = reader.line_num
            if header is None:
                header = [h.replace("\ufeff", "").strip() for h in record]
                continue
            if not any(c.strip() for c in record):
                continue
            rows.append(record)
            row_lines.append(first_line)
    except csv.Error as exc:
        raise InputError(f"unreadable CSV: {_reason(exc)}", path=path, line=header_line + prev) from None
    return header, rows, row_lines


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


_HEADER_HINTS = ("date", "post title", "post id", "content", "created date")


def _sheet_table(path: Path, name: str, grid: list[list[object]]) -> RawTable:
    """A spreadsheet sheet as a table; the header is the first row whose first cell is a known
    header name (LinkedIn puts a disclaimer in row 1), else the first non-empty row."""
    cells = [[_cell_text(v) for v in row] for row in grid]
    header_at = None
    for r, row in enumerate(cells[:20]):
        if row and norm(row[0]) in _HEADER_HINTS:
            header_at = r
            break
    if header_at is None:
        header_at = next((r for r, row in enumerate(cells) if any(c.strip() for c in row)), 0)
    header = [c.strip() for c in cells[header_at]] if cells else []
    while header and not header[-1]:
        header.pop()
    rows, lines = [], []
    for r in range(header_at + 1, len(cells)):
        # Cells past the header's width are kept when filled: a title row taken for the header (a
        # re-saved Meta Ads sheet) must not cut the real header below it to one cell.
        filled = max((i + 1 for i, c in enumerate(cells[r]) if c.strip()), default=0)
        row = cells[r][: max(len(header), filled)] if header else cells[r]
        if any(c.strip() for c in row):
            rows.append(row)
            lines.append(r + 1)
    return RawTable(path, header, rows, lines, header_at + 1, sheet=name, delimiter=",", encoding="xlsx")


def _xlsx_tables(path: Path, data: bytes) -> list[RawTable]:
    import openpyxl

    problem = archive.workbook_problem(data)  # a zip of files, or a zip bomb: not given to openpyxl
    if problem:
        raise FormatError(problem, path=path)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on corrupt files
        raise InputError(f"unreadable .xlsx workbook: {_reason(exc)}", path=path) from None
    tables = []
    try:
        for ws in wb:
            try:
                grid = [list(r) for r in ws.iter_rows(values_only=True)]  # read-only mode parses lazily
            except Exception as exc:  # a damaged sheet: XML parse errors, bad zip members, bad values
                raise InputError(
                    f"unreadable .xlsx workbook: sheet {ws.title!r}: {_reason(exc)}", path=path
                ) from None
            tables.append(_sheet_table(path, ws.title, grid))
    finally:
        wb.close()
    return tables


def _xls_tables(path: Path, data: bytes) -> list[RawTable]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:
        raise InputError(f"unreadable .xls workbook: {_reason(exc)}", path=path) from None
    tables = []
    for sh in book.sheets():
        grid = []
        for r in range(sh.nrows):
            row = []
            for c in range(sh.ncols):
                cell = sh.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                else:
                    row.append(cell.value if cell.value != "" else None)
            grid.append(row)
        tables.append(_sheet_table(path, sh.name, grid))
    return tables


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _spreadsheetml_tables(path: Path, data: bytes) -> list[RawTable]:
    """Excel 2003 XML ("SpreadsheetML"), what Facebook's legacy Page Insights ``.xls`` really is.

    Read with the standard library; a document type or entity declaration is refused (no
    entity expansion, so no "billion laughs"). ``ss:Index`` skips cells, as Excel writes them.
    """
    import xml.etree.ElementTree as ET

    head = data[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in data.lower():
        raise InputError("unreadable Excel 2003 XML workbook: it declares entities", path=path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(f"unreadable Excel 2003 XML workbook: {_reason(exc)}", path=path) from None
    tables = []
    for ws in root.iter(f"{_SS}Worksheet"):
        grid: list[list[object]] = []
        for row in ws.iter(f"{_SS}Row"):
            at = row.get(f"{_SS}Index")
            while at is not None and len(grid) < int(at) - 1:
                grid.append([])
            cells: list[object] = []
            for cell in row.iter(f"{_SS}Cell"):
                idx = cell.get(f"{_SS}Index")
                while idx is not None and len(cells) < int(idx) - 1:
                    cells.append(None)
                node = cell.find(f"{_SS}Data")
                cells.append(None if node is None else "".join(node.itertext()))
            grid.append(cells)
        tables.append(_sheet_table(path, ws.get(f"{_SS}Name") or "Sheet", grid))
    return tables


def read_file(path: str | Path, *, data: bytes | None = None) -> RawFile:
    """Read an export (CSV in any supported encoding/delimiter, .xlsx or .xls) into tables
    (``data``: its bytes, when already read)."""
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror}", path=path) from None
    if data.startswith(b"PK\x03\x04"):
        return RawFile(path, "xlsx", _xlsx_tables(path, data))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return RawFile(path, "xls", _xls_tables(path, data))
    if not data.strip():
        raise FormatError("the file is empty", path=path)
    if (
        data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<?xml")
        and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:8192]
    ):
        return RawFile(path, "xml", _spreadsheetml_tables(path, data))
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError("binary data, not a CSV or spreadsheet export", path=path, line=1)
    text, encoding = decode(data, path=path)
    csv.field_size_limit(_MAX_FIELD)
    return RawFile(path, "csv", csv_tables(text, path, encoding), encoding, text.endswith(("\n", "\r")))
