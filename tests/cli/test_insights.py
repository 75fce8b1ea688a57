"""`smmkit kpis --format json` with `insights` and `forecast` (#12): old keys byte-identical, new ones traceable."""

from __future__ import annotations

import contextlib
import io
import json
import math

import jsonschema
import pytest

from smmkit.cli import main
from smmkit.config import CLIENTS_DIR
from smmkit.io.loading import load_client
from smmkit.kpi.engine import kpis
from smmkit.kpi.result import load_schema

BASELINE = __import__("pathlib").Path(__file__).resolve().parents[1] / "fixtures" / "kpis_baseline"
CASES = sorted(p.stem for p in BASELINE.glob("*.json"))


def _run_json(slug: str, window: str) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(
            ["kpis", str(CLIENTS_DIR / slug), "--window", window, "--end", "2026-10-31", "--format", "json"]
        )
    assert code == 0
    return json.loads(out.getvalue())


@pytest.mark.parametrize("case", CASES)
def test_existing_keys_stay_byte_identical_and_the_new_ones_validate(case):
    slug, window = case.rsplit("-", 1)
    baseline = json.loads((BASELINE / f"{case}.json").read_text(encoding="utf-8"))
    doc = _run_json(slug, window)
    for key, value in baseline.items():
        assert json.dumps(doc[key], ensure_ascii=False) == json.dumps(value, ensure_ascii=False), key
    assert set(doc) - set(baseline) == {"insights", "forecast", "coverage"}  # coverage: issue 23
    jsonschema.validate(doc, load_schema())
    if window == "90d":
        assert doc["forecast"] is None  # 8 x 90 days > the demo's 488 days of history
    else:
        assert doc["forecast"]["total"]["followers_end"] is not None


def _numbers(tree) -> list[float]:
    if isinstance(tree, dict):
        return [x for k, v in tree.items() if k != "text" for x in _numbers(v)]
    if isinstance(tree, list):
        return [x for v in tree for x in _numbers(v)]
    if isinstance(tree, bool) or not isinstance(tree, int | float):
        return []
    return [float(tree)]


@pytest.mark.parametrize("slug", ["coffee-point", "atelier-nord", "nimbus-crm"])
def test_every_number_a_finding_quotes_is_a_value_of_the_same_json(slug):
    client = load_client(CLIENTS_DIR / slug)
    report = kpis(client, window="28d", end="2026-10-31")
    from smmkit.report.findings import insights

    doc = {**report.to_dict(), "insights": insights(report, client.config.language)}
    values = [abs(x) for x in _numbers(doc)]
    quoted = 0
    for finding in report.findings:
        for name, (fmt, value) in finding.fields.items():
            if fmt in ("kpi_name", "network", "date", "text", "days"):
                continue
            quoted += 1
            assert any(math.isclose(abs(float(value)), v, rel_tol=1e-12) for v in values), (
                slug,
                finding.rule,
                name,
            )
    assert quoted > 5
    assert doc["insights"][0]["text"] and len(doc["insights"]) <= 8
