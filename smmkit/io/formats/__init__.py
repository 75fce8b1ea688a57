"""Export formats, recognised by content, one module per vendor (ads: every ad platform;
canonical: the kit's own files). Importing this package registers them all.

The import order is the order formats are tried in: a catch-all for what another format of its
vendor leaves (``meta_page_series_other``, ``ga4_other``) comes after it, and Google's last
(``ga4_other`` also matches the canonical web table)."""

from __future__ import annotations

# The order formats are tried in: not sorted.
# isort: off
from smmkit.io.formats import ads, canonical  # noqa: F401  (registration side effects)
from smmkit.io.formats import x, meta, linkedin, youtube, tiktok, vk  # noqa: F401
from smmkit.io.formats import google  # noqa: F401
from smmkit.io.formats import foreign  # noqa: F401  (by shape, when no names are known: last)

# isort: on
from smmkit.io.formats.base import FORMATS, Format, LoadContext, NotUsed

__all__ = ["FORMATS", "Format", "LoadContext", "NotUsed", "by_name", "detect"]


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
