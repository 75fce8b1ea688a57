"""Kernels forked from a warm template (smmkit/batch/template.py, issue 25): a kernel starts
with the imports done, from a template that runs no client code, so nothing of one client's
kernel is in the next; where kernels cannot be forked they start as before."""

from __future__ import annotations

import ast
import datetime as dt
import gc
import io
import os
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from smmkit.batch import kernel as kernel_module
from smmkit.batch import template as template_module
from smmkit.batch.kernel import ClientKernel
from smmkit.batch.template import COLLECT_AFTER, _kernel_argv
from smmkit.batch.worker import KERNEL_ARGS, KERNEL_ENV, KERNEL_NAME

linux_only = pytest.mark.skipif(not template_module.FORK_SUPPORTED, reason="kernels are forked on Linux only")


@pytest.mark.parametrize(
    ("command", "argv"),
    [
        ([sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"], ["-f", "c.json"]),
        (
            [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "c.json", "--x=1"],
            ["-f", "c.json", "--x=1"],
        ),  # fmt: skip
        ([sys.executable, "-m", "other_kernel", "-f", "c.json"], None),  # another kernel
        ([sys.executable, "-u", "-m", "ipykernel_launcher", "-f", "c.json"], None),  # an option of its own
        (["/usr/bin/env", "python3", "-m", "ipykernel_launcher", "-f", "c.json"], None),  # another Python
        ([sys.executable, "kernel.py"], None),
    ],
)
def test_only_this_interpreter_s_ipykernel_is_forked(command, argv):
    assert _kernel_argv(command) == argv


def _evaluate(kernel: ClientKernel, code: str, expression: str):
    """Run ``code`` in the kernel, then return the value of ``expression`` there."""
    msg_id = kernel.kc.execute(code, silent=False, store_history=False, user_expressions={"r": expression})
    content = kernel._wait(msg_id, 60, "the test's code")
    value = content["user_expressions"]["r"]
    assert value["status"] == "ok", value
    return ast.literal_eval(value["data"]["text/plain"])


def _kernel(**kwargs) -> ClientKernel:
    kwargs.setdefault("fork", True)
    return ClientKernel(KERNEL_NAME, extra_arguments=KERNEL_ARGS, env=KERNEL_ENV, **kwargs).start().ready()


PROBE = "import os, sys, pandas, matplotlib, smmkit.report.theme as theme"
#: The kernel's parent, whether the kit and its stack were imported before the kernel ran any
#: code, and the state a client could leave behind in imported modules.
STATE = (
    "(os.getppid(), {m for m in ('pandas', 'seaborn', 'smmkit.report.plots') if m in PRELOADED},"
    " pandas.get_option('display.max_rows'), matplotlib.rcParams['lines.linewidth'],"
    " hasattr(theme, 'LEFT_BY_A_CLIENT'))"
)


@pytest.mark.slow
@linux_only
def test_kernels_are_forked_from_the_warm_template_and_nothing_of_one_reaches_the_next():
    first = _kernel(warm=False)
    try:
        template = kernel_module._template(KERNEL_ENV)
        assert template is not None and template.alive()
        parent, preloaded, rows, width, leftover = _evaluate(
            first, f"import sys\nPRELOADED = set(sys.modules)\n{PROBE}", STATE
        )
        assert parent == template.proc.pid  # forked by the template, not started by this process
        assert preloaded == {"pandas", "seaborn", "smmkit.report.plots"}  # no import to pay
        # the template paused the collector while it imported, not for its kernels, which
        # collect their young garbage less often than Python's default (collect_less)
        assert _evaluate(first, "import gc", "(gc.isenabled(), gc.get_threshold())") == (
            True,
            (COLLECT_AFTER, *gc.get_threshold()[1:]),
        )
        # ipykernel's debugger (debugpy, pydevd: 0.08 s of CPU) left out of a batch kernel
        assert _evaluate(first, "", "(sys.modules.get('debugpy', 0), '_pydevd_bundle' in sys.modules)") == (
            None,
            False,
        )
        # a client changes what it can in the modules it shares with the template
        _evaluate(
            first,
            "pandas.set_option('display.max_rows', 3)\nmatplotlib.rcParams['lines.linewidth'] = 7.5\n"
            "theme.LEFT_BY_A_CLIENT = 1",
            "1",
        )
        second = _kernel(warm=False)
        try:
            state = _evaluate(second, f"import sys\nPRELOADED = set(sys.modules)\n{PROBE}", STATE)
            assert state[0] == template.proc.pid
            assert second.km.provisioner.pid != first.km.provisioner.pid
            assert state[2:] == (rows, width, False)  # the template's state, not the first client's
            assert rows != 3 and width != 7.5
        finally:
            second.shutdown()
    finally:
        first.shutdown()


@pytest.mark.slow
@linux_only
def test_a_forked_kernel_that_dies_is_seen_dead_and_shut_down_without_error():
    kernel = _kernel()
    pid = kernel.km.provisioner.pid
    os.kill(pid, 9)
    kernel.km.provisioner.process.wait(timeout=30)
    assert not kernel.is_alive()
    kernel.shutdown()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


@pytest.mark.slow
def test_where_kernels_cannot_be_forked_they_start_as_before(monkeypatch):
    monkeypatch.setattr(template_module, "FORK_SUPPORTED", False)
    kernel = _kernel(warm=False)
    try:
        assert kernel_module._template(KERNEL_ENV) is None
        assert _evaluate(kernel, "import os", "os.getppid()") == os.getpid()  # this process's child
    finally:
        kernel.shutdown()


@pytest.mark.slow
@linux_only
def test_a_run_renders_every_client_on_a_kernel_forked_from_a_template(tmp_path):
    """The workers of ``smmkit run`` fork their clients' kernels (one template per worker, itself
    forked from its worker)."""
    from smmkit.batch.runner import run_reports
    from smmkit.kpi.periods import Period

    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "smmkit", "display_name": "Python (smmkit)", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell('client_dir = ""\nstart = ""\nend = ""', metadata={"tags": ["parameters"]}),
        # a figure left open shows at the cell's end, as in a fresh kernel (the inline backend's
        # hook into IPython: never imported before the kernel's IPython runs)
        nbformat.v4.new_code_cell("import matplotlib.pyplot as plt\nplt.plot([1, 2])"),
        nbformat.v4.new_code_cell(
            "import os, sys\n"
            "def cmdline(pid): return open(f'/proc/{pid}/cmdline').read().split(chr(0))\n"
            "def ppid(pid): return int(open(f'/proc/{pid}/stat').read().rsplit(') ', 1)[1].split()[1])\n"
            "print('parent', [sys.modules['smmkit.batch.template'].SERVING, 'papermill' in sys.modules,"
            " '_pydevd_bundle' in sys.modules,"
            " cmdline(os.getppid()), cmdline(ppid(os.getppid()))])"
        ),
    ]
    nbformat.write(nb, str(nbs / "1-first.ipynb"))
    clients = []
    for slug in ("ann", "bob", "cyd"):
        (tmp_path / "clients" / slug / "exports").mkdir(parents=True)
        (tmp_path / "clients" / slug / "client.yaml").write_text(f"name: {slug}\n", encoding="utf-8")
        clients.append(tmp_path / "clients" / slug)
    result = run_reports(clients, period=Period(dt.date(2026, 10, 1), dt.date(2026, 10, 28)),
                         out=tmp_path / "out", jobs=2, notebooks_dir=nbs,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert [(c.slug, c.status, c.error) for c in result.clients] == [
        (s, "ok", None) for s in ("ann", "bob", "cyd")
    ]
    for slug in ("ann", "bob", "cyd"):
        executed = nbformat.read(str(Path(result.period_dir) / slug / "first.ipynb"), as_version=4)
        text = "".join(o.get("text", "") for o in executed.cells[-1].outputs)
        serving, worker_stack, debugger, parent, grandparent = ast.literal_eval(
            text.split("parent", 1)[1].strip()
        )
        assert any("image/png" in o.get("data", {}) for o in executed.cells[-2].outputs), slug
        assert serving  # forked by a template
        # the template is a fork of its worker, which the forkserver forked with the whole stack
        # imported (the kernel has the worker's papermill): all three share the forkserver's command
        assert worker_stack
        assert not debugger  # ipykernel's debugger is left out (template.import_warm_modules)
        assert parent == grandparent and "multiprocessing.forkserver" in " ".join(parent), parent


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:  # a zombie not yet collected has ended too
        return stat.read().rsplit(")", 1)[1].split()[0] == "Z"


@pytest.mark.slow
@linux_only
@pytest.mark.parametrize("fork", [True, False])
def test_a_shut_down_kernel_has_ended_with_what_it_started(fork):
    """:meth:`ClientKernel.shutdown` kills the kernel's process group (a process a notebook started
    dies with it) and returns once the kernel has ended, forked or started as usual."""
    kernel = _kernel(fork=fork)
    pid = kernel.km.provisioner.pid
    child = _evaluate(kernel, "import subprocess\nchild = subprocess.Popen(['sleep', '120'])", "child.pid")
    assert not _gone(pid) and not _gone(child)
    kernel.shutdown()
    assert _gone(pid)  # at once: no wait after shutdown returned
    assert kernel.km is None
    deadline = time.monotonic() + 10
    while not _gone(child) and time.monotonic() < deadline:  # the signal reaches the group's other member
        time.sleep(0.01)
    assert _gone(child)


def test_smmkit_run_collects_less_and_gives_its_process_back_as_it_was(monkeypatch, tmp_path):
    """The CLI's ``run`` raises the young generation's threshold for the run only: ``main`` may
    run in a user's process (a notebook), which keeps its own."""
    from smmkit import cli
    from smmkit.batch import runner

    seen = []

    def run_reports(*args, **kwargs):
        seen.append(gc.get_threshold())
        return SimpleNamespace(exit_code=0)

    monkeypatch.setattr(runner, "run_reports", run_reports)
    monkeypatch.setattr(runner, "start_workers_early", lambda *args, **kwargs: False)
    before = gc.get_threshold()
    gc.set_threshold(700, *before[1:])  # Python's default, whatever ran in this process before
    try:
        assert cli.main(["run", "--start", "2026-10-01", "--end", "2026-10-28", "--out", str(tmp_path)]) == 0
        assert seen == [(COLLECT_AFTER, *before[1:])]
        assert gc.get_threshold() == (700, *before[1:])
    finally:
        gc.set_threshold(*before)


def test_what_a_warm_process_imports_is_kept_out_of_collection():
    """The collector is paused while a warm process imports, and what it made frozen after (the
    forkserver's batch.warm and a template's imports), also when an import fails."""
    import gc

    from smmkit.batch.template import kept_out_of_collection

    gc.unfreeze()
    try:
        with pytest.raises(ImportError), kept_out_of_collection():
            assert not gc.isenabled()
            raise ImportError("an import failed")
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # none before: unfrozen above
    finally:
        gc.unfreeze()  # this process goes on: its objects are collected again
