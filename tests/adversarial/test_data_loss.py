"""Data loss and path escape: the cache deletes and writes only what it made, nothing outside the
client folder is read into a report, and a failed write leaves nothing half-written.

Each case drives the kit as a user would (``smmkit validate`` / ``kpis`` through :func:`main`, or
the loader and the config reader) and checks the files on disk byte by byte afterwards.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from smmkit import fsutil
from smmkit.cli import main
from smmkit.config import load_agency_config, load_config
from smmkit.errors import ConfigError
from smmkit.io import cache
from smmkit.io.loading import load_client
from smmkit.io.notes import check_notes, read_notes

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
#: A file of the user's whose name is a cache entry's (40 hex digits), but not written by the kit.
LOOKALIKE = "0123456789abcdef0123456789abcdef01234567.json"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every path under ``folder`` (links as links) -> sha256 of its bytes, or the link's target."""
    out = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root, name)
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                out[rel] = b"-> " + os.readlink(path).encode()
            elif path.is_file():
                out[rel] = hashlib.sha256(path.read_bytes()).digest()
    return out


def run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.fixture
def client(fixture_client, monkeypatch) -> Path:
    monkeypatch.setenv("SMMKIT_CACHE", "1")
    return fixture_client("clean-cafe")


@pytest.mark.parametrize("command", ["validate", "kpis"])
def test_a_cache_folder_linked_to_the_exports_deletes_and_writes_nothing_there(client, command, capsys):
    exports = client / "exports"
    (exports / LOOKALIKE).write_text('{"layout": 4, "a user file": true}')
    before = snapshot(exports)
    (client / cache.CACHE_DIR).symlink_to("exports", target_is_directory=True)
    argv = [command, str(client)] + (
        ["--start", "2026-10-01", "--end", "2026-10-28"] if command == "kpis" else []
    )
    assert run(argv) in (0, 1)
    capsys.readouterr()
    assert snapshot(exports) == before
    assert (client / cache.CACHE_DIR).is_symlink()  # not followed, not replaced


def test_a_cache_folder_linked_anywhere_is_never_pruned(client, tmp_path):
    elsewhere = tmp_path / "my documents"
    elsewhere.mkdir()
    (elsewhere / "thesis.docx").write_bytes(b"PK\x03\x04 my work")
    (elsewhere / LOOKALIKE).write_text('{"layout": 4}')
    (elsewhere / ("f" * 40 + ".posts.parquet")).write_bytes(b"PAR1 looks like ours")
    before = snapshot(elsewhere)
    (client / cache.CACHE_DIR).symlink_to(elsewhere, target_is_directory=True)
    load_client(client, cache=True)
    cache.prune(client, keep=set())
    assert snapshot(elsewhere) == before


def test_the_kit_makes_its_cache_folder_tags_it_and_uses_it(client):
    load_client(client, cache=True)
    folder = client / cache.CACHE_DIR
    assert folder.is_dir() and not folder.is_symlink()
    assert (folder / cache.TAG).read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    entries = [p.name for p in folder.iterdir() if p.name != cache.TAG]
    assert any(n.endswith(".client.json") for n in entries)
    assert all(cache._ENTRY.fullmatch(n) for n in entries), entries


def test_pruning_deletes_only_files_the_kit_wrote(client):
    load_client(client, cache=True)
    folder = client / cache.CACHE_DIR
    ours = sorted(p.name for p in folder.iterdir() if p.name != cache.TAG)
    theirs = {
        LOOKALIKE: b'{"mine": 1}',  # an entry's name, not an entry's bytes
        "f" * 40 + ".posts.parquet": b"not parquet",
        "notes.txt": b"keep me",
    }
    for name, data in theirs.items():
        (folder / name).write_bytes(data)
    raw = client / "exports" / "vk_posts.csv"
    before = raw.read_bytes()
    (folder / ("e" * 40 + ".json")).symlink_to(raw)  # a link named like an entry, to a raw export
    cache.prune(client, keep=set())
    left = {p.name for p in folder.iterdir()}
    assert not any(name in left for name in ours)  # every entry of the kit's is gone
    assert set(theirs) <= left and "e" * 40 + ".json" in left
    assert raw.read_bytes() == before


def test_a_real_folder_of_someone_elses_is_not_adopted(client):
    folder = client / cache.CACHE_DIR
    folder.mkdir()
    (folder / "diary.txt").write_text("mine")
    load_client(client, cache=True)
    assert sorted(p.name for p in folder.iterdir()) == ["diary.txt"]


def test_a_tagless_cache_of_an_older_kit_is_adopted(client):
    load_client(client, cache=True)
    folder = client / cache.CACHE_DIR
    (folder / cache.TAG).unlink()
    (folder / ("a" * 40 + ".posts.parquet")).write_bytes(b"PAR1 an old entry")
    load_client(client, cache=True)
    assert (folder / cache.TAG).is_file()
    assert not (folder / ("a" * 40 + ".posts.parquet")).exists()  # pruned: no export has that key


def test_no_cache_write_goes_through_a_link(client):
    load_client(client, cache=True)
    folder = client / cache.CACHE_DIR
    entry = next(p for p in folder.iterdir() if p.name.endswith(".client.json"))
    raw = client / "exports" / "audience.csv"
    before = raw.read_bytes()
    entry.unlink()
    entry.symlink_to(raw)  # the entry's name now points at a raw export
    load_client(client, cache=True)  # no valid entry: the load writes it again
    assert raw.read_bytes() == before
    assert not entry.is_symlink() and entry.read_bytes().startswith(b'{"layout": ')


@pytest.mark.parametrize("where", ["client", "agency"])
def test_a_logo_linked_outside_the_folder_is_refused_naming_the_key(tmp_path, where):
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)  # an image even: it is outside the folder
    home = tmp_path / "clients" / "acme"
    home.mkdir(parents=True)
    (home / "logo.png").symlink_to(secret)
    if where == "client":
        (home / "client.yaml").write_text("name: Acme\nbrand: {logo: logo.png}\n")
        with pytest.raises(ConfigError, match=r"`brand\.logo` 'logo\.png' leads outside the client folder"):
            load_config(home)
    else:
        (home / "smmkit.yaml").write_text("name: Agency\nlogo: logo.png\n")
        with pytest.raises(ConfigError, match=r"`logo` 'logo\.png' leads outside"):
            load_agency_config(home)


def test_a_logo_linked_to_etc_passwd_is_refused(tmp_path):
    home = tmp_path / "acme"
    home.mkdir()
    (home / "logo.png").symlink_to("/etc/passwd")
    (home / "client.yaml").write_text("name: Acme\nbrand: {logo: logo.png}\n")
    with pytest.raises(ConfigError) as info:
        load_config(home)
    assert "brand.logo" in str(info.value) and "root:" not in str(info.value)


def test_a_logo_that_is_not_an_image_is_refused(tmp_path):
    home = tmp_path / "acme"
    home.mkdir()
    (home / "logo.png").write_text("<script>alert(1)</script>")
    (home / "client.yaml").write_text("name: Acme\nbrand: {logo: logo.png}\n")
    with pytest.raises(ConfigError, match=r"`brand\.logo` 'logo\.png' is not an image"):
        load_config(home)


def test_a_logo_linked_inside_the_folder_is_read(tmp_path):
    home = tmp_path / "acme"
    (home / "brand").mkdir(parents=True)
    (home / "brand" / "mark.png").write_bytes(PNG)
    (home / "logo.png").symlink_to("brand/mark.png")
    (home / "client.yaml").write_text("name: Acme\nbrand: {logo: logo.png}\n")
    config = load_config(home)
    assert config.logo_path == (home / "brand" / "mark.png").resolve()


def test_notes_linked_outside_the_client_are_not_read(tmp_path):
    import datetime as dt

    home = tmp_path / "acme"
    (home / "notes").mkdir(parents=True)
    outside = tmp_path / "private.md"
    outside.write_text("salary: 1,000,000")
    (home / "notes" / "2026-10.md").symlink_to(outside)
    assert read_notes(home, dt.date(2026, 10, 31)) is None
    issues = check_notes(home, analyst="Ann")
    assert [i.message for i in issues] == ["a link that leads outside the client folder: not read"]


def test_a_failed_write_leaves_no_temporary_file_and_the_old_file_intact(tmp_path):
    target = tmp_path / "index.html"
    target.write_text("the old page")

    def full_disk(fh):
        fh.write(b"half of the new pa")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        fsutil.replace_file(target, full_disk)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]
    assert target.read_text() == "the old page"


def test_a_page_write_on_a_full_disk_leaves_no_temporary_file(tmp_path, monkeypatch):
    from smmkit.batch.files import write_atomic

    def no_space(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", no_space)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(tmp_path / "index.html", "<html>")
    assert list(tmp_path.iterdir()) == []


def test_a_temporary_name_taken_by_a_link_is_not_written_through(tmp_path):
    victim = tmp_path / "raw.csv"
    victim.write_text("raw export")
    target = tmp_path / "out" / "page.html"
    target.parent.mkdir()
    (target.parent / f".page.html.{os.getpid()}.tmp").symlink_to(victim)
    fsutil.write_atomic(target, "new page")
    assert victim.read_text() == "raw export" and target.read_text() == "new page"


def test_a_cache_write_that_fails_leaves_no_temporary_file(client, monkeypatch):
    def no_space(frame, fh):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cache, "_parquet", no_space)
    monkeypatch.setattr(cache, "_ipc", no_space)
    load_client(client, cache=True)  # the cache is an optimisation: the load still succeeds
    left = [p.name for p in (client / cache.CACHE_DIR).iterdir()]
    assert not [n for n in left if n.endswith(".tmp")], left


def test_stale_temporary_files_of_dead_processes_are_pruned(client):
    load_client(client, cache=True)
    folder = client / cache.CACHE_DIR
    dead = _dead_pid()
    stale = folder / f".{'b' * 40}.posts.parquet.{dead}.tmp"
    stale.write_bytes(b"PAR1 half")
    mine = folder / f".{'c' * 40}.posts.parquet.{os.getpid()}.tmp"
    mine.write_bytes(b"PAR1 being written")
    cache.prune(client, keep=set())
    assert not stale.exists() and mine.exists()


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_removing_the_cache_folder_is_always_safe(client):
    load_client(client, cache=True)
    shutil.rmtree(client / cache.CACHE_DIR)
    first = load_client(client, cache=True)
    again = load_client(client, cache=True)
    assert first.posts.equals(again.posts)
