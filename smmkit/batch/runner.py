"""``smmkit run``: execute the report notebooks for many clients and render their HTML.

A run is a sequence of named steps, each a small function of its own module:

- :func:`check_options` (every option check, in one place),
- discover (:mod:`smmkit.batch.discover`: clients, notebooks, the agency brand),
- :func:`schedule` (fingerprint and skip, :mod:`smmkit.batch.fingerprint`: a task per client
  that changed, a ``skipped`` result per client that did not),
- :func:`execute` (the tasks on the chosen executor; each task is :func:`smmkit.batch.worker.run_client`,
  which publishes the client's folder when it is complete),
- the manifest (:mod:`smmkit.batch.manifest`, saved after every client),
- :func:`write_index` (``index.html``).

Each client (a task) runs in a worker of its own:

1. ``client.yaml`` is read (:func:`smmkit.load_config`) and the exports loaded
   (:func:`smmkit.load_client`), so a bad file fails the client at once, with
   ``PATH:LINE:COLUMN: message``, before any notebook runs; the headline KPIs of
   the index (followers, ER, reach, leads and their change) come from
   :func:`smmkit.kpis`.
2. Every notebook's ``parameters`` cell is checked against what the runner
   passes (:data:`RUN_PARAMETERS`): a parameter the notebook does not declare,
   or one it declares that the runner does not pass, is an error.
3. Each notebook runs through papermill, in order, in one kernel of the client's own
   (:mod:`smmkit.batch.kernel`: started ahead and warmed with the imports, reset between
   notebooks, shut down after the client), with a per-cell timeout; it is rendered to
   HTML (:mod:`smmkit.batch.render`). The clients of a run's last, incomplete round, which
   would leave cores idle, run their notebooks on two kernels of their own at once
   (:func:`tail_kernels`). The exports of those clients and of the first round's are parsed
   into the client's parse cache by the runner while the workers' forkserver imports
   (:class:`_ParseAhead`).

Outputs go to ``OUT/<start>_<end>/<slug>/`` (``<page>.html`` and the executed
``<page>.ipynb``, ``report.xlsx`` and, with ``--pdf``, ``report.pdf``; for a failing notebook papermill's saved notebook as
``<page>.failed.ipynb`` and ``error.txt``), ``OUT/<start>_<end>/manifest.json``
and ``OUT/<start>_<end>/index.html``.

Nothing half-written ever looks finished: a client's files are written into a
hidden staging folder (``.<slug>.partial-<host>-<pid>-<start>``) which replaces
``<slug>/`` only when the client is done; ``manifest.json`` (rewritten after
each client) and ``index.html`` are written to a temporary name and renamed.
What a killed run left (staging folders, folders set aside while publishing, temporary
files of processes of this host that no longer run) is removed when the next run starts
(:func:`smmkit.batch.files.remove_stale`).

One client's failure never stops another's: every exception of a client's task
becomes that client's ``failed`` entry; a worker process that dies (killed by the
out-of-memory killer) fails only the client it ran, after one retry in a new worker
(:data:`WORKER_RETRIES`); a client folder whose name is not a slug fails alone. Runs
writing into one period folder at once update ``manifest.json`` in turn, under a lock,
each keeping the others' clients (:mod:`smmkit.batch.manifest`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from multiprocessing.context import SpawnContext, SpawnProcess
from pathlib import Path
from typing import TextIO

from smmkit.batch.discover import agency_dir, client_brands, client_dirs, discover_notebooks
from smmkit.batch.files import remove_stale
from smmkit.batch.fingerprint import input_fingerprint
from smmkit.batch.manifest import MANIFEST_NAME, Manifest
from smmkit.batch.pdf import PDF_NAME
from smmkit.batch.render import INDEX_NAME
from smmkit.batch.template import FORK_SUPPORTED
from smmkit.batch.worker import (
    ClientResult,
    ClientTask,
    ensure_kernel,
    failed_result,
    run_client,
    start_kernel_ahead,
    write_atomic,
)
from smmkit.config import NOTEBOOKS_DIR, REPORTS_DIR, AgencyConfig, load_agency_config
from smmkit.errors import UsageError

__all__ = [
    "EXECUTORS",
    "Options",
    "Plan",
    "RunResult",
    "check_options",
    "execute",
    "kernels_ahead",
    "tail_kernels",
    "plan",
    "run_reports",
    "schedule",
    "start_workers_early",
    "write_index",
]

EXECUTORS = ("local", "dask")


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


# -- the steps -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """The checked options of a run."""

    start: dt.date
    end: dt.date
    jobs: int
    executor: str
    scheduler: str | None
    timeout: int
    #: ``--pdf``: each client also gets ``report.pdf`` (:mod:`smmkit.batch.pdf`).
    pdf: bool = False


def check_options(
    period, *, jobs: int | None, executor: str, scheduler: str | None, timeout: int, pdf: bool = False
) -> Options:
    """Every option check of ``smmkit run`` and :func:`run_reports`, in one place (UsageError).

    With ``pdf``, the PDF engine must be there (Playwright and Chromium,
    :func:`smmkit.batch.pdf.check_engine`): checked here, before any client runs.
    """
    from smmkit.kpi.periods import parse_day

    if executor not in EXECUTORS:
        raise UsageError(f"`executor` must be one of {', '.join(EXECUTORS)}; got {executor!r}")
    if scheduler and executor != "dask":
        raise UsageError("--scheduler ADDRESS goes with --executor dask")
    if jobs is None:
        jobs = os.cpu_count() or 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise UsageError(f"`jobs` must be a whole number of at least 1; got {jobs!r}")
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout < 1:
        raise UsageError(f"`timeout` must be a whole number of seconds, at least 1; got {timeout!r}")
    start, end = parse_day(period.start, name="period start"), parse_day(period.end, name="period end")
    if end < start:
        raise UsageError(f"period end {end} is before its start {start}")
    if pdf:
        from smmkit.batch.pdf import check_engine

        check_engine()
    return Options(start, end, jobs, executor, scheduler, timeout, bool(pdf))


@dataclass(frozen=True)
class Plan:
    """What a run works on: found and checked before anything runs."""

    dirs: list[Path]
    notebooks: tuple[Path, ...]
    agency: AgencyConfig
    period_dir: Path
    #: Folders that are no client of the run (a name that is not a slug), each with its error:
    #: each fails alone, recorded nowhere (output paths are built only from slugs).
    rejected: tuple[tuple[Path, str], ...] = ()


def plan(
    options: Options,
    client_dirs_: Sequence[str | Path],
    *,
    clients_dir: str | Path | None,
    notebooks_dir: str | Path | None,
    out: str | Path | None,
) -> Plan:
    """Discover: the client folders, the report notebooks, the agency config, the period folder."""
    notebooks = tuple(p.resolve() for p in discover_notebooks(notebooks_dir or NOTEBOOKS_DIR))
    rejected: list = []
    dirs = client_dirs(client_dirs_, clients_dir, rejected=rejected)
    agency_root = agency_dir(client_dirs_, clients_dir)
    agency = load_agency_config(agency_root) if agency_root is not None else AgencyConfig()
    period_dir = (Path(out) if out is not None else REPORTS_DIR).resolve() / f"{options.start}_{options.end}"
    refused = tuple((d, exc.location_message()) for d, exc in rejected)
    return Plan(dirs, notebooks, agency, period_dir, refused)


def schedule(
    work: Plan, options: Options, manifest: Manifest, *, force: bool, only_failed: bool
) -> tuple[list[ClientTask], list[ClientResult]]:
    """Fingerprint and skip: a task per client to run, a ``skipped`` result per client that is not
    (a ``failed`` one for a client whose files cannot be read).

    A client is skipped when its last run was ok, its fingerprint is unchanged and its outputs
    are all there (unless ``force``); with ``only_failed``, every client whose last run did not fail.
    """
    tasks: list[ClientTask] = []
    skipped: list[ClientResult] = []
    for d in work.dirs:
        try:
            fingerprint = input_fingerprint(
                d, notebooks=work.notebooks, start=options.start, end=options.end, agency=work.agency
            )
        except OSError as exc:  # an unreadable file fails its client alone
            skipped.append(
                ClientResult(d.name, d.name, error=f"{exc.filename or d}: cannot read: {exc.strerror or exc}",
                             client_dir=str(d), finished_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
            )  # fmt: skip
            continue
        entry = manifest.entry(d.name)
        outputs = entry.get("outputs", [])
        unchanged = (
            entry.get("status") == "ok"
            and entry.get("fingerprint") == fingerprint
            and all((work.period_dir / p).is_file() for p in outputs)
            and (not options.pdf or f"{d.name}/{PDF_NAME}" in outputs)  # --pdf after a run without
        )
        if (only_failed and entry.get("status") != "failed") or (not only_failed and not force and unchanged):
            skipped.append(
                ClientResult(
                    slug=d.name,
                    name=entry.get("name") or d.name,
                    status="skipped",
                    fingerprint=entry.get("fingerprint"),
                    headline=entry.get("headline") or {},
                )
            )
            continue
        tasks.append(
            ClientTask(
                d, d.name, options.start, options.end, work.notebooks, work.period_dir, options.timeout,
                fingerprint, work.agency, pdf=options.pdf,
            )
        )  # fmt: skip
    return tasks, skipped


def execute(tasks: Sequence[ClientTask], options: Options) -> Iterator[ClientResult]:
    """Run the tasks on the chosen executor; yield each client's result as it finishes."""
    if not tasks:
        return iter(())
    if options.executor == "dask":
        from smmkit.batch.cluster import run_dask

        return run_dask(tasks, scheduler=options.scheduler, jobs=options.jobs)
    ensure_kernel()
    return _run_local(tasks, options.jobs, tasks[0].period_dir)


def write_index(work: Plan, manifest: Manifest) -> None:
    """``index.html``: every client of the manifest (earlier runs too), each with its brand."""
    from smmkit.batch.render import render_index

    earlier = [Path(e["client_dir"]) for e in manifest.clients.values() if e.get("client_dir")]
    known = {d.name: d for d in earlier if d.is_dir()} | {d.name: d for d in work.dirs}
    html = render_index(manifest.data, agency=work.agency, brands=client_brands(list(known.values())))
    write_atomic(work.period_dir / INDEX_NAME, html)


# -- executors -----------------------------------------------------------------------------------


def kernels_ahead(tasks: Sequence[ClientTask], workers: int) -> list[ClientTask]:
    """The tasks, each told whether its worker starts the next kernel while it runs.

    Workers take the tasks in order, and each has one kernel ready (started ahead) for its next
    task. A task needs to start one ahead only while at least ``workers`` tasks follow it: the
    other ``workers - 1`` ready kernels serve the rest. So the last ``workers`` tasks start none;
    before, every worker warmed one kernel at the end of a run that nobody took.
    """
    last = len(tasks) - workers
    return [replace(task, kernel_ahead=i < last) for i, task in enumerate(tasks)]


def tail_kernels(tasks: Sequence[ClientTask], jobs: int) -> list[ClientTask]:
    """The tasks, those of a run's last, incomplete round told to run on two kernels at once.

    ``jobs`` clients run at a time, taken in order; when the last round has fewer clients
    than ``jobs``, the slots left over would sit idle while it runs (3 clients on 2 cores:
    one core idles for a whole client). Each of its clients then runs its notebooks on two
    kernels (``ClientTask.kernels``) when there are at least two slots per client: the
    client is loaded in both, and each kernel takes the next notebook when it is free.
    """
    tail = len(tasks) % jobs
    if jobs < 2 or not tail or 2 * tail > jobs:
        return list(tasks)
    first = len(tasks) - tail
    return [replace(task, kernels=2) if i >= first else task for i, task in enumerate(tasks)]


class _ParseAhead:
    """The exports of a run's first and last clients parsed into their parse cache by a thread of
    the runner.

    The runner has nothing to do while the forkserver imports the workers' stack (~1 s of
    one core; :func:`start_workers_early`). The clients a run starts with (one per worker)
    then parse their exports in their kernels, and the clients of the last, incomplete round
    (:func:`tail_kernels`) made their second kernel wait while the first parsed them, with a
    core idle. Parsed here first, the first clients (``first`` of ``tasks``, in order), then
    the last round's (:func:`smmkit.load_client`, whose cache keys the raw files by content):
    a kernel that loads a client parsed by then reads it from the cache. A last-round client is
    told so (``ClientTask.parsed``) and both its kernels load it at once; the kernel of a
    first-round client that starts while this thread parses it waits for it and reads what it
    wrote (:func:`smmkit.io.cache.parsing`: before, it parsed the client a second time, in about
    one run of three of the demo clients). The same CPU, moved into idle time (the 3 demo
    clients on 2 jobs: 5.9 -> 5.6 s); nothing at all when the cache is off (``SMMKIT_CACHE=0``).
    A client that does not load here is left to its kernel, which reports why.
    """

    def __init__(self, tasks: Sequence[ClientTask], first: int = 0) -> None:
        from smmkit.io import cache

        ahead = [*tasks[:first], *(t for t in tasks[first:] if t.kernels > 1)]
        self._tasks = ahead if cache.enabled() else []
        self._parsed: set[str] = set()
        self._thread = threading.Thread(target=self._parse, name="smmkit-parse-ahead", daemon=True)
        if self._tasks:
            self._thread.start()

    def _parse(self) -> None:
        from smmkit.io.loading import load_client

        for task in self._tasks:
            try:
                load_client(task.client_dir)
            except Exception:  # noqa: BLE001 - its kernel loads it again and reports the error
                continue
            self._parsed.add(task.slug)

    def told(self, task: ClientTask) -> ClientTask:
        """``task``, told whether its client is parsed (a client still being parsed is not)."""
        return replace(task, parsed=True) if task.slug in self._parsed else task

    def join(self) -> None:
        if self._tasks:  # started
            self._thread.join()


#: How often a client whose worker process died (killed by the OS, e.g. out of memory) is run
#: again in a new worker before it is recorded failed (the Dask executor reruns it likewise).
WORKER_RETRIES = 1


class _Recording:
    """A multiprocessing context that keeps the worker processes it makes (``processes``), so
    that the exit code of a dead one can be read without the pool's internals."""

    _process_class: type

    def __init__(self) -> None:
        super().__init__()
        self.processes: list = []

    def Process(self, *args, **kwargs):  # noqa: N802  (the context's own name)
        process = self._process_class(*args, **kwargs)
        self.processes.append(process)
        return process


class _RecordingSpawn(_Recording, SpawnContext):
    _process_class = SpawnProcess


#: Workers are forked by a forkserver that imported :mod:`smmkit.batch.warm` (Linux: see there);
#: elsewhere they are spawned and import what they need themselves. The forkserver is
#: multiprocessing's: the first local run of a process starts it and it lives as long as that
#: process, so a later run in the same process (a notebook's, the tests') forks its workers at
#: once, with the environment and the kit's code of the first.
FORKSERVER = FORK_SUPPORTED and "forkserver" in multiprocessing.get_all_start_methods()

if FORKSERVER:
    from multiprocessing import forkserver
    from multiprocessing.context import ForkServerContext, ForkServerProcess

    class _RecordingForkServer(_Recording, ForkServerContext):
        _process_class = ForkServerProcess


#: What the forkserver imports before it forks a worker.
FORKSERVER_PRELOAD = ["smmkit.batch.warm"]


def start_workers_early(
    dirs: Sequence[str | Path] = (), *, clients_dir: str | Path | None = None, jobs: int | None, executor: str
) -> bool:
    """Start the forkserver of the local executor's workers now, when the run will have workers
    (:data:`FORKSERVER`; ``executor`` local, ``jobs`` and the client folders both at least 2):
    ``smmkit run`` calls it first thing, so the forkserver's imports (:mod:`smmkit.batch.warm`,
    about 1 s) run while the command checks the period and finds and fingerprints the
    clients, not after. Returns whether it started it. Best effort: whatever it cannot tell
    leaves the start to the first worker, and the run reports bad options itself.

    When every client then turns out unchanged (skipped), the forkserver ends after its imports,
    a moment after the command.
    """
    slots = os.cpu_count() if jobs is None else jobs
    if not FORKSERVER or executor != "local" or not isinstance(slots, int) or slots < 2:
        return False
    try:
        if len(client_dirs(dirs, clients_dir)) < 2:  # one client runs in this process
            return False
    except Exception:  # noqa: BLE001 - e.g. a missing folder: the run itself says so
        return False
    forkserver.set_forkserver_preload(FORKSERVER_PRELOAD)
    forkserver.ensure_running()
    return True


def _worker_pool() -> tuple[ProcessPoolExecutor, _Recording]:
    """A pool of one worker process (its first kernel started ahead), with its context: a
    worker that dies breaks its own pool only, and that pool ran exactly one client."""
    if FORKSERVER:
        context: _Recording = _RecordingForkServer()
        context.set_forkserver_preload(FORKSERVER_PRELOAD)  # type: ignore[attr-defined]
    else:
        context = _RecordingSpawn()
    return ProcessPoolExecutor(1, mp_context=context, initializer=start_kernel_ahead), context


def _death(context: _Recording) -> str:
    """How the worker process of a pool ended: ``"killed by SIGKILL"``, ``"exit code 3"``."""
    processes = context.processes
    for process in processes:
        process.join(timeout=5)  # the pool's thread may be reaping it at the same time
    codes = [p.exitcode for p in processes if p.exitcode is not None]
    if not codes:
        return "ended abruptly"
    code = codes[0]
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
        return f"killed by signal {-code}"
    return f"exit code {code}"


def _worker_died(task: ClientTask, how: str, attempts: int) -> ClientResult:
    result = failed_result(task, RuntimeError())
    again = f" (also when run again, {attempts} times in all)" if attempts > 1 else ""
    result.error = (
        f"the worker process running this client died: {how}{again}; the system may have run out of memory"
    )
    return result


def _run_local(tasks: Sequence[ClientTask], jobs: int, period_dir: Path) -> Iterator[ClientResult]:
    """Run ``tasks`` in ``jobs`` worker processes, each its own one-process pool.

    A worker that dies (SIGKILL of the out-of-memory killer) fails only the client it was
    running: its pool is replaced by a new one and the client runs again, up to
    :data:`WORKER_RETRIES` times, while the other workers go on.
    """
    tasks = tail_kernels(tasks, jobs)
    if jobs == 1 or len(tasks) == 1:
        start_kernel_ahead()
        for task in kernels_ahead(tasks, 1):
            yield run_client(task)
        return
    workers = min(jobs, len(tasks))
    todo = deque(kernels_ahead(tasks, workers))
    attempts: dict[str, int] = {}
    parsing = _ParseAhead(list(todo), workers)  # the first round's clients, then the last's
    pools = [_worker_pool() for _ in range(workers)]
    running: dict[Future, tuple[int, ClientTask]] = {}
    try:
        while todo or running:
            busy = {i for i, _ in running.values()}
            for i in (i for i in range(workers) if i not in busy):
                if todo:
                    task = parsing.told(todo.popleft())
                    attempts[task.slug] = attempts.get(task.slug, 0) + 1
                    running[pools[i][0].submit(run_client, task)] = (i, task)
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                i, task = running.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    how = _death(pools[i][1])
                    pools[i][0].shutdown(wait=True)
                    pools[i] = _worker_pool()
                    remove_stale(period_dir)  # the dead worker's staging folder
                    if attempts[task.slug] <= WORKER_RETRIES:
                        todo.appendleft(task)
                    else:
                        yield _worker_died(task, how, attempts[task.slug])
                except Exception as exc:  # noqa: BLE001 - e.g. a result that does not unpickle
                    yield failed_result(task, exc)
    finally:
        for pool, _ in pools:
            pool.shutdown(wait=True, cancel_futures=True)
        parsing.join()  # no thread of a run outlives it


@contextlib.contextmanager
def _period_folder(period_dir: Path) -> Iterator[None]:
    """Create ``period_dir`` (and its missing parents) and remove what killed runs left there
    (:func:`~smmkit.batch.files.remove_stale`); when the run fails before anything is written
    (a Dask scheduler that cannot be reached), remove the folders it created, if still empty."""
    created = [p for p in (period_dir, *period_dir.parents) if not p.exists()]
    period_dir.mkdir(parents=True, exist_ok=True)
    remove_stale(period_dir)
    try:
        yield
    except BaseException:
        for folder in created:  # deepest first; a folder another run wrote into is kept
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise


def _clock(seconds: float) -> str:
    """``75.2`` -> ``"1:15"``; ``3725`` -> ``"1:02:05"``."""
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class _Progress:
    """A one-line progress bar on a terminal; silent when the stream is not one.

    ``[#######.......] 7/24 ok, 1 failed · 2:10 elapsed · ~4:50 left · bob-cafe ok``: clients
    done of all, how many failed, the time since the run started and an estimate of the
    time left (the clients still to run at the pace of those run so far; skipped clients
    cost nothing and do not count towards the pace).
    """

    def __init__(self, total: int, stream: TextIO, *, clock=time.monotonic) -> None:
        self.total, self.done, self.failed, self.skipped, self.stream = total, 0, 0, 0, stream
        self.clock, self.started = clock, clock()
        self.active = total > 0 and stream.isatty()

    def estimate(self) -> float | None:
        """Seconds left: (elapsed / clients run) x clients left; None before the first client ran."""
        left, ran = self.total - self.done, self.done - self.skipped
        if left == 0:
            return 0.0
        return None if ran == 0 else (self.clock() - self.started) / ran * left

    def advance(self, label: str, status: str = "ok") -> None:
        self.done += 1
        self.failed += status == "failed"
        self.skipped += status == "skipped"
        if self.active:
            width = 30
            filled = width * self.done // self.total
            bar = "#" * filled + "." * (width - filled)
            left = self.estimate()
            eta = "" if left is None else f" · ~{_clock(left)} left"
            self.stream.write(
                f"\r[{bar}] {self.done}/{self.total} {label[:40]} · {self.failed} failed"
                f" · {_clock(self.clock() - self.started)} elapsed{eta}\033[K"
            )
            self.stream.flush()

    def close(self) -> None:
        if self.active:
            self.stream.write("\n")
            self.stream.flush()


def _execute_and_record(
    work: Plan,
    options: Options,
    manifest: Manifest,
    tasks: list[ClientTask],
    results: list[ClientResult],
    stderr: TextIO,
) -> None:
    """Run ``tasks``, adding each result to ``results`` and to the manifest as it comes; then
    write the index (under the manifest's lock, from what every run recorded)."""
    progress = _Progress(len(work.dirs), stderr)
    with _period_folder(work.period_dir):
        for r in results:
            if r.status == "failed":
                manifest.record(r)
            progress.advance(
                f"{r.slug} (unchanged)" if r.status == "skipped" else f"{r.slug} failed", r.status
            )
        try:
            for r in execute(tasks, options):
                results.append(r)
                manifest.record(r)
                progress.advance(f"{r.slug} {r.status}", r.status)
        finally:
            progress.close()
    with manifest.merged():  # other runs' clients too; the index is written under the same lock
        write_index(work, manifest)


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
    pdf: bool = False,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> RunResult:
    """Execute every report notebook for every client and render the HTML reports.

    Parameters
    ----------
    client_dirs, clients_dir
        Client folders to run; empty = every sub-folder of ``clients_dir`` (default
        :data:`smmkit.config.CLIENTS_DIR`) holding a ``client.yaml``; its ``smmkit.yaml`` brands the run.
    period, out
        An object with ``start`` and ``end`` dates (:class:`smmkit.kpi.periods.Period`); the reports
        folder (default :data:`smmkit.config.REPORTS_DIR`): outputs go to ``out/<start>_<end>/``.
    jobs, executor, scheduler
        Clients run in parallel, each in its own process (default: CPU count; 1: in this process), by
        ``"local"`` processes or ``"dask"`` (:mod:`smmkit.batch.cluster`: at ``scheduler``, else local).
    notebooks_dir, timeout, stdout, stderr
        The report notebooks (default :data:`smmkit.config.NOTEBOOKS_DIR`, :func:`discover_notebooks`);
        the seconds a notebook cell may run; where the summary, progress bar and errors go (``sys``'s).
    force, only_failed, pdf
        Re-run unchanged clients (else skipped); re-run only ``failed`` ones; also write each client's
        ``report.pdf`` (:mod:`smmkit.batch.pdf`; every client gets ``report.xlsx``).

    Returns
    -------
    RunResult
        Per-client results; ``exit_code`` is 0 when every client is ok or skipped, 1 when some failed.

    Raises
    ------
    UsageError, ConfigError
        Bad options (``pdf`` without Playwright or Chromium), no notebooks or clients, ``only_failed``
        without a manifest for the period; a bad ``smmkit.yaml``. Nothing runs then.
    """
    t0 = time.perf_counter()
    checks = {"jobs": jobs, "executor": executor, "scheduler": scheduler, "timeout": timeout, "pdf": pdf}
    options = check_options(period, **checks)
    work = plan(options, client_dirs, clients_dir=clients_dir, notebooks_dir=notebooks_dir, out=out)
    manifest = _open_manifest(work, options, only_failed=only_failed)
    tasks, results = schedule(work, options, manifest, force=force, only_failed=only_failed)
    stdout, stderr = (sys.stdout if stdout is None else stdout), (sys.stderr if stderr is None else stderr)
    if work.dirs:
        _execute_and_record(work, options, manifest, tasks, results, stderr)
    result = _result(work, results, time.perf_counter() - t0)
    _print_outcome(result, stdout, stderr)
    return result


def _print_outcome(result: RunResult, stdout: TextIO, stderr: TextIO) -> None:
    """Each failed client's error on ``stderr``, then the summary line on ``stdout``."""
    for r in result.failed:
        print(f"{r.slug}: {r.error}", file=stderr)
    print(result.summary(), file=stdout)


def _open_manifest(work: Plan, options: Options, *, only_failed: bool) -> Manifest:
    """The period's manifest; ``--only-failed`` needs one written by an earlier run (UsageError)."""
    if only_failed and not (work.period_dir / MANIFEST_NAME).is_file():
        raise UsageError(
            f"--only-failed: no {MANIFEST_NAME} in {work.period_dir}; nothing has run for this period"
        )
    return Manifest.open(work.period_dir, start=options.start, end=options.end)


def _result(work: Plan, results: list[ClientResult], duration_s: float) -> RunResult:
    """The run's result: every client (rejected folders too), in the order the run found them."""
    results += [ClientResult(d.name, d.name, error=error, client_dir=str(d)) for d, error in work.rejected]
    order = {d.name: i for i, d in enumerate([*work.dirs, *(d for d, _ in work.rejected)])}
    results.sort(key=lambda r: order[r.slug])
    return RunResult(period_dir=work.period_dir, clients=results, duration_s=duration_s)
