"""Issue 20, export cells: what a damaged or hostile cell gives is a located error, never a bug report.

Each case runs on both readers: a plain UTF-8 ``,`` file takes the pyarrow fast path
(:mod:`smmkit.io.fast`, through ``load_client``), the same rows with ``;`` take the exact readers
(:mod:`smmkit.io.readers`). Every error is ``PATH:LINE:COLUMN: message`` naming what was expected.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

import smmkit
from smmkit.cli import main
from smmkit.errors import InputError
from smmkit.io import fast

POSTS = "network,post_id,published_at,post_type,text,url,impressions,reach,likes,comments,shares\n"
POST = "vk,p{i},2026-10-0{d} 10:00,photo,post {i},,{imp},900,{likes},1,1\n"
AUDIENCE = "network,date,followers,new_followers,lost_followers\n"
ADS = "date,network,campaign,spend,impressions,reach,clicks,leads\n"
REPO = Path(__file__).resolve().parents[2]


def posts(bad: str | None = None, *, at: int = 3, delimiter: str = ",") -> str:
    """Five canonical posts; ``bad`` replaces line ``at`` (the header is line 1)."""
    lines = [POSTS] + [POST.format(i=i, d=1 + i, imp=1000 + i, likes=10 + i) for i in range(5)]
    if bad is not None:
        lines[at - 1] = bad + "\n"
    return "".join(line.replace(",", delimiter) for line in lines)


def load_error(root) -> InputError:
    """The InputError of loading ``root`` (no cache), with every warning an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InputError) as info:
            smmkit.load_client(root, cache=False)
    return info.value


READERS = pytest.mark.parametrize("delimiter", [",", ";"], ids=["fast", "exact"])


@READERS
@pytest.mark.parametrize(
    "cell", ["9999-12-31 10:00", "0206-10-04 10:00", "1600-01-01 00:00", "2400-03-01 09:30"]
)
def test_a_post_date_out_of_range_is_a_located_error(make_client, delimiter, cell):
    root = make_client({"posts.csv": posts(f"vk,p9,{cell},photo,x,,1000,900,1,1,1", delimiter=delimiter)})
    path = root / "exports" / "posts.csv"
    if delimiter == ",":  # the fast path takes this file (so it is the one that must locate the error)
        assert fast.plain_table(path, path.read_bytes()) is not None
    err = load_error(root)
    assert str(err) == (
        f"{path}:3:published_at: expected a date between 1900-01-01 and 2199-12-31, got {cell!r}"
    )


@READERS
@pytest.mark.parametrize("cell", ["9999-12-31", "0206-10-04", "1600-01-01"])
def test_an_audience_day_out_of_range_is_a_located_error(make_client, delimiter, cell):
    text = AUDIENCE + "vk,2026-10-01,100,1,0\n" + f"vk,{cell},101,1,0\n" + "vk,2026-10-03,102,1,0\n"
    root = make_client({"audience.csv": text.replace(",", delimiter)})
    err = load_error(root)
    assert str(err) == (
        f"{root / 'exports' / 'audience.csv'}:3:date: expected a date between 1900-01-01 and 2199-12-31, "
        f"got {cell!r}"
    )


def test_a_date_out_of_range_with_an_offset_is_a_located_error(make_client):
    cell = "9999-12-31T23:00:00+03:00"
    root = make_client({"posts.csv": posts(f"vk,p9,{cell},photo,x,,1000,900,1,1,1")})
    err = load_error(root)
    assert (err.line, err.column) == (3, "published_at")
    assert err.message == f"expected a date between 1900-01-01 and 2199-12-31, got {cell!r}"


def test_a_date_that_is_no_date_keeps_its_message(make_client):
    root = make_client({"posts.csv": posts("vk,p9,2026-02-30 10:00,photo,x,,1000,900,1,1,1")})
    assert (
        load_error(root).message == "expected a date and time like '2026-10-03 14:30', got '2026-02-30 10:00'"
    )


@READERS
@pytest.mark.parametrize(
    "cell",
    ["1e308", "-1e308", "1e400", "inf", "-inf", "Infinity", "1000000000000", "2000B", "99999999999999999999"],
)
def test_spend_must_be_a_finite_number_below_a_trillion(make_client, delimiter, cell):
    text = ADS + "2026-10-01,vk,Promo,100,2000,1000,20,1\n" + f"2026-10-02,vk,Promo,{cell},2000,1000,20,1\n"
    root = make_client({"ads.csv": text.replace(",", delimiter)})
    err = load_error(root)
    assert (err.path, err.line, err.column) == (str(root / "exports" / "ads.csv"), 3, "spend")
    assert err.message in (
        f"expected a number below 1,000,000,000,000, got {cell!r}",
        f"expected a number, got {cell!r}",  # inf, Infinity: not written as a number at all
    )


@READERS
@pytest.mark.parametrize("cell", ["1000000000000", "123456789012345", "9007199254740993", "1e15", "5000B"])
def test_a_count_of_a_trillion_or_more_is_a_located_error(make_client, delimiter, cell):
    root = make_client(
        {"posts.csv": posts(f"vk,p9,2026-10-09 10:00,photo,x,,{cell},900,1,1,1", delimiter=delimiter)}
    )
    err = load_error(root)
    assert str(err) == (
        f"{root / 'exports' / 'posts.csv'}:3:impressions: expected a number below 1,000,000,000,000, got {cell!r}"
    )


@READERS
def test_the_largest_count_allowed_is_read_exactly(make_client, delimiter):
    root = make_client(
        {"posts.csv": posts("vk,p9,2026-10-09 10:00,photo,x,,999999999999,900,1,1,1", delimiter=delimiter)}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client = smmkit.load_client(root, cache=False)
    assert client.posts.set_index("post_id").loc["p9", "impressions"] == 999_999_999_999


def test_huge_spend_is_refused_before_any_kpi_is_computed(make_client, capsys):
    """1e308 spend used to pass and give null costs with a RuntimeWarning; now ``kpis`` stops at the cell."""
    text = ADS + "2026-10-01,vk,Promo,1e308,2000,1000,20,1\n" + "2026-10-02,vk,Promo,1e308,2000,1000,20,1\n"
    root = make_client({"ads.csv": text})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code = main(["kpis", str(root), "--start", "2026-10-01", "--end", "2026-10-07", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 1 and out == ""
    assert (
        err.splitlines()[0]
        == f"{root / 'exports' / 'ads.csv'}:2:spend: expected a number below 1,000,000,000,000, got '1e308'"
    )
    assert "Traceback" not in err


def test_a_dangling_link_in_exports_is_named_by_validate(make_client, capsys):
    root = make_client({"posts.csv": posts()})
    link = root / "exports" / "old" / "x_content.csv"
    link.parent.mkdir()
    os.symlink(root / "moved-away.csv", link)
    for _ in range(2):  # cold, then from the client cache entry: the warning both times
        code = main(["validate", str(root)])
        out, err = capsys.readouterr()
        assert code == 0
        assert (
            f"warning: {link}: a symbolic link to '{root / 'moved-away.csv'}', which does not exist: not read"
            in out
        )
    client = smmkit.load_client(root)
    assert [(i.level, i.path) for i in client.issues] == [("warning", str(link))]


def test_a_link_loop_in_exports_is_named_too(make_client):
    root = make_client({"posts.csv": posts()})
    loop = root / "exports" / "loop.csv"
    os.symlink(loop, loop)
    client = smmkit.load_client(root, cache=False)
    assert [(i.level, i.path) for i in client.issues] == [("warning", str(loop))]
    assert len(client.posts) == 5


# ----------------------------------------------------------------------------- found by test_fuzz.py

DEMO = REPO / "data" / "clients"


def cut(value: str) -> str:
    """A value as an error quotes it when longer than 200 characters (:data:`smmkit.errors.VALUE_LIMIT`):
    its first 150 and last 25 characters around an ellipsis, then its length."""
    return f"{value[:150]}…{value[-25:]} [{len(value):,} characters]"


@READERS
@pytest.mark.parametrize("cell", ["я" * 5000, "9" * 100_000 + "x"])
def test_a_huge_bad_cell_is_quoted_cut(make_client, delimiter, cell):
    root = make_client(
        {"posts.csv": posts(f"vk,p9,2026-10-09 10:00,photo,x,,1000,900,{cell},1,1", delimiter=delimiter)}
    )
    err = load_error(root)
    assert str(err) == f"{root / 'exports' / 'posts.csv'}:3:likes: expected a number, got {cut(repr(cell))}"


def test_a_huge_bad_date_is_quoted_cut_as_printed(make_client):
    """Escapes count: the 20 ESC are written ``\\x1b``, 4 characters each, in the 150 kept."""
    cell = "2026-10-01" + "\x1b" * 20 + "z" * 3000
    root = make_client({"posts.csv": posts(f"vk,p9,{cell},photo,x,,1000,900,1,1,1", delimiter=";")})
    err = load_error(root)
    shown = "'2026-10-01" + "\\x1b" * 20 + "z" * 59 + "…" + "z" * 24 + "' [3,092 characters]"
    assert err.message == f"expected a date and time like '2026-10-03 14:30', got {shown}"


def test_a_damaged_workbook_is_one_line_on_stderr(make_client, capsys):
    """openpyxl words this damage over three lines; the kit's error is one."""
    lines = (
        DEMO / "nimbus-crm" / "exports" / "linkedin" / "nimbus-crm_content_1793491200000.xlsx"
    ).read_bytes()
    lines = lines.splitlines(keepends=True)
    root = make_client({"content.xlsx": b"".join(lines[:2] + lines[3:])})  # line 2 of the zip dropped
    code = main(["validate", str(root)])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert err == [
        f"{root / 'exports' / 'content.xlsx'}: unreadable .xlsx workbook: Unable to read workbook: could not read "
        "properties from None. This is most probably because the workbook source files contain some invalid XML. "
        "Please see the exception for more details.",
        "1 file, 1 unusable, 0 warnings: 1 error",
    ]


def test_an_unknown_file_names_its_header_quoted_cut_and_escaped(make_client, capsys):
    root = make_client({"odd.csv": '"first\nsecond",' + "h" * 500 + ",ok\n1,2,3\n"})
    code = main(["validate", str(root)])
    err = capsys.readouterr().err.splitlines()
    assert code == 1 and len(err) == 2
    assert err[0].endswith(f"Header seen: 'first\\nsecond', {cut(repr('h' * 500))}, 'ok'")


def test_validate_names_unused_columns_each_cut_in_1000_characters(make_client, capsys):
    """The real 40-column tweet activity export (31 columns unused) with 41 more columns, one of them
    a 302-character name holding a line break: the note names what fits in 1000 characters, then
    counts the others."""
    lines = (
        (REPO / "tests" / "fixtures" / "real" / "x_tweet_activity_40_columns.csv").read_text().splitlines()
    )
    extra = ["w" * 300 + "\n!"] + [f"extra column number {i:02d} " + "x" * 30 for i in range(40)]
    text = lines[0] + "".join(f',"{h}"' for h in extra) + "\n"
    text += "".join(row + "," * len(extra) + "\n" for row in lines[1:])
    root = make_client({"tweets.csv": text})
    code = main(["validate", str(root)])
    out = capsys.readouterr().out
    assert code == 0
    note = next(line for line in out.splitlines() if "not used by any KPI" in line)
    prefix = "  note: exports/tweets.csv: "
    lead = "72 columns not used by any KPI: "
    named, more = note.removeprefix(prefix + lead).rsplit(" and ", 1)
    named = named.split(", ")
    assert (
        note.startswith(prefix + lead + "engagements, engagement rate, ")
        and more == f"{72 - len(named)} more"
    )
    assert named[31] == "w" * 55 + "…" + "w" * 7 + "\\n! (303 characters)" and named[32] == extra[1]
    assert 900 < len(note.removeprefix(prefix)) <= 1000


def test_a_huge_unknown_header_is_cut_in_the_location_and_the_message(make_client, capsys):
    header = "published_at,brand,network,sentiment,author,reach,text,url," + "a" * 5000
    root = make_client({"m.csv": header + "\n2026-10-01 10:00,T,vk,positive,x,1,t,u,\n"})
    code = main(["validate", str(root)])
    err = capsys.readouterr().err.splitlines()
    column = "a" * 55 + "…" + "a" * 10 + " (5,000 characters)"
    assert code == 1
    assert err[0] == (
        f"{root / 'exports' / 'm.csv'}:1:{column}: unknown column {cut(repr('a' * 5000))} in a smmkit "
        "canonical mentions file; expected only: published_at, brand, network, sentiment, author, reach, text, url"
    )


def test_an_unknown_header_of_control_characters_is_escaped_and_cut(make_client, capsys):
    name = "\x01" * 100 + "x"
    root = make_client({"n.csv": ",".join([name] * 9) + "\n" + ",".join(["1"] * 9) + "\n"})
    code = main(["validate", str(root)])
    err = capsys.readouterr().err.splitlines()
    assert code == 1 and len(err) == 2
    assert err[0].startswith(
        f"{root / 'exports' / 'n.csv'}:1: matches no known export format; no known format shares its "
        f"column names. Header seen: {cut(repr(name))}, {cut(repr(name))}, "
    )
    assert "\x01" not in err[0] and len(err[0]) <= 1100


@READERS
def test_nan_is_a_missing_value_like_n_a_not_a_number(make_client, delimiter):
    """``nan`` is one of the null tokens (``-``, ``n/a``, empty): that row's spend is unknown, the others
    still sum, and no KPI warns. (A decision of issue 20: it is never read as the float NaN.)"""
    text = ADS + "2026-10-01,vk,Promo,100.5,2000,1000,20,1\n2026-10-02,vk,Promo,nan,2000,1000,20,1\n"
    root = make_client({"ads.csv": text.replace(",", delimiter)})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client = smmkit.load_client(root, cache=False)
        report = smmkit.kpis(client, start="2026-10-01", end="2026-10-07")
    assert client.ads["spend"].isna().tolist() == [False, True]
    assert report.networks.loc["vk", "ad_spend"] == 100.5 and report.total["ad_clicks"] == 40
