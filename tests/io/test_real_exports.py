"""Export shapes copied from real files in public repositories (tests/fixtures/real/SOURCES.md).

The hand-written fixtures of test_formats.py prove we read what we imagined; these prove we read
what the networks really write: header variants, quoting, preambles, byte-order marks, Excel
re-saves, several GA4 tables per file, localised TikTok days. Expected values are read off the
fixture files by hand.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from smmkit.errors import InputError
from smmkit.io.formats.tiktok import tiktok_days
from smmkit.io.loading import load_export
from smmkit.io.readers import read_file

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def load(name: str, *, tz: str = "UTC", anchor: dt.date | None = None) -> tuple[str, dict[str, pd.DataFrame]]:
    fmt, tables = load_export(REAL / name, tz=tz, anchor_day=anchor)
    return fmt.name, tables


def ints(series) -> list:
    return [None if pd.isna(v) else int(v) for v in series]


def texts(series) -> list:
    return [None if pd.isna(v) else str(v) for v in series]


def test_x_tweet_activity_with_all_40_columns_and_a_multiline_text():
    name, t = load("x_tweet_activity_40_columns.csv", tz="Europe/Moscow")
    posts = t["posts"]
    assert name == "x_tweet_activity"
    assert texts(posts["post_id"]) == ["849049020249120769", "848248639441055744"]
    # "2017-04-01 19:00 +0000" is 22:00 in Moscow (UTC+3).
    assert posts["published_at"].iloc[1] == pd.Timestamp("2017-04-01 22:00", tz="Europe/Moscow")
    assert ints(posts["impressions"]) == [29, 27]  # "29.0", "27.0"
    assert ints(posts["likes"]) == [0, 3]
    assert ints(posts["shares"]) == [0, 2]  # retweets
    assert ints(posts["comments"]) == [0, 1]  # replies
    assert ints(posts["clicks"]) == [1, 4]  # url clicks; the "promoted ..." columns hold "-"
    assert texts(posts["text"])[1] == "Open late tonight.\nhttps://t.co/def"
    assert ints(posts["_line"]) == [2, 3]


def test_facebook_posts_2017_description_row_and_12_hour_times():
    name, t = load("facebook_posts_2017.csv", tz="America/Los_Angeles")
    posts = t["posts"]
    assert name == "facebook_insights_posts"
    assert len(posts) == 2  # the description row (line 2) is dropped
    assert posts["published_at"].iloc[0] == pd.Timestamp("2017-01-19 09:03:47", tz="America/Los_Angeles")
    assert posts["published_at"].iloc[1] == pd.Timestamp("2017-01-18 19:30:00", tz="America/Los_Angeles")
    assert ints(posts["reach"]) == [35, 120]
    assert ints(posts["reach_organic"]) == [30, 120]
    assert ints(posts["reach_paid"]) == [5, 0]
    assert ints(posts["impressions"]) == [60, 210]
    assert ints(posts["engaged_users"]) == [7, 15]
    # "Lifetime Post Stories by action type - like/comment/share" (total counts), not the
    # "Talking About This" columns (2, 3, 1 and 5, 9, 2) that count people.
    assert ints(posts["likes"]) == [6, 11]
    assert ints(posts["comments"]) == [4, 7]
    assert ints(posts["shares"]) == [2, 3]
    assert ints(posts["_line"]) == [3, 4]


def test_meta_facebook_2025_bom_captions_in_title_and_boosted_reach():
    name, t = load("meta_facebook_content_2025.csv", tz="Asia/Manila")
    posts = t["posts"]
    assert name == "meta_facebook_content"
    assert texts(posts["post_id"]) == ["1168834171933140", "1189181123231778"]
    assert posts["published_at"].iloc[1] == pd.Timestamp("2025-09-26 23:02", tz="Asia/Manila")
    # A photo's caption is in Title (Description empty); a reel has both.
    assert texts(posts["text"])[0].startswith("One more latte served.\n")
    assert texts(posts["text"])[1] == "𝐁𝐀𝐑𝐈𝐒𝐓𝐀 𝐓𝐈𝐏𝐒 #coffee"
    assert ints(posts["impressions"]) == [1628, 3840]  # Views
    assert ints(posts["reach"]) == [923, 2641]
    assert ints(posts["reach_organic"]) == [923, 1221]  # Reach from Organic posts
    assert ints(posts["reach_paid"]) == [0, 1569]  # Reach from Boosted posts
    assert ints(posts["likes"]) == [6, 40]  # Reactions
    assert ints(posts["comments"]) == [1, 12]
    assert ints(posts["shares"]) == [0, 3]
    assert ints(posts["_line"]) == [2, 5]  # the first post's caption spans lines 2-4


def test_x_content_with_link_share_and_dates_without_commas():
    name, t = load("x_content_2025_link.csv", tz="America/Sao_Paulo")
    posts = t["posts"]
    assert name == "x_content"
    # "Mon Feb 17 2025": the day only, local midnight.
    assert posts["published_at"].iloc[0] == pd.Timestamp("2025-02-17", tz="America/Sao_Paulo")
    assert texts(posts["url"])[1] == "https://x.com/coffeepoint/status/1888914029357269302"
    assert texts(posts["text"])[1] == 'Coffee Point says "Hello" with an "S". https://t.co/mfLV9wv0j9'
    assert ints(posts["impressions"]) == [70, 629, 0]
    assert ints(posts["saves"]) == [1, 0, 0]  # Bookmarks
    assert ints(posts["shares"]) == [0, 2, 0]  # Reposts
    assert ints(posts["shares_via"]) == [0, 2, 0]  # Share
    assert ints(posts["comments"]) == [0, 2, 0]  # Replies


def test_x_overview_newest_first_without_trailing_newline():
    name, t = load("x_overview_newest_first.csv")
    audience = t["audience"]
    assert name == "x_overview"
    assert list(audience["date"]) == [pd.Timestamp(d) for d in ("2025-02-18", "2025-02-12", "2025-02-09")]
    assert ints(audience["new_followers"]) == [1, 9, 1]
    assert ints(audience["lost_followers"]) == [0, 1, 0]
    assert ints(audience["page_views"]) == [1, 7, 1]  # Profile visits


def test_youtube_total_row_dash_ids_and_unpublished_videos():
    name, t = load("youtube_table_data_shorts.csv")
    posts = t["posts"]
    assert name == "youtube_content"
    # Total row dropped; "9aJrGiZpCy0" has no publish time (never published): not a post of any period.
    assert texts(posts["post_id"]) == ["F3HVs95pagk", "-JTnUJTN2aI"]  # " -JTnUJTN2aI" stripped
    assert texts(posts["url"])[1] == "https://www.youtube.com/watch?v=-JTnUJTN2aI"
    assert texts(posts["text"])[1] == '"Cold brew" by Coffee Point #coffee'
    assert posts["published_at"].iloc[1] == pd.Timestamp("2025-01-24", tz="UTC")
    assert ints(posts["video_views"]) == [2775, 704]
    assert ints(posts["impressions"]) == [728, 1212]
    assert ints(posts["likes"]) == [144, 29]
    assert ints(posts["shares"]) == [2, 1]
    assert ints(posts["_line"]) == [3, 4]


def test_youtube_resaved_by_excel_day_month_year_dates():
    name, t = load("youtube_table_data_resaved.csv", tz="Asia/Kolkata")
    posts = t["posts"]
    assert name == "youtube_content"
    # "3-Jun-26", "9-Jul-26"; no Total row in this file.
    assert list(posts["published_at"]) == [
        pd.Timestamp("2026-06-03", tz="Asia/Kolkata"),
        pd.Timestamp("2026-07-09", tz="Asia/Kolkata"),
    ]
    assert ints(posts["video_views"]) == [186, 171]


def test_youtube_id_lost_to_a_spreadsheet_formula_error_is_an_error():
    with pytest.raises(InputError, match=r"spreadsheet error '#NAME\?'") as info:
        load("youtube_table_data_name_error.csv")
    assert (info.value.line, info.value.column) == (4, "Content")


def test_tiktok_overview_fully_quoted_without_trailing_newline():
    # Recognised, not used (account totals per day); its days still read with their year.
    name, t = load("tiktok_overview_quoted.csv", anchor=dt.date(2026, 5, 1))
    assert (name, t) == ("tiktok_overview", {})
    table = read_file(REAL / "tiktok_overview_quoted.csv").first
    assert tiktok_days(table, "Date", dt.date(2026, 5, 1)) == ["2026-04-12", "2026-04-13", "2026-04-14"]


def test_tiktok_overview_spanish_days():
    name, t = load("tiktok_overview_es.csv", anchor=dt.date(2026, 3, 20))
    assert (name, t) == ("tiktok_overview", {})
    # "8 de marzo" .. "10 de marzo", all before the anchor 2026-03-20: this year.
    table = read_file(REAL / "tiktok_overview_es.csv").first
    assert tiktok_days(table, "Date", dt.date(2026, 3, 20)) == ["2026-03-08", "2026-03-09", "2026-03-10"]


def test_tiktok_follower_history_quoted_across_new_year():
    name, t = load("tiktok_follower_history_quoted.csv", anchor=dt.date(2026, 1, 15))
    audience = t["audience"]
    assert name == "tiktok_followers"
    assert list(audience["date"]) == [pd.Timestamp(d) for d in ("2025-12-30", "2025-12-31", "2026-01-01")]
    assert ints(audience["followers"]) == [22551, 22565, 22588]


def test_ga4_reports_snapshot_keeps_only_the_session_source_medium_table():
    name, t = load("ga4_reports_snapshot.csv")
    web = t["web"]
    assert name == "ga4"
    # Of eight tables only "Session source / medium,Sessions" (lines 30-32) holds sessions by source.
    assert texts(web["source"]) == ["(direct)", "l.instagram.com", "google"]
    assert texts(web["medium"]) == ["(none)", "referral", "organic"]
    assert ints(web["sessions"]) == [656, 56, 27]
    assert texts(web["network"]) == [None, "instagram", None]
    assert set(web["date_start"]) == {pd.Timestamp("2025-12-03")}
    assert set(web["date_end"]) == {pd.Timestamp("2026-03-02")}
    assert ints(web["_line"]) == [30, 31, 32]
    assert "users" not in web  # not in that table: unknown, not zero


def test_ga4_reports_snapshot_with_compact_source_medium_header():
    name, t = load("ga4_reports_snapshot_compact_header.csv")
    web = t["web"]
    assert name == "ga4"  # "Session source/medium" without spaces
    assert texts(web["source"]) == ["(direct)", "l.instagram.com", "google"]
    assert ints(web["sessions"]) == [656, 56, 27]


def test_ga4_reports_snapshot_channel_groups_and_empty_tables():
    name, t = load("ga4_reports_snapshot_channels.csv")
    web = t["web"]
    assert name == "ga4"
    assert texts(web["channel_group"]) == ["Direct", "Referral", "Organic Social", "Unassigned"]
    assert ints(web["sessions"]) == [87, 52, 26, 6]
    # A social channel group without a source is "other"; non-social rows have no network.
    assert texts(web["network"]) == [None, None, "other", None]
    assert set(web["date_start"]) == {pd.Timestamp("2025-12-04")}
    assert set(web["date_end"]) == {pd.Timestamp("2025-12-31")}
