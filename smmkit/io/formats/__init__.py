"""Export formats, recognised by content. Importing this package registers them all."""

from __future__ import annotations

from smmkit.io.formats import ads, canonical, social, web  # noqa: F401  (registration side effects)
from smmkit.io.formats.base import FORMATS, Format, LoadContext

__all__ = ["FORMATS", "Format", "LoadContext", "by_name", "detect"]


def detect(raw) -> Format | None:
    """The format of a read export, or None.

    Formats are tried in registration order: the kit's canonical files first (their
    exact header names cannot be mistaken for a native export), then the native ones.
    """
    for fmt in FORMATS:
        if fmt.detect(raw):
            return fmt
    return None


def by_name(name: str) -> Format:
    """The registered format called ``name``."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)
