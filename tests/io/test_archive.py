"""A whole download as a ``.zip`` in ``exports/`` (smmkit.io.archive, smmkit.io.loading):
read member by member as if unpacked, never extracted; unsafe members refused by name; zip
bombs refused by size (data-contract.md section 2, release 3).

The archives are built here from the whole-download fixtures (tests/fixtures/downloads/, real
headers): YouTube Studio's Advanced mode export is a zip of ``Table data.csv``, ``Chart data.csv``
and ``Totals.csv`` at its top level; TikTok Studio's download holds ``Content.csv``,
``FollowerHistory.csv``, ... likewise. Expected values are the fixtures' hand sums, as in
tests/io/test_downloads.py.
"""

from __future__ import annotations

import json
import shutil
import stat
import zipfile
from pathlib import Path

import pytest

import smmkit
from smmkit.cli import main
from smmkit.cli.text import validation_text
from smmkit.errors import FormatError, InputError
from smmkit.io import archive, loading
from smmkit.io.readers import read_file
from smmkit.io.validate import validate_client

DOWNLOADS = Path(__file__).resolve().parents[1] / "fixtures" / "downloads"
YAML = "name: Clean Cafe\ntimezone: Europe/Moscow\ncurrency: RUB\n"
YT_ZIP = "Content 2026-10-01_2026-10-31 Clean Cafe.zip"


def client(tmp_path: Path) -> Path:
    root = tmp_path / "clean-cafe"
    (root / "exports").mkdir(parents=True)
    (root / "client.yaml").write_text(YAML, encoding="utf-8")
    return root


def zipped(path: Path, folder: str, *, extra: dict[str, bytes] | None = None, prefix: str = "") -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in sorted((DOWNLOADS / folder).iterdir()):
            zf.write(f, prefix + f.name)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def formats_of(report) -> dict[str, tuple[str | None, bool]]:
    return {report._rel(f.path): (f.format, bool(f.unused)) for f in report.client.files}


def test_youtube_zip_is_read_member_by_member(tmp_path, capsys):
    root = client(tmp_path)
    zipped(root / "exports" / YT_ZIP, "youtube")
    before = sorted(p.name for p in (root / "exports").iterdir())
    report = validate_client(root)
    assert report.errors == []
    assert formats_of(report) == {
        f"exports/{YT_ZIP}!Chart data.csv": ("youtube_chart_data", True),
        f"exports/{YT_ZIP}!Table data.csv": ("youtube_content", False),
        f"exports/{YT_ZIP}!Totals.csv": ("youtube_totals", True),
    }
    assert sorted(report.client.posts["post_id"]) == ["abcDEF12345", "dQw4w9WgXcQ"]
    assert int(report.client.posts["video_views"].sum()) == 2100 + 1350
    text = validation_text(report)
    assert f"exports/{YT_ZIP}!Table data.csv" in text and "[youtube_content]" in text
    assert sorted(p.name for p in (root / "exports").iterdir()) == before  # nothing unpacked on disk


def test_zip_gives_the_same_kpis_as_the_unpacked_files(tmp_path, capsys):
    unpacked = client(tmp_path / "a")
    for name in ("youtube", "tiktok", "meta_page"):
        shutil.copytree(DOWNLOADS / name, unpacked / "exports" / name)
    packed = client(tmp_path / "b")
    for name in ("youtube", "tiktok", "meta_page"):
        zipped(packed / "exports" / f"{name}.zip", name)
    args = ["--start", "2026-10-01", "--end", "2026-10-31", "--format", "json"]
    results = []
    for root in (unpacked, packed):
        assert main(["kpis", str(root), *args]) == 0
        results.append(json.loads(capsys.readouterr().out))
    assert results[0] == results[1]
    assert results[1]["networks"]["youtube"]["video_views"] == 3450
    assert results[1]["networks"]["tiktok"]["video_views"] == 27500  # yearless TikTok days inside a zip


def test_zip_in_a_subfolder_with_members_in_a_folder_and_mac_shadow_files(tmp_path):
    root = client(tmp_path)
    (root / "exports" / "2026-10").mkdir()
    extra = {
        "__MACOSX/tiktok/._Content.csv": b"\x00\x05\x16\x07",
        "tiktok/.DS_Store": b"\x00\x00\x00\x01Bud1",
    }
    zipped(root / "exports" / "2026-10" / "tiktok.zip", "tiktok", extra=extra, prefix="tiktok/")
    report = validate_client(root)
    assert report.errors == []
    names = sorted(formats_of(report))
    assert len(names) == 7 and all(n.startswith("exports/2026-10/tiktok.zip!tiktok/") for n in names)
    assert formats_of(report)["exports/2026-10/tiktok.zip!tiktok/Content.csv"] == ("tiktok_content", False)
    assert int(report.client.posts["likes"].sum()) == 1200 + 640


def _link(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


def test_unsafe_members_are_refused_by_name_and_the_rest_read(tmp_path):
    root = client(tmp_path)
    path = zipped(root / "exports" / "download.zip", "youtube")
    inner = zipped(tmp_path / "inner.zip", "tiktok").read_bytes()
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("../evil.csv", "Date,Views\n2026-10-01,1\n")
        zf.writestr("/etc/abs.csv", "Date,Views\n2026-10-01,1\n")
        zf.writestr("C:/abs.csv", "Date,Views\n2026-10-01,1\n")
        zf.writestr(*_link("link.csv", "/etc/passwd"))
        zf.writestr("tiktok.zip", inner)
    report = validate_client(root)
    assert bool(report.errors)
    errors = {str(e) for e in report.errors}
    base = str(root / "exports" / "download.zip")
    assert errors == {
        f"{base}!../evil.csv: its name leads outside the folder it would be unpacked in: refused",
        f"{base}!/etc/abs.csv: its name leads outside the folder it would be unpacked in: refused",
        f"{base}!C:/abs.csv: its name leads outside the folder it would be unpacked in: refused",
        f"{base}!link.csv: a symbolic link, not a file: refused",
        f"{base}!tiktok.zip: a .zip inside the .zip: unpack it and put its files in exports/",
    }
    assert int(report.client.posts["video_views"].sum()) == 3450  # the good members still read
    assert not (tmp_path / "evil.csv").exists()
    with pytest.raises(InputError, match="evil.csv: its name leads outside"):
        smmkit.load_client(root)  # strict (kpis, run): the refused member fails the client


def test_zip_bomb_member_is_refused_before_it_is_inflated(tmp_path, monkeypatch):
    root = client(tmp_path)
    zipped(root / "exports" / "download.zip", "youtube", extra={"Totals2.csv": b"0" * (17 << 20)})
    report = validate_client(root)
    (error,) = report.errors
    assert error.path.endswith("download.zip!Totals2.csv")
    assert "a ratio beyond 500: a zip bomb, not an export; refused" in error.message
    assert int(report.client.posts["video_views"].sum()) == 3450

    monkeypatch.setattr(archive, "MAX_MEMBER", 1000)  # past the size bound, whatever the ratio
    errors = {Path(e.path).name: e.message for e in validate_client(root).errors}
    assert errors == {
        "download.zip!Totals2.csv": "17,825,792 bytes uncompressed, more than the 1,000 read from one member: refused"
    }  # the download's own files (308 bytes at most) still read


def test_a_damaged_or_empty_zip_is_an_error_naming_it(tmp_path):
    root = client(tmp_path)
    (root / "exports" / "cut.zip").write_bytes(zipped(tmp_path / "x.zip", "youtube").read_bytes()[:-30])
    with zipfile.ZipFile(root / "exports" / "empty.zip", "w"):
        pass
    report = validate_client(root)
    messages = {Path(e.path).name: e.message for e in report.errors}
    assert messages["cut.zip"].startswith("unreadable .zip archive")
    assert messages["empty.zip"] == "a .zip archive with no file in it"


def test_a_zip_read_as_a_workbook_says_what_it_is(tmp_path):
    path = zipped(tmp_path / "download.xlsx", "youtube")
    with pytest.raises(FormatError) as err:
        read_file(path)
    assert err.value.message.startswith("a .zip archive, not an .xlsx workbook")


def test_cached_load_of_a_zip_gives_the_same_client(tmp_path):
    root = client(tmp_path)
    zipped(root / "exports" / "tiktok.zip", "tiktok")
    zipped(root / "exports" / YT_ZIP, "youtube")
    first = smmkit.load_client(root, cache=True)
    again = smmkit.load_client(root, cache=True)  # the client entry of the cache
    assert (root / ".smmkit-cache").is_dir()
    assert [str(f.path) for f in again.files] == [str(f.path) for f in first.files]
    assert str(first.files[0].path).endswith(f"{YT_ZIP}!Chart data.csv")
    for table in ("posts", "audience"):
        cols = [c for c in first.table(table).columns if not c.startswith("_")]
        assert first.table(table)[cols].equals(again.table(table)[cols])
    assert int(again.posts["video_views"].sum()) == 3450 + 27500


def test_canonical_files_in_a_zip_take_the_fast_path_with_the_same_result(tmp_path, monkeypatch):
    exports = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
    names = ["canonical_posts.csv", "canonical_audience.csv", "canonical_ads.csv"]
    unpacked, packed = client(tmp_path / "a"), client(tmp_path / "b")
    with zipfile.ZipFile(packed / "exports" / "canonical.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in names:
            shutil.copy(exports / name, unpacked / "exports" / name)
            zf.write(exports / name, name)
    exact = []  # files the exact readers read: none here, every member is a plain canonical CSV
    monkeypatch.setattr(loading, "_read_and_recognise", lambda p, data=None: exact.append(p))
    a, b = smmkit.load_client(unpacked, cache=False), smmkit.load_client(packed, cache=False)
    assert exact == []
    assert (
        [f.format for f in b.files]
        == [f.format for f in a.files]
        == ["canonical_ads", "canonical_audience", "canonical_posts"]
    )
    assert [str(f.path).rsplit("!", 1)[1] for f in b.files] == sorted(names)
    for table in ("posts", "audience", "ads"):
        cols = [c for c in a.table(table).columns if not c.startswith("_")]
        assert a.table(table)[cols].equals(b.table(table)[cols]), table
    assert list(b.posts["_line"]) == list(a.posts["_line"])
