"""The report notebooks: kept clean in git, executed through papermill on demo clients, rendered safely.

The executions are marked ``slow``; the static checks (outputs stripped, one
``parameters`` cell) run in the fast suite.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from smmkit.config import CLIENTS_DIR, NOTEBOOKS_DIR
from smmkit.report.i18n import NBSP, Labels
from smmkit.report.page import KPIS_MIMETYPE

REPORT_NOTEBOOKS = [
    "1-overview.ipynb",
    "2-networks.ipynb",
    "3-funnel.ipynb",
    "4-content.ipynb",
    "5-community.ipynb",
]
ALL_NOTEBOOKS = [*REPORT_NOTEBOOKS, "explore.ipynb"]
START, END = "2026-10-04", "2026-10-31"
PAYLOAD = "<img src=x onerror=alert(1)>"


def _demo(slug: str) -> Path:
    path = CLIENTS_DIR / slug
    if not (path / "client.yaml").is_file():
        reason = f"demo client {slug} not generated: run scripts/make_demo_data.py"
        if os.environ.get("CI") == "true":  # committed demo data: never silently untested in CI
            pytest.fail(reason)
        pytest.skip(reason)
    return path


# --------------------------------------------------------------------------- static (fast)
@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_notebook_is_clean_and_has_one_parameters_cell(name):
    nb = nbformat.read(str(NOTEBOOKS_DIR / name), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec == {
        "name": "smmkit",
        "display_name": "Python (smmkit)",
        "language": "python",
    }
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] and c.execution_count is None for c in code), "outputs must be stripped"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = re.findall(r"^(\w+)\s*=", tagged[0].source, flags=re.MULTILINE)
    assert names == ["client_dir", "start", "end"]  # the runner passes exactly these


# --------------------------------------------------------------------------- executions (slow)
#: Run first in every executed notebook: any Python warning (a missing font glyph, a deprecation) is an
#: error in the cell that caused it. Restored at the end, so the kernel shuts down quietly.
STRICT_FIRST = "import warnings\n\n_saved_filters = warnings.filters[:]\nwarnings.simplefilter('error')"
STRICT_LAST = "warnings.filters[:] = _saved_filters"


def _strict(notebook: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(str(notebook), as_version=4)
    tags = {"tags": ["remove-cell"]}
    nb.cells.insert(0, nbformat.v4.new_code_cell(STRICT_FIRST, metadata=tags))
    nb.cells.append(nbformat.v4.new_code_cell(STRICT_LAST, metadata=tags))
    return nb


def _execute(notebook: Path, out: Path, client_dir: Path) -> nbformat.NotebookNode:
    import papermill

    from smmkit.batch.worker import KERNEL_ENV, ensure_kernel

    saved = {k: os.environ.get(k) for k in KERNEL_ENV}
    os.environ.update(KERNEL_ENV)
    try:
        papermill.execute_notebook(
            _strict(notebook),
            str(out),
            parameters={"client_dir": str(client_dir), "start": START, "end": END},
            kernel_name=ensure_kernel(),
            progress_bar=False,
            cwd=str(out.parent),  # not the notebooks folder: the notebooks must not depend on the cwd
        )
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nbformat.read(str(out), as_version=4)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Every notebook executed once on coffee-point (ru, RUB): name -> executed notebook."""
    client = _demo("coffee-point")
    out_dir = tmp_path_factory.mktemp("executed")
    cache: dict[str, nbformat.NotebookNode] = {}

    def get(name: str) -> nbformat.NotebookNode:
        if name not in cache:
            cache[name] = _execute(NOTEBOOKS_DIR / name, out_dir / name, client)
        return cache[name]

    return get


def _html_outputs(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("data", {}).get("text/html", ""))
    return "\n".join(parts)


def _render(nb: nbformat.NotebookNode) -> str:
    from smmkit.batch.render import render_notebook

    return render_notebook(nb, client_name="Coffee Point", page_title="Report")


def _is_chart(output: dict) -> bool:
    """A chart output: a page's inline SVG figure (smmkit.report.figures.chart) or a PNG."""
    data = output.get("data", {})
    return "image/png" in data or '<div class="smmkit-figure">' in str(data.get("text/html", ""))


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_notebook_executes_and_renders(executed, name):
    nb = executed(name)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    if name == "explore.ipynb":
        return
    images = sum(_is_chart(o) for c in nb.cells for o in c.get("outputs", []))
    assert images >= 1  # every report page has at least one chart
    html = _render(nb)
    assert len(html.encode()) < 3_000_000
    assert "Traceback" not in html and "<script" not in html.lower()
    assert KPIS_MIMETYPE not in html


@pytest.mark.slow
@pytest.mark.parametrize("name", ALL_NOTEBOOKS)
def test_notebook_runs_with_warnings_as_errors_and_no_stderr(executed, name):
    """No warning (e.g. findfont's "Failed to find font weight", a logging warning on stderr) in a normal run."""
    nb = executed(name)
    assert nb.cells[0].source == STRICT_FIRST and nb.cells[-1].execution_count is not None  # ran to the end
    stderr = [o.text for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert stderr == []
    if name == "explore.ipynb":  # every chart cell of the tutorial shows its chart
        for cell in nb.cells:
            if cell.cell_type == "code" and re.search(r"plots\.|sns\.|\.plot\(", cell.source):
                assert any("image/png" in o.get("data", {}) for o in cell.outputs), cell.source


@pytest.mark.slow
def test_overview_numbers_equal_smmkit_kpis_json(executed):
    nb = executed("1-overview.ipynb")
    records = [
        o["data"][KPIS_MIMETYPE]
        for c in nb.cells
        for o in c.get("outputs", [])
        if KPIS_MIMETYPE in o.get("data", {})
    ]
    assert len(records) == 1
    shown = records[0]
    cli = subprocess.run(
        [sys.executable, "-m", "smmkit.cli", "kpis", str(_demo("coffee-point")), "--start", START, "--end", END,
         "--format", "json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    expected = json.loads(cli.stdout)
    for key in ("period", "previous_period", "total", "networks", "change", "top_posts"):
        assert shown[key] == expected[key], key

    # The cards and tables on the page show those same numbers, formatted for the locale.
    L = Labels("ru", currency="RUB")
    page = _html_outputs(nb)
    cells = re.findall(r'<td data-kpi="(\w+)" data-scope="(\w+)" data-value="([^"]*)">([^<]*)<', page)
    cards = re.findall(
        r'<div class="smmkit-card" data-kpi="(\w+)" data-scope="(\w+)" data-value="([^"]*)">'
        r'<div class="smmkit-card-name">[^<]*</div><div class="smmkit-card-value">([^<]*)<',
        page,
    )
    assert len(cells) > 50 and len(cards) >= 11  # the per-network table and the headline cards
    cells += cards
    for key, scope, raw, text in cells:
        value = expected["total"][key] if scope == "total" else expected["networks"][scope][key]
        assert (raw == "" and value is None) or float(raw) == value, (key, scope)
        assert text == L.value(key, value), (key, scope)
    posts = re.findall(r'<td data-post="([^"]*)" data-kpi="(\w+)" data-value="([^"]*)">([^<]*)<', page)
    top = {p["post_id"]: p for p in expected["top_posts"]}
    assert {pid for pid, *_ in posts} == set(top) and len(top) == 5
    for pid, key, raw, text in posts:
        assert float(raw) == top[pid][key] and text == L.value(key, top[pid][key]), (pid, key)


@pytest.mark.slow
def test_russian_report_shows_russian_labels_and_numbers(executed):
    html = _render(executed("1-overview.ipynb"))
    for label in (
        "Главные показатели",
        "Подписчики",
        "По соцсетям",
        "Топ-5 публикаций по охвату",
        "ВКонтакте",
    ):
        assert label in html
    assert "Headline KPIs" not in html and "Followers" not in html
    assert re.search(rf">\d{{1,3}}(?:{NBSP}\d{{3}})+<", html)  # e.g. 108 456
    assert re.search(rf">\d+,\d{NBSP}%", html)  # e.g. 31,0 %


@pytest.mark.slow
def test_post_text_payload_shows_as_text(tmp_path):
    """A post whose text is an HTML payload shows as text on the rendered page and does not run."""
    client = tmp_path / "clients" / "nimbus-crm"
    shutil.copytree(_demo("nimbus-crm"), client)
    (client / "exports" / "xss_posts.csv").write_text(
        "network,post_id,published_at,post_type,text,url,impressions,reach,likes,comments,shares\n"
        f'x,xss-1,2026-10-10 10:00,text,"{PAYLOAD}",javascript:alert(1),9000000,9000000,5,1,1\n',
        encoding="utf-8",
    )
    nb = _execute(NOTEBOOKS_DIR / "1-overview.ipynb", tmp_path / "overview.ipynb", client)
    html = _render(nb)
    assert PAYLOAD not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the top post by reach, shown as text
    assert "javascript:alert" not in html


@pytest.mark.slow
def test_the_batch_shows_what_a_fresh_kernel_per_notebook_shows(executed, tmp_path):
    """``smmkit run`` (one warmed kernel per client, reset between notebooks, the client loaded
    once) renders the same words and numbers as each notebook run alone in a fresh kernel."""
    import datetime as dt
    import io

    from smmkit.batch.render import page_content, page_slug
    from smmkit.batch.runner import run_reports
    from smmkit.kpi.periods import Period

    period = Period(dt.date.fromisoformat(START), dt.date.fromisoformat(END))
    result = run_reports([_demo("coffee-point")], period=period, out=tmp_path, jobs=1,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert result.exit_code == 0, result.clients[0].error
    for name in REPORT_NOTEBOOKS:
        batch = nbformat.read(
            str(result.period_dir / "coffee-point" / f"{page_slug(name)}.ipynb"), as_version=4
        )
        batch, alone = _without_downloads(batch), executed(name)
        got, want = page_content(_html_outputs(batch)), page_content(_html_outputs(alone))
        assert got["text"] and got["values"], name
        assert got == want, name

        # The same outputs in the same cells. Not stderr (never rendered): matplotlib logs a
        # font fallback ("findfont: ...") once per process, so only a kernel's first page has it.
        def kinds(nb):  # the notebook's own cells: not the warnings-as-errors cells _strict adds
            return [
                [o.output_type for o in c.get("outputs", []) if o.get("name") != "stderr"]
                for c in nb.cells
                if "".join(c.source) not in (STRICT_FIRST, STRICT_LAST)
            ]

        assert kinds(batch) == kinds(alone), name


def _without_downloads(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """``nb`` without what only ``smmkit run`` shows: the links to report.xlsx (a notebook run
    alone has no workbook beside it) and the line saying the workbook holds every post."""
    import copy
    import html

    from smmkit.report.i18n import LABELS

    nb = copy.deepcopy(nb)
    notes = [html.escape(text) for text in LABELS["ct.posts.workbook"].values()]
    for cell in nb.cells:
        kept = []
        for out in cell.get("outputs", []):
            page = out.get("data", {}).get("text/html", "")
            if "smmkit-downloads" in page:
                continue
            for note in notes:
                page = re.sub(
                    rf'<p class="smmkit-meta"><a href="[^"]*" download>{re.escape(note)}</a></p>', "", page
                )
            if page:
                out["data"]["text/html"] = page
            kept.append(out)
        if cell.get("cell_type") == "code":
            cell.outputs = kept
    return nb


# --------------------------------------------------------------------------- single-network clients
def _solo_clients():
    from support import solo_clients

    return solo_clients


@pytest.fixture(scope="module")
def solo(tmp_path_factory):
    """The five pages of the X-only and the LinkedIn-only fixture clients: (client, page) -> executed notebook."""
    sc = _solo_clients()
    root = tmp_path_factory.mktemp("solo")
    clients = {
        "x": sc.make_x_only(root / "solo-x"),
        "linkedin": sc.make_linkedin_only(root / "solo-linkedin"),
    }
    cache: dict[tuple[str, str], nbformat.NotebookNode] = {}

    def get(client: str, name: str) -> nbformat.NotebookNode:
        if (client, name) not in cache:
            out = root / f"{client}-{name}"
            cache[client, name] = _execute(NOTEBOOKS_DIR / name, out, clients[client])
        return cache[client, name]

    get.clients = clients
    return get


def _images(nb: nbformat.NotebookNode, marker: str) -> int:
    """Charts shown by the code cells whose source holds ``marker`` (a figure of panels counts once)."""
    cells = [c for c in nb.cells if c.cell_type == "code" and marker in c.source]
    return sum(_is_chart(o) for c in cells for o in c.outputs)


@pytest.mark.slow
@pytest.mark.parametrize("client", ["x", "linkedin"])
@pytest.mark.parametrize("name", REPORT_NOTEBOOKS)
def test_single_network_pages_run_without_errors_or_warnings(solo, client, name):
    nb = solo(client, name)
    assert [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"] == []
    assert [o.text for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"] == []
    html = _render(nb)
    assert "Traceback" not in html
    assert 'class="smmkit-card-value">n/a<' not in _html_outputs(
        nb
    )  # no card of a KPI the client cannot have


def page_text(nb: nbformat.NotebookNode) -> str:
    from smmkit.batch.render import page_content

    return " | ".join(page_content(_html_outputs(nb))["text"])


@pytest.mark.slow
def test_x_only_overview_reads_as_a_full_report(solo):
    """An X-only client (X content + account overview, as the README says) gets its top posts by
    impressions, its audience from daily follows, and no empty cards, duplicate Total or one-bar chart."""
    sc = _solo_clients()
    nb = solo("x", "1-overview.ipynb")
    html, text = _html_outputs(nb), page_text(nb)
    cli = subprocess.run(
        [sys.executable, "-m", "smmkit.cli", "kpis", str(solo.clients["x"]), "--start", START, "--end", END,
         "--format", "json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    expected = json.loads(cli.stdout)
    # top 5 by impressions (no X post has a reach), ties by engagements; the table and the title name the basis
    assert [p["post_id"] for p in expected["top_posts"]] == sc.X_EXPECTED["top"]
    posts = re.findall(r'<td data-post="([^"]*)" data-kpi="(\w+)" data-value="([^"]*)">([^<]*)<', html)
    assert [pid for pid, key, *_ in posts if key == "impressions"] == sc.X_EXPECTED["top"]
    assert [float(raw) for _, key, raw, _ in posts if key == "impressions"] == [1500, 1500, 1200, 900, 700]
    assert (
        "Top 5 posts by impressions" in text and "no post of the period has a known total post reach" in text
    )
    assert "No post data" not in text and "Top 5 posts by reach" not in text
    # cards: only what the client has, every number equal to the JSON; the rest named in one line
    cards = dict(
        (key, float(raw))
        for key, scope, raw in re.findall(r'class="smmkit-card" data-kpi="(\w+)" data-scope="(\w+)" data-value="([^"]*)"', html)
    )  # fmt: skip
    assert cards == {k: expected["total"][k] for k in cards}
    assert (
        cards["net_follower_growth"] == sc.X_EXPECTED["new_followers"] - sc.X_EXPECTED["lost_followers"] == 56
    )
    assert cards["posts"] == sc.X_EXPECTED["posts"] and cards["impressions"] == sc.X_EXPECTED["impressions"]
    assert "Not in this client's exports for the period: Followers, " in text
    # one network: one value column headed X, holding the total; no "by network" chart
    tables = re.findall(r"<thead>(.*?)</thead>", html)
    assert tables and all(">Total<" not in head for head in tables)
    scopes = set(re.findall(r'<td data-kpi="\w+" data-scope="(\w+)"', html))
    assert scopes == {"total"}
    assert _images(nb, '"ov.mix"') == 0 and "Reach and followers by network | · No by-network data" in text


@pytest.mark.slow
def test_x_only_networks_content_funnel_and_community_pages(solo):
    sc = _solo_clients()
    text = page_text(solo("x", "2-networks.ipynb"))
    # the audience from X's daily follows: 3 a day in, 1 a day out over 28 days
    assert f"New followers | {sc.X_EXPECTED['new_followers']} |" in text and "Unfollows | 28 |" in text
    assert "No audience data" not in text
    nb = solo("x", "2-networks.ipynb")
    assert (
        _images(nb, '"nw.audience"') == 1 and _images(nb, '"nw.reach"') == 1
    )  # impressions only, no empty panel

    nb = solo("x", "4-content.ipynb")
    text = page_text(nb)
    assert "No post data" not in text and "Top posts | Posts of the period by impressions" in text
    assert (
        text.count("ER by views ranking") == 2
    )  # contents and heading: ER per post needs followers X does not export
    html = _html_outputs(nb)
    section = html[
        html.index('id="s-ct-ranking"') : html.index('id="s-ct-types"')
    ]  # not the table of all posts
    ranking = re.findall(r'data-post="([^"]*)" data-kpi="er_view" data-value="([^"]*)"', section)
    assert len(ranking) == sc.X_EXPECTED["posts"] and [float(v) for _, v in ranking] == sorted(
        (float(v) for _, v in ranking), reverse=True
    )
    # post 11: (20 + 3 + 5) engagements / 900 impressions
    assert float(dict(ranking)["19000000000000011"]) == pytest.approx(28 / 900 * 100)
    assert _images(nb, '"ct.heatmap"') == 1 and _images(nb, '"ct.frequency"') == 1
    assert "Performance by post type | · No post type data for this client in the period." in text

    html = _html_outputs(solo("x", "3-funnel.ipynb"))
    assert set(re.findall(r'data-stage="\w+" data-scope="(\w+)"', html)) == {"total"}  # one funnel, not two

    html = _html_outputs(solo("x", "5-community.ipynb"))
    # five sections without data are one line each; only the signals section has a heading
    assert html.count("<h2") == 1 and html.count('class="smmkit-nodata"') == 5


@pytest.mark.slow
def test_linkedin_only_pages_show_its_posts_and_its_daily_followers(solo):
    sc = _solo_clients()
    html = _html_outputs(solo("linkedin", "1-overview.ipynb"))
    ids = re.findall(r'<td data-post="([^"]*)" data-kpi="impressions"', html)
    assert ids == [sc.li_url(n) for n in sc.LI_EXPECTED["top"]]
    assert "Top 5 posts by impressions" in page_text(solo("linkedin", "1-overview.ipynb"))
    text = page_text(solo("linkedin", "2-networks.ipynb"))
    assert f"New followers | {sc.LI_EXPECTED['new_followers']} |" in text
    text = page_text(solo("linkedin", "4-content.ipynb"))
    assert "No post data" not in text and "ER by views ranking" in text
