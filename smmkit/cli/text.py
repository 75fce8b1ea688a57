"""What the ``smmkit`` command prints: the lower layers return data, this module makes the text.

One aligned-table writer (:func:`aligned`) serves every table the command prints: the files of
``smmkit validate``, the KPIs of ``smmkit kpis --format table`` and the checklist of ``smmkit
alerts``. The exit codes of those commands are decided here too, from the data they print.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from smmkit.catalogue import KPI_KEYS
from smmkit.cli.codes import EXIT_INPUT, EXIT_OK, EXIT_SPIKES, KPI_FORMATS
from smmkit.errors import UsageError
from smmkit.io.formats import FORMATS
from smmkit.io.validate import ValidationReport
from smmkit.kpi.alerts import AlertsResult, ClientAlerts
from smmkit.kpi.result import KPIReport, number, plain_change, plain_value

__all__ = [
    "aligned",
    "alerts_exit_code",
    "alerts_text",
    "kpis_text",
    "validation_exit_code",
    "validation_summary",
    "validation_text",
]

#: Each export format's readable name, by its key: the FORMAT column of ``smmkit validate``.
FORMAT_LABELS = {f.name: f.label for f in FORMATS}


def aligned(rows: Sequence[Sequence[str]], *, right_from: int | None = None, rule: bool = False) -> list[str]:
    """``rows`` as lines of columns two spaces apart, each as wide as its widest cell.

    Columns from ``right_from`` on are right-aligned (numbers), the others left-aligned; ``rule``
    puts a line of dashes under the first row. Trailing spaces are cut.
    """
    if not rows:
        return []
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            str(c).rjust(w) if right_from is not None and i >= right_from else str(c).ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if rule and n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


# -- smmkit validate -------------------------------------------------------------------------------


def _rel(report: ValidationReport, path) -> str:
    try:
        return str(Path(path).relative_to(report.client_dir))
    except ValueError:
        return str(path)


def _day(value) -> str:
    return value.date().isoformat() if value is not None else "-"


def _file_rows(report: ValidationReport) -> list[tuple[str, ...]]:
    rows = [("FILE", "FORMAT", "NETWORK", "ROWS", "FROM", "TO")]
    for f in report.client.files:
        if f.format is None:
            rows.append((_rel(report, f.path), "UNUSABLE (see errors)", "-", "-", "-", "-"))
            continue
        n = "recognised, not used" if f.unused else ", ".join(f"{v} {k}" for k, v in f.rows.items())
        rows.append(
            (_rel(report, f.path), f"{FORMAT_LABELS.get(f.format, f.format)} [{f.format}]",
             ",".join(f.networks) or "-", n or "0", _day(f.first_day), _day(f.last_day))
        )  # fmt: skip
    return rows


def validation_text(report: ValidationReport) -> str:
    """The stdout of ``smmkit validate``: the client, its files with their formats, notes, warnings."""
    lines = []
    if report.client is not None:
        cfg = report.client.config
        lines.append(f"{cfg.slug}: {cfg.name} (timezone {cfg.timezone}, currency {cfg.currency})")
        rows = _file_rows(report)
        if len(rows) == 1:
            lines.append("no export files under exports/")
        lines += aligned(rows)
    if report.coverage:
        lines.append("coverage (first..last day of each source's exports):")
        lines.extend(f"  {line}" for line in report.coverage)
    if report.notes:
        lines.append("notes:")
        lines.extend(f"  note: {n}" for n in report.notes)
    if report.warnings:
        lines.append(f"{_plural(len(report.warnings), 'warning')}:")
        lines.extend(f"  warning: {w}" for w in report.warnings)
    return "\n".join(lines) + "\n" if lines else ""


def validation_summary(report: ValidationReport) -> str:
    """The last line of ``smmkit validate``: ``4 files, 0 unusable, 1 warning: all files usable``."""
    files = report.client.files if report.client else []
    bad = sum(1 for f in files if f.format is None)
    e = len(report.errors)
    verdict = "all files usable" if not e else _plural(e, "error")
    return f"{_plural(len(files), 'file')}, {bad} unusable, {_plural(len(report.warnings), 'warning')}: {verdict}"


def validation_exit_code(report: ValidationReport) -> int:
    return EXIT_INPUT if report.errors else EXIT_OK


# -- smmkit kpis -----------------------------------------------------------------------------------


def kpis_text(report: KPIReport, fmt: str, *, lang: str = "en") -> str:
    """``smmkit kpis --format json|csv|table``.

    The JSON carries the findings' sentences in ``lang`` (``insights``, :mod:`smmkit.report.findings`);
    the table uses the report's units (from :mod:`smmkit.catalogue`) with plain numbers (``1,234.5``)
    a terminal user or a script can read.
    """
    if fmt == "json":
        from smmkit.report.findings import kpis_json  # the report layer: only for this format

        return kpis_json(report, lang=lang)
    if fmt == "csv":
        return _kpis_csv(report)
    if fmt == "table":
        return _kpis_table(report)
    raise UsageError(f"format must be one of {', '.join(KPI_FORMATS)}; got {fmt!r}")


def _kpis_csv(report: KPIReport) -> str:
    frame = pd.concat([report.networks, report.total.to_frame().T])
    frame.index = [*map(str, report.networks.index), "total"]
    frame.index.name = "scope"
    out = frame.reset_index()
    for key in KPI_KEYS:
        out[key] = ["" if number(v) is None else repr(number(v)) for v in out[key]]
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def _kpis_table(report: KPIReport) -> str:
    cur = report.currency
    rows = [["KPI", "total", "change", *map(str, report.networks.index)]]
    for key in KPI_KEYS:
        rows.append(
            [
                key,
                plain_value(key, report.total[key], cur),
                plain_change(report.change.total[key]),
                *(plain_value(key, report.networks.loc[n, key], cur) for n in report.networks.index),
            ]
        )
    lines = [
        f"{report.client}: {report.period} ({report.period.days} days), "
        f"previous {report.previous_period}; reach = total post reach (sum over posts)",
        *aligned(rows, right_from=1, rule=True),
        *(f"note: {n}" for n in report.notes),
    ]
    return "\n".join(lines) + "\n"


# -- smmkit alerts ---------------------------------------------------------------------------------


def alerts_exit_code(result: AlertsResult) -> int:
    """1 when some client could not be checked (never reported as quiet), else 3 when there is a
    spike to look at, else 0."""
    if any(c.errors for c in result.clients):
        return EXIT_INPUT
    return EXIT_SPIKES if any(c.spikes for c in result.clients) else EXIT_OK


def alerts_text(result: AlertsResult, fmt: str = "table") -> str:
    """``smmkit alerts --format table|json``: the spikes of every client, then one line for each
    client without any (or not checked)."""
    if fmt == "json":
        out = {"clients": [c.to_dict() for c in result.clients], "exit_code": alerts_exit_code(result)}
        return json.dumps(out, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    rows = [
        (c.client, s["date"], s["signal"], f"{s['value']:g}", f"{s['median']:g}", f"{s['z']:.1f}",
         s["top_source"] or "-")
        for c in result.clients
        for s in c.spikes
    ]  # fmt: skip
    lines = (
        aligned([("client", "day", "signal", "value", "typical", "z", "top source"), *rows]) if rows else []
    )
    for c in result.clients:
        if c.errors:
            lines.append(f"{c.client}: not checked, {len(c.errors)} unusable export(s) (see smmkit validate)")
        elif not c.spikes:
            lines.append(_quiet(c))
    return "\n".join(lines) + "\n"


def _quiet(c: ClientAlerts) -> str:
    """The line of a client without spikes: nothing to look at, or days the exports do not cover."""
    if c.day is None:
        return f"{c.client}: no data at all (the exports cover no day)"
    days = [c.day - dt.timedelta(days=1), c.day]
    covered = [d for d in days if d not in c.not_covered]
    if not covered:
        return f"{c.client}: {days[0]} and {days[1]} not covered by any export (no data, not a quiet day)"
    text = f"{c.client}: nothing to look at ({' and '.join(str(d) for d in covered)})"
    missing = [str(d) for d in days if d in c.not_covered]
    return text + (f"; {missing[0]} not covered by any export" if missing else "")
