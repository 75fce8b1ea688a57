"""HTML fragments of the report pages: section headings, KPI cards, tables, "no data" lines.

Each public fragment returns ``IPython.display.HTML`` (a ``<div class="smmkit-block">``).
Every string that comes from an export or from ``client.yaml`` (post texts, author and
client names, URLs) goes through :func:`escape`; links are kept only for ``http``/``https``
URLs. Every table is built by :func:`html_table`; a value cell carries ``data-kpi``,
``data-scope`` and ``data-value`` (the unrounded number) for tests and tools.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import HTML

from smmkit.catalogue import KPI_KEYS
from smmkit.errors import UsageError
from smmkit.kpi.periods import Period
from smmkit.kpi.result import ARROWS, change_direction
from smmkit.report import theme
from smmkit.report.i18n import LABELS, Change, Labels, as_labels, change_class, is_missing
from smmkit.report.sections import anchor

__all__ = [
    "VISITOR_PAIRS",
    "block",
    "escape",
    "funnel_table",
    "html_table",
    "kpi_card",
    "kpi_cards",
    "kpi_table",
    "no_data",
    "empty_section",
    "note",
    "notes",
    "posts_table",
    "scroll_box",
    "downloads",
    "section",
    "signals_table",
    "social_vs_site",
    "spikes_table",
    "swatch",
    "table",
    "targets_table",
    "toc",
]

_SAFE_URL = re.compile(r"https?://", re.IGNORECASE)

#: The on-site behaviour pairs of metrics.md: (social key, site key).
VISITOR_PAIRS: tuple[tuple[str, str], ...] = (
    ("social_new_users_pct", "site_new_users_pct"),
    ("social_bounce_rate", "site_bounce_rate"),
    ("social_pages_per_session", "site_pages_per_session"),
    ("social_avg_session_s", "site_avg_session_s"),
)


# --------------------------------------------------------------------------- building parts
def escape(value: Any) -> str:
    """``value`` as HTML text (quotes escaped too, so it may go into an attribute); None -> ``""``."""
    return html.escape("" if value is None else str(value), quote=True)


_e = escape


def block(inner: str) -> HTML:
    """``inner`` (HTML) as one block of a page: ``<div class="smmkit-block">``."""
    return HTML(f'<div class="smmkit-block">{inner}</div>')


def swatch(network: str) -> str:
    """A small square in the network's colour, put before its name."""
    return f'<span class="smmkit-swatch" style="background:{theme.network_color(network)}"></span>'


def html_table(
    head: Iterable[str],
    rows: Iterable[Iterable[str]],
    *,
    css_class: str = "smmkit-table",
    row_attrs: Iterable[str] | None = None,
) -> str:
    """An HTML table: the one shape of every table of the report.

    Parameters
    ----------
    head
        The header cells' contents, as HTML (escape the texts: :func:`escape`).
    rows
        Each row's cells, each a whole ``<td ...>...</td>`` (a cell may carry attributes).
    css_class
        The table's class.
    row_attrs
        The attributes of each ``<tr>`` (HTML), one per row; none when omitted.
    """
    head_html = "".join(f"<th>{h}</th>" for h in head)
    cells = ["".join(row) for row in rows]
    attrs = [f" {a}" for a in row_attrs] if row_attrs is not None else [""] * len(cells)
    body = "".join(f"<tr{a}>{c}</tr>" for a, c in zip(attrs, cells, strict=True))
    return f'<table class="{css_class}"><thead><tr>{head_html}</tr></thead><tbody>{body}</tbody></table>'


def _raw(value: Any) -> str:
    """The unrounded number for a ``data-value`` attribute (``""`` when unknown)."""
    return "" if is_missing(value) else repr(float(value))


def _value_attrs(key: str, scope: str, value: Any) -> str:
    return f'data-kpi="{_e(key)}" data-scope="{_e(scope)}" data-value="{_raw(value)}"'


def _compared(report: Any, key: str, scope: str = "total") -> tuple[float, float, bool]:
    """``(current, previous, comparable)`` of a KPI (:meth:`KPIReport.compared`; a report-like
    object without it: its ``previous`` table, else the previous value its relative change implies)."""
    if hasattr(report, "compared"):
        return report.compared(key, scope)
    current = float(report.total[key])
    if hasattr(report, "previous"):
        return current, float(report.previous.total[key]), True
    change = float(report.change.total[key])
    previous = current / (1 + change / 100) if np.isfinite(change) and change != -100 else np.nan
    return current, previous, True


def _value_cell(key: str, scope: str, value: Any, L: Labels) -> str:
    return f"<td {_value_attrs(key, scope, value)}>{_e(L.value(key, value))}</td>"


# --------------------------------------------------------------------------- headings and lines
def toc(sections: Sequence[str], labels: Labels | str | None = None) -> HTML:
    """A table of contents linking each section's heading (sections are label keys)."""
    L = as_labels(labels)
    items = "".join(f'<li><a href="#{anchor(k)}">{_e(L(k))}</a></li>' for k in sections)
    return block(f'<nav class="smmkit-toc"><strong>{_e(L("toc"))}</strong><ol>{items}</ol></nav>')


def section(
    key: str,
    labels: Labels | str | None = None,
    *,
    sources: Sequence[str] = (),
    period: Period | None = None,
    title: str | None = None,
    intro: str | None = None,
    **fields: Any,
) -> HTML:
    """A section heading (``<h2>`` with an anchor for the TOC), its intro text and its data sources.

    The title is ``title`` or else the label ``key``, the intro the label ``intro`` or else
    ``key + ".intro"`` when there is one (``fields`` fill its placeholders); ``sources`` are
    ``src.*`` keys; ``period`` is stated under the intro.
    """
    L = as_labels(labels)
    parts = [f'<h2 id="{anchor(key)}">{_e(title or L(key))}</h2>']
    intro_key = intro if intro in LABELS else key + ".intro"
    if intro is not None and intro not in LABELS:
        parts.append(f"<p>{_e(intro)}</p>")
    elif intro_key in LABELS:
        parts.append(f"<p>{_e(L(intro_key, **fields))}</p>")
    meta = []
    if period is not None:
        meta.append(f"{_e(L('period'))}: {_e(L.period(period))}")
    if sources:
        meta.append(f"{_e(L('source'))}: {_e('; '.join(L('src.' + s) for s in sources))}")
    if meta:
        parts.append(f'<p class="smmkit-meta">{" · ".join(meta)}</p>')
    return block("".join(parts))


def no_data(labels: Labels | str | None, what: str) -> HTML:
    """One line saying the client has no ``what`` data (``what`` is a ``what.*`` key or plain text)."""
    L = as_labels(labels)
    thing = L(f"what.{what}") if f"what.{what}" in LABELS else what
    return block(f'<p class="smmkit-nodata">{_e(L("no_data", what=thing))}</p>')


def empty_section(key: str, labels: Labels | str | None, what: str, *, title: str | None = None) -> HTML:
    """A section with nothing to show as one short line: its title (with the TOC's anchor) and
    the "no ``what`` data" sentence of :func:`no_data`."""
    L = as_labels(labels)
    thing = L(f"what.{what}") if f"what.{what}" in LABELS else what
    line = f" · {_e(L('no_data', what=thing))}" if what else ""
    return block(
        f'<p class="smmkit-nodata" id="{anchor(key)}"><strong>{_e(title or L(key))}</strong>{line}</p>'
    )


def note(text: str) -> HTML:
    """A short explanatory line under a block (escaped)."""
    return block(f'<p class="smmkit-meta">{_e(text)}</p>')


def notes(messages: Iterable[str], labels: Labels | str | None = None) -> HTML | None:
    """The report's notes about its numbers (e.g. web KPIs left null), escaped; None when there are none."""
    L = as_labels(labels)
    items = "".join(f"<li>{_e(m)}</li>" for m in messages)
    if not items:
        return None
    return block(
        f'<p class="smmkit-meta"><strong>{_e(L("notes"))}</strong></p><ul class="smmkit-meta">{items}</ul>'
    )


# --------------------------------------------------------------------------- KPI cards and tables
def kpi_card(
    key: str,
    value: float,
    labels: Labels | str | None = None,
    *,
    change: float | None = None,
    target: float | None = None,
    attainment: float | None = None,
    scope: str = "total",
    previous: float | None = None,
    comparable: bool = True,
) -> str:
    """One KPI card as an HTML string: name, value with unit, change arrow, target attainment, formula.

    With ``previous``, the change is :func:`smmkit.report.i18n.kpi_change`'s (pp for a percent
    KPI, "new" from 0, none for a KPI that is itself a change); else the relative ``change``.
    """
    L = as_labels(labels)
    parts = [
        f'<div class="smmkit-card" {_value_attrs(key, scope, value)}>',
        f'<div class="smmkit-card-name">{_e(L.kpi(key))}</div>',
        f'<div class="smmkit-card-value">{_e(L.value(key, value))}</div>',
    ]
    if previous is not None:
        shown = L.kpi_change(key, value, previous, comparable=comparable)
    else:
        trend = change_class(key, change)
        arrow = ARROWS[change_direction(change)] if trend else ""
        shown = Change(L.change(change, key=key, current=value), trend, arrow)
    if shown.trend:
        parts.append(
            f'<div class="smmkit-card-change smmkit-{shown.trend}">{shown.arrow} '
            f'{_e(shown.text)} <span class="smmkit-meta">{_e(L("vs_previous"))}</span></div>'
        )
    if target is not None and np.isfinite(target):
        text = L("of_target", pct=L.number(attainment, kind="percent"), target=L.value(key, target))
        parts.append(f'<div class="smmkit-card-target">{_e(text)}</div>')
    parts.append(f'<div class="smmkit-card-formula">{_e(L.formula(key))}</div></div>')
    return "".join(parts)


def kpi_cards(
    report: Any, keys: Iterable[str], labels: Labels | str | None = None, *, known_only: bool = False
) -> HTML:
    """KPI cards of ``report.total`` for ``keys``, with the change and the target where set.

    With ``known_only``, a KPI unknown in the period (null) gets no card: one line under
    the cards names them instead ("Not in this client's exports for the period: ...").
    """
    L = as_labels(labels)
    targets = report.targets.set_index("key") if len(report.targets) else None
    cards = []
    keys = list(dict.fromkeys(keys))
    unknown = [k for k in keys if not np.isfinite(float(report.total[k]))] if known_only else []
    for key in (k for k in keys if k not in unknown):
        target = attainment = None
        if targets is not None and key in targets.index:
            target = float(targets.loc[key, "target"])
            attainment = float(targets.loc[key, "attainment"])
        current, previous, comparable = _compared(report, key)
        cards.append(
            kpi_card(
                key, current, L, change=report.change.total[key], target=target, attainment=attainment,
                previous=previous, comparable=comparable,
            )
        )  # fmt: skip
    html = f'<div class="smmkit-cards">{"".join(cards)}</div>' if cards else ""
    if unknown:
        names = ", ".join(L.kpi(k) for k in unknown)
        html += f'<p class="smmkit-meta smmkit-unknown">{_e(L("unknown_kpis", names=names))}</p>'
    return block(html)


def kpi_table(
    report: Any,
    keys: Iterable[str],
    labels: Labels | str | None = None,
    *,
    change: bool = True,
    formulas: bool = True,
    drop_unknown: bool = True,
) -> HTML:
    """A KPI x (networks, total) table; the total's change and the formula beside each KPI.

    Rows unknown in every column are left out when ``drop_unknown`` (the
    report says "no data" for whole sections instead), and so are networks with
    no known value among ``keys`` (e.g. ``other`` with web data only). Every value
    cell carries ``data-kpi``, ``data-scope`` and ``data-value`` (the unrounded number).
    A client of one network gets one value column, headed by the network and holding
    the total (the same numbers; the client's fixed costs included), not a duplicate Total.
    """
    L = as_labels(labels)
    keys = list(keys)
    nets = [str(n) for n in report.networks.index]
    single = nets[0] if len(nets) == 1 else None
    if drop_unknown:
        known = np.isfinite(report.networks.loc[:, keys].to_numpy(dtype=float)).any(axis=1)
        nets = [n for n, k in zip(nets, known, strict=True) if k]
    if single is not None:
        nets = []
    total_head = f"{swatch(single)}{_e(L.network(single))}" if single is not None else _e(L("total"))
    head = [_e(L("kpi")), *(f"{swatch(n)}{_e(L.network(n))}" for n in nets), total_head]
    head += [_e(L("change"))] * change + [_e(L("formula"))] * formulas
    rows = []
    for key in keys:
        values = [report.networks.loc[n, key] for n in nets] + [report.total[key]]
        if drop_unknown and not np.isfinite(np.asarray(values, dtype=float)).any():
            continue
        cells = [f"<td>{_e(L.kpi(key))}</td>"]
        cells += [
            _value_cell(key, scope, value, L) for scope, value in zip([*nets, "total"], values, strict=True)
        ]
        if change:
            current, previous, comparable = _compared(report, key)
            shown = L.kpi_change(key, current, previous, comparable=comparable)
            cls = f' class="smmkit-{shown.trend}"' if shown.trend else ""
            cells.append(f"<td{cls}>{_e(shown.text)}</td>")
        if formulas:
            cells.append(f'<td class="smmkit-formula">{_e(L.formula(key))}</td>')
        rows.append(cells)
    return block(html_table(head, rows))


def targets_table(report: Any, labels: Labels | str | None = None) -> HTML | None:
    """The targets of ``client.yaml`` with the actual value and the attainment; None without targets.

    Attainment is :attr:`KPIReport.targets`' ``attainment`` (actual / target x 100;
    target / actual x 100 for KPIs where lower is better).
    """
    L = as_labels(labels)
    if report.targets is None or report.targets.empty:
        return None
    head = [_e(L(k)) for k in ("kpi", "target", "value", "attainment", "formula")]
    rows = [
        [
            f"<td>{_e(L.kpi(rec['key']))}</td>",
            f"<td>{_e(L.value(rec['key'], rec['target']))}</td>",
            _value_cell(rec["key"], "total", rec["actual"], L),
            f"<td>{_e(L.number(rec['attainment'], kind='percent'))}</td>",
            f'<td class="smmkit-formula">{_e(L.formula(rec["key"]))}</td>',
        ]
        for rec in report.targets.to_dict("records")
    ]
    return block(html_table(head, rows))


def social_vs_site(report: Any, labels: Labels | str | None = None) -> HTML | None:
    """Each ``social_*`` figure (per network and in total) beside its ``site_*`` twin; None without web data."""
    L = as_labels(labels)
    keys = [k for pair in VISITOR_PAIRS for k in pair]
    if not np.isfinite(report.total[keys].to_numpy(dtype=float)).any():
        return None
    nets = [str(n) for n in report.networks.index if np.isfinite(report.networks.loc[n, keys[0::2]]).any()]
    head = [L("kpi"), *(L.network(n) for n in nets), f"{L('social')} ({L('total')})", L("site")]
    rows = [
        [
            f"<td>{_e(L.kpi(social).split(',')[0])}</td>",
            *(_value_cell(social, n, report.networks.loc[n, social], L) for n in nets),
            _value_cell(social, "total", report.total[social], L),
            _value_cell(site, "total", report.total[site], L),
        ]
        for social, site in VISITOR_PAIRS
    ]
    return block(html_table(map(_e, head), rows))


# --------------------------------------------------------------------------- posts, funnel, listening
def _link(url: Any, text: str) -> str:
    if url is None or url is pd.NA or not isinstance(url, str) or not _SAFE_URL.match(url.strip()):
        return ""
    return f'<a href="{_e(url.strip())}" rel="noopener noreferrer">{_e(text)}</a>'


def _shorten(text: Any, limit: int = 140) -> str:
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return ""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _post_cells(rec: dict[str, Any], columns: Sequence[str], L: Labels) -> list[str]:
    net = str(rec["network"])
    when = rec.get("published_at")
    day = L.date(when) if when is not None and pd.notna(when) else L.missing
    ptype = rec.get("post_type")
    return [
        f"<td>{swatch(net)}{_e(L.network(net))}</td>",
        f"<td>{_e(day)}</td>",
        f"<td>{_e(L.post_type(ptype))}</td>",
        f'<td class="smmkit-text">{_e(_shorten(rec.get("text")))}</td>',
        *(
            f'<td data-post="{_e(rec.get("post_id"))}" data-kpi="{_e(c)}" data-value="{_raw(rec.get(c))}">'
            f"{_e(L.value(c, rec.get(c)))}</td>"
            for c in columns
        ),
        f"<td>{_link(rec.get('url'), L('open'))}</td>",
    ]


def posts_table(
    posts: pd.DataFrame,
    labels: Labels | str | None = None,
    *,
    columns: Sequence[str] = ("reach", "engagements", "er_post"),
    limit: int | None = None,
) -> HTML:
    """Posts as a table: network, date, type, text (escaped, shortened), the KPI ``columns``, link.

    ``posts`` has ``network``, ``published_at``, ``text``, ``url`` and the
    ``columns`` (e.g. :attr:`KPIReport.top_posts` or :func:`smmkit.kpi.tables.period_posts`).
    """
    L = as_labels(labels)
    rows_in = posts if limit is None else posts.head(limit)
    if len(rows_in):  # a column no post has a value of (X has no reach) is left out
        columns = [c for c in columns if c in rows_in and rows_in[c].notna().any()]
    head = [L("network"), L("published"), L("post_type"), L("text"), *(L.kpi(c) for c in columns), L("link")]
    rows = [_post_cells(rec, columns, L) for rec in rows_in.to_dict("records")]
    return block(html_table(map(_e, head), rows))


#: The box of a long table: it scrolls on screen, its header stays in view; printed (the PDF) whole.
_SCROLL_CSS = (
    "@media screen{.smmkit-scroll{max-height:36rem;overflow:auto;border:1px solid #d0d7de;border-radius:4px}"
    ".smmkit-scroll thead th{position:sticky;top:0;background:#fff;z-index:1;box-shadow:0 1px 0 #d0d7de}}"
    # a long data table: a smaller type and a narrower text column, so that it fits a wide screen
    ".smmkit-scroll table{font-size:.875em}"
    "body.smmkit-report .smmkit-scroll table.smmkit-table td.smmkit-text{min-width:10rem}"
)


def scroll_box(table: HTML, *, notes: Sequence[str] = (), href: str | None = None) -> HTML:
    """``table`` (a :func:`block`) in a box that scrolls on screen, then the ``notes`` (text) in one
    line, the last a link to ``href`` (a download beside the page) when given."""
    inner = table.data.removeprefix('<div class="smmkit-block">').removesuffix("</div>")
    parts = [f"<style>{_SCROLL_CSS}</style>", f'<div class="smmkit-scroll">{inner}</div>']
    if notes:
        texts = [_e(n) for n in notes]
        if href is not None:
            texts[-1] = f'<a href="{_e(href)}" download>{texts[-1]}</a>'
        parts.append(f'<p class="smmkit-meta">{" ".join(texts)}</p>')
    return block("".join(parts))


def downloads(files: dict[str, str], labels: Labels | str | None = None) -> HTML | None:
    """Links to the report's downloads beside the page (``{"xlsx": "report.xlsx", "pdf": ...}``);
    None when there is none. The PDF leaves this line out (``smmkit-downloads``)."""
    L = as_labels(labels)
    links = [
        f'<a href="{_e(name)}" download>{_e(L("download." + kind))}</a>'
        for kind, name in files.items()
        if kind in ("xlsx", "pdf")
    ]
    if not links:
        return None
    return block(
        f'<p class="smmkit-downloads"><strong>{_e(L("downloads"))}:</strong> {" · ".join(links)}</p>'
    )


def table(
    frame: pd.DataFrame, labels: Labels | str | None = None, *, kinds: dict[str, str] | None = None
) -> HTML:
    """A small frame as an escaped table; ``kinds`` maps a column to a :func:`~smmkit.report.i18n.format_number` kind
    (a KPI key column is formatted as that KPI); other values are escaped text."""
    L = as_labels(labels)
    kinds = kinds or {}
    names = [L.kpi(kinds[c]) if kinds.get(c) in KPI_KEYS else str(c) for c in frame.columns]

    def text(col: str, value: Any) -> str:
        kind = kinds.get(col)
        if kind in KPI_KEYS:
            return L.value(kind, value)
        if kind is not None:
            return L.number(value, kind=kind)
        return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)

    rows = [
        [f"<td>{_e(idx)}</td>", *(f"<td>{_e(text(col, value))}</td>" for col, value in rec.items())]
        for idx, rec in zip(frame.index, frame.to_dict("records"), strict=True)
    ]
    return block(html_table(map(_e, [frame.index.name or "", *names]), rows))


def _rate_cell(rate: Any, L: Labels, *, first: bool = False, flagged: bool = False) -> str:
    """A funnel rate: blank for a path's first stage, "—" where there is no rate (its input is 0 or unknown)."""
    if first:
        return "<td></td>"
    if is_missing(rate):
        return '<td class="smmkit-norate">—</td>'
    flag = f' <span class="smmkit-flag" title="{_e(L("flagged"))}">⚑</span>' if flagged else ""
    return f"<td>{_e(L.number(rate, kind='percent'))}{flag}</td>"


def _funnel_rows(
    records: pd.DataFrame, scope: str, L: Labels
) -> tuple[list[list[str]], list[str], list[str]]:
    """The rows of one scope's funnel table, their ``<tr>`` attributes and the paths left out (unknown)."""
    rows: list[list[str]] = []
    attrs: list[str] = []
    left_out: list[str] = []
    for path, group in records.groupby("path", sort=False):
        if group["value"].isna().all():
            left_out.append(str(path))
            continue
        rows.append(
            [f"<td><strong>{_e(L('path.' + str(path)))}</strong></td>", "<td></td>", "<td></td>", "<td></td>"]
        )
        attrs.append(f'class="smmkit-path" data-path="{_e(path)}"')
        for i, rec in enumerate(group.to_dict("records")):
            first = (
                i == 0 and path != "web"
            )  # the web path's first stage has an input: the clicks of both paths
            rows.append(
                [
                    f"<td>{_e(L('stage.' + rec['stage']))}</td>",
                    f'<td data-stage="{_e(rec["stage"])}" data-scope="{_e(scope)}">{_e(L.number(rec["value"]))}</td>',
                    _rate_cell(rec["rate_prev"], L, first=first, flagged=bool(rec["flagged"])),
                    _rate_cell(rec["rate_top"], L),
                ]
            )
            attrs.append(f'data-path="{_e(path)}"')
    return rows, attrs, left_out


def funnel_table(
    funnel: pd.DataFrame, labels: Labels | str | None = None, *, scope: str = "total"
) -> HTML | None:
    """One scope of :attr:`KPIReport.funnel`: the organic and the paid rows, then the web stages both lead into.

    Each path is a group of rows under its name; each stage shows its value, its rate from
    the previous stage and from its path's first stage. There is no rate ("—", footnoted)
    from a stage that is 0 or unknown, and a rate above 100 % is shown as is and flagged
    (metrics.md, Funnel and the report conventions). A path whose every stage is unknown
    (no ad export, no web analytics) is left out and named in one line under the table;
    None when every path is.
    """
    L = as_labels(labels)
    records = funnel.loc[funnel["scope"] == scope]
    if records.empty:
        raise UsageError(f"`scope` {scope!r} is not in the funnel; scopes are {sorted(set(funnel['scope']))}")
    rows, attrs, left_out = _funnel_rows(records, scope, L)
    if not rows:
        return None
    head = [_e(L(k)) for k in ("stage", "value", "rate_prev", "rate_top")]
    notes = []
    if any('class="smmkit-norate"' in cell for row in rows for cell in row):
        notes.append(f'<p class="smmkit-meta">{_e(L("no_rate"))}</p>')
    if any("smmkit-flag" in cell for row in rows for cell in row):
        notes.append(f'<p class="smmkit-meta">⚑ {_e(L("flagged"))}</p>')
    if left_out:
        names = ", ".join(L("path." + p) for p in left_out)
        notes.append(f'<p class="smmkit-meta smmkit-unknown">{_e(L("unknown_kpis", names=names))}</p>')
    title = f"<p><strong>{swatch(scope)}{_e(L.network(scope))}</strong></p>"
    return block(f"{title}{html_table(head, rows, row_attrs=attrs)}{''.join(notes)}")


def spikes_table(report: Any, labels: Labels | str | None = None, *, signal: str = "mentions") -> HTML | None:
    """The spikes of one signal (:attr:`KPIReport.spikes`): day, value, typical day, z-score, top source."""
    L = as_labels(labels)
    records = report.spikes.loc[report.spikes["signal"] == signal]
    if records.empty:
        return None
    head = [_e(L(k)) for k in ("date", "value", "median", "z", "top_source")]
    rows = [
        [
            f"<td>{_e(L.date(r['date']))}</td>",
            f"<td>{_e(L.number(r['value']))}</td>",
            f"<td>{_e(L.number(r['median']))}</td>",
            f"<td>{_e(L.number(r['z'], kind='ratio'))}</td>",
            f"<td>{_e(r['top_source'] if isinstance(r['top_source'], str) else '')}</td>",
        ]
        for r in records.to_dict("records")
    ]
    return block(html_table(head, rows))


def _signal_items(report: Any, L: Labels) -> list[tuple[str, Any, str, str]]:
    """(network, day, kind, text) of each audience-quality, then each post-contest signal."""
    items = []
    for rec in report.signals.get("audience_quality", []):
        text = (
            f"{L.kpi('new_followers')}: {L.number(rec['new_followers'])} (z = {L.number(rec['z'], kind='ratio')}); "
            f"{L.kpi('er_post')}: {L.value('er_post', rec['er_post_before'])} → "
            f"{L.value('er_post', rec['er_post_after'])}"
        )
        items.append((rec["network"], rec["date"], L("cm.signals.quality"), text))
    for rec in report.signals.get("contest_unfollows", []):
        text = (
            f"{L.kpi('lost_followers')}: {L.number(rec['lost_followers'])}, {L('days', n=rec['days_after'])} "
            f"{L('cm.signals.after')} {L.date(rec['new_followers_date'])} "
            f"(+{L.number(rec['new_followers'])})"
        )
        items.append((rec["network"], rec["date"], L("cm.signals.contest"), text))
    return items


def signals_table(report: Any, labels: Labels | str | None = None) -> HTML | None:
    """The audience-quality and post-contest signals as one table; None when there is none."""
    L = as_labels(labels)
    items = _signal_items(report, L)
    if not items:
        return None
    head = [_e(L(k)) for k in ("network", "date", "cm.signals", "value")]
    rows = [
        [
            f"<td>{swatch(n)}{_e(L.network(n))}</td>",
            f"<td>{_e(L.date(d))}</td>",
            f"<td>{_e(kind)}</td>",
            f'<td class="smmkit-text">{_e(text)}</td>',
        ]
        for n, d, kind, text in items
    ]
    return block(html_table(head, rows))
