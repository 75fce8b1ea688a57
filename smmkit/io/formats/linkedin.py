"""LinkedIn page exports (workbooks): content (All posts), followers, visitors. LinkedIn
Campaign Manager is in :mod:`smmkit.io.formats.ads`."""

from __future__ import annotations

import functools

from smmkit.io.formats.base import Col, declare
from smmkit.io.readers import RawFile, RawTable

C = Col.of

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


declare(
    "linkedin_content", "LinkedIn page content export", "linkedin", ("All posts", "Created date", "Impressions", "Clicks"),
    table="posts", spec=LI_POSTS_SPEC, reads="LinkedIn page content (All posts)", find=_li_posts_table,
)  # fmt: skip


def _li_sheet(raw: RawFile, *, sheet: str, names: tuple[str, ...]) -> RawTable | None:
    """The workbook's sheet ``sheet`` when its header has ``names``."""
    t = raw.sheet(sheet)
    return t if t is not None and t.has(*names) else None


LI_FOLLOWERS_SPEC = {
    "date": C("day", "Date", required=True),
    # A daily count of new followers; LinkedIn writes a net change there (-1 on a day when one
    # more member left than joined), so it may be negative (data-contract.md, release 3).
    "new_followers": C("int", "Total followers", net=True),
}
declare(
    "linkedin_followers", "LinkedIn followers export", "linkedin", ("New followers", "Date", "Total followers"),
    table="audience", spec=LI_FOLLOWERS_SPEC, reads="LinkedIn followers",
    find=functools.partial(_li_sheet, sheet="New followers", names=("Date", "Total followers")),
)  # fmt: skip

LI_VISITORS_SPEC = {
    "date": C("day", "Date", required=True),
    "page_views": C("int", "Total page views (total)"),
    "unique_visitors": C("int", "Total unique visitors (total)"),
}
declare(
    "linkedin_visitors", "LinkedIn visitors export", "linkedin",
    ("Visitor metrics", "Date", "Total page views (total)", "Total unique visitors (total)"),
    table="audience", spec=LI_VISITORS_SPEC, reads="LinkedIn visitors",
    find=functools.partial(_li_sheet, sheet="Visitor metrics", names=("Date",)),
)  # fmt: skip
