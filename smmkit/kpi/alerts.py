"""The daily checklist (``smmkit alerts``, data-contract.md section 3): what to look at today.

For each client, the spikes (metrics.md, "Listening": robust z-score over the
trailing 28 days above 3.5, :mod:`smmkit.kpi.signals`) whose day is ``D`` or
the day before, negative-mention spikes first, then mention, engagement and
new-follower spikes (each group latest day first). ``D`` is ``--day`` or, by
default, each client's last day with data (posts, audience, mentions, inbox).

The command's text and exit code (0 = nothing to look at, 3 = at least one spike,
1 = some client's exports are unusable: an unreadable client is never reported
as quiet) are the CLI's: :mod:`smmkit.cli.text`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from smmkit.io.client import Client
from smmkit.io.loading import load_client
from smmkit.io.schema import local_day
from smmkit.kpi.context import context
from smmkit.kpi.coverage import Span
from smmkit.kpi.engine import kpis

__all__ = [
    "SIGNAL_ORDER",
    "AlertsResult",
    "ClientAlerts",
    "check_clients",
    "client_alerts",
    "not_covered",
    "last_day",
]

#: The order of the checklist: a crisis (negative mentions) first.
SIGNAL_ORDER = ("mentions_negative", "mentions", "engagements", "new_followers")


def _local_days(values: pd.Series, tz: str) -> pd.Series:
    return local_day(values, tz).dropna()  # the one local-day rule (io.schema)


def last_day(client: Client) -> dt.date | None:
    """The client's last day with any data (local days of posts, mentions, inbox; audience dates)."""
    tz = client.config.timezone
    days = [
        _local_days(client.posts["published_at"], tz),
        _local_days(client.mentions["published_at"], tz),
        _local_days(client.inbox["received_at"], tz),
        pd.to_datetime(client.audience["date"], errors="coerce").dropna(),
    ]
    found = [d.max() for d in days if len(d)]
    return max(found).date() if found else None


@dataclass
class ClientAlerts:
    """One client's checklist: the day looked at, its spikes (dicts) and any input errors."""

    client: str
    day: dt.date | None
    spikes: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: the days looked at (``day`` and the day before) that no export covers: no data, not a quiet day
    not_covered: list[dt.date] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "day": None if self.day is None else self.day.isoformat(),
            "spikes": self.spikes,
            "errors": self.errors,
            "not_covered": [d.isoformat() for d in self.not_covered],
        }


def not_covered(client: Client, days: Iterable[dt.date]) -> list[dt.date]:
    """Which of ``days`` no source of the client covers (:mod:`smmkit.kpi.coverage`): days without any
    data are unknown, not quiet."""
    ctx = context(client)
    spans = [span for sources in ctx.coverage.values() for span in sources.values()]
    mention_days = ctx.mentions["day"].dropna()
    if len(mention_days):  # a client with mentions and no network block
        spans.append(Span(mention_days.min().date(), mention_days.max().date()))
    return [d for d in days if not any(s.first <= d <= s.last for s in spans)]


def client_alerts(client: Client, *, day: dt.date | None = None) -> ClientAlerts:
    """The spikes of ``day`` (default: :func:`last_day`) and the day before, in checklist order."""
    day = day or last_day(client)
    if day is None:
        return ClientAlerts(client.config.slug, None)
    spikes = kpis(client, start=day - dt.timedelta(days=1), end=day).to_dict()["spikes"]
    rank = {s: i for i, s in enumerate(SIGNAL_ORDER)}
    spikes.sort(key=lambda s: s["date"], reverse=True)  # stable sorts: by signal, then the latest day first
    spikes.sort(key=lambda s: rank.get(s["signal"], len(rank)))
    missing = not_covered(client, [day - dt.timedelta(days=1), day])
    return ClientAlerts(client.config.slug, day, spikes, not_covered=missing)


@dataclass
class AlertsResult:
    """The checklist of several clients (``smmkit alerts`` prints it: :mod:`smmkit.cli.text`)."""

    clients: list[ClientAlerts]


def check_clients(client_dirs: Iterable[str | Path], *, day: dt.date | None = None) -> AlertsResult:
    """Load each client folder and build its checklist (an unusable export is listed, not raised)."""
    out = []
    for path in client_dirs:
        client = load_client(Path(path), strict=False)
        if client.errors:
            out.append(ClientAlerts(client.config.slug, day, errors=[str(e) for e in client.errors]))
            continue
        out.append(client_alerts(client, day=day))
    return AlertsResult(out)
