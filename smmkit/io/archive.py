"""A whole download as a ``.zip`` in ``exports/``: its members read as if unpacked, in memory.

YouTube Studio, TikTok Studio and Meta hand out a zip of CSV files; users drop it into
``exports/`` as it came. :func:`members` gives each member's bytes under a path that names the
archive and the member (``exports/download.zip!Table data.csv``), never writing to disk.

Refused by name (an error for that member, the others still read): a member whose name holds
``..`` or is absolute (it would land outside the folder if unpacked), a link, an encrypted member,
a zip inside the zip, and a member larger than :data:`MAX_MEMBER` bytes, or than
:data:`MAX_RATIO` times its compressed size past :data:`RATIO_FROM` bytes (a zip bomb), or past
:data:`MAX_TOTAL` bytes for the whole archive. Folders and hidden members (``__MACOSX/``,
``.DS_Store``) are skipped, as hidden files in ``exports/`` are.
"""

from __future__ import annotations

import datetime as dt
import io
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = [
    "MAX_MEMBER",
    "MAX_RATIO",
    "MAX_TOTAL",
    "Member",
    "SEPARATOR",
    "check_sizes",
    "is_archive",
    "members",
]

#: Between the archive's path and a member's name in the member's path.
SEPARATOR = "!"
#: The largest member read (uncompressed bytes): a CSV export of a few million rows fits.
MAX_MEMBER = 1 << 30
#: The most the members of one archive may hold together (uncompressed bytes).
MAX_TOTAL = 2 << 30
#: The highest compression ratio allowed for a member past :data:`RATIO_FROM` bytes: real exports
#: compress some tens of times, a zip bomb about a thousand.
MAX_RATIO = 500
RATIO_FROM = 16 << 20
#: The most members one archive may list.
MAX_MEMBERS = 10_000

_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_OOXML = "[Content_Types].xml"  # an .xlsx workbook is a zip holding this member


@dataclass(frozen=True)
class Member:
    """One member of an archive: its path (``<archive>!<name>``) and its bytes, or why it is
    refused (``data`` None)."""

    path: Path
    data: bytes | None
    error: str | None = None
    #: The day the member was last written, as the archive records it (None: not recorded).
    modified: dt.date | None = None


def _is_zip(data: bytes | memoryview) -> bool:
    return bytes(data[:4]) in (_ZIP, _EMPTY_ZIP)


def is_archive(data: bytes | memoryview, *, name: str = "") -> bool:
    """Whether ``data`` is a zip archive of files, not an ``.xlsx`` workbook (also a zip); a damaged
    zip is an archive when its file ``name`` ends in ``.zip`` (a workbook's reader says why else)."""
    if not _is_zip(data):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
            return _OOXML not in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return name.lower().endswith(".zip")


def _skipped(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return (
        name.endswith(("/", "\\"))
        or any(p.startswith(".") and p not in (".", "..") for p in parts)
        or (bool(parts) and parts[0] == "__MACOSX")
    )


def _unsafe(info: zipfile.ZipInfo) -> str | None:
    """Why a member is refused before it is read, or None."""
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":") or ".." in PurePosixPath(name).parts:
        return "its name leads outside the folder it would be unpacked in: refused"
    if info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
        return "a symbolic link, not a file: refused"
    if info.flag_bits & 0x1:
        return "an encrypted member: unpack the archive with its password and put the files in exports/"
    return check_sizes(info.file_size, info.compress_size)


def check_sizes(size: int, compressed: int) -> str | None:
    """Why a zip member of ``size`` bytes (``compressed`` in the archive) is too large to read,
    or None (also used for the members of an ``.xlsx`` workbook)."""
    if size > MAX_MEMBER:
        return f"{size:,} bytes uncompressed, more than the {MAX_MEMBER:,} read from one member: refused"
    if size > RATIO_FROM and size > MAX_RATIO * max(compressed, 1):
        return (
            f"{size:,} bytes from {compressed:,} compressed, a ratio beyond {MAX_RATIO}: "
            "a zip bomb, not an export; refused"
        )
    return None


def workbook_problem(data: bytes) -> str | None:
    """Why the zip ``data`` read as an ``.xlsx`` workbook cannot be one, or None: a zip archive of
    files (not a workbook), or a member too large to inflate (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # damaged: openpyxl says how
    if _OOXML not in {i.filename for i in infos}:
        return (
            "a .zip archive, not an .xlsx workbook: put the .zip in exports/ as it is (each file "
            "in it is read) or unpack it there"
        )
    total = 0
    for info in infos:
        why = check_sizes(info.file_size, info.compress_size)
        total += info.file_size
        if why is None and total > MAX_TOTAL:
            why = f"the workbook's parts hold more than {MAX_TOTAL:,} bytes together: refused"
        if why is not None:
            return f"part {info.filename!r} of the workbook: {why}"
    return None


def members(path: Path, data: bytes | memoryview) -> list[Member]:
    """Each file of the archive at ``path`` (bytes ``data``), in the archive's order.

    Raises
    ------
    ValueError
        When the archive itself cannot be read (damaged, or more than :data:`MAX_MEMBERS` members);
        the message says why.
    """
    out: list[Member] = []
    total = 0
    try:
        zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"unreadable .zip archive: {exc}") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ValueError(f"a .zip archive of {len(infos):,} members, more than {MAX_MEMBERS:,}: refused")
        for info in infos:
            if _skipped(info.filename):
                continue
            where = Path(f"{path}{SEPARATOR}{info.filename}")
            why = _unsafe(info)
            if why is None and total + info.file_size > MAX_TOTAL:
                why = f"the archive's members hold more than {MAX_TOTAL:,} bytes together: refused"
            if why is None:
                body, why = _read(zf, info)
                if body is not None:
                    total += len(body)
                    out.append(Member(where, body, modified=_modified(info)))
                    continue
            out.append(Member(where, None, why))
    return out


def _modified(info: zipfile.ZipInfo) -> dt.date | None:
    """The member's day (zip's DOS time; 1980-01-01, the earliest it holds, means none)."""
    try:
        day = dt.date(*info.date_time[:3])
    except ValueError:
        return None
    return None if day <= dt.date(1980, 1, 1) else day


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[bytes | None, str | None]:
    """A member's bytes (at most its declared size, which zipfile enforces), or why not."""
    try:
        with zf.open(info) as f:
            body = f.read(MAX_MEMBER + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        return None, f"unreadable member of the .zip archive: {exc}"
    if len(body) > MAX_MEMBER:
        return None, check_sizes(len(body), info.compress_size)
    if _is_zip(body) and is_archive(body):
        return None, "a .zip inside the .zip: unpack it and put its files in exports/"
    return body, None
