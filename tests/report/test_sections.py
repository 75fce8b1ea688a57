"""smmkit.report.sections: the sections of each page, in order, in one place."""

from __future__ import annotations

import json
import re

import pytest

from smmkit.catalogue import KPI_KEYS
from smmkit.config import NOTEBOOKS_DIR
from smmkit.report import sections
from smmkit.report.i18n import LABELS


def _shown_sections(notebook: str) -> list[str]:
    """The section keys a report notebook shows, in order (``page.block("key", ...)``, the forecast)."""
    cells = json.loads((NOTEBOOKS_DIR / notebook).read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    found = re.findall(r'page\.block\(\s*"([\w.]+)"|R\.(forecast_section)\(', code)
    return ["nw.forecast" if forecast else key for key, forecast in found]


@pytest.mark.parametrize(
    ("notebook", "name"),
    [("1-overview.ipynb", "overview"), ("2-networks.ipynb", "networks"), ("3-funnel.ipynb", "funnel"),
     ("4-content.ipynb", "content"), ("5-community.ipynb", "community")],
)  # fmt: skip
def test_each_notebook_shows_its_page_s_sections_in_their_order(notebook, name):
    assert _shown_sections(notebook) == list(sections.PAGES[name])


def test_every_section_has_a_title_in_both_languages_and_its_own_anchor():
    keys = [k for page in sections.PAGES.values() for k in page]
    assert all(set(LABELS[k]) == {"en", "ru"} for k in keys)
    assert len({sections.anchor(k) for k in keys}) == len(keys)
    assert sections.anchor("ov.top") == "s-ov-top"
    assert {name: f"{name}.html" for name in sections.PAGES} == sections.PAGE_FILES


@pytest.mark.parametrize("name", ["HEADLINE", "MONTHLY", "AUDIENCE", "REACH", "FEEDBACK", "COST", "INBOX"])
def test_page_key_lists_hold_kpi_keys_once(name):
    keys = getattr(sections, name)
    assert [k for k in keys if k not in KPI_KEYS] == []
    assert len(set(keys)) == len(keys)
