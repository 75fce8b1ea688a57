"""Vendor exports in an interface language whose header names the kit does not know
(:data:`smmkit.io.languages.HEADERS`), recognised by their shape: recognised, not used, with the
language they look like and how to switch the export to English. Tried last: a file whose names
are known (in English or translated) is read by its vendor's format first."""

from __future__ import annotations

import re
from collections.abc import Callable

from smmkit.io.formats.base import Format, LoadContext, NotUsed, register
from smmkit.io.formats.meta import series_blocks
from smmkit.io.languages import (
    HEADERS,
    LANGUAGE_NAMES,
    LANGUAGES,
    VENDORS,
    fold,
    guess_language,
    month_number,
    switch_to_english,
)
from smmkit.io.readers import RawFile, RawTable

_VIDEO_ID = re.compile(r"^\s?[A-Za-z0-9_-]{11}$")
_DAY_MONTH = re.compile(r"^\s*(?:(\d{1,2})\.?\s+(?:de\s+)?([^\W\d_]+)\.?|([^\W\d_]+)\.?\s+(\d{1,2}))\s*$")


def _youtube_table(t: RawTable) -> bool:
    """YouTube Studio's table data: a total row first, then one row per video ID (11 characters)."""
    ids = [r[0] for r in t.rows[1:] if r and r[0].strip()]
    return len(t.header) >= 3 and bool(ids) and sum(bool(_VIDEO_ID.match(c)) for c in ids) >= 0.8 * len(ids)


def _tiktok_table(t: RawTable) -> bool:
    """TikTok Studio: video links, or a first column of year-less days named in another language."""
    if any("tiktok.com/" in c for r in t.rows[:50] for c in r):
        return True
    days = [r[0] for r in t.rows if r and r[0].strip()]
    if not days:
        return False
    for cell in days:
        m = _DAY_MONTH.match(cell)
        name = m and (m.group(2) or m.group(3))
        if not name or month_number(name, LANGUAGES[1:]) is None:
            return False
    return True


_META_LINK = re.compile(r"(facebook|instagram)\.com/")
_META_TIME = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}\s*$")  # 01/17/2026 10:29
_META_ID = re.compile(r"^\s*\d{10,20}(_\d+)?\s*$")


def _meta_table(t: RawTable) -> bool:
    """Meta Business Suite content: per row a post ID of 10 to 20 digits, a publish time like
    ``01/17/2026 10:29`` and a facebook.com or instagram.com permalink (column order varies)."""
    rows = [r for r in t.rows[:50] if any(c.strip() for c in r)]
    if len(t.header) < 5 or not rows:
        return False
    looks = [
        any(_META_ID.match(c) for c in r) and any(_META_TIME.match(c) for c in r) and any(_META_LINK.search(c) for c in r)
        for r in rows
    ]  # fmt: skip
    return sum(looks) >= 0.8 * len(rows)


def _english(vendor: str, *more: str) -> frozenset[str]:
    """The vendor's English header names (the targets of its :data:`HEADERS`, and ``more``)."""
    return frozenset(
        fold(n) for n in (*(e for names in HEADERS.get(vendor, {}).values() for e in names.values()), *more)
    )


#: English header names of the vendors' exports: a table holding one is an English export (a
#: damaged one, if no format took it), never "another language".
_TIKTOK_ENGLISH = ("Date", "Time", "Post time", "Video link", "Total views", "Total likes", "Video Views",
                   "Followers")  # fmt: skip
_ENGLISH = {
    "youtube": _english("youtube", "Content", "Video title", "Video publish time", "Views", "Date"),
    "tiktok": frozenset(fold(n) for n in _TIKTOK_ENGLISH),
}
#: Meta's English names (Business Suite's and the legacy Page Insights export's), ``Permalink`` left
#: out (the Italian interface writes it too): two of them make a table English.
_META_ENGLISH = frozenset(
    fold(n)
    for n in (
        *(e for names in HEADERS["meta"].values() for e in names.values() if e != "Permalink"),
        "Page ID", "Page name", "Posted", "Post Message", "Type", "Lifetime Post Total Reach",
    )
)  # fmt: skip


def _not_english(vendor: str, t: RawTable) -> bool:
    if vendor == "meta":
        return sum(fold(h) in _META_ENGLISH for h in t.header) < 2
    return not any(fold(h) in _ENGLISH[vendor] for h in t.header)


def _foreign(
    vendor: str, looks: Callable[[RawTable], bool], also: Callable[[RawFile], bool] | None = None
) -> Format:
    def detect(raw: RawFile) -> bool:
        if also is not None and also(raw):
            return True
        return any(looks(t) and _not_english(vendor, t) for t in raw.tables)

    def load(raw: RawFile, ctx: LoadContext):
        texts = [h for t in raw.tables for h in t.header] + [
            r[0] for t in raw.tables for r in t.rows[:20] if r
        ]
        lang = guess_language(texts)
        language = LANGUAGE_NAMES[lang] if lang else "a language other than English"
        what = f"a {VENDORS[vendor]} export in {language}"
        reason = f"{what}: the kit does not know its column names in that language"
        raise NotUsed(reason, f"{reason}; {switch_to_english(vendor)}")

    return register(
        Format(
            f"{vendor}_other_language",
            f"{VENDORS[vendor]} export in another interface language",
            detect,
            load,
        )
    )


def _foreign_series(raw: RawFile) -> bool:
    """A Meta Business Suite page series whose every block is in another interface language with a
    metric line the kit does not know (``"Date","Primary"`` with the ``Date`` word translated)."""
    blocks = series_blocks(raw)
    return bool(blocks) and all(b.english is None for b in blocks)


_foreign("youtube", _youtube_table)
_foreign("tiktok", _tiktok_table)
_foreign("meta", _meta_table, _foreign_series)
