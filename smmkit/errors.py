"""The kit's exception hierarchy.

Every error smmkit raises on purpose derives from :class:`SmmkitError`.
Problems with what the user gave the kit (an export file, ``client.yaml``,
a command-line option) are :class:`InputError` and carry the place of the
problem, so that the CLI can print ``PATH:LINE:COLUMN: message`` and no
traceback. All exceptions pickle, because the batch runner moves them
between processes.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = [
    "LINE_LIMIT",
    "MESSAGE_LIMIT",
    "bounded",
    "bounded_column",
    "one_line",
    "SmmkitError",
    "InputError",
    "ConfigError",
    "FormatError",
    "UsageError",
    "NotebookError",
    "InputWarning",
]


#: The most characters of one value (a cell, a quoted string, a token without spaces) an
#: error message quotes: a longer one keeps its first and last characters around an
#: ellipsis, followed by its length (``'AAAA…AAAA' [2,000,002 characters]``).
VALUE_LIMIT = 200
#: The longest error message (in characters) the kit shows, stores or copies into
#: ``manifest.json``/``index.html``, whatever it quotes.
MESSAGE_LIMIT = 1000
#: A whole line printed for an error: its location (path, line, column) and its bounded message.
LINE_LIMIT = 2 * MESSAGE_LIMIT
_HEAD, _TAIL = 700, 250
#: The longest header name (``COLUMN`` of ``PATH:LINE:COLUMN``) an error quotes.
COLUMN_LIMIT = 100
# Characters that would break a message over lines (or hide part of it) on a terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with every line break and other control character written as an escape
    (``\\n``, ``\\x1b``), so that a message is always exactly one line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


# A quoted value (repr's quotes) or a run without spaces longer than VALUE_LIMIT, found in
# linear time: a quote scans to the next quote only, a run is tried from its start only
# (an opening quote follows no letter: the closing quote of a short value opens nothing).
_LONG_VALUE = re.compile(
    rf"(?<!\w)(?:'[^']{{{VALUE_LIMIT - 1},}}'|\"[^\"]{{{VALUE_LIMIT - 1},}}\")|(?<!\S)\S{{{VALUE_LIMIT + 1},}}"
)


def _cut_value(match: re.Match[str]) -> str:
    value = match.group()
    return f"{value[: VALUE_LIMIT * 3 // 4]}…{value[-VALUE_LIMIT // 8 :]} [{len(value):,} characters]"


def bounded(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """``text`` on one line (:func:`one_line`), each value it quotes at most about
    :data:`VALUE_LIMIT` characters, the whole at most about ``limit``.

    A longer value keeps its beginning and its end around an ellipsis, followed by its
    length, e.g. ``"expected a number, got 'AAAA…AAAA' [2,000,002 characters]"``; a
    message still too long keeps its beginning and end likewise. Idempotent: a bounded
    text is returned unchanged.
    """
    text = one_line(text)
    if len(text) > VALUE_LIMIT:
        text = _LONG_VALUE.sub(_cut_value, text)
    if len(text) <= limit:
        return text
    head, tail = limit * _HEAD // MESSAGE_LIMIT, limit * _TAIL // MESSAGE_LIMIT
    return f"{text[:head]}…{text[-tail:]} [message shortened from {len(text):,} characters]"


def bounded_column(column: str | None) -> str | None:
    """A header name as an error quotes it: one line, at most :data:`COLUMN_LIMIT` characters."""
    if column is None:
        return None
    column = one_line(str(column))
    if len(column) <= COLUMN_LIMIT:
        return column
    return f"{column[: COLUMN_LIMIT - 45]}…{column[-10:]} ({len(column):,} characters)"


class SmmkitError(Exception):
    """Base class of every error the kit raises on purpose.

    Its text is :func:`bounded`: one line of at most about :data:`MESSAGE_LIMIT`
    characters, whatever value it quotes.
    """

    def __init__(self, *args: object) -> None:
        super().__init__(*(bounded(a) if isinstance(a, str) else a for a in args))


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
        self.message = bounded(str(message))
        self.path = None if path is None else str(path)
        self.line = line
        self.column = bounded_column(column)
        Exception.__init__(self, self.location_message())

    def __reduce__(self):
        return (_rebuild, (type(self), self.message, self.path, self.line, self.column))

    def location_message(self) -> str:
        """``PATH:LINE:COLUMN: message``, leaving out the parts not known; always one line."""
        path = None if self.path is None else one_line(self.path)
        parts = [p for p in (path, self.line, self.column) if p is not None]
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
        self.message = bounded(str(message))
        self.notebook = notebook
        self.cell = cell
        super().__init__(self.message)

    def __reduce__(self):
        return (_rebuild_notebook, (type(self), self.message, self.notebook, self.cell))


def _rebuild_notebook(cls, message, notebook, cell):
    return cls(message, notebook=notebook, cell=cell)


class InputWarning(UserWarning):
    """Something in the user's input the kit skips, and says so (e.g. a broken link among
    the client folders); the CLI prints it as one ``smmkit COMMAND: warning: ...`` line."""
