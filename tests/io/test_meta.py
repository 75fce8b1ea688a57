"""Meta exports as real users have them (issue 22, data-contract.md section 2, release 3): page series
holding several blocks, page series re-saved by a spreadsheet, Facebook legacy times in Pacific Time,
the legacy .xls whose Key Metrics header holds the description texts, content rows that leave out
their trailing empty cells or carry Meta's "An error occurred while computing metadata", and Meta Ads
exports in any currency. Expected values are hand sums of the fixture files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from smmkit.errors import InputError
from smmkit.io.formats import LoadContext
from smmkit.io.loading import load_export
from smmkit.io.validate import validate_client

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


def load(path: Path, tz: str = "Europe/Berlin", currency: str | None = None):
    ctx = LoadContext(tz=tz, currency=currency)
    fmt, tables = load_export(path, ctx=ctx)
    return fmt.name, tables, ctx


def sums(frame: pd.DataFrame, column: str) -> dict[str, int]:
    return {k: int(v) for k, v in frame.groupby("network")[column].sum().items()}


# ----------------------------------------------------------------------------- page series, several blocks


def test_page_series_with_a_facebook_and_an_instagram_block_reads_both():
    name, tables, _ = load(EXPORTS / "meta_follows_two_blocks.csv")
    assert name == "meta_page_series"
    aud = tables["audience"]
    assert sums(aud, "new_followers") == {"facebook": 12 + 9 + 15, "instagram": 31 + 0 + 26}
    ig = aud[aud["network"] == "instagram"]
    assert [d.date() for d in ig["date"]] == [
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 2),
        dt.date(2026, 10, 3),
    ]
    assert list(ig["_line"]) == [10, 11, 12]  # the file's own lines, for error messages


def test_page_series_blocks_without_a_blank_line_between_them(tmp_path):
    path = tmp_path / "Follows.csv"
    path.write_bytes(
        (
            'sep=,\n"Follows"\n"Date","Primary"\n"2026-10-01T00:00:00","4"\n"2026-10-02T00:00:00","6"\n'
            '"Instagram follows"\n"Date","Primary"\n"2026-10-01T00:00:00","8"\n"2026-10-02T00:00:00","1"\n'
        ).encode("utf-16")
    )
    _, tables, _ = load(path)
    aud = tables["audience"]
    assert sums(aud, "new_followers") == {"facebook": 10, "instagram": 9}
    assert list(aud["_line"]) == [4, 5, 8, 9]


def test_page_series_blocks_of_follows_and_visits_each_into_its_column(tmp_path):
    path = tmp_path / "Page.csv"
    path.write_bytes(
        (
            'sep=,\n"Facebook visits"\n"Date","Primary"\n"2026-10-01T00:00:00","300"\n\n'
            '"Facebook reach"\n"Date","Primary"\n"2026-10-01T00:00:00","9000"\n\n'
            '"Instagram follows"\n"Date","Primary"\n"2026-10-01T00:00:00","5"\n'
        ).encode("utf-16")
    )
    _, tables, ctx = load(path)
    aud = tables["audience"].set_index("network")
    assert int(aud.loc["facebook", "page_views"]) == 300 and pd.isna(aud.loc["facebook", "new_followers"])
    assert int(aud.loc["instagram", "new_followers"]) == 5
    assert ctx.notes == ["block 'Facebook reach': recognised, not used (only Follows and Visits are read)"]


# ----------------------------------------------------------------------------- re-saved by a spreadsheet


@pytest.mark.parametrize(
    ("fixture", "column", "expected"),
    [
        # UTF-8, `;`, the `sep=,` line kept as a cell: the lines below use `;`, so `;` it is.
        ("meta_visits_resaved_semicolon.csv", "page_views", {"facebook": 410 + 385 + 402}),
        ("meta_follows_resaved_tab.csv", "new_followers", {"instagram": 31 + 0 + 26}),  # UTF-16, sep=<TAB>
        ("meta_follows_wrapped_lines.csv", "new_followers", {"facebook": 12 + 9 + 15}),  # "sep=," wrapped too
        ("meta_follows_wrapped_utf16.csv", "new_followers", {"instagram": 31 + 0 + 26}),  # bare sep=, first
    ],
)
def test_page_series_re_saved_by_a_spreadsheet(fixture, column, expected):
    name, tables, _ = load(EXPORTS / fixture)
    assert name == "meta_page_series"
    assert sums(tables["audience"], column) == expected
    assert list(tables["audience"]["_line"]) == [4, 5, 6]


def test_sep_line_spelled_backslash_t(tmp_path):
    path = tmp_path / "Follows.csv"
    path.write_text('sep=\\t\n"Follows"\n"Date"\t"Primary"\n"2026-10-01T00:00:00"\t"7"\n', encoding="utf-8")
    _, tables, _ = load(path)
    assert sums(tables["audience"], "new_followers") == {"facebook": 7}


def test_a_one_column_file_of_quoted_cells_is_not_unwrapped(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text('network,post_id,published_at,text\nvk,1,2026-10-01 10:00,"a, b"\n', encoding="utf-8")
    _, tables, _ = load(path)
    assert tables["posts"]["text"].tolist() == ["a, b"]


# ----------------------------------------------------------------------------- Facebook legacy: Pacific Time


def test_facebook_legacy_csv_posted_is_pacific_time(tmp_path):
    path = tmp_path / "Facebook Insights Data Export (Post Level) - Cafe.csv"
    path.write_text(
        "Post ID,Permalink,Post Message,Type,Posted,Lifetime Post Total Reach\n"
        ",,,,,Lifetime: The total number of people your Page post was served to. (Unique Users)\n"
        "1_1,https://www.facebook.com/1/posts/1,Winter,Photo,1/15/2026 23:30,100\n"  # PST, UTC-8
        "1_2,https://www.facebook.com/1/posts/2,Summer,Photo,7/15/2026 23:30,200\n",  # PDT, UTC-7
        encoding="utf-8",
    )
    _, tables, _ = load(path, tz="Europe/Moscow")
    posts = tables["posts"]
    assert list(posts["published_at"]) == [
        pd.Timestamp("2026-01-16 10:30", tz="Europe/Moscow"),
        pd.Timestamp("2026-07-16 09:30", tz="Europe/Moscow"),
    ]
    assert str(posts["published_at"].dt.tz) == "Europe/Moscow"


def test_facebook_legacy_xls_description_headers_map_reach_and_impressions():
    name, tables, ctx = load(EXPORTS / "facebook_posts_legacy_descriptions.xls", tz="Europe/Berlin")
    assert name == "facebook_insights_posts_workbook"
    posts = tables["posts"]
    assert int(posts["reach"].sum()) == 2400 + 1100
    assert int(posts["impressions"].sum()) == 3100 + 1480
    assert int(posts["reach_organic"].sum()) == 2000 + 1100 and int(posts["reach_paid"].sum()) == 400
    assert int(posts["engaged_users"].sum()) == 210 + 64
    assert int(posts["likes"].sum()) == 95 + 30 and int(posts["shares"].sum()) == 8
    # Posted in Pacific Time: 10/1/2026 21:30 PDT is 2026-10-02 06:30 in Berlin.
    assert list(posts["published_at"]) == [
        pd.Timestamp("2026-10-02 06:30", tz="Europe/Berlin"),
        pd.Timestamp("2026-10-02 17:15", tz="Europe/Berlin"),
    ]
    ignored = ctx.ignored()
    assert not any(
        h.startswith("Lifetime: The") and "(Unique Users)" in h and "served to" in h for h in ignored
    )
    assert "Lifetime: The number of impressions of your Page post. (Total Count)" not in ignored


# ----------------------------------------------------------------------------- Meta content: short and error rows


def test_meta_content_short_rows_are_read_and_metadata_error_rows_skipped_with_a_warning():
    name, tables, ctx = load(EXPORTS / "meta_facebook_content_short_rows.csv")
    assert name == "meta_facebook_content"
    posts = tables["posts"]
    assert len(posts) == 4 and list(posts["_line"]) == [2, 4, 6, 7]
    assert int(posts["impressions"].sum()) == 2100 + 1350 + 5300 + 640
    assert int(posts["reach"].sum()) == 1400 + 980 + 3900 + 512
    assert int(posts["likes"].sum()) == 50 + 25 + 120 and int(posts["shares"].sum()) == 4 + 2 + 8
    assert posts["likes"].isna().tolist() == [False, False, False, True]  # a text post without the cells
    assert ctx.warnings == [
        'skipped 3 rows without a Post ID that Meta marked "An error occurred while computing metadata" '
        "(lines 3, 5, 8); the other posts are read. Meta could not compute those posts: export again later "
        "to include them"
    ]


def test_meta_content_last_line_cut_off_is_still_a_truncated_download(tmp_path):
    text = (EXPORTS / "meta_facebook_content_short_rows.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    path = tmp_path / "content.csv"
    path.write_text("\n".join(lines[:-1])[:-40], encoding="utf-8")  # no line break at the end: cut mid-line
    with pytest.raises(InputError) as info:
        load_export(path, tz="Europe/Berlin")
    assert info.value.line == 7 and "truncated" in info.value.message


def test_meta_instagram_content_short_row_and_metadata_error_row(tmp_path):
    path = tmp_path / "ig.csv"
    path.write_text(
        '"Post ID","Account ID","Account username","Account name",Description,"Duration (sec)","Publish time",'
        'Permalink,"Post type","Data comment",Date,Views,Reach,Likes,Shares,Follows,Comments,Saves\n'
        '18000000000000001,17800000000000000,cafe,Cafe,Hi,0,"10/02/2026 10:00",https://ig/p/1,"IG image",,'
        "Lifetime,900,700,80,3,1,9,12\n"
        ',17800000000000000,cafe,Cafe,,,,,,"An error occurred while computing metadata",Lifetime\n'
        '18000000000000002,17800000000000000,cafe,Cafe,Reel,15,"10/03/2026 19:00",https://ig/p/2,"IG reel",,'
        "Lifetime,4000,3100,210\n",
        encoding="utf-8",
    )
    name, tables, ctx = load(path)
    assert name == "meta_instagram_content"
    posts = tables["posts"]
    assert int(posts["impressions"].sum()) == 4900 and int(posts["likes"].sum()) == 290
    assert posts["saves"].isna().tolist() == [False, True]
    assert len(ctx.warnings) == 1 and ctx.warnings[0].startswith("skipped 1 row without a Post ID")


def test_a_row_without_post_id_and_without_metas_comment_is_still_an_error(tmp_path):
    text = (EXPORTS / "meta_facebook_content_short_rows.csv").read_text(encoding="utf-8-sig")
    path = tmp_path / "content.csv"
    path.write_text(text.replace("An error occurred while computing metadata", "", 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_export(path, tz="Europe/Berlin")
    assert (info.value.line, info.value.column) == (3, "Post ID")


# ----------------------------------------------------------------------------- Meta Ads in any currency


def test_meta_ads_amount_spent_in_hryvnia_is_the_spend_column():
    name, tables, _ = load(EXPORTS / "meta_ads_uah.csv", currency="UAH")
    assert name == "meta_ads"
    ads = tables["ads"]
    assert ads["spend"].sum() == pytest.approx(12_300.75 + 6_150.00)  # the account total row is dropped
    assert int(ads["clicks"].sum()) == 980 + 340 and int(ads["impressions"].sum()) == 48_000 + 13_200
    assert ads["leads"].sum() == 41  # lead_grouped only; "reach" results are not leads


def test_meta_ads_xlsx_with_amount_spent_uah_below_a_title(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Raw Data Report"
    ws.append(["Coffee Point ads, Oct 1, 2026 - Oct 31, 2026"])
    ws.append([])
    ws.append(["Campaign name", "Day", "Amount spent (UAH)", "Impressions", "Reach", "Link clicks", "Leads"])
    ws.append(["Autumn leads", dt.datetime(2026, 10, 1), 410.5, 1600, 1200, 33, 2])
    ws.append(["Autumn leads", dt.datetime(2026, 10, 2), 395.25, 1550, 1150, 29, 1])
    path = tmp_path / "Coffee-Point-Ads-Oct-1-2026-Oct-31-2026.xlsx"
    wb.save(path)
    name, tables, _ = load(path, currency="UAH")
    assert name == "meta_ads"
    ads = tables["ads"]
    assert ads["spend"].sum() == pytest.approx(805.75) and int(ads["clicks"].sum()) == 62
    assert int(ads["leads"].sum()) == 3
    assert [d.date() for d in ads["date"]] == [dt.date(2026, 10, 1), dt.date(2026, 10, 2)]


def test_meta_ads_in_another_currency_are_left_out_with_a_warning():
    name, tables, ctx = load(EXPORTS / "meta_ads_uah.csv", currency="EUR")
    assert name == "meta_ads" and tables == {}
    (warning,) = ctx.warnings
    assert warning.startswith(
        "this Meta Ads Manager export is in UAH, client.yaml says currency EUR: its rows are left out and "
        "the cost KPIs are null"
    )
    assert warning.endswith("export the ad account in EUR or set `currency: UAH` in client.yaml")
    assert ctx.ignored() == []


def test_an_ad_export_in_another_currency_does_not_fail_the_client(tmp_path):
    root = tmp_path / "cafe"
    (root / "exports").mkdir(parents=True)
    (root / "client.yaml").write_text("name: Cafe\ntimezone: Europe/Kyiv\ncurrency: EUR\n", encoding="utf-8")
    shutil.copy(EXPORTS / "meta_ads_uah.csv", root / "exports")
    shutil.copy(EXPORTS / "meta_follows_two_blocks.csv", root / "exports")
    report = validate_client(root)
    assert not report.errors
    (warning,) = [w for w in report.warnings if "meta_ads_uah.csv" in str(w.path)]
    assert "is in UAH" in warning.message and "currency: UAH" in warning.message
    client = report.client
    assert client.ads.empty or client.ads["spend"].isna().all()
    assert sums(client.audience, "new_followers") == {"facebook": 36, "instagram": 57}
