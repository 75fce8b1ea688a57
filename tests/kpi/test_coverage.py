"""Coverage (metrics.md, General rules, release 3): a period outside a source's exports is unknown.

Small clients written as canonical CSVs (the make_client fixture), every expected number counted
by hand from the rows below.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import jsonschema
import pytest

import smmkit
from smmkit.kpi.engine import kpis
from smmkit.kpi.result import load_schema

POSTS_HEAD = "network,post_id,published_at,post_type,text,url,impressions,reach,likes,comments,shares\n"
AUDIENCE_HEAD = "network,date,followers,new_followers,lost_followers\n"


def _posts(rows: list[tuple[str, str, str, int, int, int]]) -> str:
    """(network, id, day, reach, likes, comments) -> canonical posts CSV (impressions = 2 x reach, 0 shares)."""
    lines = [
        f"{net},{pid},{day}T10:00:00+00:00,photo,t,https://e/{pid},{2 * reach},{reach},{likes},{comments},0"
        for net, pid, day, reach, likes, comments in rows
    ]
    return POSTS_HEAD + "\n".join(lines) + "\n"


def _audience(net: str, first: str, last: str, start: int, daily_new: int) -> str:
    """One row a day from ``first`` to ``last``: followers grow by ``daily_new`` a day, nobody leaves."""
    d0, d1 = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    lines = []
    for i in range((d1 - d0).days + 1):
        day = d0 + dt.timedelta(days=i)
        lines.append(f"{net},{day.isoformat()},{start + daily_new * (i + 1)},{daily_new},0")
    return AUDIENCE_HEAD + "\n".join(lines) + "\n"


@pytest.fixture
def stale_facebook(make_client):
    """Facebook exports that end on 14 Feb 2016; Instagram exports that run to 31 Oct 2026."""
    return make_client(
        {
            "facebook_posts.csv": _posts(
                [("facebook", "f1", "2016-02-01", 500, 20, 2), ("facebook", "f2", "2016-02-14", 300, 10, 1)]
            ),
            "facebook_audience.csv": _audience("facebook", "2016-02-01", "2016-02-14", 1080, 1),
            "instagram_posts.csv": _posts(
                [
                    ("instagram", "i1", "2026-09-10", 100, 5, 1),
                    ("instagram", "i2", "2026-10-05", 200, 8, 2),
                    ("instagram", "i3", "2026-10-20", 400, 12, 0),
                ]
            ),
            "instagram_audience.csv": _audience("instagram", "2026-09-01", "2026-10-31", 1000, 2),
        }
    )


FACEBOOK_KEYS = ("followers_end", "followers_start", "new_followers", "posts", "reach", "impressions",
                 "engagements", "er", "err", "er_post", "er_day", "posts_per_week")  # fmt: skip


def test_a_stale_facebook_export_gives_null_not_zero_or_old_values(stale_facebook):
    r = kpis(smmkit.load_client(stale_facebook, cache=False), month="2026-10")
    fb = r.networks.loc["facebook"]
    # before coverage: followers_end 1094 carried forward from 2016, posts 0, reach 0, er 0.0
    for key in FACEBOOK_KEYS:
        assert math.isnan(fb[key]), f"facebook {key} = {fb[key]}, expected null (exports end 2016-02-14)"
    ig = r.networks.loc["instagram"]
    assert ig["posts"] == 2 and ig["reach"] == 600 and ig["engagements"] == 22
    assert ig["followers_end"] == 1000 + 2 * 61  # 61 days from Sep 1 to Oct 31
    # total: Instagram alone, never Facebook's 2016 numbers nor a 0 for it
    assert r.total["posts"] == 2 and r.total["reach"] == 600 and r.total["followers_end"] == 1122
    data = r.to_dict()
    fb_cov = data["coverage"]["facebook"]
    assert fb_cov["sources"]["posts"] == {
        "first": "2016-02-01", "last": "2016-02-14", "status": "none", "previous_status": "none"
    }  # fmt: skip
    assert fb_cov["last"] == "2016-02-14"
    assert (
        "posts: exports end 2016-02-14, outside 2026-10-01..2026-10-31: its KPIs are null" in fb_cov["notes"]
    )
    # Instagram's posts are events: they cover the days of its audience export too (1 Sep..31 Oct),
    # so the days after its last post (20 Oct) are quiet days, not unknown ones
    ig_cov = data["coverage"]["instagram"]
    assert ig_cov["sources"]["posts"] == {
        "first": "2026-09-01",
        "last": "2026-10-31",
        "status": "full",
        "previous_status": "full",
    }
    assert ig_cov["notes"] == []
    assert r.change.networks.loc["instagram", "posts"] == pytest.approx((2 / 1 - 1) * 100)  # 2 against 1
    assert r.change.networks.loc["instagram", "new_followers"] == pytest.approx((62 / 60 - 1) * 100)
    jsonschema.validate(json.loads(r.to_json()), load_schema())


def test_posts_after_the_audience_exports_end_have_no_carried_forward_followers(make_client):
    client_dir = make_client(
        {
            "posts.csv": _posts([("facebook", "p1", "2026-10-03", 100, 10, 0)]),
            "audience.csv": _audience("facebook", "2016-01-01", "2016-01-10", 990, 1),
        }
    )
    r = kpis(smmkit.load_client(client_dir, cache=False), month="2026-10")
    fb = r.networks.loc["facebook"]
    assert fb["posts"] == 1 and fb["engagements"] == 10  # the posts cover October
    # er_post once divided by the 1,000 followers of 10 Jan 2016
    assert math.isnan(fb["er_post"]) and math.isnan(fb["followers_end"]) and math.isnan(fb["er"])


def test_a_half_covered_period_keeps_its_values_with_a_note(make_client):
    client_dir = make_client(
        {
            "posts.csv": _posts([("vk", "a", "2026-10-16", 100, 4, 1), ("vk", "b", "2026-10-31", 50, 2, 0)]),
            "audience.csv": _audience("vk", "2026-10-16", "2026-10-31", 500, 3),
        }
    )
    r = kpis(smmkit.load_client(client_dir, cache=False), month="2026-10")
    vk = r.networks.loc["vk"]
    assert vk["posts"] == 2 and vk["reach"] == 150 and vk["engagements"] == 7
    assert vk["new_followers"] == 48 and vk["followers_end"] == 548  # 16 days x 3
    cover = r.to_dict()["coverage"]["vk"]
    assert cover["sources"]["posts"]["status"] == "partial"
    assert (
        "posts: exports cover 2026-10-16..2026-10-31 (16 of the 31 days of 2026-10-01..2026-10-31)"
        in (cover["notes"])
    )
    # September lies wholly before the exports: null, and so is every change
    assert math.isnan(r.previous.networks.loc["vk", "posts"]) and math.isnan(r.change.total["posts"])


def test_a_change_against_a_previous_period_covered_one_day_is_null(make_client):
    rows = [("vk", "s", "2026-09-30", 100, 2, 0)] + [
        ("vk", f"o{i}", f"2026-10-{i:02d}", 80, 1, 0) for i in range(1, 8)
    ]
    client_dir = make_client(
        {"posts.csv": _posts(rows), "audience.csv": _audience("vk", "2026-09-30", "2026-10-31", 700, 1)}
    )
    r = kpis(smmkit.load_client(client_dir, cache=False), month="2026-10")
    assert r.total["posts"] == 7 and r.previous.total["posts"] == 1  # September keeps its one day
    # before coverage: posts +600 % against September's single covered day
    assert math.isnan(r.change.total["posts"]) and math.isnan(r.change.networks.loc["vk", "posts"])
    assert math.isnan(r.change.total["followers_end"]) and math.isnan(r.change.total["er"])
    notes = r.to_dict()["coverage"]["vk"]["notes"]
    assert (
        "previous period: posts: exports cover 2026-09-30..2026-09-30 (1 of the 30 days of "
        "2026-09-01..2026-09-30); the changes that read it are null"
    ) in notes


def test_inside_the_coverage_a_source_with_no_rows_gives_0(make_client):
    rows = [("vk", "a", "2026-10-01", 100, 2, 0), ("vk", "b", "2026-10-31", 100, 2, 0)]
    client_dir = make_client(
        {"posts.csv": _posts(rows), "audience.csv": _audience("vk", "2026-09-01", "2026-10-31", 100, 1)}
    )
    r = kpis(smmkit.load_client(client_dir, cache=False), start="2026-10-10", end="2026-10-16")
    assert r.networks.loc["vk", "posts"] == 0 and r.networks.loc["vk", "reach"] == 0
    assert r.networks.loc["vk", "new_followers"] == 7
    assert r.to_dict()["coverage"]["vk"]["sources"]["posts"]["status"] == "full"
    # the previous week (Oct 3-9) is covered too: its change is 0 -> 0, null by the change rule only
    assert r.previous.networks.loc["vk", "posts"] == 0


def test_the_report_says_what_the_exports_do_not_cover(stale_facebook):
    from smmkit.report.coverage import coverage_lines

    r = kpis(smmkit.load_client(stale_facebook, cache=False), month="2026-10")
    # Instagram's posts stop on 20 Oct but its audience export runs to 31 Oct: quiet days, no line
    assert coverage_lines(r, "en") == ["Facebook: exports end Feb 14, 2016"]
    assert coverage_lines(r, "ru") == ["Facebook: выгрузки заканчиваются 14 февраля 2016"]
    september = kpis(smmkit.load_client(stale_facebook, cache=False), month="2026-09")
    assert coverage_lines(september, "en") == ["Facebook: exports end Feb 14, 2016"]


def test_the_last_complete_month_of_a_clients_data(stale_facebook, make_client):

    from smmkit.kpi.context import context
    from smmkit.kpi.coverage import Span, last_complete_month

    # the latest source (Instagram's audience) ends 2026-10-31, the end of October
    assert last_complete_month(context(smmkit.load_client(stale_facebook, cache=False)).coverage) == "2026-10"
    D = dt.date
    assert last_complete_month({"x": {"posts": Span(D(2026, 1, 5), D(2026, 3, 30))}}) == "2026-02"
    assert last_complete_month({"x": {"posts": Span(D(2025, 12, 1), D(2026, 1, 31))}}) == "2026-01"
    assert last_complete_month({}) is None
    # make reports without MONTH or END (scripts/reports.py): a demo slug gets the demo window
    from scripts import reports

    assert reports._default_period(stale_facebook, set()) == (
        ("--month", "2026-10"),
        "last complete month of its data, 2026-10",
    )
    assert reports._default_period(stale_facebook, {stale_facebook.name})[0] == (
        "--window", "28d", "--end", "2026-10-31"
    )  # fmt: skip


def test_pooled_status_of_the_sources_a_value_reads():
    from smmkit.kpi.coverage import Span, pooled_status, reads_status

    assert pooled_status(["full", "full", ""]) == "full"
    assert pooled_status(["none", "none"]) == "none"
    assert pooled_status(["full", "none"]) == "partial"  # a total without one network's stale part
    assert pooled_status(["partial", "full"]) == "partial"
    assert pooled_status(["", ""]) == ""
    spans = {
        "posts": Span(dt.date(2026, 9, 16), dt.date(2026, 10, 31)),
        "audience": Span(dt.date(2026, 9, 1), dt.date(2026, 10, 31)),
    }
    sep = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    assert reads_status(spans, ["audience"], *sep) == "full"
    assert reads_status(spans, ["posts", "audience"], *sep) == "partial"
    assert reads_status(spans, ["ads"], *sep) == ""  # no such source: not coverage's to say
