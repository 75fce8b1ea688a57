"""The findings as sentences in the client's language, and the JSON ``insights`` built from them.

:mod:`smmkit.kpi.findings` decides *what* a finding says (structured facts,
no language); this module says it, with the report's own formatters
(:mod:`smmkit.report.i18n`), so that every number a sentence quotes is
rounded exactly as the report pages print it. Kept in the report layer
because the KPI layer may not import :mod:`smmkit.report.i18n` (the layer
contract in ``.importlinter``); ``smmkit kpis --format json`` (the CLI, on
top) calls :func:`kpis_json`.

:func:`key_findings` (the overview's list) and :func:`page_findings` (the findings about a
page, at its top) show them on the report pages, each linking to its section.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from smmkit.kpi.findings import Finding
from smmkit.kpi.result import signed
from smmkit.report.i18n import Labels, as_labels, plural, t
from smmkit.report.sections import PAGE_FILES, anchor

if TYPE_CHECKING:
    from IPython.display import HTML

    from smmkit.report.page import Page

__all__ = ["href", "insights", "key_findings", "kpis_json", "page_findings", "phrase", "section_of"]

_KEY_SECTIONS: dict[str, tuple[str, str]] = {
    "followers_end": ("networks", "nw.audience"),
    "reach": ("networks", "nw.reach"),
    "er": ("networks", "nw.feedback"),
    "leads": ("funnel", "fn.cost"),
    "cpl": ("funnel", "fn.cost"),
    "response_rate": ("community", "cm.inbox"),
}


def section_of(finding: Finding) -> tuple[str, str]:
    """The page and section (a section of :data:`smmkit.report.sections.PAGES`) a finding is about."""
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
    return f"#{anchor(key)}" if target == page else f"{PAGE_FILES[target]}#{anchor(key)}"


def _format(fmt: str, value: Any, L: Labels, finding: Finding | None = None, name: str = "") -> str:
    if fmt == "kpi_name":
        return L.kpi(value)
    if fmt.startswith("kpi:"):
        return L.value(fmt[4:], value)
    if fmt.startswith("diff:"):  # a gap between two values of a KPI: pp for a percent KPI
        return L.difference(fmt[5:], value)
    if fmt == "change":  # the finding's own KPI changes by its rule (pp for a percent KPI)
        if finding is not None and name == "change" and finding.key:
            return L.change(value, key=finding.key, current=finding.value)
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
        fields[name] = _format(fmt, value, L, finding, name)
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


# --------------------------------------------------------------------------- on the pages
# The page blocks import IPython and the theme when called: `smmkit kpis --format json` reads
# this module for its sentences and needs neither.
def _findings_list(findings: Iterable[Finding], L: Labels, *, page: str | None) -> str:
    from smmkit.report.fragments import escape as e

    items = []
    for f in findings:
        missed = " data-missed" if f.kind == "target" and f.rule.startswith("target.missed") else ""
        link = f' <a href="{e(href(f, page=page))}">{e(L("findings.more"))}</a>'
        attrs = (
            f'data-kind="{e(f.kind)}" data-key="{e(f.key or "")}" data-network="{e(f.network or "")}"{missed}'
        )
        items.append(f"<li {attrs}>{e(phrase(f, L))}{link}</li>")
    return f"<ul>{''.join(items)}</ul>"


def key_findings(page: Page) -> HTML:
    """The overview's "Key findings": every finding of the period, each linking to its section."""
    from IPython.display import HTML

    from smmkit.report.fragments import escape, section
    from smmkit.report.theme import FINDINGS_CSS

    L, rep = page.labels, page.report
    head = section("ov.findings", L).data
    body = (
        _findings_list(rep.findings, L, page=page.name)
        if rep.findings
        else f"<p>{escape(L('findings.none'))}</p>"
    )
    return HTML(f'{FINDINGS_CSS}<div class="smmkit-block smmkit-findings">{head}{body}</div>')


def page_findings(page: Page) -> HTML:
    """The findings about this page's sections, at its top (nothing when there are none)."""
    from IPython.display import HTML

    from smmkit.report.fragments import escape
    from smmkit.report.theme import FINDINGS_CSS

    L = page.labels
    mine = [f for f in page.report.findings if section_of(f)[0] == page.name]
    if not mine:
        return HTML("")
    title = f"<p><strong>{escape(L('findings.page'))}</strong></p>"
    items = _findings_list(mine, L, page=page.name)
    return HTML(f'{FINDINGS_CSS}<div class="smmkit-block smmkit-findings">{title}{items}</div>')
