"""Issue 20, configuration and the command line: bounded work on any input, and every failure
one clear line (exit 1 for input, 2 for usage), never a traceback.

Each case drives ``smmkit.cli.main`` (or a subprocess, where memory or file-size limits must
hold) and checks the exit code, that the error is one line naming the file, and that no
traceback reaches the user. Input errors keep the contract's one-line summary after them
(data-contract.md section 3: "one per problem, then a one-line summary").
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from smmkit.batch.discover import client_dirs, discover_clients
from smmkit.cli import main
from smmkit.config import load_agency_config, load_config
from smmkit.errors import ConfigError, InputError, InputWarning, NotebookError, UsageError, bounded
from smmkit.io.client import Issue
from smmkit.io.notes import NOTES_LIMIT, read_notes

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "data" / "clients" / "coffee-point"
# the contract's summary line after input errors: "1 error", "0 files, 0 unusable, 0 warnings: 1 error"
SUMMARY = re.compile(r"^(\d+ files?, \d+ unusable, \d+ warnings?: )?\d+ errors?\b.*$")
POSTS = (
    "network,post_id,published_at,post_type,text,url,impressions,reach,likes,comments,shares\n"
    "vk,p1,2026-10-02 10:00,photo,hello,,1000,900,10,1,1\n"
)


def cli(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err: str, *, naming: str, summary: bool = True) -> str:
    """The single error line of ``err`` (which must name ``naming``), with at most the summary after it."""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines, "nothing on stderr"
    rest = lines[1:]
    assert rest == [] or (summary and len(rest) == 1 and SUMMARY.match(rest[0])), err
    assert naming in lines[0], err
    return lines[0]


def usage_error(err: str, *, naming: str) -> str:
    line = one_error(err, naming=naming, summary=False)
    assert line.startswith("smmkit "), line
    return line


@pytest.fixture
def client(make_client):
    """``make_client`` with one canonical posts export; ``client(yaml=...)``."""

    def make(yaml: str = "name: Acme\n", **kw) -> Path:
        return make_client({"posts.csv": POSTS}, yaml=yaml, **kw)

    return make


def write_yaml(root: Path, data: bytes | str, name: str = "client.yaml") -> Path:
    path = root / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# -- 1. YAML: aliases, nesting, size, values that cannot be built ---------------------------------

# 9 ** 9 = 387 million strings behind 466 bytes: `competitors` is not a list of names, and the
# old message quoting it (or any walk over it) expanded every alias.
BOMB = (
    "name: Acme\n"
    'competitors: [&a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"],\n'
    "  &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b],\n"
    "  &d [*c,*c,*c,*c,*c,*c,*c,*c,*c], &e [*d,*d,*d,*d,*d,*d,*d,*d,*d],\n"
    "  &f [*e,*e,*e,*e,*e,*e,*e,*e,*e], &g [*f,*f,*f,*f,*f,*f,*f,*f,*f],\n"
    "  &h [*g,*g,*g,*g,*g,*g,*g,*g,*g], &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]]\n"
)


def _limited(gib: float = 1.0):
    def limit() -> None:
        import resource

        size = int(gib * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return limit


@pytest.mark.parametrize("command", ["validate", "kpis"])
def test_a_yaml_alias_bomb_is_refused_at_its_line_in_bounded_memory(client, command):
    root = client()
    write_yaml(root, BOMB)
    assert len(BOMB.encode()) < 500
    argv = [sys.executable, "-m", "smmkit", command, str(root)] + (
        ["--month", "2026-10"] if command == "kpis" else []
    )
    proc = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited(),
        env=os.environ | {"SMMKIT_CACHE": "0"},
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    line = one_error(proc.stderr, naming=f"{root / 'client.yaml'}:2")
    assert "anchors and aliases" in line


def test_an_agency_smmkit_yaml_with_aliases_is_refused(tmp_path, capsys):
    (tmp_path / "smmkit.yaml").write_text("name: &n Agency\nfooter: *n\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="anchors and aliases") as info:
        load_agency_config(tmp_path)
    assert (info.value.path, info.value.line) == (str(tmp_path / "smmkit.yaml"), 1)


def test_smmkit_yaml_alias_bomb_fails_run_before_any_client(tmp_path, client):
    clients = tmp_path / "clients"
    client(slug="clients/acme")
    agency = BOMB.replace("competitors", "footer").replace("name: Acme", "name: Agency")
    write_yaml(clients, agency, "smmkit.yaml")
    argv = ["run", "--clients-dir", clients, "--month", "2026-10", "--out", tmp_path / "out"]
    proc = subprocess.run(
        [sys.executable, "-m", "smmkit", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limited(),
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "anchors and aliases" in one_error(proc.stderr, naming=f"{clients / 'smmkit.yaml'}:2")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("name: Acme\naliases: " + "[" * 30000 + "]" * 30000 + "\n", 2, "nested more than"),
        ("name: Acme\nmonthly_cost: 2026-13-45\n", 2, "cannot read the value '2026-13-45'"),
        ("name: Acme\nmonthly_cost: " + "9" * 5000 + "\n", 2, "cannot read the value '9999"),
        ("name: Acme\nmonthly_cost: 0x" + "f" * 3000 + "\n", 2, "out of range"),
        ("name: Acme\ncurrency: <<: {a: 1}\n", 2, "not valid YAML"),
    ],
    ids=["deep-nesting", "impossible-date", "5000-digits", "huge-hex", "bad-yaml"],
)
def test_yaml_that_cannot_be_built_is_one_located_line(client, capsys, text, line, needle):
    root = client()
    write_yaml(root, text)
    code, _, err = cli(["validate", root], capsys)
    assert code == 1
    assert needle in one_error(err, naming=f"{root / 'client.yaml'}:{line}")


@pytest.mark.parametrize("name", ["client.yaml", "smmkit.yaml"])
def test_yaml_files_are_capped_at_64_kib(tmp_path, name):
    root = tmp_path / "acme"
    root.mkdir()
    write_yaml(root, "name: Acme\n" + "# padding\n" * 7000)  # 70 KiB of comments
    assert (root / "client.yaml").stat().st_size > 64 * 1024
    if name == "smmkit.yaml":
        (root / "client.yaml").rename(root / name)
        load = load_agency_config
    else:
        load = load_config
    with pytest.raises(ConfigError, match=r"larger than 64 KiB") as info:
        load(root)
    assert info.value.path == str(root / name)


def test_an_oversized_client_yaml_through_validate(client, capsys):
    root = client()
    write_yaml(root, "name: Acme\naliases: [" + ", ".join(["x" * 60] * 1200) + "]\n")
    code, _, err = cli(["validate", root], capsys)
    assert code == 1
    assert "64 KiB" in one_error(err, naming=str(root / "client.yaml"))


# -- notes --------------------------------------------------------------------------------------


def test_notes_are_capped_at_256_kib(client, capsys):
    root = client(yaml="name: Acme\nanalyst: Ann\n")
    (root / "notes").mkdir()
    path = root / "notes" / "2026-10.md"
    path.write_text("Fine month.\n" * (NOTES_LIMIT // 12 + 10), encoding="utf-8")
    assert path.stat().st_size > NOTES_LIMIT
    code, _, err = cli(["validate", root], capsys)
    assert code == 1
    line = one_error(err, naming=str(path))
    assert "256 KiB" in line
    with pytest.raises(InputError, match="256 KiB") as info:
        read_notes(root, dt.date(2026, 10, 28))
    assert info.value.path == str(path)
    path.write_text("Fine month.\n", encoding="utf-8")
    assert read_notes(root, dt.date(2026, 10, 28)) == "Fine month.\n"


# -- 2. every message bounded -------------------------------------------------------------------


def test_an_input_error_quoting_2_mb_is_cut_with_its_length_noted():
    cell = "A" * 2_000_000
    message = f"expected a number, got {cell!r}"
    err = InputError(message, path="exports/posts.csv", line=7, column="B" * 2_000_000)
    text = str(err)
    assert len(text) < 500 and "\n" not in text
    assert text.startswith("exports/posts.csv:7:BBBB")
    assert "…" in text and "2,000,000 characters" in text and f"{len(repr(cell)):,} characters" in text
    assert text.count("A") <= 250
    back = pickle.loads(pickle.dumps(err))  # the runner moves errors between processes
    assert str(back) == text and back.message == err.message


@pytest.mark.parametrize(
    "make",
    [
        lambda v: UsageError(f"--end must be a day; got {v!r}"),
        lambda v: ConfigError(f"`currency` must be an ISO code; got {v!r}", path="client.yaml", line=3),
        lambda v: NotebookError(f"overview.ipynb: cell 3 raised ValueError: {v}", notebook="overview.ipynb"),
        lambda v: Issue("warning", f"reach > impressions: {v}", "exports/posts.csv", 2, "x" * 10**6),
    ],
    ids=["usage", "config", "notebook", "issue"],
)
def test_every_error_class_is_one_bounded_line(make):
    text = str(make("line one\nline two " + "z" * 300_000))
    assert "\n" not in text and len(text) < 500
    assert "line one\\nline two" in text
    assert "characters]" in text


def test_a_long_config_value_gives_a_short_error_line(client, capsys):
    root = client()
    write_yaml(root, "name: Acme\ncurrency: " + "X" * 60_000 + "\n")
    code, _, err = cli(["validate", root], capsys)
    assert code == 1
    line = one_error(err, naming=f"{root / 'client.yaml'}:2:currency")
    assert len(line) < len(str(root)) + 500 and "60,0" in line


def test_a_2_mb_header_cell_gives_a_short_error_line(make_client, capsys):
    root = make_client({"posts.csv": "network,post_id," + "H" * 2_000_000 + "\nvk,1,2\n"})
    code, _, err = cli(["validate", root], capsys)
    assert code == 1
    assert "Traceback" not in err
    assert max(len(line) for line in err.splitlines()) < len(str(root)) + 700


def test_bounded_is_idempotent():
    once = bounded("q" * 10_000)
    assert bounded(once) == once and len(once) <= 300


# -- 3. encodings, dates, --out, the last resort --------------------------------------------------


@pytest.mark.parametrize("command", ["validate", "kpis", "alerts"])
def test_a_windows_1251_client_yaml_is_named_and_must_be_utf8(client, capsys, command):
    root = client()
    write_yaml(root, "name: Кофе Поинт\n".encode("cp1251"))
    extra = {"kpis": ["--month", "2026-10"], "alerts": ["--day", "2026-10-05"]}.get(command, [])
    code, _, err = cli([command, root, *extra], capsys)
    assert code == 1
    line = one_error(err, naming=str(root / "client.yaml"))
    assert "UTF-8" in line


def test_a_utf16_client_yaml_without_bom_is_named(client, capsys):
    root = client()
    write_yaml(root, "name: Acme\n".encode("utf-16-le"))
    code, _, err = cli(["validate", root], capsys)
    assert code == 1
    assert "UTF-8" in one_error(err, naming=str(root / "client.yaml"))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "utf-16-be"])
def test_utf16_with_bom_and_utf8_with_bom_are_read(client, capsys, encoding):
    root = client()
    text = "name: Кофе Поинт\nmonthly_cost: 1000\n"
    write_yaml(root, ("\ufeff" + text).encode(encoding) if encoding == "utf-16-be" else text.encode(encoding))
    code, out, err = cli(["validate", root], capsys)
    assert code == 0, err
    assert "acme: Кофе Поинт" in out
    assert load_config(root).monthly_cost == 1000.0


def test_a_windows_1251_smmkit_yaml_fails_run_in_one_line(tmp_path, client, capsys):
    client(slug="clients/acme")
    write_yaml(tmp_path / "clients", "name: Агентство\n".encode("cp1251"), "smmkit.yaml")
    code, _, err = cli(
        ["run", "--clients-dir", tmp_path / "clients", "--month", "2026-10", "--out", tmp_path / "out"],
        capsys,
    )
    assert code == 1
    assert "UTF-8" in one_error(err, naming=str(tmp_path / "clients" / "smmkit.yaml"))


DAYS = ["0206-10-04", "9999-12-31", "1677-01-01", "0001-01-01", "2262-04-12"]


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("option", ["--start", "--end"])
def test_kpis_days_outside_the_range_are_usage_errors(client, capsys, day, option):
    root = client()
    other = {"--start": ["--end", day], "--end": ["--start", day]}[option]  # the same day at both ends
    code, _, err = cli(["kpis", root, option, day, *other], capsys)
    assert code == 2
    assert "outside the days smmkit reports on" in usage_error(err, naming=day)


@pytest.mark.parametrize(
    "period",
    [
        ["--month", "0206-10"],
        ["--month", "9999-12"],
        ["--month", "0000-01"],
        ["--window", "28d", "--end", "0001-01-05"],
        ["--window", "90d", "--end", "1677-01-01"],
        ["--start", "1950-01-01", "--end", "2026-01-01"],  # its history reaches back before 1678
    ],
    ids=["month-206", "month-9999", "month-0", "window-year-1", "window-1677", "76-years"],
)
def test_kpis_periods_pandas_cannot_hold_are_usage_errors(client, capsys, period):
    code, _, err = cli(["kpis", client(), *period], capsys)
    assert code == 2
    usage_error(err, naming=period[1] if period[0] != "--window" else period[3])


@pytest.mark.parametrize("day", ["0206-10-04", "9999-12-31", "1677-01-01"])
def test_alerts_day_outside_the_range_is_a_usage_error(client, capsys, day):
    code, _, err = cli(["alerts", client(), "--day", day], capsys)
    assert code == 2
    usage_error(err, naming=f"--day {day}")


@pytest.mark.parametrize("day", ["0206-10-04", "9999-12-31", "1677-01-01"])
def test_run_checks_the_period_before_any_kernel_starts(tmp_path, client, capsys, day):
    root = client()
    out = tmp_path / "out"
    code, _, err = cli(["run", root, "--start", day, "--end", day, "--out", out], capsys)
    assert code == 2
    usage_error(err, naming=day)
    assert not out.exists()  # nothing ran: no period folder, no manifest


def test_the_edges_of_the_range_still_work(client, capsys):
    root = client()
    for argv in (["--start", "1900-01-01", "--end", "1900-01-28"], ["--month", "2199-12"]):
        code, out, err = cli(["kpis", root, *argv, "--format", "json"], capsys)
        assert code == 0, err
        assert json.loads(out)["total"]["posts"] is None  # far outside the exports: unknown (coverage)


def test_out_that_is_a_file_is_a_usage_error(tmp_path, client, capsys):
    root = client()
    (tmp_path / "taken").write_text("not a folder\n", encoding="utf-8")
    for out in (tmp_path / "taken", tmp_path / "taken" / "below"):
        code, _, err = cli(["run", root, "--month", "2026-10", "--out", out], capsys)
        assert code == 2
        assert "is a file, not a folder" in usage_error(err, naming=str(tmp_path / "taken"))
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "not a folder\n"


def _read_only_folder(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    if Path("/sys").is_dir():  # sysfs: no new files there, not even for root
        return Path("/sys")
    pytest.skip("no read-only folder for root here")


def test_a_read_only_out_is_one_line(tmp_path, client, capsys):
    root = client()
    folder = _read_only_folder(tmp_path)
    code, _, err = cli(["run", root, "--month", "2026-10", "--out", folder / "reports"], capsys)
    assert code == 2
    assert "cannot write into" in usage_error(err, naming=str(folder / "reports"))


def test_a_write_the_file_system_refuses_is_one_line(tmp_path, client):
    """A full disk, as the kernel reports it to the writer: every write beyond the process's
    file-size limit fails (EFBIG) like ENOSPC would. Nothing runs (``--only-failed`` with a
    manifest of ok clients), so the run's only writes are manifest.json and index.html."""
    root = client()
    period_dir = tmp_path / "out" / "2026-10-01_2026-10-31"
    period_dir.mkdir(parents=True)
    manifest = {"period": {"start": "2026-10-01", "end": "2026-10-31"}, "clients": {"acme": {"status": "ok"}}}
    (period_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    def small_files() -> None:
        import resource
        import signal

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (200, 200))

    argv = ["run", str(root), "--month", "2026-10", "--out", str(tmp_path / "out"), "--only-failed"]
    proc = subprocess.run(
        [sys.executable, "-B", "-m", "smmkit", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=small_files,
        env=os.environ | {"SMMKIT_CACHE": "0"},
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    line = one_error(proc.stderr.split("\r")[-1].lstrip("\n"), naming=str(tmp_path / "out"), summary=False)
    assert "File too large" in line
    assert (
        json.loads((period_dir / "manifest.json").read_text(encoding="utf-8")) == manifest
    )  # not half-written


def test_a_name_too_long_for_the_file_system_is_a_usage_error(capsys):
    code, _, err = cli(["validate", "a" * 5000], capsys)
    assert code == 2
    line = usage_error(err, naming="File name too long")
    assert len(line) < 500


def test_argparse_errors_are_one_line(capsys):
    code, _, err = cli(["kpis", "x", "--format", "xml"], capsys)
    assert code == 2
    line = usage_error(err, naming="invalid choice: 'xml'")
    assert "usage: smmkit kpis" in line


@pytest.mark.parametrize("value", ["0", "-5", "abc", "9" * 30, "9" * 5000])
def test_run_timeout_out_of_range_is_a_usage_error(client, capsys, value):
    code, _, err = cli(["run", client(), "--month", "2026-10", "--timeout", value], capsys)
    assert code == 2
    assert len(usage_error(err, naming="argument --timeout: expected")) < 800


def test_a_bug_is_one_line_with_the_traceback_saved(monkeypatch, capsys, client):
    import smmkit.cli as cli_module

    def broken(args):
        raise KeyError("a bug")

    monkeypatch.setitem(cli_module._COMMANDS, "validate", broken)
    monkeypatch.delenv("SMMKIT_DEBUG", raising=False)
    code, _, err = cli(["validate", client()], capsys)
    assert code == 1
    line = one_error(err, naming="internal error: KeyError: 'a bug'", summary=False)
    assert "this is a bug, please report it" in line
    saved = Path(re.search(r"traceback saved to (\S+?);", line).group(1))
    try:
        assert "KeyError: 'a bug'" in saved.read_text(encoding="utf-8")
        assert "Traceback" in saved.read_text(encoding="utf-8")
    finally:
        saved.unlink()
    monkeypatch.setenv("SMMKIT_DEBUG", "1")
    code, _, err = cli(["validate", client()], capsys)
    assert code == 1 and err.startswith("Traceback") and "internal error: KeyError" in err.splitlines()[-1]


# -- 4. numbers in the configuration --------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml", "line", "key"),
    [
        ("name: Acme\nmonthly_cost: .nan\n", 2, "monthly_cost"),
        ("name: Acme\nmonthly_cost: .inf\n", 2, "monthly_cost"),
        ("name: Acme\nmonthly_cost: -.inf\n", 2, "monthly_cost"),
        ("name: Acme\nmonthly_cost: 1.0e+13\n", 2, "monthly_cost"),
        ("name: Acme\nmonthly_cost: -5\n", 2, "monthly_cost"),
        ('name: Acme\ncost_overrides:\n  "2026-09": 10\n  "2026-10": .inf\n', 4, "cost_overrides"),
        ('name: Acme\ncost_overrides: {"2026-10": .NaN}\n', 2, "cost_overrides"),
        ('name: Acme\ncost_overrides: {"2026-10": 1000000000000000}\n', 2, "cost_overrides"),
        ("name: Acme\ntargets:\n  er: 3\n  cpl: .nan\n", 4, "targets"),
        ("name: Acme\ntargets: {er: -.inf}\n", 2, "targets"),
        ("name: Acme\ntargets: {reach: 1.0e+300}\n", 2, "targets"),
    ],
)
def test_config_numbers_must_be_finite_and_in_range(client, capsys, yaml, line, key):
    root = client()
    write_yaml(root, yaml)
    code, _, err = cli(["validate", root], capsys)
    assert code == 1
    text = one_error(err, naming=f"{root / 'client.yaml'}:{line}:{key}")
    assert re.search(r"must (be a finite number|be between|not be negative)", text), text


def test_agency_name_must_be_finite_text(tmp_path):
    (tmp_path / "smmkit.yaml").write_text("name: .inf\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be text") as info:
        load_agency_config(tmp_path)
    assert (info.value.line, info.value.column) == (1, "name")


def test_sane_numbers_still_load(client):
    root = client(
        yaml='name: Acme\nmonthly_cost: 90000\ncost_overrides: {"2026-10": 0}\ntargets: {er: 3.5, cpl: 400}\n'
    )
    config = load_config(root)
    assert (config.monthly_cost, config.cost_overrides, config.targets) == (
        90000.0,
        {"2026-10": 0.0},
        {"er": 3.5, "cpl": 400.0},
    )


# -- 5. a symlinked client folder is the same client everywhere ---------------------------------


@pytest.fixture
def linked(tmp_path, make_client):
    """``clients/acme`` -> ``../Acme Shared Drive`` (a real client folder whose name is not a slug),
    beside a broken link and a link to a file."""
    real = make_client({"posts.csv": POSTS}, slug="Acme Shared Drive")
    clients = tmp_path / "clients"
    clients.mkdir()
    (clients / "acme").symlink_to(Path("..") / real.name, target_is_directory=True)
    return clients / "acme"


def test_validate_kpis_alerts_name_the_link(linked, capsys):
    code, out, err = cli(["validate", linked], capsys)
    assert code == 0, err and out.startswith("acme: Acme")
    code, out, err = cli(["kpis", linked, "--month", "2026-10", "--format", "json"], capsys)
    assert code == 0, err
    assert json.loads(out)["client"] == "acme" and json.loads(out)["total"]["posts"] == 1
    code, out, err = cli(["alerts", linked, "--day", "2026-10-05"], capsys)
    assert code == 0, err
    assert out.startswith("acme:")


def test_run_takes_the_link_name_as_the_slug(linked):
    for given in ([linked], []):
        dirs = client_dirs(given, None if given else linked.parent)
        assert [d.name for d in dirs] == ["acme"]
        assert dirs[0] == Path(os.path.abspath(linked)) and dirs[0].resolve() == linked.resolve()


def test_the_same_folder_twice_is_one_client_and_two_folders_one_slug_an_error(linked, tmp_path, make_client):
    assert [d.name for d in client_dirs([linked, linked.parent / "acme"], None)] == ["acme"]
    other = make_client({"posts.csv": POSTS}, slug="elsewhere/acme")
    with pytest.raises(UsageError, match="two client folders have the slug 'acme'"):
        client_dirs([linked, other], None)


def test_broken_links_in_clients_dir_are_warned_by_name(linked, tmp_path, capsys):
    clients = linked.parent
    (clients / "gone").symlink_to(tmp_path / "nowhere")
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    (clients / "filelink").symlink_to(tmp_path / "a-file")
    with pytest.warns(InputWarning) as record:
        found = discover_clients(clients)
    assert [p.name for p in found] == ["acme"]
    messages = sorted(str(w.message) for w in record)
    assert messages[0].startswith(f"{clients / 'filelink'}: link to {tmp_path / 'a-file'} points to a file")
    assert messages[1].startswith(f"{clients / 'gone'}: link to {tmp_path / 'nowhere'} points to nothing")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the CLI shows them as lines, not as Python warnings
        code, out, err = cli(["alerts", "--clients-dir", clients, "--day", "2026-10-05"], capsys)
    assert code == 0, err
    assert out.startswith("acme:")
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("smmkit alerts: warning: ") for line in lines)
    assert "Traceback" not in err


@pytest.mark.slow
def test_run_renders_a_linked_client_under_the_link_name(linked, tmp_path, capsys):
    import nbformat

    nbs = tmp_path / "notebooks"
    nbs.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "smmkit", "display_name": "Python (smmkit)", "language": "python"}
    params = 'client_dir = ""\nstart = "2026-10-01"\nend = "2026-10-31"'
    nb.cells = [
        nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("1"),
    ]
    nbformat.write(nb, str(nbs / "1-page.ipynb"))
    out = tmp_path / "out"
    code, _, err = cli(
        ["run", "--clients-dir", linked.parent, "--month", "2026-10", "--out", out, "--notebooks", nbs],
        capsys,
    )
    assert code == 0, err
    manifest = json.loads((out / "2026-10-01_2026-10-31" / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["clients"]) == ["acme"] and manifest["clients"]["acme"]["status"] == "ok"
    assert (out / "2026-10-01_2026-10-31" / "acme" / "page.html").is_file()
