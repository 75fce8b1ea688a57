"""The report's numbers as tables for other tools: the tidy KPI table and the period's posts.

:func:`kpi_long` is the one long ("tidy") table of a period's KPIs: one row per network
(``total`` for the total) and KPI key, with the KPI's label in the client's language, its
value, the previous period's value, the change and the unit. ``smmkit kpis --format csv``
prints it (rounded as the report shows each value) and ``report.xlsx`` holds it
(:mod:`smmkit.report.workbook`, exact values shown with the same decimals).

The change is the one the report shows (metrics.md, "How the report shows them"): for a KPI
whose unit is percent, the difference in percentage points (``value - previous``); for counts,
currency and hours, the relative change in % (``(value / previous - 1) x 100``, the JSON's
``change``); none for a KPI that is itself a change (``response_time_change``) and none when
the JSON's change is null (a previous value of 0 or unknown, or a previous period the exports
do not cover).

:func:`post_rows` is the full table of the period's posts (Sprout's post performance report):
every post published in the period with its counts and rates, newest first.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from smmkit.catalogue import KPI_KEYS
from smmkit.catalogue import kpi as catalogue_kpi
from smmkit.report.i18n import Labels, format_kpi, format_number, is_missing

__all__ = [
    "KPI_COLUMNS",
    "POST_COLUMNS",
    "change_decimals",
    "is_change_kpi",
    "kpi_decimals",
    "kpi_long",
    "post_rows",
    "shown_change",
]

#: The columns of :func:`kpi_long`, in order.
KPI_COLUMNS: tuple[str, ...] = ("key", "label", "network", "value", "previous", "change", "unit")

#: The columns of :func:`post_rows`, in order: who, when, what, then the counts and the rates.
POST_COLUMNS: tuple[str, ...] = (
    "network", "post_id", "published", "type", "text", "url",
    "reach", "impressions", "likes", "comments", "shares", "saves", "clicks", "video_views",
    "engagements", "er_post", "er_view",
)  # fmt: skip

_DECIMALS = re.compile(r"\.(\d+)")


def _decimals_of(text: str) -> int:
    """The decimals a formatted English number shows: ``"1,234.5 h"`` -> 1, ``"$1,234"`` -> 0."""
    match = _DECIMALS.search(text)
    return len(match.group(1)) if match else 0


def kpi_decimals(key: str, value: Any) -> int | None:
    """The decimals the report shows ``value`` of KPI ``key`` with (the formatter's,
    :func:`smmkit.report.i18n.format_kpi`); None for an unknown value.

    >>> kpi_decimals("er", 2.314), kpi_decimals("posts", 41), kpi_decimals("avg_response_time_h", 5.25)
    (1, 0, 1)
    """
    if is_missing(value):
        return None
    return _decimals_of(format_kpi(key, float(value), "en"))


def change_decimals(value: Any) -> int | None:
    """The decimals the report shows a change with (a percent, :func:`~smmkit.report.i18n.format_number`)."""
    if is_missing(value):
        return None
    return _decimals_of(format_number(float(value), "en", kind="percent"))


def is_change_kpi(key: str) -> bool:
    """Whether KPI ``key`` is itself a change against the previous period (no change of its own):
    the catalogue's ``is_change`` where it has one, else its total rule ``previous_change``."""
    record = catalogue_kpi(key)
    return bool(getattr(record, "is_change", False)) or record.total == "previous_change"


def _float(value: Any) -> float | None:
    return None if is_missing(value) else float(value)


def shown_change(key: str, value: Any, previous: Any, change: Any) -> float | None:
    """The change of KPI ``key`` as the report shows it (see the module's docstring): percentage
    points for a percent KPI, else ``change`` (relative, %); None where the report shows none."""
    cur, prev, relative = _float(value), _float(previous), _float(change)
    if is_change_kpi(key) or cur is None or prev is None or relative is None:
        return None  # the engine's change is null where previous is 0 or not covered by the exports
    return cur - prev if catalogue_kpi(key).unit == "percent" else relative


def _round(value: float | None, decimals: int | None) -> float | None:
    if value is None or decimals is None:
        return value
    out = round(value, decimals)
    return 0.0 if out == 0 else out  # never -0.0


def _unit(key: str, currency: str | None) -> str:
    unit = catalogue_kpi(key).unit
    return (currency or "currency") if unit == "currency" else unit


def kpi_long(report: Any, labels: Labels | str = "en", *, rounded: bool = False) -> pd.DataFrame:
    """Every KPI of the period's total and of each network as one long table (:data:`KPI_COLUMNS`).

    Parameters
    ----------
    report
        A :class:`smmkit.kpi.result.KPIReport`.
    labels
        The client's language (``"ru"``) or :class:`~smmkit.report.i18n.Labels`: the ``label``
        column (the KPI's name as the report writes it).
    rounded
        Round ``value`` and ``previous`` as the report shows each (:func:`kpi_decimals`) and the
        change as the report shows changes (:func:`change_decimals`); else exact.

    Returns
    -------
    pandas.DataFrame
        Rows: ``total`` first, then each network in the report's order, each with every key of
        the catalogue in its order. ``value``, ``previous`` and ``change`` are floats (NaN =
        unknown or not shown); ``unit`` is the catalogue's unit (``count``, ``percent``, ``ratio``,
        ``hours``, ``seconds``), the client's currency code for money.
    """
    L = labels if isinstance(labels, Labels) else Labels(labels)
    scopes = [("total", report.total, report.previous.total, report.change.total)]
    for net in report.networks.index:
        scopes.append(
            (str(net), report.networks.loc[net], _row(report.previous.networks, net), _row(report.change.networks, net))
        )  # fmt: skip
    rows = []
    for network, cur, prev, chg in scopes:
        for key in KPI_KEYS:
            value, previous = _float(cur.get(key)), _float(prev.get(key))
            change = shown_change(key, value, previous, chg.get(key))
            if rounded:
                value, previous = (
                    _round(value, kpi_decimals(key, value)),
                    _round(previous, kpi_decimals(key, previous)),
                )
                change = _round(change, change_decimals(change))
            rows.append((key, L.kpi(key), network, value, previous, change, _unit(key, report.currency)))
    frame = pd.DataFrame(rows, columns=list(KPI_COLUMNS))
    for col in ("value", "previous", "change"):
        frame[col] = frame[col].astype("float64")
    return frame


def _row(frame: pd.DataFrame, net: Any) -> pd.Series:
    return frame.loc[net] if net in frame.index else pd.Series(dtype="float64")


def post_rows(posts: pd.DataFrame, *, timezone: str | None = None, newest_first: bool = True) -> pd.DataFrame:
    """The period's posts (:func:`smmkit.kpi.tables.period_posts`) as a plain table (:data:`POST_COLUMNS`).

    ``published`` is the local time of publishing without a time zone (``timezone``: the client's;
    a spreadsheet has no time zones), counts are floats (NaN = unknown), ``er_post`` and
    ``er_view`` percent. Newest first (ties: by network, then post ID), or in the order of ``posts``
    with ``newest_first=False`` (the top posts' ranking).
    """
    out = pd.DataFrame(index=posts.index)
    for col in POST_COLUMNS:
        source = {"published": "published_at", "type": "post_type"}.get(col, col)
        out[col] = posts.get(source, np.nan)
    when = pd.to_datetime(out["published"])
    if len(when) and getattr(when.dt, "tz", None) is not None:
        when = when.dt.tz_convert(timezone) if timezone else when
        when = when.dt.tz_localize(None)
    out["published"] = when
    for col in ("network", "post_id", "type", "text", "url"):
        out[col] = [None if is_missing(v) or v is None else str(v) for v in out[col]]
    for col in POST_COLUMNS[6:]:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64")
    if newest_first:
        out = out.sort_values(
            ["published", "network", "post_id"],
            ascending=[False, True, True],
            kind="mergesort",
            na_position="last",
        )
    return out.reset_index(drop=True)
