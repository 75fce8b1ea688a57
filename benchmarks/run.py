"""``make bench``: ``smmkit run`` against the naive loop on the same notebooks; writes its section of
BENCHMARKS.md (between its markers, first in the file: the other parts of the bench keep theirs).

The naive loop is what an analyst scripts by hand: for each client and each report
notebook, the papermill CLI (a fresh kernel per notebook) and then ``jupyter nbconvert
--to html --no-input``, one page after the other. The batch is ``smmkit run --jobs J
--force`` (J = the CPU count, at least 2). Both run in the project's ``.venv``, which ``make
bench`` gives JupyterLab as the analyst's has it (the declared stack): with it, jsonschema's
format checkers come along (rfc3987-syntax builds a grammar when imported, ~0.9 s in every
process that imports nbformat; the batch's own processes skip it: ``smmkit/batch/__init__.py``).
The section says whether JupyterLab was installed: the naive loop is ~1.6x cheaper without it.

Clients: N = 3, 12 and 24, generated deterministically in a temporary folder by copying
the demo clients round-robin (``coffee-point``, ``coffee-point-2``, ...), with the
agency's ``smmkit.yaml``. Every run starts as a month-end run does, with new exports:
no client has a parse cache (``.smmkit-cache``). The batch runs go in ``--repeats``
rounds, each round every N once (3, 12, 24, 3, 12, 24, ...), so a busy spell of the
machine falls on all N alike; every figure is the median of its runs. Ratios come from
this one run, on this one machine, so they compare like with like even when the machine
is busy (its load average is recorded).

Then, once, the month-end run at scale: ``--big`` clients (default 100) generated the same
way, cold, in one ``smmkit run``: its CPU per page, wall per client and the peak memory of
the runner (the largest process, and the sum over the runner's process tree: its workers, their
kernel templates and kernels, sampled every 0.2 s as proportional set sizes, so the pages
a forked kernel shares with its template count once). ``--quick`` (or ``QUICK=1``, e.g.
``make bench QUICK=1``) skips it and runs one round of the small sizes.

    python benchmarks/run.py [--out BENCHMARKS.md] [--sizes 3,12,24] [--repeats 3] [--big 100] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import BinaryIO

from sections import write_section  # benchmarks/sections.py (run as scripts)

from smmkit.io.cache import CACHE_DIR

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "clients"
NOTEBOOKS = ROOT / "notebooks"
BIN = Path(sys.executable).parent
END, WINDOW = "2026-10-31", "28d"
START = "2026-10-04"  # the 28 days ending END
PAGE_LIMIT = 3_000_000
TARGET_RATIO, GOAL_RATIO = 10.0, 15.0  # issue 25
CPU_TARGET, CPU_GOAL = 0.8, 0.5  # CPU s per page (issue 25)
#: "Flat" time per extra client: the per-client cost from 12 to 24 clients within this
#: factor of the cost from 3 to 12.
FLAT_TOLERANCE = 1.25
MARKERS = ("<!-- batch -->", "<!-- /batch -->")  # this part's section of BENCHMARKS.md


def make_clients(root: Path, n: int) -> Path:
    """``root/clients-<n>``: n clients copied round-robin from the demo clients (without
    their parse caches)."""
    demos = sorted(p.parent for p in DEMO.glob("*/client.yaml"))
    folder = root / f"clients-{n}"
    if folder.is_dir():
        return folder
    folder.mkdir(parents=True)
    for name in ("smmkit.yaml", "agency-logo.png"):
        if (DEMO / name).is_file():
            shutil.copy(DEMO / name, folder / name)
    for i in range(n):
        demo = demos[i % len(demos)]
        round_ = i // len(demos) + 1
        shutil.copytree(
            demo,
            folder / (demo.name if round_ == 1 else f"{demo.name}-{round_}"),
            ignore=shutil.ignore_patterns(CACHE_DIR),
        )
    return folder


def new_exports(clients: Path) -> Path:
    """``clients`` as at month-end: every client's parse cache removed (the exports are new)."""
    for cache in clients.glob(f"*/{CACHE_DIR}"):
        shutil.rmtree(cache)
    return clients


def adopt_orphans() -> None:
    """Become the subreaper of the processes the runs start (Linux ``PR_SET_CHILD_SUBREAPER``): a
    descendant that outlives its parent is handed to this process, not to init. The forkserver of
    ``smmkit run``'s workers ends a moment after the run (when its parent exits); it collected
    the workers, and they their templates and kernels, so all their CPU time is in its own
    children's: collected here (:func:`collect_orphans`), it counts as a spawned worker's does."""
    import ctypes

    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)


def collect_orphans() -> None:
    """Wait for every process handed to this one (the runs' forkservers) to end."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def failed(cmd: list[str], code: int, log: BinaryIO) -> None:
    """Stop the benchmark when ``cmd`` failed, with what it printed (``log``, its stdout and stderr
    together; the runs' own output goes to a temporary folder that is removed), so that a failing
    run says why instead of only its exit status."""
    if not code:
        return
    log.seek(0)
    printed = log.read().decode(errors="replace")[-20_000:]
    raise SystemExit(f"{' '.join(cmd)}\nexited with {code}; it printed:\n{printed}")


def timed(cmds: list[list[str]], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (children's user + system) of running ``cmds`` one after another."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    for cmd in cmds:
        with tempfile.TemporaryFile() as log:
            code = subprocess.run(cmd, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
            failed(cmd, code, log)
    collect_orphans()
    return time.perf_counter() - t0, _children_cpu() - cpu0


def _tree_pss(root: int) -> int:
    """Bytes of memory of ``root`` and its descendants (proportional set sizes; 0 for a process
    that ended while read)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, rest = stat.read_text().split(" (", 1)
            children.setdefault(int(rest.rsplit(") ", 1)[1].split()[1]), []).append(int(pid))
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except OSError:
            continue
    return total


def timed_peak(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    """Wall and CPU seconds of ``cmd``, the peak of its process tree's memory (bytes, sampled every
    0.2 s) and the largest resident set of any one of its processes (bytes, Linux's count)."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
        peak = [0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                peak[0] = max(peak[0], _tree_pss(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if Path("/proc/self/smaps_rollup").exists():
            sampler.start()
        code = proc.wait()
        collect_orphans()
        done.set()
        if sampler.is_alive():
            sampler.join()
        failed(cmd, code, log)
    wall, cpu = time.perf_counter() - t0, _children_cpu() - cpu0
    return wall, cpu, peak[0], resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def batch_cmd(clients: Path, out: Path, jobs: int) -> list[list[str]]:
    return [[str(BIN / "smmkit"), "run", "--clients-dir", str(clients), "--window", WINDOW, "--end", END,
             "--out", str(out), "--jobs", str(jobs), "--force"]]  # fmt: skip


def naive_cmds(clients: Path, out: Path) -> list[list[str]]:
    cmds = []
    for client in sorted(p.parent for p in clients.glob("*/client.yaml")):
        for nb in sorted(NOTEBOOKS.glob("[0-9]*.ipynb")):
            done = out / client.name / nb.name
            done.parent.mkdir(parents=True, exist_ok=True)
            cmds.append([str(BIN / "papermill"), str(nb), str(done), "-k", "smmkit", "--cwd", str(NOTEBOOKS),
                         "--no-progress-bar", "-p", "client_dir", str(client), "-p", "start", START,
                         "-p", "end", END])  # fmt: skip
            cmds.append([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(done)])
    return cmds


def even_steps(sizes: list[int], jobs: int) -> float | None:
    """The last step's time per extra client over the first's, for clients that all cost the same:
    ``jobs`` workers finish N clients in ceil(N / jobs) client-times (None when the first step
    adds no client-time)."""
    slots = [math.ceil(n / jobs) for n in sizes]
    first = (slots[1] - slots[0]) / (sizes[1] - sizes[0])
    return None if first == 0 else ((slots[-1] - slots[-2]) / (sizes[-1] - sizes[-2])) / first


def pages(out: Path) -> list[Path]:
    return [p for p in out.rglob("*.html") if p.name != "index.html"]


def machine() -> str:
    model = ""
    with open("/proc/cpuinfo", encoding="utf-8") as info:  # Linux; the bench machines are
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({model or platform.machine()}), "
        f"Python {platform.python_version()}"
    )


def jupyterlab() -> str:
    """Whether the venv has JupyterLab, which decides what the naive loop's processes import."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"with JupyterLab {version('jupyterlab')} installed, as an analyst's has it"
    except PackageNotFoundError:
        return "WITHOUT JupyterLab (not the reference: the naive loop skips jsonschema's format checkers)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--sizes", default="3,12,24")
    parser.add_argument("--repeats", type=int, default=3, help="rounds of batch runs (medians)")
    parser.add_argument("--naive-repeats", type=int, default=2)
    parser.add_argument("--no-warm-up", action="store_true", help="skip the untimed first batch run")
    parser.add_argument(
        "--big", type=int, default=100, help="clients of the month-end run at scale (0: none)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("QUICK", "") not in ("", "0"),
        help="one round, no run at scale (default when QUICK is set)",
    )
    args = parser.parse_args(argv)
    adopt_orphans()
    if args.quick:
        args.big, args.repeats, args.naive_repeats = 0, 1, 1
    sizes = [int(s) for s in args.sizes.split(",")]
    jobs = max(2, os.cpu_count() or 1)
    env = {**os.environ, "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    load_before = os.getloadavg()
    started = dt.datetime.now(dt.UTC)

    runs: dict[int, list[tuple[float, float, int]]] = {n: [] for n in sizes}
    biggest = 0
    with tempfile.TemporaryDirectory(prefix="smmkit-bench-") as tmp:
        tmp = Path(tmp)
        # Warm the file system's cache and the kernel spec once, untimed.
        if not args.no_warm_up:
            timed(batch_cmd(new_exports(make_clients(tmp, sizes[0])), tmp / "warm", jobs), env)
        naive = []
        for r in range(args.naive_repeats):
            out = tmp / f"naive-{r}"
            naive.append(
                (*timed(naive_cmds(new_exports(make_clients(tmp, sizes[0])), out), env), len(pages(out)))
            )
            print(f"naive N={sizes[0]}: {naive[-1][0]:.1f} s", file=sys.stderr)
        for r in range(args.repeats):
            for n in sizes:
                out = tmp / f"batch-{n}-{r}"
                wall, cpu = timed(batch_cmd(new_exports(make_clients(tmp, n)), out, jobs), env)
                found = pages(out)
                biggest = max([biggest, *(p.stat().st_size for p in found)])
                runs[n].append((wall, cpu, len(found)))
                shutil.rmtree(out)
                print(f"batch N={n} round {r + 1}/{args.repeats}: {wall:.1f} s", file=sys.stderr)
        big = None
        if args.big:
            out = tmp / f"batch-{args.big}"
            clients = new_exports(make_clients(tmp, args.big))
            wall, cpu, tree_peak, process_peak = timed_peak(batch_cmd(clients, out, jobs)[0], env)
            big = {"n": args.big, "wall": wall, "cpu": cpu, "pages": len(pages(out)), "tree": tree_peak,
                   "process": process_peak}  # fmt: skip
            shutil.rmtree(out)
            print(f"batch N={args.big} (at scale): {wall:.1f} s", file=sys.stderr)
    rows = {
        n: {
            "wall": statistics.median(w for w, _, _ in done),
            "cpu": statistics.median(c for _, c, _ in done),
            "pages": done[0][2],
            "runs": len(done),
            "walls": [w for w, _, _ in done],
        }
        for n, done in runs.items()
    }
    load_after = os.getloadavg()

    n0 = sizes[0]
    naive_wall = statistics.median(w for w, _, _ in naive)
    naive_cpu = statistics.median(c for _, c, _ in naive)
    naive_pages = naive[0][2]
    ratio = naive_wall / rows[n0]["wall"]
    per_extra = {
        (a, b): (rows[b]["wall"] - rows[a]["wall"]) / (b - a) for a, b in zip(sizes, sizes[1:], strict=False)
    }
    naive_per_client = naive_wall / n0
    lines = [
        MARKERS[0],
        "# Benchmarks: `smmkit run` against the naive loop",
        "",
        f"Written by `make bench` (benchmarks/run.py) on {started:%Y-%m-%d %H:%M} UTC.",
        f"Machine: {machine()}; load average {load_before[0]:.1f} at the start, "
        f"{load_after[0]:.1f} at the end (other work shares the machine: compare the ratios, "
        "which come from this one run, more than the seconds).",
        "",
        f"Period {START} to {END}; the report notebooks of `notebooks/` (5 pages per client); "
        f"clients copied round-robin from the demo clients. Batch: `smmkit run --jobs {jobs} --force`. "
        "Naive: per client and notebook, the papermill CLI then `jupyter nbconvert --to html --no-input`, "
        f"one after the other. Both in the project's venv, {jupyterlab()}. "
        "Every run starts without parse caches, as at month-end; the batch runs "
        f"go in {args.repeats} rounds of every N in turn. Medians of the runs shown.",
        "",
        "| clients | what | runs | pages | wall s | CPU s | wall s per client | CPU s per page | each run, wall s |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---|",
        f"| {n0} | naive loop | {len(naive)} | {naive_pages} | {naive_wall:.1f} | {naive_cpu:.1f} | "
        f"{naive_wall / n0:.2f} | {naive_cpu / max(naive_pages, 1):.2f} | "
        f"{', '.join(f'{w:.1f}' for w, _, _ in naive)} |",
    ]
    for n, row in rows.items():
        lines.append(
            f"| {n} | `smmkit run` | {row['runs']} | {row['pages']} | {row['wall']:.1f} | {row['cpu']:.1f} | "
            f"{row['wall'] / n:.2f} | {row['cpu'] / max(row['pages'], 1):.2f} | "
            f"{', '.join(f'{w:.1f}' for w in row['walls'])} |"
        )
    if big is not None:
        lines.append(
            f"| {big['n']} | `smmkit run`, at scale | 1 | {big['pages']} | {big['wall']:.1f} | {big['cpu']:.1f} | "
            f"{big['wall'] / big['n']:.2f} | {big['cpu'] / max(big['pages'], 1):.2f} | {big['wall']:.1f} |"
        )
        lines += [
            "",
            f"Peak memory of the runner at {big['n']} clients: {big['tree'] / 2**20:.0f} MiB for its whole "
            f"process tree (runner, workers, kernel templates and kernels; proportional set sizes sampled "
            f"every 0.2 s), {big['process'] / 2**20:.0f} MiB for its largest process.",
        ]
    lines += ["", "## Targets", ""]
    verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
    goal = (
        f" (goal {GOAL_RATIO:.0f}x met)" if ratio >= GOAL_RATIO else f" (goal {GOAL_RATIO:.0f}x not reached)"
    )
    lines.append(
        f"- Batch at least {TARGET_RATIO:.0f}x faster than the naive loop on the {n0} demo clients: "
        f"**{ratio:.1f}x** ({naive_wall:.1f} s / {rows[n0]['wall']:.1f} s), {verdict}{goal}. "
        f"CPU per page {rows[n0]['cpu'] / max(rows[n0]['pages'], 1):.2f} s against "
        f"{naive_cpu / max(naive_pages, 1):.2f} s."
    )
    lines.append(
        f"- CPU per page at most {CPU_TARGET:.1f} s (goal {CPU_GOAL:.1f} s), on the {n0} demo clients: "
        f"**{rows[n0]['cpu'] / max(rows[n0]['pages'], 1):.2f} s**, "
        f"{'met' if rows[n0]['cpu'] / max(rows[n0]['pages'], 1) <= CPU_TARGET else 'NOT met'}"
        + (f"; at {big['n']} clients: {big['cpu'] / max(big['pages'], 1):.2f} s" if big else "")
        + "."
    )
    if big is not None:
        last = sizes[-1]
        per_extra[(last, big["n"])] = (big["wall"] - rows[last]["wall"]) / (big["n"] - last)
    curve = ", ".join(f"{a} -> {b} clients: {s:.2f} s per extra client" for (a, b), s in per_extra.items())
    lines.append(
        f"- Time per extra client (wall): {curve}; the naive loop: {naive_per_client:.2f} s per client."
    )
    if len(per_extra) >= 2:
        first, last = list(per_extra.values())[0], list(per_extra.values())[-1]
        flat = last <= first * FLAT_TOLERANCE
        lines.append(
            f"  Flat from {sizes[0]} to {max(b for _, b in per_extra)} clients (the last step within {FLAT_TOLERANCE:.2f}x "
            f"of the first): {'met' if flat else 'NOT met'} ({last:.2f} / {first:.2f} = {last / first:.2f}x)."
        )
        even = even_steps([*sizes, *([big["n"]] if big else [])], jobs)
        if even is not None:
            lines.append(
                f"  For scale: {jobs} workers take ceil(N / {jobs}) client-times for N clients, so clients "
                f"that all cost the same would give {even:.2f}x here."
            )
    lines.append(
        f"- Every page under 3 MB: {'met' if biggest < PAGE_LIMIT else 'NOT met'} "
        f"(largest {biggest / 1e6:.2f} MB)."
    )
    lines += [
        "",
        "The pytest-benchmark benches of loading and KPIs: "
        "`.venv/bin/python -m pytest benchmarks -q --benchmark-only`.",
        MARKERS[1],
    ]
    write_section(Path(args.out), "\n".join(lines), *MARKERS, first=True)  # the other parts' sections stay
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
