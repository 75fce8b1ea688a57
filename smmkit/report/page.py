"""A report page: one client, one period, one language, and the sections it shows.

Every report notebook opens with :func:`open_page` (which loads the client, computes its
KPIs, applies the report theme with the client's brand colour and shows the page's header)
and then lists its sections as :meth:`Page.block` calls. Within one process the last client
folder's load and KPI reports are memoised (:data:`_OPENED`): ``smmkit run`` runs a
client's notebooks one after another in one kernel (or in two, for the last clients of a run),
and :func:`preload_page` fills the memo before the first one.

:func:`record` puts the headline numbers into the executed notebook as a
``application/vnd.smmkit.kpis+json`` output (not rendered to HTML), so tests can compare
the page with ``smmkit kpis --format json``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from IPython.display import HTML, display

from smmkit.config import resolve_client_dir
from smmkit.errors import UsageError
from smmkit.io.client import Client
from smmkit.kpi.periods import Period
from smmkit.report import fragments, theme
from smmkit.report.coverage import coverage_lines
from smmkit.report.figures import as_figure, chart
from smmkit.report.i18n import LABELS, Labels
from smmkit.report.sections import PAGES, anchor

__all__ = [
    "KPIS_MIMETYPE",
    "POSTS_SHOWN",
    "Page",
    "all_posts",
    "downloads",
    "open_page",
    "preload_page",
    "record",
    "set_downloads",
    "top_posts",
]

#: The mimetype of the machine-readable KPI record in executed notebooks (nbconvert does not render it).
KPIS_MIMETYPE = "application/vnd.smmkit.kpis+json"


@dataclass
class Page:
    """One report page: the client, its KPI report for the period, and the labels in its language."""

    name: str
    client: Client
    report: Any
    labels: Labels
    #: True when the page has nothing at all to show (:func:`open_page`'s ``needs``): its one line
    #: is shown instead of a table of contents, and :meth:`block` shows nothing.
    empty: bool = False

    @property
    def lang(self) -> str:
        return self.labels.lang

    @property
    def period(self) -> Period:
        return self.report.period

    @property
    def downloads(self) -> dict[str, str]:
        """The files beside the pages a reader can download (``xlsx``, ``pdf`` -> file name):
        what :func:`set_downloads` was told by ``smmkit run``; none in a notebook run by hand."""
        return dict(_DOWNLOADS)

    @property
    def brand_color(self) -> str | None:
        return self.client.config.brand.get("color")

    @property
    def networks(self) -> list[str]:
        """The client's networks in the period's KPIs."""
        return [str(n) for n in self.report.networks.index]

    @property
    def single_network(self) -> bool:
        """Whether the client has one network: no by-network chart or comparison then."""
        return len(self.networks) == 1

    @property
    def top_basis(self) -> str:
        """What the top posts are ranked by (:func:`smmkit.kpi.engine.top_basis`; ``reach`` without posts)."""
        from smmkit.kpi.engine import top_basis

        return top_basis(self.report.top_posts) or "reach"

    @property
    def post_metric(self) -> str:
        """The per-post rate the content page compares posts by: ``er_post`` (engagements / followers
        on the publish day), or ``er_view`` (engagements / impressions) when the period's ER per post
        is unknown and its ER by views known (X, LinkedIn export no follower count)."""
        total = self.report.total
        return "er_view" if not np.isfinite(total["er_post"]) and np.isfinite(total["er_view"]) else "er_post"

    def title(self, key: str) -> str:
        """The title of section ``key``: its label; the top posts' names the basis they are ranked by,
        the ranking's the rate it ranks by (:attr:`post_metric`)."""
        if key == "ov.top" and self.top_basis != "reach":
            return self.labels(f"ov.top.{self.top_basis}")
        if key == "ct.ranking" and self.post_metric != "er_post":
            return self.labels(f"ct.ranking.{self.post_metric}")
        return self.labels(key)

    def _intro(self, key: str) -> str | None:
        """The top posts' intro when they are not ranked by reach (it names the basis); else None."""
        basis, L = self.top_basis, self.labels
        if key not in ("ov.top", "ct.top") or basis == "reach":
            return None
        missing = ("reach",) if basis == "impressions" else ("reach", "impressions")
        names = ", ".join(L.kpi(k).lower() for k in missing)
        return L("ranked_by", kpi=L.kpi(basis).lower(), missing=names)

    def coverage_line(self) -> str | None:
        """The line under the header naming what the exports do not cover (one item per network,
        :func:`smmkit.report.coverage.coverage_lines`), None when they cover the whole period."""
        if not getattr(self.report, "coverage", None):
            return None
        items = coverage_lines(self.report, self.labels.lang)
        return self.labels("coverage_line", items="; ".join(items)) if items else None

    def header(self) -> HTML:
        """The page's CSS, title, period, coverage line and table of contents (its sections in
        :data:`PAGES`); an empty page's one line in place of the contents."""
        L = self.labels
        line = L("period_line", period=L.period(self.period), previous=L.period(self.report.previous_period))
        coverage = self.coverage_line()
        cov = f'<p class="smmkit-meta smmkit-coverage">{fragments.escape(coverage)}</p>' if coverage else ""
        head = (
            f"<style>{theme.page_css(brand=self.client.config.brand)}</style>"
            f'<div class="smmkit-block"><h1>{fragments.escape(L("page." + self.name))} · '
            f"{fragments.escape(self.client.config.name)}</h1>"
            f'<p class="smmkit-meta">{fragments.escape(line)}</p>{cov}</div>'
        )
        if self.empty:
            what = L(f"what.page.{self.name}") if f"what.page.{self.name}" in LABELS else self.name
            return HTML(head + f'<div class="smmkit-block"><p class="smmkit-nodata">'
                        f"{fragments.escape(L('empty_page', what=what))}</p></div>")  # fmt: skip
        toc = "".join(f'<li><a href="#{anchor(k)}">{fragments.escape(self.title(k))}</a></li>'
                      for k in PAGES.get(self.name, ()))  # fmt: skip
        return HTML(head + fragments.block(
            f'<nav class="smmkit-toc"><strong>{fragments.escape(L("toc"))}</strong><ol>{toc}</ol></nav>'
        ).data)  # fmt: skip

    def section(
        self,
        key: str,
        *,
        sources: Sequence[str] = (),
        title: str | None = None,
        intro: str | None = None,
        **fields: Any,
    ) -> HTML:
        """The heading of section ``key`` with the page's period (:func:`~smmkit.report.fragments.section`).

        Raises
        ------
        UsageError
            When ``key`` is not one of the page's sections in :data:`PAGES` (its table of
            contents would miss it).
        """
        sections = PAGES.get(self.name)
        if sections is not None and key not in sections:
            raise UsageError(
                f"`key` must be a section of the {self.name} page ({', '.join(sections)}: "
                f"smmkit.report.sections.PAGES); got {key!r}"
            )
        title, intro = title or self.title(key), intro or self._intro(key)
        return fragments.section(
            key, self.labels, sources=sources, period=self.period, title=title, intro=intro, **fields
        )

    def no_data(self, what: str) -> HTML:
        """The page's "no ``what`` data" line (:func:`~smmkit.report.fragments.no_data`)."""
        return fragments.no_data(self.labels, what)

    def has(self, *keys: str) -> bool:
        """Whether any of the KPI ``keys`` is known in the period's total."""
        return any(np.isfinite(self.report.total[k]) for k in keys)

    def cards(self, keys: Iterable[str]) -> HTML:
        """KPI cards of the period's total (:func:`~smmkit.report.fragments.kpi_cards`): known KPIs
        as cards, the unknown ones named in one line."""
        return fragments.kpi_cards(self.report, keys, self.labels, known_only=True)

    def series(self, frame: Any, keys: Iterable[str]) -> list[str]:
        """The ``keys`` worth a chart in ``frame`` (a trend, period x KPI or (period, network) x KPI):
        those with a value that is known and not 0 (no all-zero or empty series is drawn)."""
        out = []
        for key in dict.fromkeys(keys):
            if key in getattr(frame, "columns", ()):
                values = np.asarray(frame[key], dtype=float)
                if (np.isfinite(values) & (values != 0)).any():
                    out.append(key)
        return out

    def table(self, keys: Iterable[str], **options: Any) -> HTML:
        """The KPI x network table (:func:`~smmkit.report.fragments.kpi_table`)."""
        return fragments.kpi_table(self.report, keys, self.labels, **options)

    def notes(self) -> HTML | None:
        """The report's notes about its numbers; None when there are none."""
        return fragments.notes(self.report.notes, self.labels)

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
        Axes or Figure as its figure, Axes of several figures or :class:`~smmkit.report.figures.Panels`
        as panels in a grid (inline SVG, :func:`~smmkit.report.figures.chart`; closed once shown),
        None skipped. When ``when`` does not
        hold, or no item showed anything, the section is one short line: its title and that there is
        no data of kind ``missing`` (its title alone, without ``missing``). An empty page
        (:attr:`empty`) shows nothing.
        """
        if self.empty:
            return
        ok = bool(when) if isinstance(when, bool | np.bool_) else self.has(*when)
        body = [as_figure(item() if callable(item) else item) for item in items] if ok else []
        body = [b for b in body if b is not None]
        if body:
            shown: list[Any] = [self.section(key, sources=sources, **fields), *body]
        else:
            self.section(key)  # a key not of this page is an error here too
            title = fields.get("title") or self.title(key)
            shown = [fragments.empty_section(key, self.labels, missing or "", title=title)]
        for out in shown:
            display(chart(out))


# --------------------------------------------------------------------------- opening a page
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


def open_page(
    name: str,
    client_dir: str | Path,
    *,
    start: str | dt.date,
    end: str | dt.date,
    needs: Sequence[str] = (),
) -> Page:
    """Open a report page: what every report notebook does first, in one call.

    Loads the client and computes its KPIs for ``[start, end]`` (the last client folder's
    load and reports are memoised in the process, keyed by its files' sizes and times, so the
    notebooks of one client share them), makes the report theme with the client's brand
    colour the default of every chart (:func:`smmkit.report.theme.use`) and shows the page's
    header (:meth:`Page.header`: CSS, title, period, table of contents).

    Parameters
    ----------
    name
        The page: a key of :data:`smmkit.report.sections.PAGES` or ``"explore"``.
    client_dir
        The client folder (or a demo client's name, :func:`smmkit.config.resolve_client_dir`).
    start, end
        The period's first and last day.
    needs
        KPI keys of which the page needs one known in the period's total: when none is, the
        page is :attr:`Page.empty` and says so in one line (no contents, no sections).

    Returns
    -------
    Page
        Its labels follow ``client.yaml: language`` and ``currency``.

    Raises
    ------
    UsageError
        For an unknown page name.
    """
    if name not in PAGES and name != "explore":
        raise UsageError(f"`name` must be one of {', '.join([*PAGES, 'explore'])}; got {name!r}")
    client, report = _opened(resolve_client_dir(client_dir), start, end)
    labels = Labels(client.config.language, currency=client.config.currency)
    page = Page(name=name, client=client, report=report, labels=labels)
    page.empty = bool(needs) and not page.has(*needs)
    theme.use(brand_color=page.brand_color)
    display(page.header())
    return page


def record(report: Any) -> None:
    """Display the report's numbers as a ``application/vnd.smmkit.kpis+json`` output (for tests).

    Carries ``period``, ``previous_period``, ``total``, ``networks``, ``change``
    and ``top_posts`` of :meth:`KPIReport.to_dict`; nbconvert renders nothing for this mimetype.
    """
    data = report.to_dict()
    keep = ("client", "period", "previous_period", "total", "networks", "change", "top_posts", "targets")
    display({KPIS_MIMETYPE: {k: data[k] for k in keep if k in data}}, raw=True)


def top_posts(page: Page) -> HTML:
    """The top posts' table: its first KPI column is the basis they are ranked by
    (:attr:`Page.top_basis`: reach, else impressions, else engagements; metrics.md, "How the
    report shows them"), which the section's title and intro name."""
    columns = tuple(dict.fromkeys((page.top_basis, "engagements", "er_post")))
    return fragments.posts_table(page.report.top_posts, page.labels, columns=columns)


#: The files ``smmkit run`` writes beside the pages of the client being run (:func:`set_downloads`).
_DOWNLOADS: dict[str, str] = {}

#: The kinds of download a page may link, in the order it lists them.
DOWNLOAD_KINDS: tuple[str, ...] = ("xlsx", "pdf")


def set_downloads(files: dict[str, str]) -> None:
    """Tell this process's pages which downloads sit beside them: kind (``xlsx``, ``pdf``) -> file
    name (``report.xlsx``); ``smmkit run`` does it before a client's notebooks run."""
    unknown = set(files) - set(DOWNLOAD_KINDS)
    if unknown:
        raise UsageError(f"`files` keys must be among {', '.join(DOWNLOAD_KINDS)}; got {sorted(unknown)}")
    _DOWNLOADS.clear()
    _DOWNLOADS.update({k: str(files[k]) for k in DOWNLOAD_KINDS if files.get(k)})


def downloads(page: Page) -> HTML | None:
    """The page's links to the report's downloads (the Excel workbook, the PDF when made); None
    when there is none (a notebook run by hand)."""
    return fragments.downloads(page.downloads, page.labels)


#: How many posts the content page's table of every post shows at most (the newest); the
#: workbook holds them all.
POSTS_SHOWN = 500


def all_posts(page: Page, posts: Any, *, limit: int = POSTS_SHOWN) -> HTML:
    """Every post of the period, newest first (Sprout's post performance report): at most ``limit``
    rows, in a box that scrolls on screen (printed whole), with a line saying how many are shown
    and that the workbook holds them all."""
    ordered = posts.sort_values(
        ["published_at", "network", "post_id"],
        ascending=[False, True, True],
        kind="mergesort",
        na_position="last",
    )
    metric = page.post_metric
    columns = tuple(dict.fromkeys(("reach", "impressions", "engagements", metric)))
    L = page.labels
    notes = []
    if len(ordered) > limit:
        notes.append(L("ct.posts.capped", shown=L.number(limit), n=L.number(len(ordered))))
    if "xlsx" in page.downloads:
        notes.append(L("ct.posts.workbook"))
    table = fragments.posts_table(ordered, L, columns=columns, limit=limit)
    return fragments.scroll_box(table, notes=notes, href=page.downloads.get("xlsx"))
