"""HTML for the reports: executed notebooks -> self-contained pages, and the index page.

A report page is an executed notebook converted by nbconvert's ``HTMLExporter``
with the ``smmkit_report`` template (``templates/smmkit_report``), which
extends JupyterLab's ``lab`` template and

- leaves out every code cell's input and every prompt (only narrative and outputs remain);
- loads nothing from the network: no require.js, MathJax, Mermaid or widget
  CDN scripts; CSS is inlined, images are embedded ``data:`` URIs;
- drops JavaScript outputs, widget views and ``stderr`` streams;
- carries a Content-Security-Policy (:data:`CSP`) that forbids every script and
  every non-inline resource, so a string that slipped into the page as markup
  still cannot run or fetch anything (defence in depth: notebooks must show
  exported text escaped, as ``DataFrame.to_html`` does by default);
- starts with a navigation bar linking the client's pages and the index.

The index page (``templates/smmkit_index``) is rendered by Jinja with
autoescaping: client names and error messages are untrusted text.
"""

from __future__ import annotations

import base64
import copy
import math
import mimetypes
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

__all__ = [
    "CSP",
    "HEADLINE_KPIS",
    "TEMPLATES_DIR",
    "NavLink",
    "data_uri",
    "format_change",
    "format_value",
    "page_label",
    "page_slug",
    "render_index",
    "render_notebook",
]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

#: The Content-Security-Policy of every page: no script at all, no request to any
#: host; only inline styles and ``data:`` images and fonts. Links still navigate.
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "base-uri 'none'; form-action 'none'"
)

#: The KPIs the index shows per client: (metrics.md key, column title).
HEADLINE_KPIS: tuple[tuple[str, str], ...] = (
    ("followers_end", "Followers"),
    ("er", "ER"),
    ("reach", "Reach"),
    ("leads", "Leads"),
)

#: Cell tags whose cell (or output) never reaches the HTML.
REMOVE_CELL_TAGS = ("remove-cell", "remove_cell", "hide-cell")
REMOVE_OUTPUT_TAGS = ("remove-output", "remove_output", "hide-output")

#: Outputs whose mimetypes all start so are data for tools, never shown.
DATA_MIMETYPE_PREFIX = "application/vnd.smmkit."

_PREFIX_RE = re.compile(r"^\d+[-_. ]*")


@dataclass(frozen=True)
class NavLink:
    """One entry of a report page's navigation bar."""

    label: str
    href: str
    current: bool = False


def page_slug(notebook: str | Path) -> str:
    """The page name of a report notebook: its stem without a numeric order prefix.

    ``1-overview.ipynb`` -> ``overview``; ``funnel.ipynb`` -> ``funnel``; a stem
    that is only a number keeps it (``01.ipynb`` -> ``01``).
    """
    stem = Path(notebook).stem
    return _PREFIX_RE.sub("", stem) or stem


def page_label(slug: str) -> str:
    """A navigation label from a page slug: ``"top-posts"`` -> ``"Top posts"``."""
    words = re.sub(r"[-_]+", " ", slug).strip()
    return words[:1].upper() + words[1:]


def data_uri(path: str | Path) -> str:
    """The file as a ``data:`` URI (for a client's logo), MIME type from its suffix."""
    path = Path(path)
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _exporter():
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="smmkit_report",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        theme="light",
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags=REMOVE_CELL_TAGS, remove_all_outputs_tags=REMOVE_OUTPUT_TAGS, enabled=True
        ),
        enabled=True,
    )
    return exporter


def _without_data_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop outputs that only carry the kit's own data mimetypes (``application/vnd.smmkit.*``).

    They hold numbers for tests and tools (:func:`smmkit.report.record`), not for readers.
    """
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        cell.outputs = [
            out
            for out in cell.get("outputs", [])
            if "data" not in out or not all(k.startswith(DATA_MIMETYPE_PREFIX) for k in out["data"])
        ]
    return nb


def render_notebook(
    nb: nbformat.NotebookNode | str | Path,
    *,
    client_name: str,
    page_title: str,
    nav: Sequence[NavLink] = (),
    period_label: str = "",
    brand_color: str | None = None,
    logo: str | Path | None = None,
) -> str:
    """Render an executed notebook as one self-contained report page.

    Parameters
    ----------
    nb
        The executed notebook, or the path of an ``.ipynb`` file.
    client_name
        Shown in the navigation bar and the page title (escaped: untrusted text).
    page_title
        The page's name, e.g. ``"Overview"``; the ``<title>`` is
        ``"<client_name> - <page_title>"``.
    nav
        The links of the navigation bar, in order; the current page has ``current=True``.
    period_label
        Shown beside the client's name, e.g. ``"2026-10-01 - 2026-10-28"``.
    brand_color
        A ``#rrggbb`` colour for the bar (``client.yaml: brand.color``); it is
        validated here too, since it goes into CSS.
    logo
        An image file embedded as a ``data:`` URI in the bar.

    Returns
    -------
    str
        The HTML page. It holds no code input, no prompt, no ``<script>`` and no
        reference to any network host.
    """
    if not isinstance(nb, nbformat.NotebookNode):
        nb = nbformat.read(str(nb), as_version=4)
    nb = _without_data_outputs(copy.deepcopy(nb))
    nb.metadata.pop("title", None)
    if brand_color is not None and not re.fullmatch(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?", brand_color):
        from .errors import UsageError

        raise UsageError(f"`brand_color` must be a hex colour like '#6b3fa0'; got {brand_color!r}")
    title = f"{client_name} - {page_title}" if page_title else client_name
    resources = {
        "metadata": {"name": title},
        "smmkit": {
            "csp": CSP,
            "title": title,
            "client_name": client_name,
            "period_label": period_label,
            "nav": list(nav),
            "brand_color": brand_color,
            "logo": data_uri(logo) if logo is not None else None,
        },
    }
    body, _ = _exporter().from_notebook_node(nb, resources=resources)
    return body


# -- the index page -------------------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(key: str, value: float | None) -> str:
    """A headline KPI for the index: counts with thousands separators, ``er`` in percent.

    ``format_value("reach", 51234.0)`` -> ``"51,234"``; ``format_value("er", 2.314)``
    -> ``"2.31%"``; null (None or NaN) -> ``"-"``.
    """
    if _is_missing(value):
        return "-"
    if key == "er":
        return f"{value:.2f}%"
    return f"{value:,.0f}"


def format_change(key: str, change: float | None) -> tuple[str, str]:
    """The change against the previous period as ``(text, trend)`` for the index.

    ``change`` is ``(current / previous - 1) x 100`` (percent). The text is
    ``"▲ +12.3%"``, ``"▼ -4.0%"`` or ``"= 0.0%"``; the trend is ``"good"``,
    ``"bad"`` or ``"flat"`` (a rise is bad for the KPIs in
    :data:`smmkit.metrics_keys.LOWER_IS_BETTER`). Null -> ``("", "")``.
    """
    from .metrics_keys import LOWER_IS_BETTER

    if _is_missing(change):
        return "", ""
    if round(change, 1) == 0:
        return "= 0.0%", "flat"
    arrow = "▲" if change > 0 else "▼"
    rising_is_good = key not in LOWER_IS_BETTER
    trend = "good" if (change > 0) == rising_is_good else "bad"
    return f"{arrow} {change:+.1f}%", trend


def _row(slug: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    status = entry.get("status", "failed")
    pages = [{"label": p["label"], "href": p["href"]} for p in entry.get("pages", [])]
    headline = entry.get("headline") or {}
    cells = []
    for key, _ in HEADLINE_KPIS:
        kpi = headline.get(key) or {}
        change, trend = format_change(key, kpi.get("change"))
        cells.append({"value": format_value(key, kpi.get("value")), "change": change, "trend": trend})
    duration = entry.get("duration_s")
    return {
        "slug": slug,
        "name": entry.get("name") or slug,
        "status": status,
        "href": pages[0]["href"] if pages and status == "ok" else None,
        "pages": pages if status == "ok" else [],
        "cells": cells,
        "error": entry.get("error"),
        "failed_notebook": entry.get("failed_notebook"),
        "duration": f"{duration:.1f} s" if isinstance(duration, (int, float)) else None,
    }


def render_index(manifest: Mapping[str, Any]) -> str:
    """Render the index page of one period from its manifest.

    Parameters
    ----------
    manifest
        The ``manifest.json`` object written by :func:`smmkit.runner.run_reports`:
        ``period`` (``start``, ``end``), ``generated_at``, ``smmkit_version`` and
        ``clients``: slug -> entry with ``name``, ``status`` (``ok``/``failed``),
        ``error``, ``pages`` (``label``, ``href`` relative to the index),
        ``failed_notebook``, ``duration_s`` and ``headline``: KPI key ->
        ``{"value": float | None, "change": float | None}``.

    Returns
    -------
    str
        One self-contained HTML page: a row per client (sorted by name), its
        status, the headline KPIs with change arrows, and for a failed client
        the error naming the file or notebook cell that failed.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "smmkit_index")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    clients = manifest.get("clients", {})
    rows = sorted(
        (_row(slug, e) for slug, e in clients.items()), key=lambda r: (r["name"].casefold(), r["slug"])
    )
    period = manifest.get("period", {})
    n_failed = sum(r["status"] == "failed" for r in rows)
    title = f"Reports {period.get('start', '?')} - {period.get('end', '?')}"
    summary = f"{len(rows)} clients: {len(rows) - n_failed} ok, {n_failed} failed"
    footer = f"smmkit {manifest.get('smmkit_version', '')}, generated {manifest.get('generated_at', '')}"
    return env.get_template("index.html.j2").render(
        csp=CSP,
        css=(TEMPLATES_DIR / "smmkit_index" / "index.css").read_text(encoding="utf-8"),
        title=title,
        summary=summary,
        footer=footer,
        columns=[label for _, label in HEADLINE_KPIS],
        rows=rows,
    )
