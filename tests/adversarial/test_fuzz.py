"""Issue 20: a property-based fuzzer over real export files ("build the suite that finds the next ones").

Each example copies one real file (``tests/fixtures/real``, ``tests/fixtures/exports``, the demo
clients' exports) into a fresh client folder, damages it with one to three mutations (truncation,
duplicated or dropped lines, another encoding, huge or non-finite numbers, out-of-range dates,
control characters and NUL, very long cells, random bytes) and drives ``smmkit validate`` and
``smmkit kpis`` through :func:`smmkit.cli.main` with every warning turned into an error. Whatever
the mutant, the kit must:

- exit 0 (``kpis`` then prints JSON whose numbers are finite), or 1 with every line on stderr either
  ``PATH[:LINE[:COLUMN]]: message`` about a file of the client, or the one-line summary;
- never raise (no traceback), never call its own failure "a bug in smmkit", never warn;
- print no line longer than :data:`MAX_LINE` characters (a 100 000-character cell is not echoed);
- leave every raw file as it was: the mutant in ``exports/`` and the originals it was copied from.

``SMMKIT_FUZZ_EXAMPLES`` sets the number of examples (default small, for the normal suite; ``make
fuzz`` runs thousands); ``SMMKIT_FUZZ_RANDOM=1`` explores new examples instead of the derandomized,
reproducible sequence.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smmkit.cli import main

REPO = Path(__file__).resolve().parents[2]
SEED_DIRS = [
    REPO / "tests" / "fixtures" / "real",
    REPO / "tests" / "fixtures" / "exports",
    *sorted((REPO / "data" / "clients").glob("*/exports")),
]
SEEDS = sorted(
    p
    for d in SEED_DIRS
    for p in d.rglob("*")
    if p.is_file() and p.suffix.lower() in {".csv", ".xlsx", ".xls", ".tsv", ".txt"}
)
#: Files over this size are cut to their first lines before mutating (whole demo exports of 1 MB
#: would make each example slow without reaching other code).
SEED_BYTES = 64 * 1024
EXAMPLES = int(os.environ.get("SMMKIT_FUZZ_EXAMPLES", "30"))
RANDOM = os.environ.get("SMMKIT_FUZZ_RANDOM") == "1"
MAX_LINE = 2000
#: Periods asked of ``kpis``: the years the seeds cover.
ENDS = ("2017-06-30", "2020-02-29", "2025-09-30", "2026-10-31")
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ----------------------------------------------------------------------------- mutations

HUGE = ["1e308", "-1e308", "1e400", "inf", "-inf", "nan", "NaN", "Infinity", "99999999999999999999",
        "1.7976931348623157e308", "5e-324", "-0", "1000000000000", "2000B", "9" * 40]  # fmt: skip
DATES = ["9999-12-31", "0206-10-04", "1600-01-01", "9999-12-31 23:59", "0001-01-01T00:00:00Z", "2400-02-29",
         "99991231", "00010101", "12/31/9999 23:59", "31.12.9999", "Dec 31, 9999", "1677-09-21 00:12:43"]  # fmt: skip
CONTROL = ["\x00", "\x1b[31m", "\r", "\x0b", "\x0c", "\x1c", "\u2028", "\u0085", "\ufeff", "\x7f", '"', '""',
           'a"b', ",", ";", "\t", "\n", "=1+1", "#NAME?", "١٢٣", "１２３", "\ud7ff", "Total"]  # fmt: skip
ENCODINGS = ["utf-16", "utf-16-le", "cp1251", "latin-1", "utf-8-sig", "utf-32"]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [data]


def truncate(data: bytes, draw) -> bytes:
    return data[: draw(st.integers(0, max(len(data) - 1, 0)))]


def duplicate_line(data: bytes, draw) -> bytes:
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    at = draw(st.integers(0, len(lines)))
    return b"".join([*lines[:at], lines[i], *lines[at:]])


def drop_line(data: bytes, draw) -> bytes:
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    return b"".join(lines[:i] + lines[i + 1 :])


def reencode(data: bytes, draw) -> bytes:
    text = data.decode("utf-8", errors="replace")
    return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")


def set_cell(data: bytes, draw) -> bytes:
    """Replace one cell of one line (split on the line's likely delimiter) with a hostile value."""
    value = draw(
        st.one_of(
            st.sampled_from(HUGE),
            st.sampled_from(DATES),
            st.sampled_from(CONTROL),
            st.builds(
                lambda c, n: c * n,
                st.sampled_from(["9", "a", "я", '"', ",", "\x00"]),
                st.integers(1000, 200_000),
            ),
            st.text(max_size=12),
        )
    )
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    line = lines[i]
    delim = max((b",", b";", b"\t"), key=line.count)
    cells = line.rstrip(b"\r\n").split(delim)
    j = draw(st.integers(0, len(cells) - 1))
    cells[j] = value.encode("utf-8", errors="surrogatepass")
    end = line[len(line.rstrip(b"\r\n")) :]
    lines[i] = delim.join(cells) + end
    return b"".join(lines)


def insert_bytes(data: bytes, draw) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]


def flip_byte(data: bytes, draw) -> bytes:
    if not data:
        return data
    at = draw(st.integers(0, len(data) - 1))
    return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]


def insert_line(data: bytes, draw) -> bytes:
    """A line that changes how the file is split: a preamble, a ``sep=`` hint, a blank line, a
    ``Total`` row, the header again, a row of delimiters, a BOM in the middle."""
    extra = draw(
        st.sampled_from(
            [b"sep=;\n", b"sep=\t\n", b"# Start date: 20260101\n", b"\n", b"\r\n", b"Total,1,2,3\n", b",,,,,,\n",
             b";;;;\n", b'"unclosed,quote\n', b"\xef\xbb\xbf", b"\xff\xfe", b"#NAME?\n", b"\x00\n"]
        )
    )  # fmt: skip
    lines = _lines(data)
    at = draw(st.integers(0, len(lines)))
    if draw(st.booleans()) and lines:
        extra = lines[0]  # the header again
    return b"".join([*lines[:at], extra, *lines[at:]])


def line_ends(data: bytes, draw) -> bytes:
    """Other line ends: CRLF, lone CR, none at the end, the Unicode ones ``str.splitlines`` splits on."""
    end = draw(st.sampled_from([b"\r\n", b"\r", b"\x0b", b"\xe2\x80\xa8", b"\xc2\x85"]))
    if draw(st.booleans()):
        return data.replace(b"\r\n", b"\n").replace(b"\n", end)
    return data.rstrip(b"\r\n")


def change_delimiter(data: bytes, draw) -> bytes:
    old, new = draw(st.sampled_from([(b",", b";"), (b",", b"\t"), (b";", b","), (b"\t", b","), (b",", b"")]))
    lines = _lines(data)
    i = draw(st.integers(0, len(lines) - 1))
    lines[i] = lines[i].replace(old, new)
    return b"".join(lines)


MUTATIONS = [truncate, duplicate_line, drop_line, reencode, set_cell, set_cell, insert_bytes, flip_byte,
             insert_line, line_ends, change_delimiter]  # fmt: skip

# ----------------------------------------------------------------------------- checks


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _seed_bytes(seed: Path) -> bytes:
    data = seed.read_bytes()
    if len(data) <= SEED_BYTES or seed.suffix.lower() in {".xlsx", ".xls"}:
        return data
    cut = data[:SEED_BYTES]
    return cut[: cut.rfind(b"\n") + 1]


def run(argv: list[str]) -> tuple[int, str, str]:
    """``smmkit ARGV`` in this process: exit code, stdout, stderr; every warning an error."""
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        warnings.simplefilter("error")
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


_SUMMARY = re.compile(r"^(\d+ files?, \d+ unusable, \d+ warnings?: .+|\d+ errors?(: no KPIs printed .*)?)$")


def check_output(root: Path, code: int, out: str, err: str, *, command: str) -> None:
    """The CLI contract of data-contract.md section 3 for one run on a fuzzed client."""
    assert code in (0, 1), f"{command}: exit {code}\n{err}"
    for line in (out + err).splitlines():
        assert len(line) <= MAX_LINE, f"{command}: a line of {len(line)} characters: {line[:200]!r}..."
    assert "Traceback" not in err and "bug in smmkit" not in err, err
    lines = err.splitlines()
    if code == 1:
        assert lines, f"{command}: exit 1 with nothing on stderr"
    for line in lines:
        located = line.startswith(f"{root}{os.sep}") or line.startswith(f"{root}:")
        assert located or _SUMMARY.match(line), f"{command}: not a PATH:LINE:COLUMN error: {line!r}"
    if command == "kpis" and code == 0:
        report = json.loads(out, parse_constant=lambda c: pytest.fail(f"kpis printed {c}"))
        for scope in [report["total"], *report["networks"].values()]:
            for key, value in scope.items():
                assert value is None or isinstance(value, int | float), (key, value)


def fuzz_client(base: Path, seed: Path, data: bytes, end: str) -> None:
    """Write ``data`` as the only export of a new client under ``base``; validate it and compute KPIs."""
    root = base / "fuzzed"
    (root / "exports").mkdir(parents=True)
    (root / "client.yaml").write_text("name: Fuzzed\ntimezone: Europe/Berlin\n", encoding="utf-8")
    export = root / "exports" / seed.name
    export.write_bytes(data)
    before = _sha(export)
    code, out, err = run(["validate", str(root)])
    check_output(root, code, out, err, command="validate")
    code, out, err = run(["kpis", str(root), "--window", "28d", "--end", end, "--format", "json"])
    check_output(root, code, out, err, command="kpis")
    assert _sha(export) == before, "the raw export was modified"
    assert sorted(p.name for p in (root / "exports").iterdir()) == [seed.name], (
        "a file was written to exports/"
    )


@pytest.fixture(scope="module", autouse=True)
def _seeds_untouched():
    """The originals' hashes, checked again after the module: no example may touch them."""
    hashes = {p: _sha(p) for p in SEEDS}
    yield
    changed = [str(p) for p in SEEDS if _sha(p) != hashes[p]]
    assert not changed, f"fixture or demo exports were modified: {changed}"


def test_the_seeds_are_real_files_of_every_kind():
    kinds = {p.suffix.lower() for p in SEEDS}
    assert len(SEEDS) >= 60 and {".csv", ".xlsx", ".xls"} <= kinds


@FUZZ
@given(
    seed=st.sampled_from(SEEDS),
    mutations=st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3),
    end=st.sampled_from(ENDS),
    data=st.data(),
)
def test_a_mutated_export_gives_numbers_or_located_errors(seed, mutations, end, data):
    content = _seed_bytes(seed)
    for mutate in mutations:
        content = mutate(content, data.draw)
    base = Path(tempfile.mkdtemp(prefix="smmkit-fuzz-"))
    try:
        fuzz_client(base, seed, content, end)
    finally:
        shutil.rmtree(base, ignore_errors=True)


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 5))
@given(seed=st.sampled_from(SEEDS), end=st.sampled_from(ENDS))
def test_an_unmutated_export_gives_numbers_or_located_errors(seed, end):
    """The seeds themselves pass the same checks (a finding below is then the mutation's)."""
    base = Path(tempfile.mkdtemp(prefix="smmkit-fuzz-"))
    try:
        fuzz_client(base, seed, _seed_bytes(seed), end)
    finally:
        shutil.rmtree(base, ignore_errors=True)


CLIENTS = sorted(p.parent for p in (REPO / "tests" / "fixtures" / "clients").glob("**/client.yaml"))


@contextlib.contextmanager
def _no_cache():
    old = os.environ.get("SMMKIT_CACHE")
    os.environ["SMMKIT_CACHE"] = "0"
    try:
        yield
    finally:
        if old is None:
            del os.environ["SMMKIT_CACHE"]
        else:
            os.environ["SMMKIT_CACHE"] = old


@settings(FUZZ, max_examples=max(EXAMPLES // 5, 5))
@given(
    client=st.sampled_from(CLIENTS),
    mutations=st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=2),
    data=st.data(),
)
def test_a_mutated_export_of_a_whole_client_is_answered_as_without_the_cache(client, mutations, data):
    """A client folder loaded once (the cache holds its entries), then one export damaged: validate and
    kpis keep the CLI contract, the other exports are untouched, and the answer is the one the kit gives
    with the cache off (a cached entry never hides or changes an error)."""
    base = Path(tempfile.mkdtemp(prefix="smmkit-fuzz-"))
    try:
        root = base / client.name
        shutil.copytree(client, root)
        run(["validate", str(root)])  # fills .smmkit-cache/ from the intact exports
        exports = sorted(p for p in (root / "exports").rglob("*") if p.is_file() and "ignore" not in p.parts)
        target = data.draw(st.sampled_from(exports))
        content = target.read_bytes()
        for mutate in mutations:
            content = mutate(content, data.draw)
        target.write_bytes(content)
        hashes = {p: _sha(p) for p in (root / "exports").rglob("*") if p.is_file()}
        answers = []
        for cached in (True, False):
            with contextlib.nullcontext() if cached else _no_cache():
                code, out, err = run(["validate", str(root)])
                check_output(root, code, out, err, command="validate")
                code2, out2, err2 = run(
                    ["kpis", str(root), "--window", "28d", "--end", "2026-10-31", "--format", "json"]
                )
                check_output(root, code2, out2, err2, command="kpis")
            answers.append((code, out, err, code2, out2, err2))
        assert answers[0] == answers[1], "the cache changed the answer"
        assert {p: _sha(p) for p in (root / "exports").rglob("*") if p.is_file()} == hashes
    finally:
        shutil.rmtree(base, ignore_errors=True)
