"""Google Analytics 4 report CSVs (``#`` preamble, several tables per file)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from smmkit.errors import FormatError
from smmkit.io.cells import parse_days
from smmkit.io.formats.base import Col, Format, LoadContext, build, recognised, register
from smmkit.io.readers import RawFile, RawTable, norm
from smmkit.io.sources import social_network

C = Col.of

SOURCE_MEDIUM = ("Session source / medium", "Session source/medium")  # the latter: Reports snapshot
SOURCE = ("Session source",)
CHANNEL = ("Session primary channel group (Default Channel Group)", "Session default channel group")
DIMENSIONS = SOURCE_MEDIUM + SOURCE + CHANNEL

GA4_SPEC = {
    "users": C("int", "Users", "Total users", "Active users"),
    "new_users": C("int", "New users"),
    "sessions": C("int", "Sessions"),
    "engaged_sessions": C("int", "Engaged sessions"),
    "avg_engagement_s": C("float", "Average engagement time per session"),
    "views": C("int", "Views"),
    "conversions": C("float", "Key events", "Conversions"),
    "revenue": C("float", "Total revenue"),
}
_PREAMBLE_DATE = re.compile(r"#\s*(start|end) date\s*:\s*(\d{8})", re.IGNORECASE)
_PREAMBLE_RANGE = re.compile(r"#\s*(\d{8})\s*-\s*(\d{8})\s*$")  # GA4 Explorations: # 20260101-20260131


def _web_tables(raw: RawFile) -> list[RawTable]:
    return [t for t in raw.tables if t.has("Sessions") and t.index(*DIMENSIONS) is not None]


def _detect(raw: RawFile) -> bool:
    return bool(_web_tables(raw))


def _granularity(t: RawTable) -> tuple[int, int]:
    """Finer tables first: dated over undated, source/medium over source over channel group."""
    dim = 0 if t.index(*SOURCE_MEDIUM) is not None else 1 if t.index(*SOURCE) is not None else 2
    return (0 if t.has("Date") else 1, dim)


def _range(raw: RawFile, table: RawTable) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    found: dict[str, str] = {}
    # A table's own preamble first, then the file's (the first table's).
    for t in (table, raw.tables[0]):
        for line in t.preamble:
            m = _PREAMBLE_DATE.match(line)
            if m:
                found.setdefault(m.group(1).casefold(), m.group(2))
            m = _PREAMBLE_RANGE.match(line)
            if m:
                found.setdefault("start", m.group(1))
                found.setdefault("end", m.group(2))
    if "start" in found and "end" in found:
        days = parse_days([found["start"], found["end"]])
        return days.iloc[0], days.iloc[1]
    return None, None


def _load_table(raw: RawFile, table: RawTable, ctx: LoadContext) -> pd.DataFrame:
    table = table.without_total_rows()
    ctx.reading(table, "Date", *DIMENSIONS)
    frame = build(table, ctx, GA4_SPEC, label="GA4 report")
    if table.has("Date"):
        day = parse_days(table.column("Date"), table=table, column=table.header_name("Date"))
        frame["date_start"] = day
        frame["date_end"] = day
    else:
        start, end = _range(raw, table)
        if start is None:
            raise FormatError(
                "GA4 table without a Date column and without '# Start date:'/'# End date:' lines: "
                "cannot tell which days its totals belong to",
                path=table.path,
                line=table.header_line,
            )
        frame["date_start"] = start
        frame["date_end"] = end
    if table.index(*SOURCE_MEDIUM) is not None:
        sm = pd.Series(table.column(*SOURCE_MEDIUM), dtype="string")
        # astype: an empty table splits into no columns, which reindex fills with floats.
        parts = sm.str.split(" / ", n=1, expand=True).reindex(columns=[0, 1]).astype("string")
        frame["source"] = parts[0].str.strip().to_numpy()
        frame["medium"] = parts[1].str.strip().to_numpy()
    elif table.index(*SOURCE) is not None:
        frame["source"] = pd.array([c.strip() for c in table.column(*SOURCE)], dtype="string")
    channel = table.column(*CHANNEL)
    if channel is not None:
        frame["channel_group"] = pd.array([c.strip() for c in channel], dtype="string")
    src = frame["source"] if "source" in frame else pd.Series([None] * len(frame))
    chan = frame["channel_group"] if "channel_group" in frame else pd.Series([None] * len(frame))
    networks: dict[tuple, str | None] = {}  # a few source x channel pairs over thousands of rows
    column = []
    for pair in zip(_cells_or_none(src), _cells_or_none(chan), strict=True):
        if pair not in networks:
            networks[pair] = social_network(*pair)
        column.append(networks[pair])
    frame["network"] = column
    if "avg_engagement_s" in frame:
        sessions = frame["sessions"].astype("float64") if "sessions" in frame else np.nan
        frame["engagement_time_s"] = frame.pop("avg_engagement_s") * sessions
    return frame


def _cells_or_none(values: pd.Series) -> list:
    """The values as Python objects, None where missing."""
    return [None if missing else v for v, missing in zip(values.astype(object), values.isna(), strict=True)]


def _load_ga4(raw: RawFile, ctx: LoadContext):
    tables = sorted(_web_tables(raw), key=_granularity)
    best = _granularity(tables[0])
    # Tables of the finest kind only: a file's coarser tables summarise the same sessions.
    chosen = [t for t in tables if _granularity(t) == best]
    return {"web": pd.concat([_load_table(raw, t, ctx) for t in chosen], ignore_index=True)}


register(
    Format(
        "ga4",
        "Google Analytics 4 report CSV",
        _detect,
        _load_ga4,
        ("Session source / medium", "Sessions", "Users", "Engaged sessions", "Key events"),
    )
)

#: Metric names of GA4 reports (standard reports and Explorations) that carry no session source.
GA4_METRICS = frozenset(
    n.casefold()
    for n in (
        "Active users", "Total users", "New users", "Sessions", "Engaged sessions", "Event count",
        "Key events", "Conversions", "Views", "Views per active user", "Total revenue",
        "Average engagement time", "Average engagement time per active user", "Engagement rate",
        "Bounce rate", "Event count per active user", "Sessions per active user", "Items viewed",
        "Purchase revenue", "Returning users", "User engagement", "Ecommerce purchases",
    )
)  # fmt: skip


def _ga4_like(raw: RawFile) -> bool:
    """A GA4 download without a session source dimension: a GA4 ``#`` preamble (``# Start date:``,
    ``# 20260101-20260131``), or a header of GA4 metric names."""
    for t in raw.tables:
        if any(_PREAMBLE_DATE.match(p) or _PREAMBLE_RANGE.match(p) for p in t.preamble):
            return True
        if sum(k in GA4_METRICS for k in t.keys) >= 2:
            return True
    return False


recognised(
    "ga4_other",
    "Google Analytics 4 report without a session source (User acquisition, Pages and screens, Events, ...)",
    _ga4_like,
    "not session-scoped by source, so it cannot tell social sessions apart; for the web KPIs export "
    "Reports > Acquisition > Traffic acquisition (Session source / medium), or an Exploration with "
    "the Session source / medium dimension",
    ("Active users", "Event count", "Key events"),
)

# ----------------------------------------------------------------------------- Google Ads


def _google_ads(raw: RawFile) -> bool:
    for t in raw.tables:
        if norm(t.header[0] if t.header else "") in ("campaign report", "ad group report", "ad report"):
            return True
        if t.find_header("Impr.", "Cost") is not None or t.find_header("Impr.", "Currency code") is not None:
            return True
    return False


recognised(
    "google_ads",
    "Google Ads report",
    _google_ads,
    "Google Ads reports hold search and display spend, not social: the kit does not count them as "
    "ad spend of a social network. For YouTube ad spend, export the Video campaigns and save them as "
    "the kit's canonical ads CSV (date,network,campaign,spend,impressions,reach,clicks,leads) with "
    "network youtube",
    ("Campaign", "Impr.", "Cost", "Currency code"),
)

__all__ = ["GA4_SPEC", "GA4_METRICS"]
