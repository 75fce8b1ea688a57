"""What :func:`smmkit.io.loading.load_client` returns: :class:`Client`, :class:`FileInfo`, :class:`Issue`.

``load_client(path)`` reads ``client.yaml``, recognises every export under
``exports/`` by its content, loads each into the canonical tables of
:mod:`smmkit.io.schema`, concatenates each table across files (the later export
wins where two exports overlap on the same post or day) and returns a
:class:`Client`. Raw files are only ever opened for reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from smmkit.config import ClientConfig

__all__ = ["Client", "FileInfo", "Issue"]


@dataclass
class Issue:
    """A warning or an error found while loading, located like an InputError."""

    level: str  # "warning" | "error" | "note" (what validate says without calling it a problem)
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
    unused: str | None = None  # recognised, not used: why the file adds no KPI
    ignored: tuple[str, ...] = ()  # columns of a used format that the kit does not read


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
