"""``smmkit run --pdf``: a client's report pages as one PDF, ``<slug>/report.pdf``.

The engine is headless Chromium driven by Playwright (the ``[pdf]`` extra: ``pip install
'smmkit[pdf]'``) on the system's Chromium (Debian's ``/usr/bin/chromium``, or the executable
named by ``SMMKIT_CHROMIUM``); no browser is ever downloaded. Chromium lays the pages out exactly
as the browser tests see them (the same stylesheet, its ``@media print`` rules), writes internal
links as links inside the PDF and numbers the pages in its footer. WeasyPrint was the other
candidate: a second layout engine whose rendering of the pages' flex and grid layouts differs
from the screen, and more native libraries to install.

How a PDF is made (:func:`write_pdf`):

1. the client's rendered pages (in the navigation's order) are joined into one HTML document: a
   cover (the client, the report's title, the period, the client's and the agency's logos and a
   linked table of contents), then each page's body starting on a new sheet;
2. links between the pages become links inside the document (``content.html#s-ct-top`` ->
   ``#s-ct-top``, ``networks.html`` -> the page's first sheet), ``http(s)``/``mailto`` links stay
   as they are and every other link (the index, the downloads) is dropped;
3. Chromium loads it from a temporary file with JavaScript off (the page's Content-Security-Policy
   forbids scripts anyway) and prints it on A4 with page numbers (``3 / 12``) in the footer;
4. the bytes are written to ``report.pdf`` atomically (:func:`smmkit.fsutil.write_atomic`).

Any failure is a :class:`PdfError` naming what failed; the runner makes it that client's failure.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from smmkit.errors import SmmkitError, UsageError
from smmkit.fsutil import write_atomic

__all__ = [
    "CHROMIUM_ENV",
    "PDF_NAME",
    "PdfError",
    "PdfPage",
    "check_engine",
    "chromium_path",
    "combined_html",
    "write_pdf",
]

#: The PDF's file name in a client's report folder.
PDF_NAME = "report.pdf"

#: The environment variable naming the Chromium executable (default: Debian's ``chromium`` on PATH).
CHROMIUM_ENV = "SMMKIT_CHROMIUM"

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Chromium's options: no sandbox (it runs as the user running the kit, often root in containers),
#: nothing fetched in the background.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

#: How long Chromium may take to load and print one client's report (ms).
TIMEOUT_MS = 180_000


class PdfError(SmmkitError):
    """The PDF of a client's report could not be made."""


def chromium_path() -> Path | None:
    """The Chromium executable: ``$SMMKIT_CHROMIUM`` when set, else the first of ``chromium``,
    ``chromium-browser``, ``google-chrome`` on PATH, else ``/usr/bin/chromium``; None when none exists."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return Path(named) if Path(named).is_file() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    debian = Path("/usr/bin/chromium")
    return debian if debian.is_file() else None


def check_engine() -> Path:
    """Check that a PDF can be made here (Playwright importable, Chromium found); return Chromium's path.

    Raises
    ------
    UsageError
        Naming what to install (``smmkit run --pdf`` exits 2 before any client runs).
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise UsageError(
            "--pdf needs Playwright to drive Chromium: pip install 'smmkit[pdf]' "
            "(and Debian's chromium: apt-get install chromium); no browser is downloaded"
        ) from None
    path = chromium_path()
    if path is None:
        where = os.environ.get(CHROMIUM_ENV)
        found = (
            f"{CHROMIUM_ENV}={where} is not a file"
            if where
            else "no chromium on PATH or at /usr/bin/chromium"
        )
        raise UsageError(
            f"--pdf needs Chromium ({found}): install Debian's chromium (apt-get install chromium) "
            f"or set {CHROMIUM_ENV} to a Chromium executable; no browser is downloaded"
        )
    return path


@dataclass(frozen=True)
class PdfPage:
    """One rendered page of the report: its name (``overview``), title and HTML file."""

    slug: str
    title: str
    path: Path


_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S | re.I)
_HEAD = re.compile(r"<head[^>]*>(.*?)</head>", re.S | re.I)
_TITLE = re.compile(r"<title>.*?</title>", re.S | re.I)
_HREF = re.compile(r'href="([^"]*)"')
_KEEP = re.compile(r"(https?:|mailto:)", re.I)


def _links(body: str, slugs: set[str]) -> str:
    """The page's links for one document: pages become anchors, the web stays, the rest goes."""

    def link(match: re.Match) -> str:
        target = html.unescape(match.group(1))
        if target.startswith("#") or _KEEP.match(target):
            return match.group(0)
        page, _, fragment = target.partition("#")
        name = page.removesuffix(".html")
        if page.endswith(".html") and "/" not in page and name in slugs:
            return f'href="#{html.escape(fragment or "pdf-" + name, quote=True)}"'
        return 'data-href-dropped=""'  # the index, the downloads: nothing to follow in a PDF

    return _HREF.sub(link, body)


#: The document's own print rules: a sheet per page, the cover, no download links.
_PDF_CSS = """
.smmkit-pdf-page { break-before: page; }
.smmkit-downloads { display: none !important; }
.smmkit-pdf-cover { padding-top: 20mm; font-family: system-ui, "DejaVu Sans", sans-serif; color: #111; }
.smmkit-pdf-cover h1 { font-size: 30pt; margin: 0 0 6pt; }
.smmkit-pdf-cover .smmkit-pdf-title { font-size: 15pt; color: #444; margin: 0 0 4pt; }
.smmkit-pdf-cover .smmkit-pdf-period { font-size: 13pt; margin: 0 0 24pt; }
.smmkit-pdf-cover .smmkit-pdf-logos img { max-height: 22mm; max-width: 60mm; margin: 0 12mm 10mm 0; }
.smmkit-pdf-cover ol { font-size: 12pt; line-height: 1.8; }
.smmkit-pdf-cover a { color: inherit; }
.smmkit-pdf-cover .smmkit-pdf-agency { margin-top: 24pt; color: #555; }
"""


def _cover(
    pages: Sequence[PdfPage],
    *,
    client_name: str,
    period_label: str,
    logos: Sequence[str],
    agency: str,
    lang: str,
) -> str:
    from smmkit.report.i18n import t

    e = html.escape
    images = "".join(f'<img src="{e(uri)}" alt="">' for uri in logos)
    toc = "".join(f'<li><a href="#pdf-{e(p.slug)}">{e(p.title)}</a></li>' for p in pages)
    return (
        '<section class="smmkit-pdf-cover" id="pdf-cover">'
        + (f'<div class="smmkit-pdf-logos">{images}</div>' if images else "")
        + f"<h1>{e(client_name)}</h1>"
        + f'<p class="smmkit-pdf-title">{e(t("pdf.title", lang))}</p>'
        + f'<p class="smmkit-pdf-period">{e(period_label)}</p>'
        + f"<h2>{e(t('pdf.contents', lang))}</h2><ol>{toc}</ol>"
        + (f'<p class="smmkit-pdf-agency">{e(agency)}</p>' if agency else "")
        + "</section>"
    )


def combined_html(
    pages: Sequence[PdfPage],
    *,
    client_name: str,
    period_label: str,
    logos: Sequence[str] = (),
    agency: str = "",
    lang: str = "en",
) -> str:
    """One HTML document of the cover and every page (see the module's docstring, steps 1 and 2).

    ``logos`` are ``data:`` URIs (the client's, the agency's); ``client_name`` and ``agency`` are
    escaped here (untrusted text).
    """
    if not pages:
        raise PdfError("no page to put into the PDF")
    texts = [p.path.read_text(encoding="utf-8") for p in pages]
    head = _HEAD.search(texts[0])
    head_html = head.group(1) if head else ""
    title = html.escape(f"{client_name} – {period_label}")
    head_html = _TITLE.sub("", head_html) + f"<title>{title}</title><style>{_PDF_CSS}</style>"
    slugs = {p.slug for p in pages}
    parts = [
        _cover(
            pages, client_name=client_name, period_label=period_label, logos=logos, agency=agency, lang=lang
        )
    ]
    for page, text in zip(pages, texts, strict=True):
        body = _BODY.search(text)
        if body is None:
            raise PdfError(f"{page.path.name}: not a report page (no <body>)")
        parts.append(
            f'<section class="smmkit-pdf-page" id="pdf-{html.escape(page.slug)}">{_links(body.group(1), slugs)}</section>'
        )
    return f'<!DOCTYPE html>\n<html lang="{html.escape(lang)}"><head>{head_html}</head><body>{"".join(parts)}</body></html>'


def _footer(client_name: str, period_label: str) -> str:
    e = html.escape
    return (
        '<div style="font-size:8px;width:100%;padding:0 12mm;box-sizing:border-box;display:flex;'
        "justify-content:space-between;"
        'color:#555;font-family:DejaVu Sans,sans-serif">'
        f"<span>{e(client_name)} · {e(period_label)}</span>"
        '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>'
    )


def html_to_pdf(document: str, *, client_name: str, period_label: str, chromium: Path | None = None) -> bytes:
    """Print ``document`` (HTML) with Chromium: A4, backgrounds, the footer's page numbers."""
    chromium = chromium or check_engine()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="smmkit-pdf-") as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(document, encoding="utf-8")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(chromium), args=list(CHROMIUM_ARGS))
                try:
                    page = browser.new_context(java_script_enabled=False).new_page()
                    page.goto(source.as_uri(), wait_until="load", timeout=TIMEOUT_MS)
                    return page.pdf(
                        format="A4",  # the pages' @page rule (A4 landscape) wins
                        prefer_css_page_size=True,
                        print_background=True,
                        display_header_footer=True,
                        header_template="<span></span>",
                        footer_template=_footer(client_name, period_label),
                        margin={"top": "12mm", "bottom": "16mm", "left": "10mm", "right": "10mm"},
                        outline=True,
                        tagged=True,
                    )
                finally:
                    browser.close()
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise PdfError(f"Chromium could not print the report: {first}") from None


def write_pdf(
    folder: Path,
    pages: Sequence[PdfPage],
    *,
    client_name: str,
    period_label: str,
    logos: Sequence[str] = (),
    agency: str = "",
    lang: str = "en",
) -> Path:
    """Write ``folder/report.pdf`` (atomically) from the client's rendered ``pages``; return its path.

    Raises
    ------
    PdfError
        When a page cannot be read or Chromium fails; nothing is left half-written.
    """
    try:
        document = combined_html(
            pages, client_name=client_name, period_label=period_label, logos=logos, agency=agency, lang=lang
        )
    except OSError as exc:
        raise PdfError(f"cannot read a page for the PDF: {exc}") from None
    data = html_to_pdf(document, client_name=client_name, period_label=period_label)
    target = Path(folder) / PDF_NAME
    write_atomic(target, data)
    return target
