"""LinkedIn page exports (XLSX, a disclaimer row above the header): content, followers, visitors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from ..scenario import Campaign
from ..timeline import DAYS, day_index, spread_daily
from .base import save_xlsx, sheet_with_disclaimer

LI_DISCLAIMER = (
    "All posts: Data for the most recent 365 days. Metrics are updated daily and may take up to 48 hours "
    "to reflect recent activity."
)
#: The daily metrics of the content export's ``Metrics`` sheet: post column -> header name.
METRIC_NAMES = {
    "impressions": "Impressions",
    "clicks": "Clicks",
    "likes": "Reactions",
    "comments": "Comments",
}
ACTIONS = ("clicks", "likes", "comments", "shares")


def excel_serial(d: pd.Timestamp) -> int:
    """The day as an Excel serial number (days since 1899-12-30)."""
    return (d.normalize() - pd.Timestamp("1899-12-30")).days


def metrics_sheet(
    wb: Workbook, posts: pd.DataFrame, *, share: str, day: Callable[[pd.Timestamp], object]
) -> None:
    """The ``Metrics`` sheet: organic, sponsored and total numbers of each day the posts span."""
    days = day_index(posts.published_at)
    organic = ~posts.paid.to_numpy()
    metric_cols = {}
    for col in ("impressions", "clicks", "likes", "comments", "shares"):
        values = posts[col].to_numpy()
        metric_cols[col] = (
            spread_daily(days, np.where(organic, values, 0)),
            spread_daily(days, np.where(organic, 0, values)),
        )
    names = {**METRIC_NAMES, "shares": share}
    header = ["Date"]
    for col in names:
        header += [f"{names[col]} (organic)", f"{names[col]} (sponsored)", f"{names[col]} (total)"]
    header += ["Engagement rate (organic)", "Engagement rate (sponsored)", "Engagement rate (total)"]
    first, last = posts.published_at.min().normalize(), posts.published_at.max().normalize()
    metric_rows = []
    for i in range(DAYS.get_loc(first), DAYS.get_loc(last) + 1):
        row: list[object] = [day(DAYS[i])]
        parts = {col: (round(o[i]), round(s[i])) for col, (o, s) in metric_cols.items()}
        for col in names:
            o, s = parts[col]
            row += [o, s, o + s]
        rates = []
        for k in (0, 1):
            imp = parts["impressions"][k]
            act = sum(parts[c][k] for c in ACTIONS)
            rates.append(act / imp if imp else 0)
        imp_t = sum(parts["impressions"])
        act_t = sum(sum(parts[c]) for c in ACTIONS)
        metric_rows.append(
            row + [round(rates[0], 6), round(rates[1], 6), round(act_t / imp_t if imp_t else 0, 6)]
        )
    sheet_with_disclaimer(wb, "Metrics", LI_DISCLAIMER.replace("All posts", "Metrics"), header, metric_rows)


def posts_sheet(
    wb: Workbook,
    posts: pd.DataFrame,
    campaign: Campaign | None,
    *,
    share: str,
    day: Callable[[pd.Timestamp], object],
) -> None:
    """The ``All posts`` sheet: one row per post, newest first (sponsored ones name the campaign)."""
    post_header = [
        "Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date", "Campaign start date",
        "Campaign end date", "Audience", "Impressions", "Views (excluding off-site video views)", "Off-site views",
        "Clicks", "Click through rate (CTR)", "Likes", "Comments", share, "Follows", "Engagement rate",
        "Content Type",
    ]  # fmt: skip
    authors = ("Maya Chen", "Daniel Ortiz", "Priya Raman")
    rows = []
    for k, p in enumerate(posts.sort_values("published_at", ascending=False).itertuples()):
        sponsored = bool(p.paid) and campaign is not None
        follows = int(p.reach * 0.002)
        eng = (p.clicks + p.likes + p.comments + p.shares + follows) / p.impressions
        rows.append(
            [p.text, f"https://www.linkedin.com/feed/update/urn:li:activity:{p.post_id}",
             "Sponsored" if sponsored else "Organic", campaign.name if sponsored else "", authors[k % 3],
             day(p.published_at), day(pd.Timestamp(campaign.start)) if sponsored else "",
             day(pd.Timestamp(campaign.end)) if sponsored else "",
             "Sales leaders, US, 200-5000 employees" if sponsored else "All followers", p.impressions,
             p.video_views if p.is_video else "", int(p.video_views * 0.1) if p.is_video else "", p.clicks,
             round(p.clicks / p.impressions, 6), p.likes, p.comments, p.shares, follows, round(eng, 6),
             p.post_type]
        )  # fmt: skip
    sheet_with_disclaimer(wb, "All posts", LI_DISCLAIMER, post_header, rows)


def write_linkedin_content(path: Path, posts: pd.DataFrame, campaign: Campaign | None, *, old: bool) -> None:
    """LinkedIn page content export. ``old``: Excel serial dates and ``Shares`` instead of ``Reposts``."""
    share = "Shares" if old else "Reposts"

    def day(d: pd.Timestamp) -> object:
        """A date as this export writes it."""
        return excel_serial(d) if old else d.strftime("%m/%d/%Y")

    wb = Workbook()
    wb.remove(wb.active)
    metrics_sheet(wb, posts, share=share, day=day)
    posts_sheet(wb, posts, campaign, share=share, day=day)
    save_xlsx(wb, path)


def write_linkedin_followers(
    path: Path, aud: pd.DataFrame, campaign: Campaign | None, rng: np.random.Generator
) -> None:
    """The followers export: daily new followers only (sponsored, organic, auto-invited), no totals."""
    header = ["Date", "Sponsored followers", "Organic followers", "Auto-invited followers", "Total followers"]
    rows = []
    paid_days = set(campaign.days()) if campaign else set()
    for a in aud.itertuples():
        sponsored = int(rng.binomial(a.new_followers, 0.35)) if a.date in paid_days else 0
        invited = int(rng.binomial(a.new_followers - sponsored, 0.08))
        organic = a.new_followers - sponsored - invited
        rows.append([a.date.strftime("%m/%d/%Y"), sponsored, organic, invited, a.new_followers])
    wb = Workbook()
    wb.remove(wb.active)
    disclaimer = (
        "Followers: Data for the selected date range. Totals may differ from your page's follower count."
    )
    sheet_with_disclaimer(wb, "New followers", disclaimer, header, rows)
    save_xlsx(wb, path)


def write_linkedin_visitors(path: Path, aud: pd.DataFrame, rng: np.random.Generator) -> None:
    """The visitors export: daily page views and unique visitors (desktop, mobile, total)."""
    header = [
        "Date", "Overview page views (desktop)", "Overview page views (mobile)", "Overview page views (total)",
        "Overview unique visitors (desktop)", "Overview unique visitors (mobile)",
        "Overview unique visitors (total)", "Total page views (desktop)", "Total page views (mobile)",
        "Total page views (total)", "Total unique visitors (desktop)", "Total unique visitors (mobile)",
        "Total unique visitors (total)",
    ]  # fmt: skip
    rows = []
    for a in aud.itertuples():
        pv_d = int(rng.binomial(a.page_views, 0.64))
        uv_d = int(rng.binomial(a.unique_visitors, 0.6))
        ov_pv = int(a.page_views * 0.55)
        ov_uv = int(a.unique_visitors * 0.7)
        ov_pv_d, ov_uv_d = int(ov_pv * 0.64), int(ov_uv * 0.6)
        rows.append(
            [a.date.strftime("%m/%d/%Y"), ov_pv_d, ov_pv - ov_pv_d, ov_pv, ov_uv_d, ov_uv - ov_uv_d, ov_uv,
             pv_d, a.page_views - pv_d, a.page_views, uv_d, a.unique_visitors - uv_d, a.unique_visitors]
        )  # fmt: skip
    wb = Workbook()
    wb.remove(wb.active)
    sheet_with_disclaimer(wb, "Visitor metrics", "Visitors: Data for the selected date range.", header, rows)
    save_xlsx(wb, path)
