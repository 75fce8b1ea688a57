"""What every writer shares: number and date formats, CSV files, byte-reproducible XLSX files."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

#: Fixed time stamped into XLSX archives (zip entries and docProps/core.xml).
FIXED_ZIP_TIME = (2026, 11, 1, 0, 0, 0)
FIXED_CORE_TIME = b"2026-11-01T00:00:00Z"

#: Rows of a table, each a sequence of cells.
Rows = Sequence[Sequence[object]]


def fmt_int(value: float | None, sep: str = "") -> str:
    """``1234 -> '1234'`` or, with ``sep=' '``, ``'1 234'``; missing -> ''."""
    if value is None or pd.isna(value):
        return ""
    return f"{round(value):,}".replace(",", sep)


def fmt_dec(value: float | None, *, decimal: str = ".", sep: str = "", digits: int = 2) -> str:
    """``4512.75 -> '4512.75'`` or, with ``decimal=','`` and ``sep=' '``, ``'4 512,75'``; missing -> ''."""
    if value is None or pd.isna(value):
        return ""
    whole, frac = f"{value:,.{digits}f}".split(".")
    return whole.replace(",", sep) + decimal + frac


def us_date(d: pd.Timestamp, *, pad: bool = True, year: str = "%Y") -> str:
    """``10/01/2026`` (pad) or ``10/1/2026``; ``year='%y'`` gives ``10/01/26``."""
    return d.strftime(f"%m/%d/{year}") if pad else f"{d.month}/{d.day}/{d.strftime(year)}"


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Rows,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    lineterminator: str = "\n",
    quoting: int = csv.QUOTE_MINIMAL,
    preamble: str = "",
) -> None:
    """Write ``preamble``, ``header`` and ``rows`` as one CSV file (its folder created)."""
    buf = io.StringIO()
    buf.write(preamble)
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator, quoting=quoting)
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))


def save_xlsx(wb: Workbook, path: Path) -> None:
    """Save a workbook with fixed zip and document timestamps (byte-reproducible)."""
    wb.properties.creator = "LinkedIn"
    wb.properties.created = datetime(2026, 11, 1)
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rb"\g<1>" + FIXED_CORE_TIME + rb"\g<3>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def sheet_with_disclaimer(
    wb: Workbook, title: str, disclaimer: str, header: Sequence[str], rows: Rows
) -> None:
    """Add a sheet: the disclaimer on row 1, the header on row 2, then ``rows``."""
    ws = wb.create_sheet(title)
    ws.append([disclaimer])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
