"""load_client: config + every export -> six canonical tables, overlaps resolved."""

from __future__ import annotations

import pandas as pd
import pytest

import smmkit
from smmkit.errors import ConfigError, FormatError, InputError
from smmkit.io.loading import closest_format, export_files, load_export
from smmkit.io.readers import read_file
from smmkit.io.schema import COLUMNS, PROVENANCE, TABLES

MSK = "Europe/Moscow"

POSTS_HEADER = "network,post_id,published_at,impressions,reach,likes\n"


def test_load_fixture_client(fixture_client):
    root = fixture_client("clean-cafe")
    client = smmkit.load_client(root)
    assert client.config.name == "Clean Cafe" and client.slug == "clean-cafe"
    # Hidden files and exports/ignore/ are skipped: four files, all recognised.
    assert [(f.path.relative_to(root / "exports").as_posix(), f.format) for f in client.files] == [
        ("audience.csv", "canonical_audience"),
        ("ga4.csv", "ga4"),
        ("instagram/content.csv", "meta_instagram_content"),
        ("vk_posts.csv", "canonical_posts"),
    ]
    assert client.issues == []
    # 2 VK posts + 2 Instagram posts, in file order.
    assert list(client.posts["post_id"]) == ["17912345678901234", "17912345678901235", "-100_1", "-100_2"]
    assert list(client.posts["network"]) == ["instagram", "instagram", "vk", "vk"]
    assert list(client.audience["followers"]) == [5000, 5017, 5041]
    assert list(client.web["sessions"]) == [150, 40, 1100]
    for name in ("ads", "inbox", "mentions"):
        assert client.table(name).empty


def test_loaded_tables_have_canonical_columns_and_dtypes(fixture_client):
    client = smmkit.load_client(fixture_client("clean-cafe"))
    for table in TABLES:
        frame = client.table(table)
        assert list(frame.columns) == list(COLUMNS[table]) + list(PROVENANCE), table
    posts = client.posts
    assert str(posts["published_at"].dtype) == f"datetime64[ns, {MSK}]"
    assert isinstance(posts["network"].dtype, pd.CategoricalDtype)
    assert str(posts["post_id"].dtype) == "string"
    assert str(posts["likes"].dtype) == "Int64"
    assert posts["saves"].isna().sum() == 2  # VK file has no saves column: unknown, not 0
    assert str(client.audience["date"].dtype) == "datetime64[ns]"
    assert str(client.web["date_start"].dtype) == "datetime64[ns]"


def test_file_info_rows_and_date_range(fixture_client):
    client = smmkit.load_client(fixture_client("clean-cafe"))
    info = {f.path.name: f for f in client.files}
    ig = info["content.csv"]
    assert ig.networks == ("instagram",)
    assert ig.rows == {"posts": 2}
    assert (ig.first_day, ig.last_day) == (pd.Timestamp("2026-10-03"), pd.Timestamp("2026-10-04"))


def test_overlapping_exports_later_wins(fixture_client):
    root = fixture_client("warn-cafe")
    client = smmkit.load_client(root)
    posts = client.posts.set_index("post_id")
    # -7_2 is in both files; posts_october.csv covers later days (to 2026-10-02), so its values win.
    assert sorted(posts.index) == ["-7_1", "-7_2", "-7_3"]
    assert posts.loc["-7_2", "likes"] == 35
    assert posts.loc["-7_2", "impressions"] == 950
    assert posts.loc["-7_2", "_file"].endswith("posts_october.csv")
    overlap = [w for w in client.warnings if "overlapping exports" in w.message]
    assert len(overlap) == 1
    assert overlap[0].path.endswith("posts_september.csv")
    assert "1 posts row (e.g. line 3)" in overlap[0].message
    assert "posts_october.csv, the later export, whose values are used" in overlap[0].message


def test_overlapping_daily_audience_later_export_wins(make_client):
    root = make_client(
        {
            "a_new.csv": "network,date,followers\nvk,2026-10-02,110\nvk,2026-10-03,120\n",
            "b_old.csv": "network,date,followers\nvk,2026-10-01,100\nvk,2026-10-02,105\n",
        }
    )
    client = smmkit.load_client(root)
    # a_new.csv ends later (10-03) so it wins on 10-02 even though its name sorts first.
    got = dict(zip(client.audience["date"].dt.strftime("%m-%d"), client.audience["followers"], strict=True))
    assert got == {"10-01": 100, "10-02": 110, "10-03": 120}


def test_unknown_file_names_the_file_and_closest_format(make_client):
    root = make_client(
        {"mystery.csv": "Post ID,Account ID,Publish time,Viewz\n1,2,10/03/2026 08:15,5\n"}, slug="acme"
    )
    # Post ID + Account ID + Publish time is the Instagram signature: recognised.
    assert smmkit.load_client(root).files[0].format == "meta_instagram_content"
    (root / "exports" / "mystery.csv").write_text("Tweet id,time,impresions\n1,2020-02-10 18:00 +0000,5\n")
    with pytest.raises(
        FormatError, match=r"matches no known export format; the closest is X legacy tweet activity"
    ) as info:
        smmkit.load_client(root)
    assert info.value.path.endswith("mystery.csv")
    assert "'Tweet permalink'" in info.value.message  # what it lacks


def test_closest_format_for_a_broken_ga4_file(tmp_path):
    path = tmp_path / "ga.csv"
    path.write_text("# Start date: 20261001\nSession source / medium,Userz\ngoogle / organic,5\n")
    name, missing = closest_format(read_file(path))
    assert name == "Google Analytics 4 report CSV"
    assert "Sessions" in missing


def test_hidden_and_ignored_files_are_skipped(make_client):
    root = make_client(
        {
            "posts.csv": POSTS_HEADER + "vk,1,2026-10-01 10:00,10,5,1\n",
            ".~lock.posts.csv#": "junk",
            ".cache/x.csv": "junk",
            "ignore/old.csv": "junk",
            "ignore/deep/old.csv": "junk",
            "sub/ignore/inner.csv": POSTS_HEADER + "vk,2,2026-10-01 10:00,10,5,1\n",
        }
    )
    rel = [p.relative_to(root / "exports").as_posix() for p in export_files(root)]
    # Only exports/ignore/ is skipped, not a folder named ignore deeper down.
    assert rel == ["posts.csv", "sub/ignore/inner.csv"]
    assert len(smmkit.load_client(root).posts) == 2


def test_no_exports_folder_gives_empty_tables(tmp_path):
    root = tmp_path / "acme"
    root.mkdir()
    (root / "client.yaml").write_text("name: Acme\n")
    client = smmkit.load_client(root)
    assert client.files == [] and all(client.table(t).empty for t in TABLES)


def test_strict_raises_first_bad_file(make_client):
    root = make_client({"posts.csv": POSTS_HEADER + "vk,1,2026-10-01 10:00,10,5,x\n"})
    with pytest.raises(InputError, match=r"expected a number, got 'x'") as info:
        smmkit.load_client(root)
    assert (info.value.line, info.value.column) == (2, "likes")
    assert info.value.path.endswith("posts.csv")


def test_not_strict_collects_errors_and_keeps_good_files(make_client):
    root = make_client(
        {
            "a_bad.csv": POSTS_HEADER + "vk,1,2026-10-01 10:00,10,5,x\n",
            "b_good.csv": POSTS_HEADER + "vk,2,2026-10-01 10:00,10,5,1\n",
            "c_unknown.csv": "foo,bar\n1,2\n",
            "d_empty.csv": "",
        }
    )
    client = smmkit.load_client(root, strict=False)
    assert list(client.posts["post_id"]) == ["2"]
    errors = [(e.path.rsplit("/", 1)[-1], e.line, e.column) for e in client.errors]
    assert errors == [("a_bad.csv", 2, "likes"), ("c_unknown.csv", 1, None), ("d_empty.csv", None, None)]
    assert [f.format for f in client.files] == [None, "canonical_posts", None, None]
    assert client.files[0].error.endswith("a_bad.csv:2:likes: expected a number, got 'x'")


def test_config_error_is_raised_even_when_not_strict(make_client):
    root = make_client(yaml="name: Acme\ncolour: red\n")
    with pytest.raises(ConfigError, match="unknown key 'colour'"):
        smmkit.load_client(root, strict=False)


def test_tiktok_year_comes_from_the_other_exports(make_client, exports_dir):
    root = make_client(
        {
            "tt.csv": (exports_dir / "tiktok_follower_history.csv").read_bytes(),
            # The latest day of the other exports is 2027-01-03, so "January 2" is 2027.
            "posts.csv": POSTS_HEADER + "vk,1,2027-01-03 10:00,10,5,1\n",
        }
    )
    client = smmkit.load_client(root)
    tiktok = client.audience[client.audience["network"] == "tiktok"]
    assert list(tiktok["date"]) == [
        pd.Timestamp(d) for d in ("2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02")
    ]


def test_load_export_adds_the_path_to_errors(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(POSTS_HEADER + "vk,1,2026-10-01 10:00,10,5,abc\n")
    with pytest.raises(InputError) as info:
        load_export(path)
    assert str(info.value) == f"{path}:2:likes: expected a number, got 'abc'"


def test_complementary_exports_merge_without_warning_and_overlaps_name_the_winner(tmp_path):
    from smmkit.io.loading import load_client

    root = tmp_path / "merge-cafe"
    (root / "exports").mkdir(parents=True)
    (root / "client.yaml").write_text("name: Merge Cafe\n", encoding="utf-8")
    ex = root / "exports"
    (ex / "a_followers.csv").write_text("network,date,followers\nvk,2026-10-01,100\nvk,2026-10-02,110\n")
    (ex / "b_views.csv").write_text("network,date,page_views\nvk,2026-10-01,7\nvk,2026-10-02,9\n")
    client = load_client(root)
    # Same days, different columns: one row per day with both values, and nothing to warn about.
    assert client.audience[["followers", "page_views"]].astype(int).values.tolist() == [[100, 7], [110, 9]]
    assert not [w for w in client.warnings if "overlapping" in w.message]

    # A later export with followers for 10-02 overlaps a_followers.csv (not b_views.csv) on that day.
    (ex / "c_followers.csv").write_text("network,date,followers\nvk,2026-10-02,111\nvk,2026-10-03,120\n")
    client = load_client(root)
    assert client.audience["followers"].astype(int).tolist() == [100, 111, 120]
    assert client.audience["page_views"].tolist()[:2] == [7, 9]
    overlap = [w for w in client.warnings if "overlapping" in w.message]
    assert len(overlap) == 1
    assert overlap[0].path.endswith("a_followers.csv")
    assert "1 audience row (e.g. line 3) also in" in overlap[0].message
    assert overlap[0].message.split(" also in ")[1].startswith(str(ex / "c_followers.csv"))
