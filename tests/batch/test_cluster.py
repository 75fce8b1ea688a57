"""Tests of smmkit/batch/cluster.py: ``smmkit run --executor dask`` (issue 11).

The slow tests share one ``LocalCluster`` of two single-threaded worker processes (with
nannies, so a killed worker comes back) and reach it as a remote scheduler, by its address.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

# the clients and notebooks of the local executor's tests, so both executors run the same
from support.batch_clients import DEMO_PERIOD, OCTOBER, POSTS_HEADER, REPORT, demo_inputs, write_client

from smmkit.batch.cluster import ALLOWED_FAILURES, pack, receive
from smmkit.batch.discover import discover_notebooks
from smmkit.batch.render import page_content
from smmkit.batch.runner import run_reports
from smmkit.batch.worker import ClientTask
from smmkit.cli import main
from smmkit.config import load_agency_config
from smmkit.errors import UsageError

pytest.importorskip("distributed")


def _quiet() -> dict:
    return {"stdout": io.StringIO(), "stderr": io.StringIO()}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _local_cluster():
    """A local cluster of two worker processes, one thread each (the kit's own settings)."""
    import dask
    from distributed import Client, LocalCluster

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}),
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield cluster, client


@pytest.fixture(scope="module")
def cluster():
    """The module's shared local cluster."""
    with _local_cluster() as pair:
        yield pair


@pytest.fixture
def own_cluster():
    """A local cluster of the test's own, for a test that kills every worker: a nanny has been seen
    to bring a worker back only when its cluster closed, which must not starve the tests after it."""
    with _local_cluster() as pair:
        yield pair


def _entries(manifest_path: Path) -> dict:
    """The manifest's clients without what differs between two runs (times, durations)."""
    clients = json.loads(manifest_path.read_text(encoding="utf-8"))["clients"]
    for entry in clients.values():
        entry.pop("duration_s"), entry.pop("finished_at")
    return clients


def _pages(period_dir: Path) -> dict[str, dict]:
    return {
        p.relative_to(period_dir).as_posix(): page_content(p.read_text(encoding="utf-8"))
        for p in sorted(period_dir.glob("*/*.html"))
    }


# -- options and errors (no cluster) -------------------------------------------------------------


def test_unreachable_scheduler_is_a_usage_error(tmp_path, capsys):
    client = write_client(tmp_path / "clients", "alpha", "name: Alpha\n", posts=None)
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(UsageError, match=rf"cannot reach the dask scheduler at {address}"):
        run_reports([client], period=OCTOBER, out=tmp_path / "out", notebooks_dir=REPORT,
                    executor="dask", scheduler=address, **_quiet())  # fmt: skip
    argv = ["run", str(client), "--start", "2026-10-01", "--end", "2026-10-28", "--out", str(tmp_path / "o"),
            "--notebooks", str(REPORT), "--executor", "dask", "--scheduler", address]  # fmt: skip
    assert main(argv) == 2
    assert address in capsys.readouterr().err


def test_scheduler_without_the_dask_executor_is_a_usage_error(tmp_path):
    client = write_client(tmp_path / "clients", "alpha", "name: Alpha\n", posts=None)
    with pytest.raises(UsageError, match=r"--scheduler ADDRESS goes with --executor dask"):
        run_reports([client], period=OCTOBER, out=tmp_path / "out", notebooks_dir=REPORT,
                    scheduler="tcp://127.0.0.1:8786", **_quiet())  # fmt: skip


def test_receive_refuses_files_outside_the_client_folder(tmp_path):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("../escape.html", "x")
    task = ClientTask(tmp_path / "alpha", "alpha", OCTOBER.start, OCTOBER.end, (), tmp_path / "p", 60, "f")
    from smmkit.batch.worker import ClientResult

    result = receive(task, ClientResult(slug="alpha", name="Alpha", status="ok"), buffer.getvalue())
    assert result.status == "failed" and "refusing the archive member '../escape.html'" in result.error
    assert not (tmp_path / "escape.html").exists() and not (tmp_path / "p" / "alpha").exists()


# -- a worker that sees nothing of the batch -----------------------------------------------------

_WORKER = """\
import pickle, sys
from smmkit.batch.cluster import run_packed
payload, task = pickle.load(sys.stdin.buffer)
sys.stdout.buffer.write(pickle.dumps(run_packed(payload, task)))
"""


@pytest.mark.slow
def test_a_worker_without_the_batch_folders_still_renders(tmp_path):
    """The task runs in another process whose working folder and temporary folder are an empty
    folder, while the client, notebooks and output folders are renamed away: it needs only the
    payload's bytes, and its pages land where the submitter writes them."""
    batch = tmp_path / "batch"
    client = write_client(batch / "clients", "alpha", "name: Alpha\n")
    (batch / "clients" / "brand").mkdir()
    (batch / "clients" / "brand" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (batch / "clients" / "smmkit.yaml").write_text("name: Northwind Social\nlogo: brand/logo.svg\n")
    notebooks = batch / "notebooks"
    shutil.copytree(REPORT, notebooks)
    period_dir = batch / "out" / "2026-10-01_2026-10-28"
    task = ClientTask(client, "alpha", OCTOBER.start, OCTOBER.end, tuple(discover_notebooks(notebooks)),
                      period_dir, 120, "fingerprint", load_agency_config(batch / "clients"))  # fmt: skip
    payload = pack(task)
    empty = tmp_path / "empty"
    empty.mkdir()
    hidden = tmp_path / "hidden"
    batch.rename(hidden)
    try:
        done = subprocess.run(
            [sys.executable, "-c", _WORKER],
            input=pickle.dumps((payload, task)),
            capture_output=True,
            cwd=empty,
            env={**os.environ, "TMPDIR": str(empty)},
            timeout=300,
            check=False,
        )
    finally:
        hidden.rename(batch)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    # the worker's temporary folder is gone; Jinja's cache of compiled templates stays (render._bytecode_cache)
    assert [p.name for p in empty.iterdir()] in ([], [f"_jinja2-cache-{os.getuid()}"])
    result, data = pickle.loads(done.stdout)
    assert result.status == "ok", result.error
    assert result.client_dir == str(client)  # the submitter's path, not the worker's
    period_dir.mkdir(parents=True)
    result = receive(task, result, data)
    assert result.status == "ok", result.error
    assert sorted(p.name for p in (period_dir / "alpha").iterdir()) == [
        "content.html", "content.ipynb", "overview.html", "overview.ipynb", "report.xlsx",
    ]  # fmt: skip
    assert result.outputs == [
        "alpha/overview.html",
        "alpha/overview.ipynb",
        "alpha/content.html",
        "alpha/content.ipynb",
        "alpha/report.xlsx",
    ]
    executed = (period_dir / "alpha" / "overview.ipynb").read_text(encoding="utf-8")
    assert json.dumps(f'client_dir = "{client}"')[1:-1] in executed  # the parameters as submitted
    page = (period_dir / "alpha" / "overview.html").read_text(encoding="utf-8")
    assert "Client: Alpha" in page
    assert "Northwind Social" in page and "data:image/svg+xml;base64," in page  # the agency's name and logo
    assert not list(period_dir.glob(".*"))  # no staging folder left


# -- on a local cluster ---------------------------------------------------------------------------


@pytest.mark.slow
def test_a_local_cluster_without_scheduler_fails_a_broken_client_alone(tmp_path, capsys):
    """``--executor dask`` without ``--scheduler``: a local cluster of ``--jobs`` workers; a
    client whose notebook raises is failed (not retried) and the others render."""
    clients = tmp_path / "clients"
    write_client(clients, "alpha", "name: Alpha\n")
    write_client(clients, "broken-co", "name: Broken Co\n")
    write_client(
        clients, "bad-export", "name: Bad Export\n", posts=POSTS_HEADER + "vk,1,2026-10-03,Hi,1,abc,1,1\n"
    )
    out = tmp_path / "out"
    argv = ["run", "--clients-dir", str(clients), "--start", "2026-10-01", "--end", "2026-10-28",
            "--out", str(out), "--notebooks", str(REPORT), "--executor", "dask", "--jobs", "2"]  # fmt: skip
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert "3 clients: 1 ok, 2 failed, 0 skipped in" in captured.out
    assert (
        "broken-co: 2-content.ipynb: cell 4 raised ValueError: no posts to chart for Broken Co"
        in captured.err
    )
    manifest = json.loads((out / "2026-10-01_2026-10-28" / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["clients"]
    assert {slug: e["status"] for slug, e in entries.items()} == {
        "alpha": "ok", "bad-export": "failed", "broken-co": "failed",
    }  # fmt: skip
    assert entries["broken-co"]["cell"] == 4 and entries["broken-co"]["failed_notebook"] == (
        "broken-co/content.failed.ipynb"
    )
    assert entries["bad-export"]["error_file"] == "exports/posts.csv"
    assert entries["alpha"]["client_dir"] == str((clients / "alpha").resolve())
    period_dir = out / "2026-10-01_2026-10-28"
    assert sorted(p.name for p in (period_dir / "broken-co").iterdir()) == [
        "content.failed.ipynb", "error.txt", "overview.html", "overview.ipynb", "report.xlsx",
    ]  # fmt: skip
    assert (period_dir / "index.html").is_file()
    assert not list(period_dir.glob(".*"))


@pytest.mark.slow
def test_dask_renders_the_demo_clients_as_the_local_executor(tmp_path, cluster):
    notebooks, clients = demo_inputs()
    local = run_reports(clients, period=DEMO_PERIOD, out=tmp_path / "local", jobs=2, **_quiet())
    dask = run_reports(clients, period=DEMO_PERIOD, out=tmp_path / "dask", executor="dask",
                       scheduler=cluster[0].scheduler_address, **_quiet())  # fmt: skip
    assert [(c.slug, c.status) for c in dask.clients] == [(c.slug, "ok") for c in local.clients]
    pages_local, pages_dask = _pages(local.period_dir), _pages(dask.period_dir)
    assert len(pages_dask) == len(clients) * len(notebooks)
    assert pages_dask == pages_local
    assert _entries(dask.manifest_path) == _entries(local.manifest_path)
    assert (
        page_content(dask.index_path.read_text(encoding="utf-8"))["values"]
        == page_content(local.index_path.read_text(encoding="utf-8"))["values"]
    )


def _sleepy_notebooks(tmp_path: Path, seconds: float) -> Path:
    """The report notebooks plus one that sleeps, so a worker can be killed mid-client."""
    import nbformat

    folder = tmp_path / "notebooks"
    shutil.copytree(REPORT, folder)
    nb = nbformat.read(REPORT / "1-overview.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(f"import time\n\ntime.sleep({seconds})"))
    nbformat.write(nb, folder / "3-sleepy.ipynb")
    return folder


@pytest.mark.slow
def test_a_worker_killed_mid_run_the_batch_completes(tmp_path, cluster):
    local_cluster, client = cluster
    notebooks = _sleepy_notebooks(tmp_path, 4)
    slugs = ["alpha", "beta", "gamma", "delta"]
    dirs = [write_client(tmp_path / "clients", slug, f"name: {slug.title()}\n") for slug in slugs]
    outcome: dict = {}

    def batch() -> None:
        try:
            outcome["result"] = run_reports(dirs, period=OCTOBER, out=tmp_path / "out", notebooks_dir=notebooks,
                                            executor="dask", scheduler=local_cluster.scheduler_address,
                                            timeout=120, **_quiet())  # fmt: skip
        except BaseException as exc:  # noqa: BLE001 - reported below
            outcome["error"] = exc

    runner = threading.Thread(target=batch)
    runner.start()
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and time.monotonic() < deadline and runner.is_alive():
        busy = [
            w for w, keys in client.processing().items() if any(str(k).startswith("smmkit-") for k in keys)
        ]
        if busy:
            time.sleep(3)  # inside the client's notebooks
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            killed = pid
        else:
            time.sleep(0.2)
    runner.join(timeout=600)
    assert killed is not None, "no client was running on a worker"
    assert "error" not in outcome, outcome.get("error")
    result = outcome["result"]
    assert [(c.slug, c.status, c.error) for c in result.clients] == [(s, "ok", None) for s in slugs]
    for slug in slugs:
        assert (result.period_dir / slug / "sleepy.html").is_file()
    client.wait_for_workers(2, timeout=60)  # the nanny brought the killed worker back


#: Kills the Dask worker running the notebook: the kernel's parent, or the parent of the template a
#: forked kernel came from.
KILL_THE_WORKER = """\
import os, pathlib, signal

worker = os.getppid()
if b"smmkit.batch.template" in pathlib.Path(f"/proc/{worker}/cmdline").read_bytes():
    worker = int(pathlib.Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()[1])
os.kill(worker, signal.SIGKILL)
"""


@pytest.mark.slow
def test_a_client_that_kills_every_worker_fails_after_the_allowed_failures(tmp_path, own_cluster):
    """A client whose notebook kills its worker is rerun elsewhere, but not endlessly: once it
    has lost more workers than the scheduler's allowed failures it is failed, and the batch ends."""
    import nbformat

    local_cluster, _ = own_cluster
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(REPORT / "1-overview.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(KILL_THE_WORKER))
    nbformat.write(nb, notebooks / "1-poison.ipynb")
    poison = write_client(tmp_path / "clients", "poison", "name: Poison\n", posts=None)
    scheduler = local_cluster.scheduler  # in this process: two lost workers are enough to see the cap
    assert scheduler.allowed_failures == ALLOWED_FAILURES
    scheduler.allowed_failures = 1
    try:
        result = run_reports([poison], period=OCTOBER, out=tmp_path / "out", notebooks_dir=notebooks,
                             executor="dask", scheduler=local_cluster.scheduler_address, **_quiet())  # fmt: skip
    finally:
        scheduler.allowed_failures = ALLOWED_FAILURES
    [failed] = result.clients
    assert failed.status == "failed" and failed.error.startswith("dask: KilledWorker"), failed.error
    assert (
        json.loads(result.manifest_path.read_text(encoding="utf-8"))["clients"]["poison"]["status"]
        == "failed"
    )


@pytest.mark.slow
def test_dask_with_pdf_the_submitter_prints_each_client(tmp_path, cluster):
    """``--pdf`` on a cluster: the workers return the pages, the submitting process prints them."""
    from support.pdf import read_pdf

    from smmkit.batch.pdf import chromium_path

    if chromium_path() is None:
        pytest.skip("no Chromium")
    clients = tmp_path / "clients"
    dirs = [write_client(clients, "alpha", "name: Alpha\n"), write_client(clients, "beta", "name: Beta\n")]
    result = run_reports(dirs, period=OCTOBER, out=tmp_path / "out", notebooks_dir=REPORT, executor="dask",
                         scheduler=cluster[0].scheduler_address, pdf=True, timeout=120, **_quiet())  # fmt: skip
    assert [(c.slug, c.status) for c in result.clients] == [("alpha", "ok"), ("beta", "ok")]
    for c in result.clients:
        assert c.outputs[-2:] == [f"{c.slug}/report.xlsx", f"{c.slug}/report.pdf"]
        pdf = read_pdf(result.period_dir / c.slug / "report.pdf")
        assert pdf.pages[0].text.startswith(f"{c.name} Social media report Oct 1 – Oct 28, 2026 Contents")
        assert pdf.pages[-1].text.endswith(f"{len(pdf.pages)} / {len(pdf.pages)}")
    assert not list(result.period_dir.glob(".*"))
