"""One client, in a worker: load, check, execute every notebook with papermill, render, publish.

:func:`run_client` never raises: every error becomes the client's ``failed``
:class:`ClientResult`. The client's files are written into a hidden staging folder
(``.<slug>.partial-<host>-<pid>-<start>``, :func:`smmkit.batch.files.staging_dir`) that
replaces ``<slug>/`` only when the client is done, so nothing half-written ever looks finished.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import shutil
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from smmkit.batch.discover import check_parameters
from smmkit.batch.files import publish, staging_dir, write_atomic
from smmkit.batch.kernel import KernelError
from smmkit.batch.pdf import PDF_NAME, PdfError
from smmkit.batch.render import INDEX_NAME
from smmkit.config import (
    AgencyConfig,
    load_config,
)
from smmkit.errors import InputError, NotebookError

__all__ = [
    "KERNEL_ENV",
    "KERNEL_NAME",
    "ClientResult",
    "ClientTask",
    "ensure_kernel",
    "failed_result",
    "make_pdf",
    "run_client",
    "write_atomic",
]


#: Environment of the kernels: a headless matplotlib backend that still puts PNG
#: figures into the notebook (plain ``Agg`` would drop every figure).
KERNEL_ENV = {
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    # ipykernel's debugger imports debugpy, which warns on stderr that Python's frozen modules
    # may hide breakpoints: a batch kernel is never debugged (where kernels are forked, they
    # do not even import it: template.import_warm_modules)
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


#: Kernel command-line options: keep the kernel's own log (e.g. ipykernel's warning about
#: TCP transport) off the user's terminal; errors in cells reach the notebook anyway.
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]


#: The project's Jupyter kernel: this interpreter, so the kit is importable in every notebook.
KERNEL_NAME = "smmkit"


KERNEL_DISPLAY_NAME = "Python (smmkit)"


def _runs_here(argv: object) -> bool:
    return isinstance(argv, list) and bool(argv) and Path(argv[0]).resolve() == Path(sys.executable).resolve()


def _found_spec_runs_here(name: str) -> bool:
    """Whether the first ``name`` kernel in Jupyter's kernel folders runs this interpreter.

    The folders are searched in Jupyter's order (``jupyter_path("kernels")``), which is where
    :class:`~jupyter_client.kernelspec.KernelSpecManager` finds a kernel first: the spec it
    would return. A quick look at one file, without importing jupyter_client (0.2 s of the
    runner's CPU); anything it cannot tell is left to :func:`ensure_kernel`'s full check.
    """
    from jupyter_core.paths import jupyter_path

    for folder in jupyter_path("kernels"):
        spec = Path(folder, name, "kernel.json")
        if spec.is_file():
            try:
                return _runs_here(json.loads(spec.read_text(encoding="utf-8")).get("argv"))
            except (OSError, ValueError, AttributeError):
                return False
    return False


def ensure_kernel(*, name: str = KERNEL_NAME, prefix: str | Path | None = None) -> str:
    """Make sure the ``smmkit`` kernel runs this very interpreter; return its name.

    ``make install`` registers it in the virtual environment; a kit installed some
    other way gets it registered here on first use (in ``prefix``, default this
    environment's). A kernel of that name that starts another Python (where smmkit
    may not be importable) is replaced there.
    """
    if _found_spec_runs_here(name):
        return name
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        if _runs_here(KernelSpecManager().get_kernel_spec(name).argv):
            return name
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=name, display_name=KERNEL_DISPLAY_NAME, prefix=str(prefix or sys.prefix))
    return name


@dataclass(frozen=True)
class ClientTask:
    """Everything a worker needs to run one client (picklable)."""

    client_dir: Path
    slug: str
    start: dt.date
    end: dt.date
    notebooks: tuple[Path, ...]
    period_dir: Path
    timeout: int
    fingerprint: str
    agency: AgencyConfig | None = None
    #: Start the worker's next kernel while this client runs (False for the last clients of a
    #: run: :func:`smmkit.batch.runner.kernels_ahead`).
    kernel_ahead: bool = True
    #: Kernels the client's notebooks run on at once, each loading the client (2 for the last
    #: clients of a run, whose workers would otherwise leave cores idle:
    #: :func:`smmkit.batch.runner.tail_kernels`).
    kernels: int = 1
    #: The client's exports are in its parse cache (the runner parsed them ahead:
    #: :class:`smmkit.batch.runner._ParseAhead`): its kernels load it at once, not one after another.
    parsed: bool = False
    #: ``smmkit run --pdf``: the client gets ``report.pdf`` (and its pages link it).
    pdf: bool = False
    #: Whether this process makes the PDF (a Dask worker leaves it to the submitting process).
    pdf_here: bool = True


@dataclass
class ClientResult:
    """The outcome of one client: what ``manifest.json`` records for it.

    ``status`` is ``"ok"``, ``"failed"`` or ``"skipped"`` (unchanged since an ok
    run, or not failed last time with ``only_failed``). For a failure,
    ``error`` is the message (``PATH:LINE:COLUMN: message`` for an input file,
    ``NOTEBOOK: cell N ...`` for a notebook), ``error_file`` the file that failed
    (relative to the client folder for inputs, the notebook's name for
    notebooks) and ``cell`` the 1-based cell of the source notebook.
    Paths in ``outputs``, ``pages`` and ``failed_notebook`` are relative to the
    period folder (where ``index.html`` is).
    """

    slug: str
    name: str
    status: str = "failed"
    error: str | None = None
    error_file: str | None = None
    notebook: str | None = None
    cell: int | None = None
    duration_s: float = 0.0
    outputs: list[str] = field(default_factory=list)
    pages: list[dict[str, str]] = field(default_factory=list)
    failed_notebook: str | None = None
    fingerprint: str | None = None
    headline: dict[str, dict[str, float | bool | None]] = field(
        default_factory=dict
    )  # value, change, previous, comparable
    warnings: list[str] = field(default_factory=list)
    finished_at: str | None = None
    traceback: str | None = None  # for an unexpected exception (a bug), not for input errors
    client_dir: str | None = None  # where the client's folder was (the index reads its brand there)

    def manifest_entry(self) -> dict[str, Any]:
        """The JSON object of this client in ``manifest.json`` (without the slug key)."""
        entry = asdict(self)
        entry.pop("slug")
        entry["duration_s"] = round(self.duration_s, 3)
        return entry


@contextlib.contextmanager
def _kernel_env() -> Iterator[None]:
    """Set :data:`KERNEL_ENV` for the kernels started inside, then restore the environment."""
    saved = {key: os.environ.get(key) for key in KERNEL_ENV}
    os.environ.update(KERNEL_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _relative(path: str | None, base: Path) -> str | None:
    if path is None:
        return None
    with contextlib.suppress(ValueError):
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    return path


def _source_cell(executed, cell_index: int) -> int:
    """1-based number of an executed notebook's cell in the source notebook.

    papermill inserts an ``injected-parameters`` cell; cells after it shift by one.
    """
    injected = [
        i
        for i, c in enumerate(executed.cells)
        if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    ]
    shift = sum(1 for i in injected if i < cell_index)
    return cell_index - shift + 1


#: Start the next client's kernel while this one runs (:class:`smmkit.batch.kernel.KernelPool`).
KERNELS_AHEAD = True

#: Fork each kernel from a warm template (:mod:`smmkit.batch.template`, Linux only; elsewhere
#: kernels start as usual): no client pays the imports.
FORK_KERNELS = True


def _kernel_pool():
    """This process's pool of warmed ``smmkit`` kernels (:mod:`smmkit.batch.kernel`)."""
    from smmkit.batch.kernel import ClientKernel, pool_for

    def factory() -> ClientKernel:
        return ClientKernel(KERNEL_NAME, extra_arguments=KERNEL_ARGS, env=KERNEL_ENV, fork=FORK_KERNELS)

    return pool_for((KERNEL_NAME, *KERNEL_ARGS, *sorted(KERNEL_ENV.items())), factory, ahead=KERNELS_AHEAD)


def start_kernel_ahead() -> None:
    """Start this process's first kernel at once (a worker process's initializer)."""
    if KERNELS_AHEAD:
        _kernel_pool().start_ahead()


def _execute(notebook: Path, staging: Path, page: str, parameters: Mapping[str, str], timeout: int, kernel):
    """Run one notebook with papermill on the client's ``kernel`` into ``staging/<page>.ipynb``;
    return the executed notebook.

    The kernel is reset first (:meth:`smmkit.batch.kernel.ClientKernel.reset`: empty
    namespace, rcParams of the warm-up, the notebook's folder as working directory).
    On failure papermill's saved notebook becomes ``<page>.failed.ipynb`` and a
    :class:`NotebookError` names the notebook and the failing cell.
    """
    import nbformat
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from smmkit.batch.kernel import KernelError, register_engine

    part = staging / f".{page}.part.ipynb"
    failed = staging / f"{page}.failed.ipynb"
    try:
        kernel.reset(notebook.parent)
        executed = papermill.execute_notebook(
            str(notebook),
            str(part),
            parameters=dict(parameters),
            engine_name=register_engine(),
            request_save_on_cell_execute=False,
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            kernel_name=KERNEL_NAME,
            kernel=kernel,
            save_on_error=str(part),
        )
    except papermill.PapermillExecutionError as exc:
        if part.exists():
            os.replace(part, failed)
        cell = exc.cell_index + 1
        if failed.exists():
            cell = _source_cell(nbformat.read(str(failed), as_version=4), exc.cell_index)
        raise NotebookError(
            f"{notebook.name}: cell {cell} raised {exc.ename}: {exc.evalue}",
            notebook=notebook.name,
            cell=cell,
        ) from None
    except (CellTimeoutError, DeadKernelError, TimeoutError, KernelError) as exc:
        if part.exists():
            os.replace(part, failed)
        if isinstance(exc, DeadKernelError) or (isinstance(exc, KernelError) and not kernel.is_alive()):
            what = "kernel died"
        elif isinstance(exc, KernelError):
            what = "kernel failed"
        elif "IOPub" in str(exc):  # nbclient's "Timeout waiting for IOPub output": not the cell's time
            what = "the kernel's output did not reach the runner"
        else:
            what = f"timed out after {timeout} s"
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotebookError(f"{notebook.name}: {what} ({first_line})", notebook=notebook.name) from None
    os.replace(part, staging / f"{page}.ipynb")
    return executed


def _run_client(task: ClientTask, staging: Path, result: ClientResult) -> None:
    from smmkit.batch.render import NavLink, nav_label, page_slug, page_title, period_text, render_notebook

    config = load_config(task.client_dir)
    lang = config.language
    result.name = config.name
    for notebook in task.notebooks:
        check_parameters(notebook)

    parameters = {
        "client_dir": str(task.client_dir),
        "start": task.start.isoformat(),
        "end": task.end.isoformat(),
    }
    pages = [(page_slug(nb), nav_label(page_slug(nb), lang)) for nb in task.notebooks]
    period_label = period_text(task.start, task.end, lang)
    pool = _kernel_pool()
    kernels = _start_others(pool, task.kernels - 1)  # they start while the first is taken
    try:
        kernels.insert(0, pool.take(ahead=task.kernel_ahead))
        joining = _load(task, parameters, kernels, result)
        work = _Work(task, staging, parameters)
        for page, executed in _execute_pages(work, [page for page, _ in pages], kernels, joining):
            nav = [NavLink(lbl, f"{p}.html", current=p == page) for p, lbl in pages]
            nav.append(NavLink(nav_label("index", lang), f"../{INDEX_NAME}"))
            html = render_notebook(
                executed,
                client_name=config.name,
                page_title=page_title(page, lang),
                nav=nav,
                period_label=period_label,
                brand_color=config.brand.get("color"),
                logo=config.logo_path,
                lang=lang,
                agency=task.agency,
            )
            write_atomic(staging / f"{page}.html", html)
            result.outputs += [f"{task.slug}/{page}.html", f"{task.slug}/{page}.ipynb"]
            result.pages.append({"label": dict(pages)[page], "href": f"{task.slug}/{page}.html"})
        result.outputs.append(f"{task.slug}/{Path(work.workbook).name}")
    except NotebookError as exc:
        result.failed_notebook = f"{task.slug}/{page_slug(exc.notebook)}.failed.ipynb"
        raise
    finally:
        for kernel in kernels:
            kernel.shutdown()  # a client's kernels are never reused: no state crosses clients


def _start_others(pool, n: int) -> list:
    """``n`` more kernels for a client (``ClientTask.kernels``), started without waiting for them:
    when the worker has no kernel started ahead, they start together with the one it takes."""
    started = []
    for _ in range(n):
        with contextlib.suppress(Exception):  # the others only speed the client up
            started.append(pool.another(wait=False))
    return started


def _load(task: ClientTask, parameters: Mapping[str, str], kernels: list, result: ClientResult) -> list:
    """Load the client in ``kernels[0]``, and in the others (started with it: :func:`_start_others`)
    once they answer; return the ``(kernel, call id)`` of those still loading (one that does not
    start is shut down and left out of ``kernels``). The first kernel's preload gives ``result``
    its warnings and headline, or raises the client's InputError."""
    # the client is loaded in its kernel first: a bad file fails it before any notebook runs,
    # and the notebooks' open_page finds the client and its KPIs there
    first = kernels[0].send("preload", *parameters.values())
    for kernel in kernels[1:]:  # while the first kernel loads
        try:
            kernel.ready()
        except KernelError:  # the others only speed the client up
            kernel.shutdown()
            kernels.remove(kernel)

    # the other kernels load it from the parse cache: at once when the runner parsed it ahead,
    # else after the first kernel, which writes it
    def load_in_others() -> list:
        return [(kernel, kernel.send("preload", *parameters.values())) for kernel in kernels[1:]]

    joining = load_in_others() if task.parsed else []
    loaded = json.loads(kernels[0].result(first, "preload", timeout=task.timeout))
    if "error" in loaded:
        raise InputError(**loaded["error"])
    result.warnings, result.headline = loaded["warnings"], loaded["headline"]
    return joining if task.parsed else load_in_others()


@dataclass
class _Work:
    """What a client's kernels do besides loading it: its notebooks, and ``report.xlsx`` beside
    the pages (:func:`smmkit.batch.kernel.outputs`), whose path is kept in ``workbook``."""

    task: ClientTask
    staging: Path
    parameters: Mapping[str, str]
    workbook: str = ""

    @property
    def pdf(self) -> str:
        return PDF_NAME if self.task.pdf else ""

    def outputs(self, kernel) -> None:
        self.workbook = kernel.call(
            "outputs", *self.parameters.values(), str(self.staging), self.pdf, timeout=self.task.timeout
        )

    def page(self, notebook: Path, page: str, kernel):
        return _execute(notebook, self.staging, page, self.parameters, self.task.timeout, kernel)


#: Seconds each job of a client took in this process (a page by its name, ``"outputs"``): a
#: client on more kernels than one starts its longest jobs first, as they took for the client
#: before it (:func:`_execute_pages`).
_SECONDS: dict[str, float] = {}


def _timed(name: str, job, kernel):
    started = time.perf_counter()
    value = job(kernel)
    _SECONDS[name] = time.perf_counter() - started
    return value


class _Skipped(Exception):
    """A page not run because another page of its client failed first."""


def _execute_pages(work: _Work, pages: list[str], kernels: list, joining: list) -> Iterator[tuple[str, Any]]:
    """Write the workbook and run the client's notebooks on its ``kernels``; yield
    ``(page, executed)`` in the notebooks' order.

    One kernel writes the workbook, then runs the notebooks one after another (each yielded
    as soon as it ran). More kernels run them at once, each kernel taking the next job when it
    is free (a thread each: the kernels do the work, the threads wait), the longest first as
    they took for this process's client before (:data:`_SECONDS`; a page's time is much the same
    from client to client: the networks page's charts are half of a client's), so that the
    kernels end together; ``kernels[0]`` starts at once, a kernel of ``joining`` once it has
    loaded the client (one that does not is shut down and left out). A job that fails raises
    its error when its page's turn comes (the workbook's: after the pages); the jobs not yet
    started then never run.
    """
    # (name, what it does with a kernel)
    jobs = [("outputs", work.outputs)]
    jobs += [
        (page, functools.partial(work.page, nb, page))
        for nb, page in zip(work.task.notebooks, pages, strict=True)
    ]
    if len(kernels) == 1:
        for name, job in jobs:
            done = _timed(name, job, kernels[0])
            if name != "outputs":
                yield name, done
    else:
        yield from _share(work, jobs, kernels, joining)


def _share(work: _Work, jobs: list, kernels: list, joining: list) -> Iterator[tuple[str, Any]]:
    """:func:`_execute_pages` on more kernels than one."""
    kernels[0].call("downloads", work.pdf, timeout=work.task.timeout)
    todo = deque(sorted(jobs, key=lambda job: -_SECONDS.get(job[0], 0.0)))  # the longest first
    taking = threading.Lock()
    outcomes = {name: Future() for name, _ in jobs}  # set by the kernels' threads below
    failed = threading.Event()

    def serve(kernel, loading: str | None = None) -> None:
        """(A thread per kernel) take the next job until none is left; a joining kernel first
        waits until it has loaded the client."""
        if loading is not None and not _joined(work, kernel, loading, kernels):
            return
        while True:
            with taking:
                if not todo:
                    return
                name, job = todo.popleft()
            if failed.is_set():
                outcomes[name].set_exception(_Skipped())
                continue
            try:
                outcomes[name].set_result(_timed(name, job, kernel))
            except BaseException as exc:  # noqa: BLE001 - the job's error, raised in its turn
                failed.set()
                outcomes[name].set_exception(exc)

    with ThreadPoolExecutor(len(kernels), thread_name_prefix="smmkit-kernel") as threads:
        served = [threads.submit(serve, kernels[0])]
        served += [threads.submit(serve, kernel, msg_id) for kernel, msg_id in joining]
        try:
            for name, _ in jobs[1:]:
                yield name, _first_error(outcomes, name)
            _first_error(outcomes, "outputs")
        finally:
            failed.set()  # nothing more starts when the caller stops early
    for future in served:
        future.result()  # an unexpected error (a bug) fails the client


def _joined(work: _Work, kernel, loading: str, kernels: list) -> bool:
    """Whether ``kernel`` loaded the client (the call ``loading``) and was told the downloads;
    one that did not is shut down and left out of ``kernels``."""
    try:
        if "error" in json.loads(kernel.result(loading, "preload", timeout=work.task.timeout)):
            raise KernelError("the client did not load again")  # e.g. a file changed meanwhile
        kernel.call("downloads", work.pdf, timeout=work.task.timeout)
    except KernelError:  # the jobs run on the kernels that loaded it
        kernel.shutdown()
        kernels.remove(kernel)
        return False
    return True


def _first_error(outcomes: dict[str, Future], name: str) -> Any:
    """What job ``name`` gave; when it was skipped because another job failed first, that
    job's error is raised."""
    try:
        return outcomes[name].result()
    except _Skipped:  # another job failed first: its error is the client's
        for other in outcomes.values():
            error = other.exception()
            if error is not None and not isinstance(error, _Skipped):
                raise error from None
        raise


def make_pdf(task: ClientTask, folder: Path, result: ClientResult) -> None:
    """Write ``folder/report.pdf`` from the client's rendered pages in ``folder`` (those of
    ``result.pages``, in order: :mod:`smmkit.batch.pdf`) and add it to ``result.outputs``.

    Raises :class:`~smmkit.batch.pdf.PdfError` (the client's failure) when it cannot be made.
    """
    from smmkit.batch.pdf import PdfPage, write_pdf
    from smmkit.batch.render import data_uri, page_title, period_text

    config = load_config(task.client_dir)
    lang = config.language
    slugs = [Path(p["href"]).stem for p in result.pages]
    pages = [PdfPage(slug, page_title(slug, lang), folder / f"{slug}.html") for slug in slugs]
    agency = task.agency
    images = (config.logo_path, agency.logo if agency is not None else None)
    try:
        logos = [data_uri(path) for path in images if path is not None]
    except OSError as exc:
        raise PdfError(f"cannot read a logo for the cover: {exc}") from None
    write_pdf(
        folder,
        pages,
        client_name=config.name,
        period_label=period_text(task.start, task.end, lang),
        logos=logos,
        agency=agency.name if agency is not None and agency.name else "",
        lang=lang,
    )
    result.outputs.append(f"{task.slug}/{PDF_NAME}")


def _describe_bug(exc: BaseException) -> str:
    """``TypeError: message (at smmkit/engine.py:120 in total)``: the innermost frame of the kit."""
    package_dir = Path(__file__).resolve().parents[1]
    where = ""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(package_dir):
            where = f" (at {path.relative_to(package_dir.parent).as_posix()}:{frame.lineno} in {frame.name})"
            break
    return f"{type(exc).__name__}: {exc}{where}"


def run_client(task: ClientTask) -> ClientResult:
    """Run one client; never raises: every error becomes the client's ``failed`` result."""
    t0 = time.perf_counter()
    result = ClientResult(
        slug=task.slug,
        name=task.slug,
        fingerprint=task.fingerprint,
        client_dir=str(task.client_dir.resolve()),
    )
    staging = staging_dir(task.period_dir, task.slug)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with _kernel_env():
            _run_client(task, staging, result)
        if task.pdf and task.pdf_here:
            make_pdf(task, staging, result)
        result.status = "ok"
    except InputError as exc:
        path = _relative(exc.path, task.client_dir)
        result.error = InputError(exc.message, path=path, line=exc.line, column=exc.column).location_message()
        result.error_file = path
    except NotebookError as exc:
        result.error, result.notebook, result.cell = str(exc), exc.notebook, exc.cell
        result.error_file = exc.notebook
    except KernelError as exc:
        result.error = f"kernel: {exc}"
    except PdfError as exc:
        result.error = f"{PDF_NAME}: {exc}"
    except Exception as exc:  # noqa: BLE001 - a bug in one client's run must not stop the others
        result.error = _describe_bug(exc)
        result.traceback = "".join(traceback.format_exception(exc))
    if result.status != "ok":
        result.pages = []  # the index links only complete reports
        with contextlib.suppress(OSError):
            write_atomic(staging / "error.txt", f"{result.error}\n")
    for leftover in staging.glob(".*"):  # e.g. a notebook papermill was writing when it failed
        with contextlib.suppress(OSError):
            leftover.unlink()
    result.duration_s = time.perf_counter() - t0
    result.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    try:
        publish(staging, task.period_dir / task.slug)
    except OSError as exc:
        result.status, result.error = "failed", f"could not write {task.period_dir / task.slug}: {exc}"
    return result


def failed_result(task: ClientTask, exc: BaseException) -> ClientResult:
    return ClientResult(
        slug=task.slug,
        name=task.slug,
        error=f"{type(exc).__name__}: {exc}",
        fingerprint=task.fingerprint,
        client_dir=str(task.client_dir.resolve()),
        finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
