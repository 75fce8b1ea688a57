"""Plot helpers for the reports and for analysts at a notebook.

Each helper takes its data first and options as keywords, draws on ``ax``
(a new figure when ``ax=None``), returns the axes and never calls ``show()``
or ``savefig()``, as seaborn's functions do. Drawing happens inside
:func:`smmkit.report.theme.context`, so the report style applies without touching
matplotlib's global settings.

A helper given nothing to draw (no value, or only zeros and unknowns) draws nothing and
returns None, so that the caller shows its one "no data" line instead
(:meth:`smmkit.report.page.Page.block` does); zeros, negative values and a single point
are drawn, on scales that cannot fail (no log scale on data that can be zero).

Every chart gets a title, axis labels with units and, when ``period`` is
given, the period on a second title line. Names and numbers follow
``labels`` (:class:`smmkit.report.i18n.Labels`; English when omitted). Networks keep
their colour from :data:`smmkit.report.theme.NETWORK_COLORS`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, num2date
from matplotlib.lines import Line2D
from matplotlib.ticker import Formatter, FuncFormatter, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from smmkit.errors import UsageError
from smmkit.kpi.tables import coverage_column
from smmkit.report import theme
from smmkit.report.figures import Panels
from smmkit.report.i18n import Labels, as_labels

__all__ = [
    "DateTicks",
    "FUNNEL_COLORS",
    "bars",
    "daily_counts",
    "date_axis",
    "funnel",
    "heatmap",
    "network_bars",
    "scatter_frequency",
    "spike_days",
    "stacked_bars",
    "trend_grid",
    "trend_lines",
    "trend_panels",
    "voice_colors",
]


def _axes(ax: Axes | None, figsize: tuple[float, float] | None = None) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize)
    return ax


def _drawable(values: Any) -> bool:
    """Whether ``values`` hold a finite number other than 0 (an empty or all-zero series is not drawn)."""
    arr = np.asarray(values, dtype=float)
    return bool(np.any(np.isfinite(arr) & (arr != 0)))


def _title(ax: Axes, title: str | None, period: Any, L: Labels) -> None:
    text = title or ""
    if period is not None:
        text = f"{text}\n{L.period(period)}" if text else L.period(period)
    if text:
        ax.set_title(text, y=1.0 if _nothing_above(ax) else None)


def _nothing_above(ax: Axes) -> bool:
    """Whether nothing can lift the title of ``ax`` above its plot area: no x tick labels or x label
    on top, no offset text ("1e6") on the y axis (a formatter of the kit's), no other axes.

    matplotlib then places the title where ``y=1.0`` puts it, after measuring the y axis again at
    every draw (a tenth of a trend panel's draw); given ``y``, it does not measure.
    """
    return (
        len(ax.figure.axes) == 1
        and ax.xaxis.get_ticks_position() not in ("top", "unknown")
        and ax.xaxis.get_label_position() == "bottom"
        and isinstance(ax.yaxis.get_major_formatter(), FuncFormatter)
    )


class DateTicks(Formatter):
    """Date tick labels by the report's one date formatter (:func:`smmkit.report.i18n.format_ticks`):
    month ticks as months (``Nov 2026`` / ``нояб. 2026``), any other ticks as days (``Jun 13`` /
    ``13 июня``), never matplotlib's ``2026-11``."""

    def __init__(self, labels: Labels) -> None:
        self.labels = labels

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self.labels.ticks([num2date(x).date()])[0]

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        return self.labels.ticks([num2date(v).date() for v in values])


def date_axis(ax: Axes, labels: Labels | str | None = None, *, axis: str = "x") -> Axes:
    """Label the date ``axis`` of ``ax`` with :class:`DateTicks` (at most 6 ticks); return ``ax``."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(AutoDateLocator(minticks=3, maxticks=6))
    target.set_major_formatter(DateTicks(as_labels(labels)))
    return ax


class _InView(MaxNLocator):
    """:class:`~matplotlib.ticker.MaxNLocator`'s ticks less those outside the view: matplotlib makes
    a tick (five artists) for each location a locator gives, then draws only those in view."""

    def __call__(self) -> np.ndarray:
        locs = np.asarray(super().__call__(), dtype=float)
        vmin, vmax = sorted(self.axis.get_view_interval())
        slack = (vmax - vmin) * 1e-9  # looser than matplotlib's 1e-10 of the width: it filters again
        return locs[(locs >= vmin - slack) & (locs <= vmax + slack)]


def _tick_format(ax: Axes, L: Labels, *, axis: str = "y") -> None:
    """At most 5 ticks on ``axis`` with locale labels: whole ticks as counts (``1 234`` in ru), others as ratios."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_locator(_InView(5))

    def fmt(x: float, _pos: int) -> str:
        if float(x).is_integer():
            return L.number(x, kind="count")
        # a tick keeps the decimals it has (12.5 stays 12.5, not 12 as a per-post mean would read)
        decimals = next((d for d in range(1, 5) if abs(round(x, d) - x) <= 1e-9 * max(1.0, abs(x))), 4)
        return L.number(x, kind="ratio", decimals=decimals)

    target.set_major_formatter(FuncFormatter(fmt))


def bars(
    values: pd.Series,
    *,
    ax: Axes | None = None,
    colors: Sequence[str] | Mapping[str, str] | str | None = None,
    kind: str = "count",
    key: str | None = None,
    xlabel: str | None = None,
    title: str | None = None,
    period: Any = None,
    labels: Labels | str | None = None,
    value_labels: bool = True,
) -> Axes | None:
    """Horizontal bars, one per index entry (unknown values are left out), largest on top.

    None (nothing drawn) when no value is known and other than 0.

    Parameters
    ----------
    values
        The values; the index names the bars.
    colors
        One colour, a list, or a mapping index -> colour (default: the theme's first colour).
    kind, key
        How numbers are formatted: a :func:`~smmkit.report.i18n.format_number` kind, or a KPI ``key``
        (which also gives the default title and axis label with its unit).
    value_labels
        Write each value at the end of its bar.
    """
    L = as_labels(labels)
    data = pd.Series(values, dtype="float64").dropna().sort_values()
    if not _drawable(data):
        return None
    with theme.context():
        ax = _axes(ax, figsize=(8.0, max(1.6, 0.45 * len(data) + 1.2)))
        if isinstance(colors, Mapping):
            col = [colors.get(str(i), theme.PALETTE[0]) for i in data.index]
        elif isinstance(colors, str):
            col = [colors] * len(data)
        elif colors is not None:
            col = list(colors)[: len(data)]
        else:
            col = [theme.PALETTE[0]] * len(data)
        names = [str(i) for i in data.index]
        ax.barh(names, data.to_numpy(), color=col)
        if value_labels:
            for y, v in enumerate(data.to_numpy()):
                text = L.value(key, v) if key else L.number(v, kind=kind)
                ax.annotate(text, (v, y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=9)
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.set_xlabel(xlabel if xlabel is not None else (L.axis(key) if key else ""))
        ax.margins(x=0.15)
        _tick_format(ax, L, axis="x")
        _title(ax, title if title is not None else (L.kpi(key) if key else None), period, L)
    return ax


def network_bars(
    values: pd.Series,
    *,
    key: str,
    ax: Axes | None = None,
    title: str | None = None,
    period: Any = None,
    labels: Labels | str | None = None,
) -> Axes | None:
    """A KPI per network as horizontal bars in each network's colour (``values``: network -> value).

    A ``"total"`` entry is dropped (a total does not compare with its parts); None (nothing
    drawn) when no network's value is known and other than 0.
    """
    L = as_labels(labels)
    data = pd.Series(values, dtype="float64").drop(index="total", errors="ignore")
    colors = {L.network(str(n)): theme.network_color(str(n)) for n in data.index}
    data.index = [L.network(str(n)) for n in data.index]
    return bars(data, ax=ax, colors=colors, key=key, title=title, period=period, labels=L)


#: The ``gid`` of the markers of the points not fully covered (:func:`trend_lines`).
HOLLOW = "smmkit-hollow"


def _coverage_wide(trend: pd.DataFrame, key: str, wide: pd.DataFrame, cells: Any = None) -> pd.DataFrame:
    """Each point's coverage status (:func:`smmkit.kpi.tables.coverage_column`) shaped as ``wide``;
    ``"full"`` where the trend holds none (a frame made by hand). ``cells``: :func:`_cells` of
    ``trend`` when known."""
    column = coverage_column(key)
    if column not in trend.columns:
        return pd.DataFrame("full", index=wide.index, columns=wide.columns)
    status = _by_period(trend, column, cells)
    if status is None:
        status = trend.pivot_table(index="period_end", columns="scope", values=column, aggfunc="first")
    return status.reindex(index=wide.index, columns=wide.columns).fillna("full")


def _cells(trend: pd.DataFrame) -> tuple[np.ndarray, pd.Index, pd.Index] | None:
    """Each row's cell of the period_end x scope grid (rows and columns sorted), with the grid's
    index and columns; None unless every (period_end, scope) pair is one row with both keys."""
    rows, index = pd.factorize(trend["period_end"], sort=True)
    cols, columns = pd.factorize(trend["scope"], sort=True)
    cell = rows * len(columns) + cols
    if (rows < 0).any() or (cols < 0).any() or len(np.unique(cell)) != len(cell):
        return None
    return cell, pd.Index(index, name="period_end"), pd.Index(columns, name="scope")


def _by_period(trend: pd.DataFrame, column: str, cells: Any = None) -> pd.DataFrame | None:
    """``column`` as period_end x scope, as ``pivot_table(..., aggfunc="first", dropna=False)``
    makes it (rows and columns sorted, null where a pair has no row), placed directly when every
    (period_end, scope) pair is one row with both keys (a trend's shape); None otherwise.
    ``cells``: :func:`_cells` of ``trend`` when known (a trend's panels place it once)."""
    cells = _cells(trend) if cells is None else cells
    if not cells:
        return None
    cell, index, columns = cells
    values = trend[column].to_numpy()
    grid = np.full(
        len(index) * len(columns), np.nan, dtype=values.dtype if values.dtype.kind == "f" else object
    )
    grid[cell] = values
    return pd.DataFrame(grid.reshape(len(index), len(columns)), index=index, columns=columns)


def _hollow_handle(L: Labels) -> Line2D:
    """The legend entry of the hollow points (a grey hollow marker)."""
    return Line2D(
        [], [], linestyle="none", marker="o", markerfacecolor="white", color="grey", label=L("trend_partial")
    )


def has_hollow(ax: Axes) -> bool:
    """Whether ``ax`` draws a point not fully covered (:func:`trend_lines`)."""
    return any(line.get_gid() == HOLLOW for line in ax.get_lines())


def _trend_line(ax: Axes, x: pd.Index, y: np.ndarray, status: np.ndarray, scope: str, L: Labels) -> None:
    """One scope's line: a point not covered at all is left out (null), one covered in part is hollow."""
    y = np.where(status == "none", np.nan, y)
    hollow = (status == "partial") & np.isfinite(y)
    color = theme.network_color(scope)
    ax.plot(
        x,
        y,
        marker="o",
        markevery=[int(i) for i in np.flatnonzero(~hollow)] if hollow.any() else None,
        color=color,
        linestyle="--" if scope == "total" else "-",
        label=L.network(scope),
    )
    if hollow.any():
        ax.plot(
            x[hollow],
            y[hollow],
            linestyle="none",
            marker="o",
            markerfacecolor="white",
            markeredgecolor=color,
            label="_hollow",
            gid=HOLLOW,
        )


def trend_lines(
    trend: pd.DataFrame,
    key: str,
    *,
    ax: Axes | None = None,
    scopes: Sequence[str] | None = None,
    title: str | None = None,
    labels: Labels | str | None = None,
    legend: bool = True,
) -> Axes | None:
    """A KPI over consecutive periods, one line per network and a dashed one for the total.

    A scope whose values are all unknown or 0 gets no line; None (nothing drawn) when no
    scope is left. A single period draws as a point. A point whose period the sources of the
    KPI cover only in part (the trend's ``coverage:<key>`` column, metrics.md's coverage rule) is
    drawn hollow (a white face) and the legend says so ("hollow: partly covered by the exports");
    a point they do not cover at all is not drawn.

    Parameters
    ----------
    trend
        :func:`smmkit.kpi.tables.trend` output: ``period_end``, ``scope``, the ``key`` column and
        (optional) its coverage column.
    scopes
        The scopes to draw (default: every scope with a known value; ``"total"`` included).
    """
    if key not in trend.columns:
        raise UsageError(f"`key` {key!r} is not a column of `trend`; columns are {list(trend.columns)}")
    return _trend_lines(trend, key, None, ax=ax, scopes=scopes, title=title, labels=labels, legend=legend)


def _trend_lines(
    trend: pd.DataFrame,
    key: str,
    cells: Any,
    *,
    ax: Axes | None = None,
    scopes: Sequence[str] | None = None,
    title: str | None = None,
    labels: Labels | str | None = None,
    legend: bool = True,
) -> Axes | None:
    """:func:`trend_lines` of ``key`` (a column of ``trend``); ``cells``: :func:`_cells` of
    ``trend`` when known (``False``: not a grid), None to find them."""
    L = as_labels(labels)
    cells = (_cells(trend) or False) if cells is None else cells
    wide = _by_period(trend, key, cells) if trend[key].dtype == "float64" else None
    if wide is None:
        wide = trend.pivot_table(
            index="period_end", columns="scope", values=key, aggfunc="first", dropna=False
        )
    status = _coverage_wide(trend, key, wide, cells)
    wide = wide.mask(status == "none")
    wide = wide[[s for s in wide.columns if _drawable(wide[s])]]
    if scopes is not None:
        wide = wide[[s for s in scopes if s in wide.columns]]
    if wide.columns.empty:
        return None
    with theme.context():
        ax = _axes(ax)
        for scope in wide.columns:
            _trend_line(
                ax, wide.index, wide[scope].to_numpy(dtype=float), status[scope].to_numpy(), str(scope), L
            )
        ax.set_xlabel(L("period") + " (" + L("date").lower() + ")")
        ax.set_ylabel(L.axis(key))
        _tick_format(ax, L, axis="y")
        ax.set_xticks(list(wide.index))
        ax.set_xticklabels(L.ticks(wide.index), rotation=30, ha="right", fontsize=8)
        _title(ax, title if title is not None else L.kpi(key), None, L)
        if legend and len(wide.columns):
            handles, names = ax.get_legend_handles_labels()
            if has_hollow(ax):
                handles, names = [*handles, _hollow_handle(L)], [*names, L("trend_partial")]
            ax.legend(handles, names, loc="best")
    return ax


def trend_grid(
    trend: pd.DataFrame,
    keys: Sequence[str],
    *,
    ncols: int = 2,
    labels: Labels | str | None = None,
    scopes: Sequence[str] | None = None,
) -> np.ndarray | None:
    """Small multiples of :func:`trend_lines`, one panel per KPI of ``keys``; returns the axes array.

    A figure-level helper (like seaborn's ``FacetGrid``): it makes its own figure;
    unused panels are hidden, the legend is shown once (with the hollow points' entry when a
    panel has one). A KPI whose values are all unknown or 0 gets no panel; None (no figure)
    when no KPI is left.
    """
    keys = [k for k in keys if k in trend.columns and _drawable(trend[k])]
    if not keys:
        return None
    L = as_labels(labels)
    nrows = -(-len(keys) // ncols)
    with theme.context():
        fig, axes = plt.subplots(nrows, ncols, figsize=(4.4 * ncols, 2.9 * nrows), squeeze=False)
        for i, key in enumerate(keys):
            trend_lines(trend, key, ax=axes.flat[i], scopes=scopes, labels=L, legend=False)
        for ax in axes.flat[len(keys) :]:
            ax.set_visible(False)
        seen: dict[str, Any] = {}
        for ax in axes.flat[: len(keys)]:
            for handle, name in zip(*ax.get_legend_handles_labels(), strict=True):
                seen.setdefault(name, handle)
        if any(has_hollow(ax) for ax in axes.flat[: len(keys)]):
            seen[L("trend_partial")] = _hollow_handle(L)
        fig.legend(list(seen.values()), list(seen), loc="lower center", ncol=min(6, len(seen)), frameon=False)
        fig.tight_layout(rect=(0, 0.06, 1, 1))
    return axes


#: The colours of the funnel's paths (Okabe-Ito): organic posts, ads, and the website both lead to.
FUNNEL_COLORS: dict[str, str] = {"organic": "#0072B2", "paid": "#D55E00", "web": "#009E73"}
#: The funnel's text size in points: 11 pt is 15 px at the report's 100 dpi, still 9.8 px when a
#: phone (390 px) shows the 560 px figure 358 px wide.
_FUNNEL_FONT = 11.0


def _funnel_layout(rows: pd.DataFrame) -> list[tuple[str, dict[str, Any] | None]]:
    """The funnel chart's lines from the top: ``(path, None)`` for a path's heading, then
    ``(path, stage record)`` for each of its stages; a path with no known stage is left out."""
    lines: list[tuple[str, dict[str, Any] | None]] = []
    for path, group in rows.groupby("path", sort=False):
        if group["value"].notna().any():
            lines.append((str(path), None))
            lines += [(str(path), rec) for rec in group.to_dict("records")]
    return lines


def _funnel_label(rec: dict[str, Any], L: Labels) -> str:
    """A funnel bar's label: the value, and its rate from the previous stage where there is one."""
    text = L.number(rec["value"])
    if not pd.isna(rec["rate_prev"]):
        text += f" · {L.number(rec['rate_prev'], kind='percent')}"
    return text + (" ⚑" if rec["flagged"] else "")


def _funnel_bars(ax: Axes, lines: list[tuple[str, dict[str, Any] | None]], L: Labels) -> None:
    """Draw the funnel's lines from the top: each path's heading, then its stages' labelled bars."""
    heading = blended_transform_factory(ax.figure.transFigure, ax.transData)
    ticks, names = [], []
    for y, (path, rec) in zip(range(len(lines), 0, -1), lines, strict=True):
        if rec is None:  # the path's heading, from the figure's left edge over its stages' names and bars
            ax.text(0.02, y, L("path." + path), fontsize=_FUNNEL_FONT, fontweight="bold", va="center",
                    color=FUNNEL_COLORS[path], transform=heading)  # fmt: skip
            continue
        ticks.append(y)
        names.append(L("stage." + rec["stage"]))
        value = rec["value"]
        end = float(value) if not pd.isna(value) and value > 0 else 0.0  # 0 or unknown: no bar, the label
        if end:
            ax.barh(y, end, height=0.7, color=FUNNEL_COLORS[path])
        ax.annotate(_funnel_label(rec, L), xy=(end, y), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=_FUNNEL_FONT, color="#333333" if end else theme.FLAT)  # fmt: skip
    ax.set_yticks(ticks, names, fontsize=_FUNNEL_FONT)


def trend_panels(
    trend: pd.DataFrame,
    keys: Sequence[str],
    *,
    labels: Labels | str | None = None,
    scopes: Sequence[str] | None = None,
) -> Panels | None:
    """Small multiples of :func:`trend_lines` for a page: one figure per KPI of ``keys`` and one
    legend for all (:class:`~smmkit.report.figures.Panels`, which a page lays out in a grid that
    reflows to one column on a phone). A KPI whose values are all unknown or 0 gets no panel;
    None when no KPI is left."""
    L = as_labels(labels)
    cells = _cells(trend) or False  # the grid's cells placed once for every panel
    axes = [
        _trend_lines(trend, k, cells, scopes=scopes, labels=L, legend=False)
        for k in keys
        if k in trend.columns
    ]
    axes = [ax for ax in axes if ax is not None]
    if not axes:
        return None
    legend: dict[str, tuple[str, str, str]] = {}
    for ax in axes:
        for line in ax.get_lines():
            name = str(line.get_label())
            if not name.startswith("_"):
                style = "dashed" if line.get_linestyle() == "--" else "solid"
                legend.setdefault(name, (name, str(line.get_color()), style))
    entries = sorted(legend.values(), key=lambda e: e[2] == "dashed")  # the total's dashed line last
    if any(has_hollow(ax) for ax in axes):
        entries.append((L("trend_partial"), "#808080", "hollow"))
    return Panels(axes, entries)


def funnel(
    funnel: pd.DataFrame,
    *,
    scope: str = "total",
    ax: Axes | None = None,
    title: str | None = None,
    period: Any = None,
    labels: Labels | str | None = None,
) -> Axes | None:
    """The funnel of one scope (:attr:`KPIReport.funnel`) as labelled horizontal bars on a linear scale.

    The organic path (post impressions -> engagements -> link clicks), the paid path (ad
    impressions -> ad clicks) and the web stages both lead to (sessions -> conversions) are
    groups of bars under their names, each in its colour (:data:`FUNNEL_COLORS`); a path with no
    known stage is left out. Each bar is labelled with its value and its rate from the previous
    stage (the sessions' from the link and ad clicks together); a rate above 100 % is flagged with
    ``⚑`` (shown as is, never clipped), and there is no rate from a stage that is 0 or unknown.
    Zero and unknown stages get no bar, only their label. All bars share one linear scale (the
    longest takes 58 % of the width, leaving room for its label), so the x axis is not drawn: the
    labels carry the numbers. Drawn 5.6 in (560 px) wide with 11 pt text, readable on a phone.
    None (nothing drawn) when no stage is known and other than 0 (e.g. a quiet period).
    """
    L = as_labels(labels)
    rows = funnel.loc[funnel["scope"] == scope]
    if rows.empty:
        raise UsageError(f"`scope` {scope!r} is not in the funnel; scopes are {sorted(set(funnel['scope']))}")
    if not _drawable(rows["value"]):
        return None
    lines = _funnel_layout(rows)
    vmax = float(rows["value"].max())
    with theme.context():
        own = ax is None
        ax = _axes(ax, figsize=(5.6, 1.0 + 0.36 * len(lines)))
        _funnel_bars(ax, lines, L)
        ax.set_ylim(0.4, len(lines) + 0.6)
        ax.set_xlim(0, vmax / 0.58)
        ax.xaxis.set_visible(False)
        ax.spines[["bottom", "left"]].set_visible(False)
        ax.tick_params(axis="y", length=0)
        ax.grid(False)
        text = title if title is not None else f"{L('fn.funnel')}: {L.network(scope)}"
        if own:  # its own figure: the title from the figure's left edge too, so a long period is not cut
            text = f"{text}\n{L.period(period)}" if period is not None else text
            ax.figure.suptitle(
                text, x=0.02, ha="left", fontsize=plt.rcParams["axes.titlesize"], fontweight="bold"
            )
        else:
            _title(ax, text, period, L)
    return ax


def heatmap(
    grid: pd.DataFrame,
    *,
    key: str = "er_post",
    ax: Axes | None = None,
    title: str | None = None,
    period: Any = None,
    labels: Labels | str | None = None,
) -> Axes | None:
    """A weekday x hour grid (:func:`smmkit.kpi.tables.best_time`) as a heatmap; empty cells (NaN) stay white.

    Rows are weekdays (0 = Monday), columns hours 0-23; the colour bar is labelled with the KPI and unit.
    None (nothing drawn) when no cell is known and other than 0.
    """
    L = as_labels(labels)
    if not _drawable(grid.to_numpy(dtype=float)):
        return None
    values = np.ma.masked_invalid(grid.to_numpy(dtype=float))
    with theme.context():
        ax = _axes(ax, figsize=(9.0, 3.4))
        image = ax.imshow(values, aspect="auto", cmap="cividis", interpolation="nearest")
        ax.set_yticks(range(len(grid.index)), [L.weekdays()[int(d)] for d in grid.index])
        ax.set_xticks(range(0, len(grid.columns), 2), [str(h) for h in list(grid.columns)[::2]])
        ax.set_xlabel(L("hour"))
        ax.set_ylabel(L("weekday"))
        ax.grid(False)
        ax.figure.colorbar(image, ax=ax, label=L.axis(key), fraction=0.035, pad=0.02)
        _title(ax, title if title is not None else L("ct.heatmap"), period, L)
    return ax


def daily_counts(
    counts: pd.Series,
    *,
    spikes: Sequence[Any] | pd.Index | None = None,
    ax: Axes | None = None,
    key: str = "mentions",
    title: str | None = None,
    period: Any = None,
    labels: Labels | str | None = None,
    color: str | None = None,
) -> Axes | None:
    """A count per day as bars, with the ``spikes`` days (dates in ``counts.index``) marked by a triangle.

    None (nothing drawn) when no day's count is known and other than 0.
    """
    L = as_labels(labels)
    data = pd.Series(counts, dtype="float64")
    if not _drawable(data):
        return None
    with theme.context():
        ax = _axes(ax)
        ax.bar(data.index, data.to_numpy(), color=color or theme.PALETTE[0], width=0.8)
        # Spike days not in ``counts`` are left out; ``spikes`` may be a list, a Series or a DatetimeIndex.
        marked = data.reindex(pd.DatetimeIndex([] if spikes is None else list(spikes))).dropna()
        if len(marked):
            ax.scatter(
                marked.index,
                marked.to_numpy() * 1.05 + 0.5,
                marker="v",
                color=theme.BAD,
                s=40,
                zorder=3,
                label=L("spike"),
            )
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        ax.set_ylabel(f"{L.kpi(key)}, {L('unit.count')}")
        _tick_format(ax, L, axis="y")
        ax.set_xlabel(L("day"))
        date_axis(ax, L)
        _title(ax, title if title is not None else L.kpi(key), period, L)
    return ax


def stacked_bars(
    frame: pd.DataFrame,
    *,
    colors: Mapping[str, str] | None = None,
    ax: Axes | None = None,
    ylabel: str | None = None,
    xlabel: str | None = None,
    title: str | None = None,
    period: Any = None,
    labels: Labels | str | None = None,
) -> Axes | None:
    """Stacked vertical bars: one bar per row of ``frame`` (e.g. a week), one segment per column.

    None (nothing drawn) when no cell is known and other than 0.

    Column names are looked up in the label catalogue (``positive`` -> ``позитивные``)
    when they are catalogue keys; ``colors`` maps a column to its colour
    (default: :data:`smmkit.report.theme.SENTIMENT_COLORS`, then the palette).
    """
    L = as_labels(labels)
    if not _drawable(frame.to_numpy(dtype=float)):
        return None
    colors = dict(colors or theme.SENTIMENT_COLORS)
    with theme.context():
        ax = _axes(ax)
        bottom = np.zeros(len(frame))
        dated = isinstance(frame.index, pd.DatetimeIndex)
        ticks = L.ticks(frame.index) if dated else [str(i) for i in frame.index]
        for j, col in enumerate(frame.columns):
            values = frame[col].fillna(0).to_numpy(dtype=float)
            name = _maybe_label(L, str(col))
            color = colors.get(str(col), theme.PALETTE[j % len(theme.PALETTE)])
            ax.bar(range(len(frame)), values, bottom=bottom, color=color, label=name, width=0.7)
            bottom = bottom + values
        ax.set_xticks(range(len(frame)), ticks)
        ax.set_ylabel(ylabel if ylabel is not None else L("count"))
        ax.set_xlabel(xlabel if xlabel is not None else L("week"))
        if len(frame.columns):
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        _title(ax, title, period, L)
    return ax


def _maybe_label(L: Labels, key: str) -> str:
    from smmkit.report.i18n import LABELS

    return L(key) if key in LABELS else key


def scatter_frequency(
    frame: pd.DataFrame,
    *,
    x: str = "posts",
    y: str = "er_post",
    ax: Axes | None = None,
    title: str | None = None,
    period: Any = None,
    labels: Labels | str | None = None,
) -> Axes | None:
    """One point per row of ``frame`` (:func:`smmkit.kpi.tables.weekly_frequency`), coloured by ``network``.

    None (nothing drawn) when no row has both values known, or all of them are 0.
    """
    L = as_labels(labels)
    both = frame[[x, y]].astype(float).dropna() if len(frame) else frame[[]]
    if both.empty or not _drawable(both.to_numpy()):
        return None
    with theme.context():
        ax = _axes(ax)
        for net, rows in frame.groupby("network", observed=True, sort=True):
            ax.scatter(
                rows[x].to_numpy(dtype=float),
                rows[y].to_numpy(dtype=float),
                color=theme.network_color(str(net)),
                label=L.network(str(net)),
                alpha=0.85,
                edgecolor="white",
                s=45,
            )
        ax.set_xlabel(f"{L.kpi('posts')} / {L('week').lower()}")
        ax.set_ylabel(L.axis(y))
        if len(frame):
            ax.legend(loc="best")
        _title(ax, title if title is not None else L("ct.frequency"), period, L)
    return ax


# --------------------------------------------------------------------------- what the charts are given
def spike_days(report: Any, *, signal: str = "mentions") -> pd.DatetimeIndex:
    """The days :attr:`KPIReport.spikes` flags for one ``signal``, for :func:`daily_counts`.

    ``signal`` is a value of the spikes' ``signal`` column (e.g. ``"mentions"``); an
    empty index when there is no spike of that signal in the period.
    """
    spikes = report.spikes
    return pd.DatetimeIndex(spikes.loc[(spikes["signal"] == signal).to_numpy(bool), "date"], name="date")


def voice_colors(brands: Iterable[str], *, own: str, color: str | None = None) -> dict[str, str]:
    """Bar colours for the share-of-voice chart of :func:`smmkit.kpi.tables.voice`: brand -> colour.

    The client's own brand (``own``, its ``client.yaml: name``) in ``color`` (its
    brand colour; the theme's first colour when None), every other brand in the
    neutral grey :data:`smmkit.report.theme.FLAT`.
    """
    colors = {str(b): theme.FLAT for b in brands}
    colors[own] = color or theme.PALETTE[0]
    return colors
