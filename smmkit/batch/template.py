"""Kernels forked from a warm template (Linux): no client pays the imports.

:class:`Template` starts ``python -m smmkit.batch.template``: a process that imports what
every report notebook imports (pandas, matplotlib, seaborn, the kit, ipykernel) and then,
for each request on its standard input, forks a kernel. The template runs no client code,
opens no ZMQ context and starts no thread (it checks, and refuses to serve otherwise), so
every kernel starts from the same pristine state and nothing of one client reaches the
next. The forked child starts a new session, takes the environment and folder the kernel
manager asked for, and only then starts its kernel application (ZMQ, threads).

:class:`ForkingKernelManager` is jupyter_client's kernel manager, except that it asks a
template for the kernel process instead of starting ``python -m ipykernel_launcher``; a
kernel spec of another command, or a template that failed, falls back to the usual start.

A worker process that already imported all of it (forked by the runner's forkserver, which
imported :mod:`smmkit.batch.warm` once for every worker) makes its template by forking itself
instead (:func:`_fork_template`), before it opens any ZMQ context or thread: then no process of
the run but the forkserver pays the imports. Elsewhere the template is ``python -m`` this module.

Protocol (one JSON object a line): the template writes ``{"ready": true}`` once warm; each
request ``{"argv": [...], "env": {...}, "cwd": "..."}`` is answered ``{"pid": N}``. The
template exits when its standard input closes (its worker ended), and its kernels die with it.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import os
import select
import signal
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["FORK_SUPPORTED", "ForkedProcess", "Template", "TemplateError"]

#: Forking a warm template is for Linux only (macOS forbids forking after some system
#: frameworks load; Windows has no fork): elsewhere kernels start as usual.
FORK_SUPPORTED = sys.platform.startswith("linux") and hasattr(os, "fork")

#: The modules a template imports before it forks (:func:`import_warm_modules`): those of
#: :data:`smmkit.batch.kernel.WARM_CODE`, the kernel application's own, and what every client's
#: kernel imported on first use (listed from ``sys.modules`` of the demo clients' kernels: the
#: export readers (openpyxl among them), the SVG backend, the workbook's xlsxwriter; about 0.25 s
#: of CPU per kernel). Never
#: ``matplotlib_inline.backend_inline``: importing it hooks figures into the running IPython, and
#: imported here, where none runs, a kernel would never show a figure a cell leaves open.
WARM_MODULES = (
    "matplotlib.pyplot",
    "pandas",
    "seaborn",
    "smmkit.kpi.tables",
    "smmkit.report.page",
    "smmkit.report.plots",
    "smmkit.report.theme",
    "ipykernel.kernelapp",
    "ipykernel.debugger",
    "matplotlib.backends.backend_svg",
    "smmkit.io.loading",
    "smmkit.report.findings",
    "smmkit.report.forecast",
    "smmkit.report.workbook",
    "openpyxl",
    "xlsxwriter",
    "pyarrow.parquet",
    "psutil",
    "sqlite3",
)


@contextlib.contextmanager
def kept_out_of_collection() -> Iterator[None]:
    """What is made inside (a warm process's imports, which live as long as the process) is kept
    out of the garbage collector's sight, as the ``gc.freeze`` documentation advises for a
    process that forks without exec: the collector paused inside, what is made frozen after.

    Its automatic full passes over the growing heap of imported modules were 0.12 s of the
    forkserver's 1.3 s of imports, before any kernel could start, and a last collection before
    the freeze 0.1 s more (the imports leave ~6,000 objects of cyclic garbage, frozen with the
    rest: a few hundred KB, never written to). No later collection of this process or of the
    processes it forks walks those objects again (every ``gc.collect`` of a kernel, e.g.
    IPython's at each reset, walks only the client's) nor writes into the pages a forked
    process shares with it. The collector runs again after.
    """
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


#: The collector's first threshold in the processes of a run (Python's is 700): a run makes and
#: drops many small containers (matplotlib's artists and transforms, pandas' indexes, notebook
#: JSON). For the 3 demo clients the collector ran 1,300 times for 0.39 s of CPU at 700, 240
#: times for 0.21 s at 10,000 (most of it the full collections of IPython's reset before each
#: page); the run's CPU fell by about 2 % (medians of 6 runs each, in turn). 10,000 is still a
#: young generation of a few MB; the other thresholds stay.
COLLECT_AFTER = 10_000


def collect_less() -> None:
    """Let this process (and those it forks) collect its young garbage every
    :data:`COLLECT_AFTER` allocations instead of Python's 700: for the processes a batch run
    starts, never for a user's own (a notebook opened in JupyterLab keeps Python's defaults;
    ``smmkit run`` itself: :func:`collecting_less`)."""
    gc.set_threshold(COLLECT_AFTER, *gc.get_threshold()[1:])


@contextlib.contextmanager
def collecting_less() -> Iterator[None]:
    """:func:`collect_less` inside the block, the thresholds of before restored after (the CLI's
    ``main`` may run in a user's process)."""
    before = gc.get_threshold()
    collect_less()
    try:
        yield
    finally:
        gc.set_threshold(*before)


def import_warm_modules() -> None:
    """Import :data:`WARM_MODULES`, with ipykernel's debugger left out.

    ipykernel builds a debugger when it can import debugpy, which brings pydevd and xmlrpc
    (0.08 s of CPU in every run's forkserver, before any kernel starts); nothing attaches a
    debugger to a batch kernel. Marked as missing in ``sys.modules`` (Python's own way: the
    import then fails, ipykernel's ``_is_debugpy_available`` is false), unless this process
    imported it already. Only this process and the kernels it forks are concerned.
    """
    import importlib

    sys.modules.setdefault("debugpy", None)
    for module in WARM_MODULES:
        importlib.import_module(module)


_PR_SET_PDEATHSIG = 1


class TemplateError(RuntimeError):
    """The template could not start or fork a kernel."""


def _die_with_parent() -> None:
    """Ask Linux to kill this process when its parent ends (best effort)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


class ForkedProcess:
    """The ``Popen`` face of a kernel forked by a template (not this process's child).

    Its end is seen through a pidfd (Linux 5.3+), else through ``kill(pid, 0)`` (the
    template collects its ended kernels at once, on SIGCHLD). The exit status is not known here: an ended
    kernel reads as ``returncode`` -9.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._pidfd: int | None = None
        with contextlib.suppress(AttributeError, OSError):
            self._pidfd = os.pidfd_open(pid)

    def poll(self) -> int | None:
        """The return code once the kernel ended, else None (as ``Popen.poll``)."""
        if self.returncode is not None:
            return self.returncode
        if self._pidfd is not None:
            ended = bool(select.select([self._pidfd], [], [], 0)[0])
        else:
            try:
                os.kill(self.pid, 0)
                ended = False
            except ProcessLookupError:
                ended = True
            except PermissionError:
                ended = False
        if ended:
            self.returncode = -signal.SIGKILL
            if self._pidfd is not None:
                os.close(self._pidfd)
                self._pidfd = None
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait until the kernel ends (``subprocess.TimeoutExpired`` after ``timeout`` s)."""
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout or 0)
            if self._pidfd is not None:
                select.select([self._pidfd], [], [], 0.1)
            else:
                time.sleep(0.05)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel, if it still runs."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signum)

    def kill(self) -> None:
        """SIGKILL the kernel."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """SIGTERM the kernel."""
        self.send_signal(signal.SIGTERM)


class Template:
    """A warm template process (started at once, in the background) that forks kernels.

    Parameters
    ----------
    env : mapping, optional
        The template's environment (default: this process's); set what the imports read
        (e.g. ``MPLBACKEND``) here.
    """

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self._lock = threading.Lock()
        self._ready = False
        #: Set when a fork failed: the template is not asked again.
        self.failed = False
        env = dict(os.environ if env is None else env)
        self.proc: subprocess.Popen | _ForkedTemplate
        if _warm_here(env):
            self.proc = _fork_template()
        else:
            self.proc = subprocess.Popen(
                [sys.executable, "-Xfrozen_modules=off", "-m", "smmkit.batch.template"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                text=True,
                bufsize=1,
            )

    def _reply(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        if not select.select([self.proc.stdout], [], [], timeout)[0]:
            raise TemplateError(f"the kernel template did not answer within {timeout:.0f} s")
        line = self.proc.stdout.readline()
        if not line:
            raise TemplateError(f"the kernel template ended (exit code {self.proc.wait()})")
        reply = json.loads(line)
        if "error" in reply:
            raise TemplateError(reply["error"])
        return reply

    def fork(self, argv: list[str], env: dict[str, str], cwd: str, *, timeout: float = 60) -> int:
        """Fork a kernel started with the kernel application's ``argv``; return its pid."""
        with self._lock:
            try:
                if not self._ready:
                    self._reply(timeout)
                    self._ready = True
                assert self.proc.stdin is not None
                self.proc.stdin.write(json.dumps({"argv": argv, "env": env, "cwd": cwd}) + "\n")
                self.proc.stdin.flush()
                return int(self._reply(timeout)["pid"])
            except (OSError, ValueError) as exc:
                raise TemplateError(f"the kernel template failed: {exc}") from None

    def alive(self) -> bool:
        """Whether the template can still be asked for kernels."""
        return not self.failed and self.proc.poll() is None

    def close(self) -> None:
        """End the template (its standard input closed; killed if it lingers)."""
        with contextlib.suppress(Exception):
            if self.proc.stdin:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        with contextlib.suppress(Exception):
            if self.proc.stdout:
                self.proc.stdout.close()


class _ForkedTemplate(ForkedProcess):
    """A template forked by this process (:func:`_fork_template`): a :class:`ForkedProcess` with
    the request and reply pipes, whose end is collected here (it is this process's child)."""

    def __init__(self, pid: int, stdin, stdout) -> None:
        super().__init__(pid)
        self.stdin, self.stdout = stdin, stdout

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # collected already
                pid, status = self.pid, -signal.SIGKILL
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status) if status >= 0 else status
                if self._pidfd is not None:
                    os.close(self._pidfd)
                    self._pidfd = None
        return self.returncode


def _warm_here(env: dict[str, str]) -> bool:
    """Whether this process can fork its template itself: on Linux, with :mod:`smmkit.batch.warm`
    imported under the environment asked for (what it set, e.g. ``MPLBACKEND``, decided how
    matplotlib was imported) and no thread running."""
    warm = sys.modules.get("smmkit.batch.warm")
    return (
        FORK_SUPPORTED
        and warm is not None
        and all(env.get(key) == value for key, value in warm.IMPORT_ENV.items())
        and threading.active_count() == 1
    )


def _leave(code: int) -> None:
    """End a process forked from a worker (its template, the template's kernels) with
    ``os._exit``, as a forked child should: the interpreter's exit would run the exit handlers
    it inherited from the worker (e.g. shutting down the worker's kernel pool)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()
    os._exit(code)


def _fork_template() -> _ForkedTemplate:
    """Fork this (warm, thread-free) process into a template serving on two pipes."""
    requests_r, requests_w = os.pipe()
    replies_r, replies_w = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # nothing buffered here is written twice
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(requests_w)
            os.close(replies_r)
            code = _serve(os.fdopen(requests_r, encoding="utf-8"), replies_w, leave=_leave)
        except BaseException:  # noqa: BLE001 - the worker sees the template end and starts kernels as usual
            traceback.print_exc()
        finally:
            _leave(code)
    os.close(requests_r)
    os.close(replies_w)
    return _ForkedTemplate(
        pid, os.fdopen(requests_w, "w", encoding="utf-8", buffering=1), os.fdopen(replies_r, encoding="utf-8")
    )


#: The name of :class:`ForkProvisioner` among jupyter_client's kernel provisioners.
PROVISIONER_NAME = "smmkit-fork"


@functools.cache
def _provisioner_class():
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        """jupyter_client's local provisioner, except that the kernel of a
        :class:`ForkingKernelManager` is forked by its template."""

        async def launch_kernel(self, cmd: list[str], **kwargs: Any):
            """Ask the manager's template for the kernel; start it as usual where it cannot fork."""
            template = getattr(self.parent, "template", None)
            argv = _kernel_argv(cmd)
            if template is None or argv is None or not template.alive():
                return await super().launch_kernel(cmd, **kwargs)
            env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
            cwd = os.fspath(kwargs.get("cwd") or os.getcwd())
            try:
                pid = template.fork(argv, env, cwd)
            except TemplateError:
                template.failed = True  # this kernel and the next start as usual
                return await super().launch_kernel(cmd, **kwargs)
            self.process = ForkedProcess(pid)  # type: ignore[assignment]
            self.pid, self.pgid, self.cwd = pid, pid, cwd  # the child leads its own session
            return self.connection_info

    return ForkProvisioner


@functools.cache
def _manager_class():
    from importlib.metadata import EntryPoint

    from jupyter_client.manager import KernelManager
    from jupyter_client.provisioning import KernelProvisionerFactory

    # found by name as if installed through the entry point group jupyter_client reads
    KernelProvisionerFactory.instance().provisioners[PROVISIONER_NAME] = EntryPoint(
        name=PROVISIONER_NAME,
        value=f"{__name__}:ForkProvisioner",
        group="jupyter_client.kernel_provisioners",
    )

    class ForkingKernelManager(KernelManager):
        """A kernel manager whose kernel is forked by ``template`` (a :class:`Template`): its
        kernel spec names :class:`ForkProvisioner`."""

        template: Template | None = None

        @property
        def kernel_spec(self):
            """The kernel spec, with :data:`PROVISIONER_NAME` as its provisioner."""
            spec = super().kernel_spec
            if spec is not None and spec.metadata.get("kernel_provisioner") is None:
                spec.metadata = {
                    **spec.metadata,
                    "kernel_provisioner": {"provisioner_name": PROVISIONER_NAME},
                }
            return spec

    return ForkingKernelManager


def _kernel_argv(kernel_cmd: list[str]) -> list[str] | None:
    """The kernel application's arguments of ``python [-X OPTION...] -m ipykernel_launcher ARGS``
    run by this interpreter, else None (another command: not forkable). The interpreter's ``-X``
    options (ipykernel's spec has ``-Xfrozen_modules=off``, for its debugger) are the template's."""
    try:
        at = kernel_cmd.index("-m")
    except ValueError:
        return None
    if kernel_cmd[at + 1 : at + 2] != ["ipykernel_launcher"]:
        return None
    if not all(option.startswith("-X") for option in kernel_cmd[1:at]):
        return None
    with contextlib.suppress(OSError):
        if Path(kernel_cmd[0]).resolve() == Path(sys.executable).resolve():
            return list(kernel_cmd[at + 2 :])
    return None


def __getattr__(name: str) -> Any:
    """``ForkingKernelManager`` and ``ForkProvisioner``, built on first use (importing this module imports no Jupyter)."""
    if name == "ForkingKernelManager":
        return _manager_class()
    if name == "ForkProvisioner":
        return _provisioner_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _child(request: dict[str, Any], out_fd: int, requests_fd: int) -> None:
    """(In the forked child) become the kernel: new session, the asked environment and folder."""
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _die_with_parent()
    os.close(out_fd)
    if requests_fd > 2:
        os.close(requests_fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    # a fresh kernel's randomness: Python's random reseeds itself after a fork, numpy's does not
    import numpy

    numpy.random.seed()
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = [sys.executable, "-m", "ipykernel_launcher", *request["argv"]]
    IPKernelApp.launch_instance(argv=request["argv"])


_KERNELS: set[int] = set()


def _reap(*_: Any) -> None:
    """Collect every ended kernel (SIGCHLD): its CPU time counts in the template's children,
    and so in the worker's and the runner's (a benchmark reads them there)."""
    while _KERNELS:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            _KERNELS.clear()
            return
        if pid == 0:
            return
        _KERNELS.discard(pid)


def _exit(code: int) -> None:
    raise SystemExit(code)


def _fork_kernel(
    request: dict[str, Any], out_fd: int, requests_fd: int, leave: Callable[[int], None] = _exit
) -> int:
    """Fork a kernel for ``request``; return its pid (in the template). The child never
    returns: it ends through ``leave`` with the kernel's exit code (a template run as ``python
    -m``: SystemExit, as ``python -m ipykernel_launcher`` ends)."""
    pid = os.fork()
    if pid:
        _KERNELS.add(pid)
        return pid
    code = 0
    try:
        _child(request, out_fd, requests_fd)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:  # noqa: BLE001 - reported on stderr, the kernel manager sees it die
        traceback.print_exc()
        code = 1
    leave(code)
    raise SystemExit(code)  # unreachable unless ``leave`` returns


#: True in a template and in the kernels it forked (tests read it).
SERVING = False


def _serve(requests=None, out_fd: int | None = None, *, leave: Callable[[int], None] = _exit) -> int:
    """The template's main loop: warm up, then fork a kernel per request line; at the end of
    its input, end the kernels still running and collect them.

    ``requests`` and ``out_fd``: the request and reply pipes of a template forked by its worker
    (default: standard input and output, for ``python -m``)."""
    global SERVING
    SERVING = True
    _die_with_parent()
    if out_fd is None:
        out_fd = os.dup(1)  # the protocol keeps the real stdout
    os.dup2(2, 1)  # the kernels' stdout is the template's stderr
    out = os.fdopen(out_fd, "w", buffering=1)
    if requests is None:
        requests = sys.stdin
        if sys.path and (sys.path[0] in ("", os.getcwd())):
            del sys.path[0]  # as ipykernel_launcher: the folder the worker ran in is not importable
    with kept_out_of_collection():  # what the imports made lives as long as the kernels
        import_warm_modules()
    collect_less()
    if threading.active_count() != 1:
        out.write(json.dumps({"error": "the warm imports started a thread: cannot fork"}) + "\n")
        return 1
    signal.signal(signal.SIGCHLD, _reap)
    out.write(json.dumps({"ready": True}) + "\n")
    for line in requests:
        out.write(
            json.dumps({"pid": _fork_kernel(json.loads(line), out_fd, requests.fileno(), leave)}) + "\n"
        )
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for pid in list(_KERNELS):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    sys.exit(_serve())
