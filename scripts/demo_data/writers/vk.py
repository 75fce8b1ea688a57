"""VK posts as the agency's VK tool exports them: canonical posts, Windows-1251, one file a year."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .base import write_csv
from .canonical import CP1251, POSTS_HEADER, canonical_post_rows

VK_KEEP = ["impressions", "reach", "reach_organic", "reach_paid", "reach_viral", "likes", "comments", "shares",
           "clicks", "video_views", "complaints"]  # fmt: skip


def vk_url(post_id: str) -> str:
    """The wall URL of a VK post (``-71234567_4012`` -> ``https://vk.com/wall-71234567_4012``)."""
    return f"https://vk.com/wall{post_id}"


def write_vk_posts(folder: Path, vk: pd.DataFrame) -> None:
    """``vk_posts_2025.csv`` (2025-07..2026-01, exported early February: January's lifetime numbers
    at 93 %) and ``vk_posts_2026.csv`` (2026-01..2026-10, ``1 234`` thousands)."""
    old = vk[vk.published_at < "2026-02-01"]
    jan = old.published_at >= "2026-01-01"
    rows = canonical_post_rows("vk", old[~jan], url=vk_url, keep=VK_KEEP)
    rows += canonical_post_rows("vk", old[jan], url=vk_url, keep=VK_KEEP, scale=0.93)
    write_csv(folder / "vk_posts_2025.csv", POSTS_HEADER, rows, **CP1251)
    new = vk[vk.published_at >= "2026-01-01"]
    rows = canonical_post_rows("vk", new, url=vk_url, keep=VK_KEEP, sep=" ")
    write_csv(folder / "vk_posts_2026.csv", POSTS_HEADER, rows, **CP1251)
