"""The general rules of data-contract.md section 2: encodings, delimiters, numbers, IDs, dates."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from smmkit.errors import FormatError, InputError
from smmkit.io.cells import parse_bools, parse_days, parse_ids, parse_ints, parse_numbers, parse_timestamps
from smmkit.io.loading import load_export
from smmkit.io.readers import RawTable, decode, norm, read_file

MSK = "Europe/Moscow"

POSTS = (
    "network,post_id,published_at,text,likes\r\n"
    "vk,1,2026-10-03 10:00,{text1},5\r\n"
    "instagram,2,2026-10-03 11:00,{text2},6\r\n"
)


def table(rows: list[list[str]], *, header=("value",), delimiter=",", first_line=2) -> RawTable:
    return RawTable(
        path="f.csv",
        header=list(header),
        rows=rows,
        lines=list(range(first_line, first_line + len(rows))),
        header_line=first_line - 1,
        delimiter=delimiter,
    )


# ----------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoding", "text1", "text2", "sniffed"),
    [
        ("utf-16", "Привет мир", "Café crème", "utf-16"),  # Python writes a BOM (LE here)
        ("utf-8-sig", "Привет мир", "Café crème", "utf-8-sig"),
        ("utf-8", "Привет мир", "Café crème", "utf-8"),
        ("cp1251", "Новое меню", "Кофе с молоком", "cp1251"),
        ("latin-1", "Jalapeño", "Café crème", "latin-1"),
    ],
)
def test_encodings_are_sniffed_and_text_decoded(tmp_path, encoding, text1, text2, sniffed):
    path = tmp_path / "posts.csv"
    path.write_bytes(POSTS.format(text1=text1, text2=text2).encode(encoding))
    raw = read_file(path)
    assert raw.encoding == sniffed
    fmt, tables = load_export(path, tz=MSK, raw=raw)
    posts = tables["posts"]
    assert fmt.name == "canonical_posts"
    assert list(posts["text"]) == [text1, text2]
    assert list(posts["post_id"]) == ["1", "2"]
    assert list(posts["likes"]) == [5, 6]
    assert list(posts["_line"]) == [2, 3]


def test_utf16_le_bom_bytes_exactly(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_bytes(b"\xff\xfe" + POSTS.format(text1="Ёж", text2="x").encode("utf-16-le"))
    text, encoding = decode(path.read_bytes())
    assert encoding == "utf-16"
    assert "Ёж" in text and not text.startswith("\ufeff")


def test_broken_utf16_is_an_input_error():
    with pytest.raises(InputError, match="not valid UTF-16"):
        decode(b"\xff\xfe" + "ab".encode("utf-16-le") + b"\x00\xd8", path="f.csv")


# ----------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize(
    "content",
    [
        'network,post_id,published_at,likes\nvk,1,2026-10-03 10:00,"1,234"\n',
        "network;post_id;published_at;likes\nvk;1;2026-10-03 10:00;1 234\n",
        "network\tpost_id\tpublished_at\tlikes\nvk\t1\t2026-10-03 10:00\t1234\n",
        "sep=,\nnetwork,post_id,published_at,likes\nvk,1,2026-10-03 10:00,1234\n",
        "sep=;\nnetwork;post_id;published_at;likes\nvk;1;2026-10-03 10:00;1234\n",
    ],
    ids=["comma", "semicolon", "tab", "sep-comma", "sep-semicolon"],
)
def test_delimiters(tmp_path, content):
    path = tmp_path / "posts.csv"
    path.write_text(content, encoding="utf-8")
    _, tables = load_export(path, tz=MSK)
    posts = tables["posts"]
    assert list(posts["likes"]) == [1234]
    assert list(posts["network"]) == ["vk"]
    assert list(posts["published_at"]) == [pd.Timestamp("2026-10-03 10:00", tz=MSK)]


def test_sep_line_keeps_line_numbers(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("sep=,\nnetwork,post_id,published_at,likes\nvk,1,2026-10-03 10:00,1\nvk,2,x,1\n")
    with pytest.raises(InputError) as info:
        load_export(path)
    # line 1 "sep=,", 2 header, 3 first post, 4 the bad date
    assert (info.value.line, info.value.column) == (4, "published_at")


def test_decimal_comma_in_semicolon_file(tmp_path):
    path = tmp_path / "ads.csv"
    path.write_text(
        "date;network;campaign;spend;clicks\n2026-10-01;vk;A;1 500,75;1 234\n2026-10-02;vk;B;0,5;3\n"
    )
    _, tables = load_export(path)
    assert list(tables["ads"]["spend"]) == [1500.75, 0.5]
    assert list(tables["ads"]["clicks"]) == [1234, 3]


def test_quoted_newline_in_text_keeps_line_numbers(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(
        'network,post_id,published_at,text,likes\nvk,1,2026-10-03 10:00,"two\nlines",1\nvk,2,2026-10-03 11:00,x,abc\n'
    )
    with pytest.raises(InputError) as info:
        load_export(path)
    # The first record spans lines 2-3, so the second starts on line 4.
    assert (info.value.line, info.value.column, info.value.message) == (
        4,
        "likes",
        "expected a number, got 'abc'",
    )


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1,234", 1234.0),
        ("1 234", 1234.0),
        ("1\u00a0234", 1234.0),  # no-break space
        ("1\u202f234", 1234.0),  # narrow no-break space
        ("1,234,567", 1234567.0),
        ("1,234.5", 1234.5),
        ("1.2K", 1200.0),
        ("3M", 3_000_000.0),
        ("2.5k", 2500.0),
        ("12.5%", 12.5),  # percent strings stay in percent
        ("0.125", 0.125),  # a fraction stays a fraction
        ("-5", -5.0),
        ("1203.0", 1203.0),
        ('"42"', 42.0),
        ("-", None),
        ("undefined", None),
        ("", None),
        ("  ", None),
        ("n/a", None),
    ],
)
def test_parse_numbers_comma_file(cell, value):
    got = parse_numbers([cell])[0]
    if value is None:
        assert math.isnan(got)
    else:
        assert got == pytest.approx(value)


@pytest.mark.parametrize(
    ("cell", "value"),
    [("1,5", 1.5), ("1 234,5", 1234.5), ("12,5%", 12.5), ("1.234.567", 1234567.0), ("1.234,5", 1234.5)],
)
def test_parse_numbers_decimal_comma(cell, value):
    assert parse_numbers([cell], decimal_comma=True)[0] == pytest.approx(value)


@pytest.mark.parametrize("cell", ["abc", "1,2,3", "12abc", "1..2", "K", "%"])
def test_parse_numbers_rejects_with_location(cell):
    t = table([["1"], ["2"], [cell]], header=["likes"])
    with pytest.raises(InputError) as info:
        parse_numbers(t.column("likes"), table=t, column="likes")
    assert info.value.message == f"expected a number, got {cell!r}"
    assert (info.value.path, info.value.line, info.value.column) == ("f.csv", 4, "likes")


def test_parse_numbers_plain_cells_read_as_float_does():
    """Plain decimal cells (read at once through Arrow) give exactly Python's float of the cell,
    the others (signs, suffixes, separators) go through the cell parser, in their places."""
    plain = ["0", "-0", "007", "12.50", "0.1", "3.14159265358979323846", "123456789012.5"]
    got = parse_numbers([*plain, "+5", "1.2K", "-", None])
    want = [0.0, -0.0, 7.0, 12.5, 0.1, 3.141592653589793, 123456789012.5, 5.0, 1200.0]
    assert got[:9].tolist() == want and np.isnan(got[9:]).all()
    assert np.signbit(got[1]) and not np.signbit(got[0])
    assert parse_numbers(["1.234"], decimal_comma=True)[0] == 1.234  # one dot in a ; file: a decimal point


@pytest.mark.parametrize(
    ("cells", "line", "message"),
    [
        (["1", "abc", "2000000000000"], 3, "expected a number, got 'abc'"),
        (["1", "2000000000000", "abc"], 3, "expected a number below 1,000,000,000,000, got '2000000000000'"),
        (["1e13", "2000000000000"], 2, "expected a number below 1,000,000,000,000, got '1e13'"),
        (["2000000000000", "1e13"], 2, "expected a number below 1,000,000,000,000, got '2000000000000'"),
    ],
)
def test_parse_numbers_first_bad_cell_wins(cells, line, message):
    t = table([[c] for c in cells], header=["likes"])
    with pytest.raises(InputError) as info:
        parse_numbers(t.column("likes"), table=t, column="likes")
    assert info.value.message == message
    assert info.value.line == line


def test_parse_ints_nullable_and_whole():
    got = parse_ints(["1,234", "", "-", "1.2K", "7"])
    assert str(got.dtype) == "Int64"
    assert [None if pd.isna(v) else int(v) for v in got] == [1234, None, None, 1200, 7]


def test_parse_ints_rejects_fraction():
    t = table([["3"], ["2.5"]], header=["likes"])
    with pytest.raises(InputError, match=r"expected a whole number, got '2.5'") as info:
        parse_ints(t.column("likes"), table=t, column="likes")
    assert info.value.line == 3


# ----------------------------------------------------------------------------- IDs


def test_ids_are_strings():
    got = parse_ids(["1226932013525118976", "-100_2", "007", "17900000000000001.0", " abc "])
    assert list(got) == ["1226932013525118976", "-100_2", "007", "17900000000000001", "abc"]
    assert str(got.dtype) == "string"


@pytest.mark.parametrize("cell", ["1.22158E+17", "1.22158e17", "9E+15"])
def test_scientific_id_is_an_error_naming_line_and_column(cell):
    t = table([["123"], [cell]], header=["Post ID"])
    with pytest.raises(InputError, match=r"expected an ID written in full") as info:
        parse_ids(t.column("Post ID"), table=t, column="Post ID")
    assert (info.value.line, info.value.column) == (3, "Post ID")


def test_scientific_id_through_a_file(tmp_path):
    path = tmp_path / "ig.csv"
    path.write_text(
        "Post ID,Account ID,Account username,Publish time,Reach\n"
        "17912345678901234,1,acme,10/03/2026 08:15,5\n"
        "1.79123E+16,1,acme,10/03/2026 09:15,5\n"
    )
    with pytest.raises(InputError) as info:
        load_export(path)
    assert (info.value.path, info.value.line, info.value.column) == (str(path), 3, "Post ID")


def test_empty_required_id_is_an_error():
    with pytest.raises(InputError, match="expected an ID, got an empty cell"):
        parse_ids(["1", " "])


# ----------------------------------------------------------------------------- dates


def test_utc_offset_versus_local_time():
    got = parse_timestamps(["2020-02-10 18:00 +0000", "2020-02-10 18:00"], tz=MSK)
    # +0000 is UTC: 18:00 UTC = 21:00 in Moscow (UTC+3); without a zone it is Moscow time already.
    assert list(got) == [pd.Timestamp("2020-02-10 21:00", tz=MSK), pd.Timestamp("2020-02-10 18:00", tz=MSK)]
    assert str(got.dtype) == f"datetime64[ns, {MSK}]"


def test_post_at_2330_utc_is_next_day_in_moscow():
    got = parse_timestamps(["2026-10-03T23:30:00Z"], tz=MSK)[0]
    assert got == pd.Timestamp("2026-10-04 02:30", tz=MSK)
    assert got.tz_localize(None).normalize() == pd.Timestamp("2026-10-04")  # its local day


def test_timestamp_formats():
    got = parse_timestamps(
        ["03/27/2026 06:08", "10/1/2015 21:00", "2026-10-03T10:00:00+03:00", "Oct 3, 2026"], tz="UTC"
    )
    assert list(got) == [
        pd.Timestamp("2026-03-27 06:08", tz="UTC"),
        pd.Timestamp("2015-10-01 21:00", tz="UTC"),
        pd.Timestamp("2026-10-03 07:00", tz="UTC"),  # 10:00 at +03:00
        pd.Timestamp("2026-10-03 00:00", tz="UTC"),
    ]


def test_excel_serial_dates():
    # 46296 days after 1899-12-30 = 2026-10-01; 46296.5 = noon that day.
    assert list(parse_days(["46296", "46297"])) == [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-02")]
    assert parse_timestamps(["46296.5"], tz=MSK)[0] == pd.Timestamp("2026-10-01 12:00", tz=MSK)


def test_parse_days_forms():
    got = parse_days(
        ["2026-10-01", "20261002", "10/3/2026", "10/04/26", "Mon, Oct 5, 2026", "2026-10-06 13:45"]
    )
    assert list(got) == list(pd.date_range("2026-10-01", "2026-10-06", freq="D"))


def test_bad_date_names_line_and_column():
    t = table([["2026-10-01"], ["tomorrow"]], header=["Date"])
    with pytest.raises(InputError, match=r"expected a date like '2026-10-01', got 'tomorrow'") as info:
        parse_days(t.column("Date"), table=t, column="Date")
    assert (info.value.line, info.value.column) == (3, "Date")


def test_missing_required_timestamp_is_an_error():
    with pytest.raises(InputError, match="got an empty cell"):
        parse_timestamps(["2026-10-01 10:00", ""], tz="UTC")


def test_bools():
    assert list(parse_bools(["true", "No", "1", "", "да"])) == [True, False, True, pd.NA, True]
    with pytest.raises(InputError, match="expected true or false, got 'maybe'"):
        parse_bools(["maybe"])


# ----------------------------------------------------------------------------- tables


def test_norm_matches_headers_case_and_space_insensitively():
    assert norm("  Lifetime Post  Total\u00a0Reach ") == "lifetime post total reach"
    assert norm("\ufeffPost ID") == "post id"


def test_headers_match_case_insensitively_with_spaces(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(" Network , POST_ID ,Published_At, Likes \nvk,1,2026-10-03 10:00,4\n")
    fmt, tables = load_export(path)
    assert fmt.name == "canonical_posts"
    assert list(tables["posts"]["likes"]) == [4]


def test_total_rows_are_dropped(tmp_path):
    path = tmp_path / "aud.csv"
    path.write_text(
        "network,date,new_followers\nvk,2026-10-01,3\nvk,2026-10-02,4\nTotal,,7\nGrand total,,7\n",
        encoding="utf-8",
    )
    _, tables = load_export(path)
    assert list(tables["audience"]["new_followers"]) == [3, 4]  # 7 is not counted again


def test_several_tables_and_preamble():
    raw_text = "# Start date: 20261001\n# End date: 20261002\na,b\n1,2\n\n\nc,d\n3,4\n5,6\n"
    from smmkit.io.readers import csv_tables

    tables = csv_tables(raw_text, "f.csv", "utf-8")
    assert [t.header for t in tables] == [["a", "b"], ["c", "d"]]
    assert [t.lines for t in tables] == [[4], [8, 9]]
    assert tables[0].preamble == ["# Start date: 20261001", "# End date: 20261002"]
    assert tables[1].header_line == 7


def test_empty_and_binary_files(tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"  \n")
    with pytest.raises(FormatError, match="the file is empty"):
        read_file(empty)
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\x00\x01\x02junk")
    with pytest.raises(FormatError, match="binary data"):
        read_file(binary)


def test_corrupt_xlsx_is_an_input_error(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    with pytest.raises(InputError, match=r"unreadable \.xlsx workbook"):
        read_file(path)


def test_parse_numbers_returns_float_array():
    got = parse_numbers(["1", "-"])
    assert got.dtype == np.float64 and got[0] == 1.0 and np.isnan(got[1])


def test_utf16_with_sep_line_and_tabs(tmp_path):
    # Excel's "Unicode text": UTF-16 LE with BOM, tab-separated, here with a sep hint too.
    path = tmp_path / "posts.csv"
    text = "sep=\t\nnetwork\tpost_id\tpublished_at\tlikes\nvk\t1\t2026-10-03 10:00\t1\u00a0234\n"
    path.write_bytes(text.encode("utf-16"))
    _, tables = load_export(path)
    assert list(tables["posts"]["likes"]) == [1234]
    assert list(tables["posts"]["_line"]) == [3]


@pytest.mark.parametrize("cell", ["2400", "00010101", "2400-01-01 10:00 +0000", "9999-12-31"])
def test_dates_out_of_range_are_input_errors_not_overflows(cell):
    # Found by test_mutations: a swapped column put "2400" (impressions) under `Posted`;
    # pandas read it as the year 2400, which nanosecond timestamps cannot hold.
    with pytest.raises(InputError, match=r"expected a date"):
        parse_timestamps(["2026-10-01 10:00", cell], tz="UTC")
    with pytest.raises(InputError, match=r"expected a date"):
        parse_days([cell])


def test_damaged_sheet_inside_a_valid_xlsx_is_an_input_error(xlsx_files, tmp_path):
    import zipfile

    # Found by test_mutations: openpyxl's read-only mode parses a sheet only when it is iterated.
    src = zipfile.ZipFile(xlsx_files["linkedin_content"])
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            out.writestr(name, data[: len(data) // 2] if name.endswith("sheet2.xml") else data)
    with pytest.raises(InputError, match=r"unreadable \.xlsx workbook: sheet 'All posts'"):
        read_file(path)


def test_day_column_with_offset_timestamps_takes_their_wall_clock_day():
    # Found while fixing the out-of-range dates: an offset in a day column compared naive with aware.
    got = parse_days(["2026-10-01T10:00:00+03:00", "2026-10-02 23:30 +0000"])
    assert list(got) == [pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-02")]
