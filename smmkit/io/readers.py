"""From bytes on disk to tables of strings with line numbers, and from strings to values.

Real exports are messy: UTF-16 from Excel, Windows-1251 from Russian tools,
``;`` with decimal commas, ``sep=,`` hints, ``#`` preambles, several tables
in one file, ``1.2K`` and ``12.5%``. This module turns any of them into
:class:`RawTable` objects (header + cells as strings + the 1-based line of
every row), and parses columns of strings into numbers and timestamps,
raising :class:`~smmkit.errors.InputError` with the file, the line and the
column of the first bad cell.

Files are only ever opened for reading.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from smmkit.errors import FormatError, InputError

__all__ = [
    "RawTable",
    "RawFile",
    "decode",
    "read_file",
    "norm",
    "parse_numbers",
    "parse_ints",
    "parse_ids",
    "parse_timestamps",
    "parse_days",
    "parse_bools",
    "localize",
    "NULL_TOKENS",
    "MAX_NUMBER",
    "shown",
    "reason",
]

NULL_TOKENS = frozenset({"", "-", "–", "—", "undefined", "n/a", "null", "none", "nan", "--"})
TOTAL_TOKENS = frozenset({"total", "grand total", "totals", "итого", "всего"})
_SPACES = "\u00a0\u202f\u2009\u2007 "
_DELIMS = (",", ";", "\t")
_MAX_FIELD = 10_000_000


#: A cell quoted in a message is cut to this many characters: a message stays one readable line.
SHOWN_CHARS = 60


def shown(value: object, *, quote: bool = True) -> str:
    """``repr`` of a cell or header for a message, cut to about :data:`SHOWN_CHARS` characters as
    printed (escapes count) with its length said: a 100 000-character cell is not echoed to the
    terminal. ``quote=False``: without the quotes, characters that do not print (line breaks, NUL,
    escapes) still escaped."""
    s = "" if value is None else str(value)
    size, keep = 0, 0
    for c in s:
        size += 1 if c.isprintable() else len(repr(c)) - 2
        if size > SHOWN_CHARS:
            break
        keep += 1
    cut = s[:keep]
    text = repr(cut) if quote else "".join(c if c.isprintable() else repr(c)[1:-1] for c in cut)
    return text if keep == len(s) else f"{text}... ({len(s):,} characters)"


def reason(exc: BaseException) -> str:
    """A library's error as one short line for a message: openpyxl and xlrd write several lines, and
    may quote the damaged bytes."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "..."


def norm(name: object) -> str:
    """Normalise a header name for matching: stripped, case-folded, single spaces."""
    s = "" if name is None else str(name)
    s = s.replace("\ufeff", "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", s).strip().casefold()


# --------------------------------------------------------------------------- text


def _looks_cyrillic(text: str) -> bool:
    """True when the non-ASCII letters of a cp1251 decoding form words, as Russian does."""
    letters = [i for i, ch in enumerate(text) if ord(ch) > 127 and ch.isalpha()]
    if not letters:
        return False
    cyr = sum(1 for i in letters if "\u0400" <= text[i] <= "\u04ff")
    if cyr / len(letters) < 0.9:
        return False
    in_words = sum(
        1
        for i in letters
        if (i > 0 and ord(text[i - 1]) > 127 and text[i - 1].isalpha())
        or (i + 1 < len(text) and ord(text[i + 1]) > 127 and text[i + 1].isalpha())
    )
    return in_words / len(letters) >= 0.6


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
            filled = [c for c in r if c.strip()]
            first = filled[0] if filled else ""
            last = filled[-1] if filled else ""
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


def _is_comment(line: str) -> bool:
    """A ``#`` preamble line (``# Start date: 20260101``, ``# ----``, ``#``), not a data row whose
    first cell starts with ``#`` (``#NAME?``, ``#hashtag``)."""
    return re.match(r"#(\s|-|$)", line) is not None


def _csv_tables(text: str, path: Path, encoding: str) -> list[RawTable]:
    """Split CSV text into tables: ``#`` lines are preamble, blank lines separate tables."""
    lines = text.splitlines(keepends=True)
    start = 0
    delimiter = None
    m = re.match(r'\s*"?sep=(.)"?\s*$', lines[0]) if lines else None
    if m:
        delimiter = {"\\t": "\t"}.get(m.group(1), m.group(1))
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
        delim = delimiter or _sniff_delimiter(raw)
        header_line = i + 1
        # Collect the block's text up to a blank line outside quotes.
        j = i
        block: list[str] = []
        quoted = False
        while j < n:
            line = lines[j]
            if not quoted and (not line.strip() or _is_comment(line.strip())) and block:
                break
            block.append(line)
            quoted ^= line.count('"') % 2 == 1
            j += 1
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
            raise InputError(f"unreadable CSV: {reason(exc)}", path=path, line=header_line + prev) from None
        tables.append(
            RawTable(path, header or [], rows, row_lines, header_line, None, preamble, delim, encoding)
        )
        preamble = []
        i = j
    return tables


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
        row = cells[r][: len(header)] if header else cells[r]
        if any(c.strip() for c in row):
            rows.append(row)
            lines.append(r + 1)
    return RawTable(path, header, rows, lines, header_at + 1, sheet=name, delimiter=",", encoding="xlsx")


def _xlsx_tables(path: Path, data: bytes) -> list[RawTable]:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on corrupt files
        raise InputError(f"unreadable .xlsx workbook: {reason(exc)}", path=path) from None
    tables = []
    try:
        for ws in wb:
            try:
                grid = [list(r) for r in ws.iter_rows(values_only=True)]  # read-only mode parses lazily
            except Exception as exc:  # a damaged sheet: XML parse errors, bad zip members, bad values
                raise InputError(
                    f"unreadable .xlsx workbook: sheet {shown(ws.title)}: {reason(exc)}", path=path
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
        raise InputError(f"unreadable .xls workbook: {reason(exc)}", path=path) from None
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
        raise InputError(f"unreadable Excel 2003 XML workbook: {reason(exc)}", path=path) from None
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
    return RawFile(path, "csv", _csv_tables(text, path, encoding), encoding)


# --------------------------------------------------------------------------- values

#: Every number read from an export is below this in size: no count or amount of one account
#: comes near it (a trillion), and sums of a million rows of such values stay exact in int64 and
#: float64. Larger values (``1e308``, ``1e400``, a cell of 20 digits) are damaged cells.
MAX_NUMBER = 1e12
_NUM_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9}


def _parse_number(raw: str, decimal_comma: bool) -> float | None:
    """One cell to a float; None for a null token; raises ValueError when not a number."""
    s = raw.strip().strip('"').strip()
    if s.casefold() in NULL_TOKENS:
        return None
    for ch in _SPACES:
        s = s.replace(ch, "")
    s = s.replace("'", "")  # Swiss thousands
    mult = 1.0
    if s.endswith("%"):
        s = s[:-1]
    elif s and s[-1].casefold() in _SUFFIX and len(s) > 1 and (s[-2].isdigit() or s[-2] == "."):
        mult = _SUFFIX[s[-1].casefold()]
        s = s[:-1]
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):  # 1.234,5
            s = s.replace(".", "").replace(",", ".")
        else:  # 1,234.5
            s = s.replace(",", "")
    elif "," in s:
        if decimal_comma and s.count(",") == 1:
            s = s.replace(",", ".")
        elif re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+", s):
            s = s.replace(",", "")
        elif s.count(",") == 1:
            s = s.replace(",", ".")
        else:
            raise ValueError(raw)
    elif decimal_comma and re.fullmatch(r"[+-]?\d{1,3}(\.\d{3}){2,}", s):
        s = s.replace(".", "")  # 1.234.567 in a decimal-comma file
    if not _NUM_RE.match(s):
        raise ValueError(raw)
    return float(s) * mult  # inf for 1e400: parse_numbers refuses it with the others too large


def _where(table: RawTable | None, i: int) -> dict:
    if table is None:
        return {}
    return {"path": str(table.path), "line": int(table.lines[i])}


def parse_numbers(
    values: Sequence[str],
    *,
    table: RawTable | None = None,
    column: str | None = None,
    decimal_comma: bool | None = None,
) -> np.ndarray:
    """Parse cells into floats (NaN for nulls).

    Accepts thousands separators (``1,234``, ``1 234``, no-break spaces),
    a decimal comma (always in ``;`` files, and ``1,5`` elsewhere), ``1.2K``
    / ``3M`` suffixes, ``12.5%`` (-> 12.5), and ``-``/``undefined``/empty as
    null. Every number is finite and below :data:`MAX_NUMBER` in size.

    Raises
    ------
    InputError
        At the first cell that is not a number: ``expected a number, got 'abc'``, or whose
        number is too large (:data:`MAX_NUMBER`).
    """
    if decimal_comma is None:
        decimal_comma = bool(table and table.decimal_comma)
    out = np.full(len(values), np.nan)
    for i, raw in enumerate(values):
        try:
            v = _parse_number(raw or "", decimal_comma)
        except ValueError:
            raise InputError(
                f"expected a number, got {shown(raw.strip())}", column=column, **_where(table, i)
            ) from None
        if v is not None:
            if not abs(v) < MAX_NUMBER:  # also inf and nan
                raise InputError(
                    f"expected a number below {MAX_NUMBER:,.0f}, got {shown(raw.strip())}",
                    column=column,
                    **_where(table, i),
                )
            out[i] = v
    return out


def parse_ints(
    values: Sequence[str],
    *,
    table: RawTable | None = None,
    column: str | None = None,
    decimal_comma: bool | None = None,
) -> pd.Series:
    """Parse cells into a nullable ``Int64`` series of counts.

    ``"1203.0"`` is 1203; ``1.2K`` is 1200; a fraction such as ``12.5`` is an
    error (a count is a whole number).
    """
    nums = parse_numbers(values, table=table, column=column, decimal_comma=decimal_comma)
    frac = ~np.isnan(nums) & (np.abs(nums - np.round(nums)) > 1e-6)
    # Suffixed values (1.25K) may land on a fraction of one; only plain fractions are errors.
    for i in np.flatnonzero(frac):
        raw = (values[i] or "").strip()
        if raw and raw[-1].casefold() in _SUFFIX:
            nums[i] = np.round(nums[i])
            continue
        raise InputError(f"expected a whole number, got {shown(raw)}", column=column, **_where(table, i))
    return pd.array(np.round(nums), dtype="Float64").astype("Int64")


_ID_BAD = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
#: Spreadsheet error values: Excel shows ``#NAME?`` for a YouTube ID such as ``-dr0zfXvHp4``
#: that it read as a formula; the ID is lost.
_SHEET_ERRORS = frozenset({"#name?", "#value!", "#ref!", "#n/a", "#div/0!", "#num!", "#null!"})


def parse_ids(
    values: Sequence[str],
    *,
    table: RawTable | None = None,
    column: str | None = None,
    required: bool = True,
) -> pd.Series:
    """Parse IDs as strings. Scientific notation (``1.22158E+17``, an ID mangled by a
    spreadsheet) is an error: the digits are lost. A trailing ``.0`` is removed."""
    out = []
    for i, raw in enumerate(values):
        s = (raw or "").strip().strip("'")
        if _ID_BAD.match(s):
            raise InputError(
                f"expected an ID written in full, got {shown(s)} (a spreadsheet turned it into a "
                "rounded number; re-export or format the column as text)",
                column=column,
                **_where(table, i),
            )
        if s.casefold() in _SHEET_ERRORS:
            raise InputError(
                f"expected an ID, got the spreadsheet error {shown(s)} (a spreadsheet read the ID as a "
                "formula and lost it; re-export the file and do not open and save it in a spreadsheet)",
                column=column,
                **_where(table, i),
            )
        if re.fullmatch(r"\d+\.0", s):
            s = s[:-2]
        if not s and required:
            raise InputError("expected an ID, got an empty cell", column=column, **_where(table, i))
        out.append(s or None)
    return pd.array(out, dtype="string")


_TRUE = frozenset({"true", "yes", "1", "y", "t", "да"})
_FALSE = frozenset({"false", "no", "0", "n", "f", "нет"})


def parse_bools(
    values: Sequence[str], *, table: RawTable | None = None, column: str | None = None
) -> pd.Series:
    out = []
    for i, raw in enumerate(values):
        s = (raw or "").strip().casefold()
        if s in NULL_TOKENS:
            out.append(None)
        elif s in _TRUE:
            out.append(True)
        elif s in _FALSE:
            out.append(False)
        else:
            raise InputError(
                f"expected true or false, got {shown(raw.strip())}", column=column, **_where(table, i)
            )
    return pd.array(out, dtype="boolean")


# --------------------------------------------------------------------------- dates

#: Timestamp formats tried in order (a cell takes the first that parses).
TIMESTAMP_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M %z",  # X legacy: 2020-02-10 18:00 +0000
    "%Y-%m-%d %H:%M:%S %z",
    "ISO8601",
    "%m/%d/%Y %H:%M",  # Meta / Facebook: 03/27/2026 06:08, 10/1/2015 21:00
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
)
DAY_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d",
    "%Y%m%d",  # GA4
    "%m/%d/%Y",  # 10/1/2026
    "%m/%d/%y",  # 10/01/26
    "%a, %b %d, %Y",  # X 2024: Tue, Jul 14, 2026
    "%a %b %d %Y",  # X content, late 2024: Mon Feb 17 2025
    "%b %d, %Y",  # YouTube: Oct 3, 2026
    "%d-%b-%y",  # YouTube re-saved by Excel: 3-Jun-26
    "%d-%b-%Y",
    "%B %d, %Y",
    "%d %b %Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
)


#: Plausible export dates. Outside this range a cell is not a date (``2400`` read as a year,
#: ``00010101``), and the nanosecond timestamps of the canonical tables could not hold it.
_FIRST_DAY, _LAST_DAY = pd.Timestamp("1900-01-01"), pd.Timestamp("2200-01-01")


def _try_formats(s: pd.Series, formats: Iterable[str], *, utc: bool) -> pd.Series:
    result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns, UTC]" if utc else "datetime64[ns]")
    todo = s.notna()
    lo, hi = (_FIRST_DAY.tz_localize("UTC"), _LAST_DAY.tz_localize("UTC")) if utc else (_FIRST_DAY, _LAST_DAY)
    for fmt in formats:
        if not todo.any():
            break
        part = s[todo]
        try:
            parsed = pd.to_datetime(part, format=fmt, errors="coerce", utc=utc)
        except (ValueError, TypeError, OverflowError):
            continue
        if not utc and isinstance(parsed.dtype, pd.DatetimeTZDtype):
            parsed = parsed.dt.tz_localize(None)  # a naive reading of "...+03:00": its wall-clock time
        if not pd.api.types.is_datetime64_any_dtype(parsed.dtype):
            continue  # mixed offsets come back as objects
        ok = parsed.notna() & (parsed >= lo) & (parsed < hi)
        if ok.any():
            result.loc[ok[ok].index] = parsed[ok].astype(result.dtype)
            todo.loc[ok[ok].index] = False
    return result


def _excel_serial(s: pd.Series) -> pd.Series:
    """Excel serial day numbers (``45566`` or ``45566.5``) to naive datetimes; NaT elsewhere."""
    num = pd.to_numeric(s, errors="coerce")
    ok = num.between(20000, 80000)  # 1954..2119: a plausible export date
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if ok.any():
        out[ok] = pd.Timestamp("1899-12-30") + pd.to_timedelta(num[ok], unit="D")
    return out


def _clean(values: Sequence[str]) -> pd.Series:
    s = pd.Series([None if v is None else str(v).strip() for v in values], dtype=object)
    return s.where(~s.fillna("").str.casefold().isin(NULL_TOKENS), None)


def _a_date(cell: str, formats: Iterable[str]) -> bool:
    """Whether ``cell`` is a date in one of ``formats`` for Python's calendar (years 1 to 9999)."""
    for fmt in formats:
        try:
            if fmt == "ISO8601":
                dt.datetime.fromisoformat(cell)
            else:
                dt.datetime.strptime(cell, fmt)
        except (ValueError, TypeError):
            continue
        return True
    return False


def _fail(
    s: pd.Series, parsed: pd.Series, what: str, table, column, required: bool, formats: Iterable[str] = ()
) -> None:
    bad = s.notna() & parsed.isna()
    if required:
        bad |= s.isna()
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        got = s.iloc[i]
        got_text = "an empty cell" if got is None else shown(got)
        if got is not None and _a_date(got, formats):  # 9999-12-31, 0206-10-04: a date, not one of an export
            last = (_LAST_DAY - pd.Timedelta(days=1)).date().isoformat()
            what = f"a date between {_FIRST_DAY.date().isoformat()} and {last}"
        raise InputError(f"expected {what}, got {got_text}", column=column, **_where(table, i))


_ZONE_RE = r"\s*(?:[+-]\d{2}:?\d{2}|Z|UTC|GMT)$"


def localize(naive: pd.Series, tz: str) -> pd.Series:
    """Local wall-clock times (naive) as instants in ``tz``: a time skipped when clocks go forward
    moves forward, an ambiguous one (the repeated hour when clocks go back) takes the later offset."""
    local = naive.dt.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward")
    amb = naive.notna() & local.isna()
    if amb.any():
        local[amb] = naive[amb].dt.tz_localize(tz, ambiguous=np.zeros(int(amb.sum()), dtype=bool))
    return local


def parse_timestamps(
    values: Sequence[str],
    *,
    tz: str,
    table: RawTable | None = None,
    column: str | None = None,
    formats: Sequence[str] = TIMESTAMP_FORMATS,
    required: bool = True,
) -> pd.Series:
    """Parse cells into tz-aware timestamps in ``tz``.

    A cell with an offset (``+0000``, ``+03:00``, ``Z``) is that instant; a
    cell without one is a local time of the client (``tz``). A date alone is
    local midnight. Excel serial numbers are accepted.
    """
    s = _clean(values)
    has_zone = s.fillna("").str.contains(_ZONE_RE, regex=True)
    aware = _try_formats(s.where(has_zone, None), formats, utc=True)
    naive_in = s.where(~has_zone, None)
    naive = _try_formats(naive_in, [f for f in formats if "%z" not in f] + list(DAY_FORMATS), utc=False)
    serial = _excel_serial(naive_in)
    naive = naive.fillna(serial)
    local = localize(naive, tz)
    out = aware.dt.tz_convert(tz).fillna(local) if len(s) else local
    tried = [*formats, *DAY_FORMATS]
    _fail(s, out, "a date and time like '2026-10-03 14:30'", table, column, required, tried)
    return out.astype(f"datetime64[ns, {tz}]")


def parse_days(
    values: Sequence[str],
    *,
    table: RawTable | None = None,
    column: str | None = None,
    formats: Sequence[str] = DAY_FORMATS,
    required: bool = True,
) -> pd.Series:
    """Parse cells into calendar days (naive ``datetime64[ns]`` at midnight).

    Accepts ``2026-10-01``, ``20261001``, ``10/1/2026``, ``10/01/26``,
    ``Tue, Jul 14, 2026``, ``Oct 3, 2026``, Excel serial numbers, and a
    timestamp (its day).
    """
    s = _clean(values)
    s = s.where(s.isna(), s.fillna("").str.replace(_ZONE_RE, "", regex=True))  # the wall-clock day
    out = _try_formats(s, formats, utc=False)
    out = out.fillna(_excel_serial(s))
    rest = s.notna() & out.isna()
    if rest.any():
        more = _try_formats(s.where(rest, None), [f for f in TIMESTAMP_FORMATS if "%z" not in f], utc=False)
        out = out.fillna(more)
    tried = [*formats, *(f for f in TIMESTAMP_FORMATS if "%z" not in f)]
    _fail(s, out, "a date like '2026-10-01'", table, column, required, tried)
    return out.dt.normalize()
