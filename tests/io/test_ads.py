"""Ad-account exports: Meta Ads Manager (CSV/XLSX, Day and Platform breakdowns, lead results, total
row, ``No data available.``, currency), TikTok Ads Manager, LinkedIn Campaign Manager, X Ads, and
Google Ads refused. Expected values are hand sums of the fixture rows."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from smmkit.io.formats import LoadContext
from smmkit.io.loading import load_export

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "real"


def ads(path: Path, currency: str = "RUB") -> tuple[str, pd.DataFrame, LoadContext]:
    ctx = LoadContext(tz="Europe/Moscow", currency=currency)
    fmt, tables = load_export(path, ctx=ctx)
    assert list(tables) == ["ads"]
    return fmt.name, tables["ads"], ctx


def by(frame: pd.DataFrame, *keys: str) -> dict:
    return {
        tuple(str(getattr(r, k)).removesuffix(" 00:00:00") for k in keys): (r.spend, r.clicks, r.leads)
        for r in frame.itertuples()
    }


def test_meta_daily_platform_total_row_dropped_leads_from_lead_indicators():
    name, frame, ctx = ads(EXPORTS / "meta_ads_daily_platform.csv")
    assert name == "meta_ads"
    # The account total (3,700.50) is the first row with an empty Campaign name: dropped, not summed.
    assert frame["spend"].sum() == pytest.approx(3700.50)
    assert int(frame["impressions"].sum()) == 23000 and int(frame["clicks"].sum()) == 370
    # facebook + audience_network merge into one facebook row of Oct 1 (1,000.25 + 50.25).
    got = {k: (round(s, 2), int(c), None if pd.isna(le) else int(le)) for k, (s, c, le) in
           by(frame, "date", "network", "campaign").items()}  # fmt: skip
    assert got == {
        ("2026-10-01", "facebook", "Autumn leads"): (1050.5, 110, 5),
        ("2026-10-01", "instagram", "Autumn leads"): (800.0, 80, 4),
        ("2026-10-02", "facebook", "Autumn leads"): (1200.0, 120, 3),  # lead_grouped counts
        ("2026-10-02", "facebook", "Coffee reach"): (650.0, 60, None),  # reach results are not leads
    }
    assert (frame["date"] == frame["date_end"]).all()  # Day rows cover one day
    assert ctx.ignored() == ["Clicks (all)"]  # named by validate, never summed as clicks


def test_meta_without_day_covers_the_reporting_range_and_warns(tmp_path):
    path = tmp_path / "meta.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Raw Data Report"
    ws.append(["Campaign name", "Reporting starts", "Reporting ends", "Amount spent (RUB)", "Impressions", "Reach",
               "Link clicks", "Leads"])  # fmt: skip
    ws.append([None, "2026-10-01", "2026-10-31", 1500.5, 30000, 20000, 300, 9])
    ws.append(["Autumn leads", "2026-10-01", "2026-10-31", 1000.5, 20000, 14000, 200, 7])
    ws.append(["Coffee reach", "2026-10-01", "2026-10-31", 500, 10000, 7000, 100, 2])
    wb.save(path)
    name, frame, ctx = ads(path)
    assert name == "meta_ads"
    assert frame["spend"].sum() == pytest.approx(1500.5) and int(frame["leads"].sum()) == 9
    assert set(frame["date"]) == {pd.Timestamp("2026-10-01")}
    assert set(frame["date_end"]) == {pd.Timestamp("2026-10-31")}
    (warning,) = ctx.warnings
    assert warning.startswith("2 ad rows without a day breakdown cover 2026-10-01..2026-10-31 as a whole")


def test_meta_no_data_available_means_zero_over_the_range():
    name, frame, ctx = ads(EXPORTS / "meta_ads_no_data.csv")
    assert name == "meta_ads"
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["spend"], row["impressions"], row["clicks"]) == (0.0, 0, 0)
    assert (row["date"], row["date_end"]) == (pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31"))
    assert ctx.warnings == []  # nothing delivered: right for any period


def set_aside(path: Path, currency: str = "RUB") -> tuple[str | None, LoadContext]:
    """Load an export the kit recognises but sets aside: no table, its reason and its warnings."""
    ctx = LoadContext(tz="Europe/Moscow", currency=currency)
    fmt, tables = load_export(path, ctx=ctx)
    assert tables == {}
    return fmt.unused, ctx


def test_meta_currency_other_than_the_clients_is_set_aside_naming_both():
    reason, ctx = set_aside(EXPORTS / "meta_ads_inr.csv", currency="RUB")
    assert reason.startswith("a Meta Ads Manager export in INR, client.yaml says currency RUB")
    assert ctx.set_aside == "costs"
    (warning,) = ctx.warnings
    assert "is in INR, client.yaml says currency RUB: its rows are left out" in warning
    assert "export the ad account in RUB or set `currency: INR` in client.yaml" in warning
    _, frame, _ = ads(EXPORTS / "meta_ads_inr.csv", currency="INR")
    assert frame["spend"].sum() == pytest.approx(12500.0) and int(frame["leads"].sum()) == 30


def test_meta_ad_level_real_shape():
    _, frame, _ = ads(REAL / "meta_ads_ad_level_php.csv", currency="PHP")
    # Ad name is the campaign label at ad level; messaging and reach results are not leads.
    assert frame["spend"].sum() == pytest.approx(323.11 + 140.00 + 112.56 + 0)
    assert int(frame["clicks"].sum()) == 49 + 30 + 10
    assert int(frame["leads"].sum()) == 7  # lead_grouped only
    assert set(frame["network"]) == {"facebook"}


@pytest.mark.parametrize(
    ("fixture", "fmt", "network", "spend", "impressions", "clicks", "leads"),
    [
        ("tiktok_ads_daily.csv", "tiktok_ads", "tiktok", 1250.00 + 990.50, 55500, 570, None),
        ("linkedin_campaign_manager.csv", "linkedin_ads", "linkedin", 4100.00 + 3900.00, 17500, 260, 10),
        ("x_ads_campaigns.csv", "x_ads", "x", 700.00 + 650.00, 23000, 183, None),
        # Windows-1251, ';' with decimal commas and "12 000" thousands; the Итого row is not summed.
        ("vk_ads_ru.csv", "vk_ads", "vk", 3600.50 + 2900.00, 22500, 438, 13),
    ],
)
def test_other_ad_platforms(fixture, fmt, network, spend, impressions, clicks, leads):
    name, frame, _ = ads(EXPORTS / fixture)
    assert name == fmt
    assert set(frame["network"]) == {network}
    assert frame["spend"].sum() == pytest.approx(spend)  # TikTok's Total row is not summed again
    assert int(frame["impressions"].sum()) == impressions and int(frame["clicks"].sum()) == clicks
    assert (None if "leads" not in frame else int(frame["leads"].sum())) == leads
    assert list(frame["date"].dt.strftime("%m-%d")) == ["10-01", "10-02"]


def test_currency_column_checked(tmp_path):
    path = tmp_path / "tt.csv"
    path.write_text((EXPORTS / "tiktok_ads_daily.csv").read_text().replace("RUB", "USD", 1))
    reason, ctx = set_aside(path)
    assert "in USD, client.yaml says currency RUB" in reason
    assert ctx.set_aside == "costs" and "set `currency: USD` in client.yaml" in ctx.warnings[0]


def test_google_ads_is_recognised_not_used_with_what_to_export_instead():
    reason, ctx = set_aside(EXPORTS / "google_ads_campaigns.csv")
    assert "Google Ads reports hold search and display spend, not social" in reason
    assert "export the Video campaigns" in reason
    assert ctx.set_aside is None and ctx.warnings == []  # a known kind of file, nothing to fix


def test_tiktok_ads_masked_counts_are_unknown_and_counted_in_a_warning():
    """TikTok Ads Manager writes a count below 5 as ``<5`` and an undefined rate as ``--`` (columns
    as a TikTok Ads importer of real xlsx exports lists them, SOURCES.md): the masked cells are
    unknown, the other rows exact."""
    name, frame, ctx = ads(EXPORTS / "tiktok_ads_by_day_masked.csv")
    assert name == "tiktok_ads"
    assert frame["spend"].sum() == pytest.approx(1200.00 + 800.00 + 3.50)
    assert int(frame["impressions"].sum()) == 30000 + 20000  # the '<5' cell is not a number
    assert int(frame["reach"].sum()) == 21000 + 15000
    assert int(frame["clicks"].sum()) == 310 + 190 + 0
    assert ctx.warnings == [
        "2 cells written '<5' (TikTok hides counts below 5) read as unknown: the sums of those columns "
        "may be up to 4 per cell low"
    ]


def test_tiktok_ads_without_a_day_column_is_set_aside_with_the_fix():
    reason, ctx = set_aside(EXPORTS / "tiktok_ads_campaign_no_day.csv")
    assert reason.startswith("a TikTok Ads Manager report without a day column")
    assert ctx.set_aside == "costs"
    assert ctx.warnings[0].endswith("add the Day dimension (By Day) to the report and export it again")


def test_linkedin_campaign_manager_creative_export_real_column_set():
    """The Ad Performance export per creative (column set of a SAS import of real Campaign Manager
    extracts, SOURCES.md): creatives of one campaign and day become one row, exact sums."""
    name, frame, ctx = ads(EXPORTS / "linkedin_campaign_manager_creative.csv")
    assert name == "linkedin_ads"
    assert by(frame, "date", "campaign") == {
        ("2026-10-01", "Hiring baristas"): (2500.00 + 1600.00, 90 + 50, 5 + 1),
        ("2026-10-02", "Hiring baristas"): (3900.00, 120, 4),
    }
    assert int(frame["impressions"].sum()) == 6000 + 3000 + 8500
    assert "Total Engagements" in ctx.ignored() and "Viral Clicks" in ctx.ignored()
