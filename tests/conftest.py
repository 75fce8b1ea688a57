"""Shared fixtures: paths of the hand-written exports, generated .xlsx files, client folders."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

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
    """The LinkedIn .xlsx fixtures of ``tests/support/make_xlsx.py``, written once per session."""
    from support import make_xlsx

    return make_xlsx.make_all(tmp_path_factory.mktemp("xlsx"))


@pytest.fixture
def fixture_client(tmp_path) -> Callable[[str], Path]:
    """Copy a client folder of ``tests/fixtures/clients/`` into ``tmp_path``; return its path."""

    def copy(name: str) -> Path:
        dest = tmp_path / name
        shutil.copytree(CLIENTS / name, dest, ignore=shutil.ignore_patterns(".smmkit-cache"))
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


# -- browser and rendered demo reports (shared by test_browser.py and test_look.py) ----------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def skip_unless_ci(reason: str) -> NoReturn:
    """Skip the test for a missing tool or input; under ``CI=true`` fail instead, so nothing is silently
    not tested in CI."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser and look tests must run in CI)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium (never a downloaded one) driven by playwright; skipped when either is
    missing, failed instead under ``CI=true``."""
    if not CHROMIUM.exists():
        skip_unless_ci(f"{CHROMIUM} is missing: install Debian's chromium")
    try:
        from playwright import sync_api
    except ImportError as exc:
        skip_unless_ci(f"playwright is not importable ({exc}): pip install -r requirements-dev.txt")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def demo_reports(tmp_path_factory) -> Path:
    """Every demo client's report for the 28 days ending 2026-10-31 (as ``make reports``), rendered
    once per session with the real notebooks and the demo agency (``data/clients/smmkit.yaml``);
    returns the period folder. Skipped while the notebooks or the demo clients do not exist (failed
    under ``CI=true``)."""
    import datetime as dt
    import io

    from smmkit.batch.discover import discover_clients, discover_notebooks
    from smmkit.batch.runner import run_reports
    from smmkit.config import CLIENTS_DIR, NOTEBOOKS_DIR
    from smmkit.errors import UsageError
    from smmkit.kpi.periods import Period

    try:
        discover_notebooks(NOTEBOOKS_DIR)
        discover_clients(CLIENTS_DIR)
    except UsageError as exc:
        skip_unless_ci(str(exc))
    result = run_reports(
        clients_dir=CLIENTS_DIR,
        period=Period(dt.date(2026, 10, 4), dt.date(2026, 10, 31)),
        out=tmp_path_factory.mktemp("demo-reports"),
        jobs=2,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert result.exit_code == 0, [c.error for c in result.clients]
    return result.period_dir


@pytest.fixture(scope="session")
def demo_reports_en_ru(tmp_path_factory) -> dict[str, Path]:
    """Every demo client's report for the 28 days ending 2026-10-31 in both languages, rendered once
    per session: each demo client copied twice (``client.yaml: language`` set to ``en``, then
    ``ru``) and run with the real notebooks. Returns language -> {demo slug -> its report folder}.
    Skipped while the notebooks or the demo clients do not exist (failed under ``CI=true``)."""
    import datetime as dt
    import io
    import re

    from smmkit.batch.discover import discover_clients, discover_notebooks
    from smmkit.batch.runner import run_reports
    from smmkit.config import CLIENTS_DIR, NOTEBOOKS_DIR
    from smmkit.errors import UsageError
    from smmkit.kpi.periods import Period

    try:
        discover_notebooks(NOTEBOOKS_DIR)
        slugs = [c.name for c in discover_clients(CLIENTS_DIR)]
    except UsageError as exc:
        skip_unless_ci(str(exc))
    clients = tmp_path_factory.mktemp("demo-en-ru")
    agency = CLIENTS_DIR / "smmkit.yaml"
    for name in ("smmkit.yaml", "agency-logo.png"):
        if (CLIENTS_DIR / name).is_file() and agency.is_file():
            shutil.copy2(CLIENTS_DIR / name, clients / name)
    for slug in slugs:
        for lang in ("en", "ru"):
            dest = clients / f"{slug}-{lang}"
            shutil.copytree(CLIENTS_DIR / slug, dest, ignore=shutil.ignore_patterns(".smmkit-cache"))
            yaml = dest / "client.yaml"
            text = re.sub(r"(?m)^language:.*\n?", "", yaml.read_text(encoding="utf-8"))
            yaml.write_text(text.rstrip("\n") + f"\nlanguage: {lang}\n", encoding="utf-8")
    result = run_reports(
        clients_dir=clients,
        period=Period(dt.date(2026, 10, 4), dt.date(2026, 10, 31)),
        out=tmp_path_factory.mktemp("demo-en-ru-reports"),
        jobs=2,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert result.exit_code == 0, [c.error for c in result.clients]
    return {lang: {slug: result.period_dir / f"{slug}-{lang}" for slug in slugs} for lang in ("en", "ru")}
