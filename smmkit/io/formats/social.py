"""Native exports of the social networks (data-contract.md section 2).

Post level: X legacy tweet activity, X account analytics content (2024+),
Facebook Page Insights post level (legacy), Meta Business Suite content
(Facebook and Instagram), LinkedIn page content, YouTube Studio content.
Account level: Facebook Page Insights page level (legacy), X account
overview (2024+), LinkedIn followers and visitors, TikTok Studio follower
history and overview.
"""

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
    description_row,
    drop_description_row,
    recognised,
    register,
    with_network,
)
from smmkit.io.readers import RawFile, RawTable, norm, shown

C = Col.of


def _table_with(raw: RawFile, *names: str) -> RawTable | None:
    """The first table (sheet or CSV block) whose header has all ``names``."""
    for t in raw.tables:
        if t.has(*names):
            return t
    return None


def _detector(*names: str, unless: tuple[str, ...] = ()):
    def detect(raw: RawFile) -> bool:
        t = _table_with(raw, *names)
        return t is not None and not any(t.has(u) for u in unless)

    return detect


def _posts(table: RawTable, ctx: LoadContext, spec, label: str, network: str) -> dict[str, pd.DataFrame]:
    table = table.without_total_rows()
    return {"posts": with_network(build(table, ctx, spec, label=label), network)}


def _audience(table: RawTable, ctx: LoadContext, spec, label: str, network: str) -> dict[str, pd.DataFrame]:
    table = table.without_total_rows()
    return {"audience": with_network(build(table, ctx, spec, label=label), network)}


# ----------------------------------------------------------------------------- X

X_LEGACY = ("Tweet id", "Tweet permalink", "time", "impressions")
X_LEGACY_SPEC = {
    "post_id": C("id", "Tweet id", required=True),
    "url": C("str", "Tweet permalink"),
    "text": C("str", "Tweet text"),
    "published_at": C("ts", "time", required=True),
    "impressions": C("int", "impressions"),
    "likes": C("int", "likes", "favorites"),
    "shares": C("int", "retweets"),
    "comments": C("int", "replies"),
    "clicks": C("int", "url clicks"),
}


def _load_x_legacy(raw: RawFile, ctx: LoadContext):
    t = _table_with(raw, *X_LEGACY)
    return _posts(t, ctx, X_LEGACY_SPEC, "X legacy tweet activity", "x")


register(
    Format("x_tweet_activity", "X legacy tweet activity", _detector(*X_LEGACY), _load_x_legacy, X_LEGACY, "x")
)

X_CONTENT = ("Post id", "Date", "Impressions", "Reposts")
X_CONTENT_SPEC = {
    "post_id": C("id", "Post id", required=True),
    "published_at": C("ts", "Date", required=True),  # the day only: local midnight
    "text": C("str", "Post text"),
    "url": C("str", "Post Link", "Link"),  # "Link": exports of late 2024 / early 2025
    "impressions": C("int", "Impressions"),
    "likes": C("int", "Likes"),
    "saves": C("int", "Bookmarks"),
    "shares": C("int", "Reposts"),
    "shares_via": C("int", "Shares", "Share"),  # X's share-via count: not a repost, kept apart
    "comments": C("int", "Replies"),
    "clicks": C("int", "URL Clicks"),
}


def _load_x_content(raw: RawFile, ctx: LoadContext):
    t = _table_with(raw, *X_CONTENT)
    return _posts(t, ctx, X_CONTENT_SPEC, "X account analytics content", "x")


register(
    Format(
        "x_content",
        "X account analytics content (2024+)",
        _detector(*X_CONTENT),
        _load_x_content,
        X_CONTENT,
        "x",
    )
)

X_OVERVIEW = ("Date", "Impressions", "New follows", "Unfollows")
X_OVERVIEW_SPEC = {
    "date": C("day", "Date", required=True),
    "new_followers": C("int", "New follows"),
    "lost_followers": C("int", "Unfollows"),
    "page_views": C("int", "Profile visits"),
}


def _load_x_overview(raw: RawFile, ctx: LoadContext):
    t = _table_with(raw, *X_OVERVIEW)
    return _audience(t, ctx, X_OVERVIEW_SPEC, "X account overview", "x")


register(
    Format(
        "x_overview",
        "X account overview (2024+)",
        _detector(*X_OVERVIEW, unless=("Post id",)),
        _load_x_overview,
        X_OVERVIEW,
        "x",
    )
)

# ----------------------------------------------------------------------------- Facebook legacy

FB_POSTS = ("Post ID", "Permalink", "Posted", "Lifetime Post Total Reach")


FB_POSTS_SPEC = {
    "post_id": C("id", "Post ID", required=True),
    "url": C("str", "Permalink"),
    "text": C("str", "Post Message"),
    "post_type": C("str", "Type"),
    "published_at": C("ts", "Posted", required=True),
    "reach": C("int", "Lifetime Post Total Reach"),
    "reach_organic": C("int", "Lifetime Post organic reach"),
    "reach_paid": C("int", "Lifetime Post Paid Reach"),
    "reach_viral": C("int", "Lifetime Post Viral Reach"),
    "impressions": C("int", "Lifetime Post Total Impressions"),
    "engaged_users": C("int", "Lifetime Engaged Users"),
    "likes": C("int", "Lifetime Post Stories by action type - like"),
    "comments": C("int", "Lifetime Post Stories by action type - comment"),
    "shares": C("int", "Lifetime Post Stories by action type - share"),
    "clicks": C("int", "Lifetime Post Consumptions by type - link clicks"),
    "video_views": C("int", "Lifetime Post Total Video Views"),
}


_UNIQUE_HEADERS = ("reach", "engaged users", "consumers", "talking about this")


def _facebook_table(table: RawTable, id_header: str) -> RawTable:
    """A legacy Facebook table without its description row (row 2, first cells empty), and with
    repeated header names told apart by that row: of two columns named alike, the one whose
    description says "Unique Users" keeps the name for people counts (reach, engaged users,
    consumers, talking about this) and the other ("Total Count") keeps it for everything else;
    the rest get a ``[unique]``/``[total]`` suffix."""
    desc = description_row(table, id_header=id_header) or []
    data = drop_description_row(table, id_header=id_header).without_total_rows()
    header = list(table.header)
    groups: dict[str, list[int]] = {}
    for i, k in enumerate(table.keys):
        groups.setdefault(k, []).append(i)
    for idx in (g for g in groups.values() if len(g) > 1):
        unique = [("unique" in norm(desc[i] if i < len(desc) else "")) for i in idx]
        wants_unique = any(u in norm(header[idx[0]]) for u in _UNIQUE_HEADERS)
        keep = next((i for i, u in zip(idx, unique, strict=True) if u == wants_unique), idx[0])
        for i, u in zip(idx, unique, strict=True):
            if i != keep:
                header[i] = f"{header[i].strip()} [{'unique' if u else 'total'}]"
    return RawTable(
        data.path, header, data.rows, data.lines, data.header_line, data.sheet, data.preamble,
        data.delimiter, data.encoding,
    )  # fmt: skip


def _load_fb_posts(raw: RawFile, ctx: LoadContext):
    t = _facebook_table(_table_with(raw, *FB_POSTS), "Post ID")
    frame = build(t, ctx, FB_POSTS_SPEC, label="Facebook Page Insights (posts)")
    return {"posts": with_network(frame, "facebook")}


register(
    Format(
        "facebook_insights_posts",
        "Facebook Page Insights, post level (legacy)",
        lambda raw: _key_metrics(raw, "Post ID") is None and _detector(*FB_POSTS)(raw),
        _load_fb_posts,
        FB_POSTS,
        "facebook",
    )
)

FB_PAGE = ("Date", "Lifetime Total Likes", "Daily New Likes")
FB_PAGE_SPEC = {
    "date": C("day", "Date", required=True),
    "followers": C("int", "Lifetime Total Likes"),
    "new_followers": C("int", "Daily New Likes"),
    "lost_followers": C("int", "Daily Unlikes"),
    "page_views": C("int", "Daily Logged-in Page Views", "Daily Total Page Views"),
}


def _load_fb_page(raw: RawFile, ctx: LoadContext):
    t = _facebook_table(_table_with(raw, *FB_PAGE), "Date")
    frame = build(t, ctx, FB_PAGE_SPEC, label="Facebook Page Insights (page)")
    return {"audience": with_network(frame, "facebook")}


register(
    Format(
        "facebook_insights_page",
        "Facebook Page Insights, page level (legacy)",
        lambda raw: _key_metrics(raw, "Date") is None and _detector(*FB_PAGE)(raw),
        _load_fb_page,
        FB_PAGE,
        "facebook",
    )
)

# ----------------------------------------------------------------------------- Facebook legacy workbooks
# Page Insights' legacy ".xls" downloads (Excel 2003 XML) and their .xlsx re-saves: a "Key Metrics"
# sheet whose header holds API names with the readable names in the row below, and one sheet per
# action-type group named after the CSV's column group, cut to 31 characters.

_API_NAMES = {
    "post_impressions_unique:lifetime": "Lifetime Post Total Reach",
    "post_impressions:lifetime": "Lifetime Post Total Impressions",
    "post_impressions_organic_unique:lifetime": "Lifetime Post organic reach",
    "post_impressions_paid_unique:lifetime": "Lifetime Post Paid Reach",
    "post_impressions_viral_unique:lifetime": "Lifetime Post Viral Reach",
    "post_engaged_users:lifetime": "Lifetime Engaged Users",
    "post_video_views:lifetime": "Lifetime Post Total Video Views",
    "page_fans:lifetime": "Lifetime Total Likes",
    "page_fan_adds_unique:day": "Daily New Likes",
    "page_fan_adds:day": "Daily New Likes",
    "page_fan_removes_unique:day": "Daily Unlikes",
    "page_fan_removes:day": "Daily Unlikes",
}
_API_RE = re.compile(r"^[a-z0-9_]+:(lifetime|day|week|days_28)$")
#: Per-action sheets (name prefix, cut by Excel) -> the CSV column group their columns belong to.
_ACTION_SHEETS = {
    "lifetime post stories by act": "Lifetime Post Stories by action type",
    "lifetime post consumptions by": "Lifetime Post Consumptions by type",
}


def _key_metrics(raw: RawFile, id_header: str) -> RawTable | None:
    t = raw.sheet("Key Metrics")
    if t is None or not t.has(id_header) or raw.kind == "csv":
        return None
    return (
        t
        if any(_API_RE.match(k) for k in t.keys)
        or t.has("Lifetime Post Total Reach", "Lifetime Total Likes")
        or t.has("Lifetime Total Likes")
        else None
    )


def _readable(table: RawTable, id_header: str) -> RawTable:
    """Key Metrics with readable column names: the row below the API names when it holds them
    (its identifying cell empty), else the known API names translated; the row is dropped."""
    desc = description_row(table, id_header=id_header)
    header = []
    for i, h in enumerate(table.header):
        below = (desc[i] if desc and i < len(desc) else "").strip()
        header.append(below if below and _API_RE.match(norm(h)) else _API_NAMES.get(norm(h), h))
    data = drop_description_row(table, id_header=id_header)
    return RawTable(
        data.path, header, data.rows, data.lines, data.header_line, data.sheet, data.preamble,
        data.delimiter, data.encoding,
    )  # fmt: skip


def _with_action_columns(raw: RawFile, table: RawTable) -> RawTable:
    """Key Metrics plus the per-action sheets' columns (``like``, ``comment``, ``share``,
    ``link clicks``) joined on Post ID, named as the CSV names them."""
    header, rows = list(table.header), [list(r) + [""] * (len(table.header) - len(r)) for r in table.rows]
    key = table.index("Post ID")
    for sheet in raw.tables:
        group = next((g for p, g in _ACTION_SHEETS.items() if norm(sheet.sheet or "").startswith(p)), None)
        if group is None or sheet.index("Post ID") is None:
            continue
        sheet = drop_description_row(sheet, id_header="Post ID")
        skey = sheet.index("Post ID")
        known = {norm(h) for h in ("Post ID", "Permalink", "Post Message", "Type", "Countries", "Languages",
                                    "Posted", "Audience Targeting")}  # fmt: skip
        cols = [i for i, k in enumerate(sheet.keys) if k and k not in known]
        values = {(r[skey] if skey < len(r) else "").strip(): r for r in sheet.rows}
        for i in cols:
            header.append(f"{group} - {sheet.header[i].strip()}")
            for row in rows:
                other = values.get(row[key].strip())
                row.append((other[i] if other is not None and i < len(other) else "") or "")
    return RawTable(
        table.path, header, rows, table.lines, table.header_line, table.sheet, table.preamble,
        table.delimiter, table.encoding,
    )  # fmt: skip


def _load_fb_workbook_posts(raw: RawFile, ctx: LoadContext):
    t = _with_action_columns(raw, _readable(_key_metrics(raw, "Post ID"), "Post ID")).without_total_rows()
    frame = build(t, ctx, FB_POSTS_SPEC, label="Facebook Page Insights workbook (posts)")
    return {"posts": with_network(frame, "facebook")}


def _load_fb_workbook_page(raw: RawFile, ctx: LoadContext):
    t = _readable(_key_metrics(raw, "Date"), "Date").without_total_rows()
    frame = build(t, ctx, FB_PAGE_SPEC, label="Facebook Page Insights workbook (page)")
    return {"audience": with_network(frame, "facebook")}


register(
    Format(
        "facebook_insights_posts_workbook",
        "Facebook Page Insights, post level (legacy .xls workbook)",
        lambda raw: _key_metrics(raw, "Post ID") is not None,
        _load_fb_workbook_posts,
        ("Key Metrics", "Post ID", "post_impressions_unique:lifetime", "post_impressions:lifetime"),
        "facebook",
    )
)
register(
    Format(
        "facebook_insights_page_workbook",
        "Facebook Page Insights, page level (legacy .xls workbook)",
        lambda raw: _key_metrics(raw, "Date") is not None,
        _load_fb_workbook_page,
        ("Key Metrics", "Date", "page_fans:lifetime"),
        "facebook",
    )
)

# ----------------------------------------------------------------------------- Meta Business Suite

META_FB = ("Post ID", "Page ID", "Publish time", "Reach")
META_FB_SPEC = {
    "post_id": C("id", "Post ID", required=True),
    "published_at": C("ts", "Publish time", required=True),
    "post_type": C("str", "Post type"),
    "text": C("str", "Description", "Title"),
    "url": C("str", "Permalink"),
    "reach": C("int", "Reach"),
    "reach_organic": C("int", "Reach from Organic posts"),
    "reach_paid": C("int", "Reach from Boosted posts"),
    "impressions": C("int", "Impressions", "Views"),
    "likes": C("int", "Reactions"),
    "comments": C("int", "Comments"),
    "shares": C("int", "Shares"),
    "clicks": C("int", "Link Clicks"),
}


def _first_text(table: RawTable, *names: str) -> pd.array:
    """Per row, the first non-empty cell among the columns ``names`` (in that order), else null.

    Meta puts a post's caption in ``Description`` or in ``Title`` depending on the post type
    (photos: ``Title`` only; reels: both), so no single column holds every caption."""
    cols = [c for c in (table.column(n) for n in names) if c is not None]
    out = [next((c[i] for c in cols if c[i].strip()), None) for i in range(len(table.rows))]
    return pd.array(out, dtype="string")


def _load_meta_fb(raw: RawFile, ctx: LoadContext):
    t = _table_with(raw, *META_FB)
    tables = _posts(t, ctx, META_FB_SPEC, "Meta Business Suite content (Facebook)", "facebook")
    tables["posts"]["text"] = _first_text(t.without_total_rows(), "Description", "Title")
    return tables


register(
    Format(
        "meta_facebook_content",
        "Meta Business Suite content, Facebook",
        _detector(*META_FB),
        _load_meta_fb,
        META_FB,
        "facebook",
    )
)

META_IG = ("Post ID", "Account ID", "Publish time")
META_IG_SPEC = {
    "post_id": C("id", "Post ID", required=True),
    "published_at": C("ts", "Publish time", required=True),
    "post_type": C("str", "Post type"),
    "text": C("str", "Description", "Caption"),
    "url": C("str", "Permalink"),
    "impressions": C("int", "Views", "Impressions"),
    "reach": C("int", "Reach"),
    "likes": C("int", "Likes"),
    "comments": C("int", "Comments"),
    "shares": C("int", "Shares"),
    "saves": C("int", "Saves"),
}


def _load_meta_ig(raw: RawFile, ctx: LoadContext):
    t = _table_with(raw, *META_IG)
    return _posts(t, ctx, META_IG_SPEC, "Meta Business Suite content (Instagram)", "instagram")


register(
    Format(
        "meta_instagram_content",
        "Meta Business Suite content, Instagram",
        _detector(*META_IG, unless=("Page ID",)),
        _load_meta_ig,
        META_IG,
        "instagram",
    )
)

# ----------------------------------------------------------------------------- LinkedIn

LI_POSTS_SPEC = {
    "post_id": C("id", "Post link", "Post ID", "Update ID", required=True),
    "url": C("str", "Post link"),
    "text": C("str", "Post title", "Update title"),
    "post_type": C("str", "Content Type", "Post type"),
    "published_at": C("ts", "Created date", "Date", required=True),
    "impressions": C("int", "Impressions"),
    "clicks": C("int", "Clicks"),
    "likes": C("int", "Likes", "Reactions"),
    "comments": C("int", "Comments"),
    "shares": C("int", "Reposts", "Shares"),
}


def _li_posts_table(raw: RawFile) -> RawTable | None:
    t = raw.sheet("All posts")
    if t is not None and t.has("Impressions") and (t.has("Created date") or t.has("Post title")):
        return t
    return None


def _load_li_posts(raw: RawFile, ctx: LoadContext):
    t = _li_posts_table(raw)
    return _posts(t, ctx, LI_POSTS_SPEC, "LinkedIn page content (All posts)", "linkedin")


register(
    Format(
        "linkedin_content",
        "LinkedIn page content export",
        lambda raw: _li_posts_table(raw) is not None,
        _load_li_posts,
        ("All posts", "Created date", "Impressions", "Clicks"),
        "linkedin",
    )
)


def _li_sheet(raw: RawFile, sheet: str, *names: str) -> RawTable | None:
    t = raw.sheet(sheet)
    return t if t is not None and t.has(*names) else None


LI_FOLLOWERS_SPEC = {
    "date": C("day", "Date", required=True),
    "new_followers": C("int", "Total followers"),  # a daily count of new followers
}


def _load_li_followers(raw: RawFile, ctx: LoadContext):
    t = _li_sheet(raw, "New followers", "Date", "Total followers")
    return _audience(t, ctx, LI_FOLLOWERS_SPEC, "LinkedIn followers", "linkedin")


register(
    Format(
        "linkedin_followers",
        "LinkedIn followers export",
        lambda raw: _li_sheet(raw, "New followers", "Date", "Total followers") is not None,
        _load_li_followers,
        ("New followers", "Date", "Total followers"),
        "linkedin",
    )
)

LI_VISITORS_SPEC = {
    "date": C("day", "Date", required=True),
    "page_views": C("int", "Total page views (total)"),
    "unique_visitors": C("int", "Total unique visitors (total)"),
}


def _load_li_visitors(raw: RawFile, ctx: LoadContext):
    t = _li_sheet(raw, "Visitor metrics", "Date")
    return _audience(t, ctx, LI_VISITORS_SPEC, "LinkedIn visitors", "linkedin")


register(
    Format(
        "linkedin_visitors",
        "LinkedIn visitors export",
        lambda raw: _li_sheet(raw, "Visitor metrics", "Date") is not None,
        _load_li_visitors,
        ("Visitor metrics", "Date", "Total page views (total)", "Total unique visitors (total)"),
        "linkedin",
    )
)

# ----------------------------------------------------------------------------- YouTube

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
    t = _published(_table_with(raw, *YT).without_total_rows(), "Video publish time")
    frame = build(t, ctx, YT_SPEC, label="YouTube Studio content")
    frame["post_id"] = frame["post_id"].str.strip()
    frame["url"] = "https://www.youtube.com/watch?v=" + frame["post_id"]
    frame["post_type"] = "video"
    return {"posts": with_network(frame, "youtube")}


register(
    Format(
        "youtube_content",
        "YouTube Studio content (Table data.csv)",
        _detector(*YT, unless=("Date",)),
        _load_youtube,
        YT,
        "youtube",
    )
)

# ----------------------------------------------------------------------------- TikTok

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
        month = _MONTHS.get(name.casefold())
        if month is None:
            raise InputError(
                f"expected a day like 'August 31', got {shown(cell.strip())}",
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
                f"not a calendar day: {shown(cells[n].strip())} in {year}",
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
    t = _with_days(_table_with(raw, *TT_FOLLOWERS).without_total_rows(), ctx)
    return _audience(t, ctx, TT_FOLLOWERS_SPEC, "TikTok follower history", "tiktok")


register(
    Format(
        "tiktok_followers",
        "TikTok Studio follower history (FollowerHistory.csv)",
        _detector(*TT_FOLLOWERS),
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
    t = _with_days(_table_with(raw, *TT_CONTENT).without_total_rows(), ctx, "Post time")
    frame = build(t, ctx, TT_CONTENT_SPEC, label="TikTok Studio content")
    ids = []
    for link, line in zip(frame["post_id"], t.lines, strict=True):
        m = _TT_VIDEO_ID.search(str(link))
        if m is None:
            raise InputError(
                f"expected a TikTok video link ending in the video's number, got {shown(link)}",
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
        _detector(*TT_CONTENT),
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
    _detector(*TT_OVERVIEW),
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
    _detector("Hour", "Active followers"),
    "followers online by hour of the day: a posting-time aid, not a KPI",
    ("Date", "Hour", "Active followers"),
    "tiktok",
)
recognised(
    "tiktok_follower_gender",
    "TikTok Studio follower gender (FollowerGender.csv)",
    _detector("Gender", "Distribution"),
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

# ----------------------------------------------------------------------------- YouTube by date

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
    _detector("Date", "Content", "Views"),
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

# ----------------------------------------------------------------------------- Meta Business Suite page series


def _meta_series(raw: RawFile) -> tuple[RawTable, str] | None:
    """The table of a Meta Business Suite page-level series (``"Follows"`` on a line of its
    own, then ``"Date","Primary"``) and its metric name."""
    for t in raw.tables:
        found = t.find_header("Date", "Primary", within=2)
        if found is not None and found is not t and len(t.header) == 1 and t.header[0].strip():
            return found, t.header[0].strip()
    return None


_SERIES_USED = {"follows": "new_followers", "visits": "page_views"}


def _series_column(metric: str) -> str | None:
    words = norm(metric).split()
    return next((col for key, col in _SERIES_USED.items() if words and words[-1] == key), None)


def _load_meta_series(raw: RawFile, ctx: LoadContext):
    table, metric = _meta_series(raw)
    column = _series_column(metric)
    network = "instagram" if "instagram" in norm(metric) else "facebook"
    spec = {"date": C("day", "Date", required=True), column: C("int", "Primary", required=True)}
    frame = build(table.without_total_rows(), ctx, spec, label=f"Meta Business Suite {metric}")
    return {"audience": with_network(frame, network)}


register(
    Format(
        "meta_page_series",
        "Meta Business Suite page series (Follows.csv, Visits.csv)",
        lambda raw: (m := _meta_series(raw)) is not None and _series_column(m[1]) is not None,
        _load_meta_series,
        ("Date", "Primary"),
    )
)
recognised(
    "meta_page_series_other",
    "Meta Business Suite page series (Reach.csv, Views.csv, ...)",
    lambda raw: _meta_series(raw) is not None,
    "a page-level daily total (reach, views, interactions, ...): metrics.md sums these per post "
    "(Meta Business Suite content export); only Follows and Visits are read from page series",
    ("Date", "Primary"),
)

# ----------------------------------------------------------------------------- X legacy daily

X_DAILY = ("Date", "Tweets published", "impressions", "engagements")
X_DAILY_SPEC = {"date": C("day", "Date", required=True), "new_followers": C("int", "follows")}


def _load_x_daily(raw: RawFile, ctx: LoadContext):
    t = _table_with(raw, *X_DAILY)
    tables = _audience(t, ctx, X_DAILY_SPEC, "X daily tweet activity", "x")
    ctx.notes.append(
        "only `follows` (new followers per day) is read: its impressions and engagements are account "
        "totals per day, not per post (the per-tweet activity export has them per tweet)"
    )
    return tables


register(
    Format(
        "x_daily_activity",
        "X legacy daily tweet activity (daily_tweet_activity_metrics)",
        _detector(*X_DAILY),
        _load_x_daily,
        X_DAILY + ("follows",),
        "x",
    )
)

# ----------------------------------------------------------------------------- VK community statistics
# vk.com community "Статистика" export, one row per day. Column names follow the statistics page and
# the API's stats.get fields (visitors.views, visitors.visitors, activity.subscribed/unsubscribed);
# no public sample file was found, so the known spellings are all aliases.

VK_STATS_SPEC = {
    "date": C("day", "Дата", "День", required=True),
    "followers": C("int", "Подписчики", "Всего подписчиков", "Участники", "Всего участников"),
    "new_followers": C("int", "Подписавшиеся", "Новые подписчики", "Вступившие", "Вступившие участники"),
    "lost_followers": C("int", "Отписавшиеся", "Отписались", "Вышедшие", "Вышедшие участники"),
    "unique_visitors": C("int", "Посетители", "Уникальные посетители"),
    "page_views": C("int", "Просмотры"),
}


def _vk_stats_table(raw: RawFile) -> RawTable | None:
    for t in raw.tables:
        if (
            t.index("Дата", "День") is not None
            and t.index(*VK_STATS_SPEC["new_followers"].names) is not None
            and t.index(*VK_STATS_SPEC["lost_followers"].names) is not None
        ):
            return t
    return None


def _load_vk_stats(raw: RawFile, ctx: LoadContext):
    return _audience(_vk_stats_table(raw), ctx, VK_STATS_SPEC, "VK community statistics", "vk")


register(
    Format(
        "vk_community_stats",
        "VK community statistics export",
        lambda raw: _vk_stats_table(raw) is not None,
        _load_vk_stats,
        ("Дата", "Подписавшиеся", "Отписавшиеся", "Посетители", "Просмотры"),
        "vk",
    )
)

__all__ = ["tiktok_days", "YT_METRICS"]
