"""Facebook Page Insights legacy exports: post level and page level (a description row under the
header, repeated column names)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from ..timeline import DAYS, N_DAYS, day_index, spread_daily
from .base import Rows, write_csv

FB_POST_COLUMNS = [
    # (header, description, value(post, extra))
    ("Post ID", "", lambda p, e: p.post_id),
    ("Permalink", "", lambda p, e: e["url"]),
    ("Post Message", "", lambda p, e: p.text),
    ("Type", "", lambda p, e: p.post_type),
    ("Countries", "", lambda p, e: ""),
    ("Languages", "", lambda p, e: ""),
    ("Posted", "", lambda p, e: f"{p.published_at.month}/{p.published_at.day}/{p.published_at.year} {p.published_at:%H:%M}"),
    ("Audience Targeting", "", lambda p, e: ""),
    ("Lifetime Post Total Reach", "Lifetime: The number of people who had your Page's post enter their screen. (Unique Users)", lambda p, e: p.reach),
    ("Lifetime Post organic reach", "Lifetime: The number of people who had your Page's post enter their screen through unpaid distribution. (Unique Users)", lambda p, e: p.reach_organic),
    ("Lifetime Post Paid Reach", "Lifetime: The number of people who had your Page's post enter their screen through paid distribution. (Unique Users)", lambda p, e: p.reach_paid),
    ("Lifetime Post Total Impressions", "Lifetime: The number of times your Page's post entered a person's screen. (Total Count)", lambda p, e: p.impressions),
    ("Lifetime Post Organic Impressions", "Lifetime: The number of times your Page's post entered a person's screen through unpaid distribution. (Total Count)", lambda p, e: e["imp_org"]),
    ("Lifetime Post Paid Impressions", "Lifetime: The number of times your Page's post entered a person's screen through paid distribution. (Total Count)", lambda p, e: p.impressions - e["imp_org"]),
    ("Lifetime Engaged Users", "Lifetime: The number of unique people who engaged in certain ways with your Page post, for example by commenting on, liking, sharing, or clicking upon particular elements of the post. (Unique Users)", lambda p, e: p.engaged_users),
    ("Lifetime Post Consumers", "Lifetime: The number of people who clicked anywhere in your post. (Unique Users)", lambda p, e: e["consumers"]),
    ("Lifetime Post Consumptions", "Lifetime: The number of clicks anywhere in your post. (Total Count)", lambda p, e: p.clicks + e["other"] + e["photo"]),
    ("Lifetime Talking About This (Post) by action type - comment", "Lifetime: The number of unique people who created a story about your Page post by interacting with it. (Unique Users)", lambda p, e: int(p.comments * 0.85)),
    ("Lifetime Talking About This (Post) by action type - like", "Lifetime: The number of unique people who created a story about your Page post by interacting with it. (Unique Users)", lambda p, e: int(p.likes * 0.98)),
    ("Lifetime Talking About This (Post) by action type - share", "Lifetime: The number of unique people who created a story about your Page post by interacting with it. (Unique Users)", lambda p, e: int(p.shares * 0.95)),
    ("Lifetime Post Stories by action type - comment", "Lifetime: The number of stories created about your Page post, by action type. (Total Count)", lambda p, e: p.comments),
    ("Lifetime Post Stories by action type - like", "Lifetime: The number of stories created about your Page post, by action type. (Total Count)", lambda p, e: p.likes),
    ("Lifetime Post Stories by action type - share", "Lifetime: The number of stories created about your Page post, by action type. (Total Count)", lambda p, e: p.shares),
    ("Lifetime Post Consumers by type", "Lifetime: The number of people who clicked anywhere in your post, by type. (Unique Users) - link clicks", lambda p, e: int(p.clicks * 0.9)),
    ("Lifetime Post Consumers by type", "Lifetime: The number of people who clicked anywhere in your post, by type. (Unique Users) - other clicks", lambda p, e: int(e["other"] * 0.8)),
    ("Lifetime Post Consumptions by type - link clicks", "Lifetime: The number of clicks anywhere in your post, by type. (Total Count)", lambda p, e: p.clicks),
    ("Lifetime Post Consumptions by type - other clicks", "Lifetime: The number of clicks anywhere in your post, by type. (Total Count)", lambda p, e: e["other"]),
    ("Lifetime Post Consumptions by type - photo view", "Lifetime: The number of clicks anywhere in your post, by type. (Total Count)", lambda p, e: e["photo"]),
    ("Lifetime Negative Feedback from Users by type", "Lifetime: The number of people who have given negative feedback to your post, by type. (Unique Users) - hide_clicks", lambda p, e: e["hide"]),
    ("Lifetime Negative Feedback from Users by type", "Lifetime: The number of people who have given negative feedback to your post, by type. (Unique Users) - hide_all_clicks", lambda p, e: e["hide_all"]),
]  # fmt: skip


def write_fb_legacy_posts(path: Path, posts: pd.DataFrame, *, page_id: str, rng: np.random.Generator) -> None:
    """The post-level export: a description row under the header, newest post first."""
    rows = []
    for p in posts.sort_values("published_at", ascending=False).itertuples():
        other = int(rng.poisson(p.reach * 0.012))
        photo = int(rng.poisson(p.reach * 0.01)) if p.post_type == "Photo" else 0
        extra = {
            "url": f"https://www.facebook.com/{p.post_id.replace('_', '/posts/')}",
            "imp_org": int(p.impressions * p.reach_organic / p.reach) if p.reach else 0,
            "other": other,
            "photo": photo,
            "consumers": int((p.clicks + other + photo) * 0.8),
            "hide": int(rng.poisson(p.reach * 0.0005)),
            "hide_all": int(rng.poisson(p.reach * 0.0001)),
        }
        rows.append([fn(p, extra) for _, _, fn in FB_POST_COLUMNS])
    header = [h for h, _, _ in FB_POST_COLUMNS]
    descriptions = [d for _, d, _ in FB_POST_COLUMNS]
    write_csv(path, header, [descriptions, *rows])


FB_PAGE_COLUMNS = [
    ("Lifetime Total Likes", "Lifetime: The total number of people who have liked your Page. (Unique Users)"),
    ("Daily New Likes", "Daily: The number of new people who have liked your Page. (Unique Users)"),
    ("Daily Unlikes", "Daily: The number of Unlikes of your Page (Total Count)"),
    ("Daily Page Engaged Users", "Daily: The number of people who engaged with your Page. (Unique Users)"),
    ("Weekly Page Engaged Users", "Weekly: The number of people who engaged with your Page. (Unique Users)"),
    ("28 Days Page Engaged Users", "28 Days: The number of people who engaged with your Page. (Unique Users)"),
    ("Daily Like Sources - On Your Page", "Daily: The number of people who liked your Page while on your Page. (Unique Users)"),
    ("Daily Total Reach", "Daily: The number of people who had any content from your Page or about your Page enter their screen. (Unique Users)"),
    ("Weekly Total Reach", "Weekly: The number of people who had any content from your Page enter their screen. (Unique Users)"),
    ("28 Days Total Reach", "28 Days: The number of people who had any content from your Page enter their screen. (Unique Users)"),
    ("Daily Organic Reach", "Daily: The number of people who saw your posts through unpaid distribution. (Unique Users)"),
    ("Daily Paid Reach", "Daily: The number of people who saw your posts through paid distribution. (Unique Users)"),
    ("Daily Viral Reach", "Daily: The number of people who saw your Page or one of its posts from a story shared by a friend. (Unique Users)"),
    ("Daily Total Impressions", "Daily: The number of impressions seen of any content associated with your Page. (Total Count)"),
    ("Weekly Total Impressions", "Weekly: The number of impressions seen of any content associated with your Page. (Total Count)"),
    ("Daily Organic impressions", "Daily: The number of times your posts were seen through unpaid distribution. (Total Count)"),
    ("Daily Paid Impressions", "Daily: The number of times your posts were seen through paid distribution. (Total Count)"),
    ("Daily Viral impressions", "Daily: The number of impressions of a story published by a friend about your Page. (Total Count)"),
    ("Daily Logged-in Page Views", "Daily: Page views from users logged into Facebook. (Total Count)"),
    ("Daily Total Consumers", "Daily: The number of people who clicked on any of your content. (Unique Users)"),
    ("Daily Page Consumptions", "Daily: The number of clicks on any of your content. (Total Count)"),
    ("Daily Negative Feedback", "Daily: The number of times people have given negative feedback to your Page. (Total Count)"),
]  # fmt: skip


def fb_page_rows(posts: pd.DataFrame, aud: pd.DataFrame, rng: np.random.Generator) -> list[list[int]]:
    """Daily page-level metrics (without the date) for every day of :data:`DAYS`."""
    days = day_index(posts.published_at)
    s = {c: spread_daily(days, posts[c].to_numpy()) for c in ("reach_organic", "reach_paid", "reach_viral",
                                                              "impressions", "engaged_users", "clicks")}  # fmt: skip
    base = aud.followers.to_numpy() * 0.02  # page reach without posts (profile visits, search)
    org = (s["reach_organic"] * 0.7 + base).round().astype(int)
    paid = (s["reach_paid"] * 0.8).round().astype(int)
    viral = (s["reach_viral"] * 0.8).round().astype(int)
    reach = org + paid
    imp = (s["impressions"] * 0.8 + base * 1.3).round().astype(int)
    imp_paid = np.minimum((paid * 1.4).round().astype(int), imp)
    engaged = (s["engaged_users"] * 0.85).round().astype(int)

    def weekly(a: np.ndarray, w: int) -> np.ndarray:
        """People over ``w`` days: at least the day's count, less than the sum."""
        rolled = pd.Series(a).rolling(w, min_periods=1).sum().mul(0.8).round().astype(int).to_numpy()
        return np.maximum(rolled, a)

    consumers = (s["clicks"] * 1.4).round().astype(int)
    out = []
    for i in range(N_DAYS):
        out.append(
            [aud.followers[i], aud.new_followers[i], aud.lost_followers[i], engaged[i], weekly(engaged, 7)[i],
             weekly(engaged, 28)[i], int(aud.new_followers[i] * 0.4), reach[i], weekly(reach, 7)[i],
             weekly(reach, 28)[i], org[i], paid[i], viral[i], imp[i], weekly(imp, 7)[i], imp[i] - imp_paid[i],
             imp_paid[i], int(viral[i] * 1.2), aud.page_views[i], consumers[i], int(consumers[i] * 1.3),
             int(rng.poisson(3))]
        )  # fmt: skip
    return out


def write_fb_legacy_page(
    path: Path, dates: pd.DatetimeIndex, rows: Rows, *, date_fmt: Callable[[pd.Timestamp], str]
) -> None:
    """The page-level export of ``dates`` (``rows``: :func:`fb_page_rows`, one per day of the period),
    with a description row under the header."""
    header = ["Date", *(h for h, _ in FB_PAGE_COLUMNS)]
    descriptions = ["", *(d for _, d in FB_PAGE_COLUMNS)]
    data = [[date_fmt(d), *rows[DAYS.get_loc(d)]] for d in dates]
    write_csv(path, header, [descriptions, *data])
