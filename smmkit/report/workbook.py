"""``report.xlsx``: the report's tables as an Excel workbook, beside the HTML pages.

Three sheets, each one plain table under one header row (filters on, the header frozen):

- **KPIs**: the tidy KPI table of :func:`smmkit.report.exports.kpi_long` (key, label in the
  client's language, network, value, previous, change as the report shows it, unit) for the
  total and every network; exact values, shown with the decimals the report prints;
- **Posts**: every post of the period (:func:`smmkit.report.exports.post_rows`), newest first,
  counts and rates as numbers, the publishing time as a date and time (the client's local time);
- **Top posts**: the report's top posts in their order.

Post texts, IDs and URLs come from the exports and are untrusted: every text cell is written
as a string (never a formula, whatever it starts with: ``=HYPERLINK(...)`` stays text),
characters a workbook cannot hold are dropped and a text is cut at Excel's 32,767 characters.
Only ``http(s)`` URLs become links. The file is written atomically (a temporary file, then a
rename: :func:`smmkit.fsutil.replace_file`).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd

from smmkit.fsutil import replace_file
from smmkit.report.exports import (
    KPI_COLUMNS,
    POST_COLUMNS,
    change_decimals,
    kpi_decimals,
    kpi_long,
    post_rows,
)
from smmkit.report.i18n import Labels, is_missing

__all__ = ["SHEETS", "WORKBOOK_NAME", "write_workbook"]

#: The workbook's file name in a client's report folder.
WORKBOOK_NAME = "report.xlsx"

#: The sheets, in order.
SHEETS: tuple[str, ...] = ("KPIs", "Posts", "Top posts")

#: Excel's longest cell text.
MAX_TEXT = 32_767

_SAFE_URL = re.compile(r"https?://", re.IGNORECASE)
#: Characters an .xlsx cannot hold (XML 1.0 control characters): openpyxl refuses them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

#: Column widths (characters) of the sheets' text columns; numbers get 12.
_WIDTHS = {"key": 26, "label": 34, "network": 12, "unit": 10, "post_id": 18, "published": 17, "type": 12,
           "text": 60, "url": 40}  # fmt: skip


def _text(value: Any) -> str | None:
    if value is None or is_missing(value):
        return None
    return _ILLEGAL.sub("", str(value))[:MAX_TEXT]


def _number_format(decimals: int | None, suffix: str = "") -> str:
    digits = "0" if not decimals else "0." + "0" * decimals
    return f"#,##{digits}{suffix}"


def _text_cell(ws, value: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # "=..." would otherwise be written as a formula
    return cell


def _cells(ws, values: list[tuple[Any, str | None]]) -> list:
    """``(value, number_format)`` pairs as write-only cells: text always as a string (never a formula).

    A plain text is given to openpyxl as it is, where openpyxl writes it as that same string cell
    (not a formula's ``=...``, not an error code's text): the same cell in the file, without a cell
    object that ``append`` first tries (and fails) to take as a value."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    cells = []
    for value, fmt in values:
        if type(value) is str and not (len(value) > 1 and value[0] == "=") and value not in ERROR_CODES:
            cells.append(value)
            continue
        if isinstance(value, str):
            cell = _text_cell(ws, value)
        else:
            cell = WriteOnlyCell(ws, value=value)
            if fmt and value is not None:
                cell.number_format = fmt
        cells.append(cell)
    return cells


def _sheet(wb, title: str, columns: tuple[str, ...]):
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.freeze_panes = "A2"
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(col, 12)
    head = [_text_cell(ws, c) for c in columns]
    for cell in head:
        cell.font = Font(bold=True)
    ws.append(head)
    return ws


def _filter(ws, columns: tuple[str, ...], rows: int) -> None:
    from openpyxl.utils import get_column_letter

    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows + 1}"


def _number(value: Any) -> float | None:
    return None if is_missing(value) else float(value)


def _kpis_sheet(wb, report: Any, labels: Labels) -> None:
    table = kpi_long(report, labels)
    ws = _sheet(wb, "KPIs", KPI_COLUMNS)
    for rec in table.to_dict("records"):
        key = rec["key"]
        value, previous, change = (_number(rec[c]) for c in ("value", "previous", "change"))
        unit = " pp" if rec["unit"] == "percent" else "%"
        ws.append(
            _cells(ws, [
                (key, None), (_text(rec["label"]), None), (rec["network"], None),
                (value, _number_format(kpi_decimals(key, value))),
                (previous, _number_format(kpi_decimals(key, previous))),
                (change, _number_format(change_decimals(change), f'"{unit}"')),
                (rec["unit"], None),
            ])
        )  # fmt: skip
    _filter(ws, KPI_COLUMNS, len(table))


_POST_FORMATS = {"published": "yyyy-mm-dd hh:mm", "er_post": "0.00", "er_view": "0.00"}


def _posts_sheet(wb, title: str, rows: pd.DataFrame) -> None:
    ws = _sheet(wb, title, POST_COLUMNS)
    for rec in rows.to_dict("records"):
        values: list[tuple[Any, str | None]] = []
        for col in POST_COLUMNS:
            value = rec[col]
            if col == "published":
                value = None if is_missing(value) else pd.Timestamp(value).to_pydatetime()
            elif col in ("network", "post_id", "type", "text", "url"):
                value = _text(value)
            else:
                value = _number(value)
            values.append((value, _POST_FORMATS.get(col, "#,##0")))
        cells = _cells(ws, values)
        url = rec["url"]  # POST_COLUMNS[5]
        if isinstance(url, str) and _SAFE_URL.match(url.strip()):
            if isinstance(cells[5], str):  # a link needs a cell object
                cells[5] = _text_cell(ws, cells[5])
            cells[5].hyperlink = url.strip()
        ws.append(cells)
    _filter(ws, POST_COLUMNS, len(rows))


def _top_rows(top: pd.DataFrame, rows: pd.DataFrame, timezone: str | None) -> pd.DataFrame:
    """The top posts in their ranking, each with its whole row of the period's posts (likes,
    comments...: the report's top posts carry only the ranking's columns)."""
    ranked = post_rows(top, timezone=timezone, newest_first=False)
    keys = ranked[["network", "post_id"]]
    whole = keys.merge(rows, on=["network", "post_id"], how="left", validate="one_to_one")
    found = whole["published"].notna().to_numpy()
    return whole.where(pd.Series(found, index=whole.index), ranked, axis=0)[list(POST_COLUMNS)]


def workbook_bytes(
    report: Any, posts: pd.DataFrame, labels: Labels | str = "en", *, timezone: str | None = None
):
    """The workbook of :func:`write_workbook` as bytes."""
    import io

    from openpyxl import Workbook

    L = labels if isinstance(labels, Labels) else Labels(labels, currency=report.currency)
    wb = Workbook(write_only=True)
    wb.properties.title = f"{report.client} {report.period.start}..{report.period.end}"
    wb.properties.created = dt.datetime(2000, 1, 1)  # the same inputs give the same cells
    _kpis_sheet(wb, report, L)
    rows = post_rows(posts, timezone=timezone)
    _posts_sheet(wb, "Posts", rows)
    _posts_sheet(wb, "Top posts", _top_rows(report.top_posts, rows, timezone))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_workbook(
    path: str | Path,
    report: Any,
    posts: pd.DataFrame,
    labels: Labels | str = "en",
    *,
    timezone: str | None = None,
) -> Path:
    """Write ``report.xlsx`` (see the module's docstring) to ``path`` atomically; return the path.

    Parameters
    ----------
    path
        The file to write (:data:`WORKBOOK_NAME` in the client's report folder).
    report
        The period's :class:`smmkit.kpi.result.KPIReport`.
    posts
        The period's posts (:func:`smmkit.kpi.tables.period_posts`).
    labels
        The client's language (or :class:`~smmkit.report.i18n.Labels`): the KPI labels.
    timezone
        The client's time zone: the posts' publishing times are written in it.
    """
    data = workbook_bytes(report, posts, labels, timezone=timezone)
    path = Path(path)
    replace_file(path, lambda fh: fh.write(data))
    return path
