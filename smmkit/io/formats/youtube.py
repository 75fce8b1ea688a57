"""YouTube Studio exports: content (Table data.csv, per video), and the per-day series
(Chart data.csv, Totals.csv), recognised but not used."""

from __future__ import annotations

import functools
import re

import pandas as pd

from smmkit.io.cells import parse_ints
from smmkit.io.formats.base import (
    Col,
    Format,
    LoadContext,
    build,
    detector,
    recognised,
    register,
    table_with,
    with_network,
)
from smmkit.io.readers import RawFile, RawTable, norm

C = Col.of

#: The header names this module reads, in one place per file kind (translations of YouTube
#: Studio's interface languages plug in where these names are matched).
YT_CONTENT = "Content"
YT_TITLE = "Video title"
YT_PUBLISHED = "Video publish time"
YT_VIEWS = "Views"
YT_DATE = "Date"
YT = (YT_CONTENT, YT_TITLE, YT_PUBLISHED, YT_VIEWS)
YT_SPEC = {
    "post_id": C("id", YT_CONTENT, required=True),
    "text": C("str", YT_TITLE),
    "published_at": C("ts", YT_PUBLISHED, required=True),
    "video_views": C("int", YT_VIEWS),
    "impressions": C("int", "Impressions"),
    # Over a period, YouTube's Likes is a net change (likes added minus likes removed): it may be
    # negative (data-contract.md, release 3).
    "likes": C("int", "Likes", net=True),
    "comments": C("int", "Comments added", "Comments"),
    "shares": C("int", "Shares"),
}


def _published(table: RawTable, ctx: LoadContext) -> RawTable:
    """Rows with a publish time only: YouTube Studio also lists videos that were never published
    (private or draft uploads) with an empty ``Video publish time``; they belong to no period.
    The skipped rows are counted, with their views, in a warning (nothing drops silently)."""
    i = table.index(YT_PUBLISHED)
    keep = [bool((r[i] if i < len(r) else "").strip()) for r in table.rows]
    if all(keep):
        return table
    skipped = table.drop_rows([not k for k in keep])
    n = len(skipped.rows)
    v = skipped.index(YT_VIEWS)
    cells = [r[v] if v is not None and v < len(r) else "" for r in skipped.rows]
    views = parse_ints(cells, table=skipped, column=table.header_name(YT_VIEWS) or YT_VIEWS)
    total = int(pd.array(views, dtype="Int64").sum(skipna=True))
    lines = ", ".join(str(x) for x in skipped.lines[:5]) + (" ..." if n > 5 else "")
    ctx.warnings.append(
        f"{n} row{'s' if n != 1 else ''} without a {YT_PUBLISHED!r} skipped (line{'s' if n != 1 else ''} "
        f"{lines}; {total:,} view{'s' if total != 1 else ''}): videos never published (private or "
        "draft uploads) belong to no report period"
    )
    return table.drop_rows(keep)


def _load_youtube(raw: RawFile, ctx: LoadContext):
    t = _published(table_with(raw, *YT).without_total_rows(), ctx)
    frame = build(t, ctx, YT_SPEC, label="YouTube Studio content")
    frame["post_id"] = frame["post_id"].str.strip()
    frame["url"] = "https://www.youtube.com/watch?v=" + frame["post_id"]
    frame["post_type"] = "video"
    return {"posts": with_network(frame, "youtube")}


register(
    Format(
        "youtube_content",
        "YouTube Studio content (Table data.csv)",
        detector(*YT, unless=(YT_DATE,)),
        _load_youtube,
        YT,
        "youtube",
    )
)


# By date: per-day series, recognised but not used.

#: Metric names YouTube Studio's Advanced mode puts beside a ``Date`` dimension (Totals.csv,
#: Table data.csv grouped by date): a file with a Date and only these is a per-day series.
YT_METRICS = frozenset(
    norm(n)
    for n in (
        "Views", "Watch time (hours)", "Subscribers", "Subscribers gained", "Subscribers lost",
        "Impressions", "Impressions click-through rate (%)", "Average view duration",
        "Average percentage viewed (%)", "Estimated revenue (USD)", "Your estimated revenue (USD)",
        "Likes", "Dislikes", "Comments added", "Shares", "Unique viewers", "New viewers",
        "Returning viewers", "Engaged views", "Stayed to watch (%)", "RPM (USD)", "CPM (USD)",
        "Playback-based CPM (USD)", "Videos added", "Videos published", "Average views per viewer",
    )
)  # fmt: skip


_CURRENCY = re.compile(r"\s*\([a-z]{3}\)$")  # "Estimated revenue (EUR)": any currency


def _metric(key: str) -> bool:
    return key in YT_METRICS or _CURRENCY.sub(" (usd)", key) in YT_METRICS


def _metrics_by_date(raw: RawFile, *, per_video: bool) -> bool:
    """A ``Date`` table of YouTube metrics (any of them: Views, watch time, subscribers,
    impressions, ...): per video (``Content`` beside it, any other columns too), or for the channel
    (no ``Content``, and only YouTube metrics beside the ``Date``)."""
    for t in raw.tables:
        if not t.has(YT_DATE) or t.has(YT_CONTENT) != per_video:
            continue
        other = [k for k in t.keys if k and k != norm(YT_DATE)]
        if per_video and any(_metric(k) for k in other):
            return True
        if not per_video and other and all(_metric(k) for k in other):
            return True
    return False


recognised(
    "youtube_chart_data",
    "YouTube Studio chart data (Chart data.csv)",
    functools.partial(_metrics_by_date, per_video=True),
    "a metric per video per day (views, watch time, subscribers...), not per video: metrics.md counts "
    "each video's lifetime totals once (YouTube Studio Table data.csv)",
    (YT_DATE, YT_CONTENT, YT_TITLE, YT_PUBLISHED, YT_VIEWS),
    "youtube",
)
recognised(
    "youtube_totals",
    "YouTube Studio totals by date (Totals.csv, or Table data.csv by Date)",
    functools.partial(_metrics_by_date, per_video=False),
    "a channel metric per day (views, watch time, subscribers...): metrics.md counts views per video "
    "(YouTube Studio Table data.csv by Content)",
    (YT_DATE, YT_VIEWS),
    "youtube",
)


__all__ = ["YT_METRICS"]
