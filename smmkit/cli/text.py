"""What the ``smmkit`` command prints: the lower layers return data, this module makes the text.

One aligned-table writer (:func:`aligned`) serves every table the command prints: the files of
``smmkit validate``, the KPIs of ``smmkit kpis --format table`` and the checklist of ``smmkit
alerts``. The exit codes of those commands are decided here too, from the data they print.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from smmkit.cli.codes import EXIT_INPUT, EXIT_OK, EXIT_SPIKES, KPI_FORMATS
from smmkit.errors import UsageError
from smmkit.io.formats import FORMATS
from smmkit.io.validate import ValidationReport
from smmkit.kpi.alerts import AlertsResult, ClientAlerts
from smmkit.kpi.result import KPIReport, signed

__all__ = [
    "aligned",
    "alerts_exit_code",
    "alerts_text",
    "kpis_csv",
    "kpis_table",
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
    the CSV is the tidy KPI table (:func:`kpis_csv`); the table shows each KPI's label in ``lang``
    and its values as the report rounds them (:func:`kpis_table`).
    """
    if fmt == "json":
        from smmkit.report.findings import kpis_json  # the report layer: only for this format

        return kpis_json(report, lang=lang)
    if fmt == "csv":
        return kpis_csv(report, lang=lang)
    if fmt == "table":
        return kpis_table(report, lang=lang)
    raise UsageError(f"format must be one of {', '.join(KPI_FORMATS)}; got {fmt!r}")


#: The columns of ``smmkit kpis --format csv``: the client and the period first, so that the CSVs
#: of several clients (or periods) concatenate into one table (drop the repeated header lines).
CSV_COLUMNS: tuple[str, ...] = ("client", "period_start", "period_end", "network", "key", "label", "value",
                                "previous", "change", "unit")  # fmt: skip


def _csv_number(value: float, decimals: int | None) -> str:
    """A rounded number for the CSV: plain digits, a dot, no thousands separator; ``""`` unknown."""
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:.{decimals}f}" if decimals else f"{value:.0f}"


def kpis_csv(report: KPIReport, *, lang: str = "en") -> str:
    """``smmkit kpis --format csv``: the tidy (long) KPI table, one row per network and KPI.

    Columns :data:`CSV_COLUMNS`: the client's slug, the period's first and last day (ISO), the
    network (``total`` for the total, first), the KPI key and its label in ``lang``, the value and
    the previous period's value rounded as the report shows them, the change as the report shows
    it (percentage points for a percent KPI, else relative %; empty where none is shown:
    :mod:`smmkit.report.exports`) and the unit (the client's currency code for money). Empty =
    unknown. UTF-8, ``\n`` line ends, one header line.
    """
    from smmkit.report.exports import change_decimals, kpi_decimals, kpi_long

    table = kpi_long(report, lang, rounded=True)
    out = pd.DataFrame(
        {
            "client": report.client,
            "period_start": report.period.start.isoformat(),
            "period_end": report.period.end.isoformat(),
            **{col: table[col] for col in ("network", "key", "label")},
            "value": [
                _csv_number(v, kpi_decimals(k, v)) for k, v in zip(table["key"], table["value"], strict=True)
            ],
            "previous": [
                _csv_number(v, kpi_decimals(k, v))
                for k, v in zip(table["key"], table["previous"], strict=True)
            ],
            "change": [_csv_number(v, change_decimals(v)) for v in table["change"]],
            "unit": table["unit"],
        },
        columns=list(CSV_COLUMNS),
    )
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def kpis_table(report: KPIReport, *, lang: str = "en") -> str:
    """``smmkit kpis --format table``: a KPI per line, its label in ``lang`` and key, the total, its
    change as the report shows it, each network; values as the report formats them."""
    from smmkit.report.exports import kpi_long
    from smmkit.report.i18n import format_kpi

    table = kpi_long(report, lang)
    nets = [str(n) for n in report.networks.index]
    rows = [["KPI", "key", "total", "change", *nets]]
    cur = report.currency
    for key, group in table.groupby("key", sort=False):
        by_net = group.set_index("network")
        rows.append(
            [
                by_net.loc["total", "label"],
                key,
                format_kpi(key, by_net.loc["total", "value"], lang, currency=cur),
                _table_change(key, by_net.loc["total", "change"], lang),
                *(format_kpi(key, by_net.loc[n, "value"], lang, currency=cur) for n in nets),
            ]
        )
    lines = [
        f"{report.client}: {report.period} ({report.period.days} days), "
        f"previous {report.previous_period}; reach = total post reach (sum over posts)",
        *aligned(rows, right_from=2, rule=True),
        *(f"note: {n}" for n in report.notes),
    ]
    return "\n".join(lines) + "\n"


def _table_change(key: str, change: float, lang: str) -> str:
    """A change as the report shows it: ``+1.2 pp`` for a percent KPI, else ``+12.3%``; ``-`` none."""
    from smmkit.report.exports import change_decimals
    from smmkit.report.i18n import NBSP, format_number, kpi_kind

    if not math.isfinite(change):
        return "-"
    if kpi_kind(key) == "percent":
        text = format_number(change, lang, kind="count", decimals=change_decimals(change))
        return signed(text + (" pp" if lang == "en" else f"{NBSP}п.{NBSP}п."), change)
    return signed(format_number(change, lang, kind="percent"), change)


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
