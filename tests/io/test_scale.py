"""Loading at scale (issue 10): the pyarrow fast path gives the exact readers' values and errors,
and the Parquet cache of parsed exports is rebuilt whenever a raw file changes."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc
import pytest

import smmkit
from smmkit.batch.fingerprint import input_fingerprint
from smmkit.errors import InputError
from smmkit.io import cache, fast, formats, loading
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
    cold_report = validate_client(root).render_text()
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
    assert validate_client(root).render_text() == cold_report


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
    keys = {p.name.split(".")[0] for p in (root / cache.CACHE_DIR).iterdir()}
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
    assert validate_client(root).exit_code == 0


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
    want = pd.concat([loading.conform(load_export(f.path, tz="Europe/Moscow")[1]["posts"], "posts",
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
    got = loading._sorted(frame, by, ["/b/x.csv", "/a/y.csv", "/c/z.csv"])
    pd.testing.assert_frame_equal(got, frame.sort_values(by, kind="stable").reset_index(drop=True))


@pytest.mark.parametrize("needle", [*fast._UNPLAIN, b"\r"])
def test_a_byte_the_exact_reader_splits_on_makes_a_file_unplain(needle):
    text = "a,b\n1,caf\u00e9 \u2019x\u2019\n".encode()  # multi-byte text alone stays plain
    assert not fast._unplain(text)
    assert not fast._unplain(text.replace(b"\n", b"\r\n"))
    assert fast._unplain(text.replace(b"caf", b"c" + needle + b"f"))


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
