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
#: Month names of the languages TikTok Studio exports in (English first), in the grammatical case
#: its day labels use ("8 de marzo", "31 августа").
_MONTH_NAMES = (
    ("january", "jan", "enero", "ene", "janeiro", "января", "янв"),
    ("february", "feb", "febrero", "fevereiro", "fev", "февраля", "фев"),
    ("march", "mar", "marzo", "março", "марта", "мар"),
    ("april", "apr", "abril", "abr", "апреля", "апр"),
    ("may", "mayo", "maio", "mai", "мая"),
    ("june", "jun", "junio", "junho", "июня", "июн"),
    ("july", "jul", "julio", "julho", "июля", "июл"),
    ("august", "aug", "agosto", "ago", "августа", "авг"),
    ("september", "sep", "sept", "septiembre", "setiembre", "setembro", "set", "сентября", "сен"),
    ("october", "oct", "octubre", "outubro", "out", "октября", "окт"),
    ("november", "nov", "noviembre", "novembro", "ноября", "ноя"),
    ("december", "dec", "diciembre", "dic", "dezembro", "dez", "декабря", "дек"),
)
_MONTHS = {m: i for i, names in enumerate(_MONTH_NAMES, start=1) for m in names}


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
    md: list[tuple[int, int] | None] = []
    for n, cell in enumerate(cells):
        m = _MONTH_DAY.match(cell)
        if not m:
            md.append(None)
            continue
        name, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        month = _MONTHS.get(name.casefold()) or month_number(name)  # CLDR: every UI language
        if month is None:
            raise InputError(
                f"expected a day like 'August 31', got {cell.strip()!r}",
                path=table.path,
                line=table.lines[n],
                column=table.header[i].strip(),
            )
        md.append((month, int(day)))
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
    anchor = ctx.anchor_day or dt.date.today()
    days = tiktok_days(table, column, anchor)
    i = table.index(column)
    rows = [list(r) for r in table.rows]
    for r, d in zip(rows, days, strict=True):
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
TT_CONTENT = ("Video link", "Post time", "Total views")
TT_CONTENT_SPEC = {
    "post_id": C("id", "Video link", required=True),
    "url": C("str", "Video link"),
    "text": C("str", "Video title"),
    "published_at": C("ts", "Post time", required=True),
    "likes": C("int", "Total likes"),
    "comments": C("int", "Total comments"),
    "shares": C("int", "Total shares"),
    "video_views": C("int", "Total views"),
}
_TT_VIDEO_ID = re.compile(r"/video/(\d+)|(\d{6,})(?:[/?#].*)?$")


def _load_tt_content(raw: RawFile, ctx: LoadContext):
    t = _with_days(table_with(raw, *TT_CONTENT).without_total_rows(), ctx, "Post time")
    frame = build(t, ctx, TT_CONTENT_SPEC, label="TikTok Studio content")
    ids = []
    for link, line in zip(frame["post_id"], t.lines, strict=True):
        m = _TT_VIDEO_ID.search(str(link))
        if m is None:
            raise InputError(
                f"expected a TikTok video link ending in the video's number, got {link!r}",
                path=t.path,
                line=line,
                column=t.header_name("Video link"),
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
        ("Time", "Video title", "Video link", "Post time", "Total likes", "Total views"),
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


__all__ = ["tiktok_days"]
