"""Coverage: which days each source of each network covers (metrics.md, General rules, release 3).

Each source of a network (its ``posts``, ``audience``, ``ads``, ``inbox``; the client's ``web``
and ``mentions`` files, which speak for every network) covers the days from the first to the last
day its exports hold: the hull of its rows' days (an ad row's or a GA4 table's stated ``date_end``
included), widened to the date range of every export file those rows come from (as ``Client.files``
records it): a stale network is one whose own exports end early. A source of events (posts, inbox)
also covers the days of its network's audience export: a day without a post is a quiet day there. A period is then, for each source:

- ``"full"``: inside the coverage;
- ``"partial"``: overlapping it (its values stand, with a note naming the days covered);
- ``"none"``: wholly outside it (its KPIs are null, never 0, never carried forward).

A ``change`` whose previous period is less than fully covered by a source it reads is null.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "GLOBAL_SOURCES",
    "SOURCES",
    "STALE_DAYS",
    "Span",
    "coverage_lines",
    "coverage_of",
    "stale_sources",
    "describe",
    "last_complete_month",
    "pooled_status",
    "reads_status",
    "spans_json",
    "status",
]

#: The sources of metrics.md's coverage rule, in the order the JSON lists them.
SOURCES: tuple[str, ...] = ("posts", "audience", "ads", "inbox", "web", "mentions")
#: The sources whose one file speaks for every network (web analytics, listening).
GLOBAL_SOURCES: tuple[str, ...] = ("web", "mentions")


@dataclass(frozen=True)
class Span:
    """The first and last day a source's exports cover (both included)."""

    first: dt.date
    last: dt.date

    def to_dict(self) -> dict[str, str]:
        """``{"first": "YYYY-MM-DD", "last": "YYYY-MM-DD"}``."""
        return {"first": self.first.isoformat(), "last": self.last.isoformat()}


def status(span: Span | None, start: dt.date, end: dt.date) -> str:
    """How ``span`` covers ``[start, end]``: ``"full"``, ``"partial"`` or ``"none"``; ``""`` without a span
    (the network has no such source: its KPIs are unknown by the knownness rules, not by coverage)."""
    if span is None:
        return ""
    if span.last < start or span.first > end:
        return "none"
    return "full" if span.first <= start and span.last >= end else "partial"


def pooled_status(states: Iterable[str]) -> str:
    """One status for several: ``"full"`` when every one is full, ``"none"`` when every one is none,
    else ``"partial"``; ``""`` (no status) are left out, and ``""`` when nothing is left.

    The status of a value read from several sources (or of a total over networks): a value of a
    period that a source it reads covers only partly (or not at all, beside others that cover it)
    stands on part of the days.
    """
    known = {s for s in states if s}
    if not known:
        return ""
    if len(known) == 1:
        return known.pop()
    return "partial"


def reads_status(spans: Mapping[str, Span], reads: Iterable[str], start: dt.date, end: dt.date) -> str:
    """How the sources ``reads`` of one network (its ``spans``) cover ``[start, end]``, pooled
    (:func:`pooled_status`); ``""`` when the network has none of them."""
    return pooled_status(status(spans[s], start, end) for s in reads if s in spans)


def describe(source: str, span: Span, start: dt.date, end: dt.date) -> str | None:
    """A plain-English note on how ``span`` covers ``[start, end]`` (None when fully)."""
    state = status(span, start, end)
    if state == "full":
        return None
    period = f"{start.isoformat()}..{end.isoformat()}"
    if state == "none":
        edge = f"end {span.last.isoformat()}" if span.last < start else f"start {span.first.isoformat()}"
        return f"{source}: exports {edge}, outside {period}: its KPIs are null"
    first, last = max(span.first, start), min(span.last, end)
    days = (last - first).days + 1
    total = (end - start).days + 1
    return f"{source}: exports cover {first.isoformat()}..{last.isoformat()} ({days} of the {total} days of {period})"


def _day(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _file_ranges(files: Iterable) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """Each export's path -> its first and last day (``Client.files``): the days the export was taken
    over, for every network in it (an ad account's report holds a campaign that stopped delivering:
    its network's later days are 0 spend, not unknown)."""
    out = {}
    for info in files:
        if getattr(info, "first_day", None) is not None and getattr(info, "last_day", None) is not None:
            out[str(info.path)] = (pd.Timestamp(info.first_day), pd.Timestamp(info.last_day))
    return out


def _hull(frame: pd.DataFrame, first: str, last: str, ranges: Mapping[str, tuple]) -> Span | None:
    """The span of ``frame``'s rows' days, widened to the range of each file they come from."""
    lo = pd.Series(frame[first]).dropna()
    if lo.empty:
        return None
    ends = pd.Series(frame[last]).dropna()  # a row without its last day covers its first
    hi = pd.Timestamp(lo.max())
    if len(ends):
        hi = max(hi, pd.Timestamp(ends.max()))
    days = [pd.Timestamp(lo.min()), hi]
    if "_file" in frame.columns and ranges:
        for name in pd.Series(frame["_file"]).dropna().unique():  # the files, not a text per row
            days.extend(ranges.get(str(name), ()))
    first_day, last_day = _day(min(days)), _day(max(days))
    return Span(first_day, last_day) if first_day and last_day else None


def coverage_of(
    tables: Mapping[str, tuple[pd.DataFrame, str, str]],
    *,
    networks: Iterable[str],
    files: Iterable = (),
) -> dict[str, dict[str, Span]]:
    """Each network's sources and the days they cover.

    Parameters
    ----------
    tables
        Source -> (its rows, the column of a row's first day, of its last day), days as naive
        local days; a per-network source's rows carry ``network``.
    networks
        The networks that get a block.
    files
        ``Client.files``: each export's first and last day widen the span of its rows.

    Returns
    -------
    dict
        Network -> source -> :class:`Span`, sources in :data:`SOURCES` order; a source the network
        has no rows of is absent. The global sources (:data:`GLOBAL_SOURCES`) cover every network.
    """
    ranges = _file_ranges(files)
    nets = list(networks)
    out: dict[str, dict[str, Span]] = {n: {} for n in nets}
    for source in SOURCES:
        if source not in tables:
            continue
        frame, first, last = tables[source]
        if source in GLOBAL_SOURCES:
            span = _hull(frame, first, last, ranges)
            for net in nets if span is not None else ():
                out[net][source] = span
            continue
        net_col = frame["network"].astype(object).to_numpy()
        for net in nets:
            rows = frame.loc[net_col == net]
            span = _hull(rows, first, last, ranges) if len(rows) else None
            if span is not None:
                out[net][source] = span
    return {net: _events_over_days(sources) for net, sources in out.items()}


#: Sources whose rows are events (a post, a question), not days: a day without one is a quiet day.
EVENT_SOURCES: tuple[str, ...] = ("posts", "inbox")


def _events_over_days(sources: dict[str, Span]) -> dict[str, Span]:
    """A network's event sources also cover the days its audience export holds: a posts export
    lists posts, not days, so a week without posts inside the days the network was exported is a
    quiet week (0 posts), not an unknown one; a network whose exports all end early stays stale."""
    daily = sources.get("audience")
    if daily is None:
        return sources
    return {
        source: Span(min(span.first, daily.first), max(span.last, daily.last))
        if source in EVENT_SOURCES
        else span
        for source, span in sources.items()
    }


def spans_json(spans: Mapping[str, Span], start: dt.date, end: dt.date, previous: Any) -> dict[str, Any]:
    """The JSON of one network's coverage: sources (first, last, status now and in ``previous``),
    first and last day over its sources, and the notes on what the period and the previous one miss."""
    notes = [n for s, span in spans.items() if (n := describe(s, span, start, end))]
    notes += [
        f"previous period: {n}; the changes that read it are null"
        for s, span in spans.items()
        if (n := describe(s, span, previous.start, previous.end))
    ]
    return {
        "sources": {
            s: {
                **span.to_dict(),
                "status": status(span, start, end),
                "previous_status": status(span, previous.start, previous.end),
            }
            for s, span in spans.items()
        },
        "first": min(sp.first for sp in spans.values()).isoformat() if spans else None,
        "last": max(sp.last for sp in spans.values()).isoformat() if spans else None,
        "notes": notes,
    }


#: A source whose exports end more than this many days before the latest source's is stale
#: (``smmkit validate`` warns): a 28-day "month" would find it wholly or half missing.
STALE_DAYS = 28


def coverage_lines(spans: Mapping[str, Mapping[str, Span]]) -> list[str]:
    """One line per network for ``smmkit validate``: each source's first and last day."""
    lines = []
    for net, sources in spans.items():
        parts = [f"{s} {sp.first.isoformat()}..{sp.last.isoformat()}" for s, sp in sources.items()]
        lines.append(f"{net}: {', '.join(parts) if parts else 'no dated rows'}")
    return lines


def stale_sources(spans: Mapping[str, Mapping[str, Span]], *, days: int = STALE_DAYS) -> list[str]:
    """A warning for each source whose exports end more than ``days`` days before the latest source's.

    The client-wide sources (web, mentions) are named once, not once per network.
    """
    every = [(net, s, sp) for net, sources in spans.items() for s, sp in sources.items()]
    if not every:
        return []
    latest_net, latest_source, latest = max(every, key=lambda x: x[2].last)
    out, seen = [], set()
    for net, source, span in every:
        gap = (latest.last - span.last).days
        name = source if source in GLOBAL_SOURCES else f"{net} {source}"
        if gap > days and name not in seen:
            seen.add(name)
            latest_name = (
                latest_source if latest_source in GLOBAL_SOURCES else f"{latest_net} {latest_source}"
            )
            out.append(
                f"{name}: exports end {span.last.isoformat()}, {gap} days before the latest source "
                f"({latest_name}, {latest.last.isoformat()}): the KPIs it gives after that day are null "
                f"(export it again up to date)"
            )
    return out


def last_complete_month(spans: Mapping[str, Mapping[str, Span]]) -> str | None:
    """The last calendar month the client's exports hold to its end (``"YYYY-MM"``), None without data.

    The month of the latest source's last day when that day ends its month, else the month before:
    what ``make reports`` renders for a client without ``MONTH`` or ``END``.
    """
    lasts = [sp.last for sources in spans.values() for sp in sources.values()]
    if not lasts:
        return None
    last = max(lasts)
    if (last + dt.timedelta(days=1)).day != 1:
        last = last.replace(day=1) - dt.timedelta(days=1)
    return f"{last.year:04d}-{last.month:02d}"
