"""The exception hierarchy: locations, messages, pickling (the runner crosses processes)."""

from __future__ import annotations

import pickle

import pytest

from smmkit.errors import ConfigError, FormatError, InputError, NotebookError, SmmkitError, UsageError


@pytest.mark.parametrize("cls", [InputError, ConfigError, FormatError])
def test_input_errors_pickle_with_their_location(cls):
    err = cls("expected a number, got 'abc'", path="exports/posts.csv", line=7, column="likes")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is cls
    assert (back.message, back.path, back.line, back.column) == (
        "expected a number, got 'abc'",
        "exports/posts.csv",
        7,
        "likes",
    )
    assert str(back) == str(err) == "exports/posts.csv:7:likes: expected a number, got 'abc'"


@pytest.mark.parametrize("cls", [SmmkitError, UsageError])
def test_plain_errors_pickle(cls):
    back = pickle.loads(pickle.dumps(cls("--jobs must be at least 1; got 0")))
    assert type(back) is cls and str(back) == "--jobs must be at least 1; got 0"


def test_notebook_error_pickles():
    err = NotebookError("cell failed: ZeroDivisionError", notebook="overview.ipynb", cell=4)
    back = pickle.loads(pickle.dumps(err))
    assert (type(back), back.message, back.notebook, back.cell) == (
        NotebookError,
        err.message,
        "overview.ipynb",
        4,
    )


def test_hierarchy():
    assert issubclass(ConfigError, InputError) and issubclass(FormatError, InputError)
    assert issubclass(InputError, SmmkitError) and issubclass(UsageError, SmmkitError)
    assert issubclass(NotebookError, SmmkitError) and not issubclass(UsageError, InputError)


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ({"path": "a.csv", "line": 3, "column": "likes"}, "a.csv:3:likes: bad"),
        ({"path": "a.csv", "line": 3}, "a.csv:3: bad"),
        ({"path": "a.csv"}, "a.csv: bad"),
        ({"path": "a.csv", "column": "likes"}, "a.csv:likes: bad"),
        ({}, "bad"),
    ],
)
def test_location_message_leaves_out_unknown_parts(where, text):
    assert InputError("bad", **where).location_message() == text


def test_with_location_fills_only_missing_parts():
    err = FormatError("bad", line=3, column="likes")
    located = err.with_location(path="p.csv", line=99)
    assert type(located) is FormatError
    assert (located.path, located.line, located.column) == ("p.csv", 3, "likes")
    assert (err.path, err.line) == (None, 3)  # the original is unchanged


def test_path_objects_become_strings(tmp_path):
    err = InputError("bad", path=tmp_path / "x.csv", line=1)
    assert err.path == str(tmp_path / "x.csv")
    assert pickle.loads(pickle.dumps(err)).path == err.path
