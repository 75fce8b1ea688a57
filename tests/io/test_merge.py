"""smmkit/io/merge.py: the client's tables from each export's tables, hand-computed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from smmkit.io import merge
from smmkit.io.client import FileInfo

TZ = "Europe/Moscow"


def audience(path: str, rows: list[tuple[str, str, int | None, int | None]]) -> pd.DataFrame:
    """An export's audience table: (network, day, followers, unique visitors) per row, lines from 2."""
    return pd.DataFrame(
        {
            "network": [r[0] for r in rows],
            "date": pd.to_datetime([r[1] for r in rows]),
            "followers": pd.array([r[2] for r in rows], dtype="Int64"),
            "unique_visitors": pd.array([r[3] for r in rows], dtype="Int64"),
            "_file": path,
            "_line": pd.array(range(2, len(rows) + 2), dtype="Int64"),
        }
    )


def info(path: str, last: str) -> FileInfo:
    return FileInfo(Path(path), "canonical_audience", last_day=pd.Timestamp(last))


def test_the_later_export_wins_column_by_column_and_says_so():
    old = audience("/c/a.csv", [("vk", "2026-10-02", 100, None), ("vk", "2026-10-01", 90, 7)])
    new = audience("/c/b.csv", [("vk", "2026-10-02", 105, 12), ("vk", "2026-10-03", 110, None)])
    files = [info("/c/a.csv", "2026-10-02"), info("/c/b.csv", "2026-10-03")]
    # b.csv covers the later day, so it wins wherever both have a value; a.csv is listed second
    frames, issues = merge.merge_tables([{"audience": new}, {"audience": old}], files, tz=TZ)
    got = frames["audience"]
    assert [d.day for d in got["date"]] == [1, 2, 3]
    assert got["followers"].tolist() == [90, 105, 110]
    assert got["unique_visitors"].tolist() == [7, 12, pd.NA]
    assert got["_file"].astype(str).tolist() == ["/c/a.csv", "/c/b.csv", "/c/b.csv"]
    assert set(frames) == {"posts", "audience", "ads", "inbox", "mentions", "web"} and frames["posts"].empty
    assert [(i.level, i.path, i.message) for i in issues] == [
        (
            "warning",
            "/c/a.csv",
            "overlapping exports: 1 audience row (e.g. line 2) also in /c/b.csv, the later export, "
            "whose values are used",
        )
    ]


def test_exports_that_complement_each_other_merge_silently():
    followers = audience("/c/a.csv", [("vk", "2026-10-02", 100, None)])
    visits = audience("/c/b.csv", [("vk", "2026-10-02", None, 12)])
    files = [info("/c/a.csv", "2026-10-02"), info("/c/b.csv", "2026-10-02")]
    frames, issues = merge.merge_tables([{"audience": followers}, {"audience": visits}], files, tz=TZ)
    got = frames["audience"]
    assert (got["followers"].tolist(), got["unique_visitors"].tolist()) == ([100], [12])
    assert issues == []


def test_overlapping_ad_ranges_of_two_exports_are_a_warning():
    def ads(path: str, start: str, end: str) -> pd.DataFrame:
        return pd.DataFrame(
            {"date": [pd.Timestamp(start)], "date_end": [pd.Timestamp(end)], "network": ["vk"],
             "campaign": ["autumn"], "spend": [10.0], "_file": path, "_line": pd.array([2], dtype="Int64")}
        )  # fmt: skip

    files = [info("/c/a.csv", "2026-10-10"), info("/c/b.csv", "2026-10-20")]
    loaded = [
        {"ads": ads("/c/a.csv", "2026-10-01", "2026-10-10")},
        {"ads": ads("/c/b.csv", "2026-10-05", "2026-10-20")},
    ]
    frames, issues = merge.merge_tables(loaded, files, tz=TZ)
    assert (
        frames["ads"]["spend"].sum() == 20.0 and issues == []
    )  # different keys: both kept, no overlap of values
    warned = merge.overlap_warnings(frames)
    assert [(i.path, i.line) for i in warned] == [("/c/a.csv", 2)]
    assert warned[0].message.startswith("ads rows covering 2026-10-01..2026-10-10 overlap rows of /c/b.csv")
