"""The kit's exception hierarchy.

Every error smmkit raises on purpose derives from :class:`SmmkitError`.
Problems with what the user gave the kit (an export file, ``client.yaml``,
a command-line option) are :class:`InputError` and carry the place of the
problem, so that the CLI can print ``PATH:LINE:COLUMN: message`` and no
traceback. All exceptions pickle, because the batch runner moves them
between processes.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "SmmkitError",
    "InputError",
    "ConfigError",
    "FormatError",
    "UsageError",
    "NotebookError",
]


class SmmkitError(Exception):
    """Base class of every error the kit raises on purpose."""


class InputError(SmmkitError):
    """A problem in a user's input file, located as precisely as known.

    Parameters
    ----------
    message
        What is wrong and what was expected, e.g.
        ``"expected a number, got 'abc'"``.
    path
        The file (``None`` when the input is not a file).
    line
        1-based line number in the file (for spreadsheets: the row number).
    column
        The header name of the offending column, as written in the file.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        super().__init__(self.location_message())

    def __reduce__(self):
        return (_rebuild, (type(self), self.message, self.path, self.line, self.column))

    def location_message(self) -> str:
        """``PATH:LINE:COLUMN: message``, leaving out the parts not known."""
        parts = [p for p in (self.path, self.line, self.column) if p is not None]
        prefix = ":".join(str(p) for p in parts)
        return f"{prefix}: {self.message}" if prefix else self.message

    def with_location(self, **where) -> InputError:
        """A copy with ``path``/``line``/``column`` filled where missing."""
        fields = {"path": self.path, "line": self.line, "column": self.column}
        for key, value in where.items():
            if fields.get(key) is None:
                fields[key] = value
        return type(self)(self.message, **fields)


def _rebuild(cls, message, path, line, column):
    return cls(message, path=path, line=line, column=column)


class ConfigError(InputError):
    """``client.yaml`` (or ``smmkit.yaml``) is missing, malformed or invalid."""


class FormatError(InputError):
    """A file matches no known export format, or misses a required column."""


class UsageError(SmmkitError):
    """The command line or an API call was used wrongly (exit code 2)."""


class NotebookError(SmmkitError):
    """A report notebook failed; carries the notebook and the failing cell."""

    def __init__(self, message: str, *, notebook: str | None = None, cell: int | None = None) -> None:
        self.message = message
        self.notebook = notebook
        self.cell = cell
        super().__init__(message)

    def __reduce__(self):
        return (_rebuild_notebook, (type(self), self.message, self.notebook, self.cell))


def _rebuild_notebook(cls, message, notebook, cell):
    return cls(message, notebook=notebook, cell=cell)
