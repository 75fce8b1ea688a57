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

from smmkit.catalogue import KPI_KEYS
from smmkit.config import CLIENTS_DIR, NOTEBOOKS_DIR, PROJ_ROOT
from smmkit.errors import UsageError
from smmkit.io.client import Client
from smmkit.kpi.periods import Period, parse_day
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

#: The monthly report's headline KPIs (metrics.md, "The monthly report holds at least"), plus ER and cost.
HEADLINE: tuple[str, ...] = (
    "followers_end", "net_follower_growth", "follower_growth_rate", "reach", "unique_visitors",
    "impressions", "posts", "posts_per_week", "er", "leads", "cpl",
)  # fmt: skip

#: The per-network table of the overview.
MONTHLY: tuple[str, ...] = (
    "followers_start", "followers_end", "new_followers", "lost_followers", "net_follower_growth",
    "follower_growth_rate", "unique_visitors", "posts", "posts_per_week", "impressions", "reach",
    "engagements", "er", "err", "clicks", "social_sessions", "leads", "total_cost", "cpl",
)  # fmt: skip

#: The networks page: audience dynamics (table and trend charts).
AUDIENCE: tuple[str, ...] = (
    "followers_start", "followers_end", "new_followers", "lost_followers", "net_follower_growth",
    "follower_growth_rate", "unique_visitors",
)  # fmt: skip

#: The networks page: reach and impressions.
REACH: tuple[str, ...] = (
    "impressions", "reach", "reach_organic", "reach_paid", "reach_viral", "reach_per_post", "reach_rate",
    "video_views",
)  # fmt: skip

#: The networks page: audience feedback (the counts and the rates built from them).
FEEDBACK: tuple[str, ...] = (
    "likes", "comments", "shares", "engagements", "love_rate", "talk_rate", "amplification_rate", "er",
    "err", "er_day", "er_post", "er_view",
)  # fmt: skip

#: The funnel page's cost table.
COST: tuple[str, ...] = (
    "total_cost", "ad_spend", "ad_impressions", "ad_clicks", "ad_ctr", "ad_leads", "leads", "cpc", "cpl",
    "cost_per_follower", "conversions", "conversion_rate",
)  # fmt: skip

#: The community page's inbox table.
INBOX: tuple[str, ...] = (
    "questions", "answered", "response_rate", "avg_response_time_h", "median_response_time_h",
    "response_time_change",
)  # fmt: skip

_SAFE_URL = re.compile(r"https?://", re.IGNORECASE)


# --------------------------------------------------------------------------- paths
def resolve_client_dir(client_dir: str | Path) -> Path:
    """The client folder a notebook parameter names.

    An absolute path is used as is. A relative one is tried against the
    current directory, the notebooks folder (so ``"../data/clients/coffee-point"``
    works wherever papermill runs the notebook), the project root and the
    clients folder (so a bare slug works); the first holding a ``client.yaml`` wins.

    Raises
    ------
    UsageError
        When no candidate holds a ``client.yaml``; the message lists the places tried.
    """
    path = Path(client_dir)
    if path.is_absolute():
        return path
    candidates = [Path.cwd() / path, NOTEBOOKS_DIR / path, PROJ_ROOT / path, CLIENTS_DIR / path]
    for candidate in candidates:
        if (candidate / "client.yaml").is_file():
            return candidate.resolve()
    tried = ", ".join(str(c) for c in candidates)
    raise UsageError(f"client_dir {str(client_dir)!r}: no client.yaml found; tried {tried}")


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


# --------------------------------------------------------------------------- data helpers
def trend(
    client: Client,
    *,
    end: str | dt.date,
    days: int = 28,
    periods: int = 6,
    keys: Sequence[str] | None = None,
) -> pd.DataFrame:
    """KPIs over the last ``periods`` consecutive periods of ``days`` days ending on ``end``.

    Returns
    -------
    DataFrame
        One row per (period, scope): ``period_start``, ``period_end`` (Timestamps),
        ``scope`` (each network and ``"total"``) and one column per KPI of ``keys``
        (all KPI keys by default), oldest period first. Values are exactly those of
        :func:`smmkit.kpi.engine.kpis` for each period.
    """
    from smmkit.kpi.engine import kpis

    keys = list(KPI_KEYS if keys is None else keys)
    unknown = [k for k in keys if k not in KPI_KEYS]
    if unknown:
        raise UsageError(
            f"`keys` holds unknown KPI keys {unknown}; expected keys of smmkit.catalogue.KPI_KEYS"
        )
    if days < 1 or periods < 1:
        raise UsageError(f"`days` and `periods` must be at least 1; got days={days!r}, periods={periods!r}")
    last_day = parse_day(end, name="`end`")
    last = Period(last_day - dt.timedelta(days=days - 1), last_day)
    frames = []
    for p in last.back(periods):
        rep = kpis(client, p)
        block = rep.networks[keys].copy()
        block.loc["total"] = rep.total[keys]
        block = block.rename_axis("scope").reset_index()
        block.insert(0, "period_end", pd.Timestamp(p.end))
        block.insert(0, "period_start", pd.Timestamp(p.start))
        frames.append(block)
    return pd.concat(frames, ignore_index=True)


def history(period: Period, *, periods: int = 6) -> Period:
    """The span of the last ``periods`` periods of ``period``'s length ending with it (for trend-like charts)."""
    return Period(period.back(periods)[0].start, period.end)


def period_posts(client: Client, period: Period) -> pd.DataFrame:
    """The posts published in ``period`` with their engagements and ER as the KPI engine computes them.

    Columns: the canonical post columns plus ``day`` (local day), ``engagements``
    (likes + comments + shares), ``er_post`` (percent: engagements / followers on
    the publish day x 100), ``er_view``, ``weekday`` (0 = Monday) and ``hour``
    (local time of publishing). Sorted by ``er_post``, highest first.
    """
    from smmkit.kpi.engine import post_table  # the engine's per-post table: one source of truth for ER

    posts = post_table(client)
    inside = ((posts["day"] >= period.start_ts) & (posts["day"] <= period.end_ts)).to_numpy()
    out = posts.loc[inside].copy()
    local = out["published_at"].dt.tz_convert(client.config.timezone)
    out["weekday"] = local.dt.day_of_week.astype("int64")
    out["hour"] = local.dt.hour.astype("int64")
    return out.sort_values(
        ["er_post", "published_at"], ascending=[False, True], na_position="last"
    ).reset_index(drop=True)


def best_time(posts: pd.DataFrame) -> pd.DataFrame:
    """Mean ``er_post`` by weekday (rows 0-6, Monday first) and local hour (columns 0-23); NaN = no post."""
    grid = posts.dropna(subset=["er_post"]).pivot_table(
        index="weekday", columns="hour", values="er_post", aggfunc="mean"
    )
    return grid.reindex(index=range(7), columns=range(24)).astype("float64")


def by_post_type(posts: pd.DataFrame) -> pd.DataFrame:
    """Per post type: ``posts`` (count) and the means of ``reach``, ``engagements`` and ``er_post``.

    Posts without a type are left out; sorted by mean ``er_post``, highest first.
    """
    rows = posts.loc[posts["post_type"].notna().to_numpy()].copy()
    rows["post_type"] = rows["post_type"].astype(str).str.strip()
    for col in ("reach", "engagements", "er_post"):
        rows[col] = rows[col].astype("float64")
    grouped = rows.groupby("post_type")
    out = pd.DataFrame(
        {
            "posts": grouped.size().astype("float64"),
            "reach": grouped["reach"].mean(),
            "engagements": grouped["engagements"].mean(),
            "er_post": grouped["er_post"].mean(),
        }
    )
    return out.sort_values("er_post", ascending=False)


def weekly_frequency(posts: pd.DataFrame) -> pd.DataFrame:
    """Per network and week (Monday start): ``posts`` that week and their mean ``er_post``."""
    rows = posts.assign(week=posts["day"] - pd.to_timedelta(posts["day"].dt.day_of_week, unit="D"))
    grouped = rows.groupby(["network", "week"], observed=True)
    out = pd.DataFrame({"posts": grouped.size().astype("float64"), "er_post": grouped["er_post"].mean()})
    return out.reset_index()


def _mentions(client: Client, period: Period) -> pd.DataFrame:
    """The period's mention rows as the KPI engine classifies them (:func:`smmkit.kpi.metrics.prepare_mentions`):
    ``day`` (local calendar day of ``published_at``), ``is_own``, ``is_competitor``, ``is_positive``, ..."""
    from smmkit.kpi.metrics import prepare_mentions

    cfg = client.config
    rows = prepare_mentions(
        client.mentions, own=(cfg.name, *cfg.aliases), competitors=cfg.competitors, tz=cfg.timezone
    )
    inside = ((rows["day"] >= period.start_ts) & (rows["day"] <= period.end_ts)).fillna(False)
    return rows.loc[inside.to_numpy(bool)]


def mentions_daily(client: Client, period: Period) -> pd.Series:
    """The client's own brand mentions per day of ``period`` (0 on a day without any; empty without data)."""
    if client.mentions.empty:
        return pd.Series(dtype="float64")
    rows = _mentions(client, period)
    own = rows.loc[rows["is_own"].to_numpy(bool)]
    return own.groupby("day").size().reindex(period.dates(), fill_value=0).astype("float64")


def sentiment_weekly(client: Client, period: Period) -> pd.DataFrame:
    """Own mentions per week (Monday start) x sentiment (``positive``, ``neutral``, ``negative``)."""
    cols = ["positive", "neutral", "negative"]
    if client.mentions.empty:
        return pd.DataFrame(columns=cols, dtype="float64")
    rows = _mentions(client, period)
    own = rows.loc[rows["is_own"].to_numpy(bool)].copy()
    own["sentiment"] = own["sentiment"].astype("string").str.strip().str.lower()
    own = own.loc[own["sentiment"].isin(cols).fillna(False).to_numpy(bool)]
    own["week"] = own["day"] - pd.to_timedelta(own["day"].dt.day_of_week, unit="D")
    out = own.pivot_table(index="week", columns="sentiment", values="is_own", aggfunc="size", fill_value=0)
    return out.reindex(columns=cols, fill_value=0).astype("float64")


def voice(client: Client, period: Period) -> pd.Series:
    """Mentions in ``period`` per brand: the client (by its name, aliases counted in) and each competitor.

    The share of voice of metrics.md is the first value over the sum.
    """
    cfg = client.config
    names = [cfg.name, *cfg.competitors]
    if client.mentions.empty:
        return pd.Series(np.nan, index=names, dtype="float64")
    rows = _mentions(client, period)
    counts = {cfg.name: float(rows["is_own"].sum())}
    competitor = rows["is_competitor"].to_numpy(bool)
    brand = rows["brand"].astype("string").str.strip().str.casefold()
    for comp in cfg.competitors:
        named = (brand == comp.strip().casefold()).fillna(False).to_numpy(bool)
        counts[comp] = float((competitor & named).sum())
    return pd.Series(counts, dtype="float64")


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


def open_page(name: str, client_dir: str | Path, *, start: str | dt.date, end: str | dt.date) -> Page:
    """Load the client and compute its KPIs for ``[start, end]``: what every report notebook does first.

    ``name`` is the page (a key of :data:`PAGES` or ``"explore"``); the labels
    follow ``client.yaml: language`` and ``currency``. The notebook then calls
    ``smmkit.report.theme.use(brand_color=page.brand_color)`` once.
    """
    from smmkit.io.loading import load_client
    from smmkit.kpi.engine import kpis

    if name not in PAGES and name != "explore":
        raise UsageError(f"`name` must be one of {', '.join([*PAGES, 'explore'])}; got {name!r}")
    client = load_client(resolve_client_dir(client_dir))
    report = kpis(client, start=start, end=end)
    labels = Labels(client.config.language, currency=client.config.currency)
    return Page(name=name, client=client, report=report, labels=labels)
