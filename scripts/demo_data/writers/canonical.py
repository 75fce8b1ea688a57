"""The kit's canonical tables (data-contract.md section 2): posts, audience, inbox, mentions."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from .base import fmt_int

POSTS_HEADER = [
    "network", "post_id", "published_at", "post_type", "text", "url", "impressions", "reach", "reach_organic",
    "reach_paid", "reach_viral", "likes", "comments", "shares", "saves", "clicks", "video_views",
    "engaged_users", "complaints",
]  # fmt: skip
AUDIENCE_HEADER = [
    "network",
    "date",
    "followers",
    "new_followers",
    "lost_followers",
    "unique_visitors",
    "page_views",
]
INBOX_HEADER = ["network", "message_id", "received_at", "is_question", "first_reply_at"]
MENTIONS_HEADER = ["published_at", "brand", "network", "sentiment", "author", "reach", "text", "url"]

#: The audience columns of a network that exports followers, joins, leaves and visits.
FULL_AUDIENCE = ["followers", "new_followers", "lost_followers", "unique_visitors", "page_views"]
#: How Russian tools write CSV (``write_csv`` keywords): Windows-1251, ``;``, CRLF.
CP1251 = {"encoding": "cp1251", "delimiter": ";", "lineterminator": "\r\n"}


def canonical_post_rows(
    network: str,
    posts: pd.DataFrame,
    *,
    url: Callable[[str], str],
    keep: Sequence[str],
    sep: str = "",
    scale: float = 1.0,
) -> list[list[str]]:
    """Rows of the canonical posts file; columns not in ``keep`` are left empty."""
    rows = []
    for p in posts.itertuples():
        row = [
            network,
            p.post_id,
            p.published_at.strftime("%Y-%m-%d %H:%M"),
            p.post_type,
            p.text,
            url(p.post_id),
        ]
        for col in POSTS_HEADER[6:]:
            value = getattr(p, col) if col in keep else None
            row.append(fmt_int(None if value is None else int(value * scale), sep))
        rows.append(row)
    return rows


def canonical_audience_rows(network: str, aud: pd.DataFrame, *, keep: Sequence[str], sep: str = "") -> list:
    """Rows of the canonical audience file; columns not in ``keep`` are left empty."""
    rows = []
    for a in aud.itertuples():
        row = [network, a.date.strftime("%Y-%m-%d")]
        row += [fmt_int(getattr(a, c), sep) if c in keep else "" for c in AUDIENCE_HEADER[2:]]
        rows.append(row)
    return rows
