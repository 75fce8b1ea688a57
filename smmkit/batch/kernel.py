"""One kernel per client: started ahead, warmed with the imports, reset between notebooks.

A client's notebooks run one after another in one Jupyter kernel of its own (the last
clients of a run in two, each taking the next notebook: ``ClientTask.kernels``)
(:class:`ClientKernel`), through papermill with the ``smmkit`` engine
(:func:`register_engine`), which executes on that running kernel instead of starting one
per notebook. Before each notebook the kernel is reset (:data:`RESET_CODE`:
``%reset -f``, figures closed, matplotlib's rcParams and the working directory as they
were after the warm-up, a new history session counting cells from 1), so one notebook's variables
never reach the next. After the client the kernel is shut down: nothing ever crosses
clients.

A :class:`KernelPool` (one per worker process) keeps the next kernel ready: when a
client takes one, the next is started and warmed (:data:`WARM_CODE`: pandas,
matplotlib, seaborn and the kit imported) while the client runs.

The functions :func:`snapshot` and :func:`restore` run inside the kernel.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import random
import subprocess
import time
from collections.abc import Mapping
from typing import Any

__all__ = [
    "ENGINE_NAME",
    "RESET_CODE",
    "WARM_CODE",
    "ClientKernel",
    "KernelError",
    "KernelPool",
    "register_engine",
    "restore",
    "snapshot",
]

#: The papermill engine that runs a notebook on a :class:`ClientKernel`.
ENGINE_NAME = "smmkit"

#: Runs once in a new kernel: the imports every report notebook makes, then the state
#: that :func:`restore` brings back before each notebook.
WARM_CODE = """\
import matplotlib.pyplot, pandas, seaborn  # noqa
import smmkit.kpi.tables, smmkit.report.page, smmkit.report.plots, smmkit.report.theme  # noqa
from smmkit.batch import kernel as _smmkit_kernel
_smmkit_kernel.snapshot()
del _smmkit_kernel
"""

#: Runs before each notebook (``{cwd!r}``: the notebook's folder, as papermill's ``cwd``).
RESET_CODE = """\
get_ipython().reset(new_session=True)  # %reset -f, a new history session, cells counted from 1
from smmkit.batch import kernel as _smmkit_kernel
_smmkit_kernel.restore({cwd!r})
del _smmkit_kernel
"""

_STATE: dict[str, Any] = {}


def snapshot() -> None:
    """(In the kernel) remember matplotlib's rcParams and the working directory; take what
    the warm-up made out of the collector's sight (``gc.freeze``: IPython's reset before each
    notebook collects garbage, which then walks only what the notebooks made)."""
    import gc

    import matplotlib

    _STATE["rc"] = dict(matplotlib.rcParams)
    _STATE["cwd"] = os.getcwd()
    gc.collect()
    gc.freeze()


def restore(cwd: str | None = None) -> None:
    """(In the kernel) close every figure, forget which warnings were shown, bring back the
    rcParams of :func:`snapshot`, go to ``cwd`` (default: the warm-up's folder)."""
    import warnings

    import matplotlib
    import matplotlib.pyplot as plt

    plt.close("all")
    # warnings already shown once in this kernel show again, as in a fresh kernel: entering and
    # leaving catch_warnings invalidates every module's __warningregistry__
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(_STATE.get("rc", {}))
    os.chdir(cwd or _STATE.get("cwd") or os.getcwd())


def preload(client_dir: str, start: str, end: str) -> str:
    """(In the kernel) load the client and compute its KPIs for the period, memoised for the
    notebooks that follow (:func:`smmkit.report.page.open_page` finds them); return JSON for
    the runner: the client's validation warnings and the index's headline KPIs, or
    the input error (``message``, ``path``, ``line``, ``column``) that fails the client.

    The worker itself never loads the client: each client is loaded once, in its kernel. What
    it made lives as long as the kernel, which serves this client only: it is frozen out of the
    garbage collector's sight (``gc.freeze``), so the collection of IPython's reset before each
    notebook walks only what the notebooks made (the 3 demo clients' 15 resets: 0.23 -> 0.13 s).
    """
    import gc
    import json

    from smmkit.catalogue import page_keys
    from smmkit.errors import InputError
    from smmkit.kpi.result import number as json_number
    from smmkit.report.page import preload_page

    def number(value: Any) -> float | None:  # the manifest's headline values are floats
        value = json_number(value)
        return None if value is None else float(value)

    try:
        client, report = preload_page(client_dir, start=start, end=end)
    except InputError as exc:
        error = {"message": exc.message, "path": exc.path, "line": exc.line, "column": exc.column}
        return json.dumps({"error": error})
    gc.freeze()
    headline = {}
    for key in page_keys("index"):
        current, previous, comparable = report.compared(key)
        headline[key] = {
            "value": number(current),
            "change": number(report.change.total.get(key)),
            "previous": number(previous),
            "comparable": comparable,
        }
    return json.dumps({"warnings": [str(issue) for issue in client.warnings], "headline": headline})


def outputs(client_dir: str, start: str, end: str, folder: str, pdf: str = "") -> str:
    """(In the kernel) write the client's ``report.xlsx`` into ``folder`` (:mod:`smmkit.report.workbook`,
    from the memoised client and KPIs of :func:`preload`) and tell the pages which downloads sit
    beside them (:func:`smmkit.report.page.set_downloads`): the workbook, and the PDF named ``pdf``
    when one is made (``""``: none); return the workbook's path."""
    from pathlib import Path

    from smmkit.kpi.tables import period_posts
    from smmkit.report.i18n import Labels
    from smmkit.report.page import preload_page, set_downloads
    from smmkit.report.workbook import WORKBOOK_NAME, write_workbook

    client, report = preload_page(client_dir, start=start, end=end)
    config = client.config
    path = write_workbook(
        Path(folder) / WORKBOOK_NAME,
        report,
        period_posts(client, report.period),
        Labels(config.language, currency=config.currency),
        timezone=config.timezone,
    )
    set_downloads({"xlsx": path.name, "pdf": pdf})
    return str(path)


def downloads(pdf: str = "") -> str:
    """(In the kernel) tell the pages which downloads sit beside them, as :func:`outputs` does in
    the kernel that writes them, before it writes them: for a client's kernels when it has more
    than one (``ClientTask.kernels``); return the workbook's name."""
    from smmkit.report.page import set_downloads
    from smmkit.report.workbook import WORKBOOK_NAME

    set_downloads({"xlsx": WORKBOOK_NAME, "pdf": pdf})
    return WORKBOOK_NAME


class KernelError(RuntimeError):
    """The kernel could not be started, warmed or reset."""


_TEMPLATES: dict[tuple, Any] = {}


def _template(env: Mapping[str, str]):
    """This process's warm template for kernels of environment ``env``
    (:class:`smmkit.batch.template.Template`, started on first use), or None where kernels
    cannot be forked (not Linux) or the template died."""
    from smmkit.batch.template import FORK_SUPPORTED, Template

    if not FORK_SUPPORTED:
        return None
    key = tuple(sorted(env.items()))
    if key not in _TEMPLATES:
        _TEMPLATES[key] = Template({**os.environ, **env})
        _register_exit()
    template = _TEMPLATES[key]
    return template if template.alive() else None  # a failed template: kernels start as usual


def close_templates() -> None:
    """End this process's kernel templates."""
    for key, template in list(_TEMPLATES.items()):
        template.close()
        _TEMPLATES.pop(key, None)


#: Attempts to start a kernel: kernels started at once by parallel workers can race for
#: the same free TCP port (jupyter_client picks ports before binding them).
START_ATTEMPTS = 3


class ClientKernel:
    """A running kernel and its client, for one batch client's notebooks.

    :meth:`start` launches the process and sends :data:`WARM_CODE` without waiting;
    :meth:`ready` waits for it. :meth:`reset` runs :data:`RESET_CODE`;
    :meth:`shutdown` stops the kernel (immediately: its state is worthless afterwards).
    """

    def __init__(
        self,
        kernel_name: str,
        *,
        extra_arguments: list[str] | None = None,
        env: Mapping[str, str] | None = None,
        warm: bool = True,
        startup_timeout: int = 60,
        fork: bool = False,
    ) -> None:
        self.kernel_name = kernel_name
        self.extra_arguments = list(extra_arguments or [])
        self.env = dict(env or {})
        self.warm = warm
        self.startup_timeout = startup_timeout
        self.fork = fork
        self.km: Any = None
        self.kc: Any = None
        self._warm_id: str | None = None

    def start(self) -> ClientKernel:
        from jupyter_client.manager import KernelManager

        env = {**os.environ, **self.env}
        template = _template(self.env) if self.fork else None
        if template is not None:
            from smmkit.batch.template import ForkingKernelManager

            self.km = ForkingKernelManager(kernel_name=self.kernel_name)
            self.km.template = template
        else:
            self.km = KernelManager(kernel_name=self.kernel_name)
        # as nbclient starts its kernels: the history in memory, never in the user's database
        arguments = [*self.extra_arguments, "--HistoryManager.hist_file=:memory:"]
        self.km.start_kernel(extra_arguments=arguments, env=env)
        self.kc = self.km.client()  # the runner's own requests (warm-up, reset): no output wanted
        self.kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        if self.warm:
            self._warm_id = self.kc.execute(WARM_CODE, silent=True, store_history=False)
        return self

    def _wait(self, msg_id: str, timeout: float, what: str) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise KernelError(f"kernel did not finish {what} within {timeout:.0f} s")
            if not self.km.is_alive():
                raise KernelError(f"kernel died during {what}")
            try:
                reply = self.kc.get_shell_msg(timeout=min(remaining, 1.0))
            except Exception:  # noqa: BLE001 - queue.Empty: poll again
                continue
            if reply.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            content = reply["content"]
            if content.get("status") != "ok":
                raise KernelError(f"{what} failed: {content.get('ename')}: {content.get('evalue')}")
            return content

    def ready(self) -> ClientKernel:
        """Wait until the kernel answers (and the warm-up is done)."""
        if self._warm_id is not None:
            # the warm-up's reply proves the kernel answers (wait_for_ready would swallow it)
            self._wait(self._warm_id, self.startup_timeout, "the warm-up")
            self._warm_id = None
            return self
        try:
            self.kc.wait_for_ready(timeout=self.startup_timeout)
        except RuntimeError as exc:
            raise KernelError(str(exc)) from None
        return self

    def reset(self, cwd: str | os.PathLike[str] | None = None, *, timeout: float = 60) -> None:
        """Empty the namespace, close figures, restore rcParams, go to ``cwd``."""
        code = RESET_CODE.format(cwd=None if cwd is None else os.fspath(cwd))
        self._wait(self.kc.execute(code, silent=True, store_history=False), timeout, "the reset")

    def call(self, function: str, *args: str, timeout: float = 600) -> str:
        """Call ``smmkit.batch.kernel.<function>(*args)`` in the kernel; return its ``str`` result.

        The call leaves nothing in the notebooks' namespace (the next :meth:`reset` clears it anyway).
        """
        return self.result(self.send(function, *args), function, timeout=timeout)

    def send(self, function: str, *args: str) -> str:
        """Start :meth:`call` without waiting: the id that :meth:`result` waits for."""
        code = (
            "from smmkit.batch import kernel as _smmkit_kernel\n"
            f"_smmkit_result = _smmkit_kernel.{function}(*{list(args)!r})\n"
            "del _smmkit_kernel"
        )
        return self.kc.execute(
            code, silent=False, store_history=False, user_expressions={"r": "_smmkit_result"}
        )

    def result(self, msg_id: str, function: str, *, timeout: float = 600) -> str:
        """Wait for the call :meth:`send` started; return its ``str`` result."""
        import ast

        content = self._wait(msg_id, timeout, f"the call of {function}")
        value = content["user_expressions"]["r"]
        if value.get("status") != "ok":
            raise KernelError(f"{function} failed: {value.get('ename')}: {value.get('evalue')}")
        return ast.literal_eval(value["data"]["text/plain"])  # the repr of the str the function returned

    def notebook_client(self):
        """A new asynchronous client of this kernel, as nbclient wants it (it awaits the
        kernel's liveness while it waits for a cell, so a killed kernel is noticed at once),
        its channels started; :func:`subscribed` waits until it hears the kernel's IOPub."""
        from jupyter_client.asynchronous import AsyncKernelClient

        # a session of its own: the kernel routes replies by session id, so a shared one
        # would send the runner's replies to this client
        client = AsyncKernelClient(parent=self.km)
        client.load_connection_info(self.km.get_connection_info())
        client.start_channels()
        return client

    def is_alive(self) -> bool:
        return self.km is not None and self.km.is_alive()

    def shutdown(self) -> None:
        with contextlib.suppress(Exception):
            if self.kc is not None:
                self.kc.stop_channels()
        with contextlib.suppress(Exception):
            if self.km is not None and self.km.has_kernel:
                _kill_and_wait(self.km)
                self.km.shutdown_kernel(now=True)
        self.kc = self.km = None


def _kill_and_wait(km) -> None:
    """SIGKILL the kernel of ``km`` (its process group, as jupyter_client kills it) and wait until
    it has ended. ``shutdown_kernel(now=True)`` kills it too, but then polls it every 0.1 s: a
    kernel just killed still runs at the first poll, so each shutdown took 0.12 s of waiting, on
    the worker's way to its next client (a forked kernel's pidfd, or ``Popen.wait``, wakes as soon
    as it ends). ``shutdown_kernel`` then finds it ended and only cleans up."""
    from jupyter_core.utils import run_sync

    provisioner = km.provisioner
    process = getattr(provisioner, "process", None)
    if process is None:
        return
    run_sync(provisioner.kill)()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=5)


#: How long :func:`subscribed` listens for the kernel's IOPub before it asks again.
IOPUB_PING_S = 0.5


async def subscribed(client, timeout: float = 60) -> None:
    """Return once ``client`` (an asynchronous kernel client, channels started) hears the
    kernel's IOPub; raise :class:`KernelError` when the kernel dies or ``timeout`` passes first.

    A new ZeroMQ subscriber misses whatever the kernel publishes before its subscription has
    reached the kernel (ZeroMQ's "slow joiner"). A notebook's first cell, when quick, can then
    finish unheard: nbclient gets the cell's reply but never its outputs and idle status, and
    fails the notebook after 4 s ("Timeout waiting for IOPub output", papermill's
    ``raise_on_iopub_timeout``), on a loaded machine now and then. jupyter_client's
    ``wait_for_ready`` guards the same way and then drains IOPub for 0.2 s; here the first
    message is proof enough: the kernel announces each new subscriber (ipykernel's
    ``iopub_welcome``) and publishes its status for each ``kernel_info`` request, the ping.
    Whatever the kernel publishes afterwards reaches the client. (The replies and statuses of
    the pings are never read: nbclient takes only the messages of its own requests.)
    """
    import queue

    deadline = time.monotonic() + timeout
    while True:
        client.kernel_info()
        try:
            await client.get_iopub_msg(timeout=IOPUB_PING_S)
            return
        except queue.Empty:
            pass
        if not await client.is_alive():
            raise KernelError("kernel died before a notebook could run on it")
        if time.monotonic() > deadline:
            raise KernelError(f"kernel's IOPub channel did not answer within {timeout:.0f} s")


def _start_ready(factory) -> ClientKernel:
    """Start a kernel and wait for it, retrying a start that lost a port race."""
    for attempt in range(1, START_ATTEMPTS + 1):
        kernel = factory().start()
        try:
            return kernel.ready()
        except KernelError:
            kernel.shutdown()
            if attempt == START_ATTEMPTS:
                raise
            time.sleep(0.2 * attempt + random.random() * 0.5)
    raise AssertionError("unreachable")  # pragma: no cover


class KernelPool:
    """Ready kernels for the clients of one worker process.

    :meth:`take` hands out a warmed kernel (the one started ahead, else a new one) and,
    with ``ahead``, starts the next one at once, so its start and imports overlap the
    client's notebooks. A kernel is never given out twice: the caller shuts it down.
    """

    def __init__(self, factory, *, ahead: bool = True) -> None:
        self.factory = factory
        self.ahead = ahead
        self._next: ClientKernel | None = None
        self._closed = False

    def start_ahead(self) -> None:
        """Start (and warm) the next kernel now, if none is on its way: a worker process calls it
        as it starts, so the first client's kernel boots while the worker imports the kit."""
        if self._next is None and not self._closed:
            with contextlib.suppress(Exception):
                self._next = self.factory().start()

    def take(self, *, ahead: bool = True) -> ClientKernel:
        """A warmed kernel; with ``ahead`` (and the pool's ``ahead``) the next one starts at once.
        The runner passes ``ahead=False`` for a worker's last clients, whose next kernel nobody
        would take (its start and imports would only compete with the clients still running)."""
        kernel, self._next = self._next, None
        if kernel is not None:
            try:
                kernel.ready()
            except KernelError:
                kernel.shutdown()
                kernel = None
        if kernel is None:
            kernel = _start_ready(self.factory)
        if self.ahead and ahead:
            self.start_ahead()
        return kernel

    def another(self, *, wait: bool = True) -> ClientKernel:
        """A new warmed kernel, started now and never the one started ahead (a client's second
        kernel); the caller shuts it down. With ``wait=False`` it is only started: the caller
        waits for it (:meth:`ClientKernel.ready`) when it needs it."""
        return _start_ready(self.factory) if wait else self.factory().start()

    def close(self) -> None:
        self._closed = True
        if self._next is not None:
            self._next.shutdown()
            self._next = None


_POOLS: dict[tuple, KernelPool] = {}


def pool_for(key: tuple, factory, *, ahead: bool = True) -> KernelPool:
    """This process's pool for ``key`` (kernel name, arguments, environment), closed at exit."""
    pool = _POOLS.get(key)
    if pool is None:
        pool = _POOLS[key] = KernelPool(factory, ahead=ahead)
        _register_exit()
    return pool


def close_pools() -> None:
    """Shut down every kernel started ahead in this process."""
    for key, pool in list(_POOLS.items()):
        pool.close()
        _POOLS.pop(key, None)
    close_templates()


_EXIT_REGISTERED = False


def _register_exit() -> None:
    from multiprocessing import util

    global _EXIT_REGISTERED
    if _EXIT_REGISTERED:
        return
    _EXIT_REGISTERED = True
    atexit.register(close_pools)
    # a worker of a process pool leaves through os._exit: atexit does not run there
    util.Finalize(None, close_pools, exitpriority=100)


def __getattr__(name: str) -> Any:
    """``KernelEngine``, the papermill engine class, built on first use (papermill's entry point
    ``smmkit = "smmkit.batch.kernel:KernelEngine"`` loads it, so importing this module does not
    import papermill)."""
    if name == "KernelEngine":
        return _engine_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _notebook_client_class():
    from nbclient.util import run_hook, run_sync
    from papermill.clientwrap import PapermillNotebookClient

    class NotebookClient(PapermillNotebookClient):
        """papermill's notebook client on the running ``kernel`` (a :class:`ClientKernel`):
        its kernel client is a new one of that kernel, used once it hears IOPub
        (:func:`subscribed`). nbclient neither starts nor stops the kernel."""

        def __init__(self, nb_man, *, kernel: ClientKernel, **kwargs) -> None:
            super().__init__(nb_man, km=kernel.km, **kwargs)
            self.kernel = kernel

        async def async_start_new_kernel_client(self):
            self.kc = self.kernel.notebook_client()
            await subscribed(self.kc, self.startup_timeout)
            self.kc.allow_stdin = False
            await run_hook(self.on_notebook_start, notebook=self.nb)
            return self.kc

        start_new_kernel_client = run_sync(async_start_new_kernel_client)

    return NotebookClient


@functools.cache
def _engine_class():
    import nbformat
    from papermill.engines import NBClientEngine, logger

    NotebookClient = _notebook_client_class()

    class KernelEngine(NBClientEngine):
        """A papermill engine (``engine_name="smmkit"``) that runs the notebook on ``kernel``,
        a started :class:`ClientKernel`, and leaves it running."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            *,
            kernel: ClientKernel,
            save_on_error: str | None = None,
            **kwargs,
        ):
            kwargs.pop("input_path", None)
            client = NotebookClient(
                nb_man,
                kernel=kernel,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                **kwargs,
            )
            try:
                return client.execute()
            except Exception:
                # a timeout or a dead kernel: keep what ran (papermill saves a cell's error itself)
                if save_on_error:
                    nbformat.write(nb_man.nb, save_on_error)
                raise
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()

    return KernelEngine


def register_engine() -> str:
    """Register the papermill engine :data:`ENGINE_NAME` (idempotent); return its name.

    It is papermill's nbclient engine, except that it runs the notebook on the running
    kernel passed as ``kernel=`` (a :class:`ClientKernel`) and leaves that kernel running;
    when a cell times out or the kernel dies, it writes the notebook so far to
    ``save_on_error=`` (papermill itself saves the notebook of a cell that raised).
    """
    from papermill.engines import papermill_engines
    from papermill.exceptions import PapermillException

    try:  # registered by papermill itself, through the kit's ``papermill.engine`` entry point
        papermill_engines.get_engine(ENGINE_NAME)
    except PapermillException:  # a kit installed before the entry point existed
        papermill_engines.register(ENGINE_NAME, _engine_class())
    return ENGINE_NAME
