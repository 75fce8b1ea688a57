"""Numbers to what a reader sees: labels and number formats (en/ru), theme, plot helpers, report pages.

A report notebook needs one import, ``import smmkit.report as R``, and finds here every
name it calls (``R.open_page``, ``R.posts_table``, ``R.trend``...); charts come from
:mod:`smmkit.report.plots`. The modules, by job:

- :mod:`~smmkit.report.page`: :class:`Page`, :func:`open_page` (load, KPIs, theme, header)
  and the per-kernel memo :func:`preload_page` fills;
- :mod:`~smmkit.report.sections`: the sections of each page in order, and the KPIs of its tables;
- :mod:`~smmkit.report.fragments`: HTML fragments (headings, KPI cards, every table);
- :mod:`~smmkit.report.figures`: a matplotlib figure to one PNG;
- :mod:`~smmkit.report.findings`, :mod:`~smmkit.report.forecast`, :mod:`~smmkit.report.notes`:
  the findings, the forecast and the analyst's notes, and their blocks on the pages;
- :mod:`~smmkit.report.i18n`, :mod:`~smmkit.report.theme`, :mod:`~smmkit.report.plots`,
  :mod:`~smmkit.report.display`.

The names are imported on first use: ``smmkit kpis --format json`` (which reads
:mod:`smmkit.report.findings`) and the batch runner's main process (:mod:`smmkit.report.i18n`) do not pay for IPython and
matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Module -> the names this package re-exports from it.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "smmkit.report.page": (
        "KPIS_MIMETYPE",
        "Page",
        "all_posts",
        "downloads",
        "open_page",
        "preload_page",
        "record",
        "top_posts",
    ),
    "smmkit.report.sections": (
        "AUDIENCE",
        "COST",
        "FEEDBACK",
        "HEADLINE",
        "INBOX",
        "MONTHLY",
        "PAGES",
        "PAGE_FILES",
        "REACH",
    ),  # fmt: skip
    # fragments.notes is not here: ``R.notes`` would be shadowed by the module smmkit.report.notes.
    "smmkit.report.fragments": (
        "VISITOR_PAIRS",
        "funnel_table",
        "kpi_card",
        "kpi_cards",
        "kpi_table",
        "no_data",
        "note",
        "posts_table",
        "section",
        "signals_table",
        "social_vs_site",
        "spikes_table",
        "table",
        "targets_table",
        "toc",
    ),  # fmt: skip
    "smmkit.report.coverage": ("coverage_lines",),
    "smmkit.report.figures": ("figure_image",),
    "smmkit.report.findings": ("key_findings", "page_findings"),
    "smmkit.report.forecast": ("forecast_section",),
    "smmkit.report.notes": ("analyst_notes",),
    "smmkit.report.plots": ("spike_days", "voice_colors"),
    "smmkit.report.i18n": ("Labels", "change_class"),
    # What the pages draw, computed by the KPI layer; here so that a notebook finds it beside the rest.
    "smmkit.kpi.tables": (
        "best_time",
        "by_post_type",
        "history",
        "mentions_daily",
        "period_posts",
        "sentiment_weekly",
        "trend",
        "voice",
        "weekly_frequency",
    ),  # fmt: skip
    "smmkit.config": ("resolve_client_dir",),
}

_WHERE: dict[str, str] = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'smmkit.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
