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
from smmkit.errors import bounded, bounded_column

__all__ = ["Client", "FileInfo", "FileList", "Issue", "IssueLevels"]


@dataclass
class Issue:
    """A warning or an error found while loading, located like an InputError."""

    level: str  # "warning" | "error" | "note" (what validate says without calling it a problem)
    message: str
    path: str | None = None
    line: int | None = None
    column: str | None = None

    def __post_init__(self) -> None:  # as bounded as an InputError's (a 2 MB cell, a header)
        self.message = bounded(str(self.message))
        self.column = bounded_column(self.column)

    def __str__(self) -> str:
        parts = [p for p in (self.path, self.line, self.column) if p is not None]
        prefix = ":".join(str(p) for p in parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class IssueLevels:
    """``errors`` and ``warnings`` of a class that holds ``issues`` (a list of :class:`Issue`):
    :class:`Client` and :class:`smmkit.io.validate.ValidationReport`."""

    issues: list[Issue]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.level == "warning"]


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
    #: Set aside although it held costs (an ad export in another currency): cost KPIs are unknown.
    costs_unknown: bool = False
    #: Why a known file was set aside and how to fix it (reports show it on the overview).
    set_aside: str | None = None


class FileList(list):
    """``Client.files``: a list of :class:`FileInfo` that shows as a table (a notebook) or aligned text.

    :meth:`to_frame` gives one row per file: its path under ``exports/``, the format
    found, the networks, the rows per canonical table, the days covered and the error.
    """

    def to_frame(self) -> pd.DataFrame:
        """One row per file (columns ``file``, ``format``, ``networks``, ``rows``, ``first_day``, ``last_day``, ``error``)."""
        return pd.DataFrame(
            [
                {
                    "file": _under_exports(f.path),
                    "format": f.format,
                    "networks": ", ".join(f.networks),
                    "rows": ", ".join(f"{table} {n:,}" for table, n in f.rows.items()),
                    "first_day": None if f.first_day is None else f.first_day.date(),
                    "last_day": None if f.last_day is None else f.last_day.date(),
                    "error": f.error,
                }
                for f in self
            ],
            columns=["file", "format", "networks", "rows", "first_day", "last_day", "error"],
        )

    def _shown(self) -> pd.DataFrame:
        frame = self.to_frame().astype(object).where(lambda f: f.notna(), "")
        return frame if frame["error"].astype(bool).any() else frame.drop(columns="error")

    def __repr__(self) -> str:
        if not self:
            return "FileList([])"
        frame = self._shown()
        rows = [list(frame.columns), *(list(map(str, r)) for r in frame.itertuples(index=False))]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows)

    def _repr_html_(self) -> str:
        return self._shown().to_html(index=False, escape=True, classes="smmkit-files")


def _under_exports(path: Path) -> str:
    parts = Path(path).parts
    if "exports" in parts:
        return Path(*parts[len(parts) - parts[::-1].index("exports") :]).as_posix()
    return Path(path).name


@dataclass
class Client(IssueLevels):
    """A loaded client: its configuration and the six canonical tables."""

    config: ClientConfig
    posts: pd.DataFrame
    audience: pd.DataFrame
    ads: pd.DataFrame
    inbox: pd.DataFrame
    mentions: pd.DataFrame
    web: pd.DataFrame
    files: list[FileInfo] = field(default_factory=FileList)
    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.files, FileList):
            self.files = FileList(self.files)

    @property
    def slug(self) -> str:
        return self.config.slug

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def timezone(self) -> str:
        return self.config.timezone

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)
