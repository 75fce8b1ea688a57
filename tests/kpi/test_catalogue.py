"""docs/kpis.md lists every KPI key of metrics.md and is up to date with the label catalogue."""

from __future__ import annotations

import importlib.util

from smmkit.catalogue import KPI_KEYS
from smmkit.config import PROJ_ROOT


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_kpi_reference", PROJ_ROOT / "scripts" / "make_kpi_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_kpi_reference_is_current_and_complete():
    text = _generator().reference()
    assert (PROJ_ROOT / "docs" / "kpis.md").read_text(encoding="utf-8") == text, (
        "docs/kpis.md is out of date: run `python scripts/make_kpi_reference.py`"
    )
    for key in KPI_KEYS:
        assert f"| `{key}` |" in text
    assert "| `cpl` | CPL" in text and "| lower |" in text


def test_docs_copies_of_the_contracts_match_shared():
    """docs/metrics.md and docs/data-contract.md are copies of ../shared, for readers of the repo."""
    import pytest

    shared = PROJ_ROOT.parent / "shared"
    if not (shared / "metrics.md").is_file():
        pytest.skip("../shared is not beside the project")
    for name in ("metrics.md", "data-contract.md"):
        assert (PROJ_ROOT / "docs" / name).read_bytes() == (shared / name).read_bytes(), (
            f"docs/{name} differs from ../shared/{name}: copy it again"
        )
