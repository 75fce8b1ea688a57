"""Benchmarks (`make bench`): loading a client, one KPI call, a 12-period trend.

Run with pytest-benchmark; quote medians and ratios from one run, not absolute
times (these machines are noisy).
"""

from __future__ import annotations

import pytest

import smmkit
from smmkit.config import CLIENTS_DIR

DEMOS = sorted(p.name for p in CLIENTS_DIR.glob("*/client.yaml") for p in [p.parent])


@pytest.fixture(scope="module", params=DEMOS)
def client(request):
    return smmkit.load_client(CLIENTS_DIR / request.param)


@pytest.mark.parametrize("slug", DEMOS)
def test_load_client(benchmark, slug):
    client = benchmark(smmkit.load_client, CLIENTS_DIR / slug)
    assert len(client.posts) > 0


def test_kpis_28d(benchmark, client):
    report = benchmark(smmkit.kpis, client, window="28d", end="2026-10-31")
    assert report.period.days == 28


def test_kpis_trend_12_periods(benchmark, client):
    import datetime as dt

    def trend():
        end = dt.date(2026, 10, 31)
        return [smmkit.kpis(client, window="28d", end=end - dt.timedelta(days=28 * i)) for i in range(12)]

    reports = benchmark(trend)
    assert len(reports) == 12
