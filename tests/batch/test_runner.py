"""Tests of smmkit/runner.py (``smmkit run``).

The report notebooks under tests/fixtures/notebooks/report read ``client.yaml``
and draw a figure; ``2-content.ipynb`` raises in its 4th cell for a client
named "Broken ..." (the failure path). Clients are written to tmp folders.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from support.batch_clients import (
    DEMO_PERIOD,
    FIXTURES,
    OCTOBER,
    POSTS_HEADER,
    REPORT,
    demo_inputs,
    notebooks_dir,
    write_client,
)

from smmkit.batch.discover import check_parameters, discover_clients, discover_notebooks
from smmkit.batch.fingerprint import input_fingerprint
from smmkit.batch.runner import RunResult, _Progress, run_reports
from smmkit.batch.worker import ClientResult
from smmkit.cli import main
from smmkit.errors import NotebookError, UsageError


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """One parallel run over four clients: one ok and three failing three ways."""
    root = tmp_path_factory.mktemp("batch")
    clients = root / "clients"
    write_client(clients, "alpha", "name: Alpha <b>Cafe</b>\ntimezone: Europe/Moscow\n")
    write_client(clients, "broken-co", "name: Broken Co\n")
    write_client(clients, "bad-yaml", "name: Bad Yaml\nnmae: typo\n")
    write_client(
        clients,
        "bad-export",
        "name: Bad Export\n",
        posts=POSTS_HEADER + "vk,1,2026-10-03 10:00,Hi,1,2,3,4\nvk,2,2026-10-04 10:00,Hi,5,abc,1,1\n",
    )
    (clients / "not-a-client").mkdir()  # no client.yaml: not discovered
    out = root / "reports"
    stdout, stderr = io.StringIO(), io.StringIO()
    result = run_reports(
        clients_dir=clients,
        period=OCTOBER,
        out=out,
        jobs=2,
        notebooks_dir=REPORT,
        timeout=120,
        stdout=stdout,
        stderr=stderr,
    )
    manifest = json.loads((result.manifest_path).read_text(encoding="utf-8"))
    return {
        "result": result,
        "manifest": manifest,
        "stdout": stdout.getvalue(),
        "stderr": stderr.getvalue(),
        "clients": clients,
        "period_dir": out / "2026-10-01_2026-10-28",
    }


@pytest.mark.slow
def test_batch_statuses_and_exit_code(batch):
    result = batch["result"]
    assert [(c.slug, c.status) for c in result.clients] == [
        ("alpha", "ok"),
        ("bad-export", "failed"),
        ("bad-yaml", "failed"),
        ("broken-co", "failed"),
    ]
    assert result.exit_code == 1
    assert result.period_dir == batch["period_dir"].resolve()
    assert re.fullmatch(
        r"4 clients: 1 ok, 3 failed, 0 skipped in \d+\.\d s -> .*2026-10-01_2026-10-28/index\.html\n",
        batch["stdout"],
    )
    assert (
        "broken-co: 2-content.ipynb: cell 4 raised ValueError: no posts to chart for Broken Co"
        in batch["stderr"]
    )


@pytest.mark.slow
def test_ok_client_has_html_and_executed_notebooks(batch):
    folder = batch["period_dir"] / "alpha"
    assert sorted(p.name for p in folder.iterdir()) == [
        "content.html",
        "content.ipynb",
        "overview.html",
        "overview.ipynb",
        "report.xlsx",
    ]
    executed = nbformat.read(str(folder / "overview.ipynb"), as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert f'client_dir = "{batch["clients"].resolve() / "alpha"}"' in injected[0].source
    assert 'start = "2026-10-01"' in injected[0].source and 'end = "2026-10-28"' in injected[0].source
    printed = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    assert "Client: Alpha <b>Cafe</b>, 2026-10-01 to 2026-10-28" in printed
    html = (folder / "overview.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html  # the figure, embedded
    assert "Client: Alpha &lt;b&gt;Cafe&lt;/b&gt;" in html
    assert (folder / "overview.html").stat().st_size < 3_000_000


@pytest.mark.slow
def test_manifest_entries(batch):
    manifest = batch["manifest"]
    assert manifest["period"] == {"start": "2026-10-01", "end": "2026-10-28", "days": 28}
    assert set(manifest["clients"]) == {"alpha", "broken-co", "bad-yaml", "bad-export"}
    alpha = manifest["clients"]["alpha"]
    assert alpha["status"] == "ok" and alpha["error"] is None
    assert alpha["name"] == "Alpha <b>Cafe</b>"
    assert alpha["outputs"] == [
        "alpha/overview.html",
        "alpha/overview.ipynb",
        "alpha/content.html",
        "alpha/content.ipynb",
        "alpha/report.xlsx",
    ]
    assert alpha["pages"] == [
        {"label": "Overview", "href": "alpha/overview.html"},
        {"label": "Content", "href": "alpha/content.html"},
    ]
    assert alpha["duration_s"] > 0
    assert re.fullmatch(r"[0-9a-f]{64}", alpha["fingerprint"])
    # See GOOD_POSTS and AUDIENCE for the arithmetic.
    # the previous value too (the index shows the change by the reports' rule: pp, "new"...)
    numbers = ("value", "change", "previous")
    reach, followers = alpha["headline"]["reach"], alpha["headline"]["followers_end"]
    assert {k: reach[k] for k in numbers} == pytest.approx(
        {"value": 350.0, "change": 75.0, "previous": 200.0}
    )
    assert {k: followers[k] for k in numbers} == pytest.approx(
        {"value": 1100.0, "change": 10.0, "previous": 1000.0}
    )
    assert reach["comparable"] is True and followers["comparable"] is True
    assert {k: alpha["headline"]["leads"][k] for k in numbers} == {
        "value": None,
        "change": None,
        "previous": None,
    }


@pytest.mark.slow
def test_failing_notebook_is_kept_beside_the_error(batch):
    entry = batch["manifest"]["clients"]["broken-co"]
    assert entry["status"] == "failed"
    assert entry["error"] == "2-content.ipynb: cell 4 raised ValueError: no posts to chart for Broken Co"
    assert (entry["notebook"], entry["cell"], entry["error_file"]) == (
        "2-content.ipynb",
        4,
        "2-content.ipynb",
    )
    assert entry["failed_notebook"] == "broken-co/content.failed.ipynb"
    assert entry["pages"] == []
    folder = batch["period_dir"] / "broken-co"
    failed = nbformat.read(str(folder / "content.failed.ipynb"), as_version=4)
    errors = [o for c in failed.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert [(e.ename, e.evalue) for e in errors] == [("ValueError", "no posts to chart for Broken Co")]
    assert (folder / "error.txt").read_text(encoding="utf-8") == entry["error"] + "\n"
    assert not (folder / "content.html").exists()


@pytest.mark.slow
def test_bad_inputs_fail_before_any_notebook_runs(batch):
    clients = batch["manifest"]["clients"]
    assert clients["bad-yaml"]["error"].startswith("client.yaml:2:nmae: unknown key 'nmae'")
    assert clients["bad-yaml"]["error_file"] == "client.yaml"
    assert clients["bad-export"]["error"] == "exports/posts.csv:3:likes: expected a number, got 'abc'"
    assert clients["bad-export"]["error_file"] == "exports/posts.csv"
    for slug in ("bad-yaml", "bad-export"):
        assert sorted(p.name for p in (batch["period_dir"] / slug).iterdir()) == ["error.txt"]


@pytest.mark.slow
def test_no_temporary_file_is_left(batch):
    leftovers = [p for p in batch["period_dir"].rglob("*") if p.name.startswith(".") or ".part" in p.name]
    assert leftovers == []


@pytest.mark.slow
def test_index_names_every_client_and_the_bad_file(batch):
    index = (batch["period_dir"] / "index.html").read_text(encoding="utf-8")
    assert "Alpha &lt;b&gt;Cafe&lt;/b&gt;" in index
    assert "exports/posts.csv:3:likes: expected a number, got &#39;abc&#39;" in index
    assert "2-content.ipynb: cell 4 raised ValueError: no posts to chart for Broken Co" in index
    assert "▲ +75.0%" in index and "▲ +10.0%" in index
    for href in re.findall(r'href="([^"]+)"', index):
        assert (batch["period_dir"] / href).is_file(), href
    page = (batch["period_dir"] / "alpha" / "content.html").read_text(encoding="utf-8")
    nav = page[page.index("<nav") : page.index("</nav>")]
    for href in re.findall(r'href="([^"]+)"', nav):
        assert (batch["period_dir"] / "alpha" / href).is_file(), href


# -- skipping, --force and --only-failed --------------------------------------------------------


@pytest.mark.slow
def test_unchanged_clients_are_skipped_and_changed_ones_rerun(tmp_path):
    nbs = notebooks_dir(tmp_path, "report/1-overview.ipynb")
    alpha = write_client(tmp_path / "clients", "alpha", "name: Alpha\n", posts=None)
    beta = write_client(tmp_path / "clients", "beta", "name: Beta\n", posts=None)
    out = tmp_path / "out"
    kw = dict(period=OCTOBER, out=out, jobs=1, notebooks_dir=nbs, stdout=io.StringIO(), stderr=io.StringIO())

    first = run_reports([alpha, beta], **kw)
    assert [c.status for c in first.clients] == ["ok", "ok"]
    page = out / "2026-10-01_2026-10-28" / "alpha" / "overview.html"
    first_written = page.stat().st_mtime_ns

    second = run_reports([alpha, beta], **kw)
    assert [c.status for c in second.clients] == ["skipped", "skipped"]
    assert second.exit_code == 0
    assert page.stat().st_mtime_ns == first_written

    (beta / "client.yaml").write_text("name: Beta Renamed\n", encoding="utf-8")
    third = run_reports([alpha, beta], **kw)
    assert [c.status for c in third.clients] == ["skipped", "ok"]
    manifest = json.loads(third.manifest_path.read_text(encoding="utf-8"))
    assert manifest["clients"]["beta"]["name"] == "Beta Renamed"

    forced = run_reports([alpha], force=True, **kw)
    assert [c.status for c in forced.clients] == ["ok"]
    assert page.stat().st_mtime_ns > first_written  # rewritten although nothing changed


@pytest.mark.slow
def test_only_failed_reruns_the_failed_clients(tmp_path):
    nbs = notebooks_dir(tmp_path, "report/2-content.ipynb")
    ok = write_client(tmp_path / "clients", "ok-co", "name: Ok Co\n", posts=None)
    broken = write_client(tmp_path / "clients", "broken-co", "name: Broken Co\n", posts=None)
    kw = dict(period=OCTOBER, out=tmp_path / "out", jobs=1, notebooks_dir=nbs)
    kw.update(stdout=io.StringIO(), stderr=io.StringIO())

    with pytest.raises(
        UsageError, match=r"--only-failed: no manifest\.json in .*; nothing has run for this period"
    ):
        run_reports([ok, broken], only_failed=True, **kw)
    first = run_reports([ok, broken], **kw)
    assert [c.status for c in first.clients] == ["ok", "failed"]

    (broken / "client.yaml").write_text("name: Mended Co\n", encoding="utf-8")
    again = run_reports([ok, broken], only_failed=True, force=True, **kw)
    assert [(c.slug, c.status) for c in again.clients] == [("ok-co", "skipped"), ("broken-co", "ok")]
    assert again.exit_code == 0
    manifest = json.loads(again.manifest_path.read_text(encoding="utf-8"))
    assert {s: e["status"] for s, e in manifest["clients"].items()} == {"ok-co": "ok", "broken-co": "ok"}
    # The client folder now holds the new run only: no stale failed notebook.
    assert sorted(p.name for p in (again.period_dir / "broken-co").iterdir()) == [
        "content.html",
        "content.ipynb",
        "report.xlsx",
    ]


# -- the deliberately broken notebook, timeouts and parameter checks -------------------------------


@pytest.mark.slow
def test_broken_notebook_fails_its_client(tmp_path):
    nbs = notebooks_dir(tmp_path, "broken.ipynb")
    client = write_client(tmp_path / "clients", "alpha", "name: Alpha\n", posts=None)
    result = run_reports([client], period=OCTOBER, out=tmp_path / "out", jobs=1, notebooks_dir=nbs,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    (entry,) = result.clients
    assert entry.status == "failed" and result.exit_code == 1
    # Source cells: 1 parameters, 2 `x = 1`, 3 `x / 0`.
    assert entry.error == "broken.ipynb: cell 3 raised ZeroDivisionError: division by zero"
    assert (result.period_dir / "alpha" / "broken.failed.ipynb").is_file()


@pytest.mark.slow
def test_timeout_fails_the_client(tmp_path):
    nbs = notebooks_dir(tmp_path, "slow.ipynb")
    client = write_client(tmp_path / "clients", "alpha", "name: Alpha\n", posts=None)
    result = run_reports([client], period=OCTOBER, out=tmp_path / "out", jobs=1, notebooks_dir=nbs, timeout=2,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    (entry,) = result.clients
    assert entry.status == "failed"
    assert entry.error.startswith("slow.ipynb: timed out after 2 s")
    assert entry.failed_notebook == "alpha/slow.failed.ipynb"
    assert (result.period_dir / "alpha" / "slow.failed.ipynb").is_file()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "missing_end.ipynb",
            r"missing_end\.ipynb: the `parameters` cell does not declare 'end'; "
            r"expected exactly client_dir, start, end, got client_dir, start",
        ),
        (
            "extra_param.ipynb",
            r"extra_param\.ipynb: unknown parameter 'network' in the `parameters` cell; "
            r"the runner passes exactly client_dir, start, end",
        ),
        ("no_parameters.ipynb", r"no_parameters\.ipynb: no cell tagged `parameters`"),
    ],
)
def test_check_parameters_rejects(name, message):
    with pytest.raises(NotebookError, match=message) as info:
        check_parameters(FIXTURES / name)
    assert info.value.notebook == name


@pytest.mark.parametrize("name", ["1-overview.ipynb", "2-content.ipynb"])
def test_check_parameters_accepts_the_report_notebooks(name):
    check_parameters(REPORT / name)


def test_bad_parameters_fail_the_client_before_any_kernel(tmp_path):
    nbs = notebooks_dir(tmp_path, "report/1-overview.ipynb", "missing_end.ipynb")
    client = write_client(tmp_path / "clients", "alpha", "name: Alpha\n", posts=None)
    result = run_reports([client], period=OCTOBER, out=tmp_path / "out", jobs=1, notebooks_dir=nbs,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    (entry,) = result.clients
    assert entry.status == "failed"
    assert entry.error.startswith("missing_end.ipynb: the `parameters` cell does not declare 'end'")
    assert sorted(p.name for p in (result.period_dir / "alpha").iterdir()) == ["error.txt"]


# -- discovery, fingerprints, options ------------------------------------------------------------


def test_discover_notebooks_skips_helpers_and_orders_by_prefix(tmp_path):
    assert [p.name for p in discover_notebooks(REPORT)] == ["1-overview.ipynb", "2-content.ipynb"]
    for name in ("appendix.ipynb", "10-late.ipynb", "2-early.ipynb", "_draft.ipynb", "explore.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    assert [p.name for p in discover_notebooks(tmp_path)] == [
        "2-early.ipynb",
        "10-late.ipynb",
        "appendix.ipynb",
    ]


def test_discover_notebooks_refuses_two_notebooks_for_one_page(tmp_path):
    for name in ("1-overview.ipynb", "overview.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    with pytest.raises(
        UsageError, match=r"1-overview\.ipynb and overview\.ipynb would both render to overview\.html"
    ):
        discover_notebooks(tmp_path)


def test_discover_notebooks_needs_a_notebook(tmp_path):
    with pytest.raises(UsageError, match=r"no report notebook \(\*\.ipynb\) in"):
        discover_notebooks(tmp_path)


def test_discover_clients(tmp_path):
    with pytest.raises(UsageError, match=r"no client folder \(a sub-folder with a client\.yaml\) in"):
        discover_clients(tmp_path)
    for slug in ("b-co", "a-co"):
        write_client(tmp_path, slug, "name: X\n", posts=None)
    (tmp_path / "notes").mkdir()
    assert [p.name for p in discover_clients(tmp_path)] == ["a-co", "b-co"]
    with pytest.raises(UsageError, match=r"clients folder .*missing does not exist"):
        discover_clients(tmp_path / "missing")


def test_fingerprint_follows_inputs_notebooks_and_period(tmp_path):
    client = write_client(tmp_path, "alpha", "name: Alpha\n")
    nbs = [REPORT / "1-overview.ipynb"]
    base = input_fingerprint(client, notebooks=nbs, start=OCTOBER.start, end=OCTOBER.end)
    assert input_fingerprint(client, notebooks=nbs, start=OCTOBER.start, end=OCTOBER.end) == base
    (client / "exports" / ".DS_Store").write_bytes(b"junk")  # hidden: ignored, as by the loader
    assert input_fingerprint(client, notebooks=nbs, start=OCTOBER.start, end=OCTOBER.end) == base
    assert input_fingerprint(client, notebooks=nbs, start=OCTOBER.start, end=dt.date(2026, 10, 29)) != base
    assert input_fingerprint(client, notebooks=[*nbs, REPORT / "2-content.ipynb"], start=OCTOBER.start,
                             end=OCTOBER.end) != base  # fmt: skip
    with (client / "exports" / "posts.csv").open("a", encoding="utf-8") as f:
        f.write("vk,9,2026-10-20 10:00,New,1,1,1,1\n")
    assert input_fingerprint(client, notebooks=nbs, start=OCTOBER.start, end=OCTOBER.end) != base


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"executor": "spark"}, r"`executor` must be one of local, dask; got 'spark'"),
        ({"jobs": 0}, r"`jobs` must be a whole number of at least 1; got 0"),
        ({"timeout": 0}, r"`timeout` must be a whole number of seconds, at least 1; got 0"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path, options, message):
    client = write_client(tmp_path, "alpha", "name: Alpha\n", posts=None)
    with pytest.raises(UsageError, match=message):
        run_reports([client], period=OCTOBER, out=tmp_path / "out", notebooks_dir=REPORT, **options)


def test_dask_executor_needs_distributed(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the [dask] extra were not installed
    client = write_client(tmp_path, "alpha", "name: Alpha\n", posts=None)
    with pytest.raises(UsageError, match=r"the dask executor needs the `distributed` package"):
        run_reports([client], period=OCTOBER, out=tmp_path / "out", notebooks_dir=REPORT, executor="dask",
                    scheduler="tcp://127.0.0.1:8786", stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip


def test_client_folder_name_must_be_a_slug(tmp_path):
    """A folder whose name is not a slug fails alone (issue 20), and no output is built from it."""
    client = write_client(tmp_path, "Bad.Name", "name: Bad\n", posts=None)
    stderr = io.StringIO()
    result = run_reports([client], period=OCTOBER, out=tmp_path / "out", notebooks_dir=REPORT,
                         stdout=io.StringIO(), stderr=stderr)  # fmt: skip
    (entry,) = result.clients
    assert (entry.slug, entry.status, result.exit_code) == ("Bad.Name", "failed", 1)
    assert re.fullmatch(
        r".*Bad\.Name: client folder name 'Bad\.Name' is not a valid slug: expected .*", entry.error
    )
    assert f"Bad.Name: {entry.error}\n" in stderr.getvalue()
    assert not (tmp_path / "out").exists()  # nothing written for a run of no valid client


def test_progress_bar_draws_only_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    pipe = io.StringIO()
    quiet = _Progress(2, pipe)
    quiet.advance("alpha ok")
    quiet.close()
    assert pipe.getvalue() == ""

    tty = Terminal()
    now = iter([100.0, 130.0, 130.0, 190.0, 190.0, 260.0, 260.0]).__next__  # a fake clock
    bar = _Progress(3, tty, clock=now)
    bar.advance("alpha ok")  # at 30 s: one client per 30 s, 2 left
    bar.advance("beta failed", "failed")
    bar.advance("gamma (unchanged)", "skipped")
    bar.close()
    lines = tty.getvalue().split("\r")[1:]
    # 1 of 3 done fills 30 x 1 // 3 = 10 of the 30 cells.
    assert lines[0].startswith(
        "[" + "#" * 10 + "." * 20 + "] 1/3 alpha ok · 0 failed · 0:30 elapsed · ~1:00 left"
    )
    assert lines[1].startswith(
        "[" + "#" * 20 + "." * 10 + "] 2/3 beta failed · 1 failed · 1:30 elapsed · ~0:45 left"
    )
    assert lines[2].startswith(
        "[" + "#" * 30 + "] 3/3 gamma (unchanged) · 1 failed · 2:40 elapsed · ~0:00 left"
    )
    assert tty.getvalue().endswith("\n")


def test_run_result_summary_and_exit_code():
    clients = [
        ClientResult("a", "A", status="ok"),
        ClientResult("b", "B", status="failed", error="boom"),
        ClientResult("c", "C", status="skipped"),
    ]
    result = RunResult(Path("reports/2026-10-01_2026-10-28"), clients, 42.06)
    assert (
        result.summary()
        == "3 clients: 1 ok, 1 failed, 1 skipped in 42.1 s -> reports/2026-10-01_2026-10-28/index.html"
    )
    assert result.exit_code == 1
    assert RunResult(Path("r"), [clients[0], clients[2]], 1.0).exit_code == 0


# -- through the CLI -----------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_run(tmp_path, capsys):
    nbs = notebooks_dir(tmp_path, "report/1-overview.ipynb")
    client = write_client(tmp_path / "clients", "alpha", "name: Alpha\n", posts=None)
    argv = ["run", str(client), "--start", "2026-10-01", "--end", "2026-10-28", "--out", str(tmp_path / "out"),
            "--notebooks", str(nbs), "--jobs", "1"]  # fmt: skip
    assert main(argv) == 0
    assert re.match(r"1 clients: 1 ok, 0 failed, 0 skipped in ", capsys.readouterr().out)
    assert (tmp_path / "out" / "2026-10-01_2026-10-28" / "alpha" / "overview.html").is_file()


def test_cli_only_failed_without_a_manifest_is_a_usage_error(tmp_path, capsys):
    client = write_client(tmp_path / "clients", "alpha", "name: Alpha\n", posts=None)
    argv = ["run", str(client), "--start", "2026-10-01", "--end", "2026-10-28", "--out", str(tmp_path / "out"),
            "--notebooks", str(REPORT), "--only-failed"]  # fmt: skip
    assert main(argv) == 2
    assert "--only-failed: no manifest.json" in capsys.readouterr().err


# -- acceptance on the demo clients with the real report notebooks --------------------------------


@pytest.mark.slow
def test_demo_run_with_one_corrupted_export(tmp_path):
    notebooks, (good, other, *_) = demo_inputs()
    bad = tmp_path / "clients" / other.name
    shutil.copytree(other, bad)
    (bad / "exports" / "corrupt.csv").write_text("hello,world\n1,2\n", encoding="utf-8")

    result = run_reports([good, bad], period=DEMO_PERIOD, out=tmp_path / "out", jobs=2,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip

    assert result.exit_code == 1
    statuses = {c.slug: c for c in result.clients}
    assert statuses[good.name].status == "ok", statuses[good.name].error
    failed = statuses[other.name]
    assert failed.status == "failed" and failed.error_file == "exports/corrupt.csv"
    assert failed.error.startswith("exports/corrupt.csv")
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert manifest["clients"][other.name]["error_file"] == "exports/corrupt.csv"
    assert "exports/corrupt.csv" in result.index_path.read_text(encoding="utf-8")
    # Every report notebook rendered for the good client, each page under 3 MB.
    pages = [result.period_dir / p["href"] for p in manifest["clients"][good.name]["pages"]]
    assert len(pages) == len(notebooks)
    for page in pages:
        assert page.stat().st_size < 3_000_000, page
    # The corrupt client ran no notebook.
    assert sorted(p.name for p in (result.period_dir / other.name).iterdir()) == ["error.txt"]


@pytest.mark.slow
def test_a_single_client_run_keeps_every_client_branded_in_the_index(tmp_path):
    nbs = notebooks_dir(tmp_path, "report/1-overview.ipynb")
    alpha = write_client(
        tmp_path / "clients", "alpha", 'name: Alpha\nbrand: {color: "#112233"}\n', posts=None
    )
    beta = write_client(tmp_path / "clients", "beta", 'name: Beta\nbrand: {color: "#445566"}\n', posts=None)
    kw = dict(
        period=OCTOBER,
        out=tmp_path / "out",
        jobs=1,
        notebooks_dir=nbs,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    run_reports([alpha, beta], **kw)
    again = run_reports([beta], force=True, **kw)  # one client only, e.g. after fixing its exports
    index = (again.period_dir / "index.html").read_text(encoding="utf-8")
    assert "Alpha" in index and "Beta" in index
    assert "#112233" in index and "#445566" in index  # alpha's card keeps its colour


def test_ensure_kernel_registers_this_interpreter(tmp_path, monkeypatch):
    import json as _json

    from jupyter_client.kernelspec import KernelSpecManager

    from smmkit.batch.worker import ensure_kernel

    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "share" / "jupyter"))
    name = "smmkit-test-kernel"
    assert name not in KernelSpecManager().find_kernel_specs()
    assert ensure_kernel(name=name, prefix=tmp_path) == name
    spec_file = tmp_path / "share" / "jupyter" / "kernels" / name / "kernel.json"
    spec = _json.loads(spec_file.read_text(encoding="utf-8"))
    assert Path(spec["argv"][0]).resolve() == Path(sys.executable).resolve()
    assert KernelSpecManager().get_kernel_spec(name).argv[0] == spec["argv"][0]

    # A kernel of that name that starts another Python is replaced by this one.
    spec["argv"][0] = "/nonexistent/python"
    spec_file.write_text(_json.dumps(spec), encoding="utf-8")
    ensure_kernel(name=name, prefix=tmp_path)
    fixed = _json.loads(spec_file.read_text(encoding="utf-8"))
    assert Path(fixed["argv"][0]).resolve() == Path(sys.executable).resolve()


@pytest.mark.parametrize("here_first", [True, False])
def test_the_quick_kernel_check_reads_the_spec_jupyter_would_use(tmp_path, monkeypatch, here_first):
    """``ensure_kernel`` first reads the kernel.json Jupyter finds first (without importing
    jupyter_client); it must be the spec KernelSpecManager returns, so a kernel of that name
    earlier on the path that runs another Python is not mistaken for this one."""
    import json as _json

    from jupyter_client.kernelspec import KernelSpecManager

    from smmkit.batch.worker import _found_spec_runs_here

    name = "smmkit-test-kernel"
    folders = [tmp_path / "first", tmp_path / "second"]
    pythons = (
        [sys.executable, "/nonexistent/python"] if here_first else ["/nonexistent/python", sys.executable]
    )
    for folder, python in zip(folders, pythons, strict=True):
        spec = folder / "kernels" / name / "kernel.json"
        spec.parent.mkdir(parents=True)
        spec.write_text(_json.dumps({"argv": [python, "-m", "ipykernel_launcher"], "display_name": name}))
    monkeypatch.setenv("JUPYTER_PATH", os.pathsep.join(map(str, folders)))
    jupyters = KernelSpecManager().get_kernel_spec(name).argv[0]
    assert jupyters == pythons[0]
    assert _found_spec_runs_here(name) is here_first
    assert _found_spec_runs_here("smmkit-no-such-kernel") is False


def _forkservers() -> list[str]:
    """The command lines of this process's children that are multiprocessing forkservers."""
    import os

    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(") ", 1)[1].split()[1]) != os.getpid():
                continue
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, ValueError, IndexError):
            continue
        if "multiprocessing.forkserver" in cmdline:
            found.append(cmdline)
    return found


@pytest.mark.parametrize(
    ("clients", "jobs", "executor"),
    [(2, 1, "local"), (1, 2, "local"), (2, 2, "dask"), (0, 2, "local")],
)
def test_the_workers_start_early_only_for_a_run_that_will_have_workers(tmp_path, clients, jobs, executor):
    from smmkit.batch.runner import start_workers_early

    for i in range(clients):
        write_client(tmp_path, f"c{i}", f"name: c{i}\n", posts=None)
    assert not start_workers_early(clients_dir=tmp_path, jobs=jobs, executor=executor)
    assert not start_workers_early([tmp_path / "missing"], jobs=2, executor="local")  # the run says why


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forkserver workers: Linux")
def test_the_workers_forkserver_starts_with_the_command_for_two_clients(tmp_path):
    from smmkit.batch.runner import start_workers_early

    for i in range(2):
        write_client(tmp_path, f"c{i}", f"name: c{i}\n", posts=None)
    assert start_workers_early(clients_dir=tmp_path, jobs=2, executor="local")
    (server,) = _forkservers()
    assert "smmkit.batch.warm" in server  # its preload: the worker's and the kernels' imports
