"""The networks page's forecast: a chart with the 80 % band and a table (issue #12).

The numbers are the report's ``forecast`` (:mod:`smmkit.kpi.forecast`); the
history drawn is the same daily series the forecast read, so a reader sees
the trend the forecast extends. :func:`forecast_section` shows the section on the networks page.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, display
from matplotlib.axes import Axes

from smmkit.io.client import Client
from smmkit.kpi import forecast as F
from smmkit.kpi import metrics as m
from smmkit.kpi.engine import post_table
from smmkit.report import theme
from smmkit.report.figures import Panels, chart
from smmkit.report.fragments import block, escape, html_table
from smmkit.report.i18n import Labels, as_labels
from smmkit.report.plots import _tick_format as tick_format
from smmkit.report.plots import date_axis

if TYPE_CHECKING:
    from smmkit.report.page import Page

__all__ = ["forecast_axes", "forecast_section", "forecast_table_html"]


def _series(client: Client, report: Any) -> dict[str, dict[str, pd.Series | None]]:
    networks = [str(n) for n in report.networks.index]
    followers = m.followers_table(client.audience)
    return F.daily_series(followers, post_table(client), networks=networks, end=report.period.end)


def _no_band(ax: Axes, x: pd.Timestamp, y: float, L: Labels) -> None:
    """Say "not enough history" where the band would be (too few past errors to size it)."""
    ax.annotate(L("forecast.no_band"), (x, y), xytext=(0, 8), textcoords="offset points", ha="right",
                fontsize="small", color=theme.FLAT)  # fmt: skip


def _followers_panel(ax: Axes, entry: dict | None, hist: pd.Series | None, end: pd.Timestamp, days: int,
                     L: Labels) -> None:  # fmt: skip
    """Total followers by day with the forecast's line and band."""
    color = theme.PALETTE[0]
    if entry is not None and hist is not None:
        h = hist.loc[end - pd.Timedelta(days=F.MIN_PERIODS * days - 1) : end]
        ax.plot(h.index, h.to_numpy(), color=color, label=L("forecast.history"))
        target = pd.Timestamp(entry["end"])
        ax.plot(
            [end, target],
            [h.iloc[-1], entry["value"]],
            color=color,
            linestyle="--",
            label=L("forecast.value"),
        )
        if entry["low"] is not None:
            ax.fill_between(
                [end, target], [h.iloc[-1], entry["low"]], [h.iloc[-1], entry["high"]], color=color, alpha=0.2,
                label="80 %",
            )  # fmt: skip
        else:
            _no_band(ax, target, entry["value"], L)
        ax.legend(loc="upper left", fontsize="small")
    ax.set_title(L.kpi("followers_end"))


def _reach_panel(ax: Axes, entry: dict | None, hist: pd.Series | None, end: pd.Timestamp, days: int,
                 L: Labels) -> None:  # fmt: skip
    """Total post reach by period with the forecast's bar and band."""
    if entry is not None and hist is not None:
        h = hist.loc[end - pd.Timedelta(days=F.MIN_PERIODS * days - 1) : end]
        sums = h.to_numpy().reshape(F.MIN_PERIODS, days).sum(axis=1)
        ends = [end - pd.Timedelta(days=days * k) for k in range(F.MIN_PERIODS - 1, -1, -1)]
        width = pd.Timedelta(days=days * 0.8)
        ax.bar(ends, sums, width=width, color=theme.FLAT, alpha=0.6, label=L("forecast.history"))
        target = pd.Timestamp(entry["end"])
        ax.bar([target], [entry["value"]], width=width, color=theme.PALETTE[0], label=L("forecast.value"))
        if entry["low"] is not None:
            ax.errorbar(
                [target], [entry["value"]], yerr=[[entry["value"] - entry["low"]], [entry["high"] - entry["value"]]],
                color="black", capsize=4, label="80 %",
            )  # fmt: skip
        else:
            _no_band(ax, target, entry["value"], L)
        ax.legend(loc="upper left", fontsize="small")
    ax.set_title(L.kpi("reach"))


def forecast_axes(
    client: Client, report: Any, *, labels: Labels | str | None = None, axes: tuple[Axes, Axes] | None = None
) -> tuple[Axes, Axes]:
    """Two panels: total followers by day, and total post reach by period, each with the forecast and
    its band, or "not enough history" where the band cannot be sized (each its own figure when
    ``axes`` is None: a page shows them as two panels)."""
    L = as_labels(labels)
    if axes is None:
        axes = (plt.subplots()[1], plt.subplots()[1])
    left, right = axes
    fc = report.forecast or {"total": {}}
    series = _series(client, report)
    days, end = report.period.days, pd.Timestamp(report.period.end)
    key = "followers_end"
    _followers_panel(left, fc["total"].get(key), series[key].get("total"), end, days, L)
    _reach_panel(right, fc["total"].get("reach"), series["reach"].get("total"), end, days, L)
    for ax in axes:
        date_axis(ax, L)  # month and day ticks by the report's date formatter, not "2026-11"
        ax.tick_params(axis="x", labelrotation=30)
        tick_format(ax, L)  # locale numbers, no "1e6" offset
    return left, right


def forecast_table_html(report: Any, labels: Labels | str | None = None) -> str:
    """A table: each scope (total, then networks) x forecast KPI with the value and its 80 % bounds.

    Five columns (network, KPI, forecast, low, high); the period forecast is the caption above.
    Where the band cannot be sized (too few past errors), one cell across low and high says
    "not enough history".
    """
    L = as_labels(labels)
    fc = report.forecast
    head = [escape(L(k)) for k in ("network", "kpi", "forecast.value", "forecast.low", "forecast.high")]
    rows, attrs, until = [], [], None
    for scope, entries in [("total", fc["total"]), *fc["networks"].items()]:
        for key, entry in entries.items():
            if entry is None:
                continue
            until = entry["end"]
            cells = [
                f"<td>{escape(c)}</td>"
                for c in (L.network(scope), L.kpi(key), L.value(key, round(entry["value"])))
            ]
            if entry["low"] is None:
                cells.append(f'<td colspan="2" class="smmkit-nodata">{escape(L("forecast.no_band"))}</td>')
            else:
                cells += [f"<td>{escape(L.value(key, round(entry[b])))}</td>" for b in ("low", "high")]
            rows.append(cells)
            attrs.append(
                f'data-forecast="{escape(key)}" data-scope="{escape(scope)}" data-value="{entry["value"]!r}"'
            )
    caption = (
        ""
        if until is None
        else f'<p class="smmkit-meta">{escape(L("forecast.until"))} {escape(L.date(dt.date.fromisoformat(until)))}</p>'
    )
    return caption + html_table(head, rows, css_class="smmkit-table smmkit-forecast", row_attrs=attrs)


def forecast_section(page: Page) -> None:
    """The networks page's forecast: heading, chart with the 80 % band, and table; "no forecast" when null."""
    display(page.section("nw.forecast", sources=["audience", "posts"]))
    if page.report.forecast is None:
        display(block(f'<p class="smmkit-nodata">{escape(page.labels("forecast.none"))}</p>'))
        return
    display(chart(Panels(list(forecast_axes(page.client, page.report, labels=page.labels)))))
    display(HTML(theme.FINDINGS_CSS + block(forecast_table_html(page.report, page.labels)).data))
