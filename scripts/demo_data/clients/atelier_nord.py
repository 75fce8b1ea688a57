"""Atelier Nord: a Berlin fashion label (EUR, English) on Instagram, Facebook, TikTok and YouTube."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..scenario import Bought, Campaign, Client, Contest, NetSpec, post_types, stream
from ..simulation import ByNetwork, Source, ga4_rows, simulate, simulate_inbox, simulate_mentions
from ..writers.ads import ADS_HEADER, ads_rows
from ..writers.base import write_csv
from ..writers.canonical import (
    AUDIENCE_HEADER,
    FULL_AUDIENCE,
    INBOX_HEADER,
    MENTIONS_HEADER,
    POSTS_HEADER,
    canonical_audience_rows,
    canonical_post_rows,
)
from ..writers.google import write_ga4
from ..writers.meta import write_meta_facebook, write_meta_instagram
from ..writers.tiktok import write_tiktok_followers, write_tiktok_overview
from ..writers.youtube import write_youtube

EN_FASHION_TEXTS = (
    "The AW26 wool coat, in three colours: camel, ink and forest.",
    'Our "Nord" knit is back in stock, sizes XS to XL.',
    "Made in Porto, finished in Berlin.\nMeet the people behind our denim.",
    "Free shipping on orders over €120 this weekend, EU only.",
    "Style note: a linen shirt under a merino cardigan, for cool mornings.",
    "Care guide: wash wool cold, dry flat, store folded (never on a hanger).",
    "New drop Friday, 10:00 CET. Set a reminder!",
    "Behind the scenes of the autumn shoot, Copenhagen, 6 a.m.",
    "Repair service: send us your worn Atelier Nord pieces, we'll mend them for free.",
    "Sale: up to 40% off summer linen, while sizes last.",
    "Grüße aus Berlin — Привет из Берлина! Our Mitte store turns one.",
    'Customer review: "the best trousers I own", says Lena from Hamburg.',
)

# fmt: off
CLIENT = Client(
    slug="atelier-nord",
    seed=303,
    yaml="""\
name: Atelier Nord
timezone: Europe/Berlin
currency: EUR
language: en
monthly_cost: 4500
aliases: ["AtelierNord"]
competitors: ["Maison Verte"]
targets: {er: 40, share_of_voice: 30}
brand: {color: "#c2410c", logo: logo.png}
analyst: "Jamie Lee"
""",
    color="#c2410c",
    tz="Europe/Berlin",
    weekday=(0.9, 0.9, 0.95, 1.0, 1.1, 1.2, 1.15),
    nets=(
        NetSpec("instagram", 42000, 0.0016, 0.0010, (5, 9), 0.22, 0.045, 0.04, 0.03, 0.08, 0.0,
                post_types(("IG image", 0.4, 1.0, False), ("IG reel", 0.4, 1.8, True),
                       ("IG carousel", 0.2, 1.2, False))),
        NetSpec("facebook", 15000, 0.0009, 0.0007, (3, 6), 0.09, 0.02, 0.08, 0.10, 0.0, 0.012,
                post_types(("Photos", 0.55, 1.0, False), ("Reels", 0.2, 1.5, True), ("Links", 0.2, 0.9, False),
                       ("Text", 0.05, 0.7, False))),
        NetSpec("tiktok", 23000, 0.0025, 0.0014, (3, 7), 0.45, 0.07, 0.02, 0.04, 0.05, 0.0,
                post_types(("video", 1.0, 1.0, True),), hours=(10, 22)),
        NetSpec("youtube", 3800, 0.0012, 0.0004, (3, 4), 0.6, 0.04, 0.05, 0.02, 0.0, 0.0,
                post_types(("Video", 0.4, 1.0, True), ("Short", 0.6, 1.6, True)), hours=(11, 19)),
    ),
    texts=EN_FASHION_TEXTS,
    emoji=(" 🧥", " ✨", " 🌿", " 🤍"),
    contest_text="GIVEAWAY 🎁 Win the AW26 wool coat: follow @ateliernord, like, and tag a friend. Ends Sunday.",
    ad_text="Sponsored: the AW26 collection is here. Sign up for early access and 10% off.",
    contests=(Contest("tiktok", "2026-08-28"), Contest("instagram", "2026-10-08")),
    bought=(Bought("instagram", "2026-08-12", 2500),),
    campaigns=(
        Campaign("instagram", "AW26 Lead Ads", "2026-10-05", "2026-10-25", daily_spend=95.0, cpm=6.5,
                 ctr=0.011, cvr=0.08, boost_posts=True),
        Campaign("facebook", "AW26 Lead Ads", "2026-10-05", "2026-10-25", daily_spend=55.0, cpm=5.0,
                 ctr=0.009, cvr=0.07, boost_posts=True),
    ),
    crisis="2026-10-21",
    crisis_networks=("instagram", "facebook"),
    xss_img="instagram",
    xss_script="facebook",
    notes=(
        "TikTok followers are in `audience.csv` for every day and in both `FollowerHistory.csv` files for "
        "their ranges, with the same values (duplicates that agree).",
        "YouTube `Table data.csv` holds lifetime totals per video; the first row is `Total`.",
    ),
)
# fmt: on

SOURCES = [
    Source("l.instagram.com / referral", "Organic Social", 25, network="instagram", conv=0.015, engaged=0.5),
    Source("instagram / paid", "Paid Social", 0, paid="instagram", conv=0.02, engaged=0.45),
    Source("ig / social", "Organic Social", 4, conv=0.012, engaged=0.5),
    Source("m.facebook.com / referral", "Organic Social", 8, network="facebook", conv=0.012, engaged=0.45),
    Source("facebook / paid", "Paid Social", 0, paid="facebook", conv=0.02, engaged=0.45),
    Source("tiktok.com / referral", "Organic Social", 6, network="tiktok", conv=0.008, engaged=0.4),
    Source("youtube.com / referral", "Organic Video", 3, network="youtube", conv=0.012, engaged=0.6),
    Source("google / organic", "Organic Search", 120, conv=0.02, engaged=0.65),
    Source("(direct) / (none)", "Direct", 70, conv=0.025, engaged=0.7),
    Source("newsletter / email", "Email", 12, conv=0.04, engaged=0.75),
    Source("google / cpc", "Paid Search", 30, conv=0.025, engaged=0.6),
]

#: The analyst's notes by month (notes/<YYYY-MM>.md): what the numbers alone do not say.
NOTES = {
    "2026-10": """\
**October: the autumn collection launch.** Instagram carried the reach growth (the launch reels);
the giveaway of Oct 11 brought followers who left within days, so the next contest will require a comment.

- Share of voice well above target after the press coverage.
- Campaign brief: [link](https://example.com/atelier-nord/brief-october)
"""
}

IG_ORDER = ["Post ID", "Account ID", "Account username", "Account name", "Description", "Duration (sec)",
            "Publish time", "Permalink", "Post type", "Data comment", "Date", "Views", "Reach", "Likes", "Shares",
            "Follows", "Comments", "Saves"]  # fmt: skip


def write_meta(ex: Path, posts: ByNetwork, rng: np.random.Generator) -> dict[str, str]:
    """The Meta Business Suite content exports of Instagram and Facebook."""
    write_meta_instagram(ex / "meta" / "Jul-01-2025_Oct-31-2026_2213.csv", posts["instagram"], order=IG_ORDER,
                         ctx={"account_id": "17841400098765432", "username": "ateliernord",
                              "name": "Atelier Nord"})  # fmt: skip
    write_meta_facebook(ex / "meta" / "Jul-01-2025_Oct-31-2026_2214.csv", posts["facebook"],
                        page_id="100064812345678", page_name="Atelier Nord", rng=rng)  # fmt: skip
    return {
        "exports/meta/Jul-01-2025_Oct-31-2026_2213.csv": "Meta Business Suite content export, Instagram",
        "exports/meta/Jul-01-2025_Oct-31-2026_2214.csv": "Meta Business Suite content export, Facebook",
    }


def write_tiktok(ex: Path, aud: ByNetwork, posts: ByNetwork) -> dict[str, str]:
    """TikTok Studio files (two follower histories, one crossing New Year; the overview) and the posts."""
    folder = ex / "tiktok"
    write_tiktok_followers(folder / "FollowerHistory.csv", aud["tiktok"], "2026-09-02", "2026-10-31")
    write_tiktok_followers(
        folder / "2026-01-20" / "FollowerHistory.csv", aud["tiktok"], "2025-11-15", "2026-01-20"
    )
    write_tiktok_overview(folder / "Overview.csv", posts["tiktok"], aud["tiktok"], "2026-09-02", "2026-10-31")
    tt_keep = ["impressions", "reach", "likes", "comments", "shares", "saves", "video_views"]
    tt = posts["tiktok"].assign(video_views=lambda f: f.impressions)  # TikTok "views" are plays
    write_csv(folder / "tiktok_posts.csv", POSTS_HEADER,
              canonical_post_rows("tiktok", tt, url=lambda pid: f"https://www.tiktok.com/@ateliernord/video/{pid}",
                                  keep=tt_keep))  # fmt: skip
    return {
        "exports/tiktok/FollowerHistory.csv": "TikTok Studio FollowerHistory.csv (2026-09-02..2026-10-31, no year)",
        "exports/tiktok/2026-01-20/FollowerHistory.csv": (
            "TikTok Studio FollowerHistory.csv (2025-11-15..2026-01-20, no year, crosses New Year)"
        ),
        "exports/tiktok/Overview.csv": "TikTok Studio Overview.csv (2026-09-02..2026-10-31, no year)",
        "exports/tiktok/tiktok_posts.csv": "smmkit canonical posts, UTF-8 (TikTok videos)",
    }  # fmt: skip


def write_community(ex: Path, client: Client) -> dict[str, str]:
    """Inbox (times always with their offset: Berlin has DST) and mentions."""
    inbox = simulate_inbox(client, ["instagram", "facebook", "tiktok"], offsets="always")
    write_csv(ex / "inbox.csv", INBOX_HEADER, inbox)
    mentions = simulate_mentions(client, own=["Atelier Nord", "AtelierNord"], competitors=["Maison Verte"],
                                 unrelated=["Zara", "COS"],
                                 networks=["instagram", "instagram", "facebook", "tiktok", "youtube", "web", "news"],
                                 lang="en")  # fmt: skip
    write_csv(ex / "mentions.csv", MENTIONS_HEADER, mentions)
    return {
        "exports/inbox.csv": "smmkit canonical inbox, UTF-8 (times with `+01:00`/`+02:00`)",
        "exports/mentions.csv": "smmkit canonical mentions, UTF-8 (Zara/COS rows: unrelated, ignored)",
    }


def build(client: Client, out: Path) -> dict[str, str]:
    """Write the client's exports under ``out/exports``; return their README descriptions by path."""
    aud, posts, ads = simulate(client)
    ex = out / "exports"
    rng = stream(client, "writers")  # one stream, drawn by the writers in this order
    files = write_meta(ex, posts, rng)
    rows = []
    for net in ("instagram", "facebook", "tiktok", "youtube"):
        rows += canonical_audience_rows(net, aud[net], keep=FULL_AUDIENCE)
    write_csv(ex / "audience.csv", AUDIENCE_HEADER, rows)
    files["exports/audience.csv"] = "smmkit canonical audience, UTF-8 (instagram, facebook, tiktok, youtube)"
    files |= write_tiktok(ex, aud, posts)
    write_youtube(ex / "youtube" / "Table data.csv", posts["youtube"], rng)
    files["exports/youtube/Table data.csv"] = "YouTube Studio content `Table data.csv` (`Total` row first)"
    write_csv(ex / "ads.csv", ADS_HEADER, ads_rows(ads))
    files["exports/ads.csv"] = "smmkit canonical ads (Instagram + Facebook lead ads)"
    files |= write_community(ex, client)
    write_ga4(ex / "ga4_traffic_acquisition.csv", ga4_rows(client, SOURCES, posts, ads, revenue_per_event=140),
              account="Atelier Nord", prop="ateliernord.de - GA4")  # fmt: skip
    files["exports/ga4_traffic_acquisition.csv"] = "GA4 traffic acquisition CSV (daily, source / medium)"
    return files
