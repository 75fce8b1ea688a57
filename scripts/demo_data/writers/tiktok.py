"""TikTok Studio exports: FollowerHistory.csv and Overview.csv (days as `October 5`, no year)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..timeline import DAYS, day_index, spread_daily
from .base import write_csv


def tiktok_day(d: pd.Timestamp) -> str:
    """A TikTok Studio day: ``October 5`` (no year)."""
    return f"{d:%B} {d.day}"


def write_tiktok_followers(path: Path, aud: pd.DataFrame, start: str, end: str) -> None:
    """``FollowerHistory.csv`` of ``start..end``: followers and the change from the day before."""
    rows = []
    for i in range(DAYS.get_loc(pd.Timestamp(start)), DAYS.get_loc(pd.Timestamp(end)) + 1):
        rows.append([tiktok_day(DAYS[i]), aud.followers[i], aud.followers[i] - aud.followers[i - 1]])
    write_csv(path, ["Date", "Followers", "Difference in followers from previous day"], rows)


def write_tiktok_overview(path: Path, posts: pd.DataFrame, aud: pd.DataFrame, start: str, end: str) -> None:
    """``Overview.csv`` of ``start..end``: daily video views, profile views, likes, comments, shares."""
    days = day_index(posts.published_at)
    s = {c: spread_daily(days, posts[c].to_numpy()).round().astype(int)
         for c in ("video_views", "likes", "comments", "shares")}  # fmt: skip
    rows = []
    for i in range(DAYS.get_loc(pd.Timestamp(start)), DAYS.get_loc(pd.Timestamp(end)) + 1):
        rows.append([tiktok_day(DAYS[i]), s["video_views"][i], aud.page_views[i], s["likes"][i], s["comments"][i],
                     s["shares"][i]])  # fmt: skip
    write_csv(path, ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"], rows)
