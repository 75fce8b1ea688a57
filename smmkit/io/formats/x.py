"""X (Twitter) exports: legacy tweet activity (per tweet and per day), account analytics
content and overview (2024+). X Ads is in :mod:`smmkit.io.formats.ads`."""

from __future__ import annotations

from smmkit.io.formats.base import Col, declare

C = Col.of

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
declare(
    "x_tweet_activity", "X legacy tweet activity", "x", X_LEGACY,
    table="posts", spec=X_LEGACY_SPEC, reads="X legacy tweet activity",
)  # fmt: skip

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
declare(
    "x_content", "X account analytics content (2024+)", "x", X_CONTENT,
    table="posts", spec=X_CONTENT_SPEC, reads="X account analytics content",
)  # fmt: skip

X_OVERVIEW = ("Date", "Impressions", "New follows", "Unfollows")
X_OVERVIEW_SPEC = {
    "date": C("day", "Date", required=True),
    "new_followers": C("int", "New follows"),
    "lost_followers": C("int", "Unfollows"),
    "page_views": C("int", "Profile visits"),
}
declare(
    "x_overview", "X account overview (2024+)", "x", X_OVERVIEW,
    table="audience", spec=X_OVERVIEW_SPEC, reads="X account overview", unless=("Post id",),
)  # fmt: skip

# Legacy daily tweet activity (daily_tweet_activity_metrics): only `follows` is read.
X_DAILY = ("Date", "Tweets published", "impressions", "engagements")
X_DAILY_SPEC = {"date": C("day", "Date", required=True), "new_followers": C("int", "follows")}
declare(
    "x_daily_activity", "X legacy daily tweet activity (daily_tweet_activity_metrics)", "x", X_DAILY + ("follows",),
    table="audience", spec=X_DAILY_SPEC, reads="X daily tweet activity", find=X_DAILY,
    note="only `follows` (new followers per day) is read: its impressions and engagements are account "
    "totals per day, not per post (the per-tweet activity export has them per tweet)",
)  # fmt: skip

__all__ = ["X_CONTENT", "X_DAILY", "X_LEGACY", "X_OVERVIEW"]
