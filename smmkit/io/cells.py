"""From strings to values: the cell parsers of every reader.

Columns of cells (strings, as :mod:`smmkit.io.readers` reads them) to numbers, counts, IDs,
booleans, timestamps and days: ``1.2K``, ``12.5%``, ``1 234,5``, Excel serial days, a dozen
date formats. The first bad cell raises :class:`~smmkit.errors.InputError` with the file, the
line and the column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from smmkit.errors import InputError

if TYPE_CHECKING:
    from smmkit.io.readers import RawTable

__all__ = [
    "DAY_FORMATS",
    "FIRST_DAY",
    "LAST_DAY",
    "MAX_NUMBER",
    "NULL_TOKENS",
    "TIMESTAMP_FORMATS",
    "localize",
    "parse_bools",
    "parse_days",
    "parse_ids",
    "parse_ints",
    "parse_numbers",
    "parse_timestamps",
]

NULL_TOKENS = frozenset({"", "-", "–", "—", "undefined", "n/a", "null", "none", "nan", "--"})
_SPACES = "\u00a0\u202f\u2009\u2007 "


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
    values = values if isinstance(values, list) else list(values)
    out, plain = _plain_numbers(values)
    # the first plain number too large: raised where it stands among the other cells' errors
    big = np.flatnonzero(plain & ~(np.abs(out) < MAX_NUMBER))
    first_big = int(big[0]) if big.size else len(values)
    for i in np.flatnonzero(~plain[:first_big]):
        raw = values[i]
        try:
            v = _parse_number(raw or "", decimal_comma)
        except ValueError:
            raise InputError(
                f"expected a number, got {raw.strip()!r}", column=column, **_where(table, i)
            ) from None
        if v is not None:
            if not abs(v) < MAX_NUMBER:  # also inf and nan
                first_big = i
                break
            out[i] = v
    if first_big < len(values):
        raise InputError(
            f"expected a number below {MAX_NUMBER:,.0f}, got {values[first_big].strip()!r}",
            column=column,
            **_where(table, first_big),
        )
    return out


#: A cell that is a plain decimal number (``-12``, ``1234.5``): what :func:`_parse_number` reads as
#: ``float(cell)``, so Arrow's correctly rounded string-to-double cast reads it in one step.
_PLAIN_NUMBER = r"^-?[0-9]+(\.[0-9]+)?$"


def _plain_numbers(values: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The cells that are plain decimal numbers, parsed at once: ``(numbers, is_plain)``, NaN
    where a cell is not plain (those go through :func:`_parse_number` one by one)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        cells = pa.array(values, type=pa.string())
    except (pa.ArrowException, TypeError):  # not all strings: every cell by the exact parser
        return np.full(len(values), np.nan), np.zeros(len(values), dtype=bool)
    plain = pc.fill_null(pc.match_substring_regex(cells, _PLAIN_NUMBER), False)
    numbers = pc.cast(pc.if_else(plain, cells, None), pa.float64())
    out = numbers.to_numpy(zero_copy_only=False).astype("float64", copy=True)  # writable: the others go in
    return out, plain.to_numpy(zero_copy_only=False)


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
        raise InputError(f"expected a whole number, got {raw!r}", column=column, **_where(table, i))
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
                f"expected an ID written in full, got {s!r} (a spreadsheet turned it into a "
                "rounded number; re-export or format the column as text)",
                column=column,
                **_where(table, i),
            )
        if s.casefold() in _SHEET_ERRORS:
            raise InputError(
                f"expected an ID, got the spreadsheet error {s!r} (a spreadsheet read the ID as a "
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
                f"expected true or false, got {raw.strip()!r}", column=column, **_where(table, i)
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
FIRST_DAY, LAST_DAY = pd.Timestamp("1900-01-01"), pd.Timestamp("2200-01-01")


def _try_formats(s: pd.Series, formats: Iterable[str], *, utc: bool) -> pd.Series:
    result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns, UTC]" if utc else "datetime64[ns]")
    todo = s.notna()
    lo, hi = (FIRST_DAY.tz_localize("UTC"), LAST_DAY.tz_localize("UTC")) if utc else (FIRST_DAY, LAST_DAY)
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
        got_text = "an empty cell" if got is None else repr(got)
        if got is not None and _a_date(got, formats):  # 9999-12-31, 0206-10-04: a date, not one of an export
            last = (LAST_DAY - pd.Timedelta(days=1)).date().isoformat()
            what = f"a date between {FIRST_DAY.date().isoformat()} and {last}"
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
