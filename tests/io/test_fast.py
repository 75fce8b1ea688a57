"""Loading at scale (issue 10): the pyarrow fast path gives the exact readers' values and errors,
and the Parquet cache of parsed exports is rebuilt whenever a raw file changes."""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc
import pytest

import smmkit
from smmkit.batch.fingerprint import input_fingerprint
from smmkit.cli.text import validation_text
from smmkit.errors import InputError
from smmkit.io import cache, fast, formats, loading, merge
from smmkit.io.loading import load_export
from smmkit.io.schema import conform
from smmkit.io.validate import validate_client

HEADER = "network,post_id,published_at,post_type,text,url,impressions,reach,likes,comments,shares\n"
YAML = "name: Big\ntimezone: Europe/Moscow\n"


def rows(n: int, *, bad: dict[int, str] | None = None) -> str:
    """n canonical post rows; ``bad`` replaces row i (0-based) with another line."""
    nets = ("vk", "ok", "telegram")
    out = []
    for i in range(n):
        day = 1 + i % 28
        line = (
            f"{nets[i % 3]},p{i},2026-10-{day:02d} {i % 24:02d}:{i % 60:02d}:00,"
            f"{'photo' if i % 2 else 'video'},post {i},,{1000 + i},{900 + i},{i % 50},{i % 7},{i % 3}"
        )
        out.append((bad or {}).get(i, line))
    return HEADER + "\n".join(out) + "\n"


def exact(path, tz="Europe/Moscow"):
    """The exact readers' posts (load_export never takes the fast path)."""
    return conform(load_export(path, tz=tz)[1]["posts"], "posts", tz=tz)


def test_fast_path_reads_a_plain_canonical_file_as_the_exact_readers_do(make_client):
    root = make_client({"posts.csv": rows(3000)}, yaml=YAML)
    path = root / "exports" / "posts.csv"
    assert fast.plain_table(path, path.read_bytes()) is not None  # the fast path takes this file
    client = smmkit.load_client(root, cache=False)
    want = exact(path).sort_values(["network", "published_at", "_file", "_line"], kind="stable")
    pd.testing.assert_frame_equal(client.posts, want.reset_index(drop=True))
    assert isinstance(client.posts["post_type"].dtype, pd.CategoricalDtype)
    assert isinstance(client.posts["network"].dtype, pd.CategoricalDtype)


@pytest.mark.parametrize(
    ("row", "line"),
    [
        (
            "vk,p2500,2026-10-03 10:00:00,photo,x,,1000,900,-4,1,1",
            "likes: expected a count of zero or more, got '-4'",
        ),
        ("vk,p2500,2026-10-03 10:00:00,photo,x,,1000,900,abc,1,1", "likes: expected a number, got 'abc'"),
        (
            "vk,p2500,2026-10-03 10:00:00,photo,x,,1000,900,12.5,1,1",
            "likes: expected a whole number, got '12.5'",
        ),
        ("vk,p2500,2026-02-30 10:00:00,photo,x,,1000,900,1,1,1", "published_at: expected a date and time"),
        ("vk,p2500,,photo,x,,1000,900,1,1,1", "published_at: expected a date and time like"),
        (
            "vk,p2500,2026-10-03 10:00:00,photo,x,,1000,900,1,1",
            "shares: this row has 10 fields, the header has 11",
        ),
        (
            "vk,p2500,2026-10-03 10:00:00,photo,x,,1000,900,1,1,1,9",
            "shares: this row has 12 fields, the header has 11",
        ),
        ("myspace,p2500,2026-10-03 10:00:00,photo,x,,1000,900,1,1,1", "network: expected one of facebook"),
        (
            "vk,1.22158E+17,2026-10-03 10:00:00,photo,x,,1000,900,1,1,1",
            "post_id: expected an ID written in full",
        ),
        ("ok,p7,2026-10-03 10:00:00,photo,x,,5,5,5,5,5", "post_id: post ID 'p7' again (first at line 9)"),
        (
            "vk,p2500,2026-10-03 10:00:00,photo,x,,0x10,900,1,1,1",
            "impressions: expected a number, got '0x10'",
        ),
        # network is read as a dictionary (each distinct value checked once): the same errors
        (
            ",p2500,2026-10-03 10:00:00,photo,x,,1000,900,1,1,1",
            "network: expected a network, got an empty cell",
        ),
        (
            "  ,p2500,2026-10-03 10:00:00,photo,x,,1000,900,1,1,1",
            "network: expected a network, got an empty cell",
        ),
        ("Myspace,p2500,2026-10-03 10:00:00,photo,x,,1000,900,1,1,1", "network: expected one of facebook"),
    ],
)
def test_a_bad_cell_deep_in_a_large_file_gives_the_exact_error(make_client, row, line):
    root = make_client({"posts.csv": rows(3000, bad={2500: row})}, yaml=YAML)
    path = root / "exports" / "posts.csv"
    with pytest.raises(InputError) as slow:
        load_export(path, tz="Europe/Moscow")
    with pytest.raises(InputError) as quick:
        smmkit.load_client(root, cache=False)
    assert quick.value.location_message() == slow.value.location_message()
    assert f"posts.csv:2502:{line}" in quick.value.location_message()


def test_unplain_files_go_to_the_exact_readers(make_client):
    text = rows(50)
    quoted = text.replace("post 7,", '"post\nseven",')  # a line break inside a cell
    for body in (
        quoted,
        "# preamble\n" + text,
        text.replace("\n", "\r\n"),
        text + "\n\n",
        text.replace("\n", "\n,,,,,,,,,,\n", 1),
    ):
        root = make_client({"posts.csv": body}, yaml=YAML, slug=f"c{abs(hash(body)) % 10**6}")
        path = root / "exports" / "posts.csv"
        client = smmkit.load_client(root, cache=False)
        assert len(client.posts) == 50
        assert sorted(client.posts["_line"]) == sorted(exact(path)["_line"])


@pytest.mark.parametrize("name", ["warn-cafe", "clean-cafe"])
def test_cache_hit_equals_the_cold_load_and_keeps_warnings_and_notes(fixture_client, monkeypatch, name):
    root = fixture_client(name)
    cold = smmkit.load_client(root, cache=False)
    monkeypatch.setenv("SMMKIT_CACHE", "0")
    cold_report = validation_text(validate_client(root))
    monkeypatch.delenv("SMMKIT_CACHE")
    first = smmkit.load_client(root)  # writes the cache
    assert any(p.suffix == ".parquet" for p in (root / cache.CACHE_DIR).iterdir())
    hit = smmkit.load_client(root)
    for table in ("posts", "audience", "ads", "inbox", "mentions", "web"):
        pd.testing.assert_frame_equal(hit.table(table), cold.table(table))
        pd.testing.assert_frame_equal(first.table(table), cold.table(table))
    assert [str(i) for i in hit.issues] == [str(i) for i in cold.issues]
    assert [(f.format, f.rows, f.first_day, f.ignored, f.unused) for f in hit.files] == [
        (f.format, f.rows, f.first_day, f.ignored, f.unused) for f in cold.files
    ]
    assert validation_text(validate_client(root)) == cold_report


def test_changing_one_raw_byte_rebuilds_the_entry(make_client):
    root = make_client({"posts.csv": rows(500)}, yaml=YAML)
    path = root / "exports" / "posts.csv"
    assert int(smmkit.load_client(root).posts.set_index("post_id").loc["p0", "likes"]) == 0
    data = path.read_bytes()
    path.write_bytes(
        data.replace(
            b",p0,2026-10-01 00:00:00,video,post 0,,1000,900,0,",
            b",p0,2026-10-01 00:00:00,video,post 0,,1000,900,7,",
        )
    )
    assert int(smmkit.load_client(root).posts.set_index("post_id").loc["p0", "likes"]) == 7
    keys = {p.name.split(".")[0] for p in (root / cache.CACHE_DIR).iterdir() if p.name != cache.TAG}
    assert len(keys) == 2  # the file's entry and the client's: the stale ones are gone


def test_a_corrupt_cache_entry_is_ignored_and_rewritten(make_client):
    root = make_client({"posts.csv": rows(300)}, yaml=YAML)
    cold = smmkit.load_client(root, cache=False)
    smmkit.load_client(root)
    stored = [*(root / cache.CACHE_DIR).glob("*.parquet"), *(root / cache.CACHE_DIR).glob("*.arrow")]
    assert {p.suffix for p in stored} == {".parquet", ".arrow"}  # the file entry's, the client entry's
    for p in stored:
        p.write_bytes(b"not parquet at all")
    again = smmkit.load_client(root)
    pd.testing.assert_frame_equal(again.posts, cold.posts)
    kinds = _entries(root)
    assert sorted(kinds.values(), key=str) == [None, "client"]
    for key, kind in kinds.items():  # both rewritten
        assert (
            cache.read_client(root, key, tz="Europe/Moscow") if kind else cache.read(root, key)
        ) is not None


def test_cache_can_be_turned_off(make_client, monkeypatch):
    root = make_client({"posts.csv": rows(100)}, yaml=YAML)
    monkeypatch.setenv("SMMKIT_CACHE", "0")
    smmkit.load_client(root)
    assert not (root / cache.CACHE_DIR).exists()


def test_the_cache_folder_changes_no_fingerprint_and_no_export_list(make_client):
    root = make_client({"posts.csv": rows(100)}, yaml=YAML)
    args = {
        "notebooks": [],
        "start": pd.Timestamp("2026-10-01").date(),
        "end": pd.Timestamp("2026-10-28").date(),
    }
    before = input_fingerprint(root, **args)
    smmkit.load_client(root)
    assert (root / cache.CACHE_DIR).is_dir()
    assert input_fingerprint(root, **args) == before
    assert [f.path.name for f in smmkit.load_client(root).files] == ["posts.csv"]
    assert not validate_client(root).errors


def test_canonical_formats_declare_the_fast_path():
    assert formats.by_name("canonical_posts").load_table is not None


def _entries(root) -> dict[str, str | None]:
    return {
        p.name.split(".")[0]: json.loads(p.read_text()).get("kind")
        for p in (root / cache.CACHE_DIR).glob("*.json")
    }


def _no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("parsed an export although the client entry holds the finished tables")

    monkeypatch.setattr(loading, "_load_plain", refuse)
    monkeypatch.setattr(loading, "load_export", refuse)
    monkeypatch.setattr(loading, "_read_and_recognise", refuse)


def _same_client(a, b) -> None:
    for table in ("posts", "audience", "ads", "inbox", "mentions", "web"):
        pd.testing.assert_frame_equal(a.table(table), b.table(table), check_exact=True)
        assert list(a.table(table).dtypes) == list(b.table(table).dtypes)
    assert [vars(i) for i in a.issues] == [vars(i) for i in b.issues]
    assert [vars(f) for f in a.files] == [vars(f) for f in b.files]
    assert [(f.first_day.unit if f.first_day is not None else None) for f in a.files] == [
        (f.first_day.unit if f.first_day is not None else None) for f in b.files
    ]


@pytest.mark.parametrize("name", ["warn-cafe", "clean-cafe"])
def test_the_client_entry_gives_the_finished_client_without_parsing(fixture_client, monkeypatch, name):
    root = fixture_client(name)
    cold = smmkit.load_client(root, cache=False)
    smmkit.load_client(root)  # writes the file entries and the client entry
    assert "client" in _entries(root).values()
    with monkeypatch.context() as m:
        _no_parsing(m)
        hit = smmkit.load_client(root)
        again = smmkit.load_client(root, strict=False)
    _same_client(hit, cold)
    _same_client(again, cold)
    hit.posts.loc[:, "likes"] = 0  # the caller's own frames: the next load is unchanged
    _same_client(smmkit.load_client(root), cold)


def test_the_client_entry_merges_overlapping_exports_as_the_cold_load(make_client, monkeypatch):
    older = rows(400)
    newer = HEADER + "".join(
        line.replace(",photo,", ",video,") + "\n" for line in rows(400).splitlines()[1:][200:300]
    )  # 100 posts again, with another post type: the later export wins, validate warns
    more = HEADER + "vk,p9000,2026-10-02 10:00:00,photo,x,,1,1,1,1,1\n"
    root = make_client({"a/posts.csv": older, "b/posts.csv": newer, "c.csv": more}, yaml=YAML)
    cold = smmkit.load_client(root, cache=False)
    assert any("overlapping exports" in i.message for i in cold.issues)
    want = pd.concat([conform(load_export(f.path, tz="Europe/Moscow")[1]["posts"], "posts",
                                      tz="Europe/Moscow") for f in cold.files])  # fmt: skip
    assert len(cold.posts) == want["post_id"].nunique()
    _same_client(smmkit.load_client(root), cold)  # from the file entries
    with monkeypatch.context() as m:
        _no_parsing(m)
        _same_client(smmkit.load_client(root), cold)  # from the client entry
    (root / "exports" / "c.csv").write_text(more.replace(",1,1,1,1,1", ",1,1,1,1,2"), encoding="utf-8")
    changed = smmkit.load_client(root)
    assert int(changed.posts.set_index("post_id").loc["p9000", "shares"]) == 2
    _same_client(changed, smmkit.load_client(root, cache=False))


def test_no_client_entry_for_a_load_with_errors(make_client):
    root = make_client({"posts.csv": rows(50), "bad.csv": "what,is,this\n1,2,3\n"}, yaml=YAML)
    client = smmkit.load_client(root, strict=False)
    assert client.errors
    assert "client" not in _entries(root).values()
    again = smmkit.load_client(root, strict=False)
    assert [str(i) for i in again.issues] == [str(i) for i in client.issues]
    with pytest.raises(InputError):
        smmkit.load_client(root)


def test_a_client_entry_with_other_dtypes_is_not_trusted(make_client):
    root = make_client({"posts.csv": rows(60)}, yaml=YAML)
    cold = smmkit.load_client(root, cache=False)
    smmkit.load_client(root)
    key = next(k for k, kind in _entries(root).items() if kind == "client")
    path = root / cache.CACHE_DIR / f"{key}.posts.arrow"
    table = pa.ipc.open_file(pa.py_buffer(path.read_bytes())).read_all()
    table = table.set_column(table.schema.get_field_index("likes"), "likes", table["likes"].cast("float64"))
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    assert cache.read_client(root, key, tz="Europe/Moscow") is None
    _same_client(smmkit.load_client(root), cold)
    assert cache.read_client(root, key, tz="Europe/Moscow") is not None  # rewritten


def test_the_merge_orders_rows_as_a_stable_sort_values():
    rng = np.random.default_rng(7)
    n = 500
    ts = pd.Series(pd.to_datetime(rng.integers(0, 5, n), unit="D"), dtype="datetime64[ns]").dt.tz_localize(
        "Europe/Moscow"
    )
    ts[rng.random(n) < 0.1] = pd.NaT
    frame = pd.DataFrame(
        {
            "network": pd.Series(rng.choice(["vk", "ok", None], n), dtype="string").astype("category"),
            "published_at": ts,
            "_file": pd.Series(rng.choice(["/b/x.csv", "/a/y.csv"], n), dtype="string"),
            "_line": pd.array(rng.integers(2, 50, n), dtype="Int64"),
            "value": np.arange(n),
        }
    )
    by = ["network", "published_at", "_file", "_line"]
    got = merge.sort_rows(frame, by, ["/b/x.csv", "/a/y.csv", "/c/z.csv"])
    pd.testing.assert_frame_equal(got, frame.sort_values(by, kind="stable").reset_index(drop=True))


#: NUL and the line breaks of ``str.splitlines`` other than LF and CRLF: VT, FF, FS, GS, RS, NEL, LS, PS, CR.
SPLITLINES = [
    b"\x00",
    b"\x0b",
    b"\x0c",
    b"\x1c",
    b"\x1d",
    b"\x1e",
    *("\x85 \u2028 \u2029".encode().split()),
    b"\r",
]


@pytest.mark.parametrize("needle", SPLITLINES)
def test_a_byte_the_exact_reader_splits_on_makes_a_file_unplain(needle):
    unplain = lambda data: fast._unplain(fast._blob(pa.py_buffer(data)))  # noqa: E731
    # Multi-byte text alone stays plain, even the characters U+00E2 U+0080 U+00A8 (bytes, not LS).
    text = "a,b\n1,caf\u00e9 \u2019x\u2019 \u00e2\u0080\u00a8\n".encode()
    assert not unplain(text)
    assert not unplain(text.replace(b"\n", b"\r\n"))
    assert unplain(text.replace(b"caf", b"c" + needle + b"f"))
    assert unplain(text + needle)  # at the very end too
    assert unplain(needle + text)


@pytest.mark.parametrize("needle", SPLITLINES)
@pytest.mark.parametrize("place", ["text", "count", "time", "network", "header"])
def test_a_line_break_of_the_exact_reader_in_any_cell_sends_the_file_to_it(tmp_path, needle, place):
    """pyarrow reads numbers, times and networks typed (a dictionary for networks); the bytes of text
    cells are searched after the read, the rest of the file only for a lone CR: a break anywhere is seen."""
    text = rows(2000)  # row 1500 is past the first rows the exact reader reads (fast.HEAD_BYTES)
    row = text.index("\nvk,p1500,")
    assert row > fast.HEAD_BYTES
    old = {"text": ",post 1500,", "count": ",2500,", "time": " 12:00:00,", "network": "\nvk,p1500,"}
    at = text.index(old[place], row) if place != "header" else text.index("reach")
    cut = at + 1 if place == "network" else at + 4
    data = text[:cut].encode() + needle + text[cut:].encode()
    path = tmp_path / "posts.csv"
    path.write_bytes(data)
    try:
        head = fast.plain_head(path, data)
    except InputError:  # the exact reader reads the first rows: a CR there is its error to give
        assert needle == b"\r"
        return
    types = formats.detect(head).typed(head.first) if head is not None else None
    assert head is None or fast.plain_table(path, data, types, head=head) is None
    assert fast.plain_table(path, data) is None


def test_the_byte_scans_agree_with_python_on_random_bytes():
    rng = np.random.default_rng(3)
    alphabet = np.frombuffer(b'0xX\r\n\x00\x0b\xc2\x85\xe2\x80\xa8\xa9a,"', dtype=np.uint8)
    for _ in range(2000):
        data = alphabet[rng.integers(0, len(alphabet), rng.integers(0, 12))].tobytes()
        blob = fast._blob(pa.py_buffer(data))
        lone_cr = data.count(b"\r") != data.count(b"\r\n")
        splits = any(n in data for n in SPLITLINES[:-1]) or lone_cr
        assert fast._unplain(blob) == splits, data
        cell = pa.Array.from_buffers(
            pa.string(), 1, [None, pa.py_buffer(np.array([0, len(data)], np.int32)), pa.py_buffer(data)]
        )
        assert fast._splits_cells([pa.chunked_array([cell])]) == any(n in data for n in SPLITLINES[:-1]), data
        assert fast._hexadecimal(blob) == (b"0x" in data or b"0X" in data), data
        assert fast._found(blob, '"') == (b'"' in data), data
        assert fast._lines(pa.py_buffer(data)) == data.count(b"\n") + (0 if data.endswith(b"\n") else 1), data


def test_conform_keeps_canonical_columns_and_casts_the_others():
    frame = pd.DataFrame(
        {
            "post_id": pd.Series(["p1", None], dtype="str"),  # NaN-missing strings: cast to NA-missing
            "likes": pd.array([1, None], dtype="Int64"),
            "reach": [1.0, 2.0],
        }
    )
    out = conform(frame, "posts", tz="Europe/Moscow")
    assert out["post_id"].dtype == pd.StringDtype() and out["post_id"].isna().tolist() == [False, True]
    assert out["post_id"][1] is pd.NA
    assert out["reach"].dtype == pd.Int64Dtype()
    out.loc[0, "likes"] = 9
    assert frame.loc[0, "likes"] == 1  # the input is never changed


def test_blank_cells_are_those_str_strip_empties():
    """``_blank`` (``utf8_is_space``) agrees with ``str.isspace`` on every code point, alone and in
    cells of several characters."""
    import sys

    import pyarrow as pa

    chars = [chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF]
    cells = [*chars, "", " \t\u3000", " x ", "\u00a0\u2009", "a\u200b", "\u200b", "\x1f\x85"]
    got = fast._blank(pa.chunked_array([pa.array(cells)]))
    assert got.tolist() == [not c.strip() for c in cells]


def test_plain_ids_are_those_the_id_rule_finds_plain_in_every_chunk():
    import re

    rng = np.random.default_rng(5)
    edge = set(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-")
    alphabet = list("p19_-.eE+ é#")
    for _ in range(500):
        values = ["".join(rng.choice(alphabet, int(rng.integers(0, 6)))) for _ in range(rng.integers(1, 12))]
        cut = int(rng.integers(0, len(values) + 1))
        col = pa.chunked_array(
            [pa.array(["x", *values[:cut]], pa.string()).slice(1), pa.array(values[cut:], pa.string())]
        )
        plain = all(
            v and v.encode()[0] in edge and v.encode()[-1] in edge and not re.match(fast._ID_SUSPECT, v)
            for v in values
        )
        assert fast._plain_ids(col) == plain, values


def test_distinct_ids_are_told_without_hashing_every_string():
    import pyarrow as pa

    rng = np.random.default_rng(3)
    alphabets = ["ab", "ab\x00", "0123456789_", "é€a"]
    for trial in range(400):
        alphabet = alphabets[trial % len(alphabets)]
        width = int(rng.choice([2, 8, 9, 17, 40]))
        values = [
            "".join(rng.choice(list(alphabet), int(rng.integers(0, width))))
            for _ in range(rng.integers(0, 40))
        ]
        col = pa.chunked_array([pa.array(values[:5], pa.string()), pa.array(values[5:], pa.string())])
        unique = len(set(values)) == len(values)
        got = fast.distinct(col)
        sliced = pa.chunked_array(
            [pa.array(["zz", *values], pa.string()).slice(1)]
        )  # an offset into a buffer
        assert fast.distinct(sliced) is got
        assert got in (True, None)
        assert got is None or unique, values  # never says distinct when a value repeats
        if unique and max((len(v.encode()) for v in values), default=0) <= 8:
            assert got is True, values  # one word each: distinct values fold to distinct numbers here
    many = pa.chunked_array([pa.array([f"{i}_{i * 7919}" for i in range(200_000)])])
    assert fast.distinct(many) is True
    assert fast.distinct(pa.chunked_array([pa.array(["a", "b", "a"])])) is None
    assert fast.distinct(pa.chunked_array([pa.array(["x" * 65, "y"])])) is None  # too long: not known
    assert fast.distinct(pa.chunked_array([pa.array(["a", None])])) is None
    assert merge._all_distinct(pd.Series(["a", "b", None], dtype="string"))
    assert not merge._all_distinct(pd.Series(["a", "b", "a"], dtype="string"))


@pytest.mark.parametrize(
    ("cells", "plain"),
    [
        (["p1", "123", "123_456", "a-b_c", "x y z", "Ab9"], True),
        (["p1", "1.22158E+17"], False),  # a spreadsheet's number: the exact reader says so
        (["p1", "123.0"], False),
        (["p1", "12e5"], False),
        (["p1", "v1.2", "e", "1e"], True),  # dots and e's that are no number
        (["p1", ""], False),
        (["p1", " p2"], False),
        (["p1", "p2."], False),
        (["p1", "é1"], False),
    ],
)
def test_plain_ids_are_what_the_id_patterns_accept(cells, plain):
    import re

    import pyarrow as pa

    edge = re.compile(r"^[0-9A-Za-z_-]((?s:.*)[0-9A-Za-z_-])?$")
    suspect = re.compile(fast._ID_SUSPECT)
    assert plain == all(edge.match(c) and not suspect.match(c) for c in cells)
    assert fast._plain_ids(pa.chunked_array([pa.array(cells[:1]), pa.array(cells[1:])])) is plain


def test_total_row_candidates_hold_every_total_token():
    import pyarrow as pa

    from smmkit.io.readers import TOTAL_TOKENS, norm

    cells = ["vk", "Total", " GRAND  total ", "ИТОГО", "всего:", "Totals", "tot al", "facebook", "\u212aa"]
    maybe = fast._may_total(pa.chunked_array([pa.array(cells)]))
    for cell, flagged in zip(cells, maybe, strict=True):
        if norm(cell) in TOTAL_TOKENS:
            assert flagged, cell
    assert not maybe[0] and not maybe[6] and not maybe[7]


def test_a_sorted_merge_keeps_rows_in_place_and_reorders_only_what_varies():
    n = 6
    frame = pd.DataFrame(
        {
            "network": pd.Categorical(["vk", "ok", "vk", "ok", "vk", "ok"]),
            "published_at": pd.Series(pd.date_range("2026-10-01", periods=n, freq="h", tz="Europe/Moscow")),
            "likes": pd.array([1, 2, 3, None, 5, 6], dtype="Int64"),
            "saves": pd.array([None] * n, dtype="Int64"),  # a metric the export lacks: all missing
            "_file": pd.Series(["/e/a.csv"] * n, dtype="string"),
            "_line": pd.array(range(2, n + 2), dtype="Int64"),
        }
    )
    frame.attrs["headers"] = {"likes": "Likes"}
    by = ["network", "published_at", "_file", "_line"]
    got = merge.sort_rows(frame, by, ["/e/a.csv"])
    pd.testing.assert_frame_equal(got, frame.sort_values(by, kind="stable").reset_index(drop=True))
    assert got.attrs == frame.attrs
    assert got["likes"].tolist()[:3] == [2, pd.NA, 6]
    again = merge.sort_rows(got, by, ["/e/a.csv"])
    pd.testing.assert_frame_equal(again, got)
    assert merge._in_order([np.array([1, 1, 2]), np.array([0, 1, 1])])
    assert not merge._in_order([np.array([2, 1, 1]), np.array([0, 0, 1])])


@pytest.mark.parametrize("shift", [-2, -1, 0, 1, 2])
def test_a_line_break_in_a_value_at_a_block_edge_is_never_read_as_plain(tmp_path, shift):
    """pyarrow reads without ``newlines_in_values`` (twice as fast) and splits at line ends into blocks
    (``fast.BLOCK_BYTES``): a quoted value with a line break there, or anywhere, must still go to the
    exact reader."""
    lines = rows(70_000).splitlines(keepends=True)
    edge = next(i for i, n in enumerate(np.cumsum([len(x) for x in lines])) if n >= fast.BLOCK_BYTES)
    at = edge + shift
    lines[at] = lines[at].replace(f",post {at - 1},", f',"post\n{at - 1}",', 1)
    path = tmp_path / "posts.csv"
    path.write_text("".join(lines))
    assert fast.plain_table(path, path.read_bytes()) is None


def test_a_quoted_file_without_line_breaks_in_values_is_read_plain(tmp_path):
    text = rows(30_000).replace(",post 7,", ',"post, ""seven""",')
    path = tmp_path / "posts.csv"
    path.write_text(text)
    table = fast.plain_table(path, path.read_bytes())
    assert table is not None and len(table) == 30_000
    assert table.cells(4)[7].as_py() == 'post, "seven"' and table.lines[7] == 9


def test_network_and_post_type_read_as_dictionaries_give_the_exact_readers_values(make_client):
    """Network and post type are read as dictionaries (each distinct value checked once): messy
    spellings, blank and whitespace-only post types and a total row give what the exact readers give."""
    text = rows(3000)
    for old, new in [
        ("\nvk,p3,", "\n VK ,p3,"),
        ("\nok,p7,", "\nOK,p7,"),
        (",video,post 10,", ", ,post 10,"),
        (",photo,post 11,", ",,post 11,"),
        (",video,post 14,", ",Vid\u00e9o,post 14,"),
    ]:
        assert old in text
        text = text.replace(old, new)
    text += "Total,,,,,,5,5,5,5,5\n"
    root = make_client({"posts.csv": text}, yaml=YAML)
    path = root / "exports" / "posts.csv"
    head = fast.plain_head(path, path.read_bytes())
    types = formats.detect(head).typed(head.first)
    assert types[0] == "cat" and types[3] == "cat"
    assert fast.plain_table(path, path.read_bytes(), types) is not None  # the fast path takes this file
    client = smmkit.load_client(root, cache=False)
    want = exact(path).sort_values(["network", "published_at", "_file", "_line"], kind="stable")
    pd.testing.assert_frame_equal(client.posts, want.reset_index(drop=True))
    assert len(client.posts) == 3000
    # the post type catalogue (issue 24): "Vidéo" is a video; " " and "" are no type
    assert list(client.posts["post_type"].cat.categories) == ["photo", "video"]


def test_a_comment_line_in_a_dictionary_column_sends_the_file_to_the_exact_reader(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(rows(100).replace("\nvk,p3,", "\n# note,p3,"))
    assert fast.plain_table(path, path.read_bytes(), {0: "cat"}) is None
    path.write_text(rows(100))
    assert fast.plain_table(path, path.read_bytes(), {0: "cat"}) is not None


@pytest.mark.parametrize("rows", [10, fast.THREADS_FROM])
def test_columns_on_threads_raise_the_first_error_in_column_order(rows):
    """``in_threads`` gives the results in order and raises each item's own error at its turn: the
    error of the first failing column, as a plain loop would, even when a later one fails sooner."""
    import time

    ran = []

    def parse(item):
        ran.append(item)
        if item == "b":
            time.sleep(0.05)  # on threads, "c" fails first
            raise InputError("b is bad", path="x.csv", line=3, column="b")
        if item == "c":
            raise InputError("c is bad", path="x.csv", line=2, column="c")
        return item.upper()

    done = fast.in_threads(parse, ["a", "b", "c"], rows=rows)
    assert done[0].get() == "A"
    with pytest.raises(InputError, match="b is bad"):
        done[1].get()
    if rows < fast.THREADS_FROM or (os.cpu_count() or 1) < 2:
        assert ran == ["a", "b"]  # below the threshold nothing after the first error ran
    else:
        assert sorted(ran) == ["a", "b", "c"]


def test_file_is_a_categorical_of_the_export_paths_also_after_a_merge(make_client):
    """``_file`` holds each export's path once (a categorical): one export's rows share it, and
    merging several exports keeps a categorical of their paths, sorted (not strings again)."""
    text = rows(120)
    body = text.split("\n", 1)[1]
    lines = body.splitlines(keepends=True)
    root = make_client(
        {"a.csv": HEADER + "".join(lines[:70]), "b.csv": HEADER + "".join(lines[60:])}, yaml=YAML
    )
    client = smmkit.load_client(root, cache=False)
    col = client.posts["_file"]
    exports = root / "exports"
    assert isinstance(col.dtype, pd.CategoricalDtype)
    assert list(col.cat.categories) == [str(exports / "a.csv"), str(exports / "b.csv")]
    assert col.cat.categories.dtype == pd.StringDtype()
    later = client.posts["post_id"].isin([f"p{i}" for i in range(60, 120)])
    assert (col[later] == str(exports / "b.csv")).all()  # the rows both hold: the later export's
    assert (col[~later] == str(exports / "a.csv")).all()
    one = smmkit.load_client(make_client({"posts.csv": text}, yaml=YAML, slug="one"), cache=False)
    assert one.posts["_file"].cat.categories.tolist() == [str(one.files[0].path)]
