"""X (Twitter) exports: the legacy tweet activity CSV and the 2024+ account analytics (content and
overview)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from ..timeline import DAYS, N_DAYS, day_index, spread_daily
from .base import write_csv


def x_date(d: pd.Timestamp) -> str:
    """X account analytics day: ``Tue, Jul 14, 2026``."""
    return f"{d.strftime('%a, %b')} {d.day}, {d.year}"


X_LEGACY_HEADER = [
    "Tweet id", "Tweet permalink", "Tweet text", "time", "impressions", "engagements", "engagement rate",
    "retweets", "replies", "likes", "user profile clicks", "url clicks", "hashtag clicks", "detail expands",
    "permalink clicks", "app opens", "app installs", "follows", "email tweet", "dial phone", "media views",
    "media engagements",
]  # fmt: skip
X_PROMOTED = [f"promoted {c}" for c in X_LEGACY_HEADER[4:]]


def x_extras(posts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The posts with the numbers only X reports (profile clicks, detail expands, bookmarks, ...)."""
    n = len(posts)
    return posts.assign(
        profile_clicks=rng.poisson(posts.impressions * 0.004),
        detail_expands=rng.poisson(posts.impressions * 0.01),
        hashtag_clicks=rng.poisson(posts.impressions * 0.0005),
        permalink_clicks=rng.poisson(posts.impressions * 0.0008),
        bookmarks=posts.saves,
        share_via=rng.poisson(posts.shares * 0.3),
        follows=rng.poisson(posts.impressions * 0.0006, n),
        media_views=np.where(posts.post_type != "text", (posts.impressions * 0.4).astype(int), 0),
    )


def write_x_legacy(path: Path, posts: pd.DataFrame, *, handle: str, tz: str) -> None:
    """Legacy tweet activity CSV: all quoted, numbers like ``"1203.0"``, ``time`` in UTC ``+0000``."""
    rows = []
    for p in posts.sort_values("published_at", ascending=False).itertuples():
        media_eng = int(p.media_views * 0.02)
        eng = (p.likes + p.shares + p.comments + p.clicks + p.profile_clicks + p.detail_expands + p.hashtag_clicks
               + p.permalink_clicks + p.follows + media_eng)  # fmt: skip
        utc = p.published_at.tz_localize(tz).tz_convert("UTC")
        nums = [p.impressions, eng]
        row = [
            p.post_id,
            f"https://twitter.com/{handle}/status/{p.post_id}",
            p.text,
            utc.strftime("%Y-%m-%d %H:%M +0000"),
        ]
        row += [f"{float(nums[0])}", f"{float(eng)}", repr(eng / p.impressions)]
        row += [f"{float(v)}" for v in (p.shares, p.comments, p.likes, p.profile_clicks, p.clicks, p.hashtag_clicks,
                                          p.detail_expands, p.permalink_clicks, 0, 0, p.follows, 0, 0,
                                          p.media_views, media_eng)]  # fmt: skip
        rows.append(row + ["-"] * len(X_PROMOTED))
    write_csv(path, X_LEGACY_HEADER + X_PROMOTED, rows, quoting=csv.QUOTE_ALL)


def write_x_content(path: Path, posts: pd.DataFrame, *, handle: str) -> None:
    """The 2024+ account analytics content export: one row per post, newest first."""
    header = [
        "Post id", "Date", "Post text", "Post Link", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares",
        "New follows", "Replies", "Reposts", "Profile visits", "Detail Expands", "URL Clicks", "Hashtag Clicks",
        "Permalink Clicks",
    ]  # fmt: skip
    rows = []
    for p in posts.sort_values("published_at", ascending=False).itertuples():
        eng = (p.likes + p.shares + p.comments + p.clicks + p.profile_clicks + p.detail_expands + p.hashtag_clicks
               + p.permalink_clicks + p.bookmarks + p.share_via)  # fmt: skip
        rows.append(
            [p.post_id, x_date(p.published_at), p.text, f"https://x.com/{handle}/status/{p.post_id}", p.impressions,
             p.likes, eng, p.bookmarks, p.share_via, p.follows, p.comments, p.shares, p.profile_clicks,
             p.detail_expands, p.clicks, p.hashtag_clicks, p.permalink_clicks]
        )  # fmt: skip
    write_csv(path, header, rows)


def write_x_overview(path: Path, posts: pd.DataFrame, aud: pd.DataFrame) -> None:
    """The 2024+ account overview export: one row per day, newest first."""
    header = [
        "Date", "Impressions", "Likes", "Engagements", "Bookmarks", "Shares", "New follows", "Unfollows", "Replies",
        "Reposts", "Profile visits", "Create Post", "Video views", "Media views",
    ]  # fmt: skip
    days = day_index(posts.published_at)
    s = {c: spread_daily(days, posts[c].to_numpy()).round().astype(int)
         for c in ("impressions", "likes", "bookmarks", "share_via", "comments", "shares", "profile_clicks",
                   "video_views", "media_views", "clicks", "detail_expands")}  # fmt: skip
    created = np.bincount(days, minlength=N_DAYS)
    rows = []
    for i in range(N_DAYS - 1, -1, -1):
        eng = sum(int(s[c][i]) for c in ("likes", "shares", "comments", "clicks", "profile_clicks", "detail_expands",
                                          "bookmarks", "share_via"))  # fmt: skip
        rows.append(
            [x_date(DAYS[i]), s["impressions"][i], s["likes"][i], eng, s["bookmarks"][i], s["share_via"][i],
             aud.new_followers[i], aud.lost_followers[i], s["comments"][i], s["shares"][i], s["profile_clicks"][i],
             created[i], s["video_views"][i], s["media_views"][i]]
        )  # fmt: skip
    write_csv(path, header, rows)
