"""``smmkit validate CLIENT_DIR`` through the command line (data-contract.md section 3)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from smmkit.cli import main

ERROR_LINE = re.compile(r"^\S+:\d+:\S+: ")
ACCEPTANCE = "posts.csv:7:likes: expected a number, got 'abc'"


def run_main(argv, capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse exits on usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_acceptance_abc_in_likes_on_line_7(fixture_client, capsys):
    root = fixture_client("bad-likes")
    code, out, err = run_main(["validate", str(root)], capsys)
    assert code == 1
    located = [line for line in err.splitlines() if ERROR_LINE.match(line)]
    assert len(located) == 1
    assert located[0].endswith(ACCEPTANCE)
    assert "Traceback" not in out + err


def test_acceptance_through_a_subprocess(fixture_client):
    root = fixture_client("bad-likes")
    proc = subprocess.run(
        [sys.executable, "-m", "smmkit.cli", "validate", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    located = [line for line in proc.stderr.splitlines() if ERROR_LINE.match(line)]
    assert len(located) == 1 and located[0].endswith(ACCEPTANCE)
    assert proc.stderr.splitlines()[-1] == "1 file, 1 unusable, 0 warnings: 1 error"
    assert "Traceback" not in proc.stdout + proc.stderr


def test_clean_client_exit_0_and_every_file_listed(fixture_client, capsys):
    root = fixture_client("clean-cafe")
    code, out, err = run_main(["validate", str(root)], capsys)
    assert code == 0, err
    for rel, fmt in [
        ("exports/audience.csv", "canonical_audience"),
        ("exports/ga4.csv", "ga4"),
        ("exports/instagram/content.csv", "meta_instagram_content"),
        ("exports/vk_posts.csv", "canonical_posts"),
    ]:
        (row,) = [line for line in out.splitlines() if line.startswith(rel + " ")]
        assert f"[{fmt}]" in row
    assert "ignore" not in out and ".hidden" not in out
    assert err.splitlines() == ["4 files, 0 unusable, 0 warnings: all files usable"]


def test_warnings_are_printed_and_exit_0(fixture_client, capsys):
    code, out, err = run_main(["validate", str(fixture_client("warn-cafe"))], capsys)
    assert code == 0
    assert "posts_october.csv:3:reach: reach 650 > impressions 500" in out
    assert "gaps in vk daily audience data" in out
    assert "overlapping exports" in out
    assert not [line for line in err.splitlines() if ERROR_LINE.match(line)]


@pytest.mark.parametrize(
    "argv",
    [["validate"], ["validate", "x", "--bogus"], [], ["validat", "x"], ["validate", "a", "b"]],
    ids=["missing-dir", "unknown-option", "no-command", "unknown-command", "two-dirs"],
)
def test_usage_errors_exit_2(argv, capsys):
    code, out, err = run_main(argv, capsys)
    assert code == 2
    assert "usage: smmkit" in err and "Traceback" not in out + err


def test_usage_error_through_a_subprocess():
    proc = subprocess.run(
        [sys.executable, "-m", "smmkit.cli", "validate"], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 2
    assert "the following arguments are required: CLIENT_DIR" in proc.stderr


BROKEN = {
    "binary.csv": b"\x00\x01\x02\x03PK",
    "empty.csv": b"",
    "utf16_broken.csv": b"\xff\xfe" + "network,post_id".encode("utf-16-le") + b"\x00\xd8",
    "corrupt.xlsx": b"PK\x03\x04" + b"\x07" * 40,
    "corrupt.xls": b"\xd0\xcf\x11\xe0" + b"\x00" * 40,
    "half_header.csv": b"network,post_id,published_at,likes\nvk,1",
    "bad_quote.csv": b'network,post_id,published_at,likes\nvk,"1,2026-10-01 10:00,3\n',
    "ga4_no_dates.csv": b"Session source,Sessions\ngoogle,5\n",
    "sci_id.csv": b"Post ID,Account ID,Publish time,Reach\n1.2E+16,1,10/03/2026 08:15,5\n",
    "tiktok_bad.csv": b"Date,Followers,Difference in followers from previous day\nFebruary 30,1,1\n",
    "fb_junk.csv": b"Post ID,Permalink,Posted,Lifetime Post Total Reach\n,,,\n,,,desc\n",
    "only_header.csv": b"network,post_id,published_at,likes\n",
    "huge_number.csv": b"network,post_id,published_at,likes\nvk,1,2026-10-01 10:00,1e300\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_files_never_give_a_traceback(make_client, capsys, name):
    root = make_client({name: BROKEN[name]})
    code, out, err = run_main(["validate", str(root)], capsys)
    assert "Traceback" not in out + err
    assert code in (0, 1)
    if code == 1:
        assert any(ERROR_LINE.match(line) or line.startswith(str(root)) for line in err.splitlines())


def test_bad_client_yaml_exit_1_without_traceback(make_client, capsys):
    root = make_client(yaml="name: [unclosed\n")
    code, out, err = run_main(["validate", str(root)], capsys)
    assert code == 1
    assert f"{root}/client.yaml:2: not valid YAML" in err
    assert "Traceback" not in out + err


def test_missing_client_dir_is_a_usage_error(tmp_path, capsys):
    code, _, err = run_main(["validate", str(tmp_path / "nope")], capsys)
    assert code == 2
    assert "is not a folder" in err and "Traceback" not in err


def test_folder_without_client_yaml_exit_1(tmp_path, capsys):
    (tmp_path / "acme").mkdir()
    code, _, err = run_main(["validate", str(tmp_path / "acme")], capsys)
    assert code == 1
    assert "missing client.yaml" in err


def test_validate_prints_coverage_and_warns_of_a_stale_source(make_client, capsys):
    # issue 23: a Facebook export ending in 2016 beside current Instagram exports got "all files usable"
    head = "network,post_id,published_at,likes\n"
    root = make_client(
        {
            "facebook_posts.csv": head
            + "facebook,f1,2016-02-01T10:00:00+00:00,3\nfacebook,f2,2016-02-14T10:00:00+00:00,4\n",
            "instagram_posts.csv": head + "instagram,i1,2026-10-30T10:00:00+00:00,5\n",
            "audience.csv": "network,date,followers\ninstagram,2026-10-01,100\ninstagram,2026-10-31,120\n",
        }
    )
    code, out, err = run_main(["validate", str(root)], capsys)
    assert code == 0
    assert "coverage (first..last day of each source's exports):\n" in out
    assert "  facebook: posts 2016-02-01..2016-02-14\n" in out
    # posts are events: they cover the days of the network's audience export too
    assert "  instagram: posts 2026-10-01..2026-10-31, audience 2026-10-01..2026-10-31\n" in out
    warning = (
        "  warning: facebook posts: exports end 2016-02-14, 3912 days before the latest source "
        "(instagram posts, 2026-10-31): the KPIs it gives after that day are null (export it again up to date)"
    )
    assert warning in out
    assert err.strip().endswith("2 warnings: all files usable")  # and the gaps in the audience
