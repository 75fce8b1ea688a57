"""Every KPI key of metrics.md, grouped as there, in report order.

This is the list the JSON output, the CSV output and the report tables are
built from: a key is in every network block and in ``total``, null where
unknown.
"""

from __future__ import annotations

__all__ = ["KPI_GROUPS", "KPI_KEYS", "LOWER_IS_BETTER"]

KPI_GROUPS: dict[str, tuple[str, ...]] = {
    "audience": (
        "followers_start", "followers_end", "new_followers", "lost_followers",
        "net_follower_growth", "follower_growth_rate", "unique_visitors", "cost_per_follower",
    ),
    "content": (
        "posts", "posts_per_week", "impressions", "reach", "reach_organic", "reach_paid",
        "reach_viral", "reach_per_post", "reach_rate", "video_views",
    ),
    "feedback": (
        "likes", "comments", "shares", "saves", "clicks", "engagements", "love_rate",
        "talk_rate", "amplification_rate", "er", "err", "er_day", "er_post", "er_view",
        "engagements_per_post", "engagements_per_follower", "clicks_per_post", "ctr", "er_unique",
    ),
    "community": (
        "questions", "answered", "response_rate", "avg_response_time_h",
        "median_response_time_h", "response_time_change", "complaints",
    ),
    "traffic": (
        "social_sessions", "social_new_users_pct", "social_bounce_rate",
        "social_pages_per_session", "social_avg_session_s", "site_new_users_pct",
        "site_bounce_rate", "site_pages_per_session", "site_avg_session_s", "conversions",
        "conversion_rate", "ad_spend", "ad_impressions", "ad_clicks", "ad_leads", "ad_ctr",
        "total_cost", "leads", "cpc", "cpl",
    ),
    "listening": ("mentions", "mentions_positive", "mentions_negative", "share_of_voice"),
}  # fmt: skip

KPI_KEYS: tuple[str, ...] = tuple(k for keys in KPI_GROUPS.values() for k in keys)

#: KPIs for which a fall is good news (the report colours their change arrows so).
LOWER_IS_BETTER: frozenset[str] = frozenset(
    {
        "lost_followers", "cost_per_follower", "avg_response_time_h", "median_response_time_h",
        "complaints", "social_bounce_rate", "site_bounce_rate", "total_cost", "cpc", "cpl",
        "mentions_negative", "ad_spend",
    }
)  # fmt: skip
