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
#: Characters an .xlsx cannot hold (XML 1.0 control characters).
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


class _Book:
    """An xlsxwriter workbook and its cell formats, each made once."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.bold = wb.add_format({"bold": True})
        self._numbers: dict[str, Any] = {}

    def number(self, spec: str | None) -> Any:
        if spec is None:
            return None
        if spec not in self._numbers:
            self._numbers[spec] = self.wb.add_format({"num_format": spec})
        return self._numbers[spec]


#: Excel's longest link and most links in a sheet (xlsxwriter warns and writes no cell past them).
_MAX_URL = 2079
_MAX_LINKS = 65_530


class _Sheet:
    """A worksheet written row by row under its bold, frozen header, each cell by its type: a text
    always as a string (never a formula, whatever it starts with)."""

    def __init__(self, book: _Book, title: str, columns: tuple[str, ...]) -> None:
        self.book, self.columns, self.row, self.links = book, columns, 0, 0
        self.ws = book.wb.add_worksheet(title)
        self.ws.freeze_panes(1, 0)
        for i, col in enumerate(columns):
            self.ws.set_column(i, i, _WIDTHS.get(col, 12))
            self.ws.write_string(0, i, col, book.bold)

    def append(self, values: list[tuple[Any, str | None]], url: str | None = None) -> None:
        """One row of ``(value, number_format)`` cells (None: no cell); ``url``: the link of the
        ``url`` column's text, an ``http(s)`` URL."""
        self.row += 1
        for col, (value, fmt) in enumerate(values):
            if value is None:
                continue
            if isinstance(value, str):
                if not (url is not None and self.columns[col] == "url" and self._link(col, url, value)):
                    self.ws.write_string(self.row, col, value)
            elif isinstance(value, dt.datetime):
                self.ws.write_datetime(self.row, col, value, self.book.number(fmt))
            else:
                self.ws.write_number(self.row, col, value, self.book.number(fmt))

    def _link(self, col: int, url: str, text: str) -> bool:
        """Write ``text`` linked to ``url``, unless past Excel's limits (then the text alone)."""
        if len(url) > _MAX_URL or self.links >= _MAX_LINKS:
            return False
        self.links += 1
        return self.ws.write_url(self.row, col, url, string=text) == 0

    def finish(self) -> None:
        """Filters on the header row, over every row written."""
        self.ws.autofilter(0, 0, self.row, len(self.columns) - 1)


def _number(value: Any) -> float | None:
    return None if is_missing(value) else float(value)


def _kpis_sheet(book: _Book, report: Any, labels: Labels) -> None:
    table = kpi_long(report, labels)
    ws = _Sheet(book, "KPIs", KPI_COLUMNS)
    for rec in table.to_dict("records"):
        key = rec["key"]
        value, previous, change = (_number(rec[c]) for c in ("value", "previous", "change"))
        unit = " pp" if rec["unit"] == "percent" else "%"
        ws.append([
            (key, None), (_text(rec["label"]), None), (rec["network"], None),
            (value, _number_format(kpi_decimals(key, value))),
            (previous, _number_format(kpi_decimals(key, previous))),
            (change, _number_format(change_decimals(change), f'"{unit}"')),
            (rec["unit"], None),
        ])  # fmt: skip
    ws.finish()


_POST_FORMATS = {"published": "yyyy-mm-dd hh:mm", "er_post": "0.00", "er_view": "0.00"}


def _posts_sheet(book: _Book, title: str, rows: pd.DataFrame) -> None:
    ws = _Sheet(book, title, POST_COLUMNS)
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
        url = rec["url"]
        safe = url.strip() if isinstance(url, str) and _SAFE_URL.match(url.strip()) else None
        ws.append(values, url=safe)
    ws.finish()


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
) -> bytes:
    """The workbook of :func:`write_workbook` as bytes."""
    import io

    import xlsxwriter

    L = labels if isinstance(labels, Labels) else Labels(labels, currency=report.currency)
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = f"{report.client} {report.period.start}..{report.period.end}"
    wb.set_properties({"title": title, "created": dt.datetime(2000, 1, 1)})  # the same inputs, the same file
    book = _Book(wb)
    _kpis_sheet(book, report, L)
    rows = post_rows(posts, timezone=timezone)
    _posts_sheet(book, "Posts", rows)
    _posts_sheet(book, "Top posts", _top_rows(report.top_posts, rows, timezone))
    wb.close()
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
