"""What :func:`smmkit.kpis` returns: values, never views of the engine's cache.

:class:`KPIReport` holds a client's KPIs for one period with the previous period,
the change, the funnel, the top posts, spikes, signals and targets; ``to_dict`` /
``to_json`` give the documented JSON object of data-contract.md section 3, which
validates against :func:`load_schema` (``kpis.schema.json`` with the KPI blocks
filled in from :mod:`smmkit.catalogue`). Every frame a report holds is its own
copy: changing it changes nothing else.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
from dataclasses import dataclass, field, fields
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from smmkit.catalogue import CATALOGUE, KPI_KEYS, kpi
from smmkit.kpi.periods import Period

__all__ = [
    "ARROWS",
    "KPIReport",
    "KPITables",
    "change_direction",
    "load_schema",
    "number",
    "plain_change",
    "plain_value",
    "signed",
]


@dataclass
class KPITables:
    """``total`` (Series over KPI_KEYS) and ``networks`` (DataFrame, network x KPI_KEYS)."""

    total: pd.Series
    networks: pd.DataFrame

    def __post_init__(self) -> None:
        _own_copies(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": _block(self.total),
            "networks": {net: _block(row) for net, row in self.networks.iterrows()},
        }


@dataclass
class KPIReport:
    """The KPIs of one client for one period (see docs/architecture.md, "KPI API").

    Attributes
    ----------
    total, networks
        The period's KPIs: a Series indexed by ``KPI_KEYS`` and a DataFrame
        (network x ``KPI_KEYS``); NaN = null.
    previous, change
        :class:`KPITables` of the previous period and of the change in percent.
    funnel, top_posts, spikes, targets
        DataFrames (columns in docs/architecture.md).
    signals
        ``{"audience_quality": [...], "contest_unfollows": [...]}``.
    notes
        Warnings about the numbers (e.g. web KPIs left null).
    coverage
        Per network, the days each source's exports cover, how they cover the period and the
        previous one (``full``/``partial``/``none``) and the notes on what they miss.
    """

    client: str
    currency: str
    period: Period
    previous_period: Period
    total: pd.Series
    networks: pd.DataFrame
    previous: KPITables
    change: KPITables
    funnel: pd.DataFrame
    top_posts: pd.DataFrame
    spikes: pd.DataFrame
    signals: dict[str, list[dict]]
    targets: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    forecast: dict[str, Any] | None = None  # smmkit.kpi.forecast: the next period, with an 80 % interval
    findings: list[Any] = field(default_factory=list)  # smmkit.kpi.findings.Finding facts, ranked
    language: str = "en"  # client.yaml: language; rich notebook displays format in it (not in the JSON)
    #: network -> {"sources": {source: {first, last, status, previous_status}}, "first", "last", "notes"}:
    #: the days each source's exports cover (metrics.md, coverage; :mod:`smmkit.kpi.coverage`)
    coverage: dict[str, Any] = field(default_factory=dict)
    #: scope (``total`` or a network) -> the KPI keys whose change is null because the previous
    #: period is not fully covered by the sources they read (metrics.md, coverage)
    uncovered: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _own_copies(self)

    def compared(self, key: str, scope: str = "total") -> tuple[float, float, bool]:
        """``(current, previous, comparable)`` of the KPI ``key`` in ``scope`` (``total`` or a network).

        ``comparable`` is False when the change is null for coverage (:attr:`uncovered`): the
        previous value is then known but may not be compared. What the report's change of a KPI
        is drawn from (:func:`smmkit.report.i18n.kpi_change`), "new" from 0 included.
        """
        if scope == "total":
            current, previous = self.total.get(key, np.nan), self.previous.total.get(key, np.nan)
        else:
            current = self.networks.loc[scope, key] if scope in self.networks.index else np.nan
            prev = self.previous.networks
            previous = prev.loc[scope, key] if scope in prev.index and key in prev.columns else np.nan
        comparable = key not in self.uncovered.get(scope, ())
        return _float(current), _float(previous), comparable

    def __repr__(self) -> str:
        """One line: the client, the period and where the numbers are (a notebook shows the report
        itself; ``smmkit kpis --format table`` prints every KPI)."""
        nets = ", ".join(map(str, self.networks.index)) or "no network"
        return (
            f"<KPIReport {self.client}: {self.period} ({self.period.days} days) against "
            f"{self.previous_period}; {nets}; .total, .networks, .change, .to_json()>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON object (data-contract.md section 3), NaN as None."""
        funnel: dict[str, Any] = {"total": [], "networks": {}}
        for row in self.funnel.to_dict("records"):
            stage = {k: number(row[k]) for k in ("value", "input", "rate_prev", "rate_top")}
            stage = {"path": row["path"], "stage": row["stage"], **stage, "flagged": bool(row["flagged"])}
            if row["scope"] == "total":
                funnel["total"].append(stage)
            else:
                funnel["networks"].setdefault(row["scope"], []).append(stage)
        return {
            "client": self.client,
            "currency": self.currency,
            "period": self.period.to_dict(),
            "previous_period": self.previous_period.to_dict(),
            "total": _block(self.total),
            "networks": {str(net): _block(row) for net, row in self.networks.iterrows()},
            "previous": self.previous.to_dict(),
            "change": self.change.to_dict(),
            "funnel": funnel,
            "top_posts": [_post_dict(r) for r in self.top_posts.to_dict("records")],
            "spikes": [
                {
                    "signal": r["signal"],
                    "date": pd.Timestamp(r["date"]).date().isoformat(),
                    "value": number(r["value"]),
                    "median": number(r["median"]),
                    "z": number(r["z"]),
                    "top_source": _str(r["top_source"]),
                }
                for r in self.spikes.to_dict("records")
            ],
            "signals": {
                k: [{kk: _jsonable(vv) for kk, vv in d.items()} for d in v] for k, v in self.signals.items()
            },
            "targets": [{k: _jsonable(v) for k, v in r.items()} for r in self.targets.to_dict("records")],
            "notes": list(self.notes),
            "forecast": _jsonable_tree(self.forecast),
            "coverage": _jsonable_tree(self.coverage),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as JSON (``null`` for unknown; never ``NaN`` or ``Infinity``)."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)


def _own_copies(obj: Any) -> None:
    """Replace every frame, Series and container field of a result by a deep copy of its own.

    A result is a value: whatever it was built from (the engine's per-client cache
    included), changing the result changes nothing else, and nothing else changes it.
    """
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, pd.DataFrame | pd.Series):
            object.__setattr__(obj, f.name, value.copy(deep=True))
        elif isinstance(value, dict | list | KPITables):
            object.__setattr__(obj, f.name, copy.deepcopy(value))


def number(value: Any) -> float | int | None:
    """A JSON number: an int where the value is whole, None for NaN, NA or infinity."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _float(value: Any) -> float:
    value = number(value)
    return float("nan") if value is None else float(value)


def _str(value: Any) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return number(value)
    if isinstance(value, pd.Timestamp | dt.date):
        return value.isoformat()
    return _str(value)


def _jsonable_tree(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable_tree(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable_tree(v) for v in value]
    return _jsonable(value)


def _block(values: pd.Series) -> dict[str, float | int | None]:
    return {key: number(values.get(key, np.nan)) for key in KPI_KEYS}


def _post_dict(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "network": _str(row["network"]),
        "post_id": _str(row["post_id"]),
        "published_at": row["published_at"].isoformat() if pd.notna(row["published_at"]) else None,
        "reach": number(row["reach"]),
        "engagements": number(row["engagements"]),
        "er_post": number(row["er_post"]),
        "url": _str(row["url"]),
        "text": _str(row["text"]),
        "post_type": _str(row["post_type"]),
    }


def load_schema() -> dict[str, Any]:
    """The JSON Schema of ``smmkit kpis --format json``.

    ``smmkit/kpi/kpis.schema.json`` holds the object's shape; its ``$defs.kpis`` block (the
    keys of ``total`` and of every network) is filled in here from :mod:`smmkit.catalogue`,
    each key with its unit and formula as the description.
    """
    text = resources.files("smmkit.kpi").joinpath("kpis.schema.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    schema["$defs"]["kpis"] = {
        "type": "object",
        "required": list(KPI_KEYS),
        "properties": {
            k.key: {"$ref": "#/$defs/number", "description": f"{k.name()} ({k.unit}): {k.formula()}"}
            for k in CATALOGUE
        },
        "additionalProperties": False,
    }
    return schema


def plain_value(key: str, value: float, currency: str) -> str:
    """A KPI value as plain text in its catalogue unit (``1,234``, ``2.31 %``, ``12.50 EUR``; ``-`` unknown)."""
    if value is None or not math.isfinite(value):
        return "-"
    unit = kpi(key).unit
    if unit == "percent":
        return f"{value:,.2f} %"
    if unit == "hours":
        return f"{value:,.1f} h"
    if unit == "seconds":
        return f"{value:,.1f} s"
    if unit == "currency":
        return f"{value:,.2f} {currency}"
    if unit == "ratio":
        return f"{value:,.4f}" if abs(value) < 0.01 else f"{value:,.2f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


#: The arrow of each direction of a change (:func:`change_direction`): what the cards and the index show.
ARROWS: dict[str, str] = {"up": "▲", "down": "▼", "flat": "="}


def change_direction(change: Any) -> str:
    """The direction of a change against the previous period: ``"up"``, ``"down"``, ``"flat"`` or ``""``.

    The one sign and arrow rule of every change the kit prints (report cards and tables, the
    index, the findings' sentences, ``smmkit kpis --format table``).

    Parameters
    ----------
    change
        ``(current / previous - 1) x 100``, in percent.

    Returns
    -------
    str
        ``"flat"`` when it rounds to 0.0 % (one decimal, as the pages print it), else ``"up"``
        (above 0) or ``"down"``; ``""`` when it is unknown (None, NA, NaN, ±inf). Its arrow is
        ``ARROWS[direction]``.
    """
    value = number(change)
    if value is None:
        return ""
    if round(value, 1) == 0:
        return "flat"
    return "up" if value > 0 else "down"


def signed(text: str, value: Any) -> str:
    """``text``, a formatted ``value``, with ``+`` in front when ``value`` is above 0.

    A negative value's text carries its own ``-``; 0 gets no sign: ``signed("12.3%", 12.3)``
    -> ``"+12.3%"``, ``signed("0.0%", 0.0)`` -> ``"0.0%"``.
    """
    return f"+{text}" if float(value) > 0 else text


def plain_change(change: Any) -> str:
    """A change in percent as plain text: ``+12.3 %``, ``-4.0 %``, ``0.0 %``; ``-`` when unknown."""
    value = number(change)
    return "-" if value is None else signed(f"{value:,.1f} %", value)
