"""JupyterLab as an analyst uses it (issue 13): the server, headless Chromium, Run All, look at the outputs.

JupyterLab starts on a free loopback port with its own settings, workspaces and
runtime folders (nothing of the user's is read or written) on copies of the
notebooks; Debian's chromium (never a downloaded one) opens a notebook, runs
every cell from the Run menu and checks what the analyst would see: no error
and no stderr output, and an image in every chart cell. Once for explore.ipynb
on its default client, once for a report notebook with a second client and a
7-day window. Skipped when chromium is missing, failed instead under ``CI=true``
(the ``browser`` fixture in conftest.py). With ``SMMKIT_UPDATE_SCREENSHOT=1`` the
README's ``docs/explore-screenshot.png`` is rewritten from the explore run.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from smmkit.batch.runner import ensure_kernel
from smmkit.config import NOTEBOOKS_DIR

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "explore-screenshot.png"
#: A code cell that draws: a plot helper, seaborn or pandas' .plot().
CHART = re.compile(r"\bplots\.\w+\(|\bsns\.\w+\(|\.plot\(")

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as r:  # noqa: S310 (loopback only)
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.5)
    return False


@pytest.fixture(scope="module")
def lab(tmp_path_factory, browser):
    """JupyterLab on 127.0.0.1:<free port> over a folder of notebook copies; yields (base URL, folder)."""
    root = tmp_path_factory.mktemp("lab")
    work = root / "notebooks"
    work.mkdir()
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Every cell in the DOM (no virtual scrolling), so the test sees every output; no news pop-up.
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}', encoding="utf-8")
    news = root / "settings" / "@jupyterlab" / "apputils-extension"
    news.mkdir(parents=True)
    (news / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}', encoding="utf-8")
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_DATA_DIR": str(root / "data"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
        "IPYTHONDIR": str(root / "ipython"),
    }
    kernel = ensure_kernel()  # in this environment's prefix, which JupyterLab searches
    assert kernel == "smmkit"
    token = secrets.token_hex(16)
    jupyter = Path(sys.executable).with_name("jupyter")
    for _attempt in range(3):  # another process may take the free port first
        port = _free_port()
        args = [
            str(jupyter), "lab", "--no-browser", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
            f"--LabApp.user_settings_dir={root / 'settings'}", f"--LabApp.workspaces_dir={root / 'workspaces'}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]  # fmt: skip
        if hasattr(os, "getuid") and os.getuid() == 0:
            args.append("--allow-root")  # as `make lab`
        log = open(root / f"lab-{port}.log", "wb")  # noqa: SIM115 (closed below)
        proc = subprocess.Popen(args, env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        if _wait_for_server(f"{base}/api/status?token={token}", proc):
            break
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    else:
        pytest.fail(
            "JupyterLab did not start: " + (root / f"lab-{port}.log").read_text(errors="replace")[-3000:]
        )
    try:
        yield base, token, work
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _copy(work: Path, name: str, parameters: str | None = None) -> nbformat.NotebookNode:
    nb = nbformat.read(str(NOTEBOOKS_DIR / name), as_version=4)
    if parameters is not None:
        (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        cell.source = parameters
    nbformat.write(nb, str(work / name))
    return nb


def _run_all(browser, base: str, token: str, name: str, *, viewport=(1280, 1000)):
    """Open the notebook in JupyterLab, Run > Run All Cells, wait for the kernel; return the page and its cells."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    # ?reset: a fresh workspace, so only this notebook is open (not the tabs of an earlier test).
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}", wait_until="domcontentloaded")
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=120_000)
    page.wait_for_timeout(1000)
    assert page.locator(".jp-Notebook").count() == 1
    # JupyterLab may ask which kernel to start, with the notebook's own ("Python (smmkit)") preselected.
    page.wait_for_timeout(2000)
    if page.locator(".jp-Dialog").count():
        assert page.locator(".jp-Dialog select").input_value() == "smmkit"
        page.click(".jp-Dialog button:has-text('Select')")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    page.wait_for_function(
        "() => document.body.textContent.includes('Python (smmkit) | Idle')", timeout=120_000
    )
    page.click(".lm-MenuBar-itemLabel:text-is('Run')")
    page.click(".lm-Menu-itemLabel:text-is('Run All Cells')")
    prompts = "() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')].map(p => p.textContent)"
    deadline = time.monotonic() + 240
    while True:  # until the kernel is idle and no cell is queued or running; then every prompt has a number
        page.wait_for_timeout(1000)
        texts = page.evaluate(prompts)
        idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count() == 1
        if idle and any(re.search(r"\d", t) for t in texts) and not any("*" in t for t in texts):
            break
        if time.monotonic() > deadline:
            page.screenshot(path=str(Path(os.environ.get("TMPDIR", "/tmp")) / f"smmkit-lab-{name}.png"))
            pytest.fail(f"{name}: Run All did not finish in 240 s; prompts {texts}")
    page.wait_for_timeout(500)  # the last outputs render
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map(c => ({
            code: c.classList.contains('jp-CodeCell'),
            prompt: (c.querySelector('.jp-InputPrompt') || {}).textContent || '',
            stderr: [...c.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
                .map(o => o.textContent),
            images: [...c.querySelectorAll('.jp-OutputArea-output img')]
                .filter(i => i.complete && i.naturalWidth > 0).length
                + [...c.querySelectorAll('.jp-OutputArea-output .smmkit-figure svg')]
                .filter(s => s.getBoundingClientRect().width > 0).length,  // a page's inline SVG charts
            nodata: c.querySelectorAll('.jp-OutputArea-output .smmkit-nodata').length,
        }))"""
    )
    return page, cells


def _check(nb: nbformat.NotebookNode, cells: list[dict], *, nodata_ok: bool) -> int:
    """No error or stderr output, every code cell ran, every chart cell shows its chart; returns the images."""
    assert len(cells) == len(nb.cells)
    assert [c["stderr"] for c in cells if c["stderr"]] == []  # tracebacks render as stderr too
    assert all(re.fullmatch(r"\[\d+\]:", c["prompt"].strip()) for c in cells if c["code"]), [
        c["prompt"] for c in cells if c["code"]
    ]
    charts = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and CHART.search(c.source)]
    assert charts
    for i in charts:
        shown = cells[i]["images"] >= 1 or (nodata_ok and cells[i]["nodata"] >= 1)
        assert shown, f"no chart in cell {i}: {nb.cells[i].source[:200]}"
    return sum(c["images"] for c in cells)


def test_explore_runs_all_clean_in_jupyterlab(browser, lab, tmp_path):
    base, token, work = lab
    nb = _copy(work, "explore.ipynb")
    page, cells = _run_all(browser, base, token, "explore.ipynb", viewport=(1280, 1400))
    try:
        images = _check(nb, cells, nodata_ok=False)
        assert images >= 4  # helpers beside seaborn, a trend, pandas, seaborn
        # The KPIReport shows as the report does: cards in the client's language (coffee-point: ru).
        kpis = page.locator(".jp-OutputArea-output .smmkit-card").first
        assert "Подписчики" in kpis.inner_text()
        # The file list is a table.
        assert page.locator(".jp-OutputArea-output table.smmkit-files").count() == 1
        page.evaluate(
            """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')]
                .find(c => c.textContent.includes('3. The KPIs of a period')).scrollIntoView({block: 'start'})"""
        )
        page.wait_for_timeout(300)
        page.screenshot(path=str(tmp_path / "explore.png"))
        if os.environ.get("SMMKIT_UPDATE_SCREENSHOT") == "1":
            shutil.copyfile(tmp_path / "explore.png", SCREENSHOT)
    finally:
        page.close()


def test_report_notebook_with_a_second_client_and_a_7_day_window(browser, lab):
    base, token, work = lab
    params = 'client_dir = "nimbus-crm"\nstart = "2026-10-25"\nend = "2026-10-31"'
    nb = _copy(work, "2-networks.ipynb", params)
    page, cells = _run_all(browser, base, token, "2-networks.ipynb")
    try:
        assert _check(nb, cells, nodata_ok=True) >= 1
        text = page.locator(".jp-Notebook").inner_text()
        assert "Nimbus" in text and "Oct 25, 2026 – Oct 31, 2026 (7 days)" in text  # en client, the window
    finally:
        page.close()


def test_issue_repro_shows_both_charts_in_jupyterlab(browser, lab):
    """The issue's minimal repro in a fresh kernel: the first figure made inside theme.context(), then a plain one."""
    base, token, work = lab
    nb = nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "smmkit", "display_name": "Python (smmkit)"}}
    )
    nb.cells = [
        nbformat.v4.new_code_cell(
            "import matplotlib.pyplot as plt\nfrom smmkit.report import theme\n\nwith theme.context():\n    plt.subplots()"
        ),
        nbformat.v4.new_code_cell("plt.plot([1, 2, 3])"),
        nbformat.v4.new_code_cell("plt.get_fignums()"),
    ]
    nbformat.write(nb, str(work / "repro.ipynb"))
    page, cells = _run_all(browser, base, token, "repro.ipynb")
    try:
        assert [c["images"] for c in cells] == [1, 1, 0]
        assert [c["stderr"] for c in cells] == [[], [], []]
        last = page.locator(".jp-Notebook .jp-Cell").nth(2).locator(".jp-OutputArea-output").inner_text()
        assert last.strip() == "[]"  # every figure was shown and closed
    finally:
        page.close()
