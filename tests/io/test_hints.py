"""The closest-format hint of an unrecognised file counts evidence: shared header names after
folding case, accents, soft hyphens and a trailing ``(XXX)`` currency; with no real overlap it
says so instead of naming an unrelated format (issue 22)."""

from __future__ import annotations

import pytest

from smmkit.errors import FormatError
from smmkit.io.languages import fold
from smmkit.io.loading import closest_format, load_export
from smmkit.io.readers import read_file


def _message(path) -> str:
    with pytest.raises(FormatError) as info:
        load_export(path)
    return info.value.message


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Amount spent (UAH)", "amount spent"),
        ("Amount Spent ( eur )", "amount spent"),
        ("Auf\u00adrufe", "aufrufe"),
        ("  VISUALIZAÇÕES  ", "visualizacoes"),
        ("Impressions click-through rate (%)", "impressions click-through rate (%)"),
    ],
)
def test_fold_ignores_case_accents_soft_hyphens_and_currency(name: str, folded: str) -> None:
    assert fold(name) == folded


def test_a_currency_in_brackets_is_not_a_missing_column(tmp_path) -> None:
    path = tmp_path / "ads.csv"
    path.write_text("Campaign name,Reporting starts,Amount spent (UAH),Impressions\nA,2026-10-01,5,1\n")
    name, missing = closest_format(read_file(path))
    assert name == "Meta Ads Manager export"
    assert missing == ["Reporting ends", "Link clicks"]  # not 'Amount spent'
    assert "'Amount spent'" not in _message(path)


def test_linkedin_creator_engagement_sheet_names_no_unrelated_format(tmp_path) -> None:
    # A LinkedIn creator ("Post impressions") export's ENGAGEMENT sheet saved as CSV: it shares only
    # generic names (Date, Impressions, Engagements) with X's daily activity.
    path = tmp_path / "engagement.csv"
    path.write_text("Date,Impressions,Engagements\n12/1/2025,400,12\n12/2/2025,380,9\n")
    assert closest_format(read_file(path)) == ("none", [])
    message = _message(path)
    assert "no known format shares its column names" in message
    assert "X legacy" not in message


def test_generic_date_and_followers_are_no_evidence_for_tiktok(tmp_path) -> None:
    path = tmp_path / "followers.csv"
    path.write_text("Date,Followers,Unfollows per page\n2025-12-01,100,1\n")
    assert closest_format(read_file(path)) == ("none", [])
    assert "TikTok" not in _message(path)


def test_an_old_meta_series_is_not_called_youtube_totals(tmp_path) -> None:
    path = tmp_path / "views.csv"
    path.write_text('sep=,\n"Facebook Page views"\n"Date","Views"\n"2019-01-01T00:00:00","5"\n')
    name, _ = closest_format(read_file(path))
    assert "YouTube" not in name
    assert "YouTube" not in _message(path)


def test_a_german_totals_file_with_soft_hyphens_is_recognised(tmp_path) -> None:
    path = tmp_path / "Gesamtwerte.csv"
    path.write_text("Datum,Auf\u00adrufe\n2025-10-01,5\n", encoding="utf-8")
    fmt, tables = load_export(path)
    assert (fmt.name, tables) == ("youtube_totals", {})


def test_soft_hyphens_are_shown_in_the_header_seen(tmp_path) -> None:
    path = tmp_path / "de.csv"
    path.write_text("Zeit\u00adraum,Ver\u00adweil\u00addauer\n2025-10,5\n", encoding="utf-8")
    message = _message(path)
    assert "Header seen: 'Zeit<U+00AD>raum', 'Ver<U+00AD>weil<U+00AD>dauer'" in message
    assert "\u00ad" not in message
