"""The report's pages, the sections of each in order, and the KPIs of their tables: the one place that says so.

A page is a notebook of ``notebooks/`` (``1-overview.ipynb`` -> ``overview``, rendered as
``overview.html``); its sections are label keys of :mod:`smmkit.report.i18n` (``ov.top``:
the title, ``ov.top.intro``: the text under it). The table of contents of a page
(:meth:`smmkit.report.page.Page.header`), the anchor of each section heading
(:func:`smmkit.report.fragments.section`) and the links of the findings
(:func:`smmkit.report.findings.href`) are all read from here.

Kept free of IPython and matplotlib: ``smmkit kpis --format json`` reads it through the findings.
"""

from __future__ import annotations

import re

from smmkit.catalogue import page_keys

__all__ = [
    "AUDIENCE",
    "COST",
    "FEEDBACK",
    "HEADLINE",
    "INBOX",
    "MONTHLY",
    "PAGES",
    "PAGE_FILES",
    "REACH",
    "anchor",
]

#: The sections of each report page, in the order the page shows them (its table of contents).
PAGES: dict[str, tuple[str, ...]] = {
    "overview": ("ov.headline", "ov.targets", "ov.networks", "ov.mix", "ov.top"),
    "networks": ("nw.audience", "nw.reach", "nw.feedback", "nw.forecast"),
    "funnel": ("fn.funnel", "fn.visitors", "fn.cost"),
    "content": ("ct.top", "ct.ranking", "ct.types", "ct.heatmap", "ct.frequency", "ct.posts"),
    "community": ("cm.inbox", "cm.complaints", "cm.mentions", "cm.sentiment", "cm.sov", "cm.signals"),
}

#: Report page -> its HTML file (the runner names it after the notebook without its order prefix).
PAGE_FILES: dict[str, str] = {name: f"{name}.html" for name in PAGES}


def anchor(key: str) -> str:
    """The HTML id of a section's heading: ``anchor("ov.top")`` -> ``"s-ov-top"``."""
    return "s-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


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
