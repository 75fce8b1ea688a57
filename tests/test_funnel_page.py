"""The Funnel page (notebooks/3-funnel.ipynb) for sparse clients, in English and Russian (issue 24).

metrics.md's report conventions: organic (post impressions -> engagements -> post link clicks)
and paid (ad impressions -> ad clicks) are separate rows, both leading into sessions ->
conversions; a stage whose input is 0 shows no rate. The page is executed through papermill
(warnings as errors, as tests/test_notebooks.py runs every notebook) for a client with only
organic data (X only), only paid data (ads only), both (a demo client) and a quiet month (every
post stage 0), each in both languages; every number and rate it shows is the JSON's.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import shutil
from html import escape
from pathlib import Path

import pytest
from support.sparse_pages import ROOT, kpis_json, mismatches
from test_notebooks import END, START, _execute, _html_outputs

from smmkit.config import NOTEBOOKS_DIR
from smmkit.report.i18n import Labels

SPARSE = ROOT / "tests" / "fixtures" / "clients" / "sparse"
DEMO = ROOT / "data" / "clients"
#: case -> (client folder, the stages the page shows)
CASES = {
    "organic": (SPARSE / "x-only", ["impressions", "engagements", "clicks"]),
    "paid": (SPARSE / "only-ads", ["ad_impressions", "ad_clicks"]),
    "both": (
        DEMO / "nimbus-crm",
        ["impressions", "engagements", "clicks", "ad_impressions", "ad_clicks", "sessions", "conversions"],
    ),  # fmt: skip
    "quiet": (SPARSE / "quiet-month", ["impressions", "engagements", "clicks"]),
}
_ROW = re.compile(
    r'<tr data-path="(\w+)"><td>[^<]*</td><td data-stage="(\w+)" data-scope="(\w+)">[^<]*</td>'
    r"<td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>"
)


def _client(case: str, lang: str, root: Path) -> Path:
    """A copy of the case's client (the kit writes its cache beside the exports) in ``lang``."""
    source = CASES[case][0]
    if not (source / "client.yaml").is_file():
        pytest.skip(f"{source} not generated")
    folder = root / f"{case}-{lang}" / source.name
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".smmkit-cache"))
    config = folder / "client.yaml"
    text = re.sub(r"^language: \w+$", f"language: {lang}", config.read_text(encoding="utf-8"), flags=re.M)
    config.write_text(text, encoding="utf-8")
    return folder


def _rate(cell: str, rate: float | None, L: Labels, *, first: bool) -> str | None:
    """What is wrong with a shown rate cell against the JSON's rate (None when it is right)."""
    text = re.sub(r"<[^>]+>", "", cell).strip()
    want = "" if first else "—" if rate is None else L.number(rate, kind="percent")
    if rate is not None and rate > 100:
        want += " ⚑"
    return None if text == want else f"shows {text!r}, JSON {rate!r} reads {want!r}"


@pytest.fixture(scope="module")
def funnel_page(tmp_path_factory):
    root = tmp_path_factory.mktemp("funnel")
    cache: dict[tuple[str, str], tuple[str, dict, int]] = {}

    def get(case: str, lang: str) -> tuple[str, dict, int]:
        """The page's HTML, the client's JSON and the number of charts the page shows."""
        if (case, lang) not in cache:
            client = _client(case, lang, root)
            nb = _execute(NOTEBOOKS_DIR / "3-funnel.ipynb", root / f"{case}-{lang}.ipynb", client)
            errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
            assert errors == [], (case, lang, errors)
            assert nb.cells[-1].execution_count is not None  # ran to the end, no warning raised
            funnel_cell = next(c for c in nb.cells if '"fn.funnel"' in c.source)
            charts = sum(  # inline SVG figures (smmkit.report.figures.chart)
                str(o.get("data", {}).get("text/html", "")).count('<div class="smmkit-figure">')
                for o in funnel_cell.outputs
            )
            cache[case, lang] = (_html_outputs(nb), kpis_json(client, START, END), charts)
        return cache[case, lang]

    return get


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("case", list(CASES))
def test_funnel_page_shows_the_json_with_no_rate_from_a_zero_stage(funnel_page, case, lang):
    html, expected, charts = funnel_page(case, lang)
    L = Labels(lang, currency=expected["currency"])
    assert not mismatches(html, expected, L), mismatches(html, expected, L)
    total = {r["stage"]: r for r in expected["funnel"]["total"]}
    rows = [r for r in _ROW.findall(html) if r[2] == "total"]
    assert [stage for _, stage, *_ in rows] == CASES[case][1]  # a path without data is left out
    bad = []
    for path, stage, _, prev, top in rows:
        first = path != "web" and stage in ("impressions", "ad_impressions")
        for cell, key in ((prev, "rate_prev"), (top, "rate_top")):
            problem = _rate(cell, total[stage][key], L, first=first and key == "rate_prev")
            if problem:
                bad.append(f"{case}/{lang} {stage} {key}: {problem}")
        # metrics.md: a stage whose input is 0 (or unknown) shows no rate
        if total[stage]["input"] in (0, None) and not first:
            assert re.sub(r"<[^>]+>", "", prev).strip() == "—", (stage, prev)
    assert bad == []


def _rows(path: Path, day_of, first: str = "2026-10-04", last: str = "2026-10-31") -> list[dict]:
    """The rows of a fixture CSV whose day (``day_of(row)``, ISO) lies in the page's period (read with csv)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if first <= day_of(r) <= last]


def _x_day(row: dict) -> str:
    return dt.datetime.strptime(row["Date"], "%a, %b %d, %Y").date().isoformat()  # "Fri, Oct 30, 2026"


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_sparse_funnel_pages_by_case(funnel_page, lang):
    L = Labels(lang)
    path = {p: L(f"path.{p}") for p in ("organic", "paid", "web")}
    pct = lambda v: L.number(v, kind="percent")  # noqa: E731

    html, expected, charts = funnel_page("organic", lang)  # X only: posts, no ads, no web analytics
    assert charts == 1 and path["organic"] in html
    assert escape(L("unknown_kpis", names=f"{path['paid']}, {path['web']}")) in html
    posts = _rows(
        SPARSE / "x-only" / "exports" / "x" / "account_analytics_content_2026-07-01_2026-10-31.csv", _x_day
    )
    impressions = sum(int(r["Impressions"]) for r in posts)
    engagements = sum(int(r["Likes"]) + int(r["Replies"]) + int(r["Reposts"]) for r in posts)
    clicks = sum(int(r["URL Clicks"]) for r in posts)
    assert [r["value"] for r in expected["funnel"]["total"][:3]] == [impressions, engagements, clicks]
    assert (
        f">{pct(engagements / impressions * 100)}<" in html and f">{pct(clicks / engagements * 100)}<" in html
    )
    assert f">{pct(clicks / impressions * 100)}<" in html

    html, expected, charts = funnel_page("paid", lang)  # ads only (X and LinkedIn campaigns)
    assert charts == 1 and path["paid"] in html
    assert escape(L("unknown_kpis", names=f"{path['organic']}, {path['web']}")) in html
    ads = _rows(SPARSE / "only-ads" / "exports" / "ads.csv", lambda r: r["date"])
    shown, ad_clicks = sum(int(r["impressions"]) for r in ads), sum(int(r["clicks"]) for r in ads)
    assert [r["value"] for r in expected["funnel"]["total"][3:5]] == [shown, ad_clicks]
    assert f">{pct(ad_clicks / shown * 100)}<" in html

    html, expected, charts = funnel_page("both", lang)
    total_table = next(b for b in html.split('<div class="smmkit-block">') if 'data-scope="total"' in b)
    assert charts == 1 and all(p in total_table for p in map(escape, path.values()))
    assert "smmkit-unknown" not in total_table  # every path known in total (a network without ads names them)
    web = {r["stage"]: r for r in expected["funnel"]["total"]}
    # the sessions' input is the clicks of both paths: link clicks + ad clicks
    assert web["sessions"]["input"] == web["clicks"]["value"] + web["ad_clicks"]["value"]
    assert f">{L('fn.funnel')}</h2>" in html

    html, expected, charts = funnel_page("quiet", lang)  # posts stopped: every post stage 0
    assert charts == 0  # nothing to draw: no chart, the table of zeros
    assert [r["value"] for r in expected["funnel"]["total"][:3]] == [0, 0, 0]
    rates = [re.sub(r"<[^>]+>", "", c) for *_, prev, top in _ROW.findall(html) for c in (prev, top)]
    assert rates == ["", "—", "—", "—", "—", "—"]  # one network: the total's table only; no rate from a 0
    assert escape(L("no_rate")) in html
