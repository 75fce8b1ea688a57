"""``smmkit kpis --format json`` against the independent oracle of metrics.md (tests/support/oracle.py).

Every KPI of every block (total, networks, previous, change), the funnel and
the top posts are compared key by key with a relative tolerance of 1e-9,
null only equal to null, for the three demo clients over five periods and
for a fixture client made of one export file per format of the data
contract (tests/support/oracle_client.py).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import pytest
from support import oracle
from support import oracle_client as make_client

import smmkit
from smmkit.cli import main
from smmkit.cli.text import kpis_text as render

CLIENTS = Path(__file__).resolve().parents[2] / "data" / "clients"
D = dt.date.fromisoformat

PERIODS = {
    "7d": (D("2026-10-25"), D("2026-10-31")),
    "28d": (D("2026-10-04"), D("2026-10-31")),
    "90d": (D("2026-08-03"), D("2026-10-31")),
    "month-2026-09": (D("2026-09-01"), D("2026-09-30")),
    "custom": (D("2026-10-01"), D("2026-10-28")),
}
REL = 1e-9


def same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=REL, abs_tol=1e-12)
    return a == b


def diff(got, want, path: str = "") -> list[str]:
    """Every place where ``got`` (smmkit) differs from ``want`` (the oracle)."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return [f"{path}: expected an object, got {got!r}"]
        out = []
        missing = set(want) - set(got)
        extra = set(got) - set(want) if path.endswith("networks") else set()
        out += [f"{path}.{k}: missing in smmkit" for k in sorted(missing)]
        out += [f"{path}.{k}: block not in the oracle" for k in sorted(extra)]
        for k in want:
            if k in got:
                out += diff(got[k], want[k], f"{path}.{k}")
        return out
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            n = len(got) if isinstance(got, list) else got
            return [f"{path}: expected {len(want)} items, got {n}"]
        return [x for i, (g, w) in enumerate(zip(got, want, strict=True)) for x in diff(g, w, f"{path}[{i}]")]
    return [] if same(got, want) else [f"{path}: smmkit {got!r} != oracle {want!r}"]


def compare(client, start: dt.date, end: dt.date, data=None) -> list[str]:
    got = json.loads(render(smmkit.kpis(client, start=start, end=end), "json"))
    want = oracle.oracle(data or client, start, end)
    return diff(got, want)


@pytest.fixture(scope="module")
def demo():
    cache = {}

    def get(slug):
        if slug not in cache:
            client = smmkit.load_client(CLIENTS / slug)
            cache[slug] = (client, oracle.prepare(client))
        return cache[slug]

    return get


@pytest.mark.parametrize("period", list(PERIODS))
@pytest.mark.parametrize("slug", ["coffee-point", "nimbus-crm", "atelier-nord"])
def test_demo_clients_agree_with_the_oracle(demo, slug, period):
    client, data = demo(slug)
    problems = compare(client, *PERIODS[period], data=data)
    assert not problems, f"{len(problems)} disagreements:\n" + "\n".join(problems[:40])


@pytest.fixture(scope="module")
def fixture_client(tmp_path_factory):
    folder = make_client.make_client(tmp_path_factory.mktemp("clients") / "oracle-cafe")
    return smmkit.load_client(folder)


def test_fixture_client_reads_every_format(fixture_client):
    formats = {f.format for f in fixture_client.files}
    assert formats >= set(make_client.FORMATS), sorted(set(make_client.FORMATS) - formats)
    assert not fixture_client.errors


@pytest.mark.parametrize("period", sorted(make_client.PERIODS))
def test_fixture_client_agrees_with_the_oracle(fixture_client, period):
    problems = compare(fixture_client, *make_client.PERIODS[period])
    assert not problems, f"{len(problems)} disagreements:\n" + "\n".join(problems[:40])


@pytest.mark.parametrize("period", sorted(make_client.HAND_CHECKED))
def test_fixture_client_hand_computed_values(fixture_client, period):
    """Values checked by hand from the fixture files, so that the oracle itself is checked."""
    want = oracle.oracle(fixture_client, *make_client.PERIODS[period])
    for scope, key, value in make_client.HAND_CHECKED[period]:
        block = want["total"] if scope == "total" else want["networks"][scope]
        assert same(block[key], value), (scope, key, block[key], value)


def test_cli_windows_match_the_oracle_periods(capsys):
    """`--window 7d --end` and `--month` give the oracle's periods and the same KPIs."""
    client = smmkit.load_client(CLIENTS / "coffee-point")
    for args, name in (
        (["--window", "7d", "--end", "2026-10-31"], "7d"),
        (["--month", "2026-09"], "month-2026-09"),
    ):
        assert main(["kpis", str(CLIENTS / "coffee-point"), *args, "--format", "json"]) == 0
        got = json.loads(capsys.readouterr().out)
        want = oracle.oracle(client, *PERIODS[name])
        assert not diff(got, want)
