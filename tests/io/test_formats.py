"""Every export format of data-contract.md section 2, on small hand-written fixtures.

Each test loads one fixture through :func:`smmkit.io.loading.load_export` and
asserts the detected format and the exact values, written out by hand from
the fixture file (the arithmetic is in the comments).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from smmkit.errors import FormatError, InputError
from smmkit.io.formats.tiktok import tiktok_days
from smmkit.io.loading import load_export
from smmkit.io.readers import RawTable, read_file
from smmkit.io.schema import conform

MSK = "Europe/Moscow"  # UTC+3 all year


def ts(text: str, tz: str = MSK) -> pd.Timestamp:
    return pd.Timestamp(text, tz=tz)


def days(*texts: str) -> list[pd.Timestamp]:
    return [pd.Timestamp(t) for t in texts]


def load(path, table: str, *, tz: str = MSK, anchor: dt.date | None = None) -> tuple[str, pd.DataFrame]:
    fmt, tables = load_export(path, tz=tz, anchor_day=anchor)
    assert list(tables) == [table]
    return fmt.name, tables[table]


def ints(series) -> list:
    """Values of a count column, with <NA> as None (so lists compare exactly)."""
    return [None if pd.isna(v) else int(v) for v in series]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("x_tweet_activity.csv", "x_tweet_activity"),
        ("x_content.csv", "x_content"),
        ("x_overview.csv", "x_overview"),
        ("facebook_posts_legacy.csv", "facebook_insights_posts"),
        ("facebook_page_legacy.csv", "facebook_insights_page"),
        ("meta_facebook_content.csv", "meta_facebook_content"),
        ("meta_instagram_views.csv", "meta_instagram_content"),
        ("meta_instagram_impressions.csv", "meta_instagram_content"),
        ("youtube_table_data.csv", "youtube_content"),
        ("tiktok_follower_history.csv", "tiktok_followers"),
        ("tiktok_overview.csv", "tiktok_overview"),
        ("ga4_daily.csv", "ga4"),
        ("ga4_undated.csv", "ga4"),
        ("ga4_old_names.csv", "ga4"),
        ("canonical_posts.csv", "canonical_posts"),
        ("canonical_audience.csv", "canonical_audience"),
        ("canonical_ads.csv", "canonical_ads"),
        ("canonical_inbox.csv", "canonical_inbox"),
        ("canonical_mentions.csv", "canonical_mentions"),
        ("canonical_web.csv", "canonical_web"),
    ],
)
def test_every_fixture_is_recognised_by_content(exports_dir, tmp_path, name, expected):
    # Recognition never looks at the file name: the same bytes under a neutral name.
    neutral = tmp_path / "export (3).csv"
    neutral.write_bytes((exports_dir / name).read_bytes())
    fmt, _ = load_export(neutral, tz=MSK, anchor_day=dt.date(2026, 1, 5))
    assert fmt.name == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("linkedin_content", "linkedin_content"),
        ("linkedin_content_old", "linkedin_content"),
        ("linkedin_followers", "linkedin_followers"),
        ("linkedin_visitors", "linkedin_visitors"),
    ],
)
def test_every_xlsx_fixture_is_recognised(xlsx_files, name, expected):
    fmt, _ = load_export(xlsx_files[name], tz=MSK)
    assert fmt.name == expected


# ----------------------------------------------------------------------------- X


def test_x_legacy_tweet_activity(exports_dir):
    name, posts = load(exports_dir / "x_tweet_activity.csv", "posts")
    assert name == "x_tweet_activity"
    assert set(posts["network"]) == {"x"}
    assert list(posts["post_id"]) == ["1226932013525118976", "1226569590271631360"]
    # "+0000" is UTC: 18:00 UTC = 21:00 Moscow; 23:30 UTC on Feb 9 = 02:30 Moscow on Feb 10.
    assert list(posts["published_at"]) == [ts("2020-02-10 21:00"), ts("2020-02-10 02:30")]
    assert ints(posts["impressions"]) == [1203, 980]  # "1203.0" is a whole number
    assert ints(posts["shares"]) == [3, 0]  # retweets
    assert ints(posts["comments"]) == [2, 1]  # replies
    assert ints(posts["likes"]) == [30, 8]
    assert ints(posts["clicks"]) == [6, 0]  # url clicks
    assert list(posts["_line"]) == [2, 3]


def test_x_content_2024(exports_dir):
    name, posts = load(exports_dir / "x_content.csv", "posts")
    assert name == "x_content"
    assert list(posts["post_id"]) == ["1812345678901234567", "1812000000000000001"]
    # `Date` holds the day only: local midnight of the client.
    assert list(posts["published_at"]) == [ts("2026-07-14 00:00"), ts("2026-07-13 00:00")]
    assert ints(posts["impressions"]) == [2345, 1200]  # "2,345"; "1.2K" = 1.2 x 1000
    assert ints(posts["shares"]) == [11, 4]  # Reposts
    assert ints(posts["shares_via"]) == [2, 0]  # X's `Shares` (share via), kept apart
    assert ints(posts["saves"]) == [5, 0]  # Bookmarks
    assert ints(posts["comments"]) == [7, 3]
    assert ints(posts["clicks"]) == [14, 0]
    assert list(posts["url"])[0] == "https://x.com/coffeepoint/status/1812345678901234567"


def test_x_account_overview(exports_dir):
    name, aud = load(exports_dir / "x_overview.csv", "audience")
    assert name == "x_overview"
    assert list(aud["date"]) == days("2026-07-13", "2026-07-14", "2026-07-15")
    assert ints(aud["new_followers"]) == [12, 9, 0]
    assert ints(aud["lost_followers"]) == [3, 0, 1]
    assert "followers" not in aud  # X gives no follower total: unknown, not 0
    assert set(aud["network"]) == {"x"}


# ----------------------------------------------------------------------------- Facebook


def test_facebook_legacy_posts_description_row_and_repeated_names(exports_dir):
    name, posts = load(exports_dir / "facebook_posts_legacy.csv", "posts")
    assert name == "facebook_insights_posts"
    assert list(posts["_line"]) == [3, 4]  # row 2 (descriptions) is not data
    assert list(posts["post_id"]) == ["123456789012345_987654321098765", "123456789012345_987654321098766"]
    # Posted is Pacific Time (PDT, UTC-7) whatever the client's timezone: 21:00 PDT is 07:00 in Moscow.
    assert list(posts["published_at"]) == [ts("2015-10-02 07:00"), ts("2015-10-02 19:05")]
    assert ints(posts["reach"]) == [1500, 800]  # "1,500"
    assert ints(posts["reach_organic"]) == [1200, 800]
    assert ints(posts["reach_paid"]) == [300, 0]
    assert ints(posts["impressions"]) == [2400, 950]
    assert ints(posts["engaged_users"]) == [110, 40]
    # Stories by action type (total counts), not "Talking About This" (unique people: 70, 10, 5).
    assert ints(posts["likes"]) == [80, 22]
    assert ints(posts["comments"]) == [12, 3]
    assert ints(posts["shares"]) == [6, 1]
    # `... link clicks` appears twice: (Unique Users) 25/7 and (Total Count) 31/9; clicks are the count.
    assert ints(posts["clicks"]) == [31, 9]


def test_facebook_legacy_page_dates_in_three_forms(exports_dir):
    name, aud = load(exports_dir / "facebook_page_legacy.csv", "audience")
    assert name == "facebook_insights_page"
    # 2026-10-01, 10/2/2026 and 10/03/26 are three consecutive days.
    assert list(aud["date"]) == days("2026-10-01", "2026-10-02", "2026-10-03")
    assert ints(aud["followers"]) == [1200, 1213, 1213]
    assert ints(aud["new_followers"]) == [15, 14, 0]
    assert ints(aud["lost_followers"]) == [2, 1, 0]
    assert list(aud["_line"]) == [3, 4, 5]


def test_meta_business_suite_facebook(exports_dir):
    name, posts = load(exports_dir / "meta_facebook_content.csv", "posts")
    assert name == "meta_facebook_content"
    assert set(posts["network"]) == {"facebook"}
    assert list(posts["post_id"]) == [
        "1234567890123456_1122334455667788",
        "1234567890123456_1122334455667799",
    ]
    assert list(posts["published_at"]) == [ts("2026-03-27 06:08"), ts("2026-03-28 19:45")]
    assert ints(posts["impressions"]) == [4210, None]  # `Views`; "-" is null
    assert ints(posts["reach"]) == [3100, 2000]
    assert ints(posts["likes"]) == [150, 50]  # Reactions, not "Reactions, comments and shares"
    assert ints(posts["comments"]) == [25, 8]
    assert ints(posts["shares"]) == [10, 2]
    assert ints(posts["clicks"]) == [40, 0]  # Link Clicks, not Total clicks
    assert list(posts["post_type"]) == ["Photos", "Reels"]


def test_meta_business_suite_instagram_views(exports_dir):
    name, posts = load(exports_dir / "meta_instagram_views.csv", "posts")
    assert name == "meta_instagram_content"
    assert set(posts["network"]) == {"instagram"}
    assert list(posts["post_id"]) == ["17912345678901234", "17912345678901235"]
    assert list(posts["published_at"]) == [ts("2026-10-03 08:15"), ts("2026-10-04 23:30")]
    assert ints(posts["impressions"]) == [2500, 12400]  # Views; "12,400"
    assert ints(posts["reach"]) == [1800, 9100]
    assert ints(posts["likes"]) == [120, 640]
    assert ints(posts["shares"]) == [7, 55]
    assert ints(posts["comments"]) == [9, 33]
    assert ints(posts["saves"]) == [15, 80]
    assert list(posts["post_type"]) == ["IG image", "IG reel"]


def test_meta_business_suite_instagram_older_impressions_shuffled_columns(exports_dir):
    name, posts = load(exports_dir / "meta_instagram_impressions.csv", "posts")
    assert name == "meta_instagram_content"
    assert list(posts["post_id"]) == ["17900000000000001", "17900000000000002"]
    assert list(posts["published_at"]) == [ts("2025-09-15 12:00"), ts("2025-09-16 12:00")]
    assert ints(posts["impressions"]) == [560, 300]
    assert ints(posts["reach"]) == [410, None]  # empty cell
    assert ints(posts["saves"]) == [4, None]  # "undefined"
    assert ints(posts["likes"]) == [33, 12]
    assert ints(posts["comments"]) == [1, 0]
    assert "shares" not in posts  # no Shares column: unknown


# ----------------------------------------------------------------------------- LinkedIn


def test_linkedin_content_xlsx_disclaimer_row_and_us_dates(xlsx_files):
    name, posts = load(xlsx_files["linkedin_content"], "posts")
    assert name == "linkedin_content"
    assert list(posts["_line"]) == [3, 4]  # row 1 disclaimer, row 2 header
    assert list(posts["post_id"]) == [
        "https://www.linkedin.com/feed/update/urn:li:activity:7250000000000000001",
        "https://www.linkedin.com/feed/update/urn:li:activity:7250000000000000002",
    ]
    assert list(posts["published_at"]) == [ts("2026-10-01 00:00"), ts("2026-10-15 00:00")]  # MM/DD/YYYY
    assert ints(posts["impressions"]) == [1520, 2310]
    assert ints(posts["clicks"]) == [48, 120]
    assert ints(posts["likes"]) == [33, 61]
    assert ints(posts["comments"]) == [4, 9]
    assert ints(posts["shares"]) == [2, 7]  # Reposts
    assert set(posts["network"]) == {"linkedin"}


def test_linkedin_content_older_xlsx_excel_serial_dates_and_shares(xlsx_files):
    name, posts = load(xlsx_files["linkedin_content_old"], "posts")
    assert name == "linkedin_content"
    # 45566 days after 1899-12-30 = 2024-10-01; 45567 = 2024-10-02.
    assert list(posts["published_at"]) == [ts("2024-10-01 00:00"), ts("2024-10-02 00:00")]
    assert ints(posts["shares"]) == [3, 0]  # older `Shares`
    assert ints(posts["impressions"]) == [800, 640]


def test_linkedin_followers_xlsx(xlsx_files):
    name, aud = load(xlsx_files["linkedin_followers"], "audience")
    assert name == "linkedin_followers"
    assert list(aud["date"]) == days("2026-10-01", "2026-10-02", "2026-10-03")
    # `Total followers` of a day is that day's new followers (sponsored + organic + auto-invited).
    assert ints(aud["new_followers"]) == [0 + 5 + 1, 2 + 3 + 0, 0]
    assert "followers" not in aud


def test_linkedin_visitors_xlsx(xlsx_files):
    name, aud = load(xlsx_files["linkedin_visitors"], "audience")
    assert name == "linkedin_visitors"
    assert list(aud["date"]) == days("2026-10-01", "2026-10-02")
    assert ints(aud["page_views"]) == [55, 17]
    assert ints(aud["unique_visitors"]) == [31, 12]


# ----------------------------------------------------------------------------- YouTube, TikTok


def test_youtube_table_data_total_row_and_leading_space(exports_dir):
    name, posts = load(exports_dir / "youtube_table_data.csv", "posts")
    assert name == "youtube_content"
    assert list(posts["_line"]) == [3, 4]  # line 2 is the `Total` row: dropped
    assert list(posts["post_id"]) == ["dQw4w9WgXcQ", "abcDEF12345"]  # " dQw4w9WgXcQ" stripped
    assert list(posts["url"]) == [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=abcDEF12345",
    ]
    assert list(posts["published_at"]) == [ts("2026-10-03 00:00"), ts("2026-10-10 00:00")]
    assert ints(posts["video_views"]) == [2100, 1350]  # sums to 3450, the Total row's, counted once
    assert ints(posts["impressions"]) == [25000, 16000]
    assert set(posts["network"]) == {"youtube"}


def test_tiktok_follower_history_oldest_first_across_new_year(exports_dir):
    # The client's other exports end on 2026-01-05: "January 2" is 2026, "December 30" is 2025.
    name, aud = load(exports_dir / "tiktok_follower_history.csv", "audience", anchor=dt.date(2026, 1, 5))
    assert name == "tiktok_followers"
    assert list(aud["date"]) == days("2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02")
    assert ints(aud["followers"]) == [1500, 1507, 1510, 1509]
    assert set(aud["network"]) == {"tiktok"}


def test_tiktok_overview_is_recognised_not_used(exports_dir):
    # Account totals per day are not per-post sums (data-contract.md, whole native downloads).
    fmt, tables = load_export(exports_dir / "tiktok_overview.csv", tz=MSK, anchor_day=dt.date(2026, 1, 5))
    assert fmt.name == "tiktok_overview" and tables == {}
    assert "not per-post sums" in fmt.unused


def test_tiktok_days_newest_first_across_new_year(exports_dir):
    table = read_file(exports_dir / "tiktok_overview.csv").first
    assert tiktok_days(table, "Date", dt.date(2026, 1, 5)) == ["2026-01-02", "2026-01-01", "2025-12-31"]


def test_tiktok_days_newest_row_after_anchor_day_is_last_year():
    table = RawTable(
        path="t.csv", header=["Date"], rows=[["November 30"], ["December 1"]], lines=[2, 3], header_line=1
    )
    # Anchor 2026-11-30: December 1 cannot be in 2026 yet, so both days are in 2025.
    assert tiktok_days(table, "Date", dt.date(2026, 11, 30)) == ["2025-11-30", "2025-12-01"]


def test_tiktok_days_bad_month_names_line_and_column():
    table = RawTable(
        path="t.csv", header=["Date"], rows=[["August 31"], ["Augst 1"]], lines=[2, 3], header_line=1
    )
    with pytest.raises(InputError, match=r"expected a day like 'August 31', got 'Augst 1'") as info:
        tiktok_days(table, "Date", dt.date(2026, 9, 1))
    assert (info.value.line, info.value.column) == (3, "Date")


# ----------------------------------------------------------------------------- GA4


def test_ga4_daily_with_preamble(exports_dir):
    name, web = load(exports_dir / "ga4_daily.csv", "web")
    assert name == "ga4"
    assert list(web["_line"]) == [10, 11, 12]  # 9 preamble lines (8 '#' + header on line 9)
    assert list(web["date_start"]) == days("2026-10-01", "2026-10-01", "2026-10-02")
    assert list(web["date_end"]) == list(web["date_start"])
    assert list(web["source"]) == ["google", "l.instagram.com", "vk.com"]
    assert list(web["medium"]) == ["organic", "referral", "referral"]
    assert [None if pd.isna(n) else n for n in web["network"]] == [None, "instagram", "vk"]
    assert ints(web["users"]) == [120, 30, 1020]
    assert ints(web["sessions"]) == [150, 40, 1100]
    assert ints(web["views"]) == [400, 70, 2500]
    # engagement_time_s is a total: average per session x sessions = 45.5 x 150, 30 x 40, 20 x 1100.
    assert list(web["engagement_time_s"]) == [6825.0, 1200.0, 22000.0]
    assert list(web["conversions"]) == [3.0, 1.0, 0.0]  # Key events
    assert list(web["revenue"]) == [0.0, 12.5, 0.0]


def test_ga4_without_date_column_uses_preamble_range_and_finest_table(exports_dir):
    name, web = load(exports_dir / "ga4_undated.csv", "web")
    assert name == "ga4"
    # Two tables: by source (finer) and by channel group (a summary of the same sessions): only the first.
    assert list(web["source"]) == ["t.co", "google"]
    assert list(web["date_start"]) == days("2026-10-01", "2026-10-01")  # "# Start date: 20261001"
    assert list(web["date_end"]) == days("2026-10-28", "2026-10-28")  # "# End date: 20261028"
    assert [None if pd.isna(n) else n for n in web["network"]] == ["x", None]
    assert ints(web["sessions"]) == [60, 1000]
    assert list(web["revenue"]) == [0.0, 450.75]
    assert list(web["engagement_time_s"]) == [12.0 * 60, 50.0 * 1000]


def test_ga4_old_names_default_channel_group_and_conversions(exports_dir):
    name, web = load(exports_dir / "ga4_old_names.csv", "web")
    assert name == "ga4"
    assert list(web["channel_group"]) == ["Organic Social", "Paid Social", "Direct"]
    # "ig" is instagram (metrics.md, release 3); facebook.com: facebook; (direct): not social.
    assert [None if pd.isna(n) else n for n in web["network"]] == ["instagram", "facebook", None]
    assert list(web["conversions"]) == [1.0, 0.0, 0.0]  # `Conversions`, the old name of Key events
    assert list(web["date_start"]) == days("2026-09-01", "2026-09-01", "2026-09-02")


def test_ga4_without_date_or_preamble_is_a_format_error(tmp_path):
    path = tmp_path / "ga.csv"
    path.write_text("Session source,Users,Sessions\ngoogle,5,6\n", encoding="utf-8")
    with pytest.raises(FormatError, match="without a Date column") as info:
        load_export(path)
    assert (info.value.path, info.value.line) == (str(path), 1)


# ----------------------------------------------------------------------------- canonical


def test_canonical_posts(exports_dir):
    name, posts = load(exports_dir / "canonical_posts.csv", "posts")
    assert name == "canonical_posts"
    assert list(posts["network"]) == ["vk", "telegram", "tiktok"]
    assert list(posts["post_id"]) == ["-12345_678", "42", "7300000000000000001"]
    # naive = Moscow local time; "+00:00" is UTC: 23:30 UTC on Oct 3 = 02:30 Moscow on Oct 4.
    assert list(posts["published_at"]) == [
        ts("2026-10-03 10:00"),
        ts("2026-10-04 02:30"),
        ts("2026-10-04 18:15"),
    ]
    assert list(posts["text"]) == ["Новый сезон", "Open late", "Latte art"]
    assert ints(posts["impressions"]) == [5000, 1800, 9000]
    assert ints(posts["reach"]) == [3200, None, 7000]
    assert ints(posts["complaints"]) == [0, None, None]
    assert ints(posts["video_views"]) == [None, None, 8800]


def test_canonical_audience(exports_dir):
    name, aud = load(exports_dir / "canonical_audience.csv", "audience")
    assert name == "canonical_audience"
    assert list(aud["network"]) == ["vk", "vk", "ok"]
    assert list(aud["date"]) == days("2026-10-01", "2026-10-02", "2026-10-01")
    assert ints(aud["followers"]) == [10000, 10035, 2000]
    assert ints(aud["lost_followers"]) == [5, None, 1]  # "-" is null


def test_canonical_ads(exports_dir):
    name, ads = load(exports_dir / "canonical_ads.csv", "ads")
    assert name == "canonical_ads"
    assert list(ads["spend"]) == [1500.5, 999.0]
    assert ints(ads["leads"]) == [12, None]
    assert list(ads["campaign"]) == ["Autumn promo", "Reels boost"]


def test_canonical_inbox(exports_dir):
    name, inbox = load(exports_dir / "canonical_inbox.csv", "inbox")
    assert name == "canonical_inbox"
    assert list(inbox["message_id"]) == ["m-1", "m-2", "007"]  # "007" keeps its zeros: an ID is a string
    assert list(inbox["is_question"]) == [True, False, True]  # "yes" is true
    assert list(inbox["received_at"]) == [
        ts("2026-10-01 09:00"),
        ts("2026-10-01 22:10"),
        ts("2026-10-02 08:00"),
    ]
    reply = list(inbox["first_reply_at"])
    assert reply[0] == ts("2026-10-01 09:30") and pd.isna(reply[1])  # empty = unanswered


def test_canonical_mentions(exports_dir):
    name, mentions = load(exports_dir / "canonical_mentions.csv", "mentions")
    assert name == "canonical_mentions"
    assert list(mentions["network"]) == ["vk", "instagram", "forum"]  # any network in mentions, lower-cased
    assert list(mentions["sentiment"]) == ["positive", "negative", "neutral"]
    assert list(mentions["brand"]) == ["Coffee Point", "Brew Bros", "Кофе Поинт"]
    assert ints(mentions["reach"]) == [1200, None, 50]


def test_canonical_web(exports_dir):
    name, web = load(exports_dir / "canonical_web.csv", "web")
    assert name == "canonical_web"
    assert list(web["date_start"]) == days("2026-10-01", "2026-10-01", "2026-10-02")
    assert [None if pd.isna(n) else n for n in web["network"]] == ["vk", None, "vk"]  # utm_source=vk -> vk
    assert list(web["engagement_time_s"]) == [3600.0, 20000.5, 100.0]
    assert list(web["revenue"]) == [500.5, 2000.0, 0.0]


def test_canonical_unknown_network_names_line_and_column(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        "network,post_id,published_at,likes\nvk,1,2026-10-01 10:00,3\nmyspace,2,2026-10-01 11:00,4\n"
    )
    with pytest.raises(InputError, match=r"expected one of facebook, .*; got 'myspace'") as info:
        load_export(path)
    assert (info.value.line, info.value.column) == (3, "network")


def test_canonical_typo_column_is_named(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("network,post_id,published_at,likes,comemnts\nvk,1,2026-10-01 10:00,3,1\n")
    with pytest.raises(FormatError, match=r"unknown column 'comemnts'") as info:
        load_export(path)
    assert info.value.column == "comemnts"


def test_canonical_mentions_bad_sentiment(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("published_at,brand,sentiment\n2026-10-01 10:00,Acme,angry\n")
    with pytest.raises(InputError, match=r"expected one of positive, neutral, negative; got 'angry'"):
        load_export(path)


# ----------------------------------------------------------------------------- dtypes


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("canonical_posts.csv", "posts"),
        ("meta_instagram_views.csv", "posts"),
        ("x_overview.csv", "audience"),
        ("canonical_inbox.csv", "inbox"),
        ("canonical_ads.csv", "ads"),
        ("ga4_daily.csv", "web"),
    ],
)
def test_conformed_tables_have_real_dtypes(exports_dir, name, table):
    _, frame = load(exports_dir / name, table)
    out = conform(frame, table, tz=MSK)
    for col, dtype in out.dtypes.items():
        if col in ("published_at", "received_at", "first_reply_at"):
            assert str(dtype) == f"datetime64[ns, {MSK}]", col
        elif col in ("date", "date_start", "date_end"):
            assert str(dtype) == "datetime64[ns]", col
        elif col in ("post_id", "message_id"):
            assert str(dtype) == "string", col
        elif col in ("impressions", "reach", "likes", "users", "sessions", "new_followers", "_line"):
            assert str(dtype) == "Int64", col
    if table != "web":
        assert isinstance(out["network"].dtype, pd.CategoricalDtype)


def test_x_legacy_favorites_alias_and_promoted_dashes(tmp_path):
    path = tmp_path / "tweets.csv"
    path.write_text(
        "Tweet id,Tweet permalink,time,impressions,retweets,replies,favorites,url clicks,promoted impressions\n"
        "1226932013525118976,https://twitter.com/a/status/1,2020-02-10 18:00 +0000,100.0,1.0,0.0,7.0,2.0,-\n"
    )
    name, posts = load(path, "posts", tz="UTC")
    assert name == "x_tweet_activity"
    assert ints(posts["likes"]) == [7]  # `favorites`, the older name of likes
    assert list(posts["published_at"]) == [ts("2020-02-10 18:00", tz="UTC")]


def test_ga4_table_without_rows_loads_empty(tmp_path):
    # Found by test_mutations: a header directly followed by a '#' line is a table of no rows.
    path = tmp_path / "ga.csv"
    path.write_text(
        "# Start date: 20261001\n# End date: 20261002\n"
        "Session source / medium,Date,Sessions\n# junk\n"
        "Session source / medium,Date,Sessions\ngoogle / organic,20261001,5\n"
    )
    name, web = load(path, "web")
    assert name == "ga4"
    assert list(web["source"]) == ["google"] and list(web["medium"]) == ["organic"]
    assert ints(web["sessions"]) == [5]


def test_tiktok_days_accept_day_first_and_abbreviated_months():
    import datetime as dt
    from pathlib import Path

    from smmkit.io.formats.tiktok import tiktok_days
    from smmkit.io.readers import RawTable

    table = RawTable(
        Path("FollowerHistory.csv"),
        ["Date", "Followers"],
        [["30 December"], ["31 Dec"], ["Jan 1"]],
        [2, 3, 4],
        1,
    )
    # The newest row (Jan 1) is on or before the anchor 2026-10-31, so it is 2026; December is 2025.
    assert tiktok_days(table, "Date", dt.date(2026, 10, 31)) == ["2025-12-30", "2025-12-31", "2026-01-01"]


def test_x_daily_tweet_activity_reads_follows_only(exports_dir):
    fmt, tables = load_export(exports_dir / "x_daily_tweet_activity.csv", tz=MSK)
    assert fmt.name == "x_daily_activity"
    aud = tables["audience"]
    assert list(aud["date"]) == days("2026-10-01", "2026-10-02")
    assert ints(aud["new_followers"]) == [3, 5]
    # impressions and engagements are account totals per day: never read as posts
    assert set(tables) == {"audience"} and "impressions" not in aud


def test_vk_community_statistics(exports_dir):
    fmt, tables = load_export(exports_dir / "vk_community_stats.csv", tz=MSK)
    assert fmt.name == "vk_community_stats"
    aud = tables["audience"]
    assert ints(aud["followers"]) == [5021, 5033]
    assert ints(aud["new_followers"]) == [25, 18] and ints(aud["lost_followers"]) == [4, 6]
    assert ints(aud["unique_visitors"]) == [640, 590] and ints(aud["page_views"]) == [1500, 1320]
    assert set(aud["network"]) == {"vk"}


#: Formats that take what a format of their vendor before them leaves: a file either matches.
CATCH_ALLS = {"meta_page_series_other": {"meta_page_series"}, "ga4_other": {"ga4", "canonical_web"}}


def test_formats_by_vendor_detect_each_fixture_once_or_before_their_catch_all():
    """The vendor modules register in an order (formats/__init__.py) where no fixture matches two
    formats, except a catch-all (tried after the format it backs up)."""
    from pathlib import Path

    from smmkit.io import formats

    root = Path(__file__).resolve().parents[1] / "fixtures"
    order = [f.name for f in formats.FORMATS]
    assert order.index("ga4_other") > order.index("canonical_web")
    assert order.index("meta_page_series_other") > order.index("meta_page_series")
    seen = 0
    for path in sorted(p for p in root.rglob("*") if p.suffix.lower() in (".csv", ".xlsx", ".xls")):
        try:
            raw = read_file(path)
        except InputError:
            continue
        hits = [f.name for f in formats.FORMATS if f.detect(raw)]
        seen += bool(hits)
        first, *others = hits or [None]
        assert all(first in CATCH_ALLS.get(o, ()) for o in others), (path, hits)
    assert seen > 70  # 74 fixtures of known formats in December 2026
