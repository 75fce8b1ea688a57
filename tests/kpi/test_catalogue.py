"""The KPI catalogue is the one definition of every KPI: nothing derived from it may drift.

Derived from the records of smmkit/catalogue.py: the metric functions that compute the rates
(smmkit.kpi.metrics.evaluate and FUNCTIONS), the total's rules (smmkit.kpi.engine.TOTALS), the JSON schema, the report's
names, formulas and units (smmkit.report.i18n), the page key lists and docs/kpis.md.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math
import re

import pandas as pd
import pytest

from scripts import make_kpi_reference
from smmkit import catalogue
from smmkit.catalogue import CATALOGUE, KPI_KEYS
from smmkit.config import PROJ_ROOT


def test_kpi_reference_is_current_and_complete():
    text = make_kpi_reference.reference()
    assert (PROJ_ROOT / "docs" / "kpis.md").read_text(encoding="utf-8") == text, (
        "docs/kpis.md is out of date: run `python scripts/make_kpi_reference.py`"
    )
    for key in KPI_KEYS:
        assert f"| `{key}` |" in text
    assert "| `cpl` | CPL" in text and "| lower |" in text


def test_docs_copies_of_the_contracts_match_shared():
    """docs/metrics.md and docs/data-contract.md are copies of ../shared, for readers of the repo."""
    import pytest

    shared = PROJ_ROOT.parent / "shared"
    if not (shared / "metrics.md").is_file():
        pytest.skip("../shared is not beside the project")
    for name in ("metrics.md", "data-contract.md"):
        assert (PROJ_ROOT / "docs" / name).read_bytes() == (shared / name).read_bytes(), (
            f"docs/{name} differs from ../shared/{name}: copy it again"
        )


def test_the_catalogue_has_every_key_of_metrics_md_once_in_its_order():
    text = (PROJ_ROOT / "docs" / "metrics.md").read_text(encoding="utf-8")
    table_keys = []
    for row in re.findall(r"^\| (`[^|]+`) \|", text, flags=re.M):
        table_keys += re.findall(r"`([a-z_]+)`", row)
    assert [k for k in table_keys if k != "key"] == list(KPI_KEYS)
    assert len(set(KPI_KEYS)) == len(KPI_KEYS)


def test_every_derived_value_is_a_ratio_a_sum_or_a_registered_function():
    from smmkit.kpi import metrics

    known = set(KPI_KEYS) | set(catalogue.INPUTS) | set(catalogue.PERIOD_VALUES)
    for k in catalogue.DERIVED:
        for name in k.inputs:
            assert name in known, f"{k.key}: unknown input {name}"
        if k.ratio is None and not k.terms:
            fn = metrics.FUNCTIONS[k.function_name]
            extra = 1 if k.total == "previous_change" else 0  # the previous period's value first
            assert len(inspect.signature(fn).parameters) == len(k.inputs) + extra, k.key
    # the registry holds only the functions some record names: no plain ratio has one
    assert set(metrics.FUNCTIONS) == {
        k.function_name for k in catalogue.DERIVED if k.ratio is None and not k.terms
    }
    assert not any(hasattr(metrics, k.key) for k in CATALOGUE if k.ratio is not None)
    plain = {k.key for k in CATALOGUE if k.ratio is not None}
    assert {"er", "ctr", "cpl", "posts_per_week", "site_pages_per_session"} <= plain
    assert "reach_rate" not in plain and "social_bounce_rate" not in plain


def test_derived_values_come_after_their_inputs():
    seen = {k.key for k in (*CATALOGUE, *catalogue.INPUTS.values()) if not k.derived}
    seen |= set(catalogue.PERIOD_VALUES)
    for k in catalogue.DERIVED:
        assert set(k.inputs) <= seen, k.key
        seen.add(k.key)
    assert [k.key for k in catalogue.DERIVED].index("total_cost") < [k.key for k in catalogue.DERIVED].index(
        "cost_per_follower"
    )


def test_a_ratio_record_is_evaluated_per_network_and_for_total_alike():
    from smmkit.kpi import metrics

    er = catalogue.kpi("er")
    assert er.ratio == er.inputs == ("engagements", "followers_end") and er.scale == 100
    assert metrics.evaluate(er, 19, 1057) == pytest.approx(19 / 1057 * 100)
    got = metrics.evaluate(
        er, pd.Series([19.0, 5.0], index=["vk", "ok"]), pd.Series([1057.0, 0.0], index=["vk", "ok"])
    )
    assert (
        list(got.index) == ["vk", "ok"]
        and got["vk"] == pytest.approx(19 / 1057 * 100)
        and math.isnan(got["ok"])
    )
    leads = catalogue.kpi("leads")
    assert metrics.evaluate(leads, 3.0, float("nan")) == 3.0  # sum rule: an unknown term counts as 0


def test_every_key_has_a_total_rule_the_engine_applies():
    from smmkit.kpi import engine

    assert set(engine.TOTALS) == set(catalogue.TOTAL_RULES)
    period = engine.Period(dt.date(2026, 10, 1), dt.date(2026, 10, 28))
    assert engine._period_values(period) == {"days": 28} and tuple(engine._period_values(period)) == (
        catalogue.PERIOD_VALUES
    )
    records = (*CATALOGUE, *catalogue.INPUTS.values())
    assert {k.key for k in records} == set(KPI_KEYS) | set(catalogue.INPUTS)
    assert all(k.total in engine.TOTALS for k in records)


def test_the_json_schema_lists_the_catalogue():
    from smmkit.kpi.result import load_schema

    block = load_schema()["$defs"]["kpis"]
    assert block["required"] == list(KPI_KEYS)
    assert list(block["properties"]) == list(KPI_KEYS)
    raw = json.loads((PROJ_ROOT / "smmkit" / "kpi" / "kpis.schema.json").read_text(encoding="utf-8"))
    assert "properties" not in raw["$defs"]["kpis"], "the KPI keys come from the catalogue, not the file"


@pytest.mark.parametrize("lang", catalogue.LANGUAGES)
def test_report_names_formulas_and_units_are_the_catalogue_s(lang):
    from smmkit.report.i18n import Labels, kpi_kind

    labels = Labels(lang)
    for k in CATALOGUE:
        assert labels.kpi(k.key) == k.name(lang)
        assert labels.formula(k.key) == k.formula(lang)
        assert kpi_kind(k.key) == k.unit


def test_lower_is_better_and_page_lists_are_the_catalogue_s():
    from smmkit.batch.render import HEADLINE_KPIS
    from smmkit.report import sections

    assert {k.key for k in CATALOGUE if k.better == "lower"} == catalogue.LOWER_IS_BETTER
    for name, page in (
        ("HEADLINE", "headline"), ("MONTHLY", "monthly"), ("AUDIENCE", "audience"), ("REACH", "reach"),
        ("FEEDBACK", "feedback"), ("COST", "cost"), ("INBOX", "inbox"),
    ):  # fmt: skip
        assert getattr(sections, name) == tuple(k.key for k in CATALOGUE if page in k.pages)
    assert HEADLINE_KPIS == catalogue.page_keys("index") == ("followers_end", "reach", "er_post", "leads")


def test_a_bad_record_is_refused_with_the_allowed_values():
    base = {"key": "x", "family": "feedback", "unit": "count", "better": "higher", "names": ("X", "X")}
    base |= {"formulas": ("x", "x"), "total": "sum"}
    with pytest.raises(ValueError, match=r"KPI 'x': `unit` must be one of count, .*; got 'pct'"):
        catalogue.KPI(**(base | {"unit": "pct"}))
    with pytest.raises(ValueError, match="unknown page 'cover'"):
        catalogue.KPI(**base, pages=("cover",))
    with pytest.raises(ValueError, match="KPI 'x': `total` must be one of sum, .*; got 'mean'"):
        catalogue.KPI(**(base | {"total": "mean"}))
    with pytest.raises(
        ValueError, match=r"KPI 'x': give one of ratio, terms and function; got ratio, function"
    ):
        catalogue.KPI(**base, ratio=("a", "b"), function="er")
    with pytest.raises(ValueError, match=r"`ratio` must be \(numerator, denominator\)"):
        catalogue.KPI(**base, ratio=("a", "b", "c"))
    with pytest.raises(TypeError):  # records are written with keyword arguments
        catalogue.KPI("x", "feedback", "count", "higher", ("X", "X"), ("x", "x"), "sum")
    with pytest.raises(KeyError, match="unknown KPI key 'engagement'"):
        catalogue.kpi("engagement")
