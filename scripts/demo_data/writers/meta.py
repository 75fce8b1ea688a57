"""Meta Business Suite content exports (Instagram, Facebook): UTF-8 with BOM, one row per post."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .base import write_csv

IG_COLUMNS = {
    "Post ID": lambda p, ctx: p.post_id,
    "Account ID": lambda p, ctx: ctx["account_id"],
    "Account username": lambda p, ctx: ctx["username"],
    "Account name": lambda p, ctx: ctx["name"],
    "Description": lambda p, ctx: p.text,
    "Duration (sec)": lambda p, ctx: str(p.duration_s),
    "Publish time": lambda p, ctx: p.published_at.strftime("%m/%d/%Y %H:%M"),
    "Permalink": lambda p, ctx: (
        f"https://www.instagram.com/{'reel' if p.is_video else 'p'}/{shortcode(p.post_id)}/"
    ),
    "Post type": lambda p, ctx: p.post_type,
    "Data comment": lambda p, ctx: "",
    "Date": lambda p, ctx: "Lifetime",
    "Views": lambda p, ctx: str(p.impressions),
    "Reach": lambda p, ctx: str(p.reach),
    "Likes": lambda p, ctx: str(p.likes),
    "Shares": lambda p, ctx: str(p.shares),
    "Follows": lambda p, ctx: str(p.follows),
    "Comments": lambda p, ctx: str(p.comments),
    "Saves": lambda p, ctx: str(p.saves),
}


def shortcode(post_id: str) -> str:
    """An Instagram-looking permalink code of a post ID (base 64)."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    n, out = int(post_id), []
    while n:
        n, r = divmod(n, 64)
        out.append(alphabet[r])
    return "C" + "".join(out)[:10]


def write_meta_instagram(path: Path, posts: pd.DataFrame, *, order: Sequence[str], ctx: dict) -> None:
    """Meta Business Suite content export, Instagram: UTF-8 with BOM, comma, columns in ``order``."""
    posts = posts.assign(follows=(posts.reach * 0.0015).round().astype(int))
    rows = [[IG_COLUMNS[c](p, ctx) for c in order] for p in posts.itertuples()]
    write_csv(path, order, rows, encoding="utf-8-sig")


def write_meta_facebook(
    path: Path, posts: pd.DataFrame, *, page_id: str, page_name: str, rng: np.random.Generator
) -> None:
    """Meta Business Suite content export, Facebook: UTF-8 with BOM, comma, one row per post."""
    header = [
        "Post ID", "Page ID", "Page name", "Title", "Description", "Duration (sec)", "Publish time", "Permalink",
        "Is crosspost", "Is share", "Post type", "Languages", "Custom labels", "Funded content status",
        "Data comment", "Date", "Views", "Reach", "Reactions, comments and shares", "Reactions", "Comments",
        "Shares", "Total clicks", "Link Clicks", "Other Clicks",
        "Matched Audience Targeting Consumption (Photo Click)", "Negative feedback from users: Hide all",
    ]  # fmt: skip
    rows = []
    for p in posts.itertuples():
        other = int(rng.poisson(p.reach * 0.01))
        photo = int(rng.poisson(p.reach * 0.008)) if p.post_type == "Photos" else 0
        rows.append(
            [p.post_id, page_id, page_name, "", p.text, p.duration_s or "", p.published_at.strftime("%m/%d/%Y %H:%M"),
             f"https://www.facebook.com/{page_id}/posts/{p.post_id}", "No", "No", p.post_type, "", "",
             "Boosted" if p.paid else "", "", "Lifetime", p.impressions, p.reach, p.likes + p.comments + p.shares,
             p.likes, p.comments, p.shares, p.clicks + other + photo, p.clicks, other, photo,
             int(rng.poisson(p.reach * 0.0004))]
        )  # fmt: skip
    write_csv(path, header, rows, encoding="utf-8-sig")
