"""YouTube Studio (smmkit.io.formats.youtube), release 3 rules of data-contract.md section 2:
Chart data / Totals of any metric recognised, not used; Likes and Subscribers as net changes
(negative) accepted; rows without a publish time skipped with a warning that counts them and
their views. Fixtures follow real downloads (tests/fixtures/real/SOURCES.md), values ours.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from smmkit.errors import InputError
from smmkit.io.formats import LoadContext
from smmkit.io.loading import load_export
from smmkit.io.validate import validate_client

REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def load(name: str) -> tuple[str, dict, LoadContext]:
    ctx = LoadContext(tz="UTC")
    fmt, tables = load_export(REAL / name, ctx=ctx)
    return fmt.name, tables, ctx


def test_negative_likes_are_a_net_change_and_unpublished_rows_are_counted():
    name, tables, ctx = load("youtube_table_data_net_likes.csv")
    assert name == "youtube_content"
    posts = tables["posts"]
    assert list(posts["post_id"]) == ["aB3dE5fG7hI", "kL9mN1oP3qR"]
    assert [int(v) for v in posts["likes"]] == [41, -6]  # -6: more likes removed than added
    assert int(posts["likes"].sum()) == 35  # the Total row's 37 less the unpublished row's 2
    assert int(posts["video_views"].sum()) == 2500 + 1300
    assert ctx.warnings == [
        "1 row without a 'Video publish time' skipped (line 5; 305 views): videos never published "
        "(private or draft uploads) belong to no report period"
    ]


def test_unpublished_row_of_a_real_shorts_table_is_named_in_a_warning():
    _, tables, ctx = load("youtube_table_data_shorts.csv")
    assert len(tables["posts"]) == 2
    assert [w for w in ctx.warnings if "without a 'Video publish time'" in w] == [
        "1 row without a 'Video publish time' skipped (line 5; 11 views): videos never published "
        "(private or draft uploads) belong to no report period"
    ]


def test_negative_views_are_still_an_error(tmp_path):
    path = tmp_path / "Table data.csv"
    text = (REAL / "youtube_table_data_net_likes.csv").read_text(encoding="utf-8")
    path.write_text(text.replace(",2500,", ",-2500,"), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_export(path)
    assert (err.value.line, err.value.column) == (3, "Views")


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("youtube_chart_data_watch_time.csv", "youtube_chart_data"),
        ("youtube_totals_views_subscribers.csv", "youtube_totals"),
        ("youtube_totals_subscribers.csv", "youtube_totals"),
    ],
)
def test_chart_data_and_totals_of_any_metric_are_recognised_not_used(name, fmt):
    got, tables, _ = load(name)
    assert (got, tables) == (fmt, {})


def test_download_with_watch_time_chart_and_subscriber_totals_validates(tmp_path):
    root = tmp_path / "cafe"
    (root / "exports" / "youtube").mkdir(parents=True)
    (root / "client.yaml").write_text("name: Cafe\ntimezone: UTC\ncurrency: USD\n", encoding="utf-8")
    for src, dst in [
        ("youtube_table_data_net_likes.csv", "Table data.csv"),
        ("youtube_chart_data_watch_time.csv", "Chart data.csv"),
        ("youtube_totals_subscribers.csv", "Totals.csv"),
    ]:
        shutil.copy(REAL / src, root / "exports" / "youtube" / dst)
    report = validate_client(root)
    assert report.errors == []
    formats = {f.path.name: (f.format, bool(f.unused)) for f in report.client.files}
    assert formats == {
        "Table data.csv": ("youtube_content", False),
        "Chart data.csv": ("youtube_chart_data", True),
        "Totals.csv": ("youtube_totals", True),
    }
    assert int(report.client.posts["video_views"].sum()) == 3800
    assert [(Path(w.path).name, w.message) for w in report.warnings if "publish time" in w.message] == [
        (
            "Table data.csv",
            "1 row without a 'Video publish time' skipped (line 5; 305 views): "
            "videos never published (private or draft uploads) belong to no report period",
        )
    ]
