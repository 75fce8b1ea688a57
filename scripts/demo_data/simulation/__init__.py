"""The simulation behind the demo exports: per network, daily audience and posts; per client,
ads, inbox, mentions and web sessions. Nothing here knows an export format."""

from __future__ import annotations

import pandas as pd

from ..scenario import Client
from .ads import simulate_ads
from .audience import simulate_audience
from .community import simulate_inbox, simulate_mentions
from .posts import place_xss, simulate_posts
from .web import Source, ga4_rows

__all__ = ["ByNetwork", "Source", "ga4_rows", "simulate", "simulate_inbox", "simulate_mentions"]

#: One frame per network (``{"vk": posts of VK, ...}``).
ByNetwork = dict[str, pd.DataFrame]

#: Networks whose exports are UTF-8 (the Windows-1251 files get no emoji).
EMOJI_OK = {"instagram", "x", "linkedin", "facebook", "tiktok", "youtube"}


def simulate(client: Client) -> tuple[ByNetwork, ByNetwork, pd.DataFrame]:
    """The client's daily audience and posts by network, and its ad rows."""
    audiences = {s.network: simulate_audience(client, s) for s in client.nets}
    posts = {s.network: simulate_posts(client, s, audiences[s.network], emoji=s.network in EMOJI_OK)
             for s in client.nets}  # fmt: skip
    place_xss(client, posts)
    return audiences, posts, simulate_ads(client)
