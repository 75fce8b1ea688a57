"""Shared fixtures: paths of the hand-written exports, generated .xlsx files, client folders."""

from __future__ import annotations

import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
EXPORTS = FIXTURES / "exports"
CLIENTS = FIXTURES / "clients"


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every matplotlib figure after each test (without importing matplotlib for the others)."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        import matplotlib.pyplot as plt

        plt.close("all")


@pytest.fixture(scope="session")
def exports_dir() -> Path:
    """The folder of small hand-written export files."""
    return EXPORTS


@pytest.fixture(scope="session")
def xlsx_files(tmp_path_factory) -> dict[str, Path]:
    """The LinkedIn .xlsx fixtures of ``tests/fixtures/make_xlsx.py``, written once per session."""
    sys.path.insert(0, str(FIXTURES))
    try:
        import make_xlsx
    finally:
        sys.path.remove(str(FIXTURES))
    return make_xlsx.make_all(tmp_path_factory.mktemp("xlsx"))


@pytest.fixture
def fixture_client(tmp_path) -> Callable[[str], Path]:
    """Copy a client folder of ``tests/fixtures/clients/`` into ``tmp_path``; return its path."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(CLIENTS / name, dest)
        return dest

    return copy


@pytest.fixture
def make_client(tmp_path) -> Callable[..., Path]:
    """Write a client folder: ``make_client({"posts.csv": "..."}, yaml="name: X", slug="acme")``.

    Keys are paths under ``exports/``; values are text (written as UTF-8) or bytes.
    """

    def make(
        files: dict[str, str | bytes] | None = None, *, yaml: str = "name: Acme\n", slug: str = "acme"
    ) -> Path:
        root = tmp_path / slug
        (root / "exports").mkdir(parents=True, exist_ok=True)
        (root / "client.yaml").write_text(textwrap.dedent(yaml), encoding="utf-8")
        for rel, content in (files or {}).items():
            path = root / "exports" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make
