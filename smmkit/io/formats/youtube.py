"""YouTube Studio exports: content (Table data.csv, per video), and the per-day series
(Chart data.csv, Totals.csv), recognised but not used."""

from __future__ import annotations

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

YT = ("Content", "Video title", "Video publish time", "Views")
YT_SPEC = {
    "post_id": C("id", "Content", required=True),
    "text": C("str", "Video title"),
    "published_at": C("ts", "Video publish time", required=True),
    "video_views": C("int", "Views"),
    "impressions": C("int", "Impressions"),
    "likes": C("int", "Likes"),
    "comments": C("int", "Comments added", "Comments"),
    "shares": C("int", "Shares"),
}


def _published(table: RawTable, column: str) -> RawTable:
    """Rows with a publish time only: YouTube Studio also lists videos that were never published
    (private or draft uploads) with an empty ``Video publish time``; they belong to no period."""
    i = table.index(column)
    return table.drop_rows([bool((r[i] if i < len(r) else "").strip()) for r in table.rows])


def _load_youtube(raw: RawFile, ctx: LoadContext):
    t = _published(table_with(raw, *YT).without_total_rows(), "Video publish time")
    frame = build(t, ctx, YT_SPEC, label="YouTube Studio content")
    frame["post_id"] = frame["post_id"].str.strip()
    frame["url"] = "https://www.youtube.com/watch?v=" + frame["post_id"]
    frame["post_type"] = "video"
    return {"posts": with_network(frame, "youtube")}


register(
    Format(
        "youtube_content",
        "YouTube Studio content (Table data.csv)",
        detector(*YT, unless=("Date",)),
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


def _youtube_by_date(raw: RawFile) -> bool:
    for t in raw.tables:
        other = [k for k in t.keys if k and k != "date"]
        if t.has("Date") and other and all(k in YT_METRICS for k in other) and t.has("Views"):
            return True
    return False


recognised(
    "youtube_chart_data",
    "YouTube Studio chart data (Chart data.csv)",
    detector("Date", "Content", "Views"),
    "views per video per day, not per video: metrics.md counts each video's lifetime totals once "
    "(YouTube Studio Table data.csv)",
    ("Date", "Content", "Video title", "Video publish time", "Views"),
    "youtube",
)
recognised(
    "youtube_totals",
    "YouTube Studio totals by date (Totals.csv, or Table data.csv by Date)",
    _youtube_by_date,
    "channel views per day: metrics.md counts views per video (YouTube Studio Table data.csv by Content)",
    ("Date", "Views"),
    "youtube",
)


__all__ = ["YT_METRICS"]
