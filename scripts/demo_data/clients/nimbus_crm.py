"""Nimbus CRM: a US B2B software company (USD, English) on LinkedIn, X and Facebook."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..scenario import Bought, Campaign, Client, Contest, NetSpec, post_types, stream
from ..simulation import ByNetwork, Source, ga4_rows, simulate
from ..timeline import DAYS
from ..writers.ads import ADS_HEADER, ads_rows
from ..writers.base import us_date, write_csv
from ..writers.facebook import fb_page_rows, write_fb_legacy_page, write_fb_legacy_posts
from ..writers.google import GA4_OLD_HEADER, append_source_summary, write_ga4
from ..writers.linkedin import write_linkedin_content, write_linkedin_followers, write_linkedin_visitors
from ..writers.x import write_x_content, write_x_legacy, write_x_overview, x_extras

EN_B2B_TEXTS = (
    "Pipeline reviews shouldn't take an hour. Here's how our customers run them in 15 minutes.",
    'New in Nimbus: "Smart follow-ups" remind reps before a deal goes cold.',
    "Webinar on Thursday: forecasting, without the spreadsheets.\nRegister via the link below.",
    "3 metrics every sales leader should track weekly: win rate, cycle length, pipeline coverage.",
    "Customer story: how Acme, Inc. cut onboarding time by 40%.",
    "We're hiring! Senior backend engineers, remote (US/EU).",
    "Release notes, v4.2: faster search, bulk edit, and a new API endpoint for activities.",
    'Our CEO on the "AI SDR" hype: useful, but not magic.',
    "Free template: the 2026 sales-comp plan, in one sheet.",
    "Integrations update: Slack, HubSpot, and Gmail sync now run every 60 seconds.",
    "Q&A recap:\n- pricing per seat\n- SSO on every plan\n- data residency in the EU",
    "Привет, Москва: Nimbus CRM now speaks Russian (interface and support).",
)

# fmt: off
CLIENT = Client(
    slug="nimbus-crm",
    seed=202,
    yaml="""\
name: Nimbus CRM
timezone: America/New_York
currency: USD
language: en
monthly_cost: 6000
competitors: ["PipeFlow", "Dealdesk"]
targets: {leads: 120, ctr: 1.2}
brand: {color: "#0f6cbd", logo: logo.png}
""",
    color="#0f6cbd",
    tz="America/New_York",
    weekday=(1.1, 1.15, 1.1, 1.05, 0.95, 0.4, 0.35),
    nets=(
        NetSpec("linkedin", 12000, 0.0013, 0.0, (3, 6), 0.11, 0.018, 0.10, 0.06, 0.0, 0.008,
                post_types(("Image", 0.4, 1.0, False), ("Video", 0.2, 1.3, True), ("Article", 0.15, 0.8, False),
                       ("Document", 0.15, 1.2, False), ("Text", 0.1, 0.7, False)), hours=(8, 17)),
        NetSpec("x", 8000, 0.0012, 0.0008, (5, 10), 0.09, 0.012, 0.15, 0.25, 0.03, 0.006,
                post_types(("text", 0.5, 1.0, False), ("photo", 0.35, 1.2, False), ("video", 0.15, 1.3, True)),
                hours=(7, 19)),
        NetSpec("facebook", 5200, 0.0010, 0.0006, (3, 5), 0.10, 0.025, 0.10, 0.08, 0.0, 0.01,
                post_types(("Photo", 0.45, 1.0, False), ("Link", 0.35, 0.9, False), ("Video", 0.12, 1.3, True),
                       ("Status", 0.08, 0.7, False)), hours=(8, 18)),
    ),
    texts=EN_B2B_TEXTS,
    emoji=(" 🚀", " 📈", " ✅"),
    contest_text="GIVEAWAY: win a ticket to CRM Summit 2026! Repost + follow, winner announced Friday.",
    ad_text="Sponsored: book a 20-minute Nimbus CRM demo and get a free pipeline audit.",
    contests=(Contest("facebook", "2026-08-20"), Contest("x", "2026-10-06")),
    bought=(Bought("facebook", "2026-09-03", 1500),),
    campaigns=(
        Campaign("x", "X - Demo traffic Q4", "2026-10-01", "2026-10-21", daily_spend=150.0, cpm=7.5,
                 ctr=0.008, cvr=0.02),
        Campaign("linkedin", "LinkedIn Lead Gen - Q4 Demo", "2026-09-21", "2026-10-31", daily_spend=260.0,
                 cpm=38.0, ctr=0.007, cvr=0.1, boost_posts=True),
        Campaign("facebook", "FB boosted posts", "2026-09-21", "2026-10-18", ads=False, boost_posts=True),
    ),
    xss_img="facebook",
    xss_script="linkedin",
    notes=(
        "No mentions or inbox export: share of voice and community KPIs are unknown.",
        "LinkedIn and X export no follower totals (LinkedIn: daily new only; X: new and unfollows).",
        "The GA4 2025 file's second table (by `Session source`, no `Date`) repeats the daily table's totals "
        "for 2025-07-01..2025-12-31: never add both.",
        "FB boosted posts have paid reach but no ad rows (their cost is unknown).",
    ),
)
# fmt: on

SOURCES = [
    Source("lnkd.in / referral", "Organic Social", 6, network="linkedin", conv=0.04, engaged=0.6),
    Source("linkedin.com / referral", "Organic Social", 4, network="linkedin", conv=0.04, engaged=0.6),
    Source("linkedin / paid", "Paid Social", 0, paid="linkedin", conv=0.06, engaged=0.55),
    Source("t.co / referral", "Organic Social", 5, network="x", conv=0.02, engaged=0.45),
    Source("x / paid", "Paid Social", 0, paid="x", conv=0.02, engaged=0.4),
    Source("m.facebook.com / referral", "Organic Social", 3, network="facebook", conv=0.02, engaged=0.45),
    Source("google / organic", "Organic Search", 80, conv=0.03, engaged=0.65),
    Source("bing / organic", "Organic Search", 9, conv=0.03, engaged=0.65),
    Source("(direct) / (none)", "Direct", 55, conv=0.04, engaged=0.7),
    Source("newsletter / email", "Email", 7, conv=0.05, engaged=0.75),
    Source("g2.com / referral", "Referral", 4, conv=0.05, engaged=0.7),
]


def write_linkedin(
    ex: Path, client: Client, aud: ByNetwork, posts: ByNetwork, rng: np.random.Generator
) -> dict[str, str]:
    """Two content exports (older and current format), the followers and the visitors export."""
    li_campaign = next(c for c in client.campaigns if c.network == "linkedin")
    li = posts["linkedin"]
    write_linkedin_content(ex / "linkedin" / "nimbus-crm_content_1719792000000.xlsx",
                           li[li.published_at < "2026-01-01"], li_campaign, old=True)  # fmt: skip
    write_linkedin_content(ex / "linkedin" / "nimbus-crm_content_1793491200000.xlsx",
                           li[li.published_at >= "2026-01-01"], li_campaign, old=False)  # fmt: skip
    write_linkedin_followers(ex / "linkedin" / "nimbus-crm_followers_1793491200000.xlsx", aud["linkedin"],
                             li_campaign, rng)  # fmt: skip
    write_linkedin_visitors(ex / "linkedin" / "nimbus-crm_visitors_1793491200000.xlsx", aud["linkedin"], rng)
    return {
        "exports/linkedin/nimbus-crm_content_1719792000000.xlsx": (
            "LinkedIn page content export, 2025-07..2025-12 (older: Excel serial dates, `Shares`)"
        ),
        "exports/linkedin/nimbus-crm_content_1793491200000.xlsx": (
            "LinkedIn page content export, 2026-01..2026-10 (`MM/DD/YYYY` strings, `Reposts`)"
        ),
        "exports/linkedin/nimbus-crm_followers_1793491200000.xlsx": "LinkedIn followers export (daily new only)",
        "exports/linkedin/nimbus-crm_visitors_1793491200000.xlsx": "LinkedIn visitors export",
    }


def write_x(
    ex: Path, client: Client, aud: ByNetwork, posts: ByNetwork, rng: np.random.Generator
) -> dict[str, str]:
    """2025 in the legacy tweet activity file, 2026 in the 2024+ content file, the whole range overview."""
    x = x_extras(posts["x"], rng)
    write_x_legacy(ex / "x" / "tweet_activity_metrics_nimbuscrm_20250701_20251231_en.csv",
                   x[x.published_at < "2026-01-01"], handle="nimbuscrm", tz=client.tz)  # fmt: skip
    write_x_content(ex / "x" / "account_analytics_content_2026-01-01_2026-10-31.csv",
                    x[x.published_at >= "2026-01-01"], handle="nimbuscrm")  # fmt: skip
    write_x_overview(ex / "x" / "account_overview_analytics.csv", x, aud["x"])
    return {
        "exports/x/tweet_activity_metrics_nimbuscrm_20250701_20251231_en.csv": (
            "X legacy tweet activity (2025-07..2025-12; UTC `+0000`, numbers as `1203.0`)"
        ),
        "exports/x/account_analytics_content_2026-01-01_2026-10-31.csv": (
            "X account analytics content, 2024+ format (2026-01..2026-10, newest first)"
        ),
        "exports/x/account_overview_analytics.csv": "X account overview, 2024+ format (whole range, newest first)",
    }


def write_facebook(ex: Path, aud: ByNetwork, posts: ByNetwork, rng: np.random.Generator) -> dict[str, str]:
    """Page Insights legacy: the post-level file and two page-level files (2025, 2026: other date formats)."""
    folder = ex / "facebook"
    fb = posts["facebook"].assign(post_id=lambda f: "104812345678901_" + f.post_id.str[-15:])
    write_fb_legacy_posts(folder / "Facebook Insights Data Export (Post Level) - Nimbus CRM.csv", fb,
                          page_id="104812345678901", rng=rng)  # fmt: skip
    page_rows = fb_page_rows(fb, aud["facebook"], rng)
    write_fb_legacy_page(folder / "Facebook Insights Data Export - Nimbus CRM - 2025.csv",
                         DAYS[DAYS < "2026-01-01"], page_rows, date_fmt=lambda d: d.strftime("%Y-%m-%d"))  # fmt: skip
    write_fb_legacy_page(folder / "Facebook Insights Data Export - Nimbus CRM - 2026.csv",
                         DAYS[DAYS >= "2026-01-01"], page_rows, date_fmt=lambda d: us_date(d, pad=False))  # fmt: skip
    return {
        "exports/facebook/Facebook Insights Data Export (Post Level) - Nimbus CRM.csv": (
            "Facebook Page Insights legacy, post level (description row 2, repeated column names)"
        ),
        "exports/facebook/Facebook Insights Data Export - Nimbus CRM - 2025.csv": (
            "Facebook Page Insights legacy, page level (2025-07..2025-12, `Date` as `2025-07-01`)"
        ),
        "exports/facebook/Facebook Insights Data Export - Nimbus CRM - 2026.csv": (
            "Facebook Page Insights legacy, page level (2026-01..2026-10, `Date` as `10/1/2026`)"
        ),
    }


def write_web(ex: Path, client: Client, posts: ByNetwork, ads: pd.DataFrame) -> dict[str, str]:
    """GA4: 2025 under the older column names with a second table by source, 2026 under the current ones."""
    rows = ga4_rows(client, SOURCES, posts, ads, revenue_per_event=0)
    old_rows = [r for r in rows if r[0] < "20260101"]
    path = ex / "ga4" / "Traffic_acquisition_Session_source_medium_2025.csv"
    write_ga4(path, old_rows, account="Nimbus CRM", prop="app.nimbuscrm.com - GA4", end=pd.Timestamp("2025-12-31"),
              header=GA4_OLD_HEADER)  # fmt: skip
    append_source_summary(path, old_rows)
    write_ga4(ex / "ga4" / "Traffic_acquisition_Session_source_medium_2026.csv",
              [r for r in rows if r[0] >= "20260101"], account="Nimbus CRM", prop="app.nimbuscrm.com - GA4",
              start=pd.Timestamp("2026-01-01"))  # fmt: skip
    return {
        "exports/ga4/Traffic_acquisition_Session_source_medium_2025.csv": (
            "GA4 CSV, older names (`Session default channel group`, `Conversions`), 2025-07..2025-12; a second "
            "date-less table by `Session source` after a blank line (totals of the same range)"
        ),
        "exports/ga4/Traffic_acquisition_Session_source_medium_2026.csv": "GA4 CSV, current names, 2026-01..2026-10",
    }


def build(client: Client, out: Path) -> dict[str, str]:
    """Write the client's exports under ``out/exports``; return their README descriptions by path."""
    aud, posts, ads = simulate(client)
    ex = out / "exports"
    rng = stream(client, "writers")  # one stream, drawn by the writers in this order
    files = write_linkedin(ex, client, aud, posts, rng)
    files |= write_x(ex, client, aud, posts, rng)
    files |= write_facebook(ex, aud, posts, rng)
    write_csv(ex / "ads.csv", ADS_HEADER, ads_rows(ads))
    files["exports/ads.csv"] = "smmkit canonical ads (LinkedIn lead gen, X campaign)"
    return files | write_web(ex, client, posts, ads)
