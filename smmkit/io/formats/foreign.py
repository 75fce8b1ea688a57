"""Vendor exports in an interface language whose header names the kit does not know
(:data:`smmkit.io.languages.HEADERS`), recognised by their shape: recognised, not used, with the
language they look like and how to switch the export to English. Tried last: a file whose names
are known (in English or translated) is read by its vendor's format first."""

from __future__ import annotations

import re
from collections.abc import Callable

from smmkit.io.formats.base import Format, LoadContext, NotUsed, register
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


#: English header names of the vendors' exports: a table holding one is an English export (a
#: damaged one, if no format took it), never "another language".
_ENGLISH = frozenset(
    fold(n)
    for n in (
        *(e for langs in HEADERS.values() for names in langs.values() for e in names.values()),
        "Content", "Video title", "Video publish time", "Views", "Date", "Time", "Post time",
        "Video link", "Total views", "Total likes", "Video Views", "Followers",
    )
)  # fmt: skip


def _foreign(vendor: str, looks: Callable[[RawTable], bool]) -> Format:
    def detect(raw: RawFile) -> bool:
        return any(looks(t) and not any(fold(h) in _ENGLISH for h in t.header) for t in raw.tables)

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


_foreign("youtube", _youtube_table)
_foreign("tiktok", _tiktok_table)
