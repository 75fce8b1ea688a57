"""Google Analytics 4 traffic acquisition CSV: a ``#`` preamble, the daily table by source / medium and,
in older files, a second date-less table."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..timeline import END, START
from .base import Rows, write_csv

GA4_HEADER = [
    "Date", "Session source / medium", "Session primary channel group (Default Channel Group)", "Users",
    "New users", "Sessions", "Engaged sessions", "Average engagement time per session", "Views",
    "Key events", "Total revenue",
]  # fmt: skip
#: The same columns under the names of older GA4 files.
GA4_OLD_HEADER = [
    *GA4_HEADER[:2],
    "Session default channel group",
    *GA4_HEADER[3:9],
    "Conversions",
    GA4_HEADER[10],
]


def ga4_preamble(account: str, prop: str, start: pd.Timestamp, end: pd.Timestamp) -> str:
    """The ``#`` lines GA4 writes above the table (account, property, date range)."""
    bar = "# ----------------------------------------"
    return "\n".join(
        [
            bar,
            "# Traffic acquisition: Session source / medium",
            f"# Account: {account}",
            f"# Property: {prop}",
            bar,
            "#",
            f"# Start date: {start:%Y%m%d}",
            f"# End date: {end:%Y%m%d}",
            "",
        ]
    )


def write_ga4(
    path: Path,
    rows: Rows,
    *,
    account: str,
    prop: str,
    start: pd.Timestamp = START,
    end: pd.Timestamp = END,
    header: Sequence[str] = GA4_HEADER,
) -> None:
    """A GA4 traffic acquisition CSV of ``rows`` (those of ``simulation.ga4_rows``)."""
    write_csv(path, header, rows, preamble=ga4_preamble(account, prop, start, end))


def ga4_source_summary(rows: Rows) -> tuple[list[str], list[list[object]]]:
    """A second, date-less table: totals by ``Session source`` (as GA4 appends)."""
    frame = pd.DataFrame(rows, columns=GA4_HEADER)
    frame["Session source"] = frame["Session source / medium"].str.split(" / ").str[0]
    sums = frame.groupby("Session source", sort=False)[["Users", "Sessions", "Key events"]].sum()
    sums = sums.sort_values("Sessions", ascending=False, kind="stable")
    header = ["Session source", "Users", "Sessions", "Key events"]
    return header, [[src, *map(int, vals)] for src, vals in zip(sums.index, sums.to_numpy(), strict=True)]


def append_source_summary(path: Path, rows: Rows) -> None:
    """Append :func:`ga4_source_summary` of ``rows`` to the file, after a blank line."""
    header2, rows2 = ga4_source_summary(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header2, *rows2])
    path.write_bytes(path.read_bytes() + b"\n" + buf.getvalue().encode())
