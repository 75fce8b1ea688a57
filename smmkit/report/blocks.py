"""Display helpers for the report notebooks: sections, KPI cards, tables, "no data" notes.

The report notebooks hold narrative, parameters and calls; everything they
show is built here from :func:`smmkit.kpi.engine.kpis` and the client's tables:

- HTML blocks (:func:`section`, :func:`toc`, :func:`kpi_cards`, :func:`kpi_table`,
  :func:`posts_table`, :func:`funnel_table`, :func:`no_data`) return
  ``IPython.display.HTML``. Every string that comes from an export or from
  ``client.yaml`` (post texts, author and client names, URLs) goes through
  :func:`html.escape`; links are kept only for ``http``/``https`` URLs.
- Data helpers (:func:`trend`, :func:`period_posts`, :func:`best_time`,
  :func:`by_post_type`, :func:`weekly_frequency`, :func:`mentions_daily`,
  :func:`sentiment_weekly`, :func:`voice`, :func:`voice_colors`, :func:`spike_days`)
  compute what the charts draw, so that no metric logic lives in a notebook; the
  KPI lists of each page (:data:`HEADLINE`, :data:`MONTHLY`, :data:`AUDIENCE`,
  :data:`REACH`, :data:`FEEDBACK`, :data:`COST`, :data:`INBOX`) live here too.
- :func:`record` puts the headline numbers into the executed notebook as a
  ``application/vnd.smmkit.kpis+json`` output (not rendered to HTML), so tests
  can compare the page with ``smmkit kpis --format json``.
- :class:`Page` ties one client, one period and one language together.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import HTML, display

from smmkit.catalogue import KPI_KEYS, page_keys
from smmkit.config import resolve_client_dir
from smmkit.errors import UsageError
from smmkit.io.client import Client
from smmkit.kpi.periods import Period
from smmkit.kpi.tables import (  # the page data, re-exported so that notebooks find them on R
    best_time,
    by_post_type,
    history,
    mentions_daily,
    period_posts,
    sentiment_weekly,
    trend,
    voice,
    weekly_frequency,
)
from smmkit.report import theme
from smmkit.report.i18n import CATALOGUE, Labels, as_labels, change_class, is_missing

__all__ = [
    "AUDIENCE",
    "COST",
    "FEEDBACK",
    "HEADLINE",
    "INBOX",
    "KPIS_MIMETYPE",
    "MONTHLY",
    "PAGES",
    "Page",
    "REACH",
    "VISITOR_PAIRS",
    "best_time",
    "by_post_type",
    "change_class",
    "funnel_table",
    "history",
    "kpi_card",
    "kpi_cards",
    "kpi_table",
    "mentions_daily",
    "no_data",
    "open_page",
    "preload_page",
    "period_posts",
    "posts_table",
    "note",
    "notes",
    "record",
    "resolve_client_dir",
    "section",
    "signals_table",
    "social_vs_site",
    "spike_days",
    "spikes_table",
    "targets_table",
    "sentiment_weekly",
    "table",
    "toc",
    "trend",
    "voice",
    "voice_colors",
    "weekly_frequency",
    "key_findings",
    "page_findings",
    "analyst_notes",
    "figure_image",
    "forecast_section",
]

#: The mimetype of the machine-readable KPI record in executed notebooks (nbconvert does not render it).
KPIS_MIMETYPE = "application/vnd.smmkit.kpis+json"

#: The sections of each report page, in order (catalogue keys; the TOC is built from them).
PAGES: dict[str, tuple[str, ...]] = {
    "overview": ("ov.headline", "ov.targets", "ov.networks", "ov.mix", "ov.top"),
    "networks": ("nw.audience", "nw.reach", "nw.feedback"),
    "funnel": ("fn.funnel", "fn.visitors", "fn.cost"),
    "content": ("ct.top", "ct.ranking", "ct.types", "ct.heatmap", "ct.frequency"),
    "community": ("cm.inbox", "cm.complaints", "cm.mentions", "cm.sentiment", "cm.sov", "cm.signals"),
}

#: The KPI lists of the pages, read from the catalogue (a record's ``pages``), in catalogue order:
#: the monthly report's headline (metrics.md, "The monthly report holds at least", plus ER and cost),
#: the overview's per-network table, the networks page's audience, reach and feedback tables, the
#: funnel page's cost table and the community page's inbox table.
HEADLINE: tuple[str, ...] = page_keys("headline")
MONTHLY: tuple[str, ...] = page_keys("monthly")
AUDIENCE: tuple[str, ...] = page_keys("audience")
REACH: tuple[str, ...] = page_keys("reach")
FEEDBACK: tuple[str, ...] = page_keys("feedback")
COST: tuple[str, ...] = page_keys("cost")
INBOX: tuple[str, ...] = page_keys("inbox")

_SAFE_URL = re.compile(r"https?://", re.IGNORECASE)


# --------------------------------------------------------------------------- HTML blocks
def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _anchor(key: str) -> str:
    return "s-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def _block(inner: str) -> HTML:
    return HTML(f'<div class="smmkit-block">{inner}</div>')


def toc(sections: Sequence[str], labels: Labels | str | None = None) -> HTML:
    """A table of contents linking each section's heading (sections are catalogue keys)."""
    L = as_labels(labels)
    items = "".join(f'<li><a href="#{_anchor(k)}">{_e(L(k))}</a></li>' for k in sections)
    return _block(f'<nav class="smmkit-toc"><strong>{_e(L("toc"))}</strong><ol>{items}</ol></nav>')


def section(
    key: str,
    labels: Labels | str | None = None,
    *,
    sources: Sequence[str] = (),
    period: Period | None = None,
    **fields: Any,
) -> HTML:
    """A section heading (``<h2>`` with an anchor for the TOC), its intro text and its data sources.

    The title is the catalogue entry ``key``, the intro ``key + ".intro"`` when
    the catalogue has one (``fields`` fill its placeholders); ``sources`` are
    ``src.*`` keys; ``period`` is stated under the intro.
    """
    L = as_labels(labels)
    parts = [f'<h2 id="{_anchor(key)}">{_e(L(key))}</h2>']
    if key + ".intro" in CATALOGUE:
        parts.append(f"<p>{_e(L(key + '.intro', **fields))}</p>")
    meta = []
    if period is not None:
        meta.append(f"{_e(L('period'))}: {_e(L.period(period))}")
    if sources:
        meta.append(f"{_e(L('source'))}: {_e('; '.join(L('src.' + s) for s in sources))}")
    if meta:
        parts.append(f'<p class="smmkit-meta">{" · ".join(meta)}</p>')
    return _block("".join(parts))


def no_data(labels: Labels | str | None, what: str) -> HTML:
    """One line saying the client has no ``what`` data (``what`` is a ``what.*`` key or plain text)."""
    L = as_labels(labels)
    thing = L(f"what.{what}") if f"what.{what}" in CATALOGUE else what
    return _block(f'<p class="smmkit-nodata">{_e(L("no_data", what=thing))}</p>')


def note(text: str) -> HTML:
    """A short explanatory line under a block (escaped)."""
    return _block(f'<p class="smmkit-meta">{_e(text)}</p>')


def _raw(value: Any) -> str:
    """The unrounded number for a ``data-value`` attribute (``""`` when unknown)."""
    return "" if is_missing(value) else repr(float(value))


def _value_attrs(key: str, scope: str, value: Any) -> str:
    return f'data-kpi="{_e(key)}" data-scope="{_e(scope)}" data-value="{_raw(value)}"'


def kpi_card(
    key: str,
    value: float,
    labels: Labels | str | None = None,
    *,
    change: float | None = None,
    target: float | None = None,
    attainment: float | None = None,
    scope: str = "total",
) -> str:
    """One KPI card as an HTML string: name, value with unit, change arrow, target attainment, formula."""
    L = as_labels(labels)
    parts = [
        f'<div class="smmkit-card" {_value_attrs(key, scope, value)}>',
        f'<div class="smmkit-card-name">{_e(L.kpi(key))}</div>',
        f'<div class="smmkit-card-value">{_e(L.value(key, value))}</div>',
    ]
    trend = change_class(key, change)
    if trend:
        arrow = "=" if trend == "flat" else "▲" if change > 0 else "▼"
        parts.append(
            f'<div class="smmkit-card-change smmkit-{trend}">{arrow} {_e(L.change(change))} '
            f'<span class="smmkit-meta">{_e(L("vs_previous"))}</span></div>'
        )
    if target is not None and np.isfinite(target):
        text = L("of_target", pct=L.number(attainment, kind="percent"), target=L.value(key, target))
        parts.append(f'<div class="smmkit-card-target">{_e(text)}</div>')
    parts.append(f'<div class="smmkit-card-formula">{_e(L.formula(key))}</div></div>')
    return "".join(parts)


def kpi_cards(report: Any, keys: Iterable[str], labels: Labels | str | None = None) -> HTML:
    """KPI cards of ``report.total`` for ``keys``, with the change and the target where set."""
    L = as_labels(labels)
    targets = report.targets.set_index("key") if len(report.targets) else None
    cards = []
    for key in dict.fromkeys(keys):
        target = attainment = None
        if targets is not None and key in targets.index:
            target = float(targets.loc[key, "target"])
            attainment = float(targets.loc[key, "attainment"])
        cards.append(
            kpi_card(
                key,
                report.total[key],
                L,
                change=report.change.total[key],
                target=target,
                attainment=attainment,
            )
        )
    return _block(f'<div class="smmkit-cards">{"".join(cards)}</div>')


def _swatch(network: str) -> str:
    return f'<span class="smmkit-swatch" style="background:{theme.network_color(network)}"></span>'


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
    """
    L = as_labels(labels)
    keys = list(keys)
    nets = [str(n) for n in report.networks.index]
    if drop_unknown:
        known = np.isfinite(report.networks.loc[:, keys].to_numpy(dtype=float)).any(axis=1)
        nets = [n for n, k in zip(nets, known, strict=True) if k]
    head = [f"<th>{_e(L('kpi'))}</th>"]
    head += [f"<th>{_swatch(n)}{_e(L.network(n))}</th>" for n in nets]
    head.append(f"<th>{_e(L('total'))}</th>")
    if change:
        head.append(f"<th>{_e(L('change'))}</th>")
    if formulas:
        head.append(f"<th>{_e(L('formula'))}</th>")
    rows = []
    for key in keys:
        values = [report.networks.loc[n, key] for n in nets] + [report.total[key]]
        if drop_unknown and not np.isfinite(np.asarray(values, dtype=float)).any():
            continue
        cells = [f"<td>{_e(L.kpi(key))}</td>"]
        for scope, value in zip([*nets, "total"], values, strict=True):
            cells.append(f"<td {_value_attrs(key, scope, value)}>{_e(L.value(key, value))}</td>")
        if change:
            ch = report.change.total[key]
            cls = change_class(key, ch)
            cells.append(
                f'<td class="smmkit-{cls}">{_e(L.change(ch))}</td>' if cls else f"<td>{_e(L.change(ch))}</td>"
            )
        if formulas:
            cells.append(f'<td class="smmkit-formula">{_e(L.formula(key))}</td>')
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return _block(
        f'<table class="smmkit-table"><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _link(url: Any, text: str) -> str:
    if url is None or url is pd.NA or not isinstance(url, str) or not _SAFE_URL.match(url.strip()):
        return ""
    return f'<a href="{_e(url.strip())}" rel="noopener noreferrer">{_e(text)}</a>'


def _shorten(text: Any, limit: int = 140) -> str:
    if text is None or text is pd.NA or (isinstance(text, float) and np.isnan(text)):
        return ""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def posts_table(
    posts: pd.DataFrame,
    labels: Labels | str | None = None,
    *,
    columns: Sequence[str] = ("reach", "engagements", "er_post"),
    limit: int | None = None,
) -> HTML:
    """Posts as a table: network, date, type, text (escaped, shortened), the KPI ``columns``, link.

    ``posts`` has ``network``, ``published_at``, ``text``, ``url`` and the
    ``columns`` (e.g. :attr:`KPIReport.top_posts` or :func:`period_posts`).
    """
    L = as_labels(labels)
    rows_in = posts if limit is None else posts.head(limit)
    head = [L("network"), L("published"), L("post_type"), L("text"), *(L.kpi(c) for c in columns), L("link")]
    rows = []
    for rec in rows_in.to_dict("records"):
        net = str(rec["network"])
        when = rec.get("published_at")
        day = L.date(when) if when is not None and pd.notna(when) else L.missing
        ptype = rec.get("post_type")
        cells = [
            f"<td>{_swatch(net)}{_e(L.network(net))}</td>",
            f"<td>{_e(day)}</td>",
            f"<td>{_e('' if ptype is None or pd.isna(ptype) else ptype)}</td>",
            f'<td class="smmkit-text">{_e(_shorten(rec.get("text")))}</td>',
            *(
                f'<td data-post="{_e(rec.get("post_id"))}" data-kpi="{_e(c)}" data-value="{_raw(rec.get(c))}">'
                f"{_e(L.value(c, rec.get(c)))}</td>"
                for c in columns
            ),
            f"<td>{_link(rec.get('url'), L('open'))}</td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head_html = "".join(f"<th>{_e(h)}</th>" for h in head)
    return _block(
        f'<table class="smmkit-table"><thead><tr>{head_html}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def table(
    frame: pd.DataFrame, labels: Labels | str | None = None, *, kinds: dict[str, str] | None = None
) -> HTML:
    """A small frame as an escaped table; ``kinds`` maps a column to a :func:`~smmkit.report.i18n.format_number` kind
    (a KPI key column is formatted as that KPI); other values are escaped text."""
    L = as_labels(labels)
    kinds = kinds or {}
    names = [L.kpi(kinds[c]) if kinds.get(c) in KPI_KEYS else str(c) for c in frame.columns]
    head = "".join(f"<th>{_e(c)}</th>" for c in [frame.index.name or "", *names])
    rows = []
    for idx, rec in zip(frame.index, frame.to_dict("records"), strict=True):
        cells = [f"<td>{_e(idx)}</td>"]
        for col, value in rec.items():
            kind = kinds.get(col)
            if kind in KPI_KEYS:
                text = L.value(kind, value)
            elif kind is not None:
                text = L.number(value, kind=kind)
            else:
                text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
            cells.append(f"<td>{_e(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return _block(
        f'<table class="smmkit-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def funnel_table(funnel: pd.DataFrame, labels: Labels | str | None = None, *, scope: str = "total") -> HTML:
    """One scope of :attr:`KPIReport.funnel`: stage, value, rate from the previous stage and from the top.

    A rate above 100 % is shown as is and flagged (metrics.md, Funnel).
    """
    L = as_labels(labels)
    rows = funnel.loc[funnel["scope"] == scope]
    head = "".join(f"<th>{_e(L(k))}</th>" for k in ("stage", "value", "rate_prev", "rate_top"))
    body = []
    for rec in rows.to_dict("records"):
        flag = f' <span class="smmkit-flag" title="{_e(L("flagged"))}">⚑</span>' if rec["flagged"] else ""
        body.append(
            f"<tr><td>{_e(L('stage.' + rec['stage']))}</td>"
            f'<td data-stage="{_e(rec["stage"])}" data-scope="{_e(scope)}">{_e(L.number(rec["value"]))}</td>'
            f"<td>{_e(L.number(rec['rate_prev'], kind='percent'))}{flag}</td>"
            f"<td>{_e(L.number(rec['rate_top'], kind='percent'))}</td></tr>"
        )
    note = f'<p class="smmkit-meta">⚑ {_e(L("flagged"))}</p>' if rows["flagged"].any() else ""
    title = f"<p><strong>{_swatch(scope)}{_e(L.network(scope))}</strong></p>"
    return _block(
        f'{title}<table class="smmkit-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>{note}'
    )


def notes(messages: Iterable[str], labels: Labels | str | None = None) -> HTML | None:
    """The report's notes about its numbers (e.g. web KPIs left null), escaped; None when there are none."""
    L = as_labels(labels)
    items = "".join(f"<li>{_e(m)}</li>" for m in messages)
    if not items:
        return None
    return _block(
        f'<p class="smmkit-meta"><strong>{_e(L("notes"))}</strong></p><ul class="smmkit-meta">{items}</ul>'
    )


def record(report: Any) -> None:
    """Display the report's numbers as a ``application/vnd.smmkit.kpis+json`` output (for tests).

    Carries ``period``, ``previous_period``, ``total``, ``networks``, ``change``
    and ``top_posts`` of :meth:`KPIReport.to_dict`; nbconvert renders nothing for this mimetype.
    """
    data = report.to_dict()
    keep = ("client", "period", "previous_period", "total", "networks", "change", "top_posts", "targets")
    display({KPIS_MIMETYPE: {k: data[k] for k in keep if k in data}}, raw=True)


def targets_table(report: Any, labels: Labels | str | None = None) -> HTML | None:
    """The targets of ``client.yaml`` with the actual value and the attainment; None without targets.

    Attainment is :attr:`KPIReport.targets`' ``attainment`` (actual / target x 100;
    target / actual x 100 for KPIs where lower is better).
    """
    L = as_labels(labels)
    if report.targets is None or report.targets.empty:
        return None
    head = "".join(f"<th>{_e(L(k))}</th>" for k in ("kpi", "target", "value", "attainment", "formula"))
    rows = []
    for rec in report.targets.to_dict("records"):
        key = rec["key"]
        rows.append(
            f"<tr><td>{_e(L.kpi(key))}</td><td>{_e(L.value(key, rec['target']))}</td>"
            f"<td {_value_attrs(key, 'total', rec['actual'])}>{_e(L.value(key, rec['actual']))}</td>"
            f"<td>{_e(L.number(rec['attainment'], kind='percent'))}</td>"
            f'<td class="smmkit-formula">{_e(L.formula(key))}</td></tr>'
        )
    return _block(
        f'<table class="smmkit-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


#: The on-site behaviour pairs of metrics.md: (social key, site key).
VISITOR_PAIRS: tuple[tuple[str, str], ...] = (
    ("social_new_users_pct", "site_new_users_pct"),
    ("social_bounce_rate", "site_bounce_rate"),
    ("social_pages_per_session", "site_pages_per_session"),
    ("social_avg_session_s", "site_avg_session_s"),
)


def social_vs_site(report: Any, labels: Labels | str | None = None) -> HTML | None:
    """Each ``social_*`` figure (per network and in total) beside its ``site_*`` twin; None without web data."""
    L = as_labels(labels)
    keys = [k for pair in VISITOR_PAIRS for k in pair]
    if not np.isfinite(report.total[keys].to_numpy(dtype=float)).any():
        return None
    nets = [str(n) for n in report.networks.index if np.isfinite(report.networks.loc[n, keys[0::2]]).any()]
    head = [L("kpi"), *(L.network(n) for n in nets), f"{L('social')} ({L('total')})", L("site")]
    rows = []
    for social, site in VISITOR_PAIRS:
        name = L.kpi(social).split(",")[0]
        cells = [f"<td>{_e(name)}</td>"]
        for n in nets:
            value = report.networks.loc[n, social]
            cells.append(f"<td {_value_attrs(social, n, value)}>{_e(L.value(social, value))}</td>")
        cells.append(
            f"<td {_value_attrs(social, 'total', report.total[social])}>{_e(L.value(social, report.total[social]))}</td>"
        )
        cells.append(
            f"<td {_value_attrs(site, 'total', report.total[site])}>{_e(L.value(site, report.total[site]))}</td>"
        )
        rows.append(f"<tr>{''.join(cells)}</tr>")
    head_html = "".join(f"<th>{_e(h)}</th>" for h in head)
    return _block(
        f'<table class="smmkit-table"><thead><tr>{head_html}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def spike_days(report: Any, *, signal: str = "mentions") -> pd.DatetimeIndex:
    """The days :attr:`KPIReport.spikes` flags for one ``signal``, for :func:`smmkit.report.plots.daily_counts`.

    ``signal`` is a value of the spikes' ``signal`` column (e.g. ``"mentions"``); an
    empty index when there is no spike of that signal in the period.
    """
    spikes = report.spikes
    return pd.DatetimeIndex(spikes.loc[(spikes["signal"] == signal).to_numpy(bool), "date"], name="date")


def spikes_table(report: Any, labels: Labels | str | None = None, *, signal: str = "mentions") -> HTML | None:
    """The spikes of one signal (:attr:`KPIReport.spikes`): day, value, typical day, z-score, top source."""
    L = as_labels(labels)
    rows = report.spikes.loc[report.spikes["signal"] == signal]
    if rows.empty:
        return None
    head = "".join(f"<th>{_e(L(k))}</th>" for k in ("date", "value", "median", "z", "top_source"))
    body = "".join(
        f"<tr><td>{_e(L.date(r['date']))}</td><td>{_e(L.number(r['value']))}</td>"
        f"<td>{_e(L.number(r['median']))}</td><td>{_e(L.number(r['z'], kind='ratio'))}</td>"
        f"<td>{_e(r['top_source'] if isinstance(r['top_source'], str) else '')}</td></tr>"
        for r in rows.to_dict("records")
    )
    return _block(f'<table class="smmkit-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def signals_table(report: Any, labels: Labels | str | None = None) -> HTML | None:
    """The audience-quality and post-contest signals as one table; None when there is none."""
    L = as_labels(labels)
    items = []
    for rec in report.signals.get("audience_quality", []):
        text = (
            f"{L.kpi('new_followers')}: {L.number(rec['new_followers'])} (z = {L.number(rec['z'], kind='ratio')}); "
            f"{L.kpi('er_post')}: {L.number(rec['er_post_before'], kind='percent')} → "
            f"{L.number(rec['er_post_after'], kind='percent')}"
        )
        items.append((rec["network"], rec["date"], L("cm.signals.quality"), text))
    for rec in report.signals.get("contest_unfollows", []):
        text = (
            f"{L.kpi('lost_followers')}: {L.number(rec['lost_followers'])}, {L('days', n=rec['days_after'])} "
            f"{L('cm.signals.after')} {L.date(rec['new_followers_date'])} "
            f"(+{L.number(rec['new_followers'])})"
        )
        items.append((rec["network"], rec["date"], L("cm.signals.contest"), text))
    if not items:
        return None
    head = "".join(f"<th>{_e(L(k))}</th>" for k in ("network", "date", "cm.signals", "value"))
    body = "".join(
        f"<tr><td>{_swatch(n)}{_e(L.network(n))}</td><td>{_e(L.date(d))}</td><td>{_e(kind)}</td>"
        f'<td class="smmkit-text">{_e(text)}</td></tr>'
        for n, d, kind, text in items
    )
    return _block(f'<table class="smmkit-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')


def voice_colors(brands: Iterable[str], *, own: str, color: str | None = None) -> dict[str, str]:
    """Bar colours for the share-of-voice chart of :func:`voice`: brand -> colour.

    The client's own brand (``own``, its ``client.yaml: name``) in ``color`` (its
    brand colour; the theme's first colour when None), every other brand in the
    neutral grey :data:`smmkit.report.theme.FLAT`.
    """
    colors = {str(b): theme.FLAT for b in brands}
    colors[own] = color or theme.PALETTE[0]
    return colors


# --------------------------------------------------------------------------- a report page
@dataclass
class Page:
    """One report page: the client, its KPI report for the period, and the labels in its language."""

    name: str
    client: Client
    report: Any
    labels: Labels

    @property
    def lang(self) -> str:
        return self.labels.lang

    @property
    def period(self) -> Period:
        return self.report.period

    @property
    def brand_color(self) -> str | None:
        return self.client.config.brand.get("color")

    def header(self) -> HTML:
        """The page's CSS, title, period and table of contents."""
        L = self.labels
        line = L("period_line", period=L.period(self.period), previous=L.period(self.report.previous_period))
        head = (
            f"<style>{theme.page_css(brand=self.client.config.brand)}</style>"
            f'<div class="smmkit-block"><h1>{_e(L("page." + self.name))} · {_e(self.client.config.name)}</h1>'
            f'<p class="smmkit-meta">{_e(line)}</p></div>'
        )
        return HTML(head + toc(PAGES.get(self.name, ()), L).data)

    def section(self, key: str, *, sources: Sequence[str] = (), **fields: Any) -> HTML:
        return section(key, self.labels, sources=sources, period=self.period, **fields)

    def no_data(self, what: str) -> HTML:
        return no_data(self.labels, what)

    def has(self, *keys: str) -> bool:
        """Whether any of the KPI ``keys`` is known in the period's total."""
        return any(np.isfinite(self.report.total[k]) for k in keys)

    def cards(self, keys: Iterable[str]) -> HTML:
        return kpi_cards(self.report, keys, self.labels)

    def table(self, keys: Iterable[str], **options: Any) -> HTML:
        return kpi_table(self.report, keys, self.labels, **options)

    def notes(self) -> HTML | None:
        return notes(self.report.notes, self.labels)

    def block(
        self,
        key: str,
        *items: Any,
        sources: Sequence[str] = (),
        when: bool | np.bool_ | Sequence[str] = True,
        missing: str | None = None,
        **fields: Any,
    ) -> None:
        """One section of a page: its title, then what it shows, or the "no data" line.

        ``when`` is a bool or KPI keys (any known in the period's total, :meth:`has`). While it
        holds, each of ``items`` is shown in order: an HTML block as it is, a callable first
        called (so that a chart is drawn only when there is data), a matplotlib Axes, array of
        Axes or Figure as its figure (closed once shown), None skipped. When ``when`` does not
        hold, or no item showed anything, the page says there is no data of kind ``missing``
        (nothing, without ``missing``).
        """
        shown: list[Any] = [self.section(key, sources=sources, **fields)]
        ok = bool(when) if isinstance(when, bool | np.bool_) else self.has(*when)
        body = [out for item in items if ok for out in [_displayable(item() if callable(item) else item)]]
        body = [b for b in body if b is not None]
        if body:
            shown += body
        elif missing is not None:
            shown.append(self.no_data(missing))
        for out in shown:
            if hasattr(out, "savefig"):
                display(figure_image(out))
                _close_figure(out)
            else:
                display(out)


def _displayable(value: Any) -> Any:
    """An HTML block as it is; a matplotlib Axes (or an array of them) as its Figure; None stays None."""
    if value is None:
        return None
    if isinstance(value, np.ndarray) and value.size:
        value = value.flat[0]
    figure = getattr(value, "figure", None)
    if figure is not None and hasattr(figure, "savefig") and not hasattr(value, "savefig"):
        return figure
    return value


#: PNG options of report figures, chosen by measurement (``make bench``, "Figures"): Pillow's
#: default compression level.
PNG_OPTIONS: dict[str, Any] = {}


def figure_image(figure: Any) -> Any:
    """A matplotlib Figure as an IPython PNG image, laid out once and drawn once.

    ``savefig``/the inline backend draw a figure twice (once to measure it for
    ``bbox_inches="tight"`` or a layout engine, once to paint it), each time measuring every
    text again. Here a figure without a layout is laid out as ``tight_layout`` does (one that
    was laid out keeps its layout; one with a layout engine lays itself out in the draw), then
    painted by one Agg draw whose pixels become the PNG.
    """
    import io

    from IPython.display import Image
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.image import imsave
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    canvas = figure.canvas if isinstance(figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(figure)
    if figure.get_layout_engine() is None:
        figure.tight_layout()
    if isinstance(figure.get_layout_engine(), PlaceHolderLayoutEngine):
        figure.set_layout_engine("none")  # laid out already: the draw need not measure again
    canvas.draw()
    buffer = io.BytesIO()
    imsave(buffer, np.asarray(canvas.buffer_rgba()), format="png", dpi=figure.dpi, pil_kwargs=PNG_OPTIONS)
    return Image(data=buffer.getvalue(), format="png")


def _close_figure(figure: Any) -> None:
    import matplotlib.pyplot as plt

    plt.close(figure)


#: The last client folder :func:`open_page` loaded in this process: (its folder key, the client,
#: the stamp of its tables, {(start, end): KPI report}). ``smmkit run`` runs a client's
#: notebooks one after another in one kernel, so its pages share one load and one KPI computation.
_OPENED: list[Any] = []


def _folder_key(client_dir: Path) -> tuple:
    """The folder and every file's (path, size, mtime): a changed or added export misses the cache."""
    files = sorted(  # hidden files and folders (the kit's caches among them) are not inputs
        p
        for p in client_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(client_dir).parts)
    )
    return (str(client_dir.resolve()), *((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files))


def _tables_stamp(client: Client) -> tuple:
    from smmkit.kpi.context import stamp

    return stamp(client)


def _opened(client_dir: Path, start: str | dt.date, end: str | dt.date) -> tuple[Client, Any]:
    """The client and its KPI report, memoised for the last folder (see :data:`_OPENED`).

    A client whose tables a notebook changed in place is loaded again; the report is
    lent as a copy.
    """
    import copy

    from smmkit.io.loading import load_client
    from smmkit.kpi.engine import kpis

    key = _folder_key(client_dir)
    if not _OPENED or _OPENED[0] != key or _tables_stamp(_OPENED[1]) != _OPENED[2]:
        client = load_client(client_dir)
        _OPENED[:] = [key, client, _tables_stamp(client), {}]
    client, reports = _OPENED[1], _OPENED[3]
    period = (str(start), str(end))
    if period not in reports:
        reports[period] = kpis(client, start=start, end=end)
    return client, copy.deepcopy(reports[period])


def preload_page(client_dir: str | Path, *, start: str | dt.date, end: str | dt.date) -> tuple[Client, Any]:
    """Load the client and compute its KPIs for ``[start, end]`` into the memo :func:`open_page`
    reads (``smmkit run`` does it once per client, before its notebooks); return the client and
    a copy of the report."""
    return _opened(resolve_client_dir(client_dir), start, end)


def open_page(name: str, client_dir: str | Path, *, start: str | dt.date, end: str | dt.date) -> Page:
    """Load the client and compute its KPIs for ``[start, end]``: what every report notebook does first.

    The last client folder's load and reports are memoised in the process (keyed by its
    files' sizes and times), so the notebooks of one client share them.

    ``name`` is the page (a key of :data:`PAGES` or ``"explore"``); the labels
    follow ``client.yaml: language`` and ``currency``. The notebook then calls
    ``smmkit.report.theme.use(brand_color=page.brand_color)`` once.
    """
    if name not in PAGES and name != "explore":
        raise UsageError(f"`name` must be one of {', '.join([*PAGES, 'explore'])}; got {name!r}")
    client, report = _opened(resolve_client_dir(client_dir), start, end)
    labels = Labels(client.config.language, currency=client.config.currency)
    return Page(name=name, client=client, report=report, labels=labels)


# --------------------------------------------------------------------------- findings, forecast, notes (#12)
PAGES["networks"] = (*PAGES["networks"], "nw.forecast")

_FINDINGS_CSS = (
    "<style>.smmkit-findings ul{padding-left:1.3em;margin:.4em 0}.smmkit-findings li{margin:.35em 0;"
    "line-height:1.45}.smmkit-findings li a{white-space:nowrap;margin-left:.3em}"
    ".smmkit-findings li[data-kind=signal],.smmkit-findings li[data-kind=target][data-missed]"
    "{list-style-type:'⚠ '}.smmkit-notes{border-left:4px solid #999;padding:.2em 1em;margin:.5em 0}"
    ".smmkit-notes-body{overflow-wrap:anywhere}.smmkit-forecast{max-width:100%;display:block;overflow-x:auto}</style>"
)


def _findings_list(findings: Iterable[Any], L: Labels, *, page: str | None) -> str:
    from smmkit.report.findings import href, phrase

    items = []
    for f in findings:
        missed = " data-missed" if f.kind == "target" and f.rule.startswith("target.missed") else ""
        link = f' <a href="{_e(href(f, page=page))}">{_e(L("findings.more"))}</a>'
        attrs = f'data-kind="{_e(f.kind)}" data-key="{_e(f.key or "")}" data-network="{_e(f.network or "")}"{missed}'
        items.append(f"<li {attrs}>{_e(phrase(f, L))}{link}</li>")
    return f"<ul>{''.join(items)}</ul>"


def key_findings(page: Page) -> HTML:
    """The overview's "Key findings": every finding of the period, each linking to its section."""
    L, rep = page.labels, page.report
    head = section("ov.findings", L).data
    body = (
        _findings_list(rep.findings, L, page=page.name)
        if rep.findings
        else f"<p>{_e(L('findings.none'))}</p>"
    )
    return HTML(f'{_FINDINGS_CSS}<div class="smmkit-block smmkit-findings">{head}{body}</div>')


def page_findings(page: Page) -> HTML:
    """The findings about this page's sections, at its top (nothing when there are none)."""
    from smmkit.report.findings import section_of

    L = page.labels
    mine = [f for f in page.report.findings if section_of(f)[0] == page.name]
    if not mine:
        return HTML("")
    title = f"<p><strong>{_e(L('findings.page'))}</strong></p>"
    return HTML(
        f'{_FINDINGS_CSS}<div class="smmkit-block smmkit-findings">{title}{_findings_list(mine, L, page=page.name)}</div>'
    )


def analyst_notes(page: Page) -> HTML:
    """The analyst's ``notes/<YYYY-MM>.md`` for the period's end month, rendered safely (nothing without one)."""
    from smmkit.report.notes import notes_block_html

    cfg = page.client.config
    block = notes_block_html(cfg.path, page.period.end, analyst=cfg.analyst, labels=page.labels)
    return HTML("") if block is None else HTML(f'{_FINDINGS_CSS}<div class="smmkit-block">{block}</div>')


def forecast_section(page: Page) -> None:
    """The networks page's forecast: heading, chart with the 80 % band, and table; "no forecast" when null."""
    import matplotlib.pyplot as plt

    from smmkit.report.forecast import forecast_axes, forecast_table_html

    display(page.section("nw.forecast", sources=["audience", "posts"]))
    if page.report.forecast is None:
        display(_block(f'<p class="smmkit-nodata">{_e(page.labels("forecast.none"))}</p>'))
        return
    left, _ = forecast_axes(page.client, page.report, labels=page.labels)
    left.figure.tight_layout()
    display(figure_image(left.figure))
    plt.close(left.figure)
    display(HTML(_FINDINGS_CSS + _block(forecast_table_html(page.report, page.labels)).data))
