"""Whole native downloads dropped into ``exports/`` (data-contract.md, "Whole native downloads").

Every file of a network's download is either used or recognised-not-used, the client never fails
because of one, and nothing is counted twice: YouTube's ``Chart data.csv`` (views per video per
day) and ``Totals.csv`` beside ``Table data.csv``, TikTok's Overview beside Content, GA4's other
reports beside Traffic acquisition. Expected values are hand sums of the fixture files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import smmkit
from smmkit.cli import main
from smmkit.io.validate import validate_client

DOWNLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "downloads"
EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
YAML = "name: Clean Cafe\ntimezone: Europe/Moscow\ncurrency: RUB\n"


def client_with(tmp_path: Path, *networks: str) -> Path:
    root = tmp_path / "clean-cafe"
    (root / "exports").mkdir(parents=True)
    (root / "client.yaml").write_text(YAML, encoding="utf-8")
    for name in networks:
        shutil.copytree(DOWNLOADS / name, root / "exports" / name)
    return root


def formats_of(report) -> dict[str, tuple[str, bool]]:
    return {f.path.name: (f.format, bool(f.unused)) for f in report.client.files}


def test_youtube_download_chart_data_and_totals_are_recognised_not_summed(tmp_path):
    report = validate_client(client_with(tmp_path, "youtube"))
    assert report.errors == []
    assert formats_of(report) == {
        "Table data.csv": ("youtube_content", False),
        "Chart data.csv": ("youtube_chart_data", True),
        "Totals.csv": ("youtube_totals", True),
    }
    posts = report.client.posts
    # Table data only: 2 videos, views 2,100 + 1,350 (Chart data's 1,200+900+800+550 = 3,450 too, per day).
    assert sorted(posts["post_id"]) == ["abcDEF12345", "dQw4w9WgXcQ"]
    assert int(posts["video_views"].sum()) == 3450
    notes = [str(n) for n in report.notes]
    assert "exports/youtube/Chart data.csv: recognised, not used: a metric per video per day" in notes[0]


def test_tiktok_download_content_used_the_rest_recognised(tmp_path):
    report = validate_client(client_with(tmp_path, "tiktok"))
    assert report.errors == []
    assert formats_of(report) == {
        "Content.csv": ("tiktok_content", False),
        "FollowerHistory.csv": ("tiktok_followers", False),
        "Overview.csv": ("tiktok_overview", True),
        "Viewers.csv": ("tiktok_viewers", True),
        "FollowerActivity.csv": ("tiktok_follower_activity", True),
        "FollowerGender.csv": ("tiktok_follower_gender", True),
        "FollowerTopTerritories.csv": ("tiktok_follower_territories", True),
    }
    posts = report.client.posts.sort_values("post_id")
    assert list(posts["post_id"]) == ["7430000000000000001", "7430000000000000002"]
    assert [int(v) for v in posts["likes"]] == [1200, 640]  # "1.2K"
    assert [int(v) for v in posts["video_views"]] == [18400, 9100]
    assert [int(v) for v in posts["comments"]] == [48, 12] and [int(v) for v in posts["shares"]] == [31, 9]
    # Post time has no year: the latest day (October 12) is on or before the anchor; only TikTok
    # files here, so the anchor is today and a warning says so.
    assert list(posts["url"])[0] == "https://www.tiktok.com/@cleancafe/video/7430000000000000001"
    assert any("no year" in w.message for w in report.warnings)
    # Overview's account totals do not add to the posts: likes stay 1,840, not 1,840 + 1,300.
    assert int(report.client.posts["likes"].sum()) == 1840


def test_ga4_download_other_reports_recognised(tmp_path):
    report = validate_client(client_with(tmp_path, "ga4"))
    assert not report.errors
    assert formats_of(report) == {
        "traffic_acquisition.csv": ("ga4", False),
        "pages_and_screens.csv": ("ga4_other", True),
        "exploration.csv": ("ga4_other", True),
    }
    web = report.client.web
    assert int(web["sessions"].sum()) == 150 + 40 + 1100
    (note,) = [n for n in report.notes if n.path.endswith("pages_and_screens.csv")]
    assert "export Reports > Acquisition > Traffic acquisition (Session source / medium)" in note.message


def test_meta_page_series_follows_and_visits_used_other_metrics_recognised(tmp_path):
    report = validate_client(client_with(tmp_path, "meta_page"))
    assert not report.errors
    assert formats_of(report) == {
        "Follows.csv": ("meta_page_series", False),
        "Visits.csv": ("meta_page_series", False),
        "Instagram Follows.csv": ("meta_page_series", False),
        "Reach.csv": ("meta_page_series_other", True),
    }
    aud = report.client.audience.set_index(["network", "date"])
    assert int(aud.loc["facebook", "new_followers"].sum()) == 27  # 20 + 7
    assert int(aud.loc["facebook", "page_views"].sum()) == 605  # 310 + 295
    assert int(aud.loc["instagram", "new_followers"].sum()) == 7  # 3 + 4


def test_every_download_together_validates_and_kpis_show_meta_ads(tmp_path, capsys):
    root = client_with(tmp_path, "youtube", "tiktok", "ga4", "meta_ads", "meta_page")
    assert main(["validate", str(root)]) == 0
    out, err = capsys.readouterr()
    assert "recognised, not used" in out and "Traceback" not in out + err
    assert err.splitlines() == ["18 files, 0 unusable, 0 warnings: all files usable"]

    assert main(["kpis", str(root), "--start", "2026-10-01", "--end", "2026-10-31", "--format", "json"]) == 0
    out, _ = capsys.readouterr()
    kpis = json.loads(out)
    total = kpis["total"]
    # Meta Ads Manager: spend 1,000.25 + 800 + 50.25 + 1,200 + 650 (the total row's 3,700.50 once);
    # link clicks 100 + 80 + 10 + 120 + 60 (not Clicks (all)); leads 5 + 4 + 0 + 3 (lead indicators).
    assert total["ad_spend"] == pytest.approx(3700.50)
    assert total["ad_clicks"] == 370 and total["ad_leads"] == 12
    assert total["cpc"] == pytest.approx(3700.50 / 370)  # no monthly_cost, no post link clicks
    assert total["cpl"] == pytest.approx(3700.50 / 12)
    assert kpis["networks"]["instagram"]["ad_spend"] == pytest.approx(800.0)
    assert kpis["networks"]["facebook"]["ad_spend"] == pytest.approx(2900.50)
    assert kpis["networks"]["youtube"]["video_views"] == 3450
    assert kpis["networks"]["tiktok"]["video_views"] == 27500
    assert total["posts"] == 4


def test_whole_download_loads_in_strict_mode(tmp_path):
    client = smmkit.load_client(client_with(tmp_path, "youtube", "tiktok", "ga4", "meta_ads", "meta_page"))
    assert client.errors == []
    assert len(client.ads) == 4  # platform rows of one campaign and day merged: 3 + 1 rows -> 4


def test_two_ga4_files_covering_the_same_sessions_warn(tmp_path):
    # Traffic acquisition (daily) and an Exploration (the whole month) both hold vk.com sessions of
    # October: both are summed, which the kit cannot undo, so validate says so.
    root = client_with(tmp_path, "ga4")
    shutil.copy(EXPORTS / "ga4_exploration.csv", root / "exports" / "ga4" / "exploration_by_source.csv")
    report = validate_client(root)
    assert not report.errors
    (warning,) = [w for w in report.warnings if "overlap rows of" in w.message]
    assert warning.path.endswith("exploration_by_source.csv") and warning.line == 8  # the vk.com row
    assert "web rows covering 2026-10-01..2026-10-31 overlap rows of" in warning.message
    assert "traffic_acquisition.csv for the same source / medium" in warning.message
