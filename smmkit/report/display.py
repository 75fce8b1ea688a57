"""Rich notebook display of the kit's results, as the report renders them.

In a notebook (JupyterLab, VS Code, anything driven by IPython), a
:class:`~smmkit.kpi.engine.KPIReport` shows as the report would show it: the
period, the headline KPI cards (formatted in the client's language, with units,
change arrows and formulas), the per-network table and the funnel. In a terminal
its repr is one line (the text tables are the command line's: :mod:`smmkit.cli.text`).

Why a formatter and not ``KPIReport._repr_html_``: the layers only look down
(``.importlinter``), so the KPI layer may not import this one, not even late. The
report layer therefore registers an IPython ``text/html`` formatter for the KPI
types (:func:`register`), which IPython calls exactly where it would call
``_repr_html_``. It is registered when this module is imported in a running
IPython and on ``import smmkit`` in one (``smmkit/__init__.py``, which belongs to
no layer), so ``import smmkit; smmkit.kpis(...)`` displays richly with no extra step.

The helpers return ``IPython.display.HTML`` for the parts of a report
(:func:`cards`, :func:`networks`, :func:`funnel`). Networks without a known
value among the shown KPIs are left out (e.g. ``other`` with web data only).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from IPython.display import HTML

from smmkit.kpi.result import KPIReport
from smmkit.report import fragments, theme
from smmkit.report.i18n import Labels
from smmkit.report.sections import HEADLINE, MONTHLY

__all__ = ["cards", "funnel", "labels_for", "networks", "register", "report_html"]


def labels_for(report: Any, labels: Labels | str | None = None) -> Labels:
    """The labels of a report's client: its language and currency (``labels`` overrides)."""
    if isinstance(labels, Labels):
        return labels
    lang = labels or getattr(report, "language", None) or "en"
    return Labels(lang, currency=getattr(report, "currency", None))


def _css() -> str:
    return f"<style>{theme.CSS}</style>"


def cards(report: Any, keys: Iterable[str] = HEADLINE, labels: Labels | str | None = None) -> HTML:
    """KPI cards of the report's total for ``keys``: value with unit, change arrow, target, formula."""
    return HTML(_css() + fragments.kpi_cards(report, keys, labels_for(report, labels)).data)


def networks(
    report: Any,
    keys: Iterable[str] = MONTHLY,
    labels: Labels | str | None = None,
    *,
    formulas: bool = True,
) -> HTML:
    """The KPI x network table (total, change, formula beside); KPIs and networks without data left out."""
    return HTML(
        _css() + fragments.kpi_table(report, keys, labels_for(report, labels), formulas=formulas).data
    )


def funnel(report: Any, scope: str = "total", labels: Labels | str | None = None) -> HTML:
    """One scope of the report's funnel: the organic and paid rows and the web stages they lead into,
    each stage with its value, its rate from the previous stage and from its path's first stage."""
    L = labels_for(report, labels)
    table = fragments.funnel_table(report.funnel, L, scope=scope)
    if table is None:  # no stage of the scope is known
        return HTML(_css() + fragments.empty_section("fn.funnel", L, "page.funnel").data)
    return HTML(_css() + table.data)


def report_html(report: Any, labels: Labels | str | None = None) -> str:
    """A KPIReport as HTML: period line, headline cards, per-network table, total funnel, notes."""
    L = labels_for(report, labels)
    line = L("period_line", period=L.period(report.period), previous=L.period(report.previous_period))
    parts = [
        _css(),
        f'<div class="smmkit-block"><p><strong>{html.escape(str(report.client))}</strong> · '
        f'<span class="smmkit-meta">{html.escape(line)}</span></p></div>',
        fragments.kpi_cards(report, [*HEADLINE, *report.targets.get("key", [])], L).data,
        fragments.kpi_table(report, MONTHLY, L, formulas=False).data,  # the cards carry the formulas
    ]
    table = fragments.funnel_table(report.funnel, L, scope="total") if len(report.funnel) else None
    if table is not None:
        parts.append(table.data)
    found = fragments.notes(report.notes, L)
    if found is not None:
        parts.append(found.data)
    return "".join(parts)


def register(shell: Any = None) -> bool:
    """Show :class:`KPIReport` richly in ``shell`` (the running IPython by default); idempotent.

    Returns False when there is no IPython shell (a plain interpreter: nothing to do).
    """
    if shell is None:
        from IPython import get_ipython

        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    shell.display_formatter.formatters["text/html"].for_type(KPIReport, report_html)
    return True


register()
