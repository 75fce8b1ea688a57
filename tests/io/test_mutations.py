"""Property test: a damaged export either loads or raises the kit's InputError, nothing else.

Valid fixture files are mutated at random (truncation, byte flips, swapped
columns, junk rows, a duplicated header) and loaded. Whatever the damage,
the loader may succeed or raise :class:`smmkit.errors.InputError` (which the
CLI prints as ``PATH:LINE:COLUMN: message``), never any other exception: no
traceback reaches the user. Deterministic (``derandomize=True``) for CI.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError
from support import make_xlsx

import smmkit
from smmkit.errors import InputError
from smmkit.io.loading import load_export

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CSV_FILES = [
    "canonical_posts.csv",
    "meta_instagram_views.csv",
    "ga4_daily.csv",
    "ga4_undated.csv",
    "facebook_posts_legacy.csv",
    "tiktok_overview.csv",
    "youtube_table_data.csv",
    "x_tweet_activity.csv",
]
JUNK = st.sampled_from(
    [b"", b"Total,,,", b"Grand total;1;2", b"# comment", b",,,,,,", b'"unclosed,1,2', b"\x00\x01\xff",
     b"abc,def,ghi", b"sep=;", b"1.2E+17,x,-,undefined,1,2K,3M,12.5%", b"February 30,1,1", b"\t\t\t"]
) | st.binary(max_size=40)  # fmt: skip


def _fields(line: bytes) -> tuple[list[bytes], bytes]:
    delim = max((b",", b";", b"\t"), key=line.count)
    return line.split(delim), delim


@st.composite
def csv_mutation(draw, data: bytes) -> bytes:
    """One to three random mutations of a CSV file's bytes."""
    lines = data.split(b"\n")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["truncate", "flip", "swap", "junk", "dup_header", "drop_line"]))
        if kind in ("truncate", "flip"):
            blob = b"\n".join(lines)
            if not blob:
                continue
            at = draw(st.integers(0, len(blob) - 1))
            if kind == "truncate":
                blob = blob[:at]
            else:
                blob = blob[:at] + bytes([blob[at] ^ draw(st.integers(1, 255))]) + blob[at + 1 :]
            lines = blob.split(b"\n")
        elif kind == "swap":
            i, j = draw(st.integers(0, 12)), draw(st.integers(0, 12))
            swapped = []
            for line in lines:
                cells, delim = _fields(line)
                if max(i, j) < len(cells):
                    cells[i], cells[j] = cells[j], cells[i]
                swapped.append(delim.join(cells))
            lines = swapped
        elif kind == "junk":
            lines.insert(draw(st.integers(0, len(lines))), draw(JUNK))
        elif kind == "dup_header":
            header = next((line for line in lines if line.strip() and not line.startswith(b"#")), b"")
            lines.insert(draw(st.integers(0, len(lines))), header)
        elif kind == "drop_line" and lines:
            del lines[draw(st.integers(0, len(lines) - 1))]
    return b"\n".join(lines)


def _is_input_problem(exc: InputError) -> bool:
    """An InputError raised on purpose by a reader, not a crash the loader wrapped as one.

    The loader turns an unforeseen parser exception into an InputError ("this is a bug in
    smmkit") chained to the original: that must fail these tests, not pass them.
    """
    return exc.__cause__ is None or isinstance(exc.__cause__, InputError)


def check_loads_or_input_error(path: Path) -> None:
    try:
        load_export(path, tz="Europe/Moscow", anchor_day=dt.date(2026, 1, 5))
    except InputError as exc:  # any other exception fails the test, and so does a wrapped crash
        assert _is_input_problem(exc), f"a parser crashed: {exc!r} caused by {exc.__cause__!r}"


@pytest.mark.parametrize("name", CSV_FILES)
def test_mutated_csv_loads_or_raises_input_error(name):
    data = (EXPORTS / name).read_bytes()

    @SETTINGS
    @given(blob=csv_mutation(data))
    def check(blob: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.csv"
            path.write_bytes(blob)
            check_loads_or_input_error(path)

    check()


@st.composite
def grid_mutation(draw, rows: list[list[object]]) -> list[list[object]]:
    """Row and cell mutations of a sheet (header + data rows) before it is written as .xlsx."""
    rows = [list(r) for r in rows]
    cell = st.one_of(
        st.none(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
        st.sampled_from(["-", "undefined", "Total", "1.2E+17", "13/45/2026", "1,2,3", "12.5%", "Date"]),
        st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    )
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["swap", "junk", "dup_header", "cell", "truncate"]))
        width = max(len(r) for r in rows) if rows else 1
        if kind == "swap":
            i, j = draw(st.integers(0, width - 1)), draw(st.integers(0, width - 1))
            for r in rows:
                if max(i, j) < len(r):
                    r[i], r[j] = r[j], r[i]
        elif kind == "junk":
            rows.insert(draw(st.integers(0, len(rows))), draw(st.lists(cell, max_size=width + 2)))
        elif kind == "dup_header" and rows:
            rows.insert(draw(st.integers(0, len(rows))), list(rows[0]))
        elif kind == "cell" and len(rows) > 1:
            r = draw(st.integers(0, len(rows) - 1))
            if rows[r]:
                rows[r][draw(st.integers(0, len(rows[r]) - 1))] = draw(cell)
        elif kind == "truncate":
            rows = rows[: draw(st.integers(0, len(rows)))]
    return rows


def _write_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        ws.append([make_xlsx.DISCLAIMER])
        for row in rows:
            ws.append(row)
    wb.save(path)


@pytest.mark.parametrize(
    ("sheet", "rows"),
    [
        ("All posts", make_xlsx.CONTENT_ROWS),
        ("All posts", make_xlsx.CONTENT_OLD_ROWS),
        ("New followers", make_xlsx.FOLLOWERS_ROWS),
        ("Visitor metrics", make_xlsx.VISITORS_ROWS),
    ],
    ids=["content", "content_old", "followers", "visitors"],
)
def test_mutated_xlsx_sheet_loads_or_raises_input_error(sheet, rows):
    @settings(SETTINGS, max_examples=40)
    @given(grid=grid_mutation(rows))
    def check(grid) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.xlsx"
            try:
                _write_xlsx(path, {sheet: grid})
            except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses some values
                return
            check_loads_or_input_error(path)

    check()


def test_mutated_xlsx_bytes_load_or_raise_input_error(xlsx_files):
    data = xlsx_files["linkedin_content"].read_bytes()

    @settings(SETTINGS, max_examples=60)
    @given(at=st.integers(0, len(data) - 1), flip=st.integers(1, 255), truncate=st.booleans())
    def check(at: int, flip: int, truncate: bool) -> None:
        blob = data[:at] if truncate else data[:at] + bytes([data[at] ^ flip]) + data[at + 1 :]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.xlsx"
            path.write_bytes(blob)
            check_loads_or_input_error(path)

    check()


def test_mutated_client_folder_loads_or_reports(exports_dir):
    """The same through load_client(strict=False): no exception at all, problems become issues."""
    files = {
        n: (exports_dir / n).read_bytes()
        for n in ("canonical_posts.csv", "ga4_daily.csv", "tiktok_overview.csv")
    }

    @settings(SETTINGS, max_examples=30)
    @given(blobs=st.tuples(*(csv_mutation(d) for d in files.values())))
    def check(blobs) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "acme"
            (root / "exports").mkdir(parents=True)
            (root / "client.yaml").write_text("name: Acme\ntimezone: Europe/Moscow\n")
            for name, blob in zip(files, blobs, strict=True):
                (root / "exports" / name).write_bytes(blob)
            client = smmkit.load_client(root, strict=False)
            assert len(client.files) == 3
            crashes = [i.message for i in client.issues if "this is a bug in smmkit" in i.message]
            assert crashes == []

    check()
