"""Issue 20, "One client never stops or corrupts another": a killed worker, two runs into one
period folder, a broken ``client.yaml`` among good clients, an unreachable Dask scheduler, what
killed runs leave behind and a write that fails half-way.

Each test plants the failure for real (a notebook that SIGKILLs its worker process, two
``smmkit run`` subprocesses at once, a run SIGKILLed mid-client, a full disk) and checks what
the good clients and the files on disk look like afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from support.findings_clients import write_client as write_findings_client

from smmkit.batch.files import owner_tag, publish, remove_stale, staging_dir, write_atomic
from smmkit.batch.runner import run_reports
from smmkit.cli import main
from smmkit.kpi.periods import Period

TESTS = Path(__file__).resolve().parents[1]
ROOT = TESTS.parent
REPORT = TESTS / "fixtures" / "notebooks" / "report"
OCTOBER = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 28))
PERIOD = "2026-10-01_2026-10-28"
RUN_ARGS = ["--start", "2026-10-01", "--end", "2026-10-28"]

HIDDEN_LEFTOVER = re.compile(r"\.(partial|old)-|\.tmp$|\.lock$")


def make_client(root: Path, slug: str, name: str) -> Path:
    folder = root / slug
    (folder / "exports").mkdir(parents=True)
    (folder / "client.yaml").write_text(f"name: {name}\n", encoding="utf-8")
    return folder


def parameters_cell() -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell('client_dir = ""\nstart = ""\nend = ""')
    cell.metadata["tags"] = ["parameters"]
    return cell


def write_notebook(folder: Path, name: str, *sources: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [parameters_cell(), *(nbformat.v4.new_code_cell(s) for s in sources)]
    nbformat.write(nb, folder / name)
    return folder / name


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if HIDDEN_LEFTOVER.search(p.name))


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


# -- 1. a worker process killed mid-run fails its client alone -------------------------------------

#: Kills the worker process running it (the kernel's parent, or the parent of the template a
#: forked kernel came from), for the client named "Killer ..."
#: only, and only when that parent is a worker of the local executor's process pool.
KILL_WORKER = """\
import os, pathlib, signal, sys
if pathlib.Path(client_dir, "client.yaml").read_text().startswith("name: Killer"):
    worker = os.getppid()
    template = sys.modules.get("smmkit.batch.template")
    if template is not None and template.SERVING:  # a forked kernel: the template's parent
        stat = pathlib.Path(f"/proc/{worker}/stat").read_text()  # a forked kernel: the template's parent
        worker = int(stat.rsplit(")", 1)[1].split()[1])
    if b"multiprocessing" in pathlib.Path(f"/proc/{worker}/cmdline").read_bytes():
        os.kill(worker, signal.SIGKILL)
print("survived")
"""


@pytest.mark.slow
def test_a_killed_worker_fails_its_client_alone_and_the_others_render(tmp_path):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "1-page.ipynb", "print('page of', client_dir)")
    write_notebook(notebooks, "2-kill.ipynb", KILL_WORKER)
    clients = tmp_path / "clients"
    dirs = [make_client(clients, s, n) for s, n in (("alpha", "Alpha"), ("killer", "Killer Co"),
                                                    ("gamma", "Gamma"), ("delta", "Delta"))]  # fmt: skip
    stderr = io.StringIO()
    result = run_reports(dirs, period=OCTOBER, out=tmp_path / "out", jobs=2, notebooks_dir=notebooks,
                         timeout=120, stdout=io.StringIO(), stderr=stderr)  # fmt: skip

    statuses = {c.slug: (c.status, c.error) for c in result.clients}
    for slug in ("alpha", "gamma", "delta"):
        assert statuses[slug] == ("ok", None), statuses
        for page in ("page.html", "kill.html"):
            assert (result.period_dir / slug / page).is_file()
    status, error = statuses["killer"]
    assert status == "failed"
    assert error == (
        "the worker process running this client died: killed by SIGKILL (also when run again, 2 times "
        "in all); the system may have run out of memory"
    )
    assert result.exit_code == 1
    manifest = json.loads(result.manifest_path.read_text(encoding="utf-8"))
    assert {s: e["status"] for s, e in manifest["clients"].items()} == {
        "alpha": "ok", "killer": "failed", "gamma": "ok", "delta": "ok"
    }  # fmt: skip
    assert f"killer: {error}" in stderr.getvalue()
    index = result.index_path.read_text(encoding="utf-8")
    for slug in ("alpha", "gamma", "delta"):
        assert f'href="{slug}/page.html"' in index
    assert leftovers(result.period_dir) == []  # the dead workers' staging folders are gone


# -- 2. two runs at once into one period folder -----------------------------------------------------


@pytest.mark.slow
def test_two_concurrent_runs_into_one_out_both_land_in_the_manifest_and_index(tmp_path):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "1-page.ipynb", "import time\ntime.sleep(2)\nprint('page of', client_dir)")
    out = tmp_path / "out"
    slugs = ["alpha", "beta", "gamma"]
    argv = [sys.executable, "-m", "smmkit", "run", *RUN_ARGS, "--out", str(out), "--notebooks", str(notebooks),
            "--jobs", "1"]  # fmt: skip
    runs = [
        subprocess.Popen(
            [*argv, str(make_client(tmp_path / "clients", s, s.title()))],
            env=env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for s in slugs
    ]
    for run in runs:
        stdout, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr
    period_dir = out / PERIOD
    manifest = json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))
    assert {s: e["status"] for s, e in manifest["clients"].items()} == dict.fromkeys(slugs, "ok")
    index = (period_dir / "index.html").read_text(encoding="utf-8")
    for slug in slugs:
        assert f'href="{slug}/page.html"' in index
        assert (period_dir / slug / "page.html").is_file()
    assert leftovers(period_dir) == []


def test_manifest_updates_merge_with_what_another_run_wrote(tmp_path):
    """Run B records its client while run A is between two of its clients: A's next update
    keeps B's entry, and the index of the last run to finish lists everyone."""
    from smmkit.batch.manifest import Manifest
    from smmkit.batch.worker import ClientResult

    period_dir = tmp_path / PERIOD
    period_dir.mkdir()
    a = Manifest.open(period_dir, start=OCTOBER.start, end=OCTOBER.end)
    b = Manifest.open(period_dir, start=OCTOBER.start, end=OCTOBER.end)
    a.record(ClientResult("alpha", "Alpha", status="ok"))
    b.record(ClientResult("beta", "Beta", status="ok"))
    a.record(ClientResult("gamma", "Gamma", status="failed", error="boom"))
    a.save()
    on_disk = json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))
    assert {s: e["status"] for s, e in on_disk["clients"].items()} == {
        "alpha": "ok", "beta": "ok", "gamma": "failed"
    }  # fmt: skip
    assert set(a.clients) == {"alpha", "beta", "gamma"}  # what a's index is rendered from
    assert leftovers(period_dir) == []


# -- 3. a broken client.yaml among good clients -----------------------------------------------------


def _mentions(negative_on: str | None) -> list[dict]:
    rows = [
        {"published_at": f"{d.date()} {h}:00", "brand": "Acme", "network": "vk", "sentiment": "neutral",
         "author": "fan", "reach": 10, "text": "ok", "url": ""}
        for d in pd.date_range(end="2026-10-31", periods=60) for h in (10, 15)
    ]  # fmt: skip
    if negative_on:
        rows += [
            {"published_at": f"{negative_on} 18:{i:02d}", "brand": "acme", "network": "vk",
             "sentiment": "negative", "author": "critic", "reach": 100, "text": "bad", "url": f"u{i}"}
            for i in range(12)
        ]  # fmt: skip
    return rows


BROKEN_YAML = [
    pytest.param("name: Acme\nnmae: typo\n", r"client\.yaml:2:nmae: unknown key 'nmae'", id="unknown-key"),
    pytest.param("name: [unclosed\n", r"client\.yaml:\d+:", id="not-yaml"),
    pytest.param("timezone: UTC\n", r"client\.yaml:.*name", id="no-name"),
    pytest.param("name: Acme\ntimezone: Mars/Olympus\n", r"client\.yaml:2:timezone", id="bad-timezone"),
    pytest.param("- just\n- a list\n", r"client\.yaml:", id="not-a-mapping"),
]


def _alerts(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["alerts", *argv])
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("yaml", "error"), BROKEN_YAML)
def test_alerts_reports_the_good_clients_beside_a_broken_client_yaml(tmp_path, yaml, error):
    clients = tmp_path / "clients"
    write_findings_client(clients / "a-quiet", mentions=_mentions(None))
    write_findings_client(clients / "b-bad", yaml=yaml, mentions=_mentions(None))
    write_findings_client(clients / "c-quiet", mentions=_mentions(None))

    code, out, err = _alerts("--clients-dir", str(clients))
    assert code == 1
    assert "a-quiet: nothing to look at (2026-10-30 and 2026-10-31)" in out
    assert "c-quiet: nothing to look at (2026-10-30 and 2026-10-31)" in out
    assert "b-bad: not checked" in out
    (line, summary) = err.splitlines()
    assert re.match(rf"^{re.escape(str(clients / 'b-bad'))}/{error}", line), line
    assert "Traceback" not in err and summary == "1 error: 1 client(s) not checked"

    # the same when the clients are named one by one, and in JSON
    code, out, _ = _alerts(str(clients / "a-quiet"), str(clients / "b-bad"), "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["exit_code"] == 1
    assert [(c["client"], bool(c["errors"])) for c in doc["clients"]] == [("a-quiet", False), ("b-bad", True)]


def test_alerts_a_spike_beside_a_broken_client_prints_the_spike_and_exits_1(tmp_path):
    """Precedence: an unchecked client (1) wins over a spike (3), which is still printed."""
    clients = tmp_path / "clients"
    write_findings_client(clients / "a-loud", mentions=_mentions("2026-10-31"))
    write_findings_client(clients / "b-bad", yaml="name: [unclosed\n", mentions=_mentions(None))
    code, out, err = _alerts("--clients-dir", str(clients))
    assert code == 1
    assert re.search(r"^a-loud\s+2026-10-31\s+mentions_negative\s+12", out, re.M)
    assert "b-bad" in err and "client.yaml" in err


@pytest.mark.slow
def test_run_a_bad_folder_name_and_a_broken_client_yaml_fail_alone(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "1-page.ipynb", "print('page of', client_dir)")
    clients = tmp_path / "clients"
    make_client(clients, "alpha", "Alpha")
    make_client(clients, "Bad.Name", "Bad")
    (make_client(clients, "broken", "Broken") / "client.yaml").write_text(
        "name: [unclosed\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    argv = ["run", "--clients-dir", str(clients), *RUN_ARGS, "--out", str(out), "--notebooks", str(notebooks),
            "--jobs", "1"]  # fmt: skip
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert re.search(
        r"^Bad\.Name: .*Bad\.Name: client folder name 'Bad\.Name' is not a valid slug", captured.err, re.M
    )
    assert re.search(r"^broken: client\.yaml:\d+", captured.err, re.M)
    assert captured.out.startswith("3 clients: 1 ok, 2 failed, 0 skipped")
    period_dir = out / PERIOD
    assert (period_dir / "alpha" / "page.html").is_file()
    manifest = json.loads((period_dir / "manifest.json").read_text(encoding="utf-8"))
    assert {s: e["status"] for s, e in manifest["clients"].items()} == {"alpha": "ok", "broken": "failed"}
    assert not any("Bad" in p.name for p in period_dir.iterdir())


def test_a_client_whose_files_cannot_be_read_fails_alone_when_scheduled(tmp_path, monkeypatch):
    """Fingerprinting reads every file of every client before anything runs: an unreadable
    file (permission denied, an I/O error) fails that client, not the whole run."""
    import smmkit.batch.runner as runner
    from smmkit.batch.manifest import Manifest

    real = runner.input_fingerprint
    clients = tmp_path / "clients"
    alpha, locked_co = make_client(clients, "alpha", "Alpha"), make_client(clients, "locked-co", "Locked")
    denied = locked_co / "exports" / "posts.csv"

    def fingerprint(client_dir, **kw):
        if Path(client_dir).name == "locked-co":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(denied))
        return real(client_dir, **kw)

    monkeypatch.setattr(runner, "input_fingerprint", fingerprint)
    options = runner.check_options(OCTOBER, jobs=1, executor="local", scheduler=None, timeout=60)
    work = runner.plan(
        options, [alpha, locked_co], clients_dir=None, notebooks_dir=REPORT, out=tmp_path / "out"
    )
    manifest = Manifest.open(work.period_dir, start=OCTOBER.start, end=OCTOBER.end)
    tasks, results = runner.schedule(work, options, manifest, force=False, only_failed=False)
    assert [t.slug for t in tasks] == ["alpha"]
    [failed] = results
    assert (failed.slug, failed.status) == ("locked-co", "failed")
    assert failed.error == f"{denied}: cannot read: Permission denied"


# -- 4. an unreachable Dask scheduler leaves no folder behind ---------------------------------------


@pytest.mark.parametrize("out_exists", [False, True])
def test_an_unreachable_scheduler_leaves_no_period_folder(tmp_path, capsys, out_exists):
    pytest.importorskip("distributed")
    client = make_client(tmp_path / "clients", "alpha", "Alpha")
    out = tmp_path / "out" / "deeper"
    if out_exists:
        out.mkdir(parents=True)
    argv = ["run", str(client), *RUN_ARGS, "--out", str(out), "--notebooks", str(REPORT),
            "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"]  # fmt: skip
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(
        "smmkit run: error: cannot reach the dask scheduler at tcp://127.0.0.1:1"
    )
    assert not (out / PERIOD).exists()
    assert out.exists() == out_exists  # only what this run created is removed
    assert (tmp_path / "out").exists() == out_exists


# -- 5. what killed runs leave behind ----------------------------------------------------------------


def test_remove_stale_removes_dead_runs_leftovers_and_keeps_live_ones(tmp_path):
    period_dir = tmp_path / PERIOD
    period_dir.mkdir()
    dead = dead_pid()
    dead_tag = owner_tag(os.getpid()).replace(f"-{os.getpid()}-", f"-{dead}-")
    stale = [
        f".alpha.partial-{dead_tag}",
        f".beta.partial-{dead}",  # as older versions named it
        f".alpha.old-{dead_tag}",
        f".manifest.json.{dead}.tmp",
        f".gamma.partial-{owner_tag()[:8]}-{os.getpid()}-1",  # this pid, but a process started earlier
    ]
    live = [
        staging_dir(period_dir, "alpha").name,  # this very process
        f".delta.partial-{os.getppid()}",
        f".alpha.partial-00000000-{dead}-5",  # another host's
        ".alpha.partial-notes",  # not a staging folder's name
    ]
    for name in [*stale, *live]:
        (period_dir / name).mkdir()
        (period_dir / name / "overview.html").write_text("x", encoding="utf-8")
    (period_dir / "alpha").mkdir()
    (period_dir / f".zeta.old-{dead_tag}").mkdir()  # killed between publish's two renames
    (period_dir / f".zeta.old-{dead_tag}" / "page.html").write_text("zeta", encoding="utf-8")

    removed = remove_stale(period_dir)
    assert sorted(p.name for p in removed) == sorted([*stale, f".zeta.old-{dead_tag}"])
    assert sorted(p.name for p in period_dir.iterdir()) == sorted([*live, "alpha", "zeta"])
    assert (period_dir / "zeta" / "page.html").read_text(encoding="utf-8") == "zeta"  # put back


@pytest.mark.slow
def test_a_run_killed_mid_client_leaves_nothing_for_the_next_run(tmp_path):
    """SIGKILL a real ``smmkit run`` while its client is staged: the next run removes the
    staging folder (its process is dead), and renders everything."""
    notebooks = tmp_path / "notebooks"
    write_notebook(notebooks, "1-page.ipynb", "import time\ntime.sleep(60)")
    client = make_client(tmp_path / "clients", "alpha", "Alpha")
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "smmkit", "run", str(client), *RUN_ARGS, "--out", str(out),
            "--notebooks", str(notebooks), "--jobs", "1"]  # fmt: skip
    run = subprocess.Popen(argv, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    period_dir = out / PERIOD
    deadline = time.monotonic() + 120
    while not list(period_dir.glob(".alpha.partial-*")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list(period_dir.glob(".alpha.partial-*")), "the run never staged its client"
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert leftovers(period_dir) != []

    write_notebook(notebooks, "1-page.ipynb", "print('done')")
    result = run_reports([client], period=OCTOBER, out=out, jobs=1, notebooks_dir=notebooks,
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert [c.status for c in result.clients] == ["ok"]
    assert leftovers(period_dir) == []
    assert sorted(p.name for p in period_dir.iterdir()) == ["alpha", "index.html", "manifest.json"]


def test_publish_replaces_the_folder_and_leaves_nothing_aside(tmp_path):
    final = tmp_path / "alpha"
    final.mkdir()
    (final / "old.html").write_text("old", encoding="utf-8")
    staging = staging_dir(tmp_path, "alpha")
    staging.mkdir()
    (staging / "new.html").write_text("new", encoding="utf-8")
    publish(staging, final)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alpha"]
    assert sorted(p.name for p in final.iterdir()) == ["new.html"]


def test_two_runs_publishing_one_client_at_once_take_turns(tmp_path):
    """Two runs of the same client into one period folder: each publish replaces the folder
    whole (never an ENOTEMPTY from a rename racing the other's), nothing is left aside."""
    import threading

    final = tmp_path / "alpha"
    errors: list[BaseException] = []

    def publisher(who: str) -> None:
        for i in range(150):
            staging = tmp_path / f".alpha.partial-{who}-{i}"
            staging.mkdir()
            (staging / "page.html").write_text(f"{who} {i}", encoding="utf-8")
            try:
                publish(staging, final)
            except OSError as exc:
                errors.append(exc)
                shutil.rmtree(staging, ignore_errors=True)

    threads = [threading.Thread(target=publisher, args=(who,)) for who in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alpha"]
    assert [p.name for p in final.iterdir()] == ["page.html"]


# -- 6. a write that fails leaves no temporary file ---------------------------------------------------


def test_write_atomic_removes_its_temporary_file_on_a_full_disk(tmp_path, monkeypatch):
    import smmkit.fsutil

    target = tmp_path / "manifest.json"
    target.write_text("before\n", encoding="utf-8")
    real_fdopen = os.fdopen

    class FullDisk:  # half of the data gets written, then ENOSPC
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(smmkit.fsutil.os, "fdopen", lambda fd, mode: FullDisk(real_fdopen(fd, mode)))
    with pytest.raises(OSError, match="No space left on device"):
        write_atomic(target, '{"clients": {}}\n')
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json"]
    assert target.read_text(encoding="utf-8") == "before\n"


def test_write_atomic_removes_its_temporary_file_when_the_rename_fails(tmp_path):
    (tmp_path / "index.html").mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(OSError):
        write_atomic(tmp_path / "index.html", "<html></html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_a_full_disk_while_writing_the_manifest_is_one_line_exit_1(tmp_path, capsys, monkeypatch):
    """No traceback: the run's OSError is a one-line error; no temporary file is left."""
    import smmkit.batch.manifest as manifest_module

    def full(path, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    client = make_client(tmp_path / "clients", "alpha", "Alpha")
    (client / "client.yaml").write_text("name: [broken\n", encoding="utf-8")  # fails fast, no notebook
    monkeypatch.setattr(manifest_module, "write_atomic", full)
    argv = ["run", str(client), *RUN_ARGS, "--out", str(tmp_path / "out"), "--notebooks", str(REPORT),
            "--jobs", "1"]  # fmt: skip
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("smmkit run: error: [Errno 28] No space left on device")
    assert leftovers(tmp_path / "out") == []
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
