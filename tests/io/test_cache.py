"""The client entry of the cache (Arrow IPC): the cached client is the cold load's, frame for frame
(dtypes, categories, attrs, index), its frames are the caller's own, and an entry that is corrupt,
of another layout or of other raw content is never used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc
import pytest

import smmkit
from smmkit.config import load_config
from smmkit.io import cache, loading, schema

ROOT = Path(__file__).resolve().parents[2]
TZ = "Europe/Moscow"
YAML = f"name: Big\ntimezone: {TZ}\n"
TABLES = ("posts", "audience", "ads", "inbox", "mentions", "web")


def demo(tmp_path: Path, name: str = "atelier-nord") -> Path:
    """A demo client (every table has rows) copied without its cache."""
    dest = tmp_path / name
    shutil.copytree(ROOT / "data" / "clients" / name, dest, ignore=shutil.ignore_patterns(cache.CACHE_DIR))
    return dest


def posts_csv(n: int, likes: int = 0) -> str:
    lines = ["network,post_id,published_at,post_type,text,url,impressions,reach,likes"]
    for i in range(n):
        url = f"https://vk.com/p{i}" if i % 3 == 0 else ""
        lines.append(f"vk,p{i},2026-10-{1 + i % 28:02d} 10:00:00,{'photo' if i % 2 else 'video'},"
                     f"пост {i},{url},{100 + i},{90 + i},{likes if i == 0 else i % 7}")  # fmt: skip
    return "\n".join(lines) + "\n"


def client_key(root: Path) -> str:
    (path,) = (root / cache.CACHE_DIR).glob("*.client.json")
    return path.name.split(".")[0]


def same_frames(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert list(a.dtypes) == list(b.dtypes)
    for name in a.columns:
        if isinstance(a[name].dtype, pd.CategoricalDtype):
            pd.testing.assert_index_equal(a[name].cat.categories, b[name].cat.categories, exact=True)
    assert a.attrs == b.attrs
    pd.testing.assert_index_equal(a.index, b.index, exact=True)
    pd.testing.assert_index_equal(a.columns, b.columns, exact=True)


def same_client(a, b) -> None:
    for table in TABLES:
        same_frames(a.table(table), b.table(table))
    assert [vars(i) for i in a.issues] == [vars(i) for i in b.issues]
    assert [vars(f) for f in a.files] == [vars(f) for f in b.files]


def no_parsing(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("parsed an export although the client entry holds the finished tables")

    for name in ("_load_plain", "load_export", "_read_and_recognise"):
        monkeypatch.setattr(loading, name, refuse)


@pytest.mark.parametrize("name", ["atelier-nord", "nimbus-crm"])
def test_the_client_entry_gives_the_cold_load_frame_for_frame(tmp_path, monkeypatch, name):
    root = demo(tmp_path, name)
    cold = smmkit.load_client(root, cache=False)
    same_client(smmkit.load_client(root), cold)  # writes the entry
    stored = {p.name.split(".", 1)[1] for p in (root / cache.CACHE_DIR).glob(f"{client_key(root)}.*")}
    assert stored == {"client.json", *(f"{t}.arrow" for t in TABLES)}
    with monkeypatch.context() as m:
        no_parsing(m)
        hit = smmkit.load_client(root)
    same_client(hit, cold)


def test_the_cached_frames_are_the_callers_own(make_client):
    root = make_client({"posts.csv": posts_csv(200)}, yaml=YAML)
    cold = smmkit.load_client(root, cache=False)
    smmkit.load_client(root)
    hit = smmkit.load_client(root)
    for name in ("likes", "impressions"):
        assert hit.posts[name].array._data.flags.writeable
    hit.posts.loc[:, "likes"] = 5
    hit.posts.loc[3, "impressions"] = 1
    hit.posts.loc[0, "text"] = "changed"
    assert (hit.posts["likes"] == 5).all()
    assert hit.posts.loc[3, "impressions"] == 1
    same_client(smmkit.load_client(root), cold)


def test_the_cached_frames_hold_no_view_of_the_entry_files(make_client):
    """The frames live on after their files are overwritten in place (a mapped file would be a crash)."""
    root = make_client({"posts.csv": posts_csv(300)}, yaml=YAML)
    cold = smmkit.load_client(root, cache=False)
    smmkit.load_client(root)
    hit = smmkit.load_client(root)
    for path in (root / cache.CACHE_DIR).glob("*.arrow"):
        with path.open("r+b") as f:
            f.truncate(0)
    same_client(hit, cold)
    assert hit.posts["text"].str.len().sum() == cold.posts["text"].str.len().sum()


def canonical(table: str, n: int, *, missing: str) -> pd.DataFrame:
    """A canonical table of ``n`` rows whose values are all there, some missing or all missing."""
    rng = np.random.default_rng(len(table) + n)
    cols = {}
    for name, kind in {**schema.COLUMNS[table], **schema.PROVENANCE}.items():
        if kind in (schema.TS, schema.DAY):
            values = pd.Series(pd.to_datetime(rng.integers(1_700_000_000, 1_800_000_000, n), unit="s"))
            values = values.dt.tz_localize("UTC") if kind == schema.TS else values.dt.normalize()
        elif kind in (schema.STR, schema.CAT):
            values = pd.Series([f"v{i % 5}é" for i in range(n)], dtype="string")
        elif kind == schema.BOOL:
            values = pd.Series(rng.random(n) < 0.5)
        else:
            values = pd.Series(rng.integers(0, 1000, n))
        if missing == "all":
            values = values.where(np.zeros(n, dtype=bool))
        elif missing == "some":
            values = values.where(rng.random(n) < 0.7)
        cols[name] = values
    return schema.conform(pd.DataFrame(cols), table, tz=TZ)


@pytest.mark.parametrize("missing", ["none", "some", "all"])
@pytest.mark.parametrize("rows", [0, 1, 257])
def test_every_canonical_dtype_round_trips(tmp_path, missing, rows):
    tables = {t: canonical(t, rows, missing=missing) for t in TABLES}
    tables["web"].attrs = {"note": ["kept"]}
    assert cache.write_client(tmp_path, "k" * 40, tables, files=[], issues=[])
    got, meta = cache.read_client(tmp_path, "k" * 40, tz=TZ)
    assert meta["kind"] == "client"
    for t in TABLES:
        same_frames(got[t], tables[t])


def test_the_canonical_dtypes_are_those_of_empty():
    for tz in ("UTC", TZ):
        for table in TABLES:
            want = schema.empty(table, tz=tz).dtypes
            got = cache._dtypes(table, tz)
            assert list(got.index) == list(want.index)
            assert [str(d) for d in got] == [str(d) for d in want]
            assert list(got) == list(want)


def _rewrite(path: Path, change) -> None:
    table = change(pa.ipc.open_file(pa.py_buffer(path.read_bytes())).read_all())
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _swap_offsets(table: pa.Table) -> pa.Table:
    """post_id's offsets made to go back (a flipped byte the IPC reader does not look at)."""
    col = table["post_id"].combine_chunks()
    offsets = np.frombuffer(col.buffers()[1], dtype=np.int64).copy()
    offsets[2], offsets[3] = offsets[3] + 1000, offsets[2]
    bad = pa.LargeStringArray.from_buffers(len(col), pa.py_buffer(offsets), col.buffers()[2])
    return table.set_column(table.schema.get_field_index("post_id"), "post_id", bad)


def _path_index(table: pa.Table, index: int) -> pa.Table:
    """The ``_file`` column (a categorical: stored as a dictionary of one path) given an index past it."""
    col = table["_file"].combine_chunks()
    indices = np.zeros(len(col), dtype=np.int32)
    indices[5] = index
    bad = pa.DictionaryArray.from_arrays(pa.array(indices), col.dictionary, safe=False)
    return table.set_column(table.schema.get_field_index("_file"), "_file", bad)


CORRUPT = {
    "garbage": lambda p: p.write_bytes(b"ARROW1 not arrow at all"),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "empty": lambda p: p.write_bytes(b""),
    "missing": lambda p: p.unlink(),
    "other column type": lambda p: _rewrite(
        p, lambda t: t.set_column(t.schema.get_field_index("likes"), "likes", t["likes"].cast("float64"))
    ),
    "column dropped": lambda p: _rewrite(p, lambda t: t.drop_columns(["text"])),
    "columns swapped": lambda p: _rewrite(p, lambda t: t.select([1, 0, *range(2, t.num_columns)])),
    "rows dropped": lambda p: _rewrite(p, lambda t: t.slice(1)),
    "string offsets": lambda p: _rewrite(p, _swap_offsets),
    "path index out of range": lambda p: _rewrite(p, lambda t: _path_index(t, 7)),
    "path index negative": lambda p: _rewrite(p, lambda t: _path_index(t, -1)),
    "naive timestamps": lambda p: _rewrite(
        p,
        lambda t: t.set_column(
            t.schema.get_field_index("published_at"),
            "published_at",
            t["published_at"].cast(pa.timestamp("ns")),
        ),
    ),
}


@pytest.mark.parametrize("how", sorted(CORRUPT))
def test_a_corrupt_client_entry_is_ignored_and_rewritten(make_client, how):
    root = make_client({"posts.csv": posts_csv(120)}, yaml=YAML)
    cold = smmkit.load_client(root, cache=False)
    smmkit.load_client(root)
    key = client_key(root)
    CORRUPT[how](root / cache.CACHE_DIR / f"{key}.posts.arrow")
    assert cache.read_client(root, key, tz=TZ) is None
    same_client(smmkit.load_client(root), cold)
    assert client_key(root) == key
    assert cache.read_client(root, key, tz=TZ) is not None  # rewritten


@pytest.mark.parametrize(
    "change",
    [
        lambda m: {**m, "layout": m["layout"] - 1},
        lambda m: {**m, "key": "0" * 40},
        lambda m: {**m, "kind": None},
        lambda m: {**m, "tables": {k: v for k, v in m["tables"].items() if k != "web"}},
        lambda m: [m],
    ],
)
def test_client_metadata_of_another_layout_is_not_trusted(make_client, change):
    root = make_client({"posts.csv": posts_csv(50)}, yaml=YAML)
    cold = smmkit.load_client(root, cache=False)
    smmkit.load_client(root)
    key = client_key(root)
    path = root / cache.CACHE_DIR / f"{key}.client.json"
    path.write_text(json.dumps(change(json.loads(path.read_text()))))
    assert cache.read_client(root, key, tz=TZ) is None
    same_client(smmkit.load_client(root), cold)
    assert cache.read_client(root, key, tz=TZ) is not None


def test_an_entry_read_ahead_is_not_used_for_other_content_of_the_same_size(make_client, monkeypatch):
    root = make_client({"posts.csv": posts_csv(80, likes=3)}, yaml=YAML)
    smmkit.load_client(root)
    old = client_key(root)
    path = root / "exports" / "posts.csv"
    path.write_text(posts_csv(80, likes=4), encoding="utf-8")  # one digit: the same paths and sizes
    files = loading.export_files(root)
    assert cache._read_ahead(root, files, tz=TZ)[0] == old  # read ahead, then refused by its key
    currency = load_config(root).currency
    digests, key, hit = cache.lookup_client(root, files, loading._digests, tz=TZ, currency=currency)
    assert key != old and hit is None and digests == loading._digests(files)
    assert int(smmkit.load_client(root).posts.set_index("post_id").loc["p0", "likes"]) == 4
    assert client_key(root) == key  # the old entry is pruned


def test_an_entry_of_another_timezone_is_not_used(make_client):
    root = make_client({"posts.csv": posts_csv(40)}, yaml=YAML)
    smmkit.load_client(root)
    (root / "client.yaml").write_text("name: Big\ntimezone: Asia/Tokyo\n", encoding="utf-8")
    cold = smmkit.load_client(root, cache=False)
    assert str(cold.posts["published_at"].dt.tz) == "Asia/Tokyo"
    same_client(smmkit.load_client(root), cold)
    same_client(smmkit.load_client(root), cold)


def test_the_hashing_thread_raises_in_the_caller(make_client):
    root = make_client({"posts.csv": posts_csv(10)}, yaml=YAML)
    smmkit.load_client(root)

    def broken(files):
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        cache.lookup_client(root, loading.export_files(root), broken, tz=TZ, currency=None)


def test_an_unreadable_export_gives_no_key(make_client):
    root = make_client({"posts.csv": posts_csv(10)}, yaml=YAML)
    smmkit.load_client(root)
    assert cache.lookup_client(
        root, loading.export_files(root), lambda files: None, tz=TZ, currency=None
    ) == (
        None,
        None,
        None,
    )


def test_one_export_path_is_stored_once(make_client):
    """``_file`` holds one path on every row: the entry stores it once (a dictionary of one value)
    and the cached column is the cold load's categorical column."""
    root = make_client({"posts.csv": posts_csv(300)}, yaml=YAML)
    cold = smmkit.load_client(root, cache=False)
    smmkit.load_client(root)
    key = client_key(root)
    stored = pa.ipc.open_file(
        pa.py_buffer((root / cache.CACHE_DIR / f"{key}.posts.arrow").read_bytes())
    ).read_all()
    assert pa.types.is_dictionary(stored["_file"].type) and len(stored["_file"].chunk(0).dictionary) == 1
    assert pa.types.is_large_string(stored["post_id"].type)  # a column of many values stays as it is
    warm = smmkit.load_client(root)
    pd.testing.assert_series_equal(warm.posts["_file"], cold.posts["_file"])


#: A process that loads a client and, once it holds the client's parse lock and has read its first
#: export, stops until the file ``argv[2]`` exists (at most a minute).
_SLOW_PARSER = """
import pathlib, sys, time
from smmkit.io import loading
go = pathlib.Path(sys.argv[2])
read = loading._read_export
def held(*args):
    read(*args)
    if not go.exists():
        print("parsing", flush=True)
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
loading._read_export = held
loading.load_client(sys.argv[1])
"""


def test_a_load_waits_while_another_process_parses_the_client_then_reads_its_entry(tmp_path, monkeypatch):
    """Two processes load a new client at once (a run's runner parsing ahead and the client's
    kernel): the second waits on the cache's lock while the first parses, then reads the client
    entry the first wrote; nothing is parsed twice."""
    import fcntl
    import subprocess
    import sys
    import threading

    root = demo(tmp_path)
    go = tmp_path / "go"
    other = subprocess.Popen(
        [sys.executable, "-c", _SLOW_PARSER, str(root), str(go)], stdout=subprocess.PIPE, text=True
    )
    outcome: dict = {}
    try:
        assert other.stdout.readline() == "parsing\n"  # it holds the lock, and has written no client entry
        waiting = threading.Event()
        flock = fcntl.flock

        def watched(fd, operation):
            if operation == fcntl.LOCK_EX:  # the blocking call, after the lock was found taken
                waiting.set()
            return flock(fd, operation)

        monkeypatch.setattr(fcntl, "flock", watched)
        no_parsing(monkeypatch)

        def load() -> None:
            try:
                outcome["client"] = smmkit.load_client(root)
            except BaseException as exc:  # noqa: BLE001 - reported by the test below
                outcome["error"] = exc

        loader = threading.Thread(target=load)
        loader.start()
        assert waiting.wait(60), "the load did not wait for the lock"
        go.touch()
        loader.join(60)
        assert other.wait(60) == 0
    finally:
        go.touch()
        if other.poll() is None:
            other.kill()
        other.wait()
    assert "error" not in outcome, outcome.get("error")
    monkeypatch.undo()
    same_client(outcome["client"], smmkit.load_client(root, cache=False))


def test_no_parse_lock_without_a_cache_folder_of_the_kits(tmp_path):
    """A cache folder that is a link is never used, not even for the lock: the load goes on unlocked."""
    root = demo(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (root / cache.CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    with cache.parsing(root) as waited:
        assert waited is False
    assert list(elsewhere.iterdir()) == []
    with cache.parsing(root / "missing") as waited:  # no folder can be made: no lock either
        assert waited is False
