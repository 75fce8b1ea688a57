"""The findings as sentences in the client's language, and the JSON ``insights`` built from them.

:mod:`smmkit.kpi.findings` decides *what* a finding says (structured facts,
no language); this module says it, with the report's own formatters
(:mod:`smmkit.report.i18n`), so that every number a sentence quotes is
rounded exactly as the report pages print it. Kept in the report layer
because the KPI layer may not import :mod:`smmkit.report.i18n` (the layer
contract in ``.importlinter``); ``smmkit kpis --format json`` (the CLI, on
top) calls :func:`kpis_json`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from smmkit.kpi.findings import Finding
from smmkit.kpi.result import signed
from smmkit.report.i18n import Labels, as_labels, plural, t

__all__ = ["PAGE_FILES", "href", "insights", "kpis_json", "phrase", "section_of"]

#: Report page -> its HTML file (the runner names it after the notebook without its order prefix).
PAGE_FILES: dict[str, str] = {
    "overview": "overview.html",
    "networks": "networks.html",
    "funnel": "funnel.html",
    "content": "content.html",
    "community": "community.html",
}

_KEY_SECTIONS: dict[str, tuple[str, str]] = {
    "followers_end": ("networks", "nw.audience"),
    "reach": ("networks", "nw.reach"),
    "er": ("networks", "nw.feedback"),
    "leads": ("funnel", "fn.cost"),
    "cpl": ("funnel", "fn.cost"),
    "response_rate": ("community", "cm.inbox"),
}


def section_of(finding: Finding) -> tuple[str, str]:
    """The page and section (a catalogue key of :data:`smmkit.report.blocks.PAGES`) a finding is about."""
    if finding.kind == "target":
        return ("overview", "ov.targets")
    if finding.kind == "signal":
        return ("community", "cm.signals")
    if finding.kind == "best_post":
        return ("content", "ct.ranking")
    return _KEY_SECTIONS.get(finding.key or "", ("overview", "ov.networks"))


def href(finding: Finding, *, page: str | None = None) -> str:
    """A link to the finding's section: ``#anchor`` on its own page, ``<page>.html#anchor`` elsewhere."""
    target, key = section_of(finding)
    anchor = "s-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
    return f"#{anchor}" if target == page else f"{PAGE_FILES[target]}#{anchor}"


def _format(fmt: str, value: Any, L: Labels) -> str:
    if fmt == "kpi_name":
        return L.kpi(value)
    if fmt.startswith("kpi:"):
        return L.value(fmt[4:], value)
    if fmt == "change":
        return L.change(value)
    if fmt == "percent":
        return L.number(abs(value), kind="percent")
    if fmt == "signed":
        return signed(L.number(value, kind="count", decimals=0), value)
    if fmt == "count":
        return L.number(value, kind="count", decimals=0)
    if fmt == "date":
        return L.date(value, year=False)
    if fmt == "network":
        return L.network(value)
    if fmt == "days":
        return t("days", L.lang, n=int(value))
    return str(value)


def phrase(finding: Finding, labels: Labels | str | None = None) -> str:
    """The finding's sentence in the language of ``labels`` (deterministic: same facts, same text)."""
    L = as_labels(labels)
    fields: dict[str, str] = {}
    for name, (fmt, value) in finding.fields.items():
        fields[name] = _format(fmt, value, L)
        if fmt == "count" and name in ("new_followers", "lost_followers", "questions"):
            fields[f"{name}_word"] = plural(value, name, L.lang)
    rule = "change" if finding.rule.startswith("change.") else finding.rule
    return L(f"finding.{rule}", **fields)


def insights(report: Any, labels: Labels | str | None = None) -> list[dict[str, Any]]:
    """The JSON ``insights`` of data-contract.md section 3: each finding's fields and its ``text``.

    ``labels`` is a :class:`Labels` or a language code (then with the report's currency).
    """
    L = labels if isinstance(labels, Labels) else Labels(labels or "en", currency=report.currency)
    return [{**f.to_dict(), "text": phrase(f, L)} for f in report.findings]


def kpis_json(report: Any, *, lang: str = "en", indent: int | None = 2) -> str:
    """``smmkit kpis --format json``: :meth:`KPIReport.to_dict` plus ``insights`` in ``lang``."""
    out = report.to_dict()
    out["insights"] = insights(report, lang)
    return json.dumps(out, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"
