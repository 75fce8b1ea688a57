"""Costs without cost data are unknown, not 0 (issue 24; metrics.md, "Known, unknown and totals").

A client with no ad export and no ``monthly_cost``/``cost_overrides`` in client.yaml has no cost
data at all: ``total_cost``, ``cpc``, ``cpl`` and ``cost_per_follower`` are null (n/a on the
pages), in the JSON too. A stated fixed cost, even 0, makes them known.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from kpi.test_engine import END, START, TZ, make_client

from smmkit.config import ClientConfig, load_config
from smmkit.kpi.engine import kpis
from smmkit.report.i18n import format_kpi

COSTS = ("total_cost", "cpc", "cpl", "cost_per_follower")


def _client(**config):
    """The engine test's client without ad rows, with the config ``config``."""
    base = make_client(ads=[])
    cfg = ClientConfig(slug="coffee", name="Coffee Point", timezone=TZ, currency="RUB", **config)
    return dataclasses.replace(base, config=cfg)


def test_no_ads_and_no_fixed_costs_make_every_cost_null_in_the_json_too():
    report = kpis(_client(), start=START, end=END)
    for key in COSTS:
        assert np.isnan(report.total[key]), key
        assert report.networks[key].isna().all(), key
    data = json.loads(report.to_json())
    assert all(data["total"][k] is None for k in COSTS)
    assert all(data["networks"][n][k] is None for n in data["networks"] for k in COSTS)
    assert "total_cost" in data["total"] and "cpc" in data["change"]["total"]  # every key kept
    assert format_kpi("cpc", report.total["cpc"], "en", currency="RUB") == "n/a"  # not "0.00"
    assert format_kpi("cpc", report.total["cpc"], "ru", currency="RUB") == "н/д"


def test_a_fixed_cost_without_ads_is_the_cost():
    # 31,000 a month over the 28 days 1-28 October (31 days): 31000 / 31 x 28 = 28,000.
    report = kpis(_client(monthly_cost=31000.0), start=START, end=END)
    assert report.total["total_cost"] == pytest.approx(28000.0)
    # cpc = total_cost / (post link clicks): vk 5 + 2, x 4 (posts 1-28 October), no ad clicks = 11.
    assert report.total["cpc"] == pytest.approx(28000.0 / 11)
    assert report.networks["total_cost"].isna().all()  # a network's cost is its ad spend: unknown


def test_a_stated_zero_cost_is_known_zero():
    report = kpis(_client(costs_given=True), start=START, end=END)
    assert report.total["total_cost"] == 0.0
    assert report.total["cpc"] == 0.0


def test_client_yaml_says_whether_fixed_costs_are_given(tmp_path):
    def config(text: str) -> ClientConfig:
        folder = tmp_path / f"c{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        (folder / "client.yaml").write_text(text, encoding="utf-8")
        return load_config(folder)

    assert config("name: A\n").has_fixed_costs is False
    assert config("name: A\nmonthly_cost: 0\n").has_fixed_costs is True
    assert config('name: A\ncost_overrides: {"2026-10": 500}\n').has_fixed_costs is True
    assert ClientConfig(slug="a", name="A", monthly_cost=10.0).has_fixed_costs is True  # built in code
    assert ClientConfig(slug="a", name="A").has_fixed_costs is False
