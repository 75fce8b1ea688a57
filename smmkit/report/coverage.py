"""What the exports do not cover, in the client's language: one line per network for the page header.

:attr:`smmkit.kpi.result.KPIReport.coverage` holds, per network, the days each source's exports
cover and how they cover the period (metrics.md, coverage). :func:`coverage_lines` turns it into
"Facebook: exports end Feb 14, 2016" (every source ends before the period),
"Instagram: post exports end Oct 20, 2026" (one source stops inside it), and nothing for a network
whose exports cover the whole period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from smmkit.report.i18n import format_date, t

__all__ = ["coverage_line", "coverage_lines"]

#: The words of a coverage line, per language ({net}, {what}, {day}).
_WORDS: dict[str, dict[str, str]] = {
    "end": {"en": "exports end {day}", "ru": "выгрузки заканчиваются {day}"},
    "start": {"en": "exports start {day}", "ru": "выгрузки начинаются {day}"},
    "source_end": {"en": "{what} exports end {day}", "ru": "{what}: выгрузки заканчиваются {day}"},
    "source_start": {"en": "{what} exports start {day}", "ru": "{what}: выгрузки начинаются {day}"},
}


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def coverage_line(network: str, info: Mapping[str, Any], period: Any, lang: str = "en") -> str | None:
    """One network's line (None when its exports cover the whole period).

    Parameters
    ----------
    network
        The network key (``"facebook"``).
    info
        Its entry of ``KPIReport.coverage`` (``sources``: source -> ``first``, ``last``, ``status``).
    period
        The report period (``start``, ``end`` days).
    lang
        ``"en"`` or ``"ru"``.
    """
    sources = {s: v for s, v in info.get("sources", {}).items() if v.get("status") in ("partial", "none")}
    if not sources:
        return None
    name = t(f"net.{network}", lang)
    lasts = [_day(v["last"]) for v in info["sources"].values()]
    firsts = [_day(v["first"]) for v in info["sources"].values()]
    if max(lasts) < period.start:  # every source ends before the period
        return f"{name}: {_WORDS['end'][lang].format(day=format_date(max(lasts), lang))}"
    if min(firsts) > period.end:
        return f"{name}: {_WORDS['start'][lang].format(day=format_date(min(firsts), lang))}"
    parts = []
    for source, v in sources.items():
        what = t(f"what.{source}", lang)
        if _day(v["last"]) < period.end:
            parts.append(_WORDS["source_end"][lang].format(what=what, day=format_date(v["last"], lang)))
        else:
            parts.append(_WORDS["source_start"][lang].format(what=what, day=format_date(v["first"], lang)))
    return f"{name}: {'; '.join(parts)}"


def coverage_lines(report: Any, lang: str | None = None) -> list[str]:
    """Every network's line of ``report`` (a :class:`~smmkit.kpi.result.KPIReport`) in its order.

    ``lang`` defaults to the report's language (``client.yaml: language``).
    """
    lang = lang or report.language
    lines = (coverage_line(net, info, report.period, lang) for net, info in report.coverage.items())
    return [line for line in lines if line]
