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
- starts with a bar in the client's brand colour (``client.yaml: brand``: logo,
  name, period) linking the client's pages and the index, and ends with the
  agency's footer (``smmkit.yaml`` at the clients folder's root:
  :class:`smmkit.config.AgencyConfig`); labels follow the page's language
  (:mod:`smmkit.report.i18n`) and ``<html lang>`` is set to it;
- has one stylesheet (``templates/smmkit_report/report.css``) for screen (390 px
  phones to wide screens: wide tables scroll inside themselves, never the page)
  and print (``@media print``: no navigation, no broken cards, black on white).

The kit names itself nowhere unless the agency asks (``smmkit.yaml: credit: true``).

The index page (``templates/smmkit_index``) is rendered by Jinja with
autoescaping: client names and error messages are untrusted text.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import functools
import mimetypes
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smmkit.catalogue import page_keys
from smmkit.config import is_hex_color
from smmkit.errors import UsageError

if TYPE_CHECKING:
    import nbformat

    from smmkit.config import AgencyConfig

__all__ = [
    "CSP",
    "HEADLINE_KPIS",
    "TEMPLATES_DIR",
    "NavLink",
    "data_uri",
    "footer_lines",
    "format_headline_change",
    "format_value",
    "nav_label",
    "on_color",
    "page_content",
    "page_label",
    "page_slug",
    "page_title",
    "period_text",
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

#: The KPIs the index shows per client (catalogue records on the page "index"; the index
#: shows each key's :mod:`smmkit.report.i18n` name in its language).
HEADLINE_KPIS: tuple[str, ...] = page_keys("index")

#: The index page of a period folder (every client page links back to it).
INDEX_NAME = "index.html"

#: Cell tags whose cell (or output) never reaches the HTML.
REMOVE_CELL_TAGS = ("remove-cell", "remove_cell", "hide-cell")
REMOVE_OUTPUT_TAGS = ("remove-output", "remove_output", "hide-output")

#: Outputs whose mimetypes all start so are data for tools, never shown.
DATA_MIMETYPE_PREFIX = "application/vnd.smmkit."

_PREFIX_RE = re.compile(r"^\d+[-_. ]*")

#: Neutral colours where no brand colour is set: the report bar, the index header.
DEFAULT_BRAND = "#34495e"


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


def nav_label(slug: str, lang: str = "en") -> str:
    """The navigation label of a page in ``lang``: ``nav.<slug>`` of the catalogue, else :func:`page_label`.

    ``nav_label("funnel", "ru")`` -> ``"Воронка"``; ``nav_label("top-posts")`` -> ``"Top posts"``.
    """
    from smmkit.report.i18n import LABELS, t

    return t(f"nav.{slug}", lang) if f"nav.{slug}" in LABELS else page_label(slug)


def page_title(slug: str, lang: str = "en") -> str:
    """A page's full title in ``lang``: ``page.<slug>`` of the catalogue (``"Funnel and cost"``),
    else :func:`nav_label`."""
    from smmkit.report.i18n import LABELS, t

    return t(f"page.{slug}", lang) if f"page.{slug}" in LABELS else nav_label(slug, lang)


def period_text(start: Any, end: Any, lang: str = "en") -> str:
    """A short period for the page bar: en ``Oct 4 – Oct 31, 2026``; ru ``4 октября – 31 октября 2026``.

    The year is written once when both days share it, on both days otherwise. ``start`` and
    ``end`` are days as :func:`smmkit.kpi.periods.parse_day` takes them (``date`` or ``'YYYY-MM-DD'``).
    """
    from smmkit.kpi.periods import parse_day
    from smmkit.report.i18n import format_date

    start, end = parse_day(start, name="period start"), parse_day(end, name="period end")
    first = format_date(start, lang, year=start.year != end.year)
    return f"{first} – {format_date(end, lang)}"


def on_color(color: str) -> str:
    """The text colour that reads on a ``#rrggbb`` background: ``"#ffffff"`` or ``"#111111"``.

    White unless the background's WCAG relative luminance L is above 0.4, i.e.
    whichever of the contrast ratios (1.05 / (L + 0.05) for white,
    (L + 0.05) / (0.0118 + 0.05) for #111) is larger, approximately;
    ``on_color("#6b3fa0")`` -> white, ``on_color("#f0e442")`` -> ``"#111111"``.
    """
    if not is_hex_color(color):
        raise UsageError(f"`color` must be a hex colour like '#6b3fa0'; got {color!r}")
    digits = color[1:] if len(color) == 7 else "".join(c * 2 for c in color[1:])

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(digits[i : i + 2], 16)) for i in (0, 2, 4))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#111111" if luminance > 0.4 else "#ffffff"


def footer_lines(agency: AgencyConfig | None, lang: str = "en", *, generated: str | None = None) -> list[str]:
    """The footer of every page: "Prepared by <agency>", the agency's footer text, the
    generation date (index only) and the kit's credit only when ``agency.credit`` asks."""
    from smmkit._version import __version__
    from smmkit.report.i18n import t

    lines = []
    if agency is not None and agency.name:
        lines.append(t("chrome.prepared_by", lang, agency=agency.name))
    if agency is not None and agency.footer:
        lines.append(agency.footer)
    if generated:
        lines.append(t("chrome.generated", lang, date=generated))
    if agency is not None and agency.credit:
        lines.append(t("chrome.credit", lang, version=__version__))
    return lines


def _check_color(color: str | None, what: str) -> str | None:
    if color is not None and not is_hex_color(color):
        raise UsageError(f"`{what}` must be a hex colour like '#6b3fa0'; got {color!r}")
    return color


def data_uri(path: str | Path) -> str:
    """The file as a ``data:`` URI (for a client's logo), MIME type from its suffix."""
    path = Path(path)
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


#: The start tag of an output's box, and an ``<img>`` without an ``alt`` (see :func:`_exporter`).
_OUTPUT_BOX = re.compile(r'<div class="((?:[^"]* )?jp-OutputArea-output(?: [^"]*)?)"')
_IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)(?=[\s>/])")


@functools.cache
def _bytecode_cache():
    """Jinja's cache of compiled templates on disk, or None where it cannot be made.

    Its default folder (``_jinja2-cache-<uid>`` in the temporary directory: made private to the
    user, and not used unless it is theirs), each entry keyed by a template's name and checked
    against its source, Python's bytecode version and Jinja's. Compiling a page's templates (the
    lab template's and the report's, 10 files) from source was 0.1 s of CPU in every run's
    forkserver (:mod:`smmkit.batch.warm`) before a kernel could start; loaded from here, a few ms.
    """
    import jinja2

    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):  # no writable temporary directory, or a folder not ours
        return None


@functools.cache
def _exporter_class():
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        """nbconvert's HTML exporter without its last pass: HTMLExporter parses the whole page
        with BeautifulSoup only to give each output box ``tabindex="0"`` and each ``<img>``
        without one an ``alt``; on a report page that pass was 80 % of the export's CPU
        (cProfile of a client's 5 pages: 1.96 s of 2.45 s, plus the CSS selectors compiled in
        each process). The same two edits are made on the text (:data:`_OUTPUT_BOX`: the lab
        template writes those tags; :data:`_IMG_WITHOUT_ALT`), and the page is the template's
        output as written."""

        def from_notebook_node(self, nb, resources=None, **kw):
            # HTMLExporter.from_notebook_node (nbconvert 7.16) up to its BeautifulSoup pass
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight_code = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            filter_data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight_code)
            self.register_filter("filter_data_type", filter_data_type)
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            html = _OUTPUT_BOX.sub(r'<div class="\1" tabindex="0"', html)
            html = _IMG_WITHOUT_ALT.sub('<img alt="No description has been provided for this image"', html)
            return html, resources

    return ReportExporter


@functools.cache
def _exporter(lang: str = "en"):
    """The page exporter for ``lang``: built once per process and language (its first page
    loads the templates, compiled once per machine: :func:`_bytecode_cache`), reused for every
    page.

    It validates the notebook once, after its preprocessors (``optimistic_validation``), not
    after each of them: the notebook was validated when papermill wrote it, and the
    preprocessors only remove cells and outputs (13 validations a page before, 1 now).
    """
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = _exporter_class()(
        template_name="smmkit_report",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        theme="light",
        language_code=lang,
        optimistic_validation=True,
    )
    exporter.environment.bytecode_cache = _bytecode_cache()  # before any template is loaded: see there
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags=REMOVE_CELL_TAGS, remove_all_outputs_tags=REMOVE_OUTPUT_TAGS, enabled=True
        ),
        enabled=True,
    )
    return exporter


def _without_data_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop outputs that only carry the kit's own data mimetypes (``application/vnd.smmkit.*``).

    They hold numbers for tests and tools (:func:`smmkit.report.page.record`), not for readers.
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
    lang: str = "en",
    agency: AgencyConfig | None = None,
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
    lang
        The page's language (``client.yaml: language``): ``<html lang>`` and the
        labels of the bar and the footer.
    agency
        The agency of ``smmkit.yaml`` (:func:`smmkit.config.load_agency_config`): its
        name, logo and footer text end the page; None shows no agency.

    Returns
    -------
    str
        The HTML page. It holds no code input, no prompt, no ``<script>`` and no
        reference to any network host.
    """
    import nbformat  # here: the runner imports this module for the index page only (nbformat is 0.14 s)

    if not isinstance(nb, nbformat.NotebookNode):
        nb = nbformat.read(str(nb), as_version=4)
    nb = _without_data_outputs(copy.deepcopy(nb))
    nb.metadata.pop("title", None)
    _check_color(brand_color, "brand_color")
    title = f"{client_name} - {page_title}" if page_title else client_name
    chrome = _page_chrome(
        title, client_name, period_label, nav, brand_color=brand_color, logo=logo, lang=lang, agency=agency
    )
    body, _ = _exporter(lang).from_notebook_node(
        nb, resources={"metadata": {"name": title}, "smmkit": chrome}
    )
    return body


def _page_chrome(
    title: str,
    client_name: str,
    period_label: str,
    nav: Sequence[NavLink],
    *,
    brand_color: str | None,
    logo: str | Path | None,
    lang: str,
    agency: AgencyConfig | None,
) -> dict[str, Any]:
    """What the ``smmkit_report`` template draws around a page: the bar, the navigation, the footer."""
    from smmkit.report.i18n import t

    return {
        "csp": CSP,
        "title": title,
        "client_name": client_name,
        "period_label": period_label,
        "nav": list(nav),
        "nav_label": t("nav.label", lang),
        "brand_color": brand_color,
        "on_brand": on_color(brand_color) if brand_color else None,
        "logo": data_uri(logo) if logo is not None else None,
        "agency_name": agency.name if agency is not None else "",
        "agency_logo": data_uri(agency.logo) if agency is not None and agency.logo else None,
        "footer": footer_lines(agency, lang),
    }


def page_content(html: str) -> dict[str, list]:
    """What a reader gets from a report page, for comparing two renderings of it.

    ``{"text": [...], "values": [...], "images": [...]}``: the visible text (one item per
    text node, whitespace collapsed; no ``<style>``), every ``data-*`` attribute as
    ``(tag, name, value)`` in document order, a tag's in name order, a bare attribute's value
    ``""`` (``data-value`` carries each KPI's unrounded number)
    and every embedded image's ``data:`` header (``data:image/png;base64``; not its bytes,
    which a PNG encoder may vary; ``"svg"`` for an inline chart, whose labels are in the text). Two pages with equal contents show the same numbers and the same words.
    """
    from html.parser import HTMLParser

    out: dict[str, list] = {"text": [], "values": [], "images": []}

    class _Reader(HTMLParser):
        skip = 0

        def handle_starttag(self, tag, attrs):
            if tag in ("style", "script"):
                self.skip += 1
            for name, value in sorted(attrs):  # HTML: the order of attributes means nothing,
                if name.startswith("data-"):  # nor does a bare one differ from one set to ""
                    out["values"].append((tag, name, value or ""))
            src = dict(attrs).get("src") or ""
            if tag == "img" and src.startswith("data:"):
                out["images"].append(src.partition(",")[0])
            elif tag == "svg":  # an inline chart (its labels are text: they are in "text")
                out["images"].append("svg")

        def handle_endtag(self, tag):
            if tag in ("style", "script") and self.skip:
                self.skip -= 1

        def handle_data(self, data):
            text = " ".join(data.split())
            if text and not self.skip:
                out["text"].append(text)

    _Reader().feed(html)
    return out


# -- the index page -------------------------------------------------------------------------------


def format_value(key: str, value: float | None, lang: str = "en") -> str:
    """A headline KPI for the index, formatted as the reports format it (:func:`smmkit.report.i18n.format_kpi`).

    ``format_value("reach", 51234.0)`` -> ``"51,234"``; ``format_value("er", 2.314)``
    -> ``"2.3%"``; ``format_value("reach", 1234.0, "ru")`` -> ``"1 234"`` (no-break
    space); null (None or NaN) -> ``"n/a"`` / ``"н/д"``.
    """
    from smmkit.report.i18n import format_kpi

    return format_kpi(key, value, lang)


def format_headline_change(
    key: str,
    change: float | None,
    lang: str = "en",
    *,
    value: float | None = None,
    previous: float | None = None,
    comparable: bool = True,
) -> tuple[str, str]:
    """A headline KPI's change against the previous period as ``(text, trend)`` for the index.

    With the ``previous`` value (the manifest's headline carries it), the reports' own rule
    (:func:`smmkit.report.i18n.kpi_change`): ``"▲ +11.4 pp"`` for a percent KPI, ``"▲ +12.3%"``
    for a count, ``"▲ new"`` from 0; the trend ``"good"``, ``"bad"`` or ``"flat"`` follows the
    catalogue's direction (a falling CPL is good). Without it (an older manifest), ``change``
    is ``(current / previous - 1) x 100`` shown with one decimal. Null -> ``("", "")``.
    """
    from smmkit.kpi.result import ARROWS, change_direction, signed
    from smmkit.report.i18n import change_class, format_number, kpi_change

    if previous is not None:
        shown = kpi_change(key, value, previous, lang, comparable=comparable)
        return (f"{shown.arrow} {shown.text}", shown.trend) if shown.trend else ("", "")
    trend = change_class(key, change)
    if not trend:
        return "", ""
    flat = 0.0 if trend == "flat" else float(change)  # a flat change reads 0.0, never -0.0
    text = signed(format_number(flat, lang, kind="percent", decimals=1), flat)
    return f"{ARROWS[change_direction(flat)]} {text}", trend


def _row(slug: str, entry: Mapping[str, Any], lang: str, brand: Mapping[str, Any] | None) -> dict[str, Any]:
    from smmkit.report.i18n import format_number, t

    status = entry.get("status", "failed")
    # A page's label in the index's language, from its file name (``<slug>/<page>.html``).
    pages = [
        {"label": nav_label(Path(p["href"]).stem, lang), "href": p["href"]} for p in entry.get("pages", [])
    ]
    headline = entry.get("headline") or {}
    cells = []
    for key in HEADLINE_KPIS:
        kpi = headline.get(key) or {}
        change, trend = format_headline_change(
            key, kpi.get("change"), lang, value=kpi.get("value"), previous=kpi.get("previous"),
            comparable=kpi.get("comparable", True),
        )  # fmt: skip
        cells.append(
            {
                "key": key,
                "label": t(f"kpi.{key}", lang),
                "value": format_value(key, kpi.get("value"), lang),
                "change": change,
                "trend": trend,
            }
        )
    duration = entry.get("duration_s")
    brand = brand or {}
    color = brand.get("color") if is_hex_color(brand.get("color")) else None
    logo = brand.get("logo")
    where = None
    if status != "ok":
        if entry.get("cell") and entry.get("notebook"):
            where = t("index.cell", lang, notebook=entry["notebook"], cell=entry["cell"])
        elif entry.get("error_file"):
            where = entry["error_file"]
    return {
        "slug": slug,
        "name": entry.get("name") or slug,
        "status": status,
        "status_label": t(f"index.status.{'ok' if status == 'ok' else 'failed'}", lang),
        "href": pages[0]["href"] if pages and status == "ok" else None,
        "pages": pages if status == "ok" else [],
        "cells": cells if headline else [],
        "error": entry.get("error"),
        "where": where,
        "failed_notebook": entry.get("failed_notebook"),
        "duration": (
            t("index.duration", lang, seconds=format_number(duration, lang, kind="seconds", decimals=1))
            if isinstance(duration, (int, float)) and status == "ok"
            else None
        ),
        "color": color,
        "on_color": on_color(color) if color else None,
        "logo": data_uri(logo) if logo else None,
    }


def _generated(stamp: Any, lang: str) -> str | None:
    """The manifest's ``generated_at`` (ISO, UTC) as a day and time for a reader."""
    from smmkit.report.i18n import format_date

    if not stamp:
        return None
    try:
        when = dt.datetime.fromisoformat(str(stamp))
    except ValueError:
        return str(stamp)
    return f"{format_date(when.date(), lang)}, {when:%H:%M} UTC"


def render_index(
    manifest: Mapping[str, Any],
    *,
    agency: AgencyConfig | None = None,
    brands: Mapping[str, Mapping[str, Any]] | None = None,
    lang: str | None = None,
) -> str:
    """Render the index page of one period from its manifest.

    Parameters
    ----------
    manifest
        The ``manifest.json`` object written by :func:`smmkit.batch.runner.run_reports`:
        ``period`` (``start``, ``end``), ``generated_at``, ``smmkit_version`` and
        ``clients``: slug -> entry with ``name``, ``status`` (``ok``/``failed``),
        ``error``, ``error_file``, ``notebook``, ``cell``, ``pages`` (``label``,
        ``href`` relative to the index; the index labels a page in its own language
        from the file name), ``failed_notebook``,
        ``duration_s`` and ``headline``: KPI key -> ``{"value": float | None,
        "change": float | None}``.
    agency
        The agency (``smmkit.yaml``): its name, logo and colour head the page,
        its footer text ends it. None: a neutral header, no agency.
    brands
        slug -> the client's ``brand`` (``color``, and ``logo`` as a file path,
        embedded as a ``data:`` URI): each client's card wears them.
    lang
        The index's language; default ``agency.language`` (``en`` without an agency).

    Returns
    -------
    str
        One self-contained HTML page: a card per client (sorted by name) in the
        client's brand colour with its logo, status, headline KPIs with change
        arrows coloured by whether the change is good for the KPI and links to
        its pages; a failed client's card names the file or notebook cell that
        failed and shows the error.
    """
    import jinja2

    if lang is None:
        lang = agency.language if agency is not None else "en"
    brands = brands or {}
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "smmkit_index")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        bytecode_cache=_bytecode_cache(),
    )
    clients = manifest.get("clients", {})
    rows = sorted(
        (_row(slug, e, lang, brands.get(slug)) for slug, e in clients.items()),
        key=lambda r: (r["name"].casefold(), r["slug"]),
    )
    return env.get_template("index.html.j2").render(**_index_page(manifest, rows, agency, lang), rows=rows)


def _index_page(
    manifest: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], agency: AgencyConfig | None, lang: str
) -> dict[str, Any]:
    """The index template's values besides its rows: the header, the summary, the labels, the footer."""
    from smmkit.report.i18n import t

    period = manifest.get("period", {})
    n_failed = sum(r["status"] != "ok" for r in rows)
    try:
        period_label = period_text(period["start"], period["end"], lang)
    except (KeyError, UsageError):
        period_label = f"{period.get('start', '?')} - {period.get('end', '?')}"
    color = agency.color if agency is not None and agency.color else DEFAULT_BRAND
    return {
        "csp": CSP,
        "css": (TEMPLATES_DIR / "smmkit_index" / "index.css").read_text(encoding="utf-8"),
        "lang": lang,
        "title": t("index.title", lang),
        "period": period_label,
        "summary": t("index.summary", lang, n=len(rows), ok=len(rows) - n_failed, failed=n_failed),
        "n_failed": n_failed,
        "agency_name": agency.name if agency is not None else "",
        "agency_logo": data_uri(agency.logo) if agency is not None and agency.logo else None,
        "color": color,
        "on_color": on_color(color),
        "footer": footer_lines(agency, lang, generated=_generated(manifest.get("generated_at"), lang)),
        "labels": {
            key: t(label, lang)
            for key, label in (
                ("open", "index.open"),
                ("pages", "index.pages"),
                ("error", "index.error"),
                ("failed_notebook", "index.failed_notebook"),
                ("fix", "index.fix"),
                ("no_kpis", "index.no_kpis"),
                ("vs_previous", "vs_previous"),
            )
        },
    }
