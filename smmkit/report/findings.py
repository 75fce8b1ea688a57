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

from smmkit.kpi.findings import FACT, PRIORITY, Finding
from smmkit.kpi.result import signed
from smmkit.report.i18n import Labels, as_labels, format_points, is_missing, kpi_kind, plural, t
from smmkit.report.sections import PAGE_FILES, anchor

if TYPE_CHECKING:
    from IPython.display import HTML

    from smmkit.report.page import Page

__all__ = ["href", "insights", "key_findings", "kpis_json", "page_findings", "phrase", "points", "section_of"]

_KEY_SECTIONS: dict[str, tuple[str, str]] = {
    "followers_end": ("networks", "nw.audience"),
    "reach": ("networks", "nw.reach"),
    "er": ("networks", "nw.feedback"),
    "er_post": ("networks", "nw.feedback"),
    "leads": ("funnel", "fn.cost"),
    "cpl": ("funnel", "fn.cost"),
    "response_rate": ("community", "cm.inbox"),
    "mentions_negative": ("community", "cm.mentions"),
    "complaints": ("community", "cm.complaints"),
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


def points(value: Any, L: Labels, *, sign: bool = True) -> str:
    """A change in percentage points (``+11.4 pp`` / ``+11,4 п. п.``): :func:`smmkit.report.i18n.format_points`."""
    return format_points(value, L.lang, sign=sign)


def _format(fmt: str, value: Any, L: Labels) -> str:
    if fmt == "kpi_name":
        return L.kpi(value)
    kind, _, key = fmt.partition(":")
    if kind == "kpi":
        return L.value(key, value)
    if kind == "gap":  # an unsigned difference in the KPI's unit (points for a percent KPI)
        return points(value, L, sign=False) if kpi_kind(key) == "percent" else L.value(key, abs(value))
    if kind == "signed":  # a signed difference in the KPI's unit (points for a percent KPI); bare: a count
        if not key:
            return signed(L.number(value, kind="count", decimals=0), value)
        return points(value, L) if kpi_kind(key) == "percent" else signed(L.value(key, value), value)
    if fmt == "change":
        return L.change(value)
    if fmt == "points":
        return points(value, L)
    if fmt == "percent":
        return L.number(abs(value), kind="percent")
    if fmt == "count":
        return L.number(value, kind="count", decimals=0)
    if fmt == "ratio":
        return (
            L.missing
            if is_missing(value)
            else L.number(value, kind="count", decimals=0 if value >= 10 else 1)
        )
    if fmt == "date":
        return L.date(value, year=False)
    if fmt == "network":
        return L.network(value)
    if fmt == "days":
        return t("days", L.lang, n=int(value))
    return str(value)


#: The noun each rule's ``value`` (or another count) agrees with: rule prefix -> (field, noun).
_NOUNS = {
    "signal.quality": ("value", "new_followers"),
    "signal.contest": ("value", "lost_followers"),
    "response": ("questions", "questions"),
}


def _times(ratio: float, L: Labels) -> str:
    """The word after a multiple: ru «в 11 раз», «в 8,5 раза» (a number with decimals takes «раза»)."""
    return plural(ratio if ratio >= 10 else 2, "times", L.lang)


def _parts(finding: Finding, fields: dict[str, str], L: Labels) -> dict[str, str]:
    """The optional clauses of a sentence: the typical day, the top source, the change to the previous period."""
    raw = finding.fields
    out: dict[str, str] = {}
    if "basis" in raw and finding.kind in ("spike", "signal"):
        ratio = raw["ratio"][1]
        out["typical"] = (
            L("finding.part.typical.none")
            if is_missing(ratio)
            else L("finding.part.typical", ratio=fields["ratio"], ratio_word=_times(ratio, L))
        )
    if "source" in raw:
        source = raw["source"][1]
        out["source"] = "" if source is None else L("finding.part.source", source=source)
    if finding.kind == "spike":
        known = not is_missing(raw["change"][1]) and not is_missing(raw["previous"][1])
        out["versus"] = (
            L("finding.part.versus", change=fields["change"], previous=fields["previous"]) if known else ""
        )
    return out


def phrase(finding: Finding, labels: Labels | str | None = None) -> str:
    """The finding's sentence in the language of ``labels`` (deterministic: same facts, same text).

    Every number it quotes is one of the finding's fields, formatted by :mod:`smmkit.report.i18n`.
    A finding about a day the analyst's notes explain says so (a signal's own wording, or one more
    sentence).
    """
    L = as_labels(labels)
    fields = {name: _format(fmt, value, L) for name, (fmt, value) in finding.fields.items() if fmt != FACT}
    for prefix, (name, noun) in _NOUNS.items():
        if finding.rule.startswith(prefix):
            fields[f"{name}_word"] = plural(finding.fields[name][1], noun, L.lang)
    fields.update(_parts(finding, fields, L))
    rule = "change" if finding.rule.startswith("change.") else finding.rule
    text = L(f"finding.{rule}", **fields)
    if finding.noted and not rule.endswith(".noted"):
        text += L("finding.part.noted.days" if finding.rule == "signal.contest" else "finding.part.noted")
    return text


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
def _alert(finding: Finding) -> bool:
    """Whether a finding is marked ⚠: a crisis, a missed target, an audience signal the notes do not explain."""
    if finding.priority == PRIORITY["signal"]:
        return not finding.noted
    return finding.priority < PRIORITY["signal"]


def _findings_list(findings: Iterable[Finding], L: Labels, *, page: str | None) -> str:
    from smmkit.report.fragments import escape as e

    items = []
    for f in findings:
        missed = " data-missed" if f.kind == "target" and f.rule.startswith("target.missed") else ""
        alert = " data-alert" if _alert(f) else ""
        link = f' <a href="{e(href(f, page=page))}">{e(L("findings.more"))}</a>'
        attrs = (
            f'data-kind="{e(f.kind)}" data-key="{e(f.key or "")}" data-network="{e(f.network or "")}" '
            f'data-priority="{f.priority}"{missed}{alert}'
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
