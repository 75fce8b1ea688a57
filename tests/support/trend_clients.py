"""Clients for the trend's coverage (issue 23: trend points not fully covered are drawn hollow).

One VK client whose posts and audience exports start on ``first`` and run to 31 Oct 2026: a
calendar-month trend ending in October sees September half covered when ``first`` is 16 Sep,
fully covered when it is 1 Sep.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

POSTS_HEAD = "network,post_id,published_at,post_type,text,url,impressions,reach,likes,comments,shares\n"
AUDIENCE_HEAD = "network,date,followers,new_followers,lost_followers\n"
LAST = dt.date(2026, 10, 31)


def vk_client(make_client: Callable[..., Path], first: str) -> Path:
    """VK posts on ``first``, 1 Oct and 31 Oct (reach 100, 200, 300; 10 likes each) and one audience
    row a day from ``first`` to 31 Oct (1,000 followers, 2 new a day)."""
    day0 = dt.date.fromisoformat(first)
    posts = [(f"p{i}", day, 100 * (i + 1)) for i, day in enumerate([first, "2026-10-01", "2026-10-31"])]
    post_lines = [
        f"vk,{pid},{day}T10:00:00+00:00,photo,t,https://vk.com/wall-1_{pid},{2 * reach},{reach},10,0,0"
        for pid, day, reach in posts
    ]
    days = [day0 + dt.timedelta(days=i) for i in range((LAST - day0).days + 1)]
    audience = [f"vk,{d.isoformat()},{1000 + 2 * (i + 1)},2,0" for i, d in enumerate(days)]
    return make_client(
        {
            "vk_posts.csv": POSTS_HEAD + "\n".join(post_lines) + "\n",
            "vk_audience.csv": AUDIENCE_HEAD + "\n".join(audience) + "\n",
        },
        slug=f"vk-from-{first}",
    )
