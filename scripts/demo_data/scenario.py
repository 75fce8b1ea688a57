"""What a demo client is: its networks, its events (contests, bought followers, paid campaigns,
a crisis) and its texts. The three clients themselves live in :mod:`demo_data.clients`."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert('x')</script>"


@dataclass(frozen=True)
class Contest:
    """A giveaway post: joins jump for 3 days, 40 % of them leave 4-6 days later."""

    network: str
    day: str


@dataclass(frozen=True)
class Bought:
    """Bought (bot) followers: ``size`` joins over two days; bots never engage."""

    network: str
    day: str
    size: int


@dataclass(frozen=True)
class Campaign:
    """A paid campaign: ad rows (when ``ads``) and/or paid reach on the network's posts."""

    network: str
    name: str
    start: str
    end: str
    daily_spend: float = 0.0
    cpm: float = 5.0  # currency per 1000 impressions
    ctr: float = 0.01  # clicks / impressions
    cvr: float = 0.05  # leads / clicks
    ads: bool = True  # rows in the ads export
    boost_posts: bool = False  # paid reach on the network's own posts

    def days(self) -> pd.DatetimeIndex:
        """Every day of the campaign, ``start..end``."""
        return pd.date_range(self.start, self.end, freq="D")


@dataclass(frozen=True)
class NetSpec:
    """How one network of a client behaves."""

    network: str
    followers0: int
    new_rate: float  # daily joins / followers
    lost_rate: float  # daily leaves / followers
    posts_per_week: tuple[int, int]
    reach_frac: float  # post reach / real followers
    like_rate: float  # likes / reach
    comment_ratio: float  # comments / likes
    share_ratio: float  # shares / likes
    save_ratio: float  # saves / likes
    click_rate: float  # link clicks / reach
    post_types: tuple[tuple[str, float, float, bool], ...]  # label, weight, reach factor, is video
    hours: tuple[int, int] = (8, 21)


@dataclass(frozen=True)
class Client:
    slug: str
    seed: int
    yaml: str
    color: str
    tz: str
    weekday: tuple[float, ...]  # Mon..Sun activity factor
    nets: tuple[NetSpec, ...]
    texts: tuple[str, ...]
    emoji: tuple[str, ...]
    contest_text: str
    ad_text: str
    contests: tuple[Contest, ...] = ()
    bought: tuple[Bought, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    crisis: str | None = None
    crisis_networks: tuple[str, ...] = ()
    xss_img: str = ""  # network of the October contest post that carries XSS_IMG
    xss_script: str = ""  # network whose top October post carries XSS_SCRIPT
    notes: tuple[str, ...] = ()


def post_types(*items: tuple[str, float, float, bool]) -> tuple[tuple[str, float, float, bool], ...]:
    """The post types of a network: ``(label, weight, reach factor, is video)`` each."""
    return tuple(items)


def stream(client: Client, name: str) -> np.random.Generator:
    """An independent random stream per client and purpose (stable across edits elsewhere)."""
    return np.random.default_rng([client.seed, zlib.crc32(name.encode())])
