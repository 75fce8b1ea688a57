"""The demo clients rendered in both languages, once per session, for the screen tests."""

from __future__ import annotations

from pathlib import Path

import pytest

DEMO = ("atelier-nord", "coffee-point", "nimbus-crm")
LANGUAGES = ("en", "ru")


@pytest.fixture(scope="session")
def bilingual_reports(demo_reports_en_ru) -> Path:
    """The period folder of ``demo_reports_en_ru`` (tests/conftest.py: every demo client rendered
    once per session as ``<slug>-en`` and ``<slug>-ru``, with the demo agency, for the 28 days ending
    2026-10-31), holding its ``index.html``."""
    folders = {folder.parent for pages in demo_reports_en_ru.values() for folder in pages.values()}
    (period_dir,) = folders
    assert {f"{slug}-{lang}" for slug in DEMO for lang in LANGUAGES} <= {p.name for p in period_dir.iterdir()}
    return period_dir
