"""The Parquet cache of parsed exports: ``<client>/.smmkit-cache/``, derived data, never trusted over raw.

Two kinds of entries. The *client* entry holds what ``load_client`` returns (the six finished
tables, after merging, conforming and sorting, with the files found and the issues), keyed by
every export's path and sha256, the timezone, the currency and the code digest below: while no
export changed, a load is a Parquet read of the finished tables. It is written only for a load
without errors whose result depends on the raw files alone (not for year-less TikTok exports
dated against today). The *file* entries let a load after a change parse only the changed files:
each export's parsed tables (what :func:`smmkit.io.loading.load_export` returns) are stored as
Parquet under a key made of the raw file's sha256, its path, what parsing depends on (timezone,
currency) and a digest of the readers' own code (so a kit change rebuilds every entry). A changed
raw file has a new key, so its entry is rebuilt; an entry that cannot be read (corrupt, truncated,
another version) is ignored and written again. Entries are written atomically (a temporary name,
then a rename; the metadata last), and entries no export of the client uses any more are removed.
Raw files are only read.

The folder is hidden (``.smmkit-cache``), so the batch fingerprint and ``exports/`` discovery never
see it, and git-ignored. ``SMMKIT_CACHE=0`` (or ``load_client(..., cache=False)``) turns it off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from pathlib import Path

import pandas as pd

__all__ = ["CACHE_DIR", "enabled", "entry_key", "client_key", "read", "write", "read_client", "write_client",
           "prune"]  # fmt: skip

CACHE_DIR = ".smmkit-cache"
#: Bump when the layout of an entry changes.
LAYOUT = 2
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


def entry_key(path: Path, data: bytes, *, tz: str, currency: str | None) -> str:
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


def _folder(client_dir: Path) -> Path:
    return Path(client_dir) / CACHE_DIR


def read(client_dir: Path, key: str) -> tuple[str, dict[str, pd.DataFrame], dict] | None:
    """``(format name, tables, meta)`` of an entry, or None when there is none or it is unreadable."""
    folder = _folder(client_dir)
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


def _parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False, compression="lz4")  # reads back faster than snappy, as small


def _replace(target: Path, write_to) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write_to(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


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
    folder = _folder(client_dir)
    try:
        folder.mkdir(exist_ok=True)
        meta = {"layout": LAYOUT, "key": key, "format": fmt, "tables": {}, "warnings": list(warnings),
                "notes": list(notes), "ignored": list(ignored)}  # fmt: skip
        for name, frame in tables.items():
            plain = frame.copy(deep=False)
            plain.attrs = {}
            _replace(folder / f"{key}.{name}.parquet", lambda tmp, f=plain: _parquet(f, tmp))
            meta["tables"][name] = {"rows": len(frame), "attrs": dict(frame.attrs)}  # headers, unique keys
        text = json.dumps(meta, ensure_ascii=False)
        _replace(folder / f"{key}.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
        return True
    except Exception:  # noqa: BLE001  the cache is an optimisation: never fail a load for it
        return False


def write_client(
    client_dir: Path, key: str, tables: dict[str, pd.DataFrame], *, files: list[dict], issues: list[dict]
) -> bool:
    """Store the client entry: the finished tables, then the metadata (files found, issues) that
    makes it valid. False when the folder cannot be written."""
    folder = _folder(client_dir)
    try:
        folder.mkdir(exist_ok=True)
        meta = {
            "layout": LAYOUT,
            "key": key,
            "kind": "client",
            "tables": {},
            "files": files,
            "issues": issues,
        }
        for name, frame in tables.items():
            plain = frame.copy(deep=False)
            plain.attrs = {}
            _replace(folder / f"{key}.{name}.parquet", lambda tmp, f=plain: _parquet(f, tmp))
            meta["tables"][name] = {"rows": len(frame)}
        text = json.dumps(meta, ensure_ascii=False)
        _replace(folder / f"{key}.json", lambda tmp: tmp.write_text(text, encoding="utf-8"))
        return True
    except Exception:  # noqa: BLE001  the cache is an optimisation: never fail a load for it
        return False


def read_client(client_dir: Path, key: str, *, tz: str) -> tuple[dict[str, pd.DataFrame], dict] | None:
    """``(tables, meta)`` of the client entry, every table with exactly its canonical columns and
    dtypes (:func:`smmkit.io.schema.conform`'s), or None when there is none or it is unreadable."""
    from smmkit.io.schema import TABLES

    folder = _folder(client_dir)
    try:
        meta = json.loads((folder / f"{key}.json").read_text(encoding="utf-8"))
        if meta.get("layout") != LAYOUT or meta.get("key") != key or meta.get("kind") != "client":
            return None
        tables = {}
        for name in TABLES:
            frame = pd.read_parquet(folder / f"{key}.{name}.parquet")
            if len(frame) != meta["tables"][name]["rows"]:
                return None
            frame = _canonical(frame, _dtypes(name, tz))
            if frame is None:
                return None
            tables[name] = frame
        return tables, meta
    except Exception:  # a missing, partial or corrupt entry: the load reads the raw files
        return None


@functools.cache
def _dtypes(table: str, tz: str) -> pd.Series:
    """The canonical columns and dtypes of ``table`` (:func:`smmkit.io.schema.empty`'s)."""
    from smmkit.io.schema import empty

    return empty(table, tz=tz).dtypes


def _canonical(frame: pd.DataFrame, like: pd.Series) -> pd.DataFrame | None:
    """``frame`` with the dtypes of ``like`` (column -> dtype) where Parquet does not keep them
    exactly (a categorical's categories come back as ``str``, an empty categorical as ``object``);
    None when a column or a dtype is not what the canonical table has."""
    if list(frame.columns) != list(like.index):
        return None
    for name, want in like.items():
        col = frame[name]
        if isinstance(want, pd.CategoricalDtype):
            if isinstance(col.dtype, pd.CategoricalDtype) and len(col.cat.categories):
                cats = col.cat.categories
                if cats.dtype != want.categories.dtype:
                    col = col.cat.rename_categories(pd.Index(cats, dtype=want.categories.dtype))
            else:
                col = col.astype(want.categories.dtype).astype("category")
            ok = (
                isinstance(col.dtype, pd.CategoricalDtype)
                and col.cat.categories.dtype == want.categories.dtype
            )
            if ok and not col.cat.ordered:
                frame[name] = col
                continue
            return None
        if col.dtype != want:
            return None
    return frame


def prune(client_dir: Path, keep: set[str]) -> None:
    """Remove the entries whose key no current export has (a changed or removed raw file)."""
    folder = _folder(client_dir)
    if not folder.is_dir():
        return
    for p in folder.iterdir():
        key = p.name.split(".", 1)[0]
        if p.name.startswith(".") or key in keep:
            continue
        with contextlib.suppress(OSError):
            p.unlink()
