"""The cache of parsed exports: ``<client>/.smmkit-cache/``, derived data, never trusted over raw.

Two kinds of entries. The *client* entry holds what ``load_client`` returns (the six finished
tables, after merging, conforming and sorting, with the files found and the issues), keyed by
every export's path and sha256, the timezone, the currency and the code digest below: while no
export changed, a load is a read of the finished tables. They are stored as uncompressed Arrow IPC
files (``<key>.<table>.arrow``, the metadata in ``<key>.client.json``): a read is one copy of each
file into memory of the load's own, the columns made on that memory without another copy (Int64
values are writable views of it, strings its Arrow arrays), their columns and dtypes checked
against the canonical ones. The exports are hashed in a thread while the entry recorded for their
paths and sizes is read; it is used only when its key is the key of those hashes. It is written
only for a load without errors whose result depends on the raw files alone (not for year-less
TikTok exports dated against today). The *file* entries let a load after a change parse only the
changed files: each export's parsed tables (what :func:`smmkit.io.loading.load_export` returns)
are stored as Parquet under a key made of the raw file's sha256, its path, what parsing depends on
(timezone, currency) and a digest of the readers' own code (so a kit change rebuilds every entry).
A changed raw file has a new key, so its entry is rebuilt; an entry that cannot be read (corrupt,
truncated, another version) is ignored and written again. Entries are written atomically (a
temporary name, then a rename; the metadata last), and entries no export of the client uses any
more are removed. Raw files are only read.

The folder is hidden (``.smmkit-cache``), so the batch fingerprint and ``exports/`` discovery never
see it, and git-ignored. ``SMMKIT_CACHE=0`` (or ``load_client(..., cache=False)``) turns it off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc

from smmkit.fsutil import replace_file, write_atomic
from smmkit.io.fast import one_value, string_views

__all__ = ["CACHE_DIR", "enabled", "entry_key", "client_key", "read", "write", "read_client", "write_client",
           "lookup_client", "parsing", "prune"]  # fmt: skip

CACHE_DIR = ".smmkit-cache"
#: Bump when the layout of an entry changes.
LAYOUT = 4
_OFF = {"0", "false", "no", "off"}


def enabled(cache: bool | None = None) -> bool:
    """``cache`` when given, else on unless the environment says ``SMMKIT_CACHE=0``."""
    if cache is not None:
        return cache
    return os.environ.get("SMMKIT_CACHE", "1").strip().casefold() not in _OFF


@functools.cache
def _code_digest() -> str:
    """sha256 of the readers' code (smmkit/io) and the library versions that write Parquet."""
    import pyarrow

    from smmkit._version import __version__

    package = Path(__file__).resolve().parent
    h = hashlib.sha256(f"layout {LAYOUT} smmkit {__version__} pandas {pd.__version__} "
                       f"pyarrow {pyarrow.__version__}\n".encode())  # fmt: skip
    for path in sorted(package.rglob("*.py")):
        h.update(
            f"{path.relative_to(package).as_posix()} ".encode() + hashlib.sha256(path.read_bytes()).digest()
        )
    return h.hexdigest()


def entry_key(path: Path, data: bytes | pa.Buffer, *, tz: str, currency: str | None) -> str:
    """The cache key of one export: its content, where it is, and what its parsing depends on."""
    h = hashlib.sha256(f"{_code_digest()}\n{path}\n{tz}\n{currency}\n".encode())
    h.update(hashlib.sha256(data).digest())
    return h.hexdigest()[:40]


def client_key(digests: list[tuple[str, bytes]], *, tz: str, currency: str | None) -> str:
    """The key of the client entry: every export's path and sha256 (in ``export_files`` order)."""
    h = hashlib.sha256(f"client\n{_code_digest()}\n{tz}\n{currency}\n".encode())
    for path, digest in digests:
        h.update(f"{path}\n".encode() + digest)
    return h.hexdigest()[:40]


#: The file that marks a folder as the kit's own cache (the Cache Directory Tagging Specification:
#: backup tools skip it too). Only a real directory holding it is read, written or pruned.
TAG = "CACHEDIR.TAG"
_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is smmkit's cache of parsed exports: derived data, safe to delete.\n"
)
#: The names of the files the kit writes here: ``<key>.json``, ``<key>.<table>.parquet``,
#: ``<key>.<table>.arrow``, ``<key>.client.json``, and their temporary ``.<name>.<pid>.tmp``.
_ENTRY = re.compile(r"(?P<key>[0-9a-f]{40})\.(?:[a-z0-9_]+\.(?:parquet|arrow)|json|client\.json)")
_TMP = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]+)\.tmp")
#: The first bytes of each kind of entry file: what the kit wrote, not a user's file of that name.
_MAGIC = {".parquet": b"PAR1", ".arrow": b"ARROW1", ".json": b'{"layout": '}


def _folder(client_dir: Path, *, create: bool = False) -> Path | None:
    """The client's cache folder, or None when there is none the kit may use.

    It must be a real directory (a symbolic link, even to a folder, is never followed) that holds
    :data:`TAG`. ``create`` makes it when missing; a real directory of that name without the tag
    is adopted only when it is empty or holds nothing but entry files (a cache of an older kit)."""
    folder = Path(client_dir) / CACHE_DIR
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        if not create:
            return None
        try:
            folder.mkdir()
            write_atomic(folder / TAG, _TAG_TEXT)
        except OSError:
            return None
        return folder
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):  # a link (to exports/, to any folder of the user's) or a file
        return None
    tag = folder / TAG
    if os.path.lexists(tag):
        return folder if os.path.isfile(tag) and not os.path.islink(tag) else None
    if not create:
        return None
    try:
        if any(not (_ENTRY.fullmatch(n) or _TMP.fullmatch(n)) for n in os.listdir(folder)):
            return None  # somebody else's folder of that name: neither used nor touched
        write_atomic(tag, _TAG_TEXT)
    except OSError:
        return None
    return folder


@contextlib.contextmanager
def parsing(client_dir: Path) -> Iterator[bool]:
    """Parse the client's exports one process at a time: hold an exclusive ``fcntl.flock`` on its
    cache folder's :data:`TAG` (the folder made when missing); yield whether another process held
    it first. That process was parsing the same exports: the entries it has just written are
    likely what this load needs, so look again before parsing.

    Without it, two processes that load a new client at once (``smmkit run``'s runner parsing
    ahead and the client's kernel, or two analysts' notebooks) both parse it, the second in vain.
    No lock (yield False) where there is no cache folder the kit may use or no ``fcntl`` (Windows):
    each process parses, as before. The lock is released when the file is closed, also when the
    process dies.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield False
        return
    folder = _folder(client_dir, create=True)
    try:
        fd = os.open(folder / TAG, os.O_RDONLY | os.O_NOFOLLOW) if folder is not None else None
    except OSError:
        fd = None
    if fd is None:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            waited = False
        except BlockingIOError:
            fcntl.flock(fd, fcntl.LOCK_EX)
            waited = True
        yield waited
    finally:
        os.close(fd)  # closing releases the lock


def read(client_dir: Path, key: str) -> tuple[str, dict[str, pd.DataFrame], dict] | None:
    """``(format name, tables, meta)`` of an entry, or None when there is none or it is unreadable."""
    folder = _folder(client_dir)
    if folder is None:
        return None
    try:
        meta = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        if meta.get("layout") != LAYOUT or meta.get("key") != key:
            return None
        tables = {}
        for name, info in meta["tables"].items():
            frame = pd.read_parquet(folder / f"{key}.{name}.parquet")
            if len(frame) != info["rows"]:
                return None
            frame.attrs = dict(info["attrs"])
            tables[name] = frame
        return meta["format"], tables, meta
    except Exception:  # a missing, partial or corrupt entry is rebuilt from the raw file
        return None


def _parquet(frame: pd.DataFrame, fh) -> None:
    frame.to_parquet(fh, index=False, compression="lz4")  # reads back faster than snappy, as small


def write(
    client_dir: Path,
    key: str,
    fmt: str,
    tables: dict[str, pd.DataFrame],
    *,
    warnings=(),
    notes=(),
    ignored=(),
) -> bool:
    """Store an entry (the tables first, the metadata that makes it valid last); False when the
    folder cannot be written (a read-only client folder still loads, just without a cache)."""
    folder = _folder(client_dir, create=True)
    if folder is None:
        return False
    try:
        meta = {"layout": LAYOUT, "key": key, "format": fmt, "tables": {}, "warnings": list(warnings),
                "notes": list(notes), "ignored": list(ignored)}  # fmt: skip
        for name, frame in tables.items():
            plain = frame.copy(deep=False)
            plain.attrs = {}
            replace_file(folder / f"{key}.{name}.parquet", lambda fh, f=plain: _parquet(f, fh))
            meta["tables"][name] = {"rows": len(frame), "attrs": dict(frame.attrs)}  # headers, unique keys
        text = json.dumps(meta, ensure_ascii=False)
        write_atomic(folder / f"{key}.json", text)
        return True
    except Exception:  # noqa: BLE001  the cache is an optimisation: never fail a load for it
        return False


def write_client(
    client_dir: Path, key: str, tables: dict[str, pd.DataFrame], *, files: list[dict], issues: list[dict]
) -> bool:
    """Store the client entry: each finished table as an uncompressed Arrow IPC file, then the
    metadata that makes it valid (files found, issues, and the exports' paths and sizes, by which
    :func:`lookup_client` finds the entry to read while the exports are hashed). False when the
    folder cannot be written."""
    folder = _folder(client_dir, create=True)
    if folder is None:
        return False
    try:
        meta = {
            "layout": LAYOUT,
            "key": key,
            "kind": "client",
            "code": _code_digest(),
            "exports": _sizes(f["path"] for f in files),
            "tables": {},
            "files": files,
            "issues": issues,
        }
        for name, frame in tables.items():
            table = _arrow(frame)
            replace_file(folder / f"{key}.{name}.arrow", lambda fh, t=table: _ipc(t, fh))
            meta["tables"][name] = {"rows": len(frame), "attrs": dict(frame.attrs)}
        text = json.dumps(meta, ensure_ascii=False)
        write_atomic(folder / f"{key}{_CLIENT}", text)
        return True
    except Exception:  # noqa: BLE001  the cache is an optimisation: never fail a load for it
        return False


#: The suffix of a client entry's metadata (``<key>.client.json``): found without knowing the key.
_CLIENT = ".client.json"


def _sizes(exports) -> list[list] | None:
    """Each export's path and size, sorted: what a client entry is read ahead by (the key decides)."""
    try:
        return sorted([str(p), os.stat(p).st_size] for p in exports)
    except OSError:
        return None


def read_client(client_dir: Path, key: str, *, tz: str) -> tuple[dict[str, pd.DataFrame], dict] | None:
    """``(tables, meta)`` of the client entry ``key``, every table with exactly its canonical columns
    and dtypes (:func:`smmkit.io.schema.conform`'s), or None when there is none or it is unreadable."""
    folder = _folder(client_dir)
    if folder is None:
        return None
    try:
        meta = json.loads((folder / f"{key}{_CLIENT}").read_text(encoding="utf-8"))
    except Exception:  # noqa: BLE001  missing or unreadable: the load reads the raw files
        return None
    return _client_tables(client_dir, key, meta, tz=tz)


def _client_tables(
    client_dir: Path, key: str, meta, *, tz: str
) -> tuple[dict[str, pd.DataFrame], dict] | None:
    from smmkit.io.schema import TABLES

    folder = _folder(client_dir)
    if folder is None:
        return None
    try:
        if not isinstance(meta, dict) or meta.get("layout") != LAYOUT or meta.get("key") != key:
            return None
        if meta.get("kind") != "client" or set(meta["tables"]) != set(TABLES):
            return None
        tables = {}
        for name in TABLES:
            info = meta["tables"][name]
            frame = _read_ipc(folder / f"{key}.{name}.arrow", _dtypes(name, tz), rows=info["rows"])
            frame.attrs = dict(info["attrs"])
            tables[name] = frame
        return tables, meta
    except Exception:  # noqa: BLE001  a missing, partial, corrupt or other-layout entry: read the raw files
        return None


def lookup_client(
    client_dir: Path, exports: list[Path], digests, *, tz: str, currency: str | None
) -> tuple[list[tuple[str, bytes]] | None, str | None, tuple[dict[str, pd.DataFrame], dict] | None]:
    """``(digests, key, hit)``: the exports' path and sha256 (``digests(exports)``, None when one
    cannot be read), the client key they give, and the client entry of that key, or None.

    The hashing runs in a thread while the entry recorded for these exports' paths and sizes is
    read (hashlib and file reads release the GIL); that entry is returned only when its key is the
    key of the hashes just computed, so a changed raw file is always found by its content."""
    result: list = []

    def work() -> None:
        try:
            result.append((True, digests(exports)))
        except BaseException as exc:  # noqa: BLE001  raised again in the caller's thread
            result.append((False, exc))

    thread = threading.Thread(target=work, name="smmkit-hash", daemon=True)
    thread.start()
    try:
        tried, hit = _read_ahead(client_dir, exports, tz=tz)
    finally:
        thread.join()
    ok, value = result[0]
    if not ok:
        raise value
    if value is None:
        return None, None, None
    key = client_key(value, tz=tz, currency=currency)
    if tried == key:
        return value, key, hit  # None when that entry could not be read: the load rewrites it
    return value, key, read_client(client_dir, key, tz=tz)  # there is seldom one: not read ahead


def _read_ahead(client_dir: Path, exports: list[Path], *, tz: str) -> tuple[str | None, tuple | None]:
    """``(key, (tables, meta) or None)`` of the client entry recorded for exports of these paths and
    sizes (not yet known to hold the same content), or ``(None, None)`` when there is none."""
    folder = _folder(client_dir)
    if folder is None:
        return None, None
    try:
        names = [
            e.name for e in os.scandir(folder) if e.name.endswith(_CLIENT) and not e.name.startswith(".")
        ]
    except OSError:
        return None, None
    sizes = _sizes(exports) if names else None
    for name in names:
        key = name[: -len(_CLIENT)]
        try:
            meta = json.loads((folder / name).read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001  unreadable: not this one
            continue
        if (
            sizes is not None
            and isinstance(meta, dict)
            and meta.get("exports") == sizes
            and meta.get("code") == _code_digest()
        ):
            return key, _client_tables(client_dir, key, meta, tz=tz)
    return None, None  # the timezone and currency are only in the key: an entry of others is not used


@functools.cache
def _dtypes(table: str, tz: str) -> pd.Series:
    """The canonical columns and dtypes of ``table``: :func:`smmkit.io.schema.empty`'s, which are the
    dtypes of :func:`smmkit.io.schema.conform`'s all-missing columns (made once per kind, not per
    column: a table of empty Series costs tens of milliseconds)."""
    from smmkit.io import schema

    kinds = {**schema.COLUMNS[table], **schema.PROVENANCE}
    return pd.Series({name: _kind_dtype(kind, tz) for name, kind in kinds.items()}, dtype=object)


@functools.cache
def _kind_dtype(kind: str, tz: str):
    from smmkit.io import schema

    return schema._series(kind, 0, tz).dtype


# The client entry's tables as Arrow IPC. Each column is stored as the Arrow array pandas makes
# of it, except an all-missing Int64 or string column, stored as Arrow's null type (no buffers),
# and a string column of one value (a text left the same on every row), stored as a dictionary of it.
# Reading copies the file once into memory of its own (a NumPy array), opens the IPC file over that
# memory without copying, and builds each column on it: Int64 and float64 values are writable
# views of that memory, strings are the Arrow arrays themselves (pandas' string[pyarrow]).


def _arrow(frame: pd.DataFrame) -> pa.Table:
    arrays = []
    for name in frame.columns:
        col = frame[name]
        if isinstance(col.dtype, pd.Int64Dtype | pd.StringDtype) and len(col) and col.isna().all():
            arrays.append(pa.nulls(len(col)))
        elif isinstance(col.dtype, pd.StringDtype) and (value := one_value(col)) is not None:
            indices = pa.array(np.zeros(len(col), dtype=np.int32))  # one export's path on every row
            arrays.append(pa.DictionaryArray.from_arrays(indices, pa.array([value], pa.large_string())))
        elif col.dtype == np.float64:
            arrays.append(pa.array(col.to_numpy(), type=pa.float64(), from_pandas=False))  # NaN stays NaN
        else:
            arrays.append(pa.Array.from_pandas(col))
    return pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns]).combine_chunks()


def _ipc(table: pa.Table, fh) -> None:
    with pa.ipc.new_file(fh, table.schema) as writer:
        writer.write_table(table)


def _read_ipc(path: Path, like: pd.Series, *, rows: int) -> pd.DataFrame:
    """The table of an IPC file written by :func:`_ipc`, with the columns and dtypes of ``like``;
    raises when the file is not one (other columns or types, another row count, corrupt)."""
    base = np.fromfile(path, dtype=np.uint8)  # the file's bytes in memory of our own (one read)
    table = pa.ipc.open_file(pa.BufferReader(pa.py_buffer(base))).read_all()
    if table.num_rows != rows or table.column_names != list(like.index):
        raise ValueError("another table")
    table.validate()
    out = {name: _column(table.column(name), want, base, rows) for name, want in like.items()}
    return pd.DataFrame(out, index=range(rows), copy=False)


def _chunk(col: pa.ChunkedArray) -> pa.Array:
    return col.chunk(0) if col.num_chunks == 1 else col.combine_chunks()


def _owned(chunk: pa.Array, dtype, base: np.ndarray) -> np.ndarray:
    """The values of a fixed-width ``chunk`` as a writable array: a view of ``base`` when the
    buffer lies in it, else a copy."""
    dtype = np.dtype(dtype)
    n = len(chunk)
    buf = chunk.buffers()[1]
    if n == 0 or buf is None:
        return np.zeros(n, dtype=dtype)
    start = buf.address - base.ctypes.data + chunk.offset * dtype.itemsize
    stop = start + n * dtype.itemsize
    if start >= 0 and stop <= base.size and buf.address % dtype.alignment == 0:
        return base[start:stop].view(dtype)
    return np.frombuffer(buf, dtype=dtype, count=n, offset=chunk.offset * dtype.itemsize).copy()


def _missing(chunk: pa.Array) -> np.ndarray:
    """pandas' mask of ``chunk`` (True where missing)."""
    n = len(chunk)
    if chunk.null_count == 0:
        return np.zeros(n, dtype=bool)
    if chunk.null_count == n:
        return np.ones(n, dtype=bool)
    bits = np.frombuffer(chunk.buffers()[0], dtype=np.uint8)
    valid = np.unpackbits(bits, count=n + chunk.offset, bitorder="little")[chunk.offset :]
    return valid == 0


def _strings(chunk: pa.Array) -> pa.Array:
    """``chunk``, a string array, once its offsets are known to only go forward within its data
    (Arrow's cheap validation checks the first and the last only; reading a string trusts them)."""
    if not (pa.types.is_large_string(chunk.type) or pa.types.is_string(chunk.type)):
        raise ValueError(f"{chunk.type} is not a string type")
    if len(chunk):
        offsets, _ = string_views(chunk)
        data = chunk.buffers()[2]
        if (
            offsets[0] < 0
            or offsets[-1] > (data.size if data is not None else 0)
            or (np.diff(offsets) < 0).any()
        ):
            raise ValueError("string offsets out of order")
    return chunk


def _kind_of(t) -> str:
    """A coarse kind of an Arrow type or a pandas dtype, for the columns of a table without rows."""
    if isinstance(t, pa.DataType):
        if pa.types.is_dictionary(t):
            return "category"
        if pa.types.is_timestamp(t):
            return f"time {t.tz}"
        return {"int64": "int", "null": "any", "double": "float", "large_string": "str", "bool": "bool"}.get(
            str(t), str(t)
        )
    if isinstance(t, pd.CategoricalDtype):
        return "category"
    if t.kind == "M":
        return f"time {getattr(t, 'tz', None)}"
    return {"Int64": "int", "float64": "float", "string": "str", "boolean": "bool"}.get(str(t), str(t))


def _column(col: pa.ChunkedArray, want, base: np.ndarray, rows: int):
    """The pandas array of dtype ``want`` of a column written by :func:`_arrow`."""
    kind = col.type
    if rows == 0:  # no record batch: a table without rows is the canonical empty one
        out = pd.array([], dtype=want)
        if _kind_of(want) != _kind_of(kind):
            raise ValueError(f"{kind} is not {want}")
        return out
    chunk = _chunk(col)
    if pa.types.is_null(kind) and isinstance(want, pd.Int64Dtype):
        out = pd.arrays.IntegerArray(np.zeros(rows, dtype=np.int64), np.ones(rows, dtype=bool), copy=False)
    elif pa.types.is_null(kind) and isinstance(want, pd.StringDtype):
        out = want.__from_arrow__(pa.chunked_array([pa.nulls(rows, pa.large_string())]))
    elif isinstance(want, pd.Int64Dtype) and kind == pa.int64():
        out = pd.arrays.IntegerArray(_owned(chunk, np.int64, base), _missing(chunk), copy=False)
    elif want == np.float64 and kind == pa.float64() and chunk.null_count == 0:
        out = _owned(chunk, np.float64, base)
    elif isinstance(want, pd.StringDtype) and kind == pa.large_string():
        out = want.__from_arrow__(pa.chunked_array([_strings(chunk)]))
    elif isinstance(want, pd.StringDtype) and kind == pa.dictionary(pa.int32(), pa.large_string()):
        indices = chunk.indices.to_numpy(zero_copy_only=False) if not chunk.indices.null_count else None
        if indices is None or len(chunk.dictionary) != 1 or indices.min() != 0 or indices.max() != 0:
            raise ValueError("not one value")  # what _arrow writes for a column of one value
        out = want.__from_arrow__(
            pa.chunked_array([pa.repeat(_strings(chunk.dictionary)[0], rows).cast(pa.large_string())])
        )
    elif isinstance(want, pd.CategoricalDtype) and pa.types.is_dictionary(kind) and not kind.ordered:
        if pa.types.is_null(kind.value_type) and not len(chunk.dictionary):  # no value at all: no category
            cats = pd.Index(pd.array([], dtype=want.categories.dtype))
        else:
            cats = pd.Index(
                want.categories.dtype.__from_arrow__(pa.chunked_array([_strings(chunk.dictionary)]))
            )
        indices = chunk.indices
        if len(indices) > indices.null_count and pc.min(indices).as_py() < 0:
            raise ValueError("a negative dictionary index")  # from_codes would read it as a missing value
        codes = (indices.fill_null(-1) if indices.null_count else indices).to_numpy(zero_copy_only=False)
        out = pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(cats, ordered=False))
    elif isinstance(want, pd.DatetimeTZDtype) and kind == pa.timestamp(want.unit, tz=str(want.tz)):
        out = want.__from_arrow__(pa.chunked_array([chunk]))
    elif want == np.dtype("datetime64[ns]") and kind == pa.timestamp("ns"):
        out = pd.array(chunk.to_numpy(zero_copy_only=False).astype(want, copy=True))
    elif isinstance(want, pd.BooleanDtype) and kind == pa.bool_():
        out = want.__from_arrow__(pa.chunked_array([chunk]))
    else:
        raise ValueError(f"{col.type} is not {want}")
    got = out.dtype
    if isinstance(want, pd.CategoricalDtype):  # the categories are the entry's own
        same = isinstance(got, pd.CategoricalDtype) and got.categories.dtype == want.categories.dtype
    else:
        same = got == want
    if not same or len(out) != rows:
        raise ValueError(f"{got} is not {want}")
    return out


def prune(client_dir: Path, keep: set[str]) -> None:
    """Remove the entries whose key no current export has (a changed or removed raw file), and
    temporary files of processes that are gone.

    Only in the kit's own folder (:func:`_folder`), and only files the kit wrote: a regular file
    (never a link) whose name is an entry's and whose first bytes are that kind of entry's."""
    folder = _folder(client_dir)
    if folder is None:
        return
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False) and _stale(entry, keep):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _stale(entry: os.DirEntry, keep: set[str]) -> bool:
    tmp = _TMP.fullmatch(entry.name)
    if tmp is not None:
        return _ENTRY.fullmatch(tmp["name"]) is not None and not _alive(int(tmp["pid"]))
    name = _ENTRY.fullmatch(entry.name)
    if name is None or name["key"] in keep:
        return False
    magic = _MAGIC[Path(entry.name).suffix]
    try:
        with open(entry.path, "rb") as fh:
            return fh.read(len(magic)) == magic
    except OSError:
        return False


def _alive(pid: int) -> bool:
    """Whether a process of that id runs on this machine (a temporary file of it may be in use)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by another user
        return True
    return True
