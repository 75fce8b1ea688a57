"""``smmkit validate`` as a library call: formats found, warnings, errors, exit codes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import smmkit
from smmkit.cli.text import validation_summary, validation_text
from smmkit.io.client import Client, Issue, IssueLevels
from smmkit.io.validate import ValidationReport, validate_client


def digest(root) -> dict[str, str]:
    """sha256 of every file under ``root`` (relative path -> hex digest), but the derived Parquet
    cache (``.smmkit-cache/``, written beside the raw files, never over them)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".smmkit-cache" not in p.relative_to(root).parts
    }


def test_clean_client_lists_every_file_with_its_format(fixture_client):
    root = fixture_client("clean-cafe")
    report = validate_client(root)
    assert not report.errors
    assert report.errors == [] and report.warnings == []
    text = validation_text(report)
    assert text.splitlines()[0] == "clean-cafe: Clean Cafe (timezone Europe/Moscow, currency RUB)"
    lines = text.splitlines()
    rows = {line.split()[0]: line for line in lines[2 : lines.index("notes:")]}
    # Columns the kit does not read are named once per file, never dropped silently.
    assert lines[lines.index("notes:") + 1 :] == [
        "  note: exports/instagram/content.csv: 7 columns not used by any KPI: Account ID, "
        "Account username, Account name, Duration (sec), Data comment, Date, Follows"
    ]
    assert set(rows) == {
        "exports/audience.csv",
        "exports/ga4.csv",
        "exports/instagram/content.csv",
        "exports/vk_posts.csv",
    }
    assert "[meta_instagram_content]" in rows["exports/instagram/content.csv"]
    assert "instagram" in rows["exports/instagram/content.csv"]
    assert "2 posts" in rows["exports/instagram/content.csv"]
    assert rows["exports/instagram/content.csv"].endswith("2026-10-03  2026-10-04")
    assert "[ga4]" in rows["exports/ga4.csv"] and "3 web" in rows["exports/ga4.csv"]
    assert "[canonical_audience]" in rows["exports/audience.csv"]
    assert rows["exports/audience.csv"].endswith("2026-10-01  2026-10-03")
    assert validation_summary(report) == "4 files, 0 unusable, 0 warnings: all files usable"


def test_warnings_reach_gaps_overlaps(fixture_client):
    root = fixture_client("warn-cafe")
    report = validate_client(root)
    assert not report.errors  # warnings do not make a file unusable
    got = {w.message.split(":")[0].split(" (")[0]: w for w in report.warnings}
    assert len(report.warnings) == 3

    over = got["reach 650 > impressions 500"]
    assert (over.path.rsplit("/", 1)[-1], over.line, over.column) == ("posts_october.csv", 3, "reach")

    # Days 10-01, 10-02, 10-05: 10-03 and 10-04 are missing.
    gap = got["gaps in vk daily audience data"]
    assert gap.message.endswith("2 missing day(s): 2026-10-03..2026-10-04")

    overlap = got["overlapping exports"]
    assert overlap.path.endswith("posts_september.csv")
    assert "posts_october.csv, the later export" in overlap.message
    assert "3 warnings:" in validation_text(report)
    assert validation_summary(report) == "3 files, 0 unusable, 3 warnings: all files usable"


def test_unusable_file_is_an_error_and_exit_1(fixture_client):
    root = fixture_client("bad-likes")
    report = validate_client(root)
    assert bool(report.errors)
    assert [str(e) for e in report.errors] == [
        f"{root}/exports/posts.csv:7:likes: expected a number, got 'abc'"
    ]
    assert "exports/posts.csv  UNUSABLE (see errors)" in validation_text(report)
    assert validation_summary(report) == "1 file, 1 unusable, 0 warnings: 1 error"


def test_bad_config_is_one_error(make_client):
    root = make_client(yaml="name: Acme\ntimezone: Mars/Olympus\n")
    report = validate_client(root)
    assert bool(report.errors)
    (line,) = [str(e) for e in report.errors]
    assert line.startswith(f"{root}/client.yaml:2:timezone: `timezone` must be an IANA time zone name")


def test_every_error_is_listed_not_only_the_first(make_client):
    root = make_client(
        {
            "a.csv": "network,post_id,published_at,likes\nvk,1,2026-10-01 10:00,x\n",
            "b.csv": "network,post_id,published_at,likes\nvk,1.5E+10,2026-10-01 10:00,1\n",
            "c.csv": "network,post_id,published_at,likes\nvk,3,2026-10-01 10:00,2\n",
        }
    )
    report = validate_client(root)
    assert bool(report.errors)
    assert [e.split("/exports/")[1].split(": ")[0] for e in [str(e) for e in report.errors]] == [
        "a.csv:2:likes",
        "b.csv:2:post_id",
    ]
    assert validation_summary(report) == "3 files, 2 unusable, 0 warnings: 2 errors"


def test_negative_count_in_posts_is_an_error(make_client):
    root = make_client(
        {
            "p.csv": "network,post_id,published_at,likes,comments\nvk,1,2026-10-01 10:00,5,2\nvk,2,2026-10-02 10:00,-3,-1\n"
        }
    )
    report = validate_client(root)
    assert bool(report.errors)
    (line,) = [str(e) for e in report.errors]
    assert line.endswith(
        "p.csv:3:likes: expected a count of zero or more, got '-3': a count cannot be negative"
    )


@pytest.mark.parametrize("client", ["clean-cafe", "warn-cafe", "bad-likes"])
def test_raw_files_are_byte_identical_after_loading_and_validating(fixture_client, client):
    root = fixture_client(client)
    before = digest(root)
    raw = lambda: [p for p in root.rglob("*") if p.is_file() and ".smmkit-cache" not in p.parts]  # noqa: E731
    mtimes = {p: p.stat().st_mtime_ns for p in raw()}
    smmkit.load_client(root, strict=False)
    validate_client(root)
    assert digest(root) == before
    assert {p: p.stat().st_mtime_ns for p in raw()} == mtimes


def test_the_client_and_the_validation_report_sort_issues_by_level_in_one_place():
    issues = [
        Issue("warning", "w1"),
        Issue("note", "n"),
        Issue("error", "e1", "a.csv", 3, "Date"),
        Issue("warning", "w2"),
    ]
    report = ValidationReport(Path("x"), issues=issues)
    assert [str(i) for i in report.errors] == ["a.csv:3:Date: e1"]
    assert [i.message for i in report.warnings] == ["w1", "w2"]
    for cls in (Client, ValidationReport):  # one implementation, not one per class
        assert cls.errors is IssueLevels.errors and cls.warnings is IssueLevels.warnings
