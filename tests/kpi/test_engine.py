"""The KPI engine on a small hand-made client: every key of metrics.md, by hand.

The client "coffee" (Europe/Moscow), period 2026-10-01..2026-10-28 (28 days),
previous period 2026-09-03..2026-09-30:

posts (local publish time; per post: impressions, reach, likes, comments, shares, clicks)
  vk  p1 10-02 10:00   1000  800  10 2 1  5   complaints 1   engagements 13
  vk  p2 10-05 12:00    500  800   5 1 0  2   complaints 0   engagements 6
  vk  p0 09-10 12:00    400  200   4 0 0  1   (previous period)
  ig  p3 10-03 09:00   2000 1500  40 5 -  -   saves 7        engagements 45 (shares unknown on instagram)
  x   p4 10-03 23:30 UTC = 10-04 02:30 local, 300 - 3 1 2 4                  engagements 6
  x   p5 09-30 21:30 UTC = 10-01 00:30 local,   0 - 1 0 0 0                  engagements 1
audience: vk daily 09-01..10-31, followers 1000 + day index (09-30: 1029, 10-01: 1030,
  10-02: 1031, 10-05: 1034, 10-28: 1057), new 3/day, lost 2/day, unique visitors 10/day;
  instagram followers only: 09-01 5000, 10-01 5100, 10-20 5300; x: none.
ads: vk 10-03 spend 1500, impr 10000, clicks 100, leads 3; vk 09-15 spend 500 (previous);
  ig 10-10 spend 600, impr 2500, clicks 50, leads unknown.
inbox (questions): vk 10-02 answered after 2 h, 10-03 after 8 h, 10-04 unanswered,
  10-04 a non-question; ig 10-05 after 6 h; vk 09-10 after 10 h (previous).
web (daily): 10-02 vk.com (vk) users 10 new 5 sessions 12 engaged 6 time 600 s views 30
  conv 1 leads 1; 10-02 google (not social) 100 50 120 90 6000 300 4 2;
  10-03 instagram 8 2 8 8 80 8 0 0.
mentions: 10-02 "coffee point" vk positive; 10-02 "Brew Bros" vk negative (competitor);
  10-04 " cp " telegram negative (alias); 10-06 "Latte Land" vk (ignored); 09-20 own vk (previous).
client.yaml: monthly_cost 31000, cost_overrides 2026-09: 30000, targets er 3.5, cpl 400.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pytest

from smmkit.catalogue import KPI_KEYS
from smmkit.cli.text import kpis_text as render
from smmkit.config import ClientConfig
from smmkit.errors import UsageError
from smmkit.io import schema
from smmkit.io.client import Client
from smmkit.kpi.engine import KPIReport, block_networks, kpis
from smmkit.kpi.periods import Period
from smmkit.kpi.result import load_schema

TZ = "Europe/Moscow"
EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
START, END = "2026-10-01", "2026-10-28"
NAN = float("nan")


def local(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz=TZ)


def table(name: str, rows: list[dict], tz: str = TZ) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for col, kind in schema.COLUMNS[name].items():  # all-null float columns: see the report
        if kind == "float64" and col not in frame.columns:
            frame[col] = np.nan
    return schema.conform(frame, name, tz=tz)


def post(network, post_id, when, impressions, reach, likes, comments, shares, clicks, **extra):
    return dict(
        network=network, post_id=post_id, published_at=when, impressions=impressions, reach=reach,
        likes=likes, comments=comments, shares=shares, clicks=clicks, url=f"https://{network}/{post_id}", **extra,
    )  # fmt: skip


def make_client(**overrides) -> Client:
    posts = [
        post("vk", "p1", local("2026-10-02 10:00"), 1000, 800, 10, 2, 1, 5, complaints=1),
        post("vk", "p2", local("2026-10-05 12:00"), 500, 800, 5, 1, 0, 2, complaints=0),
        post("vk", "p0", local("2026-09-10 12:00"), 400, 200, 4, 0, 0, 1, complaints=0),
        post("instagram", "p3", local("2026-10-03 09:00"), 2000, 1500, 40, 5, None, None, saves=7),
        post("x", "p4", pd.Timestamp("2026-10-03 23:30", tz="UTC"), 300, None, 3, 1, 2, 4),
        post("x", "p5", pd.Timestamp("2026-09-30 21:30", tz="UTC"), 0, None, 1, 0, 0, 0),
    ]
    days = pd.date_range("2026-09-01", "2026-10-31")
    audience = [
        dict(network="vk", date=d, followers=1000 + i, new_followers=3, lost_followers=2, unique_visitors=10)
        for i, d in enumerate(days)
    ] + [
        dict(network="instagram", date=pd.Timestamp(d), followers=f)
        for d, f in (("2026-09-01", 5000), ("2026-10-01", 5100), ("2026-10-20", 5300))
    ]
    ads = [
        dict(
            date=pd.Timestamp("2026-10-03"),
            network="vk",
            spend=1500.0,
            impressions=10000,
            clicks=100,
            leads=3,
        ),
        dict(
            date=pd.Timestamp("2026-09-15"), network="vk", spend=500.0, impressions=4000, clicks=20, leads=1
        ),
        dict(date=pd.Timestamp("2026-10-10"), network="instagram", spend=600.0, impressions=2500, clicks=50),
    ]

    def msg(net, mid, received, hours, question=True):
        reply = None if hours is None else local(received) + pd.Timedelta(hours=hours)
        return dict(
            network=net,
            message_id=mid,
            received_at=local(received),
            is_question=question,
            first_reply_at=reply,
        )

    inbox = [
        msg("vk", "q1", "2026-10-02 10:00", 2),
        msg("vk", "q2", "2026-10-03 10:00", 8),
        msg("vk", "q3", "2026-10-04 10:00", None),
        msg("vk", "m4", "2026-10-04 11:00", 1, question=False),
        msg("instagram", "q5", "2026-10-05 09:00", 6),
        msg("vk", "q0", "2026-09-10 10:00", 10),
    ]
    web_cols = ["date", "source", "network", "users", "new_users", "sessions", "engaged_sessions",
                "engagement_time_s", "views", "conversions", "leads"]  # fmt: skip
    web = [
        dict(zip(web_cols, r, strict=True))
        for r in (
            ("2026-10-02", "vk.com", "vk", 10, 5, 12, 6, 600.0, 30, 1.0, 1.0),
            ("2026-10-02", "google", None, 100, 50, 120, 90, 6000.0, 300, 4.0, 2.0),
            ("2026-10-03", "instagram.com", "instagram", 8, 2, 8, 8, 80.0, 8, 0.0, 0.0),
        )
    ]
    for row in web:
        row["date_start"] = row["date_end"] = pd.Timestamp(row.pop("date"))
    mentions = [
        dict(
            published_at=local("2026-10-02 10:00"),
            brand="coffee point",
            network="vk",
            sentiment="positive",
            author="a",
        ),
        dict(
            published_at=local("2026-10-02 11:00"),
            brand="Brew Bros",
            network="vk",
            sentiment="negative",
            author="b",
        ),
        dict(
            published_at=local("2026-10-04 11:00"),
            brand=" cp ",
            network="telegram",
            sentiment="negative",
            author="c",
        ),
        dict(
            published_at=local("2026-10-06 11:00"),
            brand="Latte Land",
            network="vk",
            sentiment="neutral",
            author="d",
        ),
        dict(
            published_at=local("2026-09-20 11:00"),
            brand="Coffee Point",
            network="vk",
            sentiment="neutral",
            author="e",
        ),
    ]
    config = ClientConfig(
        slug="coffee", name="Coffee Point", timezone=TZ, currency="RUB", monthly_cost=31000.0,
        cost_overrides={"2026-09": 30000.0}, aliases=("CP",), competitors=("Brew Bros",),
        targets={"er": 3.5, "cpl": 400.0},
    )  # fmt: skip
    tables = dict(posts=posts, audience=audience, ads=ads, inbox=inbox, web=web, mentions=mentions)
    tables.update(overrides)
    frames = {name: table(name, rows) if isinstance(rows, list) else rows for name, rows in tables.items()}
    return Client(config=config, **frames)


@pytest.fixture(scope="module")
def report() -> KPIReport:
    return kpis(make_client(), start=START, end=END)


# (key, total, vk, instagram, x): literals computed by hand from the module doc.
EXPECTED = [
    ("followers_start", 6029.0, 1029.0, 5000.0, NAN),  # on 09-30: vk 1029, ig 5000 (09-01 value); x none
    ("followers_end", 6357.0, 1057.0, 5300.0, NAN),  # on 10-28: 1057 + 5300
    ("new_followers", 84.0, 84.0, NAN, NAN),  # 3 x 28 days
    ("lost_followers", 56.0, 56.0, NAN, NAN),  # 2 x 28
    ("net_follower_growth", 328.0, 28.0, 300.0, NAN),  # vk 84 - 56; ig 5300 - 5000; total 28 + 300
    ("follower_growth_rate", 5.440371537568419, 2.7210884353741496, 6.0, NAN),  # 328/6029; 28/1029; 300/5000
    ("unique_visitors", 280.0, 280.0, NAN, NAN),  # 10 x 28
    (
        "cost_per_follower",
        358.3333333333333,
        17.857142857142858,
        NAN,
        NAN,
    ),  # 30100/84; 1500/84; ig new unknown
    ("posts", 5.0, 2.0, 1.0, 2.0),  # x: p4 (10-04 local) and p5 (10-01 local)
    ("posts_per_week", 1.25, 0.5, 0.25, 0.5),  # 5/28*7; 2/28*7; 1/28*7
    ("impressions", 3800.0, 1500.0, 2000.0, 300.0),  # 1000+500; 2000; 300+0
    ("reach", 3100.0, 1600.0, 1500.0, NAN),  # 800+800; 1500; x exports no reach
    ("reach_organic", NAN, NAN, NAN, NAN),
    ("reach_paid", NAN, NAN, NAN, NAN),
    ("reach_viral", NAN, NAN, NAN, NAN),
    ("reach_per_post", 1033.3333333333333, 800.0, 1500.0, NAN),  # (1600+1500)/(2+1); 1600/2
    (
        "reach_rate",
        16.255046929893556,
        75.68590350047305,
        28.30188679245283,
        NAN,
    ),  # 3100/3/6357; 800/1057; 1500/5300
    ("video_views", NAN, NAN, NAN, NAN),
    ("likes", 59.0, 15.0, 40.0, 4.0),  # 10+5; 40; 3+1
    ("comments", 9.0, 3.0, 5.0, 1.0),
    ("shares", 3.0, 1.0, NAN, 2.0),  # instagram exports no shares
    ("saves", 7.0, NAN, 7.0, NAN),
    ("clicks", 11.0, 7.0, NAN, 4.0),
    ("engagements", 71.0, 19.0, 45.0, 7.0),  # 15+3+1; 40+5+(unknown=0); 4+1+2
    (
        "love_rate",
        0.8651879817523989,
        1.4191106906338695,
        0.7547169811320755,
        NAN,
    ),  # (15+40)/6357; 15/1057; 40/5300
    (
        "talk_rate",
        0.12584552461853074,
        0.28382213812677387,
        0.09433962264150944,
        NAN,
    ),  # (3+5)/6357; 3/1057; 5/5300
    ("amplification_rate", 75.0, 50.0, NAN, 100.0),  # (1+2)/(2+2); 1/2; 2/2
    ("er", 1.006764196948246, 1.7975402081362346, 0.8490566037735849, NAN),  # (19+45)/6357; 19/1057; 45/5300
    ("err", 2.064516129032258, 1.1875, 3.0, NAN),  # (19+45)/3100; 19/1600; 45/1500
    # er_day: vk (13/1031 + 6/1034)/28; ig 45/5100/28; total (13/(1031+5100) + 45/(1032+5100) + 6/(1034+5100))/28
    ("er_day", 0.03727527960044717, 0.0657565189005435, 0.031512605042016806, NAN),
    # er_post: vk mean(13/1031, 6/1034); ig 45/5100; total mean of the three (x: followers unknown)
    ("er_post", 0.9078451567972294, 0.920591264607609, 0.8823529411764706, NAN),
    ("er_view", 1.6875, 1.25, 2.25, 2.0),  # mean(13/1000, 6/500, 45/2000, 6/300); p5 (0 impressions) left out
    ("engagements_per_post", 14.2, 9.5, 45.0, 3.5),  # 71/5; 19/2; 45/1; 7/2
    (
        "engagements_per_follower",
        0.003355880656494153,
        0.008987701040681173,
        0.008490566037735849,
        NAN,
    ),  # 64/3/6357
    ("clicks_per_post", 2.75, 3.5, NAN, 2.0),  # (7+4)/(2+2)
    (
        "ctr",
        0.6111111111111112,
        0.4666666666666667,
        NAN,
        1.3333333333333333,
    ),  # (7+4)/(1500+300); 7/1500; 4/300
    ("er_unique", NAN, NAN, NAN, NAN),
    ("questions", 4.0, 3.0, 1.0, NAN),
    ("answered", 3.0, 2.0, 1.0, NAN),
    ("response_rate", 75.0, 66.66666666666667, 100.0, NAN),  # 3/4; 2/3; 1/1
    ("avg_response_time_h", 5.333333333333333, 5.0, 6.0, NAN),  # (2+8+6)/3; (2+8)/2; 6
    ("median_response_time_h", 6.0, 5.0, 6.0, NAN),  # median(2, 6, 8); median(2, 8)
    ("response_time_change", 87.5, 100.0, NAN, NAN),  # (10/(16/3) - 1); (10/5 - 1); ig had none before
    ("complaints", 1.0, 1.0, NAN, NAN),  # vk 1 + 0
    ("social_sessions", 20.0, 12.0, 8.0, NAN),
    ("social_new_users_pct", 38.88888888888889, 50.0, 25.0, NAN),  # (5+2)/(10+8); 5/10; 2/8
    ("social_bounce_rate", 30.0, 50.0, 0.0, NAN),  # 100 - (6+8)/20; 100 - 6/12; 100 - 8/8
    ("social_pages_per_session", 1.9, 2.5, 1.0, NAN),  # (30+8)/20; 30/12; 8/8
    ("social_avg_session_s", 34.0, 50.0, 10.0, NAN),  # (600+80)/20; 600/12; 80/8
    (
        "site_new_users_pct",
        48.30508474576271,
        48.30508474576271,
        48.30508474576271,
        48.30508474576271,
    ),  # 57/118
    (
        "site_bounce_rate",
        25.714285714285708,
        25.714285714285708,
        25.714285714285708,
        25.714285714285708,
    ),  # 100-104/140
    (
        "site_pages_per_session",
        2.414285714285714,
        2.414285714285714,
        2.414285714285714,
        2.414285714285714,
    ),  # 338/140
    (
        "site_avg_session_s",
        47.714285714285715,
        47.714285714285715,
        47.714285714285715,
        47.714285714285715,
    ),  # 6680/140
    ("conversions", 1.0, 1.0, 0.0, NAN),  # social rows only: the google row's 4 is not social
    ("conversion_rate", 5.0, 8.333333333333334, 0.0, NAN),  # 1/20; 1/12; 0/8
    ("ad_spend", 2100.0, 1500.0, 600.0, NAN),
    ("ad_impressions", 12500.0, 10000.0, 2500.0, NAN),
    ("ad_clicks", 150.0, 100.0, 50.0, NAN),
    ("ad_leads", 3.0, 3.0, NAN, NAN),  # instagram ads export no leads
    ("ad_ctr", 1.2, 1.0, 2.0, NAN),  # 150/12500; 100/10000; 50/2500
    ("total_cost", 30100.0, 1500.0, 600.0, NAN),  # 2100 + 28 days x 31000/31; a network's = its ad spend
    ("leads", 4.0, 4.0, 0.0, NAN),  # vk 3 ad + 1 web; ig unknown ad leads (0) + 0 web
    ("cpc", 186.95652173913044, 14.018691588785046, 12.0, NAN),  # 30100/(107+50+4); 1500/(7+100); 600/50
    ("cpl", 7525.0, 375.0, NAN, NAN),  # 30100/4; 1500/4; ig 600/0 -> null
    # total counts the telegram alias mention too; instagram and x have no mention anywhere: unknown
    ("mentions", 2.0, 1.0, NAN, NAN),
    ("mentions_positive", 1.0, 1.0, NAN, NAN),
    ("mentions_negative", 1.0, 0.0, NAN, NAN),  # the competitor's negative mention is not ours
    ("share_of_voice", 66.66666666666666, 50.0, NAN, NAN),  # 2/(2+1); 1/(1+1); 0/0 -> null
]


def test_expected_table_covers_every_key():
    assert [row[0] for row in EXPECTED] == list(KPI_KEYS)


@pytest.mark.parametrize(("key", "total", "vk", "instagram", "x"), EXPECTED, ids=[r[0] for r in EXPECTED])
def test_every_kpi_by_hand(report, key, total, vk, instagram, x):
    got = [report.total[key], *(report.networks.loc[n, key] for n in ("vk", "instagram", "x"))]
    assert got == pytest.approx([total, vk, instagram, x], rel=1e-12, nan_ok=True)


def test_networks_are_the_ones_with_data_in_schema_order(report):
    # telegram has mentions only: no block; order follows schema.NETWORKS.
    assert list(report.networks.index) == ["instagram", "x", "vk"]
    assert list(report.networks.columns) == list(KPI_KEYS)
    assert list(report.total.index) == list(KPI_KEYS)


def test_previous_period_and_change(report):
    assert report.previous_period == Period(
        pd.Timestamp("2026-09-03").date(), pd.Timestamp("2026-09-30").date()
    )
    prev = report.previous
    assert prev.networks.loc["vk", "posts"] == 1.0  # p0 on 09-10
    assert prev.networks.loc["vk", "followers_start"] == 1001.0  # 09-02: 1000 + 1
    assert prev.total["total_cost"] == 28500.0  # 500 ad spend + 28 days x 30000/30 (override)
    # coverage: x's posts begin with p5 on 10-01 local (not 09-30) and x has no audience export:
    # September lies before its exports, so its posts are unknown there, not 0. Instagram's posts
    # are in October too, but its audience export holds September: a September without posts
    assert math.isnan(prev.networks.loc["x", "posts"])
    assert prev.networks.loc["instagram", "posts"] == 0
    assert math.isnan(prev.networks.loc["instagram", "reach_per_post"])  # a rate over 0 posts
    # change = (current / previous - 1) x 100, but null when a source it reads covers the previous
    # period less than fully (metrics.md, coverage): vk's ads begin 09-15, so 09-03..09-30 is half
    # covered for them (before release 3: (30100 / 28500 - 1) x 100); vk's posts are events covering
    # the days of its audience export (09-01..10-31): +100 % (2 posts against 1), +275 % (1500/400)
    assert report.change.networks.loc["vk", "posts"] == pytest.approx(100.0)
    assert report.change.networks.loc["vk", "impressions"] == pytest.approx(275.0)
    assert math.isnan(report.change.total["total_cost"])
    # a change whose sources cover both periods: vk's audience runs 09-01..10-31
    vk_now, vk_before = report.networks.loc["vk"], prev.networks.loc["vk"]
    assert report.change.networks.loc["vk", "followers_end"] == pytest.approx(
        (vk_now["followers_end"] / vk_before["followers_end"] - 1) * 100
    )
    assert vk_before["followers_end"] == 1029.0  # 09-30 (09-02: 1000 + 1)
    assert math.isnan(report.change.networks.loc["instagram", "posts"])  # previous 0 -> null
    assert math.isnan(report.change.networks.loc["x", "reach"])  # unknown -> null


def test_rates_are_recomputed_from_sums_not_averaged(report):
    networks = report.networks
    average_of_rates = networks[["ctr"]].dropna().mean().iloc[0]  # (7/1500 + 4/300)/2 x 100 = 0.9
    assert average_of_rates == pytest.approx(0.9)
    assert report.total["ctr"] == pytest.approx(11 / 1800 * 100)


def test_post_at_2330_utc_lands_on_next_moscow_day():
    client = make_client()
    on_4th = kpis(client, start="2026-10-04", end="2026-10-04")
    assert on_4th.networks.loc["x", "posts"] == 1.0  # p4: 2026-10-03 23:30 UTC = 10-04 02:30 MSK
    on_3rd = kpis(client, start="2026-10-03", end="2026-10-03")
    assert on_3rd.networks.loc["x", "posts"] == 0.0


def _shuffled(client: Client, seed: int) -> Client:
    rng = np.random.default_rng(seed)
    frames = {}
    for name in ("posts", "audience", "ads", "inbox", "mentions", "web"):
        frame = getattr(client, name)
        frames[name] = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    return Client(config=client.config, **frames)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_totals_invariant_under_row_order(report, seed):
    other = kpis(_shuffled(make_client(), seed), start=START, end=END)
    pd.testing.assert_series_equal(other.total, report.total, rtol=1e-12)
    pd.testing.assert_frame_equal(other.networks, report.networks, rtol=1e-12)


def test_totals_invariant_under_splitting_an_export_in_two(report):
    client = make_client()
    parts = {}
    for name in ("posts", "audience", "inbox", "web"):
        frame = getattr(client, name)
        half = len(frame) // 2
        first, second = frame.iloc[:half].assign(_file="a.csv"), frame.iloc[half:].assign(_file="b.csv")
        parts[name] = pd.concat([second, first], ignore_index=True)  # the second file loaded first
    other = kpis(make_client(**parts), start=START, end=END)
    pd.testing.assert_series_equal(other.total, report.total, rtol=1e-12)
    pd.testing.assert_frame_equal(other.networks, report.networks, rtol=1e-12)


# Canonical exports on disk (data-contract.md, "Kit-defined"): through load_client, not hand-built tables.
SPLIT_POSTS_HEADER = (
    "network,post_id,published_at,post_type,text,url,impressions,reach,likes,comments,shares,clicks"
)
SPLIT_POSTS = [
    "vk,a0,2026-09-15 10:00,photo,Autumn menu,https://vk.com/wall-1_0,900,700,9,1,0,3",  # previous period
    "vk,a1,2026-10-02 10:00,photo,New season,https://vk.com/wall-1_1,1000,800,10,2,1,5",
    "telegram,t1,2026-10-05 09:00,text,Open late,https://t.me/acme/1,300,,,,4,",
    "vk,a2,2026-10-09 12:00,video,Latte art,https://vk.com/wall-1_2,600,500,6,0,2,1",  # in both files
    "ok,o1,2026-10-12 18:00,photo,Pumpkin latte,https://ok.ru/acme/1,400,350,20,3,0,2",
    "telegram,t2,2026-09-20 09:00,text,Hello,https://t.me/acme/2,200,,,,1,",  # previous period
]
SPLIT_AUDIENCE = """\
network,date,followers,new_followers,lost_followers
vk,2026-09-02,980,2,1
vk,2026-09-30,1000,3,1
vk,2026-10-28,1040,4,2
ok,2026-09-30,500,,
ok,2026-10-28,510,,
"""


def _split_client(root: Path, posts_files: dict[str, list[str]]) -> Path:
    (root / "exports").mkdir(parents=True)
    (root / "client.yaml").write_text("name: Acme\ntimezone: Europe/Moscow\n", encoding="utf-8")
    (root / "exports" / "audience.csv").write_text(SPLIT_AUDIENCE, encoding="utf-8")
    for name, rows in posts_files.items():
        (root / "exports" / name).write_text("\n".join([SPLIT_POSTS_HEADER, *rows]) + "\n", encoding="utf-8")
    return root


def test_kpi_json_unchanged_when_the_posts_export_is_split_in_two_overlapping_files(tmp_path):
    from smmkit.io.loading import load_client

    one = _split_client(tmp_path / "one", {"posts.csv": SPLIT_POSTS})
    # a0, a1, t1, a2 in the first file; a2 (identical), o1, t2 in the second: a2 is in both
    two = _split_client(tmp_path / "two", {"posts-1.csv": SPLIT_POSTS[:4], "posts-2.csv": SPLIT_POSTS[3:]})
    whole = json.loads(kpis(load_client(one), window="28d", end="2026-10-28").to_json())
    split = json.loads(kpis(load_client(two), window="28d", end="2026-10-28").to_json())

    assert whole["period"] == {"start": "2026-10-01", "end": "2026-10-28", "days": 28}
    # by hand, period 10-01..10-28: posts a1, t1, a2, o1 -> 4 (a2 once); impressions 1000 + 300 + 600 + 400
    # = 2300; vk engagements (10 + 2 + 1) + (6 + 0 + 2) = 21; telegram: shares only -> 4
    for data in (whole, split):
        assert data["total"]["posts"] == 4
        assert data["total"]["impressions"] == 2300
        assert data["networks"]["vk"]["posts"] == 2
        assert data["networks"]["vk"]["engagements"] == 21
        assert data["networks"]["telegram"]["engagements"] == 4
    assert split["total"] == whole["total"]
    assert split["networks"] == whole["networks"]


def test_a_period_after_every_export_is_null_not_zero():
    # 2026-12-01..07: after every export (audience ends 10-31). metrics.md's coverage rule (release 3):
    # unknown, never 0 and never the follower count of 10-31 carried forward (it was 0 / 1060 before).
    r = kpis(make_client(), start="2026-12-01", end="2026-12-07")
    vk = r.networks.loc["vk"]
    for key in ("posts", "likes", "questions", "followers_start", "followers_end", "new_followers",
                "net_follower_growth", "follower_growth_rate", "er", "er_day", "reach_per_post", "ad_spend",
                "social_sessions", "mentions"):  # fmt: skip
        assert math.isnan(vk[key]), key
    assert r.networks.isna().all().all()
    # the fixed costs are known (client.yaml), the ad spend is not: the sum rule keeps the known term
    assert r.total["total_cost"] == pytest.approx(7000.0)  # 7 days x 31000/31
    assert math.isnan(r.total["cpc"]) and math.isnan(r.total["site_bounce_rate"])


def _stages(report: KPIReport, scope: str) -> pd.DataFrame:
    return report.funnel.loc[report.funnel["scope"] == scope].set_index("stage")


def test_funnel_has_organic_and_paid_rows_leading_into_the_web_stages(report):
    """metrics.md, report conventions: organic (post impressions -> engagements -> post link clicks)
    and paid (ad impressions -> ad clicks) are separate rows, both leading into sessions -> conversions."""
    vk = _stages(report, "vk")
    assert list(vk.index) == ["impressions", "engagements", "clicks", "ad_impressions", "ad_clicks", "sessions",
                              "conversions"]  # fmt: skip
    assert vk["path"].tolist() == ["organic"] * 3 + ["paid"] * 2 + ["web"] * 2
    # p1 + p2: 1000 + 500 impressions, 13 + 6 engagements, 5 + 2 link clicks; ads 10-03; web vk.com 10-02
    assert vk["value"].tolist() == [1500.0, 19.0, 7.0, 10000.0, 100.0, 12.0, 1.0]
    # the input of sessions is the clicks of both paths: 7 link clicks + 100 ad clicks
    assert math.isnan(vk.loc["impressions", "input"]) and math.isnan(vk.loc["ad_impressions", "input"])
    assert (vk.loc["engagements", "input"], vk.loc["clicks", "input"], vk.loc["ad_clicks", "input"]) == (
        1500.0, 19.0, 10000.0)  # fmt: skip
    assert (vk.loc["sessions", "input"], vk.loc["conversions", "input"]) == (107.0, 12.0)
    # the first stage of a path: no rate from a previous stage, 100 % of its own top
    for stage in ("impressions", "ad_impressions"):
        assert math.isnan(vk.loc[stage, "rate_prev"]) and vk.loc[stage, "rate_top"] == 100.0
    assert vk.loc["engagements", "rate_prev"] == pytest.approx(19 / 1500 * 100)  # 1.27 %
    # 36.8 %: link clicks only, no ad clicks
    assert vk.loc["clicks", "rate_prev"] == pytest.approx(7 / 19 * 100)
    assert vk.loc["clicks", "rate_top"] == pytest.approx(7 / 1500 * 100)
    assert vk.loc["ad_clicks", "rate_prev"] == pytest.approx(1.0)  # 100 / 10000
    assert vk.loc["ad_clicks", "rate_top"] == pytest.approx(1.0)
    assert vk.loc["sessions", "rate_prev"] == pytest.approx(12 / 107 * 100)  # 11.2 %
    assert vk.loc["sessions", "rate_top"] == 100.0  # the top of the web path
    assert vk.loc["conversions", "rate_prev"] == pytest.approx(1 / 12 * 100)
    assert vk.loc["conversions", "rate_top"] == pytest.approx(1 / 12 * 100)
    assert not vk["flagged"].any()


def test_funnel_total_and_unknown_stages(report):
    total = _stages(report, "total")
    # clicks: vk 7 + x 4 (p4 4 + p5 0; instagram exports no link clicks); ads 10000 + 2500, 100 + 50
    assert total["value"].tolist() == [3800.0, 71.0, 11.0, 12500.0, 150.0, 20.0, 1.0]
    assert total.loc["clicks", "rate_prev"] == pytest.approx(11 / 71 * 100)  # was 161 / 71 = 226.8 % mixed
    assert total.loc["sessions", "input"] == 161.0 and total.loc["sessions", "rate_prev"] == pytest.approx(
        20 / 161 * 100)  # fmt: skip
    assert total.loc["conversions", "rate_prev"] == pytest.approx(5.0)  # 1 / 20
    ig = _stages(report, "instagram")
    # unknown link clicks: no value, no rate; sessions from the 50 ad clicks alone (the catalogue's sum rule)
    assert math.isnan(ig.loc["clicks", "value"]) and math.isnan(ig.loc["clicks", "rate_prev"])
    assert math.isnan(ig.loc["clicks", "rate_top"])
    assert ig.loc["sessions", "input"] == 50.0 and ig.loc["sessions", "rate_prev"] == pytest.approx(16.0)
    # 0 conversions of 8 sessions: a rate of 0 %, from a stage that is not 0
    assert ig.loc["conversions", "value"] == 0.0 and ig.loc["conversions", "rate_prev"] == 0.0
    x = _stages(report, "x")  # no ads, no web source of x: unknown, no rate
    assert x[["value", "rate_prev", "rate_top"]].loc[["ad_impressions", "ad_clicks"]].isna().all().all()


def test_funnel_no_rate_from_a_zero_stage_and_above_100_flagged_not_clipped():
    zero_posts = [post("vk", "z1", local("2026-10-02 10:00"), 0, 0, 0, 0, 0, 0)]
    r = kpis(make_client(posts=zero_posts, ads=[]), start=START, end=END)
    vk = _stages(r, "vk")
    assert vk["value"].loc[["impressions", "engagements", "clicks"]].tolist() == [0.0, 0.0, 0.0]
    # a stage whose input is 0 shows no rate, nor does a path whose top is 0
    assert vk[["rate_prev", "rate_top"]].loc[["impressions", "engagements", "clicks"]].isna().all().all()
    # 12 sessions from 0 clicks: no rate (not infinity, not 100 %)
    assert vk.loc["sessions", "value"] == 12.0 and math.isnan(vk.loc["sessions", "rate_prev"])
    assert not vk["flagged"].any()

    few_clicks = [post("vk", "c1", local("2026-10-02 10:00"), 100, 80, 3, 1, 0, 4)]
    vk = _stages(kpis(make_client(posts=few_clicks, ads=[]), start=START, end=END), "vk")
    assert vk.loc["sessions", "input"] == 4.0  # untagged links: 12 sessions from 4 link clicks
    assert vk.loc["sessions", "rate_prev"] == pytest.approx(300.0) and bool(vk.loc["sessions", "flagged"])
    assert vk.loc["clicks", "rate_prev"] == pytest.approx(100.0) and not bool(vk.loc["clicks", "flagged"])


def test_top_posts_by_reach_with_ties(report):
    top = report.top_posts
    # p3 1500; p1 and p2 tie at 800: more engagements (13 > 6) first; x posts have no reach.
    assert top["post_id"].tolist() == ["p3", "p1", "p2"]
    assert top.loc[1, "er_post"] == pytest.approx(13 / 1031 * 100)
    d = report.to_dict()["top_posts"][0]
    assert d["published_at"] == "2026-10-03T09:00:00+03:00" and d["reach"] == 1500


def test_top_posts_without_reach_rank_by_impressions_then_by_engagements():
    """metrics.md, "How the report shows them": no post with a known reach (X, LinkedIn) -> the top posts
    by impressions; without impressions either, by engagements."""
    by_impressions = kpis(make_client(posts=[
        post("x", "a", local("2026-10-02 10:00"), 300, None, 3, 1, 2, 4),  # 6 engagements
        post("x", "b", local("2026-10-03 10:00"), 900, None, 1, 0, 0, 0),
        post("x", "c", local("2026-10-04 10:00"), 300, None, 9, 1, 1, 0),  # ties with a: 11 > 6 first
    ]), start=START, end=END)  # fmt: skip
    top = by_impressions.top_posts
    assert top["post_id"].tolist() == ["b", "c", "a"] and top["impressions"].tolist() == [900, 300, 300]
    assert [p["reach"] for p in by_impressions.to_dict()["top_posts"]] == [None, None, None]
    by_engagements = kpis(make_client(posts=[
        post("linkedin", "d", local("2026-10-02 10:00"), None, None, 3, 1, 0, 4),  # 4
        post("linkedin", "e", local("2026-10-03 10:00"), None, None, 5, 2, 1, 0),  # 8
    ]), start=START, end=END)  # fmt: skip
    assert by_engagements.top_posts["post_id"].tolist() == ["e", "d"]


def test_targets_attainment(report):
    t = report.targets.set_index("key")
    assert t.loc["er", "attainment"] == pytest.approx(1.006764196948246 / 3.5 * 100)
    assert t.loc["cpl", "attainment"] == pytest.approx(400 / 7525 * 100)  # lower is better: target / actual


def test_no_web_data_leaves_web_kpis_null():
    r = kpis(make_client(web=table("web", [])), start=START, end=END)
    assert r.total[["social_sessions", "site_bounce_rate", "conversions"]].isna().all()
    assert r.networks["social_sessions"].isna().all()
    assert r.total["leads"] == 3.0  # ad leads only


def test_straddling_web_range_without_daily_rows_is_null_with_a_note():
    row = dict(date_start=pd.Timestamp("2026-09-15"), date_end=pd.Timestamp("2026-10-14"), source="vk.com",
               network="vk", users=10, new_users=5, sessions=12, engaged_sessions=6)  # fmt: skip
    r = kpis(make_client(web=table("web", [row])), start=START, end=END)
    assert math.isnan(r.total["social_sessions"]) and math.isnan(r.networks.loc["vk", "social_sessions"])
    assert any("straddles" in n for n in r.notes)
    inside = kpis(make_client(web=table("web", [row])), start="2026-09-15", end="2026-10-14")
    assert inside.networks.loc["vk", "social_sessions"] == 12.0


def test_straddling_web_range_is_null_even_beside_daily_rows():
    # data-contract.md, GA4: a date-less table whose range is not inside the period -> web KPIs null,
    # "instead of guessing", whatever other files hold.
    base = make_client()
    straddle = dict(date_start=pd.Timestamp("2026-09-15"), date_end=pd.Timestamp("2026-10-14"),
                    source="t.me", network="telegram", users=10, new_users=5, sessions=12)  # fmt: skip
    web = pd.concat([base.web, table("web", [straddle])], ignore_index=True)
    r = kpis(make_client(web=web), start=START, end=END)
    assert r.networks[["social_sessions", "site_bounce_rate", "conversions"]].isna().all().all()
    assert math.isnan(r.total["social_sessions"]) and math.isnan(r.total["site_pages_per_session"])
    assert r.total["leads"] == 3.0  # vk's 3 ad leads; the web part is unknown
    outside = kpis(make_client(web=web), start="2026-10-15", end="2026-10-28")
    # after every web row (the straddling table's range included): unknown by the coverage rule
    assert math.isnan(outside.networks.loc["vk", "social_sessions"])


def test_er_post_and_er_day_unknown_when_followers_are_unknown_on_a_day():
    # instagram followers known from 10-04 only (5100): its post of 10-03 has no followers, its post of
    # 10-10 has -> er_post null (a mean over *every* post), and 10-01..10-03 have none -> er_day null.
    base = make_client()
    ig = (base.audience["network"] == "instagram").to_numpy()
    # (a second row on 10-28: the audience exports cover 10-04..10-28, so 10-10 holds 5100 by the
    # last-known rule; a post after the audience exports end would have no followers: coverage)
    late = table(
        "audience",
        [
            dict(network="instagram", date=pd.Timestamp(d), followers=5100)
            for d in ("2026-10-04", "2026-10-28")
        ],
    )
    extra = table("posts", [post("instagram", "p6", local("2026-10-10 09:00"), 900, 600, 20, 4, None, None)])
    client = make_client(
        audience=pd.concat([base.audience.loc[~ig], late], ignore_index=True),
        posts=pd.concat([base.posts, extra], ignore_index=True),
    )
    r = kpis(client, start=START, end=END)
    ig_row = r.networks.loc["instagram"]
    assert math.isnan(ig_row["er_post"]) and math.isnan(ig_row["er_day"])
    assert r.top_posts.set_index("post_id").loc["p6", "er_post"] == pytest.approx(24 / 5100 * 100)
    # total: only vk has every input known. vk posts: p1 10-02 13 engagements / 1031 followers,
    # p2 10-05 6 / 1034 (followers on 10-d = 1029 + d); instagram's p6 is left out of both means.
    assert r.total["er_post"] == pytest.approx((13 / 1031 + 6 / 1034) / 2 * 100, rel=1e-12)
    assert r.total["er_day"] == pytest.approx((13 / 1031 + 6 / 1034) / 28 * 100, rel=1e-12)


def test_no_mentions_data_gives_null_mentions():
    r = kpis(make_client(mentions=table("mentions", [])), start=START, end=END)
    assert r.networks["mentions"].isna().all() and math.isnan(r.total["mentions"])


def test_kpis_period_arguments():
    client = make_client()
    assert kpis(client, window="28d", end=END).period == kpis(client, start=START, end=END).period
    assert kpis(client, month="2026-10").period.days == 31
    # metrics.md: a calendar month compares with the calendar month before it (30 days of September)
    assert str(kpis(client, month="2026-10").previous_period) == "2026-09-01..2026-09-30"
    assert str(kpis(client, start="2026-10-01", end="2026-10-31").previous_period) == "2026-09-01..2026-09-30"
    with pytest.raises(UsageError, match="needs `end`"):
        kpis(client, window="28d")
    with pytest.raises(UsageError, match="not both"):
        kpis(client, Period(pd.Timestamp(START).date(), pd.Timestamp(END).date()), start=START)


def test_block_networks_include_other_from_web():
    web = table("web", [dict(date_start=pd.Timestamp("2026-10-02"), date_end=pd.Timestamp("2026-10-02"),
                             source="foo", network="other", sessions=3)])  # fmt: skip
    assert block_networks(make_client(web=web)) == ["instagram", "x", "vk", "other"]


# --------------------------------------------------------------------------- output
def test_json_matches_schema_and_contract(report):
    data = json.loads(render(report, "json"))
    jsonschema.validate(data, load_schema())
    assert data["client"] == "coffee"
    assert data["period"] == {"start": START, "end": END, "days": 28}
    assert data["previous_period"] == {"start": "2026-09-03", "end": "2026-09-30", "days": 28}
    for block in (
        data["total"],
        *data["networks"].values(),
        data["previous"]["total"],
        data["change"]["total"],
    ):
        assert list(block) == list(KPI_KEYS)
    assert data["networks"]["x"]["reach"] is None and data["total"]["posts"] == 5
    assert data["funnel"]["networks"]["vk"][2] == {
        "path": "organic", "stage": "clicks", "value": 7, "input": 19, "rate_prev": 7 / 19 * 100,
        "rate_top": 7 / 1500 * 100, "flagged": False,
    }  # fmt: skip
    assert data["funnel"]["total"][5] == {
        "path": "web", "stage": "sessions", "value": 20, "input": 161, "rate_prev": 20 / 161 * 100,
        "rate_top": 100, "flagged": False,
    }  # fmt: skip
    stages = [s["stage"] for s in data["funnel"]["total"]]
    assert [s["stage"] for s in data["funnel"]["networks"]["x"]] == stages
    assert "NaN" not in render(report, "json") and "Infinity" not in render(report, "json")


def test_schema_lists_every_kpi_key():
    assert load_schema()["$defs"]["kpis"]["required"] == list(KPI_KEYS)


def _csv_rows(report) -> dict[tuple[str, str], dict[str, str]]:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert len(rows) == 4 * len(KPI_KEYS)  # total, instagram, x, vk: every key
    return {(r["network"], r["key"]): r for r in rows}


def test_csv_is_a_tidy_table_rounded_as_the_report_shows_it(report):
    from smmkit.cli.text import CSV_COLUMNS

    assert render(report, "csv").splitlines()[0] == ",".join(CSV_COLUMNS)
    assert CSV_COLUMNS == ("client", "period_start", "period_end", "network", "key", "label", "value",
                           "previous", "change", "unit")  # fmt: skip
    rows = _csv_rows(report)
    assert list(dict.fromkeys(n for n, _ in rows)) == ["total", "instagram", "x", "vk"]
    posts = rows["total", "posts"]
    assert (posts["client"], posts["period_start"], posts["period_end"]) == ("coffee", START, END)
    assert (posts["label"], posts["value"], posts["unit"]) == ("Posts", "5", "count")
    # rounded as the pages print them: 11/1800 x 100 = 0.6111 %, 328/6029 x 100 = 5.4404 %
    assert (rows["total", "ctr"]["value"], rows["total", "ctr"]["unit"]) == ("0.61", "percent")
    assert rows["total", "follower_growth_rate"]["value"] == "5.4"
    assert rows["total", "avg_response_time_h"]["value"] == "5.3"  # (2+8+6)/3 h
    assert rows["total", "er_unique"]["value"] == ""  # unknown
    # money in the client's currency, whole above 1,000; no change: the previous period's ads are not covered
    assert rows["total", "total_cost"]["value"] == "30100" and rows["total", "total_cost"]["unit"] == "RUB"
    assert rows["total", "total_cost"]["change"] == ""
    # counts change relatively: vk posts 2 against 1, impressions 1500 against 400
    assert (rows["vk", "posts"]["previous"], rows["vk", "posts"]["change"]) == ("1", "100.0")
    assert (rows["vk", "impressions"]["previous"], rows["vk", "impressions"]["change"]) == ("400", "275.0")
    # a percent KPI changes in percentage points: vk ER 19/1057 = 1.80 % against 4/1029 = 0.39 %
    er = rows["vk", "er"]
    assert (er["value"], er["previous"], er["change"]) == ("1.8", "0.39", "1.4")  # 1.7975 - 0.3887 = 1.4088
    # a KPI that is itself a change has none of its own
    assert rows["total", "response_time_change"]["value"] == "87.5"
    assert rows["total", "response_time_change"]["change"] == ""
    assert rows["instagram", "posts"]["change"] == ""  # previous 0: the report says "new"


def test_csv_labels_follow_the_language(report):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(render(report, "csv", lang="ru"))))
    assert next(r for r in rows if r["key"] == "posts")["label"] == "Публикации"
    assert (
        next(r for r in rows if r["key"] == "ctr")["value"] == "0.61"
    )  # the CSV's numbers are not localised


def test_table_shows_labels_and_values_as_the_report_formats_them(report):
    text = render(report, "table")
    lines = text.splitlines()
    row = next(line for line in lines if line.startswith("Total cost "))
    assert " total_cost " in row and " 30,100\u00a0RUB " in row
    # a percent KPI's change in percentage points: 3 of 4 questions answered against 1 of 1 (vk 09-10)
    response = next(line for line in lines if " response_rate " in line).split()
    assert response[:6] == ["Response", "rate", "response_rate", "75.0%", "-25.0", "pp"]
    # hours change relatively: (2+8+6)/3 = 5.33 h against 10 h
    assert "avg_response_time_h 5.3 h -46.7%" in " ".join(
        next(ln for ln in lines if " avg_response_time_h " in ln).split()
    )
    assert "response_time_change 87.5% - " in " ".join(
        next(ln for ln in lines if " response_time_change " in ln).split()
    )
    widths = {len(line) for line in lines[1:] if line and not line.startswith("note")}
    assert len(widths) <= 2  # columns are padded (the header rule line has the same width)


def test_render_rejects_unknown_format(report):
    with pytest.raises(UsageError, match="json, csv, table; got 'xml'"):
        render(report, "xml")


DEMO = sorted(Path(__file__).resolve().parents[2].joinpath("data", "clients").glob("*/client.yaml"))


@pytest.mark.skipif(not DEMO, reason="no demo clients in data/clients yet")
@pytest.mark.parametrize("config", DEMO, ids=[p.parent.name for p in DEMO])
def test_demo_clients_validate_against_schema(config):
    from smmkit.io.loading import load_client

    client = load_client(config.parent)
    last = client.audience["date"].max() if len(client.audience) else pd.Timestamp("2026-10-28")
    data = json.loads(render(kpis(client, window="28d", end=last.date()), "json"))
    jsonschema.validate(data, load_schema())


def test_a_client_with_web_data_and_no_network_gets_the_site_kpis_in_total(tmp_path):
    """metrics.md: the site_* KPIs hold "also for a client with web data and no network"."""
    client_dir = tmp_path / "web-only"
    (client_dir / "exports").mkdir(parents=True)
    (client_dir / "client.yaml").write_text("name: Web Only\n", encoding="utf-8")
    (client_dir / "exports" / "ga4.csv").write_text(
        "# Start date: 20261001\n# End date: 20261002\n"
        "Session source / medium,Date,Users,New users,Sessions,Engaged sessions,"
        "Average engagement time per session,Views,Key events\n"
        "google / organic,20261001,120,80,150,90,45.5,400,3\n"
        "(direct) / (none),20261002,40,10,50,10,10,100,0\n",
        encoding="utf-8",
    )
    from smmkit.io.loading import load_client

    report = kpis(load_client(client_dir), start="2026-10-01", end="2026-10-02")
    assert list(report.networks.index) == []
    total = report.total
    assert total["site_bounce_rate"] == pytest.approx(100 - 100 / 200 * 100)  # 50.0
    assert total["site_avg_session_s"] == pytest.approx((150 * 45.5 + 50 * 10) / 200)  # 36.625
    assert total["site_pages_per_session"] == pytest.approx(500 / 200)
    assert total["site_new_users_pct"] == pytest.approx(90 / 160 * 100)
    assert math.isnan(total["social_sessions"])


def test_an_ad_export_without_day_counts_inside_the_period_and_is_null_when_it_straddles(tmp_path):
    """data-contract.md, Meta Ads Manager: without Day a row covers Reporting starts..ends (GA4 rule)."""
    import shutil

    from smmkit.io.loading import load_client

    client_dir = tmp_path / "ads-only"
    (client_dir / "exports").mkdir(parents=True)
    (client_dir / "client.yaml").write_text(
        "name: Ads\ncurrency: INR\nmonthly_cost: 3100\n", encoding="utf-8"
    )
    shutil.copy(EXPORTS / "meta_ads_inr.csv", client_dir / "exports")
    client = load_client(client_dir)  # Diwali, 2026-10-01..2026-10-31: 12,500.00 INR, 900 clicks, 30 leads

    month = kpis(client, start="2026-10-01", end="2026-10-31").total
    assert month["ad_spend"] == 12_500.0 and month["ad_clicks"] == 900 and month["ad_leads"] == 30
    assert month["total_cost"] == 12_500.0 + 3_100.0  # October: 31 days x 3100/31
    assert month["cpl"] == pytest.approx(15_600.0 / 30)

    after = kpis(client, start="2026-11-01", end="2026-11-30").total  # after the file's reporting range
    assert math.isnan(after["ad_spend"])  # coverage: unknown, not 0

    week = kpis(client, start="2026-10-05", end="2026-10-11")  # straddled: null, never a seventh
    for key in ("ad_spend", "ad_clicks", "ad_leads", "total_cost", "cpl", "cpc"):
        assert math.isnan(week.total[key]), key
        assert math.isnan(week.networks.loc["facebook", key]), key
    assert any("straddles 2026-10-05..2026-10-11" in n and "facebook" in n for n in week.notes)
