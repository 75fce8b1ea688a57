"""Files the kit writes and paths it follows: nothing half-written, nothing through a link, nothing
read from outside the folder it belongs to.

The floor every layer may use (the cache in ``io``, the run's pages and manifest in ``batch``,
configured paths in ``config``):

- :func:`replace_file` and :func:`write_atomic` write a temporary file of their own (created
  exclusively, never through a symbolic link), then rename it over the target; when the write fails
  (a full disk, a killed serialiser) the temporary file is removed and the target is untouched.
- :func:`contained` resolves a configured path (links included) and says whether it stays inside
  its folder; :func:`image_kind` tells an image from any other file by its first bytes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["TMP_SUFFIX", "contained", "image_kind", "replace_file", "write_atomic"]

#: The suffix of every temporary file the kit writes (``.<name>.<pid>.tmp`` beside the target).
TMP_SUFFIX = ".tmp"

_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def replace_file(target: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write ``target`` atomically: ``write(fh)`` fills a new temporary file beside it, which then
    replaces ``target`` by a rename.

    The temporary file is created exclusively and without following a link (an existing file or
    link of that name is an error, never written through); it is removed when ``write`` or the
    rename fails, and the error is raised again. A rename replaces a link at ``target`` itself,
    not the file it points to.
    """
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}{TMP_SUFFIX}")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()  # a leftover of a killed run of an earlier process with this pid (a link too)
    fd = os.open(tmp, _CREATE, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write ``data`` (text as UTF-8) to ``path`` atomically (:func:`replace_file`)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    replace_file(Path(path), lambda fh: fh.write(raw))


def contained(path: Path, root: Path) -> Path | None:
    """``path`` with every link resolved, or None when that target leaves ``root`` (also resolved)."""
    try:
        real = Path(path).resolve(strict=True)
        home = Path(root).resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a dangling link or a loop of links
        return None
    return real if real.is_relative_to(home) else None


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def image_kind(path: Path) -> str | None:
    """``"png"``, ``"jpeg"``, ``"gif"``, ``"webp"`` or ``"svg"`` by the file's first bytes, else None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in text:
        return "svg"
    return None
