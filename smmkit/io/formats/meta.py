"""Meta exports: Facebook Page Insights (legacy CSVs and .xls workbooks, post and page level),
Meta Business Suite content (Facebook, Instagram) and page series (Follows.csv, Visits.csv; the
other series recognised but not used). Meta Ads Manager is in :mod:`smmkit.io.formats.ads`."""

from __future__ import annotations

import re

import pandas as pd

from smmkit.io.formats.base import (
    Col,
    Format,
    LoadContext,
    build,
    declare,
    description_row,
    detector,
    drop_description_row,
    one_table,
    recognised,
    register,
    table_with,
    with_network,
)
from smmkit.io.readers import RawFile, RawTable, norm

C = Col.of

# Facebook Page Insights, legacy CSV exports.

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
    t = _facebook_table(table_with(raw, *FB_POSTS), "Post ID")
    frame = build(t, ctx, FB_POSTS_SPEC, label="Facebook Page Insights (posts)")
    return {"posts": with_network(frame, "facebook")}


register(
    Format(
        "facebook_insights_posts",
        "Facebook Page Insights, post level (legacy)",
        lambda raw: _key_metrics(raw, "Post ID") is None and detector(*FB_POSTS)(raw),
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
    t = _facebook_table(table_with(raw, *FB_PAGE), "Date")
    frame = build(t, ctx, FB_PAGE_SPEC, label="Facebook Page Insights (page)")
    return {"audience": with_network(frame, "facebook")}


register(
    Format(
        "facebook_insights_page",
        "Facebook Page Insights, page level (legacy)",
        lambda raw: _key_metrics(raw, "Date") is None and detector(*FB_PAGE)(raw),
        _load_fb_page,
        FB_PAGE,
        "facebook",
    )
)

# Facebook Page Insights, legacy workbooks.
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

# Meta Business Suite content.

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
    t = table_with(raw, *META_FB)
    tables = one_table(
        "posts", t, ctx, META_FB_SPEC, label="Meta Business Suite content (Facebook)", network="facebook"
    )
    tables["posts"]["text"] = _first_text(t.without_total_rows(), "Description", "Title")
    return tables


register(
    Format(
        "meta_facebook_content",
        "Meta Business Suite content, Facebook",
        detector(*META_FB),
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


declare(
    "meta_instagram_content", "Meta Business Suite content, Instagram", "instagram", META_IG,
    table="posts", spec=META_IG_SPEC, reads="Meta Business Suite content (Instagram)", unless=("Page ID",),
)  # fmt: skip


# Meta Business Suite page series.


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
