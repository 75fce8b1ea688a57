"""One load API for notebooks and the CLI: :func:`load_client`.

``load_client(path)`` reads ``client.yaml``, recognises every export under
``exports/`` by its content, loads each into the canonical tables of
:mod:`smmkit.schema`, concatenates each table across files (the later export
wins where two exports overlap on the same post or day) and returns a
:class:`Client`. Raw files are only ever opened for reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .config import ClientConfig

__all__ = ["Client", "FileInfo", "Issue", "load_client"]


@dataclass
class Issue:
    """A warning or an error found while loading, located like an InputError."""

    level: str  # "warning" | "error"
    message: str
    path: str | None = None
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [p for p in (self.path, self.line, self.column) if p is not None]
        prefix = ":".join(str(p) for p in parts)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass
class FileInfo:
    """What the loader found in one export file."""

    path: Path
    format: str | None  # a format name, None when unrecognised or unreadable
    networks: tuple[str, ...] = ()
    rows: dict[str, int] = field(default_factory=dict)  # canonical table -> rows
    first_day: pd.Timestamp | None = None
    last_day: pd.Timestamp | None = None
    error: str | None = None


@dataclass
class Client:
    """A loaded client: its configuration and the six canonical tables."""

    config: ClientConfig
    posts: pd.DataFrame
    audience: pd.DataFrame
    ads: pd.DataFrame
    inbox: pd.DataFrame
    mentions: pd.DataFrame
    web: pd.DataFrame
    files: list[FileInfo] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.config.slug

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def timezone(self) -> str:
        return self.config.timezone

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)


def load_client(path: str | Path, *, strict: bool = True) -> Client:
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
    """
    from .loading import load_client as _load

    return _load(path, strict=strict)
