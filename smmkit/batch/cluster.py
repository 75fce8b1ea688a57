"""The dask executor of ``smmkit run``: one task per client on a Dask distributed cluster,
with no shared file system.

The kit grows no scheduler of its own: Dask distributed places the tasks, reruns a task whose
worker was lost on another worker (at most ``distributed.scheduler.allowed-failures`` times,
:data:`ALLOWED_FAILURES` on the local cluster) and tells which task finished.

A task carries its client as bytes (:func:`pack`): a zip of the client folder, the notebooks
folder and the agency's ``smmkit.yaml`` with its logo (all small), laid out as on the submitter. On a worker,
:func:`run_packed` unpacks them into a fresh temporary folder, points a copy of the
:class:`~smmkit.batch.worker.ClientTask` there and calls :func:`~smmkit.batch.worker.run_client`,
exactly what the local executor runs; it returns the :class:`~smmkit.batch.worker.ClientResult`
and the client's published folder (pages, executed notebooks, error files) as a zip. The
submitting process writes that folder (:func:`receive`) through a staging folder and an atomic
rename, as the local executor does (with ``--pdf`` it makes the client's ``report.pdf`` there: the
workers need no browser), and the runner records the manifest and writes the index.
Workers need the kit installed (``pip install smmkit[dask]``), nothing else: neither the client
folders nor the output folder.

The bytes travel inside the task itself, not as scattered data: the scheduler keeps a task's
arguments, so a task whose worker dies is rerun elsewhere with them (scattered data would die
with its worker). At most :func:`_in_flight` clients are submitted at a time, so neither the
submitting process nor the scheduler holds every client of a big agency at once.

A notebook that fails is no exception on the worker: ``run_client`` returns a ``failed``
result, so Dask never retries it; only a lost worker reruns a task.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import shutil
import tempfile
import threading
import uuid
import zipfile
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from smmkit.batch.files import publish, staging_dir
from smmkit.batch.pdf import PDF_NAME
from smmkit.batch.worker import ClientResult, ClientTask, ensure_kernel, failed_result, make_pdf, run_client
from smmkit.errors import SmmkitError, UsageError

__all__ = [
    "ALLOWED_FAILURES",
    "CONNECT_TIMEOUT",
    "pack",
    "receive",
    "run_dask",
    "run_packed",
]

#: How often a task may lose its worker before the client is recorded failed (the local
#: cluster's ``distributed.scheduler.allowed-failures``; a remote scheduler keeps its own,
#: whose default is also 3).
ALLOWED_FAILURES = 3

#: How long to wait for a scheduler given with ``--scheduler`` before it is a usage error.
CONNECT_TIMEOUT = "5s"

#: Clients submitted ahead per worker thread: enough to keep every worker busy.
AHEAD_PER_THREAD = 2

_CLIENTS, _NOTEBOOKS = "clients", "notebooks"

#: Files the worker writes that hold the worker's paths: rewritten to the submitter's.
_TEXT_SUFFIXES = (".ipynb", ".txt")


# -- the payload ---------------------------------------------------------------------------------


def _files(root: Path) -> list[Path]:
    """Every file under ``root``, as the loader sees them (``rglob``), sorted."""
    return sorted(p for p in root.rglob("*") if p.is_file())


def _notebook_roots(task: ClientTask) -> list[Path]:
    """The folders of the task's notebooks (one in practice), in order of first use."""
    return list(dict.fromkeys(nb.parent for nb in task.notebooks))


def _agency_files(task: ClientTask) -> dict[Path, str]:
    """The agency's ``smmkit.yaml`` and logo -> their names relative to the clients folder."""
    agency = task.agency
    if agency is None or agency.path is None:
        return {}
    home = Path(agency.path).parent
    files = {Path(agency.path): Path(agency.path).name}
    if agency.logo is not None:
        logo = Path(agency.logo)
        files[logo] = logo.relative_to(home).as_posix() if logo.is_relative_to(home) else logo.name
    return files


def pack(task: ClientTask) -> bytes:
    """Everything ``task`` reads, as a zip laid out as the submitter's folders are:
    ``clients/<slug>/...`` (the client folder), ``clients/smmkit.yaml`` and the agency's logo
    beside it, and ``notebooks/<i>/...`` (each notebooks folder whole: helpers beside the report
    notebooks too)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for path in _files(task.client_dir):
            zf.write(path, f"{_CLIENTS}/{task.slug}/{path.relative_to(task.client_dir).as_posix()}")
        for i, root in enumerate(_notebook_roots(task)):
            for path in _files(root):
                if ".ipynb_checkpoints" not in path.parts:
                    zf.write(path, f"{_NOTEBOOKS}/{i}/{path.relative_to(root).as_posix()}")
        for path, name in _agency_files(task).items():
            zf.write(path, f"{_CLIENTS}/{name}")
    return buffer.getvalue()


def _unzip(data: bytes, target: Path) -> None:
    """Extract ``data`` into ``target``; a member that would land outside it is refused."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            name = PurePosixPath(info.filename)
            if name.is_absolute() or ".." in name.parts:
                raise ValueError(f"refusing the archive member {info.filename!r}")
        zf.extractall(target)


def _zip_folder(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for path in _files(folder):
            zf.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


# -- on the worker -------------------------------------------------------------------------------

_KERNEL_READY = False

#: One client at a time per worker process, even on a worker started with several threads: the
#: kernel pool, the kernels' environment and the renderer are per process, not per thread.
_ONE_CLIENT = threading.Lock()


def _ensure_kernel_once() -> None:
    global _KERNEL_READY
    if not _KERNEL_READY:
        ensure_kernel()
        _KERNEL_READY = True


def _replacer(pairs: list[tuple[str, str]]):
    """``text -> text`` with every worker path of ``pairs`` replaced by the submitter's."""
    pairs = sorted(pairs, key=lambda p: -len(p[0]))  # a folder's sub-folders first

    def replace(text: str | None, *, as_json: bool = False) -> str | None:
        if text is None:
            return None
        for old, new in pairs:
            text = text.replace(old, json.dumps(new)[1:-1] if as_json else new)
        return text

    return replace


def run_packed(payload: bytes, task: ClientTask) -> tuple[ClientResult, bytes]:
    """The task a Dask worker runs: unpack ``payload`` (:func:`pack`) into a temporary folder,
    run the client there with :func:`~smmkit.batch.worker.run_client` and return its result and
    its published folder as a zip.

    Paths in the result and in the executed notebooks and error files are the submitter's
    (``task``'s), as if the client had run where it was submitted. Never raises for a client's
    own failure (a bad export, a failing notebook): those are the ``failed`` result.
    """
    with _ONE_CLIENT, tempfile.TemporaryDirectory(prefix=f"smmkit-{task.slug}-") as tmp:
        root = Path(tmp)
        _unzip(payload, root / "in")
        client_dir = root / "in" / _CLIENTS / task.slug
        client_dir.mkdir(parents=True, exist_ok=True)
        period_dir = root / "out" / task.period_dir.name
        period_dir.mkdir(parents=True)
        pairs = [(str(client_dir), str(task.client_dir)), (str(period_dir), str(task.period_dir))]
        roots = _notebook_roots(task)
        for i, nb_root in enumerate(roots):
            pairs.append((str(root / "in" / _NOTEBOOKS / str(i)), str(nb_root)))
        notebooks = tuple(
            root / "in" / _NOTEBOOKS / str(roots.index(nb.parent)) / nb.name for nb in task.notebooks
        )
        agency = task.agency
        if agency is not None and agency.path is not None:
            names = _agency_files(task)
            moved = {
                field: root / "in" / _CLIENTS / names[Path(getattr(agency, field))]
                for field in ("path", "logo")
                if getattr(agency, field) is not None
            }
            agency = dataclasses.replace(agency, **moved)
            pairs.append((str(root / "in" / _CLIENTS), str(Path(task.agency.path).parent)))
        local = dataclasses.replace(  # the PDF is made by the submitting process (receive)
            task,
            client_dir=client_dir,
            notebooks=notebooks,
            period_dir=period_dir,
            agency=agency,
            pdf_here=False,
        )
        _ensure_kernel_once()
        result = run_client(local)

        replace = _replacer(pairs)
        result.client_dir = str(task.client_dir)
        result.error, result.traceback = replace(result.error), replace(result.traceback)
        result.warnings = [replace(w) for w in result.warnings]
        folder = period_dir / task.slug
        for path in _files(folder) if folder.is_dir() else ():
            if path.suffix in _TEXT_SUFFIXES:
                text = path.read_text(encoding="utf-8")
                path.write_text(replace(text, as_json=path.suffix == ".ipynb"), encoding="utf-8")
        return result, _zip_folder(folder) if folder.is_dir() else b""


# -- on the submitting side ----------------------------------------------------------------------


def receive(task: ClientTask, result: ClientResult, data: bytes) -> ClientResult:
    """Write a client's folder returned by :func:`run_packed` to ``period_dir/<slug>/``: into a
    hidden staging folder, then renamed over the old one (as the local executor publishes)."""
    result.client_dir = str(task.client_dir.resolve())
    staging = staging_dir(task.period_dir, task.slug)
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        if data:
            _unzip(data, staging)
        if task.pdf and result.status == "ok":
            _pdf(task, staging, result)
        publish(staging, task.period_dir / task.slug)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        result.status, result.pages = "failed", []
        result.error = f"could not write {task.period_dir / task.slug}: {exc}"
    return result


def _pdf(task: ClientTask, staging: Path, result: ClientResult) -> None:
    """The client's ``report.pdf``, made here from the pages its worker returned; a failure fails
    that client alone (its pages are still published, as the local executor does)."""
    try:
        make_pdf(task, staging, result)
    except SmmkitError as exc:  # PdfError, or a client.yaml changed since
        result.status, result.pages = "failed", []
        result.error = f"{PDF_NAME}: {exc}"
        (staging / "error.txt").write_text(f"{result.error}\n", encoding="utf-8")


def _lost(task: ClientTask, exc: BaseException) -> ClientResult:
    """The ``failed`` result of a task that Dask gave up on (e.g. ``KilledWorker``: its
    workers died :data:`ALLOWED_FAILURES` times) or that could not run at all."""
    result = failed_result(task, exc)
    result.error = f"dask: {result.error}"
    return result


@contextlib.contextmanager
def _connect(scheduler: str | None, workers: int) -> Iterator[object]:
    """A Dask client of the scheduler at ``scheduler``; without one, of a new local cluster of
    ``workers`` single-threaded worker processes (the kernels and papermill's working
    directory are per process)."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise UsageError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from None
        with client:
            yield client
        return
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}),
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _in_flight(client) -> int:
    """How many clients to keep submitted: :data:`AHEAD_PER_THREAD` per worker thread."""
    return max(AHEAD_PER_THREAD, AHEAD_PER_THREAD * sum(client.nthreads().values()))


def run_dask(tasks: Sequence[ClientTask], *, scheduler: str | None, jobs: int) -> Iterator[ClientResult]:
    """Run ``tasks`` on the Dask cluster at ``scheduler`` (or on a local cluster of
    ``min(jobs, len(tasks))`` workers); yield each client's result once its files are written."""
    try:
        from distributed import as_completed
    except ImportError:
        raise UsageError(
            "the dask executor needs the `distributed` package (pip install 'smmkit[dask]'); "
            "or use --executor local"
        ) from None

    todo = deque(tasks)
    with _connect(scheduler, min(jobs, len(tasks))) as client:
        running: dict[object, ClientTask] = {}
        finished = as_completed()
        while todo or running:
            limit = _in_flight(client) if todo else 0
            while todo and len(running) < limit:
                task = todo.popleft()
                try:
                    payload = pack(task)
                except OSError as exc:
                    yield failed_result(task, exc)
                    continue
                key = f"smmkit-{task.slug}-{uuid.uuid4().hex[:8]}"
                future = client.submit(run_packed, payload, task, key=key, pure=False)
                running[future] = task
                finished.add(future)
            if not running:
                continue
            future = next(finished)
            task = running.pop(future)
            try:
                result, data = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost task fails its client alone
                yield _lost(task, exc)
                continue
            finally:
                future.release()
            yield receive(task, result, data)
