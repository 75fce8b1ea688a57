"""The analyst's notes: ``notes/<YYYY-MM>.md`` in a client folder (issue #12).

An optional Markdown file per month (the month of the report period's end),
written by the analyst and shown at the top of the overview under the name of
``client.yaml: analyst``. The file is untrusted input like any export: it is
parsed by :func:`markdown` (CommonMark, raw HTML disabled, so ``<script>`` is
shown as text; links and images only with ``http``/``https`` URLs, anything
else stays plain text) and rendered by :mod:`smmkit.report.notes`.
:func:`check_notes` is what ``smmkit validate`` reports about the folder.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from markdown_it import MarkdownIt

from smmkit.errors import InputError
from smmkit.fsutil import contained
from smmkit.io.client import Issue
from smmkit.io.languages import month_number

__all__ = [
    "NOTES_DIR",
    "NOTES_LIMIT",
    "SAFE_URL",
    "check_notes",
    "markdown",
    "noted_days",
    "notes_path",
    "period_noted_days",
    "read_notes",
]

NOTES_DIR = "notes"
#: The only URLs a note may link to.
SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)
_NAME = re.compile(r"^(\d{4})-(\d{2})\.md$")
#: The largest notes file read (a month's notes are a few KiB; Markdown parsing is not free).
NOTES_LIMIT = 256 * 1024
_TOO_BIG = f"notes file larger than {NOTES_LIMIT // 1024} KiB, the limit for notes/YYYY-MM.md"


def _read_bounded(path: Path) -> bytes | None:
    """The file's bytes, or None when it holds more than :data:`NOTES_LIMIT` bytes."""
    with open(path, "rb") as f:
        data = f.read(NOTES_LIMIT + 1)
    return None if len(data) > NOTES_LIMIT else data


def markdown() -> MarkdownIt:
    """The notes' Markdown parser: CommonMark with raw HTML off and only http(s) links."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.validateLink = lambda url: bool(SAFE_URL.match(url.strip()))  # type: ignore[method-assign]
    return md


def notes_path(client_dir: str | Path, end: dt.date) -> Path:
    """``<client_dir>/notes/<YYYY-MM>.md`` for the month of ``end``."""
    return Path(client_dir) / NOTES_DIR / f"{end:%Y-%m}.md"


def read_notes(client_dir: str | Path | None, end: dt.date) -> str | None:
    """The month's notes as text, or None when there is no such file (or no client folder).

    Raises
    ------
    InputError
        When the file holds more than :data:`NOTES_LIMIT` bytes or cannot be read.
    """
    if client_dir is None:
        return None
    path = contained(notes_path(client_dir, end), client_dir)  # never a file outside the client
    if path is None or not path.is_file():
        return None
    try:
        data = _read_bounded(path)
    except OSError as exc:
        raise InputError(f"cannot read the notes: {exc.strerror or exc}", path=path) from None
    if data is None:
        raise InputError(_TOO_BIG, path=path)
    return data.decode("utf-8", errors="replace")


# --------------------------------------------------------------------------- the days a note speaks of
# A day, or a range of days ("6-7", "6–7"), with an optional English ordinal ("11th").
_DAYS = r"\d{1,2}(?:st|nd|rd|th)?(?:\s*[-–—]\s*\d{1,2}(?:st|nd|rd|th)?)?"
#: Days written before a month name: "11 October", "6–7 октября", "12, 24 и 25 октября", "11th of October".
_BEFORE = re.compile(
    rf"(?<![\d.])((?:{_DAYS})(?:\s*(?:,|and|&|и)\s*(?:{_DAYS}))*)\s*(?:of\s+)?$", re.IGNORECASE
)
#: Days written after a month name: "Oct 11", "October 6-7", "Oct 12, 24 and 25".
_AFTER = re.compile(rf"^\.?\s*((?:{_DAYS})(?:\s*(?:,|and|&|и)\s*(?:{_DAYS}))*)(?![\d:])", re.IGNORECASE)
_ISO_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_WORD = re.compile(r"[^\W\d_]+\.?")


def _day_numbers(text: str) -> list[int]:
    """The days of a written list of days and ranges: ``"6–7, 12 и 25"`` -> ``[6, 7, 12, 25]``."""
    out: list[int] = []
    for m in re.finditer(r"(\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–—]\s*(\d{1,2}))?", text):
        first = int(m.group(1))
        last = int(m.group(2)) if m.group(2) else first
        out += range(first, max(first, last) + 1) if last - first <= 31 else [first]
    return out


def _dated(year: int, month: int, day: int, file_month: dt.date) -> dt.date | None:
    """The day in the year nearest the notes' own month (December in January's notes: the year before)."""
    if month - file_month.month > 6:
        year -= 1
    elif file_month.month - month > 6:
        year += 1
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def noted_days(text: str, month: dt.date) -> set[dt.date]:
    """The days a month's notes name: ``"Oct 11"``, ``"6–7 октября"``, ``"12, 24 и 25 октября"``, ``2026-10-11``.

    ``month`` is any day of the notes' month (``notes/2026-10.md``): it gives the year of a day
    written without one. Month names are read in the report languages (English and Russian, wide
    and abbreviated: :func:`smmkit.io.languages.month_number`); a number next to no month name is
    not a day. The findings (:mod:`smmkit.kpi.findings`) use it so that a sentence about a day the
    analyst explains says so instead of contradicting the note.
    """
    found: set[dt.date] = set()
    for m in _ISO_DAY.finditer(text):
        day = _dated(int(m.group(1)), int(m.group(2)), int(m.group(3)), month)
        if day is not None and day.year == int(m.group(1)):
            found.add(day)
    for word in _WORD.finditer(text):
        number = month_number(word.group(), ("en", "ru"))
        if number is None:
            continue
        for side in (
            _BEFORE.search(text[max(0, word.start() - 80) : word.start()]),
            _AFTER.match(text[word.end() :]),
        ):
            if side is None:
                continue
            for d in _day_numbers(side.group(1)):
                day = _dated(month.year, number, d, month)
                if day is not None:
                    found.add(day)
    return found


def period_noted_days(client_dir: str | Path | None, first: dt.date, last: dt.date) -> frozenset[dt.date]:
    """The days from ``first`` to ``last`` that the notes of their months name (:func:`noted_days`).

    A notes file that cannot be read counts as none here (``smmkit validate`` and the overview's
    notes block report it); nothing is raised.
    """
    out: set[dt.date] = set()
    month = first.replace(day=1)
    while month <= last:
        try:
            text = read_notes(client_dir, month)
        except (InputError, OSError):
            text = None
        if text:
            out |= {d for d in noted_days(text, month) if first <= d <= last}
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return frozenset(out)


def _line_of(text: str, needle: str) -> int | None:
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return i
    return None


def _markup_issues(path: Path, text: str) -> list[Issue]:
    """The raw HTML and the non-http(s) links of a notes file, each a warning at its line."""
    out: list[Issue] = []
    raw = MarkdownIt("commonmark", {"html": True})
    raw.validateLink = lambda url: True  # type: ignore[method-assign]  (see every link, to report it)
    for token in raw.parse(text):
        children = token.children or []
        for t in [token, *children]:
            if t.type in ("html_block", "html_inline"):
                line = (token.map[0] + 1) if token.map else _line_of(text, t.content.strip()[:20])
                out.append(
                    Issue(
                        "warning",
                        f"raw HTML is shown as text, not run: {t.content.strip()[:60]!r}",
                        str(path),
                        line,
                    )
                )
            if t.type in ("link_open", "image"):
                url = str(t.attrGet("href") or t.attrGet("src") or "")
                if not SAFE_URL.match(url.strip()):
                    line = (token.map[0] + 1) if token.map else None
                    out.append(
                        Issue(
                            "warning",
                            f"link {url[:60]!r} is shown as text: only http(s) links",
                            str(path),
                            line,
                        )
                    )
    return out


def check_notes(client_dir: str | Path, *, analyst: str | None = None) -> list[Issue]:
    """What ``smmkit validate`` says about ``notes/``: misnamed files, bad encoding, raw HTML, unsafe links."""
    folder = Path(client_dir) / NOTES_DIR
    if not folder.is_dir():
        return []
    out: list[Issue] = []
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for path in files:
        m = _NAME.match(path.name)
        if not m or not 1 <= int(m.group(2)) <= 12:
            out.append(
                Issue("warning", "not a month's notes file (expected notes/YYYY-MM.md): ignored", str(path))
            )
            continue
        if contained(path, client_dir) is None:
            out.append(Issue("warning", "a link that leads outside the client folder: not read", str(path)))
            continue
        try:
            data = _read_bounded(path)
        except OSError as exc:
            out.append(Issue("error", f"cannot read the notes: {exc.strerror or exc}", str(path)))
            continue
        if data is None:
            out.append(Issue("error", _TOO_BIG, str(path)))
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.append(
                Issue("error", f"notes must be UTF-8 text ({exc.reason} at byte {exc.start})", str(path), 1)
            )
            continue
        out += _markup_issues(path, text)
        if analyst is None:
            out.append(
                Issue("warning", "notes without `analyst` in client.yaml are shown unsigned", str(path))
            )
    return out
