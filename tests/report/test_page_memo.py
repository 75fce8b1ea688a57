"""open_page memoises the last client folder: a client's notebooks (one kernel) share one load."""

from __future__ import annotations

import os

import pytest

import smmkit.io.loading
from smmkit.config import CLIENTS_DIR
from smmkit.report import page


@pytest.fixture
def loads(monkeypatch):
    calls = []
    real = smmkit.io.loading.load_client

    def counting(path, **kw):
        calls.append(path)
        return real(path, **kw)

    monkeypatch.setattr(smmkit.io.loading, "load_client", counting)
    monkeypatch.setattr(page, "_OPENED", [])
    monkeypatch.setattr(page, "display", lambda obj: None)  # the header
    monkeypatch.setattr(page.theme, "use", lambda **kw: None)  # matplotlib's settings untouched
    return calls


def test_pages_of_one_client_share_one_load_and_changed_exports_load_again(loads, tmp_path):
    import shutil

    client = shutil.copytree(CLIENTS_DIR / "nimbus-crm", tmp_path / "nimbus-crm")
    a = page.open_page("overview", client, start="2026-10-04", end="2026-10-31")
    b = page.open_page("funnel", client, start="2026-10-04", end="2026-10-31")
    assert len(loads) == 1 and b.client is a.client
    assert b.report is not a.report  # the report is lent as a copy
    assert b.report.total.get("reach") == a.report.total.get("reach") > 0
    export = next(p for p in sorted((client / "exports").rglob("*")) if p.is_file())
    os.utime(export, ns=(1, 1))  # an export changed on disk
    page.open_page("overview", client, start="2026-10-04", end="2026-10-31")
    assert len(loads) == 2


def test_a_table_changed_in_place_is_not_lent_to_the_next_page(loads):
    client = CLIENTS_DIR / "nimbus-crm"
    a = page.open_page("overview", client, start="2026-10-04", end="2026-10-31")
    a.client.posts["reach"] = 0  # a notebook edits the shared table
    b = page.open_page("funnel", client, start="2026-10-04", end="2026-10-31")
    assert len(loads) == 2 and b.client.posts["reach"].sum() > 0
