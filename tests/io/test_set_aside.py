"""A file that cannot be used never fails the client (issue 22): a Google Ads report and an ad
export in another currency are "recognised, not used"; the other files' KPIs stay, the cost
KPIs are null, and `validate` and `kpis` warn naming the file and the fix. A bad cell in a used
format is still an error."""

from __future__ import annotations

import json
import math
from pathlib import Path

import smmkit
from smmkit.cli import main
from smmkit.io.validate import validate_client
from smmkit.report import fragments

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"
POSTS = "network,post_id,published_at,reach,likes,comments,shares\n"
ADS = "date,network,campaign,spend,impressions,reach,clicks,leads\n"
YAML = "name: Acme\ncurrency: RUB\nmonthly_cost: 3100\n"


def _client(make_client, **extra: str) -> Path:
    files = {
        "posts.csv": POSTS + "vk,1,2026-10-02 10:00,100,5,2,1\nvk,2,2026-10-03 10:00,300,7,0,2\n",
        "ads.csv": ADS + "2026-10-02,vk,Autumn,1000,5000,4000,50,4\n",
        **extra,
    }
    return make_client(files, yaml=YAML)


def test_a_whole_download_with_unusable_files_keeps_every_other_kpi(make_client) -> None:
    root = _client(
        make_client,
        **{
            "meta/ads_inr.csv": (EXPORTS / "meta_ads_inr.csv").read_text(),
            "google/campaigns.csv": (EXPORTS / "google_ads_campaigns.csv").read_text(),
        },
    )
    client = smmkit.load_client(root)  # strict: would raise if either file failed the client
    formats = {f.path.name: (f.format, f.unused is not None, f.costs_unknown) for f in client.files}
    assert formats == {
        "ads.csv": ("canonical_ads", False, False),
        "posts.csv": ("canonical_posts", False, False),
        "ads_inr.csv": ("meta_ads", True, True),
        "campaigns.csv": ("google_ads", True, False),
    }
    assert len(client.ads) == 1  # the INR rows are left out
    report = smmkit.kpis(client, start="2026-10-01", end="2026-10-31")
    vk = report.networks.loc["vk"]
    assert (vk["posts"], vk["reach"], vk["likes"], vk["engagements"]) == (2, 400, 12, 17)
    assert report.total["posts"] == 2 and report.total["engagements"] == 17
    for key in ("ad_spend", "total_cost", "cpc", "cpl", "cost_per_follower"):
        assert math.isnan(report.total[key]), key
    assert math.isnan(vk["ad_spend"])


def test_without_the_other_currency_the_costs_are_counted(make_client) -> None:
    root = _client(
        make_client, **{"google/campaigns.csv": (EXPORTS / "google_ads_campaigns.csv").read_text()}
    )
    report = smmkit.kpis(smmkit.load_client(root), start="2026-10-01", end="2026-10-31")
    assert report.total["ad_spend"] == 1000.0
    assert report.total["total_cost"] == 1000.0 + 3100.0  # a whole month of fixed costs


def test_validate_and_kpis_warn_naming_the_file_and_the_fix(make_client, capsys) -> None:
    root = _client(make_client, **{"meta/ads_inr.csv": (EXPORTS / "meta_ads_inr.csv").read_text()})
    report = validate_client(root)
    assert not report.errors and not report.errors
    (warning,) = [w for w in report.warnings if w.path.endswith("ads_inr.csv")]
    assert "is in INR, client.yaml says currency RUB" in warning.message
    assert "export the ad account in RUB or set `currency: INR` in client.yaml" in warning.message
    (note,) = [n for n in report.notes if n.path.endswith("ads_inr.csv") and "recognised" in n.message]
    assert note.message.startswith("recognised, not used: a Meta Ads Manager export in INR")
    capsys.readouterr()
    code = main(["kpis", str(root), "--start", "2026-10-01", "--end", "2026-10-31", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 0
    out = json.loads(captured.out)
    assert out["total"]["total_cost"] is None
    note = next(n for n in out["notes"] if "ads_inr.csv" in n)
    assert note.startswith(
        "ads_inr.csv: this Meta Ads Manager export is in INR, client.yaml says currency RUB"
    )
    assert "the cost KPIs are null; export the ad account in RUB or set `currency: INR`" in note


def test_the_report_overview_shows_each_set_aside_file(make_client) -> None:
    root = _client(
        make_client,
        **{
            "meta/ads_inr.csv": (EXPORTS / "meta_ads_inr.csv").read_text(),
            "tiktok/Overview.csv": (REAL / "tiktok_overview_el.csv").read_text(encoding="utf-8"),
        },
    )
    report = smmkit.kpis(smmkit.load_client(root), start="2026-10-01", end="2026-10-31")
    html = fragments.notes(report.notes, "en").data  # what the overview's page.notes() shows
    assert "ads_inr.csv: this Meta Ads Manager export is in INR" in html
    assert "Overview.csv: a TikTok Studio export in Greek" in html
    assert report.total["posts"] == 2  # every other file's KPIs


def test_a_bad_cell_in_a_used_format_is_still_an_error(make_client) -> None:
    root = _client(make_client, **{"more.csv": ADS + "2026-10-03,vk,Autumn,lots,5000,4000,50,4\n"})
    report = validate_client(root)
    assert bool(report.errors)
    (error,) = report.errors
    assert (error.path.endswith("more.csv"), error.line, error.column) == (True, 2, "spend")


def test_round_2_set_aside_files_on_the_overview_and_every_other_kpi(make_client) -> None:
    """Issue 22, round 2: a Meta export in a language whose names the kit does not know (Italian)
    and a TikTok Ads report without a day column are set aside with their fixes on the overview;
    the posts' KPIs stay exact, the cost KPIs are null (the day-less report held spend)."""
    root = _client(
        make_client,
        **{
            "instagram/contenuti.csv": (REAL / "meta_instagram_content_it.csv").read_bytes().decode("utf-8"),
            "tiktok/ads.csv": (EXPORTS / "tiktok_ads_campaign_no_day.csv").read_text(),
        },
    )
    client = smmkit.load_client(root)
    formats = {f.path.name: (f.format, f.costs_unknown) for f in client.files if f.unused is not None}
    assert formats == {"contenuti.csv": ("meta_other_language", False), "ads.csv": ("tiktok_ads", True)}
    report = smmkit.kpis(client, start="2026-10-01", end="2026-10-31")
    html = fragments.notes(report.notes, "en").data
    assert "contenuti.csv: a Meta Business Suite export in Italian" in html
    assert "ads.csv: this TikTok Ads Manager report has no day column" in html
    assert (report.total["posts"], report.total["reach"]) == (2, 400)
    assert math.isnan(report.total["ad_spend"])
