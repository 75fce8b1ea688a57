"""TikTok Studio exports: follower history and content (year-less days: :func:`tiktok_days`),
and the overview, viewers and follower breakdowns, recognised but not used. TikTok Ads Manager
is in :mod:`smmkit.io.formats.ads`."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from smmkit.errors import InputError
from smmkit.io.formats.base import (
    Col,
    Format,
    LoadContext,
    build,
    detector,
    one_table,
    recognised,
    register,
    table_with,
    with_network,
)
from smmkit.io.languages import month_number
from smmkit.io.readers import RawFile, RawTable

C = Col.of

TT_FOLLOWERS = ("Date", "Followers", "Difference in followers from previous day")
TT_OVERVIEW = ("Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares")
_MONTH_DAY = re.compile(
    r"^\s*(?:([^\W\d_]+)\.?\s+(\d{1,2})|(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?)\s*$"
)  # August 31 | 31 Aug | 8 de marzo (Spanish, Portuguese UI) | 31 августа


def tiktok_days(table: RawTable, column: str, anchor: dt.date) -> list[str]:
    """Give TikTok's year-less days (``August 31``) their year.

    The latest row is taken to be on or before ``anchor`` (the latest day of
    the client's other exports, or today); walking back through the rows in
    time, the year drops by one each time the month goes up (New Year).
    Rows may run oldest-first or newest-first. Cells that already carry a
    year are kept as they are.
    """
    i = table.index(column)
    cells = [r[i] if i < len(r) else "" for r in table.rows]
    md = [_month_day(table, n, i) for n in range(len(cells))]
    idx = [n for n, v in enumerate(md) if v is not None]
    if not idx:
        return cells
    seq = [md[n] for n in idx]

    # Decide the order: newest-first if most steps go backwards in (month, day). A step from
    # December to January is forward (New Year), from January to December backward.
    def new_year(a: tuple[int, int], b: tuple[int, int]) -> bool:
        return a[0] == 12 and b[0] == 1

    steps = list(zip(seq, seq[1:], strict=False))
    back = sum(1 for a, b in steps if (b < a and not new_year(a, b)) or new_year(b, a))
    forward = sum(1 for a, b in steps if (b > a and not new_year(b, a)) or new_year(a, b))
    order = idx if forward >= back else idx[::-1]  # oldest -> newest
    newest = md[order[-1]]
    year = anchor.year if newest <= (anchor.month, anchor.day) else anchor.year - 1
    out = list(cells)
    prev: tuple[int, int] | None = None
    for n in reversed(order):
        cur = md[n]
        if prev is not None and cur > prev:
            year -= 1  # going back in time across a New Year
        try:
            out[n] = dt.date(year, cur[0], cur[1]).isoformat()
        except ValueError:
            raise InputError(
                f"not a calendar day: {cells[n].strip()!r} in {year}",
                path=table.path,
                line=table.lines[n],
                column=table.header[i].strip(),
            ) from None
        prev = cur
    return out


def _with_days(table: RawTable, ctx: LoadContext, column: str = "Date") -> RawTable:
    return _with_column(
        table, table.index(column), tiktok_days(table, column, ctx.anchor_day or dt.date.today())
    )


def _with_column(table: RawTable, i: int, values: list[str]) -> RawTable:
    """``table`` with column ``i``'s cells replaced by ``values`` (the days given their year)."""
    rows = [list(r) for r in table.rows]
    for r, d in zip(rows, values, strict=True):
        while len(r) <= i:
            r.append("")
        r[i] = d
    return RawTable(
        table.path, table.header, rows, table.lines, table.header_line, table.sheet, table.preamble,
        table.delimiter, table.encoding,
    )  # fmt: skip


TT_FOLLOWERS_SPEC = {"date": C("day", "Date", required=True), "followers": C("int", "Followers")}


def _load_tt_followers(raw: RawFile, ctx: LoadContext):
    t = _with_days(table_with(raw, *TT_FOLLOWERS).without_total_rows(), ctx)
    return one_table("audience", t, ctx, TT_FOLLOWERS_SPEC, label="TikTok follower history", network="tiktok")


register(
    Format(
        "tiktok_followers",
        "TikTok Studio follower history (FollowerHistory.csv)",
        detector(*TT_FOLLOWERS),
        _load_tt_followers,
        TT_FOLLOWERS,
        "tiktok",
        yearless=True,
    )
)
#: The header names of Content.csv this module reads, in one place (translations of TikTok
#: Studio's interface languages plug in where these names are matched).
TT_TIME, TT_POST_TIME, TT_LINK, TT_TITLE = "Time", "Post time", "Video link", "Video title"
TT_CONTENT = (TT_LINK, TT_POST_TIME, "Total views")
TT_CONTENT_SPEC = {
    "post_id": C("id", TT_LINK, required=True),
    "url": C("str", TT_LINK),
    "text": C("str", TT_TITLE),
    "published_at": C("ts", TT_POST_TIME, required=True),
    "likes": C("int", "Total likes"),
    "comments": C("int", "Total comments"),
    "shares": C("int", "Total shares"),
    "video_views": C("int", "Total views"),
}
_TT_VIDEO_ID = re.compile(r"/video/(\d+)|(\d{6,})(?:[/?#].*)?$")


def _month_day(table: RawTable, n: int, i: int) -> tuple[int, int] | None:
    """The (month, day) of row ``n``'s cell in column ``i`` (``August 31``, ``18 января``), None
    when the cell is not a year-less day; an unknown month name is an error at the cell."""
    cell = table.rows[n][i] if i < len(table.rows[n]) else ""
    m = _MONTH_DAY.match(cell)
    if not m:
        return None
    name, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    month = month_number(name)  # CLDR's month names of every interface language
    if month is None:
        raise InputError(
            f"expected a day like 'August 31', got {cell.strip()!r}",
            path=table.path,
            line=table.lines[n],
            column=table.header[i].strip(),
        )
    return month, int(day)


def _on_or_before(month: int, day: int, limit: dt.date) -> dt.date | None:
    """The latest ``month``/``day`` on or before ``limit`` and within the 365 days before it."""
    for year in (limit.year, limit.year - 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue  # 29 February of a common year
        if limit - dt.timedelta(days=365) <= d <= limit:
            return d
    return None


def _download_day(month: int, day: int, anchor: dt.date, today: dt.date) -> dt.date:
    """The year of the download day (``Time``): the ``month``/``day`` nearest to ``anchor`` (the
    other exports' last day, or today), never after today (a file cannot be exported later)."""
    days = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue
        if d <= today:
            days.append(d)
    return min(days, key=lambda d: abs(d - anchor)) if days else anchor


def _time_cell(table: RawTable, n: int, i: int | None, anchor: dt.date, today: dt.date) -> dt.date:
    """Row ``n``'s download day: its ``Time`` cell (year-less, or an ISO day), else ``anchor``."""
    if i is None:
        return anchor
    when = _month_day(table, n, i)
    if when is not None:
        return _download_day(*when, anchor, today)
    cell = (table.rows[n][i] if i < len(table.rows[n]) else "").strip()
    try:
        return dt.date.fromisoformat(cell[:10])
    except ValueError:
        return anchor


def content_days(table: RawTable, anchor: dt.date, *, today: dt.date | None = None) -> list[str]:
    """Give TikTok Studio ``Content.csv``'s year-less ``Post time`` its year (data-contract.md).

    Rows are sorted by views, so their order says nothing: each post's day is the latest date
    with its month and day on or before the row's download day (``Time``) and within the 365
    days before it. ``Time`` carries no year either: it takes the year that puts it nearest to
    ``anchor`` (the other exports' last day, or today), never after ``today``; without a
    ``Time`` cell the download day is ``anchor``. Cells that already carry a year are kept.
    """
    today = today or dt.date.today()
    post = table.index(TT_POST_TIME)
    time = table.index(TT_TIME)
    out = [r[post] if post < len(r) else "" for r in table.rows]
    for n in range(len(table.rows)):
        md = _month_day(table, n, post)
        if md is None:
            continue
        download = _time_cell(table, n, time, anchor, today)
        d = _on_or_before(*md, download)
        if d is None:
            raise InputError(
                f"not a calendar day in the year before the download day {download.isoformat()}: "
                f"{out[n].strip()!r}",
                path=table.path,
                line=table.lines[n],
                column=table.header[post].strip(),
            )
        out[n] = d.isoformat()
    return out


def _with_content_days(table: RawTable, ctx: LoadContext) -> RawTable:
    days = content_days(table, ctx.anchor_day or dt.date.today())
    return _with_column(table, table.index(TT_POST_TIME), days)


def _load_tt_content(raw: RawFile, ctx: LoadContext):
    t = _with_content_days(table_with(raw, *TT_CONTENT).without_total_rows(), ctx)
    frame = build(t, ctx, TT_CONTENT_SPEC, label="TikTok Studio content")
    ids = []
    for link, line in zip(frame["post_id"], t.lines, strict=True):
        m = _TT_VIDEO_ID.search(str(link))
        if m is None:
            raise InputError(
                f"expected a TikTok video link ending in the video's number, got {link!r}",
                path=t.path,
                line=line,
                column=t.header_name(TT_LINK),
            )
        ids.append(m.group(1) or m.group(2))
    frame["post_id"] = pd.array(ids, dtype="string")
    frame["post_type"] = "video"
    return {"posts": with_network(frame, "tiktok")}


register(
    Format(
        "tiktok_content",
        "TikTok Studio content (Content.csv)",
        detector(*TT_CONTENT),
        _load_tt_content,
        (TT_TIME, TT_TITLE, TT_LINK, TT_POST_TIME, "Total likes", "Total views"),
        "tiktok",
        yearless=True,
    )
)

_NOT_PER_POST = "account totals per day, not per-post sums: metrics.md counts each post's lifetime totals"
recognised(
    "tiktok_overview",
    "TikTok Studio overview (Overview.csv)",
    detector(*TT_OVERVIEW),
    f"video views, profile views, likes, comments and shares per day are {_NOT_PER_POST} "
    "(TikTok Studio Content.csv gives them per video)",
    TT_OVERVIEW,
    "tiktok",
)
recognised(
    "tiktok_viewers",
    "TikTok Studio viewers (Viewers.csv)",
    lambda raw: any(
        t.has("Date") and t.index("Total viewers", "New viewers", "Returning viewers") is not None
        for t in raw.tables
    ),  # fmt: skip
    "unique viewers of the account's videos per day: no KPI of metrics.md counts viewers",
    ("Date", "Total Viewers", "New Viewers", "Returning Viewers"),
    "tiktok",
)
recognised(
    "tiktok_follower_activity",
    "TikTok Studio follower activity (FollowerActivity.csv)",
    detector("Hour", "Active followers"),
    "followers online by hour of the day: a posting-time aid, not a KPI",
    ("Date", "Hour", "Active followers"),
    "tiktok",
)
recognised(
    "tiktok_follower_gender",
    "TikTok Studio follower gender (FollowerGender.csv)",
    detector("Gender", "Distribution"),
    "the followers' gender split: audience demography, not a KPI",
    ("Gender", "Distribution"),
    "tiktok",
)
recognised(
    "tiktok_follower_territories",
    "TikTok Studio follower territories (FollowerTopTerritories.csv)",
    lambda raw: any(
        t.has("Distribution") and t.index("Top territories", "Territories", "Country") is not None
        for t in raw.tables
    ),  # fmt: skip
    "the followers' countries: audience demography, not a KPI",
    ("Top territories", "Distribution"),
    "tiktok",
)


__all__ = ["content_days", "tiktok_days"]
