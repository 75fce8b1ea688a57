"""TikTok Studio ``Content.csv`` (smmkit.io.formats.tiktok): the year-less ``Post time`` takes its
year from the download day (``Time``), never from the row order (TikTok sorts rows by views).

The fixture follows a real Content.csv (tests/fixtures/real/SOURCES.md): every row carries the
same ``Time`` (the day of the export), rows in no order of date, one post from the spring before.
Expected values are hand sums of the fixture's rows.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import smmkit
from smmkit.errors import InputError
from smmkit.io.formats.tiktok import content_days
from smmkit.io.loading import load_export
from smmkit.io.readers import RawTable

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
CONTENT = REAL / "tiktok_content_by_views_new_year.csv"
MSK = "Europe/Moscow"


def posts(anchor: dt.date) -> pd.DataFrame:
    fmt, tables = load_export(CONTENT, tz=MSK, anchor_day=anchor)
    assert fmt.name == "tiktok_content"
    return tables["posts"]


@pytest.mark.parametrize("anchor", [dt.date(2026, 1, 17), dt.date(2025, 12, 31), dt.date(2026, 2, 20)])
def test_post_days_follow_the_download_day_not_the_row_order(anchor):
    # Time "January 18" nearest to the other exports' last day: 2026-01-18, whichever of these.
    frame = posts(anchor)
    got = dict(zip(frame["post_id"].str[-2:], frame["published_at"].dt.strftime("%Y-%m-%d"), strict=True))
    assert got == {
        "01": "2026-01-10", "02": "2025-12-30", "03": "2025-04-20", "04": "2025-10-02",
        "05": "2025-05-08", "06": "2026-01-15", "07": "2025-06-30", "08": "2025-04-01",
        "09": "2025-07-01", "10": "2025-05-31",
    }  # fmt: skip


def test_exact_sums_per_quarter():
    frame = posts(dt.date(2026, 1, 17))
    quarter = frame["published_at"].dt.tz_localize(None).dt.to_period("Q").astype(str)
    per = frame.groupby(quarter)["video_views"].agg(["count", "sum"])
    assert {q: (int(r["count"]), int(r["sum"])) for q, r in per.iterrows()} == {
        "2025Q2": (5, 3402 + 2211 + 1500 + 1204 + 754),  # 9,071: April 20, May 8, June 30, April 1, May 31
        "2025Q3": (1, 980),
        "2025Q4": (2, 14210 + 2950),
        "2026Q1": (2, 28590 + 1980),
    }
    assert int(frame["likes"].sum()) == 529 + 1428 + 310 + 84 + 69 + 331 + 48 + 12 + 11 + 7
    assert int(frame["shares"].sum()) == 122 + 1087 + 40 + 8 + 4 + 68 + 22 + 3 + 2 + 0


def table(*rows: tuple[str, str]) -> RawTable:
    return RawTable(
        Path("Content.csv"), ["Time", "Post time"], [list(r) for r in rows], list(range(2, 2 + len(rows))), 1
    )


def test_download_day_never_after_today_and_russian_months():
    # No other export: the anchor is today; "18 января" cannot be a later day than today.
    t = table(("18 января", "20 апреля"), ("18 января", "10 января"))
    assert content_days(t, dt.date(2026, 1, 19), today=dt.date(2026, 1, 19)) == ["2025-04-20", "2026-01-10"]
    assert content_days(t, dt.date(2026, 1, 17), today=dt.date(2026, 1, 17)) == ["2024-04-20", "2025-01-10"]


def test_leap_day_and_a_day_after_the_download_day():
    t = table(("March 1", "February 29"), ("March 1", "March 2"))
    # 2024-03-01: 29 February 2024 is the day before; "March 2" is 2023-03-02 (365 days before).
    assert content_days(t, dt.date(2024, 3, 1), today=dt.date(2025, 1, 1)) == ["2024-02-29", "2023-03-02"]
    with pytest.raises(InputError) as err:
        content_days(table(("March 1", "February 29")), dt.date(2025, 3, 1), today=dt.date(2026, 1, 1))
    assert (err.value.line, err.value.column) == (2, "Post time")
    assert "2025-03-01" in err.value.message


def _alone(tmp_path: Path) -> Path:
    root = tmp_path / "cafe"
    (root / "exports").mkdir(parents=True)
    (root / "client.yaml").write_text(
        "name: Cafe\ntimezone: Europe/Moscow\ncurrency: RUB\n", encoding="utf-8"
    )
    return root


def _quarters(client) -> dict[str, int]:
    posts = client.posts
    quarter = posts["published_at"].dt.tz_localize(None).dt.to_period("Q").astype(str)
    return {q: int(v) for q, v in posts.groupby(quarter)["video_views"].sum().items()}


# Written in January 2025 (not today): the posts are a year before those of the tests above.
EXPECTED = {"2024Q2": 9071, "2024Q3": 980, "2024Q4": 17160, "2025Q1": 30570}


def test_alone_the_download_day_takes_its_year_from_the_file_modification_time(tmp_path):
    root = _alone(tmp_path)
    path = root / "exports" / "Content.csv"
    shutil.copy(CONTENT, path)
    written = dt.datetime(2025, 1, 20, 12, 0).timestamp()
    os.utime(path, (written, written))
    client = smmkit.load_client(root, cache=False)
    assert _quarters(client) == EXPECTED
    (warning,) = client.warnings
    assert "(2025-01-20)" in warning.message and warning.path == str(path)


def test_alone_in_a_zip_the_member_day_recorded_by_the_archive(tmp_path):
    root = _alone(tmp_path)
    with zipfile.ZipFile(root / "exports" / "tiktok.zip", "w") as zf:
        zf.writestr(zipfile.ZipInfo("Content.csv", date_time=(2025, 1, 19, 9, 30, 0)), CONTENT.read_bytes())
    client = smmkit.load_client(root, cache=False)
    assert _quarters(client) == EXPECTED
    (warning,) = client.warnings
    assert "(2025-01-19)" in warning.message and warning.path.endswith("tiktok.zip!Content.csv")
