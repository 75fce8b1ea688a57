"""The demo clients rendered in both languages, once per session, for the screen tests."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

DEMO = ("atelier-nord", "coffee-point", "nimbus-crm")
LANGUAGES = ("en", "ru")


@pytest.fixture(scope="session")
def bilingual_reports(tmp_path_factory) -> Path:
    """Every demo client's report in English and in Russian (``<slug>-en``, ``<slug>-ru``: the client
    folder copied with ``language:`` set in its client.yaml), with the demo agency, for the 28 days
    ending 2026-10-31; returns the period folder. Skipped without the demo clients (failed under CI)."""
    import datetime as dt
    import io

    from smmkit.batch.runner import run_reports
    from smmkit.config import CLIENTS_DIR
    from smmkit.kpi.periods import Period

    if not all((CLIENTS_DIR / slug / "client.yaml").is_file() for slug in DEMO):
        reason = f"the demo clients are missing under {CLIENTS_DIR}"
        pytest.fail(reason) if os.environ.get("CI") == "true" else pytest.skip(reason)
    root = tmp_path_factory.mktemp("bilingual")
    clients = root / "clients"
    clients.mkdir()
    for path in CLIENTS_DIR.iterdir():  # the agency: smmkit.yaml and its logo
        if path.is_file():
            shutil.copy(path, clients / path.name)
    for slug in DEMO:
        for lang in LANGUAGES:
            dest = clients / f"{slug}-{lang}"
            shutil.copytree(CLIENTS_DIR / slug, dest, ignore=shutil.ignore_patterns(".smmkit-cache"))
            yaml = dest / "client.yaml"
            text = yaml.read_text(encoding="utf-8")
            text, n = re.subn(r"(?m)^language:.*$", f"language: {lang}", text)
            yaml.write_text(text if n else f"{text.rstrip()}\nlanguage: {lang}\n", encoding="utf-8")
    (root / "out").mkdir()
    result = run_reports(
        clients_dir=clients,
        period=Period(dt.date(2026, 10, 4), dt.date(2026, 10, 31)),
        out=root / "out",
        jobs=2,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    assert result.exit_code == 0, [c.error for c in result.clients]
    return result.period_dir
