"""One kernel per client (smmkit/batch/kernel.py): shared by the client's notebooks, reset
between them, never shared between clients; a notebook that kills its kernel fails its client alone.

The notebooks are written here: each records its kernel's process id, asserts that nothing
of an earlier notebook is visible (a variable, an rcParam, the working directory) and then
leaves all three changed for the next one.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import time
from pathlib import Path

import nbformat
import pytest

from smmkit.batch.runner import run_reports
from smmkit.kpi.periods import Period

OCTOBER = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 28))

PARAMETERS = 'client_dir = ""\nstart = "2026-10-01"\nend = "2026-10-28"'

# Fails when anything of an earlier notebook (of this client or another) is visible, then
# leaves a variable, an rcParam, a figure and the working directory changed.
MEDDLE = """\
import os
import matplotlib as mpl
import matplotlib.pyplot as plt
assert "leftover" not in globals(), "a variable of an earlier notebook is visible"
assert mpl.rcParams["lines.linewidth"] != 7.5, "an rcParam of an earlier notebook is visible"
assert plt.get_fignums() == [], "a figure of an earlier notebook is open"
assert os.getcwd() == NOTEBOOKS, (os.getcwd(), NOTEBOOKS)
leftover = client_dir
mpl.rcParams["lines.linewidth"] = 7.5
plt.figure()
os.chdir("/")
print("pid", os.getpid())
"""


def write_client(root: Path, slug: str) -> Path:
    """A client without exports (the notebooks here read none)."""
    (root / slug / "exports").mkdir(parents=True)
    (root / slug / "client.yaml").write_text(f"name: {slug}\n", encoding="utf-8")
    return root / slug


def _notebook(path: Path, *cells: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "smmkit", "display_name": "Python (smmkit)", "language": "python"}
    first = nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]})
    nb.cells = [first, *(nbformat.v4.new_code_cell(c) for c in cells)]
    nbformat.write(nb, str(path))


def _pid(executed: Path) -> int:
    nb = nbformat.read(str(executed), as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    return int(text.split("pid", 1)[1].split()[0])


@pytest.fixture
def meddling(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    # each notebook lasts long enough for a client's second kernel to load it and take one
    notebooks = f"import time\ntime.sleep(0.5)\nNOTEBOOKS = {str(nbs.resolve())!r}"
    for name in ("1-first.ipynb", "2-second.ipynb"):
        _notebook(nbs / name, notebooks, MEDDLE)
    clients = [write_client(tmp_path / "clients", s) for s in ("ann", "bob", "cyd")]
    return nbs, clients


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_client_s_notebooks_run_on_kernels_of_its_own_and_see_nothing_of_each_other(
    meddling, tmp_path, jobs
):
    nbs, clients = meddling
    result = run_reports(clients, period=OCTOBER, out=tmp_path / "out", jobs=jobs, notebooks_dir=nbs,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert [(c.slug, c.status, c.error) for c in result.clients] == [
        (s, "ok", None) for s in ("ann", "bob", "cyd")
    ]
    pids = {
        slug: {_pid(result.period_dir / slug / f"{page}.ipynb") for page in ("first", "second")}
        for slug in ("ann", "bob", "cyd")
    }
    # one kernel for both notebooks of a client; on 2 workers the last client, which would run
    # while the other worker idles, runs them on two kernels at once (runner.tail_kernels)
    assert {slug: len(p) for slug, p in pids.items()} == {"ann": 1, "bob": 1, "cyd": jobs}, pids
    assert len(set().union(*pids.values())) == 2 + jobs, pids  # never a kernel of another client
    # Each executed notebook counts its cells from 1, as in a fresh kernel.
    nb = nbformat.read(str(result.period_dir / "bob" / "second.ipynb"), as_version=4)
    assert [c.execution_count for c in nb.cells if c.cell_type == "code"] == [1, 2, 3, 4]


@pytest.mark.slow
def test_a_notebook_that_kills_its_kernel_fails_its_client_alone(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    _notebook(
        nbs / "1-page.ipynb",
        "import os, signal\nif client_dir.endswith('crash'):\n    os.kill(os.getpid(), signal.SIGKILL)",
    )
    _notebook(nbs / "2-after.ipynb", "x = 1")
    root = tmp_path / "clients"
    clients = [write_client(root, s) for s in ("able", "crash", "zeta")]
    result = run_reports(clients, period=OCTOBER, out=tmp_path / "out", jobs=1, notebooks_dir=nbs,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    status = {c.slug: c for c in result.clients}
    assert status["able"].status == "ok" and status["zeta"].status == "ok"  # zeta ran after the crash
    crashed = status["crash"]
    assert crashed.status == "failed" and result.exit_code == 1
    assert crashed.error.startswith("1-page.ipynb: kernel died"), crashed.error
    assert crashed.failed_notebook == "crash/page.failed.ipynb"
    assert (result.period_dir / "crash" / "page.failed.ipynb").is_file()
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert manifest["clients"]["zeta"]["status"] == "ok"


# Runs after the runner's preload: the client must already be loaded in this kernel, so any
# further load fails the notebook.
NO_SECOND_LOAD = """\
from smmkit.io import loading
import smmkit.report as R

def _no_second_load(*args, **kwargs):
    raise AssertionError("the client was loaded a second time")

loading.load_client = _no_second_load
page = R.open_page("overview", client_dir, start=start, end=end)
print("er", repr(float(page.report.total["er"])))
"""


@pytest.mark.slow
def test_a_client_is_loaded_once_in_its_kernel_and_the_index_headline_comes_from_there(tmp_path):
    import shutil

    from smmkit import load_client
    from smmkit.kpi.engine import kpis

    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    _notebook(nbs / "1-first.ipynb", NO_SECOND_LOAD)
    _notebook(nbs / "2-second.ipynb", NO_SECOND_LOAD)
    demo = Path(__file__).resolve().parents[2] / "data" / "clients" / "coffee-point"
    client_dir = shutil.copytree(demo, tmp_path / "clients" / "coffee-point")
    result = run_reports([client_dir], period=OCTOBER, out=tmp_path / "out", jobs=1, notebooks_dir=nbs,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    (client,) = result.clients
    assert (client.status, client.error) == ("ok", None)
    expected = kpis(load_client(client_dir), OCTOBER)
    assert client.headline["er_post"]["value"] == pytest.approx(expected.total["er_post"], rel=1e-12)
    assert client.headline["reach"] == {
        "value": expected.total["reach"],
        "change": pytest.approx(expected.change.total["reach"], rel=1e-12),
        "previous": expected.previous.total["reach"],  # the index shows the change by the reports' rule
        "comparable": True,
    }
    nb = nbformat.read(str(result.period_dir / "coffee-point" / "second.ipynb"), as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    assert f"er {float(expected.total['er'])!r}" in printed


@pytest.mark.slow
def test_a_bad_export_fails_the_client_in_the_kernel_s_preload_with_its_location(tmp_path):
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    _notebook(nbs / "1-page.ipynb", "raise AssertionError('no notebook runs for a client with a bad file')")
    bad = write_client(tmp_path / "clients", "bad")
    (bad / "exports" / "posts.csv").write_text(
        "network,post_id,published_at,likes\nvk,1,2026-10-02T10:00:00+03:00,many\n", encoding="utf-8"
    )
    good = write_client(tmp_path / "clients", "good")
    result = run_reports([bad, good], period=OCTOBER, out=tmp_path / "out", jobs=1, notebooks_dir=nbs,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    status = {c.slug: c for c in result.clients}
    assert status["bad"].status == "failed"
    assert status["bad"].error.startswith("exports/posts.csv:2:likes:"), status["bad"].error
    assert status["bad"].error_file == "exports/posts.csv"
    assert status["bad"].notebook is None  # failed before any notebook ran
    assert status["good"].status == "failed" and status["good"].notebook == "1-page.ipynb"


# -- kernels started ahead: one per client, none left over ------------------------------------------


def _tasks(n: int, tmp_path: Path):
    from smmkit.batch.worker import ClientTask

    return [
        ClientTask(tmp_path / f"c{i}", f"c{i}", OCTOBER.start, OCTOBER.end, (), tmp_path / "out", 60, "fp")
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("n", "workers", "ahead"),
    [
        (1, 1, [False]),
        (3, 1, [True, True, False]),
        (3, 2, [True, False, False]),
        (5, 2, [True, True, True, False, False]),
    ],
)
def test_only_tasks_with_a_client_still_to_serve_start_a_kernel_ahead(tmp_path, n, workers, ahead):
    from smmkit.batch.runner import kernels_ahead

    marked = kernels_ahead(_tasks(n, tmp_path), workers)
    assert [t.kernel_ahead for t in marked] == ahead
    assert [t.slug for t in marked] == [f"c{i}" for i in range(n)]  # same tasks, same order


@pytest.mark.parametrize(
    ("n", "jobs", "kernels"),
    [
        (1, 1, [1]),
        (3, 1, [1, 1, 1]),
        (1, 2, [2]),
        (3, 2, [1, 1, 2]),
        (4, 2, [1, 1, 1, 1]),
        (5, 4, [1, 1, 1, 1, 2]),
        (6, 4, [1, 1, 1, 1, 2, 2]),
        (3, 4, [1, 1, 1]),  # 3 clients, 4 slots: not 2 per client
    ],
)
def test_the_clients_of_a_last_incomplete_round_run_on_two_kernels(tmp_path, n, jobs, kernels):
    from smmkit.batch.runner import tail_kernels

    marked = tail_kernels(_tasks(n, tmp_path), jobs)
    assert [t.kernels for t in marked] == kernels
    assert [t.slug for t in marked] == [f"c{i}" for i in range(n)]


def _copy_demo(tmp_path: Path, slug: str) -> Path:
    import shutil

    demo = Path(__file__).resolve().parents[2] / "data" / "clients" / slug
    return Path(shutil.copytree(demo, tmp_path / "clients" / slug, ignore=shutil.ignore_patterns(".*")))


def _parse_ahead_tasks(tmp_path: Path) -> list:
    """A client of the first round, and two of the last round (run on two kernels): a demo
    client and one whose export does not load."""
    from dataclasses import replace

    first, good = _copy_demo(tmp_path, "atelier-nord"), _copy_demo(tmp_path, "nimbus-crm")
    bad = write_client(tmp_path / "clients", "bad")
    (bad / "exports" / "posts.csv").write_text(
        "network,post_id,published_at,likes\nvk,1,2026-10-02T10:00:00+03:00,many\n", encoding="utf-8"
    )
    return [
        replace(task, client_dir=folder, slug=folder.name, kernels=kernels)
        for task, folder, kernels in zip(_tasks(3, tmp_path), (first, good, bad), (1, 2, 2), strict=True)
    ]


def test_the_runner_parses_the_first_and_last_round_s_clients_into_their_cache_ahead(tmp_path, monkeypatch):
    """runner._ParseAhead: the clients a run starts with (``first``) and those that run on two
    kernels are parsed while the forkserver imports, the first ones first; one that loads is
    told so (its kernels then load it from the cache without reading an export), one that
    does not is left to its kernel."""
    from smmkit.batch.runner import _ParseAhead
    from smmkit.io import loading

    tasks = _parse_ahead_tasks(tmp_path)
    order = []
    load_client = loading.load_client
    monkeypatch.setattr(
        loading, "load_client", lambda folder: order.append(folder.name) or load_client(folder)
    )
    parsing = _ParseAhead(tasks, first=1)
    parsing.join()
    assert order == ["atelier-nord", "nimbus-crm", "bad"]
    assert [parsing.told(t).parsed for t in tasks] == [True, True, False]
    assert [t.parsed for t in tasks] == [False, False, False]  # told: a new task, as kernels_ahead's

    def no_export_read(*args, **kwargs):
        raise AssertionError("an export was read again")

    monkeypatch.setattr(loading, "load_client", load_client)
    monkeypatch.setattr(loading, "_read_export", no_export_read)
    assert len(loading.load_client(tasks[0].client_dir).posts) > 0
    assert len(loading.load_client(tasks[1].client_dir).posts) > 0


def test_a_middle_round_client_is_not_parsed_ahead(tmp_path):
    """A client of a full round after the first runs on one kernel long after the forkserver
    imported: it is left to its kernel."""
    from dataclasses import replace

    from smmkit.batch.runner import _ParseAhead

    first, later = _parse_ahead_tasks(tmp_path)[:2]
    later = replace(later, kernels=1)
    parsing = _ParseAhead([first, later], first=1)
    parsing.join()
    assert [parsing.told(t).parsed for t in (first, later)] == [True, False]
    assert not (later.client_dir / ".smmkit-cache").exists()


def test_nothing_is_parsed_ahead_when_the_cache_is_off(tmp_path, monkeypatch):
    from smmkit.batch.runner import _ParseAhead

    monkeypatch.setenv("SMMKIT_CACHE", "0")
    tasks = _parse_ahead_tasks(tmp_path)
    parsing = _ParseAhead(tasks)
    parsing.join()
    assert [parsing.told(t).parsed for t in tasks] == [False, False, False]
    assert [p for t in tasks for p in t.client_dir.glob(".smmkit-cache")] == []


class _LoggingKernel:
    """A stand-in for a client's kernel (:class:`smmkit.batch.kernel.ClientKernel`) that logs what the worker asks."""

    def __init__(self, name: str, log: list) -> None:
        self.name, self.log = name, log

    def send(self, what: str, *args: str) -> str:
        self.log.append(f"{self.name} sent {what}")
        return what

    def result(self, msg_id: str, what: str, *, timeout: int) -> str:
        self.log.append(f"{self.name} answered {what}")
        return json.dumps({"warnings": [], "headline": {}})

    def call(self, what: str, *args: str, timeout: int) -> str:
        self.log.append(f"{self.name} ran {what}")
        return "/staging/report.xlsx"

    def ready(self):
        self.log.append(f"{self.name} ready")
        return self

    def shutdown(self) -> None:
        self.log.append(f"{self.name} shut down")


@pytest.mark.parametrize("parsed", [True, False])
def test_the_second_kernel_loads_at_once_only_a_client_parsed_ahead(tmp_path, monkeypatch, parsed):
    """worker._load: a client parsed ahead (its exports in the cache) is loaded in both kernels at
    once; else the second kernel loads it after the first has parsed it into the cache. The
    second kernel's load is left running (it joins the jobs when done: _execute_pages)."""
    from dataclasses import replace

    from smmkit.batch import worker

    log: list[str] = []
    task = replace(_tasks(1, tmp_path)[0], kernels=2, parsed=parsed)
    kernels = [_LoggingKernel("first", log), _LoggingKernel("second", log)]
    result = worker.ClientResult("c0", "c0")
    params = {"client_dir": "c0", "start": "2026-10-01", "end": "2026-10-28"}
    joining = worker._load(task, params, kernels, result)
    assert [(k.name, msg_id) for k, msg_id in joining] == [("second", "preload")]
    assert [k.name for k in kernels] == ["first", "second"]
    early = ["second sent preload", "first answered preload"]
    late = ["first answered preload", "second sent preload"]
    assert [e for e in log if e in early] == (early if parsed else late)
    assert log.index("second ready") < log.index("first answered preload")  # started with the first
    assert "second answered preload" not in log


def test_a_client_s_second_kernel_starts_before_its_first_is_taken(tmp_path, monkeypatch):
    """A worker without a kernel started ahead starts a client's two kernels together: the second
    is started (not waited for) before the first is taken, which may have to start one."""
    from dataclasses import replace

    from smmkit.batch import worker

    log: list = []

    class Pool:
        def another(self, *, wait: bool = True):
            log.append(f"another, wait={wait}")
            return _LoggingKernel("second", log)

        def take(self, *, ahead: bool = True):
            log.append("take")
            return _LoggingKernel("first", log)

    def stop(task, parameters, kernels, result):
        log.append([k.name for k in kernels])
        raise RuntimeError("stop here")

    monkeypatch.setattr(worker, "_kernel_pool", Pool)
    monkeypatch.setattr(worker, "_load", stop)
    task = replace(_tasks(1, write_client(tmp_path, "c0").parent)[0], kernels=2)
    with pytest.raises(RuntimeError, match="stop here"):
        worker._run_client(task, tmp_path, worker.ClientResult("c0", "c0"))
    assert log == ["another, wait=False", "take", ["first", "second"], "first shut down", "second shut down"]


class _JobKernel(_LoggingKernel):
    """A kernel stand-in whose jobs take ``seconds`` (outputs and pages alike), logged when done."""

    def __init__(self, name: str, log: list, *, seconds: float = 0.05, loads: bool = True) -> None:
        super().__init__(name, log)
        self.seconds, self.loads = seconds, loads

    def result(self, msg_id: str, what: str, *, timeout: int) -> str:
        time.sleep(0.2)  # loading the client
        return json.dumps({"warnings": [], "headline": {}} if self.loads else {"error": {}})

    def call(self, what: str, *args: str, timeout: int) -> str:
        if what == "outputs":
            time.sleep(self.seconds)
            self.log.append((self.name, "outputs"))
        return "/staging/report.xlsx" if what == "outputs" else "report.xlsx"


def _page_jobs(tmp_path, monkeypatch, kernels, *, seconds: dict[str, float]) -> tuple[list, list]:
    """Run worker._execute_pages for pages a..d on ``kernels`` (the second joining), pages taking
    ``seconds``; return the pages yielded and the jobs in the order they ran."""
    from dataclasses import replace

    from smmkit.batch import worker

    log = kernels[0].log
    pages = ["a", "b", "c", "d"]

    def page(self, notebook, name, kernel):
        time.sleep(seconds.get(name, 0.05))
        log.append((kernel.name, name))
        return f"executed {name}"

    monkeypatch.setattr(worker._Work, "page", page)
    task = replace(_tasks(1, tmp_path)[0], kernels=len(kernels), notebooks=tuple(Path(p) for p in pages))
    work = worker._Work(task, tmp_path, {})
    joining = [(k, "preload") for k in kernels[1:]]
    yielded = list(worker._execute_pages(work, pages, kernels, joining))
    assert work.workbook == "/staging/report.xlsx"
    return yielded, log


def test_a_client_s_kernels_start_the_jobs_that_took_longest_for_the_client_before(tmp_path, monkeypatch):
    """On two kernels, the first kernel starts at once, with the job that took longest for this
    worker's client before (here page c); the second, once it has loaded the client, takes the
    next longest, and so on; the pages still come in their order."""
    from smmkit.batch import worker

    monkeypatch.setattr(worker, "_SECONDS", {"a": 0.1, "b": 0.2, "c": 0.9, "d": 0.3, "outputs": 0.15})
    log: list = []
    kernels = [_JobKernel("first", log), _JobKernel("second", log)]
    yielded, ran = _page_jobs(tmp_path, monkeypatch, kernels, seconds={"c": 0.6})
    assert yielded == [(p, f"executed {p}") for p in "abcd"]
    assert ran == [("second", "d"), ("second", "b"), ("second", "outputs"), ("second", "a"), ("first", "c")]
    assert set(worker._SECONDS) == {"a", "b", "c", "d", "outputs"} and worker._SECONDS["c"] >= 0.6


def test_without_times_the_jobs_run_in_order_and_a_kernel_that_does_not_load_is_left_out(
    tmp_path, monkeypatch
):
    from smmkit.batch import worker

    monkeypatch.setattr(worker, "_SECONDS", {})
    log: list = []
    kernels = [_JobKernel("first", log), _JobKernel("second", log, loads=False)]
    yielded, ran = _page_jobs(tmp_path, monkeypatch, kernels, seconds={})
    assert yielded == [(p, f"executed {p}") for p in "abcd"]
    assert [e for e in ran if e != "second shut down"] == [
        ("first", job) for job in ("outputs", "a", "b", "c", "d")
    ]
    assert [k.name for k in kernels] == ["first"]
    assert "second shut down" in log


@pytest.mark.slow
def test_a_client_on_two_kernels_fails_on_its_first_failing_notebook(tmp_path):
    """One client, two slots: its notebooks run on two kernels at once. The third fails while the
    first two ran (or run); the client fails on it, the notebook kept beside the error, and the
    fourth never runs."""
    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    _notebook(nbs / "1-slow.ipynb", "import time\ntime.sleep(1)")
    _notebook(nbs / "2-fine.ipynb", "x = 1")
    _notebook(nbs / "3-bad.ipynb", "x = 1", "raise ValueError('bad page')")
    _notebook(nbs / "4-late.ipynb", "import time\ntime.sleep(2)", "x = 1")
    (client,) = [write_client(tmp_path / "clients", "solo")]
    result = run_reports([client], period=OCTOBER, out=tmp_path / "out", jobs=2, notebooks_dir=nbs,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    (solo,) = result.clients
    assert solo.status == "failed"
    assert solo.error == "3-bad.ipynb: cell 3 raised ValueError: bad page", solo.error
    assert (solo.notebook, solo.cell, solo.failed_notebook) == ("3-bad.ipynb", 3, "solo/bad.failed.ipynb")
    folder = result.period_dir / "solo"
    assert (folder / "bad.failed.ipynb").is_file()
    assert not (folder / "late.ipynb").exists() and not (folder / "late.failed.ipynb").exists()


@pytest.mark.slow
@pytest.mark.parametrize("how", ["start", "preload"])
def test_a_client_whose_second_kernel_fails_runs_on_its_first(meddling, tmp_path, monkeypatch, how):
    from smmkit.batch.kernel import ClientKernel, KernelError, KernelPool

    nbs, clients = meddling
    another = KernelPool.another

    def failing(self, **kwargs) -> ClientKernel:
        if how == "start":
            raise KernelError("kernel did not finish the warm-up within 60 s")
        kernel = another(self, **kwargs)
        kernel.km.shutdown_kernel(now=True)  # dies before it loads the client
        return kernel

    monkeypatch.setattr(KernelPool, "another", failing)
    result = run_reports(clients[:1], period=OCTOBER, out=tmp_path / "out", jobs=2, notebooks_dir=nbs,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    (ann,) = result.clients
    assert (ann.status, ann.error) == ("ok", None)
    pids = {_pid(result.period_dir / "ann" / f"{page}.ipynb") for page in ("first", "second")}
    assert len(pids) == 1, pids


class _Kernel:
    def __init__(self, started: list) -> None:
        started.append(self)

    def start(self):
        return self

    def ready(self):
        return self


@pytest.mark.parametrize(("n", "workers"), [(1, 1), (4, 1), (3, 2), (24, 2), (7, 3)])
def test_a_run_starts_one_kernel_per_client_and_leaves_none_unused(tmp_path, n, workers):
    """Workers of a process pool (here: in turn, as equal clients finish) each start one kernel
    as they start and take the tasks in order: every kernel started is one a client runs on."""
    from smmkit.batch.kernel import KernelPool
    from smmkit.batch.runner import kernels_ahead

    started: list[_Kernel] = []
    pools = [KernelPool(lambda: _Kernel(started)) for _ in range(workers)]
    for pool in pools:
        pool.start_ahead()  # the worker's initializer
    used = [
        pools[i % workers].take(ahead=t.kernel_ahead)
        for i, t in enumerate(kernels_ahead(_tasks(n, tmp_path), workers))
    ]
    assert len(set(map(id, used))) == n  # a kernel of its own per client
    assert len(started) == n  # and no kernel more: none warmed for nobody
    assert all(pool._next is None for pool in pools)


@pytest.mark.slow
@pytest.mark.parametrize("guarded", [True, False])
def test_a_notebook_waits_until_its_client_hears_the_kernel_s_iopub(tmp_path, monkeypatch, guarded):
    """A kernel client that subscribes to IOPub late (ZeroMQ's slow joiner, here made certain:
    the subscription reaches the kernel 0.5 s after the client starts) misses a quick first
    cell's outputs and status, and papermill then failed the notebook after 4 s ("Timeout waiting
    for IOPub output": a demo client in CI, now and then). The engine waits until the client
    hears IOPub (``guarded``); without that wait the same notebook fails, so the late
    subscription is real."""
    import asyncio

    import zmq
    from jupyter_client.asynchronous import AsyncKernelClient

    from smmkit.batch import kernel as kernel_module
    from smmkit.batch import worker
    from smmkit.errors import NotebookError

    def late_subscriber(self, identity=None):
        socket = self._create_connected_socket("iopub", identity=identity)
        asyncio.get_running_loop().call_later(0.5, socket.setsockopt, zmq.SUBSCRIBE, b"")
        return socket

    monkeypatch.setattr(AsyncKernelClient, "connect_iopub", late_subscriber)
    if not guarded:

        async def unguarded(client, timeout=60):
            return None

        monkeypatch.setattr(kernel_module, "subscribed", unguarded)
    _notebook(tmp_path / "quick.ipynb", "print('heard', client_dir)")
    kernel = kernel_module.ClientKernel("smmkit").start().ready()
    run = functools.partial(worker._execute, tmp_path / "quick.ipynb", tmp_path, "quick", {"client_dir": "ann"},
                            60, kernel)  # fmt: skip
    try:
        if not guarded:
            with pytest.raises(NotebookError) as failed:
                run()
            assert str(failed.value) == (
                "quick.ipynb: the kernel's output did not reach the runner (A cell timed out while it was "
                "being executed, after 4 seconds.)"
            )
            return
        executed = run()
    finally:
        kernel.shutdown()
    printed = [o["text"] for c in executed.cells for o in c.get("outputs", []) if "text" in o]
    assert printed == ["heard ann\n"]


class _FailingWorkbookKernel(_JobKernel):
    """A kernel whose workbook cannot be written."""

    def call(self, what: str, *args: str, timeout: int) -> str:
        from smmkit.batch.kernel import KernelError

        if what == "outputs":
            raise KernelError("outputs failed: OSError: [Errno 28] No space left on device")
        return super().call(what, *args, timeout=timeout)


def test_on_two_kernels_a_failing_workbook_fails_the_client_and_stops_the_pages(tmp_path, monkeypatch):
    """The workbook is a job like a page: when it fails, its error is the client's (not a
    skipped page's), and no job starts after it; the pages that ran before are not lost."""
    from smmkit.batch import worker
    from smmkit.batch.kernel import KernelError

    monkeypatch.setattr(worker, "_SECONDS", {"outputs": 1.0, "a": 0.5})  # the workbook first, then a
    log: list = []
    kernels = [_FailingWorkbookKernel("first", log), _JobKernel("second", log)]
    with pytest.raises(KernelError, match="No space left on device"):
        _page_jobs(tmp_path, monkeypatch, kernels, seconds={})
    assert log == []  # every page was skipped: the workbook failed before the second kernel joined


def test_a_kernel_s_preload_freezes_what_it_loaded(tmp_path):
    """kernel.preload keeps the client and its KPIs (alive as long as the kernel) out of the
    collector's sight: the collections of IPython's resets walk only what notebooks make."""
    import gc
    import shutil

    from smmkit.batch import kernel

    demo = Path(__file__).resolve().parents[2] / "data" / "clients" / "atelier-nord"
    client_dir = shutil.copytree(demo, tmp_path / "atelier-nord", ignore=shutil.ignore_patterns(".*"))
    gc.unfreeze()
    try:
        loaded = json.loads(kernel.preload(str(client_dir), "2026-10-01", "2026-10-28"))
        assert set(loaded) == {"warnings", "headline"}
        assert gc.get_freeze_count() > 0  # none before: unfrozen above
    finally:
        gc.unfreeze()  # this process goes on: its objects are collected again
