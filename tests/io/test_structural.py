"""Structural problems every reader reports as ``PATH:LINE:COLUMN`` errors (data-contract.md section 2),
look-alike formats that must never be read as per-post lifetime totals, library warnings, symlinked
client folders, and the closest-format hint."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

import smmkit
from smmkit.errors import FormatError, InputError
from smmkit.io.loading import load_export
from smmkit.io.validate import validate_client

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
DOWNLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "downloads"
POSTS = "network,post_id,published_at,likes,comments\n"


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_export(path, tz="Europe/Moscow")
    return info.value


def test_truncated_download_last_row_short_is_an_error():
    err = error_of(EXPORTS / "truncated_download.csv")
    assert err.location_message() == (
        f"{EXPORTS / 'truncated_download.csv'}:3:retweets: this row has 6 fields, the header has 10: "
        "a truncated or damaged download; export the file again"
    )


def test_row_with_more_fields_than_the_header_is_an_error(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(POSTS + "vk,1,2026-10-01 10:00,5,2\nvk,2,2026-10-02 10:00,5,2,7\n")
    err = error_of(path)
    assert (err.line, err.column) == (3, "comments")
    assert "this row has 6 fields, the header has 5" in err.message


def test_trailing_empty_fields_are_not_an_error(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(POSTS + "vk,1,2026-10-01 10:00,5,2,,\n")
    _, tables = load_export(path)
    assert int(tables["posts"]["likes"].iloc[0]) == 5


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        (POSTS + "vk,1,2026-10-01 10:00,5,2\nvk,2,2026-10-02 10:00,-3,1\n", 3, "likes"),
        ("Date,Followers,Difference in followers from previous day\nOctober 1,-5,1\n", 2, "Followers"),
    ],
)
def test_negative_count_is_an_error(tmp_path, text, line, column):
    path = tmp_path / "n.csv"
    path.write_text(text)
    err = error_of(path)
    assert (err.line, err.column) == (line, column)
    assert "a count cannot be negative" in err.message


def test_same_post_id_twice_with_other_values_is_an_error(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(
        POSTS + "vk,1,2026-10-01 10:00,5,2\nvk,2,2026-10-01 11:00,1,0\nvk,1,2026-10-01 10:00,9,2\n"
    )
    err = error_of(path)
    assert (err.line, err.column) == (4, "post_id")
    assert "post ID '1' again (first at line 2) with other values (likes)" in err.message


def test_exact_repeat_of_a_post_row_counts_once(tmp_path):
    root = tmp_path / "acme"
    (root / "exports").mkdir(parents=True)
    (root / "client.yaml").write_text("name: Acme\n")
    (root / "exports" / "p.csv").write_text(POSTS + "vk,1,2026-10-01 10:00,5,2\nvk,1,2026-10-01 10:00,5,2\n")
    client = smmkit.load_client(root)
    assert len(client.posts) == 1 and int(client.posts["likes"].sum()) == 5


# ----------------------------------------------------------------------------- look-alike pairs
# A per-post format whose rows repeat a post ID across dates is never read as lifetime totals.


def test_youtube_chart_data_is_not_table_data():
    fmt, tables = load_export(DOWNLOADS / "youtube" / "Chart data.csv")
    assert (fmt.name, tables) == ("youtube_chart_data", {})
    fmt, tables = load_export(DOWNLOADS / "youtube" / "Table data.csv")
    assert fmt.name == "youtube_content" and len(tables["posts"]) == 2


def test_youtube_chart_data_without_its_date_column_is_an_error(tmp_path):
    # The same rows with the Date column cut away look like Table data: the repeated IDs give it away.
    lines = (DOWNLOADS / "youtube" / "Chart data.csv").read_text().splitlines()
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(line.split(",", 1)[1] for line in lines) + "\n")
    err = error_of(path)
    assert (err.line, err.column) == (3, "Content")
    assert "a per-day table" in err.message


@pytest.mark.parametrize(
    ("header", "rows", "column"),
    [
        (  # Meta Business Suite content exported with a daily breakdown instead of Lifetime
            "Post ID,Page ID,Page name,Publish time,Post type,Reach,Reactions,Comments,Shares,Date",
            ["101,9,Cafe,10/01/2026 10:00,Photo,500,20,2,1,10/01/2026",
             "101,9,Cafe,10/01/2026 10:00,Photo,200,5,0,0,10/02/2026"],
            "Post ID",
        ),
        (  # Instagram by date
            "Post ID,Account ID,Account username,Publish time,Post type,Views,Reach,Likes,Date",
            ["201,7,cafe,10/01/2026 10:00,IG image,900,600,40,10/01/2026",
             "201,7,cafe,10/01/2026 10:00,IG image,300,250,12,10/02/2026"],
            "Post ID",
        ),
        (  # TikTok Content with a video twice
            "Time,Video title,Video link,Post time,Total likes,Total comments,Total shares,Total views",
            ["October 30,A,https://www.tiktok.com/@c/video/7430000000000000001,October 3,10,1,1,100",
             "October 30,A,https://www.tiktok.com/@c/video/7430000000000000001,October 3,12,1,1,140"],
            "Video link",
        ),
    ],
    ids=["meta-facebook-by-date", "meta-instagram-by-date", "tiktok-content-twice"],
)  # fmt: skip
def test_per_post_format_repeating_a_post_across_dates_is_an_error(tmp_path, header, rows, column):
    path = tmp_path / "look-alike.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    with pytest.raises(InputError) as info:
        load_export(path, tz="Europe/Moscow", anchor_day=__import__("datetime").date(2026, 10, 31))
    assert (info.value.line, info.value.column) == (3, column)
    assert "rows repeating a post (one per day) are a per-day table" in info.value.message


# ----------------------------------------------------------------------------- folder and library


def test_symlinked_client_folder_keeps_the_links_name(tmp_path):
    target = tmp_path / "store" / "Target Folder.v2"
    (target / "exports").mkdir(parents=True)
    (target / "client.yaml").write_text("name: Acme\n")
    (target / "exports" / "p.csv").write_text(POSTS + "vk,1,2026-10-01 10:00,5,2\n")
    link = tmp_path / "clients" / "acme-co"
    link.parent.mkdir()
    link.symlink_to(target, target_is_directory=True)
    client = smmkit.load_client(link)
    assert client.slug == "acme-co" and len(client.posts) == 1


def _xlsx_without_default_style(path: Path) -> None:
    """A LinkedIn content export whose styles part lacks cellStyles: openpyxl warns about it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "All posts"
    ws.append(["Data for the selected date range."])
    ws.append(
        ["Post title", "Post link", "Created date", "Impressions", "Clicks", "Likes", "Comments", "Reposts"]
    )
    ws.append(
        ["Autumn", "https://www.linkedin.com/feed/update/urn:li:activity:1", "10/01/2026", 100, 4, 3, 1, 0]
    )
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/styles.xml":
                data = re.sub(rb"<cellStyles.*?</cellStyles>", b"", data, flags=re.S)
            out.writestr(item, data)


def test_library_warnings_never_reach_the_user(tmp_path):
    root = tmp_path / "acme"
    (root / "exports").mkdir(parents=True)
    (root / "client.yaml").write_text("name: Acme\n")
    _xlsx_without_default_style(root / "exports" / "content.xlsx")
    with pytest.warns(UserWarning, match="no default style"):
        openpyxl.load_workbook(root / "exports" / "content.xlsx")  # the library does warn
    proc = subprocess.run(
        [sys.executable, "-W", "always", "-m", "smmkit.cli", "validate", str(root)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "linkedin_content" in proc.stdout
    for text in (proc.stdout, proc.stderr):
        assert "Warning" not in text and "site-packages" not in text and "Traceback" not in text


# ----------------------------------------------------------------------------- hints


def test_closest_format_shares_the_most_header_names(tmp_path):
    path = tmp_path / "mystery.csv"
    # Meta Ads Manager without its Amount spent column: 4 names shared with it, 1 with X legacy.
    path.write_text(
        "Campaign name,Reporting starts,Reporting ends,Impressions,Cost\nA,2026-10-01,2026-10-02,5,1\n"
    )
    with pytest.raises(
        FormatError, match=r"the closest is Meta Ads Manager export \(it lacks 'Amount spent'"
    ):
        load_export(path)


def test_recognised_unused_report_says_what_to_export(make_client):
    root = make_client(
        {
            "pages.csv": (DOWNLOADS / "ga4" / "pages_and_screens.csv").read_text(),
            "n.csv": POSTS + "vk,1,2026-10-01 10:00,5,2\n",
        }
    )
    report = validate_client(root)
    assert not report.errors
    (note,) = [n for n in report.notes if n.path == "exports/pages.csv"]
    assert note.message.startswith("recognised, not used: not session-scoped by source")
    assert "Traffic acquisition (Session source / medium)" in note.message


# ----------------------------------------------------------------------------- Facebook legacy .xls


def test_facebook_legacy_xls_workbook_posts_join_the_action_sheets():
    fmt, tables = load_export(EXPORTS / "facebook_posts_legacy.xls", tz="Europe/Moscow")
    assert fmt.name == "facebook_insights_posts_workbook"
    posts = tables["posts"].set_index("post_id")
    # Key Metrics by API name (readable names in the row below), Stories and Consumptions by Post ID.
    assert [int(v) for v in posts["reach"]] == [1500, 900]  # post_impressions_unique:lifetime
    assert [int(v) for v in posts["impressions"]] == [2100, 1250]  # post_impressions:lifetime
    assert [int(v) for v in posts["likes"]] == [64, 31] and [int(v) for v in posts["comments"]] == [9, 4]
    assert posts.loc["111_201", "shares"] == 5 and posts["shares"].isna().tolist() == [False, True]
    assert [int(v) for v in posts["clicks"]] == [0, 57]  # link clicks, not other clicks
    assert posts.loc["111_202", "text"] == "New roast & cake"


def test_facebook_legacy_xls_workbook_page_level_by_api_names(tmp_path):
    ns = 'xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'

    def cells(*values):
        return "<Row>" + "".join(f'<Cell><Data ss:Type="String">{v}</Data></Cell>' for v in values) + "</Row>"

    path = tmp_path / "Facebook Insights Data Export - Cafe.xls"
    path.write_text(
        f'<?xml version="1.0"?>\n<Workbook {ns}><Worksheet ss:Name="Key Metrics"><Table>'
        + cells("Date", "page_fans:lifetime", "page_fan_adds_unique:day", "page_fan_removes_unique:day")
        + cells("2026-10-01", "1200", "15", "3")
        + cells("2026-10-02", "1209", "11", "2")
        + "</Table></Worksheet></Workbook>\n"
    )
    fmt, tables = load_export(path)
    assert fmt.name == "facebook_insights_page_workbook"
    aud = tables["audience"]
    assert [int(v) for v in aud["followers"]] == [1200, 1209]
    assert [int(v) for v in aud["new_followers"]] == [15, 11] and [int(v) for v in aud["lost_followers"]] == [
        3,
        2,
    ]


def test_xml_with_entities_is_refused(tmp_path):
    path = tmp_path / "bomb.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet/></Workbook>\n'
    )
    err = error_of(path)
    assert "declares entities" in err.message


def test_header_with_an_unnamed_trailing_field_accepts_rows_without_it(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("network,post_id,published_at,likes,comments,\nvk,1,2026-10-01 10:00,5,2\n")
    _, tables = load_export(path)
    assert int(tables["posts"]["likes"].iloc[0]) == 5
