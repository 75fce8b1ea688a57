"""``smmkit run``: execute the report notebooks for many clients and render their HTML.

For each client (a task), in a worker of its own:

1. ``client.yaml`` is read (:func:`smmkit.load_config`) and the exports loaded
   (:func:`smmkit.load_client`), so a bad file fails the client at once, with
   ``PATH:LINE:COLUMN: message``, before any notebook runs; the headline KPIs of
   the index (followers, ER, reach, leads and their change) come from
   :func:`smmkit.kpis`.
2. Every notebook's ``parameters`` cell is checked against what the runner
   passes (:data:`RUN_PARAMETERS`): a parameter the notebook does not declare,
   or one it declares that the runner does not pass, is an error.
3. Each notebook runs through papermill in a fresh kernel, in order, with a
   per-notebook timeout; it is rendered to HTML (:mod:`smmkit.batch.render`).

Outputs go to ``OUT/<start>_<end>/<slug>/`` (``<page>.html`` and the executed
``<page>.ipynb``; for a failing notebook papermill's saved notebook as
``<page>.failed.ipynb`` and ``error.txt``), ``OUT/<start>_<end>/manifest.json``
and ``OUT/<start>_<end>/index.html``.

Nothing half-written ever looks finished: a client's files are written into a
hidden staging folder (``.<slug>.partial-<pid>``) which replaces
``<slug>/`` only when the client is done; ``manifest.json`` (rewritten after
each client) and ``index.html`` are written to a temporary name and renamed.
One client's failure never stops another's: every exception of a client's task
becomes that client's ``failed`` entry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import math
import multiprocessing
import os
import random
import re
import shutil
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from smmkit.config import (
    CLIENTS_DIR,
    NOTEBOOKS_DIR,
    REPORTS_DIR,
    AgencyConfig,
    check_slug,
    load_agency_config,
    load_config,
)
from smmkit.errors import InputError, NotebookError, UsageError

__all__ = [
    "EXECUTORS",
    "RUN_PARAMETERS",
    "ClientResult",
    "ClientTask",
    "RunResult",
    "check_parameters",
    "discover_clients",
    "discover_notebooks",
    "agency_dir",
    "input_fingerprint",
    "run_reports",
]

#: The parameters the runner passes to every notebook: exactly these must be
#: declared in the notebook's ``parameters`` cell.
RUN_PARAMETERS: tuple[str, ...] = ("client_dir", "start", "end")

EXECUTORS = ("local", "dask")

#: Environment of the kernels: a headless matplotlib backend that still puts PNG
#: figures into the notebook (plain ``Agg`` would drop every figure).
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}

#: Kernel command-line options: keep the kernel's own log (e.g. ipykernel's warning about
#: TCP transport) off the user's terminal; errors in cells reach the notebook anyway.
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL"]
#: The project's Jupyter kernel: this interpreter, so the kit is importable in every notebook.
KERNEL_NAME = "smmkit"
KERNEL_DISPLAY_NAME = "Python (smmkit)"


def ensure_kernel(*, name: str = KERNEL_NAME, prefix: str | Path | None = None) -> str:
    """Make sure the ``smmkit`` kernel runs this very interpreter; return its name.

    ``make install`` registers it in the virtual environment; a kit installed some
    other way gets it registered here on first use (in ``prefix``, default this
    environment's). A kernel of that name that starts another Python (where smmkit
    may not be importable) is replaced there.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec(name)
        if spec.argv and Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
            return name
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=name, display_name=KERNEL_DISPLAY_NAME, prefix=str(prefix or sys.prefix))
    return name


#: Notebooks in the notebooks folder that are not report pages.
EXCLUDED_NOTEBOOKS = ("explore.ipynb",)

MANIFEST_NAME = "manifest.json"
INDEX_NAME = "index.html"
INDEX_LABEL = "All clients"

_ORDER_RE = re.compile(r"^(\d+)")


# -- data ------------------------------------------------------------------------------------------


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
    headline: dict[str, dict[str, float | None]] = field(default_factory=dict)
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


@dataclass
class RunResult:
    """The outcome of :func:`run_reports`."""

    period_dir: Path
    clients: list[ClientResult]
    duration_s: float

    @property
    def manifest_path(self) -> Path:
        return self.period_dir / MANIFEST_NAME

    @property
    def index_path(self) -> Path:
        return self.period_dir / INDEX_NAME

    def _with(self, status: str) -> list[ClientResult]:
        return [c for c in self.clients if c.status == status]

    @property
    def ok(self) -> list[ClientResult]:
        return self._with("ok")

    @property
    def failed(self) -> list[ClientResult]:
        return self._with("failed")

    @property
    def skipped(self) -> list[ClientResult]:
        return self._with("skipped")

    @property
    def exit_code(self) -> int:
        """0 when no client failed, 1 when some client failed (the others still rendered)."""
        return 1 if self.failed else 0

    def summary(self) -> str:
        """``3 clients: 2 ok, 1 failed, 0 skipped in 42.1 s -> reports/.../index.html``."""
        return (
            f"{len(self.clients)} clients: {len(self.ok)} ok, {len(self.failed)} failed, "
            f"{len(self.skipped)} skipped in {self.duration_s:.1f} s -> {self.index_path}"
        )


# -- discovery and checks ------------------------------------------------------------------------


def discover_clients(clients_dir: str | Path) -> list[Path]:
    """Every sub-folder of ``clients_dir`` holding a ``client.yaml``, sorted by name.

    Raises
    ------
    UsageError
        When ``clients_dir`` is not a folder or holds no client folder.
    """
    clients_dir = Path(clients_dir)
    if not clients_dir.is_dir():
        raise UsageError(f"clients folder {clients_dir} does not exist or is not a folder")
    found = sorted(p for p in clients_dir.iterdir() if p.is_dir() and (p / "client.yaml").is_file())
    if not found:
        raise UsageError(f"no client folder (a sub-folder with a client.yaml) in {clients_dir}")
    return found


def _notebook_order(path: Path) -> tuple[int, int, str]:
    m = _ORDER_RE.match(path.name)
    return (0, int(m.group(1)), path.name) if m else (1, 0, path.name)


def discover_notebooks(notebooks_dir: str | Path) -> list[Path]:
    """The report notebooks of ``notebooks_dir``, in report order.

    Every ``*.ipynb`` except names starting with ``_`` or ``.`` and
    ``explore.ipynb``; ordered by a numeric prefix (``1-overview.ipynb`` before
    ``2-networks.ipynb``), notebooks without one after those, by name.

    Raises
    ------
    UsageError
        When the folder does not exist, holds no report notebook, or two
        notebooks would give the same page name (``1-overview`` and ``overview``).
    """
    from smmkit.batch.render import page_slug

    notebooks_dir = Path(notebooks_dir)
    if not notebooks_dir.is_dir():
        raise UsageError(f"notebooks folder {notebooks_dir} does not exist or is not a folder")
    notebooks = sorted(
        (
            p
            for p in notebooks_dir.glob("*.ipynb")
            if p.is_file() and not p.name.startswith(("_", ".")) and p.name not in EXCLUDED_NOTEBOOKS
        ),
        key=_notebook_order,
    )
    if not notebooks:
        raise UsageError(f"no report notebook (*.ipynb) in {notebooks_dir}")
    seen: dict[str, Path] = {}
    for nb in notebooks:
        slug = page_slug(nb)
        if slug in seen:
            raise UsageError(f"notebooks {seen[slug].name} and {nb.name} would both render to {slug}.html")
        seen[slug] = nb
    return notebooks


def check_parameters(notebook: str | Path, parameters: Sequence[str] = RUN_PARAMETERS) -> None:
    """Check a notebook's ``parameters`` cell declares exactly ``parameters``.

    Raises
    ------
    NotebookError
        When the notebook has no cell tagged ``parameters``, does not declare a
        parameter the runner passes (papermill would only inject it and the
        notebook would not use it), or declares one the runner does not pass
        (its default would silently stand in for the client's value). The
        message names the notebook and the parameter.
    """
    import nbformat
    import papermill

    notebook = Path(notebook)
    nb = nbformat.read(str(notebook), as_version=4)
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
        raise NotebookError(
            f"{notebook.name}: no cell tagged `parameters`; expected one assigning {', '.join(parameters)}",
            notebook=notebook.name,
        )
    declared = papermill.inspect_notebook(notebook)
    for name in parameters:
        if name not in declared:
            raise NotebookError(
                f"{notebook.name}: the `parameters` cell does not declare {name!r}; "
                f"expected exactly {', '.join(parameters)}, got {', '.join(declared) or 'nothing'}",
                notebook=notebook.name,
            )
    for name in declared:
        if name not in parameters:
            raise NotebookError(
                f"{notebook.name}: unknown parameter {name!r} in the `parameters` cell; "
                f"the runner passes exactly {', '.join(parameters)}",
                notebook=notebook.name,
            )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def _kit_digest() -> str:
    """sha256 over the package's own files (code, JSON schema, templates)."""
    package = Path(__file__).resolve().parents[1]  # the whole smmkit package
    h = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(f"{path.relative_to(package).as_posix()} {_sha256(path.read_bytes())}\n".encode())
    return h.hexdigest()


def input_fingerprint(
    client_dir: str | Path,
    *,
    notebooks: Sequence[Path],
    start: dt.date,
    end: dt.date,
    agency: AgencyConfig | None = None,
) -> str:
    """A sha256 over everything a client's report depends on.

    Hashes the smmkit version, the period, every file of the client folder
    (``client.yaml``, exports, logo: relative path, size and content hash;
    hidden files and folders are ignored, as the loader ignores them),
    every notebook's name and content, the kit itself (its code, schema and page
    templates: a fixed formula or a new look re-renders) and the agency's
    ``smmkit.yaml`` and logo (a changed footer re-renders).
    """
    from smmkit._version import __version__

    client_dir = Path(client_dir)
    h = hashlib.sha256()
    h.update(f"smmkit {__version__}\nperiod {start.isoformat()} {end.isoformat()}\n".encode())
    files = sorted(
        p
        for p in client_dir.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(client_dir).parts)
    )
    for path in files:
        data = path.read_bytes()
        h.update(f"file {path.relative_to(client_dir).as_posix()} {len(data)} {_sha256(data)}\n".encode())
    for nb in notebooks:
        h.update(f"notebook {nb.name} {_sha256(nb.read_bytes())}\n".encode())
    h.update(f"kit {_kit_digest()}\n".encode())
    if agency is not None:
        for what, path in (("agency", agency.path), ("agency-logo", agency.logo)):
            if path is not None:
                h.update(f"{what} {_sha256(Path(path).read_bytes())}\n".encode())
    return h.hexdigest()


# -- one client (runs in a worker) ---------------------------------------------------------------


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


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _relative(path: str | None, base: Path) -> str | None:
    if path is None:
        return None
    with contextlib.suppress(ValueError):
        return Path(path).resolve().relative_to(base.resolve()).as_posix()
    return path


def _load_client(client_dir: Path):
    from smmkit.io.loading import load_client

    return load_client(client_dir)


def _number(value: Any) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) or math.isinf(value) else value


def _headline(client, start: dt.date, end: dt.date) -> dict[str, dict[str, float | None]]:
    """The index's KPIs: metrics.md key -> ``{"value", "change"}`` (None = null)."""
    from smmkit.batch.render import HEADLINE_KPIS
    from smmkit.kpi.engine import kpis

    report = kpis(client, start=start, end=end)
    return {
        key: {"value": _number(report.total.get(key)), "change": _number(report.change.total.get(key))}
        for key in HEADLINE_KPIS
    }


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


KERNEL_START_ATTEMPTS = 3


def _is_kernel_start_failure(exc: BaseException) -> bool:
    """Kernels started at once by parallel workers can race for the same free TCP port
    (jupyter_client picks ports before binding them): the kernel then dies before its
    first reply. Nothing of the notebook ran, so starting again is safe."""
    text = f"{type(exc).__name__}: {exc}"
    return "Kernel died before replying to kernel_info" in text or "Address already in use" in text


def _execute_with_retry(run: Callable[[], object]):
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            return run()
        except Exception as exc:
            if attempt == KERNEL_START_ATTEMPTS or not _is_kernel_start_failure(exc):
                raise
            time.sleep(0.2 * attempt + random.random() * 0.5)
    raise AssertionError("unreachable")  # pragma: no cover


def _execute(notebook: Path, staging: Path, page: str, parameters: Mapping[str, str], timeout: int):
    """Run one notebook with papermill into ``staging/<page>.ipynb``; return the executed notebook.

    On failure papermill's saved notebook becomes ``<page>.failed.ipynb`` and a
    :class:`NotebookError` names the notebook and the failing cell.
    """
    import nbformat
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    part = staging / f".{page}.part.ipynb"
    failed = staging / f"{page}.failed.ipynb"
    try:
        executed = _execute_with_retry(
            lambda: papermill.execute_notebook(
                str(notebook),
                str(part),
                parameters=dict(parameters),
                progress_bar=False,
                log_output=False,
                execution_timeout=timeout,
                cwd=str(notebook.parent),
                kernel_name=KERNEL_NAME,
                extra_arguments=KERNEL_ARGS,
            )
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
    except (CellTimeoutError, DeadKernelError, TimeoutError) as exc:
        if part.exists():
            os.replace(part, failed)
        what = f"timed out after {timeout} s" if not isinstance(exc, DeadKernelError) else "kernel died"
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotebookError(f"{notebook.name}: {what} ({first_line})", notebook=notebook.name) from None
    os.replace(part, staging / f"{page}.ipynb")
    return executed


def _run_client(task: ClientTask, staging: Path, result: ClientResult) -> None:
    from smmkit.batch.render import NavLink, nav_label, page_slug, page_title, period_text, render_notebook

    config = load_config(task.client_dir)
    lang = config.language
    result.name = config.name
    client = _load_client(task.client_dir)
    result.warnings = [str(issue) for issue in client.warnings]
    result.headline = _headline(client, task.start, task.end)
    for notebook in task.notebooks:
        check_parameters(notebook)

    parameters = {
        "client_dir": str(task.client_dir),
        "start": task.start.isoformat(),
        "end": task.end.isoformat(),
    }
    pages = [(page_slug(nb), nav_label(page_slug(nb), lang)) for nb in task.notebooks]
    period_label = period_text(task.start, task.end, lang)
    for notebook, (page, label) in zip(task.notebooks, pages, strict=True):
        nav = [NavLink(lbl, f"{p}.html", current=p == page) for p, lbl in pages]
        nav.append(NavLink(nav_label("index", lang), f"../{INDEX_NAME}"))
        try:
            executed = _execute(notebook, staging, page, parameters, task.timeout)
        except NotebookError:
            result.failed_notebook = f"{task.slug}/{page}.failed.ipynb"
            raise
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
        _write_atomic(staging / f"{page}.html", html)
        result.outputs += [f"{task.slug}/{page}.html", f"{task.slug}/{page}.ipynb"]
        result.pages.append({"label": label, "href": f"{task.slug}/{page}.html"})


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


def _publish(staging: Path, final: Path) -> None:
    """Replace ``final`` by the finished ``staging`` folder."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.replace(final, old)
    os.replace(staging, final)
    shutil.rmtree(old, ignore_errors=True)


def _run_client_task(task: ClientTask) -> ClientResult:
    """Run one client; never raises: every error becomes the client's ``failed`` result."""
    t0 = time.perf_counter()
    result = ClientResult(
        slug=task.slug,
        name=task.slug,
        fingerprint=task.fingerprint,
        client_dir=str(task.client_dir.resolve()),
    )
    staging = task.period_dir / f".{task.slug}.partial-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        with _kernel_env():
            _run_client(task, staging, result)
        result.status = "ok"
    except InputError as exc:
        path = _relative(exc.path, task.client_dir)
        result.error = InputError(exc.message, path=path, line=exc.line, column=exc.column).location_message()
        result.error_file = path
    except NotebookError as exc:
        result.error, result.notebook, result.cell = str(exc), exc.notebook, exc.cell
        result.error_file = exc.notebook
    except Exception as exc:  # noqa: BLE001 - a bug in one client's run must not stop the others
        result.error = _describe_bug(exc)
        result.traceback = "".join(traceback.format_exception(exc))
    if result.status != "ok":
        result.pages = []  # the index links only complete reports
        with contextlib.suppress(OSError):
            _write_atomic(staging / "error.txt", f"{result.error}\n")
    result.duration_s = time.perf_counter() - t0
    result.finished_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    try:
        _publish(staging, task.period_dir / task.slug)
    except OSError as exc:
        result.status, result.error = "failed", f"could not write {task.period_dir / task.slug}: {exc}"
    return result


# -- the batch -----------------------------------------------------------------------------------


def _failed_result(task: ClientTask, exc: BaseException) -> ClientResult:
    return ClientResult(
        slug=task.slug,
        name=task.slug,
        error=f"{type(exc).__name__}: {exc}",
        fingerprint=task.fingerprint,
        client_dir=str(task.client_dir.resolve()),
        finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )


def _run_local(tasks: Sequence[ClientTask], jobs: int) -> Iterator[ClientResult]:
    if jobs == 1 or len(tasks) == 1:
        for task in tasks:
            yield _run_client_task(task)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        futures = {pool.submit(_run_client_task, task): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. a worker killed by the OS
                yield _failed_result(futures[future], exc)


def _run_dask(tasks: Sequence[ClientTask], scheduler: str | None) -> Iterator[ClientResult]:
    try:
        from distributed import Client as DaskClient
        from distributed import as_completed as dask_as_completed
    except ImportError:
        raise UsageError(
            "the dask executor needs the `distributed` package (pip install distributed); "
            "or use --executor local"
        ) from None
    with DaskClient(scheduler) as dask:
        futures = {dask.submit(_run_client_task, task, pure=False): task for task in tasks}
        for future in dask_as_completed(list(futures)):
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001
                yield _failed_result(futures[future], exc)


def _read_manifest(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("clients"), dict) else {}


class _Progress:
    """A one-line progress bar on a terminal; silent when the stream is not one."""

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.active = total > 0 and stream.isatty()

    def advance(self, label: str) -> None:
        self.done += 1
        if self.active:
            width = 30
            filled = width * self.done // self.total
            bar = "#" * filled + "." * (width - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total} {label[:40]:<40}")
            self.stream.flush()

    def close(self) -> None:
        if self.active:
            self.stream.write("\n")
            self.stream.flush()


def _client_dirs(client_dirs: Sequence[str | Path], clients_dir: str | Path | None) -> list[Path]:
    if client_dirs:
        dirs = [Path(d) for d in client_dirs]
        for d in dirs:
            if not d.is_dir():
                raise UsageError(f"client folder {d} does not exist or is not a folder")
    else:
        dirs = discover_clients(clients_dir if clients_dir is not None else CLIENTS_DIR)
    dirs = [d.resolve() for d in dirs]
    seen: dict[str, Path] = {}
    for d in dirs:
        check_slug(d.name, path=d)
        if d.name in seen and seen[d.name] != d:
            raise UsageError(f"two client folders have the slug {d.name!r}: {seen[d.name]} and {d}")
        seen[d.name] = d
    return list(seen.values())


def agency_dir(client_dirs: Sequence[str | Path], clients_dir: str | Path | None) -> Path | None:
    """Where the agency's ``smmkit.yaml`` is looked for: ``clients_dir`` when given; else the one
    folder holding every client folder named in ``client_dirs``; else :data:`CLIENTS_DIR`
    when no client folder is named; None when the named clients live in different folders."""
    if clients_dir is not None:
        return Path(clients_dir)
    if not client_dirs:
        return CLIENTS_DIR
    parents = {Path(d).resolve().parent for d in client_dirs}
    return parents.pop() if len(parents) == 1 else None


def _brands(dirs: Sequence[Path]) -> dict[str, dict[str, Any]]:
    """slug -> ``{"color", "logo"}`` of each client's ``client.yaml: brand`` for the index's cards
    (a client whose ``client.yaml`` does not load has none: its card says why it failed)."""
    brands: dict[str, dict[str, Any]] = {}
    for d in dirs:
        try:
            config = load_config(d)
        except InputError:
            continue
        brands[d.name] = {"color": config.brand.get("color"), "logo": config.logo_path}
    return brands


def run_reports(
    client_dirs: Sequence[str | Path] = (),
    *,
    clients_dir: str | Path | None = None,
    period,
    out: str | Path | None = None,
    jobs: int | None = None,
    executor: str = "local",
    scheduler: str | None = None,
    notebooks_dir: str | Path | None = None,
    timeout: int = 600,
    force: bool = False,
    only_failed: bool = False,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> RunResult:
    """Execute every report notebook for every client and render the HTML reports.

    Parameters
    ----------
    client_dirs
        Client folders to run; empty = every sub-folder of ``clients_dir``
        holding a ``client.yaml``.
    clients_dir
        Where to find clients when ``client_dirs`` is empty (default
        :data:`smmkit.config.CLIENTS_DIR`).
    period
        An object with ``start`` and ``end`` dates (:class:`smmkit.kpi.periods.Period`).
    out
        The reports folder (default :data:`smmkit.config.REPORTS_DIR`); outputs go to
        ``out/<start>_<end>/``.
    jobs
        Clients run in parallel (each in its own process; default: CPU count).
        With 1, clients run one after the other in this process.
    executor
        ``"local"`` (a process pool) or ``"dask"`` (a ``distributed`` cluster at
        ``scheduler``; the output folder must be shared with its workers).
    notebooks_dir
        The report notebooks (default :data:`smmkit.config.NOTEBOOKS_DIR`), see
        :func:`discover_notebooks`. The agency's brand (name, logo, footer, index
        language) comes from ``smmkit.yaml`` in the clients folder (:func:`agency_dir`,
        :func:`smmkit.config.load_agency_config`).
    timeout
        Seconds one notebook cell may run (papermill's ``execution_timeout``).
    force
        Re-run clients whose inputs, notebooks and period are unchanged since
        their last ok run (otherwise they are skipped).
    only_failed
        Re-run only the clients whose manifest entry is ``failed``.
    stdout, stderr
        Where the summary line and the progress bar and errors go (default
        ``sys.stdout``, ``sys.stderr``). The bar is drawn only on a terminal.

    Returns
    -------
    RunResult
        Per-client results; ``exit_code`` is 0 when every client is ok or
        skipped, 1 when some client failed.

    Raises
    ------
    UsageError
        Bad options, no notebooks, no clients, or ``only_failed`` without a
        manifest for the period (the CLI exits 2).
    ConfigError
        A client folder name that is not a slug, or a bad ``smmkit.yaml`` (nothing runs).
    """
    from smmkit._version import __version__

    t0 = time.perf_counter()
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    if executor not in EXECUTORS:
        raise UsageError(f"`executor` must be one of {', '.join(EXECUTORS)}; got {executor!r}")
    if jobs is None:
        jobs = os.cpu_count() or 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"`jobs` must be a whole number of at least 1; got {jobs!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
        raise UsageError(f"`timeout` must be a whole number of seconds, at least 1; got {timeout!r}")
    from smmkit.kpi.periods import parse_day

    start, end = parse_day(period.start, name="period start"), parse_day(period.end, name="period end")
    if end < start:
        raise UsageError(f"period end {end} is before its start {start}")

    notebooks = tuple(p.resolve() for p in discover_notebooks(notebooks_dir or NOTEBOOKS_DIR))
    dirs = _client_dirs(client_dirs, clients_dir)
    agency_root = agency_dir(client_dirs, clients_dir)
    agency = load_agency_config(agency_root) if agency_root is not None else AgencyConfig()
    period_dir = (Path(out) if out is not None else REPORTS_DIR).resolve() / f"{start}_{end}"
    manifest_path = period_dir / MANIFEST_NAME
    if only_failed and not manifest_path.is_file():
        raise UsageError(
            f"--only-failed: no {MANIFEST_NAME} in {period_dir}; nothing has run for this period"
        )

    manifest = _read_manifest(manifest_path)
    entries: dict[str, Any] = dict(manifest.get("clients", {}))
    results: list[ClientResult] = []
    tasks: list[ClientTask] = []
    for d in dirs:
        fingerprint = input_fingerprint(d, notebooks=notebooks, start=start, end=end, agency=agency)
        entry = entries.get(d.name) or {}
        unchanged = (
            entry.get("status") == "ok"
            and entry.get("fingerprint") == fingerprint
            and all((period_dir / p).is_file() for p in entry.get("outputs", []))
        )
        if (only_failed and entry.get("status") != "failed") or (not only_failed and not force and unchanged):
            results.append(
                ClientResult(
                    slug=d.name,
                    name=entry.get("name") or d.name,
                    status="skipped",
                    fingerprint=entry.get("fingerprint"),
                    headline=entry.get("headline") or {},
                )
            )
            continue
        tasks.append(ClientTask(d, d.name, start, end, notebooks, period_dir, timeout, fingerprint, agency))

    period_dir.mkdir(parents=True, exist_ok=True)
    manifest = {
        "smmkit_version": __version__,
        "period": {"start": start.isoformat(), "end": end.isoformat(), "days": (end - start).days + 1},
        "generated_at": None,
        "clients": entries,
    }

    def save() -> None:
        manifest["generated_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        _write_atomic(
            manifest_path, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        )

    progress = _Progress(len(dirs), stderr)
    for r in results:
        progress.advance(f"{r.slug} (unchanged)")
    if tasks:
        ensure_kernel()
        run = _run_dask(tasks, scheduler) if executor == "dask" else _run_local(tasks, jobs)
        try:
            for r in run:
                results.append(r)
                entries[r.slug] = r.manifest_entry()
                save()
                progress.advance(f"{r.slug} {r.status}")
        finally:
            progress.close()
    else:
        progress.close()
    save()

    from smmkit.batch.render import render_index

    # The index shows every client of the manifest (earlier runs too): brand them all.
    earlier = [Path(e["client_dir"]) for e in entries.values() if e.get("client_dir")]
    known = {d.name: d for d in earlier if d.is_dir()} | {d.name: d for d in dirs}
    _write_atomic(
        period_dir / INDEX_NAME, render_index(manifest, agency=agency, brands=_brands(list(known.values())))
    )
    order = {d.name: i for i, d in enumerate(dirs)}
    results.sort(key=lambda r: order[r.slug])
    result = RunResult(period_dir=period_dir, clients=results, duration_s=time.perf_counter() - t0)
    for r in result.failed:
        print(f"{r.slug}: {r.error}", file=stderr)
    print(result.summary(), file=stdout)
    return result
