"""The KPI catalogue is the one definition of every KPI: nothing derived from it may drift.

Derived from the records of smmkit/catalogue.py: the metric functions that compute the rates
(smmkit.kpi.metrics.RATES), the total's rules (smmkit.kpi.engine), the JSON schema, the report's
names, formulas and units (smmkit.report.i18n), the page key lists and docs/kpis.md.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import re

import pytest

from smmkit import catalogue
from smmkit.catalogue import CATALOGUE, KPI_KEYS
from smmkit.config import PROJ_ROOT


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_kpi_reference", PROJ_ROOT / "scripts" / "make_kpi_reference.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_kpi_reference_is_current_and_complete():
    text = _generator().reference()
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


def test_every_rate_is_computed_by_the_metric_function_its_record_names():
    from smmkit.kpi import metrics

    for k in CATALOGUE:
        if k.total in ("ratio", "cost_ratio", "site"):
            fn = getattr(metrics, k.function_name)
            assert metrics.RATES[k.key] == (k.inputs, fn)
            assert len(inspect.signature(fn).parameters) == len(k.inputs), k.key
            for name in k.inputs:
                assert name in KPI_KEYS or name in catalogue.INPUTS, f"{k.key}: unknown input {name}"
    assert set(metrics.RATES) == {k.key for k in CATALOGUE if k.total in ("ratio", "cost_ratio", "site")}


def test_every_key_has_a_total_rule_the_engine_applies():
    from smmkit.kpi import engine

    covered = {key for keys in engine._RULE_KEYS.values() for key in keys}
    assert covered == set(KPI_KEYS) | set(catalogue.INPUTS)
    assert set(engine._RULE_KEYS) <= set(catalogue.TOTAL_RULES)


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
    assert HEADLINE_KPIS == catalogue.page_keys("index") == ("followers_end", "reach", "er", "leads")


def test_a_bad_record_is_refused_with_the_allowed_values():
    with pytest.raises(ValueError, match=r"KPI 'x': `unit` must be one of count, .*; got 'pct'"):
        catalogue.KPI("x", "feedback", "pct", "higher", ("X", "X"), ("x", "x"), "sum")
    with pytest.raises(ValueError, match="unknown page 'cover'"):
        catalogue.KPI("x", "feedback", "count", "higher", ("X", "X"), ("x", "x"), "sum", pages=("cover",))
    with pytest.raises(KeyError, match="unknown KPI key 'engagement'"):
        catalogue.kpi("engagement")
