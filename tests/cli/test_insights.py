"""`smmkit kpis --format json` with `insights` and `forecast` (#12): old keys byte-identical, new ones traceable."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re

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
            if fmt in ("kpi_name", "network", "date", "text", "days") or isinstance(value, str | bool):
                continue
            quoted += 1
            assert any(math.isclose(abs(float(value)), v, rel_tol=1e-12) for v in values), (
                slug,
                finding.rule,
                name,
            )
    assert quoted > 5
    assert doc["insights"][0]["text"] and len(doc["insights"]) <= 6


# --------------------------------------------------------------------------- every number of a sentence is traceable
# A number as the report prints it: en 1,234.5; ru 1 234,5 (no-break spaces). A sign is the sentence's business.
_NUMBER = {"en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"),
           "ru": re.compile(r"\d{1,3}(?:\u00a0\d{3})+(?:,\d+)?|\d+(?:,\d+)?")}  # fmt: skip


def _as_printed(token: str, lang: str) -> tuple[str, int]:
    """``"1,234.56"`` -> ``("1234.56", 2)``: the token in plain digits and its decimals."""
    plain = token.replace(",", "") if lang == "en" else token.replace("\u00a0", "").replace(",", ".")
    return plain, len(plain.split(".")[1]) if "." in plain else 0


def _untraced(item: dict, lang: str) -> list[str]:
    """The numbers of ``item["text"]`` that equal no number field of ``item`` rounded as printed."""
    from smmkit.report.i18n import format_date

    text = item["text"]
    for name, value in item.items():
        if name == "text" or not isinstance(value, str):
            continue
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # a day: as the sentence prints it
            text = text.replace(format_date(value, lang, year=False), " ")
        else:  # a text field (a source's name) may hold digits of its own
            text = text.replace(value, " ")
    fields = [abs(float(v)) for v in item.values() if isinstance(v, int | float) and not isinstance(v, bool)]
    out = []
    for token in _NUMBER[lang].findall(text):
        plain, decimals = _as_printed(token, lang)
        if not any(f"{v:.{decimals}f}" == plain for v in fields):
            out.append(token)
    return out


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("slug", ["coffee-point", "atelier-nord", "nimbus-crm"])
def test_every_number_of_every_finding_sentence_is_a_field_of_its_json(slug, lang):
    from smmkit.report.findings import insights

    report = kpis(load_client(CLIENTS_DIR / slug), window="28d", end="2026-10-31")  # the demo period
    items = insights(report, lang)
    assert len(items) >= 4
    quoted = 0
    for item in items:
        assert _untraced(item, lang) == [], (slug, lang, item)
        quoted += len(_NUMBER[lang].findall(item["text"]))
    assert quoted >= 4 * len(items) // 2


def test_the_traceability_check_catches_an_untraced_number():
    item = {"kind": "change", "value": 915200, "previous": 523118, "change": 74.95, "day": "2026-10-06",
            "text": "Total post reach: 915,200, +75.0% against the previous period (523,118), Oct 6."}  # fmt: skip
    assert _untraced(item, "en") == []
    assert _untraced({**item, "text": item["text"].replace("523,118", "523,119")}, "en") == ["523,119"]
    assert _untraced({**item, "text": item["text"] + " About 5x."}, "en") == ["5"]
    ru = {**item, "text": "Суммарный охват: 915\u00a0200, +75,0\u00a0% (523\u00a0118), 6 октября."}
    assert _untraced(ru, "ru") == []
