"""smmkit.report as a whole: the names a notebook calls, what it costs to import, the size of its functions."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import smmkit.report as R
from smmkit.config import NOTEBOOKS_DIR

NOTEBOOKS = sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb"))


def _code(notebook: str) -> list[str]:
    cells = json.loads((NOTEBOOKS_DIR / notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_name_a_notebook_calls_on_R_is_in_the_package(notebook):
    called = set(re.findall(r"\bR\.(\w+)", "\n".join(_code(notebook))))
    assert called and called <= set(R.__all__), called - set(R.__all__)
    for name in called:
        assert getattr(R, name) is not None


@pytest.mark.parametrize("notebook", [n for n in NOTEBOOKS if n[0].isdigit()])
def test_a_report_notebook_opens_its_page_with_one_call(notebook):
    opening = _code(notebook)[1]  # the cell after `parameters`
    assert len(re.findall(r"^page = R\.open_page\(", opening, flags=re.MULTILINE)) == 1
    assert (
        "theme" not in opening and "header()" not in opening
    )  # open_page applies the theme, shows the header


def test_the_package_imports_nothing_heavy_until_a_name_is_used():
    code = (
        "import sys, smmkit.report, smmkit.report.findings, smmkit.report.i18n\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'IPython'))\n"
        "import smmkit.report as R\n"
        "R.open_page\n"
        "print(heavy, 'IPython' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] True"  # `smmkit kpis` pays for neither; a notebook gets them on first use


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'open_pages'"):
        _ = R.open_pages
