"""``smmkit kpis --format table|csv|json``: a :class:`~smmkit.kpi.result.KPIReport` as text.

The table uses the same units as the report (from :mod:`smmkit.catalogue`); numbers
are plain (``1,234.5``) so that a terminal user or a script can read them.
"""

from __future__ import annotations

import io

import pandas as pd

from smmkit.catalogue import KPI_KEYS
from smmkit.errors import UsageError
from smmkit.kpi.result import KPIReport, number, plain_change, plain_value

__all__ = ["FORMATS", "render"]

FORMATS: tuple[str, ...] = ("json", "csv", "table")


def render(report: KPIReport, fmt: str, *, lang: str = "en") -> str:
    """Render a report as ``"json"``, ``"csv"`` or ``"table"`` text (the ``smmkit kpis`` output).

    The JSON carries the findings' sentences in ``lang`` (``insights``, :mod:`smmkit.report.findings`).
    """
    if fmt == "json":
        from smmkit.report.findings import kpis_json

        return kpis_json(report, lang=lang)
    if fmt == "csv":
        return _render_csv(report)
    if fmt == "table":
        return _render_table(report)
    raise UsageError(f"format must be one of json, csv, table; got {fmt!r}")


def _render_csv(report: KPIReport) -> str:
    frame = pd.concat([report.networks, report.total.to_frame().T])
    frame.index = [*map(str, report.networks.index), "total"]
    frame.index.name = "scope"
    out = frame.reset_index()
    for key in KPI_KEYS:
        out[key] = [_csv_num(v) for v in out[key]]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _csv_num(value: float) -> str:
    v = number(value)
    return "" if v is None else repr(v)


def _render_table(report: KPIReport) -> str:
    cur = report.currency
    header = ["KPI", "total", "change", *map(str, report.networks.index)]
    rows = [header]
    for key in KPI_KEYS:
        rows.append(
            [
                key,
                plain_value(key, report.total[key], cur),
                plain_change(report.change.total[key]),
                *(plain_value(key, report.networks.loc[n, key], cur) for n in report.networks.index),
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        f"{report.client}: {report.period} ({report.period.days} days), "
        f"previous {report.previous_period}; reach = total post reach (sum over posts)",
    ]
    for i, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True))]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += [f"note: {n}" for n in report.notes]
    return "\n".join(lines) + "\n"
