"""Load a client folder: config + every export -> :class:`~smmkit.io.client.Client`."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from smmkit.config import ClientConfig, load_config
from smmkit.errors import FormatError, InputError
from smmkit.io import archive, fast, formats, languages, merge
from smmkit.io import cache as cache_mod
from smmkit.io.client import Client, FileInfo, Issue
from smmkit.io.languages import fold, visible
from smmkit.io.merge import UNIQUE, unique_posts
from smmkit.io.readers import RawFile, read_file
from smmkit.io.schema import local_day, used_categories

__all__ = ["export_files", "load_client", "load_export", "recognise", "recognise_raw", "closest_format"]


def _entries(client_dir: str | Path) -> list[Path]:
    """Every path under ``exports/``, sorted; hidden ones and ``exports/ignore/`` skipped."""
    root = Path(client_dir) / "exports"
    if not root.is_dir():
        return []
    out = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or (rel.parts and rel.parts[0] == "ignore"):
            continue
        out.append(p)
    return out


def export_files(client_dir: str | Path) -> list[Path]:
    """Every export under ``exports/``, sorted; hidden files and ``exports/ignore/`` skipped."""
    return [p for p in _entries(client_dir) if p.is_file()]


def dangling_links(client_dir: str | Path) -> list[Issue]:
    """A warning for each symbolic link under ``exports/`` whose target does not exist (an export
    moved or deleted): the file it stood for is not read, and ``validate`` says so."""
    return [
        Issue(
            "warning",
            f"a symbolic link to {str(p.readlink())!r}, which does not exist: not read",
            path=str(p),
        )
        for p in _entries(client_dir)
        if p.is_symlink() and not p.exists()
    ]


#: Header names too common to tell formats apart: sharing only these is no evidence.
_GENERIC = frozenset(
    fold(n)
    for n in (
        "Date", "Day", "Time", "Views", "Likes", "Comments", "Shares", "Impressions", "Reach",
        "Clicks", "Followers", "Users", "Sessions", "Title", "Type", "Link", "URL", "Total",
        "Engagements", "Reactions", "Posts", "Video views", "Subscribers", "Saves",
    )
)  # fmt: skip


def closest_format(raw: RawFile) -> tuple[str, list[str]]:
    """The known format whose signature shares the most header names with the file, and the
    signature names it lacks (for "matches no known format" errors); ``("none", [])`` when no
    format shares real evidence: at least two names, one of them not a generic one like ``Date``.

    Names compare after :func:`~smmkit.io.languages.fold` (case, accents, soft hyphens and a
    trailing ``(XXX)`` currency do not count: ``Amount spent (UAH)`` is ``Amount spent``). Sheet
    names count as names, so do the cells of the first rows (a header below a title block), and
    a ``#`` preamble counts for the GA4 formats, which have one. Ties go to the format with more
    distinctive names shared, then to the more complete signature."""
    keys = {fold(h) for t in raw.tables for h in t.header} | {fold(t.sheet) for t in raw.tables if t.sheet}
    keys |= {fold(c) for t in raw.tables for r in t.rows[:12] for c in r}
    keys.discard("")
    hashed = any(p.startswith("#") for t in raw.tables for p in t.preamble)
    best, best_score, missing = "none", (0, 0, 0.0), []
    for fmt in formats.FORMATS:
        sig = [fold(s) for s in fmt.signature]
        if not sig:
            continue
        shared = [s for s in sig if s in keys]
        distinctive = sum(s not in _GENERIC for s in shared)
        if hashed and fmt.name.startswith("ga4"):
            shared, distinctive = [*shared, "#"], distinctive + 1
        if len(shared) < 2 or not distinctive:
            continue  # a shared "Date" is no evidence
        score = (distinctive, len(shared), len(shared) / len(sig))
        if score > best_score:
            best, best_score = fmt.label, score
            missing = [s for s, n in zip(fmt.signature, sig, strict=True) if n not in keys]
    return best, missing


def _language_hint(raw: RawFile) -> str:
    """For a file no format knows whose header names look like another interface language: which
    one, and how to switch the apps the kit reads to English (their exports are read in English)."""
    lang = languages.guess_language([h for t in raw.tables for h in t.header])
    if lang is None:
        return ""
    steps: dict[str, list[str]] = {}  # the same steps (Facebook's language) said once
    for v, label in languages.VENDORS.items():
        steps.setdefault(languages.switch_to_english(v, again=False), []).append(label)
    ways = "; ".join(f"{' and '.join(labels)}: {step}" for step, labels in steps.items())
    return (
        f". Its column names look {languages.LANGUAGE_NAMES[lang]}: the kit reads an export in another "
        f"interface language only where it knows its column names. Switch the app that made it to "
        f"English and export it again ({ways})"
    )


def recognise(raw: RawFile) -> formats.Format:
    """The format of a read export, or a FormatError naming the closest known format (or saying
    that no known format shares its column names)."""
    return recognise_raw(raw)[1]


def recognise_raw(raw: RawFile) -> tuple[RawFile, formats.Format]:
    """The export as its format reads it, and that format: the file itself when a format knows its
    header names, else the file with its header names in English when they are those of a known
    interface language (:func:`smmkit.io.languages.translated`), else a FormatError."""
    fmt = formats.detect(raw)
    if fmt is None or fmt.name.endswith("_other_language"):
        english = languages.translated(raw)
        found = formats.detect(english) if english is not None else None
        if found is not None and not found.name.endswith("_other_language"):
            return english, found
    path = raw.path
    if fmt is None:
        closest, missing = closest_format(raw)
        header = [visible(h) for h in (raw.first.header if raw.first else []) if h]
        hint = f" (it lacks {', '.join(repr(m) for m in missing[:4])})" if missing else ""
        closest = (
            f"the closest is {closest}{hint}"
            if closest != "none"
            else "no known format shares its column names"
        )
        raise FormatError(
            f"matches no known export format; {closest}. Header seen: "
            f"{', '.join(repr(h) for h in header[:8] if h)}{' ...' if len(header) > 8 else ''}"
            f"{_language_hint(raw)}",
            path=path,
            line=raw.first.header_line if raw.first else 1,
        )
    return raw, fmt


def load_export(
    path: str | Path,
    *,
    tz: str = "UTC",
    anchor_day: dt.date | None = None,
    raw: RawFile | None = None,
    currency: str | None = None,
    ctx: formats.LoadContext | None = None,
) -> tuple[formats.Format, dict[str, pd.DataFrame]]:
    """Read, recognise and load one export into canonical tables (not yet conformed).

    ``anchor_day`` is the latest day of the client's other exports, used to give
    TikTok's year-less dates their year (default: today). ``currency`` is the
    client's (ad exports in another currency are an error). A format that is
    recognised but not used loads as no table at all.
    """
    path = Path(path)
    ctx = ctx or formats.LoadContext(tz=tz, anchor_day=anchor_day, currency=currency)
    return _guarded(path, functools.partial(_load_raw, path, raw, ctx), ctx)


def _load_raw(
    path: Path, raw: RawFile | None, ctx: formats.LoadContext
) -> tuple[formats.Format, dict[str, pd.DataFrame]]:
    """Read (unless ``raw`` is given), recognise and load one export (inside :func:`_guarded`)."""
    raw, fmt = recognise_raw(raw if raw is not None else read_file(path))
    if isinstance(raw, languages.TranslatedFile):
        ctx.originals = raw.originals
        ctx.notes.append(
            f"read as {languages.VENDORS[raw.vendor]} in {languages.LANGUAGE_NAMES[raw.language]}: its "
            "column names are matched to the English ones"
        )
    if fmt.refuse:
        line = raw.first.header_line if raw.first else 1
        raise FormatError(f"a {fmt.label}: {fmt.refuse}", path=path, line=line)
    if fmt.unused:
        return fmt, {}
    try:
        return fmt, fmt.load(raw, ctx)
    except formats.NotUsed as exc:  # known, but not usable as it is: set aside, never a failure
        ctx.warnings.append(exc.warning)
        ctx.set_aside, ctx.fix = ("costs" if exc.costs else "rows"), exc.warning
        return dataclasses.replace(fmt, unused=exc.reason), {}


def _guarded(path: Path, load, ctx: formats.LoadContext) -> tuple[formats.Format, dict[str, pd.DataFrame]]:
    """Run a loader at the file boundary: one row per post checked, library warnings kept as the
    file's, every error an InputError naming the file."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fmt, tables = load()
            # Columns formats.base.build found all different while reading (attrs the caller never sees).
            known = {name: t.attrs.pop(fast.DISTINCT, ()) for name, t in tables.items()}
            if "posts" in tables:
                distinct = "post_id" in known["posts"]
                tables["posts"].attrs[UNIQUE] = unique_posts(
                    tables["posts"], label=fmt.label, ids_distinct=distinct
                )
    except InputError as exc:
        if exc.column in ctx.originals:  # a translated header: named as the file writes it
            exc = type(exc)(exc.message, path=exc.path, line=exc.line, column=ctx.originals[exc.column])
        raise exc.with_location(path=str(path)) from None
    except fast.NotPlain:
        raise
    except Exception as exc:
        raise _unexpected(path, exc) from exc
    ctx.warnings.extend(_library_warnings(caught))
    return fmt, tables


def _load_plain(path: Path, data: pa.Buffer, ctx: formats.LoadContext):
    """The fast path (:mod:`smmkit.io.fast`): a plain CSV of a format that loads from columns.
    None when the file is not one (the exact readers then read it)."""
    head = fast.plain_head(path, data)
    fmt = formats.detect(head) if head is not None else None
    if fmt is None or fmt.load_table is None or fmt.refuse or fmt.unused or fmt.yearless:
        return None
    types = fmt.typed(head.first) if fmt.typed else None
    for attempt in (types, None) if types else (None,):
        table = fast.plain_table(path, data, attempt, head=head)
        if table is None:
            continue
        reading = formats.LoadContext(tz=ctx.tz, anchor_day=ctx.anchor_day, currency=ctx.currency)
        try:
            done = _guarded(path, lambda t=table, c=reading: (fmt, fmt.load_table(t, c)), reading)
        except fast.NotPlain:
            continue  # a value the typed read cannot word an error for: read as strings
        for name in ("headers", "read", "warnings", "notes"):
            setattr(ctx, name, getattr(reading, name))
        return done
    return None


def _library_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    """Warnings that libraries raised while reading, as the kit's own words.

    openpyxl and xlrd warn about workbook styles, data validation and extensions they
    drop: they concern formatting, never a cell value, so they are silenced. Any other
    user warning is kept as its message only (no library path, no traceback)."""
    out = []
    for w in caught:
        module = Path(str(w.filename)).parts
        if "openpyxl" in module or "xlrd" in module or not issubclass(w.category, UserWarning):
            continue  # deprecations and numeric runtime warnings are for developers, not about the file
        text = str(w.message).strip().splitlines()[0] if str(w.message).strip() else type(w.message).__name__
        if text not in out:
            out.append(f"while reading this file: {text}")
    return out


def _unexpected(path: Path, exc: Exception) -> InputError:
    """The last line of defence at the file boundary: a parser failure the readers did not
    foresee becomes an InputError naming the file (so no traceback reaches the user)."""
    return InputError(
        f"could not load this file ({type(exc).__name__}: {exc}); this is a bug in smmkit, "
        "please report it with the file",
        path=path,
    )


def _read_bytes(path: Path) -> pa.Buffer:
    """The file's bytes (:func:`smmkit.io.fast.read`: in Arrow's memory, not a Python ``bytes``)."""
    try:
        return fast.read(path)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", path=path) from None


def _read_and_recognise(path: Path, data: pa.Buffer | None = None) -> tuple[RawFile, formats.Format]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # read again, with warnings kept, by load_export
            raw = read_file(path, data=data.to_pybytes() if data is not None else None)
        return recognise_raw(raw)
    except InputError:
        raise
    except Exception as exc:
        raise _unexpected(path, exc) from exc


def load_client(path: str | Path, *, strict: bool = True, cache: bool | None = None) -> Client:
    """Load one client folder.

    Parameters
    ----------
    path
        The client folder (``<clients-dir>/<slug>``).
    strict
        If true (the default), the first unusable export raises its
        :class:`~smmkit.errors.InputError`. If false, unusable files are
        recorded in ``Client.issues`` and ``Client.files`` and skipped (what
        ``smmkit validate`` uses to list every problem).
    cache
        Keep the finished tables, and each export's parsed tables, in ``<client>/.smmkit-cache/``
        (Arrow IPC and Parquet, keyed by the raw files' content hashes; :mod:`smmkit.io.cache`) and read them
        back while the raw files are unchanged. Default: on, unless the environment variable
        ``SMMKIT_CACHE`` is ``0``.

    Returns
    -------
    Client
        The six canonical tables, merged and sorted, with every export's
        :class:`~smmkit.io.client.FileInfo` and the issues found.
    """
    client_dir = Path(path)
    config = load_config(client_dir)
    run = _Load(client_dir, config.timezone, config.currency, strict=strict, cache=cache_mod.enabled(cache))
    hit = _find_files(run)
    if hit is None:
        # one process parses a client at a time (the cache's lock)
        with cache_mod.parsing(client_dir) if run.cache else contextlib.nullcontext(False) as waited:
            if waited:  # another process parsed these exports meanwhile: its entry is likely there
                hit = _find_files(run)
            if hit is None:
                return _parsed_client(run, config)
    client = _cached_client(config, *hit)  # no export changed: the finished client of the cache
    client.issues.extend(dangling_links(client_dir))  # not in the entry: links are not exports
    return client


def _parsed_client(run: _Load, config: ClientConfig) -> Client:
    """Steps 2-4: read every export (each from its file entry when unchanged), merge, write the cache."""
    client_dir = run.client_dir
    for n, p in enumerate(run.files):
        _read_export(run, n, p)
    _resolve_yearless(run)
    run.infos.sort(key=lambda i: str(i.path))
    frames, merged = merge.merge_tables(run.loaded, run.infos, tz=run.tz)
    run.issues.extend(merged)
    run.issues.extend(merge.overlap_warnings(frames))
    _write_cache(run, frames)
    run.issues.extend(dangling_links(client_dir))  # after the client entry is written: checked on every load
    return Client(config=config, files=run.infos, issues=run.issues, **frames)


@dataclass
class _Load:
    """What one :func:`load_client` call gathers, step by step."""

    client_dir: Path
    tz: str
    currency: str | None
    strict: bool
    cache: bool
    files: list[Path] = field(default_factory=list)
    #: Each export's path and sha256, and the key of the client entry they give (None: not cached).
    digests: list[tuple[str, bytes]] | None = None
    whole: str | None = None
    infos: list[FileInfo] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    #: Each loaded export's canonical tables, in load order (the year-less ones last).
    loaded: list[dict[str, pd.DataFrame]] = field(default_factory=list)
    #: Year-less exports (TikTok), loaded once the other exports' last day is known.
    deferred: list[tuple[Path, RawFile]] = field(default_factory=list)
    #: The day each member of a .zip was written (a file of exports/ has its modification time).
    modified: dict[Path, dt.date] = field(default_factory=dict)
    #: Cache entries this load used or wrote (the others are removed).
    keys: set[str] = field(default_factory=set)
    #: Whether the result depends on the day of the load (no client entry then).
    today: bool = False

    def context(self, anchor_day: dt.date | None = None, **stored) -> formats.LoadContext:
        return formats.LoadContext(tz=self.tz, anchor_day=anchor_day, currency=self.currency, **stored)

    def add(
        self, p: Path, fmt: formats.Format, tables: dict[str, pd.DataFrame], ctx: formats.LoadContext
    ) -> None:
        """Record a loaded export: its FileInfo, its tables, its warnings and notes."""
        info = _file_info(p, fmt, tables, ctx)
        self.infos.append(info)
        self.loaded.append(tables)
        self.issues.extend(Issue("warning", text, path=str(p)) for text in ctx.warnings)
        self.issues.extend(Issue("note", text, path=str(p)) for text in ctx.notes)

    def fail(self, p: Path, exc: InputError) -> None:
        """Record an unusable export (or raise its error when strict)."""
        if self.strict:
            raise exc
        self.infos.append(FileInfo(p, None, error=exc.location_message()))
        self.issues.append(Issue("error", exc.message, exc.path or str(p), exc.line, exc.column))


def _find_files(run: _Load) -> tuple[dict[str, pd.DataFrame], dict] | None:
    """Step 1: the exports, and the cache's finished client when none changed."""
    run.files = export_files(run.client_dir)
    if not run.cache:
        return None
    run.digests, run.whole, hit = cache_mod.lookup_client(
        run.client_dir, run.files, _digests, tz=run.tz, currency=run.currency
    )
    return hit


def _read_export(run: _Load, n: int, p: Path) -> None:
    """Step 2: read the ``n``-th export (a ``.zip`` of a whole download: each of its members)."""
    try:
        data = _read_bytes(p)
    except InputError as exc:
        run.fail(p, exc)
        return
    if run.whole is not None and hashlib.sha256(data).digest() != run.digests[n][1]:
        run.whole = None  # the file changed while loading: no client entry for what was read
    if archive.is_archive(memoryview(data), name=p.name):
        _read_archive(run, p, data)
    else:
        _load_data(run, p, data)


def _read_archive(run: _Load, p: Path, data: pa.Buffer) -> None:
    """Each member of the archive ``p`` as if it were a file of ``exports/`` (:mod:`smmkit.io.archive`:
    read in memory, never unpacked; a refused member is an error naming it)."""
    try:
        found = archive.members(p, memoryview(data))
    except ValueError as exc:
        run.fail(p, InputError(str(exc), path=p))
        return
    if not found:
        run.fail(p, FormatError("a .zip archive with no file in it", path=p))
    for member in found:
        if member.data is None:
            run.fail(member.path, InputError(member.error or "refused", path=member.path))
        else:
            if member.modified is not None:
                run.modified[member.path] = member.modified
            _load_data(run, member.path, pa.py_buffer(member.data))


def _load_data(run: _Load, p: Path, data: pa.Buffer) -> None:
    """Load one export of bytes ``data`` (from its file entry when its bytes are unchanged)."""
    try:
        key = cache_mod.entry_key(p, data, tz=run.tz, currency=run.currency) if run.cache else None
        hit = cache_mod.read(run.client_dir, key) if key else None
        if hit is not None:
            run.keys.add(key)
            name, tables, meta = hit
            ctx = run.context(warnings=list(meta["warnings"]), notes=list(meta["notes"]),
                              headers={(None, 0): list(meta["ignored"])})  # fmt: skip
            run.add(p, formats.by_name(name), tables, ctx)
            return
        ctx = run.context()
        done = _load_plain(p, data, ctx)
        if done is None:
            raw, fmt = _read_and_recognise(p, data)
            if fmt.yearless:
                run.deferred.append((p, raw))
                return
            done = load_export(p, raw=raw, ctx=ctx)
        fmt, tables = done
    except InputError as exc:
        run.fail(p, exc)
        return
    # A set-aside file gets no file entry: the entry would name the used format.
    if key and not ctx.set_aside and cache_mod.write(
        run.client_dir, key, fmt.name, tables, warnings=ctx.warnings, notes=ctx.notes,
        ignored=() if fmt.unused else ctx.ignored(),
    ):  # fmt: skip
        run.keys.add(key)
    run.add(p, fmt, tables, ctx)


def _resolve_yearless(run: _Load) -> None:
    """Step 3: load the year-less exports (TikTok), their latest day on or before the other
    exports' last day; with no other dated export, on or before the file's own modification day
    (a .zip member's, as the archive records it) or today, with a warning (then the result may
    depend on the day: no client entry)."""
    if not run.deferred:
        return
    last = [i.last_day for i in run.infos if i.last_day is not None]
    for p, raw in run.deferred:
        if last:
            anchor = max(last).date()
        else:
            anchor = _own_day(run, p)
            run.today = True  # the result depends on the file's day or today: no client entry
            run.issues.append(Issue("warning", _NO_YEAR.format(anchor=anchor.isoformat()), path=str(p)))
        try:
            ctx = run.context(anchor_day=anchor)
            fmt, tables = load_export(p, raw=raw, ctx=ctx)
        except InputError as exc:
            run.fail(p, exc)
            continue
        run.add(p, fmt, tables, ctx)


_NO_YEAR = (
    "days but no year (TikTok) and no other dated export: the file's latest day is taken to be on or "
    "before the day it was written ({anchor}); add another export of the client to pin the year"
)


def _own_day(run: _Load, p: Path) -> dt.date:
    """The day ``p`` was written (a .zip member's recorded day, a file's modification time), not
    after today; today when it is not known."""
    today = dt.date.today()
    day = run.modified.get(p)
    if day is None:
        try:
            day = dt.date.fromtimestamp(p.stat().st_mtime)
        except (OSError, ValueError, OverflowError):
            day = today
    return min(day, today)


def _write_cache(run: _Load, frames: dict[str, pd.DataFrame]) -> None:
    """Step 5: keep the finished client when it is a result of the raw files alone; remove the
    entries no current export uses."""
    if run.whole is not None and not run.today and all(i.format for i in run.infos):
        entry = {"files": [_info_json(i) for i in run.infos], "issues": [_issue_json(i) for i in run.issues]}
        if cache_mod.write_client(run.client_dir, run.whole, frames, **entry):
            run.keys.add(run.whole)
    if run.cache:
        cache_mod.prune(run.client_dir, run.keys)


def _file_info(
    p: Path, fmt: formats.Format, tables: dict[str, pd.DataFrame], ctx: formats.LoadContext
) -> FileInfo:
    """What ``Client.files`` says about a loaded export: format, networks, rows, days covered."""
    days = _days_covered(tables)
    nets = _networks(tables) if tables or not fmt.network else {fmt.network}
    return FileInfo(
        p, fmt.name, tuple(sorted(nets)), {k: len(v) for k, v in tables.items()},
        min(days) if days else None, max(days) if days else None,
        unused=fmt.unused, ignored=tuple(ctx.ignored()) if not fmt.unused else (),
        costs_unknown=ctx.set_aside == "costs", set_aside=ctx.fix,
    )  # fmt: skip


def _days_covered(tables: dict[str, pd.DataFrame]) -> list[pd.Timestamp]:
    """The first and last local day of each table (web: of its date ranges)."""
    days = []
    for name, frame in tables.items():
        first, last = ("date_start", "date_end") if name == "web" else (merge.DAY_COLUMN[name],) * 2
        if first in frame and len(frame):
            lo, hi = pd.Series(frame[first]), pd.Series(frame[last])
            # The earliest instant's day is the earliest day: two values to convert, not every one.
            if lo.dtype.kind == "M" and lo.dtype == hi.dtype:
                lo, hi = pd.Series([lo.min()], dtype=lo.dtype), pd.Series([hi.max()], dtype=hi.dtype)
            days.extend([local_day(lo).min(), local_day(hi).max()])
    return [d for d in days if not pd.isna(d)]


def _networks(tables: dict[str, pd.DataFrame]) -> set[str]:
    """The networks of a file's rows (a mention's network is where it was found, not the client's)."""
    nets: set[str] = set()
    for name, frame in tables.items():
        if "network" in frame and name != "mentions":
            col = pd.Series(frame["network"])
            if isinstance(col.dtype, pd.CategoricalDtype):
                nets |= {str(n) for n in col.cat.categories[used_categories(col)]}
            else:
                nets |= {str(n) for n in col.dropna().unique()}
    return nets


def _digests(files: list[Path]) -> list[tuple[str, bytes]] | None:
    """Each export's path and sha256 (the client entry's key), or None when one cannot be read
    (the load then says so)."""
    out = []
    for p in files:
        try:
            with p.open("rb") as f:
                out.append((str(p), hashlib.file_digest(f, "sha256").digest()))
        except OSError:
            return None
    return out


def _day_json(day: pd.Timestamp | None) -> list | None:
    return None if day is None else [day.isoformat(), day.unit, str(day.tz) if day.tz else None]


def _day(value: list | None) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value[0], tz=value[2]).as_unit(value[1])


def _info_json(i: FileInfo) -> dict:
    return {"path": str(i.path), "format": i.format, "networks": list(i.networks), "rows": i.rows,
            "first_day": _day_json(i.first_day), "last_day": _day_json(i.last_day), "error": i.error,
            "unused": i.unused, "ignored": list(i.ignored), "costs_unknown": i.costs_unknown,
            "set_aside": i.set_aside}  # fmt: skip


def _issue_json(i: Issue) -> dict:
    return {"level": i.level, "message": i.message, "path": i.path, "line": i.line, "column": i.column}


def _cached_client(config, tables: dict[str, pd.DataFrame], meta: dict) -> Client:
    """The Client of a client cache entry (:func:`smmkit.io.cache.read_client`)."""
    files = [
        FileInfo(
            Path(f["path"]),
            f["format"],
            tuple(f["networks"]),
            dict(f["rows"]),
            _day(f["first_day"]),
            _day(f["last_day"]),
            f["error"],
            f["unused"],
            tuple(f["ignored"]),
            bool(f.get("costs_unknown")),
            f.get("set_aside"),
        )  # fmt: skip
        for f in meta["files"]
    ]
    return Client(config=config, files=files, issues=[Issue(**i) for i in meta["issues"]], **tables)
