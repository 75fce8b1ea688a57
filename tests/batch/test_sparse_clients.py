"""Issue 23: real clients are sparse, and none fails for lack of data.

The fixture clients of ``tests/fixtures/clients/sparse/`` (``python -m scripts.demo_data.sparse``)
are one per case of the issue: a Facebook export that ends in 2016, X only (content and account
overview, as the README says), a quiet month (posts stop, the audience does not move) and ads
only. ``smmkit run`` over a clients folder mixing them with the demo clients renders every page
of every client, each number on a page is the JSON's, and the JSON holds the values read by hand
from the fixture files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import nbformat
import pytest
from support.sparse_pages import ROOT, check_client_pages, kpis_json

from smmkit.batch.runner import run_reports
from smmkit.kpi.periods import Period

SPARSE = ROOT / "tests" / "fixtures" / "clients" / "sparse"
DEMO = ROOT / "data" / "clients"
OCTOBER = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 31))
FIXTURES = ("only-ads", "quiet-month", "stale-facebook", "x-only")


def _json(slug: str, tmp_path: Path) -> dict:
    """October 2026's JSON of a fixture client, read from a copy (the kit writes its cache beside the exports)."""
    shutil.copytree(SPARSE / slug, tmp_path / slug, ignore=shutil.ignore_patterns(".smmkit-cache"))
    return kpis_json(tmp_path / slug, "2026-10-01", "2026-10-31")


def _files(folder: Path) -> list[Path]:
    """The files under ``folder`` but the kit's caches (hidden folders)."""
    files = (p.relative_to(folder) for p in folder.rglob("*") if p.is_file())
    return sorted(f for f in files if not any(part.startswith(".") for part in f.parts))


def test_fixture_clients_are_what_the_generator_writes(tmp_path):
    """The committed fixture clients are ``scripts/demo_data/sparse.py``'s output, byte for byte."""
    from scripts.demo_data.sparse import FIXTURES as WRITERS

    for write in WRITERS.values():
        write(tmp_path)
    files = _files(SPARSE)
    assert files == _files(tmp_path)
    assert sorted({f.parts[0] for f in files}) == list(FIXTURES)
    for rel in files:
        assert (SPARSE / rel).read_bytes() == (tmp_path / rel).read_bytes(), rel


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """One ``smmkit run`` of October 2026 over the three demo clients and the four sparse ones."""
    root = tmp_path_factory.mktemp("mixed")
    clients = root / "clients"
    skip = shutil.ignore_patterns(".smmkit-cache")
    for folder in [*(p.parent for p in DEMO.glob("*/client.yaml")), *(SPARSE / s for s in FIXTURES)]:
        shutil.copytree(folder, clients / folder.name, ignore=skip)
    stdout, stderr = io.StringIO(), io.StringIO()
    result = run_reports(clients_dir=clients, period=OCTOBER, out=root / "reports", jobs=2, timeout=300,
                         stdout=stdout, stderr=stderr)  # fmt: skip
    return {"result": result, "clients": clients, "stdout": stdout.getvalue(), "stderr": stderr.getvalue()}


@pytest.mark.slow
def test_run_over_demo_and_sparse_clients_exits_0_and_every_client_is_ok(mixed):
    """Before issue 23, quiet-month failed: ``3-funnel.ipynb: cell 5 raised ValueError: Data cannot be
    log-scaled because all values are <= 0``."""
    result = mixed["result"]
    assert [(c.slug, c.status) for c in result.clients] == [
        (slug, "ok") for slug in sorted(["atelier-nord", "coffee-point", "nimbus-crm", *FIXTURES])
    ], mixed["stderr"]
    assert result.exit_code == 0
    assert mixed["stdout"].startswith("7 clients: 7 ok, 0 failed, 0 skipped in ")
    assert mixed["stderr"] == ""


@pytest.mark.slow
@pytest.mark.parametrize("slug", FIXTURES)
def test_sparse_pages_render_without_errors_and_show_the_json(mixed, slug):
    folder = mixed["result"].period_dir / slug
    for nb_path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(str(nb_path), as_version=4)
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert errors == [], (slug, nb_path.name)
    check_client_pages(folder, mixed["clients"] / slug, "2026-10-01", "2026-10-31")


# --------------------------------------------------------------------------- values read by hand
# Sums over the October 2026 rows of the fixture files (read with a spreadsheet / pandas, not smmkit).
def test_x_only_reads_posts_and_daily_follows(tmp_path):
    got = _json("x-only", tmp_path)
    total, x = got["total"], got["networks"]["x"]
    assert list(got["networks"]) == ["x"]
    # account_analytics_content: 23 October rows; Impressions, Likes, Replies, Reposts, Bookmarks, URL Clicks
    assert (total["posts"], total["impressions"], total["likes"]) == (23, 34740, 275)
    assert (total["comments"], total["shares"], total["saves"], total["clicks"]) == (78, 121, 9, 194)
    assert total["engagements"] == 275 + 78 + 121  # likes + comments + shares
    # the organic row of the funnel: 34,740 impressions -> 474 engagements -> 194 URL clicks; no paid row
    funnel = {r["stage"]: r for r in got["funnel"]["total"]}
    assert [funnel[s]["value"] for s in ("impressions", "engagements", "clicks")] == [34740, 474, 194]
    assert funnel["engagements"]["rate_prev"] == pytest.approx(474 / 34740 * 100)
    assert funnel["clicks"]["rate_prev"] == pytest.approx(194 / 474 * 100)
    assert funnel["clicks"]["rate_top"] == pytest.approx(194 / 34740 * 100)
    assert funnel["ad_impressions"]["value"] is None and funnel["ad_clicks"]["rate_prev"] is None
    # account_overview_analytics: 31 October days of New follows and Unfollows
    assert (x["new_followers"], x["lost_followers"], x["net_follower_growth"]) == (785, 376, 785 - 376)
    assert total["followers_end"] is None and total["reach"] is None  # X exports neither
    # X exports no reach: the top 5 are ranked by impressions (metrics.md, report conventions),
    # ties by more engagements; read here from the file with the csv module.
    path = SPARSE / "x-only" / "exports" / "x" / "account_analytics_content_2026-07-01_2026-10-31.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        october = [r for r in csv.DictReader(fh) if ", Oct " in r["Date"] and r["Date"].endswith("2026")]
    ranked = sorted(
        october,
        key=lambda r: (-int(r["Impressions"]), -(int(r["Likes"]) + int(r["Replies"]) + int(r["Reposts"]))),
    )
    assert [p["post_id"] for p in got["top_posts"]] == [r["Post id"] for r in ranked[:5]]


def test_quiet_month_is_zero_posts_and_a_flat_audience(tmp_path):
    got = _json("quiet-month", tmp_path)
    total = got["total"]
    assert list(got["networks"]) == ["vk"]
    # posts.csv: the last post is of 2026-09-30; audience.csv: 39,125 followers from 2026-09-30 on, no joins
    assert (total["posts"], total["reach"], total["impressions"], total["engagements"]) == (0, 0, 0, 0)
    assert (total["followers_start"], total["followers_end"]) == (39125, 39125)
    assert (total["new_followers"], total["lost_followers"], total["net_follower_growth"]) == (0, 0, 0)
    assert total["er"] == 0  # 0 engagements / 39,125 followers
    stages = {r["stage"]: r["value"] for r in got["funnel"]["total"]}
    assert stages == {"impressions": 0, "engagements": 0, "clicks": 0, "ad_impressions": None, "ad_clicks": None,
                      "sessions": None, "conversions": None}  # fmt: skip
    # metrics.md: a stage whose input is 0 shows no rate (nor one from an unknown stage)
    assert all(r["rate_prev"] is None and r["rate_top"] is None for r in got["funnel"]["total"])
    assert got["change"]["total"]["posts"] == -100.0  # 0 against September's posts


def test_only_ads_is_its_ad_rows(tmp_path):
    got = _json("only-ads", tmp_path)
    total = got["total"]
    # ads.csv, October rows: X 2,794.30 + LinkedIn 6,788.13 spent; 187 leads, 4,220 clicks, 551,181 impressions
    assert sorted(got["networks"]) == ["linkedin", "x"]
    assert total["ad_spend"] == pytest.approx(2794.30 + 6788.13)
    assert (total["ad_leads"], total["ad_clicks"], total["ad_impressions"]) == (187, 4220, 551181)
    assert total["cpl"] == pytest.approx(9582.43 / 187)
    assert total["cpc"] == pytest.approx(9582.43 / 4220)
    assert total["ad_ctr"] == pytest.approx(4220 / 551181 * 100)
    assert got["networks"]["x"]["ad_spend"] == pytest.approx(2794.30)
    assert total["posts"] is None and total["followers_end"] is None and total["reach"] is None
    assert got["top_posts"] == []
    # the paid row of the funnel: 551,181 ad impressions -> 4,220 ad clicks (0.77 %); no organic or web value
    funnel = {r["stage"]: r for r in got["funnel"]["total"]}
    assert (funnel["ad_impressions"]["value"], funnel["ad_clicks"]["value"]) == (551181, 4220)
    assert funnel["ad_clicks"]["rate_prev"] == pytest.approx(4220 / 551181 * 100)
    assert funnel["ad_impressions"]["rate_top"] == 100
    assert all(funnel[s]["value"] is None for s in ("impressions", "engagements", "clicks", "sessions"))
    assert funnel["sessions"]["input"] == 4220 and funnel["sessions"]["rate_prev"] is None  # sessions unknown


def test_stale_facebook_today(tmp_path):
    """The only Facebook export ends on 2016-02-14 (``Lifetime Total Likes`` 5,457 that day).

    Before the coverage rules the engine carried the last follower count forward and counted
    October 2026 as zero posts and zero reach, as the issue reports ("Followers 1,094", "Posts 0",
    "Reach 0"). With the coverage rules of metrics.md these are null, and the coverage block says
    why: both sources end on 2016-02-14, wholly before October 2026.
    """
    got = _json("stale-facebook", tmp_path)
    total = got["total"]
    assert list(got["networks"]) == ["facebook"]
    assert total["followers_end"] is None  # coverage: was 5457, carried forward from 2016
    assert total["posts"] is None  # coverage: was 0
    assert total["reach"] is None  # coverage: was 0
    facebook = got["coverage"]["facebook"]
    assert facebook["last"] == "2016-02-14"
    assert {s: v["status"] for s, v in facebook["sources"].items()} == {"posts": "none", "audience": "none"}
    assert (
        "posts: exports end 2016-02-14, outside 2026-10-01..2026-10-31: its KPIs are null"
        in facebook["notes"]
    )
    assert (
        "audience: exports end 2016-02-14, outside 2026-10-01..2026-10-31: its KPIs are null"
        in facebook["notes"]
    )
    assert total["unique_visitors"] is None  # the legacy page export has no unique visitors
